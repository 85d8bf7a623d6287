/* SPDX-License-Identifier: MIT */
/*
 * Differential tests of the fast ternary classifier (classifier/fastcls.c)
 * against the reference snic_tcam_lookup: the same rule table, the same
 * keys, the whole snic_match compared, over random tables of every shape
 * (empty, wildcard-heavy, overlapping, catch-alls, full) and random and
 * adversarial keys, with rules added and removed between lookups; then the
 * HDL differential corpus (tests/hdl/pktgen.c frames and rules).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "classifier.h"
#include "fastcls.h"
#include "../hdl/pktgen.h"

#define DEPTH 1024

struct pair {
	struct snic_rule entries[DEPTH];
	uint8_t valid[DEPTH];
	struct snic_tcam ref;
	struct snic_fcls fast;
	void *mem;
	uint64_t compared;
};

static struct pair *pair_new(uint32_t depth)
{
	struct pair *p = calloc(1, sizeof(*p));
	size_t len = snic_fcls_storage(depth);

	assert_non_null(p);
	p->mem = malloc(len);
	assert_non_null(p->mem);
	assert_int_equal(snic_fcls_init(&p->fast, depth, p->mem, len), 0);
	p->ref = (struct snic_tcam){ depth, p->entries, p->valid };
	return p;
}

static void pair_free(struct pair *p)
{
	free(p->mem);
	free(p);
}

static void pair_set(struct pair *p, uint32_t i, const struct snic_rule *r)
{
	p->entries[i] = *r;
	p->valid[i] = 1;
	assert_int_equal(snic_fcls_set(&p->fast, i, r), 0);
}

static void pair_clear(struct pair *p, uint32_t i)
{
	p->valid[i] = 0;
	assert_int_equal(snic_fcls_clear(&p->fast, i), 0);
}

static void pair_check(struct pair *p, const struct snic_key *k)
{
	struct snic_match want, got;

	memset(&got, 0xa5, sizeof(got));   /* every byte must be written */
	snic_tcam_lookup(&p->ref, k, &want);
	snic_fcls_lookup(&p->fast, k, &got);
	if (memcmp(&want, &got, sizeof(want))) {
		key_dump("key", k);
		fail_msg("rule %u, fast classifier gave %u", want.rule, got.rule);
	}
	p->compared++;
}

/* Shapes of random rules. */
enum shape { SPARSE, WILDCARD, FIVE_TUPLE, OVERLAP, CATCH_ALL, N_SHAPES };

static void rule_shape(struct rng *r, enum shape s, const struct snic_rule *near,
		       struct snic_rule *rule)
{
	uint8_t *v = (uint8_t *)&rule->value, *m = (uint8_t *)&rule->mask;
	static const uint8_t tuple[] = { 0, 20, 24, 25, 26, 27, 40, 41, 42, 43, 56, 57, 58, 59 };

	memset(rule, 0, sizeof(*rule));
	for (uint32_t b = 0; b < SNIC_KEY_BYTES; b++)
		v[b] = (uint8_t)rng_next(r);
	if (s == SPARSE) {
		for (uint32_t b = 0; b < SNIC_KEY_BYTES; b++)
			m[b] = rng_pct(r, 20) ? (uint8_t)rng_next(r) : 0;
	} else if (s == WILDCARD) {
		/* One or two bits of one or two bytes: many rules match a key. */
		for (int n = 1 + (int)rng_below(r, 2); n; n--)
			m[rng_below(r, SNIC_KEY_BYTES)] |= (uint8_t)(1u << rng_below(r, 8));
	} else if (s == FIVE_TUPLE) {
		for (uint32_t i = 0; i < sizeof(tuple); i++)
			m[tuple[i]] = rng_pct(r, 60) ? 0xff : (uint8_t)(0xff << rng_below(r, 8));
	} else if (s == OVERLAP && near) {
		/* Another rule's pattern, narrowed or widened by a few bits. */
		*rule = *near;
		for (int n = (int)rng_below(r, 4); n; n--)
			m[rng_below(r, SNIC_KEY_BYTES)] ^= (uint8_t)(1u << rng_below(r, 8));
	}
	rule->action.vnic = (uint16_t)rng_below(r, 200);
	rule->action.ring = (uint16_t)rng_next(r);
	rule->action.meter = (uint16_t)rng_next(r);
	rule->action.flags = (uint8_t)rng_next(r);
}

