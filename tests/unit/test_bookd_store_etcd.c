/* SPDX-License-Identifier: MIT */
/*
 * The etcd booking store (hostdrv/bookd/store_etcd.c) against a real
 * etcd on loopback (etcd_fixture.h): revisions, a 5,000-key list read
 * page by page at one revision while another client writes (and
 * replayed as watch history), prefix bounds with 0xff carries, put_if,
 * the watch (history then live, compaction, poll timeout, a callback
 * that stops), leases (revoke, expiry), and the watch stream cut into
 * messages however it arrives (a fake gateway, no etcd needed). Faults
 * are in test_bookd_store_etcd_fault.c. Every test that needs etcd is
 * skipped when it is not installed.
 */
#include <pthread.h>
#include <netinet/tcp.h>

#include "store_etcd_helpers.h"

static void test_put_get_del(void **state)
{
	struct store *s = open_store();
	struct store_kv kv;
	int64_t r1, r2, r3, r4;
	(void)state;

	r1 = put(s, "B/a", "one");
	r2 = put(s, "B/a", "two");
	assert_true(r2 > r1);
	assert_int_equal(s->ops->get(s, "B/a", &kv), STORE_OK);
	assert_string_equal(kv.key, "B/a");
	assert_int_equal(kv.len, 3);
	assert_string_equal(kv.val, "two");
	assert_int_equal(kv.create_rev, r1);
	assert_int_equal(kv.mod_rev, r2);
	assert_int_equal(kv.lease, 0);
	store_kv_free(&kv);

	/* Bytes, NULs included, come back as they went; val stays a C string. */
	assert_int_equal(s->ops->put(s, "B/bin", "\0\xff\x01z\0", 5, 0, NULL), STORE_OK);
	assert_int_equal(s->ops->get(s, "B/bin", &kv), STORE_OK);
	assert_int_equal(kv.len, 5);
	assert_memory_equal(kv.val, "\0\xff\x01z\0", 6);
	store_kv_free(&kv);
	assert_int_equal(s->ops->put(s, "B/empty", NULL, 0, 0, NULL), STORE_OK);
	assert_int_equal(s->ops->get(s, "B/empty", &kv), STORE_OK);
	assert_int_equal(kv.len, 0);
	assert_string_equal(kv.val, "");
	store_kv_free(&kv);

	r3 = del(s, "B/a");
	assert_true(r3 > r2);
	assert_int_equal(s->ops->get(s, "B/a", &kv), STORE_E_NOTFOUND);
	r4 = del(s, "B/a");             /* missing: fine, nothing changes */
	assert_true(r4 >= r3);
	r4 = put(s, "B/a", "again");    /* created anew */
	assert_int_equal(s->ops->get(s, "B/a", &kv), STORE_OK);
	assert_int_equal(kv.create_rev, r4);
	store_kv_free(&kv);

	assert_int_equal(s->ops->put(s, "", "x", 1, 0, NULL), STORE_E_INVAL);
	assert_int_equal(s->ops->get(s, "", &kv), STORE_E_INVAL);
	assert_int_equal(s->ops->del(s, NULL, NULL), STORE_E_INVAL);
	store_close(s);
}

#define LIST_N 5000

struct writer {
	struct store *s;
	volatile int stop;
	int n;
	int64_t rev[100000];
};

/* Adds keys under the listed prefix while the list runs. */
static void *writer_main(void *arg)
{
	struct writer *w = arg;
	char key[32];

	while (!w->stop && w->n < 100000) {
		snprintf(key, sizeof(key), "L/zz%06d", w->n);
		if (w->s->ops->put(w->s, key, "w", 1, 0, &w->rev[w->n]))
			break;
		w->n++;
	}
	return NULL;
}

static void list_value(char *v, size_t size, int i)
{
	memset(v, 'a' + i % 26, size - 1);
	snprintf(v, size, "value-%05d-", i);
	v[strlen(v)] = '.';
	v[size - 1] = '\0';
}

/* Watch events must replay the list's keys in order. */
struct hist {
	const struct store_list *l;
	size_t i;
};

