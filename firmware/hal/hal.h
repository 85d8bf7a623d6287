/* SPDX-License-Identifier: MIT */
/*
 * The firmware's hardware abstraction layer: everything the portable core
 * (firmware/core) may touch of the NIC goes through these calls. Each
 * target implements them: hal/sim (the simulator, sim/hal_sim.c) and
 * hal/riscv (the embedded core).
 *
 * Every call carries the target's device context, struct hal, which the
 * core only passes on (the instance keeps it: struct fw.hal), so one
 * process can drive several devices, each with its own firmware instance.
 */
#ifndef SNIC_HAL_H
#define SNIC_HAL_H

#include <stdint.h>
#include <snic/abi.h>

/* The target's device context: defined by each target, opaque to the core. */
struct hal;

/* What the hardware is; fixed for the life of the device. */
struct hal_hw_info {
	char     profile[16];       /* "large", "small", NUL-terminated */
	uint16_t n_rx_rings;        /* HRRs */
	uint16_t n_tx_rings;        /* TRRs */
	uint16_t n_uplinks;         /* <= SNIC_MAX_UPLINKS */
	uint16_t max_vnics;
	uint32_t ring_size;         /* entries per ring, power of two */
	uint32_t buf_max;           /* largest frame a ring accepts */
	uint32_t tcam_entries;      /* ternary entries usable by this profile */
	uint32_t exact_entries;     /* exact-match entries (0: none) */
	uint32_t key_fields;        /* SNIC_FIELD_* the profile matches on */
	uint16_t cls_latency;       /* lookup latency, cycles */
	uint16_t rsvd;
	uint32_t uplink_speed_mbps;
	uint8_t  uplink_mac[SNIC_MAX_UPLINKS][6];
};
void hal_hw_info(struct hal *h, struct hal_hw_info *out);

/* Device window (BAR memory shared with the host). */
uint8_t *hal_window(struct hal *h);
uint32_t hal_window_size(struct hal *h);

/* Device table memory: SRAM beside the core where the firmware keeps its
 * large tables (FW_TABLE_BYTES, firmware/fw.h), 8-aligned; its size in
 * *size. NULL (or too small) and the firmware does not start. */
void *hal_table_mem(struct hal *h, uint32_t *size);

/* Device clock: virtual nanoseconds in the simulator. */
uint64_t hal_now_ns(struct hal *h);

/* Match engine table port: one entry written atomically. */
void hal_cls_write(struct hal *h, uint32_t idx, const struct snic_rule *rule);
void hal_cls_clear(struct hal *h, uint32_t idx);
uint64_t hal_cls_hits(struct hal *h, uint32_t idx);

/*
 * Exact-match table port (classifier/exact.h): one slot written atomically
 * (valid bit, key, action in one word). `xkey` is snic_exact_key()'s value;
 * slot = ((way * buckets) + bucket) * SNIC_EXACT_SLOTS + n, below
 * exact_entries. Writes of both tables take effect in the order issued.
 */
void hal_exact_write(struct hal *h, uint32_t slot, uint64_t xkey, const struct snic_action *a);
void hal_exact_clear(struct hal *h, uint32_t slot);

/*
 * RSS configuration of the engine (snic/rss.h): the Toeplitz key and the
 * enabled hash types, written as one word (NULL: hashing off, the state
 * after reset). Takes effect in order with the table writes: frames
 * classified after it carry hashes under the new key and types, earlier
 * ones under the old, never a mixture. Results carry the hash in
 * hal_rx_pkt.match.hash / hash_type.
 */
void hal_rss_write(struct hal *h, const struct snic_rss_cfg *cfg);

/* A received frame after the match engine classified it. */
struct hal_rx_pkt {
	const uint8_t   *data;
	uint32_t         len;
	uint8_t          port;
	uint64_t         time_ns;
	/* (at offset 24 on every target: the alignment only tells the
	 * compiler it may read the match as whole words) */
	struct snic_match match __attribute__((aligned(8)));
	uint32_t         handle;    /* opaque, for hal_rx_done */
};
/* Next classified frame: 1 and *p filled, or 0 when none is waiting. */
int hal_rx_next(struct hal *h, struct hal_rx_pkt *p);
/* Release the frame's buffer. drop_reason is enum snic_drop_reason, or
 * HAL_DELIVERED when it went to a ring. */
