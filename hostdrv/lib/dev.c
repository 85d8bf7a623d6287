/* SPDX-License-Identifier: MIT */
/*
 * Device window: map it, find the device id at offset 0, walk the block
 * chain and keep checked copies of the block layouts. Unknown block types
 * are skipped; every offset and size is checked against the window before
 * anything behind it is read.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "snic_impl.h"

int snic_seterr(struct snic_dev *d, int code, const char *fmt, ...)
{
	va_list ap;

	d->err = code;
	va_start(ap, fmt);
	vsnprintf(d->errmsg, sizeof(d->errmsg), fmt, ap);
	va_end(ap);
	return code;
}

const char *snic_errmsg(const struct snic_dev *d)
{
	return d->errmsg[0] ? d->errmsg : "no error";
}

uint64_t snic_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Spin briefly first (the simulator answers fast), then sleep. */
void snic_backoff(unsigned *spins)
{
	if (*spins < 64) {
		(*spins)++;
		sched_yield();
		return;
	}
	struct timespec ts = { 0, 100 * 1000 };
	nanosleep(&ts, NULL);
}

struct snic_dev *snic_alloc(void)
{
	struct snic_dev *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->fd = -1;
	d->state_fd = -1;
	d->timeout_ms = SNIC_DEFAULT_TIMEOUT_MS;
	return d;
}

void snic_set_timeout(struct snic_dev *d, unsigned ms)
{
	d->timeout_ms = ms;
}

const char *snic_path(const struct snic_dev *d)
{
	return d->path[0] ? d->path : "(memory)";
}

void snic_close(struct snic_dev *d)
{
	if (!d)
		return;
	for (unsigned r = 0; r < d->n_rx; r++)
		snic_rx_stop(d, r);
	for (unsigned r = 0; r < d->n_tx; r++)
		snic_tx_stop(d, r);
	if (d->map_size)
		munmap(d->win, d->map_size);
	if (d->fd >= 0)
		close(d->fd);
	snic_mirror_end(d, 0);
	free(d->mirror);
	free(d);
}

static const char *block_name(uint32_t type)
{
	switch (type) {
	case SNIC_BLK_DEVID: return "DEVID";
	case SNIC_BLK_FW:    return "FW";
	case SNIC_BLK_ADMIN: return "ADMIN";
	case SNIC_BLK_CAPS:  return "CAPS";
	case SNIC_BLK_RXQ:   return "RXQ";
	case SNIC_BLK_TXQ:   return "TXQ";
	case SNIC_BLK_STATS: return "STATS";
	case SNIC_BLK_DMA:   return "DMA";
	case SNIC_BLK_VSTATS: return "VSTATS";
	}
	return NULL;
}

/* Minimum size of a known block type; 0 for unknown types. */
static uint32_t block_min_size(uint32_t type)
{
	switch (type) {
	case SNIC_BLK_DEVID: return sizeof(struct snic_blk_devid);
	case SNIC_BLK_FW:    return sizeof(struct snic_blk_fw);
	case SNIC_BLK_ADMIN: return sizeof(struct snic_blk_admin);
	case SNIC_BLK_CAPS:  return sizeof(struct snic_blk_caps);
	case SNIC_BLK_RXQ:
	case SNIC_BLK_TXQ:   return sizeof(struct snic_blk_queues);
	case SNIC_BLK_STATS: return sizeof(struct snic_blk_stats);
	case SNIC_BLK_DMA:   return sizeof(struct snic_blk_dma);
	case SNIC_BLK_VSTATS: return sizeof(struct snic_blk_vstats);
	}
	return 0;
}

static uint32_t *block_slot(struct snic_dev *d, uint32_t type)
{
	switch (type) {
	case SNIC_BLK_DEVID: return &d->off_devid;
	case SNIC_BLK_FW:    return &d->off_fw;
	case SNIC_BLK_ADMIN: return &d->off_admin;
	case SNIC_BLK_CAPS:  return &d->off_caps;
	case SNIC_BLK_RXQ:   return &d->off_rxq;
	case SNIC_BLK_TXQ:   return &d->off_txq;
	case SNIC_BLK_STATS: return &d->off_stats;
	case SNIC_BLK_DMA:   return &d->off_dma;
	case SNIC_BLK_VSTATS: return &d->off_vstats;
	}
	return NULL;
}

