/* SPDX-License-Identifier: MIT */
/*
 * The exact-match half of the classifier bench: 16K (MAC, VLAN) keys in
 * the firmware's table layout (2-way cuckoo, 4-slot buckets, half full),
 * looked up by the reference snic_exact_lookup, the fast snic_exact_find
 * (single and burst) and rte_hash with the same keys (single and bulk).
 * 90 % of the looked-up keys are present. Results are compared first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "exact_hash.h"

#define EX_KEYS    16384u
#define EX_BUCKETS 4096u  /* per way: 32K slots for 16K keys */

struct ex {
	struct snic_exact t;
	struct snic_exact_hasher h;
	uint64_t stored[EX_KEYS];
	uint64_t keys[BENCH_KEYS];
	uint8_t found[BENCH_KEYS];
	uint32_t slot[BENCH_KEYS];
	int64_t data[BENCH_KEYS];
	struct rte_side *rte;
};

/* A (MAC, VLAN) key: dmac << 16, tagged bit, VID (exact.h). */
static uint64_t mac_key(struct rng *r)
{
	uint64_t k = rng_next(r) & 0xfeffffffffff0000ull;   /* unicast MACs */

	return rng_pct(r, 50) ? k | SNIC_EXACT_TAGGED | rng_below(r, 4096) : k;
}

/* Cuckoo placement as the firmware does it: a free slot in either bucket,
 * else move a resident of the first bucket to its other bucket. */
static int place(struct ex *e, struct rng *r, uint64_t key, uint16_t id)
{
	struct snic_exact_slot in = { .key = key, .valid = 1 };

	in.action.vnic = id;
	for (int kick = 0; kick < 500; kick++) {
		unsigned w0 = rng_below(r, 2);
		for (unsigned k = 0; k < 2; k++) {
			unsigned w = (w0 + k) % 2;
			uint32_t base = (w * EX_BUCKETS +
					 snic_exact_bucket(in.key, w, EX_BUCKETS)) * SNIC_EXACT_SLOTS;
			for (uint32_t s = base; s < base + SNIC_EXACT_SLOTS; s++)
				if (!e->t.slots[s].valid) {
					e->t.slots[s] = in;
					return 0;
				}
		}
		uint32_t s = (w0 * EX_BUCKETS + snic_exact_bucket(in.key, w0, EX_BUCKETS)) *
			     SNIC_EXACT_SLOTS + rng_below(r, SNIC_EXACT_SLOTS);
		struct snic_exact_slot out = e->t.slots[s];
		e->t.slots[s] = in;
		in = out;
	}
	return -1;
}

static void run_ref(void *a)
{
	struct ex *e = a;
	for (uint32_t i = 0; i < BENCH_KEYS; i++)
		e->found[i] = (uint8_t)snic_exact_lookup(&e->t, e->keys[i], &e->slot[i]);
}

static void run_fast(void *a)
{
	struct ex *e = a;
	for (uint32_t i = 0; i < BENCH_KEYS; i++)
		e->found[i] = (uint8_t)snic_exact_find(&e->t, &e->h, e->keys[i], &e->slot[i]);
}

static void run_fast_burst(void *a)
{
	struct ex *e = a;
	for (uint32_t i = 0; i < BENCH_KEYS; i += BENCH_BURST)
		snic_exact_find_burst(&e->t, &e->h, &e->keys[i], BENCH_BURST, &e->found[i],
				      &e->slot[i]);
}

static void run_rte(void *a)
{
	struct ex *e = a;
	for (uint32_t i = 0; i < BENCH_KEYS; i++)
		e->data[i] = rte_side_hash_lookup(e->rte, e->keys[i]);
}

static void run_rte_bulk(void *a)
{
	struct ex *e = a;
	for (uint32_t i = 0; i < BENCH_KEYS; i += BENCH_BURST)
		rte_side_hash_lookup_bulk(e->rte, &e->keys[i], BENCH_BURST, &e->data[i]);
}

/* The key id each lookup found (the slot's vnic field holds it), or -1. */
static int64_t id_of(const struct ex *e, uint32_t i)
{
	return e->found[i] ? e->t.slots[e->slot[i]].action.vnic : -1;
}

static int check(struct ex *e)
{
	static int64_t want[BENCH_KEYS];
	static uint32_t want_slot[BENCH_KEYS];
	const phase_fn ours[] = { run_fast, run_fast_burst };
	uint32_t hits = 0;

	run_ref(e);
	for (uint32_t i = 0; i < BENCH_KEYS; i++) {
		want[i] = id_of(e, i);
		want_slot[i] = e->slot[i];
		hits += want[i] >= 0;
	}
	for (unsigned f = 0; f < 2; f++) {
		ours[f](e);
		for (uint32_t i = 0; i < BENCH_KEYS; i++)
			if (id_of(e, i) != want[i] || (want[i] >= 0 && e->slot[i] != want_slot[i]))
				return -1;
	}
	run_rte(e);
	for (uint32_t i = 0; i < BENCH_KEYS; i++)
		if (e->data[i] != want[i])
			return -1;
	run_rte_bulk(e);
	for (uint32_t i = 0; i < BENCH_KEYS; i++)
		if (e->data[i] != want[i])
			return -1;
	printf("exact %u keys: %u of %u lookups hit, results equal (reference, fast, rte_hash)\n",
	       EX_KEYS, hits, BENCH_KEYS);
	return 0;
}

static int fill(struct ex *e, struct rng *r)
{
	for (uint32_t i = 0; i < EX_KEYS; i++) {
		e->stored[i] = mac_key(r);
		for (uint32_t j = 0; j < i; j++)   /* distinct keys */
			if (e->stored[j] == e->stored[i]) {
				e->stored[i] = mac_key(r);
				j = (uint32_t)-1;
			}
		if (place(e, r, e->stored[i], (uint16_t)i))
			return -1;
	}
	for (uint32_t i = 0; i < BENCH_KEYS; i++)
		e->keys[i] = rng_pct(r, 90) ? e->stored[rng_below(r, EX_KEYS)] : mac_key(r);
	return 0;
}

int bench_exact(struct bench *b)
{
	struct ex *e = calloc(1, sizeof(*e));
	int rc = -1;

	if (!e)
		return -1;
	e->rte = b->rte;
	e->t.buckets = EX_BUCKETS;
	e->t.slots = calloc(SNIC_EXACT_WAYS * EX_BUCKETS * SNIC_EXACT_SLOTS, sizeof(*e->t.slots));
	snic_exact_hasher_init(&e->h);
	if (e->t.slots && !fill(e, &b->rng) && !rte_side_hash_build(b->rte, e->stored, EX_KEYS) &&
	    !check(e)) {
		bench_phase(b, "exact_ref", run_ref, e);
		bench_phase(b, "exact_fast", run_fast, e);
		bench_phase(b, "exact_fast_burst", run_fast_burst, e);
		bench_phase(b, "exact_rte_hash", run_rte, e);
		bench_phase(b, "exact_rte_hash_bulk", run_rte_bulk, e);
		rc = 0;
	}
	rte_side_hash_free(b->rte);
	free(e->t.slots);
	free(e);
	return rc;
}
