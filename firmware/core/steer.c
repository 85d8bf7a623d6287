/* SPDX-License-Identifier: MIT */
/*
 * Receive steering: every classified frame ends up in exactly one RX ring
 * or is dropped with exactly one reason, counted in stats.drops[] (and in
 * the ring's own drop counters where it has one).
 *
 * Host-written ring words are untrusted: the host's indices (desc_prod,
 * cpl_cons) are checked here once per ring and batch, nonsense meaning "no
 * buffers"; the device indices live in the receive queue engine's context
 * in firmware memory (hal.h, struct hal_rxq); the engine takes the
 * descriptor, checks the buffer, moves the frame and writes the
 * completion (hal_rxq_put), so the core's per-frame work is the steering
 * decision and the meter.
 *
 * Per-packet cost: a ring's state is looked up and the host's indices
 * checked once per ring and batch (one fw_rx_poll, up to FW_RX_BUDGET
 * frames); device indices, ring, port and classifier counters are
 * published when the batch ends, so every counter is exact whenever
 * fw_rx_poll() returns. Buffers the host posts during a batch are seen by
 * the next one.
 *
 * Frames come in bursts (hal_rx_burst) and most frames of a batch repeat
 * a decision an earlier frame took: the same rule, action, key flags and
 * port lead to the same VNIC, ring, completion flags and meter, as none of
 * these can change during a poll (VNICs, rings, meters and ports change
 * only through admin commands, handled before the batch). A small memo of
 * such decisions, on the stack of fw_rx_poll, keyed by the exact match
 * result and port, lets a repeat skip the lookups; what depends on the
 * frame itself (its length, the beacon ethertype, the policer; the ring's
 * room and the host's descriptor in the queue engine) is still checked for
 * every frame, and a frame that fails one of the first two takes the full
 * path.
 */
#include "fw_internal.h"
#include "team.h"

/* Frames taken from the HAL per call; the burst lives on the stack. */
#define RX_BURST   32
/* Decisions remembered per batch, direct-mapped by rule (a batch rarely
 * sees more; a collision only costs the full path). */
#define MEMO_SLOTS 8
#define MEMO_FREE  UINT32_MAX /* no port is 0xffffffff: never a key */
/* Not a verdict: deliver by the frame's memo slot. */
#define STEER_MEMO (-2)
/* A decision that depends on the frame's RSS hash: a bit of the match's
 * rsvd byte (always 0), so the plain comparison never repeats it and
 * frames without a queue set pay nothing for the hash check. */
#define MEMO_RSS   0x80000000u

/* The match and completions read and written as whole words: completion
 * words 1-3 (vnic, rule, flags, meter, colour, port, key flags) are the
 * same for every frame of a decision, word 0 is the frame's length. */
typedef uint32_t __attribute__((may_alias)) word32;

/* How a decision's frames are policed. An srTCM in L2 bytes is inline and
 * its green frames are counted from the memo's own counters when the memo
 * is flushed (all of them, less the ones that were not green): a frame's
 * bytes are its length then, so nothing is lost. */
enum memo_meter { MEMO_NO_METER = 0, MEMO_SRTCM_L2, MEMO_POLICE, MEMO_STRIP };
/* MEMO_STRIP: the VNIC has an operator port VLAN (l2.h): its frames lose
 * their tag (memo_strip), policed by e->meter if any. A kind of its own
 * keeps the unmetered path's instructions as they were. */

/* One steering decision of this batch: frames with this exact match result
 * on this port go to ring h with this completion and meter. */
