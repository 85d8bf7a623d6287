/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "window.h"

int sim_window_create(struct sim_window *w, const char *path, uint32_t size)
{
	memset(w, 0, sizeof(*w));
	w->fd = open(path, O_RDWR | O_CREAT, 0666);
	if (w->fd < 0) {
		fprintf(stderr, "snic-sim: cannot open window %s: %s\n", path, strerror(errno));
		return -1;
	}
	/* Truncating to 0 first zeroes a window left over from an earlier run. */
	if (ftruncate(w->fd, 0) < 0 || ftruncate(w->fd, size) < 0) {
		fprintf(stderr, "snic-sim: cannot size window %s: %s\n", path, strerror(errno));
		close(w->fd);
		return -1;
	}
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, w->fd, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "snic-sim: cannot map window %s: %s\n", path, strerror(errno));
		close(w->fd);
		return -1;
	}
	w->base = p;
	w->size = size;
	return 0;
}

void sim_window_close(struct sim_window *w)
{
	if (w->base)
		munmap(w->base, w->size);
	if (w->fd >= 0)
		close(w->fd);
	w->base = NULL;
	w->fd = -1;
}

const struct snic_blk_queues *sim_window_queues(const uint8_t *win, uint32_t size, uint32_t type)
{
	uint32_t off = 0;

	/* The firmware writes the chain, but the host can write any byte of
	 * the window: bounded walk, every block checked to lie inside. */
	for (unsigned n = 0; n < 64; n++) {
		if (size < sizeof(struct snic_blk_queues) || off > size - sizeof(struct snic_blk_queues))
			return NULL;
		const struct snic_blk_queues *q = (const void *)(win + off);
		if (q->hdr.type == type) {
			uint64_t end = q->first + (uint64_t)q->stride * q->count;
			return end <= size ? q : NULL;
		}
		if (!q->hdr.next)
			return NULL;
		off = q->hdr.next;
	}
	return NULL;
}
