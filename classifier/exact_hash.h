/* SPDX-License-Identifier: MIT */
/*
 * Fast exact-match lookups for the host, over the very table layout the
 * firmware places (exact.h: 2-way cuckoo, 4-slot buckets, H3 hashes), so
 * the host can search the device's placement as it reads it back.
 *
 * H3 is linear over GF(2): the bucket of a key is the XOR of the buckets
 * of its bytes. A hasher holds, for each of the key's 8 bytes and each
 * byte value, both ways' 16 hash bits, so hashing is 8 table reads
 * instead of 32 parities of 64-bit words. 8 KiB, filled once by
 * snic_exact_hasher_init; the results equal snic_exact_bucket and
 * snic_exact_lookup exactly. Freestanding C11.
 */
#ifndef SNIC_EXACT_HASH_H
#define SNIC_EXACT_HASH_H

#include <stdint.h>
#include "exact.h"

#define SNIC_EXACT_BURST 16u /* keys whose buckets are prefetched together */

struct snic_exact_hasher {
	/* byte b (bits 8b+7..8b of the key), value x: way 0's bucket bits
	 * in bits 15..0, way 1's in bits 31..16 */
	uint32_t t[8][256];
};

void snic_exact_hasher_init(struct snic_exact_hasher *h);

/* Both ways' full 16-bit hashes: way 0 in bits 15..0, way 1 in 31..16. */
static inline uint32_t snic_exact_hash2(const struct snic_exact_hasher *h, uint64_t xkey)
{
	return h->t[0][xkey & 0xff] ^ h->t[1][xkey >> 8 & 0xff] ^
	       h->t[2][xkey >> 16 & 0xff] ^ h->t[3][xkey >> 24 & 0xff] ^
	       h->t[4][xkey >> 32 & 0xff] ^ h->t[5][xkey >> 40 & 0xff] ^
	       h->t[6][xkey >> 48 & 0xff] ^ h->t[7][xkey >> 56];
}

/* snic_exact_lookup's answer: 1 and the lowest slot index holding xkey. */
int snic_exact_find(const struct snic_exact *t, const struct snic_exact_hasher *h,
		    uint64_t xkey, uint32_t *slot);

/* n lookups: found[i] = 1 and slot[i] set, or found[i] = 0. */
void snic_exact_find_burst(const struct snic_exact *t, const struct snic_exact_hasher *h,
			   const uint64_t *xkeys, uint32_t n, uint8_t *found, uint32_t *slot);

#endif
