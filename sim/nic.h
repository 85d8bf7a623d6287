/* SPDX-License-Identifier: MIT */
/*
 * The simulated NIC: uplinks fed from pcap files, the Verilated match
 * engine, the firmware (through hal_sim.c) and the device window, all on
 * one virtual clock. Deterministic: the same inputs and host actions give
 * the same device behaviour whatever the wall-clock speed.
 */
#ifndef SNIC_SIM_NIC_H
#define SNIC_SIM_NIC_H

#include <stdint.h>
#include "engine.h"
#include "pcap_io.h"
#include "profile.h"
#include "window.h"

#define NIC_CLOCK_PS      4000u  /* engine clock period: 250 MHz */
#define NIC_POOL_SLOTS    1024u  /* frames held between wire and firmware */
#define NIC_MAX_FRAME     16384u /* largest frame the uplink MAC accepts */
#define NIC_WRITE_FIFO    4096u  /* pending classifier table writes */

struct nic_uplink {
	struct sim_trace     in;          /* frames the link partner sends */
	uint32_t             next;        /* next frame of `in` to arrive */
	uint64_t             next_at_ns;  /* arrival time of `next` */
	uint64_t             wire_free_ns;/* when the wire is free again */
	int                  enabled;     /* administratively up (firmware) */
	int                  started;     /* partner has started sending */
	uint64_t             start_ns;
	struct sim_pcap_out *out;         /* frames the NIC transmits */
	uint64_t             tx_frames;
	uint64_t             oversize;    /* frames dropped at the MAC */
};

struct nic_slot {
	uint8_t          *data;
	uint32_t          len;
	uint8_t           port;
	uint64_t          time_ns;
	struct snic_match match;
	uint32_t          next;  /* classified queue link */
};

struct nic_write {
	uint32_t         idx;
	int              clear;
	struct snic_rule rule;
};

struct nic {
	struct sim_profile   prof;
	struct sim_window    win;
	struct engine       *eng;
	uint64_t             now_ps;      /* virtual time */
	struct nic_uplink    up[SNIC_MAX_UPLINKS];

	struct nic_slot      slot[NIC_POOL_SLOTS];
	uint32_t             free_list[NIC_POOL_SLOTS];
	uint32_t             n_free;
	uint32_t             in_engine;   /* frames inside the engine pipeline */
	uint32_t             cq_head, cq_tail, cq_len; /* classified, for firmware */

	struct nic_write     wq[NIC_WRITE_FIFO];
	uint32_t             wq_head, wq_len;

	struct sim_pcap_out *drops_out;
	uint64_t             drops[SNIC_DROP_REASONS];
	uint64_t             delivered;
	uint64_t             irqs;
};

int  nic_init(struct nic *n, const char *profile, const char *window_path);
void nic_fini(struct nic *n);
/* One engine clock: wire arrivals, table write, engine edge, firmware poll.
 * Returns non-zero while anything is in flight or waiting to arrive. */
int  nic_step(struct nic *n);
/* One engine clock edge without a firmware poll; results are queued. */
void nic_edge(struct nic *n);
/* 1 when every enabled-or-not input has been fully consumed and nothing is
 * in flight inside the device. */
int  nic_inputs_done(const struct nic *n);
uint64_t nic_now_ns(const struct nic *n);
/* Administrative link state from the firmware: the partner sends while up. */
void nic_port_enable(struct nic *n, uint8_t port, int up);
/* Nothing in flight: skip virtual time to the next arrival if it is due
 * within max_ns (returns 1), else advance by max_ns (returns 0). */
int  nic_idle_advance(struct nic *n, uint64_t max_ns);

/* The one NIC the HAL talks to. */
extern struct nic *sim_nic;

#endif
