/* SPDX-License-Identifier: MIT */
/* Host rules: slots, priority, validation per profile, query, delete. */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "test_fw_util.h"

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x0b };

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static struct snic_vnic_info last_vnic;

static uint16_t mk_vnic(const uint8_t *mac)
{
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac, SNIC_VLAN_NONE, 0, 0, &last_vnic), SNIC_OK);
	return last_vnic.vnic;
}

static void test_slots(void **state)
{
	(void)state;
	boot("small"); /* 64 entries, 16 VNICs: host slots 0..47 */
	uint16_t v = mk_vnic(MAC_A);
	struct snic_rule r;
	uint32_t loc;
	rule_init(&r, v, 0);
	rule_match_dmac(&r, MAC_B);

	assert_int_equal(rule_add(3, &r, &loc), SNIC_OK);
	assert_int_equal(loc, 3);
	assert_true(fake->valid[3]);
	/* The engine's copy names the VNIC's incarnation; the rest as given. */
	struct snic_rule stamped = r;
	stamped.action.gen = fake->tcam[3].action.gen;
	assert_int_not_equal(stamped.action.gen, 0);
	assert_memory_equal(&fake->tcam[3], &stamped, sizeof(stamped));
	assert_int_equal(rule_add(3, &r, NULL), SNIC_E_EXIST);
	assert_int_equal(rule_add(48, &r, NULL), SNIC_E_RANGE);
	assert_int_equal(rule_add(64, &r, NULL), SNIC_E_RANGE);
	assert_int_equal(rule_add(0xfffffffe, &r, NULL), SNIC_E_RANGE);
	/* ANY = lowest free: 0, 1, 2, then 4 (3 is taken). */
	for (uint32_t want = 0; want < 5; want++) {
		if (want == 3)
			continue;
		assert_int_equal(rule_add(SNIC_LOC_ANY, &r, &loc), SNIC_OK);
		assert_int_equal(loc, want);
	}
	for (uint32_t i = 5; i < 48; i++)
		assert_int_equal(rule_add(SNIC_LOC_ANY, &r, &loc), SNIC_OK);
	assert_int_equal(rule_add(SNIC_LOC_ANY, &r, NULL), SNIC_E_NOSPC);
	/* The VNIC MAC entries were untouched. */
	assert_true(fake->valid[48 + v]);
	assert_int_equal(fake->tcam[48 + v].action.vnic, v);
}

/* Lower index wins in the engine; a host rule beats the MAC entry. */
static void test_priority(void **state)
{
	(void)state;
	boot("large");
	uint16_t va = mk_vnic(MAC_A);
	struct snic_vnic_info a = last_vnic;
	uint16_t vb = mk_vnic(MAC_B);
	struct snic_rule r;
	rule_init(&r, vb, 0);
	rule_match_dmac(&r, MAC_A);
	r.value.ip_proto = 17;
	r.mask.ip_proto = 0xff;
	assert_int_equal(rule_add(10, &r, NULL), SNIC_OK);
	struct snic_rule d;
	rule_init(&d, SNIC_VNIC_NONE, SNIC_ACT_DROP);
	rule_match_dmac(&d, MAC_A);
	r.value.ip_proto = 17;
	d.value.ip_proto = 17;
	d.mask.ip_proto = 0xff;
	assert_int_equal(rule_add(20, &d, NULL), SNIC_OK);

	struct snic_key k;
	struct snic_match m;
	memset(&k, 0, sizeof(k));
	memcpy(k.dmac, MAC_A, 6);
	k.ip_proto = 17;
	fake_lookup(&k, &m);
	assert_int_equal(m.rule, 10);
	assert_int_equal(m.action.vnic, vb);
	k.ip_proto = 6;
	fake_lookup(&k, &m);
	assert_true(is_mac_hit(m.rule, &a)); /* the exact table, after every host rule */
	assert_int_equal(m.action.vnic, va);

	/* Delete 10: the drop at 20 takes over. */
	struct snic_rule_ref ref = { .loc = 10 };
	assert_int_equal(admin(SNIC_CMD_RULE_DEL, &ref, sizeof(ref), NULL), SNIC_OK);
	assert_false(fake->valid[10]);
	k.ip_proto = 17;
	fake_lookup(&k, &m);
	assert_int_equal(m.rule, 20);
	assert_true(m.action.flags & SNIC_ACT_DROP);
	assert_int_equal(admin(SNIC_CMD_RULE_DEL, &ref, sizeof(ref), NULL), SNIC_E_NOENT);
	ref.loc = a.mac_rule; /* MAC entries belong to their VNIC */
	assert_int_equal(admin(SNIC_CMD_RULE_DEL, &ref, sizeof(ref), NULL), SNIC_E_RANGE);
	k.ip_proto = 6;
	fake_lookup(&k, &m);
	assert_true(is_mac_hit(m.rule, &a));
}

