/* SPDX-License-Identifier: MIT */
/*
 * The simulated NIC's flash and boot loader (sim/flash.c): a trial image
 * boots once and becomes the default only if it starts; a damaged one, one
 * that does not fit the core, or one whose start fails rolls back to the
 * previous slot. The flash file persists and is checked on open.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "flash.h"

static uint8_t *mem;
static struct sim_flash f;

/* start() calls seen, and which slots refuse to come up. */
static uint32_t started[8];
static unsigned n_started;
static int refuse[3]; /* index 2: the built-in firmware */

static int fake_start(void *arg, uint32_t slot, const struct snic_fwimg_hdr *h)
{
	(void)arg;
	assert_true(n_started < 8);
	started[n_started++] = slot;
	if (slot == SNIC_BOOT_NONE) {
		assert_null(h);
		return refuse[2] ? -1 : 0;
	}
	assert_non_null(h);
	return refuse[slot] ? -1 : 0;
}

static int setup(void **state)
{
	(void)state;
	mem = malloc(SNIC_FLASH_TOTAL);
	assert_non_null(mem);
	memset(mem, 0xff, SNIC_FLASH_TOTAL);
	sim_flash_init_mem(&f, mem);
	n_started = 0;
	memset(refuse, 0, sizeof(refuse));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(mem);
	return 0;
}

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

/* Put an image of `version` with `bss` bytes of bss into a slot, the way
 * the firmware's update commands would have (docs/firmware-image.md). */
static void put_image(uint32_t slot, uint32_t version, uint32_t bss)
{
	uint8_t *p = mem + 4096 + slot * (256u * 1024u);
	const uint32_t payload = 512;
	memset(p, 0xff, 256u * 1024u);
	memset(p, 0, 96);
	for (uint32_t i = 0; i < payload; i++)
		p[96 + i] = (uint8_t)(i + version);
	le32(p + 0, 0x57464e53u);
	le32(p + 4, 1u | 96u << 16);
	le32(p + 8, SNIC_ABI_MAJOR | (uint32_t)SNIC_ABI_MINOR << 16);
	le32(p + 12, version);
	le32(p + 16, payload);
	le32(p + 20, ref_crc(p + 96, payload));
	le32(p + 24, 0x80000000u);
	le32(p + 28, 0x80000000u);
	le32(p + 32, payload);
	le32(p + 40, bss);
	le32(p + 92, ref_crc(p, 92));
}

/* The boot record as the next boot loader would read it from flash. */
static struct snic_bootctl record(void)
{
	struct snic_bootctl b;
	assert_int_equal(snic_bootctl_decode(mem, &b), 0);
	return b;
}

static void set_trial(uint32_t slot)
{
	assert_int_equal(f.ops.set_trial(f.ops.ctx, slot), 0);
}

static void test_empty_flash_boots_builtin(void **state)
{
	(void)state;
	assert_int_equal(sim_flash_boot(&f, fake_start, NULL), SNIC_BOOT_NONE);
	assert_int_equal(n_started, 1);
	assert_int_equal(started[0], SNIC_BOOT_NONE);
	struct snic_bootctl b = record();
	assert_int_equal(b.boot_count, 1);
	assert_int_equal(b.running, SNIC_BOOT_NONE);
	assert_int_equal(b.active, SNIC_BOOT_NONE);
}

static void test_trial_becomes_active(void **state)
{
	(void)state;
	put_image(0, 0x000100, 1024);
	set_trial(0);
	assert_int_equal(sim_flash_boot(&f, fake_start, NULL), 0);
	struct snic_bootctl b = record();
	assert_int_equal(b.active, 0);
	assert_int_equal(b.trial, SNIC_BOOT_NONE);
	assert_int_equal(b.running, 0);
	assert_int_equal(b.last_event, SNIC_FLASH_EV_UPDATED);
	assert_int_equal(f.booted_hdr.fw_version, 0x000100);
	/* The next boot, with no trial, stays on 0 and reports no event. */
	assert_int_equal(sim_flash_boot(&f, fake_start, NULL), 0);
	assert_int_equal(record().last_event, SNIC_FLASH_EV_NONE);
	assert_int_equal(record().boot_count, 2);
}

static void boot_v1_on_slot0(void)
{
	put_image(0, 0x000100, 1024);
	set_trial(0);
	assert_int_equal(sim_flash_boot(&f, fake_start, NULL), 0);
	n_started = 0;
}

static void expect_rollback_to_0(void)
{
	assert_int_equal(sim_flash_boot(&f, fake_start, NULL), 0);
	struct snic_bootctl b = record();
	assert_int_equal(b.active, 0);
	assert_int_equal(b.running, 0);
	assert_int_equal(b.trial, SNIC_BOOT_NONE);
	assert_int_equal(b.last_event, SNIC_FLASH_EV_ROLLBACK);
	assert_int_equal(b.event_slot, 1);
	assert_int_equal(f.booted, 0);
	assert_int_equal(f.booted_hdr.fw_version, 0x000100);
}

