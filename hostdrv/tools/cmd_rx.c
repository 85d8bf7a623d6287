/* SPDX-License-Identifier: MIT */
/*
 * snicctl rx: post buffers on every RX ring, poll them and write one pcap
 * per VNIC (DIR/vnic<ID>.pcap), until the device halts and every ring is
 * drained (or SIGINT/SIGTERM, or --idle-exit after --idle-ms without a
 * frame).
 *
 * Frames of the shared HRR (SNIC_RXF_MARK_SW) go through the host software
 * classifier into one software receive ring per VNIC (--hw-vnic instead
 * trusts the completion's VNIC). Each HRR is served in its current mode,
 * re-read every pass so `snicctl ring mode R poll|intr` switches it live:
 * poll mode pulls up to --budget frames per pass; interrupt mode drains
 * the ring when its irq_count moves (with a slow safety poll). The SRRs
 * follow HRR 0: in interrupt mode every queued frame is handed over at
 * once (a software interrupt), in poll mode per SRR.
 *
 * Polling follows the bandwidth allocation (snic_ring_poll_plan, per SRR
 * snic_vnic_alloc_bps): each ring or SRR is polled when its interval has
 * passed and up to its budget per poll; --budget N instead polls every
 * pass with a fixed budget. Plans are re-read every PLAN_REFRESH_MS.
 *
 * Ring moves keep order: a frame from a dedicated HRR for VNIC v is only
 * written after everything v's SRR still holds (a VNIC just promoted from
 * the shared HRR; the device already held the new ring back until HRR 0
 * was consumed up to the move).
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "snicctl.h"

#define MAX_VNIC_IDS 65536
#define SAFETY_POLL_MS 50   /* interrupt mode: poll anyway this often */
#define PLAN_REFRESH_MS 250 /* re-read the allocations this often */
#define MAX_NAP_NS 50000    /* longest sleep when idle */

struct rx_ctx {
	const char     *dir;
	pcap_t         *dead;
	pcap_dumper_t **dump;     /* by VNIC id, opened on the first frame */
	uint64_t       *frames;
	uint64_t       *bytes;
	uint64_t       *colors;   /* [vnic * 3 + colour] of metered frames */
	uint64_t       *sw_frames;/* per VNIC: delivered through its SRR */
	uint64_t        no_vnic;  /* completions naming no VNIC */
	uint64_t        total;
	uint64_t        via_srr;  /* delivered through a software ring */
	uint64_t        srr_first;/* SRR frames delivered ahead of a newer HRR frame */
	int             failed;
	struct snic_swcls *sw;    /* NULL with --hw-vnic */
	int             err;      /* a library error inside the callback */
};

static volatile sig_atomic_t stop_requested;
static uint32_t x_srr_size;   /* --srr-size, for the SRR polling plans */

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void write_frame(void *arg, const struct snic_rx_frame *f)
{
	struct rx_ctx *x = arg;
	uint16_t v = f->cpl.vnic;

	x->total++;
	if (v == SNIC_VNIC_NONE) {
		x->no_vnic++;
		return;
	}
	if (!x->dump[v]) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/vnic%u.pcap", x->dir, v);
		x->dump[v] = pcap_dump_open(x->dead, path);
		if (!x->dump[v]) {
			fprintf(stderr, "snicctl: rx: cannot write %s: %s\n", path,
				pcap_geterr(x->dead));
			x->failed = 1;
			return;
		}
	}
	struct pcap_pkthdr h;
	h.ts.tv_sec = (time_t)(f->cpl.time_ns / 1000000000u);
	h.ts.tv_usec = (suseconds_t)(f->cpl.time_ns % 1000000000u / 1000u);
	h.caplen = f->cpl.len;
	h.len = f->cpl.len;
	pcap_dump((u_char *)x->dump[v], &h, f->data);
	x->frames[v]++;
	x->bytes[v] += f->cpl.len;
	if (f->cpl.meter != SNIC_METER_NONE && f->cpl.color < 3)
		x->colors[(size_t)v * 3 + f->cpl.color]++;
}

static void srr_frame(void *arg, const struct snic_rx_frame *f)
{
	struct rx_ctx *x = arg;

	x->via_srr++;
	if (f->cpl.vnic != SNIC_VNIC_NONE)
		x->sw_frames[f->cpl.vnic]++;
	write_frame(arg, f);
}

/* HRR completion: shared-ring frames to the software classifier. */
static void hrr_frame(void *arg, const struct snic_rx_frame *f)
{
	struct rx_ctx *x = arg;

	if (x->sw && (f->cpl.flags & SNIC_RXF_MARK_SW)) {
		int rc = snic_swcls_input(x->sw, f);
		if (rc < 0)
			x->err = rc;
		return;
	}
	/* A VNIC that just left the shared HRR: its SRR frames are older. */
	if (x->sw && f->cpl.vnic != SNIC_VNIC_NONE && snic_srr_pending(x->sw, f->cpl.vnic))
		x->srr_first += snic_srr_poll(x->sw, f->cpl.vnic, ~0u, srr_frame, x);
	write_frame(arg, f);
}

