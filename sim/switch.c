/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include "exthost.h"
#include "nic.h"
#include "switch.h"

enum ev_kind {
	EV_INGRESS, /* frame fully received by the switch from `port` */
	EV_DELIVER, /* frame fully received by the far end of `port` */
};

struct sw_event {
	uint64_t at;
	uint64_t seq;
	uint8_t  kind;
	uint8_t  port;
	uint32_t epoch;  /* uplink link epoch when the frame entered the cable */
	uint32_t len;
	uint8_t *data;   /* malloc'd, owned by the event */
};

/* Preamble + SFD, FCS and inter-frame gap around each frame. */
#define WIRE_EXTRA 24u
#define MIN_FRAME  60u

static uint64_t ser_ns(uint32_t len, uint32_t mbps)
{
	uint64_t bytes = (len < MIN_FRAME ? MIN_FRAME : len) + WIRE_EXTRA;
	return (bytes * 8u * 1000u + mbps - 1) / mbps;
}

void sw_config_default(struct sw_config *c)
{
	memset(c, 0, sizeof(*c));
	c->fwd_latency_ns = 500;
	c->aging_ns = 300ull * 1000 * 1000 * 1000;
	c->uplink_prop_ns = 100;
	c->host_prop_ns = 100;
	c->host_speed_mbps = 100000;
	c->flush_on_down = 1;
}

int sw_init(struct sw *s, const struct sw_config *c, struct nic *nic, unsigned n_uplinks)
{
	memset(s, 0, sizeof(*s));
	s->cfg = *c;
	s->nic = nic;
	s->n_uplinks = n_uplinks;
	s->n_ports = n_uplinks;
	s->cap_ev = 1024;
	s->heap = malloc(s->cap_ev * sizeof(*s->heap));
	return s->heap ? 0 : -1;
}

void sw_fini(struct sw *s)
{
	for (uint32_t i = 0; i < s->n_ev; i++)
		free(s->heap[i].data);
	free(s->heap);
	s->heap = NULL;
	s->n_ev = 0;
}

int sw_attach_host(struct sw *s, struct exthost *h)
{
	if (s->n_ports == SW_MAX_PORTS)
		return -1;
	unsigned p = s->n_ports++;
	s->host[p] = h;
	h->sw = s;
	h->port = (int)p;
	return (int)p;
}

/* ---- event heap, ordered by (at, seq) ---- */

