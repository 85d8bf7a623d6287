/* SPDX-License-Identifier: MIT */
/*
 * Bandwidth shares in the firmware (bwalloc.c) on the fake HAL and its
 * clock: VNIC_SHARE / VNIC_SHARE_QUERY validation (a refused command
 * changes nothing), defaults, a VNIC's share dying with it, the limit
 * holding two backlogged VNICs to 3:1 of an uplink, and the split redone
 * in the very poll that sees the capacity change.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "test_fw_util.h"
#include "fw.h"

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0x0a, 0x01 };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0x0a, 0x02 };
static const uint8_t PEER[6] = { 0x02, 0, 0, 0, 0x0b, 0x01 };

/* The device splits all but 1/512 of the capacity (docs/rate-limiting.md). */
#define USABLE(cap) ((cap) - (cap) / 512)

static struct snic_vnic_info va, vb;

static int setup(void **state)
{
	(void)state;
	boot("small"); /* 2 uplinks of 10 Gbit/s, 4 TX rings */
	assert_int_equal(port_set(0, 1), SNIC_OK);
	assert_int_equal(vnic_create(0, MAC_A, SNIC_VLAN_NONE, 0, 0, &va), SNIC_OK);
	assert_int_equal(vnic_create(1, MAC_B, SNIC_VLAN_NONE, 0, 0, &vb), SNIC_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static int share(uint16_t vnic, uint16_t weight, uint8_t prio, uint64_t min)
{
	struct snic_vnic_share s = { vnic, weight, prio, 0, 0, min };
	return admin(SNIC_CMD_VNIC_SHARE, &s, sizeof(s), NULL);
}

static struct snic_vnic_share_info query(uint16_t vnic)
{
	struct snic_vnic_ref r = { vnic, 0 };
	struct snic_admin_cpl cpl;
	struct snic_vnic_share_info in;
	assert_int_equal(admin(SNIC_CMD_VNIC_SHARE_QUERY, &r, sizeof(r), &cpl), SNIC_OK);
	assert_int_equal(cpl.len, sizeof(in));
	memcpy(&in, cpl.payload, sizeof(in));
	return in;
}

static void test_bad_commands_change_nothing(void **state)
{
	(void)state;
	struct snic_vnic_share s = { 0, 2000, 0, 0, 0, 0 };
	s.rsvd0 = 1;
	assert_int_equal(admin(SNIC_CMD_VNIC_SHARE, &s, sizeof(s), NULL), SNIC_E_INVAL);
	s.rsvd0 = 0;
	s.rsvd1 = 0x100;
	assert_int_equal(admin(SNIC_CMD_VNIC_SHARE, &s, sizeof(s), NULL), SNIC_E_INVAL);
	assert_int_equal(admin(SNIC_CMD_VNIC_SHARE, &s, sizeof(s) - 1, NULL), SNIC_E_LEN);
	assert_int_equal(share(7, 2000, 0, 0), SNIC_E_NOENT);           /* no such VNIC */
	assert_int_equal(share(0, 2000, SNIC_SHARE_PRIO_MAX + 1, 0), SNIC_E_RANGE);
	assert_int_equal(share(0, 2000, 0, 999999), SNIC_E_RANGE);      /* < 1 Mbit/s */
	assert_int_equal(share(0, 2000, 0, 400000000001ull), SNIC_E_RANGE);
	assert_int_equal(share(0, 0, 3, 0), SNIC_E_INVAL);              /* prio of nothing */

	struct snic_vnic_share_info in = query(0);
	assert_int_equal(in.flags, 0);                 /* not set, uplink not split */
	assert_int_equal(in.weight, SNIC_SHARE_DEFAULT_WEIGHT);
	assert_int_equal(in.min_bps, 0);
	assert_int_equal(in.rate_bps, 0);

	struct snic_vnic_ref r = { 7, 0 };
	assert_int_equal(admin(SNIC_CMD_VNIC_SHARE_QUERY, &r, sizeof(r), NULL), SNIC_E_NOENT);
	r.vnic = 0;
	r.rsvd = 1;
	assert_int_equal(admin(SNIC_CMD_VNIC_SHARE_QUERY, &r, sizeof(r), NULL), SNIC_E_INVAL);
}

static void test_set_query_clear(void **state)
{
	(void)state;
	assert_int_equal(share(0, 2000, 3, 5000000), SNIC_OK);
	struct snic_vnic_share_info a = query(0), b = query(1);
	assert_int_equal(a.weight, 2000);
	assert_int_equal(a.prio, 3);
	assert_int_equal(a.min_bps, 5000000);
	assert_int_equal(a.uplink, 0);
	assert_int_equal(a.flags, SNIC_SHAREF_SET | SNIC_SHAREF_ACTIVE);
	assert_int_equal(a.capacity_bps, 10000000000ull);
	/* The other VNIC on the uplink is split too, with the defaults. */
	assert_int_equal(b.flags, SNIC_SHAREF_ACTIVE);
	assert_int_equal(b.weight, SNIC_SHARE_DEFAULT_WEIGHT);
	assert_true(b.rate_bps > 0);

	assert_int_equal(share(0, 0, 0, 0), SNIC_OK); /* removed */
	a = query(0);
	b = query(1);
	assert_int_equal(a.flags, 0);
	assert_int_equal(a.weight, SNIC_SHARE_DEFAULT_WEIGHT);
	assert_int_equal(b.flags, 0);
	assert_int_equal(b.rate_bps, 0); /* nobody limited any more */
}

static void test_share_dies_with_its_vnic(void **state)
{
	(void)state;
	assert_int_equal(share(1, 50, 1, 0), SNIC_OK);
	struct snic_vnic_ref r = { 1, 0 };
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &r, sizeof(r), NULL), SNIC_OK);
	assert_int_equal(vnic_create(1, MAC_B, SNIC_VLAN_NONE, 0, 0, &vb), SNIC_OK);
	struct snic_vnic_share_info in = query(1);
	assert_int_equal(in.flags, 0);
	assert_int_equal(in.weight, SNIC_SHARE_DEFAULT_WEIGHT);
	assert_int_equal(in.prio, 0);
}

