/* SPDX-License-Identifier: MIT */
/*
 * The booking agent (docs/bookings.md): mirrors its node's bookings from
 * a store into a NIC. It lists them, applies them, then watches from the
 * revision after the list; after a watch loss it resumes from the last
 * revision it saw, after a compaction or a NIC reset it resyncs: every
 * booking against what the NIC holds (read back), applying only what
 * differs, so nothing is lost, stale or applied twice.
 *
 * One struct agent per (store, NIC) pair; several can run in one process.
 */
#ifndef SNIC_BOOKD_AGENT_H
#define SNIC_BOOKD_AGENT_H

#include <stdint.h>
#include <stdio.h>

#include "booking.h"
#include "nic.h"
#include "store.h"

#define AGENT_PREFIX_DEFAULT  "/snic/v1"
#define AGENT_CLUSTER_DEFAULT "default"
#define AGENT_NAME_MAX 64
#define AGENT_KEY_MAX 512

struct agent_opts {
	const char *prefix;      /* NULL: AGENT_PREFIX_DEFAULT */
	const char *cluster;     /* NULL: AGENT_CLUSTER_DEFAULT */
	const char *node;        /* required */
	const char *state_path;  /* JSON snapshot for `snicctl booking show`; NULL: none */
	const char *log_path;    /* apply journal, one line per NIC apply; NULL: none */
	FILE *log;               /* messages; NULL: stderr */
	int verbose;
	unsigned verify_ms;      /* read every booking back this often; 0: 5000 */
	int no_resume;           /* start with a full list even with a snapshot
				  * (an agent that will not watch: --once) */
};

struct agent_stats {
	uint64_t events;         /* store changes received */
	uint64_t applies;        /* NIC apply calls that succeeded */
	uint64_t skipped;        /* resync found the NIC already right */
	uint64_t bad_records;    /* refused records */
	uint64_t partial;        /* grants smaller than the request */
	uint64_t rollbacks;      /* NIC changes undone: grant not stored */
	uint64_t resyncs;        /* full list-and-compare passes */
	uint64_t store_errors;   /* failed store calls (retried) */
	uint64_t nic_errors;     /* failed NIC calls (retried) */
	uint64_t watch_restarts; /* watches resumed from the last revision */
	uint64_t resumes;        /* starts from the snapshot, without a list */
	int64_t  rev;            /* last store revision applied */
	unsigned bookings;       /* bookings held */
	unsigned pending;        /* bookings waiting for a retry */
};

struct agent;

struct agent *agent_new(struct store *s, struct nic *n, const struct agent_opts *o,
			char *err, size_t errlen);
void agent_free(struct agent *a);
/* First list-and-apply. Fails only if the store cannot be read. */
int agent_start(struct agent *a);
/* One round: wait up to timeout_ms for changes, apply them, check the
 * NIC's generation, retry what is pending. Returns 0 (errors are logged,
 * counted and retried). */
int agent_step(struct agent *a, int timeout_ms);
const struct agent_stats *agent_stats(const struct agent *a);
/* Write the state snapshot now (it is otherwise throttled). */
int agent_save(struct agent *a);
/* For the shared pipe (pipe_agent.c): VNIC v's accepted booking (0) or
 * -1; and a ceiling from the pipe's entitlement (0: none), applied with
 * the booking's own cap (the lower one holds). */
int agent_booking(const struct agent *a, uint16_t v, struct booking *out);
unsigned agent_vnic_span(const struct agent *a);
void agent_set_pipe_ceiling(struct agent *a, uint16_t v, uint64_t bps);
const char *agent_node(const struct agent *a);
const char *agent_cluster_prefix(const struct agent *a);

/* One line on the agent's log, stamped with time and node. */
void agent_log(struct agent *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Milliseconds on the monotonic clock (shared with the tools). */
uint64_t agent_now_ms(void);

#endif
