// SPDX-License-Identifier: GPL-2.0
/*
 * Walk and validate the device window's block chain before the driver
 * claims anything: magic, ABI major, every offset and size inside the
 * window. Unknown block types are skipped (new blocks never break us).
 * Layouts the driver relies on are copied, so the device cannot move them
 * under our feet afterwards.
 */
#include "snic.h"

static int check_block(struct snic_dev *sdev, u32 off, u32 size, const char *what)
{
	if (!snic_in_window(sdev, off, size)) {
		dev_err(sdev->dev, "%s block at 0x%x (%u bytes) outside the %u-byte window\n",
			what, off, size, sdev->win_size);
		return -EINVAL;
	}
	return 0;
}

static int take_queues(struct snic_dev *sdev, u32 off, struct snic_blk_queues *out,
		       u32 min_stride, const char *what)
{
	u64 span;

	memcpy(out, snic_at(sdev, off), sizeof(*out));
	if (!out->count || out->count > SNIC_MAX_RINGS || out->stride < min_stride) {
		dev_err(sdev->dev, "%s block: %u rings of stride %u unsupported\n",
			what, out->count, out->stride);
		return -EINVAL;
	}
	span = (u64)out->stride * (out->count - 1) + min_stride;
	if (!snic_in_window(sdev, out->first, span) || out->first % 8) {
		dev_err(sdev->dev, "%s ring controls at 0x%x outside the window\n",
			what, out->first);
		return -EINVAL;
	}
	return 0;
}

static int take_admin(struct snic_dev *sdev, u32 off)
{
	struct snic_blk_admin *a = snic_at(sdev, off);
	u32 n = READ_ONCE(a->entries);
	u32 cmd = READ_ONCE(a->cmd_off), cpl = READ_ONCE(a->cpl_off);

	if (!n || (n & (n - 1)) || n > 4096) {
		dev_err(sdev->dev, "admin block: %u entries is not a power of two\n", n);
		return -EINVAL;
	}
	if (!snic_in_window(sdev, cmd, (u64)n * sizeof(struct snic_admin_cmd)) ||
	    !snic_in_window(sdev, cpl, (u64)n * sizeof(struct snic_admin_cpl)) ||
	    cmd % 8 || cpl % 8) {
		dev_err(sdev->dev, "admin rings at 0x%x/0x%x outside the window\n", cmd, cpl);
		return -EINVAL;
	}
	sdev->off_admin = off;
	sdev->admin = a;
	sdev->admin_entries = n;
	sdev->cmd_ring = snic_at(sdev, cmd);
	sdev->cpl_ring = snic_at(sdev, cpl);
	return 0;
}

static int take_dma(struct snic_dev *sdev, u32 off)
{
	struct snic_blk_dma d;

	memcpy(&d, snic_at(sdev, off), sizeof(d));
	if (!d.size || !snic_in_window(sdev, d.base, d.size)) {
		dev_err(sdev->dev, "DMA region 0x%x+%u outside the window\n", d.base, d.size);
		return -EINVAL;
	}
	sdev->off_dma = off;
	sdev->dma_base = d.base;
	sdev->dma_size = d.size;
	return 0;
}

static void take_fw(struct snic_dev *sdev, u32 off)
{
	struct snic_blk_fw f;
	char build[sizeof(f.build) + 1];

	memcpy(&f, snic_at(sdev, off), sizeof(f));
	memcpy(build, f.build, sizeof(f.build));
	build[sizeof(f.build)] = 0;
	snprintf(sdev->fw_version, sizeof(sdev->fw_version), "%u.%u.%u %s",
		 f.version >> 16, (f.version >> 8) & 0xff, f.version & 0xff, build);
	sdev->off_fw = off;
}

/*
 * Per-VNIC counters (ABI 1.1): entries must lie inside the window and be
 * at least the size this driver reads. A bad block is ignored (counters
 * stay driver-only), not fatal: the data path does not depend on it.
 */
static void take_vstats(struct snic_dev *sdev, u32 off)
{
	struct snic_blk_vstats v;

	memcpy(&v, snic_at(sdev, off), sizeof(v));
	if (v.stride < sizeof(struct snic_vnic_stats) || v.count > SNIC_MAX_VNICS_DRV ||
	    !snic_in_window(sdev, v.first, (u64)v.count * v.stride) || v.first % 8) {
		dev_warn(sdev->dev, "VSTATS block: %u entries of %u bytes at 0x%x unusable; per-VNIC device counters off\n",
			 v.count, v.stride, v.first);
		return;
	}
	sdev->vstats_count = v.count;
	sdev->vstats_stride = v.stride;
	sdev->vstats_first = v.first;
	sdev->vstats = snic_at(sdev, off);
}

