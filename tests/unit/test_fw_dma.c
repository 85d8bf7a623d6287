/* SPDX-License-Identifier: MIT */
/*
 * Frames move by DMA (hal_dma_to_host / hal_dma_from_host), only for frames
 * that pass the checks, and the per-batch bookkeeping of the packet paths:
 * host indices read once per poll, counters exact when the poll returns,
 * shaper tokens given back when a frame does not leave.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "core/fw_internal.h"
#include "core/team.h"
#include "test_fw_util.h"

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static uint8_t frame[2048];

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static void vnic_a(struct snic_vnic_info *a)
{
	boot("large");
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, a), SNIC_OK);
	assert_int_equal(port_set(0, 1), SNIC_OK);
}

/* Each delivered frame is one transfer of exactly its bytes into the
 * buffer its completion names; refused frames move nothing. */
static void test_rx_dma(void **state)
{
	(void)state;
	struct snic_vnic_info a;
	vnic_a(&a);
	struct snic_rxq *q = rxq(a.rx_ring);
	struct snic_rx_desc *d = win_at(q->desc_off);
	rx_post(a.rx_ring, 2, 2048);
	d[1].rsvd = 1; /* the second buffer is bad */

	uint32_t len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0800, 100);
	frame[len - 1] = 0x5a;
	rx_frame(frame, len, 0);   /* delivered */
	rx_frame(frame, len, 0);   /* bad buffer */
	rx_frame(frame, len, 0);   /* ring full: nothing posted any more */
	unsigned before = fake->dma_ops;
	fw_poll(tfw);
	assert_int_equal(fake->dma_ops - before, 1);
	assert_int_equal(fake->drops[SNIC_DROP_BAD_BUF], 1);
	assert_int_equal(fake->drops[SNIC_DROP_RING_FULL], 1);
	assert_int_equal(q->drop_badbuf, 1);
	assert_int_equal(q->drop_full, 1);
	struct snic_rx_cpl c;
	assert_true(rx_take(a.rx_ring, &c));
	assert_int_equal(c.len, len);
	assert_int_equal(c.desc, 0);
	assert_memory_equal(win_at(d[0].addr), frame, len);
	assert_false(rx_take(a.rx_ring, &c));
	/* Both descriptors were consumed, one completion written. */
	assert_int_equal(q->desc_cons, 2);
	assert_int_equal(q->cpl_prod, 1);
}

/* The whole batch is published when the poll returns: indices, ring,
 * port and classifier counters, exactly. */
static void test_rx_batch_counters(void **state)
{
	(void)state;
	struct snic_vnic_info a;
	vnic_a(&a);
	struct snic_rxq *q = rxq(a.rx_ring);
	rx_post(a.rx_ring, 8, 2048);
	uint64_t lookups = stats()->cls_lookups, hits = stats()->cls_hits;
	uint32_t bytes = 0;
	for (unsigned i = 0; i < 5; i++) {
		uint32_t len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0800, 50 + 10 * i);
		rx_frame(frame, len, 0);
		bytes += len;
	}
	uint32_t len = make_eth(frame, MAC_B, MAC_B, SNIC_VLAN_NONE, 0x0800, 50);
	rx_frame(frame, len, 0); /* nobody's: a miss */
	fw_poll(tfw);
	assert_int_equal(q->cpl_prod, 5);
	assert_int_equal(q->desc_cons, 5);
	assert_int_equal(q->packets, 5);
	assert_int_equal(q->bytes, bytes);
	assert_int_equal(stats()->cls_lookups - lookups, 6);
	assert_int_equal(stats()->cls_hits - hits, 5);
	assert_int_equal(stats()->port[0].rx_packets, 6);
	assert_int_equal(stats()->port[0].rx_bytes, bytes + len);
	assert_int_equal(stats()->drops[SNIC_DROP_NO_MATCH], 1);

	/* Buffers posted after a poll are taken by the next one. */
	rx_post(a.rx_ring, 3, 2048); /* 3 more: 6 free in all */
	len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0800, 46);
	for (unsigned i = 0; i < 7; i++)
		rx_frame(frame, len, 0);
	fw_poll(tfw);
	assert_int_equal(q->cpl_prod, 11);
	assert_int_equal(q->drop_full, 1);
}