struct memo {
	uint32_t      word0;  /* match word 0: rule, key flags, rsvd; MEMO_RSS
			       * set for a decision by hash (RSS queue set) */
	uint32_t      port;   /* ingress port; MEMO_FREE: slot unused */
	uint32_t      hmask;  /* MEMO_RSS: frames whose hash & hmask == hval */
	uint32_t      hval;   /* take the same queue (rss.c) */
	uint64_t      act;    /* the match's action, as one word */
	struct fw_hrr   *h;
	struct meter *meter;  /* NULL: not metered */
	uint32_t      pkts;   /* frames it steered: port and classifier counters */
	uint32_t      bytes;  /* their bytes, ... */
	uint32_t      lost;   /* ... of which not delivered (for the ring's bytes) */
	uint32_t      lost_pkts; /* frames not delivered (for the VNIC's counters) */
	uint32_t      cpl[3]; /* completion words 1-3 */
	uint32_t      ng_pkts;  /* MEMO_SRTCM_L2: frames not green, ... */
	uint32_t      ng_bytes; /* ... and their bytes */
	uint8_t       mkind;  /* enum memo_meter */
	bool          mark;   /* a red frame is marked, not dropped */
};

/* The VNIC counters of decision e's VNIC: completion word 1 is the VNIC id
 * (low half, little-endian like the completion layout the engine writes). */
static inline struct snic_vnic_stats *memo_vstats(struct fw *fw, const struct memo *e)
{
	return FW_VSTATS(fw, (uint16_t)e->cpl[0]);
}

static inline uint32_t match_word0(const struct hal_rx_pkt *p)
{
	return *(const word32 *)(const void *)&p->match;
}

/* The match's action as one value: it is 4-byte aligned in the match (at
 * offset 4), so it is read as the two 32-bit words it is. */
static inline uint64_t match_act(const struct hal_rx_pkt *p)
{
	const word32 *w = (const word32 *)(const void *)&p->match.action;
	return (uint64_t)w[1] << 32 | w[0];
}

/* The memo's frames go into the classifier and port counters of the batch. */
static void memo_flush(struct fw *fw, struct memo *e)
{
	fw->rx.c.lookups += e->pkts;
	fw->rx.c.hits += e->pkts;
	fw->rx.c.port_pkts[e->port] += e->pkts;
	fw->rx.c.port_bytes[e->port] += e->bytes;
	e->h->bytes += e->bytes - e->lost;
	struct snic_vnic_stats *vs = memo_vstats(fw, e);
	vs->rx_packets += e->pkts - e->lost_pkts;
	vs->rx_bytes += e->bytes - e->lost;
	if (e->mkind == MEMO_SRTCM_L2) {
		e->meter->pkts[METER_GREEN] += e->pkts - e->ng_pkts;
		e->meter->bytes[METER_GREEN] += e->bytes - e->ng_bytes;
		e->ng_pkts = e->ng_bytes = 0;
	}
	e->pkts = e->bytes = e->lost = e->lost_pkts = 0;
}

/* Completion words 1-3 of frame p for VNIC vnic. */
/* (as the engine writes them, little-endian: vnic | rule, flags | meter,
 * colour (green, 0) | port | key flags; the engine adds the hash type) */
_Static_assert(offsetof(struct snic_rx_cpl, vnic) == 4 &&
	       offsetof(struct snic_rx_cpl, flags) == 8 &&
	       offsetof(struct snic_rx_cpl, color) == 12 &&
	       offsetof(struct snic_rx_cpl, port) == 13 &&
	       offsetof(struct snic_rx_cpl, key_flags) == 14, "completion words 1-3");
static inline void cpl_words(uint32_t *out, const struct hal_rx_pkt *p, uint16_t vnic,
			     uint16_t flags, uint16_t meter)
{
	out[0] = vnic | (uint32_t)p->match.rule << 16;
	out[1] = flags | (uint32_t)meter << 16;
	out[2] = (uint32_t)p->port << 8 | (uint32_t)p->match.key_flags << 16;
}

/* Decision e becomes this one (the one it held is counted first);
 * returns STEER_MEMO: deliver by it. */
