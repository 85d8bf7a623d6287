/* SPDX-License-Identifier: MIT */
/*
 * Differential test: the Verilated match engine against the C reference
 * classifier, frame by frame, over many random rule sets and table fills,
 * with table writes and RSS key/type changes interleaved with lookups in
 * flight. Any difference in key, rule index, action, RSS hash or latency
 * fails the run and prints the first mismatch. TAP output.
 *
 *   test_engine_diff [rule_sets [packets_per_set [seed]]]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier.h"
#include "exact.h"
#include "rss.h"
#include "engine.h"
#include "pktgen.h"
#include "engine_rss.h"
#include "engine_wseq.h"

#define MAX_DEPTH   4096
#define MAX_EXACT   32768
#define SAMPLES     64
#define INFLIGHT    256   /* tags in flight, > latency */

static int tap_n;
static int failed;

/* The key bytes the model's ternary table stores: random rules mask only
 * those, as the firmware accepts no others for the profile. */
static uint64_t keep_bytes(void)
{
	return snic_key_fields_bytes(engine_key_fields());
}

static void tap(int ok, const char *fmt, const char *name)
{
	printf("%s %d - %s%s\n", ok ? "ok" : "not ok", ++tap_n, fmt, name);
	if (!ok)
		failed = 1;
}

/* The reference table, kept equal to what was written to the engine. */
struct ref {
	struct snic_rule entries[MAX_DEPTH];
	uint8_t          valid[MAX_DEPTH];
	uint64_t         hits[MAX_DEPTH];
	struct snic_tcam t;
	struct snic_exact_slot xslots[MAX_EXACT];
	struct snic_exact x;
	struct snic_rss_cfg rss;   /* all zero: hashing off, as after reset */
};

static struct ref ref;

struct expect {
	struct pkt        pkt;
	struct snic_key   key;
	struct snic_match m;
	uint64_t          cycle;
	int               live;
};

static struct expect inflight[INFLIGHT];
static uint64_t cycle;
static uint64_t ref_hits_total, ref_err_total, ref_exact_total;
static uint64_t ref_exact_kind[3];
static uint64_t ref_rss_kind[7];    /* RSS: no hash, then per SNIC_RSS_HT_* bit */
static uint64_t rss_writes;  /* exact hits: untagged, priority-tagged, VID 1..4095 */
static unsigned latency, depth, exact_slots;

static void ref_init(void)
{
	memset(&ref, 0, sizeof(ref));
	ref.t.depth = depth;
	ref.t.entries = ref.entries;
	ref.t.valid = ref.valid;
	ref.x.buckets = exact_slots / (SNIC_EXACT_WAYS * SNIC_EXACT_SLOTS);
	ref.x.slots = ref.xslots;
}

static void do_exact_write(struct engine *e, uint32_t slot, uint64_t xkey,
			   const struct snic_action *a)
{
	engine_exact_write(e, slot, xkey, a);
	if (slot >= exact_slots)
		return;
	ref.xslots[slot].valid = a != NULL;
	ref.xslots[slot].key = a ? xkey : 0;
	if (a)
		ref.xslots[slot].action = *a;
}

/* An exact entry for `k`, usually in one of its two candidate buckets. */
static void random_exact(struct engine *e, struct rng *r, const struct snic_key *k)
{
	struct snic_rule tmp;
	uint64_t xkey = snic_exact_key(k);
	uint32_t way = rng_below(r, SNIC_EXACT_WAYS), slot;

	if (rng_pct(r, 10))
		xkey ^= 1ull << rng_below(r, 64);
	else if (rng_pct(r, 10))
		xkey ^= SNIC_EXACT_TAGGED;  /* the frame's tagged/untagged twin */
	slot = (way * ref.x.buckets + snic_exact_bucket(xkey, way, ref.x.buckets)) *
	       SNIC_EXACT_SLOTS + rng_below(r, SNIC_EXACT_SLOTS);
	if (rng_pct(r, 5))
		slot = rng_below(r, exact_slots + 8);   /* anywhere, or out of range */
	rule_random(r, k, keep_bytes(), &tmp);
	if (rng_pct(r, 15))
		do_exact_write(e, slot, xkey, NULL);
	else
		do_exact_write(e, slot, xkey, &tmp.action);
}

