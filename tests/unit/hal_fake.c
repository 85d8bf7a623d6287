/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hal_fake.h"
#include "fw.h"
#include "hal/rxq_engine.h"
#include "hal/rx_burst.h"
#include "profile.h"
#include "rss.h" /* classifier/rss.h: the engine's hash */

/* The fake devices, one per firmware instance a test runs; `fake` is the
 * one the helpers below act on (the HAL calls use their own context). */
static struct hal fake_dev[FAKE_DEVS];
struct hal *fake = &fake_dev[0];

void fake_use(unsigned i)
{
	if (i >= FAKE_DEVS)
		abort();
	fake = &fake_dev[i];
}

int fake_setup(const char *profile, uint32_t win_size)
{
	struct sim_profile prof;

	fake_teardown();
	memset(fake, 0, sizeof(*fake));
	/* The same cards the simulator models (sim/profile.c). */
	if (sim_profile_get(profile, &prof) < 0)
		return -1;
	fake->hw = prof.hw;
	fake->hw.cls_latency = FAKE_CLS_LATENCY;
	fake->win = calloc(1, win_size);
	fake->win_size = win_size;
	fake->rx = calloc(FAKE_RXQ, sizeof(*fake->rx));
	fake->tx = calloc(FAKE_TX, sizeof(*fake->tx));
	fake->tables = aligned_alloc(FW_STORAGE_ALIGN, FW_TABLE_BYTES);
	fake->now_ns = 1000;
	fake->last_reason = -100;
	if (!fake->win || !fake->rx || !fake->tx || !fake->tables)
		abort();
	return 0;
}

void fake_teardown(void)
{
	free(fake->win);
	free(fake->rx);
	free(fake->tx);
	free(fake->tables);
	fake->tables = NULL;
	fake->win = NULL;
	fake->rx = NULL;
	fake->tx = NULL;
}

void fake_rx_push(const uint8_t *frame, uint32_t len, uint8_t port,
		  const struct snic_match *m)
{
	if (fake->rx_count == FAKE_RXQ || len > FAKE_FRAME)
		abort();
	struct fake_rx *r = &fake->rx[(fake->rx_head + fake->rx_count) % FAKE_RXQ];
	memcpy(r->data, frame, len);
	r->len = len;
	r->port = port;
	r->time_ns = fake->now_ns;
	r->match = *m;
	fake->rx_count++;
}

static void lookup_tables(const struct snic_key *key, struct snic_match *out);

/* The engine: the tables' result, then the RSS hash of the same key. */
void fake_lookup(const struct snic_key *key, struct snic_match *out)
{
	lookup_tables(key, out);
	snic_rss_apply(fake->rss_on ? &fake->rss : NULL, key, out);
}

static void lookup_tables(const struct snic_key *key, struct snic_match *out)
{
	const uint8_t *k = (const uint8_t *)key;

	memset(out, 0, sizeof(*out));
	out->rule = SNIC_RULE_MISS;
	out->key_flags = key->flags;
	out->action.vnic = SNIC_VNIC_NONE;
	for (unsigned i = 0; i < fake->hw.tcam_entries && i < FAKE_TCAM; i++) {
		if (!fake->valid[i])
			continue;
		const uint8_t *v = (const uint8_t *)&fake->tcam[i].value;
		const uint8_t *m = (const uint8_t *)&fake->tcam[i].mask;
		unsigned b;
		for (b = 0; b < SNIC_KEY_BYTES; b++)
			if ((k[b] & m[b]) != (v[b] & m[b]))
				break;
		if (b == SNIC_KEY_BYTES) {
			out->rule = (uint16_t)i;
			out->action = fake->tcam[i].action;
			fake->hits[i]++;
			return;
		}
	}
	/* Ternary miss: the reference exact-match lookup decides. */
	struct snic_exact x = { fake->hw.exact_entries / (SNIC_EXACT_WAYS * SNIC_EXACT_SLOTS),
				fake->xslot };
	uint32_t slot;
	if (snic_exact_lookup(&x, snic_exact_key(key), &slot)) {
		out->rule = (uint16_t)(SNIC_RULE_EXACT + slot);
		out->action = fake->xslot[slot].action;
	}
}

void fake_rx_push_key(const uint8_t *frame, uint32_t len, uint8_t port,
		      const struct snic_key *key)
{
	struct snic_match m;
	fake_lookup(key, &m);
	fake_rx_push(frame, len, port, &m);
}

/* ---- the HAL ---- */

void hal_hw_info(struct hal *h, struct hal_hw_info *out)
{
	*out = h->hw;
}

uint8_t *hal_window(struct hal *h)
{
	return h->win;
}

uint32_t hal_window_size(struct hal *h)
{
	return h->win_size;
}

uint64_t hal_now_ns(struct hal *h)
{
	return h->now_ns;
}

void *hal_table_mem(struct hal *h, uint32_t *size)
{
	*size = h->tables ? FW_TABLE_BYTES : 0;
	return h->tables;
}

const uint32_t *hal_txq_doorbells(struct hal *h)
{
	(void)h;
	return NULL;
}

