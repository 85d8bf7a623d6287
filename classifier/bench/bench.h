/* SPDX-License-Identifier: MIT */
/*
 * Shared by the classifier bench's parts: timing, the callgrind phase
 * markers and the result line each measured phase prints.
 *
 * A phase is one pass over the bench's keys. Run natively, each phase is
 * timed over many passes (the best of several runs: ns per lookup); run
 * under valgrind --tool=callgrind --collect-atstart=no, each phase makes
 * one counted pass and dumps its counts under its name (instructions per
 * lookup: run_bench_cls.sh divides by the keys).
 */
#ifndef CLS_BENCH_H
#define CLS_BENCH_H

#include <stdint.h>
#include <valgrind/callgrind.h>
#include "cls_cmp.h"
#include "../../tests/hdl/pktgen.h"

#define BENCH_KEYS  4096u  /* distinct keys per phase, looked up in order */
#define BENCH_BURST 64u    /* keys per call in the batched phases */

struct bench {
	struct rng rng;
	int callgrind;           /* one counted pass per phase, no timing */
	struct rte_side *rte;
};

typedef void (*phase_fn)(void *arg);

/* Run `fn` (one pass over BENCH_KEYS keys) as phase `name` and print
 * "phase NAME keys N ns X" (ns per lookup; 0 under callgrind). */
void bench_phase(struct bench *b, const char *name, phase_fn fn, void *arg);

/* The exact-match half: ours, the reference and rte_hash; 0 or -1. */
int bench_exact(struct bench *b);

#endif
