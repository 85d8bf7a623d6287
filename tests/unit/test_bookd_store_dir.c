/* SPDX-License-Identifier: MIT */
/*
 * The embedded booking store (hostdrv/bookd/store_dir.c) in fresh
 * temporary directories: store-wide revisions across handles and across
 * processes, lists at one revision, put_if, watches that replay history
 * in order, poll timeouts, leases expiring, kept alive and revoked,
 * compaction seen by handles opened before it, a torn last line, a
 * corrupt line, and reopening.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../hostdrv/bookd/store.h"

#define MAX_EV 64

struct seen {
	int     n;
	int     stop_at;        /* cb returns 1 on this event (1-based); 0: never */
	int     type[MAX_EV];
	char    key[MAX_EV][32];
	char    val[MAX_EV][32];
	int64_t rev[MAX_EV];
};

static char dir[64];

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/bookd-store-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	return nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static struct store *open_store(void)
{
	char err[256] = "";
	struct store *s = store_dir_open(dir, err, sizeof(err));
	if (!s)
		fail_msg("store_dir_open %s: %s", dir, err);
	return s;
}

static int64_t put(struct store *s, const char *key, const char *val, int64_t lease)
{
	int64_t rev = 0;
	int rc = s->ops->put(s, key, val, strlen(val), lease, &rev);
	if (rc)
		fail_msg("put %s: %s (%s)", key, store_strerror(rc), s->err);
	return rev;
}

static int on_event(void *arg, int type, const struct store_kv *kv)
{
	struct seen *e = arg;

	assert_true(e->n < MAX_EV);
	e->type[e->n] = type;
	snprintf(e->key[e->n], sizeof(e->key[0]), "%s", kv->key);
	snprintf(e->val[e->n], sizeof(e->val[0]), "%s", kv->val);
	e->rev[e->n] = kv->mod_rev;
	e->n++;
	return e->n == e->stop_at;
}

/* Polls until `want` events have arrived or timeout_ms passes. */
static void poll_for(struct store *s, struct seen *e, int want, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;

	while (e->n < want && now_ms() < end) {
		int rc = s->ops->poll(s, 100, on_event, e);
		if (rc < 0)
			fail_msg("poll: %s (%s)", store_strerror(rc), s->err);
	}
	assert_int_equal(e->n, want);
}

static char *journal_path(void)
{
	static char p[96];
	snprintf(p, sizeof(p), "%s/journal", dir);
	return p;
}

