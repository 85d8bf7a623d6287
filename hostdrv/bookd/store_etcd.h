/* SPDX-License-Identifier: MIT */
/*
 * Insides of the etcd store, shared by its files and by nothing else:
 * store_etcd.c (the handle, the key/value and lease calls), etcd_http.c
 * (one request, with endpoint failover and auth), etcd_watch.c (the
 * watch stream) and etcd_json.c (base64 and the gateway's JSON).
 */
#ifndef SNIC_BOOKD_STORE_ETCD_H
#define SNIC_BOOKD_STORE_ETCD_H

#include <curl/curl.h>
#include <json-c/json.h>

#include "store.h"

struct etcd_buf {
	char   *p;
	size_t  len, cap;
};

/* The one watch stream of a handle, driven by a curl multi handle. */
struct etcd_watch {
	CURLM        *multi;
	CURL         *curl;        /* kept from one watch to the next */
	int           running;     /* curl is in multi: a stream is open */
	int           created;     /* etcd confirmed the watch */
	int           done;        /* the transfer ended (done_rc, http code) */
	CURLcode      done_rc;
	int           stopped;     /* the callback stopped delivery */
	int           bad_json;    /* the stream did not parse */
	size_t        ep;          /* endpoint of the stream */
	char         *body;        /* create request (curl does not copy it) */
	json_tokener *tok;
	json_object **q;           /* whole messages not yet handled */
	size_t        qhead, qlen, qcap;
	char          curl_err[CURL_ERROR_SIZE];
};

struct etcd {
	struct store        s;     /* first: callers hold &e->s */
	char              **ep;    /* "http://host:port", no trailing '/' */
	size_t              nep;
	size_t              cur;   /* endpoint that answered last */
	unsigned            timeout_ms;
	char               *cacert, *cert, *key, *user, *password;
	char               *token; /* auth token; NULL: none (yet) */
	int                 auth_off; /* etcd said auth is not enabled */
	struct curl_slist  *hdrs;  /* JSON, no Expect, Authorization */
	CURL               *curl;  /* unary requests */
	char                curl_err[CURL_ERROR_SIZE];
	struct etcd_buf     resp;
	struct etcd_watch   w;
};

#define ETCD_E_TOKEN (-100)  /* internal: the auth token went stale */

/* etcd_http.c */
int etcd_http_init(struct etcd *e);
int etcd_fail(struct etcd *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int etcd_setup(struct etcd *e, CURL *c, const char *url, const char *body,
	       unsigned total_ms);
int etcd_set_token(struct etcd *e, const char *token);
int etcd_auth(struct etcd *e, size_t ep, int *next);
int etcd_errcode(const char *msg);
int etcd_failover(long http, const char *msg);
void etcd_note_err(char *all, size_t size, const char *err);
int etcd_call(struct etcd *e, const char *path, json_object *req,
	      json_object **out);

/* etcd_watch.c */
int etcd_watch_init(struct etcd *e);
void etcd_watch_free(struct etcd *e);
int etcd_watch(struct store *s, const char *prefix, int64_t from_rev);
int etcd_poll(struct store *s, int timeout_ms, store_event_cb cb, void *arg);

/* etcd_json.c */
char *etcd_b64(const void *p, size_t len);
char *etcd_unb64(const char *s, size_t *len);
int etcd_add_b64(json_object *o, const char *field, const void *p, size_t len);
int etcd_add_i64(json_object *o, const char *field, int64_t v);
int etcd_add_str(json_object *o, const char *field, const char *v);
int etcd_add_obj(json_object *o, const char *field, json_object *v);
int etcd_i64(json_object *o, const char *field, int64_t *v);
int etcd_bool(json_object *o, const char *field);
const char *etcd_str(json_object *o, const char *field);
int etcd_range_end(const char *prefix, char **end, size_t *len);
int etcd_prefix_range(json_object *req, const char *prefix);
int etcd_kv_decode(json_object *kv, struct store_kv *out);
int etcd_header_rev(json_object *reply, int64_t *rev);
const char *etcd_errmsg(json_object *reply);

#endif
