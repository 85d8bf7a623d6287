/* SPDX-License-Identifier: MIT */
/*
 * Transmit: drain each TX ring in order onto its VNIC's uplink.
 *
 * A dedicated TRR sends for its one VNIC; the shared TRR 0 sends for the
 * software-ring VNICs, each frame attributed by its source MAC (and VLAN).
 * The DMA engine moves every frame into firmware memory before it is
 * checked, so the host cannot change it between the anti-spoof check and
 * the wire; each descriptor word is read from the window exactly once.
 *
 * Per-packet cost: what cannot change during one poll (the clock, the
 * ring's host index, its VNIC, shaper, uplink and carrier) is looked up
 * once per ring, and the ring and port counters are summed here and added
 * to the window when the ring's batch (or the poll) ends.
 */
#include "fw_internal.h"
#include "bwalloc.h"
#include "team.h"

#define ETH_P_IPV4  0x0800
#define ETH_P_ARP   0x0806


/* A frame of `len` waits for shaper m's tokens (refilled at this poll's
 * time): its time to go is a timer of the poll loop. */
static void tx_wait(struct fw *fw, const struct meter *m, uint32_t len)
{
	uint64_t at = fw->now_ns + meter_shaper_wait_ns(m, len);
	if (at < fw->tx.due)
		fw->tx.due = at;
}

void fw_tx_init(struct fw *fw)
{
	fw->tx.due = UINT64_MAX;
	for (unsigned r = 0; r < FW_MAX_RINGS; r++)
		fw->tx.desc_cons[r] = 0;
}

void fw_tx_discard(struct fw *fw, uint16_t r)
{
	struct snic_txq *q = FW_TXQ(fw, r);
	const uint32_t prod = fw_load_acq(&q->desc_prod);
	const uint32_t queued = prod - fw->tx.desc_cons[r];

	/* All of it, even a nonsense count: the ring starts empty for the
	 * next owner, which the host's producer index then agrees with. */
	q->drop_bad += queued <= fw->hw.ring_size ? queued : fw->hw.ring_size;
	fw->tx.desc_cons[r] = prod;
	fw_store_rel(&q->desc_cons, prod);
}

/* Compares of header bytes, written so gcc loads them whole where the ISA
 * allows unaligned loads. */
static inline uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint16_t ld16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline bool mac_eq(const uint8_t *a, const uint8_t *b)
{
	return ld32(a) == ld32(b) && ld16(a + 4) == ld16(b + 4);
}

static bool has_ip(const struct fw_vnic *v, const uint8_t *ip)
{
	for (unsigned i = 0; i < v->n_ip; i++)
		if (ld32(v->ip[i]) == ld32(ip))
			return true;
	return false;
}

/* The frame's VLAN (fw_frame_vlan) is VNIC v's: its port VLAN ("untagged"
 * when it has none), or one of its member VLANs (l2.h). */
static bool vlan_ok(struct fw *fw, const struct fw_vnic *v, int vid)
{
	if (vid == -2)
		return false;
	if (fw_vnic_tags(v))
		return vid == -1; /* the device tags it: the VM cannot pick */
	if (v->vlan == SNIC_VLAN_NONE ? vid == -1 : vid == (int)v->vlan)
		return true;
	return vid > 0 && fw_l2_vlan_member(fw, (uint16_t)(v - fw->vnic), (uint16_t)vid);
}

/* 1 when frame f (len >= 14) may be sent by VNIC v. */
static bool frame_is_own(struct fw *fw, const struct fw_vnic *v, const uint8_t *f, uint32_t len)
{
	uint32_t l3 = 0;
	uint16_t type = 0;

	if (!mac_eq(f + 6, v->mac))
		return false;
	int vid = fw_frame_vlan(f, len, &l3, &type);
	if (!vlan_ok(fw, v, vid))
		return false;
	if (!v->n_ip)
		return true;
	if (type == ETH_P_IPV4) {
		/* The source address must be readable to be checked. */
		if (len < l3 + 20 || (f[l3] >> 4) != 4)
			return false;
		return has_ip(v, f + l3 + 12);
	}
	if (type == ETH_P_ARP) {
		if (len < l3 + 28)
			return false;
		if (!mac_eq(f + l3 + 8, v->mac))
			return false;
		/* Sender 0.0.0.0 is an address probe (RFC 5227). */
		return has_ip(v, f + l3 + 14) || ld32(f + l3 + 14) == 0;
	}
	return true;
}

