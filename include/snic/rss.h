/* SPDX-License-Identifier: MIT */
/*
 * Receive-side scaling: the Toeplitz hash the match engine computes for
 * every frame, as defined by Microsoft's RSS specification ("RSS hashing
 * functions", "RSS hashing types"), so that a host stack's software hash
 * of the same flow (Linux, Windows, DPDK) gives the same value.
 *
 * Hash. A 40-byte secret key K (SNIC_RSS_KEY_BYTES). The input is the
 * byte string source address, destination address, then (for a TCP/UDP
 * hash type) source port, destination port, each in network byte order:
 * 8 or 12 bytes for IPv4, 32 or 36 bytes for IPv6. For every input bit
 * from the most significant bit of the first byte on, if the bit is 1 the
 * result is XORed with the left-most 32 bits of K, then K shifts left by
 * one bit. The engine's key register and enabled types are device-wide.
 *
 * Hash type of a frame (one of the enabled types, or none), from what the
 * parser found (snic_key.flags, cls.h):
 *  - IPv4 (SNIC_KF_IPV4) / IPv6 (SNIC_KF_IPV6), otherwise no hash;
 *  - TCP (ip_proto 6) or UDP (ip_proto 17) with its ports parsed
 *    (SNIC_KF_L4) and not a fragment (no SNIC_KF_FRAG, which covers the
 *    first fragment too, so all fragments of a datagram hash alike), and
 *    that protocol's type enabled: the 4-tuple type (ethtool "sdfn");
 *  - else the address type if enabled (ethtool "sd"): other protocols,
 *    fragments, ICMP, SCTP, a transport header cut short;
 *  - else no hash.
 * ARP and non-IP frames never get a hash. IPv6 extension headers are
 * walked (up to SNIC_IPV6_MAX_EXT) but their addresses (home address,
 * routing header) are not used: the "_EX" types of the spec are not
 * offered. A frame without a hash has snic_match.hash = 0 and hash_type
 * SNIC_RSS_HT_NONE; the firmware then uses the VNIC's default ring.
 *
 * snic_match.hash_type names the type used with the same bit as the
 * enabled-type set, so a driver can report L4 (TCP/UDP types) or L3 hashes
 * to its stack (Linux PKT_HASH_TYPE_L4 / PKT_HASH_TYPE_L3).
 */
#ifndef SNIC_RSS_H
#define SNIC_RSS_H

#include "types.h"

#define SNIC_RSS_KEY_BYTES 40

/* Hash types: the enabled set (a mask) and snic_match.hash_type (one bit). */
#define SNIC_RSS_HT_NONE     0x00
#define SNIC_RSS_HT_IPV4     0x01 /* IPv4 src, dst               ("sd")   */
#define SNIC_RSS_HT_TCP_IPV4 0x02 /* IPv4 src, dst, TCP sport, dport ("sdfn") */
#define SNIC_RSS_HT_UDP_IPV4 0x04 /* IPv4 src, dst, UDP sport, dport ("sdfn") */
#define SNIC_RSS_HT_IPV6     0x08 /* IPv6 src, dst               ("sd")   */
#define SNIC_RSS_HT_TCP_IPV6 0x10 /* IPv6 src, dst, TCP sport, dport ("sdfn") */
#define SNIC_RSS_HT_UDP_IPV6 0x20 /* IPv6 src, dst, UDP sport, dport ("sdfn") */
#define SNIC_RSS_HT_ALL      0x3f
#define SNIC_RSS_HT_L4       (SNIC_RSS_HT_TCP_IPV4 | SNIC_RSS_HT_UDP_IPV4 | \
			      SNIC_RSS_HT_TCP_IPV6 | SNIC_RSS_HT_UDP_IPV6)

/*
 * The engine's configuration: key and enabled types, written as one word
 * (old or new for every frame, never a mix). Also the C model's input.
 */
struct snic_rss_cfg {
	uint8_t key[SNIC_RSS_KEY_BYTES];
	uint8_t types;   /* SNIC_RSS_HT_* mask; 0 = hashing off */
	uint8_t rsvd[3]; /* 0 */
};
SNIC_ASSERT_SIZE(struct snic_rss_cfg, 44);

/*
 * SNIC_CMD_RSS_SET (admin.h): set what `flags` names, for VNIC `vnic`
 * (the one whose driver asks). Changing the key or the enabled types
 * changes the device-wide engine configuration and is allowed only to a
 * trusted VNIC (snic_vnic_policy) or through the card-wide handle;
 * others get SNIC_E_PERM. Unknown flags or types, or rsvd not 0:
 * SNIC_E_INVAL, nothing changes. A VNIC that asks for fewer types than the
 * engine's set (e.g. ethtool -N udp4 sd) gets them from the firmware,
 * which recomputes the hash with the C model for that VNIC's frames.
 *
 * Who asks: `vnic` is the VNIC whose driver asks (its policy decides), or
 * SNIC_VNIC_NONE for the card-wide handle: the host's own device setup
 * (the PF driver at probe, snicctl), always allowed. This firmware keeps
 * one set of types for the whole card: a VNIC's effective types are the
 * engine's, and a request naming fewer types for an untrusted VNIC is
 * refused with SNIC_E_PERM like any other change (the per-VNIC recompute
 * sketched above is not implemented).
 */
