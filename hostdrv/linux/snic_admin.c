// SPDX-License-Identifier: GPL-2.0
/*
 * Admin queue (include/snic/admin.h): one command at a time, under a
 * mutex among the driver's own callers and under the window's admin lock
 * word among every agent sharing the window (snicctl on the host side of
 * an ivshmem BAR, another driver instance). The holder takes the queue
 * indices as it finds them in the window and waits for the one completion
 * with its sequence number; completions left by a command an earlier
 * holder gave up on are skipped. The firmware polls the ring, so waiting
 * is a sleep-and-look loop.
 */
#include <linux/delay.h>
#include <linux/random.h>
#include "snic.h"

static unsigned int admin_timeout_ms = 3000;
module_param(admin_timeout_ms, uint, 0644);
MODULE_PARM_DESC(admin_timeout_ms, "Admin timeout in ms of a running device (default 3000)");

/* Commands answered later than this are logged (slow device or host). */
#define SNIC_ADMIN_SLOW_MS 1000

int snic_status_errno(u16 status)
{
	switch (status) {
	case SNIC_OK:       return 0;
	case SNIC_E_INVAL:  return -EINVAL;
	case SNIC_E_OPCODE: return -EOPNOTSUPP;
	case SNIC_E_NOSPC:  return -ENOSPC;
	case SNIC_E_NOENT:  return -ENOENT;
	case SNIC_E_EXIST:  return -EEXIST;
	case SNIC_E_BUSY:   return -EBUSY;
	case SNIC_E_RANGE:  return -ERANGE;
	case SNIC_E_UNSUPP: return -EOPNOTSUPP;
	case SNIC_E_LEN:    return -EMSGSIZE;
	case SNIC_E_PERM:   return -EPERM;
	default:            return -EIO;
	}
}

int snic_admin_init(struct snic_dev *sdev)
{
	mutex_init(&sdev->admin_lock);
	sdev->seq = get_random_u32();
	return 0;
}

/*
 * When to give up on the device. The firmware's main loop bumps the DEVID
 * heartbeat and looks at the admin queue on every turn, so a few beats
 * after our command was posted it has seen it and answered. On a loaded
 * host the simulator behind the window may not run at all for a while
 * (virtual time stands still, nothing is wrong with the device): that time
 * does not count against admin_timeout_ms, only against the lease limit,
 * half of SNIC_ADMIN_LOCK_LEASE_MS, within which we must give the queue
 * back anyway.
 */
#define SNIC_ADMIN_BEATS 4

struct admin_wait {
	unsigned long t0;
	u32 beat0;
};

static void wait_start(struct snic_dev *sdev, struct admin_wait *w)
{
	w->t0 = jiffies;
	smp_mb(); /* our index store before the heartbeat load */
	w->beat0 = READ_ONCE(sdev->devid->heartbeat);
}

static bool wait_over(struct snic_dev *sdev, const struct admin_wait *w)
{
	unsigned long waited = jiffies - w->t0;

	if (waited > msecs_to_jiffies(SNIC_ADMIN_LOCK_LEASE_MS / 2))
		return true;
	return waited > msecs_to_jiffies(admin_timeout_ms) &&
	       READ_ONCE(sdev->devid->heartbeat) - w->beat0 >= SNIC_ADMIN_BEATS;
}

/*
 * Takes the window's admin lock by compare-and-swap. A tag we have seen
 * for a twentieth of the lease, a whole lease old by the device clock,
 * belonged to a holder that died (a killed snicctl, a crashed guest): it
 * is taken over.
 */
