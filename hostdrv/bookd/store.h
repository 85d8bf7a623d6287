/* SPDX-License-Identifier: MIT */
/*
 * The booking store as the agent sees it: a revisioned key/value store
 * with prefix lists, a watch that replays every change after a revision
 * in order, leases, and compaction. Two implementations with the same
 * semantics: etcd through its v3 JSON gateway (store_etcd.c) and an
 * embedded journal in a local directory watched with inotify
 * (store_dir.c), so one machine needs nothing else.
 *
 * Revisions are store-wide and strictly increasing: every put or delete
 * gets the next one. A key's create_rev is the revision of the put that
 * created it (again after a delete), mod_rev the one of its last put.
 */
#ifndef SNIC_BOOKD_STORE_H
#define SNIC_BOOKD_STORE_H

#include <stddef.h>
#include <stdint.h>

enum store_err {
	STORE_OK          = 0,
	STORE_E_IO        = -1, /* unreachable, timed out, no leader: retry later */
	STORE_E_COMPACTED = -2, /* watch start revision is compacted away */
	STORE_E_NOTFOUND  = -3, /* no such key */
	STORE_E_LEASE     = -4, /* lease expired or unknown */
	STORE_E_PROTO     = -5, /* reply the client cannot understand */
	STORE_E_INVAL     = -6, /* bad argument (empty key, ...) */
	STORE_E_FAILED    = -7, /* a compare of put_if did not hold */
};

enum store_ev { STORE_PUT = 1, STORE_DEL = 2 };

struct store_kv {
	char    *key;       /* NUL-terminated */
	char    *val;       /* NUL-terminated copy; len excludes the NUL */
	size_t   len;
	int64_t  create_rev;
	int64_t  mod_rev;   /* for a STORE_DEL event: the delete's revision */
	int64_t  lease;     /* 0: none */
};

struct store_list {
	struct store_kv *kv;  /* sorted by key */
	size_t n;
	int64_t rev;          /* the store's revision the list was read at */
};

/*
 * One change, delivered by poll in revision order. Returning non-zero
 * from the callback stops delivery; the events not yet delivered come
 * again after the next watch() from the last delivered revision + 1.
 */
typedef int (*store_event_cb)(void *arg, int type, const struct store_kv *kv);

struct store;

struct store_ops {
	const char *name;   /* "etcd", "dir" */
	void (*close)(struct store *s);
	/* Every key under prefix, at one revision. */
	int (*list)(struct store *s, const char *prefix, struct store_list *out);
	int (*get)(struct store *s, const char *key, struct store_kv *out);
	/* lease 0: none. *rev (may be NULL): the put's revision. */
	int (*put)(struct store *s, const char *key, const char *val, size_t len,
		   int64_t lease, int64_t *rev);
	/* Put only if `cmp_key`'s mod_rev is `cmp_mod_rev` (0: key absent);
	 * STORE_E_FAILED when it is not (nothing written). */
	int (*put_if)(struct store *s, const char *key, const char *val, size_t len,
		      const char *cmp_key, int64_t cmp_mod_rev, int64_t *rev);
	/* Deleting a missing key is not an error. */
	int (*del)(struct store *s, const char *key, int64_t *rev);
	/* (Re)start the one watch of this handle: changes under prefix from
	 * from_rev on. STORE_E_COMPACTED (s->compact_rev set) when from_rev
	 * is below the store's compaction point: list again. */
	int (*watch)(struct store *s, const char *prefix, int64_t from_rev);
	/* Wait up to timeout_ms for changes; deliver them. Returns the number
	 * delivered (0 on timeout) or an error (the watch is then gone;
	 * STORE_E_COMPACTED as for watch). */
	int (*poll)(struct store *s, int timeout_ms, store_event_cb cb, void *arg);
	int (*lease_grant)(struct store *s, int64_t ttl_s, int64_t *id);
	/* STORE_E_LEASE if it already expired. */
	int (*lease_keepalive)(struct store *s, int64_t id);
	int (*lease_revoke)(struct store *s, int64_t id);
	/* Forget history before rev (watches from before it fail). */
	int (*compact)(struct store *s, int64_t rev);
};

#define STORE_ERRMSG_MAX 256

struct store {
	const struct store_ops *ops;
	int64_t compact_rev;            /* set with STORE_E_COMPACTED */
	char err[STORE_ERRMSG_MAX];     /* why the last call failed */
};

/* etcd: endpoints "http://127.0.0.1:2379,http://..." (tried in turn,
 * the next one when one fails); TLS and auth are optional. */
struct store_etcd_opts {
	const char *endpoints;
	const char *cacert;     /* PEM CA bundle for https endpoints */
	const char *cert, *key; /* client certificate (mutual TLS) */
	const char *user, *password;  /* etcd auth: POST /v3/auth/authenticate */
	unsigned timeout_ms;    /* per request; 0: 2000 */
};
struct store *store_etcd_open(const struct store_etcd_opts *o, char *err, size_t errlen);

/* Embedded store: a journal in directory `dir` (created if missing). */
struct store *store_dir_open(const char *dir, char *err, size_t errlen);

void store_list_free(struct store_list *l);
void store_kv_free(struct store_kv *kv);
const char *store_strerror(int err);

/* Convenience wrappers: s->ops->f(s, ...). */
static inline void store_close(struct store *s) { if (s) s->ops->close(s); }

#endif
