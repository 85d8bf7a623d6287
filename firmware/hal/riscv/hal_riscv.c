/* SPDX-License-Identifier: MIT */
/*
 * The firmware HAL on the embedded RISC-V core: every call is a few loads
 * and stores to the memory-mapped ports of hal_riscv_regs.h. Freestanding.
 *
 * The queue indices the firmware owns (how many classified frames it has
 * taken) live here, in core RAM; what the hardware publishes is read once
 * per call and bound-checked, so a confused port cannot make the firmware
 * read outside the ring.
 */
#include "hal/riscv/hal_riscv_regs.h"
#include "hal/rxq_engine.h"

/* Word copies: MMIO regions want whole, aligned 32-bit accesses. */
static void copy_words_out(volatile uint32_t *dst, const void *src, uint32_t bytes)
{
	const uint8_t *s = src;
	for (uint32_t i = 0; i < bytes / 4; i++, s += 4)
		dst[i] = (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 |
			 (uint32_t)s[3] << 24;
}

static void copy_words_in(void *dst, const volatile uint32_t *src, uint32_t bytes)
{
	uint8_t *d = dst;
	for (uint32_t i = 0; i < bytes / 4; i++, d += 4) {
		uint32_t w = src[i];
		d[0] = (uint8_t)w;
		d[1] = (uint8_t)(w >> 8);
		d[2] = (uint8_t)(w >> 16);
		d[3] = (uint8_t)(w >> 24);
	}
}

void hal_hw_info(struct hal *h, struct hal_hw_info *out)
{
	_Static_assert(sizeof(struct hal_hw_info) % 4 == 0, "hw info is word-sized");
	copy_words_in(out, (const volatile uint32_t *)&HAL_RV_CTRL->hw, sizeof(*out));
	h->rx_taken = HAL_RV_RXQ->cons; /* a reboot resumes where the last run left */
}

uint8_t *hal_window(struct hal *h)
{
	(void)h;
	return (uint8_t *)(uintptr_t)HAL_RV_CTRL->win_addr;
}

uint32_t hal_window_size(struct hal *h)
{
	(void)h;
	return HAL_RV_CTRL->win_size;
}

void *hal_table_mem(struct hal *h, uint32_t *size)
{
	(void)h;
	*size = HAL_RV_CTRL->table_size;
	return (void *)(uintptr_t)HAL_RV_CTRL->table_addr;
}

uint64_t hal_now_ns(struct hal *h)
{
	(void)h;
	volatile struct hal_rv_ctrl *c = HAL_RV_CTRL;
	uint32_t hi, lo;

	/* The classic hi/lo/hi read: retry if the low word wrapped in between. */
	do {
		hi = c->time_hi;
		lo = c->time_lo;
	} while (hi != c->time_hi);
	return (uint64_t)hi << 32 | lo;
}

/* The window's words are the doorbells here. */
const uint32_t *hal_txq_doorbells(struct hal *h)
{
	(void)h;
	return 0;
}

void hal_cls_write(struct hal *h, uint32_t idx, const struct snic_rule *rule)
{
	(void)h;
	volatile struct hal_rv_cls *p = HAL_RV_CLS;
	_Static_assert(sizeof(*rule) == sizeof(p->rule), "staged rule size");
	copy_words_out(p->rule, rule, sizeof(*rule));
	p->idx = idx;
	p->cmd = HAL_RV_CLS_WRITE;
}

void hal_rss_write(struct hal *h, const struct snic_rss_cfg *cfg)
{
	(void)h;
	volatile struct hal_rv_cls *p = HAL_RV_CLS;
	struct snic_rss_cfg off = {{0}, 0, {0}};
	_Static_assert(sizeof(*cfg) <= sizeof(p->rule), "staged RSS config size");
	copy_words_out(p->rule, cfg ? cfg : &off, sizeof(*cfg));
	p->cmd = HAL_RV_CLS_RSS;
}

void hal_cls_clear(struct hal *h, uint32_t idx)
{
	(void)h;
	volatile struct hal_rv_cls *p = HAL_RV_CLS;
	p->idx = idx;
	p->cmd = HAL_RV_CLS_CLEAR;
}

void hal_exact_write(struct hal *h, uint32_t slot, uint64_t xkey, const struct snic_action *a)
{
	(void)h;
	volatile struct hal_rv_cls *p = HAL_RV_CLS;
	_Static_assert(sizeof(*a) == sizeof(p->xaction), "staged action size");
	p->xkey_lo = (uint32_t)xkey;
	p->xkey_hi = (uint32_t)(xkey >> 32);
	copy_words_out(p->xaction, a, sizeof(*a));
	p->idx = slot;
	p->cmd = HAL_RV_CLS_XWRITE;
}

void hal_exact_clear(struct hal *h, uint32_t slot)
{
	(void)h;
	volatile struct hal_rv_cls *p = HAL_RV_CLS;
	p->idx = slot;
	p->cmd = HAL_RV_CLS_XCLEAR;
}

uint64_t hal_cls_hits(struct hal *h, uint32_t idx)
{
	(void)h;
	volatile struct hal_rv_cls *p = HAL_RV_CLS;
	p->idx = idx;
	p->cmd = HAL_RV_CLS_HITS;
	uint32_t lo = p->hits_lo;
	return (uint64_t)p->hits_hi << 32 | lo;
}

int hal_rx_next(struct hal *h, struct hal_rx_pkt *p)
{
	volatile struct hal_rv_rxq *q = HAL_RV_RXQ;
	uint32_t entries = q->entries;
	uint32_t avail = q->prod - h->rx_taken;

	/* Zero, a non-power-of-two ring or more entries than the ring holds
	 * means the port is not (or no longer) sane: take nothing. */
	if (avail == 0 || entries == 0 || (entries & (entries - 1)) || avail > entries)
		return 0;
	__atomic_thread_fence(__ATOMIC_ACQUIRE); /* entry contents after prod */
	uint32_t slot = h->rx_taken & (entries - 1);
	const volatile struct hal_rv_rx_entry *e =
		(const volatile struct hal_rv_rx_entry *)(uintptr_t)q->ring_addr + slot;
	p->data = (const uint8_t *)(uintptr_t)e->addr;
	p->len = e->len;
	p->port = e->port;
	p->time_ns = (uint64_t)e->time_hi << 32 | e->time_lo;
	copy_words_in(&p->match, (const volatile uint32_t *)&e->match, sizeof(p->match));
	p->handle = h->rx_taken;
	h->rx_taken++;
	return 1;
}

void hal_rx_done(struct hal *h, const struct hal_rx_pkt *p, int drop_reason)
{
	(void)h;
	volatile struct hal_rv_rxq *q = HAL_RV_RXQ;
	uint32_t entries = q->entries;

	if (entries == 0 || (entries & (entries - 1)))
		return;
	volatile struct hal_rv_rx_entry *e =
		(volatile struct hal_rv_rx_entry *)(uintptr_t)q->ring_addr +
		(p->handle & (entries - 1));
	e->verdict = drop_reason;
	__atomic_thread_fence(__ATOMIC_RELEASE); /* verdict before the buffer returns */
	/* The firmware finishes frames in the order it took them. */
	q->cons = p->handle + 1;
}

unsigned hal_rx_burst(struct hal *h, struct hal_rx_pkt *p, unsigned max)
{
	unsigned n = 0;
	while (n < max && hal_rx_next(h, &p[n]))
		n++;
	return n;
}

/* Every verdict of the burst, then one release of all its entries. */
void hal_rx_done_burst(struct hal *h, const struct hal_rx_pkt *p, const int8_t *verdict, unsigned n)
{
	(void)h;
	volatile struct hal_rv_rxq *q = HAL_RV_RXQ;
	uint32_t entries = q->entries;

	if (!n || entries == 0 || (entries & (entries - 1)))
		return;
	volatile struct hal_rv_rx_entry *ring =
		(volatile struct hal_rv_rx_entry *)(uintptr_t)q->ring_addr;
	for (unsigned i = 0; i < n; i++)
		ring[p[i].handle & (entries - 1)].verdict = verdict[i];
	__atomic_thread_fence(__ATOMIC_RELEASE);
	q->cons = p[n - 1].handle + 1;
}

/* Without an engine: words while both sides are aligned, then bytes. */
typedef uint32_t __attribute__((may_alias)) hal_word;
static void copy_by_core(uint8_t *d, const uint8_t *s, uint32_t len)
{
	if ((((uintptr_t)d | (uintptr_t)s) & 3) == 0) {
		for (; len >= 4; len -= 4, d += 4, s += 4)
			*(hal_word *)(void *)d = *(const hal_word *)(const void *)s;
	}
	while (len--)
		*d++ = *s++;
}

static void dma_copy(void *dst, const void *src, uint32_t len)
{
	volatile struct hal_rv_dma *e = HAL_RV_DMA;

	if (e->id != HAL_RV_DMA_ID) {
		copy_by_core(dst, src, len);
		return;
	}
	e->src = (uint32_t)(uintptr_t)src;
	e->dst = (uint32_t)(uintptr_t)dst;
	e->len = len;
	__atomic_thread_fence(__ATOMIC_RELEASE); /* the core's stores to src first */
	e->cmd = HAL_RV_DMA_COPY;
}

void hal_dma_to_host(struct hal *h, uint32_t win_off, const void *src, uint32_t len)
{
	dma_copy(hal_window(h) + win_off, src, len);
}

void hal_dma_from_host(struct hal *h, void *dst, uint32_t win_off, uint32_t len)
{
	dma_copy(dst, hal_window(h) + win_off, len);
}

/* The receive queue engine has no port in this core's register map yet
 * (hal_riscv_regs.h): the core runs the engine's behaviour itself
 * (rxq_engine.h), as it copies frames itself when no DMA engine is fitted. */
int hal_rxq_put(struct hal *h, struct hal_rxq *q, const struct hal_rx_pkt *p,
		const uint32_t cpl_words[3],
		uint8_t color)
{
	(void)h;
	return rxq_engine_put(h, q, p, cpl_words, color);
}

int hal_tx(struct hal *h, uint8_t port, const uint8_t *data, uint32_t len)
{
	(void)h;
	volatile struct hal_rv_tx *t = HAL_RV_TX;

	if (t->busy)
		return -1;
	if (len > t->buf_size)
		return -1;
	dma_copy((void *)(uintptr_t)t->buf_addr, data, len);
	t->len = len;
	t->port = port;
	__atomic_thread_fence(__ATOMIC_RELEASE); /* frame bytes before the doorbell */
	t->doorbell = 1;
	return 0;
}

void hal_port_enable(struct hal *h, uint8_t port, int up)
{
	(void)h;
	volatile struct hal_rv_ctrl *c = HAL_RV_CTRL;
	if (port >= SNIC_MAX_UPLINKS)
		return;
	uint32_t bit = 1u << port;
	c->port_enable = up ? (c->port_enable | bit) : (c->port_enable & ~bit);
}

int hal_port_carrier(struct hal *h, uint8_t port)
{
	(void)h;
	if (port >= SNIC_MAX_UPLINKS)
		return 0;
	return (HAL_RV_CTRL->port_carrier >> port) & 1;
}

void hal_irq(struct hal *h, uint16_t vector)
{
	(void)h;
	HAL_RV_CTRL->irq = vector;
}
