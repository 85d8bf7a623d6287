/* SPDX-License-Identifier: MIT */
/* RX steering: delivery, ring choice, every drop reason with its counters. */
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
static uint8_t frame[16384];

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static uint16_t mk_vnic(const uint8_t *mac, uint16_t flags, struct snic_vnic_info *vi)
{
	struct snic_vnic_info tmp;
	if (!vi)
		vi = &tmp;
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac, SNIC_VLAN_NONE, flags, 0, vi), SNIC_OK);
	return vi->vnic;
}

/* Most tests start here: the large card, VNIC A (MAC_A, its own rings)
 * and uplink 0 up. */
static struct snic_vnic_info boot_with_vnic_a(void)
{
	struct snic_vnic_info a;
	boot("large");
	mk_vnic(MAC_A, 0, &a);
	assert_int_equal(port_set(0, 1), SNIC_OK);
	return a;
}

/* One frame through the firmware; returns the reason hal_rx_done saw. */
static int run_one(void)
{
	fw_poll(tfw);
	return fake->last_reason;
}

static void test_deliver_dedicated(void **state)
{
	(void)state;
	boot("large");
	struct snic_vnic_info vi;
	/* On uplink 1: a MAC entry delivers only in its VNIC's domain. */
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 1, &vi), SNIC_OK);
	assert_int_equal(port_set(1, 1), SNIC_OK);
	rx_post(vi.rx_ring, 4, 2048);
	uint32_t len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x88b5, 100);
	fake->now_ns = 5555;
	rx_frame(frame, len, 1);
	assert_int_equal(run_one(), HAL_DELIVERED);

	struct snic_rxq *q = rxq(vi.rx_ring);
	assert_int_equal(q->desc_cons, 1);
	assert_int_equal(q->cpl_prod, 1);
	struct snic_rx_cpl c;
	assert_int_equal(rx_take(vi.rx_ring, &c), 1);
	assert_int_equal(c.len, len);
	assert_int_equal(c.vnic, vi.vnic);
	assert_true(is_mac_hit(c.rule, &vi));
	assert_int_equal(c.flags, SNIC_RXF_HIT);
	assert_int_equal(c.meter, SNIC_METER_NONE);
	assert_int_equal(c.color, 0);
	assert_int_equal(c.port, 1);
	assert_int_equal(c.time_ns, 5555);
	assert_int_equal(c.desc, 0);
	const struct snic_rx_desc *d = win_at(q->desc_off);
	assert_memory_equal(win_at(d[0].addr), frame, len);
	assert_int_equal(q->packets, 1);
	assert_int_equal(q->bytes, len);
	assert_int_equal(stats()->port[1].rx_packets, 1);
	assert_int_equal(stats()->port[1].rx_bytes, len);
	assert_int_equal(stats()->cls_lookups, 1);
	assert_int_equal(stats()->cls_hits, 1);
	assert_int_equal(fake->delivered, 1);
	assert_int_equal(rx_take(vi.rx_ring, &c), 0);
}

