/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "classifier.h"
#include "fw.h"
#include "test_fw_util.h"
#include "isolation_rig.h"

/* The firmware's main loop, as the core runs it (the only firmware call
 * besides boot(); everything else goes through the window). */
static void run_fw(void)
{
	fw_poll(tfw);
}

void iso_rig_step(struct iso_rig *g)
{
	(void)g;
	run_fw();
}

void iso_rig_count_drops(struct iso_rig *g)
{
	const struct snic_blk_stats *s = stats();
	for (unsigned r = 0; r < SNIC_DROP_REASONS; r++) {
		g->n.drops[r] += s->drops[r] - g->drops_base[r];
		g->drops_base[r] = s->drops[r];
	}
	for (unsigned r = 0; r < g->n_rx; r++) {
		uint64_t d = g->rq[r]->drop_full + g->rq[r]->drop_badbuf;
		g->n.ring_drops += d - g->ring_drops_base[r];
		g->ring_drops_base[r] = d;
	}
}

/* Every RX descriptor posted, each with its own buffer (descriptor d uses
 * buffer d % size: a buffer is posted again only after its completion was
 * read). */
static void restock(struct iso_rig *g)
{
	for (unsigned r = 0; r < g->n_rx; r++) {
		struct snic_rxq *q = g->rq[r];
		struct snic_rx_desc *d = win_at(q->desc_off);
		while (q->desc_prod - q->desc_cons < g->rx_size) {
			unsigned slot = q->desc_prod % g->rx_size;
			d[slot].addr = g->rxbuf + ((uint64_t)r * g->rx_size + slot) * ISO_BUF;
			d[slot].len = ISO_BUF;
			d[slot].rsvd = 0;
			q->desc_prod++;
		}
	}
}

void iso_rig_boot(struct iso_rig *g, const char *profile)
{
	if (g->profile)
		iso_rig_count_drops(g);
	boot(profile);
	g->profile = profile;
	g->n.boots++;
	g->n_rx = fake->hw.n_rx_rings < ISO_RINGS ? fake->hw.n_rx_rings : ISO_RINGS;
	g->n_tx = fake->hw.n_tx_rings < ISO_RINGS ? fake->hw.n_tx_rings : ISO_RINGS;
	g->rx_size = rxq(0)->size;
	g->tx_size = txq(0)->size;
	for (unsigned r = 0; r < g->n_rx; r++)
		g->rq[r] = rxq(r);
	for (unsigned r = 0; r < g->n_tx; r++)
		g->tq[r] = txq(r);
	g->rxbuf = dma_alloc(g->n_rx * g->rx_size * ISO_BUF);
	g->txbuf = dma_alloc(g->n_tx * g->tx_size * ISO_BUF);
	memset(g->drops_base, 0, sizeof(g->drops_base));
	memset(g->ring_drops_base, 0, sizeof(g->ring_drops_base));
	memset(g->hist, 0, sizeof(g->hist));
	memset(g->txp, 0, sizeof(g->txp));
	g->batch_from = 0;
	iso_model_reset(&g->m, fake->hw.n_uplinks, fake->hw.max_vnics);
	restock(g);
}

/* Every violation is counted (the test fails at its end, with the
 * figures); the first is printed in full, to be replayed. */
static void violation(struct iso_rig *g, const char *why, const uint8_t *f, uint32_t len,
		      const char *what)
{
	if (!g->report || g->n.rx_violations + g->n.tx_violations != 1)
		return;
	printf("# ISOLATION VIOLATION: %s\n# %s\n", why, what);
	if (g->replay)
		printf("# replay: SNIC_ISO_SEED=%llu SNIC_ISO_FRAMES=%llu SNIC_ISO_RACES=%u "
		       "(profile %s)\n", (unsigned long long)g->seed,
		       (unsigned long long)g->n.frames, g->races, g->profile);
	iso_dump_model(stdout, &g->m);
	iso_dump_frame(stdout, f, len);
	fflush(stdout);
}

