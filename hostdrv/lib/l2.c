/* SPDX-License-Identifier: MIT */
/*
 * A VNIC's layer-2 behaviour (include/snic/l2.h): receive mode and
 * multicast list, VLAN membership, MAC changes, operator policy, the L2
 * query and the per-VNIC counters (block SNIC_BLK_VSTATS).
 *
 * Arguments are checked here first, so a mistake gets a sentence and
 * nothing reaches the device; what the device accepted is mirrored
 * (mirror.c) so snic_restore re-applies it after a reset and the host
 * software classifier delivers group copies by it (snic_l2_wants).
 */
#include <stdio.h>
#include "snic_impl.h"
#include "classifier.h"

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static int check_vnic(struct snic_dev *d, const char *what, uint16_t vnic)
{
	if (d->caps_valid && vnic >= d->caps.max_vnics)
		return snic_seterr(d, SNIC_ERR_ARG, "%s: vnic %u: the device has VNICs 0..%u",
				   what, vnic, d->caps.max_vnics ? d->caps.max_vnics - 1u : 0u);
	return 0;
}

/* A device that advertises its L2 features but not this one. */
static int check_feature(struct snic_dev *d, const char *what, uint32_t flag)
{
	if (d->caps_valid && d->caps.l2.present && !(d->caps.l2.flags & flag))
		return snic_seterr(d, SNIC_ERR_ARG, "%s: the device does not offer it "
				   "(SNIC_CAP_L2 flags 0x%x)", what, d->caps.l2.flags);
	return 0;
}

/* Re-word a device refusal with the VNIC and what the operator can do. */
static int refused(struct snic_dev *d, int rc, uint16_t opcode, uint16_t vnic)
{
	char msg[SNIC_ERRMSG_MAX];
	const char *hint = "";

	snprintf(msg, sizeof(msg), "%s", snic_errmsg(d));
	if (rc == SNIC_E_OPCODE)
		hint = ": the firmware predates ABI 1.1 (no L2 commands)";
	else if (rc == SNIC_E_PERM && opcode == SNIC_CMD_VNIC_MAC)
		hint = ": its MAC is locked (policy --mac-lock off, or an operator change)";
	else if (rc == SNIC_E_PERM && opcode == SNIC_CMD_VNIC_RXMODE)
		hint = ": promiscuous mode needs a trusted VNIC (policy --trusted on)";
	else if (rc == SNIC_E_NOSPC && opcode == SNIC_CMD_VNIC_RXMODE)
		hint = ": the device's multicast pool is full (use allmulti instead)";
	else if (rc == SNIC_E_NOSPC && opcode == SNIC_CMD_VNIC_VLANS)
		hint = ": the device's VLAN pool is full";
	return snic_seterr(d, rc, "%s: vnic %u: %s%s", snic_opcode_name(opcode), vnic, msg,
			   hint);
}

/* Send one L2 command and mirror it if the device accepted it. */
static int l2_exec(struct snic_dev *d, uint16_t opcode, uint16_t vnic, const void *in,
		   uint32_t len)
{
	int rc = snic_mirror_begin(d, 0);

	if (rc)
		return rc;
	rc = snic_admin_exec(d, opcode, in, len, NULL, 0, NULL);
	if (rc == SNIC_OK)
		snic_mirror_put_l2(d, opcode, in);
	else if (rc > 0)
		refused(d, rc, opcode, vnic);
	return snic_mirror_finish(d, rc, rc == SNIC_OK);
}

static void fmt_mac(char buf[18], const uint8_t m[6])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static int check_mc_list(struct snic_dev *d, const uint8_t (*mc)[6], unsigned n)
{
	unsigned max = d->caps_valid && d->caps.l2.present ? d->caps.l2.mc_per_vnic :
			SNIC_L2_MC_PER_VNIC;
	char a[18];

	if (n > max)
		return snic_seterr(d, SNIC_ERR_ARG, "%u multicast addresses: a VNIC joins at most "
				   "%u (use allmulti)", n, max);
	for (unsigned i = 0; i < n; i++) {
		fmt_mac(a, mc[i]);
		if (!(mc[i][0] & 1) || !memcmp(mc[i], bcast, 6))
			return snic_seterr(d, SNIC_ERR_ARG, "%s is not a multicast group address", a);
		for (unsigned k = 0; k < i; k++)
			if (!memcmp(mc[i], mc[k], 6))
				return snic_seterr(d, SNIC_ERR_ARG, "%s is listed twice", a);
	}
	return 0;
}

