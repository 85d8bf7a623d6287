/* SPDX-License-Identifier: MIT */
/* libsnic: capability record parsing, valid and corrupt streams. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>
#include "snic.h"
#include "test_lib_fakewin.h"

static uint8_t rec[SNIC_CAPS_MAX_BYTES];
static struct snic_caps caps;
static char err[256];

/* Byte offsets of the records in the standard stream. */
#define AT_HEADER 0u
#define AT_RX0    36u
#define AT_RX1    (AT_RX0 + 36u)
#define AT_TX0    (AT_RX0 + 2u * 36u)
#define AT_CLS    (AT_RX0 + 4u * 36u)
#define AT_METERS (AT_CLS + 32u)
#define AT_UP0    (AT_METERS + 32u)
#define AT_END    (AT_UP0 + 2u * 20u)
#define STD_LEN   (AT_END + 8u)

static struct snic_cap_hdr *hdr_at(uint32_t at)
{
	return (struct snic_cap_hdr *)(rec + at);
}

static uint32_t std_stream(void)
{
	memset(rec, 0, sizeof(rec));
	uint32_t len = fw_caps_records(rec);
	assert_int_equal(len, STD_LEN);
	return len;
}

static void expect_fail(uint32_t len, const char *needle)
{
	int rc = snic_caps_parse(rec, len, FW_SIZE, &caps, err, sizeof(err));
	if (rc != SNIC_ERR_CAPS || !strstr(err, needle))
		fail_msg("rc %d, message '%s' (want '%s')", rc, err, needle);
}

static void valid_stream(void **state)
{
	(void)state;
	uint32_t len = std_stream();
	assert_int_equal(snic_caps_parse(rec, len, FW_SIZE, &caps, err, sizeof(err)), 0);
	assert_int_equal(caps.format, 1);
	assert_string_equal(caps.profile, "fake");
	assert_int_equal(caps.n_rx, 2);
	assert_int_equal(caps.n_tx, 2);
	assert_int_equal(caps.max_vnics, 8);
	assert_int_equal(caps.rx[1].id, 1);
	assert_int_equal(caps.rx[1].ctrl_off, OFF_RXQ + 192);
	assert_int_equal(caps.rx[1].poll_off, OFF_RXQ + 192 + offsetof(struct snic_rxq, cpl_prod));
	assert_int_equal(caps.rx[0].flags, SNIC_RINGCAP_POLL | SNIC_RINGCAP_INTR);
	assert_int_equal(caps.tx[1].intr_off, 0);
	assert_int_equal(caps.rx[0].size, FW_RING_SIZE);
	assert_int_equal(caps.cls.ternary, 64);
	assert_int_equal(caps.cls.user_entries, 56);
	assert_int_equal(caps.cls.key_fields, SNIC_FIELD_DMAC | SNIC_FIELD_VLAN);
	assert_int_equal(caps.n_uplinks, 2);
	assert_int_equal(caps.uplink[1].mac[5], 1);
	assert_int_equal(caps.uplink[1].speed_mbps, 1000);
	assert_int_equal(caps.skipped, 0);
}

static void record_len_zero(void **state)
{
	(void)state;
	uint32_t len = std_stream();
	hdr_at(AT_TX0)->len = 0;
	expect_fail(len, "length 0");
}

static void record_len_past_end(void **state)
{
	(void)state;
	uint32_t len = std_stream();
	hdr_at(AT_CLS)->len = 100000;
	expect_fail(len, "length 100000");
}

static void record_too_short_for_type(void **state)
{
	(void)state;
	uint32_t len = std_stream();
	hdr_at(AT_RX0)->len = 12;  /* the rest of the stream is now misaligned too */
	expect_fail(len, "RX_RING record at byte 36: length 12");
}

static void missing_end(void **state)
{
	(void)state;
	uint32_t len = std_stream();
	expect_fail(len - 8, "without an END");
}

static void first_not_header(void **state)
{
	(void)state;
	uint32_t len = std_stream();
	hdr_at(AT_HEADER)->type = SNIC_CAP_METERS;
	expect_fail(len, "first record is METERS");
}

static void tx_before_rx(void **state)
{
	(void)state;
	uint32_t len = std_stream();
	/* Swap the type of RX 1 and TX 0 (same size): TX then RX. */
	hdr_at(AT_RX1)->type = SNIC_CAP_TX_RING;
	hdr_at(AT_TX0)->type = SNIC_CAP_RX_RING;
	expect_fail(len, "1 RX_RING records, the header announced 2");
}

static void classifier_before_rings(void **state)
{
	(void)state;
	/* Header, classifier, then the rings: out of order. */
	uint8_t std[SNIC_CAPS_MAX_BYTES];
	uint32_t len = std_stream();
	memcpy(std, rec, len);
	uint32_t at = 0;
	at = fw_put(rec, at, std + AT_HEADER, 36);
	at = fw_put(rec, at, std + AT_CLS, 32);
	at = fw_put(rec, at, std + AT_RX0, 4 * 36);
	at = fw_put(rec, at, std + AT_METERS, STD_LEN - AT_METERS);
	assert_int_equal(at, len);
	expect_fail(len, "RX_RING records, the header announced");
}

static void meters_before_classifier(void **state)
{
	(void)state;
	uint32_t len = std_stream();
	/* CLASSIFIER and METERS are both 32 bytes: swap their types. */
	hdr_at(AT_CLS)->type = SNIC_CAP_METERS;
	hdr_at(AT_METERS)->type = SNIC_CAP_CLASSIFIER;
	expect_fail(len, "METERS record at byte 180 before the CLASSIFIER");
}

