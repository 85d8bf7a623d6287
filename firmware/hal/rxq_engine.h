/* SPDX-License-Identifier: MIT */
/*
 * The receive queue engine's behaviour (hal.h, hal_rxq_put), in C: what
 * the hardware does for one frame. Every HAL implements hal_rxq_put() with
 * it: the simulator and the test and bench HALs as the model of the
 * hardware, the RISC-V HAL as the stand-in that runs on the core when no
 * engine is fitted (QEMU).
 *
 * The host writes the descriptors: each word is read once and only that
 * copy is checked. The DMA region lies inside the 32-bit window (base +
 * size <= window size), so an address with high bits is outside, and below
 * the region the 32-bit offset wraps to at least 2^32 - base, past its
 * end: one 64-bit sum and compare decide.
 */
#ifndef SNIC_HAL_RXQ_ENGINE_H
#define SNIC_HAL_RXQ_ENGINE_H

#include "hal.h"

typedef uint32_t __attribute__((may_alias)) rxq_word32;
typedef uint64_t __attribute__((may_alias)) rxq_word64;

/* What the ring's limits still allow after a refused descriptor. */
static inline uint32_t rxq_engine_stop(const struct hal_rxq *q)
{
	uint32_t d = q->desc_end - q->desc_cons, c = q->cpl_end - q->cpl_prod;
	return q->desc_cons + (d < c ? d : c);
}

static inline int rxq_engine_put(struct hal *h, struct hal_rxq *q, const struct hal_rx_pkt *p,
				 const uint32_t cpl_words[3], uint8_t color)
{
	const uint32_t len = p->len;
	const uint32_t di = q->desc_cons;
	if (di == q->desc_stop) {
		q->regs->drop_full++;
		return SNIC_DROP_RING_FULL;
	}
	q->desc_cons = di + 1;
	const volatile struct snic_rx_desc *d = &q->desc[di & q->mask];
	const uint64_t addr = d->addr;
	const uint32_t buf_len = d->len;
	const uint32_t off = (uint32_t)addr - q->dma_base;
	if (d->rsvd || buf_len < len || (addr >> 32) ||
	    (uint64_t)off + buf_len > q->dma_size) {
		q->regs->drop_badbuf++;
		q->desc_stop = rxq_engine_stop(q);
		return SNIC_DROP_BAD_BUF;
	}
	struct snic_rx_cpl *c = &q->cpl[q->cpl_prod++ & q->mask];
	rxq_word32 *w = (rxq_word32 *)c;
	w[0] = len;
	w[1] = cpl_words[0];
	w[2] = cpl_words[1];
	/* The match's RSS hash travels with the frame (ring.h): its type in
	 * the top byte of word 3, the hash next to the descriptor index. */
	w[3] = cpl_words[2] | (uint32_t)p->match.hash_type << 24;
	if (color)
		c->color = color;
	c->time_ns = p->time_ns;
	*(rxq_word64 *)(void *)&c->desc = di | (uint64_t)p->match.hash << 32; /* little-endian */
	hal_dma_to_host(h, (uint32_t)addr, p->data, len);
	return HAL_DELIVERED;
}

#endif
