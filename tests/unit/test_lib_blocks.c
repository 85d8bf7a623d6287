/* SPDX-License-Identifier: MIT */
/* libsnic: block chain walking on valid and corrupt synthetic windows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>
#include "snic.h"
#include "test_lib_fakewin.h"

struct fix {
	uint8_t *w;
	struct snic_dev *d;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	f->w = fw_build();
	f->d = snic_alloc();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	snic_close(f->d);
	free(f->w);
	free(f);
	return 0;
}

/* Attach and expect `code` with `needle` in the message. */
static void expect_attach(struct fix *f, int code, const char *needle)
{
	int rc = snic_attach(f->d, f->w, FW_SIZE);
	if (rc != code || (needle && !strstr(snic_errmsg(f->d), needle)))
		fail_msg("attach: rc %d (want %d), message '%s' (want '%s')", rc, code,
			 snic_errmsg(f->d), needle ? needle : "");
}

static void valid_window(void **state)
{
	struct fix *f = *state;
	struct snic_devinfo di;

	expect_attach(f, 0, NULL);
	const struct snic_caps *k = snic_caps(f->d);
	assert_non_null(k);
	assert_int_equal(k->n_rx, FW_N_RX);
	assert_int_equal(k->n_tx, FW_N_TX);
	assert_int_equal(snic_rx_count(f->d), FW_N_RX);
	assert_int_equal(snic_tx_count(f->d), FW_N_TX);
	snic_devinfo(f->d, &di);
	assert_string_equal(di.profile, "fake");
	assert_int_equal(di.fw_version, 0x010203);
	assert_int_equal(di.state, SNIC_STATE_RUNNING);
}

static void bad_magic(void **state)
{
	struct fix *f = *state;
	((struct snic_blk_devid *)f->w)->magic = 0x12345678;
	expect_attach(f, SNIC_ERR_MAGIC, "bad magic");
}

static void wrong_abi_major(void **state)
{
	struct fix *f = *state;
	((struct snic_blk_devid *)f->w)->abi_major = SNIC_ABI_MAJOR + 1;
	expect_attach(f, SNIC_ERR_ABI, "incompatible");
}

static void newer_abi_minor_ok(void **state)
{
	struct fix *f = *state;
	((struct snic_blk_devid *)f->w)->abi_minor = SNIC_ABI_MINOR + 5;
	expect_attach(f, 0, NULL);
}

static void window_size_over_mapping(void **state)
{
	struct fix *f = *state;
	((struct snic_blk_devid *)f->w)->window_size = FW_SIZE * 2;
	expect_attach(f, SNIC_ERR_WINDOW, "mapped");
}

static void tiny_window(void **state)
{
	struct fix *f = *state;
	assert_int_equal(snic_attach(f->d, f->w, 16), SNIC_ERR_WINDOW);
}

static void booting_device(void **state)
{
	struct fix *f = *state;
	((struct snic_blk_devid *)f->w)->state = SNIC_STATE_BOOTING;
	expect_attach(f, SNIC_ERR_STATE, "BOOTING");
}

static void next_out_of_range(void **state)
{
	struct fix *f = *state;
	((struct snic_block_hdr *)(f->w + OFF_CAPS))->next = FW_SIZE - 8;
	expect_attach(f, SNIC_ERR_CHAIN, "outside the window");
}

static void next_far_out_of_range(void **state)
{
	struct fix *f = *state;
	((struct snic_block_hdr *)(f->w + OFF_FW))->next = 0xfffffff8u;
	expect_attach(f, SNIC_ERR_CHAIN, "outside the window");
}

static void next_unaligned(void **state)
{
	struct fix *f = *state;
	((struct snic_block_hdr *)(f->w + OFF_FW))->next = OFF_ADMIN + 3;
	expect_attach(f, SNIC_ERR_CHAIN, "unaligned");
}

static void chain_loops(void **state)
{
	struct fix *f = *state;
	/* TXQ (the last block) points back at FW. */
	((struct snic_block_hdr *)(f->w + OFF_TXQB))->next = OFF_FW;
	expect_attach(f, SNIC_ERR_CHAIN, "loops");
}

static void chain_self_loop(void **state)
{
	struct fix *f = *state;
	((struct snic_block_hdr *)(f->w + OFF_ADMIN))->next = OFF_ADMIN;
	expect_attach(f, SNIC_ERR_CHAIN, "loops");
}

static void block_size_beyond_window(void **state)
{
	struct fix *f = *state;
	((struct snic_block_hdr *)(f->w + OFF_STATS))->size = FW_SIZE;
	expect_attach(f, SNIC_ERR_CHAIN, "size");
}

static void known_block_too_small(void **state)
{
	struct fix *f = *state;
	((struct snic_block_hdr *)(f->w + OFF_ADMIN))->size = 64;
	expect_attach(f, SNIC_ERR_BLOCK, "ADMIN block");
}

