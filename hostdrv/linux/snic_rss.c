// SPDX-License-Identifier: GPL-2.0
/*
 * Receive-side scaling (include/snic/rss.h): a VNIC netdev with several
 * queues. Queue 0 is the VNIC's own HRR/TRR; `ethtool -L combined N` asks
 * the device for a queue set of N (RSS_QUEUES), each queue an HRR with its
 * NAPI and a TRR the stack picks for TX. The device spreads received
 * frames by their Toeplitz hash through the VNIC's indirection table
 * (`ethtool -x/-X`) and reports the hash in the completion, which becomes
 * the skb hash. The key and the hashed fields (`ethtool -n/-N
 * rx-flow-hash`) are one card-wide setting: the driver sets them at probe
 * through the card-wide handle; a VNIC may change them only when the
 * operator trusts it (`ip link set PF vf N trust on`).
 */
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include "snic_drv.h"

bool snic_rss_has(struct snic_dev *sdev)
{
	return sdev->caps.rss.max_queues > 1 && sdev->caps.rss.indir_entries;
}

unsigned int snic_rss_max_queues(struct snic_dev *sdev)
{
	return snic_rss_has(sdev) ? min_t(unsigned int, sdev->caps.rss.max_queues,
					  SNIC_RSS_MAX_QUEUES) : 1;
}

static u32 indir_size(struct snic_dev *sdev)
{
	return min_t(u32, sdev->caps.rss.indir_entries, SNIC_RSS_INDIR_MAX);
}

/* RSS_SET for `vnic` (SNIC_VNIC_NONE: the card-wide handle). */
static int rss_set_fw(struct snic_dev *sdev, u16 vnic, u16 flags, const u8 *key, u8 types)
{
	struct snic_rss_set s = { .vnic = vnic, .flags = flags, .types = types };

	if (key)
		memcpy(s.key, key, SNIC_RSS_KEY_BYTES);
	return snic_admin_exec(sdev, SNIC_CMD_RSS_SET, &s, sizeof(s), NULL, 0);
}

/*
 * Probe and restore: the card's key (random, kept for restore) and the
 * hashed fields: TCP and UDP by their 4-tuple, other IP by addresses.
 */
int snic_rss_init(struct snic_dev *sdev)
{
	int err;

	if (!snic_rss_has(sdev))
		return 0;
	if (!sdev->rss_types) {
		netdev_rss_key_fill(sdev->rss_key, sizeof(sdev->rss_key));
		sdev->rss_types = SNIC_RSS_HT_ALL & sdev->caps.rss.types;
	}
	err = rss_set_fw(sdev, SNIC_VNIC_NONE, SNIC_RSS_SET_KEY | SNIC_RSS_SET_TYPES,
			 sdev->rss_key, sdev->rss_types);
	if (err)
		dev_warn(sdev->dev, "RSS: the device refused the hash key/types: %d\n", err);
	return err;
}

u16 snic_rss_rx_ring(const struct snic_vnic *vnic, unsigned int q)
{
	return q ? vnic->rss_rx[q] : vnic->rx_ring;
}

u16 snic_rss_tx_ring(const struct snic_vnic *vnic, unsigned int q)
{
	return q ? vnic->rss_tx[q] : vnic->tx_ring;
}

/* The table for n queues: the user's (ethtool -X) if it still fits. */
static void fill_indir(struct snic_vnic *vnic, unsigned int n, u8 *indir)
{
	u32 i, size = indir_size(vnic->sdev);
	bool keep = vnic->indir_user;

	for (i = 0; i < size && keep; i++)
		keep = vnic->indir[i] < n;
	for (i = 0; i < size; i++)
		indir[i] = keep ? vnic->indir[i] : ethtool_rxfh_indir_default(i, n);
}

/*
 * RSS_QUEUES: n queues with table `indir` (indir_size entries). `same`
 * names the current extra rings (a table change must not move them);
 * otherwise any free ones. cfg_lock held.
 */
