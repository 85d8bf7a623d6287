/* SPDX-License-Identifier: MIT */
/*
 * Requests to etcd's JSON gateway: one POST, tried on the endpoint that
 * answered last first and then on the others in turn while the failure
 * is one another member might not have (connection refused or timed out,
 * HTTP 5xx, no leader, leader changed), each endpoint at most once per
 * call, so a cluster that loses a member keeps working. With a user set
 * the call carries an auth token, fetched on first use and again once
 * when etcd calls it stale (simple tokens are per member).
 *
 * A call that timed out may still have been applied; the caller sees
 * STORE_E_IO (or, for a put_if retried on another member, possibly
 * STORE_E_FAILED) and reads back.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_etcd.h"

int etcd_fail(struct etcd *e, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->s.err, sizeof(e->s.err), fmt, ap);
	va_end(ap);
	return err;
}

/* What an etcd error message means for the caller. */
int etcd_errcode(const char *msg)
{
	if (strstr(msg, "lease not found"))
		return STORE_E_LEASE;
	if (strstr(msg, "has been compacted"))
		return STORE_E_COMPACTED;
	if (strstr(msg, "future revision") || strstr(msg, "not provided") ||
	    strstr(msg, "too large") || strstr(msg, "too many operations"))
		return STORE_E_INVAL;
	return STORE_E_IO;
}

/* Is it this member that cannot serve, so another one might? */
int etcd_failover(long http, const char *msg)
{
	return http >= 500 || strstr(msg, "no leader") ||
	       strstr(msg, "leader changed") || strstr(msg, "timed out") ||
	       strstr(msg, "not capable") || strstr(msg, "stopped");
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct etcd_buf *b = arg;
	size_t len = size * n;

	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *np;

		while (cap < b->len + len + 1)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np)
			return 0;       /* curl fails the transfer */
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, len);
	b->len += len;
	b->p[b->len] = '\0';
	return len;
}

/*
 * The options every request shares. total_ms 0: no overall timeout (the
 * watch stream), only the connect one.
 */
int etcd_setup(struct etcd *e, CURL *c, const char *url, const char *body,
	       unsigned total_ms)
{
	int bad = 0;

	bad |= curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_POSTFIELDS, body) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_HTTPHEADER, e->hdrs) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
				(long)e->timeout_ms) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)total_ms) != CURLE_OK;
	/* A buffering proxy from the environment would hold back the watch
	 * stream; etcd is reached directly. */
	bad |= curl_easy_setopt(c, CURLOPT_PROXY, "") != CURLE_OK;
	if (e->cacert)
		bad |= curl_easy_setopt(c, CURLOPT_CAINFO, e->cacert) != CURLE_OK;
	if (e->cert)
		bad |= curl_easy_setopt(c, CURLOPT_SSLCERT, e->cert) != CURLE_OK;
	if (e->key)
		bad |= curl_easy_setopt(c, CURLOPT_SSLKEY, e->key) != CURLE_OK;
	return bad ? etcd_fail(e, STORE_E_IO, "curl refused an option") : 0;
}

static struct curl_slist *add_hdr(struct curl_slist *h, const char *v, int *bad)
{
	struct curl_slist *n = *bad ? NULL : curl_slist_append(h, v);

	if (!n)
		*bad = 1;
	return n ? n : h;
}

