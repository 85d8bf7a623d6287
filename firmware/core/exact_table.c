/* SPDX-License-Identifier: MIT */
/*
 * Exact-match table placement: cuckoo insertion with a bounded
 * breadth-first search for a displacement chain, delete, update. The
 * rules (and why the write order keeps lookups correct) are in exact_table.h
 * and docs/firmware.md.
 */
#include "fw_internal.h"
#include "exact_table.h"
#include <exact.h>        /* classifier/exact.h: key layout and bucket hashes */

#define FREE_SLOT 0xffffu   /* slot_act[] of an empty slot */
#define NO_PARENT 0xffffu


/* One bucket reached by the search: its first slot, and how it was
 * reached (the occupant of parent's slot `via` would move here). */
struct bfs_node {
	uint32_t base;
	uint16_t parent;
	uint8_t  via;
	uint8_t  depth;
};
/* The search's nodes live in the instance's scratch (fw_types.h): only inside one
 * insertion. */
_Static_assert(FW_EXACT_BFS_NODES * sizeof(struct bfs_node) <= FW_SCRATCH_BYTES,
	       "exact search does not fit the scratch area");
#define bfs ((struct bfs_node *)(void *)fw->scratch) /* fw: the instance in scope */

bool fw_exact_hw_ok(uint32_t slots)
{
	const uint32_t per_bucket_pair = SNIC_EXACT_WAYS * SNIC_EXACT_SLOTS;

	if (slots == 0)
		return true;
	if (slots > FW_MAX_EXACT || slots % per_bucket_pair)
		return false;
	uint32_t b = slots / per_bucket_pair;
	return !(b & (b - 1)) && b <= (1u << SNIC_EXACT_HASH_BITS);
}

void fw_exact_reset(struct fw *fw)
{
	fw_memset(&fw->tab->exact.st, 0, sizeof(fw->tab->exact.st));
	fw_memset(fw->tab->exact.pool_refs, 0, sizeof(fw->tab->exact.pool_refs));
	fw->tab->exact.st.slots = fw_exact_hw_ok(fw->hw.exact_entries) ? fw->hw.exact_entries : 0;
	fw->tab->exact.n_buckets = fw->tab->exact.st.slots / (SNIC_EXACT_WAYS * SNIC_EXACT_SLOTS);
	/* The engine may hold slots from an earlier firmware run: clear all. */
	for (uint32_t s = 0; s < fw->tab->exact.st.slots; s++) {
		fw->tab->exact.slot_act[s] = FREE_SLOT;
		hal_exact_clear(fw->hal, s);
	}
}

uint64_t fw_exact_mac_key(const uint8_t mac[6], uint16_t vlan)
{
	struct snic_key k;

	fw_memset(&k, 0, sizeof(k));
	fw_memcpy(k.dmac, mac, 6);
	if (vlan != SNIC_VLAN_NONE) {
		k.flags = SNIC_KF_VLAN;
		k.vlan[0] = (uint8_t)((vlan >> 8) & 0x0f);
		k.vlan[1] = (uint8_t)vlan;
	}
	return snic_exact_key(&k);
}

static uint32_t bucket_base(struct fw *fw, uint64_t xkey, unsigned way)
{
	uint32_t nb = fw->tab->exact.n_buckets;
	return (way * nb + snic_exact_bucket(xkey, way, nb)) * SNIC_EXACT_SLOTS;
}

static bool slot_free(struct fw *fw, uint32_t s)
{
	return fw->tab->exact.slot_act[s] == FREE_SLOT;
}

/* First free slot of the bucket at `base`, or -1. */
static int free_in(struct fw *fw, uint32_t base)
{
	for (uint32_t i = 0; i < SNIC_EXACT_SLOTS; i++)
		if (slot_free(fw, base + i))
			return (int)i;
	return -1;
}

static int occupancy(struct fw *fw, uint32_t base)
{
	int n = 0;
	for (uint32_t i = 0; i < SNIC_EXACT_SLOTS; i++)
		n += !slot_free(fw, base + i);
	return n;
}

