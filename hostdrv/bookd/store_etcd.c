/* SPDX-License-Identifier: MIT */
/*
 * The booking store on etcd, spoken to through its v3 JSON gateway
 * (POST /v3/kv/range, ...) with libcurl: the handle and the key/value,
 * lease and compaction calls. One handle is one client with its own curl
 * handles, endpoints and auth token; nothing is shared between handles.
 * Requests, failover and auth are in etcd_http.c, the watch in
 * etcd_watch.c.
 *
 * The handle does not talk to etcd until the first call: an agent may
 * start before its store.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_etcd.h"

#define ETCD_PAGE        1000   /* keys per range request of list() */
#define ETCD_LIST_TRIES  3      /* list restarts when compacted under it */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static struct etcd *E(struct store *s)
{
	return (struct etcd *)s;
}

static int want_rev(struct etcd *e, json_object *r, int64_t *rev)
{
	int64_t v;

	if (etcd_header_rev(r, &v))
		return etcd_fail(e, STORE_E_PROTO, "reply without a header revision");
	if (rev)
		*rev = v;
	return STORE_OK;
}

static int bad_key(struct etcd *e, const char *key)
{
	if (!key || !*key)
		return etcd_fail(e, STORE_E_INVAL, "empty key");
	return 0;
}

/*
 * Requests are built with helpers that each return -1 when json-c runs
 * out of memory; a builder ors them and hands over the request or NULL.
 */
static json_object *built(json_object *req, int bad)
{
	if (bad) {
		json_object_put(req);
		return NULL;
	}
	return req;
}

static json_object *range_req(const char *key, size_t klen, const char *end,
			      size_t elen, int64_t rev)
{
	json_object *req = json_object_new_object();
	int bad = !req;

	if (req) {
		bad |= etcd_add_b64(req, "key", key, klen);
		if (end) {
			bad |= etcd_add_b64(req, "range_end", end, elen);
			bad |= etcd_add_i64(req, "limit", ETCD_PAGE);
			/* The member's own copy, no quorum round: a list is at one
			 * revision either way, and the watch continues from it. */
			bad |= etcd_add_obj(req, "serializable", json_object_new_boolean(1));
		}
		if (rev)
			bad |= etcd_add_i64(req, "revision", rev);
	}
	return built(req, bad);
}

/* Append the "kvs" of one range reply to l (cap: its room). */
static int take_kvs(struct etcd *e, json_object *r, struct store_list *l,
		    size_t *cap)
{
	json_object *kvs;
	int64_t count;
	size_t n;

	if (!json_object_object_get_ex(r, "kvs", &kvs) || !kvs)
		return STORE_OK;
	if (!json_object_is_type(kvs, json_type_array))
		return etcd_fail(e, STORE_E_PROTO, "range: kvs is not an array");
	n = json_object_array_length(kvs);
	/* The first page counts the whole range: one allocation for it. */
	if (!l->kv && !etcd_i64(r, "count", &count) && count > 0 &&
	    count < 10 * 1000 * 1000 && (size_t)count > n)
		n = (size_t)count;
	if (l->n + n > *cap) {
		size_t c = *cap ? *cap : 16;
		struct store_kv *kv;

		while (c < l->n + n)
			c *= 2;
		if (!(kv = realloc(l->kv, c * sizeof(*kv))))
			return etcd_fail(e, STORE_E_IO, "out of memory");
		l->kv = kv;
		*cap = c;
	}
	n = json_object_array_length(kvs);
	for (size_t i = 0; i < n; i++) {
		int rc = etcd_kv_decode(json_object_array_get_idx(kvs, i), &l->kv[l->n]);
		if (rc == STORE_OK)
			l->n++;
		else if (rc != STORE_E_INVAL)   /* a key with a NUL byte: skipped */
			return etcd_fail(e, STORE_E_PROTO, "range: bad key/value");
	}
	return STORE_OK;
}

/*
 * The prefix page by page, every page after the first at the first
 * one's revision so the list is one consistent snapshot; each page
 * starts just after the last key of the one before (key + "\0").
 */