static int ev_before(const struct sw_event *a, const struct sw_event *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

static void ev_swap(struct sw_event *a, struct sw_event *b)
{
	struct sw_event t = *a;
	*a = *b;
	*b = t;
}

static void ev_push(struct sw *s, struct sw_event *e)
{
	if (s->n_ev == s->cap_ev) {
		struct sw_event *h = realloc(s->heap, 2 * s->cap_ev * sizeof(*h));
		if (!h)
			abort(); /* the simulator cannot continue without its events */
		s->heap = h;
		s->cap_ev *= 2;
	}
	e->seq = s->ev_seq++;
	uint32_t i = s->n_ev++;
	s->heap[i] = *e;
	while (i && ev_before(&s->heap[i], &s->heap[(i - 1) / 2])) {
		ev_swap(&s->heap[i], &s->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

static void ev_pop(struct sw *s, struct sw_event *out)
{
	*out = s->heap[0];
	s->heap[0] = s->heap[--s->n_ev];
	uint32_t i = 0;
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < s->n_ev && ev_before(&s->heap[l], &s->heap[m]))
			m = l;
		if (r < s->n_ev && ev_before(&s->heap[r], &s->heap[m]))
			m = r;
		if (m == i)
			break;
		ev_swap(&s->heap[i], &s->heap[m]);
		i = m;
	}
}

/* ---- cables ---- */

static uint32_t port_speed(const struct sw *s, unsigned port)
{
	return port < s->n_uplinks ? s->nic->prof.hw.uplink_speed_mbps : s->cfg.host_speed_mbps;
}

static uint64_t port_prop(const struct sw *s, unsigned port)
{
	return port < s->n_uplinks ? s->cfg.uplink_prop_ns : s->cfg.host_prop_ns;
}

static uint8_t *dup_frame(const uint8_t *data, uint32_t len)
{
	uint8_t *p = malloc(len ? len : 1);
	if (!p)
		abort();
	memcpy(p, data, len);
	return p;
}

void sw_send(struct sw *s, unsigned port, const uint8_t *data, uint32_t len,
	     uint64_t now, uint32_t epoch)
{
	if (port >= s->n_ports || len < 14 || len > SW_MAX_FRAME)
		return;
	uint64_t start = s->in_free_ns[port] > now ? s->in_free_ns[port] : now;
	uint64_t done = start + ser_ns(len, port_speed(s, port));
	s->in_free_ns[port] = done;
	struct sw_event e = { done + port_prop(s, port), 0, EV_INGRESS, (uint8_t)port,
			      epoch, len, dup_frame(data, len) };
	ev_push(s, &e);
}

uint64_t sw_in_backlog_ns(const struct sw *s, unsigned port, uint64_t now)
{
	return port < s->n_ports && s->in_free_ns[port] > now ? s->in_free_ns[port] - now : 0;
}

/* Queue a copy of the frame out of `port`, starting no earlier than `ready`. */
static void egress(struct sw *s, unsigned port, const uint8_t *data, uint32_t len, uint64_t ready)
{
	uint64_t start = s->out_free_ns[port] > ready ? s->out_free_ns[port] : ready;
	uint64_t done = start + ser_ns(len, port_speed(s, port));
	s->out_free_ns[port] = done;
	uint32_t epoch = port < s->n_uplinks ? s->nic->up[port].epoch : 0;
	struct sw_event e = { done + port_prop(s, port), 0, EV_DELIVER, (uint8_t)port,
			      epoch, len, dup_frame(data, len) };
	ev_push(s, &e);
}

/* ---- MAC table ---- */

static uint16_t frame_vlan(const uint8_t *f, uint32_t len)
{
	if (len >= 18 && f[12] == 0x81 && f[13] == 0x00)
		return (uint16_t)((f[14] << 8 | f[15]) & 0x0fff);
	return 0;
}

static struct sw_mac_entry *mac_find(struct sw *s, const uint8_t mac[6], uint16_t vlan)
{
	for (unsigned i = 0; i < SW_MAC_ENTRIES; i++) {
		struct sw_mac_entry *m = &s->mac[i];
		if (m->used && m->vlan == vlan && !memcmp(m->mac, mac, 6))
			return m;
	}
	return NULL;
}

static int aged(const struct sw *s, const struct sw_mac_entry *m, uint64_t now)
{
	return now > m->seen_ns && now - m->seen_ns >= s->cfg.aging_ns;
}

static void learn(struct sw *s, const uint8_t mac[6], uint16_t vlan, unsigned port, uint64_t now)
{
	if (mac[0] & 1)
		return; /* a group address is never a source */
	struct sw_mac_entry *m = mac_find(s, mac, vlan);
	if (!m) {
		for (unsigned i = 0; i < SW_MAC_ENTRIES && !m; i++)
			if (!s->mac[i].used || aged(s, &s->mac[i], now))
				m = &s->mac[i];
		if (!m) {
			s->learn_full++;
			return;
		}
		memset(m, 0, sizeof(*m));
		memcpy(m->mac, mac, 6);
		m->vlan = vlan;
		m->used = 1;
	} else if (m->port != port && !aged(s, m, now)) {
		s->moves++;
	}
	m->port = (uint8_t)port;
	m->seen_ns = now;
}

int sw_lookup(const struct sw *s, const uint8_t mac[6], uint16_t vlan, uint64_t now)
{
	const struct sw_mac_entry *m = mac_find((struct sw *)s, mac, vlan);
	if (!m || aged(s, m, now))
		return -1;
	return m->port;
}

void sw_link_down(struct sw *s, unsigned port)
{
	if (!s->cfg.flush_on_down)
		return;
	for (unsigned i = 0; i < SW_MAC_ENTRIES; i++)
		if (s->mac[i].used && s->mac[i].port == port)
			s->mac[i].used = 0;
}

/* ---- forwarding ---- */

static int uplink_alive(const struct sw *s, unsigned port)
{
	const struct nic_uplink *u = &s->nic->up[port];
	/* An administratively down port is dark; a tapped one is not ours. */
	return u->carrier && u->enabled && !u->tap;
}

static void ingress(struct sw *s, struct sw_event *e)
{
	unsigned in = e->port;
	if (in < s->n_uplinks) {
		const struct nic_uplink *u = &s->nic->up[in];
		if (e->epoch != u->epoch || !u->carrier) {
			s->port[in].lost_wire_in++; /* the link died under it */
			return;
		}
	}
	s->port[in].rx_frames++;
	uint16_t vlan = frame_vlan(e->data, e->len);
	learn(s, e->data + 6, vlan, in, e->at);
	uint64_t ready = e->at + s->cfg.fwd_latency_ns;
	int out = (e->data[0] & 1) ? -1 : sw_lookup(s, e->data, vlan, e->at);
	if (out >= 0) {
		if ((unsigned)out == in)
			s->port[in].filtered++;
		else
			egress(s, (unsigned)out, e->data, e->len, ready);
		return;
	}
	for (unsigned p = 0; p < s->n_ports; p++) {
		if (p == in)
			continue;
		if (p < s->n_uplinks && !uplink_alive(s, p))
			continue; /* a down port is not in the flood set */
		s->port[p].flooded++;
		egress(s, p, e->data, e->len, ready);
	}
}

static void deliver(struct sw *s, struct sw_event *e)
{
	unsigned p = e->port;
	if (p >= s->n_uplinks) {
		s->port[p].tx_frames++;
		if (s->host[p])
			exthost_rx(s->host[p], e->data, e->len, e->at);
		return;
	}
	struct nic_uplink *u = &s->nic->up[p];
	if (!uplink_alive(s, p)) {
		s->port[p].lost_down++;
		return;
	}
	if (e->epoch != u->epoch) {
		s->port[p].lost_wire++;
		return;
	}
	if (u->blackhole & NIC_BH_RX) {
		s->port[p].lost_blackhole++;
		return;
	}
	s->port[p].tx_frames++;
	nic_wire_push(s->nic, (uint8_t)p, e->data, e->len, e->at);
	e->data = NULL; /* the NIC owns it now */
}

static uint64_t hosts_next(const struct sw *s)
{
	uint64_t t = UINT64_MAX;
	for (unsigned p = s->n_uplinks; p < s->n_ports; p++) {
		uint64_t h = s->host[p] ? exthost_next_ns(s->host[p]) : UINT64_MAX;
		if (h < t)
			t = h;
	}
	return t;
}

uint64_t sw_next_ns(const struct sw *s)
{
	uint64_t t = hosts_next(s);
	if (s->n_ev && s->heap[0].at < t)
		t = s->heap[0].at;
	return t;
}

void sw_run(struct sw *s, uint64_t now)
{
	for (;;) {
		/* Host timers first at equal times: what they send joins the heap. */
		if (hosts_next(s) <= now) {
			for (unsigned p = s->n_uplinks; p < s->n_ports; p++)
				if (s->host[p])
					exthost_run(s->host[p], now);
			continue;
		}
		if (!s->n_ev || s->heap[0].at > now)
			break;
		struct sw_event e;
		ev_pop(s, &e);
		if (e.kind == EV_INGRESS)
			ingress(s, &e);
		else
			deliver(s, &e);
		free(e.data);
	}
}
