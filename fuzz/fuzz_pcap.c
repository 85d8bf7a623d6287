// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the simulator's pcap reader (sim/pcap_io.c), the way
 * snic-sim loads a trace file a user hands it.
 *
 * Input: the file's bytes (in a memfd, opened by path like a file).
 * Checked besides memory safety: a load either fails cleanly or returns
 * only whole frames (each copy exactly its length, readable end to end),
 * and the loaded and skipped records never exceed what the file can hold.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "pcap_io.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	struct sim_trace t;

	if (fd < 0) {
		fd = memfd_create("fuzz-pcap", 0);
		FZ_CHECK(fd >= 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	FZ_CHECK(ftruncate(fd, 0) == 0);
	FZ_CHECK(pwrite(fd, data, size, 0) == (ssize_t)size);
	if (sim_trace_load(&t, path) != 0) {
		FZ_CHECK(t.count == 0 && t.frames == NULL);
		return 0;
	}
	/* A pcap record header is 16 bytes: no more records than that allows. */
	FZ_CHECK((uint64_t)t.count + t.truncated <= size / 16);
	volatile uint8_t sum = 0;
	for (uint32_t i = 0; i < t.count; i++) {
		FZ_CHECK(t.frames[i].data != NULL);
		for (uint32_t k = 0; k < t.frames[i].len; k++)
			sum ^= t.frames[i].data[k];
	}
	(void)sum;
	sim_trace_free(&t);
	return 0;
}
