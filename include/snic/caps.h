/* SPDX-License-Identifier: MIT */
/*
 * Capability records: the one standardized format in which every snic
 * device advertises its hardware to the host. Two devices with different
 * hardware produce the same kinds of records with different contents.
 *
 * The record stream starts with one SNIC_CAP_HEADER, then, in this fixed
 * order: one SNIC_CAP_RX_RING per receive ring (HRR), one SNIC_CAP_TX_RING
 * per transmit ring (TRR), one SNIC_CAP_CLASSIFIER, one SNIC_CAP_METERS,
 * one SNIC_CAP_UPLINK per uplink, one SNIC_CAP_L2 (from ABI 1.1; a reader
 * must accept its absence), one SNIC_CAP_RSS (from ABI 1.2, the same) and
 * SNIC_CAP_END. Each record starts with
 * struct snic_cap_hdr; `len` covers the header, so a reader can skip
 * records of a newer version it does not know. The host keeps a copy.
 */
#ifndef SNIC_CAPS_H
#define SNIC_CAPS_H

#include "types.h"

#define SNIC_CAP_FORMAT_VERSION 1

enum snic_cap_type {
	SNIC_CAP_HEADER     = 1,
	SNIC_CAP_RX_RING    = 2,
	SNIC_CAP_TX_RING    = 3,
	SNIC_CAP_CLASSIFIER = 4,
	SNIC_CAP_METERS     = 5,
	SNIC_CAP_UPLINK     = 6,
	SNIC_CAP_L2         = 7,
	SNIC_CAP_RSS        = 8,
	SNIC_CAP_END        = 0xffff,
};

struct snic_cap_hdr {
	snic_le16 type;     /* enum snic_cap_type */
	snic_le16 version;  /* record layout version, 1 */
	snic_le32 len;      /* bytes including this header */
};
SNIC_ASSERT_SIZE(struct snic_cap_hdr, 8);

struct snic_cap_header {
	struct snic_cap_hdr h;
	snic_le16 format;     /* SNIC_CAP_FORMAT_VERSION */
	snic_le16 n_rx_rings;
	snic_le16 n_tx_rings;
	snic_le16 n_uplinks;
	snic_le16 max_vnics;
	snic_le16 rsvd;
	char     profile[16];
};
SNIC_ASSERT_SIZE(struct snic_cap_header, 36);

/* Ring record: how the host drives one ring. */
#define SNIC_RINGCAP_POLL  0x1 /* polling mode supported */
#define SNIC_RINGCAP_INTR  0x2 /* per-ring interrupt enable/disable */

struct snic_cap_ring {
	struct snic_cap_hdr h;
	snic_le16 id;
	snic_le16 msix;       /* MSI-X vector assigned */
	snic_le32 size;       /* capacity in packets */
	snic_le32 buf_max;    /* largest frame */
	snic_le32 ctrl_off;   /* window offset of the ring's control area */
	snic_le32 poll_off;   /* window offset of the poll entry point (cpl_prod
			      * for RX, desc_cons for TX) */
	snic_le32 intr_off;   /* window offset of intr_enable (0 if none) */
	snic_le32 flags;      /* SNIC_RINGCAP_* */
};
SNIC_ASSERT_SIZE(struct snic_cap_ring, 36);

/* Classifier action bits advertised. */
#define SNIC_CLSCAP_ACT_VNIC    0x01
#define SNIC_CLSCAP_ACT_RING    0x02
#define SNIC_CLSCAP_ACT_DROP    0x04
#define SNIC_CLSCAP_ACT_COUNT   0x08
#define SNIC_CLSCAP_ACT_MARK_SW 0x10
#define SNIC_CLSCAP_ACT_METER   0x20

struct snic_cap_classifier {
	struct snic_cap_hdr h;
	snic_le32 key_fields;   /* SNIC_FIELD_* the ternary table matches on */
	snic_le32 ternary;      /* ternary entries */
	snic_le32 exact;        /* exact-match entries (0: none) */
	snic_le32 actions;      /* SNIC_CLSCAP_ACT_* */
	snic_le16 key_bytes;    /* SNIC_KEY_BYTES */
	snic_le16 latency;      /* lookup latency in clock cycles */
	snic_le32 user_entries; /* indices 0..user_entries-1 take host rules;
				* the rest steer VNIC MACs (lowest priority).
				* With an exact table steering the VNIC MACs,
				* user_entries may equal ternary: the MAC
				* entries' indices then lie past the table */
};
SNIC_ASSERT_SIZE(struct snic_cap_classifier, 32);

struct snic_cap_meters {
	struct snic_cap_hdr h;
	snic_le32 count;
	snic_le32 modes;        /* bit (1 << SNIC_METER_*) */
	snic_le64 min_bps;
	snic_le64 max_bps;
};
SNIC_ASSERT_SIZE(struct snic_cap_meters, 32);

struct snic_cap_uplink {
	struct snic_cap_hdr h;
	snic_le16 id;
	uint8_t   mac[6];
	snic_le32 speed_mbps;
};
SNIC_ASSERT_SIZE(struct snic_cap_uplink, 20);

/* L2 features (l2.h): group delivery, VLAN membership, MAC changes,
 * per-VNIC counters. */
#define SNIC_L2CAP_GROUP   0x01 /* broadcast/multicast/promiscuous delivery */
#define SNIC_L2CAP_VLANS   0x02 /* VNIC_VLANS */
#define SNIC_L2CAP_MAC     0x04 /* VNIC_MAC, VNIC_POLICY */
#define SNIC_L2CAP_VSTATS  0x08 /* SNIC_BLK_VSTATS */
#define SNIC_L2CAP_PORT_VLAN 0x10 /* VNIC_PORT_VLAN: tags inserted and stripped */

struct snic_cap_l2 {
	struct snic_cap_hdr h;
	snic_le32 flags;          /* SNIC_L2CAP_* */
	snic_le16 mc_filters;     /* multicast list entries, device-wide */
	snic_le16 vlan_filters;   /* VLAN membership entries, device-wide */
	snic_le16 mc_per_vnic;    /* SNIC_L2_MC_PER_VNIC */
	snic_le16 vlans_per_vnic; /* SNIC_L2_VLANS_PER_VNIC */
	snic_le32 rsvd;
};
SNIC_ASSERT_SIZE(struct snic_cap_l2, 24);

/* Receive-side scaling (rss.h): the device-wide pool of indirection
 * tables for SNIC_CMD_RSS_QUEUES. */
struct snic_cap_rss {
	struct snic_cap_hdr h;
	uint8_t   types;          /* SNIC_RSS_HT_* the engine can hash */
	uint8_t   key_bytes;      /* SNIC_RSS_KEY_BYTES */
	uint8_t   tables;         /* queue sets (tables) in the pool */
	uint8_t   max_queues;     /* per VNIC, queue 0 included */
	snic_le16 indir_entries;  /* largest indir_size */
	snic_le16 rsvd;
};
SNIC_ASSERT_SIZE(struct snic_cap_rss, 16);

/* Largest record stream any profile produces (sizes the caps area). */
#define SNIC_CAPS_MAX_BYTES 4096

#endif