/* The slot holding xkey, lowest index first as in the engine; -1 if none. */
static int32_t find_slot(struct fw *fw, uint64_t xkey)
{
	if (!fw->tab->exact.n_buckets)
		return -1;
	for (unsigned w = 0; w < SNIC_EXACT_WAYS; w++) {
		uint32_t base = bucket_base(fw, xkey, w);
		for (uint32_t s = base; s < base + SNIC_EXACT_SLOTS; s++)
			if (!slot_free(fw, s) && fw->tab->exact.slot_key[s] == xkey)
				return (int32_t)s;
	}
	return -1;
}

static uint16_t pool_get(struct fw *fw, const struct snic_action *a)
{
	uint16_t spare = FREE_SLOT;

	for (uint16_t i = 0; i < FW_EXACT_ACTIONS; i++) {
		if (!fw->tab->exact.pool_refs[i]) {
			if (spare == FREE_SLOT)
				spare = i;
		} else if (!fw_memcmp(&fw->tab->exact.pool[i], a, sizeof(*a))) {
			fw->tab->exact.pool_refs[i]++;
			return i;
		}
	}
	if (spare != FREE_SLOT) {
		fw->tab->exact.pool[spare] = *a;
		fw->tab->exact.pool_refs[spare] = 1;
	}
	return spare;
}

static void write_slot(struct fw *fw, uint32_t s, uint64_t xkey, uint16_t act)
{
	fw->tab->exact.slot_key[s] = xkey;
	fw->tab->exact.slot_act[s] = act;
	struct snic_action a = fw->tab->exact.pool[act];
	fw_action_stamp(fw, &a);
	hal_exact_write(fw->hal, s, xkey, &a);
}

static bool visited(const struct fw *fw, uint32_t n, uint32_t base)
{
	for (uint32_t i = 0; i < n; i++)
		if (bfs[i].base == base)
			return true;
	return false;
}

/*
 * Breadth-first search from xkey's two (full) buckets: each occupant could
 * move to its bucket in the other way. Returns the index of the first node
 * whose bucket has a free slot, or -1. Shortest chains come first, so the
 * fewest entries move.
 */
static int32_t find_chain(struct fw *fw, uint64_t xkey)
{
	uint32_t n = 0;

	for (unsigned w = 0; w < SNIC_EXACT_WAYS; w++)
		bfs[n++] = (struct bfs_node){ bucket_base(fw, xkey, w), NO_PARENT, 0, 0 };
	for (uint32_t head = 0; head < n; head++) {
		const struct bfs_node cur = bfs[head];
		if (cur.depth == FW_EXACT_MAX_MOVES)
			continue;
		for (uint32_t i = 0; i < SNIC_EXACT_SLOTS; i++) {
			uint32_t s = cur.base + i;
			/* Its way is where it sits now; it can only go to the other. */
			unsigned other = s < fw->tab->exact.n_buckets * SNIC_EXACT_SLOTS ? 1 : 0;
			uint32_t alt = bucket_base(fw, fw->tab->exact.slot_key[s], other);
			if (visited(fw, n, alt))
				continue;
			if (n == FW_EXACT_BFS_NODES)
				return -1;
			bfs[n] = (struct bfs_node){ alt, (uint16_t)head, (uint8_t)i,
						    (uint8_t)(cur.depth + 1) };
			if (free_in(fw, alt) >= 0)
				return (int32_t)n;
			n++;
		}
	}
	return -1;
}

/*
 * Walk the chain from its free end back to the root: copy each occupant
 * into the slot freed (or already copied away) ahead of it, so every entry
 * is in at least one slot after every single write. Returns the root slot,
 * which now holds a stale copy and is ready for the new entry.
 */
