/* SPDX-License-Identifier: MIT */
/*
 * RX steering across a ring move (RING_BIND from the shared HRR to a
 * dedicated one): a frame the engine classified with the VNIC's old MAC
 * entry (still marked for the software ring) before the table write
 * landed must not land on the shared HRR after the move, where it would
 * overtake nothing the gate holds back and come after newer frames; it
 * follows the VNIC's current ring. Host rules that ask for the software
 * ring keep doing so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "test_fw_util.h"
#include "fw.h"

static const uint8_t SRC[6] = { 2, 0x55, 0, 0, 0, 9 };
static const uint8_t MACS[4][6] = { { 2, 0, 0, 0, 0, 1 }, { 2, 0, 0, 0, 0, 2 },
				    { 2, 0, 0, 0, 0, 3 }, { 2, 0, 0, 0, 0, 4 } };
static uint8_t frame[256];

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

/* HRRs 1..3 go to VNICs 0..2, VNIC 3 shares HRR 0 (the small card has no
 * other ring; on the large one it asks for the software ring). */
static void setup_on(const char *profile, struct snic_vnic_info v[4])
{
	boot(profile);
	for (uint16_t i = 0; i < 4; i++)
		assert_int_equal(vnic_create(i, MACS[i], SNIC_VLAN_NONE, i == 3 ? SNIC_VNICF_SW_ONLY : 0,
					     0, &v[i]), SNIC_OK);
	assert_int_equal(v[3].rx_ring, 0);
	assert_int_equal(port_set(0, 1), SNIC_OK);
	rx_post(0, 16, 2048);
	rx_post(2, 16, 2048);
}

static void bind(uint16_t ring, uint16_t vnic)
{
	struct snic_ring_bind b = { .ring = ring, .vnic = vnic };
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_OK);
}

static void setup_four(struct snic_vnic_info v[4])
{
	setup_on("small", v);
}

/* small: the MAC entries are ternary; large: exact-match entries. */
static void stale_mac_entry_follows_the_move(const char *profile)
{
	struct snic_vnic_info v[4];
	struct snic_key key;
	struct snic_match stale;
	setup_on(profile, v);
	uint32_t len = make_eth(frame, MACS[3], SRC, SNIC_VLAN_NONE, 0x0800, 60);
	key_of(frame, 0, &key);
	fake_lookup(&key, &stale);                  /* the entry as it is now */
	assert_true(is_mac_hit(stale.rule, &v[3]));
	assert_true(stale.action.flags & SNIC_ACT_MARK_SW);
	rx_frame(frame, len, 0);
	fw_poll(tfw);
	assert_int_equal(rxq(0)->cpl_prod, 1);      /* one old frame on HRR 0 */

	bind(2, SNIC_VNIC_NONE);
	bind(2, v[3].vnic);
	fake_rx_push(frame, len, 0, &stale);        /* classified before the rewrite */
	rx_frame(frame, len, 0);                    /* classified after it */
	fw_poll(tfw);
	assert_int_equal(rxq(0)->cpl_prod, 1);      /* nothing new on HRR 0 ... */
	assert_int_equal(rxq(0)->packets, 1);
	assert_int_equal(rxq(2)->desc_cons, 2);     /* ... both went to HRR 2, held */
	assert_int_equal(rxq(2)->cpl_prod, 0);

	struct snic_rx_cpl c;
	assert_int_equal(rx_take(0, &c), 1);        /* the host drains HRR 0 */
	assert_int_equal(c.flags, SNIC_RXF_HIT | SNIC_RXF_MARK_SW);
	fw_poll(tfw);
	assert_int_equal(rxq(2)->cpl_prod, 2);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(rx_take(2, &c), 1);
		assert_int_equal(c.vnic, v[3].vnic);
		assert_int_equal(c.flags, SNIC_RXF_HIT);  /* not for the software ring */
	}
	assert_int_equal(stats()->drops[SNIC_DROP_RING_FULL], 0);
}

static void test_stale_mac_entry_follows_the_move(void **state)
{
	(void)state;
	stale_mac_entry_follows_the_move("small");
}

static void test_stale_exact_entry_follows_the_move(void **state)
{
	(void)state;
	stale_mac_entry_follows_the_move("large");
}

/* The other way: an old entry without the mark, after an unbind, goes to
 * the shared ring (the VNIC's ring now) and says so. */
static void test_stale_entry_after_unbind(void **state)
{
	(void)state;
	struct snic_vnic_info v[4];
	struct snic_key key;
	struct snic_match stale;
	setup_four(v);
	uint32_t len = make_eth(frame, MACS[1], SRC, SNIC_VLAN_NONE, 0x0800, 60);
	key_of(frame, 0, &key);
	fake_lookup(&key, &stale);
	assert_false(stale.action.flags & SNIC_ACT_MARK_SW);
	bind(v[1].rx_ring, SNIC_VNIC_NONE);
	fake_rx_push(frame, len, 0, &stale);
	fw_poll(tfw);
	assert_int_equal(rxq(0)->cpl_prod, 1);
	struct snic_rx_cpl c;
	assert_int_equal(rx_take(0, &c), 1);
	assert_int_equal(c.vnic, v[1].vnic);
	assert_int_equal(c.flags, SNIC_RXF_HIT | SNIC_RXF_MARK_SW);
}

/* A host rule asking for the software ring still gets it after a move. */
static void test_host_rule_mark_sw_kept(void **state)
{
	(void)state;
	struct snic_vnic_info v[4];
	setup_four(v);
	bind(2, SNIC_VNIC_NONE);
	bind(2, v[3].vnic);
	struct snic_rule r;
	rule_init(&r, v[3].vnic, SNIC_ACT_MARK_SW | SNIC_ACT_COUNT);
	rule_match_dmac(&r, MACS[3]);
	uint32_t loc;
	assert_int_equal(rule_add(SNIC_LOC_ANY, &r, &loc), SNIC_OK);
	uint32_t len = make_eth(frame, MACS[3], SRC, SNIC_VLAN_NONE, 0x0800, 60);
	rx_frame(frame, len, 0);
	fw_poll(tfw);
	assert_int_equal(rxq(0)->cpl_prod, 1);
	assert_int_equal(rxq(2)->desc_cons, 0);
	struct snic_rx_cpl c;
	assert_int_equal(rx_take(0, &c), 1);
	assert_int_equal(c.rule, loc);
	assert_int_equal(c.flags, SNIC_RXF_HIT | SNIC_RXF_MARK_SW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_stale_mac_entry_follows_the_move, teardown),
		cmocka_unit_test_teardown(test_stale_exact_entry_follows_the_move, teardown),
		cmocka_unit_test_teardown(test_stale_entry_after_unbind, teardown),
		cmocka_unit_test_teardown(test_host_rule_mark_sw_kept, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
