/* SPDX-License-Identifier: MIT */
/* Fast ternary classifier: per-byte bit vectors (see fastcls.h). */
#include "fastcls.h"
#include <snic/rss.h>

#define ROWS_PER_BYTE 256u
#define ALIGN         32u  /* rows start on a chunk (256-bit) boundary */

/* Half a chunk: two 64-bit words ANDed as one SSE2 vector on x86-64 (two
 * scalar operations elsewhere). A chunk is two halves in two registers. */
typedef uint64_t half_t __attribute__((vector_size(16)));

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

/* The active bytes, and where each one's rows start. */
static void refresh_active(struct snic_fcls *c)
{
	c->n_active = 0;
	for (uint32_t p = 0; p < SNIC_KEY_BYTES; p++)
		if (c->refs[p]) {
			c->active[c->n_active] = (uint8_t)p;
			c->base[c->n_active++] = c->rows + (size_t)p * ROWS_PER_BYTE * c->words;
		}
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

static int first_bit(half_t lo, half_t hi, uint32_t w, uint32_t *rule)
{
	uint64_t x[4] = { lo[0], lo[1], hi[0], hi[1] };

	if (!(x[0] | x[1] | x[2] | x[3]))
		return 0;
	for (uint32_t k = 0;; k++)
		if (x[k]) {
			*rule = (w + k) * 64 + (uint32_t)__builtin_ctzll(x[k]);
			return 1;
		}
}

/*
 * The first chunk: AND the key's rows for indices 0..255 (only 0..127 when
 * `two` is 0: no rule above), keeping the rows in row[] when `keep` (later
 * chunks follow). Inlined with constant flags, so each variant has no
 * dead work in its loop.
 */
static inline __attribute__((always_inline)) int
chunk0(const struct snic_fcls *c, const uint8_t *k, const uint64_t **row, int keep, int two,
       uint32_t *rule)
{
	half_t lo = *(const half_t *)c->valid, hi = *(const half_t *)(c->valid + 2);

	for (uint32_t j = 0; j < c->n_active; j++) {
		const uint64_t *r = c->base[j] + (size_t)k[c->active[j]] * c->words;
		if (keep)
			row[j] = r;
		lo &= *(const half_t *)r;
		if (two)
			hi &= *(const half_t *)(r + 2);
	}
	if (!two)
		hi = (half_t){ 0, 0 };
	return first_bit(lo, hi, 0, rule);
}

/* AND the key's rows chunk by chunk from index 0; the first set bit wins. */
static uint32_t first_match(const struct snic_fcls *c, const uint8_t *k)
{
	const uint64_t *row[SNIC_KEY_BYTES];
	uint32_t end = (c->top + 63) / 64, rule;

	if (end <= 2)
		return chunk0(c, k, row, 0, 0, &rule) ? rule : SNIC_RULE_MISS;
	if (end <= SNIC_FCLS_CHUNK)
		return chunk0(c, k, row, 0, 1, &rule) ? rule : SNIC_RULE_MISS;
	if (chunk0(c, k, row, 1, 1, &rule))
		return rule;
	for (uint32_t w = SNIC_FCLS_CHUNK; w < end; w += SNIC_FCLS_CHUNK) {
		half_t lo = *(const half_t *)(c->valid + w);
		half_t hi = *(const half_t *)(c->valid + w + 2);
		for (uint32_t j = 0; j < c->n_active; j++) {
			lo &= *(const half_t *)(row[j] + w);
			hi &= *(const half_t *)(row[j] + w + 2);
		}
		if (first_bit(lo, hi, w, &rule))
			return rule;
	}
	return SNIC_RULE_MISS;
}

uint32_t snic_fcls_find(const struct snic_fcls *c, const struct snic_key *key)
{
	return first_match(c, (const uint8_t *)key);
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

/* One key after the other: the rows of a 1024-rule 5-tuple table (13
 * active bytes, 416 KiB) stay in the core's caches, and fetching a burst's
 * rows ahead measured no faster (make bench-cls) for more instructions. */
void snic_fcls_lookup_burst(const struct snic_fcls *c, const struct snic_key *keys,
			    uint32_t n, struct snic_match *out)
{
	for (uint32_t i = 0; i < n; i++)
		result(c, &keys[i], first_match(c, (const uint8_t *)&keys[i]), &out[i]);
}
