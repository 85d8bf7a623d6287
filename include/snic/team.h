/* SPDX-License-Identifier: MIT */
/*
 * Teaming: bonds of uplinks, failover and transmit distribution.
 *
 * A bond groups uplinks. A VNIC sends on exactly one bond or one unbonded
 * uplink: snic_vnic_create.uplink is either an uplink number or
 * SNIC_UPLINK_BOND | bond. An uplink is in at most one bond. While a VNIC
 * uses a bond its membership cannot change, and an uplink a VNIC uses
 * directly cannot join a bond (SNIC_E_BUSY); roles, policy, detection and
 * timers may change at any time.
 *
 * Everything travels in one admin command, SNIC_CMD_TEAM_SET, whose
 * payload is struct snic_team_set; `op` says what to do. Reserved fields
 * must be zero and fields an op does not use must be zero too. See
 * docs/teaming.md.
 */
#ifndef SNIC_TEAM_H
#define SNIC_TEAM_H

#include "types.h"

#define SNIC_MAX_BONDS    4
#define SNIC_UPLINK_BOND  0x80   /* snic_vnic_create.uplink = SNIC_UPLINK_BOND | bond */

enum snic_team_op {
	SNIC_TEAM_OP_SET      = 1, /* create or reconfigure a bond */
	SNIC_TEAM_OP_DEL      = 2, /* delete a bond no VNIC uses */
	SNIC_TEAM_OP_QUERY    = 3, /* -> struct snic_team_status */
	SNIC_TEAM_OP_FAILBACK = 4, /* manual failback: recovered members rejoin now */
	SNIC_TEAM_OP_PRIO     = 5, /* set `vnic`'s priority to `prio` (PRIORITY policy) */
};

/* Transmit distribution over the bond's members in use. Hash policies
 * split the 32-bit hash range evenly over them; a flow (hash bucket)
 * stays on its uplink until that uplink fails or the flow has been idle
 * long enough for its frames to have left, so a flow is never reordered. */
enum snic_team_policy {
	SNIC_TEAM_PORT_ID  = 0, /* fixed uplink per VNIC (originating port) */
	SNIC_TEAM_SRC_MAC  = 1, /* hash of the source MAC */
	SNIC_TEAM_L2       = 2, /* hash of source and destination MAC */
	SNIC_TEAM_L3       = 3, /* hash of IPv4 source and destination; non-IP: L2 */
	SNIC_TEAM_L34      = 4, /* L3 + TCP/UDP ports (not for fragments); else L3 */
	SNIC_TEAM_LOAD     = 5, /* least pending bytes, chosen per flow (L3+4) */
	SNIC_TEAM_IP_RR    = 6, /* IPv4: L3 destination hash; non-IP: round robin */
	SNIC_TEAM_PRIORITY = 7, /* VNIC prio >= prio_high: least-loaded per flow;
				 * below: isolated on the last member in use */
	SNIC_TEAM_POLICIES
};

/* Failover order: role of each member. */
enum snic_team_role {
	SNIC_TEAM_UNUSED  = 0, /* in the bond, never carries traffic */
	SNIC_TEAM_ACTIVE  = 1, /* carries traffic while healthy */
	SNIC_TEAM_STANDBY = 2, /* replaces a failed active member, in order */
};

/* How failures are detected (snic_team_set.detect). Link state is always
 * watched; these add to it. */
#define SNIC_TEAM_DETECT_TXRES  0x01 /* an uplink refusing frames (no TX
				      * resources) is failed over at once */
#define SNIC_TEAM_DETECT_BEACON 0x02 /* beacon probing between the members */

/* When a recovered member takes its traffic back. */
enum snic_team_failback {
	SNIC_TEAM_FAILBACK_IMMEDIATE = 0,
	SNIC_TEAM_FAILBACK_HOLDDOWN  = 1, /* after holddown_us of continuous health */
	SNIC_TEAM_FAILBACK_MANUAL    = 2, /* only on SNIC_TEAM_OP_FAILBACK (or
					   * when no other member can carry) */
};

/* Notify switches after a VNIC moves to another uplink (snic_team_set.notify). */
#define SNIC_TEAM_NOTIFY_RARP 0x01 /* RARP (EtherType 0x8035) from the VNIC MAC */
#define SNIC_TEAM_NOTIFY_GARP 0x02 /* gratuitous ARP for each VNIC IPv4 address */

/* Limits the device checks (SNIC_E_RANGE beyond them). */
#define SNIC_TEAM_NOTIFY_MAX      16        /* notify_count */
#define SNIC_TEAM_MISSES_MAX      16        /* beacon_misses */
#define SNIC_TEAM_BEACON_MIN_US   10
#define SNIC_TEAM_BEACON_MAX_US   10000000u /* 10 s */
#define SNIC_TEAM_DELAY_MAX_US    60000000u /* any delay: 60 s */

