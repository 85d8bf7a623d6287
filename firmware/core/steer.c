/* SPDX-License-Identifier: MIT */
/*
 * Receive steering: every classified frame ends up in exactly one RX ring
 * or is dropped with exactly one reason, counted in stats.drops[] (and in
 * the ring's own drop counters where it has one).
 *
 * Host-written ring words (desc_prod, cpl_cons, descriptors) are untrusted:
 * the device indices live in firmware memory, each descriptor word is read
 * once and only that copy is checked, and nonsense indices mean "no
 * buffers". The DMA engine moves the frame into the host's buffer.
 *
 * Per-packet cost: a ring's state is looked up and the host's indices
 * checked once per ring and batch (one fw_rx_poll, up to FW_RX_BUDGET
 * frames); device indices, ring, port and classifier counters are
 * published when the batch ends, so every counter is exact whenever
 * fw_rx_poll() returns. Buffers the host posts during a batch are seen by
 * the next one.
 */
#include "fw_internal.h"
#include "team.h"

/* Per HRR: the device indices (the only copy that counts) and the state
 * of the current batch, set up on the ring's first frame of the batch. */
struct hrr {
	uint32_t desc_cons;  /* descriptors taken */
	uint32_t cpl_prod;   /* completions written */
	/* this batch */
	uint32_t desc_end;   /* desc_cons may reach this (posted buffers) */
	uint32_t cpl_end;    /* cpl_prod may reach this (free completion slots) */
	uint32_t mask;       /* ring_size - 1 */
	uint32_t pkts, bytes;
	struct snic_rxq                    *q;
	const volatile struct snic_rx_desc *desc;
	struct snic_rx_cpl                 *cpl;
};
static struct hrr hrr[FW_MAX_RINGS];
static uint32_t batch_open; /* bit r: HRR r has a batch open */

/* Window counters of the frames of this batch, added when it ends. */
static struct {
	uint32_t lookups, hits;
	uint32_t port_pkts[SNIC_MAX_UPLINKS];
	uint64_t port_bytes[SNIC_MAX_UPLINKS];
} rxc;

/*
 * Ring moves keep order: after a VNIC moves from HRR `src` to HRR r, r's
 * completions are written but not published until the host has consumed
 * src up to where it stood at the move (or FW_GATE_TIMEOUT_NS passed), so
 * the host never sees a newer frame before an older one.
 */
static struct {
	bool     on;
	uint16_t src;
	uint32_t until;    /* src's cpl_prod at the move */
	uint64_t since_ns;
} gate[FW_MAX_RINGS];

void fw_rx_init(void)
{
	for (unsigned r = 0; r < FW_MAX_RINGS; r++) {
		hrr[r].desc_cons = 0;
		hrr[r].cpl_prod = 0;
		fw.irq_pending[r] = false;
		gate[r].on = false;
	}
	batch_open = 0;
}

void fw_rx_gate(uint16_t ring, uint16_t src)
{
	if (ring == src || ring >= fw.hw.n_rx_rings || src >= fw.hw.n_rx_rings)
		return;
	gate[ring].on = true;
	gate[ring].src = src;
	gate[ring].until = hrr[src].cpl_prod;
	gate[ring].since_ns = fw.now_ns;
}

/* Open the gates whose old ring the host has drained. */
static void gates_check(void)
{
	for (uint16_t r = 0; r < fw.hw.n_rx_rings; r++) {
		if (!gate[r].on)
			continue;
		uint32_t consumed = fw_load_acq(&FW_RXQ(gate[r].src)->cpl_cons);
		bool drained = (int32_t)(consumed - gate[r].until) >= 0;
		if (!drained && fw.now_ns - gate[r].since_ns < FW_GATE_TIMEOUT_NS)
			continue;
		gate[r].on = false;
		fw_store_rel(&FW_RXQ(r)->cpl_prod, hrr[r].cpl_prod);
	}
}

