// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool: -i (driver, firmware, device profile and capability summary),
 * -l/-L (channels: one RX and one TX ring per VNIC), -g (ring sizes),
 * -S (VNIC, ring, uplink, classifier, every named drop-reason counter of
 * the device and the device's per-VNIC counters; --groups eth-mac),
 * link settings from the uplink capability record, and
 * -n/-N through snic_ntuple.c.
 */
#include <linux/ethtool.h>
#include "snic_drv.h"

static void snic_get_drvinfo(struct net_device *ndev, struct ethtool_drvinfo *info)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	struct snic_dev *sdev = vnic->sdev;
	const struct snic_caps *c = &sdev->caps;

	strscpy(info->driver, SNIC_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, SNIC_DRV_VERSION, sizeof(info->version));
	strscpy(info->fw_version, sdev->fw_version, sizeof(info->fw_version));
	strscpy(info->bus_info, pci_name(sdev->pdev), sizeof(info->bus_info));
	/* The capability summary: the one free-form field ethtool -i shows. */
	snprintf(info->erom_version, sizeof(info->erom_version),
		 "%s %urx/%utx %uup %ucls", c->hdr.profile, c->n_rx, c->n_tx,
		 c->n_uplinks, c->cls.user_entries);
}

static int snic_get_link_ksettings(struct net_device *ndev,
				   struct ethtool_link_ksettings *ks)
{
	struct snic_vnic *vnic = netdev_priv(ndev);

	ethtool_link_ksettings_zero_link_mode(ks, supported);
	ethtool_link_ksettings_zero_link_mode(ks, advertising);
	ks->base.speed = netif_carrier_ok(ndev) ?
			 vnic->sdev->caps.uplink[vnic->uplink].speed_mbps : SPEED_UNKNOWN;
	ks->base.duplex = netif_carrier_ok(ndev) ? DUPLEX_FULL : DUPLEX_UNKNOWN;
	ks->base.port = PORT_OTHER;
	ks->base.autoneg = AUTONEG_DISABLE;
	return 0;
}

static void snic_get_ringparam(struct net_device *ndev, struct ethtool_ringparam *rp,
			       struct kernel_ethtool_ringparam *krp,
			       struct netlink_ext_ack *extack)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	struct snic_dev *sdev = vnic->sdev;

	rp->rx_max_pending = sdev->caps.rx[vnic->rx_ring].size;
	rp->tx_max_pending = sdev->caps.tx[vnic->tx_ring].size;
	rp->rx_pending = sdev->rx[vnic->rx_ring].posted;
	rp->tx_pending = sdev->tx[vnic->tx_ring].posted;
}

/*
 * ethtool -G rx N tx M: how many buffers the driver keeps posted (RX) or
 * in flight (TX), 16 up to the buffers the DMA region holds for the ring
 * (its size from the caps when it is large enough). Applied live: the
 * descriptors in flight keep distinct buffers (at most the old count <=
 * depth), and the ring only refills up to the new count. The shared rings
 * serve several VNICs: not changed through one of them.
 */
static int snic_set_ringparam(struct net_device *ndev, struct ethtool_ringparam *rp,
			      struct kernel_ethtool_ringparam *krp,
			      struct netlink_ext_ack *extack)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	struct snic_dev *sdev = vnic->sdev;
	struct snic_rx_ring *r = &sdev->rx[vnic->rx_ring];
	struct snic_tx_ring *t = &sdev->tx[vnic->tx_ring];

	if (rp->rx_pending == r->posted && rp->tx_pending == t->posted)
		return 0;
	if (vnic->rx_ring == SNIC_SHARED_RING || vnic->tx_ring == SNIC_SHARED_RING) {
		NL_SET_ERR_MSG(extack, "this VNIC uses the shared rings: their size is the card's");
		return -EOPNOTSUPP;
	}
	if (rp->rx_pending < 16 || rp->rx_pending > r->depth ||
	    rp->tx_pending < 16 || rp->tx_pending > t->depth) {
		netdev_err(ndev, "ring sizes: rx 16..%u, tx 16..%u (the buffers the DMA region holds)\n",
			   r->depth, t->depth);
		return -EINVAL;
	}
	mutex_lock(&sdev->cfg_lock);
	WRITE_ONCE(r->posted, rp->rx_pending);
	WRITE_ONCE(t->posted, rp->tx_pending);
	mutex_unlock(&sdev->cfg_lock);
	return 0;
}

/*
 * ethtool -c/-C: the device has no interrupt moderation (MSI-X: one
 * interrupt per poll batch of the firmware); without MSI-X the rings are
 * polled every poll_us, a card-wide module parameter. rx-usecs reports
 * that period (0 with MSI-X); changing it is refused.
 */
static int snic_get_coalesce(struct net_device *ndev, struct ethtool_coalesce *ec,
			     struct kernel_ethtool_coalesce *kec,
			     struct netlink_ext_ack *extack)
{
	struct snic_dev *sdev = ((struct snic_vnic *)netdev_priv(ndev))->sdev;

