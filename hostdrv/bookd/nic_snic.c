/* SPDX-License-Identifier: MIT */
/*
 * The snic back end: a booking's TX guarantee and priority become the
 * VNIC's bandwidth share on its uplink or bond (VNIC_SHARE, weight
 * SNIC_SHARE_DEFAULT_WEIGHT), its ceiling the VNIC's transmit shaper
 * (METER_SET), through the user-space library, so the host mirror (and
 * `snicctl restore`) holds them like any operator setting.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nic.h"
#include "snic.h"

struct nic_snic {
	struct nic nic;     /* first: the ops see a struct nic */
	struct snic_dev *dev;
};

static struct nic_snic *to_snic(struct nic *n)
{
	return (struct nic_snic *)n;
}

/* Device status (> 0) or library error (< 0) into a back-end error. */
static int dev_fail(struct nic *n, int rc, const char *what, uint16_t vnic)
{
	struct snic_dev *d = to_snic(n)->dev;

	if (rc == SNIC_E_NOENT)
		return nic_fail(n, NIC_E_NOVNIC, "no VNIC %u on %s", vnic, snic_path(d));
	if (rc > 0)
		return nic_fail(n, NIC_E_RANGE, "%s of VNIC %u: device says %s", what, vnic,
			    snic_strstatus(rc));
	if (rc == SNIC_ERR_ARG)
		return nic_fail(n, NIC_E_RANGE, "%s of VNIC %u: %s", what, vnic, snic_errmsg(d));
	return nic_fail(n, NIC_E_IO, "%s of VNIC %u: %s", what, vnic, snic_errmsg(d));
}

static void snic_nic_close(struct nic *n)
{
	snic_close(to_snic(n)->dev);
	free(n);
}

/* A reset or a firmware reboot bumps reset_count: the NIC lost its tables. */
static int snic_nic_generation(struct nic *n, uint64_t *gen)
{
	struct snic_devinfo di;
	int rc = snic_devinfo(to_snic(n)->dev, &di);

	if (rc)
		return nic_fail(n, NIC_E_IO, "device info: %s", snic_errmsg(to_snic(n)->dev));
	*gen = (uint64_t)di.reset_count << 32 | di.fw_version;
	return NIC_OK;
}

static int snic_nic_uplink(struct nic *n, uint16_t vnic, uint8_t *uplink)
{
	struct snic_vnic_share_info si;
	int rc = snic_vnic_share_query(to_snic(n)->dev, vnic, &si);

	if (rc)
		return dev_fail(n, rc, "share query", vnic);
	*uplink = si.uplink;
	return NIC_OK;
}

static int bond_capacity(struct nic *n, uint8_t bond, uint64_t *bps)
{
	struct snic_dev *d = to_snic(n)->dev;
	const struct snic_caps *c = snic_caps(d);
	struct snic_team_set t = { .op = SNIC_TEAM_OP_QUERY, .bond = bond };
	struct snic_team_status s;
	uint32_t got = 0;
	int rc = snic_admin_exec(d, SNIC_CMD_TEAM_SET, &t, sizeof(t), &s, sizeof(s), &got);

	if (rc)
		return nic_fail(n, rc > 0 ? NIC_E_RANGE : NIC_E_IO, "bond %u: %s", bond,
			    rc > 0 ? snic_strstatus(rc) : snic_errmsg(d));
	if (got < offsetof(struct snic_team_status, member) + s.n_members * sizeof(s.member[0]) ||
	    s.n_members > 4)
		return nic_fail(n, NIC_E_IO, "bond %u: short team status (%u bytes)", bond, got);
	*bps = 0;
	for (unsigned i = 0; i < s.n_members; i++) {
		uint8_t u = s.member[i].uplink;
		if (u < c->n_uplinks && u < SNIC_MAX_UPLINKS)
			*bps += (uint64_t)c->uplink[u].speed_mbps * 1000000ull;
	}
	return NIC_OK;
}

