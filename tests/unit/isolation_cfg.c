/* SPDX-License-Identifier: MIT */
/*
 * Configurations for the isolation property test, applied through the
 * admin queue the way a host driver would, with the oracle's model updated
 * only by what the device accepted: VNICs drawing on a few MACs (shared
 * across uplinks, colliding on one), VLANs, software and dedicated rings,
 * addresses, trust, promiscuous and multicast modes, a bond, rules; and
 * the changes made under traffic (ring promotion and demotion, MAC, VLAN,
 * mode and trust changes, VNICs and rules coming and going, failover,
 * RESET, a reboot into the other card).
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "test_fw_util.h"
#include "team_helpers.h"
#include "test_fw_rss.h"
#include "isolation_rig.h"

#define BOND0 0

int iso_live_vnic(struct iso_rig *g)
{
	for (int i = 0; i < 16; i++) {
		unsigned id = iso_below(&g->rng, g->m.max_vnics);
		if (g->m.v[id].live)
			return (int)id;
	}
	return -1;
}

/* The bond's members in use, as the device reports them (the home
 * uplink of its VNICs' group traffic). */
static void query_homes(struct iso_rig *g)
{
	for (unsigned b = 0; b < SNIC_MAX_BONDS; b++) {
		if (!g->m.bond[b].live)
			continue;
		struct snic_team_status st = team_query((uint8_t)b);
		g->m.bond[b].home = 0;
		for (unsigned i = 0; i < st.n_members; i++)
			if (st.member[i].in_use)
				g->m.bond[b].home |= (uint8_t)(1u << st.member[i].uplink);
	}
}

/* Active-backup over the last two uplinks (both on the small card). */
static void make_bond(struct iso_rig *g)
{
	unsigned n = g->m.n_uplinks;
	uint8_t m[2] = { (uint8_t)(n - 2), (uint8_t)(n - 1) };
	static const uint8_t roles[2] = { SNIC_TEAM_ACTIVE, SNIC_TEAM_STANDBY };
	struct snic_team_set c = bond_cfg(BOND0, SNIC_TEAM_PORT_ID, 2, m, roles);
	if (iso_pct(&g->rng, 50)) {
		c.notify = SNIC_TEAM_NOTIFY_RARP | SNIC_TEAM_NOTIFY_GARP; /* device-made frames */
		c.notify_count = 1;
	}
	assert_int_equal(team_cmd(&c, NULL), SNIC_OK);
	g->m.bond[BOND0] = (struct iso_bond){ .live = 1, .n = 2, .member = { m[0], m[1] } };
}

static uint8_t pick_uplink(struct iso_rig *g)
{
	unsigned n = g->m.n_uplinks - (g->m.bond[BOND0].live ? 2 : 0);
	unsigned c = iso_below(&g->rng, n + (g->m.bond[BOND0].live ? 2 : 0));
	return c < n ? (uint8_t)c : (uint8_t)(SNIC_UPLINK_BOND | BOND0);
}

void iso_cfg_vnic_payload(struct iso_rig *g, struct snic_vnic_create *c)
{
	struct iso_rng *r = &g->rng;
	memset(c, 0, sizeof(*c));
	c->vnic = SNIC_ID_ANY;
	iso_pool_mac(iso_below(r, ISO_MAC_POOL), c->mac);
	unsigned v = iso_below(r, 100);
	c->vlan = v < 55 ? SNIC_VLAN_NONE : v < 60 ? 0 : iso_pool_vid(1 + iso_below(r, 4));
	c->flags = iso_pct(r, 25) ? SNIC_VNICF_SW_ONLY : 0;
	c->uplink = pick_uplink(g);
	if (iso_pct(r, 30)) {
		c->n_ip = (uint8_t)(1 + iso_below(r, 2));
		iso_pool_ip(iso_below(r, 3), c->ip[0]);
		if (c->n_ip == 2)
			iso_pool_ip(3 + iso_below(r, 3), c->ip[1]);
	}
}

