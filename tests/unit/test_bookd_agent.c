/* SPDX-License-Identifier: MIT */
/*
 * The booking agent (hostdrv/bookd/agent*.c) on the embedded store and
 * the NIC model: mirroring, admission with alarms, bad records, unknown
 * VNICs, restart, NIC reset, compaction, and the rollback of a grant the
 * store would not take. After each, the NIC holds exactly what the
 * store's bookings say, applied once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../hostdrv/bookd/agent.h"
#include "../../hostdrv/bookd/nic_model.h"
#include "../../hostdrv/bookd/store.h"

#define PFX "/snic/v1/default/nodes/n1/"
#define G 1000000000ull
#define M 1000000ull

/* A store that forwards to the real one but can refuse puts under one
 * prefix (a store losing quorum mid-way, as seen by the agent). */
struct faulty {
	struct store st;
	struct store *real;
	const char *fail_prefix;
	struct store_ops ops;
};

static struct faulty *faulty_of(struct store *s)
{
	return (struct faulty *)s;
}

static int f_put(struct store *s, const char *k, const char *v, size_t n, int64_t l, int64_t *r)
{
	struct faulty *f = faulty_of(s);

	if (f->fail_prefix && !strncmp(k, f->fail_prefix, strlen(f->fail_prefix))) {
		snprintf(s->err, sizeof(s->err), "injected: no quorum");
		return STORE_E_IO;
	}
	int rc = f->real->ops->put(f->real, k, v, n, l, r);
	memcpy(s->err, f->real->err, sizeof(s->err));
	return rc;
}

#define FWD(name, proto, args) \
	static int f_##name proto { struct faulty *f = faulty_of(s); \
		int rc = f->real->ops->name args; s->compact_rev = f->real->compact_rev; \
		memcpy(s->err, f->real->err, sizeof(s->err)); return rc; }
FWD(list, (struct store *s, const char *p, struct store_list *o), (f->real, p, o))
FWD(get, (struct store *s, const char *k, struct store_kv *o), (f->real, k, o))
FWD(del, (struct store *s, const char *k, int64_t *r), (f->real, k, r))
FWD(watch, (struct store *s, const char *p, int64_t from), (f->real, p, from))
FWD(poll, (struct store *s, int t, store_event_cb cb, void *arg), (f->real, t, cb, arg))
FWD(compact, (struct store *s, int64_t rev), (f->real, rev))

struct fixture {
	char dir[64];
	struct store *real;
	struct store *w;       /* another process's handle, when set */
	struct faulty f;
	struct nic *nic;
	struct agent *a;
};

static struct agent *new_agent_opts(struct fixture *x, const char *state_path, int no_resume);

static struct agent *new_agent_at(struct fixture *x, const char *state_path)
{
	return new_agent_opts(x, state_path, 0);
}

static struct agent *new_agent(struct fixture *x)
{
	return new_agent_at(x, NULL);
}

static struct agent *new_agent_opts(struct fixture *x, const char *state_path, int no_resume)
{
	static FILE *quiet;
	struct agent_opts o = { .node = "n1", .verify_ms = 300, .state_path = state_path,
				.no_resume = no_resume };

	if (!quiet)
		quiet = fopen("/dev/null", "w");
	o.log = getenv("BOOKD_TEST_LOG") ? stderr : quiet;
	char err[256];
	struct agent *a = agent_new(&x->f.st, x->nic, &o, err, sizeof(err));

	assert_non_null(a);
	return a;
}

static int setup(void **state)
{
	struct fixture *x = calloc(1, sizeof(*x));
	char err[256];

	strcpy(x->dir, "/tmp/snic-bookd-agent.XXXXXX");
	assert_non_null(mkdtemp(x->dir));
	x->real = store_dir_open(x->dir, err, sizeof(err));
	assert_non_null(x->real);
	x->f.real = x->real;
	x->f.ops = *x->real->ops;
	x->f.ops.put = f_put;
	x->f.ops.list = f_list;
	x->f.ops.get = f_get;
	x->f.ops.del = f_del;
	x->f.ops.watch = f_watch;
	x->f.ops.poll = f_poll;
	x->f.ops.compact = f_compact;
	x->f.st.ops = &x->f.ops;
	/* 8 VNICs; even ones on uplink 0, odd ones on uplink 1; 1 Gbit/s each. */
	x->nic = nic_model_new(8, 2, G);
	assert_non_null(x->nic);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *x = *state;
	char cmd[128];

	agent_free(x->a);
	nic_close(x->nic);
	store_close(x->real);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", x->dir);
	assert_int_equal(system(cmd), 0);
	free(x);
	return 0;
}

