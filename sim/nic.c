/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "fw.h"
#include "fault.h"
#include "nic.h"
#include "switch.h"
#include "tap.h"


/* Preamble + SFD (8), FCS (4) and inter-frame gap (12) around each frame. */
#define WIRE_OVERHEAD 24u

static uint64_t wire_ns(const struct nic *n, uint32_t len)
{
	uint64_t bits = (uint64_t)(len + WIRE_OVERHEAD) * 8u;
	return bits * 1000u / n->prof.hw.uplink_speed_mbps;
}

uint64_t nic_now_ns(const struct nic *n)
{
	return n->now_ps / 1000u;
}

int nic_init(struct nic *n, const char *profile, const char *window_path)
{
	memset(n, 0, sizeof(*n));
	if (sim_profile_get(profile, &n->prof) < 0) {
		fprintf(stderr, "snic-sim: unknown profile '%s' (have: %s)\n",
			profile, sim_profile_names());
		return -1;
	}
	if (engine_depth() < n->prof.hw.tcam_entries ||
	    engine_exact_slots() < n->prof.hw.exact_entries) {
		fprintf(stderr, "snic-sim: profile %s needs %u ternary entries and %u "
			"exact slots, the match engine model has %u and %u\n", profile,
			n->prof.hw.tcam_entries, n->prof.hw.exact_entries, engine_depth(),
			engine_exact_slots());
		return -1;
	}
	if (n->prof.hw.key_fields & ~engine_key_fields()) {
		fprintf(stderr, "snic-sim: profile %s matches on key fields 0x%x, the match "
			"engine model stores only 0x%x\n", profile, n->prof.hw.key_fields,
			engine_key_fields());
		return -1;
	}
	n->prof.hw.cls_latency = (uint16_t)engine_latency();
	if (sim_window_create(&n->win, window_path, n->prof.window_size) < 0)
		return -1;
	n->eng = engine_new();
	if (!n->eng) {
		fprintf(stderr, "snic-sim: cannot create the match engine model\n");
		sim_window_close(&n->win);
		return -1;
	}
	for (uint32_t i = 0; i < NIC_POOL_SLOTS; i++)
		n->free_list[i] = NIC_POOL_SLOTS - 1 - i;
	for (unsigned i = 0; i < SNIC_MAX_UPLINKS; i++)
		n->up[i].carrier = 1;
	n->n_free = NIC_POOL_SLOTS;
	n->hal.nic = n;
	n->fw_mem = malloc(sizeof(*n->fw_mem));
	n->table_mem = aligned_alloc(FW_STORAGE_ALIGN, FW_TABLE_BYTES);
	n->fw = n->fw_mem && n->table_mem ?
		fw_open(n->fw_mem, sizeof(*n->fw_mem), &n->hal) : NULL;
	if (!n->fw || fw_init(n->fw) < 0) {
		fprintf(stderr, "snic-sim: firmware failed to boot\n");
		nic_fini(n);
		return -1;
	}
	return 0;
}

void nic_fini(struct nic *n)
{
	for (unsigned i = 0; i < SNIC_MAX_UPLINKS; i++) {
		while (n->up[i].wire_head) {
			struct nic_wire *w = n->up[i].wire_head;
			n->up[i].wire_head = w->next;
			free(w->data);
			free(w);
		}
		sim_trace_free(&n->up[i].in);
		sim_pcap_close(n->up[i].out);
		n->up[i].out = NULL;
	}
	for (uint32_t i = 0; i < NIC_POOL_SLOTS; i++) {
		free(n->slot[i].owned);
		n->slot[i].owned = NULL;
	}
	sim_pcap_close(n->drops_out);
	n->drops_out = NULL;
	if (n->eng)
		engine_free(n->eng);
	n->eng = NULL;
	sim_window_close(&n->win);
	free(n->fw_mem);
	n->fw_mem = NULL;
	free(n->table_mem);
	n->table_mem = NULL;
	n->fw = NULL;
}

