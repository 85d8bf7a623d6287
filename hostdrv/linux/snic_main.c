// SPDX-License-Identifier: GPL-2.0
/*
 * PCI probe and remove, the poll timer and the health watchdog.
 *
 * The poll timer runs while a ring is started: every poll_us when the RX
 * rings are polled (no MSI-X) or a TX queue waits for room, else every
 * slow_poll_ms as the safety net of the MSI-X path (snic_irq.c).
 *
 * The card is an ivshmem-plain device (1af4:1110) whose BAR2 is the
 * simulator's device window. Many things can be ivshmem devices, so probe
 * claims one only after the window proves to be an snic: device id block,
 * ABI major, a consistent block chain and capability records.
 */
#include <linux/module.h>
#include <linux/io.h>
#include <linux/delay.h>
#include "snic_drv.h"

static unsigned int vnics = 1;
module_param(vnics, uint, 0444);
MODULE_PARM_DESC(vnics, "VNICs (netdevs) to create per card (default 1)");

static unsigned int sw_vnics;
module_param(sw_vnics, uint, 0444);
MODULE_PARM_DESC(sw_vnics, "How many of them (the last ones) use the shared software ring");

static unsigned int poll_us = 100;
module_param(poll_us, uint, 0444);
MODULE_PARM_DESC(poll_us, "Ring poll period in microseconds (default 100)");

static unsigned int slow_poll_ms = 10;
module_param(slow_poll_ms, uint, 0444);
MODULE_PARM_DESC(slow_poll_ms, "With MSI-X: RX safety poll period in ms (default 10)");

static unsigned int probe_wait_ms = 5000;
module_param(probe_wait_ms, uint, 0444);
MODULE_PARM_DESC(probe_wait_ms, "How long probe waits for the firmware to run (ms)");

#define SNIC_BAR           2
#define SNIC_WATCHDOG_MS   500

static enum hrtimer_restart snic_poll(struct hrtimer *t)
{
	struct snic_dev *sdev = container_of(t, struct snic_dev, poll_timer);
	bool tx_waiting;

	if (!atomic_read(&sdev->active_rings))
		return HRTIMER_NORESTART;
	snic_rx_kick(sdev);
	tx_waiting = snic_tx_wake(sdev);
	hrtimer_forward_now(t, !sdev->msix || tx_waiting ? sdev->poll_period : sdev->slow_period);
	return HRTIMER_RESTART;
}

void snic_tx_wait(struct snic_dev *sdev)
{
	/* Unconditionally: the timer may be deciding on its slow period. */
	if (sdev->msix)
		hrtimer_start(&sdev->poll_timer, sdev->poll_period, HRTIMER_MODE_REL);
}

/*
 * Watches the firmware: carrier off while it is not running; after a
 * reset or reboot (reset_count moved) restore our state (snic_reset.c).
 */
static void snic_watchdog(struct work_struct *work)
{
	struct snic_dev *sdev = container_of(to_delayed_work(work), struct snic_dev, watchdog);
	u32 state = snic_ld_acq(&sdev->devid->state);
	u32 resets = READ_ONCE(sdev->devid->reset_count);

	if (state != SNIC_STATE_RUNNING) {
		if (!sdev->dead) {
			dev_warn(sdev->dev, "device state %u: not running, carrier off\n", state);
			snic_health_fw_fatal(sdev, "firmware stopped running");
		}
		sdev->dead = true;
	} else if (resets != sdev->reset_count) {
		snic_health_fw_fatal(sdev, "device reset detected");
		snic_restore(sdev, "device reset detected");
	} else if (sdev->dead) {
		dev_info(sdev->dev, "device running again\n");
		sdev->dead = false;
		snic_health_fw_ok(sdev);
	}
	mutex_lock(&sdev->cfg_lock);
	snic_vnics_carrier(sdev);
	mutex_unlock(&sdev->cfg_lock);
	schedule_delayed_work(&sdev->watchdog, msecs_to_jiffies(SNIC_WATCHDOG_MS));
}

/* The firmware lays the window out at boot: wait for it briefly. */
static int wait_running(struct snic_dev *sdev)
{
	struct snic_blk_devid *id = (struct snic_blk_devid *)sdev->win;
	unsigned long end = jiffies + msecs_to_jiffies(probe_wait_ms);

	for (;;) {
		if (READ_ONCE(id->magic) == SNIC_MAGIC &&
		    snic_ld_acq(&id->state) == SNIC_STATE_RUNNING)
			return 0;
		if (time_after(jiffies, end))
			break;
		msleep(20);
	}
	if (READ_ONCE(id->magic) != SNIC_MAGIC) {
		dev_info(sdev->dev, "ivshmem window holds no snic device (magic 0x%08x)\n",
			 READ_ONCE(id->magic));
		return -ENODEV;
	}
	dev_err(sdev->dev, "snic firmware not running (state %u)\n", READ_ONCE(id->state));
	return -ENODEV;
}

