/* SPDX-License-Identifier: MIT */
/* The embedded booking store: watch and poll (see store_dir.c). */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "store_dir_impl.h"

#define LEASE_CHECK_MS  100    /* expired leases noticed this fast */
#define POLL_MAX_MS     1000   /* inotify misses other machines' writes */

/* ---- the watch's queue ------------------------------------------------ */

void dstore_watch_clear(struct dir_watch *w)
{
	for (size_t i = w->head; i < w->n; i++)
		store_kv_free(&w->q[i].kv);
	free(w->q);
	free(w->prefix);
	unsigned gen = w->gen;
	memset(w, 0, sizeof(*w));
	w->gen = gen;
}

/* Queues a change of the journal if the watch wants it. */
int dstore_offer(struct dir_store *ds, const struct dj_rec *r)
{
	struct dir_watch *w = &ds->w;
	struct dir_event *ev;

	if (!w->on || w->err || r->rev < w->next || strncmp(r->key, w->prefix, w->plen))
		return 0;
	if (w->n == w->cap && w->head) {
		memmove(w->q, w->q + w->head, (w->n - w->head) * sizeof(*w->q));
		w->n -= w->head;
		w->head = 0;
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		void *q = realloc(w->q, cap * sizeof(*w->q));
		if (!q)
			return dstore_oom(ds);
		w->q = q;
		w->cap = cap;
	}
	ev = &w->q[w->n];
	memset(ev, 0, sizeof(*ev));
	ev->type = r->type == DJ_PUT ? STORE_PUT : STORE_DEL;
	ev->kv.mod_rev = r->rev;
	if (r->type == DJ_PUT) {
		ev->kv.create_rev = r->create_rev;
		ev->kv.lease = r->lease;
		ev->kv.len = r->len;
	}
	ev->kv.key = strdup(r->key);
	ev->kv.val = malloc(ev->kv.len + 1);
	if (!ev->kv.key || !ev->kv.val) {
		store_kv_free(&ev->kv);
		return dstore_oom(ds);
	}
	memcpy(ev->kv.val, r->type == DJ_PUT ? r->val : "", ev->kv.len + 1);
	w->n++;
	return 0;
}

/* ---- watch ------------------------------------------------------------ */

/* dj_scan callback of a watch from the past: the journal's own events. */
static int replay_line(void *arg, const struct dj_line *l)
{
	struct dir_store *ds = arg;
	struct dj_rec r;
	char why[160];
	int rc;

	if (dj_parse(l->s, l->len, 0, &r, why, sizeof(why)) < 0)
		return dstore_fail(ds, STORE_E_PROTO, "%s:%ld: %s", ds->journal, l->no, why);
	/* Snapshot records of a compacted journal are below the start. */
	if ((r.type != DJ_PUT && r.type != DJ_DEL) || r.rev < ds->w.next)
		return 0;
	if (dj_parse(l->s, l->len, 1, &r, why, sizeof(why)) < 0)
		return dstore_fail(ds, STORE_E_PROTO, "%s:%ld: %s", ds->journal, l->no, why);
	rc = dstore_offer(ds, &r);
	dj_rec_free(&r);
	return rc;
}

