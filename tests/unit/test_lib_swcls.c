/* SPDX-License-Identifier: MIT */
/*
 * libsnic: the host software classifier over the mirror's rules and the
 * software receive rings it fills. Frames are built here byte by byte;
 * rules are written in the form the firmware uses for VNIC MAC entries;
 * group copies are checked against the mirrored L2 state (at the end).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>
#include "snic_impl.h"
#include "swcls_fixture.h"

#define MAC_BASE 56u   /* fake caps: user entries 0..55, VNIC MACs from 56 */

static uint32_t mac_base = MAC_BASE; /* where add_vnic puts the MAC entries */

static const uint8_t mac_of[4][6] = {
	{ 2, 0, 0, 0, 0, 0x10 }, { 2, 0, 0, 0, 0, 0x11 }, { 2, 0, 0, 0, 0, 0x12 },
	{ 2, 0, 0, 0, 0, 0x13 },
};

/* A VNIC as the firmware programs it: its MAC, untagged only. */
static void add_vnic(struct snic_mirror *m, uint16_t id)
{
	struct snic_mirror_vnic *v = &m->vnic[id];
	memset(v, 0, sizeof(*v));
	v->used = 1;
	v->params.id = id;
	memcpy(v->params.mac, mac_of[id], 6);
	v->info.vnic = id;
	v->info.ring_state = SNIC_RING_SHARED;
	v->info.mac_rule = (uint16_t)(mac_base + id);
	memcpy(v->mac_rule.value.dmac, mac_of[id], 6);
	memset(v->mac_rule.mask.dmac, 0xff, 6);
	v->mac_rule.mask.flags = SNIC_KF_VLAN;
	v->mac_rule.action.vnic = id;
	v->mac_rule.action.flags = SNIC_ACT_COUNT | SNIC_ACT_MARK_SW;
	v->has_mac_rule = 1;
}

static void add_rule(struct snic_mirror *m, uint32_t loc, unsigned dport, uint16_t vnic, int drop)
{
	struct snic_mirror_rule *r = &m->rule[m->n_rules++];
	memset(r, 0, sizeof(*r));
	r->loc = loc;
	r->rule.value.ip_proto = 6;
	r->rule.mask.ip_proto = 0xff;
	r->rule.value.dport[0] = (uint8_t)(dport >> 8);
	r->rule.value.dport[1] = (uint8_t)dport;
	memset(r->rule.mask.dport, 0xff, 2);
	r->rule.action.vnic = drop ? SNIC_VNIC_NONE : vnic;
	r->rule.action.flags = drop ? SNIC_ACT_DROP : SNIC_ACT_COUNT;
}

/* Write a mirror as another process would (through the state file). */
static void save(void (*fill)(struct snic_mirror *))
{
	struct snic_dev *w = snic_alloc();
	assert_int_equal(snic_attach(w, win, FW_SIZE), 0);
	snic_set_state_path(w, state_path);
	assert_int_equal(snic_mirror_begin(w, 1), 0);
	memset(w->mirror, 0, sizeof(*w->mirror));
	fill(w->mirror);
	assert_int_equal(snic_mirror_end(w, 1), 0);
	snic_close(w);
	usleep(2000);   /* distinct mtimes even on coarse clocks */
}

static void fill_basic(struct snic_mirror *m)
{
	add_vnic(m, 1);
	add_vnic(m, 2);
	add_rule(m, 0, 80, 2, 0);      /* tcp/80 -> vnic 2, above every MAC entry */
	add_rule(m, 1, 23, 0, 1);      /* tcp/23 -> drop */
	add_rule(m, 2, 8080, 3, 0);    /* -> vnic 3, which the mirror lacks */
}

static void fill_more(struct snic_mirror *m)
{
	fill_basic(m);
	add_vnic(m, 3);
	m->rule[m->n_rules - 1].loc = 2;
}

