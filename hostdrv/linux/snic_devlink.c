// SPDX-License-Identifier: GPL-2.0
/*
 * devlink (docs/kmod.md, "devlink").
 *
 * `devlink dev info` shows the card as its capability copy and firmware
 * block describe it. Fixed: board.id (the hardware profile). Running: fw
 * (firmware version and build), fw.abi (window ABI), fw.caps, the
 * capability summary also in `ethtool -i` (`<profile> <rx>rx/<tx>tx
 * <uplinks>up <rule slots>cls`) with the generation of the records it was
 * read from, and fw.slot (the flash slot booted); stored: the firmware the
 * next boot takes. Read at the time of the request, so a restore after a
 * firmware reboot shows the new values.
 *
 * Ports: one per VNIC (flavour pci_vf, vf = the netdev's index on the
 * card, as in `ip link set ... vf N`), linked to its netdev, and one per
 * uplink (flavour physical). Each VNIC port has a rate leaf: tx_share is
 * the VNIC's guaranteed minimum on its uplink (VNIC_SHARE, weight and
 * priority kept as the device has them), tx_max its shaper (METER_SET, as
 * tx_maxrate). Both survive device resets (the restore path puts them
 * back). Flash, reload and health live in snic_flash.c, snic_health.c.
 */
#include <linux/rtnetlink.h>
#include "snic_drv.h"

/* Uplink ports after the VNIC ports: VNIC i is port i. */
#define SNIC_DL_UPLINK_PORT_BASE 1000
#define SNIC_BYTES_PER_MBIT      125000ull
/* A stopped TX queue is a stall (tx_timeout) only after this long: a
 * simulated device the host does not schedule can keep a ring full for
 * seconds (the admin path allows it up to half a lease, 10 s). */
#define SNIC_TX_WATCHDOG_S       15

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
	return err ?: snic_flash_info_put(sdev, req);
}

/* ---- rate leaves ---- */

static struct snic_vnic *port_vnic(struct snic_dl_port *p)
{
	return netdev_priv(p->sdev->ndevs[p->index]);
}

/* What the VNIC's uplink can carry, bytes/s (0: unknown, no limit). */
static u64 uplink_bytes(struct snic_dev *sdev, u8 uplink)
{
	return uplink < sdev->caps.n_uplinks ?
	       (u64)sdev->caps.uplink[uplink].speed_mbps * SNIC_BYTES_PER_MBIT : 0;
}

static int send_share(struct snic_vnic *vnic, u16 weight, u8 prio, u64 min_bps)
{
	struct snic_vnic_share sh = {
		.vnic = vnic->id, .weight = weight, .prio = prio, .min_bps = min_bps,
	};

	return snic_admin_exec(vnic->sdev, SNIC_CMD_VNIC_SHARE, &sh, sizeof(sh), NULL, 0);
}

/* Guaranteed shares of the other VNICs on the same uplink; cfg_lock held. */
static u64 others_share(struct snic_devlink *sd, struct snic_dl_port *me, u8 uplink)
{
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < sd->n_vports; i++)
		if (&sd->vports[i] != me && port_vnic(&sd->vports[i])->uplink == uplink)
			sum += sd->vports[i].tx_share;
	return sum;
}

