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
#define NIC_SETTLE_CLOCKS 4u     /* empty-engine clocks before they are skipped */

/* Silent blackholes on an uplink cable (fault injection). */
#define NIC_BH_TX 0x1 /* frames the NIC sends vanish */
#define NIC_BH_RX 0x2 /* frames towards the NIC vanish */

/* Longest the NIC -> switch serializer may be booked ahead: beyond it the
 * uplink's TX FIFO is full and hal_tx answers "no room". */
#define NIC_TX_FIFO_NS    10000u

/* A frame from the switch, on its way into an uplink. */
struct nic_wire {
	struct nic_wire *next;
	uint64_t         at_ns;  /* fully received by the NIC's port */
	uint32_t         len;
	uint8_t         *data;   /* malloc'd; the slot frees it after the firmware */
};

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
	uint64_t             oversize;    /* longer than the MAC takes (the device
					    * counts them: SNIC_DROP_OVERSIZE) */
	/* The cable (sim/fault.c changes it; sim/switch.c is the far end). */
	int                  carrier;     /* physical link: 1 up, 0 down */
	uint8_t              blackhole;   /* NIC_BH_* */
	int                  tx_refuse;   /* TX resources exhausted */
	uint32_t             epoch;       /* +1 at every link down */
	struct nic_wire     *wire_head, *wire_tail; /* frames from the switch */
	uint32_t             wire_len;
	uint64_t             tx_refused;  /* hal_tx refused: resources or FIFO */
	uint64_t             tx_lost_down;      /* sent while the carrier was down */
	uint64_t             tx_lost_blackhole; /* sent into a TX blackhole */
	uint64_t             rx_lost_wire;      /* arrived but the link died first */
	uint64_t             rx_lost_blackhole; /* partner frames into an RX blackhole */
	uint64_t             link_changes;
	struct sim_tap      *tap;         /* cabled to a TAP, not the switch (tap.h) */
};

struct sw;
struct fault_plan;
struct sim_tap;

/* Called for every frame the NIC puts on an uplink (measurements). */
typedef void (*nic_tx_hook)(void *ctx, uint8_t port, const uint8_t *data, uint32_t len,
			    uint64_t now_ns);
/* Called for every received frame the device drops (enum snic_drop_reason). */
typedef void (*nic_drop_hook)(void *ctx, unsigned reason, const uint8_t *data, uint32_t len);

struct nic_slot {
	uint8_t          *data;
	uint8_t          *owned; /* data to free on release (switch frames) */
	uint32_t          len;
	uint8_t           port;
	uint64_t          time_ns;
	struct snic_match match;
	uint32_t          next;  /* classified queue link */
};

struct nic_write {
	uint32_t         idx;    /* ternary index, or exact slot */
	int              clear;
	int              exact;  /* exact-table slot: xkey and rule.action */
	uint64_t         xkey;
	struct snic_rule rule;
	int              rss;    /* RSS configuration: rss_cfg (clear: off) */
	struct snic_rss_cfg rss_cfg;
};

/* The HAL context (hal/hal.h) of the simulator: the NIC its calls land on. */
struct hal {
	struct nic *nic;
};

struct nic {
	struct hal           hal;         /* hal_sim.c's context: this NIC */
	struct fw           *fw;          /* its firmware instance (fw.h) */
	struct fw_storage   *fw_mem;      /* ... in this storage */
	void                *table_mem;   /* the device's table memory (FW_TABLE_BYTES) */
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
	/* Exact slots that will be valid once the queued writes have landed
	 * (the engine starts with none): clears of empty slots are skipped. */
	uint8_t              x_valid[65536 / 8];

	struct sim_pcap_out *drops_out;
	uint64_t             drops[SNIC_DROP_REASONS];
	uint64_t             delivered;
	uint64_t             irqs;

	int                  skip_idle_engine; /* see nic_step(); off in snic-sim */
	int                  exact_deadlines;  /* see nic_step(); --lockstep */
	/* TX doorbells as --lockstep last checked them (hal_txq_doorbells):
	 * rings below doorbell_latched; NULL: the poll reads the window. */
	const uint32_t      *doorbell_latch;
	uint32_t             doorbell_latched;
	uint32_t             idle_clocks; /* clocks the engine has been empty */
	uint32_t             since_write; /* clocks since the last table write */

	struct sw           *sw;          /* optional switch on the uplinks */
	struct fault_plan   *faults;      /* optional fault plan */
	nic_tx_hook          tx_hook;
	void                *tx_hook_ctx;
	nic_drop_hook        drop_hook;   /* ctx: tx_hook_ctx */
};

int  nic_init(struct nic *n, const char *profile, const char *window_path);
/* Present one queued table write to the engine for its next edge (hal_sim.c). */
void nic_write_apply(struct nic *n, const struct nic_write *w);
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

/* Time of the next thing due outside the device: an uplink arrival, a
 * switch event, a fault, a firmware timer. UINT64_MAX if none. */
uint64_t nic_next_event_ns(const struct nic *n);
/* Nothing in flight: move virtual time forward to t (never backwards). */
void nic_advance_to(struct nic *n, uint64_t t_ns);

/* The cable of an uplink (fault injection). Link down kills the frames on
 * the cable in both directions and flushes the switch's MAC entries. */
void nic_link_set(struct nic *n, uint8_t port, int up);
void nic_blackhole_set(struct nic *n, uint8_t port, uint8_t dirs);
void nic_tx_refuse_set(struct nic *n, uint8_t port, int on);
/* The switch delivers a frame (ownership of `data` passes to the NIC). */
void nic_wire_push(struct nic *n, uint8_t port, uint8_t *data, uint32_t len, uint64_t at_ns);
/* Transmit path behind hal_tx: 0 accepted, -1 no room. */
int  nic_uplink_tx(struct nic *n, uint8_t port, const uint8_t *data, uint32_t len);
/* Release a classified frame's slot. */
void nic_slot_release(struct nic *n, uint32_t tag);

/* The one NIC the HAL talks to. */

#endif
