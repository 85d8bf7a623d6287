/* SPDX-License-Identifier: MIT */
/*
 * Booking records: parse, check, format. Rates are integers in bit/s or
 * strings with a unit ("250M", "2.5G"), the same syntax as snicctl.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "booking.h"
#include "snic.h"

#define BOOKING_JSON_MAX 4096  /* a record is a few hundred bytes */

static int why_fail(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (n) {
		va_start(ap, fmt);
		vsnprintf(why, n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A rate field: integer bit/s or a string with a unit; never 0 or negative. */
static int get_rate(struct json_object *v, const char *name, uint64_t *out,
		    char *why, size_t n)
{
	char err[160];

	switch (json_object_get_type(v)) {
	case json_type_int: {
		errno = 0;
		int64_t x = json_object_get_int64(v);
		if (x < 0)
			return why_fail(why, n, "%s: negative rate %lld", name, (long long)x);
		if (errno == ERANGE || (uint64_t)x > BOOKING_RATE_MAX)
			return why_fail(why, n, "%s: rate above %llu bit/s", name,
					(unsigned long long)BOOKING_RATE_MAX);
		if ((uint64_t)x < BOOKING_RATE_MIN)
			return why_fail(why, n, "%s: rate %lld bit/s is %s (omit the field for no booking)",
					name, (long long)x, x ? "below 1 kbit/s" : "zero");
		*out = (uint64_t)x;
		return 0;
	}
	case json_type_string: {
		const char *s = json_object_get_string(v);
		if (strlen(s) != (size_t)json_object_get_string_len(v))
			return why_fail(why, n, "%s: NUL byte in the rate", name);
		if (s[0] == '-')
			return why_fail(why, n, "%s: negative rate '%s'", name, s);
		if (snic_arg_rate(s, BOOKING_RATE_MIN, BOOKING_RATE_MAX, out, err, sizeof(err)))
			return why_fail(why, n, "%s: %s", name, err);
		return 0;
	}
	default:
		return why_fail(why, n, "%s: want a whole number of bit/s or a string like \"100M\", got %s",
				name, json_type_to_name(json_object_get_type(v)));
	}
}

static int get_int(struct json_object *v, const char *name, long min, long max, long *out,
		   char *why, size_t n)
{
	if (!json_object_is_type(v, json_type_int))
		return why_fail(why, n, "%s: want an integer, got %s", name,
				json_type_to_name(json_object_get_type(v)));
	int64_t x = json_object_get_int64(v);
	if (x < min || x > max)
		return why_fail(why, n, "%s: %lld is outside %ld..%ld", name, (long long)x, min, max);
	*out = (long)x;
	return 0;
}

static int get_cpu(struct json_object *v, double *out, char *why, size_t n)
{
	json_type t = json_object_get_type(v);

	if (t != json_type_int && t != json_type_double)
		return why_fail(why, n, "cpu: want a number of cores, got %s", json_type_to_name(t));
	double x = json_object_get_double(v);
	if (!isfinite(x) || x < 0 || x > BOOKING_CPU_MAX)
		return why_fail(why, n, "cpu: %g is outside 0..%g cores", x, BOOKING_CPU_MAX);
	*out = x;
	return 0;
}

static int get_pipe(struct json_object *v, char *out, char *why, size_t n)
{
	if (!json_object_is_type(v, json_type_string))
		return why_fail(why, n, "pipe: want a name");
	const char *s = json_object_get_string(v);
	size_t len = strlen(s);
	if (len != (size_t)json_object_get_string_len(v))
		return why_fail(why, n, "pipe: NUL byte in the name");
	if (!len || len > BOOKING_PIPE_MAX || strspn(s, "abcdefghijklmnopqrstuvwxyz"
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != len)
		return why_fail(why, n, "pipe: '%s' is not a name (1-%d of A-Z a-z 0-9 - _ .)",
				s, BOOKING_PIPE_MAX);
	memcpy(out, s, len + 1);
	return 0;
}

/* One member of a v1 record; unknown members are refused. */
static int get_field(struct booking *b, const char *k, struct json_object *v, long *vnic,
		     char *why, size_t n)
{
	long x;

	if (!strcmp(k, "v"))
		return 0;
	if (!strcmp(k, "vnic"))
		return get_int(v, k, 0, 0xfffe, vnic, why, n);
	if (!strcmp(k, "out_bandwidth"))
		return get_rate(v, k, &b->out_bps, why, n);
	if (!strcmp(k, "in_bandwidth"))
		return get_rate(v, k, &b->in_bps, why, n);
	if (!strcmp(k, "comm"))
		return get_rate(v, k, &b->comm_bps, why, n);
	if (!strcmp(k, "cap")) {
		b->has_cap = 1;
		return get_rate(v, k, &b->cap_bps, why, n);
	}
	if (!strcmp(k, "priority")) {
		if (get_int(v, k, 0, BOOKING_PRIO_MAX, &x, why, n))
			return -1;
		b->prio = (uint8_t)x;
		return 0;
	}
	if (!strcmp(k, "cpu"))
		return get_cpu(v, &b->cpu, why, n);
	if (!strcmp(k, "pipe"))
		return get_pipe(v, b->pipe, why, n);
	return why_fail(why, n, "unknown field '%s' in a v%d record", k, BOOKING_VERSION);
}

static int check_version(struct json_object *o, char *why, size_t n)
{
	struct json_object *v;
	long ver;

	if (!json_object_object_get_ex(o, "v", &v))
		return why_fail(why, n, "no version (\"v\": %d)", BOOKING_VERSION);
	if (get_int(v, "v", 1, 1000000, &ver, why, n))
		return -1;
	if (ver > BOOKING_VERSION)
		return why_fail(why, n, "record version %ld is newer than this agent's (%d)",
				ver, BOOKING_VERSION);
	return 0;
}

static int check_whole(const struct booking *b, char *why, size_t n)
{
	if (b->has_cap && b->cap_bps < b->out_bps)
		return why_fail(why, n, "cap %llu bit/s is below the out_bandwidth guarantee %llu bit/s",
				(unsigned long long)b->cap_bps, (unsigned long long)b->out_bps);
	if (!b->out_bps && !b->in_bps && !b->comm_bps && !b->has_cap && b->cpu == 0)
		return why_fail(why, n, "books nothing (want out_bandwidth, in_bandwidth, comm, cap or cpu)");
	return 0;
}

static struct json_object *parse_json(const char *json, size_t len, char *why, size_t n)
{
	if (len > BOOKING_JSON_MAX) {
		why_fail(why, n, "record is %zu bytes (at most %d)", len, BOOKING_JSON_MAX);
		return NULL;
	}
	struct json_tokener *tok = json_tokener_new_ex(4);
	if (!tok) {
		why_fail(why, n, "out of memory");
		return NULL;
	}
	struct json_object *o = json_tokener_parse_ex(tok, json, (int)len);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t used = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!o || e != json_tokener_success) {
		json_object_put(o);
		why_fail(why, n, "not JSON: %s", e == json_tokener_continue ? "truncated" :
			 json_tokener_error_desc(e));
		return NULL;
	}
	while (used < len && strchr(" \t\r\n", json[used]))
		used++;
	if (used < len || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		why_fail(why, n, used < len ? "not JSON: trailing data after the record"
			 : "not a JSON object");
		return NULL;
	}
	return o;
}

int booking_parse(const char *json, size_t len, int key_vnic, struct booking *out,
		  char *why, size_t whylen)
{
	struct booking b = { 0 };
	long vnic = -1;
	int rc = -1;

	if (memchr(json, 0, len))
		return why_fail(why, whylen, "not JSON: NUL byte in the record");
	struct json_object *o = parse_json(json, len, why, whylen);
	if (!o)
		return -1;
	if (check_version(o, why, whylen))
		goto out;
	json_object_object_foreach(o, k, v) {
		if (get_field(&b, k, v, &vnic, why, whylen))
			goto out;
	}
	if (vnic < 0 && key_vnic < 0) {
		why_fail(why, whylen, "no \"vnic\"");
		goto out;
	}
	if (vnic >= 0 && key_vnic >= 0 && vnic != key_vnic) {
		why_fail(why, whylen, "\"vnic\": %ld but the key names VNIC %d", vnic, key_vnic);
		goto out;
	}
	b.vnic = (uint16_t)(vnic >= 0 ? vnic : key_vnic);
	if (check_whole(&b, why, whylen))
		goto out;
	*out = b;
	rc = 0;
out:
	json_object_put(o);
	return rc;
}

int booking_format(const struct booking *b, char *buf, size_t len)
{
	int n = snprintf(buf, len, "{\"v\":%d,\"vnic\":%u", BOOKING_VERSION, b->vnic);
	const struct { const char *k; uint64_t v; int on; } r[] = {
		{ "out_bandwidth", b->out_bps, b->out_bps != 0 },
		{ "in_bandwidth", b->in_bps, b->in_bps != 0 },
		{ "comm", b->comm_bps, b->comm_bps != 0 },
		{ "cap", b->cap_bps, b->has_cap },
	};

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (r[i].on && n >= 0 && (size_t)n < len)
			n += snprintf(buf + n, len - n, ",\"%s\":%llu", r[i].k,
				      (unsigned long long)r[i].v);
	if (n >= 0 && (size_t)n < len && b->prio)
		n += snprintf(buf + n, len - n, ",\"priority\":%u", b->prio);
	if (n >= 0 && (size_t)n < len && b->cpu > 0) {
		/* Shortest form that reads back as the same number: a record
		 * rewritten by an agent keeps the value it was given. */
		char num[32];
		for (int prec = 15; prec <= 17; prec++) {
			snprintf(num, sizeof(num), "%.*g", prec, b->cpu);
			if (strtod(num, NULL) == b->cpu)
				break;
		}
		n += snprintf(buf + n, len - n, ",\"cpu\":%s", num);
	}
	if (n >= 0 && (size_t)n < len && b->pipe[0])
		n += snprintf(buf + n, len - n, ",\"pipe\":\"%s\"", b->pipe);
	if (n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, "}");
	return n < 0 || (size_t)n >= len ? -1 : n;
}

int booking_key_vnic(const char *key, const char *prefix)
{
	size_t pl = strlen(prefix);

	if (strncmp(key, prefix, pl))
		return -1;
	const char *p = key + pl;
	if (!*p || strlen(p) > 5 || strspn(p, "0123456789") != strlen(p))
		return -1;
	if (p[0] == '0' && p[1])
		return -1;      /* one key per VNIC: no "007" aliases */
	long v = strtol(p, NULL, 10);
	return v <= 0xfffe ? (int)v : -1;
}
