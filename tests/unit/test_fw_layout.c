/* SPDX-License-Identifier: MIT */
/* Boot: window layout, block chain, capability records, refusals. */
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

static void test_chain_order(void **state)
{
	(void)state;
	static const struct { uint32_t type; uint32_t size; } want[] = {
		{ SNIC_BLK_DEVID, sizeof(struct snic_blk_devid) },
		{ SNIC_BLK_FW,    sizeof(struct snic_blk_fw) },
		{ SNIC_BLK_ADMIN, sizeof(struct snic_blk_admin) },
		{ SNIC_BLK_CAPS,  sizeof(struct snic_blk_caps) },
		{ SNIC_BLK_STATS, sizeof(struct snic_blk_stats) },
		{ SNIC_BLK_DMA,   sizeof(struct snic_blk_dma) },
		{ SNIC_BLK_RXQ,   sizeof(struct snic_blk_queues) },
		{ SNIC_BLK_TXQ,   sizeof(struct snic_blk_queues) },
		{ SNIC_BLK_VSTATS, sizeof(struct snic_blk_vstats) },
	};
	boot("large");
	uint32_t off = 0, prev_end = 0;
	for (unsigned i = 0; i < 9; i++) {
		const struct snic_block_hdr *h = win_at(off);
		assert_int_equal(h->type, want[i].type);
		assert_int_equal(h->size, want[i].size);
		assert_int_equal(h->version, 1);
		assert_int_equal(off % 64, 0);
		assert_true(off >= prev_end);
		prev_end = off + h->size;
		if (i < 8)
			assert_true(h->next > off);
		else
			assert_int_equal(h->next, 0);
		off = h->next;
	}
}

static void test_devid(void **state)
{
	(void)state;
	boot("small");
	const struct snic_blk_devid *d = devid();
	assert_int_equal(d->magic, 0x43494e53u);
	assert_memory_equal(&d->magic, "SNIC", 4);
	assert_int_equal(d->abi_major, 1);
	assert_int_equal(d->abi_minor, SNIC_ABI_MINOR);
	assert_int_equal(d->window_size, TEST_WIN);
	assert_int_equal(d->state, SNIC_STATE_RUNNING);
	assert_string_equal(d->profile, "small");
	assert_int_equal(d->reset_count, 0);
	const struct snic_blk_fw *f = win_at(find_block(SNIC_BLK_FW));
	assert_int_equal(f->version, 0x000100);
	assert_non_null(memchr(f->build, 0, sizeof(f->build)));

	uint32_t hb = d->heartbeat;
	fake->now_ns = 123456789;
	fw_poll(tfw);
	fw_poll(tfw);
	assert_int_equal(d->heartbeat, hb + 2);
	assert_int_equal(d->dev_time_ns, 123456789);
}