static int memo_fill(struct fw *fw, struct memo *e, const struct hal_rx_pkt *p, uint16_t r,
		     uint16_t vnic, uint16_t flags, uint16_t meter)
{
	if (e->port != MEMO_FREE)
		memo_flush(fw, e);
	if (!(fw->rx.batch_open & (1u << r)))
		fw_rx_ring_open(fw, r);
	e->word0 = match_word0(p);
	e->port = p->port;
	e->act = match_act(p);
	e->h = &fw->rx.hrr[r];
	e->meter = meter == SNIC_METER_NONE ? NULL : &fw->tab->meters[meter];
	e->mark = meter != SNIC_METER_NONE && (fw->tab->meter_mark[meter / 32] >> (meter % 32) & 1);
	e->mkind = fw_vnic_tags(&fw->vnic[vnic]) ? MEMO_STRIP
		 : !e->meter ? MEMO_NO_METER
		 : e->meter->kind == METER_SRTCM && !e->meter->wire ? MEMO_SRTCM_L2 : MEMO_POLICE;
	e->pkts = e->bytes = e->lost = e->lost_pkts = 0;
	e->ng_pkts = e->ng_bytes = 0;
	cpl_words(e->cpl, p, vnic, flags, meter);
	return STEER_MEMO;
}

const struct hal_rx_pkt *fw_rx_view(struct fw *fw, const struct hal_rx_pkt *p, uint16_t vnic,
				    struct hal_rx_pkt *tmp)
{
	const struct fw_vnic *v = &fw->vnic[vnic];
	uint32_t l3;
	uint16_t type;

	if (!fw_vnic_tags(v) || p->len > FW_MAX_FRAME ||
	    fw_frame_vlan(p->data, p->len, &l3, &type) != (int)v->vlan)
		return p; /* a rule's frame from elsewhere: as it came */
	/* The engine copies p->data, so the stripped copy can be built in
	 * fw->frame: the firmware is single-threaded and TX stages a frame
	 * there only within its own poll. */
	fw_memcpy(fw->frame, p->data, 12);
	fw_memcpy(fw->frame + 12, p->data + 16, p->len - 16);
	*tmp = *p;
	tmp->data = fw->frame;
	tmp->len = p->len - 4;
	return tmp;
}

/* memo_deliver for a MEMO_STRIP decision (counted there already). Byte
 * counters count the frame as it was on the wire, tag included. */
static __attribute__((noinline)) int memo_strip(struct fw *fw, struct memo *e,
						const struct hal_rx_pkt *p,
						uint32_t len)
{
	struct hal_rx_pkt tmp;
	uint8_t color = METER_GREEN;

	if (e->meter) {
		color = (uint8_t)meter_police(e->meter, p->time_ns, len);
		if (color == METER_RED && !e->mark) {
			e->lost += len;
			e->lost_pkts++;
			memo_vstats(fw, e)->rx_drop_meter++;
			return SNIC_DROP_METER;
		}
	}
	int v = hal_rxq_put(fw->hal, &e->h->eq, fw_rx_view(fw, p, (uint16_t)e->cpl[0], &tmp),
			    e->cpl, color);
	if (v != HAL_DELIVERED) {
		e->lost += len;
		e->lost_pkts++;
		memo_vstats(fw, e)->rx_drop_ring++;
	}
	return v;
}

/*
 * A frame of decision e: police it, then hand it to the receive queue
 * engine with the decision's completion words (hal_rxq_put: descriptor,
 * buffer check, DMA, completion). The completion becomes visible with
 * cpl_prod when the batch ends, after the frame. Returns HAL_DELIVERED or
 * the drop reason.
 */
static inline __attribute__((always_inline)) int
memo_deliver(struct fw *fw, struct memo *e, const struct hal_rx_pkt *p, uint32_t len)
{
	uint8_t color = METER_GREEN;
	e->pkts++;
	e->bytes += len;
	if (e->mkind == MEMO_SRTCM_L2) {
		/* Green is counted when the memo is flushed. */
		color = (uint8_t)meter_srtcm_take(e->meter, p->time_ns,
						  (uint64_t)len * METER_UNITS_PER_BYTE);
		if (color != METER_GREEN) {
			meter_count(e->meter, color, len);
			e->ng_pkts++;
			e->ng_bytes += len;
			if (color == METER_RED && !e->mark)
				goto lost_meter;
		}
	} else if (e->mkind) {
		if (e->mkind == MEMO_STRIP)
			return memo_strip(fw, e, p, len);
		color = (uint8_t)meter_police(e->meter, p->time_ns, len);
		if (color == METER_RED && !e->mark)
			goto lost_meter;
	}
	int v = hal_rxq_put(fw->hal, &e->h->eq, p, e->cpl, color);
	if (v != HAL_DELIVERED) {
		e->lost += len;
		e->lost_pkts++;
		memo_vstats(fw, e)->rx_drop_ring++;
	}
	return v;
lost_meter:
	e->lost += len;
	e->lost_pkts++;
	memo_vstats(fw, e)->rx_drop_meter++;
	return SNIC_DROP_METER;
}

