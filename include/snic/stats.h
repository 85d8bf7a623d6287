/* SPDX-License-Identifier: MIT */
/*
 * Device statistics block: a counter for every reason a packet can be
 * dropped, plus per-uplink traffic counters. Device-written, 64-bit.
 */
#ifndef SNIC_STATS_H
#define SNIC_STATS_H

#include "types.h"

enum snic_drop_reason {
	SNIC_DROP_NO_MATCH   = 0, /* no rule and no VNIC MAC matched */
	SNIC_DROP_RULE       = 1, /* a rule said drop */
	SNIC_DROP_RING_FULL  = 2, /* no posted RX buffer */
	SNIC_DROP_TOO_LONG   = 3, /* larger than the ring's buffers */
	SNIC_DROP_RUNT       = 4, /* shorter than an Ethernet header */
	SNIC_DROP_PORT_DOWN  = 5, /* arrived on an administratively down port */
	SNIC_DROP_BAD_BUF    = 6, /* host posted an invalid buffer */
	SNIC_DROP_NO_VNIC    = 7, /* rule names a VNIC that does not exist */
	SNIC_DROP_METER      = 8, /* policer coloured it red */
	SNIC_DROP_TX_SPOOF   = 9, /* TX frame with a foreign source MAC/IP */
	SNIC_DROP_TX_BAD     = 10,/* TX descriptor invalid */
	SNIC_DROP_OVERSIZE   = 11,/* longer than the port's MAC takes (16,384 B):
				   * an RX error of the port, counted with its
				   * rx_packets */
	SNIC_DROP_REASONS    = 16
};

/* Short stable names of the drop reasons, for tools and logs. */
static inline const char *snic_drop_name(unsigned reason)
{
	static const char *const names[SNIC_DROP_REASONS] = {
		"no_match", "rule_drop", "ring_full", "too_long", "runt",
		"port_down", "bad_buffer", "no_vnic", "meter_red", "tx_spoof",
		"tx_bad", "oversize",
	};
	if (reason >= SNIC_DROP_REASONS || !names[reason])
		return "unknown";
	return names[reason];
}

#define SNIC_MAX_UPLINKS 4

struct snic_port_stats {
	snic_le64 rx_packets;
	snic_le64 rx_bytes;
	snic_le64 tx_packets;
	snic_le64 tx_bytes;
};
SNIC_ASSERT_SIZE(struct snic_port_stats, 32);

struct snic_blk_stats {
	struct snic_block_hdr hdr;
	snic_le64 drops[SNIC_DROP_REASONS];       /* enum snic_drop_reason */
	struct snic_port_stats port[SNIC_MAX_UPLINKS];
	snic_le64 cls_lookups;                    /* classifier lookups */
	snic_le64 cls_hits;
	snic_le64 admin_cmds;                     /* commands processed */
	snic_le64 admin_errors;                   /* answered with an error */
};
SNIC_ASSERT_SIZE(struct snic_blk_stats, 16 + 128 + 128 + 32);

#endif