struct span { uint64_t start, end; };

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Every array the firmware laid out is disjoint, aligned and below the DMA region. */
static void check_disjoint(const char *profile)
{
	boot(profile);
	struct span s[128];
	unsigned n = 0;
	const struct snic_blk_admin *a = admin_blk();
	const struct snic_blk_caps *c = win_at(find_block(SNIC_BLK_CAPS));
	const struct snic_blk_dma *d = dma_blk();
	const struct snic_blk_queues *rq = win_at(find_block(SNIC_BLK_RXQ));
	const struct snic_blk_queues *tq = win_at(find_block(SNIC_BLK_TXQ));

	assert_int_equal(a->entries, 16);
	const struct snic_blk_vstats *vs = win_at(find_block(SNIC_BLK_VSTATS));
	s[n++] = (struct span){ 0, find_block(SNIC_BLK_VSTATS) + sizeof(struct snic_blk_vstats) };
	assert_int_equal(vs->count, fake->hw.max_vnics);
	assert_int_equal(vs->stride, sizeof(struct snic_vnic_stats));
	assert_int_equal(vs->first % 64, 0);
	s[n++] = (struct span){ vs->first, vs->first + vs->count * 128ull };
	s[n++] = (struct span){ a->cmd_off, a->cmd_off + 16 * 256 };
	s[n++] = (struct span){ a->cpl_off, a->cpl_off + 16 * 256 };
	s[n++] = (struct span){ c->records, c->records + c->length };
	assert_int_equal(rq->count, fake->hw.n_rx_rings);
	assert_int_equal(tq->count, fake->hw.n_tx_rings);
	assert_int_equal(rq->stride, 192);
	assert_int_equal(tq->stride, 192);
	s[n++] = (struct span){ rq->first, rq->first + rq->count * 192ull };
	s[n++] = (struct span){ tq->first, tq->first + tq->count * 192ull };
	for (unsigned i = 0; i < rq->count; i++) {
		const struct snic_rxq *q = rxq(i);
		assert_int_equal(q->size, fake->hw.ring_size);
		assert_int_equal(q->buf_max, fake->hw.buf_max);
		assert_int_equal(q->msix, i);
		assert_int_equal(q->state, i == 0 ? SNIC_RING_SHARED : SNIC_RING_UNBOUND);
		assert_int_equal(q->vnic, SNIC_VNIC_NONE);
		assert_int_equal(q->desc_off % 64, 0);
		assert_int_equal(q->cpl_off % 64, 0);
		s[n++] = (struct span){ q->desc_off, q->desc_off + q->size * 16ull };
		s[n++] = (struct span){ q->cpl_off, q->cpl_off + q->size * 32ull };
	}
	for (unsigned i = 0; i < tq->count; i++) {
		const struct snic_txq *q = txq(i);
		assert_int_equal(q->state, i == 0 ? SNIC_RING_SHARED : SNIC_RING_UNBOUND);
		assert_int_equal(q->desc_off % 64, 0);
		s[n++] = (struct span){ q->desc_off, q->desc_off + q->size * 16ull };
	}
	qsort(s, n, sizeof(s[0]), cmp_span);
	for (unsigned i = 1; i < n; i++)
		assert_true(s[i].start >= s[i - 1].end);
	assert_true(s[n - 1].end <= d->base);
	assert_int_equal(d->base % 4096, 0);
	assert_int_equal((uint64_t)d->base + d->size, TEST_WIN);
	assert_true(d->size >= 64 * 1024);
}

static void test_disjoint_large(void **state) { (void)state; check_disjoint("large"); }
static void test_disjoint_small(void **state) { (void)state; check_disjoint("small"); }