int snic_vnic_rxmode(struct snic_dev *d, uint16_t vnic, uint8_t flags,
		     const uint8_t (*mc)[6], unsigned n_mc)
{
	struct snic_vnic_rxmode r;

	if (flags & ~(SNIC_RXMODE_ALLMULTI | SNIC_RXMODE_PROMISC))
		return snic_seterr(d, SNIC_ERR_ARG, "receive mode flags 0x%x: unknown bits", flags);
	int rc = check_vnic(d, "VNIC_RXMODE", vnic);
	if (!rc)
		rc = check_feature(d, "group delivery", SNIC_L2CAP_GROUP);
	if (!rc)
		rc = check_mc_list(d, mc, n_mc);
	if (rc)
		return rc;
	memset(&r, 0, sizeof(r));
	r.vnic = vnic;
	r.flags = flags;
	r.n_mc = (uint8_t)n_mc;
	if (n_mc)
		memcpy(r.mc, mc, (size_t)n_mc * 6);
	return l2_exec(d, SNIC_CMD_VNIC_RXMODE, vnic, &r, sizeof(r));
}

int snic_vnic_vlans(struct snic_dev *d, uint16_t vnic, const uint16_t *vid, unsigned n)
{
	unsigned max = d->caps_valid && d->caps.l2.present ? d->caps.l2.vlans_per_vnic :
			SNIC_L2_VLANS_PER_VNIC;
	struct snic_vnic_vlans v;

	int rc = check_vnic(d, "VNIC_VLANS", vnic);
	if (!rc)
		rc = check_feature(d, "VLAN membership", SNIC_L2CAP_VLANS);
	if (rc)
		return rc;
	if (n > max)
		return snic_seterr(d, SNIC_ERR_ARG, "%u VLANs: a VNIC is a member of at most %u",
				   n, max);
	for (unsigned i = 0; i < n; i++) {
		if (vid[i] < 1 || vid[i] > 4094)
			return snic_seterr(d, SNIC_ERR_ARG, "VLAN id %u outside 1..4094", vid[i]);
		for (unsigned k = 0; k < i; k++)
			if (vid[k] == vid[i])
				return snic_seterr(d, SNIC_ERR_ARG, "VLAN %u is listed twice", vid[i]);
	}
	memset(&v, 0, sizeof(v));
	v.vnic = vnic;
	v.n = (uint16_t)n;
	if (n)
		memcpy(v.vid, vid, n * sizeof(vid[0]));
	return l2_exec(d, SNIC_CMD_VNIC_VLANS, vnic, &v, sizeof(v));
}

int snic_vnic_set_mac(struct snic_dev *d, uint16_t vnic, const uint8_t mac[6],
		      int operator_change)
{
	struct snic_vnic_mac m;
	char a[18];

	int rc = check_vnic(d, "VNIC_MAC", vnic);
	if (!rc)
		rc = check_feature(d, "MAC changes", SNIC_L2CAP_MAC);
	if (rc)
		return rc;
	fmt_mac(a, mac);
	if (mac[0] & 1)
		return snic_seterr(d, SNIC_ERR_ARG, "%s is a group address, not a VNIC's MAC", a);
	if (!memcmp(mac, "\0\0\0\0\0\0", 6))
		return snic_seterr(d, SNIC_ERR_ARG, "the all-zero MAC is not a VNIC's MAC");
	memset(&m, 0, sizeof(m));
	m.vnic = vnic;
	m.flags = operator_change ? SNIC_VMACF_OPERATOR : 0;
	memcpy(m.mac, mac, 6);
	return l2_exec(d, SNIC_CMD_VNIC_MAC, vnic, &m, sizeof(m));
}

