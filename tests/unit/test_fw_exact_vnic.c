/* SPDX-License-Identifier: MIT */
/*
 * VNIC (MAC, VLAN) steering through the exact-match table: tagged VNICs on
 * "large" get exact entries, untagged and VLAN 0 ones stay ternary, bind,
 * destroy and RESET, the small profile, and the admin path at high fill.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/fw.h"
#include "core/exact.h"
#include "exact_helpers.h"

static uint8_t frame[2048];

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static int32_t find_key(uint64_t k)
{
	for (uint32_t s = 0; s < SLOTS; s++)
		if (fake.xslot[s].valid && fake.xslot[s].key == k)
			return (int32_t)s;
	return -1;
}

static int rx_one(const uint8_t *mac, uint16_t vlan)
{
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0xee };
	uint32_t len = make_eth(frame, mac, src, vlan, 0x88b5, 60);
	rx_frame(frame, len, 0);
	fw_poll();
	return fake.last_reason;
}

/* A tagged VNIC on "large" is steered by an exact entry, end to end. */
static void test_vnic_tagged(void **state)
{
	(void)state;
	boot("large");
	const uint8_t mac[6] = { 0x02, 0xaa, 0, 0, 0, 0x01 };
	struct snic_vnic_info vi;
	assert_int_equal(port_set(0, 1), SNIC_OK);
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac, 100, 0, 0, &vi), SNIC_OK);
	assert_int_equal(vi.mac_rule, 1024 - 128 + vi.vnic);
	int32_t slot = find_key(0x02aa00000001ull << 16 | 100);
	assert_true(slot >= 0);
	assert_int_equal(fake.xslot[slot].action.vnic, vi.vnic);
	assert_int_equal(fake.xslot[slot].action.flags, SNIC_ACT_COUNT);
	assert_int_equal(fake.valid[vi.mac_rule], 0);

	rx_post(vi.rx_ring, 4, 2048);
	assert_int_equal(rx_one(mac, 100), HAL_DELIVERED);
	struct snic_rx_cpl c;
	assert_int_equal(rx_take(vi.rx_ring, &c), 1);
	assert_int_equal(c.rule, SNIC_RULE_EXACT + slot);
	assert_int_equal(c.vnic, vi.vnic);
	/* Untagged or another VID: not this VNIC. */
	assert_int_equal(rx_one(mac, SNIC_VLAN_NONE), SNIC_DROP_NO_MATCH);
	assert_int_equal(rx_one(mac, 101), SNIC_DROP_NO_MATCH);
	assert_int_equal(rx_one(mac, 0), SNIC_DROP_NO_MATCH);

	/* RULE_QUERY gives the equivalent ternary entry (host software classifier). */
	struct snic_rule_ref ref = { vi.mac_rule };
	struct snic_admin_cpl cpl;
	assert_int_equal(admin(SNIC_CMD_RULE_QUERY, &ref, sizeof(ref), &cpl), SNIC_OK);
	const struct snic_rule_info *ri = (const void *)cpl.payload;
	assert_memory_equal(ri->rule.value.dmac, mac, 6);
	assert_int_equal(ri->rule.mask.flags, SNIC_KF_VLAN);
	assert_int_equal(ri->rule.value.flags, SNIC_KF_VLAN);
	assert_int_equal(ri->rule.mask.vlan[0], 0x0f);
	assert_int_equal(ri->rule.value.vlan[1], 100);
	assert_int_equal(ri->rule.action.vnic, vi.vnic);
	struct snic_key k;
	key_of(frame, 0, &k);
	k.flags = SNIC_KF_VLAN;
	k.vlan[0] = 0x20;
	k.vlan[1] = 100;
	assert_true(snic_rule_matches(&ri->rule, &k));

	/* Destroy removes the exact entry. */
	struct snic_vnic_ref vr = { vi.vnic, 0 };
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &vr, sizeof(vr), NULL), SNIC_OK);
	assert_int_equal(find_key(0x02aa00000001ull << 16 | 100), -1);
	assert_int_equal(rx_one(mac, 100), SNIC_DROP_NO_MATCH);
	assert_int_equal(admin(SNIC_CMD_RULE_QUERY, &ref, sizeof(ref), NULL), SNIC_E_NOENT);
}

/*
 * The exact key cannot tell untagged from VID 0: such VNICs stay ternary,
 * so untagged and priority-tagged frames keep today's meaning.
 */
