/* SPDX-License-Identifier: MIT */
/*
 * The main job (make run, docs/main-job.md): the simulated NIC with VMs
 * behind it, a two-uplink bond to the switch with external hosts, traffic
 * both ways, and a timeline of operator events (a booking change, an
 * n-tuple rule added and removed, an uplink failed and restored, a flood
 * from one VM). Everything runs on the virtual clock in this process; the
 * window file stays on disk so the real tools (snic-bookd, snicctl) attach
 * to the running device. While a tool acts, the clock is frozen and only
 * the firmware's admin path runs, so an operator's change lands at the
 * same virtual instant however long the tool takes on the wall clock:
 * every figure is measured in virtual time and a run is reproducible.
 */
#ifndef SNIC_SIM_SCENARIO_H
#define SNIC_SIM_SCENARIO_H

#include <stdint.h>
#include <stdio.h>
#include <snic/abi.h>
#include "exthost.h"
#include "hostsim.h"
#include "nic.h"
#include "switch.h"
#include "tap.h"

#define SC_MAX_VMS     4
#define SC_MAX_EVENTS  16
#define SC_MAX_PHASES  16
#define SC_BINS        512
#define SC_BACKLOG     UINT64_MAX  /* offer: the TX ring is always full */
#define SC_FLOWS       8           /* TCP-like flows per VM (source ports) */
#define SC_RX_DROP_PORT 9999       /* host B's small-packet flood to VM 2 */

enum sc_ev_kind {
	SC_EV_BOOK = 1,   /* the VM's booking changes to `value` bit/s (hook) */
	SC_EV_RULE_ADD,   /* n-tuple rule: drop UDP to SC_RX_DROP_PORT (hook) */
	SC_EV_RULE_DEL,   /* the rule goes (hook) */
	SC_EV_LINK_DOWN,  /* the cable of uplink `vm` is pulled */
	SC_EV_LINK_UP,    /* and put back */
	SC_EV_FLOOD,      /* the VM starts a small-packet flood */
	SC_EV_END,
};

struct sc_event {
	uint64_t at_ns;
	uint8_t  kind;     /* enum sc_ev_kind */
	uint8_t  arg;      /* VM index, or uplink */
	uint64_t value;
	char     label[48];
	double   hook_wall_s; /* wall time the tool took (frozen clock) */
	int      hook_rc;     /* 0 done, > 0 the tool failed, -1 not run */
	char     why[112];    /* the tool's last word when it failed */
};

struct sc_vm {
	char     name[8];
	uint16_t vnic, tx_ring, rx_ring;
	int      shared_rx;            /* on the software ring (ring 0) */
	uint8_t  mac[6], ip[4];
	uint64_t booked, offer;        /* bit/s; offer SC_BACKLOG (bulk) or 0 */
	uint64_t booked0;              /* its booking at the start */
	uint32_t len;                  /* frame length now (1500 TCP-like, 64 flood) */
	uint8_t  frame[SC_FLOWS][1536];
	unsigned flow;                 /* next flow (round robin) */
	/* counters (all virtual time) */
	uint64_t tx_frames, tx_bytes, tx_wire_bytes, tx_lost_wire, stalls;
	uint64_t rx_frames, rx_bytes, rx_wrong, rx_rule_drops;
	uint64_t bin[SC_BINS];         /* wire bytes sent per bin */
	uint64_t mark_bytes;           /* wire bytes since the phase mark */
	/* failover of the uplink pulled: the last frame the VM put on the dead
	 * cable after the pull, and the longest gap in what it received */
	uint64_t fo_first_alive_ns;
	uint64_t rx_last_ns, rx_gap_max;
	uint64_t flow_last_ns[SC_FLOWS], fo_gap_max; /* at host A */
	uint64_t host_rx;              /* frames host A received from it */
	struct sim_tap tap;            /* --tap: its stack, in a namespace */
};

