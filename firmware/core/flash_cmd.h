/* SPDX-License-Identifier: MIT */
/*
 * Firmware update over the admin queue: the FLASH_* and FW_REBOOT
 * commands of include/snic/admin.h, served against whatever flash the
 * target attaches (the simulator's file-backed flash, the RISC-V core's
 * flash controller, a test fake). Without a flash every one of these
 * commands answers SNIC_E_UNSUPP, so targets that have none need nothing.
 */
#ifndef SNIC_FW_FLASH_CMD_H
#define SNIC_FW_FLASH_CMD_H

#include <stdbool.h>
#include <stdint.h>
#include <snic/abi.h>
#include "image/fwimage.h"

#define FW_FLASH_SLOTS 2
/* A reboot waits for the host to consume its completion, at most this
 * long on the device clock. */
#define FW_REBOOT_GRACE_NS 100000000ull

struct fw_flash_status {
	uint32_t running;    /* slot booted, SNIC_FLASH_SLOT_NONE for built-in */
	uint32_t active;     /* default boot slot, or NONE */
	uint32_t trial;      /* slot to try once on the next boot, or NONE */
	uint32_t boot_count;
	uint32_t last_event; /* SNIC_FLASH_EV_* */
	uint32_t event_slot;
};

/* What a target's flash offers. Every function returns 0 or -1. */
struct fw_flash_ops {
	void    *ctx;
	uint32_t slot_size;  /* bytes per slot, <= SNIC_FWIMG_SLOT_SIZE */
	/* Erase a whole slot; a pending trial of that slot is cancelled. */
	int  (*erase)(void *ctx, uint32_t slot);
	int  (*write)(void *ctx, uint32_t slot, uint32_t off, const uint8_t *src, uint32_t len);
	int  (*read)(void *ctx, uint32_t slot, uint32_t off, uint8_t *dst, uint32_t len);
	/* Boot `slot` once on the next boot, falling back if it fails. */
	int  (*set_trial)(void *ctx, uint32_t slot);
	void (*status)(void *ctx, struct fw_flash_status *st);
};

/* Attach a flash (NULL: none). Also ends any session and forgets a
 * pending reboot: targets call it after every fw_init(). */
void fw_flash_attach(const struct fw_flash_ops *ops);

/* Report in the FW block which image the device booted (slot NONE and
 * h NULL for the built-in firmware). Call after fw_init(). */
void fw_flash_booted(uint32_t slot, const struct snic_fwimg_hdr *h);

/* The admin queue's hook: 1 for the opcodes served here. */
bool fw_flash_opcode(uint16_t opcode);
/* Execute one of them; checks reserved fields and length itself. */
uint16_t fw_flash_exec(const struct snic_admin_cmd *c, struct snic_admin_cpl *r);

/* 1 when a FW_REBOOT was answered and the host has taken the answer (or
 * the grace time passed): the target should reboot now. */
bool fw_flash_reboot_due(void);

#endif
