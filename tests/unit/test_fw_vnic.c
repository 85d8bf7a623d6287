/* SPDX-License-Identifier: MIT */
/* VNICs: validation, ring policy, shared-ring fallback, MAC entries, bind. */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "test_fw_util.h"

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static void mac_n(uint8_t mac[6], unsigned n)
{
	const uint8_t m[6] = { 0x02, 0x11, 0x22, 0x33, (uint8_t)(n >> 8), (uint8_t)n };
	memcpy(mac, m, 6);
}

static int create_raw(const struct snic_vnic_create *c)
{
	return admin(SNIC_CMD_VNIC_CREATE, c, sizeof(*c), NULL);
}

static void base_create(struct snic_vnic_create *c)
{
	memset(c, 0, sizeof(*c));
	c->vnic = SNIC_ID_ANY;
	c->vlan = SNIC_VLAN_NONE;
	mac_n(c->mac, 1);
}

static void test_validation(void **state)
{
	(void)state;
	boot("small");
	struct snic_vnic_create c;
	struct snapshot s;
	snap_take(&s);
	base_create(&c); c.mac[0] = 0x03;            assert_int_equal(create_raw(&c), SNIC_E_INVAL);
	base_create(&c); memset(c.mac, 0, 6);        assert_int_equal(create_raw(&c), SNIC_E_INVAL);
	base_create(&c); c.vlan = 4095;              assert_int_equal(create_raw(&c), SNIC_E_RANGE);
	base_create(&c); c.uplink = 2;               assert_int_equal(create_raw(&c), SNIC_E_RANGE);
	base_create(&c); c.n_ip = 5;                 assert_int_equal(create_raw(&c), SNIC_E_RANGE);
	base_create(&c); c.rsvd = 1;                 assert_int_equal(create_raw(&c), SNIC_E_INVAL);
	base_create(&c); c.flags = 2;                assert_int_equal(create_raw(&c), SNIC_E_INVAL);
	base_create(&c); c.vnic = 16;                assert_int_equal(create_raw(&c), SNIC_E_RANGE);
	base_create(&c); c.ip[2][0] = 10;            assert_int_equal(create_raw(&c), SNIC_E_INVAL);
	base_create(&c); c.n_ip = 1;                 assert_int_equal(create_raw(&c), SNIC_E_INVAL);
	base_create(&c); c.n_ip = 1; memcpy(c.ip[0], "\xe0\0\0\1", 4);
	assert_int_equal(create_raw(&c), SNIC_E_INVAL);
	base_create(&c); c.n_ip = 1; memset(c.ip[0], 0xff, 4);
	assert_int_equal(create_raw(&c), SNIC_E_INVAL);
	assert_true(snap_same(&s));
	snap_free(&s);
	base_create(&c); c.n_ip = 1; memcpy(c.ip[0], "\x0a\0\0\1", 4); c.vlan = 4094;
	assert_int_equal(create_raw(&c), SNIC_OK);
}

