/* SPDX-License-Identifier: MIT */
/*
 * libsnic: the user-space host driver of the snic device.
 *
 * The device is a memory window (a shared-memory file in the simulator).
 * The library maps it, walks and checks the block chain, keeps its own
 * copy of the capability records, drives the admin queue and the RX/TX
 * rings. The device is not trusted: every offset, size and index read from
 * the window is bound-checked, and a corrupt window gives an error with a
 * message, never a crash.
 *
 * Return convention of every int function: 0 on success, a negative
 * enum snic_err for a local failure, or a positive enum snic_status when
 * the device answered a command with an error. snic_errmsg() describes the
 * last failure in words.
 */
#ifndef SNIC_LIB_H
#define SNIC_LIB_H

#include <stddef.h>
#include <stdint.h>
#include <snic/abi.h>

#define SNIC_LIB_MAX_RINGS  64   /* rings of either kind the library handles */
#define SNIC_ERRMSG_MAX     256
#define SNIC_DEFAULT_WINDOW "/dev/shm/snic0"
#define SNIC_DEFAULT_TIMEOUT_MS 2000

enum snic_err {
	SNIC_ERR_SYS      = -1,  /* a system call failed */
	SNIC_ERR_WINDOW   = -2,  /* window missing, too small or too large */
	SNIC_ERR_MAGIC    = -3,  /* no snic device id at offset 0 */
	SNIC_ERR_ABI      = -4,  /* incompatible ABI major */
	SNIC_ERR_CHAIN    = -5,  /* block chain out of range or looping */
	SNIC_ERR_BLOCK    = -6,  /* a block's contents are out of range */
	SNIC_ERR_NOBLOCK  = -7,  /* a block the operation needs is missing */
	SNIC_ERR_CAPS     = -8,  /* capability records malformed */
	SNIC_ERR_TIMEOUT  = -9,  /* the device did not answer in time */
	SNIC_ERR_PROTO    = -10, /* the device broke the queue protocol */
	SNIC_ERR_STATE    = -11, /* device not ready (booting, failed) */
	SNIC_ERR_ARG      = -12, /* bad argument from the caller */
	SNIC_ERR_BUSY     = -13, /* ring in use by another process */
	SNIC_ERR_RING     = -14, /* ring layout or indices corrupt */
	SNIC_ERR_NOMEM    = -15, /* out of memory / DMA region too small */
	SNIC_ERR_STATEFILE = -16, /* host state file unreadable or corrupt */
};

struct snic_dev;

/* ---- device: dev.c ---- */

struct snic_dev *snic_alloc(void);
/* Map the window file and attach (waits up to the timeout for boot). */
int  snic_open(struct snic_dev *d, const char *path);
/* Attach to a window already in memory (tests, embedding). */
int  snic_attach(struct snic_dev *d, void *mem, size_t size);
void snic_close(struct snic_dev *d);   /* unmaps and frees */
const char *snic_errmsg(const struct snic_dev *d);
void snic_set_timeout(struct snic_dev *d, unsigned ms);
const char *snic_path(const struct snic_dev *d);

/* Identity and state snapshot. */
struct snic_devinfo {
	uint16_t abi_major, abi_minor;
	uint32_t window_size;
	uint32_t state;          /* enum snic_dev_state */
	uint32_t heartbeat;
	uint32_t reset_count;
	uint64_t dev_time_ns;
	char     profile[17];
	int      has_fw;
	uint32_t fw_version;
	uint32_t fw_slot;
	char     fw_build[25];
};
int snic_devinfo(struct snic_dev *d, struct snic_devinfo *out);
uint32_t snic_state(struct snic_dev *d);         /* enum snic_dev_state */
const char *snic_state_name(uint32_t state);

/* ---- capabilities: caps.c ---- */

struct snic_ring_caps {
	uint16_t id, msix;
	uint32_t size, buf_max;
	uint32_t ctrl_off, poll_off, intr_off;
	uint32_t flags;          /* SNIC_RINGCAP_* */
};

