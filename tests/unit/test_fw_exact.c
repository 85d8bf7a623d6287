/* SPDX-License-Identifier: MIT */
/*
 * The exact-match table on its own: cuckoo insertion and displacement,
 * delete, update, duplicate, action pool, full table, 90 % fill, write
 * order (no lookup ever misses a present entry), boot checks. VNIC
 * steering on top of it: test_fw_exact_vnic.c.
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

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static void test_insert_find_delete(void **state)
{
	(void)state;
	boot("large");
	const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };
	const uint64_t k = 0x02005e102030ull << 16 | 0x1000 | 100;
	assert_true(fw_exact_mac_key(mac, 100) == k);
	/* Untagged: no tagged bit; VLAN 0 (priority-tagged): tagged, VID 0. */
	assert_true(fw_exact_mac_key(mac, SNIC_VLAN_NONE) == 0x02005e102030ull << 16);
	assert_true(fw_exact_mac_key(mac, 0) == (0x02005e102030ull << 16 | 0x1000));

	struct snic_action a = act_n(7), got;
	uint32_t slot, again;
	assert_int_equal(fw_exact_insert(tfw, k, &a, &slot), SNIC_OK);
	/* In one of its two candidate buckets (way 0 below BUCKETS * 4). */
	uint32_t b0 = snic_exact_bucket(k, 0, BUCKETS), b1 = snic_exact_bucket(k, 1, BUCKETS);
	assert_true(slot / 4 == b0 || slot / 4 == BUCKETS + b1);
	assert_true(fake->xslot[slot].valid);
	assert_true(fake->xslot[slot].key == k);
	assert_int_equal(engine_slot(k, &got), slot);
	assert_memory_equal(&got, &a, sizeof(a));
	assert_true(fw_exact_find(tfw, k, &again, &got));
	assert_int_equal(again, slot);
	assert_int_equal(fw_exact_get_stats(tfw)->used, 1);

	/* Duplicate: refused, nothing written. */
	unsigned w = fake->x_writes;
	struct snic_action other = act_n(8);
	assert_int_equal(fw_exact_insert(tfw, k, &other, NULL), SNIC_E_EXIST);
	assert_int_equal(fake->x_writes, w);
	assert_int_equal(fake->xslot[slot].action.vnic, 7);

	/* Another VID of the same MAC is another key. */
	assert_int_equal(fw_exact_insert(tfw, k + 1, &other, NULL), SNIC_OK);
	assert_int_equal(engine_slot(k, NULL), slot);

	/* Untagged and priority-tagged frames of one MAC are two keys too. */
	const uint64_t ku = fw_exact_mac_key(mac, SNIC_VLAN_NONE), kz = fw_exact_mac_key(mac, 0);
	struct snic_action au = act_n(11), az = act_n(12);
	assert_int_equal(engine_slot(ku, NULL), -1);
	assert_int_equal(fw_exact_insert(tfw, ku, &au, NULL), SNIC_OK);
	assert_int_equal(engine_slot(kz, NULL), -1);
	assert_true(engine_slot(ku, &got) >= 0);
	assert_int_equal(got.vnic, 11);
	assert_int_equal(fw_exact_insert(tfw, kz, &az, NULL), SNIC_OK);
	assert_true(engine_slot(kz, &got) >= 0);
	assert_int_equal(got.vnic, 12);
	assert_true(engine_slot(ku, &got) >= 0);
	assert_int_equal(got.vnic, 11);
	assert_int_equal(fw_exact_delete(tfw, ku), SNIC_OK);
	assert_int_equal(fw_exact_delete(tfw, kz), SNIC_OK);

	assert_int_equal(fw_exact_delete(tfw, k), SNIC_OK);
	assert_int_equal(engine_slot(k, NULL), -1);
	assert_false(fw_exact_find(tfw, k, NULL, NULL));
	assert_false(fake->xslot[slot].valid);
	assert_int_equal(fw_exact_delete(tfw, k), SNIC_E_NOENT);
	assert_true(engine_slot(k + 1, NULL) >= 0);
	assert_int_equal(fw_exact_get_stats(tfw)->used, 1);
}

