/* SPDX-License-Identifier: MIT */
/*
 * Bandwidth shares end to end on the virtual clock: VMs send through the
 * host driver, the firmware splits the bond (share_alloc every 1 ms) and
 * limits each VNIC, the frames leave on the simulated 1 Gbit/s uplinks,
 * and the throughput of each VM is measured there.
 *
 * The source's worked example (001, lines 364-382): shares 2000/2000/1000
 * on a 2 x 1 Gb/s bond give 40/40/20 %; the first VM idle, 67/33 %; the
 * first VM using 20 %, 53.3/26.7 % for the others. And the teaming issue:
 * after a failover the split is redone on the surviving capacity.
 * Expected rates are computed here from the shares, never read back.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <snic/abi.h>
#include "shares.h"

#define US 1000ull
#define MS 1000000ull
#define GBIT 1000000000.0
#define TOLERANCE 0.005 /* relative, of the expected rate */
/* The device splits all but 1/512 of the capacity (docs/rate-limiting.md:
 * headroom, so the limits and not the wire hold frames back). */
#define USABLE(cap) ((cap) - (cap) / 512)

static struct sh_config example(void)
{
	struct sh_config c;
	memset(&c, 0, sizeof(c));
	c.profile = "gig";
	c.n_members = 2;
	c.policy = SNIC_TEAM_IP_RR; /* non-IP frames: round robin over both */
	c.n_vms = 3;
	c.frame_len = 1500;
	c.weight[0] = 2000;
	c.weight[1] = 2000;
	c.weight[2] = 1000;
	for (unsigned i = 0; i < 3; i++)
		c.offer_bps[i] = SH_BACKLOG;
	return c;
}

static struct sh_sim *start(const struct sh_config *c)
{
	char err[256] = "";
	struct sh_sim *s = sh_new(c, err, sizeof(err));
	if (!s)
		fail_msg("scenario: %s", err);
	return s;
}

/* Settle, then measure every VM over `window` and compare each with its
 * expected rate (bit/s; < 0: not checked). */
static void measure(struct sh_sim *s, const char *what, uint64_t window,
		    const double *want, unsigned n)
{
	sh_run_for(s, 20 * MS);
	sh_mark(s);
	sh_run_for(s, window);
	for (unsigned i = 0; i < n; i++) {
		double got = (double)sh_rate(s, i);
		print_message("# %-20s VM%u: %8.3f Mbit/s, want %8.3f (%+.3f %%)\n", what, i + 1,
			      got / 1e6, want[i] / 1e6,
			      want[i] > 0 ? 100.0 * (got - want[i]) / want[i] : 0.0);
	}
	for (unsigned i = 0; i < n; i++) {
		double got = (double)sh_rate(s, i);
		if (want[i] < 0)
			continue;
		double err = got > want[i] ? got - want[i] : want[i] - got;
		if (err > TOLERANCE * want[i]) /* want 0: nothing at all */
			fail_msg("%s: VM%u sent %.0f bit/s, want %.0f (+-%.1f %%)", what, i + 1, got,
				 want[i], 100 * TOLERANCE);
	}
}