struct snic_caps {
	uint16_t format;
	uint16_t n_rx, n_tx, n_uplinks, max_vnics;
	char     profile[17];
	struct snic_ring_caps rx[SNIC_LIB_MAX_RINGS];
	struct snic_ring_caps tx[SNIC_LIB_MAX_RINGS];
	struct {
		uint32_t key_fields, ternary, exact, actions, user_entries;
		uint16_t key_bytes, latency;
	} cls;
	struct {
		uint32_t count, modes;
		uint64_t min_bps, max_bps;
	} meters;
	struct {
		uint16_t id;
		uint8_t  mac[6];
		uint32_t speed_mbps;
	} uplink[SNIC_MAX_UPLINKS];
	struct {
		int      present;        /* SNIC_CAP_L2 record seen (ABI >= 1.1) */
		uint32_t flags;          /* SNIC_L2CAP_* */
		uint16_t mc_filters, vlan_filters;     /* device-wide pools */
		uint16_t mc_per_vnic, vlans_per_vnic;  /* per-VNIC lists */
	} l2;
	uint32_t generation;
	uint32_t skipped;        /* records of unknown type skipped by len */
};

/*
 * Parse a record stream (a private copy, not the live window) into *out.
 * window_size bounds the ring offsets (0: not checked). Returns 0 or
 * SNIC_ERR_CAPS with the reason in err.
 */
int snic_caps_parse(const void *buf, size_t len, uint32_t window_size,
		    struct snic_caps *out, char *err, size_t errlen);
/* The library's copy, read at open. */
const struct snic_caps *snic_caps(const struct snic_dev *d);
/* Re-read the records from the window (e.g. after a generation bump). */
int snic_caps_refresh(struct snic_dev *d);
const char *snic_field_name(unsigned bit);   /* SNIC_FIELD_* bit index */

/* ---- admin queue: admin.c ---- */

/*
 * Run one command and wait for its completion. `out` receives up to
 * out_cap payload bytes; *out_len (may be NULL) the device's length.
 * Serialized across processes by flock(LOCK_EX) on the window file.
 */
int snic_admin_exec(struct snic_dev *d, uint16_t opcode,
		    const void *in, uint32_t in_len,
		    void *out, uint32_t out_cap, uint32_t *out_len);
const char *snic_strstatus(int status);  /* "table full" */
/* snic_status_name() ("SNIC_E_NOSPC") and snic_opcode_name() come from
 * <snic/admin.h>. */

/* ---- typed operations: ops.c ---- */

struct snic_vnic_params {
	uint16_t id;             /* SNIC_ID_ANY: device picks */
	uint16_t vlan;           /* SNIC_VLAN_NONE */
	uint8_t  mac[6];
	uint8_t  uplink;
	uint8_t  n_ip;
	uint8_t  ip[4][4];
	int      sw_only;
};

int snic_vnic_create(struct snic_dev *d, const struct snic_vnic_params *p,
		     struct snic_vnic_info *out);
int snic_vnic_destroy(struct snic_dev *d, uint16_t vnic);
int snic_vnic_query(struct snic_dev *d, uint16_t vnic, struct snic_vnic_info *out);
int snic_rule_add(struct snic_dev *d, uint32_t loc, const struct snic_rule *r,
		  uint32_t *loc_out);
int snic_rule_del(struct snic_dev *d, uint32_t loc);
/*
 * Software fallback (swrule.c): a rule the device refuses (UNSUPP) for key
 * fields it lacks (caps.cls.key_fields) is added as its coarse form (the
 * fields the device has, action MARK_SW to the shared HRR) and held as
 * asked in the host mirror for the software classifier. After snic_rule_add succeeded:
 * the SNIC_FIELD_* bits that made it a software rule (0: in hardware).
 */
uint32_t snic_rule_last_sw(const struct snic_dev *d);
/* SNIC_FIELD_* bits the rule's mask uses, and those the device lacks. */
uint32_t snic_rule_fields(const struct snic_rule *r);
uint32_t snic_rule_sw_fields(const struct snic_dev *d, const struct snic_rule *r);
/* The coarse hardware form of r; SNIC_ERR_ARG (message set) if the
 * software classifier cannot hold r. */
