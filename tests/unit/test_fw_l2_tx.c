/* SPDX-License-Identifier: MIT */
/*
 * VLAN membership on transmit (l2.h) and the per-VNIC counters
 * (SNIC_BLK_VSTATS): a member VLAN passes anti-spoofing on a dedicated and
 * on the shared TRR, a non-member VLAN is a spoof counted globally, in the
 * ring and in the VNIC; every counter equals what was sent and dropped.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "test_fw_l2.h"

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t MAC_S[6] = { 0x02, 0, 0, 0, 0, 0x5a };
static const uint8_t PEER[6] = { 0x02, 0, 0, 0, 0, 0xee };
static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static uint8_t frame[4096];

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

/* A frame from smac tagged `vlan` on TX ring `ring`: 1 when it left. */
static int tx_vlan(unsigned ring, const uint8_t *smac, uint16_t vlan)
{
	unsigned n = fake->n_tx;
	uint32_t len = make_eth(frame, PEER, smac, vlan, 0x88b5, 60);
	tx_queue(ring, frame, len);
	fw_poll(tfw);
	return fake->n_tx == n + 1;
}

/* The three places a spoof drop is counted. */
struct spoofs { uint64_t global, ring, vnic; };

static struct spoofs spoofs(unsigned ring, uint16_t vnic)
{
	return (struct spoofs){ stats()->drops[SNIC_DROP_TX_SPOOF], txq(ring)->drop_spoof,
				vst(vnic)->tx_drop_spoof };
}

static void assert_spoofed_once(const struct spoofs *before, unsigned ring, uint16_t vnic)
{
	struct spoofs now = spoofs(ring, vnic);
	assert_int_equal(now.global, before->global + 1);
	assert_int_equal(now.ring, before->ring + 1);
	assert_int_equal(now.vnic, before->vnic + 1);
}

static void test_member_vlan_tx(void **state)
{
	(void)state;
	boot("large");
	assert_int_equal(port_set(0, 1), SNIC_OK);
	struct snic_vnic_info a, s, p;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, &a), SNIC_OK);
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_S, SNIC_VLAN_NONE, SNIC_VNICF_SW_ONLY, 0, &s),
			 SNIC_OK);
	const uint16_t v10 = 10, v20 = 20;
	assert_int_equal(l2_vlans(a.vnic, 1, &v10), SNIC_OK);
	assert_int_equal(l2_vlans(s.vnic, 1, &v20), SNIC_OK);

	assert_true(tx_vlan(a.tx_ring, MAC_A, SNIC_VLAN_NONE));
	assert_true(tx_vlan(a.tx_ring, MAC_A, 10));
	assert_int_equal(fake->tx[fake->n_tx - 1].data[15], 10); /* tag kept */
	struct spoofs b = spoofs(a.tx_ring, a.vnic);
	assert_false(tx_vlan(a.tx_ring, MAC_A, 11));
	assert_spoofed_once(&b, a.tx_ring, a.vnic);

	/* The shared TRR finds the sender of a member-VLAN frame, and blames
	 * a non-member VLAN on the VNIC whose MAC it carries. */
	assert_int_equal(s.tx_ring, 0);
	assert_true(tx_vlan(0, MAC_S, 20));
	assert_true(tx_vlan(0, MAC_S, SNIC_VLAN_NONE));
	b = spoofs(0, s.vnic);
	assert_false(tx_vlan(0, MAC_S, 10));
	assert_spoofed_once(&b, 0, s.vnic);
	assert_int_equal(vst(s.vnic)->tx_packets, 2);
	assert_int_equal(vst(a.vnic)->tx_packets, 2);

	/* Port VLAN 5 plus member VLAN 7: both tags pass, untagged does not. */
	static const uint8_t mac_p[6] = { 0x02, 0, 0, 0, 0, 0x77 };
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac_p, 5, 0, 0, &p), SNIC_OK);
	const uint16_t v7 = 7;
	assert_int_equal(l2_vlans(p.vnic, 1, &v7), SNIC_OK);
	assert_true(tx_vlan(p.tx_ring, mac_p, 5));
	assert_true(tx_vlan(p.tx_ring, mac_p, 7));
	assert_false(tx_vlan(p.tx_ring, mac_p, SNIC_VLAN_NONE));
	/* Membership withdrawn: VLAN 10 is a spoof again. */
	assert_int_equal(l2_vlans(a.vnic, 0, NULL), SNIC_OK);
	b = spoofs(a.tx_ring, a.vnic);
	assert_false(tx_vlan(a.tx_ring, MAC_A, 10));
	assert_spoofed_once(&b, a.tx_ring, a.vnic);
}

