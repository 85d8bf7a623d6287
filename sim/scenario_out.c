/* SPDX-License-Identifier: MIT */
/* The main job's live view, report (text and JSON) and plot; scenario.h. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "scenario.h"

#define GUARANTEE_TOLERANCE 0.01 /* achieved >= 99 % of what was guaranteed */

static unsigned live_lines; /* lines of the live block on the terminal */
static double last_plain;

const struct snic_vnic_stats *sc_vstats(const struct sc *s, uint16_t vnic)
{
	const uint8_t *w = s->nic.win.base;
	uint32_t off = 0;
	for (int hops = 0; hops < 64; hops++) {
		const struct snic_block_hdr *b = (const void *)(w + off);
		if (b->type == SNIC_BLK_VSTATS) {
			const struct snic_blk_vstats *v = (const void *)b;
			if (vnic >= v->count)
				return NULL;
			return (const void *)(w + v->first + (size_t)vnic * v->stride);
		}
		if (!b->next || b->next >= s->nic.win.size)
			return NULL;
		off = b->next;
	}
	return NULL;
}

/* "52.3G" style, bit/s. */
static const char *rate(char *buf, uint64_t bps)
{
	if (bps == SC_BACKLOG)
		snprintf(buf, 16, "all");
	else if (bps >= 1000000000ull)
		snprintf(buf, 16, "%.1fG", (double)bps / 1e9);
	else
		snprintf(buf, 16, "%.0fM", (double)bps / 1e6);
	return buf;
}

/* What the VM sends now: the last four whole bins. */
static uint64_t rate_now(const struct sc *s, const struct sc_vm *v)
{
	uint64_t now = sc_now(s) < s->end_ns ? sc_now(s) : s->end_ns;
	uint64_t b = now / s->bin_ns, bytes = 0;
	if (b < 5)
		return 0;
	for (uint64_t i = b - 4; i < b && i < SC_BINS; i++)
		bytes += v->bin[i];
	return bytes * 8 * 1000000000ull / (4 * s->bin_ns);
}

static void clear_live(void)
{
	if (live_lines)
		printf("\033[%uA\033[J", live_lines);
	live_lines = 0;
}

void sc_note(struct sc *s, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (s->cfg.live)
		clear_live();
	if (!s->cfg.json)
		printf("%s\n", line);
	if (s->log)
		fprintf(s->log, "%s\n", line);
	fflush(stdout);
}

static void vm_line(const struct sc *s, const struct sc_vm *v, char *out, size_t len)
{
	char b1[16], b2[16];
	const struct snic_vnic_stats *st = sc_vstats(s, v->vnic);
	snprintf(out, len, "  %-4s %7s booked %7s now  %9llu sent %9llu recv  drops: rule %llu "
		 "ring %llu meter %llu", v->name, rate(b1, v->booked), rate(b2, rate_now(s, v)),
		 (unsigned long long)v->tx_frames, (unsigned long long)v->rx_frames,
		 (unsigned long long)v->rx_rule_drops,
		 (unsigned long long)(st ? st->rx_drop_ring : 0),
		 (unsigned long long)(st ? st->rx_drop_meter : 0));
}

/* What is going on: the last event, the bond, what isolation saw. */
static void status_line(const struct sc *s, char *out, size_t len)
{
	const char *phase = "steady: every VM at work";
	for (unsigned e = 0; e < s->n_ev && s->ev[e].at_ns <= sc_now(s); e++)
		phase = s->ev[e].label;
	uint64_t wrong = s->other_rx;
	for (unsigned i = 0; i < s->n_vms; i++)
		wrong += s->vm[i].rx_wrong;
	snprintf(out, len, "  now: %s | uplinks up: %s%s | frames to the wrong VM: %llu",
		 s->cfg.tap ? "real programs" : phase, s->nic.up[0].carrier ? "0 " : "",
		 s->nic.up[1].carrier ? "1" : "", (unsigned long long)wrong);
}

