/* SPDX-License-Identifier: MIT */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pcap_io.h"

#define SNAPLEN 65535

int sim_trace_load(struct sim_trace *t, const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	memset(t, 0, sizeof(*t));
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path,
			PCAP_TSTAMP_PRECISION_NANO, err);
	if (!p) {
		fprintf(stderr, "snic-sim: %s: %s\n", path, err);
		return -1;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "snic-sim: %s: not an Ethernet capture\n", path);
		pcap_close(p);
		return -1;
	}
	uint32_t cap = 0;
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		if (h->caplen < h->len) {
			t->truncated++;
			continue;
		}
		if (t->count == cap) {
			cap = cap ? cap * 2 : 256;
			void *n = realloc(t->frames, cap * sizeof(*t->frames));
			if (!n)
				goto oom;
			t->frames = n;
		}
		struct sim_frame *f = &t->frames[t->count];
		f->data = malloc(h->caplen ? h->caplen : 1);
		if (!f->data)
			goto oom;
		memcpy(f->data, data, h->caplen);
		f->len = h->caplen;
		f->ts_ns = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
		t->count++;
	}
	if (rc == -1) {
		fprintf(stderr, "snic-sim: %s: %s\n", path, pcap_geterr(p));
		pcap_close(p);
		sim_trace_free(t);
		return -1;
	}
	pcap_close(p);
	if (t->truncated)
		fprintf(stderr, "snic-sim: %s: %u truncated records skipped (capture "
			"shorter than the frame)\n", path, t->truncated);
	return 0;
oom:
	fprintf(stderr, "snic-sim: %s: out of memory\n", path);
	pcap_close(p);
	sim_trace_free(t);
	return -1;
}

void sim_trace_free(struct sim_trace *t)
{
	for (uint32_t i = 0; i < t->count; i++)
		free(t->frames[i].data);
	free(t->frames);
	memset(t, 0, sizeof(*t));
}

struct sim_pcap_out {
	pcap_t *p;
	pcap_dumper_t *d;
};

struct sim_pcap_out *sim_pcap_open(const char *path)
{
	struct sim_pcap_out *o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->p = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, SNAPLEN,
						    PCAP_TSTAMP_PRECISION_NANO);
	o->d = o->p ? pcap_dump_open(o->p, path) : NULL;
	if (!o->d) {
		fprintf(stderr, "snic-sim: cannot write %s: %s\n", path,
			o->p ? pcap_geterr(o->p) : "pcap_open_dead failed");
		if (o->p)
			pcap_close(o->p);
		free(o);
		return NULL;
	}
	return o;
}

void sim_pcap_write(struct sim_pcap_out *o, const uint8_t *data, uint32_t len, uint64_t ts_ns)
{
	struct pcap_pkthdr h;
	h.ts.tv_sec = (time_t)(ts_ns / 1000000000ull);
	h.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000ull); /* nanoseconds: nano precision */
	h.caplen = len;
	h.len = len;
	pcap_dump((u_char *)o->d, &h, data);
}

void sim_pcap_close(struct sim_pcap_out *o)
{
	if (!o)
		return;
	pcap_dump_close(o->d);
	pcap_close(o->p);
	free(o);
}