/* A policer red on A's frames: its rx_drop_meter. */
static void police_a(uint16_t vnic)
{
	struct snic_meter_set m;
	memset(&m, 0, sizeof(m));
	m.mode = SNIC_METER_SRTCM;
	m.cir_bps = 10000000;
	m.cbs = 10000;
	assert_int_equal(admin(SNIC_CMD_METER_SET, &m, sizeof(m), NULL), SNIC_OK);
	struct snic_rule r;
	rule_init(&r, vnic, SNIC_ACT_METER);
	r.action.meter = 0;
	rule_match_dmac(&r, MAC_A);
	assert_int_equal(rule_add(SNIC_LOC_ANY, &r, NULL), SNIC_OK);
}

static void test_vnic_counters(void **state)
{
	(void)state;
	boot("large");
	assert_int_equal(port_set(0, 1), SNIC_OK);
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, &a), SNIC_OK);
	const struct snic_vnic_stats *v = vst(a.vnic);

	/* 4 buffers, 6 frames: 4 delivered, 2 ring-full drops. */
	rx_post(a.rx_ring, 4, 2048);
	uint32_t len = make_eth(frame, MAC_A, PEER, SNIC_VLAN_NONE, 0x88b5, 100);
	for (unsigned i = 0; i < 6; i++)
		rx_frame(frame, len, 0);
	fw_poll(tfw);
	assert_int_equal(v->rx_packets, 4);
	assert_int_equal(v->rx_bytes, 4ull * len);
	assert_int_equal(v->rx_drop_ring, 2);
	assert_int_equal(rxq(a.rx_ring)->drop_full, 2);
	assert_int_equal(stats()->drops[SNIC_DROP_RING_FULL], 2);
	assert_int_equal(rx_drain(a.rx_ring, NULL), 4);

	/* Too long for its buffers; a broadcast copy. */
	uint32_t big = make_eth(frame, MAC_A, PEER, SNIC_VLAN_NONE, 0x88b5, 2100);
	rx_frame(frame, big, 0);
	rx_post(a.rx_ring, 20, 2048);
	uint32_t blen = make_eth(frame, BCAST, PEER, SNIC_VLAN_NONE, 0x0806, 46);
	rx_frame(frame, blen, 0);
	fw_poll(tfw);
	assert_int_equal(v->rx_drop_too_long, 1);
	assert_int_equal(v->rx_packets, 5);
	assert_int_equal(v->rx_broadcast, 1);
	assert_int_equal(v->rx_bytes, 4ull * len + blen);

	/* Policed: 1000-byte frames at one instant, 10000 bytes of burst. */
	police_a(a.vnic);
	uint32_t plen = make_eth(frame, MAC_A, PEER, SNIC_VLAN_NONE, 0x88b5, 986);
	for (unsigned i = 0; i < 15; i++)
		rx_frame(frame, plen, 0);
	fw_poll(tfw);
	assert_int_equal(v->rx_drop_meter, stats()->drops[SNIC_DROP_METER]);
	assert_true(v->rx_drop_meter >= 5);
	assert_int_equal(v->rx_packets, 5 + 15 - v->rx_drop_meter);

	/* TX: 3 sent, 1 bad descriptor, 1 while the uplink is down. */
	for (unsigned i = 0; i < 3; i++)
		assert_true(tx_vlan(a.tx_ring, MAC_A, SNIC_VLAN_NONE));
	uint32_t tlen = make_eth(frame, PEER, MAC_A, SNIC_VLAN_NONE, 0x88b5, 60);
	assert_int_equal(v->tx_packets, 3);
	assert_int_equal(v->tx_bytes, 3ull * tlen);
	tx_queue(a.tx_ring, frame, tlen);
	struct snic_tx_desc *d = win_at(txq(a.tx_ring)->desc_off);
	d[(txq(a.tx_ring)->desc_prod - 1) % txq(a.tx_ring)->size].flags = 0x8000;
	fw_poll(tfw);
	assert_int_equal(v->tx_drop_bad, 1);
	assert_int_equal(port_set(0, 0), SNIC_OK);
	assert_false(tx_vlan(a.tx_ring, MAC_A, SNIC_VLAN_NONE));
	assert_int_equal(v->tx_drop_down, 1);
	assert_int_equal(v->tx_packets, 3);
	assert_int_equal(v->tx_drop_spoof, 0);
	/* Another VNIC's counters saw none of it. */
	static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };
	struct snic_vnic_info b;
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac_b, SNIC_VLAN_NONE, 0, 0, &b), SNIC_OK);
	static const struct snic_vnic_stats zero;
	assert_memory_equal(vst(b.vnic), &zero, sizeof(zero));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_member_vlan_tx, teardown),
		cmocka_unit_test_teardown(test_vnic_counters, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
