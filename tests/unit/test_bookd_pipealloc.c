/* SPDX-License-Identifier: MIT */
/*
 * The shared-pipe rule (hostdrv/bookd/pipe_alloc.c): the worked examples
 * of docs/bookings.md, edge cases, then properties over random reports
 * and packet sizes from a seeded xorshift generator. The seed is printed;
 * PIPEALLOC_SEED=0x... reruns a failing one.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../hostdrv/bookd/pipe_alloc.h"

__extension__ typedef unsigned __int128 u128;

#define SEED_DEFAULT   0x5eed002f30ac55bfull
#define ALLOC_CASES    16000
#define ACCOUNT_CASES  4000
#define INTERVALS      16
#define NMAX           8

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static uint64_t upto(uint64_t *s, uint64_t max)  /* in [0, max] */
{
	uint64_t r = xorshift(s);

	return max == UINT64_MAX ? r : r % (max + 1);
}

static uint64_t seed(const char *what)
{
	const char *env = getenv("PIPEALLOC_SEED");
	uint64_t s = env ? strtoull(env, NULL, 0) : SEED_DEFAULT;

	if (!s)
		s = SEED_DEFAULT;  /* xorshift is stuck at 0 */
	print_message("# %s: seed %#llx\n", what, (unsigned long long)s);
	return s;
}

static void alloc_ok(uint64_t cap, unsigned share, const struct pipe_report *rep,
		     size_t n, struct pipe_grant *g, struct pipe_totals *t)
{
	assert_int_equal(pipe_alloc(cap, share, rep, n, g, t), 0);
}

static void test_example_congested(void **state)
{
	(void)state;
	const struct pipe_report rep[3] = {
		{ 300000, 100000 }, { 200000, 0 }, { 100000, 500000 } };
	struct pipe_grant g[3];
	struct pipe_totals t;

	alloc_ok(1000000, PIPE_IMMEDIATE_DEFAULT, rep, 3, g, &t);
	assert_int_equal(t.booked, 600000);
	assert_int_equal(t.unbooked, 600000);
	assert_int_equal(t.spare, 0);
	assert_int_equal(t.overbooked, 0);
	/* 400,000 bytes left after the bookings, for 600,000 unbooked */
	assert_int_equal(g[0].unbooked, 66666);
	assert_int_equal(g[1].unbooked, 0);
	assert_int_equal(g[2].unbooked, 333333);
	assert_int_equal(g[0].total, 366666);
	assert_int_equal(g[1].total, 200000);
	assert_int_equal(g[2].total, 433333);
	for (int i = 0; i < 3; i++)
		assert_int_equal(g[i].immediate, 0);
}

static void test_example_spare(void **state)
{
	(void)state;
	const struct pipe_report rep[3] = {
		{ 200000, 50000 }, { 100000, 0 }, { 50000, 100000 } };
	struct pipe_grant g[3];
	struct pipe_totals t;

	alloc_ok(1000000, PIPE_IMMEDIATE_DEFAULT, rep, 3, g, &t);
	assert_int_equal(t.spare, 500000);  /* B 350,000 + U 150,000 */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(g[i].unbooked, rep[i].unbooked);
		assert_int_equal(g[i].immediate, 83333);  /* 500,000 * 50 % / 3 */
	}
	assert_int_equal(g[0].total, 333333);
	assert_int_equal(g[1].total, 183333);
	assert_int_equal(g[2].total, 233333);
}