/* The frame as delivered: as it arrived, or, to a VNIC behind an
 * operator port VLAN, without that tag (the outer or, stacked, the inner). */
static int same_bytes(const struct iso_vnic *v, const struct iso_hist *h, const uint8_t *buf,
		      uint32_t len)
{
	if (len == h->len && !memcmp(buf, h->f, len))
		return 1;
	if (!(v->pvlan || h->e.racing) || len + 4 != h->len || memcmp(buf, h->f, 12))
		return 0;
	for (uint32_t at = 12; at <= 16; at += 4)
		if (!memcmp(buf + 12, h->f + 12, at - 12) &&
		    !memcmp(buf + at, h->f + at + 4, len - at))
			return 1;
	return 0;
}

static void check_cpl(struct iso_rig *g, unsigned ring, const struct snic_rx_cpl *c)
{
	struct iso_hist *h = &g->hist[c->time_ns / 1000 % ISO_HIST];
	char what[400];
	if (h->t != c->time_ns || !h->t)
		fail_msg("ring %u: a completion for no frame the test sent (time %llu)", ring,
			 (unsigned long long)c->time_ns);
	h->copies++;
	g->n.copies++;
	if (c->vnic < ISO_VNICS) {
		g->n.duplicates += h->got[c->vnic / 8] >> (c->vnic % 8) & 1;
		h->got[c->vnic / 8] |= (uint8_t)(1u << (c->vnic % 8));
	}
	snprintf(what, sizeof(what),
		 "completion on RX ring %u: vnic %u flags 0x%x rule 0x%x port %u%s%s", ring,
		 c->vnic, c->flags, c->rule, c->port,
		 h->e.racing ? "; classified before the firmware applied: " : "",
		 h->e.racing ? g->race : "");
	const char *why = iso_check_rx(&g->m, &h->e, ring, c->vnic);
	/* The bytes too: a completion must carry its own frame. */
	const uint8_t *buf = win_at(g->rxbuf + ((uint64_t)ring * g->rx_size +
						c->desc % g->rx_size) * ISO_BUF);
	if (!why && (c->port != h->port || !same_bytes(&g->m.v[c->vnic], h, buf, c->len)))
		why = "a completion carries bytes or a port other than its frame's";
	if (!why) {
		const struct iso_vnic *v = &g->m.v[c->vnic];
		g->n.by_kind[h->e.kind]++;
		g->n.to_shared += ring == 0;
		g->n.to_rss += ring && ring != v->rx_ring;
		g->n.to_pvlan += v->pvlan;
		g->n.to_bond += !!(v->uplink & SNIC_UPLINK_BOND);
		g->n.qinq_hits += h->e.kind == ISO_K_MAC && h->len >= 18 &&
				  (h->f[16] == 0x81 || h->f[16] == 0x88);
	}
	if (why) {
		g->n.rx_violations++;
		if (h->e.racing)
			/* a TX race reuses an id too: its RX side is REUSE's */
			g->n.race_violations[g->race_kind == ISO_RACE_TX ? ISO_RACE_REUSE
									 : g->race_kind]++;
		violation(g, why, h->f, h->len, what);
	}
}

static void drain_rx(struct iso_rig *g)
{
	for (unsigned r = 0; r < g->n_rx; r++) {
		struct snic_rxq *q = g->rq[r];
		const struct snic_rx_cpl *cpl = win_at(q->cpl_off);
		while (q->cpl_cons != q->cpl_prod) {
			struct snic_rx_cpl c = cpl[q->cpl_cons % g->rx_size];
			check_cpl(g, r, &c);
			q->cpl_cons++;
		}
	}
}

