/* SPDX-License-Identifier: MIT */
/*
 * The thinnest HAL that lets the firmware run a packet trace: frames come
 * from an array, verdicts and transmissions are only counted. Used by the
 * per-packet cost bench so that the instructions counted are the
 * firmware's, not a test double's bookkeeping. Freestanding, so the same
 * file runs on the host under callgrind and bare metal on rv32.
 */
#include "bench.h"
#include "fw.h"
#include "hal/rx_burst.h"

struct hal bench;

void hal_hw_info(struct hal *h, struct hal_hw_info *out)
{
	*out = h->hw;
}

uint8_t *hal_window(struct hal *h) { return h->win; }
uint32_t hal_window_size(struct hal *h) { return h->win_size; }
uint64_t hal_now_ns(struct hal *h) { return h->now_ns; }

void *hal_table_mem(struct hal *h, uint32_t *size)
{
	static struct { _Alignas(8) unsigned char b[FW_TABLE_BYTES]; } mem;
	(void)h;
	*size = sizeof(mem.b);
	return mem.b;
}

const uint32_t *hal_txq_doorbells(struct hal *h)
{
	(void)h;
	return 0; /* the window's words are the doorbells */
}

/* The tables: nothing to program, the bench's frames carry their match. */
void hal_cls_write(struct hal *h, uint32_t idx, const struct snic_rule *rule)
{
	(void)idx;
	if (rule->action.vnic < sizeof(h->gen))
		h->gen[rule->action.vnic] = rule->action.gen;
}
void hal_cls_clear(struct hal *h, uint32_t idx) { (void)h; (void)idx; }
uint64_t hal_cls_hits(struct hal *h, uint32_t idx) { (void)h; (void)idx; return 0; }
void hal_exact_write(struct hal *h, uint32_t slot, uint64_t xkey, const struct snic_action *a)
{
	(void)slot; (void)xkey;
	if (a->vnic < sizeof(h->gen))
		h->gen[a->vnic] = a->gen;
}
void hal_exact_clear(struct hal *h, uint32_t slot) { (void)h; (void)slot; }
void hal_rss_write(struct hal *h, const struct snic_rss_cfg *cfg) { (void)h; (void)cfg; }

int hal_rx_next(struct hal *h, struct hal_rx_pkt *p)
{
	if (h->rx_next == h->rx_count)
		return 0;
	*p = h->rx[h->rx_next];
	p->handle = h->rx_next++;
	return 1;
}

void hal_rx_done(struct hal *h, const struct hal_rx_pkt *p, int drop_reason)
{
	(void)p;
	if (drop_reason == HAL_DELIVERED)
		h->delivered++;
	else
		h->dropped++;
}

/* Bursts: the per-frame calls in a loop (hal/rx_burst.h). */
unsigned hal_rx_burst(struct hal *h, struct hal_rx_pkt *p, unsigned max)
{
	return rx_burst_by_frames(h, p, max);
}

void hal_rx_done_burst(struct hal *h, const struct hal_rx_pkt *p, const int8_t *verdict,
		       unsigned n)
{
	rx_done_burst_by_frames(h, p, verdict, n);
}

/* The DMA engine's work, done here by the bench so the frames really
 * land: the bench reports it apart from the firmware's instructions. */
void hal_dma_to_host(struct hal *h, uint32_t win_off, const void *src, uint32_t len)
{
	__builtin_memcpy(h->win + win_off, src, len);
	h->dma_bytes += len;
}

void hal_dma_from_host(struct hal *h, void *dst, uint32_t win_off, uint32_t len)
{
	__builtin_memcpy(dst, h->win + win_off, len);
	h->dma_bytes += len;
}

int hal_tx(struct hal *h, uint8_t port, const uint8_t *data, uint32_t len)
{
	(void)port; (void)data; (void)len;
	h->sent++;
	return 0;
}

void hal_port_enable(struct hal *h, uint8_t port, int up) { (void)h; (void)port; (void)up; }
int hal_port_carrier(struct hal *h, uint8_t port) { return port < h->hw.n_uplinks; }
void hal_irq(struct hal *h, uint16_t vector) { (void)vector; h->irqs++; }
