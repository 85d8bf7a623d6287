// SPDX-License-Identifier: MIT
/*
 * Fuzz target: firmware image validation (include/snic/fwimage.h) and
 * the boot loader over a flash of fuzzer-chosen contents (sim/flash.c:
 * boot-control record, two slots).
 *
 * Input: ctl (1 byte), len A (LE16), the 36-byte boot-control record,
 * image A (len A bytes), image B (the rest). ctl bits 0/1 recompute the
 * CRCs of A/B and bit 2 the record's, so the fuzzer gets past them to the
 * layout checks; bit 3 makes the first start() fail (a hanging trial).
 * Checked besides memory safety: an image that validates is consistent
 * (sizes add up, entry in its text); the loader starts only slots that
 * validate and fit the core, reports the slot it started, and always
 * leaves a valid boot-control record without a pending trial.
 */
#include <string.h>
#include "flash.h"
#include <snic/fwimage.h>
#include "fuzz_util.h"

static uint8_t flash[SNIC_FLASH_TOTAL];

struct boot_log {
	struct sim_flash *f;
	int fail_first, calls;
	uint32_t started;
};

static int on_start(void *arg, uint32_t slot, const struct snic_fwimg_hdr *h)
{
	struct boot_log *b = arg;
	struct snic_fwimg_hdr again;

	b->calls++;
	if (slot != SNIC_BOOT_NONE) {
		FZ_CHECK(h && sim_flash_check_slot(b->f, slot, &again) == FWIMG_OK);
		FZ_CHECK(snic_image_fits_core(h));
	}
	if (b->fail_first && b->calls == 1 && slot != SNIC_BOOT_NONE)
		return -1;
	b->started = slot;
	return 0;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Recompute an image's payload and header CRCs in place (in the slot). */
static void fix_crcs(uint8_t *slot)
{
	uint32_t size = snic_fwimg_le32(slot + 16);
	if (size <= SNIC_FWIMG_MAX_PAYLOAD)
		put_le32(slot + 20, snic_crc32(0, slot + SNIC_FWIMG_HDR_SIZE, size));
	put_le32(slot + 92, snic_crc32(0, slot, 92));
}

static void check_image(const uint8_t *data, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);   /* exactly sized: ASan sees overreads */
	struct snic_fwimg_hdr h;

	memcpy(p, data, len);
	if (snic_fwimg_check(p, len, SNIC_ABI_MAJOR, &h) == FWIMG_OK) {
		FZ_CHECK(h.size == len - SNIC_FWIMG_HDR_SIZE);
		FZ_CHECK(h.text_size + h.data_size == h.size && h.text_size > 0);
		FZ_CHECK(h.entry >= h.load_addr && h.entry - h.load_addr < h.text_size);
	}
	free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3 + SNIC_BOOTCTL_BYTES)
		return 0;
	uint8_t ctl = data[0];
	size_t la = (size_t)(data[1] | data[2] << 8);
	const uint8_t *rec = data + 3, *a = rec + SNIC_BOOTCTL_BYTES;
	size_t rest = size - 3 - SNIC_BOOTCTL_BYTES;
	if (la > rest)
		la = rest;
	const uint8_t *b = a + la;
	size_t lb = rest - la;

	check_image(a, la);
	check_image(b, lb);

	memset(flash, 0xff, sizeof(flash));   /* erased */
	memcpy(flash, rec, SNIC_BOOTCTL_BYTES);
	memcpy(flash + SNIC_FLASH_SLOT_OFF(0), a, la);
	memcpy(flash + SNIC_FLASH_SLOT_OFF(1), b, lb);
	if (ctl & 1)
		fix_crcs(flash + SNIC_FLASH_SLOT_OFF(0));
	if (ctl & 2)
		fix_crcs(flash + SNIC_FLASH_SLOT_OFF(1));
	if (ctl & 4)
		put_le32(flash + 32, snic_crc32(0, flash, 32));

	struct sim_flash f;
	sim_flash_init_mem(&f, flash);
	struct boot_log log = { &f, ctl & 8, 0, 0xdeadbeefu };
	uint32_t booted = sim_flash_boot(&f, on_start, &log);
	FZ_CHECK(booted == log.started);
	FZ_CHECK(booted == SNIC_BOOT_NONE || booted < SNIC_FLASH_NSLOTS);
	struct snic_bootctl after;
	FZ_CHECK(snic_bootctl_decode(flash, &after) == 0);
	FZ_CHECK(after.trial == SNIC_BOOT_NONE && after.running == booted);
	return 0;
}
