/* SPDX-License-Identifier: MIT */
/*
 * Flash operations for the firmware update commands on the embedded core:
 * reads through the memory-mapped flash, erase and program through the
 * flash controller (hal_riscv_regs.h), the boot control record in the
 * first sector (snic/bootctl.h) shared with the boot ROM.
 */
#include "hal/riscv/hal_riscv_flash.h"
#include "hal/riscv/hal_riscv_regs.h"

static const volatile uint8_t *flash_bytes(uint32_t off)
{
	return (const volatile uint8_t *)(uintptr_t)HAL_RV_FLASH_ADDR + off;
}

static int flash_cmd(uint32_t cmd, uint32_t addr, uint32_t data)
{
	volatile struct hal_rv_flash *c = HAL_RV_FLASHC;
	c->addr = addr;
	c->data = data;
	c->cmd = cmd; /* the bus stalls until the flash is done */
	return c->status ? -1 : 0;
}

static int erase_range(uint32_t off, uint32_t len)
{
	for (uint32_t a = off; a < off + len; a += SNIC_FLASH_SECTOR)
		if (flash_cmd(HAL_RV_FLASH_ERASE, a, 0) < 0)
			return -1;
	return 0;
}

/* Program bytes at any alignment: NOR programming only clears bits, so
 * the bytes of a word outside the range are programmed as 0xff. */
static int program(uint32_t off, const uint8_t *src, uint32_t len)
{
	while (len) {
		uint32_t base = off & ~3u, word = 0xffffffffu;
		unsigned k = off & 3u;
		for (; k < 4 && len; k++, off++, len--) {
			word &= ~(0xffu << (8 * k));
			word |= (uint32_t)*src++ << (8 * k);
		}
		if (flash_cmd(HAL_RV_FLASH_PROGRAM, base, word) < 0)
			return -1;
	}
	return 0;
}

static void read_bytes(uint32_t off, uint8_t *dst, uint32_t len)
{
	const volatile uint8_t *p = flash_bytes(off);
	for (uint32_t i = 0; i < len; i++)
		dst[i] = p[i];
}

static void load_ctl(struct snic_bootctl *b)
{
	uint8_t rec[SNIC_BOOTCTL_BYTES];
	read_bytes(0, rec, sizeof(rec));
	if (snic_bootctl_decode(rec, b) < 0)
		snic_bootctl_default(b);
}

static int save_ctl(const struct snic_bootctl *b)
{
	uint8_t rec[SNIC_BOOTCTL_BYTES];
	snic_bootctl_encode(b, rec);
	if (erase_range(0, SNIC_FLASH_SECTOR) < 0)
		return -1;
	return program(0, rec, sizeof(rec));
}

static int slot_range_ok(uint32_t slot, uint32_t off, uint32_t len)
{
	return slot < SNIC_FLASH_NSLOTS && off <= SNIC_FWIMG_SLOT_SIZE &&
	       len <= SNIC_FWIMG_SLOT_SIZE - off;
}

static int op_erase(void *ctx, uint32_t slot)
{
	struct snic_bootctl b;
	(void)ctx;
	if (slot >= SNIC_FLASH_NSLOTS)
		return -1;
	load_ctl(&b);
	if (b.trial == slot) {
		b.trial = SNIC_BOOT_NONE;
		if (save_ctl(&b) < 0)
			return -1;
	}
	return erase_range(SNIC_FLASH_SLOT_OFF(slot), SNIC_FWIMG_SLOT_SIZE);
}

static int op_write(void *ctx, uint32_t slot, uint32_t off, const uint8_t *src, uint32_t len)
{
	(void)ctx;
	if (!slot_range_ok(slot, off, len))
		return -1;
	return program(SNIC_FLASH_SLOT_OFF(slot) + off, src, len);
}

static int op_read(void *ctx, uint32_t slot, uint32_t off, uint8_t *dst, uint32_t len)
{
	(void)ctx;
	if (!slot_range_ok(slot, off, len))
		return -1;
	read_bytes(SNIC_FLASH_SLOT_OFF(slot) + off, dst, len);
	return 0;
}

static int op_set_trial(void *ctx, uint32_t slot)
{
	struct snic_bootctl b;
	(void)ctx;
	if (slot >= SNIC_FLASH_NSLOTS)
		return -1;
	load_ctl(&b);
	b.trial = slot;
	return save_ctl(&b);
}

static void op_status(void *ctx, struct fw_flash_status *st)
{
	struct snic_bootctl b;
	(void)ctx;
	load_ctl(&b);
	st->running = b.running;
	st->active = b.active;
	st->trial = b.trial;
	st->boot_count = b.boot_count;
	st->last_event = b.last_event;
	st->event_slot = b.event_slot;
}

static const struct fw_flash_ops rv_flash_ops = {
	.ctx = 0,
	.slot_size = SNIC_FWIMG_SLOT_SIZE,
	.erase = op_erase,
	.write = op_write,
	.read = op_read,
	.set_trial = op_set_trial,
	.status = op_status,
};

const struct fw_flash_ops *hal_rv_flash_ops(void)
{
	return &rv_flash_ops;
}

uint32_t hal_rv_flash_running(struct snic_fwimg_hdr *h)
{
	struct snic_bootctl b;
	uint8_t raw[SNIC_FWIMG_HDR_SIZE];

	load_ctl(&b);
	if (b.running >= SNIC_FLASH_NSLOTS)
		return SNIC_BOOT_NONE;
	read_bytes(SNIC_FLASH_SLOT_OFF(b.running), raw, sizeof(raw));
	if (snic_fwimg_check_hdr(raw, sizeof(raw), SNIC_ABI_MAJOR, h) != FWIMG_OK)
		return SNIC_BOOT_NONE;
	return b.running;
}