/* A hostile desc_prod (more than a ring ahead) means no buffers for the
 * whole batch; nothing is read from the descriptors, nothing moves. */
static void test_rx_hostile_index(void **state)
{
	(void)state;
	struct snic_vnic_info a;
	vnic_a(&a);
	struct snic_rxq *q = rxq(a.rx_ring);
	rx_post(a.rx_ring, 2, 2048);
	q->desc_prod += q->size;
	uint32_t len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0800, 46);
	rx_frame(frame, len, 0);
	rx_frame(frame, len, 0);
	unsigned before = fake->dma_ops;
	fw_poll(tfw);
	assert_int_equal(fake->dma_ops, before);
	assert_int_equal(q->drop_full, 2);
	assert_int_equal(q->desc_cons, 0);
	assert_int_equal(q->cpl_prod, 0);
}

/* TX: a frame is moved in once, before it is checked; a bad descriptor
 * moves nothing. */
static void test_tx_dma(void **state)
{
	(void)state;
	struct snic_vnic_info a;
	vnic_a(&a);
	uint32_t len = make_eth(frame, MAC_B, MAC_A, SNIC_VLAN_NONE, 0x0800, 100);
	tx_queue(a.tx_ring, frame, len);
	tx_queue(a.tx_ring, frame, 8); /* runt */
	unsigned before = fake->dma_ops;
	uint64_t bytes = fake->dma_bytes;
	fw_poll(tfw);
	assert_int_equal(fake->dma_ops - before, 1);
	assert_int_equal(fake->dma_bytes - bytes, len);
	assert_int_equal(fake->n_tx, 1);
	assert_memory_equal(fake->tx[0].data, frame, len);
	assert_int_equal(txq(a.tx_ring)->desc_cons, 2);
	assert_int_equal(txq(a.tx_ring)->drop_bad, 1);
}

/* A shaped VNIC's frame that is taken but does not leave (spoofed, uplink
 * busy) gives its tokens back: the next frames see the same bucket. */
static void test_tx_shaper_untake(void **state)
{
	(void)state;
	struct snic_vnic_info a;
	vnic_a(&a);
	struct snic_meter_set sh = { .meter = a.vnic, .mode = SNIC_METER_SHAPER,
				     .cir_bps = 1000000, .cbs = 65536 };
	assert_int_equal(admin(SNIC_CMD_METER_SET, &sh, sizeof(sh), NULL), SNIC_OK);
	const struct meter *m = &tfw->vnic[a.vnic].shaper;
	uint64_t tok = m->c.tok;

	uint32_t len = make_eth(frame, MAC_B, MAC_B, SNIC_VLAN_NONE, 0x0800, 100);
	tx_queue(a.tx_ring, frame, len); /* spoofed source MAC */
	fw_poll(tfw);
	assert_int_equal(txq(a.tx_ring)->drop_spoof, 1);
	assert_int_equal(m->c.tok, tok);
	assert_int_equal(m->pkts[METER_GREEN], 0);

	len = make_eth(frame, MAC_B, MAC_A, SNIC_VLAN_NONE, 0x0800, 100);
	fake->tx_busy = 1;
	tx_queue(a.tx_ring, frame, len);
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 0);
	assert_int_equal(m->c.tok, tok);
	assert_int_equal(m->pkts[METER_GREEN], 0);
	fake->tx_busy = 0;
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 1);
	assert_int_equal(m->c.tok, tok - (uint64_t)len * METER_UNITS_PER_BYTE);
	assert_int_equal(m->pkts[METER_GREEN], 1);
	assert_int_equal(m->bytes[METER_GREEN], len);
}

/* One dedicated ring's batch under a shaper whose peak bucket runs out
 * mid-batch, with a bad descriptor, a spoofed and a tagged frame in
 * between: the frames that leave are those both buckets covered, each
 * charged its wire bytes once; the rest stays queued; the uplink's queue
 * estimate grows by each frame's wire time. Expected values from the
 * configuration, by hand. */
