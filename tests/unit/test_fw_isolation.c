/* SPDX-License-Identifier: MIT */
/*
 * Isolation, the property users trust a multi-tenant NIC for, over the
 * firmware's real RX and TX paths (fake engine: the reference parser and
 * the tables as programmed): for random configurations and random hostile
 * traffic, across ring promotion and demotion, VNIC, rule and L2 changes,
 * failover, RESET and reboots, no frame reaches a VNIC the rules and the
 * L2 semantics (l2.h) do not assign it to, and no frame leaves an uplink
 * with a source (MAC, VLAN, IPv4, uplink) its sender does not own. One
 * violation fails (all are counted; the first is printed with the seed,
 * the configuration and the frame). test_stale_*: the three bugs the
 * property found, each alone (docs/firmware.md "Isolation property").
 *
 * SNIC_ISO_FRAMES (default 1,000,000) frames, SNIC_ISO_SEED (default 1),
 * SNIC_ISO_RACES (the kinds of racing change, ISO_RACE_*; all by default):
 * the same values replay the same run. `make fuzz-isolation`: the property
 * alone, 10,000,000 frames.
 * The negative controls prove the check can fail.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "classifier.h"
#include "test_fw_util.h"
#include "isolation_rig.h"

#define ISO_DEFAULT_FRAMES 1000000ull

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *s = getenv(name);
	if (!s || !*s)
		return dflt;
	char *end;
	unsigned long long v = strtoull(s, &end, 0);
	if (*end)
		fail_msg("%s=%s: not a number", name, s);
	return v;
}

static struct iso_rig *rig_new(uint64_t seed)
{
	struct iso_rig *g = calloc(1, sizeof(*g));
	assert_non_null(g);
	g->seed = seed;
	g->rng.s = seed;
	g->report = 1;
	g->races = ISO_RACE_ALL;
	return g;
}

static int teardown(void **state)
{
	free(*state);
	*state = NULL;
	fake_teardown();
	return 0;
}

/* One batch: up to 32 frames from the wire, up to 8 from VNIC drivers. */
static void batch(struct iso_rig *g)
{
	uint8_t f[ISO_FRAME_MAX];
	uint8_t port;
	for (unsigned n = 1 + iso_below(&g->rng, 32); n; n--) {
		uint32_t len = iso_gen_rx(&g->rng, &g->m, f, &port);
		iso_rig_rx(g, f, len, port);
	}
	for (unsigned n = iso_below(&g->rng, 9); n; n--) {
		const struct iso_vnic *v = &g->m.v[iso_below(&g->rng, g->m.max_vnics)];
		if (v->live)
			iso_rig_tx(g, v, f, iso_gen_tx(&g->rng, &g->m, v, f));
	}
	iso_rig_poll(g);
}

