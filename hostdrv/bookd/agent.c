/* SPDX-License-Identifier: MIT */
/*
 * The booking agent's loop: list and apply, watch, resume or resync
 * (agent.h). What a record means for the NIC is agent_apply.c's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>

#include <json-c/json.h>

#include "agent_internal.h"

#define RETRY_MS      1000  /* pending bookings, unknown VNICs */
#define GEN_CHECK_MS  100   /* NIC reset detection */
#define SAVE_MS       200   /* state snapshot at most this often */
#define VERIFY_MS     5000  /* every booking read back from the NIC this often:
			     * a VNIC re-created, an operator's change, a new VNIC
			     * to cap on receive */
#define BACKOFF_MAX_MS 2000

uint64_t agent_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void agent_log(struct agent *a, const char *fmt, ...)
{
	va_list ap;
	struct timespec ts;
	char when[32];
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", gmtime_r(&ts.tv_sec, &tm));
	fprintf(a->log, "%s.%03ldZ snic-bookd[%s]: ", when, ts.tv_nsec / 1000000, a->node);
	va_start(ap, fmt);
	vfprintf(a->log, fmt, ap);
	va_end(ap);
	fputc('\n', a->log);
	fflush(a->log);
}

struct entry *agent_entry(struct agent *a, uint16_t vnic, int create)
{
	if (vnic < a->n_ent)
		return &a->ent[vnic];
	if (!create)
		return NULL;
	unsigned n = a->n_ent ? a->n_ent : 64;
	while (n <= vnic)
		n *= 2;
	struct entry *e = realloc(a->ent, n * sizeof(*e));
	if (!e)
		return NULL;
	memset(e + a->n_ent, 0, (n - a->n_ent) * sizeof(*e));
	a->ent = e;
	a->n_ent = n;
	return &a->ent[vnic];
}

/* Names go into keys and into the JSON records the agent writes:
 * letters, digits, '.', '_', '-' (and '/' where slash is set). */
