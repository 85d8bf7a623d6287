/* SPDX-License-Identifier: MIT */
/*
 * The DPDK side of the meter comparison: rte_meter's colour-blind srTCM
 * and trTCM checks (inline functions of rte_meter.h) over the trace.
 *
 * Time is passed to rte_meter in "TSC cycles"; rte_meter converts rates
 * with rte_get_tsc_hz(), which lives in DPDK's EAL. The bench does not
 * start the EAL: it provides rte_get_tsc_hz() itself with a 1 GHz clock,
 * so one cycle is one nanosecond of the trace, and links only
 * librte_meter.a. rte_meter_*_config() stamps the meter with the real TSC;
 * the trace's times are taken relative to that stamp, so both meters
 * start full at trace time 0. Compiled with DPDK's headers and flags, apart from the
 * project's warning set (the headers are not -Wshadow clean).
 */
#include <rte_meter.h>
#include "meter_cmp.h"

uint64_t rte_get_tsc_hz(void);
uint64_t rte_get_tsc_hz(void)
{
	return 1000000000ull;
}

static int use_trtcm;
static uint64_t base; /* the meter's clock at configuration: trace time 0 */
static struct rte_meter_srtcm_profile sp;
static struct rte_meter_srtcm sm;
static struct rte_meter_trtcm_profile tp;
static struct rte_meter_trtcm tm;

int rte_side_setup(int trtcm, uint64_t cir_Bps, uint64_t eir_Bps, uint64_t cbs, uint64_t ebs)
{
	use_trtcm = trtcm;
	if (!trtcm) {
		struct rte_meter_srtcm_params p = { .cir = cir_Bps, .cbs = cbs, .ebs = ebs };
		if (rte_meter_srtcm_profile_config(&sp, &p) || rte_meter_srtcm_config(&sm, &sp))
			return -1;
		base = sm.time;
		return 0;
	}
	struct rte_meter_trtcm_params p = { .cir = cir_Bps, .pir = eir_Bps, .cbs = cbs, .pbs = ebs };
	if (rte_meter_trtcm_profile_config(&tp, &p) || rte_meter_trtcm_config(&tm, &tp))
		return -1;
	base = tm.time_tc;
	return 0;
}

void rte_side_run(const struct cmp_pkt *t, uint32_t n, struct cmp_result *r)
{
	for (uint32_t i = 0; i < n; i++) {
		enum rte_color c = use_trtcm ?
			rte_meter_trtcm_color_blind_check(&tm, &tp, base + t[i].t_ns, t[i].len) :
			rte_meter_srtcm_color_blind_check(&sm, &sp, base + t[i].t_ns, t[i].len);
		r->pkts[c]++;
		r->bytes[c] += t[i].len;
	}
}
