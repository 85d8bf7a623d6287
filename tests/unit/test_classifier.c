/* SPDX-License-Identifier: MIT */
/*
 * Directed tests of the reference classifier: one hand-made frame per
 * protocol and edge case, with the expected key written out by hand from
 * the rules in docs/classifier.md, plus the ternary lookup semantics.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "classifier.h"

#define MAC_D 0x02, 0x00, 0x00, 0x00, 0x00, 0x01
#define MAC_S 0x02, 0x00, 0x00, 0x00, 0x00, 0x02
/* IPv4 header: IHL 5, TOS 0x10, proto p, 10.0.0.2 -> 10.0.0.1, fragment word f */
#define IP4(p, f) 0x45, 0x10, 0x00, 0x30, 0x12, 0x34, (f) >> 8, (f) & 0xff, 64, (p), \
	0x00, 0x00, 10, 0, 0, 2, 10, 0, 0, 1
#define PORTS 0x30, 0x39, 0x00, 0x50 /* 12345 -> 80 */

static struct snic_key base_key(uint8_t flags, uint16_t type)
{
	static const uint8_t d[6] = {MAC_D}, s[6] = {MAC_S};
	struct snic_key k;

	memset(&k, 0, sizeof(k));
	k.flags = flags;
	k.port = 3;
	memcpy(k.dmac, d, 6);
	memcpy(k.smac, s, 6);
	k.ethertype[0] = (uint8_t)(type >> 8);
	k.ethertype[1] = (uint8_t)type;
	return k;
}

static void set_ip4(struct snic_key *k, uint8_t proto)
{
	static const uint8_t sip[4] = {10, 0, 0, 2}, dip[4] = {10, 0, 0, 1};
	k->ip_tos = 0x10;
	k->ip_proto = proto;
	memcpy(k->sip, sip, 4);
	memcpy(k->dip, dip, 4);
}

static void set_ports(struct snic_key *k)
{
	k->sport[0] = 0x30;
	k->sport[1] = 0x39;
	k->dport[0] = 0x00;
	k->dport[1] = 0x50;
}

static void check(const uint8_t *f, uint32_t caplen, uint32_t frame_len,
		  const struct snic_key *want)
{
	struct snic_key got;
	memset(&got, 0xa5, sizeof(got)); /* the parser must write every byte */
	snic_parse(f, caplen, frame_len, 3, &got);
	assert_int_equal(got.flags, want->flags);
	assert_memory_equal(&got, want, sizeof(got));
}

static void test_runt(void **state)
{
	static const uint8_t f[13] = {MAC_D, MAC_S, 0x08};
	struct snic_key want;
	(void)state;
	memset(&want, 0, sizeof(want));
	want.flags = SNIC_KF_ERR;
	want.port = 3;
	check(f, sizeof(f), sizeof(f), &want);
	check(f, 0, 0, &want);
}

static void test_unknown_ethertype(void **state)
{
	static const uint8_t f[60] = {MAC_D, MAC_S, 0x88, 0xcc, 1, 2, 3};
	struct snic_key want = base_key(0, 0x88cc);
	(void)state;
	check(f, sizeof(f), sizeof(f), &want);
}

static void test_ipv4_tcp(void **state)
{
	static const uint8_t f[64] = {MAC_D, MAC_S, 0x08, 0x00, IP4(6, 0x4000), PORTS};
	struct snic_key want = base_key(SNIC_KF_IPV4 | SNIC_KF_L4, 0x0800);
	(void)state;
	set_ip4(&want, 6);
	set_ports(&want);
	check(f, sizeof(f), sizeof(f), &want); /* DF alone is not a fragment */
}

static void test_vlan_udp(void **state)
{
	static const uint8_t f[64] = {MAC_D, MAC_S, 0x81, 0x00, 0x20, 0x64, 0x08, 0x00,
				      IP4(17, 0), PORTS};
	struct snic_key want = base_key(SNIC_KF_VLAN | SNIC_KF_IPV4 | SNIC_KF_L4, 0x0800);
	(void)state;
	want.vlan[0] = 0x20;
	want.vlan[1] = 0x64;
	set_ip4(&want, 17);
	set_ports(&want);
	check(f, sizeof(f), sizeof(f), &want);
}

