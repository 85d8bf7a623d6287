/* SPDX-License-Identifier: MIT */
/* Meter arithmetic: RFC 2697 / 2698 / 4115 colouring and the shaper, by hand-worked examples. */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/meter.h"

#define US 1000ull /* ns */

static void test_bytes(void **state)
{
	(void)state;
	assert_int_equal(meter_bytes(false, 40), 40);
	assert_int_equal(meter_bytes(true, 40), 84);   /* padded to 60, + 24 */
	assert_int_equal(meter_bytes(true, 100), 124);
	assert_int_equal(meter_bytes(true, 9216), 9240);
}

/* CIR 8 Mbit/s = 1 byte/us, CBS 1000, EBS 2000. */
static void test_srtcm(void **state)
{
	(void)state;
	struct meter m;
	meter_setup(&m, METER_SRTCM, false, 0, 8000000, 1000, 0, 2000);
	assert_int_equal(meter_police(&m, 0, 600), METER_GREEN);   /* C 400 */
	assert_int_equal(meter_police(&m, 0, 600), METER_YELLOW);  /* E 1400 */
	assert_int_equal(meter_police(&m, 0, 600), METER_YELLOW);  /* E 800 */
	assert_int_equal(meter_police(&m, 0, 900), METER_RED);
	assert_int_equal(meter_police(&m, 300 * US, 700), METER_GREEN); /* C 400+300 -> 0 */
	assert_int_equal(meter_police(&m, 300 * US, 1), METER_YELLOW);  /* C empty, E 799 */
	/* 2300 us later: C +1000 (full), E +1300 -> 2099, capped at 2000. */
	assert_int_equal(meter_police(&m, 2600 * US, 1000), METER_GREEN);
	assert_int_equal(meter_police(&m, 2600 * US, 2000), METER_YELLOW);
	assert_int_equal(meter_police(&m, 2600 * US, 1), METER_RED);
	assert_int_equal(m.pkts[METER_GREEN], 3);
	assert_int_equal(m.pkts[METER_YELLOW], 4);
	assert_int_equal(m.pkts[METER_RED], 2);
	assert_int_equal(m.bytes[METER_RED], 901);
	/* Sub-byte time: 1 ns earns 1/1000 byte; 999 ns are not enough for 1 byte. */
	assert_int_equal(meter_police(&m, 2600 * US + 999, 1), METER_RED);
	assert_int_equal(meter_police(&m, 2600 * US + 1000, 1), METER_GREEN);
}

/* RFC 2698: CIR 1 B/us CBS 1000, PIR 2 B/us PBS 1500. */
/* The receive path's inline srTCM: the hand-worked example above, then a
 * long pseudo-random trace (sizes, gaps, clock steps back, wire and L2
 * accounting) frame by frame against meter_police, tokens and counters. */
static void test_srtcm_inline(void **state)
{
	(void)state;
	struct meter m;
	meter_setup(&m, METER_SRTCM, false, 0, 8000000, 1000, 0, 2000);
	assert_int_equal(meter_srtcm(&m, 0, 600), METER_GREEN);
	assert_int_equal(meter_srtcm(&m, 0, 600), METER_YELLOW);
	assert_int_equal(meter_srtcm(&m, 0, 600), METER_YELLOW);
	assert_int_equal(meter_srtcm(&m, 0, 900), METER_RED);
	assert_int_equal(meter_srtcm(&m, 300 * US, 700), METER_GREEN);
	assert_int_equal(meter_srtcm(&m, 300 * US, 1), METER_YELLOW);
	assert_int_equal(meter_srtcm(&m, 2600 * US, 1000), METER_GREEN);
	assert_int_equal(meter_srtcm(&m, 2600 * US, 2000), METER_YELLOW);
	assert_int_equal(meter_srtcm(&m, 2600 * US, 1), METER_RED);
	assert_int_equal(m.pkts[METER_GREEN], 3);
	assert_int_equal(m.pkts[METER_YELLOW], 4);
	assert_int_equal(m.pkts[METER_RED], 2);
	assert_int_equal(m.bytes[METER_RED], 901);

	for (int wire = 0; wire < 2; wire++) {
		struct meter a, b;
		meter_setup(&a, METER_SRTCM, wire, 5, 1000000000ull, 9000, 0, 20000);
		b = a;
		uint32_t x = 12345;
		uint64_t now = 5;
		for (int i = 0; i < 200000; i++) {
			x = x * 1103515245u + 12345u;
			uint32_t len = 40 + (x >> 8) % 1500;
			uint32_t step = (x >> 20) % 4000;
			if ((x & 0xff) == 7 && now > 1000)
				now -= 1000; /* the clock went backwards */
			else
				now += step;
			assert_int_equal(meter_srtcm(&a, now, len), meter_police(&b, now, len));
		}
		assert_memory_equal(&a, &b, sizeof(a));
		assert_true(a.pkts[METER_GREEN] && a.pkts[METER_YELLOW] && a.pkts[METER_RED]);
	}
}

