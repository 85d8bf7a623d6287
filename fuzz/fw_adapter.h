/* SPDX-License-Identifier: MIT */
/*
 * The firmware as the admin fuzz target drives it: through the unit
 * tests' host-side helpers (tests/unit/test_fw_util.c) on the fake HAL.
 * Only fw_adapter.c names them, so a change in how the firmware is
 * booted or polled is made in one place.
 */
#ifndef SNIC_FUZZ_FW_ADAPTER_H
#define SNIC_FUZZ_FW_ADAPTER_H

#include <stdint.h>
#include <snic/abi.h>

/* Boot a fresh fake card of `profile` ("small", "large") with an
 * erased in-memory flash attached. */
void fwa_boot(const char *profile);
/* One admin command through the ring; the completion status. */
int fwa_admin(uint16_t opcode, const void *payload, uint32_t len, struct snic_admin_cpl *cpl);
/* Window bytes at `off`. */
void *fwa_win(uint64_t off);
/* A frame from the wire on `port` (processed by the next fwa_admin). */
void fwa_frame(const uint8_t *frame, uint32_t len, uint8_t port);

#endif