void iso_cfg_vnic_created(struct iso_rig *g, const struct snic_vnic_create *c,
			  const struct snic_vnic_info *info)
{
	assert_true(info->vnic < g->m.max_vnics);
	struct iso_vnic *m = &g->m.v[info->vnic];
	memset(m, 0, sizeof(*m));
	m->gen = ++g->m.gens;
	m->live = 1;
	memcpy(m->mac, c->mac, 6);
	m->vlan = c->vlan;
	m->uplink = c->uplink;
	m->n_ip = c->n_ip;
	memcpy(m->ip, c->ip, sizeof(m->ip));
	m->rx_ring = info->rx_ring;
	m->tx_ring = info->tx_ring;
	assert_true(m->rx_ring < g->n_rx && m->tx_ring < g->n_tx);
}

static void create_vnic(struct iso_rig *g)
{
	struct snic_vnic_create c;
	struct snic_admin_cpl cpl;
	struct snic_vnic_info info;
	iso_cfg_vnic_payload(g, &c);
	if (admin(SNIC_CMD_VNIC_CREATE, &c, sizeof(c), &cpl) != SNIC_OK)
		return; /* a MAC taken in its domain, no room: nothing changed */
	memcpy(&info, cpl.payload, sizeof(info));
	iso_cfg_vnic_created(g, &c, &info);
}

static void set_vlans(struct iso_rig *g, unsigned id)
{
	struct snic_vnic_vlans c;
	memset(&c, 0, sizeof(c));
	c.vnic = (uint16_t)id;
	unsigned first = 1 + iso_below(&g->rng, 4);
	c.n = (uint16_t)iso_below(&g->rng, 4);
	for (unsigned i = 0; i < c.n; i++)
		c.vid[i] = iso_pool_vid(1 + (first + i) % 4);
	if (admin(SNIC_CMD_VNIC_VLANS, &c, sizeof(c), NULL) != SNIC_OK)
		return;
	struct iso_vnic *v = &g->m.v[id];
	v->n_vid = (uint8_t)c.n;
	memcpy(v->vid, c.vid, sizeof(v->vid));
}

static void set_policy(struct iso_rig *g, unsigned id, int trusted)
{
	/* A locked MAC now and then: VNIC_MAC must then change nothing. */
	struct snic_vnic_policy c = {
		.vnic = (uint16_t)id,
		.flags = (uint16_t)((trusted ? SNIC_VPOL_TRUSTED : 0) |
				    (iso_pct(&g->rng, 30) ? SNIC_VPOL_MAC_LOCKED : 0)),
	};
	if (admin(SNIC_CMD_VNIC_POLICY, &c, sizeof(c), NULL) != SNIC_OK)
		return;
	g->m.v[id].trusted = (uint8_t)trusted;
	if (!trusted)
		g->m.v[id].promisc = 0; /* trust taken away ends PROMISC */
}

static void set_rxmode(struct iso_rig *g, unsigned id)
{
	struct snic_vnic_rxmode c;
	struct iso_rng *r = &g->rng;
	memset(&c, 0, sizeof(c));
	c.vnic = (uint16_t)id;
	c.flags = (uint8_t)((iso_pct(r, 15) ? SNIC_RXMODE_ALLMULTI : 0) |
			    (iso_pct(r, 40) ? SNIC_RXMODE_PROMISC : 0));
	unsigned first = iso_below(r, ISO_MC_POOL);
	c.n_mc = (uint8_t)(iso_pct(r, 50) ? 1 + iso_below(r, 3) : 0);
	for (unsigned i = 0; i < c.n_mc; i++)
		iso_pool_mc((first + i) % ISO_MC_POOL, c.mc[i]);
	if (admin(SNIC_CMD_VNIC_RXMODE, &c, sizeof(c), NULL) != SNIC_OK)
		return; /* PROMISC untrusted: SNIC_E_PERM, nothing changed */
	struct iso_vnic *v = &g->m.v[id];
	v->allmulti = !!(c.flags & SNIC_RXMODE_ALLMULTI);
	v->promisc = !!(c.flags & SNIC_RXMODE_PROMISC);
	v->n_mc = c.n_mc;
	memcpy(v->mc, c.mc, sizeof(v->mc));
}

/* The operator's port VLAN (`ip link set .. vf N vlan V`), or its
 * removal; refused on a VNIC with a VLAN of its own or member VLANs. */