static void uplink_after_end_order(void **state)
{
	(void)state;
	uint32_t len = std_stream();
	/* Second header in the middle. */
	hdr_at(AT_RX1)->type = SNIC_CAP_HEADER;
	expect_fail(len, "out of order");
}

static void duplicate_classifier(void **state)
{
	(void)state;
	uint32_t len = std_stream();
	hdr_at(AT_METERS)->type = SNIC_CAP_CLASSIFIER;
	expect_fail(len, "second CLASSIFIER");
}

static void ring_id_wrong(void **state)
{
	(void)state;
	uint32_t len = std_stream();
	((struct snic_cap_ring *)(rec + AT_RX1))->id = 5;
	expect_fail(len, "id 5, expected 1");
}

static void ring_offsets_outside(void **state)
{
	(void)state;
	uint32_t len = std_stream();
	((struct snic_cap_ring *)(rec + AT_TX0))->poll_off = FW_SIZE;
	expect_fail(len, "outside the window");
}

static void ring_size_not_pow2(void **state)
{
	(void)state;
	uint32_t len = std_stream();
	((struct snic_cap_ring *)(rec + AT_RX0))->size = 100;
	expect_fail(len, "not a power of two");
}

static void too_many_rings(void **state)
{
	(void)state;
	uint32_t len = std_stream();
	((struct snic_cap_header *)rec)->n_rx_rings = SNIC_LIB_MAX_RINGS + 1;
	expect_fail(len, "a host driver handles 64");
}

static void wrong_format(void **state)
{
	(void)state;
	uint32_t len = std_stream();
	((struct snic_cap_header *)rec)->format = 2;
	expect_fail(len, "format 2");
}

static void missing_uplink(void **state)
{
	(void)state;
	uint32_t len = std_stream();
	((struct snic_cap_header *)rec)->n_uplinks = 3;
	expect_fail(len, "2 UPLINK records, the header announced 3");
}

static void unknown_type_skipped(void **state)
{
	(void)state;
	uint8_t std[SNIC_CAPS_MAX_BYTES];
	uint32_t len = std_stream();
	memcpy(std, rec, len);
	/* A 20-byte record of a future type between TX rings and classifier. */
	uint8_t future[20] = { 0 };
	struct snic_cap_hdr fh = { 0x0042, 3, sizeof(future) };
	memcpy(future, &fh, sizeof(fh));
	uint32_t at = fw_put(rec, 0, std, AT_CLS);
	at = fw_put(rec, at, future, sizeof(future));
	at = fw_put(rec, at, std + AT_CLS, len - AT_CLS);
	assert_int_equal(snic_caps_parse(rec, at, FW_SIZE, &caps, err, sizeof(err)), 0);
	assert_int_equal(caps.skipped, 1);
	assert_int_equal(caps.cls.ternary, 64);
}

static void newer_version_longer_record(void **state)
{
	(void)state;
	uint8_t std[SNIC_CAPS_MAX_BYTES];
	uint32_t len = std_stream();
	memcpy(std, rec, len);
	/* Classifier record version 2 with 8 more bytes: read its v1 prefix. */
	uint8_t cls2[40];
	memset(cls2, 0xee, sizeof(cls2));
	memcpy(cls2, std + AT_CLS, 32);
	((struct snic_cap_hdr *)cls2)->version = 2;
	((struct snic_cap_hdr *)cls2)->len = sizeof(cls2);
	uint32_t at = fw_put(rec, 0, std, AT_CLS);
	at = fw_put(rec, at, cls2, sizeof(cls2));
	at = fw_put(rec, at, std + AT_METERS, len - AT_METERS);
	assert_int_equal(snic_caps_parse(rec, at, FW_SIZE, &caps, err, sizeof(err)), 0);
	assert_int_equal(caps.cls.ternary, 64);
	assert_int_equal(caps.n_uplinks, 2);
	assert_int_equal(caps.uplink[1].speed_mbps, 1000);
}

static void version_zero(void **state)
{
	(void)state;
	uint32_t len = std_stream();
	hdr_at(AT_METERS)->version = 0;
	expect_fail(len, "version 0");
}

static void truncated_everywhere(void **state)
{
	(void)state;
	/* Every prefix of a valid stream is refused, never read past. */
	uint32_t len = std_stream();
	for (uint32_t cut = 0; cut < len; cut++) {
		int rc = snic_caps_parse(rec, cut, FW_SIZE, &caps, err, sizeof(err));
		if (rc != SNIC_ERR_CAPS)
			fail_msg("prefix of %u bytes gave %d", cut, rc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_stream),
		cmocka_unit_test(record_len_zero),
		cmocka_unit_test(record_len_past_end),
		cmocka_unit_test(record_too_short_for_type),
		cmocka_unit_test(missing_end),
		cmocka_unit_test(first_not_header),
		cmocka_unit_test(tx_before_rx),
		cmocka_unit_test(classifier_before_rings),
		cmocka_unit_test(meters_before_classifier),
		cmocka_unit_test(uplink_after_end_order),
		cmocka_unit_test(duplicate_classifier),
		cmocka_unit_test(ring_id_wrong),
		cmocka_unit_test(ring_offsets_outside),
		cmocka_unit_test(ring_size_not_pow2),
		cmocka_unit_test(too_many_rings),
		cmocka_unit_test(wrong_format),
		cmocka_unit_test(missing_uplink),
		cmocka_unit_test(unknown_type_skipped),
		cmocka_unit_test(newer_version_longer_record),
		cmocka_unit_test(version_zero),
		cmocka_unit_test(truncated_everywhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
