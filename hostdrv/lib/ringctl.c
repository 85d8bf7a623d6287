/* SPDX-License-Identifier: MIT */
/*
 * Ring modes: polling (the host pulls up to its budget per poll through
 * the poll entry point) or interrupt (the device counts an interrupt in
 * irq_count and raises the ring's MSI-X vector). Switchable at any time,
 * also by a process that does not own the ring: only the mode and
 * intr_enable words of the host-written line change.
 */
#include "snic_impl.h"

#define RXQ(r, field) (d->rx[r].ctrl + (uint32_t)offsetof(struct snic_rxq, field))

int snic_ring_set_mode(struct snic_dev *d, unsigned r, uint32_t mode)
{
	int rc = snic_ring_usable(d, r, 1);

	if (rc)
		return rc;
	if (mode != SNIC_MODE_POLL && mode != SNIC_MODE_INTR)
		return snic_seterr(d, SNIC_ERR_ARG, "ring mode %u is neither poll nor intr", mode);
	if (mode == SNIC_MODE_INTR && d->caps_valid && r < d->caps.n_rx &&
	    !(d->caps.rx[r].flags & SNIC_RINGCAP_INTR))
		return snic_seterr(d, SNIC_ERR_ARG, "RX ring %u has no interrupt control", r);
	/* Interrupts off before leaving interrupt mode, on after entering it. */
	if (mode == SNIC_MODE_POLL) {
		snic_st32(d, RXQ(r, intr_enable), 0);
		snic_st32(d, RXQ(r, mode), SNIC_MODE_POLL);
	} else {
		snic_st32(d, RXQ(r, mode), SNIC_MODE_INTR);
		snic_st32(d, RXQ(r, intr_enable), 1);
	}
	return 0;
}

int snic_ring_mode(struct snic_dev *d, unsigned r)
{
	int rc = snic_ring_usable(d, r, 1);

	if (rc)
		return rc;
	uint32_t mode = snic_ld32(d, RXQ(r, mode));
	uint32_t en = snic_ld32(d, RXQ(r, intr_enable));
	return mode == SNIC_MODE_INTR && en ? SNIC_MODE_INTR : SNIC_MODE_POLL;
}

uint32_t snic_ring_irq_count(struct snic_dev *d, unsigned r)
{
	if (r >= d->n_rx || !d->rx[r].valid)
		return 0;
	return snic_ld32(d, RXQ(r, irq_count));
}
