/* SPDX-License-Identifier: MIT */
/*
 * snicctl booking: the cluster bookings as the agent applied them (show,
 * from snic-bookd's snapshot next to the window) and writing bookings into
 * the store (set, del), the embedded one by default, etcd with --etcd.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../bookd/booking.h"
#include "../bookd/bookd_opts.h"
#include "../bookd/snapshot.h"
#include "snicctl.h"

static void rate(char *buf, size_t n, uint64_t bps)
{
	if (!bps)
		snprintf(buf, n, "-");
	else
		snic_fmt_rate(buf, n, bps);
}

static void show_line(const struct snap_booking *b)
{
	char o1[24], o2[24], i1[24], i2[24], cap[24], held[24];

	rate(o1, sizeof(o1), b->req.out_bps);
	rate(o2, sizeof(o2), b->granted_out);
	rate(i1, sizeof(i1), b->req.in_bps);
	rate(i2, sizeof(i2), b->granted_in);
	rate(cap, sizeof(cap), b->nic.cap_bps);
	rate(held, sizeof(held), b->nic.min_bps);
	printf("%-5u %-14s %9s/%-9s %9s/%-9s %9s %9s %4u %7u  %s\n", b->vnic, b->state, o1, o2,
	       i1, i2, held, cap, b->req.prio, b->applies, b->reason);
}

static void show_json(struct ctl *c, const struct snap_booking *b)
{
	struct json *j = &c->j;
	char cpu[32];

	json_obj_begin(j, NULL);
	json_uint(j, "vnic", b->vnic);
	json_str(j, "state", b->state);
	json_int(j, "booking_rev", b->booking_rev);
	json_uint(j, "out_bandwidth", b->req.out_bps);
	json_uint(j, "in_bandwidth", b->req.in_bps);
	json_uint(j, "comm", b->req.comm_bps);
	json_uint(j, "cap", b->req.cap_bps);
	json_uint(j, "priority", b->req.prio);
	json_str(j, "pipe", b->req.pipe);
	snprintf(cpu, sizeof(cpu), "%g", b->req.cpu);
	json_str(j, "cpu", cpu);
	json_uint(j, "granted_out", b->granted_out);
	json_uint(j, "granted_in", b->granted_in);
	json_uint(j, "nic_min_bps", b->nic.min_bps);
	json_uint(j, "nic_cap_bps", b->nic.cap_bps);
	json_uint(j, "nic_rx_bps", b->nic.rx_bps);
	json_uint(j, "nic_rx_cap_bps", b->nic.rx_cap_bps);
	json_uint(j, "nic_priority", b->nic.prio);
	json_uint(j, "applies", b->applies);
	json_str(j, "reason", b->reason);
	json_obj_end(j);
}

static void show_head(struct ctl *c, const struct snapshot *s, int alive)
{
	if (c->json) {
		json_obj_begin(&c->j, NULL);
		json_str(&c->j, "node", s->node);
		json_str(&c->j, "store", s->store);
		json_str(&c->j, "nic", s->nic);
		json_int(&c->j, "rev", s->rev);
		json_bool(&c->j, "agent_running", alive);
		json_int(&c->j, "updated", s->updated);
		json_arr_begin(&c->j, "bookings");
		return;
	}
	printf("node %s, store %s, NIC %s: revision %" PRId64 ", written %llds ago by pid %d (%s)\n",
	       s->node, s->store, s->nic, s->rev, (long long)(time(NULL) - s->updated), s->pid,
	       alive ? "running" : "not running");
	printf("%-5s %-14s %19s %19s %9s %9s %4s %7s  %s\n", "VNIC", "STATE", "OUT booked/granted",
	       "IN booked/granted", "NIC MIN", "NIC CAP", "PRIO", "APPLIES", "REASON");
}

static int show(struct ctl *c, long only, const char *path)
{
	struct snapshot s;
	char err[512];
	int found = 0;

	if (snapshot_read(path, &s, err, sizeof(err))) {
		fprintf(stderr, "snicctl: booking: %s (is snic-bookd running with --nic snic:%s?)\n",
			err, c->path);
		return EXIT_DEVICE;
	}
	show_head(c, &s, s.pid > 0 && (kill(s.pid, 0) == 0 || errno == EPERM));
	for (size_t i = 0; i < s.n; i++) {
		if (only >= 0 && s.b[i].vnic != only)
			continue;
		found++;
		if (c->json)
			show_json(c, &s.b[i]);
		else
			show_line(&s.b[i]);
	}
	if (c->json) {
		json_arr_end(&c->j);
		json_obj_end(&c->j);
		json_done(&c->j);
	}
	snapshot_free(&s);
	if (only >= 0 && !found) {
		fprintf(stderr, "snicctl: booking: no booking for VNIC %ld\n", only);
		return EXIT_DEVICE;
	}
	return 0;
}

/* Where set/del write: the same defaults as snic-bookd. */
struct target {
	struct bookd_opts o;
	long vnic;
	const char *raw;
	struct booking b;
};

