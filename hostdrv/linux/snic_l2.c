// SPDX-License-Identifier: GPL-2.0
/*
 * A VNIC's layer 2, as a NIC port (include/snic/l2.h, docs/kmod.md):
 *  - receive mode: IFF_PROMISC, IFF_ALLMULTI and the multicast list ->
 *    VNIC_RXMODE, from a work item (ndo_set_rx_mode runs atomic); a list
 *    the device cannot hold falls back to ALLMULTI, a PROMISC the
 *    operator did not allow (no trust) is dropped and the rest kept;
 *  - VLAN filter: ndo_vlan_rx_add/kill_vid -> VNIC_VLANS (the whole list);
 *  - MAC: ndo_set_mac_address -> VNIC_MAC (refused when the operator
 *    locked it);
 *  - the device's per-VNIC counters (SNIC_BLK_VSTATS) in the netdev's
 *    standard counters.
 * The driver keeps what it asked for and puts it back after a device
 * reset (snic_l2_restore).
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include "snic_drv.h"

static void rx_mode_work(struct work_struct *w);

bool snic_l2_has(struct snic_dev *sdev, u32 cap)
{
	return sdev->caps.l2.h.type == SNIC_CAP_L2 && (sdev->caps.l2.flags & cap);
}

void snic_l2_init(struct snic_vnic *vnic)
{
	INIT_WORK(&vnic->rx_mode_work, rx_mode_work);
}

/* Coalesces: a work already queued picks up the latest state. */
void snic_set_rx_mode(struct net_device *ndev)
{
	struct snic_vnic *vnic = netdev_priv(ndev);

	if (snic_l2_has(vnic->sdev, SNIC_L2CAP_GROUP))
		schedule_work(&vnic->rx_mode_work);
}

/* The netdev's receive mode and multicast list as one VNIC_RXMODE. */
static void rx_mode_snapshot(struct snic_vnic *vnic, struct snic_vnic_rxmode *m)
{
	struct net_device *ndev = vnic->ndev;
	struct netdev_hw_addr *ha;

	memset(m, 0, sizeof(*m));
	m->vnic = vnic->id;
	netif_addr_lock_bh(ndev);
	if (ndev->flags & IFF_PROMISC)
		m->flags |= SNIC_RXMODE_PROMISC;
	if (ndev->flags & IFF_ALLMULTI)
		m->flags |= SNIC_RXMODE_ALLMULTI;
	if (netdev_mc_count(ndev) > SNIC_L2_MC_PER_VNIC) {
		m->flags |= SNIC_RXMODE_ALLMULTI;
		if (!vnic->mc_overflowed) {
			vnic->mc_fallbacks++;
			netdev_info(ndev, "%d multicast groups, the device holds %d per VNIC: receiving all multicast\n",
				    netdev_mc_count(ndev), SNIC_L2_MC_PER_VNIC);
		}
		vnic->mc_overflowed = true;
	} else {
		vnic->mc_overflowed = false;
		netdev_for_each_mc_addr(ha, ndev)
			ether_addr_copy(m->mc[m->n_mc++], ha->addr);
	}
	netif_addr_unlock_bh(ndev);
}

static int rxmode_fw(struct snic_vnic *vnic, const struct snic_vnic_rxmode *m)
{
	return snic_admin_exec(vnic->sdev, SNIC_CMD_VNIC_RXMODE, m, sizeof(*m), NULL, 0);
}

/*
 * Sends m, degrading what the device refuses: PROMISC without trust is
 * dropped (logged once per refusal streak), a full multicast pool turns
 * the list into ALLMULTI. cfg_lock held.
 */
static int rxmode_apply(struct snic_vnic *vnic, struct snic_vnic_rxmode *m)
{
	int err = rxmode_fw(vnic, m);

	if (err == -EPERM && (m->flags & SNIC_RXMODE_PROMISC)) {
		vnic->promisc_refusals++;
		if (!vnic->promisc_refused)
			netdev_warn(vnic->ndev, "promiscuous mode refused: VNIC %u is not trusted (ip link set <any snic netdev> vf %u trust on); keeping the rest of the receive mode\n",
				    vnic->id, vnic->index);
		vnic->promisc_refused = true;
		m->flags &= ~SNIC_RXMODE_PROMISC;
		err = rxmode_fw(vnic, m);
	} else if (!err && (m->flags & SNIC_RXMODE_PROMISC)) {
		vnic->promisc_refused = false;
	}
	if (err == -ENOSPC && m->n_mc) {
		vnic->mc_fallbacks++;
		netdev_info(vnic->ndev, "device multicast pool full: receiving all multicast\n");
		m->flags |= SNIC_RXMODE_ALLMULTI;
		m->n_mc = 0;
		memset(m->mc, 0, sizeof(m->mc));
		err = rxmode_fw(vnic, m);
	}
	if (err) {
		netdev_err(vnic->ndev, "VNIC_RXMODE 0x%x with %u groups refused: %d\n",
			   m->flags, m->n_mc, err);
		return err;
	}
	vnic->rxmode = *m;
	vnic->rxmode_set = true;
	return 0;
}

