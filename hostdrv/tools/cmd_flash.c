/* SPDX-License-Identifier: MIT */
/*
 * snicctl flash: firmware update (docs/firmware-image.md).
 *
 *   snicctl flash IMAGE [--no-reboot]   write IMAGE to the spare slot and
 *                                       reboot into it; a failed boot rolls back
 *   snicctl flash status                slots and boot record
 *   snicctl flash reboot                reboot (into a committed image)
 *
 * The image is checked completely (header, CRC, ABI, size) before the
 * device is even opened: a corrupt, truncated or wrong-ABI file never
 * reaches the flash. The device checks it again as written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "snicctl.h"
#include <snic/fwimage.h>

#define FLASH_FILE_MAX   (1u << 20)  /* larger than any slot: refused unread */
#define REBOOT_WAIT_MS   10000u

static void fmt_version(char *buf, size_t n, uint32_t v)
{
	snprintf(buf, n, "%u.%u.%u", v >> 16, (v >> 8) & 0xff, v & 0xff);
}

static const char *slot_name(uint32_t s, char buf[16])
{
	if (s == SNIC_FLASH_SLOT_NONE)
		return "built-in";
	snprintf(buf, 16, "%u", s);
	return buf;
}

static const char *status_text(int st)
{
	return st == SNIC_E_IMAGE ? "image failed verification on the device" : snic_strstatus(st);
}

/* Run one flash command; prints why it failed. */
static int flash_exec(struct ctl *c, uint16_t op, const void *in, uint32_t in_len, void *out,
		      uint32_t out_len, const char *what)
{
	uint32_t got = 0;
	int rc = snic_admin_exec(ctl_dev(c), op, in, in_len, out, out_len, &got);
	if (rc == SNIC_E_OPCODE || rc == SNIC_E_UNSUPP) {
		fprintf(stderr, "snicctl: %s: the device has no flash for firmware updates "
			"(snic-sim needs --flash FILE)\n", what);
		return EXIT_DEVICE;
	}
	if (rc > 0) {
		fprintf(stderr, "snicctl: %s: %s\n", what, status_text(rc));
		return EXIT_DEVICE;
	}
	if (rc < 0)
		return ctl_fail(c, what);
	if (out && got != out_len) {
		fprintf(stderr, "snicctl: %s: device answered %u bytes, expected %u\n", what,
			got, out_len);
		return EXIT_DEVICE;
	}
	return 0;
}

static int query(struct ctl *c, struct snic_flash_info *info)
{
	return flash_exec(c, SNIC_CMD_FLASH_QUERY, NULL, 0, info, sizeof(*info), "flash query");
}

static const char *event_name(uint32_t ev)
{
	switch (ev) {
	case SNIC_FLASH_EV_NONE:     return "none";
	case SNIC_FLASH_EV_UPDATED:  return "updated";
	case SNIC_FLASH_EV_ROLLBACK: return "rolled_back";
	default:                     return "unknown";
	}
}

static const char *slot_state(uint32_t st)
{
	switch (st) {
	case SNIC_SLOT_EMPTY:   return "empty";
	case SNIC_SLOT_VALID:   return "valid";
	case SNIC_SLOT_INVALID: return "invalid";
	default:                return "unknown";
	}
}