/* Ethernet + IPv4 + TCP, padded to 60 bytes. */
static uint32_t frame(uint8_t *f, const uint8_t dst[6], int vlan, unsigned dport)
{
	uint32_t n = 0;
	memset(f, 0, 128);
	memcpy(f, dst, 6);
	memcpy(f + 6, "\x02\x99\x00\x00\x00\x01", 6);
	n = 12;
	if (vlan) {
		f[n++] = 0x81; f[n++] = 0x00; f[n++] = 0x00; f[n++] = (uint8_t)vlan;
	}
	f[n++] = 0x08; f[n++] = 0x00;
	uint8_t *ip = f + n;
	ip[0] = 0x45; ip[3] = 40; ip[8] = 64; ip[9] = 6;
	memcpy(ip + 12, "\x0a\x00\x00\x01", 4);
	memcpy(ip + 16, "\x0a\x00\x00\x02", 4);
	uint8_t *tcp = ip + 20;
	tcp[0] = 0x30; tcp[1] = 0x39;
	tcp[2] = (uint8_t)(dport >> 8); tcp[3] = (uint8_t)dport;
	tcp[12] = 0x50;
	n += 40;
	return n < 60 ? 60 : n;
}

static struct snic_rx_frame rxf(const uint8_t *data, uint32_t len, uint16_t hw_vnic)
{
	struct snic_rx_frame f;
	memset(&f, 0, sizeof(f));
	f.cpl.len = len;
	f.cpl.vnic = hw_vnic;
	f.cpl.flags = SNIC_RXF_HIT | SNIC_RXF_MARK_SW;
	f.data = data;
	return f;
}

struct got {
	unsigned n;
	uint16_t vnic[32];
	uint8_t last_byte[32];
};

static void collect(void *arg, const struct snic_rx_frame *f)
{
	struct got *g = arg;
	g->vnic[g->n] = f->cpl.vnic;
	g->last_byte[g->n] = f->data[5];
	g->n++;
}

static void classifies_like_hardware(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct snic_swcls_stats st;
	struct got g = { 0 };
	save(fill_basic);
	struct snic_swcls *s = snic_swcls_new(dev, 16);
	assert_non_null(s);

	uint32_t n = frame(buf, mac_of[1], 0, 5000);            /* MAC of vnic 1 */
	struct snic_rx_frame f = rxf(buf, n, 1);
	assert_int_equal(snic_swcls_input(s, &f), 1);
	n = frame(buf, mac_of[1], 0, 80);                       /* rule 0 wins */
	f = rxf(buf, n, 2);
	assert_int_equal(snic_swcls_input(s, &f), 1);
	n = frame(buf, mac_of[1], 0, 23);                       /* drop rule */
	f = rxf(buf, n, SNIC_VNIC_NONE);
	assert_int_equal(snic_swcls_input(s, &f), 0);
	n = frame(buf, mac_of[3], 0, 5000);                     /* no entry */
	f = rxf(buf, n, SNIC_VNIC_NONE);
	assert_int_equal(snic_swcls_input(s, &f), 0);
	n = frame(buf, mac_of[2], 7, 5000);                     /* tagged: MAC entry is untagged only */
	f = rxf(buf, n, SNIC_VNIC_NONE);
	assert_int_equal(snic_swcls_input(s, &f), 0);
	n = frame(buf, mac_of[1], 0, 8080);                     /* rule to unknown vnic 3 */
	f = rxf(buf, n, SNIC_VNIC_NONE);
	assert_int_equal(snic_swcls_input(s, &f), 0);

	snic_swcls_stats(s, &st);
	assert_int_equal(st.frames, 6);
	assert_int_equal(st.hits, 4);
	assert_int_equal(st.drop_rule, 1);
	assert_int_equal(st.drop_no_match, 2);
	assert_int_equal(st.drop_no_vnic, 1);
	/* The 8080 frame: hardware said none, software chose vnic 3 (then
	 * dropped): the only disagreement. */
	assert_int_equal(st.mismatch, 1);

	assert_int_equal(snic_srr_poll(s, 1, 10, collect, &g), 1);
	assert_int_equal(snic_srr_poll(s, 2, 10, collect, &g), 1);
	assert_int_equal(g.vnic[0], 1);
	assert_int_equal(g.vnic[1], 2);
	assert_int_equal(snic_srr_poll_all(s, 10, collect, &g), 0);
	snic_swcls_free(s);
}

