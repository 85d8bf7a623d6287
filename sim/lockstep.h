/* SPDX-License-Identifier: MIT */
/*
 * --lockstep: the virtual clock waits for a host that streams frames.
 *
 * The host is a process on wall time; the device runs on the virtual
 * clock. A host descheduled on a loaded machine lets its TX ring run dry
 * while virtual time goes on, its shaper saves tokens meanwhile and spends
 * them afterwards: a figure measured on the virtual clock then moves with
 * the machine's load. In lockstep the clock stops while a ring the host
 * is streaming on holds fewer than LOCKSTEP_DEPTH frames, so the device
 * always finds as much to take as it can take in one poll and does the
 * same on every run, however slow the host. The device's transmit poll
 * reads the producers this check saw (hal_txq_doorbells), not the window:
 * a frame posted between the check and the poll waits for the next
 * check, as a doorbell waits for the device's clock. A ring streams
 * from its producer's first move until the producer has not moved for
 * the grace period (then the host is done: the rest drains).
 */
#ifndef SNIC_SIM_LOCKSTEP_H
#define SNIC_SIM_LOCKSTEP_H

#include <stdint.h>

#define LOCKSTEP_RINGS 64
/* Frames a streaming ring must hold (or be full) for the clock to run: at
 * least what the firmware takes from one ring per poll (FW_TX_BUDGET). */
#define LOCKSTEP_DEPTH 64u

struct lockstep {
	double   grace_s;                  /* a producer this still is done */
	uint32_t last_prod[LOCKSTEP_RINGS]; /* the producers checked last ... */
	uint32_t latched;                  /* ... of rings below this */
	double   moved_at[LOCKSTEP_RINGS]; /* wall time of its last move; 0: never */
	int      started;                  /* producers seen once */
	uint32_t txq_off;                  /* the TXQ block found last; 0: look */
	uint64_t holds;                    /* loop turns the clock waited */
};

void lockstep_init(struct lockstep *ls, double grace_s);

/* 1: a streaming ring of the window is short, the clock must wait;
 * 0: the device may take its next step. `now` is the wall time. */
int lockstep_hold(struct lockstep *ls, const uint8_t *win, uint32_t size, double now);

#endif