static void test_qinq(void **state)
{
	static const uint8_t ad[64] = {MAC_D, MAC_S, 0x88, 0xa8, 0x00, 0x05, 0x81, 0x00,
				       0x00, 0x64, 0x08, 0x00, IP4(6, 0), PORTS};
	static const uint8_t qq[64] = {MAC_D, MAC_S, 0x81, 0x00, 0x00, 0x05, 0x81, 0x00,
				       0x00, 0x64, 0x08, 0x00, IP4(6, 0), PORTS};
	struct snic_key want = base_key(SNIC_KF_VLAN | SNIC_KF_QINQ | SNIC_KF_IPV4 |
					SNIC_KF_L4, 0x0800);
	(void)state;
	want.vlan_outer[1] = 0x05;
	want.vlan[1] = 0x64;
	set_ip4(&want, 6);
	set_ports(&want);
	check(ad, sizeof(ad), sizeof(ad), &want);
	check(qq, sizeof(qq), sizeof(qq), &want);
}

static void test_three_tags(void **state)
{
	static const uint8_t f[64] = {MAC_D, MAC_S, 0x88, 0xa8, 0x00, 0x05, 0x81, 0x00,
				      0x00, 0x64, 0x81, 0x00, 0x00, 0x07, 0x08, 0x00, IP4(6, 0)};
	struct snic_key want = base_key(SNIC_KF_VLAN | SNIC_KF_QINQ | SNIC_KF_ERR, 0x8100);
	(void)state;
	want.vlan_outer[1] = 0x05;
	want.vlan[1] = 0x64;
	check(f, sizeof(f), sizeof(f), &want);
}

/* 0x88A8 is a tag only as the outermost one; inside, it is an ethertype. */
static void test_inner_88a8_is_ethertype(void **state)
{
	static const uint8_t f[64] = {MAC_D, MAC_S, 0x81, 0x00, 0x00, 0x05, 0x88, 0xa8,
				      0x00, 0x64, 0x08, 0x00};
	struct snic_key want = base_key(SNIC_KF_VLAN, 0x88a8);
	(void)state;
	want.vlan[1] = 0x05;
	check(f, sizeof(f), sizeof(f), &want);
}

static void test_truncated_tag(void **state)
{
	static const uint8_t f[64] = {MAC_D, MAC_S, 0x81, 0x00, 0x00, 0x05, 0x81, 0x00,
				      0x00, 0x64, 0x08, 0x00};
	struct snic_key want = base_key(SNIC_KF_ERR, 0);
	(void)state;
	check(f, 17, 17, &want);       /* first tag cut */
	check(f, 64, 21, &want);       /* second tag cut: no tag fields at all */
	check(f, 20, 64, &want);       /* short capture counts the same */
}

static void test_ipv4_options(void **state)
{
	uint8_t f[128] = {MAC_D, MAC_S, 0x08, 0x00, IP4(17, 0)};
	struct snic_key want = base_key(SNIC_KF_IPV4 | SNIC_KF_L4, 0x0800);
	(void)state;
	f[14] = 0x4f;                   /* IHL 15: 40 bytes of options */
	memset(f + 34, 0x01, 40);       /* NOPs */
	f[74] = 0x30; f[75] = 0x39; f[76] = 0x00; f[77] = 0x50;
	set_ip4(&want, 17);
	set_ports(&want);
	check(f, 78, 78, &want);
	/* one byte short of the ports */
	want = base_key(SNIC_KF_IPV4 | SNIC_KF_ERR, 0x0800);
	set_ip4(&want, 17);
	check(f, 77, 77, &want);
	/* options run past the frame: the whole IPv4 header is bad */
	want = base_key(SNIC_KF_ERR, 0x0800);
	check(f, 73, 73, &want);
}

