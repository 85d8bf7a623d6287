/* SPDX-License-Identifier: MIT */
/*
 * libsnic: rates and sizes with units (exact, range-checked, garbage
 * refused) and the polling plan formula, with every expected number
 * worked out by hand from the formulas in snic.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "snic.h"

static char err[160];

static void rates_ok(void **state)
{
	(void)state;
	static const struct { const char *s; uint64_t v; } cases[] = {
		{ "1M", 1000000ull }, { "400G", 400000000000ull }, { "2.5G", 2500000000ull },
		{ "10Gbps", 10000000000ull }, { "100Mbit/s", 100000000ull }, { "1.5k", 1500ull },
		{ "1000", 1000ull }, { "0.000001G", 1000ull }, { "1.000000T", 1000000000000ull },
		{ "64kb/s", 64000ull }, { "1.0", 1ull }, { "7bps", 7ull },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 0;
		if (snic_arg_rate(cases[i].s, 1, UINT64_MAX, &v, err, sizeof(err)))
			fail_msg("'%s' refused: %s", cases[i].s, err);
		assert_int_equal(v, cases[i].v);
	}
}

static void rates_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "M", "1.", ".5M", "1MM", "1 M", "-1M", "+1M", "1e6", "1X", "1Mi", "0x10",
		"1Mbps ", "1,5M", "1.0000001M", "0.5", "99999999999999999999",
		"18446744073709551616", "20000000000T",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t v = 12345;
		err[0] = 0;
		if (snic_arg_rate(bad[i], 1, UINT64_MAX, &v, err, sizeof(err)) != -1)
			fail_msg("'%s' accepted as %llu", bad[i], (unsigned long long)v);
		assert_int_equal(v, 12345);   /* untouched */
		assert_true(err[0] != 0);
	}
}

static void rate_ranges(void **state)
{
	(void)state;
	uint64_t v = 0;
	assert_int_equal(snic_arg_rate("500k", 1000000, 400000000000ull, &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "below the supported range 1M..400G"));
	assert_int_equal(snic_arg_rate("401G", 1000000, 400000000000ull, &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "above"));
	assert_int_equal(snic_arg_rate("400G", 1000000, 400000000000ull, &v, err, sizeof(err)), 0);
	assert_int_equal(snic_arg_rate("1M", 1000000, 400000000000ull, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 1000000);
	assert_int_equal(snic_arg_rate("1.1", 1, 10, &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a whole number"));
}

static void sizes(void **state)
{
	(void)state;
	static const struct { const char *s; uint64_t v; } ok[] = {
		{ "1500", 1500 }, { "64k", 64000 }, { "64K", 64000 }, { "1Ki", 1024 },
		{ "1Mi", 1048576 }, { "1Gi", 1073741824 }, { "1.5Ki", 1536 }, { "0.5k", 500 },
		{ "2B", 2 }, { "1KiB", 1024 }, { "3M", 3000000 },
	};
	uint64_t v;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (snic_arg_bytes(ok[i].s, 1, 1u << 30, &v, err, sizeof(err)))
			fail_msg("'%s' refused: %s", ok[i].s, err);
		assert_int_equal(v, ok[i].v);
	}
	static const char *const bad[] = { "", "k", "1.1B", "1.3Ki", "1 k", "-1", "1Kb", "1bps" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (snic_arg_bytes(bad[i], 1, 1u << 30, &v, err, sizeof(err)) != -1)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(snic_arg_bytes("2Gi", 1, 1u << 30, &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "outside 1..1073741824"));
	assert_int_equal(snic_arg_bytes("0", 1, 1u << 30, &v, err, sizeof(err)), -1);
}

static void format(void **state)
{
	(void)state;
	static const struct { uint64_t v; const char *s; } cases[] = {
		{ 1500000, "1.5M" }, { 400000000000ull, "400G" }, { 1, "1" }, { 999, "999" },
		{ 1000, "1k" }, { 1234567, "1.234567M" }, { 123456789012ull, "123.456789012G" },
		{ 2000000000000ull, "2T" }, { 1001, "1.001k" },
	};
	char buf[32];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snic_fmt_rate(buf, sizeof(buf), cases[i].v);
		assert_string_equal(buf, cases[i].s);
		/* And it reads back as the same number. */
		uint64_t back;
		assert_int_equal(snic_arg_rate(buf, 1, UINT64_MAX, &back, err, sizeof(err)), 0);
		assert_int_equal(back, cases[i].v);
	}
}

/* Hand-computed from: pps = ceil(a / 672), interval = clamp(size*1e9/(4*pps),
 * 1e4, 1e6), budget = clamp(ceil(2*pps*interval/1e9), min(8, size/2), size/2). */
static void poll_plans(void **state)
{
	(void)state;
	static const struct {
		uint64_t alloc; uint32_t size;
		uint64_t pps; uint32_t interval, budget;
	} cases[] = {
		/* 1e6/672 = 1488.1; 256e9/5956 = 43 ms -> 1 ms; 2*1489/1000 = 2.98 -> 3 -> 8 */
		{ 1000000ull, 256, 1489, 1000000, 8 },
		/* 148809.5 -> 148810; 512e9/595240 = 860157.2; 297620*860157/1e9 = 255.9999 -> 256 */
		{ 100000000ull, 512, 148810, 860157, 256 },
		/* 14880952.4 -> 14880953; 8601.6 ns -> 10 us; 297.6 -> 298 -> 256 */
		{ 10000000000ull, 512, 14880953, 10000, 256 },
		/* 44642.9 -> 44643; 1.43 ms -> 1 ms; 89.29 -> 90 */
		{ 30000000ull, 256, 44643, 1000000, 90 },
		/* nothing allocated: the slowest plan */
		{ 0, 256, 0, 1000000, 8 },
		/* a ring of 8: the budget never exceeds half of it */
		{ 400000000000ull, 8, 595238096, 10000, 4 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct snic_poll_plan p;
		snic_poll_plan_for(cases[i].alloc, cases[i].size, &p);
		assert_int_equal(p.alloc_bps, cases[i].alloc);
		assert_int_equal(p.max_pps, cases[i].pps);
		assert_int_equal(p.interval_ns, cases[i].interval);
		assert_int_equal(p.budget, cases[i].budget);
	}
}

/* More bandwidth never polls less often or takes fewer frames, and a poll
 * always comes before a quarter of the ring can fill at the full rate
 * (unless the 10 us floor is reached). */
static void poll_plans_follow_allocation(void **state)
{
	(void)state;
	struct snic_poll_plan prev = { 0, 0, 0, 0 };
	for (uint64_t a = 1000000; a <= 400000000000ull; a = a * 11 / 10) {
		struct snic_poll_plan p;
		snic_poll_plan_for(a, 512, &p);
		if (prev.interval_ns) {
			assert_true(p.interval_ns <= prev.interval_ns);
			assert_true(p.budget >= prev.budget);
		}
		double fill = (double)p.max_pps * p.interval_ns / 1e9;
		if (p.interval_ns > 10000)
			assert_true(fill <= 512 / 4.0 + 1e-9);
		assert_true(p.budget >= 8 && p.budget <= 256);
		prev = p;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rates_ok), cmocka_unit_test(rates_bad),
		cmocka_unit_test(rate_ranges), cmocka_unit_test(sizes), cmocka_unit_test(format),
		cmocka_unit_test(poll_plans), cmocka_unit_test(poll_plans_follow_allocation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
