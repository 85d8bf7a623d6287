/* SPDX-License-Identifier: MIT */
/*
 * Bonds: configuration through SNIC_CMD_TEAM_SET, the membership rules,
 * and the status reply. A rejected command changes nothing: everything is
 * validated before the first field is written.
 */
#include "team.h"
#include "bwalloc.h"



void fw_team_init(struct fw *fw)
{
	fw_memset(&fw->team, 0, sizeof(fw->team));
	for (uint8_t u = 0; u < SNIC_MAX_UPLINKS; u++)
		fw->team.link[u].bond = TEAM_NONE;
	fw_memset(fw->team.home, TEAM_NONE, sizeof(fw->team.home));
	notify_reset(fw);
	fw->team.next_at = TEAM_NO_TIME;
}

/* VNICs sending on `uplink` (an uplink number or SNIC_UPLINK_BOND | b). */
static unsigned vnics_on(struct fw *fw, uint8_t uplink)
{
	unsigned n = 0;
	for (unsigned i = 0; i < fw->hw.max_vnics; i++)
		if (fw->vnic[i].used && fw->vnic[i].uplink == uplink)
			n++;
	return n;
}

int fw_team_check_vnic_uplink(struct fw *fw, uint8_t uplink)
{
	uint8_t b = team_bond_of(uplink);
	if (b != TEAM_NONE) {
		if (b >= SNIC_MAX_BONDS)
			return SNIC_E_RANGE;
		return fw->team.bond[b].used ? SNIC_OK : SNIC_E_NOENT;
	}
	if (uplink >= fw->hw.n_uplinks)
		return SNIC_E_RANGE;
	/* A bonded uplink is only reachable through its bond. */
	return fw->team.link[uplink].bond == TEAM_NONE ? SNIC_OK : SNIC_E_BUSY;
}

void fw_team_vnic_created(struct fw *fw, uint16_t id)
{
	if (id >= FW_MAX_VNICS)
		return;
	fw->team.prio[id] = 0;
	fw->team.home[id] = TEAM_NONE;
	fw_bw_vnic_created(fw, id); /* no bandwidth share of its own yet */
	uint8_t b = team_bond_of(fw->vnic[id].uplink);
	if (b < SNIC_MAX_BONDS && fw->team.bond[b].used)
		fw->team.home[id] = team_home(fw, &fw->team.bond[b], id);
}

uint64_t fw_team_capacity_mbps(struct fw *fw, uint8_t uplink)
{
	uint8_t b = team_bond_of(uplink);
	if (b == TEAM_NONE) {
		if (uplink >= fw->hw.n_uplinks || !fw->port_up[uplink] ||
		    !hal_port_carrier(fw->hal, uplink))
			return 0;
		return fw->hw.uplink_speed_mbps;
	}
	if (b >= SNIC_MAX_BONDS || !fw->team.bond[b].used)
		return 0;
	return (uint64_t)fw->team.bond[b].n_live * fw->hw.uplink_speed_mbps;
}

/* ---- validation ---- */

/* Fields an op may use must be the only non-zero ones. */
static bool only_fields(const struct snic_team_set *c, bool set_fields, bool prio_fields)
{
	struct snic_team_set t = *c;
	t.op = 0;
	t.bond = 0;
	if (set_fields) {
		t.policy = t.n_members = 0;
		fw_memset(t.member, 0, sizeof(t.member));
		fw_memset(t.role, 0, sizeof(t.role));
		t.detect = t.failback = t.notify = t.notify_count = 0;
		t.notify_gap_us = t.beacon_us = 0;
		t.beacon_misses = t.prio_high = 0;
		t.updelay_us = t.downdelay_us = t.holddown_us = t.txres_rest_us = 0;
	}
	if (prio_fields) {
		t.prio = 0;
		t.vnic = 0;
	}
	return fw_is_zero(&t, sizeof(t));
}