static void put(struct fixture *x, const char *kind, int vnic, const char *val)
{
	char key[256];

	struct store *s = x->w ? x->w : x->real;

	snprintf(key, sizeof(key), PFX "%s/%d", kind, vnic);
	assert_int_equal(s->ops->put(s, key, val, strlen(val), 0, NULL), 0);
}

static void del(struct fixture *x, int vnic)
{
	char key[256];

	struct store *s = x->w ? x->w : x->real;

	snprintf(key, sizeof(key), PFX "bookings/%d", vnic);
	assert_int_equal(s->ops->del(s, key, NULL), 0);
}

/* The record of `kind` for vnic, or NULL (caller frees). */
static char *rec(struct fixture *x, const char *kind, int vnic)
{
	char key[256];
	struct store_kv kv = { 0 };

	snprintf(key, sizeof(key), PFX "%s/%d", kind, vnic);
	if (x->real->ops->get(x->real, key, &kv))
		return NULL;
	free(kv.key);
	return kv.val;
}

static int has_rec(struct fixture *x, const char *kind, int vnic, const char *text)
{
	char *v = rec(x, kind, vnic);
	int ok = v && (!text || strstr(v, text));

	free(v);
	return ok;
}

static struct nic_booking held(struct fixture *x, int vnic)
{
	struct nic_booking b;

	assert_int_equal(x->nic->ops->read(x->nic, (uint16_t)vnic, &b), NIC_OK);
	return b;
}

/* Let the agent take in everything written so far. */
static void settle(struct fixture *x)
{
	for (int i = 0; i < 5; i++)
		agent_step(x->a, 20);
}

static void test_mirror(void **state)
{
	struct fixture *x = *state;

	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"100M\",\"cap\":\"400M\",\"priority\":3}");
	put(x, "bookings", 1, "{\"v\":1,\"out_bandwidth\":\"200M\",\"in_bandwidth\":\"50M\"}");
	x->a = new_agent(x);
	assert_int_equal(agent_start(x->a), 0);
	assert_int_equal(held(x, 0).min_bps, 100 * M);
	assert_int_equal(held(x, 0).cap_bps, 400 * M);
	assert_int_equal(held(x, 0).prio, 3);
	assert_int_equal(held(x, 1).rx_bps, 50 * M);
	assert_true(has_rec(x, "grants", 0, "\"out_bandwidth\":100000000"));
	/* A change after the list arrives through the watch, applied once. */
	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"150M\"}");
	put(x, "bookings", 2, "{\"v\":1,\"out_bandwidth\":\"10M\"}");
	settle(x);
	assert_int_equal(held(x, 0).min_bps, 150 * M);
	assert_int_equal(held(x, 0).cap_bps, 0);
	assert_int_equal(held(x, 2).min_bps, 10 * M);
	assert_int_equal(nic_model_applies(x->nic, 0), 2);
	assert_int_equal(nic_model_applies(x->nic, 2), 1);
	/* Removed: the NIC stops holding it, the grant goes. */
	del(x, 1);
	settle(x);
	assert_int_equal(held(x, 1).min_bps, 0);
	assert_int_equal(held(x, 1).rx_bps, 0);
	assert_false(has_rec(x, "grants", 1, NULL));
	assert_int_equal(agent_stats(x->a)->bookings, 2);
}

