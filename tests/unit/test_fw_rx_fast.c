/* SPDX-License-Identifier: MIT */
/*
 * Receive steering with more decisions in a batch than memo slots: frames
 * whose slot holds another decision take the fast path on their own
 * (steer.c), with the same completions, counters and drops as the memo
 * path; and the fast path follows every admin change (fw_rx_refresh).
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "test_fw_util.h"
#include "test_fw_l2.h"

static uint8_t frame[256];
static const uint8_t SRC[6] = { 0x02, 0, 0, 0, 0, 0x99 };

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

/* A hit as the engine would report it: rule, VNIC, meter (or NONE). */
static void push_hit(const uint8_t *f, uint32_t len, uint16_t rule, uint16_t vnic, uint16_t meter)
{
	struct snic_match m = match_hit(rule, vnic, meter == SNIC_METER_NONE ? 0 : SNIC_ACT_METER,
					meter);
	fake_rx_push(f, len, 0, &m);
}

static void test_many_vnics_interleaved(void **state)
{
	(void)state;
	boot("large");
	assert_int_equal(port_set(0, 1), SNIC_OK);
	const unsigned n = 24, rounds = 2;
	uint8_t mac[6];
	for (unsigned i = 0; i < n; i++) {
		test_mac(i, mac);
		assert_int_equal(vnic_create((uint16_t)i, mac, SNIC_VLAN_NONE, SNIC_VNICF_SW_ONLY,
					     0, NULL), SNIC_OK);
	}
	rx_post(0, n * rounds, 2048);
	uint32_t len = 0;
	for (unsigned r = 0; r < rounds; r++) {
		for (unsigned i = 0; i < n; i++) {
			test_mac(i, mac);
			len = make_eth(frame, mac, SRC, SNIC_VLAN_NONE, 0x88b5, 60);
			rx_frame(frame, len, 0);
		}
	}
	fw_poll(tfw);
	assert_int_equal(fake->delivered, n * rounds);
	struct snic_rx_cpl c;
	for (unsigned k = 0; k < n * rounds; k++) {
		assert_int_equal(rx_take(0, &c), 1);
		assert_int_equal(c.vnic, k % n); /* in order, each to its VNIC */
		assert_int_equal(c.flags, SNIC_RXF_HIT | SNIC_RXF_MARK_SW);
		assert_int_equal(c.meter, SNIC_METER_NONE);
		assert_int_equal(c.len, len);
	}
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(vst((uint16_t)i)->rx_packets, rounds);
		assert_int_equal(vst((uint16_t)i)->rx_bytes, (uint64_t)rounds * len);
	}
	assert_int_equal(stats()->port[0].rx_packets, n * rounds);
	assert_int_equal(stats()->port[0].rx_bytes, (uint64_t)n * rounds * len);
	assert_int_equal(stats()->cls_lookups, n * rounds);
	assert_int_equal(stats()->cls_hits, n * rounds);
	assert_int_equal(rxq(0)->packets, n * rounds);
	assert_int_equal(rxq(0)->bytes, (uint64_t)n * rounds * len);
}

/* Rules 1 and 9 share memo slot 1: A's decision holds it, B's frames go
 * on their own, policed by B's meter; a red one is dropped and counted
 * exactly as on the memo path. */