static void append_raw(const char *text)
{
	int fd = open(journal_path(), O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void test_revisions_across_handles(void **state)
{
	(void)state;
	struct store *a = open_store(), *b = open_store();
	int64_t last = 0;

	for (int i = 0; i < 20; i++) {
		char key[32];
		snprintf(key, sizeof(key), "k/%02d", i);
		int64_t rev = put(i % 2 ? b : a, key, "v", 0);
		assert_int_equal(rev, last + 1);
		last = rev;
	}
	struct store_list l;
	assert_int_equal(a->ops->list(a, "k/", &l), STORE_OK);
	assert_int_equal(l.n, 20);
	assert_int_equal(l.rev, 20);
	store_list_free(&l);
	store_close(a);
	store_close(b);
}

/* Events must come with the revisions 1, 2, 3, ... */
static int count_in_order(void *arg, int type, const struct store_kv *kv)
{
	int64_t *last = arg;

	assert_int_equal(type, STORE_PUT);
	assert_int_equal(kv->mod_rev, *last + 1);
	*last = kv->mod_rev;
	return 0;
}

/* A child process and this one put 500 keys each at the same time; a
 * watcher gets all 1000 changes in order. */
static void test_two_processes(void **state)
{
	(void)state;
	struct store *w = open_store();
	assert_int_equal(w->ops->watch(w, "", 1), STORE_OK);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char err[256];
		struct store *c = store_dir_open(dir, err, sizeof(err));
		int bad = !c;
		for (int i = 0; !bad && i < 500; i++) {
			char key[32];
			snprintf(key, sizeof(key), "child/%03d", i);
			bad = c->ops->put(c, key, "c", 1, 0, NULL) != STORE_OK;
		}
		store_close(c);
		_exit(bad);
	}
	struct store *p = open_store();
	int64_t last = 0;
	for (int i = 0; i < 500; i++) {
		char key[32];
		snprintf(key, sizeof(key), "parent/%03d", i);
		int64_t rev = put(p, key, "p", 0);
		assert_true(rev > last);
		last = rev;
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	struct store_list l;
	static char used[1001];
	assert_int_equal(p->ops->list(p, "", &l), STORE_OK);
	assert_int_equal(l.n, 1000);
	assert_int_equal(l.rev, 1000);
	for (size_t i = 0; i < l.n; i++) {
		assert_in_range(l.kv[i].mod_rev, 1, 1000);
		assert_false(used[l.kv[i].mod_rev]);
		used[l.kv[i].mod_rev] = 1;
	}
	store_list_free(&l);
	store_close(p);

	int64_t got = 0, end = now_ms() + 5000;
	while (got < 1000 && now_ms() < end)
		assert_true(w->ops->poll(w, 100, count_in_order, &got) >= 0);
	assert_int_equal(got, 1000);
	store_close(w);
}

static void test_list_sorted_prefix(void **state)
{
	(void)state;
	struct store *s = open_store();
	const char *keys[] = { "b/1", "a/2", "ab", "a/10", "a", "a/1" };
	const char odd_key[] = "x/ \n\xff=";
	const char odd_val[] = { 'v', 0, '\n', ' ', 'w' };

	for (unsigned i = 0; i < 6; i++)
		put(s, keys[i], keys[i], 0);
	assert_int_equal(s->ops->put(s, odd_key, odd_val, sizeof(odd_val), 0, NULL), STORE_OK);

	struct store_list l;
	assert_int_equal(s->ops->list(s, "a/", &l), STORE_OK);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.kv[0].key, "a/1");
	assert_string_equal(l.kv[1].key, "a/10");
	assert_string_equal(l.kv[2].key, "a/2");
	assert_string_equal(l.kv[2].val, "a/2");
	assert_int_equal(l.rev, 7);
	store_list_free(&l);

	assert_int_equal(s->ops->list(s, "", &l), STORE_OK);
	assert_int_equal(l.n, 7);
	for (size_t i = 1; i < l.n; i++)
		assert_true(strcmp(l.kv[i - 1].key, l.kv[i].key) < 0);
	store_list_free(&l);

	assert_int_equal(s->ops->list(s, "zz", &l), STORE_OK);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.rev, 7);
	store_list_free(&l);

	struct store *t = open_store();  /* binary key and value through the journal */
	struct store_kv kv;
	assert_int_equal(t->ops->get(t, odd_key, &kv), STORE_OK);
	assert_int_equal(kv.len, sizeof(odd_val));
	assert_memory_equal(kv.val, odd_val, sizeof(odd_val));
	store_kv_free(&kv);
	store_close(t);
	store_close(s);
}

static void test_get_del(void **state)
{
	(void)state;
	struct store *s = open_store();
	struct store_kv kv;
	int64_t rev;

	assert_int_equal(s->ops->get(s, "k", &kv), STORE_E_NOTFOUND);
	assert_int_equal(put(s, "k", "one", 0), 1);
	assert_int_equal(put(s, "k", "two", 0), 2);
	assert_int_equal(s->ops->get(s, "k", &kv), STORE_OK);
	assert_string_equal(kv.val, "two");
	assert_int_equal(kv.len, 3);
	assert_int_equal(kv.create_rev, 1);
	assert_int_equal(kv.mod_rev, 2);
	store_kv_free(&kv);

	assert_int_equal(s->ops->del(s, "k", &rev), STORE_OK);
	assert_int_equal(rev, 3);
	assert_int_equal(s->ops->get(s, "k", &kv), STORE_E_NOTFOUND);
	assert_int_equal(s->ops->del(s, "k", &rev), STORE_OK);  /* missing: no revision */
	assert_int_equal(rev, 3);
	assert_int_equal(put(s, "k", "three", 0), 4);
	assert_int_equal(s->ops->get(s, "k", &kv), STORE_OK);
	assert_int_equal(kv.create_rev, 4);    /* created again */
	store_kv_free(&kv);
	assert_int_equal(s->ops->put(s, "", "x", 1, 0, NULL), STORE_E_INVAL);
	store_close(s);
}

