/* SPDX-License-Identifier: MIT */
/*
 * The window protocol, written once for every host driver: libsnic
 * (hostdrv/lib) and snic.ko (hostdrv/linux) compile these same files, so
 * the two can never accept different windows or speak the admin queue
 * differently (docs/hostdrv.md, "Shared protocol code").
 *
 * Freestanding: no allocation, no globals, no clock of its own. Every
 * function takes its state in a struct and reports a failure as a code
 * plus one line of text in struct snic_proto_err, which each side prints
 * its own way (dev_err, snic_errmsg). The window is never trusted: every
 * offset and size is checked before anything behind it is read, and the
 * checked copies are what callers use afterwards.
 */
#ifndef SNIC_PROTO_H
#define SNIC_PROTO_H

#include "snic_proto_env.h"
#include <snic/abi.h>

#define SNIC_PROTO_NONE       0xffffffffu /* block absent */
#define SNIC_PROTO_MAX_BLOCKS 64          /* longer chains are treated as loops */
#define SNIC_PROTO_MAX_RINGS  64          /* rings of either kind a host handles */
#define SNIC_PROTO_MAX_ADMIN  4096u       /* admin ring entries at most */
#define SNIC_PROTO_MIN_FRAME  14u         /* a ring's buf_max holds an Ethernet header */

enum snic_proto_code {
	SNIC_PROTO_OK = 0,
	SNIC_PROTO_E_WINDOW,   /* window too small, or larger than mapped */
	SNIC_PROTO_E_MAGIC,    /* no snic device id at offset 0 */
	SNIC_PROTO_E_ABI,      /* incompatible ABI major */
	SNIC_PROTO_E_STATE,    /* device not (or no longer) RUNNING / ready */
	SNIC_PROTO_E_CHAIN,    /* block chain out of the window, overlapping, looping */
	SNIC_PROTO_E_BLOCK,    /* a block's contents are unusable */
	SNIC_PROTO_E_MISSING,  /* a required block is absent */
	SNIC_PROTO_E_CAPS,     /* capability records malformed or inconsistent */
	SNIC_PROTO_E_ARG,      /* the caller's command is malformed */
	SNIC_PROTO_E_LOCKED,   /* another agent holds the admin queue */
	SNIC_PROTO_E_TIMEOUT,  /* the device did not answer in time */
	SNIC_PROTO_E_PROTO,    /* the device broke the admin queue protocol */
};

struct snic_proto_err {
	int  code;             /* enum snic_proto_code */
	char msg[224];
};

