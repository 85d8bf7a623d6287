/* SPDX-License-Identifier: MIT */
/*
 * The etcd booking store under faults, against real etcd on loopback
 * (etcd_fixture.h): a dead first endpoint and a silent one (failover on
 * refusal and on timeout), a 3-member cluster losing the member a watch
 * is on, auth with tokens that go stale, and etcd killed under a watch
 * and restarted on its data directory. Skipped when etcd is not
 * installed.
 */
#include <pthread.h>

#include "store_etcd_helpers.h"

static struct etcd_fx cfx;      /* three members: the cluster test */
static struct etcd_fx afx;      /* one member with auth: the auth test */

/* A free loopback port nothing listens on. */
static int dead_port(void)
{
	for (int p = 41000 + getpid() % 1000; p < 65000; p += 7)
		if (etcd_fx_port_free(p))
			return p;
	return 1;
}

/* Everything works with the first endpoint dead. */
static void all_calls_work(struct store *s, const char *pfx)
{
	struct evlog l = { 0 };
	struct store_list lst;
	char k1[32], k2[32];
	int64_t r1, r2, id;

	snprintf(k1, sizeof(k1), "%s/1", pfx);
	snprintf(k2, sizeof(k2), "%s/2", pfx);
	r1 = put(s, k1, "a");
	assert_string_equal(get(s, k1), "a");
	assert_int_equal(s->ops->put_if(s, k2, "b", 1, k1, r1, &r2), STORE_OK);
	assert_int_equal(s->ops->list(s, pfx, &lst), STORE_OK);
	assert_int_equal(lst.n, 2);
	store_list_free(&lst);
	assert_int_equal(s->ops->watch(s, pfx, r1), STORE_OK);
	del(s, k1);
	assert_int_equal(poll_for(s, &l, 3, 3000), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.type[2], STORE_DEL);
	assert_int_equal(s->ops->lease_grant(s, 30, &id), STORE_OK);
	assert_int_equal(s->ops->lease_keepalive(s, id), STORE_OK);
	assert_int_equal(s->ops->lease_revoke(s, id), STORE_OK);
	assert_int_equal(s->ops->compact(s, r1), STORE_OK);
}

static void test_failover(void **state)
{
	struct store_etcd_opts bad = { .endpoints = "ftp://127.0.0.1:1" };
	char eps[320], err[256];
	struct store *s;
	int64_t rev;
	(void)state;

	need_etcd();
	assert_null(store_etcd_open(&bad, err, sizeof(err)));
	assert_non_null(strstr(err, "ftp://"));
	bad.endpoints = " , ";
	assert_null(store_etcd_open(&bad, err, sizeof(err)));

	/* Only a dead endpoint: STORE_E_IO naming it. */
	snprintf(eps, sizeof(eps), "http://127.0.0.1:%d", dead_port());
	s = open_on(eps, 500);
	assert_int_equal(s->ops->put(s, "F/x", "v", 1, 0, &rev), STORE_E_IO);
	assert_non_null(strstr(s->err, eps));
	assert_int_equal(s->ops->watch(s, "F/", 0), STORE_E_IO);
	assert_non_null(strstr(s->err, eps));
	store_close(s);

	/* Dead first, then the real one. */
	snprintf(eps, sizeof(eps), "http://127.0.0.1:%d/,%s", dead_port(), fx.endpoints);
	s = open_on(eps, 2000);
	all_calls_work(s, "F");
	store_close(s);
}

/* A member that takes the connection and never answers: timeout_ms. */
static void test_failover_on_timeout(void **state)
{
	char eps[320];
	struct store *s;
	long t0;
	int lfd, port;
	(void)state;

	need_etcd();
	lfd = listen_loopback(&port);   /* the kernel accepts for it */
	snprintf(eps, sizeof(eps), "http://127.0.0.1:%d,%s", port, fx.endpoints);
	s = open_on(eps, 300);
	t0 = etcd_fx_now_ms();
	put(s, "G/x", "v");
	assert_true(etcd_fx_now_ms() - t0 >= 280);      /* waited for the first */
	t0 = etcd_fx_now_ms();
	put(s, "G/x", "w");             /* stays on the one that answered */
	assert_true(etcd_fx_now_ms() - t0 < 250);
	store_close(s);
	close(lfd);
}

