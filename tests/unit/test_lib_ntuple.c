/* SPDX-License-Identifier: MIT */
/*
 * `rule add` words -> rules: ethtool's syntax gives the rule `ethtool -N`
 * gives the kernel driver (same struct ethtool_rx_flow_spec, same
 * translator), snicctl's --options the same match; and the rules mean what
 * they say on real frames, checked with the reference classifier: an IPv4
 * rule never catches IPv6, port rules never catch cut transport headers or
 * non-first fragments, IP rules never catch malformed frames unless they
 * ask for them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <snic/ntuple.h>
#include "classifier.h"
#include "snic_rulereq.h"

static char err[256];

/* Split `line` into words and parse them; returns snic_rule_parse's result. */
static int parse(const char *line, struct snic_rule_req *q)
{
	static char buf[512];
	char *argv[64];
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok(buf, " "); w && argc < 64; w = strtok(NULL, " "))
		argv[argc++] = w;
	err[0] = 0;
	return snic_rule_parse(argc, argv, q, err, sizeof(err));
}

static void must_parse(const char *line, struct snic_rule_req *q)
{
	if (parse(line, q))
		fail_msg("'%s' refused: %s", line, err);
}

/* The match of `fs` through the kernel's path must equal q's. */
static void same_as_kernel(const struct ethtool_rx_flow_spec *fs, const struct snic_rule_req *q)
{
	struct snic_rule r;
	uint32_t fields;

	assert_null(snic_ntuple_rule(fs, &r, &fields));
	assert_memory_equal(&r.value, &q->rule.value, sizeof(r.value));
	assert_memory_equal(&r.mask, &q->rule.mask, sizeof(r.mask));
	assert_int_equal(fields, q->fields);
}

static void ethtool_words_build_the_kernels_rule(void **state)
{
	(void)state;
	struct snic_rule_req q;
	struct ethtool_rx_flow_spec fs;

	/* What ethtool(8) sends for these words (its masks inverted). */
	must_parse("flow-type tcp4 dst-ip 10.0.0.2 dst-port 80 vf 3 loc 5", &q);
	memset(&fs, 0, sizeof(fs));
	fs.flow_type = TCP_V4_FLOW;
	fs.h_u.tcp_ip4_spec.ip4dst = htonl(0x0a000002);
	fs.m_u.tcp_ip4_spec.ip4dst = 0xffffffff;
	fs.h_u.tcp_ip4_spec.pdst = htons(80);
	fs.m_u.tcp_ip4_spec.pdst = 0xffff;
	same_as_kernel(&fs, &q);
	assert_int_equal(q.loc, 5);
	assert_int_equal(q.rule.action.vnic, 3);
	assert_int_equal(q.rule.value.flags, SNIC_KF_IPV4 | SNIC_KF_L4);
	assert_int_equal(q.rule.mask.flags, SNIC_KF_IPV4 | SNIC_KF_L4 | SNIC_KF_ERR);
	assert_int_equal(q.rule.value.ip_proto, 6);

	must_parse("flow-type ip4 src-ip 10.1.2.3 m 0.0.0.255 l4proto 17 vlan 100 m 0xf000 "
		   "dst-mac 02:00:00:00:00:07 action -1", &q);
	memset(&fs, 0, sizeof(fs));
	fs.flow_type = IPV4_USER_FLOW | FLOW_EXT | FLOW_MAC_EXT;
	fs.h_u.usr_ip4_spec.ip_ver = ETH_RX_NFC_IP4;
	fs.h_u.usr_ip4_spec.ip4src = htonl(0x0a010200);
	fs.m_u.usr_ip4_spec.ip4src = htonl(0xffffff00);
	fs.h_u.usr_ip4_spec.proto = 17;
	fs.m_u.usr_ip4_spec.proto = 0xff;
	fs.h_ext.vlan_tci = htons(100);
	fs.m_ext.vlan_tci = htons(0x0fff);
	memcpy(fs.h_ext.h_dest, "\x02\0\0\0\0\x07", 6);
	memset(fs.m_ext.h_dest, 0xff, 6);
	fs.ring_cookie = RX_CLS_FLOW_DISC;
	same_as_kernel(&fs, &q);
	assert_memory_equal(q.rule.value.sip, "\x0a\x01\x02\x00", 4);  /* `m` bits are ignored */
	assert_int_equal(q.rule.action.flags, SNIC_ACT_DROP | SNIC_ACT_COUNT);
	assert_int_equal(q.rule.value.flags, SNIC_KF_IPV4 | SNIC_KF_VLAN);

	must_parse("flow-type udp6 dst-ip fd00::1 dst-port 53 tclass 4 action 2", &q);
	memset(&fs, 0, sizeof(fs));
	fs.flow_type = UDP_V6_FLOW;
	inet_pton(AF_INET6, "fd00::1", fs.h_u.udp_ip6_spec.ip6dst);
	memset(fs.m_u.udp_ip6_spec.ip6dst, 0xff, 16);
	fs.h_u.udp_ip6_spec.pdst = htons(53);
	fs.m_u.udp_ip6_spec.pdst = 0xffff;
	fs.h_u.udp_ip6_spec.tclass = 4;
	fs.m_u.udp_ip6_spec.tclass = 0xff;
	same_as_kernel(&fs, &q);
	assert_true(q.ring_owner);
	assert_int_equal(q.ring, 2);
	assert_int_equal(q.rule.value.flags, SNIC_KF_IPV6 | SNIC_KF_L4);

	must_parse("flow-type ether dst 02:00:00:00:00:09 proto 0x88b5 vf 1", &q);
	memset(&fs, 0, sizeof(fs));
	fs.flow_type = ETHER_FLOW;
	memcpy(fs.h_u.ether_spec.h_dest, "\x02\0\0\0\0\x09", 6);
	memset(fs.m_u.ether_spec.h_dest, 0xff, 6);
	fs.h_u.ether_spec.h_proto = htons(0x88b5);
	fs.m_u.ether_spec.h_proto = 0xffff;
	same_as_kernel(&fs, &q);
	assert_int_equal(q.rule.mask.flags, 0);  /* L2 rules leave the flags alone */
}