static int check_set(struct fw *fw, const struct snic_team_set *c)
{
	if (!only_fields(c, true, false))
		return SNIC_E_INVAL;
	if (c->policy >= SNIC_TEAM_POLICIES || c->failback > SNIC_TEAM_FAILBACK_MANUAL)
		return SNIC_E_RANGE;
	if (c->n_members < 1 || c->n_members > fw->hw.n_uplinks)
		return SNIC_E_RANGE;
	if (c->detect & ~(SNIC_TEAM_DETECT_TXRES | SNIC_TEAM_DETECT_BEACON))
		return SNIC_E_INVAL;
	if (c->notify & ~(SNIC_TEAM_NOTIFY_RARP | SNIC_TEAM_NOTIFY_GARP))
		return SNIC_E_INVAL;
	if (c->policy != SNIC_TEAM_PRIORITY && c->prio_high)
		return SNIC_E_INVAL;

	uint8_t seen = 0;
	bool carrier = false;
	for (unsigned i = 0; i < SNIC_MAX_UPLINKS; i++) {
		if (i >= c->n_members) {
			if (c->member[i] || c->role[i])
				return SNIC_E_INVAL;
			continue;
		}
		if (c->member[i] >= fw->hw.n_uplinks || c->role[i] > SNIC_TEAM_STANDBY)
			return SNIC_E_RANGE;
		if (seen & (1u << c->member[i]))
			return SNIC_E_INVAL; /* listed twice */
		seen |= (uint8_t)(1u << c->member[i]);
		carrier |= c->role[i] != SNIC_TEAM_UNUSED;
	}
	if (!carrier)
		return SNIC_E_INVAL; /* nothing could ever carry traffic */

	if (c->notify) {
		if (c->notify_count < 1 || c->notify_count > SNIC_TEAM_NOTIFY_MAX)
			return SNIC_E_RANGE;
		if (c->notify_gap_us > 1000000)
			return SNIC_E_RANGE;
	} else if (c->notify_count || c->notify_gap_us) {
		return SNIC_E_INVAL;
	}
	if (c->detect & SNIC_TEAM_DETECT_BEACON) {
		if (c->beacon_us < SNIC_TEAM_BEACON_MIN_US || c->beacon_us > SNIC_TEAM_BEACON_MAX_US ||
		    c->beacon_misses < 1 || c->beacon_misses > SNIC_TEAM_MISSES_MAX)
			return SNIC_E_RANGE;
	} else if (c->beacon_us || c->beacon_misses) {
		return SNIC_E_INVAL;
	}
	if (c->updelay_us > SNIC_TEAM_DELAY_MAX_US || c->downdelay_us > SNIC_TEAM_DELAY_MAX_US ||
	    c->holddown_us > SNIC_TEAM_DELAY_MAX_US || c->txres_rest_us > SNIC_TEAM_DELAY_MAX_US)
		return SNIC_E_RANGE;
	if (c->failback != SNIC_TEAM_FAILBACK_HOLDDOWN && c->holddown_us)
		return SNIC_E_INVAL;
	return SNIC_OK;
}

static uint8_t members_mask(const struct snic_team_set *c)
{
	uint8_t m = 0;
	for (unsigned i = 0; i < c->n_members; i++)
		m |= (uint8_t)(1u << c->member[i]);
	return m;
}

/* Membership rules against the current bonds and VNICs. */
static int check_membership(struct fw *fw, uint8_t b, uint8_t mask)
{
	const struct fw_bond *bd = &fw->team.bond[b];
	if (bd->used && bd->mask == mask)
		return SNIC_OK; /* same members: any other change is fine live */
	if (bd->used && vnics_on(fw, SNIC_UPLINK_BOND | b))
		return SNIC_E_BUSY; /* members of a bond in use are fixed */
	for (uint8_t u = 0; u < fw->hw.n_uplinks; u++) {
		if (!(mask & (1u << u)))
			continue;
		uint8_t other = fw->team.link[u].bond;
		if (other != TEAM_NONE && other != b)
			return SNIC_E_BUSY; /* in another bond */
		if (vnics_on(fw, u))
			return SNIC_E_BUSY; /* a VNIC uses it unbonded */
	}
	return SNIC_OK;
}

/* ---- operations ---- */

static void release_members(struct fw *fw, uint8_t b)
{
	for (uint8_t u = 0; u < SNIC_MAX_UPLINKS; u++)
		if (fw->team.link[u].bond == b)
			fw->team.link[u].bond = TEAM_NONE;
}

