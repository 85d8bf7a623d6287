/* SPDX-License-Identifier: MIT */
/* snicctl ring mode R poll|intr, snicctl ring show: per-HRR mode control. */
#include <string.h>
#include "snicctl.h"

static int ring_show(struct ctl *c)
{
	struct snic_dev *d = ctl_dev(c);
	unsigned n = snic_rx_count(d);

	if (c->json)
		json_arr_begin(&c->j, NULL);
	else
		printf("%4s %-5s %10s\n", "ring", "mode", "irq_count");
	for (unsigned r = 0; r < n; r++) {
		int mode = snic_ring_mode(d, r);
		if (mode < 0)
			return ctl_fail(c, "ring show");
		const char *name = mode == SNIC_MODE_INTR ? "intr" : "poll";
		if (c->json) {
			json_obj_begin(&c->j, NULL);
			json_uint(&c->j, "ring", r);
			json_str(&c->j, "mode", name);
			json_uint(&c->j, "irq_count", snic_ring_irq_count(d, r));
			json_obj_end(&c->j);
		} else {
			printf("%4u %-5s %10u\n", r, name, snic_ring_irq_count(d, r));
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