static void srr_full_and_budget(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct got g = { 0 };
	struct snic_srr_stats ss[4];
	save(fill_basic);
	struct snic_swcls *s = snic_swcls_new(dev, 4);
	assert_non_null(s);
	for (unsigned i = 0; i < 6; i++) {
		uint8_t dst[6];
		memcpy(dst, mac_of[1], 6);
		uint32_t n = frame(buf, dst, 0, 5000);
		buf[5] = 0x11;   /* still vnic 1's MAC */
		struct snic_rx_frame f = rxf(buf, n, 1);
		assert_int_equal(snic_swcls_input(s, &f), i < 4 ? 1 : 0);
	}
	assert_int_equal(snic_srr_stats(s, ss, 4), 1);
	assert_int_equal(ss[0].vnic, 1);
	assert_int_equal(ss[0].enqueued, 4);
	assert_int_equal(ss[0].drop_full, 2);
	assert_int_equal(ss[0].pending, 4);
	/* Poll mode: at most the budget per poll. */
	assert_int_equal(snic_srr_poll(s, 1, 3, collect, &g), 3);
	assert_int_equal(snic_srr_poll(s, 1, 3, collect, &g), 1);
	assert_int_equal(snic_srr_poll(s, 1, 3, collect, &g), 0);
	snic_srr_stats(s, ss, 4);
	assert_int_equal(ss[0].delivered, 4);
	assert_int_equal(ss[0].pending, 0);
	struct snic_swcls_stats st;
	snic_swcls_stats(s, &st);
	assert_int_equal(st.drop_srr_full, 2);
	snic_swcls_free(s);
}

static void reloads_when_another_process_adds(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct snic_swcls_stats st;
	save(fill_basic);
	struct snic_swcls *s = snic_swcls_new(dev, 16);
	uint32_t n = frame(buf, mac_of[1], 0, 5000);
	struct snic_rx_frame f = rxf(buf, n, 1);
	assert_int_equal(snic_swcls_input(s, &f), 1);
	/* Another snicctl creates vnic 3; the hardware already delivers to it. */
	save(fill_more);
	n = frame(buf, mac_of[3], 0, 5000);
	f = rxf(buf, n, 3);
	assert_int_equal(snic_swcls_input(s, &f), 1);
	snic_swcls_stats(s, &st);
	assert_int_equal(st.mismatch, 0);
	assert_int_equal(st.reloads, 2);
	/* Unchanged file: no reload. */
	assert_int_equal(snic_swcls_refresh(s, 0), 0);
	snic_swcls_free(s);
}

static void persisting_disagreement_counted(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct got g = { 0 };
	struct snic_swcls_stats st;
	save(fill_basic);
	struct snic_swcls *s = snic_swcls_new(dev, 16);
	uint32_t n = frame(buf, mac_of[2], 0, 5000);
	struct snic_rx_frame f = rxf(buf, n, 1);   /* hardware says 1, rules say 2 */
	assert_int_equal(snic_swcls_input(s, &f), 1);
	snic_swcls_stats(s, &st);
	assert_int_equal(st.mismatch, 1);
	assert_int_equal(snic_srr_poll_all(s, 10, collect, &g), 1);
	assert_int_equal(g.vnic[0], 2);            /* the software decides */
	snic_swcls_free(s);
}