static void test_shared_and_mark(void **state)
{
	(void)state;
	boot("small");
	struct snic_vnic_info a, b;
	mk_vnic(MAC_A, 0, &a);                 /* HRR 1 */
	mk_vnic(MAC_B, SNIC_VNICF_SW_ONLY, &b); /* shared */
	assert_int_equal(port_set(0, 1), SNIC_OK);
	rx_post(0, 8, 2048);
	rx_post(a.rx_ring, 8, 2048);
	struct snic_rx_cpl c;

	uint32_t len = make_eth(frame, MAC_B, MAC_A, SNIC_VLAN_NONE, 0x0806, 50);
	rx_frame(frame, len, 0);
	assert_int_equal(run_one(), HAL_DELIVERED);
	assert_int_equal(rx_take(0, &c), 1);
	assert_int_equal(c.vnic, b.vnic);
	assert_int_equal(c.flags, SNIC_RXF_HIT | SNIC_RXF_MARK_SW);

	/* A host rule with MARK_SW sends a dedicated VNIC's flow to ring 0. */
	struct snic_rule r;
	rule_init(&r, a.vnic, SNIC_ACT_MARK_SW);
	rule_match_dmac(&r, MAC_A);
	r.value.ethertype[0] = 0x08;
	r.value.ethertype[1] = 0x06;
	memset(r.mask.ethertype, 0xff, 2);
	assert_int_equal(rule_add(0, &r, NULL), SNIC_OK);
	len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0806, 50);
	rx_frame(frame, len, 0);
	assert_int_equal(run_one(), HAL_DELIVERED);
	assert_int_equal(rx_take(0, &c), 1);
	assert_int_equal(c.vnic, a.vnic);
	assert_int_equal(c.rule, 0);
	assert_int_equal(c.flags, SNIC_RXF_HIT | SNIC_RXF_MARK_SW);
	/* Other ethertypes still go to the VNIC's own ring. */
	len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0800, 50);
	rx_frame(frame, len, 0);
	assert_int_equal(run_one(), HAL_DELIVERED);
	assert_int_equal(rx_take(a.rx_ring, &c), 1);
	assert_int_equal(c.flags, SNIC_RXF_HIT);
}

static void test_ring_override(void **state)
{
	(void)state;
	struct snic_vnic_info a = boot_with_vnic_a();
	struct snic_rule r;
	rule_init(&r, a.vnic, 0);
	rule_match_dmac(&r, MAC_A);
	r.action.ring = 9;
	assert_int_equal(rule_add(4, &r, NULL), SNIC_OK);
	rx_post(9, 2, 2048);
	uint32_t len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0800, 60);
	rx_frame(frame, len, 0);
	assert_int_equal(run_one(), HAL_DELIVERED);
	struct snic_rx_cpl c;
	assert_int_equal(rx_take(9, &c), 1);
	assert_int_equal(c.vnic, a.vnic);
	assert_int_equal(c.rule, 4);
	assert_int_equal(rx_take(a.rx_ring, &c), 0);
}

/* Each early drop reason, counted in stats, in hal_rx_done, and nowhere else. */
static void test_drop_reasons(void **state)
{
	(void)state;
	struct snic_vnic_info a = boot_with_vnic_a();
	rx_post(a.rx_ring, 16, 2048);
	struct snic_rule r;
	rule_init(&r, SNIC_VNIC_NONE, SNIC_ACT_DROP);
	rule_match_dmac(&r, MAC_B);
	assert_int_equal(rule_add(0, &r, NULL), SNIC_OK);
	uint32_t len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0800, 60);

	rx_frame(frame, len, 2);                 /* port 2 admin-down */
	assert_int_equal(run_one(), SNIC_DROP_PORT_DOWN);
	struct snic_match m = match_hit(a.mac_rule, a.vnic, 0, SNIC_METER_NONE);
	fake_rx_push(frame, len, 9, &m);         /* no such port */
	assert_int_equal(run_one(), SNIC_DROP_PORT_DOWN);
	fake_rx_push(frame, 13, 0, &m);
	assert_int_equal(run_one(), SNIC_DROP_RUNT);
	len = make_eth(frame, MAC_X, MAC_B, SNIC_VLAN_NONE, 0x0800, 60);
	rx_frame(frame, len, 0);
	assert_int_equal(run_one(), SNIC_DROP_NO_MATCH);
	len = make_eth(frame, MAC_B, MAC_A, SNIC_VLAN_NONE, 0x0800, 60);
	rx_frame(frame, len, 0);
	assert_int_equal(run_one(), SNIC_DROP_RULE);
	m = match_hit(3, 77, 0, SNIC_METER_NONE);
	fake_rx_push(frame, len, 0, &m);
	assert_int_equal(run_one(), SNIC_DROP_NO_VNIC);
	m = match_hit(3, SNIC_VNIC_NONE, 0, SNIC_METER_NONE);
	fake_rx_push(frame, len, 0, &m);
	assert_int_equal(run_one(), SNIC_DROP_NO_VNIC);
	len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0800, 2049 - 14);
	rx_frame(frame, len, 0);
	assert_int_equal(run_one(), SNIC_DROP_TOO_LONG);
	len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0800, 2048 - 14);
	rx_frame(frame, len, 0);
	assert_int_equal(run_one(), HAL_DELIVERED);

	const struct snic_blk_stats *s = stats();
	const int want[SNIC_DROP_REASONS] = {
		[SNIC_DROP_PORT_DOWN] = 2, [SNIC_DROP_RUNT] = 1, [SNIC_DROP_NO_MATCH] = 1,
		[SNIC_DROP_RULE] = 1, [SNIC_DROP_NO_VNIC] = 2, [SNIC_DROP_TOO_LONG] = 1,
	};
	for (int i = 0; i < SNIC_DROP_REASONS; i++) {
		assert_int_equal(s->drops[i], want[i]);
		assert_int_equal(fake->drops[i], want[i]);
	}
	assert_int_equal(fake->delivered, 1);
	assert_int_equal(rxq(a.rx_ring)->packets, 1);
	assert_int_equal(rxq(a.rx_ring)->desc_cons, 1);
	/* Port counters see what arrived on an up port, dropped or not. */
	assert_int_equal(s->port[0].rx_packets, 7);
	assert_int_equal(s->port[2].rx_packets, 0);
	assert_int_equal(s->cls_lookups, 9);
}