/* The sender index's bucket of a MAC: its last four bytes (where the
 * MACs of one host's VMs differ), multiplied by 2^32 / golden ratio. */
static inline unsigned mac_bucket(const uint8_t *mac)
{
	return (ld32(mac + 2) * 0x9e3779b1u) >> (32 - FW_TX_MAC_BITS);
}

void fw_tx_index(struct fw *fw)
{
	for (unsigned b = 0; b < FW_TX_MAC_BUCKETS; b++)
		fw->tx.mac_head[b] = SNIC_VNIC_NONE;
	/* Highest id first, each at its chain's head: chains in id order. */
	for (unsigned i = FW_MAX_VNICS; i-- > 0;) {
		const struct fw_vnic *v = &fw->vnic[i];
		fw->tx.mac_next[i] = SNIC_VNIC_NONE;
		if (!v->used || v->tx_ring != FW_SHARED_RING)
			continue;
		unsigned b = mac_bucket(v->mac);
		fw->tx.mac_next[i] = fw->tx.mac_head[b];
		fw->tx.mac_head[b] = (uint16_t)i;
	}
}

/* The VNIC on the shared TRR whose MAC and VLAN the frame carries, else
 * one whose MAC it carries (the frame then fails its check), else -1;
 * the lowest id of each kind. Its MAC's bucket holds only the shared-TRR
 * VNICs whose MACs share the bucket: as many as the VNIC table has slots
 * per bucket on average, whatever the number of VNICs. */
static int shared_sender(struct fw *fw, const uint8_t *f, uint32_t len, bool *vlan_match)
{
	uint32_t l3;
	uint16_t type;
	int vid = fw_frame_vlan(f, len, &l3, &type), mac_only = -1;

	*vlan_match = false;
	for (uint16_t i = fw->tx.mac_head[mac_bucket(f + 6)]; i != SNIC_VNIC_NONE;
	     i = fw->tx.mac_next[i]) {
		const struct fw_vnic *v = &fw->vnic[i];
		if (!mac_eq(f + 6, v->mac))
			continue;
		/* vlan_ok(), its common case (untagged, no VLAN) inline */
		if ((vid == -1 && v->vlan == SNIC_VLAN_NONE && !fw_vnic_tags(v)) ||
		    vlan_ok(fw, v, vid)) {
			*vlan_match = true;
			return (int)i;
		}
		if (mac_only < 0)
			mac_only = (int)i;
	}
	/* Its MAC on a VLAN not its own: that VNIC's spoof (counted as its). */
	return mac_only;
}

/* Insert VNIC v's operator port VLAN tag (VID, PCP) after the source MAC
 * of untagged frame f of len bytes (room for 4 more checked). */
static void insert_tag(const struct fw_vnic *v, uint8_t *f, uint32_t len)
{
	for (uint32_t i = len; i-- > 12;)
		f[i + 4] = f[i];
	const uint16_t tci = (uint16_t)((v->policy & FW_VPOL_PCP_MASK) >> FW_VPOL_PCP_SHIFT << 13 |
					v->vlan);
	f[12] = ETH_P_8021Q >> 8;
	f[13] = ETH_P_8021Q & 0xff;
	f[14] = (uint8_t)(tci >> 8);
	f[15] = (uint8_t)tci;
}

/* A sending VNIC and what its frames need, looked up once: per ring for a
 * dedicated TRR, per frame on the shared one. */
struct sender {
	int                   id;      /* -1: the ring sends for nobody */
	const struct fw_vnic *v;
	struct meter         *shaper;  /* NULL when unshaped */
	uint32_t              mac_lo;  /* its MAC as ld32/ld16 read it */
	uint16_t              mac_hi;
	bool                  plain;   /* no VLAN and no IPs: MAC and "untagged" decide */
	bool                  tag;     /* operator port VLAN: the tag is inserted */
	uint8_t               up;
	bool                  bonded;
	bool                  down;    /* unbonded uplink administratively down */
	bool                  carrier; /* unbonded uplink has carrier */
};

