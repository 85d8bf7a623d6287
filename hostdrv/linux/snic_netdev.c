// SPDX-License-Identifier: GPL-2.0
/*
 * One net_device per VNIC. Probe creates the VNICs in the firmware
 * (VNIC_CREATE) and registers their netdevs; open starts the VNIC's rings
 * and brings its uplink administratively up (PORT_SET, counted per
 * uplink); the carrier follows that port state and the device's health.
 * Per-VNIC rate limits use the standard per-queue tx_maxrate or the VF
 * rate of `ip link set ... vf N max_tx_rate`, both mapped to the device
 * shaper with the VNIC's id (METER_SET).
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include "snic_drv.h"

/*
 * Stable across unbind/bind and reboots: the card's base MAC (uplink 0's,
 * from the capability records) made locally administered and unicast,
 * plus 0x800000 + index in its low 24 bits, so VNIC MACs never collide
 * with the uplinks' own (base + uplink). docs/kmod.md has the formula.
 */
static void vnic_mac(struct snic_dev *sdev, unsigned int index, u8 *mac)
{
	const u8 *base = sdev->caps.uplink[0].mac;
	u32 low = (base[3] << 16 | base[4] << 8 | base[5]) + 0x800000 + index;

	mac[0] = (base[0] | 0x02) & ~0x01;
	mac[1] = base[1];
	mac[2] = base[2];
	mac[3] = (low >> 16) & 0xff;
	mac[4] = (low >> 8) & 0xff;
	mac[5] = low & 0xff;
}

static int port_get(struct snic_dev *sdev, u8 port)
{
	int err;

	if (sdev->port_users[port]++)
		return 0;
	err = snic_port_set(sdev, port, true);
	if (err) {
		sdev->port_users[port]--;
		return err;
	}
	sdev->port_up[port] = true;
	return 0;
}

static void port_put(struct snic_dev *sdev, u8 port)
{
	if (WARN_ON(!sdev->port_users[port]) || --sdev->port_users[port])
		return;
	sdev->port_up[port] = false;
	snic_port_set(sdev, port, false);
}

static void rx_stop(struct snic_vnic *vnic)
{
	struct snic_dev *sdev = vnic->sdev;
	unsigned int q;

	if (vnic->rx_ring == SNIC_SHARED_RING) {
		if (!--sdev->shared_users)
			snic_rx_ring_stop(&sdev->rx[SNIC_SHARED_RING]);
		return;
	}
	for (q = 0; q < vnic->n_queues; q++)
		snic_rx_ring_stop(&sdev->rx[snic_rss_rx_ring(vnic, q)]);
}

/* Every RX queue's ring with its NAPI (one for a software-ring VNIC). */
static int rx_start(struct snic_vnic *vnic)
{
	struct snic_dev *sdev = vnic->sdev;
	unsigned int q;
	int err = 0;

	if (vnic->rx_ring == SNIC_SHARED_RING) {
		sdev->rx[SNIC_SHARED_RING].queue = 0;
		if (sdev->shared_users++)
			return 0;
		return snic_rx_ring_start(&sdev->rx[SNIC_SHARED_RING], &sdev->napi_dev);
	}
	for (q = 0; q < vnic->n_queues && !err; q++) {
		struct snic_rx_ring *r = &sdev->rx[snic_rss_rx_ring(vnic, q)];

		r->queue = q;
		err = snic_rx_ring_start(r, vnic->ndev);
	}
	if (err)
		rx_stop(vnic); /* stopping a ring that never started is a no-op */
	return err;
}

/* Carrier: uplink administratively up and the device running. */
void snic_vnic_carrier(struct snic_vnic *vnic)
{
	struct snic_dev *sdev = vnic->sdev;
	bool on = vnic->up && sdev->port_up[vnic->uplink] && !sdev->dead &&
		  snic_device_running(sdev);

	if (on && !netif_carrier_ok(vnic->ndev))
		netif_carrier_on(vnic->ndev);
	else if (!on && netif_carrier_ok(vnic->ndev))
		netif_carrier_off(vnic->ndev);
}

void snic_vnics_carrier(struct snic_dev *sdev)
{
	unsigned int i;

	for (i = 0; i < sdev->n_ndevs; i++)
		snic_vnic_carrier(netdev_priv(sdev->ndevs[i]));
}

