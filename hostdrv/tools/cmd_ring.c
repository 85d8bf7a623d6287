/* SPDX-License-Identifier: MIT */
/*
 * snicctl ring mode R poll|intr, snicctl ring show: per-HRR mode control,
 * and the polling plan (interval, budget) each ring's allocation gives.
 */
#include <string.h>
#include "snicctl.h"

static int ring_show(struct ctl *c)
{
	struct snic_dev *d = ctl_dev(c);
	unsigned n = snic_rx_count(d);

	if (c->json)
		json_arr_begin(&c->j, NULL);
	else
		printf("%4s %-5s %10s %12s %12s %7s\n", "ring", "mode", "irq_count",
		       "alloc bit/s", "poll every", "budget");
	for (unsigned r = 0; r < n; r++) {
		struct snic_poll_plan plan;
		int mode = snic_ring_mode(d, r);
		if (mode < 0 || snic_ring_poll_plan(d, r, &plan))
			return ctl_fail(c, "ring show");
		const char *name = mode == SNIC_MODE_INTR ? "intr" : "poll";
		if (c->json) {
			json_obj_begin(&c->j, NULL);
			json_uint(&c->j, "ring", r);
			json_str(&c->j, "mode", name);
			json_uint(&c->j, "irq_count", snic_ring_irq_count(d, r));
			json_uint(&c->j, "alloc_bps", plan.alloc_bps);
			json_uint(&c->j, "poll_interval_ns", plan.interval_ns);
			json_uint(&c->j, "poll_budget", plan.budget);
			json_obj_end(&c->j);
		} else {
			char rate[32], every[32];
			snic_fmt_rate(rate, sizeof(rate), plan.alloc_bps);
			snprintf(every, sizeof(every), "%.1f us", plan.interval_ns / 1000.0);
			printf("%4u %-5s %10u %12s %12s %7u\n", r, name, snic_ring_irq_count(d, r),
			       rate, every, plan.budget);
		}
	}
	if (c->json) {
		json_arr_end(&c->j);
		json_done(&c->j);
	}
	return 0;
}

int cmd_ring(struct ctl *c, int argc, char **argv)
{
	unsigned long ring;

	if (argc == 2 && !strcmp(argv[1], "show"))
		return ring_show(c);
	if (argc != 4 || strcmp(argv[1], "mode"))
		return ctl_usage("usage: ring mode R poll|intr, or ring show");
	if (ctl_uint("ring", argv[2], 0, SNIC_LIB_MAX_RINGS - 1, &ring))
		return EXIT_USAGE;
	uint32_t mode;
	if (!strcmp(argv[3], "poll"))
		mode = SNIC_MODE_POLL;
	else if (!strcmp(argv[3], "intr"))
		mode = SNIC_MODE_INTR;
	else
		return ctl_usage("ring mode: '%s' is neither poll nor intr", argv[3]);
	if (snic_ring_set_mode(ctl_dev(c), (unsigned)ring, mode))
		return ctl_fail(c, "ring mode");
	if (c->json) {
		json_obj_begin(&c->j, NULL);
		json_uint(&c->j, "ring", ring);
		json_str(&c->j, "mode", argv[3]);
		json_obj_end(&c->j);
		json_done(&c->j);
	} else {
		printf("ring %lu: %s mode\n", ring, argv[3]);
	}
	return 0;
}
