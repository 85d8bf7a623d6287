/* SPDX-License-Identifier: MIT */
/*
 * A VNIC's layer-2 behaviour, as an operator expects of a NIC port
 * (docs/l2.md): broadcast and multicast delivery, VLAN membership, MAC
 * changes, operator policy, and per-VNIC counters.
 *
 * L2 domain. A frame arriving on uplink P belongs to the domain (P, VID),
 * VID being the tag's VLAN id or "untagged". A VNIC is in that domain when
 * P is its uplink (or a member of its bond) and either the frame is
 * untagged and the VNIC's port VLAN (snic_vnic_create.vlan) is NONE, or
 * VID is its port VLAN, or VID is in its VLAN membership list
 * (VNIC_VLANS). Nothing crosses domains: not broadcast, not multicast, not
 * promiscuous delivery, not unicast to a VNIC's MAC (for which every member
 * of its bond counts).
 *
 * A VNIC's MAC is unique per (uplink domain, port VLAN): VNICs whose
 * uplinks do not meet (different uplinks, different bonds, an uplink and
 * a bond) may share a MAC, as bond slaves do; unicast to it goes to the
 * sharer whose uplinks hold the ingress port; on an uplink of none of
 * them the frame is unclaimed (below). Host rules steer by their own
 * match, from any port.
 *
 * Group delivery (the firmware does it; the match engine classifies only).
 * A frame that no classifier entry claims (a miss) is looked at by the
 * firmware before it counts as no_match:
 *  - broadcast (ff:ff:ff:ff:ff:ff): one copy to every VNIC of its domain;
 *  - multicast: one copy to every VNIC of its domain that joined the group
 *    (its multicast list), is in ALLMULTI or (trusted) PROMISC mode;
 *  - unicast, tagged with VID: to the VNIC whose MAC it is and whose VLAN
 *    membership list holds VID (the classifier's MAC entry covers the port
 *    VLAN only);
 *  - anything else still unclaimed: one copy to every trusted VNIC of its
 *    domain in PROMISC mode. A frame a rule or a VNIC's MAC entry steered
 *    is never copied to anyone else: promiscuous never sees another VNIC's
 *    traffic.
 * Each copy is a completion of its own carrying the receiving VNIC and
 * SNIC_RXF_GROUP, on that VNIC's RX ring (the shared ring for software-ring
 * VNICs: the host software classifier checks the copy against its mirror
 * of the VNIC's membership and delivers it to that VNIC). A rule that
 * matches a group frame (e.g. "ARP to VNIC 3", "drop multicast") takes
 * precedence: rules are checked first, group delivery handles misses.
 * A bond delivers group frames from its active member only (team.h), so
 * a VNIC on a bond sees one copy.
 *
 * Table sizes: every VNIC may join up to SNIC_L2_MC_PER_VNIC groups and
 * SNIC_L2_VLANS_PER_VNIC VLANs, out of a device-wide pool of
 * snic_cap_l2.mc_filters / vlan_filters entries (a full pool answers
 * SNIC_E_NOSPC; a host then falls back to ALLMULTI for multicast).
 */
#ifndef SNIC_L2_H
#define SNIC_L2_H

#include "types.h"

#define SNIC_L2_MC_PER_VNIC    16
#define SNIC_L2_VLANS_PER_VNIC 16

/* snic_vnic_rxmode.flags (and snic_vnic_l2.rxmode) */
#define SNIC_RXMODE_ALLMULTI 0x01 /* every multicast frame of its domains */
#define SNIC_RXMODE_PROMISC  0x02 /* every unclaimed frame of its domains;
				   * refused (SNIC_E_PERM) unless trusted */

/* VNIC_RXMODE: replaces the VNIC's receive mode and multicast list. */
struct snic_vnic_rxmode {
	snic_le16 vnic;
	uint8_t   flags;     /* SNIC_RXMODE_* */
	uint8_t   n_mc;      /* 0..SNIC_L2_MC_PER_VNIC */
	snic_le32 rsvd;
	uint8_t   mc[SNIC_L2_MC_PER_VNIC][6]; /* multicast MACs (bit 0 of byte 0
					      * set, not broadcast); unused
					      * entries zero */
};
SNIC_ASSERT_SIZE(struct snic_vnic_rxmode, 104);

/* VNIC_VLANS: replaces the VNIC's VLAN membership list (tagged VLANs it
 * receives on and may send on, besides its port VLAN). */
struct snic_vnic_vlans {
	snic_le16 vnic;
	snic_le16 n;         /* 0..SNIC_L2_VLANS_PER_VNIC */
	snic_le32 rsvd;
	snic_le16 vid[SNIC_L2_VLANS_PER_VNIC]; /* 1..4094, no duplicates; unused 0 */
};
SNIC_ASSERT_SIZE(struct snic_vnic_vlans, 40);

/* VNIC_MAC flags */
#define SNIC_VMACF_OPERATOR 0x01 /* the operator's change: allowed on a locked
				  * MAC (the host driver sets it only for the
				  * PF-side knobs, `ip link set .. vf N mac`) */

/* VNIC_MAC: a new unicast MAC, unique per (uplink domain, port VLAN).
 * The VNIC's classifier entry follows at once; anti-spoofing checks the new
 * MAC from the next frame on. Refused with SNIC_E_PERM when the MAC is
 * locked and SNIC_VMACF_OPERATOR is not set. */
struct snic_vnic_mac {
	snic_le16 vnic;
	snic_le16 flags;     /* SNIC_VMACF_* */
	uint8_t   mac[6];
	snic_le16 rsvd;
};
SNIC_ASSERT_SIZE(struct snic_vnic_mac, 12);

