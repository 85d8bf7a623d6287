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

/*
 * Multi-byte fields of the device window and of every ABI struct are
 * little-endian, and their types say so. The kernel gets its own __le
 * types (sparse then flags a field read without le*_to_cpu); firmware,
 * simulator and tools run on little-endian CPUs only (x86-64, rv32; the
 * build checks) and use them as plain integers.
 */
#ifdef __KERNEL__
typedef __le16 snic_le16;
typedef __le32 snic_le32;
typedef __le64 snic_le64;
#else
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "snic's ABI is little-endian: the host tools and firmware need a little-endian CPU"
#endif
typedef uint16_t snic_le16;
typedef uint32_t snic_le32;
typedef uint64_t snic_le64;
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
