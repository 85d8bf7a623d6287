/* SPDX-License-Identifier: MIT */
/*
 * Token buckets for policers (srTCM RFC 2697, trTCM RFC 2698 and RFC 4115)
 * and the transmit shaper, in exact integer arithmetic on the device clock.
 *
 * Tokens are counted in units of 1e-9 bit: a rate of r bit/s earns exactly
 * r units per nanosecond and a byte costs 8e9 units, so no rate from
 * 1 Mbit/s to 400 Gbit/s ever loses a fraction to rounding. Buckets of up
 * to 1 GiB fit 64 bits (2^30 * 8e9 < 2^63). Pure functions: no HAL, no
 * globals, usable from tests and any target. What runs per packet is
 * inline below; configuration and the shaper's bookkeeping in meter.c.
 */
#ifndef SNIC_FW_METER_H
#define SNIC_FW_METER_H

#include <stdbool.h>
#include <stdint.h>

#define METER_UNITS_PER_BYTE 8000000000ull
#define METER_RATE_MIN       1000000ull        /* 1 Mbit/s */
#define METER_RATE_MAX       400000000000ull   /* 400 Gbit/s */
#define METER_BURST_MAX      (1u << 30)        /* bytes per bucket */
#define METER_WIRE_EXTRA     24u  /* preamble+SFD 8, FCS 4, inter-frame gap 12 */
#define METER_WIRE_MIN_FRAME 60u  /* frames are padded to 60 bytes before FCS */

enum meter_color { METER_GREEN = 0, METER_YELLOW = 1, METER_RED = 2 };

enum meter_kind {
	METER_OFF = 0,
	METER_SRTCM,      /* RFC 2697: C fills at CIR, overflow into E */
	METER_TRTCM_PEAK, /* RFC 2698: P at PIR, C at CIR */
	METER_TRTCM_EXCESS, /* RFC 4115: C at CIR, E at EIR, independent */
	METER_SHAPER,     /* average (C) and optional peak (E) bucket */
};

struct meter_bucket {
	uint64_t tok;     /* units */
	uint64_t depth;   /* units */
	uint64_t rate;    /* bit/s = units per ns */
	uint64_t fill_ns; /* from empty to full, so rate * dt never overflows */
};

struct meter {
	uint8_t  kind;    /* enum meter_kind */
	bool     wire;    /* wire-byte accounting */
	uint64_t last_ns; /* time of the last refill */
	struct meter_bucket c, e;
	/* counters by colour (shaper: green = sent) */
	uint64_t pkts[3], bytes[3];
};

/* Bytes a frame of `len` (L2, without FCS) costs under the accounting. */
static inline uint64_t meter_bytes(bool wire, uint32_t len)
{
	if (!wire)
		return len;
	return (uint64_t)(len < METER_WIRE_MIN_FRAME ? METER_WIRE_MIN_FRAME : len) +
	       METER_WIRE_EXTRA;
}

/* Configure (buckets start full, as the RFCs say). Rates/bursts must have
 * been validated: rate within METER_RATE_MIN..MAX or 0 for an unused E
 * bucket, bursts <= METER_BURST_MAX. */
void meter_setup(struct meter *m, enum meter_kind kind, bool wire, uint64_t now_ns,
		 uint64_t cir, uint32_t cbs, uint64_t eir, uint32_t ebs);


/*
 * Shaper, as DPDK's rte_meter splits it: the configuration and the tiny
 * state are the struct meter; a transmit batch asks once what it may
 * spend (meter_shaper_budget: the refill at now_ns, then the smaller of
 * C and, when it has a rate, the peak bucket E, in units), checks each
 * frame's cost (meter_shaper_cost) against what is left, and spends what
 * the frames that left cost (meter_shaper_spend). One frame:
 * meter_shaper_try. Every transmit path uses these.
 */
uint64_t meter_shaper_budget(struct meter *m, uint64_t now_ns);
/* Shaper: give back exactly what a successful meter_shaper_try took, for
 * a frame that did not leave after all (no refill may come between). */
void meter_shaper_untake(struct meter *m, uint32_t len);
/* Shaper: nanoseconds until a frame of `len` may leave (0 = now). */
uint64_t meter_shaper_wait_ns(const struct meter *m, uint32_t len);

/* ---- per packet: inline, they are most of a frame's metering cost ---- */

