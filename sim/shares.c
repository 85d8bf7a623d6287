/* SPDX-License-Identifier: MIT */
/* Bandwidth-share scenarios; see shares.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "shares.h"

#define ETH_P_TEST 0x88b6 /* IEEE local experimental 2 (0x88b5: beacons) */
#define NS_PER_S   1000000000ull

static const uint8_t HOST_MAC[6] = { 0x02, 0xee, 0, 0, 0, 0x02 };
static const uint8_t HOST_IP[4] = { 10, 2, 0, 254 };

struct sh_vm {
	uint16_t vnic, tx_ring;
	uint8_t  mac[6];
	uint8_t  frame[HOSTSIM_BUF];
	uint32_t len;
	uint64_t offer;            /* wire bit/s, SH_BACKLOG or 0 */
	uint64_t next_ns;          /* paced: next frame due */
	uint64_t gap_ns, gap_rem, acc; /* paced: period = gap_ns + gap_rem/offer */
	uint64_t bytes;            /* wire bytes on the uplinks since the mark */
};

struct sh_sim {
	struct sh_config cfg;
	struct harness   h;
	struct sh_vm     vm[SH_MAX_VMS];
	uint64_t         mark_at;
	uint64_t         up_bytes[SNIC_MAX_UPLINKS];
	uint64_t         stalls;
};

uint64_t sh_now(const struct sh_sim *s)
{
	return harness_now(&s->h);
}

static uint64_t wire_bytes(uint32_t len)
{
	return (uint64_t)(len < 60 ? 60 : len) + 24;
}

/* Every frame the NIC puts on an uplink. */
static void on_tx(void *ctx, uint8_t port, const uint8_t *data, uint32_t len, uint64_t now)
{
	struct sh_sim *s = ctx;
	(void)now;
	if (len < 14 || port >= SNIC_MAX_UPLINKS)
		return;
	for (unsigned i = 0; i < s->cfg.n_vms; i++)
		if (!memcmp(s->vm[i].mac, data + 6, 6)) {
			s->vm[i].bytes += wire_bytes(len);
			s->up_bytes[port] += wire_bytes(len);
			return;
		}
}

/* ---- the VMs ---- */

void sh_offer(struct sh_sim *s, unsigned vm, uint64_t bps)
{
	struct sh_vm *v = &s->vm[vm];
	v->offer = bps;
	if (!bps || bps == SH_BACKLOG)
		return;
	/* Exact pacing: one frame every bits * 1e9 / bps ns, the remainder carried. */
	uint64_t bits_ns = wire_bytes(v->len) * 8 * NS_PER_S;
	v->gap_ns = bits_ns / bps;
	v->gap_rem = bits_ns % bps;
	v->acc = 0;
	v->next_ns = sh_now(s);
}

/* Queue what is due; 1 if anything was queued. */
static int vms_fill(struct sh_sim *s, uint64_t now)
{
	int queued = 0;
	for (unsigned i = 0; i < s->cfg.n_vms; i++) {
		struct sh_vm *v = &s->vm[i];
		if (v->offer == SH_BACKLOG) {
			while (hostsim_tx(&s->h.hs, v->tx_ring, v->frame, v->len) == 0)
				queued = 1;
			continue;
		}
		while (v->offer && v->next_ns <= now) {
			if (hostsim_tx(&s->h.hs, v->tx_ring, v->frame, v->len) < 0) {
				s->stalls++; /* ring full: the frame waits in the VM */
				break;
			}
			queued = 1;
			v->next_ns += v->gap_ns;
			v->acc += v->gap_rem;
			if (v->acc >= v->offer) {
				v->acc -= v->offer;
				v->next_ns++;
			}
		}
	}
	return queued;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Next time something outside the device's own events is due: a paced VM
 * frame, or room in an uplink's TX FIFO (the NIC refuses a frame while
 * more than NIC_TX_FIFO_NS of wire time is booked ahead). */