static void print_status(struct ctl *c, const struct snic_flash_info *in)
{
	char v[32], a[16], b[16];

	if (c->json) {
		struct json *j = &c->j;
		json_obj_begin(j, NULL);
		json_uint(j, "slot_size", in->slot_size);
		if (in->running == SNIC_FLASH_SLOT_NONE)
			json_null(j, "running");
		else
			json_uint(j, "running", in->running);
		if (in->active == SNIC_FLASH_SLOT_NONE)
			json_null(j, "active");
		else
			json_uint(j, "active", in->active);
		if (in->trial == SNIC_FLASH_SLOT_NONE)
			json_null(j, "trial");
		else
			json_uint(j, "trial", in->trial);
		json_uint(j, "boot_count", in->boot_count);
		json_str(j, "last_event", event_name(in->last_event));
		if (in->event_slot == SNIC_FLASH_SLOT_NONE)
			json_null(j, "event_slot");
		else
			json_uint(j, "event_slot", in->event_slot);
		json_arr_begin(j, "slots");
		for (unsigned s = 0; s < 2; s++) {
			const struct snic_flash_slot_info *si = &in->slot[s];
			json_obj_begin(j, NULL);
			json_uint(j, "slot", s);
			json_str(j, "state", slot_state(si->state));
			if (si->state == SNIC_SLOT_VALID) {
				fmt_version(v, sizeof(v), si->fw_version);
				json_str(j, "version", v);
				json_str(j, "build", si->build);
				json_uint(j, "size", si->size);
			}
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
		json_done(j);
		return;
	}
	printf("running slot: %s   default slot: %s   trial: %s\n", slot_name(in->running, a),
	       slot_name(in->active, b), in->trial == SNIC_FLASH_SLOT_NONE ? "none" : "pending");
	printf("boots: %u   last boot: %s", in->boot_count, event_name(in->last_event));
	if (in->event_slot != SNIC_FLASH_SLOT_NONE)
		printf(" (slot %u)", in->event_slot);
	printf("\n");
	for (unsigned s = 0; s < 2; s++) {
		const struct snic_flash_slot_info *si = &in->slot[s];
		printf("slot %u: %-7s", s, slot_state(si->state));
		if (si->state == SNIC_SLOT_VALID) {
			fmt_version(v, sizeof(v), si->fw_version);
			printf(" firmware %s build \"%s\", %u bytes, ABI %u.%u", v, si->build,
			       si->size, si->abi_major, si->abi_minor);
		}
		printf("\n");
	}
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/*
 * Ask for a reboot and wait until the device has booted again (its boot
 * count moved), then read the new flash state. The window is laid out
 * anew by the reboot, so the device is reopened from scratch.
 */
static int reboot_and_wait(struct ctl *c, struct snic_flash_info *after)
{
	struct snic_flash_info before;
	int rc;

	if ((rc = query(c, &before)))
		return rc;
	if ((rc = flash_exec(c, SNIC_CMD_FW_REBOOT, NULL, 0, NULL, 0, "reboot")))
		return rc;
	snic_close(c->d);
	c->d = NULL;

	uint64_t deadline = now_ms() + (c->timeout_ms > REBOOT_WAIT_MS ? c->timeout_ms : REBOOT_WAIT_MS);
	while (now_ms() < deadline) {
		sleep_ms(20);
		struct snic_dev *d = snic_alloc();
		if (!d) {
			fprintf(stderr, "snicctl: out of memory\n");
			return EXIT_DEVICE;
		}
		snic_set_timeout(d, 500);
		uint32_t got = 0;
		if (snic_open(d, c->path) == 0 &&
		    snic_admin_exec(d, SNIC_CMD_FLASH_QUERY, NULL, 0, after, sizeof(*after), &got) == 0 &&
		    got == sizeof(*after) && after->boot_count != before.boot_count) {
			c->d = d;
			return 0;
		}
		snic_close(d);
	}
	fprintf(stderr, "snicctl: reboot: the device did not come back within %u ms\n",
		c->timeout_ms > REBOOT_WAIT_MS ? c->timeout_ms : REBOOT_WAIT_MS);
	return EXIT_DEVICE;
}

/* Read the whole file; refuses anything larger than FLASH_FILE_MAX. */
static int load_image(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "snicctl: flash: %s: %s\n", path, strerror(errno));
		return EXIT_DEVICE;
	}
	uint8_t *b = malloc(FLASH_FILE_MAX + 1);
	if (!b) {
		fclose(f);
		fprintf(stderr, "snicctl: out of memory\n");
		return EXIT_DEVICE;
	}
	size_t n = fread(b, 1, FLASH_FILE_MAX + 1, f);
	int err = ferror(f);
	fclose(f);
	if (err || n > FLASH_FILE_MAX) {
		free(b);
		fprintf(stderr, "snicctl: flash: refusing %s: %s\n", path,
			err ? "read error" : "larger than any flash slot");
		return EXIT_DEVICE;
	}
	*buf = b;
	*len = n;
	return 0;
}