static void test_tx_batch_budget(void **state)
{
	(void)state;
	struct snic_vnic_info a;
	vnic_a(&a);
	const uint32_t bm = tfw->hw.buf_max;
	/* wire bytes of the largest frame: the smallest burst allowed */
	const uint64_t max_cost = (bm < 60 ? 60 : bm) + 24;
	struct snic_meter_set sh = { .meter = a.vnic, .mode = SNIC_METER_SHAPER,
				     .flags = SNIC_METERF_WIRE,
				     .cir_bps = 1000000, .cbs = (uint32_t)(3 * max_cost),
				     .eir_bps = 2000000, .ebs = (uint32_t)max_cost };
	assert_int_equal(admin(SNIC_CMD_METER_SET, &sh, sizeof(sh), NULL), SNIC_OK);
	const struct meter *m = &tfw->vnic[a.vnic].shaper;
	const uint64_t c0 = m->c.tok, e0 = m->e.tok;
	assert_int_equal(e0, max_cost * METER_UNITS_PER_BYTE);

	const uint32_t len = make_eth(frame, MAC_B, MAC_A, SNIC_VLAN_NONE, 0x0800, 200);
	const uint64_t cost = len + 24; /* >= 60 bytes: no padding */
	const unsigned fit = (unsigned)(max_cost / cost); /* E is the smaller */
	assert_true(fit >= 3 && fit + 4 < FW_TX_BUDGET);
	struct snic_txq *q = txq(a.tx_ring);
	struct snic_tx_desc *d = win_at(q->desc_off);

	tx_queue(a.tx_ring, frame, len);                       /* sent */
	tx_queue(a.tx_ring, frame, len);                       /* bad: flags */
	d[(q->desc_prod - 1) % q->size].flags = 1;
	uint8_t spoof[256];
	uint32_t slen = make_eth(spoof, MAC_B, MAC_B, SNIC_VLAN_NONE, 0x0800, 200);
	tx_queue(a.tx_ring, spoof, slen);                      /* spoofed MAC */
	slen = make_eth(spoof, MAC_B, MAC_A, 5, 0x0800, 200);
	tx_queue(a.tx_ring, spoof, slen);                      /* tagged: not its */
	for (unsigned i = 1; i < fit + 3; i++)                 /* fit - 1 more leave */
		tx_queue(a.tx_ring, frame, len);

	uint64_t vq0 = tfw->team.link[0].vq_end;
	const uint64_t now = fake->now_ns;
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, fit);
	assert_int_equal(q->desc_cons, 4 + (fit - 1));         /* stops at the first held */
	assert_int_equal(q->drop_bad, 1);
	assert_int_equal(q->drop_spoof, 2);
	assert_int_equal(q->packets, fit);
	assert_int_equal(q->bytes, (uint64_t)fit * len);
	assert_int_equal(stats()->port[0].tx_packets, fit);
	assert_int_equal(stats()->port[0].tx_bytes, (uint64_t)fit * len);
	assert_int_equal(m->c.tok, c0 - fit * cost * METER_UNITS_PER_BYTE);
	assert_int_equal(m->e.tok, e0 - fit * cost * METER_UNITS_PER_BYTE);
	assert_int_equal(m->pkts[METER_GREEN], fit);
	assert_int_equal(m->bytes[METER_GREEN], fit * cost);
	/* wire time at the uplink's speed, rounded up, per frame */
	const uint64_t mbps = tfw->hw.uplink_speed_mbps ? tfw->hw.uplink_speed_mbps : 1;
	const uint64_t wire_ns = (cost * 8000 + mbps - 1) / mbps;
	assert_int_equal(tfw->team.link[0].vq_end, (vq0 > now ? vq0 : now) + fit * wire_ns);

	/* Nothing more leaves in a poll at the same time... */
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, fit);
	/* ...and the rest once the peak bucket has earned three frames. */
	fake->now_ns += (3 * cost * METER_UNITS_PER_BYTE + 1999999) / 2000000;
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, fit + 3);
	assert_int_equal(q->desc_cons, q->desc_prod);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_rx_dma, teardown),
		cmocka_unit_test_teardown(test_rx_batch_counters, teardown),
		cmocka_unit_test_teardown(test_rx_hostile_index, teardown),
		cmocka_unit_test_teardown(test_tx_dma, teardown),
		cmocka_unit_test_teardown(test_tx_shaper_untake, teardown),
		cmocka_unit_test_teardown(test_tx_batch_budget, teardown),
	};
	return cmocka_run_group_tests_name("fw_dma", tests, NULL, NULL);
}
