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

#define BW_TICK_NS     ((uint64_t)SNIC_SHARE_TICK_US * 1000u)
#define BW_GROUPS      (SNIC_MAX_UPLINKS + SNIC_MAX_BONDS) /* uplinks, then bonds */
#define BW_NO_GROUP    0xffu
#define BW_BURST_NS    100000u   /* a limit's bucket holds 100 us at its rate */
#define BW_RATE_FLOOR  1000000u  /* every limit lets 1 Mbit/s through, so a
				  * starved VNIC is still seen wanting more */
#define BW_UNITS_PER_BYTE 8000000000ull /* bucket units: 1e-9 bit (meter.h) */
/* The split hands out all but 1/512 (0.2 %) of the capacity: a wire never
 * quite reaches its nominal rate, and when the wire instead of the limits
 * holds frames back, whoever comes last to the uplink loses, whatever its
 * share (and then looks as if it wanted less). */
#define BW_HEADROOM_SHIFT 9

/* bw_vnic.flags */
#define BWV_SET       0x01 /* has a share of its own */
#define BWV_TRACK     0x02 /* its uplink/bond is split: bytes are counted */
#define BWV_LIMIT     0x04 /* its transmit limit applies */
#define BWV_HELD      0x08 /* the limit held a frame this interval */
#define BWV_HELD_LAST 0x10 /* ... in the last interval */
#define BWV_WANTS     0x20 /* split: wants more than its part (scratch) */

/* Per VNIC; its weight, priority and minimum live in bw_share[] (bwalloc.c),
 * the array share_alloc() runs over. */
struct bw_vnic {
	uint64_t rate;       /* limit, bit/s (= bucket units per ns) */
	uint64_t tok;        /* bucket, units */
	uint32_t last_ns;    /* last refill, low 32 bits of the device time (every
			      * split refills, so it is never 4 s old) */
	uint32_t bytes;      /* wire bytes sent this interval (saturating) */
	uint32_t last_bytes; /* ... in the last interval */
	uint8_t  flags;      /* BWV_* */
};

struct bw_group {
	uint64_t cap_bps;    /* capacity of the last split */
	uint32_t splits;
};

struct fw_bw {
	struct bw_vnic  vnic[FW_MAX_VNICS];
	struct bw_group group[BW_GROUPS];
	uint8_t  active;     /* groups with a share (bitmap) */
	uint8_t  dirty;      /* groups to split again in the next poll */
	uint64_t tick_start; /* start of the current interval */
	uint64_t last_dt;    /* length of the last interval, ns */
	uint64_t next_tick;
	uint64_t wake_ns;    /* earliest time a held frame may leave */
};

extern struct fw_bw fw_bw;

void fw_bw_init(void);
/* A VNIC was created: it starts without a share of its own. */
void fw_bw_vnic_created(uint16_t id);
/* Per poll, before transmit: ticks and capacity changes. Returns work. */
unsigned fw_bw_poll(void);
/* Device time the firmware next needs a poll for shares (UINT64_MAX: none). */
uint64_t fw_bw_next_ns(void);
/* SNIC_CMD_VNIC_SHARE / SNIC_CMD_VNIC_SHARE_QUERY. */
int fw_bw_share_set(const struct snic_vnic_share *s);
int fw_bw_share_query(const struct snic_vnic_ref *r, struct snic_vnic_share_info *out);

/* Slow halves of the per-frame hooks (bwalloc.c). */
bool bw_limit_blocks(uint16_t id, uint32_t len);
void bw_account(uint16_t id, uint32_t len);

/* Transmit path: 1 when VNIC id's share limit holds a frame of len back. */
static inline bool fw_bw_blocks(uint16_t id, uint32_t len)
{
	/* active first: one load from a fixed address while nothing is split */
	return fw_bw.active && (fw_bw.vnic[id].flags & BWV_LIMIT) && bw_limit_blocks(id, len);
}

/* Transmit path: VNIC id sent a frame of len. */
static inline void fw_bw_sent(uint16_t id, uint32_t len)
{
	if (fw_bw.active && (fw_bw.vnic[id].flags & BWV_TRACK))
		bw_account(id, len);
}

#endif
