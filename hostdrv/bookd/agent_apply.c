/* SPDX-License-Identifier: MIT */
/*
 * From records to the NIC: parse a record, admit the guarantees on each
 * uplink or bond, make the NIC hold the grant, then store the grant (or
 * undo the NIC change if the grant cannot be stored), raising an alarm
 * for a partial grant and an error record for a refused one.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admit.h"
#include "agent_internal.h"

#define REC_MAX 768
/* The smallest guarantee worth granting in part: the meters' floor on
 * snic (1 Mbit/s); a smaller remainder is not granted (alarm says so). */
#define AGENT_GRANT_MIN 1000000ull

static void rec_key(const struct agent *a, char *key, size_t n, const char *kind, uint16_t v)
{
	snprintf(key, n, "%s%s/%u", a->node_prefix, kind, v);
}

static int rec_put(struct agent *a, const char *kind, uint16_t v, const char *val)
{
	char key[AGENT_KEY_MAX + 32];

	rec_key(a, key, sizeof(key), kind, v);
	if (a->store->ops->put(a->store, key, val, strlen(val), 0, NULL) == 0)
		return 0;
	a->st.store_errors++;
	agent_log(a, "cannot store %s: %s", key, a->store->err);
	return -1;
}

static int rec_del(struct agent *a, const char *kind, uint16_t v)
{
	char key[AGENT_KEY_MAX + 32];

	rec_key(a, key, sizeof(key), kind, v);
	if (a->store->ops->del(a->store, key, NULL) == 0)
		return 0;
	a->st.store_errors++;
	agent_log(a, "cannot delete %s: %s", key, a->store->err);
	return -1;
}

/* An error record beside the booking: what is wrong, for which revision. */
static void set_error(struct agent *a, uint16_t v, struct entry *e, uint8_t state)
{
	char val[REC_MAX];
	const char *kind = state == ENT_INVALID ? "bad_record" :
			   state == ENT_NOVNIC ? "unknown_vnic" : "refused_by_nic";

	e->state = state;
	if (state == ENT_NOVNIC && e->has_error_rec)
		return;   /* retried every second: say it once */
	agent_log(a, "VNIC %u booking (revision %" PRId64 "): %s", v, e->mod_rev, e->why);
	snprintf(val, sizeof(val), "{\"v\":1,\"booking_rev\":%" PRId64 ",\"kind\":\"%s\","
		 "\"reason\":\"%s\",\"node\":\"%s\"}", e->mod_rev, kind, e->why, a->node);
	if (rec_put(a, "errors", v, val) == 0)
		e->has_error_rec = 1;
	else
		e->rec_retry = 1;
}

/* Quotes and control characters out of a reason before it goes in JSON. */
static void clean_reason(char *s)
{
	for (; *s; s++)
		if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
			*s = '\'';
}

/* A reason longer than the record holds ends in "..." (never cut silently). */
static void set_why(struct entry *e, const char *msg)
{
	size_t n = strlen(msg), max = sizeof(e->why) - 1;

	if (n > max) {
		memcpy(e->why, msg, max - 3);
		memcpy(e->why + max - 3, "...", 4);
	} else {
		memcpy(e->why, msg, n + 1);
	}
	clean_reason(e->why);
}

void agent_record(struct agent *a, uint16_t v, const char *val, size_t len,
		  int64_t mod_rev)
{
	struct entry *e = agent_entry(a, v, 1);
	struct booking b;

	if (!e)
		return;
	if (val && mod_rev == e->mod_rev) {
		e->present = 1;   /* the same revision again (a resumed watch, a resync) */
		return;
	}
	e->dirty = 1;   /* earlier changes in the batch still count */
	e->mod_rev = mod_rev;
	if (!val) {
		e->present = e->valid = 0;
		e->gone = 1;
		return;
	}
	e->present = 1;
	if (booking_parse(val, len, v, &b, e->why, sizeof(e->why))) {
		clean_reason(e->why);
		a->st.bad_records++;
		e->bad = 1;     /* the last good booking (if any) stays in force */
		set_error(a, v, e, ENT_INVALID);
		return;
	}
	e->b = b;
	e->valid = 1;
	e->bad = 0;
	e->gone = 0;
	e->good_rev = mod_rev;
	e->why[0] = 0;
}

/* ---- admission ---- */

