/* SPDX-License-Identifier: MIT */
/*
 * VNIC MACs per uplink domain (l2.h, firmware/core/vnic_mac.c): bond
 * slaves on different uplinks may share a MAC (create and VNIC_MAC), the
 * same uplink or bond may not; unicast to a shared MAC goes to the sharer
 * whose domain holds the ingress port, on the ternary ("small") and exact
 * ("large") profiles; a frame on a foreign uplink is unclaimed; the
 * shared exact entry passes to a remaining sharer without a gap.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "core/exact_table.h"
#include "test_fw_l2.h"
#include "team_helpers.h"
#include "exact_helpers.h"

static const uint8_t M[6] = { 0x02, 0x20, 0, 0, 0, 0x01 };   /* the bond's MAC */
static const uint8_t M2[6] = { 0x02, 0x20, 0, 0, 0, 0x02 };
static const uint8_t PEER[6] = { 0x02, 0, 0, 0, 0, 0xee };
static uint8_t frame[2048];

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static void boot_up(const char *profile)
{
	boot(profile);
	for (uint8_t p = 0; p < fake->hw.n_uplinks; p++)
		assert_int_equal(port_set(p, 1), SNIC_OK);
	rx_post(0, 32, 2048); /* the shared ring */
}

/* A VNIC with `mac` on `uplink` (untagged), buffers on its ring. */
static struct snic_vnic_info mk(const uint8_t *mac, uint8_t uplink)
{
	struct snic_vnic_info vi;
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac, SNIC_VLAN_NONE, 0, uplink, &vi), SNIC_OK);
	if (vi.rx_ring != 0)
		rx_post(vi.rx_ring, 16, 2048);
	return vi;
}

static void queue(const uint8_t *dmac, uint8_t port)
{
	uint32_t len = make_eth(frame, dmac, PEER, SNIC_VLAN_NONE, 0x0800, 46);
	rx_frame(frame, len, port);
}

/* One unicast frame to dmac on `port`; its verdict. */
static int send(const uint8_t *dmac, uint8_t port)
{
	queue(dmac, port);
	fw_poll(tfw);
	return fake->last_reason;
}

/* Claimed (MAC-hit) completions for vi on its ring since the last look. */
static unsigned got(const struct snic_vnic_info *vi)
{
	struct snic_rx_cpl c;
	unsigned n = 0;
	while (rx_take(vi->rx_ring, &c)) {
		if (c.vnic != vi->vnic)
			continue; /* the shared ring: another VNIC's */
		assert_true(c.flags & SNIC_RXF_HIT);
		assert_false(c.flags & SNIC_RXF_GROUP);
		n++;
	}
	return n;
}

static struct snic_team_set bond_of(uint8_t b, uint8_t u0, uint8_t u1)
{
	const uint8_t m[2] = { u0, u1 };
	return bond_cfg(b, SNIC_TEAM_SRC_MAC, 2, m, NULL);
}

static void create_rule(const char *profile)
{
	boot_up(profile);
	struct snic_vnic_info a = mk(M, 0);
	assert_int_equal(vnic_create(SNIC_ID_ANY, M, SNIC_VLAN_NONE, 0, 0, NULL), SNIC_E_EXIST);
	struct snic_vnic_info b = mk(M, 1); /* another unbonded uplink */
	assert_int_not_equal(a.vnic, b.vnic);
	assert_int_equal(vnic_create(SNIC_ID_ANY, M, SNIC_VLAN_NONE, 0, 1, NULL), SNIC_E_EXIST);
	/* A port VLAN is a key of its own, on any uplink. */
	assert_int_equal(vnic_create(SNIC_ID_ANY, M, 10, 0, 0, NULL), SNIC_OK);
	assert_int_equal(vnic_create(SNIC_ID_ANY, M, 10, 0, 0, NULL), SNIC_E_EXIST);
}

static void test_create_ternary(void **state)
{
	(void)state;
	create_rule("small");
}

static void test_create_exact(void **state)
{
	(void)state;
	create_rule("large");
}

/* Bonds: a bond and an uplink outside it, two bonds: shared; the same
 * bond twice: taken. */