static void test_ipv4_malformed(void **state)
{
	uint8_t f[64] = {MAC_D, MAC_S, 0x08, 0x00, IP4(6, 0), PORTS};
	struct snic_key want = base_key(SNIC_KF_ERR, 0x0800);
	(void)state;
	f[14] = 0x44;                   /* IHL 4 */
	check(f, sizeof(f), sizeof(f), &want);
	f[14] = 0x65;                   /* version 6 under ethertype 0x0800 */
	check(f, sizeof(f), sizeof(f), &want);
	f[14] = 0x45;
	check(f, 33, 33, &want);        /* 19 bytes of IPv4 header */
	check(f, 64, 33, &want);        /* frame_len bounds too */
}

static void test_fragments(void **state)
{
	uint8_t f[64] = {MAC_D, MAC_S, 0x08, 0x00, IP4(17, 0x2000), PORTS};
	struct snic_key want = base_key(SNIC_KF_IPV4 | SNIC_KF_FRAG | SNIC_KF_L4, 0x0800);
	(void)state;
	set_ip4(&want, 17);
	set_ports(&want);
	check(f, sizeof(f), sizeof(f), &want);          /* first fragment: ports */
	f[20] = 0x20; f[21] = 0x64;                      /* MF, offset 100 */
	want = base_key(SNIC_KF_IPV4 | SNIC_KF_FRAG, 0x0800);
	set_ip4(&want, 17);
	check(f, sizeof(f), sizeof(f), &want);          /* no ports */
	f[20] = 0x00; f[21] = 0x01;                      /* last fragment */
	check(f, sizeof(f), sizeof(f), &want);
	check(f, 34, 34, &want);                         /* no L4 needed: no error */
}

static void test_icmp_sctp_other(void **state)
{
	uint8_t f[64] = {MAC_D, MAC_S, 0x08, 0x00, IP4(1, 0), 8, 0, 0x12, 0x34};
	struct snic_key want = base_key(SNIC_KF_IPV4 | SNIC_KF_L4, 0x0800);
	(void)state;
	set_ip4(&want, 1);
	want.icmp_type = 8;
	check(f, sizeof(f), sizeof(f), &want);

	f[23] = 132;                                     /* SCTP */
	memcpy(f + 34, (uint8_t[]){PORTS}, 4);
	want = base_key(SNIC_KF_IPV4 | SNIC_KF_L4, 0x0800);
	set_ip4(&want, 132);
	set_ports(&want);
	check(f, sizeof(f), sizeof(f), &want);

	f[23] = 47;                                      /* GRE: no L4 fields */
	want = base_key(SNIC_KF_IPV4, 0x0800);
	set_ip4(&want, 47);
	check(f, sizeof(f), sizeof(f), &want);

	f[23] = 58;                                      /* ICMPv6 inside IPv4 */
	want = base_key(SNIC_KF_IPV4, 0x0800);
	set_ip4(&want, 58);
	check(f, sizeof(f), sizeof(f), &want);
}

static void test_arp(void **state)
{
	uint8_t f[60] = {MAC_D, MAC_S, 0x08, 0x06,
			 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
			 MAC_S, 10, 0, 0, 2, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1};
	struct snic_key want = base_key(SNIC_KF_ARP, 0x0806);
	(void)state;
	memcpy(want.sip, (uint8_t[]){10, 0, 0, 2}, 4);
	memcpy(want.dip, (uint8_t[]){10, 0, 0, 1}, 4);
	check(f, sizeof(f), sizeof(f), &want);
	want = base_key(SNIC_KF_ERR, 0x0806);
	check(f, 41, 41, &want);                         /* 27 bytes of ARP */
	f[19] = 16;                                      /* plen 16 */
	check(f, sizeof(f), sizeof(f), &want);
}

static void test_short_capture(void **state)
{
	static const uint8_t f[64] = {MAC_D, MAC_S, 0x08, 0x00, IP4(6, 0), PORTS};
	struct snic_key want = base_key(SNIC_KF_IPV4 | SNIC_KF_ERR, 0x0800);
	(void)state;
	set_ip4(&want, 6);
	check(f, 36, 64, &want);         /* ports not captured: error, not zeros */
}

