/* SPDX-License-Identifier: MIT */
/*
 * Speed of the Verilated match engine through sim/engine.h (one packet per
 * clock, full table), and of the C reference classifier on the same frames
 * and rules, in CPU seconds of this process. Prints one line per measurement
 * for docs/benchmarks-hdl.md.
 *
 *   bench_engine [clocks]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classifier.h"
#include "engine.h"
#include "pktgen.h"

#define NFRAMES 1024
#define MAX_DEPTH 4096

static struct pkt frames[NFRAMES];
static struct snic_rule rules[MAX_DEPTH];
static uint8_t valid[MAX_DEPTH];

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);  /* load on the shared machine does not count */
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned clocks = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 200000;
	unsigned depth = engine_depth(), latency = engine_latency();
	struct rng r = {0x8e4c4};
	struct snic_tcam t = {depth, rules, valid};
	struct snic_key key;
	struct snic_match m;
	struct engine *e;
	uint64_t results = 0, hits = 0;
	double t0, t1;

	if (depth > MAX_DEPTH)
		return 1;
	for (unsigned i = 0; i < NFRAMES; i++)
		pkt_random(&r, &frames[i]);
	e = engine_new();
	unsigned load = 0;
	for (unsigned i = 0; i < depth; i++) {
		snic_parse(frames[i % NFRAMES].data, frames[i % NFRAMES].caplen,
			   frames[i % NFRAMES].frame_len, 0, &key);
		rule_random(&r, &key, snic_key_fields_bytes(engine_key_fields()), &rules[i]);
		valid[i] = 1;
		engine_write(e, i, &rules[i]);
		engine_clock(e);
		load++;
	}
	/* Entry writes queue behind the table's pending slots: wait until the
	 * last one is taken, then until every slot's RAM copy is done. */
	while (!engine_write_ready(e)) {
		engine_clock(e);
		load++;
	}
	for (unsigned i = 0; i < 8 * 66; i++)
		engine_clock(e);
	printf("verilated engine: %u entry writes issued back to back, all taken after %u clocks"
	       " (%.1f clocks per entry)\n", depth, load, (double)load / depth);
	t0 = now();
	for (unsigned c = 0; c < clocks; c++) {
		const struct pkt *p = &frames[c % NFRAMES];
		engine_push(e, p->data, p->caplen, p->frame_len, p->port, c);
		engine_clock(e);
		if (engine_pop(e, NULL, NULL, &m)) {
			results++;
			hits += m.rule != SNIC_RULE_MISS;
		}
	}
	t1 = now();
	printf("verilated engine: depth %u, latency %u clocks, %u clocks in %.2f s: "
	       "%.0f clocks/s, %.0f packets/s, %.3f lookups/clock (%" PRIu64 " hits)\n",
	       depth, latency, clocks, t1 - t0, clocks / (t1 - t0), results / (t1 - t0),
	       (double)results / clocks, hits);
	engine_free(e);

	/* The C model on the same frames and rules, one at a time. */
	t0 = now();
	hits = 0;
	for (unsigned c = 0; c < clocks; c++) {
		const struct pkt *p = &frames[c % NFRAMES];
		snic_parse(p->data, p->caplen, p->frame_len, p->port, &key);
		snic_tcam_lookup(&t, &key, &m);
		hits += m.rule != SNIC_RULE_MISS;
	}
	t1 = now();
	printf("C reference: depth %u, %u packets in %.2f s: %.0f packets/s (%" PRIu64 " hits)\n",
	       depth, clocks, t1 - t0, clocks / (t1 - t0), hits);
	return 0;
}
