/* SPDX-License-Identifier: MIT */
/*
 * Polling mode follows the bandwidth allocation: a ring (or software
 * ring) that may receive more gets polled more often and may take more
 * frames per poll. The formula (snic.h, docs/hostdrv.md) sizes both from
 * the worst case, minimum-size frames at the full allocated rate:
 *
 *   max_pps     = ceil(alloc_bps / (8 * 84))
 *   interval_ns = clamp(ring_size * 1e9 / (4 * max_pps), 10 us, 1 ms)
 *   budget      = clamp(ceil(2 * max_pps * interval_ns / 1e9), 8, ring_size / 2)
 *
 * A poll comes before a quarter of the ring can fill, and each poll may
 * take twice what arrives between polls, so a backlog drains.
 */
#include "snic_impl.h"

#define MIN_WIRE_FRAME 84u   /* 64-byte frame + preamble/SFD 8 + gap 12 */

void snic_poll_plan_for(uint64_t alloc_bps, uint32_t ring_size, struct snic_poll_plan *out)
{
	uint64_t bits = 8ull * MIN_WIRE_FRAME;
	uint64_t pps = (alloc_bps + bits - 1) / bits;
	uint64_t interval = SNIC_POLL_MAX_NS;
	uint32_t hi = ring_size / 2 ? ring_size / 2 : 1;
	uint32_t lo = SNIC_POLL_MIN_BUDGET < hi ? SNIC_POLL_MIN_BUDGET : hi;

	if (pps)
		interval = (uint64_t)ring_size * 1000000000ull / (4 * pps);
	if (interval < SNIC_POLL_MIN_NS)
		interval = SNIC_POLL_MIN_NS;
	if (interval > SNIC_POLL_MAX_NS)
		interval = SNIC_POLL_MAX_NS;
	uint64_t budget = (2 * pps * interval + 999999999ull) / 1000000000ull;
	out->alloc_bps = alloc_bps;
	out->max_pps = pps;
	out->interval_ns = (uint32_t)interval;
	out->budget = budget < lo ? lo : budget > hi ? hi : (uint32_t)budget;
}

/* Fastest uplink, and the speed a VNIC on `uplink` can reach. */
static uint64_t uplink_bps(const struct snic_dev *d, int uplink)
{
	uint64_t best = 0, sum = 0;

	for (unsigned u = 0; d->caps_valid && u < d->caps.n_uplinks && u < SNIC_MAX_UPLINKS; u++) {
		uint64_t bps = (uint64_t)d->caps.uplink[u].speed_mbps * 1000000ull;
		if ((int)u == uplink)
			return bps;
		sum += bps;
		if (bps > best)
			best = bps;
	}
	/* A bond (SNIC_UPLINK_BOND | b) may use every uplink. */
	return uplink >= 0 && (uplink & SNIC_UPLINK_BOND) ? sum : best;
}

uint64_t snic_alloc_in_mirror(const struct snic_dev *d, uint16_t v)
{
	const struct snic_mirror *m = d->mirror;

	if (v >= SNIC_MIRROR_MAX_VNICS)
		return uplink_bps(d, -1);
	const struct snic_meter_set *sh = &m->shaper[v];
	if (sh->mode == SNIC_METER_SHAPER && sh->cir_bps)
		return sh->eir_bps ? sh->eir_bps : sh->cir_bps;
	return uplink_bps(d, m->vnic[v].used ? m->vnic[v].params.uplink : -1);
}

uint64_t snic_vnic_alloc_bps(struct snic_dev *d, uint16_t vnic)
{
	if (snic_mirror_load(d))
		return uplink_bps(d, -1);
	return snic_alloc_in_mirror(d, vnic);
}

int snic_ring_poll_plan(struct snic_dev *d, unsigned r, struct snic_poll_plan *out)
{
	int rc = snic_ring_usable(d, r, 1);

	if (rc)
		return rc;
	uint32_t ctrl = d->rx[r].ctrl;
	uint32_t state = snic_ld32(d, ctrl + (uint32_t)offsetof(struct snic_rxq, state));
	uint16_t vnic;
	memcpy(&vnic, d->win + ctrl + offsetof(struct snic_rxq, vnic), sizeof(vnic));
	rc = snic_mirror_load(d);
	if (rc)
		return rc;
	uint64_t alloc = 0;
	if (state == SNIC_RING_SHARED) {
		for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++)
			if (d->mirror->vnic[v].used &&
			    d->mirror->vnic[v].info.ring_state == SNIC_RING_SHARED)
				alloc += snic_alloc_in_mirror(d, (uint16_t)v);
	} else if (state == SNIC_RING_BOUND) {
		alloc = snic_alloc_in_mirror(d, vnic);
	}
	/* Nothing known to share it, or an unbound ring: assume a full uplink. */
	if (!alloc)
		alloc = uplink_bps(d, -1);
	snic_poll_plan_for(alloc, d->rx[r].size, out);
	return 0;
}
