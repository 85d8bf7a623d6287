/* SPDX-License-Identifier: MIT */
/*
 * The shared window protocol code (hostdrv/proto), which libsnic and
 * snic.ko both run, fed hostile windows directly: what one host driver
 * refuses the other refuses too, so these checks hold for both.
 * The admin tests run single-threaded: the fake clock advances in the
 * pause callback, which also plays the device.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>
#include "../proto/snic_proto.h"
#include "test_lib_fakewin.h"

static uint8_t *w;
static struct snic_proto_layout lay;
static struct snic_proto_err err;

static int setup(void **state)
{
	(void)state;
	w = fw_build();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(w);
	return 0;
}

#define HDR(off) ((struct snic_block_hdr *)(w + (off)))

static void expect_walk(int code, const char *needle)
{
	int rc = snic_proto_walk(w, FW_SIZE, &lay, &err);
	if (rc != code || err.code != code || (needle && !strstr(err.msg, needle)))
		fail_msg("walk: %d '%s' (want %d '%s')", rc, err.msg, code, needle ? needle : "");
}

/* ---- block chain ---- */

static void valid_window(void **state)
{
	(void)state;
	expect_walk(0, NULL);
	assert_int_equal(lay.window_size, FW_SIZE);
	assert_int_equal(lay.off_admin, OFF_ADMIN);
	assert_int_equal(lay.off_txq, OFF_TXQB);
	assert_int_equal(lay.off_vstats, SNIC_PROTO_NONE);
	assert_int_equal(lay.rxq.count, FW_N_RX);
	assert_int_equal(lay.admin.entries, FW_ENTRIES);
	assert_int_equal(lay.dma.base, OFF_DMAREG);
	assert_int_equal(lay.n_blocks, 8);
}

/* The old kernel driver refused it, the old library accepted it. */
static void zero_ring_queue_block(void **state)
{
	(void)state;
	((struct snic_blk_queues *)(w + OFF_RXQB))->count = 0;
	expect_walk(SNIC_PROTO_E_BLOCK, "RXQ block: 0 rings");
}

static void tx_stride_below_control_area(void **state)
{
	(void)state;
	((struct snic_blk_queues *)(w + OFF_TXQB))->stride = 64;
	expect_walk(SNIC_PROTO_E_BLOCK, "TXQ block: ring stride 64");
}

static void last_ring_past_window(void **state)
{
	(void)state;
	/* The last control area starts inside the window but ends past it. */
	((struct snic_blk_queues *)(w + OFF_TXQB))->first = FW_SIZE - 192 - 64;
	expect_walk(SNIC_PROTO_E_BLOCK, "outside the window");
}

static void overlapping_blocks(void **state)
{
	(void)state;
	HDR(OFF_STATS)->size = OFF_DMA - OFF_STATS + 8; /* reaches into DMA */
	expect_walk(SNIC_PROTO_E_CHAIN, "overlaps the block at 0x180");
}

static void oversized_block(void **state)
{
	(void)state;
	HDR(OFF_FW)->size = FW_SIZE;
	expect_walk(SNIC_PROTO_E_CHAIN, "outside the window");
}

static void chain_loop(void **state)
{
	(void)state;
	HDR(OFF_TXQB)->next = OFF_ADMIN;
	expect_walk(SNIC_PROTO_E_CHAIN, "loops back to offset 0x80");
}

static void chain_too_long(void **state)
{
	(void)state;
	/* 64 small unknown blocks after TXQ: 73 in all, no offset repeats. */
	HDR(OFF_TXQB)->next = 20480;
	for (uint32_t i = 0; i < 64; i++)
		fw_hdr(w, 20480 + i * 16, 0x7000, i < 63 ? 20480 + (i + 1) * 16 : 0, 16);
	expect_walk(SNIC_PROTO_E_CHAIN, "longer than 64");
}