/* Starts rings and the uplink of a VNIC; cfg_lock held. */
int snic_vnic_start(struct snic_vnic *vnic)
{
	struct snic_dev *sdev = vnic->sdev;
	unsigned int q;
	int err = 0;

	for (q = 0; q < vnic->n_queues && !err; q++)
		err = snic_tx_ring_start(&sdev->tx[snic_rss_tx_ring(vnic, q)]);
	if (!err)
		err = rx_start(vnic);
	if (err)
		return err;
	/* Up before the port: the first frames arrive as soon as it is. */
	WRITE_ONCE(vnic->up, true);
	err = port_get(sdev, vnic->uplink);
	if (err) {
		WRITE_ONCE(vnic->up, false);
		rx_stop(vnic);
		return err;
	}
	snic_vnic_carrier(vnic);
	netif_tx_wake_all_queues(vnic->ndev);
	return 0;
}

/*
 * Stops a VNIC's queue and rings; cfg_lock held. With tell_device false the
 * uplink is only forgotten, not brought down (the device lost it already).
 */
void snic_vnic_halt(struct snic_vnic *vnic, bool tell_device)
{
	struct snic_dev *sdev = vnic->sdev;

	if (!vnic->up)
		return; /* a failed restore or start left it stopped already */
	netif_tx_disable(vnic->ndev);
	WRITE_ONCE(vnic->up, false);
	snic_vnic_carrier(vnic);
	if (tell_device)
		port_put(sdev, vnic->uplink);
	rx_stop(vnic);
}

static int snic_open(struct net_device *ndev)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	int err;

	mutex_lock(&vnic->sdev->cfg_lock);
	err = snic_vnic_start(vnic);
	mutex_unlock(&vnic->sdev->cfg_lock);
	return err;
}

static int snic_stop(struct net_device *ndev)
{
	struct snic_vnic *vnic = netdev_priv(ndev);

	mutex_lock(&vnic->sdev->cfg_lock);
	snic_vnic_halt(vnic, true);
	mutex_unlock(&vnic->sdev->cfg_lock);
	return 0;
}

static void snic_get_stats64(struct net_device *ndev, struct rtnl_link_stats64 *s)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&vnic->rx_stats.syncp);
		s->rx_packets = vnic->rx_stats.packets;
		s->rx_bytes = vnic->rx_stats.bytes;
	} while (u64_stats_fetch_retry(&vnic->rx_stats.syncp, start));
	do {
		start = u64_stats_fetch_begin(&vnic->tx_stats.syncp);
		s->tx_packets = vnic->tx_stats.packets;
		s->tx_bytes = vnic->tx_stats.bytes;
		s->tx_errors = vnic->tx_stats.errors;
	} while (u64_stats_fetch_retry(&vnic->tx_stats.syncp, start));
	s->rx_dropped = vnic->rx_dropped;
	snic_l2_stats64(vnic, s);
}

/*
 * A VNIC's rate (Mbit/s, 0 = unlimited) -> its shaper, meter <vnic id>
 * (METER_SET mode SHAPER; cir 0 removes it). The device's answer is passed
 * on as it is. Also used to restore rates after a device reset.
 */
int snic_vnic_set_rate(struct snic_vnic *vnic, u32 mbps)
{
	struct snic_meter_set m = {
		.meter = vnic->id,
		.mode = SNIC_METER_SHAPER,
		.cir_bps = (u64)mbps * 1000000,
	};
	int err;

	/* 10 ms worth of bytes, at least two full frames. */
	if (mbps)
		m.cbs = (u32)min_t(u64, max_t(u64, m.cir_bps / 8 / 100, 2 * 2048), U32_MAX);
	err = snic_admin_exec(vnic->sdev, SNIC_CMD_METER_SET, &m, sizeof(m), NULL, 0);
	if (err) {
		netdev_err(vnic->ndev, "rate %u Mbit/s: device refused METER_SET for meter %u (%d%s)\n",
			   mbps, vnic->id, err,
			   err == -EOPNOTSUPP ? ": not supported by this device/firmware" : "");
		return err;
	}
	vnic->tx_max_mbps = mbps;
	return 0;
}

/* tx_maxrate of the VNIC's one queue: the standard per-queue rate knob. */
static int snic_set_tx_maxrate(struct net_device *ndev, int queue, u32 mbps)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	int err;

	if (queue)
		return -EINVAL;
	err = snic_check_rate(vnic, ndev, mbps);
	if (err)
		return err;
	mutex_lock(&vnic->sdev->cfg_lock);
	err = snic_vnic_set_rate(vnic, mbps);
	mutex_unlock(&vnic->sdev->cfg_lock);
	return err;
}

