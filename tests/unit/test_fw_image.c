/* SPDX-License-Identifier: MIT */
/*
 * The firmware image format and the boot record (firmware/image): every
 * way an image can be wrong is refused with its own error. Images are
 * built here field by field with a bit-at-a-time reference CRC, not with
 * the code under test. Runs on the host and, bare metal, on rv32.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <snic/regs.h>
#include <snic/bootctl.h>
#include <snic/fwimage.h>

/* CRC-32/IEEE, one bit at a time: the textbook definition. */
static uint32_t ref_crc(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static void le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8);
}

#define PAYLOAD 300u
#define TEXT    256u

struct img {
	uint8_t b[96 + PAYLOAD + 8];
	size_t  len;
};

/* Rewrite the header CRC after a field was changed on purpose. */
static void reseal(struct img *m)
{
	le32(m->b + 92, ref_crc(m->b, 92));
}

/* A valid image: load 0x80000000, entry 0x80000010, 256 text + 44 data. */
static void make(struct img *m)
{
	memset(m, 0, sizeof(*m));
	uint8_t *h = m->b, *p = m->b + 96;
	for (unsigned i = 0; i < PAYLOAD; i++)
		p[i] = (uint8_t)(i * 31 + 7);
	le32(h + 0, 0x57464e53u);          /* "SNFW" */
	le16(h + 4, 1);
	le16(h + 6, 96);
	le16(h + 8, SNIC_ABI_MAJOR);
	le16(h + 10, SNIC_ABI_MINOR);
	le32(h + 12, 0x00010203u);
	le32(h + 16, PAYLOAD);
	le32(h + 20, ref_crc(p, PAYLOAD));
	le32(h + 24, 0x80000000u);
	le32(h + 28, 0x80000010u);
	le32(h + 32, TEXT);
	le32(h + 36, PAYLOAD - TEXT);
	le32(h + 40, 4096);
	memcpy(h + 48, "unit-test", 9);
	reseal(m);
	m->len = 96 + PAYLOAD;
}

static int check(const struct img *m)
{
	struct snic_fwimg_hdr h;
	return snic_fwimg_check(m->b, m->len, SNIC_ABI_MAJOR, &h);
}

static void test_crc_check_value(void **state)
{
	(void)state;
	/* The published check value of CRC-32/IEEE. */
	assert_int_equal(snic_crc32(0, "123456789", 9), 0xcbf43926u);
	assert_int_equal(snic_crc32(0, "", 0), 0);
	uint8_t buf[1000];
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i ^ (i >> 3));
	assert_int_equal(snic_crc32(0, buf, sizeof(buf)), ref_crc(buf, sizeof(buf)));
	/* In pieces, the same. */
	uint32_t c = snic_crc32(0, buf, 1);
	c = snic_crc32(c, buf + 1, 500);
	c = snic_crc32(c, buf + 501, sizeof(buf) - 501);
	assert_int_equal(c, ref_crc(buf, sizeof(buf)));
}

static void test_valid_image_decodes(void **state)
{
	(void)state;
	struct img m;
	struct snic_fwimg_hdr h;
	make(&m);
	assert_int_equal(snic_fwimg_check(m.b, m.len, SNIC_ABI_MAJOR, &h), FWIMG_OK);
	assert_int_equal(h.fw_version, 0x00010203u);
	assert_int_equal(h.size, PAYLOAD);
	assert_int_equal(h.text_size, TEXT);
	assert_int_equal(h.data_size, PAYLOAD - TEXT);
	assert_int_equal(h.bss_size, 4096);
	assert_int_equal(h.entry, 0x80000010u);
	assert_string_equal(h.build, "unit-test");
	assert_true(snic_image_fits_core(&h));
}

static void test_short_and_magic(void **state)
{
	(void)state;
	struct img m;
	make(&m);
	m.len = 95;
	assert_int_equal(check(&m), FWIMG_E_SHORT);
	make(&m);
	m.b[0] ^= 1;
	assert_int_equal(check(&m), FWIMG_E_MAGIC);
	/* An ELF is not an image. */
	make(&m);
	memcpy(m.b, "\x7f" "ELF", 4);
	assert_int_equal(check(&m), FWIMG_E_MAGIC);
}

static void test_header_damage(void **state)
{
	(void)state;
	struct img m;
	make(&m);
	m.b[60] ^= 0x40; /* inside the build string, covered by the header CRC */
	assert_int_equal(check(&m), FWIMG_E_HDR_CRC);
	make(&m);
	le16(m.b + 4, 2);
	reseal(&m);
	assert_int_equal(check(&m), FWIMG_E_HDR_VERSION);
	make(&m);
	le16(m.b + 6, 128);
	reseal(&m);
	assert_int_equal(check(&m), FWIMG_E_HDR_VERSION);
}

static void test_wrong_abi(void **state)
{
	(void)state;
	struct img m;
	struct snic_fwimg_hdr h;
	make(&m);
	le16(m.b + 8, SNIC_ABI_MAJOR + 1);
	reseal(&m);
	assert_int_equal(check(&m), FWIMG_E_ABI);
	/* The same image is fine for a reader of that ABI. */
	assert_int_equal(snic_fwimg_check(m.b, m.len, SNIC_ABI_MAJOR + 1, &h), FWIMG_OK);
	/* A newer minor of our major is compatible. */
	make(&m);
	le16(m.b + 10, SNIC_ABI_MINOR + 5);
	reseal(&m);
	assert_int_equal(check(&m), FWIMG_OK);
}