static void test_ring_full(void **state)
{
	(void)state;
	boot("small"); /* ring_size 256 */
	struct snic_vnic_info a;
	mk_vnic(MAC_A, 0, &a);
	assert_int_equal(port_set(0, 1), SNIC_OK);
	struct snic_rxq *q = rxq(a.rx_ring);
	uint32_t len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0800, 46);

	rx_frame(frame, len, 0);                 /* nothing posted */
	assert_int_equal(run_one(), SNIC_DROP_RING_FULL);
	assert_int_equal(q->drop_full, 1);

	/* 256 buffers, 256 frames: all delivered; the 257th finds none. */
	rx_post(a.rx_ring, 256, 128);
	for (int i = 0; i < 257; i++)
		rx_frame(frame, len, 0);
	fw_poll(tfw);
	fw_poll(tfw);
	assert_int_equal(q->cpl_prod, 256);
	assert_int_equal(q->drop_full, 2);

	/* Host reposts but consumes no completion: still full (no overwrite). */
	q->desc_prod += 256;
	rx_frame(frame, len, 0);
	assert_int_equal(run_one(), SNIC_DROP_RING_FULL);
	assert_int_equal(q->cpl_prod, 256);
	assert_int_equal(q->drop_full, 3);
	q->cpl_cons = 10;
	rx_frame(frame, len, 0);
	assert_int_equal(run_one(), HAL_DELIVERED);
	assert_int_equal(q->cpl_prod, 257);

	/* Hostile indices: claims more buffers than the ring holds. */
	q->desc_prod = q->desc_cons + 257;
	rx_frame(frame, len, 0);
	assert_int_equal(run_one(), SNIC_DROP_RING_FULL);
	q->cpl_cons = q->cpl_prod + 5;           /* consumed the future */
	q->desc_prod = q->desc_cons + 1;
	rx_frame(frame, len, 0);
	assert_int_equal(run_one(), SNIC_DROP_RING_FULL);
	assert_int_equal(q->drop_full, 5);
	assert_int_equal(stats()->drops[SNIC_DROP_RING_FULL], 5);
	assert_int_equal(q->cpl_prod, 257);
}