struct snic_team_set {
	uint8_t   op;             /* enum snic_team_op */
	uint8_t   bond;           /* 0..SNIC_MAX_BONDS-1 */
	uint8_t   policy;         /* OP_SET: enum snic_team_policy */
	uint8_t   n_members;      /* OP_SET: 1..SNIC_MAX_UPLINKS */
	uint8_t   member[4];      /* OP_SET: uplinks in failover order */
	uint8_t   role[4];        /* OP_SET: enum snic_team_role of member[i] */
	uint8_t   detect;         /* OP_SET: SNIC_TEAM_DETECT_* */
	uint8_t   failback;       /* OP_SET: enum snic_team_failback */
	uint8_t   notify;         /* OP_SET: SNIC_TEAM_NOTIFY_* (0: off) */
	uint8_t   notify_count;   /* OP_SET: frames per MAC/address, 1..16 if notify */
	snic_le32 notify_gap_us;  /* OP_SET: between repeated notifications */
	snic_le32 beacon_us;      /* OP_SET: beacon interval if DETECT_BEACON */
	uint8_t   beacon_misses;  /* OP_SET: missed beacons before failure, 1..16 */
	uint8_t   prio_high;      /* OP_SET: PRIORITY policy threshold */
	uint8_t   prio;           /* OP_PRIO: the VNIC's priority (0 lowest) */
	uint8_t   rsvd0;
	snic_le16 vnic;           /* OP_PRIO */
	snic_le16 rsvd1;
	snic_le32 updelay_us;     /* OP_SET: link up must last this long */
	snic_le32 downdelay_us;   /* OP_SET: link down must last this long */
	snic_le32 holddown_us;    /* OP_SET: FAILBACK_HOLDDOWN wait */
	snic_le32 txres_rest_us;  /* OP_SET: a TX-refusing uplink rests this long
				  * before it is tried again (0: 10 us) */
	snic_le32 rsvd2[4];
};
SNIC_ASSERT_SIZE(struct snic_team_set, 64);

/* Member state (snic_team_member.state). */
enum snic_team_state {
	SNIC_TEAM_ST_UP        = 0, /* healthy */
	SNIC_TEAM_ST_DOWN      = 1, /* failed: see `reason` */
	SNIC_TEAM_ST_GOING_DOWN= 2, /* link down, inside downdelay */
	SNIC_TEAM_ST_GOING_UP  = 3, /* link up, inside updelay */
	SNIC_TEAM_ST_WAIT      = 4, /* healthy, waiting for failback (hold-down/manual) */
};

/* Why a member is failed (bits, snic_team_member.reason). */
#define SNIC_TEAM_WHY_LINK   0x01 /* no carrier */
#define SNIC_TEAM_WHY_ADMIN  0x02 /* port administratively down */
#define SNIC_TEAM_WHY_TXRES  0x04 /* refused frames: no TX resources */
#define SNIC_TEAM_WHY_BEACON 0x08 /* beacons lost */

struct snic_team_member {
	uint8_t   uplink;
	uint8_t   role;           /* enum snic_team_role */
	uint8_t   state;          /* enum snic_team_state */
	uint8_t   reason;         /* SNIC_TEAM_WHY_* while failed */
	uint8_t   in_use;         /* 1: carries traffic now */
	uint8_t   rsvd[3];
	snic_le64 since_ns;       /* device time of the last state change */
	snic_le32 failures;       /* times it was marked failed */
	snic_le32 beacons_rx;     /* beacons of other members received on it */
	snic_le32 tx_refused;     /* transmit attempts it refused */
	snic_le32 rsvd2;
};
SNIC_ASSERT_SIZE(struct snic_team_member, 32);

struct snic_team_status {
	uint8_t   bond;
	uint8_t   policy;
	uint8_t   n_members;
	uint8_t   in_use;         /* bitmap of uplinks carrying traffic */
	snic_le16 vnics;          /* VNICs using the bond */
	snic_le16 rsvd;
	snic_le32 failovers;      /* changes of the set in use caused by failures */
	snic_le32 failbacks;      /* changes caused by recoveries */
	snic_le32 notify_sent;    /* RARP/GARP frames sent */
	snic_le32 beacons_sent;
	snic_le32 beacon_unsure;  /* beacon loss the bond could not attribute
				  * (two members, or every member) */
	snic_le32 held;           /* transmit attempts held: no member usable */
	snic_le64 last_change_ns; /* device time the set in use last changed */
	struct snic_team_member member[4];
};
SNIC_ASSERT_SIZE(struct snic_team_status, 40 + 4 * 32);

/* Beacon frames (sent on every member with carrier, broadcast, source =
 * the uplink's MAC, consumed by the device, never delivered to a VNIC). */
#define SNIC_BEACON_ETHERTYPE 0x88b5 /* IEEE local experimental 1 */
#define SNIC_BEACON_MAGIC     0x534e4243u /* "SNBC" */

#endif