static int snic_map(struct snic_dev *sdev)
{
	struct pci_dev *pdev = sdev->pdev;
	resource_size_t len = pci_resource_len(pdev, SNIC_BAR);
	int err;

	if (!(pci_resource_flags(pdev, SNIC_BAR) & IORESOURCE_MEM) || len < PAGE_SIZE ||
	    len > U32_MAX) {
		dev_info(sdev->dev, "BAR%d (%pa bytes) cannot be an snic window\n", SNIC_BAR, &len);
		return -ENODEV;
	}
	err = pcim_enable_device(pdev);
	if (err)
		return err;
	err = pci_request_region(pdev, SNIC_BAR, SNIC_DRV_NAME); /* released by pcim */
	if (err)
		return err;
	/* ivshmem BAR2 is ordinary shared memory: cacheable mapping. */
	sdev->win = devm_memremap(sdev->dev, pci_resource_start(pdev, SNIC_BAR), len,
				  MEMREMAP_WB);
	if (IS_ERR(sdev->win))
		return PTR_ERR(sdev->win);
	sdev->win_size = (u32)len;
	/* The registers (BAR0) carry the doorbell that wakes a napping
	 * device; without them TX is found by the device's own polling. */
	if ((pci_resource_flags(pdev, 0) & IORESOURCE_MEM) &&
	    pci_resource_len(pdev, 0) >= SNIC_IVSHMEM_DOORBELL + 4)
		sdev->regs = pcim_iomap(pdev, 0, SNIC_IVSHMEM_DOORBELL + 4);
	return 0;
}

/* Cross-check: QUERY_CAPS must point at the records the CAPS block names. */
static int check_admin(struct snic_dev *sdev)
{
	struct snic_blk_caps *blk = snic_at(sdev, sdev->off_caps);
	struct snic_caps_info info;
	int err;

	err = snic_admin_exec(sdev, SNIC_CMD_QUERY_CAPS, NULL, 0, &info, sizeof(info));
	if (err) {
		dev_err(sdev->dev, "admin queue: QUERY_CAPS failed: %d\n", err);
		return err;
	}
	if (info.records != READ_ONCE(blk->records) || info.length != READ_ONCE(blk->length)) {
		dev_err(sdev->dev, "QUERY_CAPS disagrees with the CAPS block\n");
		return -EIO;
	}
	return 0;
}

static int snic_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct snic_dev *sdev;
	unsigned int i, n;
	int err;

	sdev = devm_kzalloc(&pdev->dev, sizeof(*sdev), GFP_KERNEL);
	if (!sdev)
		return -ENOMEM;
	sdev->pdev = pdev;
	sdev->dev = &pdev->dev;
	mutex_init(&sdev->cfg_lock);
	atomic_set(&sdev->active_rings, 0);
	pci_set_drvdata(pdev, sdev);

	err = snic_map(sdev);
	if (!err)
		err = wait_running(sdev);
	if (!err)
		err = snic_window_walk(sdev);
	if (!err)
		err = snic_caps_read(sdev);
	if (!err)
		err = snic_rx_rings_alloc(sdev);
	if (!err)
		err = snic_tx_rings_alloc(sdev);
	if (!err)
		err = snic_buffers_layout(sdev);
	if (!err)
		err = snic_admin_init(sdev);
	if (!err)
		err = check_admin(sdev);
	if (!err)
		err = snic_ntuple_init(sdev);
	if (err)
		return err;
	snic_rss_init(sdev); /* without it, one queue per VNIC as before */

	init_dummy_netdev(&sdev->napi_dev);
	hrtimer_init(&sdev->poll_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	sdev->poll_timer.function = snic_poll;
	sdev->poll_period = ns_to_ktime((u64)max(poll_us, 10u) * NSEC_PER_USEC);
	sdev->slow_period = ms_to_ktime(clamp(slow_poll_ms, 1u, 1000u));
	INIT_DELAYED_WORK(&sdev->watchdog, snic_watchdog);
	snic_irq_init(sdev);

	dev_info(sdev->dev, "snic %s: firmware %s, ABI %u.%u, %u RX / %u TX rings, %u uplinks, %u rule slots\n",
		 sdev->profile, sdev->fw_version, sdev->devid->abi_major, sdev->devid->abi_minor,
		 sdev->caps.n_rx, sdev->caps.n_tx, sdev->caps.n_uplinks, sdev->n_rules_max);

	n = min_t(unsigned int, vnics, sdev->caps.hdr.max_vnics);
	for (i = 0; i < n; i++) {
		err = snic_vnic_add(sdev, i, i + sw_vnics >= n);
		if (err)
			goto err_vnics;
	}
	snic_debugfs_init(sdev);
	if (snic_devlink_register(sdev))
		dev_warn(sdev->dev, "devlink: out of memory, no devlink info\n");
	schedule_delayed_work(&sdev->watchdog, msecs_to_jiffies(SNIC_WATCHDOG_MS));
	return 0;

err_vnics:
	snic_vnics_remove(sdev);
	hrtimer_cancel(&sdev->poll_timer);
	snic_irq_fini(sdev);
	return err;
}

static void snic_remove(struct pci_dev *pdev)
{
	struct snic_dev *sdev = pci_get_drvdata(pdev);

	cancel_delayed_work_sync(&sdev->watchdog);
	snic_devlink_unregister(sdev);
	snic_debugfs_exit(sdev);
	snic_vnics_remove(sdev);
	snic_devlink_free(sdev);
	hrtimer_cancel(&sdev->poll_timer);
	snic_irq_fini(sdev);
	dev_info(sdev->dev, "snic removed\n");
}

static const struct pci_device_id snic_ids[] = {
	{ PCI_DEVICE(SNIC_PCI_VENDOR, SNIC_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, snic_ids);

static struct pci_driver snic_driver = {
	.name = SNIC_DRV_NAME,
	.id_table = snic_ids,
	.probe = snic_probe,
	.remove = snic_remove,
};

static int __init snic_init(void)
{
	return pci_register_driver(&snic_driver);
}

static void __exit snic_exit(void)
{
	pci_unregister_driver(&snic_driver);
	snic_debugfs_cleanup();
}

module_init(snic_init);
module_exit(snic_exit);

MODULE_DESCRIPTION("snic SmartNIC driver (device window over ivshmem)");
MODULE_AUTHOR("snic project");
MODULE_LICENSE("GPL");
MODULE_VERSION(SNIC_DRV_VERSION);
