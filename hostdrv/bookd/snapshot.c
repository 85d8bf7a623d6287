/* SPDX-License-Identifier: MIT */
/* snic-bookd's state snapshot, read back (snapshot.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "snapshot.h"

static struct json_object *member(struct json_object *o, const char *k)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static int64_t num(struct json_object *o, const char *k)
{
	struct json_object *v = member(o, k);

	return v ? json_object_get_int64(v) : 0;
}

static void str(struct json_object *o, const char *k, char *out, size_t n)
{
	struct json_object *v = member(o, k);

	snprintf(out, n, "%s", v ? json_object_get_string(v) : "");
}

static void one(struct json_object *b, struct snap_booking *s)
{
	struct json_object *rq = member(b, "requested"), *gr = member(b, "granted");
	struct json_object *nic = member(b, "nic"), *cpu = member(rq, "cpu");

	s->vnic = (uint16_t)num(b, "vnic");
	str(b, "state", s->state, sizeof(s->state));
	s->booking_rev = num(b, "booking_rev");
	s->good_rev = num(b, "good_rev");
	s->applies = (uint32_t)num(b, "applies");
	s->req.vnic = s->vnic;
	s->req.out_bps = (uint64_t)num(rq, "out");
	s->req.in_bps = (uint64_t)num(rq, "in");
	s->req.comm_bps = (uint64_t)num(rq, "comm");
	s->req.cap_bps = (uint64_t)num(rq, "cap");
	s->req.has_cap = s->req.cap_bps != 0;
	s->req.prio = (uint8_t)num(rq, "priority");
	s->req.cpu = cpu ? json_object_get_double(cpu) : 0;
	str(rq, "pipe", s->req.pipe, sizeof(s->req.pipe));
	s->granted_out = (uint64_t)num(gr, "out");
	s->granted_in = (uint64_t)num(gr, "in");
	s->nic.min_bps = (uint64_t)num(nic, "min");
	s->nic.cap_bps = (uint64_t)num(nic, "cap");
	s->nic.rx_bps = (uint64_t)num(nic, "rx");
	s->nic.rx_cap_bps = (uint64_t)num(nic, "rx_cap");
	s->nic.prio = (uint8_t)num(nic, "priority");
	str(b, "reason", s->reason, sizeof(s->reason));
}

int snapshot_read(const char *path, struct snapshot *out, char *err, size_t errlen)
{
	struct json_object *o = json_object_from_file(path), *arr;

	memset(out, 0, sizeof(*out));
	if (!o) {
		snprintf(err, errlen, "cannot read %s: %s", path, json_util_get_last_err());
		return -1;
	}
	arr = member(o, "bookings");
	if (!json_object_is_type(o, json_type_object) || num(o, "v") != 1 ||
	    !json_object_is_type(arr, json_type_array)) {
		snprintf(err, errlen, "%s is not a v1 snic-bookd snapshot", path);
		json_object_put(o);
		return -1;
	}
	str(o, "node", out->node, sizeof(out->node));
	str(o, "store", out->store, sizeof(out->store));
	str(o, "nic", out->nic, sizeof(out->nic));
	str(o, "prefix", out->prefix, sizeof(out->prefix));
	out->nic_gen = (uint64_t)num(o, "nic_gen");
	out->rev = num(o, "rev");
	out->updated = num(o, "updated");
	out->pid = (int)num(o, "pid");
	out->n = json_object_array_length(arr);
	out->b = calloc(out->n ? out->n : 1, sizeof(*out->b));
	if (!out->b) {
		json_object_put(o);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < out->n; i++)
		one(json_object_array_get_idx(arr, i), &out->b[i]);
	json_object_put(o);
	return 0;
}

void snapshot_free(struct snapshot *s)
{
	free(s->b);
	s->b = NULL;
	s->n = 0;
}