static void sender_load(struct fw *fw, struct sender *s, int id)
{
	s->id = id;
	if (id < 0)
		return;
	struct fw_vnic *v = &fw->vnic[id];
	s->v = v;
	s->shaper = v->shaper.kind == METER_SHAPER ? &v->shaper : NULL;
	s->mac_lo = ld32(v->mac);
	s->mac_hi = ld16(v->mac + 4);
	s->plain = v->vlan == SNIC_VLAN_NONE && !v->n_ip;
	s->tag = fw_vnic_tags(v);
	s->up = v->uplink;
	s->bonded = team_bond_of(v->uplink) != TEAM_NONE;
	s->down = !s->bonded && (s->up >= fw->hw.n_uplinks || !fw->port_up[s->up]);
	s->carrier = !s->bonded && !s->down && hal_port_carrier(fw->hal, s->up);
}

/* frame_is_own() for sender s, its common case settled inline: the source
 * MAC, then an untagged frame from a VNIC without VLAN and IPs. */
static inline bool sender_owns(struct fw *fw, const struct sender *s, const uint8_t *f,
			       uint32_t len)
{
	if (ld32(f + 6) != s->mac_lo || ld16(f + 10) != s->mac_hi)
		return false;
	uint16_t et = be16(f + 12);
	if (s->plain && et != ETH_P_8021Q && et != ETH_P_8021AD)
		return true;
	return frame_is_own(fw, s->v, f, len);
}


/* One ring's batch. */
struct tx_ring {
	uint16_t                            r;
	bool                                bound;  /* shared, or a VNIC's */
	uint32_t                            cons;   /* desc_cons[r] during the batch */
	struct snic_txq                    *q;
	const volatile struct snic_tx_desc *desc;
	struct sender                       snd;
	uint32_t                            pkts;
	uint64_t                            bytes;
};

enum verdict { TX_SENT, TX_RETRY, TX_DROPPED };

static enum verdict drop(struct fw *fw, struct meter *taken, uint32_t len, int reason)
{
	if (taken)
		meter_shaper_untake(taken, len);
	fw_count_drop(fw, reason);
	return TX_DROPPED;
}

/* One frame of the shared TRR (or of an unbound ring, whose frames are all
 * bad): its sender is found per frame, from the frame. */
