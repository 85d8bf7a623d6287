/* SPDX-License-Identifier: MIT */
/*
 * What the agent shows of itself: a JSON snapshot of every booking as
 * applied (read by `snicctl booking show`), replaced atomically, and an
 * append-only journal with one line per change it made on the NIC, so
 * that "applied exactly once" can be checked from outside.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>

#include "agent_internal.h"
#include "snapshot.h"

static const char *state_name(uint8_t s)
{
	switch (s) {
	case ENT_APPLIED: return "applied";
	case ENT_PARTIAL: return "partial";
	case ENT_INVALID: return "bad_record";
	case ENT_NOVNIC:  return "unknown_vnic";
	case ENT_REFUSED: return "refused_by_nic";
	case ENT_PENDING: return "pending";
	default:          return "none";
	}
}

static void write_entry(FILE *f, uint16_t v, const struct entry *e, int first)
{
	const struct booking *b = &e->b;

	fprintf(f, "%s\n    {\"vnic\":%u,\"state\":\"%s\",\"booking_rev\":%" PRId64
		",\"good_rev\":%" PRId64 ",\"applies\":%u,", first ? "" : ",", v,
		state_name(e->state), e->mod_rev, e->good_rev, e->applies);
	fprintf(f, "\"requested\":{\"out\":%" PRIu64 ",\"in\":%" PRIu64 ",\"comm\":%" PRIu64
		",\"cap\":%" PRIu64 ",\"priority\":%u,\"cpu\":%g,\"pipe\":\"%s\"},",
		b->out_bps, b->in_bps, b->comm_bps, b->has_cap ? b->cap_bps : 0, b->prio, b->cpu,
		b->pipe);
	fprintf(f, "\"granted\":{\"out\":%" PRIu64 ",\"in\":%" PRIu64 "},", e->want.min_bps,
		e->want.rx_bps);
	fprintf(f, "\"nic\":{\"min\":%" PRIu64 ",\"cap\":%" PRIu64 ",\"rx\":%" PRIu64
		",\"rx_cap\":%" PRIu64 ",\"priority\":%u},", e->applied.min_bps, e->applied.cap_bps,
		e->applied.rx_bps, e->applied.rx_cap_bps, e->applied.prio);
	fprintf(f, "\"reason\":\"%s\"}", e->why);
}

int agent_state_write(struct agent *a)
{
	char tmp[4096 + 8];
	const struct agent_stats *s = &a->st;
	int first = 1;

	snprintf(tmp, sizeof(tmp), "%s.tmp", a->state_path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		agent_log(a, "cannot write %s", tmp);
		return -1;
	}
	fprintf(f, "{\"v\":1,\"node\":\"%s\",\"prefix\":\"%s\",\"store\":\"%s\",\"nic\":\"%s\","
		"\"pid\":%d,\"updated\":%lld,\"rev\":%" PRId64 ",\"nic_gen\":%" PRIu64 ",\n",
		a->node, a->node_prefix, a->store->ops->name, a->nic->ops->name, (int)getpid(),
		(long long)time(NULL), s->rev, a->nic_gen);
	fprintf(f, " \"stats\":{\"events\":%" PRIu64 ",\"applies\":%" PRIu64 ",\"skipped\":%" PRIu64
		",\"bad_records\":%" PRIu64 ",\"partial\":%" PRIu64 ",\"rollbacks\":%" PRIu64
		",\"resyncs\":%" PRIu64 ",\"resumes\":%" PRIu64 ",\"store_errors\":%" PRIu64
		",\"nic_errors\":%" PRIu64
		",\"watch_restarts\":%" PRIu64 ",\"bookings\":%u,\"pending\":%u},\n",
		s->events, s->applies, s->skipped, s->bad_records, s->partial, s->rollbacks,
		s->resyncs, s->resumes, s->store_errors, s->nic_errors, s->watch_restarts, s->bookings,
		s->pending);
	fprintf(f, " \"bookings\":[");
	for (unsigned v = 0; v < a->n_ent; v++) {
		const struct entry *e = &a->ent[v];
		if (!e->present && e->state == ENT_NONE && !e->applied.rx_cap_bps)
			continue;
		write_entry(f, (uint16_t)v, e, first);
		first = 0;
	}
	fprintf(f, "\n ]}\n");
	if (fflush(f) || ferror(f)) {
		fclose(f);
		unlink(tmp);
		agent_log(a, "cannot write %s", tmp);
		return -1;
	}
	fclose(f);
	if (rename(tmp, a->state_path)) {
		agent_log(a, "cannot replace %s", a->state_path);
		return -1;
	}
	return 0;
}

#define JOURNAL_MAX (16l << 20)   /* bytes, then it moves to FILE.1 */

