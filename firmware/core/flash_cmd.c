/* SPDX-License-Identifier: MIT */
/*
 * Firmware update commands (see flash_cmd.h and docs/firmware-image.md).
 *
 * The host streams an image into the spare slot; nothing about the slot
 * the device runs from, or boots by default, ever changes here. The image
 * is checked as it sits in flash (read back, not as it was sent), so a
 * write that flash silently dropped is caught before the slot is marked
 * for a trial boot.
 */
#include "fw_internal.h"
#include "flash_cmd.h"




void fw_flash_attach(struct fw *fw, const struct fw_flash_ops *ops)
{
	fw->flash.ops = ops;
	fw->flash.sess.open = false;
	fw->flash.reboot_requested = false;
}

void fw_flash_booted(struct fw *fw, uint32_t slot, const struct snic_fwimg_hdr *h)
{
	struct snic_blk_fw *f = fw_at(fw, fw->lay.fwblk);

	if (fw->state != SNIC_STATE_RUNNING)
		return;
	f->slot = slot;
	if (!h)
		return;
	f->version = h->fw_version;
	unsigned i;
	for (i = 0; i < sizeof(f->build) - 1 && h->build[i]; i++)
		f->build[i] = h->build[i];
	for (; i < sizeof(f->build); i++)
		f->build[i] = 0;
}

bool fw_flash_opcode(uint16_t opcode)
{
	return opcode >= SNIC_CMD_FLASH_QUERY && opcode <= SNIC_CMD_FW_REBOOT;
}

static uint32_t payload_len(uint16_t opcode)
{
	switch (opcode) {
	case SNIC_CMD_FLASH_BEGIN:  return sizeof(struct snic_flash_begin);
	case SNIC_CMD_FLASH_WRITE:  return sizeof(struct snic_flash_write);
	case SNIC_CMD_FLASH_COMMIT: return sizeof(struct snic_flash_commit);
	default:                    return 0; /* QUERY, REBOOT */
	}
}

/* The slot an update goes to: never the running one, nor the default. */
static uint32_t spare_slot(const struct fw_flash_status *st)
{
	if (st->running < FW_FLASH_SLOTS)
		return st->running ^ 1;
	if (st->active < FW_FLASH_SLOTS)
		return st->active ^ 1;
	return 0;
}

/*
 * Read a slot's image back and check it completely. `file_size` and
 * `file_crc` are what the host announced (0, 0: not known, as in QUERY).
 * Returns a FWIMG_* code; *h is filled when the header was readable.
 */
static int verify_slot(struct fw *fw, uint32_t slot, uint32_t file_size, uint32_t file_crc,
		       struct snic_fwimg_hdr *h, bool *empty)
{
	uint8_t buf[256];
	uint32_t size;

	*empty = false;
	if (fw->flash.ops->read(fw->flash.ops->ctx, slot, 0, buf, SNIC_FWIMG_HDR_SIZE) < 0)
		return FWIMG_E_SHORT;
	if (snic_fwimg_le32(buf) == 0xffffffffu) {
		*empty = true;
		return FWIMG_E_MAGIC;
	}
	int err = snic_fwimg_check_hdr(buf, SNIC_FWIMG_HDR_SIZE, SNIC_ABI_MAJOR, h);
	if (err)
		return err;
	size = SNIC_FWIMG_HDR_SIZE + h->size;
	if (size > fw->flash.ops->slot_size)
		return FWIMG_E_TOO_BIG;
	if (file_size && size < file_size)
		return FWIMG_E_TRAILING;
	if (file_size && size > file_size)
		return FWIMG_E_TRUNCATED;

	uint32_t crc_file = snic_crc32(0, buf, SNIC_FWIMG_HDR_SIZE);
	uint32_t crc_payload = 0;
	for (uint32_t off = SNIC_FWIMG_HDR_SIZE; off < size;) {
		uint32_t n = size - off < sizeof(buf) ? size - off : sizeof(buf);
		if (fw->flash.ops->read(fw->flash.ops->ctx, slot, off, buf, n) < 0)
			return FWIMG_E_TRUNCATED;
		crc_file = snic_crc32(crc_file, buf, n);
		crc_payload = snic_crc32(crc_payload, buf, n);
		off += n;
	}
	if (crc_payload != h->crc32 || (file_size && crc_file != file_crc))
		return FWIMG_E_CRC;
	return FWIMG_OK;
}

static void slot_info(struct fw *fw, uint32_t slot, struct snic_flash_slot_info *out)
{
	struct snic_fwimg_hdr h;
	bool empty;
	int err = verify_slot(fw, slot, 0, 0, &h, &empty);

	fw_memset(out, 0, sizeof(*out));
	if (empty) {
		out->state = SNIC_SLOT_EMPTY;
		return;
	}
	out->state = err ? SNIC_SLOT_INVALID : SNIC_SLOT_VALID;
	if (err)
		return;
	out->fw_version = h.fw_version;
	out->size = SNIC_FWIMG_HDR_SIZE + h.size;
	out->crc32 = h.crc32;
	out->abi_major = h.abi_major;
	out->abi_minor = h.abi_minor;
	for (unsigned i = 0; i < sizeof(out->build) - 1 && h.build[i]; i++)
		out->build[i] = h.build[i];
}

static uint16_t do_query(struct fw *fw, struct snic_admin_cpl *r)
{
	struct snic_flash_info info;
	struct fw_flash_status st;

	fw_memset(&info, 0, sizeof(info));
	fw->flash.ops->status(fw->flash.ops->ctx, &st);
	info.n_slots = FW_FLASH_SLOTS;
	info.slot_size = fw->flash.ops->slot_size;
	info.running = st.running;
	info.active = st.active;
	info.trial = st.trial;
	info.boot_count = st.boot_count;
	info.last_event = st.last_event;
	info.event_slot = st.event_slot;
	for (uint32_t s = 0; s < FW_FLASH_SLOTS; s++)
		slot_info(fw, s, &info.slot[s]);
	fw_memcpy(r->payload, &info, sizeof(info));
	r->len = sizeof(info);
	return SNIC_OK;
}