static void summary(const struct iso_rig *g, const char *what)
{
	const struct iso_counts *n = &g->n;
	printf("# isolation %s: seed %llu, rx frames %llu (delivered %llu, copies %llu, "
	       "duplicates %llu; copies the oracle allowed that did not arrive: rule %llu mac %llu "
	       "group %llu), tx queued %llu sent %llu (device-made %llu), drops:",
	       what, (unsigned long long)g->seed, (unsigned long long)n->frames,
	       (unsigned long long)n->delivered, (unsigned long long)n->copies,
	       (unsigned long long)n->duplicates,
	       (unsigned long long)n->missing[ISO_K_RULE], (unsigned long long)n->missing[ISO_K_MAC],
	       (unsigned long long)n->missing[ISO_K_GROUP], (unsigned long long)n->tx_queued,
	       (unsigned long long)n->tx_sent, (unsigned long long)n->tx_device);
	for (unsigned r = 0; r < SNIC_DROP_REASONS; r++)
		if (n->drops[r])
			printf(" %s %llu", snic_drop_name(r), (unsigned long long)n->drops[r]);
	printf(" (ring drops %llu); copies by rule %llu, MAC entry %llu (stacked tags %llu), "
	       "group %llu; to the shared ring %llu, RSS queues %llu, port-VLAN VNICs %llu, "
	       "bond VNICs %llu; "
	       "sent by port-VLAN VNICs %llu, bond VNICs %llu",
	       (unsigned long long)n->ring_drops, (unsigned long long)n->by_kind[ISO_K_RULE],
	       (unsigned long long)n->by_kind[ISO_K_MAC], (unsigned long long)n->qinq_hits,
	       (unsigned long long)n->by_kind[ISO_K_GROUP], (unsigned long long)n->to_shared,
	       (unsigned long long)n->to_rss,
	       (unsigned long long)n->to_pvlan, (unsigned long long)n->to_bond,
	       (unsigned long long)n->tx_pvlan, (unsigned long long)n->tx_bond);
	printf(", racing changes %llu, configurations %llu, resets %llu, reboots %llu, failovers %llu, ring binds %llu, "
	       "L2 changes %llu, VNIC changes %llu, rule changes %llu, violations rx %llu tx %llu "
	       "(racing a VNIC id reuse %llu, a MAC change %llu, a VLAN change %llu, other %llu; "
	       "sent for a destroyed VNIC %llu)\n",
	       (unsigned long long)n->races, (unsigned long long)n->configs,
	       (unsigned long long)n->resets,
	       (unsigned long long)n->boots - 1, (unsigned long long)n->failovers,
	       (unsigned long long)n->binds, (unsigned long long)n->l2_changes,
	       (unsigned long long)n->vnic_changes, (unsigned long long)n->rule_changes,
	       (unsigned long long)n->rx_violations, (unsigned long long)n->tx_violations,
	       (unsigned long long)n->race_violations[ISO_RACE_REUSE],
	       (unsigned long long)n->race_violations[ISO_RACE_MAC],
	       (unsigned long long)n->race_violations[ISO_RACE_VLAN],
	       (unsigned long long)n->race_violations[ISO_RACE_OTHER],
	       (unsigned long long)n->race_violations[ISO_RACE_TX]);
	fflush(stdout);
}

static void test_isolation_property(void **state)
{
	uint64_t frames = env_u64("SNIC_ISO_FRAMES", ISO_DEFAULT_FRAMES);
	struct iso_rig *g = rig_new(env_u64("SNIC_ISO_SEED", 1));
	*state = g;
	/* SNIC_ISO_RACES: which racing changes (ISO_RACE_*, all by default);
	 * leaving out a kind with a known bug (docs/firmware.md "Isolation
	 * property") lets the run look for anything else. */
	g->races = (unsigned)env_u64("SNIC_ISO_RACES", ISO_RACE_ALL);
	g->replay = 1;
	iso_rig_boot(g, "large");
	iso_cfg_new(g);
	while (g->n.frames < frames) {
		iso_cfg_event(g);
		batch(g);
	}
	iso_rig_flush_tx(g);
	iso_rig_count_drops(g);
	summary(g, "property");
	if (g->n.rx_violations + g->n.tx_violations)
		fail_msg("%llu isolation violations (the first one is printed above)",
			 (unsigned long long)(g->n.rx_violations + g->n.tx_violations));
	/* The oracle is exact, not only an upper bound: with no ring ever
	 * full, every copy it allowed arrived. */
	uint64_t missing = 0;
	for (unsigned k = 0; k < ISO_K_KINDS; k++)
		missing += g->n.missing[k];
	if (!g->n.ring_drops)
		assert_int_equal(missing, 0);
	/* The run must have exercised what it claims to. */
	assert_true(g->n.delivered > g->n.frames / 10);
	assert_true(g->n.tx_sent > 0);
	if (frames >= 100000) {
		assert_true(g->n.resets > 0 && g->n.failovers > 0 && g->n.binds > 0);
		assert_true(g->n.boots > 1 && g->n.races > 0);
		assert_true(g->n.drops[SNIC_DROP_TX_SPOOF] > 0 && g->n.duplicates == 0);
	}
}

