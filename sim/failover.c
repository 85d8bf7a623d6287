/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "failover.h"
#include "fault.h"
#include "harness.h"

#define REC          65536u   /* sent-frame records per VM, by sequence number */
#define WIRE_BACK_NS 20000u   /* sent this long before the fault: maybe still on the cable */
#define DISCARD_PORT 9
#define SETTLE_NS    100000u
#define CHECK_NS     10000u   /* how often a trial looks whether it is done */

static const uint8_t HOST_MAC[6] = { 0x02, 0xee, 0, 0, 0, 0x01 };
static const uint8_t HOST_IP[4] = { 10, 1, 0, 254 };

struct fo_vm {
	uint16_t vnic, tx_ring, rx_ring;
	uint8_t  mac[6], ip[4];
	uint64_t next_ns, seq;
	uint8_t *sent_port;        /* uplink of stream frame seq % REC */
	uint64_t *sent_at;
	uint64_t rx_expect;        /* next stream sequence number the host expects */
	uint8_t  cur_port;         /* uplink of the VM's last frame */
	uint64_t last_echo;        /* host received the VM's last echo */
	int      affected;
	uint64_t first_elsewhere, back_at;
};

struct fo_sim {
	struct fo_config cfg;
	struct harness   h;
	struct fo_vm     vm[FO_MAX_VMS];
	struct fo_result *r;       /* the trial being measured, or NULL */
	uint8_t          victim;
	uint64_t         fault_at, heal_at;
	uint64_t         stalls, lost_untracked;
};

const char *fo_kind_name(uint8_t kind)
{
	static const char *const names[FO_KINDS] = { "link-down", "blackhole", "tx-full" };
	return kind < FO_KINDS ? names[kind] : "?";
}

struct fo_config fo_config_team(void)
{
	struct fo_config c;
	memset(&c, 0, sizeof(c));
	c.profile = "large";
	c.n_members = 3;
	c.member[0] = 0; c.member[1] = 1; c.member[2] = 2;
	c.role[0] = SNIC_TEAM_ACTIVE;
	c.role[1] = SNIC_TEAM_ACTIVE;
	c.role[2] = SNIC_TEAM_STANDBY;
	c.policy = SNIC_TEAM_PORT_ID;
	c.detect = SNIC_TEAM_DETECT_TXRES | SNIC_TEAM_DETECT_BEACON;
	c.beacon_us = 1000;
	c.beacon_misses = 3;
	c.notify = SNIC_TEAM_NOTIFY_RARP;
	c.notify_count = 1;
	c.n_vms = 4;
	c.frame_len = 128;
	return c;
}

uint64_t fo_now(const struct fo_sim *s)
{
	return harness_now(&s->h);
}

static struct fo_vm *vm_by_mac(struct fo_sim *s, const uint8_t *mac)
{
	for (unsigned i = 0; i < s->cfg.n_vms; i++)
		if (!memcmp(s->vm[i].mac, mac, 6))
			return &s->vm[i];
	return NULL;
}

/* Every frame the NIC puts on an uplink. */
static void on_tx(void *ctx, uint8_t port, const uint8_t *data, uint32_t len, uint64_t now)
{
	struct fo_sim *s = ctx;
	struct fo_vm *v = len >= 14 ? vm_by_mac(s, data + 6) : NULL;
	if (!v)
		return;
	struct exthost_stamp st;
	uint16_t dport;
	if (exthost_parse_udp(data, len, &st, NULL, &dport) && dport == DISCARD_PORT) {
		v->sent_port[st.seq % REC] = port;
		v->sent_at[st.seq % REC] = now;
	}
	v->cur_port = port;
	if (!s->r || !v->affected)
		return;
	if (port != s->victim && !v->first_elsewhere)
		v->first_elsewhere = now;
	if (s->heal_at && port == s->victim && !v->back_at)
		v->back_at = now;
}

static void count_lost(struct fo_sim *s, struct fo_vm *v, uint64_t seq)
{
	uint8_t port = v->sent_port[seq % REC];
	uint64_t at = v->sent_at[seq % REC];
	if (!s->r) {
		s->lost_untracked++;
		return;
	}
	if (port == s->victim && at + WIRE_BACK_NS >= s->fault_at)
		s->r->lost_wire++;
	else
		s->r->lost_other++;
}

