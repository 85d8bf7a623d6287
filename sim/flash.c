/* SPDX-License-Identifier: MIT */
/* The simulated flash and boot loader; see flash.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "flash.h"

static uint8_t *slot_mem(const struct sim_flash *f, uint32_t slot)
{
	return f->mem + SNIC_FLASH_SLOT_OFF(slot);
}

static void save_ctl(struct sim_flash *f)
{
	uint8_t rec[SNIC_BOOTCTL_BYTES];

	snic_bootctl_encode(&f->ctl, rec);
	memset(f->mem, 0xff, SNIC_FLASH_SECTOR);
	memcpy(f->mem, rec, sizeof(rec));
	if (f->fd >= 0)
		msync(f->mem, SNIC_FLASH_SECTOR, MS_SYNC);
}

static void load_ctl(struct sim_flash *f)
{
	/* An erased or torn record means a fresh flash: defaults. */
	if (snic_bootctl_decode(f->mem, &f->ctl) < 0)
		snic_bootctl_default(&f->ctl);
}

/* ---- the flash operations the firmware's update commands use ---- */

static int op_erase(void *ctx, uint32_t slot)
{
	struct sim_flash *f = ctx;
	if (slot >= SNIC_FLASH_NSLOTS)
		return -1;
	memset(slot_mem(f, slot), 0xff, SNIC_FWIMG_SLOT_SIZE);
	if (f->ctl.trial == slot) {
		f->ctl.trial = SNIC_BOOT_NONE;
		save_ctl(f);
	}
	return 0;
}

static int op_write(void *ctx, uint32_t slot, uint32_t off, const uint8_t *src, uint32_t len)
{
	struct sim_flash *f = ctx;
	if (slot >= SNIC_FLASH_NSLOTS || off > SNIC_FWIMG_SLOT_SIZE ||
	    len > SNIC_FWIMG_SLOT_SIZE - off)
		return -1;
	/* NOR flash: programming only clears bits, so writing over data that
	 * was not erased first leaves a mix the verification will catch. */
	uint8_t *dst = slot_mem(f, slot) + off;
	for (uint32_t i = 0; i < len; i++)
		dst[i] &= src[i];
	return 0;
}

static int op_read(void *ctx, uint32_t slot, uint32_t off, uint8_t *dst, uint32_t len)
{
	struct sim_flash *f = ctx;
	if (slot >= SNIC_FLASH_NSLOTS || off > SNIC_FWIMG_SLOT_SIZE ||
	    len > SNIC_FWIMG_SLOT_SIZE - off)
		return -1;
	memcpy(dst, slot_mem(f, slot) + off, len);
	return 0;
}

static int op_set_trial(void *ctx, uint32_t slot)
{
	struct sim_flash *f = ctx;
	if (slot >= SNIC_FLASH_NSLOTS)
		return -1;
	f->ctl.trial = slot;
	save_ctl(f);
	return 0;
}

static void op_status(void *ctx, struct fw_flash_status *st)
{
	struct sim_flash *f = ctx;
	st->running = f->booted;
	st->active = f->ctl.active;
	st->trial = f->ctl.trial;
	st->boot_count = f->ctl.boot_count;
	st->last_event = f->ctl.last_event;
	st->event_slot = f->ctl.event_slot;
}

static void setup_ops(struct sim_flash *f)
{
	f->ops.ctx = f;
	f->ops.slot_size = SNIC_FWIMG_SLOT_SIZE;
	f->ops.erase = op_erase;
	f->ops.write = op_write;
	f->ops.read = op_read;
	f->ops.set_trial = op_set_trial;
	f->ops.status = op_status;
	f->booted = SNIC_BOOT_NONE;
	load_ctl(f);
}

void sim_flash_init_mem(struct sim_flash *f, uint8_t *mem)
{
	memset(f, 0, sizeof(*f));
	f->mem = mem;
	f->fd = -1;
	setup_ops(f);
}