/*
 * ntuple off would leave this VNIC's rules in the device, working but no
 * longer visible through the netdev: refused while it has any (as ice).
 */
static int snic_set_features(struct net_device *ndev, netdev_features_t features)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	unsigned int n;

	if ((features & NETIF_F_NTUPLE) || !(ndev->features & NETIF_F_NTUPLE))
		return 0;
	mutex_lock(&vnic->sdev->cfg_lock);
	n = snic_ntuple_count(vnic->sdev, vnic->id);
	mutex_unlock(&vnic->sdev->cfg_lock);
	if (n) {
		netdev_err(ndev, "ntuple off refused: %u n-tuple rules present, delete them first (ethtool -N %s delete N)\n",
			   n, ndev->name);
		/* Final: the next `ntuple off` is a new request, not a no-op. */
		ndev->wanted_features |= NETIF_F_NTUPLE;
		return -EBUSY;
	}
	return 0;
}

static const struct net_device_ops snic_netdev_ops = {
	.ndo_open = snic_open,
	.ndo_stop = snic_stop,
	.ndo_start_xmit = snic_xmit,
	.ndo_get_stats64 = snic_get_stats64,
	.ndo_set_tx_maxrate = snic_set_tx_maxrate,
	.ndo_set_vf_rate = snic_set_vf_rate,
	.ndo_set_vf_mac = snic_set_vf_mac,
	.ndo_set_vf_trust = snic_set_vf_trust,
	.ndo_set_vf_spoofchk = snic_set_vf_spoofchk,
	.ndo_set_vf_vlan = snic_set_vf_vlan,
	.ndo_get_vf_config = snic_get_vf_config,
	.ndo_set_rx_mode = snic_set_rx_mode,
	.ndo_vlan_rx_add_vid = snic_vlan_add,
	.ndo_vlan_rx_kill_vid = snic_vlan_kill,
	.ndo_set_mac_address = snic_set_mac,
	.ndo_set_features = snic_set_features,
	.ndo_tx_timeout = snic_tx_timeout,
	.ndo_validate_addr = eth_validate_addr,
};

int snic_vnic_create_fw(struct snic_dev *sdev, u16 want, u8 uplink, bool sw_only,
			const u8 *mac, struct snic_vnic_info *info)
{
	struct snic_vnic_create c = {
		.vnic = want,
		.vlan = SNIC_VLAN_NONE,
		.uplink = uplink,
		.flags = sw_only ? SNIC_VNICF_SW_ONLY : 0,
	};
	int err;

	memcpy(c.mac, mac, ETH_ALEN);
	err = snic_admin_exec(sdev, SNIC_CMD_VNIC_CREATE, &c, sizeof(c), info, sizeof(*info));
	if (err) {
		dev_err(sdev->dev, "VNIC %pM: VNIC_CREATE failed: %d\n", mac, err);
		return err;
	}
	if (info->vnic >= SNIC_MAX_VNICS_DRV || info->rx_ring >= sdev->caps.n_rx ||
	    info->tx_ring >= sdev->caps.n_tx) {
		dev_err(sdev->dev, "VNIC_CREATE answered vnic %u, rings %u/%u: out of range\n",
			info->vnic, info->rx_ring, info->tx_ring);
		return -EIO;
	}
	return 0;
}

void snic_vnic_destroy_fw(struct snic_dev *sdev, u16 id)
{
	struct snic_vnic_ref ref = { .vnic = id };
	int err = snic_admin_exec(sdev, SNIC_CMD_VNIC_DESTROY, &ref, sizeof(ref), NULL, 0);

	if (err)
		dev_warn(sdev->dev, "VNIC %u: VNIC_DESTROY failed: %d\n", id, err);
}

