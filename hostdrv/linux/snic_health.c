// SPDX-License-Identifier: GPL-2.0
/*
 * devlink health reporters (`devlink health show|diagnose|recover`):
 *
 *   fw_fatal       the firmware stopped running, or reset/rebooted without
 *                  the driver asking (the watchdog sees it). Recover: the
 *                  restore path (VNICs, rules, rates, links back from the
 *                  driver's copy); refused while the firmware is not running.
 *   tx_timeout     a VNIC's TX queue stalled (ndo_tx_timeout). Recover:
 *                  stop and restart that VNIC (queue, rings, uplink use).
 *   admin_timeout  an admin command went unanswered. Recover: a NOP must
 *                  get through the queue again.
 *
 * Reports come from the watchdog, the netdev watchdog timer and the admin
 * path; the last two may not sleep or hold the admin queue, so they only
 * note what happened and report from a work item.
 */
#include <linux/rtnetlink.h>
#include "snic_drv.h"

#define SNIC_HEALTH_GRACE_MS 1000  /* between automatic recoveries */

static struct snic_dev *rep_sdev(struct devlink_health_reporter *r)
{
	return devlink_health_reporter_priv(r);
}

/* ---- fw_fatal ---- */

void snic_health_fw_fatal(struct snic_dev *sdev, const char *why)
{
	struct snic_devlink *sd = snic_dl(sdev);

	if (!sd || !sd->fw_fatal || READ_ONCE(sd->shutdown) || READ_ONCE(sd->expect_reset))
		return;
	sd->fw_fatals++;
	strscpy(sd->fw_fatal_why, why, sizeof(sd->fw_fatal_why));
	/* why goes to recover: its restore logs the same reason. */
	devlink_health_report(sd->fw_fatal, why, (void *)why);
}

/* The device runs and our state is back in it. */
void snic_health_fw_ok(struct snic_dev *sdev)
{
	struct snic_devlink *sd = snic_dl(sdev);

	if (sd && sd->fw_fatal)
		devlink_health_reporter_state_update(sd->fw_fatal,
						     DEVLINK_HEALTH_REPORTER_STATE_HEALTHY);
}

static int fw_fatal_recover(struct devlink_health_reporter *r, void *ctx,
			    struct netlink_ext_ack *extack)
{
	struct snic_dev *sdev = rep_sdev(r);

	if (!snic_device_running(sdev)) {
		NL_SET_ERR_MSG_MOD(extack, "the firmware is not running; the driver restores once it runs again");
		return -EIO;
	}
	return snic_restore(sdev, ctx ? ctx : "fw_fatal recovery");
}

static int fw_fatal_diagnose(struct devlink_health_reporter *r, struct devlink_fmsg *f,
			     struct netlink_ext_ack *extack)
{
	struct snic_dev *sdev = rep_sdev(r);
	struct snic_devlink *sd = snic_dl(sdev);
	int err;

	err = devlink_fmsg_bool_pair_put(f, "running", snic_device_running(sdev));
	err = err ?: devlink_fmsg_u32_pair_put(f, "state", READ_ONCE(sdev->devid->state));
	err = err ?: devlink_fmsg_u32_pair_put(f, "heartbeat", READ_ONCE(sdev->devid->heartbeat));
	err = err ?: devlink_fmsg_u32_pair_put(f, "device_resets",
					       READ_ONCE(sdev->devid->reset_count));
	err = err ?: devlink_fmsg_u32_pair_put(f, "resets_restored", sdev->reset_count);
	err = err ?: devlink_fmsg_u64_pair_put(f, "restores", sdev->restores);
	err = err ?: devlink_fmsg_u64_pair_put(f, "fw_activations", sd->fw_activations);
	err = err ?: devlink_fmsg_string_pair_put(f, "firmware", sdev->fw_version);
	err = err ?: devlink_fmsg_string_pair_put(f, "last_fault",
						  sd->fw_fatals ? sd->fw_fatal_why : "none");
	return err;
}

static const struct devlink_health_reporter_ops fw_fatal_ops = {
	.name = "fw_fatal",
	.recover = fw_fatal_recover,
	.diagnose = fw_fatal_diagnose,
};

/* ---- tx_timeout ---- */

/* ndo_tx_timeout: netdev watchdog timer, TX lock held. */
void snic_tx_timeout(struct net_device *ndev, unsigned int txqueue)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	struct snic_devlink *sd = snic_dl(vnic->sdev);

	netdev_warn(ndev, "TX queue %u timed out (VNIC %u, TX ring %u)\n", txqueue, vnic->id,
		    vnic->tx_ring);
	if (!sd)
		return;
	WRITE_ONCE(sd->tx_timeouts, sd->tx_timeouts + 1);
	set_bit(vnic->id, sd->tx_pending);
	schedule_work(&sd->tx_work);
}

