/* SPDX-License-Identifier: MIT */
/* The firmware HAL on the simulator: every call lands on the one sim_nic. */
#include <string.h>
#include "hal/hal.h"
#include "nic.h"

void hal_hw_info(struct hal_hw_info *out)
{
	*out = sim_nic->prof.hw;
}

uint8_t *hal_window(void)
{
	return sim_nic->win.base;
}

uint32_t hal_window_size(void)
{
	return sim_nic->win.size;
}

uint64_t hal_now_ns(void)
{
	return nic_now_ns(sim_nic);
}

/*
 * The engine takes one table write per clock; the firmware may issue
 * several in one poll, so they queue in order. A full queue means the
 * firmware outran the hardware by thousands of writes: apply the oldest
 * one now rather than lose any (a real device would stall the core).
 */
static void queue_write(uint32_t idx, const struct snic_rule *rule)
{
	struct nic *n = sim_nic;
	while (n->wq_len == NIC_WRITE_FIFO) {
		struct nic_write *w = &n->wq[n->wq_head];
		engine_write(n->eng, w->idx, w->clear ? NULL : &w->rule);
		n->wq_head = (n->wq_head + 1) % NIC_WRITE_FIFO;
		n->wq_len--;
		nic_edge(n);
	}
	struct nic_write *w = &n->wq[(n->wq_head + n->wq_len) % NIC_WRITE_FIFO];
	w->idx = idx;
	w->clear = rule == NULL;
	if (rule)
		w->rule = *rule;
	n->wq_len++;
}

void hal_cls_write(uint32_t idx, const struct snic_rule *rule)
{
	queue_write(idx, rule);
}

void hal_cls_clear(uint32_t idx)
{
	queue_write(idx, NULL);
}

uint64_t hal_cls_hits(uint32_t idx)
{
	return engine_hits(sim_nic->eng, idx);
}

int hal_rx_next(struct hal_rx_pkt *p)
{
	struct nic *n = sim_nic;
	if (!n->cq_len)
		return 0;
	uint32_t tag = n->cq_head;
	struct nic_slot *s = &n->slot[tag];
	n->cq_head = s->next;
	n->cq_len--;
	p->data = s->data;
	p->len = s->len;
	p->port = s->port;
	p->time_ns = s->time_ns;
	p->match = s->match;
	p->handle = tag;
	return 1;
}

void hal_rx_done(const struct hal_rx_pkt *p, int drop_reason)
{
	struct nic *n = sim_nic;
	if (p->handle >= NIC_POOL_SLOTS)
		return;
	if (drop_reason == HAL_DELIVERED) {
		n->delivered++;
	} else if (drop_reason >= 0 && drop_reason < SNIC_DROP_REASONS) {
		n->drops[drop_reason]++;
		if (n->drops_out)
			sim_pcap_write(n->drops_out, p->data, p->len, nic_now_ns(n));
	}
	nic_slot_release(n, p->handle);
}

int hal_tx(uint8_t port, const uint8_t *data, uint32_t len)
{
	return nic_uplink_tx(sim_nic, port, data, len);
}

void hal_port_enable(uint8_t port, int up)
{
	nic_port_enable(sim_nic, port, up);
}

int hal_port_carrier(uint8_t port)
{
	return port < sim_nic->prof.hw.n_uplinks && sim_nic->up[port].carrier;
}

void hal_irq(uint16_t vector)
{
	(void)vector;
	sim_nic->irqs++;
}