	ec->rx_coalesce_usecs = sdev->msix ? 0 : ktime_to_us(sdev->poll_period);
	return 0;
}

static int snic_set_coalesce(struct net_device *ndev, struct ethtool_coalesce *ec,
			     struct kernel_ethtool_coalesce *kec,
			     struct netlink_ext_ack *extack)
{
	struct ethtool_coalesce cur = {};

	snic_get_coalesce(ndev, &cur, kec, extack);
	if (ec->rx_coalesce_usecs == cur.rx_coalesce_usecs)
		return 0;
	NL_SET_ERR_MSG(extack, "no interrupt moderation: MSI-X interrupts once per device poll batch; the polled period is the poll_us module parameter");
	return -EOPNOTSUPP;
}

/* ---- ethtool -S ---- */

static const char *const vnic_names[] = {
	"rx_packets", "rx_bytes", "rx_dropped_nomem", "tx_packets", "tx_bytes", "tx_errors",
	"rx_mc_fallbacks", "rx_promisc_refused",
};

/* The device's per-VNIC counters (SNIC_BLK_VSTATS), in struct order. */
static const char *const vdev_names[] = {
	"rx_packets", "rx_bytes", "rx_broadcast", "rx_multicast", "rx_drop_ring",
	"rx_drop_meter", "rx_drop_too_long", "tx_packets", "tx_bytes", "tx_drop_spoof",
	"tx_drop_bad", "tx_drop_down",
};

static const char *const rxq_names[] = {
	"hw_packets", "hw_bytes", "hw_drop_full", "hw_drop_badbuf", "sw_packets", "sw_errors",
	"hw_irqs", "sw_irqs",
};

static const char *const txq_names[] = {
	"hw_packets", "hw_bytes", "hw_drop_spoof", "hw_drop_bad", "sw_packets", "sw_busy",
	"sw_kicks",
};

static const char *const port_names[] = {
	"rx_packets", "rx_bytes", "tx_packets", "tx_bytes",
};

static const char *const dev_names[] = {
	"cls_lookups", "cls_hits", "admin_cmds", "admin_errors", "admin_timeouts",
	"admin_lock_takeovers",
};

#define N_VNIC ARRAY_SIZE(vnic_names)
#define N_RXQ  ARRAY_SIZE(rxq_names)
#define N_TXQ  ARRAY_SIZE(txq_names)
#define N_PORT ARRAY_SIZE(port_names)
#define N_DEV  ARRAY_SIZE(dev_names)
#define N_VDEV ARRAY_SIZE(vdev_names)

/* Drop reasons the ABI names; unnamed (reserved) ones are not shown. */
static bool drop_named(unsigned int i)
{
	return strcmp(snic_drop_name(i), "unknown") != 0;
}

static unsigned int n_stats(struct snic_vnic *vnic)
{
	unsigned int i, n = N_VNIC + N_RXQ + N_TXQ + N_PORT + N_DEV;

	for (i = 0; i < SNIC_DROP_REASONS; i++)
		n += drop_named(i);
	return n + N_VDEV + snic_rss_n_stats(vnic);
}

static int snic_get_sset_count(struct net_device *ndev, int sset)
{
	return sset == ETH_SS_STATS ? n_stats(netdev_priv(ndev)) : -EOPNOTSUPP;
}

static void snic_get_strings(struct net_device *ndev, u32 sset, u8 *data)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < N_VNIC; i++)
		ethtool_sprintf(&data, "%s", vnic_names[i]);
	for (i = 0; i < N_RXQ; i++)
		ethtool_sprintf(&data, "rxq%u_%s", vnic->rx_ring, rxq_names[i]);
	for (i = 0; i < N_TXQ; i++)
		ethtool_sprintf(&data, "txq%u_%s", vnic->tx_ring, txq_names[i]);
	for (i = 0; i < N_PORT; i++)
		ethtool_sprintf(&data, "port%u_%s", vnic->uplink, port_names[i]);
	for (i = 0; i < SNIC_DROP_REASONS; i++)
		if (drop_named(i))
			ethtool_sprintf(&data, "drop_%s", snic_drop_name(i));
	for (i = 0; i < N_DEV; i++)
		ethtool_sprintf(&data, "%s", dev_names[i]);
	for (i = 0; i < N_VDEV; i++)
		ethtool_sprintf(&data, "vnic_%s", vdev_names[i]);
	snic_rss_strings(vnic, &data);
}

static u64 rd64(const u64 *p)
{
	return READ_ONCE(*p);
}

static void ring_sw(struct snic_ring_stats *s, u64 *packets, u64 *other, bool tx)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		*packets = s->packets;
		*other = tx ? s->busy : s->errors;
	} while (u64_stats_fetch_retry(&s->syncp, start));
}

static void vdev_stats(struct snic_vnic *vnic, u64 *data)
{
	const struct snic_vnic_stats *v = snic_vstats(vnic->sdev, vnic->id);
	const u64 *c = (const u64 *)v;
	unsigned int i;

	/* Zeros without the block: the count must not change under ethtool. */
	for (i = 0; i < N_VDEV; i++)
		*data++ = v ? rd64(&c[i]) : 0;
}

