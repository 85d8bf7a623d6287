/* SPDX-License-Identifier: MIT */
/*
 * VNIC table and ring policy.
 *
 * HRR 0 and TRR 0 are the shared rings: they carry every VNIC that has no
 * dedicated ring (software-ring VNICs, split by the host software
 * classifier on RX and by source MAC on TX). A new VNIC takes the lowest
 * free dedicated HRR and TRR (1..n-1) unless SNIC_VNICF_SW_ONLY is set;
 * when none is free it goes to the shared ring, so creating a VNIC never
 * fails for lack of rings. RING_BIND moves a VNIC between rings.
 *
 * Each VNIC owns classifier entry mac_base + id: its MAC (and VLAN, or
 * "untagged only") steered to it with the lowest priority of all entries.
 * On a profile with an exact-match table every VNIC is steered by an exact
 * entry (MAC, tagged, VID) instead, which matches exactly the frames the
 * ternary entry would (the key's tagged bit is the flags' VLAN bit), and
 * mac_base + id is an index past the ternary table (where the exact table
 * ranks) under which RULE_QUERY returns the equivalent ternary form (the
 * host software classifier rebuilds the table from it).
 */
#include "fw_internal.h"
#include "exact_table.h"
#include "team.h"


static void publish_rx(struct fw *fw, uint16_t r)
{
	struct snic_rxq *q = FW_RXQ(fw, r);
	q->vnic = fw->rx_owner[r];
	q->state = r == FW_SHARED_RING ? SNIC_RING_SHARED :
		   fw->rx_owner[r] == SNIC_VNIC_NONE ? SNIC_RING_UNBOUND : SNIC_RING_BOUND;
}

static void publish_tx(struct fw *fw, uint16_t r)
{
	struct snic_txq *q = FW_TXQ(fw, r);
	q->vnic = fw->tx_owner[r];
	q->state = r == FW_SHARED_RING ? SNIC_RING_SHARED :
		   fw->tx_owner[r] == SNIC_VNIC_NONE ? SNIC_RING_UNBOUND : SNIC_RING_BOUND;
}

void fw_vnic_reset_all(struct fw *fw)
{
	fw_memset(fw->vnic, 0, sizeof(fw->vnic));
	fw_l2_reset_all(fw);
	fw_rss_reset_all(fw);
	fw_exact_reset(fw);
	for (uint16_t r = 0; r < FW_MAX_RINGS; r++) {
		fw->rx_owner[r] = SNIC_VNIC_NONE;
		fw->tx_owner[r] = SNIC_VNIC_NONE;
	}
	for (uint16_t r = 0; r < fw->hw.n_rx_rings; r++)
		publish_rx(fw, r);
	for (uint16_t r = 0; r < fw->hw.n_tx_rings; r++)
		publish_tx(fw, r);
	fw_tx_index(fw);
}

bool fw_vnic_exists(struct fw *fw, uint32_t id)
{
	return id < fw->hw.max_vnics && fw->vnic[id].used;
}

/* The lowest free dedicated ring, or the shared ring. */
static uint16_t free_ring(const uint16_t *owner, uint16_t n)
{
	for (uint16_t r = 1; r < n; r++)
		if (owner[r] == SNIC_VNIC_NONE)
			return r;
	return FW_SHARED_RING;
}

/* Profiles with an exact-match table steer every VNIC MAC through it. */
static bool mac_in_exact(struct fw *fw)
{
	return fw->hw.exact_entries != 0;
}

/* The ternary form of VNIC id's MAC entry; the action follows its RX ring. */
static void build_mac_rule(struct fw *fw, uint16_t id, struct snic_rule *r)
{
	const struct fw_vnic *v = &fw->vnic[id];

	fw_memset(r, 0, sizeof(*r));
	fw_memcpy(r->value.dmac, v->mac, 6);
	fw_memset(r->mask.dmac, 0xff, 6);
	r->mask.flags = SNIC_KF_VLAN;
	if (v->vlan != SNIC_VLAN_NONE) {
		r->value.flags = SNIC_KF_VLAN;
		r->value.vlan[0] = (uint8_t)((v->vlan >> 8) & 0x0f);
		r->value.vlan[1] = (uint8_t)(v->vlan & 0xff);
		r->mask.vlan[0] = 0x0f; /* VID only: any priority/DEI */
		r->mask.vlan[1] = 0xff;
	}
	r->action.vnic = id;
	r->action.ring = SNIC_RING_DEFAULT;
	r->action.meter = SNIC_METER_NONE;
	r->action.flags = SNIC_ACT_COUNT;
	if (v->rx_ring == FW_SHARED_RING)
		r->action.flags |= SNIC_ACT_MARK_SW;
}