static void options_build_the_same_match(void **state)
{
	(void)state;
	struct snic_rule_req a, b;

	must_parse("flow-type tcp4 src-ip 192.168.1.0 m 0.0.0.255 dst-port 443 vf 2", &a);
	must_parse("--proto tcp --src-ip 192.168.1.0/24 --dport 443 --vnic 2", &b);
	assert_memory_equal(&a.rule, &b.rule, sizeof(a.rule));
	assert_int_equal(a.fields, b.fields);

	must_parse("flow-type ip6 dst-ip fd00:: m ::ffff:ffff:ffff:ffff:ffff:ffff:ffff vf 2", &a);
	must_parse("--dst-ip fd00::/16 --vnic 2", &b);
	assert_memory_equal(&a.rule, &b.rule, sizeof(a.rule));

	/* Without an address: IPv4 and IPv6, but a whole transport header. */
	must_parse("--proto tcp --dport 0 --drop", &b);
	assert_int_equal(b.rule.mask.flags, SNIC_KF_L4 | SNIC_KF_ERR);
	assert_int_equal(b.rule.value.flags, SNIC_KF_L4);
}

static void bad_words_are_named(void **state)
{
	(void)state;
	static const struct { const char *line, *want; } bad[] = {
		{ "flow-type tcp9 vf 1", "flow-type 'tcp9'" },
		{ "flow-type", "flow-type needs a type" },
		{ "flow-type tcp4 dst-port 99999 vf 1", "dst-port '99999'" },
		{ "flow-type tcp4 dst-port 010x vf 1", "dst-port '010x'" },
		{ "flow-type tcp4 l4proto 6 vf 1", "'l4proto': not a field of flow-type tcp4" },
		{ "flow-type ip4 l4data 5 vf 1", "l4data: this device cannot match" },
		{ "flow-type ip4 user-def 5 vf 1", "user-def: this device cannot match" },
		{ "flow-type tcp4 dst-ip fd00::1 vf 1", "dst-ip 'fd00::1'" },
		{ "flow-type tcp4 dst-ip 10.0.0.1 m 1.2.3 vf 1", "m '1.2.3'" },
		{ "flow-type tcp4 dst-ip", "dst-ip needs a value" },
		{ "flow-type tcp4 dst-ip 10.0.0.1", "exactly one target" },
		{ "flow-type tcp4 dst-ip 10.0.0.1 vf 1 action -1", "exactly one target" },
		{ "flow-type tcp4 action 3 queue 4", "queue 4: `action N` already names the ring" },
		{ "flow-type tcp4 action -1 meter 2", "meter 2: a meter polices" },
		{ "flow-type tcp4 dst-port 80 vf 1 malformed", "malformed:" },
		{ "flow-type tcp4 vf 1 loc x", "loc 'x'" },
		{ "--dst-ip 10.0.0.1 --src-ip fd00::1 --vnic 1", "cannot mix IPv4 and IPv6" },
		{ "--dst-ip 10.0.0.1/33 --vnic 1", "--dst-ip '10.0.0.1/33'" },
		{ "--frob 1", "unknown option '--frob'" },
	};
	struct snic_rule_req q;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!parse(bad[i].line, &q))
			fail_msg("'%s' accepted", bad[i].line);
		if (!strstr(err, bad[i].want))
			fail_msg("'%s': '%s' does not say '%s'", bad[i].line, err, bad[i].want);
	}
}

/* ---- the rules on frames (reference classifier) ---- */

static uint8_t frame[128];

