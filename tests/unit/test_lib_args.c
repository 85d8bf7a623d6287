/* SPDX-License-Identifier: MIT */
/* libsnic: command-line value parsers refuse garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "snic.h"

static char err[128];

static void mac_ok(void **state)
{
	(void)state;
	uint8_t m[6];
	const uint8_t want[6] = { 0x02, 0x00, 0xab, 0xCD, 0x0e, 0xff };
	assert_int_equal(snic_arg_mac("02:00:ab:CD:0e:ff", m, err, sizeof(err)), 0);
	assert_memory_equal(m, want, 6);
}

static void mac_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "02:00:00:00:00", "02:00:00:00:00:00:00", "02:00:00:00:00:0g",
		"2:0:0:0:0:1", "02-00-00-00-00-01", "02:00:00:00:00:01 ", " 02:00:00:00:00:01",
		"0200.0000.0001", "02:00:00:00:00:012",
	};
	uint8_t m[6];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		if (snic_arg_mac(bad[i], m, err, sizeof(err)) != -1)
			fail_msg("'%s' accepted", bad[i]);
		assert_non_null(strstr(err, "bad MAC"));
	}
}

static void mac_masks(void **state)
{
	(void)state;
	uint8_t m[6], k[6];
	const uint8_t ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	assert_int_equal(snic_arg_mac_mask("02:00:00:00:00:01", m, k, err, sizeof(err)), 0);
	assert_memory_equal(k, ones, 6);

	assert_int_equal(snic_arg_mac_mask("02:11:22:33:44:55/ff:ff:ff:00:00:00", m, k,
					   err, sizeof(err)), 0);
	const uint8_t v24[6] = { 0x02, 0x11, 0x22, 0, 0, 0 }, k24[6] = { 0xff, 0xff, 0xff, 0, 0, 0 };
	assert_memory_equal(m, v24, 6);
	assert_memory_equal(k, k24, 6);

	assert_int_equal(snic_arg_mac_mask("02:11:22:33:44:55/20", m, k, err, sizeof(err)), 0);
	const uint8_t k20[6] = { 0xff, 0xff, 0xf0, 0, 0, 0 };
	assert_memory_equal(k, k20, 6);

	assert_int_equal(snic_arg_mac_mask("01:00:00:00:00:00/8", m, k, err, sizeof(err)), 0);
	assert_int_equal(snic_arg_mac_mask("02:00:00:00:00:01/49", m, k, err, sizeof(err)), -1);
	assert_int_equal(snic_arg_mac_mask("02:00:00:00:00:01/", m, k, err, sizeof(err)), -1);
	assert_int_equal(snic_arg_mac_mask("02:00:00:00:00:01/ff:ff", m, k, err, sizeof(err)), -1);
	assert_int_equal(snic_arg_mac_mask("02:00:00:00:00:01/-1", m, k, err, sizeof(err)), -1);
}

static void ipv4_ok(void **state)
{
	(void)state;
	uint8_t ip[4], mk[4];
	const uint8_t want[4] = { 10, 0, 255, 1 };
	assert_int_equal(snic_arg_ipv4("10.0.255.1", ip, err, sizeof(err)), 0);
	assert_memory_equal(ip, want, 4);

	assert_int_equal(snic_arg_ipv4_prefix("192.168.77.5/20", ip, mk, err, sizeof(err)), 0);
	const uint8_t v20[4] = { 192, 168, 64, 0 }, m20[4] = { 255, 255, 240, 0 };
	assert_memory_equal(ip, v20, 4);
	assert_memory_equal(mk, m20, 4);

	assert_int_equal(snic_arg_ipv4_prefix("1.2.3.4", ip, mk, err, sizeof(err)), 0);
	const uint8_t all[4] = { 255, 255, 255, 255 };
	assert_memory_equal(mk, all, 4);

	assert_int_equal(snic_arg_ipv4_prefix("1.2.3.4/0", ip, mk, err, sizeof(err)), 0);
	const uint8_t none[4] = { 0, 0, 0, 0 };
	assert_memory_equal(mk, none, 4);
	assert_memory_equal(ip, none, 4);
}

static void ipv4_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "1..2.3", "a.b.c.d",
		"1.2.3.4 ", "0001.2.3.4", "1.2.3.4x",
	};
	uint8_t ip[4], mk[4];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (snic_arg_ipv4(bad[i], ip, err, sizeof(err)) != -1)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(snic_arg_ipv4_prefix("1.2.3.4/33", ip, mk, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "0..32"));
	assert_int_equal(snic_arg_ipv4_prefix("1.2.3.4/", ip, mk, err, sizeof(err)), -1);
	assert_int_equal(snic_arg_ipv4_prefix("1.2.3.4/2x", ip, mk, err, sizeof(err)), -1);
	assert_int_equal(snic_arg_ipv4_prefix("1.2.3.4//8", ip, mk, err, sizeof(err)), -1);
}

static void ports(void **state)
{
	(void)state;
	unsigned long v;
	assert_int_equal(snic_arg_uint("0", 0, 65535, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 0);
	assert_int_equal(snic_arg_uint("65535", 0, 65535, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 65535);
	assert_int_equal(snic_arg_uint("0x50", 0, 65535, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 80);
	assert_int_equal(snic_arg_uint("65536", 0, 65535, &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "out of range"));
	assert_int_equal(snic_arg_uint("-1", 0, 65535, &v, err, sizeof(err)), -1);
	assert_int_equal(snic_arg_uint("+1", 0, 65535, &v, err, sizeof(err)), -1);
	assert_int_equal(snic_arg_uint(" 1", 0, 65535, &v, err, sizeof(err)), -1);
	assert_int_equal(snic_arg_uint("80http", 0, 65535, &v, err, sizeof(err)), -1);
	assert_int_equal(snic_arg_uint("", 0, 65535, &v, err, sizeof(err)), -1);
	assert_int_equal(snic_arg_uint("99999999999999999999999", 0, 65535, &v, err,
					sizeof(err)), -1);
	assert_int_equal(snic_arg_uint("0", 1, 4094, &v, err, sizeof(err)), -1);
	/* Decimal with leading zeros, never octal; hex only with 0x. */
	assert_int_equal(snic_arg_uint("010", 0, 65535, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 10);
	assert_int_equal(snic_arg_uint("08080", 0, 65535, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 8080);
	assert_int_equal(snic_arg_uint("0X1f", 0, 65535, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 31);
	assert_int_equal(snic_arg_uint("0x", 0, 65535, &v, err, sizeof(err)), -1);
	assert_int_equal(snic_arg_uint("0xg", 0, 65535, &v, err, sizeof(err)), -1);
	assert_int_equal(snic_arg_uint("0x-1", 0, 65535, &v, err, sizeof(err)), -1);
}

static void protocols(void **state)
{
	(void)state;
	uint8_t p;
	assert_int_equal(snic_arg_proto("tcp", &p, err, sizeof(err)), 0);
	assert_int_equal(p, 6);
	assert_int_equal(snic_arg_proto("udp", &p, err, sizeof(err)), 0);
	assert_int_equal(p, 17);
	assert_int_equal(snic_arg_proto("47", &p, err, sizeof(err)), 0);
	assert_int_equal(p, 47);
	assert_int_equal(snic_arg_proto("256", &p, err, sizeof(err)), -1);
	assert_int_equal(snic_arg_proto("TCPX", &p, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mac_ok), cmocka_unit_test(mac_bad), cmocka_unit_test(mac_masks),
		cmocka_unit_test(ipv4_ok), cmocka_unit_test(ipv4_bad), cmocka_unit_test(ports),
		cmocka_unit_test(protocols),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
