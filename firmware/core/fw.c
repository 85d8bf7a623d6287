/* SPDX-License-Identifier: MIT */
/* Boot, the event loop, ports and device reset. */
#include "fw.h"
#include "fw_internal.h"
#include "bwalloc.h"
#include "team.h"

_Static_assert(sizeof(struct fw) <= FW_STORAGE_BYTES &&
	       sizeof(struct fw) + FW_STORAGE_SLACK > FW_STORAGE_BYTES,
	       "FW_STORAGE_BYTES (fw.h) no longer matches struct fw: update it");
_Static_assert(_Alignof(struct fw) <= FW_STORAGE_ALIGN, "struct fw alignment");

_Static_assert(sizeof(struct fw_tables) == FW_TABLE_BYTES,
	       "FW_TABLE_BYTES (fw.h) no longer matches struct fw_tables: update it");
_Static_assert(_Alignof(struct fw_tables) <= FW_STORAGE_ALIGN, "struct fw_tables alignment");

struct fw_tables *fw_tables_get(struct hal *hal)
{
	uint32_t size = 0;
	void *tab = hal_table_mem(hal, &size);

	if (!tab || size < sizeof(struct fw_tables) || (uintptr_t)tab % FW_STORAGE_ALIGN)
		return NULL;
	return tab;
}

struct fw *fw_open(void *mem, size_t size, struct hal *hal)
{
	struct fw_tables *tab = fw_tables_get(hal);

	if (!mem || size < sizeof(struct fw) || (uintptr_t)mem % _Alignof(struct fw) || !tab)
		return NULL;
	struct fw *fw = mem;
	fw_memset(fw, 0, sizeof(*fw));
	fw->hal = hal;
	fw->tab = tab;
	return fw;
}

static void ports_all_down(struct fw *fw)
{
	for (uint8_t p = 0; p < SNIC_MAX_UPLINKS; p++) {
		fw->port_up[p] = false;
		if (p < fw->hw.n_uplinks)
			hal_port_enable(fw->hal, p, 0);
	}
}

int fw_init(struct fw *fw)
{
	fw_memset(fw->vnic, 0, sizeof(fw->vnic));
	fw_memset(fw->irq_pending, 0, sizeof(fw->irq_pending));
	fw->now_ns = hal_now_ns(fw->hal);
	if (fw_layout_init(fw) < 0)
		return -1;
	/* Every boot starts from empty tables, policers included (the
	 * memory may be new). */
	fw_memset(fw->tab, 0, sizeof(*fw->tab));
	fw_admin_init(fw);
	fw_rx_init(fw);
	fw_tx_init(fw);
	/* The match engine may hold entries from a previous firmware run. */
	fw_rules_reset_all(fw);
	fw_vnic_reset_all(fw);
	fw_team_init(fw);
	fw_bw_init(fw);
	ports_all_down(fw);
	fw_rx_refresh(fw);
	fw->state = SNIC_STATE_RUNNING;
	fw_store_rel(&FW_DEVID(fw)->state, SNIC_STATE_RUNNING);
	return 0;
}

uint64_t fw_next_deadline_ns(struct fw *fw)
{
	uint64_t team = fw_team_next_ns(fw), bw = fw_bw_next_ns(fw);
	uint64_t t = team < bw ? team : bw;
	return fw->tx.due < t ? fw->tx.due : t;
}

unsigned fw_poll(struct fw *fw)
{
	unsigned work = 0;

	if (fw->state != SNIC_STATE_RUNNING)
		return 0;
	struct snic_blk_devid *d = FW_DEVID(fw);
	fw->now_ns = hal_now_ns(fw->hal);
	d->heartbeat++;
	d->dev_time_ns = fw->now_ns;
	work += fw_admin_poll(fw);
	work += fw_rx_poll(fw);
	fw_rx_raise_irqs(fw);
	/* Link events and failover before transmit, so no frame of this poll
	 * goes to an uplink that just failed. */
	work += fw_team_poll(fw);
	/* Bandwidth shares: re-split on a tick or a capacity change (a
	 * failover just above), before any frame of this poll is sent. */
	work += fw_bw_poll(fw);
	work += fw_tx_poll(fw);
	return work;
}

int fw_port_set(struct fw *fw, const struct snic_port_set *p)
{
	if (p->rsvd || p->admin_up > 1)
		return SNIC_E_INVAL;
	if (p->port >= fw->hw.n_uplinks)
		return SNIC_E_RANGE;
	fw->port_up[p->port] = p->admin_up != 0;
	hal_port_enable(fw->hal, p->port, p->admin_up);
	return SNIC_OK;
}

void fw_device_reset(struct fw *fw)
{
	fw_rules_reset_all(fw);
	fw_vnic_reset_all(fw);
	fw_meters_reset_all(fw);
	fw_team_init(fw);
	fw_bw_init(fw);
	ports_all_down(fw);
	FW_DEVID(fw)->reset_count++;
}
