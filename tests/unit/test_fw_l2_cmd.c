/* SPDX-License-Identifier: MIT */
/*
 * The layer-2 admin commands (l2.h): every malformed command refused with
 * nothing changed, the pools' limits, MAC changes (RX and TX follow, lock,
 * operator, uniqueness, the exact-table path with no room), and destroy
 * and RESET clearing it all.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "core/exact_table.h"
#include "test_fw_l2.h"
#include "exact_helpers.h"

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t MAC_N[6] = { 0x02, 0, 0, 0, 0, 0x1a }; /* A's new MAC */
static const uint8_t PEER[6] = { 0x02, 0, 0, 0, 0, 0xee };
static const uint8_t MC1[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static uint8_t frame[2048];

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static struct snic_vnic_info boot_a(const char *profile)
{
	struct snic_vnic_info a;
	boot(profile);
	assert_int_equal(port_set(0, 1), SNIC_OK);
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, &a), SNIC_OK);
	rx_post(a.rx_ring, 32, 2048);
	return a;
}

/* Sends `len` bytes of payload p (`size` bytes, zero after it), which must
 * be refused with `want`, and proves the device area, the engine's tables
 * and the VNIC's L2 state unchanged. */
static void refused_len(uint16_t op, const void *p, uint32_t size, uint32_t len, int want,
			uint16_t vnic)
{
	struct snapshot s;
	struct snic_vnic_l2 before = l2_query(vnic);
	uint8_t buf[SNIC_ADMIN_PAYLOAD];
	memset(buf, 0, sizeof(buf));
	memcpy(buf, p, size);
	snap_take(&s);
	assert_int_equal(admin(op, buf, len, NULL), want);
	assert_true(snap_same(&s));
	snap_free(&s);
	struct snic_vnic_l2 after = l2_query(vnic);
	assert_memory_equal(&before, &after, sizeof(before));
}

static void refused(uint16_t op, const void *p, uint32_t size, int want, uint16_t vnic)
{
	refused_len(op, p, size, size, want, vnic);
}

