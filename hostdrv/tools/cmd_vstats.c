/* SPDX-License-Identifier: MIT */
/*
 * snicctl stats --vnic [ID]: what the device did with each VNIC's frames
 * (block SNIC_BLK_VSTATS, include/snic/l2.h), and the group delivery
 * totals. Without an id: every VNIC the device has.
 */
#include <string.h>
#include "snicctl.h"

#define U(x) ((unsigned long long)(x))

static const char *const names[] = {
	"rx_packets", "rx_bytes", "rx_broadcast", "rx_multicast", "rx_drop_ring",
	"rx_drop_meter", "rx_drop_too_long", "tx_packets", "tx_bytes", "tx_drop_spoof",
	"tx_drop_bad", "tx_drop_down",
};

/* The counters in struct order (names[] follows it). */
static void values(const struct snic_vnic_stats *s, uint64_t v[12])
{
	const uint64_t in[12] = {
		s->rx_packets, s->rx_bytes, s->rx_broadcast, s->rx_multicast, s->rx_drop_ring,
		s->rx_drop_meter, s->rx_drop_too_long, s->tx_packets, s->tx_bytes,
		s->tx_drop_spoof, s->tx_drop_bad, s->tx_drop_down,
	};
	memcpy(v, in, sizeof(in));
}

static void print_vnic(struct ctl *c, uint16_t id, const struct snic_vnic_stats *s)
{
	uint64_t v[12];

	values(s, v);
	if (c->json) {
		json_obj_begin(&c->j, NULL);
		json_uint(&c->j, "vnic", id);
		for (unsigned i = 0; i < 12; i++)
			json_uint(&c->j, names[i], v[i]);
		json_obj_end(&c->j);
		return;
	}
	printf("vnic %u:\n", id);
	for (unsigned i = 0; i < 12; i++)
		printf("  %-17s %llu\n", names[i], U(v[i]));
}

static void print_group(struct ctl *c, const struct snic_group_stats *g)
{
	if (c->json) {
		json_obj_begin(&c->j, "group");
		json_uint(&c->j, "frames", g->frames);
		json_uint(&c->j, "copies", g->copies);
		json_uint(&c->j, "unwanted", g->unwanted);
		json_obj_end(&c->j);
		return;
	}
	printf("group delivery: %llu frames, %llu copies, %llu wanted by nobody\n",
	       U(g->frames), U(g->copies), U(g->unwanted));
}

/* One VNIC, or (all) each id the device answers a query for. */
static int print_vnics(struct ctl *c, long only, uint32_t count)
{
	struct snic_dev *d = c->d;
	struct snic_vnic_stats s;

	for (uint32_t v = 0; v < count; v++) {
		struct snic_vnic_info info;
		if (only >= 0 && v != (uint32_t)only)
			continue;
		int rc = snic_vnic_query(d, (uint16_t)v, &info);
		if (rc == SNIC_E_NOENT && only < 0)
			continue;
		if (rc || snic_vnic_stats_read(d, (uint16_t)v, &s))
			return ctl_fail(c, "stats --vnic");
		print_vnic(c, (uint16_t)v, &s);
	}
	return 0;
}

int cmd_stats_vnic(struct ctl *c, int argc, char **argv)
{
	unsigned long id = 0;
	long only = -1;
	struct snic_group_stats g;

	if (argc > 3)
		return ctl_usage("stats --vnic takes at most one VNIC id");
	if (argc == 3) {
		if (ctl_uint("vnic id", argv[2], 0, 0xfffe, &id))
			return EXIT_USAGE;
		only = (long)id;
	}
	struct snic_dev *d = ctl_dev(c);
	if (snic_group_stats(d, &g))
		return ctl_fail(c, "stats --vnic");
	if (only >= (long)g.count) {
		fprintf(stderr, "snicctl: stats --vnic: vnic %ld: the device counts VNICs 0..%u\n",
			only, g.count ? g.count - 1 : 0);
		return EXIT_USAGE;
	}
	if (c->json) {
		json_obj_begin(&c->j, NULL);
		print_group(c, &g);
		json_arr_begin(&c->j, "vnics");
	} else {
		print_group(c, &g);
	}
	int rc = print_vnics(c, only, g.count);
	if (c->json && !rc) {
		json_arr_end(&c->j);
		json_obj_end(&c->j);
		json_done(&c->j);
	}
	return rc;
}
