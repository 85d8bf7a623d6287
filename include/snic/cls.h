/* SPDX-License-Identifier: MIT */
/*
 * Classifier key, mask and action: the one definition shared by the HDL
 * match engine (hdl/ gets generated localparams from this file), the
 * firmware, the C reference classifier (also the host software-ring
 * classifier) and the tools.
 *
 * A key is 64 bytes. Multi-byte fields are in network byte order. Byte i
 * of the key is bits [8*i+7 : 8*i] of the HDL key vector. A ternary entry
 * matches a packet when (packet_key & mask) == (value & mask) for every
 * byte; a mask of all zeroes matches everything.
 */
#ifndef SNIC_CLS_H
#define SNIC_CLS_H

#include "types.h"

#define SNIC_KEY_BYTES 64

/* snic_key.flags: what the parser found. */
#define SNIC_KF_VLAN      0x01 /* at least one 802.1Q/802.1ad tag */
#define SNIC_KF_QINQ      0x02 /* two tags: outer is in vlan_outer */
#define SNIC_KF_IPV4      0x04
#define SNIC_KF_IPV6      0x08
#define SNIC_KF_L4        0x10 /* sport/dport (or ICMP type) are valid */
#define SNIC_KF_FRAG      0x20 /* IP fragment (any); L4 only from the first */
#define SNIC_KF_ARP       0x40 /* ARP: sip = sender IP, dip = target IP */
#define SNIC_KF_ERR       0x80 /* truncated or malformed: fields past the
				* error are zero, see docs/classifier.md */

struct snic_key {
	uint8_t flags;         /*  0: SNIC_KF_* */
	uint8_t port;          /*  1: ingress uplink */
	uint8_t dmac[6];       /*  2 */
	uint8_t smac[6];       /*  8 */
	uint8_t vlan_outer[2]; /* 14: outer TCI when SNIC_KF_QINQ, else 0 */
	uint8_t vlan[2];       /* 16: TCI of the innermost (or only) tag */
	uint8_t ethertype[2];  /* 18: after all tags */
	uint8_t ip_proto;      /* 20: IPv4 protocol / IPv6 upper-layer header */
	uint8_t icmp_type;     /* 21: ICMP / ICMPv6 type when SNIC_KF_L4 */
	uint8_t ip_tos;        /* 22: IPv4 TOS / IPv6 traffic class */
	uint8_t rsvd0;         /* 23: always 0 */
	uint8_t sip[16];       /* 24: IPv4 in sip[0..3], rest 0 */
	uint8_t dip[16];       /* 40: IPv4 in dip[0..3], rest 0 */
	uint8_t sport[2];      /* 56 */
	uint8_t dport[2];      /* 58 */
	uint8_t rsvd1[4];      /* 60: always 0 */
};
SNIC_ASSERT_SIZE(struct snic_key, SNIC_KEY_BYTES);

/* Byte offsets of key fields (the HDL uses the generated copy). */
#define SNIC_KEY_OFF_FLAGS       0
#define SNIC_KEY_OFF_PORT        1
#define SNIC_KEY_OFF_DMAC        2
#define SNIC_KEY_OFF_SMAC        8
#define SNIC_KEY_OFF_VLAN_OUTER 14
#define SNIC_KEY_OFF_VLAN       16
#define SNIC_KEY_OFF_ETHERTYPE  18
#define SNIC_KEY_OFF_IP_PROTO   20
#define SNIC_KEY_OFF_ICMP_TYPE  21
#define SNIC_KEY_OFF_IP_TOS     22
#define SNIC_KEY_OFF_SIP        24
#define SNIC_KEY_OFF_DIP        40
#define SNIC_KEY_OFF_SPORT      56
#define SNIC_KEY_OFF_DPORT      58

/*
 * Key field bits, used by the capability record (fields a profile can
 * match on) and by the firmware to refuse rules a profile cannot hold.
 */
#define SNIC_FIELD_FLAGS      (1u << 0)
#define SNIC_FIELD_PORT       (1u << 1)
#define SNIC_FIELD_DMAC       (1u << 2)
#define SNIC_FIELD_SMAC       (1u << 3)
#define SNIC_FIELD_VLAN_OUTER (1u << 4)
#define SNIC_FIELD_VLAN       (1u << 5)
#define SNIC_FIELD_ETHERTYPE  (1u << 6)
#define SNIC_FIELD_IP_PROTO   (1u << 7)
#define SNIC_FIELD_ICMP_TYPE  (1u << 8)
#define SNIC_FIELD_IP_TOS     (1u << 9)
#define SNIC_FIELD_SIP        (1u << 10)
#define SNIC_FIELD_DIP        (1u << 11)
#define SNIC_FIELD_SPORT      (1u << 12)
#define SNIC_FIELD_DPORT      (1u << 13)
#define SNIC_FIELD_ALL        0x3fffu

/* The key field byte i of the key belongs to; 0 for the reserved bytes,
 * which no rule may mask. */