/* Ethernet + IPv4 (+ 20-byte TCP header from dport); returns its length. */
static uint32_t ipv4_tcp(uint32_t dst, uint16_t dport, uint16_t frag)
{
	memset(frame, 0, sizeof(frame));
	memcpy(frame, "\x02\0\0\0\0\x01\x02\0\0\0\0\x02\x08\x00", 14);
	uint8_t *ip = frame + 14;
	ip[0] = 0x45;
	ip[6] = (uint8_t)(frag >> 8);
	ip[7] = (uint8_t)frag;
	ip[8] = 64;
	ip[9] = 6;
	uint32_t d = htonl(dst);
	memcpy(ip + 12, "\x0a\0\0\x01", 4);
	memcpy(ip + 16, &d, 4);
	ip[22] = (uint8_t)(dport >> 8);
	ip[23] = (uint8_t)dport;
	ip[32] = 0x50;
	return 14 + 20 + 20;
}

static uint32_t ipv6_tcp(const char *dst, uint16_t dport)
{
	memset(frame, 0, sizeof(frame));
	memcpy(frame, "\x02\0\0\0\0\x01\x02\0\0\0\0\x02\x86\xdd", 14);
	uint8_t *ip = frame + 14;
	ip[0] = 0x60;
	ip[5] = 20;
	ip[6] = 6;
	ip[7] = 64;
	inet_pton(AF_INET6, "fd00::9", ip + 8);
	inet_pton(AF_INET6, dst, ip + 24);
	ip[42] = (uint8_t)(dport >> 8);
	ip[43] = (uint8_t)dport;
	return 14 + 40 + 20;
}

static int hits(const char *rule, uint32_t caplen)
{
	struct snic_rule_req q;
	struct snic_key key;

	must_parse(rule, &q);
	snic_parse(frame, caplen, caplen, 0, &key);
	return snic_rule_matches(&q.rule, &key);
}

static void ipv4_rules_do_not_catch_ipv6(void **state)
{
	(void)state;
	uint32_t n6 = ipv6_tcp("fd00::5", 80);
	assert_false(hits("--dst-ip 253.0.0.0/8 --vnic 1", n6));
	assert_false(hits("flow-type ip4 dst-ip 253.0.0.0 m 0.255.255.255 vf 1", n6));
	assert_false(hits("flow-type tcp4 dst-port 80 vf 1", n6));
	assert_true(hits("flow-type tcp6 dst-port 80 vf 1", n6));
	assert_true(hits("--dst-ip fd00::/8 --vnic 1", n6));
	uint32_t n4 = ipv4_tcp(0xfd010203, 80, 0);
	assert_true(hits("--dst-ip 253.0.0.0/8 --vnic 1", n4));
	assert_false(hits("--dst-ip fd00::/8 --vnic 1", n4));
	assert_true(hits("--proto tcp --dport 80 --vnic 1", n4));  /* no address: both */
	assert_true(hits("--proto tcp --dport 80 --vnic 1", n6));
}

static void ports_need_a_whole_first_fragment(void **state)
{
	(void)state;
	/* A TCP header cut after 2 bytes: ports read as 0, KF_ERR. */
	uint32_t n = ipv4_tcp(0x0a000002, 0, 0);
	assert_false(hits("--proto tcp --dport 0 --vnic 1", 14 + 20 + 2));
	assert_true(hits("--proto tcp --dport 0 --vnic 1", n));
	assert_false(hits("--proto tcp --vnic 1", 14 + 20 + 2));
	assert_false(hits("flow-type ip4 dst-ip 10.0.0.2 vf 1", 14 + 20 + 2));
	assert_true(hits("flow-type ip4 dst-ip 10.0.0.2 malformed vf 1", 14 + 20 + 2));
	assert_false(hits("flow-type ip4 dst-ip 10.0.0.2 malformed vf 1", n));
	assert_true(hits("flow-type ether dst 02:00:00:00:00:01 vf 1", 14 + 20 + 2));

	/* A non-first fragment: protocol 6, no transport header. */
	n = ipv4_tcp(0x0a000002, 80, 0x0010);
	assert_false(hits("flow-type tcp4 dst-ip 10.0.0.2 vf 1", n));
	assert_false(hits("--proto tcp --dport 80 --vnic 1", n));
	assert_true(hits("flow-type ip4 dst-ip 10.0.0.2 l4proto 6 vf 1", n));
	/* The first fragment carries the ports. */
	n = ipv4_tcp(0x0a000002, 80, 0x2000);
	assert_true(hits("flow-type tcp4 dst-ip 10.0.0.2 dst-port 80 vf 1", n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ethtool_words_build_the_kernels_rule),
		cmocka_unit_test(options_build_the_same_match),
		cmocka_unit_test(bad_words_are_named),
		cmocka_unit_test(ipv4_rules_do_not_catch_ipv6),
		cmocka_unit_test(ports_need_a_whole_first_fragment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