static uint64_t next_due(const struct sh_sim *s, uint64_t now)
{
	uint64_t t = UINT64_MAX;
	for (unsigned i = 0; i < s->cfg.n_vms; i++)
		if (s->vm[i].offer && s->vm[i].offer != SH_BACKLOG)
			t = min64(t, s->vm[i].next_ns);
	for (unsigned u = 0; u < s->h.nic.prof.hw.n_uplinks; u++) {
		uint64_t b = sw_in_backlog_ns(&s->h.sw, u, now);
		if (b > NIC_TX_FIFO_NS)
			t = min64(t, now + b - NIC_TX_FIFO_NS);
	}
	return t;
}

static uint64_t refusals(const struct sh_sim *s)
{
	uint64_t r = 0;
	for (unsigned u = 0; u < s->h.nic.prof.hw.n_uplinks; u++)
		r += s->h.nic.up[u].tx_refused;
	return r;
}

/* 1 when some uplink would take a frame now. */
static int uplink_room(const struct sh_sim *s, uint64_t now)
{
	for (unsigned u = 0; u < s->cfg.n_members; u++)
		if (s->h.nic.up[u].carrier && sw_in_backlog_ns(&s->h.sw, u, now) <= NIC_TX_FIFO_NS)
			return 1;
	return 0;
}

static void run_until(struct sh_sim *s, uint64_t t)
{
	struct nic *n = &s->h.nic;
	while (nic_now_ns(n) < t) {
		int queued = vms_fill(s, nic_now_ns(n));
		uint64_t refused = refusals(s);
		int busy = nic_step(n);
		if (busy || queued)
			continue;
		/* A frame the chosen member refused is tried again in the next
		 * poll (round robin moves on): a real core polls continuously,
		 * so do not sleep past it while another member has room. */
		if (refusals(s) != refused && uplink_room(s, nic_now_ns(n)))
			continue;
		/* Idle: jump to whatever happens next. */
		uint64_t now = nic_now_ns(n);
		uint64_t next = min64(nic_next_event_ns(n), next_due(s, now));
		nic_advance_to(n, next < t ? next : t);
	}
}

void sh_run_for(struct sh_sim *s, uint64_t ns)
{
	run_until(s, sh_now(s) + ns);
}

void sh_mark(struct sh_sim *s)
{
	s->mark_at = sh_now(s);
	for (unsigned i = 0; i < s->cfg.n_vms; i++)
		s->vm[i].bytes = 0;
	memset(s->up_bytes, 0, sizeof(s->up_bytes));
}

uint64_t sh_rate(const struct sh_sim *s, unsigned vm)
{
	uint64_t dt = sh_now(s) - s->mark_at;
	return dt ? s->vm[vm].bytes * 8 * NS_PER_S / dt : 0;
}

uint64_t sh_uplink_bytes(const struct sh_sim *s, unsigned u)
{
	return u < SNIC_MAX_UPLINKS ? s->up_bytes[u] : 0;
}

uint64_t sh_stalls(const struct sh_sim *s)
{
	return s->stalls;
}

int sh_query(struct sh_sim *s, unsigned vm, struct snic_vnic_share_info *out)
{
	struct snic_vnic_ref r = { s->vm[vm].vnic, 0 };
	memset(out, 0, sizeof(*out));
	return hostsim_admin(&s->h.hs, SNIC_CMD_VNIC_SHARE_QUERY, &r, sizeof(r), out, sizeof(*out));
}

int sh_team(struct sh_sim *s, struct snic_team_status *out)
{
	struct snic_team_set t;
	memset(&t, 0, sizeof(t));
	t.op = SNIC_TEAM_OP_QUERY;
	return hostsim_admin(&s->h.hs, SNIC_CMD_TEAM_SET, &t, sizeof(t), out, sizeof(*out));
}

void sh_link(struct sh_sim *s, uint8_t u, int up)
{
	nic_link_set(&s->h.nic, u, up);
}

/* ---- setup ---- */

