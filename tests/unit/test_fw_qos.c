/* SPDX-License-Identifier: MIT */
/* METER_SET, RX policing in the steering path, TX shaping in the TX path. */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "core/fw_internal.h"
#include "test_fw_util.h"

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static uint8_t frame[16384];

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static int meter_set(uint16_t id, uint8_t mode, uint8_t flags, uint64_t cir, uint32_t cbs,
		     uint64_t eir, uint32_t ebs)
{
	struct snic_meter_set m;
	memset(&m, 0, sizeof(m));
	m.meter = id;
	m.mode = mode;
	m.flags = flags;
	m.cir_bps = cir;
	m.cbs = cbs;
	m.eir_bps = eir;
	m.ebs = ebs;
	return admin(SNIC_CMD_METER_SET, &m, sizeof(m), NULL);
}

static void test_meter_set_validation(void **state)
{
	(void)state;
	boot("large");
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, &a), SNIC_OK);
	const uint8_t S = SNIC_METER_SRTCM, T = SNIC_METER_TRTCM, H = SNIC_METER_SHAPER;
	const uint8_t X = SNIC_METERF_RFC4115, W = SNIC_METERF_WIRE, M = SNIC_METERF_MARK;
	const uint64_t G = 1000000000ull;
	struct snapshot s;
	snap_take(&s);
	struct { uint16_t id; uint8_t mode, flags; uint64_t cir; uint32_t cbs; uint64_t eir;
		 uint32_t ebs; int want; } bad[] = {
		{ 0, 0, 0, G, 1000, 0, 0, SNIC_E_INVAL },          /* no mode */
		{ 0, 4, 0, G, 1000, 0, 0, SNIC_E_INVAL },
		{ 0, S, 0x08, G, 1000, 0, 0, SNIC_E_INVAL },       /* unknown flag */
		{ 4096, S, 0, G, 1000, 0, 0, SNIC_E_RANGE },       /* policer id */
		{ 0, S, 0, 999999, 1000, 0, 0, SNIC_E_RANGE },     /* below 1 Mbit/s */
		{ 0, S, 0, 400 * G + 1, 1000, 0, 0, SNIC_E_RANGE },
		{ 0, S, 0, G, 0, 0, 0, SNIC_E_RANGE },             /* no CBS */
		{ 0, S, 0, G, (1u << 30) + 1, 0, 0, SNIC_E_RANGE },
		{ 0, S, 0, G, 1000, G, 1000, SNIC_E_INVAL },       /* srTCM has one rate */
		{ 0, S, X, G, 1000, 0, 1000, SNIC_E_INVAL },       /* 4115 is a trTCM */
		{ 0, T, 0, G, 1000, G / 2, 1000, SNIC_E_RANGE },   /* PIR < CIR */
		{ 0, T, 0, G, 1000, 2 * G, 0, SNIC_E_RANGE },      /* no PBS */
		{ 0, T, X, G, 1000, 0, 1000, SNIC_E_INVAL },       /* EBS without EIR */
		{ 0, T, X, G, 1000, 2 * G, 0, SNIC_E_RANGE },
		{ 9, H, 0, G, 4096, 0, 0, SNIC_E_NOENT },          /* no VNIC 9 */
		{ a.vnic, H, M, G, 4096, 0, 0, SNIC_E_INVAL },     /* MARK is for policers */
		{ a.vnic, H, 0, G, 2047, 0, 0, SNIC_E_RANGE },     /* burst < largest frame */
		{ a.vnic, H, W, G, 2048, 0, 0, SNIC_E_RANGE },     /* wire: 2048 + 24 */
		{ a.vnic, H, 0, G, 4096, G / 2, 4096, SNIC_E_RANGE }, /* peak < average */
		{ a.vnic, H, 0, G, 4096, 2 * G, 100, SNIC_E_RANGE },
		{ a.vnic, H, 0, G, 4096, 0, 4096, SNIC_E_INVAL },  /* peak burst, no peak */
		{ a.vnic, H, 0, 0, 4096, 0, 0, SNIC_E_INVAL },     /* removal with leftovers */
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int st = meter_set(bad[i].id, bad[i].mode, bad[i].flags, bad[i].cir, bad[i].cbs,
				   bad[i].eir, bad[i].ebs);
		if (st != bad[i].want)
			fail_msg("case %u: status %d, want %d", i, st, bad[i].want);
	}
	struct snic_meter_set m;
	memset(&m, 0, sizeof(m));
	m.mode = S; m.cir_bps = G; m.cbs = 1000; m.rsvd = 1;
	assert_int_equal(admin(SNIC_CMD_METER_SET, &m, sizeof(m), NULL), SNIC_E_INVAL);
	assert_true(snap_same(&s));
	snap_free(&s);

	assert_int_equal(meter_set(255, S, W | M, 1000000, 1, 0, 0), SNIC_OK);
	assert_int_equal(meter_set(1, T, 0, G, 1000, G, 1000), SNIC_OK);
	assert_int_equal(meter_set(2, T, X, G, 1000, 0, 0), SNIC_OK);
	assert_int_equal(meter_set(a.vnic, H, W, 400 * G, 2072, 400 * G, 1u << 30), SNIC_OK);
	assert_int_equal(meter_set(a.vnic, H, 0, 0, 0, 0, 0), SNIC_OK);
}

