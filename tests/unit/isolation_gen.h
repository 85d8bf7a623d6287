/* SPDX-License-Identifier: MIT */
/*
 * Random material for the isolation property test: a seeded PRNG (the
 * same seed replays the same run), the address pools configurations draw
 * from (few MACs, so VNICs share and collide), and hostile frames, to
 * receive (spoofed sources, stacked and 802.1ad tags, group addresses,
 * unknown MACs, cut short) and to send (foreign sources and VLANs).
 */
#ifndef SNIC_ISOLATION_GEN_H
#define SNIC_ISOLATION_GEN_H

#include <stdint.h>
#include "isolation_oracle.h"

struct iso_rng {
	uint64_t s;
};

uint64_t iso_rand(struct iso_rng *r);
/* Uniform in 0..n-1 (n > 0). */
unsigned iso_below(struct iso_rng *r, unsigned n);
/* 1 with probability pct %. */
int iso_pct(struct iso_rng *r, unsigned pct);

#define ISO_MAC_POOL 8
#define ISO_MC_POOL  4
#define ISO_IP_POOL  6
#define ISO_VID_POOL 5
void iso_pool_mac(unsigned i, uint8_t mac[6]);
void iso_pool_mc(unsigned i, uint8_t mac[6]);
void iso_pool_ip(unsigned i, uint8_t ip[4]);
uint16_t iso_pool_vid(unsigned i);

/* The largest frame made; every one fits a 512-byte buffer. */
#define ISO_FRAME_MAX 200

/* A frame from the wire: returns its length, *port its ingress uplink
 * (now and then one the card does not have). */
uint32_t iso_gen_rx(struct iso_rng *r, const struct iso_model *m, uint8_t *f, uint8_t *port);
/* A frame VNIC v's driver queues: mostly its own, often not. */
uint32_t iso_gen_tx(struct iso_rng *r, const struct iso_model *m, const struct iso_vnic *v,
		    uint8_t *f);

#endif
