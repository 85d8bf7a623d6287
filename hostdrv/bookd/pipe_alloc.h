/* SPDX-License-Identifier: MIT */
/*
 * The shared-pipe allocation rule (docs/bookings.md, "Shared pipes"): a
 * pipe of capacity C bytes per interval is used by N members (nodes
 * sharing a cluster pipe, or the bookings on one node: the same rule
 * runs at both levels). Each member reports, per interval, its queued
 * bytes covered by bookings (booked) and not covered (unbooked). With
 * B = sum of booked, U = sum of unbooked, F = max(0, C - B - U):
 *   - booked bytes are always granted;
 *   - F > 0: all unbooked bytes are granted, plus the same immediate
 *     credit for each, floor(F * immediate_share / 1000 / N)
 *     (immediate_share in per mille, default 500);
 *   - F = 0: unbooked bytes are scaled by (C - B) / U, rounded down
 *     (0 if B >= C).
 * Every member computes every grant from the same reports, so all agree
 * without talking further. Integer arithmetic only, exact for any inputs
 * (128-bit sums and products): the grants never sum above C while
 * B <= C, and lose at most 1 byte per member to rounding.
 *
 * Only whole packets are sent, so a member may overdraw its grant by at
 * most MTU - 1 bytes; struct pipe_account carries that debt into the
 * next interval, where it is repaid first.
 */
#ifndef SNIC_BOOKD_PIPE_ALLOC_H
#define SNIC_BOOKD_PIPE_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#define PIPE_SHARE_MAX        1000u  /* immediate_share is per mille */
#define PIPE_IMMEDIATE_DEFAULT 500u  /* the document's 50 % */

struct pipe_report {
	uint64_t booked;    /* queued bytes covered by bookings */
	uint64_t unbooked;  /* queued bytes not covered */
};

struct pipe_grant {
	uint64_t booked;     /* = report.booked */
	uint64_t unbooked;   /* granted part of report.unbooked */
	uint64_t immediate;  /* credit beyond the queue (F > 0 only) */
	uint64_t total;      /* booked + unbooked + immediate */
};

struct pipe_totals {
	uint64_t booked, unbooked;  /* B, U */
	uint64_t spare;             /* F */
	int      overbooked;        /* B > C: to be warned about, not refused */
};

/*
 * Grants for all n members (n may be 0). capacity = C bytes per interval,
 * immediate_share in per mille (0..PIPE_SHARE_MAX). rep and grants are
 * arrays of n (NULL allowed when n is 0); totals may be NULL. B and U in
 * totals saturate at UINT64_MAX (the grants and overbooked use the exact
 * sums). Returns 0, or -1 if immediate_share is out of range (nothing
 * written).
 */
int pipe_alloc(uint64_t capacity, unsigned immediate_share,
	       const struct pipe_report *rep, size_t n,
	       struct pipe_grant *grants, struct pipe_totals *totals);

/*
 * One member's credit over successive intervals, with the whole-packet
 * overdraft. Use: pipe_account_start at each interval with the grant's
 * total; pipe_account_send before each packet: 1 = send it (credit is
 * charged, possibly going negative by at most len - 1), 0 = hold it.
 * A debt left at the end of an interval is subtracted from the next grant;
 * unused credit is not carried over. mtu and grants above INT64_MAX are
 * taken as INT64_MAX.
 */
struct pipe_account {
	int64_t  credit;     /* bytes still sendable this interval; < 0: debt */
	uint64_t mtu;        /* largest packet; a send of len > mtu is refused */
	uint64_t sent;       /* bytes sent this interval */
	uint64_t overdraft_max; /* largest debt seen (<= mtu - 1), for tests and stats */
};

void pipe_account_init(struct pipe_account *a, uint64_t mtu);
void pipe_account_start(struct pipe_account *a, uint64_t grant);
int  pipe_account_send(struct pipe_account *a, uint64_t len);

#endif
