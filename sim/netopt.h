/* SPDX-License-Identifier: MIT */
/*
 * snic-sim command-line pieces for the simulated network: the switch,
 * external hosts and the fault plan.
 *
 *   --switch                 cable every uplink to a learning switch
 *   --host MAC,IP[,to=MAC@IP,every=TIME,len=N][,echo]
 *                            an external host on the switch (implies
 *                            --switch); with `to` it sends a UDP test flow
 *                            every TIME; with `echo` it answers UDP port 7
 *   --mac-aging TIME         switch MAC table aging (default 300s)
 *   --faults FILE            fault script (see sim/fault.h)
 *   --fault "TIME UPLINK ACTION [ARGS]"   one fault event (repeatable)
 */
#ifndef SNIC_SIM_NETOPT_H
#define SNIC_SIM_NETOPT_H

#include <stdio.h>
#include "exthost.h"
#include "fault.h"
#include "switch.h"

#define NETOPT_MAX_HOSTS 8

struct netopt {
	int              want_switch;
	struct sw_config cfg;
	struct sw        sw;
	int              sw_up;
	struct exthost   host[NETOPT_MAX_HOSTS];
	unsigned         n_hosts;
	const char      *faults_path;
	const char      *fault_spec[64];
	unsigned         n_fault_specs;
	struct fault_plan plan;
};

void netopt_init(struct netopt *o);
/* Parse --host; 0 or -1 with a message on stderr. */
int  netopt_host(struct netopt *o, const char *spec);
int  netopt_aging(struct netopt *o, const char *arg);
int  netopt_fault(struct netopt *o, const char *spec);
/* After nic_init: build the switch, attach hosts, load faults. */
int  netopt_setup(struct netopt *o, struct nic *n);
void netopt_summary(const struct netopt *o, const struct nic *n, FILE *f);
void netopt_fini(struct netopt *o, struct nic *n);

#endif