static void test_malformed_refused(void **state)
{
	(void)state;
	struct snic_vnic_info a = boot_a("large");
	const uint16_t v = a.vnic, vids[2] = { 7, 8 };
	assert_int_equal(l2_vlans(v, 2, vids), SNIC_OK);
	assert_int_equal(l2_rxmode(v, SNIC_RXMODE_ALLMULTI, 1, &MC1), SNIC_OK);

	struct snic_vnic_rxmode rm, rm0 = { .vnic = v, .n_mc = 1 };
	memcpy(rm0.mc[0], MC1, 6);
	struct snic_vnic_vlans vl, vl0 = { .vnic = v, .n = 1, .vid = { 9 } };
	struct snic_vnic_mac mc, mc0 = { .vnic = v };
	memcpy(mc0.mac, MAC_N, 6);
	struct snic_vnic_policy po, po0 = { .vnic = v };
	struct snic_vnic_ref ref = { .vnic = v, .rsvd = 1 };

	/* Lengths: one byte short and one too many. */
	refused_len(SNIC_CMD_VNIC_RXMODE, &rm0, sizeof(rm0), sizeof(rm0) - 1, SNIC_E_LEN, v);
	refused_len(SNIC_CMD_VNIC_VLANS, &vl0, sizeof(vl0), sizeof(vl0) + 1, SNIC_E_LEN, v);
	refused_len(SNIC_CMD_VNIC_MAC, &mc0, sizeof(mc0), sizeof(mc0) - 1, SNIC_E_LEN, v);
	refused_len(SNIC_CMD_VNIC_POLICY, &po0, sizeof(po0), sizeof(po0) + 1, SNIC_E_LEN, v);
	refused_len(SNIC_CMD_VNIC_L2_QUERY, &ref, sizeof(ref), sizeof(ref) - 1, SNIC_E_LEN, v);
	refused(SNIC_CMD_VNIC_L2_QUERY, &ref, sizeof(ref), SNIC_E_INVAL, v);

#define RM(field_change, want) \
	do { rm = rm0; field_change; refused(SNIC_CMD_VNIC_RXMODE, &rm, sizeof(rm), want, v); } while (0)
	RM(rm.rsvd = 1, SNIC_E_INVAL);
	RM(rm.flags = 0x04, SNIC_E_INVAL);
	RM(rm.n_mc = SNIC_L2_MC_PER_VNIC + 1, SNIC_E_RANGE);
	RM(memset(rm.mc[0], 0xff, 6), SNIC_E_INVAL);        /* broadcast */
	RM(memcpy(rm.mc[0], MAC_B, 6), SNIC_E_INVAL);       /* unicast */
	RM(rm.mc[3][5] = 1, SNIC_E_INVAL);                  /* unused, not zero */
	RM((rm.n_mc = 2, memcpy(rm.mc[1], MC1, 6)), SNIC_E_INVAL); /* duplicate */
	RM(rm.vnic = 99, SNIC_E_NOENT);
	RM(rm.flags = SNIC_RXMODE_PROMISC, SNIC_E_PERM);    /* not trusted */
#define VL(field_change, want) \
	do { vl = vl0; field_change; refused(SNIC_CMD_VNIC_VLANS, &vl, sizeof(vl), want, v); } while (0)
	VL(vl.rsvd = 1, SNIC_E_INVAL);
	VL(vl.n = SNIC_L2_VLANS_PER_VNIC + 1, SNIC_E_RANGE);
	VL(vl.vid[0] = 0, SNIC_E_RANGE);
	VL(vl.vid[0] = 4095, SNIC_E_RANGE);
	VL((vl.n = 2, vl.vid[1] = 9), SNIC_E_INVAL);        /* duplicate */
	VL(vl.vid[5] = 3, SNIC_E_INVAL);                    /* unused, not zero */
	VL(vl.vnic = 99, SNIC_E_NOENT);
#define MC(field_change, want) \
	do { mc = mc0; field_change; refused(SNIC_CMD_VNIC_MAC, &mc, sizeof(mc), want, v); } while (0)
	MC(mc.rsvd = 1, SNIC_E_INVAL);
	MC(mc.flags = 0x02, SNIC_E_INVAL);
	MC(memcpy(mc.mac, MC1, 6), SNIC_E_INVAL);
	MC(memset(mc.mac, 0, 6), SNIC_E_INVAL);
	MC(mc.vnic = 99, SNIC_E_NOENT);
#define PO(field_change, want) \
	do { po = po0; field_change; refused(SNIC_CMD_VNIC_POLICY, &po, sizeof(po), want, v); } while (0)
	PO(po.rsvd = 1, SNIC_E_INVAL);
	PO(po.flags = 0x04, SNIC_E_INVAL);
	PO(po.vnic = 99, SNIC_E_NOENT);

	struct snic_vnic_l2 q = l2_query(v);
	assert_int_equal(q.rxmode, SNIC_RXMODE_ALLMULTI);
	assert_int_equal(q.n_vlans, 2);
	assert_int_equal(q.vid[0], 7);
	assert_int_equal(q.vid[1], 8);
	assert_int_equal(q.n_mc, 1);
	assert_memory_equal(q.mc[0], MC1, 6);
	assert_memory_equal(q.mac, MAC_A, 6);
	assert_int_equal(q.port_vlan, SNIC_VLAN_NONE);
}

/* 64 VLAN entries device-wide: the fifth VNIC of 16 finds the pool full. */
static void test_pool_nospc(void **state)
{
	(void)state;
	boot("large");
	uint16_t id[5], vids[16];
	uint8_t mcs[16][6];
	for (unsigned i = 0; i < 16; i++) {
		vids[i] = (uint16_t)(100 + i);
		memcpy(mcs[i], MC1, 6);
		mcs[i][5] = (uint8_t)(0x10 + i);
	}
	for (unsigned i = 0; i < 5; i++) {
		struct snic_vnic_info vi;
		uint8_t mac[6] = { 0x02, 0, 0, 0, 1, (uint8_t)i };
		assert_int_equal(vnic_create(SNIC_ID_ANY, mac, SNIC_VLAN_NONE, 0, 0, &vi), SNIC_OK);
		id[i] = vi.vnic;
	}
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(l2_vlans(id[i], 16, vids), SNIC_OK);
		assert_int_equal(l2_rxmode(id[i], 0, 16, mcs), SNIC_OK);
	}
	assert_int_equal(l2_vlans(id[4], 2, vids), SNIC_E_NOSPC);
	assert_int_equal(l2_rxmode(id[4], SNIC_RXMODE_ALLMULTI, 1, mcs), SNIC_E_NOSPC);
	struct snic_vnic_l2 q = l2_query(id[4]);
	assert_int_equal(q.n_vlans + q.n_mc + q.rxmode, 0); /* nothing changed */
	/* A full VNIC may replace its own list: its entries count as room. */
	assert_int_equal(l2_vlans(id[0], 16, vids + 0), SNIC_OK);
	assert_int_equal(l2_vlans(id[0], 3, vids + 5), SNIC_OK);
	q = l2_query(id[0]);
	assert_int_equal(q.n_vlans, 3);
	assert_int_equal(q.vid[0], 105);
	assert_int_equal(q.vid[2], 107);
	/* Destroy gives the entries back. */
	struct snic_vnic_ref r = { .vnic = id[1] };
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &r, sizeof(r), NULL), SNIC_OK);
	assert_int_equal(l2_vlans(id[4], 16, vids), SNIC_OK);
	assert_int_equal(l2_rxmode(id[4], 0, 16, mcs), SNIC_OK);
}

