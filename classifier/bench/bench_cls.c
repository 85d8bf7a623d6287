/* SPDX-License-Identifier: MIT */
/*
 * make bench-cls: the host software classifier against DPDK in one run.
 * Ternary: the fast classifier (classifier/fastcls.c), the reference scan
 * and rte_acl over the same 5-tuple ACL of 10, 100 and 1024 rules and the
 * same keys, single and in bursts of 64; exact: bench_exact.c. Every key's
 * result is compared across the three first; a difference fails the run.
 *
 *   bench_cls [--callgrind]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "classifier.h"
#include "fastcls.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void bench_phase(struct bench *b, const char *name, phase_fn fn, void *arg)
{
	double best = 0;

	if (b->callgrind) {
		CALLGRIND_TOGGLE_COLLECT;
		fn(arg);
		CALLGRIND_TOGGLE_COLLECT;
		CALLGRIND_DUMP_STATS_AT(name);
	} else {
		fn(arg);   /* warm the caches and the branch predictors */
		/* Passes for ~20 ms per run; the best of 5 runs. */
		uint64_t t0 = now_ns();
		fn(arg);
		uint64_t one = now_ns() - t0 + 1, passes = 20000000 / one + 1;
		for (int run = 0; run < 5; run++) {
			t0 = now_ns();
			for (uint64_t p = 0; p < passes; p++)
				fn(arg);
			double ns = (double)(now_ns() - t0) / (double)(passes * BENCH_KEYS);
			if (run == 0 || ns < best)
				best = ns;
		}
	}
	printf("phase %s keys %u ns %.1f\n", name, BENCH_KEYS, best);
	fflush(stdout);
}

struct tern {
	uint32_t n;
	struct cmp_rule *rules;
	struct snic_rule *entries;
	uint8_t *valid;
	struct snic_tcam ref;
	struct snic_fcls fc;
	void *fc_mem;
	struct snic_key keys[BENCH_KEYS];
	const uint8_t *kp[BENCH_KEYS];
	struct snic_match out[BENCH_KEYS];
	uint32_t acl[BENCH_KEYS];
	struct rte_side *rte;
	int callgrind;
};