/* large: the exact table steers the VNIC MACs, so all 1024 ternary entries
 * take host rules and the top one still ranks above every MAC entry. */
static void test_all_entries_for_hosts(void **state)
{
	(void)state;
	boot("large");
	uint16_t v = mk_vnic(MAC_A);
	struct snic_vnic_info a = last_vnic;
	struct snic_rule r;
	uint32_t loc;
	rule_init(&r, v, SNIC_ACT_COUNT);
	rule_match_dmac(&r, MAC_A);
	assert_int_equal(rule_add(1023, &r, &loc), SNIC_OK);
	assert_int_equal(loc, 1023);
	assert_int_equal(rule_add(1024, &r, NULL), SNIC_E_RANGE);
	struct snic_key k;
	struct snic_match m;
	memset(&k, 0, sizeof(k));
	memcpy(k.dmac, MAC_A, 6);
	fake_lookup(&k, &m);
	assert_int_equal(m.rule, 1023);
	struct snic_rule_ref ref = { .loc = 1023 };
	assert_int_equal(admin(SNIC_CMD_RULE_DEL, &ref, sizeof(ref), NULL), SNIC_OK);
	fake_lookup(&k, &m);
	assert_true(is_mac_hit(m.rule, &a));
	for (uint32_t i = 0; i < 1024; i++)
		assert_int_equal(rule_add(SNIC_LOC_ANY, &r, &loc), SNIC_OK);
	assert_int_equal(loc, 1023);
	assert_int_equal(rule_add(SNIC_LOC_ANY, &r, NULL), SNIC_E_NOSPC);
	/* The VNIC's MAC entry, past the table, still answers RULE_QUERY. */
	ref.loc = a.mac_rule;
	assert_int_equal(a.mac_rule, 1024 + v);
	struct snic_admin_cpl cpl;
	assert_int_equal(admin(SNIC_CMD_RULE_QUERY, &ref, sizeof(ref), &cpl), SNIC_OK);
	const struct snic_rule_info *ri = (const void *)cpl.payload;
	assert_memory_equal(ri->rule.value.dmac, MAC_A, 6);
	assert_int_equal(ri->hits, 0);
	assert_int_equal(admin(SNIC_CMD_RULE_DEL, &ref, sizeof(ref), NULL), SNIC_E_RANGE);
}