static void unknown_blocks_skipped(void **state)
{
	(void)state;
	HDR(OFF_TXQB)->next = 20480;
	fw_hdr(w, 20480, 0x7000, 0, 48);
	expect_walk(0, NULL);
	assert_int_equal(lay.n_unknown, 1);
}

static void required_block_missing(void **state)
{
	(void)state;
	HDR(OFF_STATS)->next = OFF_RXQB; /* DMA left out of the chain */
	expect_walk(SNIC_PROTO_E_MISSING, "no DMA block");
}

static void duplicate_and_version_zero(void **state)
{
	(void)state;
	HDR(OFF_TXQB)->type = SNIC_BLK_RXQ;
	expect_walk(SNIC_PROTO_E_BLOCK, "second RXQ");
	HDR(OFF_TXQB)->type = SNIC_BLK_TXQ;
	HDR(OFF_CAPS)->version = 0;
	expect_walk(SNIC_PROTO_E_BLOCK, "version 0");
}

static void devid_checks(void **state)
{
	(void)state;
	struct snic_blk_devid *id = (void *)w;
	assert_int_equal(snic_proto_walk(w, 32, &lay, &err), SNIC_PROTO_E_WINDOW);
	id->window_size = FW_SIZE + 8;
	expect_walk(SNIC_PROTO_E_WINDOW, "mapped");
	id->window_size = FW_SIZE;
	id->abi_major = SNIC_ABI_MAJOR + 1;
	expect_walk(SNIC_PROTO_E_ABI, "incompatible");
	id->abi_major = SNIC_ABI_MAJOR;
	id->state = SNIC_STATE_BOOTING;
	expect_walk(SNIC_PROTO_E_STATE, "BOOTING");
	id->state = SNIC_STATE_RUNNING;
	id->hdr.type = SNIC_BLK_FW;
	expect_walk(SNIC_PROTO_E_MAGIC, "no DEVID");
}

static void dma_and_admin_contents(void **state)
{
	(void)state;
	((struct snic_blk_dma *)(w + OFF_DMA))->size = 0;
	expect_walk(SNIC_PROTO_E_BLOCK, "DMA block");
	((struct snic_blk_dma *)(w + OFF_DMA))->size = DMA_SIZE;
	((struct snic_blk_admin *)(w + OFF_ADMIN))->cpl_off = OFF_CMD + 256;
	expect_walk(SNIC_PROTO_E_BLOCK, "overlap");
}

static void vstats_block(void **state)
{
	(void)state;
	struct snic_blk_vstats *v = (void *)(w + 1024);
	HDR(OFF_TXQB)->next = 1024;
	fw_hdr(w, 1024, SNIC_BLK_VSTATS, 0, sizeof(*v));
	v->count = 8;
	v->stride = sizeof(struct snic_vnic_stats);
	v->first = 20480;
	expect_walk(0, NULL);
	assert_int_equal(lay.off_vstats, 1024);
	assert_int_equal(lay.vstats.count, 8);
	v->stride = 8; /* smaller than an entry: refused, not ignored */
	expect_walk(SNIC_PROTO_E_BLOCK, "VSTATS block");
	v->stride = sizeof(struct snic_vnic_stats);
	v->first = FW_SIZE - 64;
	expect_walk(SNIC_PROTO_E_BLOCK, "VSTATS block: 8 entries");
}

/* ---- capability records ---- */

static uint8_t rec[SNIC_CAPS_MAX_BYTES];
static struct snic_proto_caps caps;

#define AT_RX0  36u
#define AT_CLS  (AT_RX0 + 4u * 36u)
#define AT_UP0  (AT_CLS + 64u)
#define AT_END  (AT_UP0 + 40u)

static uint32_t stream(void)
{
	memset(rec, 0, sizeof(rec));
	return fw_caps_records(rec);
}

