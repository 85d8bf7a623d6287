/* SPDX-License-Identifier: MIT */
/*
 * Booking records (hostdrv/bookd/booking.c): what is accepted, and every
 * kind of bad record refused with a reason that names the problem.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../hostdrv/bookd/admit.h"
#include "../../hostdrv/bookd/booking.h"

static int parse(const char *json, int key_vnic, struct booking *b, char *why)
{
	return booking_parse(json, strlen(json), key_vnic, b, why, BOOKING_REASON_MAX);
}

static void test_full_record(void **state)
{
	struct booking b;
	char why[BOOKING_REASON_MAX];

	(void)state;
	assert_int_equal(parse("{\"v\":1,\"vnic\":3,\"out_bandwidth\":\"250M\",\"in_bandwidth\":"
			       "100000000,\"comm\":\"1G\",\"cap\":\"2.5G\",\"priority\":5,\"cpu\":1.5,"
			       "\"pipe\":\"wan-1\"}", 3, &b, why), 0);
	assert_int_equal(b.vnic, 3);
	assert_int_equal(b.out_bps, 250000000ull);
	assert_int_equal(b.in_bps, 100000000ull);
	assert_int_equal(b.comm_bps, 1000000000ull);
	assert_true(b.has_cap);
	assert_int_equal(b.cap_bps, 2500000000ull);
	assert_int_equal(b.prio, 5);
	assert_true(b.cpu == 1.5);
	assert_string_equal(b.pipe, "wan-1");
}

static void test_vnic_from_key(void **state)
{
	struct booking b;
	char why[BOOKING_REASON_MAX];

	(void)state;
	assert_int_equal(parse("{\"v\":1,\"out_bandwidth\":\"10M\"}", 42, &b, why), 0);
	assert_int_equal(b.vnic, 42);
	assert_int_equal(parse("{\"v\":1,\"out_bandwidth\":\"10M\"}", -1, &b, why), -1);
	assert_non_null(strstr(why, "vnic"));
}

/* Round trip: what booking_format writes, booking_parse reads back. */
static void test_format_round_trip(void **state)
{
	struct booking a = { .vnic = 7, .prio = 2, .has_cap = 1, .out_bps = 123456789,
			     .in_bps = 5000, .comm_bps = 77000000, .cap_bps = 900000000,
			     .cpu = 0.25 }, b;
	char buf[512], why[BOOKING_REASON_MAX];

	(void)state;
	strcpy(a.pipe, "internal");
	assert_true(booking_format(&a, buf, sizeof(buf)) > 0);
	assert_int_equal(parse(buf, 7, &b, why), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_int_equal(booking_format(&a, buf, 20), -1);   /* too small: refused, not cut */
}

struct bad { const char *json; const char *why; };

static const struct bad bad_records[] = {
	{ "", "not JSON" },
	{ "{\"v\":1,\"out_bandwidth\":", "not JSON" },
	{ "not json at all", "not JSON" },
	{ "[1,2,3]", "not a JSON object" },
	{ "{\"v\":1,\"out_bandwidth\":\"10M\"} trailing", "trailing data" },
	{ "{\"out_bandwidth\":\"10M\"}", "no version" },
	{ "{\"v\":\"1\",\"out_bandwidth\":\"10M\"}", "v: want an integer" },
	{ "{\"v\":2,\"out_bandwidth\":\"10M\",\"shiny\":1}", "newer than this agent" },
	{ "{\"v\":1,\"out_bandwidth\":\"10M\",\"shiny\":1}", "unknown field 'shiny'" },
	{ "{\"v\":1,\"out_bandwidth\":-5}", "negative" },
	{ "{\"v\":1,\"out_bandwidth\":\"-5M\"}", "negative" },
	{ "{\"v\":1,\"out_bandwidth\":0}", "zero" },
	{ "{\"v\":1,\"out_bandwidth\":\"0\"}", "below" },
	{ "{\"v\":1,\"out_bandwidth\":999}", "below 1 kbit/s" },
	{ "{\"v\":1,\"out_bandwidth\":\"5000T\"}", "above" },
	{ "{\"v\":1,\"out_bandwidth\":99999999999999999999}", "above" },
	{ "{\"v\":1,\"out_bandwidth\":1.5e9}", "whole number" },
	{ "{\"v\":1,\"out_bandwidth\":\"fast\"}", "bad rate" },
	{ "{\"v\":1,\"out_bandwidth\":true}", "whole number" },
	{ "{\"v\":1,\"in_bandwidth\":[1]}", "whole number" },
	{ "{\"v\":1,\"out_bandwidth\":\"10M\",\"priority\":8}", "outside 0..7" },
	{ "{\"v\":1,\"out_bandwidth\":\"10M\",\"priority\":\"high\"}", "want an integer" },
	{ "{\"v\":1,\"out_bandwidth\":\"10M\",\"cpu\":-1}", "cpu" },
	{ "{\"v\":1,\"out_bandwidth\":\"10M\",\"cpu\":\"lots\"}", "cpu" },
	{ "{\"v\":1,\"out_bandwidth\":\"10M\",\"cap\":\"5M\"}", "below the out_bandwidth" },
	{ "{\"v\":1,\"vnic\":4,\"out_bandwidth\":\"10M\"}", "the key names VNIC 3" },
	{ "{\"v\":1,\"vnic\":70000,\"out_bandwidth\":\"10M\"}", "outside" },
	{ "{\"v\":1,\"out_bandwidth\":\"10M\",\"pipe\":\"a/b\"}", "not a name" },
	{ "{\"v\":1,\"out_bandwidth\":\"10M\",\"pipe\":\"\"}", "not a name" },
	{ "{\"v\":1}", "books nothing" },
	{ "{\"v\":1,\"out_bandwidth\":\"10M\\u0000x\"}", "NUL byte" },
	{ "{\"v\":1,\"out_bandwidth\":\"10M\",\"pipe\":\"internal\\u0000x\"}", "NUL byte" },
	{ "{\"v\":1,\"out_bandwidth\":{\"a\":{\"b\":{\"c\":{\"d\":1}}}}}", "not JSON" },
};

static void test_bad_records(void **state)
{
	char why[BOOKING_REASON_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(bad_records) / sizeof(bad_records[0]); i++) {
		struct booking b;
		memset(&b, 0xa5, sizeof(b));
		struct booking before = b;
		why[0] = 0;
		int rc = parse(bad_records[i].json, 3, &b, why);
		if (rc != -1 || !strstr(why, bad_records[i].why))
			fail_msg("record %zu '%s': rc %d, reason '%s', want '%s'", i,
				 bad_records[i].json, rc, why, bad_records[i].why);
		assert_memory_equal(&b, &before, sizeof(b));   /* nothing written */
	}
}

static void test_nul_and_size(void **state)
{
	struct booking b;
	char why[BOOKING_REASON_MAX], big[8192];
	const char rec[] = "{\"v\":1,\"out_bandwidth\":\"10M\"}\0garbage";

	(void)state;
	assert_int_equal(booking_parse(rec, sizeof(rec) - 1, 3, &b, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "NUL"));
	memset(big, ' ', sizeof(big));
	memcpy(big, "{\"v\":1,\"out_bandwidth\":\"10M\"}", 29);
	assert_int_equal(booking_parse(big, sizeof(big), 3, &b, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "at most"));
}

static void test_key_vnic(void **state)
{
	const char *p = "/snic/v1/c/nodes/n1/bookings/";

	(void)state;
	assert_int_equal(booking_key_vnic("/snic/v1/c/nodes/n1/bookings/12", p), 12);
	assert_int_equal(booking_key_vnic("/snic/v1/c/nodes/n1/bookings/0", p), 0);
	assert_int_equal(booking_key_vnic("/snic/v1/c/nodes/n1/bookings/012", p), -1);
	assert_int_equal(booking_key_vnic("/snic/v1/c/nodes/n1/bookings/65535", p), -1);
	assert_int_equal(booking_key_vnic("/snic/v1/c/nodes/n1/bookings/1x", p), -1);
	assert_int_equal(booking_key_vnic("/snic/v1/c/nodes/n1/bookings/", p), -1);
	assert_int_equal(booking_key_vnic("/snic/v1/c/nodes/n2/bookings/1", p), -1);
}

/* Admission: new requests served oldest change first, in part when
 * short; grants once given are kept; freed capacity tops up. */
static void test_admit(void **state)
{
	struct admit_req r[4] = {
		{ 30, 600, 0, 0, 0 }, { 10, 500, 0, 1, 0 }, { 20, 300, 0, 2, 0 }, { 40, 0, 0, 3, 0 },
	};

	(void)state;
	assert_int_equal(admit_split(1000, r, 4), 1);
	assert_int_equal(r[0].tag, 1);
	assert_int_equal(r[0].granted, 500);
	assert_int_equal(r[1].tag, 2);
	assert_int_equal(r[1].granted, 300);
	assert_int_equal(r[2].tag, 0);
	assert_int_equal(r[2].granted, 200);   /* in part */
	assert_int_equal(r[3].granted, 0);
	/* The oldest grows (500 -> 900) after the others: it keeps its 500. */
	struct admit_req g[3] = { { 50, 900, 0, 1, 500 }, { 20, 300, 0, 2, 300 }, { 30, 600, 0, 0, 200 } };
	assert_int_equal(admit_split(1000, g, 3), 2);
	assert_int_equal(g[2].tag, 1);
	assert_int_equal(g[2].granted, 500);
	assert_int_equal(g[1].granted, 200);
	/* One goes: the freed 300 tops up the one still short (oldest first). */
	struct admit_req f[2] = { { 50, 900, 0, 1, 500 }, { 30, 600, 0, 0, 200 } };
	assert_int_equal(admit_split(1000, f, 2), 2);
	assert_int_equal(f[0].tag, 0);
	assert_int_equal(f[0].granted, 500);   /* 200 + 300 free, oldest first */
	assert_int_equal(f[1].granted, 500);
	/* A shrink takes effect at once and frees the rest. */
	struct admit_req s2[2] = { { 60, 100, 0, 1, 500 }, { 30, 600, 0, 0, 500 } };
	admit_split(1000, s2, 2);
	assert_int_equal(s2[1].granted, 100);
	assert_int_equal(s2[0].granted, 600);
	/* Capacity below what is held (a link was reconfigured): from scratch. */
	struct admit_req c[2] = { { 1, 600, 0, 0, 600 }, { 2, 400, 0, 1, 400 } };
	assert_int_equal(admit_split(700, c, 2), 1);
	assert_int_equal(c[0].granted, 600);
	assert_int_equal(c[1].granted, 100);
	/* The sum never exceeds the capacity, whatever is asked. */
	struct admit_req big[3] = { { 1, UINT64_MAX, 0, 0, UINT64_MAX }, { 2, UINT64_MAX, 0, 1, 7 },
				    { 3, 5, 0, 2, 0 } };
	assert_int_equal(admit_split(1000, big, 3), 3);
	assert_int_equal(big[0].granted + big[1].granted + big[2].granted, 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_record),
		cmocka_unit_test(test_vnic_from_key),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_bad_records),
		cmocka_unit_test(test_nul_and_size),
		cmocka_unit_test(test_key_vnic),
		cmocka_unit_test(test_admit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
