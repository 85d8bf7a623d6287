/* SPDX-License-Identifier: MIT */
/*
 * HRR promotion: VNICs beyond the hardware receive rings share HRR 0 and
 * a software ring each; when a dedicated HRR frees up, the host moves one
 * of them back to hardware with RING_BIND. Order and completeness are
 * kept by two halves: the device holds the new ring's completions back
 * until the host has consumed HRR 0 up to the move (firmware steer.c),
 * and the host delivers what the VNIC's software ring still holds before
 * anything from the new ring (snicctl rx, snic_srr_pending).
 */
#include "snic_impl.h"

void snic_set_auto_promote(struct snic_dev *d, int on)
{
	d->no_auto_promote = !on;
}

int snic_last_promotion(const struct snic_dev *d, uint16_t *vnic, uint16_t *ring)
{
	if (!d->promoted)
		return 0;
	*vnic = d->promoted_vnic;
	*ring = d->promoted_ring;
	return 1;
}

/* The lowest dedicated HRR the device shows as unbound, or 0 for none. */
static unsigned free_hrr(struct snic_dev *d)
{
	for (unsigned r = 1; r < d->n_rx; r++) {
		if (!d->rx[r].valid)
			continue;
		uint32_t off = d->rx[r].ctrl + (uint32_t)offsetof(struct snic_rxq, state);
		if (snic_ld32(d, off) == SNIC_RING_UNBOUND)
			return r;
	}
	return 0;
}

int snic_promote(struct snic_dev *d, uint16_t *vnic, uint16_t *ring)
{
	/* Without a mirror the host does not know which VNICs share HRR 0. */
	if (!snic_mirror_active(d))
		return 0;
	unsigned r = free_hrr(d);
	if (!r)
		return 0;
	int rc = snic_mirror_load(d);
	if (rc)
		return rc;
	uint16_t best = SNIC_VNIC_NONE;
	uint64_t best_bps = 0;
	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++) {
		const struct snic_mirror_vnic *mv = &d->mirror->vnic[v];
		if (!mv->used || mv->params.sw_only || mv->info.ring_state != SNIC_RING_SHARED)
			continue;
		uint64_t bps = snic_alloc_in_mirror(d, (uint16_t)v);
		if (best == SNIC_VNIC_NONE || bps > best_bps) {
			best = (uint16_t)v;
			best_bps = bps;
		}
	}
	if (best == SNIC_VNIC_NONE)
		return 0;
	rc = snic_ring_bind(d, (uint16_t)r, best);
	if (rc)
		return rc;
	*vnic = best;
	*ring = (uint16_t)r;
	return 1;
}
