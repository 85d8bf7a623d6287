/* SPDX-License-Identifier: MIT */
/*
 * The firmware instance, struct fw, and the state of every core module as
 * a member of it: private to firmware/core (the public side is fw.h).
 * Everything is in fixed-size tables sized by the compile-time limits
 * below; fw_init() refuses hardware that exceeds them.
 */
#ifndef SNIC_FW_TYPES_H
#define SNIC_FW_TYPES_H

#include <stdbool.h>
#include <stdint.h>
#include <snic/abi.h>
#include "fw.h"
#include "hal/hal.h"
#include "meter.h"
#include "exact_table.h"
#include "share.h"

/* Compile-time limits of this firmware build. */
#define FW_MAX_RINGS      16
#define FW_MAX_VNICS      1024
#define FW_MAX_TCAM       1024
#define FW_MAX_FRAME      16384   /* largest buf_max the firmware accepts */
#define FW_MIN_FRAME      14      /* an Ethernet header */
#define FW_MAC_MAX_FRAME  16384   /* the uplink MACs' largest frame; longer
				   * ones are RX errors (SNIC_DROP_OVERSIZE) */
#define FW_MAX_RING_SIZE  4096    /* entries per ring */
#define FW_ADMIN_ENTRIES  16
#define FW_MAX_METERS     4096    /* policers; shapers are one per VNIC */
/* Layer-2 lists (l2.h), device-wide pools: RAM, not a per-VNIC array. */
#define FW_L2_MC_POOL     64      /* multicast list entries */
#define FW_L2_VLAN_POOL   64      /* VLAN membership entries */
/* RSS queue sets (rss.h): a small device-wide pool of tables. */
#define FW_RSS_TABLES     4
#define FW_RSS_INDIR      64      /* entries per table, a power of two */
#define FW_RSS_QUEUES     4       /* per set, queue 0 included (<= SNIC_RSS_MAX_QUEUES) */
#define FW_MIN_DMA        (64u * 1024u) /* smallest usable host memory region */
#define FW_ALIGN_LINE     64u
#define FW_ALIGN_PAGE     4096u

/* Work bounds per fw_poll(), so one busy source cannot starve the others. */
#define FW_RX_BUDGET      256
#define FW_TX_BUDGET      64     /* per TX ring */
#define FW_ADMIN_BUDGET   FW_ADMIN_ENTRIES

#define FW_VERSION        0x000100u /* 0.1.0 */
/* A ring move waits at most this long for the host to drain the old ring. */
#define FW_GATE_TIMEOUT_NS 100000000ull

/* The shared rings: HRR 0 and TRR 0 carry the software-ring VNICs. */
#define FW_SHARED_RING    0

/* Window offsets of everything the firmware laid out (see docs/firmware.md). */
struct fw_layout {
	uint32_t devid, fwblk, admin, caps, stats, dma, rxq_blk, txq_blk;
	uint32_t admin_cmd, admin_cpl;
	uint32_t caps_rec, caps_len;
	uint32_t vstats, vstats_first; /* SNIC_BLK_VSTATS and its entry 0 */
	uint32_t rxq[FW_MAX_RINGS], rx_desc[FW_MAX_RINGS], rx_cpl[FW_MAX_RINGS];
	uint32_t txq[FW_MAX_RINGS], tx_desc[FW_MAX_RINGS];
	uint32_t dma_base, dma_size;
	/* while laying out (layout.c): next free offset, records written */
	uint64_t cursor;
	uint32_t caps_at;
};

struct fw_vnic {
	bool     used;
	uint8_t  rss;       /* its RSS table + 1 (rss.c), 0: no queue set */
	uint8_t  mac[6];
	uint16_t vlan;      /* SNIC_VLAN_NONE or 0..4094 */
	uint16_t flags;     /* SNIC_VNICF_* */
	uint8_t  uplink;
	uint8_t  n_ip;
	uint8_t  ip[4][4];
	uint16_t rx_ring;   /* dedicated HRR, or FW_SHARED_RING */
	uint16_t tx_ring;   /* dedicated TRR, or FW_SHARED_RING */
	uint16_t rule_refs; /* host rules whose action names this VNIC */
	/* Layer 2 (l2.c), in what was padding before the shaper: */
	uint8_t  rxmode;    /* SNIC_RXMODE_* in effect */
	uint8_t  policy;    /* SNIC_VPOL_*, FW_VPOL_* */
	uint8_t  n_mc;      /* its entries in the multicast pool */
	uint8_t  n_vlans;   /* its entries in the VLAN pool */
	struct meter shaper; /* TX shaper, kind METER_OFF when unshaped */
};

