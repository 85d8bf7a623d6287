/* SPDX-License-Identifier: MIT */
/*
 * Teaming inside the firmware: bonds (team.c), member health and the set
 * of members in use (team_health.c), transmit distribution (team_tx.c),
 * beacon probing (beacon.c) and switch notification (notify.c).
 *
 * All state is in fixed tables here, never in the window. Health is
 * sampled on every fw_poll (carrier and admin state of each bonded
 * uplink: a few loads), so a link-down is acted on in the same poll; the
 * timed work (delays, beacons, hold-down, repeated notifications) runs
 * when the earliest deadline is due, and fw_team_next_ns() tells a
 * simulator when that is.
 */
#ifndef SNIC_FW_TEAM_H
#define SNIC_FW_TEAM_H

#include "fw_internal.h"

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
};

extern struct fw_team fw_team;

/* ---- team.c: configuration, admin, hooks from the rest of the core ---- */
void fw_team_init(void);
/* SNIC_CMD_TEAM_SET: returns a status; fills *out (and *out_len) for QUERY. */
int  fw_team_admin(const struct snic_team_set *c, struct snic_team_status *out,
		   uint32_t *out_len);
/* VNIC_CREATE: may a new VNIC send on `uplink` (an uplink or a bond)? */
int  fw_team_check_vnic_uplink(uint8_t uplink);
/* A VNIC was created: reset its priority, note its home uplink. */
void fw_team_vnic_created(uint16_t id);
/* Line rate (Mbit/s) a VNIC's `uplink` field offers right now: its uplink
 * while up, or the bond's members in use. Bandwidth allocations that are
 * shares of a bond are recomputed from this after every failover. */
uint64_t fw_team_capacity_mbps(uint8_t uplink);
/* Bond id of a VNIC's `uplink` field, or TEAM_NONE for an unbonded uplink. */
static inline uint8_t team_bond_of(uint8_t uplink)
{
	return (uplink & SNIC_UPLINK_BOND) ? (uint8_t)(uplink & ~SNIC_UPLINK_BOND) : TEAM_NONE;
}
/* The uplinks (bitmap) a VNIC's `uplink` field receives unicast on: the
 * uplink, or every member of the bond (vnic_mac.c). */
static inline uint8_t team_ports(uint8_t uplink)
{
	uint8_t b = team_bond_of(uplink);
	if (b == TEAM_NONE)
		return uplink < SNIC_MAX_UPLINKS ? (uint8_t)(1u << uplink) : 0;
	return b < SNIC_MAX_BONDS ? fw_team.bond[b].mask : 0;
}

/* ---- team_health.c ---- */
/* Per poll: sample links, run due timers, send due frames. Returns work. */
unsigned fw_team_poll(void);
/* Earliest time the team needs a poll, TEAM_NO_TIME if none. */
uint64_t fw_team_next_ns(void);
/* Recompute bond b's set in use after a health change at `now`. */
void team_recompute(uint8_t b, uint64_t now);
/* Recompute member health flags of uplink u; true if they changed. */
bool team_update_health(uint8_t u, uint64_t now);
/* The uplink refused a frame: rest it if the bond can do without it. */
bool team_tx_refused(uint8_t u, uint64_t now);
/* Home uplink of VNIC v in bond b under the current set (TEAM_NONE if none). */
uint8_t team_home(const struct fw_bond *b, uint16_t v);
void team_manual_failback(uint8_t b, uint64_t now);
void team_links_reset(uint8_t b, uint64_t now);

/* ---- team_tx.c ---- */
#define TEAM_TX_HOLD (-1)  /* keep the frame, try again later */
#define TEAM_TX_DOWN (-2)  /* unbonded uplink administratively down: drop */
/* Send a frame of VNIC `id` on its uplink or bond at time `now` (sampled
 * once per transmit poll): the uplink used, or TEAM_TX_HOLD / TEAM_TX_DOWN. */
int  fw_team_send(uint16_t id, const uint8_t *f, uint32_t len, uint64_t now);
/* Transmit a device-made frame (beacon, notification) on uplink u. */
bool team_xmit(uint8_t u, const uint8_t *f, uint32_t len, uint64_t now);
/* Wire time of a frame of len bytes on an uplink, ns: team_wire_ns()
 * computes it once per frame size. */
uint64_t team_wire_ns_calc(uint32_t len);
static inline uint64_t team_wire_ns(uint32_t len)
{
	if (len != fw_team.wire_len) {
		fw_team.wire_ns = team_wire_ns_calc(len);
		fw_team.wire_len = len;
	}
	return fw_team.wire_ns;
}

/* Uplink u took a frame at `now`: its resources are back, and the bytes it
 * has queued (an estimate, drained at line rate) grow by the frame. */
static inline void team_account(uint8_t u, uint32_t len, uint64_t now)
{
	struct team_link *l = &fw_team.link[u];
	l->short_streak = 0;
	if (l->vq_end < now)
		l->vq_end = now;
	l->vq_end += team_wire_ns(len);
}

/* The unbonded case of fw_team_send, inline for the transmit path, for a
 * caller that checked the uplink is admin-up and has carrier: the uplink,
 * or TEAM_TX_HOLD when hal_tx has no room. */
static inline int team_send_port(uint8_t up, const uint8_t *f, uint32_t len, uint64_t now)
{
	if (hal_tx(up, f, len) < 0)
		return TEAM_TX_HOLD;
	team_account(up, len, now);
	return up;
}

/* ---- beacon.c ---- */
void beacon_reset(uint8_t b, uint64_t now);
/* Due beacon work of bond b; returns frames sent. */
unsigned beacon_tick(uint8_t b, uint64_t now);
uint64_t beacon_next(const struct fw_bond *bd);
/* A link came back: give it a fresh window of beacon history. */
void beacon_link_up(uint8_t b, uint8_t u);
/* Is this received frame a beacon of ours? (then it is consumed) */
bool fw_beacon_rx(const struct hal_rx_pkt *p);

/* ---- notify.c ---- */
void notify_reset(void);
/* VNIC v moved to uplink u: queue its notifications (bond b's settings). */
void notify_queue(uint8_t b, uint16_t v, uint8_t u, uint64_t now);
unsigned notify_poll(uint64_t now);
uint64_t notify_next(void);
void notify_drop_bond(uint8_t b);

#endif