/* VNIC_POLICY flags: what the operator allows a VNIC's own driver. */
#define SNIC_VPOL_TRUSTED    0x01 /* may enter PROMISC mode (`vf N trust on`) */
#define SNIC_VPOL_MAC_LOCKED 0x02 /* its driver cannot change its MAC
				   * (`vf N mac`) */
#define SNIC_VPOL_ALL        0x03

struct snic_vnic_policy {
	snic_le16 vnic;
	snic_le16 flags;     /* SNIC_VPOL_* */
	snic_le32 rsvd;
};
SNIC_ASSERT_SIZE(struct snic_vnic_policy, 8);

/*
 * VNIC_PORT_VLAN: the operator's port VLAN (`ip link set .. vf N vlan VID
 * qos PCP`; operator-only, like VNIC_POLICY: a host driver sends it only
 * for the PF-side knob). The VM behind it sends and receives UNTAGGED
 * frames; the device inserts the 802.1Q tag (VID, PCP, DEI 0) on every
 * frame the VNIC sends and strips it from every frame it delivers to the
 * VNIC (dedicated and shared rings, group copies too). The VNIC's L2
 * domain becomes (uplink, VID), its MAC unique per (uplink domain, VID).
 * A tagged frame from the VM is refused as a spoof (tx_drop_spoof): a VM
 * behind a port VLAN cannot pick its VLAN.
 *
 * It replaces the VNIC's snic_vnic_create.vlan (the port VLAN whose tags
 * the VM sends and sees itself): vid NONE removes it and leaves the VNIC
 * untagged. A VNIC created with a VLAN of its own is refused (SNIC_E_BUSY),
 * as is one with a VLAN membership list; VNIC_VLANS with members is
 * refused on a VNIC with an operator port VLAN (SNIC_E_BUSY): its VM sees
 * one VLAN only. The MAC entry moves to the new VID at once (exact table:
 * the new key is joined before the old one is left; SNIC_E_NOSPC changes
 * nothing). Setting the VID a VNIC already has changes only the PCP.
 */
struct snic_vnic_port_vlan {
	snic_le16 vnic;
	snic_le16 vid;       /* 1..4094, or SNIC_VLAN_NONE to remove */
	uint8_t   pcp;       /* 0..7: the priority the device inserts (0 with NONE) */
	uint8_t   flags;     /* 0 */
	snic_le16 rsvd;
};
SNIC_ASSERT_SIZE(struct snic_vnic_port_vlan, 8);

/* snic_vnic_l2.policy also reports, read-only, an operator port VLAN:
 * SNIC_L2Q_PORT_VLAN set when port_vlan is one (tags inserted and
 * stripped by the device), its PCP in bits SNIC_L2Q_PCP_SHIFT..+2. */
#define SNIC_L2Q_PORT_VLAN 0x0100
#define SNIC_L2Q_PCP_SHIFT 12
#define SNIC_L2Q_PCP_MASK  0x7000

/* VNIC_L2_QUERY (snic_vnic_ref) reply: the VNIC's L2 state as the firmware
 * holds it (the host software classifier mirrors it). rxmode shows what is
 * in effect: PROMISC is dropped when the trust is taken away. */
struct snic_vnic_l2 {
	snic_le16 vnic;
	uint8_t   rxmode;    /* SNIC_RXMODE_* in effect */
	uint8_t   n_mc;
	snic_le16 policy;    /* SNIC_VPOL_* */
	snic_le16 n_vlans;
	uint8_t   mac[6];
	snic_le16 port_vlan; /* snic_vnic_create.vlan */
	snic_le16 vid[SNIC_L2_VLANS_PER_VNIC];
	uint8_t   mc[SNIC_L2_MC_PER_VNIC][6];
};
SNIC_ASSERT_SIZE(struct snic_vnic_l2, 16 + 32 + 96);

/*
 * Per-VNIC counters (block SNIC_BLK_VSTATS, device-written): what happened
 * to each VNIC's frames in the device, so a host driver can report every
 * drop in the standard counters of the netdev it belongs to. Entry v is
 * VNIC v's; a VNIC's counters start from zero when it is created.
 */
struct snic_vnic_stats {
	snic_le64 rx_packets;      /* frames delivered to its RX ring */
	snic_le64 rx_bytes;
	snic_le64 rx_broadcast;    /* of which broadcast copies */
	snic_le64 rx_multicast;    /* of which multicast copies */
	snic_le64 rx_drop_ring;    /* ring full, or the host's buffer was bad */
	snic_le64 rx_drop_meter;   /* a policer coloured it red */
	snic_le64 rx_drop_too_long;/* larger than its ring's buffers */
	snic_le64 tx_packets;      /* frames sent on the wire */
	snic_le64 tx_bytes;
	snic_le64 tx_drop_spoof;   /* source MAC/IP or VLAN not its own */
	snic_le64 tx_drop_bad;     /* invalid descriptor */
	snic_le64 tx_drop_down;    /* its uplink/bond was down */
	snic_le64 rsvd[4];
};
SNIC_ASSERT_SIZE(struct snic_vnic_stats, 128);

/* Block SNIC_BLK_VSTATS: `count` entries of `stride` bytes from `first`. */
struct snic_blk_vstats {
	struct snic_block_hdr hdr;
	snic_le32 count;           /* VNIC ids 0..count-1 (max_vnics) */
	snic_le32 stride;          /* sizeof(struct snic_vnic_stats) */
	snic_le32 first;           /* window offset of entry 0 */
	snic_le32 rsvd;
	snic_le64 group_frames;    /* unclaimed frames group delivery looked at */
	snic_le64 group_copies;    /* copies it delivered */
	snic_le64 group_unwanted;  /* group frames nobody in the domain wanted
				   * (also counted as no_match) */
	snic_le64 rsvd1;
};
SNIC_ASSERT_SIZE(struct snic_blk_vstats, 64);

#endif
