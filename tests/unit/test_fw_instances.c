/* SPDX-License-Identifier: MIT */
/*
 * Two NICs in one process: two fake devices (two windows, two HAL
 * contexts), each with its own firmware instance, polled in turn. What is
 * configured on, or happens to, one is invisible to the other.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "test_fw_util.h"

#define NIC_A 0
#define NIC_B 1

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t MAC_X[6] = { 0x02, 0, 0, 0, 0, 0x99 };
static uint8_t frame[2048];

static int teardown(void **state)
{
	(void)state;
	test_use(NIC_B);
	fake_teardown();
	test_use(NIC_A);
	fake_teardown();
	return 0;
}

/* Both NICs booted on the large card, uplink 0 up; NIC A current. */
static void boot_two(void)
{
	test_use(NIC_B);
	boot("large");
	assert_int_equal(port_set(0, 1), SNIC_OK);
	test_use(NIC_A);
	boot("large");
	assert_int_equal(port_set(0, 1), SNIC_OK);
}

/* One event-loop pass of each instance, as one process driving two NICs. */
static void poll_both(void)
{
	for (unsigned i = 0; i < 2; i++) {
		test_use(NIC_A);
		fw_poll(tfw);
		test_use(NIC_B);
		fw_poll(tfw);
	}
}

static int vnic_query(uint16_t id, struct snic_vnic_info *out)
{
	struct snic_vnic_ref r = { .vnic = id };
	struct snic_admin_cpl cpl;
	int st = admin(SNIC_CMD_VNIC_QUERY, &r, sizeof(r), &cpl);
	if (st == SNIC_OK)
		memcpy(out, cpl.payload, sizeof(*out));
	return st;
}

static int rule_query(uint32_t loc, struct snic_rule_info *out)
{
	struct snic_rule_ref r = { .loc = loc };
	struct snic_admin_cpl cpl;
	int st = admin(SNIC_CMD_RULE_QUERY, &r, sizeof(r), &cpl);
	if (st == SNIC_OK)
		memcpy(out, cpl.payload, sizeof(*out));
	return st;
}

static int policer_set(uint16_t id)
{
	struct snic_meter_set m = { .meter = id, .mode = SNIC_METER_SRTCM,
				    .cir_bps = 1000000, .cbs = 1500, .ebs = 1500 };
	return admin(SNIC_CMD_METER_SET, &m, sizeof(m), NULL);
}

/* A rule to `mac` for VNIC vnic through policer `meter`. */
static void metered_rule(struct snic_rule *r, const uint8_t mac[6], uint16_t vnic,
			 uint16_t meter)
{
	rule_init(r, vnic, SNIC_ACT_METER);
	rule_match_dmac(r, mac);
	r->action.meter = meter;
}