/* The checker on its own: a copy to the wrong VNIC, on the wrong ring, or
 * a foreign source on the wire is flagged; the right ones are not. */
static void test_checker_flags_violations(void **state)
{
	struct iso_model *m = calloc(1, sizeof(*m));
	assert_non_null(m);
	*state = m;
	iso_model_reset(m, 2, 16);
	m->port_up[0] = m->port_up[1] = 1;
	for (unsigned i = 0; i < 2; i++) {
		struct iso_vnic *v = &m->v[i];
		v->live = 1;
		iso_pool_mac(i, v->mac);
		v->vlan = SNIC_VLAN_NONE;
		v->rx_ring = v->tx_ring = (uint16_t)(i + 1);
	}
	uint8_t f[64] = { 0 };
	struct snic_key key;
	struct iso_expect e;
	memcpy(f, m->v[0].mac, 6);
	iso_pool_mac(5, f + 6);
	f[12] = 0x88, f[13] = 0xb5;
	snic_parse(f, 60, 60, 0, &key);
	iso_expect_rx(m, f, 60, 0, &key, &e);
	assert_int_equal(e.kind, ISO_K_MAC);
	assert_null(iso_check_rx(m, &e, 1, 0));
	assert_non_null(iso_check_rx(m, &e, 2, 1)); /* to B */
	assert_non_null(iso_check_rx(m, &e, 2, 0)); /* A's frame on B's ring */
	assert_non_null(iso_check_rx(m, &e, 0, 0)); /* on the shared ring */
	/* Another uplink: not A's domain; B is not promiscuous. */
	iso_expect_rx(m, f, 60, 1, &key, &e);
	assert_non_null(iso_check_rx(m, &e, 1, 0));
	/* TX: A with its own source, then with B's, and on uplink 1. */
	memcpy(f + 6, m->v[0].mac, 6);
	assert_null(iso_check_tx(m, 0, 0, f, 60));
	assert_non_null(iso_check_tx(m, 0, 1, f, 60));
	memcpy(f + 6, m->v[1].mac, 6);
	assert_non_null(iso_check_tx(m, 0, 0, f, 60));
	/* A VLAN hop: an 802.1ad tag from an untagged VNIC. */
	memcpy(f + 6, m->v[0].mac, 6);
	f[12] = 0x88, f[13] = 0xa8, f[14] = 0, f[15] = 20, f[16] = 0x88, f[17] = 0xb5;
	assert_non_null(iso_check_tx(m, 0, 0, f, 60));
}

/* The whole pipeline on the real firmware with a model that is wrong on
 * purpose (the two VNICs' MACs swapped in the model only): the run must
 * report misdeliveries and spoofs, so a passing run means something. */
static void test_wrong_model_is_caught(void **state)
{
	struct iso_rig *g = rig_new(7);
	unsigned a, b;
	uint8_t t[6];
	*state = g;
	g->report = 0;
	iso_rig_boot(g, "large");
	iso_cfg_pair(g, 0, &a, &b);
	memcpy(t, g->m.v[a].mac, 6);
	memcpy(g->m.v[a].mac, g->m.v[b].mac, 6);
	memcpy(g->m.v[b].mac, t, 6);
	while (g->n.frames < 20000)
		batch(g);
	iso_rig_flush_tx(g);
	summary(g, "negative control");
	assert_true(g->n.rx_violations > 0);
	assert_true(g->n.tx_violations > 0);
}

/* On `profile`: VNICs A (uplink 0) and B (uplink ub), and one frame for
 * A's MAC from a peer, classified on `port` and waiting for the firmware. */
