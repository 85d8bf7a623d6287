/* SPDX-License-Identifier: MIT */
/*
 * Transmit distribution: which uplink a VNIC's frame leaves on.
 *
 * Hash policies map the frame to one of TEAM_BUCKETS flow buckets and
 * split the buckets evenly over the members in use (bucket i goes to
 * live[i * n_live / TEAM_BUCKETS]). A bucket remembers its uplink and
 * when its last frame will have left it (from a per-uplink estimate of the
 * bytes queued, drained at line rate). It only moves to another uplink
 * when its own has left the set, or once it is idle past that time, so
 * no frame of a flow can overtake an earlier one.
 *
 * A refusal from hal_tx (no TX resources) fails the uplink over when the
 * bond detects it, and the same frame is tried on the new choice at once:
 * a frame the host queued is never dropped for a failure of one member.
 */
#include "team.h"

#define ETH_P_IPV4   0x0800
#define WIRE_EXTRA   24u /* preamble + SFD, FCS, inter-frame gap */
#define WIRE_MIN     60u

struct flow {
	const uint8_t *dmac, *smac;
	bool     ip, ports;
	const uint8_t *sip, *dip;
	uint8_t  proto;
	const uint8_t *l4;   /* source and destination port */
};

static void parse(const uint8_t *f, uint32_t len, struct flow *fl)
{
	fw_memset(fl, 0, sizeof(*fl));
	fl->dmac = f;
	fl->smac = f + 6;
	uint32_t l3 = 14;
	uint16_t type = be16(f + 12);
	if ((type == ETH_P_8021Q || type == ETH_P_8021AD) && len >= 18) {
		type = be16(f + 16);
		l3 = 18;
	}
	if (type != ETH_P_IPV4 || len < l3 + 20 || (f[l3] >> 4) != 4)
		return;
	uint32_t ihl = (uint32_t)(f[l3] & 0x0f) * 4;
	if (ihl < 20 || len < l3 + ihl)
		return;
	fl->ip = true;
	fl->sip = f + l3 + 12;
	fl->dip = f + l3 + 16;
	fl->proto = f[l3 + 9];
	bool frag = (be16(f + l3 + 6) & 0x3fff) != 0; /* MF or an offset */
	if (!frag && (fl->proto == 6 || fl->proto == 17) && len >= l3 + ihl + 4) {
		fl->ports = true;
		fl->l4 = f + l3 + ihl;
	}
}

