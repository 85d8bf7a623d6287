/* SPDX-License-Identifier: MIT */
/* snicctl stats: device time, drop reasons by name, per uplink, per ring
 * (per VNIC: cmd_vstats.c). */
#include <string.h>
#include "snicctl.h"

static const char *ring_state(uint32_t s)
{
	switch (s) {
	case SNIC_RING_UNBOUND: return "unbound";
	case SNIC_RING_BOUND:   return "bound";
	case SNIC_RING_SHARED:  return "shared";
	}
	return "?";
}

/* Named reasons always; unnamed slots only when the device counted there. */
static int show_reason(const struct snic_stats *s, unsigned i)
{
	return strcmp(snic_drop_name(i), "unknown") != 0 || s->drops[i] != 0;
}

static void reason_name(char *buf, size_t n, unsigned i)
{
	const char *name = snic_drop_name(i);

	if (strcmp(name, "unknown"))
		snprintf(buf, n, "%s", name);
	else
		snprintf(buf, n, "reason_%u", i);
}

/* Opens a ring's JSON object with the fields RX and TX rings share. */
static void json_ring_head(struct json *j, unsigned r, const struct snic_ring_stats *q)
{
	json_obj_begin(j, NULL);
	json_uint(j, "ring", r);
	json_str(j, "state", ring_state(q->state));
	if (q->vnic == SNIC_VNIC_NONE)
		json_null(j, "vnic");
	else
		json_uint(j, "vnic", q->vnic);
}