/* A random key, one a rule matches, or a near miss of a rule (one masked
 * bit flipped: the adversarial case for a per-byte scheme). */
static void key_for(struct rng *r, const struct pair *p, uint32_t depth, struct snic_key *k)
{
	uint8_t *kb = (uint8_t *)k;
	uint32_t i = rng_below(r, depth), kind = rng_below(r, 3);

	for (uint32_t b = 0; b < SNIC_KEY_BYTES; b++)
		kb[b] = (uint8_t)rng_next(r);
	if (kind == 0 || !p->valid[i])
		return;
	const uint8_t *v = (const uint8_t *)&p->entries[i].value;
	const uint8_t *m = (const uint8_t *)&p->entries[i].mask;
	for (uint32_t b = 0; b < SNIC_KEY_BYTES; b++)
		kb[b] = (uint8_t)((kb[b] & ~m[b]) | (v[b] & m[b]));
	if (kind == 2) {
		uint32_t b = rng_below(r, SNIC_KEY_BYTES);
		if (m[b])
			kb[b] ^= (uint8_t)(m[b] & -m[b]);
	}
}

static void fill(struct rng *r, struct pair *p, uint32_t depth, enum shape s, uint32_t pct)
{
	struct snic_rule rule;

	for (uint32_t i = 0; i < depth; i++) {
		if (!rng_pct(r, pct))
			continue;
		const struct snic_rule *near = i ? &p->entries[rng_below(r, i)] : NULL;
		rule_shape(r, s == OVERLAP && !i ? SPARSE : s, near, &rule);
		pair_set(p, i, &rule);
	}
}

static void run_tables(uint32_t depth, uint32_t tables, uint32_t keys, uint64_t seed)
{
	struct rng r = { seed };
	struct snic_key k;
	uint64_t total = 0;

	for (uint32_t t = 0; t < tables; t++) {
		struct pair *p = pair_new(depth);
		enum shape s = (enum shape)(t % N_SHAPES);
		fill(&r, p, depth, s, s == CATCH_ALL ? 1 : 30 + rng_below(&r, 71));
		for (uint32_t n = 0; n < keys; n++) {
			key_for(&r, p, depth, &k);
			pair_check(p, &k);
			/* Change the table between lookups now and then. */
			if (n % 64 == 63) {
				struct snic_rule rule;
				uint32_t i = rng_below(&r, depth);
				rule_shape(&r, s, &p->entries[rng_below(&r, depth)], &rule);
				if (rng_pct(&r, 50))
					pair_set(p, i, &rule);
				else
					pair_clear(p, i);
			}
		}
		total += p->compared;
		pair_free(p);
	}
	print_message("# %llu lookups compared at depth %u\n", (unsigned long long)total, depth);
}

static void test_small_tables(void **state)
{
	(void)state;
	run_tables(10, 400, 2500, 1);     /* 1,000,000 lookups */
	run_tables(100, 100, 10000, 2);   /* 1,000,000 */
}

static void test_full_tables(void **state)
{
	(void)state;
	run_tables(DEPTH, 50, 20000, 3);  /* 1,000,000 against a 1024-deep scan */
}

static void test_empty_and_catch_all(void **state)
{
	(void)state;
	struct pair *p = pair_new(DEPTH);
	struct rng r = { 4 };
	struct snic_rule all;
	struct snic_key k;

	for (int n = 0; n < 1000; n++) {   /* empty: every key misses */
		key_for(&r, p, DEPTH, &k);
		assert_int_equal(snic_fcls_find(&p->fast, &k), SNIC_RULE_MISS);
		pair_check(p, &k);
	}
	memset(&all, 0, sizeof(all));     /* all masked out: matches anything */
	all.action.vnic = 7;
	pair_set(p, 1023, &all);
	pair_set(p, 500, &all);
	for (int n = 0; n < 1000; n++) {
		key_for(&r, p, DEPTH, &k);
		assert_int_equal(snic_fcls_find(&p->fast, &k), 500);
		pair_check(p, &k);
	}
	pair_clear(p, 500);
	key_for(&r, p, DEPTH, &k);
	assert_int_equal(snic_fcls_find(&p->fast, &k), 1023);
	pair_clear(p, 1023);
	assert_int_equal(snic_fcls_find(&p->fast, &k), SNIC_RULE_MISS);
	assert_int_equal(p->fast.n_active, 0);
	assert_int_equal(p->fast.top, 0);
	pair_free(p);
}