static void rx_mode_work(struct work_struct *w)
{
	struct snic_vnic *vnic = container_of(w, struct snic_vnic, rx_mode_work);
	struct snic_vnic_rxmode m;

	mutex_lock(&vnic->sdev->cfg_lock);
	rx_mode_snapshot(vnic, &m);
	if (!vnic->sdev->dead &&
	    (!vnic->rxmode_set || memcmp(&m, &vnic->rxmode, sizeof(m))))
		rxmode_apply(vnic, &m);
	mutex_unlock(&vnic->sdev->cfg_lock);
}

static int vlans_fw(struct snic_vnic *vnic, const u16 *vids, u16 n)
{
	struct snic_vnic_vlans v = { .vnic = vnic->id, .n = n };

	memcpy(v.vid, vids, n * sizeof(*vids));
	return snic_admin_exec(vnic->sdev, SNIC_CMD_VNIC_VLANS, &v, sizeof(v), NULL, 0);
}

/*
 * `ip link add link snicN name X type vlan id V`: VID V joins the VNIC's
 * membership list (VID 0 is priority tagging: nothing to join). rtnl held.
 */
int snic_vlan_add(struct net_device *ndev, __be16 proto, u16 vid)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	u16 vids[SNIC_L2_VLANS_PER_VNIC];
	int err, i;

	if (!vid)
		return 0;
	mutex_lock(&vnic->sdev->cfg_lock);
	if (vnic->port_vlan) {
		/* Its frames are tagged by the device: the VM sees one VLAN. */
		netdev_err(ndev, "VLAN %u: the operator set port VLAN %u on this VNIC (vf vlan); no VLAN interfaces behind it\n",
			   vid, vnic->port_vlan);
		err = -EBUSY;
		goto out;
	}
	for (i = 0; i < vnic->n_vids; i++)
		if (vnic->vids[i] == vid)
			goto out_ok;
	if (vnic->n_vids >= SNIC_L2_VLANS_PER_VNIC) {
		netdev_err(ndev, "VLAN %u: a VNIC is a member of at most %d VLANs\n", vid,
			   SNIC_L2_VLANS_PER_VNIC);
		err = -ENOSPC;
		goto out;
	}
	memcpy(vids, vnic->vids, sizeof(vids));
	vids[vnic->n_vids] = vid;
	err = vlans_fw(vnic, vids, vnic->n_vids + 1);
	if (err) {
		netdev_err(ndev, "VLAN %u: device refused VNIC_VLANS (%d%s)\n", vid, err,
			   err == -ENOSPC ? ": its VLAN filter pool is full" : "");
		goto out;
	}
	vnic->vids[vnic->n_vids++] = vid;
out_ok:
	err = 0;
out:
	mutex_unlock(&vnic->sdev->cfg_lock);
	return err;
}

int snic_vlan_kill(struct net_device *ndev, __be16 proto, u16 vid)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	u16 vids[SNIC_L2_VLANS_PER_VNIC];
	int err = 0, i, n = 0;

	mutex_lock(&vnic->sdev->cfg_lock);
	for (i = 0; i < vnic->n_vids; i++)
		if (vnic->vids[i] != vid)
			vids[n++] = vnic->vids[i];
	if (n != vnic->n_vids) {
		/* Forget it even if the device does not answer: it is gone. */
		memcpy(vnic->vids, vids, n * sizeof(*vids));
		vnic->n_vids = n;
		if (!vnic->sdev->dead)
			err = vlans_fw(vnic, vids, n);
		if (err)
			netdev_warn(ndev, "VLAN %u: VNIC_VLANS on removal failed: %d\n", vid, err);
	}
	mutex_unlock(&vnic->sdev->cfg_lock);
	return 0;
}