/* When the uplink's next frame is due: from the switch (*wire = 1) or
 * from its pcap partner; UINT64_MAX if none. A disabled port or a dead
 * link holds the partner back; switch frames only exist while up. */
static uint64_t uplink_due(const struct nic_uplink *u, int *wire)
{
	uint64_t at = UINT64_MAX;
	*wire = 0;
	if (!u->enabled || !u->carrier)
		return at;
	if (u->next < u->in.count)
		at = u->next_at_ns;
	if (u->wire_head && u->wire_head->at_ns < at) {
		at = u->wire_head->at_ns;
		*wire = 1;
	}
	return at;
}

/* The uplink whose next frame is due first, or -1 if none. */
static int earliest_uplink(const struct nic *n, uint64_t *at, int *wire)
{
	int best = -1, w;
	uint64_t best_at = UINT64_MAX;
	*wire = 0;
	for (unsigned i = 0; i < n->prof.hw.n_uplinks; i++) {
		uint64_t t = uplink_due(&n->up[i], &w);
		if (t < best_at) {
			best_at = t;
			best = (int)i;
			*wire = w;
		}
	}
	*at = best_at;
	return best;
}

static void schedule_next(struct nic *n, struct nic_uplink *u, uint64_t now)
{
	if (u->next >= u->in.count)
		return;
	const struct sim_frame *f = &u->in.frames[u->next];
	uint64_t rel = f->ts_ns - u->in.frames[0].ts_ns;
	if (f->ts_ns < u->in.frames[0].ts_ns)
		rel = 0; /* out-of-order capture: send back to back */
	uint64_t at = u->start_ns + rel;
	if (at < u->wire_free_ns)
		at = u->wire_free_ns;
	if (at < now)
		at = now;
	u->next_at_ns = at;
	(void)n;
}

void nic_port_enable(struct nic *n, uint8_t port, int up)
{
	if (port >= n->prof.hw.n_uplinks)
		return;
	struct nic_uplink *u = &n->up[port];
	uint64_t now = nic_now_ns(n);
	if (up && !u->started) {
		u->started = 1;
		u->start_ns = now;
	}
	if (up && !u->enabled)
		schedule_next(n, u, now); /* the partner resumes when the link comes up */
	u->enabled = up ? 1 : 0;
}

static void admit_frame(struct nic *n, uint64_t now)
{
	uint64_t at;
	int wire;
	int port = earliest_uplink(n, &at, &wire);
	if (port < 0 || at > now || n->n_free == 0)
		return;
	struct nic_uplink *u = &n->up[port];
	uint8_t *data, *owned = NULL;
	uint32_t len;
	if (wire) {
		/* The switch already timed the cable: the frame is here. */
		struct nic_wire *w = u->wire_head;
		u->wire_head = w->next;
		if (!u->wire_head)
			u->wire_tail = NULL;
		u->wire_len--;
		data = owned = w->data;
		len = w->len;
		free(w);
	} else {
		const struct sim_frame *f = &u->in.frames[u->next++];
		u->wire_free_ns = now + wire_ns(n, f->len);
		schedule_next(n, u, now);
		if (u->blackhole & NIC_BH_RX) {
			u->rx_lost_blackhole++;
			return;
		}
		data = f->data;
		len = f->len;
	}
	/* Longer than the MAC takes: still a frame that reached the port.
	 * It goes up flagged by its length (only its header is classified)
	 * and the firmware counts it as SNIC_DROP_OVERSIZE, in the port's
	 * counters and in the drops pcap, like every other drop. */
	if (len > NIC_MAX_FRAME)
		u->oversize++;
	uint32_t tag = n->free_list[--n->n_free];
	struct nic_slot *s = &n->slot[tag];
	s->data = data;
	s->owned = owned;
	s->len = len;
	s->port = (uint8_t)port;
	s->time_ns = now;
	engine_push(n->eng, data, len, len, (uint8_t)port, tag);
	n->in_engine++;
}