static void expect_parse(uint32_t len, const char *needle)
{
	int rc = snic_proto_caps_parse(rec, len, FW_SIZE, &caps, &err);
	if (rc != SNIC_PROTO_E_CAPS || !strstr(err.msg, needle))
		fail_msg("parse: %d '%s' (want '%s')", rc, err.msg, needle);
}

static void caps_valid_and_l2_optional(void **state)
{
	(void)state;
	uint32_t len = stream();
	assert_int_equal(snic_proto_caps_parse(rec, len, FW_SIZE, &caps, &err), 0);
	assert_int_equal(caps.n_rx, FW_N_RX);
	assert_int_equal(caps.tx[1].ctrl_off, OFF_TXQ + 192);
	assert_int_equal(caps.n_uplinks, 2);
	assert_int_equal(caps.l2.h.type, 0); /* absent: accepted */
	/* With an L2 record before END it is taken. */
	struct snic_cap_l2 l2 = { { SNIC_CAP_L2, 1, sizeof(l2) }, SNIC_L2CAP_GROUP, 64, 64, 16, 16, 0 };
	struct snic_cap_hdr end = { SNIC_CAP_END, 1, 8 };
	uint32_t at = fw_put(rec, AT_END, &l2, sizeof(l2));
	at = fw_put(rec, at, &end, sizeof(end));
	assert_int_equal(snic_proto_caps_parse(rec, at, FW_SIZE, &caps, &err), 0);
	assert_int_equal(caps.l2.mc_filters, 64);
	((struct snic_cap_l2 *)(rec + AT_END))->mc_per_vnic = SNIC_L2_MC_PER_VNIC + 1;
	expect_parse(at, "the ABI holds");
}

/* The RSS record (ABI 1.2) comes after L2, is optional, and may not
 * advertise more than the queue-set command carries. */
static void caps_rss_optional(void **state)
{
	(void)state;
	stream();
	struct snic_cap_rss rss = { { SNIC_CAP_RSS, 1, sizeof(rss) }, SNIC_RSS_HT_ALL,
				    SNIC_RSS_KEY_BYTES, 4, 4, 64, 0 };
	struct snic_cap_l2 l2 = { { SNIC_CAP_L2, 1, sizeof(l2) }, SNIC_L2CAP_GROUP, 64, 64, 16, 16, 0 };
	struct snic_cap_hdr end = { SNIC_CAP_END, 1, 8 };
	uint32_t at = fw_put(rec, AT_END, &rss, sizeof(rss));
	at = fw_put(rec, at, &end, sizeof(end));
	assert_int_equal(snic_proto_caps_parse(rec, at, FW_SIZE, &caps, &err), 0);
	assert_int_equal(caps.rss.max_queues, 4);
	assert_int_equal(caps.rss.indir_entries, 64);
	((struct snic_cap_rss *)(rec + AT_END))->max_queues = SNIC_RSS_MAX_QUEUES + 1;
	expect_parse(at, "outside what rss.h holds");
	((struct snic_cap_rss *)(rec + AT_END))->max_queues = 4;
	((struct snic_cap_rss *)(rec + AT_END))->indir_entries = 48;
	expect_parse(at, "outside what rss.h holds");
	/* L2 after RSS: out of order. */
	((struct snic_cap_rss *)(rec + AT_END))->indir_entries = 64;
	at = fw_put(rec, AT_END + sizeof(rss), &l2, sizeof(l2));
	at = fw_put(rec, at, &end, sizeof(end));
	expect_parse(at, "out of order");
}

static void caps_truncated_everywhere(void **state)
{
	(void)state;
	uint32_t len = stream();
	for (uint32_t cut = 0; cut < len; cut++)
		if (snic_proto_caps_parse(rec, cut, FW_SIZE, &caps, &err) != SNIC_PROTO_E_CAPS)
			fail_msg("prefix of %u bytes accepted", cut);
	/* A record whose length runs past the stream. */
	((struct snic_cap_hdr *)(rec + AT_CLS))->len = 4000;
	expect_parse(len, "length 4000");
}