/* Capability records: fixed order and contents taken from the hw profile. */
static void check_caps(const char *profile)
{
	boot(profile);
	const struct hal_hw_info *hw = &fake->hw;
	const struct snic_blk_caps *c = win_at(find_block(SNIC_BLK_CAPS));
	const uint8_t *p = win_at(c->records), *end = p + c->length;
	const struct snic_cap_hdr *h = (const void *)p;

	assert_int_equal(c->generation, 1);
	assert_int_equal(h->type, SNIC_CAP_HEADER);
	const struct snic_cap_header *hd = (const void *)p;
	assert_int_equal(h->len, 40); /* 36 bytes padded to 8 */
	assert_int_equal(hd->format, SNIC_CAP_FORMAT_VERSION);
	assert_int_equal(hd->n_rx_rings, hw->n_rx_rings);
	assert_int_equal(hd->n_tx_rings, hw->n_tx_rings);
	assert_int_equal(hd->n_uplinks, hw->n_uplinks);
	assert_int_equal(hd->max_vnics, hw->max_vnics);
	assert_string_equal(hd->profile, profile);
	p += h->len;

	for (unsigned i = 0; i < hw->n_rx_rings; i++, p += 40) {
		const struct snic_cap_ring *r = (const void *)p;
		const struct snic_rxq *q = rxq(i);
		assert_int_equal(r->h.type, SNIC_CAP_RX_RING);
		assert_int_equal(r->h.len, 40);
		assert_int_equal(r->id, i);
		assert_int_equal(r->size, hw->ring_size);
		assert_int_equal(r->buf_max, hw->buf_max);
		assert_ptr_equal(win_at(r->ctrl_off), q);
		assert_ptr_equal(win_at(r->poll_off), &q->cpl_prod);
		assert_ptr_equal(win_at(r->intr_off), &q->intr_enable);
		assert_int_equal(r->msix, q->msix);
		assert_int_equal(r->flags, SNIC_RINGCAP_POLL | SNIC_RINGCAP_INTR);
	}
	for (unsigned i = 0; i < hw->n_tx_rings; i++, p += 40) {
		const struct snic_cap_ring *r = (const void *)p;
		const struct snic_txq *q = txq(i);
		assert_int_equal(r->h.type, SNIC_CAP_TX_RING);
		assert_int_equal(r->h.len, 40);
		assert_int_equal(r->id, i);
		assert_ptr_equal(win_at(r->ctrl_off), q);
		assert_ptr_equal(win_at(r->poll_off), &q->desc_cons);
		assert_int_equal(r->intr_off, 0);
	}
	const struct snic_cap_classifier *cl = (const void *)p;
	assert_int_equal(cl->h.type, SNIC_CAP_CLASSIFIER);
	assert_int_equal(cl->h.len, 32);
	assert_int_equal(cl->key_fields, hw->key_fields);
	assert_int_equal(cl->ternary, hw->tcam_entries);
	assert_int_equal(cl->exact, hw->exact_entries);
	assert_int_equal(cl->key_bytes, 64);
	assert_int_equal(cl->latency, FAKE_CLS_LATENCY);
	/* With an exact table the VNIC MACs live there: every entry is the host's. */
	assert_int_equal(cl->user_entries, hw->exact_entries ? hw->tcam_entries
							     : hw->tcam_entries - hw->max_vnics);
	assert_int_equal(cl->actions, 0x3f); /* every action, meters included */
	assert_true(cl->actions & SNIC_CLSCAP_ACT_DROP);
	p += cl->h.len;
	const struct snic_cap_meters *m = (const void *)p;
	assert_int_equal(m->h.type, SNIC_CAP_METERS);
	assert_int_equal(m->h.len, 32);
	assert_int_equal((uintptr_t)m % 8, 0);
	assert_int_equal(m->count, 4096);
	assert_int_equal(m->modes, (1u << 1) | (1u << 2) | (1u << 3));
	assert_int_equal(m->min_bps, 1000000ull);
	assert_int_equal(m->max_bps, 400000000000ull);
	p += m->h.len;
	for (unsigned i = 0; i < hw->n_uplinks; i++) {
		const struct snic_cap_uplink *u = (const void *)p;
		assert_int_equal(u->h.type, SNIC_CAP_UPLINK);
		assert_int_equal(u->h.len, 24);
		assert_int_equal(u->id, i);
		assert_memory_equal(u->mac, hw->uplink_mac[i], 6);
		assert_int_equal(u->speed_mbps, hw->uplink_speed_mbps);
		p += u->h.len;
	}
	const struct snic_cap_l2 *l2 = (const void *)p;
	assert_int_equal(l2->h.type, SNIC_CAP_L2);
	assert_int_equal(l2->h.len, 24);
	assert_int_equal(l2->flags, SNIC_L2CAP_GROUP | SNIC_L2CAP_VLANS | SNIC_L2CAP_MAC |
				    SNIC_L2CAP_VSTATS | SNIC_L2CAP_PORT_VLAN);
	assert_int_equal(l2->mc_filters, 64);
	assert_int_equal(l2->vlan_filters, 64);
	assert_int_equal(l2->mc_per_vnic, SNIC_L2_MC_PER_VNIC);
	assert_int_equal(l2->vlans_per_vnic, SNIC_L2_VLANS_PER_VNIC);
	p += l2->h.len;
	const struct snic_cap_rss *rss = (const void *)p;
	assert_int_equal(rss->h.type, SNIC_CAP_RSS);
	assert_int_equal(rss->h.len, 16);
	assert_int_equal(rss->types, SNIC_RSS_HT_ALL);
	assert_int_equal(rss->key_bytes, SNIC_RSS_KEY_BYTES);
	assert_int_equal(rss->tables, 4);
	assert_int_equal(rss->max_queues, 4);
	assert_int_equal(rss->indir_entries, 64);
	p += rss->h.len;
	h = (const void *)p;
	assert_int_equal(h->type, SNIC_CAP_END);
	assert_int_equal(h->len, 8);
	assert_ptr_equal(p + 8, end);
}

static void test_caps_large(void **state) { (void)state; check_caps("large"); }
static void test_caps_small(void **state) { (void)state; check_caps("small"); }