static int uplink_of(struct agent *a, uint16_t v, struct entry *e)
{
	if (e->uplink_known)
		return 0;
	int rc = a->nic->ops->vnic_uplink(a->nic, v, &e->uplink);
	if (rc == NIC_OK) {
		e->uplink_known = 1;
		return 0;
	}
	set_why(e, a->nic->err);
	if (rc == NIC_E_NOVNIC)
		set_error(a, v, e, ENT_NOVNIC);
	else {
		a->st.nic_errors++;
		e->state = ENT_PENDING;
	}
	return rc;
}

/* Admit one direction (out: 0, in: 1) of every booking on uplink u. */
static void admit_dir(struct agent *a, uint8_t u, uint64_t cap, int in, struct admit_req *r)
{
	size_t n = 0;

	for (unsigned v = 0; v < a->n_ent; v++) {
		struct entry *e = &a->ent[v];
		if (e->valid && e->uplink_known && e->uplink == u)
			r[n++] = (struct admit_req){ e->good_rev, in ? e->b.in_bps : e->b.out_bps, 0, v,
						     in ? e->granted.rx_bps : e->granted.min_bps };
	}
	admit_split(cap, r, n);
	for (size_t i = 0; i < n; i++) {
		struct entry *e = &a->ent[r[i].tag];
		if (r[i].granted < r[i].want && r[i].granted < AGENT_GRANT_MIN)
			r[i].granted = 0;   /* below what a NIC meter can hold */
		uint64_t *w = in ? &e->want.rx_bps : &e->want.min_bps;
		if (*w != r[i].granted)
			e->dirty = 1;
		*w = r[i].granted;
	}
}

/* An uplink whose capacity cannot be read now keeps its grants: its
 * changed bookings wait (pending) rather than losing their guarantees. */
static void admit_uplink(struct agent *a, uint8_t u, struct admit_req *r)
{
	uint64_t cap;

	if (a->nic->ops->capacity(a->nic, u, &cap)) {
		agent_log(a, "uplink %u: %s (its bookings wait)", u, a->nic->err);
		a->st.nic_errors++;
		for (unsigned v = 0; v < a->n_ent; v++) {
			struct entry *e = &a->ent[v];
			if (e->dirty && e->uplink_known && e->uplink == u) {
				e->dirty = 0;
				e->state = ENT_PENDING;
			}
		}
		return;
	}
	admit_dir(a, u, cap, 0, r);
	admit_dir(a, u, cap, 1, r);   /* receive: the same link, full duplex */
}

/*
 * Receive guarantees (docs/bookings.md): the NIC cannot make senders send,
 * but it can keep the others from taking the booked part. Every VNIC on
 * the uplink gets a receive ceiling of C minus the other VNICs' receive
 * grants (none when nobody else has one), so together they leave each
 * booked VNIC its part.
 */
static void rx_protect(struct agent *a, uint8_t u)
{
	uint16_t ids[1024];
	uint64_t cap, booked = 0;

	if (!(a->nic->ops->can & NIC_CAN_RXCAP) || a->nic->ops->capacity(a->nic, u, &cap))
		return;
	for (unsigned v = 0; v < a->n_ent; v++) {
		struct entry *e = &a->ent[v];
		if (e->valid && e->uplink_known && e->uplink == u)
			booked += e->want.rx_bps;
	}
	int n = a->nic->ops->vnics(a->nic, u, ids, 1024);
	for (int i = 0; i < n && i < 1024; i++) {
		struct entry *e = agent_entry(a, ids[i], 1);
		if (!e)
			return;
		uint64_t own = e->valid && e->uplink_known && e->uplink == u ? e->want.rx_bps : 0;
		uint64_t others = booked - own, c = others && cap > others ? cap - others : 0;
		if (others && !c)
			c = 1000000;   /* everything booked by others: the smallest policer */
		if (!e->uplink_known) {
			e->uplink = u;
			e->uplink_known = 1;
		}
		if (e->want.rx_cap_bps != c) {
			e->want.rx_cap_bps = c;
			e->dirty = 1;
		}
	}
}

/* Every uplink that has a dirty booking is admitted again as a whole,
 * once the uplink of every booking is known. */
