/* SPDX-License-Identifier: MIT */
/* Reading snic-bookd's state snapshot (agent_state.c writes it) back, for
 * `snicctl booking show` and the tests. */
#ifndef SNIC_BOOKD_SNAPSHOT_H
#define SNIC_BOOKD_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "booking.h"
#include "nic.h"

struct snap_booking {
	uint16_t vnic;
	char     state[24];
	int64_t  booking_rev;        /* of the last record seen */
	int64_t  good_rev;           /* of the booking in force (req) */
	uint32_t applies;
	struct booking req;          /* as requested (has_cap: cap != 0) */
	uint64_t granted_out, granted_in;
	struct nic_booking nic;      /* what the agent made the NIC hold */
	char     reason[BOOKING_REASON_MAX];
};

struct snapshot {
	char     node[64], store[16], nic[16];
	char     prefix[512];        /* the node's key prefix */
	uint64_t nic_gen;            /* the NIC's generation when written */
	int64_t  rev, updated;
	int      pid;
	size_t   n;
	struct snap_booking *b;
};

/* 0, or -1 with the reason in err. */
int snapshot_read(const char *path, struct snapshot *out, char *err, size_t errlen);
void snapshot_free(struct snapshot *s);

#endif