static void test_create_bonds(void **state)
{
	(void)state;
	boot_up("large");
	struct snic_team_set b0 = bond_of(0, 0, 1), b1 = bond_of(1, 2, 3);
	assert_int_equal(team_cmd(&b0, NULL), SNIC_OK);
	mk(M, BOND(0));
	assert_int_equal(vnic_create(SNIC_ID_ANY, M, SNIC_VLAN_NONE, 0, BOND(0), NULL), SNIC_E_EXIST);
	mk(M, 2);
	assert_int_equal(vnic_create(SNIC_ID_ANY, M2, SNIC_VLAN_NONE, 0, 3, NULL), SNIC_OK);
	/* Bond 1 over 2 and 3 is refused while VNICs use them unbonded. */
	assert_int_equal(team_cmd(&b1, NULL), SNIC_E_BUSY);
	fake_teardown();
	boot_up("large");
	assert_int_equal(team_cmd(&b0, NULL), SNIC_OK);
	assert_int_equal(team_cmd(&b1, NULL), SNIC_OK);
	mk(M, BOND(0));
	mk(M, BOND(1));
	assert_int_equal(vnic_create(SNIC_ID_ANY, M, SNIC_VLAN_NONE, 0, BOND(1), NULL), SNIC_E_EXIST);
}

/* Two sharers cannot both send on the shared TRR, which tells senders
 * apart by source MAC; one of them can. */
static void test_shared_tx_ring(void **state)
{
	(void)state;
	boot_up("small");
	struct snic_vnic_info a, b, c;
	assert_int_equal(vnic_create(SNIC_ID_ANY, M, SNIC_VLAN_NONE, SNIC_VNICF_SW_ONLY, 0, &a),
			 SNIC_OK);
	assert_int_equal(vnic_create(SNIC_ID_ANY, M, SNIC_VLAN_NONE, SNIC_VNICF_SW_ONLY, 1, NULL),
			 SNIC_E_EXIST);
	assert_int_equal(vnic_create(SNIC_ID_ANY, M, SNIC_VLAN_NONE, 0, 1, &b), SNIC_OK);
	assert_int_not_equal(b.tx_ring, 0);
	assert_int_equal(vnic_create(SNIC_ID_ANY, M2, SNIC_VLAN_NONE, SNIC_VNICF_SW_ONLY, 1, &c),
			 SNIC_OK);
	assert_int_equal(b.vnic, a.vnic + 1); /* the refused create left no trace */
	struct snic_vnic_ref r = { .vnic = b.vnic };
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &r, sizeof(r), NULL), SNIC_OK);
	assert_int_equal(l2_mac(c.vnic, 0, M), SNIC_E_EXIST);
	assert_memory_equal(l2_query(c.vnic).mac, M2, 6);
	r.vnic = a.vnic;
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &r, sizeof(r), NULL), SNIC_OK);
	assert_int_equal(l2_mac(c.vnic, 0, M), SNIC_OK);
}

/* VNIC_MAC follows the same rule; a refused change changes nothing. */
static void test_vnic_mac_rule(void **state)
{
	(void)state;
	boot_up("large");
	struct snic_vnic_info a = mk(M, 0);
	struct snic_vnic_info b = mk(M2, 1);
	struct snic_vnic_info c = mk(M2, 0);
	assert_int_equal(l2_mac(c.vnic, 0, M), SNIC_E_EXIST); /* a has it on uplink 0 */
	assert_memory_equal(l2_query(c.vnic).mac, M2, 6);
	assert_int_equal(send(M2, 0), HAL_DELIVERED);
	assert_int_equal(got(&c), 1);
	assert_int_equal(l2_mac(b.vnic, 0, M), SNIC_OK); /* uplink 1: shared with a */
	assert_memory_equal(l2_query(b.vnic).mac, M, 6);
	assert_int_equal(send(M, 1), HAL_DELIVERED);
	assert_int_equal(got(&b), 1);
	assert_int_equal(send(M, 0), HAL_DELIVERED);
	assert_int_equal(got(&a), 1);
	assert_int_equal(got(&b), 0);
}

/* Unicast to a shared MAC by port, also several ports in one batch (the
 * steering memo is per port); a foreign port: unclaimed, no_match. */
