/* SPDX-License-Identifier: MIT */
/*
 * Memory map of the embedded RISC-V core (rv32imac) that runs the snic
 * firmware on the NIC, as the HAL in hal_riscv.c sees it. Documented with
 * the image format in docs/firmware-image.md.
 *
 *   0x1000_0000  NIC control registers      struct hal_rv_ctrl
 *   0x1000_1000  match-engine table port    struct hal_rv_cls
 *   0x1000_2000  classified-frame queue     struct hal_rv_rxq
 *   0x1000_3000  transmit port              struct hal_rv_tx
 *   0x1000_4000  flash controller           struct hal_rv_flash
 *   0x1000_5000  DMA engine                 struct hal_rv_dma
 *   0x2000_0000  flash, memory-mapped read  (1 MiB)
 *   0x4000_0000  device window (the BAR the host sees), win_size bytes
 *   0x6000_0000  packet memory: received frames and the TX staging buffer
 *   0x7000_0000  table memory: SRAM for the firmware's large tables,
 *                table_size bytes (FW_TABLE_BYTES at least)
 *   0x8000_0000  core RAM, 512 KiB: the image is loaded here, then bss, stack
 *
 * Every address is a macro so that a test build can move the whole map
 * into ordinary RAM (the "stand-in" used under QEMU, where no NIC exists:
 * tests/rv32/test_hal_riscv.c plays the hardware's part).
 *
 * All registers are 32-bit, little-endian, naturally aligned. Frames and
 * window contents are plain memory. Writes to a port take effect in
 * program order; a port that is busy stalls the bus rather than dropping
 * a write, so the firmware never polls for "write accepted".
 */
#ifndef SNIC_HAL_RISCV_REGS_H
#define SNIC_HAL_RISCV_REGS_H

#include <stdint.h>
#include "hal/hal.h"

#ifndef HAL_RV_CTRL_ADDR
#define HAL_RV_CTRL_ADDR  0x10000000u
#endif
#ifndef HAL_RV_CLS_ADDR
#define HAL_RV_CLS_ADDR   0x10001000u
#endif
#ifndef HAL_RV_RXQ_ADDR
#define HAL_RV_RXQ_ADDR   0x10002000u
#endif
#ifndef HAL_RV_TX_ADDR
#define HAL_RV_TX_ADDR    0x10003000u
#endif
#ifndef HAL_RV_FLASHC_ADDR
#define HAL_RV_FLASHC_ADDR 0x10004000u
#endif
#ifndef HAL_RV_DMA_ADDR
#define HAL_RV_DMA_ADDR   0x10005000u
#endif
#ifndef HAL_RV_FLASH_ADDR
#define HAL_RV_FLASH_ADDR 0x20000000u
#endif

#define HAL_RV_ID          0x57484e53u /* "SNHW" */
#define HAL_RV_REBOOT_KEY  0x424f4f54u /* "BOOT": any other value is ignored */

/* NIC control registers. */
struct hal_rv_ctrl {
	uint32_t id;            /* 0x00 RO HAL_RV_ID */
	uint32_t version;       /* 0x04 RO register map version, 1 */
	uint32_t win_addr;      /* 0x08 RO core address of the device window */
	uint32_t win_size;      /* 0x0c RO its size in bytes */
	uint32_t time_lo;       /* 0x10 RO device clock, ns (64-bit, read hi/lo/hi) */
	uint32_t time_hi;       /* 0x14 RO */
	uint32_t port_enable;   /* 0x18 RW bit n: uplink n administratively up */
	uint32_t port_carrier;  /* 0x1c RO bit n: uplink n has carrier */
	uint32_t irq;           /* 0x20 WO raise the MSI-X vector written */
	uint32_t reboot;        /* 0x24 WO HAL_RV_REBOOT_KEY: reset the core (boot ROM runs) */
	uint32_t table_addr;    /* 0x28 RO core address of the table memory */
	uint32_t table_size;    /* 0x2c RO its size in bytes */
	uint32_t rsvd[20];      /* to 0x80 */
	struct hal_hw_info hw;  /* 0x80 RO what the hardware is (hal.h layout) */
};

/* Match-engine table port: stage a rule, then write the command. */
#define HAL_RV_CLS_WRITE 1u /* entry[idx] = rule */
#define HAL_RV_CLS_CLEAR 2u /* entry[idx] invalid */
#define HAL_RV_CLS_HITS  3u /* latch entry[idx]'s hit counter into hits_lo/hi */
#define HAL_RV_CLS_XWRITE 4u /* exact slot[idx] = xkey, xaction, valid */
#define HAL_RV_CLS_XCLEAR 5u /* exact slot[idx] invalid */
#define HAL_RV_CLS_RSS    6u /* RSS config = struct snic_rss_cfg staged in rule[0..10] */

struct hal_rv_cls {
	uint32_t idx;           /* 0x00 entry index */
	uint32_t cmd;           /* 0x04 WO HAL_RV_CLS_* (a write is atomic in the engine) */
	uint32_t hits_lo;       /* 0x08 RO after HAL_RV_CLS_HITS */
	uint32_t hits_hi;       /* 0x0c RO */
	uint32_t writes;        /* 0x10 RO commands executed (diagnostics) */
	uint32_t xkey_lo;       /* 0x14 staged exact key (classifier/exact.h) */
	uint32_t xkey_hi;       /* 0x18 */
	uint32_t xaction[2];    /* 0x1c staged struct snic_action (8 bytes) */
	uint32_t rsvd[7];       /* to 0x40 */
	uint32_t rule[34];      /* 0x40 staged struct snic_rule (136 bytes) */
};

