/* SPDX-License-Identifier: MIT */
/*
 * ethtool n-tuple flow spec -> classifier rule match: the one translation
 * the kernel driver (ethtool -N, hostdrv/linux/snic_ntuple.c) and snicctl
 * (`rule add flow-type ...`, hostdrv/lib/ntuple.c) share, so the same
 * request builds the same rule through either. Also the flags-byte rules
 * every rule builder applies (snic_rule_imply_flags). Header-only, no
 * library calls: it compiles in the kernel and in user space alike.
 *
 * Semantics (docs/classifier.md, "What a rule means"):
 * - ether: MACs, ethertype; the flags byte is not constrained, so L2 rules
 *   also match malformed frames (their L2 fields are whole).
 * - ip4/ip6 and every field above L2 (addresses, tos/tclass, protocol,
 *   ports): the family flag (KF_IPV4/KF_IPV6) set and KF_ERR clear: a
 *   truncated or malformed frame never matches an IP or transport rule.
 * - tcp4/udp4/sctp4/tcp6/udp6/sctp6, and any rule on ports: KF_L4 set:
 *   the transport header was there and whole (unfragmented or the first
 *   fragment; a non-first fragment has no KF_L4). `ip4 l4proto 6`
 *   matches all of TCP's fragments.
 * - vlan: KF_VLAN set.
 * The action (ring_cookie) and location are the caller's: the kernel
 * delivers to its own VNIC, snicctl to the ring or VNIC named.
 */
#ifndef SNIC_NTUPLE_H
#define SNIC_NTUPLE_H

#include <linux/ethtool.h>
#include "cls.h"

#define SNIC_NT_TCP  6
#define SNIC_NT_UDP  17
#define SNIC_NT_SCTP 132

/* Puts value & mask of an n-byte field into the key at off; *fields gets
 * the SNIC_FIELD_* bit when any mask bit is set. */
static inline void snic_rule_put(struct snic_rule *r, unsigned int off, const void *val,
				 const void *mask, unsigned int n, uint32_t *fields,
				 uint32_t field)
{
	const uint8_t *v = (const uint8_t *)val, *m = (const uint8_t *)mask;
	uint8_t *kv = (uint8_t *)&r->value + off, *km = (uint8_t *)&r->mask + off;
	unsigned int i;

	for (i = 0; i < n; i++) {
		km[i] = m[i];
		kv[i] = (uint8_t)(v[i] & m[i]);
		if (m[i])
			*fields |= field;
	}
}

/* Requires key flag `flag` to be set (on) or clear (!on). */
static inline void snic_rule_flag(struct snic_rule *r, uint8_t flag, int on)
{
	r->mask.flags |= flag;
	if (on)
		r->value.flags |= flag;
	else
		r->value.flags &= (uint8_t)~flag;
}

static inline int snic_rule_masked(const struct snic_rule *r, unsigned int off, unsigned int n)
{
	const uint8_t *m = (const uint8_t *)&r->mask + off;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (m[i])
			return 1;
	return 0;
}

/*
 * The flags a rule's fields imply (see the top of this file). family:
 * SNIC_KF_IPV4, SNIC_KF_IPV6, or 0 when the rule names no address family
 * (snicctl's `--proto tcp --dport 80` means IPv4 and IPv6); l4: the rule is
 * for a transport protocol even without ports. Call after all fields are in.
 */
static inline void snic_rule_imply_flags(struct snic_rule *r, uint8_t family, int l4,
					 uint32_t *fields)
{
	int ports = snic_rule_masked(r, SNIC_KEY_OFF_SPORT, 4) ||
		    snic_rule_masked(r, SNIC_KEY_OFF_ICMP_TYPE, 1);
	int ip = family || ports || snic_rule_masked(r, SNIC_KEY_OFF_IP_PROTO, 1) ||
		 snic_rule_masked(r, SNIC_KEY_OFF_IP_TOS, 1) ||
		 snic_rule_masked(r, SNIC_KEY_OFF_SIP, 32);

	if (family)
		snic_rule_flag(r, family, 1);
	if (ip)
		snic_rule_flag(r, SNIC_KF_ERR, 0);
	if (l4 || ports)
		snic_rule_flag(r, SNIC_KF_L4, 1);
	if (snic_rule_masked(r, SNIC_KEY_OFF_VLAN, 2))
		snic_rule_flag(r, SNIC_KF_VLAN, 1);
	if (r->mask.flags)
		*fields |= SNIC_FIELD_FLAGS;
}