static void test_edges(void **state)
{
	(void)state;
	struct pipe_grant g[2], sentinel[2];
	struct pipe_totals t, tsentinel;

	/* (7) share out of range: -1, nothing written */
	const struct pipe_report rep[2] = { { 10, 20 }, { 30, 40 } };
	unsigned bad[] = { PIPE_SHARE_MAX + 1, 5000, ~0u };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(g, 0xa5, sizeof(g));
		memset(&t, 0xa5, sizeof(t));
		memcpy(sentinel, g, sizeof(g));
		memcpy(&tsentinel, &t, sizeof(t));
		assert_int_equal(pipe_alloc(1000, bad[i], rep, 2, g, &t), -1);
		assert_memory_equal(g, sentinel, sizeof(g));
		assert_memory_equal(&t, &tsentinel, sizeof(t));
	}

	/* (8) no members: the whole pipe is spare, nothing to grant */
	alloc_ok(1000, 1000, NULL, 0, NULL, &t);
	assert_int_equal(t.booked, 0);
	assert_int_equal(t.unbooked, 0);
	assert_int_equal(t.spare, 1000);
	assert_int_equal(t.overbooked, 0);
	alloc_ok(1000, 500, rep, 2, g, NULL);  /* totals optional */
	assert_int_equal(g[1].total, 70 + 900 / 2 / 2);  /* F = 900 */

	/* Sums past 2^64: totals saturate, grants stay exact. */
	const struct pipe_report big[2] = { { 0, UINT64_MAX }, { 0, UINT64_MAX } };
	alloc_ok(UINT64_MAX, 500, big, 2, g, &t);
	assert_true(t.unbooked == UINT64_MAX && t.spare == 0 && !t.overbooked);
	assert_true(g[0].unbooked == UINT64_MAX / 2 && g[1].unbooked == UINT64_MAX / 2);
	const struct pipe_report over[2] = { { UINT64_MAX, 1 }, { 1, 1 } };
	alloc_ok(UINT64_MAX, 500, over, 2, g, &t);
	assert_true(t.booked == UINT64_MAX && t.overbooked);
	assert_true(g[0].total == UINT64_MAX && g[1].total == 1);
}

struct scase {
	uint64_t cap;
	unsigned share;
	size_t n;
	struct pipe_report rep[NMAX];
};

/* Seen at least once, or the random cases prove little. */
struct seen {
	unsigned spare, scaled, full, over, exact, saturated, twins, grown;
};

static uint64_t times(uint64_t x, unsigned k)  /* saturating */
{
	return k && x > UINT64_MAX / k ? UINT64_MAX : x * k;
}

static void random_case(uint64_t *s, struct scase *c)
{
	switch (xorshift(s) % 8) {
	case 0:  c->cap = 0; break;
	case 1:  c->cap = upto(s, 100); break;
	case 2:  c->cap = UINT64_MAX - upto(s, 1000); break;
	case 3:  c->cap = xorshift(s); break;
	default: c->cap = upto(s, 10000000000ull); break;
	}
	unsigned r = xorshift(s) % 4;
	c->share = r == 0 ? 0 : r == 1 ? PIPE_SHARE_MAX : (unsigned)upto(s, PIPE_SHARE_MAX);
	c->n = upto(s, NMAX);

	/* Up to 0, 1 or 2 fair shares each: mostly around B + U = C. */
	uint64_t fair = c->cap / (c->n ? c->n : 1);
	uint64_t bmax = times(fair, xorshift(s) % 3), umax = times(fair, xorshift(s) % 3);
	u128 b = 0, bu = 0;
	for (size_t i = 0; i < c->n; i++) {
		c->rep[i].booked = upto(s, bmax);
		c->rep[i].unbooked = upto(s, umax);
		if (i > 0 && xorshift(s) % 4 == 0)
			c->rep[i] = c->rep[upto(s, i - 1)];  /* a twin */
		if (i + 1 < c->n) {
			b += c->rep[i].booked;
			bu += c->rep[i].booked + (u128)c->rep[i].unbooked;
		}
	}
	/* Sometimes exactly on a boundary: B = C, or B + U = C. */
	struct pipe_report *last = &c->rep[c->n ? c->n - 1 : 0];
	if (c->n && xorshift(s) % 4 == 0 && b <= c->cap)
		last->booked = (uint64_t)(c->cap - b);
	else if (c->n && xorshift(s) % 4 == 0 && bu + last->booked <= c->cap)
		last->unbooked = (uint64_t)(c->cap - bu - last->booked);
}

