/* SPDX-License-Identifier: MIT */
/* TX: send path, descriptor validation, anti-spoofing, shared TRR, retry. */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "test_fw_util.h"

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t MAC_X[6] = { 0x02, 0, 0, 0, 0, 0x99 };
static const uint8_t IP_A[2][4] = { { 10, 0, 0, 1 }, { 10, 0, 0, 2 } };
static const uint8_t IP_X[4] = { 10, 0, 0, 3 };
static uint8_t frame[16384];

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static void test_send(void **state)
{
	(void)state;
	boot("large");
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 3, &a), SNIC_OK);
	assert_int_equal(port_set(3, 1), SNIC_OK);
	uint32_t len = make_eth(frame, MAC_B, MAC_A, SNIC_VLAN_NONE, 0x88b5, 200);
	tx_queue(a.tx_ring, frame, len);
	tx_queue(a.tx_ring, frame, 60);
	assert_int_equal(fw_poll(tfw), 2);
	assert_int_equal(fake->n_tx, 2);
	assert_int_equal(fake->tx[0].port, 3);
	assert_int_equal(fake->tx[0].len, len);
	assert_memory_equal(fake->tx[0].data, frame, len);
	assert_int_equal(fake->tx[1].len, 60);
	struct snic_txq *q = txq(a.tx_ring);
	assert_int_equal(q->desc_cons, 2);
	assert_int_equal(q->packets, 2);
	assert_int_equal(q->bytes, len + 60);
	assert_int_equal(stats()->port[3].tx_packets, 2);
	assert_int_equal(stats()->port[3].tx_bytes, len + 60);
}

static void test_bad_desc(void **state)
{
	(void)state;
	boot("large");
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, &a), SNIC_OK);
	assert_int_equal(port_set(0, 1), SNIC_OK);
	struct snic_txq *q = txq(a.tx_ring);
	struct snic_tx_desc *d = win_at(q->desc_off);
	const struct snic_blk_dma *dma = dma_blk();
	uint64_t buf = dma_alloc(4096);
	uint32_t len = make_eth(frame, MAC_B, MAC_A, SNIC_VLAN_NONE, 0x0800, 100);
	memcpy(win_at(buf), frame, len);
	const struct snic_tx_desc bad[] = {
		{ buf, 13, 0, 0 },                           /* runt */
		{ buf, 2049, 0, 0 },                         /* over buf_max */
		{ 0, 64, 0, 0 },                             /* device area */
		{ (uint64_t)dma->base + dma->size - 32, 64, 0, 0 },
		{ 0xffffffffffffffc0ull, 64, 0, 0 },
		{ buf, len, 1, 0 },                          /* unknown flag */
		{ buf, len, 0, 1 },                          /* rsvd */
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		d[q->desc_prod++ % q->size] = bad[i];
	d[q->desc_prod++ % q->size] = (struct snic_tx_desc){ buf, len, 0, 0 };
	fw_poll(tfw);
	assert_int_equal(q->desc_cons, 8);
	assert_int_equal(q->drop_bad, 7);
	assert_int_equal(stats()->drops[SNIC_DROP_TX_BAD], 7);
	assert_int_equal(fake->n_tx, 1);
	assert_int_equal(q->packets, 1);
}

static void test_unbound_and_hostile(void **state)
{
	(void)state;
	boot("large");
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, &a), SNIC_OK);
	assert_int_equal(port_set(0, 1), SNIC_OK);
	uint32_t len = make_eth(frame, MAC_B, MAC_A, SNIC_VLAN_NONE, 0x0800, 100);
	tx_queue(7, frame, len);                     /* TRR 7 has no VNIC */
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 0);
	assert_int_equal(txq(7)->drop_bad, 1);
	assert_int_equal(txq(7)->desc_cons, 1);

	/* desc_prod further ahead than a ring: nothing is read or sent. */
	struct snic_txq *q = txq(a.tx_ring);
	tx_queue(a.tx_ring, frame, len);
	q->desc_prod = q->desc_cons + q->size + 1;
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 0);
	assert_int_equal(q->desc_cons, 0);
	q->desc_prod = 1;
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 1);
}