#define HAL_DELIVERED (-1)
void hal_rx_done(struct hal *h, const struct hal_rx_pkt *p, int drop_reason);
/*
 * The same for a burst, so the receive loop makes two calls per burst
 * instead of two per frame: hal_rx_burst fills p[0..n-1] with the next
 * n <= max frames (n = 0: none waiting), exactly as n calls of hal_rx_next
 * would; hal_rx_done_burst releases them in that order, frame p[i] with
 * verdict[i] (HAL_DELIVERED or an enum snic_drop_reason).
 */
unsigned hal_rx_burst(struct hal *h, struct hal_rx_pkt *p, unsigned max);
void hal_rx_done_burst(struct hal *h, const struct hal_rx_pkt *p, const int8_t *verdict,
		       unsigned n);

/*
 * DMA engine: moves frame bytes between device memory and the host memory
 * region of the window, so the core never copies them itself. `win_off` is
 * a window offset the firmware has checked to lie, with `len`, inside the
 * DMA region (snic_blk_dma); the HAL need not check it again (the
 * simulator's refuses a range outside the window, the unit tests' fake
 * aborts on one). The transfer is complete when the call returns: bytes
 * written to the window are visible to the host before any later release
 * store of the firmware (a completion's cpl_prod), bytes read are a
 * private copy the host can no longer change.
 */
void hal_dma_to_host(struct hal *h, uint32_t win_off, const void *src, uint32_t len);
void hal_dma_from_host(struct hal *h, void *dst, uint32_t win_off, uint32_t len);

/*
 * Receive queue engine: the hardware that puts a frame into an RX ring
 * (descriptor fetch, buffer check, DMA, completion write-back), as in NICs
 * whose queues are hardware (Corundum's RX engine and completion writer).
 * The firmware decides the ring, the completion's words 1-3 and the meter
 * colour; once per ring and batch it checks the host's indices and sets the
 * ring's context below (the engine's per-ring state, kept in the core's
 * memory), and when the batch ends it publishes desc_cons and cpl_prod.
 *
 * hal_rxq_put() takes the ring's next posted descriptor (reading each of
 * its words once), refuses it unless rsvd is 0, the buffer holds `len`
 * bytes and lies inside the DMA region, moves the frame and writes the
 * 32-byte completion (len, cpl_words, colour if not green, time, descriptor
 * index) into slot cpl_prod, and advances desc_cons and cpl_prod. A ring
 * whose desc_cons reached desc_stop is full; a refused descriptor is
 * consumed (the ring cannot wedge on one bad buffer) and moves desc_stop to
 * what the ring's limits still allow. Each refusal counts in the ring's
 * drop_full / drop_badbuf. Returns HAL_DELIVERED, SNIC_DROP_RING_FULL or
 * SNIC_DROP_BAD_BUF. The completion is not visible to the host before the
 * firmware's release store of cpl_prod.
 */
struct hal_rxq {
	const volatile struct snic_rx_desc *desc; /* the ring's descriptors */
	struct snic_rx_cpl *cpl;                  /* and completions */
	struct snic_rxq    *regs;                 /* its drop counters */
	uint32_t mask;      /* ring size - 1 */
	uint32_t desc_cons; /* descriptors taken */
	uint32_t cpl_prod;  /* completions written */
	uint32_t desc_stop; /* full when desc_cons gets here */
	uint32_t desc_end;  /* posted buffers: desc_cons may reach this */
	uint32_t cpl_end;   /* free completion slots: cpl_prod may reach this */
	uint32_t dma_base, dma_size; /* the DMA region (window offsets) */
};
int hal_rxq_put(struct hal *h, struct hal_rxq *q, const struct hal_rx_pkt *p,
		const uint32_t cpl_words[3],
		uint8_t color);

/*
 * TX doorbells: where a device latches the producer indices the host
 * writes (each TX ring's desc_prod) at its own clock edges, the transmit
 * poll reads them from this array, one per TX ring; NULL where the
 * window's words are the doorbells (the poll loads them, acquire). The
 * simulator's --lockstep latches them where it checked the rings
 * (sim/lockstep.h), so a host writing between that check and the poll
 * changes nothing. Asked once per poll.
 */
const uint32_t *hal_txq_doorbells(struct hal *h);

/* Transmit a frame on an uplink: 0 sent, -1 no room (retry later). */
int hal_tx(struct hal *h, uint8_t port, const uint8_t *data, uint32_t len);

/* Uplink control: administrative enable and physical carrier. */
void hal_port_enable(struct hal *h, uint8_t port, int up);
int  hal_port_carrier(struct hal *h, uint8_t port);

/* Raise MSI-X vector `vector` towards the host. */
void hal_irq(struct hal *h, uint16_t vector);

#endif
