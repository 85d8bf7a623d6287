/* SPDX-License-Identifier: MIT */
/*
 * libsnic: RX and TX rings against a synthetic window; the test plays the
 * device between library calls. Buffer addresses are checked against the
 * documented layout policy computed here independently.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>
#include "snic.h"
#include "test_lib_fakewin.h"

static uint8_t *win;
static struct snic_dev *dev;

static struct snic_rxq *rxq(unsigned r) { return (struct snic_rxq *)(win + OFF_RXQ + r * 192u); }
static struct snic_txq *txq(unsigned r) { return (struct snic_txq *)(win + OFF_TXQ + r * 192u); }
static struct snic_rx_desc *rdesc(unsigned r, unsigned s)
{
	return (struct snic_rx_desc *)(win + rxq(r)->desc_off) + s;
}
static struct snic_rx_cpl *rcpl(unsigned r, unsigned s)
{
	return (struct snic_rx_cpl *)(win + rxq(r)->cpl_off) + s;
}
static struct snic_tx_desc *tdesc(unsigned r, unsigned s)
{
	return (struct snic_tx_desc *)(win + txq(r)->desc_off) + s;
}

/* Layout policy: ring r slot s; TX rings after all RX buffers. */
static uint32_t rx_buf(unsigned r, unsigned s)
{
	return OFF_DMAREG + (r * FW_RING_SIZE + s) * FW_BUF_MAX;
}
static uint32_t tx_buf(unsigned r, unsigned s)
{
	return OFF_DMAREG + ((FW_N_RX + r) * FW_RING_SIZE + s) * FW_BUF_MAX;
}

static int setup(void **state)
{
	(void)state;
	win = fw_build();
	dev = snic_alloc();
	assert_int_equal(snic_attach(dev, win, FW_SIZE), 0);
	snic_set_timeout(dev, 50);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	snic_close(dev);
	free(win);
	return 0;
}

/* Device side: deliver one frame into the next posted buffer of ring r. */
static void device_rx(unsigned r, uint16_t vnic, uint32_t len, uint8_t fill)
{
	struct snic_rxq *q = rxq(r);
	uint32_t i = q->cpl_prod;
	assert_true(q->desc_prod - i > 0);          /* a buffer is posted */
	struct snic_rx_desc *d = rdesc(r, i % FW_RING_SIZE);
	assert_true(len <= d->len);
	memset(win + d->addr, fill, len);
	struct snic_rx_cpl c = { .len = len, .vnic = vnic, .rule = SNIC_RULE_MISS, .desc = i,
				 .time_ns = 1000u * i };
	*rcpl(r, i % FW_RING_SIZE) = c;
	q->desc_cons = i + 1;
	__atomic_store_n(&q->cpl_prod, i + 1, __ATOMIC_RELEASE);
}

struct seen {
	unsigned n;
	uint16_t vnic[16];
	uint32_t len[16];
	int data_ok;
};

static void collect(void *arg, const struct snic_rx_frame *f)
{
	struct seen *s = arg;
	s->vnic[s->n] = f->cpl.vnic;
	s->len[s->n] = f->cpl.len;
	for (uint32_t k = 0; k < f->cpl.len; k++)
		if (f->data[k] != (uint8_t)(0x10 + s->n))
			s->data_ok = 0;
	s->n++;
}

static void rx_posts_all_buffers(void **state)
{
	(void)state;
	assert_int_equal(snic_rx_start(dev, 1), 0);
	assert_int_equal(rxq(1)->desc_prod, FW_RING_SIZE);
	for (unsigned s = 0; s < FW_RING_SIZE; s++) {
		assert_int_equal(rdesc(1, s)->addr, rx_buf(1, s));
		assert_int_equal(rdesc(1, s)->len, FW_BUF_MAX);
	}
	assert_int_equal(rxq(0)->desc_prod, 0);   /* other rings untouched */
}

static void rx_poll_budget_and_repost(void **state)
{
	(void)state;
	struct seen s = { .data_ok = 1 };
	assert_int_equal(snic_rx_start(dev, 0), 0);
	device_rx(0, 11, 60, 0x10);
	device_rx(0, 12, 61, 0x11);
	device_rx(0, 13, 62, 0x12);
	assert_int_equal(snic_rx_pending(dev, 0), 3);
	assert_int_equal(snic_rx_poll(dev, 0, 2, collect, &s), 2);
	assert_int_equal(rxq(0)->cpl_cons, 2);
	assert_int_equal(rxq(0)->desc_prod, FW_RING_SIZE + 2);  /* two reposted */
	assert_int_equal(rdesc(0, 0)->addr, rx_buf(0, 0));
	assert_int_equal(snic_rx_poll(dev, 0, 64, collect, &s), 1);
	assert_int_equal(snic_rx_poll(dev, 0, 64, collect, &s), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.vnic[0], 11);
	assert_int_equal(s.vnic[2], 13);
	assert_int_equal(s.len[1], 61);
	assert_true(s.data_ok);
	assert_int_equal(snic_rx_pending(dev, 0), 0);
}

