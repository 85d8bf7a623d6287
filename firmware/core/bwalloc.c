/* SPDX-License-Identifier: MIT */
/* Bandwidth shares per uplink or bond: measure, split, limit. See bwalloc.h. */
#include "bwalloc.h"
#include "share.h"
#include "team.h"



static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* Ethernet wire bytes of a frame: padded to 60, + FCS, preamble, gap. */
static uint64_t wire_bytes(uint32_t len)
{
	return (uint64_t)(len < 60 ? 60 : len) + 24;
}

static uint8_t group_of(uint8_t uplink)
{
	uint8_t b = team_bond_of(uplink);
	if (b != TEAM_NONE)
		return b < SNIC_MAX_BONDS ? (uint8_t)(SNIC_MAX_UPLINKS + b) : BW_NO_GROUP;
	return uplink < SNIC_MAX_UPLINKS ? uplink : BW_NO_GROUP;
}

static uint8_t group_uplink_field(uint8_t g)
{
	return g < SNIC_MAX_UPLINKS ? g : (uint8_t)(SNIC_UPLINK_BOND | (g - SNIC_MAX_UPLINKS));
}

static uint64_t group_capacity(struct fw *fw, uint8_t g)
{
	return fw_team_capacity_mbps(fw, group_uplink_field(g)) * 1000000u;
}

static bool in_group(struct fw *fw, uint16_t v, uint8_t g)
{
	return fw->vnic[v].used && group_of(fw->vnic[v].uplink) == g;
}

static void share_default(struct fw *fw, uint16_t v)
{
	fw->bw.share[v] = (struct share_member){ SNIC_SHARE_DEFAULT_WEIGHT, 0, 0, 0, 0 };
}

void fw_bw_init(struct fw *fw)
{
	fw_memset(&fw->bw, 0, sizeof(fw->bw));
	for (uint16_t v = 0; v < FW_MAX_VNICS; v++)
		share_default(fw, v);
	fw->bw.tick_start = fw->now_ns;
	fw->bw.next_tick = fw->now_ns + BW_TICK_NS;
	fw->bw.wake_ns = UINT64_MAX;
	fw->bw.work.tmp = fw->scratch;
}

/* ---- the bucket ---- */

static uint64_t depth_of(struct fw *fw, uint64_t rate)
{
	uint64_t frames = 2 * wire_bytes(fw->hw.buf_max) * BW_UNITS_PER_BYTE;
	return max64(frames, rate * BW_BURST_NS);
}

static void refill(struct fw *fw, struct bw_vnic *v, uint64_t now)
{
	uint32_t dt = (uint32_t)now - v->last_ns; /* < 4 s: see bw_vnic.last_ns */
	if (!dt || dt > (1u << 31))
		return; /* nothing new, or a clock that went backwards */
	uint64_t depth = depth_of(fw, v->rate);
	v->last_ns = (uint32_t)now;
	/* Past depth/rate the bucket is full whatever it held (no overflow). */
	if (dt >= depth / v->rate + 1 || v->tok + v->rate * dt >= depth)
		v->tok = depth;
	else
		v->tok += v->rate * dt;
}

/* A new rate keeps the tokens earned so far (a change is no free burst). */
static void set_rate(struct fw *fw, struct bw_vnic *v, uint64_t rate, uint64_t now)
{
	if (!(v->flags & BWV_LIMIT)) {
		/* Empty: VNICs that start together must not all burst into the
		 * uplink at once (the last one served would lose, and look light). */
		v->rate = rate;
		v->tok = 0;
		v->last_ns = (uint32_t)now;
		v->flags |= BWV_LIMIT;
		return;
	}
	refill(fw, v, now);
	v->rate = rate;
	v->tok = min64(v->tok, depth_of(fw, rate));
}