static void set_port_vlan(struct iso_rig *g, unsigned id)
{
	struct snic_vnic_port_vlan c;
	memset(&c, 0, sizeof(c));
	c.vnic = (uint16_t)id;
	c.vid = iso_pct(&g->rng, 25) ? SNIC_VLAN_NONE : iso_pool_vid(1 + iso_below(&g->rng, 4));
	c.pcp = c.vid == SNIC_VLAN_NONE ? 0 : (uint8_t)iso_below(&g->rng, 8);
	if (admin(SNIC_CMD_VNIC_PORT_VLAN, &c, sizeof(c), NULL) != SNIC_OK)
		return;
	g->m.v[id].vlan = c.vid;
	g->m.v[id].pvlan = c.vid != SNIC_VLAN_NONE;
}

/* Hashing on for the card, with a random key. */
static void rss_on(struct iso_rig *g)
{
	struct snic_rss_set c = { .vnic = SNIC_VNIC_NONE, .types = SNIC_RSS_HT_ALL,
				  .flags = SNIC_RSS_SET_KEY | SNIC_RSS_SET_TYPES };
	for (unsigned i = 0; i < SNIC_RSS_KEY_BYTES; i++)
		c.key[i] = (uint8_t)iso_rand(&g->rng);
	assert_int_equal(admin(SNIC_CMD_RSS_SET, &c, sizeof(c), NULL), SNIC_OK);
}

/* A queue set of 1..4 queues on free rings (1 releases it). */
static void set_queues(struct iso_rig *g, unsigned id)
{
	struct snic_rss_queues_info info;
	struct snic_rss_queues c = rss_queues((uint16_t)id, 1 + iso_below(&g->rng, 4), 4);
	for (unsigned i = 0; i < c.indir_size; i++)
		c.indir[i] = (uint8_t)iso_below(&g->rng, c.n_queues);
	if (rss_queues_cmd(&c, &info) != SNIC_OK)
		return; /* a software-ring VNIC, no table or ring left */
	struct iso_vnic *v = &g->m.v[id];
	v->n_q = info.n_queues;
	memcpy(v->rxq, info.rx_ring, sizeof(v->rxq));
	memcpy(v->txq, info.tx_ring, sizeof(v->txq));
	for (unsigned q = 1; q < v->n_q; q++)
		assert_true(v->rxq[q] < g->n_rx && v->txq[q] < g->n_tx);
}

static void set_mac(struct iso_rig *g, unsigned id)
{
	struct snic_vnic_mac c;
	memset(&c, 0, sizeof(c));
	c.vnic = (uint16_t)id;
	iso_pool_mac(iso_below(&g->rng, ISO_MAC_POOL), c.mac);
	if (admin(SNIC_CMD_VNIC_MAC, &c, sizeof(c), NULL) == SNIC_OK)
		memcpy(g->m.v[id].mac, c.mac, 6);
}

/* A rule on one or two fields the traffic uses; drop, or to a VNIC. */
static void add_rule(struct iso_rig *g)
{
	struct iso_rng *r = &g->rng;
	struct snic_rule rule;
	int to = iso_live_vnic(g);
	unsigned drop = to < 0 || iso_pct(r, 30);
	rule_init(&rule, drop ? SNIC_VNIC_NONE : (uint16_t)to,
		  (uint8_t)(drop ? SNIC_ACT_DROP
				 : SNIC_ACT_COUNT | (iso_pct(r, 20) ? SNIC_ACT_MARK_SW : 0)));
	for (unsigned n = 1 + iso_below(r, 2); n; n--) {
		struct snic_key *k = &rule.value, *m = &rule.mask;
		switch (iso_below(r, 7)) {
		case 0: iso_pool_mac(iso_below(r, ISO_MAC_POOL), k->dmac);
			memset(m->dmac, 0xff, 6); break;
		case 1: memset(k->dmac, 0xff, 6); memset(m->dmac, 0xff, 6); break;
		case 2: iso_pool_mc(iso_below(r, ISO_MC_POOL), k->dmac);
			memset(m->dmac, 0xff, 6); break;
		case 3: iso_pool_mac(iso_below(r, ISO_MAC_POOL), k->smac);
			memset(m->smac, 0xff, 6); break;
		case 4: k->port = (uint8_t)iso_below(r, g->m.n_uplinks); m->port = 0xff; break;
		case 5: k->flags |= SNIC_KF_VLAN; m->flags |= SNIC_KF_VLAN;
			k->vlan[1] = (uint8_t)iso_pool_vid(iso_below(r, ISO_VID_POOL));
			m->vlan[0] = 0x0f, m->vlan[1] = 0xff; break;
		default: k->ethertype[0] = 0x08; k->ethertype[1] = iso_pct(r, 50) ? 0x06 : 0x00;
			memset(m->ethertype, 0xff, 2); break;
		}
	}
	uint32_t loc = iso_pct(r, 50) ? SNIC_LOC_ANY : iso_below(r, 16), got;
	if (rule_add(loc, &rule, &got) != SNIC_OK)
		return; /* slot taken: nothing changed */
	assert_true(got < ISO_RULE_SLOTS);
	g->m.rule[got] = rule;
	g->m.rule_valid[got] = 1;
}

