/* SPDX-License-Identifier: MIT */
/*
 * rdma-core verbs flow specs -> snic rules (snic_verbs.h; the mapping is
 * documented in docs/hostdrv.md, "verbs flow specs").
 *
 * The attribute buffer comes from an application and is not trusted: it is
 * read with memcpy (no alignment assumed), every spec's size is checked
 * against what is left of attr.size before its body is read, and the sizes
 * must add up exactly. Values are in network byte order in verbs as in the
 * snic key, so fields are copied byte for byte; value bits outside the
 * mask are ignored, as verbs does.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <snic/ntuple.h>
#include "snic_impl.h"
#include "snic_verbs.h"

struct vctx {
	const struct snic_caps *caps;
	struct snic_rule *r;
	char *err;
	size_t errlen;
	unsigned idx;           /* spec number, for messages */
	const char *spec;       /* spec name, for messages */
	unsigned seen;          /* SEEN_* */
	uint32_t tag;           /* action_tag's tag_id when SEEN_TAG */
};

#define SEEN_L2   0x01
#define SEEN_L3   0x02
#define SEEN_L4   0x04
#define SEEN_TAG  0x08
#define SEEN_DROP 0x10
#define SEEN_IP4  0x20
#define SEEN_IP6  0x40

__attribute__((format(printf, 2, 3)))
static int fail(struct vctx *c, const char *fmt, ...)
{
	char msg[SNIC_ERRMSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->spec)
		snprintf(c->err, c->errlen, "spec %u (%s): %s", c->idx, c->spec, msg);
	else
		snprintf(c->err, c->errlen, "%s", msg);
	return SNIC_ERR_ARG;
}

static int all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/*
 * Merge n bytes of value/mask into the rule's key at off (key field bit
 * fbit). A zero mask adds nothing; a field the profile cannot match, or
 * bits an earlier spec set differently, is refused.
 */
static int put(struct vctx *c, const char *vname, unsigned off, uint32_t fbit,
	       const void *val, const void *mask, size_t n)
{
	const uint8_t *v = val, *m = mask;
	uint8_t *kv = (uint8_t *)&c->r->value + off, *km = (uint8_t *)&c->r->mask + off;
	const char *kname = snic_field_name((unsigned)__builtin_ctz(fbit));

	if (all_zero(m, n))
		return 0;
	if (!(c->caps->cls.key_fields & fbit))
		return fail(c, "%s: the %s profile's classifier cannot match key field %s",
			    vname, c->caps->profile, kname);
	for (size_t i = 0; i < n; i++)
		if ((kv[i] ^ v[i]) & km[i] & m[i])
			return fail(c, "%s contradicts an earlier spec on key field %s",
				    vname, kname);
	for (size_t i = 0; i < n; i++) {
		kv[i] |= v[i] & m[i];
		km[i] |= m[i];
	}
	return 0;
}

/* Require key flags bits (the parser's verdict: IPv4, IPv6, L4 valid...). */
static int put_flags(struct vctx *c, const char *why, uint8_t bits)
{
	return put(c, why, SNIC_KEY_OFF_FLAGS, SNIC_FIELD_FLAGS, &bits, &bits, 1);
}

/* A verbs field the snic key does not carry: only a zero mask is fine. */
static int absent(struct vctx *c, const char *vname, const void *mask, size_t n)
{
	if (all_zero(mask, n))
		return 0;
	return fail(c, "%s: the snic key has no such field (mask must be 0)", vname);
}

static int once(struct vctx *c, unsigned layer, const char *what)
{
	if (c->seen & layer)
		return fail(c, "a second %s spec: one per flow", what);
	c->seen |= layer;
	return 0;
}

