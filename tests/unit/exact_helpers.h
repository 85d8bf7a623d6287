/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the exact-match unit tests (test_fw_exact*.c): deterministic
 * random (MAC, VLAN) keys built by hand from the key layout (dmac << 16 |
 * 0x1000 "tagged" | VID, or dmac << 16 untagged), the fake engine's answer
 * for a frame carrying a key (the reference classifier's
 * snic_exact_lookup over the slots the firmware wrote), and a write-order
 * checker run after every single exact-slot write. Header-only: each test
 * program includes it.
 */
#ifndef SNIC_EXACT_HELPERS_H
#define SNIC_EXACT_HELPERS_H

#include <stdlib.h>
#include <string.h>
#include "test_fw_util.h"

#define SLOTS   16384u  /* the large profile */
#define BUCKETS (SLOTS / 8)

/* ---- deterministic randomness ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ull; /* per test program */

static inline uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

#define TAGGED 0x1000u /* exact key bit: the frame carries a tag */

/* vid SNIC_VLAN_NONE: untagged; 0: priority-tagged. */
static inline uint64_t key_of_mac(const uint8_t mac[6], uint16_t vid)
{
	uint64_t k = 0;
	for (int i = 0; i < 6; i++)
		k = k << 8 | mac[i];
	k <<= 16;
	return vid == SNIC_VLAN_NONE ? k : k | TAGGED | (vid & 0x0fffu);
}

/* The VNIC VLAN a key stands for: its VID, or SNIC_VLAN_NONE. */
static inline uint16_t vlan_of_key(uint64_t xkey)
{
	return (xkey & TAGGED) ? (uint16_t)(xkey & 0x0fff) : SNIC_VLAN_NONE;
}

static inline void mac_of_key(uint64_t xkey, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(xkey >> (8 * (7 - i)));
}

/* A unicast, non-zero MAC, untagged (1 in 8), priority-tagged (1 in 8)
 * or with a VID in 1..4094. */
static inline uint64_t rand_key(void)
{
	uint8_t mac[6];
	uint64_t r = rnd();
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(r >> (8 * i));
	mac[0] = (uint8_t)((mac[0] & 0xfe) | 0x02);
	unsigned kind = (unsigned)(r >> 60) & 7;
	if (kind == 0)
		return key_of_mac(mac, SNIC_VLAN_NONE);
	return key_of_mac(mac, kind == 1 ? 0 : (uint16_t)(1 + (r >> 48) % 4094));
}

static inline struct snic_action act_n(uint16_t n)
{
	struct snic_action a = { n, SNIC_RING_DEFAULT, SNIC_METER_NONE, SNIC_ACT_COUNT, 0 };
	return a;
}

/* A frame key carrying xkey's MAC and, if tagged, its VID (with PCP bits,
 * which must not matter). */
static inline void frame_key(uint64_t xkey, struct snic_key *k)
{
	memset(k, 0, sizeof(*k));
	mac_of_key(xkey, k->dmac);
	k->flags = SNIC_KF_IPV4;
	if (xkey & TAGGED) {
		k->flags |= SNIC_KF_VLAN;
		k->vlan[0] = (uint8_t)(0xa0 | ((xkey >> 8) & 0x0f));
		k->vlan[1] = (uint8_t)xkey;
	}
}

/* The engine's answer for a frame carrying xkey: the exact slot, or -1. */
static inline int32_t engine_slot(uint64_t xkey, struct snic_action *a)
{
	struct snic_key k;
	struct snic_match m;
	frame_key(xkey, &k);
	fake_lookup(&k, &m);
	if (m.rule == SNIC_RULE_MISS)
		return -1;
	assert_true(m.rule >= SNIC_RULE_EXACT && m.rule < SNIC_RULE_EXACT + SLOTS);
	if (a)
		*a = m.action;
	return m.rule - SNIC_RULE_EXACT;
}

/* ---- write-order checker: no exact write may hide a present key ---- */

static uint64_t deleting;       /* key being deleted on purpose, 0: none */
static unsigned hidden;         /* writes after which a present key was lost */
static unsigned checked;

static inline void order_hook(uint32_t slot, const struct snic_exact_slot *old)
{
	(void)slot;
	if (!old->valid || old->key == deleting)
		return;
	struct snic_exact x = { BUCKETS, fake->xslot };
	uint32_t s;
	checked++;
	if (!snic_exact_lookup(&x, old->key, &s) || fake->xslot[s].action.vnic != old->action.vnic)
		hidden++;
}

static inline void arm_order_check(void)
{
	deleting = 0;
	hidden = 0;
	checked = 0;
	fake->x_hook = order_hook;
}

static inline int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Every valid slot holds a distinct key; returns how many are valid. */
static inline unsigned count_unique(void)
{
	static uint64_t keys[SLOTS];
	unsigned n = 0;
	for (unsigned s = 0; s < SLOTS; s++)
		if (fake->xslot[s].valid)
			keys[n++] = fake->xslot[s].key;
	qsort(keys, n, sizeof(keys[0]), cmp_u64);
	for (unsigned i = 1; i < n; i++)
		if (keys[i] == keys[i - 1])
			fail_msg("key %llx twice", (unsigned long long)keys[i]);
	return n;
}

#endif
