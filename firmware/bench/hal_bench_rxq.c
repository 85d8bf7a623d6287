/* SPDX-License-Identifier: MIT */
/*
 * The bench's receive queue engine: the hardware's model (rxq_engine.h),
 * counted apart from the firmware like the DMA transfers. A file of its
 * own so that on rv32 its call of hal_dma_to_host goes through the
 * bench's --wrap wrapper and the transfer is counted as DMA.
 */
#include "hal/rxq_engine.h"

int hal_rxq_put(struct hal *h, struct hal_rxq *q, const struct hal_rx_pkt *p,
		const uint32_t cpl_words[3], uint8_t color)
{
	return rxq_engine_put(h, q, p, cpl_words, color);
}