/* Minimum size each known block must declare. */
static u32 block_min_size(u32 type)
{
	switch (type) {
	case SNIC_BLK_DEVID: return sizeof(struct snic_blk_devid);
	case SNIC_BLK_FW:    return sizeof(struct snic_blk_fw);
	case SNIC_BLK_ADMIN: return sizeof(struct snic_blk_admin);
	case SNIC_BLK_CAPS:  return sizeof(struct snic_blk_caps);
	case SNIC_BLK_RXQ:
	case SNIC_BLK_TXQ:   return sizeof(struct snic_blk_queues);
	case SNIC_BLK_STATS: return sizeof(struct snic_blk_stats);
	case SNIC_BLK_DMA:   return sizeof(struct snic_blk_dma);
	case SNIC_BLK_VSTATS: return sizeof(struct snic_blk_vstats);
	default:             return sizeof(struct snic_block_hdr);
	}
}

static int take_block(struct snic_dev *sdev, u32 off, u32 type)
{
	switch (type) {
	case SNIC_BLK_FW:
		take_fw(sdev, off);
		return 0;
	case SNIC_BLK_ADMIN:
		return take_admin(sdev, off);
	case SNIC_BLK_CAPS:
		sdev->off_caps = off;
		return 0;
	case SNIC_BLK_STATS:
		sdev->off_stats = off;
		sdev->stats = snic_at(sdev, off);
		return 0;
	case SNIC_BLK_DMA:
		return take_dma(sdev, off);
	case SNIC_BLK_VSTATS:
		take_vstats(sdev, off);
		return 0;
	case SNIC_BLK_RXQ:
		sdev->off_rxq = off;
		return take_queues(sdev, off, &sdev->rxq_blk, sizeof(struct snic_rxq), "RXQ");
	case SNIC_BLK_TXQ:
		sdev->off_txq = off;
		return take_queues(sdev, off, &sdev->txq_blk, sizeof(struct snic_txq), "TXQ");
	default:
		dev_dbg(sdev->dev, "skipping unknown block type %u at 0x%x\n", type, off);
		return 0;
	}
}

static int check_devid(struct snic_dev *sdev)
{
	struct snic_blk_devid *id = (struct snic_blk_devid *)sdev->win;

	if (READ_ONCE(id->magic) != SNIC_MAGIC || READ_ONCE(id->hdr.type) != SNIC_BLK_DEVID) {
		dev_err(sdev->dev, "no snic device id at offset 0 (magic 0x%08x)\n",
			READ_ONCE(id->magic));
		return -ENODEV;
	}
	if (id->abi_major != SNIC_ABI_MAJOR) {
		dev_err(sdev->dev, "device ABI %u.%u, driver speaks %u.x\n",
			id->abi_major, id->abi_minor, SNIC_ABI_MAJOR);
		return -EPROTO;
	}
	if (id->window_size < sizeof(*id) || id->window_size > sdev->win_size) {
		dev_err(sdev->dev, "device window of %u bytes does not fit the %u-byte BAR\n",
			id->window_size, sdev->win_size);
		return -EINVAL;
	}
	/* Trust only what the device says it laid out. */
	sdev->win_size = id->window_size;
	memcpy(sdev->profile, id->profile, sizeof(sdev->profile));
	sdev->profile[sizeof(sdev->profile) - 1] = 0;
	sdev->reset_count = READ_ONCE(id->reset_count);
	sdev->devid = id;
	return 0;
}

int snic_window_walk(struct snic_dev *sdev)
{
	u32 off = 0, n = 0;
	int err;

	err = check_devid(sdev);
	if (err)
		return err;
	sdev->vstats = NULL; /* optional: only what this walk finds */
	do {
		struct snic_block_hdr h;

		if (n++ >= SNIC_MAX_BLOCKS) {
			dev_err(sdev->dev, "block chain longer than %u: a loop?\n", SNIC_MAX_BLOCKS);
			return -ELOOP;
		}
		if (off % 8 || check_block(sdev, off, sizeof(h), "a"))
			return -EINVAL;
		memcpy(&h, snic_at(sdev, off), sizeof(h));
		if (h.size < block_min_size(h.type)) {
			dev_err(sdev->dev, "block type %u at 0x%x: size %u too small\n",
				h.type, off, h.size);
			return -EINVAL;
		}
		err = check_block(sdev, off, h.size, "a");
		if (!err)
			err = take_block(sdev, off, h.type);
		if (err)
			return err;
		off = h.next;
	} while (off);

	if (!sdev->admin || !sdev->off_caps || !sdev->stats || !sdev->off_dma ||
	    !sdev->off_rxq || !sdev->off_txq) {
		dev_err(sdev->dev, "window lacks a required block (admin/caps/stats/dma/rxq/txq)\n");
		return -ENODEV;
	}
	return 0;
}

bool snic_device_running(struct snic_dev *sdev)
{
	return snic_ld_acq(&sdev->devid->state) == SNIC_STATE_RUNNING;
}