int snic_rule_coarse(struct snic_dev *d, const struct snic_rule *r, struct snic_rule *out);
/* "dip, dport" */
void snic_fields_str(uint32_t fields, char *buf, size_t len);
int snic_rule_query(struct snic_dev *d, uint32_t loc, struct snic_rule_info *out);
int snic_port_set(struct snic_dev *d, uint8_t port, int up);
int snic_reset(struct snic_dev *d);
int snic_query_caps(struct snic_dev *d, struct snic_caps_info *out);
int snic_ring_bind(struct snic_dev *d, uint16_t ring, uint16_t vnic);

/* ---- receive: rx.c ---- */

/*
 * Buffer layout policy in the DMA region: RX ring r's buffers start at
 * dma.base + sum over rings i < r of size_i * stride_i (r * size * stride
 * when the rings are alike), stride = buf_max rounded up to 64; the TX
 * rings' buffers follow all RX buffers in the same way.
 */
struct snic_rx_frame {
	unsigned ring;
	struct snic_rx_cpl cpl;  /* private copy of the completion */
	const uint8_t *data;     /* cpl.len bytes inside the window */
};
typedef void (*snic_rx_cb)(void *arg, const struct snic_rx_frame *f);

/* Take ring r (exclusive across processes) and post all its buffers. */
int snic_rx_start(struct snic_dev *d, unsigned ring);
/* Handle up to budget completions; returns how many, or < 0. */
int snic_rx_poll(struct snic_dev *d, unsigned ring, unsigned budget,
		 snic_rx_cb cb, void *arg);
void snic_rx_stop(struct snic_dev *d, unsigned ring);
unsigned snic_rx_count(const struct snic_dev *d);
/* Completions waiting on ring r (0 when drained), or < 0. */
int snic_rx_pending(struct snic_dev *d, unsigned ring);

/* ---- transmit: tx.c ---- */

unsigned snic_tx_count(const struct snic_dev *d);
int snic_tx_start(struct snic_dev *d, unsigned ring);
/* Queue one frame; waits (up to the timeout) while the ring is full. */
int snic_tx_send(struct snic_dev *d, unsigned ring, const void *frame, uint32_t len);
/* Wait until the device has taken every queued frame. */
int snic_tx_flush(struct snic_dev *d, unsigned ring);
void snic_tx_stop(struct snic_dev *d, unsigned ring);

/* ---- statistics: stats.c ---- */

struct snic_ring_stats {
	uint32_t state;
	uint16_t vnic;
	uint32_t mode, intr_enable, irq_count;
	uint32_t desc_prod, desc_cons, cpl_prod, cpl_cons;
	uint64_t packets, bytes;
	uint64_t drop_a, drop_b;  /* RX: full, badbuf; TX: spoof, bad */
};

struct snic_stats {
	uint64_t drops[SNIC_DROP_REASONS];
	struct snic_port_stats port[SNIC_MAX_UPLINKS];
	uint64_t cls_lookups, cls_hits, admin_cmds, admin_errors;
	unsigned n_rx, n_tx;
	struct snic_ring_stats rx[SNIC_LIB_MAX_RINGS];
	struct snic_ring_stats tx[SNIC_LIB_MAX_RINGS];
};
int snic_stats_read(struct snic_dev *d, struct snic_stats *out);
/* Drop reason names: snic_drop_name() in <snic/stats.h>. */

/* ---- ring control: ringctl.c ---- */

/* SNIC_MODE_POLL (interrupts off) or SNIC_MODE_INTR (interrupts on). */
int snic_ring_set_mode(struct snic_dev *d, unsigned ring, uint32_t mode);
/* Current mode of RX ring r (SNIC_MODE_*), or < 0. */
int snic_ring_mode(struct snic_dev *d, unsigned ring);
/* Interrupts the device raised for RX ring r so far. */
uint32_t snic_ring_irq_count(struct snic_dev *d, unsigned ring);

/* ---- host mirror of the configuration: mirror.c ---- */

/*
 * The library keeps its own copy of the VNICs and rules it created, in a
 * state file next to the window (WINDOW.state), so that separate processes
 * share it, the software classifier sees the same rules as the hardware,
 * and everything can be restored after a device reset. The typed
 * operations above keep it up to date.
 */