bool bw_limit_blocks(struct fw *fw, uint16_t id, uint32_t len)
{
	struct bw_vnic *v = &fw->bw.vnic[id];
	uint64_t cost = wire_bytes(len) * BW_UNITS_PER_BYTE;

	refill(fw, v, fw->now_ns);
	if (v->tok >= cost)
		return false;
	v->flags |= BWV_HELD;
	uint64_t wake = fw->now_ns + (cost - v->tok + v->rate - 1) / v->rate;
	if (wake < fw->bw.wake_ns)
		fw->bw.wake_ns = wake;
	return true;
}

void bw_account(struct fw *fw, uint16_t id, uint32_t len)
{
	struct bw_vnic *v = &fw->bw.vnic[id];
	uint64_t bytes = wire_bytes(len);

	/* 2^31 bytes in one interval is beyond any uplink; saturate there so
	 * bytes * 8e9 cannot overflow when the rate is computed. */
	v->bytes = v->bytes + bytes < (1u << 31) ? (uint32_t)(v->bytes + bytes) : (1u << 31);
	if (v->flags & BWV_LIMIT) {
		uint64_t cost = bytes * BW_UNITS_PER_BYTE;
		v->tok = v->tok > cost ? v->tok - cost : 0;
	}
}

/* ---- the split ---- */

static uint64_t used_bps(struct fw *fw, const struct bw_vnic *v)
{
	if (!fw->bw.last_dt)
		return 0;
	return (uint64_t)v->last_bytes * BW_UNITS_PER_BYTE / fw->bw.last_dt;
}

/* The most a VNIC can send: the capacity, or its shaper's average rate. */
static uint64_t ceiling(struct fw *fw, uint16_t id, uint64_t cap)
{
	const struct meter *sh = &fw->vnic[id].shaper;
	return sh->kind == METER_SHAPER ? min64(cap, sh->c.rate) : cap;
}

static uint64_t demand_of(struct fw *fw, uint16_t id, uint64_t cap)
{
	const struct bw_vnic *v = &fw->bw.vnic[id];
	if (v->flags & BWV_HELD_LAST)
		return ceiling(fw, id, cap);
	return min64(used_bps(fw, v), ceiling(fw, id, cap));
}

/* The split of group g over `usable`: each member's demand (or, with
 * `all_want`, all it can send) into bw_share[], its part into split_out[]. */
static void compute(struct fw *fw, uint8_t g, uint64_t cap, uint64_t usable, bool all_want)
{
	uint16_t n = fw->hw.max_vnics;

	for (uint16_t v = 0; v < n; v++) {
		if (!in_group(fw, v, g))
			fw->bw.share[v].demand_bps = 0;
		else
			fw->bw.share[v].demand_bps = all_want ? ceiling(fw, v, cap)
							      : demand_of(fw, v, cap);
	}
	/* Cannot fail: n <= FW_MAX_VNICS, values validated on entry. */
	if (share_alloc(&fw->bw.work, usable, fw->bw.share, n, fw->bw.split_out) < 0)
		fw_memset(fw->bw.split_out, 0, sizeof(fw->bw.split_out));
}

static uint64_t usable_of(uint64_t cap)
{
	return cap - (cap >> BW_HEADROOM_SHIFT);
}

static void split(struct fw *fw, uint8_t g, uint64_t now)
{
	struct bw_group *gr = &fw->bw.group[g];
	uint64_t cap = group_capacity(fw, g), usable = usable_of(cap);
	uint16_t n = fw->hw.max_vnics;

	gr->cap_bps = cap;
	gr->splits++;
	compute(fw, g, cap, usable, false);
	for (uint16_t v = 0; v < n; v++) {
		struct bw_vnic *b = &fw->bw.vnic[v];
		if (!in_group(fw, v, g))
			continue;
		bool more = (b->flags & BWV_HELD_LAST) ||
			    fw->bw.split_out[v] < fw->bw.share[v].demand_bps;
		b->flags = (uint8_t)(more ? b->flags | BWV_WANTS : b->flags & ~BWV_WANTS);
		if (more)
			set_rate(fw, b, max64(fw->bw.split_out[v], BW_RATE_FLOOR), now);
	}
	/* The others may grow up to what they would get if every VNIC wanted
	 * all it can send, or by an eighth of their use. */
	compute(fw, g, cap, usable, true);
	for (uint16_t v = 0; v < n; v++) {
		struct bw_vnic *b = &fw->bw.vnic[v];
		if (!in_group(fw, v, g))
			continue;
		if (!(b->flags & BWV_WANTS)) {
			uint64_t used = used_bps(fw, b);
			uint64_t rate = max64(fw->bw.split_out[v], used + used / 8);
			rate = min64(max64(rate, BW_RATE_FLOOR), max64(cap, BW_RATE_FLOOR));
			set_rate(fw, b, rate, now);
		}
		b->flags |= BWV_TRACK;
	}
}