static void del_rule(struct iso_rig *g)
{
	unsigned loc = iso_below(&g->rng, ISO_RULE_SLOTS);
	struct snic_rule_ref ref = { loc };
	int st = admin(SNIC_CMD_RULE_DEL, &ref, sizeof(ref), NULL);
	assert_int_equal(st == SNIC_OK, g->m.rule_valid[loc]);
	g->m.rule_valid[loc] = 0;
}

void iso_cfg_new(struct iso_rig *g)
{
	struct iso_rng *r = &g->rng;
	assert_int_equal(admin(SNIC_CMD_RESET, NULL, 0, NULL), SNIC_OK);
	iso_model_reset(&g->m, g->m.n_uplinks, g->m.max_vnics);
	g->n.configs++;
	for (unsigned p = 0; p < g->m.n_uplinks; p++) {
		assert_int_equal(port_set((uint8_t)p, 1), SNIC_OK);
		g->m.port_up[p] = 1;
	}
	memset(fake->no_carrier, 0, sizeof(fake->no_carrier));
	if (iso_pct(r, g->m.n_uplinks > 2 ? 50 : 25))
		make_bond(g);
	if (iso_pct(r, 70))
		rss_on(g);
	unsigned most = g->m.max_vnics < 24 ? g->m.max_vnics : 24;
	for (unsigned n = 2 + iso_below(r, most - 1); n; n--)
		create_vnic(g);
	for (unsigned id = 0; id < g->m.max_vnics; id++) {
		if (!g->m.v[id].live)
			continue;
		if (iso_pct(r, 15))
			set_port_vlan(g, id);
		if (iso_pct(r, 30))
			set_vlans(g, id);
		if (iso_pct(r, 25))
			set_policy(g, id, 1);
		if (iso_pct(r, 50))
			set_rxmode(g, id);
		if (iso_pct(r, 40))
			set_queues(g, id);
	}
	for (unsigned n = iso_below(r, 7); n; n--)
		add_rule(g);
	for (int i = 0; i < 3; i++)
		iso_rig_poll(g);
	query_homes(g);
}

/* Promote a software-ring VNIC to a free dedicated HRR, or demote one. */
static void bind(struct iso_rig *g)
{
	int id = iso_live_vnic(g);
	if (id < 0 || g->m.v[id].n_q > 1)
		return; /* a VNIC with a queue set keeps its rings (SNIC_E_BUSY) */
	struct iso_vnic *v = &g->m.v[id];
	struct snic_ring_bind b = { .ring = v->rx_ring, .vnic = SNIC_VNIC_NONE };
	if (!v->rx_ring || iso_pct(&g->rng, 30)) {
		uint32_t used = 1;
		for (unsigned i = 0; i < g->m.max_vnics; i++)
			for (unsigned r = 0; g->m.v[i].live && r < g->n_rx; r++)
				used |= (uint32_t)iso_rx_ring_of(&g->m.v[i], r) << r;
		for (b.ring = 1; b.ring < g->n_rx && (used >> b.ring & 1); b.ring++)
			;
		if (b.ring == g->n_rx)
			return;
		b.vnic = (uint16_t)id;
	}
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), NULL), SNIC_OK);
	v->rx_ring = b.vnic == SNIC_VNIC_NONE ? 0 : b.ring;
	g->n.binds++;
}

/* One uplink fails or comes back: carrier or admin state, one at a time,
 * so a bond always keeps a usable member. */