static void test_bad_record_changes_nothing(void **state)
{
	struct fixture *x = *state;

	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"100M\"}");
	x->a = new_agent(x);
	assert_int_equal(agent_start(x->a), 0);
	uint32_t before = nic_model_applies(x->nic, 0);
	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":-1}");
	put(x, "bookings", 2, "garbage");
	put(x, "bookings", 4, "{\"v\":9,\"out_bandwidth\":\"1M\",\"future\":true}");
	settle(x);
	assert_int_equal(held(x, 0).min_bps, 100 * M);        /* the last good one */
	assert_int_equal(nic_model_applies(x->nic, 0), before);
	assert_int_equal(nic_model_applies(x->nic, 2), 0);
	assert_true(has_rec(x, "errors", 0, "negative"));
	assert_true(has_rec(x, "errors", 2, "not JSON"));
	assert_true(has_rec(x, "errors", 4, "newer than this agent"));
	assert_int_equal(agent_stats(x->a)->bad_records, 3);
	/* Fixed: applied, the error record goes. */
	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"120M\"}");
	settle(x);
	assert_int_equal(held(x, 0).min_bps, 120 * M);
	assert_false(has_rec(x, "errors", 0, NULL));
	assert_true(has_rec(x, "errors", 2, NULL));
}

static void test_admission_alarm(void **state)
{
	struct fixture *x = *state;

	x->a = new_agent(x);
	assert_int_equal(agent_start(x->a), 0);
	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"700M\"}");
	settle(x);
	put(x, "bookings", 2, "{\"v\":1,\"out_bandwidth\":\"600M\"}");   /* same uplink 0 */
	put(x, "bookings", 1, "{\"v\":1,\"out_bandwidth\":\"600M\"}");   /* uplink 1: fits */
	settle(x);
	assert_int_equal(held(x, 0).min_bps, 700 * M);
	assert_int_equal(held(x, 2).min_bps, 300 * M);   /* granted in part */
	assert_int_equal(held(x, 1).min_bps, 600 * M);
	assert_true(has_rec(x, "alarms", 2, "\"granted_out\":300000000"));
	assert_true(has_rec(x, "grants", 2, "\"partial\":true"));
	assert_false(has_rec(x, "alarms", 1, NULL));
	/* A booking that grows keeps what it had and gets what is free (none)... */
	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"900M\"}");
	settle(x);
	assert_int_equal(held(x, 0).min_bps, 700 * M);
	assert_int_equal(held(x, 2).min_bps, 300 * M);
	assert_true(has_rec(x, "alarms", 0, "\"granted_out\":700000000"));
	/* ...one that shrinks frees its part for the oldest still short... */
	put(x, "bookings", 2, "{\"v\":1,\"out_bandwidth\":\"100M\"}");
	settle(x);
	assert_int_equal(held(x, 2).min_bps, 100 * M);
	assert_int_equal(held(x, 0).min_bps, 900 * M);
	assert_false(has_rec(x, "alarms", 0, NULL));
	assert_false(has_rec(x, "alarms", 2, NULL));
	/* ...and a restarted agent grants exactly the same (from the grants). */
	put(x, "bookings", 4, "{\"v\":1,\"out_bandwidth\":\"500M\"}");
	settle(x);
	agent_free(x->a);
	x->a = new_agent(x);
	assert_int_equal(agent_start(x->a), 0);
	assert_int_equal(held(x, 0).min_bps, 900 * M);
	assert_int_equal(held(x, 4).min_bps, 0);
	assert_true(has_rec(x, "alarms", 4, "\"granted_out\":0"));
	/* One that goes frees its part: the alarm clears. */
	del(x, 0);
	settle(x);
	assert_int_equal(held(x, 4).min_bps, 500 * M);
	assert_false(has_rec(x, "alarms", 4, NULL));
}

static void test_unknown_vnic(void **state)
{
	struct fixture *x = *state;

	put(x, "bookings", 20, "{\"v\":1,\"out_bandwidth\":\"10M\"}");
	x->a = new_agent(x);
	assert_int_equal(agent_start(x->a), 0);
	assert_true(has_rec(x, "errors", 20, "unknown_vnic"));
	assert_false(has_rec(x, "grants", 20, NULL));
	assert_int_equal(agent_stats(x->a)->pending, 1);
}

