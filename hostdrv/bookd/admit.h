/* SPDX-License-Identifier: MIT */
/*
 * Admission control on one uplink or bond: the guarantees granted on it
 * never sum above its capacity. A grant is kept once given (the
 * document's rule: a change is granted as a delta, as far as resources
 * allow): a booking that grows keeps what it had and gets only what is
 * free; one that shrinks or goes frees its part, which goes to the
 * bookings still short, oldest change first (the booking's mod
 * revision). What was held comes from the stored grant records, so a
 * restarted agent grants exactly what the previous one did. If the
 * capacity itself shrank below what is held, everything is granted
 * again from scratch in that order. A partial grant raises an alarm.
 */
#ifndef SNIC_BOOKD_ADMIT_H
#define SNIC_BOOKD_ADMIT_H

#include <stddef.h>
#include <stdint.h>

struct admit_req {
	int64_t  order;     /* mod revision: smaller is served first */
	uint64_t want;      /* requested guarantee, bit/s */
	uint64_t granted;   /* out */
	size_t   tag;       /* the caller's index, carried along */
	uint64_t held;      /* granted before this change (0: new) */
};

/* Sorts reqs by order (then tag) and grants them. Returns how many were
 * granted less than they asked for. */
size_t admit_split(uint64_t capacity, struct admit_req *reqs, size_t n);

#endif
