// SPDX-License-Identifier: MIT
/*
 * Fuzz target: what the booking agent reads from etcd's JSON gateway
 * (hostdrv/bookd/etcd_json.c, etcd_watch.c): unary replies (header
 * revision, key/values, errors) and the watch stream, which arrives in
 * chunks that need not line up with its messages.
 *
 * The stream cutter and the message handler are file-local, so this
 * target compiles etcd_watch.c into itself (the library's copy is then
 * not linked) and drives them as curl would: on_stream() per chunk, then
 * drain() as wait_created() and poll() do.
 *
 * Input: mode byte; mode 0: a unary reply; else the first byte after it
 * is the chunk size (1..256) and the rest the stream. Checked besides
 * memory safety: every event handed on has a non-empty key with no NUL
 * byte and a value exactly its length; a watch error leaves a message.
 */
#include "../hostdrv/bookd/etcd_watch.c"
#include "fuzz_util.h"

static int on_event(void *arg, int type, const struct store_kv *kv)
{
	unsigned *n = arg;

	FZ_CHECK(type == STORE_PUT || type == STORE_DEL);
	FZ_CHECK(kv->key && kv->key[0] && kv->val && strlen(kv->val) <= kv->len);
	FZ_CHECK(kv->val[kv->len] == 0);
	(*n)++;
	return 0;
}

static void unary(const char *p, size_t len)
{
	json_tokener *tok = json_tokener_new();
	json_object *o = json_tokener_parse_ex(tok, p, (int)len), *kvs;
	int64_t rev;
	struct store_kv kv;

	if (o) {
		etcd_header_rev(o, &rev);
		etcd_errmsg(o);
		if (json_object_object_get_ex(o, "kvs", &kvs) &&
		    json_object_is_type(kvs, json_type_array)) {
			for (size_t i = 0; i < json_object_array_length(kvs); i++) {
				if (etcd_kv_decode(json_object_array_get_idx(kvs, i), &kv) == STORE_OK) {
					FZ_CHECK(kv.key[0] && strlen(kv.key) > 0);
					store_kv_free(&kv);
				}
			}
		}
		json_object_put(o);
	}
	json_tokener_free(tok);
}

static void stream(const char *p, size_t len, size_t chunk)
{
	static char ep0[] = "http://fuzz:2379";
	static char *eps[] = { ep0 };
	struct etcd e;
	unsigned events = 0;
	int stop = 0, rc = 0;

	memset(&e, 0, sizeof(e));
	e.ep = eps;
	e.nep = 1;
	e.w.tok = json_tokener_new();
	for (size_t off = 0; off < len && !e.w.bad_json; off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;
		char *c = malloc(n);          /* each chunk exactly sized */
		memcpy(c, p + off, n);
		size_t took = on_stream(c, 1, n, &e.w);
		free(c);
		FZ_CHECK(took == n || (took == 0 && e.w.bad_json));
		/* As the agent: first until created, then events to the callback. */
		if (!e.w.created)
			rc = drain(&e, NULL, NULL, &stop);
		if (rc >= 0 && e.w.created)
			rc = drain(&e, on_event, &events, &stop);
		if (rc < 0) {
			FZ_CHECK(e.s.err[0]);
			break;
		}
	}
	drop_queue(&e.w);
	free(e.w.q);
	json_tokener_free(e.w.tok);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	if (data[0] == 0)
		unary((const char *)data + 1, size - 1);
	else
		stream((const char *)data + 2, size - 2, (size_t)data[1] + 1);
	return 0;
}
