// SPDX-License-Identifier: MIT
/*
 * The admin exchange (include/snic/admin.h), spoken the same way by every
 * host agent: take the window's lock word by compare-and-swap (taking it
 * over from a holder that died), start from cmd_prod/cpl_cons as found,
 * post one command whose sequence number is its free-running ring index
 * (unique among all agents for the life of the ring), and read completions
 * until ours, consuming the ones of commands an earlier holder gave up on.
 * The lock goes back within half a lease of taking it, answered or not.
 * Waiting and the clock are the caller's (struct snic_proto_admin_ops).
 */
#include "snic_proto.h"

#define ADM(a, field) ((uint32_t *)(void *)((a)->win + (a)->off_admin + \
					    offsetof(struct snic_blk_admin, field)))
#define DEVID(a, field) ((a)->win + (a)->off_devid + offsetof(struct snic_blk_devid, field))

void snic_proto_admin_setup(struct snic_proto_admin *a, uint8_t *win,
			    const struct snic_proto_layout *l)
{
	a->win = win;
	a->off_devid = l->off_devid;
	a->off_admin = l->off_admin;
	a->blk = l->admin;
	if (!a->lease_ms)
		a->lease_ms = SNIC_ADMIN_LOCK_LEASE_MS;
}

static uint32_t dev_state(const struct snic_proto_admin *a)
{
	return snic_proto_ld_acq((const uint32_t *)(const void *)DEVID(a, state));
}

static uint32_t heartbeat(const struct snic_proto_admin *a)
{
	return snic_proto_ld_acq((const uint32_t *)(const void *)DEVID(a, heartbeat));
}

/* The device clock in ms: the one clock every agent reads alike. */
static uint64_t device_ms(const struct snic_proto_admin *a)
{
	return snic_proto_ns_to_ms(snic_proto_ld64((const uint64_t *)(const void *)
						   DEVID(a, dev_time_ns)));
}

static const char *agent_name(uint32_t word)
{
	switch (word & ~SNIC_ADMIN_LOCK_MS_MASK) {
	case SNIC_ADMIN_LOCK_HOST:   return "a host process";
	case SNIC_ADMIN_LOCK_KERNEL: return "a kernel driver";
	}
	return "an unknown agent";
}

static int not_running(const struct snic_proto_admin *a, uint16_t opcode,
		       struct snic_proto_err *e)
{
	return snic_proto_fail(e, SNIC_PROTO_E_STATE, "%s: device is %s, not RUNNING",
			       snic_opcode_name(opcode), snic_proto_state_name(dev_state(a)));
}

/*
 * Takes the lock word. A tag seen unchanged for a twentieth of the lease
 * on our clock, a whole lease old by the device clock, belonged to a
 * holder that died: it is taken over. A live holder gives the queue back
 * within half a lease, so waiting longer than that is pointless.
 */
static int take_lock(struct snic_proto_admin *a, uint16_t opcode, uint32_t *tag,
		     struct snic_proto_err *e)
{
	uint32_t *word = ADM(a, lock);
	uint32_t seen = SNIC_ADMIN_LOCK_FREE, cur = SNIC_ADMIN_LOCK_FREE, mine;
	uint64_t t0 = a->ops->now_ms(a->ctx), seen_at = t0, now, dev_ms;
	unsigned int spins = 0;

	a->ops->wait_begin(a->ctx, SNIC_PROTO_WAIT_LOCK);
	for (;;) {
		dev_ms = device_ms(a);
		mine = SNIC_ADMIN_LOCK_TAG(a->agent, dev_ms);
		cur = snic_proto_cas(word, SNIC_ADMIN_LOCK_FREE, mine);
		if (cur == SNIC_ADMIN_LOCK_FREE)
			break;
		now = a->ops->now_ms(a->ctx);
		if (cur != seen) {
			seen = cur;
			seen_at = now;
		} else if (now - seen_at >= a->lease_ms / 20 &&
			   snic_admin_lock_age(cur, dev_ms) >= a->lease_ms &&
			   snic_proto_cas(word, cur, mine) == cur) {
			a->takeovers++;
			a->taken_from = cur;
			break;
		}
		if (dev_state(a) != SNIC_STATE_RUNNING)
			return not_running(a, opcode, e);
		if (now - t0 >= a->lease_ms / 2 || a->ops->expired(a->ctx, SNIC_PROTO_WAIT_LOCK))
			return snic_proto_fail(e, SNIC_PROTO_E_LOCKED,
					       "%s: admin queue held by %s (lock 0x%08x) for %llu ms",
					       snic_opcode_name(opcode), agent_name(cur), cur,
					       (unsigned long long)(now - t0));
		a->ops->pause(a->ctx, &spins);
	}
	*tag = mine;
	return 0;
}