int snic_vnic_policy(struct snic_dev *d, uint16_t vnic, uint16_t flags)
{
	struct snic_vnic_policy p;

	if (flags & ~SNIC_VPOL_ALL)
		return snic_seterr(d, SNIC_ERR_ARG, "policy flags 0x%x: unknown bits", flags);
	int rc = check_vnic(d, "VNIC_POLICY", vnic);
	if (!rc)
		rc = check_feature(d, "VNIC policy", SNIC_L2CAP_MAC);
	if (rc)
		return rc;
	memset(&p, 0, sizeof(p));
	p.vnic = vnic;
	p.flags = flags;
	return l2_exec(d, SNIC_CMD_VNIC_POLICY, vnic, &p, sizeof(p));
}

int snic_vnic_port_vlan(struct snic_dev *d, uint16_t vnic, uint16_t vid, uint8_t pcp)
{
	struct snic_vnic_port_vlan p;

	int rc = check_vnic(d, "VNIC_PORT_VLAN", vnic);
	if (!rc)
		rc = check_feature(d, "port VLANs", SNIC_L2CAP_PORT_VLAN);
	if (rc)
		return rc;
	if (vid != SNIC_VLAN_NONE && (vid < 1 || vid > 4094))
		return snic_seterr(d, SNIC_ERR_ARG, "VLAN id %u outside 1..4094", vid);
	if (pcp > 7)
		return snic_seterr(d, SNIC_ERR_ARG, "priority %u outside 0..7", pcp);
	if (vid == SNIC_VLAN_NONE && pcp)
		return snic_seterr(d, SNIC_ERR_ARG, "a priority needs a VLAN");
	memset(&p, 0, sizeof(p));
	p.vnic = vnic;
	p.vid = vid;
	p.pcp = pcp;
	return l2_exec(d, SNIC_CMD_VNIC_PORT_VLAN, vnic, &p, sizeof(p));
}

int snic_vnic_l2_query(struct snic_dev *d, uint16_t vnic, struct snic_vnic_l2 *out)
{
	struct snic_vnic_ref ref = { vnic, 0 };
	uint32_t got = 0;
	int rc = snic_admin_exec(d, SNIC_CMD_VNIC_L2_QUERY, &ref, sizeof(ref), out,
				 sizeof(*out), &got);

	if (rc > 0)
		return refused(d, rc, SNIC_CMD_VNIC_L2_QUERY, vnic);
	if (rc)
		return rc;
	if (got < sizeof(*out))
		return snic_seterr(d, SNIC_ERR_PROTO, "VNIC_L2_QUERY: reply of %u bytes, "
				   "expected %zu", got, sizeof(*out));
	if (out->n_mc > SNIC_L2_MC_PER_VNIC || out->n_vlans > SNIC_L2_VLANS_PER_VNIC)
		return snic_seterr(d, SNIC_ERR_PROTO, "VNIC_L2_QUERY: %u multicast / %u VLAN "
				   "entries, the ABI holds %u / %u", out->n_mc, out->n_vlans,
				   SNIC_L2_MC_PER_VNIC, SNIC_L2_VLANS_PER_VNIC);
	return 0;
}

/* ---- per-VNIC counters ---- */

static int need_vstats(struct snic_dev *d)
{
	if (d->off_vstats == SNIC_NO_BLOCK)
		return snic_seterr(d, SNIC_ERR_NOBLOCK, "device has no VSTATS block (per-VNIC "
				   "counters come with ABI 1.1)");
	return 0;
}

