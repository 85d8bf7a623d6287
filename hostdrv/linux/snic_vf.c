// SPDX-License-Identifier: GPL-2.0
/*
 * The operator's knobs, `ip link set snicM vf N ...`: every snic netdev
 * acts as the card's PF and VF N is the card's N-th VNIC (its netdev
 * index, snicN on a one-card system). A VNIC's own driver (its netdev)
 * cannot change what is set here: a MAC set through the PF is locked
 * (VNIC_POLICY MAC_LOCKED), promiscuous mode needs trust.
 *  - mac: VNIC_MAC with SNIC_VMACF_OPERATOR, then MAC_LOCKED; the zero
 *    MAC unlocks it again (keeping the MAC);
 *  - trust on|off: VNIC_POLICY TRUSTED;
 *  - spoofchk: the device always checks a VNIC's source MAC/IP and VLAN;
 *    on is accepted, off refused;
 *  - min_tx_rate: the VNIC's guaranteed share on its uplink (VNIC_SHARE
 *    min_bps, weight and priority kept as they are);
 *  - max_tx_rate: its TX shaper, as tx_maxrate (snic_vnic_set_rate);
 *  - vlan V [qos Q]: VNIC_PORT_VLAN, the device inserts the 802.1Q tag
 *    (V, PCP Q) on what the VNIC sends and strips it from what it
 *    receives; vlan 0 removes it. 802.1ad is refused, and so is a port
 *    VLAN on a VNIC with VLAN interfaces (and a VLAN interface on a VNIC
 *    behind a port VLAN, snic_l2.c): its VM sees one VLAN only.
 */
#include <linux/etherdevice.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "snic_drv.h"

/* VF vf of the card ndev belongs to; cfg_lock held. */
static struct snic_vnic *vf_vnic(struct net_device *ndev, int vf)
{
	struct snic_dev *sdev = ((struct snic_vnic *)netdev_priv(ndev))->sdev;

	if (vf < 0 || vf >= sdev->n_ndevs) {
		netdev_err(ndev, "vf %d: no such VNIC (this card has %u)\n", vf, sdev->n_ndevs);
		return NULL;
	}
	return netdev_priv(sdev->ndevs[vf]);
}

/* A rate above the uplink's speed cannot be a cap of anything. */
int snic_check_rate(struct snic_vnic *vnic, struct net_device *who, u32 mbps)
{
	u32 speed = vnic->sdev->caps.uplink[vnic->uplink].speed_mbps;

	if (speed && mbps > speed) {
		netdev_err(who, "rate %u Mbit/s is above uplink %u's %u Mbit/s\n", mbps,
			   vnic->uplink, speed);
		return -EINVAL;
	}
	return 0;
}

int snic_vnic_policy_fw(struct snic_vnic *vnic, u16 policy)
{
	struct snic_vnic_policy p = { .vnic = vnic->id, .flags = policy };
	int err;

	err = snic_admin_exec(vnic->sdev, SNIC_CMD_VNIC_POLICY, &p, sizeof(p), NULL, 0);
	if (err)
		netdev_err(vnic->ndev, "VNIC_POLICY 0x%x refused: %d\n", policy, err);
	return err;
}

/*
 * The VNIC's guaranteed minimum, keeping the weight and priority its
 * share has (or the defaults the device reports). cfg_lock held.
 */
int snic_vnic_share_min(struct snic_vnic *vnic, u64 min_bps)
{
	struct snic_vnic_ref ref = { .vnic = vnic->id };
	struct snic_vnic_share_info q;
	struct snic_vnic_share s = { .vnic = vnic->id, .min_bps = min_bps };
	int err;

	err = snic_admin_exec(vnic->sdev, SNIC_CMD_VNIC_SHARE_QUERY, &ref, sizeof(ref), &q,
			      sizeof(q));
	if (!err && !(q.flags & SNIC_SHAREF_SET) && !min_bps)
		return 0; /* no share, none wanted */
	if (!err) {
		s.weight = q.weight;
		s.prio = q.prio;
		err = snic_admin_exec(vnic->sdev, SNIC_CMD_VNIC_SHARE, &s, sizeof(s), NULL, 0);
	}
	if (err)
		netdev_err(vnic->ndev, "guaranteed rate %llu bit/s: device refused VNIC_SHARE: %d\n",
			   min_bps, err);
	return err;
}

