// SPDX-License-Identifier: GPL-2.0
/*
 * Walk and validate the device window's block chain before the driver
 * claims anything. The checks are the shared protocol code's
 * (hostdrv/proto, the same libsnic runs): magic, ABI major, every block
 * inside the window and apart from the others, required blocks present.
 * The layouts the driver relies on are taken from its checked copies, so
 * the device cannot move them under our feet afterwards.
 */
#include "snic_drv.h"
#include "snic_proto.h"

/* Errno for a failure of the shared walk. */
static int walk_errno(int code)
{
	switch (code) {
	case SNIC_PROTO_E_MAGIC:
	case SNIC_PROTO_E_MISSING: return -ENODEV;
	case SNIC_PROTO_E_ABI:     return -EPROTO;
	case SNIC_PROTO_E_STATE:   return -EAGAIN;
	default:                   return -EINVAL;
	}
}

static void take_fw(struct snic_dev *sdev, const struct snic_proto_layout *l)
{
	char build[sizeof(l->fw.build) + 1];

	if (l->off_fw == SNIC_PROTO_NONE)
		return; /* optional */
	sdev->off_fw = l->off_fw;
	memcpy(build, l->fw.build, sizeof(l->fw.build));
	build[sizeof(l->fw.build)] = 0;
	snprintf(sdev->fw_version, sizeof(sdev->fw_version), "%u.%u.%u %s",
		 l->fw.version >> 16, (l->fw.version >> 8) & 0xff, l->fw.version & 0xff, build);
}

/* Per-VNIC counters (ABI 1.1, optional): only what this walk found. */
static void take_vstats(struct snic_dev *sdev, const struct snic_proto_layout *l)
{
	sdev->vstats = NULL;
	if (l->off_vstats == SNIC_PROTO_NONE)
		return;
	sdev->vstats_count = l->vstats.count;
	sdev->vstats_stride = l->vstats.stride;
	sdev->vstats_first = l->vstats.first;
	sdev->vstats = snic_at(sdev, l->off_vstats);
}

/* Every required block is present: the walk refused the window otherwise. */
static void take_layout(struct snic_dev *sdev, const struct snic_proto_layout *l)
{
	sdev->win_size = l->window_size; /* trust only what the device laid out */
	sdev->devid = snic_at(sdev, l->off_devid);
	memcpy(sdev->profile, l->devid.profile, sizeof(sdev->profile));
	sdev->profile[sizeof(sdev->profile) - 1] = 0;
	sdev->reset_count = l->devid.reset_count;
	take_fw(sdev, l);
	sdev->off_admin = l->off_admin;
	sdev->admin = snic_at(sdev, l->off_admin);
	sdev->admin_entries = l->admin.entries;
	sdev->cmd_ring = snic_at(sdev, l->admin.cmd_off);
	sdev->cpl_ring = snic_at(sdev, l->admin.cpl_off);
	sdev->off_caps = l->off_caps;
	sdev->off_stats = l->off_stats;
	sdev->stats = snic_at(sdev, l->off_stats);
	sdev->off_dma = l->off_dma;
	sdev->dma_base = l->dma.base;
	sdev->dma_size = l->dma.size;
	sdev->off_rxq = l->off_rxq;
	sdev->rxq_blk = l->rxq;
	sdev->off_txq = l->off_txq;
	sdev->txq_blk = l->txq;
	take_vstats(sdev, l);
}

int snic_window_walk(struct snic_dev *sdev)
{
	struct snic_proto_layout *l;
	struct snic_proto_err *e;
	int err = 0;

	/* Both are large for a kernel stack; the walk runs at probe/reset only. */
	l = kmalloc(sizeof(*l), GFP_KERNEL);
	e = kmalloc(sizeof(*e), GFP_KERNEL);
	if (!l || !e) {
		err = -ENOMEM;
		goto out;
	}
	if (snic_proto_walk(sdev->win, sdev->win_size, l, e)) {
		dev_err(sdev->dev, "window: %s\n", e->msg);
		err = walk_errno(e->code);
		goto out;
	}
	if (l->n_unknown)
		dev_dbg(sdev->dev, "window: skipped %u blocks of unknown type\n", l->n_unknown);
	take_layout(sdev, l);
out:
	kfree(e);
	kfree(l);
	return err;
}

bool snic_device_running(struct snic_dev *sdev)
{
	return snic_ld_acq(&sdev->devid->state) == SNIC_STATE_RUNNING;
}