void sc_live(struct sc *s, int final)
{
	if (s->cfg.json || s->draining)
		return;
	double end_ms = (double)s->end_ns / 1e6, w = sc_wall() - s->wall0;
	double now_ms = (double)sc_now(s) / 1e6 < end_ms ? (double)sc_now(s) / 1e6 : end_ms;
	unsigned pct = end_ms > 0 ? (unsigned)(100 * now_ms / end_ms) : 0;
	char bar[21], line[256];
	for (unsigned i = 0; i < 20; i++)
		bar[i] = i < pct / 5 ? '#' : '.';
	bar[20] = '\0';
	if (!s->cfg.live) { /* piped: a plain block now and then */
		if (!final && w - last_plain < 2.0)
			return;
		last_plain = w;
		printf("progress %3u%%  %.1f of %.1f ms simulated, %.1f s wall\n", pct, now_ms,
		       end_ms, w);
		status_line(s, line, sizeof(line));
		printf("%s\n", line);
		for (unsigned i = 0; i < s->n_vms; i++) {
			vm_line(s, &s->vm[i], line, sizeof(line));
			printf("%s\n", line);
		}
		fflush(stdout);
		return;
	}
	clear_live();
	if (s->cfg.tap)
		printf("running with real programs: %.1f ms simulated, %.1f s wall\033[K\n",
		       (double)sc_now(s) / 1e6, w);
	else
		printf("[%s] %3u%%  %.1f / %.1f ms simulated  %.1f s wall\033[K\n", bar, pct,
		       now_ms, end_ms, w);
	status_line(s, line, sizeof(line));
	printf("%s\033[K\n", line);
	for (unsigned i = 0; i < s->n_vms; i++) {
		vm_line(s, &s->vm[i], line, sizeof(line));
		printf("%s\033[K\n", line);
	}
	live_lines = 2 + s->n_vms;
	if (final)
		live_lines = 0;
	fflush(stdout);
}

/* ---- checks the report states ---- */

static uint64_t guaranteed(const struct sc_phase *p, unsigned i)
{
	return p->offer[i] < p->booked[i] ? p->offer[i] : p->booked[i];
}

static int held(const struct sc_phase *p, unsigned i)
{
	return (double)p->rate[i] >= (1.0 - GUARANTEE_TOLERANCE) * (double)guaranteed(p, i);
}

static int all_held(const struct sc *s)
{
	for (unsigned p = 0; p < s->n_ph; p++)
		for (unsigned i = 0; i < s->n_vms; i++)
			if (!held(&s->ph[p], i))
				return 0;
	return 1;
}

/* The VM stopped using the pulled uplink (TX) and kept receiving (RX). */
static int failover_seen(const struct sc *s)
{
	if (!s->fault_ns)
		return 0;
	for (unsigned i = 0; i < s->n_vms; i++) {
		const struct sc_vm *v = &s->vm[i];
		if (!v->fo_first_alive_ns || v->rx_last_ns <= s->fault_ns || !v->fo_gap_max)
			return 0;
	}
	return 1;
}

/* Frames the VM sent that host A never received (after the drain). */
static uint64_t lost(const struct sc_vm *v)
{
	return v->tx_frames > v->host_rx ? v->tx_frames - v->host_rx : 0;
}

static uint64_t wrong_total(const struct sc *s)
{
	uint64_t w = s->other_rx;
	for (unsigned i = 0; i < s->n_vms; i++)
		w += s->vm[i].rx_wrong;
	return w;
}

/* ---- report ---- */

/* The per-VM table; the failover rows only where a cable was pulled. */
static void report_vms(struct sc *s, FILE *f)
{
	fprintf(f, "per VM            ");
	for (unsigned i = 0; i < s->n_vms; i++)
		fprintf(f, "%14s", s->vm[i].name);
	fprintf(f, "\n");
#define ROW(title, expr) do { fprintf(f, "  %-16s", title); \
	for (unsigned i = 0; i < s->n_vms; i++) { const struct sc_vm *v = &s->vm[i]; \
		const struct snic_vnic_stats *st = sc_vstats(s, v->vnic); (void)st; \
		fprintf(f, "%14llu", (unsigned long long)(expr)); } fprintf(f, "\n"); } while (0)
	ROW("sent packets", v->tx_frames);
	ROW("sent bytes", v->tx_bytes);
	ROW("recv packets", v->rx_frames);
	ROW("recv bytes", v->rx_bytes);
	ROW("drop rule", v->rx_rule_drops);
	ROW("drop ring full", st ? st->rx_drop_ring : 0);
	ROW("drop meter", st ? st->rx_drop_meter : 0);
	ROW("drop tx spoof", st ? st->tx_drop_spoof : 0);
	ROW("drop tx down", st ? st->tx_drop_down : 0);
	ROW("VM ring full", v->stalls);
	if (s->fault_ns) {
		ROW("into dead uplink", v->tx_lost_wire);
		ROW("lost (not at A)", lost(v));
		ROW("failover tx ns", v->fo_gap_max);
		ROW("failover rx ns", v->rx_gap_max);
		fprintf(f, "  (failover tx: the longest silence of any one of a VM's %u flows at "
			"host A after the pull;\n   failover rx: the longest gap in host A's stream "
			"to the VM, one frame every %llu ns when all is well)\n", SC_FLOWS,
			(unsigned long long)s->host[0].flow[0].every_ns);
	}
