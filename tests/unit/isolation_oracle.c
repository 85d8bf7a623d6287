/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "classifier.h"
#include "isolation_oracle.h"

static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

void iso_model_reset(struct iso_model *m, unsigned n_uplinks, unsigned max_vnics)
{
	memset(m, 0, sizeof(*m));
	m->n_uplinks = n_uplinks;
	m->max_vnics = max_vnics < ISO_VNICS ? max_vnics : ISO_VNICS;
}

static void allow(struct iso_expect *e, unsigned v)
{
	e->allowed[v / 8] |= (uint8_t)(1u << (v % 8));
}

static int allowed(const struct iso_expect *e, unsigned v)
{
	return v < ISO_VNICS && (e->allowed[v / 8] >> (v % 8) & 1);
}

int iso_on_uplink(const struct iso_model *m, const struct iso_vnic *v, unsigned port)
{
	if (!(v->uplink & SNIC_UPLINK_BOND))
		return v->uplink == port;
	const struct iso_bond *b = &m->bond[v->uplink & 3];
	for (unsigned i = 0; i < b->n; i++)
		if (b->member[i] == port)
			return 1;
	return 0;
}

int iso_rx_ring_of(const struct iso_vnic *v, unsigned ring)
{
	for (unsigned q = 1; q < v->n_q; q++)
		if (v->rxq[q] == ring)
			return 1;
	return v->rx_ring == ring;
}

int iso_tx_ring_of(const struct iso_vnic *v, unsigned ring)
{
	for (unsigned q = 1; q < v->n_q; q++)
		if (v->txq[q] == ring)
			return 1;
	return v->tx_ring == ring;
}

/* The uplink group frames of v's domains arrive on: its uplink, or the
 * member of its bond in use (docs/l2.md "L2 domains"). */
static int home_port(const struct iso_model *m, const struct iso_vnic *v, unsigned port)
{
	if (!(v->uplink & SNIC_UPLINK_BOND))
		return v->uplink == port;
	return port < 8 && (m->bond[v->uplink & 3].home >> port & 1);
}

static int is_tag(const uint8_t *p)
{
	return (p[0] == 0x81 && p[1] == 0x00) || (p[0] == 0x88 && p[1] == 0xa8);
}

static int has_vid(const struct iso_vnic *v, unsigned vid)
{
	for (unsigned i = 0; i < v->n_vid; i++)
		if (v->vid[i] == vid)
			return 1;
	return 0;
}

/* A VNIC's MAC entry: its MAC in its port VLAN; with stacked tags the
 * inner one counts, a tag cut short is untagged (docs/firmware.md). */
static int mac_entry_hits(const struct iso_vnic *v, const struct snic_key *k)
{
	if (memcmp(v->mac, k->dmac, 6))
		return 0;
	if (!(k->flags & SNIC_KF_VLAN))
		return v->vlan == SNIC_VLAN_NONE;
	unsigned vid = (unsigned)(k->vlan[0] & 0x0f) << 8 | k->vlan[1];
	return v->vlan != SNIC_VLAN_NONE && v->vlan == vid;
}

/* The frame's L2 domain VID: -1 untagged, -2 none (stacked tags or a tag
 * cut short: group delivery ignores it), else the VID of its one tag. */
static int domain_vid(const uint8_t *f, uint32_t len)
{
	if (!is_tag(f + 12))
		return -1;
	if (len < 18 || is_tag(f + 16))
		return -2;
	return (f[14] & 0x0f) << 8 | f[15];
}

static int in_domain(const struct iso_model *m, const struct iso_vnic *v, unsigned port, int vid)
{
	if (!home_port(m, v, port))
		return 0;
	if (vid == -1)
		return v->vlan == SNIC_VLAN_NONE;
	return (unsigned)vid == v->vlan || has_vid(v, (unsigned)vid);
}

static int joined(const struct iso_vnic *v, const uint8_t *dmac)
{
	if (v->allmulti || v->promisc)
		return 1;
	for (unsigned i = 0; i < v->n_mc; i++)
		if (!memcmp(v->mc[i], dmac, 6))
			return 1;
	return 0;
}

