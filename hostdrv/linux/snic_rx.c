// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: the device copies each frame into a buffer the driver posted
 * in the DMA region, writes a completion and advances cpl_prod. NAPI polls
 * the completions, copies each frame into an skb (the buffer is device
 * memory shared with the simulator, not ours to hand to the stack) and
 * reposts the buffer. Every completion names its destination VNIC, which
 * is how the shared HRR 0 is split among the software-ring VNICs.
 *
 * With MSI-X the ring's interrupt schedules NAPI (snic_irq.c). Otherwise
 * (ivshmem-plain has no interrupt line) the driver's hrtimer (see
 * snic_main.c) calls snic_rx_kick(), which schedules NAPI for every ring
 * with completions pending.
 */
#include <linux/etherdevice.h>
#include "snic_drv.h"

static int ring_layout(struct snic_dev *sdev, struct snic_rx_ring *r, u16 id)
{
	const struct snic_cap_ring *cap = &sdev->caps.rx[id];
	struct snic_rxq *q = snic_at(sdev, cap->ctrl_off);
	u32 desc_off = READ_ONCE(q->desc_off), cpl_off = READ_ONCE(q->cpl_off);
	u32 size = READ_ONCE(q->size);

	if (size != cap->size ||
	    !snic_in_window(sdev, desc_off, (u64)size * sizeof(struct snic_rx_desc)) ||
	    !snic_in_window(sdev, cpl_off, (u64)size * sizeof(struct snic_rx_cpl)) ||
	    desc_off % 8 || cpl_off % 8) {
		dev_err(sdev->dev, "RX ring %u: layout (size %u, desc 0x%x, cpl 0x%x) unusable\n",
			id, size, desc_off, cpl_off);
		return -EINVAL;
	}
	r->sdev = sdev;
	r->id = id;
	r->ctrl = q;
	r->desc = snic_at(sdev, desc_off);
	r->cpl = snic_at(sdev, cpl_off);
	r->size = size;
	u64_stats_init(&r->stats.syncp);
	return 0;
}

