/* SPDX-License-Identifier: MIT */
/* libsnic internals shared by the library's files (not installed). */
#ifndef SNIC_IMPL_H
#define SNIC_IMPL_H

#include <stdarg.h>
#include <string.h>
#include "snic.h"
#include "../proto/snic_proto.h"

#define SNIC_NO_BLOCK   SNIC_PROTO_NONE

/* Host-side state of one ring this process drives. */
struct snic_ring {
	uint32_t ctrl;        /* window offset of snic_rxq / snic_txq */
	uint32_t size;        /* entries, power of two */
	uint32_t buf_max;     /* largest frame */
	uint32_t stride;      /* bytes between buffers */
	uint32_t buf_base;    /* window offset of buffer 0 */
	uint32_t desc_off;
	uint32_t cpl_off;     /* RX only */
	int      valid;       /* layout checked */
	int      started;     /* this process owns the ring */
	uint32_t prod;        /* host copy of desc_prod */
	uint32_t cons;        /* host copy of cpl_cons (RX) */
};

struct snic_dev {
	uint8_t *win;
	size_t   win_size;    /* bytes usable: min(mapping, window_size) */
	size_t   map_size;    /* bytes mapped (0: caller's memory) */
	int      fd;          /* -1 when attached to memory */
	char     path[256];
	unsigned timeout_ms;
	unsigned lock_lease_ms;   /* 0: SNIC_ADMIN_LOCK_LEASE_MS (tests shorten it) */
	uint64_t lock_takeovers;  /* admin locks taken from dead holders */

	/* Block offsets found by the walk, SNIC_NO_BLOCK if absent. */
	uint32_t off_devid, off_fw, off_admin, off_caps, off_stats;
	uint32_t off_dma, off_rxq, off_txq;
	uint32_t off_vstats;  /* ABI 1.1: per-VNIC counters */

	/* Checked copies of the block layouts (the walk's result, and the
	 * parts the library's files use). */
	struct snic_proto_layout lay;
	struct snic_blk_admin  admin;
	struct snic_blk_queues rxq, txq;
	struct snic_blk_dma    dma;
	struct snic_blk_vstats vstats;

	struct snic_caps caps;
	int      caps_valid;

	struct snic_ring rx[SNIC_LIB_MAX_RINGS];
	struct snic_ring tx[SNIC_LIB_MAX_RINGS];
	unsigned n_rx, n_tx;
	int      layout_err;  /* 0, or why ring buffers cannot be laid out */
	char     layout_msg[SNIC_ERRMSG_MAX];

	/* Host mirror (mirror.c). */
	char     state_path[300];
	int      state_path_set;  /* chosen by the caller, not derived */
	int      state_fd;        /* open and locked between begin/end */
	int      intent_own;      /* this transaction wrote the intent (intent.c) */
	struct snic_mirror *mirror;

	/* HRR promotion after VNIC destroy (promote.c). */
	int      no_auto_promote;
	int      promoted;          /* the last destroy moved promoted_vnic */
	uint32_t last_sw;           /* fields that made the last rule a software one */
	uint16_t promoted_vnic, promoted_ring;

	int      err;
	char     errmsg[SNIC_ERRMSG_MAX];
};

