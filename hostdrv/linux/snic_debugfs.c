// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: /sys/kernel/debug/snic/<pci>/caps is the driver's copy of the
 * capability records, in full; rules lists the n-tuple rules with the
 * device's hit counters (RULE_QUERY).
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "snic_drv.h"

static struct dentry *snic_debugfs_root;

static void show_ring(struct seq_file *s, const char *kind, const struct snic_cap_ring *r)
{
	seq_printf(s, "%s %u: size %u buf_max %u msix %u ctrl 0x%x poll 0x%x intr 0x%x flags 0x%x\n",
		   kind, r->id, r->size, r->buf_max, r->msix, r->ctrl_off, r->poll_off,
		   r->intr_off, r->flags);
}

static int caps_show(struct seq_file *s, void *unused)
{
	struct snic_dev *sdev = s->private;
	const struct snic_caps *c = &sdev->caps;
	u16 i;

	seq_printf(s, "profile %s\nformat %u\ngeneration %u\n", c->hdr.profile, c->hdr.format,
		   c->generation);
	seq_printf(s, "rx_rings %u\ntx_rings %u\nuplinks %u\nmax_vnics %u\n", c->n_rx, c->n_tx,
		   c->n_uplinks, c->hdr.max_vnics);
	for (i = 0; i < c->n_rx; i++)
		show_ring(s, "rx_ring", &c->rx[i]);
	for (i = 0; i < c->n_tx; i++)
		show_ring(s, "tx_ring", &c->tx[i]);
	seq_printf(s, "classifier: key_fields 0x%x ternary %u exact %u actions 0x%x key_bytes %u latency %u user_entries %u\n",
		   c->cls.key_fields, c->cls.ternary, c->cls.exact, c->cls.actions,
		   c->cls.key_bytes, c->cls.latency, c->cls.user_entries);
	seq_printf(s, "meters: count %u modes 0x%x min_bps %llu max_bps %llu\n",
		   c->meters.count, c->meters.modes, c->meters.min_bps, c->meters.max_bps);
	for (i = 0; i < c->n_uplinks; i++)
		seq_printf(s, "uplink %u: mac %pM speed %u Mbit/s\n", c->uplink[i].id,
			   c->uplink[i].mac, c->uplink[i].speed_mbps);
	seq_printf(s, "dma 0x%x+%u\nfirmware %s\n", sdev->dma_base, sdev->dma_size,
		   sdev->fw_version);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(caps);

static int rules_show(struct seq_file *s, void *unused)
{
	struct snic_dev *sdev = s->private;
	struct snic_rule_info *info;
	u32 loc;

	info = kmalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	mutex_lock(&sdev->cfg_lock);
	for (loc = 0; loc < sdev->n_rules_max; loc++) {
		struct snic_rule_ref ref = { .loc = loc };
		const struct snic_rule_entry *e = &sdev->rules[loc];
		int err;

		if (!e->used)
			continue;
		err = snic_admin_exec(sdev, SNIC_CMD_RULE_QUERY, &ref, sizeof(ref), info,
				      sizeof(*info));
		if (err)
			seq_printf(s, "rule %u: vnic %u: query failed %d\n", loc, e->vnic, err);
		else
			seq_printf(s, "rule %u: vnic %u action %s hits %llu\n", loc, e->vnic,
				   e->rule.action.flags & SNIC_ACT_DROP ? "drop" : "deliver",
				   info->hits);
	}
	mutex_unlock(&sdev->cfg_lock);
	kfree(info);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(rules);

void snic_debugfs_init(struct snic_dev *sdev)
{
	if (!snic_debugfs_root)
		snic_debugfs_root = debugfs_create_dir(SNIC_DRV_NAME, NULL);
	sdev->debugfs = debugfs_create_dir(pci_name(sdev->pdev), snic_debugfs_root);
	debugfs_create_file("caps", 0444, sdev->debugfs, sdev, &caps_fops);
	debugfs_create_file("rules", 0444, sdev->debugfs, sdev, &rules_fops);
}

void snic_debugfs_exit(struct snic_dev *sdev)
{
	debugfs_remove_recursive(sdev->debugfs);
	sdev->debugfs = NULL;
}

void snic_debugfs_cleanup(void)
{
	debugfs_remove_recursive(snic_debugfs_root);
	snic_debugfs_root = NULL;
}
