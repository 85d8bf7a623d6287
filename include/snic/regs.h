/* SPDX-License-Identifier: MIT */
/*
 * The device window ("BAR") and its self-describing chain of blocks.
 *
 * The host sees the NIC through one memory window. In the simulator the
 * window is a shared-memory file; under QEMU it is the BAR of an ivshmem
 * device backed by the same file. Nothing here has read or write side
 * effects: every queue is a ring with free-running producer/consumer
 * indices, and doorbells are counters the device polls.
 *
 * At offset 0 starts a chain of blocks (Corundum-style register blocks):
 * each begins with struct snic_block_hdr; `next` is the window offset of the
 * following block, 0 at the end. A host walks the chain and uses the blocks
 * it knows, skipping unknown types, so new blocks never break old drivers.
 */
#ifndef SNIC_REGS_H
#define SNIC_REGS_H

#include "types.h"

#define SNIC_MAGIC          0x43494e53u /* "SNIC" little-endian */
#define SNIC_ABI_MAJOR      1           /* incompatible layout change */
#define SNIC_ABI_MINOR      3           /* compatible additions (1: l2.h; 2: rss.h
					 * queue sets, hash in the RX completion;
					 * 3: VNIC_PORT_VLAN, SNIC_L2CAP_PORT_VLAN) */

/* PCI identity of the emulated device (ivshmem-plain, see hostdrv/linux). */
#define SNIC_PCI_VENDOR     0x1af4
#define SNIC_PCI_DEVICE     0x1110

/* Block types. */
enum snic_block_type {
	SNIC_BLK_DEVID  = 0x0001, /* struct snic_blk_devid, always at offset 0 */
	SNIC_BLK_FW     = 0x0002, /* struct snic_blk_fw */
	SNIC_BLK_ADMIN  = 0x0003, /* struct snic_blk_admin */
	SNIC_BLK_CAPS   = 0x0004, /* struct snic_blk_caps */
	SNIC_BLK_RXQ    = 0x0005, /* struct snic_blk_queues, RX rings */
	SNIC_BLK_TXQ    = 0x0006, /* struct snic_blk_queues, TX rings */
	SNIC_BLK_STATS  = 0x0007, /* struct snic_blk_stats */
	SNIC_BLK_DMA    = 0x0008, /* struct snic_blk_dma: host memory region */
	SNIC_BLK_VSTATS = 0x0009, /* struct snic_blk_vstats (l2.h): per-VNIC counters */
};

struct snic_block_hdr {
	snic_le32 type;     /* enum snic_block_type */
	snic_le16 version;  /* per-type layout version, starts at 1 */
	snic_le16 rsvd;
	snic_le32 next;     /* window offset of the next block, 0 = last */
	snic_le32 size;     /* bytes of this block including the header */
};
SNIC_ASSERT_SIZE(struct snic_block_hdr, 16);

/* Device state, written by the firmware. */
enum snic_dev_state {
	SNIC_STATE_OFF      = 0, /* window not initialised yet */
	SNIC_STATE_BOOTING  = 1,
	SNIC_STATE_RUNNING  = 2,
	SNIC_STATE_HALTED   = 3, /* simulator finished its input; rings still readable */
	SNIC_STATE_FAILED   = 4, /* firmware failed; see fw block */
};

struct snic_blk_devid {
	struct snic_block_hdr hdr;
	snic_le32 magic;        /* SNIC_MAGIC */
	snic_le16 abi_major;    /* SNIC_ABI_MAJOR */
	snic_le16 abi_minor;    /* SNIC_ABI_MINOR */
	snic_le32 window_size;  /* bytes of the whole window */
	snic_le32 state;        /* enum snic_dev_state */
	snic_le32 heartbeat;    /* incremented by the firmware main loop */
	snic_le32 reset_count;  /* incremented on each firmware reset */
	snic_le64 dev_time_ns;  /* device clock (virtual time in the simulator) */
	char     profile[16];  /* NUL-terminated hardware profile name */
};
SNIC_ASSERT_SIZE(struct snic_blk_devid, 64);

struct snic_blk_fw {
	struct snic_block_hdr hdr;
	snic_le32 version;      /* major << 16 | minor << 8 | patch */
	snic_le32 slot;         /* flash slot the running image came from */
	char     build[24];    /* NUL-terminated build identifier */
};
SNIC_ASSERT_SIZE(struct snic_blk_fw, 48);

/*
 * Host memory region: the part of the window that stands for host RAM.
 * Every buffer address in a descriptor is a window offset that must lie
 * entirely inside this region; the device refuses anything else.
 */
struct snic_blk_dma {
	struct snic_block_hdr hdr;
	snic_le32 base;         /* window offset of the region */
	snic_le32 size;         /* bytes */
	snic_le32 rsvd[2];
};
SNIC_ASSERT_SIZE(struct snic_blk_dma, 32);

/* Ring control blocks: `count` rings of `stride` bytes from `first`. */
struct snic_blk_queues {
	struct snic_block_hdr hdr;
	snic_le32 count;        /* number of rings */
	snic_le32 stride;       /* bytes between consecutive ring control areas */
	snic_le32 first;        /* window offset of ring 0's control area */
	snic_le32 rsvd;
};
SNIC_ASSERT_SIZE(struct snic_blk_queues, 32);

/* Capability block: records in the format of caps.h start at `records`. */
struct snic_blk_caps {
	struct snic_block_hdr hdr;
	snic_le32 records;      /* window offset of the first record */
	snic_le32 length;       /* bytes of all records, ending with SNIC_CAP_END */
	snic_le32 generation;   /* bumped each time the firmware rewrites them */
	snic_le32 rsvd;
};
SNIC_ASSERT_SIZE(struct snic_blk_caps, 32);

#endif
