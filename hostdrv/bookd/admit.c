/* SPDX-License-Identifier: MIT */
/* Admission control: grants kept, the free part to the oldest (admit.h). */
#include <stdlib.h>

#include "admit.h"

static int by_order(const void *a, const void *b)
{
	const struct admit_req *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x->tag < y->tag ? -1 : x->tag > y->tag;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

size_t admit_split(uint64_t capacity, struct admit_req *reqs, size_t n)
{
	uint64_t kept = 0, left;
	size_t partial = 0;
	int fresh = 0;

	qsort(reqs, n, sizeof(*reqs), by_order);
	for (size_t i = 0; i < n && !fresh; i++) {
		uint64_t k = min64(reqs[i].want, reqs[i].held);
		fresh = k > capacity - kept;   /* held more than there is */
		kept += fresh ? 0 : k;
	}
	left = fresh ? capacity : capacity - kept;
	for (size_t i = 0; i < n; i++)
		reqs[i].granted = fresh ? 0 : min64(reqs[i].want, reqs[i].held);
	for (size_t i = 0; i < n; i++) {
		uint64_t add = min64(reqs[i].want - reqs[i].granted, left);
		reqs[i].granted += add;
		left -= add;
		partial += reqs[i].granted < reqs[i].want;
	}
	return partial;
}
