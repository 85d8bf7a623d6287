/* SPDX-License-Identifier: MIT */
/*
 * The isolation oracle: a model of the configuration a test applied
 * through the admin queue (VNICs, bonds, rules, ports), and from it, per
 * received frame, the set of VNICs the documented semantics allow it to
 * reach (rules first by the reference classifier, then the VNIC MAC
 * entries of the ingress port's domain, then group delivery: l2.h,
 * docs/l2.md), and per transmitted frame, whether its sender owns its
 * source MAC, VLAN, IPv4 source and uplink (docs/firmware.md "TX").
 * Pure functions of the model: no firmware, no fake HAL.
 */
#ifndef SNIC_ISOLATION_ORACLE_H
#define SNIC_ISOLATION_ORACLE_H

#include <stdint.h>
#include <stdio.h>
#include <snic/abi.h>

#define ISO_VNICS      128 /* the largest card's max_vnics */
#define ISO_RULE_SLOTS 64  /* rule locations the test uses */
#define ISO_RINGS      16

struct iso_vnic {
	uint32_t gen;               /* which creation this is: ids are reused */
	uint8_t  live;
	uint8_t  mac[6];
	uint16_t vlan;              /* port VLAN (VNIC_CREATE's, or the operator's
				     * VNIC_PORT_VLAN), or SNIC_VLAN_NONE */
	uint8_t  pvlan;             /* vlan is the operator's: the device tags
				     * what it sends, strips what it gets */
	uint8_t  uplink;            /* uplink, or SNIC_UPLINK_BOND | bond */
	uint8_t  n_ip;
	uint8_t  ip[4][4];
	uint16_t rx_ring, tx_ring;
	uint8_t  n_q;               /* RSS queue set: queues 1..n_q-1 on these */
	uint16_t rxq[SNIC_RSS_MAX_QUEUES], txq[SNIC_RSS_MAX_QUEUES];
	uint8_t  n_vid;
	uint16_t vid[SNIC_L2_VLANS_PER_VNIC];
	uint8_t  n_mc;
	uint8_t  mc[SNIC_L2_MC_PER_VNIC][6];
	uint8_t  allmulti, promisc, trusted; /* promisc: in effect (trusted) */
};

struct iso_bond {
	uint8_t live, n;
	uint8_t member[4];
	uint8_t home;               /* bitmap of uplinks in use (team QUERY) */
};

struct iso_model {
	unsigned n_uplinks, max_vnics;
	uint32_t gens;              /* VNICs created so far */
	uint8_t  port_up[SNIC_MAX_UPLINKS];
	struct iso_vnic v[ISO_VNICS];
	struct iso_bond bond[SNIC_MAX_BONDS];
	struct snic_rule rule[ISO_RULE_SLOTS];
	uint8_t  rule_valid[ISO_RULE_SLOTS];
};

/* Why a frame reached (or may reach) whom. */
enum iso_kind {
	ISO_K_NONE,      /* dropped before classification (port, runt) */
	ISO_K_RULE,      /* a host rule decided */
	ISO_K_MAC,       /* a VNIC MAC entry of the ingress port's domain */
	ISO_K_GROUP,     /* group delivery (may be nobody) */
	ISO_K_KINDS
};

struct iso_expect {
	uint8_t  allowed[ISO_VNICS / 8]; /* bitmap of VNIC ids */
	uint8_t  kind;                   /* enum iso_kind */
	uint8_t  mark_sw;                /* the rule sends it to the shared HRR */
	uint16_t rule;                   /* the rule's location (ISO_K_RULE) */
	uint8_t  racing;                 /* classified before a change the
					  * firmware applied before receiving it:
					  * either configuration's verdict holds */
};

void iso_model_reset(struct iso_model *m, unsigned n_uplinks, unsigned max_vnics);

/* 1 when RX (TX) ring `ring` is one of v's: its own or of its queue set. */
int iso_rx_ring_of(const struct iso_vnic *v, unsigned ring);
int iso_tx_ring_of(const struct iso_vnic *v, unsigned ring);

/* 1 when uplink `port` is one of v's (its uplink or a member of its bond). */
int iso_on_uplink(const struct iso_model *m, const struct iso_vnic *v, unsigned port);

/* The VNICs frame f (len bytes, engine key `key`) arriving on `port` may
 * reach. */
void iso_expect_rx(const struct iso_model *m, const uint8_t *f, uint32_t len, uint8_t port,
		   const struct snic_key *key, struct iso_expect *out);

/* A completion for `vnic` on RX ring `ring`: NULL when the expectation
 * allows it, else what is wrong. */
const char *iso_check_rx(const struct iso_model *m, const struct iso_expect *e, unsigned ring,
			 uint16_t vnic);

/* A frame that left on uplink `port`. sender: the VNIC whose dedicated TX
 * ring sent it; ISO_TX_SHARED: queued on the shared TRR; ISO_TX_DEVICE:
 * made by the device (team notifications). NULL when a VNIC that may send
 * on that ring owns its source, else what is wrong. */
#define ISO_TX_SHARED (-1)
#define ISO_TX_DEVICE (-2)
const char *iso_check_tx(const struct iso_model *m, int sender, uint8_t port, const uint8_t *f,
			 uint32_t len);

/* For a violation report: the configuration, a frame. */
void iso_dump_model(FILE *o, const struct iso_model *m);
void iso_dump_frame(FILE *o, const uint8_t *f, uint32_t len);

#endif