static void test_uniqueness(void **state)
{
	(void)state;
	boot("large");
	uint8_t m[6];
	mac_n(m, 7);
	struct snic_vnic_info a, b, c;
	assert_int_equal(vnic_create(SNIC_ID_ANY, m, SNIC_VLAN_NONE, 0, 0, &a), SNIC_OK);
	assert_int_equal(a.vnic, 0);
	/* Same uplink: taken (other uplinks: test_fw_mac_domain.c). */
	assert_int_equal(vnic_create(SNIC_ID_ANY, m, SNIC_VLAN_NONE, 0, 0, NULL), SNIC_E_EXIST);
	/* Same MAC on a VLAN is a different (MAC, VLAN). */
	assert_int_equal(vnic_create(SNIC_ID_ANY, m, 10, 0, 0, &b), SNIC_OK);
	assert_int_equal(b.vnic, 1);
	assert_int_equal(vnic_create(SNIC_ID_ANY, m, 10, 0, 0, NULL), SNIC_E_EXIST);
	mac_n(m, 8);
	assert_int_equal(vnic_create(1, m, SNIC_VLAN_NONE, 0, 0, NULL), SNIC_E_EXIST);
	assert_int_equal(vnic_create(100, m, SNIC_VLAN_NONE, 0, 0, &c), SNIC_OK);
	assert_int_equal(c.vnic, 100);
	assert_int_equal(c.mac_rule, 1024 + 100); /* past the table: exact-steered */
	assert_memory_equal(c.mac, m, 6);
	assert_int_equal(c.vlan, SNIC_VLAN_NONE);
	/* Query returns the same info. */
	struct snic_vnic_ref ref = { .vnic = 100 };
	struct snic_admin_cpl cpl;
	assert_int_equal(admin(SNIC_CMD_VNIC_QUERY, &ref, sizeof(ref), &cpl), SNIC_OK);
	assert_memory_equal(cpl.payload, &c, sizeof(c));
	ref.rsvd = 1;
	assert_int_equal(admin(SNIC_CMD_VNIC_QUERY, &ref, sizeof(ref), NULL), SNIC_E_INVAL);
	ref.rsvd = 0; ref.vnic = 5;
	assert_int_equal(admin(SNIC_CMD_VNIC_QUERY, &ref, sizeof(ref), NULL), SNIC_E_NOENT);
	ref.vnic = 0xffff;
	assert_int_equal(admin(SNIC_CMD_VNIC_QUERY, &ref, sizeof(ref), NULL), SNIC_E_NOENT);
}

/* small: HRR/TRR 1..3 dedicated, then everybody shares ring 0. */
static void test_ring_policy(void **state)
{
	(void)state;
	boot("small");
	struct snic_vnic_info vi[16];
	uint8_t m[6];
	for (unsigned i = 0; i < 16; i++) {
		mac_n(m, i + 1);
		assert_int_equal(vnic_create(SNIC_ID_ANY, m, SNIC_VLAN_NONE, 0, 0, &vi[i]), SNIC_OK);
		assert_int_equal(vi[i].vnic, i);
		uint16_t want = i < 3 ? (uint16_t)(i + 1) : 0;
		assert_int_equal(vi[i].rx_ring, want);
		assert_int_equal(vi[i].tx_ring, want);
		assert_int_equal(vi[i].ring_state, want ? SNIC_RING_BOUND : SNIC_RING_SHARED);
	}
	mac_n(m, 99);
	assert_int_equal(vnic_create(SNIC_ID_ANY, m, SNIC_VLAN_NONE, 0, 0, NULL), SNIC_E_NOSPC);
	for (unsigned r = 1; r < 4; r++) {
		assert_int_equal(rxq(r)->state, SNIC_RING_BOUND);
		assert_int_equal(rxq(r)->vnic, r - 1);
		assert_int_equal(txq(r)->state, SNIC_RING_BOUND);
		assert_int_equal(txq(r)->vnic, r - 1);
	}
	assert_int_equal(rxq(0)->state, SNIC_RING_SHARED);
	/* The MAC entries: dedicated ones plain, shared ones MARK_SW. */
	for (unsigned i = 0; i < 16; i++) {
		const struct snic_rule *e = &fake->tcam[48 + i];
		assert_true(fake->valid[48 + i]);
		assert_int_equal(e->action.vnic, i);
		assert_int_equal(e->action.ring, SNIC_RING_DEFAULT);
		assert_int_equal(!!(e->action.flags & SNIC_ACT_MARK_SW), i >= 3);
		assert_int_equal(e->action.flags & SNIC_ACT_DROP, 0);
	}
	/* Destroying a dedicated VNIC frees its rings for the next create. */
	struct snic_vnic_ref ref = { .vnic = 1 };
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &ref, sizeof(ref), NULL), SNIC_OK);
	assert_int_equal(rxq(2)->state, SNIC_RING_UNBOUND);
	assert_int_equal(rxq(2)->vnic, SNIC_VNIC_NONE);
	assert_int_equal(txq(2)->state, SNIC_RING_UNBOUND);
	assert_false(fake->valid[48 + 1]);
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &ref, sizeof(ref), NULL), SNIC_E_NOENT);
	struct snic_vnic_info n;
	assert_int_equal(vnic_create(SNIC_ID_ANY, m, SNIC_VLAN_NONE, 0, 0, &n), SNIC_OK);
	assert_int_equal(n.vnic, 1);
	assert_int_equal(n.rx_ring, 2);
	assert_int_equal(n.tx_ring, 2);
}