/*
 * Classified-frame queue: the MAC stores each received frame in packet
 * memory, the match engine classifies it, then the hardware fills the next
 * entry and advances `prod`. The firmware handles entries in order, writes
 * its verdict (HAL_DELIVERED or a drop reason) and advances `cons`, which
 * hands the buffer back to the MAC.
 */
struct hal_rv_rx_entry {
	uint32_t addr;          /* core address of the frame in packet memory */
	uint32_t len;           /* frame bytes */
	uint32_t time_lo;       /* arrival time, ns */
	uint32_t time_hi;
	uint8_t  port;          /* ingress uplink */
	uint8_t  rsvd0[3];
	struct snic_match match;/* the engine's result (cls.h layout) */
	int32_t  verdict;       /* firmware: HAL_DELIVERED or enum snic_drop_reason */
	uint32_t rsvd1[2];
};
_Static_assert(sizeof(struct hal_rv_rx_entry) == 52, "rx entry layout");

struct hal_rv_rxq {
	uint32_t ring_addr;     /* 0x00 RO core address of hal_rv_rx_entry[entries] */
	uint32_t entries;       /* 0x04 RO power of two */
	uint32_t prod;          /* 0x08 RO entries filled by the hardware (free-running) */
	uint32_t cons;          /* 0x0c RW entries released by the firmware */
};

/* Transmit port: copy the frame into the staging buffer, then ring. */
struct hal_rv_tx {
	uint32_t buf_addr;      /* 0x00 RO core address of the staging buffer */
	uint32_t buf_size;      /* 0x04 RO its size */
	uint32_t busy;          /* 0x08 RO non-zero while the last frame is leaving */
	uint32_t len;           /* 0x0c RW frame bytes */
	uint32_t port;          /* 0x10 RW uplink */
	uint32_t doorbell;      /* 0x14 WO any write sends buf[0..len) on `port` */
	uint32_t sent;          /* 0x18 RO frames sent (diagnostics) */
};

/*
 * Flash controller (NOR, 4 KiB sectors). Reads go through the memory-
 * mapped flash at HAL_RV_FLASH_ADDR; erase and program through here.
 * Layout of the flash: the boot control sector at 0, slot 0 at 0x1000,
 * slot 1 at 0x1000 + SNIC_FWIMG_SLOT_SIZE (see docs/firmware-image.md).
 */
#define HAL_RV_FLASH_ERASE   1u /* erase the sector at `addr` (to 0xff) */
#define HAL_RV_FLASH_PROGRAM 2u /* program the word `data` at `addr` */

struct hal_rv_flash {
	uint32_t size;          /* 0x00 RO flash bytes */
	uint32_t addr;          /* 0x04 RW flash offset */
	uint32_t data;          /* 0x08 RW word to program */
	uint32_t cmd;           /* 0x0c WO HAL_RV_FLASH_*; the bus stalls until done */
	uint32_t status;        /* 0x10 RO 0 ok, else the last command failed */
};

/*
 * DMA engine: copies `len` bytes from core address `src` to core address
 * `dst` (packet memory, core RAM and the device window all sit on the
 * core's bus). Writing HAL_RV_DMA_COPY to `cmd` runs the transfer; the bus
 * stalls until it is done, so the bytes are in place before the core's
 * next access (the flash controller's convention). The firmware moves
 * every frame this way: received frames into host buffers, transmitted
 * frames out of them, and into the TX staging buffer. `id` reads
 * HAL_RV_DMA_ID when the engine is fitted; a core without one (and the
 * RAM stand-in under QEMU) reads 0, and the HAL copies the bytes itself.
 */
#define HAL_RV_DMA_ID   0x414d4453u /* "SDMA" */
#define HAL_RV_DMA_COPY 1u

struct hal_rv_dma {
	uint32_t id;            /* 0x00 RO HAL_RV_DMA_ID, 0 when no engine is fitted */
	uint32_t src;           /* 0x04 RW source core address */
	uint32_t dst;           /* 0x08 RW destination core address */
	uint32_t len;           /* 0x0c RW bytes */
	uint32_t cmd;           /* 0x10 WO HAL_RV_DMA_COPY; the bus stalls until done */
	uint32_t done;          /* 0x14 RO transfers completed (diagnostics) */
};

#define HAL_RV_CTRL  ((volatile struct hal_rv_ctrl *)(uintptr_t)HAL_RV_CTRL_ADDR)
#define HAL_RV_CLS   ((volatile struct hal_rv_cls *)(uintptr_t)HAL_RV_CLS_ADDR)
#define HAL_RV_RXQ   ((volatile struct hal_rv_rxq *)(uintptr_t)HAL_RV_RXQ_ADDR)
#define HAL_RV_TX    ((volatile struct hal_rv_tx *)(uintptr_t)HAL_RV_TX_ADDR)
#define HAL_RV_FLASHC ((volatile struct hal_rv_flash *)(uintptr_t)HAL_RV_FLASHC_ADDR)
#define HAL_RV_DMA   ((volatile struct hal_rv_dma *)(uintptr_t)HAL_RV_DMA_ADDR)

/* The HAL context (hal/hal.h) on the embedded core: its device is at the
 * fixed addresses above, so the receive position is the only state. */
struct hal {
	uint32_t rx_taken; /* classified-frame entries handed to the firmware */
};

#endif
