/* SPDX-License-Identifier: MIT */
/* The agent's private state, shared by agent.c, agent_apply.c, agent_state.c. */
#ifndef SNIC_BOOKD_AGENT_INTERNAL_H
#define SNIC_BOOKD_AGENT_INTERNAL_H

#include "agent.h"
#include "booking.h"


/* What one VNIC's booking is in the agent. */
enum entry_state {
	ENT_NONE = 0,      /* no booking */
	ENT_APPLIED,       /* the NIC holds the grant, the grant is stored */
	ENT_PARTIAL,       /* as APPLIED, granted less than asked (alarm raised) */
	ENT_INVALID,       /* the record was refused (error record) */
	ENT_NOVNIC,        /* no such VNIC on the NIC (error record; retried) */
	ENT_REFUSED,       /* the NIC refused the values (error record) */
	ENT_PENDING,       /* NIC or store failed: retried */
};

struct entry {
	uint8_t  present;       /* a record exists in the store */
	uint8_t  valid;         /* `b` holds an accepted booking */
	uint8_t  dirty;         /* needs an apply/compare */
	uint8_t  uplink_known;
	uint8_t  uplink;
	uint8_t  state;         /* enum entry_state */
	uint8_t  has_error_rec, has_alarm_rec;
	uint8_t  bad;           /* the latest record was refused */
	uint8_t  gone;          /* deleted since the last good record */
	uint8_t  rec_retry;     /* an error/alarm record write failed: retry */
	struct booking b;       /* last accepted record */
	int64_t  mod_rev;       /* of the last record seen (valid or not) */
	int64_t  good_rev;      /* of `b` */
	struct nic_booking want;    /* after admission */
	struct nic_booking applied; /* what the NIC was last made to hold */
	int64_t  applied_rev;   /* good_rev the grant record was stored for */
	struct nic_booking granted; /* what that grant record says */
	uint64_t pipe_cap;      /* ceiling from the shared pipe; 0: none */
	uint32_t applies;
	char     why[BOOKING_REASON_MAX];
};

struct agent {
	struct store *store;
	struct nic *nic;
	FILE *log;
	int verbose;
	int no_resume;          /* agent_opts.no_resume */
	unsigned verify_ms;
	char node_prefix[AGENT_KEY_MAX];     /* PREFIX/CLUSTER/nodes/NODE/ */
	char book_prefix[AGENT_KEY_MAX + 16]; /* ...bookings/ */
	char node[AGENT_NAME_MAX];
	char cluster_prefix[AGENT_KEY_MAX];  /* PREFIX/CLUSTER/ */
	char *state_path, *log_path;         /* owned copies */
	FILE *journal;                       /* apply journal */
	struct entry *ent;                   /* by VNIC id */
	unsigned n_ent;                      /* allocated */
	uint64_t nic_gen;
	int watching;
	int need_resync;
	int synced;           /* a resync read the node's records: they are known */
	int pipe_dirty;
	uint64_t next_retry_ms;    /* watch: next try after a loss */
	uint64_t next_pending_ms;  /* pending bookings: next retry */
	uint64_t next_gen_ms, next_save_ms, next_verify_ms, backoff_ms;
	int state_dirty;
	struct agent_stats st;
};

/* agent.c */
struct entry *agent_entry(struct agent *a, uint16_t vnic, int create);

/* agent_apply.c: admission over every uplink with a dirty entry, then
 * apply each dirty entry (NIC, then grant/alarm/error records). */
void agent_apply_dirty(struct agent *a);
/* Compare every booking with the NIC again (agent.c calls it now and then). */
void agent_verify_all(struct agent *a);
/* A store record for VNIC v changed (val NULL: deleted). */
void agent_record(struct agent *a, uint16_t vnic, const char *val, size_t len,
		  int64_t mod_rev);

/* agent_state.c */
int agent_state_write(struct agent *a);
/* Resume from the snapshot (0), or -1: start with a full list. */
int agent_state_load(struct agent *a);
void agent_journal(struct agent *a, uint16_t vnic, const struct nic_booking *b, const char *why);

#endif
