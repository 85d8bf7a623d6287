// SPDX-License-Identifier: GPL-2.0
/*
 * MSI-X receive interrupts. Under QEMU's ivshmem-doorbell the simulator,
 * as the ivshmem server, raises RX ring r's vector (its capability
 * record's `msix`) after it posted completions, if the ring is in
 * SNIC_MODE_INTR with intr_enable set. The handler masks the ring
 * (intr_enable 0) and schedules NAPI; NAPI unmasks once the ring is
 * drained and looks once more, so completions written while it was masked
 * are not left behind.
 *
 * Without MSI-X (ivshmem-plain), or if the vectors cannot be had, every
 * ring is polled by the hrtimer as before. With MSI-X the timer still runs,
 * slowly (slow_poll_ms), as a safety net: the unmask-then-look above
 * needs a full barrier on the device side between publishing cpl_prod and
 * reading intr_enable, which a device may not give; it also runs fast
 * while a TX queue waits for room (TX has no interrupt).
 */
#include <linux/interrupt.h>
#include "snic_drv.h"

static bool use_msix = true;
module_param(use_msix, bool, 0444);
MODULE_PARM_DESC(use_msix, "Use MSI-X receive interrupts when the device has them (default 1)");

static irqreturn_t snic_rx_irq(int irq, void *data)
{
	struct snic_rx_ring *r = data;

	WRITE_ONCE(r->irqs, r->irqs + 1);
	if (!READ_ONCE(r->ready))
		return IRQ_HANDLED; /* stopping, or not started: nothing to do */
	WRITE_ONCE(r->ctrl->intr_enable, 0);
	napi_schedule(&r->napi);
	return IRQ_HANDLED;
}

/* NAPI finished with the ring: unmask, then catch what came meanwhile. */
void snic_irq_rearm(struct snic_rx_ring *r)
{
	WRITE_ONCE(r->ctrl->intr_enable, 1);
	smp_mb(); /* intr_enable visible before cpl_prod is read again */
	if (snic_ld_acq(&r->ctrl->cpl_prod) != r->cpl_cons)
		napi_schedule(&r->napi);
}

void snic_irq_fini(struct snic_dev *sdev)
{
	u16 i;

	for (i = 0; sdev->rx && i < sdev->caps.n_rx; i++) {
		struct snic_rx_ring *r = &sdev->rx[i];

		if (r->irq)
			free_irq(r->irq, r);
		r->irq = 0;
	}
	if (sdev->n_vectors)
		pci_free_irq_vectors(sdev->pdev);
	sdev->n_vectors = 0;
	sdev->msix = false;
}

/* 0 in every case: without vectors the driver polls. */
int snic_irq_init(struct snic_dev *sdev)
{
	struct pci_dev *pdev = sdev->pdev;
	int have = pci_msix_vec_count(pdev), got, err;
	unsigned int need = 0;
	u16 i;

	if (!use_msix || have <= 0) {
		dev_info(sdev->dev, "no MSI-X%s: RX rings are polled every %lld us\n",
			 use_msix ? "" : " (use_msix=0)", ktime_to_us(sdev->poll_period));
		return 0;
	}
	for (i = 0; i < sdev->caps.n_rx; i++)
		need = max_t(unsigned int, need, sdev->caps.rx[i].msix + 1u);
	if (need > (unsigned int)have) {
		dev_warn(sdev->dev, "RX rings use MSI-X vectors up to %u, the device has %d: polling\n",
			 need - 1, have);
		return 0;
	}
	got = pci_alloc_irq_vectors(pdev, need, need, PCI_IRQ_MSIX);
	if (got < 0) {
		dev_warn(sdev->dev, "MSI-X: %u vectors refused (%d): polling\n", need, got);
		return 0;
	}
	sdev->n_vectors = got;
	pci_set_master(pdev); /* MSI-X messages are writes by the device */
	for (i = 0; i < sdev->caps.n_rx; i++) {
		struct snic_rx_ring *r = &sdev->rx[i];
		int irq = pci_irq_vector(pdev, sdev->caps.rx[i].msix);

		snprintf(r->irq_name, sizeof(r->irq_name), "snic-%s-rx%u", pci_name(pdev), i);
		err = irq < 0 ? irq : request_irq(irq, snic_rx_irq, 0, r->irq_name, r);
		if (err) {
			dev_warn(sdev->dev, "RX ring %u: IRQ for vector %u: %d: polling\n", i,
				 sdev->caps.rx[i].msix, err);
			snic_irq_fini(sdev);
			return 0;
		}
		r->irq = irq;
	}
	sdev->msix = true;
	dev_info(sdev->dev, "MSI-X: %u vectors, one per RX ring\n", need);
	return 0;
}
