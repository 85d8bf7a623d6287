/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hal_fake.h"
#include "hal/rxq_engine.h"
#include "hal/rx_burst.h"
#include "profile.h"
#include "rss.h" /* classifier/rss.h: the engine's hash */

struct fake_hal fake;

int fake_setup(const char *profile, uint32_t win_size)
{
	struct sim_profile prof;

	fake_teardown();
	memset(&fake, 0, sizeof(fake));
	/* The same cards the simulator models (sim/profile.c). */
	if (sim_profile_get(profile, &prof) < 0)
		return -1;
	fake.hw = prof.hw;
	fake.hw.cls_latency = FAKE_CLS_LATENCY;
	fake.win = calloc(1, win_size);
	fake.win_size = win_size;
	fake.rx = calloc(FAKE_RXQ, sizeof(*fake.rx));
	fake.tx = calloc(FAKE_TX, sizeof(*fake.tx));
	fake.now_ns = 1000;
	fake.last_reason = -100;
	if (!fake.win || !fake.rx || !fake.tx)
		abort();
	return 0;
}

void fake_teardown(void)
{
	free(fake.win);
	free(fake.rx);
	free(fake.tx);
	fake.win = NULL;
	fake.rx = NULL;
	fake.tx = NULL;
}

void fake_rx_push(const uint8_t *frame, uint32_t len, uint8_t port,
		  const struct snic_match *m)
{
	if (fake.rx_count == FAKE_RXQ || len > FAKE_FRAME)
		abort();
	struct fake_rx *r = &fake.rx[(fake.rx_head + fake.rx_count) % FAKE_RXQ];
	memcpy(r->data, frame, len);
	r->len = len;
	r->port = port;
	r->time_ns = fake.now_ns;
	r->match = *m;
	fake.rx_count++;
}

static void lookup_tables(const struct snic_key *key, struct snic_match *out);

/* The engine: the tables' result, then the RSS hash of the same key. */
void fake_lookup(const struct snic_key *key, struct snic_match *out)
{
	lookup_tables(key, out);
	snic_rss_apply(fake.rss_on ? &fake.rss : NULL, key, out);
}