static void caps_wrong_versions(void **state)
{
	(void)state;
	uint32_t len = stream();
	((struct snic_cap_header *)rec)->format = 2;
	expect_parse(len, "capability format 2");
	len = stream();
	((struct snic_cap_hdr *)(rec + AT_CLS))->version = 0;
	expect_parse(len, "version 0");
}

static void caps_order_and_counts(void **state)
{
	(void)state;
	uint32_t len = stream();
	/* A second classifier where the METERS record was. */
	((struct snic_cap_hdr *)(rec + AT_CLS + 32))->type = SNIC_CAP_CLASSIFIER;
	expect_parse(len, "second CLASSIFIER");
	len = stream();
	((struct snic_cap_header *)rec)->n_uplinks = 0;
	expect_parse(len, "0 uplinks");
	len = stream();
	((struct snic_cap_ring *)(rec + AT_RX0))->buf_max = 10;
	expect_parse(len, "Ethernet header");
}

static void caps_must_match_queue_blocks(void **state)
{
	(void)state;
	uint8_t buf[SNIC_CAPS_MAX_BYTES];
	expect_walk(0, NULL);
	assert_int_equal(snic_proto_caps_read(w, &lay, buf, &caps, &err), 0);
	assert_int_equal(caps.generation, 1);
	/* Ring 1's record points at another control area than RXQ says. */
	((struct snic_cap_ring *)(w + OFF_REC + AT_RX0 + 36))->ctrl_off = OFF_RXQ + 384;
	assert_int_equal(snic_proto_caps_read(w, &lay, buf, &caps, &err), SNIC_PROTO_E_CAPS);
	assert_non_null(strstr(err.msg, "RXQ block says"));
}

/* ---- admin exchange ---- */

enum dev_mode { DEV_ANSWER, DEV_SILENT, DEV_FLOOD, DEV_WRONG_OPCODE, DEV_STOP };

struct fake {
	uint64_t now;         /* the agent's clock, ms */
	enum dev_mode mode;
	int waits_begun;
	uint32_t flood_seq;
};

static struct fake fk;

static void answer(const struct snic_admin_cmd *c, struct snic_admin_cpl *p)
{
	memset(p, 0, sizeof(*p));
	p->opcode = fk.mode == DEV_WRONG_OPCODE ? 0x7f : c->opcode;
	p->seq = c->seq;
	p->len = c->len;
	memcpy(p->payload, c->payload, c->len);
}

/* Appends one completion to the ring as the device would. */
static void push_cpl(uint32_t seq)
{
	struct snic_admin_cpl p = { .opcode = SNIC_CMD_NOP, .seq = seq };
	uint32_t cp = *FW_ADMIN_WORD(w, cpl_prod);
	memcpy(w + OFF_CPL + (cp % FW_ENTRIES) * sizeof(p), &p, sizeof(p));
	*FW_ADMIN_WORD(w, cpl_prod) = cp + 1;
}

static uint64_t f_now(void *ctx) { (void)ctx; return fk.now; }

static void f_pause(void *ctx, unsigned int *spins)
{
	(void)ctx;
	(void)spins;
	fk.now += 10;
	switch (fk.mode) {
	case DEV_ANSWER:
	case DEV_WRONG_OPCODE:
		fw_admin_serve(w, answer);
		break;
	case DEV_FLOOD: /* a hostile device: answers nobody asked for */
		if (*FW_ADMIN_WORD(w, cpl_prod) - *FW_ADMIN_WORD(w, cpl_cons) < FW_ENTRIES)
			push_cpl(fk.flood_seq++);
		break;
	case DEV_STOP:
		((struct snic_blk_devid *)w)->state = SNIC_STATE_FAILED;
		break;
	case DEV_SILENT:
		break;
	}
}