int sim_flash_open(struct sim_flash *f, const char *path)
{
	struct stat st;

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	int fd = open(path, O_RDWR | O_CREAT, 0644);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "snic-sim: flash %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	int fresh = st.st_size == 0;
	if (!fresh && st.st_size != SNIC_FLASH_TOTAL) {
		fprintf(stderr, "snic-sim: flash %s is %lld bytes, a snic flash is %u\n",
			path, (long long)st.st_size, SNIC_FLASH_TOTAL);
		close(fd);
		return -1;
	}
	if (fresh && ftruncate(fd, SNIC_FLASH_TOTAL) < 0) {
		fprintf(stderr, "snic-sim: flash %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	void *m = mmap(NULL, SNIC_FLASH_TOTAL, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		fprintf(stderr, "snic-sim: flash %s: mmap: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	f->mem = m;
	f->fd = fd;
	if (fresh)
		memset(f->mem, 0xff, SNIC_FLASH_TOTAL); /* a new flash is erased */
	setup_ops(f);
	return 0;
}

void sim_flash_close(struct sim_flash *f)
{
	if (f->mem && f->fd >= 0) {
		msync(f->mem, SNIC_FLASH_TOTAL, MS_SYNC);
		munmap(f->mem, SNIC_FLASH_TOTAL);
		close(f->fd);
	}
	f->mem = NULL;
	f->fd = -1;
}

int sim_flash_check_slot(const struct sim_flash *f, uint32_t slot, struct snic_fwimg_hdr *h)
{
	if (slot >= SNIC_FLASH_NSLOTS)
		return FWIMG_E_SHORT;
	const uint8_t *p = slot_mem(f, slot);
	int err = snic_fwimg_check_hdr(p, SNIC_FWIMG_SLOT_SIZE, SNIC_ABI_MAJOR, h);
	if (err)
		return err;
	/* The slot is larger than the image: check exactly the image. */
	err = snic_fwimg_check(p, SNIC_FWIMG_HDR_SIZE + h->size, SNIC_ABI_MAJOR, h);
	if (err)
		return err;
	return snic_image_fits_core(h) ? FWIMG_OK : FWIMG_E_LAYOUT;
}

/* Check and start one slot; on success it becomes the running one. */
static int try_slot(struct sim_flash *f, uint32_t slot, sim_flash_start_fn start, void *arg)
{
	struct snic_fwimg_hdr h;

	if (slot >= SNIC_FLASH_NSLOTS || sim_flash_check_slot(f, slot, &h) != FWIMG_OK)
		return -1;
	if (start(arg, slot, &h) != 0)
		return -1;
	f->booted = slot;
	f->booted_hdr = h;
	return 0;
}

uint32_t sim_flash_boot(struct sim_flash *f, sim_flash_start_fn start, void *arg)
{
	struct snic_bootctl *c = &f->ctl;
	uint32_t failed = SNIC_BOOT_NONE;

	load_ctl(f);
	c->boot_count++;
	c->last_event = SNIC_FLASH_EV_NONE;
	c->event_slot = SNIC_BOOT_NONE;
	f->booted = SNIC_BOOT_NONE;

	if (c->trial != SNIC_BOOT_NONE) {
		uint32_t t = c->trial;
		/* Cleared before the attempt: a trial that hangs the core gets
		 * exactly one chance, the next reset boots the old image. */
		c->trial = SNIC_BOOT_NONE;
		c->running = t;
		save_ctl(f);
		if (try_slot(f, t, start, arg) == 0) {
			c->active = t;
			c->last_event = SNIC_FLASH_EV_UPDATED;
			c->event_slot = t;
			save_ctl(f);
			return t;
		}
		failed = t;
		c->last_event = SNIC_FLASH_EV_ROLLBACK;
		c->event_slot = t;
	}
	/* The default slot, then the other one if the default is damaged. */
	uint32_t order[2] = { c->active, c->active == SNIC_BOOT_NONE ? 0 : c->active ^ 1 };
	for (unsigned i = 0; i < 2; i++) {
		uint32_t s = order[i];
		if (s == SNIC_BOOT_NONE || s == failed || (i == 1 && s == order[0]))
			continue;
		if (try_slot(f, s, start, arg) == 0) {
			c->active = s;
			c->running = s;
			save_ctl(f);
			return s;
		}
	}
	/* Nothing bootable in flash: the built-in (recovery) firmware. */
	c->running = SNIC_BOOT_NONE;
	save_ctl(f);
	start(arg, SNIC_BOOT_NONE, NULL);
	return SNIC_BOOT_NONE;
}

/* ---- simulator glue ---- */

static int start_first(void *arg, uint32_t slot, const struct snic_fwimg_hdr *h)
{
	/* nic_init has already run fw_init(); the boot loader only chose
	 * which image the device is running. */
	(void)arg; (void)slot; (void)h;
	return 0;
}

static int start_reboot(void *arg, uint32_t slot, const struct snic_fwimg_hdr *h)
{
	struct sim_flash *f = arg;
	(void)slot; (void)h;
	return fw_init(f->fw) == 0 ? 0 : -1;
}

static void attach(struct sim_flash *f)
{
	fw_flash_attach(f->fw, &f->ops);
	fw_flash_booted(f->fw, f->booted, f->booted == SNIC_BOOT_NONE ? NULL : &f->booted_hdr);
}

int sim_flash_start(struct sim_flash *f, struct fw *fw, const char *path)
{
	if (sim_flash_open(f, path) < 0)
		return -1;
	f->fw = fw;
	sim_flash_boot(f, start_first, NULL);
	attach(f);
	return 0;
}

int sim_flash_poll(struct sim_flash *f)
{
	if (!f->mem || !fw_flash_reboot_due(f->fw))
		return 0;
	sim_flash_boot(f, start_reboot, f);
	attach(f);
	return 1;
}
