/* SPDX-License-Identifier: MIT */
/*
 * snicctl rx: post buffers on every RX ring, poll them and write one pcap
 * per VNIC (DIR/vnic<ID>.pcap), until the device halts and every ring is
 * drained (or SIGINT/SIGTERM, or --idle-exit after --idle-ms without a
 * frame). Frames of the shared ring are delivered by the completion's
 * VNIC for now.
 */
#include <pcap/pcap.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "snicctl.h"

#define MAX_VNIC_IDS 65536

struct rx_ctx {
	const char     *dir;
	pcap_t         *dead;
	pcap_dumper_t **dump;     /* by VNIC id, opened on the first frame */
	uint64_t       *frames;
	uint64_t       *bytes;
	uint64_t        no_vnic;  /* completions naming no VNIC */
	uint64_t        total;
	int             failed;
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void deliver(void *arg, const struct snic_rx_frame *f)
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
		json_arr_begin(j, "vnics");
		for (unsigned v = 0; v < MAX_VNIC_IDS; v++) {
			if (!x->frames[v])
				continue;
			json_obj_begin(j, NULL);
			json_uint(j, "vnic", v);
			json_uint(j, "frames", x->frames[v]);
			json_uint(j, "bytes", x->bytes[v]);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
		json_done(j);
		return;
	}
	printf("received %llu frames (device %s)\n", (unsigned long long)x->total,
	       snic_state_name(state));
	for (unsigned v = 0; v < MAX_VNIC_IDS; v++)
		if (x->frames[v])
			printf("  vnic %u: %llu frames, %llu bytes -> %s/vnic%u.pcap\n", v,
			       (unsigned long long)x->frames[v], (unsigned long long)x->bytes[v],
			       x->dir, v);
	if (x->no_vnic)
		printf("  %llu frames named no VNIC (not written)\n",
		       (unsigned long long)x->no_vnic);
}

static int rx_loop(struct ctl *c, struct rx_ctx *x, unsigned budget, int idle_exit,
		   unsigned long idle_ms)
{
	struct snic_dev *d = ctl_dev(c);
	unsigned n = snic_rx_count(d);
	struct timespec nap = { 0, 50 * 1000 };
	uint64_t last_frame = 0, last_flush = 0;
	uint32_t st;

	for (unsigned r = 0; r < n; r++)
		if (snic_rx_start(d, r))
			return ctl_fail(c, "rx");
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	last_frame = last_flush = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	for (;;) {
		st = snic_state(d);   /* before the pass: a halted device is drained after it */
		int got = 0;
		for (unsigned r = 0; r < n; r++) {
			int k = snic_rx_poll(d, r, budget, deliver, x);
			if (k < 0)
				return ctl_fail(c, "rx");
			got += k;
		}
		if (x->failed)
			return EXIT_DEVICE;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		uint64_t now = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
		if (got) {
			last_frame = now;
			continue;
		}
		if (st == SNIC_STATE_HALTED || st == SNIC_STATE_FAILED || stop_requested)
			break;
		if (idle_exit && now - last_frame >= idle_ms)
			break;
		if (now - last_flush >= 200) {
			flush_all(x);
			last_flush = now;
		}
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
	unsigned long budget = 64, idle_ms = 1000;
	int idle_exit = 0;

	memset(&x, 0, sizeof(x));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--idle-exit")) {
			idle_exit = 1;
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
	x.dead = pcap_open_dead(DLT_EN10MB, 65535);
	x.dump = calloc(MAX_VNIC_IDS, sizeof(*x.dump));
	x.frames = calloc(MAX_VNIC_IDS, sizeof(*x.frames));
	x.bytes = calloc(MAX_VNIC_IDS, sizeof(*x.bytes));
	if (!x.dead || !x.dump || !x.frames || !x.bytes) {
		fprintf(stderr, "snicctl: rx: out of memory\n");
		return EXIT_DEVICE;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	int rc = rx_loop(c, &x, (unsigned)budget, idle_exit, idle_ms);
	for (unsigned v = 0; v < MAX_VNIC_IDS; v++)
		if (x.dump[v])
			pcap_dump_close(x.dump[v]);
	pcap_close(x.dead);
	free(x.dump);
	free(x.frames);
	free(x.bytes);
	return rc;
}
