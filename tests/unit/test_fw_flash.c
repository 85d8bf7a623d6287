/* SPDX-License-Identifier: MIT */
/*
 * Firmware update over the admin queue (firmware/core/flash_cmd.c) against
 * a recording fake flash: a good image lands in the spare slot and is
 * marked for a trial boot; every bad sequence or image is refused, ends
 * the session and never touches the running slot.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "core/flash_cmd.h"
#include "test_fw_util.h"

#define SLOT (256u * 1024u)

static struct {
	uint8_t  mem[2][SLOT];
	struct fw_flash_status st;
	unsigned erases[2], trials;
	int      fail_write;
} ff;

static int ff_erase(void *ctx, uint32_t slot)
{
	(void)ctx;
	assert_true(slot < 2);
	assert_true(slot != ff.st.running); /* never the slot we run from */
	memset(ff.mem[slot], 0xff, SLOT);
	ff.erases[slot]++;
	if (ff.st.trial == slot)
		ff.st.trial = SNIC_FLASH_SLOT_NONE;
	return 0;
}

static int ff_write(void *ctx, uint32_t slot, uint32_t off, const uint8_t *src, uint32_t len)
{
	(void)ctx;
	assert_true(slot < 2 && off <= SLOT && len <= SLOT - off);
	if (ff.fail_write)
		return -1;
	for (uint32_t i = 0; i < len; i++)
		ff.mem[slot][off + i] &= src[i];
	return 0;
}

static int ff_read(void *ctx, uint32_t slot, uint32_t off, uint8_t *dst, uint32_t len)
{
	(void)ctx;
	if (slot >= 2 || off > SLOT || len > SLOT - off)
		return -1;
	memcpy(dst, ff.mem[slot] + off, len);
	return 0;
}

static int ff_set_trial(void *ctx, uint32_t slot)
{
	(void)ctx;
	ff.st.trial = slot;
	ff.trials++;
	return 0;
}

static void ff_status(void *ctx, struct fw_flash_status *st)
{
	(void)ctx;
	*st = ff.st;
}

static const struct fw_flash_ops ff_ops = {
	.ctx = NULL, .slot_size = SLOT, .erase = ff_erase, .write = ff_write,
	.read = ff_read, .set_trial = ff_set_trial, .status = ff_status,
};

static int teardown(void **state)
{
	(void)state;
	fw_flash_attach(tfw, NULL);
	fake_teardown();
	return 0;
}

/* Boot with an erased fake flash running from `running`. */
static void boot_flash(uint32_t running, uint32_t active)
{
	boot("large");
	memset(&ff, 0, sizeof(ff));
	memset(ff.mem, 0xff, sizeof(ff.mem));
	ff.st.running = running;
	ff.st.active = active;
	ff.st.trial = SNIC_FLASH_SLOT_NONE;
	ff.st.event_slot = SNIC_FLASH_SLOT_NONE;
	fw_flash_attach(tfw, &ff_ops);
}

/* ---- images, built by hand (the format is in docs/firmware-image.md) ---- */