static void lookup_tables(const struct snic_key *key, struct snic_match *out)
{
	const uint8_t *k = (const uint8_t *)key;

	memset(out, 0, sizeof(*out));
	out->rule = SNIC_RULE_MISS;
	out->key_flags = key->flags;
	out->action.vnic = SNIC_VNIC_NONE;
	for (unsigned i = 0; i < fake.hw.tcam_entries && i < FAKE_TCAM; i++) {
		if (!fake.valid[i])
			continue;
		const uint8_t *v = (const uint8_t *)&fake.tcam[i].value;
		const uint8_t *m = (const uint8_t *)&fake.tcam[i].mask;
		unsigned b;
		for (b = 0; b < SNIC_KEY_BYTES; b++)
			if ((k[b] & m[b]) != (v[b] & m[b]))
				break;
		if (b == SNIC_KEY_BYTES) {
			out->rule = (uint16_t)i;
			out->action = fake.tcam[i].action;
			fake.hits[i]++;
			return;
		}
	}
	/* Ternary miss: the reference exact-match lookup decides. */
	struct snic_exact x = { fake.hw.exact_entries / (SNIC_EXACT_WAYS * SNIC_EXACT_SLOTS),
				fake.xslot };
	uint32_t slot;
	if (snic_exact_lookup(&x, snic_exact_key(key), &slot)) {
		out->rule = (uint16_t)(SNIC_RULE_EXACT + slot);
		out->action = fake.xslot[slot].action;
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

void hal_hw_info(struct hal_hw_info *out)
{
	*out = fake.hw;
}

uint8_t *hal_window(void)
{
	return fake.win;
}

uint32_t hal_window_size(void)
{
	return fake.win_size;
}

uint64_t hal_now_ns(void)
{
	return fake.now_ns;
}

void hal_cls_write(uint32_t idx, const struct snic_rule *rule)
{
	if (idx >= FAKE_TCAM || idx >= fake.hw.tcam_entries)
		abort(); /* the firmware must never address past the table */
	fake.tcam[idx] = *rule;
	fake.valid[idx] = 1;
	fake.hits[idx] = 0;
	fake.cls_writes++;
}

void hal_cls_clear(uint32_t idx)
{
	if (idx >= FAKE_TCAM || idx >= fake.hw.tcam_entries)
		abort();
	memset(&fake.tcam[idx], 0, sizeof(fake.tcam[idx]));
	fake.valid[idx] = 0;
	fake.hits[idx] = 0;
	fake.cls_clears++;
}

void hal_exact_write(uint32_t slot, uint64_t xkey, const struct snic_action *a)
{
	struct snic_exact_slot x;
	if (slot >= FAKE_EXACT || slot >= fake.hw.exact_entries)
		abort(); /* the firmware must never address past the table */
	memset(&x, 0, sizeof(x)); /* padding too: snapshots compare bytes */
	x.key = xkey;
	x.action = *a;
	x.valid = 1;
	struct snic_exact_slot old = fake.xslot[slot];
	memcpy(&fake.xslot[slot], &x, sizeof(x));
	fake.x_writes++;
	if (fake.x_hook)
		fake.x_hook(slot, &old);
}

void hal_rss_write(const struct snic_rss_cfg *cfg)
{
	fake.rss_on = cfg != NULL;
	if (cfg)
		fake.rss = *cfg;
	fake.rss_writes++;
}

void hal_exact_clear(uint32_t slot)
{
	if (slot >= FAKE_EXACT || slot >= fake.hw.exact_entries)
		abort();
	struct snic_exact_slot old = fake.xslot[slot];
	memset(&fake.xslot[slot], 0, sizeof(fake.xslot[slot]));
	fake.x_clears++;
	if (fake.x_hook)
		fake.x_hook(slot, &old);
}

uint64_t hal_cls_hits(uint32_t idx)
{
	return idx < FAKE_TCAM ? fake.hits[idx] : 0;
}

int hal_rx_next(struct hal_rx_pkt *p)
{
	if (!fake.rx_count)
		return 0;
	struct fake_rx *r = &fake.rx[fake.rx_head];
	p->data = r->data;
	p->len = r->len;
	p->port = r->port;
	p->time_ns = r->time_ns;
	p->match = r->match;
	p->handle = fake.rx_head;
	fake.rx_head = (fake.rx_head + 1) % FAKE_RXQ;
	fake.rx_count--;
	return 1;
}

void hal_rx_done(const struct hal_rx_pkt *p, int drop_reason)
{
	(void)p;
	fake.rx_done++;
	fake.last_reason = drop_reason;
	if (drop_reason == HAL_DELIVERED)
		fake.delivered++;
	else if (drop_reason >= 0 && drop_reason < SNIC_DROP_REASONS)
		fake.drops[drop_reason]++;
	else
		abort();
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

/* The firmware checks every host address against the DMA region before a
 * transfer: one that leaves the window is a firmware bug. */
static void dma_check(uint32_t win_off, uint32_t len)
{
	if (win_off > fake.win_size || len > fake.win_size - win_off)
		abort();
	fake.dma_ops++;
	fake.dma_bytes += len;
}

/* The receive queue engine: the hardware's model (rxq_engine.h), whose
 * transfers go through this fake's hal_dma_to_host. */
int hal_rxq_put(struct hal_rxq *q, const struct hal_rx_pkt *p, const uint32_t cpl_words[3],
		uint8_t color)
{
	return rxq_engine_put(q, p, cpl_words, color);
}

void hal_dma_to_host(uint32_t win_off, const void *src, uint32_t len)
{
	dma_check(win_off, len);
	memcpy(fake.win + win_off, src, len);
}

void hal_dma_from_host(void *dst, uint32_t win_off, uint32_t len)
{
	dma_check(win_off, len);
	memcpy(dst, fake.win + win_off, len);
}

int hal_tx(uint8_t port, const uint8_t *data, uint32_t len)
{
	if (fake.tx_busy || (port < SNIC_MAX_UPLINKS && fake.tx_refuse[port]))
		return -1;
	if (len > FAKE_FRAME)
		abort();
	/* Every frame is counted; the first FAKE_TX are kept for inspection. */
	if (fake.n_tx < FAKE_TX) {
		struct fake_tx *t = &fake.tx[fake.n_tx];
		t->port = port;
		t->len = len;
		memcpy(t->data, data, len);
	}
	fake.n_tx++;
	return 0;
}

void hal_port_enable(uint8_t port, int up)
{
	if (port >= SNIC_MAX_UPLINKS)
		abort();
	fake.port_enabled[port] = up;
	fake.port_calls++;
}

int hal_port_carrier(uint8_t port)
{
	return port < fake.hw.n_uplinks && !fake.no_carrier[port];
}

void hal_irq(uint16_t vector)
{
	if (fake.n_irq < FAKE_IRQ)
		fake.irq[fake.n_irq] = vector;
	fake.n_irq++;
}