static void test_bad_buffers(void **state)
{
	(void)state;
	struct snic_vnic_info a = boot_with_vnic_a();
	struct snic_rxq *q = rxq(a.rx_ring);
	struct snic_rx_desc *d = win_at(q->desc_off);
	const struct snic_blk_dma *dma = dma_blk();
	const struct snic_blk_caps *caps = win_at(find_block(SNIC_BLK_CAPS));
	uint8_t caps_copy[4096];
	memcpy(caps_copy, win_at(caps->records), caps->length);
	uint32_t len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0800, 100);

	const struct snic_rx_desc bad[] = {
		{ caps->records, 2048, 0 },                    /* device area */
		{ dma->base - 64, 2048, 0 },                   /* straddles the start */
		{ dma->base + dma->size - 64, 128, 0 },        /* straddles the end */
		{ (uint64_t)dma->base + dma->size, 2048, 0 },  /* past the window */
		{ 0xffffffffffffff00ull, 0x200, 0 },           /* wraps around */
		{ (1ull << 32) | dma->base, 2048, 0 },         /* high bits, low ones fine */
		{ dma->base, len - 1, 0 },                     /* too small */
		{ dma->base, 2048, 1 },                        /* rsvd set */
	};
	const unsigned nbad = sizeof(bad) / sizeof(bad[0]);
	for (unsigned i = 0; i < nbad; i++) {
		d[q->desc_prod % q->size] = bad[i];
		q->desc_prod++;
		rx_frame(frame, len, 0);
		assert_int_equal(run_one(), SNIC_DROP_BAD_BUF);
		assert_int_equal(q->desc_cons, i + 1);
		assert_int_equal(q->cpl_prod, 0);
	}
	assert_int_equal(q->drop_badbuf, nbad);
	assert_int_equal(stats()->drops[SNIC_DROP_BAD_BUF], nbad);
	assert_memory_equal(win_at(caps->records), caps_copy, caps->length);
	/* Exactly fitting buffer at the very end of the region is fine. */
	d[q->desc_prod % q->size] = (struct snic_rx_desc){ dma->base + dma->size - len, len, 0 };
	q->desc_prod++;
	rx_frame(frame, len, 0);
	assert_int_equal(run_one(), HAL_DELIVERED);
	struct snic_rx_cpl c;
	assert_int_equal(rx_take(a.rx_ring, &c), 1);
	assert_int_equal(c.desc, nbad);
	assert_memory_equal(win_at(dma->base + dma->size - len), frame, len);
}

/*
 * Frames of one decision in one batch (the firmware remembers the
 * decision after the first): every frame's own checks still apply, in
 * order, and every counter comes out exact. Frames: good, bad buffer,
 * good, too long, runt, good, then the ring is out of buffers twice.
 */
static void test_batch_repeats(void **state)
{
	(void)state;
	struct snic_vnic_info a = boot_with_vnic_a();
	struct snic_rxq *q = rxq(a.rx_ring);
	struct snic_rx_desc *d = win_at(q->desc_off);
	uint32_t len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0800, 100);
	uint32_t big = q->buf_max + 1;

	rx_post(a.rx_ring, 1, 2048);
	d[q->desc_prod % q->size] = (struct snic_rx_desc){ dma_blk()->base, 2048, 7 }; /* rsvd */
	q->desc_prod++;
	rx_post(a.rx_ring, 2, 2048);
	rx_frame(frame, len, 0);        /* desc 0 */
	rx_frame(frame, len, 0);        /* desc 1: bad */
	rx_frame(frame, len + 4, 0);    /* desc 2 */
	rx_frame(frame, big, 0);        /* too long: takes no buffer */
	rx_frame(frame, 13, 0);         /* runt */
	rx_frame(frame, len + 8, 0);    /* desc 3 */
	rx_frame(frame, len, 0);        /* no buffer left */
	rx_frame(frame, len, 0);
	assert_int_equal(fw_poll(tfw), 8);

	assert_int_equal(fake->delivered, 3);
	assert_int_equal(fake->drops[SNIC_DROP_BAD_BUF], 1);
	assert_int_equal(fake->drops[SNIC_DROP_TOO_LONG], 1);
	assert_int_equal(fake->drops[SNIC_DROP_RUNT], 1);
	assert_int_equal(fake->drops[SNIC_DROP_RING_FULL], 2);
	assert_int_equal(q->cpl_prod, 3);
	assert_int_equal(q->desc_cons, 4);
	assert_int_equal(q->packets, 3);
	assert_int_equal(q->bytes, 3 * len + 12);
	assert_int_equal(q->drop_badbuf, 1);
	assert_int_equal(q->drop_full, 2);
	const struct snic_blk_stats *st = stats();
	assert_int_equal(st->port[0].rx_packets, 8);
	assert_int_equal(st->port[0].rx_bytes, 6 * len + 12 + big + 13);
	assert_int_equal(st->cls_lookups, 8);
	assert_int_equal(st->drops[SNIC_DROP_BAD_BUF], 1);
	assert_int_equal(st->drops[SNIC_DROP_RING_FULL], 2);

	const uint32_t want_desc[3] = { 0, 2, 3 }, want_len[3] = { len, len + 4, len + 8 };
	for (int i = 0; i < 3; i++) {
		struct snic_rx_cpl c;
		assert_int_equal(rx_take(a.rx_ring, &c), 1);
		assert_int_equal(c.desc, want_desc[i]);
		assert_int_equal(c.len, want_len[i]);
		assert_int_equal(c.vnic, a.vnic);
		assert_true(is_mac_hit(c.rule, &a));
		assert_int_equal(c.flags, SNIC_RXF_HIT);
		assert_int_equal(c.meter, SNIC_METER_NONE);
		assert_int_equal(c.color, 0); /* green */
		assert_int_equal(c.port, 0);
		assert_int_equal(c.hash_type, SNIC_RSS_HT_NONE);
		assert_int_equal(c.hash, 0);
	}
}