/* Group delivery (l2.h): who gets a copy of an unclaimed frame. */
static void group(const struct iso_model *m, const uint8_t *f, uint32_t len, uint8_t port,
		  struct iso_expect *e)
{
	int vid = domain_vid(f, len), owners = 0;
	e->kind = ISO_K_GROUP;
	if (vid == -2)
		return;
	int bcast = !memcmp(f, BCAST, 6), mcast = !bcast && (f[0] & 1);
	if (!bcast && !mcast && vid >= 0) {
		/* Unicast to a member VLAN: its owner, from any of its uplinks. */
		for (unsigned i = 0; i < m->max_vnics; i++) {
			const struct iso_vnic *v = &m->v[i];
			if (v->live && !memcmp(v->mac, f, 6) && has_vid(v, (unsigned)vid) &&
			    iso_on_uplink(m, v, port)) {
				allow(e, i);
				owners++;
			}
		}
		if (owners)
			return;
	}
	for (unsigned i = 0; i < m->max_vnics; i++) {
		const struct iso_vnic *v = &m->v[i];
		if (!v->live || !in_domain(m, v, port, vid))
			continue;
		if (bcast || (mcast && joined(v, f)) || (!mcast && v->promisc))
			allow(e, i);
	}
}

void iso_expect_rx(const struct iso_model *m, const uint8_t *f, uint32_t len, uint8_t port,
		   const struct snic_key *key, struct iso_expect *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = ISO_K_NONE;
	if (port >= m->n_uplinks || !m->port_up[port] || len < 14)
		return;
	/* Host rules first, by the reference classifier; any port. */
	struct snic_rule rules[ISO_RULE_SLOTS];
	struct snic_tcam t = { ISO_RULE_SLOTS, rules, (uint8_t *)m->rule_valid };
	struct snic_match r;
	memcpy(rules, m->rule, sizeof(rules));
	snic_tcam_lookup(&t, key, &r);
	if (r.rule != SNIC_RULE_MISS) {
		out->kind = ISO_K_RULE;
		out->rule = r.rule;
		out->mark_sw = !!(r.action.flags & SNIC_ACT_MARK_SW);
		if (!(r.action.flags & SNIC_ACT_DROP) && r.action.vnic < m->max_vnics &&
		    m->v[r.action.vnic].live)
			allow(out, r.action.vnic);
		return;
	}
	/* A MAC entry claims only frames of its VNIC's uplinks. */
	int hit = 0;
	for (unsigned i = 0; i < m->max_vnics; i++) {
		const struct iso_vnic *v = &m->v[i];
		if (v->live && mac_entry_hits(v, key) && iso_on_uplink(m, v, port)) {
			allow(out, i);
			hit = 1;
		}
	}
	if (hit) {
		out->kind = ISO_K_MAC;
		return;
	}
	group(m, f, len, port, out);
}

const char *iso_check_rx(const struct iso_model *m, const struct iso_expect *e, unsigned ring,
			 uint16_t vnic)
{
	if (!allowed(e, vnic))
		return "delivered to a VNIC the configuration does not assign it to";
	const struct iso_vnic *v = &m->v[vnic];
	if (iso_rx_ring_of(v, ring))
		return NULL;
	if (ring == 0 && e->kind == ISO_K_RULE && e->mark_sw)
		return NULL;
	return ring ? "completion on another VNIC's dedicated RX ring"
		    : "completion on the shared RX ring for a VNIC with its own";
}

/* 1 when VNIC v may send frame f on uplink `port` (docs/firmware.md "TX",
 * docs/l2.md "Transmit checks"). */
static int owns(const struct iso_model *m, const struct iso_vnic *v, uint8_t port,
		const uint8_t *f, uint32_t len)
{
	if (!v->live || !iso_on_uplink(m, v, port) || len < 14 || memcmp(f + 6, v->mac, 6))
		return 0;
	uint32_t o = 12;
	if (is_tag(f + 12)) {
		if (len < 18 || is_tag(f + 16))
			return 0;
		unsigned vid = (f[14] & 0x0fu) << 8 | f[15];
		if (vid != v->vlan && !has_vid(v, vid))
			return 0;
		o = 16;
	} else if (v->vlan != SNIC_VLAN_NONE) {
		return 0;
	}
	if (!v->n_ip || len < o + 2)
		return 1;
	const uint8_t *l3 = f + o + 2, *src = NULL;
	uint32_t l3len = len - o - 2;
	if (f[o] == 0x08 && f[o + 1] == 0x00) {
		if (l3len < 20)
			return 0;
		src = l3 + 12;
	} else if (f[o] == 0x08 && f[o + 1] == 0x06 && l3len >= 18) {
		static const uint8_t zero[4];
		if (memcmp(l3 + 8, v->mac, 6))
			return 0;
		if (!memcmp(l3 + 14, zero, 4))
			return 1;
		src = l3 + 14;
	} else {
		return 1;
	}
	for (unsigned i = 0; i < v->n_ip; i++)
		if (!memcmp(src, v->ip[i], 4))
			return 1;
	return 0;
}

