/* SPDX-License-Identifier: MIT */
/*
 * Receive steering: every classified frame ends up in exactly one RX ring
 * or is dropped with exactly one reason, counted in stats.drops[] (and in
 * the ring's own drop counters where it has one).
 *
 * Host-written ring words (desc_prod, cpl_cons, descriptors) are untrusted:
 * the device indices live in firmware memory, descriptors are copied out
 * before they are checked, and nonsense indices mean "no buffers".
 */
#include "fw_internal.h"
#include "team.h"

static uint32_t desc_cons[FW_MAX_RINGS]; /* descriptors taken */
static uint32_t cpl_prod[FW_MAX_RINGS];  /* completions written */

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
		desc_cons[r] = 0;
		cpl_prod[r] = 0;
		fw.irq_pending[r] = false;
		gate[r].on = false;
	}
}

void fw_rx_gate(uint16_t ring, uint16_t src)
{
	if (ring == src || ring >= fw.hw.n_rx_rings || src >= fw.hw.n_rx_rings)
		return;
	gate[ring].on = true;
	gate[ring].src = src;
	gate[ring].until = cpl_prod[src];
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
		fw_store_rel(&FW_RXQ(r)->cpl_prod, cpl_prod[r]);
	}
}

struct verdict {
	uint16_t vnic, flags, meter;
	uint8_t  color;
};

static int deliver(uint16_t r, const struct hal_rx_pkt *p, const struct verdict *v)
{
	struct snic_rxq *q = FW_RXQ(r);
	const uint32_t size = fw.hw.ring_size;
	uint32_t posted = fw_load_acq(&q->desc_prod) - desc_cons[r];
	uint32_t pending = cpl_prod[r] - fw_load_acq(&q->cpl_cons);

	if (posted == 0 || posted > size || pending >= size) {
		q->drop_full++;
		return SNIC_DROP_RING_FULL;
	}

	struct snic_rx_desc d;
	const struct snic_rx_desc *ring = fw_at(fw.lay.rx_desc[r]);
	fw_memcpy(&d, &ring[desc_cons[r] % size], sizeof(d));
	if (d.rsvd || d.len < p->len || !fw_dma_ok(d.addr, d.len)) {
		/* Consume it so the ring does not wedge on one bad buffer. */
		desc_cons[r]++;
		fw_store_rel(&q->desc_cons, desc_cons[r]);
		q->drop_badbuf++;
		return SNIC_DROP_BAD_BUF;
	}
	fw_memcpy(fw_at((uint32_t)d.addr), p->data, p->len);

	struct snic_rx_cpl c;
	fw_memset(&c, 0, sizeof(c));
	c.len = p->len;
	c.vnic = v->vnic;
	c.rule = p->match.rule;
	c.flags = v->flags;
	c.meter = v->meter;
	c.color = v->color;
	c.port = p->port;
	c.key_flags = p->match.key_flags;
	c.time_ns = p->time_ns;
	c.desc = desc_cons[r];
	struct snic_rx_cpl *cpls = fw_at(fw.lay.rx_cpl[r]);
	fw_memcpy(&cpls[cpl_prod[r] % size], &c, sizeof(c));

	cpl_prod[r]++;
	desc_cons[r]++;
	if (!gate[r].on)
		fw_store_rel(&q->cpl_prod, cpl_prod[r]);
	fw_store_rel(&q->desc_cons, desc_cons[r]);
	q->packets++;
	q->bytes += p->len;
	if (fw_load_acq(&q->mode) == SNIC_MODE_INTR && fw_load_acq(&q->intr_enable))
		fw.irq_pending[r] = true;
	return HAL_DELIVERED;
}

/* Returns HAL_DELIVERED or the enum snic_drop_reason. */
static int steer(const struct hal_rx_pkt *p)
{
	struct snic_blk_stats *s = FW_STATS();
	const struct snic_match *m = &p->match;

	s->cls_lookups++;
	if (m->rule != SNIC_RULE_MISS)
		s->cls_hits++;
	if (p->port >= fw.hw.n_uplinks || !fw.port_up[p->port])
		return SNIC_DROP_PORT_DOWN;
	s->port[p->port].rx_packets++;
	s->port[p->port].rx_bytes += p->len;
	if (p->len < FW_MIN_FRAME)
		return SNIC_DROP_RUNT;
	if (m->rule == SNIC_RULE_MISS)
		return SNIC_DROP_NO_MATCH;
	if (m->action.flags & SNIC_ACT_DROP)
		return SNIC_DROP_RULE;
	if (!fw_vnic_exists(m->action.vnic))
		return SNIC_DROP_NO_VNIC;

	uint16_t ring;
	/* A hit on the VNIC's own MAC entry follows the VNIC's ring now: a
	 * frame classified just before a RING_BIND rewrote the entry would
	 * otherwise land on the old ring after the move and overtake nothing
	 * the gate holds back (reordering). Every exact-match entry is a
	 * VNIC's own MAC entry (vnic.c). */
	bool own_mac = m->rule == fw.mac_base + m->action.vnic ||
		       (m->rule >= SNIC_RULE_EXACT && m->rule != SNIC_RULE_MISS);
	if (m->action.ring != SNIC_RING_DEFAULT && m->action.ring < fw.hw.n_rx_rings)
		ring = m->action.ring;
	else if ((m->action.flags & SNIC_ACT_MARK_SW) && !own_mac)
		ring = FW_SHARED_RING;
	else
		ring = fw.vnic[m->action.vnic].rx_ring;

	struct verdict v = { m->action.vnic, SNIC_RXF_HIT, SNIC_METER_NONE, METER_GREEN };
	if (ring == FW_SHARED_RING)
		v.flags |= SNIC_RXF_MARK_SW; /* the host software classifier splits it */
	if (m->key_flags & SNIC_KF_ERR)
		v.flags |= SNIC_RXF_KEYERR;
	if (p->len > fw.hw.buf_max)
		return SNIC_DROP_TOO_LONG;
	/* Police on the arrival time; frames that never fit do not take tokens. */
	if ((m->action.flags & SNIC_ACT_METER) && fw_policer_exists(m->action.meter)) {
		v.meter = m->action.meter;
		v.color = (uint8_t)meter_police(&fw.meters[v.meter], p->time_ns, p->len);
		if (v.color == METER_RED && !(fw.meter_flags[v.meter] & SNIC_METERF_MARK))
			return SNIC_DROP_METER;
	}
	return deliver(ring, p, &v);
}

unsigned fw_rx_poll(void)
{
	struct hal_rx_pkt p;
	unsigned n = 0;

	gates_check();
	while (n < FW_RX_BUDGET && hal_rx_next(&p)) {
		/* Our own beacons (team probing) end here, never in a ring. */
		int reason = fw_beacon_rx(&p) ? HAL_DELIVERED : steer(&p);
		if (reason != HAL_DELIVERED)
			fw_count_drop(reason);
		hal_rx_done(&p, reason);
		n++;
	}
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