static inline const char *snic_ntuple_ip4(const struct ethtool_rx_flow_spec *fs, uint32_t flow,
					  struct snic_rule *r, uint32_t *fields)
{
	const struct ethtool_tcpip4_spec *v = &fs->h_u.tcp_ip4_spec, *m = &fs->m_u.tcp_ip4_spec;
	const struct ethtool_usrip4_spec *uv = &fs->h_u.usr_ip4_spec;
	const struct ethtool_usrip4_spec *um = &fs->m_u.usr_ip4_spec;
	uint8_t proto, full = 0xff;

	if (flow == IPV4_USER_FLOW) {
		if (um->l4_4_bytes)
			return "l4data";
		if (um->ip_ver || (uv->ip_ver && uv->ip_ver != ETH_RX_NFC_IP4))
			return "ip_ver";
		snic_rule_put(r, SNIC_KEY_OFF_SIP, &uv->ip4src, &um->ip4src, 4, fields, SNIC_FIELD_SIP);
		snic_rule_put(r, SNIC_KEY_OFF_DIP, &uv->ip4dst, &um->ip4dst, 4, fields, SNIC_FIELD_DIP);
		snic_rule_put(r, SNIC_KEY_OFF_IP_TOS, &uv->tos, &um->tos, 1, fields, SNIC_FIELD_IP_TOS);
		snic_rule_put(r, SNIC_KEY_OFF_IP_PROTO, &uv->proto, &um->proto, 1, fields,
			      SNIC_FIELD_IP_PROTO);
		snic_rule_imply_flags(r, SNIC_KF_IPV4, 0, fields);
		return 0;
	}
	proto = flow == TCP_V4_FLOW ? SNIC_NT_TCP : flow == UDP_V4_FLOW ? SNIC_NT_UDP : SNIC_NT_SCTP;
	snic_rule_put(r, SNIC_KEY_OFF_IP_PROTO, &proto, &full, 1, fields, SNIC_FIELD_IP_PROTO);
	snic_rule_put(r, SNIC_KEY_OFF_SIP, &v->ip4src, &m->ip4src, 4, fields, SNIC_FIELD_SIP);
	snic_rule_put(r, SNIC_KEY_OFF_DIP, &v->ip4dst, &m->ip4dst, 4, fields, SNIC_FIELD_DIP);
	snic_rule_put(r, SNIC_KEY_OFF_SPORT, &v->psrc, &m->psrc, 2, fields, SNIC_FIELD_SPORT);
	snic_rule_put(r, SNIC_KEY_OFF_DPORT, &v->pdst, &m->pdst, 2, fields, SNIC_FIELD_DPORT);
	snic_rule_put(r, SNIC_KEY_OFF_IP_TOS, &v->tos, &m->tos, 1, fields, SNIC_FIELD_IP_TOS);
	snic_rule_imply_flags(r, SNIC_KF_IPV4, 1, fields);
	return 0;
}

static inline const char *snic_ntuple_ip6(const struct ethtool_rx_flow_spec *fs, uint32_t flow,
					  struct snic_rule *r, uint32_t *fields)
{
	const struct ethtool_tcpip6_spec *v = &fs->h_u.tcp_ip6_spec, *m = &fs->m_u.tcp_ip6_spec;
	const struct ethtool_usrip6_spec *uv = &fs->h_u.usr_ip6_spec;
	const struct ethtool_usrip6_spec *um = &fs->m_u.usr_ip6_spec;
	uint8_t proto, full = 0xff;

	if (flow == IPV6_USER_FLOW) {
		if (um->l4_4_bytes)
			return "l4data";
		snic_rule_put(r, SNIC_KEY_OFF_SIP, uv->ip6src, um->ip6src, 16, fields, SNIC_FIELD_SIP);
		snic_rule_put(r, SNIC_KEY_OFF_DIP, uv->ip6dst, um->ip6dst, 16, fields, SNIC_FIELD_DIP);
		snic_rule_put(r, SNIC_KEY_OFF_IP_TOS, &uv->tclass, &um->tclass, 1, fields,
			      SNIC_FIELD_IP_TOS);
		snic_rule_put(r, SNIC_KEY_OFF_IP_PROTO, &uv->l4_proto, &um->l4_proto, 1, fields,
			      SNIC_FIELD_IP_PROTO);
		snic_rule_imply_flags(r, SNIC_KF_IPV6, 0, fields);
		return 0;
	}
	proto = flow == TCP_V6_FLOW ? SNIC_NT_TCP : flow == UDP_V6_FLOW ? SNIC_NT_UDP : SNIC_NT_SCTP;
	snic_rule_put(r, SNIC_KEY_OFF_IP_PROTO, &proto, &full, 1, fields, SNIC_FIELD_IP_PROTO);
	snic_rule_put(r, SNIC_KEY_OFF_SIP, v->ip6src, m->ip6src, 16, fields, SNIC_FIELD_SIP);
	snic_rule_put(r, SNIC_KEY_OFF_DIP, v->ip6dst, m->ip6dst, 16, fields, SNIC_FIELD_DIP);
	snic_rule_put(r, SNIC_KEY_OFF_SPORT, &v->psrc, &m->psrc, 2, fields, SNIC_FIELD_SPORT);
	snic_rule_put(r, SNIC_KEY_OFF_DPORT, &v->pdst, &m->pdst, 2, fields, SNIC_FIELD_DPORT);
	snic_rule_put(r, SNIC_KEY_OFF_IP_TOS, &v->tclass, &m->tclass, 1, fields, SNIC_FIELD_IP_TOS);
	snic_rule_imply_flags(r, SNIC_KF_IPV6, 1, fields);
	return 0;
}

