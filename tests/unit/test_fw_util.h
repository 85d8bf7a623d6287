/* SPDX-License-Identifier: MIT */
/*
 * Host-side helpers for the firmware unit tests: what a host driver does,
 * written against the ABI only (block chain, admin ring, ring control
 * areas), never against firmware internals.
 */
#ifndef SNIC_TEST_FW_UTIL_H
#define SNIC_TEST_FW_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <snic/abi.h>
#include "hal_fake.h"

#define TEST_WIN (16u << 20)

/* The firmware instance the helpers drive (booted by boot()). */
struct fw;
extern struct fw *tfw;

/* Boot a firmware instance on a fresh fake card (the current device);
 * fails the test on error. */
void boot(const char *profile);
/* Make fake device i (< FAKE_DEVS) and its instance the current ones:
 * every helper below acts on them. Device 0 is current at start. */
void test_use(unsigned i);

void *win_at(uint64_t off);
/* Offset of the first block of `type` on the chain, 0 if none. */
uint32_t find_block(uint32_t type);
struct snic_blk_devid *devid(void);
struct snic_blk_admin *admin_blk(void);
struct snic_blk_stats *stats(void);
struct snic_blk_dma   *dma_blk(void);
struct snic_rxq *rxq(unsigned ring);
struct snic_txq *txq(unsigned ring);

/* Send one admin command and run the firmware until it answers.
 * Returns the status; copies the completion to *cpl when non-NULL. */
int admin(uint16_t opcode, const void *payload, uint32_t len, struct snic_admin_cpl *cpl);
/* Raw submission: writes the command slot and bumps cmd_prod only. */
void admin_submit(uint16_t opcode, uint32_t seq, const void *payload, uint32_t len);

int vnic_create(uint16_t id, const uint8_t mac[6], uint16_t vlan, uint16_t flags,
		uint8_t uplink, struct snic_vnic_info *info);
int vnic_create_ip(uint16_t id, const uint8_t mac[6], uint8_t n_ip, const uint8_t ip[][4],
		   struct snic_vnic_info *info);
int port_set(uint8_t port, uint8_t up);
int rule_add(uint32_t loc, const struct snic_rule *r, uint32_t *got);

/* A rule with empty key, the given action fields. */
void rule_init(struct snic_rule *r, uint16_t vnic, uint8_t flags);
void rule_match_dmac(struct snic_rule *r, const uint8_t mac[6]);

/* DMA-region buffers: a bump allocator reset by boot(). */
uint64_t dma_alloc(uint32_t len);
/* Post n buffers of buflen bytes on an RX ring. */
void rx_post(unsigned ring, unsigned n, uint32_t buflen);
/* Next completion of a ring, 1 if one was there. */
int rx_take(unsigned ring, struct snic_rx_cpl *cpl);
/* Queue one frame on a TX ring. */
void tx_queue(unsigned ring, const uint8_t *frame, uint32_t len);

/* Frames. Returns the length. vlan SNIC_VLAN_NONE for untagged. */
uint32_t make_eth(uint8_t *buf, const uint8_t dmac[6], const uint8_t smac[6],
		  uint16_t vlan, uint16_t ethertype, uint32_t payload);
uint32_t make_ipv4(uint8_t *buf, const uint8_t dmac[6], const uint8_t smac[6],
		   uint16_t vlan, const uint8_t sip[4], const uint8_t dip[4]);
uint32_t make_arp(uint8_t *buf, const uint8_t smac[6], const uint8_t sha[6], const uint8_t spa[4]);
/* The classifier key for the fields the tests steer on. */
void key_of(const uint8_t *frame, uint8_t port, struct snic_key *key);

/* A hit as the engine reports it: rule, VNIC, action flags, meter (NONE
 * for none), the VNIC's default ring. */
struct snic_match match_hit(uint16_t rule, uint16_t vnic, uint8_t flags, uint16_t meter);
/* The MAC of VNIC i in tests with many VNICs: one prefix, i in the last
 * two bytes (as a host's VMs often are). */
void test_mac(unsigned i, uint8_t mac[6]);

/* Push a frame through the fake engine (lookup in the programmed table). */
void rx_frame(const uint8_t *frame, uint32_t len, uint8_t port);

/* 1 when `rule` (snic_match.rule / snic_rx_cpl.rule) is VNIC vi's own MAC
 * entry: its ternary entry mac_rule on a profile without an exact table,
 * else an exact slot holding the key built by hand from its MAC and VLAN
 * (dmac << 16 | 0x1000 tagged bit | VID, or dmac << 16 when untagged)
 * with the VNIC as action. */
int is_mac_hit(uint32_t rule, const struct snic_vnic_info *vi);

/* Copy of the device area (everything below the DMA region) + the fake
 * engine table, to prove a rejected command changed nothing. */
struct snapshot {
	uint8_t *dev;
	uint32_t len;
	struct snic_rule tcam[FAKE_TCAM];
	uint8_t valid[FAKE_TCAM];
	struct snic_exact_slot *xslot; /* FAKE_EXACT, malloc'd */
};
void snap_take(struct snapshot *s);
/* 1 when nothing changed except the admin indices, completion ring and
 * the admin counters/heartbeat/time (which any command moves). */
int  snap_same(const struct snapshot *s);
void snap_free(struct snapshot *s);

#endif
