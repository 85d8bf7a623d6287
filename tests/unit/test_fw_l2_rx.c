/* SPDX-License-Identifier: MIT */
/*
 * Group delivery (l2.h) through the native firmware and the fake engine:
 * broadcast per L2 domain (untagged, VLANs, other uplink, bond member),
 * multicast to joiners, promiscuous only when trusted and only unclaimed
 * frames, rules first, member-VLAN unicast, frames the wire made up.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "test_fw_l2.h"
#include "team_helpers.h"

static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t MC1[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t MC2[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t PEER[6] = { 0x02, 0, 0, 0, 0, 0xee };
static const uint8_t NOBODY[6] = { 0x02, 0, 0, 0, 0, 0x77 };
static uint8_t frame[4096];

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static uint8_t mac_n(unsigned n, uint8_t out[6])
{
	static const uint8_t base[6] = { 0x02, 0x10, 0, 0, 0, 0 };
	memcpy(out, base, 6);
	out[5] = (uint8_t)n;
	return out[5];
}

/* VNIC n (MAC 02:10:00:00:00:n) with buffers posted on its RX ring. */
static struct snic_vnic_info mk(unsigned n, uint16_t vlan, uint16_t flags, uint8_t uplink)
{
	struct snic_vnic_info vi;
	uint8_t mac[6];
	mac_n(n, mac);
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac, vlan, flags, uplink, &vi), SNIC_OK);
	if (vi.rx_ring != 0)
		rx_post(vi.rx_ring, 16, 2048);
	return vi;
}

static void boot_up(void)
{
	boot("large");
	for (uint8_t p = 0; p < 4; p++)
		assert_int_equal(port_set(p, 1), SNIC_OK);
	rx_post(0, 32, 2048); /* the shared ring */
}

/* One frame to dmac (tagged vlan or untagged) on `port`; its verdict. */
static int send(const uint8_t *dmac, uint16_t vlan, uint8_t port)
{
	uint32_t len = make_eth(frame, dmac, PEER, vlan, 0x0806, 46);
	rx_frame(frame, len, port);
	fw_poll(tfw);
	return fake->last_reason;
}

/* Completions on vi's ring for vi since the last look; checks each is a
 * group copy for vi. */
static unsigned got(const struct snic_vnic_info *vi)
{
	struct snic_rx_cpl c = { 0 };
	unsigned n = 0;
	while (rx_take(vi->rx_ring, &c)) {
		assert_int_equal(c.vnic, vi->vnic);
		assert_true(c.flags & SNIC_RXF_GROUP);
		assert_false(c.flags & SNIC_RXF_HIT);
		assert_int_equal(c.rule, SNIC_RULE_MISS);
		assert_int_equal(!!(c.flags & SNIC_RXF_MARK_SW), vi->rx_ring == 0);
		n++;
	}
	return n;
}

static void test_broadcast_domains(void **state)
{
	(void)state;
	boot_up();
	struct snic_vnic_info a = mk(1, SNIC_VLAN_NONE, 0, 0);
	struct snic_vnic_info b = mk(2, 10, 0, 0);
	struct snic_vnic_info c = mk(3, SNIC_VLAN_NONE, 0, 0);
	struct snic_vnic_info d = mk(4, SNIC_VLAN_NONE, 0, 1);              /* other uplink */
	struct snic_vnic_info e = mk(5, SNIC_VLAN_NONE, SNIC_VNICF_SW_ONLY, 0); /* shared ring */
	const uint16_t v20 = 20;
	assert_int_equal(l2_vlans(c.vnic, 1, &v20), SNIC_OK);

	assert_int_equal(send(BCAST, SNIC_VLAN_NONE, 0), HAL_DELIVERED);
	assert_int_equal(got(&a), 1);
	assert_int_equal(got(&b), 0);
	assert_int_equal(got(&c), 1);
	assert_int_equal(got(&d), 0);
	assert_int_equal(got(&e), 1);
	assert_int_equal(vblk()->group_copies, 3);

	assert_int_equal(send(BCAST, 10, 0), HAL_DELIVERED);
	assert_int_equal(got(&a) + got(&c) + got(&d) + got(&e), 0);
	assert_int_equal(got(&b), 1);
	assert_int_equal(send(BCAST, 20, 0), HAL_DELIVERED);
	assert_int_equal(got(&a) + got(&b) + got(&d) + got(&e), 0);
	assert_int_equal(got(&c), 1);
	assert_int_equal(send(BCAST, SNIC_VLAN_NONE, 1), HAL_DELIVERED);
	assert_int_equal(got(&a) + got(&b) + got(&c) + got(&e), 0);
	assert_int_equal(got(&d), 1);

	/* A VLAN nobody is in: a no_match drop, and unwanted. */
	uint64_t nm = stats()->drops[SNIC_DROP_NO_MATCH];
	assert_int_equal(send(BCAST, 30, 0), SNIC_DROP_NO_MATCH);
	assert_int_equal(stats()->drops[SNIC_DROP_NO_MATCH], nm + 1);
	assert_int_equal(vblk()->group_frames, 5);
	assert_int_equal(vblk()->group_unwanted, 1);
	assert_int_equal(vblk()->group_copies, 6);
	assert_int_equal(vst(a.vnic)->rx_broadcast, 1);
	assert_int_equal(vst(c.vnic)->rx_broadcast, 2);
	assert_int_equal(vst(c.vnic)->rx_packets, 2);
	assert_int_equal(vst(b.vnic)->rx_multicast, 0);
}

