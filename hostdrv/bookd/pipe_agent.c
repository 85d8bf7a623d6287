/* SPDX-License-Identifier: MIT */
/*
 * A node on a shared pipe (pipe_agent.h). Keys, under PREFIX/CLUSTER/:
 *   pipes/NAME/config        {"v":1,"capacity":"10G","immediate_share":500}
 *   pipes/NAME/nodes/NODE    {"v":1,"booked":B,"unbooked":U}  (bytes per
 *                            interval, under this node's lease)
 * Reports are watched, not polled, so a node reads the others' demand
 * without a store round trip per interval.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "pipe_agent.h"
#include "pipe_alloc.h"
#include "snic.h"

#define PIPE_MEMBERS_MAX 1024
#define CEILING_STEP_PERMILLE 50   /* re-apply a VNIC ceiling on a 5 % change */
#define PIPE_CEILING_MIN 1000000ull /* the meters' floor: a ceiling of 0 is none */

struct member {
	char node[AGENT_NAME_MAX];
	struct pipe_report rep;
};

struct pipe_agent {
	struct store *s;
	struct nic *n;
	struct agent *a;
	char name[BOOKING_PIPE_MAX + 1];
	char prefix[AGENT_KEY_MAX + 64];     /* .../pipes/NAME/ */
	char own_key[AGENT_KEY_MAX + 160];
	unsigned interval_ms, ttl_s;
	uint64_t capacity_bps;               /* from the config record; 0: none yet */
	unsigned immediate_share;
	int64_t lease, rev;
	int watching;
	uint64_t next_ms, next_keepalive_ms, next_warn_ms;
	struct pipe_report own;              /* last published */
	int published;
	struct member *m;
	size_t n_m;
	uint64_t *vnic_ceiling;              /* last applied, by VNIC */
	uint64_t *changed_ms;                /* when it last moved, by VNIC */
	unsigned n_ceiling;
};

/* A rate member: a string with a unit or an integer (bit/s). */
static int json_rate(struct json_object *v, uint64_t *bps)
{
	char err[128], num[32];

	if (json_object_is_type(v, json_type_int) && json_object_get_int64(v) > 0) {
		snprintf(num, sizeof(num), "%lld", (long long)json_object_get_int64(v));
		return snic_arg_rate(num, 1000, BOOKING_RATE_MAX, bps, err, sizeof(err));
	}
	if (!json_object_is_type(v, json_type_string) ||
	    strlen(json_object_get_string(v)) != (size_t)json_object_get_string_len(v))
		return -1;
	return snic_arg_rate(json_object_get_string(v), 1000, BOOKING_RATE_MAX, bps, err,
			     sizeof(err));
}

/* The pipe's config: checked whole before anything changes. */
static int parse_config(struct pipe_agent *p, const char *val, size_t len)
{
	struct json_object *o = memchr(val, 0, len) ? NULL : json_tokener_parse(val), *c, *is, *v;
	uint64_t bps;
	unsigned share = PIPE_IMMEDIATE_DEFAULT;
	int rc = -1;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "v", &v) || json_object_get_int64(v) != 1 ||
	    !json_object_object_get_ex(o, "capacity", &c) || json_rate(c, &bps))
		goto out;
	if (json_object_object_get_ex(o, "immediate_share", &is)) {
		int64_t x = json_object_get_int64(is);
		if (!json_object_is_type(is, json_type_int) || x < 0 || x > PIPE_SHARE_MAX)
			goto out;
		share = (unsigned)x;
	}
	p->capacity_bps = bps;
	p->immediate_share = share;
	rc = 0;
out:
	if (rc)
		agent_log(p->a, "pipe %s: config refused, the last good one stays (want {\"v\":1,"
			  "\"capacity\":\"10G\",\"immediate_share\":0..%u})", p->name, PIPE_SHARE_MAX);
	json_object_put(o);
	return rc;
}

