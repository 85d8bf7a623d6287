/* SPDX-License-Identifier: MIT */
/*
 * The watch of an etcd store handle: one streaming POST /v3/watch on a
 * curl multi handle, so poll() can wait for changes with a timeout and
 * never blocks longer. The gateway writes one JSON message per watch
 * response ({"result":{...}} or {"error":{...}}), in chunks that need not
 * line up with the messages; json_tokener cuts the stream back into
 * whole messages, which wait in a queue until poll() hands their events
 * to the caller.
 *
 * The callback must not call watch(), poll() or close() on the handle
 * it is called for; the other calls are fine (they use their own curl
 * handle).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_etcd.h"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int push(struct etcd_watch *w, json_object *m)
{
	if (w->qlen == w->qcap) {
		size_t cap = w->qcap ? 2 * w->qcap : 16;
		json_object **q = realloc(w->q, cap * sizeof(*q));

		if (!q)
			return -1;
		w->q = q;
		w->qcap = cap;
	}
	w->q[w->qlen++] = m;
	return 0;
}

static void drop_queue(struct etcd_watch *w)
{
	for (size_t i = w->qhead; i < w->qlen; i++)
		json_object_put(w->q[i]);
	w->qhead = w->qlen = 0;
}

/* curl hands over the stream as it comes: cut it into messages. */
static size_t on_stream(char *p, size_t size, size_t n, void *arg)
{
	struct etcd_watch *w = arg;
	size_t len = size * n, off = 0;

	while (off < len) {
		json_object *m = json_tokener_parse_ex(w->tok, p + off,
						       (int)(len - off));
		size_t used = json_tokener_get_parse_end(w->tok);

		if (!m) {
			if (json_tokener_get_error(w->tok) == json_tokener_continue)
				break;  /* all of it taken: a message goes on */
			w->bad_json = 1;
			return 0;       /* curl ends the transfer */
		}
		json_tokener_reset(w->tok);
		if (push(w, m)) {
			json_object_put(m);
			w->bad_json = 1;
			return 0;
		}
		off += used ? used : len - off;
	}
	return len;
}

static void stream_stop(struct etcd_watch *w)
{
	if (w->running)
		curl_multi_remove_handle(w->multi, w->curl);
	w->running = w->created = w->done = w->bad_json = 0;
	drop_queue(w);
	json_tokener_reset(w->tok);
}