static int opt_rate(const char *what, const char *s, uint64_t *out)
{
	char err[160];

	if (snic_arg_rate(s, BOOKING_RATE_MIN, BOOKING_RATE_MAX, out, err, sizeof(err)))
		return ctl_usage("%s: %s", what, err);
	return 0;
}

static int target_opt(struct target *t, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *v = ctl_optval(argc, argv, i);
	unsigned long u;

	if (!v)
		return EXIT_USAGE;
	if (!strcmp(a, "--node")) t->o.agent.node = v;
	else if (!strcmp(a, "--cluster")) t->o.agent.cluster = v;
	else if (!strcmp(a, "--prefix")) t->o.agent.prefix = v;
	else if (!strcmp(a, "--etcd")) t->o.etcd.endpoints = v;
	else if (!strcmp(a, "--store-dir")) t->o.store_dir = v;
	else if (!strcmp(a, "--raw")) t->raw = v;
	else if (!strcmp(a, "--out")) return opt_rate(a, v, &t->b.out_bps);
	else if (!strcmp(a, "--in")) return opt_rate(a, v, &t->b.in_bps);
	else if (!strcmp(a, "--comm")) return opt_rate(a, v, &t->b.comm_bps);
	else if (!strcmp(a, "--cap")) {
		t->b.has_cap = 1;
		return opt_rate(a, v, &t->b.cap_bps);
	} else if (!strcmp(a, "--prio")) {
		if (ctl_uint(a, v, 0, BOOKING_PRIO_MAX, &u))
			return EXIT_USAGE;
		t->b.prio = (uint8_t)u;
	} else if (!strcmp(a, "--cpu")) {
		char *end;
		t->b.cpu = strtod(v, &end);
		if (*end || !(t->b.cpu >= 0 && t->b.cpu <= BOOKING_CPU_MAX))
			return ctl_usage("--cpu: want 0..%g cores", BOOKING_CPU_MAX);
	} else if (!strcmp(a, "--pipe")) {
		if (!*v || strlen(v) >= sizeof(t->b.pipe))
			return ctl_usage("--pipe: a name of 1-%zu characters", sizeof(t->b.pipe) - 1);
		memcpy(t->b.pipe, v, strlen(v) + 1);
	} else
		return ctl_usage("booking: unknown option %s", a);
	return 0;
}

