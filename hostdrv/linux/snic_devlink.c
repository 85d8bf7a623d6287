// SPDX-License-Identifier: GPL-2.0
/*
 * devlink: `devlink dev info` shows the card as its capability copy and
 * firmware block describe it. Fixed: board.id (the hardware profile).
 * Running: fw (firmware version and build), fw.abi (window ABI), and
 * fw.caps, the capability summary also in `ethtool -i`
 * (`<profile> <rx>rx/<tx>tx <uplinks>up <rule slots>cls`) with the
 * generation of the records it was read from. Read at the time of the
 * request, so a restore after a firmware reboot shows the new values.
 */
#include <net/devlink.h>
#include "snic.h"

struct snic_devlink {
	struct snic_dev *sdev;
};

static int snic_devlink_info_get(struct devlink *dl, struct devlink_info_req *req,
				 struct netlink_ext_ack *extack)
{
	struct snic_dev *sdev = ((struct snic_devlink *)devlink_priv(dl))->sdev;
	const struct snic_caps *c = &sdev->caps;
	char buf[64];
	int err;

	err = devlink_info_driver_name_put(req, SNIC_DRV_NAME);
	if (err)
		return err;
	mutex_lock(&sdev->cfg_lock); /* a restore may be re-reading them */
	err = devlink_info_version_fixed_put(req, DEVLINK_INFO_VERSION_GENERIC_BOARD_ID,
					     c->hdr.profile);
	if (!err)
		err = devlink_info_version_running_put(req, DEVLINK_INFO_VERSION_GENERIC_FW,
						       sdev->fw_version);
	if (!err) {
		snprintf(buf, sizeof(buf), "%u.%u", READ_ONCE(sdev->devid->abi_major),
			 READ_ONCE(sdev->devid->abi_minor));
		err = devlink_info_version_running_put(req, "fw.abi", buf);
	}
	if (!err) {
		snprintf(buf, sizeof(buf), "%s %urx/%utx %uup %ucls gen%u", c->hdr.profile,
			 c->n_rx, c->n_tx, c->n_uplinks, c->cls.user_entries, c->generation);
		err = devlink_info_version_running_put(req, "fw.caps", buf);
	}
	mutex_unlock(&sdev->cfg_lock);
	return err;
}

static const struct devlink_ops snic_devlink_ops = {
	.info_get = snic_devlink_info_get,
};

/* After probe succeeded: user space may ask at once. */
int snic_devlink_register(struct snic_dev *sdev)
{
	struct devlink *dl = devlink_alloc(&snic_devlink_ops, sizeof(struct snic_devlink),
					   sdev->dev);

	if (!dl)
		return -ENOMEM;
	((struct snic_devlink *)devlink_priv(dl))->sdev = sdev;
	devlink_register(dl);
	sdev->devlink = dl;
	return 0;
}

void snic_devlink_unregister(struct snic_dev *sdev)
{
	if (!sdev->devlink)
		return;
	devlink_unregister(sdev->devlink);
	devlink_free(sdev->devlink);
	sdev->devlink = NULL;
}
