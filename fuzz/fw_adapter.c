// SPDX-License-Identifier: MIT
/* See fw_adapter.h: the admin fuzz target's one way into the firmware. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "flash.h"
#include "test_fw_util.h"
#include "fw_adapter.h"

/* The card's flash, in memory (sim/flash.c), for the update commands. */
static uint8_t flash_mem[SNIC_FLASH_TOTAL];
static struct sim_flash flash;

void fwa_boot(const char *profile)
{
	boot(profile);
	memset(flash_mem, 0xff, sizeof(flash_mem));
	sim_flash_init_mem(&flash, flash_mem);
	fw_flash_attach(tfw, &flash.ops);
}

int fwa_admin(uint16_t opcode, const void *payload, uint32_t len, struct snic_admin_cpl *cpl)
{
	return admin(opcode, payload, len, cpl);
}

void *fwa_win(uint64_t off)
{
	return win_at(off);
}

void fwa_frame(const uint8_t *frame, uint32_t len, uint8_t port)
{
	rx_frame(frame, len, port);
}
