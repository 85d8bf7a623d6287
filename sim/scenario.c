/* SPDX-License-Identifier: MIT */
/* The main job's rig, traffic and timeline; see scenario.h. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "scenario.h"

#define NS_PER_S 1000000000ull

static const uint8_t HOST_MAC[2][6] = { { 0x02, 0xee, 0, 0, 0, 0x0a },
					{ 0x02, 0xee, 0, 0, 0, 0x0b } };
static const uint8_t HOST_IP[2][4] = { { 10, 2, 0, 10 }, { 10, 2, 0, 11 } };
/* Bookings and steady offers as per mille of one uplink, so both profiles
 * tell the same story; together they fit one uplink, so they hold after a
 * failover too. */
static const unsigned BOOK_PM[SC_MAX_VMS] = { 200, 100, 50, 50 };

uint64_t sc_now(const struct sc *s)
{
	return nic_now_ns(&s->nic);
}

double sc_wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t wire_bytes(uint32_t len)
{
	return (uint64_t)(len < 60 ? 60 : len) + 24;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* An IPv4 frame from the VM to host A: TCP (a bulk flow's segment) or UDP
 * (a flood), `len` bytes, with a valid header checksum. */
static void build_frame(uint8_t *f, const struct sc_vm *v, uint32_t len, int tcp,
			uint16_t sport)
{
	memset(f, 0, len);
	memcpy(f, HOST_MAC[0], 6);
	memcpy(f + 6, v->mac, 6);
	put16(f + 12, 0x0800);
	uint8_t *ip = f + 14;
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(len - 14));
	ip[8] = 64;
	ip[9] = tcp ? 6 : 17;
	memcpy(ip + 12, v->ip, 4);
	memcpy(ip + 16, HOST_IP[0], 4);
	uint32_t sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put16(ip + 10, (uint16_t)~sum);
	uint8_t *l4 = ip + 20;
	put16(l4, sport);
	put16(l4 + 2, tcp ? 5201 : 9);
	if (tcp) {
		l4[12] = 0x50;       /* 20-byte header */
		l4[13] = 0x18;       /* PSH, ACK */
		put16(l4 + 14, 65535);
	} else {
		put16(l4 + 4, (uint16_t)(len - 34));
	}
}

void sc_vm_frames(struct sc_vm *v, uint32_t len, int tcp)
{
	v->len = len;
	for (unsigned i = 0; i < SC_FLOWS; i++)
		build_frame(v->frame[i], v, len, tcp, (uint16_t)(40000 + i));
}


static struct sc_vm *vm_by_mac(struct sc *s, const uint8_t *mac)
{
	for (unsigned i = 0; i < s->n_vms; i++)
		if (!memcmp(s->vm[i].mac, mac, 6))
			return &s->vm[i];
	return NULL;
}

/* ---- what the device does, seen from the wire ---- */

static void on_tx(void *ctx, uint8_t port, const uint8_t *f, uint32_t len, uint64_t now)
{
	struct sc *s = ctx;
	struct sc_vm *v = len >= 14 ? vm_by_mac(s, f + 6) : NULL;
	if (!v)
		return; /* the device's own frames (notifications) */
	v->tx_frames++;
	v->tx_bytes += len;
	v->tx_wire_bytes += wire_bytes(len);
	uint64_t b = now / s->bin_ns;
	if (b < SC_BINS)
		v->bin[b] += wire_bytes(len);
	if (!s->fault_ns)
		return;
	if (port == s->fault_up && !s->nic.up[port].carrier) {
		v->tx_lost_wire++; /* sent before the device saw the carrier go */
	} else if (port != s->fault_up && !v->fo_first_alive_ns) {
		v->fo_first_alive_ns = now;
	}
}

/* Host A receives the VMs' flows: what arrived, and after the pull the
 * longest silence of any one flow (its failover as the far end sees it). */
static void on_host_rx(void *ctx, struct exthost *h, const uint8_t *f, uint32_t len,
		       uint64_t now)
{
	struct sc *s = ctx;
	(void)h;
	struct sc_vm *v = len >= 38 ? vm_by_mac(s, f + 6) : NULL;
	if (!v)
		return;
	v->host_rx++;
	unsigned flow = (unsigned)(f[34] << 8 | f[35]) - 40000u;
	if (flow >= SC_FLOWS)
		return;
	uint64_t last = v->flow_last_ns[flow];
	if (s->fault_ns && last && now > s->fault_ns && !s->healed_ns &&
	    now - last > v->fo_gap_max)
		v->fo_gap_max = now - last;
	v->flow_last_ns[flow] = now;
}

static void on_drop(void *ctx, unsigned reason, const uint8_t *f, uint32_t len)
{
	struct sc *s = ctx;
	struct sc_vm *v = len >= 6 ? vm_by_mac(s, f) : NULL;
	if (v && reason == SNIC_DROP_RULE)
		v->rx_rule_drops++;
}

/* A frame the host driver took from a VM's ring (or the software ring,
 * where the completion's VNIC says whose it is). */
static void on_rx(void *ctx, unsigned ring, const struct snic_rx_cpl *c, const uint8_t *f)
{
	struct sc *s = ctx;
	struct sc_vm *v = NULL;
	for (unsigned i = 0; i < s->n_vms && !v; i++)
		if (s->vm[i].vnic == c->vnic)
			v = &s->vm[i];
	if (!v) {
		s->other_rx++;
		return;
	}
	if (s->cfg.tap)
		sc_tap_deliver(s, v, f, c->len);
	if (f[0] & 1) {
		/* Broadcasts: ARP, the bond's RARP notifications (which the
		 * switch floods back in through the other uplink). */
		s->group_rx++;
		return;
	}
	/* Isolation: a VM's ring holds only frames for its MAC. */
	if (memcmp(f, v->mac, 6) || ring != (v->shared_rx ? 0u : v->rx_ring))
		v->rx_wrong++;
	v->rx_frames++;
	v->rx_bytes += c->len;
	struct exthost_stamp st;
	uint16_t dport;
	uint64_t now = sc_now(s);
	if (!exthost_parse_udp(f, c->len, &st, NULL, &dport) || dport == SC_RX_DROP_PORT)
		return;
	/* Host A's steady stream: the longest gap after the pull. */
	if (s->fault_ns && !s->healed_ns && v->rx_last_ns && now > s->fault_ns &&
	    now - v->rx_last_ns > v->rx_gap_max)
		v->rx_gap_max = now - v->rx_last_ns;
	v->rx_last_ns = now;
}

void sc_rx_poll(struct sc *s)
{
	int zero_done = 0;
	for (unsigned i = 0; i < s->n_vms; i++) {
		unsigned r = s->vm[i].shared_rx ? 0 : s->vm[i].rx_ring;
		if (r == 0 && zero_done)
			continue;
		zero_done |= r == 0;
		hostsim_rx_poll(&s->hs, r, on_rx, s);
	}
}

/* ---- setup ---- */

int sc_admin(struct sc *s, uint16_t op, const void *in, uint32_t len, void *out,
		 uint32_t cap, const char *what, char *err, size_t errlen)
{
	int st = hostsim_admin(&s->hs, op, in, len, out, cap);
	if (st)
		snprintf(err, errlen, "%s failed (status %d)", what, st);
	return st ? -1 : 0;
}

static int bond_up(struct sc *s, char *err, size_t errlen)
{
	for (uint8_t u = 0; u < (s->cfg.tap ? 1 : 2); u++) {
		struct snic_port_set p = { u, 1, 0 };
		if (sc_admin(s, SNIC_CMD_PORT_SET, &p, sizeof(p), NULL, 0, "PORT_SET", err, errlen))
			return -1;
	}
	if (s->cfg.tap)
		return 0; /* the VMs use uplink 0, cabled to the outside namespace */
	struct snic_team_set t;
	memset(&t, 0, sizeof(t));
	t.op = SNIC_TEAM_OP_SET;
	t.policy = SNIC_TEAM_L34;
	t.n_members = 2;
	t.member[1] = 1;
	t.role[0] = t.role[1] = SNIC_TEAM_ACTIVE;
	t.detect = SNIC_TEAM_DETECT_TXRES;
	t.notify = SNIC_TEAM_NOTIFY_RARP; /* the switch learns the moved MACs at once */
	t.notify_count = 1;
	return sc_admin(s, SNIC_CMD_TEAM_SET, &t, sizeof(t), NULL, 0, "TEAM_SET", err, errlen);
}

static int vms_create(struct sc *s, char *err, size_t errlen)
{
	for (unsigned i = 0; i < s->n_vms; i++) {
		struct sc_vm *v = &s->vm[i];
		snprintf(v->name, sizeof(v->name), "vm%u", i + 1);
		const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, (uint8_t)(0x11 + i) };
		const uint8_t ip[4] = { 10, 2, 0, (uint8_t)(1 + i) };
		memcpy(v->mac, mac, 6);
		memcpy(v->ip, ip, 4);
		struct snic_vnic_create vc;
		memset(&vc, 0, sizeof(vc));
		vc.vnic = (uint16_t)(i + 1);
		vc.vlan = SNIC_VLAN_NONE;
		memcpy(vc.mac, mac, 6);
		vc.uplink = s->cfg.tap ? 0 : SNIC_UPLINK_BOND | 0;
		vc.n_ip = 1;
		memcpy(vc.ip[0], ip, 4);
		struct snic_vnic_info info;
		if (sc_admin(s, SNIC_CMD_VNIC_CREATE, &vc, sizeof(vc), &info, sizeof(info),
			  "VNIC_CREATE", err, errlen))
			return -1;
		v->vnic = info.vnic;
		v->tx_ring = info.tx_ring;
		v->rx_ring = info.rx_ring;
		v->shared_rx = info.ring_state == SNIC_RING_SHARED;
		hostsim_rx_start(&s->hs, v->shared_rx ? 0 : v->rx_ring);
		v->booked = v->booked0 = s->link_bps / 1000 * BOOK_PM[i];
		sc_vm_frames(v, 1500, 1);
	}
	return 0;
}

