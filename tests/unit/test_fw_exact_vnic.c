/* SPDX-License-Identifier: MIT */
/*
 * VNIC (MAC, VLAN) steering through the exact-match table: every VNIC on
 * "large" gets an exact entry (untagged, VLAN 0 = priority-tagged and VLAN
 * N told apart by the key's tagged bit; QinQ by the inner tag), bind,
 * destroy and RESET, the small profile, and the admin path at high fill.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "core/exact_table.h"
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
		if (fake->xslot[s].valid && fake->xslot[s].key == k)
			return (int32_t)s;
	return -1;
}

/* No entry of the ternary table is in use: every MAC is in the exact table. */
static int ternary_unused(void)
{
	for (unsigned i = 0; i < FAKE_TCAM; i++)
		if (fake->valid[i])
			return 0;
	return fake->cls_writes == 0;
}

/* A QinQ frame (outer 0x88a8 VID 5, inner 0x8100 `inner`) to mac, through
 * the reference parser. */
static int rx_qinq(const uint8_t *mac, uint16_t inner)
{
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0xef };
	uint8_t f[64];
	struct snic_key k;
	memset(f, 0, sizeof(f));
	memcpy(f, mac, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88, f[13] = 0xa8, f[14] = 0x00, f[15] = 5;
	f[16] = 0x81, f[17] = 0x00, f[18] = (uint8_t)(0x60 | inner >> 8), f[19] = (uint8_t)inner;
	f[20] = 0x88, f[21] = 0xb5;
	snic_parse(f, sizeof(f), sizeof(f), 0, &k);
	assert_int_equal(k.flags & (SNIC_KF_VLAN | SNIC_KF_QINQ), SNIC_KF_VLAN | SNIC_KF_QINQ);
	fake_rx_push_key(f, sizeof(f), 0, &k);
	fw_poll(tfw);
	return fake->last_reason;
}

static int rx_one(const uint8_t *mac, uint16_t vlan)
{
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0xee };
	uint32_t len = make_eth(frame, mac, src, vlan, 0x88b5, 60);
	rx_frame(frame, len, 0);
	fw_poll(tfw);
	return fake->last_reason;
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
	/* Past the 1024 host entries: the exact table ranks after them all. */
	assert_int_equal(vi.mac_rule, 1024 + vi.vnic);
	int32_t slot = find_key(0x02aa00000001ull << 16 | 0x1000 | 100);
	assert_true(slot >= 0);
	assert_int_equal(fake->xslot[slot].action.vnic, vi.vnic);
	assert_int_equal(fake->xslot[slot].action.flags, SNIC_ACT_COUNT);
	assert_true(ternary_unused());

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
	/* QinQ: the inner tag counts, as in the ternary entry. */
	assert_int_equal(rx_qinq(mac, 100), HAL_DELIVERED);
	assert_int_equal(rx_take(vi.rx_ring, &c), 1);
	assert_int_equal(c.rule, SNIC_RULE_EXACT + slot);
	assert_int_equal(rx_qinq(mac, 5), SNIC_DROP_NO_MATCH);

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
	assert_int_equal(ri->hits, 0);
	struct snic_key k;
	key_of(frame, 0, &k);
	k.flags = SNIC_KF_VLAN;
	k.vlan[0] = 0x20;
	k.vlan[1] = 100;
	assert_true(snic_rule_matches(&ri->rule, &k));

	/* Destroy removes the exact entry. */
	struct snic_vnic_ref vr = { vi.vnic, 0 };
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &vr, sizeof(vr), NULL), SNIC_OK);
	assert_int_equal(find_key(0x02aa00000001ull << 16 | 0x1000 | 100), -1);
	assert_int_equal(rx_one(mac, 100), SNIC_DROP_NO_MATCH);
	assert_int_equal(admin(SNIC_CMD_RULE_QUERY, &ref, sizeof(ref), NULL), SNIC_E_NOENT);
}

/*
 * The key's tagged bit tells untagged frames (VNIC without a VLAN) from
 * priority-tagged ones (VNIC on VLAN 0): one MAC, three VNICs, three exact
 * entries, no ternary entry, each frame to its own VNIC only.
 */
