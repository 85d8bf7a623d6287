// SPDX-License-Identifier: GPL-2.0
/*
 * Capability records (include/snic/caps.h): read once at probe (and after
 * a reset) into the driver's own copy; everything else (ring geometry,
 * classifier size, uplinks) comes from that copy. Copying the records out
 * of the window, checking them and matching the ring records against the
 * RXQ/TXQ blocks is the shared protocol code's (hostdrv/proto), the same
 * libsnic runs, so a confused device cannot point us elsewhere.
 */
#include "snic_drv.h"
#include "snic_proto.h"

/* The fields the walk checked, as the shared code wants them. */
static void layout_of(const struct snic_dev *sdev, struct snic_proto_layout *l)
{
	memset(l, 0, sizeof(*l));
	l->window_size = sdev->win_size;
	l->off_caps = sdev->off_caps;
	l->rxq = sdev->rxq_blk;
	l->txq = sdev->txq_blk;
}

static void take_caps(struct snic_dev *sdev, const struct snic_proto_caps *p)
{
	struct snic_caps *c = &sdev->caps;

	memset(c, 0, sizeof(*c));
	c->generation = p->generation;
	c->hdr = p->hdr;
	c->hdr.profile[sizeof(c->hdr.profile) - 1] = 0;
	c->n_rx = p->n_rx;
	c->n_tx = p->n_tx;
	c->n_uplinks = p->n_uplinks;
	memcpy(c->rx, p->rx, sizeof(c->rx));
	memcpy(c->tx, p->tx, sizeof(c->tx));
	c->cls = p->cls;
	c->meters = p->meters;
	memcpy(c->uplink, p->uplink, sizeof(c->uplink));
	c->l2 = p->l2;
	c->rss = p->rss;
}

struct caps_work {
	struct snic_proto_layout l;
	struct snic_proto_caps caps;
	struct snic_proto_err e;
	u8 buf[SNIC_CAPS_MAX_BYTES];
};

int snic_caps_read(struct snic_dev *sdev)
{
	struct caps_work *w;
	int err = 0;

	BUILD_BUG_ON(sizeof(sdev->caps.rx) != sizeof(w->caps.rx));
	BUILD_BUG_ON(sizeof(sdev->caps.uplink) != sizeof(w->caps.uplink));
	w = kmalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	layout_of(sdev, &w->l);
	if (snic_proto_caps_read(sdev->win, &w->l, w->buf, &w->caps, &w->e)) {
		dev_err(sdev->dev, "caps: %s\n", w->e.msg);
		err = -EINVAL;
	} else {
		take_caps(sdev, &w->caps);
	}
	kfree(w);
	return err;
}
