/* SPDX-License-Identifier: MIT */
/*
 * VNIC MACs per uplink domain (include/snic/l2.h, docs/l2.md).
 *
 * A VNIC's unicast domain is the set of uplinks its frames may arrive on:
 * its uplink, or every member of its bond (members are fixed while a VNIC
 * uses the bond, team.c; a bonded uplink carries no unbonded VNIC). Two
 * VNICs on the same port VLAN may have the same MAC when their domains do
 * not meet: Linux bonding in balance-rr and 802.3ad mode gives every
 * slave the bond's MAC, and the slaves are VNICs on different uplinks.
 * Not two VNICs that both send on the shared TRR, though: that ring tells
 * its senders apart by source MAC and VLAN (tx.c).
 *
 * A frame to such a MAC goes to the sharer whose domain holds the ingress
 * port (steer.c asks fw_vnic_mac_owner on its full path). On a profile
 * with an exact-match table there is one entry per (MAC, VLAN) key: the
 * sharers use the same entry, which names one of them; when that one
 * leaves the key (destroyed, new MAC) the entry is rewritten in place for
 * a remaining sharer, so their frames keep flowing, or deleted when none
 * is left: no entry ever names a VNIC that does not have its key.
 */
#include "fw_internal.h"
#include "exact_table.h"
#include "team.h"

static bool same_key(const struct fw_vnic *v, const uint8_t mac[6], uint16_t vlan)
{
	return v->used && v->vlan == vlan && !fw_memcmp(v->mac, mac, 6);
}

bool fw_vnic_mac_taken(struct fw *fw, const uint8_t mac[6], uint16_t vlan, uint8_t uplink)
{
	const uint8_t ports = team_ports(fw, uplink);

	for (unsigned i = 0; i < fw->hw.max_vnics; i++) {
		const struct fw_vnic *v = &fw->vnic[i];
		if (same_key(v, mac, vlan) && (team_ports(fw, v->uplink) & ports))
			return true;
	}
	return false;
}

bool fw_vnic_mac_shared_tx(struct fw *fw, const uint8_t mac[6], uint16_t vlan, uint16_t except)
{
	for (uint16_t i = 0; i < fw->hw.max_vnics; i++) {
		const struct fw_vnic *v = &fw->vnic[i];
		if (i != except && v->used && fw_vnic_host_vlan(v) == vlan && !fw_memcmp(v->mac, mac, 6) &&
		    v->tx_ring == FW_SHARED_RING)
			return true;
	}
	return false;
}

uint16_t fw_vnic_mac_owner(struct fw *fw, uint16_t id, uint8_t port)
{
	const struct fw_vnic *v = &fw->vnic[id];
	const uint8_t bit = (uint8_t)(1u << port);

	if (team_ports(fw, v->uplink) & bit)
		return id;
	for (uint16_t i = 0; i < fw->hw.max_vnics; i++) {
		const struct fw_vnic *o = &fw->vnic[i];
		if (i != id && same_key(o, v->mac, v->vlan) && (team_ports(fw, o->uplink) & bit))
			return i;
	}
	return SNIC_VNIC_NONE;
}

/* Another VNIC than id with `mac` on id's port VLAN, or SNIC_VNIC_NONE. */
static uint16_t other_sharer(struct fw *fw, uint16_t id, const uint8_t mac[6])
{
	for (uint16_t i = 0; i < fw->hw.max_vnics; i++)
		if (i != id && same_key(&fw->vnic[i], mac, fw->vnic[id].vlan))
			return i;
	return SNIC_VNIC_NONE;
}

int fw_vnic_exact_join(struct fw *fw, uint16_t id, const uint8_t mac[6])
{
	struct snic_rule r;

	fw_vnic_mac_rule(fw, id, &r);
	int st = fw_exact_insert(fw, fw_exact_mac_key(mac, fw->vnic[id].vlan), &r.action, NULL);
	/* Present: a sharer's entry, which steers id's frames too. */
	return st == SNIC_E_EXIST ? SNIC_OK : st;
}

/* Does the exact entry of (mac, id's VLAN) name id? */
static bool names(struct fw *fw, uint16_t id, const uint8_t mac[6], uint64_t *key)
{
	struct snic_action a;

	*key = fw_exact_mac_key(mac, fw->vnic[id].vlan);
	return fw_exact_find(fw, *key, NULL, &a) && a.vnic == id;
}

void fw_vnic_exact_leave(struct fw *fw, uint16_t id, const uint8_t mac[6])
{
	struct snic_rule r;
	uint64_t key;

	if (!names(fw, id, mac, &key))
		return; /* a sharer's entry: it stays theirs */
	uint16_t s = other_sharer(fw, id, mac);
	/* One slot write: the sharer's frames are never missed. An update
	 * cannot run out of action slots here (each VNIC's MAC action is its
	 * own); should it, the entry goes rather than name a VNIC that left. */
	if (s != SNIC_VNIC_NONE && fw_vnic_mac_rule(fw, s, &r) &&
	    fw_exact_update(fw, key, &r.action) == SNIC_OK)
		return;
	fw_exact_delete(fw, key);
}

void fw_vnic_exact_refresh(struct fw *fw, uint16_t id)
{
	struct snic_rule r;
	uint64_t key;

	if (names(fw, id, fw->vnic[id].mac, &key) && fw_vnic_mac_rule(fw, id, &r))
		fw_exact_update(fw, key, &r.action);
}