/* Boot with one hw field broken: FAILED, -1, and nothing but devid written. */
static void expect_refused(void (*breakit)(void))
{
	assert_int_equal(fake_setup("large", TEST_WIN), 0);
	breakit();
	assert_int_equal(fw_init(tfw), -1);
	assert_int_equal(devid()->state, SNIC_STATE_FAILED);
	assert_int_equal(devid()->magic, SNIC_MAGIC);
	assert_int_equal(devid()->hdr.next, 0);
	assert_int_equal(fw_poll(tfw), 0);
	assert_int_equal(devid()->heartbeat, 0);
}

static void b_rx(void)     { fake->hw.n_rx_rings = 17; }
static void b_rx0(void)    { fake->hw.n_rx_rings = 0; }
static void b_tx(void)     { fake->hw.n_tx_rings = 17; }
static void b_vnics(void)  { fake->hw.max_vnics = 1025; }
static void b_tcam(void)   { fake->hw.tcam_entries = 1025; }
static void b_tcam2(void)  /* no exact table: the MAC entries need ternary slots */
{
	fake->hw.exact_entries = 0;
	fake->hw.tcam_entries = fake->hw.max_vnics;
}
static void b_uplink(void) { fake->hw.n_uplinks = SNIC_MAX_UPLINKS + 1; }
static void b_pow2(void)   { fake->hw.ring_size = 500; }
static void b_buf(void)    { fake->hw.buf_max = 16385; }
static void b_fields(void) { fake->hw.key_fields = SNIC_FIELD_SIP; }
static void b_win(void)    { fake->win_size = 512u << 10; /* 16 x 512-entry rings need 512 KiB */ }

static void test_refuse(void **state)
{
	(void)state;
	expect_refused(b_rx);
	expect_refused(b_rx0);
	expect_refused(b_tx);
	expect_refused(b_vnics);
	expect_refused(b_tcam);
	expect_refused(b_tcam2);
	expect_refused(b_uplink);
	expect_refused(b_pow2);
	expect_refused(b_buf);
	expect_refused(b_fields);
	expect_refused(b_win);
}

/* The limits themselves are accepted. */
static void test_limits_ok(void **state)
{
	(void)state;
	assert_int_equal(fake_setup("large", 64u << 20), 0);
	fake->hw.max_vnics = 1024;
	fake->hw.ring_size = 4096;
	fake->hw.buf_max = 16384;
	assert_int_equal(fw_init(tfw), 0);
	assert_int_equal(devid()->state, SNIC_STATE_RUNNING);
}

static void test_reboot_counts(void **state)
{
	(void)state;
	boot("small");
	assert_int_equal(fw_init(tfw), 0);
	assert_int_equal(devid()->reset_count, 1);
	assert_int_equal(fw_init(tfw), 0);
	assert_int_equal(devid()->reset_count, 2);
}

/* Boot turns every port admin-down and clears the whole engine table. */
static void test_boot_state(void **state)
{
	(void)state;
	assert_int_equal(fake_setup("small", TEST_WIN), 0);
	for (unsigned i = 0; i < 2; i++)
		fake->port_enabled[i] = 1;
	fake->valid[5] = 1;
	assert_int_equal(fw_init(tfw), 0);
	assert_int_equal(fake->port_enabled[0], 0);
	assert_int_equal(fake->port_enabled[1], 0);
	assert_int_equal(fake->port_calls, 2);
	assert_int_equal(fake->valid[5], 0);
	assert_int_equal(fake->cls_clears, 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_chain_order, teardown),
		cmocka_unit_test_teardown(test_devid, teardown),
		cmocka_unit_test_teardown(test_disjoint_large, teardown),
		cmocka_unit_test_teardown(test_disjoint_small, teardown),
		cmocka_unit_test_teardown(test_caps_large, teardown),
		cmocka_unit_test_teardown(test_caps_small, teardown),
		cmocka_unit_test_teardown(test_refuse, teardown),
		cmocka_unit_test_teardown(test_limits_ok, teardown),
		cmocka_unit_test_teardown(test_reboot_counts, teardown),
		cmocka_unit_test_teardown(test_boot_state, teardown),
	};
	return cmocka_run_group_tests_name("fw_layout", tests, NULL, NULL);
}
