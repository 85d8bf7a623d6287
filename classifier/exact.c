/* SPDX-License-Identifier: MIT */
/* Exact-match lookup of the reference classifier (see exact.h). */
#include "exact.h"

/* Fixed random matrices. Bit 12 (the tagged bit) is hashed like the others,
 * so an untagged and a priority-tagged entry of one MAC get independent
 * buckets; bits 15..13 (always zero in a key) are unused. */
const uint64_t snic_exact_h3[SNIC_EXACT_WAYS][SNIC_EXACT_HASH_BITS] = {
	{
		0x9b986848dc73197eull, 0x7b45faa755fc02ecull,
		0x84d6896cb7380c41ull, 0xdc253fae50031d40ull,
		0x5f6e7034400d09edull, 0xe41a1a37e44e0c48ull,
		0x021a04da9c6f172dull, 0x73bb6b05d9041304ull,
		0xaee06a51622c1103ull, 0x8eaa3282f5a70bd7ull,
		0x1f1408e3a8481e8dull, 0xa83ad9ddde6f0ddeull,
		0x322547d9be9f03e4ull, 0x8dad3f8f6c370a1bull,
		0x549cd68b627c1517ull, 0x7b6ffeed1569013aull,
	},
	{
		0x45146281c96212dbull, 0x712a9caca9d11ed5ull,
		0x2ab5f0e65c720a4bull, 0x7cd5cf93a10a0afbull,
		0x4c102b0022280951ull, 0x3b2cfff357131da8ull,
		0xee5f9cea45c90e51ull, 0x8bacf783f57d1a01ull,
		0xeda1b5402ffa0d09ull, 0xa028ffff8ae81c93ull,
		0x33849559af8a1520ull, 0xb0c0a13e238e1fb7ull,
		0x930c45706d100388ull, 0xc13c07bdb5fb020dull,
		0xfcbe262437a40b53ull, 0x71474fdfb3540149ull,
	},
};

uint64_t snic_exact_key(const struct snic_key *key)
{
	uint64_t k = 0;
	for (int i = 0; i < 6; i++)
		k = k << 8 | key->dmac[i];
	k = k << 16 | (uint64_t)(key->vlan[0] & 0x0f) << 8 | key->vlan[1];
	if (key->flags & SNIC_KF_VLAN)
		k |= SNIC_EXACT_TAGGED;
	return k;
}

/* Fold to 32 bits, then to one parity bit per nibble, then sum the
 * nibbles' bits with one 32-bit multiply: bit 28 of the product is the
 * parity of all 64 bits (one mul on rv32 too). */
static uint32_t parity64(uint64_t v)
{
	uint32_t x = (uint32_t)v ^ (uint32_t)(v >> 32);

	x ^= x >> 1;
	x ^= x >> 2;
	x = (x & 0x11111111u) * 0x11111111u;
	return (x >> 28) & 1;
}

uint32_t snic_exact_bucket(uint64_t xkey, unsigned way, uint32_t buckets)
{
	uint32_t b = 0;
	for (unsigned i = 0; i < SNIC_EXACT_HASH_BITS; i++)
		b |= parity64(xkey & snic_exact_h3[way][i]) << i;
	return b & (buckets - 1);
}

int snic_exact_lookup(const struct snic_exact *t, uint64_t xkey, uint32_t *slot)
{
	if (!t || !t->buckets)
		return 0;
	for (unsigned w = 0; w < SNIC_EXACT_WAYS; w++) {
		uint32_t base = (w * t->buckets + snic_exact_bucket(xkey, w, t->buckets)) *
				SNIC_EXACT_SLOTS;
		for (uint32_t s = base; s < base + SNIC_EXACT_SLOTS; s++) {
			if (t->slots[s].valid && t->slots[s].key == xkey) {
				*slot = s;
				return 1;
			}
		}
	}
	return 0;
}

void snic_classify(const struct snic_tcam *t, const struct snic_exact *x,
		   const struct snic_key *key, struct snic_match *out)
{
	uint32_t slot;

	snic_tcam_lookup(t, key, out);
	if (out->rule != SNIC_RULE_MISS)
		return;
	if (snic_exact_lookup(x, snic_exact_key(key), &slot)) {
		out->rule = (uint16_t)(SNIC_RULE_EXACT + slot);
		out->action = x->slots[slot].action;
	}
}