static struct member *member(struct pipe_agent *p, const char *node, int create)
{
	for (size_t i = 0; i < p->n_m; i++)
		if (!strcmp(p->m[i].node, node))
			return &p->m[i];
	if (!create || p->n_m == PIPE_MEMBERS_MAX || strlen(node) >= AGENT_NAME_MAX)
		return NULL;
	struct member *m = &p->m[p->n_m++];
	memset(m, 0, sizeof(*m));
	strcpy(m->node, node);
	return m;
}

static void forget(struct pipe_agent *p, const char *node)
{
	struct member *m = member(p, node, 0);

	if (m)
		*m = p->m[--p->n_m];
}

/* A VNIC's ceiling moves when it changed by 5 % or more, at most once a
 * second (a NIC apply and a grant record each time); 0 lifts it. */
static void set_ceiling(struct pipe_agent *p, uint16_t v, uint64_t bps, uint64_t now)
{
	uint64_t old = p->vnic_ceiling[v], d = bps > old ? bps - old : old - bps;

	if (bps == old || (old && bps && d * 1000 < old * CEILING_STEP_PERMILLE) ||
	    (old && bps && now < p->changed_ms[v] + 1000))
		return;
	p->vnic_ceiling[v] = bps;
	p->changed_ms[v] = now;
	agent_set_pipe_ceiling(p->a, v, bps);
}

/* No config (deleted): no ceilings from this pipe. */
static void drop_ceilings(struct pipe_agent *p)
{
	p->capacity_bps = 0;
	for (unsigned v = 0; v < p->n_ceiling; v++)
		if (p->vnic_ceiling[v]) {
			p->vnic_ceiling[v] = 0;
			agent_set_pipe_ceiling(p->a, (uint16_t)v, 0);
		}
}

/* A report: two byte counts (integers >= 0). Anything else takes the
 * member out until it sends a good one. */
static void note_report(struct pipe_agent *p, const char *node, const char *val)
{
	struct json_object *o = json_tokener_parse(val), *b, *u;
	struct member *m;

	if (o && json_object_object_get_ex(o, "booked", &b) &&
	    json_object_object_get_ex(o, "unbooked", &u) && json_object_is_type(b, json_type_int) &&
	    json_object_is_type(u, json_type_int) && json_object_get_int64(b) >= 0 &&
	    json_object_get_int64(u) >= 0 && (m = member(p, node, 1))) {
		m->rep.booked = (uint64_t)json_object_get_int64(b);
		m->rep.unbooked = (uint64_t)json_object_get_int64(u);
	} else {
		forget(p, node);
	}
	json_object_put(o);
}

static int on_change(void *arg, int type, const struct store_kv *kv)
{
	struct pipe_agent *p = arg;
	const char *rest = kv->key + strlen(p->prefix);

	if (kv->mod_rev > p->rev)
		p->rev = kv->mod_rev;
	if (!strcmp(rest, "config")) {
		if (type == STORE_PUT)
			parse_config(p, kv->val, kv->len);
		else
			drop_ceilings(p);
	} else if (!strncmp(rest, "nodes/", 6)) {
		if (type == STORE_PUT)
			note_report(p, rest + 6, kv->val);
		else
			forget(p, rest + 6);
	}
	return 0;
}

static int load(struct pipe_agent *p)
{
	struct store_list l = { 0 };

	if (p->s->ops->list(p->s, p->prefix, &l))
		return -1;
	p->n_m = 0;
	for (size_t i = 0; i < l.n; i++)
		on_change(p, STORE_PUT, &l.kv[i]);
	p->rev = l.rev;
	store_list_free(&l);
	p->watching = p->s->ops->watch(p->s, p->prefix, p->rev + 1) == 0;
	return p->watching ? 0 : -1;
}

/* This node's demand on the pipe in bytes per interval, per VNIC booked
 * on it (ids[], vr[]: n of them) and in total: what a VNIC wants up to its
 * booking is booked, the rest not. */
static size_t measure(struct pipe_agent *p, uint16_t *ids, struct pipe_report *vr,
		      struct pipe_report *tot)
{
	struct booking b;
	size_t n = 0;

