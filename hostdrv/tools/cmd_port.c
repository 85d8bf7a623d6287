/* SPDX-License-Identifier: MIT */
/* snicctl port up|down N, snicctl reset */
#include <string.h>
#include "snicctl.h"

int cmd_port(struct ctl *c, int argc, char **argv)
{
	unsigned long port;
	char msg[64];

	if (argc != 3 || (strcmp(argv[1], "up") && strcmp(argv[1], "down")))
		return ctl_usage("usage: port up|down N");
	if (ctl_uint("port", argv[2], 0, 255, &port))
		return EXIT_USAGE;
	int up = !strcmp(argv[1], "up");
	if (snic_port_set(ctl_dev(c), (uint8_t)port, up))
		return ctl_fail(c, up ? "port up" : "port down");
	snprintf(msg, sizeof(msg), "port %lu %s", port, up ? "up" : "down");
	ctl_done(c, msg, msg);
	return 0;
}

int cmd_reset(struct ctl *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return ctl_usage("reset takes no arguments");
	if (snic_reset(ctl_dev(c)))
		return ctl_fail(c, "reset");
	ctl_done(c, "reset", "device reset: all VNICs and rules removed");
	return 0;
}