static void test_spoof_mac_vlan(void **state)
{
	(void)state;
	boot("large");
	struct snic_vnic_info a, v;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, &a), SNIC_OK);
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_B, 42, 0, 1, &v), SNIC_OK);
	assert_int_equal(port_set(0, 1), SNIC_OK);
	assert_int_equal(port_set(1, 1), SNIC_OK);
	uint32_t len;

	len = make_eth(frame, MAC_B, MAC_X, SNIC_VLAN_NONE, 0x0800, 100);  /* foreign MAC */
	tx_queue(a.tx_ring, frame, len);
	len = make_eth(frame, MAC_X, MAC_B, SNIC_VLAN_NONE, 0x0800, 100);  /* B's MAC on A's ring */
	tx_queue(a.tx_ring, frame, len);
	len = make_eth(frame, MAC_X, MAC_A, 42, 0x0800, 100);              /* untagged VNIC tags */
	tx_queue(a.tx_ring, frame, len);
	len = make_eth(frame, MAC_X, MAC_B, SNIC_VLAN_NONE, 0x0800, 100);  /* VLAN VNIC untagged */
	tx_queue(v.tx_ring, frame, len);
	len = make_eth(frame, MAC_X, MAC_B, 43, 0x0800, 100);              /* wrong VLAN */
	tx_queue(v.tx_ring, frame, len);
	len = make_eth(frame, MAC_X, MAC_B, 42, 0x8100, 100);              /* stacked tags */
	frame[18] = 0; frame[19] = 42; frame[20] = 0x08; frame[21] = 0x00;
	tx_queue(v.tx_ring, frame, len);
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 0);
	assert_int_equal(txq(a.tx_ring)->drop_spoof, 3);
	assert_int_equal(txq(v.tx_ring)->drop_spoof, 3);
	assert_int_equal(stats()->drops[SNIC_DROP_TX_SPOOF], 6);

	len = make_eth(frame, MAC_X, MAC_B, 42, 0x0800, 100);
	tx_queue(v.tx_ring, frame, len);
	len = make_eth(frame, MAC_X, MAC_A, SNIC_VLAN_NONE, 0x0800, 100);
	tx_queue(a.tx_ring, frame, len);
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 2);
	assert_int_equal(fake->tx[0].port, 0);  /* rings drain in ring order */
	assert_int_equal(fake->tx[1].port, 1);
}

static void test_spoof_ip(void **state)
{
	(void)state;
	boot("large");
	struct snic_vnic_info a;
	assert_int_equal(vnic_create_ip(SNIC_ID_ANY, MAC_A, 2, IP_A, &a), SNIC_OK);
	assert_int_equal(port_set(0, 1), SNIC_OK);
	const uint8_t zero[4] = { 0 };
	unsigned sent = 0;
	struct { int ok; uint32_t len; uint8_t f[128]; } cases[8];
	unsigned n = 0;

	cases[n].len = make_ipv4(cases[n].f, MAC_B, MAC_A, SNIC_VLAN_NONE, IP_A[1], IP_X); cases[n++].ok = 1;
	cases[n].len = make_ipv4(cases[n].f, MAC_B, MAC_A, SNIC_VLAN_NONE, IP_X, IP_A[0]); cases[n++].ok = 0;
	cases[n].len = make_ipv4(cases[n].f, MAC_B, MAC_A, SNIC_VLAN_NONE, IP_A[0], IP_X) - 10;
	cases[n++].ok = 0;                             /* source IP cut off */
	cases[n].len = make_arp(cases[n].f, MAC_A, MAC_A, IP_A[0]); cases[n++].ok = 1;
	cases[n].len = make_arp(cases[n].f, MAC_A, MAC_A, zero); cases[n++].ok = 1; /* probe */
	cases[n].len = make_arp(cases[n].f, MAC_A, MAC_A, IP_X); cases[n++].ok = 0;
	cases[n].len = make_arp(cases[n].f, MAC_A, MAC_X, IP_A[0]); cases[n++].ok = 0; /* foreign SHA */
	cases[n].len = make_eth(cases[n].f, MAC_B, MAC_A, SNIC_VLAN_NONE, 0x86dd, 60); cases[n++].ok = 1;
	for (unsigned i = 0; i < n; i++) {
		tx_queue(a.tx_ring, cases[i].f, cases[i].len);
		fw_poll(tfw);
		sent += (unsigned)cases[i].ok;
		assert_int_equal(fake->n_tx, sent);
		if (cases[i].ok)
			assert_memory_equal(fake->tx[sent - 1].data, cases[i].f, cases[i].len);
	}
	assert_int_equal(txq(a.tx_ring)->drop_spoof, n - sent);
}

