/* SPDX-License-Identifier: MIT */
/*
 * What the core modules share: the instance's window accessors and every
 * module's entry points, each taking the instance (struct fw, fw_types.h)
 * as its first argument.
 *
 * The firmware never trusts what it reads back from the window: the host
 * can write any byte of it. Layout and table state live in the instance,
 * in firmware memory; the window only receives copies.
 */
#ifndef SNIC_FW_INTERNAL_H
#define SNIC_FW_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <snic/abi.h>
#include "hal/hal.h"
#include "meter.h"
#include "fw_types.h"

/* fw_vnic.policy bits of an operator port VLAN (VNIC_PORT_VLAN, l2.c), in
 * the byte's spare bits: no RAM for another field. v->vlan is its VID. */
#define FW_VPOL_PORT_VLAN 0x80 /* tags inserted on TX, stripped on RX */
#define FW_VPOL_PCP_SHIFT 4    /* bits 4..6: the PCP inserted */
#define FW_VPOL_PCP_MASK  0x70

static inline bool fw_vnic_tags(const struct fw_vnic *v)
{
	return v->policy & FW_VPOL_PORT_VLAN;
}

/* The VLAN VNIC v's frames carry on the host side: none behind an
 * operator port VLAN (the device adds and removes its tag). */
static inline uint16_t fw_vnic_host_vlan(const struct fw_vnic *v)
{
	return fw_vnic_tags(v) ? SNIC_VLAN_NONE : v->vlan;
}


/* ---- mem.c: the few libc-like helpers a freestanding build needs ---- */
void fw_memcpy(void *dst, const void *src, size_t n);
void fw_memset(void *dst, int c, size_t n);
int  fw_memcmp(const void *a, const void *b, size_t n);
bool fw_is_zero(const void *p, size_t n);


/* ---- window access ---- */
static inline void *fw_at(const struct fw *fw, uint32_t off)
{
	return fw->win + off;
}
#define FW_DEVID(fw)  ((struct snic_blk_devid *)fw_at((fw), (fw)->lay.devid))
#define FW_ADMIN(fw)  ((struct snic_blk_admin *)fw_at((fw), (fw)->lay.admin))
#define FW_STATS(fw)  ((struct snic_blk_stats *)fw_at((fw), (fw)->lay.stats))
#define FW_RXQ(fw, i)   ((struct snic_rxq *)fw_at((fw), (fw)->lay.rxq[(i)]))
#define FW_TXQ(fw, i)   ((struct snic_txq *)fw_at((fw), (fw)->lay.txq[(i)]))
#define FW_VSTATS_BLK(fw) ((struct snic_blk_vstats *)fw_at((fw), (fw)->lay.vstats))
/* VNIC v's counters (v < max_vnics: callers pass a checked id). */
#define FW_VSTATS(fw, v) ((struct snic_vnic_stats *)fw_at((fw), (fw)->lay.vstats_first) + (v))

/* Host-written indices are read with acquire, device indices published
 * with release, so descriptors/frames are visible in the right order. */
