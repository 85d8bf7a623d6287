/* SPDX-License-Identifier: MIT */
/*
 * Transmit: drain each TX ring in order onto its VNIC's uplink.
 *
 * A dedicated TRR sends for its one VNIC; the shared TRR 0 sends for the
 * software-ring VNICs, each frame attributed by its source MAC (and VLAN).
 * Every frame is copied into firmware memory before it is checked, so the
 * host cannot change it between the anti-spoof check and the wire.
 */
#include "fw_internal.h"
#include "team.h"

#define ETH_P_IPV4  0x0800
#define ETH_P_ARP   0x0806
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88a8

static uint32_t desc_cons[FW_MAX_RINGS];

void fw_tx_init(void)
{
	for (unsigned r = 0; r < FW_MAX_RINGS; r++)
		desc_cons[r] = 0;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static bool has_ip(const struct fw_vnic *v, const uint8_t *ip)
{
	for (unsigned i = 0; i < v->n_ip; i++)
		if (!fw_memcmp(v->ip[i], ip, 4))
			return true;
	return false;
}

/* VLAN id of a frame with at most one tag; -1 untagged, -2 stacked tags. */
static int frame_vlan(const uint8_t *f, uint32_t len, uint32_t *l3, uint16_t *type)
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
		return -2; /* a VM has no business stacking tags */
	return be16(f + 14) & 0x0fff;
}

/* 1 when frame f (len >= 14) may be sent by VNIC v. */
static bool frame_is_own(const struct fw_vnic *v, const uint8_t *f, uint32_t len)
{
	uint32_t l3;
	uint16_t type;

	if (fw_memcmp(f + 6, v->mac, 6))
		return false;
	int vid = frame_vlan(f, len, &l3, &type);
	if (vid == -2)
		return false;
	if (v->vlan == SNIC_VLAN_NONE ? vid != -1 : vid != (int)v->vlan)
		return false;
	if (!v->n_ip)
		return true;
	if (type == ETH_P_IPV4) {
		/* The source address must be readable to be checked. */
		if (len < l3 + 20 || (f[l3] >> 4) != 4)
			return false;
		return has_ip(v, f + l3 + 12);
	}
	if (type == ETH_P_ARP) {
		static const uint8_t zero[4];
		if (len < l3 + 28)
			return false;
		if (fw_memcmp(f + l3 + 8, v->mac, 6))
			return false;
		/* Sender 0.0.0.0 is an address probe (RFC 5227). */
		return has_ip(v, f + l3 + 14) || !fw_memcmp(f + l3 + 14, zero, 4);
	}
	return true;
}

/* The VNIC on the shared TRR whose MAC and VLAN the frame carries. */
static int shared_sender(const uint8_t *f, uint32_t len)
{
	uint32_t l3;
	uint16_t type;
	int vid = frame_vlan(f, len, &l3, &type);

	for (unsigned i = 0; i < fw.hw.max_vnics; i++) {
		const struct fw_vnic *v = &fw.vnic[i];
		if (!v->used || v->tx_ring != FW_SHARED_RING || fw_memcmp(f + 6, v->mac, 6))
			continue;
		if (v->vlan == SNIC_VLAN_NONE ? vid == -1 : vid == (int)v->vlan)
			return (int)i;
	}
	return -1;
}

enum verdict { TX_SENT, TX_RETRY, TX_DROPPED };

static enum verdict send_one(uint16_t r, struct snic_txq *q, uint16_t owner)
{
	struct snic_blk_stats *s = FW_STATS();
	const struct snic_tx_desc *ring = fw_at(fw.lay.tx_desc[r]);
	struct snic_tx_desc d;

	fw_memcpy(&d, &ring[desc_cons[r] % fw.hw.ring_size], sizeof(d));
	bool bound = r == FW_SHARED_RING || owner != SNIC_VNIC_NONE;
	if (!bound || d.flags || d.rsvd || d.len < FW_MIN_FRAME || d.len > fw.hw.buf_max ||
	    !fw_dma_ok(d.addr, d.len)) {
		q->drop_bad++;
		fw_count_drop(SNIC_DROP_TX_BAD);
		return TX_DROPPED;
	}
	/* A dedicated ring's shaper is known before the frame is copied. */
	if (r != FW_SHARED_RING && fw_shaper_blocks(owner, d.len))
		return TX_RETRY;
	uint8_t *f = fw.frame;
	fw_memcpy(f, fw_at((uint32_t)d.addr), d.len);

	int id = r == FW_SHARED_RING ? shared_sender(f, d.len) : owner;
	if (id < 0 || !frame_is_own(&fw.vnic[id], f, d.len)) {
		q->drop_spoof++;
		fw_count_drop(SNIC_DROP_TX_SPOOF);
		return TX_DROPPED;
	}
	uint8_t up = fw.vnic[id].uplink;
	if (team_bond_of(up) == TEAM_NONE && !fw.port_up[up]) {
		fw_count_drop(SNIC_DROP_PORT_DOWN);
		return TX_DROPPED;
	}
	/* The frame waits for its tokens; on the shared TRR it holds the ring. */
	if (fw_shaper_blocks((uint16_t)id, d.len))
		return TX_RETRY;
	/* The uplink, or the bond member chosen by the team policy (team_tx.c). */
	int port = fw_team_send((uint16_t)id, f, d.len);
	if (port == TEAM_TX_DOWN) {
		fw_count_drop(SNIC_DROP_PORT_DOWN);
		return TX_DROPPED;
	}
	if (port < 0)
		return TX_RETRY;
	fw_shaper_sent((uint16_t)id, d.len);
	q->packets++;
	q->bytes += d.len;
	s->port[port].tx_packets++;
	s->port[port].tx_bytes += d.len;
	return TX_SENT;
}

unsigned fw_tx_poll(void)
{
	unsigned work = 0;

	for (uint16_t r = 0; r < fw.hw.n_tx_rings; r++) {
		struct snic_txq *q = FW_TXQ(r);
		uint32_t queued = fw_load_acq(&q->desc_prod) - desc_cons[r];
		uint16_t owner = fw_tx_ring_owner(r);

		/* More than a ring's worth queued is nonsense: wait for sanity. */
		if (queued > fw.hw.ring_size)
			continue;
		for (unsigned n = 0; n < FW_TX_BUDGET && n < queued; n++) {
			if (send_one(r, q, owner) == TX_RETRY)
				break; /* uplink busy: same frame again next poll */
			desc_cons[r]++;
			fw_store_rel(&q->desc_cons, desc_cons[r]);
			work++;
		}
	}
	return work;
}
