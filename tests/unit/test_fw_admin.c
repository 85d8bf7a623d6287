/* SPDX-License-Identifier: MIT */
/* Admin queue: ordering, flow control, hostile hosts, every opcode. */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "test_fw_util.h"

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x0a };

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static const struct snic_admin_cpl *cpl_slot(uint32_t idx)
{
	const struct snic_blk_admin *a = admin_blk();
	return win_at(a->cpl_off + (uint64_t)(idx % a->entries) * 256);
}

static void test_nop_and_caps(void **state)
{
	(void)state;
	boot("large");
	struct snic_admin_cpl c;
	assert_int_equal(admin(SNIC_CMD_NOP, NULL, 0, &c), SNIC_OK);
	assert_int_equal(c.len, 0);
	assert_int_equal(admin(SNIC_CMD_QUERY_CAPS, NULL, 0, &c), SNIC_OK);
	struct snic_caps_info ci;
	assert_int_equal(c.len, sizeof(ci));
	memcpy(&ci, c.payload, sizeof(ci));
	const struct snic_blk_caps *cb = win_at(find_block(SNIC_BLK_CAPS));
	assert_int_equal(ci.records, cb->records);
	assert_int_equal(ci.length, cb->length);
	assert_int_equal(ci.generation, cb->generation);
	assert_int_equal(stats()->admin_cmds, 2);
	assert_int_equal(stats()->admin_errors, 0);
}

static void test_bad_header(void **state)
{
	(void)state;
	boot("large");
	struct snic_blk_admin *a = admin_blk();
	struct snapshot s;
	snap_take(&s);

	assert_int_equal(admin(0x99, NULL, 0, NULL), SNIC_E_OPCODE);
	assert_int_equal(admin(SNIC_CMD_NOP, NULL, 4, NULL), SNIC_E_LEN);
	assert_int_equal(admin(SNIC_CMD_NOP, NULL, 0xffffffffu, NULL), SNIC_E_LEN);

	/* rsvd0 / rsvd1 set by hand in the slot before the doorbell. */
	for (int which = 0; which < 2; which++) {
		struct snic_admin_cmd *c = win_at(a->cmd_off + (a->cmd_prod % 16) * 256ull);
		memset(c, 0, sizeof(*c));
		c->opcode = SNIC_CMD_NOP;
		c->seq = 77;
		if (which)
			c->rsvd1 = 1;
		else
			c->rsvd0 = 0x8000;
		a->cmd_prod++;
		fw_poll(tfw);
		assert_int_equal(a->cpl_prod, a->cpl_cons + 1);
		assert_int_equal(cpl_slot(a->cpl_cons)->status, SNIC_E_INVAL);
		assert_int_equal(cpl_slot(a->cpl_cons)->seq, 77);
		a->cpl_cons++;
	}
	assert_int_equal(stats()->admin_errors, 5);
	assert_int_equal(stats()->admin_cmds, 5);
	assert_true(snap_same(&s));
	snap_free(&s);
}

/* Every opcode refuses any payload length but its own, changing nothing. */
static void test_lengths(void **state)
{
	(void)state;
	static const struct { uint16_t op; uint32_t len; } ops[] = {
		{ SNIC_CMD_NOP, 0 }, { SNIC_CMD_QUERY_CAPS, 0 }, { SNIC_CMD_RESET, 0 },
		{ SNIC_CMD_VNIC_CREATE, 32 }, { SNIC_CMD_VNIC_DESTROY, 4 },
		{ SNIC_CMD_VNIC_QUERY, 4 }, { SNIC_CMD_RULE_ADD, 144 },
		{ SNIC_CMD_RULE_DEL, 4 }, { SNIC_CMD_RULE_QUERY, 4 },
		{ SNIC_CMD_RING_BIND, 4 }, { SNIC_CMD_METER_SET, 32 },
		{ SNIC_CMD_PORT_SET, 4 },
	};
	uint8_t payload[SNIC_ADMIN_PAYLOAD];
	boot("large");
	assert_int_equal(vnic_create(3, MAC_A, SNIC_VLAN_NONE, 0, 0, NULL), SNIC_OK);
	struct snapshot s;
	snap_take(&s);
	memset(payload, 0, sizeof(payload));
	for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		const uint32_t bad[] = { ops[i].len + 1, ops[i].len ? ops[i].len - 1 : 2, 240, 241 };
		for (unsigned j = 0; j < 4; j++)
			assert_int_equal(admin(ops[i].op, payload, bad[j], NULL), SNIC_E_LEN);
	}
	assert_true(snap_same(&s));
	snap_free(&s);
}

