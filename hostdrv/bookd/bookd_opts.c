/* SPDX-License-Identifier: MIT */
/* snic-bookd options; opening the store and the NIC they name. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bookd_opts.h"
#include "nic_model.h"
#include "snic.h"

enum { O_NODE = 256, O_CLUSTER, O_PREFIX, O_NIC, O_ETCD, O_DIR, O_CACERT, O_CERT, O_KEY,
       O_USER, O_PWFILE, O_PIPE, O_PIPE_IV, O_STATE, O_JOURNAL, O_ONCE };

static const struct option longopts[] = {
	{ "node", 1, NULL, O_NODE },       { "cluster", 1, NULL, O_CLUSTER },
	{ "prefix", 1, NULL, O_PREFIX },   { "nic", 1, NULL, O_NIC },
	{ "etcd", 1, NULL, O_ETCD },       { "store-dir", 1, NULL, O_DIR },
	{ "cacert", 1, NULL, O_CACERT },   { "cert", 1, NULL, O_CERT },
	{ "key", 1, NULL, O_KEY },         { "user", 1, NULL, O_USER },
	{ "password-file", 1, NULL, O_PWFILE },
	{ "pipe", 1, NULL, O_PIPE },       { "pipe-interval", 1, NULL, O_PIPE_IV },
	{ "state", 1, NULL, O_STATE },     { "journal", 1, NULL, O_JOURNAL },
	{ "once", 0, NULL, O_ONCE },       { "verbose", 0, NULL, 'v' },
	{ "help", 0, NULL, 'h' },          { NULL, 0, NULL, 0 },
};

static int fail(char *err, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, n, fmt, ap);
	va_end(ap);
	return -1;
}

static int read_password(struct bookd_opts *o, const char *path, char *err, size_t n)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return fail(err, n, "%s: %s", path, strerror(errno));
	if (!fgets(o->password, sizeof(o->password), f))
		o->password[0] = 0;
	int whole = strchr(o->password, '\n') || feof(f) || fgetc(f) == EOF;
	fclose(f);
	if (!whole)
		return fail(err, n, "%s: password longer than %zu bytes", path,
			    sizeof(o->password) - 2);
	o->password[strcspn(o->password, "\r\n")] = 0;
	o->etcd.password = o->password;
	return 0;
}

static int set_opt(struct bookd_opts *o, int c, const char *arg, char *err, size_t n)
{
	unsigned long iv;

	switch (c) {
	case O_NODE:    o->agent.node = arg; return 0;
	case O_CLUSTER: o->agent.cluster = arg; return 0;
	case O_PREFIX:  o->agent.prefix = arg; return 0;
	case O_NIC:     o->nic = arg; return 0;
	case O_ETCD:    o->etcd.endpoints = arg; return 0;
	case O_DIR:     o->store_dir = arg; return 0;
	case O_CACERT:  o->etcd.cacert = arg; return 0;
	case O_CERT:    o->etcd.cert = arg; return 0;
	case O_KEY:     o->etcd.key = arg; return 0;
	case O_USER:    o->etcd.user = arg; return 0;
	case O_PWFILE:  return read_password(o, arg, err, n);
	case O_PIPE:    o->pipe = o->pipe_opts.name = arg; return 0;
	case O_PIPE_IV:
		if (snic_arg_uint(arg, 10, 100, &iv, err, n))
			return -1;
		o->pipe_opts.interval_ms = (unsigned)iv;
		return 0;
	case O_STATE:   o->agent.state_path = *arg ? arg : NULL; return 0;
	case O_JOURNAL: o->agent.log_path = *arg ? arg : NULL; return 0;
	case O_ONCE:    o->once = 1; o->agent.no_resume = 1; return 0;
	case 'v':       o->agent.verbose = 1; return 0;
	case 'h':       o->help = 1; return -1;
	default:        return fail(err, n, "unknown option");
	}
}

/* Defaults that depend on other options: the node, the state files. */
static int finish(struct bookd_opts *o, char *err, size_t n)
{
	if (!o->agent.node) {
		if (gethostname(o->node_buf, sizeof(o->node_buf) - 1))
			return fail(err, n, "no --node and no host name");
		o->agent.node = o->node_buf;
	}
	if (!o->nic) {
		const char *w = getenv("SNIC_DEV");
		snprintf(o->nic_buf, sizeof(o->nic_buf), "snic:%s", w && *w ? w : SNIC_DEFAULT_WINDOW);
		o->nic = o->nic_buf;
	}
	if (!strncmp(o->nic, "snic:", 5) && !o->agent.state_path) {
		snprintf(o->state_buf, sizeof(o->state_buf), "%s.bookings", o->nic + 5);
		o->agent.state_path = o->state_buf;
	}
	if (!strncmp(o->nic, "snic:", 5) && !o->agent.log_path) {
		snprintf(o->journal_buf, sizeof(o->journal_buf), "%s.bookings.log", o->nic + 5);
		o->agent.log_path = o->journal_buf;
	}
	if (o->etcd.endpoints && o->store_dir)
		return fail(err, n, "--etcd and --store-dir name two stores: pick one");
	if (!o->pipe_opts.interval_ms)
		o->pipe_opts.interval_ms = PIPE_INTERVAL_DEFAULT_MS;
	return 0;
}

int bookd_opts_parse(struct bookd_opts *o, int argc, char **argv, char *err, size_t n)
{
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		if (c == '?')
			return fail(err, n, "bad option");
		if (set_opt(o, c, optarg, err, n))
			return -1;
	}
	if (optind < argc)
		return fail(err, n, "unexpected argument '%s'", argv[optind]);
	return finish(o, err, n);
}

const char *bookd_store_dir(const char *opt)
{
	const char *env = getenv("SNIC_BOOKD_DIR");

	return opt ? opt : env && *env ? env : BOOKD_DIR_DEFAULT;
}

struct store *bookd_open_store(const struct bookd_opts *o, char *err, size_t n)
{
	if (o->etcd.endpoints)
		return store_etcd_open(&o->etcd, err, n);
	return store_dir_open(bookd_store_dir(o->store_dir), err, n);
}

struct nic *bookd_open_nic(const struct bookd_opts *o, char *err, size_t n)
{
	if (!strncmp(o->nic, "snic:", 5))
		return nic_snic_open(o->nic + 5, err, (unsigned)n);
	if (!strncmp(o->nic, "vfrate:", 7))
		return nic_vfrate_open(o->nic + 7, err, (unsigned)n);
	if (!strncmp(o->nic, "devlink:", 8))
		return nic_devlink_open(o->nic + 8, err, (unsigned)n);
	if (!strncmp(o->nic, "model:", 6) || !strcmp(o->nic, "model"))
		return nic_model_open(o->nic[5] ? o->nic + 6 : "", err, (unsigned)n);
	fail(err, n, "unknown NIC '%s' (want snic:WINDOW, vfrate:IFNAME, devlink:BUS/DEV, devlink:IFNAME or model:SPEC)", o->nic);
	return NULL;
}