static int check_admin(struct snic_dev *d, uint32_t off)
{
	struct snic_blk_admin *a = &d->admin;

	memcpy(a, d->win + off, sizeof(*a));
	if (!snic_is_pow2(a->entries) || a->entries > 4096)
		return snic_seterr(d, SNIC_ERR_BLOCK,
				   "ADMIN block: %u entries is not a power of two in 1..4096",
				   a->entries);
	uint64_t bytes = (uint64_t)a->entries * sizeof(struct snic_admin_cmd);
	if (a->cmd_off % 8 || !snic_in_window(d, a->cmd_off, bytes))
		return snic_seterr(d, SNIC_ERR_BLOCK,
				   "ADMIN block: command ring at 0x%x (+%llu) outside the window",
				   a->cmd_off, (unsigned long long)bytes);
	if (a->cpl_off % 8 || !snic_in_window(d, a->cpl_off, bytes))
		return snic_seterr(d, SNIC_ERR_BLOCK,
				   "ADMIN block: completion ring at 0x%x (+%llu) outside the window",
				   a->cpl_off, (unsigned long long)bytes);
	return 0;
}

static int check_queues(struct snic_dev *d, uint32_t off, struct snic_blk_queues *q,
			const char *name)
{
	memcpy(q, d->win + off, sizeof(*q));
	if (q->count > SNIC_LIB_MAX_RINGS)
		return snic_seterr(d, SNIC_ERR_BLOCK, "%s block: %u rings (the library handles %u)",
				   name, q->count, SNIC_LIB_MAX_RINGS);
	if (q->count && (q->stride < sizeof(struct snic_rxq) || q->stride % 8))
		return snic_seterr(d, SNIC_ERR_BLOCK, "%s block: ring stride %u too small or unaligned",
				   name, q->stride);
	if (q->first % 8 || !snic_in_window(d, q->first, (uint64_t)q->count * q->stride))
		return snic_seterr(d, SNIC_ERR_BLOCK,
				   "%s block: %u rings of %u bytes at 0x%x outside the window",
				   name, q->count, q->stride, q->first);
	return 0;
}

/* Per-VNIC counter entries: aligned 64-bit words inside the window. */
static int check_vstats(struct snic_dev *d, uint32_t off)
{
	struct snic_blk_vstats *v = &d->vstats;

	memcpy(v, d->win + off, sizeof(*v));
	if (off % 8 || v->first % 8 || v->stride % 8 ||
	    (v->count && v->stride < sizeof(struct snic_vnic_stats)))
		return snic_seterr(d, SNIC_ERR_BLOCK,
				   "VSTATS block: entries of %u bytes at 0x%x unaligned or smaller "
				   "than %zu", v->stride, v->first, sizeof(struct snic_vnic_stats));
	if (v->count > 0xffff || !snic_in_window(d, v->first, (uint64_t)v->count * v->stride))
		return snic_seterr(d, SNIC_ERR_BLOCK,
				   "VSTATS block: %u entries of %u bytes at 0x%x outside the window",
				   v->count, v->stride, v->first);
	return 0;
}

static int check_block(struct snic_dev *d, uint32_t off, uint32_t type)
{
	switch (type) {
	case SNIC_BLK_ADMIN:
		return check_admin(d, off);
	case SNIC_BLK_RXQ:
		return check_queues(d, off, &d->rxq, "RXQ");
	case SNIC_BLK_TXQ:
		return check_queues(d, off, &d->txq, "TXQ");
	case SNIC_BLK_DMA:
		memcpy(&d->dma, d->win + off, sizeof(d->dma));
		if (!snic_in_window(d, d->dma.base, d->dma.size))
			return snic_seterr(d, SNIC_ERR_BLOCK,
					   "DMA block: region 0x%x+%u outside the window",
					   d->dma.base, d->dma.size);
		return 0;
	case SNIC_BLK_CAPS: {
		struct snic_blk_caps c;
		memcpy(&c, d->win + off, sizeof(c));
		if (c.length < sizeof(struct snic_cap_hdr) || c.length > SNIC_CAPS_MAX_BYTES ||
		    !snic_in_window(d, c.records, c.length))
			return snic_seterr(d, SNIC_ERR_BLOCK,
					   "CAPS block: records 0x%x+%u outside the window or over %u bytes",
					   c.records, c.length, SNIC_CAPS_MAX_BYTES);
		return 0;
	}
	case SNIC_BLK_VSTATS:
		return check_vstats(d, off);
	case SNIC_BLK_STATS:
		if (off % 8)
			return snic_seterr(d, SNIC_ERR_BLOCK, "STATS block at 0x%x unaligned", off);
		return 0;
	}
	return 0;
}