/*
 * One control-path scratch area per instance (struct fw.scratch), for work
 * that never nests: an exact-table insertion's search (exact.c, admin
 * commands) and a bandwidth re-split (share.c) each use it only inside one
 * call, and neither calls the other. Firmware RAM is the constraint
 * (docs/firmware-image.md).
 */
#define FW_SCRATCH_BYTES 32768u

/* ---- teaming (team.h) ---- */
#define TEAM_NONE      0xffu   /* no bond / no uplink */
#define TEAM_BUCKETS   256     /* flow buckets per bond (hash policies) */
#define TEAM_NO_TIME   UINT64_MAX
#define TEAM_REST_DOUBLINGS 10 /* a TX-refusing member rests at most 1024 x */

/* Per uplink: its bond and health. */
struct team_link {
	uint8_t  bond;        /* TEAM_NONE when unbonded */
	bool     phys;        /* carrier and admin up, as last sampled */
	uint64_t phys_at;     /* when `phys` last changed */
	bool     link_ok;     /* phys after the up/down delays */
	bool     tx_short;    /* refused frames; rests until short_until */
	uint64_t short_until;
	uint8_t  short_streak;/* refusals in a row: the rest doubles each time */
	bool     beacon_bad;
	bool     healthy;     /* link_ok && !tx_short && !beacon_bad */
	uint64_t healthy_at;  /* when it last became healthy */
	bool     waiting;     /* healthy but failback not allowed yet */
	uint8_t  reason;      /* SNIC_TEAM_WHY_* of the current failure */
	uint8_t  state;       /* enum snic_team_state, for the status */
	uint64_t since;       /* last state change */
	uint64_t vq_end;      /* estimated time its queued bytes have left */
	uint32_t failures, beacons_rx, tx_refused;
};

struct team_bucket {
	uint8_t  uplink;      /* TEAM_NONE: not assigned yet */
	uint64_t busy_until;  /* its last frame has left the uplink by then */
};

struct fw_bond {
	bool     used;
	struct snic_team_set cfg;      /* validated configuration */
	uint8_t  mask;                 /* member bitmap */
	uint8_t  n_slots;              /* active members configured (at least 1) */
	uint8_t  slot[SNIC_MAX_UPLINKS]; /* uplink filling each slot, or TEAM_NONE */
	uint8_t  live[SNIC_MAX_UPLINKS]; /* filled slots in order: the set in use */
	uint8_t  n_live;
	uint8_t  live_mask;
	uint32_t rr;                   /* round-robin cursor */
	struct team_bucket bucket[TEAM_BUCKETS];
	/* beacon probing (beacon.c) */
	uint64_t bcn_send_at;          /* next tick */
	uint64_t bcn_eval_at;          /* evaluation of the last tick */
	uint32_t bcn_tick;             /* ticks sent, from 1 */
	uint32_t bcn_seen[SNIC_MAX_UPLINKS][SNIC_MAX_UPLINKS]; /* [rx][tx] last tick */
	uint64_t bcn_latency;          /* largest beacon delivery time seen */
	bool     bcn_unsure;           /* inside an unattributable loss episode */
	/* counters (snic_team_status) */
	uint32_t failovers, failbacks, notify_sent, beacons_sent, beacon_unsure, held;
	uint64_t last_change;
};

/* A switch notification waiting to go out (notify.c). */
struct notify_ent {
	uint16_t vnic;
	uint8_t  bond;
	uint8_t  uplink;
	uint8_t  left;      /* announcements still to send */
	uint64_t at;        /* next one due */
};