static int queues_fw(struct snic_vnic *vnic, unsigned int n, const u8 *indir, bool same)
{
	struct snic_dev *sdev = vnic->sdev;
	struct snic_rss_queues c = { .vnic = vnic->id, .n_queues = n };
	struct snic_rss_queues_info qi;
	unsigned int q;
	int err;

	c.indir_size = n > 1 ? indir_size(sdev) : 1;
	for (q = 0; q < SNIC_RSS_MAX_QUEUES; q++) {
		c.rx_ring[q] = same && q && q < n ? vnic->rss_rx[q] : SNIC_RSS_RING_ANY;
		c.tx_ring[q] = same && q && q < n ? vnic->rss_tx[q] : SNIC_RSS_RING_ANY;
	}
	if (n > 1)
		memcpy(c.indir, indir, c.indir_size);
	err = snic_admin_exec(sdev, SNIC_CMD_RSS_QUEUES, &c, sizeof(c), &qi, sizeof(qi));
	if (err)
		return err;
	if (qi.n_queues != n)
		return -EIO;
	for (q = 1; q < n; q++) {
		if (qi.rx_ring[q] >= sdev->caps.n_rx || qi.tx_ring[q] >= sdev->caps.n_tx ||
		    qi.rx_ring[q] == SNIC_SHARED_RING || qi.tx_ring[q] == SNIC_SHARED_RING)
			return -EIO;
		vnic->rss_rx[q] = qi.rx_ring[q];
		vnic->rss_tx[q] = qi.tx_ring[q];
	}
	vnic->n_queues = n;
	return 0;
}

/* After a device reset: the same number of queues again (rtnl, cfg_lock). */
void snic_rss_restore(struct snic_vnic *vnic)
{
	u8 indir[SNIC_RSS_INDIR_MAX];
	unsigned int n = vnic->n_queues;
	int err;

	if (n <= 1)
		return;
	fill_indir(vnic, n, indir);
	err = queues_fw(vnic, n, indir, false);
	if (!err)
		return;
	netdev_err(vnic->ndev, "RSS: %u queues could not be restored (%d): back to 1\n", n, err);
	vnic->n_queues = 1;
	netif_set_real_num_tx_queues(vnic->ndev, 1);
	netif_set_real_num_rx_queues(vnic->ndev, 1);
}

void snic_rss_get_channels(struct net_device *ndev, struct ethtool_channels *ch)
{
	struct snic_vnic *vnic = netdev_priv(ndev);

	ch->max_combined = vnic->sw_only ? 1 : snic_rss_max_queues(vnic->sdev);
	ch->combined_count = vnic->n_queues;
}

/* ethtool -L combined N: the link goes down while the rings change. */
int snic_rss_set_channels(struct net_device *ndev, struct ethtool_channels *ch)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	struct snic_dev *sdev = vnic->sdev;
	unsigned int n = ch->combined_count, max = vnic->sw_only ? 1 : snic_rss_max_queues(sdev);
	u8 indir[SNIC_RSS_INDIR_MAX];
	bool was_up;
	int err;

	if (!n || n > max || ch->rx_count || ch->tx_count || ch->other_count) {
		netdev_err(ndev, "combined 1..%u only (RX and TX queues come in pairs)%s\n", max,
			   max == 1 ? ": this VNIC or device has no RSS queue sets" : "");
		return -EINVAL;
	}
	if (n == vnic->n_queues)
		return 0;
	mutex_lock(&sdev->cfg_lock);
	was_up = vnic->up;
	if (was_up)
		snic_vnic_halt(vnic, true);
	/* ethtool -X default (or none): the default table follows n. */
	if (!netif_is_rxfh_configured(ndev))
		vnic->indir_user = false;
	fill_indir(vnic, n, indir);
	err = queues_fw(vnic, n, indir, false);
	if (err) {
		netdev_err(ndev, "RSS_QUEUES for %u queues failed: %d%s\n", n, err,
			   err == -ENOSPC ? " (no free rings or RSS tables on the card)" : "");
	} else {
		netif_set_real_num_tx_queues(ndev, n);
		netif_set_real_num_rx_queues(ndev, n);
	}
	if (was_up && snic_vnic_start(vnic))
		netdev_err(ndev, "could not be brought up again\n");
	mutex_unlock(&sdev->cfg_lock);
	return err;
}