/* FLOW_EXT (vlan; vlan-etype and user-def are refused) and FLOW_MAC_EXT. */
static inline const char *snic_ntuple_ext(const struct ethtool_rx_flow_spec *fs,
					  struct snic_rule *r, uint32_t *fields)
{
	if (fs->flow_type & FLOW_EXT) {
		if (fs->m_ext.vlan_etype)
			return "vlan-etype";
		if (fs->m_ext.data[0] || fs->m_ext.data[1])
			return "user-def";
		/* vlan_tci is network order like the key. */
		snic_rule_put(r, SNIC_KEY_OFF_VLAN, &fs->h_ext.vlan_tci, &fs->m_ext.vlan_tci, 2,
			      fields, SNIC_FIELD_VLAN);
	}
	if (fs->flow_type & FLOW_MAC_EXT)
		snic_rule_put(r, SNIC_KEY_OFF_DMAC, fs->h_ext.h_dest, fs->m_ext.h_dest, 6, fields,
			      SNIC_FIELD_DMAC);
	if (snic_rule_masked(r, SNIC_KEY_OFF_VLAN, 2))
		snic_rule_flag(r, SNIC_KF_VLAN, 1);
	if (r->mask.flags)
		*fields |= SNIC_FIELD_FLAGS;
	return 0;
}

/*
 * The match part of fs into *r (zeroed first; action left zero); *fields
 * gets the SNIC_FIELD_* bits used. Returns NULL, or the ethtool word
 * naming what snic cannot match ("flow-type", "context", "l4data", ...).
 */
static inline const char *snic_ntuple_rule(const struct ethtool_rx_flow_spec *fs,
					   struct snic_rule *r, uint32_t *fields)
{
	uint32_t flow = fs->flow_type & ~(uint32_t)(FLOW_EXT | FLOW_MAC_EXT | FLOW_RSS);
	const struct ethhdr *ev = &fs->h_u.ether_spec, *em = &fs->m_u.ether_spec;
	const char *bad;
	unsigned int i;

	for (i = 0; i < sizeof(*r); i++)
		((uint8_t *)r)[i] = 0;
	*fields = 0;
	if (fs->flow_type & FLOW_RSS)
		return "context";
	switch (flow) {
	case ETHER_FLOW:
		snic_rule_put(r, SNIC_KEY_OFF_DMAC, ev->h_dest, em->h_dest, 6, fields,
			      SNIC_FIELD_DMAC);
		snic_rule_put(r, SNIC_KEY_OFF_SMAC, ev->h_source, em->h_source, 6, fields,
			      SNIC_FIELD_SMAC);
		snic_rule_put(r, SNIC_KEY_OFF_ETHERTYPE, &ev->h_proto, &em->h_proto, 2, fields,
			      SNIC_FIELD_ETHERTYPE);
		bad = 0;
		break;
	case TCP_V4_FLOW:
	case UDP_V4_FLOW:
	case SCTP_V4_FLOW:
	case IPV4_USER_FLOW:
		bad = snic_ntuple_ip4(fs, flow, r, fields);
		break;
	case TCP_V6_FLOW:
	case UDP_V6_FLOW:
	case SCTP_V6_FLOW:
	case IPV6_USER_FLOW:
		bad = snic_ntuple_ip6(fs, flow, r, fields);
		break;
	default:
		bad = "flow-type";
	}
	return bad ? bad : snic_ntuple_ext(fs, r, fields);
}

#endif
