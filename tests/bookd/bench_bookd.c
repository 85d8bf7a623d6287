/* SPDX-License-Identifier: MIT */
/*
 * Booking agent benchmarks against a running etcd (tests/bookd/bench_bookd.sh
 * starts it). Every figure is measured here, on this machine:
 *
 *   bench_bookd latency ENDPOINTS NIC BOOKINGS ROUNDS
 *     one agent, BOOKINGS bookings on its node; ROUNDS times: put one
 *     changed booking, step the agent until the NIC reads the new minimum
 *     back. Also etcd's own put latency, side by side.
 *   bench_bookd cluster ENDPOINTS NODES TOTAL ROUNDS
 *     NODES agents in this process (NIC models), TOTAL bookings spread
 *     over them; a change on every node per round (p50/p99 until in force
 *     on that node; each agent in its own thread, blocked in its watch
 *     like the real program); a full resync of all.
 * The steady-state CPU and etcd traffic are measured by the script on
 * real snic-bookd processes.
 *
 * Output: "key value" lines for the script to turn into the docs page.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../hostdrv/bookd/agent.h"
#include "../../hostdrv/bookd/bookd_opts.h"
#include "../../hostdrv/bookd/nic_model.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *name, double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_d);
	printf("%s_n %zu\n%s_p50_us %.0f\n%s_p99_us %.0f\n%s_max_us %.0f\n", name, n, name,
	       v[n / 2], name, v[n * 99 / 100], name, v[n - 1]);
}

static struct store *open_etcd(const char *eps)
{
	struct store_etcd_opts o = { .endpoints = eps, .timeout_ms = 5000 };
	char err[256];
	struct store *s = store_etcd_open(&o, err, sizeof(err));

	if (!s) {
		fprintf(stderr, "bench_bookd: %s\n", err);
		exit(2);
	}
	return s;
}

static void put_booking(struct store *s, const char *node, unsigned v, unsigned mbps)
{
	char key[160], val[96];

	snprintf(key, sizeof(key), "/snic/v1/default/nodes/%s/bookings/%u", node, v);
	snprintf(val, sizeof(val), "{\"v\":1,\"out_bandwidth\":\"%uM\"}", mbps);
	if (s->ops->put(s, key, val, strlen(val), 0, NULL)) {
		fprintf(stderr, "bench_bookd: put %s: %s\n", key, s->err);
		exit(2);
	}
}

static FILE *quiet;   /* the agents' logs: opened once, before any thread */

/* With snapshots (the cluster mode's restarts), each node's in /tmp. */
static int use_snapshots;

static struct agent *new_agent(struct store *s, struct nic *n, const char *node)
{
	struct agent_opts o = { .node = node, .log = quiet };
	char err[256], snap[96];

	if (use_snapshots) {
		snprintf(snap, sizeof(snap), "/tmp/bench-bookd-%d-%s.state", (int)getpid(), node);
		o.state_path = snap;
	}
	struct agent *a = agent_new(s, n, &o, err, sizeof(err));
	if (!a || agent_start(a)) {
		fprintf(stderr, "bench_bookd: agent %s: %s\n", node, a ? "start failed" : err);
		exit(2);
	}
	return a;
}

static uint64_t held_min(struct nic *n, unsigned v)
{
	struct nic_booking b = { 0 };

	n->ops->read(n, (uint16_t)v, &b);
	return b.min_bps;
}

static int latency(const char *eps, const char *nicspec, unsigned books, unsigned rounds)
{
	struct store *w = open_etcd(eps), *s = open_etcd(eps);
	struct bookd_opts o = { .nic = nicspec };
	char err[256];
	struct nic *n = bookd_open_nic(&o, err, sizeof(err));
	double *lat = calloc(rounds, sizeof(double)), *raw = calloc(rounds, sizeof(double));

	if (!n || !lat || !raw) {
		fprintf(stderr, "bench_bookd: NIC %s: %s\n", nicspec, err);
		return 2;
	}
	double t = now_us();
	for (unsigned v = 0; v < books; v++)
		put_booking(w, "bench", v, 1 + v % 7);
	printf("load_puts_per_s %.0f\n", books / ((now_us() - t) / 1e6));
	t = now_us();
	struct agent *a = new_agent(s, n, "bench");
	printf("first_resync_ms %.1f\nfirst_resync_applies %llu\n", (now_us() - t) / 1e3,
	       (unsigned long long)agent_stats(a)->applies);
	for (unsigned r = 0; r < rounds; r++) {
		unsigned v = (r * 7919) % books, mbps = 10 + r % 50;
		double t0 = now_us();
		put_booking(w, "bench", v, mbps);
		while (held_min(n, v) != mbps * 1000000ull && now_us() - t0 < 5e6)
			agent_step(a, 1);
		lat[r] = now_us() - t0;
		t0 = now_us();
		put_booking(w, "bench-raw", v, mbps);   /* etcd alone, same client */
		raw[r] = now_us() - t0;
	}
	report("put_to_nic", lat, rounds);
	report("etcd_put", raw, rounds);
	printf("bookings %u\napplies %llu\n", agent_stats(a)->bookings,
	       (unsigned long long)agent_stats(a)->applies);
	agent_free(a);
	nic_close(n);
	store_close(s);
	store_close(w);
	free(lat);
	free(raw);
	return 0;
}