/* Walk the chain from offset 0 and record the blocks we know. */
static int walk_blocks(struct snic_dev *d)
{
	uint32_t seen[SNIC_MAX_BLOCKS];
	unsigned n = 0;
	uint32_t off = 0;

	d->off_devid = d->off_fw = d->off_admin = d->off_caps = SNIC_NO_BLOCK;
	d->off_stats = d->off_dma = d->off_rxq = d->off_txq = SNIC_NO_BLOCK;
	d->off_vstats = SNIC_NO_BLOCK;
	for (;;) {
		struct snic_block_hdr h;

		for (unsigned i = 0; i < n; i++)
			if (seen[i] == off)
				return snic_seterr(d, SNIC_ERR_CHAIN,
						   "block chain loops back to offset 0x%x", off);
		if (n == SNIC_MAX_BLOCKS)
			return snic_seterr(d, SNIC_ERR_CHAIN, "block chain longer than %u blocks",
					   SNIC_MAX_BLOCKS);
		seen[n++] = off;
		if (off % 8 || !snic_in_window(d, off, sizeof(h)))
			return snic_seterr(d, SNIC_ERR_CHAIN,
					   "block at 0x%x outside the window (%zu bytes) or unaligned",
					   off, d->win_size);
		memcpy(&h, d->win + off, sizeof(h));
		if (h.size < sizeof(h) || !snic_in_window(d, off, h.size))
			return snic_seterr(d, SNIC_ERR_CHAIN,
					   "block 0x%x at 0x%x has size %u outside the window",
					   h.type, off, h.size);
		uint32_t *slot = block_slot(d, h.type);
		if (slot) {
			const char *name = block_name(h.type);
			if (h.version == 0)
				return snic_seterr(d, SNIC_ERR_BLOCK, "%s block at 0x%x has version 0",
						   name, off);
			if (h.size < block_min_size(h.type))
				return snic_seterr(d, SNIC_ERR_BLOCK,
						   "%s block at 0x%x: size %u smaller than %u",
						   name, off, h.size, block_min_size(h.type));
			if (*slot != SNIC_NO_BLOCK)
				return snic_seterr(d, SNIC_ERR_BLOCK, "second %s block at 0x%x",
						   name, off);
			int rc = check_block(d, off, h.type);
			if (rc)
				return rc;
			*slot = off;
		}
		if (n == 1 && h.type != SNIC_BLK_DEVID)
			return snic_seterr(d, SNIC_ERR_MAGIC, "no DEVID block at offset 0");
		if (h.next == 0)
			break;
		off = h.next;
	}
	return 0;
}

/* Check the device id; sets win_size to what the device says it is. */
static int check_devid(struct snic_dev *d, size_t mapped)
{
	struct snic_blk_devid id;

	if (mapped < sizeof(id))
		return snic_seterr(d, SNIC_ERR_WINDOW, "window of %zu bytes is too small", mapped);
	memcpy(&id, d->win, sizeof(id));
	if (id.magic != SNIC_MAGIC)
		return snic_seterr(d, SNIC_ERR_MAGIC,
				   "bad magic 0x%08x at offset 0 (expected 0x%08x): not a snic window",
				   id.magic, SNIC_MAGIC);
	if (id.abi_major != SNIC_ABI_MAJOR)
		return snic_seterr(d, SNIC_ERR_ABI,
				   "device ABI %u.%u, library ABI %u.%u: incompatible major",
				   id.abi_major, id.abi_minor, SNIC_ABI_MAJOR, SNIC_ABI_MINOR);
	if (id.window_size < sizeof(id) || id.window_size > mapped)
		return snic_seterr(d, SNIC_ERR_WINDOW,
				   "device says the window is %u bytes, %zu are mapped",
				   id.window_size, mapped);
	if (id.state == SNIC_STATE_OFF || id.state == SNIC_STATE_BOOTING)
		return snic_seterr(d, SNIC_ERR_STATE, "device not ready (state %s)",
				   snic_state_name(id.state));
	d->win_size = id.window_size;
	return 0;
}