/* Only a frame of the beacon ethertype can be one of our team beacons. */
static inline bool beacon_type(const uint8_t *data)
{
	return data[12] == (SNIC_BEACON_ETHERTYPE >> 8) &&
	       data[13] == (SNIC_BEACON_ETHERTYPE & 0xff);
}

void fw_rx_refresh(struct fw *fw)
{
	uint8_t up = 0;
	for (uint8_t u = 0; u < fw->hw.n_uplinks && u < SNIC_MAX_UPLINKS; u++)
		up |= (uint8_t)(fw->port_up[u] << u);
	for (unsigned i = 0; i < FW_MAX_VNICS; i++) {
		const struct fw_vnic *v = &fw->vnic[i];
		bool plain = i < fw->hw.max_vnics && v->used && !v->rss && !fw_vnic_tags(v);
		fw->rx.fast[i] = plain ? team_ports(fw, v->uplink) & up : 0;
	}
}

/* A frame's decision without a memo slot. */
struct decision {
	uint16_t ring, vnic, flags, meter;
};

/*
 * The common case settled in a few indexed loads, whatever the number of
 * VNICs, rules and meters: a hit naming a plain VNIC (fw->rx.fast) on an
 * up port of its domain, without drop, software mark or ring override, of
 * a length that fits, not a beacon. Everything else (false) takes the
 * full path, which decides the same for these frames.
 */
static inline bool rx_fast(struct fw *fw, const struct hal_rx_pkt *p, uint32_t span,
			   struct decision *d)
{
	const struct snic_match *m = &p->match;
	const uint16_t vnic = m->action.vnic;
	const uint8_t act = m->action.flags;

	if (vnic >= FW_MAX_VNICS || p->port >= SNIC_MAX_UPLINKS ||
	    !((fw->rx.fast[vnic] >> p->port) & 1) || m->rule == SNIC_RULE_MISS ||
	    m->action.gen != fw->vnic_gen[vnic] ||
	    (act & (SNIC_ACT_DROP | SNIC_ACT_MARK_SW)) || m->action.ring != SNIC_RING_DEFAULT ||
	    p->len - FW_MIN_FRAME > span || beacon_type(p->data))
		return false;
	d->vnic = vnic;
	d->ring = fw->vnic[vnic].rx_ring;
	d->flags = (uint16_t)(SNIC_RXF_HIT | (d->ring == FW_SHARED_RING ? SNIC_RXF_MARK_SW : 0) |
			      (m->key_flags & SNIC_KF_ERR ? SNIC_RXF_KEYERR : 0));
	d->meter = m->action.meter;
	if (!(act & SNIC_ACT_METER) || d->meter >= FW_MAX_METERS ||
	    fw->tab->meters[d->meter].kind == METER_OFF)
		d->meter = SNIC_METER_NONE;
	return true;
}

/* Frame p by decision d, counted on its own (no memo slot was free). The
 * same policing, delivery and counters as a memo's frame. */