/*
 * A table write for the next edge, as the firmware's write port sees it:
 * an entry write goes only while the table has a free pending slot
 * (engine_write_ready), so it is taken at that very edge. Returns 0 when
 * it had to wait (nothing written).
 */
static int do_write(struct engine *e, uint32_t idx, const struct snic_rule *rule)
{
	if (rule && !engine_write_ready(e))
		return 0;
	engine_write(e, idx, rule);
	if (idx >= depth)
		return 1;
	ref.valid[idx] = rule != NULL;
	if (rule)
		ref.entries[idx] = *rule;
	ref.hits[idx] = 0;
	return 1;
}

static void do_rss_write(struct engine *e, const struct snic_rss_cfg *cfg)
{
	engine_rss_write(e, cfg);
	if (cfg)
		ref.rss = *cfg;
	else
		memset(&ref.rss, 0, sizeof(ref.rss));
	rss_writes++;
}


/* A random key (or the spec's), random enabled types, sometimes off. */
static void random_rss(struct engine *e, struct rng *r)
{
	struct snic_rss_cfg c;

	memset(&c, 0, sizeof(c));
	for (unsigned i = 0; i < SNIC_RSS_KEY_BYTES; i++)
		c.key[i] = (uint8_t)rng_next(r);
	if (rng_pct(r, 20))
		memcpy(c.key, rss_ms_key, sizeof(rss_ms_key));
	c.types = rng_pct(r, 40) ? SNIC_RSS_HT_ALL : (uint8_t)rng_below(r, 256);
	if (rng_pct(r, 5))
		do_rss_write(e, NULL);
	else
		do_rss_write(e, &c);
}

static void do_push(struct engine *e, const struct pkt *p, uint32_t tag)
{
	struct expect *x = &inflight[tag % INFLIGHT];

	x->pkt = *p;
	snic_parse(p->data, p->caplen, p->frame_len, p->port, &x->key);
	snic_classify(&ref.t, &ref.x, &x->key, &x->m);
	snic_rss_apply(&ref.rss, &x->key, &x->m);
	ref_rss_kind[x->m.hash_type ? __builtin_ctz(x->m.hash_type) + 1 : 0]++;
	if (x->m.rule < SNIC_RULE_EXACT && (x->m.action.flags & SNIC_ACT_COUNT))
		ref.hits[x->m.rule]++;
	ref_hits_total += x->m.rule != SNIC_RULE_MISS;
	if (x->m.rule != SNIC_RULE_MISS && x->m.rule >= SNIC_RULE_EXACT) {
		int vid = (x->key.vlan[0] & 0x0f) << 8 | x->key.vlan[1];
		ref_exact_total++;
		ref_exact_kind[!(x->key.flags & SNIC_KF_VLAN) ? 0 : vid ? 2 : 1]++;
	}
	ref_err_total += (x->key.flags & SNIC_KF_ERR) != 0;
	x->cycle = cycle;
	x->live = 1;
	engine_push(e, p->data, p->caplen, p->frame_len, p->port, tag);
}

static void print_match(const char *what, const struct snic_match *m)
{
	printf("# %s: rule %u key_flags 0x%02x action vnic %u ring %u meter %u flags 0x%02x gen %u"
	       " hash %08x type 0x%02x\n", what, m->rule, m->key_flags, m->action.vnic,
	       m->action.ring, m->action.meter, m->action.flags, m->action.gen, m->hash,
	       m->hash_type);
}