static void test_tables_are_per_instance(void **state)
{
	(void)state;
	boot_two();
	struct snic_vnic_info va, vb, q;
	struct snic_rule_info ri;
	struct snic_rule r;
	uint32_t loc;

	/* On A: VNIC 5, policer 3 and a rule at 10 that names both. */
	assert_int_equal(vnic_create(5, MAC_A, SNIC_VLAN_NONE, 0, 0, &va), SNIC_OK);
	assert_int_equal(policer_set(3), SNIC_OK);
	metered_rule(&r, MAC_X, 5, 3);
	assert_int_equal(rule_add(10, &r, &loc), SNIC_OK);
	assert_int_equal(rule_query(10, &ri), SNIC_OK);
	unsigned a_writes = fake->cls_writes + fake->x_writes;

	/* B has none of them: no VNIC 5, no rule 10, no policer 3. */
	test_use(NIC_B);
	unsigned b_writes = fake->cls_writes + fake->x_writes;
	assert_int_equal(vnic_query(5, &q), SNIC_E_NOENT);
	assert_int_equal(rule_query(10, &ri), SNIC_E_NOENT);
	/* VNIC id 5 is free on B, for another MAC; a rule naming policer 3
	 * is refused there (no such meter), though A has one. */
	assert_int_equal(vnic_create(5, MAC_B, SNIC_VLAN_NONE, 0, 0, &vb), SNIC_OK);
	metered_rule(&r, MAC_X, 5, 3);
	assert_int_equal(rule_add(10, &r, &loc), SNIC_E_NOENT);
	assert_int_equal(vnic_query(5, &q), SNIC_OK);
	assert_memory_equal(q.mac, MAC_B, 6);
	/* B's MAC entry went to B's engine only. */
	assert_true(fake->cls_writes + fake->x_writes > b_writes);

	/* A kept its own: VNIC 5 with MAC_A, its rule, no write from B. */
	test_use(NIC_A);
	assert_int_equal(fake->cls_writes + fake->x_writes, a_writes);
	assert_int_equal(vnic_query(5, &q), SNIC_OK);
	assert_memory_equal(q.mac, MAC_A, 6);
	assert_int_equal(rule_query(10, &ri), SNIC_OK);
	assert_int_equal(ri.rule.action.meter, 3);

	/* Destroying A's VNIC 5 leaves B's. */
	struct snic_vnic_ref ref = { .vnic = 5 };
	assert_int_equal(admin(SNIC_CMD_RULE_DEL, &(struct snic_rule_ref){ .loc = 10 },
			       sizeof(struct snic_rule_ref), NULL), SNIC_OK);
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &ref, sizeof(ref), NULL), SNIC_OK);
	assert_int_equal(vnic_query(5, &q), SNIC_E_NOENT);
	test_use(NIC_B);
	assert_int_equal(vnic_query(5, &q), SNIC_OK);
}

static void test_traffic_is_per_instance(void **state)
{
	(void)state;
	boot_two();
	/* The same VNIC (id, MAC) on both NICs, each on its own wire. */
	struct snic_vnic_info v[2];
	for (unsigned n = 0; n < 2; n++) {
		test_use(n);
		assert_int_equal(vnic_create(7, MAC_A, SNIC_VLAN_NONE, 0, 0, &v[n]), SNIC_OK);
		rx_post(v[n].rx_ring, 4, 2048);
		fake->now_ns = 1000000u * (n + 1); /* each device has its clock */
	}

	/* A frame arrives on A only. */
	test_use(NIC_A);
	uint32_t len = make_eth(frame, MAC_A, MAC_X, SNIC_VLAN_NONE, 0x88b5, 100);
	rx_frame(frame, len, 0);
	poll_both();

	struct snic_rx_cpl c;
	test_use(NIC_A);
	assert_int_equal(rx_take(v[NIC_A].rx_ring, &c), 1);
	assert_int_equal(c.vnic, 7);
	assert_int_equal(c.len, len);
	assert_int_equal(stats()->port[0].rx_packets, 1);
	assert_int_equal(fake->delivered, 1);
	assert_int_equal(devid()->dev_time_ns, 1000000u);
	uint32_t a_beats = devid()->heartbeat;

	test_use(NIC_B);
	assert_int_equal(rx_take(v[NIC_B].rx_ring, &c), 0);
	assert_int_equal(stats()->port[0].rx_packets, 0);
	assert_int_equal(stats()->cls_lookups, 0);
	assert_int_equal(fake->delivered, 0);
	assert_int_equal(fake->rx_done, 0);
	assert_int_equal(devid()->dev_time_ns, 2000000u);
	assert_true(devid()->heartbeat >= 2); /* B ran, and saw nothing */

	/* B's VNIC sends: the frame leaves B's uplink, A's sees nothing. */
	len = make_eth(frame, MAC_X, MAC_A, SNIC_VLAN_NONE, 0x88b5, 100);
	tx_queue(v[NIC_B].tx_ring, frame, len);
	poll_both();
	test_use(NIC_B);
	assert_int_equal(fake->n_tx, 1);
	assert_int_equal(fake->tx[0].len, len);
	assert_int_equal(stats()->port[0].tx_packets, 1);
	test_use(NIC_A);
	assert_int_equal(fake->n_tx, 0);
	assert_int_equal(stats()->port[0].tx_packets, 0);
	assert_true(devid()->heartbeat > a_beats);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_tables_are_per_instance, teardown),
		cmocka_unit_test_teardown(test_traffic_is_per_instance, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
