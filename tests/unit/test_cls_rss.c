/* SPDX-License-Identifier: MIT */
/*
 * RSS hash of the reference classifier (classifier/rss.c): the
 * verification suite of Microsoft's RSS specification (its key and its
 * IPv4 and IPv6 tuples with their published hashes), then the hash type
 * each kind of frame gets once parsed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "classifier.h"
#include "rss.h"

/* The key of the specification's verification suite. */
static const uint8_t ms_key[SNIC_RSS_KEY_BYTES] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

struct v4_vec {
	uint8_t dst[4], src[4];
	uint16_t dport, sport;
	uint32_t h_ip, h_tcp;
};

static const struct v4_vec v4[] = {
	{{161, 142, 100, 80}, {66, 9, 149, 187}, 1766, 2794, 0x323e8fc2, 0x51ccc178},
	{{65, 69, 140, 83}, {199, 92, 111, 2}, 4739, 14230, 0xd718262a, 0xc626b0ea},
	{{12, 22, 207, 184}, {24, 19, 198, 95}, 38024, 12898, 0xd2d0a5de, 0x5c2b394a},
	{{209, 142, 163, 6}, {38, 27, 205, 30}, 2217, 48228, 0x82989176, 0xafc7327f},
	{{202, 188, 127, 2}, {153, 39, 163, 191}, 1303, 44251, 0x5d1809c5, 0x10e828a2},
};

struct v6_vec {
	uint8_t dst[16], src[16];
	uint16_t dport, sport;
	uint32_t h_ip, h_tcp;
};

