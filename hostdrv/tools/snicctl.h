/* SPDX-License-Identifier: MIT */
/* snicctl internals: one file per command group. */
#ifndef SNICCTL_H
#define SNICCTL_H

#include <stdio.h>
#include "snic.h"
#include "json.h"

/* Exit codes. */
#define EXIT_DEVICE 1   /* the device or the library refused or failed */
#define EXIT_USAGE  2   /* bad command line: nothing was sent */

struct ctl {
	const char      *path;   /* window file */
	const char      *state;  /* --state: host state file, NULL = default */
	int              json;   /* --json */
	unsigned         timeout_ms;
	struct snic_dev *d;      /* opened on demand by ctl_dev() */
	struct json      j;
};

/* Open the device (once); exits with a message on failure. */
struct snic_dev *ctl_dev(struct ctl *c);

/* Print "snicctl: WHAT: message" and return EXIT_DEVICE. */
int ctl_fail(struct ctl *c, const char *what);
/* Print a usage error and return EXIT_USAGE. */
int ctl_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Option helpers: `*i` indexes argv; each consumes the value after it. */
const char *ctl_optval(int argc, char **argv, int *i);
int ctl_uint(const char *what, const char *s, unsigned long min, unsigned long max,
	     unsigned long *out);

/* The end of a command that has nothing to show: {"done": WHAT} with
 * --json (scripts always get one JSON document), else HUMAN (NULL: silent). */
void ctl_done(struct ctl *c, const char *what, const char *human);
void ctl_fmt_mac(char buf[18], const uint8_t mac[6]);

int cmd_caps(struct ctl *c, int argc, char **argv);
int cmd_vnic(struct ctl *c, int argc, char **argv);
int cmd_rule(struct ctl *c, int argc, char **argv);
int cmd_port(struct ctl *c, int argc, char **argv);
int cmd_reset(struct ctl *c, int argc, char **argv);
int cmd_stats(struct ctl *c, int argc, char **argv);
int cmd_rx(struct ctl *c, int argc, char **argv);
int cmd_tx(struct ctl *c, int argc, char **argv);
int cmd_flash(struct ctl *c, int argc, char **argv);
int cmd_ring(struct ctl *c, int argc, char **argv);
int cmd_state(struct ctl *c, int argc, char **argv);
int cmd_restore(struct ctl *c, int argc, char **argv);
int cmd_meter(struct ctl *c, int argc, char **argv);
int cmd_team(struct ctl *c, int argc, char **argv);
int cmd_booking(struct ctl *c, int argc, char **argv);
int cmd_vnic_rate(struct ctl *c, int argc, char **argv);
int cmd_vnic_share(struct ctl *c, int argc, char **argv);
int cmd_vnic_l2(struct ctl *c, int argc, char **argv);     /* mac|vlans|rxmode|policy|l2 */
int cmd_stats_vnic(struct ctl *c, int argc, char **argv);  /* stats --vnic */

/* One meter (policer or shaper) as JSON members or as one line (cmd_meter.c). */
void ctl_json_meter(struct json *j, const struct snic_meter_set *m);
void ctl_print_meter(const struct snic_meter_set *m);

#endif
