/* SPDX-License-Identifier: MIT */
/*
 * Byte helpers for the freestanding firmware. The build passes
 * -fno-tree-loop-distribute-patterns so gcc does not turn these loops
 * back into calls to memcpy/memset, which a bare-metal target may lack.
 */
#include "fw_internal.h"


void fw_memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	while (n--)
		*d++ = *s++;
}

void fw_memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	while (n--)
		*d++ = (uint8_t)c;
}

int fw_memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

bool fw_is_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}