/* One node: an agent in its own thread, blocked in its watch as the
 * real program is; it notes when its NIC holds the value asked for. */
struct node {
	char name[16];
	struct store *s;
	struct nic *n;
	struct agent *a;
	unsigned books;
	pthread_t th;
	_Atomic unsigned target;        /* VNIC to watch */
	_Atomic uint64_t want_bps;      /* 0: nothing asked */
	_Atomic uint64_t applied_us;    /* when the NIC held it; 0: not yet */
	_Atomic int stop;
};

static uint64_t now_u64(void)
{
	return (uint64_t)now_us();
}

static void *node_run(void *arg)
{
	struct node *nd = arg;

	while (!nd->stop) {
		agent_step(nd->a, 20);
		uint64_t w = nd->want_bps;
		if (w && !nd->applied_us && held_min(nd->n, nd->target) == w)
			nd->applied_us = now_u64();
	}
	return NULL;
}

/* Resync workers: each takes the next node until none is left. */
struct resync_pool {
	struct node *nd;
	unsigned nodes;
	_Atomic unsigned next;
};

static void *node_resync(void *arg)
{
	struct resync_pool *p = arg;
	unsigned i;

	while ((i = p->next++) < p->nodes)
		p->nd[i].a = new_agent(p->nd[i].s, p->nd[i].n, p->nd[i].name);
	return NULL;
}

/* fn over every node, `workers` threads at a time; the milliseconds it took. */
static double run_pool(struct node *nd, unsigned nodes, unsigned workers, void *(*fn)(void *))
{
	struct resync_pool pool = { .nd = nd, .nodes = nodes };
	pthread_t *th = calloc(workers, sizeof(*th));
	double t0 = now_us();

	for (unsigned i = 0; i < workers; i++)
		pthread_create(&th[i], NULL, fn, &pool);
	for (unsigned i = 0; i < workers; i++)
		pthread_join(th[i], NULL);
	free(th);
	return (now_us() - t0) / 1e3;
}

static uint64_t sum_applies(const struct node *nd, unsigned nodes)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < nodes; i++)
		n += agent_stats(nd[i].a)->applies;
	return n;
}

/* A running agent notices its NIC's reset and resyncs (agent_step). */
static void *node_reset_resync(void *arg)
{
	struct resync_pool *p = arg;
	unsigned i;

	while ((i = p->next++) < p->nodes) {
		uint64_t before = agent_stats(p->nd[i].a)->resyncs;
		while (agent_stats(p->nd[i].a)->resyncs == before)
			agent_step(p->nd[i].a, 20);
	}
	return NULL;
}

static void start_nodes(struct node *nd, unsigned nodes, const char *eps)
{
	for (unsigned i = 0; i < nodes; i++) {
		snprintf(nd[i].name, sizeof(nd[i].name), "node%03u", i);
		nd[i].s = open_etcd(eps);
		nd[i].n = nic_model_new(nd[i].books ? nd[i].books : 1, 4, 100000000000ull);
		nd[i].a = new_agent(nd[i].s, nd[i].n, nd[i].name);
		nd[i].stop = 0;
		pthread_create(&nd[i].th, NULL, node_run, &nd[i]);
	}
}

static void stop_nodes(struct node *nd, unsigned nodes)
{
	for (unsigned i = 0; i < nodes; i++)
		nd[i].stop = 1;
	for (unsigned i = 0; i < nodes; i++)
		pthread_join(nd[i].th, NULL);
}

/* A change on every node per round; each node's time until in force. */
static void cluster_changes(struct node *nd, unsigned nodes, struct store *w, unsigned rounds)
{
	double *lat = calloc((size_t)nodes * rounds, sizeof(double));
	uint64_t *t0 = calloc(nodes, sizeof(uint64_t));
	size_t k = 0;

	for (unsigned r = 0; r < rounds; r++) {
		unsigned mbps = 20 + r;
		for (unsigned i = 0; i < nodes; i++) {
			nd[i].applied_us = 0;
			nd[i].target = r % nd[i].books;
			nd[i].want_bps = mbps * 1000000ull;
			t0[i] = now_u64();
			put_booking(w, nd[i].name, r % nd[i].books, mbps);
		}
		for (unsigned i = 0; i < nodes; i++) {
			while (!nd[i].applied_us && now_u64() - t0[i] < 10000000)
				usleep(200);
			if (!nd[i].applied_us) {
				fprintf(stderr, "bench_bookd: %s did not apply in 10 s\n", nd[i].name);
				exit(2);
			}
			lat[k++] = (double)(nd[i].applied_us - t0[i]);
			nd[i].want_bps = 0;
		}
	}
	report("cluster_change", lat, k);
	free(lat);
	free(t0);
}

