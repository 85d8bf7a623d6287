/* SPDX-License-Identifier: MIT */
/*
 * Failover on the whole simulated network (NIC + Verilated engine +
 * firmware + learning switch + external host + VMs), measured on the
 * virtual clock, with the bounds the teaming issue sets:
 *   - link-state detection: every affected VNIC on a new uplink <= 10 us;
 *   - beacon probing at 1 ms, 3 misses: <= 3 intervals (plus the
 *     evaluation guard of a few microseconds);
 *   - no frame the host queued is lost, none reordered; losses only on the
 *     failed wire, and counted;
 *   - notify switches shortens the receive outage after a silent failure.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <snic/abi.h>
#include "failover.h"

#define US 1000ull
#define MS 1000000ull
#define BEACON_BOUND (3 * MS + 20 * US)

/* The shared bond, with VMs streaming every 1 us and host requests every 20 us. */
static struct fo_config config(void)
{
	struct fo_config c = fo_config_team();
	c.vm_every_ns = 1000;
	c.req_every_ns = 20000;
	return c;
}

static struct fo_sim *start(const struct fo_config *c)
{
	char err[256] = "";
	struct fo_sim *s = fo_new(c, err, sizeof(err));
	if (!s)
		fail_msg("scenario: %s", err);
	return s;
}

static void show(const struct fo_result *r)
{
	print_message("# %-9s uplink %u: %u affected, failover %llu ns, lost on wire %llu, "
		      "elsewhere %llu, outage %llu ns, failback %llu ns\n", fo_kind_name(r->kind),
		      r->victim, r->affected, (unsigned long long)r->failover_ns,
		      (unsigned long long)r->lost_wire, (unsigned long long)r->lost_other,
		      (unsigned long long)r->outage_ns, (unsigned long long)r->failback_ns);
}

/* What every trial must satisfy, whatever the fault. */
static void common(const struct fo_result *r)
{
	show(r);
	assert_int_equal(r->affected, 2);       /* two VMs per active uplink */
	assert_int_equal(r->moved, 2);
	assert_int_equal(r->lost_other, 0);     /* nothing the host queued is lost */
	assert_int_equal(r->reordered, 0);
	assert_int_equal(r->tx_drops, 0);
	assert_int_equal(r->vm_stalls, 0);
	assert_true(r->failback_ns != UINT64_MAX);
}

static void test_small_campaign(void **state)
{
	(void)state;
	struct fo_config c = config();
	struct fo_sim *s = start(&c);
	/* The VMs are spread over the two actives, none on the standby. */
	assert_int_equal(fo_busy_uplinks(s), 0x3);
	static const struct { uint8_t kind, victim; uint64_t delay; } plan[] = {
		{ FO_LINK_DOWN, 0, 123 * US }, { FO_LINK_DOWN, 1, 777 * US },
		{ FO_TXFULL, 1, 50 * US },     { FO_TXFULL, 0, 501 * US },
		{ FO_BLACKHOLE, 1, 10 * US },  { FO_BLACKHOLE, 0, 990 * US },
	};
	for (unsigned i = 0; i < sizeof(plan) / sizeof(plan[0]); i++) {
		struct fo_result r;
		fo_trial(s, plan[i].kind, plan[i].victim, plan[i].delay, 6 * MS, &r);
		common(&r);
		switch (r.kind) {
		case FO_LINK_DOWN:
			assert_true(r.failover_ns <= 10 * US);
			assert_true(r.lost_wire <= 4);   /* at most what was on the cable */
			assert_true(r.failback_ns <= 10 * US);
			break;
		case FO_TXFULL:
			/* Seen at the next transmit attempt: a VM sends every 1 us. */
			assert_true(r.failover_ns <= 2 * US);
			assert_int_equal(r.lost_wire, 0); /* refused frames are retried */
			break;
		default: /* FO_BLACKHOLE: only the beacons can tell */
			assert_true(r.failover_ns >= 2 * MS);
			assert_true(r.failover_ns <= BEACON_BOUND);
			/* Lost: what the two VMs sent into the hole before detection. */
			assert_true(r.lost_wire > 0);
			assert_true(r.lost_wire <= 2 * (r.failover_ns / US + 2));
			assert_true(r.failback_ns <= 2 * MS);
			break;
		}
	}
	/* Back where it started after every failback. */
	assert_int_equal(fo_busy_uplinks(s), 0x3);
	fo_free(s);
}

/* Quiet VMs only answer the host. After a silent failure the switch keeps
 * the VNIC's MAC behind the dead port: without notification nothing
 * corrects it; with it, echoes resume right after the failover. */
static void test_notify_shortens_the_outage(void **state)
{
	(void)state;
	uint64_t outage[2];
	for (int notify = 0; notify < 2; notify++) {
		struct fo_config c = config();
		c.vm_every_ns = 0;
		c.req_every_ns = 10000;
		c.notify = notify ? SNIC_TEAM_NOTIFY_RARP : 0;
		struct fo_sim *s = start(&c);
		struct fo_result r;
		fo_trial(s, FO_BLACKHOLE, 0, 333 * US, 5 * MS, &r);
		show(&r);
		outage[notify] = r.outage_ns;
		assert_int_equal(r.lost_other, 0);
		fo_free(s);
	}
	assert_true(outage[0] >= 5 * MS);                 /* never recovered in the window */
	assert_true(outage[1] <= BEACON_BOUND + 30 * US); /* detection + one request */
}

/* A link-down is announced by the switch itself (it flushes the port's
 * MAC entries and floods): echoes resume at once, notify or not. */
static void test_link_down_outage_is_short(void **state)
{
	(void)state;
	struct fo_config c = config();
	c.vm_every_ns = 0;
	c.req_every_ns = 10000;
	c.notify = 0;
	struct fo_sim *s = start(&c);
	struct fo_result r;
	fo_trial(s, FO_LINK_DOWN, 1, 40 * US, 5 * MS, &r);
	show(&r);
	assert_true(r.outage_ns <= 30 * US);
	assert_int_equal(r.lost_other, 0);
	fo_free(s);
}

/* Two members: a silent failure cannot be attributed by beacons, so the
 * bond does not fail over (link state and TX refusal still work). */
static void test_two_members_beacon_unsure(void **state)
{
	(void)state;
	struct fo_config c = config();
	c.n_members = 2;
	c.role[1] = SNIC_TEAM_ACTIVE;
	c.role[2] = 0;
	c.member[2] = 0;
	struct fo_sim *s = start(&c);
	struct fo_result r;
	fo_trial(s, FO_BLACKHOLE, 0, 100 * US, 5 * MS, &r);
	show(&r);
	assert_int_equal(r.affected, 2);
	assert_int_equal(r.moved, 0);
	assert_true(r.failover_ns == UINT64_MAX);
	fo_trial(s, FO_LINK_DOWN, 0, 100 * US, 5 * MS, &r);
	show(&r);
	assert_int_equal(r.moved, 2);
	assert_true(r.failover_ns <= 10 * US);
	assert_int_equal(r.lost_other, 0);
	fo_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_campaign),
		cmocka_unit_test(test_notify_shortens_the_outage),
		cmocka_unit_test(test_link_down_outage_is_short),
		cmocka_unit_test(test_two_members_beacon_unsure),
	};
	return cmocka_run_group_tests_name("sim_failover", tests, NULL, NULL);
}