/* A VNIC on a bond gets a copy from the member it uses, none from the
 * other one. */
static void test_bond_one_copy(void **state)
{
	(void)state;
	static const uint8_t m[2] = { 0, 1 }, roles[2] = { SNIC_TEAM_ACTIVE, SNIC_TEAM_STANDBY };
	boot_up();
	struct snic_team_set cfg = bond_cfg(0, SNIC_TEAM_PORT_ID, 2, m, roles);
	assert_int_equal(team_cmd(&cfg, NULL), SNIC_OK);
	fw_poll(tfw);
	struct snic_vnic_info a = mk(1, SNIC_VLAN_NONE, 0, BOND(0));
	struct snic_vnic_info u = mk(2, SNIC_VLAN_NONE, 0, 2); /* unbonded, uplink 2 */
	assert_int_equal(send(BCAST, SNIC_VLAN_NONE, 0), HAL_DELIVERED);
	assert_int_equal(send(BCAST, SNIC_VLAN_NONE, 1), SNIC_DROP_NO_MATCH);
	assert_int_equal(got(&a), 1);
	assert_int_equal(got(&u), 0);
	/* The active member fails: the standby carries it, and its copy. */
	fake->no_carrier[0] = 1;
	fw_poll(tfw);
	fw_poll(tfw);
	assert_int_equal(send(BCAST, SNIC_VLAN_NONE, 0), SNIC_DROP_NO_MATCH);
	assert_int_equal(send(BCAST, SNIC_VLAN_NONE, 1), HAL_DELIVERED);
	assert_int_equal(got(&a), 1);
}

static void test_multicast_joiners(void **state)
{
	(void)state;
	boot_up();
	struct snic_vnic_info a = mk(1, SNIC_VLAN_NONE, 0, 0);
	struct snic_vnic_info b = mk(2, SNIC_VLAN_NONE, 0, 0);
	struct snic_vnic_info c = mk(3, SNIC_VLAN_NONE, 0, 0);
	struct snic_vnic_info d = mk(4, 10, 0, 0);
	assert_int_equal(l2_rxmode(a.vnic, 0, 1, &MC1), SNIC_OK);
	assert_int_equal(l2_rxmode(b.vnic, SNIC_RXMODE_ALLMULTI, 0, NULL), SNIC_OK);
	assert_int_equal(l2_rxmode(d.vnic, 0, 1, &MC1), SNIC_OK);

	assert_int_equal(send(MC1, SNIC_VLAN_NONE, 0), HAL_DELIVERED);
	assert_int_equal(got(&a), 1);
	assert_int_equal(got(&b), 1);
	assert_int_equal(got(&c), 0);
	assert_int_equal(got(&d), 0); /* joined, but in VLAN 10 */
	assert_int_equal(send(MC2, SNIC_VLAN_NONE, 0), HAL_DELIVERED);
	assert_int_equal(got(&a) + got(&c) + got(&d), 0);
	assert_int_equal(got(&b), 1);
	assert_int_equal(send(MC1, 10, 0), HAL_DELIVERED);
	assert_int_equal(got(&d), 1);
	assert_int_equal(got(&a) + got(&b) + got(&c), 0);
	assert_int_equal(vst(b.vnic)->rx_multicast, 2);
	assert_int_equal(vst(a.vnic)->rx_multicast, 1);
	assert_int_equal(vst(a.vnic)->rx_broadcast, 0);
	/* Leaving the group: nothing for A any more. */
	assert_int_equal(l2_rxmode(a.vnic, 0, 0, NULL), SNIC_OK);
	assert_int_equal(send(MC1, SNIC_VLAN_NONE, 0), HAL_DELIVERED);
	assert_int_equal(got(&a), 0);
	assert_int_equal(got(&b), 1);
}