static void test_vnic_untagged_and_vid0(void **state)
{
	(void)state;
	boot("large");
	const uint8_t mac[6] = { 0x02, 0xbb, 0, 0, 0, 0x02 };
	struct snic_vnic_info u, z;
	assert_int_equal(port_set(0, 1), SNIC_OK);
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac, SNIC_VLAN_NONE, SNIC_VNICF_SW_ONLY, 0, &u),
			 SNIC_OK);
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac, 0, SNIC_VNICF_SW_ONLY, 0, &z), SNIC_OK);
	assert_int_equal(fake.x_writes, 0);
	assert_int_equal(fake.valid[u.mac_rule], 1);
	assert_int_equal(fake.valid[z.mac_rule], 1);
	rx_post(0, 8, 2048);
	struct snic_rx_cpl c;
	assert_int_equal(rx_one(mac, SNIC_VLAN_NONE), HAL_DELIVERED);
	assert_int_equal(rx_take(0, &c), 1);
	assert_int_equal(c.vnic, u.vnic);
	assert_int_equal(c.rule, u.mac_rule);
	assert_int_equal(rx_one(mac, 0), HAL_DELIVERED); /* priority-tagged */
	assert_int_equal(rx_take(0, &c), 1);
	assert_int_equal(c.vnic, z.vnic);
	struct snic_vnic_ref vr = { z.vnic, 0 };
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &vr, sizeof(vr), NULL), SNIC_OK);
	assert_int_equal(rx_one(mac, 0), SNIC_DROP_NO_MATCH); /* never the untagged VNIC */
}

/* RING_BIND rewrites the action in the same slot; RESET empties the table. */
static void test_vnic_bind_and_reset(void **state)
{
	(void)state;
	boot("large");
	const uint8_t mac[6] = { 0x02, 0xcc, 0, 0, 0, 0x03 };
	struct snic_vnic_info vi;
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac, 7, SNIC_VNICF_SW_ONLY, 0, &vi), SNIC_OK);
	const uint64_t k = 0x02cc00000003ull << 16 | 7;
	int32_t slot = find_key(k);
	assert_true(slot >= 0);
	assert_int_equal(fake.xslot[slot].action.flags, SNIC_ACT_COUNT | SNIC_ACT_MARK_SW);
	unsigned w = fake.x_writes;
	struct snic_ring_bind b = { 3, vi.vnic };
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_OK);
	assert_int_equal(find_key(k), slot);
	assert_int_equal(fake.xslot[slot].action.flags, SNIC_ACT_COUNT);
	assert_int_equal(fake.x_writes, w + 1);
	b.vnic = SNIC_VNIC_NONE;
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_OK);
	assert_int_equal(fake.xslot[slot].action.flags, SNIC_ACT_COUNT | SNIC_ACT_MARK_SW);

	assert_int_equal(admin(SNIC_CMD_RESET, NULL, 0, NULL), SNIC_OK);
	assert_int_equal(find_key(k), -1);
	assert_int_equal(fw_exact_get_stats()->used, 0);
	/* The same (MAC, VLAN) can come back. */
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac, 7, 0, 0, &vi), SNIC_OK);
	assert_true(find_key(k) >= 0);
}

static void test_vnic_small_profile(void **state)
{
	(void)state;
	boot("small");
	const uint8_t mac[6] = { 0x02, 0xdd, 0, 0, 0, 0x04 };
	struct snic_vnic_info vi;
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac, 100, 0, 0, &vi), SNIC_OK);
	assert_int_equal(fake.x_writes + fake.x_clears, 0);
	assert_int_equal(fake.valid[vi.mac_rule], 1);
	assert_int_equal(port_set(0, 1), SNIC_OK);
	rx_post(vi.rx_ring, 2, 2048);
	assert_int_equal(rx_one(mac, 100), HAL_DELIVERED);
	struct snic_rx_cpl c;
	assert_int_equal(rx_take(vi.rx_ring, &c), 1);
	assert_int_equal(c.rule, vi.mac_rule);
}

/*
 * Admin level at high fill: the table is filled to 90 % through the
 * firmware's own insert (test-only path: only VNICs use it otherwise),
 * then 1000 VNIC create/destroy cycles with random (MAC, VLAN) each find
 * room, steer their frames, and disturb no other entry; at 100 % a create
 * is refused with NOSPC and changes nothing.
 */
