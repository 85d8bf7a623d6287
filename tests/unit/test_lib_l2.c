/* SPDX-License-Identifier: MIT */
/*
 * libsnic: the L2 calls (include/snic/l2.h) against a responder thread
 * with a tiny device model written here from the ABI: the payloads as
 * sent, the device's refusals mapped to errors, the L2 state mirrored and
 * restored after a reset, the per-VNIC counters of the VSTATS block.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>
#include "snic.h"
#include "test_lib_fakewin.h"

#define USER_ENTRIES 56
#define MAX_VNICS    8     /* fake caps: max_vnics 8 */
#define OFF_VSTATSB  1024u /* a VSTATS block the tests chain in */
#define OFF_VENTRY   2048u

static uint8_t *win;
static pthread_t responder;
static volatile int stop_responder;
static volatile unsigned n_cmds;
static char state_path[64];
static struct snic_dev *dev;

/* The device model: VNICs with their L2 state, the last payload per opcode. */
static struct {
	int used;
	struct snic_vnic_create c;
	struct snic_vnic_l2 l2;
} mv[MAX_VNICS];
static struct { uint32_t len; uint8_t payload[SNIC_ADMIN_PAYLOAD]; } last[0x20];
static volatile int force_status;   /* answer every L2 command with this */

static void model_reset(void)
{
	memset(mv, 0, sizeof(mv));
}

static int model_l2(const struct snic_admin_cmd *c, uint16_t v)
{
	struct snic_vnic_l2 *l = &mv[v].l2;
	const struct snic_vnic_rxmode *r = (const void *)c->payload;
	const struct snic_vnic_vlans *vl = (const void *)c->payload;
	const struct snic_vnic_mac *m = (const void *)c->payload;
	const struct snic_vnic_policy *p = (const void *)c->payload;
	const struct snic_vnic_port_vlan *pv = (const void *)c->payload;

	switch (c->opcode) {
	case SNIC_CMD_VNIC_RXMODE:
		if ((r->flags & SNIC_RXMODE_PROMISC) && !(l->policy & SNIC_VPOL_TRUSTED))
			return SNIC_E_PERM;
		l->rxmode = r->flags;
		l->n_mc = r->n_mc;
		memcpy(l->mc, r->mc, sizeof(l->mc));
		return 0;
	case SNIC_CMD_VNIC_VLANS:
		l->n_vlans = vl->n;
		memcpy(l->vid, vl->vid, sizeof(l->vid));
		return 0;
	case SNIC_CMD_VNIC_MAC:
		if ((l->policy & SNIC_VPOL_MAC_LOCKED) && !(m->flags & SNIC_VMACF_OPERATOR))
			return SNIC_E_PERM;
		memcpy(l->mac, m->mac, 6);
		memcpy(mv[v].c.mac, m->mac, 6);
		return 0;
	case SNIC_CMD_VNIC_PORT_VLAN:
		l->port_vlan = pv->vid;
		l->policy &= SNIC_VPOL_ALL;
		if (pv->vid != SNIC_VLAN_NONE)
			l->policy |= (uint16_t)(SNIC_L2Q_PORT_VLAN | pv->pcp << SNIC_L2Q_PCP_SHIFT);
		return 0;
	case SNIC_CMD_VNIC_POLICY:
		l->policy = (uint16_t)(p->flags | (l->policy & ~SNIC_VPOL_ALL));
		if (!(p->flags & SNIC_VPOL_TRUSTED))
			l->rxmode &= (uint8_t)~SNIC_RXMODE_PROMISC;
		return 0;
	}
	return SNIC_E_OPCODE;
}