/* VNICs 1 and 2 share a MAC (bond slaves on two uplinks): the device's
 * pick between them stands; it cannot move a frame to a VNIC whose MAC
 * entry is another. */
static void fill_shared(struct snic_mirror *m)
{
	add_vnic(m, 1);
	add_vnic(m, 2);
	add_vnic(m, 3);
	memcpy(m->vnic[2].mac_rule.value.dmac, mac_of[1], 6);
	memcpy(m->vnic[2].params.mac, mac_of[1], 6);
}

static void shared_mac_device_picks(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct got g = { 0 };
	struct snic_swcls_stats st;
	save(fill_shared);
	struct snic_swcls *s = snic_swcls_new(dev, 16);
	uint32_t n = frame(buf, mac_of[1], 0, 5000);
	struct snic_rx_frame f = rxf(buf, n, 2);   /* VNIC 1's entry is hit first */
	assert_int_equal(snic_swcls_input(s, &f), 1);
	f = rxf(buf, n, 1);
	assert_int_equal(snic_swcls_input(s, &f), 1);
	f = rxf(buf, n, 3);                        /* not a sharer: the software decides */
	assert_int_equal(snic_swcls_input(s, &f), 1);
	snic_swcls_stats(s, &st);
	assert_int_equal(st.mismatch, 1);
	assert_int_equal(snic_srr_poll(s, 2, 10, collect, &g), 1);
	assert_int_equal(snic_srr_poll(s, 1, 10, collect, &g), 2);
	assert_int_equal(snic_srr_poll(s, 3, 10, collect, &g), 0);
	snic_swcls_free(s);
}

/* VNIC 2 behind the operator's port VLAN 20: the device's MAC entry for
 * it matches VLAN 20, and the frames it strips reach the software ring
 * untagged. */
static void fill_port_vlan(struct snic_mirror *m)
{
	add_vnic(m, 1);
	add_vnic(m, 2);
	struct snic_rule *r = &m->vnic[2].mac_rule;
	r->value.flags = SNIC_KF_VLAN;
	r->value.vlan[1] = 20;
	r->mask.vlan[0] = 0x0f;
	r->mask.vlan[1] = 0xff;
	m->l2[2].has = SNIC_ML2_PVLAN;
	m->l2[2].pvlan_vid = 20;
	m->l2[2].rxmode.vnic = m->l2[2].vlans.vnic = m->l2[2].policy.vnic = 2;
}

static void port_vlan_frames_come_stripped(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct got g = { 0 };
	struct snic_swcls_stats st;
	save(fill_port_vlan);
	struct snic_swcls *s = snic_swcls_new(dev, 16);
	assert_non_null(s);
	uint32_t n = frame(buf, mac_of[2], 0, 5000);
	struct snic_rx_frame f = rxf(buf, n, 2);
	assert_int_equal(snic_swcls_input(s, &f), 1);
	n = frame(buf, mac_of[2], 20, 5000);      /* a tag would have been stripped */
	f = rxf(buf, n, SNIC_VNIC_NONE);
	assert_int_equal(snic_swcls_input(s, &f), 0);
	snic_swcls_stats(s, &st);
	assert_int_equal(st.mismatch, 0);
	assert_int_equal(st.hits, 1);
	assert_int_equal(snic_srr_poll(s, 2, 10, collect, &g), 1);
	assert_int_equal(g.vnic[0], 2);
	snic_swcls_free(s);
}

static void bad_parameters(void **state)
{
	(void)state;
	assert_null(snic_swcls_new(dev, 3));
	assert_int_equal(dev->err, SNIC_ERR_ARG);
}

/*
 * A card whose exact-match table steers the VNIC MACs gives every ternary
 * entry to host rules (user_entries == ternary) and numbers the MAC
 * entries past the table: the software table must still hold them, after
 * the last host entry.
 */
