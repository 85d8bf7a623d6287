/* SPDX-License-Identifier: MIT */
/*
 * Beacon probing: finds a member that is cut off although its link is up
 * (a silent blackhole somewhere on its path).
 *
 * Every interval ("tick") each member with a link sends one broadcast
 * beacon carrying the bond, the sending uplink, the tick number and the
 * send time. The switch floods it to the other members, which note the
 * last tick they heard from each sender. Shortly after each tick (twice
 * the worst delivery time seen, at least 2 us, at most half an interval)
 * the bond judges: receiver r has missed sender s when it heard nothing
 * from s in the last `misses` ticks. A member is cut off when it hears
 * nobody, or nobody hears it.
 *
 * With three or more members with a link, a single cut-off member is told
 * apart from the rest: the others still hear each other. With two, a lost
 * beacon in either direction leaves both members hearing nobody or unheard:
 * the bond cannot know which side failed, so it fails neither over and
 * counts the episode in beacon_unsure (link-state and TX-refusal detection
 * still work). The same holds when every member looks cut off. In both
 * cases earlier verdicts are kept.
 */
#include "team.h"

#define BCN_LEN     60u  /* minimum frame; the payload fits */
#define BCN_PAYLOAD 14u  /* offset of the payload */
#define GUARD_MIN   2000ull

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool enabled(const struct fw_bond *bd)
{
	return bd->used && (bd->cfg.detect & SNIC_TEAM_DETECT_BEACON);
}

static uint64_t interval(const struct fw_bond *bd)
{
	return (uint64_t)bd->cfg.beacon_us * 1000u;
}

void beacon_reset(struct fw *fw, uint8_t b, uint64_t now)
{
	struct fw_bond *bd = &fw->team.bond[b];
	bd->bcn_tick = 0;
	fw_memset(bd->bcn_seen, 0, sizeof(bd->bcn_seen));
	bd->bcn_latency = 0;
	bd->bcn_unsure = false;
	bd->bcn_send_at = enabled(bd) ? now : TEAM_NO_TIME;
	bd->bcn_eval_at = TEAM_NO_TIME;
	for (uint8_t u = 0; u < fw->hw.n_uplinks; u++)
		if (fw->team.link[u].bond == b)
			fw->team.link[u].beacon_bad = false;
}

uint64_t beacon_next(const struct fw_bond *bd)
{
	if (!enabled(bd))
		return TEAM_NO_TIME;
	return bd->bcn_eval_at < bd->bcn_send_at ? bd->bcn_eval_at : bd->bcn_send_at;
}

void beacon_link_up(struct fw *fw, uint8_t b, uint8_t u)
{
	struct fw_bond *bd = &fw->team.bond[b];
	/* Judge it only on beacons from now on: `misses` ticks of grace. */
	for (unsigned i = 0; i < SNIC_MAX_UPLINKS; i++) {
		bd->bcn_seen[u][i] = bd->bcn_tick;
		bd->bcn_seen[i][u] = bd->bcn_tick;
	}
}

static bool link_of(struct fw *fw, uint8_t b, uint8_t u)
{
	const struct team_link *l = &fw->team.link[u];
	return l->bond == b && l->phys;
}

static unsigned send_all(struct fw *fw, uint8_t b, uint64_t now)
{
	struct fw_bond *bd = &fw->team.bond[b];
	uint8_t f[BCN_LEN];
	unsigned sent = 0;

	for (uint8_t u = 0; u < fw->hw.n_uplinks; u++) {
		if (!link_of(fw, b, u))
			continue;
		fw_memset(f, 0, sizeof(f));
		fw_memset(f, 0xff, 6);
		fw_memcpy(f + 6, fw->hw.uplink_mac[u], 6);
		f[12] = SNIC_BEACON_ETHERTYPE >> 8;
		f[13] = SNIC_BEACON_ETHERTYPE & 0xff;
		uint8_t *p = f + BCN_PAYLOAD;
		put32(p, SNIC_BEACON_MAGIC);
		p[4] = b;
		p[5] = u;
		put32(p + 8, bd->bcn_tick);
		put32(p + 12, (uint32_t)(now >> 32));
		put32(p + 16, (uint32_t)now);
		if (team_xmit(fw, u, f, sizeof(f), now)) {
			bd->beacons_sent++;
			sent++;
		}
	}
	return sent;
}

static bool missed(const struct fw_bond *bd, uint8_t r, uint8_t s)
{
	return bd->bcn_seen[r][s] + bd->cfg.beacon_misses <= bd->bcn_tick;
}