static int share_set_locked(struct snic_dl_port *p, u64 tx_share, struct netlink_ext_ack *extack)
{
	struct snic_devlink *sd = snic_dl(p->sdev);
	struct snic_vnic *vnic = port_vnic(p);
	u64 cap = uplink_bytes(p->sdev, vnic->uplink);
	struct snic_vnic_ref ref = { .vnic = vnic->id };
	struct snic_vnic_share_info info;
	u16 weight;
	int err;

	if (cap && tx_share + others_share(sd, p, vnic->uplink) > cap) {
		NL_SET_ERR_MSG_MOD(extack, "the guaranteed shares (tx_share) on this VNIC's uplink would exceed its capacity");
		return -ERANGE;
	}
	err = snic_admin_exec(p->sdev, SNIC_CMD_VNIC_SHARE_QUERY, &ref, sizeof(ref), &info,
			      sizeof(info));
	if (err) {
		if (err == -EOPNOTSUPP)
			NL_SET_ERR_MSG_MOD(extack, "the device has no bandwidth shares (VNIC_SHARE)");
		else
			NL_SET_ERR_MSG_MOD(extack, "VNIC_SHARE_QUERY failed (see the kernel log)");
		return err;
	}
	/* No minimum and the defaults otherwise: drop the share altogether. */
	weight = info.weight;
	if (!tx_share && weight == SNIC_SHARE_DEFAULT_WEIGHT && !info.prio)
		weight = 0;
	err = send_share(vnic, weight, info.prio, tx_share * 8);
	if (err) {
		netdev_err(vnic->ndev, "tx_share %llu B/s: VNIC_SHARE refused: %d\n", tx_share, err);
		if (err == -ERANGE)
			NL_SET_ERR_MSG_MOD(extack, "tx_share is outside the device's rate range (METERS capability)");
		else
			NL_SET_ERR_MSG_MOD(extack, "the device refused the share (VNIC_SHARE)");
		return err;
	}
	p->tx_share = tx_share;
	p->share_weight = weight;
	p->share_prio = info.prio;
	return 0;
}

static int snic_rate_tx_share_set(struct devlink_rate *rate, void *priv, u64 tx_share,
				  struct netlink_ext_ack *extack)
{
	struct snic_dl_port *p = priv;
	int err;

	mutex_lock(&p->sdev->cfg_lock);
	if (p->tx_max && tx_share > p->tx_max) {
		NL_SET_ERR_MSG_MOD(extack, "tx_share above the port's tx_max");
		err = -EINVAL;
	} else {
		err = share_set_locked(p, tx_share, extack);
	}
	mutex_unlock(&p->sdev->cfg_lock);
	return err;
}

/* tx_max: the VNIC's shaper in whole Mbit/s (what tx_maxrate holds too). */
static int snic_rate_tx_max_set(struct devlink_rate *rate, void *priv, u64 tx_max,
				struct netlink_ext_ack *extack)
{
	struct snic_dl_port *p = priv;
	struct snic_vnic *vnic;
	u64 cap;
	int err;

	if (tx_max % SNIC_BYTES_PER_MBIT) {
		NL_SET_ERR_MSG_MOD(extack, "tx_max must be a whole number of Mbit/s (e.g. 100mbit)");
		return -EINVAL;
	}
	mutex_lock(&p->sdev->cfg_lock);
	vnic = port_vnic(p);
	cap = uplink_bytes(p->sdev, vnic->uplink);
	if ((cap && tx_max > cap) || tx_max / SNIC_BYTES_PER_MBIT > U32_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "tx_max is above the capacity of the VNIC's uplink");
		err = -ERANGE;
	} else if (tx_max && tx_max < p->tx_share) {
		NL_SET_ERR_MSG_MOD(extack, "tx_max below the port's tx_share");
		err = -EINVAL;
	} else {
		err = snic_vnic_set_rate(vnic, (u32)(tx_max / SNIC_BYTES_PER_MBIT));
		if (err)
			NL_SET_ERR_MSG_MOD(extack, "the device refused the shaper (METER_SET); see the kernel log");
	}
	if (!err) {
		p->tx_max = tx_max;
		netdev_get_tx_queue(vnic->ndev, 0)->tx_maxrate = tx_max / SNIC_BYTES_PER_MBIT;
	}
	mutex_unlock(&p->sdev->cfg_lock);
	return err;
}

/*
 * After a device reset (rtnl and cfg_lock held, from the restore path):
 * the shaper came back with tx_maxrate; put the shares back too.
 */
