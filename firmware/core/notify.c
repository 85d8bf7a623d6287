/* SPDX-License-Identifier: MIT */
/*
 * Notify switches: after a VNIC moves to another uplink, announce its MAC
 * there so the switch learns the new port at once instead of sending the
 * VNIC's traffic into the old one until its MAC entry ages out.
 *
 * Per announcement: one RARP (EtherType 0x8035, "request reverse", sender
 * and target hardware address = the VNIC MAC, as hypervisors do) and/or
 * one gratuitous ARP request per VNIC IPv4 address, broadcast, tagged with
 * the VNIC's VLAN. Repeated notify_count times, notify_gap_us apart. A VNIC
 * that moves again replaces its pending announcement.
 */
#include "team.h"

#define NOTIFY_LEN 60u


void notify_reset(struct fw *fw)
{
	fw->team.n_notify = 0;
}

static void remove_at(struct fw *fw, unsigned i)
{
	fw->team.notify[i] = fw->team.notify[--fw->team.n_notify];
}

void notify_drop_bond(struct fw *fw, uint8_t b)
{
	for (unsigned i = 0; i < fw->team.n_notify;)
		if (fw->team.notify[i].bond == b)
			remove_at(fw, i);
		else
			i++;
}

void notify_queue(struct fw *fw, uint8_t b, uint16_t v, uint8_t u, uint64_t now)
{
	const struct fw_bond *bd = &fw->team.bond[b];
	if (!bd->cfg.notify || v >= FW_MAX_VNICS)
		return;
	unsigned i;
	for (i = 0; i < fw->team.n_notify && fw->team.notify[i].vnic != v; i++)
		;
	if (i == fw->team.n_notify) {
		if (fw->team.n_notify == FW_MAX_VNICS)
			return; /* cannot happen: one entry per VNIC */
		fw->team.n_notify++;
	}
	fw->team.notify[i].vnic = v;
	fw->team.notify[i].bond = b;
	fw->team.notify[i].uplink = u;
	fw->team.notify[i].left = bd->cfg.notify_count;
	fw->team.notify[i].at = now;
	fw->team.dirty = true;
}

uint64_t notify_next(struct fw *fw)
{
	uint64_t t = TEAM_NO_TIME;
	for (unsigned i = 0; i < fw->team.n_notify; i++)
		if (fw->team.notify[i].at < t)
			t = fw->team.notify[i].at;
	return t;
}

/* Broadcast header with the VNIC's MAC and VLAN; returns the L3 offset. */
static uint32_t header(uint8_t *f, const struct fw_vnic *v, uint16_t type)
{
	fw_memset(f, 0, NOTIFY_LEN);
	fw_memset(f, 0xff, 6);
	fw_memcpy(f + 6, v->mac, 6);
	uint32_t l3 = 14;
	if (v->vlan != SNIC_VLAN_NONE) {
		f[12] = 0x81;
		f[13] = 0x00;
		f[14] = (uint8_t)((v->vlan >> 8) & 0x0f);
		f[15] = (uint8_t)v->vlan;
		l3 = 18;
	}
	f[l3 - 2] = (uint8_t)(type >> 8);
	f[l3 - 1] = (uint8_t)type;
	return l3;
}

/* ARP/RARP body: Ethernet/IPv4, the given opcode and addresses. */
static void arp_body(uint8_t *a, uint16_t op, const uint8_t *sha, const uint8_t *spa,
		     const uint8_t *tha, const uint8_t *tpa)
{
	static const uint8_t zero[6];
	a[0] = 0; a[1] = 1;         /* Ethernet */
	a[2] = 0x08; a[3] = 0x00;   /* IPv4 */
	a[4] = 6; a[5] = 4;
	a[6] = (uint8_t)(op >> 8);
	a[7] = (uint8_t)op;
	fw_memcpy(a + 8, sha, 6);
	fw_memcpy(a + 14, spa ? spa : zero, 4);
	fw_memcpy(a + 18, tha ? tha : zero, 6);
	fw_memcpy(a + 24, tpa ? tpa : zero, 4);
}

/* One announcement for one VNIC; false if the uplink had no room. */
static bool announce(struct fw *fw, const struct notify_ent *e, unsigned *sent, uint64_t now)
{
	const struct fw_vnic *v = &fw->vnic[e->vnic];
	uint8_t flags = fw->team.bond[e->bond].cfg.notify;
	uint8_t f[NOTIFY_LEN];

	if (flags & SNIC_TEAM_NOTIFY_RARP) {
		uint32_t l3 = header(f, v, 0x8035);
		arp_body(f + l3, 3, v->mac, NULL, v->mac, NULL);
		if (!team_xmit(fw, e->uplink, f, NOTIFY_LEN, now))
			return false;
		(*sent)++;
	}
	if (flags & SNIC_TEAM_NOTIFY_GARP) {
		for (unsigned i = 0; i < v->n_ip; i++) {
			uint32_t l3 = header(f, v, 0x0806);
			arp_body(f + l3, 1, v->mac, v->ip[i], NULL, v->ip[i]);
			if (!team_xmit(fw, e->uplink, f, NOTIFY_LEN, now))
				return false;
			(*sent)++;
		}
	}
	return true;
}

unsigned notify_poll(struct fw *fw, uint64_t now)
{
	unsigned sent = 0;

	for (unsigned i = 0; i < fw->team.n_notify;) {
		struct notify_ent *e = &fw->team.notify[i];
		struct fw_bond *bd = &fw->team.bond[e->bond];
		const struct fw_vnic *v = &fw->vnic[e->vnic];
		/* The VNIC or its uplink may be gone since it was queued. */
		if (!bd->used || !v->used || v->uplink != (SNIC_UPLINK_BOND | e->bond) ||
		    !((bd->live_mask >> e->uplink) & 1)) {
			remove_at(fw, i);
			continue;
		}
		if (e->at > now) {
			i++;
			continue;
		}
		unsigned n = 0;
		bool ok = announce(fw, e, &n, now);
		sent += n;
		bd->notify_sent += n;
		if (!ok) {
			i++; /* no room on the uplink: again next poll */
			continue;
		}
		if (--e->left == 0) {
			remove_at(fw, i);
			continue;
		}
		e->at = now + (uint64_t)bd->cfg.notify_gap_us * 1000u;
		i++;
	}
	return sent;
}