static int cluster(const char *eps, unsigned nodes, unsigned total, unsigned rounds)
{
	struct node *nd = calloc(nodes, sizeof(*nd));
	struct store *w = open_etcd(eps);

	for (unsigned i = 0; i < nodes; i++)
		nd[i].books = total / nodes + (i < total % nodes);
	for (unsigned i = 0; i < nodes; i++) {
		char name[16];
		snprintf(name, sizeof(name), "node%03u", i);
		for (unsigned v = 0; v < nd[i].books; v++)
			put_booking(w, name, v, 1 + v % 5);
	}
	start_nodes(nd, nodes, eps);
	cluster_changes(nd, nodes, w, rounds);
	stop_nodes(nd, nodes);
	/* Full resync of every booking: new agents against NICs that hold
	 * them (as after agent restarts), then against empty NICs; every
	 * node at once, as a cluster restart would. */
	const char *wenv = getenv("BENCH_RESYNC_WORKERS");
	unsigned workers = wenv && atoi(wenv) > 0 ? (unsigned)atoi(wenv) : nodes;
	if (workers > nodes)
		workers = nodes;
	printf("resync_workers %u\n", workers);
	for (int empty = 0; empty < 2; empty++) {
		for (unsigned i = 0; i < nodes; i++) {
			agent_free(nd[i].a);
			if (empty)
				nic_model_reset(nd[i].n);
		}
		double ms = run_pool(nd, nodes, workers, node_resync);
		printf("resync_%s_ms %.0f\nresync_%s_applies %llu\n", empty ? "empty" : "held", ms,
		       empty ? "empty" : "held", (unsigned long long)sum_applies(nd, nodes));
	}
	/* Restarts that resume from a snapshot (written when the agents stop). */
	use_snapshots = 1;
	for (unsigned i = 0; i < nodes; i++) {
		agent_free(nd[i].a);
		nd[i].a = new_agent(nd[i].s, nd[i].n, nd[i].name);   /* lists, snapshots at free */
	}
	for (unsigned i = 0; i < nodes; i++)
		agent_free(nd[i].a);
	double ms = run_pool(nd, nodes, workers, node_resync);
	uint64_t resumes = 0;
	for (unsigned i = 0; i < nodes; i++)
		resumes += agent_stats(nd[i].a)->resumes;
	printf("restart_snapshot_ms %.0f\nrestart_snapshot_resumed %llu\n", ms,
	       (unsigned long long)resumes);
	use_snapshots = 0;
	/* Running agents after their NICs were reset (or history compacted):
	 * they know their own records and list the bookings only. */
	for (unsigned i = 0; i < nodes; i++)
		nic_model_reset(nd[i].n);
	ms = run_pool(nd, nodes, workers, node_reset_resync);
	printf("resync_reset_ms %.0f\nresync_reset_applies_total %llu\n", ms,
	       (unsigned long long)sum_applies(nd, nodes));
	/* One node alone: what each node pays when the nodes are machines. */
	agent_free(nd[0].a);
	double t1 = now_us();
	nd[0].a = new_agent(nd[0].s, nd[0].n, nd[0].name);
	printf("resync_one_node_ms %.1f\nresync_one_node_bookings %u\n", (now_us() - t1) / 1e3,
	       nd[0].books);
	printf("bookings_total %u\nnodes %u\n", total, nodes);
	for (unsigned i = 0; i < nodes; i++) {
		char snap[96];
		agent_free(nd[i].a);
		snprintf(snap, sizeof(snap), "/tmp/bench-bookd-%d-%s.state", (int)getpid(), nd[i].name);
		unlink(snap);
		nic_close(nd[i].n);
		store_close(nd[i].s);
	}
	store_close(w);
	free(nd);
	return 0;
}

int main(int argc, char **argv)
{
	quiet = fopen("/dev/null", "w");
	if (argc == 6 && !strcmp(argv[1], "latency"))
		return latency(argv[2], argv[3], (unsigned)atoi(argv[4]), (unsigned)atoi(argv[5]));
	if (argc == 6 && !strcmp(argv[1], "cluster"))
		return cluster(argv[2], (unsigned)atoi(argv[3]), (unsigned)atoi(argv[4]),
			       (unsigned)atoi(argv[5]));
	fprintf(stderr, "usage: bench_bookd latency ENDPOINTS NIC BOOKINGS ROUNDS\n"
		"       bench_bookd cluster ENDPOINTS NODES TOTAL ROUNDS\n");
	return 2;
}
