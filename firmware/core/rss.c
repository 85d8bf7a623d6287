/* SPDX-License-Identifier: MIT */
/*
 * Receive-side scaling (snic/rss.h): the engine's key and hash types
 * (RSS_SET, RSS_QUERY) and the VNICs' queue sets (RSS_QUEUES).
 *
 * A queue set is one table of a small device-wide pool (FW_RSS_TABLES):
 * firmware RAM has no room for a table per VNIC. Queue 0 of a set is the
 * VNIC's own HRR/TRR (fw_vnic.rx_ring/tx_ring, which RING_BIND may move);
 * queues 1..n-1 are extra rings the VNIC owns like its own (rx/tx owner
 * in vnic.c), so the TX path sends from them for it unchanged. The table
 * is stored replicated to FW_RSS_INDIR entries, so the receive path picks
 * an entry with one mask whatever size the host gave.
 */
#include "fw_internal.h"

/* Size over speed: all but fw_rss_ring is control path, and that runs on
 * the full steering path only (the memo repeats its decisions); firmware
 * RAM, code included, is the constraint (docs/firmware-image.md). */
#pragma GCC optimize("Os")

#define TABLE_FREE SNIC_VNIC_NONE

static inline unsigned indir_get(const struct rss_table *t, uint32_t e)
{
	return (unsigned)(t->indir[e / 2] >> (e % 2 * 4)) & 0xf;
}


void fw_rss_reset_all(struct fw *fw)
{
	for (unsigned t = 0; t < FW_RSS_TABLES; t++)
		fw->rss.tables[t].vnic = TABLE_FREE;
	/* Hashing off after reset, like the engine: the host sets it again. */
	fw_memset(&fw->rss.cfg, 0, sizeof(fw->rss.cfg));
	hal_rss_write(fw->hal, NULL);
}

/* ---- the receive path ---- */

uint16_t fw_rss_ring(struct fw *fw, const struct fw_vnic *v, const struct snic_match *m,
		     uint32_t *hmask,
		     uint32_t *hval)
{
	const struct rss_table *t = &fw->rss.tables[v->rss - 1];
	const uint32_t e = m->hash & (FW_RSS_INDIR - 1);

	/* The memo (steer.c) repeats this decision for the frames whose hash
	 * h has (h & hmask) == hval: those of the same entry, but never a
	 * frame without a hash (h = 0) for a hashed decision or the reverse.
	 * Entry 0 is remembered by the whole hash; no hash, or a hash of 0,
	 * is not remembered at all (mask 0, value 1: nothing matches). */
	*hmask = 0;
	*hval = 1;
	if (m->hash_type == SNIC_RSS_HT_NONE)
		return v->rx_ring;
	if (m->hash) {
		*hmask = e ? FW_RSS_INDIR - 1 : UINT32_MAX;
		*hval = e ? e : m->hash;
	}
	unsigned q = indir_get(t, e);
	return q ? t->rx[q] : v->rx_ring;
}

/* ---- RSS_SET / RSS_QUERY ---- */

/* The card-wide handle, or a trusted VNIC. */
static int may_change(struct fw *fw, uint16_t vnic)
{
	if (vnic == SNIC_VNIC_NONE)
		return SNIC_OK;
	if (!fw_vnic_exists(fw, vnic))
		return SNIC_E_NOENT;
	return (fw->vnic[vnic].policy & SNIC_VPOL_TRUSTED) ? SNIC_OK : SNIC_E_PERM;
}

int fw_rss_set(struct fw *fw, const struct snic_rss_set *s)
{
	if ((s->flags & ~(SNIC_RSS_SET_KEY | SNIC_RSS_SET_TYPES)) ||
	    (s->types & ~SNIC_RSS_HT_ALL) || !fw_is_zero(s->rsvd, sizeof(s->rsvd)))
		return SNIC_E_INVAL;
	int st = may_change(fw, s->vnic);
	if (st != SNIC_OK || !s->flags)
		return st;
	if (s->flags & SNIC_RSS_SET_KEY)
		fw_memcpy(fw->rss.cfg.key, s->key, SNIC_RSS_KEY_BYTES);
	if (s->flags & SNIC_RSS_SET_TYPES)
		fw->rss.cfg.types = s->types;
	hal_rss_write(fw->hal, &fw->rss.cfg);
	return SNIC_OK;
}

