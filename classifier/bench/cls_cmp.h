/* SPDX-License-Identifier: MIT */
/*
 * The interface between the classifier bench (bench_cls.c, project flags)
 * and its DPDK side (bench_cls_rte.c, DPDK's headers and flags): the rule
 * set as plain fields both sides can express, and the calls the bench
 * times. Keys are snic_key bytes; rte_acl reads its fields at the same
 * offsets, so both sides see the same packets.
 */
#ifndef CLS_CMP_H
#define CLS_CMP_H

#include <stdint.h>

/* One 5-tuple ACL rule: masks are ternary (prefixes for the addresses,
 * exact-or-any for protocol and ports), values in host byte order. */
struct cmp_rule {
	uint8_t  proto, proto_mask;
	uint32_t sip, dip;
	uint8_t  sip_len, dip_len;   /* prefix lengths 0..32 */
	uint16_t sport, sport_mask, dport, dport_mask;
};

struct rte_side;

/* EAL in memory, no hugepages, no devices: the DPDK side, or NULL. */
struct rte_side *rte_side_init(void);

/* An rte_acl context of n rules, rule i at priority n - i (the lowest index
 * wins, as in snic); 0 or -1. */
int rte_side_acl_build(struct rte_side *rs, const struct cmp_rule *r, uint32_t n);
/* results[i] = matching rule index + 1, or 0 for no match. */
void rte_side_acl_classify(struct rte_side *rs, const uint8_t **keys, uint32_t *results,
			   uint32_t n);
/* The classify method rte_acl chose (enum rte_acl_classify_alg), or -1. */
int rte_side_acl_method(struct rte_side *rs);
void rte_side_acl_free(struct rte_side *rs);

/* An rte_hash of `n` 8-byte keys, key i holding data i; 0 or -1. */
int rte_side_hash_build(struct rte_side *rs, const uint64_t *keys, uint32_t n);
/* One lookup: the key's data, or -1. */
int64_t rte_side_hash_lookup(struct rte_side *rs, uint64_t key);
/* n <= 64 lookups with the bulk API: data[i] or -1. */
void rte_side_hash_lookup_bulk(struct rte_side *rs, const uint64_t *keys, uint32_t n,
			       int64_t *data);
void rte_side_hash_free(struct rte_side *rs);

#endif