/* (TEAM_SET belongs to the teaming module and is tested there.) */
static void test_meter_set_ok(void **state)
{
	(void)state;
	boot("large");
	struct snic_meter_set m;
	memset(&m, 0, sizeof(m));
	m.mode = SNIC_METER_SRTCM;
	m.cir_bps = 10000000;
	m.cbs = 10000;
	assert_int_equal(admin(SNIC_CMD_METER_SET, &m, sizeof(m), NULL), SNIC_OK);
}

static void test_port_set(void **state)
{
	(void)state;
	boot("small");
	assert_int_equal(port_set(1, 1), SNIC_OK);
	assert_int_equal(fake->port_enabled[1], 1);
	assert_int_equal(port_set(1, 0), SNIC_OK);
	assert_int_equal(fake->port_enabled[1], 0);
	unsigned calls = fake->port_calls;
	assert_int_equal(port_set(2, 1), SNIC_E_RANGE); /* small has 2 uplinks */
	assert_int_equal(port_set(0, 2), SNIC_E_INVAL);
	struct snic_port_set p = { .port = 0, .admin_up = 1, .rsvd = 1 };
	assert_int_equal(admin(SNIC_CMD_PORT_SET, &p, sizeof(p), NULL), SNIC_E_INVAL);
	assert_int_equal(fake->port_calls, calls);
}

static void test_reset(void **state)
{
	(void)state;
	boot("large");
	struct snic_vnic_info vi;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, &vi), SNIC_OK);
	struct snic_rule r;
	rule_init(&r, vi.vnic, 0);
	rule_match_dmac(&r, MAC_A);
	assert_int_equal(rule_add(5, &r, NULL), SNIC_OK);
	assert_int_equal(port_set(2, 1), SNIC_OK);
	assert_int_equal(rxq(vi.rx_ring)->state, SNIC_RING_BOUND);

	assert_int_equal(admin(SNIC_CMD_RESET, NULL, 0, NULL), SNIC_OK);
	assert_int_equal(devid()->reset_count, 1);
	for (unsigned i = 0; i < FAKE_TCAM; i++)
		assert_int_equal(fake->valid[i], 0);
	assert_int_equal(fake->port_enabled[2], 0);
	for (unsigned i = 0; i < 16; i++) {
		assert_int_equal(rxq(i)->state, i ? SNIC_RING_UNBOUND : SNIC_RING_SHARED);
		assert_int_equal(txq(i)->state, i ? SNIC_RING_UNBOUND : SNIC_RING_SHARED);
		assert_int_equal(rxq(i)->vnic, SNIC_VNIC_NONE);
	}
	struct snic_vnic_ref ref = { .vnic = vi.vnic };
	assert_int_equal(admin(SNIC_CMD_VNIC_QUERY, &ref, sizeof(ref), NULL), SNIC_E_NOENT);
	struct snic_rule_ref rr = { .loc = 5 };
	assert_int_equal(admin(SNIC_CMD_RULE_QUERY, &rr, sizeof(rr), NULL), SNIC_E_NOENT);
	/* The same MAC can be created again. */
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, &vi), SNIC_OK);
}

/* A full ring of commands in one poll: answered in order, seq echoed. */
static void test_batch_in_order(void **state)
{
	(void)state;
	boot("large");
	struct snic_blk_admin *a = admin_blk();
	for (uint32_t i = 0; i < 16; i++)
		admin_submit(i % 2 ? SNIC_CMD_NOP : 0x7f, 1000 + i, NULL, 0);
	fw_poll(tfw);
	assert_int_equal(a->cmd_cons, 16);
	assert_int_equal(a->cpl_prod, 16);
	for (uint32_t i = 0; i < 16; i++) {
		assert_int_equal(cpl_slot(i)->seq, 1000 + i);
		assert_int_equal(cpl_slot(i)->status, i % 2 ? SNIC_OK : SNIC_E_OPCODE);
	}
}

