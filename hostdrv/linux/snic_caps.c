// SPDX-License-Identifier: GPL-2.0
/*
 * Capability records (include/snic/caps.h): read once at probe into the
 * driver's own copy; everything else (ring geometry, classifier size,
 * uplinks) comes from that copy. Records are copied out of the window
 * before they are checked, and each ring record is cross-checked against
 * the RXQ/TXQ blocks so a confused device cannot point us elsewhere.
 */
#include "snic.h"

static int ring_rec(struct snic_dev *sdev, const struct snic_cap_ring *r, bool rx)
{
	const struct snic_blk_queues *q = rx ? &sdev->rxq_blk : &sdev->txq_blk;
	struct snic_cap_ring *dst;
	u16 *n = rx ? &sdev->caps.n_rx : &sdev->caps.n_tx;
	u32 want;

	if (*n >= SNIC_MAX_RINGS || *n >= q->count || r->id != *n) {
		dev_err(sdev->dev, "caps: %s ring record %u out of order or too many\n",
			rx ? "RX" : "TX", r->id);
		return -EINVAL;
	}
	want = q->first + q->stride * r->id;
	if (r->ctrl_off != want) {
		dev_err(sdev->dev, "caps: %s ring %u control at 0x%x, queue block says 0x%x\n",
			rx ? "RX" : "TX", r->id, r->ctrl_off, want);
		return -EINVAL;
	}
	if (!r->size || (r->size & (r->size - 1)) || r->buf_max < ETH_HLEN) {
		dev_err(sdev->dev, "caps: %s ring %u: size %u / buf_max %u unusable\n",
			rx ? "RX" : "TX", r->id, r->size, r->buf_max);
		return -EINVAL;
	}
	dst = rx ? &sdev->caps.rx[*n] : &sdev->caps.tx[*n];
	*dst = *r;
	(*n)++;
	return 0;
}

/* Copies one record of type `type` whose declared length is `len`. */
static int take_record(struct snic_dev *sdev, const u8 *rec, u16 type, u32 len)
{
	struct snic_caps *c = &sdev->caps;
	struct snic_cap_ring ring;

	switch (type) {
	case SNIC_CAP_HEADER:
		if (len < sizeof(c->hdr))
			return -EINVAL;
		memcpy(&c->hdr, rec, sizeof(c->hdr));
		c->hdr.profile[sizeof(c->hdr.profile) - 1] = 0;
		if (c->hdr.format != SNIC_CAP_FORMAT_VERSION) {
			dev_err(sdev->dev, "caps: format %u, driver reads %u\n",
				c->hdr.format, SNIC_CAP_FORMAT_VERSION);
			return -EPROTO;
		}
		return 0;
	case SNIC_CAP_RX_RING:
	case SNIC_CAP_TX_RING:
		if (len < sizeof(ring))
			return -EINVAL;
		memcpy(&ring, rec, sizeof(ring));
		return ring_rec(sdev, &ring, type == SNIC_CAP_RX_RING);
	case SNIC_CAP_CLASSIFIER:
		if (len < sizeof(c->cls))
			return -EINVAL;
		memcpy(&c->cls, rec, sizeof(c->cls));
		return 0;
	case SNIC_CAP_METERS:
		if (len < sizeof(c->meters))
			return -EINVAL;
		memcpy(&c->meters, rec, sizeof(c->meters));
		return 0;
	case SNIC_CAP_UPLINK:
		if (len < sizeof(c->uplink[0]) || c->n_uplinks >= SNIC_MAX_UPLINKS)
			return -EINVAL;
		memcpy(&c->uplink[c->n_uplinks], rec, sizeof(c->uplink[0]));
		if (c->uplink[c->n_uplinks].id != c->n_uplinks)
			return -EINVAL;
		c->n_uplinks++;
		return 0;
	case SNIC_CAP_L2:
		if (len < sizeof(c->l2))
			return -EINVAL;
		memcpy(&c->l2, rec, sizeof(c->l2));
		return 0;
	case SNIC_CAP_RSS:
		if (len < sizeof(c->rss))
			return -EINVAL;
		memcpy(&c->rss, rec, sizeof(c->rss));
		return 0;
	default:
		return 0; /* a newer record type: skip it */
	}
}

static int caps_consistent(struct snic_dev *sdev)
{
	const struct snic_caps *c = &sdev->caps;

	if (!c->hdr.h.type) {
		dev_err(sdev->dev, "caps: no header record\n");
		return -EINVAL;
	}
	if (c->n_rx != c->hdr.n_rx_rings || c->n_tx != c->hdr.n_tx_rings ||
	    c->n_uplinks != c->hdr.n_uplinks || c->n_rx != sdev->rxq_blk.count ||
	    c->n_tx != sdev->txq_blk.count) {
		dev_err(sdev->dev, "caps: header says %u/%u rings, %u uplinks; found %u/%u, %u\n",
			c->hdr.n_rx_rings, c->hdr.n_tx_rings, c->hdr.n_uplinks,
			c->n_rx, c->n_tx, c->n_uplinks);
		return -EINVAL;
	}
	if (!c->n_uplinks || !c->cls.h.type || c->cls.user_entries > c->cls.ternary) {
		dev_err(sdev->dev, "caps: classifier or uplink records missing\n");
		return -EINVAL;
	}
	return 0;
}

int snic_caps_read(struct snic_dev *sdev)
{
	struct snic_blk_caps blk;
	u32 pos = 0;
	u8 *buf;
	int err = -EINVAL;

	memcpy(&blk, snic_at(sdev, sdev->off_caps), sizeof(blk));
	if (blk.length < sizeof(struct snic_cap_hdr) || blk.length > SNIC_CAPS_MAX_BYTES ||
	    !snic_in_window(sdev, blk.records, blk.length)) {
		dev_err(sdev->dev, "caps: %u bytes at 0x%x unusable\n", blk.length, blk.records);
		return -EINVAL;
	}
	/* One snapshot: the records cannot change while we parse them. */
	buf = kmemdup(snic_at(sdev, blk.records), blk.length, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	memset(&sdev->caps, 0, sizeof(sdev->caps));
	sdev->caps.generation = blk.generation;

	while (pos + sizeof(struct snic_cap_hdr) <= blk.length) {
		struct snic_cap_hdr h;

		memcpy(&h, buf + pos, sizeof(h));
		if (h.type == SNIC_CAP_END) {
			err = caps_consistent(sdev);
			goto out;
		}
		if (h.len < sizeof(h) || h.len > blk.length - pos) {
			dev_err(sdev->dev, "caps: record type %u at +%u has length %u\n",
				h.type, pos, h.len);
			goto out;
		}
		err = take_record(sdev, buf + pos, h.type, h.len);
		if (err) {
			dev_err(sdev->dev, "caps: bad record type %u at +%u\n", h.type, pos);
			goto out;
		}
		pos += h.len;
		err = -EINVAL;
	}
	dev_err(sdev->dev, "caps: records end without SNIC_CAP_END\n");
out:
	kfree(buf);
	return err;
}