static int take_window_lock(struct snic_dev *sdev, u16 opcode, u32 *tag)
{
	/* A holder keeps it for up to half a lease: wait as long. */
	unsigned long end = jiffies + msecs_to_jiffies(SNIC_ADMIN_LOCK_LEASE_MS / 2);
	u32 *word = &sdev->admin->lock;
	u32 seen = SNIC_ADMIN_LOCK_FREE, cur, mine;
	unsigned long seen_at = jiffies;
	u64 dev_ms;

	for (;;) {
		dev_ms = div_u64(READ_ONCE(sdev->devid->sim_time_ns), NSEC_PER_MSEC);
		mine = SNIC_ADMIN_LOCK_TAG(SNIC_ADMIN_LOCK_KERNEL, dev_ms);
		cur = cmpxchg(word, SNIC_ADMIN_LOCK_FREE, mine);
		if (cur == SNIC_ADMIN_LOCK_FREE)
			break;
		if (cur != seen) {
			seen = cur;
			seen_at = jiffies;
		} else if (time_after_eq(jiffies, seen_at +
					 msecs_to_jiffies(SNIC_ADMIN_LOCK_LEASE_MS / 20)) &&
			   snic_admin_lock_age(cur, dev_ms) >= SNIC_ADMIN_LOCK_LEASE_MS &&
			   cmpxchg(word, cur, mine) == cur) {
			sdev->admin_takeovers++;
			dev_warn(sdev->dev, "admin: lock 0x%08x held for %u ms of device time: taken over\n",
				 cur, snic_admin_lock_age(cur, dev_ms));
			break;
		}
		if (time_after(jiffies, end) || !snic_device_running(sdev)) {
			dev_err(sdev->dev, "admin: %s: queue held by another agent (lock 0x%08x)\n",
				snic_opcode_name(opcode), cur);
			return -EBUSY;
		}
		usleep_range(20, 100);
	}
	*tag = mine;
	return 0;
}

/* A failed swap means someone took the lock over from us: nothing to undo. */
static void put_window_lock(struct snic_dev *sdev, u32 tag)
{
	cmpxchg_release(&sdev->admin->lock, tag, SNIC_ADMIN_LOCK_FREE);
}

/* Reads completions until the one for `seq`; 1 found, 0 not yet, <0 error. */
static int take_completion(struct snic_dev *sdev, u32 seq, u16 opcode,
			   struct snic_admin_cpl *out)
{
	struct snic_blk_admin *a = sdev->admin;
	u32 cons = READ_ONCE(a->cpl_cons), prod;

	while ((prod = snic_ld_acq(&a->cpl_prod)) != cons) {
		if (prod - cons > sdev->admin_entries) {
			dev_err(sdev->dev, "admin: queue corrupt (cpl_prod %u, cpl_cons %u)\n",
				prod, cons);
			return -EIO;
		}
		memcpy(out, &sdev->cpl_ring[cons % sdev->admin_entries], sizeof(*out));
		snic_st_rel(&a->cpl_cons, ++cons);
		if (out->seq != seq)
			continue; /* answer to a command someone gave up on */
		if (out->opcode != opcode || out->len > SNIC_ADMIN_PAYLOAD) {
			dev_err(sdev->dev, "admin: malformed completion for %s\n",
				snic_opcode_name(opcode));
			return -EIO;
		}
		return 1;
	}
	return 0;
}

/* Why a command went unanswered: the indices, and whether the firmware's
 * main loop ran at all meanwhile (its heartbeat). */
static void report_timeout(struct snic_dev *sdev, u16 opcode, const struct admin_wait *w)
{
	struct snic_blk_admin *a = sdev->admin;

	sdev->admin_timeouts++;
	snic_health_admin_timeout(sdev, opcode);
	dev_err(sdev->dev, "admin: %s timed out after %u ms (cmd %u/%u, cpl %u/%u, firmware heartbeat +%u, state %u)\n",
		snic_opcode_name(opcode), jiffies_to_msecs(jiffies - w->t0),
		READ_ONCE(a->cmd_prod), READ_ONCE(a->cmd_cons), READ_ONCE(a->cpl_prod),
		READ_ONCE(a->cpl_cons), READ_ONCE(sdev->devid->heartbeat) - w->beat0,
		READ_ONCE(sdev->devid->state));
}

/* Posts one command and waits for its completion; the window lock is held. */
static int exchange(struct snic_dev *sdev, u16 opcode, const void *in, u32 in_len,
		    struct snic_admin_cpl *cpl)
{
	struct snic_blk_admin *a = sdev->admin;
	u32 prod = READ_ONCE(a->cmd_prod), seq;
	struct snic_admin_cmd *cmd;
	struct admin_wait w;
	int err;

