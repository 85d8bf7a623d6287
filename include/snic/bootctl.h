/* SPDX-License-Identifier: MIT */
/*
 * The NIC flash: a boot control sector and two image slots. The boot
 * loader reads the control record to choose a slot and writes it back
 * with what it did; the firmware's update commands write it to request a
 * trial boot. See docs/firmware-image.md.
 *
 *   0x00000  boot control record (one 4 KiB sector)
 *   0x01000  slot 0 (SNIC_FWIMG_SLOT_SIZE bytes)
 *   0x41000  slot 1
 *
 * Header-only and freestanding, like fwimage.h.
 */
#ifndef SNIC_BOOTCTL_H
#define SNIC_BOOTCTL_H

#include <stdint.h>
#include "fwimage.h"

#define SNIC_FLASH_SECTOR     4096u
#define SNIC_FLASH_SLOT0_OFF  SNIC_FLASH_SECTOR
#define SNIC_FLASH_NSLOTS     2u
#define SNIC_FLASH_TOTAL      (SNIC_FLASH_SECTOR + SNIC_FLASH_NSLOTS * SNIC_FWIMG_SLOT_SIZE)
#define SNIC_FLASH_SLOT_OFF(s) (SNIC_FLASH_SLOT0_OFF + (uint32_t)(s) * SNIC_FWIMG_SLOT_SIZE)

#define SNIC_BOOTCTL_MAGIC    0x43424e53u /* "SNBC" */
#define SNIC_BOOTCTL_VERSION  1u
#define SNIC_BOOTCTL_WORDS    9u
#define SNIC_BOOTCTL_BYTES    (SNIC_BOOTCTL_WORDS * 4u)
#define SNIC_BOOT_NONE        0xffffffffu

/* The embedded core's RAM (firmware/hal/riscv/snic-fw.ld): the boot loader
 * refuses an image whose payload, bss and minimum stack do not fit. */
#define SNIC_CORE_RAM_BASE    0x80000000u
#define SNIC_CORE_RAM_SIZE    (512u * 1024u)
#define SNIC_CORE_STACK_MIN   (12u * 1024u) /* __stack_size in snic-fw.ld */

/* 1 when the image described by h can run in the core's RAM. */
static inline int snic_image_fits_core(const struct snic_fwimg_hdr *h)
{
	uint64_t end = (uint64_t)h->load_addr + h->size + h->bss_size + SNIC_CORE_STACK_MIN;
	return h->load_addr >= SNIC_CORE_RAM_BASE &&
	       end <= (uint64_t)SNIC_CORE_RAM_BASE + SNIC_CORE_RAM_SIZE;
}

struct snic_bootctl {
	snic_le32 magic;       /* SNIC_BOOTCTL_MAGIC */
	snic_le32 version;     /* SNIC_BOOTCTL_VERSION */
	snic_le32 active;      /* slot booted by default, or SNIC_BOOT_NONE */
	snic_le32 trial;       /* slot to try once on the next boot, or NONE */
	snic_le32 running;     /* slot the boot loader started last, or NONE */
	snic_le32 boot_count;  /* boots since the flash was formatted */
	snic_le32 last_event;  /* SNIC_FLASH_EV_* (admin.h) of the last boot */
	snic_le32 event_slot;  /* the slot that event concerned */
	snic_le32 crc;         /* CRC-32 of the 8 words before, little-endian */
};

static inline void snic_bootctl_encode(const struct snic_bootctl *b, uint8_t out[SNIC_BOOTCTL_BYTES])
{
	const uint32_t w[SNIC_BOOTCTL_WORDS - 1] = {
		b->magic, b->version, b->active, b->trial, b->running,
		b->boot_count, b->last_event, b->event_slot,
	};
	for (unsigned i = 0; i < SNIC_BOOTCTL_WORDS - 1; i++)
		for (unsigned k = 0; k < 4; k++)
			out[i * 4 + k] = (uint8_t)(w[i] >> (8 * k));
	uint32_t crc = snic_crc32(0, out, SNIC_BOOTCTL_BYTES - 4);
	for (unsigned k = 0; k < 4; k++)
		out[SNIC_BOOTCTL_BYTES - 4 + k] = (uint8_t)(crc >> (8 * k));
}

/* 0 and *b filled, or -1 when the sector holds no valid record (erased,
 * torn write, other format): the caller then starts from defaults. */
static inline int snic_bootctl_decode(const uint8_t in[SNIC_BOOTCTL_BYTES], struct snic_bootctl *b)
{
	if (snic_crc32(0, in, SNIC_BOOTCTL_BYTES - 4) != snic_fwimg_le32(in + SNIC_BOOTCTL_BYTES - 4))
		return -1;
	b->magic = snic_fwimg_le32(in + 0);
	b->version = snic_fwimg_le32(in + 4);
	b->active = snic_fwimg_le32(in + 8);
	b->trial = snic_fwimg_le32(in + 12);
	b->running = snic_fwimg_le32(in + 16);
	b->boot_count = snic_fwimg_le32(in + 20);
	b->last_event = snic_fwimg_le32(in + 24);
	b->event_slot = snic_fwimg_le32(in + 28);
	b->crc = snic_fwimg_le32(in + 32);
	if (b->magic != SNIC_BOOTCTL_MAGIC || b->version != SNIC_BOOTCTL_VERSION)
		return -1;
	if ((b->active != SNIC_BOOT_NONE && b->active >= SNIC_FLASH_NSLOTS) ||
	    (b->trial != SNIC_BOOT_NONE && b->trial >= SNIC_FLASH_NSLOTS))
		return -1;
	return 0;
}

static inline void snic_bootctl_default(struct snic_bootctl *b)
{
	b->magic = SNIC_BOOTCTL_MAGIC;
	b->version = SNIC_BOOTCTL_VERSION;
	b->active = SNIC_BOOT_NONE;
	b->trial = SNIC_BOOT_NONE;
	b->running = SNIC_BOOT_NONE;
	b->boot_count = 0;
	b->last_event = 0;
	b->event_slot = SNIC_BOOT_NONE;
	b->crc = 0;
}

#endif
