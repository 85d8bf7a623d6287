// SPDX-License-Identifier: GPL-2.0
/*
 * Device reset and restore. The firmware forgets VNICs, rules, port states
 * and rates on a reset (SNIC_CMD_RESET, from `ethtool --reset snicN
 * mgmt-shared` or from another agent such as snicctl on the host side of
 * the window) and on a reboot (window laid out anew). The watchdog notices
 * either through the device id block's reset_count; the driver then puts
 * back, from its own copies, every VNIC with its id and MAC, every n-tuple
 * rule at its location, every rate, and the links that were up. Ring
 * and admin queue indices are taken from the window again, so both cases
 * work.
 */
#include <linux/rtnetlink.h>
#include "snic_drv.h"

/* The device must come back as the same card, or we cannot restore. */
static int same_card(struct snic_dev *sdev)
{
	struct snic_caps *old;
	u32 dma_base = sdev->dma_base, dma_size = sdev->dma_size;
	int err;

	old = kmemdup(&sdev->caps, sizeof(*old), GFP_KERNEL);
	if (!old)
		return -ENOMEM;
	err = snic_window_walk(sdev);
	if (!err)
		err = snic_caps_read(sdev);
	if (!err && (memcmp(old, &sdev->caps, sizeof(*old)) || dma_base != sdev->dma_base ||
		     dma_size != sdev->dma_size)) {
		dev_err(sdev->dev, "device came back with different capabilities\n");
		err = -ENODEV;
	}
	kfree(old);
	return err;
}

static void recreate_vnic(struct snic_dev *sdev, struct snic_vnic *vnic)
{
	struct snic_vnic_info info;
	int err;

	err = snic_vnic_create_fw(sdev, vnic->id, vnic->uplink, vnic->sw_only,
				  vnic->ndev->dev_addr, &info);
	if (!err && info.vnic != vnic->id)
		err = -EIO;
	if (err) {
		netdev_err(vnic->ndev, "VNIC %u could not be restored: %d\n", vnic->id, err);
		return;
	}
	/* The device may hand out different rings this time. */
	vnic->rx_ring = info.rx_ring;
	vnic->tx_ring = info.tx_ring;
	snic_rss_restore(vnic);
	if (vnic->tx_max_mbps)
		snic_vnic_set_rate(vnic, vnic->tx_max_mbps);
	snic_l2_restore(vnic);
}

/* rtnl and cfg_lock held. */
static int restore_locked(struct snic_dev *sdev, const char *why)
{
	bool was_up[SNIC_MAX_VNICS_DRV];
	unsigned int i;
	int err;
	u16 r;

	dev_warn(sdev->dev, "%s: restoring VNICs, rules, rates, layer 2 and links\n", why);
	for (i = 0; i < sdev->n_ndevs; i++) {
		struct snic_vnic *vnic = netdev_priv(sdev->ndevs[i]);

		was_up[i] = vnic->up;
		if (vnic->up)
			snic_vnic_halt(vnic, false);
	}
	memset(sdev->port_users, 0, sizeof(sdev->port_users));
	memset(sdev->port_up, 0, sizeof(sdev->port_up));
	for (r = 0; r < sdev->caps.n_tx; r++)
		sdev->tx[r].ready = false;

	err = same_card(sdev);
	if (err) {
		sdev->dead = true;
		return err;
	}
	sdev->reset_count = READ_ONCE(sdev->devid->reset_count);
	snic_rss_init(sdev);

	for (i = 0; i < sdev->n_ndevs; i++)
		recreate_vnic(sdev, netdev_priv(sdev->ndevs[i]));
	snic_ntuple_restore(sdev);
	for (i = 0; i < sdev->n_ndevs; i++) {
		struct snic_vnic *vnic = netdev_priv(sdev->ndevs[i]);

		if (was_up[i] && snic_vnic_start(vnic))
			netdev_err(vnic->ndev, "could not be brought up again\n");
	}
	snic_devlink_restore(sdev);
	sdev->restores++;
	sdev->dead = false;
	dev_info(sdev->dev, "restored after %s\n", why);
	return 0;
}

int snic_restore(struct snic_dev *sdev, const char *why)
{
	int err;

	rtnl_lock();
	mutex_lock(&sdev->cfg_lock);
	/* A reset we asked for (ethtool) is restored already. */
	err = READ_ONCE(sdev->devid->reset_count) == sdev->reset_count ? 0 :
	      restore_locked(sdev, why);
	mutex_unlock(&sdev->cfg_lock);
	rtnl_unlock();
	return err;
}

/*
 * ethtool --reset snicN mgmt-shared: reset the card's firmware state (it is
 * shared by every VNIC, hence the shared flag) and restore ours. Called
 * with rtnl held.
 */
int snic_ethtool_reset(struct net_device *ndev, u32 *flags)
{
	const u32 mgmt_shared = ETH_RESET_MGMT << ETH_RESET_SHARED_SHIFT;
	struct snic_vnic *vnic = netdev_priv(ndev);
	struct snic_dev *sdev = vnic->sdev;
	int err;

	if (!(*flags & mgmt_shared))
		return -EOPNOTSUPP;
	mutex_lock(&sdev->cfg_lock);
	err = snic_admin_exec(sdev, SNIC_CMD_RESET, NULL, 0, NULL, 0);
	if (!err)
		err = restore_locked(sdev, "reset requested");
	mutex_unlock(&sdev->cfg_lock);
	if (!err)
		*flags &= ~mgmt_shared;
	return err;
}
