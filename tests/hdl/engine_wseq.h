/* SPDX-License-Identifier: MIT */
/* Directed checks of the ternary table's write sequence (tests/hdl/engine_wseq.c). */
#ifndef SNIC_TESTS_ENGINE_WSEQ_H
#define SNIC_TESTS_ENGINE_WSEQ_H

#include <stdint.h>
#include "engine.h"
#include "pktgen.h"

/* A rule matching key `k` exactly, with the given VNIC and action flags. */
struct snic_rule exact_rule(const struct snic_key *k, uint16_t vnic, uint8_t flags);
/* A 60-byte UDP/IPv4 frame on port 1 to destination port `dport`. */
void udp_frame(struct pkt *p, uint16_t dport);
/* UDP frames A (port 80) and B (port 443) and their parsed keys. */
void two_frames(struct pkt *a, struct pkt *b, struct snic_key *ka, struct snic_key *kb);

/* Each returns 1 when the engine behaved; a failure prints a # line. */
int test_write_burst(struct engine *e, unsigned latency);
int test_write_mid_drain(struct engine *e, unsigned latency);

#endif