/* The VNIC that owns dedicated TX ring `ring` now, ISO_VNICS if none. */
static int tx_owner(const struct iso_model *m, unsigned ring)
{
	for (unsigned i = 0; i < m->max_vnics; i++)
		if (m->v[i].live && iso_tx_ring_of(&m->v[i], ring))
			return (int)i;
	return ISO_VNICS;
}

/* Who sent a frame: found by the sequence number the test put in its
 * last four bytes; anything else the device made itself. *stale: the
 * VNIC on its ring now is not the creation that queued it. */
static int tx_sender(struct iso_rig *g, const struct fake_tx *t, int *stale)
{
	*stale = 0;
	if (t->len < 18)
		return ISO_TX_DEVICE;
	const uint8_t *e = t->data + t->len - 4;
	uint32_t seq = (uint32_t)e[0] << 24 | e[1] << 16 | e[2] << 8 | e[3];
	if ((seq & 0xff000000u) != ISO_TX_MAGIC)
		return ISO_TX_DEVICE;
	struct iso_txp *p = &g->txp[seq % ISO_TXP];
	if (!p->live || p->seq != seq)
		return ISO_TX_DEVICE;
	p->live = 0;
	if (!p->ring)
		return ISO_TX_SHARED;
	int owner = tx_owner(&g->m, p->ring);
	*stale = owner < ISO_VNICS && g->m.v[owner].gen != p->gen;
	return owner;
}

static void check_tx(struct iso_rig *g)
{
	if (fake->n_tx > FAKE_TX)
		fail_msg("%u frames sent in one poll: the fake kept only %u", fake->n_tx, FAKE_TX);
	for (unsigned i = 0; i < fake->n_tx; i++) {
		const struct fake_tx *t = &fake->tx[i];
		int stale, sender = tx_sender(g, t, &stale);
		char what[320];
		g->n.tx_sent++;
		g->n.tx_device += sender == ISO_TX_DEVICE;
		if (sender >= 0 && sender < ISO_VNICS) {
			g->n.tx_pvlan += g->m.v[sender].pvlan;
			g->n.tx_bond += !!(g->m.v[sender].uplink & SNIC_UPLINK_BOND);
		}
		const char *why = stale ? "a frame queued by a destroyed VNIC left in the name of "
					  "the VNIC that took its TX ring"
					: iso_check_tx(&g->m, sender, t->port, t->data, t->len);
		g->n.race_violations[ISO_RACE_TX] += stale;
		if (why) {
			snprintf(what, sizeof(what), "sent on uplink %u by %s %d%s%s", t->port,
				 sender >= 0 ? "vnic" : "ring kind", sender,
				 stale ? "; queued before the firmware applied: " : "",
				 stale ? g->race : "");
			g->n.tx_violations++;
			violation(g, why, t->data, t->len, what);
		}
	}
	fake->n_tx = 0;
}

/* Copies of the last batch's frames the oracle allowed and nobody got: not
 * an isolation violation, but the property test demands none while no
 * ring overflowed (the oracle is exact, not only an upper bound). */
static void count_missing(struct iso_rig *g, uint64_t from, uint64_t to)
{
	for (uint64_t t = from; t < to; t += 1000) {
		const struct iso_hist *h = &g->hist[t / 1000 % ISO_HIST];
		if (h->t != t)
			continue;
		g->n.delivered += h->copies != 0;
		if (h->e.racing)
			continue; /* allowed by either configuration: an upper bound */
		for (unsigned b = 0; b < sizeof(h->e.allowed); b++)
			g->n.missing[h->e.kind] += (unsigned)__builtin_popcount(h->e.allowed[b] &
										 ~h->got[b]);
	}
}

void iso_rig_poll(struct iso_rig *g)
{
	do {
		run_fw();
		check_tx(g);
	} while (fake->rx_count);
	drain_rx(g);
	restock(g);
	if (g->batch_from)
		count_missing(g, g->batch_from, fake->now_ns + 1);
	g->batch_from = 0;
}

