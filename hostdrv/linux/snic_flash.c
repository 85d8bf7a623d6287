// SPDX-License-Identifier: GPL-2.0
/*
 * Firmware update through devlink (docs/firmware-image.md, docs/kmod.md).
 *
 * `devlink dev flash pci/... file snic-fw.img`: devlink loads the file
 * from /lib/firmware; the driver checks it (header, CRCs, ABI, size)
 * before the device sees a byte, then writes it with the same commands as
 * `snicctl flash`: FLASH_BEGIN, FLASH_WRITE in order, FLASH_COMMIT. The
 * device writes only the slot it is not running from and checks the image
 * again at commit, so a running device carries on untouched and any
 * refusal leaves both slots' roles as they were.
 *
 * `devlink dev reload action fw_activate`: FW_REBOOT; the device boots the
 * committed image (or rolls back to the previous one if it cannot boot);
 * the driver waits for it and restores its VNICs, rules, rates and links
 * through the restore path (snic_reset.c), as after any reboot.
 */
#include <linux/crc32.h>
#include <linux/delay.h>
#include <linux/firmware.h>
#include <asm/unaligned.h>
#include <snic/fwimage.h>
#include "snic_drv.h"

/* The image header's fields, read in place (little-endian, unaligned). */
#define SNIC_IMG_MAGIC       SNIC_FWIMG_MAGIC
#define SNIC_IMG_HDR_SIZE    SNIC_FWIMG_HDR_SIZE
#define SNIC_IMG_OFF_ABI     offsetof(struct snic_fwimg_hdr, abi_major)
#define SNIC_IMG_OFF_VERSION offsetof(struct snic_fwimg_hdr, fw_version)
#define SNIC_IMG_OFF_SIZE    offsetof(struct snic_fwimg_hdr, size)
#define SNIC_IMG_OFF_CRC     offsetof(struct snic_fwimg_hdr, crc32)
#define SNIC_IMG_OFF_HDR_CRC offsetof(struct snic_fwimg_hdr, hdr_crc)

#define SNIC_REBOOT_WAIT_MS  30000  /* a TCG guest next to a busy simulator */
#define SNIC_FLASH_NOTIFY    16     /* chunks between progress messages */

/* CRC-32/IEEE as the image and FLASH_BEGIN use it. */
static u32 img_crc(const u8 *p, size_t len)
{
	return ~crc32_le(~0u, p, len);
}

/* Everything the file alone can tell; the device checks the rest. */
static int check_image(struct snic_dev *sdev, const struct firmware *fw,
		       struct netlink_ext_ack *extack)
{
	const u8 *p = fw->data;
	u32 size;

	if (fw->size < SNIC_IMG_HDR_SIZE) {
		NL_SET_ERR_MSG_MOD(extack, "file is shorter than a snic image header");
		return -EINVAL;
	}
	if (get_unaligned_le32(p) != SNIC_IMG_MAGIC) {
		NL_SET_ERR_MSG_MOD(extack, "not a snic firmware image (bad magic)");
		return -EINVAL;
	}
	if (img_crc(p, SNIC_IMG_OFF_HDR_CRC) != get_unaligned_le32(p + SNIC_IMG_OFF_HDR_CRC)) {
		NL_SET_ERR_MSG_MOD(extack, "image header is corrupt (header CRC mismatch)");
		return -EINVAL;
	}
	if (get_unaligned_le16(p + SNIC_IMG_OFF_ABI) != READ_ONCE(sdev->devid->abi_major)) {
		dev_err(sdev->dev, "flash: image built for ABI %u.x, the device runs ABI %u.x\n",
			get_unaligned_le16(p + SNIC_IMG_OFF_ABI), READ_ONCE(sdev->devid->abi_major));
		NL_SET_ERR_MSG_MOD(extack, "image was built for another ABI major version than the device runs");
		return -EINVAL;
	}
	size = get_unaligned_le32(p + SNIC_IMG_OFF_SIZE);
	if (fw->size - SNIC_IMG_HDR_SIZE != size) {
		if (fw->size - SNIC_IMG_HDR_SIZE < size)
			NL_SET_ERR_MSG_MOD(extack, "image is truncated (payload shorter than the header says)");
		else
			NL_SET_ERR_MSG_MOD(extack, "image has trailing bytes after the payload");
		return -EINVAL;
	}
	if (img_crc(p + SNIC_IMG_HDR_SIZE, size) != get_unaligned_le32(p + SNIC_IMG_OFF_CRC)) {
		NL_SET_ERR_MSG_MOD(extack, "image payload is corrupt (CRC mismatch)");
		return -EINVAL;
	}
	return 0;
}