/* IPv6: TC 0x12, flow 0, payload len, next header nh, hop limit 64,
 * fd00::2 -> fd00::1 */
#define IP6(nh) 0x61, 0x20, 0x00, 0x00, 0x00, 0x20, (nh), 64, \
	0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, \
	0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1

static struct snic_key ip6_key(uint8_t flags, uint8_t proto)
{
	struct snic_key k = base_key(SNIC_KF_IPV6 | flags, 0x86dd);
	k.ip_tos = 0x12;
	k.ip_proto = proto;
	k.sip[0] = k.dip[0] = 0xfd;
	k.sip[15] = 2;
	k.dip[15] = 1;
	return k;
}

static void test_ipv6(void **state)
{
	uint8_t f[128] = {MAC_D, MAC_S, 0x86, 0xdd, IP6(6), PORTS};
	struct snic_key want = ip6_key(SNIC_KF_L4, 6);
	(void)state;
	set_ports(&want);
	check(f, 80, 80, &want);
	want = ip6_key(SNIC_KF_ERR, 6);                  /* ports cut: proto known */
	check(f, 56, 56, &want);
	want = base_key(SNIC_KF_ERR, 0x86dd);            /* fixed header cut */
	check(f, 53, 53, &want);
	f[14] = 0x41;                                    /* version 4 */
	check(f, 80, 80, &want);
	f[14] = 0x61;
	f[20] = 58;                                      /* ICMPv6 neighbour solicitation */
	f[54] = 135;
	want = ip6_key(SNIC_KF_L4, 58);
	want.icmp_type = 135;
	check(f, 80, 80, &want);
	f[20] = 1;                                       /* ICMP (v4) inside IPv6: nothing */
	want = ip6_key(0, 1);
	check(f, 80, 80, &want);
}

static void test_ipv6_ext(void **state)
{
	/* hop-by-hop (8 bytes) -> destination options (16 bytes) -> UDP */
	uint8_t f[128] = {MAC_D, MAC_S, 0x86, 0xdd, IP6(0),
			  60, 0, 1, 4, 0, 0, 0, 0,
			  17, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			  PORTS};
	struct snic_key want = ip6_key(SNIC_KF_L4, 17);
	(void)state;
	set_ports(&want);
	check(f, 100, 100, &want);
	want = ip6_key(SNIC_KF_ERR, 0);                  /* options cut */
	check(f, 77, 77, &want);
	f[63] = 10;                                      /* options 88 bytes: past byte 128 */
	check(f, 128, 200, &want);
}

static void test_ipv6_fragment(void **state)
{
	/* fragment header (next UDP, offset 0, M) -> UDP */
	uint8_t f[128] = {MAC_D, MAC_S, 0x86, 0xdd, IP6(44),
			  17, 0, 0x00, 0x01, 1, 2, 3, 4, PORTS};
	struct snic_key want = ip6_key(SNIC_KF_FRAG | SNIC_KF_L4, 17);
	(void)state;
	set_ports(&want);
	check(f, 80, 80, &want);
	f[56] = 0x01;                                    /* offset 32, M=1 */
	want = ip6_key(SNIC_KF_FRAG, 17);                /* proto named, no ports */
	check(f, 80, 80, &want);
	check(f, 62, 62, &want);
	f[56] = 0x00;
	f[57] = 0x00;                                    /* atomic fragment: no flag */
	want = ip6_key(SNIC_KF_L4, 17);
	set_ports(&want);
	check(f, 80, 80, &want);
}

static void test_ipv6_too_deep(void **state)
{
	/* SNIC_IPV6_MAX_EXT + 1 hop-by-hop-sized headers: too deep */
	uint8_t f[128] = {MAC_D, MAC_S, 0x86, 0xdd, IP6(60)};
	struct snic_key want = ip6_key(SNIC_KF_ERR, 0);
	uint32_t off = 54;
	(void)state;
	for (int i = 0; i <= SNIC_IPV6_MAX_EXT; i++, off += 8)
		f[off] = i < SNIC_IPV6_MAX_EXT ? 60 : 17;
	memcpy(f + off, (uint8_t[]){PORTS}, 4);
	check(f, 128, 128, &want);
	/* one header fewer fits: the last one names UDP */
	f[54 + 8 * (SNIC_IPV6_MAX_EXT - 1)] = 17;
	want = ip6_key(SNIC_KF_L4, 17);
	want.sport[0] = 0x11; /* ports are the first bytes after the 4th header */
	want.sport[1] = 0x00;
	check(f, 128, 128, &want);
}