/* A long-running agent keeps one old journal beside the current one. The
 * lock moves with the file: take it on the new one before letting go. */
static void journal_rotate(struct agent *a)
{
	char old[4096 + 4];
	FILE *f;

	if (ftell(a->journal) < JOURNAL_MAX)
		return;
	snprintf(old, sizeof(old), "%s.1", a->log_path);
	if (rename(a->log_path, old) || !(f = fopen(a->log_path, "a"))) {
		agent_log(a, "cannot rotate %s", a->log_path);
		return;
	}
	flock(fileno(f), LOCK_EX | LOCK_NB);
	fclose(a->journal);
	a->journal = f;
}

void agent_journal(struct agent *a, uint16_t v, const struct nic_booking *b, const char *why)
{
	const struct entry *e = agent_entry(a, v, 0);

	if (!a->journal || !e)
		return;
	journal_rotate(a);
	fprintf(a->journal, "vnic=%u rev=%" PRId64 " min=%" PRIu64 " cap=%" PRIu64 " rx=%" PRIu64
		" prio=%u nic_gen=%" PRIu64 " rx_cap=%" PRIu64 "%s%s\n", v, e->good_rev, b->min_bps,
		b->cap_bps, b->rx_bps, b->prio, a->nic_gen, b->rx_cap_bps, why ? " " : "",
		why ? why : "");
	fflush(a->journal);
}

static uint8_t state_of(const char *name)
{
	static const char *const names[] = { "none", "applied", "partial", "bad_record",
					     "unknown_vnic", "refused_by_nic", "pending" };

	for (uint8_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return i;
	return ENT_PENDING;
}

static void restore_entry(struct agent *a, const struct snap_booking *sb)
{
	struct entry *e = agent_entry(a, sb->vnic, 1);

	if (!e)
		return;
	e->state = state_of(sb->state);
	e->present = e->state != ENT_NONE;
	e->mod_rev = sb->booking_rev;
	e->good_rev = sb->good_rev;
	e->valid = sb->good_rev != 0;
	e->bad = e->state == ENT_INVALID;
	e->b = sb->req;
	e->applies = sb->applies;
	e->applied = sb->nic;
	e->want.min_bps = sb->granted_out;
	e->want.rx_bps = sb->granted_in;
	e->want.rx_cap_bps = sb->nic.rx_cap_bps;
	if (e->state == ENT_APPLIED || e->state == ENT_PARTIAL || e->bad) {
		e->applied_rev = sb->good_rev;
		e->granted = (struct nic_booking){ .min_bps = sb->granted_out, .rx_bps = sb->granted_in,
						   .cap_bps = sb->nic.cap_bps, .prio = sb->nic.prio };
	}
	/* Which error and alarm records exist is read from the store (the
	 * snapshot may be up to SAVE_MS old): agent.c, record_flags(). */
	snprintf(e->why, sizeof(e->why), "%s", sb->reason);
	e->dirty = 1;
}

/*
 * A restart starts from the snapshot, if it is this agent's (same node,
 * prefix, store and NIC): it knows its records and each VNIC's last good
 * booking again. Returns 0 when the NIC was not reset since either (the
 * watch goes on from the revision applied, no list), 1 when it was (a
 * list of the bookings), -1 without a usable snapshot (a full list).
 */
int agent_state_load(struct agent *a)
{
	struct snapshot s;
	char err[256];
	uint64_t gen;
	int rc = -1;

	if (!a->state_path || snapshot_read(a->state_path, &s, err, sizeof(err)))
		return -1;
	if (!strcmp(s.node, a->node) && !strcmp(s.prefix, a->node_prefix) &&
	    !strcmp(s.store, a->store->ops->name) && !strcmp(s.nic, a->nic->ops->name) &&
	    s.rev > 0) {
		for (size_t i = 0; i < s.n; i++)
			restore_entry(a, &s.b[i]);
		a->st.rev = s.rev;
		rc = a->nic->ops->generation(a->nic, &gen) == NIC_OK && gen == s.nic_gen ? 0 : 1;
	}
	snapshot_free(&s);
	return rc;
}