bool fw_vnic_mac_rule(struct fw *fw, uint32_t id, struct snic_rule *out)
{
	if (!fw_vnic_exists(fw, id))
		return false;
	build_mac_rule(fw, (uint16_t)id, out);
	return true;
}

/*
 * (Re)program VNIC id's MAC entry. `fresh` for a new VNIC. SNIC_E_NOSPC
 * (nothing changed) when its exact entry finds no room; an update cannot
 * fail. On the exact table VNICs sharing a MAC share its entry
 * (vnic_mac.c).
 */
static int program_mac_rule(struct fw *fw, uint16_t id, bool fresh)
{
	struct snic_rule r;

	if (!mac_in_exact(fw)) {
		build_mac_rule(fw, id, &r);
		fw_rule_set_internal(fw, fw->mac_base + id, &r);
		return SNIC_OK;
	}
	if (fresh)
		return fw_vnic_exact_join(fw, id, fw->vnic[id].mac);
	fw_vnic_exact_refresh(fw, id);
	return SNIC_OK;
}

int fw_vnic_set_mac(struct fw *fw, uint16_t id, const uint8_t mac[6])
{
	struct fw_vnic *v = &fw->vnic[id];

	if (!mac_in_exact(fw)) {
		fw_memcpy(v->mac, mac, 6);
		fw_tx_index(fw);
		return program_mac_rule(fw, id, false); /* rewrites its one entry */
	}
	/* The exact key holds the MAC: the new key is joined first, so a
	 * sharer of the old one never misses a frame; with no room for it
	 * the old key is given up first and taken back if that fails. */
	int st = fw_vnic_exact_join(fw, id, mac);
	fw_vnic_exact_leave(fw, id, v->mac);
	if (st != SNIC_OK && (st = fw_vnic_exact_join(fw, id, mac)) != SNIC_OK) {
		fw_vnic_exact_join(fw, id, v->mac);
		return st;
	}
	fw_memcpy(v->mac, mac, 6);
	fw_tx_index(fw);
	return SNIC_OK;
}

int fw_vnic_set_vlan(struct fw *fw, uint16_t id, uint16_t vlan)
{
	struct fw_vnic *v = &fw->vnic[id];
	const uint16_t old = v->vlan;

	v->vlan = vlan;
	if (!mac_in_exact(fw))
		return program_mac_rule(fw, id, false); /* rewrites its one entry */
	/* The exact key holds the VID: join the new key first (the VNIC's
	 * frames are never missed), then leave the old one. */
	int st = fw_vnic_exact_join(fw, id, v->mac);
	v->vlan = old;
	if (st != SNIC_OK)
		return st;
	fw_vnic_exact_leave(fw, id, v->mac);
	v->vlan = vlan;
	return SNIC_OK;
}

static void fill_info(struct fw *fw, uint16_t id, struct snic_vnic_info *out)
{
	const struct fw_vnic *v = &fw->vnic[id];
	fw_memset(out, 0, sizeof(*out));
	out->vnic = id;
	out->rx_ring = v->rx_ring;
	out->tx_ring = v->tx_ring;
	out->ring_state = v->rx_ring == FW_SHARED_RING ? SNIC_RING_SHARED : SNIC_RING_BOUND;
	out->vlan = v->vlan;
	fw_memcpy(out->mac, v->mac, 6);
	out->mac_rule = (uint16_t)(fw->mac_base + id);
}

static bool mac_ok(const uint8_t *mac)
{
	return !(mac[0] & 1) && !fw_is_zero(mac, 6);
}

/* A host address: not 0.0.0.0, not multicast, not limited broadcast. */
static bool ip_ok(const uint8_t *ip)
{
	if (fw_is_zero(ip, 4) || (ip[0] & 0xf0) == 0xe0)
		return false;
	return !(ip[0] == 255 && ip[1] == 255 && ip[2] == 255 && ip[3] == 255);
}