int snic_group_stats(struct snic_dev *d, struct snic_group_stats *out)
{
	uint32_t b = d->off_vstats;

	memset(out, 0, sizeof(*out));
	if (need_vstats(d))
		return d->err;
	out->count = d->vstats.count;   /* layout as checked by the block walk */
	out->frames = snic_ld64(d, b + (uint32_t)offsetof(struct snic_blk_vstats, group_frames));
	out->copies = snic_ld64(d, b + (uint32_t)offsetof(struct snic_blk_vstats, group_copies));
	out->unwanted = snic_ld64(d, b + (uint32_t)offsetof(struct snic_blk_vstats,
							    group_unwanted));
	return 0;
}

int snic_vnic_stats_read(struct snic_dev *d, uint16_t vnic, struct snic_vnic_stats *out)
{
	uint64_t *w = (uint64_t *)(void *)out;

	memset(out, 0, sizeof(*out));
	if (need_vstats(d))
		return d->err;
	if (vnic >= d->vstats.count)
		return snic_seterr(d, SNIC_ERR_ARG, "vnic %u: the VSTATS block covers VNICs 0..%u",
				   vnic, d->vstats.count ? d->vstats.count - 1u : 0u);
	/* Word by word: the device updates the counters while we read. */
	uint32_t e = d->vstats.first + (uint32_t)vnic * d->vstats.stride;
	for (unsigned i = 0; i < sizeof(*out) / 8; i++)
		w[i] = snic_ld64(d, e + i * 8u);
	return 0;
}

/* ---- group copies on the shared ring (swcls.c) ---- */

/* The frame's L2 domain (l2.h) includes the VNIC: its uplink (a bond's
 * members are not mirrored, so a bond VNIC accepts any port: the device
 * delivers from the active member only) and its VLANs. Copies for a VNIC
 * behind an operator port VLAN come stripped, untagged, which its
 * params.vlan (NONE: VNIC_PORT_VLAN requires it) accepts. */
static int in_domain(const struct snic_mirror *m, uint16_t v, const struct snic_key *k)
{
	const struct snic_vnic_params *p = &m->vnic[v].params;
	const struct snic_mirror_l2 *l = &m->l2[v];

	if (!(p->uplink & SNIC_UPLINK_BOND) && p->uplink != k->port)
		return 0;
	if (!(k->flags & SNIC_KF_VLAN))
		return p->vlan == SNIC_VLAN_NONE;
	if (k->flags & SNIC_KF_QINQ)
		return 0;   /* stacked tags belong to no VNIC's domain (as the firmware) */
	uint16_t vid = (uint16_t)(((k->vlan[0] << 8) | k->vlan[1]) & 0x0fff);
	if (vid == p->vlan)
		return 1;
	for (unsigned i = 0; (l->has & SNIC_ML2_VLANS) && i < l->vlans.n; i++)
		if (l->vlans.vid[i] == vid)
			return 1;
	return 0;
}

int snic_l2_wants(const struct snic_mirror *m, uint16_t v, const uint8_t *frame,
		  uint32_t len, uint8_t port)
{
	struct snic_key k;

	if (v >= SNIC_MIRROR_MAX_VNICS || !m->vnic[v].used)
		return 0;
	snic_parse(frame, len, len, port, &k);
	if (!in_domain(m, v, &k))
		return 0;
	const struct snic_mirror_l2 *l = &m->l2[v];
	uint8_t mode = (l->has & SNIC_ML2_RXMODE) ? l->rxmode.flags : 0;
	int trusted = (l->has & SNIC_ML2_POLICY) && (l->policy.flags & SNIC_VPOL_TRUSTED);
	int promisc = (mode & SNIC_RXMODE_PROMISC) && trusted;
	if (!memcmp(k.dmac, bcast, 6))
		return 1;
	if (k.dmac[0] & 1) {
		if (promisc || (mode & SNIC_RXMODE_ALLMULTI))
			return 1;
		for (unsigned i = 0; (l->has & SNIC_ML2_RXMODE) && i < l->rxmode.n_mc; i++)
			if (!memcmp(l->rxmode.mc[i], k.dmac, 6))
				return 1;
		return 0;
	}
	/* Unicast: its own MAC on a member VLAN, or anything when promiscuous. */
	return promisc || !memcmp(k.dmac, m->vnic[v].params.mac, 6);
}