static void tx_timeout_work(struct work_struct *w)
{
	struct snic_devlink *sd = container_of(w, struct snic_devlink, tx_work);
	struct snic_vnic *vnic;
	unsigned int id;

	for_each_set_bit(id, sd->tx_pending, SNIC_MAX_VNICS_DRV) {
		if (READ_ONCE(sd->shutdown))
			return;
		if (!test_and_clear_bit(id, sd->tx_pending))
			continue;
		vnic = READ_ONCE(sd->sdev->vnic_by_id[id]);
		if (vnic && sd->tx_timeout)
			devlink_health_report(sd->tx_timeout, "TX timeout", vnic);
	}
}

/* Stop and start the VNIC again: queue, rings and its use of the uplink. */
static int restart_vnic(struct snic_vnic *vnic)
{
	struct snic_dev *sdev = vnic->sdev;
	int err = 0;

	mutex_lock(&sdev->cfg_lock);
	if (vnic->up) {
		snic_vnic_halt(vnic, true);
		err = snic_vnic_start(vnic);
	}
	mutex_unlock(&sdev->cfg_lock);
	if (err)
		netdev_err(vnic->ndev, "TX restart failed: %d\n", err);
	else
		netdev_info(vnic->ndev, "TX restarted after a timeout\n");
	return err;
}

/* ctx NULL (`devlink health recover`): every VNIC whose queue is stopped. */
static int tx_timeout_recover(struct devlink_health_reporter *r, void *ctx,
			      struct netlink_ext_ack *extack)
{
	struct snic_dev *sdev = rep_sdev(r);
	unsigned int i;
	int err = 0;

	if (ctx)
		return restart_vnic(ctx);
	for (i = 0; i < sdev->n_ndevs && !err; i++) {
		struct snic_vnic *vnic = netdev_priv(sdev->ndevs[i]);

		if (vnic->up && netif_queue_stopped(vnic->ndev))
			err = restart_vnic(vnic);
	}
	if (err)
		NL_SET_ERR_MSG_MOD(extack, "a VNIC could not be restarted (see the kernel log)");
	return err;
}

static int tx_vnic_diagnose(struct devlink_fmsg *f, struct snic_vnic *vnic)
{
	struct snic_tx_ring *ring = &vnic->sdev->tx[vnic->tx_ring];
	int err;

	err = devlink_fmsg_obj_nest_start(f);
	err = err ?: devlink_fmsg_string_pair_put(f, "netdev", netdev_name(vnic->ndev));
	err = err ?: devlink_fmsg_u32_pair_put(f, "vnic", vnic->id);
	err = err ?: devlink_fmsg_u32_pair_put(f, "tx_ring", vnic->tx_ring);
	err = err ?: devlink_fmsg_bool_pair_put(f, "up", vnic->up);
	err = err ?: devlink_fmsg_bool_pair_put(f, "queue_stopped",
						netif_queue_stopped(vnic->ndev));
	if (ring->ready) {
		err = err ?: devlink_fmsg_u32_pair_put(f, "desc_prod", ring->desc_prod);
		err = err ?: devlink_fmsg_u32_pair_put(f, "desc_cons",
						       READ_ONCE(ring->ctrl->desc_cons));
	}
	err = err ?: devlink_fmsg_u64_pair_put(f, "ring_busy", ring->stats.busy);
	return err ?: devlink_fmsg_obj_nest_end(f);
}

static int tx_timeout_diagnose(struct devlink_health_reporter *r, struct devlink_fmsg *f,
			       struct netlink_ext_ack *extack)
{
	struct snic_dev *sdev = rep_sdev(r);
	unsigned int i;
	int err;

	err = devlink_fmsg_u64_pair_put(f, "timeouts", READ_ONCE(snic_dl(sdev)->tx_timeouts));
	err = err ?: devlink_fmsg_arr_pair_nest_start(f, "vnics");
	mutex_lock(&sdev->cfg_lock);
	for (i = 0; i < sdev->n_ndevs && !err; i++)
		err = tx_vnic_diagnose(f, netdev_priv(sdev->ndevs[i]));
	mutex_unlock(&sdev->cfg_lock);
	return err ?: devlink_fmsg_arr_pair_nest_end(f);
}

static const struct devlink_health_reporter_ops tx_timeout_ops = {
	.name = "tx_timeout",
	.recover = tx_timeout_recover,
	.diagnose = tx_timeout_diagnose,
};

/* ---- admin_timeout ---- */

/* From the admin path, admin_lock held: note it, report later. */
void snic_health_admin_timeout(struct snic_dev *sdev, u16 opcode)
{
	struct snic_devlink *sd = snic_dl(sdev);

	if (!sd)
		return;
	sd->admin_last_opcode = opcode;
	sd->admin_last_seq = sdev->seq;
	sd->admin_last_jiffies = jiffies;
	schedule_work(&sd->admin_work);
}

