/* SPDX-License-Identifier: MIT */
/* Token-bucket arithmetic; see meter.h for the units. The per-packet
 * operations (policing, the shaper's try) are inline in meter.h. */
#include "meter.h"

static void bucket_setup(struct meter_bucket *b, uint64_t rate, uint32_t burst)
{
	b->rate = rate;
	b->depth = (uint64_t)burst * METER_UNITS_PER_BYTE;
	b->tok = b->depth;
	/* ceil(depth / rate) + 1: beyond this a bucket is full whatever it held. */
	b->fill_ns = rate ? b->depth / rate + 1 : 0;
}

void meter_setup(struct meter *m, enum meter_kind kind, bool wire, uint64_t now_ns,
		 uint64_t cir, uint32_t cbs, uint64_t eir, uint32_t ebs)
{
	m->kind = (uint8_t)kind;
	m->wire = wire;
	m->last_ns = now_ns;
	bucket_setup(&m->c, cir, cbs);
	/* srTCM: E fills from C's overflow at CIR. */
	bucket_setup(&m->e, kind == METER_SRTCM ? cir : eir, ebs);
	if (kind == METER_SRTCM)
		m->e.fill_ns = m->c.fill_ns + m->e.fill_ns;
	for (int i = 0; i < 3; i++)
		m->pkts[i] = m->bytes[i] = 0;
}

enum meter_color meter_police(struct meter *m, uint64_t now_ns, uint32_t len)
{
	uint64_t bytes = meter_bytes(m->wire, len);
	uint64_t cost = bytes * METER_UNITS_PER_BYTE;

	meter_refill(m, now_ns);
	switch (m->kind) {
	case METER_SRTCM:
	case METER_TRTCM_EXCESS:
		if (m->c.tok >= cost) {
			m->c.tok -= cost;
			return meter_count(m, METER_GREEN, bytes);
		}
		if (m->e.tok >= cost) {
			m->e.tok -= cost;
			return meter_count(m, METER_YELLOW, bytes);
		}
		return meter_count(m, METER_RED, bytes);
	case METER_TRTCM_PEAK: /* e is the peak bucket P */
		if (m->e.tok < cost)
			return meter_count(m, METER_RED, bytes);
		m->e.tok -= cost;
		if (m->c.tok < cost)
			return meter_count(m, METER_YELLOW, bytes);
		m->c.tok -= cost;
		return meter_count(m, METER_GREEN, bytes);
	default:
		return meter_count(m, METER_GREEN, bytes);
	}
}

/* Out of line: most of the 64-bit code of a shaper on a 32-bit core, once
 * per transmit batch (or frame of the shared TRR). The E bucket is the
 * peak limiter; rate 0 means none. */
uint64_t meter_shaper_budget(struct meter *m, uint64_t now_ns)
{
	/* meter_refill for a METER_SHAPER: no srTCM branch to carry. */
	if (now_ns > m->last_ns) {
		uint64_t dt = now_ns - m->last_ns;
		m->last_ns = now_ns;
		m->c.tok += meter_earned(&m->c, dt, m->c.depth - m->c.tok);
		m->e.tok += meter_earned(&m->e, dt, m->e.depth - m->e.tok);
	}
	return m->e.rate && m->e.tok < m->c.tok ? m->e.tok : m->c.tok;
}

void meter_shaper_untake(struct meter *m, uint32_t len)
{
	uint64_t bytes = meter_bytes(m->wire, len);
	uint64_t cost = bytes * METER_UNITS_PER_BYTE;

	m->c.tok += cost;
	if (m->e.rate)
		m->e.tok += cost;
	m->pkts[METER_GREEN]--;
	m->bytes[METER_GREEN] -= bytes;
}

static uint64_t bucket_wait(const struct meter_bucket *b, uint64_t cost)
{
	if (!b->rate || b->tok >= cost)
		return 0;
	uint64_t need = cost - b->tok;
	return (need + b->rate - 1) / b->rate;
}

uint64_t meter_shaper_wait_ns(const struct meter *m, uint32_t len)
{
	uint64_t cost = meter_bytes(m->wire, len) * METER_UNITS_PER_BYTE;
	uint64_t wc = bucket_wait(&m->c, cost), we = bucket_wait(&m->e, cost);
	return wc > we ? wc : we;
}