static __attribute__((noinline)) enum verdict send_one(struct fw *fw, struct tx_ring *t)
{
	const volatile struct snic_tx_desc *dv = &t->desc[t->cons & fw->tx.p.mask];
	const uint64_t addr = dv->addr;
	uint32_t len = dv->len;
	struct sender *s = &t->snd;

	/* One range check for 14 <= len <= buf_max; the DMA region as one
	 * offset and size, read once per poll (below the region, the offset
	 * wraps past its size). */
	const uint64_t off = addr - fw->tx.p.dma_base;
	if (!t->bound || dv->flags || dv->rsvd || len - FW_MIN_FRAME > fw->tx.p.len_span ||
	    off > fw->tx.p.dma_size || len > fw->tx.p.dma_size - off) {
		t->q->drop_bad++;
		if (t->r != FW_SHARED_RING && s->id >= 0) /* a port-VLAN VNIC's own ring */
			FW_VSTATS(fw, s->id)->tx_drop_bad++;
		return drop(fw, NULL, len, SNIC_DROP_TX_BAD);
	}
	uint8_t *f = fw->frame;
	hal_dma_from_host(fw->hal, f, (uint32_t)addr, len);
	bool own;
	if (t->r == FW_SHARED_RING) {
		/* Its MAC and VLAN were matched finding it: only IPs are left. */
		int id = shared_sender(fw, f, len, &own);
		if (id != s->id) /* runs of one sender: looked up once */
			sender_load(fw, s, id);
		own = own && (!s->v->n_ip || frame_is_own(fw, s->v, f, len));
	} else {
		own = s->id >= 0 && sender_owns(fw, s, f, len);
	}
	if (!own) {
		t->q->drop_spoof++;
		if (s->id >= 0) /* its MAC, not its VLAN or IP */
			FW_VSTATS(fw, s->id)->tx_drop_spoof++;
		return drop(fw, NULL, len, SNIC_DROP_TX_SPOOF);
	}
	struct snic_vnic_stats *vs = FW_VSTATS(fw, s->id);
	if (s->tag) {
		/* The tagged frame must still fit a buffer (buf_max). */
		if (len + 4 > fw->hw.buf_max) {
			t->q->drop_bad++;
			vs->tx_drop_bad++;
			return drop(fw, NULL, len, SNIC_DROP_TX_BAD);
		}
		insert_tag(s->v, f, len);
		len += 4;
	}
	if (s->down) {
		vs->tx_drop_down++;
		return drop(fw, NULL, len, SNIC_DROP_PORT_DOWN);
	}
	/* The frame waits for its tokens; on the shared TRR it holds the ring. */
	if (fw_bw_blocks(fw, (uint16_t)s->id, len))
		return TX_RETRY;
	struct meter *taken = NULL;
	if (s->shaper) {
		if (!meter_shaper_try(s->shaper, fw->now_ns, len)) {
			tx_wait(fw, s->shaper, len);
			return TX_RETRY;
		}
		taken = s->shaper;
	}
	/* The uplink (no carrier: the frame waits in its ring, as on any NIC),
	 * or the bond member chosen by the team policy (team_tx.c). */
	int port;
	if (s->bonded)
		port = fw_team_send(fw, (uint16_t)s->id, f, len, fw->tx.p.now);
	else
		port = s->carrier ? team_send_port(fw, s->up, f, len, fw->tx.p.now) : TEAM_TX_HOLD;
	if (port < 0) {
		if (port == TEAM_TX_DOWN) {
			vs->tx_drop_down++;
			return drop(fw, taken, len, SNIC_DROP_PORT_DOWN);
		}
		if (taken)
			meter_shaper_untake(taken, len);
		return TX_RETRY;
	}
	fw_bw_sent(fw, (uint16_t)s->id, len);
	vs->tx_packets++;
	vs->tx_bytes += len;
	t->pkts++;
	t->bytes += len;
	fw->tx.p.port_pkts[port]++;
	fw->tx.p.port_bytes[port] += len;
	return TX_SENT;
}

/* The flags and rsvd halves of a descriptor's last word, read as one. */
typedef uint32_t __attribute__((may_alias)) tx_desc_word;

/*
 * A dedicated ring's batch: up to `todo` frames of one sender, whose
 * limits are known before a frame is moved. The same checks in the same
 * order as send_one's, with what cannot change during the batch in
 * locals: the shaper's tokens (the clock does not move within a poll, so
 * after its one refill a frame may leave while the smaller of its C and E
 * buckets covers the frame's cost, and both shrink by that cost), the
 * uplink's queue estimate, what a frame of the last length costs, and the
 * counters. Tokens are charged only for frames that left, which is what
 * taking and giving back came to. Returns the descriptors consumed.
 */