static int op_set(struct fw *fw, const struct snic_team_set *c, uint64_t now)
{
	int st = check_set(fw, c);
	if (st != SNIC_OK)
		return st;
	uint8_t mask = members_mask(c);
	st = check_membership(fw, c->bond, mask);
	if (st != SNIC_OK)
		return st;

	struct fw_bond *bd = &fw->team.bond[c->bond];
	bool fresh = !bd->used || bd->mask != mask;
	bool beacon_changed = !bd->used ||
		((bd->cfg.detect ^ c->detect) & SNIC_TEAM_DETECT_BEACON) ||
		bd->cfg.beacon_us != c->beacon_us;
	if (fresh) {
		release_members(fw, c->bond);
		fw_memset(bd, 0, sizeof(*bd));
		bd->used = true;
		bd->mask = mask;
		for (uint8_t u = 0; u < fw->hw.n_uplinks; u++)
			if (mask & (1u << u))
				fw->team.link[u].bond = c->bond;
	}
	bd->cfg = *c;
	bd->n_slots = 0;
	for (unsigned i = 0; i < c->n_members; i++)
		bd->n_slots += c->role[i] == SNIC_TEAM_ACTIVE;
	if (!bd->n_slots)
		bd->n_slots = 1; /* standbys only: one of them carries */
	if (fresh) {
		for (unsigned i = 0; i < TEAM_BUCKETS; i++)
			bd->bucket[i].uplink = TEAM_NONE;
		team_links_reset(fw, c->bond, now);
	}
	if (beacon_changed)
		beacon_reset(fw, c->bond, now);
	team_recompute(fw, c->bond, now);
	if (fresh)
		bd->failovers = bd->failbacks = 0; /* the first set is no failback */
	fw->team.dirty = true;
	return SNIC_OK;
}

static int op_del(struct fw *fw, const struct snic_team_set *c)
{
	if (!only_fields(c, false, false))
		return SNIC_E_INVAL;
	struct fw_bond *bd = &fw->team.bond[c->bond];
	if (!bd->used)
		return SNIC_E_NOENT;
	if (vnics_on(fw, SNIC_UPLINK_BOND | c->bond))
		return SNIC_E_BUSY;
	release_members(fw, c->bond);
	notify_drop_bond(fw, c->bond);
	fw_memset(bd, 0, sizeof(*bd));
	fw->team.dirty = true;
	return SNIC_OK;
}

static void fill_status(struct fw *fw, uint8_t b, struct snic_team_status *o)
{
	const struct fw_bond *bd = &fw->team.bond[b];
	fw_memset(o, 0, sizeof(*o));
	o->bond = b;
	o->policy = bd->cfg.policy;
	o->n_members = bd->cfg.n_members;
	o->in_use = bd->live_mask;
	o->vnics = (uint16_t)vnics_on(fw, SNIC_UPLINK_BOND | b);
	o->failovers = bd->failovers;
	o->failbacks = bd->failbacks;
	o->notify_sent = bd->notify_sent;
	o->beacons_sent = bd->beacons_sent;
	o->beacon_unsure = bd->beacon_unsure;
	o->held = bd->held;
	o->last_change_ns = bd->last_change;
	for (unsigned i = 0; i < bd->cfg.n_members; i++) {
		uint8_t u = bd->cfg.member[i];
		const struct team_link *l = &fw->team.link[u];
		struct snic_team_member *m = &o->member[i];
		m->uplink = u;
		m->role = bd->cfg.role[i];
		m->state = l->state;
		m->reason = l->healthy ? 0 : l->reason;
		m->in_use = (bd->live_mask >> u) & 1;
		m->since_ns = l->since;
		m->failures = l->failures;
		m->beacons_rx = l->beacons_rx;
		m->tx_refused = l->tx_refused;
	}
}

int fw_team_admin(struct fw *fw, const struct snic_team_set *c, struct snic_team_status *out,
		  uint32_t *out_len)
{
	uint64_t now = hal_now_ns(fw->hal);

	*out_len = 0;
	if (c->op < SNIC_TEAM_OP_SET || c->op > SNIC_TEAM_OP_PRIO)
		return SNIC_E_INVAL;
	if (c->op == SNIC_TEAM_OP_PRIO) {
		if (!only_fields(c, false, true) || c->bond)
			return SNIC_E_INVAL;
		if (!fw_vnic_exists(fw, c->vnic))
			return SNIC_E_NOENT;
		fw->team.prio[c->vnic] = c->prio;
		return SNIC_OK;
	}
	if (c->bond >= SNIC_MAX_BONDS)
		return SNIC_E_RANGE;
	switch (c->op) {
	case SNIC_TEAM_OP_SET:
		return op_set(fw, c, now);
	case SNIC_TEAM_OP_DEL:
		return op_del(fw, c);
	case SNIC_TEAM_OP_QUERY:
		if (!only_fields(c, false, false))
			return SNIC_E_INVAL;
		if (!fw->team.bond[c->bond].used)
			return SNIC_E_NOENT;
		fill_status(fw, c->bond, out);
		*out_len = sizeof(*out);
		return SNIC_OK;
	default: /* SNIC_TEAM_OP_FAILBACK */
		if (!only_fields(c, false, false))
			return SNIC_E_INVAL;
		if (!fw->team.bond[c->bond].used)
			return SNIC_E_NOENT;
		team_manual_failback(fw, c->bond, now);
		return SNIC_OK;
	}
}