static int list_once(struct etcd *e, const char *prefix, struct store_list *l)
{
	size_t klen = strlen(prefix), elen, cap = 0;
	char *key = malloc(klen + 2), *end = NULL;
	int more = 1, rc = STORE_OK;
	json_object *r;

	if (!key || etcd_range_end(prefix, &end, &elen)) {
		free(key);
		return etcd_fail(e, STORE_E_IO, "out of memory");
	}
	memcpy(key, prefix, klen + 1);
	if (!klen)
		klen = 1;               /* "\0": from the first key on */
	while (more && rc == STORE_OK) {
		size_t before = l->n;

		rc = etcd_call(e, "/v3/kv/range",
			       range_req(key, klen, end, elen, l->rev), &r);
		if (rc == STORE_OK && !l->rev)
			rc = want_rev(e, r, &l->rev);
		if (rc == STORE_OK)
			rc = take_kvs(e, r, l, &cap);
		more = rc == STORE_OK && etcd_bool(r, "more") && l->n > before;
		json_object_put(r);
		if (more) {
			const char *last = l->kv[l->n - 1].key;
			char *k;

			klen = strlen(last) + 1;        /* with its NUL */
			if (!(k = realloc(key, klen + 1))) {
				rc = etcd_fail(e, STORE_E_IO, "out of memory");
				break;
			}
			key = k;
			memcpy(key, last, klen);
		}
	}
	free(key);
	free(end);
	return rc;
}

static int etcd_list(struct store *s, const char *prefix, struct store_list *out)
{
	struct etcd *e = E(s);
	int rc = STORE_E_INVAL;

	memset(out, 0, sizeof(*out));
	if (!prefix)
		return etcd_fail(e, STORE_E_INVAL, "no prefix");
	/* A compaction past the first page's revision spoils the pages to
	 * come: start again at the new revision. */
	for (int i = 0; i < ETCD_LIST_TRIES; i++) {
		rc = list_once(e, prefix, out);
		if (rc == STORE_OK)
			return rc;
		store_list_free(out);
		out->rev = 0;
		if (rc != STORE_E_COMPACTED)
			break;
	}
	return rc == STORE_E_COMPACTED ? STORE_E_IO : rc;
}

static int etcd_get(struct store *s, const char *key, struct store_kv *out)
{
	struct etcd *e = E(s);
	json_object *r, *kvs;
	int rc;

	memset(out, 0, sizeof(*out));
	if (bad_key(e, key))
		return STORE_E_INVAL;
	rc = etcd_call(e, "/v3/kv/range", range_req(key, strlen(key), NULL, 0, 0),
		       &r);
	if (rc)
		return rc;
	if (!json_object_object_get_ex(r, "kvs", &kvs) || !kvs ||
	    !json_object_is_type(kvs, json_type_array) ||
	    json_object_array_length(kvs) == 0)
		rc = etcd_fail(e, STORE_E_NOTFOUND, "%s: no such key", key);
	else if (etcd_kv_decode(json_object_array_get_idx(kvs, 0), out))
		rc = etcd_fail(e, STORE_E_PROTO, "%s: bad key/value in the reply", key);
	json_object_put(r);
	return rc;
}

static json_object *put_req(const char *key, const char *val, size_t len,
			    int64_t lease)
{
	json_object *req = json_object_new_object();
	int bad = !req;

	if (req) {
		bad |= etcd_add_b64(req, "key", key, strlen(key));
		bad |= etcd_add_b64(req, "value", val ? val : "", val ? len : 0);
		if (lease)
			bad |= etcd_add_i64(req, "lease", lease);
	}
	return built(req, bad);
}

static int etcd_put(struct store *s, const char *key, const char *val,
		    size_t len, int64_t lease, int64_t *rev)
{
	struct etcd *e = E(s);
	json_object *r;
	int rc;

	if (bad_key(e, key))
		return STORE_E_INVAL;
	if (!val && len)
		return etcd_fail(e, STORE_E_INVAL, "%s: no value", key);
	rc = etcd_call(e, "/v3/kv/put", put_req(key, val, len, lease), &r);
	if (rc == STORE_OK)
		rc = want_rev(e, r, rev);
	json_object_put(r);
	return rc;
}

/*
 * A transaction: if cmp_key's mod_revision is cmp_mod_rev then put. A
 * missing key has create_revision 0, which is how "absent" is asked.
 */