int snic_flash_query(struct snic_dev *sdev, struct snic_flash_info *info)
{
	return snic_admin_exec(sdev, SNIC_CMD_FLASH_QUERY, NULL, 0, info, sizeof(*info));
}

static int query_for_flash(struct snic_dev *sdev, struct snic_flash_info *info,
			   struct netlink_ext_ack *extack)
{
	int err = snic_flash_query(sdev, info);

	if (err == -EOPNOTSUPP)
		NL_SET_ERR_MSG_MOD(extack, "the device has no flash for firmware updates (snic-sim needs --flash FILE)");
	else if (err)
		NL_SET_ERR_MSG_MOD(extack, "FLASH_QUERY failed: device not answering");
	return err;
}

static int write_chunks(struct devlink *dl, struct snic_dev *sdev, const struct firmware *fw,
			struct netlink_ext_ack *extack)
{
	struct snic_flash_write *w;
	size_t off, n;
	int err = 0;
	u32 chunk = 0;

	w = kmalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	for (off = 0; off < fw->size; off += n, chunk++) {
		n = min_t(size_t, fw->size - off, SNIC_FLASH_CHUNK);
		memset(w, 0, sizeof(*w));
		w->offset = off;
		w->len = n;
		memcpy(w->data, fw->data + off, n);
		err = snic_admin_exec(sdev, SNIC_CMD_FLASH_WRITE, w, sizeof(*w), NULL, 0);
		if (err) {
			dev_err(sdev->dev, "flash: FLASH_WRITE at offset %zu failed: %d\n", off, err);
			NL_SET_ERR_MSG_MOD(extack, "FLASH_WRITE failed; the update is abandoned, the running firmware is untouched");
			break;
		}
		if (chunk % SNIC_FLASH_NOTIFY == 0)
			devlink_flash_update_status_notify(dl, "Writing", "fw", off + n, fw->size);
	}
	kfree(w);
	return err;
}

int snic_flash_update(struct devlink *dl, struct devlink_flash_update_params *params,
		      struct netlink_ext_ack *extack)
{
	struct snic_dev *sdev = ((struct snic_devlink *)devlink_priv(dl))->sdev;
	const struct firmware *fw = params->fw;
	struct snic_flash_begin b = { .size = fw->size };
	struct snic_flash_commit c = { .size = fw->size };
	struct snic_flash_info info;
	struct snic_flash_slot s;
	u32 ver;
	int err;

	devlink_flash_update_status_notify(dl, "Checking the image", "fw", 0, 0);
	err = check_image(sdev, fw, extack);
	if (err)
		return err;
	err = query_for_flash(sdev, &info, extack);
	if (err)
		return err;
	if (fw->size > info.slot_size) {
		dev_err(sdev->dev, "flash: image is %zu bytes, the device's slots hold %u\n",
			fw->size, info.slot_size);
		NL_SET_ERR_MSG_MOD(extack, "image is larger than the device's flash slots");
		return -EFBIG;
	}
	b.crc32 = img_crc(fw->data, fw->size);
	c.crc32 = b.crc32;
	err = snic_admin_exec(sdev, SNIC_CMD_FLASH_BEGIN, &b, sizeof(b), &s, sizeof(s));
	if (err) {
		if (err == -EBUSY)
			NL_SET_ERR_MSG_MOD(extack, "FLASH_BEGIN refused: another update is in progress");
		else
			NL_SET_ERR_MSG_MOD(extack, "FLASH_BEGIN refused by the device");
		return err;
	}
	err = write_chunks(dl, sdev, fw, extack);
	if (err)
		return err;
	devlink_flash_update_status_notify(dl, "Verifying on the device", "fw", 0, 0);
	err = snic_admin_exec(sdev, SNIC_CMD_FLASH_COMMIT, &c, sizeof(c), &s, sizeof(s));
	if (err) {
		/* SNIC_E_IMAGE arrives as -EIO: the device's own checks failed. */
		if (err == -EIO)
			NL_SET_ERR_MSG_MOD(extack, "FLASH_COMMIT refused: the image failed verification on the device");
		else
			NL_SET_ERR_MSG_MOD(extack, "FLASH_COMMIT refused: the new image is not marked for boot");
		return err;
	}
	ver = get_unaligned_le32(fw->data + SNIC_IMG_OFF_VERSION);
	dev_info(sdev->dev, "firmware %u.%u.%u written to slot %u; boots on devlink dev reload action fw_activate\n",
		 ver >> 16, (ver >> 8) & 0xff, ver & 0xff, s.slot);
	devlink_flash_update_status_notify(dl, "Flash done; activate with devlink dev reload action fw_activate",
					   "fw", 0, 0);
	return 0;
}

