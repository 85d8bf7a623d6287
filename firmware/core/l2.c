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

struct l2_mc {
	uint8_t  mac[6];
	uint16_t vnic;  /* SNIC_VNIC_NONE: free */
};

struct l2_vlan {
	uint16_t vnic;  /* SNIC_VNIC_NONE: free */
	uint16_t vid;
};

static struct l2_mc   mc_pool[FW_L2_MC_POOL];
static struct l2_vlan vlan_pool[FW_L2_VLAN_POOL];

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

void fw_l2_reset_all(void)
{
	for (unsigned i = 0; i < FW_L2_MC_POOL; i++) {
		fw_memset(mc_pool[i].mac, 0, 6);
		mc_pool[i].vnic = SNIC_VNIC_NONE;
	}
	for (unsigned i = 0; i < FW_L2_VLAN_POOL; i++) {
		vlan_pool[i].vnic = SNIC_VNIC_NONE;
		vlan_pool[i].vid = 0;
	}
}

static void free_mc(uint16_t id)
{
	for (unsigned i = 0; i < FW_L2_MC_POOL; i++)
		if (mc_pool[i].vnic == id)
			mc_pool[i].vnic = SNIC_VNIC_NONE;
	fw.vnic[id].n_mc = 0;
}

static void free_vlans(uint16_t id)
{
	for (unsigned i = 0; i < FW_L2_VLAN_POOL; i++)
		if (vlan_pool[i].vnic == id)
			vlan_pool[i].vnic = SNIC_VNIC_NONE;
	fw.vnic[id].n_vlans = 0;
}

void fw_l2_vnic_gone(uint16_t id)
{
	free_mc(id);
	free_vlans(id);
}

/* Free entries of a pool, counting those VNIC id holds now (a command
 * replaces them). */
static unsigned mc_room(uint16_t id)
{
	unsigned n = 0;
	for (unsigned i = 0; i < FW_L2_MC_POOL; i++)
		n += mc_pool[i].vnic == SNIC_VNIC_NONE || mc_pool[i].vnic == id;
	return n;
}

static unsigned vlan_room(uint16_t id)
{
	unsigned n = 0;
	for (unsigned i = 0; i < FW_L2_VLAN_POOL; i++)
		n += vlan_pool[i].vnic == SNIC_VNIC_NONE || vlan_pool[i].vnic == id;
	return n;
}

/* A group address: the group bit set, not broadcast. */
static bool mc_ok(const uint8_t *mac)
{
	return (mac[0] & 1) && fw_memcmp(mac, bcast, 6) != 0;
}

static int check_rxmode(const struct snic_vnic_rxmode *c)
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
	if (!fw_vnic_exists(c->vnic))
		return SNIC_E_NOENT;
	if ((c->flags & SNIC_RXMODE_PROMISC) && !(fw.vnic[c->vnic].policy & SNIC_VPOL_TRUSTED))
		return SNIC_E_PERM;
	if (c->n_mc > mc_room(c->vnic))
		return SNIC_E_NOSPC;
	return SNIC_OK;
}

int fw_l2_rxmode(const struct snic_vnic_rxmode *c)
{
	int st = check_rxmode(c);
	if (st != SNIC_OK)
		return st;
	free_mc(c->vnic);
	unsigned k = 0;
	for (unsigned i = 0; i < FW_L2_MC_POOL && k < c->n_mc; i++) {
		if (mc_pool[i].vnic != SNIC_VNIC_NONE)
			continue;
		fw_memcpy(mc_pool[i].mac, c->mc[k++], 6);
		mc_pool[i].vnic = c->vnic;
	}
	fw.vnic[c->vnic].n_mc = c->n_mc;
	fw.vnic[c->vnic].rxmode = c->flags;
	return SNIC_OK;
}

static int check_vlans(const struct snic_vnic_vlans *c)
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
	if (!fw_vnic_exists(c->vnic))
		return SNIC_E_NOENT;
	if (c->n > vlan_room(c->vnic))
		return SNIC_E_NOSPC;
	return SNIC_OK;
}

int fw_l2_vlans(const struct snic_vnic_vlans *c)
{
	int st = check_vlans(c);
	if (st != SNIC_OK)
		return st;
	free_vlans(c->vnic);
	unsigned k = 0;
	for (unsigned i = 0; i < FW_L2_VLAN_POOL && k < c->n; i++) {
		if (vlan_pool[i].vnic != SNIC_VNIC_NONE)
			continue;
		vlan_pool[i].vid = c->vid[k++];
		vlan_pool[i].vnic = c->vnic;
	}
	fw.vnic[c->vnic].n_vlans = (uint8_t)c->n;
	return SNIC_OK;
}

