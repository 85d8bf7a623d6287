/* SPDX-License-Identifier: MIT */
/*
 * Shared by the fuzz targets: an invariant that does not hold is a
 * finding like a crash (libFuzzer keeps the input that broke it).
 */
#ifndef SNIC_FUZZ_UTIL_H
#define SNIC_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FZ_CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