/* Reload, first half: ask for the reboot. devlink's instance lock is held. */
int snic_fw_activate_down(struct snic_dev *sdev, struct netlink_ext_ack *extack)
{
	struct snic_devlink *sd = snic_dl(sdev);
	int err;

	WRITE_ONCE(sd->expect_reset, true); /* the watchdog will see it go */
	sd->reboot_resets = READ_ONCE(sdev->devid->reset_count);
	err = snic_admin_exec(sdev, SNIC_CMD_FW_REBOOT, NULL, 0, NULL, 0);
	if (err) {
		WRITE_ONCE(sd->expect_reset, false);
		if (err == -EOPNOTSUPP)
			NL_SET_ERR_MSG_MOD(extack, "FW_REBOOT refused: the device has no flash");
		else
			NL_SET_ERR_MSG_MOD(extack, "FW_REBOOT refused by the device");
	}
	return err;
}

/*
 * Second half: wait for the new boot, restore, tell what booted. The
 * watchdog may see the boot first and restore itself: the restore below
 * is then a no-op, so the new boot is judged by the device's reset_count
 * against its value before the reboot, not against the driver's copy.
 */
int snic_fw_activate_up(struct snic_dev *sdev, struct netlink_ext_ack *extack)
{
	struct snic_devlink *sd = snic_dl(sdev);
	unsigned long end = jiffies + msecs_to_jiffies(SNIC_REBOOT_WAIT_MS);
	struct snic_flash_info info;
	int err;

	while (READ_ONCE(sdev->devid->reset_count) == sd->reboot_resets ||
	       !snic_device_running(sdev)) {
		if (time_after(jiffies, end)) {
			WRITE_ONCE(sd->expect_reset, false);
			NL_SET_ERR_MSG_MOD(extack, "the device did not come back from FW_REBOOT in time");
			return -ETIMEDOUT;
		}
		msleep(20);
	}
	err = snic_restore(sdev, "firmware activated");
	WRITE_ONCE(sd->expect_reset, false);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "the device came back but the driver could not restore its VNICs");
		return err;
	}
	sd->fw_activations++;
	if (snic_flash_query(sdev, &info))
		return 0; /* booted and restored; only the report is missing */
	if (info.last_event == SNIC_FLASH_EV_ROLLBACK) {
		dev_err(sdev->dev, "the new firmware in slot %u did not boot; rolled back\n",
			info.event_slot);
		NL_SET_ERR_MSG_MOD(extack, "the new firmware did not boot; the device rolled back to its previous firmware");
		return -EIO;
	}
	return 0;
}

static void put_version(char *buf, size_t n, u32 v, const char *build)
{
	snprintf(buf, n, "%u.%u.%u %.*s", v >> 16, (v >> 8) & 0xff, v & 0xff,
		 (int)sizeof(((struct snic_flash_slot_info *)0)->build), build);
}

/*
 * devlink dev info: fw.slot (running slot, "built-in" without one) and,
 * as the stored version, the image the next boot takes (trial, or the
 * default slot). Nothing when the device has no flash.
 */
int snic_flash_info_put(struct snic_dev *sdev, struct devlink_info_req *req)
{
	struct snic_flash_info info;
	char buf[48];
	u32 next;
	int err;

	if (snic_flash_query(sdev, &info))
		return 0;
	if (info.running < 2)
		snprintf(buf, sizeof(buf), "%u", info.running);
	else
		strscpy(buf, "built-in", sizeof(buf));
	err = devlink_info_version_running_put(req, "fw.slot", buf);
	next = info.trial < 2 ? info.trial : info.active;
	if (err || next >= 2 || info.slot[next].state != SNIC_SLOT_VALID)
		return err;
	info.slot[next].build[sizeof(info.slot[next].build) - 1] = 0;
	put_version(buf, sizeof(buf), info.slot[next].fw_version, info.slot[next].build);
	err = devlink_info_version_stored_put(req, DEVLINK_INFO_VERSION_GENERIC_FW, buf);
	if (!err) {
		snprintf(buf, sizeof(buf), "%u", next);
		err = devlink_info_version_stored_put(req, "fw.slot", buf);
	}
	return err;
}
