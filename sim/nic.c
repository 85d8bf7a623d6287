/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>
#include "core/fw.h"
#include "nic.h"

struct nic *sim_nic;

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
	if (engine_depth() < n->prof.hw.tcam_entries) {
		fprintf(stderr, "snic-sim: profile %s needs %u ternary entries, the "
			"match engine model has %u\n", profile,
			n->prof.hw.tcam_entries, engine_depth());
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
	n->n_free = NIC_POOL_SLOTS;
	sim_nic = n;
	if (fw_init() < 0) {
		fprintf(stderr, "snic-sim: firmware failed to boot\n");
		nic_fini(n);
		return -1;
	}
	return 0;
}

void nic_fini(struct nic *n)
{
	for (unsigned i = 0; i < SNIC_MAX_UPLINKS; i++) {
		sim_trace_free(&n->up[i].in);
		sim_pcap_close(n->up[i].out);
		n->up[i].out = NULL;
	}
	sim_pcap_close(n->drops_out);
	n->drops_out = NULL;
	if (n->eng)
		engine_free(n->eng);
	n->eng = NULL;
	sim_window_close(&n->win);
	if (sim_nic == n)
		sim_nic = NULL;
}

/* The enabled uplink whose next frame is due first, or -1 if none. */
static int earliest_uplink(const struct nic *n, uint64_t *at)
{
	int best = -1;
	uint64_t best_at = UINT64_MAX;
	for (unsigned i = 0; i < n->prof.hw.n_uplinks; i++) {
		const struct nic_uplink *u = &n->up[i];
		if (!u->enabled || u->next >= u->in.count)
			continue;
		if (u->next_at_ns < best_at) {
			best_at = u->next_at_ns;
			best = (int)i;
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
	int port = earliest_uplink(n, &at);
	if (port < 0 || at > now || n->n_free == 0)
		return;
	struct nic_uplink *u = &n->up[port];
	const struct sim_frame *f = &u->in.frames[u->next++];
	u->wire_free_ns = now + wire_ns(n, f->len);
	schedule_next(n, u, now);
	if (f->len > NIC_MAX_FRAME) {
		u->oversize++;
		return;
	}
	uint32_t tag = n->free_list[--n->n_free];
	struct nic_slot *s = &n->slot[tag];
	s->data = f->data;
	s->len = f->len;
	s->port = (uint8_t)port;
	s->time_ns = now;
	engine_push(n->eng, f->data, f->len, f->len, (uint8_t)port, tag);
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

	if (n->wq_len) {
		struct nic_write *w = &n->wq[n->wq_head];
		engine_write(n->eng, w->idx, w->clear ? NULL : &w->rule);
		n->wq_head = (n->wq_head + 1) % NIC_WRITE_FIFO;
		n->wq_len--;
	}
	admit_frame(n, now);
	nic_edge(n);
	unsigned work = fw_poll();
	return work || n->in_engine || n->cq_len || n->wq_len;
}

int nic_inputs_done(const struct nic *n)
{
	for (unsigned i = 0; i < n->prof.hw.n_uplinks; i++)
		if (n->up[i].next < n->up[i].in.count)
			return 0;
	return n->in_engine == 0 && n->cq_len == 0 && n->wq_len == 0;
}

int nic_idle_advance(struct nic *n, uint64_t max_ns)
{
	uint64_t now = nic_now_ns(n), at;
	if (earliest_uplink(n, &at) >= 0 && at < now + max_ns) {
		if (at > now)
			n->now_ps = at * 1000u;
		return 1;
	}
	n->now_ps += max_ns * 1000u;
	return 0;
}