static void judge(struct fw *fw, uint8_t b, uint64_t now)
{
	struct fw_bond *bd = &fw->team.bond[b];
	uint8_t with_link = 0, cut = 0;
	unsigned n = 0, n_cut = 0;

	for (uint8_t u = 0; u < fw->hw.n_uplinks; u++)
		if (link_of(fw, b, u)) {
			with_link |= (uint8_t)(1u << u);
			n++;
		}
	for (uint8_t u = 0; u < fw->hw.n_uplinks && n >= 2; u++) {
		if (!(with_link & (1u << u)))
			continue;
		bool hears = false, heard = false;
		for (uint8_t o = 0; o < fw->hw.n_uplinks; o++) {
			if (o == u || !(with_link & (1u << o)))
				continue;
			hears |= !missed(bd, u, o);
			heard |= !missed(bd, o, u);
		}
		if (!hears || !heard) {
			cut |= (uint8_t)(1u << u);
			n_cut++;
		}
	}
	bool unsure = n_cut && (n == 2 || n_cut == n);
	if (unsure) {
		if (!bd->bcn_unsure)
			bd->beacon_unsure++;
		bd->bcn_unsure = true;
	} else {
		bd->bcn_unsure = false;
	}

	bool redo = false;
	for (uint8_t u = 0; u < fw->hw.n_uplinks; u++) {
		struct team_link *l = &fw->team.link[u];
		if (l->bond != b)
			continue;
		bool bad;
		if (!(with_link & (1u << u)))
			bad = false;          /* the link state speaks for it */
		else if (unsure)
			bad = l->beacon_bad;  /* keep the earlier verdict */
		else
			bad = (cut >> u) & 1;
		if (bad != l->beacon_bad) {
			l->beacon_bad = bad;
			redo |= team_update_health(fw, u, now);
		}
	}
	if (redo)
		team_recompute(fw, b, now);
}

unsigned beacon_tick(struct fw *fw, uint8_t b, uint64_t now)
{
	struct fw_bond *bd = &fw->team.bond[b];
	unsigned work = 0;

	if (!enabled(bd))
		return 0;
	if (now >= bd->bcn_eval_at) {
		bd->bcn_eval_at = TEAM_NO_TIME;
		judge(fw, b, now);
	}
	if (now >= bd->bcn_send_at) {
		uint64_t iv = interval(bd);
		bd->bcn_tick++;
		work += send_all(fw, b, now);
		bd->bcn_send_at += iv;
		if (bd->bcn_send_at <= now)
			bd->bcn_send_at = now + iv; /* we were not polled for a while */
		uint64_t guard = iv / 2;
		if (bd->bcn_latency) {
			uint64_t g = 2 * bd->bcn_latency;
			if (g < GUARD_MIN)
				g = GUARD_MIN;
			if (g < guard)
				guard = g;
		}
		bd->bcn_eval_at = now + guard;
	}
	return work;
}

bool fw_beacon_rx(struct fw *fw, const struct hal_rx_pkt *p)
{
	const uint8_t *f = p->data;
	if (p->len < BCN_PAYLOAD + 20 || f[12] != (SNIC_BEACON_ETHERTYPE >> 8) ||
	    f[13] != (SNIC_BEACON_ETHERTYPE & 0xff))
		return false;
	const uint8_t *q = f + BCN_PAYLOAD;
	uint8_t b = q[4], s = q[5];
	if (get32(q) != SNIC_BEACON_MAGIC || b >= SNIC_MAX_BONDS || s >= fw->hw.n_uplinks ||
	    fw_memcmp(f + 6, fw->hw.uplink_mac[s], 6))
		return false; /* not one of ours: ordinary traffic */

	/* Ours from here on: consumed whether it is still useful or not. */
	struct fw_bond *bd = &fw->team.bond[b];
	uint8_t r = p->port;
	if (!enabled(bd) || r >= fw->hw.n_uplinks || r == s || !((bd->mask >> r) & 1) ||
	    !((bd->mask >> s) & 1))
		return true;
	uint32_t tick = get32(q + 8);
	if (tick > bd->bcn_tick || tick <= bd->bcn_seen[r][s])
		return true; /* from the future (forged) or old news */
	bd->bcn_seen[r][s] = tick;
	fw->team.link[r].beacons_rx++;
	uint64_t now = hal_now_ns(fw->hal);
	uint64_t sent = (uint64_t)get32(q + 12) << 32 | get32(q + 16);
	if (sent <= now && now - sent < interval(bd) && now - sent > bd->bcn_latency)
		bd->bcn_latency = now - sent;
	return true;
}
