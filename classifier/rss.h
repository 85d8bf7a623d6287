/* SPDX-License-Identifier: MIT */
/*
 * RSS hash of the reference classifier: the Toeplitz hash of
 * include/snic/rss.h computed from a parsed key, exactly as the match
 * engine computes it (hdl/snic_rss_hash.sv; tests/hdl proves them equal).
 * The firmware uses it too, for VNICs whose hash types differ from the
 * engine's. Freestanding C11.
 */
#ifndef SNIC_CLASSIFIER_RSS_H
#define SNIC_CLASSIFIER_RSS_H

#include <stdint.h>
#include <snic/cls.h>
#include <snic/rss.h>

/* Longest hash input: IPv6 source and destination, two ports. */
#define SNIC_RSS_INPUT_MAX 36

/* Toeplitz hash of in[0..n) under `key` (n <= SNIC_RSS_INPUT_MAX). */
uint32_t snic_toeplitz(const uint8_t key[SNIC_RSS_KEY_BYTES], const uint8_t *in, uint32_t n);

/* The hash type a frame with this key gets under `types`: one
 * SNIC_RSS_HT_* bit, or SNIC_RSS_HT_NONE. */
uint8_t snic_rss_type(const struct snic_key *key, uint8_t types);

/*
 * Set m->hash and m->hash_type for `key` under `cfg` (NULL: hashing off,
 * as the engine after reset). Use after snic_tcam_lookup/snic_classify,
 * which leave the hash fields zero.
 */
void snic_rss_apply(const struct snic_rss_cfg *cfg, const struct snic_key *key,
		    struct snic_match *m);

#endif