static void rx_by_port(const char *profile)
{
	boot_up(profile);
	/* a's entry is the one hit (lower index, or named by the exact
	 * entry): frames on uplink 1 are redirected to b. */
	struct snic_vnic_info a = mk(M, 0);
	struct snic_vnic_info b = mk(M, 1);
	mk(M2, 0);
	queue(M, 1);
	queue(M, 0);
	queue(M, 1);
	queue(M, 1);
	fw_poll(tfw);
	assert_int_equal(fake->delivered, 4);
	assert_int_equal(got(&a), 1);
	assert_int_equal(got(&b), 3);
	assert_int_equal(vst(a.vnic)->rx_packets, 1);
	assert_int_equal(vst(b.vnic)->rx_packets, 3);
	/* M2 on uplink 1: nobody's there. */
	uint64_t nm = stats()->drops[SNIC_DROP_NO_MATCH];
	assert_int_equal(send(M2, 1), SNIC_DROP_NO_MATCH);
	assert_int_equal(stats()->drops[SNIC_DROP_NO_MATCH], nm + 1);
	assert_int_equal(send(M2, 0), HAL_DELIVERED);
}

static void test_rx_ternary(void **state)
{
	(void)state;
	rx_by_port("small");
}

static void test_rx_exact(void **state)
{
	(void)state;
	rx_by_port("large");
}

/* A foreign-port frame is unclaimed: a trusted promiscuous VNIC of that
 * port's domain gets it as a group copy, the MAC's VNIC does not. */
static void test_foreign_promisc(void **state)
{
	(void)state;
	boot_up("large");
	struct snic_vnic_info a = mk(M, 0);
	struct snic_vnic_info p = mk(M2, 1);
	assert_int_equal(l2_policy(p.vnic, SNIC_VPOL_TRUSTED), SNIC_OK);
	assert_int_equal(l2_rxmode(p.vnic, SNIC_RXMODE_PROMISC, 0, NULL), SNIC_OK);
	assert_int_equal(send(M, 1), HAL_DELIVERED);
	assert_int_equal(got(&a), 0);
	struct snic_rx_cpl c;
	assert_int_equal(rx_take(p.rx_ring, &c), 1);
	assert_int_equal(c.vnic, p.vnic);
	assert_true(c.flags & SNIC_RXF_GROUP);
}

/* A VNIC on a bond takes its unicast on every member, the standby too. */
static void test_bond_members(void **state)
{
	(void)state;
	static const uint8_t m[2] = { 0, 1 }, roles[2] = { SNIC_TEAM_ACTIVE, SNIC_TEAM_STANDBY };
	boot_up("large");
	struct snic_team_set cfg = bond_cfg(0, SNIC_TEAM_PORT_ID, 2, m, roles);
	assert_int_equal(team_cmd(&cfg, NULL), SNIC_OK);
	fw_poll(tfw);
	struct snic_vnic_info a = mk(M, BOND(0));
	struct snic_vnic_info u = mk(M, 2);
	assert_int_equal(send(M, 0), HAL_DELIVERED);
	assert_int_equal(send(M, 1), HAL_DELIVERED);
	assert_int_equal(got(&a), 2);
	assert_int_equal(send(M, 2), HAL_DELIVERED);
	assert_int_equal(got(&u), 1);
	assert_int_equal(got(&a), 0);
	assert_int_equal(send(M, 3), SNIC_DROP_NO_MATCH);
	/* Unicast in a member VLAN (group delivery's owner rule): every
	 * member too. */
	static const uint16_t vid[1] = { 30 };
	assert_int_equal(l2_vlans(a.vnic, 1, vid), SNIC_OK);
	for (uint8_t port = 0; port < 2; port++) {
		uint32_t len = make_eth(frame, M, PEER, 30, 0x0800, 46);
		rx_frame(frame, len, port);
		fw_poll(tfw);
		assert_int_equal(fake->last_reason, HAL_DELIVERED);
		struct snic_rx_cpl c;
		assert_int_equal(rx_take(a.rx_ring, &c), 1);
		assert_int_equal(c.vnic, a.vnic);
		assert_true(c.flags & SNIC_RXF_GROUP);
	}
}

/* Exact profile: the one entry of (M, untagged) names `who`. */
static void entry_names(uint16_t who)
{
	struct snic_action fa, ea;
	uint64_t key = fw_exact_mac_key(M, SNIC_VLAN_NONE);
	assert_true(fw_exact_find(tfw, key, NULL, &fa));
	assert_int_equal(fa.vnic, who);
	assert_true(engine_slot(key, &ea) >= 0);
	assert_int_equal(ea.vnic, who);
}

/* Every exact-slot write while armed: the shared key must stay found. */
static unsigned gaps;
static void keep_hook(uint32_t slot, const struct snic_exact_slot *old)
{
	(void)slot;
	(void)old;
	if (engine_slot(fw_exact_mac_key(M, SNIC_VLAN_NONE), NULL) < 0)
		gaps++;
}