static void answer(const struct snic_admin_cmd *c, struct snic_admin_cpl *p)
{
	uint16_t v;

	memset(p, 0, sizeof(*p));
	p->opcode = c->opcode;
	p->seq = c->seq;
	memcpy(&v, c->payload, sizeof(v));
	if (c->opcode < 0x20) {
		last[c->opcode].len = c->len;
		memcpy(last[c->opcode].payload, c->payload, SNIC_ADMIN_PAYLOAD);
	}
	int known = v < MAX_VNICS && mv[v].used;
	switch (c->opcode) {
	case SNIC_CMD_VNIC_CREATE: {
		struct snic_vnic_info i;
		memset(&i, 0, sizeof(i));
		if (!(v < MAX_VNICS) || known) {
			p->status = v < MAX_VNICS ? SNIC_E_EXIST : SNIC_E_NOSPC;
			break;
		}
		mv[v].used = 1;
		memcpy(&mv[v].c, c->payload, sizeof(mv[v].c));
		mv[v].l2.vnic = v;
		mv[v].l2.port_vlan = mv[v].c.vlan;
		memcpy(mv[v].l2.mac, mv[v].c.mac, 6);
		i.vnic = v;
		i.vlan = mv[v].c.vlan;
		i.mac_rule = (uint16_t)(USER_ENTRIES + v);
		memcpy(i.mac, mv[v].c.mac, 6);
		memcpy(p->payload, &i, sizeof(i));
		p->len = sizeof(i);
		break;
	}
	case SNIC_CMD_VNIC_QUERY:
		p->status = known ? SNIC_E_OPCODE : SNIC_E_NOENT;   /* not needed here */
		break;
	case SNIC_CMD_VNIC_L2_QUERY:
		if (!known) {
			p->status = SNIC_E_NOENT;
			break;
		}
		memcpy(p->payload, &mv[v].l2, sizeof(mv[v].l2));
		p->len = force_status == -1 ? 16 : sizeof(mv[v].l2);   /* -1: short reply */
		break;
	case SNIC_CMD_VNIC_DESTROY:
		if (known)
			mv[v].used = 0;
		else
			p->status = SNIC_E_NOENT;
		break;
	case SNIC_CMD_RULE_QUERY:
		p->status = SNIC_E_NOENT;
		break;
	default:
		if (force_status > 0)
			p->status = (uint16_t)force_status;
		else
			p->status = !known ? SNIC_E_NOENT : (uint16_t)model_l2(c, v);
	}
}

static void *responder_main(void *arg)
{
	(void)arg;
	while (!stop_responder) {
		if (fw_admin_serve(win, answer))
			n_cmds++;
		else
			usleep(20);
	}
	return NULL;
}

static int setup(void **state)
{
	(void)state;
	win = fw_build();
	model_reset();
	memset(last, 0, sizeof(last));
	force_status = 0;
	snprintf(state_path, sizeof(state_path), "/tmp/snic-test-l2-%d.state", (int)getpid());
	unlink(state_path);
	stop_responder = 0;
	pthread_create(&responder, NULL, responder_main, NULL);
	dev = snic_alloc();
	assert_int_equal(snic_attach(dev, win, FW_SIZE), 0);
	snic_set_state_path(dev, state_path);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	stop_responder = 1;
	pthread_join(responder, NULL);
	snic_close(dev);
	free(win);
	unlink(state_path);
	return 0;
}

static void add_vnic(uint16_t id)
{
	struct snic_vnic_params p;
	memset(&p, 0, sizeof(p));
	p.id = id;
	p.vlan = SNIC_VLAN_NONE;
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, (uint8_t)(0x10 + id) };
	memcpy(p.mac, mac, 6);
	assert_int_equal(snic_vnic_create(dev, &p, NULL), 0);
}

static const uint8_t mc2[2][6] = { { 0x01, 0, 0x5e, 0, 0, 1 }, { 0x33, 0x33, 0, 0, 0, 1 } };