/* Records code and message; returns code (for tail calls). */
int snic_proto_fail(struct snic_proto_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

const char *snic_proto_state_name(uint32_t state);
const char *snic_proto_block_name(uint32_t type); /* NULL for unknown types */

/* ---- block chain (snic_proto_walk.c) ---- */

/*
 * What the walk found: offsets (SNIC_PROTO_NONE when absent) and checked
 * copies of every known block as it was at walk time.
 */
struct snic_proto_layout {
	uint32_t window_size;  /* DEVID window_size: nothing past it is used */
	uint32_t off_devid, off_fw, off_admin, off_caps, off_stats;
	uint32_t off_dma, off_rxq, off_txq, off_vstats;
	uint32_t n_blocks;     /* in the chain */
	uint32_t n_unknown;    /* of unknown type, skipped */
	struct snic_blk_devid  devid;
	struct snic_blk_fw     fw;      /* zero when absent */
	struct snic_blk_admin  admin;
	struct snic_blk_caps   caps;
	struct snic_blk_queues rxq, txq;
	struct snic_blk_dma    dma;
	struct snic_blk_vstats vstats;  /* zero when absent (optional) */
};

/*
 * Checks the device id at offset 0 and walks the chain from it. `mapped`
 * is how much of the window the caller can read. Required: DEVID, ADMIN,
 * CAPS, STATS, DMA, RXQ, TXQ; optional: FW, VSTATS; unknown types skipped.
 */
int snic_proto_walk(const uint8_t *win, uint64_t mapped, struct snic_proto_layout *out,
		    struct snic_proto_err *e);

/* 1 if [off, off+len) lies inside a window of `size` bytes. */
static inline int snic_proto_in(uint64_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

/* ---- capability records (snic_proto_caps.c) ---- */

/* The records as the device gave them (version-1 prefixes), checked. */
struct snic_proto_caps {
	uint32_t generation;
	struct snic_cap_header hdr;
	uint16_t n_rx, n_tx, n_uplinks;
	struct snic_cap_ring rx[SNIC_PROTO_MAX_RINGS];
	struct snic_cap_ring tx[SNIC_PROTO_MAX_RINGS];
	struct snic_cap_classifier cls;
	struct snic_cap_meters meters;
	struct snic_cap_uplink uplink[SNIC_MAX_UPLINKS];
	struct snic_cap_l2 l2;    /* l2.h.type == SNIC_CAP_L2 when present, else zero */
	struct snic_cap_rss rss;  /* rss.h.type == SNIC_CAP_RSS when present, else zero */
	uint32_t skipped;         /* records of unknown type skipped by their len */
};

/*
 * Parses a private copy of the record stream. window_size bounds the
 * rings' control offsets (0: not checked).
 */
int snic_proto_caps_parse(const void *buf, uint32_t len, uint32_t window_size,
			  struct snic_proto_caps *out, struct snic_proto_err *e);
/* The records must agree with the RXQ/TXQ blocks: counts and control areas. */
int snic_proto_caps_match(const struct snic_proto_caps *c, const struct snic_proto_layout *l,
			  struct snic_proto_err *e);
/*
 * Copies the records out of the window into buf (SNIC_CAPS_MAX_BYTES),
 * retrying while the firmware rewrites them (generation moves), then
 * parses and matches them.
 */
int snic_proto_caps_read(const uint8_t *win, const struct snic_proto_layout *l, uint8_t *buf,
			 struct snic_proto_caps *out, struct snic_proto_err *e);

/* ---- admin queue (snic_proto_admin.c) ---- */

enum snic_proto_wait {
	SNIC_PROTO_WAIT_LOCK,  /* for the window's admin lock */
	SNIC_PROTO_WAIT_ROOM,  /* for a free command slot */
	SNIC_PROTO_WAIT_CPL,   /* for our completion */
};

/* What each side supplies: its clock and its way of waiting. */
struct snic_proto_admin_ops {
	uint64_t (*now_ms)(void *ctx);   /* monotonic, this agent's own clock */
	/* Pause briefly while waiting (spin, yield, usleep_range...). */
	void (*pause)(void *ctx, unsigned int *spins);
	/* A wait begins (the side may note the time or the heartbeat). */
	void (*wait_begin)(void *ctx, enum snic_proto_wait what);
	/* 1: give up this wait now. The shared code also stops at half a
	 * lease after taking the lock, and when the device stops running. */
	int (*expired)(void *ctx, enum snic_proto_wait what);
};

struct snic_proto_admin {
	uint8_t *win;
	uint32_t off_devid;     /* for state, heartbeat and device clock */
	uint32_t off_admin;
	struct snic_blk_admin blk;  /* checked copy from the walk */
	uint32_t agent;         /* SNIC_ADMIN_LOCK_HOST or SNIC_ADMIN_LOCK_KERNEL */
	uint32_t lease_ms;      /* SNIC_ADMIN_LOCK_LEASE_MS (tests shorten it) */
	const struct snic_proto_admin_ops *ops;
	void *ctx;
	/* results, for counters and logs */
	uint64_t takeovers;     /* locks taken from dead holders */
	uint32_t taken_from;    /* the last dead holder's tag */
	uint32_t seq;           /* the last command's sequence number */
	uint32_t foreign;       /* completions of other commands skipped, total */
};

/* Fills *a from a walked layout; ops, ctx, agent are the caller's. */
void snic_proto_admin_setup(struct snic_proto_admin *a, uint8_t *win,
			    const struct snic_proto_layout *l);

/*
 * Sends one command and waits for its completion (copied to *cpl; its
 * status is the caller's to interpret). Takes and gives back the window's
 * admin lock; the caller serializes its own threads.
 */
int snic_proto_admin_exec(struct snic_proto_admin *a, uint16_t opcode, const void *in,
			  uint32_t in_len, struct snic_admin_cpl *cpl, struct snic_proto_err *e);

#endif
