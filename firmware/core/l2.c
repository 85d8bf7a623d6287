/* SPDX-License-Identifier: MIT */
/*
 * A VNIC's layer-2 state (include/snic/l2.h, docs/l2.md): receive mode,
 * multicast list, VLAN membership, MAC and the operator's policy.
 *
 * RAM is what limits this firmware, so the lists are not arrays per VNIC:
 * every VNIC's multicast groups and VLANs are entries of two device-wide
 * pools (FW_L2_MC_POOL, FW_L2_VLAN_POOL), an entry naming its VNIC. The
 * per-VNIC scalars (mode, policy, entry counts) live in struct fw_vnic.
 * A command replaces a whole list: its entries take the lowest free pool
 * slots in the order given, so a query returns them in that order.
 *
 * Every command is checked completely before anything changes: a refused
 * command leaves the VNIC, the pools and the classifier as they were.
 */
#include "fw_internal.h"

struct l2_pool {
	struct l2_ent *ent;
	unsigned       size;
	unsigned       key_len;
};

/* The instance's two pools (keys: group MACs, VIDs). */
#define MC_POOL(fw)   (&(const struct l2_pool){ (fw)->l2.mc, FW_L2_MC_POOL, 6 })
#define VLAN_POOL(fw) (&(const struct l2_pool){ (fw)->l2.vlan, FW_L2_VLAN_POOL, 2 })

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* VNIC id's entries go back to the pool. */
static void pool_free(const struct l2_pool *p, uint16_t id)
{
	for (unsigned i = 0; i < p->size; i++)
		if (p->ent[i].vnic == id)
			p->ent[i].vnic = SNIC_VNIC_NONE;
}

/* Free entries, counting those VNIC id holds now (a command replaces them). */
static unsigned pool_room(const struct l2_pool *p, uint16_t id)
{
	unsigned n = 0;
	for (unsigned i = 0; i < p->size; i++)
		n += p->ent[i].vnic == SNIC_VNIC_NONE || p->ent[i].vnic == id;
	return n;
}

/* VNIC id's list becomes keys[0..n-1]: the lowest free entries, in order.
 * The caller checked the room. */
static void pool_set(const struct l2_pool *p, uint16_t id, const uint8_t *keys, unsigned n)
{
	unsigned k = 0;
	pool_free(p, id);
	for (unsigned i = 0; i < p->size && k < n; i++) {
		if (p->ent[i].vnic != SNIC_VNIC_NONE)
			continue;
		fw_memset(p->ent[i].key, 0, sizeof(p->ent[i].key));
		fw_memcpy(p->ent[i].key, keys + k++ * p->key_len, p->key_len);
		p->ent[i].vnic = id;
	}
}

/* VNIC id's keys in order into out; returns how many. */
static unsigned pool_list(const struct l2_pool *p, uint16_t id, uint8_t *out, unsigned max)
{
	unsigned n = 0;
	for (unsigned i = 0; i < p->size && n < max; i++)
		if (p->ent[i].vnic == id)
			fw_memcpy(out + n++ * p->key_len, p->ent[i].key, p->key_len);
	return n;
}

static bool key_eq(const struct l2_pool *p, const struct l2_ent *e, const void *key)
{
	return !fw_memcmp(e->key, key, p->key_len);
}

/* Bit v of set: VNIC v lists key. One pass over the pool. */
static void pool_mark(const struct l2_pool *p, const void *key, uint32_t *set)
{
	for (unsigned i = 0; i < p->size; i++) {
		uint16_t v = p->ent[i].vnic;
		if (v < FW_MAX_VNICS && key_eq(p, &p->ent[i], key))
			set[v / 32] |= 1u << (v % 32);
	}
}

void fw_l2_reset_all(struct fw *fw)
{
	fw_memset(fw->l2.mc, 0, sizeof(fw->l2.mc));
	fw_memset(fw->l2.vlan, 0, sizeof(fw->l2.vlan));
	for (unsigned i = 0; i < FW_L2_MC_POOL; i++)
		fw->l2.mc[i].vnic = SNIC_VNIC_NONE;
	for (unsigned i = 0; i < FW_L2_VLAN_POOL; i++)
		fw->l2.vlan[i].vnic = SNIC_VNIC_NONE;
}

void fw_l2_vnic_gone(struct fw *fw, uint16_t id)
{
	pool_free(MC_POOL(fw), id);
	pool_free(VLAN_POOL(fw), id);
	fw->vnic[id].n_mc = 0;
	fw->vnic[id].n_vlans = 0;
}

/* A group address: the group bit set, not broadcast. */
static bool mc_ok(const uint8_t *mac)
{
	return (mac[0] & 1) && fw_memcmp(mac, bcast, 6) != 0;
}

