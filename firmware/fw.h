/* SPDX-License-Identifier: MIT */
/*
 * The firmware's public interface: one instance per NIC, a handle passed
 * to every call (the core has no global state, so one process may run
 * several NICs, each on its own HAL context). Called by each target's
 * startup code (hal/riscv/fw_main.c, sim/nic.c, the tests and the bench).
 *
 * Storage comes from the caller, so a target without malloc keeps the
 * instance in a static FW_STORAGE (the firmware image does).
 */
#ifndef SNIC_FW_H
#define SNIC_FW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <snic/fwimage.h>

struct hal;  /* the target's device context (hal/hal.h) */
struct fw;   /* one firmware instance: private to firmware/core */

/*
 * Bytes and alignment of one instance. The size is fixed by the build's
 * table limits and the pointer width; fw.c asserts it equals
 * sizeof(struct fw) up to FW_STORAGE_SLACK, so a static FW_STORAGE wastes
 * no RAM on the embedded core.
 */
#define FW_STORAGE_FIXED 334312u
#define FW_STORAGE_PTRS  52u
#define FW_STORAGE_BYTES (FW_STORAGE_FIXED + FW_STORAGE_PTRS * sizeof(void *))
#define FW_STORAGE_ALIGN 8u
#define FW_STORAGE_SLACK 64u
struct fw_storage {
	_Alignas(FW_STORAGE_ALIGN) unsigned char bytes[FW_STORAGE_BYTES];
};

/*
 * Bytes of the device's table memory one instance uses (hal_table_mem):
 * the shadow copies of the match engine's tables, kept outside the core's
 * RAM as a NIC keeps large tables in SRAM beside its cores. fw.c asserts
 * it, as FW_STORAGE_FIXED.
 */
#define FW_TABLE_BYTES 848440u

/* Bind storage `mem` (`size` bytes, FW_STORAGE_ALIGN-aligned) to HAL
 * context `hal`: the instance, all of it zeroed (fw_init empties the tables), or NULL
 * when mem is too small or misaligned, or the HAL's table memory is
 * smaller than FW_TABLE_BYTES or not FW_STORAGE_ALIGN-aligned. Nothing is
 * written to the device yet. */
struct fw *fw_open(void *mem, size_t size, struct hal *hal);

/* Boot (or reboot) instance fw: lay out the device window, write the
 * capability records, set the device state to RUNNING. Returns 0, or -1
 * with state FAILED. */
int fw_init(struct fw *fw);

/* One pass of the event loop: admin queue, received frames, transmit
 * rings. Returns the number of work items done (0 = idle). */
unsigned fw_poll(struct fw *fw);

/* Device time of the earliest timed work (team delays, beacons, switch
 * notifications, a bandwidth split or a held frame's tokens), UINT64_MAX
 * when none: an idle simulator may skip ahead to it. */
uint64_t fw_next_deadline_ns(struct fw *fw);

/* ---- firmware update: the flash behind the target (flash_cmd.c) ---- */
#define FW_FLASH_SLOTS 2

struct fw_flash_status {
	uint32_t running;    /* slot booted, SNIC_FLASH_SLOT_NONE for built-in */
	uint32_t active;     /* default boot slot, or NONE */
	uint32_t trial;      /* slot to try once on the next boot, or NONE */
	uint32_t boot_count;
	uint32_t last_event; /* SNIC_FLASH_EV_* */
	uint32_t event_slot;
};

/* The target's flash, as the update commands see it. Every call returns
 * 0 or -1 (flash failure). */
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

/* Give instance fw its flash (NULL: update commands answer SNIC_E_UNSUPP);
 * any open update session is dropped. */
void fw_flash_attach(struct fw *fw, const struct fw_flash_ops *ops);
/* The boot loader started `slot` (SNIC_BOOT_NONE: the built-in image),
 * with header h: published in the firmware block. */
void fw_flash_booted(struct fw *fw, uint32_t slot, const struct snic_fwimg_hdr *h);
/* The host asked for a reboot (FW_REBOOT) and its completion has had time
 * to reach the host: the target reboots now. */
bool fw_flash_reboot_due(const struct fw *fw);

#endif