/*
 * etcd killed under a watch: poll says STORE_E_IO. Restarted on its data
 * directory, a new watch from the last revision + 1 gets what another
 * client changed meanwhile.
 */
static void test_watch_across_restart(void **state)
{
	struct store *s = open_store(), *s2;
	struct evlog l = { 0 };
	int64_t r1, r2, r3, last;
	long t0;
	int rc;
	(void)state;

	r1 = put(s, "R/a", "1");
	assert_int_equal(s->ops->watch(s, "R/", r1), STORE_OK);
	assert_int_equal(poll_for(s, &l, 1, 3000), 0);
	last = l.rev[0];
	assert_int_equal(last, r1);

	assert_int_equal(etcd_fx_kill(&fx, 0), 0);
	t0 = etcd_fx_now_ms();
	rc = s->ops->poll(s, 3000, collect, &l);
	assert_int_equal(rc, STORE_E_IO);
	assert_true(etcd_fx_now_ms() - t0 < 2000);
	print_message("# watch lost after %ld ms: %s\n", etcd_fx_now_ms() - t0, s->err);
	assert_int_equal(s->ops->put(s, "R/x", "v", 1, 0, NULL), STORE_E_IO);
	assert_non_null(strstr(s->err, fx.m[0].url));

	assert_int_equal(etcd_fx_restart(&fx, 0), 0);
	s2 = open_on(fx.endpoints, 2000);
	r2 = put(s2, "R/b", "2");
	r3 = del(s2, "R/a");
	store_close(s2);
	assert_int_equal(s->ops->watch(s, "R/", last + 1), STORE_OK);
	assert_int_equal(poll_for(s, &l, 3, 3000), 0);
	assert_int_equal(l.n, 3);
	check_ev(&l, 1, STORE_PUT, "R/b", "2", r2);
	check_ev(&l, 2, STORE_DEL, "R/a", "", r3);
	store_close(s);
}

static int cluster_teardown(void **state)
{
	(void)state;
	etcd_fx_stop(&cfx);
	return 0;
}

/*
 * Three members; the handle's first endpoint is a follower, which dies
 * under a watch: put, list and watch go on through the other two.
 * (Killing the leader would add an election, up to a second or two of
 * STORE_E_IO, which a caller retries.)
 */
static void test_cluster_loses_member(void **state)
{
	struct store *s;
	struct store_list lst;
	struct evlog l = { 0 };
	char eps[300];
	int leader, victim, other, n;
	int64_t r1, r2;
	(void)state;

	need_etcd();
	assert_int_equal(etcd_fx_start(&cfx, 3), 0);
	for (int i = 0; i < 50 && (leader = etcd_fx_leader(&cfx)) < 0; i++)
		etcd_fx_sleep_ms(100);
	assert_true(leader >= 0);
	victim = (leader + 1) % 3;
	other = (leader + 2) % 3;
	n = snprintf(eps, sizeof(eps), "%s,%s,%s", cfx.m[victim].url,
		     cfx.m[other].url, cfx.m[leader].url);
	assert_true(n > 0 && n < (int)sizeof(eps));
	s = open_on(eps, 2000);
	r1 = put(s, "K/a", "1");
	assert_int_equal(s->ops->watch(s, "K/", r1), STORE_OK);
	assert_int_equal(poll_for(s, &l, 1, 3000), 0);

	assert_int_equal(etcd_fx_kill(&cfx, victim), 0);
	assert_int_equal(s->ops->poll(s, 3000, collect, &l), STORE_E_IO);
	r2 = put(s, "K/b", "2");
	assert_int_equal(s->ops->list(s, "K/", &lst), STORE_OK);
	assert_int_equal(lst.n, 2);
	assert_true(lst.rev >= r2);
	store_list_free(&lst);
	assert_int_equal(s->ops->watch(s, "K/", l.rev[0] + 1), STORE_OK);
	assert_int_equal(poll_for(s, &l, 2, 3000), 0);
	check_ev(&l, 1, STORE_PUT, "K/b", "2", r2);
	store_close(s);

	/* A new handle starting on the dead member too. */
	s = open_on(eps, 2000);
	all_calls_work(s, "K2");
	store_close(s);
}

