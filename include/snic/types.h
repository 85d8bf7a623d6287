/* SPDX-License-Identifier: MIT */
/*
 * Fixed-width types for the snic ABI, usable from firmware (freestanding),
 * user space and the Linux kernel alike.
 *
 * Everything in the device window is little-endian. Packet-derived fields
 * (classifier keys) are byte arrays in network order, so HDL, firmware and
 * host agree byte for byte without swapping.
 */
#ifndef SNIC_TYPES_H
#define SNIC_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

/* Compile-time layout checks; every ABI struct asserts its size. C++
 * (the Verilator glue, host tools) spells C11's _Static_assert differently. */
#ifdef __cplusplus
#define SNIC_STATIC_ASSERT static_assert
#else
#define SNIC_STATIC_ASSERT _Static_assert
#endif
#define SNIC_ASSERT_SIZE(type, bytes) \
	SNIC_STATIC_ASSERT(sizeof(type) == (bytes), #type " must be " #bytes " bytes")

#endif