static void test_trtcm_2698(void **state)
{
	(void)state;
	struct meter m;
	meter_setup(&m, METER_TRTCM_PEAK, false, 0, 8000000, 1000, 16000000, 1500);
	assert_int_equal(meter_police(&m, 0, 800), METER_GREEN);   /* P 700 C 200 */
	assert_int_equal(meter_police(&m, 0, 500), METER_YELLOW);  /* P 200 */
	assert_int_equal(meter_police(&m, 0, 300), METER_RED);
	assert_int_equal(meter_police(&m, 100 * US, 300), METER_GREEN); /* P 400 C 300 */
	assert_int_equal(meter_police(&m, 100 * US, 100), METER_YELLOW);
	assert_int_equal(meter_police(&m, 100 * US, 1), METER_RED);
}

/* RFC 4115: CIR 1 B/us CBS 1000, EIR 2 B/us EBS 500, independent buckets. */
static void test_trtcm_4115(void **state)
{
	(void)state;
	struct meter m;
	meter_setup(&m, METER_TRTCM_EXCESS, true, 0, 8000000, 1000, 16000000, 500);
	/* wire accounting: 976 -> 1000 bytes, 376 -> 400, 176 -> 200 */
	assert_int_equal(meter_police(&m, 0, 976), METER_GREEN);   /* C 0 */
	assert_int_equal(meter_police(&m, 0, 376), METER_YELLOW);  /* E 100 */
	assert_int_equal(meter_police(&m, 0, 176), METER_RED);
	/* 100 us: C 100, E 300 */
	assert_int_equal(meter_police(&m, 100 * US, 126), METER_YELLOW); /* 150 > C; E 150 */
	assert_int_equal(meter_police(&m, 100 * US, 76), METER_GREEN);   /* 100 = C */
	assert_int_equal(meter_police(&m, 100 * US, 126), METER_YELLOW); /* E 0 */
	assert_int_equal(meter_police(&m, 100 * US, 36), METER_RED);
	/* Time going backwards earns nothing. */
	assert_int_equal(meter_police(&m, 50 * US, 36), METER_RED);
}

/* Shaper: average 1 B/us burst 3000, peak 2 B/us burst 1500. */
static void test_shaper(void **state)
{
	(void)state;
	struct meter m;
	meter_setup(&m, METER_SHAPER, false, 0, 8000000, 3000, 16000000, 1500);
	assert_true(meter_shaper_try(&m, 0, 1500));  /* C 1500, P 0 */
	assert_false(meter_shaper_try(&m, 0, 1000)); /* takes nothing */
	assert_int_equal(meter_shaper_wait_ns(&m, 1000), 500 * US);
	assert_false(meter_shaper_try(&m, 500 * US - 1, 1000));
	assert_true(meter_shaper_try(&m, 500 * US, 1000)); /* C 2000, P 1000 -> 1000, 0 */
	assert_int_equal(m.c.tok, 1000 * METER_UNITS_PER_BYTE);
	assert_int_equal(m.e.tok, 0);
	assert_int_equal(m.pkts[METER_GREEN], 2);
	assert_int_equal(m.bytes[METER_GREEN], 2500);
	/* Given back exactly: a frame that did not leave after all. */
	meter_shaper_untake(&m, 1000);
	assert_int_equal(m.c.tok, 2000 * METER_UNITS_PER_BYTE);
	assert_int_equal(m.e.tok, 1000 * METER_UNITS_PER_BYTE);
	assert_int_equal(m.pkts[METER_GREEN], 1);
	/* Without a peak bucket only the average applies. */
	meter_setup(&m, METER_SHAPER, false, 0, 8000000, 3000, 0, 0);
	assert_true(meter_shaper_try(&m, 0, 3000));
	assert_int_equal(meter_shaper_wait_ns(&m, 1), 1000);
	assert_int_equal(meter_shaper_wait_ns(&m, 3000), 3000 * US);
	assert_int_equal(m.pkts[METER_GREEN], 1);
}