static void admin_timeout_work(struct work_struct *w)
{
	struct snic_devlink *sd = container_of(w, struct snic_devlink, admin_work);

	if (!READ_ONCE(sd->shutdown) && sd->admin_timeout)
		devlink_health_report(sd->admin_timeout, "admin command timed out", NULL);
}

static int admin_timeout_recover(struct devlink_health_reporter *r, void *ctx,
				 struct netlink_ext_ack *extack)
{
	int err = snic_admin_exec(rep_sdev(r), SNIC_CMD_NOP, NULL, 0, NULL, 0);

	if (err)
		NL_SET_ERR_MSG_MOD(extack, "the admin queue still does not answer a NOP");
	return err;
}

static int admin_timeout_diagnose(struct devlink_health_reporter *r, struct devlink_fmsg *f,
				  struct netlink_ext_ack *extack)
{
	struct snic_dev *sdev = rep_sdev(r);
	struct snic_devlink *sd = snic_dl(sdev);
	struct snic_blk_admin *a = sdev->admin;
	bool seen = sdev->admin_timeouts && sd->admin_last_jiffies;
	int err;

	err = devlink_fmsg_u64_pair_put(f, "timeouts", sdev->admin_timeouts);
	err = err ?: devlink_fmsg_u64_pair_put(f, "takeovers", sdev->admin_takeovers);
	err = err ?: devlink_fmsg_string_pair_put(f, "last_opcode",
						  seen ? snic_opcode_name(sd->admin_last_opcode) :
						  "none");
	err = err ?: devlink_fmsg_u32_pair_put(f, "last_seq", seen ? sd->admin_last_seq : 0);
	err = err ?: devlink_fmsg_u32_pair_put(f, "last_ms_ago", seen ?
			jiffies_to_msecs(jiffies - sd->admin_last_jiffies) : 0);
	err = err ?: devlink_fmsg_u32_pair_put(f, "lock", READ_ONCE(a->lock));
	err = err ?: devlink_fmsg_u32_pair_put(f, "cmd_prod", READ_ONCE(a->cmd_prod));
	err = err ?: devlink_fmsg_u32_pair_put(f, "cmd_cons", READ_ONCE(a->cmd_cons));
	err = err ?: devlink_fmsg_u32_pair_put(f, "cpl_prod", READ_ONCE(a->cpl_prod));
	err = err ?: devlink_fmsg_u32_pair_put(f, "cpl_cons", READ_ONCE(a->cpl_cons));
	return err;
}

static const struct devlink_health_reporter_ops admin_timeout_ops = {
	.name = "admin_timeout",
	.recover = admin_timeout_recover,
	.diagnose = admin_timeout_diagnose,
};

/* ---- lifetime ---- */

/* Before sdev->devlink is set: the hooks may schedule them at once. */
void snic_health_init(struct snic_devlink *sd)
{
	INIT_WORK(&sd->tx_work, tx_timeout_work);
	INIT_WORK(&sd->admin_work, admin_timeout_work);
}

static struct devlink_health_reporter *create(struct snic_dev *sdev,
					      const struct devlink_health_reporter_ops *ops)
{
	struct devlink_health_reporter *r;

	r = devlink_health_reporter_create(sdev->devlink, ops, SNIC_HEALTH_GRACE_MS, sdev);
	if (IS_ERR(r)) {
		dev_warn(sdev->dev, "devlink: health reporter %s: %ld\n", ops->name, PTR_ERR(r));
		return NULL;
	}
	return r;
}

int snic_health_create(struct snic_dev *sdev)
{
	struct snic_devlink *sd = snic_dl(sdev);

	sd->fw_fatal = create(sdev, &fw_fatal_ops);
	sd->tx_timeout = create(sdev, &tx_timeout_ops);
	sd->admin_timeout = create(sdev, &admin_timeout_ops);
	return sd->fw_fatal && sd->tx_timeout && sd->admin_timeout ? 0 : -ENOMEM;
}

/* Reports in flight finish first; later ones see shutdown and drop. */
void snic_health_destroy(struct snic_dev *sdev)
{
	struct snic_devlink *sd = snic_dl(sdev);

	WRITE_ONCE(sd->shutdown, true);
	cancel_work_sync(&sd->tx_work);
	cancel_work_sync(&sd->admin_work);
	if (sd->fw_fatal)
		devlink_health_reporter_destroy(sd->fw_fatal);
	if (sd->tx_timeout)
		devlink_health_reporter_destroy(sd->tx_timeout);
	if (sd->admin_timeout)
		devlink_health_reporter_destroy(sd->admin_timeout);
	sd->fw_fatal = sd->tx_timeout = sd->admin_timeout = NULL;
}
