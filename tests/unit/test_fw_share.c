/* SPDX-License-Identifier: MIT */
/* Proportional shares: the source's worked example, minimums, priorities, and
 * a randomized comparison with an independent floating-point water-filling. */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>
#include "core/share.h"

#define G 1000000000ull
#define BACKLOG UINT64_MAX

/* share_alloc's working arrays and its 8 KiB scratch, as the firmware
 * keeps them in its instance. */
static uint64_t scratch[8192 / 8];
static struct share_work work = { .tmp = scratch };

static struct share_member mem(uint16_t w, uint8_t prio, uint64_t min, uint64_t demand)
{
	struct share_member m = { w, prio, 0, min, demand };
	return m;
}

/* Percent with one decimal, rounded: 533333333 of 2e9 -> 267 (26.7 %). */
static unsigned permille(uint64_t part, uint64_t whole)
{
	return (unsigned)((part * 1000 + whole / 2) / whole);
}

/* Source 001, lines 364-382: shares 2000/2000/1000 on a 2 x 1 Gb/s bond. */
static void test_worked_example(void **state)
{
	(void)state;
	uint64_t a[3];
	struct share_member m[3] = {
		mem(2000, 0, 0, BACKLOG), mem(2000, 0, 0, BACKLOG), mem(1000, 0, 0, BACKLOG),
	};
	assert_int_equal(share_alloc(&work, 2 * G, m, 3, a), 0);
	assert_int_equal(a[0], 800000000);   /* 40 % */
	assert_int_equal(a[1], 800000000);   /* 40 % */
	assert_int_equal(a[2], 400000000);   /* 20 % */

	m[0].demand_bps = 0;                 /* VM1 idle: 67 / 33 % */
	assert_int_equal(share_alloc(&work, 2 * G, m, 3, a), 0);
	assert_int_equal(a[0], 0);
	assert_int_equal(a[1], 1333333333);  /* 4e9/3 = 1333333333.3 */
	assert_int_equal(a[2], 666666667);   /* 2e9/3 =  666666666.7 */
	assert_int_equal(permille(a[1], 2 * G), 667);
	assert_int_equal(permille(a[2], 2 * G), 333);

	m[0].demand_bps = 400000000;         /* VM1 uses 20 %: 53.3 / 26.7 % */
	assert_int_equal(share_alloc(&work, 2 * G, m, 3, a), 0);
	assert_int_equal(a[0], 400000000);
	assert_int_equal(a[1], 1066666667);  /* 3.2e9/3 = 1066666666.7 */
	assert_int_equal(a[2], 533333333);   /* 1.6e9/3 =  533333333.3 */
	assert_int_equal(permille(a[1], 2 * G), 533);
	assert_int_equal(permille(a[2], 2 * G), 267);
	assert_int_equal(a[0] + a[1] + a[2], 2 * G);
}

static void test_minimums(void **state)
{
	(void)state;
	uint64_t a[3];
	/* A tiny share with a large guarantee keeps its guarantee. */
	struct share_member m[3] = { mem(1, 0, 600000000, BACKLOG), mem(1000, 0, 0, BACKLOG) };
	assert_int_equal(share_alloc(&work, G, m, 2, a), 0);
	assert_int_equal(a[0], 600000000);
	assert_int_equal(a[1], 400000000);
	/* A guarantee is not handed to a member that does not want it. */
	m[0].demand_bps = 100000000;
	assert_int_equal(share_alloc(&work, G, m, 2, a), 0);
	assert_int_equal(a[0], 100000000);
	assert_int_equal(a[1], 900000000);
	/* Weight 0: the minimum only. */
	m[0] = mem(0, 0, 200000000, BACKLOG);
	assert_int_equal(share_alloc(&work, G, m, 2, a), 0);
	assert_int_equal(a[0], 200000000);
	assert_int_equal(a[1], 800000000);
	/* Minimums beyond capacity: by priority, then in proportion. */
	struct share_member o[3] = {
		mem(1, 1, 600000000, BACKLOG), mem(1, 0, 600000000, BACKLOG), mem(1, 0, 300000000, BACKLOG),
	};
	assert_int_equal(share_alloc(&work, G, o, 3, a), 0);
	assert_int_equal(a[0], 600000000);
	assert_int_equal(a[1], 266666667);
	assert_int_equal(a[2], 133333333);
}

