/* SPDX-License-Identifier: MIT */
/*
 * The firmware's side of the match engine's exact-match table (the
 * engine and the hashes are in classifier/exact.h): a mirror of every
 * slot and the cuckoo placement that the hardware leaves to software.
 *
 * Insertion uses the two candidate buckets snic_exact_bucket() gives (one
 * per way, 4 slots each). When both are full, a breadth-first search over
 * the occupants' other buckets finds the shortest chain of moves that ends
 * in a free slot, bounded by FW_EXACT_MAX_MOVES moves and
 * FW_EXACT_BFS_NODES buckets examined; beyond that the table counts as
 * full (SNIC_E_NOSPC) and nothing has been written. Moves go from the end
 * of the chain backwards and write an entry's new slot before its old slot
 * is overwritten, so a lookup concurrent with the moves never misses an
 * entry that is present (it may briefly find two copies with the same
 * action; the engine takes the lowest slot).
 *
 * Slots hold an index into a small pool of distinct actions rather than
 * the action itself, so the mirror costs 10 bytes per slot (160 KiB for
 * 16K slots) instead of 16.
 */
#ifndef SNIC_FW_EXACT_H
#define SNIC_FW_EXACT_H

#include <stdbool.h>
#include <stdint.h>
#include <snic/cls.h>

#ifndef FW_MAX_EXACT /* a RAM-tight target may build a smaller mirror */
#define FW_MAX_EXACT        16384u /* slots this build can mirror */
#endif
#define FW_EXACT_ACTIONS    2048u  /* distinct actions in the table at once: a VNIC
                                    * needs one, its VLAN and group entries more */
#define FW_EXACT_MAX_MOVES  4u     /* longest displacement chain */
#define FW_EXACT_BFS_NODES  512u   /* buckets examined per insertion, at most */

struct fw_exact_stats {
	uint32_t slots;    /* hardware slots in use by the firmware, 0: none */
	uint32_t used;     /* entries */
	uint32_t longest;  /* longest displacement chain so far */
	uint32_t rsvd;
	uint64_t inserts;  /* successful insertions */
	uint64_t deletes;
	uint64_t moves;    /* entries moved to make room */
	uint64_t nospc;    /* insertions refused: no chain or no action slot */
};

/* 1 when the firmware can drive a table of `slots` slots (0 = no table):
 * 2 ways x 4 slots x a power-of-two number of buckets, <= FW_MAX_EXACT. */
bool fw_exact_hw_ok(uint32_t slots);

/* Forget every entry and clear every hardware slot (boot, RESET). */
void fw_exact_reset(struct fw *fw);

/* The exact key the engine computes from a frame to `mac` that is
 * untagged (vlan = SNIC_VLAN_NONE) or whose innermost tag has VID `vlan`
 * (0 = priority-tagged). */
uint64_t fw_exact_mac_key(const uint8_t mac[6], uint16_t vlan);

/* SNIC_OK (and *slot if non-NULL), SNIC_E_EXIST (key present: nothing
 * changed), SNIC_E_NOSPC (no table, table full or too many distinct
 * actions: nothing changed). */
int fw_exact_insert(struct fw *fw, uint64_t xkey, const struct snic_action *a, uint32_t *slot);
/* Rewrite the action of a present key in its slot: SNIC_OK, SNIC_E_NOENT,
 * SNIC_E_NOSPC (only when the old action is shared and the pool is full). */
int fw_exact_update(struct fw *fw, uint64_t xkey, const struct snic_action *a);
/* SNIC_OK or SNIC_E_NOENT. */
int fw_exact_delete(struct fw *fw, uint64_t xkey);
/* 1 and the slot (and action if non-NULL) when present. */
bool fw_exact_find(struct fw *fw, uint64_t xkey, uint32_t *slot, struct snic_action *a);

const struct fw_exact_stats *fw_exact_get_stats(struct fw *fw);

#endif