static void test_corrupt_trial_rolls_back(void **state)
{
	(void)state;
	boot_v1_on_slot0();
	put_image(1, 0x000200, 1024);
	mem[4096 + 256 * 1024 + 96 + 100] ^= 4; /* payload bit flip after commit */
	set_trial(1);
	expect_rollback_to_0();
	/* The damaged image was never started. */
	assert_int_equal(n_started, 1);
	assert_int_equal(started[0], 0);
}

static void test_failed_start_rolls_back(void **state)
{
	(void)state;
	boot_v1_on_slot0();
	put_image(1, 0x000200, 1024);
	set_trial(1);
	refuse[1] = 1; /* the new firmware does not come up */
	expect_rollback_to_0();
	assert_int_equal(n_started, 2);
	assert_int_equal(started[0], 1);
	assert_int_equal(started[1], 0);
	/* It is not tried again on the next boot. */
	n_started = 0;
	assert_int_equal(sim_flash_boot(&f, fake_start, NULL), 0);
	assert_int_equal(n_started, 1);
	assert_int_equal(record().last_event, SNIC_FLASH_EV_NONE);
}

static void test_too_big_for_core_rolls_back(void **state)
{
	(void)state;
	boot_v1_on_slot0();
	put_image(1, 0x000200, 600 * 1024); /* bss larger than the 512 KiB RAM */
	set_trial(1);
	expect_rollback_to_0();
	struct snic_fwimg_hdr h;
	assert_int_equal(sim_flash_check_slot(&f, 1, &h), FWIMG_E_LAYOUT);
}

static void test_damaged_default_uses_other_slot(void **state)
{
	(void)state;
	boot_v1_on_slot0();
	put_image(1, 0x000200, 0);
	mem[4096 + 96] ^= 1; /* the default slot's payload rots */
	assert_int_equal(sim_flash_boot(&f, fake_start, NULL), 1);
	assert_int_equal(record().active, 1);
	/* Both bad: the built-in firmware. */
	mem[4096 + 256 * 1024 + 96] ^= 1;
	n_started = 0;
	assert_int_equal(sim_flash_boot(&f, fake_start, NULL), SNIC_BOOT_NONE);
	assert_int_equal(started[n_started - 1], SNIC_BOOT_NONE);
}

static void test_torn_record_and_erase(void **state)
{
	(void)state;
	boot_v1_on_slot0();
	set_trial(1);
	/* Erasing the trial's slot cancels the trial. */
	assert_int_equal(f.ops.erase(f.ops.ctx, 1), 0);
	assert_int_equal(record().trial, SNIC_BOOT_NONE);
	assert_int_equal(mem[4096 + 256 * 1024], 0xff);
	/* A torn record reads as a fresh flash; slot 0 is still found. */
	mem[5] ^= 0xff;
	assert_int_equal(sim_flash_boot(&f, fake_start, NULL), 0);
	assert_int_equal(record().boot_count, 1);
}

static void test_nor_programming(void **state)
{
	(void)state;
	const uint8_t a[4] = { 0xf0, 0x0f, 0xff, 0x00 }, b[4] = { 0x3c, 0xff, 0x55, 0xff };
	uint8_t got[4];
	assert_int_equal(f.ops.write(f.ops.ctx, 0, 10, a, 4), 0);
	assert_int_equal(f.ops.write(f.ops.ctx, 0, 10, b, 4), 0);
	assert_int_equal(f.ops.read(f.ops.ctx, 0, 10, got, 4), 0);
	const uint8_t want[4] = { 0x30, 0x0f, 0x55, 0x00 }; /* bits only clear */
	assert_memory_equal(got, want, 4);
	assert_int_equal(f.ops.write(f.ops.ctx, 2, 0, a, 4), -1);
	assert_int_equal(f.ops.write(f.ops.ctx, 0, 256 * 1024 - 2, a, 4), -1);
	assert_int_equal(f.ops.read(f.ops.ctx, 1, 256 * 1024, got, 1), -1);
}

static void test_file_backed(void **state)
{
	(void)state;
	char path[] = "/tmp/snic-flash-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd); /* empty file: a fresh, erased flash */
	struct sim_flash ff;
	assert_int_equal(sim_flash_open(&ff, path), 0);
	assert_int_equal(ff.mem[0], 0xff);
	assert_int_equal(ff.mem[SNIC_FLASH_TOTAL - 1], 0xff);
	assert_int_equal(ff.ops.set_trial(ff.ops.ctx, 1), 0);
	sim_flash_close(&ff);

	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	assert_int_equal(ftell(fp), SNIC_FLASH_TOTAL);
	fclose(fp);
	/* Reopened: the record survived. */
	assert_int_equal(sim_flash_open(&ff, path), 0);
	assert_int_equal(ff.ctl.trial, 1);
	sim_flash_close(&ff);
	/* A file of the wrong size is not a snic flash. */
	assert_int_equal(truncate(path, 1000), 0);
	assert_int_equal(sim_flash_open(&ff, path), -1);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_flash_boots_builtin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trial_becomes_active, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_trial_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_start_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_big_for_core_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_default_uses_other_slot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_record_and_erase, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nor_programming, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_backed, setup, teardown),
	};
	return cmocka_run_group_tests_name("sim_flash", tests, NULL, NULL);
}