static void admit_all(struct agent *a)
{
	uint8_t seen[256] = { 0 };
	struct admit_req *r = calloc(a->n_ent ? a->n_ent : 1, sizeof(*r));

	if (!r)
		return;
	for (unsigned v = 0; v < a->n_ent; v++) {
		struct entry *e = &a->ent[v];
		if (e->valid && !e->uplink_known)
			uplink_of(a, (uint16_t)v, e);
		if (e->dirty && e->uplink_known)
			seen[e->uplink] = 1;
	}
	for (unsigned u = 0; u < 256; u++)
		if (seen[u]) {
			admit_uplink(a, (uint8_t)u, r);
			rx_protect(a, (uint8_t)u);
		}
	free(r);
}

/* ---- apply ---- */

/* Equal in what the agent owns: for a VNIC the agent only caps on
 * receive (rx_only), nothing but that ceiling. */
static int same(const struct nic_booking *x, const struct nic_booking *y)
{
	if (y->rx_only)
		return x->rx_cap_bps == y->rx_cap_bps;
	return x->min_bps == y->min_bps && x->cap_bps == y->cap_bps &&
	       x->rx_bps == y->rx_bps && x->rx_cap_bps == y->rx_cap_bps && x->prio == y->prio;
}

/* What the NIC should hold: the admitted guarantees, fields the back end
 * cannot hold left out (the grant record says so). A VNIC that never had a
 * booking here keeps whatever else the operator set (rx_only). */
static struct nic_booking target(const struct agent *a, const struct entry *e)
{
	struct nic_booking t = { 0 };
	unsigned can = a->nic->ops->can;

	t.rx_cap_bps = (can & NIC_CAN_RXCAP) ? e->want.rx_cap_bps : 0;
	if (!e->valid || !e->present) {
		t.rx_only = !e->applied_rev && !e->gone && e->state == ENT_NONE;
		return t;
	}
	t.min_bps = (can & NIC_CAN_MIN) ? e->want.min_bps : 0;
	t.rx_bps = (can & NIC_CAN_RX) ? e->want.rx_bps : 0;
	t.cap_bps = (can & NIC_CAN_CAP) && e->b.has_cap ? e->b.cap_bps : 0;
	if ((can & NIC_CAN_CAP) && e->pipe_cap && (!t.cap_bps || e->pipe_cap < t.cap_bps))
		t.cap_bps = e->pipe_cap;
	if (t.cap_bps && t.cap_bps < t.min_bps)
		t.cap_bps = t.min_bps;   /* the guarantee holds: the pipe books it */
	t.prio = (can & NIC_CAN_PRIO) ? e->b.prio : 0;
	return t;
}

/* The grant record: what the booking got and the NIC holds (its request
 * is the booking). */
static int grant_json(const struct agent *a, const struct entry *e, const struct nic_booking *t,
		      char *val, size_t n)
{
	return snprintf(val, n, "{\"v\":1,\"booking_rev\":%" PRId64 ",\"out_bandwidth\":%" PRIu64
			",\"in_bandwidth\":%" PRIu64 ",\"cap\":%" PRIu64 ",\"priority\":%u,"
			"\"partial\":%s,\"in_enforced\":%s}", e->good_rev, e->want.min_bps,
			e->want.rx_bps, t->cap_bps, t->prio,
			e->state == ENT_PARTIAL ? "true" : "false",
			(a->nic->ops->can & (NIC_CAN_RX | NIC_CAN_RXCAP)) ? "true" : "false");
}

/* The partial-grant alarm follows the grant; a failed write is retried. */
static void alarm_update(struct agent *a, uint16_t v, struct entry *e)
{
	char val[REC_MAX];
	uint64_t cap = 0;

	if (e->state != ENT_PARTIAL) {
		if (e->has_alarm_rec && rec_del(a, "alarms", v) == 0)
			e->has_alarm_rec = 0;
		e->rec_retry |= e->has_alarm_rec;
		return;
	}
	a->nic->ops->capacity(a->nic, e->uplink, &cap);
	agent_log(a, "ALARM VNIC %u: booked out %" PRIu64 " in %" PRIu64 " bit/s, granted out %"
		  PRIu64 " in %" PRIu64 " (uplink %u, capacity %" PRIu64 " bit/s)", v, e->b.out_bps,
		  e->b.in_bps, e->want.min_bps, e->want.rx_bps, e->uplink, cap);
	snprintf(val, sizeof(val), "{\"v\":1,\"booking_rev\":%" PRId64 ",\"kind\":\"partial_grant\","
		 "\"node\":\"%s\",\"uplink\":%u,\"capacity\":%" PRIu64 ",\"requested_out\":%" PRIu64
		 ",\"granted_out\":%" PRIu64 ",\"requested_in\":%" PRIu64 ",\"granted_in\":%" PRIu64 "}",
		 e->good_rev, a->node, e->uplink, cap, e->b.out_bps, e->want.min_bps, e->b.in_bps,
		 e->want.rx_bps);
	if (rec_put(a, "alarms", v, val) == 0)
		e->has_alarm_rec = 1;
	else
		e->rec_retry = 1;
}