/* Remember the auth token (NULL: none) and the headers that carry it. */
int etcd_set_token(struct etcd *e, const char *token)
{
	char *copy = NULL, *auth = NULL;
	struct curl_slist *h = NULL;
	int bad = 0;

	if (token && (!(copy = strdup(token)) ||
		      asprintf(&auth, "Authorization: %s", token) < 0)) {
		auth = NULL;
		bad = 1;
	}
	h = add_hdr(h, "Content-Type: application/json", &bad);
	h = add_hdr(h, "Expect:", &bad); /* no 100-continue round trip */
	/* gRPC metadata "hasleader": a member that lost its leader fails
	 * the call (and cancels a watch) at once with "no leader" instead
	 * of hanging, so the call moves on to another member. */
	h = add_hdr(h, "Grpc-Metadata-hasleader: true", &bad);
	if (auth)
		h = add_hdr(h, auth, &bad);
	free(auth);
	free(e->token);
	curl_slist_free_all(e->hdrs);
	e->token = bad ? NULL : copy;
	e->hdrs = bad ? NULL : h;
	if (bad) {
		free(copy);
		curl_slist_free_all(h);
		return etcd_fail(e, STORE_E_IO, "out of memory");
	}
	return 0;
}

/*
 * What a reply that is not a success says. The gateway answers a failed
 * call with an HTTP error status; a streaming call (lease keepalive)
 * fails inside a 200 reply as {"error":{"http_code":503,...}}.
 */
static int reply_error(struct etcd *e, const char *where, long http,
		       json_object *r, int *next)
{
	const char *msg = r ? etcd_errmsg(r) : NULL;
	json_object *err;
	int64_t code = 0;

	if (!msg) {
		*next = http != 200; /* not an etcd there, maybe elsewhere */
		return etcd_fail(e, http == 200 ? STORE_E_PROTO : STORE_E_IO,
				 "%s: HTTP %ld: %s", where, http,
				 r ? "no etcd error in the reply" : "reply is not JSON");
	}
	if (http == 200 && json_object_object_get_ex(r, "error", &err) &&
	    json_object_is_type(err, json_type_object))
		etcd_i64(err, "http_code", &code);
	*next = etcd_failover(http == 200 ? (long)code : http, msg);
	etcd_fail(e, etcd_errcode(msg), "%s: %s", where, msg);
	if (strstr(msg, "invalid auth token") || strstr(msg, "user name is empty"))
		return ETCD_E_TOKEN;
	return etcd_errcode(msg);
}

/*
 * POST one request to one endpoint. STORE_OK with the reply in *out, or
 * an error with s->err naming the endpoint; *next: another endpoint
 * might do better.
 */
static int post_one(struct etcd *e, size_t ep, const char *path,
		    const char *body, json_object **out, int *next)
{
	char where[300];
	long http = 0;
	json_object *r = NULL;
	CURLcode rc;
	int err;

	*out = NULL;
	*next = 1;
	snprintf(where, sizeof(where), "%s%s", e->ep[ep], path);
	if (!e->hdrs && etcd_set_token(e, e->token))
		return STORE_E_IO;
	if (etcd_setup(e, e->curl, where, body, e->timeout_ms))
		return STORE_E_IO;
	e->resp.len = 0;
	e->curl_err[0] = '\0';
	rc = curl_easy_perform(e->curl);
	if (rc != CURLE_OK)
		return etcd_fail(e, STORE_E_IO, "%s: %s", where,
				 e->curl_err[0] ? e->curl_err : curl_easy_strerror(rc));
	curl_easy_getinfo(e->curl, CURLINFO_RESPONSE_CODE, &http);
	if (e->resp.len)
		r = json_tokener_parse(e->resp.p);
	if (r && !json_object_is_type(r, json_type_object)) {
		json_object_put(r);
		r = NULL;
	}
	if (http == 200 && r && !etcd_errmsg(r)) {
		*out = r;
		return STORE_OK;
	}
	err = reply_error(e, where, http, r, next);
	json_object_put(r);
	return err;
}

/*
 * Get a token with the handle's user and password. An etcd without auth
 * enabled says so; then the handle goes on without a token.
 */
