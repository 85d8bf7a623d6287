/* SPDX-License-Identifier: MIT */
/*
 * The firmware meter (firmware/core/meter.c) against DPDK's rte_meter on
 * the same packet trace: cost per packet and what each lets through.
 *
 *   bench_meter_cmp [--packets N]
 *
 * Each run is counted separately: under valgrind --tool=callgrind
 * --collect-atstart=no the loops toggle collection and each is dumped
 * under its name (instructions per packet, exact); without valgrind the
 * program prints wall-clock ns per packet (best of 5, noisy on a shared
 * machine). The trace: sizes drawn from a fixed mix (64..1518 bytes,
 * IMIX-like), exponential gaps at twice the committed rate, 1 Gbit/s CIR,
 * 64 KiB bursts, so all three colours occur.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <valgrind/callgrind.h>
#include "core/meter.h"
#include "meter_cmp.h"

#define CIR_BPS   1000000000ull   /* bit/s */
#define EIR_BPS   1500000000ull   /* trTCM peak */
#define BURST     65536u

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void make_trace(struct cmp_pkt *t, uint32_t n)
{
	static const uint32_t mix[12] = { 64, 64, 64, 64, 64, 64, 64, 576, 576, 576, 1518, 1518 };
	double mean_bytes = 0;
	for (int i = 0; i < 12; i++)
		mean_bytes += mix[i] / 12.0;
	/* Offered load twice the CIR: mean gap = 8 * mean bytes / (2 * CIR). */
	double mean_gap_ns = 8.0 * mean_bytes * 1e9 / (2.0 * (double)CIR_BPS);
	double now = 1000;
	for (uint32_t i = 0; i < n; i++) {
		double u = ((double)(next_rand() >> 11) + 0.5) / 9007199254740992.0;
		double gap = 0;
		/* -ln(u) without libm: a short series is plenty for a trace. */
		for (double x = 1 - u, pw = x, k = 1; k < 60; k++, pw *= x)
			gap += pw / k;
		now += gap * mean_gap_ns;
		t[i].t_ns = (uint64_t)now;
		t[i].len = mix[next_rand() % 12];
	}
}

static void ours_run(int trtcm, const struct cmp_pkt *t, uint32_t n, struct cmp_result *r)
{
	struct meter m;
	if (!trtcm)
		meter_setup(&m, METER_SRTCM, false, 0, CIR_BPS, BURST, 0, BURST);
	else
		meter_setup(&m, METER_TRTCM_PEAK, false, 0, CIR_BPS, BURST, EIR_BPS, BURST);
	CALLGRIND_TOGGLE_COLLECT;
	for (uint32_t i = 0; i < n; i++) {
		enum meter_color c = meter_police(&m, t[i].t_ns, t[i].len);
		r->pkts[c]++;
		r->bytes[c] += t[i].len;
	}
	CALLGRIND_TOGGLE_COLLECT;
}

static void rte_run(int trtcm, const struct cmp_pkt *t, uint32_t n, struct cmp_result *r)
{
	if (rte_side_setup(trtcm, CIR_BPS / 8, EIR_BPS / 8, BURST, BURST)) {
		fprintf(stderr, "bench: rte_meter refused the profile\n");
		exit(1);
	}
	CALLGRIND_TOGGLE_COLLECT;
	rte_side_run(t, n, r);
	CALLGRIND_TOGGLE_COLLECT;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef void (*run_fn)(int, const struct cmp_pkt *, uint32_t, struct cmp_result *);

static double best_ns(run_fn f, int trtcm, const struct cmp_pkt *t, uint32_t n)
{
	double best = 1e30;
	for (int rep = 0; rep < 5; rep++) {
		struct cmp_result r;
		memset(&r, 0, sizeof(r));
		double t0 = now_s();
		f(trtcm, t, n, &r);
		double ns = (now_s() - t0) * 1e9 / n;
		if (ns < best)
			best = ns;
	}
	return best;
}

/* Green may never exceed a full C bucket plus CIR over the trace: the
 * meters start full at time 0, the last frame arrives at t_last. */
static void report(const char *name, const struct cmp_result *r, double bound)
{
	printf("%-11s green %7llu pkts %10llu B (bound %.0f B, %+.0f B)  yellow %6llu  red %6llu\n",
	       name, (unsigned long long)r->pkts[0], (unsigned long long)r->bytes[0], bound,
	       (double)r->bytes[0] - bound, (unsigned long long)r->pkts[1],
	       (unsigned long long)r->pkts[2]);
}

int main(int argc, char **argv)
{
	uint32_t n = 1000000;
	if (argc == 3 && !strcmp(argv[1], "--packets"))
		n = (uint32_t)strtoul(argv[2], NULL, 0);
	if (n == 0 || n > 50000000) {
		fprintf(stderr, "usage: bench_meter_cmp [--packets 1..50000000]\n");
		return 2;
	}
	struct cmp_pkt *t = malloc(sizeof(*t) * n);
	if (!t)
		return 1;
	make_trace(t, n);
	uint64_t dur = t[n - 1].t_ns - t[0].t_ns;
	double bound = BURST + (double)CIR_BPS / 8 * (double)t[n - 1].t_ns / 1e9;
	uint64_t total = 0;
	for (uint32_t i = 0; i < n; i++)
		total += t[i].len;
	printf("trace: %u packets over %.3f ms, offered %.2f Gbit/s, CIR 1 Gbit/s, "
	       "PIR 1.5 Gbit/s, bursts %u B\n", n, dur / 1e6, total * 8.0 / (double)dur, BURST);

	static const char *const names[2][2] = { { "ours_srtcm", "rte_srtcm" },
						  { "ours_trtcm", "rte_trtcm" } };
	for (int trtcm = 0; trtcm < 2; trtcm++) {
		struct cmp_result a, b;
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		ours_run(trtcm, t, n, &a);
		CALLGRIND_DUMP_STATS_AT(names[trtcm][0]);
		rte_run(trtcm, t, n, &b);
		CALLGRIND_DUMP_STATS_AT(names[trtcm][1]);
		report(names[trtcm][0], &a, bound);
		report(names[trtcm][1], &b, bound);
		if (!RUNNING_ON_VALGRIND) {
			double x = best_ns(ours_run, trtcm, t, n), y = best_ns(rte_run, trtcm, t, n);
			printf("%s: wall %.2f ns/packet ours, %.2f ns/packet rte_meter, ratio %.2f\n",
			       trtcm ? "trtcm" : "srtcm", x, y, x / y);
		}
	}
	free(t);
	return 0;
}