static void fill_exact_card(struct snic_mirror *m)
{
	mac_base = 64;
	add_vnic(m, 1);
	add_vnic(m, 2);
	mac_base = MAC_BASE;
	add_rule(m, 63, 80, 2, 0);     /* the last host entry: tcp/80 -> vnic 2 */
}

static void mac_entries_past_the_table(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct snic_swcls_stats st;
	assert_int_equal(dev->caps.cls.ternary, 64);
	dev->caps.cls.user_entries = 64;
	save(fill_exact_card);
	struct snic_swcls *s = snic_swcls_new(dev, 16);
	assert_non_null(s);
	uint32_t n = frame(buf, mac_of[1], 0, 5000);
	struct snic_rx_frame f = rxf(buf, n, 1);
	assert_int_equal(snic_swcls_input(s, &f), 1);
	n = frame(buf, mac_of[2], 0, 5000);
	f = rxf(buf, n, 2);
	assert_int_equal(snic_swcls_input(s, &f), 1);
	n = frame(buf, mac_of[1], 0, 80);                       /* host rule 63 wins */
	f = rxf(buf, n, 2);
	assert_int_equal(snic_swcls_input(s, &f), 1);
	n = frame(buf, mac_of[1], 9, 5000);                     /* tagged: no entry */
	f = rxf(buf, n, SNIC_VNIC_NONE);
	assert_int_equal(snic_swcls_input(s, &f), 0);
	snic_swcls_stats(s, &st);
	assert_int_equal(st.hits, 3);
	assert_int_equal(st.mismatch, 0);
	assert_int_equal(snic_srr_pending(s, 1), 1);
	assert_int_equal(snic_srr_pending(s, 2), 2);
	snic_swcls_free(s);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

/*
 * Group copies (SNIC_RXF_GROUP, include/snic/l2.h): checked against the
 * mirror's L2 state of the VNIC the device named (domain, groups, receive
 * mode, trust), queued on its SRR or refused and counted; a group copy is
 * never a classifier disagreement.
 */
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t grp1[6] = { 0x01, 0, 0x5e, 0, 0, 1 };
static const uint8_t grp2[6] = { 0x01, 0, 0x5e, 0, 0, 2 };
static const uint8_t other[6] = { 2, 0, 0, 0, 0, 0x99 };

static void l2_vnic(struct snic_mirror *m, uint16_t id, uint8_t uplink, uint16_t vlan)
{
	struct snic_mirror_vnic *v = &m->vnic[id];
	v->used = 1;
	v->params.id = id;
	v->params.uplink = uplink;
	v->params.vlan = vlan;
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, (uint8_t)(0x10 + id) };
	memcpy(v->params.mac, mac, 6);
	v->info.vnic = id;
	memcpy(v->info.mac, mac, 6);
}

static void l2_state(struct snic_mirror *m, uint16_t id, uint8_t mode, uint16_t pol,
	       const uint8_t (*mc)[6], unsigned n_mc, uint16_t vid)
{
	struct snic_mirror_l2 *l = &m->l2[id];
	l->has = SNIC_ML2_RXMODE | SNIC_ML2_POLICY | (vid ? SNIC_ML2_VLANS : 0);
	l->rxmode.vnic = l->vlans.vnic = l->policy.vnic = id;
	l->rxmode.flags = mode;
	l->rxmode.n_mc = (uint8_t)n_mc;
	if (n_mc) /* mc may be NULL */
		memcpy(l->rxmode.mc, mc, n_mc * 6u);
	l->policy.flags = pol;
	l->vlans.n = vid ? 1 : 0;
	l->vlans.vid[0] = vid;
}

/*
 * 1: uplink 0, untagged, joined grp1, member of VLAN 20
 * 2: uplink 0, port VLAN 10
 * 3: uplink 1, untagged
 * 4: uplink 0, trusted, promiscuous
 * 5: uplink 0, promiscuous asked but not trusted (as after the trust was
 *    taken, before the mirror caught up), allmulti
 * 6: on bond 0 (members not mirrored: any port)
 */