static void test_update(void **state)
{
	(void)state;
	boot("large");
	struct snic_action a = act_n(1), b = act_n(2), got;
	uint64_t k1 = rand_key(), k2 = rand_key();
	uint32_t s1;
	assert_int_equal(fw_exact_insert(tfw, k1, &a, &s1), SNIC_OK);
	assert_int_equal(fw_exact_insert(tfw, k2, &a, NULL), SNIC_OK); /* shares a's pool entry */
	unsigned w = fake->x_writes;
	assert_int_equal(fw_exact_update(tfw, k1, &b), SNIC_OK);
	assert_int_equal(fake->x_writes, w + 1); /* one slot rewritten in place */
	assert_int_equal(engine_slot(k1, &got), s1);
	assert_int_equal(got.vnic, 2);
	assert_true(engine_slot(k2, &got) >= 0);
	assert_int_equal(got.vnic, 1);
	/* Sole user of its action: changed in place. */
	struct snic_action c = act_n(3);
	assert_int_equal(fw_exact_update(tfw, k1, &c), SNIC_OK);
	assert_int_equal(engine_slot(k1, &got), s1);
	assert_int_equal(got.vnic, 3);
	assert_int_equal(fw_exact_update(tfw, rand_key(), &c), SNIC_E_NOENT);
}

static void test_action_pool_full(void **state)
{
	(void)state;
	boot("large");
	for (unsigned i = 0; i < FW_EXACT_ACTIONS; i++) {
		struct snic_action a = act_n((uint16_t)i);
		assert_int_equal(fw_exact_insert(tfw, rand_key(), &a, NULL), SNIC_OK);
	}
	struct snapshot s;
	snap_take(&s);
	struct snic_action fresh = act_n(9999);
	uint64_t k = rand_key();
	assert_int_equal(fw_exact_insert(tfw, k, &fresh, NULL), SNIC_E_NOSPC);
	assert_true(snap_same(&s));
	snap_free(&s);
	assert_int_equal(engine_slot(k, NULL), -1);
	struct snic_action known = act_n(5);
	assert_int_equal(fw_exact_insert(tfw, k, &known, NULL), SNIC_OK);
}

/*
 * 90 % of the 16K slots with random (MAC, VID) keys: every insertion
 * succeeds, displacement happens, no write ever hides a present key, every
 * key is found with its own action, deletes and re-inserts keep it so.
 */
static void test_fill_90(void **state)
{
	(void)state;
	boot("large");
	arm_order_check();
	const unsigned n = SLOTS * 9 / 10;
	uint64_t *keys = calloc(n, sizeof(*keys));
	assert_non_null(keys);
	for (unsigned i = 0; i < n; i++) {
		keys[i] = rand_key();
		struct snic_action a = act_n((uint16_t)(i % 100));
		assert_int_equal(fw_exact_insert(tfw, keys[i], &a, NULL), SNIC_OK);
	}
	const struct fw_exact_stats *st = fw_exact_get_stats(tfw);
	assert_true(st->moves > 0);
	assert_true(st->longest >= 1 && st->longest <= FW_EXACT_MAX_MOVES);
	assert_int_equal(st->used, n);
	assert_int_equal(hidden, 0);
	assert_true(checked > 0); /* displacements overwrote stale copies */
	assert_int_equal(count_unique(), n);
	for (unsigned i = 0; i < n; i++) {
		struct snic_action got;
		assert_true(engine_slot(keys[i], &got) >= 0);
		assert_int_equal(got.vnic, i % 100);
	}
	print_message("# exact fill 90%%: %u entries, %llu moves, longest chain %u\n", n,
		      (unsigned long long)st->moves, st->longest);

	/* Delete every other key, then put them back. */
	for (unsigned i = 0; i < n; i += 2) {
		deleting = keys[i];
		assert_int_equal(fw_exact_delete(tfw, keys[i]), SNIC_OK);
	}
	deleting = 0;
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(engine_slot(keys[i], NULL) >= 0, i % 2);
	for (unsigned i = 0; i < n; i += 2) {
		struct snic_action a = act_n((uint16_t)(i % 100));
		assert_int_equal(fw_exact_insert(tfw, keys[i], &a, NULL), SNIC_OK);
	}
	for (unsigned i = 0; i < n; i++)
		assert_true(engine_slot(keys[i], NULL) >= 0);
	assert_int_equal(hidden, 0);
	assert_int_equal(count_unique(), n);
	free(keys);
}