/* Clock once and check what comes out. Returns 0 on a mismatch. */
static int step(struct engine *e, uint64_t *checked)
{
	uint32_t tag;
	struct snic_key key;
	struct snic_match m;
	struct expect *x;

	engine_clock(e);
	cycle++;
	if (!engine_pop(e, &tag, &key, &m))
		return 1;
	x = &inflight[tag % INFLIGHT];
	if (!x->live) {
		printf("# result with unknown tag %u at cycle %" PRIu64 "\n", tag, cycle);
		return 0;
	}
	x->live = 0;
	(*checked)++;
	if (memcmp(&key, &x->key, sizeof(key)) || memcmp(&m, &x->m, sizeof(m)) ||
	    cycle - x->cycle != latency) {
		printf("# MISMATCH tag %u: latency %" PRIu64 " (want %u)\n", tag,
		       cycle - x->cycle, latency);
		pkt_dump("frame", &x->pkt);
		key_dump("want key", &x->key);
		key_dump("got  key", &key);
		print_match("want", &x->m);
		print_match("got ", &m);
		if (m.rule != SNIC_RULE_MISS && m.rule >= SNIC_RULE_EXACT) {
			uint32_t sl = m.rule - SNIC_RULE_EXACT;
			uint64_t xk = snic_exact_key(&x->key);
			printf("# exact key %016" PRIx64 " buckets %u/%u; ref slot %u: valid %u key %016"
			       PRIx64 "\n", xk, snic_exact_bucket(xk, 0, ref.x.buckets),
			       snic_exact_bucket(xk, 1, ref.x.buckets), sl,
			       ref.xslots[sl].valid, ref.xslots[sl].key);
		}
		return 0;
	}
	return 1;
}

static int drain(struct engine *e, uint64_t *checked)
{
	for (unsigned i = 0; i < latency + 2; i++)
		if (!step(e, checked))
			return 0;
	for (unsigned i = 0; i < INFLIGHT; i++)
		if (inflight[i].live) {
			printf("# packet tag %u never came out\n", i);
			return 0;
		}
	return 1;
}

static int check_hits(struct engine *e)
{
	for (unsigned i = 0; i < depth; i++) {
		uint64_t got = engine_hits(e, i);
		if (got != ref.hits[i]) {
			printf("# hit counter %u: got %" PRIu64 " want %" PRIu64 "\n", i, got,
			       ref.hits[i]);
			return 0;
		}
	}
	return 1;
}

/*
 * One rule set: load a random fill of the table (lookups already running),
 * then stream packets with random table writes mixed in.
 */
