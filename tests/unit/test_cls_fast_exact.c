/* SPDX-License-Identifier: MIT */
/*
 * The fast exact-match lookup (classifier/exact_hash.c) against the
 * reference snic_exact_lookup over the firmware's table layout: the same
 * buckets for every table size, the same slot for keys present, absent,
 * duplicated (the lowest index wins) and placed in the wrong bucket, single
 * and burst. The bucket is also checked against H3 computed bit by bit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "exact_hash.h"
#include "../hdl/pktgen.h"

static struct snic_exact_hasher hasher;

/* H3 from its definition, one bit at a time. */
static uint32_t h3_by_bits(uint64_t x, unsigned way)
{
	uint32_t b = 0;

	for (unsigned i = 0; i < SNIC_EXACT_HASH_BITS; i++) {
		uint32_t p = 0;
		for (unsigned bit = 0; bit < 64; bit++)
			p ^= (uint32_t)((x & snic_exact_h3[way][i]) >> bit) & 1;
		b |= p << i;
	}
	return b;
}

static int setup(void **state)
{
	(void)state;
	snic_exact_hasher_init(&hasher);
	return 0;
}

/* A key as the firmware builds them: MAC in 63..16, tagged bit, VID. */
static uint64_t rand_key(struct rng *r)
{
	uint64_t k = rng_next(r) & ~0xe000ull;

	return rng_pct(r, 30) ? k & ~0x1fffull : k;
}

static void test_hash_equals_reference(void **state)
{
	(void)state;
	struct rng r = { 11 };

	for (int n = 0; n < 20000; n++) {
		uint64_t k = n < 64 ? 1ull << n : rng_next(&r);
		uint32_t h = snic_exact_hash2(&hasher, k);
		if (n % 16 == 0) {   /* the slow oracle on a sample */
			assert_int_equal(h & 0xffff, h3_by_bits(k, 0));
			assert_int_equal(h >> 16, h3_by_bits(k, 1));
		}
		for (uint32_t b = 1; b <= 1u << SNIC_EXACT_HASH_BITS; b <<= 1) {
			assert_int_equal(h & (b - 1), snic_exact_bucket(k, 0, b));
			assert_int_equal((h >> 16) & (b - 1), snic_exact_bucket(k, 1, b));
		}
	}
}

/* Fill a table the way cuckoo placement leaves it, plus stray entries. */
static void fill(struct rng *r, struct snic_exact *t, uint64_t *keys, uint32_t nkeys)
{
	uint32_t nslots = SNIC_EXACT_WAYS * t->buckets * SNIC_EXACT_SLOTS;

	memset(t->slots, 0, nslots * sizeof(*t->slots));
	for (uint32_t i = 0; i < nkeys; i++) {
		keys[i] = rand_key(r);
		unsigned w = rng_below(r, SNIC_EXACT_WAYS);
		uint32_t s = (w * t->buckets + snic_exact_bucket(keys[i], w, t->buckets)) *
			     SNIC_EXACT_SLOTS + rng_below(r, SNIC_EXACT_SLOTS);
		if (rng_pct(r, 5))       /* a stray: in a bucket it does not hash to */
			s = rng_below(r, nslots);
		t->slots[s].key = keys[i];
		t->slots[s].valid = (uint8_t)!rng_pct(r, 5);   /* some deleted */
		t->slots[s].action.vnic = (uint16_t)i;
		if (rng_pct(r, 3) && i)  /* a duplicate key in another slot */
			keys[i] = keys[rng_below(r, i)];
	}
}

static void test_lookup_equals_reference(void **state)
{
	(void)state;
	enum { MAXB = 4096, NKEYS = 20000, BURST = 1000 };
	struct rng r = { 12 };
	struct snic_exact_slot *slots = calloc(SNIC_EXACT_WAYS * MAXB * SNIC_EXACT_SLOTS,
					       sizeof(*slots));
	uint64_t *keys = calloc(NKEYS, sizeof(*keys)), q[BURST];
	uint8_t found[BURST];
	uint32_t slot[BURST];
	uint64_t hits = 0;

	assert_non_null(slots);
	assert_non_null(keys);
	for (uint32_t b = 1; b <= MAXB; b <<= 2) {
		struct snic_exact t = { b, slots };
		uint32_t nkeys = b * 6 < NKEYS ? b * 6 : NKEYS;   /* up to 75 % full */
		fill(&r, &t, keys, nkeys);
		for (int round = 0; round < 40; round++) {
			for (uint32_t i = 0; i < BURST; i++)
				q[i] = rng_pct(&r, 70) ? keys[rng_below(&r, nkeys)] : rand_key(&r);
			snic_exact_find_burst(&t, &hasher, q, BURST - (uint32_t)round, found, slot);
			for (uint32_t i = 0; i < BURST - (uint32_t)round; i++) {
				uint32_t want_slot = ~0u, got_slot = ~0u;
				int want = snic_exact_lookup(&t, q[i], &want_slot);
				int got = snic_exact_find(&t, &hasher, q[i], &got_slot);
				assert_int_equal(got, want);
				assert_int_equal(got_slot, want_slot);
				assert_int_equal(found[i], want);
				if (want)
					assert_int_equal(slot[i], want_slot);
				hits += (uint64_t)want;
			}
		}
	}
	assert_true(hits > 100000);   /* the keys present were looked up too */
	free(slots);
	free(keys);
}

static void test_no_table(void **state)
{
	(void)state;
	struct snic_exact none = { 0, NULL };
	uint64_t k = 0x0200000000011001ull;
	uint8_t found = 7;
	uint32_t slot = 9;

	assert_int_equal(snic_exact_find(NULL, &hasher, k, &slot), 0);
	assert_int_equal(snic_exact_find(&none, &hasher, k, &slot), 0);
	snic_exact_find_burst(&none, &hasher, &k, 1, &found, &slot);
	assert_int_equal(found, 0);
	assert_int_equal(slot, 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_equals_reference),
		cmocka_unit_test(test_lookup_equals_reference),
		cmocka_unit_test(test_no_table),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