/* Shared TRR 0: each frame is attributed to a software VNIC by source MAC. */
static void test_shared_trr(void **state)
{
	(void)state;
	boot("small");
	struct snic_vnic_info a, b;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, SNIC_VNICF_SW_ONLY, 1, &a), SNIC_OK);
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_B, 5, SNIC_VNICF_SW_ONLY, 0, &b), SNIC_OK);
	assert_int_equal(a.tx_ring, 0);
	assert_int_equal(b.tx_ring, 0);
	assert_int_equal(port_set(0, 1), SNIC_OK);
	assert_int_equal(port_set(1, 1), SNIC_OK);
	uint32_t len;
	len = make_eth(frame, MAC_X, MAC_A, SNIC_VLAN_NONE, 0x0800, 80);
	tx_queue(0, frame, len);
	len = make_eth(frame, MAC_X, MAC_B, 5, 0x0800, 80);
	tx_queue(0, frame, len);
	len = make_eth(frame, MAC_X, MAC_B, SNIC_VLAN_NONE, 0x0800, 80); /* B without its VLAN */
	tx_queue(0, frame, len);
	len = make_eth(frame, MAC_A, MAC_X, SNIC_VLAN_NONE, 0x0800, 80); /* nobody's MAC */
	tx_queue(0, frame, len);
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 2);
	assert_int_equal(fake->tx[0].port, 1);
	assert_int_equal(fake->tx[1].port, 0);
	assert_int_equal(txq(0)->drop_spoof, 2);

	/* A dedicated VNIC's MAC is not accepted on the shared TRR. */
	struct snic_vnic_info c;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_X, SNIC_VLAN_NONE, 0, 0, &c), SNIC_OK);
	assert_int_equal(c.tx_ring, 1);
	len = make_eth(frame, MAC_A, MAC_X, SNIC_VLAN_NONE, 0x0800, 80);
	tx_queue(0, frame, len);
	fw_poll(tfw);
	assert_int_equal(txq(0)->drop_spoof, 3);
}

static void test_busy_and_port_down(void **state)
{
	(void)state;
	boot("large");
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 2, &a), SNIC_OK);
	uint32_t len = make_eth(frame, MAC_B, MAC_A, SNIC_VLAN_NONE, 0x0800, 80);
	tx_queue(a.tx_ring, frame, len);
	fw_poll(tfw);                                 /* port 2 is admin-down */
	assert_int_equal(fake->n_tx, 0);
	assert_int_equal(stats()->drops[SNIC_DROP_PORT_DOWN], 1);
	assert_int_equal(txq(a.tx_ring)->desc_cons, 1);

	assert_int_equal(port_set(2, 1), SNIC_OK);
	fake->tx_busy = 1;
	tx_queue(a.tx_ring, frame, len);
	tx_queue(a.tx_ring, frame, len);
	fw_poll(tfw);
	assert_int_equal(txq(a.tx_ring)->desc_cons, 1); /* waits, nothing lost */
	fake->tx_busy = 0;
	fw_poll(tfw);
	assert_int_equal(txq(a.tx_ring)->desc_cons, 3);
	assert_int_equal(fake->n_tx, 2);

	/* Per-ring budget: 64 per poll. */
	for (int i = 0; i < 100; i++)
		tx_queue(a.tx_ring, frame, len);
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 66);
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 102);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_send, teardown),
		cmocka_unit_test_teardown(test_bad_desc, teardown),
		cmocka_unit_test_teardown(test_unbound_and_hostile, teardown),
		cmocka_unit_test_teardown(test_spoof_mac_vlan, teardown),
		cmocka_unit_test_teardown(test_spoof_ip, teardown),
		cmocka_unit_test_teardown(test_shared_trr, teardown),
		cmocka_unit_test_teardown(test_busy_and_port_down, teardown),
	};
	return cmocka_run_group_tests_name("fw_tx", tests, NULL, NULL);
}
