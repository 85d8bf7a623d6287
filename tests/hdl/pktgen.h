/* SPDX-License-Identifier: MIT */
/*
 * Random frames and rules for the differential tests of the match engine:
 * well-formed, malformed and truncated frames of every protocol the parser
 * knows, and rule sets built partly from those frames so that lookups hit.
 */
#ifndef SNIC_TESTS_PKTGEN_H
#define SNIC_TESTS_PKTGEN_H

#include <stdint.h>
#include <snic/cls.h>

#define PKT_MAX 320

struct rng {
	uint64_t s;
};

static inline uint64_t rng_next(struct rng *r)
{
	/* xorshift64* */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

/* Uniform in [0, n). */
static inline uint32_t rng_below(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)((rng_next(r) >> 32) % n) : 0;
}

/* 1 with probability pct/100. */
static inline int rng_pct(struct rng *r, uint32_t pct)
{
	return rng_below(r, 100) < pct;
}

struct pkt {
	uint8_t  data[PKT_MAX];
	uint32_t caplen;     /* bytes in data that are meaningful */
	uint32_t frame_len;  /* length on the wire */
	uint8_t  port;
};

void pkt_random(struct rng *r, struct pkt *p);

/*
 * A random rule: usually built from `sample` (a parsed key) so that the
 * frame it came from matches, sometimes random or a catch-all.
 */
/* A random rule, near `sample` most of the time; its mask covers only the
 * key bytes in `keep` (bit i: byte i; ~0: any byte, reserved ones too). */
void rule_random(struct rng *r, const struct snic_key *sample, uint64_t keep,
		 struct snic_rule *rule);

/* Print a frame and a key as hex, for mismatch reports. */
void pkt_dump(const char *what, const struct pkt *p);
void key_dump(const char *what, const struct snic_key *k);

#endif