/* Host A streams to every VM (what the VMs receive, and their failover
 * clock); host B floods VM 2 with small frames (the rule's target). */
static void hosts_flows(struct sc *s)
{
	uint64_t S = s->cfg.step_ns;
	/* 1000-byte frames at 2 % of an uplink per VM. */
	uint64_t every = wire_bytes(1000) * 8 * NS_PER_S / (s->link_bps / 50);
	for (unsigned i = 0; i < s->n_vms; i++)
		exthost_add_flow(&s->host[0], s->vm[i].mac, s->vm[i].ip, 5001, 1000,
				 (uint64_t)i * 97, every, 0);
	/* 74-byte frames at 4 % of an uplink, steps 3 to 7. */
	uint64_t fe = wire_bytes(74) * 8 * NS_PER_S / (s->link_bps / 25);
	int f = exthost_add_flow(&s->host[1], s->vm[1].mac, s->vm[1].ip, SC_RX_DROP_PORT, 74,
				 3 * S, fe, 7 * S);
	if (f >= 0)
		s->host[1].flow[f].sport = 7777;
}

int sc_start(struct sc *s, const struct sc_config *c, char *err, size_t errlen)
{
	s->cfg = *c;
	s->win_fd = -1;
	s->n_vms = SC_MAX_VMS;
	/* Bins: an eighth of a step; with --tap (wall time) 50 ms, 25 s in all. */
	s->bin_ns = c->tap ? 50000000 : c->step_ns / 8;
	if (nic_init(&s->nic, c->profile, c->window) < 0) {
		snprintf(err, errlen, "cannot start the simulated NIC (profile %s)", c->profile);
		return -1;
	}
	s->nic_up = 1;
	s->nic.skip_idle_engine = 1; /* our host runs on the virtual clock */
	s->link_bps = (uint64_t)s->nic.prof.hw.uplink_speed_mbps * 1000000ull;
	struct sw_config sc;
	sw_config_default(&sc);
	/* Host A stands for the rest of the network: its cable takes the whole
	 * bond, so the switch never queues the VMs' traffic without bound. */
	sc.host_speed_mbps = 4 * s->nic.prof.hw.uplink_speed_mbps;
	if (sw_init(&s->sw, &sc, &s->nic, s->nic.prof.hw.n_uplinks) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->sw_up = 1;
	s->nic.sw = &s->sw;
	for (unsigned i = 0; i < 2; i++) {
		exthost_init(&s->host[i], HOST_MAC[i], HOST_IP[i]);
		sw_attach_host(&s->sw, &s->host[i]);
	}
	s->host[0].on_rx = on_host_rx;
	s->host[0].ctx = s;
	s->nic.tx_hook = on_tx;
	s->nic.drop_hook = on_drop;
	s->nic.tx_hook_ctx = s;
	if (hostsim_init(&s->hs, &s->nic) < 0) {
		snprintf(err, errlen, "the host driver cannot use the window");
		return -1;
	}
	if (bond_up(s, err, errlen) || vms_create(s, err, errlen))
		return -1;
	if (s->cfg.tap && sc_tap_attach(s, err, errlen))
		return -1;
	if (!s->cfg.tap)
		hosts_flows(s);
	memcpy(s->drops0, s->nic.drops, sizeof(s->drops0));
	s->win_fd = open(c->window, O_RDWR);
	return 0;
}

void sc_stop(struct sc *s)
{
	if (s->win_fd >= 0)
		close(s->win_fd);
	s->win_fd = -1;
	if (s->cfg.tap)
		sc_tap_detach(s);
	if (s->nic_up) {
		s->nic.sw = NULL;
		nic_fini(&s->nic);
		s->nic_up = 0;
	}
	if (s->sw_up)
		sw_fini(&s->sw);
	s->sw_up = 0;
}

void sc_add_event(struct sc *s, uint64_t at, uint8_t kind, uint8_t arg, uint64_t value,
		  const char *label)
{
	if (s->n_ev == SC_MAX_EVENTS)
		return;
	struct sc_event *e = &s->ev[s->n_ev++];
	memset(e, 0, sizeof(*e));
	e->at_ns = at;
	e->kind = kind;
	e->arg = arg;
	e->value = value;
	snprintf(e->label, sizeof(e->label), "%s", label);
	if (kind == SC_EV_END)
		s->end_ns = at;
}

/* ---- the run ---- */

/* Every VM is a bulk sender: it keeps its TX ring full, its flows in
 * turn (TCP's window never closes here); 1 if anything was queued. */
static int vms_fill(struct sc *s)
{
	int queued = 0;
	for (unsigned i = 0; i < s->n_vms; i++) {
		struct sc_vm *v = &s->vm[i];
		while (v->offer == SC_BACKLOG &&
		       hostsim_tx(&s->hs, v->tx_ring, v->frame[v->flow], v->len) == 0) {
			v->flow = (v->flow + 1) % SC_FLOWS;
			queued = 1;
		}
	}
	return queued;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Next time something outside the device is due: room in an uplink's TX
 * FIFO, an event. */
static uint64_t next_due(const struct sc *s, uint64_t now)
{
	uint64_t t = s->next_ev < s->n_ev ? s->ev[s->next_ev].at_ns : UINT64_MAX;
	for (unsigned u = 0; u < 2; u++) {
		uint64_t b = sw_in_backlog_ns(&s->sw, u, now);
		if (b > NIC_TX_FIFO_NS)
			t = min64(t, now + b - NIC_TX_FIFO_NS);
	}
	return t;
}

/* Phase i runs from event i-1 (or 0) to event i; it is measured after a
 * quarter of it, once shares and bond have settled. */
static void phase_open(struct sc *s, const char *name, uint64_t from, uint64_t to)
{
	if (s->n_ph == SC_MAX_PHASES)
		return;
	struct sc_phase *p = &s->ph[s->n_ph++];
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->t0 = from + (to - from) / 4;
	p->t1 = to;
	for (unsigned i = 0; i < s->n_vms; i++) {
		p->booked[i] = s->vm[i].booked;
		p->offer[i] = s->vm[i].offer;
	}
}

static void phase_close(struct sc *s)
{
	struct sc_phase *p = &s->ph[s->n_ph - 1];
	for (unsigned i = 0; i < s->n_vms; i++) {
		uint64_t bytes = 0;
		for (uint64_t b = p->t0 / s->bin_ns; b < p->t1 / s->bin_ns && b < SC_BINS; b++)
			bytes += s->vm[i].bin[b];
		p->rate[i] = bytes * 8 * NS_PER_S / (p->t1 - p->t0);
	}
}

static void run_until(struct sc *s, uint64_t t)
{
	struct nic *n = &s->nic;
	uint64_t delivered = n->delivered;
	unsigned turns = 0;
	double last_view = sc_wall();
	while (nic_now_ns(n) < t) {
		int queued = vms_fill(s);
		int busy = nic_step(n);
		if (n->delivered != delivered) {
			delivered = n->delivered;
			sc_rx_poll(s);
		}
		if ((++turns & 0xfff) == 0 && sc_wall() - last_view > 0.2) {
			last_view = sc_wall();
			sc_live(s, 0);
		}
		if (busy || queued)
			continue;
		uint64_t now = nic_now_ns(n);
		uint64_t next = min64(nic_next_event_ns(n), next_due(s, now));
		nic_advance_to(n, next < t ? next : t);
	}
}

void sc_run(struct sc *s)
{
	s->wall0 = sc_wall();
	sc_bookings_start(s);
	for (unsigned i = 0; i < s->n_vms; i++)
		s->vm[i].offer = SC_BACKLOG;
	uint64_t from = sc_now(s);
	const char *name = "steady: every VM at work";
	for (s->next_ev = 0; s->next_ev < s->n_ev; ) {
		struct sc_event *e = &s->ev[s->next_ev];
		phase_open(s, name, from, e->at_ns);
		run_until(s, e->at_ns);
		phase_close(s);
		s->next_ev++;
		if (e->kind == SC_EV_END)
			break;
		sc_fire(s, e);
		from = e->at_ns;
		name = e->label;
	}
	sc_live(s, 1);
	s->draining = 1;
	/* Drain: what is on the cables reaches its receiver. */
	for (unsigned i = 0; i < s->n_vms; i++)
		s->vm[i].offer = 0;
	s->host[0].n_flows = s->host[1].n_flows = 0;
	uint64_t end = sc_now(s) + 1000000;
	run_until(s, end);
	sc_rx_poll(s);
}