static void stale_setup(struct iso_rig *g, const char *profile, uint8_t ub, uint8_t port,
			unsigned *a, unsigned *b)
{
	uint8_t f[ISO_FRAME_MAX], peer[6];
	iso_rig_boot(g, profile);
	iso_cfg_pair(g, ub, a, b);
	iso_pool_mac(5, peer);
	iso_rig_rx(g, f, make_eth(f, g->m.v[*a].mac, peer, SNIC_VLAN_NONE, 0x88b5, 46), port);
}

static const char *const cards[] = { "large", "small" }; /* exact table, ternary only */

/* A frame for A's MAC, classified while A exists; the host destroys A and
 * creates another VNIC under A's id (SNIC_ID_ANY would pick it too) with
 * another MAC before the firmware receives the frame. The new VNIC never
 * had that MAC: the frame is not its. */
static void test_stale_hit_not_for_reused_id(void **state)
{
	struct iso_rig *g = rig_new(1);
	unsigned a, b;
	uint8_t other[6];
	*state = g;
	iso_pool_mac(2, other);
	for (unsigned i = 0; i < 2; i++) {
		stale_setup(g, cards[i], 0, 0, &a, &b);
		uint32_t gen = g->m.v[a].gen;
		iso_race_reuse(g, a, other, 0);
		assert_int_not_equal(g->m.v[a].gen, gen); /* created again */
	}
	assert_int_equal(g->n.rx_violations, 0);
}

/* A frame for A's MAC arrives on B's uplink and is classified by A's MAC
 * entry; A then takes B's MAC (their uplinks do not meet: allowed). The
 * firmware looks for the VNIC sharing A's MAC on that uplink: with A's
 * new MAC that is B, to whose MAC the frame was never sent. */
static void test_stale_hit_not_for_new_mac_sharer(void **state)
{
	struct iso_rig *g = rig_new(1);
	unsigned a, b;
	*state = g;
	for (unsigned i = 0; i < 2; i++) {
		stale_setup(g, cards[i], 1, 1, &a, &b);
		iso_race_mac(g, a, g->m.v[b].mac);
		assert_memory_equal(g->m.v[a].mac, g->m.v[b].mac, 6); /* accepted */
	}
	assert_int_equal(g->n.rx_violations, 0);
}

/* VNIC A's driver queued frames; before the firmware sends them the host
 * destroys A and creates a VNIC with A's MAC on another uplink (a VM
 * restarted), which takes A's id and TX ring. A's frames must not leave
 * in the new VNIC's name, on its uplink. */
static void test_stale_tx_not_sent_by_new_vnic(void **state)
{
	struct iso_rig *g = rig_new(1);
	unsigned a, b;
	uint8_t f[ISO_FRAME_MAX], peer[6];
	*state = g;
	iso_pool_mac(5, peer);
	for (unsigned i = 0; i < 2; i++) {
		stale_setup(g, cards[i], 1, 0, &a, &b);
		struct iso_vnic *v = &g->m.v[a];
		uint16_t ring = v->tx_ring;
		for (unsigned k = 0; k < 2; k++)
			iso_rig_tx(g, v, f, make_eth(f, peer, v->mac, SNIC_VLAN_NONE, 0x88b5, 46));
		iso_race_reuse(g, a, v->mac, 1);
		assert_int_equal(v->tx_ring, ring); /* the same ring, another VNIC */
	}
	assert_int_equal(g->n.tx_violations, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_checker_flags_violations, teardown),
		cmocka_unit_test_teardown(test_wrong_model_is_caught, teardown),
		cmocka_unit_test_teardown(test_stale_hit_not_for_reused_id, teardown),
		cmocka_unit_test_teardown(test_stale_hit_not_for_new_mac_sharer, teardown),
		cmocka_unit_test_teardown(test_stale_tx_not_sent_by_new_vnic, teardown),
		cmocka_unit_test_teardown(test_isolation_property, teardown),
	};
	/* SNIC_ISO_ONLY: a cmocka name pattern (make fuzz-isolation: the
	 * property alone). */
	if (getenv("SNIC_ISO_ONLY"))
		cmocka_set_test_filter(getenv("SNIC_ISO_ONLY"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