/* Every index holds a rule; removing them from the top moves the winner. */
static void test_full_and_drain(void **state)
{
	(void)state;
	struct pair *p = pair_new(DEPTH);
	struct rng r = { 5 };
	struct snic_rule rule;
	struct snic_key k;

	for (uint32_t i = 0; i < DEPTH; i++) {
		rule_shape(&r, WILDCARD, NULL, &rule);
		pair_set(p, i, &rule);
	}
	for (uint32_t i = 0; i < DEPTH; i++) {
		for (int n = 0; n < 20; n++) {
			key_for(&r, p, DEPTH, &k);
			pair_check(p, &k);
		}
		pair_clear(p, i);
	}
	assert_int_equal(p->fast.top, 0);
	pair_free(p);
}

static void test_bad_args(void **state)
{
	(void)state;
	struct snic_fcls c;
	struct snic_rule rule;
	size_t len = snic_fcls_storage(64);
	void *mem = malloc(len);

	assert_non_null(mem);
	assert_int_equal(snic_fcls_init(&c, 0, mem, len), -1);
	assert_int_equal(snic_fcls_init(&c, SNIC_FCLS_MAX_DEPTH + 1, mem, len), -1);
	assert_int_equal(snic_fcls_init(&c, 64, mem, len - 1), -1);
	assert_int_equal(snic_fcls_init(&c, 64, mem, len), 0);
	memset(&rule, 0, sizeof(rule));
	assert_int_equal(snic_fcls_set(&c, 64, &rule), -1);
	assert_int_equal(snic_fcls_clear(&c, 64), -1);
	assert_int_equal(c.top, 0);        /* the refused calls changed nothing */
	free(mem);
}

/* The batch API gives what single lookups give. */
static void test_burst(void **state)
{
	(void)state;
	enum { N = 1000 };
	struct pair *p = pair_new(DEPTH);
	struct rng r = { 6 };
	static struct snic_key keys[N];
	static struct snic_match got[N];

	fill(&r, p, DEPTH, FIVE_TUPLE, 50);
	for (uint32_t n = 0; n < N; n++)
		key_for(&r, p, DEPTH, &keys[n]);
	for (uint32_t n = 0; n <= N; n += N / 4 + 3) {   /* partial bursts too */
		memset(got, 0xa5, sizeof(got));
		snic_fcls_lookup_burst(&p->fast, keys, n, got);
		for (uint32_t i = 0; i < n; i++) {
			struct snic_match want;
			snic_tcam_lookup(&p->ref, &keys[i], &want);
			assert_memory_equal(&want, &got[i], sizeof(want));
		}
		assert_int_equal(got[n < N ? n : N - 1].rsvd, n < N ? 0xa5 : 0);
	}
	pair_free(p);
}

/* The HDL differential test's corpus: parsed random, malformed and
 * truncated frames, and rules made from them. */
static void test_hdl_corpus(void **state)
{
	(void)state;
	struct rng r = { 7 };
	struct pkt pk;
	struct snic_key keys[64], k;
	struct snic_rule rule;

	for (int set = 0; set < 40; set++) {
		uint32_t depth = set % 2 ? DEPTH : 1 + rng_below(&r, 256);
		struct pair *p = pair_new(depth);
		for (int i = 0; i < 64; i++) {
			pkt_random(&r, &pk);
			snic_parse(pk.data, pk.caplen, pk.frame_len, pk.port, &keys[i]);
		}
		for (uint32_t i = 0; i < depth; i++) {
			if (!rng_pct(&r, 40))
				continue;
			rule_random(&r, &keys[rng_below(&r, 64)], ~0ull, &rule);
			pair_set(p, i, &rule);
		}
		for (int n = 0; n < 5000; n++) {
			pkt_random(&r, &pk);
			snic_parse(pk.data, pk.caplen, pk.frame_len, pk.port, &k);
			pair_check(p, rng_pct(&r, 50) ? &k : &keys[rng_below(&r, 64)]);
		}
		pair_free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_empty_and_catch_all),
		cmocka_unit_test(test_full_and_drain),
		cmocka_unit_test(test_burst),
		cmocka_unit_test(test_small_tables),
		cmocka_unit_test(test_full_tables),
		cmocka_unit_test(test_hdl_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