static int parse_target(struct target *t, int argc, char **argv)
{
	unsigned long v;

	memset(t, 0, sizeof(*t));
	if (argc < 2 || ctl_uint("VNIC", argv[1], 0, 0xfffe, &v))
		return ctl_usage("booking %s: want a VNIC id", argv[0]);
	t->vnic = (long)v;
	t->b.vnic = (uint16_t)v;
	for (int i = 2; i < argc; i++) {
		int rc = target_opt(t, argc, argv, &i);
		if (rc)
			return rc;
	}
	if (t->o.etcd.endpoints && t->o.store_dir)
		return ctl_usage("booking: --etcd and --store-dir name two stores: pick one");
	if (!t->o.agent.node) {
		static char host[AGENT_NAME_MAX];
		if (gethostname(host, sizeof(host) - 1))
			return ctl_usage("booking: no --node and no host name");
		t->o.agent.node = host;
	}
	return 0;
}

/* The key the agent watches (agent.c builds the same). */
static int booking_key(const struct target *t, char *key, size_t n)
{
	const char *p = t->o.agent.prefix ? t->o.agent.prefix : AGENT_PREFIX_DEFAULT;
	const char *c = t->o.agent.cluster ? t->o.agent.cluster : AGENT_CLUSTER_DEFAULT;
	int len = snprintf(key, n, "%s/%s/nodes/%s/bookings/%ld", strcmp(p, "/") ? p : "", c,
			   t->o.agent.node, t->vnic);

	return len < 0 || (size_t)len >= n ? -1 : 0;
}

/* set: a checked record (or --raw text as is, to test what agents do
 * with anything); del: the booking goes. */
static int write_booking(struct ctl *c, int argc, char **argv, int del)
{
	struct target t;
	char key[1024], rec[1024], why[BOOKING_REASON_MAX], err[512];
	struct booking chk;
	int64_t rev = 0;
	int rc = parse_target(&t, argc, argv);

	if (rc)
		return rc;
	if (!del && !t.raw && (booking_format(&t.b, rec, sizeof(rec)) < 0 ||
			       booking_parse(rec, strlen(rec), (int)t.vnic, &chk, why, sizeof(why))))
		return ctl_usage("booking set: %s", why);
	struct store *s = bookd_open_store(&t.o, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "snicctl: booking: store: %s\n", err);
		return EXIT_DEVICE;
	}
	if (booking_key(&t, key, sizeof(key))) {
		store_close(s);
		return ctl_usage("booking: prefix, cluster and node make a key over %zu bytes",
				 sizeof(key) - 1);
	}
	const char *val = t.raw ? t.raw : rec;
	rc = del ? s->ops->del(s, key, &rev) : s->ops->put(s, key, val, strlen(val), 0, &rev);
	if (rc)
		fprintf(stderr, "snicctl: booking: %s: %s\n", key, s->err);
	else if (c->json) {
		json_obj_begin(&c->j, NULL);
		json_str(&c->j, "key", key);
		json_int(&c->j, "rev", rev);
		json_obj_end(&c->j);
		json_done(&c->j);
	} else
		printf("%s %s at revision %" PRId64 "\n", key, del ? "deleted" : "written", rev);
	store_close(s);
	return rc ? EXIT_DEVICE : 0;
}

int cmd_booking(struct ctl *c, int argc, char **argv)
{
	char path[4096];
	const char *sub = argc > 1 ? argv[1] : "show";

	if (!strcmp(sub, "set") || !strcmp(sub, "del"))
		return write_booking(c, argc - 1, argv + 1, sub[0] == 'd');
	if (strcmp(sub, "show"))
		return ctl_usage("booking: want show [VNIC] [--snapshot FILE], set VNIC ..., or del VNIC");
	long only = -1;
	const char *snap = NULL;
	for (int i = 2; i < argc; i++) {
		unsigned long v;
		if (!strcmp(argv[i], "--snapshot")) {
			if (!(snap = ctl_optval(argc, argv, &i)))
				return EXIT_USAGE;
		} else if (ctl_uint("VNIC", argv[i], 0, 0xfffe, &v)) {
			return EXIT_USAGE;
		} else {
			only = (long)v;
		}
	}
	if (!snap) {
		snprintf(path, sizeof(path), "%s.bookings", c->path);
		snap = path;
	}
	return show(c, only, snap);
}