static void test_restart_and_reset(void **state)
{
	struct fixture *x = *state;

	for (int v = 0; v < 6; v++)
		put(x, "bookings", v, "{\"v\":1,\"out_bandwidth\":\"50M\",\"cap\":\"80M\"}");
	x->a = new_agent(x);
	assert_int_equal(agent_start(x->a), 0);
	agent_free(x->a);
	/* A change while no agent runs; the restarted one applies it alone. */
	put(x, "bookings", 3, "{\"v\":1,\"out_bandwidth\":\"60M\"}");
	x->a = new_agent(x);
	assert_int_equal(agent_start(x->a), 0);
	for (int v = 0; v < 6; v++)
		assert_int_equal(nic_model_applies(x->nic, (uint16_t)v), v == 3 ? 2 : 1);
	assert_int_equal(agent_stats(x->a)->skipped, 5);
	/* The NIC loses everything: all of it again, once. */
	nic_model_reset(x->nic);
	usleep(120 * 1000);
	settle(x);
	for (int v = 0; v < 6; v++) {
		assert_int_equal(held(x, v).min_bps, v == 3 ? 60 * M : 50 * M);
		assert_int_equal(nic_model_applies(x->nic, (uint16_t)v), v == 3 ? 3 : 2);
	}
}

static void test_compaction_resync(void **state)
{
	struct fixture *x = *state;
	int64_t rev;

	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"10M\"}");
	put(x, "bookings", 1, "{\"v\":1,\"out_bandwidth\":\"20M\"}");
	x->a = new_agent(x);
	assert_int_equal(agent_start(x->a), 0);
	settle(x);
	/* While the agent is not looking, another process changes bookings
	 * and compacts history twice (the agent's handle never read the
	 * journal in between): the agent cannot replay, it must resync. */
	char err[256];
	x->w = store_dir_open(x->dir, err, sizeof(err));
	assert_non_null(x->w);
	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"11M\"}");
	del(x, 1);
	assert_int_equal(x->w->ops->put(x->w, "/other", "x", 1, 0, &rev), 0);
	assert_int_equal(x->w->ops->compact(x->w, rev), 0);
	put(x, "bookings", 2, "{\"v\":1,\"out_bandwidth\":\"12M\"}");
	assert_int_equal(x->w->ops->put(x->w, "/other", "y", 1, 0, &rev), 0);
	assert_int_equal(x->w->ops->compact(x->w, rev), 0);
	store_close(x->w);
	x->w = NULL;
	settle(x);
	assert_true(agent_stats(x->a)->resyncs >= 2);
	assert_int_equal(held(x, 0).min_bps, 11 * M);
	assert_int_equal(held(x, 1).min_bps, 0);
	assert_int_equal(held(x, 2).min_bps, 12 * M);
}

static void test_rollback(void **state)
{
	struct fixture *x = *state;

	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"10M\"}");
	x->a = new_agent(x);
	assert_int_equal(agent_start(x->a), 0);
	x->f.fail_prefix = PFX "grants/";
	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"90M\"}");
	settle(x);
	assert_int_equal(held(x, 0).min_bps, 10 * M);   /* undone */
	assert_int_equal(agent_stats(x->a)->rollbacks, 1);
	assert_int_equal(agent_stats(x->a)->pending, 1);
	assert_true(has_rec(x, "grants", 0, "\"out_bandwidth\":10000000"));
	x->f.fail_prefix = NULL;
	usleep(1100 * 1000);   /* the retry period */
	settle(x);
	assert_int_equal(held(x, 0).min_bps, 90 * M);
	assert_true(has_rec(x, "grants", 0, "\"out_bandwidth\":90000000"));
	assert_int_equal(agent_stats(x->a)->pending, 0);
}

/* Receive guarantees: the other VNICs of the uplink are capped so that
 * together they leave each booked VNIC its part. */