int fw_rss_query(struct fw *fw, const struct snic_vnic_ref *r, struct snic_rss_info *out)
{
	if (r->rsvd)
		return SNIC_E_INVAL;
	if (r->vnic != SNIC_VNIC_NONE && !fw_vnic_exists(fw, r->vnic))
		return SNIC_E_NOENT;
	fw_memset(out, 0, sizeof(*out));
	out->vnic = r->vnic;
	out->types = fw->rss.cfg.types; /* one set for the card (rss.h) */
	out->engine_types = fw->rss.cfg.types;
	out->supported = SNIC_RSS_HT_ALL;
	out->key_bytes = SNIC_RSS_KEY_BYTES;
	fw_memcpy(out->key, fw->rss.cfg.key, SNIC_RSS_KEY_BYTES);
	return SNIC_OK;
}

/* ---- RSS_QUEUES ---- */

static int check_queues(struct fw *fw, const struct snic_rss_queues *c)
{
	const unsigned n = c->n_queues, size = c->indir_size;

	if (c->rsvd || c->rsvd1)
		return SNIC_E_INVAL;
	if (!fw_vnic_exists(fw, c->vnic))
		return SNIC_E_NOENT;
	if (n < 1 || n > FW_RSS_QUEUES || !size || size > FW_RSS_INDIR || (size & (size - 1)))
		return SNIC_E_RANGE;
	for (unsigned q = 0; q < SNIC_RSS_MAX_QUEUES; q++) {
		bool unused = q == 0 || q >= n;
		if (unused && (c->rx_ring[q] != SNIC_RSS_RING_ANY || c->tx_ring[q] != SNIC_RSS_RING_ANY))
			return SNIC_E_INVAL;
	}
	for (unsigned i = 0; i < SNIC_RSS_INDIR_MAX; i++)
		if (i < size ? c->indir[i] >= n : c->indir[i] != 0)
			return SNIC_E_INVAL;
	const struct fw_vnic *v = &fw->vnic[c->vnic];
	if (v->rx_ring == FW_SHARED_RING || v->tx_ring == FW_SHARED_RING)
		return SNIC_E_BUSY; /* a software-ring VNIC has no queue 0 to scale */
	return SNIC_OK;
}

/* Ring r may become a queue of VNIC id: free, or one of its extra rings. */
static bool ring_usable(struct fw *fw, bool tx, uint16_t r, uint16_t id)
{
	const struct fw_vnic *v = &fw->vnic[id];
	uint16_t own = tx ? v->tx_ring : v->rx_ring;
	uint16_t owner = tx ? fw_tx_ring_owner(fw, r) : fw_rx_ring_owner(fw, r);
	return r != FW_SHARED_RING && r != own && (owner == SNIC_VNIC_NONE || owner == id);
}

/* Rings for queues 1..n-1 into got[]: the named ones, then the lowest
 * usable for ANY. SNIC_E_NOENT (no such ring), SNIC_E_BUSY (taken),
 * SNIC_E_INVAL (named twice), SNIC_E_NOSPC (too few free); nothing taken. */
static int pick_rings(struct fw *fw, bool tx, const uint16_t *want, unsigned n, uint16_t id,
		      uint8_t *got)
{
	const uint16_t rings = tx ? fw->hw.n_tx_rings : fw->hw.n_rx_rings;
	uint32_t chosen = 0;

	for (unsigned q = 1; q < n; q++) {
		if (want[q] == SNIC_RSS_RING_ANY)
			continue;
		if (want[q] >= rings)
			return SNIC_E_NOENT;
		if (chosen & (1u << want[q]))
			return SNIC_E_INVAL; /* one ring, two queues */
		if (!ring_usable(fw, tx, want[q], id))
			return SNIC_E_BUSY;
		chosen |= 1u << want[q];
		got[q] = (uint8_t)want[q];
	}
	for (unsigned q = 1; q < n; q++) {
		if (want[q] != SNIC_RSS_RING_ANY)
			continue;
		uint16_t r = 1;
		while (r < rings && ((chosen & (1u << r)) || !ring_usable(fw, tx, r, id)))
			r++;
		if (r == rings)
			return SNIC_E_NOSPC;
		chosen |= 1u << r;
		got[q] = (uint8_t)r;
	}
	return SNIC_OK;
}