static void test_interrupts(void **state)
{
	(void)state;
	struct snic_vnic_info a = boot_with_vnic_a();
	struct snic_rxq *q = rxq(a.rx_ring);
	rx_post(a.rx_ring, 32, 2048);
	uint32_t len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0800, 100);

	q->mode = SNIC_MODE_INTR;
	q->intr_enable = 0;
	rx_frame(frame, len, 0);
	fw_poll(tfw);
	assert_int_equal(fake->n_irq, 0);

	q->intr_enable = 1;
	for (int i = 0; i < 3; i++)
		rx_frame(frame, len, 0);
	fw_poll(tfw);
	assert_int_equal(fake->n_irq, 1);
	assert_int_equal(fake->irq[0], q->msix);
	assert_int_equal(q->irq_count, 1);
	fw_poll(tfw);                               /* nothing new, no interrupt */
	assert_int_equal(fake->n_irq, 1);

	q->mode = SNIC_MODE_POLL;
	rx_frame(frame, len, 0);
	fw_poll(tfw);
	assert_int_equal(fake->n_irq, 1);
	assert_int_equal(q->cpl_prod, 5);
}

static void test_budget_and_keyerr(void **state)
{
	(void)state;
	struct snic_vnic_info a = boot_with_vnic_a();
	rx_post(a.rx_ring, 300, 256);
	uint32_t len = make_eth(frame, MAC_A, MAC_B, SNIC_VLAN_NONE, 0x0800, 100);
	for (int i = 0; i < 300; i++)
		rx_frame(frame, len, 0);
	unsigned w = fw_poll(tfw);
	assert_int_equal(w, 256);
	assert_int_equal(rxq(a.rx_ring)->cpl_prod, 256);
	fw_poll(tfw);
	assert_int_equal(rxq(a.rx_ring)->cpl_prod, 300);

	struct snic_match m = match_hit(a.mac_rule, a.vnic, SNIC_ACT_COUNT, SNIC_METER_NONE);
	m.key_flags = SNIC_KF_ERR | SNIC_KF_IPV4;
	rx_post(a.rx_ring, 1, 256);
	fake_rx_push(frame, len, 0, &m);
	fw_poll(tfw);
	struct snic_rx_cpl c;
	while (rx_take(a.rx_ring, &c))
		;
	assert_int_equal(c.flags, SNIC_RXF_HIT | SNIC_RXF_KEYERR);
	assert_int_equal(c.key_flags, SNIC_KF_ERR | SNIC_KF_IPV4);
}