struct fw_team {
	struct team_link link[SNIC_MAX_UPLINKS];
	struct fw_bond   bond[SNIC_MAX_BONDS];
	uint8_t          home[FW_MAX_VNICS]; /* VNIC -> its uplink inside its bond */
	uint8_t          prio[FW_MAX_VNICS]; /* VNIC priority (PRIORITY policy) */
	uint8_t          n_bonds;
	uint64_t         next_at;      /* earliest timed work, TEAM_NO_TIME */
	bool             dirty;        /* recompute deadlines */
	/* team_wire_ns()'s last answer: frames come in runs of one size, and
	 * its 64-bit division is a library call on the rv32 core. */
	uint32_t         wire_len;     /* 0: none yet */
	uint64_t         wire_ns;
	/* Switch notifications waiting to go out (notify.c). */
	struct notify_ent notify[FW_MAX_VNICS];
	unsigned         n_notify;
};

/* ---- bandwidth shares (bwalloc.h) ---- */
#define BW_TICK_NS     ((uint64_t)SNIC_SHARE_TICK_US * 1000u)
#define BW_GROUPS      (SNIC_MAX_UPLINKS + SNIC_MAX_BONDS) /* uplinks, then bonds */
#define BW_NO_GROUP    0xffu
#define BW_BURST_NS    100000u   /* a limit's bucket holds 100 us at its rate */
#define BW_RATE_FLOOR  1000000u  /* every limit lets 1 Mbit/s through, so a
				  * starved VNIC is still seen wanting more */
#define BW_UNITS_PER_BYTE 8000000000ull /* bucket units: 1e-9 bit (meter.h) */
/* The split hands out all but 1/512 (0.2 %) of the capacity: a wire never
 * quite reaches its nominal rate, and when the wire instead of the limits
 * holds frames back, whoever comes last to the uplink loses, whatever its
 * share (and then looks as if it wanted less). */
#define BW_HEADROOM_SHIFT 9

/* bw_vnic.flags */
#define BWV_SET       0x01 /* has a share of its own */
#define BWV_TRACK     0x02 /* its uplink/bond is split: bytes are counted */
#define BWV_LIMIT     0x04 /* its transmit limit applies */
#define BWV_HELD      0x08 /* the limit held a frame this interval */
#define BWV_HELD_LAST 0x10 /* ... in the last interval */
#define BWV_WANTS     0x20 /* split: wants more than its part (scratch) */

/* Per VNIC; its weight, priority and minimum live in bw_share[] (bwalloc.c),
 * the array share_alloc() runs over. */
struct bw_vnic {
	uint64_t rate;       /* limit, bit/s (= bucket units per ns) */
	uint64_t tok;        /* bucket, units */
	uint32_t last_ns;    /* last refill, low 32 bits of the device time (every
			      * split refills, so it is never 4 s old) */
	uint32_t bytes;      /* wire bytes sent this interval (saturating) */
	uint32_t last_bytes; /* ... in the last interval */
	uint8_t  flags;      /* BWV_* */
};

struct bw_group {
	uint64_t cap_bps;    /* capacity of the last split */
	uint32_t splits;
};

struct fw_bw {
	struct bw_vnic  vnic[FW_MAX_VNICS];
	struct bw_group group[BW_GROUPS];
	uint8_t  active;     /* groups with a share (bitmap) */
	uint8_t  dirty;      /* groups to split again in the next poll */
	uint64_t tick_start; /* start of the current interval */
	uint64_t last_dt;    /* length of the last interval, ns */
	uint64_t next_tick;
	uint64_t wake_ns;    /* earliest time a held frame may leave */
	/*
	 * Every VNIC's share, by VNIC id: weight, priority and minimum are its
	 * configuration; demand_bps is filled for each split, 0 for the VNICs
	 * of other groups, which therefore get nothing. Running share_alloc()
	 * over the whole table costs a little time per split and saves a
	 * second copy of it (firmware RAM is the scarcer resource).
	 */
	struct share_member share[FW_MAX_VNICS];
	uint64_t split_out[FW_MAX_VNICS];
	struct share_work work; /* share_alloc()'s own arrays */
};

/* ---- admin queue (admin.c) ---- */
struct fw_admin {
	uint32_t cmd_cons; /* next command to execute */
	uint32_t cpl_prod; /* completions written */
};

/* ---- receive path (steer.c) ---- */
/* Per HRR: the receive queue engine's context (hal.h: the device indices,
 * the only copy that counts, and this batch's limits) and the state of the
 * current batch, set up on the ring's first frame of the batch. */