static int name_ok(const char *s, size_t max, int slash)
{
	static const char word[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789._-";
	size_t n = s ? strlen(s) : 0, ok = 0;

	while (ok < n && (strchr(word, s[ok]) || (slash && s[ok] == '/')))
		ok++;
	return n && n < max && ok == n;
}

/* The apply journal, locked: one agent per NIC (a second one would
 * fight the first over the same shares). */
static int journal_open(struct agent *a, char *err, size_t errlen)
{
	if (!(a->journal = fopen(a->log_path, "a"))) {
		snprintf(err, errlen, "%s: cannot open the apply journal: %s", a->log_path,
			 strerror(errno));
		return -1;
	}
	if (flock(fileno(a->journal), LOCK_EX | LOCK_NB)) {
		snprintf(err, errlen, "%s is locked: another snic-bookd drives this NIC",
			 a->log_path);
		fclose(a->journal);
		a->journal = NULL;
		return -1;
	}
	return 0;
}

struct agent *agent_new(struct store *s, struct nic *n, const struct agent_opts *o,
			char *err, size_t errlen)
{
	const char *prefix = o->prefix ? o->prefix : AGENT_PREFIX_DEFAULT;
	const char *cluster = o->cluster ? o->cluster : AGENT_CLUSTER_DEFAULT;

	if (!name_ok(o->node, AGENT_NAME_MAX, 0) || !name_ok(cluster, AGENT_NAME_MAX, 0) ||
	    prefix[0] != '/' || !name_ok(prefix, AGENT_KEY_MAX / 2, 1)) {
		snprintf(err, errlen, "node and cluster need a name of 1-%d characters from "
			 "A-Z a-z 0-9 . _ -; the prefix a leading '/' and the same characters",
			 AGENT_NAME_MAX - 1);
		return NULL;
	}
	struct agent *a = calloc(1, sizeof(*a));
	if (!a) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->store = s;
	a->nic = n;
	a->log = o->log ? o->log : stderr;
	a->verbose = o->verbose;
	a->no_resume = o->no_resume;
	a->verify_ms = o->verify_ms ? o->verify_ms : VERIFY_MS;
	snprintf(a->node, sizeof(a->node), "%s", o->node);
	snprintf(a->node_prefix, sizeof(a->node_prefix), "%s/%s/nodes/%s/",
		 strcmp(prefix, "/") ? prefix : "", cluster, o->node);
	snprintf(a->book_prefix, sizeof(a->book_prefix), "%sbookings/", a->node_prefix);
	snprintf(a->cluster_prefix, sizeof(a->cluster_prefix), "%s/%s/",
		 strcmp(prefix, "/") ? prefix : "", cluster);
	/* The agent keeps its own copies: the caller's strings may go. */
	if ((o->state_path && !(a->state_path = strdup(o->state_path))) ||
	    (o->log_path && !(a->log_path = strdup(o->log_path)))) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (a->log_path && journal_open(a, err, errlen))
		goto fail;
	return a;
fail:
	free(a->state_path);
	free(a->log_path);
	free(a);
	return NULL;
}

void agent_free(struct agent *a)
{
	if (!a)
		return;
	agent_save(a);
	if (a->journal)
		fclose(a->journal);
	free(a->state_path);
	free(a->log_path);
	free(a->ent);
	free(a);
}

const struct agent_stats *agent_stats(const struct agent *a)
{
	return &a->st;
}

/* An integer member of a record we wrote ourselves; 0 if absent or of
 * another type (a tampered grant only makes the agent write it again). */
static int64_t json_int_member(struct json_object *o, const char *name)
{
	struct json_object *v;

	return json_object_object_get_ex(o, name, &v) && json_object_is_type(v, json_type_int) ?
	       json_object_get_int64(v) : 0;
}

/* What the store says about the grant we wrote: which booking revision it
 * was for (a crash between the NIC apply and the grant put shows here). */
static void note_grant(struct agent *a, uint16_t vnic, const struct store_kv *kv)
{
	struct entry *e = agent_entry(a, vnic, 1);
	struct json_object *o = e ? json_tokener_parse(kv->val) : NULL;

	if (!e)
		return;
	e->applied_rev = json_int_member(o, "booking_rev");
	e->granted.min_bps = (uint64_t)json_int_member(o, "out_bandwidth");
	e->granted.rx_bps = (uint64_t)json_int_member(o, "in_bandwidth");
	e->granted.cap_bps = (uint64_t)json_int_member(o, "cap");
	e->granted.prio = (uint8_t)json_int_member(o, "priority");
	json_object_put(o);
}

static void note_record(struct agent *a, const struct store_kv *kv)
{
	const char *rest = kv->key + strlen(a->node_prefix);
	static const char *const kinds[] = { "bookings/", "grants/", "errors/", "alarms/" };
	int vnic = -1;
	size_t k;

	for (k = 0; k < 4; k++) {
		char pfx[AGENT_KEY_MAX + 16];
		snprintf(pfx, sizeof(pfx), "%s%s", a->node_prefix, kinds[k]);
		if ((vnic = booking_key_vnic(kv->key, pfx)) >= 0)
			break;
	}
	if (vnic < 0) {
		if (!strncmp(rest, "bookings/", 9))
			agent_log(a, "ignoring %s: not a VNIC id after bookings/", kv->key);
		return;
	}
	struct entry *e = agent_entry(a, (uint16_t)vnic, 1);
	if (!e)
		return;
	if (k == 0)
		agent_record(a, (uint16_t)vnic, kv->val, kv->len, kv->mod_rev);
	else if (k == 1)
		note_grant(a, (uint16_t)vnic, kv);
	else if (k == 2)
		e->has_error_rec = 1;
	else
		e->has_alarm_rec = 1;
}

/*
 * Full resync: the store's view at one revision against what we hold and
 * what the NIC holds. Every entry is compared; only differences are applied.
 * The first one (a new agent) reads its grant, alarm and error records too;
 * later ones (after a compaction or a NIC reset) only the bookings: the
 * agent wrote those records itself and remembers them.
 */
static int resync(struct agent *a)
{
	struct store_list l = { 0 };
	const char *prefix = a->synced ? a->book_prefix : a->node_prefix;
	int rc = a->store->ops->list(a->store, prefix, &l);

	if (rc) {
		a->st.store_errors++;
		agent_log(a, "resync: cannot list %s: %s", prefix, a->store->err);
		return rc;
	}
	for (unsigned v = 0; v < a->n_ent; v++) {
		struct entry *e = &a->ent[v];
		if (!a->synced) {
			e->has_error_rec = e->has_alarm_rec = 0;
			e->applied_rev = 0;
			memset(&e->granted, 0, sizeof(e->granted));
		}
		e->uplink_known = 0;
		e->present = 0;   /* set again by the list, else deleted meanwhile */
	}
	for (size_t i = 0; i < l.n; i++)
		note_record(a, &l.kv[i]);
	for (unsigned v = 0; v < a->n_ent; v++) {
		struct entry *e = &a->ent[v];
		if (!e->present && e->valid)
			agent_record(a, (uint16_t)v, NULL, 0, l.rev);
		e->dirty = 1;     /* every entry compared with the NIC */
	}
	a->st.rev = l.rev;
	a->st.resyncs++;
	a->synced = 1;
	store_list_free(&l);
	agent_apply_dirty(a);
	a->need_resync = 0;
	a->state_dirty = 1;
	a->next_verify_ms = agent_now_ms() + a->verify_ms;
	if (a->verbose)
		agent_log(a, "resync at revision %lld: %u bookings", (long long)a->st.rev,
			  a->st.bookings);
	return 0;
}

/* Which error and alarm records exist now: two short lists (usually
 * empty), instead of trusting a snapshot that may be a moment old. */
static int record_flags(struct agent *a)
{
	static const char *const kinds[] = { "errors/", "alarms/" };

	for (unsigned v = 0; v < a->n_ent; v++)
		a->ent[v].has_error_rec = a->ent[v].has_alarm_rec = 0;
	for (unsigned k = 0; k < 2; k++) {
		struct store_list l = { 0 };
		char prefix[AGENT_KEY_MAX + 16];

		snprintf(prefix, sizeof(prefix), "%s%s", a->node_prefix, kinds[k]);
		if (a->store->ops->list(a->store, prefix, &l))
			return -1;
		for (size_t i = 0; i < l.n; i++)
			note_record(a, &l.kv[i]);
		store_list_free(&l);
	}
	return 0;
}

/* A store younger than the snapshot (its data wiped and started again)
 * cannot replay from the snapshot's revision: a probe of an empty prefix
 * gives the store's revision cheaply. */
static int store_behind(struct agent *a)
{
	struct store_list l = { 0 };
	char probe[AGENT_KEY_MAX + 16];

	snprintf(probe, sizeof(probe), "%srevision-probe/", a->node_prefix);
	int rc = a->store->ops->list(a->store, probe, &l);
	int behind = rc || l.rev < a->st.rev;
	store_list_free(&l);
	return behind;
}

int agent_start(struct agent *a)
{
	if (a->nic->ops->generation(a->nic, &a->nic_gen))
		agent_log(a, "NIC: %s", a->nic->err);
	int loaded = agent_state_load(a);
	/* Resuming relies on the watch to replay what changed since the
	 * snapshot: an agent that will not watch lists instead. */
	if (loaded == 0 && a->no_resume)
		loaded = 1;
	if (loaded == 0 && (store_behind(a) || record_flags(a))) {
		agent_log(a, "the store is behind the snapshot (revision %lld): full list",
			  (long long)a->st.rev);
		loaded = 1;
	}
	if (loaded >= 0)
		a->synced = 1;   /* our records are known: a resync lists bookings only */
	if (loaded == 0) {
		/* Resumed: the watch replays what changed since; the NIC is
		 * compared at once (read back). */
		a->st.resumes++;
		agent_apply_dirty(a);
		if (a->verbose)
			agent_log(a, "resumed at revision %lld from %s", (long long)a->st.rev,
				  a->state_path);
		return 0;   /* agent_step watches from st.rev + 1 */
	}
	int rc = resync(a);
	if (rc)
		a->need_resync = 1;
	return rc;
}

static int on_event(void *arg, int type, const struct store_kv *kv)
{
	struct agent *a = arg;
	int vnic = booking_key_vnic(kv->key, a->book_prefix);

	a->st.events++;
	if (vnic < 0)
		agent_log(a, "ignoring %s: not a VNIC id after bookings/", kv->key);
	else if (type == STORE_PUT)
		agent_record(a, (uint16_t)vnic, kv->val, kv->len, kv->mod_rev);
	else
		agent_record(a, (uint16_t)vnic, NULL, 0, kv->mod_rev);
	if (kv->mod_rev > a->st.rev)
		a->st.rev = kv->mod_rev;
	return 0;
}

static void watch_lost(struct agent *a, int rc)
{
	a->watching = 0;
	a->st.store_errors++;
	if (rc == STORE_E_COMPACTED) {
		agent_log(a, "history before revision %lld is compacted: full resync",
			  (long long)a->store->compact_rev);
		a->need_resync = 1;
		return;
	}
	a->backoff_ms = a->backoff_ms ? a->backoff_ms * 2 : 100;
	if (a->backoff_ms > BACKOFF_MAX_MS)
		a->backoff_ms = BACKOFF_MAX_MS;
	a->next_retry_ms = agent_now_ms() + a->backoff_ms;
	agent_log(a, "watch lost (%s); resuming from revision %lld in %llu ms", a->store->err,
		  (long long)a->st.rev + 1, (unsigned long long)a->backoff_ms);
}

/* Resume the watch after the last revision applied (or resync first). */
static int ensure_watch(struct agent *a)
{
	if (a->watching)
		return 0;
	if (agent_now_ms() < a->next_retry_ms)
		return -1;
	if (a->need_resync && resync(a)) {
		watch_lost(a, STORE_E_IO);
		return -1;
	}
	int rc = a->store->ops->watch(a->store, a->book_prefix, a->st.rev + 1);
	if (rc) {
		watch_lost(a, rc);
		return -1;
	}
	a->watching = 1;
	a->backoff_ms = 0;
	a->st.watch_restarts++;
	return 0;
}

/* A NIC that lost its tables (reset, flash) gets everything again. */
static void check_nic(struct agent *a, uint64_t now)
{
	uint64_t gen;

	if (now < a->next_gen_ms)
		return;
	a->next_gen_ms = now + GEN_CHECK_MS;
	if (a->nic->ops->generation(a->nic, &gen))
		return;
	if (gen != a->nic_gen) {
		agent_log(a, "NIC was reset or reflashed: resync");
		a->nic_gen = gen;
		for (unsigned v = 0; v < a->n_ent; v++)
			memset(&a->ent[v].applied, 0, sizeof(a->ent[v].applied));
		a->need_resync = 1;
		a->watching = 0;
	}
}

/* Read every booking back now and then: what the NIC lost without a
 * reset (a VNIC destroyed and created again) is applied again. */
static void verify(struct agent *a, uint64_t now)
{
	if (now < a->next_verify_ms)
		return;
	a->next_verify_ms = now + a->verify_ms;
	agent_verify_all(a);
	a->state_dirty = 1;
}

static void retry_pending(struct agent *a, uint64_t now)
{
	if (now < a->next_pending_ms || !a->st.pending)
		return;
	for (unsigned v = 0; v < a->n_ent; v++) {
		struct entry *e = &a->ent[v];
		if (e->state == ENT_PENDING || e->state == ENT_NOVNIC || e->rec_retry) {
			e->dirty = 1;
			e->rec_retry = 0;
		}
	}
	agent_apply_dirty(a);
	a->next_pending_ms = now + RETRY_MS;
}

int agent_step(struct agent *a, int timeout_ms)
{
	uint64_t now = agent_now_ms();

	check_nic(a, now);
	if (ensure_watch(a) == 0) {
		int rc = a->store->ops->poll(a->store, timeout_ms, on_event, a);
		if (rc < 0)
			watch_lost(a, rc);
		if (rc != 0) {   /* events may have come before an error */
			agent_apply_dirty(a);
			a->state_dirty = 1;
		}
	} else {
		struct timespec ts = { 0, (timeout_ms < 100 ? timeout_ms : 100) * 1000000L };
		nanosleep(&ts, NULL);
	}
	if (a->pipe_dirty) {
		a->pipe_dirty = 0;
		agent_apply_dirty(a);
		a->state_dirty = 1;
	}
	now = agent_now_ms();
	retry_pending(a, now);
	verify(a, now);
	if (a->state_dirty && now >= a->next_save_ms) {
		agent_save(a);
		a->next_save_ms = now + SAVE_MS;
	}
	return 0;
}

int agent_save(struct agent *a)
{
	a->state_dirty = 0;
	return a->state_path ? agent_state_write(a) : 0;
}

int agent_booking(const struct agent *a, uint16_t v, struct booking *out)
{
	if (v >= a->n_ent || !a->ent[v].present || !a->ent[v].valid)
		return -1;
	*out = a->ent[v].b;
	return 0;
}

unsigned agent_vnic_span(const struct agent *a)
{
	return a->n_ent;
}

void agent_set_pipe_ceiling(struct agent *a, uint16_t v, uint64_t bps)
{
	struct entry *e = agent_entry(a, v, 0);

	if (!e || e->pipe_cap == bps)
		return;
	e->pipe_cap = bps;
	e->dirty = 1;
	a->pipe_dirty = 1;
}

const char *agent_node(const struct agent *a)
{
	return a->node;
}

const char *agent_cluster_prefix(const struct agent *a)
{
	return a->cluster_prefix;
}
