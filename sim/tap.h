/* SPDX-License-Identifier: MIT */
/*
 * TAP uplinks: `snic-sim --tap N:IFNAME` cables uplink N to a Linux TAP
 * device instead of the simulated switch, so a real network stack (in a
 * network namespace, say) is the link partner. Frames the NIC transmits on
 * uplink N are written to the TAP; frames the kernel sends into the TAP
 * arrive on uplink N at line rate, as if from the cable. A trace given with
 * --uplink N still plays on the same uplink.
 *
 * Time: the far end runs in wall time, so while a TAP is attached the
 * virtual clock is paced to keep up with wall time: whenever nothing is in
 * flight it moves forward to the wall time elapsed since the start, in
 * steps of at most 1 ms with a device step between them, and it waits for
 * wall time (or a TAP frame) when it is ahead. Busy stretches, when the
 * simulator computes slower than real time, fall behind and catch up at
 * the next idle points. Shapers and timers act exactly on the virtual
 * clock, which so follows wall time on average (ahead by at most one idle
 * quantum or up to the next device event due within it).
 */
#ifndef SNIC_SIM_TAP_H
#define SNIC_SIM_TAP_H

#include <stdint.h>
#include <stdio.h>

struct nic;

#define SIM_TAP_MAX      4   /* one per uplink */
#define SIM_TAP_BACKLOG  256 /* frames queued on the uplink before reads stop */

struct sim_tap {
	int      fd;          /* /dev/net/tun, nonblocking; -1 when closed */
	uint8_t  port;        /* uplink */
	char     name[16];
	uint64_t wire_free_ns;/* the cable into the NIC is busy until then */
	uint64_t rx_frames;   /* TAP -> NIC */
	uint64_t rx_bytes;
	uint64_t rx_oversize; /* larger than the NIC's MAC takes (the device counts them) */
	uint64_t rx_dark;     /* arrived while the port was down: lost */
	uint64_t tx_frames;   /* NIC -> TAP */
	uint64_t tx_bytes;
	uint64_t tx_dropped;  /* the TAP refused the write (kernel queue full, down) */
};

struct sim_taps {
	struct sim_tap tap[SIM_TAP_MAX];
	unsigned       n;
	double         t0;    /* wall clock at the start, seconds */
	uint64_t       v0_ns; /* virtual time at the start */
};

/* Open (creating if needed) the TAP IFNAME, nonblocking, into tap->fd and
 * tap->name (the main job's VMs use it too). 0, or -1 with a message. */
int  sim_tap_open(struct sim_tap *tap, const char *name);
/* "N:IFNAME" -> opens (creating if needed) the TAP for uplink N.
 * 0, or -1 with a message on stderr. */
int  sim_tap_add(struct sim_taps *t, struct nic *n, const char *arg);
/* NIC -> TAP: one frame the NIC put on the tapped uplink's cable. */
void sim_tap_send(struct sim_tap *tap, const uint8_t *data, uint32_t len);
/* TAP -> NIC: take the frames the kernel queued, up to the backlog limit.
 * Returns how many frames were taken. */
unsigned sim_taps_poll(struct sim_taps *t, struct nic *n);
/* Idle step with TAPs attached: wait (if may_wait) up to max_ns of wall
 * time for a TAP to become readable, `wake_fd` (if >= 0: the host's
 * doorbell) to be signalled or a device event to come due, and move the
 * virtual clock up to wall time (never past the next device event). */
void sim_taps_idle(struct sim_taps *t, struct nic *n, uint64_t max_ns, int wake_fd,
		   int may_wait);
/* 1 if sim_taps_idle would wait now (the virtual clock is not behind
 * wall time by max_ns or more and nothing is due within max_ns), 0 if it
 * would only move the clock. */
int  sim_taps_would_wait(const struct sim_taps *t, const struct nic *n, uint64_t max_ns);
void sim_taps_summary(const struct sim_taps *t, FILE *f);
void sim_taps_close(struct sim_taps *t, struct nic *n);

#endif