u32 snic_rss_get_rxfh_indir_size(struct net_device *ndev)
{
	struct snic_vnic *vnic = netdev_priv(ndev);

	return snic_rss_has(vnic->sdev) ? indir_size(vnic->sdev) : 0;
}

u32 snic_rss_get_rxfh_key_size(struct net_device *ndev)
{
	return SNIC_RSS_KEY_BYTES;
}

int snic_rss_get_rxfh(struct net_device *ndev, u32 *indir, u8 *key, u8 *hfunc)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	u8 table[SNIC_RSS_INDIR_MAX];
	u32 i;

	if (hfunc)
		*hfunc = ETH_RSS_HASH_TOP;
	if (indir) {
		fill_indir(vnic, vnic->n_queues, table);
		for (i = 0; i < indir_size(vnic->sdev); i++)
			indir[i] = table[i];
	}
	if (key)
		memcpy(key, vnic->sdev->rss_key, SNIC_RSS_KEY_BYTES);
	return 0;
}

static int key_perm_err(struct snic_vnic *vnic, int err, const char *what)
{
	if (err == -EPERM)
		netdev_err(vnic->ndev, "RSS %s is card-wide: only a trusted VNIC may change it (ip link set <PF> vf %u trust on)\n",
			   what, vnic->index);
	else if (err)
		netdev_err(vnic->ndev, "RSS_SET (%s) failed: %d\n", what, err);
	return err;
}

int snic_rss_set_rxfh(struct net_device *ndev, const u32 *indir, const u8 *key, const u8 hfunc)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	struct snic_dev *sdev = vnic->sdev;
	u8 table[SNIC_RSS_INDIR_MAX];
	u32 i, size = indir_size(sdev);
	int err = 0;

	if (hfunc != ETH_RSS_HASH_NO_CHANGE && hfunc != ETH_RSS_HASH_TOP)
		return -EOPNOTSUPP; /* the engine computes Toeplitz only */
	if (!snic_rss_has(sdev))
		return -EOPNOTSUPP;
	mutex_lock(&sdev->cfg_lock);
	if (key) {
		err = key_perm_err(vnic, rss_set_fw(sdev, vnic->id, SNIC_RSS_SET_KEY, key, 0), "key");
		if (!err)
			memcpy(sdev->rss_key, key, SNIC_RSS_KEY_BYTES);
	}
	if (!err && indir) {
		for (i = 0; i < size; i++)
			table[i] = indir[i]; /* the core checked indir[i] < rx queues */
		err = vnic->n_queues > 1 ? queues_fw(vnic, vnic->n_queues, table, true) : 0;
		if (!err) {
			memcpy(vnic->indir, table, size);
			vnic->indir_user = true;
		}
	}
	mutex_unlock(&sdev->cfg_lock);
	return err;
}

/* ethtool flow types -> the types that hash them by 4-tuple / by address. */
static int flow_types(u32 flow, u8 *l4, u8 *l3)
{
	switch (flow) {
	case TCP_V4_FLOW: *l4 = SNIC_RSS_HT_TCP_IPV4; *l3 = SNIC_RSS_HT_IPV4; return 0;
	case UDP_V4_FLOW: *l4 = SNIC_RSS_HT_UDP_IPV4; *l3 = SNIC_RSS_HT_IPV4; return 0;
	case TCP_V6_FLOW: *l4 = SNIC_RSS_HT_TCP_IPV6; *l3 = SNIC_RSS_HT_IPV6; return 0;
	case UDP_V6_FLOW: *l4 = SNIC_RSS_HT_UDP_IPV6; *l3 = SNIC_RSS_HT_IPV6; return 0;
	case IPV4_FLOW: *l4 = 0; *l3 = SNIC_RSS_HT_IPV4; return 0;
	case IPV6_FLOW: *l4 = 0; *l3 = SNIC_RSS_HT_IPV6; return 0;
	default: return -EINVAL;
	}
}