static __attribute__((noinline)) uint32_t send_dedicated(struct fw *fw, struct tx_ring *t,
							 uint32_t todo)
{
	const struct sender *s = &t->snd;
	const volatile struct snic_tx_desc *const desc = t->desc;
	const volatile struct snic_tx_desc *const end = desc + fw->tx.p.mask + 1;
	const volatile struct snic_tx_desc *dv = &desc[t->cons & fw->tx.p.mask];
	const uint16_t id = (uint16_t)s->id;
	const uint32_t span = fw->tx.p.len_span, mac_lo = s->mac_lo;
	const uint16_t mac_hi = s->mac_hi;
	const bool plain = s->plain, down = s->down;
	const uint8_t up = s->up;
	const uint64_t base = fw->tx.p.dma_base, dma_size = fw->tx.p.dma_size;
	const bool limited = fw->bw.active && (fw->bw.vnic[id].flags & BWV_LIMIT);
	const bool tracked = fw->bw.active && (fw->bw.vnic[id].flags & BWV_TRACK);
	struct meter *const sh = s->shaper;
	/* No shaper: a budget nothing can exhaust, and frames cost 0. A
	 * shaper's budget starts at 0 so its first frame refills it. */
	uint64_t budget = sh ? 0 : UINT64_MAX, budget0 = 0;
	bool refilled = false, starved = false;
	/* Unbonded uplink with carrier: its queue estimate, as team_account
	 * keeps it (the clock does not move, so only the first frame can
	 * raise it to now). */
	const bool direct = !s->bonded && s->carrier;
	uint64_t vq = 0;
	if (direct) {
		vq = fw->team.link[up].vq_end;
		if (vq < fw->tx.p.now)
			vq = fw->tx.p.now;
	}
	/* What a frame of the last length seen costs. */
	uint32_t memo_len = 0, memo_sh_len = 0;
	uint64_t memo_cost = 0, memo_wire_ns = 0;
	uint8_t *const f = fw->frame;
	/* A batch's byte sums fit 32 bits: FW_TX_BUDGET frames of at most
	 * FW_MAX_FRAME (+ 24 wire bytes) each. */
	_Static_assert((uint64_t)FW_TX_BUDGET * (FW_MAX_FRAME + METER_WIRE_EXTRA) < UINT32_MAX,
		       "TX batch byte sums must fit 32 bits");
	uint32_t n, pkts = 0, bytes = 0, sh_bytes = 0;

	for (n = 0; n < todo; n++, dv = dv + 1 == end ? desc : dv + 1) {
		const uint64_t addr = dv->addr;
		const uint32_t len = dv->len;
		const uint32_t flags = *(const volatile tx_desc_word *)&dv->flags;
		/* flags and rsvd must both be 0; len <= span + 14 <= dma_size
		 * (see fw_tx_poll), so dma_size - len cannot wrap. */
		const uint64_t off = addr - base;
		if (flags || len - FW_MIN_FRAME > span || off > dma_size - len) {
			t->q->drop_bad++;
			FW_VSTATS(fw, id)->tx_drop_bad++; /* drops: computed here, not held */
			fw_count_drop(fw, SNIC_DROP_TX_BAD);
			continue;
		}
		if (limited && bw_limit_blocks(fw, id, len))
			break; /* its bandwidth share (bwalloc.h) */
		if (len != memo_len) {
			memo_len = len;
			if (sh) {
				uint64_t b;
				memo_cost = meter_shaper_cost(sh, len, &b);
				memo_sh_len = (uint32_t)b;
			}
			if (direct)
				memo_wire_ns = team_wire_ns(fw, len);
		}
		if (budget < memo_cost && !refilled) {
			budget = budget0 = meter_shaper_budget(sh, fw->now_ns);
			refilled = true;
		}
		if (budget < memo_cost) {
			starved = true;
			break; /* no tokens: the same frame next poll */
		}
		hal_dma_from_host(fw->hal, f, (uint32_t)addr, len);
		if (ld32(f + 6) != mac_lo || ld16(f + 10) != mac_hi) {
			t->q->drop_spoof++;
			FW_VSTATS(fw, id)->tx_drop_spoof++;
			fw_count_drop(fw, SNIC_DROP_TX_SPOOF);
			continue;
		}
		/* A plain VNIC's untagged frame is its own; anything else takes
		 * the full check (ld16 reads the ethertype byte-swapped). */
		const uint16_t et = ld16(f + 12);
		if (!(plain && et != 0x0081 && et != 0xa888) && !frame_is_own(fw, s->v, f, len)) {
			t->q->drop_spoof++;
			FW_VSTATS(fw, id)->tx_drop_spoof++;
			fw_count_drop(fw, SNIC_DROP_TX_SPOOF);
			continue;
		}
		if (down) {
			FW_VSTATS(fw, id)->tx_drop_down++;
			fw_count_drop(fw, SNIC_DROP_PORT_DOWN);
			continue;
		}
		if (direct) {
			if (hal_tx(fw->hal, up, f, len) < 0)
				break; /* no room: the same frame next poll */
			vq += memo_wire_ns;
		} else {
			int port = s->bonded ? fw_team_send(fw, id, f, len,
							    fw->tx.p.now) : TEAM_TX_HOLD;
			if (port < 0) {
				if (port != TEAM_TX_DOWN)
					break; /* no carrier or no member: wait */
				FW_VSTATS(fw, id)->tx_drop_down++;
				fw_count_drop(fw, SNIC_DROP_PORT_DOWN);
				continue;
			}
			fw->tx.p.port_pkts[port]++;
			fw->tx.p.port_bytes[port] += len;
		}
		budget -= memo_cost;
		sh_bytes += memo_sh_len;
		if (tracked)
			bw_account(fw, id, len);
		pkts++;
		bytes += len;
	}
	if (pkts && sh)
		meter_shaper_spend(sh, budget0 - budget, pkts, sh_bytes);
	if (starved)
		tx_wait(fw, sh, memo_len);
	if (!pkts)
		return n;
	if (direct) {
		struct team_link *l = &fw->team.link[up];
		l->short_streak = 0;
		l->vq_end = vq;
		fw->tx.p.port_pkts[up] += pkts;
		fw->tx.p.port_bytes[up] += bytes;
	}
	t->pkts = pkts;
	t->bytes = bytes;
	return n;
}