static __attribute__((noinline)) int deliver(struct fw *fw, const struct decision *d,
					     const struct hal_rx_pkt *p)
{
	const uint32_t len = p->len;
	struct snic_vnic_stats *vs = FW_VSTATS(fw, d->vnic);
	uint32_t cpl[3];
	uint8_t color = METER_GREEN;

	fw->rx.c.lookups++;
	fw->rx.c.hits++;
	fw->rx.c.port_pkts[p->port]++;
	fw->rx.c.port_bytes[p->port] += len;
	if (d->meter != SNIC_METER_NONE) {
		color = (uint8_t)meter_police(&fw->tab->meters[d->meter], p->time_ns, len);
		if (color == METER_RED && !(fw->tab->meter_mark[d->meter / 32] >> (d->meter % 32) & 1)) {
			vs->rx_drop_meter++;
			return SNIC_DROP_METER;
		}
	}
	if (!(fw->rx.batch_open & (1u << d->ring)))
		fw_rx_ring_open(fw, d->ring);
	struct fw_hrr *h = &fw->rx.hrr[d->ring];
	cpl_words(cpl, p, d->vnic, d->flags, d->meter);
	int v = hal_rxq_put(fw->hal, &h->eq, p, cpl, color);
	if (v != HAL_DELIVERED) {
		vs->rx_drop_ring++;
		return v;
	}
	h->bytes += len;
	vs->rx_packets++;
	vs->rx_bytes += len;
	return v;
}

/* A hit on the VNIC's own MAC entry follows the VNIC's ring now: a frame
 * classified just before a RING_BIND rewrote the entry would otherwise
 * land on the old ring after the move and overtake nothing the gate holds
 * back (reordering). Every exact-match entry is a VNIC's own MAC entry
 * (vnic.c). */
static inline bool own_mac(struct fw *fw, const struct snic_match *m)
{
	return m->rule == fw->mac_base + m->action.vnic ||
	       (m->rule >= SNIC_RULE_EXACT && m->rule != SNIC_RULE_MISS);
}

/* Does frame p carry VNIC v's MAC entry key now: its MAC as destination,
 * tagged with its VLAN (the parser's last tag) or untagged without one? */
static bool frame_has_key(const struct fw_vnic *v, const struct hal_rx_pkt *p)
{
	const uint8_t kf = p->match.key_flags;
	const uint32_t tag = kf & SNIC_KF_QINQ ? 18 : 14; /* the key's VLAN field */

	if (fw_memcmp(p->data, v->mac, 6))
		return false;
	if (!(kf & SNIC_KF_VLAN) || p->len < tag + 2)
		return v->vlan == SNIC_VLAN_NONE;
	return v->vlan == (uint16_t)((p->data[tag] & 0x0f) << 8 | p->data[tag + 1]);
}

/* A frame of an up port dropped before a decision: it still counts as a
 * lookup (a hit unless it missed) and in the port's counters. */
static int early_drop(struct fw *fw, const struct hal_rx_pkt *p, int reason)
{
	fw->rx.c.lookups++;
	fw->rx.c.hits += p->match.rule != SNIC_RULE_MISS;
	fw->rx.c.port_pkts[p->port]++;
	fw->rx.c.port_bytes[p->port] += p->len;
	return reason;
}

/*
 * The full path: beacons, then every steering check in order. A frame
 * dropped on the way counts in the batch's counters here; one that is to
 * be delivered leaves its decision in its memo slot, for itself and the
 * frames after it, and is counted with them. Returns STEER_MEMO (deliver
 * by the memo), HAL_DELIVERED (a beacon) or the enum snic_drop_reason.
 */
static __attribute__((noinline)) int steer(struct fw *fw, const struct hal_rx_pkt *p,
					   struct memo *memo)
{
	const struct snic_match *m = &p->match;
	const uint32_t len = p->len;
	const uint8_t port = p->port;