/* Bookings are promises for the configured links: a bond counts all its
 * members. After a failover the device re-splits what survives. */
static int snic_nic_capacity(struct nic *n, uint8_t uplink, uint64_t *bps)
{
	const struct snic_caps *c = snic_caps(to_snic(n)->dev);

	if (uplink & SNIC_UPLINK_BOND)
		return bond_capacity(n, uplink & ~SNIC_UPLINK_BOND, bps);
	if (!c || uplink >= c->n_uplinks || uplink >= SNIC_MAX_UPLINKS)
		return nic_fail(n, NIC_E_RANGE, "no uplink %u", uplink);
	*bps = (uint64_t)c->uplink[uplink].speed_mbps * 1000000ull;
	return NIC_OK;
}

/* Enough burst for TCP at the ceiling (10 ms of it), never below two
 * largest frames (the device refuses less than one). */
static uint32_t cap_burst(struct snic_dev *d, uint64_t bps)
{
	uint64_t b = bps / 8 / 100, lo = 2ull * snic_max_frame_cost(d, 0);

	if (b < lo)
		b = lo;
	return b > SNIC_METER_BURST_MAX ? SNIC_METER_BURST_MAX : (uint32_t)b;
}

/*
 * Receive ceilings: policer count-1-v, named by a ternary rule that
 * matches what VNIC v's MAC entry matches, at the top of the table
 * (ternary-1-v) so that it never shadows an operator's rule; both go
 * through the library, so the host mirror restores them with the rest.
 */
static int rx_slot(struct nic *n, uint16_t v, uint16_t *meter, uint32_t *loc)
{
	const struct snic_caps *c = snic_caps(to_snic(n)->dev);

	if (!c || v >= c->meters.count || v >= SNIC_MIRROR_MAX_POLICERS ||
	    v >= c->cls.user_entries / 2)
		return nic_fail(n, NIC_E_UNSUPP, "VNIC %u: no policer or rule slot left for a "
				"receive ceiling", v);
	*meter = (uint16_t)(c->meters.count - 1 - v);
	*loc = c->cls.user_entries - 1 - v;
	return NIC_OK;
}

/* The mirror's entry at loc, any rule. */
static const struct snic_rule *rule_at(const struct snic_mirror *m, uint32_t loc)
{
	for (uint32_t i = 0; i < m->n_rules && i < SNIC_MIRROR_MAX_RULES; i++)
		if (m->rule[i].loc == loc)
			return &m->rule[i].rule;
	return NULL;
}

/* The rule at loc if it is our ceiling for VNIC v as it is now: policer
 * `meter`, matching what v's MAC entry matches (a re-created VNIC with
 * another MAC gets a new one). */
static const struct snic_rule *rx_rule(const struct snic_mirror *m, uint16_t v, uint32_t loc,
				       uint16_t meter)
{
	const struct snic_rule *r = rule_at(m, loc);

	if (!r || !(r->action.flags & SNIC_ACT_METER) || r->action.meter != meter ||
	    r->action.vnic != v || v >= SNIC_MIRROR_MAX_VNICS || !m->vnic[v].has_mac_rule)
		return NULL;
	const struct snic_rule *mac = &m->vnic[v].mac_rule;
	if (memcmp(&r->value, &mac->value, sizeof(r->value)) ||
	    memcmp(&r->mask, &mac->mask, sizeof(r->mask)))
		return NULL;
	return r;
}

/* Is policer `meter` named by any rule other than the one at loc? */
static int meter_used_elsewhere(const struct snic_mirror *m, uint16_t meter, uint32_t loc)
{
	for (uint32_t i = 0; i < m->n_rules && i < SNIC_MIRROR_MAX_RULES; i++)
		if (m->rule[i].loc != loc && (m->rule[i].rule.action.flags & SNIC_ACT_METER) &&
		    m->rule[i].rule.action.meter == meter)
			return 1;
	return 0;
}

