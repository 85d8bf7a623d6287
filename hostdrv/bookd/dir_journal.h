/* SPDX-License-Identifier: MIT */
/*
 * The journal of the embedded booking store (store_dir.c): its record
 * format (described at the top of dir_journal.c), a reader of complete
 * lines, and the live state (keys, leases, revision) that replaying the
 * records builds.
 */
#ifndef SNIC_BOOKD_DIR_JOURNAL_H
#define SNIC_BOOKD_DIR_JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "store.h"

enum dj_type {
	DJ_PUT = 'P', DJ_DEL = 'D', DJ_GRANT = 'G', DJ_REVOKE = 'R', DJ_COMPACT = 'C',
};

/* One parsed record. key and val are malloc'd, and only when decoded. */
struct dj_rec {
	int      type;        /* enum dj_type */
	int64_t  rev;         /* P, D; C: the compaction revision */
	int64_t  create_rev;  /* P */
	int64_t  lease;       /* P: its lease or 0; G, R: the lease id */
	int64_t  ttl_s;       /* G */
	int64_t  expiry_ms;   /* G: realtime clock, ms since the epoch */
	int64_t  next_lease;  /* C */
	char    *key;         /* P, D */
	char    *val;         /* P: NUL-terminated; len excludes the NUL */
	size_t   len;
};

struct dj_lease {
	int64_t id, ttl_s, expiry_ms;
};

struct dj_state {
	struct store_kv *kv;          /* live keys, sorted by key (strcmp) */
	size_t           nkv, kvcap;
	struct dj_lease *lease;       /* live leases, in no order */
	size_t           nlease, leasecap;
	int64_t          rev;         /* last revision applied */
	int64_t          compact_rev; /* 0: never compacted */
	int64_t          next_lease;  /* next lease id to grant */
	long             nrec;        /* records applied */
	int              in_tail;     /* past the snapshot of a compacted journal */
};

/* Text of whole records, growing; oom is set when an append failed. */
struct dj_buf {
	char  *p;
	size_t n, cap;
	int    oom;
};

/* One complete line; its '\n' is replaced by a NUL. */
struct dj_line {
	char  *s;
	size_t len;
	off_t  at;   /* file offset of its first byte */
	long   no;   /* line number, from 1 */
};

typedef int (*dj_line_fn)(void *arg, const struct dj_line *l);

#define DJ_STOP   1     /* a dj_line_fn that wants no more lines */
#define DJ_EREAD  (-100) /* dj_scan: read or allocation failed, errno set */

/* Parses one line (without its '\n'). decode 0: numbers only, key/val
 * left NULL. Returns 0, or -1 with the reason in why. */
int dj_parse(const char *line, size_t len, int decode, struct dj_rec *r,
	     char *why, size_t whylen);
void dj_rec_free(struct dj_rec *r);

/* Calls fn for each complete line of fd between offsets from and to
 * (to < 0: end of file); lineno counts the lines before from. *end and
 * *endno: just after the last line fn accepted. Returns 0, DJ_EREAD, or
 * what fn returned when it was not 0. A last line without '\n' (being
 * written, or torn by a crash) is never passed. */
int dj_scan(int fd, off_t from, off_t to, long lineno, dj_line_fn fn, void *arg,
	    off_t *end, long *endno);

void dj_state_init(struct dj_state *st);
void dj_state_free(struct dj_state *st);
/* Applies r to st, taking r's key and val. Returns 0, or -1 with why
 * (records out of revision order, allocation). */
int dj_apply(struct dj_state *st, struct dj_rec *r, char *why, size_t whylen);
/* Index of the first key >= key. */
size_t dj_lower_bound(const struct dj_state *st, const char *key);
struct store_kv *dj_find(const struct dj_state *st, const char *key);
struct dj_lease *dj_lease_find(const struct dj_state *st, int64_t id);

/* Appending records. */
void dj_put(struct dj_buf *b, int64_t rev, int64_t create_rev, int64_t lease,
	    const char *key, const char *val, size_t len);
void dj_del(struct dj_buf *b, int64_t rev, const char *key);
void dj_grant(struct dj_buf *b, int64_t id, int64_t ttl_s, int64_t expiry_ms);
void dj_revoke(struct dj_buf *b, int64_t id);
/* The head of a journal compacted at rev: the header, the live keys not
 * changed since before rev, the live leases. The records from rev on,
 * copied from the old journal, complete it. */
void dj_snapshot(struct dj_buf *b, const struct dj_state *st, int64_t rev);
void dj_buf_free(struct dj_buf *b);

#endif