	/* Our own beacons (team probing) end here, never in a ring. */
	if (len >= FW_MIN_FRAME && beacon_type(p->data) && fw_beacon_rx(fw, p))
		return HAL_DELIVERED;
	if (port >= fw->hw.n_uplinks || !fw->port_up[port]) {
		fw->rx.c.lookups++;
		fw->rx.c.hits += m->rule != SNIC_RULE_MISS;
		return SNIC_DROP_PORT_DOWN;
	}
	if (len < FW_MIN_FRAME)
		return early_drop(fw, p, SNIC_DROP_RUNT);
	/* The MAC hands up what it cannot take only to have it counted. */
	if (len > FW_MAC_MAX_FRAME)
		return early_drop(fw, p, SNIC_DROP_OVERSIZE);
	/* Unclaimed: broadcast, multicast, member-VLAN unicast, promiscuous
	 * (group.c); the miss path only, claimed frames never get here (a MAC
	 * hit from a foreign uplink is handed over below). */
	if (m->rule == SNIC_RULE_MISS)
		return early_drop(fw, p, fw_group_rx(fw, p));
	const uint8_t act = m->action.flags;
	uint16_t vnic = m->action.vnic;
	if (act & SNIC_ACT_DROP)
		return early_drop(fw, p, SNIC_DROP_RULE);
	/* Classified for an earlier holder of the id: that VNIC is gone. */
	if (vnic >= fw->hw.max_vnics || !fw->vnic[vnic].used || m->action.gen != fw->vnic_gen[vnic])
		return early_drop(fw, p, SNIC_DROP_NO_VNIC);
	/* A MAC entry delivers in its VNIC's domain only: on another port the
	 * frame is for the VNIC sharing that MAC there (vnic_mac.c), or for
	 * nobody (then unclaimed: group delivery's promiscuous rule). A frame
	 * classified before its VNIC changed MAC or VLAN is unclaimed now: the
	 * sharer of the new key never had the frame's. */
	if (own_mac(fw, m) && !(team_ports(fw, fw->vnic[vnic].uplink) & (1u << port))) {
		if (!frame_has_key(&fw->vnic[vnic], p))
			return early_drop(fw, p, fw_group_rx(fw, p));
		vnic = fw_vnic_mac_owner(fw, vnic, port);
		if (vnic == SNIC_VNIC_NONE)
			return early_drop(fw, p, fw_group_rx(fw, p));
	}

	uint16_t ring;
	uint32_t hmask = 0, hval = 0; /* set when the hash picks the ring */
	if (m->action.ring != SNIC_RING_DEFAULT && m->action.ring < fw->hw.n_rx_rings)
		ring = m->action.ring;
	else if ((act & SNIC_ACT_MARK_SW) && !own_mac(fw, m))
		ring = FW_SHARED_RING;
	else if (fw->vnic[vnic].rss) /* a queue set: the frame's hash picks */
		ring = fw_rss_ring(fw, &fw->vnic[vnic], m, &hmask, &hval);
	else
		ring = fw->vnic[vnic].rx_ring;

	uint16_t flags = SNIC_RXF_HIT;
	if (ring == FW_SHARED_RING)
		flags |= SNIC_RXF_MARK_SW; /* the host software classifier splits it */
	if (m->key_flags & SNIC_KF_ERR)
		flags |= SNIC_RXF_KEYERR;
	if (len > fw->hw.buf_max) {
		FW_VSTATS(fw, vnic)->rx_drop_too_long++;
		return early_drop(fw, p, SNIC_DROP_TOO_LONG);
	}
	/* Police on the arrival time; frames that never fit do not take tokens. */
	uint16_t meter = m->action.meter;
	if (!(act & SNIC_ACT_METER) || meter >= FW_MAX_METERS ||
	    fw->tab->meters[meter].kind == METER_OFF)
		meter = SNIC_METER_NONE;
	struct memo *e = &memo[m->rule & (MEMO_SLOTS - 1)];
	memo_fill(fw, e, p, ring, vnic, flags, meter);
	if (hmask | hval) {
		e->word0 |= MEMO_RSS;
		e->hmask = hmask;
		e->hval = hval;
	}
	return STEER_MEMO;
}

int fw_rx_put(struct fw *fw, uint16_t ring, const struct hal_rx_pkt *p, uint16_t vnic,
	      uint16_t flags)
{
	uint32_t cpl[3];
	struct hal_rx_pkt tmp;

	cpl_words(cpl, p, vnic, flags, SNIC_METER_NONE);
	if (!(fw->rx.batch_open & (1u << ring)))
		fw_rx_ring_open(fw, ring);
	/* Counted with its tag, as on the wire (memo_strip). */
	int v = hal_rxq_put(fw->hal, &fw->rx.hrr[ring].eq, fw_rx_view(fw, p, vnic, &tmp), cpl,
			    METER_GREEN);
	if (v == HAL_DELIVERED)
		fw->rx.hrr[ring].bytes += p->len;
	return v;
}