static void payloads_as_the_abi_says(void **state)
{
	(void)state;
	add_vnic(3);
	assert_int_equal(snic_vnic_rxmode(dev, 3, SNIC_RXMODE_ALLMULTI, mc2, 2), 0);
	struct snic_vnic_rxmode r;
	memset(&r, 0, sizeof(r));
	r.vnic = 3;
	r.flags = SNIC_RXMODE_ALLMULTI;
	r.n_mc = 2;
	memcpy(r.mc, mc2, sizeof(mc2));
	assert_int_equal(last[SNIC_CMD_VNIC_RXMODE].len, 104);
	assert_memory_equal(last[SNIC_CMD_VNIC_RXMODE].payload, &r, sizeof(r));

	const uint16_t vids[3] = { 10, 20, 4094 };
	assert_int_equal(snic_vnic_vlans(dev, 3, vids, 3), 0);
	const uint8_t want_vl[40] = { 3, 0, 3, 0, 0, 0, 0, 0, 10, 0, 20, 0, 0xfe, 0x0f };
	assert_int_equal(last[SNIC_CMD_VNIC_VLANS].len, 40);
	assert_memory_equal(last[SNIC_CMD_VNIC_VLANS].payload, want_vl, 40);

	const uint8_t mac[6] = { 2, 1, 2, 3, 4, 5 };
	assert_int_equal(snic_vnic_set_mac(dev, 3, mac, 1), 0);
	const uint8_t want_mac[12] = { 3, 0, SNIC_VMACF_OPERATOR, 0, 2, 1, 2, 3, 4, 5, 0, 0 };
	assert_int_equal(last[SNIC_CMD_VNIC_MAC].len, 12);
	assert_memory_equal(last[SNIC_CMD_VNIC_MAC].payload, want_mac, 12);

	assert_int_equal(snic_vnic_policy(dev, 3, SNIC_VPOL_ALL), 0);
	const uint8_t want_pol[8] = { 3, 0, 3, 0, 0, 0, 0, 0 };
	assert_int_equal(last[SNIC_CMD_VNIC_POLICY].len, 8);
	assert_memory_equal(last[SNIC_CMD_VNIC_POLICY].payload, want_pol, 8);

	struct snic_vnic_l2 l;
	assert_int_equal(snic_vnic_l2_query(dev, 3, &l), 0);
	assert_int_equal(last[SNIC_CMD_VNIC_L2_QUERY].len, sizeof(struct snic_vnic_ref));
	assert_int_equal(l.n_vlans, 3);
	assert_int_equal(l.vid[2], 4094);
	assert_memory_equal(l.mac, mac, 6);
	assert_int_equal(l.policy, SNIC_VPOL_ALL);
}

/* A local refusal: SNIC_ERR_ARG with the reason in the message. */
#define ARG_ERR(call, msg) do { \
	int rc_ = (call); \
	if (rc_ != SNIC_ERR_ARG || !strstr(snic_errmsg(dev), msg)) \
		fail_msg("%s: rc %d, '%s'", #call, rc_, snic_errmsg(dev)); \
} while (0)