static int spec_eth(struct vctx *c, const void *p)
{
	struct ibv_flow_spec_eth s;
	const struct ibv_flow_eth_filter *v = &s.val, *m = &s.mask;

	memcpy(&s, p, sizeof(s));
	if (once(c, SEEN_L2, "eth") ||
	    put(c, "dst_mac", SNIC_KEY_OFF_DMAC, SNIC_FIELD_DMAC, v->dst_mac, m->dst_mac, 6) ||
	    put(c, "src_mac", SNIC_KEY_OFF_SMAC, SNIC_FIELD_SMAC, v->src_mac, m->src_mac, 6) ||
	    put(c, "ether_type", SNIC_KEY_OFF_ETHERTYPE, SNIC_FIELD_ETHERTYPE,
		&v->ether_type, &m->ether_type, 2) ||
	    put(c, "vlan_tag", SNIC_KEY_OFF_VLAN, SNIC_FIELD_VLAN, &v->vlan_tag, &m->vlan_tag, 2))
		return SNIC_ERR_ARG;
	/* A VLAN match means a tagged frame: untagged ones have vlan 0. */
	return m->vlan_tag ? put_flags(c, "vlan_tag (implies a tagged frame)", SNIC_KF_VLAN) : 0;
}

static int ip4_addrs(struct vctx *c, const struct ibv_flow_ipv4_filter *v,
		     const struct ibv_flow_ipv4_filter *m)
{
	if (once(c, SEEN_L3, "ipv4/ipv6") ||
	    put_flags(c, "ipv4 (implies an IPv4 frame)", SNIC_KF_IPV4) ||
	    put(c, "src_ip", SNIC_KEY_OFF_SIP, SNIC_FIELD_SIP, &v->src_ip, &m->src_ip, 4) ||
	    put(c, "dst_ip", SNIC_KEY_OFF_DIP, SNIC_FIELD_DIP, &v->dst_ip, &m->dst_ip, 4))
		return SNIC_ERR_ARG;
	c->seen |= SEEN_IP4;
	return 0;
}

static int spec_ipv4(struct vctx *c, const void *p)
{
	struct ibv_flow_spec_ipv4 s;

	memcpy(&s, p, sizeof(s));
	return ip4_addrs(c, &s.val, &s.mask);
}

static int spec_ipv4_ext(struct vctx *c, const void *p)
{
	struct ibv_flow_spec_ipv4_ext s;
	const struct ibv_flow_ipv4_ext_filter *v = &s.val, *m = &s.mask;
	struct ibv_flow_ipv4_filter av, am;

	memcpy(&s, p, sizeof(s));
	av.src_ip = v->src_ip, av.dst_ip = v->dst_ip;
	am.src_ip = m->src_ip, am.dst_ip = m->dst_ip;
	if (ip4_addrs(c, &av, &am) ||
	    put(c, "proto", SNIC_KEY_OFF_IP_PROTO, SNIC_FIELD_IP_PROTO, &v->proto, &m->proto, 1) ||
	    put(c, "tos", SNIC_KEY_OFF_IP_TOS, SNIC_FIELD_IP_TOS, &v->tos, &m->tos, 1) ||
	    absent(c, "ttl", &m->ttl, 1) || absent(c, "flags", &m->flags, 1))
		return SNIC_ERR_ARG;
	return 0;
}

static int spec_ipv6(struct vctx *c, const void *p)
{
	struct ibv_flow_spec_ipv6 s;
	const struct ibv_flow_ipv6_filter *v = &s.val, *m = &s.mask;

	memcpy(&s, p, sizeof(s));
	if (once(c, SEEN_L3, "ipv4/ipv6") ||
	    put_flags(c, "ipv6 (implies an IPv6 frame)", SNIC_KF_IPV6) ||
	    put(c, "src_ip", SNIC_KEY_OFF_SIP, SNIC_FIELD_SIP, v->src_ip, m->src_ip, 16) ||
	    put(c, "dst_ip", SNIC_KEY_OFF_DIP, SNIC_FIELD_DIP, v->dst_ip, m->dst_ip, 16) ||
	    put(c, "next_hdr", SNIC_KEY_OFF_IP_PROTO, SNIC_FIELD_IP_PROTO,
		&v->next_hdr, &m->next_hdr, 1) ||
	    put(c, "traffic_class", SNIC_KEY_OFF_IP_TOS, SNIC_FIELD_IP_TOS,
		&v->traffic_class, &m->traffic_class, 1) ||
	    absent(c, "flow_label", &m->flow_label, 4) ||
	    absent(c, "hop_limit", &m->hop_limit, 1))
		return SNIC_ERR_ARG;
	c->seen |= SEEN_IP6;
	return 0;
}

