/* SPDX-License-Identifier: MIT */
/*
 * A host driver inside the simulator process, for measurements on the
 * virtual clock: it talks to the device only through the window (block
 * chain, admin ring, TX and RX rings), like any driver, but runs between
 * NIC clock steps, so its actions take no virtual time and a whole
 * scenario is deterministic. While it waits for an admin completion it
 * steps the NIC itself.
 */
#ifndef SNIC_SIM_HOSTSIM_H
#define SNIC_SIM_HOSTSIM_H

#include <stdint.h>
#include <snic/abi.h>

struct nic;

#define HOSTSIM_BUF 2048u /* bytes per ring slot buffer */

struct hostsim {
	struct nic *n;
	uint8_t    *win;
	uint32_t    admin, cmd_off, cpl_off, entries;
	uint32_t    seq;
	uint32_t    n_rx, n_tx, rx_first, tx_first, rx_stride, tx_stride;
	uint32_t    dma_base, dma_size, dma_next;
	uint32_t    tx_buf[32], rx_buf[32];   /* per ring: buffer area */
	uint32_t    tx_prod[32], rx_prod[32], rx_cons[32];
	uint8_t     rx_started[32];
};

/* Find the blocks and carve ring buffers out of the DMA region; -1 if the
 * window is not a running device or the region is too small. */
int hostsim_init(struct hostsim *h, struct nic *n);

/* Run one admin command, stepping the NIC until it answers. Returns the
 * status (or -1 if no answer came); copies up to out_cap reply bytes. */
int hostsim_admin(struct hostsim *h, uint16_t opcode, const void *in, uint32_t len,
		  void *out, uint32_t out_cap);

/* Queue a frame on TX ring `ring`: 0, or -1 if the ring is full. */
int hostsim_tx(struct hostsim *h, unsigned ring, const uint8_t *frame, uint32_t len);
/* Frames queued on `ring` the device has not taken yet. */
uint32_t hostsim_tx_pending(const struct hostsim *h, unsigned ring);

/* Post every buffer of RX ring `ring`. */
void hostsim_rx_start(struct hostsim *h, unsigned ring);
typedef void (*hostsim_rx_fn)(void *ctx, unsigned ring, const struct snic_rx_cpl *c,
			      const uint8_t *frame);
/* Hand every completed frame to fn, then repost its buffer. */
unsigned hostsim_rx_poll(struct hostsim *h, unsigned ring, hostsim_rx_fn fn, void *ctx);

#endif
