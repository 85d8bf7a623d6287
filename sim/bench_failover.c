/* SPDX-License-Identifier: MIT */
/*
 * bench_failover: a campaign of random faults on the simulated network,
 * measured on the virtual clock (see sim/failover.h), reported as
 * p50/p99/max per fault kind into a Markdown file.
 *
 *   bench_failover [--faults N] [--seed S] [--out FILE] [--verbose]
 *
 * Part 1: N faults (link down, silent blackhole, TX resources exhausted,
 * in equal shares, on a random busy uplink at a random phase) with VMs
 * streaming to an external host: failover time, frames lost.
 * Part 2: quiet VMs that only answer the host's requests, notify-switches
 * on and off: the receive outage the external host sees.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "failover.h"
#include <snic/abi.h>

#define WINDOW_NS (10ull * 1000 * 1000)

struct series {
	uint64_t *v;
	unsigned  n;
};

static void push(struct series *s, uint64_t v)
{
	s->v[s->n++] = v;
}

static int cmp64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted series. */
static uint64_t pct(const struct series *s, unsigned p)
{
	if (!s->n)
		return 0;
	unsigned rank = (unsigned)(((uint64_t)p * s->n + 99) / 100);
	return s->v[rank ? rank - 1 : 0];
}

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static double wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fmt_ns(char *b, size_t n, uint64_t v)
{
	if (v == UINT64_MAX)
		snprintf(b, n, "never");
	else if (v >= 1000000)
		snprintf(b, n, "%.3f ms", (double)v / 1e6);
	else if (v >= 1000)
		snprintf(b, n, "%.3f us", (double)v / 1e3);
	else
		snprintf(b, n, "%llu ns", (unsigned long long)v);
}

static uint8_t pick_victim(struct fo_sim *s, uint64_t *seed)
{
	uint8_t busy = fo_busy_uplinks(s) & 0x7, cand[4];
	unsigned n = 0;
	for (uint8_t u = 0; u < 3; u++)
		if (busy & (1u << u))
			cand[n++] = u;
	return n ? cand[rnd(seed) % n] : 0;
}

struct kind_stats {
	struct series fo, lost, outage, failback;
	uint64_t lost_other, reordered, drops, stalls, never;
	unsigned n;
};

