/* SPDX-License-Identifier: MIT */
/* The device window as a shared-memory file (the simulated BAR). */
#ifndef SNIC_SIM_WINDOW_H
#define SNIC_SIM_WINDOW_H

#include <stdint.h>

struct sim_window {
	uint8_t *base;
	uint32_t size;
	int      fd;
};

/* Create (or truncate) `path` to `size` zeroed bytes and map it shared. */
int sim_window_create(struct sim_window *w, const char *path, uint32_t size);
void sim_window_close(struct sim_window *w);

#endif