static void test_direct_frames_policed(void **state)
{
	(void)state;
	boot("large");
	assert_int_equal(port_set(0, 1), SNIC_OK);
	uint8_t ma[6], mb[6];
	test_mac(1, ma);
	test_mac(2, mb);
	struct snic_vnic_info a, b;
	assert_int_equal(vnic_create(SNIC_ID_ANY, ma, SNIC_VLAN_NONE, 0, 0, &a), SNIC_OK);
	assert_int_equal(vnic_create(SNIC_ID_ANY, mb, SNIC_VLAN_NONE, 0, 0, &b), SNIC_OK);
	/* Policer 5: room for one 100-byte frame, no excess bucket. */
	struct snic_meter_set m = { .meter = 5, .mode = SNIC_METER_SRTCM, .cir_bps = 1000000,
				    .cbs = 150, .ebs = 0 };
	assert_int_equal(admin(SNIC_CMD_METER_SET, &m, sizeof(m), NULL), SNIC_OK);
	rx_post(a.rx_ring, 4, 2048);
	rx_post(b.rx_ring, 4, 2048);
	uint32_t la = make_eth(frame, ma, SRC, SNIC_VLAN_NONE, 0x88b5, 86);
	push_hit(frame, la, 1, a.vnic, SNIC_METER_NONE);
	uint32_t lb = make_eth(frame, mb, SRC, SNIC_VLAN_NONE, 0x88b5, 86);
	push_hit(frame, lb, 9, b.vnic, 5);
	push_hit(frame, lb, 9, b.vnic, 5); /* red: the bucket held one */
	fw_poll(tfw);

	struct snic_rx_cpl c;
	assert_int_equal(rx_take(a.rx_ring, &c), 1);
	assert_int_equal(c.vnic, a.vnic);
	assert_int_equal(rx_take(b.rx_ring, &c), 1);
	assert_int_equal(c.vnic, b.vnic);
	assert_int_equal(c.rule, 9);
	assert_int_equal(c.meter, 5);
	assert_int_equal(c.color, 0);
	assert_int_equal(c.flags, SNIC_RXF_HIT);
	assert_int_equal(rx_take(b.rx_ring, &c), 0);
	assert_int_equal(stats()->drops[SNIC_DROP_METER], 1);
	assert_int_equal(vst(b.vnic)->rx_drop_meter, 1);
	assert_int_equal(vst(b.vnic)->rx_packets, 1);
	assert_int_equal(vst(b.vnic)->rx_bytes, lb);
	assert_int_equal(stats()->port[0].rx_packets, 3);
	assert_int_equal(rxq(b.rx_ring)->bytes, lb);
}

/* The fast path knows only what the last admin command left: a port
 * taken down, a VNIC destroyed, a queue set (which takes the full path). */
static void test_fast_path_follows_admin(void **state)
{
	(void)state;
	boot("large");
	assert_int_equal(port_set(0, 1), SNIC_OK);
	uint8_t ma[6];
	test_mac(1, ma);
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, ma, SNIC_VLAN_NONE, 0, 0, &a), SNIC_OK);
	rx_post(a.rx_ring, 8, 2048);
	uint32_t len = make_eth(frame, ma, SRC, SNIC_VLAN_NONE, 0x88b5, 60);

	push_hit(frame, len, 3, a.vnic, SNIC_METER_NONE);
	fw_poll(tfw);
	assert_int_equal(fake->last_reason, HAL_DELIVERED);

	assert_int_equal(port_set(0, 0), SNIC_OK);
	push_hit(frame, len, 3, a.vnic, SNIC_METER_NONE);
	fw_poll(tfw);
	assert_int_equal(fake->last_reason, SNIC_DROP_PORT_DOWN);

	assert_int_equal(port_set(0, 1), SNIC_OK);
	push_hit(frame, len, 3, a.vnic, SNIC_METER_NONE);
	fw_poll(tfw);
	assert_int_equal(fake->last_reason, HAL_DELIVERED);

	struct snic_vnic_ref r = { .vnic = a.vnic };
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &r, sizeof(r), NULL), SNIC_OK);
	push_hit(frame, len, 3, a.vnic, SNIC_METER_NONE);
	fw_poll(tfw);
	assert_int_equal(fake->last_reason, SNIC_DROP_NO_VNIC);
	assert_int_equal(fake->delivered, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_many_vnics_interleaved, teardown),
		cmocka_unit_test_teardown(test_direct_frames_policed, teardown),
		cmocka_unit_test_teardown(test_fast_path_follows_admin, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