static int write_image(struct ctl *c, const uint8_t *img, size_t len, uint32_t *slot)
{
	struct snic_flash_begin b;
	struct snic_flash_slot s;
	struct snic_flash_commit cm;
	struct snic_flash_write w;
	uint32_t crc = snic_crc32(0, img, len);
	int rc;

	memset(&b, 0, sizeof(b));
	b.size = (uint32_t)len;
	b.crc32 = crc;
	if ((rc = flash_exec(c, SNIC_CMD_FLASH_BEGIN, &b, sizeof(b), &s, sizeof(s), "flash begin")))
		return rc;
	for (size_t off = 0; off < len;) {
		size_t n = len - off < SNIC_FLASH_CHUNK ? len - off : SNIC_FLASH_CHUNK;
		memset(&w, 0, sizeof(w));
		w.offset = (uint32_t)off;
		w.len = (uint32_t)n;
		memcpy(w.data, img + off, n);
		if ((rc = flash_exec(c, SNIC_CMD_FLASH_WRITE, &w, sizeof(w), NULL, 0, "flash write")))
			return rc;
		off += n;
	}
	memset(&cm, 0, sizeof(cm));
	cm.size = (uint32_t)len;
	cm.crc32 = crc;
	if ((rc = flash_exec(c, SNIC_CMD_FLASH_COMMIT, &cm, sizeof(cm), &s, sizeof(s), "flash commit")))
		return rc;
	*slot = s.slot;
	return 0;
}

static int flash_file(struct ctl *c, const char *path, int reboot)
{
	uint8_t *img;
	size_t len;
	struct snic_fwimg_hdr h;
	struct snic_flash_info info;
	char v[32], a[16];
	int rc;

	if ((rc = load_image(path, &img, &len)))
		return rc;
	/* Everything about the file is settled before the device is opened. */
	int err = snic_fwimg_check(img, len, SNIC_ABI_MAJOR, &h);
	if (err) {
		if (err == FWIMG_E_ABI)
			fprintf(stderr, "snicctl: flash: refusing %s: built for ABI %u.%u, this "
				"driver and device speak ABI %u.x\n", path, h.abi_major,
				h.abi_minor, SNIC_ABI_MAJOR);
		else
			fprintf(stderr, "snicctl: flash: refusing %s: %s\n", path,
				snic_fwimg_strerror(err));
		free(img);
		return EXIT_DEVICE;
	}
	struct snic_devinfo di;
	if (snic_devinfo(ctl_dev(c), &di)) {
		free(img);
		return ctl_fail(c, "flash");
	}
	if (di.abi_major != h.abi_major) {
		fprintf(stderr, "snicctl: flash: refusing %s: built for ABI %u.%u, the device "
			"runs ABI %u.%u\n", path, h.abi_major, h.abi_minor, di.abi_major, di.abi_minor);
		free(img);
		return EXIT_DEVICE;
	}
	if ((rc = query(c, &info))) {
		free(img);
		return rc;
	}
	if (len > info.slot_size) {
		fprintf(stderr, "snicctl: flash: refusing %s: %zu bytes, the device's slots "
			"hold %u\n", path, len, info.slot_size);
		free(img);
		return EXIT_DEVICE;
	}
	uint32_t slot;
	rc = write_image(c, img, len, &slot);
	free(img);
	if (rc)
		return rc;
	fmt_version(v, sizeof(v), h.fw_version);
	if (!reboot) {
		if (!c->json)
			printf("flash: firmware %s written to slot %u; it boots on the next "
			       "reboot (snicctl flash reboot)\n", v, slot);
		else
			print_status(c, &info);
		return 0;
	}
	if ((rc = reboot_and_wait(c, &info)))
		return rc;
	if (c->json)
		print_status(c, &info);
	if (info.running == slot && info.last_event == SNIC_FLASH_EV_UPDATED) {
		if (!c->json)
			printf("flash: slot %u now running firmware %s (build \"%.*s\")\n", slot, v,
			       (int)sizeof(h.build), h.build);
		return 0;
	}
	fprintf(stderr, "snicctl: flash: the new firmware %s in slot %u did not boot; the "
		"device rolled back to slot %s\n", v, slot, slot_name(info.running, a));
	return EXIT_DEVICE;
}

int cmd_flash(struct ctl *c, int argc, char **argv)
{
	const char *file = NULL;
	int reboot = 1;
	struct snic_flash_info info;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-reboot"))
			reboot = 0;
		else if (argv[i][0] == '-')
			return ctl_usage("flash: unknown option '%s'", argv[i]);
		else if (file)
			return ctl_usage("flash: one image at a time");
		else
			file = argv[i];
	}
	if (!file)
		return ctl_usage("flash needs IMAGE, 'status' or 'reboot'");
	if (!strcmp(file, "status")) {
		if ((rc = query(c, &info)))
			return rc;
		print_status(c, &info);
		return 0;
	}
	if (!strcmp(file, "reboot")) {
		if ((rc = reboot_and_wait(c, &info)))
			return rc;
		print_status(c, &info);
		return info.last_event == SNIC_FLASH_EV_ROLLBACK ? EXIT_DEVICE : 0;
	}
	return flash_file(c, file, reboot);
}