void snic_devlink_restore(struct snic_dev *sdev)
{
	struct snic_devlink *sd = snic_dl(sdev);
	unsigned int i;

	if (!sd)
		return;
	for (i = 0; i < sd->n_vports; i++) {
		struct snic_dl_port *p = &sd->vports[i];

		if (p->tx_share && send_share(port_vnic(p), p->share_weight, p->share_prio,
					      p->tx_share * 8))
			netdev_err(port_vnic(p)->ndev, "tx_share could not be restored\n");
	}
	snic_health_fw_ok(sdev);
}

/* ---- reload ---- */

static int snic_reload_down(struct devlink *dl, bool netns_change,
			    enum devlink_reload_action action, enum devlink_reload_limit limit,
			    struct netlink_ext_ack *extack)
{
	struct snic_devlink *sd = devlink_priv(dl);
	int err;

	if (netns_change) {
		NL_SET_ERR_MSG_MOD(extack, "moving the card to another network namespace is not supported");
		return -EOPNOTSUPP;
	}
	if (action == DEVLINK_RELOAD_ACTION_FW_ACTIVATE)
		return snic_fw_activate_down(sd->sdev, extack);
	/* driver_reinit: the device forgets everything, the driver puts
	 * back its own copy in reload_up (the restore path). */
	WRITE_ONCE(sd->expect_reset, true);
	err = snic_admin_exec(sd->sdev, SNIC_CMD_RESET, NULL, 0, NULL, 0);
	if (err) {
		WRITE_ONCE(sd->expect_reset, false);
		NL_SET_ERR_MSG_MOD(extack, "the device refused RESET; nothing was changed");
	}
	return err;
}

static int snic_reload_up(struct devlink *dl, enum devlink_reload_action action,
			  enum devlink_reload_limit limit, u32 *actions_performed,
			  struct netlink_ext_ack *extack)
{
	struct snic_devlink *sd = devlink_priv(dl);
	int err;

	*actions_performed = BIT(DEVLINK_RELOAD_ACTION_DRIVER_REINIT);
	if (action == DEVLINK_RELOAD_ACTION_FW_ACTIVATE) {
		*actions_performed |= BIT(DEVLINK_RELOAD_ACTION_FW_ACTIVATE);
		return snic_fw_activate_up(sd->sdev, extack);
	}
	err = snic_restore(sd->sdev, "devlink reload");
	WRITE_ONCE(sd->expect_reset, false);
	if (err)
		NL_SET_ERR_MSG_MOD(extack, "the driver could not restore its VNICs (see the kernel log)");
	return err;
}

static const struct devlink_ops snic_devlink_ops = {
	.info_get = snic_devlink_info_get,
	.flash_update = snic_flash_update,
	.reload_actions = BIT(DEVLINK_RELOAD_ACTION_DRIVER_REINIT) |
			  BIT(DEVLINK_RELOAD_ACTION_FW_ACTIVATE),
	.reload_down = snic_reload_down,
	.reload_up = snic_reload_up,
	.rate_leaf_tx_share_set = snic_rate_tx_share_set,
	.rate_leaf_tx_max_set = snic_rate_tx_max_set,
};

/* ---- ports ---- */

static int ports_register(struct snic_dev *sdev, struct snic_devlink *sd)
{
	struct devlink_port_attrs attrs = { .flavour = DEVLINK_PORT_FLAVOUR_PHYSICAL };
	unsigned int i;
	int err;

	sd->vports = kcalloc(sdev->n_ndevs, sizeof(*sd->vports), GFP_KERNEL);
	if (!sd->vports)
		return -ENOMEM;
	sd->n_vports = sdev->n_ndevs;
	for (i = 0; i < sd->n_vports; i++) {
		struct snic_dl_port *p = &sd->vports[i];

		p->sdev = sdev;
		p->index = i;
		devlink_port_attrs_pci_vf_set(&p->dl, 0, 0, i, false);
		err = devlink_port_register(sdev->devlink, &p->dl, i);
		if (err)
			return err;
		p->registered = true;
		devlink_port_type_eth_set(&p->dl, sdev->ndevs[i]);
		sdev->ndevs[i]->watchdog_timeo = SNIC_TX_WATCHDOG_S * HZ;
	}
	for (i = 0; i < sdev->caps.n_uplinks && i < SNIC_MAX_UPLINKS; i++) {
		attrs.phys.port_number = i;
		devlink_port_attrs_set(&sd->uplinks[i], &attrs);
		err = devlink_port_register(sdev->devlink, &sd->uplinks[i],
					    SNIC_DL_UPLINK_PORT_BASE + i);
		if (err)
			return err;
		sd->n_uplinks = i + 1;
	}
	return 0;
}

