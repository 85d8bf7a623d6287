/* SPDX-License-Identifier: MIT */
/*
 * The embedded booking store: the store.h contract on a directory, for
 * one machine that needs no server. Several processes may use the same
 * directory at once (the agent, `snicctl booking set`, other agents).
 *
 *   DIR/journal      the history, append-only (format: dir_journal.c)
 *   DIR/journal.tmp  a compaction being written
 *   DIR/lock         flock(): LOCK_EX to write, LOCK_SH to read
 *
 * Each handle replays the journal into memory (keys, leases, revision)
 * and afterwards reads only what was appended since. A writer takes the
 * lock, catches up (so the revision it gives out is the next one, and a
 * put_if compares against the latest state), cuts a torn last line off,
 * deletes the keys of expired leases, appends its records with one
 * write and fdatasync, reads them back like any other record, unlocks.
 *
 * Readers take the lock shared, and only when the journal grew: a line
 * is trusted once its '\n' is there, but a torn line left by a crashed
 * writer is cut off and written over by the next one, and a reader must
 * not glue the old bytes it read to the new ones.
 *
 * Compaction writes a new journal and renames it over the old one, under
 * the lock, so once the rename is seen the old inode gets no more lines:
 * a reader finishes it, then replays the new file from its start. Having
 * the old inode open, a reader loses no history across one compaction;
 * across two (the middle journal never read), the changes between its
 * last revision and the newer compaction point are gone, and its watch
 * fails with STORE_E_COMPACTED.
 *
 * Expired leases have their keys deleted by the next writer, or by any
 * handle that notices while reading (list, get, poll, which looks every
 * 100 ms): it takes the lock and appends the deletes, so every watcher
 * sees them in revision order. Lease expiry is on the realtime clock.
 *
 * Semantics chosen to match etcd: watch from revision 0 means "from the
 * next revision"; deleting a missing key writes nothing and reports the
 * current revision; compact(rev) at or before the last compaction
 * succeeds doing nothing, and fails with STORE_E_INVAL when rev is in
 * the future; once a callback has stopped delivery, poll wants a new
 * watch(); a DEL event's kv has the key and mod_rev (the delete's
 * revision), an empty value, no create_rev, no lease.
 *
 * A handle is not to be used across fork() (its flock would be shared
 * with the child): open one in each process. An event callback may use
 * its handle, restart the watch even, but not close it.
 *
 * The code: this file reads and writes the journal and holds the handle;
 * store_dir_kv.c has the keys and leases, store_dir_watch.c watch and
 * poll.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store_dir_impl.h"

static void dir_close(struct store *s);

int dstore_fail(struct dir_store *ds, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ds->base.err, sizeof(ds->base.err), fmt, ap);
	va_end(ap);
	return rc;
}

int dstore_fail_sys(struct dir_store *ds, const char *what, const char *path)
{
	return dstore_fail(ds, STORE_E_IO, "%s %s: %s", what, path, strerror(errno));
}

int dstore_oom(struct dir_store *ds)
{
	return dstore_fail(ds, STORE_E_IO, "%s: out of memory", ds->dir);
}

int64_t dstore_clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- reading the journal ---------------------------------------------- */

/* A journal compacted at rev replaces ours: did the watch lose history? */
static void crossed_compaction(struct dir_store *ds, int64_t rev)
{
	struct dir_watch *w = &ds->w;
	int64_t want = ds->seen + 1 > w->next ? ds->seen + 1 : w->next;

	if (w->on && !w->err && want < rev) {
		w->err = STORE_E_COMPACTED;
		w->err_rev = rev;
	}
	if (ds->seen < rev - 1)
		ds->seen = rev - 1;
}

/* dj_scan callback of catch_up: one record into the state and the watch. */
static int apply_line(void *arg, const struct dj_line *l)
{
	struct dir_store *ds = arg;
	struct dj_rec r;
	char why[160];
	int rc = 0;

	if (dj_parse(l->s, l->len, 1, &r, why, sizeof(why)) < 0)
		return dstore_fail(ds, STORE_E_PROTO, "%s:%ld: %s", ds->journal, l->no, why);
	if (r.type == DJ_COMPACT)
		crossed_compaction(ds, r.rev);
	if ((r.type == DJ_PUT || r.type == DJ_DEL) && r.rev == ds->st.rev + 1 &&
	    r.rev > ds->seen) {
		rc = dstore_offer(ds, &r);
		if (rc == 0)
			ds->seen = r.rev;
	}
	if (rc == 0 && dj_apply(&ds->st, &r, why, sizeof(why)) < 0)
		rc = dstore_fail(ds, STORE_E_PROTO, "%s:%ld: %s", ds->journal, l->no, why);
	dj_rec_free(&r);
	return rc;
}