/* Can VNIC v hold a ceiling: a slot, a known MAC entry, a rule slot and
 * a policer that no other rule uses? */
static int rx_usable(struct nic *n, const struct snic_mirror *m, uint16_t v)
{
	uint16_t meter;
	uint32_t loc;

	if (rx_slot(n, v, &meter, &loc) || v >= SNIC_MIRROR_MAX_VNICS || !m->vnic[v].used ||
	    !m->vnic[v].has_mac_rule)
		return 0;
	const struct snic_rule *r = rule_at(m, loc);
	if (r && !((r->action.flags & SNIC_ACT_METER) && r->action.meter == meter))
		return 0;   /* an operator's rule */
	return !meter_used_elsewhere(m, meter, loc);
}

static uint64_t rx_cap_held(struct nic *n, const struct snic_mirror *m, uint16_t v)
{
	uint16_t meter;
	uint32_t loc;

	if (rx_slot(n, v, &meter, &loc) || !rx_rule(m, v, loc, meter))
		return 0;
	return m->policer[meter].cir_bps;
}

static int rx_cap_set(struct nic *n, uint16_t v, uint64_t bps)
{
	struct snic_dev *d = to_snic(n)->dev;
	const struct snic_mirror *m;
	uint16_t meter;
	uint32_t loc;
	int rc;

	if (rx_slot(n, v, &meter, &loc))
		return bps ? NIC_E_UNSUPP : NIC_OK;
	if ((rc = snic_mirror_get(d, &m)))
		return dev_fail(n, rc, "host mirror", v);
	const struct snic_rule *old = rule_at(m, loc);
	int ours = old && (old->action.flags & SNIC_ACT_METER) && old->action.meter == meter;
	int present = rx_rule(m, v, loc, meter) != NULL;
	if ((!bps || !present) && ours) {
		if ((rc = snic_rule_del(d, loc)))
			return dev_fail(n, rc, "receive ceiling", v);   /* gone, or for an old MAC */
		if ((rc = snic_mirror_get(d, &m)))
			return dev_fail(n, rc, "host mirror", v);
		present = 0;
	}
	if (!bps)
		return NIC_OK;
	if (!rx_usable(n, m, v))
		return nic_fail(n, NIC_E_UNSUPP, "VNIC %u: cannot hold a receive ceiling (MAC "
				"entry unknown to this host, or slot %u / policer %u in use)",
				v, loc, meter);
	struct snic_rule r = m->vnic[v].mac_rule;   /* copied before the mirror changes */
	struct snic_meter_set ms = { .meter = meter, .mode = SNIC_METER_SRTCM, .cir_bps = bps,
				     .cbs = cap_burst(d, bps) };
	if ((rc = snic_meter_set(d, &ms)))
		return dev_fail(n, rc, "receive policer", v);
	if (present)
		return NIC_OK;
	r.action.flags |= SNIC_ACT_METER;
	r.action.meter = meter;
	if ((rc = snic_rule_add(d, loc, &r, NULL)))
		return dev_fail(n, rc, "receive ceiling rule", v);
	return NIC_OK;
}

/* The VNICs on uplink u that can hold a receive ceiling (the others are
 * not capped: docs/bookings.md, Limits). */
static int snic_nic_vnics(struct nic *n, uint8_t uplink, uint16_t *out, unsigned max)
{
	const struct snic_mirror *m;
	unsigned k = 0;

	if (snic_mirror_get(to_snic(n)->dev, &m))
		return 0;
	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++)
		if (m->vnic[v].used && m->vnic[v].params.uplink == uplink && k < max &&
		    rx_usable(n, m, (uint16_t)v))
			out[k++] = (uint16_t)v;
	return (int)k;
}