static void rx_wraps_ring(void **state)
{
	(void)state;
	struct seen s = { .data_ok = 1 };
	assert_int_equal(snic_rx_start(dev, 0), 0);
	for (unsigned round = 0; round < 5; round++) {
		s.n = 0;
		for (unsigned k = 0; k < 3; k++)
			device_rx(0, (uint16_t)k, 20, (uint8_t)(0x10 + k));
		assert_int_equal(snic_rx_poll(dev, 0, 64, collect, &s), 3);
		assert_true(s.data_ok);
	}
	assert_int_equal(rxq(0)->cpl_cons, 15);
	assert_int_equal(rxq(0)->desc_prod, 15 + FW_RING_SIZE);
}

static void rx_corrupt_cpl_prod(void **state)
{
	(void)state;
	assert_int_equal(snic_rx_start(dev, 0), 0);
	rxq(0)->cpl_prod = 1000;
	assert_int_equal(snic_rx_poll(dev, 0, 64, collect, NULL), SNIC_ERR_RING);
	assert_int_equal(rxq(0)->cpl_cons, 0);
}

static void rx_corrupt_length(void **state)
{
	(void)state;
	struct seen s = { .data_ok = 1 };
	assert_int_equal(snic_rx_start(dev, 0), 0);
	device_rx(0, 1, 30, 0x10);
	rcpl(0, 0)->len = FW_BUF_MAX + 1;
	assert_int_equal(snic_rx_poll(dev, 0, 64, collect, &s), SNIC_ERR_RING);
	assert_int_equal(s.n, 0);
	assert_non_null(strstr(snic_errmsg(dev), "over buf_max"));
}

static void rx_not_started(void **state)
{
	(void)state;
	assert_int_equal(snic_rx_poll(dev, 0, 64, collect, NULL), SNIC_ERR_ARG);
	assert_int_equal(snic_rx_start(dev, FW_N_RX), SNIC_ERR_ARG);
}

static void rx_takeover_continues(void **state)
{
	(void)state;
	struct seen s = { .data_ok = 1 };
	assert_int_equal(snic_rx_start(dev, 0), 0);
	device_rx(0, 1, 10, 0x10);
	device_rx(0, 2, 10, 0x10);
	snic_close(dev);   /* the owner leaves with two frames waiting */
	dev = snic_alloc();
	assert_int_equal(snic_attach(dev, win, FW_SIZE), 0);
	assert_int_equal(snic_rx_start(dev, 0), 0);
	assert_int_equal(rxq(0)->desc_prod, FW_RING_SIZE);  /* nothing posted twice */
	assert_int_equal(snic_rx_poll(dev, 0, 64, collect, &s), 2);
}

static void rx_inconsistent_indices(void **state)
{
	(void)state;
	rxq(0)->desc_prod = 100;  /* host line left corrupt */
	assert_int_equal(snic_rx_start(dev, 0), SNIC_ERR_RING);
}

static void rx_ring_locked_between_handles(void **state)
{
	(void)state;
	char path[] = "/tmp/snic-rings-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, win, FW_SIZE), FW_SIZE);
	close(fd);
	struct snic_dev *a = snic_alloc(), *b = snic_alloc();
	assert_int_equal(snic_open(a, path), 0);
	assert_int_equal(snic_open(b, path), 0);
	assert_int_equal(snic_rx_start(a, 0), 0);
	assert_int_equal(snic_rx_start(b, 0), SNIC_ERR_BUSY);
	assert_non_null(strstr(snic_errmsg(b), "in use"));
	assert_int_equal(snic_rx_start(b, 1), 0);
	assert_int_equal(snic_tx_start(a, 0), 0);
	assert_int_equal(snic_tx_start(b, 0), SNIC_ERR_BUSY);
	snic_close(a);    /* releases its rings */
	assert_int_equal(snic_rx_start(b, 0), 0);
	snic_close(b);
	unlink(path);
}

