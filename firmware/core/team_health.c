/* SPDX-License-Identifier: MIT */
/*
 * Member health and the set of members in use.
 *
 * A member is healthy when its link is up (carrier and admin state, after
 * the up/down delays), it is not resting after refusing frames, and beacon
 * probing has not found it cut off. A member that recovers from a hard
 * failure may still have to wait before it takes traffic back (failback
 * hold-down or manual); one that only ran out of TX resources comes back
 * at once, since that failure is checked frame by frame.
 *
 * The set in use has one slot per active member, in failover order. An
 * active member fills its own slot while usable; standbys fill the empty
 * slots in order. PORT_ID keeps a VNIC on its slot, so a failure moves
 * only the VNICs of the failed member (to its standby when there is one,
 * else spread over the survivors).
 */
#include "team.h"

#define NS_PER_US 1000ull

static bool phys_up(struct fw *fw, uint8_t u)
{
	return fw->port_up[u] && hal_port_carrier(fw->hal, u);
}

static uint64_t us(uint32_t v)
{
	return (uint64_t)v * NS_PER_US;
}

void team_links_reset(struct fw *fw, uint8_t b, uint64_t now)
{
	for (uint8_t u = 0; u < fw->hw.n_uplinks; u++) {
		struct team_link *l = &fw->team.link[u];
		if (l->bond != b)
			continue;
		uint8_t bond = l->bond;
		fw_memset(l, 0, sizeof(*l));
		l->bond = bond;
		l->phys = phys_up(fw, u);
		l->phys_at = now;
		l->link_ok = l->phys;
		l->healthy = l->phys;
		l->healthy_at = now;
		l->reason = l->phys ? 0 : fw->port_up[u] ? SNIC_TEAM_WHY_LINK
							 : SNIC_TEAM_WHY_ADMIN;
		l->state = l->phys ? SNIC_TEAM_ST_UP : SNIC_TEAM_ST_DOWN;
		l->since = now;
		l->vq_end = now;
	}
}

static bool must_wait(const struct team_link *l, const struct fw_bond *bd)
{
	if (l->reason == SNIC_TEAM_WHY_TXRES)
		return false; /* resource shortage: back as soon as it rested */
	switch (bd->cfg.failback) {
	case SNIC_TEAM_FAILBACK_HOLDDOWN: return bd->cfg.holddown_us != 0;
	case SNIC_TEAM_FAILBACK_MANUAL:   return true;
	default:                          return false;
	}
}

static uint8_t state_of(const struct team_link *l)
{
	if (l->link_ok && !l->phys)
		return SNIC_TEAM_ST_GOING_DOWN;
	if (!l->link_ok && l->phys)
		return SNIC_TEAM_ST_GOING_UP;
	if (!l->healthy)
		return SNIC_TEAM_ST_DOWN;
	return l->waiting ? SNIC_TEAM_ST_WAIT : SNIC_TEAM_ST_UP;
}

bool team_update_health(struct fw *fw, uint8_t u, uint64_t now)
{
	struct team_link *l = &fw->team.link[u];
	if (l->bond == TEAM_NONE)
		return false;
	const struct fw_bond *bd = &fw->team.bond[l->bond];
	bool changed = false;

	if (l->phys != l->link_ok) {
		uint64_t delay = us(l->phys ? bd->cfg.updelay_us : bd->cfg.downdelay_us);
		if (now - l->phys_at >= delay) {
			l->link_ok = l->phys;
			if (l->link_ok)
				beacon_link_up(fw, l->bond, u);
		}
	}
	if (l->tx_short && now >= l->short_until)
		l->tx_short = false;

	bool h = l->link_ok && !l->tx_short && !l->beacon_bad;
	if (!h) /* the latest cause decides how it may come back */
		l->reason = (uint8_t)((l->link_ok ? 0 : fw->port_up[u] ? SNIC_TEAM_WHY_LINK :
				       SNIC_TEAM_WHY_ADMIN) |
				      (l->tx_short ? SNIC_TEAM_WHY_TXRES : 0) |
				      (l->beacon_bad ? SNIC_TEAM_WHY_BEACON : 0));
	if (h != l->healthy) {
		changed = true;
		l->healthy = h;
		if (!h) {
			l->failures++;
			l->waiting = false;
		} else {
			l->healthy_at = now;
			l->waiting = must_wait(l, bd);
		}
	}
	if (l->healthy && l->waiting && bd->cfg.failback == SNIC_TEAM_FAILBACK_HOLDDOWN &&
	    now - l->healthy_at >= us(bd->cfg.holddown_us)) {
		l->waiting = false;
		changed = true;
	}
	uint8_t st = state_of(l);
	if (st != l->state) {
		l->state = st;
		l->since = now;
	}
	return changed;
}