static int take_lock(struct dir_store *ds, int op)
{
	while (flock(ds->lockfd, op) < 0)
		if (errno != EINTR)
			return dstore_fail_sys(ds, "cannot lock", ds->lockpath);
	return STORE_OK;
}

/* Applies the complete lines appended since the last call. */
static int read_new_lines(struct dir_store *ds)
{
	struct stat sb;
	int rc;

	if (fstat(ds->jfd, &sb) < 0)
		return dstore_fail_sys(ds, "cannot stat", ds->journal);
	if (sb.st_size <= ds->off)
		return STORE_OK;
	if (!ds->locked && (rc = take_lock(ds, LOCK_SH)) != STORE_OK)
		return rc;
	rc = dj_scan(ds->jfd, ds->off, -1, ds->lineno, apply_line, ds, &ds->off, &ds->lineno);
	if (rc == DJ_EREAD)
		rc = dstore_fail_sys(ds, "cannot read", ds->journal);
	if (!ds->locked)
		flock(ds->lockfd, LOCK_UN);
	return rc;
}

/* Opens whatever DIR/journal is now (creating it if asked), from line 1. */
static int open_journal(struct dir_store *ds, int create)
{
	struct stat sb;
	int fd = open(ds->journal, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0644);
	int rdonly = 0;

	if (fd < 0 && (errno == EACCES || errno == EROFS)) {
		fd = open(ds->journal, O_RDONLY | O_CLOEXEC);  /* a reader only */
		rdonly = 1;
	}
	if (fd < 0)
		return dstore_fail_sys(ds, "cannot open", ds->journal);
	if (fstat(fd, &sb) < 0) {
		close(fd);
		return dstore_fail_sys(ds, "cannot stat", ds->journal);
	}
	if (ds->jfd >= 0)
		close(ds->jfd);
	ds->jfd = fd;
	ds->rdonly = rdonly;
	ds->jdev = sb.st_dev;
	ds->jino = sb.st_ino;
	ds->off = 0;
	ds->lineno = 0;
	dj_state_free(&ds->st);
	return STORE_OK;
}

/* Brings the state to the end of the journal, following compactions. */
static int catch_up(struct dir_store *ds)
{
	for (;;) {
		struct stat sb;
		int rc = read_new_lines(ds);
		if (rc)
			return rc;
		if (stat(ds->journal, &sb) < 0)
			return dstore_fail_sys(ds, "cannot stat", ds->journal);
		if (sb.st_ino == ds->jino && sb.st_dev == ds->jdev)
			return STORE_OK;
		/* Renamed over: the old inode is complete, take its last lines. */
		rc = read_new_lines(ds);
		if (rc == STORE_OK)
			rc = open_journal(ds, 0);
		if (rc)
			return rc;
	}
}

/* ---- writing ---------------------------------------------------------- */

void dstore_unlock(struct dir_store *ds)
{
	ds->locked = 0;
	flock(ds->lockfd, LOCK_UN);
}

/* Appends whole records at the end of the journal, under the lock, then
 * reads them back: one code path applies every record. */