void nic_edge(struct nic *n)
{
	engine_clock(n->eng);
	n->now_ps += NIC_CLOCK_PS;

	uint32_t tag;
	struct snic_key key;
	struct snic_match m;
	while (engine_pop(n->eng, &tag, &key, &m)) {
		if (tag >= NIC_POOL_SLOTS)
			continue; /* cannot happen: the engine echoes our tags */
		struct nic_slot *s = &n->slot[tag];
		s->match = m;
		s->next = UINT32_MAX;
		if (n->cq_len)
			n->slot[n->cq_tail].next = tag;
		else
			n->cq_head = tag;
		n->cq_tail = tag;
		n->cq_len++;
		n->in_engine--;
	}
}

int nic_step(struct nic *n)
{
	uint64_t now = nic_now_ns(n);

	if (n->faults)
		fault_run(n->faults, n, now);
	if (n->sw)
		sw_run(n->sw, now);
	int quiet = !n->wq_len && !n->in_engine;
	if (n->wq_len)
		n->since_write = 0;
	if (n->wq_len) {
		nic_write_apply(n, &n->wq[n->wq_head]);
		n->wq_head = (n->wq_head + 1) % NIC_WRITE_FIFO;
		n->wq_len--;
	}
	admit_frame(n, now);
	/* An engine with nothing inside and no write for a while has nothing
	 * to compute: with skip_idle_engine, let the clock pass without
	 * evaluating it (the model is the main cost). The device behaves the
	 * same on the virtual clock, but runs faster against the wall clock,
	 * so only harnesses whose host runs on the virtual clock opt in. */
	quiet = quiet && !n->in_engine;
	const uint64_t before_ps = n->now_ps;
	const uint64_t due_ns = n->exact_deadlines ? nic_next_event_ns(n) : UINT64_MAX;
	if (n->skip_idle_engine && quiet && n->idle_clocks >= NIC_SETTLE_CLOCKS &&
	    n->since_write >= 2 * n->prof.hw.cls_latency + NIC_SETTLE_CLOCKS) {
		n->now_ps += NIC_CLOCK_PS;
	} else {
		nic_edge(n);
		n->idle_clocks = quiet ? n->idle_clocks + 1 : 0;
		n->since_write++;
	}
	/* A timer due inside this clock fires at its own time, not at the
	 * edge after it: where a deadline lands then does not depend on the
	 * phase of the busy clock, which depends on when each host started. */
	if (due_ns != UINT64_MAX && due_ns * 1000u > before_ps && due_ns * 1000u < n->now_ps)
		n->now_ps = due_ns * 1000u;
	unsigned work = fw_poll(n->fw);
	return work || n->in_engine || n->cq_len || n->wq_len;
}

int nic_inputs_done(const struct nic *n)
{
	for (unsigned i = 0; i < n->prof.hw.n_uplinks; i++)
		if (n->up[i].next < n->up[i].in.count || n->up[i].wire_head)
			return 0;
	if (n->sw && n->sw->n_ev)
		return 0; /* frames still on the cables or in the switch */
	if (n->faults && fault_next_ns(n->faults) != UINT64_MAX)
		return 0;
	return n->in_engine == 0 && n->cq_len == 0 && n->wq_len == 0;
}

uint64_t nic_next_event_ns(const struct nic *n)
{
	uint64_t at;
	int wire;
	earliest_uplink(n, &at, &wire);
	if (n->sw) {
		uint64_t t = sw_next_ns(n->sw);
		if (t < at)
			at = t;
	}
	if (n->faults) {
		uint64_t t = fault_next_ns(n->faults);
		if (t < at)
			at = t;
	}
	/* Firmware timers (team delays, beacons, notifications, bandwidth
	 * splits, a held frame's tokens). */
	uint64_t t = fw_next_deadline_ns(n->fw);
	return t < at ? t : at;
}

void nic_advance_to(struct nic *n, uint64_t t_ns)
{
	if (t_ns > nic_now_ns(n))
		n->now_ps = t_ns * 1000u;
}