	wait_start(sdev, &w);

	for (;;) {
		u32 queued = prod - snic_ld_acq(&a->cmd_cons);

		if (queued > sdev->admin_entries) {
			dev_err(sdev->dev, "admin: queue corrupt (cmd_prod %u, cmd_cons %u)\n",
				prod, READ_ONCE(a->cmd_cons));
			return -EIO;
		}
		if (queued < sdev->admin_entries)
			break;
		/* Full of commands earlier holders gave up on. */
		if (wait_over(sdev, &w) || !snic_device_running(sdev)) {
			report_timeout(sdev, opcode, &w);
			return -ETIMEDOUT;
		}
		usleep_range(20, 100);
	}
	seq = ++sdev->seq;
	cmd = &sdev->cmd_ring[prod % sdev->admin_entries];
	memset(cmd, 0, sizeof(*cmd));
	cmd->opcode = opcode;
	cmd->seq = seq;
	cmd->len = in_len;
	if (in_len)
		memcpy(cmd->payload, in, in_len);
	snic_st_rel(&a->cmd_prod, prod + 1); /* command bytes first */
	wait_start(sdev, &w);

	for (;;) {
		err = take_completion(sdev, seq, opcode, cpl);
		if (err)
			return err < 0 ? err : 0;
		if (!snic_device_running(sdev)) {
			dev_err(sdev->dev, "admin: %s: device stopped running (state %u)\n",
				snic_opcode_name(opcode), READ_ONCE(sdev->devid->state));
			return -EIO;
		}
		if (wait_over(sdev, &w)) {
			/* One last look: we may have slept past the answer. */
			err = take_completion(sdev, seq, opcode, cpl);
			if (err)
				return err < 0 ? err : 0;
			report_timeout(sdev, opcode, &w);
			return -ETIMEDOUT;
		}
		usleep_range(20, 100);
	}
}

int snic_admin_exec(struct snic_dev *sdev, u16 opcode, const void *in, u32 in_len,
		    void *out, u32 out_len)
{
	struct snic_admin_cpl *cpl;
	unsigned long t0;
	u32 tag, ms;
	int err;

	if (in_len > SNIC_ADMIN_PAYLOAD || out_len > SNIC_ADMIN_PAYLOAD)
		return -EINVAL;
	cpl = kmalloc(sizeof(*cpl), GFP_KERNEL);
	if (!cpl)
		return -ENOMEM;
	mutex_lock(&sdev->admin_lock);
	if (sdev->dead || !snic_device_running(sdev)) {
		err = -EIO;
		goto out;
	}
	t0 = jiffies;
	err = take_window_lock(sdev, opcode, &tag);
	if (err)
		goto out;
	err = exchange(sdev, opcode, in, in_len, cpl);
	put_window_lock(sdev, tag);
	if (err)
		goto out;
	ms = jiffies_to_msecs(jiffies - t0);
	if (ms >= SNIC_ADMIN_SLOW_MS)
		dev_info(sdev->dev, "admin: %s answered after %u ms\n", snic_opcode_name(opcode), ms);
	err = snic_status_errno(cpl->status);
	if (err) {
		dev_dbg(sdev->dev, "admin: %s answered %s\n", snic_opcode_name(opcode),
			snic_status_name(cpl->status));
		goto out;
	}
	if (out_len) {
		if (cpl->len < out_len) {
			dev_err(sdev->dev, "admin: %s returned %u bytes, expected %u\n",
				snic_opcode_name(opcode), cpl->len, out_len);
			err = -EIO;
			goto out;
		}
		memcpy(out, cpl->payload, out_len);
	}
out:
	mutex_unlock(&sdev->admin_lock);
	kfree(cpl);
	return err;
}

int snic_port_set(struct snic_dev *sdev, u8 port, bool up)
{
	struct snic_port_set p = { .port = port, .admin_up = up };
	int err = snic_admin_exec(sdev, SNIC_CMD_PORT_SET, &p, sizeof(p), NULL, 0);

	if (err)
		dev_err(sdev->dev, "uplink %u: PORT_SET %s failed: %d\n", port,
			up ? "up" : "down", err);
	return err;
}