static inline uint32_t fw_load_acq(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline void fw_store_rel(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline void fw_count_drop(struct fw *fw, int reason)
{
	FW_STATS(fw)->drops[reason]++;
}

#define ETH_P_8021Q  0x8100
#define ETH_P_8021AD 0x88a8

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* VLAN id of a frame (len >= 14) with at most one tag; -1 untagged, -2
 * stacked tags or a tag cut short. *l3, *type: where the payload starts
 * and its ethertype. The frame is the wire's or a host's: lengths first. */
static inline int fw_frame_vlan(const uint8_t *f, uint32_t len, uint32_t *l3, uint16_t *type)
{
	uint16_t et = be16(f + 12);
	if (et != ETH_P_8021Q && et != ETH_P_8021AD) {
		*l3 = 14;
		*type = et;
		return -1;
	}
	if (len < 18)
		return -2;
	*l3 = 18;
	*type = be16(f + 16);
	if (*type == ETH_P_8021Q || *type == ETH_P_8021AD)
		return -2; /* stacked tags: a VM has no business with them */
	return be16(f + 14) & 0x0fff;
}

/* ---- layout.c ---- */
int  fw_layout_init(struct fw *fw);

/* ---- vnic.c ---- */
void fw_vnic_reset_all(struct fw *fw);
bool fw_vnic_exists(struct fw *fw, uint32_t id);
int  fw_vnic_create(struct fw *fw, const struct snic_vnic_create *c, struct snic_vnic_info *out);
int  fw_vnic_destroy(struct fw *fw, const struct snic_vnic_ref *r);
int  fw_vnic_query(struct fw *fw, const struct snic_vnic_ref *r, struct snic_vnic_info *out);
int  fw_ring_bind(struct fw *fw, const struct snic_ring_bind *b);
/* VNIC id's MAC entry in ternary form (also when the exact table steers
 * it): false when there is no such VNIC. */
bool fw_vnic_mac_rule(struct fw *fw, uint32_t id, struct snic_rule *out);
/* VNIC a dedicated TRR sends for, SNIC_VNIC_NONE if unbound or shared. */
uint16_t fw_tx_ring_owner(struct fw *fw, uint16_t ring);
/* VNIC a dedicated HRR receives for, SNIC_VNIC_NONE if unbound or shared. */
uint16_t fw_rx_ring_owner(struct fw *fw, uint16_t ring);
/* The HAL's table memory (hal_table_mem) if it can hold struct
 * fw_tables, else NULL: read at every boot, like the window. */
struct fw_tables *fw_tables_get(struct hal *hal);
/* The engine's copy of an action names its VNIC's incarnation (gen). */
static inline void fw_action_stamp(const struct fw *fw, struct snic_action *a)
{
	a->gen = a->vnic < FW_MAX_VNICS ? fw->vnic_gen[a->vnic] : 0;
}
/* Give dedicated ring `ring` (TRR if tx) to `vnic` or free it (NONE), as
 * an extra queue of an RSS queue set (rss.c); published to the window. */
void fw_ring_set_owner(struct fw *fw, bool tx, uint16_t ring, uint16_t vnic);

/* Re-program VNIC id's classifier entry for a new MAC (VNIC_MAC): the old
 * one is replaced; SNIC_E_NOSPC and nothing changed when the exact table
 * has no room for the new key. */
int  fw_vnic_set_mac(struct fw *fw, uint16_t id, const uint8_t mac[6]);
/* The same for a new port VLAN (VNIC_PORT_VLAN): v->vlan = vlan after it. */
int  fw_vnic_set_vlan(struct fw *fw, uint16_t id, uint16_t vlan);

/* ---- vnic_mac.c: MACs per uplink domain ---- */
/* Does a VNIC have `mac` on port VLAN `vlan` in a domain that meets that
 * of `uplink` (an uplink or SNIC_UPLINK_BOND | b)? Then it is taken. */
bool     fw_vnic_mac_taken(struct fw *fw, const uint8_t mac[6], uint16_t vlan, uint8_t uplink);
/* Does a VNIC other than `except` send from `mac` on port VLAN `vlan` on
 * the shared TRR (where frames are attributed by source MAC)? */
bool     fw_vnic_mac_shared_tx(struct fw *fw, const uint8_t mac[6], uint16_t vlan, uint16_t except);
/* The VNIC with VNIC id's MAC and port VLAN whose domain holds `port`:
 * id itself when it does; SNIC_VNIC_NONE when none does. */
uint16_t fw_vnic_mac_owner(struct fw *fw, uint16_t id, uint8_t port);
/* Exact profiles: VNIC id's frames to `mac` get an entry, its own or a
 * sharer's (SNIC_OK), or SNIC_E_NOSPC and nothing changed. */
int      fw_vnic_exact_join(struct fw *fw, uint16_t id, const uint8_t mac[6]);
/* VNIC id no longer uses the entry of `mac`: it passes to a sharer or goes. */
void     fw_vnic_exact_leave(struct fw *fw, uint16_t id, const uint8_t mac[6]);
/* VNIC id's action changed (its ring): rewrite the entry if it names id. */
void     fw_vnic_exact_refresh(struct fw *fw, uint16_t id);

/* ---- l2.c: VNIC_RXMODE/VLANS/MAC/POLICY/L2_QUERY and their pools ---- */
void fw_l2_reset_all(struct fw *fw);
/* A VNIC is going away: its list entries return to the pools. */
void fw_l2_vnic_gone(struct fw *fw, uint16_t id);
int  fw_l2_rxmode(struct fw *fw, const struct snic_vnic_rxmode *c);
int  fw_l2_vlans(struct fw *fw, const struct snic_vnic_vlans *c);
int  fw_l2_mac(struct fw *fw, const struct snic_vnic_mac *c);
int  fw_l2_policy(struct fw *fw, const struct snic_vnic_policy *c);
int  fw_l2_port_vlan(struct fw *fw, const struct snic_vnic_port_vlan *c);
int  fw_l2_query(struct fw *fw, const struct snic_vnic_ref *r, struct snic_vnic_l2 *out);
/* Is `vid` in VNIC id's VLAN membership list? */
bool fw_l2_vlan_member(struct fw *fw, uint16_t id, uint16_t vid);
/* Bit v of `set` (FW_MAX_VNICS bits): VNIC v lists `vid` / the group `mac`. */
void fw_l2_vlan_members(struct fw *fw, uint16_t vid, uint32_t *set);
void fw_l2_mc_joiners(struct fw *fw, const uint8_t mac[6], uint32_t *set);

/* ---- rss.c: RSS_SET/QUERY/QUEUES (rss.h) and the table pool ---- */
void fw_rss_reset_all(struct fw *fw);
/* A VNIC is going away: its extra rings and table are freed. */
void fw_rss_vnic_gone(struct fw *fw, uint16_t id);
int  fw_rss_set(struct fw *fw, const struct snic_rss_set *s);
int  fw_rss_query(struct fw *fw, const struct snic_vnic_ref *r, struct snic_rss_info *out);
int  fw_rss_queues(struct fw *fw, const struct snic_rss_queues *c,
		   struct snic_rss_queues_info *out);
/* The HRR of frame m for VNIC v with a queue set (v->rss); *hmask, *hval:
 * which later frames the memo may send the same way (steer.c). */
uint16_t fw_rss_ring(struct fw *fw, const struct fw_vnic *v, const struct snic_match *m,
		     uint32_t *hmask, uint32_t *hval);

/* ---- group.c: group delivery of unclaimed frames (l2.h) ---- */
/* A frame no classifier entry claimed (len >= 14, port up): its copies,
 * each through fw_rx_put. HAL_DELIVERED when one copy or more was
 * delivered, else the drop reason (SNIC_DROP_NO_MATCH: nobody wanted it). */
int  fw_group_rx(struct fw *fw, const struct hal_rx_pkt *p);

/* ---- rules.c ---- */
void fw_rules_reset_all(struct fw *fw);
int  fw_rule_add(struct fw *fw, const struct snic_rule_add *a, struct snic_rule_ref *out);
int  fw_rule_del(struct fw *fw, const struct snic_rule_ref *r);
int  fw_rule_query(struct fw *fw, const struct snic_rule_ref *r, struct snic_rule_info *out);
/* Firmware-owned entries (VNIC MAC steering): no validation, no refs. */
void fw_rule_set_internal(struct fw *fw, uint32_t idx, const struct snic_rule *rule);
void fw_rule_clear_internal(struct fw *fw, uint32_t idx);

/* ---- meter_table.c ---- */
void fw_meters_reset_all(struct fw *fw);
int  fw_meter_set(struct fw *fw, const struct snic_meter_set *s);
bool fw_policer_exists(struct fw *fw, uint32_t id);

/* ---- admin.c ---- */
void     fw_admin_init(struct fw *fw);
unsigned fw_admin_poll(struct fw *fw);

/* ---- steer.c ---- */
void     fw_rx_init(struct fw *fw);
unsigned fw_rx_poll(struct fw *fw);
void     fw_rx_raise_irqs(struct fw *fw);
/* The tables changed (every admin command, boot): recompute what the
 * receive fast path knows of each VNIC (fw->rx.fast). */
void     fw_rx_refresh(struct fw *fw);

/* ---- rx_ring.c: the receive rings' batches ---- */
/* Open the gates whose old ring the host has drained (each poll). */
void     fw_rx_gates_check(struct fw *fw);
/* HRR r's first frame of this batch: its engine context, the host's
 * indices read and checked once. */
void     fw_rx_ring_open(struct fw *fw, uint16_t r);
/* The batch ends: HRR r's indices and counters published. */
void     fw_rx_ring_close(struct fw *fw, uint16_t r);
/* Hold back HRR `ring`'s completions until the host has consumed every
 * completion HRR `src` holds now (a VNIC moved from src to ring). */
void     fw_rx_gate(struct fw *fw, uint16_t ring, uint16_t src);
/* One completion for VNIC `vnic` on HRR `ring` (group delivery): through
 * the receive queue engine like every steered frame, its ring's batch
 * opened if need be. HAL_DELIVERED or the engine's drop reason. */
int      fw_rx_put(struct fw *fw, uint16_t ring, const struct hal_rx_pkt *p, uint16_t vnic,
		   uint16_t flags);
/* Frame p as VNIC vnic receives it: without its tag when vnic has an
 * operator port VLAN and the frame carries that VID (built in fw->frame,
 * returned in *tmp), else p itself. */
const struct hal_rx_pkt *fw_rx_view(struct fw *fw, const struct hal_rx_pkt *p, uint16_t vnic,
				    struct hal_rx_pkt *tmp);

/* ---- tx.c ---- */
void     fw_tx_init(struct fw *fw);
/* The VNIC table changed (create, destroy, MAC change, reset): rebuild
 * the index that finds a shared-TRR frame's sender from its source MAC. */
void     fw_tx_index(struct fw *fw);
/* A dedicated TRR loses its VNIC: what it still holds is discarded
 * (counted in the ring's drop_bad), never sent as the next owner's. */
void     fw_tx_discard(struct fw *fw, uint16_t ring);
unsigned fw_tx_poll(struct fw *fw);

/* ---- fw.c ---- */
int  fw_port_set(struct fw *fw, const struct snic_port_set *p);
void fw_device_reset(struct fw *fw);

#endif