int snic_rx_rings_alloc(struct snic_dev *sdev)
{
	u16 i;
	int err;

	sdev->rx = devm_kcalloc(sdev->dev, sdev->caps.n_rx, sizeof(*sdev->rx), GFP_KERNEL);
	if (!sdev->rx)
		return -ENOMEM;
	for (i = 0; i < sdev->caps.n_rx; i++) {
		err = ring_layout(sdev, &sdev->rx[i], i);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Posts descriptors up to cpl_cons + posted (posted <= depth): buffer
 * i % depth is free then. After ethtool -G lowered posted, nothing is
 * posted until the outstanding ones drain below it.
 */
static void rx_refill(struct snic_rx_ring *r)
{
	u32 target = r->cpl_cons + READ_ONCE(r->posted);

	while ((s32)(target - r->desc_prod) > 0) {
		struct snic_rx_desc *d = &r->desc[r->desc_prod & (r->size - 1)];

		d->addr = r->buf_off + (u64)(r->desc_prod % r->depth) * r->buf_size;
		d->len = r->buf_size;
		d->rsvd = 0;
		r->desc_prod++;
	}
	/* Completions consumed (buffers read) before new buffers appear. */
	snic_st_rel(&r->ctrl->cpl_cons, r->cpl_cons);
	snic_st_rel(&r->ctrl->desc_prod, r->desc_prod);
}

static void rx_count(struct snic_ring_stats *s, u32 len)
{
	u64_stats_update_begin(&s->syncp);
	s->packets++;
	s->bytes += len;
	u64_stats_update_end(&s->syncp);
}

static void rx_error(struct snic_rx_ring *r)
{
	u64_stats_update_begin(&r->stats.syncp);
	r->stats.errors++;
	u64_stats_update_end(&r->stats.syncp);
}

/* Hands one completed frame to its VNIC; false if it had to be dropped. */
static bool rx_one(struct snic_rx_ring *r, const struct snic_rx_cpl *c)
{
	struct snic_dev *sdev = r->sdev;
	struct snic_vnic *vnic;
	struct sk_buff *skb;
	u32 buf;

	/* The descriptor must be one we posted and not yet got back. */
	if (c->len < ETH_HLEN || c->len > r->buf_size ||
	    r->desc_prod - 1 - c->desc >= r->depth) {
		net_warn_ratelimited("%s: RX ring %u: bad completion (len %u, desc %u)\n",
				     pci_name(sdev->pdev), r->id, c->len, c->desc);
		rx_error(r);
		return false;
	}
	vnic = c->vnic < SNIC_MAX_VNICS_DRV ? READ_ONCE(sdev->vnic_by_id[c->vnic]) : NULL;
	if (!vnic || !READ_ONCE(vnic->up)) {
		rx_error(r);
		return false;
	}
	skb = napi_alloc_skb(&r->napi, c->len);
	if (!skb) {
		vnic->rx_dropped++;
		return false;
	}
	buf = r->buf_off + (c->desc % r->depth) * r->buf_size;
	memcpy(skb_put(skb, c->len), snic_at(sdev, buf), c->len);
	skb->protocol = eth_type_trans(skb, vnic->ndev);
	skb_record_rx_queue(skb, r->queue);
	if (c->hash_type && (vnic->ndev->features & NETIF_F_RXHASH))
		skb_set_hash(skb, c->hash, c->hash_type & SNIC_RSS_HT_L4 ? PKT_HASH_TYPE_L4 :
					   PKT_HASH_TYPE_L3);
	rx_count(&vnic->rx_stats, c->len);
	napi_gro_receive(&r->napi, skb);
	return true;
}

static int snic_rx_poll(struct napi_struct *napi, int budget)
{
	struct snic_rx_ring *r = container_of(napi, struct snic_rx_ring, napi);
	u32 prod = snic_ld_acq(&r->ctrl->cpl_prod);
	int done = 0;

	if (prod - r->cpl_cons > r->size) {
		/* More completions than slots: the device lost track. Skip. */
		net_warn_ratelimited("%s: RX ring %u: cpl_prod %u, cons %u: resyncing\n",
				     pci_name(r->sdev->pdev), r->id, prod, r->cpl_cons);
		rx_error(r);
		r->cpl_cons = prod;
		prod = r->cpl_cons;
	}
	while (done < budget && r->cpl_cons != prod) {
		struct snic_rx_cpl c;

		memcpy(&c, &r->cpl[r->cpl_cons & (r->size - 1)], sizeof(c));
		if (rx_one(r, &c))
			rx_count(&r->stats, c.len);
		r->cpl_cons++;
		done++;
	}
	if (done)
		rx_refill(r);
	if (done < budget && napi_complete_done(napi, done) && r->irq)
		snic_irq_rearm(r);
	return done;
}

int snic_rx_ring_start(struct snic_rx_ring *r, struct net_device *napi_dev)
{
	struct snic_rxq *q = r->ctrl;
	u32 old_prod = READ_ONCE(q->desc_prod), cons = snic_ld_acq(&q->desc_cons);

	if (r->napi_on)
		return 0;
	/* Frames left over from before we owned the ring are stale: skip. */
	r->cpl_cons = snic_ld_acq(&q->cpl_prod);
	/* Keep what a previous instance posted (same buffers), unless nonsense. */
	r->desc_prod = old_prod - cons <= r->size ? old_prod : cons;
	if ((s32)(r->cpl_cons + r->depth - r->desc_prod) < 0)
		r->desc_prod = r->cpl_cons + r->depth;
	WRITE_ONCE(q->mode, r->irq ? SNIC_MODE_INTR : SNIC_MODE_POLL);
	WRITE_ONCE(q->intr_enable, 0);
	rx_refill(r);

	if (!r->napi_added) {
		netif_napi_add(napi_dev, &r->napi, snic_rx_poll);
		r->napi_added = true;
	}
	napi_enable(&r->napi);
	r->napi_on = true;
	WRITE_ONCE(r->ready, true);
	if (r->irq)
		snic_irq_rearm(r); /* unmask, and take what is already there */
	atomic_inc(&r->sdev->active_rings);
	/* Unconditionally: the timer may be deciding to stop right now. */
	hrtimer_start(&r->sdev->poll_timer, r->sdev->poll_period, HRTIMER_MODE_REL);
	return 0;
}

void snic_rx_ring_stop(struct snic_rx_ring *r)
{
	if (!r->napi_on)
		return;
	WRITE_ONCE(r->ready, false);
	WRITE_ONCE(r->ctrl->intr_enable, 0);
	if (r->irq)
		synchronize_irq(r->irq); /* a handler that saw ready is done */
	napi_disable(&r->napi);
	r->napi_on = false;
	netif_napi_del(&r->napi);
	r->napi_added = false;
	atomic_dec(&r->sdev->active_rings);
}

/* From the poll timer: schedule NAPI where completions wait. */
void snic_rx_kick(struct snic_dev *sdev)
{
	u16 i;

	for (i = 0; i < sdev->caps.n_rx; i++) {
		struct snic_rx_ring *r = &sdev->rx[i];

		if (READ_ONCE(r->ready) &&
		    snic_ld_acq(&r->ctrl->cpl_prod) != READ_ONCE(r->cpl_cons))
			napi_schedule(&r->napi);
	}
}