static void test_vnic_untagged_and_vid0(void **state)
{
	(void)state;
	boot("large");
	const uint8_t mac[6] = { 0x02, 0xbb, 0, 0, 0, 0x02 };
	struct snic_vnic_info u, z, t;
	assert_int_equal(port_set(0, 1), SNIC_OK);
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac, SNIC_VLAN_NONE, SNIC_VNICF_SW_ONLY, 0, &u),
			 SNIC_OK);
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac, 0, SNIC_VNICF_SW_ONLY, 0, &z), SNIC_OK);
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac, 7, SNIC_VNICF_SW_ONLY, 0, &t), SNIC_OK);
	assert_int_equal(fake->x_writes, 3);
	assert_true(ternary_unused());
	const uint64_t base = 0x02bb00000002ull << 16;
	int32_t su = find_key(base), sz = find_key(base | 0x1000), st = find_key(base | 0x1007);
	assert_true(su >= 0 && sz >= 0 && st >= 0);
	assert_int_equal(fake->xslot[su].action.vnic, u.vnic);
	assert_int_equal(fake->xslot[sz].action.vnic, z.vnic);
	assert_int_equal(fake->xslot[st].action.vnic, t.vnic);

	rx_post(0, 16, 2048);
	struct snic_rx_cpl c;
	assert_int_equal(rx_one(mac, SNIC_VLAN_NONE), HAL_DELIVERED);
	assert_int_equal(rx_take(0, &c), 1);
	assert_int_equal(c.vnic, u.vnic);
	assert_int_equal(c.rule, SNIC_RULE_EXACT + su);
	assert_int_equal(rx_one(mac, 0), HAL_DELIVERED); /* priority-tagged */
	assert_int_equal(rx_take(0, &c), 1);
	assert_int_equal(c.vnic, z.vnic);
	assert_int_equal(c.rule, SNIC_RULE_EXACT + sz);
	assert_int_equal(rx_one(mac, 7), HAL_DELIVERED);
	assert_int_equal(rx_take(0, &c), 1);
	assert_int_equal(c.vnic, t.vnic);
	/* QinQ with inner VID 0 is priority-tagged for the VNICs, too. */
	assert_int_equal(rx_qinq(mac, 0), HAL_DELIVERED);
	assert_int_equal(rx_take(0, &c), 1);
	assert_int_equal(c.vnic, z.vnic);

	/* The host software classifier's view (RULE_QUERY) says the same. */
	struct snic_rule_ref ref = { u.mac_rule };
	struct snic_admin_cpl cpl;
	assert_int_equal(admin(SNIC_CMD_RULE_QUERY, &ref, sizeof(ref), &cpl), SNIC_OK);
	const struct snic_rule_info *ri = (const void *)cpl.payload;
	assert_int_equal(ri->rule.mask.flags, SNIC_KF_VLAN);
	assert_int_equal(ri->rule.value.flags, 0);
	ref.loc = z.mac_rule;
	assert_int_equal(admin(SNIC_CMD_RULE_QUERY, &ref, sizeof(ref), &cpl), SNIC_OK);
	assert_int_equal(ri->rule.value.flags, SNIC_KF_VLAN);
	assert_int_equal(ri->rule.mask.vlan[0], 0x0f);
	assert_int_equal(ri->rule.value.vlan[0] | ri->rule.value.vlan[1], 0);

	struct snic_vnic_ref vr = { z.vnic, 0 };
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &vr, sizeof(vr), NULL), SNIC_OK);
	assert_int_equal(find_key(base | 0x1000), -1);
	assert_int_equal(rx_one(mac, 0), SNIC_DROP_NO_MATCH); /* never the untagged VNIC */
	vr.vnic = u.vnic;
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &vr, sizeof(vr), NULL), SNIC_OK);
	assert_int_equal(rx_one(mac, SNIC_VLAN_NONE), SNIC_DROP_NO_MATCH);
	assert_int_equal(rx_one(mac, 7), HAL_DELIVERED);
	assert_int_equal(rx_take(0, &c), 1);
	assert_int_equal(c.vnic, t.vnic);
	assert_int_equal(fw_exact_get_stats(tfw)->used, 1);
}

/* RING_BIND rewrites the action in the same slot; RESET empties the table. */
static void test_vnic_bind_and_reset(void **state)
{
	(void)state;
	boot("large");
	const uint8_t mac[6] = { 0x02, 0xcc, 0, 0, 0, 0x03 };
	struct snic_vnic_info vi;
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac, 7, SNIC_VNICF_SW_ONLY, 0, &vi), SNIC_OK);
	const uint64_t k = 0x02cc00000003ull << 16 | 0x1000 | 7;
	int32_t slot = find_key(k);
	assert_true(slot >= 0);
	assert_int_equal(fake->xslot[slot].action.flags, SNIC_ACT_COUNT | SNIC_ACT_MARK_SW);
	unsigned w = fake->x_writes;
	struct snic_ring_bind b = { 3, vi.vnic };
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_OK);
	assert_int_equal(find_key(k), slot);
	assert_int_equal(fake->xslot[slot].action.flags, SNIC_ACT_COUNT);
	assert_int_equal(fake->x_writes, w + 1);
	b.vnic = SNIC_VNIC_NONE;
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_OK);
	assert_int_equal(fake->xslot[slot].action.flags, SNIC_ACT_COUNT | SNIC_ACT_MARK_SW);

	assert_int_equal(admin(SNIC_CMD_RESET, NULL, 0, NULL), SNIC_OK);
	assert_int_equal(find_key(k), -1);
	assert_int_equal(fw_exact_get_stats(tfw)->used, 0);
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
	assert_int_equal(fake->x_writes + fake->x_clears, 0);
	assert_int_equal(fake->valid[vi.mac_rule], 1);
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
		assert_int_equal(fw_exact_insert(tfw, keys[i], &drop, NULL), SNIC_OK);
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
		assert_int_equal(vnic_create((uint16_t)id, mac, vlan_of_key(k), 0, 0, &vi),
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
	assert_int_equal(rx_one(mac, vlan_of_key(v[id].key)), HAL_DELIVERED);

	/* Fill to the brim (whether a key fits depends on its buckets: stop
	 * after 100 refusals in a row), then a VNIC finds no room. */
	unsigned n = fill;
	for (unsigned refused = 0; refused < 100;) {
		uint64_t k = rand_key();
		if (fw_exact_insert(tfw, k, &drop, NULL) == SNIC_OK) {
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
		st = vnic_create((uint16_t)id, mac, vlan_of_key(k), 0, 0, NULL);
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
	/* Room again where an entry went: a VNIC with that entry's (MAC,
	 * VLAN) has the freed slot in its bucket. */
	deleting = keys[0];
	assert_int_equal(fw_exact_delete(tfw, keys[0]), SNIC_OK);
	deleting = 0;
	uint8_t mac0[6];
	mac_of_key(keys[0], mac0);
	assert_int_equal(vnic_create((uint16_t)id, mac0, vlan_of_key(keys[0]), 0, 0, NULL),
			 SNIC_OK);
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
