/* SPDX-License-Identifier: MIT */
/*
 * Admin queue: one command in flight per process, processes serialized by
 * flock(LOCK_EX) on the window file, and every agent sharing the window
 * (other processes, a kernel driver in a VM behind ivshmem) by the lock
 * word in the ADMIN block (include/snic/admin.h). The sequence number is
 * the command's free-running ring index, so it is unique for the life of
 * the ring. Completions with another sequence number are leftovers of an
 * agent that died or timed out before reading its answer: they are
 * consumed and skipped.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/file.h>
#include "snic_impl.h"

#define ADM(field) (d->off_admin + (uint32_t)offsetof(struct snic_blk_admin, field))

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

/* The device clock in ms (DEVID sim_time_ns): the lock's common clock. */
static uint64_t device_ms(const struct snic_dev *d)
{
	uint32_t off = d->off_devid + (uint32_t)offsetof(struct snic_blk_devid, sim_time_ns);
	return snic_ld64(d, off) / 1000000u;
}

static unsigned lock_lease_ms(const struct snic_dev *d)
{
	return d->lock_lease_ms ? d->lock_lease_ms : SNIC_ADMIN_LOCK_LEASE_MS;
}

static const char *lock_agent_name(uint32_t word)
{
	switch (word & ~SNIC_ADMIN_LOCK_MS_MASK) {
	case SNIC_ADMIN_LOCK_HOST:   return "a host process";
	case SNIC_ADMIN_LOCK_KERNEL: return "a kernel driver";
	}
	return "an unknown agent";
}

/*
 * Takes the window's admin lock by compare-and-swap. A tag we have seen
 * for a twentieth of the lease, a whole lease old by the device clock,
 * belonged to a holder that died: it is taken over.
 */
