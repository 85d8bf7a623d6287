/* SPDX-License-Identifier: MIT */
/*
 * Changes that race the traffic: frames the engine has classified wait in
 * its queue while the host's commands reach the firmware, which applies
 * them (admin first in every poll) before it receives those frames. A
 * frame may then follow the old or the new configuration, but never reach
 * a VNIC neither gives it to: above all not a new VNIC that took a
 * destroyed one's id, nor another VNIC's ring.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "test_fw_util.h"
#include "isolation_rig.h"

#define RACE_CMDS 3
#define RACE_SEQ  0x7ace0000u

struct race_cmd {
	uint16_t op;
	uint32_t len;
	union {
		struct snic_vnic_ref ref;
		struct snic_vnic_create create;
		struct snic_vnic_mac mac;
		struct snic_rule_ref rule;
		struct snic_ring_bind bind;
		struct snic_vnic_policy policy;
		struct snic_vnic_port_vlan pvlan;
		struct snic_vnic_vlans vlans;
	} p;
};

static void cmd(struct race_cmd *c, uint16_t op, uint32_t len)
{
	memset(c, 0, sizeof(*c));
	c->op = op;
	c->len = len;
}

/* Destroy VNIC id (its rules first) and create another under its id. */
static unsigned plan_reuse(struct iso_rig *g, unsigned id, struct race_cmd *c)
{
	unsigned n = 0;
	for (unsigned l = 0; l < ISO_RULE_SLOTS && n == 0; l++)
		if (g->m.rule_valid[l] && g->m.rule[l].action.vnic == id) {
			cmd(&c[n], SNIC_CMD_RULE_DEL, sizeof(c->p.rule));
			c[n++].p.rule.loc = l;
		}
	cmd(&c[n], SNIC_CMD_VNIC_DESTROY, sizeof(c->p.ref));
	c[n++].p.ref.vnic = (uint16_t)id;
	cmd(&c[n], SNIC_CMD_VNIC_CREATE, sizeof(c->p.create));
	iso_cfg_vnic_payload(g, &c[n].p.create);
	c[n++].p.create.vnic = (uint16_t)id;
	return n;
}

/* A frame VNIC v's driver may send: its MAC, its VLAN, no IP. */
static uint32_t own_frame(struct iso_rig *g, const struct iso_vnic *v, uint8_t *f)
{
	uint8_t peer[6];
	iso_pool_mac(ISO_MAC_POOL - 1 - iso_below(&g->rng, 2), peer);
	return make_eth(f, peer, v->mac, v->pvlan ? SNIC_VLAN_NONE : v->vlan, 0x88b5, 46);
}

/* VNIC id, frames still queued on its TX rings, is destroyed and created
 * again (its MAC and VLAN, maybe another uplink: a VM restarted). */
static unsigned plan_tx(struct iso_rig *g, unsigned id, struct race_cmd *c)
{
	struct iso_vnic *v = &g->m.v[id];
	uint8_t f[ISO_FRAME_MAX];
	unsigned n = plan_reuse(g, id, c);
	memcpy(c[n - 1].p.create.mac, v->mac, 6);
	c[n - 1].p.create.vlan = v->pvlan ? SNIC_VLAN_NONE : v->vlan;
	for (unsigned k = 1 + iso_below(&g->rng, 4); k; k--)
		iso_rig_tx(g, v, f, own_frame(g, v, f));
	return n;
}

/* The operator's port VLAN set, moved or removed; or the member VLANs. */
static unsigned plan_vlan(struct iso_rig *g, unsigned id, struct race_cmd *c)
{
	struct iso_rng *r = &g->rng;
	if (iso_pct(r, 60)) {
		cmd(c, SNIC_CMD_VNIC_PORT_VLAN, sizeof(c->p.pvlan));
		c->p.pvlan.vnic = (uint16_t)id;
		c->p.pvlan.vid = iso_pct(r, 30) ? SNIC_VLAN_NONE : iso_pool_vid(1 + iso_below(r, 4));
		return 1;
	}
	cmd(c, SNIC_CMD_VNIC_VLANS, sizeof(c->p.vlans));
	c->p.vlans.vnic = (uint16_t)id;
	c->p.vlans.n = (uint16_t)iso_below(r, 3);
	for (unsigned i = 0; i < c->p.vlans.n; i++)
		c->p.vlans.vid[i] = iso_pool_vid(1 + (i + iso_below(r, 2) * 2) % 4);
	return 1;
}