static void f_begin(void *ctx, enum snic_proto_wait what)
{
	(void)ctx;
	(void)what;
	fk.waits_begun++;
}

static int f_expired(void *ctx, enum snic_proto_wait what)
{
	(void)ctx;
	(void)what;
	return 0; /* only the shared half-lease bound ends a wait */
}

static const struct snic_proto_admin_ops fops = { f_now, f_pause, f_begin, f_expired };
static struct snic_proto_admin adm;
static struct snic_admin_cpl cpl;

static void admin_setup(uint32_t lease_ms, enum dev_mode mode)
{
	memset(&fk, 0, sizeof(fk));
	fk.now = 1000;
	fk.mode = mode;
	fk.flood_seq = 0x1000;
	expect_walk(0, NULL);
	memset(&adm, 0, sizeof(adm));
	adm.agent = SNIC_ADMIN_LOCK_KERNEL;
	adm.lease_ms = lease_ms;
	adm.ops = &fops;
	snic_proto_admin_setup(&adm, w, &lay);
}

static void set_device_ms(uint64_t ms)
{
	((struct snic_blk_devid *)w)->dev_time_ns = ms * 1000000u;
}

static void admin_skips_foreign_completions(void **state)
{
	(void)state;
	admin_setup(1000, DEV_ANSWER);
	/* Two answers to commands an earlier holder gave up on are waiting. */
	*FW_ADMIN_WORD(w, cmd_prod) = 2;
	*FW_ADMIN_WORD(w, cmd_cons) = 2;
	push_cpl(0);
	push_cpl(1);
	uint8_t in[3] = { 1, 2, 3 };
	assert_int_equal(snic_proto_admin_exec(&adm, SNIC_CMD_NOP, in, 3, &cpl, &err), 0);
	assert_int_equal(cpl.seq, 2);     /* its ring index */
	assert_memory_equal(cpl.payload, in, 3);
	assert_int_equal(adm.foreign, 2);
	assert_int_equal(*FW_ADMIN_WORD(w, lock), SNIC_ADMIN_LOCK_FREE);
}

static void admin_foreign_flood_refused(void **state)
{
	(void)state;
	admin_setup(1000, DEV_FLOOD);
	assert_int_equal(snic_proto_admin_exec(&adm, SNIC_CMD_NOP, NULL, 0, &cpl, &err),
			 SNIC_PROTO_E_PROTO);
	assert_non_null(strstr(err.msg, "foreign sequence numbers"));
	assert_int_equal(*FW_ADMIN_WORD(w, lock), SNIC_ADMIN_LOCK_FREE);
}

static void admin_dead_holder_taken_over(void **state)
{
	(void)state;
	admin_setup(300, DEV_ANSWER);
	set_device_ms(5000);
	uint32_t dead = SNIC_ADMIN_LOCK_TAG(SNIC_ADMIN_LOCK_HOST, 4700); /* a lease old */
	*FW_ADMIN_WORD(w, lock) = dead;
	assert_int_equal(snic_proto_admin_exec(&adm, SNIC_CMD_NOP, NULL, 0, &cpl, &err), 0);
	assert_int_equal(adm.takeovers, 1);
	assert_int_equal(adm.taken_from, dead);
	/* Not before it was seen for a twentieth of the lease. */
	assert_true(fk.now - 1000 >= 300 / 20);
	assert_int_equal(*FW_ADMIN_WORD(w, lock), SNIC_ADMIN_LOCK_FREE);
}