static void ring_open(uint16_t r)
{
	struct hrr *h = &hrr[r];
	const uint32_t size = fw.hw.ring_size;

	h->q = FW_RXQ(r);
	h->desc = fw_at(fw.lay.rx_desc[r]);
	h->cpl = fw_at(fw.lay.rx_cpl[r]);
	h->mask = size - 1;
	h->pkts = h->bytes = 0;
	uint32_t prod = fw_load_acq(&h->q->desc_prod);
	uint32_t cons = fw_load_acq(&h->q->cpl_cons);
	/* Nonsense indices mean "no buffers" until the host fixes them. */
	if (prod - h->desc_cons > size || h->cpl_prod - cons >= size) {
		h->desc_end = h->desc_cons;
		h->cpl_end = h->cpl_prod;
	} else {
		h->desc_end = prod;
		h->cpl_end = cons + size;
	}
	batch_open |= 1u << r;
}

static void ring_close(uint16_t r)
{
	struct hrr *h = &hrr[r];
	struct snic_rxq *q = h->q;

	if (h->pkts) {
		if (!gate[r].on)
			fw_store_rel(&q->cpl_prod, h->cpl_prod);
		q->packets += h->pkts;
		q->bytes += h->bytes;
		if (fw_load_acq(&q->mode) == SNIC_MODE_INTR && fw_load_acq(&q->intr_enable))
			fw.irq_pending[r] = true;
	}
	fw_store_rel(&q->desc_cons, h->desc_cons);
}

/*
 * The frame goes into HRR r: take the next posted buffer, write the
 * completion, then have the DMA engine move the frame (last, so nothing
 * the firmware needs afterwards is live across the call). The completion
 * becomes visible with cpl_prod when the batch ends, after the frame.
 */
static inline int deliver(uint16_t r, const struct hal_rx_pkt *p, uint16_t vnic,
			  uint16_t flags, uint16_t meter, uint8_t color)
{
	struct hrr *h = &hrr[r];
	const uint32_t len = p->len;

	if (!(batch_open & (1u << r)))
		ring_open(r);
	if (h->desc_cons == h->desc_end || h->cpl_prod == h->cpl_end) {
		h->q->drop_full++;
		return SNIC_DROP_RING_FULL;
	}
	/* Each descriptor word is read once; only these copies are checked. */
	const uint32_t di = h->desc_cons++;
	const volatile struct snic_rx_desc *d = &h->desc[di & h->mask];
	const uint64_t addr = d->addr;
	const uint32_t buf_len = d->len;
	if (d->rsvd || buf_len < len || !fw_dma_ok(addr, buf_len)) {
		/* Consumed, so the ring does not wedge on one bad buffer. */
		h->q->drop_badbuf++;
		return SNIC_DROP_BAD_BUF;
	}
	struct snic_rx_cpl *c = &h->cpl[h->cpl_prod++ & h->mask];
	c->len = len;
	c->vnic = vnic;
	c->rule = p->match.rule;
	c->flags = flags;
	c->meter = meter;
	c->color = color;
	c->port = p->port;
	c->key_flags = p->match.key_flags;
	c->rsvd0 = 0;
	c->time_ns = p->time_ns;
	c->desc = di;
	c->rsvd1 = 0;
	h->pkts++;
	h->bytes += len;
	hal_dma_to_host((uint32_t)addr, p->data, len);
	return HAL_DELIVERED;
}

/* A hit on the VNIC's own MAC entry follows the VNIC's ring now: a frame
 * classified just before a RING_BIND rewrote the entry would otherwise
 * land on the old ring after the move and overtake nothing the gate holds
 * back (reordering). Every exact-match entry is a VNIC's own MAC entry
 * (vnic.c). */
static inline bool own_mac(const struct snic_match *m)
{
	return m->rule == fw.mac_base + m->action.vnic ||
	       (m->rule >= SNIC_RULE_EXACT && m->rule != SNIC_RULE_MISS);
}