static unsigned plan(struct iso_rig *g, struct race_cmd *c)
{
	int id = iso_live_vnic(g);
	if (id < 0)
		return 0;
	struct iso_vnic *v = &g->m.v[id];
	unsigned kind = iso_below(&g->rng, 6);
	static const unsigned kinds[6] = { ISO_RACE_REUSE, ISO_RACE_REUSE, ISO_RACE_MAC,
					   ISO_RACE_OTHER, ISO_RACE_VLAN, ISO_RACE_TX };
	g->race_kind = kinds[kind];
	if (kind == 5 && (g->races & ISO_RACE_TX))
		return plan_tx(g, (unsigned)id, c);
	if (kind == 4 && (g->races & ISO_RACE_VLAN))
		return plan_vlan(g, (unsigned)id, c);
	if (kind < 2 && (g->races & ISO_RACE_REUSE))
		return plan_reuse(g, (unsigned)id, c);
	if (kind == 2 && (g->races & ISO_RACE_MAC)) {
		cmd(c, SNIC_CMD_VNIC_MAC, sizeof(c->p.mac));
		c->p.mac.vnic = (uint16_t)id;
		iso_pool_mac(iso_below(&g->rng, ISO_MAC_POOL), c->p.mac.mac);
		return 1;
	}
	if (kind == 3 && (g->races & ISO_RACE_OTHER)) {
		if (v->trusted) {
			cmd(c, SNIC_CMD_VNIC_POLICY, sizeof(c->p.policy));
			c->p.policy.vnic = (uint16_t)id;
			return 1;
		}
		cmd(c, SNIC_CMD_RING_BIND, sizeof(c->p.bind));
		c->p.bind.ring = v->rx_ring;
		c->p.bind.vnic = SNIC_VNIC_NONE;
		return v->rx_ring != 0;
	}
	return 0;
}

/* What the device accepted, into the model. */
static void accepted(struct iso_rig *g, const struct race_cmd *c, const struct snic_admin_cpl *cpl)
{
	struct snic_vnic_info info;
	switch (c->op) {
	case SNIC_CMD_RULE_DEL: g->m.rule_valid[c->p.rule.loc] = 0; break;
	case SNIC_CMD_VNIC_DESTROY: g->m.v[c->p.ref.vnic].live = 0; break;
	case SNIC_CMD_VNIC_CREATE:
		memcpy(&info, cpl->payload, sizeof(info));
		iso_cfg_vnic_created(g, &c->p.create, &info);
		break;
	case SNIC_CMD_VNIC_MAC: memcpy(g->m.v[c->p.mac.vnic].mac, c->p.mac.mac, 6); break;
	case SNIC_CMD_RING_BIND: /* demotion: back on the shared HRR */
		for (unsigned i = 0; i < g->m.max_vnics; i++)
			if (g->m.v[i].live && g->m.v[i].rx_ring == c->p.bind.ring)
				g->m.v[i].rx_ring = 0;
		break;
	case SNIC_CMD_VNIC_POLICY:
		g->m.v[c->p.policy.vnic].trusted = 0;
		g->m.v[c->p.policy.vnic].promisc = 0;
		break;
	case SNIC_CMD_VNIC_PORT_VLAN:
		g->m.v[c->p.pvlan.vnic].vlan = c->p.pvlan.vid;
		g->m.v[c->p.pvlan.vnic].pvlan = c->p.pvlan.vid != SNIC_VLAN_NONE;
		break;
	case SNIC_CMD_VNIC_VLANS:
		g->m.v[c->p.vlans.vnic].n_vid = (uint8_t)c->p.vlans.n;
		memcpy(g->m.v[c->p.vlans.vnic].vid, c->p.vlans.vid, sizeof(c->p.vlans.vid));
		break;
	default: fail_msg("race: no model for opcode 0x%x", c->op);
	}
}