/* srTCM 1 byte/us, CBS 1000, EBS 1000, frames of 500 at one instant. */
static void police_run(uint8_t flags, int *colors, int *reasons)
{
	boot("large");
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, &a), SNIC_OK);
	assert_int_equal(port_set(0, 1), SNIC_OK);
	assert_int_equal(meter_set(7, SNIC_METER_SRTCM, flags, 8000000, 1000, 0, 1000), SNIC_OK);
	struct snic_rule r;
	rule_init(&r, a.vnic, SNIC_ACT_METER);
	r.action.meter = 7;
	rule_match_dmac(&r, MAC_A);
	assert_int_equal(rule_add(0, &r, NULL), SNIC_OK);
	rx_post(a.rx_ring, 8, 2048);
	uint32_t len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0800, 500 - 14);
	assert_int_equal(len, 500);
	for (int i = 0; i < 5; i++) {
		rx_frame(frame, len, 0);
		fw_poll(tfw);
		reasons[i] = fake->last_reason;
	}
	struct snic_rx_cpl c;
	for (int i = 0; i < 5; i++) {
		colors[i] = -1;
		if (reasons[i] == HAL_DELIVERED) {
			assert_int_equal(rx_take(a.rx_ring, &c), 1);
			assert_int_equal(c.meter, 7);
			colors[i] = c.color;
		}
	}
}

static void test_rx_policing(void **state)
{
	(void)state;
	int colors[5], reasons[5];
	police_run(0, colors, reasons);
	const int want_c[5] = { 0, 0, 1, 1, -1 };
	const int want_r[5] = { HAL_DELIVERED, HAL_DELIVERED, HAL_DELIVERED, HAL_DELIVERED,
				SNIC_DROP_METER };
	assert_memory_equal(colors, want_c, sizeof(want_c));
	assert_memory_equal(reasons, want_r, sizeof(want_r));
	assert_int_equal(stats()->drops[SNIC_DROP_METER], 1);
	fake_teardown();

	police_run(SNIC_METERF_MARK, colors, reasons);
	const int want_m[5] = { 0, 0, 1, 1, 2 };
	assert_memory_equal(colors, want_m, sizeof(want_m));
	assert_int_equal(reasons[4], HAL_DELIVERED);
	assert_int_equal(stats()->drops[SNIC_DROP_METER], 0);

	/* 500 us later: 500 bytes of tokens, one green frame again. */
	fake->now_ns += 500000;
	uint32_t len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0800, 500 - 14);
	rx_frame(frame, len, 0);
	rx_frame(frame, len, 0);
	fw_poll(tfw);
	struct snic_rx_cpl c;
	assert_int_equal(rx_take(1, &c), 1);
	assert_int_equal(c.color, 0);
	assert_int_equal(rx_take(1, &c), 1);
	assert_int_equal(c.color, 2);
}

/* Shaper 1 byte/us, burst 2048: frames wait for tokens, none is dropped. */
static void test_tx_shaping(void **state)
{
	(void)state;
	boot("large");
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, &a), SNIC_OK);
	assert_int_equal(port_set(0, 1), SNIC_OK);
	assert_int_equal(meter_set(a.vnic, SNIC_METER_SHAPER, 0, 8000000, 2048, 0, 0), SNIC_OK);
	uint32_t len = make_eth(frame, MAC_B, MAC_A, SNIC_VLAN_NONE, 0x0800, 1000 - 14);
	for (int i = 0; i < 5; i++)
		tx_queue(a.tx_ring, frame, len);
	uint64_t t0 = fake->now_ns;
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 2);                  /* 2048 - 2000 = 48 left */
	fake->now_ns = t0 + 951000;                       /* 999 bytes */
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 2);
	fake->now_ns = t0 + 952000;
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 3);
	assert_int_equal(txq(a.tx_ring)->desc_cons, 3);
	assert_int_equal(txq(a.tx_ring)->drop_bad + txq(a.tx_ring)->drop_spoof, 0);
	/* Removing the shaper lets the rest go at once. */
	assert_int_equal(meter_set(a.vnic, SNIC_METER_SHAPER, 0, 0, 0, 0, 0), SNIC_OK);
	assert_int_equal(fake->n_tx, 5);
}

/* Through the firmware on a stepping clock: 100 Mbit/s of wire bytes within
 * 0.5 % over one second (L2 accounting would be 1.6 % off: 1500 vs 1524). */