/* ---- the set in use ---- */

static bool usable(struct fw *fw, uint8_t u)
{
	const struct team_link *l = &fw->team.link[u];
	return l->healthy && !l->waiting;
}

uint8_t team_home(struct fw *fw, const struct fw_bond *bd, uint16_t v)
{
	if (!bd->n_live)
		return TEAM_NONE;
	if (bd->cfg.policy == SNIC_TEAM_PRIORITY && v < FW_MAX_VNICS &&
	    fw->team.prio[v] < bd->cfg.prio_high)
		return bd->live[bd->n_live - 1];
	uint8_t s = bd->slot[v % bd->n_slots];
	return s != TEAM_NONE ? s : bd->live[v % bd->n_live];
}

static void fill_slots(struct fw *fw, struct fw_bond *bd)
{
	const struct snic_team_set *c = &bd->cfg;
	unsigned k = 0;

	for (unsigned i = 0; i < SNIC_MAX_UPLINKS; i++)
		bd->slot[i] = TEAM_NONE;
	for (unsigned i = 0; i < c->n_members; i++)
		if (c->role[i] == SNIC_TEAM_ACTIVE) {
			if (usable(fw, c->member[i]))
				bd->slot[k] = c->member[i];
			k++;
		}
	for (unsigned i = 0; i < c->n_members; i++) {
		if (c->role[i] != SNIC_TEAM_STANDBY || !usable(fw, c->member[i]))
			continue;
		for (unsigned s = 0; s < bd->n_slots; s++)
			if (bd->slot[s] == TEAM_NONE) {
				bd->slot[s] = c->member[i];
				break;
			}
	}
	for (unsigned s = 0; s < bd->n_slots; s++)
		if (bd->slot[s] != TEAM_NONE)
			return;
	/* Nothing usable: a healthy member still waiting for failback is
	 * better than none, and carrying traffic ends its wait. */
	for (unsigned pass = SNIC_TEAM_ACTIVE; pass <= SNIC_TEAM_STANDBY; pass++)
		for (unsigned i = 0; i < c->n_members; i++) {
			uint8_t u = c->member[i];
			if (c->role[i] == pass && fw->team.link[u].healthy) {
				fw->team.link[u].waiting = false;
				fw->team.link[u].state = SNIC_TEAM_ST_UP;
				bd->slot[0] = u;
				return;
			}
		}
}

void team_recompute(struct fw *fw, uint8_t b, uint64_t now)
{
	struct fw_bond *bd = &fw->team.bond[b];
	uint8_t old = bd->live_mask;

	fill_slots(fw, bd);
	bd->n_live = 0;
	bd->live_mask = 0;
	for (unsigned s = 0; s < bd->n_slots; s++)
		if (bd->slot[s] != TEAM_NONE) {
			bd->live[bd->n_live++] = bd->slot[s];
			bd->live_mask |= (uint8_t)(1u << bd->slot[s]);
		}
	if (bd->live_mask == old)
		return;
	uint8_t lost = old & (uint8_t)~bd->live_mask, failed = 0;
	for (uint8_t u = 0; u < SNIC_MAX_UPLINKS; u++)
		if (((lost >> u) & 1) && !usable(fw, u))
			failed |= (uint8_t)(1u << u);
	/* A member leaving because it failed is a failover; one making room
	 * for a recovered member is part of a failback. */
	if (failed)
		bd->failovers++;
	else
		bd->failbacks++;
	bd->last_change = now;
	/* Hash policies spread every VNIC over every member: after a loss any
	 * VNIC may have been learned behind the lost member, so all re-announce
	 * on their home uplink. Otherwise only the VNICs that moved do. */
	bool all = failed && bd->cfg.policy != SNIC_TEAM_PORT_ID;
	for (uint16_t v = 0; v < fw->hw.max_vnics; v++) {
		if (!fw->vnic[v].used || fw->vnic[v].uplink != (SNIC_UPLINK_BOND | b))
			continue;
		uint8_t h = team_home(fw, bd, v);
		if (h != TEAM_NONE && (h != fw->team.home[v] || all))
			notify_queue(fw, b, v, h, now);
		fw->team.home[v] = h;
	}
	fw->team.dirty = true;
}

void team_manual_failback(struct fw *fw, uint8_t b, uint64_t now)
{
	for (uint8_t u = 0; u < fw->hw.n_uplinks; u++) {
		struct team_link *l = &fw->team.link[u];
		if (l->bond == b && l->waiting) {
			l->waiting = false;
			l->state = state_of(l);
			l->since = now;
		}
	}
	team_recompute(fw, b, now);
}