/* (1), (2), (3), (6) and the rule itself, for one allocation. */
static void check_alloc(const struct scase *c, const struct pipe_grant *g,
			const struct pipe_totals *t, struct seen *seen)
{
	u128 cap = c->cap, b = 0, u = 0, bu = 0, all = 0, imm = 0;

	for (size_t i = 0; i < c->n; i++) {
		b += c->rep[i].booked;
		u += c->rep[i].unbooked;
	}
	u128 f = cap > b + u ? cap - b - u : 0;
	assert_true(t->booked == (b > UINT64_MAX ? UINT64_MAX : b));
	assert_true(t->unbooked == (u > UINT64_MAX ? UINT64_MAX : u));
	assert_true(t->spare == f);
	assert_int_equal(t->overbooked, b > cap);
	seen->saturated += b + u > UINT64_MAX;
	seen->exact += b == cap || b + u == cap;

	for (size_t i = 0; i < c->n; i++) {
		u128 ui = c->rep[i].unbooked, gu = g[i].unbooked;

		assert_true(g[i].booked == c->rep[i].booked);  /* (2) */
		assert_true(gu <= ui);
		assert_true((u128)g[i].total == g[i].booked + gu + g[i].immediate);
		if (f > 0) {  /* (6) */
			assert_true(gu == ui);
			assert_true(g[i].immediate == f * c->share / (1000 * (u128)c->n));
		} else {
			assert_int_equal(g[i].immediate, 0);
		}
		if (f == 0 && b < cap)  /* gu = floor(ui * (C - B) / U) */
			assert_true(gu * u <= ui * (cap - b) && ui * (cap - b) < (gu + 1) * u);
		if (b >= cap)
			assert_int_equal(gu, 0);
		bu += g[i].booked + gu;
		imm += g[i].immediate;
	}
	all = bu + imm;
	if (b <= cap)  /* (1) */
		assert_true(bu <= cap && all <= cap);
	if (b + u >= cap && b < cap)  /* (3): at most 1 byte lost per member */
		assert_true(bu + c->n > cap);
	if (f > 0 && c->n) {
		assert_true(imm * 1000 <= f * c->share);
		if (c->share == 0)
			assert_true(imm == 0);
		if (c->share == PIPE_SHARE_MAX)
			assert_true(imm + c->n > f);
	}
	seen->spare += f > 0 && c->n;
	seen->scaled += f == 0 && b < cap && c->n;
	seen->full += b == cap && cap && c->n;
	seen->over += b > cap;
}

/* (4) twins get equal grants, and the order of the reports is irrelevant. */
static void check_symmetry(const struct scase *c, const struct pipe_grant *g,
			   struct seen *seen)
{
	for (size_t i = 0; i < c->n; i++)
		for (size_t j = i + 1; j < c->n; j++)
			if (!memcmp(&c->rep[i], &c->rep[j], sizeof(c->rep[i]))) {
				assert_memory_equal(&g[i], &g[j], sizeof(g[i]));
				seen->twins++;
			}
	if (c->n < 2)
		return;
	struct scase rot = *c;
	struct pipe_grant rg[NMAX];
	for (size_t i = 0; i < c->n; i++)
		rot.rep[i] = c->rep[(i + 1) % c->n];
	alloc_ok(rot.cap, rot.share, rot.rep, rot.n, rg, NULL);
	for (size_t i = 0; i < c->n; i++)
		assert_memory_equal(&rg[i], &g[(i + 1) % c->n], sizeof(rg[i]));
}

/*
 * (5) Member k's lease expires: no survivor loses, and together they gain
 * its grant, as far as their demand and the pipe allow, up to rounding.
 */
static void check_drop(const struct scase *c, const struct pipe_grant *g,
		       size_t k, struct seen *seen)
{
	struct scase d = *c;
	struct pipe_grant dg[NMAX];
	struct pipe_totals dt;
	u128 before = 0, after = 0, demand = 0;

	memmove(&d.rep[k], &d.rep[k + 1], (c->n - k - 1) * sizeof(d.rep[0]));
	d.n--;
	alloc_ok(d.cap, d.share, d.rep, d.n, dg, &dt);
	for (size_t i = 0; i < d.n; i++) {
		const struct pipe_grant *old = &g[i < k ? i : i + 1];

		assert_true(dg[i].total >= old->total);
		before += old->total;
		after += dg[i].total;
		demand += d.rep[i].booked + (u128)d.rep[i].unbooked;
	}
	u128 want = before + g[k].total;
	if (want > demand)
		want = demand;
	if (want > d.cap)
		want = d.cap;
	if (d.n)
		assert_true(after + d.n - 1 >= want);
	seen->grown += demand > before && after > before;
}