static void print_json(struct ctl *c, const struct snic_stats *s, unsigned n_up,
		       uint64_t now_ns)
{
	struct json *j = &c->j;
	char name[32];

	json_obj_begin(j, NULL);
	json_uint(j, "device_time_ns", now_ns);
	json_obj_begin(j, "drops");
	for (unsigned i = 0; i < SNIC_DROP_REASONS; i++) {
		if (!show_reason(s, i))
			continue;
		reason_name(name, sizeof(name), i);
		json_uint(j, name, s->drops[i]);
	}
	json_obj_end(j);
	json_obj_begin(j, "classifier");
	json_uint(j, "lookups", s->cls_lookups);
	json_uint(j, "hits", s->cls_hits);
	json_obj_end(j);
	json_obj_begin(j, "admin");
	json_uint(j, "commands", s->admin_cmds);
	json_uint(j, "errors", s->admin_errors);
	json_obj_end(j);
	json_arr_begin(j, "ports");
	for (unsigned p = 0; p < n_up; p++) {
		json_obj_begin(j, NULL);
		json_uint(j, "port", p);
		json_uint(j, "rx_packets", s->port[p].rx_packets);
		json_uint(j, "rx_bytes", s->port[p].rx_bytes);
		json_uint(j, "tx_packets", s->port[p].tx_packets);
		json_uint(j, "tx_bytes", s->port[p].tx_bytes);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_arr_begin(j, "rx_rings");
	for (unsigned r = 0; r < s->n_rx; r++) {
		const struct snic_ring_stats *q = &s->rx[r];
		json_ring_head(j, r, q);
		json_str(j, "mode", q->mode == SNIC_MODE_POLL ? "poll" : "intr");
		json_bool(j, "intr_enable", q->intr_enable != 0);
		json_uint(j, "irq_count", q->irq_count);
		json_uint(j, "packets", q->packets);
		json_uint(j, "bytes", q->bytes);
		json_uint(j, "drop_full", q->drop_a);
		json_uint(j, "drop_badbuf", q->drop_b);
		json_uint(j, "pending", q->cpl_prod - q->cpl_cons);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_arr_begin(j, "tx_rings");
	for (unsigned r = 0; r < s->n_tx; r++) {
		const struct snic_ring_stats *q = &s->tx[r];
		json_ring_head(j, r, q);
		json_uint(j, "packets", q->packets);
		json_uint(j, "bytes", q->bytes);
		json_uint(j, "drop_spoof", q->drop_a);
		json_uint(j, "drop_bad", q->drop_b);
		json_uint(j, "queued", q->desc_prod - q->desc_cons);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
	json_done(j);
}

static void print_human(const struct snic_stats *s, unsigned n_up, uint64_t now_ns)
{
	char name[32];
	uint64_t total = 0;

	printf("device time: %llu.%09llu s\n", (unsigned long long)(now_ns / 1000000000u),
	       (unsigned long long)(now_ns % 1000000000u));
	for (unsigned i = 0; i < SNIC_DROP_REASONS; i++)
		total += s->drops[i];
	printf("drops: %llu\n", (unsigned long long)total);
	for (unsigned i = 0; i < SNIC_DROP_REASONS; i++) {
		if (!show_reason(s, i))
			continue;
		reason_name(name, sizeof(name), i);
		printf("  %-12s %llu\n", name, (unsigned long long)s->drops[i]);
	}
	printf("classifier: %llu lookups, %llu hits; admin: %llu commands, %llu errors\n",
	       (unsigned long long)s->cls_lookups, (unsigned long long)s->cls_hits,
	       (unsigned long long)s->admin_cmds, (unsigned long long)s->admin_errors);
	printf("ports:\n  %4s %12s %14s %12s %14s\n", "port", "rx_packets", "rx_bytes",
	       "tx_packets", "tx_bytes");
	for (unsigned p = 0; p < n_up; p++)
		printf("  %4u %12llu %14llu %12llu %14llu\n", p,
		       (unsigned long long)s->port[p].rx_packets,
		       (unsigned long long)s->port[p].rx_bytes,
		       (unsigned long long)s->port[p].tx_packets,
		       (unsigned long long)s->port[p].tx_bytes);
	printf("rx rings:\n  %4s %-8s %5s %4s %8s %12s %14s %10s %8s\n", "ring", "state", "vnic",
	       "mode", "irqs", "packets", "bytes", "drop_full", "badbuf");
	for (unsigned r = 0; r < s->n_rx; r++) {
		const struct snic_ring_stats *q = &s->rx[r];
		char vnic[8] = "-";
		if (q->vnic != SNIC_VNIC_NONE)
			snprintf(vnic, sizeof(vnic), "%u", q->vnic);
		printf("  %4u %-8s %5s %4s %8u %12llu %14llu %10llu %8llu\n", r,
		       ring_state(q->state), vnic, q->mode == SNIC_MODE_POLL ? "poll" : "intr",
		       q->irq_count, (unsigned long long)q->packets, (unsigned long long)q->bytes,
		       (unsigned long long)q->drop_a, (unsigned long long)q->drop_b);
	}
	printf("tx rings:\n  %4s %-8s %5s %12s %14s %10s %8s\n", "ring", "state", "vnic",
	       "packets", "bytes", "spoof", "bad");
	for (unsigned r = 0; r < s->n_tx; r++) {
		const struct snic_ring_stats *q = &s->tx[r];
		char vnic[8] = "-";
		if (q->vnic != SNIC_VNIC_NONE)
			snprintf(vnic, sizeof(vnic), "%u", q->vnic);
		printf("  %4u %-8s %5s %12llu %14llu %10llu %8llu\n", r, ring_state(q->state),
		       vnic, (unsigned long long)q->packets, (unsigned long long)q->bytes,
		       (unsigned long long)q->drop_a, (unsigned long long)q->drop_b);
	}
}

int cmd_stats(struct ctl *c, int argc, char **argv)
{
	static struct snic_stats s;

	if (argc >= 2 && !strcmp(argv[1], "--vnic"))
		return cmd_stats_vnic(c, argc, argv);
	if (argc != 1)
		return ctl_usage("stats takes no arguments but --vnic [ID]");
	struct snic_dev *d = ctl_dev(c);
	if (snic_stats_read(d, &s))
		return ctl_fail(c, "stats");
	const struct snic_caps *k = snic_caps(d);
	unsigned n_up = k ? k->n_uplinks : SNIC_MAX_UPLINKS;
	/* The device clock (virtual time in the simulator) says when these held. */
	struct snic_devinfo di;
	uint64_t now_ns = snic_devinfo(d, &di) == 0 ? di.dev_time_ns : 0;
	if (c->json)
		print_json(c, &s, n_up, now_ns);
	else
		print_human(&s, n_up, now_ns);
	return 0;
}