void iso_rig_flush_tx(struct iso_rig *g)
{
	for (int i = 0; i < 8; i++) {
		int pending = 0;
		for (unsigned r = 0; r < g->n_tx; r++)
			pending |= g->tq[r]->desc_prod != g->tq[r]->desc_cons;
		if (!pending)
			return;
		iso_rig_poll(g);
	}
}

void iso_rig_rx(struct iso_rig *g, const uint8_t *f, uint32_t len, uint8_t port)
{
	struct snic_key key;
	fake->now_ns += 1000; /* the frame's arrival time: its name */
	struct iso_hist *h = &g->hist[fake->now_ns / 1000 % ISO_HIST];
	h->t = fake->now_ns;
	h->len = len;
	h->port = port;
	h->copies = 0;
	memset(h->got, 0, sizeof(h->got));
	memcpy(h->f, f, len);
	if (!g->batch_from)
		g->batch_from = h->t;
	/* The engine's parser makes the key (stacked and 802.1ad tags, cut
	 * headers), its tables the match. */
	snic_parse(f, len, len, port, &key);
	iso_expect_rx(&g->m, f, len, port, &key, &h->e);
	fake_rx_push_key(f, len, port, &key);
	g->n.frames++;
}

void iso_rig_tx(struct iso_rig *g, const struct iso_vnic *v, const uint8_t *f, uint32_t len)
{
	/* A VNIC with a queue set sends on any of its TRRs. */
	unsigned q_of = v->n_q > 1 ? iso_below(&g->rng, v->n_q) : 0;
	unsigned ring = q_of ? v->txq[q_of] : v->tx_ring;
	struct snic_txq *q = g->tq[ring];
	if (q->desc_prod - q->desc_cons >= g->tx_size)
		return;
	unsigned slot = q->desc_prod % g->tx_size;
	uint64_t at = g->txbuf + ((uint64_t)ring * g->tx_size + slot) * ISO_BUF;
	uint8_t *buf = win_at(at);
	memcpy(buf, f, len);
	if (len >= 18) {
		uint32_t seq = ISO_TX_MAGIC | (++g->tx_seq & 0x00ffffffu);
		buf[len - 4] = (uint8_t)(seq >> 24), buf[len - 3] = (uint8_t)(seq >> 16);
		buf[len - 2] = (uint8_t)(seq >> 8), buf[len - 1] = (uint8_t)seq;
		g->txp[seq % ISO_TXP] = (struct iso_txp){ seq, v->gen, (uint16_t)ring, 1 };
	}
	struct snic_tx_desc *d = win_at(q->desc_off);
	d[slot].addr = at;
	d[slot].len = len;
	d[slot].flags = 0;
	d[slot].rsvd = 0;
	q->desc_prod++;
	g->n.tx_queued++;
}

void iso_rig_reexpect(struct iso_rig *g, const uint32_t *gen_before)
{
	for (uint64_t t = g->batch_from; t && t <= fake->now_ns; t += 1000) {
		struct iso_hist *h = &g->hist[t / 1000 % ISO_HIST];
		struct snic_key key;
		struct iso_expect now;
		if (h->t != t)
			continue;
		snic_parse(h->f, h->len, h->len, h->port, &key);
		iso_expect_rx(&g->m, h->f, h->len, h->port, &key, &now);
		for (unsigned id = 0; id < ISO_VNICS; id++) {
			const struct iso_vnic *v = &g->m.v[id];
			int same = id < g->m.max_vnics && v->live && v->gen == gen_before[id];
			if (!same)
				h->e.allowed[id / 8] &= (uint8_t)~(1u << (id % 8));
		}
		for (unsigned b = 0; b < sizeof(now.allowed); b++)
			h->e.allowed[b] |= now.allowed[b];
		if (now.kind == ISO_K_RULE && now.mark_sw)
			h->e.kind = ISO_K_RULE, h->e.mark_sw = 1;
		h->e.racing = 1;
	}
}
