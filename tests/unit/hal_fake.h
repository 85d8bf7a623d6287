/* SPDX-License-Identifier: MIT */
/*
 * A recording, in-memory HAL for the firmware unit tests: a malloc'd
 * device window, a configurable hardware description, a queue of frames
 * "from the match engine", and records of every table write, transmitted
 * frame, interrupt and port change the firmware makes.
 */
#ifndef SNIC_HAL_FAKE_H
#define SNIC_HAL_FAKE_H

#include <stdint.h>
#include "hal/hal.h"
#include "exact.h" /* classifier/exact.h: the engine's exact-match table */

#define FAKE_TCAM     1024
#define FAKE_EXACT    16384
#define FAKE_RXQ      512
#define FAKE_FRAME    16384
#define FAKE_TX       256
#define FAKE_CLS_LATENCY 7 /* lookup latency the fake engine advertises */
#define FAKE_IRQ      1024

struct fake_rx {
	uint8_t           data[FAKE_FRAME];
	uint32_t          len;
	uint8_t           port;
	uint64_t          time_ns;
	struct snic_match match;
};

struct fake_tx {
	uint8_t  port;
	uint32_t len;
	uint8_t  data[FAKE_FRAME];
};

#define FAKE_DEVS     2 /* devices, each with its firmware instance */

/* The fake device: the HAL context (hal/hal.h) of one firmware instance. */
struct hal {
	struct hal_hw_info hw;
	uint8_t           *win;
	uint32_t           win_size;
	void              *tables;    /* the device's table memory (FW_TABLE_BYTES) */
	uint64_t           now_ns;

	/* The match engine's table as the firmware programmed it. */
	struct snic_rule   tcam[FAKE_TCAM];
	uint8_t            valid[FAKE_TCAM];
	uint64_t           hits[FAKE_TCAM];
	unsigned           cls_writes, cls_clears;
	/* Its exact-match table (hw.exact_entries slots used), as programmed. */
	struct snic_exact_slot xslot[FAKE_EXACT];
	unsigned           x_writes, x_clears;
	/* Called after each exact-slot write or clear with what the slot held
	 * before, so a test can check every intermediate table state. */
	void             (*x_hook)(uint32_t slot, const struct snic_exact_slot *old);
	/* The engine's RSS configuration (hal_rss_write): fake_lookup hashes
	 * with it, like the engine. */
	struct snic_rss_cfg rss;
	int                rss_on;
	unsigned           rss_writes;

	/* Frames waiting for hal_rx_next, FIFO. */
	struct fake_rx    *rx;
	unsigned           rx_head, rx_count;
	unsigned           rx_done;                  /* hal_rx_done calls */
	unsigned           delivered;
	unsigned           drops[SNIC_DROP_REASONS]; /* by reason via hal_rx_done */
	int                last_reason;

	/* DMA transfers (hal_dma_to_host / hal_dma_from_host) and their bytes. */
	unsigned           dma_ops;
	uint64_t           dma_bytes;

	struct fake_tx    *tx;
	unsigned           n_tx;                     /* frames sent; tx[] keeps FAKE_TX */
	int                tx_busy;                  /* hal_tx returns -1 while set */

	uint16_t           irq[FAKE_IRQ];
	unsigned           n_irq;

	int                port_enabled[SNIC_MAX_UPLINKS];
	unsigned           port_calls;

	/* Teaming tests: per-uplink carrier loss and TX refusal. */
	int                no_carrier[SNIC_MAX_UPLINKS];
	int                tx_refuse[SNIC_MAX_UPLINKS];
};

/* The device the helpers below act on (fake_use picks it). */
extern struct hal *fake;
void fake_use(unsigned i);

/* Fill fake->hw with the simulator's "large" or "small" card, allocate a
 * zeroed window of win_size bytes. Returns 0, -1 for an unknown profile. */
int  fake_setup(const char *profile, uint32_t win_size);
void fake_teardown(void);

/* Queue a frame with an explicit classification result. */
void fake_rx_push(const uint8_t *frame, uint32_t len, uint8_t port,
		  const struct snic_match *m);
/* Queue a frame classified by looking `key` up in the programmed tables
 * (lowest valid matching ternary index wins, then the exact table, as in
 * the engine: classifier/exact.h). */
void fake_rx_push_key(const uint8_t *frame, uint32_t len, uint8_t port,
		      const struct snic_key *key);
/* The lookup itself. */
void fake_lookup(const struct snic_key *key, struct snic_match *out);

#endif
