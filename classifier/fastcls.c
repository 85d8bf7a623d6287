/* SPDX-License-Identifier: MIT */
/* Fast ternary classifier: per-byte bit vectors (see fastcls.h). */
#include "fastcls.h"
#include <snic/rss.h>

#define ROWS_PER_BYTE 256u
#define ALIGN         32u  /* a chunk: one 256-bit vector */

/* Four 64-bit words ANDed as one vector (two SSE2 operations on plain
 * x86-64, one with AVX2, four scalar ones elsewhere). */
typedef uint64_t chunk_t __attribute__((vector_size(32)));

static uint32_t words_for(uint32_t depth)
{
	uint32_t w = (depth + 63) / 64;
	return (w + SNIC_FCLS_CHUNK - 1) / SNIC_FCLS_CHUNK * SNIC_FCLS_CHUNK;
}

size_t snic_fcls_storage(uint32_t depth)
{
	size_t w = words_for(depth);

	return ALIGN + w * 8 + (size_t)SNIC_KEY_BYTES * ROWS_PER_BYTE * w * 8 +
	       (size_t)depth * (sizeof(struct snic_action) + sizeof(uint64_t));
}

static void zero(void *p, size_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

int snic_fcls_init(struct snic_fcls *c, uint32_t depth, void *mem, size_t len)
{
	if (!depth || depth > SNIC_FCLS_MAX_DEPTH || !mem || len < snic_fcls_storage(depth))
		return -1;
	uintptr_t at = ((uintptr_t)mem + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
	uint32_t w = words_for(depth);

	zero(mem, snic_fcls_storage(depth));
	zero(c, sizeof(*c));
	c->depth = depth;
	c->words = w;
	c->valid = (uint64_t *)at;
	c->rows = c->valid + w;
	c->action = (struct snic_action *)(c->rows + (size_t)SNIC_KEY_BYTES * ROWS_PER_BYTE * w);
	return 0;
}

/* Per-rule record of which key bytes the rule masks, after the actions. */
static uint64_t *masked_bytes(const struct snic_fcls *c)
{
	return (uint64_t *)(c->action + c->depth);
}

static void refresh_active(struct snic_fcls *c)
{
	c->n_active = 0;
	for (uint32_t p = 0; p < SNIC_KEY_BYTES; p++)
		if (c->refs[p])
			c->active[c->n_active++] = (uint8_t)p;
}

/* Bit idx of every row of byte p: set where (x & m) == v. */
static void write_byte(struct snic_fcls *c, uint32_t p, uint32_t idx, uint8_t m, uint8_t v, int on)
{
	uint64_t bit = 1ull << (idx % 64);
	uint64_t *row = c->rows + (size_t)p * ROWS_PER_BYTE * c->words + idx / 64;

	for (uint32_t x = 0; x < ROWS_PER_BYTE; x++, row += c->words) {
		if (on && (x & m) == v)
			*row |= bit;
		else
			*row &= ~bit;
	}
}

static void remove_rule(struct snic_fcls *c, uint32_t idx)
{
	uint64_t *mb = masked_bytes(c);

	if (!(c->valid[idx / 64] >> (idx % 64) & 1))
		return;
	for (uint32_t p = 0; p < SNIC_KEY_BYTES; p++) {
		write_byte(c, p, idx, 0, 0, 0);
		if (mb[idx] >> p & 1)
			c->refs[p]--;
	}
	mb[idx] = 0;
	c->valid[idx / 64] &= ~(1ull << (idx % 64));
	while (c->top && !(c->valid[(c->top - 1) / 64] >> ((c->top - 1) % 64) & 1))
		c->top--;
}

int snic_fcls_set(struct snic_fcls *c, uint32_t idx, const struct snic_rule *r)
{
	const uint8_t *v = (const uint8_t *)&r->value;
	const uint8_t *m = (const uint8_t *)&r->mask;
	uint64_t *mb = masked_bytes(c);

	if (idx >= c->depth)
		return -1;
	remove_rule(c, idx);
	for (uint32_t p = 0; p < SNIC_KEY_BYTES; p++) {
		write_byte(c, p, idx, m[p], v[p] & m[p], 1);
		if (m[p]) {
			mb[idx] |= 1ull << p;
			c->refs[p]++;
		}
	}
	c->action[idx] = r->action;
	c->valid[idx / 64] |= 1ull << (idx % 64);
	if (idx + 1 > c->top)
		c->top = idx + 1;
	refresh_active(c);
	return 0;
}

int snic_fcls_clear(struct snic_fcls *c, uint32_t idx)
{
	if (idx >= c->depth)
		return -1;
	remove_rule(c, idx);
	refresh_active(c);
	return 0;
}

/* The rows of `key` for the active bytes. */
static void key_rows(const struct snic_fcls *c, const struct snic_key *key, const uint64_t **row)
{
	const uint8_t *k = (const uint8_t *)key;

	for (uint32_t j = 0; j < c->n_active; j++) {
		uint32_t p = c->active[j];
		row[j] = c->rows + ((size_t)p * ROWS_PER_BYTE + k[p]) * c->words;
	}
}

/* AND the rows chunk by chunk from index 0; the first set bit wins. */
static uint32_t first_match(const struct snic_fcls *c, const uint64_t *const *row)
{
	uint32_t end = (c->top + 63) / 64;

	for (uint32_t w = 0; w < end; w += SNIC_FCLS_CHUNK) {
		chunk_t acc = *(const chunk_t *)(c->valid + w);
		for (uint32_t j = 0; j < c->n_active; j++)
			acc &= *(const chunk_t *)(row[j] + w);
		if (!(acc[0] | acc[1] | acc[2] | acc[3]))
			continue;
		for (uint32_t k = 0;; k++)
			if (acc[k])
				return (w + k) * 64 + (uint32_t)__builtin_ctzll(acc[k]);
	}
	return SNIC_RULE_MISS;
}

uint32_t snic_fcls_find(const struct snic_fcls *c, const struct snic_key *key)
{
	const uint64_t *row[SNIC_KEY_BYTES];

	key_rows(c, key, row);
	return first_match(c, row);
}

static void result(const struct snic_fcls *c, const struct snic_key *key, uint32_t rule,
		   struct snic_match *out)
{
	static const struct snic_action miss = {
		SNIC_VNIC_NONE, SNIC_RING_DEFAULT, SNIC_METER_NONE, 0, 0
	};

	/* No hash until snic_rss_apply, as the reference gives. */
	*out = (struct snic_match){ .rule = (uint16_t)rule, .key_flags = key->flags,
				    .hash_type = SNIC_RSS_HT_NONE };
	out->action = rule == SNIC_RULE_MISS ? miss : c->action[rule];
}

void snic_fcls_lookup(const struct snic_fcls *c, const struct snic_key *key,
		      struct snic_match *out)
{
	result(c, key, snic_fcls_find(c, key), out);
}

void snic_fcls_lookup_burst(const struct snic_fcls *c, const struct snic_key *keys,
			    uint32_t n, struct snic_match *out)
{
	const uint64_t *row[SNIC_FCLS_BURST][SNIC_KEY_BYTES];

	for (uint32_t base = 0; base < n; base += SNIC_FCLS_BURST) {
		uint32_t cnt = n - base < SNIC_FCLS_BURST ? n - base : SNIC_FCLS_BURST;
		/* All rows first, so their cache misses overlap. */
		for (uint32_t i = 0; i < cnt; i++) {
			key_rows(c, &keys[base + i], row[i]);
			for (uint32_t j = 0; j < c->n_active; j++)
				__builtin_prefetch(row[i][j]);
		}
		for (uint32_t i = 0; i < cnt; i++)
			result(c, &keys[base + i], first_match(c, row[i]), &out[base + i]);
	}
}
