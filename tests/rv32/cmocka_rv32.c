/* SPDX-License-Identifier: MIT */
/*
 * Runner of the rv32 cmocka stand-in (see cmocka.h beside this file), and
 * the bare-metal main(): each test source is compiled with
 * -Dmain=rv_test_main, so this main runs it and then always exits 0,
 * because QEMU 7.2 only ends the machine reliably on exit(0). Failures
 * travel in the TAP lines, and a last "# rv32 done" line proves the
 * program got to the end (the runner script counts anything else as a
 * crash or a hang).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cmocka.h"

static jmp_buf rv_jump;
static int rv_in_test;

void rv_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (rv_in_test)
		longjmp(rv_jump, 1);
	/* An assertion outside any test (group fixture): nothing to unwind to. */
	printf("# rv32 failure outside a test\n# rv32 done\n");
	exit(0);
}

void rv_assert_memory_equal(const void *a, const void *b, size_t n, const char *file, int line)
{
	const uint8_t *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			rv_fail(file, line, "memory differs at byte %u: %#x != %#x",
				(unsigned)i, x[i], y[i]);
}

void rv_assert_string_equal(const char *a, const char *b, const char *file, int line)
{
	if (!a || !b || strcmp(a, b))
		rv_fail(file, line, "\"%s\" != \"%s\"", a ? a : "(null)", b ? b : "(null)");
}

static unsigned rv_failed_total;

/* One test with its fixtures; 1 when it passed. Kept apart so that only
 * this small frame is live across the longjmp. */
static int run_one(const struct CMUnitTest *t, void *state)
{
	volatile int ok = 1;

	if (t->setup_func && t->setup_func(&state)) {
		printf("# setup of %s failed\n", t->name);
		return 0;
	}
	rv_in_test = 1;
	if (setjmp(rv_jump) == 0)
		t->test_func(&state);
	else
		ok = 0;
	rv_in_test = 0;
	if (t->teardown_func && t->teardown_func(&state)) {
		printf("# teardown of %s failed\n", t->name);
		ok = 0;
	}
	return ok;
}

int rv_run_group(const char *name, const struct CMUnitTest *tests, size_t n,
		 CMFixtureFunction setup, CMFixtureFunction teardown)
{
	void *group_state = NULL;
	unsigned failed = 0;

	printf("1..%u\n", (unsigned)n);
	if (setup && setup(&group_state)) {
		printf("# group %s setup failed\n", name);
		for (size_t i = 0; i < n; i++)
			printf("not ok %u - %s\n", (unsigned)i + 1, tests[i].name);
		rv_failed_total += (unsigned)n;
		return (int)n;
	}
	for (size_t i = 0; i < n; i++) {
		const struct CMUnitTest *t = &tests[i];
		int ok = run_one(t, t->initial_state ? t->initial_state : group_state);
		printf("%s %u - %s\n", ok ? "ok" : "not ok", (unsigned)i + 1, t->name);
		if (!ok)
			failed++;
	}
	if (teardown)
		teardown(&group_state);
	rv_failed_total += failed;
	return (int)failed;
}

int rv_test_main(void);

int main(void)
{
	int rc = rv_test_main();
	printf("# rv32 exit status %d, %u failed\n# rv32 done\n", rc, rv_failed_total);
	exit(0);
}