#define SNIC_MIRROR_MAX_VNICS 1024
#define SNIC_MIRROR_MAX_RULES 1024

struct snic_mirror_vnic {
	struct snic_vnic_params params;   /* as created; params.id = device id */
	struct snic_vnic_info   info;     /* as the device last reported */
	struct snic_rule        mac_rule; /* the device's entry at info.mac_rule */
	uint8_t  used;
	uint8_t  has_mac_rule;
	uint16_t rsvd;
};

/* snic_mirror_rule.flags (state file version 5; 0 in older files). */
#define SNIC_MRULE_SW 0x1   /* held in software: `rule` is the rule as asked;
			     * the device holds its coarse form (swrule.c) */

struct snic_mirror_rule {
	uint32_t loc;
	uint32_t flags;     /* SNIC_MRULE_* */
	struct snic_rule rule;
};

#define SNIC_MIRROR_MAX_POLICERS 4096

/* snic_mirror_l2.has: which of the L2 payloads the device accepted. */
#define SNIC_ML2_RXMODE 0x01
#define SNIC_ML2_VLANS  0x02
#define SNIC_ML2_POLICY 0x04
#define SNIC_ML2_PVLAN  0x08 /* pvlan_vid/pvlan_pcp: an operator port VLAN */

struct snic_mirror_l2 {
	uint8_t  has;                    /* SNIC_ML2_*; 0: nothing set */
	uint8_t  pvlan_pcp;              /* VNIC_PORT_VLAN as accepted */
	uint16_t pvlan_vid;              /* (in what was padding: same file) */
	uint8_t  rsvd[4];
	struct snic_vnic_rxmode rxmode;  /* PROMISC cleared with the trust */
	struct snic_vnic_vlans  vlans;
	struct snic_vnic_policy policy;
};

/*
 * A change the library is about to make on the device, written to the
 * state file before the command goes: a process killed after the device
 * acted but before it saved leaves it there, and the next process to open
 * the mirror asks the device how it ended and settles the mirror
 * (snic_mirror_begin). Kinds SNIC_MINTENT_*; state file version 6.
 */
#define SNIC_MINTENT_VNIC_ADD 1
#define SNIC_MINTENT_VNIC_DEL 2
#define SNIC_MINTENT_RULE_ADD 3
#define SNIC_MINTENT_RULE_DEL 4
struct snic_mirror_intent {
	uint32_t kind;                  /* 0: none */
	uint32_t loc;                   /* RULE_*: location, or SNIC_LOC_ANY */
	uint16_t id;                    /* VNIC_DEL: the VNIC */
	uint16_t rsvd[3];
	struct snic_vnic_params params; /* VNIC_ADD: as asked (id may be ANY) */
	struct snic_rule rule;          /* RULE_ADD: as asked */
};

struct snic_mirror {
	uint32_t reset_count;   /* device reset_count when last in sync */
	uint32_t generation;    /* bumped by every save */
	uint32_t n_rules;
	struct snic_mirror_vnic vnic[SNIC_MIRROR_MAX_VNICS];  /* by VNIC id */
	struct snic_mirror_rule rule[SNIC_MIRROR_MAX_RULES];  /* sorted by loc */
	/* METER_SET payloads as the device accepted them; mode 0: none. */
	struct snic_meter_set policer[SNIC_MIRROR_MAX_POLICERS]; /* by policer id */
	struct snic_meter_set shaper[SNIC_MIRROR_MAX_VNICS];     /* by VNIC id */
	/* VNIC_SHARE payloads as the device accepted them, by VNIC id;
	 * weight 0 and min_bps 0: no share. */
	struct snic_vnic_share share[SNIC_MIRROR_MAX_VNICS];
	/* L2 state the library set, by VNIC id (l2.c); the VNIC's current MAC
	 * lives in vnic[].params.mac. */
	struct snic_mirror_l2 l2[SNIC_MIRROR_MAX_VNICS];
	struct snic_mirror_intent intent; /* the change in flight, if any */
};

