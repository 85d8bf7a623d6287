/* SPDX-License-Identifier: MIT */
/*
 * A node on a shared pipe (docs/bookings.md, "Shared pipes"): every
 * interval it publishes its booked and unbooked demand under a store
 * lease (the live leases are the membership: a dead node's share goes to
 * the survivors when its lease expires), reads everyone's, computes its
 * own entitlement with pipe_alloc, splits that among its VNICs with the
 * same rule, and makes each VNIC's pipe entitlement its TX ceiling.
 */
#ifndef SNIC_BOOKD_PIPE_AGENT_H
#define SNIC_BOOKD_PIPE_AGENT_H

#include <stdint.h>

#include "agent.h"
#include "nic.h"
#include "store.h"

#define PIPE_INTERVAL_DEFAULT_MS 50
#define PIPE_LEASE_TTL_S 2

struct pipe_agent_opts {
	const char *name;          /* pipe name */
	unsigned interval_ms;      /* 10..100 */
	unsigned lease_ttl_s;      /* membership: 0 means PIPE_LEASE_TTL_S */
};

struct pipe_agent;

struct pipe_agent *pipe_agent_new(struct store *s, struct nic *n, struct agent *a,
				  const struct pipe_agent_opts *o, char *err, size_t errlen);
void pipe_agent_free(struct pipe_agent *p);
/* Publish, read, allocate when an interval is due. */
void pipe_agent_step(struct pipe_agent *p);

#endif