static void admin_live_holder_waited_out(void **state)
{
	(void)state;
	admin_setup(300, DEV_ANSWER);
	set_device_ms(5000);
	uint32_t live = SNIC_ADMIN_LOCK_TAG(SNIC_ADMIN_LOCK_HOST, 4900);
	*FW_ADMIN_WORD(w, lock) = live;
	assert_int_equal(snic_proto_admin_exec(&adm, SNIC_CMD_NOP, NULL, 0, &cpl, &err),
			 SNIC_PROTO_E_LOCKED);
	assert_non_null(strstr(err.msg, "held by a host process"));
	assert_true(fk.now - 1000 >= 150 && fk.now - 1000 < 200); /* half a lease */
	assert_int_equal(adm.takeovers, 0);
	assert_int_equal(*FW_ADMIN_WORD(w, lock), live);
	assert_int_equal(*FW_ADMIN_WORD(w, cmd_prod), 0);
}

/* A silent device: the lock goes back within half a lease of taking it,
 * for the room and completion waits together. */
static void admin_silent_device_bounded(void **state)
{
	(void)state;
	admin_setup(400, DEV_SILENT);
	assert_int_equal(snic_proto_admin_exec(&adm, SNIC_CMD_NOP, NULL, 0, &cpl, &err),
			 SNIC_PROTO_E_TIMEOUT);
	assert_non_null(strstr(err.msg, "no completion"));
	assert_true(fk.now - 1000 >= 200 && fk.now - 1000 < 250);
	assert_int_equal(*FW_ADMIN_WORD(w, cmd_prod), 1);
	assert_int_equal(*FW_ADMIN_WORD(w, lock), SNIC_ADMIN_LOCK_FREE);
	assert_int_equal(fk.waits_begun, 3); /* lock, room, completion */
}

static void admin_bad_device_answers(void **state)
{
	(void)state;
	admin_setup(1000, DEV_WRONG_OPCODE);
	assert_int_equal(snic_proto_admin_exec(&adm, SNIC_CMD_RESET, NULL, 0, &cpl, &err),
			 SNIC_PROTO_E_PROTO);
	assert_non_null(strstr(err.msg, "echoes opcode"));
	admin_setup(1000, DEV_STOP);
	assert_int_equal(snic_proto_admin_exec(&adm, SNIC_CMD_NOP, NULL, 0, &cpl, &err),
			 SNIC_PROTO_E_STATE);
	assert_non_null(strstr(err.msg, "FAILED"));
	/* Indices further apart than the ring: corrupt, nothing posted. */
	((struct snic_blk_devid *)w)->state = SNIC_STATE_RUNNING;
	admin_setup(1000, DEV_ANSWER);
	uint32_t prod = *FW_ADMIN_WORD(w, cmd_prod);
	*FW_ADMIN_WORD(w, cmd_cons) = prod + 0x80000000u;
	assert_int_equal(snic_proto_admin_exec(&adm, SNIC_CMD_NOP, NULL, 0, &cpl, &err),
			 SNIC_PROTO_E_PROTO);
	assert_non_null(strstr(err.msg, "corrupt"));
	assert_int_equal(*FW_ADMIN_WORD(w, cmd_prod), prod);
	uint8_t big[SNIC_ADMIN_PAYLOAD + 1] = { 0 };
	assert_int_equal(snic_proto_admin_exec(&adm, SNIC_CMD_NOP, big, sizeof(big), &cpl, &err),
			 SNIC_PROTO_E_ARG);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(valid_window), T(zero_ring_queue_block), T(tx_stride_below_control_area),
		T(last_ring_past_window), T(overlapping_blocks), T(oversized_block),
		T(chain_loop), T(chain_too_long), T(unknown_blocks_skipped),
		T(required_block_missing), T(duplicate_and_version_zero), T(devid_checks),
		T(dma_and_admin_contents), T(vstats_block),
		T(caps_valid_and_l2_optional), T(caps_rss_optional), T(caps_truncated_everywhere),
		T(caps_wrong_versions), T(caps_order_and_counts), T(caps_must_match_queue_blocks),
		T(admin_skips_foreign_completions), T(admin_foreign_flood_refused),
		T(admin_dead_holder_taken_over), T(admin_live_holder_waited_out),
		T(admin_silent_device_bounded), T(admin_bad_device_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
