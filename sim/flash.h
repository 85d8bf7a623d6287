/* SPDX-License-Identifier: MIT */
/*
 * The simulated NIC's flash (snic-sim --flash FILE): the boot control
 * sector and two image slots of include/snic/bootctl.h, kept in a file
 * so they survive the simulator, plus a model of the boot loader that
 * picks the slot at each boot and rolls a failed trial image back.
 *
 * The simulator runs its compiled-in firmware whatever the slot holds;
 * what the boot loader checks is what a real one would (header, CRC, ABI,
 * fits the core's RAM), and the FW block reports the booted image.
 */
#ifndef SNIC_SIM_FLASH_H
#define SNIC_SIM_FLASH_H

#include <stdint.h>
#include <snic/abi.h>
#include "fw.h"
#include <snic/bootctl.h>

struct sim_flash {
	uint8_t            *mem;     /* SNIC_FLASH_TOTAL bytes */
	int                 fd;      /* -1 for an in-memory flash */
	struct snic_bootctl ctl;     /* the record as last read or written */
	struct fw_flash_ops ops;
	uint32_t            booted;  /* slot, or SNIC_BOOT_NONE */
	struct snic_fwimg_hdr booted_hdr;
	struct fw          *fw;      /* the firmware instance it serves */
};

/* Map FILE as the flash, creating an erased one if it does not exist. */
int  sim_flash_open(struct sim_flash *f, const char *path);
/* Use caller memory (SNIC_FLASH_TOTAL bytes) instead: unit tests. */
void sim_flash_init_mem(struct sim_flash *f, uint8_t *mem);
void sim_flash_close(struct sim_flash *f);

/* FWIMG_OK when `slot` holds an image the boot loader would start:
 * valid image of this ABI that fits the core's RAM. */
int  sim_flash_check_slot(const struct sim_flash *f, uint32_t slot,
			  struct snic_fwimg_hdr *h);

/*
 * The boot loader. A pending trial slot is tried once (the request is
 * cleared before trying, so a crash cannot loop); if it does not start,
 * the default slot boots and the event is recorded as a rollback. With no
 * startable slot it starts the built-in firmware (slot SNIC_BOOT_NONE).
 * start() returns 0 when the firmware came up. Returns the booted slot.
 */
typedef int (*sim_flash_start_fn)(void *arg, uint32_t slot, const struct snic_fwimg_hdr *h);
uint32_t sim_flash_boot(struct sim_flash *f, sim_flash_start_fn start, void *arg);

/* Simulator glue: the first boot (the firmware is already up from
 * nic_init), then reboots when the firmware asks for one. */
int  sim_flash_start(struct sim_flash *f, struct fw *fw, const char *path);
/* Call once per simulator step: 1 when the device just rebooted. */
int  sim_flash_poll(struct sim_flash *f);

#endif
