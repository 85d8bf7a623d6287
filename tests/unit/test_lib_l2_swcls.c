/* SPDX-License-Identifier: MIT */
/*
 * libsnic: group copies (SNIC_RXF_GROUP) on the shared ring. The host
 * software classifier checks each copy against the mirror's L2 state of
 * the VNIC the device named (domain, groups, receive mode, trust) and
 * queues it on that VNIC's SRR or refuses and counts it; a group copy is
 * never a classifier disagreement.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>
#include "snic_impl.h"
#include "test_lib_fakewin.h"

static uint8_t *win;
static struct snic_dev *dev;
static char state_path[64];

static int setup(void **state)
{
	(void)state;
	win = fw_build();
	dev = snic_alloc();
	assert_int_equal(snic_attach(dev, win, FW_SIZE), 0);
	snprintf(state_path, sizeof(state_path), "/tmp/snic-test-l2sw-%d.state", (int)getpid());
	unlink(state_path);
	snic_set_state_path(dev, state_path);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	snic_close(dev);
	free(win);
	unlink(state_path);
	return 0;
}

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t grp1[6] = { 0x01, 0, 0x5e, 0, 0, 1 };
static const uint8_t grp2[6] = { 0x01, 0, 0x5e, 0, 0, 2 };
static const uint8_t other[6] = { 2, 0, 0, 0, 0, 0x99 };

static void vnic(struct snic_mirror *m, uint16_t id, uint8_t uplink, uint16_t vlan)
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

static void l2(struct snic_mirror *m, uint16_t id, uint8_t mode, uint16_t pol,
	       const uint8_t (*mc)[6], unsigned n_mc, uint16_t vid)
{
	struct snic_mirror_l2 *l = &m->l2[id];
	l->has = SNIC_ML2_RXMODE | SNIC_ML2_POLICY | (vid ? SNIC_ML2_VLANS : 0);
	l->rxmode.vnic = l->vlans.vnic = l->policy.vnic = id;
	l->rxmode.flags = mode;
	l->rxmode.n_mc = (uint8_t)n_mc;
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
static void fill(struct snic_mirror *m)
{
	vnic(m, 1, 0, SNIC_VLAN_NONE);
	l2(m, 1, 0, 0, &grp1, 1, 20);
	vnic(m, 2, 0, 10);
	vnic(m, 3, 1, SNIC_VLAN_NONE);
	vnic(m, 4, 0, SNIC_VLAN_NONE);
	l2(m, 4, SNIC_RXMODE_PROMISC, SNIC_VPOL_TRUSTED, NULL, 0, 0);
	vnic(m, 5, 0, SNIC_VLAN_NONE);
	l2(m, 5, SNIC_RXMODE_PROMISC | SNIC_RXMODE_ALLMULTI, 0, NULL, 0, 0);
	vnic(m, 6, SNIC_UPLINK_BOND | 0, SNIC_VLAN_NONE);
}

static void save(void (*fn)(struct snic_mirror *))
{
	struct snic_dev *w = snic_alloc();
	assert_int_equal(snic_attach(w, win, FW_SIZE), 0);
	snic_set_state_path(w, state_path);
	assert_int_equal(snic_mirror_begin(w, 1), 0);
	memset(w->mirror, 0, sizeof(*w->mirror));
	fn(w->mirror);
	assert_int_equal(snic_mirror_end(w, 1), 0);
	snic_close(w);
	usleep(2000);   /* distinct mtimes even on coarse clocks */
}

static uint8_t buf[128];

/* A 60-byte frame to dst (tagged with vid when vid != 0), a group copy
 * the device made for `for_vnic` from uplink `port`. */
static struct snic_rx_frame copy(const uint8_t dst[6], uint16_t vid, uint16_t for_vnic,
				 uint8_t port)
{
	struct snic_rx_frame f;
	uint32_t n = 12;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, dst, 6);
	memcpy(buf + 6, "\x02\x77\x00\x00\x00\x01", 6);
	if (vid) {
		buf[n++] = 0x81;
		buf[n++] = 0x00;
		buf[n++] = (uint8_t)(vid >> 8);
		buf[n++] = (uint8_t)vid;
	}
	buf[n++] = 0x08;
	buf[n++] = 0x06;   /* ARP */
	memset(&f, 0, sizeof(f));
	f.cpl.len = 60;
	f.cpl.vnic = for_vnic;
	f.cpl.rule = SNIC_RULE_MISS;
	f.cpl.flags = SNIC_RXF_GROUP | SNIC_RXF_MARK_SW;
	f.cpl.port = port;
	f.data = buf;
	return f;
}

static void delivers_by_domain_groups_and_mode(void **state)
{
	(void)state;
	save(fill);
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
static void collect(void *arg, const struct snic_rx_frame *f)
{
	(*(unsigned *)arg)++;
	got_cpl = f->cpl;
	memcpy(got_dst, f->data, 6);
}

static void join_by_another_process_seen(void **state)
{
	(void)state;
	save(fill);
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
	assert_int_equal(snic_srr_poll(s, 1, 8, collect, &n), 1);
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
		cmocka_unit_test_setup_teardown(delivers_by_domain_groups_and_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(join_by_another_process_seen, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
