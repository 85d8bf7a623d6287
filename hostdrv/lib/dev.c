/* SPDX-License-Identifier: MIT */
/*
 * Device window: map it, let the shared protocol code (hostdrv/proto)
 * check the device id and walk the block chain, and keep its checked
 * copies of the block layouts.
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

/* The shared protocol code's failure as the library's error code. */
int snic_proto_seterr(struct snic_dev *d, const struct snic_proto_err *e)
{
	static const int code[] = {
		[SNIC_PROTO_E_WINDOW] = SNIC_ERR_WINDOW, [SNIC_PROTO_E_MAGIC] = SNIC_ERR_MAGIC,
		[SNIC_PROTO_E_ABI] = SNIC_ERR_ABI,       [SNIC_PROTO_E_STATE] = SNIC_ERR_STATE,
		[SNIC_PROTO_E_CHAIN] = SNIC_ERR_CHAIN,   [SNIC_PROTO_E_BLOCK] = SNIC_ERR_BLOCK,
		[SNIC_PROTO_E_MISSING] = SNIC_ERR_NOBLOCK, [SNIC_PROTO_E_CAPS] = SNIC_ERR_CAPS,
		[SNIC_PROTO_E_ARG] = SNIC_ERR_ARG,       [SNIC_PROTO_E_LOCKED] = SNIC_ERR_TIMEOUT,
		[SNIC_PROTO_E_TIMEOUT] = SNIC_ERR_TIMEOUT, [SNIC_PROTO_E_PROTO] = SNIC_ERR_PROTO,
	};
	int rc = e->code > 0 && e->code <= SNIC_PROTO_E_PROTO ? code[e->code] : SNIC_ERR_PROTO;

	return snic_seterr(d, rc, "%s", e->msg);
}

/* Walk and check the window (hostdrv/proto) and keep the checked copies. */
static int walk_window(struct snic_dev *d, size_t mapped)
{
	struct snic_proto_layout l;
	struct snic_proto_err e;

	if (snic_proto_walk(d->win, mapped, &l, &e))
		return snic_proto_seterr(d, &e);
	d->lay = l;
	d->win_size = l.window_size;
	d->off_devid = l.off_devid;
	d->off_fw = l.off_fw;
	d->off_admin = l.off_admin;
	d->off_caps = l.off_caps;
	d->off_stats = l.off_stats;
	d->off_dma = l.off_dma;
	d->off_rxq = l.off_rxq;
	d->off_txq = l.off_txq;
	d->off_vstats = l.off_vstats;
	d->admin = l.admin;
	d->rxq = l.rxq;
	d->txq = l.txq;
	d->dma = l.dma;
	d->vstats = l.vstats;
	return 0;
}

int snic_attach(struct snic_dev *d, void *mem, size_t size)
{
	int rc;

	d->win = mem;
	d->win_size = size;
	d->caps_valid = 0;
	rc = walk_window(d, size);
	if (rc)
		return rc;
	rc = snic_caps_refresh(d);
	if (rc)
		return rc;
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
	return snic_proto_state_name(state);
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
	out->dev_time_ns = id.dev_time_ns;
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