/* A failed swap means someone took the lock over from us: nothing to undo. */
static void put_lock(struct snic_proto_admin *a, uint32_t tag)
{
	snic_proto_cas_rel(ADM(a, lock), tag, SNIC_ADMIN_LOCK_FREE);
}

struct wait {
	enum snic_proto_wait what;
	uint64_t t0, hold_end;   /* our clock */
	uint32_t beat0;          /* firmware heartbeat at the start */
};

static void wait_start(struct snic_proto_admin *a, struct wait *w, enum snic_proto_wait what)
{
	w->what = what;
	w->t0 = a->ops->now_ms(a->ctx);
	snic_proto_fence(); /* our index store before the heartbeat load */
	w->beat0 = heartbeat(a);
	a->ops->wait_begin(a->ctx, what);
}

static int wait_over(struct snic_proto_admin *a, const struct wait *w)
{
	return a->ops->now_ms(a->ctx) >= w->hold_end || a->ops->expired(a->ctx, w->what);
}

static int timed_out(struct snic_proto_admin *a, uint16_t opcode, const struct wait *w,
		     struct snic_proto_err *e)
{
	return snic_proto_fail(e, SNIC_PROTO_E_TIMEOUT,
			       "%s: no %s from the device after %llu ms (cmd %u/%u, cpl %u/%u, firmware heartbeat +%u, state %s)",
			       snic_opcode_name(opcode),
			       w->what == SNIC_PROTO_WAIT_ROOM ? "free command slot" : "completion",
			       (unsigned long long)(a->ops->now_ms(a->ctx) - w->t0),
			       snic_proto_ld_acq(ADM(a, cmd_prod)), snic_proto_ld_acq(ADM(a, cmd_cons)),
			       snic_proto_ld_acq(ADM(a, cpl_prod)), snic_proto_ld_acq(ADM(a, cpl_cons)),
			       heartbeat(a) - w->beat0, snic_proto_state_name(dev_state(a)));
}

/* Waits for a free command slot; returns the producer index to use. */
static int wait_room(struct snic_proto_admin *a, uint16_t opcode, struct wait *w,
		     uint32_t *prod_out, struct snic_proto_err *e)
{
	uint32_t entries = a->blk.entries, prod, cons;
	unsigned int spins = 0;

	wait_start(a, w, SNIC_PROTO_WAIT_ROOM);
	for (;;) {
		prod = snic_proto_ld_acq(ADM(a, cmd_prod));
		cons = snic_proto_ld_acq(ADM(a, cmd_cons));
		if (prod - cons > entries)
			return snic_proto_fail(e, SNIC_PROTO_E_PROTO,
					       "admin queue corrupt: cmd_prod %u, cmd_cons %u", prod, cons);
		if (prod - cons < entries) {
			*prod_out = prod;
			return 0;
		}
		/* Full of commands earlier holders gave up on. */
		if (dev_state(a) != SNIC_STATE_RUNNING)
			return not_running(a, opcode, e);
		if (wait_over(a, w))
			return timed_out(a, opcode, w, e);
		a->ops->pause(a->ctx, &spins);
	}
}