static void rates_create(struct snic_devlink *sd)
{
	unsigned int i;

	devl_lock(sd->sdev->devlink);
	for (i = 0; i < sd->n_vports; i++)
		sd->vports[i].rate_leaf = !devl_rate_leaf_create(&sd->vports[i].dl, &sd->vports[i]);
	devl_unlock(sd->sdev->devlink);
}

static void ports_unregister(struct snic_devlink *sd)
{
	unsigned int i;

	devl_lock(sd->sdev->devlink);
	for (i = 0; i < sd->n_vports; i++)
		if (sd->vports[i].rate_leaf)
			devl_rate_leaf_destroy(&sd->vports[i].dl);
	devl_unlock(sd->sdev->devlink);
	for (i = 0; i < sd->n_vports; i++) {
		if (!sd->vports[i].registered)
			continue;
		devlink_port_type_clear(&sd->vports[i].dl);
		devlink_port_unregister(&sd->vports[i].dl);
		sd->vports[i].registered = false;
	}
	for (i = 0; i < sd->n_uplinks; i++)
		devlink_port_unregister(&sd->uplinks[i]);
	sd->n_uplinks = 0;
}

/* ---- lifetime ---- */

/* After the VNICs exist: user space may ask at once. */
int snic_devlink_register(struct snic_dev *sdev)
{
	struct devlink *dl = devlink_alloc(&snic_devlink_ops, sizeof(struct snic_devlink),
					   sdev->dev);
	struct snic_devlink *sd;
	int err;

	if (!dl)
		return -ENOMEM;
	sd = devlink_priv(dl);
	sd->sdev = sdev;
	snic_health_init(sd);
	sdev->devlink = dl;
	devlink_set_features(dl, DEVLINK_F_RELOAD);
	err = ports_register(sdev, sd);
	if (err) {
		dev_warn(sdev->dev, "devlink: ports could not be registered: %d\n", err);
		ports_unregister(sd);
		kfree(sd->vports);
		sdev->devlink = NULL;
		devlink_free(dl);
		return err;
	}
	if (snic_health_create(sdev))
		dev_warn(sdev->dev, "devlink: not every health reporter could be created\n");
	devlink_register(dl);
	rates_create(sd);
	return 0;
}

/*
 * Before the netdevs go (ports point at them) and after the watchdog
 * stopped (it reports fw_fatal). The instance itself stays until
 * snic_devlink_free: the netdevs' TX timeouts and admin timeouts during
 * their removal still find it.
 */
void snic_devlink_unregister(struct snic_dev *sdev)
{
	struct snic_devlink *sd = snic_dl(sdev);

	if (!sd)
		return;
	devlink_unregister(sdev->devlink);
	snic_health_destroy(sdev);
	ports_unregister(sd);
}

/* After the netdevs are gone. */
void snic_devlink_free(struct snic_dev *sdev)
{
	struct snic_devlink *sd = snic_dl(sdev);
	struct devlink *dl = sdev->devlink;

	if (!sd)
		return;
	cancel_work_sync(&sd->tx_work);
	cancel_work_sync(&sd->admin_work);
	sdev->devlink = NULL;
	kfree(sd->vports);
	devlink_free(dl);
}