/* TCP and UDP: the protocol, and valid ports (KF_L4: not a non-first
 * fragment, not a cut header), as ethtool's tcp4/udp4 flow types mean. */
static int spec_l4(struct vctx *c, const void *p, uint8_t proto)
{
	struct ibv_flow_spec_tcp_udp s;
	const struct ibv_flow_tcp_udp_filter *v = &s.val, *m = &s.mask;
	const uint8_t all = 0xff;
	char why[48];

	memcpy(&s, p, sizeof(s));
	snprintf(why, sizeof(why), "ip_proto %u (implied by the %s spec)", proto, c->spec);
	if (once(c, SEEN_L4, "tcp/udp") ||
	    put(c, why, SNIC_KEY_OFF_IP_PROTO, SNIC_FIELD_IP_PROTO, &proto, &all, 1) ||
	    put_flags(c, "ports (imply a complete first-fragment L4 header)", SNIC_KF_L4) ||
	    put(c, "src_port", SNIC_KEY_OFF_SPORT, SNIC_FIELD_SPORT, &v->src_port, &m->src_port, 2) ||
	    put(c, "dst_port", SNIC_KEY_OFF_DPORT, SNIC_FIELD_DPORT, &v->dst_port, &m->dst_port, 2))
		return SNIC_ERR_ARG;
	return 0;
}

static int spec_tcp(struct vctx *c, const void *p) { return spec_l4(c, p, 6); }
static int spec_udp(struct vctx *c, const void *p) { return spec_l4(c, p, 17); }

static int spec_tag(struct vctx *c, const void *p)
{
	struct ibv_flow_spec_action_tag s;

	memcpy(&s, p, sizeof(s));
	if (once(c, SEEN_TAG, "action_tag"))
		return SNIC_ERR_ARG;
	if (s.tag_id >= c->caps->max_vnics)
		return fail(c, "tag_id %u: on snic the tag names the destination VNIC (0..%u)",
			    s.tag_id, c->caps->max_vnics - 1u);
	c->tag = s.tag_id;
	return 0;
}

static int spec_drop(struct vctx *c, const void *p)
{
	(void)p;
	return once(c, SEEN_DROP, "action_drop");
}

struct spec_kind {
	uint32_t type;
	const char *name;
	size_t size;                                    /* 0: not supported */
	int (*fn)(struct vctx *c, const void *p);
};

static const struct spec_kind kinds[] = {
	{ IBV_FLOW_SPEC_ETH, "eth", sizeof(struct ibv_flow_spec_eth), spec_eth },
	{ IBV_FLOW_SPEC_IPV4, "ipv4", sizeof(struct ibv_flow_spec_ipv4), spec_ipv4 },
	{ IBV_FLOW_SPEC_IPV4_EXT, "ipv4_ext", sizeof(struct ibv_flow_spec_ipv4_ext),
	  spec_ipv4_ext },
	{ IBV_FLOW_SPEC_IPV6, "ipv6", sizeof(struct ibv_flow_spec_ipv6), spec_ipv6 },
	{ IBV_FLOW_SPEC_TCP, "tcp", sizeof(struct ibv_flow_spec_tcp_udp), spec_tcp },
	{ IBV_FLOW_SPEC_UDP, "udp", sizeof(struct ibv_flow_spec_tcp_udp), spec_udp },
	{ IBV_FLOW_SPEC_ACTION_TAG, "action_tag", sizeof(struct ibv_flow_spec_action_tag),
	  spec_tag },
	{ IBV_FLOW_SPEC_ACTION_DROP, "action_drop", sizeof(struct ibv_flow_spec_action_drop),
	  spec_drop },
	/* Known to verbs, not expressible on snic. */
	{ IBV_FLOW_SPEC_ESP, "esp", 0, NULL },
	{ IBV_FLOW_SPEC_VXLAN_TUNNEL, "vxlan_tunnel", 0, NULL },
	{ IBV_FLOW_SPEC_GRE, "gre", 0, NULL },
	{ IBV_FLOW_SPEC_MPLS, "mpls", 0, NULL },
	{ IBV_FLOW_SPEC_ACTION_HANDLE, "action_handle", 0, NULL },
	{ IBV_FLOW_SPEC_ACTION_COUNT, "action_count", 0, NULL },
};

