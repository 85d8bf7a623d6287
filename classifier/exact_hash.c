/* SPDX-License-Identifier: MIT */
/* Fast exact-match lookups with byte-wise H3 tables (see exact_hash.h). */
#include "exact_hash.h"

void snic_exact_hasher_init(struct snic_exact_hasher *h)
{
	for (unsigned b = 0; b < 8; b++)
		for (unsigned x = 0; x < 256; x++) {
			uint64_t k = (uint64_t)x << (8 * b);
			h->t[b][x] = snic_exact_bucket(k, 0, 1u << SNIC_EXACT_HASH_BITS) |
				     snic_exact_bucket(k, 1, 1u << SNIC_EXACT_HASH_BITS) << 16;
		}
}

/* The slots of one bucket, lowest first. */
static int in_bucket(const struct snic_exact_slot *s, uint32_t base, uint64_t xkey,
		     uint32_t *slot)
{
	const struct snic_exact_slot *b = s + base;

#pragma GCC unroll 4
	for (uint32_t i = 0; i < SNIC_EXACT_SLOTS; i++)
		if (b[i].key == xkey && b[i].valid) {
			*slot = base + i;
			return 1;
		}
	return 0;
}

static int find_hashed(const struct snic_exact *t, uint64_t xkey, uint32_t hash,
		       uint32_t *slot)
{
	uint32_t mask = t->buckets - 1;

	/* Way 0's slots all come before way 1's: the lowest index wins. */
	return in_bucket(t->slots, (hash & mask) * SNIC_EXACT_SLOTS, xkey, slot) ||
	       in_bucket(t->slots, (t->buckets + (hash >> 16 & mask)) * SNIC_EXACT_SLOTS,
			 xkey, slot);
}

int snic_exact_find(const struct snic_exact *t, const struct snic_exact_hasher *h,
		    uint64_t xkey, uint32_t *slot)
{
	if (!t || !t->buckets)
		return 0;
	return find_hashed(t, xkey, snic_exact_hash2(h, xkey), slot);
}

void snic_exact_find_burst(const struct snic_exact *t, const struct snic_exact_hasher *h,
			   const uint64_t *xkeys, uint32_t n, uint8_t *found, uint32_t *slot)
{
	uint32_t hash[SNIC_EXACT_BURST];

	if (!t || !t->buckets) {
		for (uint32_t i = 0; i < n; i++)
			found[i] = 0;
		return;
	}
	uint32_t mask = t->buckets - 1;
	for (uint32_t base = 0; base < n; base += SNIC_EXACT_BURST) {
		uint32_t cnt = n - base < SNIC_EXACT_BURST ? n - base : SNIC_EXACT_BURST;
		/* Hash all first and fetch both buckets, so the misses overlap. */
		for (uint32_t i = 0; i < cnt; i++) {
			hash[i] = snic_exact_hash2(h, xkeys[base + i]);
			__builtin_prefetch(&t->slots[(hash[i] & mask) * SNIC_EXACT_SLOTS]);
			__builtin_prefetch(&t->slots[(t->buckets + (hash[i] >> 16 & mask)) *
						     SNIC_EXACT_SLOTS]);
		}
		for (uint32_t i = 0; i < cnt; i++)
			found[base + i] = (uint8_t)find_hashed(t, xkeys[base + i], hash[i],
							       &slot[base + i]);
	}
}