const char *iso_check_tx(const struct iso_model *m, int sender, uint8_t port, const uint8_t *f,
			 uint32_t len)
{
	if (port >= m->n_uplinks)
		return "sent on an uplink the card does not have";
	if (sender >= 0)
		return sender < (int)m->max_vnics && owns(m, &m->v[sender], port, f, len)
			       ? NULL
			       : "a VNIC sent a source (MAC, VLAN, IP or uplink) it does not own";
	for (unsigned i = 0; i < m->max_vnics; i++) {
		const struct iso_vnic *v = &m->v[i];
		if ((sender == ISO_TX_DEVICE || v->tx_ring == 0) && owns(m, v, port, f, len))
			return NULL;
	}
	return sender == ISO_TX_SHARED ? "the shared TX ring sent a source no VNIC on it owns"
				       : "the device sent a frame with a source no VNIC owns";
}

static void dump_mac(FILE *o, const uint8_t *mac)
{
	fprintf(o, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		mac[5]);
}

static void dump_vnic(FILE *o, unsigned id, const struct iso_vnic *v)
{
	fprintf(o, "#  vnic %u mac ", id);
	dump_mac(o, v->mac);
	fprintf(o, " vlan %d%s uplink %s%u rx %u tx %u%s%s%s vids",
		v->vlan == SNIC_VLAN_NONE ? -1 : v->vlan, v->pvlan ? " (operator's)" : "",
		v->uplink & SNIC_UPLINK_BOND ? "bond" : "", v->uplink & 0x7f, v->rx_ring, v->tx_ring,
		v->trusted ? " trusted" : "", v->promisc ? " promisc" : "",
		v->allmulti ? " allmulti" : "");
	for (unsigned i = 0; i < v->n_vid; i++)
		fprintf(o, " %u", v->vid[i]);
	fprintf(o, " mc");
	for (unsigned i = 0; i < v->n_mc; i++) {
		fputc(' ', o);
		dump_mac(o, v->mc[i]);
	}
	fprintf(o, " rss");
	for (unsigned q = 1; q < v->n_q; q++)
		fprintf(o, " rx%u/tx%u", v->rxq[q], v->txq[q]);
	fprintf(o, " ip");
	for (unsigned i = 0; i < v->n_ip; i++)
		fprintf(o, " %u.%u.%u.%u", v->ip[i][0], v->ip[i][1], v->ip[i][2], v->ip[i][3]);
	fputc('\n', o);
}

static void dump_rule(FILE *o, unsigned loc, const struct snic_rule *r)
{
	const uint8_t *val = (const uint8_t *)&r->value, *msk = (const uint8_t *)&r->mask;
	fprintf(o, "#  rule %u key", loc);
	for (unsigned b = 0; b < SNIC_KEY_BYTES; b++)
		if (msk[b])
			fprintf(o, " [%u]=%02x/%02x", b, val[b], msk[b]);
	fprintf(o, " -> vnic %d flags 0x%x\n",
		r->action.vnic == SNIC_VNIC_NONE ? -1 : r->action.vnic, r->action.flags);
}

void iso_dump_model(FILE *o, const struct iso_model *m)
{
	fprintf(o, "# configuration: %u uplinks, ports up", m->n_uplinks);
	for (unsigned p = 0; p < m->n_uplinks; p++)
		if (m->port_up[p])
			fprintf(o, " %u", p);
	fputc('\n', o);
	for (unsigned b = 0; b < SNIC_MAX_BONDS; b++) {
		if (!m->bond[b].live)
			continue;
		fprintf(o, "#  bond %u members", b);
		for (unsigned i = 0; i < m->bond[b].n; i++)
			fprintf(o, " %u", m->bond[b].member[i]);
		fprintf(o, " in use 0x%x\n", m->bond[b].home);
	}
	for (unsigned i = 0; i < m->max_vnics; i++)
		if (m->v[i].live)
			dump_vnic(o, i, &m->v[i]);
	for (unsigned l = 0; l < ISO_RULE_SLOTS; l++)
		if (m->rule_valid[l])
			dump_rule(o, l, &m->rule[l]);
}

void iso_dump_frame(FILE *o, const uint8_t *f, uint32_t len)
{
	fprintf(o, "# frame (%u bytes):", len);
	for (uint32_t i = 0; i < len && i < 96; i++)
		fprintf(o, "%s%02x", i % 32 ? "" : "\n#   ", f[i]);
	fprintf(o, "%s\n", len > 96 ? " ..." : "");
}
