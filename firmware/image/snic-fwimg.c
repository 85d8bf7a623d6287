/* SPDX-License-Identifier: MIT */
/*
 * snic-fwimg: build, inspect and verify snic firmware images
 * (format: fwimage.h, docs/firmware-image.md).
 *
 *   snic-fwimg build --elf FW.elf --out FW.img [--objcopy PROG]
 *                    [--version V] [--build STR] [--abi MAJ.MIN]
 *   snic-fwimg pack --payload BIN --out FW.img --load-addr A --entry E
 *                   --text-size N [--bss N] [--version V] [--build STR] [--abi MAJ.MIN]
 *   snic-fwimg info FW.img
 *   snic-fwimg verify FW.img
 *   snic-fwimg size FW.img --payload-budget N --ram-budget N
 *
 * `build` takes the loadable bytes from the ELF with objcopy -O binary and
 * the layout (load address, entry, text/data/bss sizes) from the ELF's
 * program headers. Exit status: 0 ok, 1 invalid image or failure, 2 usage.
 */
#include <errno.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <snic/regs.h>
#include <snic/fwimage.h>
#include <snic/bootctl.h>

extern char **environ;

struct layout {
	uint32_t load_addr, entry, text_size, data_size, bss_size;
};

struct opts {
	const char *elf, *out, *payload, *objcopy, *build;
	uint32_t version;
	uint16_t abi_major, abi_minor;
	struct layout lay;
	int have_load, have_entry, have_text;
	unsigned long payload_budget, ram_budget;
};

static int die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int die(int code, const char *fmt, ...)
{
	va_list ap;
	fputs("snic-fwimg: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

static void usage(FILE *f)
{
	fputs("usage: snic-fwimg build --elf FW.elf --out FW.img [--objcopy PROG]\n"
	      "                        [--version V] [--build STR] [--abi MAJ.MIN]\n"
	      "       snic-fwimg pack --payload BIN --out FW.img --load-addr A --entry E\n"
	      "                       --text-size N [--bss N] [--version V] [--build STR]\n"
	      "                       [--abi MAJ.MIN]\n"
	      "       snic-fwimg info FW.img\n"
	      "       snic-fwimg verify FW.img\n"
	      "       snic-fwimg size FW.img --payload-budget N --ram-budget N\n"
	      "V is MAJOR.MINOR.PATCH or a number (major << 16 | minor << 8 | patch).\n", f);
}

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return die(1, "%s: %s", path, strerror(errno));
	size_t cap = 1 << 16, n = 0;
	uint8_t *b = malloc(cap);
	for (;;) {
		if (!b) {
			fclose(f);
			return die(1, "out of memory");
		}
		n += fread(b + n, 1, cap - n, f);
		if (n < cap)
			break;
		if (cap >= (64u << 20)) {
			fclose(f);
			free(b);
			return die(1, "%s: larger than 64 MiB, not a firmware image", path);
		}
		cap *= 2;
		b = realloc(b, cap);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(b);
		return die(1, "%s: read error", path);
	}
	*buf = b;
	*len = n;
	return 0;
}

static int parse_num(const char *what, const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	if (!s)
		return die(2, "%s needs a value", what);
	errno = 0;
	unsigned long v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > max || s[0] == '-')
		return die(2, "%s: '%s' is not a number up to %lu", what, s, max);
	*out = v;
	return 0;
}

static int parse_version(const char *s, uint32_t *out)
{
	unsigned a, b, c;
	char tail;
	unsigned long v;
	if (s && sscanf(s, "%u.%u.%u%c", &a, &b, &c, &tail) == 3) {
		if (a > 0xffff || b > 0xff || c > 0xff)
			return die(2, "--version: '%s' out of range", s);
		*out = a << 16 | b << 8 | c;
		return 0;
	}
	if (parse_num("--version", s, 0xffffffffu, &v))
		return 2;
	*out = (uint32_t)v;
	return 0;
}

static int parse_abi(const char *s, uint16_t *major, uint16_t *minor)
{
	unsigned a, b;
	char tail;
	if (!s || sscanf(s, "%u.%u%c", &a, &b, &tail) != 2 || a > 0xffff || b > 0xffff)
		return die(2, "--abi wants MAJOR.MINOR, got '%s'", s ? s : "");
	*major = (uint16_t)a;
	*minor = (uint16_t)b;
	return 0;
}

/* ---- ELF32 little-endian program headers ---- */

static uint32_t rd32(const uint8_t *p) { return snic_fwimg_le32(p); }
static uint16_t rd16(const uint8_t *p) { return snic_fwimg_le16(p); }

#define PT_LOAD 1
#define PF_X    1

