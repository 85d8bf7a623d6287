/* SPDX-License-Identifier: MIT */
/*
 * Transmit rings: copy the frame into the slot's fixed buffer (see the
 * layout policy in rx.c), write the descriptor, then publish it with a
 * release store of desc_prod. A slot is reused only after desc_cons has
 * passed it.
 */
#include <stdio.h>
#include "snic_impl.h"

#define TXQ(r, field) (d->tx[r].ctrl + (uint32_t)offsetof(struct snic_txq, field))

unsigned snic_tx_count(const struct snic_dev *d)
{
	return d->n_tx;
}

int snic_tx_start(struct snic_dev *d, unsigned r)
{
	int rc = snic_ring_usable(d, r, 0);

	if (rc)
		return rc;
	struct snic_ring *q = &d->tx[r];
	if (q->started)
		return 0;
	rc = snic_ring_lock(d, q->ctrl, 1);
	if (rc)
		return rc;
	q->prod = snic_ld32(d, TXQ(r, desc_prod));
	uint32_t cons = snic_ld32(d, TXQ(r, desc_cons));
	if (q->prod - cons > q->size) {
		snic_ring_lock(d, q->ctrl, 0);
		return snic_seterr(d, SNIC_ERR_RING,
				   "TX ring %u: indices inconsistent (desc_prod %u, desc_cons %u, size %u)",
				   r, q->prod, cons, q->size);
	}
	q->started = 1;
	return 0;
}

void snic_tx_stop(struct snic_dev *d, unsigned r)
{
	if (r < d->n_tx && d->tx[r].started) {
		d->tx[r].started = 0;
		snic_ring_lock(d, d->tx[r].ctrl, 0);
	}
}

/* Frames queued but not yet taken by the device, or < 0. */
static int tx_inflight(struct snic_dev *d, unsigned r)
{
	struct snic_ring *q = &d->tx[r];
	uint32_t cons = snic_ld32(d, TXQ(r, desc_cons));   /* acquire */

	if (q->prod - cons > q->size)
		return snic_seterr(d, SNIC_ERR_RING,
				   "TX ring %u: desc_cons %u not within %u of desc_prod %u",
				   r, cons, q->size, q->prod);
	return (int)(q->prod - cons);
}

static int wait_tx(struct snic_dev *d, unsigned r, uint32_t max_inflight, const char *what)
{
	uint64_t deadline = snic_now_ms() + d->timeout_ms;
	unsigned spins = 0;

	for (;;) {
		int n = tx_inflight(d, r);
		if (n < 0)
			return n;
		if ((uint32_t)n <= max_inflight)
			return 0;
		uint32_t st = snic_state(d);
		if (st != SNIC_STATE_RUNNING)
			return snic_seterr(d, SNIC_ERR_STATE, "TX ring %u: %s, but the device is %s",
					   r, what, snic_state_name(st));
		if (snic_now_ms() >= deadline)
			return snic_seterr(d, SNIC_ERR_TIMEOUT,
					   "TX ring %u: %s for %u ms (%d frames queued)",
					   r, what, d->timeout_ms, n);
		snic_backoff(&spins);
	}
}

int snic_tx_send(struct snic_dev *d, unsigned r, const void *frame, uint32_t len)
{
	if (r >= d->n_tx || !d->tx[r].started)
		return snic_seterr(d, SNIC_ERR_ARG, "TX ring %u not started", r);
	struct snic_ring *q = &d->tx[r];
	if (len == 0 || len > q->buf_max)
		return snic_seterr(d, SNIC_ERR_ARG, "frame of %u bytes: TX ring %u takes 1..%u",
				   len, r, q->buf_max);
	int rc = wait_tx(d, r, q->size - 1, "ring full");
	if (rc)
		return rc;

	uint32_t slot = q->prod & (q->size - 1);
	uint32_t buf = q->buf_base + slot * q->stride;
	struct snic_tx_desc desc = { buf, len, SNIC_TXF_NONE, 0 };
	memcpy(d->win + buf, frame, len);
	memcpy(d->win + q->desc_off + slot * sizeof(desc), &desc, sizeof(desc));
	q->prod++;
	snic_st32(d, TXQ(r, desc_prod), q->prod);  /* release: frame and descriptor first */
	return 0;
}

int snic_tx_flush(struct snic_dev *d, unsigned r)
{
	if (r >= d->n_tx || !d->tx[r].started)
		return snic_seterr(d, SNIC_ERR_ARG, "TX ring %u not started", r);
	return wait_tx(d, r, 0, "waiting for the device to take the queued frames");
}
