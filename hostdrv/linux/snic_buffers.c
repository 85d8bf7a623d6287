// SPDX-License-Identifier: GPL-2.0
/*
 * Packet buffers live in the window's DMA region (the part standing for
 * host memory): the device only accepts buffer addresses inside it. The
 * driver splits the region once, statically: ring r, buffer b sits at a
 * fixed offset, and descriptor index i of a ring always uses buffer
 * i % depth. So buffers never need tracking, and a reloaded driver finds
 * descriptors left posted by its predecessor pointing at the same places.
 */
#include "snic_drv.h"

static u32 buf_size_of(u32 buf_max)
{
	return ALIGN(buf_max, SNIC_BUF_ALIGN);
}

/* Bytes needed when every ring gets min(size, limit) buffers. */
static u64 bytes_needed(struct snic_dev *sdev, u32 limit)
{
	u64 total = 0;
	u16 i;

	for (i = 0; i < sdev->caps.n_rx; i++)
		total += (u64)min(sdev->caps.rx[i].size, limit) *
			 buf_size_of(sdev->caps.rx[i].buf_max);
	for (i = 0; i < sdev->caps.n_tx; i++)
		total += (u64)min(sdev->caps.tx[i].size, limit) *
			 buf_size_of(sdev->caps.tx[i].buf_max);
	return total;
}

int snic_buffers_layout(struct snic_dev *sdev)
{
	u32 limit = 1u << 16, off = ALIGN(sdev->dma_base, SNIC_BUF_ALIGN);
	u32 usable = sdev->dma_size - (off - sdev->dma_base);
	u16 i;

	if (off - sdev->dma_base > sdev->dma_size)
		return -ENOSPC;
	/* Fewer buffers per ring than descriptors is fine; fewer than 16 is not. */
	while (limit >= 16 && bytes_needed(sdev, limit) > usable)
		limit /= 2;
	if (limit < 16) {
		dev_err(sdev->dev, "DMA region of %u bytes too small for the rings\n",
			sdev->dma_size);
		return -ENOSPC;
	}
	for (i = 0; i < sdev->caps.n_rx; i++) {
		struct snic_rx_ring *r = &sdev->rx[i];

		r->depth = min(sdev->caps.rx[i].size, limit);
		r->posted = r->depth;
		r->buf_size = buf_size_of(sdev->caps.rx[i].buf_max);
		r->buf_off = off;
		off += r->depth * r->buf_size;
	}
	for (i = 0; i < sdev->caps.n_tx; i++) {
		struct snic_tx_ring *t = &sdev->tx[i];

		t->depth = min(sdev->caps.tx[i].size, limit);
		t->posted = t->depth;
		t->buf_size = buf_size_of(sdev->caps.tx[i].buf_max);
		t->buf_off = off;
		off += t->depth * t->buf_size;
	}
	dev_info(sdev->dev, "DMA region 0x%x+%u: %u buffers per ring, %u bytes used\n",
		 sdev->dma_base, sdev->dma_size, sdev->rx[0].depth, off - sdev->dma_base);
	return 0;
}