static int check_hist(void *arg, int type, const struct store_kv *kv)
{
	struct hist *h = arg;

	if (!h || type != STORE_PUT || h->i >= LIST_N ||
	    strcmp(kv->key, h->l->kv[h->i].key) ||
	    kv->mod_rev != h->l->kv[h->i].mod_rev ||
	    strcmp(kv->val, h->l->kv[h->i].val))
		fail_msg("history event %zu: %s", h ? h->i : 0, kv->key);
	h->i++;
	return 0;
}

static void test_list_5000_one_revision(void **state)
{
	struct store *s = open_store(), *s2;
	static struct writer w;
	struct store_list l;
	pthread_t th;
	char key[32], v[201];
	int64_t last = 0;
	int zz = 0, want_zz = 0;
	(void)state;

	for (int i = 0; i < LIST_N; i++) {
		snprintf(key, sizeof(key), "L/k%05d", i);
		list_value(v, sizeof(v), i);
		assert_int_equal(s->ops->put(s, key, v, 200, 0, &last), STORE_OK);
	}
	s2 = open_on(fx.endpoints, 2000);
	memset(&w, 0, sizeof(w));
	w.s = s2;
	assert_int_equal(pthread_create(&th, NULL, writer_main, &w), 0);
	while (w.n < 3)         /* the writer is going */
		etcd_fx_sleep_ms(1);
	assert_int_equal(s->ops->list(s, "L/", &l), STORE_OK);
	w.stop = 1;
	pthread_join(th, NULL);

	assert_true(l.rev > last);
	assert_true(l.n >= LIST_N);
	for (size_t i = 0; i < l.n; i++) {
		assert_true(l.kv[i].mod_rev <= l.rev);
		if (i)
			assert_true(strcmp(l.kv[i - 1].key, l.kv[i].key) < 0);
		if (i < LIST_N) {
			snprintf(key, sizeof(key), "L/k%05d", (int)i);
			list_value(v, sizeof(v), (int)i);
			assert_string_equal(l.kv[i].key, key);
			assert_int_equal(l.kv[i].len, 200);
			assert_string_equal(l.kv[i].val, v);
		} else {
			zz++;
		}
	}
	/* Exactly the writer's keys that existed at the list's revision. */
	for (int i = 0; i < w.n; i++)
		want_zz += w.rev[i] <= l.rev;
	assert_int_equal(zz, want_zz);
	assert_true(want_zz < w.n);     /* it did write during the list */
	print_message("# list: %zu keys at rev %lld, writer put %d meanwhile\n",
		      l.n, (long long)l.rev, w.n);

	/* The same keys as history: watch messages far bigger than a read. */
	assert_int_equal(s->ops->watch(s, "L/k", l.kv[0].mod_rev), STORE_OK);
	for (int got = 0, rc; got < LIST_N; got += rc) {
		struct hist h = { .l = &l, .i = (size_t)got };

		rc = s->ops->poll(s, 3000, check_hist, &h);
		assert_true(rc > 0);
	}
	assert_int_equal(s->ops->poll(s, 0, check_hist, NULL), 0);
	store_list_free(&l);
	store_close(s2);
	store_close(s);
}