static void bad_arguments_send_nothing(void **state)
{
	(void)state;
	add_vnic(1);
	unsigned before = n_cmds;
	uint8_t mc[17][6];
	for (unsigned i = 0; i < 17; i++) {
		memcpy(mc[i], mc2[0], 6);
		mc[i][5] = (uint8_t)i;
	}
	const uint8_t uni[1][6] = { { 2, 0, 0, 0, 0, 1 } };
	const uint8_t bc[1][6] = { { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	const uint8_t dup[2][6] = { { 1, 0, 0x5e, 0, 0, 9 }, { 1, 0, 0x5e, 0, 0, 9 } };
	const uint16_t v0[1] = { 0 }, v4095[1] = { 4095 }, vdup[2] = { 7, 7 };
	uint16_t v17[17];
	for (unsigned i = 0; i < 17; i++)
		v17[i] = (uint16_t)(i + 1);
	const uint8_t mcast[6] = { 1, 0, 0x5e, 0, 0, 1 }, zero[6] = { 0 };
	ARG_ERR(snic_vnic_rxmode(dev, 1, 0, mc, 17), "at most 16");
	ARG_ERR(snic_vnic_rxmode(dev, 1, 0, uni, 1), "not a multicast group");
	ARG_ERR(snic_vnic_rxmode(dev, 1, 0, bc, 1), "not a multicast group");
	ARG_ERR(snic_vnic_rxmode(dev, 1, 0, dup, 2), "listed twice");
	ARG_ERR(snic_vnic_rxmode(dev, 1, 0x04, NULL, 0), "unknown bits");
	ARG_ERR(snic_vnic_vlans(dev, 1, v0, 1), "outside 1..4094");
	ARG_ERR(snic_vnic_vlans(dev, 1, v4095, 1), "outside 1..4094");
	ARG_ERR(snic_vnic_vlans(dev, 1, vdup, 2), "listed twice");
	ARG_ERR(snic_vnic_vlans(dev, 1, v17, 17), "at most 16");
	ARG_ERR(snic_vnic_set_mac(dev, 1, mcast, 0), "group address");
	ARG_ERR(snic_vnic_set_mac(dev, 1, zero, 0), "all-zero");
	ARG_ERR(snic_vnic_policy(dev, 1, 0x04), "unknown bits");
	ARG_ERR(snic_vnic_policy(dev, 8, 0), "VNICs 0..7");
	ARG_ERR(snic_vnic_port_vlan(dev, 1, 0, 0), "outside 1..4094");
	ARG_ERR(snic_vnic_port_vlan(dev, 1, 4095, 0), "outside 1..4094");
	ARG_ERR(snic_vnic_port_vlan(dev, 1, 20, 8), "outside 0..7");
	ARG_ERR(snic_vnic_port_vlan(dev, 1, SNIC_VLAN_NONE, 3), "needs a VLAN");
	ARG_ERR(snic_vnic_port_vlan(dev, 8, 20, 0), "VNICs 0..7");
	assert_int_equal(n_cmds, before);
	const struct snic_mirror *m;
	assert_int_equal(snic_mirror_get(dev, &m), 0);
	assert_int_equal(m->l2[1].has, 0);
}

static void refusals_mapped_and_not_mirrored(void **state)
{
	(void)state;
	add_vnic(2);
	assert_int_equal(snic_vnic_policy(dev, 2, SNIC_VPOL_MAC_LOCKED), 0);
	const uint8_t mac[6] = { 2, 9, 9, 9, 9, 9 };
	assert_int_equal(snic_vnic_set_mac(dev, 2, mac, 0), SNIC_E_PERM);
	assert_non_null(strstr(snic_errmsg(dev), "VNIC_MAC: vnic 2"));
	assert_non_null(strstr(snic_errmsg(dev), "not permitted by the operator's policy (SNIC_E_PERM)"));
	assert_non_null(strstr(snic_errmsg(dev), "locked"));
	assert_int_equal(snic_vnic_rxmode(dev, 2, SNIC_RXMODE_PROMISC, NULL, 0), SNIC_E_PERM);
	assert_non_null(strstr(snic_errmsg(dev), "trusted"));
	const struct snic_mirror *m;
	assert_int_equal(snic_mirror_get(dev, &m), 0);
	assert_int_equal(m->l2[2].has, SNIC_ML2_POLICY);
	assert_memory_not_equal(m->vnic[2].params.mac, mac, 6);
	/* The operator may change a locked MAC; the mirror follows. */
	assert_int_equal(snic_vnic_set_mac(dev, 2, mac, 1), 0);
	assert_int_equal(snic_mirror_get(dev, &m), 0);
	assert_memory_equal(m->vnic[2].params.mac, mac, 6);
	assert_memory_equal(m->vnic[2].info.mac, mac, 6);

	force_status = SNIC_E_OPCODE;
	assert_int_equal(snic_vnic_vlans(dev, 2, NULL, 0), SNIC_E_OPCODE);
	assert_non_null(strstr(snic_errmsg(dev), "predates ABI 1.1"));
	force_status = SNIC_E_NOSPC;
	assert_int_equal(snic_vnic_rxmode(dev, 2, 0, mc2, 2), SNIC_E_NOSPC);
	assert_non_null(strstr(snic_errmsg(dev), "allmulti"));
	force_status = -1;
	struct snic_vnic_l2 l;
	assert_int_equal(snic_vnic_l2_query(dev, 2, &l), SNIC_ERR_PROTO);
	force_status = 0;
	assert_int_equal(snic_vnic_l2_query(dev, 5, &l), SNIC_E_NOENT);
	assert_non_null(strstr(snic_errmsg(dev), "vnic 5"));
}

static void trust_taken_clears_promisc_and_destroy_clears_all(void **state)
{
	(void)state;
	const struct snic_mirror *m;
	add_vnic(4);
	assert_int_equal(snic_vnic_policy(dev, 4, SNIC_VPOL_TRUSTED), 0);
	assert_int_equal(snic_vnic_rxmode(dev, 4, SNIC_RXMODE_PROMISC | SNIC_RXMODE_ALLMULTI,
					  NULL, 0), 0);
	assert_int_equal(snic_vnic_policy(dev, 4, 0), 0);
	assert_int_equal(snic_mirror_get(dev, &m), 0);
	assert_int_equal(m->l2[4].rxmode.flags, SNIC_RXMODE_ALLMULTI);
	assert_int_equal(m->l2[4].rxmode.vnic, 4);
	snic_set_auto_promote(dev, 0);
	assert_int_equal(snic_vnic_destroy(dev, 4), 0);
	assert_false(mv[4].used);
	assert_int_equal(snic_mirror_get(dev, &m), 0);
	assert_int_equal(m->l2[4].has, 0);
}

static unsigned n_items[3];
static char kinds[256];
static void count_item(void *arg, const struct snic_restore_item *it)
{
	(void)arg;
	n_items[it->result]++;
	if (strcmp(it->kind, "vnic"))
		snprintf(kinds + strlen(kinds), sizeof(kinds) - strlen(kinds), "%s%u ", it->kind,
			 it->id);
}

static void restore_reapplies_l2_state(void **state)
{
	(void)state;
	add_vnic(1);
	add_vnic(6);
	const uint8_t mac[6] = { 2, 0xaa, 0, 0, 0, 6 };
	const uint16_t vids[2] = { 100, 200 };
	assert_int_equal(snic_vnic_set_mac(dev, 6, mac, 0), 0);
	assert_int_equal(snic_vnic_policy(dev, 6, SNIC_VPOL_TRUSTED | SNIC_VPOL_MAC_LOCKED), 0);
	assert_int_equal(snic_vnic_vlans(dev, 6, vids, 2), 0);
	assert_int_equal(snic_vnic_rxmode(dev, 6, SNIC_RXMODE_PROMISC, mc2, 2), 0);
	struct snic_vnic_l2 before = mv[6].l2;

	/* The device loses everything, as after a firmware reset. */
	model_reset();
	((struct snic_blk_devid *)win)->reset_count++;
	assert_int_equal(snic_mirror_stale(dev), 1);
	memset(n_items, 0, sizeof(n_items));
	kinds[0] = 0;
	assert_int_equal(snic_restore(dev, count_item, NULL), 0);
	assert_int_equal(n_items[SNIC_RESTORE_FAILED], 0);
	/* Policy before receive mode: the model refuses PROMISC untrusted. */
	assert_string_equal(kinds, "policy6 vlans6 rxmode6 ");
	assert_true(mv[6].used && mv[1].used);
	assert_memory_equal(mv[6].c.mac, mac, 6);   /* re-created with its new MAC */
	assert_memory_equal(&mv[6].l2, &before, sizeof(before));
	assert_int_equal(mv[1].l2.policy, 0);
	assert_int_equal(mv[1].l2.n_mc, 0);
}

/* The operator's port VLAN: its payload, kept in the mirror and state file,
 * sent again by a restore after the policy; removed, it is forgotten. */
static void port_vlan_mirrored_and_restored(void **state)
{
	(void)state;
	add_vnic(2);
	add_vnic(3);
	assert_int_equal(snic_vnic_port_vlan(dev, 2, 20, 5), 0);
	const struct snic_vnic_port_vlan *sent = (const void *)last[SNIC_CMD_VNIC_PORT_VLAN].payload;
	assert_int_equal(last[SNIC_CMD_VNIC_PORT_VLAN].len, sizeof(*sent));
	assert_int_equal(sent->vnic, 2);
	assert_int_equal(sent->vid, 20);
	assert_int_equal(sent->pcp, 5);
	assert_int_equal(sent->flags | sent->rsvd, 0);
	assert_int_equal(snic_vnic_policy(dev, 2, SNIC_VPOL_TRUSTED), 0);
	assert_int_equal(snic_vnic_port_vlan(dev, 3, 30, 0), 0);
	assert_int_equal(snic_vnic_port_vlan(dev, 3, SNIC_VLAN_NONE, 0), 0);
	const struct snic_mirror *m;
	assert_int_equal(snic_mirror_get(dev, &m), 0);
	assert_int_equal(m->l2[2].has & SNIC_ML2_PVLAN, SNIC_ML2_PVLAN);
	assert_int_equal(m->l2[2].pvlan_vid, 20);
	assert_int_equal(m->l2[2].pvlan_pcp, 5);
	assert_int_equal(m->l2[3].has & SNIC_ML2_PVLAN, 0);
	struct snic_vnic_l2 before = mv[2].l2;

	model_reset();
	((struct snic_blk_devid *)win)->reset_count++;
	memset(n_items, 0, sizeof(n_items));
	kinds[0] = 0;
	assert_int_equal(snic_restore(dev, count_item, NULL), 0);
	assert_int_equal(n_items[SNIC_RESTORE_FAILED], 0);
	assert_string_equal(kinds, "policy2 port-vlan2 ");
	assert_memory_equal(&mv[2].l2, &before, sizeof(before));
	assert_int_equal(mv[3].l2.port_vlan, SNIC_VLAN_NONE);
}

static size_t read_state(uint8_t *buf, size_t cap)
{
	FILE *f = fopen(state_path, "rb");
	assert_non_null(f);
	size_t n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static void write_state(const uint8_t *buf, size_t n)
{
	FILE *f = fopen(state_path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	fclose(f);
}

/* The state file: version 3 (no L2 section) is still read; a damaged L2
 * record is refused before anything is sent. Header: magic, 16 words. */
static void state_file_l2_section(void **state)
{
	(void)state;
	static uint8_t buf[8192];
	const struct snic_mirror *m;
	add_vnic(1);
	size_t n = read_state(buf, sizeof(buf));
	uint32_t *w = (uint32_t *)(void *)(buf + 8);
	assert_int_equal(w[0], 6);              /* version */
	assert_int_equal(w[13], 0);             /* n_l2 */
	/* As a version 3 library wrote it: the header ends before l2_rec. */
	w[0] = 3;
	memmove(buf + 56, buf + 72, n - 72);
	write_state(buf, n - 16);
	assert_int_equal(snic_mirror_get(dev, &m), 0);
	assert_true(m->vnic[1].used);
	assert_int_equal(m->l2[1].has, 0);

	assert_int_equal(snic_vnic_policy(dev, 1, SNIC_VPOL_TRUSTED), 0);
	n = read_state(buf, sizeof(buf));
	assert_int_equal(w[0], 6);
	assert_int_equal(w[12], sizeof(struct snic_mirror_l2));
	assert_int_equal(w[13], 1);
	/* Unknown bits in the record's `has` (its first byte, the last record),
	 * checksum made right: the record itself is refused. */
	size_t rec = n - sizeof(struct snic_mirror_l2);
	buf[rec] |= 0x80;
	uint32_t fnv = 2166136261u;
	for (size_t i = 72; i < n; i++)
		fnv = (fnv ^ buf[i]) * 16777619u;
	w[7] = fnv;
	write_state(buf, n);
	unsigned before = n_cmds;
	assert_int_equal(snic_vnic_policy(dev, 1, 0), SNIC_ERR_STATEFILE);
	assert_non_null(strstr(snic_errmsg(dev), "bad L2 record"));
	assert_int_equal(n_cmds, before);
}

/* Chain a VSTATS block after TXQ with `count` entries; counters i*1000+k. */
static void add_vstats(uint32_t count, uint32_t first)
{
	((struct snic_block_hdr *)(win + OFF_TXQB))->next = OFF_VSTATSB;
	fw_hdr(win, OFF_VSTATSB, SNIC_BLK_VSTATS, 0, sizeof(struct snic_blk_vstats));
	struct snic_blk_vstats *b = (void *)(win + OFF_VSTATSB);
	b->count = count;
	b->stride = sizeof(struct snic_vnic_stats);
	b->first = first;
	b->group_frames = 7;
	b->group_copies = 12;
	b->group_unwanted = 2;
	for (uint32_t v = 0; v < count && first == OFF_VENTRY; v++) {
		uint64_t *w = (void *)(win + first + v * sizeof(struct snic_vnic_stats));
		for (unsigned k = 0; k < 12; k++)
			w[k] = v * 1000u + k;
	}
}

static void vstats_read_and_checked(void **state)
{
	(void)state;
	struct snic_vnic_stats s;
	struct snic_group_stats g;
	/* An older device: a clear error, not zeros. */
	assert_int_equal(snic_vnic_stats_read(dev, 0, &s), SNIC_ERR_NOBLOCK);
	assert_non_null(strstr(snic_errmsg(dev), "no VSTATS block"));
	assert_int_equal(snic_group_stats(dev, &g), SNIC_ERR_NOBLOCK);

	add_vstats(MAX_VNICS, OFF_VENTRY);
	struct snic_dev *d = snic_alloc();
	assert_int_equal(snic_attach(d, win, FW_SIZE), 0);
	assert_int_equal(snic_group_stats(d, &g), 0);
	assert_int_equal(g.count, MAX_VNICS);
	assert_true(g.frames == 7 && g.copies == 12 && g.unwanted == 2);
	assert_int_equal(snic_vnic_stats_read(d, 5, &s), 0);
	assert_int_equal(s.rx_packets, 5000);
	assert_int_equal(s.rx_broadcast, 5002);
	assert_int_equal(s.tx_drop_spoof, 5009);
	assert_int_equal(s.tx_drop_down, 5011);
	assert_int_equal(snic_vnic_stats_read(d, MAX_VNICS, &s), SNIC_ERR_ARG);
	assert_non_null(strstr(snic_errmsg(d), "VNICs 0..7"));
	snic_close(d);

	/* Entries outside the window: refused at attach, with the reason. */
	add_vstats(MAX_VNICS, FW_SIZE - 512);
	d = snic_alloc();
	assert_int_equal(snic_attach(d, win, FW_SIZE), SNIC_ERR_BLOCK);
	assert_non_null(strstr(snic_errmsg(d), "VSTATS block: 8 entries of 128 bytes"));
	snic_close(d);
}

/* The fake stream with an L2 record spliced in before END. */
static uint32_t caps_with(uint8_t *buf, const void *extra, uint32_t len, int twice)
{
	uint32_t n = fw_caps_records(buf) - sizeof(struct snic_cap_hdr);
	n = fw_put(buf, n, extra, len);
	if (twice)
		n = fw_put(buf, n, extra, len);
	struct snic_cap_hdr end = { SNIC_CAP_END, 1, sizeof(end) };
	return fw_put(buf, n, &end, sizeof(end));
}

static void caps_l2_record(void **state)
{
	(void)state;
	uint8_t buf[2048];
	struct snic_caps k;
	char err[200];
	uint32_t at = fw_caps_records(buf) - sizeof(struct snic_cap_hdr);

	assert_int_equal(snic_caps_parse(buf, at + 8, 0, &k, err, sizeof(err)), 0);
	assert_false(k.l2.present);   /* ABI 1.0 device: absent is fine */
	struct snic_cap_l2 l = { { SNIC_CAP_L2, 1, sizeof(l) }, 0x0f, 128, 64, 16, 16, 0 };
	uint32_t n = caps_with(buf, &l, sizeof(l), 0);
	assert_int_equal(snic_caps_parse(buf, n, 0, &k, err, sizeof(err)), 0);
	assert_true(k.l2.present);
	assert_int_equal(k.l2.flags, 0x0f);
	assert_int_equal(k.l2.mc_filters, 128);
	assert_int_equal(k.l2.vlan_filters, 64);
	assert_int_equal(k.l2.mc_per_vnic, 16);

	struct { struct snic_cap_l2 r; uint32_t len; int twice; const char *msg; } bad[] = {
		{ { { SNIC_CAP_L2, 1, 16 }, 1, 8, 8, 4, 4, 0 }, 16, 0, "length 16, needs 24" },
		{ { { SNIC_CAP_L2, 1, 24 }, 1, 64, 64, 17, 4, 0 }, 24, 0, "17 multicast" },
		{ { { SNIC_CAP_L2, 1, 24 }, 1, 8, 64, 16, 4, 0 }, 24, 0, "pools 8 / 64" },
		{ l, 24, 1, "second L2 record" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = caps_with(buf, &bad[i].r, bad[i].len, bad[i].twice);
		int rc = snic_caps_parse(buf, n, 0, &k, err, sizeof(err));
		char where[32];
		snprintf(where, sizeof(where), "byte %u", at + (bad[i].twice ? 24u : 0u));
		if (rc != SNIC_ERR_CAPS || !strstr(err, bad[i].msg) || !strstr(err, where))
			fail_msg("case %zu: rc %d, '%s'", i, rc, err);
	}
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(payloads_as_the_abi_says), T(bad_arguments_send_nothing),
		T(refusals_mapped_and_not_mirrored),
		T(trust_taken_clears_promisc_and_destroy_clears_all),
		T(restore_reapplies_l2_state), T(state_file_l2_section),
		T(vstats_read_and_checked), T(caps_l2_record),
		T(port_vlan_mirrored_and_restored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