/* FNV-1a with a final avalanche, so nearby addresses spread. */
static uint32_t mix(uint32_t h, const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static uint32_t fmix(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

#define FNV_SEED 2166136261u

static uint32_t hash_l2(const struct flow *fl)
{
	return fmix(mix(mix(FNV_SEED, fl->smac, 6), fl->dmac, 6));
}

static uint32_t hash_l3(const struct flow *fl)
{
	if (!fl->ip)
		return hash_l2(fl);
	return fmix(mix(mix(FNV_SEED, fl->sip, 4), fl->dip, 4));
}

static uint32_t hash_l34(const struct flow *fl)
{
	if (!fl->ports)
		return hash_l3(fl);
	uint32_t h = mix(mix(FNV_SEED, fl->sip, 4), fl->dip, 4);
	h = mix(h, &fl->proto, 1);
	return fmix(mix(h, fl->l4, 4));
}

uint64_t team_wire_ns_calc(struct fw *fw, uint32_t len)
{
	uint64_t bytes = (len < WIRE_MIN ? WIRE_MIN : len) + WIRE_EXTRA;
	uint64_t mbps = fw->hw.uplink_speed_mbps ? fw->hw.uplink_speed_mbps : 1;
	return (bytes * 8000u + mbps - 1) / mbps;
}

bool team_xmit(struct fw *fw, uint8_t u, const uint8_t *f, uint32_t len, uint64_t now)
{
	if (hal_tx(fw->hal, u, f, len) < 0)
		return false;
	team_account(fw, u, len, now);
	struct snic_blk_stats *s = FW_STATS(fw);
	s->port[u].tx_packets++;
	s->port[u].tx_bytes += len;
	return true;
}

/* ---- choosing ---- */

static bool in_use(const struct fw_bond *bd, uint8_t u)
{
	return u != TEAM_NONE && ((bd->live_mask >> u) & 1);
}

/* Keep a busy bucket where it is, unless its uplink left the set. */
static bool bucket_stays(const struct fw_bond *bd, const struct team_bucket *bk, uint64_t now)
{
	return in_use(bd, bk->uplink) && now < bk->busy_until;
}

static uint8_t by_hash(struct fw_bond *bd, uint32_t h, uint64_t now, struct team_bucket **out)
{
	uint32_t i = h % TEAM_BUCKETS;
	struct team_bucket *bk = &bd->bucket[i];
	*out = bk;
	uint8_t want = bd->live[(i * bd->n_live) / TEAM_BUCKETS];
	if (bk->uplink == want || !bucket_stays(bd, bk, now))
		return want;
	return bk->uplink;
}

static uint8_t least_loaded(struct fw *fw, const struct fw_bond *bd, uint64_t now)
{
	uint8_t best = bd->live[0];
	uint64_t best_end = TEAM_NO_TIME;
	for (unsigned i = 0; i < bd->n_live; i++) {
		uint8_t u = bd->live[i];
		uint64_t end = fw->team.link[u].vq_end;
		if (end < now)
			end = now;
		if (end < best_end) {
			best_end = end;
			best = u;
		}
	}
	return best;
}

static uint8_t by_load(struct fw *fw, struct fw_bond *bd, uint32_t h, uint64_t now,
		       struct team_bucket **out)
{
	struct team_bucket *bk = &bd->bucket[h % TEAM_BUCKETS];
	*out = bk;
	return bucket_stays(bd, bk, now) ? bk->uplink : least_loaded(fw, bd, now);
}

static uint8_t pick(struct fw *fw, struct fw_bond *bd, uint16_t id, const uint8_t *f, uint32_t len,
		    uint64_t now, struct team_bucket **bk)
{
	struct flow fl;

	*bk = NULL;
	if (!bd->n_live)
		return TEAM_NONE;
	parse(f, len, &fl);
	switch (bd->cfg.policy) {
	case SNIC_TEAM_SRC_MAC:
		return by_hash(bd, fmix(mix(FNV_SEED, fl.smac, 6)), now, bk);
	case SNIC_TEAM_L2:
		return by_hash(bd, hash_l2(&fl), now, bk);
	case SNIC_TEAM_L3:
		return by_hash(bd, hash_l3(&fl), now, bk);
	case SNIC_TEAM_L34:
		return by_hash(bd, hash_l34(&fl), now, bk);
	case SNIC_TEAM_LOAD:
		return by_load(fw, bd, hash_l34(&fl), now, bk);
	case SNIC_TEAM_IP_RR:
		if (!fl.ip)
			return bd->live[bd->rr++ % bd->n_live];
		return by_hash(bd, fmix(mix(FNV_SEED, fl.dip, 4)), now, bk);
	case SNIC_TEAM_PRIORITY:
		if (fw->team.prio[id] < bd->cfg.prio_high)
			return team_home(fw, bd, id);
		return by_load(fw, bd, hash_l34(&fl), now, bk);
	default: /* SNIC_TEAM_PORT_ID */
		return team_home(fw, bd, id);
	}
}

int fw_team_send(struct fw *fw, uint16_t id, const uint8_t *f, uint32_t len, uint64_t now)
{
	uint8_t up = fw->vnic[id].uplink;
	uint8_t b = team_bond_of(up);

	if (b == TEAM_NONE) {
		if (up >= fw->hw.n_uplinks || !fw->port_up[up])
			return TEAM_TX_DOWN;
		/* No carrier: the frame waits in its ring, as on any NIC. */
		if (!hal_port_carrier(fw->hal, up))
			return TEAM_TX_HOLD;
		return team_send_port(fw, up, f, len, now);
	}
	if (b >= SNIC_MAX_BONDS || !fw->team.bond[b].used)
		return TEAM_TX_DOWN; /* cannot happen: a bond in use is never deleted */
	struct fw_bond *bd = &fw->team.bond[b];
	for (unsigned tries = 0; tries < SNIC_MAX_UPLINKS; tries++) {
		struct team_bucket *bk;
		uint8_t u = pick(fw, bd, id, f, len, now, &bk);
		if (u == TEAM_NONE) {
			bd->held++;
			return TEAM_TX_HOLD;
		}
		if (hal_tx(fw->hal, u, f, len) == 0) {
			team_account(fw, u, len, now);
			if (bk) {
				bk->uplink = u;
				bk->busy_until = fw->team.link[u].vq_end;
			}
			return u;
		}
		if (!team_tx_refused(fw, u, now))
			return TEAM_TX_HOLD; /* nowhere else to go: retry later */
	}
	return TEAM_TX_HOLD;
}
