/* SPDX-License-Identifier: MIT */
/*
 * The shared-pipe allocation rule and the whole-packet overdraft
 * (pipe_alloc.h, docs/bookings.md "Shared pipes").
 *
 * B and U are summed in 128 bits: n reports of at most 2^64 - 1 bytes
 * each cannot overflow them (an array never holds 2^64 reports), and
 * every product is at most (2^64 - 1)^2, so the grants are exact for any
 * inputs. Only the B and U reported in struct pipe_totals saturate at
 * UINT64_MAX; overbooked is decided on the exact sum.
 */
#include <stdint.h>

#include "pipe_alloc.h"

__extension__ typedef unsigned __int128 u128;

static uint64_t sat64(u128 x)
{
	return x > UINT64_MAX ? UINT64_MAX : (uint64_t)x;
}

/*
 * The unbooked part of one member's grant. With spare capacity the whole
 * queue fits. Without, the room left after the bookings, C - B, is split
 * in proportion to the unbooked bytes, rounding down so the grants never
 * sum above C; when the bookings alone fill the pipe, nothing is left.
 */
static uint64_t unbooked_grant(uint64_t unbooked, u128 cap, u128 b, u128 u,
			       u128 spare)
{
	if (spare > 0)
		return unbooked;
	if (b >= cap || u == 0)  /* u == 0 cannot happen here; no div by 0 */
		return 0;
	return (uint64_t)((u128)unbooked * (cap - b) / u);
}

int pipe_alloc(uint64_t capacity, unsigned immediate_share,
	       const struct pipe_report *rep, size_t n,
	       struct pipe_grant *grants, struct pipe_totals *totals)
{
	u128 cap = capacity, b = 0, u = 0, spare = 0;
	uint64_t immediate = 0;

	if (immediate_share > PIPE_SHARE_MAX)
		return -1;
	for (size_t i = 0; i < n; i++) {
		b += rep[i].booked;
		u += rep[i].unbooked;
	}
	if (cap > b + u)
		spare = cap - b - u;

	/*
	 * What is left once every queue is served is credit for packets not
	 * queued yet. Nobody knows when in the interval they will come, so
	 * the credit is devalued by immediate_share, then split evenly.
	 */
	if (spare > 0 && n > 0)
		immediate = (uint64_t)(spare * immediate_share / PIPE_SHARE_MAX / n);

	for (size_t i = 0; i < n; i++) {
		struct pipe_grant *g = &grants[i];

		g->booked = rep[i].booked;
		g->unbooked = unbooked_grant(rep[i].unbooked, cap, b, u, spare);
		g->immediate = spare > 0 ? immediate : 0;
		/* <= C when B <= C, else the booking alone: never wraps. */
		g->total = g->booked + g->unbooked + g->immediate;
	}
	if (totals) {
		totals->booked = sat64(b);
		totals->unbooked = sat64(u);
		totals->spare = (uint64_t)spare;
		totals->overbooked = b > cap;
	}
	return 0;
}

void pipe_account_init(struct pipe_account *a, uint64_t mtu)
{
	a->credit = 0;
	/* Capped so that credit - len can never go below INT64_MIN. */
	a->mtu = mtu > INT64_MAX ? (uint64_t)INT64_MAX : mtu;
	a->sent = 0;
	a->overdraft_max = 0;
}

/*
 * Credit not used last interval is gone (it was the pipe's, not ours),
 * but a debt from a packet that overran the grant is repaid first.
 */
void pipe_account_start(struct pipe_account *a, uint64_t grant)
{
	int64_t g = grant > INT64_MAX ? INT64_MAX : (int64_t)grant;
	int64_t debt = a->credit < 0 ? a->credit : 0;

	a->credit = debt + g;  /* debt >= -(mtu - 1): cannot overflow */
	a->sent = 0;
}

/*
 * A packet may go while any credit is left, even if it is larger than
 * the credit: only whole packets are sent, so the overrun (at most
 * mtu - 1 bytes) becomes a debt rather than a stalled queue.
 */
int pipe_account_send(struct pipe_account *a, uint64_t len)
{
	if (len == 0 || len > a->mtu || a->credit <= 0)
		return 0;
	a->credit -= (int64_t)len;
	a->sent += len;
	if (a->credit < 0 && (uint64_t)-a->credit > a->overdraft_max)
		a->overdraft_max = (uint64_t)-a->credit;
	return 1;
}
