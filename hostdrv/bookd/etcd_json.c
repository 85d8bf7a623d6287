/* SPDX-License-Identifier: MIT */
/*
 * The etcd v3 JSON gateway's encoding: keys and values travel as base64,
 * int64 fields come back as strings ("revision":"12") and fields at their
 * zero value are left out altogether (proto3), so every reader here takes
 * "missing" to mean zero and accepts numbers as well as strings.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "store_etcd.h"

/* Standard alphabet with padding: what protobuf's JSON mapping uses. */
char *etcd_b64(const void *p, size_t len)
{
	char *out = malloc(B64_ENCODED_LEN(len) + 1);

	if (out)
		b64_encode(p, len, out);
	return out;
}

/* Decode into a NUL-terminated buffer (*len excludes the NUL); NULL for
 * anything the gateway would not have written. */
char *etcd_unb64(const char *s, size_t *len)
{
	size_t n = strlen(s);
	char *out = malloc(B64_DECODED_MAX(n) + 1);

	if (!out || b64_decode(s, n, out, len)) {
		free(out);
		return NULL;
	}
	out[*len] = '\0';
	return out;
}

/*
 * Building requests: each helper returns -1 when json-c runs out of
 * memory, so a caller can or the results together and check once.
 */
int etcd_add_obj(json_object *o, const char *field, json_object *v)
{
	if (!v)
		return -1;
	if (json_object_object_add(o, field, v)) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

int etcd_add_b64(json_object *o, const char *field, const void *p, size_t len)
{
	char *b = etcd_b64(p, len);
	int rc;

	if (!b)
		return -1;
	rc = etcd_add_obj(o, field, json_object_new_string(b));
	free(b);
	return rc;
}

int etcd_add_i64(json_object *o, const char *field, int64_t v)
{
	return etcd_add_obj(o, field, json_object_new_int64(v));
}

int etcd_add_str(json_object *o, const char *field, const char *v)
{
	return etcd_add_obj(o, field, json_object_new_string(v));
}

/* int64 field, "12" or 12; missing is 0. Returns -1 if it is neither. */
int etcd_i64(json_object *o, const char *field, int64_t *v)
{
	json_object *f;
	const char *s;
	char *end;

	*v = 0;
	if (!json_object_object_get_ex(o, field, &f) || !f)
		return 0;
	switch (json_object_get_type(f)) {
	case json_type_int:
		*v = json_object_get_int64(f);
		return 0;
	case json_type_string:
		s = json_object_get_string(f);
		errno = 0;
		*v = strtoll(s, &end, 10);
		return (errno || end == s || *end) ? -1 : 0;
	default:
		return -1;
	}
}

int etcd_bool(json_object *o, const char *field)
{
	json_object *f;

	return json_object_object_get_ex(o, field, &f) && f &&
	       json_object_get_boolean(f);
}

/* A string field, or NULL when missing or not a string. */
const char *etcd_str(json_object *o, const char *field)
{
	json_object *f;

	if (!json_object_object_get_ex(o, field, &f) || !f ||
	    !json_object_is_type(f, json_type_string))
		return NULL;
	return json_object_get_string(f);
}

/*
 * The end of a prefix range: the prefix with its last byte incremented;
 * trailing 0xff bytes cannot be incremented and are dropped first. With
 * nothing left (or an empty prefix) the end is "\0": every key >= start.
 */
int etcd_range_end(const char *prefix, char **end, size_t *len)
{
	size_t n = strlen(prefix);
	char *p = malloc(n + 1);

	if (!p)
		return -1;
	memcpy(p, prefix, n);
	while (n && (unsigned char)p[n - 1] == 0xff)
		n--;
	if (n) {
		p[n - 1] = (char)((unsigned char)p[n - 1] + 1);
	} else {
		p[0] = '\0';
		n = 1;
	}
	*end = p;
	*len = n;
	return 0;
}

/* "key" and "range_end" for every key under prefix. */
int etcd_prefix_range(json_object *req, const char *prefix)
{
	char *end;
	size_t n;
	int rc;

	if (etcd_range_end(prefix, &end, &n))
		return -1;
	if (*prefix)
		rc = etcd_add_b64(req, "key", prefix, strlen(prefix));
	else
		rc = etcd_add_b64(req, "key", "", 1); /* "\0": the first key */
	rc |= etcd_add_b64(req, "range_end", end, n);
	free(end);
	return rc;
}

/*
 * A mvccpb.KeyValue into a store_kv the caller frees. Keys are C strings
 * here, so one with a NUL byte in it (written by some other client) is
 * refused rather than silently cut short.
 */
int etcd_kv_decode(json_object *kv, struct store_kv *out)
{
	const char *k = etcd_str(kv, "key"), *v = etcd_str(kv, "value");
	size_t klen;

	memset(out, 0, sizeof(*out));
	if (!k || etcd_i64(kv, "create_revision", &out->create_rev) ||
	    etcd_i64(kv, "mod_revision", &out->mod_rev) ||
	    etcd_i64(kv, "lease", &out->lease))
		return STORE_E_PROTO;
	out->key = etcd_unb64(k, &klen);
	out->val = etcd_unb64(v ? v : "", &out->len);
	if (!out->key || !out->val || klen == 0) {
		store_kv_free(out);
		return STORE_E_PROTO;
	}
	if (strlen(out->key) != klen) {
		/* Another client may write one; no key of ours has a NUL: the
		 * caller skips it rather than failing the whole reply. */
		store_kv_free(out);
		return STORE_E_INVAL;
	}
	return STORE_OK;
}

int etcd_header_rev(json_object *reply, int64_t *rev)
{
	json_object *h;

	if (!json_object_object_get_ex(reply, "header", &h) || !h ||
	    etcd_i64(h, "revision", rev) || *rev <= 0)
		return -1;
	return 0;
}

/*
 * The gateway's error: {"error":"...","message":"...","code":N} for a
 * call, {"error":{"grpc_code":N,"message":"..."}} inside a stream. NULL
 * when the reply is not an error.
 */
const char *etcd_errmsg(json_object *reply)
{
	json_object *err;
	const char *m;

	if (!json_object_object_get_ex(reply, "error", &err) || !err)
		return NULL;
	if ((m = etcd_str(reply, "message")) && *m)
		return m;
	if (json_object_is_type(err, json_type_object) &&
	    (m = etcd_str(err, "message")))
		return m;
	m = json_object_get_string(err);
	return m && *m ? m : "error without a message";
}