static void fill_l2(struct snic_mirror *m)
{
	l2_vnic(m, 1, 0, SNIC_VLAN_NONE);
	l2_state(m, 1, 0, 0, &grp1, 1, 20);
	l2_vnic(m, 2, 0, 10);
	l2_vnic(m, 3, 1, SNIC_VLAN_NONE);
	l2_vnic(m, 4, 0, SNIC_VLAN_NONE);
	l2_state(m, 4, SNIC_RXMODE_PROMISC, SNIC_VPOL_TRUSTED, NULL, 0, 0);
	l2_vnic(m, 5, 0, SNIC_VLAN_NONE);
	l2_state(m, 5, SNIC_RXMODE_PROMISC | SNIC_RXMODE_ALLMULTI, 0, NULL, 0, 0);
	l2_vnic(m, 6, SNIC_UPLINK_BOND | 0, SNIC_VLAN_NONE);
}

static uint8_t gbuf[128];

/* A 60-byte frame to dst (tagged with vid when vid != 0; bit 15: under an
 * outer tag), a group copy the device made for `for_vnic` from `port`. */
static struct snic_rx_frame copy(const uint8_t dst[6], uint16_t vid, uint16_t for_vnic,
				 uint8_t port)
{
	struct snic_rx_frame f;
	uint32_t n = 12;

	memset(gbuf, 0, sizeof(gbuf));
	memcpy(gbuf, dst, 6);
	memcpy(gbuf + 6, "\x02\x77\x00\x00\x00\x01", 6);
	if (vid & 0x8000) {   /* an outer 802.1ad tag with VID 1 first */
		memcpy(gbuf + n, "\x88\xa8\x00\x01", 4);
		n += 4;
		vid &= 0x0fff;
	}
	if (vid) {
		gbuf[n++] = 0x81;
		gbuf[n++] = 0x00;
		gbuf[n++] = (uint8_t)(vid >> 8);
		gbuf[n++] = (uint8_t)vid;
	}
	gbuf[n++] = 0x08;
	gbuf[n++] = 0x06;   /* ARP */
	memset(&f, 0, sizeof(f));
	f.cpl.len = 60;
	f.cpl.vnic = for_vnic;
	f.cpl.rule = SNIC_RULE_MISS;
	f.cpl.flags = SNIC_RXF_GROUP | SNIC_RXF_MARK_SW;
	f.cpl.port = port;
	f.data = gbuf;
	return f;
}