#undef ROW
}

static void report_phases(struct sc *s, FILE *f)
{
	char b1[16], b2[16];
	fprintf(f, "achieved vs booked (Gbit/s, measured after each event settled; ok = at "
		"least 99 %% of min(booked, offered)):\n");
	for (unsigned p = 0; p < s->n_ph; p++) {
		const struct sc_phase *ph = &s->ph[p];
		fprintf(f, "  %-34.34s", ph->name);
		for (unsigned i = 0; i < s->n_vms; i++)
			fprintf(f, "  %6s/%-5s %-3s", rate(b1, ph->rate[i]), rate(b2, ph->booked[i]),
				held(ph, i) ? "ok" : "LOW");
		fprintf(f, "\n");
	}
	fprintf(f, "isolation: guarantees held in every phase (flood included): %s\n",
		all_held(s) ? "yes" : "NO");
	fprintf(f, "failover: uplink %u pulled at %.3f ms: %s; every VM kept sending and "
		"receiving on the other uplink\n", s->fault_up, (double)s->fault_ns / 1e6,
		failover_seen(s) ? "seen" : "NOT SEEN");
}

static void report_text(struct sc *s, FILE *f, const char *png, const char *svg)
{
	char b1[16];
	fprintf(f, "\n== report: %s profile, ", s->nic.prof.hw.profile);
	if (s->cfg.tap)
		fprintf(f, "uplink 0 (%s) cabled to namespace snic-ext", rate(b1, s->link_bps));
	else
		fprintf(f, "bond of uplinks 0+1 (2 x %s)", rate(b1, s->link_bps));
	fprintf(f, ", %.1f ms simulated, %.1f s wall\n", (double)s->end_ns / 1e6,
		sc_wall() - s->wall0);
	if (s->n_ev)
		fprintf(f, "events (the clock is frozen while a tool acts):\n");
	for (unsigned e = 0; e < s->n_ev; e++)
		fprintf(f, "  %8.3f ms  %s%s%s%s%s\n", (double)s->ev[e].at_ns / 1e6, s->ev[e].label,
			s->ev[e].hook_rc ? "  (" : "", s->ev[e].hook_rc > 0 ? "FAILED: " : "",
			s->ev[e].why, s->ev[e].hook_rc ? ")" : "");
	report_vms(s, f);
	if (s->n_ph)
		report_phases(s, f);
	fprintf(f, "isolation: unicast frames delivered to the wrong VM: %llu (broadcast copies "
		"received: %llu)\n", (unsigned long long)wrong_total(s),
		(unsigned long long)s->group_rx);
	fprintf(f, "device drops by reason (no_match: frames for no VNIC here, e.g. the bond's\n"
		"  notifications the switch floods back):");
	for (unsigned r = 0; r < SNIC_DROP_REASONS; r++)
		if (s->nic.drops[r] - s->drops0[r])
			fprintf(f, " %s %llu", snic_drop_name(r),
				(unsigned long long)(s->nic.drops[r] - s->drops0[r]));
	fprintf(f, "\nplot: %s and %s\n", png[0] ? png : "(no gnuplot)", svg[0] ? svg : "-");
	fprintf(f, "files: %s/report.txt, %s/report.json, %s/events.log\n", s->cfg.outdir,
		s->cfg.outdir, s->cfg.outdir);
}

