/* SPDX-License-Identifier: MIT */
/* The embedded core's flash behind the firmware update commands. */
#ifndef SNIC_HAL_RISCV_FLASH_H
#define SNIC_HAL_RISCV_FLASH_H

#include "fw.h"
#include <snic/bootctl.h>

const struct fw_flash_ops *hal_rv_flash_ops(void);
/* The slot the boot ROM started (its header in *h), or SNIC_BOOT_NONE. */
uint32_t hal_rv_flash_running(struct snic_fwimg_hdr *h);

#endif
