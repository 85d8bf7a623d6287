/* SPDX-License-Identifier: MIT */
/* Exact-match table of the reference classifier and the combining rule. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "classifier.h"
#include "exact.h"

#define BUCKETS 8
static struct snic_exact_slot slots[SNIC_EXACT_WAYS * BUCKETS * SNIC_EXACT_SLOTS];
static struct snic_exact table = {BUCKETS, slots};

static struct snic_key mac_key(uint8_t last, uint16_t tci)
{
	struct snic_key k;
	memset(&k, 0, sizeof(k));
	k.flags = SNIC_KF_VLAN;
	k.dmac[0] = 0x02;
	k.dmac[5] = last;
	k.vlan[0] = (uint8_t)(tci >> 8);
	k.vlan[1] = (uint8_t)tci;
	return k;
}

/* H3 bit by bit, independent of the library's parity folding. */
static uint32_t slow_bucket(uint64_t x, unsigned way)
{
	uint32_t b = 0;
	for (unsigned i = 0; i < 3; i++) {
		uint32_t p = 0;
		for (unsigned bit = 0; bit < 64; bit++)
			p ^= (uint32_t)((x & snic_exact_h3[way][i]) >> bit) & 1;
		b |= p << i;
	}
	return b;
}

static void test_key_and_hash(void **state)
{
	struct snic_key k = mac_key(0x33, 0xe064); /* PCP 7, VID 0x064 */
	uint64_t x = snic_exact_key(&k);
	(void)state;
	assert_true(x == 0x0200000000331064ull); /* bit 12: tagged */
	for (unsigned w = 0; w < SNIC_EXACT_WAYS; w++)
		assert_int_equal(snic_exact_bucket(x, w, BUCKETS), slow_bucket(x, w));

	/* Untagged (no KF_VLAN, VID 0) and priority-tagged (KF_VLAN, VID 0)
	 * differ only in bit 12; other flags do not count. */
	struct snic_key u = mac_key(0x33, 0), z = mac_key(0x33, 0xa000);
	u.flags = SNIC_KF_IPV4 | SNIC_KF_L4 | SNIC_KF_ERR;
	z.flags |= SNIC_KF_QINQ | SNIC_KF_IPV6;
	assert_true(snic_exact_key(&u) == 0x0200000000330000ull);
	assert_true(snic_exact_key(&z) == 0x0200000000331000ull);
	/* The tagged bit is hashed in both ways (H3 is linear: the buckets of
	 * a key with and without it differ by the same non-zero bits), so a
	 * MAC's untagged and priority-tagged entries do not share buckets, at
	 * any table size. */
	for (uint32_t b = 2; b <= 1u << SNIC_EXACT_HASH_BITS; b <<= 1)
		for (unsigned m = 0; m < 64; m++) {
			uint64_t mk = (0x020000000000ull | m) << 16;
			for (unsigned w = 0; w < SNIC_EXACT_WAYS; w++)
				assert_int_not_equal(snic_exact_bucket(mk, w, b),
						     snic_exact_bucket(mk | SNIC_EXACT_TAGGED, w, b));
		}
}

static void test_lookup_and_combine(void **state)
{
	struct snic_key k = mac_key(0x44, 100);
	uint64_t x = snic_exact_key(&k);
	uint32_t b1 = snic_exact_bucket(x, 1, BUCKETS);
	uint32_t want = (BUCKETS + b1) * SNIC_EXACT_SLOTS + 3, slot = 0;
	struct snic_rule rules[2];
	uint8_t valid[2] = {0, 0};
	struct snic_tcam t = {2, rules, valid};
	struct snic_match m;
	(void)state;

	memset(slots, 0, sizeof(slots));
	memset(rules, 0, sizeof(rules));
	assert_false(snic_exact_lookup(&table, x, &slot));
	slots[want].key = x;
	slots[want].valid = 1;
	slots[want].action.vnic = 5;
	assert_true(snic_exact_lookup(&table, x, &slot));
	assert_int_equal(slot, want);
	assert_false(snic_exact_lookup(&table, x ^ 1, &slot));   /* other VLAN */

	snic_classify(&t, &table, &k, &m);
	assert_int_equal(m.rule, SNIC_RULE_EXACT + want);
	assert_int_equal(m.action.vnic, 5);

	/* any valid ternary hit wins, even a catch-all */
	valid[1] = 1;
	rules[1].action.vnic = 9;
	snic_classify(&t, &table, &k, &m);
	assert_int_equal(m.rule, 1);
	assert_int_equal(m.action.vnic, 9);

	/* the slot in the wrong bucket is not found */
	valid[1] = 0;
	slots[want].valid = 0;
	slots[(BUCKETS + ((b1 + 1) % BUCKETS)) * SNIC_EXACT_SLOTS] = slots[want];
	slots[(BUCKETS + ((b1 + 1) % BUCKETS)) * SNIC_EXACT_SLOTS].valid = 1;
	snic_classify(&t, &table, &k, &m);
	assert_int_equal(m.rule, SNIC_RULE_MISS);
	assert_int_equal(m.action.vnic, SNIC_VNIC_NONE);
	snic_classify(&t, NULL, &k, &m);
	assert_int_equal(m.rule, SNIC_RULE_MISS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_and_hash),
		cmocka_unit_test(test_lookup_and_combine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
