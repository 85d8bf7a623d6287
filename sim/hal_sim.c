/* SPDX-License-Identifier: MIT */
/* The firmware HAL on the simulator: every call lands on its context's NIC. */
#include <string.h>
#include "fw.h"
#include "hal/hal.h"
#include "hal/rxq_engine.h"
#include "hal/rx_burst.h"
#include "nic.h"
#include "ivshmem.h"

void hal_hw_info(struct hal *h, struct hal_hw_info *out)
{
	*out = h->nic->prof.hw;
}

uint8_t *hal_window(struct hal *h)
{
	return h->nic->win.base;
}

uint32_t hal_window_size(struct hal *h)
{
	return h->nic->win.size;
}

uint64_t hal_now_ns(struct hal *h)
{
	return nic_now_ns(h->nic);
}

void *hal_table_mem(struct hal *h, uint32_t *size)
{
	*size = h->nic->table_mem ? FW_TABLE_BYTES : 0;
	return h->nic->table_mem;
}

/* In lockstep the poll sees the producers the clock's check saw, so a
 * host that writes between the check and the poll changes nothing. */
const uint32_t *hal_txq_doorbells(struct hal *h)
{
	const struct nic *n = h->nic;
	if (n->doorbell_latch && n->doorbell_latched >= n->prof.hw.n_tx_rings)
		return n->doorbell_latch;
	return NULL;
}

/*
 * The engine takes one table write per clock; the firmware may issue
 * several in one poll, so they queue in order. A full queue means the
 * firmware outran the hardware by thousands of writes: apply the oldest
 * one now rather than lose any (a real device would stall the core).
 */
static struct nic_write *queue_slot(struct nic *n)
{
	while (n->wq_len == NIC_WRITE_FIFO) {
		nic_write_apply(n, &n->wq[n->wq_head]);
		n->wq_head = (n->wq_head + 1) % NIC_WRITE_FIFO;
		n->wq_len--;
		nic_edge(n);
	}
	struct nic_write *w = &n->wq[(n->wq_head + n->wq_len) % NIC_WRITE_FIFO];
	memset(w, 0, sizeof(*w));
	n->wq_len++;
	return w;
}

/* Both tables share the one FIFO, so writes land in the order issued
 * (the exact-table placement relies on it). */
void nic_write_apply(struct nic *n, const struct nic_write *w)
{
	if (w->rss)
		engine_rss_write(n->eng, w->clear ? NULL : &w->rss_cfg);
	else if (w->exact)
		engine_exact_write(n->eng, w->idx, w->xkey, w->clear ? NULL : &w->rule.action);
	else
		engine_write(n->eng, w->idx, w->clear ? NULL : &w->rule);
}

void hal_cls_write(struct hal *h, uint32_t idx, const struct snic_rule *rule)
{
	struct nic_write *w = queue_slot(h->nic);
	w->idx = idx;
	if (rule)
		w->rule = *rule;
	else
		w->clear = 1;
}

/* Through the table FIFO too: in order with the table writes. */
void hal_rss_write(struct hal *h, const struct snic_rss_cfg *cfg)
{
	struct nic_write *w = queue_slot(h->nic);
	w->rss = 1;
	if (cfg)
		w->rss_cfg = *cfg;
	else
		w->clear = 1;
}

void hal_cls_clear(struct hal *h, uint32_t idx)
{
	struct nic_write *w = queue_slot(h->nic);
	w->idx = idx;
	w->clear = 1;
}

void hal_exact_write(struct hal *h, uint32_t slot, uint64_t xkey, const struct snic_action *a)
{
	struct nic_write *w = queue_slot(h->nic);
	w->idx = slot;
	w->exact = 1;
	w->xkey = xkey;
	w->rule.action = *a;
	if (slot < 65536)
		h->nic->x_valid[slot / 8] |= (uint8_t)(1u << (slot % 8));
}

/*
 * The firmware clears every exact slot at boot and RESET: 16K writes,
 * 65 us of a real engine but about a second of the Verilated one, during
 * which later table writes would wait in the FIFO. Clearing a slot that
 * is already empty changes nothing in the engine (exact slots have no hit
 * counters), so such clears are not queued.
 */