static uint32_t ref_crc(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static void le32(uint8_t *p, uint32_t v)
{
	for (int k = 0; k < 4; k++)
		p[k] = (uint8_t)(v >> (8 * k));
}

static uint8_t img[96 + 4000];
static uint32_t img_len;

static void make_image(uint32_t payload, uint32_t version, uint16_t abi_major)
{
	memset(img, 0, sizeof(img));
	for (uint32_t i = 0; i < payload; i++)
		img[96 + i] = (uint8_t)(i * 13 + 5);
	le32(img + 0, 0x57464e53u);
	le32(img + 4, 1u | 96u << 16);
	le32(img + 8, abi_major | (uint32_t)SNIC_ABI_MINOR << 16);
	le32(img + 12, version);
	le32(img + 16, payload);
	le32(img + 20, ref_crc(img + 96, payload));
	le32(img + 24, 0x80000000u);
	le32(img + 28, 0x80000000u);
	le32(img + 32, payload);
	memcpy(img + 48, "fw-test", 7);
	le32(img + 92, ref_crc(img, 92));
	img_len = 96 + payload;
}

static int begin(uint32_t size, uint32_t crc, struct snic_flash_slot *out)
{
	struct snic_flash_begin b = { .size = size, .crc32 = crc };
	struct snic_admin_cpl c;
	int st = admin(SNIC_CMD_FLASH_BEGIN, &b, sizeof(b), &c);
	if (st == SNIC_OK && out) {
		assert_int_equal(c.len, sizeof(*out));
		memcpy(out, c.payload, sizeof(*out));
	}
	return st;
}

static int write_chunk(uint32_t off, const uint8_t *data, uint32_t len)
{
	struct snic_flash_write w;
	memset(&w, 0, sizeof(w));
	w.offset = off;
	w.len = len;
	memcpy(w.data, data, len);
	return admin(SNIC_CMD_FLASH_WRITE, &w, sizeof(w), NULL);
}

static int write_all(const uint8_t *p, uint32_t len)
{
	for (uint32_t off = 0; off < len; off += SNIC_FLASH_CHUNK) {
		uint32_t n = len - off < SNIC_FLASH_CHUNK ? len - off : SNIC_FLASH_CHUNK;
		int st = write_chunk(off, p + off, n);
		if (st != SNIC_OK)
			return st;
	}
	return SNIC_OK;
}

static int commit(uint32_t size, uint32_t crc, uint32_t *slot)
{
	struct snic_flash_commit cm = { .size = size, .crc32 = crc };
	struct snic_admin_cpl c;
	int st = admin(SNIC_CMD_FLASH_COMMIT, &cm, sizeof(cm), &c);
	if (st == SNIC_OK && slot)
		*slot = ((const struct snic_flash_slot *)(const void *)c.payload)->slot;
	return st;
}

static void query(struct snic_flash_info *info)
{
	struct snic_admin_cpl c;
	assert_int_equal(admin(SNIC_CMD_FLASH_QUERY, NULL, 0, &c), SNIC_OK);
	assert_int_equal(c.len, sizeof(*info));
	memcpy(info, c.payload, sizeof(*info));
}

/* ---- tests ---- */

static void test_no_flash_unsupported(void **state)
{
	(void)state;
	boot("large");
	fw_flash_attach(tfw, NULL);
	assert_int_equal(admin(SNIC_CMD_FLASH_QUERY, NULL, 0, NULL), SNIC_E_UNSUPP);
	assert_int_equal(admin(SNIC_CMD_FW_REBOOT, NULL, 0, NULL), SNIC_E_UNSUPP);
	assert_false(fw_flash_reboot_due(tfw));
	/* Length is checked before support: a malformed command says so. */
	assert_int_equal(admin(SNIC_CMD_FLASH_QUERY, NULL, 4, NULL), SNIC_E_LEN);
}

static void test_query_empty(void **state)
{
	(void)state;
	boot_flash(SNIC_FLASH_SLOT_NONE, SNIC_FLASH_SLOT_NONE);
	struct snic_flash_info info;
	query(&info);
	assert_int_equal(info.n_slots, 2);
	assert_int_equal(info.slot_size, SLOT);
	assert_int_equal(info.running, SNIC_FLASH_SLOT_NONE);
	assert_int_equal(info.trial, SNIC_FLASH_SLOT_NONE);
	assert_int_equal(info.slot[0].state, SNIC_SLOT_EMPTY);
	assert_int_equal(info.slot[1].state, SNIC_SLOT_EMPTY);
}

static void test_update_goes_to_spare_slot(void **state)
{
	(void)state;
	boot_flash(1, 1); /* running from slot 1: the update must go to 0 */
	make_image(1000, 0x00020001, SNIC_ABI_MAJOR);
	uint32_t crc = ref_crc(img, img_len), slot = 99;
	struct snic_flash_slot s;
	assert_int_equal(begin(img_len, crc, &s), SNIC_OK);
	assert_int_equal(s.slot, 0);
	assert_int_equal(s.chunk_max, SNIC_FLASH_CHUNK);
	assert_int_equal(ff.erases[0], 1);
	assert_int_equal(write_all(img, img_len), SNIC_OK);
	assert_int_equal(commit(img_len, crc, &slot), SNIC_OK);
	assert_int_equal(slot, 0);
	assert_int_equal(ff.st.trial, 0);
	assert_memory_equal(ff.mem[0], img, img_len);
	assert_int_equal(ff.erases[1], 0);

	struct snic_flash_info info;
	query(&info);
	assert_int_equal(info.trial, 0);
	assert_int_equal(info.slot[0].state, SNIC_SLOT_VALID);
	assert_int_equal(info.slot[0].fw_version, 0x00020001);
	assert_int_equal(info.slot[0].size, img_len);
	assert_string_equal(info.slot[0].build, "fw-test");

	/* Running from 0, the next update goes to 1. */
	ff.st.running = 0;
	assert_int_equal(begin(img_len, crc, &s), SNIC_OK);
	assert_int_equal(s.slot, 1);
}

static void test_out_of_order_and_overrun(void **state)
{
	(void)state;
	boot_flash(0, 0);
	make_image(1000, 1, SNIC_ABI_MAJOR);
	uint32_t crc = ref_crc(img, img_len);
	assert_int_equal(begin(img_len, crc, NULL), SNIC_OK);
	assert_int_equal(write_chunk(0, img, 224), SNIC_OK);
	/* A skipped chunk: refused, and the session is over. */
	assert_int_equal(write_chunk(448, img + 448, 224), SNIC_E_RANGE);
	assert_int_equal(write_chunk(224, img + 224, 224), SNIC_E_NOENT);
	assert_int_equal(commit(img_len, crc, NULL), SNIC_E_NOENT);
	assert_int_equal(ff.trials, 0);

	/* Past the announced size. */
	assert_int_equal(begin(100, crc, NULL), SNIC_OK);
	assert_int_equal(write_chunk(0, img, 101), SNIC_E_RANGE);

	/* Bytes past len must be zero; len 0 and len > chunk are refused. */
	assert_int_equal(begin(img_len, crc, NULL), SNIC_OK);
	struct snic_flash_write w;
	memset(&w, 0, sizeof(w));
	w.len = 10;
	w.data[10] = 1;
	assert_int_equal(admin(SNIC_CMD_FLASH_WRITE, &w, sizeof(w), NULL), SNIC_E_INVAL);
	assert_int_equal(begin(img_len, crc, NULL), SNIC_OK);
	assert_int_equal(write_chunk(0, img, 0), SNIC_E_INVAL);
	assert_int_equal(begin(img_len, crc, NULL), SNIC_OK);
	w.data[10] = 0;
	w.len = SNIC_FLASH_CHUNK + 1;
	assert_int_equal(admin(SNIC_CMD_FLASH_WRITE, &w, sizeof(w), NULL), SNIC_E_INVAL);
	/* Wrong payload length for the opcode. */
	assert_int_equal(admin(SNIC_CMD_FLASH_WRITE, &w, 16, NULL), SNIC_E_LEN);
}

static void test_begin_checks(void **state)
{
	(void)state;
	boot_flash(SNIC_FLASH_SLOT_NONE, SNIC_FLASH_SLOT_NONE);
	assert_int_equal(begin(SLOT + 1, 0, NULL), SNIC_E_RANGE);
	assert_int_equal(begin(95, 0, NULL), SNIC_E_RANGE);
	struct snic_flash_begin b = { .size = 1000, .crc32 = 0, .rsvd = { 0, 1 } };
	assert_int_equal(admin(SNIC_CMD_FLASH_BEGIN, &b, sizeof(b), NULL), SNIC_E_INVAL);
	assert_int_equal(ff.erases[0] + ff.erases[1], 0);
	/* Nothing running, nothing active: slot 0. */
	struct snic_flash_slot s;
	assert_int_equal(begin(1000, 0, &s), SNIC_OK);
	assert_int_equal(s.slot, 0);
	/* Write without BEGIN after a refused BEGIN. */
	assert_int_equal(begin(95, 0, NULL), SNIC_E_RANGE);
	assert_int_equal(write_chunk(0, img, 10), SNIC_E_NOENT);
}

/* Commit re-reads the slot: every kind of bad image is refused and erased. */
static void expect_commit_refused(const uint8_t *data, uint32_t len, uint32_t crc, int want)
{
	assert_int_equal(begin(len, crc, NULL), SNIC_OK);
	unsigned erases = ff.erases[0];
	assert_int_equal(write_all(data, len), SNIC_OK);
	assert_int_equal(commit(len, crc, NULL), want);
	assert_int_equal(ff.st.trial, SNIC_FLASH_SLOT_NONE);
	if (want == SNIC_E_IMAGE) {
		assert_int_equal(ff.erases[0], erases + 1); /* nothing bootable left */
		assert_int_equal(ff.mem[0][0], 0xff);
	}
}

static void test_commit_refuses_bad_images(void **state)
{
	(void)state;
	boot_flash(1, 1);
	/* Announced CRC does not match the bytes. */
	make_image(1000, 1, SNIC_ABI_MAJOR);
	expect_commit_refused(img, img_len, ref_crc(img, img_len) ^ 1, SNIC_E_IMAGE);
	/* Payload damaged (consistent file CRC, wrong image CRC). */
	make_image(1000, 1, SNIC_ABI_MAJOR);
	img[500] ^= 0x10;
	expect_commit_refused(img, img_len, ref_crc(img, img_len), SNIC_E_IMAGE);
	/* Another ABI. */
	make_image(1000, 1, SNIC_ABI_MAJOR + 1);
	expect_commit_refused(img, img_len, ref_crc(img, img_len), SNIC_E_IMAGE);
	/* Not an image at all. */
	memset(img, 0x5a, 400);
	expect_commit_refused(img, 400, ref_crc(img, 400), SNIC_E_IMAGE);
	/* Truncated: the header wants more than was sent. */
	make_image(1000, 1, SNIC_ABI_MAJOR);
	expect_commit_refused(img, img_len - 10, ref_crc(img, img_len - 10), SNIC_E_IMAGE);
	/* Trailing bytes after the image. */
	make_image(1000, 1, SNIC_ABI_MAJOR);
	expect_commit_refused(img, img_len + 4, ref_crc(img, img_len + 4), SNIC_E_IMAGE);
	/* A bit flash dropped while programming (read-back differs). */
	make_image(1000, 1, SNIC_ABI_MAJOR);
	uint32_t crc = ref_crc(img, img_len);
	assert_int_equal(begin(img_len, crc, NULL), SNIC_OK);
	assert_int_equal(write_all(img, img_len), SNIC_OK);
	ff.mem[0][700] ^= 0x80;
	assert_int_equal(commit(img_len, crc, NULL), SNIC_E_IMAGE);
	/* Commit before everything arrived; commit that changes the size. */
	assert_int_equal(begin(img_len, crc, NULL), SNIC_OK);
	assert_int_equal(write_chunk(0, img, 224), SNIC_OK);
	assert_int_equal(commit(img_len, crc, NULL), SNIC_E_RANGE);
	assert_int_equal(begin(img_len, crc, NULL), SNIC_OK);
	assert_int_equal(write_all(img, img_len), SNIC_OK);
	assert_int_equal(commit(img_len - 1, crc, NULL), SNIC_E_INVAL);
	assert_int_equal(ff.trials, 0);
	assert_int_equal(ff.erases[1], 0); /* the running slot was never touched */
}

static void test_flash_write_error(void **state)
{
	(void)state;
	boot_flash(0, 0);
	make_image(500, 1, SNIC_ABI_MAJOR);
	assert_int_equal(begin(img_len, ref_crc(img, img_len), NULL), SNIC_OK);
	ff.fail_write = 1;
	assert_int_equal(write_chunk(0, img, 224), SNIC_E_BUSY);
	ff.fail_write = 0;
	assert_int_equal(write_chunk(0, img, 224), SNIC_E_NOENT);
}

static void test_reboot_waits_for_host(void **state)
{
	(void)state;
	boot_flash(0, 0);
	assert_false(fw_flash_reboot_due(tfw));
	/* Submitted and answered, but the host has not taken the answer. */
	admin_submit(SNIC_CMD_FW_REBOOT, 5, NULL, 0);
	fw_poll(tfw);
	const struct snic_blk_admin *a = admin_blk();
	assert_int_equal(a->cpl_prod, a->cpl_cons + 1);
	assert_false(fw_flash_reboot_due(tfw));
	/* The host takes it: due at once. */
	admin_blk()->cpl_cons++;
	assert_true(fw_flash_reboot_due(tfw));
	/* A re-attach (what a target does after rebooting) forgets it. */
	fw_flash_attach(tfw, &ff_ops);
	assert_false(fw_flash_reboot_due(tfw));
	/* A host that never reads the answer: due after the grace time. */
	admin_submit(SNIC_CMD_FW_REBOOT, 6, NULL, 0);
	fw_poll(tfw);
	assert_false(fw_flash_reboot_due(tfw));
	fake->now_ns += FW_REBOOT_GRACE_NS;
	assert_true(fw_flash_reboot_due(tfw));
}

static void test_booted_image_in_fw_block(void **state)
{
	(void)state;
	boot_flash(1, 1);
	struct snic_fwimg_hdr h;
	memset(&h, 0, sizeof(h));
	h.fw_version = 0x00030201;
	strcpy(h.build, "a-very-long-build-identifier-string");
	fw_flash_booted(tfw, 1, &h);
	const struct snic_blk_fw *f = win_at(find_block(SNIC_BLK_FW));
	assert_int_equal(f->slot, 1);
	assert_int_equal(f->version, 0x00030201);
	assert_int_equal(f->build[23], 0); /* cut short, still terminated */
	assert_memory_equal(f->build, "a-very-long-build-ident", 23);
	fw_flash_booted(tfw, SNIC_FLASH_SLOT_NONE, NULL);
	assert_int_equal(f->slot, SNIC_FLASH_SLOT_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_no_flash_unsupported, teardown),
		cmocka_unit_test_teardown(test_query_empty, teardown),
		cmocka_unit_test_teardown(test_update_goes_to_spare_slot, teardown),
		cmocka_unit_test_teardown(test_out_of_order_and_overrun, teardown),
		cmocka_unit_test_teardown(test_begin_checks, teardown),
		cmocka_unit_test_teardown(test_commit_refuses_bad_images, teardown),
		cmocka_unit_test_teardown(test_flash_write_error, teardown),
		cmocka_unit_test_teardown(test_reboot_waits_for_host, teardown),
		cmocka_unit_test_teardown(test_booted_image_in_fw_block, teardown),
	};
	return cmocka_run_group_tests_name("fw_flash", tests, NULL, NULL);
}
