/* SPDX-License-Identifier: MIT */
/*
 * The C reference classifier: parser and ternary lookup with exactly the
 * semantics of the HDL match engine (proven by tests/hdl). The host
 * software-ring classifier uses the same code. Freestanding C11: no libc.
 */
#ifndef SNIC_CLASSIFIER_H
#define SNIC_CLASSIFIER_H

#include <stdint.h>
#include <snic/cls.h>

#define SNIC_PARSE_BYTES 128 /* header bytes the parser looks at */
#define SNIC_IPV6_MAX_EXT 4  /* IPv6 extension headers walked; deeper: KF_ERR */

/*
 * Build the key of a frame. `hdr` holds the first `caplen` bytes (only the
 * first SNIC_PARSE_BYTES are looked at); `frame_len` is the frame's length
 * on the wire without FCS.
 */
void snic_parse(const uint8_t *hdr, uint32_t caplen, uint32_t frame_len,
		uint8_t port, struct snic_key *key);

/* A ternary table: `depth` entries; storage owned by the caller. */
struct snic_tcam {
	uint32_t          depth;
	struct snic_rule *entries;
	uint8_t          *valid;   /* 1 = entry in use */
};

/* Lowest valid index whose masked value equals the masked key wins. */
void snic_tcam_lookup(const struct snic_tcam *t, const struct snic_key *key,
		      struct snic_match *out);

/* 1 if `key` matches `rule` (the per-entry predicate). */
int snic_rule_matches(const struct snic_rule *rule, const struct snic_key *key);

#endif
