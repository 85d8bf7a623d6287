/* SPDX-License-Identifier: MIT */
/*
 * Proportional bandwidth shares with guaranteed minimums and priorities
 * (source 001, lines 364-419): the capacity of an uplink or bond is split
 * among its members by weight, each member capped by its demand, never
 * given less than its minimum (while it wants that much), higher
 * priorities served before lower ones. Exact integer arithmetic; the
 * allocations always sum to exactly min(capacity, total demand).
 * Pure function: no HAL, no globals.
 */
#ifndef SNIC_FW_SHARE_H
#define SNIC_FW_SHARE_H

#include <stdint.h>

#define SHARE_MAX_MEMBERS 1024 /* every VNIC of the card (FW_MAX_VNICS) */
#define SHARE_MAX_BPS     (1ull << 42) /* > 4 x 400 Gbit/s */

/* share_alloc()'s working arrays, dead between calls, kept by the caller
 * (in firmware RAM, not on the core's stack). */
struct share_work {
	uint64_t key[SHARE_MAX_MEMBERS];   /* weights or minimums being split */
	uint64_t hi[SHARE_MAX_MEMBERS];    /* each member's cap */
	uint8_t  state[SHARE_MAX_MEMBERS]; /* 0 floor, 1 rising, 2 capped */
	uint8_t  rising[SHARE_MAX_MEMBERS];
	uint8_t  sel[SHARE_MAX_MEMBERS];
	void    *tmp; /* FW_SCRATCH_BYTES (32 KiB) of 8-aligned scratch */
};

struct share_member {
	uint16_t weight;     /* proportional share; 0 = minimum only */
	uint8_t  priority;   /* higher is served first */
	uint8_t  rsvd;
	uint64_t min_bps;    /* guaranteed while demanded */
	uint64_t demand_bps; /* what it would use now (0 = idle) */
};

/*
 * Fills alloc_bps[0..n-1]. Returns 0, or -1 when n or a value is out of
 * range (then nothing is written).
 *
 * 1. Each member first gets min(min, demand). If those minimums exceed the
 *    capacity, they are served by priority, and within the one priority
 *    that cannot be fully served, in proportion to the minimums.
 * 2. What is left goes to the highest priority first, by weighted
 *    water-filling: every member gets weight * L, clamped between its
 *    minimum and its demand, with one level L chosen so the total fits.
 *    Lower priorities get what the higher ones leave.
 */
int share_alloc(struct share_work *w, uint64_t capacity_bps, const struct share_member *m,
		unsigned n,
		uint64_t *alloc_bps);

#endif