static int elf_layout(const uint8_t *e, size_t len, const char *path, struct layout *lay)
{
	if (len < 52 || memcmp(e, "\x7f" "ELF", 4))
		return die(1, "%s: not an ELF file", path);
	if (e[4] != 1 || e[5] != 1)
		return die(1, "%s: not a 32-bit little-endian ELF (rv32 firmware expected)", path);
	if (rd16(e + 18) != 243)
		return die(1, "%s: not a RISC-V ELF", path);
	uint32_t phoff = rd32(e + 28);
	uint16_t phentsize = rd16(e + 42), phnum = rd16(e + 44);
	if (phentsize < 32 || phoff > len || (size_t)phnum * phentsize > len - phoff)
		return die(1, "%s: program headers out of range", path);

	int n_load = 0;
	uint32_t text_vaddr = 0, text_filesz = 0, data_vaddr = 0, data_filesz = 0, data_memsz = 0;
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = e + phoff + (size_t)i * phentsize;
		if (rd32(ph) != PT_LOAD || rd32(ph + 20) == 0)
			continue;
		uint32_t paddr = rd32(ph + 12), filesz = rd32(ph + 16), memsz = rd32(ph + 20);
		uint32_t flags = rd32(ph + 24);
		if (n_load == 0 && (flags & PF_X)) {
			text_vaddr = paddr;
			text_filesz = filesz;
		} else if (n_load == 1 && !(flags & PF_X)) {
			data_vaddr = paddr;
			data_filesz = filesz;
			data_memsz = memsz;
		} else {
			return die(1, "%s: expected one text then one data PT_LOAD segment "
				   "(link with firmware/hal/riscv/snic-fw.ld)", path);
		}
		n_load++;
	}
	if (n_load == 0)
		return die(1, "%s: no loadable text segment", path);
	lay->load_addr = text_vaddr;
	lay->entry = rd32(e + 24);
	if (n_load == 1 || data_filesz == 0) {
		lay->text_size = text_filesz;
		lay->data_size = 0;
	} else {
		if (data_vaddr < text_vaddr + text_filesz)
			return die(1, "%s: data segment overlaps the text", path);
		lay->text_size = data_vaddr - text_vaddr; /* objcopy pads the gap */
		lay->data_size = data_filesz;
	}
	lay->bss_size = n_load == 2 ? data_memsz - data_filesz : 0;
	return 0;
}

/* Run `objcopy -O binary ELF OUT`; 0 when it succeeded. */
static int run_objcopy(const char *objcopy, const char *elf, const char *out)
{
	char *argv[] = { (char *)objcopy, "-O", "binary", (char *)elf, (char *)out, NULL };
	pid_t pid;
	int st;
	int err = posix_spawnp(&pid, objcopy, NULL, NULL, argv, environ);
	if (err)
		return die(1, "cannot run %s: %s", objcopy, strerror(err));
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		return die(1, "%s -O binary %s failed", objcopy, elf);
	return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int k = 0; k < 4; k++)
		p[k] = (uint8_t)(v >> (8 * k));
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static int write_image(const struct opts *o, const uint8_t *payload, size_t size)
{
	uint8_t hdr[SNIC_FWIMG_HDR_SIZE];
	const struct layout *l = &o->lay;

	if (size > SNIC_FWIMG_MAX_PAYLOAD)
		return die(1, "payload is %zu bytes, a slot holds at most %u", size,
			   SNIC_FWIMG_MAX_PAYLOAD);
	if (l->text_size + (size_t)l->data_size != size)
		return die(1, "payload is %zu bytes but text %u + data %u = %zu", size,
			   l->text_size, l->data_size, (size_t)l->text_size + l->data_size);
	memset(hdr, 0, sizeof(hdr));
	put32(hdr + 0, SNIC_FWIMG_MAGIC);
	put16(hdr + 4, SNIC_FWIMG_HDR_VERSION);
	put16(hdr + 6, SNIC_FWIMG_HDR_SIZE);
	put16(hdr + 8, o->abi_major);
	put16(hdr + 10, o->abi_minor);
	put32(hdr + 12, o->version);
	put32(hdr + 16, (uint32_t)size);
	put32(hdr + 20, snic_crc32(0, payload, size));
	put32(hdr + 24, l->load_addr);
	put32(hdr + 28, l->entry);
	put32(hdr + 32, l->text_size);
	put32(hdr + 36, l->data_size);
	put32(hdr + 40, l->bss_size);
	put32(hdr + 44, 0);
	if (o->build && strlen(o->build) > 43)
		return die(2, "--build: at most 43 characters");
	if (o->build)
		memcpy(hdr + 48, o->build, strlen(o->build));
	put32(hdr + 92, snic_crc32(0, hdr, SNIC_FWIMG_HDR_SIZE - 4));

	/* The result must pass our own checks before anyone flashes it. */
	struct snic_fwimg_hdr h;
	int err = snic_fwimg_check_hdr(hdr, sizeof(hdr), o->abi_major, &h);
	if (err)
		return die(1, "refusing to write an invalid image: %s", snic_fwimg_strerror(err));

	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", o->out);
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return die(1, "%s: %s", tmp, strerror(errno));
	int ok = fwrite(hdr, 1, sizeof(hdr), f) == sizeof(hdr) &&
		 fwrite(payload, 1, size, f) == size;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, o->out) < 0) {
		unlink(tmp);
		return die(1, "%s: write failed", o->out);
	}
	return 0;
}