static void describe(struct iso_rig *g, const struct race_cmd *c, unsigned n)
{
	size_t at = 0;
	g->race[0] = 0;
	for (unsigned i = 0; i < n && at < sizeof(g->race); i++) {
		const uint8_t *mac = c[i].op == SNIC_CMD_VNIC_CREATE ? c[i].p.create.mac : c[i].p.mac.mac;
		int k = snprintf(g->race + at, sizeof(g->race) - at, "%s%s %u", i ? ", " : "",
				 snic_opcode_name(c[i].op),
				 c[i].op == SNIC_CMD_RULE_DEL ? c[i].p.rule.loc : c[i].p.ref.vnic);
		at += k > 0 ? (size_t)k : 0;
		if ((c[i].op == SNIC_CMD_VNIC_CREATE || c[i].op == SNIC_CMD_VNIC_MAC) &&
		    at < sizeof(g->race)) {
			k = snprintf(g->race + at, sizeof(g->race) - at,
				     " mac %02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
				     mac[3], mac[4], mac[5]);
			at += k > 0 ? (size_t)k : 0;
		}
	}
}

/* Submit the commands behind the frames already classified, run the
 * firmware once (admin first), then take what it did. */
static void run(struct iso_rig *g, const struct race_cmd *c, unsigned n)
{
	uint32_t gen[ISO_VNICS];
	for (unsigned i = 0; i < ISO_VNICS; i++)
		gen[i] = g->m.v[i].live ? g->m.v[i].gen : 0;
	describe(g, c, n);
	struct snic_blk_admin *a = admin_blk();
	uint32_t first = a->cpl_cons;
	for (unsigned i = 0; i < n; i++)
		admin_submit(c[i].op, RACE_SEQ + i, &c[i].p, c[i].len);
	iso_rig_step(g);
	assert_int_equal(a->cpl_prod - first, n);
	for (unsigned i = 0; i < n; i++) {
		const struct snic_admin_cpl *cpl =
			win_at(a->cpl_off + (uint64_t)((first + i) % a->entries) * sizeof(*cpl));
		assert_int_equal(cpl->seq, RACE_SEQ + i);
		if (cpl->status == SNIC_OK)
			accepted(g, &c[i], cpl);
		a->cpl_cons++;
	}
	iso_rig_reexpect(g, gen);
	iso_rig_poll(g);
	g->n.races++;
}

void iso_race(struct iso_rig *g)
{
	struct race_cmd c[RACE_CMDS];
	uint8_t f[ISO_FRAME_MAX], port;
	unsigned n = plan(g, c);
	if (!n)
		return;
	for (unsigned k = 1 + iso_below(&g->rng, 32); k; k--) {
		uint32_t len = iso_gen_rx(&g->rng, &g->m, f, &port);
		iso_rig_rx(g, f, len, port);
	}
	run(g, c, n);
}

void iso_race_reuse(struct iso_rig *g, unsigned id, const uint8_t mac[6], uint8_t uplink)
{
	struct race_cmd c[2];
	cmd(&c[0], SNIC_CMD_VNIC_DESTROY, sizeof(c->p.ref));
	c[0].p.ref.vnic = (uint16_t)id;
	cmd(&c[1], SNIC_CMD_VNIC_CREATE, sizeof(c->p.create));
	c[1].p.create.vnic = (uint16_t)id;
	c[1].p.create.vlan = SNIC_VLAN_NONE;
	c[1].p.create.uplink = uplink;
	memcpy(c[1].p.create.mac, mac, 6);
	g->race_kind = ISO_RACE_REUSE;
	run(g, c, 2);
}

void iso_race_mac(struct iso_rig *g, unsigned id, const uint8_t mac[6])
{
	struct race_cmd c[1];
	cmd(c, SNIC_CMD_VNIC_MAC, sizeof(c->p.mac));
	c->p.mac.vnic = (uint16_t)id;
	memcpy(c->p.mac.mac, mac, 6);
	g->race_kind = ISO_RACE_MAC;
	run(g, c, 1);
}
