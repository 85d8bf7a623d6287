/* SPDX-License-Identifier: MIT */
/*
 * The firmware's C entry on the embedded core (called by start.S): boot,
 * attach the flash, then the event loop for as long as the NIC is powered.
 */
#include "fw.h"
#include "hal/riscv/hal_riscv_flash.h"
#include "hal/riscv/hal_riscv_regs.h"

void fw_main(void);
void fw_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval);

/* The core runs one NIC: its HAL context and firmware instance, in bss
 * (struct fw is too big for the stack). */
static struct hal rv_hal;
static struct fw_storage fw_mem;

void fw_main(void)
{
	struct fw *fw = fw_open(&fw_mem, sizeof(fw_mem), &rv_hal);
	struct snic_fwimg_hdr h;
	uint32_t slot;

	if (!fw || fw_init(fw) < 0)
		return; /* state FAILED is in the window; start.S parks the core */
	fw_flash_attach(fw, hal_rv_flash_ops());
	slot = hal_rv_flash_running(&h);
	fw_flash_booted(fw, slot, slot == SNIC_BOOT_NONE ? 0 : &h);
	for (;;) {
		fw_poll(fw);
		if (fw_flash_reboot_due(fw))
			HAL_RV_CTRL->reboot = HAL_RV_REBOOT_KEY; /* does not return */
	}
}

/* No interrupt is enabled, so any trap is a fault: tell the host through
 * the device state, which it polls, and stop. */
void fw_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval)
{
	(void)mcause; (void)mepc; (void)mtval;
	struct snic_blk_devid *d = (struct snic_blk_devid *)hal_window(&rv_hal);
	if (d)
		__atomic_store_n(&d->state, SNIC_STATE_FAILED, __ATOMIC_RELEASE);
}
