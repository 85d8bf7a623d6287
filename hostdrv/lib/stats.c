/* SPDX-License-Identifier: MIT */
/* Statistics: the device's drop/port counters and per-ring counters. */
#include <stdio.h>
#include "snic_impl.h"

#define LD32(base, type, field) snic_ld32(d, (base) + (uint32_t)offsetof(type, field))
#define LD64(base, type, field) snic_ld64(d, (base) + (uint32_t)offsetof(type, field))

static void read_rx(struct snic_dev *d, uint32_t c, struct snic_ring_stats *s)
{
	uint16_t vnic;

	s->state = LD32(c, struct snic_rxq, state);
	memcpy(&vnic, d->win + c + offsetof(struct snic_rxq, vnic), sizeof(vnic));
	s->vnic = vnic;
	s->mode = LD32(c, struct snic_rxq, mode);
	s->intr_enable = LD32(c, struct snic_rxq, intr_enable);
	s->irq_count = LD32(c, struct snic_rxq, irq_count);
	s->desc_prod = LD32(c, struct snic_rxq, desc_prod);
	s->desc_cons = LD32(c, struct snic_rxq, desc_cons);
	s->cpl_prod = LD32(c, struct snic_rxq, cpl_prod);
	s->cpl_cons = LD32(c, struct snic_rxq, cpl_cons);
	s->packets = LD64(c, struct snic_rxq, packets);
	s->bytes = LD64(c, struct snic_rxq, bytes);
	s->drop_a = LD64(c, struct snic_rxq, drop_full);
	s->drop_b = LD64(c, struct snic_rxq, drop_badbuf);
}

static void read_tx(struct snic_dev *d, uint32_t c, struct snic_ring_stats *s)
{
	uint16_t vnic;

	s->state = LD32(c, struct snic_txq, state);
	memcpy(&vnic, d->win + c + offsetof(struct snic_txq, vnic), sizeof(vnic));
	s->vnic = vnic;
	s->desc_prod = LD32(c, struct snic_txq, desc_prod);
	s->desc_cons = LD32(c, struct snic_txq, desc_cons);
	s->packets = LD64(c, struct snic_txq, packets);
	s->bytes = LD64(c, struct snic_txq, bytes);
	s->drop_a = LD64(c, struct snic_txq, drop_spoof);
	s->drop_b = LD64(c, struct snic_txq, drop_bad);
}

int snic_stats_read(struct snic_dev *d, struct snic_stats *out)
{
	struct snic_blk_stats b;

	memset(out, 0, sizeof(*out));
	if (d->off_stats == SNIC_NO_BLOCK)
		return snic_seterr(d, SNIC_ERR_NOBLOCK, "device has no STATS block");
	memcpy(&b, d->win + d->off_stats, sizeof(b));
	memcpy(out->drops, b.drops, sizeof(out->drops));
	memcpy(out->port, b.port, sizeof(out->port));
	out->cls_lookups = b.cls_lookups;
	out->cls_hits = b.cls_hits;
	out->admin_cmds = b.admin_cmds;
	out->admin_errors = b.admin_errors;
	/* Ring control areas were bound-checked by the block walk. */
	if (d->off_rxq != SNIC_NO_BLOCK) {
		out->n_rx = d->rxq.count;
		for (unsigned r = 0; r < out->n_rx; r++)
			read_rx(d, d->rxq.first + r * d->rxq.stride, &out->rx[r]);
	}
	if (d->off_txq != SNIC_NO_BLOCK) {
		out->n_tx = d->txq.count;
		for (unsigned r = 0; r < out->n_tx; r++)
			read_tx(d, d->txq.first + r * d->txq.stride, &out->tx[r]);
	}
	return 0;
}