static void test_alloc_properties(void **state)
{
	(void)state;
	uint64_t s = seed("pipe_alloc");
	struct seen seen = { 0 };

	for (int i = 0; i < ALLOC_CASES; i++) {
		struct scase c;
		struct pipe_grant g[NMAX];
		struct pipe_totals t;

		random_case(&s, &c);
		alloc_ok(c.cap, c.share, c.rep, c.n, g, &t);
		check_alloc(&c, g, &t, &seen);
		check_symmetry(&c, g, &seen);
		for (size_t k = 0; k < c.n; k++)
			check_drop(&c, g, k, &seen);
	}
	print_message("# %d cases: spare %u, scaled %u, B=C %u, overbooked %u, "
		      "on a boundary %u, past 2^64 %u, twins %u, survivors gained %u\n",
		      ALLOC_CASES, seen.spare, seen.scaled, seen.full, seen.over,
		      seen.exact, seen.saturated, seen.twins, seen.grown);
	assert_true(seen.spare && seen.scaled && seen.full && seen.over);
	assert_true(seen.exact && seen.saturated && seen.twins && seen.grown);
}

static void test_overdraft_example(void **state)
{
	(void)state;
	struct pipe_account a;

	pipe_account_init(&a, 1500);
	pipe_account_start(&a, 1000);
	assert_int_equal(pipe_account_send(&a, 0), 0);
	assert_int_equal(pipe_account_send(&a, 1501), 0);
	assert_int_equal(pipe_account_send(&a, 1500), 1);  /* 1,000 of credit */
	assert_int_equal(a.credit, -500);
	assert_int_equal(pipe_account_send(&a, 1), 0);     /* in debt: hold */
	pipe_account_start(&a, 2000);                      /* debt repaid first */
	assert_int_equal(a.credit, 1500);
	assert_int_equal(a.sent, 0);
	assert_int_equal(pipe_account_send(&a, 1000), 1);
	pipe_account_start(&a, 300);                       /* 500 unused: gone */
	assert_int_equal(a.credit, 300);
	assert_int_equal(a.overdraft_max, 500);

	pipe_account_init(&a, UINT64_MAX);                 /* huge: clamped */
	assert_true(a.mtu == INT64_MAX);
	pipe_account_start(&a, 1);
	assert_int_equal(pipe_account_send(&a, INT64_MAX), 1);
	assert_true(a.credit == 1 - INT64_MAX);
	pipe_account_start(&a, UINT64_MAX);
	assert_true(a.credit == 1);  /* the debt was repaid */
}

/* (9) an endless queue of random packets, random grants */
static void test_overdraft_random(void **state)
{
	(void)state;
	uint64_t s = seed("pipe_account");

	for (int c = 0; c < ACCOUNT_CASES; c++) {
		struct pipe_account a;
		uint64_t mtu = 1 + upto(&s, 9000), next = 1 + upto(&s, mtu - 1);
		u128 granted = 0, sent = 0;

		pipe_account_init(&a, mtu);
		for (int k = 0; k < INTERVALS; k++) {
			uint64_t grant = upto(&s, 4 * mtu);
			int64_t debt = a.credit < 0 ? a.credit : 0;

			pipe_account_start(&a, grant);
			assert_true(a.credit == debt + (int64_t)grant && a.sent == 0);
			int64_t start = a.credit;
			while (pipe_account_send(&a, next))
				next = 1 + upto(&s, mtu - 1);
			assert_true(a.credit <= 0);                 /* credit used up */
			assert_true(a.credit > -(int64_t)mtu);      /* debt <= mtu - 1 */
			assert_true(a.sent <= (uint64_t)(start > 0 ? start : 0) + mtu - 1);
			granted += grant;
			sent += a.sent;
			assert_true(sent <= granted + mtu - 1);
		}
		assert_true(sent == granted + (u128)-a.credit);  /* nothing lost */
		assert_true(a.overdraft_max <= mtu - 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_congested),
		cmocka_unit_test(test_example_spare),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_alloc_properties),
		cmocka_unit_test(test_overdraft_example),
		cmocka_unit_test(test_overdraft_random),
	};
	return cmocka_run_group_tests_name("bookd_pipealloc", tests, NULL, NULL);
}
