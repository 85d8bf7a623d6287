/* SPDX-License-Identifier: MIT */
/*
 * A learning Ethernet switch on the simulator's virtual clock.
 *
 * Ports 0..n_uplinks-1 are cabled to the NIC's uplinks; the following
 * ports each lead to one external host (exthost.h). Every cable has a
 * speed and a propagation delay in both directions; the switch forwards
 * store-and-forward after a fixed latency. The MAC table learns
 * (VLAN, source MAC) -> port, ages entries out, and is flushed for a port
 * whose link goes down (as real switches do). Unknown unicast, broadcast
 * and multicast are flooded to every port but the ingress one.
 *
 * Everything is driven by sw_run(now): events are processed in time
 * order, ties in the order they were created, so a run is deterministic.
 * The link state of the uplink cables (carrier, blackholes) lives in the
 * NIC's struct nic_uplink, which fault.c changes; frames that die on a
 * cable are counted there or in the switch port counters.
 */
#ifndef SNIC_SIM_SWITCH_H
#define SNIC_SIM_SWITCH_H

#include <stdint.h>

#define SW_MAX_PORTS   16
#define SW_MAC_ENTRIES 4096
#define SW_MAX_FRAME   16384

struct nic;
struct exthost;

struct sw_config {
	uint64_t fwd_latency_ns;  /* ingress complete -> egress start; default 500 */
	uint64_t aging_ns;        /* MAC entry lifetime; default 300 s */
	uint64_t uplink_prop_ns;  /* cable delay NIC <-> switch; default 100 */
	uint64_t host_prop_ns;    /* cable delay host <-> switch; default 100 */
	uint32_t host_speed_mbps; /* default 100000 */
	int      flush_on_down;   /* flush a port's MAC entries on link down; default 1 */
};

struct sw_port_stats {
	uint64_t rx_frames;     /* frames that reached the switch from the cable */
	uint64_t tx_frames;     /* frames delivered to the far end */
	uint64_t flooded;       /* copies sent out by flooding */
	uint64_t filtered;      /* known destination behind the ingress port */
	uint64_t lost_down;     /* egress to a link that was down */
	uint64_t lost_wire;     /* towards the far end: on the cable when the link went down */
	uint64_t lost_wire_in;  /* from the far end: on the cable when the link went down */
	uint64_t lost_blackhole;/* vanished in a silent blackhole */
};

struct sw_mac_entry {
	uint8_t  mac[6];
	uint16_t vlan;          /* 0 untagged */
	uint8_t  port;
	uint8_t  used;
	uint64_t seen_ns;       /* last time the MAC was the source of a frame */
};

struct sw_event;

struct sw {
	struct sw_config     cfg;
	struct nic          *nic;       /* uplink ports 0..n_uplinks-1 */
	unsigned             n_uplinks;
	unsigned             n_ports;
	struct exthost      *host[SW_MAX_PORTS]; /* by port; NULL for uplinks */
	uint64_t             in_free_ns[SW_MAX_PORTS];  /* far end -> switch cable */
	uint64_t             out_free_ns[SW_MAX_PORTS]; /* switch -> far end cable */
	struct sw_port_stats port[SW_MAX_PORTS];
	struct sw_mac_entry  mac[SW_MAC_ENTRIES];
	uint64_t             learn_full;   /* sources not learned: table full */
	uint64_t             moves;        /* a known MAC seen on another port */

	struct sw_event     *heap;         /* pending events, min-heap by (at, seq) */
	uint32_t             n_ev, cap_ev;
	uint64_t             ev_seq;
};

void sw_config_default(struct sw_config *c);
/* A switch cabled to every uplink of `nic`; 0, or -1 (out of memory). */
int  sw_init(struct sw *s, const struct sw_config *c, struct nic *nic, unsigned n_uplinks);
void sw_fini(struct sw *s);
/* Cable a host to the next free port; returns the port or -1 if full. */
int  sw_attach_host(struct sw *s, struct exthost *h);

/*
 * The far end of `port` starts sending a frame at `now`: it is serialized
 * behind earlier frames at the cable's speed and reaches the switch after
 * the propagation delay. `epoch` is the cable's link epoch at sending: if
 * the link goes down (epoch changes) before arrival the frame is lost.
 */
void sw_send(struct sw *s, unsigned port, const uint8_t *data, uint32_t len,
	     uint64_t now, uint32_t epoch);
/* Process every event due at or before `now`. */
void sw_run(struct sw *s, uint64_t now);
/* Time of the next event (frames or host timers), UINT64_MAX if none. */
uint64_t sw_next_ns(const struct sw *s);
/* The link of uplink port `port` went down: flush its MAC entries. */
void sw_link_down(struct sw *s, unsigned port);
/* Port a (VLAN, MAC) is learned on at `now`, -1 if unknown or aged. */
int  sw_lookup(const struct sw *s, const uint8_t mac[6], uint16_t vlan, uint64_t now);
/* Bytes waiting in the NIC -> switch serializer of uplink `port`. */
uint64_t sw_in_backlog_ns(const struct sw *s, unsigned port, uint64_t now);

#endif