static void test_admin_at_high_fill(void **state)
{
	(void)state;
	boot("large");
	arm_order_check();
	const unsigned fill = SLOTS * 9 / 10;
	uint64_t *keys = calloc(SLOTS, sizeof(*keys));
	assert_non_null(keys);
	const struct snic_action drop = { SNIC_VNIC_NONE, SNIC_RING_DEFAULT, SNIC_METER_NONE,
					  SNIC_ACT_DROP, 0 };
	for (unsigned i = 0; i < fill; i++) {
		keys[i] = rand_key();
		assert_int_equal(fw_exact_insert(keys[i], &drop, NULL), SNIC_OK);
	}

	struct { int live; uint64_t key; } v[128];
	memset(v, 0, sizeof(v));
	unsigned creates = 0;
	for (unsigned cycle = 0; cycle < 1000; cycle++) {
		unsigned id = (unsigned)(rnd() % 128);
		if (v[id].live) {
			struct snic_vnic_ref vr = { (uint16_t)id, 0 };
			deleting = v[id].key;
			assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &vr, sizeof(vr), NULL), SNIC_OK);
			deleting = 0;
			assert_int_equal(engine_slot(v[id].key, NULL), -1);
			v[id].live = 0;
			continue;
		}
		uint64_t k = rand_key();
		uint8_t mac[6];
		mac_of_key(k, mac);
		struct snic_vnic_info vi;
		assert_int_equal(vnic_create((uint16_t)id, mac, (uint16_t)(k & 0xfff), 0, 0, &vi),
				 SNIC_OK);
		struct snic_action got;
		assert_true(engine_slot(k, &got) >= 0);
		assert_int_equal(got.vnic, id);
		v[id].live = 1;
		v[id].key = k;
		creates++;
	}
	assert_true(creates > 300);
	assert_int_equal(hidden, 0);
	for (unsigned i = 0; i < fill; i++)
		assert_true(engine_slot(keys[i], NULL) >= 0);
	for (unsigned id = 0; id < 128; id++)
		if (v[id].live)
			assert_true(engine_slot(v[id].key, NULL) >= 0);

	/* End to end through steering at this fill. */
	unsigned id;
	for (id = 0; id < 128 && !v[id].live; id++)
		;
	assert_true(id < 128);
	uint8_t mac[6];
	mac_of_key(v[id].key, mac);
	struct snic_vnic_ref vr = { (uint16_t)id, 0 };
	struct snic_admin_cpl cpl;
	assert_int_equal(admin(SNIC_CMD_VNIC_QUERY, &vr, sizeof(vr), &cpl), SNIC_OK);
	const struct snic_vnic_info *vi = (const void *)cpl.payload;
	assert_int_equal(port_set(0, 1), SNIC_OK);
	rx_post(vi->rx_ring, 2, 2048);
	assert_int_equal(rx_one(mac, (uint16_t)(v[id].key & 0xfff)), HAL_DELIVERED);

	/* Fill to the brim (whether a key fits depends on its buckets: stop
	 * after 100 refusals in a row), then a tagged VNIC finds no room. */
	unsigned n = fill;
	for (unsigned refused = 0; refused < 100;) {
		uint64_t k = rand_key();
		if (fw_exact_insert(k, &drop, NULL) == SNIC_OK) {
			keys[n++] = k;
			refused = 0;
		} else {
			refused++;
		}
	}
	for (id = 0; id < 128 && v[id].live; id++)
		;
	assert_true(id < 128);
	int st = SNIC_OK;
	for (unsigned tries = 0; tries < 100 && st == SNIC_OK; tries++) {
		struct snapshot s;
		snap_take(&s);
		uint64_t k = rand_key();
		mac_of_key(k, mac);
		st = vnic_create((uint16_t)id, mac, (uint16_t)(k & 0xfff), 0, 0, NULL);
		if (st == SNIC_OK) { /* it fitted: take it away again */
			vr.vnic = (uint16_t)id;
			deleting = k;
			assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &vr, sizeof(vr), NULL), SNIC_OK);
			deleting = 0;
		} else {
			assert_int_equal(st, SNIC_E_NOSPC);
			assert_true(snap_same(&s));
		}
		snap_free(&s);
	}
	assert_int_equal(st, SNIC_E_NOSPC);
	/* An untagged VNIC does not need the exact table. */
	assert_int_equal(vnic_create((uint16_t)id, mac, SNIC_VLAN_NONE, 0, 0, NULL), SNIC_OK);
	assert_int_equal(hidden, 0);
	for (unsigned i = 0; i < n; i++)
		assert_true(engine_slot(keys[i], NULL) >= 0);
	free(keys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_vnic_tagged, teardown),
		cmocka_unit_test_teardown(test_vnic_untagged_and_vid0, teardown),
		cmocka_unit_test_teardown(test_vnic_bind_and_reset, teardown),
		cmocka_unit_test_teardown(test_vnic_small_profile, teardown),
		cmocka_unit_test_teardown(test_admin_at_high_fill, teardown),
	};
	return cmocka_run_group_tests_name("fw_exact_vnic", tests, NULL, NULL);
}