/* VNIC id's extra rings go back to the free rings; its table to the pool
 * (also when the VNIC is going away). */
void fw_rss_vnic_gone(struct fw *fw, uint16_t id)
{
	struct fw_vnic *v = &fw->vnic[id];
	if (!v->rss)
		return;
	struct rss_table *t = &fw->rss.tables[v->rss - 1];
	for (unsigned q = 1; q < t->n_queues; q++) {
		fw_ring_set_owner(fw, false, t->rx[q], SNIC_VNIC_NONE);
		fw_ring_set_owner(fw, true, t->tx[q], SNIC_VNIC_NONE);
	}
	t->vnic = TABLE_FREE;
	v->rss = 0;
}

static void fill_reply(struct fw *fw, uint16_t id, struct snic_rss_queues_info *out)
{
	const struct fw_vnic *v = &fw->vnic[id];

	fw_memset(out, 0, sizeof(*out));
	fw_memset(out->rx_ring, 0xff, sizeof(out->rx_ring) + sizeof(out->tx_ring));
	out->vnic = id;
	out->n_queues = 1;
	out->indir_size = 1;
	out->rx_ring[0] = v->rx_ring;
	out->tx_ring[0] = v->tx_ring;
	if (!v->rss)
		return;
	const struct rss_table *t = &fw->rss.tables[v->rss - 1];
	out->n_queues = t->n_queues;
	out->table = (uint8_t)(v->rss - 1);
	out->indir_size = FW_RSS_INDIR; /* the host's table, replicated */
	for (unsigned q = 1; q < t->n_queues; q++) {
		out->rx_ring[q] = t->rx[q];
		out->tx_ring[q] = t->tx[q];
	}
}

int fw_rss_queues(struct fw *fw, const struct snic_rss_queues *c, struct snic_rss_queues_info *out)
{
	int st = check_queues(fw, c);
	if (st != SNIC_OK)
		return st;
	struct fw_vnic *v = &fw->vnic[c->vnic];
	uint8_t rx[FW_RSS_QUEUES], tx[FW_RSS_QUEUES];
	unsigned t = v->rss ? v->rss - 1u : 0;

	if (c->n_queues > 1) {
		while (!v->rss && t < FW_RSS_TABLES && fw->rss.tables[t].vnic != TABLE_FREE)
			t++;
		if (t == FW_RSS_TABLES)
			return SNIC_E_NOSPC;
		st = pick_rings(fw, false, c->rx_ring, c->n_queues, c->vnic, rx);
		if (st == SNIC_OK)
			st = pick_rings(fw, true, c->tx_ring, c->n_queues, c->vnic, tx);
		if (st != SNIC_OK)
			return st;
	}
	fw_rss_vnic_gone(fw, c->vnic);
	if (c->n_queues > 1) {
		struct rss_table *tb = &fw->rss.tables[t];
		tb->vnic = c->vnic;
		tb->n_queues = c->n_queues;
		for (unsigned q = 1; q < c->n_queues; q++) {
			tb->rx[q] = rx[q];
			tb->tx[q] = tx[q];
			fw_ring_set_owner(fw, false, rx[q], c->vnic);
			fw_ring_set_owner(fw, true, tx[q], c->vnic);
		}
		for (unsigned i = 0; i < FW_RSS_INDIR; i += 2)
			tb->indir[i / 2] = (uint8_t)(c->indir[i & (c->indir_size - 1u)] |
						     c->indir[(i + 1) & (c->indir_size - 1u)] << 4);
		v->rss = (uint8_t)(t + 1);
	}
	fill_reply(fw, c->vnic, out);
	return SNIC_OK;
}
