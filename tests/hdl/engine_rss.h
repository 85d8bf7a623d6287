/* SPDX-License-Identifier: MIT */
/* Directed RSS checks of the match engine (tests/hdl/engine_rss.c). */
#ifndef SNIC_TESTS_ENGINE_RSS_H
#define SNIC_TESTS_ENGINE_RSS_H

#include <stdint.h>
#include "engine.h"
#include "pktgen.h"

/* The key of the specification's verification suite. */
extern const uint8_t rss_ms_key[SNIC_RSS_KEY_BYTES];

/* Each returns 1 when the engine behaved; a failure prints a # line. */
int test_rss_vectors(struct engine *e, unsigned latency);
int test_rss_atomic(struct engine *e, unsigned latency);

#endif
