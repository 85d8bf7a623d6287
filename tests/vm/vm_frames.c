/* SPDX-License-Identifier: MIT */
/*
 * snic_vm_frames: write the uplink trace for the VM test, a classic pcap of
 * IPv4/UDP frames the link partner sends to one VNIC:
 *
 *   snic_vm_frames OUT.pcap DST_MAC N_PORT7 N_PORT9 N_STRANGER [GAP_US]
 *
 * N_PORT7 frames to DST_MAC with UDP destination port 7, then N_PORT9 with
 * port 9, then N_STRANGER frames to a MAC no VNIC has (02:aa:00:00:00:99),
 * interleaved so that order cannot hide a counting bug. Source MAC
 * 02:aa:00:00:00:01, 10.9.<port>.2 -> 10.9.<port>.1 is irrelevant to the
 * counts; the IP header checksum is valid, UDP checksum 0 (none). Frames
 * are GAP_US microseconds apart (default 1000).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAYLOAD 64

static void put32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	fwrite(b, 1, 4, f);
}

static void put16(FILE *f, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
	fwrite(b, 1, 2, f);
}

static uint16_t ip_checksum(const uint8_t *h, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static size_t build(uint8_t *f, const uint8_t *dmac, uint16_t dport, uint32_t seq)
{
	static const uint8_t smac[6] = { 0x02, 0xaa, 0, 0, 0, 0x01 };
	uint8_t *ip = f + 14, *udp = ip + 20;
	uint16_t ulen = 8 + PAYLOAD, tlen = 20 + ulen;

	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(tlen >> 8);
	ip[3] = (uint8_t)tlen;
	ip[4] = (uint8_t)(seq >> 8);
	ip[5] = (uint8_t)seq;
	ip[8] = 64;
	ip[9] = 17;
	ip[12] = 10, ip[13] = 9, ip[14] = 0, ip[15] = 2;
	ip[16] = 10, ip[17] = 9, ip[18] = 0, ip[19] = 1;
	uint16_t c = ip_checksum(ip, 20);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	udp[0] = 0x9c, udp[1] = 0x40; /* 40000 */
	udp[2] = (uint8_t)(dport >> 8);
	udp[3] = (uint8_t)dport;
	udp[4] = (uint8_t)(ulen >> 8);
	udp[5] = (uint8_t)ulen;
	udp[6] = udp[7] = 0;
	for (int i = 0; i < PAYLOAD; i++)
		udp[8 + i] = (uint8_t)(seq + (uint32_t)i);
	return 14 + (size_t)tlen;
}

static int parse_mac(const char *s, uint8_t *mac)
{
	unsigned v[6];
	char tail;
	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &tail) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (v[i] > 255)
			return -1;
		mac[i] = (uint8_t)v[i];
	}
	return 0;
}

static int parse_count(const char *s, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (*s == '\0' || *end || v > 10000000)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int main(int argc, char **argv)
{
	static const uint8_t stranger[6] = { 0x02, 0xaa, 0, 0, 0, 0x99 };
	uint8_t dmac[6], frame[14 + 20 + 8 + PAYLOAD];
	unsigned n7, n9, ns, gap = 1000;

	if ((argc != 6 && argc != 7) || parse_mac(argv[2], dmac) || parse_count(argv[3], &n7) ||
	    parse_count(argv[4], &n9) || parse_count(argv[5], &ns) ||
	    (argc == 7 && (parse_count(argv[6], &gap) || gap == 0))) {
		fprintf(stderr, "usage: snic_vm_frames OUT.pcap DST_MAC N_PORT7 N_PORT9 N_STRANGER "
			"[GAP_US]\n");
		return 1;
	}
	FILE *f = fopen(argv[1], "wb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	put32(f, 0xa1b2c3d4); /* microsecond pcap, little-endian */
	put16(f, 2);
	put16(f, 4);
	put32(f, 0);
	put32(f, 0);
	put32(f, 65535);
	put32(f, 1);          /* Ethernet */

	uint32_t seq = 0;
	while (n7 || n9 || ns) {
		const uint8_t *mac = dmac;
		uint16_t port = 7;
		/* Round robin over the kinds still left. */
		if (seq % 3 == 0 && n7) {
			n7--;
		} else if (seq % 3 == 1 && n9) {
			n9--;
			port = 9;
		} else if (seq % 3 == 2 && ns) {
			ns--;
			mac = stranger;
		} else {
			seq++;
			continue;
		}
		size_t len = build(frame, mac, port, seq);
		uint64_t us = (uint64_t)seq * gap;
		put32(f, (uint32_t)(us / 1000000));
		put32(f, (uint32_t)(us % 1000000));
		put32(f, (uint32_t)len);
		put32(f, (uint32_t)len);
		fwrite(frame, 1, len, f);
		seq++;
	}
	if (fclose(f)) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