/* Returns HAL_DELIVERED or the enum snic_drop_reason. */
static inline int steer(const struct hal_rx_pkt *p)
{
	const struct snic_match *m = &p->match;
	const uint32_t len = p->len;
	const uint8_t port = p->port;

	rxc.lookups++;
	if (m->rule != SNIC_RULE_MISS)
		rxc.hits++;
	if (port >= fw.hw.n_uplinks || !fw.port_up[port])
		return SNIC_DROP_PORT_DOWN;
	rxc.port_pkts[port]++;
	rxc.port_bytes[port] += len;
	if (len < FW_MIN_FRAME)
		return SNIC_DROP_RUNT;
	if (m->rule == SNIC_RULE_MISS)
		return SNIC_DROP_NO_MATCH;
	const uint8_t act = m->action.flags;
	const uint16_t vnic = m->action.vnic;
	if (act & SNIC_ACT_DROP)
		return SNIC_DROP_RULE;
	if (vnic >= fw.hw.max_vnics || !fw.vnic[vnic].used)
		return SNIC_DROP_NO_VNIC;

	uint16_t ring;
	if (m->action.ring != SNIC_RING_DEFAULT && m->action.ring < fw.hw.n_rx_rings)
		ring = m->action.ring;
	else if ((act & SNIC_ACT_MARK_SW) && !own_mac(m))
		ring = FW_SHARED_RING;
	else
		ring = fw.vnic[vnic].rx_ring;

	uint16_t flags = SNIC_RXF_HIT;
	if (ring == FW_SHARED_RING)
		flags |= SNIC_RXF_MARK_SW; /* the host software classifier splits it */
	if (m->key_flags & SNIC_KF_ERR)
		flags |= SNIC_RXF_KEYERR;
	if (len > fw.hw.buf_max)
		return SNIC_DROP_TOO_LONG;
	/* Police on the arrival time; frames that never fit do not take tokens. */
	uint16_t meter = m->action.meter;
	uint8_t color = METER_GREEN;
	if ((act & SNIC_ACT_METER) && meter < FW_MAX_METERS && fw.meters[meter].kind != METER_OFF) {
		color = (uint8_t)meter_police(&fw.meters[meter], p->time_ns, len);
		if (color == METER_RED && !(fw.meter_flags[meter] & SNIC_METERF_MARK))
			return SNIC_DROP_METER;
	} else {
		meter = SNIC_METER_NONE;
	}
	return deliver(ring, p, vnic, flags, meter, color);
}

/* Only a frame of the beacon ethertype can be one of our team beacons:
 * the common case is settled here, without a call. */
static inline bool maybe_beacon(const struct hal_rx_pkt *p)
{
	return p->len >= FW_MIN_FRAME && p->data[12] == (SNIC_BEACON_ETHERTYPE >> 8) &&
	       p->data[13] == (SNIC_BEACON_ETHERTYPE & 0xff);
}

static void batch_end(void)
{
	struct snic_blk_stats *s = FW_STATS();

	for (uint16_t r = 0; batch_open; r++) {
		if (batch_open & (1u << r)) {
			batch_open &= ~(1u << r);
			ring_close(r);
		}
	}
	s->cls_lookups += rxc.lookups;
	s->cls_hits += rxc.hits;
	rxc.lookups = rxc.hits = 0;
	for (unsigned u = 0; u < SNIC_MAX_UPLINKS; u++) {
		if (!rxc.port_pkts[u])
			continue;
		s->port[u].rx_packets += rxc.port_pkts[u];
		s->port[u].rx_bytes += rxc.port_bytes[u];
		rxc.port_pkts[u] = 0;
		rxc.port_bytes[u] = 0;
	}
}

unsigned fw_rx_poll(void)
{
	struct hal_rx_pkt p;
	unsigned n = 0;

	gates_check();
	while (n < FW_RX_BUDGET && hal_rx_next(&p)) {
		/* Our own beacons (team probing) end here, never in a ring. */
		int reason = maybe_beacon(&p) && fw_beacon_rx(&p) ? HAL_DELIVERED : steer(&p);
		if (reason != HAL_DELIVERED)
			fw_count_drop(reason);
		hal_rx_done(&p, reason);
		n++;
	}
	if (n)
		batch_end();
	return n;
}

/* One interrupt per ring per poll batch, however many frames it got. */
void fw_rx_raise_irqs(void)
{
	for (uint16_t r = 0; r < fw.hw.n_rx_rings; r++) {
		if (!fw.irq_pending[r] || gate[r].on)
			continue; /* a gated ring interrupts once it opens */
		fw.irq_pending[r] = false;
		FW_RXQ(r)->irq_count++;
		hal_irq(r);
	}
}