static int run_rule_set(struct engine *e, struct rng *r, unsigned npkts, uint64_t *checked)
{
	struct pkt samples[SAMPLES];
	struct snic_key skeys[SAMPLES];
	struct snic_rule rule;
	struct pkt p;
	/* Table fill: small, medium or up to the whole table. */
	unsigned span = rng_pct(r, 40) ? 32 : rng_pct(r, 50) ? 256 : depth;
	unsigned used = 1 + rng_below(r, span < depth ? span : depth);
	unsigned write_pct = rng_pct(r, 50) ? 1 : 10;
	/* A catch-all (all-zero mask, garbage value) in 30% of the sets. */
	int catch_all = rng_pct(r, 30) ? (int)rng_below(r, used) : -1;
	uint32_t tag = 0;

	random_rss(e, r);
	for (unsigned i = 0; i < SAMPLES; i++) {
		pkt_random(r, &samples[i]);
		snic_parse(samples[i].data, samples[i].caplen, samples[i].frame_len,
			   samples[i].port, &skeys[i]);
	}
	/* Load: every entry written (in use, or cleared), packets alongside;
	 * an entry write waits for a free pending slot. */
	for (unsigned i = 0; i < depth;) {
		if ((int)i == catch_all) {
			rule_random(r, &skeys[0], keep_bytes(), &rule);
			memset(&rule.mask, 0, sizeof(rule.mask));
			i += do_write(e, i, &rule);
		} else if (i < used && rng_pct(r, 90)) {
			rule_random(r, &skeys[rng_below(r, SAMPLES)], keep_bytes(), &rule);
			i += do_write(e, i, &rule);
		} else {
			i += do_write(e, i, NULL);
		}
		/* writes first: a write presented with a packet is seen by it */
		if (rng_pct(r, 20))
			random_exact(e, r, &skeys[rng_below(r, SAMPLES)]);
		if (rng_pct(r, 30)) {
			pkt_random(r, &p);
			do_push(e, &p, tag++);
		}
		if (!step(e, checked))
			return 0;
	}
	for (unsigned n = 0; n < npkts;) {
		if (rng_pct(r, write_pct)) {
			uint32_t idx = rng_pct(r, 2) ? depth + rng_below(r, 4) : rng_below(r, used);
			if (rng_pct(r, 80)) {
				rule_random(r, &skeys[rng_below(r, SAMPLES)], keep_bytes(), &rule);
				do_write(e, idx, &rule);
			} else {
				do_write(e, idx, NULL);
			}
		}
		if (rng_pct(r, write_pct))
			random_exact(e, r, &skeys[rng_below(r, SAMPLES)]);
		if (rng_below(r, 1000) < write_pct)
			random_rss(e, r);
		if (rng_pct(r, 92)) {
			if (rng_pct(r, 50))
				p = samples[rng_below(r, SAMPLES)];
			else
				pkt_random(r, &p);
			do_push(e, &p, tag++);
			n++;
		}
		if (!step(e, checked))
			return 0;
	}
	if (engine_write_drops(e)) {
		printf("# %u entry writes refused by the table\n", engine_write_drops(e));
		return 0;
	}
	return drain(e, checked) && check_hits(e);
}

/* Latency measured by clocking, against the constant the model reports. */
static void test_latency(struct engine *e)
{
	struct pkt p;
	unsigned clocks = 0;
	uint32_t tag = 0;

	udp_frame(&p, 80);
	engine_push(e, p.data, p.caplen, p.frame_len, p.port, 77);
	do {
		engine_clock(e);
		clocks++;
	} while (!engine_pop(e, &tag, NULL, NULL) && clocks < 100);
	printf("# latency %u clocks, model says %u\n", clocks, latency);
	tap(clocks == latency && tag == 77 && latency == 13, "fixed latency of 13 clocks", "");
}

/*
 * Entry 5 matches frame A (action vnic 1) and is rewritten to match only
 * frame B (vnic 2) while frame A streams every clock; entry 7 catches A
 * with vnic 3. Every result must be the old entry (5, vnic 1) for frames
 * pushed before the write and (7, vnic 3) from the write on: never entry
 * 5 with vnic 2 or any other mixture.
 */
static void test_atomic_update(struct engine *e)
{
	struct pkt a, b;
	struct snic_key ka, kb;
	struct snic_rule r5a, r5b, r7;
	uint32_t tag;
	struct snic_match m;
	int ok = 1, seen_old = 0, seen_new = 0;
	const uint32_t write_at = 20;

	two_frames(&a, &b, &ka, &kb);
	r5a = exact_rule(&ka, 1, 0);
	r5b = exact_rule(&kb, 2, 0);
	r7 = exact_rule(&ka, 3, 0);
	engine_write(e, 5, &r5a);
	engine_clock(e);
	engine_write(e, 7, &r7);
	engine_clock(e);
	for (uint32_t t = 0; t < 40 + latency; t++) {
		if (t < 40)
			engine_push(e, a.data, a.caplen, a.frame_len, a.port, t);
		if (t == write_at)
			engine_write(e, 5, &r5b);
		engine_clock(e);
		if (!engine_pop(e, &tag, NULL, &m))
			continue;
		if (tag < write_at) {
			ok &= m.rule == 5 && m.action.vnic == 1;
			seen_old++;
		} else {
			ok &= m.rule == 7 && m.action.vnic == 3;
			seen_new++;
		}
		if (!ok) {
			print_match("torn or misordered", &m);
			break;
		}
	}
	tap(ok && seen_old == (int)write_at && seen_new == 40 - (int)write_at,
	    "table write during lookups: old entry before, new entry after", "");
	engine_write(e, 5, NULL);
	engine_clock(e);
	engine_write(e, 7, NULL);
	for (unsigned i = 0; i < latency + 2; i++)
		engine_clock(e);
}