int fw_l2_mac(const struct snic_vnic_mac *c)
{
	if (c->rsvd || (c->flags & ~SNIC_VMACF_OPERATOR))
		return SNIC_E_INVAL;
	if ((c->mac[0] & 1) || fw_is_zero(c->mac, 6))
		return SNIC_E_INVAL;
	if (!fw_vnic_exists(c->vnic))
		return SNIC_E_NOENT;
	const struct fw_vnic *v = &fw.vnic[c->vnic];
	if ((v->policy & SNIC_VPOL_MAC_LOCKED) && !(c->flags & SNIC_VMACF_OPERATOR))
		return SNIC_E_PERM;
	if (!fw_memcmp(v->mac, c->mac, 6))
		return SNIC_OK;
	/* Unique among the VNICs of its port VLAN, as at VNIC_CREATE. */
	for (unsigned i = 0; i < fw.hw.max_vnics; i++) {
		const struct fw_vnic *o = &fw.vnic[i];
		if (o->used && o->vlan == v->vlan && !fw_memcmp(o->mac, c->mac, 6))
			return SNIC_E_EXIST;
	}
	return fw_vnic_set_mac(c->vnic, c->mac);
}

int fw_l2_policy(const struct snic_vnic_policy *c)
{
	if (c->rsvd || (c->flags & ~SNIC_VPOL_ALL))
		return SNIC_E_INVAL;
	if (!fw_vnic_exists(c->vnic))
		return SNIC_E_NOENT;
	struct fw_vnic *v = &fw.vnic[c->vnic];
	v->policy = (uint8_t)c->flags;
	/* Without trust, promiscuous mode ends now (the host asks again). */
	if (!(v->policy & SNIC_VPOL_TRUSTED))
		v->rxmode &= (uint8_t)~SNIC_RXMODE_PROMISC;
	return SNIC_OK;
}

int fw_l2_query(const struct snic_vnic_ref *r, struct snic_vnic_l2 *out)
{
	if (r->rsvd)
		return SNIC_E_INVAL;
	if (!fw_vnic_exists(r->vnic))
		return SNIC_E_NOENT;
	const struct fw_vnic *v = &fw.vnic[r->vnic];
	fw_memset(out, 0, sizeof(*out));
	out->vnic = r->vnic;
	out->rxmode = v->rxmode;
	out->policy = v->policy;
	out->port_vlan = v->vlan;
	fw_memcpy(out->mac, v->mac, 6);
	for (unsigned i = 0; i < FW_L2_MC_POOL && out->n_mc < v->n_mc; i++)
		if (mc_pool[i].vnic == r->vnic)
			fw_memcpy(out->mc[out->n_mc++], mc_pool[i].mac, 6);
	for (unsigned i = 0; i < FW_L2_VLAN_POOL && out->n_vlans < v->n_vlans; i++)
		if (vlan_pool[i].vnic == r->vnic)
			out->vid[out->n_vlans++] = vlan_pool[i].vid;
	return SNIC_OK;
}

bool fw_l2_vlan_member(uint16_t id, uint16_t vid)
{
	if (!fw.vnic[id].n_vlans)
		return false;
	for (unsigned i = 0; i < FW_L2_VLAN_POOL; i++)
		if (vlan_pool[i].vnic == id && vlan_pool[i].vid == vid)
			return true;
	return false;
}

/* One pass over a pool marks every VNIC that listed the VID / group, so
 * group delivery asks per VNIC with one bit test. */
void fw_l2_vlan_members(uint16_t vid, uint32_t *set)
{
	for (unsigned i = 0; i < FW_L2_VLAN_POOL; i++) {
		uint16_t v = vlan_pool[i].vnic;
		if (v < FW_MAX_VNICS && vlan_pool[i].vid == vid)
			set[v / 32] |= 1u << (v % 32);
	}
}

void fw_l2_mc_joiners(const uint8_t mac[6], uint32_t *set)
{
	for (unsigned i = 0; i < FW_L2_MC_POOL; i++) {
		uint16_t v = mc_pool[i].vnic;
		if (v < FW_MAX_VNICS && !fw_memcmp(mc_pool[i].mac, mac, 6))
			set[v / 32] |= 1u << (v % 32);
	}
}