static int cmd_build(struct opts *o)
{
	uint8_t *elf = NULL, *bin = NULL;
	size_t elf_len, bin_len;
	int rc;

	if (!o->elf || !o->out)
		return die(2, "build needs --elf and --out");
	if ((rc = read_file(o->elf, &elf, &elf_len)))
		return rc;
	rc = elf_layout(elf, elf_len, o->elf, &o->lay);
	free(elf);
	if (rc)
		return rc;

	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.bin.tmp", o->out);
	if ((rc = run_objcopy(o->objcopy, o->elf, tmp)) == 0 &&
	    (rc = read_file(tmp, &bin, &bin_len)) == 0) {
		rc = write_image(o, bin, bin_len);
		free(bin);
	}
	unlink(tmp);
	return rc;
}

static int cmd_pack(struct opts *o)
{
	uint8_t *bin;
	size_t len;
	int rc;

	if (!o->payload || !o->out || !o->have_load || !o->have_entry || !o->have_text)
		return die(2, "pack needs --payload, --out, --load-addr, --entry and --text-size");
	if ((rc = read_file(o->payload, &bin, &len)))
		return rc;
	if (o->lay.text_size > len) {
		free(bin);
		return die(2, "--text-size %u is larger than the payload (%zu bytes)",
			   o->lay.text_size, len);
	}
	o->lay.data_size = (uint32_t)(len - o->lay.text_size);
	rc = write_image(o, bin, len);
	free(bin);
	return rc;
}

static void fmt_version(char *buf, size_t n, uint32_t v)
{
	snprintf(buf, n, "%u.%u.%u", v >> 16, (v >> 8) & 0xff, v & 0xff);
}

/* Load and check an image; prints why it is invalid. 0 valid, 1 not. */
static int load_checked(const char *path, uint8_t **buf, size_t *len, struct snic_fwimg_hdr *h,
			int *err)
{
	int rc = read_file(path, buf, len);
	if (rc)
		return rc;
	*err = snic_fwimg_check(*buf, *len, SNIC_ABI_MAJOR, h);
	return 0;
}

static int cmd_info(const char *path)
{
	uint8_t *buf;
	size_t len;
	struct snic_fwimg_hdr h;
	int err, rc;
	char v[32];

	if ((rc = load_checked(path, &buf, &len, &h, &err)))
		return rc;
	if (err == FWIMG_E_SHORT || err == FWIMG_E_MAGIC) {
		free(buf);
		return die(1, "%s: %s", path, snic_fwimg_strerror(err));
	}
	fmt_version(v, sizeof(v), h.fw_version);
	printf("file:        %s (%zu bytes)\n", path, len);
	printf("header:      version %u, %u bytes, crc 0x%08x\n", h.hdr_version, h.hdr_size,
	       h.hdr_crc);
	printf("abi:         %u.%u (this tool: %u.%u)\n", h.abi_major, h.abi_minor,
	       SNIC_ABI_MAJOR, SNIC_ABI_MINOR);
	printf("firmware:    %s (0x%06x) build \"%.*s\"\n", v, h.fw_version,
	       (int)sizeof(h.build), h.build);
	printf("payload:     %u bytes, crc32 0x%08x\n", h.size, h.crc32);
	printf("layout:      load 0x%08x entry 0x%08x text %u data %u bss %u\n",
	       h.load_addr, h.entry, h.text_size, h.data_size, h.bss_size);
	printf("fits core:   %s (RAM %u KiB at 0x%08x, %u KiB stack)\n",
	       snic_image_fits_core(&h) ? "yes" : "NO", SNIC_CORE_RAM_SIZE / 1024,
	       SNIC_CORE_RAM_BASE, SNIC_CORE_STACK_MIN / 1024);
	printf("status:      %s\n", snic_fwimg_strerror(err));
	free(buf);
	return err ? 1 : 0;
}