/* Counters count hits of COUNT rules only, and a write zeroes them. */
static void test_hit_counters(struct engine *e)
{
	struct pkt a;
	struct snic_key ka;
	struct snic_rule rc, rn;
	int ok;

	udp_frame(&a, 53);
	snic_parse(a.data, a.caplen, a.frame_len, a.port, &ka);
	rc = exact_rule(&ka, 4, SNIC_ACT_COUNT);
	rn = exact_rule(&ka, 4, 0);
	engine_write(e, 3, &rc);
	engine_clock(e);
	engine_write(e, 9, &rn);
	engine_clock(e);
	for (int i = 0; i < 5; i++) {
		engine_push(e, a.data, a.caplen, a.frame_len, a.port, i);
		engine_clock(e);
	}
	for (unsigned i = 0; i < latency + 2; i++)
		engine_clock(e);
	ok = engine_hits(e, 3) == 5 && engine_hits(e, 9) == 0 && engine_hits(e, depth) == 0;
	engine_write(e, 3, &rc);
	for (unsigned i = 0; i < latency + 2; i++)
		engine_clock(e);
	ok = ok && engine_hits(e, 3) == 0;
	tap(ok, "hit counters: COUNT rules only, reset by a write", "");
	engine_write(e, 3, NULL);
	engine_clock(e);
	engine_write(e, 9, NULL);
	for (unsigned i = 0; i < latency + 2; i++)
		engine_clock(e);
}

/*
 * Combining: an exact entry for frame A in way 1 gives SNIC_RULE_EXACT +
 * its slot; a ternary entry for A then wins over it; without either, miss.
 */
static void test_exact_combine(struct engine *e)
{
	struct pkt a;
	struct snic_key ka;
	struct snic_rule rt;
	struct snic_action xa = {7, 3, SNIC_METER_NONE, 0, 0};
	struct snic_match m[3];
	uint32_t tag, buckets = exact_slots / 8, slot;
	uint64_t xkey;
	int n = 0, ok;

	udp_frame(&a, 4789);
	snic_parse(a.data, a.caplen, a.frame_len, a.port, &ka);
	/* dmac 02:00:00:00:00:01, untagged */
	xkey = 0x020000000001ull << 16;
	ok = snic_exact_key(&ka) == xkey;
	slot = (buckets + snic_exact_bucket(xkey, 1, buckets)) * 4 + 2;
	rt = exact_rule(&ka, 9, 0);
	engine_exact_write(e, slot, xkey, &xa);
	engine_push(e, a.data, a.caplen, a.frame_len, a.port, 0);
	engine_clock(e);
	engine_write(e, 10, &rt);
	engine_push(e, a.data, a.caplen, a.frame_len, a.port, 1);
	engine_clock(e);
	engine_write(e, 10, NULL);
	engine_exact_write(e, slot, 0, NULL);
	engine_push(e, a.data, a.caplen, a.frame_len, a.port, 2);
	for (unsigned i = 0; i < latency + 4; i++) {
		engine_clock(e);
		if (n < 3 && engine_pop(e, &tag, NULL, &m[n]))
			ok &= tag == (uint32_t)n++;
	}
	ok &= n == 3;
	ok &= m[0].rule == SNIC_RULE_EXACT + slot && m[0].action.vnic == 7 && m[0].action.ring == 3;
	ok &= m[1].rule == 10 && m[1].action.vnic == 9;
	ok &= m[2].rule == SNIC_RULE_MISS && m[2].action.vnic == SNIC_VNIC_NONE;
	tap(ok, "exact table: slot result, ternary wins over exact, miss", "");
}

