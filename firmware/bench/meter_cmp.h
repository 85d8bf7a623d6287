/* SPDX-License-Identifier: MIT */
/* The meter comparison bench: one packet trace, two implementations. */
#ifndef SNIC_METER_CMP_H
#define SNIC_METER_CMP_H

#include <stdint.h>

struct cmp_pkt {
	uint64_t t_ns;
	uint32_t len;
};

struct cmp_result {
	uint64_t pkts[3], bytes[3]; /* by colour: green, yellow, red */
};

/* DPDK rte_meter side (bench_meter_rte.c, compiled with DPDK's headers).
 * trtcm = 0: srTCM (cir, cbs, ebs); 1: trTCM RFC 2698 (cir, pir = eir,
 * cbs, pbs = ebs). Rates in bytes per second. Returns 0, -1 if DPDK refused
 * the profile. */
int rte_side_setup(int trtcm, uint64_t cir_Bps, uint64_t eir_Bps, uint64_t cbs, uint64_t ebs);
void rte_side_run(const struct cmp_pkt *t, uint32_t n, struct cmp_result *r);

#endif