int snic_attach(struct snic_dev *d, void *mem, size_t size)
{
	int rc;

	d->win = mem;
	d->win_size = size;
	d->caps_valid = 0;
	rc = check_devid(d, size);
	if (rc)
		return rc;
	rc = walk_blocks(d);
	if (rc)
		return rc;
	if (d->off_caps != SNIC_NO_BLOCK) {
		rc = snic_caps_refresh(d);
		if (rc)
			return rc;
	}
	snic_layout_rings(d);
	d->err = 0;
	d->errmsg[0] = 0;
	return 0;
}

int snic_open(struct snic_dev *d, const char *path)
{
	struct stat st;

	snprintf(d->path, sizeof(d->path), "%s", path);
	if (!d->state_path_set)
		snprintf(d->state_path, sizeof(d->state_path), "%s.state", path);
	d->fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->fd < 0)
		return snic_seterr(d, SNIC_ERR_SYS, "cannot open window %s: %s", path,
				   strerror(errno));
	if (fstat(d->fd, &st) < 0)
		return snic_seterr(d, SNIC_ERR_SYS, "cannot stat %s: %s", path, strerror(errno));
	if (st.st_size < (off_t)sizeof(struct snic_blk_devid) || st.st_size > 0xffffffffLL)
		return snic_seterr(d, SNIC_ERR_WINDOW, "%s: %lld bytes is not a device window",
				   path, (long long)st.st_size);
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd, 0);
	if (p == MAP_FAILED)
		return snic_seterr(d, SNIC_ERR_SYS, "cannot map %s: %s", path, strerror(errno));
	d->map_size = (size_t)st.st_size;

	/* The simulator may still be laying the window out: wait for boot. */
	uint64_t deadline = snic_now_ms() + d->timeout_ms;
	unsigned spins = 64;
	for (;;) {
		int rc = snic_attach(d, p, d->map_size);
		uint32_t magic;
		memcpy(&magic, p, sizeof(magic));
		int booting = rc == SNIC_ERR_STATE || (rc == SNIC_ERR_MAGIC && magic == 0);
		if (!booting || snic_now_ms() >= deadline)
			return rc;
		snic_backoff(&spins);
	}
}

const char *snic_state_name(uint32_t state)
{
	switch (state) {
	case SNIC_STATE_OFF:     return "OFF";
	case SNIC_STATE_BOOTING: return "BOOTING";
	case SNIC_STATE_RUNNING: return "RUNNING";
	case SNIC_STATE_HALTED:  return "HALTED";
	case SNIC_STATE_FAILED:  return "FAILED";
	}
	return "UNKNOWN";
}

uint32_t snic_state(struct snic_dev *d)
{
	return snic_ld32(d, offsetof(struct snic_blk_devid, state));
}

int snic_devinfo(struct snic_dev *d, struct snic_devinfo *out)
{
	struct snic_blk_devid id;

	memset(out, 0, sizeof(*out));
	memcpy(&id, d->win, sizeof(id));
	out->abi_major = id.abi_major;
	out->abi_minor = id.abi_minor;
	out->window_size = id.window_size;
	out->state = snic_state(d);
	out->heartbeat = id.heartbeat;
	out->reset_count = id.reset_count;
	out->sim_time_ns = id.sim_time_ns;
	memcpy(out->profile, id.profile, sizeof(id.profile));  /* out has room for NUL */
	if (d->off_fw != SNIC_NO_BLOCK) {
		struct snic_blk_fw fw;
		memcpy(&fw, d->win + d->off_fw, sizeof(fw));
		out->has_fw = 1;
		out->fw_version = fw.version;
		out->fw_slot = fw.slot;
		memcpy(out->fw_build, fw.build, sizeof(fw.build));
	}
	return 0;
}

/*
 * Per-ring exclusive lock: an open-file-description lock on one byte of
 * the window file at the ring's control offset. Independent of the flock
 * that serializes the admin queue, and released when the process dies.
 */
int snic_ring_lock(struct snic_dev *d, uint32_t ctrl, int lock)
{
	struct flock fl;

	if (d->fd < 0)
		return 0;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = lock ? F_WRLCK : F_UNLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = ctrl;
	fl.l_len = 1;
	if (fcntl(d->fd, F_OFD_SETLK, &fl) < 0) {
		if (errno == EAGAIN || errno == EACCES)
			return snic_seterr(d, SNIC_ERR_BUSY,
					   "ring at 0x%x is in use by another process", ctrl);
		return snic_seterr(d, SNIC_ERR_SYS, "cannot lock ring: %s", strerror(errno));
	}
	return 0;
}
