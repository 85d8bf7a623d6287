/* SPDX-License-Identifier: MIT */
/*
 * Group delivery (include/snic/l2.h, docs/l2.md): what happens to a frame
 * no classifier entry claimed, before it counts as no_match. Broadcast
 * goes to every VNIC of the frame's L2 domain, multicast to the domain's
 * joiners (multicast list, ALLMULTI, trusted PROMISC), unicast tagged with
 * a member VLAN to the VNIC whose MAC it is, and whatever is left to the
 * domain's trusted promiscuous VNICs. Each copy is a completion of its own
 * on the receiver's RX ring, through the receive queue engine
 * (fw_rx_put), so a full ring or a bad buffer is counted per copy.
 *
 * Domain (P, VID): a VNIC is in it when P is its uplink, or, for a VNIC on
 * a bond, the member it uses now (team.home: the uplink its traffic is
 * announced on, so the switch's flood reaches it there once; for unicast
 * to its own MAC, any member); and the
 * frame's VID is its port VLAN or in its membership list, or the frame is
 * untagged and it has no port VLAN.
 *
 * Cost: this is the miss path only (a rule hit never gets here, a MAC hit
 * only from an uplink outside its VNICs' domains, steer.c).
 * It scans the VNIC table once per frame (twice for a unicast nobody
 * owns), after one pass over each pool; issue #14 makes it constant.
 */
#include "fw_internal.h"
#include "team.h"

#define SET_WORDS (FW_MAX_VNICS / 32)

enum kind { K_UNICAST, K_BCAST, K_MCAST };
/* Who a pass looks for: the owner of a member-VLAN unicast, the rest. */
enum pass { P_GROUP, P_OWNER, P_PROMISC };

/* One unclaimed frame: what the passes need. */
struct grp {
	const struct hal_rx_pkt *p;
	int      vid;                /* -1 untagged */
	enum kind kind;
	uint32_t vset[SET_WORDS];    /* VNICs listing vid */
	uint32_t mset[SET_WORDS];    /* VNICs that joined the group */
	unsigned wanted;             /* receivers found */
	int      verdict;            /* HAL_DELIVERED once a copy went out */
};

static inline bool bit(const uint32_t *set, unsigned i)
{
	return (set[i / 32] >> (i % 32)) & 1;
}

/* P is the VNIC's uplink, or the member of its bond it uses now; for
 * unicast to its own MAC any member (a balance-rr or 802.3ad partner
 * sends on every link; vnic_mac.c). */
static bool on_port(struct fw *fw, uint16_t id, const struct fw_vnic *v, uint8_t port,
		    enum pass pass)
{
	if (pass == P_OWNER)
		return (team_ports(fw, v->uplink) >> port) & 1;
	if (team_bond_of(v->uplink) == TEAM_NONE)
		return v->uplink == port;
	return fw->team.home[id] == port;
}

static bool in_domain(struct fw *fw, const struct grp *g, enum pass pass, uint16_t id,
		      const struct fw_vnic *v)
{
	if (!v->used || !on_port(fw, id, v, g->p->port, pass))
		return false;
	if (g->vid < 0)
		return v->vlan == SNIC_VLAN_NONE;
	return v->vlan == (uint16_t)g->vid || bit(g->vset, id);
}

static bool promisc(const struct fw_vnic *v)
{
	return (v->rxmode & SNIC_RXMODE_PROMISC) && (v->policy & SNIC_VPOL_TRUSTED);
}

static bool wants(const struct grp *g, enum pass pass, uint16_t id, const struct fw_vnic *v)
{
	switch (pass) {
	case P_GROUP:
		if (g->kind == K_BCAST)
			return true;
		return bit(g->mset, id) || (v->rxmode & SNIC_RXMODE_ALLMULTI) || promisc(v);
	case P_OWNER:
		/* The port VLAN is the classifier's: here only listed VIDs. */
		return g->vid > 0 && bit(g->vset, id) && !fw_memcmp(g->p->data, v->mac, 6);
	default:
		return promisc(v);
	}
}

/* One copy for VNIC id: its own completion on its RX ring. */
static void copy_to(struct fw *fw, struct grp *g, uint16_t id)
{
	const struct hal_rx_pkt *p = g->p;
	const struct fw_vnic *v = &fw->vnic[id];
	struct snic_vnic_stats *vs = FW_VSTATS(fw, id);
	int r;

	g->wanted++;
	if (p->len > fw->hw.buf_max) {
		vs->rx_drop_too_long++;
		r = SNIC_DROP_TOO_LONG;
	} else {
		uint16_t flags = SNIC_RXF_GROUP;
		if (v->rx_ring == FW_SHARED_RING)
			flags |= SNIC_RXF_MARK_SW; /* the host software classifier delivers it */
		if (p->match.key_flags & SNIC_KF_ERR)
			flags |= SNIC_RXF_KEYERR;
		r = fw_rx_put(fw, v->rx_ring, p, id, flags);
		if (r != HAL_DELIVERED)
			vs->rx_drop_ring++;
	}
	if (r != HAL_DELIVERED) {
		if (g->verdict != HAL_DELIVERED)
			g->verdict = r; /* the frame's drop if no copy makes it */
		return;
	}
	g->verdict = HAL_DELIVERED;
	vs->rx_packets++;
	vs->rx_bytes += p->len;
	vs->rx_broadcast += g->kind == K_BCAST;
	vs->rx_multicast += g->kind == K_MCAST;
	FW_VSTATS_BLK(fw)->group_copies++;
}

static void run_pass(struct fw *fw, struct grp *g, enum pass pass)
{
	for (uint16_t id = 0; id < fw->hw.max_vnics; id++) {
		const struct fw_vnic *v = &fw->vnic[id];
		if (in_domain(fw, g, pass, id, v) && wants(g, pass, id, v))
			copy_to(fw, g, id);
	}
}

int fw_group_rx(struct fw *fw, const struct hal_rx_pkt *p)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct snic_blk_vstats *blk = FW_VSTATS_BLK(fw);
	struct grp g;
	uint32_t l3;
	uint16_t type;

	blk->group_frames++;
	g.vid = fw_frame_vlan(p->data, p->len, &l3, &type);
	if (g.vid == -2) {
		/* Stacked tags (or a tag cut short): no domain of ours. */
		blk->group_unwanted++;
		return SNIC_DROP_NO_MATCH;
	}
	g.p = p;
	g.wanted = 0;
	g.verdict = SNIC_DROP_NO_MATCH;
	fw_memset(g.vset, 0, sizeof(g.vset));
	fw_memset(g.mset, 0, sizeof(g.mset));
	if (g.vid > 0)
		fw_l2_vlan_members(fw, (uint16_t)g.vid, g.vset);
	if (!(p->data[0] & 1)) {
		g.kind = K_UNICAST;
		run_pass(fw, &g, P_OWNER);
		if (!g.wanted)
			run_pass(fw, &g, P_PROMISC);
	} else {
		g.kind = fw_memcmp(p->data, bcast, 6) ? K_MCAST : K_BCAST;
		if (g.kind == K_MCAST)
			fw_l2_mc_joiners(fw, p->data, g.mset);
		run_pass(fw, &g, P_GROUP);
	}
	if (!g.wanted)
		blk->group_unwanted++;
	return g.verdict;
}
