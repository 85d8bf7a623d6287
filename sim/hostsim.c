/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "hostsim.h"
#include "nic.h"

#define ADMIN_STEPS 100000 /* NIC clocks to wait for one completion */

static void *at(const struct hostsim *h, uint32_t off)
{
	return h->win + off;
}

static uint32_t find(const struct hostsim *h, uint32_t type)
{
	uint32_t off = 0;
	for (int hops = 0; hops < 64; hops++) {
		const struct snic_block_hdr *b = at(h, off);
		if (b->type == type)
			return off;
		if (!b->next || b->next >= h->n->win.size)
			return 0;
		off = b->next;
	}
	return 0;
}

static struct snic_txq *txq(const struct hostsim *h, unsigned r)
{
	return at(h, h->tx_first + r * h->tx_stride);
}

static struct snic_rxq *rxq(const struct hostsim *h, unsigned r)
{
	return at(h, h->rx_first + r * h->rx_stride);
}

int hostsim_init(struct hostsim *h, struct nic *n)
{
	memset(h, 0, sizeof(*h));
	h->n = n;
	h->win = n->win.base;
	const struct snic_blk_devid *d = at(h, 0);
	if (d->magic != SNIC_MAGIC || d->state != SNIC_STATE_RUNNING)
		return -1;
	uint32_t a = find(h, SNIC_BLK_ADMIN), dm = find(h, SNIC_BLK_DMA);
	uint32_t rq = find(h, SNIC_BLK_RXQ), tq = find(h, SNIC_BLK_TXQ);
	if (!a || !dm || !rq || !tq)
		return -1;
	const struct snic_blk_admin *ab = at(h, a);
	h->admin = a;
	h->cmd_off = ab->cmd_off;
	h->cpl_off = ab->cpl_off;
	h->entries = ab->entries;
	const struct snic_blk_dma *db = at(h, dm);
	h->dma_base = db->base;
	h->dma_size = db->size;
	const struct snic_blk_queues *r = at(h, rq), *t = at(h, tq);
	h->n_rx = r->count < 32 ? r->count : 32;
	h->n_tx = t->count < 32 ? t->count : 32;
	h->rx_first = r->first;
	h->rx_stride = r->stride;
	h->tx_first = t->first;
	h->tx_stride = t->stride;
	/* One buffer per ring slot, rings after one another. */
	for (unsigned i = 0; i < h->n_tx; i++) {
		h->tx_buf[i] = h->dma_base + h->dma_next;
		h->dma_next += txq(h, i)->size * HOSTSIM_BUF;
	}
	for (unsigned i = 0; i < h->n_rx; i++) {
		h->rx_buf[i] = h->dma_base + h->dma_next;
		h->dma_next += rxq(h, i)->size * HOSTSIM_BUF;
	}
	return h->dma_next <= h->dma_size ? 0 : -1;
}

int hostsim_admin(struct hostsim *h, uint16_t opcode, const void *in, uint32_t len,
		  void *out, uint32_t out_cap)
{
	struct snic_blk_admin *a = at(h, h->admin);
	struct snic_admin_cmd *c = at(h, h->cmd_off + (a->cmd_prod % h->entries) * sizeof(*c));
	memset(c, 0, sizeof(*c));
	c->opcode = opcode;
	c->seq = ++h->seq;
	c->len = len;
	if (len && len <= SNIC_ADMIN_PAYLOAD)
		memcpy(c->payload, in, len);
	__atomic_store_n(&a->cmd_prod, a->cmd_prod + 1, __ATOMIC_RELEASE);
	for (int i = 0; i < ADMIN_STEPS; i++) {
		if (__atomic_load_n(&a->cpl_prod, __ATOMIC_ACQUIRE) != a->cpl_cons) {
			const struct snic_admin_cpl *p =
				at(h, h->cpl_off + (a->cpl_cons % h->entries) * sizeof(*p));
			int st = p->status;
			if (out && out_cap)
				memcpy(out, p->payload, p->len < out_cap ? p->len : out_cap);
			a->cpl_cons++;
			return p->seq == h->seq ? st : -1;
		}
		nic_step(h->n);
	}
	return -1;
}

uint32_t hostsim_tx_pending(const struct hostsim *h, unsigned ring)
{
	return h->tx_prod[ring] - __atomic_load_n(&txq(h, ring)->desc_cons, __ATOMIC_ACQUIRE);
}

int hostsim_tx(struct hostsim *h, unsigned ring, const uint8_t *frame, uint32_t len)
{
	if (ring >= h->n_tx || len > HOSTSIM_BUF)
		return -1;
	struct snic_txq *q = txq(h, ring);
	if (hostsim_tx_pending(h, ring) >= q->size)
		return -1;
	uint32_t slot = h->tx_prod[ring] % q->size;
	uint32_t buf = h->tx_buf[ring] + slot * HOSTSIM_BUF;
	memcpy(at(h, buf), frame, len);
	struct snic_tx_desc *d = at(h, q->desc_off);
	d[slot] = (struct snic_tx_desc){ buf, len, 0, 0 };
	h->tx_prod[ring]++;
	__atomic_store_n(&q->desc_prod, h->tx_prod[ring], __ATOMIC_RELEASE);
	return 0;
}

void hostsim_rx_start(struct hostsim *h, unsigned ring)
{
	if (ring >= h->n_rx || h->rx_started[ring])
		return;
	struct snic_rxq *q = rxq(h, ring);
	struct snic_rx_desc *d = at(h, q->desc_off);
	for (uint32_t i = 0; i < q->size; i++)
		d[i] = (struct snic_rx_desc){ h->rx_buf[ring] + i * HOSTSIM_BUF, HOSTSIM_BUF, 0 };
	h->rx_prod[ring] = q->size;
	h->rx_cons[ring] = 0;
	h->rx_started[ring] = 1;
	__atomic_store_n(&q->desc_prod, h->rx_prod[ring], __ATOMIC_RELEASE);
}

unsigned hostsim_rx_poll(struct hostsim *h, unsigned ring, hostsim_rx_fn fn, void *ctx)
{
	if (ring >= h->n_rx || !h->rx_started[ring])
		return 0;
	struct snic_rxq *q = rxq(h, ring);
	const struct snic_rx_cpl *cpl = at(h, q->cpl_off);
	struct snic_rx_desc *d = at(h, q->desc_off);
	uint32_t prod = __atomic_load_n(&q->cpl_prod, __ATOMIC_ACQUIRE);
	unsigned n = 0;
	while (h->rx_cons[ring] != prod) {
		uint32_t slot = h->rx_cons[ring] % q->size;
		const struct snic_rx_cpl *c = &cpl[slot];
		const struct snic_rx_desc *b = &d[c->desc % q->size];
		if (c->len <= b->len && fn)
			fn(ctx, ring, c, at(h, (uint32_t)b->addr));
		h->rx_cons[ring]++;
		n++;
		/* The buffer goes back in the slot the device will take next. */
		d[h->rx_prod[ring] % q->size] = *b;
		h->rx_prod[ring]++;
	}
	if (n) {
		__atomic_store_n(&q->cpl_cons, h->rx_cons[ring], __ATOMIC_RELEASE);
		__atomic_store_n(&q->desc_prod, h->rx_prod[ring], __ATOMIC_RELEASE);
	}
	return n;
}