static void test_worked_example(void **state)
{
	(void)state;
	struct sh_config c = example();
	struct sh_sim *s = start(&c);
	const double cap = USABLE(2 * GBIT);

	/* All three backlogged: 2000 + 2000 + 1000 = 5000 shares. */
	const double all[3] = { cap * 2000 / 5000, cap * 2000 / 5000, cap * 1000 / 5000 };
	measure(s, "all busy", 200 * MS, all, 3);

	/* The first VM stops: 3000 shares left. */
	sh_offer(s, 0, 0);
	const double idle[3] = { 0, cap * 2000 / 3000, cap * 1000 / 3000 };
	measure(s, "VM1 idle", 200 * MS, idle, 3);

	/* The first VM uses 20 % (of 2 Gbit/s): the rest goes 2:1. */
	sh_offer(s, 0, 400000000);
	const double light[3] = { 4e8, (cap - 4e8) * 2 / 3, (cap - 4e8) / 3 };
	measure(s, "VM1 at 20 %", 200 * MS, light, 3);
	assert_int_equal(sh_stalls(s), 0); /* VM1 was never held back */

	/* The device's own view agrees: VM1 is not backlogged, the others are. */
	struct snic_vnic_share_info in;
	assert_int_equal(sh_query(s, 0, &in), SNIC_OK);
	assert_int_equal(in.weight, 2000);
	assert_true(in.flags & SNIC_SHAREF_SET);
	assert_true(in.flags & SNIC_SHAREF_ACTIVE);
	assert_false(in.flags & SNIC_SHAREF_BACKLOG);
	assert_int_equal(in.capacity_bps, 2000000000ull);
	assert_int_equal(sh_query(s, 1, &in), SNIC_OK);
	assert_true(in.flags & SNIC_SHAREF_BACKLOG);
	sh_free(s);
}

static void test_failover_resplits_on_survivors(void **state)
{
	(void)state;
	struct sh_config c = example();
	struct sh_sim *s = start(&c);
	const double cap = USABLE(2 * GBIT);
	const double before[3] = { cap * 0.4, cap * 0.4, cap * 0.2 };
	measure(s, "bond of 2", 100 * MS, before, 3);

	/* Uplink 1 fails: the split is redone in the poll that sees it. */
	sh_link(s, 1, 0);
	sh_run_for(s, 5 * US);
	const uint64_t one = USABLE(1000000000ull); /* 998046875 */
	const uint64_t want_alloc[3] = { one * 2 / 5, one * 2 / 5, one / 5 };
	for (unsigned i = 0; i < 3; i++) {
		struct snic_vnic_share_info in;
		assert_int_equal(sh_query(s, i, &in), SNIC_OK);
		assert_int_equal(in.capacity_bps, 1000000000ull);
		assert_int_equal(in.alloc_bps, want_alloc[i]);
		assert_int_equal(in.rate_bps, want_alloc[i]);
	}
	struct snic_team_status ts;
	assert_int_equal(sh_team(s, &ts), SNIC_OK);
	assert_int_equal(ts.in_use, 0x1);
	assert_int_equal(ts.failovers, 1);

	/* Measured on the one survivor: the same proportions of 1 Gbit/s. */
	const double after[3] = { one * 0.4, one * 0.4, one * 0.2 };
	measure(s, "uplink 1 down", 100 * MS, after, 3);
	assert_int_equal(sh_uplink_bytes(s, 1), 0);

	/* Failback: the whole bond again. */
	sh_link(s, 1, 1);
	measure(s, "uplink 1 back", 100 * MS, before, 3);
	assert_true(sh_uplink_bytes(s, 1) > 0);
	sh_free(s);
}

/* A guaranteed minimum comes first, the rest goes by weight; a higher
 * priority is served before the rest. */
static void test_minimum_and_priority(void **state)
{
	(void)state;
	struct sh_config c = example();
	c.min_bps[2] = 800000000; /* VM3: 800 Mbit/s guaranteed */
	struct sh_sim *s = start(&c);
	const double cap = USABLE(2 * GBIT);
	const double mins[3] = { (cap - 8e8) / 2, (cap - 8e8) / 2, 8e8 };
	measure(s, "VM3 min 800M", 100 * MS, mins, 3);
	sh_free(s);

	c = example();
	c.prio[1] = 1;            /* VM2 first: all of the 1.5 Gbit/s it offers */
	c.offer_bps[1] = 1500000000;
	s = start(&c);
	const double prio[3] = { (cap - 15e8) * 2 / 3, 15e8, (cap - 15e8) / 3 };
	measure(s, "VM2 prio 1 at 1.5G", 100 * MS, prio, 3);
	sh_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_example),
		cmocka_unit_test(test_failover_resplits_on_survivors),
		cmocka_unit_test(test_minimum_and_priority),
	};
	return cmocka_run_group_tests_name("sim_shares", tests, NULL, NULL);
}
