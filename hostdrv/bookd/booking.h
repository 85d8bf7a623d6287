/* SPDX-License-Identifier: MIT */
/*
 * Booking records (docs/bookings.md): one JSON document per VNIC under
 *   PREFIX/CLUSTER/nodes/NODE/bookings/VNIC
 * versioned ("v": 1). Everything the agent reads from the store goes
 * through booking_parse, which trusts nothing: a record it refuses gets a
 * reason, and changes nothing on the NIC.
 */
#ifndef SNIC_BOOKD_BOOKING_H
#define SNIC_BOOKD_BOOKING_H

#include <stddef.h>
#include <stdint.h>

#define BOOKING_VERSION   1
#define BOOKING_RATE_MIN  1000ull            /* 1 kbit/s */
#define BOOKING_RATE_MAX  1600000000000ull   /* 1.6 Tbit/s: anything above is a typo */
#define BOOKING_PRIO_MAX  7
#define BOOKING_CPU_MAX   4096.0             /* cores */
#define BOOKING_PIPE_MAX  63                 /* name length */
#define BOOKING_REASON_MAX 200

struct booking {
	uint16_t vnic;
	uint8_t  prio;          /* share priority 0..7 (0: lowest, the default) */
	uint8_t  has_cap;
	uint64_t out_bps;       /* TX guarantee; 0: none */
	uint64_t in_bps;        /* RX guarantee; 0: none */
	uint64_t comm_bps;      /* booked rate on the shared pipe; 0: none */
	uint64_t cap_bps;       /* TX ceiling; valid when has_cap */
	double   cpu;           /* cores: carried and shown, not enforced */
	char     pipe[BOOKING_PIPE_MAX + 1];  /* shared pipe of `comm`; "" = "internal" */
};

/*
 * Parse and check one record. key_vnic: the VNIC id taken from the key
 * (-1: not known; then "vnic" is required). Returns 0, or -1 with a
 * reason an operator can act on in `why`.
 */
int booking_parse(const char *json, size_t len, int key_vnic, struct booking *out,
		  char *why, size_t whylen);

/* The record as JSON (canonical: rates as integers in bit/s). */
int booking_format(const struct booking *b, char *buf, size_t len);

/*
 * Key layout. booking_key_vnic: the VNIC id at the end of a booking key
 * under `prefix` (…/bookings/), or -1 if the key is not one.
 */
int booking_key_vnic(const char *key, const char *prefix);

#endif