static uint32_t run_chain(struct fw *fw, int32_t end)
{
	uint32_t dst = bfs[end].base + (uint32_t)free_in(fw, bfs[end].base);
	uint32_t moved = 0;

	for (int32_t n = end; bfs[n].parent != NO_PARENT; n = bfs[n].parent) {
		uint32_t src = bfs[bfs[n].parent].base + bfs[n].via;
		write_slot(fw, dst, fw->tab->exact.slot_key[src], fw->tab->exact.slot_act[src]);
		dst = src;
		moved++;
	}
	fw->tab->exact.st.moves += moved;
	if (moved > fw->tab->exact.st.longest)
		fw->tab->exact.st.longest = moved;
	return dst;
}

int fw_exact_insert(struct fw *fw, uint64_t xkey, const struct snic_action *a, uint32_t *slot)
{
	if (!fw->tab->exact.n_buckets) {
		fw->tab->exact.st.nospc++;
		return SNIC_E_NOSPC;
	}
	if (find_slot(fw, xkey) >= 0)
		return SNIC_E_EXIST;

	/* The emptier candidate bucket keeps both ways evenly loaded. */
	uint32_t b0 = bucket_base(fw, xkey, 0), b1 = bucket_base(fw, xkey, 1);
	uint32_t base = occupancy(fw, b1) < occupancy(fw, b0) ? b1 : b0;
	int32_t dst = -1;
	int32_t end = -1;
	if (free_in(fw, base) >= 0) {
		dst = (int32_t)(base + (uint32_t)free_in(fw, base));
	} else {
		end = find_chain(fw, xkey);
		if (end < 0) {
			fw->tab->exact.st.nospc++;
			return SNIC_E_NOSPC;
		}
	}
	uint16_t act = pool_get(fw, a);
	if (act == FREE_SLOT) {
		fw->tab->exact.st.nospc++;
		return SNIC_E_NOSPC;
	}
	if (dst < 0)
		dst = (int32_t)run_chain(fw, end);
	write_slot(fw, (uint32_t)dst, xkey, act);
	fw->tab->exact.st.used++;
	fw->tab->exact.st.inserts++;
	if (slot)
		*slot = (uint32_t)dst;
	return SNIC_OK;
}

int fw_exact_update(struct fw *fw, uint64_t xkey, const struct snic_action *a)
{
	int32_t s = find_slot(fw, xkey);
	if (s < 0)
		return SNIC_E_NOENT;
	uint16_t old = fw->tab->exact.slot_act[s];
	if (!fw_memcmp(&fw->tab->exact.pool[old], a, sizeof(*a)))
		return SNIC_OK;
	if (fw->tab->exact.pool_refs[old] == 1) {
		/* Sole user: change the pooled action in place. */
		fw->tab->exact.pool[old] = *a;
		write_slot(fw, (uint32_t)s, xkey, old);
		return SNIC_OK;
	}
	uint16_t act = pool_get(fw, a);
	if (act == FREE_SLOT)
		return SNIC_E_NOSPC;
	fw->tab->exact.pool_refs[old]--;
	write_slot(fw, (uint32_t)s, xkey, act);
	return SNIC_OK;
}

int fw_exact_delete(struct fw *fw, uint64_t xkey)
{
	int32_t s = find_slot(fw, xkey);
	if (s < 0)
		return SNIC_E_NOENT;
	fw->tab->exact.pool_refs[fw->tab->exact.slot_act[s]]--;
	fw->tab->exact.slot_act[s] = FREE_SLOT;
	hal_exact_clear(fw->hal, (uint32_t)s);
	fw->tab->exact.st.used--;
	fw->tab->exact.st.deletes++;
	return SNIC_OK;
}

bool fw_exact_find(struct fw *fw, uint64_t xkey, uint32_t *slot, struct snic_action *a)
{
	int32_t s = find_slot(fw, xkey);
	if (s < 0)
		return false;
	if (slot)
		*slot = (uint32_t)s;
	if (a)
		*a = fw->tab->exact.pool[fw->tab->exact.slot_act[s]];
	return true;
}

const struct fw_exact_stats *fw_exact_get_stats(struct fw *fw)
{
	return &fw->tab->exact.st;
}