static int check_rxmode(struct fw *fw, const struct snic_vnic_rxmode *c)
{
	if (c->rsvd || (c->flags & ~(SNIC_RXMODE_ALLMULTI | SNIC_RXMODE_PROMISC)))
		return SNIC_E_INVAL;
	if (c->n_mc > SNIC_L2_MC_PER_VNIC)
		return SNIC_E_RANGE;
	for (unsigned i = 0; i < SNIC_L2_MC_PER_VNIC; i++) {
		if (i >= c->n_mc) {
			if (!fw_is_zero(c->mc[i], 6))
				return SNIC_E_INVAL;
			continue;
		}
		if (!mc_ok(c->mc[i]))
			return SNIC_E_INVAL;
		for (unsigned j = 0; j < i; j++)
			if (!fw_memcmp(c->mc[i], c->mc[j], 6))
				return SNIC_E_INVAL;
	}
	if (!fw_vnic_exists(fw, c->vnic))
		return SNIC_E_NOENT;
	if ((c->flags & SNIC_RXMODE_PROMISC) && !(fw->vnic[c->vnic].policy & SNIC_VPOL_TRUSTED))
		return SNIC_E_PERM;
	if (c->n_mc > pool_room(MC_POOL(fw), c->vnic))
		return SNIC_E_NOSPC;
	return SNIC_OK;
}

int fw_l2_rxmode(struct fw *fw, const struct snic_vnic_rxmode *c)
{
	int st = check_rxmode(fw, c);
	if (st != SNIC_OK)
		return st;
	pool_set(MC_POOL(fw), c->vnic, &c->mc[0][0], c->n_mc);
	fw->vnic[c->vnic].n_mc = c->n_mc;
	fw->vnic[c->vnic].rxmode = c->flags;
	return SNIC_OK;
}

static int check_vlans(struct fw *fw, const struct snic_vnic_vlans *c)
{
	if (c->rsvd)
		return SNIC_E_INVAL;
	if (c->n > SNIC_L2_VLANS_PER_VNIC)
		return SNIC_E_RANGE;
	for (unsigned i = 0; i < SNIC_L2_VLANS_PER_VNIC; i++) {
		if (i >= c->n) {
			if (c->vid[i])
				return SNIC_E_INVAL;
			continue;
		}
		if (c->vid[i] < 1 || c->vid[i] > 4094)
			return SNIC_E_RANGE;
		for (unsigned j = 0; j < i; j++)
			if (c->vid[i] == c->vid[j])
				return SNIC_E_INVAL;
	}
	if (!fw_vnic_exists(fw, c->vnic))
		return SNIC_E_NOENT;
	/* Behind an operator port VLAN the VM sees one VLAN only. */
	if (c->n && fw_vnic_tags(&fw->vnic[c->vnic]))
		return SNIC_E_BUSY;
	if (c->n > pool_room(VLAN_POOL(fw), c->vnic))
		return SNIC_E_NOSPC;
	return SNIC_OK;
}

int fw_l2_vlans(struct fw *fw, const struct snic_vnic_vlans *c)
{
	int st = check_vlans(fw, c);
	if (st != SNIC_OK)
		return st;
	pool_set(VLAN_POOL(fw), c->vnic, (const uint8_t *)c->vid, c->n);
	fw->vnic[c->vnic].n_vlans = (uint8_t)c->n;
	return SNIC_OK;
}

int fw_l2_mac(struct fw *fw, const struct snic_vnic_mac *c)
{
	if (c->rsvd || (c->flags & ~SNIC_VMACF_OPERATOR))
		return SNIC_E_INVAL;
	if ((c->mac[0] & 1) || fw_is_zero(c->mac, 6))
		return SNIC_E_INVAL;
	if (!fw_vnic_exists(fw, c->vnic))
		return SNIC_E_NOENT;
	const struct fw_vnic *v = &fw->vnic[c->vnic];
	if ((v->policy & SNIC_VPOL_MAC_LOCKED) && !(c->flags & SNIC_VMACF_OPERATOR))
		return SNIC_E_PERM;
	if (!fw_memcmp(v->mac, c->mac, 6))
		return SNIC_OK;
	/* Unique per (uplink domain, port VLAN), as at VNIC_CREATE. */
	if (fw_vnic_mac_taken(fw, c->mac, v->vlan, v->uplink))
		return SNIC_E_EXIST;
	if (v->tx_ring == FW_SHARED_RING &&
	    fw_vnic_mac_shared_tx(fw, c->mac, fw_vnic_host_vlan(v), c->vnic))
		return SNIC_E_EXIST; /* the shared TRR could not tell them apart */
	return fw_vnic_set_mac(fw, c->vnic, c->mac);
}