/* Tokens a bucket earns in dt ns, never more than `room`. */
static inline uint64_t meter_earned(const struct meter_bucket *b, uint64_t dt, uint64_t room)
{
	if (!b->rate)
		return 0;
	if (dt >= b->fill_ns)
		return room;
	uint64_t add = b->rate * dt; /* < depth + rate: no overflow */
	return add < room ? add : room;
}

/*
 * Earn tokens for the time since the last refill. A clock that went
 * backwards earns nothing (and does not rewind); a clock that did not move
 * (all frames of one transmit poll) costs one compare.
 */
/* srTCM: E fills from C's overflow at CIR (e.rate == CIR, never 0): C
 * first, the rest into E, each up to its depth. */
static inline void meter_refill_srtcm(struct meter *m, uint64_t dt)
{
	uint64_t c_room = m->c.depth - m->c.tok;
	uint64_t add = dt >= m->e.fill_ns ? UINT64_MAX : m->e.rate * dt;
	if (add <= c_room) {
		m->c.tok += add;
		return;
	}
	m->c.tok = m->c.depth;
	uint64_t e_room = m->e.depth - m->e.tok;
	if (!e_room)
		return; /* both full: the common case of a policer with headroom */
	add -= c_room;
	m->e.tok += add < e_room ? add : e_room;
}

static inline void meter_refill(struct meter *m, uint64_t now_ns)
{
	if (now_ns <= m->last_ns)
		return;
	uint64_t dt = now_ns - m->last_ns;
	m->last_ns = now_ns;

	if (m->kind == METER_SRTCM) {
		meter_refill_srtcm(m, dt);
		return;
	}
	m->c.tok += meter_earned(&m->c, dt, m->c.depth - m->c.tok);
	m->e.tok += meter_earned(&m->e, dt, m->e.depth - m->e.tok);
}

static inline enum meter_color meter_count(struct meter *m, enum meter_color c, uint64_t bytes)
{
	m->pkts[c]++;
	m->bytes[c] += bytes;
	return c;
}

/* Policers: colour one frame of `len` bytes arriving at now_ns (colour-blind).
 * A function of its own (meter.c): a leaf call costs less than the
 * registers it would take inside the receive loop. */
enum meter_color meter_police(struct meter *m, uint64_t now_ns, uint32_t len);

/* meter_police for a METER_SRTCM meter, without the dispatch on the kind:
 * the same arithmetic, so the same colours and tokens. Inline for the
 * receive path, which may count the colours itself (meter_srtcm_take:
 * tokens of `cost` units, no counters). */
static inline enum meter_color meter_srtcm_take(struct meter *m, uint64_t now_ns, uint64_t cost)
{
	if (now_ns > m->last_ns) {
		meter_refill_srtcm(m, now_ns - m->last_ns);
		m->last_ns = now_ns;
	}
	if (m->c.tok >= cost) {
		m->c.tok -= cost;
		return METER_GREEN;
	}
	if (m->e.tok >= cost) {
		m->e.tok -= cost;
		return METER_YELLOW;
	}
	return METER_RED;
}

static inline enum meter_color meter_srtcm(struct meter *m, uint64_t now_ns, uint32_t len)
{
	uint64_t bytes = meter_bytes(m->wire, len);

	return meter_count(m, meter_srtcm_take(m, now_ns, bytes * METER_UNITS_PER_BYTE), bytes);
}

/* Shaper: what a frame of `len` costs, in units (its bytes in *bytes). */
static inline uint64_t meter_shaper_cost(const struct meter *m, uint32_t len, uint64_t *bytes)
{
	*bytes = meter_bytes(m->wire, len);
	return *bytes * METER_UNITS_PER_BYTE;
}

/* Shaper: `pkts` frames of `bytes` left, costing `units` (at most what
 * meter_shaper_budget allowed): taken from C and E, counted green. */
static inline void meter_shaper_spend(struct meter *m, uint64_t units, uint32_t pkts,
				      uint64_t bytes)
{
	m->c.tok -= units;
	if (m->e.rate)
		m->e.tok -= units;
	m->pkts[METER_GREEN] += pkts;
	m->bytes[METER_GREEN] += bytes;
}

/* Shaper, one frame: when a frame of `len` may leave at now_ns, take its
 * tokens and return true; else only refill and return false. */
static inline bool meter_shaper_try(struct meter *m, uint64_t now_ns, uint32_t len)
{
	uint64_t bytes, cost = meter_shaper_cost(m, len, &bytes);

	if (meter_shaper_budget(m, now_ns) < cost)
		return false;
	meter_shaper_spend(m, cost, 1, bytes);
	return true;
}

#endif
