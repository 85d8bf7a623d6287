/* SPDX-License-Identifier: MIT */
/*
 * The receive rings' batches (steer.c decides what goes where): a ring's
 * engine context is set up on its first frame of a batch and published
 * when the batch ends; ring moves are gated so no frame overtakes an
 * older one; one interrupt per ring and batch.
 */
#include "fw_internal.h"

void fw_rx_init(struct fw *fw)
{
	for (unsigned r = 0; r < FW_MAX_RINGS; r++) {
		fw->rx.hrr[r].eq.desc_cons = 0;
		fw->rx.hrr[r].eq.cpl_prod = 0;
		fw->irq_pending[r] = false;
		fw->rx.gate[r].on = false;
	}
	fw->rx.batch_open = 0;
}

void fw_rx_gate(struct fw *fw, uint16_t ring, uint16_t src)
{
	if (ring == src || ring >= fw->hw.n_rx_rings || src >= fw->hw.n_rx_rings)
		return;
	fw->rx.gate[ring].on = true;
	fw->rx.gate[ring].src = src;
	fw->rx.gate[ring].until = fw->rx.hrr[src].eq.cpl_prod;
	fw->rx.gate[ring].since_ns = fw->now_ns;
}

/* Open the gates whose old ring the host has drained. */
void fw_rx_gates_check(struct fw *fw)
{
	for (uint16_t r = 0; r < fw->hw.n_rx_rings; r++) {
		if (!fw->rx.gate[r].on)
			continue;
		uint32_t consumed = fw_load_acq(&FW_RXQ(fw, fw->rx.gate[r].src)->cpl_cons);
		bool drained = (int32_t)(consumed - fw->rx.gate[r].until) >= 0;
		if (!drained && fw->now_ns - fw->rx.gate[r].since_ns < FW_GATE_TIMEOUT_NS)
			continue;
		fw->rx.gate[r].on = false;
		fw_store_rel(&FW_RXQ(fw, r)->cpl_prod, fw->rx.hrr[r].eq.cpl_prod);
	}
}

/* The engine's context for this batch: the host's indices are read and
 * checked once; nonsense indices mean "no buffers" until the host fixes
 * them. A frame takes a descriptor and, unless its buffer is bad, a
 * completion slot: the ring has room while both are left. */
void fw_rx_ring_open(struct fw *fw, uint16_t r)
{
	struct fw_hrr *h = &fw->rx.hrr[r];
	struct hal_rxq *q = &h->eq;
	const uint32_t size = fw->hw.ring_size;

	q->regs = FW_RXQ(fw, r);
	q->desc = fw_at(fw, fw->lay.rx_desc[r]);
	q->cpl = fw_at(fw, fw->lay.rx_cpl[r]);
	q->mask = size - 1;
	q->dma_base = fw->lay.dma_base;
	q->dma_size = fw->lay.dma_size;
	h->bytes = 0;
	h->cpl_start = q->cpl_prod;
	uint32_t prod = fw_load_acq(&q->regs->desc_prod);
	uint32_t cons = fw_load_acq(&q->regs->cpl_cons);
	if (prod - q->desc_cons > size || q->cpl_prod - cons >= size) {
		q->desc_end = q->desc_cons;
		q->cpl_end = q->cpl_prod;
	} else {
		q->desc_end = prod;
		q->cpl_end = cons + size;
	}
	uint32_t d = q->desc_end - q->desc_cons, c = q->cpl_end - q->cpl_prod;
	q->desc_stop = q->desc_cons + (d < c ? d : c);
	fw->rx.batch_open |= 1u << r;
}

void fw_rx_ring_close(struct fw *fw, uint16_t r)
{
	struct fw_hrr *h = &fw->rx.hrr[r];
	struct snic_rxq *q = h->eq.regs;
	const uint32_t cpl_prod = h->eq.cpl_prod;

	if (cpl_prod != h->cpl_start) {
		if (!fw->rx.gate[r].on)
			fw_store_rel(&q->cpl_prod, cpl_prod);
		q->packets += cpl_prod - h->cpl_start;
		q->bytes += h->bytes;
		/* Publish-then-check must not be reordered (store->load): a host
		 * that re-enables its interrupt after finding no new completion
		 * must either see this cpl_prod or be seen enabled here. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (fw_load_acq(&q->mode) == SNIC_MODE_INTR && fw_load_acq(&q->intr_enable))
			fw->irq_pending[r] = true;
	}
	fw_store_rel(&q->desc_cons, h->eq.desc_cons);
}

/* One interrupt per ring per poll batch, however many frames it got. */
void fw_rx_raise_irqs(struct fw *fw)
{
	for (uint16_t r = 0; r < fw->hw.n_rx_rings; r++) {
		if (!fw->irq_pending[r] || fw->rx.gate[r].on)
			continue; /* a gated ring interrupts once it opens */
		fw->irq_pending[r] = false;
		FW_RXQ(fw, r)->irq_count++;
		hal_irq(fw->hal, r);
	}
}