/* Reads completions up to ours; 1 found, 0 not yet, <0 error code. */
static int take_completion(struct snic_proto_admin *a, uint16_t opcode, uint32_t seq,
			   uint32_t *skipped, struct snic_admin_cpl *cpl, struct snic_proto_err *e)
{
	uint32_t entries = a->blk.entries;
	uint32_t cons = snic_proto_ld_acq(ADM(a, cpl_cons)), prod;

	while ((prod = snic_proto_ld_acq(ADM(a, cpl_prod))) != cons) {
		if (prod - cons > entries)
			return -snic_proto_fail(e, SNIC_PROTO_E_PROTO,
						"admin queue corrupt: cpl_prod %u, cpl_cons %u", prod, cons);
		memcpy(cpl, a->win + a->blk.cpl_off + (cons & (entries - 1)) * sizeof(*cpl),
		       sizeof(*cpl));
		snic_proto_st_rel(ADM(a, cpl_cons), ++cons);
		if (cpl->seq != seq) {
			/* An answer to a command someone gave up on: at most a
			 * ring's worth of those can be ahead of ours. */
			a->foreign++;
			if (++*skipped > entries)
				return -snic_proto_fail(e, SNIC_PROTO_E_PROTO,
							"more than %u completions with foreign sequence numbers",
							entries);
			continue;
		}
		if (cpl->opcode != opcode)
			return -snic_proto_fail(e, SNIC_PROTO_E_PROTO,
						"completion for seq %u echoes opcode 0x%x, sent 0x%x",
						seq, cpl->opcode, opcode);
		if (cpl->len > SNIC_ADMIN_PAYLOAD)
			return -snic_proto_fail(e, SNIC_PROTO_E_PROTO,
						"completion payload length %u over %u",
						cpl->len, SNIC_ADMIN_PAYLOAD);
		return 1;
	}
	return 0;
}

static int wait_cpl(struct snic_proto_admin *a, uint16_t opcode, uint32_t seq, struct wait *w,
		    struct snic_admin_cpl *cpl, struct snic_proto_err *e)
{
	unsigned int spins = 0;
	uint32_t skipped = 0;
	int rc;

	wait_start(a, w, SNIC_PROTO_WAIT_CPL);
	for (;;) {
		rc = take_completion(a, opcode, seq, &skipped, cpl, e);
		if (rc)
			return rc < 0 ? -rc : 0;
		if (dev_state(a) != SNIC_STATE_RUNNING)
			return snic_proto_fail(e, SNIC_PROTO_E_STATE,
					       "%s: device stopped running (state %s)",
					       snic_opcode_name(opcode),
					       snic_proto_state_name(dev_state(a)));
		if (wait_over(a, w)) {
			/* One last look: we may have slept past the answer. */
			rc = take_completion(a, opcode, seq, &skipped, cpl, e);
			if (rc)
				return rc < 0 ? -rc : 0;
			return timed_out(a, opcode, w, e);
		}
		a->ops->pause(a->ctx, &spins);
	}
}

/* Posts the command at index prod; the command bytes before the index. */
static void post(struct snic_proto_admin *a, uint32_t prod, uint16_t opcode, const void *in,
		 uint32_t in_len)
{
	struct snic_admin_cmd *slot = (void *)(a->win + a->blk.cmd_off +
					       (prod & (a->blk.entries - 1)) *
					       sizeof(struct snic_admin_cmd));
	struct snic_admin_cmd cmd;

	memset(&cmd, 0, sizeof(cmd));
	cmd.opcode = opcode;
	cmd.seq = prod;
	cmd.len = in_len;
	if (in_len)
		memcpy(cmd.payload, in, in_len);
	memcpy(slot, &cmd, sizeof(cmd));
	snic_proto_st_rel(ADM(a, cmd_prod), prod + 1);
}

int snic_proto_admin_exec(struct snic_proto_admin *a, uint16_t opcode, const void *in,
			  uint32_t in_len, struct snic_admin_cpl *cpl, struct snic_proto_err *e)
{
	struct wait w;
	uint32_t tag = SNIC_ADMIN_LOCK_FREE, prod = 0;
	int rc;

	e->code = 0;
	e->msg[0] = 0;
	if (in_len > SNIC_ADMIN_PAYLOAD || (in_len && !in))
		return snic_proto_fail(e, SNIC_PROTO_E_ARG, "%s: payload of %u bytes (at most %u)",
				       snic_opcode_name(opcode), in_len, SNIC_ADMIN_PAYLOAD);
	if (dev_state(a) != SNIC_STATE_RUNNING)
		return not_running(a, opcode, e);
	rc = take_lock(a, opcode, &tag, e);
	if (rc)
		return rc;
	/* A holder gives the queue back within half a lease, answered or not. */
	w.hold_end = a->ops->now_ms(a->ctx) + a->lease_ms / 2;
	rc = wait_room(a, opcode, &w, &prod, e);
	if (!rc) {
		a->seq = prod;
		post(a, prod, opcode, in, in_len);
		rc = wait_cpl(a, opcode, prod, &w, cpl, e);
	}
	put_lock(a, tag);
	return rc;
}