/* Which groups have a share; VNICs of the others are neither counted nor
 * limited. */
static void refresh_groups(struct fw *fw)
{
	uint8_t active = 0;

	for (uint16_t v = 0; v < fw->hw.max_vnics; v++) {
		if (!fw->vnic[v].used || !(fw->bw.vnic[v].flags & BWV_SET))
			continue;
		uint8_t g = group_of(fw->vnic[v].uplink);
		if (g != BW_NO_GROUP)
			active |= (uint8_t)(1u << g);
	}
	for (uint16_t v = 0; v < fw->hw.max_vnics; v++) {
		uint8_t g = fw->vnic[v].used ? group_of(fw->vnic[v].uplink) : BW_NO_GROUP;
		if (g == BW_NO_GROUP || !(active & (1u << g)))
			fw->bw.vnic[v].flags &= (uint8_t)~(BWV_TRACK | BWV_LIMIT | BWV_HELD |
							  BWV_HELD_LAST);
	}
	fw->bw.dirty |= active & (uint8_t)~fw->bw.active; /* newly split: now */
	fw->bw.active = active;
}

/* Close the interval: this interval's counts become the last ones. */
static void measure(struct fw *fw, uint64_t now)
{
	fw->bw.last_dt = now - fw->bw.tick_start;
	fw->bw.tick_start = now;
	for (uint16_t v = 0; v < fw->hw.max_vnics; v++) {
		struct bw_vnic *b = &fw->bw.vnic[v];
		b->last_bytes = b->bytes;
		b->bytes = 0;
		b->flags = (uint8_t)((b->flags & ~(BWV_HELD | BWV_HELD_LAST)) |
				     ((b->flags & BWV_HELD) ? BWV_HELD_LAST : 0));
		/* No poll for seconds (the 32-bit refill time would wrap): the
		 * buckets have long been full. */
		if ((b->flags & BWV_LIMIT) && fw->bw.last_dt >= (1ull << 31)) {
			b->tok = depth_of(fw, b->rate);
			b->last_ns = (uint32_t)now;
		}
	}
}

unsigned fw_bw_poll(struct fw *fw)
{
	uint64_t now = fw->now_ns;
	unsigned work = 0;

	if (!fw->bw.active) {
		fw->bw.tick_start = now; /* nothing measured: start afresh */
		fw->bw.next_tick = now + BW_TICK_NS;
		return 0;
	}
	if (now >= fw->bw.next_tick) {
		measure(fw, now);
		refresh_groups(fw);
		fw->bw.dirty |= fw->bw.active;
		fw->bw.next_tick = now + BW_TICK_NS;
	}
	for (uint8_t g = 0; g < BW_GROUPS; g++) {
		if (!(fw->bw.active & (1u << g)))
			continue;
		/* A failover or failback changes the capacity: split again now. */
		if ((fw->bw.dirty & (1u << g)) ||
		    group_capacity(fw, g) != fw->bw.group[g].cap_bps) {
			split(fw, g, now);
			work++;
		}
	}
	fw->bw.dirty = 0;
	fw->bw.wake_ns = fw->bw.next_tick; /* lowered by frames held in this poll */
	return work;
}

uint64_t fw_bw_next_ns(struct fw *fw)
{
	return fw->bw.active ? fw->bw.wake_ns : UINT64_MAX;
}