/* The device never overwrites completions the host has not consumed. */
static void test_cpl_flow_control(void **state)
{
	(void)state;
	boot("large");
	struct snic_blk_admin *a = admin_blk();
	for (uint32_t i = 0; i < 16; i++)
		admin_submit(SNIC_CMD_NOP, i, NULL, 0);
	fw_poll(tfw);
	assert_int_equal(a->cpl_prod, 16);
	admin_submit(SNIC_CMD_NOP, 500, NULL, 0);
	fw_poll(tfw);
	fw_poll(tfw);
	assert_int_equal(a->cpl_prod, 16);
	assert_int_equal(a->cmd_cons, 16);
	assert_int_equal(cpl_slot(0)->seq, 0);
	a->cpl_cons = 1;
	fw_poll(tfw);
	assert_int_equal(a->cpl_prod, 17);
	assert_int_equal(cpl_slot(16)->seq, 500);
	assert_int_equal(cpl_slot(1)->seq, 1);

	/* A cpl_cons ahead of cpl_prod is nonsense: no completion is written. */
	a->cpl_cons = 1000;
	admin_submit(SNIC_CMD_NOP, 501, NULL, 0);
	fw_poll(tfw);
	assert_int_equal(a->cpl_prod, 17);
	a->cpl_cons = 17;
	fw_poll(tfw);
	assert_int_equal(a->cpl_prod, 18);
	assert_int_equal(cpl_slot(17)->seq, 501);
}

/* cmd_prod more than a ring ahead (or behind): nothing answered, resync. */
static void test_hostile_cmd_prod(void **state)
{
	(void)state;
	boot("large");
	struct snic_blk_admin *a = admin_blk();
	assert_int_equal(admin(SNIC_CMD_NOP, NULL, 0, NULL), SNIC_OK);
	const uint32_t bogus[] = { 1 + 17, 0x80000000u, 0 /* behind cons=1 */ };
	uint64_t errs = stats()->admin_errors;
	for (unsigned i = 0; i < 3; i++) {
		uint32_t prod0 = a->cpl_prod;
		struct snapshot s;
		snap_take(&s);
		a->cmd_prod = bogus[i];
		fw_poll(tfw);
		assert_int_equal(a->cpl_prod, prod0);
		assert_int_equal(a->cmd_cons, bogus[i]);
		assert_int_equal(stats()->admin_errors, errs + i + 1);
		assert_true(snap_same(&s));
		snap_free(&s);
		/* And the queue works again from there. */
		assert_int_equal(admin(SNIC_CMD_NOP, NULL, 0, NULL), SNIC_OK);
	}
}

/* Random payloads for every opcode: an error reply means nothing changed. */
static void test_fuzz_payloads(void **state)
{
	(void)state;
	static const struct { uint16_t op; uint32_t len; } ops[] = {
		{ SNIC_CMD_VNIC_CREATE, 32 }, { SNIC_CMD_VNIC_DESTROY, 4 },
		{ SNIC_CMD_VNIC_QUERY, 4 }, { SNIC_CMD_RULE_ADD, 144 },
		{ SNIC_CMD_RULE_DEL, 4 }, { SNIC_CMD_RULE_QUERY, 4 },
		{ SNIC_CMD_RING_BIND, 4 }, { SNIC_CMD_PORT_SET, 4 },
		{ SNIC_CMD_METER_SET, 32 },
	};
	uint8_t p[SNIC_ADMIN_PAYLOAD];
	unsigned errors = 0, oks = 0;
	boot("small");
	assert_int_equal(vnic_create(1, MAC_A, SNIC_VLAN_NONE, 0, 0, NULL), SNIC_OK);
	srand(12345);
	for (int it = 0; it < 3000; it++) {
		unsigned k = (unsigned)rand() % (sizeof(ops) / sizeof(ops[0]));
		for (unsigned i = 0; i < sizeof(p); i++)
			p[i] = (uint8_t)rand();
		/* Bias towards small ids so some commands are well-formed. */
		if (rand() % 2) {
			p[0] &= 0x0f;
			p[1] = 0;
			p[2] = p[3] = 0;
		}
		struct snapshot s;
		snap_take(&s);
		int st = admin(ops[k].op, p, ops[k].len, NULL);
		if (st != SNIC_OK) {
			assert_true(snap_same(&s));
			errors++;
		} else {
			oks++;
		}
		snap_free(&s);
	}
	assert_true(errors > 1000);
	assert_true(oks > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_nop_and_caps, teardown),
		cmocka_unit_test_teardown(test_bad_header, teardown),
		cmocka_unit_test_teardown(test_lengths, teardown),
		cmocka_unit_test_teardown(test_meter_set_ok, teardown),
		cmocka_unit_test_teardown(test_port_set, teardown),
		cmocka_unit_test_teardown(test_reset, teardown),
		cmocka_unit_test_teardown(test_batch_in_order, teardown),
		cmocka_unit_test_teardown(test_cpl_flow_control, teardown),
		cmocka_unit_test_teardown(test_hostile_cmd_prod, teardown),
		cmocka_unit_test_teardown(test_fuzz_payloads, teardown),
	};
	return cmocka_run_group_tests_name("fw_admin", tests, NULL, NULL);
}