	memset(tot, 0, sizeof(*tot));
	for (unsigned v = 0; v < p->n_ceiling; v++) {
		if (agent_booking(p->a, (uint16_t)v, &b) || !b.comm_bps ||
		    strcmp(b.pipe[0] ? b.pipe : "internal", p->name))
			continue;
		uint64_t want = b.comm_bps;
		if (p->n->ops->demand && p->n->ops->demand(p->n, (uint16_t)v, &want))
			want = b.comm_bps;
		uint64_t q = want / 8 * p->interval_ms / 1000;
		uint64_t bk = b.comm_bps / 8 * p->interval_ms / 1000;
		ids[n] = (uint16_t)v;
		vr[n].booked = q < bk ? q : bk;
		vr[n].unbooked = q - vr[n].booked;
		tot->booked += vr[n].booked;
		tot->unbooked += vr[n].unbooked;
		n++;
	}
	return n;
}

/* Publish this node's report (only when it changed: the document's
 * "no change, no send") and keep its lease alive. */
static void publish(struct pipe_agent *p, const struct pipe_report *r, uint64_t now)
{
	char val[128];

	if (p->lease && now >= p->next_keepalive_ms) {
		if (p->s->ops->lease_keepalive(p->s, p->lease)) {
			agent_log(p->a, "pipe %s: lease lost (%s): joining again", p->name, p->s->err);
			p->lease = 0;
		}
		p->next_keepalive_ms = now + p->ttl_s * 1000 / 3;
	}
	if (!p->lease) {
		if (p->s->ops->lease_grant(p->s, p->ttl_s, &p->lease))
			return;
		p->published = 0;
		p->next_keepalive_ms = now + p->ttl_s * 1000 / 3;
	}
	if (p->published && !memcmp(r, &p->own, sizeof(*r)))
		return;
	snprintf(val, sizeof(val), "{\"v\":1,\"booked\":%" PRIu64 ",\"unbooked\":%" PRIu64 "}",
		 r->booked, r->unbooked);
	if (p->s->ops->put(p->s, p->own_key, val, strlen(val), p->lease, NULL) == 0) {
		p->own = *r;
		p->published = 1;
	}
}

/* The node's entitlement, then the same rule among its VNICs on the
 * pipe; each one's part, as a rate (at least the meters' 1 Mbit/s: 0
 * would mean no ceiling), becomes its ceiling; a VNIC that left the pipe
 * loses it. */
static void allocate(struct pipe_agent *p, const uint16_t *ids, const struct pipe_report *vr,
		     size_t nv, const struct pipe_report *own, uint64_t now)
{
	struct pipe_report rep[PIPE_MEMBERS_MAX + 1];   /* the members, and this node */
	struct pipe_grant g[PIPE_MEMBERS_MAX + 1];
	struct pipe_totals t;
	size_t n = 0, self = 0;
	uint64_t cap = p->capacity_bps / 8 * p->interval_ms / 1000;

	for (size_t i = 0; i < p->n_m; i++) {
		if (!strcmp(p->m[i].node, agent_node(p->a)))
			self = n;
		rep[n++] = strcmp(p->m[i].node, agent_node(p->a)) ? p->m[i].rep : *own;
	}
	if (!member(p, agent_node(p->a), 0)) {
		self = n;
		rep[n++] = *own;
	}
	pipe_alloc(cap, p->immediate_share, rep, n, g, &t);
	if (t.overbooked && now >= p->next_warn_ms) {
		agent_log(p->a, "WARNING pipe %s over-booked: %" PRIu64 " booked bytes per interval, "
			  "capacity %" PRIu64, p->name, t.booked, cap);
		p->next_warn_ms = now + 5000;
	}
	struct pipe_grant *vg = calloc(nv ? nv : 1, sizeof(*vg));
	uint8_t *on = calloc(p->n_ceiling ? p->n_ceiling : 1, 1);
	if (vg && on) {
		pipe_alloc(g[self].total, p->immediate_share, vr, nv, vg, NULL);
		for (size_t i = 0; i < nv; i++) {
			uint64_t bps = vg[i].total * 8 * 1000 / p->interval_ms;
			on[ids[i]] = 1;
			set_ceiling(p, ids[i], bps < PIPE_CEILING_MIN ? PIPE_CEILING_MIN : bps, now);
		}
		for (unsigned v = 0; v < p->n_ceiling; v++)
			if (!on[v] && p->vnic_ceiling[v])
				set_ceiling(p, (uint16_t)v, 0, now);
	}
	free(vg);
	free(on);
}

