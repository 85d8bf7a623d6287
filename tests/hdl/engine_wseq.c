/* SPDX-License-Identifier: MIT */
/*
 * Directed checks of the ternary table's write sequence for
 * test_engine_diff: an entry is stored in 2^SLICE RAM writes behind a
 * pending slot, so these check that a burst of writes (more than the
 * slots) is taken in order and lands whole, and that an entry rewritten
 * or cleared while its RAM copy is half done still answers old or new,
 * never anything else, before, during and after the copy.
 */
#include <stdio.h>
#include <string.h>

#include "classifier.h"
#include "engine_wseq.h"

struct snic_rule exact_rule(const struct snic_key *k, uint16_t vnic, uint8_t flags)
{
	struct snic_rule rule;
	memset(&rule, 0, sizeof(rule));
	rule.value = *k;
	/* every byte the model stores (its profile's fields) */
	uint64_t keep = snic_key_fields_bytes(engine_key_fields());
	uint8_t *m = (uint8_t *)&rule.mask;
	for (unsigned i = 0; i < SNIC_KEY_BYTES; i++)
		m[i] = keep >> i & 1 ? 0xff : 0;
	rule.action.vnic = vnic;
	rule.action.ring = SNIC_RING_DEFAULT;
	rule.action.meter = SNIC_METER_NONE;
	rule.action.flags = flags;
	return rule;
}

void udp_frame(struct pkt *p, uint16_t dport)
{
	static const uint8_t base[42] = {
		0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 9, 0x08, 0x00,
		0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 9, 10, 0, 0, 1,
		0x30, 0x39, 0, 0, 0, 8, 0, 0,
	};
	memset(p, 0, sizeof(*p));
	memcpy(p->data, base, sizeof(base));
	p->data[36] = (uint8_t)(dport >> 8);
	p->data[37] = (uint8_t)dport;
	/* the source MAC too, so frames differ where a narrow key looks */
	p->data[10] = (uint8_t)(dport >> 8);
	p->data[11] = (uint8_t)dport;
	p->caplen = p->frame_len = 60;
	p->port = 1;
}

void two_frames(struct pkt *a, struct pkt *b, struct snic_key *ka, struct snic_key *kb)
{
	udp_frame(a, 80);
	udp_frame(b, 443);
	snic_parse(a->data, a->caplen, a->frame_len, a->port, ka);
	snic_parse(b->data, b->caplen, b->frame_len, b->port, kb);
}

#define BURST 12   /* entry writes issued at once: more than the pending slots */

/*
 * BURST entry writes issued before one clock (entries 20.., each for its
 * own UDP port) while frames for the last of them stream: its results go
 * from miss to hit once and stay there, and afterwards every entry hits.
 */
int test_write_burst(struct engine *e, unsigned latency)
{
	struct pkt p[BURST];
	struct snic_key k;
	struct snic_match m;
	struct snic_rule r;
	uint32_t tag;
	unsigned clocks = 0, seen = 0, hits_last = 0;
	int ok = 1, hit_before = 0;

	for (unsigned i = 0; i < BURST; i++) {
		udp_frame(&p[i], (uint16_t)(1000 + i));
		snic_parse(p[i].data, p[i].caplen, p[i].frame_len, p[i].port, &k);
		r = exact_rule(&k, (uint16_t)(10 + i), 0);
		engine_write(e, 20 + i, &r);
	}
	const struct pkt *last = &p[BURST - 1];
	/* until the last write was taken and has answered for longer than
	 * the copies of every pending slot take (4 x 64 clocks) */
	while (ok && (!engine_write_ready(e) || hits_last < 300) && clocks < BURST * 100) {
		engine_push(e, last->data, last->caplen, last->frame_len, last->port, clocks);
		engine_clock(e);
		clocks++;
		if (!engine_pop(e, &tag, NULL, &m))
			continue;
		seen++;
		int hit = m.rule == 20 + BURST - 1 && m.action.vnic == 10 + BURST - 1;
		ok &= hit || (m.rule == SNIC_RULE_MISS && !hit_before);
		hit_before |= hit;
		hits_last += hit;
	}
	for (unsigned i = 0; i < latency; i++) {
		engine_clock(e);
		seen += engine_pop(e, NULL, NULL, NULL);
	}
	ok &= seen == clocks && hits_last >= 300 && engine_write_ready(e);
	printf("# %d entry writes in one burst: the last one answers from clock %u\n", BURST,
	       clocks - hits_last);
	for (unsigned i = 0; i < BURST && ok; i++) {
		engine_push(e, p[i].data, p[i].caplen, p[i].frame_len, p[i].port, i);
		for (unsigned c = 0; c < latency; c++)
			engine_clock(e);
		ok &= engine_pop(e, &tag, NULL, &m) && tag == i && m.rule == 20 + i &&
		      m.action.vnic == 10 + i;
	}
	ok &= engine_write_drops(e) == 0;
	for (unsigned i = 0; i < BURST; i++) {
		engine_write(e, 20 + i, NULL);   /* clears: one per clock, no slot */
		engine_clock(e);
	}
	for (unsigned i = 0; i < latency + 2; i++)
		engine_clock(e);
	return ok;
}

/* Writes of entry 5 at these clocks, while frames A (even clocks) and B
 * (odd) stream: for A, then for B (A's copy half done), then a clear (B's
 * copy half done), then for A again, left to finish. */
enum { W_A = 0, W_B = 30, W_CLEAR = 70, W_A2 = 140, W_END = 260 };

static int want_hit(uint32_t t)
{
	if (t % 2 == 0)
		return t < W_B || t >= W_A2;
	return t >= W_B && t < W_CLEAR;
}

int test_write_mid_drain(struct engine *e, unsigned latency)
{
	struct pkt a, b;
	struct snic_key ka, kb;
	struct snic_rule ra, rb;
	struct snic_match m;
	uint32_t tag;
	unsigned seen = 0;
	int ok = 1;

	two_frames(&a, &b, &ka, &kb);
	ra = exact_rule(&ka, 1, 0);
	rb = exact_rule(&kb, 2, 0);
	for (uint32_t t = 0; t < W_END + latency && ok; t++) {
		if (t == W_A || t == W_B || t == W_A2)
			ok &= engine_write_ready(e);
		if (t == W_A || t == W_A2)
			engine_write(e, 5, &ra);
		else if (t == W_B)
			engine_write(e, 5, &rb);
		else if (t == W_CLEAR)
			engine_write(e, 5, NULL);
		if (t < W_END) {
			const struct pkt *p = t % 2 ? &b : &a;
			engine_push(e, p->data, p->caplen, p->frame_len, p->port, t);
		}
		engine_clock(e);
		if (!engine_pop(e, &tag, NULL, &m))
			continue;
		seen++;
		int want = want_hit(tag);
		ok &= want ? m.rule == 5 && m.action.vnic == (tag % 2 ? 2 : 1)
			   : m.rule == SNIC_RULE_MISS;
		if (!ok)
			printf("# frame %s at clock %u: rule %u vnic %u, want %s\n", tag % 2 ? "B" : "A",
			       tag, m.rule, m.action.vnic, want ? "entry 5" : "a miss");
	}
	engine_write(e, 5, NULL);
	for (unsigned i = 0; i < latency + 2; i++)
		engine_clock(e);
	return ok && seen == W_END;
}