static int check_create(struct fw *fw, const struct snic_vnic_create *c)
{
	if (c->rsvd || (c->flags & ~SNIC_VNICF_SW_ONLY))
		return SNIC_E_INVAL;
	if (!mac_ok(c->mac))
		return SNIC_E_INVAL;
	if (c->vlan != SNIC_VLAN_NONE && c->vlan > 4094)
		return SNIC_E_RANGE;
	/* An unbonded uplink or a bond (SNIC_UPLINK_BOND | b), see team.c. */
	int ust = fw_team_check_vnic_uplink(fw, c->uplink);
	if (ust != SNIC_OK)
		return ust;
	if (c->n_ip > 4)
		return SNIC_E_RANGE;
	for (unsigned i = 0; i < 4; i++) {
		if (i < c->n_ip ? !ip_ok(c->ip[i]) : !fw_is_zero(c->ip[i], 4))
			return SNIC_E_INVAL;
	}
	if (c->vnic != SNIC_ID_ANY && c->vnic >= fw->hw.max_vnics)
		return SNIC_E_RANGE;
	if (c->vnic != SNIC_ID_ANY && fw->vnic[c->vnic].used)
		return SNIC_E_EXIST;
	/* Unique per (uplink domain, port VLAN): bond slaves share a MAC. */
	if (fw_vnic_mac_taken(fw, c->mac, c->vlan, c->uplink))
		return SNIC_E_EXIST;
	return SNIC_OK;
}

int fw_vnic_create(struct fw *fw, const struct snic_vnic_create *c, struct snic_vnic_info *out)
{
	int st = check_create(fw, c);
	if (st != SNIC_OK)
		return st;

	uint16_t id = c->vnic;
	if (id == SNIC_ID_ANY) {
		for (id = 0; id < fw->hw.max_vnics && fw->vnic[id].used; id++)
			;
		if (id == fw->hw.max_vnics)
			return SNIC_E_NOSPC;
	}

	struct fw_vnic *v = &fw->vnic[id];
	fw_memset(v, 0, sizeof(*v));
	v->used = true;
	fw->vnic_gen[id]++; /* before any entry naming it is written */
	fw_memcpy(v->mac, c->mac, 6);
	v->vlan = c->vlan;
	v->flags = c->flags;
	v->uplink = c->uplink;
	v->n_ip = c->n_ip;
	fw_memcpy(v->ip, c->ip, sizeof(v->ip));

	bool sw = c->flags & SNIC_VNICF_SW_ONLY;
	v->rx_ring = sw ? FW_SHARED_RING : free_ring(fw->rx_owner, fw->hw.n_rx_rings);
	v->tx_ring = sw ? FW_SHARED_RING : free_ring(fw->tx_owner, fw->hw.n_tx_rings);
	/* A sharer of its MAC on the shared TRR too: their frames could not
	 * be told apart there. */
	if (v->tx_ring == FW_SHARED_RING && fw_vnic_mac_shared_tx(fw, c->mac, c->vlan, id)) {
		fw_memset(v, 0, sizeof(*v));
		return SNIC_E_EXIST;
	}
	/* The only step that can fail, so it goes before any ring is taken. */
	st = program_mac_rule(fw, id, true);
	if (st != SNIC_OK) {
		fw_memset(v, 0, sizeof(*v));
		return st;
	}
	if (v->rx_ring != FW_SHARED_RING) {
		fw->rx_owner[v->rx_ring] = id;
		publish_rx(fw, v->rx_ring);
	}
	if (v->tx_ring != FW_SHARED_RING) {
		fw->tx_owner[v->tx_ring] = id;
		publish_tx(fw, v->tx_ring);
	}
	fw_team_vnic_created(fw, id);
	fw_tx_index(fw);
	/* Its counters start from zero (l2.h). */
	fw_memset(FW_VSTATS(fw, id), 0, sizeof(struct snic_vnic_stats));
	fill_info(fw, id, out);
	return SNIC_OK;
}