struct fw_hrr {
	struct hal_rxq eq;
	uint32_t cpl_start;  /* cpl_prod when the batch opened */
	uint32_t bytes;      /* delivered this batch */
};

/*
 * Ring moves keep order: after a VNIC moves from HRR `src` to HRR r, r's
 * completions are written but not published until the host has consumed
 * src up to where it stood at the move (or FW_GATE_TIMEOUT_NS passed), so
 * the host never sees a newer frame before an older one.
 */
struct fw_gate {
	bool     on;
	uint16_t src;
	uint32_t until;    /* src's cpl_prod at the move */
	uint64_t since_ns;
};

struct fw_rx {
	uint32_t batch_open; /* bit r: HRR r has a batch open */
	/* Window counters of the frames of this batch, added when it ends. */
	struct {
		uint32_t lookups, hits;
		uint32_t port_pkts[SNIC_MAX_UPLINKS];
		uint64_t port_bytes[SNIC_MAX_UPLINKS];
	} c;
	struct fw_hrr  hrr[FW_MAX_RINGS];
	struct fw_gate gate[FW_MAX_RINGS];
	/* Per VNIC (fw_rx_refresh): the up ports of its domain on which a hit
	 * naming it needs nothing but its ring; 0 for no VNIC, one with a
	 * queue set or one with an operator port VLAN (the full path). */
	uint8_t        fast[FW_MAX_VNICS];
};

/* ---- transmit path (tx.c) ---- */
#define FW_TX_MAC_BITS    9 /* buckets of the shared TRR's sender index: */
#define FW_TX_MAC_BUCKETS (1u << FW_TX_MAC_BITS) /* 2 VNICs each at most, on average */
_Static_assert(2 * FW_TX_MAC_BUCKETS >= FW_MAX_VNICS, "chains of 2 on average at most");
struct fw_tx {
	/* One TX poll: the clock, what the descriptors are checked against,
	 * and the port counters until the poll ends. */
	struct {
		uint64_t now;
		uint32_t mask;
		uint32_t len_span;   /* buf_max - FW_MIN_FRAME */
		uint64_t dma_base, dma_size;
		uint32_t port_pkts[SNIC_MAX_UPLINKS];
		uint64_t port_bytes[SNIC_MAX_UPLINKS];
	} p;
	uint32_t desc_cons[FW_MAX_RINGS];
	/* When the earliest frame held for its shaper's tokens may go (the
	 * last poll's view), UINT64_MAX when none waits: a timer. */
	uint64_t due;
	/* The shared TRR's senders by source MAC (tx.c, fw_tx_index): bucket
	 * of a MAC, the first VNIC in it, and each VNIC's next in its bucket,
	 * lowest id first; SNIC_VNIC_NONE ends a chain. */
	uint16_t mac_head[FW_TX_MAC_BUCKETS];
	uint16_t mac_next[FW_MAX_VNICS];
};

/* ---- layer-2 lists (l2.c) ---- */
/* A list entry of either pool: its VNIC and its key (a group MAC, or a
 * VID as the command carried it, 2 bytes). */
struct l2_ent {
	uint16_t vnic;  /* SNIC_VNIC_NONE: free */
	uint8_t  key[6];
};

struct fw_l2 {
	struct l2_ent mc[FW_L2_MC_POOL];
	struct l2_ent vlan[FW_L2_VLAN_POOL];
};

/* ---- RSS queue sets (rss.c) ---- */
struct rss_table {
	uint16_t vnic;     /* owner, TABLE_FREE when free */
	uint8_t  n_queues;
	uint8_t  rx[FW_RSS_QUEUES];       /* HRR of queue q (q >= 1) */
	uint8_t  tx[FW_RSS_QUEUES];       /* TRR of queue q (q >= 1) */
	uint8_t  indir[FW_RSS_INDIR / 2]; /* queue index, replicated; two
					   * per byte, entry 2i in the low nibble */
};

struct fw_rss {
	struct rss_table    tables[FW_RSS_TABLES];
	struct snic_rss_cfg cfg; /* the engine's, as last written */
};