static void test_promisc_trusted_unclaimed(void **state)
{
	(void)state;
	boot_up();
	struct snic_vnic_info a = mk(1, SNIC_VLAN_NONE, 0, 0);
	struct snic_vnic_info p = mk(2, SNIC_VLAN_NONE, 0, 0);
	struct snic_vnic_info o = mk(3, SNIC_VLAN_NONE, 0, 1); /* other uplink */
	assert_int_equal(l2_rxmode(p.vnic, SNIC_RXMODE_PROMISC, 0, NULL), SNIC_E_PERM);
	assert_int_equal(l2_query(p.vnic).rxmode, 0);
	assert_int_equal(l2_policy(p.vnic, SNIC_VPOL_TRUSTED), SNIC_OK);
	assert_int_equal(l2_rxmode(p.vnic, SNIC_RXMODE_PROMISC, 0, NULL), SNIC_OK);
	assert_int_equal(l2_policy(o.vnic, SNIC_VPOL_TRUSTED), SNIC_OK);
	assert_int_equal(l2_rxmode(o.vnic, SNIC_RXMODE_PROMISC, 0, NULL), SNIC_OK);

	/* A's own frame: steered by its MAC entry, never copied. */
	uint8_t amac[6];
	mac_n(1, amac);
	assert_int_equal(send(amac, SNIC_VLAN_NONE, 0), HAL_DELIVERED);
	struct snic_rx_cpl c = { 0 };
	assert_int_equal(rx_drain(a.rx_ring, &c), 1);
	assert_true(c.flags & SNIC_RXF_HIT);
	assert_int_equal(got(&p), 0);
	/* Unclaimed unicast: P only (O is on another uplink), not in VLAN 10. */
	assert_int_equal(send(NOBODY, SNIC_VLAN_NONE, 0), HAL_DELIVERED);
	assert_int_equal(got(&p), 1);
	assert_int_equal(got(&o), 0);
	assert_int_equal(send(NOBODY, 10, 0), SNIC_DROP_NO_MATCH);
	assert_int_equal(got(&p), 0);
	/* Multicast nobody joined: promiscuous counts as joined. */
	assert_int_equal(send(MC2, SNIC_VLAN_NONE, 0), HAL_DELIVERED);
	assert_int_equal(got(&p), 1);
	/* Trust taken away: PROMISC ends, in the query too. */
	assert_int_equal(l2_policy(p.vnic, 0), SNIC_OK);
	assert_int_equal(l2_query(p.vnic).rxmode, 0);
	assert_int_equal(send(NOBODY, SNIC_VLAN_NONE, 0), SNIC_DROP_NO_MATCH);
	assert_int_equal(got(&p), 0);
	assert_int_equal(got(&a), 0);
}

/* Rules are checked first: a drop rule and a steering rule on broadcast. */
static void test_rule_wins(void **state)
{
	(void)state;
	boot_up();
	struct snic_vnic_info a = mk(1, SNIC_VLAN_NONE, 0, 0);
	struct snic_vnic_info b = mk(2, SNIC_VLAN_NONE, 0, 0);
	struct snic_rule r;
	uint32_t idx;
	rule_init(&r, a.vnic, SNIC_ACT_COUNT);
	rule_match_dmac(&r, BCAST);
	assert_int_equal(rule_add(SNIC_LOC_ANY, &r, &idx), SNIC_OK);
	assert_int_equal(send(BCAST, SNIC_VLAN_NONE, 0), HAL_DELIVERED);
	struct snic_rx_cpl c = { 0 };
	assert_int_equal(rx_drain(a.rx_ring, &c), 1);
	assert_true(c.flags & SNIC_RXF_HIT);
	assert_false(c.flags & SNIC_RXF_GROUP);
	assert_int_equal(rx_drain(b.rx_ring, NULL), 0);

	rule_init(&r, SNIC_VNIC_NONE, SNIC_ACT_DROP);
	rule_match_dmac(&r, MC1);
	assert_int_equal(rule_add(SNIC_LOC_ANY, &r, &idx), SNIC_OK);
	assert_int_equal(l2_rxmode(b.vnic, SNIC_RXMODE_ALLMULTI, 0, NULL), SNIC_OK);
	assert_int_equal(send(MC1, SNIC_VLAN_NONE, 0), SNIC_DROP_RULE);
	assert_int_equal(rx_drain(b.rx_ring, NULL), 0);
	assert_int_equal(vblk()->group_frames, 0);
}

