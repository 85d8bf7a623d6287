/* SPDX-License-Identifier: MIT */
/*
 * The few things the shared protocol code (snic_proto_*.c) takes from its
 * environment: fixed-width types, memcpy/memset, formatted error text and
 * the atomics of the window's index and lock words. One branch for the
 * kernel module, one for user space; nothing else differs.
 */
#ifndef SNIC_PROTO_ENV_H
#define SNIC_PROTO_ENV_H

#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/barrier.h>
#include <linux/atomic.h>

#define snic_proto_ld_acq(p)     smp_load_acquire(p)
#define snic_proto_st_rel(p, v)  smp_store_release(p, v)
#define snic_proto_ld64(p)       READ_ONCE(*(p))
/* Compare-and-swap; returns the value found (== old: swapped). */
#define snic_proto_cas(p, o, n)  cmpxchg(p, o, n)
#define snic_proto_cas_rel(p, o, n) cmpxchg_release(p, o, n)
#define snic_proto_fence()       smp_mb()

static inline uint64_t snic_proto_ns_to_ms(uint64_t ns)
{
	return div_u64(ns, 1000000u);
}
#else
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define snic_proto_ld_acq(p)     __atomic_load_n(p, __ATOMIC_ACQUIRE)
#define snic_proto_st_rel(p, v)  __atomic_store_n(p, v, __ATOMIC_RELEASE)
#define snic_proto_ld64(p)       __atomic_load_n(p, __ATOMIC_RELAXED)
#define snic_proto_fence()       __atomic_thread_fence(__ATOMIC_SEQ_CST)

static inline uint32_t snic_proto_cas(uint32_t *p, uint32_t old, uint32_t new_val)
{
	__atomic_compare_exchange_n(p, &old, new_val, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	return old;
}

static inline uint32_t snic_proto_cas_rel(uint32_t *p, uint32_t old, uint32_t new_val)
{
	__atomic_compare_exchange_n(p, &old, new_val, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
	return old;
}

static inline uint64_t snic_proto_ns_to_ms(uint64_t ns)
{
	return ns / 1000000u;
}
#endif

#endif
