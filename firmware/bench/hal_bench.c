/* SPDX-License-Identifier: MIT */
/*
 * The thinnest HAL that lets the firmware run a packet trace: frames come
 * from an array, verdicts and transmissions are only counted. Used by the
 * per-packet cost bench so that the instructions counted are the
 * firmware's, not a test double's bookkeeping. Freestanding, so the same
 * file runs on the host under callgrind and bare metal on rv32.
 */
#include "bench.h"
#include "hal/rx_burst.h"

struct bench_hal bench;

void hal_hw_info(struct hal_hw_info *out)
{
	*out = bench.hw;
}

uint8_t *hal_window(void) { return bench.win; }
uint32_t hal_window_size(void) { return bench.win_size; }
uint64_t hal_now_ns(void) { return bench.now_ns; }

void hal_cls_write(uint32_t idx, const struct snic_rule *rule) { (void)idx; (void)rule; }
void hal_cls_clear(uint32_t idx) { (void)idx; }
uint64_t hal_cls_hits(uint32_t idx) { (void)idx; return 0; }
void hal_exact_write(uint32_t slot, uint64_t xkey, const struct snic_action *a)
{
	(void)slot; (void)xkey; (void)a;
}
void hal_exact_clear(uint32_t slot) { (void)slot; }
void hal_rss_write(const struct snic_rss_cfg *cfg) { (void)cfg; }

int hal_rx_next(struct hal_rx_pkt *p)
{
	if (bench.rx_next == bench.rx_count)
		return 0;
	*p = bench.rx[bench.rx_next];
	p->handle = bench.rx_next++;
	return 1;
}

void hal_rx_done(const struct hal_rx_pkt *p, int drop_reason)
{
	(void)p;
	if (drop_reason == HAL_DELIVERED)
		bench.delivered++;
	else
		bench.dropped++;
}

/* Bursts: the per-frame calls in a loop (hal/rx_burst.h). */
unsigned hal_rx_burst(struct hal_rx_pkt *p, unsigned max)
{
	return rx_burst_by_frames(p, max);
}

void hal_rx_done_burst(const struct hal_rx_pkt *p, const int8_t *verdict, unsigned n)
{
	rx_done_burst_by_frames(p, verdict, n);
}

/* The DMA engine's work, done here by the bench so the frames really
 * land: the bench reports it apart from the firmware's instructions. */
void hal_dma_to_host(uint32_t win_off, const void *src, uint32_t len)
{
	__builtin_memcpy(bench.win + win_off, src, len);
	bench.dma_bytes += len;
}

void hal_dma_from_host(void *dst, uint32_t win_off, uint32_t len)
{
	__builtin_memcpy(dst, bench.win + win_off, len);
	bench.dma_bytes += len;
}

int hal_tx(uint8_t port, const uint8_t *data, uint32_t len)
{
	(void)port; (void)data; (void)len;
	bench.sent++;
	return 0;
}

void hal_port_enable(uint8_t port, int up) { (void)port; (void)up; }
int hal_port_carrier(uint8_t port) { return port < bench.hw.n_uplinks; }
void hal_irq(uint16_t vector) { (void)vector; bench.irqs++; }
