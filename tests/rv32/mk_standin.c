/* SPDX-License-Identifier: MIT */
/*
 * Writes the hardware's side of the RISC-V memory map for a boot test of
 * the real firmware image under QEMU: the control page (id, window,
 * hardware description of a "large" card), the classified-frame queue and
 * the transmit port, as one blob that QEMU's generic loader places at the
 * stand-in address (firmware/riscv.mk, RV_STANDIN). The register structs
 * use fixed-width fields only, so the host compiler lays them out as rv32
 * does.
 *
 *   mk_standin OUT.bin
 */
#include <stdio.h>
#include <string.h>
#include "hal/riscv/hal_riscv_regs.h"

#define BASE     0x8c000000u /* HAL_RV_CTRL_ADDR of the stand-in */
#define PAGES    5u          /* ctrl, cls, rxq, tx, flash controller */
#define WIN_ADDR (BASE + 0x1000000u)
#define WIN_SIZE (16u << 20)
#define RING     (BASE + 0x2000000u)
#define TABLE    (BASE + 0x3000000u) /* table memory, 1 MiB */

_Static_assert(sizeof(struct hal_rv_ctrl) <= 0x1000, "control page");

int main(int argc, char **argv)
{
	static uint8_t blob[PAGES * 0x1000];
	struct hal_rv_ctrl c;
	struct hal_rv_rxq q;
	struct hal_rv_tx t;

	if (argc != 2) {
		fprintf(stderr, "usage: mk_standin OUT.bin\n");
		return 2;
	}
	memset(&c, 0, sizeof(c));
	c.id = HAL_RV_ID;
	c.version = 1;
	c.win_addr = WIN_ADDR;
	c.win_size = WIN_SIZE;
	c.table_addr = TABLE;
	c.table_size = 1u << 20;
	c.port_carrier = 0xf;
	strcpy(c.hw.profile, "large");
	c.hw.n_rx_rings = 16;
	c.hw.n_tx_rings = 16;
	c.hw.n_uplinks = 4;
	c.hw.max_vnics = 128;
	c.hw.ring_size = 512;
	c.hw.buf_max = 2048;
	c.hw.tcam_entries = 1024;
	c.hw.key_fields = SNIC_FIELD_ALL;
	c.hw.cls_latency = 7;
	c.hw.uplink_speed_mbps = 100000;
	memcpy(blob, &c, sizeof(c));

	memset(&q, 0, sizeof(q));
	q.ring_addr = RING;
	q.entries = 8;
	memcpy(blob + 0x2000, &q, sizeof(q));

	memset(&t, 0, sizeof(t));
	t.buf_addr = RING + 0x800000u;
	t.buf_size = 16384;
	memcpy(blob + 0x3000, &t, sizeof(t));

	FILE *f = fopen(argv[1], "wb");
	if (!f || fwrite(blob, 1, sizeof(blob), f) != sizeof(blob) || fclose(f)) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
