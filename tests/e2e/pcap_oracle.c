/* SPDX-License-Identifier: MIT */
/*
 * pcap_oracle: the independent expectation for the end-to-end tests.
 * It never uses snic code: libpcap's BPF compiler decides where each frame
 * should go, so a bug in the snic parser or classifier cannot hide itself.
 *
 *   pcap_oracle split IN.pcap OUTDIR MAXLEN DEST=FILTER...
 *       First DEST whose BPF FILTER accepts the frame gets it (the same
 *       first-match order as the rules), if 14 <= len <= MAXLEN; every other
 *       frame goes to OUTDIR/drop.pcap. Writes OUTDIR/DEST.pcap, prints
 *       "DEST COUNT" lines. A +DEST=FILTER is a group receiver
 *       (docs/l2.md): a frame no plain DEST took goes, as one copy each, to
 *       every group DEST whose FILTER accepts it, and is a drop only when
 *       none does.
 *   pcap_oracle compare A.pcap B.pcap
 *       Exit 0 if both hold the same frames in the same order (timestamps
 *       ignored), else print the first difference and exit 1.
 *   pcap_oracle count FILE.pcap
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEST 32

struct dest {
	char name[64];
	struct bpf_program prog;
	pcap_dumper_t *out;
	unsigned long count;
	int first; /* index of the first dest with this name (shares out) */
	int group; /* +DEST: gets a copy of frames no plain DEST took */
};

static pcap_dumper_t *open_out(pcap_t *in, const char *dir, const char *name)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/%s.pcap", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		fprintf(stderr, "pcap_oracle: path too long: %s/%s.pcap\n", dir, name);
		return NULL;
	}
	pcap_dumper_t *d = pcap_dump_open(in, path);
	if (!d)
		fprintf(stderr, "pcap_oracle: %s: %s\n", path, pcap_geterr(in));
	return d;
}

static pcap_t *open_in(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	if (!p)
		fprintf(stderr, "pcap_oracle: %s: %s\n", path, err);
	return p;
}

static int split(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "pcap_oracle split IN OUTDIR MAXLEN DEST=FILTER...\n");
		return 2;
	}
	pcap_t *in = open_in(argv[0]);
	if (!in)
		return 2;
	const char *dir = argv[1];
	unsigned long maxlen = strtoul(argv[2], NULL, 0);
	static struct dest d[MAX_DEST + 1];
	int nd = 0;
	for (int i = 3; i < argc && nd < MAX_DEST; i++, nd++) {
		const char *spec = argv[i] + (argv[i][0] == '+');
		const char *eq = strchr(spec, '=');
		if (!eq || eq == spec || (size_t)(eq - spec) >= sizeof(d[nd].name)) {
			fprintf(stderr, "pcap_oracle: bad DEST=FILTER '%s'\n", argv[i]);
			return 2;
		}
		d[nd].group = spec != argv[i];
		memcpy(d[nd].name, spec, (size_t)(eq - spec));
		if (pcap_compile(in, &d[nd].prog, eq + 1, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			fprintf(stderr, "pcap_oracle: filter '%s': %s\n", eq + 1, pcap_geterr(in));
			return 2;
		}
		d[nd].first = nd;
		for (int j = 0; j < nd; j++)
			if (strcmp(d[j].name, d[nd].name) == 0) {
				d[nd].first = j;
				break;
			}
		if (d[nd].first == nd && !(d[nd].out = open_out(in, dir, d[nd].name)))
			return 2;
	}
	struct dest *drop = &d[nd];
	snprintf(drop->name, sizeof(drop->name), "drop");
	drop->first = nd;
	if (!(drop->out = open_out(in, dir, "drop")))
		return 2;
	struct pcap_pkthdr *h;
	const u_char *data;
	while (pcap_next_ex(in, &h, &data) == 1) {
		struct dest *to = drop;
		int copies = 0;
		if (h->len >= 14 && h->len <= maxlen) {
			for (int i = 0; i < nd; i++)
				if (!d[i].group && pcap_offline_filter(&d[i].prog, h, data)) {
					to = &d[d[i].first];
					break;
				}
			for (int i = 0; i < nd && to == drop; i++) {
				if (!d[i].group || !pcap_offline_filter(&d[i].prog, h, data))
					continue;
				pcap_dump((u_char *)d[d[i].first].out, h, data);
				d[d[i].first].count++;
				copies++;
			}
		}
		if (copies)
			continue;
		pcap_dump((u_char *)to->out, h, data);
		to->count++;
	}
	for (int i = 0; i <= nd; i++) {
		if (d[i].first != i)
			continue;
		printf("%s %lu\n", d[i].name, d[i].count);
		pcap_dump_close(d[i].out);
	}
	pcap_close(in);
	return 0;
}

static int compare(const char *a, const char *b)
{
	pcap_t *pa = open_in(a), *pb = open_in(b);
	int rc = 2;
	if (!pa || !pb)
		goto out;
	struct pcap_pkthdr *ha, *hb;
	const u_char *da, *db;
	for (unsigned long i = 1;; i++) {
		int ra = pcap_next_ex(pa, &ha, &da);
		int rb = pcap_next_ex(pb, &hb, &db);
		if (ra != 1 || rb != 1) {
			rc = ra != rb;
			if (rc)
				printf("frame %lu: %s has it, %s ended\n", i, ra == 1 ? a : b,
				       ra == 1 ? b : a);
			break;
		}
		if (ha->caplen != hb->caplen || memcmp(da, db, ha->caplen) != 0) {
			printf("frame %lu differs (len %u vs %u)\n", i, ha->caplen, hb->caplen);
			rc = 1;
			break;
		}
	}
out:
	if (pa)
		pcap_close(pa);
	if (pb)
		pcap_close(pb);
	return rc;
}

static int count(const char *path)
{
	pcap_t *p = open_in(path);
	if (!p)
		return 2;
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned long n = 0;
	while (pcap_next_ex(p, &h, &data) == 1)
		n++;
	pcap_close(p);
	printf("%lu\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "split") == 0)
		return split(argc - 2, argv + 2);
	if (argc == 4 && strcmp(argv[1], "compare") == 0)
		return compare(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "count") == 0)
		return count(argv[2]);
	fprintf(stderr, "usage: pcap_oracle split|compare|count ...\n");
	return 2;
}