static struct snic_rule rule_on(uint32_t off, uint8_t value, uint8_t mask, uint16_t vnic)
{
	struct snic_rule r;
	memset(&r, 0, sizeof(r));
	((uint8_t *)&r.value)[off] = value;
	((uint8_t *)&r.mask)[off] = mask;
	r.action.vnic = vnic;
	r.action.ring = 7;
	r.action.meter = SNIC_METER_NONE;
	r.action.flags = SNIC_ACT_COUNT;
	return r;
}

static void test_lookup(void **state)
{
	struct snic_rule e[4];
	uint8_t valid[4] = {0, 1, 1, 1};
	struct snic_tcam t = {4, e, valid};
	struct snic_key k;
	struct snic_match m;
	(void)state;

	memset(&k, 0, sizeof(k));
	k.flags = SNIC_KF_IPV4;
	k.ip_proto = 17;
	e[0] = rule_on(SNIC_KEY_OFF_IP_PROTO, 17, 0xff, 10);   /* invalid: skipped */
	e[1] = rule_on(SNIC_KEY_OFF_IP_PROTO, 6, 0xff, 11);
	e[2] = rule_on(SNIC_KEY_OFF_IP_PROTO, 0x13, 0xf0, 12); /* high nibble 1: hit */
	e[3] = rule_on(SNIC_KEY_OFF_IP_PROTO, 17, 0xff, 13);   /* lower priority */
	snic_tcam_lookup(&t, &k, &m);
	assert_int_equal(m.rule, 2);
	assert_int_equal(m.action.vnic, 12);
	assert_int_equal(m.action.ring, 7);
	assert_int_equal(m.key_flags, SNIC_KF_IPV4);

	valid[2] = 0;
	snic_tcam_lookup(&t, &k, &m);
	assert_int_equal(m.rule, 3);

	k.ip_proto = 1;
	snic_tcam_lookup(&t, &k, &m);
	assert_int_equal(m.rule, SNIC_RULE_MISS);
	assert_int_equal(m.action.vnic, SNIC_VNIC_NONE);
	assert_int_equal(m.action.ring, SNIC_RING_DEFAULT);
	assert_int_equal(m.action.meter, SNIC_METER_NONE);
	assert_int_equal(m.action.flags, 0);
	assert_int_equal(m.key_flags, SNIC_KF_IPV4);

	/* all-zero mask matches anything, whatever its value bytes */
	e[1] = rule_on(SNIC_KEY_OFF_SIP, 0x99, 0x00, 14);
	snic_tcam_lookup(&t, &k, &m);
	assert_int_equal(m.rule, 1);
	assert_true(snic_rule_matches(&e[1], &k));
	assert_false(snic_rule_matches(&e[3], &k));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runt),
		cmocka_unit_test(test_unknown_ethertype),
		cmocka_unit_test(test_ipv4_tcp),
		cmocka_unit_test(test_vlan_udp),
		cmocka_unit_test(test_qinq),
		cmocka_unit_test(test_three_tags),
		cmocka_unit_test(test_inner_88a8_is_ethertype),
		cmocka_unit_test(test_truncated_tag),
		cmocka_unit_test(test_ipv4_options),
		cmocka_unit_test(test_ipv4_malformed),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_icmp_sctp_other),
		cmocka_unit_test(test_arp),
		cmocka_unit_test(test_short_capture),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_ipv6_ext),
		cmocka_unit_test(test_ipv6_fragment),
		cmocka_unit_test(test_ipv6_too_deep),
		cmocka_unit_test(test_lookup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
