/* SPDX-License-Identifier: MIT */
/*
 * Fast ternary classifier for the host: the same answer as the reference
 * snic_tcam_lookup (lowest valid index whose masked value equals the
 * masked key), found with per-byte bit vectors instead of a linear scan.
 *
 * For every key byte p and byte value x there is a bitmap over the rule
 * indices: bit i is set when rule i is valid and accepts x at byte p
 * ((x & mask[p]) == (value[p] & mask[p])). A key matches rule i exactly
 * when bit i is set in the bitmap of each of its 64 bytes, so a lookup
 * ANDs one row per byte and takes the lowest set bit. Only the bytes some
 * valid rule masks are ANDed (an IPv4 5-tuple table: 13 bytes), and the
 * AND runs 256 rules at a time from index 0, stopping at the first chunk
 * with a set bit, so an early hit costs one chunk.
 *
 * Adding or removing rule i rewrites bit i of the 64 x 256 rows (no full
 * rebuild). Freestanding C11: the caller supplies the storage.
 */
#ifndef SNIC_FASTCLS_H
#define SNIC_FASTCLS_H

#include <stddef.h>
#include <stdint.h>
#include <snic/cls.h>

#define SNIC_FCLS_MAX_DEPTH 0x8000u /* indices below SNIC_RULE_EXACT */
#define SNIC_FCLS_CHUNK     4u      /* 64-bit words ANDed per step (256 rules) */

struct snic_fcls {
	uint32_t depth;       /* rule indices 0 .. depth-1 */
	uint32_t words;       /* bitmap stride: 64-bit words, a multiple of CHUNK */
	uint32_t top;         /* 1 + highest valid index, 0 when empty */
	uint32_t n_active;    /* key bytes some valid rule masks */
	uint8_t  active[SNIC_KEY_BYTES]; /* those byte offsets, ascending */
	uint16_t refs[SNIC_KEY_BYTES];   /* valid rules masking each byte */
	uint64_t *base[SNIC_KEY_BYTES];  /* rows of each active byte */
	uint64_t *valid;      /* words: bit i = rule i valid */
	uint64_t *rows;       /* [64][256][words] */
	struct snic_action *action; /* per index */
};

/* Bytes of storage snic_fcls_init needs for `depth` rules. */
size_t snic_fcls_storage(uint32_t depth);

/* An empty classifier in `mem` (at least snic_fcls_storage(depth) bytes,
 * any alignment). 0, or -1 when depth is 0 or too large or mem too small. */
int snic_fcls_init(struct snic_fcls *c, uint32_t depth, void *mem, size_t len);

/* Rule `idx` becomes `r` (replacing what was there); -1 if idx >= depth. */
int snic_fcls_set(struct snic_fcls *c, uint32_t idx, const struct snic_rule *r);
/* Rule `idx` is removed; -1 if idx >= depth. */
int snic_fcls_clear(struct snic_fcls *c, uint32_t idx);

/* The winning index, or SNIC_RULE_MISS. */
uint32_t snic_fcls_find(const struct snic_fcls *c, const struct snic_key *key);

/* The result snic_tcam_lookup gives (rule, action, key flags, no hash). */
void snic_fcls_lookup(const struct snic_fcls *c, const struct snic_key *key,
		      struct snic_match *out);

/* n lookups, as n calls of snic_fcls_lookup give. */
void snic_fcls_lookup_burst(const struct snic_fcls *c, const struct snic_key *keys,
			    uint32_t n, struct snic_match *out);

#endif