static int take_admin_lock(struct snic_dev *d, uint16_t opcode, uint64_t deadline,
			   uint32_t *tag)
{
	uint32_t *word = (uint32_t *)(void *)(d->win + ADM(lock));
	uint32_t lease = lock_lease_ms(d);
	uint32_t seen = SNIC_ADMIN_LOCK_FREE;
	uint64_t seen_at = snic_now_ms();
	unsigned spins = 0;

	for (;;) {
		uint64_t dev_ms = device_ms(d);
		uint32_t mine = SNIC_ADMIN_LOCK_TAG(SNIC_ADMIN_LOCK_HOST, dev_ms);
		uint32_t cur = SNIC_ADMIN_LOCK_FREE;
		if (__atomic_compare_exchange_n(word, &cur, mine, 0, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			*tag = mine;
			return 0;
		}
		uint64_t now = snic_now_ms();
		if (cur != seen) {
			seen = cur;
			seen_at = now;
		} else if (now - seen_at >= lease / 20 &&
			   snic_admin_lock_age(cur, dev_ms) >= lease &&
			   __atomic_compare_exchange_n(word, &cur, mine, 0, __ATOMIC_ACQ_REL,
						       __ATOMIC_ACQUIRE)) {
			d->lock_takeovers++;
			*tag = mine;
			return 0;
		}
		if (now >= deadline)
			return snic_seterr(d, SNIC_ERR_TIMEOUT,
					   "%s: admin queue held by %s (lock 0x%08x) for %u ms",
					   snic_opcode_name(opcode), lock_agent_name(cur), cur,
					   d->timeout_ms);
		snic_backoff(&spins);
	}
}

/* A failed swap means someone took the lock over from us: nothing to undo. */
static void put_admin_lock(struct snic_dev *d, uint32_t tag)
{
	uint32_t *word = (uint32_t *)(void *)(d->win + ADM(lock));
	__atomic_compare_exchange_n(word, &tag, SNIC_ADMIN_LOCK_FREE, 0, __ATOMIC_RELEASE,
				    __ATOMIC_RELAXED);
}

static int timed_out(struct snic_dev *d, uint16_t opcode, const char *what)
{
	return snic_seterr(d, SNIC_ERR_TIMEOUT,
			   "%s: no %s from the device within %u ms (device state %s)",
			   snic_opcode_name(opcode), what, d->timeout_ms,
			   snic_state_name(snic_state(d)));
}

/* Wait for a free command slot; returns 0 or an error. */
static int wait_cmd_room(struct snic_dev *d, uint16_t opcode, uint64_t deadline)
{
	unsigned spins = 0;

	for (;;) {
		uint32_t prod = snic_ld32(d, ADM(cmd_prod));
		uint32_t cons = snic_ld32(d, ADM(cmd_cons));
		if (prod - cons > d->admin.entries)
			return snic_seterr(d, SNIC_ERR_PROTO,
					   "admin queue corrupt: cmd_prod %u, cmd_cons %u", prod, cons);
		if (prod - cons < d->admin.entries)
			return 0;
		if (snic_now_ms() >= deadline)
			return timed_out(d, opcode, "free command slot");
		snic_backoff(&spins);
	}
}

/* Wait for our completion; stale ones are consumed on the way. */
static int wait_cpl(struct snic_dev *d, uint16_t opcode, uint32_t seq, uint64_t deadline,
		    struct snic_admin_cpl *cpl)
{
	unsigned spins = 0;
	unsigned skipped = 0;

	for (;;) {
		uint32_t cons = snic_ld32(d, ADM(cpl_cons));
		uint32_t prod = snic_ld32(d, ADM(cpl_prod));
		if (prod - cons > d->admin.entries)
			return snic_seterr(d, SNIC_ERR_PROTO,
					   "admin queue corrupt: cpl_prod %u, cpl_cons %u", prod, cons);
		if (prod == cons) {
			if (snic_now_ms() >= deadline)
				return timed_out(d, opcode, "completion");
			snic_backoff(&spins);
			continue;
		}
		uint32_t slot = cons & (d->admin.entries - 1);
		memcpy(cpl, d->win + d->admin.cpl_off + slot * sizeof(*cpl), sizeof(*cpl));
		snic_st32(d, ADM(cpl_cons), cons + 1);
		if (cpl->seq == seq) {
			if (cpl->opcode != opcode)
				return snic_seterr(d, SNIC_ERR_PROTO,
						   "completion for seq %u echoes opcode 0x%x, sent 0x%x",
						   seq, cpl->opcode, opcode);
			if (cpl->len > SNIC_ADMIN_PAYLOAD)
				return snic_seterr(d, SNIC_ERR_PROTO,
						   "completion payload length %u over %u",
						   cpl->len, SNIC_ADMIN_PAYLOAD);
			return 0;
		}
		if (++skipped > d->admin.entries)
			return snic_seterr(d, SNIC_ERR_PROTO,
					   "more than %u completions with foreign sequence numbers",
					   d->admin.entries);
	}
}

int snic_admin_exec(struct snic_dev *d, uint16_t opcode,
		    const void *in, uint32_t in_len,
		    void *out, uint32_t out_cap, uint32_t *out_len)
{
	struct snic_admin_cmd cmd;
	struct snic_admin_cpl cpl;
	int rc;

	if (d->off_admin == SNIC_NO_BLOCK)
		return snic_seterr(d, SNIC_ERR_NOBLOCK, "device has no ADMIN block");
	if (in_len > SNIC_ADMIN_PAYLOAD || (in_len && !in))
		return snic_seterr(d, SNIC_ERR_ARG, "%s: payload of %u bytes",
				   snic_opcode_name(opcode), in_len);
	uint32_t state = snic_state(d);
	if (state != SNIC_STATE_RUNNING)
		return snic_seterr(d, SNIC_ERR_STATE, "%s: device is %s, not RUNNING",
				   snic_opcode_name(opcode), snic_state_name(state));

	rc = lock_window(d, LOCK_EX);
	if (rc)
		return rc;
	uint64_t deadline = snic_now_ms() + d->timeout_ms;
	uint32_t tag = SNIC_ADMIN_LOCK_FREE;
	rc = take_admin_lock(d, opcode, deadline, &tag);
	if (rc)
		goto out_flock;
	/* A holder gives the queue back within half a lease, answered or not. */
	uint64_t hold_end = snic_now_ms() + lock_lease_ms(d) / 2;
	if (deadline > hold_end)
		deadline = hold_end;
	rc = wait_cmd_room(d, opcode, deadline);
	if (rc)
		goto out;

	uint32_t prod = snic_ld32(d, ADM(cmd_prod));
	memset(&cmd, 0, sizeof(cmd));
	cmd.opcode = opcode;
	cmd.seq = prod;
	cmd.len = in_len;
	if (in_len)
		memcpy(cmd.payload, in, in_len);
	uint32_t slot = prod & (d->admin.entries - 1);
	memcpy(d->win + d->admin.cmd_off + slot * sizeof(cmd), &cmd, sizeof(cmd));
	snic_st32(d, ADM(cmd_prod), prod + 1);   /* release: command before index */

	rc = wait_cpl(d, opcode, cmd.seq, deadline, &cpl);
	if (rc)
		goto out;
	if (out_len)
		*out_len = cpl.len;
	if (out && out_cap) {
		memset(out, 0, out_cap);
		memcpy(out, cpl.payload, cpl.len < out_cap ? cpl.len : out_cap);
	}
	rc = cpl.status;
	if (rc != SNIC_OK)
		snic_seterr(d, rc, "%s (%s)", snic_strstatus(rc), snic_status_name(rc));
out:
	put_admin_lock(d, tag);
out_flock:
	lock_window(d, LOCK_UN);
	return rc;
}

const char *snic_strstatus(int status)
{
	return status < 0 ? "unknown status" : snic_status_text((unsigned int)status);
}