/* A transmit batch: one budget for the poll, frames checked against what
 * is left, the spent units taken at the end; the same state as the frames
 * one by one would leave. */
static void test_shaper_batch(void **state)
{
	(void)state;
	struct meter a, b;
	meter_setup(&a, METER_SHAPER, true, 0, 8000000, 3000, 16000000, 2000);
	b = a;
	uint64_t budget = meter_shaper_budget(&a, 100 * US), left = budget, units = 0, bytes = 0;
	uint32_t pkts = 0;
	for (;;) {
		uint64_t fb, cost = meter_shaper_cost(&a, 500, &fb);
		if (left < cost)
			break;
		left -= cost;
		units += cost;
		bytes += fb;
		pkts++;
	}
	meter_shaper_spend(&a, units, pkts, bytes);
	unsigned one_by_one = 0;
	while (meter_shaper_try(&b, 100 * US, 500))
		one_by_one++;
	assert_int_equal(pkts, one_by_one);
	assert_true(pkts > 0);
	assert_int_equal(a.c.tok, b.c.tok);
	assert_int_equal(a.e.tok, b.e.tok);
	assert_int_equal(a.pkts[METER_GREEN], b.pkts[METER_GREEN]);
	assert_int_equal(a.bytes[METER_GREEN], b.bytes[METER_GREEN]);
	/* E (2000 B, 524 B per wire frame) is what limits: 3 frames. */
	assert_int_equal(pkts, 3);
}

/* Extremes of the range do not overflow: 400 Gbit/s, 1 GiB bursts, long idle. */
static void test_extremes(void **state)
{
	(void)state;
	struct meter m;
	meter_setup(&m, METER_SRTCM, false, 0, METER_RATE_MAX, METER_BURST_MAX, 0, METER_BURST_MAX);
	assert_int_equal(meter_police(&m, 0, 9216), METER_GREEN);
	assert_int_equal(meter_police(&m, 1ull << 62, 9216), METER_GREEN);
	assert_int_equal(m.c.tok, m.c.depth - 9216ull * METER_UNITS_PER_BYTE);
	assert_int_equal(m.e.tok, m.e.depth);
	meter_setup(&m, METER_TRTCM_PEAK, true, 5, METER_RATE_MIN, METER_BURST_MAX,
		    METER_RATE_MAX, METER_BURST_MAX);
	assert_int_equal(meter_police(&m, UINT64_MAX, 64), METER_GREEN);
	assert_int_equal(m.c.tok, m.c.depth - 88ull * METER_UNITS_PER_BYTE);
	/* 1 Mbit/s earns one byte in exactly 8000 ns. */
	meter_setup(&m, METER_SHAPER, false, 0, METER_RATE_MIN, 64, 0, 0);
	assert_true(meter_shaper_try(&m, 0, 64));
	assert_false(meter_shaper_try(&m, 7999, 1));
	assert_true(meter_shaper_try(&m, 8000, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_srtcm),
		cmocka_unit_test(test_srtcm_inline),
		cmocka_unit_test(test_trtcm_2698),
		cmocka_unit_test(test_trtcm_4115),
		cmocka_unit_test(test_shaper),
		cmocka_unit_test(test_shaper_batch),
		cmocka_unit_test(test_extremes),
	};
	return cmocka_run_group_tests_name("fw_meter", tests, NULL, NULL);
}