static void test_put_if(void **state)
{
	(void)state;
	struct store *s = open_store();
	struct store_kv kv;
	int64_t rev = 0;

	assert_int_equal(s->ops->put_if(s, "k", "a", 1, "k", 0, &rev), STORE_OK);
	assert_int_equal(rev, 1);
	assert_int_equal(s->ops->put_if(s, "k", "b", 1, "k", 0, &rev), STORE_E_FAILED);
	assert_int_equal(s->ops->put_if(s, "k", "b", 1, "k", 7, &rev), STORE_E_FAILED);
	assert_int_equal(s->ops->put_if(s, "k", "b", 1, "k", 1, &rev), STORE_OK);
	assert_int_equal(rev, 2);
	/* The compare may be on another key. */
	assert_int_equal(s->ops->put_if(s, "x", "c", 1, "k", 1, &rev), STORE_E_FAILED);
	assert_int_equal(s->ops->put_if(s, "x", "c", 1, "k", 2, &rev), STORE_OK);
	assert_int_equal(rev, 3);
	assert_int_equal(s->ops->get(s, "k", &kv), STORE_OK);
	assert_string_equal(kv.val, "b");
	assert_int_equal(kv.mod_rev, 2);      /* the failed ones wrote nothing */
	store_kv_free(&kv);
	store_close(s);
}

static void test_watch_replays_in_order(void **state)
{
	(void)state;
	struct store *a = open_store(), *b = open_store(), *w = open_store();
	struct seen e = { 0 };

	put(a, "w/1", "x", 0);        /* 1 */
	put(b, "w/2", "y", 0);        /* 2 */
	put(a, "other", "z", 0);      /* 3 */
	assert_int_equal(b->ops->del(b, "w/1", NULL), STORE_OK);  /* 4 */
	assert_int_equal(w->ops->watch(w, "w/", 2), STORE_OK);
	put(b, "w/3", "q", 0);        /* 5, after the watch, by another handle */
	poll_for(w, &e, 3, 2000);
	assert_int_equal(e.type[0], STORE_PUT);
	assert_string_equal(e.key[0], "w/2");
	assert_string_equal(e.val[0], "y");
	assert_int_equal(e.rev[0], 2);
	assert_int_equal(e.type[1], STORE_DEL);
	assert_string_equal(e.key[1], "w/1");
	assert_int_equal(e.rev[1], 4);
	assert_string_equal(e.key[2], "w/3");
	assert_int_equal(e.rev[2], 5);

	/* From revision 0: only what comes next. */
	struct seen f = { 0 };
	assert_int_equal(w->ops->watch(w, "w/", 0), STORE_OK);
	put(a, "w/4", "n", 0);        /* 6 */
	poll_for(w, &f, 1, 2000);
	assert_int_equal(f.rev[0], 6);
	store_close(a);
	store_close(b);
	store_close(w);
}

static void test_poll_timeout(void **state)
{
	(void)state;
	struct store *s = open_store();
	struct seen e = { 0 };

	put(s, "other", "x", 0);
	assert_int_equal(s->ops->watch(s, "w/", 0), STORE_OK);
	int64_t t0 = now_ms();
	assert_int_equal(s->ops->poll(s, 300, on_event, &e), 0);
	int64_t took = now_ms() - t0;
	/* Not before its timeout; and not held far past it (a loaded machine
	 * may take a while to run the process again: the bound is loose). */
	assert_in_range(took, 290, 1500);
	assert_int_equal(s->ops->poll(s, 0, on_event, &e), 0);
	assert_int_equal(e.n, 0);
	store_close(s);
}