static void test_truncated_trailing_corrupt(void **state)
{
	(void)state;
	struct img m;
	make(&m);
	m.len -= 1;
	assert_int_equal(check(&m), FWIMG_E_TRUNCATED);
	make(&m);
	m.len = 96;
	assert_int_equal(check(&m), FWIMG_E_TRUNCATED);
	make(&m);
	m.len += 1;
	assert_int_equal(check(&m), FWIMG_E_TRAILING);
	for (unsigned off = 0; off < PAYLOAD; off += 37) {
		make(&m);
		m.b[96 + off] ^= 0x01;
		assert_int_equal(check(&m), FWIMG_E_CRC);
	}
}

static void test_layout_checks(void **state)
{
	(void)state;
	struct img m;
	const struct { unsigned off; uint32_t val; } bad[] = {
		{ 28, 0x80000000u + TEXT },  /* entry just past the text */
		{ 28, 0x7ffffffcu },         /* entry before the load address */
		{ 32, 0 },                   /* no text */
		{ 32, PAYLOAD + 1 },         /* text larger than the payload */
		{ 36, PAYLOAD - TEXT + 1 },  /* text + data != payload */
		{ 44, 1 },                   /* unknown flag */
		{ 24, 0xffffff00u },         /* payload would wrap the address space */
		{ 40, 0xffffffffu },         /* bss would wrap it */
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make(&m);
		if (bad[i].off == 24)
			le32(m.b + 28, bad[i].val); /* keep the entry at the load address */
		le32(m.b + bad[i].off, bad[i].val);
		reseal(&m);
		assert_int_equal(check(&m), FWIMG_E_LAYOUT);
	}
	/* The build string must end with a NUL. */
	make(&m);
	memset(m.b + 48, 'x', 44);
	reseal(&m);
	assert_int_equal(check(&m), FWIMG_E_LAYOUT);
	/* A payload claimed larger than a slot. */
	make(&m);
	le32(m.b + 16, SNIC_FWIMG_MAX_PAYLOAD + 1);
	reseal(&m);
	assert_int_equal(check(&m), FWIMG_E_TOO_BIG);
}

static void test_fits_core(void **state)
{
	(void)state;
	struct snic_fwimg_hdr h;
	memset(&h, 0, sizeof(h));
	h.load_addr = 0x80000000u;
	h.size = 100 * 1024;
	h.bss_size = 512 * 1024 - 100 * 1024 - SNIC_CORE_STACK_MIN; /* exactly full with the stack */
	assert_true(snic_image_fits_core(&h));
	h.bss_size += 1;
	assert_false(snic_image_fits_core(&h));
	h.bss_size = 0;
	h.load_addr = 0x7ffff000u; /* below the core's RAM */
	assert_false(snic_image_fits_core(&h));
}

static void test_every_error_has_a_message(void **state)
{
	(void)state;
	for (int e = FWIMG_E_SHORT; e <= FWIMG_E_CRC; e++)
		assert_true(strcmp(snic_fwimg_strerror(e), snic_fwimg_strerror(-1)) != 0);
	assert_true(strstr(snic_fwimg_strerror(FWIMG_E_TRUNCATED), "truncated") != NULL);
	assert_true(strstr(snic_fwimg_strerror(FWIMG_E_CRC), "corrupt") != NULL);
	assert_true(strstr(snic_fwimg_strerror(FWIMG_E_ABI), "ABI") != NULL);
}

static void test_bootctl_record(void **state)
{
	(void)state;
	struct snic_bootctl a, b;
	uint8_t rec[SNIC_BOOTCTL_BYTES];

	snic_bootctl_default(&a);
	a.active = 1;
	a.trial = 0;
	a.running = 1;
	a.boot_count = 77;
	a.last_event = 2;
	a.event_slot = 0;
	snic_bootctl_encode(&a, rec);
	/* Little-endian words in the documented order. */
	assert_int_equal(rec[0], 0x53);
	assert_int_equal(rec[3], 0x43);
	assert_int_equal(rec[8], 1);
	assert_int_equal(rec[20], 77);
	assert_int_equal(ref_crc(rec, 32), (uint32_t)rec[32] | rec[33] << 8 |
			 rec[34] << 16 | (uint32_t)rec[35] << 24);
	assert_int_equal(snic_bootctl_decode(rec, &b), 0);
	assert_int_equal(b.active, 1);
	assert_int_equal(b.trial, 0);
	assert_int_equal(b.running, 1);
	assert_int_equal(b.boot_count, 77);
	assert_int_equal(b.last_event, 2);

	/* Erased flash, a torn write, a slot that does not exist: refused. */
	uint8_t erased[SNIC_BOOTCTL_BYTES];
	memset(erased, 0xff, sizeof(erased));
	assert_int_equal(snic_bootctl_decode(erased, &b), -1);
	rec[21] ^= 1;
	assert_int_equal(snic_bootctl_decode(rec, &b), -1);
	a.trial = 2;
	snic_bootctl_encode(&a, rec);
	assert_int_equal(snic_bootctl_decode(rec, &b), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc_check_value),
		cmocka_unit_test(test_valid_image_decodes),
		cmocka_unit_test(test_short_and_magic),
		cmocka_unit_test(test_header_damage),
		cmocka_unit_test(test_wrong_abi),
		cmocka_unit_test(test_truncated_trailing_corrupt),
		cmocka_unit_test(test_layout_checks),
		cmocka_unit_test(test_fits_core),
		cmocka_unit_test(test_every_error_has_a_message),
		cmocka_unit_test(test_bootctl_record),
	};
	return cmocka_run_group_tests_name("fw_image", tests, NULL, NULL);
}