static int open_inotify(struct dir_store *ds)
{
	if (ds->ifd >= 0)
		return STORE_OK;
	ds->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (ds->ifd < 0)
		return dstore_fail(ds, STORE_E_IO, "inotify: %s", strerror(errno));
	/* Appends are IN_MODIFY, a compacted journal arrives by IN_MOVED_TO. */
	if (inotify_add_watch(ds->ifd, ds->dir, IN_MODIFY | IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
		dstore_fail_sys(ds, "cannot watch", ds->dir);
		close(ds->ifd);
		ds->ifd = -1;
		return STORE_E_IO;
	}
	return STORE_OK;
}

/* The undelivered events of the same watch are in memory already. */
static int rewatch(struct dir_watch *w, const char *prefix, int64_t from_rev)
{
	if (!w->on || w->err || strcmp(w->prefix, prefix) || from_rev < w->next)
		return 0;
	while (w->head < w->n && w->q[w->head].kv.mod_rev < from_rev)
		store_kv_free(&w->q[w->head++].kv);
	w->next = from_rev;
	w->stopped = 0;
	return 1;
}

int dstore_watch(struct store *s, const char *prefix, int64_t from_rev)
{
	struct dir_store *ds = (struct dir_store *)s;
	struct dir_watch *w = &ds->w;
	off_t end;
	long endno;
	int rc;

	prefix = prefix ? prefix : "";
	if (from_rev < 0)
		return dstore_fail(ds, STORE_E_INVAL, "watch from revision %" PRId64, from_rev);
	rc = open_inotify(ds);
	if (rc == STORE_OK)
		rc = dstore_refresh(ds);
	if (rc)
		return rc;
	w->gen++;
	if (from_rev == 0)
		from_rev = ds->st.rev + 1;
	if (rewatch(w, prefix, from_rev))
		return STORE_OK;
	dstore_watch_clear(w);
	if (from_rev < ds->st.compact_rev) {
		s->compact_rev = ds->st.compact_rev;
		return dstore_fail(ds, STORE_E_COMPACTED, "%s: watch from revision %" PRId64
				   ": history before %" PRId64 " is compacted", ds->dir,
				   from_rev, ds->st.compact_rev);
	}
	w->prefix = strdup(prefix);
	if (!w->prefix)
		return dstore_oom(ds);
	w->plen = strlen(prefix);
	w->next = from_rev;
	w->on = 1;
	if (from_rev > ds->st.rev)
		return STORE_OK;
	/* From the past: the journal holds every change from compact_rev on. */
	rc = dj_scan(ds->jfd, 0, ds->off, 0, replay_line, ds, &end, &endno);
	if (rc == DJ_EREAD)
		rc = dstore_fail_sys(ds, "cannot read", ds->journal);
	if (rc)
		dstore_watch_clear(w);
	return rc;
}

/* Hands the queued events to cb, in order, until it asks to stop. */
static int deliver(struct dir_store *ds, store_event_cb cb, void *arg)
{
	struct dir_watch *w = &ds->w;
	unsigned gen = w->gen;
	int count = 0;

	/* cb may use this handle, even restart the watch: nothing of the
	 * queue is held across the call. */
	while (w->on && w->gen == gen && w->head < w->n) {
		struct dir_event ev = w->q[w->head++];
		int stop;
		w->next = ev.kv.mod_rev + 1;
		stop = cb(arg, ev.type, &ev.kv);
		store_kv_free(&ev.kv);
		count++;
		if (stop && w->gen == gen) {
			w->stopped = 1;
			break;
		}
	}
	return count;
}

/* Sleeps until the directory changes or wait_ms passes. */
static int wait_change(struct dir_store *ds, int wait_ms)
{
	struct pollfd pfd = { ds->ifd, POLLIN, 0 };
	char buf[4096];

	if (poll(&pfd, 1, wait_ms) < 0 && errno != EINTR)
		return dstore_fail(ds, STORE_E_IO, "poll: %s", strerror(errno));
	while (read(ds->ifd, buf, sizeof(buf)) > 0)
		;       /* what changed does not matter: catch_up finds out */
	return STORE_OK;
}

/* timeout_ms < 0: until something comes. */
int dstore_poll(struct store *s, int timeout_ms, store_event_cb cb, void *arg)
{
	struct dir_store *ds = (struct dir_store *)s;
	struct dir_watch *w = &ds->w;
	int64_t deadline = dstore_clock_ms(CLOCK_MONOTONIC) + (timeout_ms > 0 ? timeout_ms : 0);

	if (!w->on || w->stopped)
		return dstore_fail(ds, STORE_E_INVAL, w->on ? "no watch: delivery was "
				   "stopped, watch() again" : "poll without a watch");
	for (;;) {
		int rc = dstore_refresh(ds), wait = POLL_MAX_MS;
		if (rc == STORE_OK && w->err) {
			rc = w->err;
			s->compact_rev = w->err_rev;
			dstore_fail(ds, rc, "%s: compacted at revision %" PRId64 " before this "
				    "handle read up to it: history lost", ds->dir, w->err_rev);
		}
		if (rc) {
			dstore_watch_clear(w);
			return rc;
		}
		if (w->head < w->n)
			return deliver(ds, cb, arg);
		if (timeout_ms >= 0) {
			int64_t left = deadline - dstore_clock_ms(CLOCK_MONOTONIC);
			if (left <= 0)
				return 0;
			if (left < wait)
				wait = (int)left;
		}
		if (ds->st.nlease && wait > LEASE_CHECK_MS)
			wait = LEASE_CHECK_MS;
		rc = wait_change(ds, wait);
		if (rc) {
			dstore_watch_clear(w);
			return rc;
		}
	}
}