static void test_callback_stops_delivery(void **state)
{
	(void)state;
	struct store *s = open_store();
	struct seen e = { .stop_at = 2 };

	for (int i = 1; i <= 5; i++) {
		char key[16];
		snprintf(key, sizeof(key), "k/%d", i);
		put(s, key, "v", 0);
	}
	assert_int_equal(s->ops->watch(s, "k/", 1), STORE_OK);
	assert_int_equal(s->ops->poll(s, 100, on_event, &e), 2);
	assert_int_equal(e.rev[1], 2);
	assert_int_equal(s->ops->poll(s, 100, on_event, &e), STORE_E_INVAL);
	/* Restart after the last delivered: the other three, once each. */
	e.stop_at = 0;
	assert_int_equal(s->ops->watch(s, "k/", e.rev[1] + 1), STORE_OK);
	assert_int_equal(s->ops->poll(s, 100, on_event, &e), 3);
	assert_int_equal(e.rev[2], 3);
	assert_int_equal(e.rev[4], 5);
	/* Restart further back: read again from the journal. */
	assert_int_equal(s->ops->watch(s, "k/", 4), STORE_OK);
	assert_int_equal(s->ops->poll(s, 100, on_event, &e), 2);
	assert_int_equal(e.rev[5], 4);
	assert_int_equal(e.rev[6], 5);
	store_close(s);
}

/* A key under a 1 s lease goes when nobody keeps it alive, and a
 * watcher on another handle gets the delete. */
static void test_lease_expiry(void **state)
{
	(void)state;
	struct store *s = open_store(), *w = open_store();
	struct seen e = { 0 };
	struct store_kv kv;
	int64_t lease;

	assert_int_equal(s->ops->lease_grant(s, 1, &lease), STORE_OK);
	int64_t t0 = now_ms();
	put(s, "node/a", "alive", lease);
	put(s, "node/b", "forever", 0);
	assert_int_equal(w->ops->watch(w, "node/", 0), STORE_OK);
	poll_for(w, &e, 1, 3000);     /* nobody writes: the watcher deletes it */
	assert_true(now_ms() - t0 >= 900);
	assert_int_equal(e.type[0], STORE_DEL);
	assert_string_equal(e.key[0], "node/a");
	assert_int_equal(e.rev[0], 3);
	assert_int_equal(s->ops->get(s, "node/a", &kv), STORE_E_NOTFOUND);
	assert_int_equal(s->ops->get(s, "node/b", &kv), STORE_OK);
	store_kv_free(&kv);
	assert_int_equal(s->ops->lease_keepalive(s, lease), STORE_E_LEASE);
	store_close(s);
	store_close(w);
}

static void test_lease_keepalive(void **state)
{
	(void)state;
	struct store *s = open_store();
	struct store_kv kv;
	int64_t kept, dropped;

	assert_int_equal(s->ops->lease_grant(s, 1, &kept), STORE_OK);
	assert_int_equal(s->ops->lease_grant(s, 1, &dropped), STORE_OK);
	assert_true(kept != dropped);
	put(s, "kept", "x", kept);
	put(s, "dropped", "y", dropped);
	sleep_ms(600);
	assert_int_equal(s->ops->lease_keepalive(s, kept), STORE_OK);
	sleep_ms(600);                 /* 1.2 s after the grants */
	assert_int_equal(s->ops->get(s, "kept", &kv), STORE_OK);
	assert_int_equal(kv.lease, kept);
	store_kv_free(&kv);
	assert_int_equal(s->ops->get(s, "dropped", &kv), STORE_E_NOTFOUND);
	assert_int_equal(s->ops->lease_keepalive(s, dropped), STORE_E_LEASE);
	assert_int_equal(s->ops->put(s, "late", "z", 1, dropped, NULL), STORE_E_LEASE);
	assert_int_equal(s->ops->put(s, "late", "z", 1, 999, NULL), STORE_E_LEASE);
	store_close(s);
}

static void test_lease_revoke(void **state)
{
	(void)state;
	struct store *s = open_store(), *w = open_store();
	struct seen e = { 0 };
	struct store_list l;
	int64_t lease;

	assert_int_equal(s->ops->lease_grant(s, 60, &lease), STORE_OK);
	put(s, "n/a", "1", lease);
	put(s, "n/b", "2", lease);
	put(s, "n/c", "3", 0);
	assert_int_equal(w->ops->watch(w, "n/", 0), STORE_OK);
	assert_int_equal(s->ops->lease_revoke(s, lease), STORE_OK);
	poll_for(w, &e, 2, 2000);
	assert_int_equal(e.type[0], STORE_DEL);
	assert_int_equal(e.type[1], STORE_DEL);
	assert_int_equal(e.rev[1], e.rev[0] + 1);
	assert_int_equal(s->ops->list(s, "n/", &l), STORE_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.kv[0].key, "n/c");
	store_list_free(&l);
	assert_int_equal(s->ops->lease_revoke(s, lease), STORE_E_LEASE);
	store_close(s);
	store_close(w);
}

