/* SPDX-License-Identifier: MIT */
/*
 * Cost of one clock of the Verilated match engine (sim/engine.h) as the
 * simulator pays it: a handful of ternary rules and exact entries
 * installed (like the VM tests), a 1514-byte IPv4/TCP frame, and three
 * loads: idle, one frame every 31 clocks, one frame every clock. Also the
 * cost of one frame through the pipeline (its engine_latency() clocks).
 *
 *   bench_clock [clocks]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"

#define FRAME_LEN 1514

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Ethernet + IPv4 (20 bytes) + TCP to port 5201, as an iperf stream. */
static void make_frame(uint8_t *f)
{
	static const uint8_t hdr[] = {
		0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef,
		0x08, 0x00,
		0x45, 0x00, 0x05, 0xdc, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
		10, 0, 2, 2, 10, 0, 2, 15,
		0x9c, 0x40, 0x14, 0x51,
	};
	memset(f, 0x5a, FRAME_LEN);
	memcpy(f, hdr, sizeof(hdr));
}

/* Rules matching on ethertype, IP protocol and a port: none on the frame. */
static void install_rules(struct engine *e)
{
	static const uint32_t where[] = {0, 1, 2, 3, 17, 500, 1000};
	unsigned depth = engine_depth();

	for (unsigned i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		struct snic_rule r;
		if (where[i] >= depth)
			continue;
		memset(&r, 0, sizeof(r));
		r.value.ethertype[0] = 0x86;
		r.value.ethertype[1] = (uint8_t)(0xdd + i);
		memset(r.mask.ethertype, 0xff, 2);
		r.value.dport[1] = (uint8_t)i;
		r.mask.dport[1] = 0xff;
		r.action.vnic = (uint16_t)i;
		r.action.flags = SNIC_ACT_COUNT;
		engine_write(e, where[i], &r);
		engine_clock(e);
	}
	for (unsigned i = 0; i < 4 && i < engine_exact_slots(); i++) {
		struct snic_action a = {.vnic = (uint16_t)(10 + i)};
		engine_exact_write(e, i * 37u, 0x525400000000ull + i, &a);
		engine_clock(e);
	}
}

/* Microseconds per clock with a frame pushed every `every` clocks (0: none). */
static double run(struct engine *e, const uint8_t *f, unsigned clocks, unsigned every)
{
	double t0 = now();
	for (unsigned c = 0; c < clocks; c++) {
		if (every && c % every == 0)
			engine_push(e, f, FRAME_LEN, FRAME_LEN, 0, c);
		engine_clock(e);
		engine_pop(e, NULL, NULL, NULL);
	}
	return (now() - t0) / clocks * 1e6;
}

int main(int argc, char **argv)
{
	unsigned clocks = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 50000;
	static uint8_t frame[FRAME_LEN];
	struct engine *e = engine_new();
	double idle, one31, full;

	make_frame(frame);
	install_rules(e);
	run(e, frame, clocks / 10, 1); /* warm up */
	idle = run(e, frame, clocks, 0);
	one31 = run(e, frame, clocks, 31);
	full = run(e, frame, clocks, 1);
	printf("engine clock: idle %.2f us, 1 frame in 31 clocks %.2f us, every clock %.2f us\n",
	       idle, one31, full);
	/* A lone frame costs its extra work over idle clocks, plus the idle
	 * cost of the clocks it spends in the pipeline. */
	printf("one frame through the %u-clock pipeline: %.2f us (every clock: %.0f frames/s)\n",
	       engine_latency(), 31 * (one31 - idle) + engine_latency() * idle, 1e6 / full);
	engine_free(e);
	return 0;
}