static int snic_nic_apply(struct nic *n, uint16_t vnic, const struct nic_booking *b)
{
	struct snic_dev *d = to_snic(n)->dev;
	uint16_t weight = b->min_bps || b->prio ? SNIC_SHARE_DEFAULT_WEIGHT : 0;
	int rc;

	if (b->rx_bps)
		return nic_fail(n, NIC_E_UNSUPP, "snic holds receive guarantees as the others' ceilings");
	if (b->rx_only)
		return rx_cap_set(n, vnic, b->rx_cap_bps);   /* the rest is the operator's */
	rc = snic_vnic_share(d, vnic, weight, b->min_bps, b->prio);
	if (rc)
		return dev_fail(n, rc, "share", vnic);
	struct snic_vnic_rate r = { .avg_bps = b->cap_bps };
	if (b->cap_bps)
		r.burst = cap_burst(d, b->cap_bps);
	rc = snic_vnic_rate(d, vnic, &r);
	if (rc)
		return dev_fail(n, rc, "shaper", vnic);
	return rx_cap_set(n, vnic, b->rx_cap_bps);
}

/* The share from the device itself; the shaper and the receive ceiling as
 * the host mirror holds them (METER_SET has no query), valid while the
 * device was not reset. */
static int snic_nic_read(struct nic *n, uint16_t vnic, struct nic_booking *out)
{
	struct snic_dev *d = to_snic(n)->dev;
	struct snic_vnic_share_info si;
	const struct snic_mirror *m;
	int rc = snic_vnic_share_query(d, vnic, &si);

	if (rc)
		return dev_fail(n, rc, "share query", vnic);
	memset(out, 0, sizeof(*out));
	if (si.flags & SNIC_SHAREF_SET) {
		out->min_bps = si.min_bps;
		out->prio = si.prio;
	}
	/* The state file is read once per call: the shaper and the receive
	 * ceiling come from the same copy. */
	if (!snic_mirror_stale(d) && snic_mirror_get(d, &m) == 0) {
		if (vnic < SNIC_MIRROR_MAX_VNICS && m->shaper[vnic].mode == SNIC_METER_SHAPER)
			out->cap_bps = m->shaper[vnic].cir_bps;
		out->rx_cap_bps = rx_cap_held(n, m, vnic);
	}
	return NIC_OK;
}

/* The device measures each VNIC's use every share tick; a VNIC held back
 * by its share or shaper counts as wanting everything. */
static int snic_nic_demand(struct nic *n, uint16_t vnic, uint64_t *bps)
{
	struct snic_vnic_share_info si;
	int rc = snic_vnic_share_query(to_snic(n)->dev, vnic, &si);

	if (rc)
		return dev_fail(n, rc, "share query", vnic);
	*bps = (si.flags & SNIC_SHAREF_ACTIVE) ? si.demand_bps : si.used_bps;
	return NIC_OK;
}

static const struct nic_ops snic_ops = {
	.name = "snic",
	.can = NIC_CAN_MIN | NIC_CAN_CAP | NIC_CAN_PRIO | NIC_CAN_RXCAP,
	.close = snic_nic_close,
	.generation = snic_nic_generation,
	.vnic_uplink = snic_nic_uplink,
	.capacity = snic_nic_capacity,
	.apply = snic_nic_apply,
	.read = snic_nic_read,
	.demand = snic_nic_demand,
	.vnics = snic_nic_vnics,
};

struct nic *nic_snic_open(const char *window, char *err, unsigned errlen)
{
	struct nic_snic *s = calloc(1, sizeof(*s));

	if (!s || !(s->dev = snic_alloc())) {
		snprintf(err, errlen, "out of memory");
		free(s);
		return NULL;
	}
	if (snic_open(s->dev, window)) {
		snprintf(err, errlen, "%s: %s", window, snic_errmsg(s->dev));
		snic_close(s->dev);
		free(s);
		return NULL;
	}
	s->nic.ops = &snic_ops;
	return &s->nic;
}
