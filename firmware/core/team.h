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
 * when the earliest deadline is due, and fw_next_deadline_ns() (fw.h)
 * tells a simulator when that is.
 */
#ifndef SNIC_FW_TEAM_H
#define SNIC_FW_TEAM_H

#include "fw_internal.h"



/* ---- team.c: configuration, admin, hooks from the rest of the core ---- */
void fw_team_init(struct fw *fw);
/* SNIC_CMD_TEAM_SET: returns a status; fills *out (and *out_len) for QUERY. */
int  fw_team_admin(struct fw *fw, const struct snic_team_set *c, struct snic_team_status *out,
		   uint32_t *out_len);
/* VNIC_CREATE: may a new VNIC send on `uplink` (an uplink or a bond)? */
int  fw_team_check_vnic_uplink(struct fw *fw, uint8_t uplink);
/* A VNIC was created: reset its priority, note its home uplink. */
void fw_team_vnic_created(struct fw *fw, uint16_t id);
/* Line rate (Mbit/s) a VNIC's `uplink` field offers right now: its uplink
 * while up, or the bond's members in use. Bandwidth allocations that are
 * shares of a bond are recomputed from this after every failover. */
uint64_t fw_team_capacity_mbps(struct fw *fw, uint8_t uplink);
/* Bond id of a VNIC's `uplink` field, or TEAM_NONE for an unbonded uplink. */
static inline uint8_t team_bond_of(uint8_t uplink)
{
	return (uplink & SNIC_UPLINK_BOND) ? (uint8_t)(uplink & ~SNIC_UPLINK_BOND) : TEAM_NONE;
}
/* The uplinks (bitmap) a VNIC's `uplink` field receives unicast on: the
 * uplink, or every member of the bond (vnic_mac.c). */
static inline uint8_t team_ports(struct fw *fw, uint8_t uplink)
{
	uint8_t b = team_bond_of(uplink);
	if (b == TEAM_NONE)
		return uplink < SNIC_MAX_UPLINKS ? (uint8_t)(1u << uplink) : 0;
	return b < SNIC_MAX_BONDS ? fw->team.bond[b].mask : 0;
}

/* ---- team_health.c ---- */
/* Per poll: sample links, run due timers, send due frames. Returns work. */
unsigned fw_team_poll(struct fw *fw);
/* Earliest time the team needs a poll, TEAM_NO_TIME if none. */
uint64_t fw_team_next_ns(struct fw *fw);
/* Recompute bond b's set in use after a health change at `now`. */
void team_recompute(struct fw *fw, uint8_t b, uint64_t now);
/* Recompute member health flags of uplink u; true if they changed. */
bool team_update_health(struct fw *fw, uint8_t u, uint64_t now);
/* The uplink refused a frame: rest it if the bond can do without it. */
bool team_tx_refused(struct fw *fw, uint8_t u, uint64_t now);
/* Home uplink of VNIC v in bond b under the current set (TEAM_NONE if none). */
uint8_t team_home(struct fw *fw, const struct fw_bond *b, uint16_t v);
void team_manual_failback(struct fw *fw, uint8_t b, uint64_t now);
void team_links_reset(struct fw *fw, uint8_t b, uint64_t now);

/* ---- team_tx.c ---- */
#define TEAM_TX_HOLD (-1)  /* keep the frame, try again later */
#define TEAM_TX_DOWN (-2)  /* unbonded uplink administratively down: drop */
/* Send a frame of VNIC `id` on its uplink or bond at time `now` (sampled
 * once per transmit poll): the uplink used, or TEAM_TX_HOLD / TEAM_TX_DOWN. */
int  fw_team_send(struct fw *fw, uint16_t id, const uint8_t *f, uint32_t len, uint64_t now);
/* Transmit a device-made frame (beacon, notification) on uplink u. */
bool team_xmit(struct fw *fw, uint8_t u, const uint8_t *f, uint32_t len, uint64_t now);
/* Wire time of a frame of len bytes on an uplink, ns: team_wire_ns()
 * computes it once per frame size. */
uint64_t team_wire_ns_calc(struct fw *fw, uint32_t len);
static inline uint64_t team_wire_ns(struct fw *fw, uint32_t len)
{
	if (len != fw->team.wire_len) {
		fw->team.wire_ns = team_wire_ns_calc(fw, len);
		fw->team.wire_len = len;
	}
	return fw->team.wire_ns;
}

/* Uplink u took a frame at `now`: its resources are back, and the bytes it
 * has queued (an estimate, drained at line rate) grow by the frame. */
static inline void team_account(struct fw *fw, uint8_t u, uint32_t len, uint64_t now)
{
	struct team_link *l = &fw->team.link[u];
	l->short_streak = 0;
	if (l->vq_end < now)
		l->vq_end = now;
	l->vq_end += team_wire_ns(fw, len);
}

/* The unbonded case of fw_team_send, inline for the transmit path, for a
 * caller that checked the uplink is admin-up and has carrier: the uplink,
 * or TEAM_TX_HOLD when hal_tx has no room. */
static inline int team_send_port(struct fw *fw, uint8_t up, const uint8_t *f, uint32_t len,
				 uint64_t now)
{
	if (hal_tx(fw->hal, up, f, len) < 0)
		return TEAM_TX_HOLD;
	team_account(fw, up, len, now);
	return up;
}

/* ---- beacon.c ---- */
void beacon_reset(struct fw *fw, uint8_t b, uint64_t now);
/* Due beacon work of bond b; returns frames sent. */
unsigned beacon_tick(struct fw *fw, uint8_t b, uint64_t now);
uint64_t beacon_next(const struct fw_bond *bd);
/* A link came back: give it a fresh window of beacon history. */
void beacon_link_up(struct fw *fw, uint8_t b, uint8_t u);
/* Is this received frame a beacon of ours? (then it is consumed) */
bool fw_beacon_rx(struct fw *fw, const struct hal_rx_pkt *p);

/* ---- notify.c ---- */
void notify_reset(struct fw *fw);
/* VNIC v moved to uplink u: queue its notifications (bond b's settings). */
void notify_queue(struct fw *fw, uint8_t b, uint16_t v, uint8_t u, uint64_t now);
unsigned notify_poll(struct fw *fw, uint64_t now);
uint64_t notify_next(struct fw *fw);
void notify_drop_bond(struct fw *fw, uint8_t b);

#endif