void hal_cls_write(struct hal *h, uint32_t idx, const struct snic_rule *rule)
{
	if (idx >= FAKE_TCAM || idx >= h->hw.tcam_entries)
		abort(); /* the firmware must never address past the table */
	h->tcam[idx] = *rule;
	h->valid[idx] = 1;
	h->hits[idx] = 0;
	h->cls_writes++;
}

void hal_cls_clear(struct hal *h, uint32_t idx)
{
	if (idx >= FAKE_TCAM || idx >= h->hw.tcam_entries)
		abort();
	memset(&h->tcam[idx], 0, sizeof(h->tcam[idx]));
	h->valid[idx] = 0;
	h->hits[idx] = 0;
	h->cls_clears++;
}

void hal_exact_write(struct hal *h, uint32_t slot, uint64_t xkey, const struct snic_action *a)
{
	struct snic_exact_slot x;
	if (slot >= FAKE_EXACT || slot >= h->hw.exact_entries)
		abort(); /* the firmware must never address past the table */
	memset(&x, 0, sizeof(x)); /* padding too: snapshots compare bytes */
	x.key = xkey;
	x.action = *a;
	x.valid = 1;
	struct snic_exact_slot old = h->xslot[slot];
	memcpy(&h->xslot[slot], &x, sizeof(x));
	h->x_writes++;
	if (h->x_hook)
		h->x_hook(slot, &old);
}

void hal_rss_write(struct hal *h, const struct snic_rss_cfg *cfg)
{
	h->rss_on = cfg != NULL;
	if (cfg)
		h->rss = *cfg;
	h->rss_writes++;
}

void hal_exact_clear(struct hal *h, uint32_t slot)
{
	if (slot >= FAKE_EXACT || slot >= h->hw.exact_entries)
		abort();
	struct snic_exact_slot old = h->xslot[slot];
	memset(&h->xslot[slot], 0, sizeof(h->xslot[slot]));
	h->x_clears++;
	if (h->x_hook)
		h->x_hook(slot, &old);
}

uint64_t hal_cls_hits(struct hal *h, uint32_t idx)
{
	return idx < FAKE_TCAM ? h->hits[idx] : 0;
}

int hal_rx_next(struct hal *h, struct hal_rx_pkt *p)
{
	if (!h->rx_count)
		return 0;
	struct fake_rx *r = &h->rx[h->rx_head];
	p->data = r->data;
	p->len = r->len;
	p->port = r->port;
	p->time_ns = r->time_ns;
	p->match = r->match;
	p->handle = h->rx_head;
	h->rx_head = (h->rx_head + 1) % FAKE_RXQ;
	h->rx_count--;
	return 1;
}

void hal_rx_done(struct hal *h, const struct hal_rx_pkt *p, int drop_reason)
{
	(void)p;
	h->rx_done++;
	h->last_reason = drop_reason;
	if (drop_reason == HAL_DELIVERED)
		h->delivered++;
	else if (drop_reason >= 0 && drop_reason < SNIC_DROP_REASONS)
		h->drops[drop_reason]++;
	else
		abort();
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

/* The firmware checks every host address against the DMA region before a
 * transfer: one that leaves the window is a firmware bug. */
static void dma_check(struct hal *h, uint32_t win_off, uint32_t len)
{
	if (win_off > h->win_size || len > h->win_size - win_off)
		abort();
	h->dma_ops++;
	h->dma_bytes += len;
}

/* The receive queue engine: the hardware's model (rxq_engine.h), whose
 * transfers go through this fake's hal_dma_to_host. */
int hal_rxq_put(struct hal *h, struct hal_rxq *q, const struct hal_rx_pkt *p,
		const uint32_t cpl_words[3], uint8_t color)
{
	return rxq_engine_put(h, q, p, cpl_words, color);
}

void hal_dma_to_host(struct hal *h, uint32_t win_off, const void *src, uint32_t len)
{
	dma_check(h, win_off, len);
	memcpy(h->win + win_off, src, len);
}

void hal_dma_from_host(struct hal *h, void *dst, uint32_t win_off, uint32_t len)
{
	dma_check(h, win_off, len);
	memcpy(dst, h->win + win_off, len);
}

int hal_tx(struct hal *h, uint8_t port, const uint8_t *data, uint32_t len)
{
	if (h->tx_busy || (port < SNIC_MAX_UPLINKS && h->tx_refuse[port]))
		return -1;
	if (len > FAKE_FRAME)
		abort();
	/* Every frame is counted; the first FAKE_TX are kept for inspection. */
	if (h->n_tx < FAKE_TX) {
		struct fake_tx *t = &h->tx[h->n_tx];
		t->port = port;
		t->len = len;
		memcpy(t->data, data, len);
	}
	h->n_tx++;
	return 0;
}

void hal_port_enable(struct hal *h, uint8_t port, int up)
{
	if (port >= SNIC_MAX_UPLINKS)
		abort();
	h->port_enabled[port] = up;
	h->port_calls++;
}

int hal_port_carrier(struct hal *h, uint8_t port)
{
	return port < h->hw.n_uplinks && !h->no_carrier[port];
}

void hal_irq(struct hal *h, uint16_t vector)
{
	if (h->n_irq < FAKE_IRQ)
		h->irq[h->n_irq] = vector;
	h->n_irq++;
}
