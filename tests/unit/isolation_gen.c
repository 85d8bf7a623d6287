/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "isolation_gen.h"

uint64_t iso_rand(struct iso_rng *r)
{
	/* splitmix64 */
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

unsigned iso_below(struct iso_rng *r, unsigned n)
{
	return (unsigned)(iso_rand(r) % n);
}

int iso_pct(struct iso_rng *r, unsigned pct)
{
	return iso_below(r, 100) < pct;
}

void iso_pool_mac(unsigned i, uint8_t mac[6])
{
	static const uint8_t base[6] = { 0x02, 0x15, 0, 0, 0, 0 };
	memcpy(mac, base, 6);
	mac[5] = (uint8_t)(i + 1);
}

void iso_pool_mc(unsigned i, uint8_t mac[6])
{
	static const uint8_t mc[ISO_MC_POOL][6] = {
		{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 }, { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x02 },
		{ 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 }, { 0x33, 0x33, 0xff, 0x00, 0x00, 0x07 },
	};
	memcpy(mac, mc[i % ISO_MC_POOL], 6);
}

void iso_pool_ip(unsigned i, uint8_t ip[4])
{
	ip[0] = 10, ip[1] = 0, ip[2] = 0, ip[3] = (uint8_t)(i + 1);
}

uint16_t iso_pool_vid(unsigned i)
{
	static const uint16_t vid[ISO_VID_POOL] = { 0, 10, 20, 30, 40 };
	return vid[i % ISO_VID_POOL];
}

static void rand_bytes(struct iso_rng *r, uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)iso_rand(r);
}

/* A live VNIC, or NULL when there is none (tries a few times). */
static const struct iso_vnic *any_vnic(struct iso_rng *r, const struct iso_model *m)
{
	for (int i = 0; i < 8; i++) {
		const struct iso_vnic *v = &m->v[iso_below(r, m->max_vnics)];
		if (v->live)
			return v;
	}
	return NULL;
}

static void pick_mac(struct iso_rng *r, const struct iso_model *m, uint8_t *mac, int dst)
{
	const struct iso_vnic *v = any_vnic(r, m);
	unsigned c = iso_below(r, 100);
	if (c < 40 && v) {
		memcpy(mac, v->mac, 6);
	} else if (c < 55 && dst) {
		memset(mac, 0xff, 6);
	} else if (c < 70 && dst) {
		iso_pool_mc(iso_below(r, ISO_MC_POOL), mac);
	} else if (c < 85) {
		iso_pool_mac(iso_below(r, ISO_MAC_POOL), mac);
	} else {
		rand_bytes(r, mac, 6);
		mac[0] = (uint8_t)((mac[0] & 0xfe) | (dst && iso_pct(r, 30)));
	}
}

/* A VID a VNIC of the model cares about, or any. */
static uint16_t pick_vid(struct iso_rng *r, const struct iso_model *m)
{
	const struct iso_vnic *v = any_vnic(r, m);
	if (v && iso_pct(r, 50)) {
		if (v->n_vid && iso_pct(r, 50))
			return v->vid[iso_below(r, v->n_vid)];
		if (v->vlan != SNIC_VLAN_NONE)
			return v->vlan;
	}
	return iso_pct(r, 80) ? iso_pool_vid(iso_below(r, ISO_VID_POOL))
			      : (uint16_t)iso_below(r, 4096);
}

static uint32_t put_tag(uint8_t *f, uint32_t o, uint16_t tpid, uint16_t vid, struct iso_rng *r)
{
	f[o] = (uint8_t)(tpid >> 8), f[o + 1] = (uint8_t)tpid;
	/* Random PCP and DEI: they must not matter. */
	f[o + 2] = (uint8_t)((iso_rand(r) & 0xf0) | (vid >> 8 & 0x0f));
	f[o + 3] = (uint8_t)vid;
	return o + 4;
}

/* Tags at offset 12: none, 802.1Q, 802.1ad, or stacked (VLAN hopping). */
static uint32_t put_tags(struct iso_rng *r, uint8_t *f, uint16_t vid, unsigned how)
{
	uint32_t o = 12;
	switch (how) {
	case 1: o = put_tag(f, o, 0x8100, vid, r); break;
	case 2: o = put_tag(f, o, 0x88a8, vid, r); break;
	case 3: o = put_tag(f, put_tag(f, o, 0x88a8, (uint16_t)iso_below(r, 4096), r),
			    0x8100, vid, r); break;
	case 4: o = put_tag(f, put_tag(f, o, 0x8100, vid, r), 0x8100,
			    (uint16_t)iso_below(r, 4096), r); break;
	default: break;
	}
	return o;
}

