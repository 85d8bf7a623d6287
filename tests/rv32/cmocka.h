/* SPDX-License-Identifier: MIT */
/*
 * A small stand-in for the cmocka API the firmware unit tests use, so the
 * same test sources run bare metal on rv32 under QEMU (picolibc has no
 * cmocka). It prints TAP like cmocka's CMOCKA_MESSAGE_OUTPUT=TAP:
 * "1..N", then "ok K - name" / "not ok K - name" with "# " diagnostics.
 *
 * A failed assertion prints where and why, then longjmps back to the
 * runner, which runs the test's teardown and goes on with the next test.
 * Only what tests/unit/test_fw_*.c need is here; anything else fails to
 * compile, which is the point: the two runs must test the same things.
 */
#ifndef SNIC_RV32_CMOCKA_H
#define SNIC_RV32_CMOCKA_H

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>

typedef void (*CMUnitTestFunction)(void **state);
typedef int (*CMFixtureFunction)(void **state);

struct CMUnitTest {
	const char        *name;
	CMUnitTestFunction test_func;
	CMFixtureFunction  setup_func;
	CMFixtureFunction  teardown_func;
	void              *initial_state;
};

#define cmocka_unit_test(f) { #f, f, NULL, NULL, NULL }
#define cmocka_unit_test_setup(f, s) { #f, f, s, NULL, NULL }
#define cmocka_unit_test_teardown(f, t) { #f, f, NULL, t, NULL }
#define cmocka_unit_test_setup_teardown(f, s, t) { #f, f, s, t, NULL }

int rv_run_group(const char *name, const struct CMUnitTest *tests, size_t n,
		 CMFixtureFunction setup, CMFixtureFunction teardown);

#define cmocka_run_group_tests_name(name, tests, setup, teardown) \
	rv_run_group(name, tests, sizeof(tests) / sizeof((tests)[0]), setup, teardown)
#define cmocka_run_group_tests(tests, setup, teardown) \
	cmocka_run_group_tests_name(#tests, tests, setup, teardown)

/* Failure reporting: never returns. No format attribute: the tests are
 * written for LP64 hosts, and on ilp32 uint32_t is `long` while "%u"
 * prints it correctly all the same (both are 32 bits wide). */
void rv_fail(const char *file, int line, const char *fmt, ...) __attribute__((noreturn));

#define fail() rv_fail(__FILE__, __LINE__, "failure")
#define fail_msg(...) rv_fail(__FILE__, __LINE__, __VA_ARGS__)
#define print_message(...) printf(__VA_ARGS__)

#define assert_true(c) \
	do { if (!(c)) rv_fail(__FILE__, __LINE__, "%s is not true", #c); } while (0)
#define assert_false(c) \
	do { if (c) rv_fail(__FILE__, __LINE__, "%s is not false", #c); } while (0)
#define assert_non_null(p) \
	do { if (!(p)) rv_fail(__FILE__, __LINE__, "%s is NULL", #p); } while (0)
#define assert_null(p) \
	do { if (p) rv_fail(__FILE__, __LINE__, "%s is not NULL", #p); } while (0)

/* cmocka compares as unsigned long long ("largest integral type"). */
#define assert_int_equal(a, b) do { \
	unsigned long long rv_a_ = (unsigned long long)(a), rv_b_ = (unsigned long long)(b); \
	if (rv_a_ != rv_b_) \
		rv_fail(__FILE__, __LINE__, "%llu (%#llx) != %llu (%#llx)", \
			rv_a_, rv_a_, rv_b_, rv_b_); \
} while (0)
#define assert_int_not_equal(a, b) do { \
	unsigned long long rv_a_ = (unsigned long long)(a), rv_b_ = (unsigned long long)(b); \
	if (rv_a_ == rv_b_) \
		rv_fail(__FILE__, __LINE__, "%llu == %llu", rv_a_, rv_b_); \
} while (0)
#define assert_in_range(v, lo, hi) do { \
	unsigned long long rv_v_ = (unsigned long long)(v); \
	if (rv_v_ < (unsigned long long)(lo) || rv_v_ > (unsigned long long)(hi)) \
		rv_fail(__FILE__, __LINE__, "%llu is not within %llu-%llu", rv_v_, \
			(unsigned long long)(lo), (unsigned long long)(hi)); \
} while (0)
#define assert_ptr_equal(a, b) do { \
	const void *rv_a_ = (const void *)(a), *rv_b_ = (const void *)(b); \
	if (rv_a_ != rv_b_) rv_fail(__FILE__, __LINE__, "%p != %p", rv_a_, rv_b_); \
} while (0)
#define assert_ptr_not_equal(a, b) do { \
	const void *rv_a_ = (const void *)(a), *rv_b_ = (const void *)(b); \
	if (rv_a_ == rv_b_) rv_fail(__FILE__, __LINE__, "%p == %p", rv_a_, rv_b_); \
} while (0)

void rv_assert_memory_equal(const void *a, const void *b, size_t n, const char *file, int line);
void rv_assert_string_equal(const char *a, const char *b, const char *file, int line);
#define assert_memory_equal(a, b, n) rv_assert_memory_equal(a, b, n, __FILE__, __LINE__)
#define assert_string_equal(a, b) rv_assert_string_equal(a, b, __FILE__, __LINE__)

#endif
