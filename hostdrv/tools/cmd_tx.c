/* SPDX-License-Identifier: MIT */
/*
 * snicctl tx --vnic ID --pcap FILE: send every frame of a pcap on the
 * VNIC's TX ring. The file is checked whole first (Ethernet link type, no
 * truncated captures, frames that fit the ring) so nothing is sent from a
 * file that cannot be sent entirely.
 */
#include <pcap/pcap.h>
#include <string.h>
#include "snicctl.h"

static pcap_t *open_pcap(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);

	if (!p)
		fprintf(stderr, "snicctl: tx: %s\n", err);
	else if (pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "snicctl: tx: %s is not an Ethernet capture\n", path);
		pcap_close(p);
		p = NULL;
	}
	return p;
}

/* Frames in the file, or -1 when one cannot be sent as it is. */
static long check_pcap(const char *path, uint32_t buf_max)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	long n = 0;
	int rc;
	pcap_t *p = open_pcap(path);

	if (!p)
		return -1;
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		n++;
		if (h->caplen != h->len || h->len == 0 || h->len > buf_max) {
			fprintf(stderr, "snicctl: tx: frame %ld of %s: %u of %u bytes captured, "
				"the ring takes complete frames of 1..%u bytes\n",
				n, path, h->caplen, h->len, buf_max);
			pcap_close(p);
			return -1;
		}
	}
	if (rc != PCAP_ERROR_BREAK) {
		fprintf(stderr, "snicctl: tx: %s: %s\n", path, pcap_geterr(p));
		n = -1;
	}
	pcap_close(p);
	return n;
}

int cmd_tx(struct ctl *c, int argc, char **argv)
{
	const char *file = NULL;
	unsigned long vnic = SNIC_VNIC_NONE;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--vnic")) {
			if (ctl_uint("--vnic", ctl_optval(argc, argv, &i), 0, 0xfffe, &vnic))
				return EXIT_USAGE;
		} else if (!strcmp(argv[i], "--pcap")) {
			if (!(file = ctl_optval(argc, argv, &i)))
				return ctl_usage("tx: --pcap needs a file");
		} else {
			return ctl_usage("tx: unknown option '%s'", argv[i]);
		}
	}
	if (!file || vnic == SNIC_VNIC_NONE)
		return ctl_usage("tx needs --vnic ID and --pcap FILE");

	struct snic_dev *d = ctl_dev(c);
	struct snic_vnic_info info;
	if (snic_vnic_query(d, (uint16_t)vnic, &info))
		return ctl_fail(c, "tx");
	unsigned ring = info.tx_ring;
	if (snic_tx_start(d, ring))
		return ctl_fail(c, "tx");

	static struct snic_stats before, after;
	snic_stats_read(d, &before);
	const struct snic_caps *k = snic_caps(d);
	uint32_t buf_max = k && ring < k->n_tx ? k->tx[ring].buf_max : 0;
	long frames = check_pcap(file, buf_max);
	if (frames < 0)
		return EXIT_USAGE;

	pcap_t *p = open_pcap(file);
	struct pcap_pkthdr *h;
	const u_char *data;
	long sent = 0;
	if (!p)
		return EXIT_USAGE;
	while (pcap_next_ex(p, &h, &data) == 1) {
		if (snic_tx_send(d, ring, data, h->len)) {
			pcap_close(p);
			fprintf(stderr, "snicctl: tx: after %ld of %ld frames: %s\n", sent, frames,
				snic_errmsg(d));
			return EXIT_DEVICE;
		}
		sent++;
	}
	pcap_close(p);
	if (snic_tx_flush(d, ring))
		return ctl_fail(c, "tx");
	snic_stats_read(d, &after);
	uint64_t spoof = after.tx[ring].drop_a - before.tx[ring].drop_a;
	uint64_t bad = after.tx[ring].drop_b - before.tx[ring].drop_b;
	if (c->json) {
		json_obj_begin(&c->j, NULL);
		json_uint(&c->j, "vnic", vnic);
		json_uint(&c->j, "tx_ring", ring);
		json_uint(&c->j, "sent", (uint64_t)sent);
		json_uint(&c->j, "drop_spoof", spoof);
		json_uint(&c->j, "drop_bad", bad);
		json_obj_end(&c->j);
		json_done(&c->j);
	} else {
		printf("vnic %lu: %ld frames queued on TX ring %u, taken by the device", vnic,
		       sent, ring);
		if (spoof || bad)
			printf("; device dropped %llu spoofed, %llu invalid",
			       (unsigned long long)spoof, (unsigned long long)bad);
		printf("\n");
	}
	return 0;
}