/*
 * Make the NIC hold t unless it already does (read back). 1: applied, and
 * *before (with *known set) is what it held, for a rollback; 0: it held t
 * already; -1: failed (state and reason set).
 */
static int nic_set(struct agent *a, uint16_t v, struct entry *e, const struct nic_booking *t,
		   struct nic_booking *before, int *known)
{
	int rc = a->nic->ops->read(a->nic, v, before);

	*known = rc == NIC_OK;
	if (rc == NIC_OK && same(before, t)) {
		e->applied = *t;
		return 0;
	}
	if (rc == NIC_OK || rc == NIC_E_IO)
		rc = a->nic->ops->apply(a->nic, v, t);
	if (rc == NIC_OK) {
		e->applied = *t;
		e->applies++;
		a->st.applies++;
		agent_journal(a, v, t, t->rx_only ? "rx-ceiling" : NULL);
		return 1;
	}
	set_why(e, a->nic->err);
	if (rc == NIC_E_NOVNIC || rc == NIC_E_RANGE || rc == NIC_E_UNSUPP) {
		e->uplink_known = 0;
		set_error(a, v, e, rc == NIC_E_NOVNIC ? ENT_NOVNIC : ENT_REFUSED);
	} else {
		a->st.nic_errors++;
		e->state = ENT_PENDING;
	}
	return -1;
}

/* No booking in force (gone, never one, or a refused record after a
 * deletion): the NIC holds nothing of ours but a receive ceiling the
 * others' bookings may ask for (a VNIC that is gone holds nothing); the
 * grant and alarm go, and the error record unless the record is bad. */
static void apply_none(struct agent *a, uint16_t v, struct entry *e)
{
	struct nic_booking t = target(a, e), held;
	int fails = 0;

	if (!t.rx_only || t.rx_cap_bps || e->applied.rx_cap_bps) {
		int rc = a->nic->ops->read(a->nic, v, &held);
		int differs = rc == NIC_OK && !same(&held, &t);
		if (differs)
			rc = a->nic->ops->apply(a->nic, v, &t);
		if (rc == NIC_OK && differs) {
			e->applies++;
			a->st.applies++;
			agent_journal(a, v, &t, t.rx_only ? "rx-ceiling" : "removed");
		} else if (rc != NIC_OK && rc != NIC_E_NOVNIC) {
			a->st.nic_errors++;
			e->state = ENT_PENDING;
			return;
		}
		e->applied = rc == NIC_OK ? t : (struct nic_booking){ 0 };
	}
	if (e->applied_rev && !(fails |= rec_del(a, "grants", v) != 0))
		e->applied_rev = 0;
	if (e->has_alarm_rec && !(fails |= rec_del(a, "alarms", v) != 0))
		e->has_alarm_rec = 0;
	if (!e->bad && e->has_error_rec && !(fails |= rec_del(a, "errors", v) != 0))
		e->has_error_rec = 0;
	e->want.min_bps = e->want.rx_bps = 0;
	if (fails) {
		e->state = ENT_PENDING;   /* the records are retried */
		return;
	}
	e->state = e->bad ? ENT_INVALID : ENT_NONE;
	if (!e->bad)
		e->why[0] = 0;
}