#define RXH_SD   (RXH_IP_SRC | RXH_IP_DST)
#define RXH_SDFN (RXH_SD | RXH_L4_B_0_1 | RXH_L4_B_2_3)

/* ethtool -n DEV rx-flow-hash FLOW; cfg_lock held. */
int snic_rss_get_flow_hash(struct snic_vnic *vnic, struct ethtool_rxnfc *cmd)
{
	u8 l4, l3, types = vnic->sdev->rss_types;

	cmd->data = 0;
	if (flow_types(cmd->flow_type, &l4, &l3))
		return -EINVAL;
	if (types & l4)
		cmd->data = RXH_SDFN;
	else if (types & l3)
		cmd->data = RXH_SD;
	return 0;
}

/*
 * ethtool -N DEV rx-flow-hash FLOW sd|sdfn: the engine hashes a protocol
 * by its 4-tuple or falls back to the addresses, which IPv4 (IPv6)
 * protocols share: "sd" for tcp4 turns on the IPv4 address type for all.
 */
int snic_rss_set_flow_hash(struct snic_vnic *vnic, struct ethtool_rxnfc *cmd)
{
	struct snic_dev *sdev = vnic->sdev;
	u8 l4, l3, types;
	int err;

	if (!snic_rss_has(sdev))
		return -EOPNOTSUPP;
	if (flow_types(cmd->flow_type, &l4, &l3) ||
	    (cmd->data != RXH_SD && (cmd->data != RXH_SDFN || !l4))) {
		netdev_err(vnic->ndev, "rx-flow-hash: tcp4/udp4/tcp6/udp6 sd|sdfn, ip4/ip6 sd only\n");
		return -EINVAL;
	}
	mutex_lock(&sdev->cfg_lock);
	types = sdev->rss_types | l3;
	if (cmd->data == RXH_SDFN)
		types |= l4;
	else
		types &= ~l4;
	err = types == sdev->rss_types ? 0 :
	      key_perm_err(vnic, rss_set_fw(sdev, vnic->id, SNIC_RSS_SET_TYPES, NULL, types),
			   "hashed fields");
	if (!err)
		sdev->rss_types = types;
	mutex_unlock(&sdev->cfg_lock);
	return err;
}

/* ethtool -S: per queue, what the driver handed to the stack. */
unsigned int snic_rss_n_stats(struct snic_vnic *vnic)
{
	return 2 * vnic->n_queues;
}

void snic_rss_strings(struct snic_vnic *vnic, u8 **data)
{
	unsigned int q;

	for (q = 0; q < vnic->n_queues; q++) {
		ethtool_sprintf(data, "rx_queue_%u_packets", q);
		ethtool_sprintf(data, "tx_queue_%u_packets", q);
	}
}

static u64 ring_packets(struct snic_ring_stats *s)
{
	unsigned int start;
	u64 v;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		v = s->packets;
	} while (u64_stats_fetch_retry(&s->syncp, start));
	return v;
}

u64 *snic_rss_stats(struct snic_vnic *vnic, u64 *data)
{
	struct snic_dev *sdev = vnic->sdev;
	unsigned int q;

	for (q = 0; q < vnic->n_queues; q++) {
		*data++ = ring_packets(&sdev->rx[snic_rss_rx_ring(vnic, q)].stats);
		*data++ = ring_packets(&sdev->tx[snic_rss_tx_ring(vnic, q)].stats);
	}
	return data;
}