static void test_sw_only(void **state)
{
	(void)state;
	boot("small");
	uint8_t m[6];
	struct snic_vnic_info vi;
	mac_n(m, 1);
	assert_int_equal(vnic_create(SNIC_ID_ANY, m, SNIC_VLAN_NONE, SNIC_VNICF_SW_ONLY, 0, &vi), SNIC_OK);
	assert_int_equal(vi.rx_ring, 0);
	assert_int_equal(vi.tx_ring, 0);
	assert_int_equal(vi.ring_state, SNIC_RING_SHARED);
	assert_true(fake->tcam[vi.mac_rule].action.flags & SNIC_ACT_MARK_SW);
	mac_n(m, 2);
	assert_int_equal(vnic_create(SNIC_ID_ANY, m, SNIC_VLAN_NONE, 0, 0, &vi), SNIC_OK);
	assert_int_equal(vi.rx_ring, 1);
}

/* The MAC entry: exact dmac, VLAN id only (not PCP), untagged-only without
 * VLAN. On "large" both live in the exact-match table. */
static void check_mac_entry(const char *profile)
{
	boot(profile);
	uint8_t m[6];
	struct snic_vnic_info a, b;
	mac_n(m, 5);
	assert_int_equal(vnic_create(SNIC_ID_ANY, m, SNIC_VLAN_NONE, 0, 0, &a), SNIC_OK);
	assert_int_equal(vnic_create(SNIC_ID_ANY, m, 0x123, 0, 0, &b), SNIC_OK);

	struct snic_key k;
	struct snic_match res;
	memset(&k, 0, sizeof(k));
	memcpy(k.dmac, m, 6);
	k.flags = SNIC_KF_IPV4;
	fake_lookup(&k, &res);
	assert_true(is_mac_hit(res.rule, &a));
	assert_int_equal(res.action.vnic, a.vnic);
	k.flags = SNIC_KF_VLAN; /* priority-tagged: not the untagged VNIC */
	fake_lookup(&k, &res);
	assert_int_equal(res.rule, SNIC_RULE_MISS);
	k.vlan[0] = 0xe1; /* PCP 7, VID 0x123 */
	k.vlan[1] = 0x23;
	fake_lookup(&k, &res);
	if (fake->hw.exact_entries) {
		/* Exact hit: the slot holding (MAC, tagged, VID 0x123) by hand. */
		assert_true(res.rule >= SNIC_RULE_EXACT);
		const struct snic_exact_slot *x = &fake->xslot[res.rule - SNIC_RULE_EXACT];
		assert_true(x->valid);
		assert_true(x->key == (0x021122330005ull << 16 | 0x1000 | 0x123));
		for (unsigned i = 0; i < FAKE_TCAM; i++)
			assert_int_equal(fake->valid[i], 0); /* no ternary twins */
	} else {
		assert_int_equal(res.rule, b.mac_rule);
	}
	assert_true(is_mac_hit(res.rule, &b));
	assert_int_equal(res.action.vnic, b.vnic);
	k.vlan[1] = 0x24;
	fake_lookup(&k, &res);
	assert_int_equal(res.rule, SNIC_RULE_MISS);
	k.dmac[5] ^= 1;
	k.flags = 0;
	fake_lookup(&k, &res);
	assert_int_equal(res.rule, SNIC_RULE_MISS);
}

static void test_mac_entry(void **state)
{
	(void)state;
	check_mac_entry("large");
	check_mac_entry("small");
}

