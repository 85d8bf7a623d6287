/* SPDX-License-Identifier: MIT */
/*
 * gen_trace: write a deterministic mixed Ethernet trace for the end-to-end
 * tests and the demo: frames for three VNIC MACs and strangers, untagged
 * and VLAN-tagged, IPv4 TCP/UDP (with options, fragments), ARP, IPv6,
 * non-IP, broadcast, runts, truncated IPv4 headers and oversize frames.
 * With "prio", a quarter of the frames are priority-tagged (802.1Q, VID 0,
 * PCP 5) instead of untagged; the trace is otherwise the same.
 *
 *   gen_trace OUT.pcap SEED COUNT [prio]
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;
static int prio_tags;

static uint32_t rnd(uint32_t n)
{
	/* xorshift64*: fixed sequence per seed, same on every machine */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32) % n;
}

static const uint8_t macs[][6] = {
	{ 0x02, 0, 0, 0, 0, 0x01 }, { 0x02, 0, 0, 0, 0, 0x02 },
	{ 0x02, 0, 0, 0, 0, 0x03 }, { 0x02, 0, 0, 0, 0, 0x99 },
	{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
};

static size_t put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 2;
}

static size_t ipv4_header(uint8_t *p, uint8_t proto, uint16_t payload, int options,
			  int frag, const uint8_t dip[4])
{
	size_t ihl = options ? 7 : 5;
	memset(p, 0, ihl * 4);
	p[0] = (uint8_t)(0x40 | ihl);
	put16(p + 2, (uint16_t)(ihl * 4 + payload));
	put16(p + 4, (uint16_t)rnd(65536));
	if (frag == 1)
		put16(p + 6, 0x2000);          /* first fragment: MF */
	else if (frag == 2)
		put16(p + 6, (uint16_t)(0x0000 | 64)); /* later fragment */
	p[8] = 64;
	p[9] = proto;
	uint8_t sip[4] = { 192, 168, 1, (uint8_t)(1 + rnd(200)) };
	memcpy(p + 12, sip, 4);
	memcpy(p + 16, dip, 4);
	if (options)
		p[20] = 1, p[21] = 1, p[22] = 1, p[23] = 0; /* NOPs + EOL */
	return ihl * 4;
}

static size_t build(uint8_t *f)
{
	size_t n = 0;
	const uint8_t *dmac = macs[rnd(5)];
	memcpy(f, dmac, 6);
	uint8_t smac[6] = { 0x02, 0xaa, 0, 0, 0, (uint8_t)rnd(256) };
	memcpy(f + 6, smac, 6);
	n = 12;
	uint32_t v = rnd(4);
	if (v == 1 || v == 2 || (v == 3 && prio_tags)) {
		n += put16(f + n, 0x8100);
		n += put16(f + n, (uint16_t)(v == 1 ? 100 : v == 2 ? 200 : 0xa000));
	}
	uint32_t kind = rnd(10);
	uint16_t payload = (uint16_t)(rnd(8) == 0 ? 1200 + rnd(200) : 18 + rnd(200));
	uint8_t dip[4] = { 10, 0, 0, (uint8_t)(rnd(3) == 0 ? 80 : 1 + rnd(50)) };
	switch (kind) {
	case 0: case 1: case 2: case 3: { /* TCP */
		n += put16(f + n, 0x0800);
		int frag = rnd(10) == 0 ? 1 + (int)rnd(2) : 0;
		n += ipv4_header(f + n, 6, (uint16_t)(20 + payload), rnd(5) == 0, frag, dip);
		n += put16(f + n, (uint16_t)(1024 + rnd(4000)));
		n += put16(f + n, (uint16_t)(rnd(2) ? 80 : 22 + rnd(1000)));
		memset(f + n, 0, 16);
		f[n + 8] = 0x50;
		n += 16;
		break;
	}
	case 4: case 5: /* UDP */
		n += put16(f + n, 0x0800);
		n += ipv4_header(f + n, 17, (uint16_t)(8 + payload), 0, 0, dip);
		n += put16(f + n, (uint16_t)(1024 + rnd(4000)));
		n += put16(f + n, (uint16_t)(rnd(2) ? 80 : 53));
		n += put16(f + n, (uint16_t)(8 + payload));
		n += put16(f + n, 0);
		break;
	case 6: /* ARP request */
		n += put16(f + n, 0x0806);
		n += put16(f + n, 1);
		n += put16(f + n, 0x0800);
		f[n++] = 6;
		f[n++] = 4;
		n += put16(f + n, 1);
		memcpy(f + n, smac, 6), n += 6;
		f[n++] = 192, f[n++] = 168, f[n++] = 1, f[n++] = 9;
		memset(f + n, 0, 6), n += 6;
		memcpy(f + n, dip, 4), n += 4;
		payload = 0;
		break;
	case 7: /* IPv6 UDP */
		n += put16(f + n, 0x86dd);
		memset(f + n, 0, 40);
		f[n] = 0x60;
		put16(f + n + 4, (uint16_t)(8 + payload));
		f[n + 6] = 17;
		f[n + 7] = 64;
		f[n + 8] = 0xfd, f[n + 23] = 1;
		f[n + 24] = 0xfd, f[n + 39] = (uint8_t)rnd(256);
		n += 40;
		n += put16(f + n, 5000);
		n += put16(f + n, 80);
		n += put16(f + n, (uint16_t)(8 + payload));
		n += put16(f + n, 0);
		break;
	case 8: /* non-IP */
		n += put16(f + n, 0x88b5);
		break;
	default: /* runt, truncated IPv4 header, or oversize */
		switch (rnd(3)) {
		case 0:
			return 6 + rnd(7);
		case 1:
			n += put16(f + n, 0x0800);
			ipv4_header(f + n, 6, 40, 0, 0, dip);
			return n + 10; /* IPv4 header cut short */
		default:
			n += put16(f + n, 0x88b5);
			payload = (uint16_t)(2100 + rnd(800)); /* larger than ring buffers */
			break;
		}
	}
	for (uint16_t i = 0; i < payload; i++)
		f[n + i] = (uint8_t)rnd(256);
	n += payload;
	if (n < 60) {
		memset(f + n, 0, 60 - n);
		n = 60;
	}
	return n;
}

int main(int argc, char **argv)
{
	if (argc != 4 && !(argc == 5 && !strcmp(argv[4], "prio"))) {
		fprintf(stderr, "usage: gen_trace OUT.pcap SEED COUNT [prio]\n");
		return 1;
	}
	prio_tags = argc == 5;
	rng_state = strtoull(argv[2], NULL, 0) * 2654435761u + 1;
	long count = strtol(argv[3], NULL, 0);
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = p ? pcap_dump_open(p, argv[1]) : NULL;
	if (!d) {
		fprintf(stderr, "gen_trace: cannot write %s\n", argv[1]);
		return 1;
	}
	static uint8_t frame[4096];
	for (long i = 0; i < count; i++) {
		struct pcap_pkthdr h;
		memset(frame, 0, sizeof(frame));
		size_t len = build(frame);
		h.ts.tv_sec = 1;
		h.ts.tv_usec = (suseconds_t)(i * 2); /* 500 kpps offered load */
		h.caplen = h.len = (bpf_u_int32)len;
		pcap_dump((u_char *)d, &h, frame);
	}
	pcap_dump_close(d);
	pcap_close(p);
	return 0;
}
