// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: each frame is copied into the ring's next buffer in the DMA
 * region, described, and published by advancing desc_prod (the index the
 * device polls). At the end of a batch (no xmit_more), if the device said
 * it naps (SNIC_TXQF_KICK, ring.h), the driver also rings its doorbell so
 * it looks now rather than at its next wake-up. The skb is freed at once:
 * the copy is what the device sends. The device advances desc_cons as it
 * sends; a full ring stops the queue and the poll timer (at its fast
 * period from then on: TX has no interrupt) wakes it when desc_cons moves
 * (snic_tx_wake).
 *
 * A VNIC without a dedicated TRR sends on the shared TRR 0, which the
 * device attributes by source MAC; its lock serialises those netdevs.
 */
#include <linux/etherdevice.h>
#include "snic_drv.h"

static int ring_layout(struct snic_dev *sdev, struct snic_tx_ring *t, u16 id)
{
	const struct snic_cap_ring *cap = &sdev->caps.tx[id];
	struct snic_txq *q = snic_at(sdev, cap->ctrl_off);
	u32 desc_off = READ_ONCE(q->desc_off), size = READ_ONCE(q->size);

	if (size != cap->size || desc_off % 8 ||
	    !snic_in_window(sdev, desc_off, (u64)size * sizeof(struct snic_tx_desc))) {
		dev_err(sdev->dev, "TX ring %u: layout (size %u, desc 0x%x) unusable\n",
			id, size, desc_off);
		return -EINVAL;
	}
	t->sdev = sdev;
	t->id = id;
	t->ctrl = q;
	t->desc = snic_at(sdev, desc_off);
	t->size = size;
	spin_lock_init(&t->lock);
	u64_stats_init(&t->stats.syncp);
	return 0;
}

int snic_tx_rings_alloc(struct snic_dev *sdev)
{
	u16 i;
	int err;

	sdev->tx = devm_kcalloc(sdev->dev, sdev->caps.n_tx, sizeof(*sdev->tx), GFP_KERNEL);
	if (!sdev->tx)
		return -ENOMEM;
	for (i = 0; i < sdev->caps.n_tx; i++) {
		err = ring_layout(sdev, &sdev->tx[i], i);
		if (err)
			return err;
	}
	return 0;
}

int snic_tx_ring_start(struct snic_tx_ring *t)
{
	u32 prod, cons;

	spin_lock_bh(&t->lock);
	if (!t->ready) {
		prod = READ_ONCE(t->ctrl->desc_prod);
		cons = snic_ld_acq(&t->ctrl->desc_cons);
		/* Nonsense left in the host line would stall the ring: restart
		 * from where the device is. */
		if (prod - cons > t->size) {
			prod = cons;
			snic_st_rel(&t->ctrl->desc_prod, prod);
		}
		t->desc_prod = prod;
		t->ready = true;
	}
	spin_unlock_bh(&t->lock);
	return 0;
}

static bool ring_full(struct snic_tx_ring *t)
{
	return t->desc_prod - snic_ld_acq(&t->ctrl->desc_cons) >= READ_ONCE(t->posted);
}

static void tx_stat(struct snic_ring_stats *s, u32 len, bool err)
{
	u64_stats_update_begin(&s->syncp);
	if (err) {
		s->errors++;
	} else {
		s->packets++;
		s->bytes += len;
	}
	u64_stats_update_end(&s->syncp);
}

/*
 * Wakes the device if it asked for it. Ring lock held. The full barrier
 * orders our desc_prod store before the flag load; the device orders its
 * flag store before its desc_prod load the same way, so either it sees
 * our descriptors before it naps or we see the flag.
 */
static void tx_kick(struct snic_dev *sdev, struct snic_tx_ring *t)
{
	smp_mb();
	if (!sdev->regs || !(READ_ONCE(t->ctrl->flags) & SNIC_TXQF_KICK))
		return;
	writel(READ_ONCE(t->ctrl->kick), sdev->regs + SNIC_IVSHMEM_DOORBELL);
	t->kicks++;
}

netdev_tx_t snic_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	u16 qi = skb_get_queue_mapping(skb);
	struct netdev_queue *txq = netdev_get_tx_queue(ndev, qi);
	/* Each TX queue has its TRR (RSS queue set); queue 0 the VNIC's own. */
	struct snic_tx_ring *t = &vnic->sdev->tx[qi < vnic->n_queues ?
						  snic_rss_tx_ring(vnic, qi) : vnic->tx_ring];
	u32 len = skb->len, wire = max_t(u32, len, ETH_ZLEN), buf;
	struct snic_tx_desc *d;
	u8 *data;

	if (wire > t->buf_size || wire > vnic->sdev->caps.tx[t->id].buf_max) {
		tx_stat(&vnic->tx_stats, 0, true);
		dev_kfree_skb_any(skb);
		/* Frames of this batch published before it still need it. */
		if (!netdev_xmit_more()) {
			spin_lock(&t->lock);
			tx_kick(vnic->sdev, t);
			spin_unlock(&t->lock);
		}
		return NETDEV_TX_OK;
	}
	spin_lock(&t->lock);
	if (unlikely(ring_full(t))) {
		netif_tx_stop_queue(txq);
		snic_tx_wait(vnic->sdev);
		tx_kick(vnic->sdev, t);
		u64_stats_update_begin(&t->stats.syncp);
		t->stats.busy++;
		u64_stats_update_end(&t->stats.syncp);
		spin_unlock(&t->lock);
		return NETDEV_TX_BUSY;
	}
	buf = t->buf_off + (t->desc_prod % t->depth) * t->buf_size;
	data = snic_at(vnic->sdev, buf);
	skb_copy_bits(skb, 0, data, len);
	if (len < wire)
		memset(data + len, 0, wire - len); /* pad runts: no stale bytes */
	d = &t->desc[t->desc_prod & (t->size - 1)];
	d->addr = buf;
	d->len = wire;
	d->flags = SNIC_TXF_NONE;
	d->rsvd = 0;
	t->desc_prod++;
	snic_st_rel(&t->ctrl->desc_prod, t->desc_prod); /* frame and desc first */
	tx_stat(&t->stats, wire, false);
	if (ring_full(t)) {
		netif_tx_stop_queue(txq);
		snic_tx_wait(vnic->sdev);
		tx_kick(vnic->sdev, t);
	} else if (!netdev_xmit_more()) {
		tx_kick(vnic->sdev, t);
	}
	spin_unlock(&t->lock);

	tx_stat(&vnic->tx_stats, len, false);
	dev_consume_skb_any(skb);
	return NETDEV_TX_OK;
}

/*
 * From the poll timer: restart queues whose ring has room again. True if
 * a queue is still waiting (the timer then keeps its fast period).
 */
bool snic_tx_wake(struct snic_dev *sdev)
{
	bool waiting = false;
	unsigned int i;

	for (i = 0; i < sdev->n_ndevs; i++) {
		struct net_device *ndev = READ_ONCE(sdev->ndevs[i]);
		struct snic_vnic *vnic;
		unsigned int q;

		if (!ndev)
			continue;
		vnic = netdev_priv(ndev);
		if (!READ_ONCE(vnic->up))
			continue;
		for (q = 0; q < ndev->real_num_tx_queues; q++) {
			struct netdev_queue *txq = netdev_get_tx_queue(ndev, q);

			if (!netif_tx_queue_stopped(txq))
				continue;
			if (q < vnic->n_queues && ring_full(&sdev->tx[snic_rss_tx_ring(vnic, q)]))
				waiting = true;
			else
				netif_tx_wake_queue(txq);
		}
	}
	return waiting;
}