static void test_rx_guarantee(void **state)
{
	struct fixture *x = *state;

	put(x, "bookings", 0, "{\"v\":1,\"in_bandwidth\":\"300M\"}");
	put(x, "bookings", 2, "{\"v\":1,\"in_bandwidth\":\"200M\",\"out_bandwidth\":\"10M\"}");
	x->a = new_agent(x);
	assert_int_equal(agent_start(x->a), 0);
	assert_int_equal(held(x, 0).rx_cap_bps, 800 * M);   /* 1G - VNIC 2's 200M */
	assert_int_equal(held(x, 2).rx_cap_bps, 700 * M);
	assert_int_equal(held(x, 4).rx_cap_bps, 500 * M);   /* not booked: 1G - both */
	assert_int_equal(held(x, 6).rx_cap_bps, 500 * M);
	assert_int_equal(held(x, 1).rx_cap_bps, 0);         /* other uplink: untouched */
	assert_true(has_rec(x, "grants", 0, "\"in_enforced\":true"));
	/* Over the uplink: admitted in part, the caps follow the grants. */
	put(x, "bookings", 4, "{\"v\":1,\"in_bandwidth\":\"900M\"}");
	settle(x);
	assert_true(has_rec(x, "alarms", 4, "\"granted_in\":500000000"));
	assert_int_equal(held(x, 6).rx_cap_bps, 1 * M);     /* everything booked by others */
	assert_int_equal(held(x, 0).rx_cap_bps, 300 * M);
	/* Bookings go: the caps relax, then go. */
	del(x, 4);
	del(x, 0);
	settle(x);
	assert_int_equal(held(x, 2).rx_cap_bps, 0);         /* nobody else booked */
	assert_int_equal(held(x, 0).rx_cap_bps, 800 * M);
	assert_int_equal(held(x, 4).rx_cap_bps, 800 * M);
	del(x, 2);
	settle(x);
	for (int v = 0; v < 8; v++)
		assert_int_equal(held(x, v).rx_cap_bps, 0);
}

/* One batch: a good change then a bad one; a delete then a bad record. */
static void test_bad_after_good_in_one_batch(void **state)
{
	struct fixture *x = *state;

	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"10M\"}");
	put(x, "bookings", 2, "{\"v\":1,\"out_bandwidth\":\"20M\"}");
	x->a = new_agent(x);
	assert_int_equal(agent_start(x->a), 0);
	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"15M\"}");
	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"oops\"}");
	del(x, 2);
	put(x, "bookings", 2, "{\"v\":1,\"out_bandwidth\":-1}");
	settle(x);
	assert_int_equal(held(x, 0).min_bps, 15 * M);   /* the good one before the bad */
	assert_true(has_rec(x, "errors", 0, "bad rate"));
	assert_int_equal(held(x, 2).min_bps, 0);        /* deleted: nothing in force */
	assert_false(has_rec(x, "grants", 2, NULL));
	assert_true(has_rec(x, "errors", 2, "negative"));
}

/* A VNIC destroyed and created again (no reset): read back, applied again. */
static void test_recreated_vnic(void **state)
{
	struct fixture *x = *state;

	put(x, "bookings", 3, "{\"v\":1,\"out_bandwidth\":\"30M\"}");
	x->a = new_agent(x);
	assert_int_equal(agent_start(x->a), 0);
	nic_model_forget(x->nic, 3);
	for (int i = 0; i < 25 && held(x, 3).min_bps != 30 * M; i++)
		agent_step(x->a, 20);
	assert_int_equal(held(x, 3).min_bps, 30 * M);
	assert_int_equal(nic_model_applies(x->nic, 3), 2);
}

/* A capacity that cannot be read keeps the grants in force. */
static void test_capacity_error(void **state)
{
	struct fixture *x = *state;

	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"700M\"}");
	put(x, "bookings", 2, "{\"v\":1,\"out_bandwidth\":\"200M\"}");
	x->a = new_agent(x);
	assert_int_equal(agent_start(x->a), 0);
	nic_model_fail_capacity(x->nic, 1);
	put(x, "bookings", 2, "{\"v\":1,\"out_bandwidth\":\"250M\"}");
	settle(x);
	assert_int_equal(held(x, 0).min_bps, 700 * M);
	assert_int_equal(held(x, 2).min_bps, 200 * M);
	assert_false(has_rec(x, "alarms", 0, NULL));
	assert_true(agent_stats(x->a)->pending >= 1);
	nic_model_fail_capacity(x->nic, 0);
	usleep(1100 * 1000);
	settle(x);
	assert_int_equal(held(x, 2).min_bps, 250 * M);
	/* A remainder below 1 Mbit/s is not granted at all. */
	put(x, "bookings", 4, "{\"v\":1,\"out_bandwidth\":\"49999999\"}");
	put(x, "bookings", 6, "{\"v\":1,\"out_bandwidth\":\"10M\"}");
	settle(x);
	assert_int_equal(held(x, 4).min_bps, 49999999);
	assert_int_equal(held(x, 6).min_bps, 0);   /* 1 bit/s left: nothing */
	assert_true(has_rec(x, "alarms", 6, "\"granted_out\":0"));
}

