/* SPDX-License-Identifier: MIT */
/*
 * gen_seq: write a pcap of sequence-numbered Ethernet frames for the
 * ring-steering and rate tests (seq_check reads them back).
 *
 *   gen_seq OUT.pcap --count N [--dst MAC]... [--src MAC] [--len L | --lens L1,L2,...]
 *           [--gap-ns G] [--vlan V]
 *
 * Frames go round-robin to the --dst MACs (default 02:00:00:00:00:01);
 * each distinct MAC is one stream (numbered in order of first mention), so
 * repeating a MAC gives it a bigger share. Each stream numbers its frames
 * 0, 1, 2, ... Frame k has timestamp k * G ns (nanosecond pcap).
 * Lengths are frame bytes without FCS (>= 60), taken in turn from --lens.
 * Payload at offset 14 (18 with --vlan): EtherType 0x88b6 before it, then
 * "SNSQ", stream (u16 BE), 0 (u16), per-stream seq (u64 BE), frame index
 * (u64 BE), then a byte pattern.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STREAMS 64
#define MAX_LENS    64
#define MAX_LEN     16384

static int parse_mac(const char *s, uint8_t m[6])
{
	unsigned v[6];
	char tail;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &tail) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		m[i] = (uint8_t)v[i];
	return 0;
}

static int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	*out = strtoull(s, &end, 10);
	return *end || *out > max ? -1 : 0;
}

static void put_be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static int usage(void)
{
	fprintf(stderr, "usage: gen_seq OUT.pcap --count N [--dst MAC]... [--src MAC] "
		"[--len L | --lens L1,L2,...] [--gap-ns G] [--vlan V]\n");
	return 2;
}

int main(int argc, char **argv)
{
	uint8_t dst[MAX_STREAMS][6], src[6] = { 0x02, 0xaa, 0, 0, 0, 0x01 };
	unsigned n_dst = 0, n_lens = 0, lens[MAX_LENS], stream_of[MAX_STREAMS];
	unsigned long long count = 0, gap = 0, vlan = 0, v;
	int have_count = 0, tagged = 0;

	if (argc < 2)
		return usage();
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		i++;
		if (!strcmp(a, "--dst")) {
			if (n_dst == MAX_STREAMS || !val || parse_mac(val, dst[n_dst]))
				return usage();
			/* A MAC seen before continues its stream. */
			unsigned s = 0, n_streams = 0;
			for (unsigned k = 0; k < n_dst; k++)
				if (stream_of[k] + 1 > n_streams)
					n_streams = stream_of[k] + 1;
			while (s < n_dst && memcmp(dst[s], dst[n_dst], 6))
				s++;
			stream_of[n_dst] = s < n_dst ? stream_of[s] : n_streams;
			n_dst++;
		} else if (!strcmp(a, "--src")) {
			if (!val || parse_mac(val, src))
				return usage();
		} else if (!strcmp(a, "--count")) {
			if (parse_u64(val, 100000000ull, &count))
				return usage();
			have_count = 1;
		} else if (!strcmp(a, "--gap-ns")) {
			if (parse_u64(val, 1000000000000ull, &gap))
				return usage();
		} else if (!strcmp(a, "--vlan")) {
			if (parse_u64(val, 4094, &vlan) || !vlan)
				return usage();
			tagged = 1;
		} else if (!strcmp(a, "--len") || !strcmp(a, "--lens")) {
			char *copy = val ? strdup(val) : NULL, *save = NULL;
			if (!copy)
				return usage();
			n_lens = 0;
			for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
				if (n_lens == MAX_LENS || parse_u64(t, MAX_LEN, &v) || v < 60) {
					free(copy);
					return usage();
				}
				lens[n_lens++] = (unsigned)v;
			}
			free(copy);
			if (!n_lens)
				return usage();
		} else {
			return usage();
		}
	}
	if (!have_count)
		return usage();
	if (!n_dst) {
		const uint8_t def[6] = { 0x02, 0, 0, 0, 0, 0x01 };
		memcpy(dst[0], def, 6);
		stream_of[0] = 0;
		n_dst = 1;
	}
	if (!n_lens)
		lens[n_lens++] = 64;

	pcap_t *p = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535,
							 PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *out = p ? pcap_dump_open(p, argv[1]) : NULL;
	if (!out) {
		fprintf(stderr, "gen_seq: cannot write %s\n", argv[1]);
		return 1;
	}
	static uint8_t f[MAX_LEN];
	uint64_t seq[MAX_STREAMS] = { 0 };
	for (unsigned long long k = 0; k < count; k++) {
		unsigned slot = (unsigned)(k % n_dst), s = stream_of[slot], len = lens[k % n_lens];
		size_t at = 12;
		memcpy(f, dst[slot], 6);
		memcpy(f + 6, src, 6);
		if (tagged) {
			put_be(f + 12, 0x8100, 2);
			put_be(f + 14, vlan, 2);
			at = 16;
		}
		put_be(f + at, 0x88b6, 2);
		at += 2;
		memcpy(f + at, "SNSQ", 4);
		put_be(f + at + 4, s, 2);
		put_be(f + at + 6, 0, 2);
		put_be(f + at + 8, seq[s]++, 8);
		put_be(f + at + 16, k, 8);
		for (size_t i = at + 24; i < len; i++)
			f[i] = (uint8_t)(k + i);
		struct pcap_pkthdr h;
		uint64_t ts = k * gap;
		h.ts.tv_sec = (time_t)(ts / 1000000000ull);
		h.ts.tv_usec = (suseconds_t)(ts % 1000000000ull);
		h.caplen = h.len = len;
		pcap_dump((u_char *)out, &h, f);
	}
	pcap_dump_close(out);
	pcap_close(p);
	return 0;
}