int fw_l2_policy(struct fw *fw, const struct snic_vnic_policy *c)
{
	if (c->rsvd || (c->flags & ~SNIC_VPOL_ALL))
		return SNIC_E_INVAL;
	if (!fw_vnic_exists(fw, c->vnic))
		return SNIC_E_NOENT;
	struct fw_vnic *v = &fw->vnic[c->vnic];
	v->policy = (uint8_t)(c->flags | (v->policy & (FW_VPOL_PORT_VLAN | FW_VPOL_PCP_MASK)));
	/* Without trust, promiscuous mode ends now (the host asks again). */
	if (!(v->policy & SNIC_VPOL_TRUSTED))
		v->rxmode &= (uint8_t)~SNIC_RXMODE_PROMISC;
	return SNIC_OK;
}

static int check_port_vlan(struct fw *fw, const struct snic_vnic_port_vlan *c)
{
	if (c->rsvd || c->flags || c->pcp > 7)
		return SNIC_E_INVAL;
	if (c->vid == SNIC_VLAN_NONE ? c->pcp != 0 : (c->vid < 1 || c->vid > 4094))
		return SNIC_E_RANGE;
	if (!fw_vnic_exists(fw, c->vnic))
		return SNIC_E_NOENT;
	const struct fw_vnic *v = &fw->vnic[c->vnic];
	/* A VLAN the VM tags itself, or member VLANs: not behind a port VLAN. */
	if ((!fw_vnic_tags(v) && v->vlan != SNIC_VLAN_NONE) || v->n_vlans)
		return SNIC_E_BUSY;
	if (c->vid == v->vlan)
		return SNIC_OK; /* only the PCP changes */
	if (fw_vnic_mac_taken(fw, v->mac, c->vid, v->uplink))
		return SNIC_E_EXIST;
	/* Its frames stay untagged on the host side, so the shared TRR still
	 * tells it apart from its MAC's other senders. */
	return SNIC_OK;
}

int fw_l2_port_vlan(struct fw *fw, const struct snic_vnic_port_vlan *c)
{
	int st = check_port_vlan(fw, c);
	if (st != SNIC_OK)
		return st;
	struct fw_vnic *v = &fw->vnic[c->vnic];
	if (c->vid != v->vlan && (st = fw_vnic_set_vlan(fw, c->vnic, c->vid)) != SNIC_OK)
		return st;
	v->policy &= (uint8_t)~(FW_VPOL_PORT_VLAN | FW_VPOL_PCP_MASK);
	if (c->vid != SNIC_VLAN_NONE)
		v->policy |= (uint8_t)(FW_VPOL_PORT_VLAN | c->pcp << FW_VPOL_PCP_SHIFT);
	return SNIC_OK;
}

int fw_l2_query(struct fw *fw, const struct snic_vnic_ref *r, struct snic_vnic_l2 *out)
{
	if (r->rsvd)
		return SNIC_E_INVAL;
	if (!fw_vnic_exists(fw, r->vnic))
		return SNIC_E_NOENT;
	const struct fw_vnic *v = &fw->vnic[r->vnic];
	fw_memset(out, 0, sizeof(*out));
	out->vnic = r->vnic;
	out->rxmode = v->rxmode;
	out->policy = v->policy & SNIC_VPOL_ALL;
	if (fw_vnic_tags(v))
		out->policy |= (uint16_t)(SNIC_L2Q_PORT_VLAN |
			((v->policy & FW_VPOL_PCP_MASK) >> FW_VPOL_PCP_SHIFT) << SNIC_L2Q_PCP_SHIFT);
	out->port_vlan = v->vlan;
	fw_memcpy(out->mac, v->mac, 6);
	out->n_mc = (uint8_t)pool_list(MC_POOL(fw), r->vnic, &out->mc[0][0], SNIC_L2_MC_PER_VNIC);
	out->n_vlans = (uint16_t)pool_list(VLAN_POOL(fw), r->vnic, (uint8_t *)out->vid,
					   SNIC_L2_VLANS_PER_VNIC);
	return SNIC_OK;
}

bool fw_l2_vlan_member(struct fw *fw, uint16_t id, uint16_t vid)
{
	if (!fw->vnic[id].n_vlans)
		return false;
	for (unsigned i = 0; i < FW_L2_VLAN_POOL; i++)
		if (fw->l2.vlan[i].vnic == id && key_eq(VLAN_POOL(fw), &fw->l2.vlan[i], &vid))
			return true;
	return false;
}

void fw_l2_vlan_members(struct fw *fw, uint16_t vid, uint32_t *set)
{
	pool_mark(VLAN_POOL(fw), &vid, set);
}

void fw_l2_mc_joiners(struct fw *fw, const uint8_t mac[6], uint32_t *set)
{
	pool_mark(MC_POOL(fw), mac, set);
}
