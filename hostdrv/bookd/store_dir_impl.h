/* SPDX-License-Identifier: MIT */
/*
 * Inside the embedded booking store: the handle, shared by store_dir.c
 * (journal reading and writing under the lock, compaction, the handle's
 * life), store_dir_kv.c (keys and leases) and store_dir_watch.c (watch
 * and poll). How it works: the top of store_dir.c.
 */
#ifndef SNIC_BOOKD_STORE_DIR_IMPL_H
#define SNIC_BOOKD_STORE_DIR_IMPL_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "dir_journal.h"
#include "store.h"

struct dir_event {
	int             type;   /* STORE_PUT, STORE_DEL */
	struct store_kv kv;     /* kv.mod_rev: the event's revision */
};

struct dir_watch {
	int               on;
	int               stopped;  /* a callback stopped delivery: watch() again */
	int               err;      /* for the next poll: history lost */
	int64_t           err_rev;  /* ... to a compaction at this revision */
	unsigned          gen;      /* bumped by watch(): a callback may call it */
	char             *prefix;
	size_t            plen;
	int64_t           next;     /* first revision still wanted */
	struct dir_event *q;        /* every matching event from next on */
	size_t            head, n, cap;
};

struct dir_store {
	struct store     base;      /* first: what callers hold */
	char            *dir;
	char            *journal;   /* DIR/journal */
	char            *tmp;       /* DIR/journal.tmp */
	char            *lockpath;  /* DIR/lock */
	int              jfd;       /* the journal inode being read */
	int              rdonly;    /* ... opened read-only: no writes, no reaping */
	dev_t            jdev;
	ino_t            jino;
	off_t            off;       /* just after the last line applied */
	long             lineno;    /* lines applied from this inode */
	int              lockfd;    /* DIR/lock */
	int              locked;    /* LOCK_EX held (readers then take no LOCK_SH) */
	int              ifd;       /* inotify on DIR; -1 until the first watch */
	int64_t          seen;      /* last revision offered to the watch */
	struct dj_state  st;
	struct dir_watch w;
};

/* Errors: the message into ds->base.err; they return rc, or STORE_E_IO. */
int dstore_fail(struct dir_store *ds, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int dstore_fail_sys(struct dir_store *ds, const char *what, const char *path);
int dstore_oom(struct dir_store *ds);
int64_t dstore_clock_ms(clockid_t id);

/* Up to date without the lock (taking it only to end expired leases). */
int dstore_refresh(struct dir_store *ds);
/* The writers' lock; the store is up to date and has no expired lease
 * once it is held. */
int dstore_lock(struct dir_store *ds);
void dstore_unlock(struct dir_store *ds);
/* Under the lock: appends whole records and reads them back. */
int dstore_append(struct dir_store *ds, const struct dj_buf *b);
/* Appends to b the deletes of lease id's keys (revisions from *rev + 1),
 * then the lease's end. */
void dstore_drop_lease(const struct dj_state *st, struct dj_buf *b, int64_t id,
		       int64_t *rev);

/* The watch: queue a change (if it is wanted), forget it all. */
int dstore_offer(struct dir_store *ds, const struct dj_rec *r);
void dstore_watch_clear(struct dir_watch *w);

/* The operations (struct store_ops). */
int dstore_list(struct store *s, const char *prefix, struct store_list *out);
int dstore_get(struct store *s, const char *key, struct store_kv *out);
int dstore_put(struct store *s, const char *key, const char *val, size_t len,
	       int64_t lease, int64_t *rev);
int dstore_put_if(struct store *s, const char *key, const char *val, size_t len,
		  const char *cmp_key, int64_t cmp_mod_rev, int64_t *rev);
int dstore_del(struct store *s, const char *key, int64_t *rev);
int dstore_lease_grant(struct store *s, int64_t ttl_s, int64_t *id);
int dstore_lease_keepalive(struct store *s, int64_t id);
int dstore_lease_revoke(struct store *s, int64_t id);
int dstore_watch(struct store *s, const char *prefix, int64_t from_rev);
int dstore_poll(struct store *s, int timeout_ms, store_event_cb cb, void *arg);

#endif
