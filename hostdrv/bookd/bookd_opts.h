/* SPDX-License-Identifier: MIT */
/* snic-bookd's command line, and opening the store and NIC it names
 * (shared with `snicctl booking`, so both find the same store). */
#ifndef SNIC_BOOKD_OPTS_H
#define SNIC_BOOKD_OPTS_H

#include "agent.h"
#include "pipe_agent.h"

#define BOOKD_DIR_DEFAULT "/var/lib/snic/bookings"
#define BOOKD_PATH_MAX 4096

struct bookd_opts {
	struct agent_opts agent;
	struct store_etcd_opts etcd;
	struct pipe_agent_opts pipe_opts;
	const char *store_dir;
	const char *nic;          /* snic:WINDOW, vfrate:IF, devlink:BUS/DEV|IF, model:SPEC */
	const char *pipe;
	int once, help;
	char node_buf[AGENT_NAME_MAX];
	char password[256];
	char state_buf[BOOKD_PATH_MAX], journal_buf[BOOKD_PATH_MAX], nic_buf[BOOKD_PATH_MAX];
};

/* 0, or -1 with the reason in err (o->help set for --help). */
int bookd_opts_parse(struct bookd_opts *o, int argc, char **argv, char *err, size_t errlen);
struct store *bookd_open_store(const struct bookd_opts *o, char *err, size_t errlen);
struct nic *bookd_open_nic(const struct bookd_opts *o, char *err, size_t errlen);
/* The embedded store's directory: --store-dir, $SNIC_BOOKD_DIR, the default. */
const char *bookd_store_dir(const char *opt);

#endif