/* Record an error with a message; returns `code` for tail calls. */
int snic_seterr(struct snic_dev *d, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record a failure of the shared protocol code (hostdrv/proto). */
int snic_proto_seterr(struct snic_dev *d, const struct snic_proto_err *e);

/* 1 if [off, off+len) lies inside the window. */
static inline int snic_in_window(const struct snic_dev *d, uint64_t off, uint64_t len)
{
	return off <= d->win_size && len <= d->win_size - off;
}

/* Index words shared with the device: acquire loads, release stores. */
static inline uint32_t snic_ld32(const struct snic_dev *d, uint32_t off)
{
	return __atomic_load_n((const uint32_t *)(const void *)(d->win + off),
			       __ATOMIC_ACQUIRE);
}

static inline void snic_st32(struct snic_dev *d, uint32_t off, uint32_t v)
{
	__atomic_store_n((uint32_t *)(void *)(d->win + off), v, __ATOMIC_RELEASE);
}

static inline uint64_t snic_ld64(const struct snic_dev *d, uint32_t off)
{
	return __atomic_load_n((const uint64_t *)(const void *)(d->win + off),
			       __ATOMIC_RELAXED);
}

/* Milliseconds on the monotonic clock. */
uint64_t snic_now_ms(void);
/* Short pause while waiting for the device. */
void snic_backoff(unsigned *spins);

/* Lay out ring buffers (rx.c); called by attach. */
void snic_layout_rings(struct snic_dev *d);
/* 0 if ring r (RX when is_rx) exists and its buffers are laid out. */
int  snic_ring_usable(struct snic_dev *d, unsigned r, int is_rx);
/* Take or release an exclusive per-ring lock (OFD lock on the window file). */
int  snic_ring_lock(struct snic_dev *d, uint32_t ctrl, int lock);

/*
 * Mirror transactions around a configuration command: begin locks and
 * loads the state file, end saves it (if `save`) and unlocks. Both are
 * no-ops when mirroring is off. `tolerant`: a corrupt file is replaced.
 */
int  snic_mirror_begin(struct snic_dev *d, int tolerant);
int  snic_mirror_end(struct snic_dev *d, int save);
/* Write the state file now, the lock kept (inside a transaction). */
int  snic_mirror_write(struct snic_dev *d);
/* The intent journal (intent.c): before a VNIC or rule is added or
 * removed on the device the change is written down (kind 0: nothing
 * recorded, mirroring off); a change a killed process left is settled
 * against the device when the next transaction begins. */
int  snic_intent_begin(struct snic_dev *d, const struct snic_mirror_intent *it);
void snic_intent_settle(struct snic_dev *d);
int  snic_mirror_active(const struct snic_dev *d);
/* Mirror updates, inside a transaction. */
void snic_mirror_put_vnic(struct snic_dev *d, const struct snic_vnic_params *p,
			  const struct snic_vnic_info *info);
void snic_mirror_drop_vnic(struct snic_dev *d, uint16_t vnic);
int  snic_mirror_put_rule(struct snic_dev *d, uint32_t loc, const struct snic_rule *r,
			  uint32_t flags);
void snic_mirror_drop_rule(struct snic_dev *d, uint32_t loc);
/* The rule the device holds for a mirrored rule (its coarse form if SW). */
int  snic_mirror_rule_hw(struct snic_dev *d, const struct snic_mirror_rule *mr,
			 struct snic_rule *out);
void snic_mirror_clear(struct snic_dev *d);
/* Record an accepted METER_SET (a shaper with cir 0 is removed). */
void snic_mirror_put_meter(struct snic_dev *d, const struct snic_meter_set *m);
/* Record an accepted VNIC_SHARE (weight and minimum 0 remove it). */
void snic_mirror_put_share(struct snic_dev *d, const struct snic_vnic_share *s);
/* Bandwidth allocation of VNIC v by the loaded mirror (pollplan.c). */
uint64_t snic_alloc_in_mirror(const struct snic_dev *d, uint16_t v);
/* Record accepted L2 commands (l2.c). */
void snic_mirror_put_l2(struct snic_dev *d, uint16_t opcode, const void *payload);
/* 1 if mirrored VNIC v wants a group copy of this frame from `port`
 * (its domain, its groups, its receive mode); 0 if not (l2.c). */
int  snic_l2_wants(const struct snic_mirror *m, uint16_t v, const uint8_t *frame,
		   uint32_t len, uint8_t port);
/* End a transaction keeping the command's error message (ops.c). */
int  snic_mirror_finish(struct snic_dev *d, int rc, int changed);
/* Admin operations without mirror bookkeeping (ops.c). */
int  snic_raw_vnic_create(struct snic_dev *d, const struct snic_vnic_params *p,
			  struct snic_vnic_info *out);
int  snic_raw_rule_add(struct snic_dev *d, uint32_t loc, const struct snic_rule *r,
		       uint32_t *loc_out);
int  snic_raw_rule_query(struct snic_dev *d, uint32_t loc, struct snic_rule_info *out);
/* Load the file into d->mirror without keeping a lock. */
int  snic_mirror_load(struct snic_dev *d);

static inline int snic_is_pow2(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

#endif
