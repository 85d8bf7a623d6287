/* SPDX-License-Identifier: MIT */
/*
 * The isolation property test's rig: a host that drives the firmware only
 * through the ABI (admin commands, ring control areas, descriptors in the
 * DMA region) and the fake engine, keeps the oracle's model of what it
 * configured, and checks every completion and every transmitted frame.
 */
#ifndef SNIC_ISOLATION_RIG_H
#define SNIC_ISOLATION_RIG_H

#include <stdint.h>
#include <snic/abi.h>
#include "isolation_gen.h"
#include "isolation_oracle.h"

#define ISO_HIST    1024 /* frames remembered by arrival time */
#define ISO_TXP     1024 /* queued TX frames remembered by sequence */
#define ISO_BUF     512  /* bytes per RX/TX buffer */
#define ISO_TX_MAGIC 0x5a000000u

/* Racing changes (isolation_race.c), SNIC_ISO_RACES: a mask of */
#define ISO_RACE_REUSE 0x1 /* destroy a VNIC (its rule first), create one under its id */
#define ISO_RACE_MAC   0x2 /* VNIC_MAC */
#define ISO_RACE_OTHER 0x4 /* demotion to the shared ring, trust taken away */
#define ISO_RACE_VLAN  0x8 /* operator port VLAN, member VLANs */
#define ISO_RACE_TX    0x10 /* REUSE with the old VNIC's frames still queued */
#define ISO_RACE_ALL   0x1f

struct iso_hist {
	uint64_t t;                  /* fake time of arrival: its key */
	uint32_t len, copies;
	uint8_t  got[ISO_VNICS / 8];  /* VNICs that received a copy */
	uint8_t  port;
	uint8_t  f[ISO_FRAME_MAX];
	struct iso_expect e;
};

struct iso_counts {
	uint64_t frames, delivered, copies, duplicates, missing[ISO_K_KINDS];
	uint64_t ring_drops;          /* RX ring drop_full + drop_badbuf */
	uint64_t by_kind[ISO_K_KINDS];/* copies by what decided them */
	uint64_t to_shared, to_rss, to_pvlan, to_bond, qinq_hits; /* coverage */
	uint64_t tx_pvlan, tx_bond;
	uint64_t tx_queued, tx_sent, tx_device;
	uint64_t races, configs, resets, boots, failovers, binds, l2_changes, vnic_changes, rule_changes;
	uint64_t drops[SNIC_DROP_REASONS];
	uint64_t rx_violations, tx_violations;
	uint64_t race_violations[ISO_RACE_ALL + 1]; /* of which racing, by kind */
};

struct iso_rig {
	struct iso_model m;
	struct iso_rng rng;
	uint64_t seed;
	int report;                   /* print the first violation in full */
	int replay;                   /* ... with how to replay it (random runs) */
	const char *profile;
	unsigned n_rx, n_tx, rx_size, tx_size;
	struct snic_rxq *rq[ISO_RINGS];
	struct snic_txq *tq[ISO_RINGS];
	uint64_t rxbuf, txbuf;        /* DMA offsets of the buffer areas */
	uint64_t drops_base[SNIC_DROP_REASONS], ring_drops_base[ISO_RINGS];
	struct iso_hist hist[ISO_HIST];
	struct iso_txp {
		uint32_t seq, gen;    /* gen: the VNIC creation that queued it */
		uint16_t ring;
		uint8_t  live;
	} txp[ISO_TXP];
	uint32_t tx_seq;
	char     race[160];           /* the racing commands, for the report */
	unsigned race_kind;           /* ISO_RACE_* of the last racing change */
	unsigned races;               /* ISO_RACE_* the racing changes may be */
	uint64_t batch_from;          /* arrival time of the batch's first frame */
	struct iso_counts n;
};

/* Boot `profile` with every ring stocked; the model emptied. */
void iso_rig_boot(struct iso_rig *g, const char *profile);
/* Run the firmware until the engine's queue is empty, take every
 * completion and transmitted frame, check each, restock the rings. */
void iso_rig_poll(struct iso_rig *g);
/* Poll until the TX rings are empty (a few tries): before the model
 * changes, so every frame is judged by the configuration it left under. */
void iso_rig_flush_tx(struct iso_rig *g);
/* One received frame (queued for the next poll) and one queued for VNIC
 * v's TX ring. */
void iso_rig_rx(struct iso_rig *g, const uint8_t *f, uint32_t len, uint8_t port);
void iso_rig_tx(struct iso_rig *g, const struct iso_vnic *v, const uint8_t *f, uint32_t len);
/* Add the firmware's drop counters since the last call to g->n.drops. */
void iso_rig_count_drops(struct iso_rig *g);

/* Configuration (isolation_cfg.c): a random one after RESET, and the
 * changes made in the middle of traffic. */
void iso_cfg_new(struct iso_rig *g);
void iso_cfg_event(struct iso_rig *g);
/* A random live VNIC's id, -1 when a few draws find none. */
int iso_live_vnic(struct iso_rig *g);
void iso_cfg_vnic_payload(struct iso_rig *g, struct snic_vnic_create *c);
void iso_cfg_vnic_created(struct iso_rig *g, const struct snic_vnic_create *c,
			  const struct snic_vnic_info *info);
/* Frames classified, then admin commands the firmware applies in the same
 * poll before it receives them (isolation_race.c). */
void iso_race(struct iso_rig *g);
/* The same behind the frames the caller queued: VNIC id destroyed and
 * created again with `mac` on `uplink`; VNIC id's MAC changed to `mac`. */
void iso_race_reuse(struct iso_rig *g, unsigned id, const uint8_t mac[6], uint8_t uplink);
void iso_race_mac(struct iso_rig *g, unsigned id, const uint8_t mac[6]);
/* The firmware's main loop once, nothing taken or checked. */
void iso_rig_step(struct iso_rig *g);
/* After a racing change: the batch's frames may go where the old or the
 * new configuration sends them, to VNICs that are still the same
 * creation (gen_before[id], 0: none). */
void iso_rig_reexpect(struct iso_rig *g, const uint32_t *gen_before);

/* A fixed configuration: every port up, VNIC a (pool MAC 0) on uplink 0
 * and b (pool MAC 1) on uplink ub, untagged, dedicated rings. */
void iso_cfg_pair(struct iso_rig *g, uint8_t ub, unsigned *a, unsigned *b);

#endif