struct sc_phase {
	char     name[40];
	uint64_t t0, t1;               /* measured window */
	uint64_t rate[SC_MAX_VMS], booked[SC_MAX_VMS], offer[SC_MAX_VMS];
};

struct sc_config {
	const char *profile;
	const char *window;
	const char *hook;      /* shell command run at operator events, or NULL */
	const char *outdir;
	uint64_t    step_ns;   /* timeline unit (the phases are 2 steps) */
	int         json, live;/* live: 1 terminal, 0 plain lines */
	int         tap;       /* VMs and uplink 0 on TAPs (scenario_tap.c) */
};

struct sc {
	struct sc_config cfg;
	struct nic      nic;
	struct sw       sw;
	struct exthost  host[2];
	struct hostsim  hs;
	int             nic_up, sw_up, win_fd;
	struct sim_taps taps;          /* --tap: uplink 0 */
	uint64_t        link_bps;      /* one uplink */
	unsigned        n_vms;
	struct sc_vm    vm[SC_MAX_VMS];
	struct sc_event ev[SC_MAX_EVENTS];
	struct sc_event start;         /* the bookings put in force */
	unsigned        n_ev, next_ev;
	struct sc_phase ph[SC_MAX_PHASES];
	unsigned        n_ph;
	uint64_t        bin_ns, end_ns;
	uint64_t        fault_ns;      /* uplink pulled at; 0: not yet */
	uint8_t         fault_up;
	uint64_t        healed_ns;     /* uplink back at; 0: not yet */
	uint64_t        drops0[SNIC_DROP_REASONS]; /* device drops at start */
	uint64_t        other_rx;      /* unicast in a VM ring for nobody */
	uint64_t        group_rx;      /* broadcast/multicast copies received */
	double          wall0;
	int             draining;      /* after the end: no live view */
	FILE           *log;           /* the event log (also the hooks' output) */
};

int  sc_start(struct sc *s, const struct sc_config *c, char *err, size_t errlen);
void sc_stop(struct sc *s);
void sc_add_event(struct sc *s, uint64_t at, uint8_t kind, uint8_t arg, uint64_t value,
		  const char *label);
/* Run the timeline to its end, with the live view. */
void sc_run(struct sc *s);
uint64_t sc_now(const struct sc *s);
double sc_wall(void); /* seconds, monotonic: only for what the user waits */

/* Bookings in force before any traffic (through the hook); the host
 * driver's receive rings served. */
void sc_bookings_start(struct sc *s);
void sc_rx_poll(struct sc *s);
/* One admin command from the in-process host driver: -1 with a message. */
int  sc_admin(struct sc *s, uint16_t op, const void *in, uint32_t len, void *out,
	      uint32_t cap, const char *what, char *err, size_t errlen);
/* The VM's frames from now on: `len` bytes, TCP segments or UDP. */
void sc_vm_frames(struct sc_vm *v, uint32_t len, int tcp);
/* scenario_ev.c: apply one event of the timeline. */
void sc_fire(struct sc *s, struct sc_event *e);

/* scenario_tap.c: real stacks on TAPs instead of the generated traffic. */
int  sc_tap_attach(struct sc *s, char *err, size_t errlen);
void sc_tap_detach(struct sc *s);
void sc_tap_deliver(struct sc *s, struct sc_vm *v, const uint8_t *f, uint32_t len);
/* Serve until SIGTERM; `ready` is created once the bookings are in force. */
void sc_run_tap(struct sc *s, const char *ready);

/* scenario_out.c: live view, report (text, JSON), plot. */
void sc_live(struct sc *s, int final);
void sc_note(struct sc *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int  sc_report(struct sc *s, FILE *f, int json);
int  sc_plot(struct sc *s, char *png, char *svg, size_t len);
/* Per-VM device counters (block SNIC_BLK_VSTATS); NULL if absent. */
const struct snic_vnic_stats *sc_vstats(const struct sc *s, uint16_t vnic);

#endif