static void assert_same_lists(const struct store_list *x, const struct store_list *y)
{
	assert_int_equal(x->n, y->n);
	assert_int_equal(x->rev, y->rev);
	for (size_t i = 0; i < x->n; i++) {
		assert_string_equal(x->kv[i].key, y->kv[i].key);
		assert_string_equal(x->kv[i].val, y->kv[i].val);
		assert_int_equal(x->kv[i].create_rev, y->kv[i].create_rev);
		assert_int_equal(x->kv[i].mod_rev, y->kv[i].mod_rev);
		assert_int_equal(x->kv[i].lease, y->kv[i].lease);
	}
}

static void test_compaction(void **state)
{
	(void)state;
	struct store *a = open_store(), *early = open_store(), *lagging = open_store();
	struct store_list before, after;
	struct seen e = { 0 }, lost = { 0 };
	int64_t lease;

	assert_int_equal(a->ops->lease_grant(a, 60, &lease), STORE_OK);
	put(a, "k/1", "a", 0);               /* 1 */
	put(a, "k/2", "b", lease);           /* 2 */
	put(a, "k/1", "c", 0);               /* 3 */
	assert_int_equal(a->ops->del(a, "k/2", NULL), STORE_OK);  /* 4 */
	put(a, "k/2", "d", lease);           /* 5 */
	put(a, "k/3", "e", 0);               /* 6 */
	/* A watch from before, read up to 6; one that has read nothing since 6. */
	assert_int_equal(early->ops->watch(early, "k/", 2), STORE_OK);
	assert_int_equal(lagging->ops->watch(lagging, "k/", 7), STORE_OK);
	put(a, "k/3", "f", 0);               /* 7 */
	put(a, "k/4", "g", 0);               /* 8 */
	assert_int_equal(a->ops->list(a, "", &before), STORE_OK);
	assert_int_equal(a->ops->compact(a, 7), STORE_OK);

	assert_int_equal(a->ops->list(a, "", &after), STORE_OK);
	assert_same_lists(&before, &after);
	store_list_free(&after);
	assert_int_equal(a->ops->watch(a, "k/", 6), STORE_E_COMPACTED);
	assert_int_equal(a->compact_rev, 7);
	assert_int_equal(a->ops->watch(a, "k/", 7), STORE_OK);
	poll_for(a, &e, 2, 1000);
	assert_int_equal(e.rev[0], 7);
	assert_int_equal(e.rev[1], 8);
	assert_int_equal(a->ops->compact(a, 6), STORE_OK);      /* done already */
	assert_int_equal(a->ops->compact(a, 9), STORE_E_INVAL);  /* the future */

	/* early had read up to 6 and wants 2..8: the old journal it still has
	 * open holds 7 and 8, the new one everything from 7. */
	e.n = 0;
	poll_for(early, &e, 7, 1000);
	assert_int_equal(e.rev[0], 2);
	assert_int_equal(e.type[2], STORE_DEL);
	assert_int_equal(e.rev[6], 8);
	assert_int_equal(early->ops->list(early, "", &after), STORE_OK);
	assert_same_lists(&before, &after);
	store_list_free(&after);
	store_list_free(&before);

	/* lagging read nothing while 7..10 were written and the journal was
	 * compacted twice: 9 is in neither journal it can read. */
	put(a, "k/5", "h", 0);               /* 9 */
	put(a, "k/6", "i", 0);               /* 10 */
	assert_int_equal(a->ops->compact(a, 10), STORE_OK);
	assert_int_equal(lagging->ops->poll(lagging, 100, on_event, &lost), STORE_E_COMPACTED);
	assert_int_equal(lagging->compact_rev, 10);
	assert_int_equal(lost.n, 0);
	assert_int_equal(lagging->ops->watch(lagging, "k/", 10), STORE_OK);
	poll_for(lagging, &lost, 1, 1000);
	assert_int_equal(lost.rev[0], 10);

	/* A new handle: same keys, leases still there, next revision 11. */
	struct store *late = open_store();
	assert_int_equal(a->ops->list(a, "", &before), STORE_OK);
	assert_int_equal(late->ops->list(late, "", &after), STORE_OK);
	assert_same_lists(&before, &after);
	store_list_free(&before);
	store_list_free(&after);
	assert_int_equal(late->ops->lease_keepalive(late, lease), STORE_OK);
	assert_int_equal(put(late, "k/7", "j", 0), 11);
	store_close(late);
	store_close(a);
	store_close(early);
	store_close(lagging);
}