int nic_idle_advance(struct nic *n, uint64_t max_ns)
{
	uint64_t now = nic_now_ns(n);
	uint64_t at = nic_next_event_ns(n);
	if (at < now + max_ns) {
		/* exact_deadlines: one clock short, so the edge that follows
		 * lands on the deadline, as a busy clock's does (nic_step). */
		uint64_t to_ps = at * 1000u;
		if (n->exact_deadlines)
			to_ps = to_ps > n->now_ps + NIC_CLOCK_PS ? to_ps - NIC_CLOCK_PS : n->now_ps;
		if (to_ps > n->now_ps)
			n->now_ps = to_ps;
		return 1;
	}
	n->now_ps += max_ns * 1000u;
	return 0;
}

/* ---- the uplink cables ---- */

static void wire_flush(struct nic_uplink *u)
{
	while (u->wire_head) {
		struct nic_wire *w = u->wire_head;
		u->wire_head = w->next;
		free(w->data);
		free(w);
		u->rx_lost_wire++;
	}
	u->wire_tail = NULL;
	u->wire_len = 0;
}

void nic_link_set(struct nic *n, uint8_t port, int up)
{
	if (port >= n->prof.hw.n_uplinks)
		return;
	struct nic_uplink *u = &n->up[port];
	up = up ? 1 : 0;
	if (u->carrier == up)
		return;
	u->carrier = up;
	u->link_changes++;
	if (!up) {
		u->epoch++;
		wire_flush(u);
		if (n->sw)
			sw_link_down(n->sw, port);
	} else if (u->enabled) {
		schedule_next(n, u, nic_now_ns(n)); /* the partner resumes */
	}
}

void nic_blackhole_set(struct nic *n, uint8_t port, uint8_t dirs)
{
	if (port < n->prof.hw.n_uplinks)
		n->up[port].blackhole = dirs & (NIC_BH_TX | NIC_BH_RX);
}

void nic_tx_refuse_set(struct nic *n, uint8_t port, int on)
{
	if (port < n->prof.hw.n_uplinks)
		n->up[port].tx_refuse = on ? 1 : 0;
}

void nic_wire_push(struct nic *n, uint8_t port, uint8_t *data, uint32_t len, uint64_t at_ns)
{
	struct nic_wire *w = port < n->prof.hw.n_uplinks ? malloc(sizeof(*w)) : NULL;
	if (!w) {
		free(data);
		return;
	}
	w->next = NULL;
	w->at_ns = at_ns;
	w->len = len;
	w->data = data;
	struct nic_uplink *u = &n->up[port];
	if (u->wire_tail)
		u->wire_tail->next = w;
	else
		u->wire_head = w;
	u->wire_tail = w;
	u->wire_len++;
}

int nic_uplink_tx(struct nic *n, uint8_t port, const uint8_t *data, uint32_t len)
{
	if (port >= n->prof.hw.n_uplinks)
		return -1;
	struct nic_uplink *u = &n->up[port];
	uint64_t now = nic_now_ns(n);
	if (u->tx_refuse || (n->sw && sw_in_backlog_ns(n->sw, port, now) > NIC_TX_FIFO_NS)) {
		u->tx_refused++;
		return -1;
	}
	if (u->out)
		sim_pcap_write(u->out, data, len, now);
	u->tx_frames++;
	if (n->tx_hook)
		n->tx_hook(n->tx_hook_ctx, port, data, len, now);
	if (!u->carrier) {
		u->tx_lost_down++;
		return 0;
	}
	if (u->blackhole & NIC_BH_TX) {
		u->tx_lost_blackhole++;
		return 0;
	}
	if (u->tap) {
		sim_tap_send(u->tap, data, len);
		return 0;
	}
	if (n->sw)
		sw_send(n->sw, port, data, len, now, u->epoch);
	return 0;
}

void nic_slot_release(struct nic *n, uint32_t tag)
{
	if (tag >= NIC_POOL_SLOTS)
		return;
	free(n->slot[tag].owned);
	n->slot[tag].owned = NULL;
	n->free_list[n->n_free++] = tag;
}