/* VNIC_MAC; cfg_lock held. Maps the device's answers to what ip shows. */
int snic_vnic_mac_fw(struct snic_vnic *vnic, const u8 *mac, bool operator)
{
	struct snic_vnic_mac m = {
		.vnic = vnic->id,
		.flags = operator ? SNIC_VMACF_OPERATOR : 0,
	};
	int err;

	ether_addr_copy(m.mac, mac);
	err = snic_admin_exec(vnic->sdev, SNIC_CMD_VNIC_MAC, &m, sizeof(m), NULL, 0);
	if (err == -EPERM)
		netdev_err(vnic->ndev, "MAC %pM refused: the operator locked this VNIC's MAC\n", mac);
	else if (err == -EEXIST)
		netdev_err(vnic->ndev, "MAC %pM refused: another VNIC on the card has it\n", mac);
	else if (err)
		netdev_err(vnic->ndev, "MAC %pM: device refused VNIC_MAC: %d\n", mac, err);
	return err == -EEXIST ? -EADDRINUSE : err;
}

/* ndo_set_mac_address, up or down (IFF_LIVE_ADDR_CHANGE); rtnl held. */
int snic_set_mac(struct net_device *ndev, void *p)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	struct sockaddr *sa = p;
	int err = 0;

	if (!is_valid_ether_addr(sa->sa_data))
		return -EADDRNOTAVAIL;
	if (ether_addr_equal(ndev->dev_addr, sa->sa_data))
		return 0;
	if (!snic_l2_has(vnic->sdev, SNIC_L2CAP_MAC)) {
		netdev_err(ndev, "this firmware cannot change a VNIC's MAC\n");
		return -EOPNOTSUPP;
	}
	mutex_lock(&vnic->sdev->cfg_lock);
	err = snic_vnic_mac_fw(vnic, sa->sa_data, false);
	if (!err) {
		eth_hw_addr_set(ndev, sa->sa_data);
		snic_ntuple_follow_mac(vnic);
	}
	mutex_unlock(&vnic->sdev->cfg_lock);
	return err;
}

/*
 * After the VNIC was re-created (with its current MAC): its policy, port
 * VLAN, VLANs and receive mode as they were. cfg_lock held.
 */
void snic_l2_restore(struct snic_vnic *vnic)
{
	struct snic_vnic_rxmode m = vnic->rxmode;
	int err = 0;

	if (vnic->policy)
		err = snic_vnic_policy_fw(vnic, vnic->policy);
	if (!err && vnic->port_vlan)
		err = snic_vnic_port_vlan_fw(vnic, vnic->port_vlan, vnic->port_qos);
	if (!err && vnic->n_vids)
		err = vlans_fw(vnic, vnic->vids, vnic->n_vids);
	if (!err && vnic->rxmode_set) {
		m.vnic = vnic->id;
		err = rxmode_apply(vnic, &m);
	}
	if (!err && vnic->min_tx_bps)
		err = snic_vnic_share_min(vnic, vnic->min_tx_bps);
	if (err)
		netdev_err(vnic->ndev, "layer-2 state could not be restored: %d\n", err);
}

/* The device's counters of VNIC id, or NULL (no VSTATS block). */
const struct snic_vnic_stats *snic_vstats(struct snic_dev *sdev, u16 vnic)
{
	if (!sdev->vstats || vnic >= sdev->vstats_count)
		return NULL;
	return snic_at(sdev, sdev->vstats_first + vnic * sdev->vstats_stride);
}

/*
 * Adds what the device counted for the VNIC to its standard counters:
 * every frame it dropped for this VNIC shows in `ip -s link`. Lock-free
 * reads of device-written words: ndo_get_stats64 must not sleep.
 */
void snic_l2_stats64(struct snic_vnic *vnic, struct rtnl_link_stats64 *s)
{
	const struct snic_vnic_stats *v = snic_vstats(vnic->sdev, vnic->id);
	u64 ring, too_long, meter;

	if (!v)
		return;
	ring = READ_ONCE(v->rx_drop_ring);
	too_long = READ_ONCE(v->rx_drop_too_long);
	meter = READ_ONCE(v->rx_drop_meter);
	s->rx_missed_errors += ring;
	s->rx_length_errors += too_long;
	s->rx_errors += too_long;
	s->rx_dropped += ring + meter;
	s->multicast += READ_ONCE(v->rx_broadcast) + READ_ONCE(v->rx_multicast);
	s->tx_dropped += READ_ONCE(v->tx_drop_spoof) + READ_ONCE(v->tx_drop_down);
	s->tx_errors += READ_ONCE(v->tx_drop_bad);
}