int dstore_append(struct dir_store *ds, const struct dj_buf *b)
{
	size_t done = 0;

	if (b->oom)
		return dstore_oom(ds);
	while (done < b->n) {
		ssize_t n = pwrite(ds->jfd, b->p + done, b->n - done, ds->off + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		/* A partial append leaves whole records (each a revision) and a
		 * torn line, which the next writer cuts off. */
		if (n < 0)
			return dstore_fail_sys(ds, "cannot append to", ds->journal);
		done += (size_t)n;
	}
	if (done && fdatasync(ds->jfd) < 0)
		return dstore_fail_sys(ds, "cannot sync", ds->journal);
	return catch_up(ds);
}

/* Appends to b the deletes of lease id's keys, then its end. */
void dstore_drop_lease(const struct dj_state *st, struct dj_buf *b, int64_t id,
		       int64_t *rev)
{
	for (size_t i = 0; i < st->nkv; i++)
		if (st->kv[i].lease == id)
			dj_del(b, ++*rev, st->kv[i].key);
	dj_revoke(b, id);
}

static int any_expired(const struct dj_state *st, int64_t now)
{
	for (size_t i = 0; i < st->nlease; i++)
		if (st->lease[i].expiry_ms <= now)
			return 1;
	return 0;
}

/* Under the lock: ends every expired lease, deleting its keys. */
static int reap(struct dir_store *ds)
{
	int64_t now = dstore_clock_ms(CLOCK_REALTIME), rev = ds->st.rev;
	struct dj_buf b = { 0 };
	int rc;

	for (size_t i = 0; i < ds->st.nlease; i++)
		if (ds->st.lease[i].expiry_ms <= now)
			dstore_drop_lease(&ds->st, &b, ds->st.lease[i].id, &rev);
	rc = dstore_append(ds, &b);
	dj_buf_free(&b);
	return rc;
}

/* Takes the writers' lock and brings the store up to date under it. */
int dstore_lock(struct dir_store *ds)
{
	struct stat sb;
	int rc;

	if (ds->rdonly)
		return dstore_fail(ds, STORE_E_IO, "%s: no write permission", ds->journal);
	rc = take_lock(ds, LOCK_EX);
	if (rc)
		return rc;
	ds->locked = 1;
	rc = catch_up(ds);
	/* What is left past the last whole line is a writer's torn record. */
	if (rc == STORE_OK && fstat(ds->jfd, &sb) < 0)
		rc = dstore_fail_sys(ds, "cannot stat", ds->journal);
	if (rc == STORE_OK && sb.st_size > ds->off && ftruncate(ds->jfd, ds->off) < 0)
		rc = dstore_fail_sys(ds, "cannot cut the torn end of", ds->journal);
	if (rc == STORE_OK)
		rc = reap(ds);
	if (rc)
		dstore_unlock(ds);
	return rc;
}

/* Catch up without the lock; take it only if a lease has expired (and
 * leave that to others when the journal is read-only to us). */
int dstore_refresh(struct dir_store *ds)
{
	int rc = catch_up(ds);

	if (rc == STORE_OK && !ds->rdonly &&
	    any_expired(&ds->st, dstore_clock_ms(CLOCK_REALTIME))) {
		rc = dstore_lock(ds);
		if (rc == STORE_OK)
			dstore_unlock(ds);
	}
	return rc;
}

/* ---- compaction ------------------------------------------------------- */

struct tail_find {
	int64_t rev;
	off_t   at;
};

/* dj_scan callback: where the first record at or after the revision is. */
static int find_tail(void *arg, const struct dj_line *l)
{
	struct tail_find *t = arg;
	struct dj_rec r;
	char why[160];

	if (dj_parse(l->s, l->len, 0, &r, why, sizeof(why)) == 0 &&
	    (r.type == DJ_PUT || r.type == DJ_DEL) && r.rev >= t->rev) {
		t->at = l->at;
		return DJ_STOP;
	}
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copies the journal's bytes [from, to) to fd. */
static int copy_range(int in, off_t from, off_t to, int fd)
{
	char buf[65536];

	while (from < to) {
		size_t want = sizeof(buf);
		if (to - from < (off_t)want)
			want = (size_t)(to - from);
		ssize_t n = pread(in, buf, want, from);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;   /* the journal shrank under the lock */
			return -1;
		}
		if (write_all(fd, buf, (size_t)n) < 0)
			return -1;
		from += n;
	}
	return 0;
}

static int sync_dir(struct dir_store *ds)
{
	int fd = open(ds->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = STORE_OK;

	if (fd < 0 || fsync(fd) < 0)
		rc = dstore_fail_sys(ds, "cannot sync", ds->dir);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Under the lock, rev checked: journal.tmp = snapshot + tail, renamed. */
static int rewrite_journal(struct dir_store *ds, int64_t rev)
{
	struct tail_find t = { rev, ds->off };
	struct dj_buf b = { 0 };
	off_t end;
	long endno;
	int fd, rc;

	if (dj_scan(ds->jfd, 0, ds->off, 0, find_tail, &t, &end, &endno) == DJ_EREAD)
		return dstore_fail_sys(ds, "cannot read", ds->journal);
	dj_snapshot(&b, &ds->st, rev);
	if (b.oom) {
		dj_buf_free(&b);
		return dstore_oom(ds);
	}
	fd = open(ds->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		dj_buf_free(&b);
		return dstore_fail_sys(ds, "cannot create", ds->tmp);
	}
	rc = write_all(fd, b.p, b.n) < 0 || copy_range(ds->jfd, t.at, ds->off, fd) < 0 ||
	     fsync(fd) < 0 ? dstore_fail_sys(ds, "cannot write", ds->tmp) : STORE_OK;
	dj_buf_free(&b);
	close(fd);
	if (rc == STORE_OK && rename(ds->tmp, ds->journal) < 0)
		rc = dstore_fail_sys(ds, "cannot rename over", ds->journal);
	if (rc) {
		unlink(ds->tmp);
		return rc;
	}
	rc = sync_dir(ds);
	return rc ? rc : catch_up(ds);
}

static int dir_compact(struct store *s, int64_t rev)
{
	struct dir_store *ds = (struct dir_store *)s;
	int rc;

	if (rev < 1)
		return dstore_fail(ds, STORE_E_INVAL, "compact to revision %" PRId64, rev);
	rc = dstore_lock(ds);
	if (rc)
		return rc;
	/* Compacted at or past rev already: that history is gone too. */
	if (rev > ds->st.rev)
		rc = dstore_fail(ds, STORE_E_INVAL, "%s: cannot compact at revision %" PRId64
				 ", the store is at %" PRId64, ds->dir, rev, ds->st.rev);
	else if (rev > ds->st.compact_rev)
		rc = rewrite_journal(ds, rev);
	dstore_unlock(ds);
	return rc;
}

/* ---- the handle ------------------------------------------------------- */

/* mkdir -p */
static int make_dir(struct dir_store *ds, const char *dir)
{
	char *p = strdup(dir);
	int rc = STORE_OK;

	if (!p)
		return dstore_oom(ds);
	for (char *c = p + 1; ; c++) {
		if (*c != '/' && *c != '\0')
			continue;
		char was = *c;
		*c = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			rc = dstore_fail_sys(ds, "cannot create", p);
			break;
		}
		*c = was;
		if (!was)
			break;
	}
	free(p);
	return rc;
}

static char *path_in(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* The directory, its journal (created with its directory entry synced:
 * its appends are synced one by one). */
static int open_files(struct dir_store *ds, const char *dir)
{
	int rc, fd;

	ds->dir = strdup(dir);
	ds->journal = path_in(dir, "journal");
	ds->tmp = path_in(dir, "journal.tmp");
	ds->lockpath = path_in(dir, "lock");
	if (!ds->dir || !ds->journal || !ds->tmp || !ds->lockpath)
		return dstore_oom(ds);
	rc = make_dir(ds, dir);
	if (rc)
		return rc;
	ds->lockfd = open(ds->lockpath, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
	if (ds->lockfd < 0)
		return dstore_fail_sys(ds, "cannot open", ds->lockpath);
	fd = open(ds->journal, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd >= 0) {
		close(fd);
		rc = sync_dir(ds);
	}
	return rc ? rc : open_journal(ds, 1);
}

static const struct store_ops dir_ops = {
	.name            = "dir",
	.close           = dir_close,
	.list            = dstore_list,
	.get             = dstore_get,
	.put             = dstore_put,
	.put_if          = dstore_put_if,
	.del             = dstore_del,
	.watch           = dstore_watch,
	.poll            = dstore_poll,
	.lease_grant     = dstore_lease_grant,
	.lease_keepalive = dstore_lease_keepalive,
	.lease_revoke    = dstore_lease_revoke,
	.compact         = dir_compact,
};

struct store *store_dir_open(const char *dir, char *err, size_t errlen)
{
	struct dir_store *ds = calloc(1, sizeof(*ds));
	int rc;

	if (!ds || !dir || !*dir) {
		if (errlen)
			snprintf(err, errlen, "%s", ds ? "no store directory" : "out of memory");
		free(ds);
		return NULL;
	}
	ds->base.ops = &dir_ops;
	ds->jfd = ds->lockfd = ds->ifd = -1;
	dj_state_init(&ds->st);
	rc = open_files(ds, dir);
	if (rc == STORE_OK)
		rc = catch_up(ds);
	if (rc) {
		if (errlen)
			snprintf(err, errlen, "%s", ds->base.err);
		dir_close(&ds->base);
		return NULL;
	}
	return &ds->base;
}

static void dir_close(struct store *s)
{
	struct dir_store *ds = (struct dir_store *)s;

	if (!ds)
		return;
	dstore_watch_clear(&ds->w);
	dj_state_free(&ds->st);
	if (ds->jfd >= 0)
		close(ds->jfd);
	if (ds->lockfd >= 0)
		close(ds->lockfd);
	if (ds->ifd >= 0)
		close(ds->ifd);
	free(ds->dir);
	free(ds->journal);
	free(ds->tmp);
	free(ds->lockpath);
	free(ds);
}
