/* SPDX-License-Identifier: MIT */
/*
 * snic-bookd: mirror this node's bookings from the cluster store into the
 * NIC (docs/bookings.md). With no --etcd it uses the embedded store in a
 * local directory, so one machine needs nothing else.
 */
#include <signal.h>
#include <stdio.h>

#include "agent.h"
#include "bookd_opts.h"
#include "pipe_agent.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: snic-bookd [options]\n"
"Mirror this node's bookings from the store into the NIC.\n"
"  --node NAME        this node's name in the store (default: the host name)\n"
"  --cluster NAME     cluster (default: " AGENT_CLUSTER_DEFAULT ")\n"
"  --prefix KEY       key prefix (default: " AGENT_PREFIX_DEFAULT ")\n"
"  --nic SPEC         snic:WINDOW (default snic:$SNIC_DEV or " "/dev/shm/snic0),\n"
"                     vfrate:IFNAME (any Linux NIC's VFs, IFLA_VF_RATE),\n"
"                     devlink:BUS/DEV or devlink:IFNAME (VF ports' rate leaves,\n"
"                     tx_share/tx_max; IFNAME: the instance of that netdev's port),\n"
"                     model:VNICS[:UPLINKS[:BPS]] (in memory, for scale runs)\n"
"store (one of):\n"
"  --etcd URLS        etcd endpoints, comma-separated (http:// or https://)\n"
"  --store-dir DIR    embedded store (default: $SNIC_BOOKD_DIR or " BOOKD_DIR_DEFAULT ")\n"
"etcd security:\n"
"  --cacert FILE --cert FILE --key FILE    TLS (CA bundle, client certificate)\n"
"  --user NAME --password-file FILE        etcd authentication\n"
"shared pipe (docs/bookings.md):\n"
"  --pipe NAME        publish this node's demand on pipe NAME and apply its\n"
"                     entitlement (see --pipe-* and the pipe's config record)\n"
"  --pipe-interval MS exchange interval, 10..100 (default 50)\n"
"output:\n"
"  --state FILE       snapshot for `snicctl booking show` (default WINDOW.bookings)\n"
"  --journal FILE     one line per NIC change (default WINDOW.bookings.log)\n"
"  --once             resync once and exit (status 1 if anything is pending)\n"
"  -v, --verbose\n");
}

static int run(struct agent *a, struct pipe_agent *p, int once)
{
	if (agent_start(a) && once)
		return 2;
	if (once) {
		agent_save(a);
		return agent_stats(a)->pending ? 1 : 0;
	}
	while (!stop) {
		agent_step(a, 50);
		if (p)
			pipe_agent_step(p);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct bookd_opts o;
	char err[512];

	if (bookd_opts_parse(&o, argc, argv, err, sizeof(err))) {
		if (o.help) {
			usage(stdout);
			return 0;
		}
		fprintf(stderr, "snic-bookd: %s\n", err);
		usage(stderr);
		return 2;
	}
	struct store *s = bookd_open_store(&o, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "snic-bookd: store: %s\n", err);
		return 2;
	}
	struct nic *n = bookd_open_nic(&o, err, sizeof(err));
	if (!n) {
		fprintf(stderr, "snic-bookd: NIC: %s\n", err);
		store_close(s);
		return 2;
	}
	struct agent *a = agent_new(s, n, &o.agent, err, sizeof(err));
	/* The pipe watches its own keys: a second handle (one watch each). */
	struct store *ps = a && o.pipe ? bookd_open_store(&o, err, sizeof(err)) : NULL;
	struct pipe_agent *p = NULL;
	if (ps)
		p = pipe_agent_new(ps, n, a, &o.pipe_opts, err, sizeof(err));
	if (!a || (o.pipe && !p)) {
		fprintf(stderr, "snic-bookd: %s\n", err);
		store_close(ps);
		agent_free(a);
		nic_close(n);
		store_close(s);
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	int rc = run(a, p, o.once);
	pipe_agent_free(p);
	store_close(ps);
	agent_free(a);
	nic_close(n);
	store_close(s);
	return rc;
}