void pipe_agent_step(struct pipe_agent *p)
{
	uint64_t now = agent_now_ms();

	if (!p->watching && load(p))
		return;
	int rc = p->s->ops->poll(p->s, 0, on_change, p);
	if (rc < 0)
		p->watching = 0;
	if (now < p->next_ms)
		return;
	if (!p->capacity_bps) {
		if (now >= p->next_warn_ms) {
			agent_log(p->a, "pipe %s: waiting for its config record %sconfig "
				  "({\"v\":1,\"capacity\":\"10G\"})", p->name, p->prefix);
			p->next_warn_ms = now + 30000;
		}
		return;
	}
	p->next_ms = now + p->interval_ms;
	unsigned span = agent_vnic_span(p->a);
	if (span > p->n_ceiling) {
		uint64_t *c = realloc(p->vnic_ceiling, span * sizeof(*c));
		if (c)
			p->vnic_ceiling = c;
		uint64_t *t = realloc(p->changed_ms, span * sizeof(*t));
		if (t)
			p->changed_ms = t;
		if (!c || !t)
			return;
		memset(c + p->n_ceiling, 0, (span - p->n_ceiling) * sizeof(*c));
		memset(t + p->n_ceiling, 0, (span - p->n_ceiling) * sizeof(*t));
		p->n_ceiling = span;
	}
	struct pipe_report *vr = calloc(p->n_ceiling ? p->n_ceiling : 1, sizeof(*vr)), own;
	uint16_t *ids = calloc(p->n_ceiling ? p->n_ceiling : 1, sizeof(*ids));
	if (vr && ids) {
		size_t nv = measure(p, ids, vr, &own);
		publish(p, &own, now);
		allocate(p, ids, vr, nv, &own, now);
	}
	free(vr);
	free(ids);
}

struct pipe_agent *pipe_agent_new(struct store *s, struct nic *n, struct agent *a,
				  const struct pipe_agent_opts *o, char *err, size_t errlen)
{
	size_t len = o->name ? strlen(o->name) : 0;

	if (!len || len > BOOKING_PIPE_MAX || strchr(o->name, '/')) {
		snprintf(err, errlen, "pipe name: 1-%d characters, no '/'", BOOKING_PIPE_MAX);
		return NULL;
	}
	struct pipe_agent *p = calloc(1, sizeof(*p));
	if (!p || !(p->m = calloc(PIPE_MEMBERS_MAX, sizeof(*p->m)))) {
		free(p);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->s = s;
	p->n = n;
	p->a = a;
	memcpy(p->name, o->name, len + 1);
	p->interval_ms = o->interval_ms ? o->interval_ms : PIPE_INTERVAL_DEFAULT_MS;
	p->ttl_s = o->lease_ttl_s ? o->lease_ttl_s : PIPE_LEASE_TTL_S;
	snprintf(p->prefix, sizeof(p->prefix), "%spipes/%s/", agent_cluster_prefix(a), o->name);
	snprintf(p->own_key, sizeof(p->own_key), "%snodes/%s", p->prefix, agent_node(a));
	return p;
}

void pipe_agent_free(struct pipe_agent *p)
{
	if (!p)
		return;
	if (p->lease)
		p->s->ops->lease_revoke(p->s, p->lease);   /* leave at once, not at expiry */
	free(p->vnic_ceiling);
	free(p->changed_ms);
	free(p->m);
	free(p);
}
