/* SPDX-License-Identifier: MIT */
/* Boot, the event loop, ports and device reset. */
#include "fw.h"
#include "fw_internal.h"
#include "bwalloc.h"
#include "team.h"

struct fw_state snic_fw;

static void ports_all_down(void)
{
	for (uint8_t p = 0; p < SNIC_MAX_UPLINKS; p++) {
		fw.port_up[p] = false;
		if (p < fw.hw.n_uplinks)
			hal_port_enable(p, 0);
	}
}

int fw_init(void)
{
	fw_memset(fw.vnic, 0, sizeof(fw.vnic));
	fw_memset(fw.irq_pending, 0, sizeof(fw.irq_pending));
	fw.now_ns = hal_now_ns();
	fw_meters_reset_all();
	if (fw_layout_init() < 0)
		return -1;
	fw_admin_init();
	fw_rx_init();
	fw_tx_init();
	/* The match engine may hold entries from a previous firmware run. */
	fw_rules_reset_all();
	fw_vnic_reset_all();
	fw_team_init();
	fw_bw_init();
	ports_all_down();
	fw.state = SNIC_STATE_RUNNING;
	fw_store_rel(&FW_DEVID()->state, SNIC_STATE_RUNNING);
	return 0;
}

unsigned fw_poll(void)
{
	unsigned work = 0;

	if (fw.state != SNIC_STATE_RUNNING)
		return 0;
	struct snic_blk_devid *d = FW_DEVID();
	fw.now_ns = hal_now_ns();
	d->heartbeat++;
	d->sim_time_ns = fw.now_ns;
	work += fw_admin_poll();
	work += fw_rx_poll();
	fw_rx_raise_irqs();
	/* Link events and failover before transmit, so no frame of this poll
	 * goes to an uplink that just failed. */
	work += fw_team_poll();
	/* Bandwidth shares: re-split on a tick or a capacity change (a
	 * failover just above), before any frame of this poll is sent. */
	work += fw_bw_poll();
	work += fw_tx_poll();
	return work;
}

int fw_port_set(const struct snic_port_set *p)
{
	if (p->rsvd || p->admin_up > 1)
		return SNIC_E_INVAL;
	if (p->port >= fw.hw.n_uplinks)
		return SNIC_E_RANGE;
	fw.port_up[p->port] = p->admin_up != 0;
	hal_port_enable(p->port, p->admin_up);
	return SNIC_OK;
}

void fw_device_reset(void)
{
	fw_rules_reset_all();
	fw_vnic_reset_all();
	fw_meters_reset_all();
	fw_team_init();
	fw_bw_init();
	ports_all_down();
	FW_DEVID()->reset_count++;
}