/*
 * Tagged, untagged and priority-tagged frames to one MAC: exact entries
 * for (MAC, untagged), (MAC, VID 0 tagged) and (MAC, VID 100) are three
 * keys, written by hand from the key layout (dmac << 16 | 0x1000 tagged |
 * VID). Each frame must hit its own entry in the engine and the reference
 * alike; QinQ uses the inner tag; a tag cut short counts as untagged.
 */
static void test_exact_tags(struct engine *e)
{
	static const uint8_t mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x77};
	const uint64_t base = 0x020000000077ull << 16;
	const uint64_t keys[3] = {base, base | 0x1000, base | 0x1000 | 100};
	enum { N = 7 };
	/* TCIs after the MACs (0: none), frame length, expected VNIC (0: miss). */
	static const struct { uint16_t tpid[2], tci[2]; uint32_t len; uint16_t want[2]; } f[N] = {
		{{0, 0}, {0, 0}, 60, {1, 0}},                       /* untagged */
		{{0x8100, 0}, {0xa000, 0}, 60, {2, 2}},             /* priority-tagged, PCP 5 */
		{{0x8100, 0}, {0x2064, 0}, 60, {3, 3}},             /* VID 100, PCP 1 */
		{{0x88a8, 0x8100}, {0x0007, 0x0064}, 60, {3, 3}},   /* QinQ, inner VID 100 */
		{{0x88a8, 0x8100}, {0x0064, 0xe000}, 60, {2, 2}},   /* QinQ, inner VID 0 */
		{{0x8100, 0}, {0x0064, 0}, 15, {1, 0}},             /* tag cut short */
		{{0x8100, 0}, {0x0065, 0}, 60, {0, 0}},             /* VID 101: no entry */
	};
	struct pkt p[N];
	uint32_t buckets = exact_slots / 8, slots[3];
	int ok = 1;

	for (int i = 0; i < N; i++) {
		uint32_t o = 12;
		memset(&p[i], 0, sizeof(p[i]));
		memcpy(p[i].data, mac, 6);
		memcpy(p[i].data + 6, "\x02\x00\x00\x00\x00\x09", 6);
		for (int t = 0; t < 2 && f[i].tpid[t]; t++) {
			p[i].data[o++] = (uint8_t)(f[i].tpid[t] >> 8);
			p[i].data[o++] = (uint8_t)f[i].tpid[t];
			p[i].data[o++] = (uint8_t)(f[i].tci[t] >> 8);
			p[i].data[o++] = (uint8_t)f[i].tci[t];
		}
		p[i].data[o++] = 0x88;
		p[i].data[o++] = 0xb5;
		p[i].caplen = p[i].frame_len = f[i].len;
	}
	/* Way 0 for the untagged key, way 1 for the others: any slot works. */
	for (int k = 0; k < 3; k++) {
		struct snic_action a = {(uint16_t)(k + 1), SNIC_RING_DEFAULT, SNIC_METER_NONE, 0, 0};
		uint32_t way = k ? 1 : 0;
		slots[k] = (way * buckets + snic_exact_bucket(keys[k], way, buckets)) * 4 + (uint32_t)k;
		do_exact_write(e, slots[k], keys[k], &a);
		engine_clock(e);    /* one write per clock */
	}
	/* Round 0 with all three entries, round 1 after the untagged one went. */
	for (int round = 0; round < 2 && ok; round++) {
		if (round == 1)
			do_exact_write(e, slots[0], 0, NULL);
		for (int i = 0; i < N; i++) {
			struct snic_match m;
			uint32_t tag;
			struct expect *x = &inflight[i];
			do_push(e, &p[i], (uint32_t)i);
			for (unsigned c = 0; c < latency; c++)
				engine_clock(e);
			x->live = 0;
			ok &= engine_pop(e, &tag, NULL, &m) && tag == (uint32_t)i;
			uint16_t want = f[i].want[round];
			int hit = want != 0;
			ok &= !memcmp(&m, &x->m, sizeof(m));        /* engine == reference */
			ok &= hit ? m.rule == SNIC_RULE_EXACT + slots[want - 1] && m.action.vnic == want
				  : m.rule == SNIC_RULE_MISS;
			if (!ok) {
				printf("# frame %d round %d: want vnic %u\n", i, round, want);
				print_match("engine", &m);
				print_match("reference", &x->m);
				break;
			}
		}
	}
	for (int k = 0; k < 3; k++) {
		do_exact_write(e, slots[k], 0, NULL);
		engine_clock(e);
	}
	for (unsigned i = 0; i < latency + 2; i++)
		engine_clock(e);
	tap(ok, "exact table: untagged, priority-tagged, VID and QinQ frames hit their own entries", "");
}