/* A restart resumes from its snapshot: no list, the watch replays what
 * changed while it was down, nothing applied twice; a NIC reset since, or
 * another node's snapshot, means a full list instead. */
static void test_resume_from_snapshot(void **state)
{
	struct fixture *x = *state;
	char snap[128];

	snprintf(snap, sizeof(snap), "%s.snapshot", x->dir);
	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"10M\"}");
	put(x, "bookings", 1, "{\"v\":1,\"out_bandwidth\":\"20M\"}");
	put(x, "bookings", 2, "{\"v\":1,\"out_bandwidth\":\"30M\"}");
	x->a = new_agent_at(x, snap);
	assert_int_equal(agent_start(x->a), 0);
	agent_free(x->a);   /* writes the snapshot */
	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"11M\"}");
	del(x, 1);
	put(x, "bookings", 2, "{\"v\":1,\"out_bandwidth\":\"bad\"}");
	x->a = new_agent_at(x, snap);
	assert_int_equal(agent_start(x->a), 0);
	settle(x);
	assert_int_equal(agent_stats(x->a)->resumes, 1);
	assert_int_equal(agent_stats(x->a)->resyncs, 0);
	assert_int_equal(held(x, 0).min_bps, 11 * M);
	assert_int_equal(held(x, 1).min_bps, 0);
	assert_int_equal(held(x, 2).min_bps, 30 * M);   /* the bad record changed nothing */
	assert_true(has_rec(x, "errors", 2, "bad rate"));
	assert_false(has_rec(x, "grants", 1, NULL));
	assert_int_equal(nic_model_applies(x->nic, 0), 2);
	assert_int_equal(nic_model_applies(x->nic, 2), 1);
	agent_free(x->a);
	/* The NIC reset while the agent was down: the bookings listed, all
	 * applied again, VNIC 2 its last good booking (from the snapshot). */
	nic_model_reset(x->nic);
	x->a = new_agent_at(x, snap);
	assert_int_equal(agent_start(x->a), 0);
	assert_int_equal(agent_stats(x->a)->resumes, 0);
	assert_int_equal(agent_stats(x->a)->resyncs, 1);
	assert_int_equal(held(x, 0).min_bps, 11 * M);
	assert_int_equal(held(x, 2).min_bps, 30 * M);
	unlink(snap);
}

/* An agent that will not watch (--once) lists even with a snapshot: what
 * changed while it was down is applied by agent_start alone. */
static void test_once_lists_despite_snapshot(void **state)
{
	struct fixture *x = *state;
	char snap[128];

	snprintf(snap, sizeof(snap), "%s.snapshot", x->dir);
	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"10M\"}");
	put(x, "bookings", 1, "{\"v\":1,\"out_bandwidth\":\"20M\"}");
	x->a = new_agent_opts(x, snap, 1);
	assert_int_equal(agent_start(x->a), 0);
	agent_free(x->a);   /* writes the snapshot */
	del(x, 1);
	put(x, "bookings", 0, "{\"v\":1,\"out_bandwidth\":\"12M\"}");
	x->a = new_agent_opts(x, snap, 1);
	assert_int_equal(agent_start(x->a), 0);
	assert_int_equal(agent_stats(x->a)->resumes, 0);
	assert_int_equal(agent_stats(x->a)->resyncs, 1);
	assert_int_equal(held(x, 0).min_bps, 12 * M);
	assert_int_equal(held(x, 1).min_bps, 0);
	unlink(snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mirror, setup, teardown),
		cmocka_unit_test_setup_teardown(test_once_lists_despite_snapshot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_record_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_admission_alarm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_vnic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_and_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compaction_resync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_guarantee, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_after_good_in_one_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recreated_vnic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capacity_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_from_snapshot, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