static uint32_t prefix(uint8_t len)
{
	return len ? ~0u << (32 - len) : 0;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* A 5-tuple ACL rule: prefixes of /0 to /32, protocol and ports exact or any. */
static void rule_gen(struct rng *r, uint32_t i, struct cmp_rule *c, struct snic_rule *s)
{
	static const uint8_t lens[] = { 0, 8, 16, 24, 24, 32, 32 };

	memset(c, 0, sizeof(*c));
	c->proto_mask = rng_pct(r, 70) ? 0xff : 0;
	c->proto = (uint8_t)(rng_pct(r, 50) ? 6 : 17) & c->proto_mask;
	c->sip_len = lens[rng_below(r, sizeof(lens))];
	c->dip_len = lens[rng_below(r, sizeof(lens))];
	c->sip = (uint32_t)rng_next(r) & prefix(c->sip_len);
	c->dip = (uint32_t)rng_next(r) & prefix(c->dip_len);
	c->sport_mask = rng_pct(r, 20) ? 0xffff : 0;
	c->dport_mask = rng_pct(r, 70) ? 0xffff : 0;
	c->sport = (uint16_t)rng_next(r) & c->sport_mask;
	c->dport = (uint16_t)rng_below(r, 1024) & c->dport_mask;

	memset(s, 0, sizeof(*s));
	s->value.ip_proto = c->proto;
	s->mask.ip_proto = c->proto_mask;
	put32(s->value.sip, c->sip);
	put32(s->mask.sip, prefix(c->sip_len));
	put32(s->value.dip, c->dip);
	put32(s->mask.dip, prefix(c->dip_len));
	put16(s->value.sport, c->sport);
	put16(s->mask.sport, c->sport_mask);
	put16(s->value.dport, c->dport);
	put16(s->mask.dport, c->dport_mask);
	s->action.vnic = (uint16_t)(i % 128);
	s->action.ring = SNIC_RING_DEFAULT;
	s->action.meter = SNIC_METER_NONE;
}

/* Most keys fall in a random rule (random where it does not care), the
 * rest are random 5-tuples. */
static void key_gen(struct rng *r, const struct tern *t, struct snic_key *k)
{
	const struct cmp_rule *c = &t->rules[rng_below(r, t->n)];
	int in = rng_pct(r, 90);
	uint32_t sm = in ? prefix(c->sip_len) : 0, dm = in ? prefix(c->dip_len) : 0;
	uint8_t pm = in ? c->proto_mask : 0;
	uint16_t spm = in ? c->sport_mask : 0, dpm = in ? c->dport_mask : 0;

	memset(k, 0, sizeof(*k));
	k->flags = SNIC_KF_IPV4 | SNIC_KF_L4;
	k->ip_proto = (uint8_t)((c->proto & pm) | ((rng_pct(r, 50) ? 6 : 17) & ~pm));
	put32(k->sip, (c->sip & sm) | ((uint32_t)rng_next(r) & ~sm));
	put32(k->dip, (c->dip & dm) | ((uint32_t)rng_next(r) & ~dm));
	put16(k->sport, (uint16_t)((c->sport & spm) | ((uint16_t)rng_next(r) & ~spm)));
	put16(k->dport, (uint16_t)((c->dport & dpm) | (rng_below(r, 1024) & ~dpm)));
}

static void run_ref(void *a)
{
	struct tern *t = a;
	for (uint32_t i = 0; i < BENCH_KEYS; i++)
		snic_tcam_lookup(&t->ref, &t->keys[i], &t->out[i]);
}

static void run_fast(void *a)
{
	struct tern *t = a;
	for (uint32_t i = 0; i < BENCH_KEYS; i++)
		snic_fcls_lookup(&t->fc, &t->keys[i], &t->out[i]);
}

static void run_fast_burst(void *a)
{
	struct tern *t = a;
	for (uint32_t i = 0; i < BENCH_KEYS; i += BENCH_BURST)
		snic_fcls_lookup_burst(&t->fc, &t->keys[i], BENCH_BURST, &t->out[i]);
}

static void run_acl(void *a)
{
	struct tern *t = a;
	for (uint32_t i = 0; i < BENCH_KEYS; i++)
		rte_side_acl_classify(t->rte, &t->kp[i], &t->acl[i], 1);
}

static void run_acl_burst(void *a)
{
	struct tern *t = a;
	for (uint32_t i = 0; i < BENCH_KEYS; i += BENCH_BURST)
		rte_side_acl_classify(t->rte, &t->kp[i], &t->acl[i], BENCH_BURST);
}

/* Every key: the reference, both fast APIs and rte_acl agree. */
static int check(struct tern *t)
{
	static struct snic_match want[BENCH_KEYS];
	uint32_t hits = 0;

	run_ref(t);
	memcpy(want, t->out, sizeof(want));
	run_acl(t);
	for (int pass = 0; pass < 2; pass++) {
		(pass ? run_fast_burst : run_fast)(t);
		for (uint32_t i = 0; i < BENCH_KEYS; i++) {
			uint32_t acl_rule = t->acl[i] ? t->acl[i] - 1 : SNIC_RULE_MISS;
			if (memcmp(&want[i], &t->out[i], sizeof(want[i])) ||
			    acl_rule != want[i].rule) {
				fprintf(stderr,
					"bench_cls: key %u: reference %u, fast %u, rte_acl %u\n",
					i, want[i].rule, t->out[i].rule, acl_rule);
				return -1;
			}
			hits += pass == 0 && want[i].rule != SNIC_RULE_MISS;
		}
	}
	printf("ternary %u rules: %u of %u keys hit, results equal (reference, fast, rte_acl)\n",
	       t->n, hits, BENCH_KEYS);
	printf("method %s %d\n", t->callgrind ? "callgrind" : "native",
	       rte_side_acl_method(t->rte));
	return 0;
}

static int bench_ternary(struct bench *b, uint32_t n)
{
	struct tern *t = calloc(1, sizeof(*t));
	size_t len = snic_fcls_storage(n);
	char name[64];
	int rc = -1;

	if (!t)
		return -1;
	t->n = n;
	t->rte = b->rte;
	t->callgrind = b->callgrind;
	t->rules = calloc(n, sizeof(*t->rules));
	t->entries = calloc(n, sizeof(*t->entries));
	t->valid = calloc(n, 1);
	t->fc_mem = malloc(len);
	if (!t->rules || !t->entries || !t->valid || !t->fc_mem ||
	    snic_fcls_init(&t->fc, n, t->fc_mem, len))
		goto out;
	t->ref = (struct snic_tcam){ n, t->entries, t->valid };
	uint64_t set_ns = 0;
	for (uint32_t i = 0; i < n; i++) {
		rule_gen(&b->rng, i, &t->rules[i], &t->entries[i]);
		t->valid[i] = 1;
		uint64_t t0 = now_ns();
		snic_fcls_set(&t->fc, i, &t->entries[i]);
		set_ns += now_ns() - t0;
	}
	if (!b->callgrind)
		printf("update %u rules: %.1f us per rule added\n", n, (double)set_ns / n / 1000.0);
	for (uint32_t i = 0; i < BENCH_KEYS; i++) {
		key_gen(&b->rng, t, &t->keys[i]);
		t->kp[i] = (const uint8_t *)&t->keys[i];
	}
	if (rte_side_acl_build(b->rte, t->rules, n) || check(t))
		goto out;
	const struct { const char *what; phase_fn fn; } ph[] = {
		{ "ref", run_ref }, { "fast", run_fast }, { "fast_burst", run_fast_burst },
		{ "acl", run_acl }, { "acl_burst", run_acl_burst },
	};
	for (unsigned i = 0; i < sizeof(ph) / sizeof(ph[0]); i++) {
		snprintf(name, sizeof(name), "tern_%s_%u", ph[i].what, n);
		bench_phase(b, name, ph[i].fn, t);
	}
	rc = 0;
out:
	rte_side_acl_free(b->rte);
	free(t->rules);
	free(t->entries);
	free(t->valid);
	free(t->fc_mem);
	free(t);
	return rc;
}

/* The scheme's worst case: every rule masks all 64 key bytes and no key
 * matches, so every byte and every chunk is ANDed. snic alone (rte_acl
 * would need a field per byte). */
static int bench_worst(struct bench *b)
{
	struct tern *t = calloc(1, sizeof(*t));
	size_t len = snic_fcls_storage(1024);
	int rc = -1;

	if (!t)
		return -1;
	t->n = 1024;
	t->entries = calloc(t->n, sizeof(*t->entries));
	t->valid = calloc(t->n, 1);
	t->fc_mem = malloc(len);
	if (!t->entries || !t->valid || !t->fc_mem || snic_fcls_init(&t->fc, t->n, t->fc_mem, len))
		goto out;
	t->ref = (struct snic_tcam){ t->n, t->entries, t->valid };
	for (uint32_t i = 0; i < t->n; i++) {
		uint8_t *v = (uint8_t *)&t->entries[i].value;
		for (uint32_t k = 0; k < SNIC_KEY_BYTES; k++)
			v[k] = (uint8_t)rng_next(&b->rng);
		memset(&t->entries[i].mask, 0xff, sizeof(t->entries[i].mask));
		t->valid[i] = 1;
		snic_fcls_set(&t->fc, i, &t->entries[i]);
	}
	for (uint32_t i = 0; i < BENCH_KEYS; i++)
		for (uint32_t k = 0; k < SNIC_KEY_BYTES; k++)
			((uint8_t *)&t->keys[i])[k] = (uint8_t)rng_next(&b->rng);
	run_ref(t);
	run_fast(t);
	for (uint32_t i = 0; i < BENCH_KEYS; i++)
		if (t->out[i].rule != SNIC_RULE_MISS)
			goto out;
	bench_phase(b, "worst_ref_1024", run_ref, t);
	bench_phase(b, "worst_fast_1024", run_fast, t);
	rc = 0;
out:
	free(t->entries);
	free(t->valid);
	free(t->fc_mem);
	free(t);
	return rc;
}

int main(int argc, char **argv)
{
	struct bench b = { .rng = { 0x5eed5eedull } };
	static const uint32_t sizes[] = { 10, 100, 1024 };

	b.callgrind = argc > 1 && !strcmp(argv[1], "--callgrind");
	b.rte = rte_side_init();
	if (!b.rte) {
		fprintf(stderr, "bench_cls: DPDK's EAL did not start\n");
		return 1;
	}
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (bench_ternary(&b, sizes[i])) {
			fprintf(stderr, "bench_cls: ternary bench at %u rules failed\n", sizes[i]);
			return 1;
		}
	if (bench_worst(&b)) {
		fprintf(stderr, "bench_cls: worst-case bench failed\n");
		return 1;
	}
	if (bench_exact(&b)) {
		fprintf(stderr, "bench_cls: exact bench failed\n");
		return 1;
	}
	return 0;
}