static int auth_teardown(void **state)
{
	(void)state;
	etcd_fx_stop(&afx);
	return 0;
}

static struct store *open_auth(const char *user, const char *password)
{
	struct store_etcd_opts o = { .endpoints = afx.endpoints, .user = user,
				     .password = password };
	char err[256];
	struct store *s = store_etcd_open(&o, err, sizeof(err));

	if (!s)
		fail_msg("store_etcd_open: %s", err);
	return s;
}

/*
 * etcd with auth and tokens that live 1 s: no credentials and a wrong
 * password are refused; the right ones work, and a stale token is
 * replaced, for calls and for watch().
 */
static void test_auth(void **state)
{
	static const char *const setup[][2] = {
		{ "/v3/auth/user/add", "{\"name\":\"root\",\"password\":\"pw\"}" },
		{ "/v3/auth/role/add", "{\"name\":\"root\"}" },
		{ "/v3/auth/user/grant", "{\"user\":\"root\",\"role\":\"root\"}" },
		{ "/v3/auth/enable", "{}" },
	};
	struct evlog l = { 0 };
	struct store *s;
	char buf[1024];
	int64_t r1, r2;
	(void)state;

	need_etcd();
	afx.extra = "--auth-token-ttl=1";
	assert_int_equal(etcd_fx_start(&afx, 1), 0);
	for (int i = 0; i < 4; i++) {
		assert_true(etcd_fx_http(afx.m[0].client_port, setup[i][0], setup[i][1],
					 buf, sizeof(buf)) > 0);
		assert_non_null(strstr(buf, "\"header\""));
	}
	s = open_auth(NULL, NULL);
	assert_int_equal(s->ops->put(s, "A/x", "v", 1, 0, NULL), STORE_E_IO);
	assert_non_null(strstr(s->err, "user name is empty"));
	store_close(s);
	s = open_auth("root", "wrong");
	assert_int_equal(s->ops->put(s, "A/x", "v", 1, 0, NULL), STORE_E_IO);
	assert_non_null(strstr(s->err, "authentication failed"));
	store_close(s);

	s = open_auth("root", "pw");
	r1 = put(s, "A/x", "v");
	assert_string_equal(get(s, "A/x"), "v");
	etcd_fx_sleep_ms(2200);         /* the token is gone */
	r2 = put(s, "A/y", "w");
	etcd_fx_sleep_ms(2200);         /* and again, now for the watch */
	assert_int_equal(s->ops->watch(s, "A/", r1), STORE_OK);
	assert_int_equal(poll_for(s, &l, 2, 3000), 0);
	check_ev(&l, 0, STORE_PUT, "A/x", "v", r1);
	check_ev(&l, 1, STORE_PUT, "A/y", "w", r2);
	store_close(s);
}

static int group_teardown(void **state)
{
	(void)state;
	etcd_fx_stop(&fx);
	etcd_fx_stop(&cfx);
	etcd_fx_stop(&afx);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failover),
		cmocka_unit_test(test_failover_on_timeout),
		cmocka_unit_test_teardown(test_cluster_loses_member, cluster_teardown),
		cmocka_unit_test_teardown(test_auth, auth_teardown),
		/* Last: it kills and restarts the shared etcd. */
		cmocka_unit_test(test_watch_across_restart),
	};

	return cmocka_run_group_tests(tests, etcd_group_setup, group_teardown);
}
