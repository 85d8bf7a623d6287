/* SPDX-License-Identifier: MIT */
/*
 * Directed RSS checks of the Verilated match engine for test_engine_diff:
 * the published hashes of the Microsoft RSS verification suite, and a key
 * and type change under a stream of frames (old or new, never torn).
 */
#include <stdio.h>
#include <string.h>

#include "classifier.h"
#include "rss.h"
#include "engine_rss.h"

/* The specification's verification key (include/snic/rss.h). */
const uint8_t rss_ms_key[SNIC_RSS_KEY_BYTES] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/* 66.9.149.187:2794 -> 161.142.100.80:1766 (TCP), or its IPv6 twin from
 * the specification: 3ffe:2501:200:1fff::7 -> 3ffe:2501:200:3::1. */
static void tcp_frame(struct pkt *p, int v6)
{
	static const uint8_t s4[4] = {66, 9, 149, 187}, d4[4] = {161, 142, 100, 80};
	static const uint8_t s6[16] = {0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff, [15] = 7};
	static const uint8_t d6[16] = {0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03, [15] = 1};
	uint8_t *l4;

	memset(p, 0, sizeof(*p));
	memcpy(p->data, "\x02\0\0\0\0\x01\x02\0\0\0\0\x09", 12);
	if (v6) {
		memcpy(p->data + 12, "\x86\xdd\x60\0\0\0\0\x14\x06\x40", 10);
		memcpy(p->data + 22, s6, 16);
		memcpy(p->data + 38, d6, 16);
		l4 = p->data + 54;
	} else {
		memcpy(p->data + 12, "\x08\x00\x45\0\0\x28\0\0\0\0\x40\x06", 12);
		memcpy(p->data + 26, s4, 4);
		memcpy(p->data + 30, d4, 4);
		l4 = p->data + 34;
	}
	memcpy(l4, "\x0a\xea\x06\xe6", 4);   /* ports 2794, 1766 */
	l4[12] = 0x50;
	p->caplen = p->frame_len = (uint32_t)(l4 - p->data) + 20;
	p->port = 0;
}

/* One frame through the engine with nothing else in flight. */
static int engine_one(struct engine *e, unsigned latency, const struct pkt *p,
		      struct snic_match *m)
{
	uint32_t tag;
	engine_push(e, p->data, p->caplen, p->frame_len, p->port, 1);
	for (unsigned i = 0; i < latency; i++)
		engine_clock(e);
	return engine_pop(e, &tag, NULL, m) && tag == 1;
}

/* The engine against the specification's published hashes, directly. */
int test_rss_vectors(struct engine *e, unsigned latency)
{
	static const uint32_t want[2][2] = {{0x51ccc178, 0x323e8fc2}, {0x40207d3d, 0x2cc18cd5}};
	static const uint8_t want_type[2][2] = {
		{SNIC_RSS_HT_TCP_IPV4, SNIC_RSS_HT_IPV4}, {SNIC_RSS_HT_TCP_IPV6, SNIC_RSS_HT_IPV6}};
	struct snic_rss_cfg c;
	struct snic_match m;
	struct pkt p;
	int ok = 1;

	memset(&c, 0, sizeof(c));
	memcpy(c.key, rss_ms_key, sizeof(rss_ms_key));
	for (int l3only = 0; l3only < 2; l3only++) {
		c.types = l3only ? SNIC_RSS_HT_IPV4 | SNIC_RSS_HT_IPV6 : SNIC_RSS_HT_ALL;
		engine_rss_write(e, &c);
		engine_clock(e);
		for (int v6 = 0; v6 < 2; v6++) {
			tcp_frame(&p, v6);
			ok &= engine_one(e, latency, &p, &m) && m.hash == want[v6][l3only] &&
			      m.hash_type == want_type[v6][l3only];
			if (!ok) {
				printf("# spec vector %d/%d: hash %08x type 0x%02x\n", v6, l3only, m.hash,
				       m.hash_type);
				break;
			}
		}
	}
	engine_rss_write(e, NULL);
	engine_clock(e);
	tcp_frame(&p, 0);
	ok &= engine_one(e, latency, &p, &m) && m.hash == 0 && m.hash_type == SNIC_RSS_HT_NONE;
	return ok;
}

/*
 * A key and type change while one TCP frame streams every clock: frames
 * pushed before the write carry the old 4-tuple hash, frames from the
 * write on the new key's address hash; never new key with old types or
 * the reverse.
 */
int test_rss_atomic(struct engine *e, unsigned latency)
{
	struct snic_rss_cfg c1, c2;
	struct snic_key k;
	struct snic_match m, old_m, new_m;
	struct pkt p;
	uint32_t tag;
	const uint32_t write_at = 17;
	int ok = 1, n_old = 0, n_new = 0;

	memset(&c1, 0, sizeof(c1));
	memcpy(c1.key, rss_ms_key, sizeof(rss_ms_key));
	c1.types = SNIC_RSS_HT_ALL;
	c2 = c1;
	for (unsigned i = 0; i < SNIC_RSS_KEY_BYTES; i++)
		c2.key[i] = (uint8_t)(rss_ms_key[i] * 7 + i);
	c2.types = SNIC_RSS_HT_IPV4;
	tcp_frame(&p, 0);
	snic_parse(p.data, p.caplen, p.frame_len, p.port, &k);
	snic_rss_apply(&c1, &k, &old_m);
	snic_rss_apply(&c2, &k, &new_m);
	engine_rss_write(e, &c1);
	engine_clock(e);
	for (uint32_t t = 0; t < 40 + latency; t++) {
		if (t < 40)
			engine_push(e, p.data, p.caplen, p.frame_len, p.port, t);
		if (t == write_at)
			engine_rss_write(e, &c2);
		engine_clock(e);
		if (!engine_pop(e, &tag, NULL, &m))
			continue;
		const struct snic_match *w = tag < write_at ? &old_m : &new_m;
		ok &= m.hash == w->hash && m.hash_type == w->hash_type;
		n_old += tag < write_at;
		n_new += tag >= write_at;
		if (!ok) {
			printf("# tag %u: hash %08x type 0x%02x, want %08x 0x%02x\n", tag, m.hash,
			       m.hash_type, w->hash, w->hash_type);
			break;
		}
	}
	ok &= old_m.hash != new_m.hash && n_old == (int)write_at && n_new == 40 - (int)write_at;
	engine_rss_write(e, NULL);
	engine_clock(e);
	return ok;
}
