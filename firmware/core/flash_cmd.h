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
#include "fw_internal.h"

/* A reboot waits for the host to consume its completion, at most this
 * long on the device clock. */
#define FW_REBOOT_GRACE_NS 100000000ull

/* The admin queue's hook: 1 for the opcodes served here. */
bool fw_flash_opcode(uint16_t opcode);
/* Execute one of them; checks reserved fields and length itself. */
uint16_t fw_flash_exec(struct fw *fw, const struct snic_admin_cmd *c, struct snic_admin_cpl *r);

#endif