static void test_destroy_busy(void **state)
{
	(void)state;
	boot("large");
	uint8_t m[6];
	struct snic_vnic_info vi;
	mac_n(m, 1);
	assert_int_equal(vnic_create(SNIC_ID_ANY, m, SNIC_VLAN_NONE, 0, 0, &vi), SNIC_OK);
	struct snic_rule r;
	rule_init(&r, vi.vnic, SNIC_ACT_COUNT);
	r.value.ip_proto = 6;
	r.mask.ip_proto = 0xff;
	uint32_t loc;
	assert_int_equal(rule_add(SNIC_LOC_ANY, &r, &loc), SNIC_OK);
	struct snic_vnic_ref ref = { .vnic = vi.vnic };
	struct snapshot s;
	snap_take(&s);
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &ref, sizeof(ref), NULL), SNIC_E_BUSY);
	assert_true(snap_same(&s));
	snap_free(&s);
	struct snic_rule_ref rr = { .loc = loc };
	assert_int_equal(admin(SNIC_CMD_RULE_DEL, &rr, sizeof(rr), NULL), SNIC_OK);
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &ref, sizeof(ref), NULL), SNIC_OK);
}

static void test_ring_bind(void **state)
{
	(void)state;
	boot("small");
	uint8_t m[6];
	struct snic_vnic_info vi[5];
	for (unsigned i = 0; i < 5; i++) {
		mac_n(m, i + 1);
		assert_int_equal(vnic_create(SNIC_ID_ANY, m, SNIC_VLAN_NONE, 0, 0, &vi[i]), SNIC_OK);
	}
	struct snic_ring_bind b;
	struct snic_vnic_ref ref = { .vnic = 4 };
	struct snic_admin_cpl cpl;
	struct snic_vnic_info got;

	b = (struct snic_ring_bind){ .ring = 0, .vnic = 4 };
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_E_BUSY);
	b = (struct snic_ring_bind){ .ring = 4, .vnic = 4 };
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_E_NOENT);
	b = (struct snic_ring_bind){ .ring = 1, .vnic = 4 };
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_E_BUSY);
	b = (struct snic_ring_bind){ .ring = 1, .vnic = 9 };
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_E_NOENT);

	/* Unbind HRR 1: VNIC 0 falls back to the shared ring, MAC entry marked. */
	b = (struct snic_ring_bind){ .ring = 1, .vnic = SNIC_VNIC_NONE };
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_OK);
	assert_int_equal(rxq(1)->state, SNIC_RING_UNBOUND);
	assert_true(fake->tcam[vi[0].mac_rule].action.flags & SNIC_ACT_MARK_SW);
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_E_NOENT);

	/* Bind it to VNIC 4 (was shared). */
	b = (struct snic_ring_bind){ .ring = 1, .vnic = 4 };
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_OK);
	assert_int_equal(admin(SNIC_CMD_VNIC_QUERY, &ref, sizeof(ref), &cpl), SNIC_OK);
	memcpy(&got, cpl.payload, sizeof(got));
	assert_int_equal(got.rx_ring, 1);
	assert_int_equal(got.ring_state, SNIC_RING_BOUND);
	assert_int_equal(rxq(1)->vnic, 4);
	assert_false(fake->tcam[vi[4].mac_rule].action.flags & SNIC_ACT_MARK_SW);
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_OK); /* idempotent */

	/* Move VNIC 1 from HRR 2 to HRR 1? Busy (VNIC 4 has it). Unbind 3, move 1 there. */
	b = (struct snic_ring_bind){ .ring = 3, .vnic = SNIC_VNIC_NONE };
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_OK);
	b = (struct snic_ring_bind){ .ring = 3, .vnic = 1 };
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_OK);
	assert_int_equal(rxq(2)->state, SNIC_RING_UNBOUND);
	assert_int_equal(rxq(3)->vnic, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_validation, teardown),
		cmocka_unit_test_teardown(test_uniqueness, teardown),
		cmocka_unit_test_teardown(test_ring_policy, teardown),
		cmocka_unit_test_teardown(test_sw_only, teardown),
		cmocka_unit_test_teardown(test_mac_entry, teardown),
		cmocka_unit_test_teardown(test_destroy_busy, teardown),
		cmocka_unit_test_teardown(test_ring_bind, teardown),
	};
	return cmocka_run_group_tests_name("fw_vnic", tests, NULL, NULL);
}