static void test_torn_last_line(void **state)
{
	(void)state;
	struct store *s = open_store();
	struct store_list l;
	struct stat sb;
	char tail;

	put(s, "k/1", "a", 0);
	put(s, "k/2", "b", 0);
	/* A writer died in the middle of a record longer than the next one. */
	append_raw("P 3 3 0 a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5 dmFsdWV2YWx1");
	struct store *t = open_store();
	assert_int_equal(t->ops->list(t, "", &l), STORE_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.rev, 2);
	store_list_free(&l);
	assert_int_equal(put(t, "k/3", "c", 0), 3);   /* cuts it off first */

	int fd = open(journal_path(), O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &sb), 0);
	assert_int_equal(pread(fd, &tail, 1, sb.st_size - 1), 1);
	close(fd);
	assert_int_equal(tail, '\n');
	assert_int_equal(s->ops->list(s, "", &l), STORE_OK);   /* s read the torn bytes */
	assert_int_equal(l.n, 3);
	assert_string_equal(l.kv[2].val, "c");
	store_list_free(&l);
	store_close(t);
	store_close(s);
}

static void test_corrupt_line(void **state)
{
	(void)state;
	struct store *s = open_store();
	struct store_list l;
	char err[256] = "";

	put(s, "k/1", "a", 0);
	put(s, "k/2", "b", 0);
	append_raw("P 3 3 0 !!notbase64!! YQ==\n");
	append_raw("P 4 4 0 ay80 YQ==\n");
	assert_null(store_dir_open(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "journal:3: bad base64 in the key"));
	assert_int_equal(s->ops->list(s, "", &l), STORE_E_PROTO);
	assert_non_null(strstr(s->err, "journal:3"));
	assert_int_equal(s->ops->put(s, "k/5", "x", 1, 0, NULL), STORE_E_PROTO);

	/* A revision out of order is corruption too, and so is a short record. */
	assert_int_equal(truncate(journal_path(), 0), 0);
	append_raw("P 1 1 0 YQ== YQ==\nD 3 YQ==\n");
	assert_null(store_dir_open(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "journal:2: revision 3 after 1"));
	assert_int_equal(truncate(journal_path(), 0), 0);
	append_raw("G 1 5\n");
	assert_null(store_dir_open(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "journal:1:"));
	store_close(s);
}

/* Everything is in the journal: a new handle sees the same store. */
static void test_reopen(void **state)
{
	(void)state;
	struct store *s = open_store();
	struct store_list before, after;
	int64_t lease, rev;

	assert_int_equal(s->ops->lease_grant(s, 60, &lease), STORE_OK);
	put(s, "k/1", "a", lease);
	put(s, "k/2", "b", 0);
	assert_int_equal(s->ops->del(s, "k/1", NULL), STORE_OK);
	put(s, "k/3", "c", 0);
	assert_int_equal(s->ops->list(s, "", &before), STORE_OK);
	store_close(s);

	s = open_store();
	assert_int_equal(s->ops->list(s, "", &after), STORE_OK);
	assert_same_lists(&before, &after);
	assert_int_equal(s->ops->lease_keepalive(s, lease), STORE_OK);
	assert_int_equal(s->ops->put_if(s, "k/2", "B", 1, "k/2", before.kv[0].mod_rev, &rev),
			 STORE_OK);
	assert_int_equal(rev, before.rev + 1);
	int64_t again;
	assert_int_equal(s->ops->lease_grant(s, 60, &again), STORE_OK);
	assert_true(again > lease);          /* lease ids are never reused */
	store_list_free(&before);
	store_list_free(&after);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_revisions_across_handles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_processes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_sorted_prefix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_del, setup, teardown),
		cmocka_unit_test_setup_teardown(test_put_if, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_replays_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poll_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callback_stops_delivery, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lease_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lease_keepalive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lease_revoke, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_last_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