static const struct v6_vec v6[] = {
	{/* 3ffe:2501:200:3::1 */ {0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03, [15] = 1},
	 /* 3ffe:2501:200:1fff::7 */ {0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff, [15] = 7},
	 1766, 2794, 0x2cc18cd5, 0x40207d3d},
	{/* ff02::1 */ {0xff, 0x02, [15] = 1},
	 /* 3ffe:501:8::260:97ff:fe40:efab */
	 {0x3f, 0xfe, 0x05, 0x01, 0x00, 0x08, 0, 0, 0x02, 0x60, 0x97, 0xff, 0xfe, 0x40, 0xef, 0xab},
	 4739, 14230, 0x0f0c461c, 0xdde51bbf},
	{/* fe80::200:f8ff:fe21:67cf */
	 {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf},
	 /* 3ffe:1900:4545:3:200:f8ff:fe21:67cf */
	 {0x3f, 0xfe, 0x19, 0x00, 0x45, 0x45, 0x00, 0x03, 0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf},
	 38024, 44251, 0x4b61e985, 0x02d1feef},
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Input string: src, dst, sport, dport; returns its length. */
static uint32_t tuple(uint8_t *in, const uint8_t *src, const uint8_t *dst, uint32_t alen,
		      uint16_t sport, uint16_t dport, int ports)
{
	memcpy(in, src, alen);
	memcpy(in + alen, dst, alen);
	if (!ports)
		return 2 * alen;
	put16(in + 2 * alen, sport);
	put16(in + 2 * alen + 2, dport);
	return 2 * alen + 4;
}

/* Both hashes of one tuple of the suite. */
static void check_vector(const uint8_t *src, const uint8_t *dst, uint32_t alen, uint16_t sport,
			 uint16_t dport, uint32_t h_ip, uint32_t h_tcp)
{
	uint8_t in[SNIC_RSS_INPUT_MAX];
	uint32_t n = tuple(in, src, dst, alen, 0, 0, 0);

	assert_int_equal(snic_toeplitz(ms_key, in, n), h_ip);
	n = tuple(in, src, dst, alen, sport, dport, 1);
	assert_int_equal(snic_toeplitz(ms_key, in, n), h_tcp);
}

static void test_ms_vectors_ipv4(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
		check_vector(v4[i].src, v4[i].dst, 4, v4[i].sport, v4[i].dport, v4[i].h_ip,
			     v4[i].h_tcp);
}

static void test_ms_vectors_ipv6(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
		check_vector(v6[i].src, v6[i].dst, 16, v6[i].sport, v6[i].dport, v6[i].h_ip,
			     v6[i].h_tcp);
}

/* Ethernet + IPv4 (flags/fragment word `frag`) + 8 bytes of L4 header. */
static uint32_t frame_v4(uint8_t *f, const struct v4_vec *v, uint8_t proto, uint16_t frag)
{
	memset(f, 0, 64);
	f[0] = 0x02, f[5] = 1, f[6] = 0x02, f[11] = 2;
	put16(f + 12, 0x0800);
	f[14] = 0x45;
	put16(f + 16, 28);
	put16(f + 20, frag);
	f[22] = 64, f[23] = proto;
	memcpy(f + 26, v->src, 4);
	memcpy(f + 30, v->dst, 4);
	put16(f + 34, v->sport);
	put16(f + 36, v->dport);
	return 60;
}

static uint32_t frame_v6(uint8_t *f, const struct v6_vec *v, uint8_t proto)
{
	memset(f, 0, 80);
	f[0] = 0x02, f[5] = 1, f[6] = 0x02, f[11] = 2;
	put16(f + 12, 0x86dd);
	f[14] = 0x60;
	put16(f + 18, 8);
	f[20] = proto, f[21] = 64;
	memcpy(f + 22, v->src, 16);
	memcpy(f + 38, v->dst, 16);
	put16(f + 54, v->sport);
	put16(f + 56, v->dport);
	return 62;
}

static struct snic_match hash_of(const uint8_t *f, uint32_t len, uint8_t types)
{
	struct snic_rss_cfg cfg;
	struct snic_key k;
	struct snic_match m;

	memset(&cfg, 0, sizeof(cfg));
	memcpy(cfg.key, ms_key, sizeof(ms_key));
	cfg.types = types;
	snic_parse(f, len, len, 0, &k);
	memset(&m, 0xa5, sizeof(m));
	snic_rss_apply(&cfg, &k, &m);
	assert_memory_equal(m.rsvd1, "\0\0\0", 3);
	return m;
}

/* Parsed frames: the 4-tuple when its type is on, else the 2-tuple. */
static void test_frames_ipv4(void **state)
{
	uint8_t f[128];
	struct snic_match m;
	uint32_t n = frame_v4(f, &v4[0], 6, 0);
	(void)state;

	m = hash_of(f, n, SNIC_RSS_HT_ALL);
	assert_int_equal(m.hash, v4[0].h_tcp);
	assert_int_equal(m.hash_type, SNIC_RSS_HT_TCP_IPV4);
	m = hash_of(f, n, SNIC_RSS_HT_IPV4 | SNIC_RSS_HT_UDP_IPV4);
	assert_int_equal(m.hash, v4[0].h_ip);
	assert_int_equal(m.hash_type, SNIC_RSS_HT_IPV4);
	/* UDP with the same ports hashes like TCP when its type is on. */
	n = frame_v4(f, &v4[1], 17, 0);
	m = hash_of(f, n, SNIC_RSS_HT_UDP_IPV4);
	assert_int_equal(m.hash, v4[1].h_tcp);
	assert_int_equal(m.hash_type, SNIC_RSS_HT_UDP_IPV4);
	/* ... and gets nothing with only the TCP type (the spec's rule). */
	m = hash_of(f, n, SNIC_RSS_HT_TCP_IPV4);
	assert_int_equal(m.hash, 0);
	assert_int_equal(m.hash_type, SNIC_RSS_HT_NONE);
	/* Fragments, the first one included: addresses only. */
	n = frame_v4(f, &v4[2], 6, 0x2000);   /* MF, offset 0 */
	m = hash_of(f, n, SNIC_RSS_HT_ALL);
	assert_int_equal(m.hash, v4[2].h_ip);
	assert_int_equal(m.hash_type, SNIC_RSS_HT_IPV4);
	n = frame_v4(f, &v4[2], 6, 0x0010);   /* offset 128, last */
	m = hash_of(f, n, SNIC_RSS_HT_ALL);
	assert_int_equal(m.hash, v4[2].h_ip);
	/* Other protocols (GRE, ICMP): addresses only. */
	n = frame_v4(f, &v4[3], 47, 0);
	m = hash_of(f, n, SNIC_RSS_HT_ALL);
	assert_int_equal(m.hash, v4[3].h_ip);
	n = frame_v4(f, &v4[3], 1, 0);
	m = hash_of(f, n, SNIC_RSS_HT_ALL);
	assert_int_equal(m.hash, v4[3].h_ip);
	/* A TCP header cut short (KF_ERR, no ports): addresses only. */
	frame_v4(f, &v4[4], 6, 0);
	m = hash_of(f, 35, SNIC_RSS_HT_ALL);
	assert_int_equal(m.hash, v4[4].h_ip);
	assert_int_equal(m.hash_type, SNIC_RSS_HT_IPV4);
}

static void test_frames_ipv6(void **state)
{
	uint8_t f[128];
	struct snic_match m;
	uint32_t n;
	(void)state;

	for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++) {
		n = frame_v6(f, &v6[i], 6);
		m = hash_of(f, n, SNIC_RSS_HT_ALL);
		assert_int_equal(m.hash, v6[i].h_tcp);
		assert_int_equal(m.hash_type, SNIC_RSS_HT_TCP_IPV6);
		n = frame_v6(f, &v6[i], 17);
		m = hash_of(f, n, SNIC_RSS_HT_IPV6 | SNIC_RSS_HT_TCP_IPV6);
		assert_int_equal(m.hash, v6[i].h_ip);
		assert_int_equal(m.hash_type, SNIC_RSS_HT_IPV6);
	}
	/* IPv4 types only: no hash for IPv6. */
	m = hash_of(f, n, SNIC_RSS_HT_IPV4 | SNIC_RSS_HT_TCP_IPV4 | SNIC_RSS_HT_UDP_IPV4);
	assert_int_equal(m.hash_type, SNIC_RSS_HT_NONE);
	assert_int_equal(m.hash, 0);
}

