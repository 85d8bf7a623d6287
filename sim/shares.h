/* SPDX-License-Identifier: MIT */
/*
 * Bandwidth-share scenarios on the virtual clock: the simulated NIC (its
 * firmware, the Verilated engine), a learning switch on its uplinks, one
 * external host, and virtual machines whose VNICs send on one bond through
 * an in-process host driver (hostsim.h). Each VM either keeps its TX ring
 * full (backlogged), or offers frames at a fixed wire rate, or is idle.
 * The scenario counts the wire bytes every VM puts on the uplinks, so a
 * test measures the throughput the device gave each VM.
 *
 * Frames are non-IP (EtherType 0x88b6): with SNIC_TEAM_IP_RR the bond
 * sends them round robin, so every member carries an equal part and the
 * bond's capacity is usable as a whole, as the source's example assumes.
 * Only one scenario may exist at a time (the firmware is one instance).
 */
#ifndef SNIC_SIM_SHARES_H
#define SNIC_SIM_SHARES_H

#include <stddef.h>
#include <stdint.h>
#include <snic/abi.h>

#define SH_MAX_VMS  8
#define SH_BACKLOG  UINT64_MAX /* offer: always a frame waiting */

struct sh_config {
	const char *profile;         /* "gig": 1 Gbit/s uplinks */
	uint8_t  n_members;          /* bond 0: uplinks 0..n_members-1, all active */
	uint8_t  policy;             /* enum snic_team_policy */
	unsigned n_vms;
	uint32_t frame_len;          /* L2 bytes of every VM frame (default 1500) */
	uint16_t weight[SH_MAX_VMS]; /* 0 with min 0: no share command for it */
	uint8_t  prio[SH_MAX_VMS];
	uint64_t min_bps[SH_MAX_VMS];
	uint64_t offer_bps[SH_MAX_VMS]; /* wire bit/s, SH_BACKLOG, or 0: idle */
};

struct sh_sim;

struct sh_sim *sh_new(const struct sh_config *c, char *err, size_t errlen);
void sh_free(struct sh_sim *s);
void sh_run_for(struct sh_sim *s, uint64_t ns);
uint64_t sh_now(const struct sh_sim *s);
/* Change what VM `vm` offers from now on. */
void sh_offer(struct sh_sim *s, unsigned vm, uint64_t bps);
/* Start a measurement window: forget the bytes counted so far. */
void sh_mark(struct sh_sim *s);
/* Wire bit/s VM `vm` sent since the mark. */
uint64_t sh_rate(const struct sh_sim *s, unsigned vm);
/* Wire bytes uplink u carried since the mark (every VM). */
uint64_t sh_uplink_bytes(const struct sh_sim *s, unsigned u);
/* The device's view of VM `vm`'s share (SNIC_CMD_VNIC_SHARE_QUERY). */
int sh_query(struct sh_sim *s, unsigned vm, struct snic_vnic_share_info *out);
/* Cable of uplink u down (0) or up (1), now. */
void sh_link(struct sh_sim *s, uint8_t u, int up);
/* Bond status (SNIC_TEAM_OP_QUERY). */
int sh_team(struct sh_sim *s, struct snic_team_status *out);
/* Frames the VMs could not queue (paced VMs whose ring was full). */
uint64_t sh_stalls(const struct sh_sim *s);

#endif