static void test_caps_and_priorities(void **state)
{
	(void)state;
	uint64_t a[4];
	struct share_member m[3] = {
		mem(1, 0, 0, 100000000), mem(1, 0, 0, BACKLOG), mem(1, 0, 0, BACKLOG),
	};
	assert_int_equal(share_alloc(&work, G, m, 3, a), 0);
	assert_int_equal(a[0], 100000000);
	assert_int_equal(a[1], 450000000);
	assert_int_equal(a[2], 450000000);
	/* Everybody capped below capacity: each gets its demand, the rest stays unused. */
	for (int i = 0; i < 3; i++)
		m[i].demand_bps = 100000000;
	assert_int_equal(share_alloc(&work, G, m, 3, a), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(a[i], 100000000);
	/* The high priority is served first, up to its demand. */
	struct share_member p[4] = {
		mem(1, 0, 0, BACKLOG), mem(100, 3, 0, 700000000), mem(1, 0, 50000000, BACKLOG),
		mem(3, 0, 0, BACKLOG),
	};
	assert_int_equal(share_alloc(&work, G, p, 4, a), 0);
	assert_int_equal(a[1], 700000000);
	/* 250M left after the min of 50M: level L with L + max(L,50M) + 3L = 300M -> L = 60M */
	assert_int_equal(a[0], 60000000);
	assert_int_equal(a[2], 60000000);
	assert_int_equal(a[3], 180000000);
}

static void test_bad_input(void **state)
{
	(void)state;
	uint64_t a[2] = { 7, 7 };
	struct share_member m[2] = { mem(1, 0, 0, 1), mem(1, 0, 0, 1) };
	m[1].rsvd = 1;
	assert_int_equal(share_alloc(&work, G, m, 2, a), -1);
	assert_int_equal(a[0], 7);
	m[1].rsvd = 0;
	assert_int_equal(share_alloc(&work, SHARE_MAX_BPS + 1, m, 2, a), -1);
	assert_int_equal(share_alloc(&work, G, m, SHARE_MAX_MEMBERS + 1, a), -1);
	assert_int_equal(share_alloc(&work, G, m, 0, a), 0);
}

/* Reference: bisection on the level in long double, same clamp semantics. */
static void reference(uint64_t cap, const struct share_member *m, unsigned n, long double *out)
{
	long double lo_l = 0, hi_l = 1e16L;
	for (int it = 0; it < 300; it++) {
		long double mid = (lo_l + hi_l) / 2, sum = 0;
		for (unsigned i = 0; i < n; i++) {
			long double h = (long double)(m[i].demand_bps < cap ? m[i].demand_bps : cap);
			long double f = (long double)m[i].min_bps < h ? (long double)m[i].min_bps : h;
			long double v = m[i].weight * mid;
			sum += v < f ? f : v > h ? h : v;
		}
		if (sum > (long double)cap)
			hi_l = mid;
		else
			lo_l = mid;
	}
	for (unsigned i = 0; i < n; i++) {
		long double h = (long double)(m[i].demand_bps < cap ? m[i].demand_bps : cap);
		long double f = (long double)m[i].min_bps < h ? (long double)m[i].min_bps : h;
		long double v = m[i].weight * lo_l;
		out[i] = v < f ? f : v > h ? h : v;
	}
}

static void test_random_against_reference(void **state)
{
	(void)state;
	struct share_member m[40];
	uint64_t a[40];
	long double ref[40];
	srand(4242);
	for (int it = 0; it < 3000; it++) {
		unsigned n = 1 + (unsigned)rand() % 40;
		uint64_t cap = (uint64_t)(1 + rand() % 400) * 1000000000ull + (uint64_t)rand();
		uint64_t mins = 0, want = 0;
		for (unsigned i = 0; i < n; i++) {
			uint64_t d = rand() % 4 == 0 ? 0 : rand() % 3 == 0 ? BACKLOG
				     : (uint64_t)rand() * 1000ull % (cap + 1);
			uint64_t mn = rand() % 3 == 0 ? (uint64_t)rand() % (cap / n + 1) : 0;
			m[i] = mem((uint16_t)(1 + rand() % 65535), 0, mn, d);
			uint64_t h = d < cap ? d : cap;
			mins += mn < h ? mn : h;
			want += h;
		}
		if (mins > cap)
			continue; /* the reference models the normal case */
		assert_int_equal(share_alloc(&work, cap, m, n, a), 0);
		reference(cap, m, n, ref);
		uint64_t sum = 0;
		for (unsigned i = 0; i < n; i++) {
			sum += a[i];
			long double diff = fabsl((long double)a[i] - ref[i]);
			if (diff > 2.0L + ref[i] * 1e-12L)
				fail_msg("it %d member %u: got %llu, reference %.3Lf", it, i,
					 (unsigned long long)a[i], ref[i]);
		}
		assert_int_equal(sum, want < cap ? want : cap);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_example),
		cmocka_unit_test(test_minimums),
		cmocka_unit_test(test_caps_and_priorities),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_random_against_reference),
	};
	return cmocka_run_group_tests_name("fw_share", tests, NULL, NULL);
}