static void test_tx_shaper_rate(void **state)
{
	(void)state;
	boot("large");
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, &a), SNIC_OK);
	assert_int_equal(port_set(0, 1), SNIC_OK);
	const uint64_t rate = 100000000ull;
	assert_int_equal(meter_set(a.vnic, SNIC_METER_SHAPER, SNIC_METERF_WIRE, rate, 4096, 0, 0),
			 SNIC_OK);
	uint32_t len = make_eth(frame, MAC_B, MAC_A, SNIC_VLAN_NONE, 0x0800, 1500 - 14);
	uint64_t buf = dma_alloc(len);
	memcpy(win_at(buf), frame, len);
	struct snic_txq *q = txq(a.tx_ring);
	struct snic_tx_desc *d = win_at(q->desc_off);

	/* Keep the ring full; measure the second after the initial burst. */
	const uint64_t step = 10000, t0 = fake->now_ns + 100000000ull, t1 = t0 + 1000000000ull;
	uint64_t at_t0 = 0;
	while (fake->now_ns <= t1) {
		while (q->desc_prod - q->desc_cons < q->size) {
			d[q->desc_prod % q->size] = (struct snic_tx_desc){ buf, len, 0, 0 };
			q->desc_prod++;
		}
		fw_poll(tfw);
		if (fake->now_ns <= t0)
			at_t0 = q->packets;
		fake->now_ns += step;
	}
	uint64_t bits = (q->packets - at_t0) * (len + 24ull) * 8;
	uint64_t diff = bits > rate ? bits - rate : rate - bits;
	if (diff * 200 > rate)
		fail_msg("shaped %llu bit/s, configured %llu", (unsigned long long)bits,
			 (unsigned long long)rate);
	assert_int_equal(fake->n_tx, q->packets);
	assert_int_equal(stats()->drops[SNIC_DROP_TX_BAD] + stats()->drops[SNIC_DROP_TX_SPOOF], 0);
}

/* Five frames of 500 bytes at one instant in one poll (one batch, one
 * decision): the meter's colour counters are exact when the poll returns,
 * in L2 bytes (counted by the receive path) and in wire bytes. */
static void batch_police(uint8_t flags, const uint32_t *want_pkts, uint64_t frame_bytes)
{
	boot("large");
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, &a), SNIC_OK);
	assert_int_equal(port_set(0, 1), SNIC_OK);
	assert_int_equal(meter_set(7, SNIC_METER_SRTCM, flags, 8000000, 1000, 0, 1000), SNIC_OK);
	struct snic_rule r;
	rule_init(&r, a.vnic, SNIC_ACT_METER);
	r.action.meter = 7;
	rule_match_dmac(&r, MAC_A);
	assert_int_equal(rule_add(0, &r, NULL), SNIC_OK);
	rx_post(a.rx_ring, 8, 2048);
	uint32_t len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0800, 500 - 14);
	for (int i = 0; i < 5; i++)
		rx_frame(frame, len, 0);
	assert_int_equal(fw_poll(tfw), 5);
	const struct meter *m = &tfw->tab->meters[7];
	for (int c = 0; c < 3; c++) {
		assert_int_equal(m->pkts[c], want_pkts[c]);
		assert_int_equal(m->bytes[c], want_pkts[c] * frame_bytes);
	}
	assert_int_equal(stats()->drops[SNIC_DROP_METER], want_pkts[2]);
	assert_int_equal(rxq(a.rx_ring)->packets, want_pkts[0] + want_pkts[1]);
}

static void test_rx_policing_batch(void **state)
{
	(void)state;
	/* L2: 1000 B in C and in E: two green, two yellow, one red. */
	const uint32_t l2[3] = { 2, 2, 1 };
	batch_police(0, l2, 500);
	fake_teardown();
	/* Wire: 524 B a frame: one fits C, one E, three red. */
	const uint32_t wire[3] = { 1, 1, 3 };
	batch_police(SNIC_METERF_WIRE, wire, 524);
}

/* RESET forgets policers and shapers. */
static void test_reset_clears(void **state)
{
	(void)state;
	boot("large");
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, &a), SNIC_OK);
	assert_int_equal(meter_set(3, SNIC_METER_SRTCM, 0, 8000000, 1000, 0, 0), SNIC_OK);
	assert_int_equal(admin(SNIC_CMD_RESET, NULL, 0, NULL), SNIC_OK);
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, &a), SNIC_OK);
	struct snic_rule r;
	rule_init(&r, a.vnic, SNIC_ACT_METER);
	r.action.meter = 3;
	assert_int_equal(rule_add(0, &r, NULL), SNIC_E_NOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_meter_set_validation, teardown),
		cmocka_unit_test_teardown(test_rx_policing, teardown),
		cmocka_unit_test_teardown(test_rx_policing_batch, teardown),
		cmocka_unit_test_teardown(test_tx_shaping, teardown),
		cmocka_unit_test_teardown(test_tx_shaper_rate, teardown),
		cmocka_unit_test_teardown(test_reset_clears, teardown),
	};
	return cmocka_run_group_tests_name("fw_qos", tests, NULL, NULL);
}
