/* SPDX-License-Identifier: MIT */
/*
 * Receive and transmit rings.
 *
 * Each ring has a control area (struct snic_rxq / snic_txq) inside the
 * window, found through the RXQ/TXQ blocks, plus a descriptor array and,
 * for RX, a completion array. Indices are free-running 32-bit counters;
 * the slot is index % size (size is a power of two). Host-written and
 * device-written words live on separate 64-byte lines.
 *
 * RX: the host posts empty buffers (snic_rx_desc) and advances desc_prod.
 * For each packet the device takes the next posted descriptor, writes the
 * frame into the buffer, writes snic_rx_cpl at the same slot and then
 * advances cpl_prod (release). The host reads completions up to cpl_prod
 * (acquire), then advances cpl_cons and reposts the buffer. No posted
 * buffer means "ring full": the packet is dropped and counted in drop_full.
 *
 * TX: the host writes snic_tx_desc entries and advances desc_prod (the
 * doorbell). The device sends them in order and advances desc_cons; the
 * host may reuse a buffer once desc_cons has passed its slot.
 */
#ifndef SNIC_RING_H
#define SNIC_RING_H

#include "types.h"

/* Ring state (device-written). */
#define SNIC_RING_UNBOUND 0
#define SNIC_RING_BOUND   1 /* bound to one VNIC */
#define SNIC_RING_SHARED  2 /* shared HRR: host software classifier splits it */

/* Ring modes (host-written). */
#define SNIC_MODE_INTR 0 /* device raises the interrupt when intr_enable */
#define SNIC_MODE_POLL 1 /* host pulls up to its budget per poll */

struct snic_rx_desc {
	snic_le64 addr;   /* window offset of the buffer (inside the DMA region) */
	snic_le32 len;    /* buffer bytes */
	snic_le32 rsvd;
};
SNIC_ASSERT_SIZE(struct snic_rx_desc, 16);

/* snic_rx_cpl.flags */
#define SNIC_RXF_HIT     0x0001 /* a classifier rule matched */
#define SNIC_RXF_MARK_SW 0x0002 /* host software classifier must split it */
#define SNIC_RXF_KEYERR  0x0004 /* parser flagged a malformed header */
#define SNIC_RXF_GROUP   0x0008 /* a copy made by group delivery (l2.h):
				 * broadcast, multicast, VLAN-member unicast
				 * or promiscuous; `vnic` is its receiver */

struct snic_rx_cpl {
	snic_le32 len;     /* frame bytes written (without FCS) */
	snic_le16 vnic;    /* destination VNIC */
	snic_le16 rule;    /* snic_match.rule: ternary index, SNIC_RULE_EXACT +
			   * slot, or SNIC_RULE_MISS */
	snic_le16 flags;   /* SNIC_RXF_* */
	snic_le16 meter;   /* meter applied, SNIC_METER_NONE if none */
	uint8_t   color;   /* meter colour: 0 green, 1 yellow, 2 red */
	uint8_t   port;    /* ingress uplink */
	uint8_t   key_flags; /* snic_key.flags */
	uint8_t   hash_type; /* snic_match.hash_type (rss.h): SNIC_RSS_HT_* bit
			     * of the hash below, SNIC_RSS_HT_NONE if none
			     * (was rsvd0, always 0 before ABI 1.2) */
	snic_le64 time_ns; /* device time at reception */
	snic_le32 desc;    /* descriptor index the buffer came from */
	snic_le32 hash;    /* snic_match.hash: the frame's Toeplitz hash, 0
			   * without one (was rsvd1) */
};
SNIC_ASSERT_SIZE(struct snic_rx_cpl, 32);

struct snic_rxq {
	/* line 0: layout and device-written state */
	snic_le32 desc_off;   /* window offset of snic_rx_desc[size] */
	snic_le32 cpl_off;    /* window offset of snic_rx_cpl[size] */
	snic_le32 size;       /* entries, power of two */
	snic_le32 buf_max;    /* largest frame the ring accepts */
	snic_le32 state;      /* SNIC_RING_* */
	snic_le16 vnic;       /* bound VNIC, SNIC_VNIC_NONE when unbound/shared */
	snic_le16 msix;       /* MSI-X vector of this ring */
	snic_le32 rsvd0[10];
	/* line 1: host-written */
	snic_le32 desc_prod;  /* buffers posted (doorbell) */
	snic_le32 cpl_cons;   /* completions consumed */
	snic_le32 mode;       /* SNIC_MODE_* */
	snic_le32 intr_enable;/* 1: raise interrupts in SNIC_MODE_INTR */
	snic_le32 rsvd1[12];
	/* line 2: device-written progress and counters */
	snic_le32 desc_cons;  /* descriptors taken */
	snic_le32 cpl_prod;   /* completions written (the poll entry point) */
	snic_le32 irq_count;  /* interrupts raised */
	snic_le32 rsvd2;
	snic_le64 packets;
	snic_le64 bytes;
	snic_le64 drop_full;  /* no posted buffer */
	snic_le64 drop_badbuf;/* posted buffer outside the DMA region or too small */
	snic_le32 rsvd3[4];
};
SNIC_ASSERT_SIZE(struct snic_rxq, 192);

/*
 * snic_txq.flags (an addition to ABI 1.0). SNIC_TXQF_KICK: the device is
 * about to nap and will not look at desc_prod again until it is woken (or
 * a bounded time has passed): after advancing desc_prod, a host that sees this flag
 * writes `kick` to the transport's doorbell register (ivshmem-doorbell:
 * BAR0 offset 12, `peer << 16 | vector`). The host's desc_prod store and
 * its flag load need a full barrier between them, as the device's flag
 * store and its desc_prod load do (AF_XDP's need_wakeup): then either the
 * device sees the new descriptors before it naps or the host sees the
 * flag. A flag that stays 0 (a device that never naps, or cannot be woken)
 * asks for nothing.
 */
#define SNIC_TXQF_KICK 0x1u

/* snic_tx_desc.flags */
#define SNIC_TXF_NONE 0

struct snic_tx_desc {
	snic_le64 addr;   /* window offset of the frame (inside the DMA region) */
	snic_le32 len;    /* frame bytes */
	snic_le16 flags;  /* SNIC_TXF_* */
	snic_le16 rsvd;
};
SNIC_ASSERT_SIZE(struct snic_tx_desc, 16);

struct snic_txq {
	/* line 0: layout and device-written state */
	snic_le32 desc_off;   /* window offset of snic_tx_desc[size] */
	snic_le32 rsvd_off;
	snic_le32 size;       /* entries, power of two */
	snic_le32 buf_max;    /* largest frame accepted */
	snic_le32 state;      /* SNIC_RING_* */
	snic_le16 vnic;       /* VNIC allowed to send on this ring */
	snic_le16 msix;
	snic_le32 rsvd0[10];
	/* line 1: host-written */
	snic_le32 desc_prod;  /* frames queued (doorbell) */
	snic_le32 rsvd1[15];
	/* line 2: device-written */
	snic_le32 desc_cons;  /* frames taken (sent or dropped) */
	snic_le32 flags;      /* SNIC_TXQF_* (device-written) */
	snic_le32 kick;       /* doorbell value that wakes the device (SNIC_TXQF_KICK) */
	snic_le32 rsvd2;
	snic_le64 packets;
	snic_le64 bytes;
	snic_le64 drop_spoof; /* source MAC/IP not the VNIC's own */
	snic_le64 drop_bad;   /* bad address/length, unbound ring */
	snic_le32 rsvd3[4];
};
SNIC_ASSERT_SIZE(struct snic_txq, 192);

#endif