int etcd_auth(struct etcd *e, size_t ep, int *next)
{
	json_object *req = json_object_new_object(), *r = NULL;
	const char *body, *tok;
	int rc;

	if (!req || etcd_add_str(req, "name", e->user) ||
	    etcd_add_str(req, "password", e->password ? e->password : "") ||
	    !(body = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN))) {
		json_object_put(req);
		*next = 0;
		return etcd_fail(e, STORE_E_IO, "out of memory");
	}
	etcd_set_token(e, NULL);
	rc = post_one(e, ep, "/v3/auth/authenticate", body, &r, next);
	json_object_put(req);
	if (rc == STORE_OK) {
		/* It becomes a header line: no line breaks in it. */
		tok = etcd_str(r, "token");
		rc = tok && *tok && !tok[strcspn(tok, "\r\n")] ? etcd_set_token(e, tok) :
		     etcd_fail(e, STORE_E_PROTO, "%s: no usable token in the reply",
			       e->ep[ep]);
		json_object_put(r);
	} else if (strstr(e->s.err, "authentication is not enabled")) {
		e->auth_off = 1;
		rc = STORE_OK;
	}
	return rc == ETCD_E_TOKEN ? STORE_E_IO : rc;
}

/* One endpoint, authenticating first and once more if the token died. */
static int post_auth(struct etcd *e, size_t ep, const char *path,
		     const char *body, json_object **out, int *next)
{
	int rc;

	for (int tries = 0; tries < 2; tries++) {
		if (e->user && !e->token && !e->auth_off &&
		    (rc = etcd_auth(e, ep, next)))
			return rc;
		rc = post_one(e, ep, path, body, out, next);
		if (rc != ETCD_E_TOKEN)
			return rc;
		etcd_set_token(e, NULL);     /* tokens are per member: get another */
		e->auth_off = 0;
		if (!e->user)
			break;
	}
	*next = 0;
	return STORE_E_IO;
}

/* Append one endpoint's failure to the list of them, as room allows. */
void etcd_note_err(char *all, size_t size, const char *err)
{
	size_t n = strlen(all), m = strlen(err);

	if (n && n + 2 < size) {
		memcpy(all + n, "; ", 2);
		n += 2;
	}
	if (m > size - 1 - n)
		m = size - 1 - n;
	memcpy(all + n, err, m);
	all[n + m] = '\0';
}

/*
 * POST to the endpoint that answered last, then to the others in turn
 * while the failure is one another member might not have.
 */
static int etcd_post(struct etcd *e, const char *path, json_object *req,
		     json_object **out)
{
	const char *body = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	char all[STORE_ERRMSG_MAX] = "";
	int rc = STORE_E_IO, next = 0, tried = 0;

	*out = NULL;
	if (!body)
		return etcd_fail(e, STORE_E_IO, "out of memory");
	for (size_t i = 0; i < e->nep; i++) {
		size_t ep = (e->cur + i) % e->nep;

		rc = post_auth(e, ep, path, body, out, &next);
		if (rc == STORE_OK) {
			e->cur = ep;
			return STORE_OK;
		}
		etcd_note_err(all, sizeof(all), e->s.err);
		tried++;
		if (!next)
			break;
	}
	if (tried > 1)
		snprintf(e->s.err, sizeof(e->s.err), "%s", all);
	return rc;
}

/* POST a request built by the caller (NULL: it ran out of memory). */
int etcd_call(struct etcd *e, const char *path, json_object *req,
	      json_object **out)
{
	int rc;

	*out = NULL;
	e->s.err[0] = '\0';
	if (!req)
		rc = etcd_fail(e, STORE_E_IO, "out of memory");
	else
		rc = etcd_post(e, path, req, out);
	json_object_put(req);
	return rc;
}

/* The easy handle of the unary calls, its reply going to e->resp. */
int etcd_http_init(struct etcd *e)
{
	if (etcd_set_token(e, NULL) || !(e->curl = curl_easy_init()))
		return -1;
	curl_easy_setopt(e->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e->curl, CURLOPT_WRITEDATA, &e->resp);
	curl_easy_setopt(e->curl, CURLOPT_ERRORBUFFER, e->curl_err);
	return 0;
}
