/* SPDX-License-Identifier: MIT */
/*
 * Receive rings and the buffer layout policy of the DMA region.
 *
 * Every ring slot owns one fixed buffer: RX ring r slot s lives at
 * rx_base(r) + s * stride, with rx_base(r) the DMA region's base plus the
 * buffers of rings 0..r-1; TX rings follow all RX buffers. Because the
 * layout is a pure function of the ring geometry, a process taking over a
 * ring finds the buffers exactly where the previous owner posted them.
 */
#include <stdio.h>
#include "snic_impl.h"

#define RXQ(r, field) (d->rx[r].ctrl + (uint32_t)offsetof(struct snic_rxq, field))

static int layout_fail(struct snic_dev *d, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int layout_fail(struct snic_dev *d, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->layout_msg, sizeof(d->layout_msg), fmt, ap);
	va_end(ap);
	d->layout_err = code;
	return code;
}

/* Check one ring's geometry (both ring kinds share line 0's layout). */
static int check_ring(struct snic_dev *d, struct snic_ring *ring, uint32_t ctrl,
		      const char *kind, unsigned r, int is_rx)
{
	struct snic_rxq q;  /* desc_off, cpl_off/rsvd_off, size, buf_max: same offsets */

	memcpy(&q, d->win + ctrl, sizeof(q));
	if (!snic_is_pow2(q.size) || q.size > 65536)
		return layout_fail(d, SNIC_ERR_RING, "%s ring %u: size %u is not a power of two <= 65536",
				   kind, r, q.size);
	if (q.buf_max < 14 || q.buf_max > 65536)
		return layout_fail(d, SNIC_ERR_RING, "%s ring %u: buf_max %u outside 14..65536",
				   kind, r, q.buf_max);
	if (q.desc_off % 8 || !snic_in_window(d, q.desc_off, (uint64_t)q.size * 16))
		return layout_fail(d, SNIC_ERR_RING, "%s ring %u: descriptors at 0x%x outside the window",
				   kind, r, q.desc_off);
	if (is_rx && (q.cpl_off % 8 ||
		      !snic_in_window(d, q.cpl_off, (uint64_t)q.size * sizeof(struct snic_rx_cpl))))
		return layout_fail(d, SNIC_ERR_RING, "%s ring %u: completions at 0x%x outside the window",
				   kind, r, q.cpl_off);
	ring->ctrl = ctrl;
	ring->size = q.size;
	ring->buf_max = q.buf_max;
	ring->stride = (q.buf_max + 63u) & ~63u;
	ring->desc_off = q.desc_off;
	ring->cpl_off = is_rx ? q.cpl_off : 0;
	return 0;
}

void snic_layout_rings(struct snic_dev *d)
{
	uint64_t used = 0;

	d->layout_err = 0;
	d->n_rx = d->off_rxq == SNIC_NO_BLOCK ? 0 : d->rxq.count;
	d->n_tx = d->off_txq == SNIC_NO_BLOCK ? 0 : d->txq.count;
	memset(d->rx, 0, sizeof(d->rx));
	memset(d->tx, 0, sizeof(d->tx));
	if (d->off_dma == SNIC_NO_BLOCK) {
		layout_fail(d, SNIC_ERR_NOBLOCK, "device has no DMA block: no room for ring buffers");
		return;
	}
	for (unsigned k = 0; k < 2; k++) {
		int is_rx = k == 0;
		unsigned n = is_rx ? d->n_rx : d->n_tx;
		const struct snic_blk_queues *q = is_rx ? &d->rxq : &d->txq;
		for (unsigned r = 0; r < n; r++) {
			struct snic_ring *ring = is_rx ? &d->rx[r] : &d->tx[r];
			if (check_ring(d, ring, q->first + r * q->stride, is_rx ? "RX" : "TX", r, is_rx))
				return;
			ring->buf_base = d->dma.base + (uint32_t)used;
			used += (uint64_t)ring->size * ring->stride;
			if (used > d->dma.size) {
				layout_fail(d, SNIC_ERR_NOMEM,
					    "DMA region of %u bytes too small for the ring buffers "
					    "(%s ring %u needs up to %llu)", d->dma.size,
					    is_rx ? "RX" : "TX", r, (unsigned long long)used);
				return;
			}
			ring->valid = 1;
		}
	}
}

unsigned snic_rx_count(const struct snic_dev *d)
{
	return d->n_rx;
}

/* Common entry checks for ring r of kind rx/tx. */
int snic_ring_usable(struct snic_dev *d, unsigned r, int is_rx)
{
	unsigned n = is_rx ? d->n_rx : d->n_tx;

	if ((is_rx ? d->off_rxq : d->off_txq) == SNIC_NO_BLOCK)
		return snic_seterr(d, SNIC_ERR_NOBLOCK, "device has no %s block",
				   is_rx ? "RXQ" : "TXQ");
	if (r >= n)
		return snic_seterr(d, SNIC_ERR_ARG, "%s ring %u does not exist (device has %u)",
				   is_rx ? "RX" : "TX", r, n);
	if (!(is_rx ? d->rx : d->tx)[r].valid)
		return snic_seterr(d, d->layout_err ? d->layout_err : SNIC_ERR_RING, "%s",
				   d->layout_msg[0] ? d->layout_msg : "ring layout invalid");
	return 0;
}

