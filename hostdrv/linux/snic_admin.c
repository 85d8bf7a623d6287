// SPDX-License-Identifier: GPL-2.0
/*
 * Admin queue (include/snic/admin.h): one command at a time, under a
 * mutex among the driver's own callers and under the window's admin lock
 * word among every agent sharing the window (snicctl on the host side of
 * an ivshmem BAR, another driver instance). The exchange (lock, takeover
 * of a dead holder, sequence numbers, skipping completions an earlier
 * holder gave up on) is the shared protocol code's (hostdrv/proto), the
 * same libsnic runs; the driver supplies its clock and its waits. The
 * firmware polls the ring, so waiting is a sleep-and-look loop.
 */
#include <linux/delay.h>
#include "snic_drv.h"
#include "snic_proto.h"

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
	return 0;
}

/*
 * When to give up on the device. The firmware's main loop bumps the DEVID
 * heartbeat and looks at the admin queue on every turn, so a few beats
 * after our command was posted it has seen it and answered. On a loaded
 * host the simulator behind the window may not run at all for a while
 * (virtual time stands still, nothing is wrong with the device): that time
 * does not count against admin_timeout_ms, only against the lease limit,
 * half of SNIC_ADMIN_LOCK_LEASE_MS, within which the shared code gives the
 * queue back anyway (it also bounds the wait for the lock by that).
 */
#define SNIC_ADMIN_BEATS 4

struct admin_wait {
	struct snic_dev *sdev;
	unsigned long t0;
	u32 beat0;
};

static u64 drv_now_ms(void *ctx)
{
	return jiffies64_to_msecs(get_jiffies_64());
}

static void drv_pause(void *ctx, unsigned int *spins)
{
	usleep_range(20, 100);
}

static void drv_wait_begin(void *ctx, enum snic_proto_wait what)
{
	struct admin_wait *w = ctx;

	w->t0 = jiffies;
	smp_mb(); /* our index store before the heartbeat load */
	w->beat0 = READ_ONCE(w->sdev->devid->heartbeat);
}

static int drv_expired(void *ctx, enum snic_proto_wait what)
{
	struct admin_wait *w = ctx;

	if (what == SNIC_PROTO_WAIT_LOCK)
		return 0; /* a live holder answers within half a lease */
	return time_after(jiffies, w->t0 + msecs_to_jiffies(admin_timeout_ms)) &&
	       READ_ONCE(w->sdev->devid->heartbeat) - w->beat0 >= SNIC_ADMIN_BEATS;
}

static const struct snic_proto_admin_ops drv_admin_ops = {
	.now_ms = drv_now_ms,
	.pause = drv_pause,
	.wait_begin = drv_wait_begin,
	.expired = drv_expired,
};

/* Runs one exchange through the shared protocol code; admin_lock held. */
static int exchange(struct snic_dev *sdev, u16 opcode, const void *in, u32 in_len,
		    struct snic_admin_cpl *cpl)
{
	struct admin_wait w = { .sdev = sdev };
	struct snic_proto_admin a = {
		.win = sdev->win,
		.off_devid = 0,
		.off_admin = sdev->off_admin,
		.agent = SNIC_ADMIN_LOCK_KERNEL,
		.lease_ms = SNIC_ADMIN_LOCK_LEASE_MS,
		.ops = &drv_admin_ops,
		.ctx = &w,
	};
	struct snic_proto_err e;
	int rc;

	a.blk.entries = sdev->admin_entries;
	a.blk.cmd_off = (u8 *)sdev->cmd_ring - sdev->win;
	a.blk.cpl_off = (u8 *)sdev->cpl_ring - sdev->win;
	rc = snic_proto_admin_exec(&a, opcode, in, in_len, cpl, &e);
	sdev->seq = a.seq;
	if (a.takeovers) {
		sdev->admin_takeovers += a.takeovers;
		dev_warn(sdev->dev, "admin: lock 0x%08x of a dead holder taken over\n",
			 a.taken_from);
	}
	switch (rc) {
	case SNIC_PROTO_OK:
		return 0;
	case SNIC_PROTO_E_ARG:
		return -EINVAL;
	case SNIC_PROTO_E_LOCKED:
		dev_err(sdev->dev, "admin: %s\n", e.msg);
		return -EBUSY;
	case SNIC_PROTO_E_TIMEOUT:
		sdev->admin_timeouts++;
		snic_health_admin_timeout(sdev, opcode);
		dev_err(sdev->dev, "admin: %s\n", e.msg);
		return -ETIMEDOUT;
	default:
		dev_err(sdev->dev, "admin: %s\n", e.msg);
		return -EIO;
	}
}

int snic_admin_exec(struct snic_dev *sdev, u16 opcode, const void *in, u32 in_len,
		    void *out, u32 out_len)
{
	struct snic_admin_cpl *cpl;
	unsigned long t0;
	u32 ms;
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
	err = exchange(sdev, opcode, in, in_len, cpl);
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