/* small is MAC-only: L3/L4 fields are UNSUPP; large accepts them. */
static void test_profile_fields(void **state)
{
	(void)state;
	static const struct { unsigned off; uint32_t small_ok; } fields[] = {
		{ SNIC_KEY_OFF_FLAGS, 1 }, { SNIC_KEY_OFF_PORT, 1 }, { SNIC_KEY_OFF_DMAC + 5, 1 },
		{ SNIC_KEY_OFF_SMAC, 1 }, { SNIC_KEY_OFF_VLAN + 1, 1 }, { SNIC_KEY_OFF_ETHERTYPE, 1 },
		{ SNIC_KEY_OFF_VLAN_OUTER, 0 }, { SNIC_KEY_OFF_IP_PROTO, 0 },
		{ SNIC_KEY_OFF_ICMP_TYPE, 0 }, { SNIC_KEY_OFF_IP_TOS, 0 }, { SNIC_KEY_OFF_SIP + 3, 0 },
		{ SNIC_KEY_OFF_DIP + 15, 0 }, { SNIC_KEY_OFF_SPORT, 0 }, { SNIC_KEY_OFF_DPORT + 1, 0 },
	};
	const char *profiles[] = { "small", "large" };
	for (unsigned p = 0; p < 2; p++) {
		boot(profiles[p]);
		uint16_t v = mk_vnic(MAC_A);
		for (unsigned i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			struct snic_rule r;
			rule_init(&r, v, 0);
			((uint8_t *)&r.mask)[fields[i].off] = 0x01;
			((uint8_t *)&r.value)[fields[i].off] = 0x01;
			int want = (p == 1 || fields[i].small_ok) ? SNIC_OK : SNIC_E_UNSUPP;
			struct snapshot s;
			snap_take(&s);
			assert_int_equal(rule_add(i, &r, NULL), want);
			if (want != SNIC_OK)
				assert_true(snap_same(&s));
			snap_free(&s);
		}
		fake_teardown();
	}
}

static void test_invalid(void **state)
{
	(void)state;
	boot("large");
	uint16_t v = mk_vnic(MAC_A);
	struct snic_rule r;
	struct snapshot s;
	snap_take(&s);

	rule_init(&r, v, 0); r.value.dmac[0] = 1;                      /* value outside mask */
	assert_int_equal(rule_add(0, &r, NULL), SNIC_E_INVAL);
	rule_init(&r, v, 0); r.mask.rsvd0 = 0xff;                       /* reserved key byte */
	assert_int_equal(rule_add(0, &r, NULL), SNIC_E_INVAL);
	rule_init(&r, v, 0); r.mask.rsvd1[3] = 1;
	assert_int_equal(rule_add(0, &r, NULL), SNIC_E_INVAL);
	rule_init(&r, v, 0); r.action.gen = 1;
	assert_int_equal(rule_add(0, &r, NULL), SNIC_E_INVAL);
	rule_init(&r, v, 0x80);                                         /* unknown action flag */
	assert_int_equal(rule_add(0, &r, NULL), SNIC_E_INVAL);
	rule_init(&r, v, SNIC_ACT_METER); r.action.meter = 0;           /* meter not configured */
	assert_int_equal(rule_add(0, &r, NULL), SNIC_E_NOENT);
	rule_init(&r, v, SNIC_ACT_METER); r.action.meter = 256;
	assert_int_equal(rule_add(0, &r, NULL), SNIC_E_NOENT);
	rule_init(&r, v, 0); r.action.meter = 3;
	assert_int_equal(rule_add(0, &r, NULL), SNIC_E_INVAL);
	rule_init(&r, 77, 0);                                           /* no such VNIC */
	assert_int_equal(rule_add(0, &r, NULL), SNIC_E_NOENT);
	rule_init(&r, SNIC_VNIC_NONE, 0);
	assert_int_equal(rule_add(0, &r, NULL), SNIC_E_NOENT);
	rule_init(&r, v, 0); r.action.ring = 16;                        /* no such HRR */
	assert_int_equal(rule_add(0, &r, NULL), SNIC_E_NOENT);
	rule_init(&r, v, SNIC_ACT_MARK_SW); r.action.ring = 3;
	assert_int_equal(rule_add(0, &r, NULL), SNIC_E_INVAL);
	rule_init(&r, v, SNIC_ACT_DROP);                                /* drop with a target */
	assert_int_equal(rule_add(0, &r, NULL), SNIC_E_INVAL);
	rule_init(&r, SNIC_VNIC_NONE, SNIC_ACT_DROP); r.action.ring = 2;
	assert_int_equal(rule_add(0, &r, NULL), SNIC_E_INVAL);
	rule_init(&r, SNIC_VNIC_NONE, SNIC_ACT_DROP | SNIC_ACT_METER); r.action.meter = 0;
	assert_int_equal(rule_add(0, &r, NULL), SNIC_E_INVAL);
	struct snic_rule_add a;
	memset(&a, 0, sizeof(a));
	rule_init(&a.rule, v, 0);
	a.rsvd = 1;
	assert_int_equal(admin(SNIC_CMD_RULE_ADD, &a, sizeof(a), NULL), SNIC_E_INVAL);
	assert_true(snap_same(&s));
	snap_free(&s);

	/* The legal counterparts are accepted. */
	rule_init(&r, SNIC_VNIC_NONE, SNIC_ACT_DROP | SNIC_ACT_COUNT);
	assert_int_equal(rule_add(0, &r, NULL), SNIC_OK);
	rule_init(&r, v, 0); r.action.ring = 15;
	assert_int_equal(rule_add(1, &r, NULL), SNIC_OK);
	rule_init(&r, v, SNIC_ACT_MARK_SW);
	assert_int_equal(rule_add(2, &r, NULL), SNIC_OK);
}