static void delivers_by_domain_groups_and_mode(void **state)
{
	(void)state;
	save(fill_l2);
	struct snic_swcls *s = snic_swcls_new(dev, 16);
	assert_non_null(s);
	const uint8_t *mac1 = (const uint8_t[]){ 2, 0, 0, 0, 0, 0x11 };
	struct { const uint8_t *dst; uint16_t vid, vnic; uint8_t port; int want; } c[] = {
		{ bcast, 0, 1, 0, 1 },    /* broadcast, its domain */
		{ bcast, 0, 2, 0, 0 },    /* untagged, but 2 lives on VLAN 10 */
		{ bcast, 10, 2, 0, 1 },   /* its port VLAN */
		{ bcast, 10, 1, 0, 0 },   /* VLAN 10 is not 1's */
		{ bcast, 20, 1, 0, 1 },   /* a member VLAN */
		{ bcast, 0, 3, 0, 0 },    /* another uplink's frame */
		{ bcast, 0, 3, 1, 1 },
		{ grp1, 0, 1, 0, 1 },     /* joined */
		{ grp2, 0, 1, 0, 0 },     /* not joined */
		{ grp2, 0, 5, 0, 1 },     /* allmulti */
		{ grp2, 0, 4, 0, 1 },     /* trusted promiscuous */
		{ other, 0, 4, 0, 1 },
		{ other, 0, 5, 0, 0 },    /* promiscuous without the trust */
		{ mac1, 20, 1, 0, 1 },    /* its MAC on a member VLAN */
		{ mac1, 30, 1, 0, 0 },    /* ... on a VLAN it is not in */
		{ bcast, 0, 6, 1, 1 },    /* bond VNIC: any member port */
		{ bcast, 0x8000 | 20, 1, 0, 0 },  /* stacked tags (outer 1, inner 20) */
		{ bcast, 0, 7, 0, 0 },    /* a VNIC the mirror lacks */
	};
	unsigned n = sizeof(c) / sizeof(c[0]), wanted = 0;
	for (unsigned i = 0; i < n; i++) {
		struct snic_rx_frame f = copy(c[i].dst, c[i].vid, c[i].vnic, c[i].port);
		unsigned before = snic_srr_pending(s, c[i].vnic);
		int rc = snic_swcls_input(s, &f);
		if (rc != c[i].want || snic_srr_pending(s, c[i].vnic) != before + (unsigned)c[i].want)
			fail_msg("case %u: rc %d", i, rc);
		wanted += (unsigned)c[i].want;
	}
	struct snic_swcls_stats st;
	snic_swcls_stats(s, &st);
	assert_int_equal(st.frames, n);
	assert_int_equal(st.group, wanted);
	assert_int_equal(st.drop_group, n - wanted);
	/* A group copy is a classifier miss by definition, not a disagreement. */
	assert_int_equal(st.mismatch, 0);
	assert_int_equal(st.drop_no_match, 0);
	assert_int_equal(st.reloads, 1);
	snic_swcls_free(s);
}

static struct snic_rx_cpl got_cpl;
static uint8_t got_dst[6];
static void collect_one(void *arg, const struct snic_rx_frame *f)
{
	(*(unsigned *)arg)++;
	got_cpl = f->cpl;
	memcpy(got_dst, f->data, 6);
}

static void join_by_another_process_seen(void **state)
{
	(void)state;
	save(fill_l2);
	struct snic_swcls *s = snic_swcls_new(dev, 16);
	struct snic_rx_frame f = copy(grp2, 0, 1, 0);
	assert_int_equal(snic_swcls_input(s, &f), 0);
	/* VNIC 1 joins grp2 through another handle: the next copy is wanted. */
	struct snic_dev *w = snic_alloc();
	assert_int_equal(snic_attach(w, win, FW_SIZE), 0);
	snic_set_state_path(w, state_path);
	assert_int_equal(snic_mirror_begin(w, 0), 0);
	memcpy(w->mirror->l2[1].rxmode.mc[1], grp2, 6);
	w->mirror->l2[1].rxmode.n_mc = 2;
	assert_int_equal(snic_mirror_end(w, 1), 0);
	snic_close(w);
	usleep(2000);
	f = copy(grp2, 0, 1, 0);
	assert_int_equal(snic_swcls_input(s, &f), 1);
	unsigned n = 0;
	assert_int_equal(snic_srr_poll(s, 1, 8, collect_one, &n), 1);
	assert_int_equal(n, 1);
	assert_int_equal(got_cpl.vnic, 1);
	assert_true(got_cpl.flags & SNIC_RXF_GROUP);
	assert_memory_equal(got_dst, grp2, 6);
	struct snic_swcls_stats st;
	snic_swcls_stats(s, &st);
	assert_int_equal(st.drop_group, 1);
	assert_int_equal(st.group, 1);
	assert_int_equal(st.reloads, 2);
	snic_swcls_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(classifies_like_hardware), T(srr_full_and_budget),
		T(reloads_when_another_process_adds), T(persisting_disagreement_counted),
		T(shared_mac_device_picks), T(port_vlan_frames_come_stripped),
		T(bad_parameters), T(mac_entries_past_the_table),
		T(delivers_by_domain_groups_and_mode), T(join_by_another_process_seen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