/* Moving a VNIC from the shared HRR to a free one: the new ring's frames
 * stay invisible until the host has drained the shared ring; nothing lost. */
static void test_move_keeps_order(void **state)
{
	(void)state;
	boot("small");
	struct snic_vnic_info v[4];
	const uint8_t macs[4][6] = { { 2, 0, 0, 0, 0, 1 }, { 2, 0, 0, 0, 0, 2 },
				     { 2, 0, 0, 0, 0, 3 }, { 2, 0, 0, 0, 0, 4 } };
	for (int i = 0; i < 4; i++)
		mk_vnic(macs[i], 0, &v[i]);
	assert_int_equal(v[3].rx_ring, 0);       /* HRRs 1..3 taken */
	assert_int_equal(port_set(0, 1), SNIC_OK);
	rx_post(0, 16, 2048);
	rx_post(2, 16, 2048);
	uint32_t len = make_eth(frame, macs[3], MAC_B, SNIC_VLAN_NONE, 0x0800, 60);
	for (int i = 0; i < 3; i++)
		rx_frame(frame, len, 0);
	fw_poll(tfw);
	assert_int_equal(rxq(0)->cpl_prod, 3);

	/* Free HRR 2, move VNIC 3 onto it; two more frames arrive. */
	struct snic_ring_bind b = { .ring = 2, .vnic = SNIC_VNIC_NONE };
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_OK);
	b.vnic = v[3].vnic;
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_OK);
	uint32_t before = rxq(2)->cpl_prod;
	rx_frame(frame, len, 0);
	rx_frame(frame, len, 0);
	fw_poll(tfw);
	assert_int_equal(rxq(0)->cpl_prod, 3);   /* steered to HRR 2 ... */
	assert_int_equal(rxq(2)->desc_cons, 2);
	assert_int_equal(rxq(2)->cpl_prod, before); /* ... but not visible yet */
	struct snic_rx_cpl c;
	assert_int_equal(rx_take(0, &c), 1);
	assert_int_equal(rx_take(0, &c), 1);
	fw_poll(tfw);
	assert_int_equal(rxq(2)->cpl_prod, before); /* one old frame still unread */
	assert_int_equal(rx_take(0, &c), 1);
	assert_int_equal(c.vnic, v[3].vnic);
	fw_poll(tfw);
	assert_int_equal(rxq(2)->cpl_prod, before + 2);
	assert_int_equal(rx_take(2, &c), 1);
	assert_int_equal(c.vnic, v[3].vnic);
	assert_int_equal(c.flags, SNIC_RXF_HIT);

	/* A host that never drains: the gate opens after its timeout. */
	b.ring = 3; b.vnic = SNIC_VNIC_NONE;
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_OK);
	rx_post(3, 4, 2048);
	rx_frame(frame, len, 0);                 /* lands on HRR 2 */
	fw_poll(tfw);
	b.vnic = v[3].vnic;
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_OK);
	rx_frame(frame, len, 0);
	fw_poll(tfw);
	assert_int_equal(rxq(3)->cpl_prod, 0);
	fake->now_ns += 100000000ull;
	fw_poll(tfw);
	assert_int_equal(rxq(3)->cpl_prod, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_deliver_dedicated, teardown),
		cmocka_unit_test_teardown(test_shared_and_mark, teardown),
		cmocka_unit_test_teardown(test_ring_override, teardown),
		cmocka_unit_test_teardown(test_drop_reasons, teardown),
		cmocka_unit_test_teardown(test_ring_full, teardown),
		cmocka_unit_test_teardown(test_bad_buffers, teardown),
		cmocka_unit_test_teardown(test_batch_repeats, teardown),
		cmocka_unit_test_teardown(test_interrupts, teardown),
		cmocka_unit_test_teardown(test_budget_and_keyerr, teardown),
		cmocka_unit_test_teardown(test_move_keeps_order, teardown),
	};
	return cmocka_run_group_tests_name("fw_steer", tests, NULL, NULL);
}