unsigned fw_tx_poll(struct fw *fw)
{
	const uint32_t size = fw->hw.ring_size;
	unsigned work = 0;

	fw->tx.p.now = hal_now_ns(fw->hal);
	fw->tx.p.mask = size - 1;
	fw->tx.due = UINT64_MAX; /* the holds of this poll say anew */
	/* A frame longer than the DMA region cannot lie inside it: capping
	 * the length range there (same drop, same counter) lets a dedicated
	 * ring check the region with one compare. fw_layout_init() leaves
	 * the region at least FW_MIN_DMA bytes, so the cap is >= 14. */
	const uint32_t cap = fw->lay.dma_size < fw->hw.buf_max ? fw->lay.dma_size : fw->hw.buf_max;
	fw->tx.p.len_span = cap - FW_MIN_FRAME;
	fw->tx.p.dma_base = fw->lay.dma_base;
	fw->tx.p.dma_size = fw->lay.dma_size;
	const uint32_t *doorbell = hal_txq_doorbells(fw->hal);
	for (uint16_t r = 0; r < fw->hw.n_tx_rings; r++) {
		struct snic_txq *q = FW_TXQ(fw, r);
		uint32_t prod = doorbell ? doorbell[r] : fw_load_acq(&q->desc_prod);
		uint32_t queued = prod - fw->tx.desc_cons[r];

		/* More than a ring's worth queued is nonsense: wait for sanity. */
		if (!queued || queued > size)
			continue;
		struct tx_ring t = { .r = r, .bound = true, .cons = fw->tx.desc_cons[r], .q = q,
				     .desc = fw_at(fw, fw->lay.tx_desc[r]) };
		t.snd.id = -1; /* the shared TRR: per frame, from the frame */
		if (r != FW_SHARED_RING) {
			uint16_t owner = fw_tx_ring_owner(fw, r);
			sender_load(fw, &t.snd, owner == SNIC_VNIC_NONE ? -1 : owner);
			t.bound = owner != SNIC_VNIC_NONE;
		}
		uint32_t n, todo = queued < FW_TX_BUDGET ? queued : FW_TX_BUDGET;
		/* A port-VLAN sender's frames grow by a tag: one at a time. */
		if (t.bound && r != FW_SHARED_RING && !t.snd.tag) {
			n = send_dedicated(fw, &t, todo);
			struct snic_vnic_stats *vs = FW_VSTATS(fw, t.snd.id);
			vs->tx_packets += t.pkts;
			vs->tx_bytes += t.bytes;
		} else {
			for (n = 0; n < todo; n++) {
				if (send_one(fw, &t) == TX_RETRY)
					break; /* uplink busy or no tokens: same frame next poll */
				t.cons++;
			}
		}
		if (!n)
			continue;
		work += n;
		t.cons = fw->tx.desc_cons[r] + n;
		fw->tx.desc_cons[r] = t.cons;
		fw_store_rel(&q->desc_cons, t.cons);
		q->packets += t.pkts;
		q->bytes += t.bytes;
	}
	struct snic_blk_stats *s = FW_STATS(fw);
	for (unsigned u = 0; u < SNIC_MAX_UPLINKS; u++) {
		if (!fw->tx.p.port_pkts[u])
			continue;
		s->port[u].tx_packets += fw->tx.p.port_pkts[u];
		s->port[u].tx_bytes += fw->tx.p.port_bytes[u];
		fw->tx.p.port_pkts[u] = 0;
		fw->tx.p.port_bytes[u] = 0;
	}
	return work;
}