int snic_set_vf_rate(struct net_device *ndev, int vf, int min_mbps, int max_mbps)
{
	struct snic_dev *sdev = ((struct snic_vnic *)netdev_priv(ndev))->sdev;
	struct snic_vnic *target;
	int err = -EINVAL;

	if (min_mbps < 0 || max_mbps < 0 || (max_mbps && min_mbps > max_mbps)) {
		netdev_err(ndev, "vf %d: min_tx_rate %d above max_tx_rate %d\n", vf, min_mbps,
			   max_mbps);
		return -EINVAL;
	}
	mutex_lock(&sdev->cfg_lock);
	target = vf_vnic(ndev, vf);
	if (!target || snic_check_rate(target, ndev, max_mbps) ||
	    snic_check_rate(target, ndev, min_mbps))
		goto out;
	err = 0;
	if ((u64)min_mbps * 1000000 != target->min_tx_bps) {
		err = snic_vnic_share_min(target, (u64)min_mbps * 1000000);
		if (!err)
			target->min_tx_bps = (u64)min_mbps * 1000000;
	}
	if (!err)
		err = snic_vnic_set_rate(target, max_mbps);
	if (!err)
		netdev_get_tx_queue(target->ndev, 0)->tx_maxrate = max_mbps;
out:
	mutex_unlock(&sdev->cfg_lock);
	return err;
}

int snic_set_vf_mac(struct net_device *ndev, int vf, u8 *mac)
{
	struct snic_dev *sdev = ((struct snic_vnic *)netdev_priv(ndev))->sdev;
	struct snic_vnic *target;
	int err = -EINVAL;

	if (!snic_l2_has(sdev, SNIC_L2CAP_MAC)) {
		netdev_err(ndev, "this firmware cannot change a VNIC's MAC\n");
		return -EOPNOTSUPP;
	}
	mutex_lock(&sdev->cfg_lock);
	target = vf_vnic(ndev, vf);
	if (!target)
		goto out;
	if (is_zero_ether_addr(mac)) {
		/* The operator gives the MAC back to the VNIC's driver. */
		err = snic_vnic_policy_fw(target, target->policy & ~SNIC_VPOL_MAC_LOCKED);
		if (!err)
			target->policy &= ~SNIC_VPOL_MAC_LOCKED;
		goto out;
	}
	if (!is_valid_ether_addr(mac)) {
		netdev_err(ndev, "vf %d: %pM is not a unicast MAC\n", vf, mac);
		goto out;
	}
	err = snic_vnic_mac_fw(target, mac, true);
	if (err)
		goto out;
	/* The target netdev shows it, as if its own driver had set it. */
	eth_hw_addr_set(target->ndev, mac);
	snic_ntuple_follow_mac(target);
	err = snic_vnic_policy_fw(target, target->policy | SNIC_VPOL_MAC_LOCKED);
	if (!err)
		target->policy |= SNIC_VPOL_MAC_LOCKED;
	mutex_unlock(&sdev->cfg_lock);
	/* Outside cfg_lock: listeners may call back into the driver. */
	call_netdevice_notifiers(NETDEV_CHANGEADDR, target->ndev);
	return err;
out:
	mutex_unlock(&sdev->cfg_lock);
	return err;
}

int snic_set_vf_trust(struct net_device *ndev, int vf, bool on)
{
	struct snic_dev *sdev = ((struct snic_vnic *)netdev_priv(ndev))->sdev;
	struct snic_vnic *target;
	u16 policy;
	int err = -EINVAL;

	mutex_lock(&sdev->cfg_lock);
	target = vf_vnic(ndev, vf);
	if (!target)
		goto out;
	policy = on ? target->policy | SNIC_VPOL_TRUSTED : target->policy & ~SNIC_VPOL_TRUSTED;
	err = snic_vnic_policy_fw(target, policy);
	if (err)
		goto out;
	target->policy = policy;
	/* A PROMISC refused before may be granted now; the device itself
	 * drops it when the trust goes. Either way, ask again.
	 */
	target->rxmode_set = false;
	snic_set_rx_mode(target->ndev);
out:
	mutex_unlock(&sdev->cfg_lock);
	return err;
}