void fw_bw_vnic_created(struct fw *fw, uint16_t id)
{
	if (id >= FW_MAX_VNICS)
		return;
	fw_memset(&fw->bw.vnic[id], 0, sizeof(fw->bw.vnic[id]));
	share_default(fw, id);
	refresh_groups(fw); /* a destroyed VNIC's share may have been the last */
	uint8_t g = group_of(fw->vnic[id].uplink);
	if (g != BW_NO_GROUP && (fw->bw.active & (1u << g)))
		fw->bw.dirty |= (uint8_t)(1u << g); /* it joins the split at once */
}

/* ---- admin ---- */

int fw_bw_share_set(struct fw *fw, const struct snic_vnic_share *s)
{
	if (s->rsvd0 || s->rsvd1)
		return SNIC_E_INVAL;
	if (!fw_vnic_exists(fw, s->vnic))
		return SNIC_E_NOENT;
	if (s->prio > SNIC_SHARE_PRIO_MAX)
		return SNIC_E_RANGE;
	if (s->min_bps && (s->min_bps < METER_RATE_MIN || s->min_bps > METER_RATE_MAX))
		return SNIC_E_RANGE;
	uint8_t g = group_of(fw->vnic[s->vnic].uplink);
	if (g == BW_NO_GROUP)
		return SNIC_E_RANGE; /* cannot happen: VNIC_CREATE checked it */
	if (!s->weight && !s->min_bps) {
		if (s->prio)
			return SNIC_E_INVAL; /* a priority for nothing */
		fw->bw.vnic[s->vnic].flags &= (uint8_t)~BWV_SET;
		share_default(fw, s->vnic);
	} else {
		fw->bw.vnic[s->vnic].flags |= BWV_SET;
		fw->bw.share[s->vnic] =
			(struct share_member){ s->weight, s->prio, 0, s->min_bps, 0 };
	}
	refresh_groups(fw);
	if (fw->bw.active & (1u << g))
		fw->bw.dirty |= (uint8_t)(1u << g);
	return SNIC_OK;
}

int fw_bw_share_query(struct fw *fw, const struct snic_vnic_ref *r, struct snic_vnic_share_info *o)
{
	if (r->rsvd)
		return SNIC_E_INVAL;
	if (!fw_vnic_exists(fw, r->vnic))
		return SNIC_E_NOENT;
	uint16_t id = r->vnic;
	const struct bw_vnic *v = &fw->bw.vnic[id];
	refresh_groups(fw); /* destroyed VNICs leave their group at once */
	uint8_t g = group_of(fw->vnic[id].uplink);
	bool active = g != BW_NO_GROUP && (fw->bw.active & (1u << g));

	fw_memset(o, 0, sizeof(*o));
	o->vnic = id;
	o->uplink = fw->vnic[id].uplink;
	o->weight = fw->bw.share[id].weight;
	o->prio = fw->bw.share[id].priority;
	o->min_bps = fw->bw.share[id].min_bps;
	o->flags = (uint8_t)(((v->flags & BWV_SET) ? SNIC_SHAREF_SET : 0) |
			     (active ? SNIC_SHAREF_ACTIVE : 0) |
			     ((v->flags & BWV_HELD_LAST) ? SNIC_SHAREF_BACKLOG : 0));
	if (g != BW_NO_GROUP) {
		o->capacity_bps = fw->bw.group[g].cap_bps;
		o->splits = fw->bw.group[g].splits;
	}
	if (active && (v->flags & BWV_TRACK)) {
		uint64_t cap = fw->bw.group[g].cap_bps;
		/* The last split again (same measurement, same capacity). */
		compute(fw, g, cap, usable_of(cap), false);
		o->used_bps = used_bps(fw, v);
		o->demand_bps = demand_of(fw, id, cap);
		o->alloc_bps = fw->bw.split_out[id];
		o->rate_bps = (v->flags & BWV_LIMIT) ? v->rate : 0;
	}
	return SNIC_OK;
}