void hal_exact_clear(struct hal *h, uint32_t slot)
{
	struct nic *n = h->nic;
	if (slot < 65536) {
		uint8_t bit = (uint8_t)(1u << (slot % 8));
		if (!(n->x_valid[slot / 8] & bit))
			return;
		n->x_valid[slot / 8] &= (uint8_t)~bit;
	}
	struct nic_write *w = queue_slot(h->nic);
	w->idx = slot;
	w->exact = 1;
	w->clear = 1;
}

uint64_t hal_cls_hits(struct hal *h, uint32_t idx)
{
	return engine_hits(h->nic->eng, idx);
}

int hal_rx_next(struct hal *h, struct hal_rx_pkt *p)
{
	struct nic *n = h->nic;
	if (!n->cq_len)
		return 0;
	uint32_t tag = n->cq_head;
	struct nic_slot *s = &n->slot[tag];
	n->cq_head = s->next;
	n->cq_len--;
	p->data = s->data;
	p->len = s->len;
	p->port = s->port;
	p->time_ns = s->time_ns;
	p->match = s->match;
	p->handle = tag;
	return 1;
}

void hal_rx_done(struct hal *h, const struct hal_rx_pkt *p, int drop_reason)
{
	struct nic *n = h->nic;
	if (p->handle >= NIC_POOL_SLOTS)
		return;
	if (drop_reason == HAL_DELIVERED) {
		n->delivered++;
	} else if (drop_reason >= 0 && drop_reason < SNIC_DROP_REASONS) {
		n->drops[drop_reason]++;
		if (n->drops_out)
			sim_pcap_write(n->drops_out, p->data, p->len, nic_now_ns(n));
		if (n->drop_hook)
			n->drop_hook(n->tx_hook_ctx, (unsigned)drop_reason, p->data, p->len);
	}
	nic_slot_release(n, p->handle);
}

/* Bursts: the per-frame calls in a loop (hal/rx_burst.h). */
unsigned hal_rx_burst(struct hal *h, struct hal_rx_pkt *p, unsigned max)
{
	return rx_burst_by_frames(h, p, max);
}

void hal_rx_done_burst(struct hal *h, const struct hal_rx_pkt *p, const int8_t *verdict,
		       unsigned n)
{
	rx_done_burst_by_frames(h, p, verdict, n);
}

/* The simulated NIC's DMA engine: the window is host memory and device
 * memory alike, so a transfer is a copy. A range outside the window would
 * be a firmware bug (it checks every host address): refuse it rather than
 * corrupt the simulator. */
static int dma_range_ok(const struct nic *n, uint32_t win_off, uint32_t len)
{
	return win_off <= n->win.size && len <= n->win.size - win_off;
}

void hal_dma_to_host(struct hal *h, uint32_t win_off, const void *src, uint32_t len)
{
	if (dma_range_ok(h->nic, win_off, len))
		memcpy(h->nic->win.base + win_off, src, len);
}

void hal_dma_from_host(struct hal *h, void *dst, uint32_t win_off, uint32_t len)
{
	if (dma_range_ok(h->nic, win_off, len))
		memcpy(dst, h->nic->win.base + win_off, len);
}

/* The simulated NIC's receive queue engine: the model in rxq_engine.h. */
int hal_rxq_put(struct hal *h, struct hal_rxq *q, const struct hal_rx_pkt *p,
		const uint32_t cpl_words[3], uint8_t color)
{
	return rxq_engine_put(h, q, p, cpl_words, color);
}

int hal_tx(struct hal *h, uint8_t port, const uint8_t *data, uint32_t len)
{
	return nic_uplink_tx(h->nic, port, data, len);
}

void hal_port_enable(struct hal *h, uint8_t port, int up)
{
	nic_port_enable(h->nic, port, up);
}

int hal_port_carrier(struct hal *h, uint8_t port)
{
	return port < h->nic->prof.hw.n_uplinks && h->nic->up[port].carrier;
}

void hal_irq(struct hal *h, uint16_t vector)
{
	h->nic->irqs++;
	sim_ivshmem_irq(vector); /* to a QEMU guest, if one is connected */
}
