/* SPDX-License-Identifier: MIT */
/*
 * Exact-match table of the match engine: 2-way cuckoo hash with 4-slot
 * buckets, keyed by destination MAC + VLAN id, giving an action. The HDL
 * (hdl/snic_exact.sv) does lookups and single-slot writes; the firmware
 * places entries (cuckoo insertion) and writes slots through the table
 * port. This is the C reference of the lookup and of the hashes the
 * firmware must use to place entries. Freestanding C11.
 *
 * Combining with the ternary table (snic_classify): a ternary hit wins;
 * otherwise an exact hit gives rule = SNIC_RULE_EXACT + slot index and the
 * slot's action; otherwise the miss result. An exact entry behaves like a
 * ternary entry matching dmac, the SNIC_KF_VLAN flag and the low 12 bits
 * of vlan exactly and nothing else, placed after every ternary entry.
 */
#ifndef SNIC_EXACT_H
#define SNIC_EXACT_H

#include <stdint.h>
#include <snic/cls.h>

#include "classifier.h"

#define SNIC_EXACT_WAYS      2
#define SNIC_EXACT_SLOTS     4      /* slots per bucket */
#define SNIC_EXACT_HASH_BITS 16     /* at most 1 << 16 buckets per way */
#define SNIC_RULE_EXACT      0x8000u /* snic_match.rule >= this: exact slot */

/* Slot index: ((way * buckets) + bucket) * SNIC_EXACT_SLOTS + slot. */
struct snic_exact_slot {
	uint64_t           key;    /* snic_exact_key() */
	struct snic_action action;
	uint8_t            valid;
};

struct snic_exact {
	uint32_t                buckets; /* per way, power of two, 0 = no table */
	struct snic_exact_slot *slots;   /* SNIC_EXACT_WAYS * buckets * SLOTS */
};

/* H3 hash matrices: bucket bit i of way w = parity(key & h3[w][i]). */
extern const uint64_t snic_exact_h3[SNIC_EXACT_WAYS][SNIC_EXACT_HASH_BITS];

/*
 * The exact key: dmac in bits 63..16, SNIC_EXACT_TAGGED (bit 12) when the
 * frame carries a tag (SNIC_KF_VLAN), the VLAN id (vlan & 0x0fff, the
 * innermost tag's) in bits 11..0; bits 15..13 are 0. So an untagged frame
 * (VID 0, not tagged) and a priority-tagged one (VID 0, tagged) differ.
 */
#define SNIC_EXACT_TAGGED_BIT 12
#define SNIC_EXACT_TAGGED     (1ull << SNIC_EXACT_TAGGED_BIT)

uint64_t snic_exact_key(const struct snic_key *key);
uint32_t snic_exact_bucket(uint64_t xkey, unsigned way, uint32_t buckets);
/* 1 and the slot index if a valid slot of either candidate bucket holds xkey
 * (the lowest index if several do). */
int snic_exact_lookup(const struct snic_exact *t, uint64_t xkey, uint32_t *slot);

/* Ternary, then exact (x may be NULL), then miss. */
void snic_classify(const struct snic_tcam *t, const struct snic_exact *x,
		   const struct snic_key *key, struct snic_match *out);

#endif