#define SPEC_HDR_BYTES (offsetof(struct ibv_flow_spec_eth, val))

/* One spec at p with `left` bytes of attr.size remaining; *used gets its size. */
static int one_spec(struct vctx *c, const uint8_t *p, size_t left, size_t *used)
{
	struct ibv_flow_spec_eth h;   /* only its type and size are read */

	c->spec = NULL;
	if (left < SPEC_HDR_BYTES)
		return fail(c, "spec %u: attr.size (or the buffer) leaves %zu bytes, less than "
			    "a spec header (num_of_specs too large?)", c->idx, left);
	memcpy(&h, p, SPEC_HDR_BYTES);
	uint32_t type = (uint32_t)h.type;
	if (h.size < SPEC_HDR_BYTES || h.size > left)
		return fail(c, "spec %u (type 0x%x): size %u outside %zu..%zu", c->idx, type,
			    h.size, (size_t)SPEC_HDR_BYTES, left);
	if (type & IBV_FLOW_SPEC_INNER)
		return fail(c, "spec %u (type 0x%x): inner (tunnelled) headers: snic parses no "
			    "tunnels", c->idx, type);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (kinds[k].type != type)
			continue;
		c->spec = kinds[k].name;
		if (!kinds[k].fn)
			return fail(c, "not supported on snic");
		if (h.size != kinds[k].size)
			return fail(c, "size %u, expected %zu", h.size, kinds[k].size);
		*used = h.size;
		return kinds[k].fn(c, p);
	}
	return fail(c, "spec %u: unknown spec type 0x%x", c->idx, type);
}

static const char *attr_type_refusal(uint32_t type)
{
	switch (type) {
	case IBV_FLOW_ATTR_ALL_DEFAULT:
		return "IBV_FLOW_ATTR_ALL_DEFAULT: snic delivers unmatched unicast by the "
		       "VNICs' MACs; add a rule with no specs at priority 7 instead";
	case IBV_FLOW_ATTR_MC_DEFAULT:
		return "IBV_FLOW_ATTR_MC_DEFAULT: multicast delivery is each VNIC's receive "
		       "mode (snic_vnic_rxmode, docs/l2.md)";
	case IBV_FLOW_ATTR_SNIFFER:
		return "IBV_FLOW_ATTR_SNIFFER: snic delivers each frame to one VNIC; it has "
		       "no copy-everything rule";
	default:
		return NULL;
	}
}