/* The rest of a memo hit: same port and action, a length that fits, not
 * a beacon (which takes the full path). */
static inline bool memo_same(const struct memo *e, const struct hal_rx_pkt *p, uint32_t len,
			     uint32_t span)
{
	return e->port == p->port && e->act == match_act(p) && len - FW_MIN_FRAME <= span &&
	       !beacon_type(p->data);
}

static void batch_end(struct fw *fw, struct memo *memo)
{
	struct snic_blk_stats *s = FW_STATS(fw);

	for (unsigned i = 0; i < MEMO_SLOTS; i++)
		if (memo[i].port != MEMO_FREE)
			memo_flush(fw, &memo[i]);
	for (uint16_t r = 0; fw->rx.batch_open; r++) {
		if (fw->rx.batch_open & (1u << r)) {
			fw->rx.batch_open &= ~(1u << r);
			fw_rx_ring_close(fw, r);
		}
	}
	s->cls_lookups += fw->rx.c.lookups;
	s->cls_hits += fw->rx.c.hits;
	fw->rx.c.lookups = fw->rx.c.hits = 0;
	for (unsigned u = 0; u < SNIC_MAX_UPLINKS; u++) {
		if (!fw->rx.c.port_pkts[u])
			continue;
		s->port[u].rx_packets += fw->rx.c.port_pkts[u];
		s->port[u].rx_bytes += fw->rx.c.port_bytes[u];
		fw->rx.c.port_pkts[u] = 0;
		fw->rx.c.port_bytes[u] = 0;
	}
}

unsigned fw_rx_poll(struct fw *fw)
{
	struct hal_rx_pkt burst[RX_BURST];
	int8_t verdict[RX_BURST];
	struct memo memo[MEMO_SLOTS];
	/* One range check for FW_MIN_FRAME <= len <= buf_max. */
	const uint32_t span = fw->hw.buf_max - FW_MIN_FRAME;
	unsigned n = 0, got;

	fw_rx_gates_check(fw);
	for (unsigned i = 0; i < MEMO_SLOTS; i++)
		memo[i].port = MEMO_FREE;
	while (n < FW_RX_BUDGET &&
	       (got = hal_rx_burst(fw->hal, burst,
				   FW_RX_BUDGET - n < RX_BURST ? FW_RX_BUDGET - n : RX_BURST))) {
		for (unsigned i = 0; i < got; i++) {
			const struct hal_rx_pkt *p = &burst[i];
			const uint32_t len = p->len;
			struct memo *e = &memo[p->match.rule & (MEMO_SLOTS - 1)];
			int v;
			/* A repeat of a remembered decision (one by hash: of
			 * the same queue), or the full path that just left
			 * one in e: deliver by it. */
			struct decision d;
			if ((e->word0 == match_word0(p) && memo_same(e, p, len, span)) ||
			    (e->word0 == (match_word0(p) | MEMO_RSS) &&
			     (p->match.hash & e->hmask) == e->hval && memo_same(e, p, len, span)))
				v = STEER_MEMO;
			else if (!rx_fast(fw, p, span, &d))
				v = steer(fw, p, memo); /* the full path */
			else if (e->port != MEMO_FREE)
				v = deliver(fw, &d, p); /* on its own, at the same cost */
			else
				v = memo_fill(fw, e, p, d.ring, d.vnic, d.flags, d.meter);
			/* A repeat, or a decision just left in e for the frames
			 * after it: deliver by it. */
			if (v == STEER_MEMO)
				v = memo_deliver(fw, e, p, len);
			verdict[i] = (int8_t)v;
			if (v != HAL_DELIVERED)
				fw_count_drop(fw, v);
		}
		hal_rx_done_burst(fw->hal, burst, verdict, got);
		n += got;
	}
	if (n)
		batch_end(fw, memo);
	return n;
}