static int stream_start(struct etcd *e, size_t ep)
{
	struct etcd_watch *w = &e->w;
	char url[300];

	stream_stop(w);
	snprintf(url, sizeof(url), "%s/v3/watch", e->ep[ep]);
	curl_easy_reset(w->curl);
	if (!e->hdrs && etcd_set_token(e, e->token))
		return STORE_E_IO;
	if (etcd_setup(e, w->curl, url, w->body, 0))
		return STORE_E_IO;
	curl_easy_setopt(w->curl, CURLOPT_WRITEFUNCTION, on_stream);
	curl_easy_setopt(w->curl, CURLOPT_WRITEDATA, w);
	curl_easy_setopt(w->curl, CURLOPT_ERRORBUFFER, w->curl_err);
	/* A member that vanishes without a FIN (power, partition) is seen
	 * by TCP keepalive; a quiet watch has nothing else to time out. */
	curl_easy_setopt(w->curl, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(w->curl, CURLOPT_TCP_KEEPIDLE, 10L);
	curl_easy_setopt(w->curl, CURLOPT_TCP_KEEPINTVL, 5L);
	w->curl_err[0] = '\0';
	if (curl_multi_add_handle(w->multi, w->curl) != CURLM_OK)
		return etcd_fail(e, STORE_E_IO, "curl_multi_add_handle failed");
	w->running = 1;
	w->ep = ep;
	return STORE_OK;
}

/* Move the transfer along without waiting; note when it has ended. */
static void pump(struct etcd_watch *w)
{
	CURLMsg *m;
	int running, left;

	curl_multi_perform(w->multi, &running);
	while ((m = curl_multi_info_read(w->multi, &left)))
		if (m->msg == CURLMSG_DONE) {
			w->done = 1;
			w->done_rc = m->data.result;
		}
}

/* Why the stream ended, once every message before the end is handled. */
static int stream_end_err(struct etcd *e)
{
	struct etcd_watch *w = &e->w;
	const char *ep = e->ep[w->ep];
	long http = 0;

	curl_easy_getinfo(w->curl, CURLINFO_RESPONSE_CODE, &http);
	if (w->bad_json)
		return etcd_fail(e, STORE_E_PROTO, "%s/v3/watch: stream is not JSON",
				 ep);
	if (w->done_rc != CURLE_OK)
		return etcd_fail(e, STORE_E_IO, "%s/v3/watch: %s", ep,
				 w->curl_err[0] ? w->curl_err :
				 curl_easy_strerror(w->done_rc));
	return etcd_fail(e, STORE_E_IO, "%s/v3/watch: stream ended (HTTP %ld)",
			 ep, http);
}

/* A message after which the watch is gone: an error, a cancel. */
static int is_final(json_object *m)
{
	json_object *res;
	int64_t crev;

	if (etcd_errmsg(m) || !json_object_object_get_ex(m, "result", &res) || !res)
		return 1;
	return etcd_bool(res, "canceled") || etcd_i64(res, "compact_revision", &crev) ||
	       crev > 0;
}

/* One event to the callback: 1 when it asks to stop. */
static int deliver(struct etcd *e, json_object *ev, store_event_cb cb, void *arg)
{
	json_object *t, *kv;
	struct store_kv k;
	int type = STORE_PUT, rc;

	/* "PUT" is the enum's zero value: proto3 JSON may leave it out. */
	if (json_object_object_get_ex(ev, "type", &t) && t) {
		const char *ts = json_object_get_string(t);

		if (!strcmp(ts, "DELETE") || !strcmp(ts, "1"))
			type = STORE_DEL;
		else if (strcmp(ts, "PUT") && strcmp(ts, "0"))
			return etcd_fail(e, STORE_E_PROTO, "watch: event type %s", ts);
	}
	if (!json_object_object_get_ex(ev, "kv", &kv) || !kv)
		return etcd_fail(e, STORE_E_PROTO, "watch: event without a key");
	if ((rc = etcd_kv_decode(kv, &k)) == STORE_E_INVAL)
		return 0;   /* a key with a NUL byte: not one of ours, skipped */
	if (rc)
		return etcd_fail(e, STORE_E_PROTO, "watch: event with a bad key/value");
	rc = cb(arg, type, &k);
	store_kv_free(&k);
	return rc != 0;
}

static int final_err(struct etcd *e, json_object *m, json_object *res)
{
	const char *ep = e->ep[e->w.ep], *msg = etcd_errmsg(m);
	int64_t crev = 0;

	if (msg) {
		etcd_fail(e, STORE_E_IO, "%s/v3/watch: %s", ep, msg);
		return strstr(msg, "invalid auth token") ? ETCD_E_TOKEN : STORE_E_IO;
	}
	if (!res || etcd_i64(res, "compact_revision", &crev))
		return etcd_fail(e, STORE_E_PROTO, "%s/v3/watch: no result", ep);
	if (crev > 0) {
		e->s.compact_rev = crev;
		return etcd_fail(e, STORE_E_COMPACTED,
				 "%s/v3/watch: history before %lld is compacted",
				 ep, (long long)crev);
	}
	msg = etcd_str(res, "cancel_reason");
	etcd_fail(e, STORE_E_IO, "%s/v3/watch: canceled: %s", ep,
		  msg ? msg : "no reason given");
	/* A stale token is refused this way, not with an error reply. */
	return msg && strstr(msg, "invalid auth token") ? ETCD_E_TOKEN : STORE_E_IO;
}

/*
 * One message: the creation reply, events, or the end of the watch.
 * Returns an error, or 0 with *n counting what was delivered; *stop
 * once the callback asked to stop (the rest is then left undelivered).
 */
static int handle_msg(struct etcd *e, json_object *m, store_event_cb cb,
		      void *arg, int *n, int *stop)
{
	json_object *res = NULL, *evs;
	size_t nev;
	int rc;

	json_object_object_get_ex(m, "result", &res);
	if (is_final(m))
		return final_err(e, m, res);
	if (etcd_bool(res, "created"))
		e->w.created = 1;
	if (!json_object_object_get_ex(res, "events", &evs) || !evs)
		return 0;       /* created, or a progress notification */
	if (!json_object_is_type(evs, json_type_array) || !cb || !e->w.created)
		return etcd_fail(e, STORE_E_PROTO, "watch: events out of place");
	nev = json_object_array_length(evs);
	for (size_t i = 0; i < nev && !*stop; i++) {
		rc = deliver(e, json_object_array_get_idx(evs, i), cb, arg);
		if (rc < 0)
			return rc;
		(*n)++;
		*stop = rc;
	}
	return 0;
}

/*
 * The queued messages, in order: up to the creation reply when cb is
 * NULL, else every event to cb. A final message after events is left
 * queued, so the caller first learns how many were delivered.
 */
static int drain(struct etcd *e, store_event_cb cb, void *arg, int *stop)
{
	struct etcd_watch *w = &e->w;
	int n = 0, rc;

	while (!*stop && (cb || !w->created) && w->qhead < w->qlen) {
		json_object *m = w->q[w->qhead];

		if (n && is_final(m))
			break;
		w->qhead++;
		rc = handle_msg(e, m, cb, arg, &n, stop);
		json_object_put(m);
		if (rc < 0)
			return rc;
	}
	if (w->qhead == w->qlen)
		w->qhead = w->qlen = 0;
	return n;
}

/* After stream_start: wait (bounded) until etcd says the watch exists. */
static int wait_created(struct etcd *e)
{
	struct etcd_watch *w = &e->w;
	int64_t deadline = now_ms() + e->timeout_ms, left;
	int stop = 0, rc;

	for (;;) {
		pump(w);
		rc = drain(e, NULL, NULL, &stop);
		if (rc < 0)
			return rc;
		if (w->created)
			return STORE_OK;
		if (w->done)
			return stream_end_err(e);
		left = deadline - now_ms();
		if (left <= 0)
			return etcd_fail(e, STORE_E_IO, "%s/v3/watch: no reply in %u ms",
					 e->ep[w->ep], e->timeout_ms);
		curl_multi_poll(w->multi, NULL, 0, (int)left, NULL);
	}
}

/* Open the watch on one endpoint, authenticating as the calls do. */
static int open_on(struct etcd *e, size_t ep)
{
	int rc = STORE_E_IO, next;

	for (int tries = 0; tries < 2; tries++) {
		if (e->user && !e->token && !e->auth_off &&
		    (rc = etcd_auth(e, ep, &next)))
			return rc;
		rc = stream_start(e, ep);
		if (rc == STORE_OK)
			rc = wait_created(e);
		if (rc != STORE_OK)
			stream_stop(&e->w);
		if (rc != ETCD_E_TOKEN)
			return rc;
		etcd_set_token(e, NULL);
		e->auth_off = 0;
		if (!e->user)
			break;
	}
	return STORE_E_IO;
}

static char *create_body(const char *prefix, int64_t from_rev)
{
	json_object *req = json_object_new_object(), *cr = json_object_new_object();
	char *body = NULL;
	int bad = !req || !cr;

	if (!bad) {
		bad |= etcd_prefix_range(cr, prefix);
		if (from_rev > 0)
			bad |= etcd_add_i64(cr, "start_revision", from_rev);
		bad |= etcd_add_obj(req, "create_request", cr);
		cr = NULL;
	}
	if (!bad)
		body = strdup(json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN));
	json_object_put(cr);
	json_object_put(req);
	return body;
}

