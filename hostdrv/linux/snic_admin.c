// SPDX-License-Identifier: GPL-2.0
/*
 * Admin queue (include/snic/admin.h): one command at a time under a mutex,
 * answered by exactly one completion with the same sequence number. The
 * firmware polls the ring, so waiting is a sleep-and-look loop. A
 * completion left by a command that timed out earlier (or by a previous
 * driver instance) is recognised by its sequence number and skipped.
 */
#include <linux/delay.h>
#include <linux/random.h>
#include "snic.h"

static unsigned int admin_timeout_ms = 3000;
module_param(admin_timeout_ms, uint, 0644);
MODULE_PARM_DESC(admin_timeout_ms, "Admin command timeout in ms (default 3000)");

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
	default:            return -EIO;
	}
}

/* Waits until *word moves off until_not; false on timeout or a dead device. */
static bool wait_device(struct snic_dev *sdev, u32 *word, u32 until_not)
{
	unsigned long end = jiffies + msecs_to_jiffies(admin_timeout_ms);

	for (;;) {
		if (snic_ld_acq(word) != until_not)
			return true;
		if (time_after(jiffies, end) || !snic_device_running(sdev))
			return false;
		usleep_range(20, 100);
	}
}

/*
 * Takes the ring indices from the window: after a previous driver
 * instance, a device reset or another agent (snicctl on the host side of
 * the window) used the queue. Waits for queued commands to be answered.
 */
void snic_admin_sync(struct snic_dev *sdev)
{
	struct snic_blk_admin *a = sdev->admin;
	u32 prod = READ_ONCE(a->cmd_prod);
	unsigned long end = jiffies + msecs_to_jiffies(admin_timeout_ms);

	while (snic_ld_acq(&a->cmd_cons) != prod && !time_after(jiffies, end))
		usleep_range(100, 200);
	sdev->cmd_prod = prod;
	sdev->cpl_cons = snic_ld_acq(&a->cpl_prod);
	snic_st_rel(&a->cpl_cons, sdev->cpl_cons);
}

int snic_admin_init(struct snic_dev *sdev)
{
	mutex_init(&sdev->admin_lock);
	snic_admin_sync(sdev);
	sdev->seq = get_random_u32();
	return 0;
}

/* Reads completions until the one for `seq`; 1 found, 0 not yet, <0 error. */
static int take_completion(struct snic_dev *sdev, u32 seq, u16 opcode,
			   struct snic_admin_cpl *out)
{
	struct snic_blk_admin *a = sdev->admin;

	while (snic_ld_acq(&a->cpl_prod) != sdev->cpl_cons) {
		struct snic_admin_cpl *c = &sdev->cpl_ring[sdev->cpl_cons % sdev->admin_entries];

		memcpy(out, c, sizeof(*out));
		sdev->cpl_cons++;
		snic_st_rel(&a->cpl_cons, sdev->cpl_cons);
		if (out->seq != seq)
			continue; /* answer to a command we gave up on */
		if (out->opcode != opcode || out->len > SNIC_ADMIN_PAYLOAD) {
			dev_err(sdev->dev, "admin: malformed completion for %s\n",
				snic_opcode_name(opcode));
			return -EIO;
		}
		return 1;
	}
	return 0;
}

int snic_admin_exec(struct snic_dev *sdev, u16 opcode, const void *in, u32 in_len,
		    void *out, u32 out_len)
{
	struct snic_blk_admin *a = sdev->admin;
	struct snic_admin_cmd *cmd;
	struct snic_admin_cpl *cpl;
	unsigned long end;
	int err;
	u32 seq;

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
	/* Someone else used the queue since (see snic_admin_sync): follow. */
	if (READ_ONCE(a->cmd_prod) != sdev->cmd_prod)
		snic_admin_sync(sdev);
	if (sdev->cmd_prod - snic_ld_acq(&a->cmd_cons) >= sdev->admin_entries) {
		err = -EBUSY; /* earlier timed-out commands still queued */
		goto out;
	}
	seq = ++sdev->seq;
	cmd = &sdev->cmd_ring[sdev->cmd_prod % sdev->admin_entries];
	memset(cmd, 0, sizeof(*cmd));
	cmd->opcode = opcode;
	cmd->seq = seq;
	cmd->len = in_len;
	if (in_len)
		memcpy(cmd->payload, in, in_len);
	sdev->cmd_prod++;
	snic_st_rel(&a->cmd_prod, sdev->cmd_prod); /* command bytes first */

	end = jiffies + msecs_to_jiffies(admin_timeout_ms);
	for (;;) {
		err = take_completion(sdev, seq, opcode, cpl);
		if (err)
			break;
		if (time_after(jiffies, end) || !wait_device(sdev, &a->cpl_prod, sdev->cpl_cons)) {
			err = take_completion(sdev, seq, opcode, cpl);
			if (!err) {
				sdev->admin_timeouts++;
				dev_err(sdev->dev, "admin: %s timed out after %u ms\n",
					snic_opcode_name(opcode), admin_timeout_ms);
				err = -ETIMEDOUT;
			}
			break;
		}
	}
	if (err < 0)
		goto out;
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