bool team_tx_refused(struct fw *fw, uint8_t u, uint64_t now)
{
	struct team_link *l = &fw->team.link[u];
	l->tx_refused++;
	if (l->bond == TEAM_NONE)
		return false;
	struct fw_bond *bd = &fw->team.bond[l->bond];
	if (!(bd->cfg.detect & SNIC_TEAM_DETECT_TXRES))
		return false;
	/* Resting the only member that can carry would only hold traffic. */
	bool other = false;
	for (unsigned i = 0; i < bd->cfg.n_members; i++) {
		uint8_t m = bd->cfg.member[i];
		if (m != u && bd->cfg.role[i] != SNIC_TEAM_UNUSED && fw->team.link[m].healthy)
			other = true;
	}
	if (!other)
		return false;
	/* The rest doubles with each refusal in a row (up to 1024 times), so a
	 * member that stays out of resources is probed ever less often. */
	uint32_t rest = bd->cfg.txres_rest_us ? bd->cfg.txres_rest_us : 10;
	l->tx_short = true;
	l->short_until = now + (us(rest) << l->short_streak);
	if (l->short_streak < TEAM_REST_DOUBLINGS)
		l->short_streak++;
	team_update_health(fw, u, now);
	team_recompute(fw, l->bond, now);
	fw->team.dirty = true;
	return true;
}

/* ---- the poll ---- */

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t link_deadline(const struct team_link *l, const struct fw_bond *bd)
{
	uint64_t t = TEAM_NO_TIME;
	if (l->phys != l->link_ok)
		t = l->phys_at + us(l->phys ? bd->cfg.updelay_us : bd->cfg.downdelay_us);
	if (l->tx_short)
		t = min64(t, l->short_until);
	if (l->healthy && l->waiting && bd->cfg.failback == SNIC_TEAM_FAILBACK_HOLDDOWN)
		t = min64(t, l->healthy_at + us(bd->cfg.holddown_us));
	return t;
}

static void plan_next(struct fw *fw)
{
	uint64_t t = notify_next(fw);
	for (uint8_t b = 0; b < SNIC_MAX_BONDS; b++)
		if (fw->team.bond[b].used)
			t = min64(t, beacon_next(&fw->team.bond[b]));
	for (uint8_t u = 0; u < fw->hw.n_uplinks; u++) {
		const struct team_link *l = &fw->team.link[u];
		if (l->bond != TEAM_NONE)
			t = min64(t, link_deadline(l, &fw->team.bond[l->bond]));
	}
	fw->team.next_at = t;
	fw->team.dirty = false;
}

unsigned fw_team_poll(struct fw *fw)
{
	bool any = false;
	for (uint8_t b = 0; b < SNIC_MAX_BONDS; b++)
		any |= fw->team.bond[b].used;
	if (!any)
		return 0;

	uint64_t now = hal_now_ns(fw->hal);
	unsigned work = 0;
	uint8_t redo = 0; /* bonds whose set must be recomputed */

	/* Link events act in the poll that sees them. */
	for (uint8_t u = 0; u < fw->hw.n_uplinks; u++) {
		struct team_link *l = &fw->team.link[u];
		if (l->bond == TEAM_NONE)
			continue;
		bool p = phys_up(fw, u);
		if (p == l->phys)
			continue;
		l->phys = p;
		l->phys_at = now;
		fw->team.dirty = true;
		if (team_update_health(fw, u, now))
			redo |= (uint8_t)(1u << l->bond);
	}
	if (fw->team.dirty || now >= fw->team.next_at) {
		for (uint8_t u = 0; u < fw->hw.n_uplinks; u++)
			if (fw->team.link[u].bond != TEAM_NONE && team_update_health(fw, u, now))
				redo |= (uint8_t)(1u << fw->team.link[u].bond);
		for (uint8_t b = 0; b < SNIC_MAX_BONDS; b++)
			if (redo & (1u << b))
				team_recompute(fw, b, now);
		for (uint8_t b = 0; b < SNIC_MAX_BONDS; b++)
			if (fw->team.bond[b].used)
				work += beacon_tick(fw, b, now);
		plan_next(fw);
	}
	if (notify_next(fw) <= now) {
		work += notify_poll(fw, now);
		plan_next(fw);
	}
	return work;
}

uint64_t fw_team_next_ns(struct fw *fw)
{
	if (fw->team.dirty)
		return hal_now_ns(fw->hal);
	return fw->team.next_at;
}