static json_object *txn_req(const char *key, const char *val, size_t len,
			    const char *cmp_key, int64_t cmp_mod_rev)
{
	json_object *req = json_object_new_object(), *cmp = json_object_new_object();
	json_object *cmps = json_object_new_array(), *op = json_object_new_object();
	json_object *ops = json_object_new_array();
	int bad = !req || !cmp || !cmps || !op || !ops;

	if (!bad) {
		bad |= etcd_add_b64(cmp, "key", cmp_key, strlen(cmp_key));
		bad |= etcd_add_str(cmp, "result", "EQUAL");
		bad |= etcd_add_str(cmp, "target", cmp_mod_rev ? "MOD" : "CREATE");
		bad |= etcd_add_i64(cmp, cmp_mod_rev ? "mod_revision" :
				    "create_revision", cmp_mod_rev);
		bad |= etcd_add_obj(op, "request_put", put_req(key, val, len, 0));
	}
	/* Each object added belongs to its container; the rest is freed. */
	if (!bad && !(bad = json_object_array_add(cmps, cmp)))
		cmp = NULL;
	if (!bad && !(bad = json_object_array_add(ops, op)))
		op = NULL;
	if (!bad) {     /* etcd_add_obj owns what it is given, added or not */
		bad |= etcd_add_obj(req, "compare", cmps);
		bad |= etcd_add_obj(req, "success", ops);
		cmps = ops = NULL;
	}
	json_object_put(cmp);
	json_object_put(op);
	json_object_put(cmps);
	json_object_put(ops);
	return built(req, bad);
}

static int etcd_put_if(struct store *s, const char *key, const char *val,
		       size_t len, const char *cmp_key, int64_t cmp_mod_rev,
		       int64_t *rev)
{
	struct etcd *e = E(s);
	json_object *r;
	int rc;

	if (bad_key(e, key) || bad_key(e, cmp_key))
		return STORE_E_INVAL;
	if ((!val && len) || cmp_mod_rev < 0)
		return etcd_fail(e, STORE_E_INVAL, "%s: bad value or revision", key);
	rc = etcd_call(e, "/v3/kv/txn", txn_req(key, val, len, cmp_key, cmp_mod_rev),
		       &r);
	if (rc == STORE_OK && !etcd_bool(r, "succeeded"))
		rc = etcd_fail(e, STORE_E_FAILED, "%s: mod_rev of %s is not %lld",
			       key, cmp_key, (long long)cmp_mod_rev);
	if (rc == STORE_OK)
		rc = want_rev(e, r, rev);
	json_object_put(r);
	return rc;
}

static int etcd_del(struct store *s, const char *key, int64_t *rev)
{
	struct etcd *e = E(s);
	json_object *r;
	int rc;

	if (bad_key(e, key))
		return STORE_E_INVAL;
	rc = etcd_call(e, "/v3/kv/deleterange",
		       range_req(key, strlen(key), NULL, 0, 0), &r);
	if (rc == STORE_OK)
		rc = want_rev(e, r, rev);
	json_object_put(r);
	return rc;
}

/* A request of one int64 field: {"ID":..}, {"TTL":..}. */
static json_object *one_i64(const char *field, int64_t v)
{
	json_object *req = json_object_new_object();

	return built(req, !req || etcd_add_i64(req, field, v));
}

static int etcd_lease_grant(struct store *s, int64_t ttl_s, int64_t *id)
{
	struct etcd *e = E(s);
	json_object *r;
	int rc;

	*id = 0;
	if (ttl_s <= 0)
		return etcd_fail(e, STORE_E_INVAL, "lease TTL %lld", (long long)ttl_s);
	rc = etcd_call(e, "/v3/lease/grant", one_i64("TTL", ttl_s), &r);
	if (rc == STORE_OK && (etcd_i64(r, "ID", id) || *id <= 0))
		rc = etcd_fail(e, STORE_E_PROTO, "lease grant: no lease ID");
	json_object_put(r);
	return rc;
}

/*
 * Keepalive is a stream in gRPC; the gateway sends our one request and
 * answers {"result":{"ID":..,"TTL":..}}. etcd renews an unknown or
 * expired lease to TTL 0, which proto3 leaves out of the JSON.
 */
static int etcd_lease_keepalive(struct store *s, int64_t id)
{
	struct etcd *e = E(s);
	json_object *r, *res;
	int64_t ttl;
	int rc;

	rc = etcd_call(e, "/v3/lease/keepalive", one_i64("ID", id), &r);
	if (rc)
		return rc;
	if (!json_object_object_get_ex(r, "result", &res) || !res ||
	    etcd_i64(res, "TTL", &ttl))
		rc = etcd_fail(e, STORE_E_PROTO, "lease keepalive: no result");
	else if (ttl <= 0)
		rc = etcd_fail(e, STORE_E_LEASE, "lease %lld expired", (long long)id);
	json_object_put(r);
	return rc;
}

