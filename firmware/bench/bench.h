/* SPDX-License-Identifier: MIT */
/* Shared state of the firmware benches (hal_bench.c, bench_fw_path.c). */
#ifndef SNIC_FW_BENCH_H
#define SNIC_FW_BENCH_H

#include <stdint.h>
#include "hal/hal.h"

/* The bench device: the HAL context (hal/hal.h) of its firmware instance. */
struct hal {
	struct hal_hw_info hw;
	uint8_t           *win;
	uint32_t           win_size;
	uint64_t           now_ns;
	struct hal_rx_pkt *rx;        /* the frames of the current batch */
	uint32_t           rx_count, rx_next;
	uint64_t           delivered, dropped, sent, irqs;
	uint64_t           dma_bytes;        /* moved by hal_dma_* */
	/* The incarnation the engine's copy of each VNIC's MAC entry names
	 * (snic_action.gen, stamped by the firmware): a frame the bench hands
	 * over as a hit carries it, as the engine's would. */
	uint8_t            gen[1024];      /* VNIC ids up to FW_MAX_VNICS */
};

extern struct hal bench;

#endif