/* Default WINDOW.state for files; NULL or "" turns mirroring off. */
void snic_set_state_path(struct snic_dev *d, const char *path);
const char *snic_state_path(const struct snic_dev *d);
/* Load the state file (a missing file is an empty mirror). */
int snic_mirror_get(struct snic_dev *d, const struct snic_mirror **out);
/* 1 if the device was reset since the mirror was last in sync. */
int snic_mirror_stale(struct snic_dev *d);

enum snic_restore_result { SNIC_RESTORED, SNIC_PRESENT, SNIC_RESTORE_FAILED };
struct snic_restore_item {
	const char *kind;        /* "vnic", "policy", "vlans", "rxmode", "shaper",
				  * "policer", "share" or "rule" */
	uint32_t id;             /* VNIC id or rule location */
	int result;              /* enum snic_restore_result */
	const char *msg;         /* why it failed */
};
typedef void (*snic_restore_cb)(void *arg, const struct snic_restore_item *it);
/* Re-create every mirrored VNIC (same id) and rule (same location). */
int snic_restore(struct snic_dev *d, snic_restore_cb cb, void *arg);

/* ---- host software classifier and software rings: swcls.c ---- */

/*
 * Frames on the shared HRR (SNIC_RXF_MARK_SW) are classified again on the
 * host with the reference semantics (snic_parse + the fast classifier,
 * classifier/fastcls.h, which answers as snic_tcam_lookup does) over
 * the mirror's rules, laid out at the same indices as in the hardware,
 * and queued on one software receive ring (SRR) per VNIC.
 */
struct snic_swcls;

struct snic_srr_stats {
	uint16_t vnic;
	uint64_t enqueued, delivered, drop_full;
	uint32_t pending;
};

struct snic_swcls_stats {
	uint64_t frames;         /* frames classified in software */
	uint64_t hits;
	uint64_t drop_no_match;  /* no rule matched */
	uint64_t drop_rule;      /* a rule said drop */
	uint64_t drop_no_vnic;   /* the rule names a VNIC the mirror lacks */
	uint64_t drop_srr_full;  /* the VNIC's SRR was full */
	uint64_t mismatch;       /* software and hardware chose different VNICs */
	uint64_t reloads;        /* mirror reloaded from the state file */
	uint64_t group;          /* group copies (SNIC_RXF_GROUP) delivered */
	uint64_t drop_group;     /* group copies the VNIC's mirrored L2 state
				  * does not want (other domain, group not
				  * joined, not promiscuous) or an unknown VNIC */
	uint64_t sw_hits;        /* frames a software rule (SNIC_MRULE_SW) matched */
	uint64_t sw_fallthrough; /* frames its coarse hardware form caught that it
				  * does not match: classified as without it */
};

/* srr_size: frames per SRR (power of two); frame bytes up to buf_max. */
struct snic_swcls *snic_swcls_new(struct snic_dev *d, uint32_t srr_size);
void snic_swcls_free(struct snic_swcls *s);
/* Reload the rule mirror if the state file changed (force: always). */
int snic_swcls_refresh(struct snic_swcls *s, int force);
/* Classify one shared-ring frame and queue it on its VNIC's SRR. */
int snic_swcls_input(struct snic_swcls *s, const struct snic_rx_frame *f);
/* Pull up to budget frames from VNIC v's SRR (poll mode); returns count. */
unsigned snic_srr_poll(struct snic_swcls *s, uint16_t vnic, unsigned budget,
		       snic_rx_cb cb, void *arg);
/* Pull from every SRR, up to budget each; returns the total. */
unsigned snic_srr_poll_all(struct snic_swcls *s, unsigned budget, snic_rx_cb cb, void *arg);
void snic_swcls_stats(const struct snic_swcls *s, struct snic_swcls_stats *out);
/* Per-SRR counters; returns how many SRRs exist (fills up to max). */
unsigned snic_srr_stats(const struct snic_swcls *s, struct snic_srr_stats *out, unsigned max);
/* Frames waiting in VNIC v's SRR. */
unsigned snic_srr_pending(const struct snic_swcls *s, uint16_t vnic);

/* ---- layer 2: l2.c (include/snic/l2.h, docs/l2.md) ---- */

