/* SPDX-License-Identifier: MIT */
/*
 * Failover scenarios on the virtual clock: the simulated NIC, a learning
 * switch on its uplinks, one external host, and virtual machines (VNICs on
 * a bond, driven by an in-process host driver) that stream sequence-
 * numbered frames to the host and echo the host's requests.
 *
 * A trial injects one fault on one uplink carrying VM traffic and
 * measures, on the virtual clock:
 *   failover time  fault -> first frame of every affected VNIC on another
 *                  uplink (the slowest one counts);
 *   frames lost    VM frames that never reached the host, split into those
 *                  the NIC had put on the failed wire (on the cable at the
 *                  fault, or sent into it before detection) and all others
 *                  (must be zero: nothing the host queued is lost);
 *   outage         the longest gap between echoes the host receives from
 *                  an affected VM, from the fault until the trial ends;
 * then heals the fault and measures the failback.
 * Only one scenario may exist at a time (the firmware is one instance).
 */
#ifndef SNIC_SIM_FAILOVER_H
#define SNIC_SIM_FAILOVER_H

#include <stddef.h>
#include <stdint.h>

#define FO_MAX_VMS 8

enum fo_kind { FO_LINK_DOWN = 0, FO_BLACKHOLE = 1, FO_TXFULL = 2, FO_KINDS };

struct fo_config {
	const char *profile;       /* "large" (4 uplinks) or "small" (2) */
	uint8_t  n_members;
	uint8_t  member[4], role[4];
	uint8_t  policy, detect, notify, notify_count, beacon_misses;
	uint32_t beacon_us;
	unsigned n_vms;
	uint64_t vm_every_ns;      /* each VM's stream to the host; 0: quiet VMs */
	uint64_t req_every_ns;     /* host requests to each VM, echoed; 0: none */
	uint64_t aging_ns;         /* switch MAC aging; 0: 300 s */
	uint32_t frame_len;        /* bytes of stream and request frames */
};

struct fo_result {
	uint8_t  kind, victim;
	uint64_t fault_at;
	unsigned affected;         /* VMs sending on the victim before the fault */
	unsigned moved;            /* of those, seen on another uplink in time */
	uint64_t failover_ns;      /* slowest affected VM; UINT64_MAX if one never moved */
	uint64_t lost_wire;        /* VM frames lost on the failed wire */
	uint64_t lost_other;       /* VM frames lost anywhere else */
	uint64_t reordered;        /* VM frames overtaken by a later one */
	uint64_t outage_ns;        /* longest echo gap of an affected VM */
	uint64_t failback_ns;      /* heal -> an affected VM back on the victim */
	uint64_t tx_drops;         /* device TX drop counters, this trial */
	uint64_t vm_stalls;        /* VM frames that found their TX ring full */
};

/*
 * The bond the test and the benchmark share: uplinks 0 and 1 active, 2
 * standby ("large" profile), port-id policy, link + TX refusal + beacon
 * detection (1 ms, 3 misses), one RARP notify, 4 VMs, 128-byte frames.
 * Traffic is left to the caller: VMs quiet, no host requests.
 */
struct fo_config fo_config_team(void);

struct fo_sim;

struct fo_sim *fo_new(const struct fo_config *c, char *err, size_t errlen);
void fo_free(struct fo_sim *s);
/* Let the scenario run for `ns` of virtual time. */
void fo_run_for(struct fo_sim *s, uint64_t ns);
uint64_t fo_now(const struct fo_sim *s);
/* Uplinks some VM is sending on right now (bitmap). */
uint8_t fo_busy_uplinks(const struct fo_sim *s);
/*
 * One trial: fault `kind` on `victim` `delay_ns` from now; wait for every
 * affected VM to move (at most window_ns), let it settle, heal, wait for
 * the failback (at most window_ns) and settle again.
 */
void fo_trial(struct fo_sim *s, uint8_t kind, uint8_t victim, uint64_t delay_ns,
	      uint64_t window_ns, struct fo_result *r);
const char *fo_kind_name(uint8_t kind);

#endif