/*
 * (Re)start the watch: on the endpoint that answered last, else on the
 * next ones in turn. Only a compacted start revision is final: another
 * member has the same history.
 */
int etcd_watch(struct store *s, const char *prefix, int64_t from_rev)
{
	struct etcd *e = (struct etcd *)s;
	struct etcd_watch *w = &e->w;
	char all[STORE_ERRMSG_MAX] = "";
	int rc = STORE_E_IO;

	stream_stop(w);
	w->stopped = 0;
	e->s.err[0] = '\0';
	if (!prefix || from_rev < 0)
		return etcd_fail(e, STORE_E_INVAL, "watch: bad prefix or revision");
	free(w->body);
	if (!(w->body = create_body(prefix, from_rev)))
		return etcd_fail(e, STORE_E_IO, "out of memory");
	for (size_t i = 0; i < e->nep; i++) {
		size_t ep = (e->cur + i) % e->nep;

		rc = open_on(e, ep);
		if (rc == STORE_OK) {
			e->cur = ep;
			return STORE_OK;
		}
		if (rc == STORE_E_COMPACTED)
			return rc;
		etcd_note_err(all, sizeof(all), e->s.err);
	}
	if (e->nep > 1)
		snprintf(e->s.err, sizeof(e->s.err), "%s", all);
	return rc;
}

int etcd_poll(struct store *s, int timeout_ms, store_event_cb cb, void *arg)
{
	struct etcd *e = (struct etcd *)s;
	struct etcd_watch *w = &e->w;
	int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0), left;
	int stop = 0, n;

	e->s.err[0] = '\0';
	if (!cb)
		return etcd_fail(e, STORE_E_INVAL, "poll: no callback");
	if (!w->running)
		return etcd_fail(e, STORE_E_INVAL, w->stopped ?
				 "no watch: delivery was stopped, watch() again" :
				 "no watch");
	for (;;) {
		pump(w);
		n = drain(e, cb, arg, &stop);
		if (n < 0 || stop || (!n && w->done)) {
			if (!n && w->done)
				n = stream_end_err(e);
			stream_stop(w);
			w->stopped = stop;
			return n == ETCD_E_TOKEN ? STORE_E_IO : n;
		}
		if (n > 0)
			return n;
		left = deadline - now_ms();
		if (left <= 0)
			return 0;
		curl_multi_poll(w->multi, NULL, 0, (int)left, NULL);
	}
}

int etcd_watch_init(struct etcd *e)
{
	struct etcd_watch *w = &e->w;

	w->multi = curl_multi_init();
	w->curl = curl_easy_init();
	w->tok = json_tokener_new();
	return w->multi && w->curl && w->tok ? 0 : -1;
}

void etcd_watch_free(struct etcd *e)
{
	struct etcd_watch *w = &e->w;

	if (w->tok)
		stream_stop(w);
	if (w->curl)
		curl_easy_cleanup(w->curl);
	if (w->multi)
		curl_multi_cleanup(w->multi);
	if (w->tok)
		json_tokener_free(w->tok);
	free(w->q);
	free(w->body);
}