int main(int argc, char **argv)
{
	unsigned sets = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 20;
	unsigned npkts = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 10000;
	uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 0) : 0x5eed5eedull;
	struct rng r = {seed | 1};
	struct engine *e;
	uint64_t checked = 0;
	char name[96];

	latency = engine_latency();
	depth = engine_depth();
	exact_slots = engine_exact_slots();
	if (depth > MAX_DEPTH || exact_slots > MAX_EXACT) {
		printf("1..0 # SKIP model too large: %u ternary, %u exact\n", depth, exact_slots);
		return 1;
	}
	printf("1..%u\n", sets + 9);
	printf("# model: %u ternary entries, %u exact slots, latency %u, key fields 0x%x "
	       "(%d key bytes stored); seed 0x%" PRIx64 "\n", depth, exact_slots, latency,
	       engine_key_fields(), __builtin_popcountll(keep_bytes()), seed);
	e = engine_new();
	ref_init();
	test_latency(e);
	test_atomic_update(e);
	tap(test_write_burst(e, latency),
	    "table: a burst of entry writes is taken in order and every entry lands whole", "");
	tap(test_write_mid_drain(e, latency),
	    "table: entry rewritten and cleared while its RAM copy is half done: old or new", "");
	test_hit_counters(e);
	test_exact_combine(e);
	test_exact_tags(e);
	tap(test_rss_vectors(e, latency),
	    "RSS: engine hashes equal the Microsoft RSS verification suite (IPv4, IPv6)", "");
	tap(test_rss_atomic(e, latency),
	    "RSS: key and types change during lookups: old before, new after, never torn", "");
	for (unsigned s = 0; s < sets; s++) {
		uint64_t before = checked, hits_before = ref_hits_total;
		int ok = !failed && run_rule_set(e, &r, npkts, &checked);
		snprintf(name, sizeof(name), "rule set %u: %" PRIu64 " frames equal (%" PRIu64
			 " hits)", s, checked - before, ref_hits_total - hits_before);
		tap(ok, name, "");
	}
	printf("# %" PRIu64 " frames compared (%" PRIu64 " hits, %" PRIu64 " of them exact, %" PRIu64
	       " with KF_ERR), %s\n", checked, ref_hits_total, ref_exact_total, ref_err_total,
	       failed ? "MISMATCH" : "0 mismatches");
	printf("# exact hits: %" PRIu64 " untagged, %" PRIu64 " priority-tagged, %" PRIu64
	       " with a VID\n", ref_exact_kind[0], ref_exact_kind[1], ref_exact_kind[2]);
	printf("# RSS: %" PRIu64 " key/type writes; no hash %" PRIu64 ", IPv4 %" PRIu64 ", TCP/IPv4 %"
	       PRIu64 ", UDP/IPv4 %" PRIu64 ", IPv6 %" PRIu64 ", TCP/IPv6 %" PRIu64 ", UDP/IPv6 %"
	       PRIu64 "\n", rss_writes, ref_rss_kind[0], ref_rss_kind[1], ref_rss_kind[2],
	       ref_rss_kind[3], ref_rss_kind[4], ref_rss_kind[5], ref_rss_kind[6]);
	engine_free(e);
	return failed;
}