static void post_buffers(struct snic_dev *d, unsigned r)
{
	struct snic_ring *q = &d->rx[r];
	uint32_t mask = q->size - 1;

	while (q->prod - q->cons < q->size) {
		struct snic_rx_desc desc;
		uint32_t slot = q->prod & mask;
		desc.addr = q->buf_base + slot * q->stride;
		desc.len = q->buf_max;
		desc.rsvd = 0;
		memcpy(d->win + q->desc_off + slot * sizeof(desc), &desc, sizeof(desc));
		q->prod++;
	}
	snic_st32(d, RXQ(r, desc_prod), q->prod);   /* release: descriptors first */
}

int snic_rx_start(struct snic_dev *d, unsigned r)
{
	int rc = snic_ring_usable(d, r, 1);

	if (rc)
		return rc;
	struct snic_ring *q = &d->rx[r];
	if (q->started)
		return 0;
	rc = snic_ring_lock(d, q->ctrl, 1);
	if (rc)
		return rc;
	/* Continue from where the previous owner left the host-written line. */
	q->prod = snic_ld32(d, RXQ(r, desc_prod));
	q->cons = snic_ld32(d, RXQ(r, cpl_cons));
	uint32_t cpl_prod = snic_ld32(d, RXQ(r, cpl_prod));
	if (q->prod - q->cons > q->size || cpl_prod - q->cons > q->size) {
		snic_ring_lock(d, q->ctrl, 0);
		return snic_seterr(d, SNIC_ERR_RING,
				   "RX ring %u: indices inconsistent (desc_prod %u, cpl_cons %u, "
				   "cpl_prod %u, size %u)", r, q->prod, q->cons, cpl_prod, q->size);
	}
	q->started = 1;
	post_buffers(d, r);
	return 0;
}

void snic_rx_stop(struct snic_dev *d, unsigned r)
{
	if (r < d->n_rx && d->rx[r].started) {
		d->rx[r].started = 0;
		snic_ring_lock(d, d->rx[r].ctrl, 0);
	}
}

int snic_rx_pending(struct snic_dev *d, unsigned r)
{
	int rc = snic_ring_usable(d, r, 1);

	if (rc)
		return rc;
	struct snic_ring *q = &d->rx[r];
	uint32_t cons = q->started ? q->cons : snic_ld32(d, RXQ(r, cpl_cons));
	uint32_t avail = snic_ld32(d, RXQ(r, cpl_prod)) - cons;
	if (avail > q->size)
		return snic_seterr(d, SNIC_ERR_RING, "RX ring %u: cpl_prod %u ahead of cpl_cons %u by more than %u",
				   r, cons + avail, cons, q->size);
	return (int)avail;
}

int snic_rx_poll(struct snic_dev *d, unsigned r, unsigned budget, snic_rx_cb cb, void *arg)
{
	if (r >= d->n_rx || !d->rx[r].started)
		return snic_seterr(d, SNIC_ERR_ARG, "RX ring %u not started", r);
	struct snic_ring *q = &d->rx[r];
	uint32_t mask = q->size - 1;
	uint32_t prod = snic_ld32(d, RXQ(r, cpl_prod));   /* acquire: completions visible */
	uint32_t avail = prod - q->cons;
	int rc = 0;

	if (avail > q->size)
		return snic_seterr(d, SNIC_ERR_RING,
				   "RX ring %u: cpl_prod %u ahead of cpl_cons %u by more than %u",
				   r, prod, q->cons, q->size);
	if (avail > budget)
		avail = budget;
	unsigned done = 0;
	for (; done < avail; done++) {
		struct snic_rx_frame f;
		uint32_t idx = q->cons + done;
		memcpy(&f.cpl, d->win + q->cpl_off + (idx & mask) * sizeof(f.cpl), sizeof(f.cpl));
		if (f.cpl.len > q->buf_max) {
			rc = snic_seterr(d, SNIC_ERR_RING,
					 "RX ring %u: completion %u has length %u over buf_max %u",
					 r, idx, f.cpl.len, q->buf_max);
			break;
		}
		f.ring = r;
		f.data = d->win + q->buf_base + (f.cpl.desc & mask) * q->stride;
		if (cb)
			cb(arg, &f);
	}
	q->cons += done;
	snic_st32(d, RXQ(r, cpl_cons), q->cons);   /* release: buffers read */
	post_buffers(d, r);
	return rc ? rc : (int)done;
}
