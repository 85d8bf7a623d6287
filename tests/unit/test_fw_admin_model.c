// SPDX-License-Identifier: MIT
/*
 * Adversarial admin command sequences on the firmware's real admin path,
 * checked against a model of the accepted commands (fw_admin_model.h):
 * 3,000 sequences, 100,000 commands in all, from a seeded PRNG, on the
 * small card (ternary MAC entries) and the large one (exact-match MACs).
 * After every sequence every VNIC and rule location is queried back; any
 * divergence fails with the seed, sequence and command that showed it.
 * FWM_SEED overrides the seed; the run is bounded to a time budget
 * (FWM_BUDGET_S processor seconds, default 120) and says how far it got.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <cmocka.h>
#include "test_fw_util.h"
#include "fw_admin_model.h"

#define SEQUENCES 3000
#define COMMANDS  100000u

static unsigned accepted, sent;

static int model_admin(uint16_t op, const void *p, uint32_t len, struct snic_admin_cpl *cpl)
{
	int st = admin(op, p, len, cpl);
	sent++;
	accepted += st == SNIC_OK;
	return st;
}

/* xorshift64*: the same sequences on every run for one seed. */
static uint32_t xs_next(void *ctx)
{
	uint64_t *s = ctx;
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (uint32_t)((*s * 0x2545f4914f6cdd1dull) >> 32);
}

/* Processor time (standard C, so the rv32 build has it too). */
static double now_s(void)
{
	return (double)clock() / CLOCKS_PER_SEC;
}

static void run(const char *profile, unsigned seqs, unsigned cmds, uint64_t seed, double budget)
{
	static struct fwm m;
	uint64_t rng = seed;
	unsigned done = 0, n = 0;
	double t0 = now_s();

	memset(&m, 0, sizeof(m));
	m.admin = model_admin;
	m.win = win_at;
	m.rnd = xs_next;
	m.rnd_ctx = &rng;
	boot(profile);
	assert_int_equal(fwm_init(&m), 0);
	for (unsigned s = 0; s < seqs && now_s() - t0 < budget; s++, done++) {
		/* Each sequence from a clean device, through the admin path. */
		assert_int_equal(admin(SNIC_CMD_RESET, NULL, 0, NULL), SNIC_OK);
		fwm_forget_all(&m);
		unsigned len = cmds / seqs + xs_next(&rng) % 8;
		for (unsigned i = 0; i < len; i++, n++) {
			if (fwm_step(&m) || (i % 16 == 15 && fwm_check(&m)))
				fail_msg("%s seed 0x%llx sequence %u command %u: %s", profile,
					 (unsigned long long)seed, s, i, m.why);
		}
		if (fwm_check(&m))
			fail_msg("%s seed 0x%llx after sequence %u: %s", profile,
				 (unsigned long long)seed, s, m.why);
	}
	printf("# %s: %u sequences, %u commands, %u admin calls (%u accepted) in %.1f s\n",
	       profile, done, n, sent, accepted, now_s() - t0);
	/* A budget too small to run half of it is a failure, not a pass. */
	assert_true(done * 2 >= seqs);
}

static uint64_t seed(void)
{
	const char *s = getenv("FWM_SEED");
	return s ? strtoull(s, NULL, 0) : 0x5eed0015ull;
}

static double budget(void)
{
	const char *s = getenv("FWM_BUDGET_S");
	return s ? atof(s) : 120.0;
}

/* Ternary MAC entries: rules and VNIC MACs share one table. */
static void small_card(void **state)
{
	(void)state;
	run("small", SEQUENCES / 2, COMMANDS / 2, seed(), budget() / 2);
}

/* Exact-match MACs, the full ternary table for host rules. */
static void large_card(void **state)
{
	(void)state;
	run("large", SEQUENCES / 2, COMMANDS / 2, seed() ^ 0xa5a5, budget() / 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(small_card),
		cmocka_unit_test(large_card),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