static void unknown_block_skipped(void **state)
{
	struct fix *f = *state;
	/* Insert an unknown block of type 0x7777 between STATS and DMA. */
	uint32_t off = 2048;
	fw_hdr(f->w, off, 0x7777, OFF_DMA, 64);
	((struct snic_block_hdr *)(f->w + OFF_STATS))->next = off;
	expect_attach(f, 0, NULL);
	assert_non_null(snic_caps(f->d));
}

static void first_block_not_devid(void **state)
{
	struct fix *f = *state;
	((struct snic_block_hdr *)f->w)->type = SNIC_BLK_FW;
	expect_attach(f, SNIC_ERR_MAGIC, "DEVID");
}

static void duplicate_block(void **state)
{
	struct fix *f = *state;
	((struct snic_block_hdr *)(f->w + OFF_TXQB))->type = SNIC_BLK_RXQ;
	expect_attach(f, SNIC_ERR_BLOCK, "second RXQ");
}

static void admin_entries_not_pow2(void **state)
{
	struct fix *f = *state;
	((struct snic_blk_admin *)(f->w + OFF_ADMIN))->entries = 3;
	expect_attach(f, SNIC_ERR_BLOCK, "power of two");
}

static void admin_ring_outside(void **state)
{
	struct fix *f = *state;
	((struct snic_blk_admin *)(f->w + OFF_ADMIN))->cpl_off = FW_SIZE - 256;
	expect_attach(f, SNIC_ERR_BLOCK, "completion ring");
}

static void queue_count_huge(void **state)
{
	struct fix *f = *state;
	((struct snic_blk_queues *)(f->w + OFF_RXQB))->count = 100000;
	expect_attach(f, SNIC_ERR_BLOCK, "RXQ block");
}

static void queues_outside(void **state)
{
	struct fix *f = *state;
	((struct snic_blk_queues *)(f->w + OFF_TXQB))->first = FW_SIZE - 192;
	expect_attach(f, SNIC_ERR_BLOCK, "outside the window");
}

static void caps_records_outside(void **state)
{
	struct fix *f = *state;
	((struct snic_blk_caps *)(f->w + OFF_CAPS))->records = FW_SIZE - 16;
	expect_attach(f, SNIC_ERR_BLOCK, "CAPS block");
}

static void caps_corrupt_in_window(void **state)
{
	struct fix *f = *state;
	/* Zero the first record's length: a reader that trusted it would spin. */
	((struct snic_cap_hdr *)(f->w + OFF_REC))->len = 0;
	expect_attach(f, SNIC_ERR_CAPS, "length 0");
}

static void caps_ring_count_mismatch(void **state)
{
	struct fix *f = *state;
	((struct snic_blk_queues *)(f->w + OFF_RXQB))->count = 1;
	expect_attach(f, SNIC_ERR_CAPS, "RXQ block has 1");
}

static void dma_too_small_is_ring_error(void **state)
{
	struct fix *f = *state;
	((struct snic_blk_dma *)(f->w + OFF_DMA))->size = 1024;
	expect_attach(f, 0, NULL);  /* admin and caps still usable */
	assert_int_equal(snic_rx_start(f->d, 0), SNIC_ERR_NOMEM);
	assert_non_null(strstr(snic_errmsg(f->d), "DMA region"));
}

static void ring_geometry_corrupt(void **state)
{
	struct fix *f = *state;
	((struct snic_rxq *)(f->w + OFF_RXQ))->size = 7;
	expect_attach(f, 0, NULL);
	assert_int_equal(snic_rx_start(f->d, 0), SNIC_ERR_RING);
	assert_int_equal(snic_rx_start(f->d, 5), SNIC_ERR_ARG);
}

static void open_missing_file(void **state)
{
	(void)state;
	struct snic_dev *d = snic_alloc();
	assert_int_equal(snic_open(d, "/nonexistent/snic-window"), SNIC_ERR_SYS);
	assert_non_null(strstr(snic_errmsg(d), "cannot open"));
	snic_close(d);
}

static void open_real_file(void **state)
{
	struct fix *f = *state;
	char path[] = "/tmp/snic-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, f->w, FW_SIZE), FW_SIZE);
	close(fd);
	struct snic_dev *d = snic_alloc();
	assert_int_equal(snic_open(d, path), 0);
	assert_int_equal(snic_caps(d)->n_rx, FW_N_RX);
	snic_close(d);
	unlink(path);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(valid_window), T(bad_magic), T(wrong_abi_major), T(newer_abi_minor_ok),
		T(window_size_over_mapping), T(tiny_window), T(booting_device),
		T(next_out_of_range), T(next_far_out_of_range), T(next_unaligned),
		T(chain_loops), T(chain_self_loop), T(block_size_beyond_window),
		T(known_block_too_small), T(unknown_block_skipped), T(first_block_not_devid),
		T(duplicate_block), T(admin_entries_not_pow2), T(admin_ring_outside),
		T(queue_count_huge), T(queues_outside), T(caps_records_outside),
		T(caps_corrupt_in_window), T(caps_ring_count_mismatch),
		T(dma_too_small_is_ring_error), T(ring_geometry_corrupt),
		T(open_missing_file), T(open_real_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