static int run_part1(FILE *out, unsigned faults, uint64_t seed, int verbose)
{
	char err[256];
	struct fo_config c = fo_config_team();
	c.vm_every_ns = 1000;
	c.req_every_ns = 20000;
	struct fo_sim *s = fo_new(&c, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "bench_failover: %s\n", err);
		return -1;
	}
	struct kind_stats k[FO_KINDS];
	memset(k, 0, sizeof(k));
	for (unsigned i = 0; i < FO_KINDS; i++) {
		struct series *all[] = { &k[i].fo, &k[i].lost, &k[i].outage, &k[i].failback };
		for (unsigned j = 0; j < 4; j++)
			all[j]->v = calloc(faults + 1, sizeof(uint64_t));
	}
	double t0 = wall();
	uint64_t v0 = fo_now(s);
	for (unsigned i = 0; i < faults; i++) {
		uint8_t kind = (uint8_t)(i % FO_KINDS);
		uint8_t victim = pick_victim(s, &seed);
		uint64_t delay = rnd(&seed) % 1000000;
		struct fo_result r;
		fo_trial(s, kind, victim, delay, WINDOW_NS, &r);
		struct kind_stats *ks = &k[kind];
		ks->n++;
		if (r.failover_ns == UINT64_MAX)
			ks->never++;
		else
			push(&ks->fo, r.failover_ns);
		push(&ks->lost, r.lost_wire);
		push(&ks->outage, r.outage_ns);
		if (r.failback_ns != UINT64_MAX)
			push(&ks->failback, r.failback_ns);
		ks->lost_other += r.lost_other;
		ks->reordered += r.reordered;
		ks->drops += r.tx_drops;
		ks->stalls += r.vm_stalls;
		if (verbose)
			printf("%4u %-9s uplink %u affected %u failover %llu ns lost %llu/%llu "
			       "outage %llu ns failback %llu ns\n", i, fo_kind_name(kind), victim,
			       r.affected, (unsigned long long)r.failover_ns,
			       (unsigned long long)r.lost_wire, (unsigned long long)r.lost_other,
			       (unsigned long long)r.outage_ns, (unsigned long long)r.failback_ns);
	}
	double secs = wall() - t0;
	uint64_t vsecs = fo_now(s) - v0;
	fo_free(s);

	fprintf(out, "## Part 1: %u random faults, VMs streaming\n\n", faults);
	fprintf(out, "Bond of uplinks 0, 1 (active) and 2 (standby), policy port-id, detection "
		"link + TX refusal + beacons (1 ms, 3 misses), notify RARP x1, failback "
		"immediate; 4 VMs each streaming a 128-byte frame every 1 us to an external "
		"host behind the switch (100 Gb/s links). Fault kinds in equal shares, on a "
		"random uplink carrying VM traffic, at a random phase (0-1 ms) against the "
		"beacon ticks. %.1f ms of virtual time in %.1f s of wall time.\n\n",
		(double)vsecs / 1e6, secs);
	fprintf(out, "| fault | n | failover p50 | p99 | max | frames lost on the failed wire "
		"p50 / p99 / max | lost elsewhere | reordered | TX drops | failback p50 / max |\n");
	fprintf(out, "|---|---|---|---|---|---|---|---|---|---|\n");
	for (unsigned i = 0; i < FO_KINDS; i++) {
		struct kind_stats *ks = &k[i];
		qsort(ks->fo.v, ks->fo.n, sizeof(uint64_t), cmp64);
		qsort(ks->lost.v, ks->lost.n, sizeof(uint64_t), cmp64);
		qsort(ks->failback.v, ks->failback.n, sizeof(uint64_t), cmp64);
		char a[32], b[32], m[32], f1[32], f2[32];
		fmt_ns(a, sizeof(a), pct(&ks->fo, 50));
		fmt_ns(b, sizeof(b), pct(&ks->fo, 99));
		fmt_ns(m, sizeof(m), ks->fo.n ? ks->fo.v[ks->fo.n - 1] : 0);
		fmt_ns(f1, sizeof(f1), pct(&ks->failback, 50));
		fmt_ns(f2, sizeof(f2), ks->failback.n ? ks->failback.v[ks->failback.n - 1] : 0);
		fprintf(out, "| %s | %u%s | %s | %s | %s | %llu / %llu / %llu | %llu | %llu | %llu "
			"| %s / %s |\n", fo_kind_name((uint8_t)i), ks->n, ks->never ? " (some never moved)" : "",
			a, b, m, (unsigned long long)pct(&ks->lost, 50),
			(unsigned long long)pct(&ks->lost, 99),
			(unsigned long long)(ks->lost.n ? ks->lost.v[ks->lost.n - 1] : 0),
			(unsigned long long)ks->lost_other, (unsigned long long)ks->reordered,
			(unsigned long long)ks->drops, f1, f2);
	}
	fprintf(out, "\nFailover time: fault injection to the first frame of the slowest "
		"affected VNIC on another uplink. Frames lost: VM stream frames that never "
		"reached the host; every one of them had been put on the failed uplink by the "
		"NIC (on the cable at the fault, or sent into a silent blackhole before "
		"detection); \"lost elsewhere\" counts any other loss, including frames the "
		"host had queued.\n\n");
	for (unsigned i = 0; i < FO_KINDS; i++) {
		free(k[i].fo.v);
		free(k[i].lost.v);
		free(k[i].outage.v);
		free(k[i].failback.v);
	}
	return 0;
}