/*
 * Each call checks its arguments first (a mistake gets a sentence, nothing
 * is sent), then sends the command and mirrors what the device accepted,
 * so snic_restore re-applies it and the software classifier delivers group
 * copies by it. Device refusals come back as the status (SNIC_E_PERM: the
 * operator's policy forbids it) with the status text in snic_errmsg().
 */
/* Receive mode (SNIC_RXMODE_*) and the full multicast list (replaced). */
int snic_vnic_rxmode(struct snic_dev *d, uint16_t vnic, uint8_t flags,
		     const uint8_t (*mc)[6], unsigned n_mc);
/* The full VLAN membership list (replaced); vid 1..4094, no duplicates. */
int snic_vnic_vlans(struct snic_dev *d, uint16_t vnic, const uint16_t *vid, unsigned n);
/* A new unicast MAC; `operator_change` may override a locked MAC. */
int snic_vnic_set_mac(struct snic_dev *d, uint16_t vnic, const uint8_t mac[6],
		      int operator_change);
/* Operator policy: SNIC_VPOL_TRUSTED | SNIC_VPOL_MAC_LOCKED (replaced). */
int snic_vnic_policy(struct snic_dev *d, uint16_t vnic, uint16_t flags);
/* The VNIC's L2 state as the device holds it (VNIC_L2_QUERY). */
/* Operator port VLAN (VNIC_PORT_VLAN, l2.h): the device inserts and strips
 * tag (vid 1..4094, pcp 0..7); vid SNIC_VLAN_NONE removes it. */
int snic_vnic_port_vlan(struct snic_dev *d, uint16_t vnic, uint16_t vid, uint8_t pcp);
int snic_vnic_l2_query(struct snic_dev *d, uint16_t vnic, struct snic_vnic_l2 *out);

/* Per-VNIC counters (block SNIC_BLK_VSTATS; SNIC_ERR_NOBLOCK on a device
 * before ABI 1.1). */
struct snic_group_stats {
	uint32_t count;          /* VNIC ids the block covers */
	uint64_t frames, copies, unwanted;   /* group delivery totals */
};
int snic_group_stats(struct snic_dev *d, struct snic_group_stats *out);
int snic_vnic_stats_read(struct snic_dev *d, uint16_t vnic, struct snic_vnic_stats *out);

/* ---- meters and shapers: meter.c ---- */

#define SNIC_METER_BURST_MAX (1u << 30)  /* bytes per bucket */

/*
 * METER_SET, checked against the capabilities first (mode supported,
 * policer id, rates within the advertised range, bursts, a shaper burst at
 * least the largest frame) so a mistake gets a clear local error; then
 * mirrored, so snic_restore re-applies it. See docs/rate-limiting.md.
 */
int snic_meter_set(struct snic_dev *d, const struct snic_meter_set *m);

/* A VNIC's transmit shaper in plain terms. avg_bps 0 removes it. */
struct snic_vnic_rate {
	uint64_t avg_bps;     /* average (committed) rate */
	uint64_t peak_bps;    /* 0: no peak limit */
	uint32_t burst;       /* bytes at the average rate */
	uint32_t peak_burst;  /* bytes at the peak rate; 0: one largest frame */
	int      wire;        /* count preamble, FCS, padding and gap */
};
int snic_vnic_rate(struct snic_dev *d, uint16_t vnic, const struct snic_vnic_rate *r);
/* Largest frame cost a burst must cover: TX buf_max (+24 with wire). */
uint32_t snic_max_frame_cost(const struct snic_dev *d, int wire);

/* ---- bandwidth shares: share.c ---- */

/*
 * A VNIC's share of its uplink or bond (SNIC_CMD_VNIC_SHARE, admin.h;
 * docs/rate-limiting.md): weight, guaranteed minimum (0 or within the
 * device's meter range), priority 0..SNIC_SHARE_PRIO_MAX. All three 0
 * removes it. Checked first, then mirrored so snic_restore re-applies it.
 */
int snic_vnic_share(struct snic_dev *d, uint16_t vnic, uint16_t weight, uint64_t min_bps,
		    uint8_t prio);
/* What the device made of it: capacity, use, demand, part, limit. */
int snic_vnic_share_query(struct snic_dev *d, uint16_t vnic, struct snic_vnic_share_info *out);