static void apply_valid(struct agent *a, uint16_t v, struct entry *e)
{
	struct nic_booking t = target(a, e), before = { 0 };
	char val[REC_MAX];
	int applied, known;

	if (!e->uplink_known)
		return;   /* uplink_of said why */
	if ((applied = nic_set(a, v, e, &t, &before, &known)) < 0)
		return;
	e->state = e->want.min_bps < e->b.out_bps || e->want.rx_bps < e->b.in_bps ?
		   ENT_PARTIAL : ENT_APPLIED;
	if (!e->bad)
		e->why[0] = 0;
	struct nic_booking rec = { .min_bps = e->want.min_bps, .cap_bps = t.cap_bps,
				   .rx_bps = e->want.rx_bps, .prio = t.prio };
	if (e->applied_rev == e->good_rev && same(&rec, &e->granted)) {
		a->st.skipped += !applied;   /* the store already says so */
		goto done;
	}
	if (e->state == ENT_PARTIAL)
		a->st.partial++;
	grant_json(a, e, &t, val, sizeof(val));
	if (rec_put(a, "grants", v, val)) {
		/* The grant is the booking's record of what it got: without it
		 * the NIC must not hold it either (roll back to what it held,
		 * when that is known; retry later). */
		if (applied > 0 && known && a->nic->ops->apply(a->nic, v, &before) == NIC_OK) {
			e->applied = before;
			agent_journal(a, v, &before, "rollback");
			a->st.rollbacks++;
		}
		e->state = ENT_PENDING;
		return;
	}
	e->applied_rev = e->good_rev;
	e->granted = rec;
	alarm_update(a, v, e);
done:
	if (e->bad) {
		if (!e->has_error_rec)
			set_error(a, v, e, ENT_INVALID);
		e->state = ENT_INVALID;   /* in force: the last good one; shown: the error */
	} else if (e->has_error_rec && rec_del(a, "errors", v) == 0)
		e->has_error_rec = 0;
	else if (e->has_error_rec)
		e->rec_retry = 1;
}

/* Does applying e lower what its uplink holds (a decrease goes first, so
 * the NIC never holds more than the capacity in between)? */
static int lowers(const struct entry *e)
{
	return e->want.min_bps <= e->applied.min_bps && e->want.rx_bps <= e->applied.rx_bps;
}

static void apply_one(struct agent *a, uint16_t v, struct entry *e)
{
	e->dirty = 0;
	if (e->present && e->valid)
		apply_valid(a, v, e);
	else if (!e->present || e->gone)
		apply_none(a, v, e);
	else if (e->bad && !e->has_error_rec)
		set_error(a, v, e, ENT_INVALID);   /* its error record, again */
	else if (e->want.rx_cap_bps != e->applied.rx_cap_bps)
		apply_none(a, v, e);   /* a refused record never valid: the ceiling only */
}

static void count_states(struct agent *a)
{
	a->st.pending = 0;
	a->st.bookings = 0;
	for (unsigned v = 0; v < a->n_ent; v++) {
		struct entry *e = &a->ent[v];
		a->st.pending += e->state == ENT_PENDING || e->state == ENT_NOVNIC || e->rec_retry;
		a->st.bookings += e->present;
	}
	/* A failure waits a retry period before the next try. */
	uint64_t now = agent_now_ms();
	if (a->st.pending && a->next_pending_ms <= now)
		a->next_pending_ms = now + 1000;
}

void agent_apply_dirty(struct agent *a)
{
	admit_all(a);
	for (int pass = 0; pass < 2; pass++)
		for (unsigned v = 0; v < a->n_ent; v++) {
			struct entry *e = &a->ent[v];
			if (e->dirty && (pass || lowers(e)))
				apply_one(a, (uint16_t)v, e);
		}
	count_states(a);
}

/* The periodic read-back: nothing to admit again (no record changed),
 * only each booking compared with the NIC, and the receive ceilings of
 * every uplink recomputed (a VNIC created since gets its own). */
void agent_verify_all(struct agent *a)
{
	uint8_t seen[256] = { 0 };

	for (unsigned v = 0; v < a->n_ent; v++)
		if (a->ent[v].uplink_known && a->ent[v].valid && a->ent[v].want.rx_bps)
			seen[a->ent[v].uplink] = 1;
	for (unsigned u = 0; u < 256; u++)
		if (seen[u])
			rx_protect(a, (uint8_t)u);
	for (unsigned v = 0; v < a->n_ent; v++) {
		struct entry *e = &a->ent[v];
		if (!e->dirty && ((e->present && e->valid && e->uplink_known) ||
		    e->applied.rx_cap_bps || e->want.rx_cap_bps))
			apply_one(a, (uint16_t)v, e);
	}
	count_states(a);
}