static void failover(struct iso_rig *g)
{
	unsigned p;
	for (p = 0; p < g->m.n_uplinks; p++)
		if (!g->m.port_up[p] || fake->no_carrier[p])
			break;
	if (p == g->m.n_uplinks) {
		p = iso_below(&g->rng, g->m.n_uplinks);
		if (iso_pct(&g->rng, 50)) {
			fake->no_carrier[p] = 1;
		} else {
			assert_int_equal(port_set((uint8_t)p, 0), SNIC_OK);
			g->m.port_up[p] = 0;
		}
	} else {
		fake->no_carrier[p] = 0;
		assert_int_equal(port_set((uint8_t)p, 1), SNIC_OK);
		g->m.port_up[p] = 1;
	}
	for (int i = 0; i < 3; i++)
		iso_rig_poll(g);
	query_homes(g);
	g->n.failovers++;
}

static void l2_change(struct iso_rig *g)
{
	int id = iso_live_vnic(g);
	if (id < 0)
		return;
	switch (iso_below(&g->rng, 6)) {
	case 0: set_mac(g, (unsigned)id); break;
	case 5: set_queues(g, (unsigned)id); break;
	case 4: set_port_vlan(g, (unsigned)id); break;
	case 1: set_vlans(g, (unsigned)id); break;
	case 2: set_policy(g, (unsigned)id, !g->m.v[id].trusted); break;
	default: set_rxmode(g, (unsigned)id); break;
	}
	g->n.l2_changes++;
}

static void vnic_change(struct iso_rig *g)
{
	int id = iso_live_vnic(g);
	if (id >= 0 && iso_pct(&g->rng, 50)) {
		struct snic_vnic_ref ref = { .vnic = (uint16_t)id };
		if (admin(SNIC_CMD_VNIC_DESTROY, &ref, sizeof(ref), NULL) == SNIC_OK)
			g->m.v[id].live = 0; /* BUSY while rules name it */
	} else {
		create_vnic(g);
	}
	g->n.vnic_changes++;
}

/* The cards the simulator models, in turn (sim/profile.c). */
static const char *next_card(const char *now)
{
	static const char *const cards[] = { "large", "small", "jumbo", "gig" };
	unsigned i = 0;
	while (i < 4 && strcmp(cards[i], now))
		i++;
	return cards[(i + 1) % 4];
}

void iso_cfg_event(struct iso_rig *g)
{
	unsigned c = iso_below(&g->rng, 1000);
	if (c >= 66)
		return;
	iso_rig_flush_tx(g);
	if (c < 2) {
		iso_rig_boot(g, next_card(g->profile));
		iso_cfg_new(g);
	} else if (c < 6) {
		g->n.resets++;
		iso_cfg_new(g);
	} else if (c < 20) {
		bind(g);
	} else if (c < 30) {
		failover(g);
	} else if (c < 42) {
		l2_change(g);
	} else if (c < 50) {
		vnic_change(g);
	} else if (c < 56) {
		iso_race(g);
	} else {
		if (iso_pct(&g->rng, 50))
			add_rule(g);
		else
			del_rule(g);
		g->n.rule_changes++;
	}
}

void iso_cfg_pair(struct iso_rig *g, uint8_t ub, unsigned *a, unsigned *b)
{
	struct snic_vnic_info ia, ib;
	uint8_t ma[6], mb[6];
	iso_model_reset(&g->m, g->m.n_uplinks, g->m.max_vnics);
	for (unsigned p = 0; p < g->m.n_uplinks; p++) {
		assert_int_equal(port_set((uint8_t)p, 1), SNIC_OK);
		g->m.port_up[p] = 1;
	}
	iso_pool_mac(0, ma);
	iso_pool_mac(1, mb);
	assert_int_equal(vnic_create(SNIC_ID_ANY, ma, SNIC_VLAN_NONE, 0, 0, &ia), SNIC_OK);
	assert_int_equal(vnic_create(SNIC_ID_ANY, mb, SNIC_VLAN_NONE, 0, ub, &ib), SNIC_OK);
	const struct snic_vnic_info *in[2] = { &ia, &ib };
	for (unsigned i = 0; i < 2; i++) {
		struct snic_vnic_create c = { .vlan = SNIC_VLAN_NONE, .uplink = i ? ub : 0 };
		memcpy(c.mac, in[i]->mac, 6);
		iso_cfg_vnic_created(g, &c, in[i]);
	}
	*a = ia.vnic;
	*b = ib.vnic;
}