/* ---- exact-match table mirror (exact.c) ---- */
struct fw_exact {
	uint32_t              n_buckets;   /* per way */
	struct fw_exact_stats st;
	uint64_t              slot_key[FW_MAX_EXACT];
	uint16_t              slot_act[FW_MAX_EXACT]; /* pool index, FREE_SLOT if empty */
	struct snic_action    pool[FW_EXACT_ACTIONS];
	uint16_t              pool_refs[FW_EXACT_ACTIONS]; /* slots using each action */
};

/*
 * The large tables, in the device's table memory (hal_table_mem), not in
 * the core's RAM: the shadow copies of the match engine's entries, which
 * only the admin path reads (a NIC keeps such tables in SRAM beside the
 * core, as it keeps flow tables). FW_TABLE_BYTES (fw.h) is its size.
 */
_Static_assert(FW_EXACT_ACTIONS >= FW_MAX_VNICS, "one exact-table action per VNIC at least");
_Static_assert(SHARE_MAX_MEMBERS >= FW_MAX_VNICS, "a share split covers every VNIC");
struct fw_tables {
	struct snic_rule rules[FW_MAX_TCAM]; /* the ternary entries as written */
	struct fw_exact  exact;              /* the exact-match table mirror */
	/* RX policers: the receive path reads one per metered frame, as a
	 * NIC keeps thousands of rate limiters in SRAM beside its cores. */
	struct meter     meters[FW_MAX_METERS];
	/* Bit m: policer m marks red frames (SNIC_METERF_MARK). */
	uint32_t         meter_mark[FW_MAX_METERS / 32];
};

/* ---- firmware update (flash_cmd.c) ---- */
struct fw_flash {
	const struct fw_flash_ops *ops;
	struct {
		bool     open;
		uint32_t slot;
		uint32_t size;     /* announced image bytes */
		uint32_t crc;      /* announced CRC-32 of the image file */
		uint32_t written;  /* bytes accepted so far, in order */
	} sess;
	bool     reboot_requested;
	uint64_t reboot_asked_ns;
};

/*
 * One firmware instance. The small, hot members come first: the embedded
 * core reaches the first 2 KiB of it in one instruction.
 */
struct fw {
	struct hal        *hal;          /* every HAL call's context */
	int                state;        /* enum snic_dev_state */
	uint8_t           *win;
	uint32_t           win_size;
	uint64_t           now_ns;       /* device time at the start of this poll */
	uint32_t           user_entries; /* host rule slots 0..user_entries-1 */
	uint32_t           mac_base;     /* VNIC v's MAC entry is mac_base + v (past
					  * the ternary table with an exact table) */
	bool               port_up[SNIC_MAX_UPLINKS];
	bool               irq_pending[FW_MAX_RINGS];
	struct hal_hw_info hw;
	struct fw_admin    adm;
	struct fw_tx       tx;
	struct fw_layout   lay;
	uint16_t           rx_owner[FW_MAX_RINGS]; /* VNIC bound to HRR, or NONE */
	uint16_t           tx_owner[FW_MAX_RINGS]; /* ... to TRR */
	struct fw_rx       rx;
	struct fw_flash    flash;
	struct fw_rss      rss;
	struct fw_l2       l2;
	struct fw_vnic     vnic[FW_MAX_VNICS];
	/* Incarnation of each VNIC id, bumped when the id is given out and
	 * kept across destroy and reset: the engine's entries naming a VNIC
	 * carry it (snic_action.gen) and a frame whose match carries another
	 * was classified for an earlier holder of the id (steer.c). */
	uint8_t            vnic_gen[FW_MAX_VNICS];
	uint32_t           rule_valid[FW_MAX_TCAM / 32]; /* bit per entry (rules.c) */
	struct fw_tables  *tab;          /* in the device's table memory */
	struct fw_team     team;
	struct fw_bw       bw;
	/* Two work areas that never hold anything across a call of their
	 * users, and whose users never run inside each other: the admin
	 * commands and the bandwidth split (scratch), the receive and
	 * transmit polls (frame). One of RAM serves both. */
	union {
		uint64_t   scratch[FW_SCRATCH_BYTES / 8];
		uint8_t    frame[FW_MAX_FRAME]; /* TX staging copy, RX tag strip */
	};
};

#endif