/* attr's own fields: type, flags, size, priority, port. */
static int check_attr(struct vctx *c, const struct ibv_flow_attr *a, size_t len)
{
	const char *why;

	if (a->comp_mask)
		return fail(c, "attr.comp_mask 0x%x: no extensions are known", a->comp_mask);
	if (a->type != IBV_FLOW_ATTR_NORMAL) {
		why = attr_type_refusal((uint32_t)a->type);
		return why ? fail(c, "attr.type %s", why)
			   : fail(c, "attr.type %u: unknown", (unsigned)a->type);
	}
	if (a->flags & IBV_FLOW_ATTR_FLAGS_DONT_TRAP)
		return fail(c, "attr.flags IBV_FLOW_ATTR_FLAGS_DONT_TRAP: snic delivers a "
			    "matched frame to its rule's VNIC only, never also onwards");
	if (a->flags & IBV_FLOW_ATTR_FLAGS_EGRESS)
		return fail(c, "attr.flags IBV_FLOW_ATTR_FLAGS_EGRESS: snic rules steer "
			    "received frames only");
	if (a->flags)
		return fail(c, "attr.flags 0x%x: unknown flags", a->flags);
	/* 0: not given, as libibverbs itself never reads it (DPDK's mlx5
	 * leaves it 0); the specs then only have to fit the buffer. */
	if (a->size && (a->size < sizeof(*a) || a->size > len))
		return fail(c, "attr.size %u: must cover the %zu-byte attribute and its specs "
			    "and fit the %zu-byte buffer", a->size, sizeof(*a), len);
	if (a->priority >= SNIC_VERBS_PRIORITIES)
		return fail(c, "attr.priority %u: snic offers priorities 0..%u",
			    a->priority, SNIC_VERBS_PRIORITIES - 1);
	if (a->port > c->caps->n_uplinks)
		return fail(c, "attr.port %u: the device has uplinks 1..%u (0: any)",
			    a->port, c->caps->n_uplinks);
	if (a->port) {
		uint8_t up = (uint8_t)(a->port - 1), all = 0xff;
		return put(c, "attr.port", SNIC_KEY_OFF_PORT, SNIC_FIELD_PORT, &up, &all, 1);
	}
	return 0;
}

/* An eth spec's ether_type must agree with the ipv4/ipv6 spec after it. */
static int check_ethertype(struct vctx *c)
{
	const uint8_t *v = (const uint8_t *)&c->r->value + SNIC_KEY_OFF_ETHERTYPE;
	const uint8_t *m = (const uint8_t *)&c->r->mask + SNIC_KEY_OFF_ETHERTYPE;
	unsigned et = (unsigned)(v[0] << 8 | v[1]), mask = (unsigned)(m[0] << 8 | m[1]);
	unsigned want = (c->seen & SEEN_IP4) ? 0x0800 : (c->seen & SEEN_IP6) ? 0x86dd : et;

	c->spec = NULL;
	if ((et ^ want) & mask)
		return fail(c, "eth ether_type 0x%04x contradicts the %s spec (0x%04x)", et,
			    (c->seen & SEEN_IP4) ? "ipv4" : "ipv6", want);
	return 0;
}

/* Where the frame goes: drop, the tag's VNIC, or the caller's VNIC. */
static int set_action(struct vctx *c, uint16_t vnic)
{
	struct snic_action *a = &c->r->action;
	uint32_t acts = c->caps->cls.actions;

	c->spec = NULL;
	a->ring = SNIC_RING_DEFAULT;
	a->meter = SNIC_METER_NONE;
	a->vnic = SNIC_VNIC_NONE;
	/* Hit counts make a ported flow's traffic visible (snicctl rule show). */
	a->flags = (acts & SNIC_CLSCAP_ACT_COUNT) ? SNIC_ACT_COUNT : 0;
	if (c->seen & SEEN_DROP) {
		if (c->seen & SEEN_TAG)
			return fail(c, "action_drop and action_tag together: a dropped frame "
				    "goes to no VNIC");
		if (!(acts & SNIC_CLSCAP_ACT_DROP))
			return fail(c, "action_drop: this device's rules cannot drop");
		a->flags |= SNIC_ACT_DROP;
		return 0;
	}
	if (c->seen & SEEN_TAG) {
		if (vnic != SNIC_VNIC_NONE && vnic != c->tag)
			return fail(c, "action_tag names VNIC %u but the flow is for VNIC %u",
				    c->tag, vnic);
		vnic = (uint16_t)c->tag;
	}
	if (vnic == SNIC_VNIC_NONE)
		return fail(c, "no destination: pass the VNIC or add an action_tag naming it");
	if (vnic >= c->caps->max_vnics)
		return fail(c, "VNIC %u: the device has VNICs 0..%u", vnic, c->caps->max_vnics - 1u);
	a->vnic = vnic;
	return 0;
}