/* Every frame the external host receives. */
static void host_rx(void *ctx, struct exthost *h, const uint8_t *f, uint32_t len, uint64_t now)
{
	struct fo_sim *s = ctx;
	struct exthost_stamp st;
	uint16_t sport, dport;
	(void)h;
	if (!exthost_parse_udp(f, len, &st, &sport, &dport) || st.flow >= s->cfg.n_vms)
		return;
	struct fo_vm *v = &s->vm[st.flow];
	if (dport == DISCARD_PORT) {
		if (st.seq < v->rx_expect) {
			if (s->r)
				s->r->reordered++;
			return;
		}
		for (uint64_t k = v->rx_expect; k < st.seq; k++)
			count_lost(s, v, k);
		v->rx_expect = st.seq + 1;
	} else if (sport == EXTHOST_ECHO_PORT) {
		if (s->r && v->affected && v->last_echo && now - v->last_echo > s->r->outage_ns)
			s->r->outage_ns = now - v->last_echo;
		v->last_echo = now;
	}
}

/* ---- the VMs ---- */

static int vm_send_due(struct fo_sim *s, uint64_t now)
{
	static uint8_t buf[HOSTSIM_BUF];
	int queued = 0;
	if (!s->cfg.vm_every_ns)
		return 0;
	for (unsigned i = 0; i < s->cfg.n_vms; i++) {
		struct fo_vm *v = &s->vm[i];
		while (v->next_ns <= now) {
			struct exthost_stamp st = { EXTHOST_MAGIC, i, 0, v->seq, now };
			uint32_t len = exthost_build_udp(buf, sizeof(buf), s->cfg.frame_len, HOST_MAC,
							 v->mac, 0, v->ip, HOST_IP, 5000,
							 DISCARD_PORT, &st);
			if (hostsim_tx(&s->h.hs, v->tx_ring, buf, len) < 0) {
				s->stalls++; /* ring full: try again at the next step */
				break;
			}
			v->sent_port[v->seq % REC] = 0xff;
			v->seq++;
			v->next_ns += s->cfg.vm_every_ns;
			queued = 1;
		}
	}
	return queued;
}

struct echo_ctx {
	struct fo_sim *s;
	struct fo_vm  *v;
	int queued;
};

static void vm_rx(void *ctx, unsigned ring, const struct snic_rx_cpl *c, const uint8_t *f)
{
	static uint8_t buf[HOSTSIM_BUF];
	struct echo_ctx *e = ctx;
	struct exthost_stamp st;
	uint16_t dport;
	(void)ring;
	if (c->len > sizeof(buf) || !exthost_parse_udp(f, c->len, &st, NULL, &dport) ||
	    dport != EXTHOST_ECHO_PORT || memcmp(f, e->v->mac, 6))
		return;
	memcpy(buf, f, c->len);
	exthost_make_echo(buf, c->len);
	if (hostsim_tx(&e->s->h.hs, e->v->tx_ring, buf, c->len) < 0)
		e->s->stalls++;
	else
		e->queued = 1;
}

static int vm_rx_all(struct fo_sim *s)
{
	struct echo_ctx e = { s, NULL, 0 };
	for (unsigned i = 0; i < s->cfg.n_vms; i++) {
		e.v = &s->vm[i];
		hostsim_rx_poll(&s->h.hs, s->vm[i].rx_ring, vm_rx, &e);
	}
	return e.queued;
}

static uint64_t vm_next(const struct fo_sim *s)
{
	uint64_t t = UINT64_MAX;
	if (!s->cfg.vm_every_ns)
		return t;
	for (unsigned i = 0; i < s->cfg.n_vms; i++)
		if (s->vm[i].next_ns < t)
			t = s->vm[i].next_ns;
	return t;
}

static void run_until(struct fo_sim *s, uint64_t t)
{
	struct nic *n = &s->h.nic;
	while (nic_now_ns(n) < t) {
		int queued = vm_send_due(s, nic_now_ns(n));
		int busy = nic_step(n);
		queued |= vm_rx_all(s);
		if (busy || queued)
			continue;
		/* Idle: jump to whatever happens next. */
		uint64_t next = nic_next_event_ns(n), v = vm_next(s);
		if (v < next)
			next = v;
		nic_advance_to(n, next < t ? next : t);
	}
}

void fo_run_for(struct fo_sim *s, uint64_t ns)
{
	run_until(s, fo_now(s) + ns);
}

uint8_t fo_busy_uplinks(const struct fo_sim *s)
{
	uint8_t m = 0;
	for (unsigned i = 0; i < s->cfg.n_vms; i++)
		if (s->vm[i].cur_port < SNIC_MAX_UPLINKS)
			m |= (uint8_t)(1u << s->vm[i].cur_port);
	return m;
}