static void tx_send_layout(void **state)
{
	(void)state;
	uint8_t frame[100];
	assert_int_equal(snic_tx_start(dev, 1), 0);
	for (unsigned i = 0; i < 3; i++) {
		memset(frame, 0x40 + i, sizeof(frame));
		assert_int_equal(snic_tx_send(dev, 1, frame, 60 + i), 0);
	}
	assert_int_equal(txq(1)->desc_prod, 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(tdesc(1, i)->addr, tx_buf(1, i));
		assert_int_equal(tdesc(1, i)->len, 60 + i);
		assert_int_equal(win[tx_buf(1, i)], 0x40 + i);
		assert_int_equal(win[tx_buf(1, i) + 59 + i], 0x40 + i);
	}
	assert_int_equal(txq(0)->desc_prod, 0);
}

static void tx_full_waits_then_times_out(void **state)
{
	(void)state;
	uint8_t frame[64] = { 0 };
	assert_int_equal(snic_tx_start(dev, 0), 0);
	for (unsigned i = 0; i < FW_RING_SIZE; i++)
		assert_int_equal(snic_tx_send(dev, 0, frame, sizeof(frame)), 0);
	assert_int_equal(snic_tx_send(dev, 0, frame, sizeof(frame)), SNIC_ERR_TIMEOUT);
	assert_non_null(strstr(snic_errmsg(dev), "ring full"));
	assert_int_equal(snic_tx_flush(dev, 0), SNIC_ERR_TIMEOUT);
	/* The device takes three: room again, the slot after the last is 0. */
	txq(0)->desc_cons = 3;
	frame[0] = 0x77;
	assert_int_equal(snic_tx_send(dev, 0, frame, sizeof(frame)), 0);
	assert_int_equal(tdesc(0, 0)->addr, tx_buf(0, 0));
	assert_int_equal(win[tx_buf(0, 0)], 0x77);
	txq(0)->desc_cons = FW_RING_SIZE + 1;
	assert_int_equal(snic_tx_flush(dev, 0), 0);
}

static void tx_bad_frames(void **state)
{
	(void)state;
	uint8_t frame[FW_BUF_MAX + 1] = { 0 };
	assert_int_equal(snic_tx_start(dev, 0), 0);
	assert_int_equal(snic_tx_send(dev, 0, frame, FW_BUF_MAX + 1), SNIC_ERR_ARG);
	assert_int_equal(snic_tx_send(dev, 0, frame, 0), SNIC_ERR_ARG);
	assert_int_equal(txq(0)->desc_prod, 0);
	assert_int_equal(snic_tx_send(dev, 1, frame, 60), SNIC_ERR_ARG);   /* not started */
}

static void tx_corrupt_cons(void **state)
{
	(void)state;
	uint8_t frame[64] = { 0 };
	assert_int_equal(snic_tx_start(dev, 0), 0);
	txq(0)->desc_cons = 500;
	assert_int_equal(snic_tx_send(dev, 0, frame, sizeof(frame)), SNIC_ERR_RING);
}

static void stats_read(void **state)
{
	(void)state;
	struct snic_stats s;
	struct snic_blk_stats *b = (struct snic_blk_stats *)(win + OFF_STATS);
	b->drops[SNIC_DROP_RING_FULL] = 42;
	b->port[1].rx_packets = 7;
	rxq(1)->packets = 9;
	rxq(1)->drop_full = 3;
	txq(0)->drop_spoof = 5;
	assert_int_equal(snic_stats_read(dev, &s), 0);
	assert_int_equal(s.drops[SNIC_DROP_RING_FULL], 42);
	assert_int_equal(s.port[1].rx_packets, 7);
	assert_int_equal(s.n_rx, FW_N_RX);
	assert_int_equal(s.rx[1].packets, 9);
	assert_int_equal(s.rx[1].drop_a, 3);
	assert_int_equal(s.tx[0].drop_a, 5);
	assert_int_equal(s.rx[0].vnic, SNIC_VNIC_NONE);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(rx_posts_all_buffers), T(rx_poll_budget_and_repost), T(rx_wraps_ring),
		T(rx_corrupt_cpl_prod), T(rx_corrupt_length), T(rx_not_started),
		T(rx_takeover_continues), T(rx_inconsistent_indices),
		T(rx_ring_locked_between_handles), T(tx_send_layout),
		T(tx_full_waits_then_times_out), T(tx_bad_frames), T(tx_corrupt_cons),
		T(stats_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