static int etcd_lease_revoke(struct store *s, int64_t id)
{
	struct etcd *e = E(s);
	json_object *r;
	int rc = etcd_call(e, "/v3/lease/revoke", one_i64("ID", id), &r);

	json_object_put(r);
	return rc;
}

/* Physical: return once the history is really gone from the backend. */
static int etcd_compact(struct store *s, int64_t rev)
{
	struct etcd *e = E(s);
	json_object *req, *r;
	int rc;

	if (rev <= 0)
		return etcd_fail(e, STORE_E_INVAL, "compact to revision %lld",
				 (long long)rev);
	req = one_i64("revision", rev);
	if (req)
		req = built(req, etcd_add_obj(req, "physical",
					      json_object_new_boolean(1)));
	rc = etcd_call(e, "/v3/kv/compaction", req, &r);
	json_object_put(r);
	/* Already compacted at or past rev: that history is gone too. */
	if (rc == STORE_E_COMPACTED) {
		e->s.err[0] = '\0';
		rc = STORE_OK;
	}
	return rc;
}

static void etcd_close(struct store *s)
{
	struct etcd *e = E(s);

	etcd_watch_free(e);
	if (e->curl)
		curl_easy_cleanup(e->curl);
	curl_slist_free_all(e->hdrs);
	for (size_t i = 0; i < e->nep; i++)
		free(e->ep[i]);
	free(e->ep);
	free(e->cacert);
	free(e->cert);
	free(e->key);
	free(e->user);
	free(e->password);
	free(e->token);
	free(e->resp.p);
	free(e);
}

static const struct store_ops etcd_ops = {
	.name            = "etcd",
	.close           = etcd_close,
	.list            = etcd_list,
	.get             = etcd_get,
	.put             = etcd_put,
	.put_if          = etcd_put_if,
	.del             = etcd_del,
	.watch           = etcd_watch,
	.poll            = etcd_poll,
	.lease_grant     = etcd_lease_grant,
	.lease_keepalive = etcd_lease_keepalive,
	.lease_revoke    = etcd_lease_revoke,
	.compact         = etcd_compact,
};

/* "http://a:2379, https://b:2379/" -> e->ep, without the trailing '/'. */
static int parse_endpoints(struct etcd *e, const char *list, char *err,
			   size_t errlen)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");
		const char *q = p;
		char **ep;

		while (n && (*q == ' ' || *q == '\t'))
			q++, n--;
		while (n && (q[n - 1] == ' ' || q[n - 1] == '\t' || q[n - 1] == '/'))
			n--;
		if (n) {
			if (strncmp(q, "http://", 7) && strncmp(q, "https://", 8)) {
				snprintf(err, errlen, "endpoint %.*s: not http:// or https://",
					 (int)n, q);
				return -1;
			}
			if (n > 256 || !(ep = realloc(e->ep, (e->nep + 1) * sizeof(*ep))) ||
			    !(ep[e->nep] = strndup(q, n))) {
				snprintf(err, errlen, "endpoint too long or out of memory");
				return -1;
			}
			e->ep = ep;
			e->nep++;
		}
		p += strcspn(p, ",");
		p += *p == ',';
	}
	if (!e->nep) {
		snprintf(err, errlen, "no etcd endpoints in \"%s\"", list);
		return -1;
	}
	return 0;
}

static int dup_opt(char **dst, const char *src)
{
	if (!src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -1;
}

struct store *store_etcd_open(const struct store_etcd_opts *o, char *err,
			      size_t errlen)
{
	struct etcd *e;

	if (!o || !o->endpoints) {
		snprintf(err, errlen, "no etcd endpoints");
		return NULL;
	}
	pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK) {
		snprintf(err, errlen, "curl_global_init: %s",
			 curl_easy_strerror(curl_init_rc));
		return NULL;
	}
	if (!(e = calloc(1, sizeof(*e)))) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->s.ops = &etcd_ops;
	e->timeout_ms = o->timeout_ms ? o->timeout_ms : 2000;
	if (parse_endpoints(e, o->endpoints, err, errlen))
		goto fail;
	if (dup_opt(&e->cacert, o->cacert) || dup_opt(&e->cert, o->cert) ||
	    dup_opt(&e->key, o->key) || dup_opt(&e->user, o->user) ||
	    dup_opt(&e->password, o->password) || etcd_http_init(e) ||
	    etcd_watch_init(e)) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return &e->s;
fail:
	etcd_close(&e->s);
	return NULL;
}
