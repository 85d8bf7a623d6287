// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the booking record parser (hostdrv/bookd/booking.c), which
 * reads records any client of the shared store may have written, and the
 * key -> VNIC mapping of the store's keys.
 *
 * Input: 2 bytes of key VNIC (0xffff: the record names it), then the JSON.
 * Checked besides memory safety: a refusal says why; an accepted record
 * is within the documented bounds and survives format -> parse unchanged.
 */
#include <string.h>
#include "booking.h"
#include "fuzz_util.h"

static void in_bounds(const struct booking *b)
{
	FZ_CHECK(b->prio <= BOOKING_PRIO_MAX);
	FZ_CHECK(b->out_bps == 0 || (b->out_bps >= BOOKING_RATE_MIN && b->out_bps <= BOOKING_RATE_MAX));
	FZ_CHECK(b->in_bps == 0 || (b->in_bps >= BOOKING_RATE_MIN && b->in_bps <= BOOKING_RATE_MAX));
	FZ_CHECK(b->cpu >= 0 && b->cpu <= BOOKING_CPU_MAX);
	FZ_CHECK(memchr(b->pipe, 0, sizeof(b->pipe)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct booking b, again;
	char why[BOOKING_REASON_MAX + 1], buf[1024];

	if (size < 2)
		return 0;
	int key_vnic = data[0] | data[1] << 8;
	if (key_vnic == 0xffff)
		key_vnic = -1;
	/* The JSON without a terminator, in a buffer of exactly its size. */
	char *json = malloc(size - 2 ? size - 2 : 1);
	memcpy(json, data + 2, size - 2);
	why[0] = 0;
	if (booking_parse(json, size - 2, key_vnic, &b, why, sizeof(why)) != 0) {
		FZ_CHECK(why[0] && memchr(why, 0, sizeof(why)));
	} else {
		in_bounds(&b);
		int n = booking_format(&b, buf, sizeof(buf));
		FZ_CHECK(n > 0 && (size_t)n < sizeof(buf));
		FZ_CHECK(booking_parse(buf, (size_t)n, key_vnic, &again, why, sizeof(why)) == 0);
		FZ_CHECK(b.vnic == again.vnic && b.prio == again.prio && b.has_cap == again.has_cap);
		FZ_CHECK(b.out_bps == again.out_bps && b.in_bps == again.in_bps);
		FZ_CHECK(b.comm_bps == again.comm_bps && (!b.has_cap || b.cap_bps == again.cap_bps));
		FZ_CHECK(b.cpu == again.cpu && !strcmp(b.pipe, again.pipe));
	}
	/* The same bytes as a store key (NUL-terminated copy). */
	char *key = malloc(size - 1);
	memcpy(key, data + 2, size - 2);
	key[size - 2] = 0;
	int v = booking_key_vnic(key, "/snic/bookings/");
	FZ_CHECK(v >= -1 && v <= 0xffff);
	free(key);
	free(json);
	return 0;
}