int snic_vnic_add(struct snic_dev *sdev, unsigned int index, bool sw_only)
{
	struct snic_vnic_info info;
	struct net_device *ndev;
	struct snic_vnic *vnic;
	u8 mac[ETH_ALEN];
	u32 frame;
	int err;

	if (sdev->n_ndevs >= SNIC_MAX_VNICS_DRV)
		return -ENOSPC;
	/* Room for an RSS queue set (ethtool -L); one queue until asked. */
	ndev = alloc_etherdev_mqs(sizeof(*vnic), snic_rss_max_queues(sdev),
				  snic_rss_max_queues(sdev));
	if (!ndev)
		return -ENOMEM;
	netif_set_real_num_tx_queues(ndev, 1);
	netif_set_real_num_rx_queues(ndev, 1);
	strscpy(ndev->name, "snic%d", IFNAMSIZ);
	SET_NETDEV_DEV(ndev, sdev->dev);
	vnic = netdev_priv(ndev);
	vnic->sdev = sdev;
	vnic->ndev = ndev;
	vnic->n_queues = 1;
	u64_stats_init(&vnic->rx_stats.syncp);
	u64_stats_init(&vnic->tx_stats.syncp);
	snic_l2_init(vnic);

	vnic->index = index;
	vnic_mac(sdev, index, mac);
	vnic->uplink = (u8)(index % sdev->caps.n_uplinks);
	vnic->sw_only = sw_only;
	err = snic_vnic_create_fw(sdev, SNIC_ID_ANY, vnic->uplink, sw_only, mac, &info);
	if (err)
		goto err_free;
	vnic->id = info.vnic;
	vnic->rx_ring = info.rx_ring;
	vnic->tx_ring = info.tx_ring;

	eth_hw_addr_set(ndev, mac);
	ndev->netdev_ops = &snic_netdev_ops;
	ndev->ethtool_ops = &snic_ethtool_ops;
	ndev->hw_features = NETIF_F_NTUPLE;
	ndev->features = NETIF_F_NTUPLE;
	if (snic_l2_has(sdev, SNIC_L2CAP_VLANS))
		ndev->features |= NETIF_F_HW_VLAN_CTAG_FILTER;
	if (snic_rss_has(sdev)) { /* the completion carries the Toeplitz hash */
		ndev->hw_features |= NETIF_F_RXHASH;
		ndev->features |= NETIF_F_RXHASH;
	}
	/* The device changes the MAC's classifier entry at once. */
	ndev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	frame = min(sdev->caps.rx[vnic->rx_ring].buf_max, sdev->caps.tx[vnic->tx_ring].buf_max);
	ndev->min_mtu = ETH_MIN_MTU;
	ndev->max_mtu = frame - ETH_HLEN - VLAN_HLEN;
	ndev->mtu = min_t(unsigned int, ETH_DATA_LEN, ndev->max_mtu);
	netif_carrier_off(ndev);

	WRITE_ONCE(sdev->vnic_by_id[vnic->id], vnic);
	err = register_netdev(ndev);
	if (err)
		goto err_fw;
	mutex_lock(&sdev->cfg_lock);
	sdev->ndevs[sdev->n_ndevs++] = ndev;
	mutex_unlock(&sdev->cfg_lock);
	netdev_info(ndev, "VNIC %u on uplink %u, RX ring %u%s, TX ring %u%s\n", vnic->id,
		    vnic->uplink, vnic->rx_ring,
		    vnic->rx_ring == SNIC_SHARED_RING ? " (shared)" : "", vnic->tx_ring,
		    vnic->tx_ring == SNIC_SHARED_RING ? " (shared)" : "");
	return 0;

err_fw:
	WRITE_ONCE(sdev->vnic_by_id[vnic->id], NULL);
	snic_vnic_destroy_fw(sdev, vnic->id);
err_free:
	free_netdev(ndev);
	return err;
}

void snic_vnics_remove(struct snic_dev *sdev)
{
	while (sdev->n_ndevs) {
		struct net_device *ndev = sdev->ndevs[sdev->n_ndevs - 1];
		struct snic_vnic *vnic = netdev_priv(ndev);

		unregister_netdev(ndev); /* closes it: rings stop, port goes down */
		/* Under cfg_lock: another netdev's VF calls look it up there. */
		mutex_lock(&sdev->cfg_lock);
		WRITE_ONCE(sdev->ndevs[--sdev->n_ndevs], NULL);
		WRITE_ONCE(sdev->vnic_by_id[vnic->id], NULL);
		snic_ntuple_del_vnic(sdev, vnic->id);
		mutex_unlock(&sdev->cfg_lock);
		synchronize_net();
		cancel_work_sync(&vnic->rx_mode_work);
		if (!sdev->dead)
			snic_vnic_destroy_fw(sdev, vnic->id);
		free_netdev(ndev);
	}
}