/* Destroying the VNIC the shared entry names hands it over in place; the
 * last sharer takes it away. */
static void test_exact_handover_destroy(void **state)
{
	(void)state;
	boot_up("large");
	struct snic_vnic_info a = mk(M, 0);
	struct snic_vnic_info b = mk(M, 1);
	entry_names(a.vnic);
	assert_int_equal(fw_exact_get_stats(tfw)->used, 1);
	gaps = 0;
	fake->x_hook = keep_hook;
	struct snic_vnic_ref r = { .vnic = a.vnic };
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &r, sizeof(r), NULL), SNIC_OK);
	fake->x_hook = NULL;
	assert_int_equal(gaps, 0);
	entry_names(b.vnic);
	assert_int_equal(send(M, 1), HAL_DELIVERED);
	assert_int_equal(got(&b), 1);
	assert_int_equal(send(M, 0), SNIC_DROP_NO_MATCH);
	r.vnic = b.vnic;
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &r, sizeof(r), NULL), SNIC_OK);
	assert_false(fw_exact_find(tfw, fw_exact_mac_key(M, SNIC_VLAN_NONE), NULL, NULL));
	assert_int_equal(engine_slot(fw_exact_mac_key(M, SNIC_VLAN_NONE), NULL), -1);
	assert_int_equal(fw_exact_get_stats(tfw)->used, 0);
}

/* The named VNIC changes its MAC: the entry passes to the other sharer;
 * changing back joins that entry; the other's ring move leaves it alone. */
static void test_exact_handover_mac(void **state)
{
	(void)state;
	boot_up("large");
	struct snic_vnic_info a = mk(M, 0);
	struct snic_vnic_info b = mk(M, 1);
	gaps = 0;
	fake->x_hook = keep_hook;
	assert_int_equal(l2_mac(a.vnic, 0, M2), SNIC_OK);
	fake->x_hook = NULL;
	assert_int_equal(gaps, 0);
	entry_names(b.vnic);
	assert_int_equal(fw_exact_get_stats(tfw)->used, 2);
	assert_int_equal(send(M, 1), HAL_DELIVERED);
	assert_int_equal(got(&b), 1);
	assert_int_equal(send(M2, 0), HAL_DELIVERED);
	assert_int_equal(got(&a), 1);
	assert_int_equal(send(M, 0), SNIC_DROP_NO_MATCH);
	/* Back to M: b's entry serves a too; M2's entry goes. */
	assert_int_equal(l2_mac(a.vnic, 0, M), SNIC_OK);
	entry_names(b.vnic);
	assert_false(fw_exact_find(tfw, fw_exact_mac_key(M2, SNIC_VLAN_NONE), NULL, NULL));
	assert_int_equal(fw_exact_get_stats(tfw)->used, 1);
	struct snic_ring_bind rb = { .ring = a.rx_ring, .vnic = SNIC_VNIC_NONE };
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &rb, sizeof(rb), NULL), SNIC_OK);
	entry_names(b.vnic);
	assert_int_equal(send(M, 0), HAL_DELIVERED);
	struct snic_rx_cpl c;
	assert_int_equal(rx_take(0, &c), 1); /* a is on the shared ring now */
	assert_int_equal(c.vnic, a.vnic);
	assert_true(c.flags & SNIC_RXF_MARK_SW);
	assert_int_equal(send(M, 1), HAL_DELIVERED);
	assert_int_equal(got(&b), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_create_ternary, teardown),
		cmocka_unit_test_teardown(test_create_exact, teardown),
		cmocka_unit_test_teardown(test_create_bonds, teardown),
		cmocka_unit_test_teardown(test_shared_tx_ring, teardown),
		cmocka_unit_test_teardown(test_vnic_mac_rule, teardown),
		cmocka_unit_test_teardown(test_rx_ternary, teardown),
		cmocka_unit_test_teardown(test_rx_exact, teardown),
		cmocka_unit_test_teardown(test_foreign_promisc, teardown),
		cmocka_unit_test_teardown(test_bond_members, teardown),
		cmocka_unit_test_teardown(test_exact_handover_destroy, teardown),
		cmocka_unit_test_teardown(test_exact_handover_mac, teardown),
	};
	return cmocka_run_group_tests_name("fw_mac_domain", tests, NULL, NULL);
}