/* Unicast tagged with a member VLAN reaches the VNIC whose MAC it is. */
static void test_member_vlan_unicast(void **state)
{
	(void)state;
	boot_up();
	struct snic_vnic_info a = mk(1, SNIC_VLAN_NONE, 0, 0);
	struct snic_vnic_info p = mk(2, SNIC_VLAN_NONE, 0, 0);
	const uint16_t vids[2] = { 10, 4094 };
	assert_int_equal(l2_vlans(a.vnic, 2, vids), SNIC_OK);
	assert_int_equal(l2_vlans(p.vnic, 1, vids), SNIC_OK);
	assert_int_equal(l2_policy(p.vnic, SNIC_VPOL_TRUSTED), SNIC_OK);
	assert_int_equal(l2_rxmode(p.vnic, SNIC_RXMODE_PROMISC, 0, NULL), SNIC_OK);
	uint8_t amac[6];
	mac_n(1, amac);
	assert_int_equal(send(amac, 10, 0), HAL_DELIVERED);
	assert_int_equal(got(&a), 1);
	assert_int_equal(got(&p), 0); /* claimed by A: promiscuous sees nothing */
	assert_int_equal(send(amac, 4094, 0), HAL_DELIVERED);
	assert_int_equal(got(&a), 1);
	assert_int_equal(send(amac, 11, 0), SNIC_DROP_NO_MATCH);
	assert_int_equal(send(amac, 10, 1), SNIC_DROP_NO_MATCH); /* other uplink */
	assert_int_equal(got(&a), 0);
	assert_int_equal(vst(a.vnic)->rx_packets, 2);
	assert_int_equal(vst(a.vnic)->rx_broadcast + vst(a.vnic)->rx_multicast, 0);
}

/* Stacked tags and a tag cut short: no group delivery, no read past the
 * frame. */
static void test_wire_nonsense(void **state)
{
	(void)state;
	boot_up();
	struct snic_vnic_info a = mk(1, SNIC_VLAN_NONE, 0, 0);
	const uint16_t v5 = 5;
	assert_int_equal(l2_vlans(a.vnic, 1, &v5), SNIC_OK);
	uint8_t f[64];
	memset(f, 0, sizeof(f));
	memcpy(f, BCAST, 6);
	memcpy(f + 6, PEER, 6);
	f[12] = 0x88, f[13] = 0xa8, f[14] = 0, f[15] = 5;
	f[16] = 0x81, f[17] = 0x00, f[18] = 0, f[19] = 5;
	rx_frame(f, sizeof(f), 0);
	fw_poll(tfw);
	assert_int_equal(fake->last_reason, SNIC_DROP_NO_MATCH);
	/* 16 bytes: a tag with no ethertype after it. */
	f[12] = 0x81, f[13] = 0x00;
	struct snic_match m;
	memset(&m, 0, sizeof(m));
	m.rule = SNIC_RULE_MISS;
	fake_rx_push(f, 16, 0, &m);
	fw_poll(tfw);
	assert_int_equal(fake->last_reason, SNIC_DROP_NO_MATCH);
	assert_int_equal(rx_drain(a.rx_ring, NULL), 0);
	assert_int_equal(vblk()->group_unwanted, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_broadcast_domains, teardown),
		cmocka_unit_test_teardown(test_bond_one_copy, teardown),
		cmocka_unit_test_teardown(test_multicast_joiners, teardown),
		cmocka_unit_test_teardown(test_promisc_trusted_unclaimed, teardown),
		cmocka_unit_test_teardown(test_rule_wins, teardown),
		cmocka_unit_test_teardown(test_member_vlan_unicast, teardown),
		cmocka_unit_test_teardown(test_wire_nonsense, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