static inline uint32_t snic_key_byte_field(unsigned i)
{
	if (i == SNIC_KEY_OFF_FLAGS)     return SNIC_FIELD_FLAGS;
	if (i == SNIC_KEY_OFF_PORT)      return SNIC_FIELD_PORT;
	if (i < SNIC_KEY_OFF_SMAC)       return SNIC_FIELD_DMAC;
	if (i < SNIC_KEY_OFF_VLAN_OUTER) return SNIC_FIELD_SMAC;
	if (i < SNIC_KEY_OFF_VLAN)       return SNIC_FIELD_VLAN_OUTER;
	if (i < SNIC_KEY_OFF_ETHERTYPE)  return SNIC_FIELD_VLAN;
	if (i < SNIC_KEY_OFF_IP_PROTO)   return SNIC_FIELD_ETHERTYPE;
	if (i == SNIC_KEY_OFF_IP_PROTO)  return SNIC_FIELD_IP_PROTO;
	if (i == SNIC_KEY_OFF_ICMP_TYPE) return SNIC_FIELD_ICMP_TYPE;
	if (i == SNIC_KEY_OFF_IP_TOS)    return SNIC_FIELD_IP_TOS;
	if (i < SNIC_KEY_OFF_SIP)        return 0; /* rsvd0 */
	if (i < SNIC_KEY_OFF_DIP)        return SNIC_FIELD_SIP;
	if (i < SNIC_KEY_OFF_SPORT)      return SNIC_FIELD_DIP;
	if (i < SNIC_KEY_OFF_DPORT)      return SNIC_FIELD_SPORT;
	if (i < SNIC_KEY_OFF_DPORT + 2)  return SNIC_FIELD_DPORT;
	return 0;                                  /* rsvd1 */
}

/* The key bytes (bit i: byte i) a table matching on `fields` stores: the
 * ternary table of a profile holds only these (hdl/snic_match_engine.sv),
 * so a rule masking any other byte cannot be held. */
static inline uint64_t snic_key_fields_bytes(uint32_t fields)
{
	uint64_t b = 0;
	for (unsigned i = 0; i < SNIC_KEY_BYTES; i++)
		if (snic_key_byte_field(i) & fields)
			b |= (uint64_t)1 << i;
	return b;
}

/* Action flags. */
#define SNIC_ACT_DROP    0x01 /* drop the packet (counted per rule) */
#define SNIC_ACT_COUNT   0x02 /* count hits in the per-entry hit counter */
#define SNIC_ACT_MARK_SW 0x04 /* deliver to the VNIC's shared HRR for the
			       * host software classifier */
#define SNIC_ACT_METER   0x08 /* apply meter `meter` */

#define SNIC_VNIC_NONE   0xffffu
#define SNIC_RING_DEFAULT 0xffffu /* the VNIC's own ring */
#define SNIC_METER_NONE  0xffffu

struct snic_action {
	snic_le16 vnic;   /* destination VNIC, SNIC_VNIC_NONE for none */
	snic_le16 ring;   /* RX ring override, SNIC_RING_DEFAULT for the VNIC's */
	snic_le16 meter;  /* meter id when SNIC_ACT_METER */
	uint8_t   flags;  /* SNIC_ACT_* */
	uint8_t   gen;    /* 0 from the host. In the engine's copy the firmware
			  * stamps the named VNIC's incarnation here, so a frame
			  * classified for a VNIC since destroyed is never
			  * handed to the next VNIC given its id. */
};
SNIC_ASSERT_SIZE(struct snic_action, 8);

/* One classifier entry as carried by admin commands. */
struct snic_rule {
	struct snic_key    value;
	struct snic_key    mask;
	struct snic_action action;
};
SNIC_ASSERT_SIZE(struct snic_rule, 136);

/* Result of one lookup (HDL output, reference model output). */
#define SNIC_RULE_MISS 0xffffu
#define SNIC_RULE_EXACT 0x8000u /* rule >= this: exact-match slot rule - 0x8000
				 * (same value as classifier/exact.h) */
struct snic_match {
	snic_le16 rule;   /* ternary index that matched (a ternary hit wins);
			  * else SNIC_RULE_EXACT + slot for an exact-match hit
			  * (the slot may change as the firmware moves entries);
			  * SNIC_RULE_MISS on miss */
	uint8_t   key_flags; /* snic_key.flags of the packet */
	uint8_t   rsvd;
	struct snic_action action; /* zero action with vnic NONE on miss */
	/* RSS (rss.h), computed from the key alongside the lookup: */
	snic_le32 hash;      /* Toeplitz hash; 0 when hash_type is NONE */
	uint8_t   hash_type; /* SNIC_RSS_HT_* bit of the type used, or NONE */
	uint8_t   rsvd1[3];  /* 0 */
};
SNIC_ASSERT_SIZE(struct snic_match, 20);

#endif