static uint16_t reply_slot(struct snic_admin_cpl *r, uint32_t slot)
{
	struct snic_flash_slot out;

	fw_memset(&out, 0, sizeof(out));
	out.slot = slot;
	out.chunk_max = SNIC_FLASH_CHUNK;
	fw_memcpy(r->payload, &out, sizeof(out));
	r->len = sizeof(out);
	return SNIC_OK;
}

static uint16_t do_begin(struct fw *fw, const struct snic_flash_begin *b, struct snic_admin_cpl *r)
{
	struct fw_flash_status st;

	/* A new BEGIN replaces any session the host abandoned, and one that
	 * is refused leaves none open. */
	fw->flash.sess.open = false;
	if (b->rsvd[0] || b->rsvd[1])
		return SNIC_E_INVAL;
	if (b->size < SNIC_FWIMG_HDR_SIZE || b->size > fw->flash.ops->slot_size)
		return SNIC_E_RANGE;
	fw->flash.ops->status(fw->flash.ops->ctx, &st);
	uint32_t slot = spare_slot(&st);
	if (fw->flash.ops->erase(fw->flash.ops->ctx, slot) < 0)
		return SNIC_E_BUSY;
	fw->flash.sess.open = true;
	fw->flash.sess.slot = slot;
	fw->flash.sess.size = b->size;
	fw->flash.sess.crc = b->crc32;
	fw->flash.sess.written = 0;
	return reply_slot(r, slot);
}

static uint16_t do_write(struct fw *fw, const struct snic_flash_write *w)
{
	if (!fw->flash.sess.open)
		return SNIC_E_NOENT;
	/* Any error ends the session: the host starts again from BEGIN. */
	fw->flash.sess.open = false;
	if (w->rsvd[0] || w->rsvd[1] || w->len == 0 || w->len > SNIC_FLASH_CHUNK ||
	    !fw_is_zero(w->data + w->len, SNIC_FLASH_CHUNK - w->len))
		return SNIC_E_INVAL;
	if (w->offset != fw->flash.sess.written ||
	    w->len > fw->flash.sess.size - fw->flash.sess.written)
		return SNIC_E_RANGE;
	if (fw->flash.ops->write(fw->flash.ops->ctx, fw->flash.sess.slot, w->offset, w->data,
				 w->len) < 0)
		return SNIC_E_BUSY;
	fw->flash.sess.written += w->len;
	fw->flash.sess.open = true;
	return SNIC_OK;
}

static uint16_t do_commit(struct fw *fw, const struct snic_flash_commit *c,
			  struct snic_admin_cpl *r)
{
	struct snic_fwimg_hdr h;
	bool empty;

	if (!fw->flash.sess.open)
		return SNIC_E_NOENT;
	fw->flash.sess.open = false;
	if (c->rsvd[0] || c->rsvd[1] || c->size != fw->flash.sess.size ||
	    c->crc32 != fw->flash.sess.crc)
		return SNIC_E_INVAL;
	if (fw->flash.sess.written != fw->flash.sess.size)
		return SNIC_E_RANGE;
	if (verify_slot(fw, fw->flash.sess.slot, fw->flash.sess.size, fw->flash.sess.crc, &h,
			&empty) != FWIMG_OK) {
		/* Never leave a bad image where a boot loader could find it. */
		fw->flash.ops->erase(fw->flash.ops->ctx, fw->flash.sess.slot);
		return SNIC_E_IMAGE;
	}
	if (fw->flash.ops->set_trial(fw->flash.ops->ctx, fw->flash.sess.slot) < 0)
		return SNIC_E_BUSY;
	return reply_slot(r, fw->flash.sess.slot);
}

uint16_t fw_flash_exec(struct fw *fw, const struct snic_admin_cmd *c, struct snic_admin_cpl *r)
{
	union {
		struct snic_flash_begin  begin;
		struct snic_flash_write  write;
		struct snic_flash_commit commit;
	} in;

	if (c->rsvd0 || c->rsvd1)
		return SNIC_E_INVAL;
	if (c->len != payload_len(c->opcode))
		return SNIC_E_LEN;
	if (!fw->flash.ops)
		return SNIC_E_UNSUPP;
	fw_memcpy(&in, c->payload, c->len);
	switch (c->opcode) {
	case SNIC_CMD_FLASH_QUERY:
		return do_query(fw, r);
	case SNIC_CMD_FLASH_BEGIN:
		return do_begin(fw, &in.begin, r);
	case SNIC_CMD_FLASH_WRITE:
		return do_write(fw, &in.write);
	case SNIC_CMD_FLASH_COMMIT:
		return do_commit(fw, &in.commit, r);
	default: /* SNIC_CMD_FW_REBOOT */
		fw->flash.sess.open = false;
		fw->flash.reboot_requested = true;
		fw->flash.reboot_asked_ns = hal_now_ns(fw->hal);
		return SNIC_OK;
	}
}

bool fw_flash_reboot_due(const struct fw *fw)
{
	if (!fw->flash.reboot_requested)
		return false;
	const struct snic_blk_admin *a = FW_ADMIN(fw);
	if (fw_load_acq(&a->cpl_cons) == a->cpl_prod)
		return true;
	return hal_now_ns(fw->hal) - fw->flash.reboot_asked_ns >= FW_REBOOT_GRACE_NS;
}
