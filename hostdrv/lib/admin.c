/* SPDX-License-Identifier: MIT */
/*
 * Admin queue: one command in flight per process, processes serialized by
 * flock(LOCK_EX) on the window file. The exchange itself (the window's
 * admin lock word, sequence numbers, skipping completions left by agents
 * that gave up) is the shared protocol code's (hostdrv/proto), the same
 * the kernel driver runs; the library supplies its clock and its waits.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/file.h>
#include "snic_impl.h"

static int lock_window(struct snic_dev *d, int op)
{
	if (d->fd < 0)
		return 0;
	while (flock(d->fd, op) < 0) {
		if (errno != EINTR)
			return snic_seterr(d, SNIC_ERR_SYS, "cannot lock the admin queue: %s",
					   strerror(errno));
	}
	return 0;
}

/* One command's waits: every phase ends at the caller's timeout. */
struct lib_wait {
	uint64_t deadline;
};

static uint64_t lib_now_ms(void *ctx)
{
	(void)ctx;
	return snic_now_ms();
}

static void lib_pause(void *ctx, unsigned int *spins)
{
	(void)ctx;
	snic_backoff(spins);
}

static void lib_wait_begin(void *ctx, enum snic_proto_wait what)
{
	(void)ctx;
	(void)what;
}

static int lib_expired(void *ctx, enum snic_proto_wait what)
{
	const struct lib_wait *w = ctx;

	(void)what;
	return snic_now_ms() >= w->deadline;
}

static const struct snic_proto_admin_ops lib_admin_ops = {
	.now_ms = lib_now_ms,
	.pause = lib_pause,
	.wait_begin = lib_wait_begin,
	.expired = lib_expired,
};

int snic_admin_exec(struct snic_dev *d, uint16_t opcode,
		    const void *in, uint32_t in_len,
		    void *out, uint32_t out_cap, uint32_t *out_len)
{
	struct lib_wait w;
	struct snic_proto_admin a = { .agent = SNIC_ADMIN_LOCK_HOST,
				      .lease_ms = d->lock_lease_ms,
				      .ops = &lib_admin_ops, .ctx = &w };
	struct snic_proto_err e;
	struct snic_admin_cpl cpl;
	int rc;

	if (d->off_admin == SNIC_NO_BLOCK)
		return snic_seterr(d, SNIC_ERR_NOBLOCK, "device has no ADMIN block");
	snic_proto_admin_setup(&a, d->win, &d->lay);
	rc = lock_window(d, LOCK_EX);
	if (rc)
		return rc;
	w.deadline = snic_now_ms() + d->timeout_ms;
	rc = snic_proto_admin_exec(&a, opcode, in, in_len, &cpl, &e);
	d->lock_takeovers += a.takeovers;
	lock_window(d, LOCK_UN);
	if (rc)
		return snic_proto_seterr(d, &e);
	if (out_len)
		*out_len = cpl.len;
	if (out && out_cap) {
		memset(out, 0, out_cap);
		memcpy(out, cpl.payload, cpl.len < out_cap ? cpl.len : out_cap);
	}
	rc = cpl.status;
	if (rc != SNIC_OK)
		snic_seterr(d, rc, "%s (%s)", snic_strstatus(rc), snic_status_name(rc));
	return rc;
}

const char *snic_strstatus(int status)
{
	return status < 0 ? "unknown status" : snic_status_text((unsigned int)status);
}