static int rx_to(const uint8_t *dmac)
{
	uint32_t len = make_eth(frame, dmac, PEER, SNIC_VLAN_NONE, 0x88b5, 50);
	rx_frame(frame, len, 0);
	fw_poll(tfw);
	return fake->last_reason;
}

/* A's frame from `smac` on its TX ring: 1 when it left. */
static int tx_from(const struct snic_vnic_info *a, const uint8_t *smac)
{
	unsigned n = fake->n_tx;
	uint32_t len = make_eth(frame, PEER, smac, SNIC_VLAN_NONE, 0x88b5, 50);
	tx_queue(a->tx_ring, frame, len);
	fw_poll(tfw);
	return fake->n_tx == n + 1;
}

static void mac_change(const char *profile)
{
	struct snic_vnic_info a = boot_a(profile), b;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_B, SNIC_VLAN_NONE, 0, 0, &b), SNIC_OK);
	assert_int_equal(l2_mac(a.vnic, 0, MAC_B), SNIC_E_EXIST);
	assert_int_equal(l2_mac(a.vnic, 0, MAC_A), SNIC_OK); /* its own: nothing to do */
	assert_int_equal(l2_mac(a.vnic, 0, MAC_N), SNIC_OK);
	assert_memory_equal(l2_query(a.vnic).mac, MAC_N, 6);
	struct snic_vnic_ref ref = { .vnic = a.vnic };
	struct snic_admin_cpl cpl;
	assert_int_equal(admin(SNIC_CMD_VNIC_QUERY, &ref, sizeof(ref), &cpl), SNIC_OK);
	assert_memory_equal(((struct snic_vnic_info *)cpl.payload)->mac, MAC_N, 6);
	/* RX follows at once; the old MAC is nobody's. */
	assert_int_equal(rx_to(MAC_N), HAL_DELIVERED);
	assert_int_equal(rx_to(MAC_A), SNIC_DROP_NO_MATCH);
	struct snic_rx_cpl c = { 0 };
	assert_int_equal(rx_drain(a.rx_ring, &c), 1);
	assert_int_equal(c.vnic, a.vnic);
	assert_true(c.flags & SNIC_RXF_HIT);
	/* TX: the old MAC is spoofing now. */
	uint64_t spoof = stats()->drops[SNIC_DROP_TX_SPOOF];
	assert_false(tx_from(&a, MAC_A));
	assert_true(tx_from(&a, MAC_N));
	assert_int_equal(stats()->drops[SNIC_DROP_TX_SPOOF], spoof + 1);
	assert_int_equal(vst(a.vnic)->tx_drop_spoof, 1);
	/* Locked: the driver is refused, the operator is not. */
	assert_int_equal(l2_policy(a.vnic, SNIC_VPOL_MAC_LOCKED), SNIC_OK);
	assert_int_equal(l2_mac(a.vnic, 0, MAC_A), SNIC_E_PERM);
	assert_memory_equal(l2_query(a.vnic).mac, MAC_N, 6);
	assert_int_equal(l2_mac(a.vnic, SNIC_VMACF_OPERATOR, MAC_A), SNIC_OK);
	assert_int_equal(rx_to(MAC_A), HAL_DELIVERED);
	assert_int_equal(rx_to(MAC_N), SNIC_DROP_NO_MATCH);
	/* Unique per port VLAN only: B's MAC in VLAN 10 is fine. */
	struct snic_vnic_info d;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_N, 10, 0, 0, &d), SNIC_OK);
	assert_int_equal(l2_mac(d.vnic, 0, MAC_B), SNIC_OK);
}

static void test_mac_change_ternary(void **state) { (void)state; mac_change("small"); }
static void test_mac_change_exact(void **state) { (void)state; mac_change("large"); }