int fw_vnic_destroy(struct fw *fw, const struct snic_vnic_ref *r)
{
	if (r->rsvd)
		return SNIC_E_INVAL;
	if (!fw_vnic_exists(fw, r->vnic))
		return SNIC_E_NOENT;
	struct fw_vnic *v = &fw->vnic[r->vnic];
	/* Host rules naming it must go first: no dangling steering. */
	if (v->rule_refs)
		return SNIC_E_BUSY;
	fw_l2_vnic_gone(fw, r->vnic);
	fw_rss_vnic_gone(fw, r->vnic);
	if (mac_in_exact(fw))
		fw_vnic_exact_leave(fw, r->vnic, v->mac); /* a sharer keeps it */
	else
		fw_rule_clear_internal(fw, fw->mac_base + r->vnic);
	if (v->rx_ring != FW_SHARED_RING) {
		fw->rx_owner[v->rx_ring] = SNIC_VNIC_NONE;
		publish_rx(fw, v->rx_ring);
	}
	if (v->tx_ring != FW_SHARED_RING) {
		fw->tx_owner[v->tx_ring] = SNIC_VNIC_NONE;
		fw_tx_discard(fw, v->tx_ring);
		publish_tx(fw, v->tx_ring);
	}
	fw_memset(v, 0, sizeof(*v));
	fw_tx_index(fw);
	return SNIC_OK;
}

int fw_vnic_query(struct fw *fw, const struct snic_vnic_ref *r, struct snic_vnic_info *out)
{
	if (r->rsvd)
		return SNIC_E_INVAL;
	if (!fw_vnic_exists(fw, r->vnic))
		return SNIC_E_NOENT;
	fill_info(fw, r->vnic, out);
	return SNIC_OK;
}

/*
 * Bind HRR `ring` to a VNIC (moving it off its previous HRR, which
 * becomes free) or unbind it (its VNIC falls back to the shared HRR).
 * The shared HRR itself cannot be bound. Ring indices keep running.
 * A bind holds the new ring's completions back until the host has drained
 * the old ring (see steer.c), so a VNIC moving from the shared HRR to a
 * free one loses and reorders nothing.
 */
int fw_ring_bind(struct fw *fw, const struct snic_ring_bind *b)
{
	if (b->ring >= fw->hw.n_rx_rings)
		return SNIC_E_NOENT;
	if (b->ring == FW_SHARED_RING)
		return SNIC_E_BUSY;

	uint16_t cur = fw->rx_owner[b->ring];
	if (b->vnic == SNIC_VNIC_NONE) {
		if (cur == SNIC_VNIC_NONE)
			return SNIC_E_NOENT;
		if (fw->vnic[cur].rss)
			return SNIC_E_BUSY; /* its queue set goes first (RSS_QUEUES 1) */
		fw->rx_owner[b->ring] = SNIC_VNIC_NONE;
		fw->vnic[cur].rx_ring = FW_SHARED_RING;
		publish_rx(fw, b->ring);
		program_mac_rule(fw, cur, false);
		return SNIC_OK;
	}
	if (!fw_vnic_exists(fw, b->vnic))
		return SNIC_E_NOENT;
	if (cur == b->vnic)
		return SNIC_OK;
	if (cur != SNIC_VNIC_NONE)
		return SNIC_E_BUSY;

	struct fw_vnic *v = &fw->vnic[b->vnic];
	if (v->rx_ring != FW_SHARED_RING) {
		fw->rx_owner[v->rx_ring] = SNIC_VNIC_NONE;
		publish_rx(fw, v->rx_ring);
	}
	fw_rx_gate(fw, b->ring, v->rx_ring); /* no frame overtakes the old ring's */
	v->rx_ring = b->ring;
	fw->rx_owner[b->ring] = b->vnic;
	publish_rx(fw, b->ring);
	program_mac_rule(fw, b->vnic, false);
	return SNIC_OK;
}

uint16_t fw_tx_ring_owner(struct fw *fw, uint16_t ring)
{
	return ring < FW_MAX_RINGS ? fw->tx_owner[ring] : SNIC_VNIC_NONE;
}

uint16_t fw_rx_ring_owner(struct fw *fw, uint16_t ring)
{
	return ring < FW_MAX_RINGS ? fw->rx_owner[ring] : SNIC_VNIC_NONE;
}

void fw_ring_set_owner(struct fw *fw, bool tx, uint16_t ring, uint16_t vnic)
{
	if (ring == FW_SHARED_RING || ring >= FW_MAX_RINGS)
		return;
	if (tx) {
		fw->tx_owner[ring] = vnic;
		if (vnic == SNIC_VNIC_NONE)
			fw_tx_discard(fw, ring);
		publish_tx(fw, ring);
	} else {
		fw->rx_owner[ring] = vnic;
		publish_rx(fw, ring);
	}
}