int snic_verbs_translate(const struct snic_caps *caps, const struct ibv_flow_attr *attr,
			 size_t len, uint16_t vnic, struct snic_verbs_flow *out,
			 char *err, size_t errlen)
{
	struct snic_verbs_flow f;
	struct ibv_flow_attr a;
	struct vctx c = { .caps = caps, .r = &f.rule, .err = err, .errlen = errlen };
	int rc;

	memset(&f, 0, sizeof(f));
	if (!caps || !attr || !out || !err || !errlen)
		return SNIC_ERR_ARG;
	err[0] = 0;
	if (len < sizeof(a))
		return fail(&c, "buffer of %zu bytes: shorter than struct ibv_flow_attr (%zu)",
			    len, sizeof(a));
	memcpy(&a, attr, sizeof(a));
	rc = check_attr(&c, &a, len);
	size_t off = sizeof(a), end = a.size ? a.size : len;
	const uint8_t *base = (const uint8_t *)attr;
	for (unsigned i = 0; !rc && i < a.num_of_specs; i++) {
		size_t used = 0;
		c.idx = i;
		rc = one_spec(&c, base + off, end - off, &used);
		off += used;
	}
	c.spec = NULL;
	if (!rc && a.size && off != a.size)
		rc = fail(&c, "attr.size %u, but its %u specs end at byte %zu", a.size,
			  a.num_of_specs, off);
	if (!rc)
		rc = check_ethertype(&c);
	if (!rc) {
		/* The flags every rule builder implies (ntuple.h: an IP or
		 * transport rule never matches a malformed frame), so a verbs
		 * flow means what the same ethtool or snicctl rule means. */
		uint32_t fields = 0;
		snic_rule_imply_flags(c.r, c.r->value.flags & (SNIC_KF_IPV4 | SNIC_KF_IPV6), 0,
				      &fields);
		rc = set_action(&c, vnic);
	}
	if (rc)
		return rc;
	uint32_t u = caps->cls.user_entries;
	f.priority = a.priority;
	f.loc_first = a.priority * u / SNIC_VERBS_PRIORITIES;
	f.loc_count = (a.priority + 1u) * u / SNIC_VERBS_PRIORITIES - f.loc_first;
	if (!f.loc_count)
		return fail(&c, "attr.priority %u: the device's %u rule locations leave it none",
			    a.priority, u);
	*out = f;
	return 0;
}

static int mirrored(const struct snic_mirror *m, uint32_t loc)
{
	for (uint32_t i = 0; m && i < m->n_rules && i < SNIC_MIRROR_MAX_RULES; i++)
		if (m->rule[i].loc == loc)
			return 1;
	return 0;
}

int snic_verbs_flow_add(struct snic_dev *d, uint16_t vnic, const struct ibv_flow_attr *attr,
			size_t len, uint32_t *loc_out)
{
	struct snic_verbs_flow f;
	const struct snic_mirror *m = NULL;
	char err[SNIC_ERRMSG_MAX];

	if (snic_verbs_translate(snic_caps(d), attr, len, vnic, &f, err, sizeof(err)))
		return snic_seterr(d, SNIC_ERR_ARG, "verbs flow: %s", err);
	if (snic_mirror_get(d, &m))
		m = NULL;   /* no mirror: the device says which locations are taken */
	/* First free location of the priority's band: earlier locations win,
	 * so lower priority numbers come first, as in verbs. */
	for (uint32_t loc = f.loc_first; loc < f.loc_first + f.loc_count; loc++) {
		if (mirrored(m, loc))
			continue;
		int rc = snic_rule_add(d, loc, &f.rule, loc_out);
		if (rc == SNIC_E_EXIST)
			continue;
		if (rc) {
			snprintf(err, sizeof(err), "%s", snic_errmsg(d));
			return snic_seterr(d, rc, "verbs flow (priority %u, location %u): %s",
					   f.priority, loc, err);
		}
		return 0;
	}
	return snic_seterr(d, SNIC_E_NOSPC, "verbs flow: priority %u's rule locations %u..%u "
			   "are all taken", f.priority, f.loc_first, f.loc_first + f.loc_count - 1);
}