int snic_set_vf_spoofchk(struct net_device *ndev, int vf, bool on)
{
	if (on)
		return 0;
	netdev_err(ndev, "vf %d: spoof checking cannot be turned off: the device always checks a VNIC's source MAC, IP and VLAN\n",
		   vf);
	return -EOPNOTSUPP;
}

/* vlan 0: none. cfg_lock held (or the device being restored). */
int snic_vnic_port_vlan_fw(struct snic_vnic *vnic, u16 vlan, u8 qos)
{
	struct snic_vnic_port_vlan p = {
		.vnic = vnic->id, .vid = vlan ? vlan : SNIC_VLAN_NONE, .pcp = vlan ? qos : 0,
	};
	int err;

	err = snic_admin_exec(vnic->sdev, SNIC_CMD_VNIC_PORT_VLAN, &p, sizeof(p), NULL, 0);
	if (err)
		netdev_err(vnic->ndev, "port VLAN %u qos %u: device refused VNIC_PORT_VLAN: %d\n",
			   vlan, qos, err);
	return err;
}

int snic_set_vf_vlan(struct net_device *ndev, int vf, u16 vlan, u8 qos, __be16 proto)
{
	struct snic_dev *sdev = ((struct snic_vnic *)netdev_priv(ndev))->sdev;
	struct snic_vnic *target;
	int err = -EINVAL;

	if (proto != htons(ETH_P_8021Q)) {
		netdev_err(ndev, "vf %d: only 802.1Q port VLANs: the device inserts 802.1Q tags, not 802.1ad\n",
			   vf);
		return -EPROTONOSUPPORT;
	}
	if (vlan > 4094 || qos > 7 || (!vlan && qos)) {
		netdev_err(ndev, "vf %d: vlan %u qos %u: VLAN 1..4094 (0: none), qos 0..7 with a VLAN\n",
			   vf, vlan, qos);
		return -EINVAL;
	}
	if (!snic_l2_has(sdev, SNIC_L2CAP_PORT_VLAN)) {
		netdev_err(ndev, "this firmware cannot insert and strip port VLAN tags\n");
		return -EOPNOTSUPP;
	}
	mutex_lock(&sdev->cfg_lock);
	target = vf_vnic(ndev, vf);
	if (!target)
		goto out;
	if (vlan && target->n_vids) {
		netdev_err(ndev, "vf %d: %s has VLAN interfaces; behind a port VLAN it sees one VLAN only: remove them first\n",
			   vf, netdev_name(target->ndev));
		err = -EBUSY;
		goto out;
	}
	err = snic_vnic_port_vlan_fw(target, vlan, qos);
	if (err)
		goto out;
	target->port_vlan = vlan;
	target->port_qos = vlan ? qos : 0;
out:
	mutex_unlock(&sdev->cfg_lock);
	return err;
}

int snic_get_vf_config(struct net_device *ndev, int vf, struct ifla_vf_info *ivi)
{
	struct snic_dev *sdev = ((struct snic_vnic *)netdev_priv(ndev))->sdev;
	struct snic_vnic *target;
	int err = 0;

	mutex_lock(&sdev->cfg_lock);
	target = vf_vnic(ndev, vf);
	if (!target) {
		err = -EINVAL;
		goto out;
	}
	ivi->vf = vf;
	ether_addr_copy(ivi->mac, target->ndev->dev_addr);
	ivi->max_tx_rate = target->tx_max_mbps;
	ivi->min_tx_rate = div_u64(target->min_tx_bps, 1000000);
	ivi->spoofchk = 1;
	ivi->trusted = !!(target->policy & SNIC_VPOL_TRUSTED);
	ivi->vlan = target->port_vlan;
	ivi->qos = target->port_qos;
	ivi->vlan_proto = htons(ETH_P_8021Q);
	ivi->linkstate = IFLA_VF_LINK_STATE_AUTO;
out:
	mutex_unlock(&sdev->cfg_lock);
	return err;
}