/* No hash: ARP, non-IP, hashing off, no configuration, lookup alone. */
static void test_no_hash(void **state)
{
	static const uint8_t arp[42] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 2, 0x08, 0x06,
		0, 1, 0x08, 0x00, 6, 4, 0, 1, 0x02, 0, 0, 0, 0, 2, 10, 0, 0, 2,
		0, 0, 0, 0, 0, 0, 10, 0, 0, 1,
	};
	uint8_t f[128];
	struct snic_match m;
	struct snic_key k;
	struct snic_tcam t = {0, NULL, NULL};
	(void)state;

	m = hash_of(arp, sizeof(arp), SNIC_RSS_HT_ALL);
	assert_int_equal(m.hash_type, SNIC_RSS_HT_NONE);
	assert_int_equal(m.hash, 0);
	uint32_t n = frame_v4(f, &v4[0], 6, 0);
	put16(f + 12, 0x88b5);   /* local experimental ethertype */
	m = hash_of(f, n, SNIC_RSS_HT_ALL);
	assert_int_equal(m.hash_type, SNIC_RSS_HT_NONE);
	n = frame_v4(f, &v4[0], 6, 0);
	m = hash_of(f, n, 0);
	assert_int_equal(m.hash_type, SNIC_RSS_HT_NONE);
	assert_int_equal(m.hash, 0);
	snic_parse(f, n, n, 0, &k);
	memset(&m, 0xa5, sizeof(m));
	snic_tcam_lookup(&t, &k, &m);
	assert_int_equal(m.hash, 0);
	assert_int_equal(m.hash_type, SNIC_RSS_HT_NONE);
	memset(&m, 0xa5, sizeof(m));
	snic_rss_apply(NULL, &k, &m);
	assert_int_equal(m.hash, 0);
	assert_int_equal(m.hash_type, SNIC_RSS_HT_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ms_vectors_ipv4),
		cmocka_unit_test(test_ms_vectors_ipv6),
		cmocka_unit_test(test_frames_ipv4),
		cmocka_unit_test(test_frames_ipv6),
		cmocka_unit_test(test_no_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