/* ---- setup ---- */

static int configure(struct fo_sim *s, char *err, size_t errlen)
{
	const struct fo_config *c = &s->cfg;
	for (unsigned i = 0; i < c->n_members; i++) {
		struct snic_port_set p = { c->member[i], 1, 0 };
		if (harness_admin(&s->h, SNIC_CMD_PORT_SET, &p, sizeof(p), NULL, 0, "PORT_SET",
				  err, errlen))
			return -1;
	}
	struct snic_team_set t;
	memset(&t, 0, sizeof(t));
	t.op = SNIC_TEAM_OP_SET;
	t.policy = c->policy;
	t.n_members = c->n_members;
	memcpy(t.member, c->member, 4);
	memcpy(t.role, c->role, 4);
	t.detect = c->detect;
	t.notify = c->notify;
	t.notify_count = c->notify ? c->notify_count : 0;
	if (c->detect & SNIC_TEAM_DETECT_BEACON) {
		t.beacon_us = c->beacon_us;
		t.beacon_misses = c->beacon_misses;
	}
	if (harness_admin(&s->h, SNIC_CMD_TEAM_SET, &t, sizeof(t), NULL, 0, "TEAM_SET", err, errlen))
		return -1;
	for (unsigned i = 0; i < c->n_vms; i++) {
		struct fo_vm *v = &s->vm[i];
		struct snic_vnic_info info;
		if (harness_vnic_create(&s->h, v->mac, v->ip, &info, err, errlen))
			return -1;
		if (!info.rx_ring || !info.tx_ring) {
			snprintf(err, errlen, "VM %u got no dedicated rings (too many VMs)", i);
			return -1;
		}
		v->vnic = info.vnic;
		v->rx_ring = info.rx_ring;
		v->tx_ring = info.tx_ring;
		hostsim_rx_start(&s->h.hs, v->rx_ring);
	}
	return 0;
}

struct fo_sim *fo_new(const struct fo_config *c, char *err, size_t errlen)
{
	struct fo_sim *s = calloc(1, sizeof(*s));
	if (!s || c->n_vms < 1 || c->n_vms > FO_MAX_VMS) {
		snprintf(err, errlen, "bad configuration or out of memory");
		free(s);
		return NULL;
	}
	s->cfg = *c;
	if (!s->cfg.frame_len)
		s->cfg.frame_len = 128;
	for (unsigned i = 0; i < c->n_vms; i++) {
		struct fo_vm *v = &s->vm[i];
		const uint8_t mac[6] = { 0x02, 0, 0, 0, 0x01, (uint8_t)(0x10 + i) };
		const uint8_t ip[4] = { 10, 1, 0, (uint8_t)(1 + i) };
		memcpy(v->mac, mac, 6);
		memcpy(v->ip, ip, 4);
		v->cur_port = 0xff;
		v->sent_port = malloc(REC);
		v->sent_at = calloc(REC, sizeof(uint64_t));
		if (!v->sent_port || !v->sent_at) {
			snprintf(err, errlen, "out of memory");
			fo_free(s);
			return NULL;
		}
		memset(v->sent_port, 0xff, REC);
	}
	const struct harness_config hc = { c->profile, "failover", c->aging_ns, HOST_MAC, HOST_IP,
					   host_rx, on_tx, s };
	if (harness_start(&s->h, &hc, err, errlen) < 0 || configure(s, err, errlen) < 0) {
		fo_free(s);
		return NULL;
	}
	/* Stagger the VMs and the host's requests over one interval. */
	uint64_t now = fo_now(s);
	for (unsigned i = 0; i < c->n_vms; i++) {
		s->vm[i].next_ns = now + (c->vm_every_ns * i) / c->n_vms;
		if (c->req_every_ns)
			exthost_add_flow(&s->h.host, s->vm[i].mac, s->vm[i].ip, EXTHOST_ECHO_PORT,
					 s->cfg.frame_len, now + (c->req_every_ns * i) / c->n_vms,
					 c->req_every_ns, 0);
	}
	fo_run_for(s, 300000); /* the switch learns everyone */
	return s;
}

void fo_free(struct fo_sim *s)
{
	if (!s)
		return;
	harness_stop(&s->h);
	for (unsigned i = 0; i < FO_MAX_VMS; i++) {
		free(s->vm[i].sent_port);
		free(s->vm[i].sent_at);
	}
	free(s);
}

