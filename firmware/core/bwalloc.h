/* SPDX-License-Identifier: MIT */
/*
 * Bandwidth shares per uplink or bond (SNIC_CMD_VNIC_SHARE, admin.h).
 *
 * Every SNIC_SHARE_TICK_US of device time, for each uplink or bond on
 * which some VNIC has a share, the firmware takes each VNIC's use over the
 * interval just ended (wire bytes sent) and whether its share limit held
 * a frame back (then it wants more than it got: its demand is the whole
 * capacity), splits the capacity in use with share_alloc() (share.h) and
 * sets each VNIC's transmit limit from the result. When the capacity
 * changes (failover, failback, a port going down) the split is redone at
 * once, in the poll that sees the change, from the last measurement.
 *
 * The limit of a VNIC whose frames waited is its allocation. A VNIC that
 * got all it asked for may grow: its limit is the larger of what it would
 * get if every VNIC wanted everything and 9/8 of its use, so a light VNIC
 * is never held back by its own jitter, and one that grows is caught
 * within a tick (its frames wait, so it counts as wanting everything).
 *
 * The limit is a token bucket in front of the uplink, checked after the
 * VNIC's own shaper: a frame leaves when both allow it, so the VNIC's rate
 * is the smaller of the two. Per frame this costs a test of one global
 * byte while no uplink is split, a refill and a compare when the VNIC's is.
 */
#ifndef SNIC_FW_BWALLOC_H
#define SNIC_FW_BWALLOC_H

#include "fw_internal.h"



void fw_bw_init(struct fw *fw);
/* A VNIC was created: it starts without a share of its own. */
void fw_bw_vnic_created(struct fw *fw, uint16_t id);
/* Per poll, before transmit: ticks and capacity changes. Returns work. */
unsigned fw_bw_poll(struct fw *fw);
/* Device time the firmware next needs a poll for shares (UINT64_MAX: none). */
uint64_t fw_bw_next_ns(struct fw *fw);
/* SNIC_CMD_VNIC_SHARE / SNIC_CMD_VNIC_SHARE_QUERY. */
int fw_bw_share_set(struct fw *fw, const struct snic_vnic_share *s);
int fw_bw_share_query(struct fw *fw, const struct snic_vnic_ref *r,
		      struct snic_vnic_share_info *out);

/* Slow halves of the per-frame hooks (bwalloc.c). */
bool bw_limit_blocks(struct fw *fw, uint16_t id, uint32_t len);
void bw_account(struct fw *fw, uint16_t id, uint32_t len);

/* Transmit path: 1 when VNIC id's share limit holds a frame of len back. */
static inline bool fw_bw_blocks(struct fw *fw, uint16_t id, uint32_t len)
{
	/* active first: one load from a fixed address while nothing is split */
	return fw->bw.active && (fw->bw.vnic[id].flags & BWV_LIMIT) && bw_limit_blocks(fw, id, len);
}

/* Transmit path: VNIC id sent a frame of len. */
static inline void fw_bw_sent(struct fw *fw, uint16_t id, uint32_t len)
{
	if (fw->bw.active && (fw->bw.vnic[id].flags & BWV_TRACK))
		bw_account(fw, id, len);
}

#endif
