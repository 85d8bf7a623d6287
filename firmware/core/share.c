/* SPDX-License-Identifier: MIT */
/* Weighted water-filling with minimums; see share.h. */
#include "share.h"
#include "fw_internal.h"


/* Breakpoint of member i: value/weight, compared by cross-multiplying. */
struct bp {
	uint64_t num;
	uint16_t w;
	uint16_t idx;
	uint8_t  is_top; /* 0: starts rising (lo), 1: stops (hi) */
};

/* waterfill()'s breakpoints are dead before it calls split(), and split()
 * is the only user of the remainders: both in the caller's scratch (share_work.tmp),
 * off the stack. */
union share_scratch {
	struct bp pts[2 * SHARE_MAX_MEMBERS];
	uint64_t  rem[SHARE_MAX_MEMBERS];
};
_Static_assert(sizeof(union share_scratch) <= FW_SCRATCH_BYTES, "share scratch too big");
#define scratch (*(union share_scratch *)w->tmp)

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* 128-bit product of two 64-bit values, from 32-bit halves (no __int128
 * on 32-bit targets). */
static void mul128(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
	uint64_t al = a & 0xffffffffu, ah = a >> 32, bl = b & 0xffffffffu, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
	*lo = (ll & 0xffffffffu) | (mid << 32);
	*hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/* floor(a * b / c) with its remainder; c < 2^63, result < 2^64. */
static uint64_t mul_div(uint64_t a, uint64_t b, uint64_t c, uint64_t *rem)
{
	uint64_t hi, lo, q = 0, r = 0;
	mul128(a, b, &hi, &lo);
	for (int i = 127; i >= 0; i--) {
		uint64_t bit = i >= 64 ? (hi >> (i - 64)) & 1 : (lo >> i) & 1;
		r = (r << 1) | bit;
		if (r >= c) {
			r -= c;
			if (i < 64)
				q |= 1ull << i;
		}
	}
	*rem = r;
	return q;
}

/*
 * Hand out `amount` among the members of `sel` in proportion to key[i]
 * (their sum is `total` > 0; each quotient is at most `amount`): floors first, then one unit each to the
 * largest remainders (lowest index on ties), so the sum is exact.
 */
static void split(struct share_work *w, const uint64_t *key, const uint8_t *sel, unsigned n,
		  uint64_t total,
		  uint64_t amount, uint64_t *out)
{
	uint64_t *rem = scratch.rem;
	uint64_t given = 0;

	for (unsigned i = 0; i < n; i++) {
		rem[i] = 0;
		if (!sel[i])
			continue;
		uint64_t q = mul_div(key[i], amount, total, &rem[i]);
		out[i] += q;
		given += q;
	}
	while (given < amount) {
		unsigned best = n;
		for (unsigned i = 0; i < n; i++)
			if (sel[i] && key[i] && (best == n || rem[i] > rem[best]))
				best = i;
		out[best]++;
		rem[best] = 0;
		given++;
	}
}

static int bp_less(const struct bp *x, const struct bp *y)
{
	uint64_t l = x->num * y->w, r = y->num * x->w;
	if (l != r)
		return l < r;
	return x->is_top < y->is_top; /* at equal level, start before stop */
}

static int reaches(uint64_t below, uint64_t wsum, const struct bp *p, uint64_t target)
{
	if (below >= target)
		return 1;
	uint64_t need = (target - below) * p->w; /* < 2^43 * 2^16 */
	uint64_t hi, lo;
	mul128(wsum, p->num, &hi, &lo);
	return hi || lo >= need;
}

/*
 * Raise the members of `sel` (weights w, floors lo = current out[], caps
 * hi) from their floors so that the total grows by exactly `extra`, which
 * must not exceed sum(hi - lo).
 */
static void waterfill(struct share_work *w, const struct share_member *m, const uint8_t *sel,
		      unsigned n,
		      const uint64_t *hi, uint64_t extra, uint64_t *out)
{
	struct bp *pts = scratch.pts;
	unsigned np = 0;
	uint64_t target = extra;

	for (unsigned i = 0; i < n; i++) {
		if (!sel[i] || !m[i].weight || hi[i] == out[i])
			continue;
		target += out[i];
		pts[np++] = (struct bp){ out[i], m[i].weight, (uint16_t)i, 0 };
		pts[np++] = (struct bp){ hi[i], m[i].weight, (uint16_t)i, 1 };
	}
	if (!extra || !np)
		return;
	for (unsigned i = 1; i < np; i++) { /* insertion sort: control path, n small */
		struct bp t = pts[i];
		unsigned j = i;
		for (; j > 0 && bp_less(&t, &pts[j - 1]); j--)
			pts[j] = pts[j - 1];
		pts[j] = t;
	}
	/* Walk the levels; f(L) = below + W * L, below = pinned floors + caps. */
	uint64_t below = target - extra, wsum = 0;
	uint8_t *state = w->state; /* 0 floor, 1 rising, 2 capped */
	for (unsigned i = 0; i < n; i++)
		state[i] = 0;
	unsigned k = 0;
	for (; k < np; k++) {
		const struct bp *p = &pts[k];
		/* f at this breakpoint >= target, i.e. W*num >= (target-below)*w? */
		if (wsum && reaches(below, wsum, p, target))
			break;
		if (!p->is_top) {
			below -= out[p->idx];
			wsum += p->w;
			state[p->idx] = 1;
		} else {
			below += hi[p->idx];
			wsum -= p->w;
			state[p->idx] = 2;
		}
	}
	/* Level L = (target - below) / wsum for the rising members. */
	uint8_t *rising = w->rising;
	uint64_t *key = w->key;
	for (unsigned i = 0; i < n; i++) {
		rising[i] = state[i] == 1;
		key[i] = m[i].weight;
		if (state[i] == 1)
			out[i] = 0;
		else if (state[i] == 2)
			out[i] = hi[i];
	}
	if (wsum) /* else every member ended at its cap: nothing left to split */
		split(w, key, rising, n, wsum, target - below, out);
}

int share_alloc(struct share_work *w, uint64_t capacity_bps, const struct share_member *m,
		unsigned n,
		uint64_t *alloc_bps)
{
	uint64_t *hi = w->hi;
	uint64_t *key = w->key;
	uint8_t *sel = w->sel;
	uint64_t left = capacity_bps;
	int top = 0, bottom = 255; /* the priorities present: skip the others */

	if (n > SHARE_MAX_MEMBERS || capacity_bps > SHARE_MAX_BPS)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		if (m[i].rsvd || m[i].min_bps > SHARE_MAX_BPS)
			return -1;
		if (m[i].priority > top)
			top = m[i].priority;
		if (m[i].priority < bottom)
			bottom = m[i].priority;
	}
	for (unsigned i = 0; i < n; i++) {
		hi[i] = min64(m[i].demand_bps, capacity_bps);
		alloc_bps[i] = 0;
	}
	/* 1. minimums, by priority */
	for (int prio = top; prio >= bottom; prio--) {
		uint64_t want = 0;
		for (unsigned i = 0; i < n; i++) {
			sel[i] = m[i].priority == prio;
			key[i] = sel[i] ? min64(m[i].min_bps, hi[i]) : 0;
			want += key[i];
		}
		if (!want)
			continue;
		if (want <= left) {
			for (unsigned i = 0; i < n; i++)
				alloc_bps[i] += key[i];
			left -= want;
		} else {
			split(w, key, sel, n, want, left, alloc_bps);
			return 0; /* capacity exhausted by minimums */
		}
	}
	/* 2. the rest by weight, by priority */
	for (int prio = top; prio >= bottom && left; prio--) {
		uint64_t room = 0;
		for (unsigned i = 0; i < n; i++) {
			sel[i] = m[i].priority == prio;
			if (sel[i] && m[i].weight)
				room += hi[i] - alloc_bps[i];
		}
		uint64_t give = min64(room, left);
		waterfill(w, m, sel, n, hi, give, alloc_bps);
		left -= give;
	}
	return 0;
}