static int cmd_verify(const char *path)
{
	uint8_t *buf;
	size_t len;
	struct snic_fwimg_hdr h;
	int err, rc;

	if ((rc = load_checked(path, &buf, &len, &h, &err)))
		return rc;
	free(buf);
	if (err)
		return die(1, "%s: %s", path, snic_fwimg_strerror(err));
	printf("%s: valid snic firmware image, ABI %u.%u, %u payload bytes\n", path,
	       h.abi_major, h.abi_minor, h.size);
	return 0;
}

static int cmd_size(const struct opts *o, const char *path)
{
	uint8_t *buf;
	size_t len;
	struct snic_fwimg_hdr h;
	int err, rc;

	if (!o->payload_budget || !o->ram_budget)
		return die(2, "size needs --payload-budget and --ram-budget");
	if ((rc = load_checked(path, &buf, &len, &h, &err)))
		return rc;
	free(buf);
	if (err)
		return die(1, "%s: %s", path, snic_fwimg_strerror(err));
	unsigned long ram = (unsigned long)h.size + h.bss_size + SNIC_CORE_STACK_MIN;
	printf("firmware image %s: %zu bytes\n", path, len);
	printf("  text+rodata %7u B\n  data        %7u B\n  bss         %7u B\n",
	       h.text_size, h.data_size, h.bss_size);
	printf("  flash payload %6u B of %lu B budget (%.1f %%)\n", h.size, o->payload_budget,
	       100.0 * h.size / (double)o->payload_budget);
	printf("  core RAM      %6lu B of %lu B budget (%.1f %%; payload + bss + %u B stack)\n",
	       ram, o->ram_budget, 100.0 * (double)ram / (double)o->ram_budget,
	       SNIC_CORE_STACK_MIN);
	if (h.size > o->payload_budget || ram > o->ram_budget)
		return die(1, "%s: over the size budget", path);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	unsigned long v;

	memset(&o, 0, sizeof(o));
	o.objcopy = "objcopy";
	o.abi_major = SNIC_ABI_MAJOR;
	o.abi_minor = SNIC_ABI_MINOR;
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1], *file = NULL;
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		usage(stdout);
		return 0;
	}
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		int used = 1, rc = 0;
		if (!strcmp(a, "--elf")) o.elf = val;
		else if (!strcmp(a, "--out") || !strcmp(a, "-o")) o.out = val;
		else if (!strcmp(a, "--payload")) o.payload = val;
		else if (!strcmp(a, "--objcopy")) o.objcopy = val;
		else if (!strcmp(a, "--build")) o.build = val;
		else if (!strcmp(a, "--version")) rc = parse_version(val, &o.version);
		else if (!strcmp(a, "--abi")) rc = parse_abi(val, &o.abi_major, &o.abi_minor);
		else if (!strcmp(a, "--load-addr")) {
			rc = parse_num(a, val, 0xffffffffu, &v); o.lay.load_addr = (uint32_t)v; o.have_load = 1;
		} else if (!strcmp(a, "--entry")) {
			rc = parse_num(a, val, 0xffffffffu, &v); o.lay.entry = (uint32_t)v; o.have_entry = 1;
		} else if (!strcmp(a, "--text-size")) {
			rc = parse_num(a, val, 0xffffffffu, &v); o.lay.text_size = (uint32_t)v; o.have_text = 1;
		} else if (!strcmp(a, "--bss")) {
			rc = parse_num(a, val, 0xffffffffu, &v); o.lay.bss_size = (uint32_t)v;
		} else if (!strcmp(a, "--payload-budget")) {
			rc = parse_num(a, val, 0xffffffffu, &o.payload_budget);
		} else if (!strcmp(a, "--ram-budget")) {
			rc = parse_num(a, val, 0xffffffffu, &o.ram_budget);
		} else if (a[0] == '-') {
			return die(2, "unknown option '%s'", a);
		} else if (!file) {
			file = a;
			used = 0;
		} else {
			return die(2, "unexpected argument '%s'", a);
		}
		if (rc)
			return rc;
		if (used) {
			if (!val)
				return die(2, "%s needs a value", a);
			i++;
		}
	}
	if (!strcmp(cmd, "build"))
		return cmd_build(&o);
	if (!strcmp(cmd, "pack"))
		return cmd_pack(&o);
	if (!strcmp(cmd, "info") || !strcmp(cmd, "verify") || !strcmp(cmd, "size")) {
		if (!file)
			return die(2, "%s needs an image file", cmd);
		if (!strcmp(cmd, "info"))
			return cmd_info(file);
		if (!strcmp(cmd, "verify"))
			return cmd_verify(file);
		return cmd_size(&o, file);
	}
	usage(stderr);
	return 2;
}