#define SNIC_RSS_SET_KEY   0x0001 /* `key` is the new key */
#define SNIC_RSS_SET_TYPES 0x0002 /* `types` is the new enabled set */

struct snic_rss_set {
	snic_le16 vnic;
	snic_le16 flags;  /* SNIC_RSS_SET_* */
	uint8_t   types;  /* SNIC_RSS_HT_* */
	uint8_t   rsvd[3];
	uint8_t   key[SNIC_RSS_KEY_BYTES];
};
SNIC_ASSERT_SIZE(struct snic_rss_set, 48);

/* SNIC_CMD_RSS_QUERY: snic_vnic_ref -> snic_rss_info. */
struct snic_rss_info {
	snic_le16 vnic;
	uint8_t   types;          /* the VNIC's effective types */
	uint8_t   engine_types;   /* the engine's (device-wide) set */
	uint8_t   supported;      /* SNIC_RSS_HT_ALL on this engine */
	uint8_t   key_bytes;      /* SNIC_RSS_KEY_BYTES */
	snic_le16 rsvd;
	uint8_t   key[SNIC_RSS_KEY_BYTES];
};
SNIC_ASSERT_SIZE(struct snic_rss_info, 48);


/*
 * SNIC_CMD_RSS_QUEUES (admin.h): give VNIC `vnic` a queue set and an
 * indirection table, so its frames spread over several receive rings.
 * Queue 0 is always the VNIC's own HRR and TRR (snic_vnic_info.rx_ring,
 * tx_ring; they must be dedicated rings, else SNIC_E_BUSY); queues
 * 1..n_queues-1 take the HRRs rx_ring[q] and TRRs tx_ring[q] named, each
 * an unbound dedicated ring or one of the VNIC's set (SNIC_E_NOENT: no
 * such ring, SNIC_E_BUSY: another VNIC's, SNIC_E_INVAL: named twice), or
 * SNIC_RSS_RING_ANY for the lowest free one.
 * rx_ring[0], tx_ring[0] and the entries past n_queues must be
 * SNIC_RSS_RING_ANY. A TRR of the set sends for the VNIC like its own.
 *
 * A frame the VNIC's own MAC entry claims (or a host rule naming the VNIC
 * without a ring of its own) goes to queue indir[hash % indir_size] when
 * the frame has a hash (hash_type not NONE), else to queue 0; so the
 * frames of one flow always share a queue. indir_size is a power of two,
 * 1..snic_cap_rss.indir_entries; indir[i] < n_queues for i < indir_size,
 * 0 past it.
 *
 * Tables come from a small device-wide pool (snic_cap_rss.tables):
 * SNIC_E_NOSPC when it is empty or too few rings are free, nothing
 * changed. A VNIC that has a set gets the new one in place (its extra
 * rings are released first, then taken again: name them ANY or the same
 * ones). n_queues = 1 releases the set: the VNIC keeps queue 0 only.
 * Destroying the VNIC and RESET release it too. Changing a set moves flows
 * between rings without holding any ring back (no gate, unlike
 * RING_BIND): frames of a flow already in its old ring may be overtaken,
 * as on any NIC whose indirection table changes; drivers change it while
 * the interface is quiet (ethtool -L/-X). The reply lists the rings:
 * snic_rss_queues_info.
 */
#define SNIC_RSS_MAX_QUEUES 8      /* per VNIC, queue 0 included */
#define SNIC_RSS_INDIR_MAX  128    /* entries the command can carry */
#define SNIC_RSS_RING_ANY   0xffffu

struct snic_rss_queues {
	snic_le16 vnic;
	uint8_t   n_queues;    /* 1..snic_cap_rss.max_queues */
	uint8_t   rsvd;        /* 0 */
	snic_le16 indir_size;  /* power of two, 1..snic_cap_rss.indir_entries */
	snic_le16 rsvd1;       /* 0 */
	snic_le16 rx_ring[SNIC_RSS_MAX_QUEUES]; /* HRR of queue q, or ANY */
	snic_le16 tx_ring[SNIC_RSS_MAX_QUEUES]; /* TRR of queue q, or ANY */
	uint8_t   indir[SNIC_RSS_INDIR_MAX];    /* queue index per entry */
};
SNIC_ASSERT_SIZE(struct snic_rss_queues, 168);

/* The reply: the rings of every queue (entries past n_queues 0xffff). */
struct snic_rss_queues_info {
	snic_le16 vnic;
	uint8_t   n_queues;
	uint8_t   table;       /* pool table in use (diagnostics) */
	snic_le16 indir_size;
	snic_le16 rsvd;
	snic_le16 rx_ring[SNIC_RSS_MAX_QUEUES];
	snic_le16 tx_ring[SNIC_RSS_MAX_QUEUES];
};
SNIC_ASSERT_SIZE(struct snic_rss_queues_info, 40);

#endif