static void report_json(struct sc *s, FILE *f, const char *png, const char *svg)
{
	fprintf(f, "{\n  \"mode\": \"%s\",\n", s->cfg.tap ? "tap" : "timeline");
	fprintf(f, "  \"profile\": \"%s\",\n  \"link_bps\": %llu,\n  \"sim_ns\": %llu,\n"
		"  \"wall_s\": %.2f,\n  \"events\": [", s->nic.prof.hw.profile,
		(unsigned long long)s->link_bps, (unsigned long long)s->end_ns, sc_wall() - s->wall0);
	for (unsigned e = 0; e < s->n_ev; e++)
		fprintf(f, "%s\n    {\"at_ns\": %llu, \"label\": \"%s\", \"tool_wall_s\": %.3f, "
			"\"ok\": %s}", e ? "," : "", (unsigned long long)s->ev[e].at_ns,
			s->ev[e].label, s->ev[e].hook_wall_s, s->ev[e].hook_rc ? "false" : "true");
		/* (the reason is in the text report: it may hold any character) */
	fprintf(f, "\n  ],\n  \"vms\": [");
	for (unsigned i = 0; i < s->n_vms; i++) {
		const struct sc_vm *v = &s->vm[i];
		const struct snic_vnic_stats *st = sc_vstats(s, v->vnic);
		struct snic_vnic_stats z = { 0 };
		if (!st)
			st = &z;
		fprintf(f, "%s\n    {\"name\": \"%s\", \"vnic\": %u, \"booked_bps\": %llu, "
			"\"tx_packets\": %llu, \"tx_bytes\": %llu, \"rx_packets\": %llu, "
			"\"rx_bytes\": %llu, \"drops\": {\"rule\": %llu, \"ring_full\": %llu, "
			"\"meter\": %llu, \"too_long\": %llu, \"tx_spoof\": %llu, \"tx_bad\": %llu, "
			"\"tx_down\": %llu, \"vm_ring_full\": %llu}, \"into_dead_uplink\": %llu, "
			"\"lost\": %llu, \"failover_tx_ns\": %llu, \"rx_gap_ns\": %llu, \"wrong_frames\": %llu}",
			i ? "," : "", v->name, v->vnic, (unsigned long long)v->booked,
			(unsigned long long)v->tx_frames, (unsigned long long)v->tx_bytes,
			(unsigned long long)v->rx_frames, (unsigned long long)v->rx_bytes,
			(unsigned long long)v->rx_rule_drops, (unsigned long long)st->rx_drop_ring,
			(unsigned long long)st->rx_drop_meter, (unsigned long long)st->rx_drop_too_long,
			(unsigned long long)st->tx_drop_spoof, (unsigned long long)st->tx_drop_bad,
			(unsigned long long)st->tx_drop_down, (unsigned long long)v->stalls,
			(unsigned long long)v->tx_lost_wire, (unsigned long long)lost(v),
			(unsigned long long)v->fo_gap_max,
			(unsigned long long)v->rx_gap_max, (unsigned long long)v->rx_wrong);
	}
	fprintf(f, "\n  ],\n  \"phases\": [");
	for (unsigned p = 0; p < s->n_ph; p++) {
		const struct sc_phase *ph = &s->ph[p];
		fprintf(f, "%s\n    {\"name\": \"%s\", \"t0_ns\": %llu, \"t1_ns\": %llu, \"vms\": [",
			p ? "," : "", ph->name, (unsigned long long)ph->t0,
			(unsigned long long)ph->t1);
		for (unsigned i = 0; i < s->n_vms; i++)
			fprintf(f, "%s{\"rate_bps\": %llu, \"booked_bps\": %llu, \"offered_bps\": %lld, "
				"\"held\": %s}", i ? ", " : "", (unsigned long long)ph->rate[i],
				(unsigned long long)ph->booked[i],
				ph->offer[i] == SC_BACKLOG ? -1 : (long long)ph->offer[i],
				held(ph, i) ? "true" : "false");
		fprintf(f, "]}");
	}
	fprintf(f, "\n  ],\n  \"guarantees_held\": %s,\n  \"wrong_vm_frames\": %llu,\n"
		"  \"failover\": {\"uplink\": %u, \"at_ns\": %llu, \"seen\": %s},\n"
		"  \"device_drops\": {", all_held(s) ? "true" : "false",
		(unsigned long long)wrong_total(s), s->fault_up, (unsigned long long)s->fault_ns,
		failover_seen(s) ? "true" : "false");
	int first = 1;
	for (unsigned r = 0; r < SNIC_DROP_REASONS; r++)
		if (s->nic.drops[r] - s->drops0[r]) {
			fprintf(f, "%s\"%s\": %llu", first ? "" : ", ", snic_drop_name(r),
				(unsigned long long)(s->nic.drops[r] - s->drops0[r]));
			first = 0;
		}
	fprintf(f, "},\n  \"plot\": {\"png\": \"%s\", \"svg\": \"%s\"}\n}\n", png, svg);
}

/* 0 when every check held: guarantees, failover, isolation. */
int sc_report(struct sc *s, FILE *f, int json)
{
	char png[512] = "", svg[512] = "";
	sc_plot(s, png, svg, sizeof(png));
	char path[512];
	snprintf(path, sizeof(path), "%s/report.txt", s->cfg.outdir);
	FILE *t = fopen(path, "w");
	if (t) {
		report_text(s, t, png, svg);
		fclose(t);
	}
	snprintf(path, sizeof(path), "%s/report.json", s->cfg.outdir);
	FILE *j = fopen(path, "w");
	if (j) {
		report_json(s, j, png, svg);
		fclose(j);
	}
	if (json)
		report_json(s, f, png, svg);
	else
		report_text(s, f, png, svg);
	if (s->cfg.tap) /* no timeline: isolation is the check */
		return wrong_total(s) ? 1 : 0;
	return all_held(s) && failover_seen(s) && !wrong_total(s) ? 0 : 1;
}