/* ---- trials ---- */

/* TX drop counters of the stats block, found through the block chain. */
static uint64_t tx_drops(const struct fo_sim *s)
{
	uint32_t off = 0;
	for (int hops = 0; hops < 64; hops++) {
		const struct snic_block_hdr *b = (const void *)(s->h.hs.win + off);
		if (b->type == SNIC_BLK_STATS) {
			const struct snic_blk_stats *st = (const void *)b;
			return st->drops[SNIC_DROP_TX_SPOOF] + st->drops[SNIC_DROP_TX_BAD] +
			       st->drops[SNIC_DROP_PORT_DOWN];
		}
		if (!b->next)
			break;
		off = b->next;
	}
	return 0;
}

static void apply(struct fo_sim *s, uint8_t kind, uint8_t victim, int heal)
{
	static const uint8_t start[FO_KINDS] = { FAULT_DOWN, FAULT_BLACKHOLE, FAULT_TXFULL };
	static const uint8_t end[FO_KINDS] = { FAULT_UP, FAULT_HEAL, FAULT_TXOK };
	struct fault_ev e = { fo_now(s), victim, heal ? end[kind] : start[kind],
			      NIC_BH_TX | NIC_BH_RX };
	fault_apply(&s->h.nic, &e);
}

static int all_moved(const struct fo_sim *s)
{
	for (unsigned i = 0; i < s->cfg.n_vms; i++)
		if (s->vm[i].affected && !s->vm[i].first_elsewhere)
			return 0;
	return 1;
}

static int any_back(const struct fo_sim *s)
{
	for (unsigned i = 0; i < s->cfg.n_vms; i++)
		if (s->vm[i].affected && s->vm[i].back_at)
			return 1;
	return 0;
}

void fo_trial(struct fo_sim *s, uint8_t kind, uint8_t victim, uint64_t delay_ns,
	      uint64_t window_ns, struct fo_result *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->victim = victim;
	run_until(s, fo_now(s) + delay_ns);
	uint64_t drops0 = tx_drops(s), stalls0 = s->stalls;

	r->fault_at = fo_now(s);
	s->r = r;
	s->victim = victim;
	s->fault_at = r->fault_at;
	s->heal_at = 0;
	for (unsigned i = 0; i < s->cfg.n_vms; i++) {
		struct fo_vm *v = &s->vm[i];
		v->affected = v->cur_port == victim;
		v->first_elsewhere = v->back_at = 0;
		r->affected += (unsigned)v->affected;
	}
	apply(s, kind, victim, 0);
	uint64_t deadline = r->fault_at + window_ns;
	while (fo_now(s) < deadline && !all_moved(s))
		run_until(s, fo_now(s) + CHECK_NS < deadline ? fo_now(s) + CHECK_NS : deadline);
	fo_run_for(s, SETTLE_NS);

	r->failover_ns = 0;
	for (unsigned i = 0; i < s->cfg.n_vms; i++) {
		struct fo_vm *v = &s->vm[i];
		if (!v->affected)
			continue;
		if (!v->first_elsewhere) {
			r->failover_ns = UINT64_MAX;
		} else {
			r->moved++;
			if (r->failover_ns != UINT64_MAX && v->first_elsewhere - r->fault_at > r->failover_ns)
				r->failover_ns = v->first_elsewhere - r->fault_at;
		}
		/* An echo still missing now is an outage that lasts at least this long. */
		if (s->cfg.req_every_ns && v->last_echo && fo_now(s) - v->last_echo > r->outage_ns)
			r->outage_ns = fo_now(s) - v->last_echo;
	}

	s->heal_at = fo_now(s);
	apply(s, kind, victim, 1);
	deadline = s->heal_at + window_ns;
	while (fo_now(s) < deadline && !any_back(s))
		run_until(s, fo_now(s) + CHECK_NS < deadline ? fo_now(s) + CHECK_NS : deadline);
	r->failback_ns = UINT64_MAX;
	for (unsigned i = 0; i < s->cfg.n_vms; i++)
		if (s->vm[i].affected && s->vm[i].back_at &&
		    s->vm[i].back_at - s->heal_at < r->failback_ns)
			r->failback_ns = s->vm[i].back_at - s->heal_at;
	fo_run_for(s, SETTLE_NS);
	r->tx_drops = tx_drops(s) - drops0;
	r->vm_stalls = s->stalls - stalls0;
	s->r = NULL;
}