static void snic_get_ethtool_stats(struct net_device *ndev, struct ethtool_stats *st,
				   u64 *data)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	struct snic_dev *sdev = vnic->sdev;
	struct snic_rxq *rq = sdev->rx[vnic->rx_ring].ctrl;
	struct snic_txq *tq = sdev->tx[vnic->tx_ring].ctrl;
	const struct snic_port_stats *ps = &sdev->stats->port[vnic->uplink];
	struct rtnl_link_stats64 s64 = {};
	unsigned int i;

	ndev->netdev_ops->ndo_get_stats64(ndev, &s64);
	*data++ = s64.rx_packets;
	*data++ = s64.rx_bytes;
	*data++ = s64.rx_dropped;
	*data++ = s64.tx_packets;
	*data++ = s64.tx_bytes;
	*data++ = s64.tx_errors;
	*data++ = vnic->mc_fallbacks;
	*data++ = vnic->promisc_refusals;

	*data++ = rd64(&rq->packets);
	*data++ = rd64(&rq->bytes);
	*data++ = rd64(&rq->drop_full);
	*data++ = rd64(&rq->drop_badbuf);
	ring_sw(&sdev->rx[vnic->rx_ring].stats, &data[0], &data[1], false);
	data += 2;
	*data++ = READ_ONCE(rq->irq_count);        /* interrupts the device raised */
	*data++ = READ_ONCE(sdev->rx[vnic->rx_ring].irqs); /* and the driver took */

	*data++ = rd64(&tq->packets);
	*data++ = rd64(&tq->bytes);
	*data++ = rd64(&tq->drop_spoof);
	*data++ = rd64(&tq->drop_bad);
	ring_sw(&sdev->tx[vnic->tx_ring].stats, &data[0], &data[1], true);
	data += 2;
	*data++ = READ_ONCE(sdev->tx[vnic->tx_ring].kicks); /* doorbells rung */

	*data++ = rd64(&ps->rx_packets);
	*data++ = rd64(&ps->rx_bytes);
	*data++ = rd64(&ps->tx_packets);
	*data++ = rd64(&ps->tx_bytes);

	for (i = 0; i < SNIC_DROP_REASONS; i++)
		if (drop_named(i))
			*data++ = rd64(&sdev->stats->drops[i]);

	*data++ = rd64(&sdev->stats->cls_lookups);
	*data++ = rd64(&sdev->stats->cls_hits);
	*data++ = rd64(&sdev->stats->admin_cmds);
	*data++ = rd64(&sdev->stats->admin_errors);
	*data++ = sdev->admin_timeouts;
	*data++ = sdev->admin_takeovers;
	vdev_stats(vnic, data);
	snic_rss_stats(vnic, data + N_VDEV);
}

/* ethtool -S DEV --groups eth-mac: the IEEE 802.3 counters the device keeps per VNIC. */
static void snic_get_eth_mac_stats(struct net_device *ndev, struct ethtool_eth_mac_stats *m)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	const struct snic_vnic_stats *v = snic_vstats(vnic->sdev, vnic->id);

	if (!v)
		return;
	m->FramesTransmittedOK = rd64(&v->tx_packets);
	m->OctetsTransmittedOK = rd64(&v->tx_bytes);
	m->FramesReceivedOK = rd64(&v->rx_packets);
	m->OctetsReceivedOK = rd64(&v->rx_bytes);
	m->MulticastFramesReceivedOK = rd64(&v->rx_multicast);
	m->BroadcastFramesReceivedOK = rd64(&v->rx_broadcast);
	m->FrameTooLongErrors = rd64(&v->rx_drop_too_long);
}

const struct ethtool_ops snic_ethtool_ops = {
	.get_drvinfo = snic_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_link_ksettings = snic_get_link_ksettings,
	.get_channels = snic_rss_get_channels,
	.set_channels = snic_rss_set_channels,
	.get_rxfh_indir_size = snic_rss_get_rxfh_indir_size,
	.get_rxfh_key_size = snic_rss_get_rxfh_key_size,
	.get_rxfh = snic_rss_get_rxfh,
	.set_rxfh = snic_rss_set_rxfh,
	.get_ringparam = snic_get_ringparam,
	.set_ringparam = snic_set_ringparam,
	.supported_coalesce_params = ETHTOOL_COALESCE_RX_USECS,
	.get_coalesce = snic_get_coalesce,
	.set_coalesce = snic_set_coalesce,
	.get_sset_count = snic_get_sset_count,
	.get_strings = snic_get_strings,
	.get_ethtool_stats = snic_get_ethtool_stats,
	.get_eth_mac_stats = snic_get_eth_mac_stats,
	.get_rxnfc = snic_get_rxnfc,
	.set_rxnfc = snic_set_rxnfc,
	.reset = snic_ethtool_reset,
};
