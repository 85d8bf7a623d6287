/* SPDX-License-Identifier: MIT */
/* The device window as a shared-memory file (the simulated BAR). */
#ifndef SNIC_SIM_WINDOW_H
#define SNIC_SIM_WINDOW_H

#include <stdint.h>
#include <snic/abi.h>

struct sim_window {
	uint8_t *base;
	uint32_t size;
	int      fd;
};

/* Create (or truncate) `path` to `size` zeroed bytes and map it shared. */
int sim_window_create(struct sim_window *w, const char *path, uint32_t size);
void sim_window_close(struct sim_window *w);

/* The RXQ or TXQ block (type) on the window's block chain, its rings
 * inside the window; NULL if the chain has none or is damaged. */
const struct snic_blk_queues *sim_window_queues(const uint8_t *win, uint32_t size, uint32_t type);

#endif