static int configure(struct sh_sim *s, char *err, size_t errlen)
{
	const struct sh_config *c = &s->cfg;
	for (uint8_t u = 0; u < c->n_members; u++) {
		struct snic_port_set p = { u, 1, 0 };
		if (harness_admin(&s->h, SNIC_CMD_PORT_SET, &p, sizeof(p), NULL, 0, "PORT_SET",
				  err, errlen))
			return -1;
	}
	struct snic_team_set t;
	memset(&t, 0, sizeof(t));
	t.op = SNIC_TEAM_OP_SET;
	t.policy = c->policy;
	t.n_members = c->n_members;
	for (uint8_t u = 0; u < c->n_members; u++) {
		t.member[u] = u;
		t.role[u] = SNIC_TEAM_ACTIVE;
	}
	if (harness_admin(&s->h, SNIC_CMD_TEAM_SET, &t, sizeof(t), NULL, 0, "TEAM_SET", err, errlen))
		return -1;
	for (unsigned i = 0; i < c->n_vms; i++) {
		struct sh_vm *v = &s->vm[i];
		struct snic_vnic_info info;
		if (harness_vnic_create(&s->h, v->mac, NULL, &info, err, errlen))
			return -1;
		if (!info.tx_ring) {
			snprintf(err, errlen, "VM %u got no dedicated TX ring (too many VMs)", i);
			return -1;
		}
		v->vnic = info.vnic;
		v->tx_ring = info.tx_ring;
		if (!c->weight[i] && !c->min_bps[i])
			continue;
		struct snic_vnic_share sh = { v->vnic, c->weight[i], c->prio[i], 0, 0, c->min_bps[i] };
		if (harness_admin(&s->h, SNIC_CMD_VNIC_SHARE, &sh, sizeof(sh), NULL, 0, "VNIC_SHARE",
				  err, errlen))
			return -1;
	}
	return 0;
}

static void build_frame(struct sh_vm *v, unsigned i, uint32_t len)
{
	memset(v->frame, 0, sizeof(v->frame));
	memcpy(v->frame, HOST_MAC, 6);
	memcpy(v->frame + 6, v->mac, 6);
	v->frame[12] = ETH_P_TEST >> 8;
	v->frame[13] = ETH_P_TEST & 0xff;
	v->frame[14] = (uint8_t)i;
	v->len = len;
}

struct sh_sim *sh_new(const struct sh_config *c, char *err, size_t errlen)
{
	struct sh_sim *s = calloc(1, sizeof(*s));
	uint32_t len = c->frame_len ? c->frame_len : 1500;
	if (!s || c->n_vms < 1 || c->n_vms > SH_MAX_VMS || c->n_members < 1 ||
	    c->n_members > SNIC_MAX_UPLINKS || len < 60 || len > HOSTSIM_BUF) {
		snprintf(err, errlen, "bad configuration or out of memory");
		free(s);
		return NULL;
	}
	s->cfg = *c;
	s->cfg.frame_len = len;
	for (unsigned i = 0; i < c->n_vms; i++) {
		const uint8_t mac[6] = { 0x02, 0, 0, 0, 0x02, (uint8_t)(0x10 + i) };
		memcpy(s->vm[i].mac, mac, 6);
		build_frame(&s->vm[i], i, len);
	}
	const struct harness_config hc = { c->profile, "shares", 0, HOST_MAC, HOST_IP,
					   NULL, on_tx, s };
	if (harness_start(&s->h, &hc, err, errlen) < 0 || configure(s, err, errlen) < 0) {
		sh_free(s);
		return NULL;
	}
	/* One frame from the host, so the switch learns where it is and does
	 * not flood the VMs' frames back into the other uplinks. */
	uint64_t now = sh_now(s);
	exthost_add_flow(&s->h.host, s->vm[0].mac, HOST_IP, 9, 128, now, 1000, now + 1);
	sh_run_for(s, 50000);
	for (unsigned i = 0; i < c->n_vms; i++)
		sh_offer(s, i, c->offer_bps[i]);
	sh_mark(s);
	return s;
}

void sh_free(struct sh_sim *s)
{
	if (!s)
		return;
	harness_stop(&s->h);
	free(s);
}