static void flush_all(struct rx_ctx *x)
{
	for (unsigned v = 0; v < MAX_VNIC_IDS; v++)
		if (x->dump[v])
			pcap_dump_flush(x->dump[v]);
}

static void report(struct ctl *c, struct rx_ctx *x, uint32_t state)
{
	if (c->json) {
		struct json *j = &c->j;
		json_obj_begin(j, NULL);
		json_str(j, "state", snic_state_name(state));
		json_uint(j, "frames", x->total);
		json_uint(j, "no_vnic", x->no_vnic);
		json_uint(j, "via_srr", x->via_srr);
		json_uint(j, "srr_before_hrr", x->srr_first);
		if (x->sw) {
			struct snic_swcls_stats st;
			snic_swcls_stats(x->sw, &st);
			json_obj_begin(j, "software_classifier");
			json_uint(j, "frames", st.frames);
			json_uint(j, "hits", st.hits);
			json_uint(j, "drop_no_match", st.drop_no_match);
			json_uint(j, "drop_rule", st.drop_rule);
			json_uint(j, "drop_no_vnic", st.drop_no_vnic);
			json_uint(j, "drop_srr_full", st.drop_srr_full);
			json_uint(j, "mismatch_with_hw", st.mismatch);
			json_uint(j, "mirror_loads", st.reloads);
			json_uint(j, "group_copies", st.group);
			json_uint(j, "drop_group", st.drop_group);
			json_uint(j, "software_rule_hits", st.sw_hits);
			json_uint(j, "software_rule_fallthrough", st.sw_fallthrough);
			json_obj_end(j);
		}
		json_arr_begin(j, "vnics");
		for (unsigned v = 0; v < MAX_VNIC_IDS; v++) {
			if (!x->frames[v])
				continue;
			const uint64_t *col = &x->colors[(size_t)v * 3];
			json_obj_begin(j, NULL);
			json_uint(j, "vnic", v);
			json_uint(j, "frames", x->frames[v]);
			json_uint(j, "bytes", x->bytes[v]);
			json_uint(j, "via_srr", x->sw_frames[v]);
			json_obj_begin(j, "metered");
			json_uint(j, "green", col[0]);
			json_uint(j, "yellow", col[1]);
			json_uint(j, "red", col[2]);
			json_obj_end(j);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
		json_done(j);
		return;
	}
	printf("received %llu frames (device %s)\n", (unsigned long long)x->total,
	       snic_state_name(state));
	for (unsigned v = 0; v < MAX_VNIC_IDS; v++) {
		if (!x->frames[v])
			continue;
		const uint64_t *col = &x->colors[(size_t)v * 3];
		printf("  vnic %u: %llu frames (%llu via its software ring), %llu bytes -> "
		       "%s/vnic%u.pcap\n", v, (unsigned long long)x->frames[v],
		       (unsigned long long)x->sw_frames[v], (unsigned long long)x->bytes[v],
		       x->dir, v);
		if (col[0] + col[1] + col[2])
			printf("    metered: %llu green, %llu yellow, %llu red (marked)\n",
			       (unsigned long long)col[0], (unsigned long long)col[1],
			       (unsigned long long)col[2]);
	}
	if (x->no_vnic)
		printf("  %llu frames named no VNIC (not written)\n",
		       (unsigned long long)x->no_vnic);
	if (x->sw) {
		struct snic_swcls_stats st;
		struct snic_srr_stats srr[64];
		snic_swcls_stats(x->sw, &st);
		printf("software classifier (shared HRR): %llu frames, %llu hits, %llu to SRRs; "
		       "drops: %llu no match, %llu rule, %llu no vnic, %llu SRR full; "
		       "%llu disagreed with hardware; group copies: %llu delivered, %llu refused\n",
		       (unsigned long long)st.frames, (unsigned long long)st.hits,
		       (unsigned long long)x->via_srr, (unsigned long long)st.drop_no_match,
		       (unsigned long long)st.drop_rule, (unsigned long long)st.drop_no_vnic,
		       (unsigned long long)st.drop_srr_full, (unsigned long long)st.mismatch,
		       (unsigned long long)st.group, (unsigned long long)st.drop_group);
		if (st.sw_hits + st.sw_fallthrough)
			printf("  software rules: %llu frames matched, %llu fell through to lower "
			       "entries\n", (unsigned long long)st.sw_hits,
			       (unsigned long long)st.sw_fallthrough);
		unsigned n = snic_srr_stats(x->sw, srr, 64);
		for (unsigned i = 0; i < n && i < 64; i++)
			printf("  SRR vnic %u: %llu queued, %llu delivered, %llu dropped (full)\n",
			       srr[i].vnic, (unsigned long long)srr[i].enqueued,
			       (unsigned long long)srr[i].delivered,
			       (unsigned long long)srr[i].drop_full);
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Poll ring r until empty (interrupt mode) or once up to budget. */
static int serve_ring(struct snic_dev *d, unsigned r, unsigned budget, int drain,
		      struct rx_ctx *x)
{
	int total = 0;

	for (;;) {
		int k = snic_rx_poll(d, r, budget, hrr_frame, x);
		if (k < 0)
			return k;
		if (x->err)
			return x->err;
		total += k;
		if (!drain || (unsigned)k < budget)
			return total;
	}
}

struct ring_state {
	uint32_t irqs;       /* irq_count last seen */
	uint64_t polled_ns;  /* last poll */
	struct snic_poll_plan plan;
};

/* Polling plans of every ring and SRR from the current allocations;
 * a fixed --budget (budget != 0) polls every pass instead. */
static void refresh_plans(struct snic_dev *d, struct rx_ctx *x, unsigned n, unsigned budget,
			  struct ring_state *rs, struct ring_state *srr)
{
	static struct snic_srr_stats st[SNIC_MIRROR_MAX_VNICS];

	for (unsigned r = 0; r < n; r++) {
		if (budget || snic_ring_poll_plan(d, r, &rs[r].plan)) {
			rs[r].plan.interval_ns = 0;
			rs[r].plan.budget = budget ? budget : 64;
		}
	}
	/* SRRs exist for the VNICs the shared ring has carried so far. */
	unsigned k = x->sw ? snic_srr_stats(x->sw, st, SNIC_MIRROR_MAX_VNICS) : 0;
	for (unsigned i = 0; i < k && i < SNIC_MIRROR_MAX_VNICS; i++) {
		struct snic_poll_plan *p = &srr[st[i].vnic].plan;
		snic_poll_plan_for(snic_vnic_alloc_bps(d, st[i].vnic), x_srr_size, p);
		if (budget) {
			p->interval_ns = 0;
			p->budget = budget;
		}
	}
}

/* Pull from the SRRs: all at once in interrupt mode (or when draining),
 * else each SRR when its interval has passed, up to its budget. */
static int serve_srrs(struct rx_ctx *x, int all, uint64_t now, struct ring_state *srr)
{
	int got = 0;

	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++) {
		if (!snic_srr_pending(x->sw, (uint16_t)v))
			continue;
		if (!all && now - srr[v].polled_ns < srr[v].plan.interval_ns)
			continue;
		srr[v].polled_ns = now;
		/* An SRR born since the last plan refresh polls like a fixed budget. */
		unsigned b = srr[v].plan.budget ? srr[v].plan.budget : 64;
		got += (int)snic_srr_poll(x->sw, (uint16_t)v, all ? ~0u : b, srr_frame, x);
	}
	return got;
}

static int rx_loop(struct ctl *c, struct rx_ctx *x, unsigned budget, int idle_exit,
		   unsigned long idle_ms)
{
	struct snic_dev *d = ctl_dev(c);
	unsigned n = snic_rx_count(d);
	static struct ring_state rs[SNIC_LIB_MAX_RINGS], srr[SNIC_MIRROR_MAX_VNICS];
	uint32_t st;

	for (unsigned r = 0; r < n; r++) {
		if (snic_rx_start(d, r))
			return ctl_fail(c, "rx");
		rs[r].irqs = snic_ring_irq_count(d, r);
	}
	refresh_plans(d, x, n, budget, rs, srr);
	/* Scripts wait for this line before they let traffic in. */
	fprintf(stderr, "snicctl: rx: buffers posted on %u rings\n", n);
	uint64_t last_frame = now_ns(), last_flush = last_frame, last_plan = last_frame;
	for (;;) {
		st = snic_state(d);   /* before the pass: a halted device is drained after it */
		int halted = st == SNIC_STATE_HALTED || st == SNIC_STATE_FAILED || stop_requested;
		uint64_t now = now_ns(), next_due = now + MAX_NAP_NS;
		int got = 0;
		if (now - last_plan >= PLAN_REFRESH_MS * 1000000ull) {
			refresh_plans(d, x, n, budget, rs, srr);
			last_plan = now;
		}
		for (unsigned r = 0; r < n; r++) {
			int intr = snic_ring_mode(d, r) == SNIC_MODE_INTR;
			uint32_t irqs = snic_ring_irq_count(d, r);
			/* Interrupt mode: only when the device signalled, or as a
			 * safety net, or for the final drain. Poll mode: when the
			 * plan's interval has passed. */
			uint64_t every = intr ? SAFETY_POLL_MS * 1000000ull : rs[r].plan.interval_ns;
			if (!halted && (!intr || irqs == rs[r].irqs) && now - rs[r].polled_ns < every) {
				if (rs[r].polled_ns + every < next_due)
					next_due = rs[r].polled_ns + every;
				continue;
			}
			rs[r].irqs = irqs;
			rs[r].polled_ns = now;
			int k = serve_ring(d, r, rs[r].plan.budget, intr || halted, x);
			if (k < 0)
				return ctl_fail(c, "rx");
			got += k;
		}
		if (x->sw) {
			int sw_intr = n && snic_ring_mode(d, 0) == SNIC_MODE_INTR;
			got += serve_srrs(x, sw_intr || halted, now, srr);
		}
		if (x->failed)
			return EXIT_DEVICE;
		if (got) {
			last_frame = now;
			continue;
		}
		if (halted)
			break;
		if (idle_exit && now - last_frame >= idle_ms * 1000000ull)
			break;
		if (now - last_flush >= 200000000ull) {
			flush_all(x);
			last_flush = now;
		}
		uint64_t nap_ns = next_due > now ? next_due - now : 0;
		if (nap_ns > MAX_NAP_NS)
			nap_ns = MAX_NAP_NS;
		struct timespec nap = { 0, (long)nap_ns };
		nanosleep(&nap, NULL);
	}
	flush_all(x);
	report(c, x, st);
	if (st == SNIC_STATE_FAILED) {
		fprintf(stderr, "snicctl: rx: the device firmware failed\n");
		return EXIT_DEVICE;
	}
	return 0;
}

int cmd_rx(struct ctl *c, int argc, char **argv)
{
	struct rx_ctx x;
	unsigned long budget = 0, idle_ms = 1000, srr_size = 256;
	int idle_exit = 0, hw_vnic = 0;

	memset(&x, 0, sizeof(x));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--idle-exit")) {
			idle_exit = 1;
		} else if (!strcmp(a, "--hw-vnic")) {
			hw_vnic = 1;
		} else if (!strcmp(a, "--srr-size")) {
			if (ctl_uint(a, ctl_optval(argc, argv, &i), 1, 65536, &srr_size))
				return EXIT_USAGE;
			if (srr_size & (srr_size - 1))
				return ctl_usage("rx: --srr-size must be a power of two");
		} else if (!strcmp(a, "--out-dir")) {
			if (!(x.dir = ctl_optval(argc, argv, &i)))
				return ctl_usage("rx: --out-dir needs a directory");
		} else if (!strcmp(a, "--idle-ms")) {
			if (ctl_uint(a, ctl_optval(argc, argv, &i), 1, 3600000, &idle_ms))
				return EXIT_USAGE;
		} else if (!strcmp(a, "--budget")) {
			if (ctl_uint(a, ctl_optval(argc, argv, &i), 1, 65536, &budget))
				return EXIT_USAGE;
		} else {
			return ctl_usage("rx: unknown option '%s'", a);
		}
	}
	if (!x.dir)
		return ctl_usage("rx needs --out-dir DIR");
	/* Made here, once: a missing directory is one clear error, not one
	 * per frame. */
	struct stat st;
	if (mkdir(x.dir, 0777) && (stat(x.dir, &st) || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "snicctl: rx: --out-dir %s: cannot create the directory: %s\n",
			x.dir, strerror(errno));
		return EXIT_DEVICE;
	}
	x.dead = pcap_open_dead(DLT_EN10MB, 65535);
	x.dump = calloc(MAX_VNIC_IDS, sizeof(*x.dump));
	x.frames = calloc(MAX_VNIC_IDS, sizeof(*x.frames));
	x.bytes = calloc(MAX_VNIC_IDS, sizeof(*x.bytes));
	x.colors = calloc((size_t)MAX_VNIC_IDS * 3, sizeof(*x.colors));
	x.sw_frames = calloc(MAX_VNIC_IDS, sizeof(*x.sw_frames));
	x_srr_size = (uint32_t)srr_size;
	if (!x.dead || !x.dump || !x.frames || !x.bytes || !x.colors || !x.sw_frames) {
		fprintf(stderr, "snicctl: rx: out of memory\n");
		return EXIT_DEVICE;
	}
	if (!hw_vnic) {
		x.sw = snic_swcls_new(ctl_dev(c), (uint32_t)srr_size);
		if (!x.sw)
			return ctl_fail(c, "rx");
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	int rc = rx_loop(c, &x, (unsigned)budget, idle_exit, idle_ms);
	for (unsigned v = 0; v < MAX_VNIC_IDS; v++)
		if (x.dump[v])
			pcap_dump_close(x.dump[v]);
	pcap_close(x.dead);
	snic_swcls_free(x.sw);
	free(x.dump);
	free(x.frames);
	free(x.bytes);
	free(x.colors);
	free(x.sw_frames);
	return rc;
}