static void expect_list(struct store *s, const char *prefix,
			const char *const *keys, size_t n)
{
	struct store_list l;

	assert_int_equal(s->ops->list(s, prefix, &l), STORE_OK);
	assert_true(l.rev > 0);
	assert_int_equal(l.n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(l.kv[i].key, keys[i]);
	store_list_free(&l);
}

static void test_prefix_bounds(void **state)
{
	static const char *const all[] = {
		"P", "P.", "P/", "P/a", "P/a/x", "P/b", "P0", "Q",
		"X", "X\xfe\xff", "X\xff", "X\xff\x01", "X\xff\xff", "X\xff\xff\xff", "Y",
		"\xff\xfe", "\xff\xff", "\xff\xff\x01",
	};
	static const char *const p[] = { "P/", "P/a", "P/a/x", "P/b" };
	static const char *const x[] = { "X\xff", "X\xff\x01", "X\xff\xff", "X\xff\xff\xff" };
	static const char *const xx[] = { "X\xff\xff", "X\xff\xff\xff" };
	static const char *const ff[] = { "\xff\xff", "\xff\xff\x01" };
	struct store *s = open_store();
	(void)state;

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		put(s, all[i], "v");
	expect_list(s, "P/", p, 4);             /* not "P0" ('/' + 1), "P." */
	expect_list(s, "X\xff", x, 4);          /* end "Y", exclusive */
	expect_list(s, "X\xff\xff", xx, 2);
	expect_list(s, "\xff\xff", ff, 2);      /* no end: every key after */
	expect_list(s, "nothing/", NULL, 0);
	store_close(s);
}

static void test_put_if(void **state)
{
	struct store *s = open_store();
	struct store_kv kv;
	int64_t r1 = 0, r2 = 0, r3 = 0, r;
	(void)state;

	assert_int_equal(s->ops->put_if(s, "I/a", "1", 1, "I/a", 0, &r1), STORE_OK);
	assert_int_equal(s->ops->put_if(s, "I/a", "2", 1, "I/a", 0, &r), STORE_E_FAILED);
	assert_int_equal(s->ops->put_if(s, "I/a", "2", 1, "I/a", r1, &r2), STORE_OK);
	assert_true(r2 > r1);
	assert_int_equal(s->ops->put_if(s, "I/a", "3", 1, "I/a", r1, &r), STORE_E_FAILED);
	assert_int_equal(s->ops->get(s, "I/a", &kv), STORE_OK);
	assert_string_equal(kv.val, "2");
	assert_int_equal(kv.mod_rev, r2);       /* nothing written */
	store_kv_free(&kv);

	/* The compare may be on another key. */
	assert_int_equal(s->ops->put_if(s, "I/b", "x", 1, "I/a", r2, &r3), STORE_OK);
	assert_int_equal(s->ops->put_if(s, "I/c", "x", 1, "I/none", 5, &r), STORE_E_FAILED);
	assert_string_equal(get(s, "I/c"), "");
	assert_int_equal(put(s, "I/probe", "p"), r3 + 1); /* no revision spent */

	/* Deleted: absent again. */
	del(s, "I/a");
	assert_int_equal(s->ops->put_if(s, "I/a", "4", 1, "I/a", 0, NULL), STORE_OK);
	assert_string_equal(get(s, "I/a"), "4");
	assert_int_equal(s->ops->put_if(s, "", "4", 1, "I/a", 0, NULL), STORE_E_INVAL);
	store_close(s);
}

static void test_watch_history_and_live(void **state)
{
	struct store *s = open_store();
	struct evlog l = { 0 };
	int64_t r1, r2, r3, r4, r5;
	(void)state;

	r1 = put(s, "W/a", "1");
	r2 = put(s, "W/b", "2");
	r3 = del(s, "W/a");
	put(s, "X/outside", "no");
	put(s, "W", "no");
	r4 = put(s, "W/a", "3");
	assert_int_equal(s->ops->watch(s, "W/", r1), STORE_OK);
	assert_int_equal(poll_for(s, &l, 4, 3000), 0);
	r5 = put(s, "W/c", "live");
	assert_int_equal(poll_for(s, &l, 5, 3000), 0);
	assert_int_equal(s->ops->poll(s, 50, collect, &l), 0);
	assert_int_equal(l.n, 5);
	check_ev(&l, 0, STORE_PUT, "W/a", "1", r1);
	check_ev(&l, 1, STORE_PUT, "W/b", "2", r2);
	check_ev(&l, 2, STORE_DEL, "W/a", "", r3);
	check_ev(&l, 3, STORE_PUT, "W/a", "3", r4);
	check_ev(&l, 4, STORE_PUT, "W/c", "live", r5);
	store_close(s);
}

static void test_watch_compacted(void **state)
{
	struct store *s = open_store();
	struct evlog l = { 0 };
	int64_t r1, r3;
	int rc;
	(void)state;

	r1 = put(s, "C/a", "1");
	put(s, "C/b", "2");
	r3 = put(s, "C/c", "3");
	assert_int_equal(s->ops->compact(s, r3), STORE_OK);
	assert_int_equal(s->ops->compact(s, r1), STORE_OK); /* already gone */
	s->compact_rev = 0;
	/* The compaction shows at watch() or at the first poll. */
	rc = s->ops->watch(s, "C/", r1);
	if (rc == STORE_OK)
		rc = poll_for(s, &l, 1, 3000);
	assert_int_equal(rc, STORE_E_COMPACTED);
	assert_int_equal(s->compact_rev, r3);
	assert_int_equal(l.n, 0);
	/* From the compaction revision on, history is whole. */
	assert_int_equal(s->ops->watch(s, "C/", r3), STORE_OK);
	assert_int_equal(poll_for(s, &l, 1, 3000), 0);
	check_ev(&l, 0, STORE_PUT, "C/c", "3", r3);
	store_close(s);
}

static void test_poll_timeout(void **state)
{
	struct store *s = open_store();
	struct evlog l = { 0 };
	long t0;
	(void)state;

	assert_int_equal(s->ops->poll(s, 10, collect, &l), STORE_E_INVAL); /* no watch */
	assert_int_equal(s->ops->watch(s, "T/", 0), STORE_OK);
	t0 = etcd_fx_now_ms();
	assert_int_equal(s->ops->poll(s, 300, collect, &l), 0);
	assert_true(etcd_fx_now_ms() - t0 >= 280);
	assert_true(etcd_fx_now_ms() - t0 < 1000);
	t0 = etcd_fx_now_ms();
	assert_int_equal(s->ops->poll(s, 0, collect, &l), 0);
	assert_true(etcd_fx_now_ms() - t0 < 100);
	assert_int_equal(l.n, 0);
	store_close(s);
}

static void test_callback_stops(void **state)
{
	struct store *s = open_store();
	struct evlog l = { .stop_after = 2 };
	int64_t rev[5];
	char key[16];
	(void)state;

	for (int i = 0; i < 5; i++) {
		snprintf(key, sizeof(key), "S/%d", i);
		rev[i] = put(s, key, "v");
	}
	assert_int_equal(s->ops->watch(s, "S/", rev[0]), STORE_OK);
	assert_int_equal(poll_for(s, &l, 2, 3000), 0);
	assert_int_equal(l.n, 2);
	/* The rest was dropped with the watch; it comes again after watch(). */
	assert_int_equal(s->ops->poll(s, 100, collect, &l), STORE_E_INVAL);
	assert_int_equal(l.n, 2);
	l.stop_after = 0;
	assert_int_equal(s->ops->watch(s, "S/", l.rev[1] + 1), STORE_OK);
	assert_int_equal(poll_for(s, &l, 5, 3000), 0);
	assert_int_equal(l.n, 5);
	for (int i = 0; i < 5; i++) {
		snprintf(key, sizeof(key), "S/%d", i);
		check_ev(&l, i, STORE_PUT, key, "v", rev[i]);
	}
	store_close(s);
}

static void test_leases(void **state)
{
	struct store *s = open_store();
	struct store_kv kv;
	int64_t id, id2;
	long t0;
	(void)state;

	assert_int_equal(s->ops->lease_grant(s, 30, &id), STORE_OK);
	assert_true(id > 0);
	assert_int_equal(s->ops->put(s, "E/a", "x", 1, id, NULL), STORE_OK);
	assert_int_equal(s->ops->get(s, "E/a", &kv), STORE_OK);
	assert_int_equal(kv.lease, id);
	store_kv_free(&kv);
	assert_int_equal(s->ops->lease_keepalive(s, id), STORE_OK);
	assert_int_equal(s->ops->lease_revoke(s, id), STORE_OK);
	assert_string_equal(get(s, "E/a"), "");
	assert_int_equal(s->ops->lease_revoke(s, id), STORE_E_LEASE);
	assert_int_equal(s->ops->lease_keepalive(s, id), STORE_E_LEASE);
	assert_int_equal(s->ops->put(s, "E/b", "x", 1, id, NULL), STORE_E_LEASE);
	assert_int_equal(s->ops->lease_grant(s, 0, &id), STORE_E_INVAL);

	/* Expiry: TTL 1 s, no keepalive. */
	assert_int_equal(s->ops->lease_grant(s, 1, &id2), STORE_OK);
	assert_int_equal(s->ops->put(s, "E/c", "x", 1, id2, NULL), STORE_OK);
	t0 = etcd_fx_now_ms();
	while (get(s, "E/c")[0] && etcd_fx_now_ms() - t0 < 5000)
		etcd_fx_sleep_ms(100);
	assert_string_equal(get(s, "E/c"), "");
	print_message("# lease of 1 s expired after %ld ms\n", etcd_fx_now_ms() - t0);
	assert_int_equal(s->ops->lease_keepalive(s, id2), STORE_E_LEASE);
	store_close(s);
}

/*
 * A fake gateway that cuts its watch stream badly: two messages and the
 * start of a third in one write, the rest later, int64 fields as strings
 * and as numbers, the PUT type left out, then the end of the stream.
 */
static const char *const fake_stream[] = {
	"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
	"Connection: close\r\n\r\n"
	"{\"result\":{\"header\":{\"revision\":\"7\"},\"created\":true}}\n"
	"{\"result\":{\"header\":{\"revision\":7},\"events\":["
	"{\"kv\":{\"key\":\"Wi9h\",\"create_revision\":\"3\",\"mod_revision\":\"3\","
	"\"value\":\"MQ==\"}},{\"type\":\"DELETE\",\"kv\":{\"key\":\"Wi9h\","
	"\"mod_revision\":4}}]}}\n{\"result\":{\"events\":[{\"type\":\"PUT\",\"kv\":{\"ke",
	"y\":\"Wi9i\",\"mod_revision\":\"5\",\"value\":\"",
	"Mg==\"}}]}}",
	"\n\n{\"result\":{\"events\":[{\"kv\":{\"key\":\"Wi9j\",\"mod_revision\":\"7\"}}]}}\n",
};

static void *fake_gateway(void *arg)
{
	int lfd = *(int *)arg, fd = accept(lfd, NULL, NULL), one = 1;
	char buf[2048];

	if (fd < 0)
		return NULL;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (read(fd, buf, sizeof(buf)) > 0) {
		for (size_t i = 0; i < sizeof(fake_stream) / sizeof(fake_stream[0]); i++) {
			if (write(fd, fake_stream[i], strlen(fake_stream[i])) < 0)
				break;
			etcd_fx_sleep_ms(60);
		}
	}
	close(fd);
	return NULL;
}

static void test_watch_stream_framing(void **state)
{
	struct evlog l = { 0 };
	char eps[64];
	struct store *s;
	pthread_t th;
	int lfd, port, rc;
	(void)state;

	lfd = listen_loopback(&port);
	assert_int_equal(pthread_create(&th, NULL, fake_gateway, &lfd), 0);
	snprintf(eps, sizeof(eps), "http://127.0.0.1:%d", port);
	s = open_on(eps, 2000);
	assert_int_equal(s->ops->watch(s, "Z/", 3), STORE_OK);
	while ((rc = s->ops->poll(s, 1000, collect, &l)) > 0)
		;
	assert_int_equal(rc, STORE_E_IO);       /* the stream ended */
	assert_non_null(strstr(s->err, "stream ended"));
	assert_int_equal(l.n, 4);
	check_ev(&l, 0, STORE_PUT, "Z/a", "1", 3);
	check_ev(&l, 1, STORE_DEL, "Z/a", "", 4);
	check_ev(&l, 2, STORE_PUT, "Z/b", "2", 5);
	check_ev(&l, 3, STORE_PUT, "Z/c", "", 7);
	assert_int_equal(s->ops->poll(s, 10, collect, &l), STORE_E_INVAL);
	store_close(s);
	pthread_join(th, NULL);
	close(lfd);
}

static int group_teardown(void **state)
{
	(void)state;
	etcd_fx_stop(&fx);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get_del),
		cmocka_unit_test(test_list_5000_one_revision),
		cmocka_unit_test(test_prefix_bounds),
		cmocka_unit_test(test_put_if),
		cmocka_unit_test(test_watch_history_and_live),
		cmocka_unit_test(test_watch_compacted),
		cmocka_unit_test(test_poll_timeout),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_watch_stream_framing),
		cmocka_unit_test(test_leases),
	};

	return cmocka_run_group_tests(tests, etcd_group_setup, group_teardown);
}
