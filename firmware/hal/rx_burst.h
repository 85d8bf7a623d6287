/* SPDX-License-Identifier: MIT */
/*
 * hal_rx_burst / hal_rx_done_burst (hal.h) for a HAL whose hardware hands
 * frames over one at a time: the per-frame calls in a loop, so a burst is
 * exactly the frames, in the order, that hal_rx_next would give. Used by
 * the simulator, the unit tests' fake and the bench HAL; the RISC-V HAL
 * has a burst port of its own.
 */
#ifndef SNIC_HAL_RX_BURST_H
#define SNIC_HAL_RX_BURST_H

#include "hal.h"

static inline unsigned rx_burst_by_frames(struct hal *h, struct hal_rx_pkt *p, unsigned max)
{
	unsigned n = 0;
	while (n < max && hal_rx_next(h, &p[n]))
		n++;
	return n;
}

static inline void rx_done_burst_by_frames(struct hal *h, const struct hal_rx_pkt *p,
					   const int8_t *verdict,
					   unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		hal_rx_done(h, &p[i], verdict[i]);
}

#endif