/* ---- ring steering: promote.c ---- */

/*
 * HRR promotion: when a dedicated HRR is free, move a VNIC that shares
 * HRR 0 onto it with RING_BIND (the device holds the new ring back until
 * the host drained the shared one, so nothing is lost or reordered). The
 * candidate is the mirrored shared-ring VNIC (not created --sw-only) with
 * the largest bandwidth allocation, the lowest id among equals. Returns 1
 * with *vnic and *ring set when one moved, 0 when nothing could move.
 */
int snic_promote(struct snic_dev *d, uint16_t *vnic, uint16_t *ring);
/* snic_vnic_destroy promotes automatically (default on). */
void snic_set_auto_promote(struct snic_dev *d, int on);
/* 1 and the ids if the last snic_vnic_destroy promoted a VNIC, else 0. */
int snic_last_promotion(const struct snic_dev *d, uint16_t *vnic, uint16_t *ring);

/* ---- polling plan: pollplan.c ---- */

/*
 * Polling mode follows the bandwidth allocation (docs/hostdrv.md):
 *   max_pps     = ceil(alloc_bps / (8 * 84))         smallest frame on the wire
 *   interval_ns = clamp(ring_size * 1e9 / (4 * max_pps), 10 us, 1 ms)
 *   budget      = clamp(ceil(2 * max_pps * interval_ns / 1e9), 8, ring_size / 2)
 * so a poll comes before a quarter of the ring can fill at full rate and
 * may take twice what arrives between polls.
 */
#define SNIC_POLL_MIN_NS   10000u
#define SNIC_POLL_MAX_NS   1000000u
#define SNIC_POLL_MIN_BUDGET 8u

struct snic_poll_plan {
	uint64_t alloc_bps;   /* bandwidth the ring's VNICs are allocated */
	uint64_t max_pps;
	uint32_t interval_ns; /* poll period */
	uint32_t budget;      /* frames per poll */
};
void snic_poll_plan_for(uint64_t alloc_bps, uint32_t ring_size, struct snic_poll_plan *out);
/*
 * A VNIC's allocation: its shaper's peak rate, else its average rate
 * (snic_vnic_rate), else the speed of its uplink (all uplinks for a bond).
 */
uint64_t snic_vnic_alloc_bps(struct snic_dev *d, uint16_t vnic);
/* Plan of RX ring r: its VNIC's allocation, or for the shared HRR the sum
 * over the VNICs sharing it (at least one uplink's speed). */
int snic_ring_poll_plan(struct snic_dev *d, unsigned ring, struct snic_poll_plan *out);

/* ---- argument parsing: args.c, units.c ---- */

/* "100M", "2.5G", "400Gbit/s": exact bit/s within [min, max]. */
int snic_arg_rate(const char *s, uint64_t min, uint64_t max, uint64_t *bps,
		  char *err, size_t errlen);
/* "1500", "64k" (10^3), "1Mi" (2^20): exact bytes within [min, max]. */
int snic_arg_bytes(const char *s, uint64_t min, uint64_t max, uint64_t *bytes,
		   char *err, size_t errlen);
/* 1500000 -> "1.5M": exact, shortest. */
void snic_fmt_rate(char *buf, size_t n, uint64_t bps);


/* Each returns 0, or -1 with a reason in err. */
int snic_arg_mac(const char *s, uint8_t mac[6], char *err, size_t errlen);
/* "M" or "M/ff:ff:ff:00:00:00" or "M/24" */
int snic_arg_mac_mask(const char *s, uint8_t mac[6], uint8_t mask[6],
		      char *err, size_t errlen);
int snic_arg_ipv4(const char *s, uint8_t ip[4], char *err, size_t errlen);
/* "A" (/32) or "A/len" with len 0..32 */
int snic_arg_ipv4_prefix(const char *s, uint8_t ip[4], uint8_t mask[4],
			 char *err, size_t errlen);
/* Decimal or 0x hex unsigned in [min, max]. */
int snic_arg_uint(const char *s, unsigned long min, unsigned long max,
		  unsigned long *out, char *err, size_t errlen);
int snic_arg_proto(const char *s, uint8_t *proto, char *err, size_t errlen);

#endif