/* Exact table with no room for the new key: SNIC_E_NOSPC, old key back. */
static void test_mac_exact_nospc(void **state)
{
	(void)state;
	struct snic_vnic_info a = boot_a("large");
	const uint64_t ka = key_of_mac(MAC_A, SNIC_VLAN_NONE);
	assert_true(engine_slot(ka, NULL) >= 0);
	/* Fill the table until insertions keep failing. */
	unsigned fails = 0;
	for (unsigned i = 0; i < 4 * SLOTS && fails < 64; i++) {
		struct snic_action act = act_n(a.vnic);
		fails = fw_exact_insert(tfw, rand_key(), &act, NULL) == SNIC_OK ? 0 : fails + 1;
	}
	assert_int_equal(fails, 64);
	int32_t slot_a = engine_slot(ka, NULL); /* the fill may have moved it */
	int refused_n = 0;
	for (unsigned i = 0; i < 200 && !refused_n; i++) {
		uint8_t mac[6] = { 0x02, 0x77, (uint8_t)i, (uint8_t)(i >> 8), 0x5a, 0x01 };
		struct snapshot s;
		snap_take(&s);
		int st = l2_mac(a.vnic, 0, mac);
		if (st == SNIC_E_NOSPC) {
			refused_n++;
			assert_true(snap_same(&s));
			assert_int_equal(engine_slot(ka, NULL), slot_a);
			assert_int_equal(engine_slot(key_of_mac(mac, SNIC_VLAN_NONE), NULL), -1);
		} else {
			/* It fitted: put A's MAC back for the next try. */
			assert_int_equal(st, SNIC_OK);
			assert_int_equal(l2_mac(a.vnic, 0, MAC_A), SNIC_OK);
			slot_a = engine_slot(ka, NULL);
		}
		snap_free(&s);
	}
	assert_int_equal(refused_n, 1);
	assert_memory_equal(l2_query(a.vnic).mac, MAC_A, 6);
	assert_int_equal(rx_to(MAC_A), HAL_DELIVERED);
}

/* Destroy and RESET clear the L2 state; a new VNIC starts from zero. */
static void test_destroy_reset_clear(void **state)
{
	(void)state;
	struct snic_vnic_info a = boot_a("large");
	const uint16_t vid = 10;
	assert_int_equal(l2_vlans(a.vnic, 1, &vid), SNIC_OK);
	assert_int_equal(l2_policy(a.vnic, SNIC_VPOL_ALL), SNIC_OK);
	assert_int_equal(l2_rxmode(a.vnic, SNIC_RXMODE_PROMISC, 1, &MC1), SNIC_OK);
	assert_int_equal(l2_mac(a.vnic, SNIC_VMACF_OPERATOR, MAC_N), SNIC_OK);
	assert_int_equal(rx_to(MAC_N), HAL_DELIVERED);
	assert_int_equal(vst(a.vnic)->rx_packets, 1);

	struct snic_vnic_ref r = { .vnic = a.vnic };
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &r, sizeof(r), NULL), SNIC_OK);
	assert_int_equal(admin(SNIC_CMD_VNIC_L2_QUERY, &r, sizeof(r), NULL), SNIC_E_NOENT);
	assert_int_equal(rx_to(MAC_N), SNIC_DROP_NO_MATCH);
	struct snic_vnic_info a2;
	assert_int_equal(vnic_create(a.vnic, MAC_A, SNIC_VLAN_NONE, 0, 0, &a2), SNIC_OK);
	struct snic_vnic_l2 q = l2_query(a2.vnic);
	assert_int_equal(q.rxmode + q.policy + q.n_mc + q.n_vlans, 0);
	assert_memory_equal(q.mac, MAC_A, 6);
	static const struct snic_vnic_stats zero;
	assert_memory_equal(vst(a2.vnic), &zero, sizeof(zero));

	assert_int_equal(l2_vlans(a2.vnic, 1, &vid), SNIC_OK);
	assert_int_equal(admin(SNIC_CMD_RESET, NULL, 0, NULL), SNIC_OK);
	assert_int_equal(vnic_create(a.vnic, MAC_A, SNIC_VLAN_NONE, 0, 0, &a2), SNIC_OK);
	q = l2_query(a2.vnic);
	assert_int_equal(q.n_vlans, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_malformed_refused, teardown),
		cmocka_unit_test_teardown(test_pool_nospc, teardown),
		cmocka_unit_test_teardown(test_mac_change_ternary, teardown),
		cmocka_unit_test_teardown(test_mac_change_exact, teardown),
		cmocka_unit_test_teardown(test_mac_exact_nospc, teardown),
		cmocka_unit_test_teardown(test_destroy_reset_clear, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