/* ---- traffic on the fake clock ---- */

#define FRAME 1500u
#define SLOT  2048u

static uint64_t buf_base[2];

/* Keep a TX ring full, each slot with its own buffer (no DMA growth). */
static void fill(unsigned ring, uint64_t base, const uint8_t *f)
{
	struct snic_txq *q = txq(ring);
	struct snic_tx_desc *d = win_at(q->desc_off);
	while (q->desc_prod - q->desc_cons < q->size) {
		uint32_t slot = q->desc_prod % q->size;
		d[slot] = (struct snic_tx_desc){ base + slot * SLOT, FRAME, 0, 0 };
		memcpy(win_at(d[slot].addr), f, FRAME);
		q->desc_prod++;
	}
}

static void run(uint64_t until, const uint8_t *fa, const uint8_t *fb)
{
	for (; fake->now_ns < until; fake->now_ns += 1000) {
		fill(va.tx_ring, buf_base[0], fa);
		fill(vb.tx_ring, buf_base[1], fb);
		fw_poll(tfw);
	}
}

static void test_limits_hold_backlogged_vnics_to_their_shares(void **state)
{
	(void)state;
	uint8_t fa[FRAME], fb[FRAME];
	make_eth(fa, PEER, MAC_A, SNIC_VLAN_NONE, 0x88b6, FRAME - 14);
	make_eth(fb, PEER, MAC_B, SNIC_VLAN_NONE, 0x88b6, FRAME - 14);
	buf_base[0] = dma_alloc(txq(va.tx_ring)->size * SLOT);
	buf_base[1] = dma_alloc(txq(vb.tx_ring)->size * SLOT);
	assert_int_equal(share(0, 3000, 0, 0), SNIC_OK);
	assert_int_equal(share(1, 1000, 0, 0), SNIC_OK);

	run(fake->now_ns + 5000000, fa, fb); /* settle: 5 ms */
	uint64_t a0 = txq(va.tx_ring)->bytes, b0 = txq(vb.tx_ring)->bytes, t0 = fake->now_ns;
	run(fake->now_ns + 20000000, fa, fb);
	double dt = (double)(fake->now_ns - t0) / 1e9;
	/* Wire bit/s: every 1500-byte frame is 1524 bytes on the wire. */
	double ra = (double)(txq(va.tx_ring)->bytes - a0) * 8 * 1524 / 1500 / dt;
	double rb = (double)(txq(vb.tx_ring)->bytes - b0) * 8 * 1524 / 1500 / dt;
	double usable = (double)USABLE(10000000000ull);
	print_message("# 3:1 on 10 Gbit/s: %.1f and %.1f Mbit/s (want %.1f and %.1f)\n", ra / 1e6,
		      rb / 1e6, usable * 0.75 / 1e6, usable * 0.25 / 1e6);
	assert_true(ra > usable * 0.75 * 0.995 && ra < usable * 0.75 * 1.005);
	assert_true(rb > usable * 0.25 * 0.995 && rb < usable * 0.25 * 1.005);

	struct snic_vnic_share_info a = query(0), b = query(1);
	assert_true(a.flags & SNIC_SHAREF_BACKLOG);
	assert_int_equal(a.demand_bps, 10000000000ull);         /* wants everything */
	/* 3/4 and 1/4 of 9980468750 are x.5: exact integers, summing to all. */
	assert_int_equal(a.alloc_bps + b.alloc_bps, USABLE(10000000000ull));
	assert_true(a.alloc_bps == 7485351562ull || a.alloc_bps == 7485351563ull);
	assert_int_equal(a.rate_bps, a.alloc_bps);
	assert_int_equal(b.rate_bps, b.alloc_bps);

	/* Carrier lost: the split is redone in the next poll, not the next tick. */
	uint32_t splits = query(0).splits; /* any tick due has run by now */
	fake->no_carrier[0] = 1;
	fake->now_ns += 1000;
	fw_poll(tfw);
	a = query(0);
	assert_int_equal(a.capacity_bps, 0);
	assert_int_equal(a.splits, splits + 1);
	fake->no_carrier[0] = 0;
	fake->now_ns += 1000;
	fw_poll(tfw);
	a = query(0);
	assert_int_equal(a.capacity_bps, 10000000000ull);
	assert_int_equal(a.splits, splits + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_commands_change_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_query_clear, setup, teardown),
		cmocka_unit_test_setup_teardown(test_share_dies_with_its_vnic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits_hold_backlogged_vnics_to_their_shares,
						setup, teardown),
	};
	return cmocka_run_group_tests_name("fw_bwalloc", tests, NULL, NULL);
}