static void pick_ip(struct iso_rng *r, const struct iso_vnic *v, uint8_t ip[4])
{
	if (v && v->n_ip && iso_pct(r, 60))
		memcpy(ip, v->ip[iso_below(r, v->n_ip)], 4);
	else if (iso_pct(r, 70))
		iso_pool_ip(iso_below(r, ISO_IP_POOL), ip);
	else
		rand_bytes(r, ip, 4);
}

/* Ethertype and payload from offset o; returns the frame length. */
static uint32_t put_payload(struct iso_rng *r, uint8_t *f, uint32_t o, const struct iso_vnic *v)
{
	unsigned c = iso_below(r, 100);
	uint8_t *p = f + o + 2;
	memset(p, 0, ISO_FRAME_MAX - o - 2);
	if (c < 45) {
		f[o] = 0x08, f[o + 1] = 0x00;
		p[0] = 0x45, p[3] = 48, p[8] = 64, p[9] = iso_pct(r, 50) ? 17 : 6;
		pick_ip(r, v, p + 12);
		pick_ip(r, NULL, p + 16);
		rand_bytes(r, p + 20, 4);
	} else if (c < 70) {
		f[o] = 0x08, f[o + 1] = 0x06;
		p[1] = 1, p[2] = 0x08, p[4] = 6, p[5] = 4, p[7] = (uint8_t)(1 + iso_below(r, 2));
		if (v && iso_pct(r, 80))
			memcpy(p + 8, v->mac, 6);
		else
			rand_bytes(r, p + 8, 6);
		if (iso_pct(r, 15))
			memset(p + 14, 0, 4);
		else
			pick_ip(r, v, p + 14);
		pick_ip(r, NULL, p + 24);
	} else if (c < 80) {
		f[o] = 0x86, f[o + 1] = 0xdd;
		p[0] = 0x60, p[5] = 8, p[6] = 17, p[7] = 64;
		rand_bytes(r, p + 8, 32);
	} else {
		f[o] = 0x88, f[o + 1] = 0xb5;
		rand_bytes(r, p, 16);
	}
	uint32_t len = o + 2 + 46 + iso_below(r, 64);
	return len > ISO_FRAME_MAX ? ISO_FRAME_MAX : len;
}

/* Now and then cut short, anywhere (runts and cut tags included). */
static uint32_t maybe_cut(struct iso_rng *r, uint32_t len)
{
	return iso_pct(r, 6) ? iso_below(r, len) : len;
}

uint32_t iso_gen_rx(struct iso_rng *r, const struct iso_model *m, uint8_t *f, uint8_t *port)
{
	static const unsigned tag_odds[] = { 40, 70, 78, 89, 100 }; /* cumulative % */
	unsigned c = iso_below(r, 100), how = 0;
	while (c >= tag_odds[how])
		how++;
	pick_mac(r, m, f, 1);
	pick_mac(r, m, f + 6, 0);
	f[6] &= 0xfe;
	uint32_t o = put_tags(r, f, pick_vid(r, m), how);
	uint32_t len = maybe_cut(r, put_payload(r, f, o, NULL));
	*port = (uint8_t)(iso_pct(r, 2) ? m->n_uplinks : iso_below(r, m->n_uplinks));
	return len;
}

uint32_t iso_gen_tx(struct iso_rng *r, const struct iso_model *m, const struct iso_vnic *v,
		    uint8_t *f)
{
	unsigned c = iso_below(r, 100), how = 0;
	uint16_t vid = v->vlan;
	pick_mac(r, m, f, 1);
	if (c < 70)
		memcpy(f + 6, v->mac, 6);
	else
		pick_mac(r, m, f + 6, 0);
	c = iso_below(r, 100);
	if (c < 55) {
		how = v->vlan == SNIC_VLAN_NONE || v->pvlan ? 0 : 1;
	} else if (c < 70 && v->n_vid) {
		how = 1, vid = v->vid[iso_below(r, v->n_vid)];
	} else if (c < 80) {
		how = 1, vid = pick_vid(r, m);
	} else if (c < 85) {
		how = 2, vid = v->vlan == SNIC_VLAN_NONE ? pick_vid(r, m) : v->vlan;
	} else if (c < 95) {
		how = 3 + iso_below(r, 2), vid = v->vlan == SNIC_VLAN_NONE ? 10 : v->vlan;
	} else {
		how = v->vlan == SNIC_VLAN_NONE ? 1 : 0, vid = pick_vid(r, m);
	}
	uint32_t o = put_tags(r, f, vid, how);
	return maybe_cut(r, put_payload(r, f, o, v));
}