static void test_query(void **state)
{
	(void)state;
	boot("large");
	uint16_t v = mk_vnic(MAC_A);
	struct snic_rule r;
	rule_init(&r, v, SNIC_ACT_COUNT);
	rule_match_dmac(&r, MAC_B);
	assert_int_equal(rule_add(7, &r, NULL), SNIC_OK);
	fake->hits[7] = 42;

	struct snic_rule_ref ref = { .loc = 7 };
	struct snic_admin_cpl cpl;
	struct snic_rule_info info;
	assert_int_equal(admin(SNIC_CMD_RULE_QUERY, &ref, sizeof(ref), &cpl), SNIC_OK);
	assert_int_equal(cpl.len, sizeof(info));
	memcpy(&info, cpl.payload, sizeof(info));
	assert_int_equal(info.loc, 7);
	assert_int_equal(info.rsvd, 0);
	assert_int_equal(info.hits, 42);
	assert_memory_equal(&info.rule, &r, sizeof(r));

	/* The VNIC's MAC entry is visible too (past the table: large has an
	 * exact table), and so is no MAC entry of a VNIC that does not exist. */
	ref.loc = 1024 + v;
	assert_int_equal(admin(SNIC_CMD_RULE_QUERY, &ref, sizeof(ref), &cpl), SNIC_OK);
	memcpy(&info, cpl.payload, sizeof(info));
	assert_memory_equal(info.rule.value.dmac, MAC_A, 6);
	assert_int_equal(info.loc, 1024 + v);
	ref.loc = 8;
	assert_int_equal(admin(SNIC_CMD_RULE_QUERY, &ref, sizeof(ref), NULL), SNIC_E_NOENT);
	ref.loc = 1024 + v + 1;
	assert_int_equal(admin(SNIC_CMD_RULE_QUERY, &ref, sizeof(ref), NULL), SNIC_E_NOENT);
	ref.loc = 1024 + 1024; /* 1024 VNICs on large */
	assert_int_equal(admin(SNIC_CMD_RULE_QUERY, &ref, sizeof(ref), NULL), SNIC_E_RANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_slots, teardown),
		cmocka_unit_test_teardown(test_priority, teardown),
		cmocka_unit_test_teardown(test_profile_fields, teardown),
		cmocka_unit_test_teardown(test_invalid, teardown),
		cmocka_unit_test_teardown(test_query, teardown),
		cmocka_unit_test_teardown(test_all_entries_for_hosts, teardown),
	};
	return cmocka_run_group_tests_name("fw_rules", tests, NULL, NULL);
}