static int run_part2(FILE *out, unsigned per_kind, uint64_t seed)
{
	fprintf(out, "## Part 2: receive outage at the external host, notify switches on vs off\n\n");
	fprintf(out, "Same bond; 4 quiet VMs that send nothing but echoes of the host's "
		"requests (one request per VM every 10 us). Outage: the longest gap "
		"between two echoes of an affected VM (the host asks every 10 us, so 10-20 us "
		"is no outage), from the fault until the trial ends. A value just above 10 ms "
		"means no echo came back at all during the 10 ms window: the switch keeps "
		"sending to the dead port until the MAC entry ages out (300 s). %u faults "
		"per row, random uplink and phase.\n\n",
		per_kind);
	fprintf(out, "| fault | notify | outage p50 | p99 | max |\n|---|---|---|---|---|\n");
	static const uint8_t kinds[2] = { FO_LINK_DOWN, FO_BLACKHOLE };
	for (unsigned ki = 0; ki < 2; ki++) {
		for (int notify = 1; notify >= 0; notify--) {
			char err[256];
			struct fo_config c = fo_config_team();
			c.notify = notify ? SNIC_TEAM_NOTIFY_RARP : 0;
			c.req_every_ns = 10000;
			struct fo_sim *s = fo_new(&c, err, sizeof(err));
			if (!s) {
				fprintf(stderr, "bench_failover: %s\n", err);
				return -1;
			}
			struct series o = { calloc(per_kind, sizeof(uint64_t)), 0 };
			for (unsigned i = 0; i < per_kind; i++) {
				struct fo_result r;
				uint8_t victim = pick_victim(s, &seed);
				fo_trial(s, kinds[ki], victim, rnd(&seed) % 1000000, WINDOW_NS, &r);
				push(&o, r.outage_ns);
			}
			fo_free(s);
			qsort(o.v, o.n, sizeof(uint64_t), cmp64);
			char a[32], b[32], m[32];
			fmt_ns(a, sizeof(a), pct(&o, 50));
			fmt_ns(b, sizeof(b), pct(&o, 99));
			fmt_ns(m, sizeof(m), o.v[o.n - 1]);
			fprintf(out, "| %s | %s | %s | %s | %s |\n", fo_kind_name(kinds[ki]),
				notify ? "on" : "off", a, b, m);
			free(o.v);
		}
	}
	fprintf(out, "\n");
	return 0;
}

int main(int argc, char **argv)
{
	unsigned faults = 1000;
	uint64_t seed = 1;
	const char *path = NULL;
	int verbose = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--faults") && i + 1 < argc) {
			faults = (unsigned)strtoul(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			seed = strtoull(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			path = argv[++i];
		} else if (!strcmp(argv[i], "--verbose")) {
			verbose = 1;
		} else {
			fprintf(stderr, "usage: bench_failover [--faults N] [--seed S] [--out FILE] "
				"[--verbose]\n");
			return 2;
		}
	}
	if (faults < 3 || faults > 100000 || !seed) {
		fprintf(stderr, "bench_failover: --faults 3..100000, --seed non-zero\n");
		return 2;
	}
	FILE *out = path ? fopen(path, "w") : stdout;
	if (!out) {
		fprintf(stderr, "bench_failover: %s: %s\n", path, strerror(errno));
		return 1;
	}
	fprintf(out, "# Failover benchmark (measured on the simulator's virtual clock)\n\n");
	fprintf(out, "Generated by `make bench-failover` (build/bin/bench_failover --faults %u "
		"--seed %llu). Every number below is measured; see docs/teaming.md for what "
		"is measured and how.\n\n", faults, (unsigned long long)seed);
	int rc = run_part1(out, faults, seed, verbose);
	if (!rc)
		rc = run_part2(out, faults >= 100 ? 50 : 5, seed * 7 + 3);
	if (path)
		fclose(out);
	if (!rc && path)
		printf("bench_failover: wrote %s\n", path);
	return rc ? 1 : 0;
}