/* Fill until the first refusal: it changes nothing and loses nothing
 * (only hal_exact_write/clear change the engine's table, so unchanged
 * counts prove an unchanged table). */
static void test_full(void **state)
{
	(void)state;
	boot("large");
	arm_order_check();
	uint64_t *keys = calloc(SLOTS, sizeof(*keys));
	assert_non_null(keys);
	const struct fw_exact_stats *st = fw_exact_get_stats(tfw);
	unsigned n = 0;
	for (;;) {
		uint64_t k = rand_key();
		struct snic_action a = act_n((uint16_t)(n % 50));
		unsigned w = fake->x_writes, c = fake->x_clears;
		int rc = fw_exact_insert(tfw, k, &a, NULL);
		if (rc == SNIC_OK) {
			keys[n++] = k;
			continue;
		}
		assert_int_equal(rc, SNIC_E_NOSPC);
		assert_int_equal(fake->x_writes, w);
		assert_int_equal(fake->x_clears, c);
		assert_int_equal(st->used, n);
		assert_int_equal(engine_slot(k, NULL), -1);
		break;
	}
	assert_int_equal(st->nospc, 1);
	assert_int_equal(hidden, 0);
	for (unsigned i = 0; i < n; i++)
		assert_true(engine_slot(keys[i], NULL) >= 0);
	assert_int_equal(count_unique(), n);
	print_message("# exact table full at %u of %u slots (%.1f %%), longest chain %u\n", n,
		      SLOTS, 100.0 * n / SLOTS, st->longest);
	assert_true(n >= SLOTS * 95 / 100);
	/* Room again after a delete. */
	assert_int_equal(fw_exact_delete(tfw, keys[0]), SNIC_OK);
	struct snic_action a = act_n(1);
	assert_int_equal(fw_exact_insert(tfw, keys[0], &a, NULL), SNIC_OK);
	free(keys);
}

static void test_no_table(void **state)
{
	(void)state;
	boot("small");
	struct snic_action a = act_n(1);
	assert_int_equal(fw_exact_insert(tfw, rand_key(), &a, NULL), SNIC_E_NOSPC);
	assert_int_equal(fake->x_writes + fake->x_clears, 0);
}

static void test_boot_checks_exact_size(void **state)
{
	(void)state;
	static const struct { uint32_t slots; int ok; } cases[] = {
		{ 0, 1 }, { 8, 1 }, { 16384, 1 }, { 1000, 0 }, { 24, 0 }, { 32768, 0 },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(fake_setup("large", TEST_WIN), 0);
		/* fewer VNICs than ternary entries, so the card boots without
		 * an exact table too (the MAC entries then take ternary slots) */
		fake->hw.max_vnics = 128;
		fake->hw.exact_entries = cases[i].slots;
		assert_int_equal(fw_init(tfw), cases[i].ok ? 0 : -1);
		if (cases[i].ok)
			assert_int_equal(fake->x_clears, cases[i].slots); /* boot clears them all */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_insert_find_delete, teardown),
		cmocka_unit_test_teardown(test_update, teardown),
		cmocka_unit_test_teardown(test_action_pool_full, teardown),
		cmocka_unit_test_teardown(test_fill_90, teardown),
		cmocka_unit_test_teardown(test_full, teardown),
		cmocka_unit_test_teardown(test_no_table, teardown),
		cmocka_unit_test_teardown(test_boot_checks_exact_size, teardown),
	};
	return cmocka_run_group_tests_name("fw_exact", tests, NULL, NULL);
}
