/* SPDX-License-Identifier: MIT */
/*
 * Header parser of the C reference classifier. It mirrors the HDL parser
 * (hdl/snic_parser.sv) rule for rule; docs/classifier.md is the spec.
 *
 * The frame is walked layer by layer: Ethernet addresses, VLAN tags and
 * ethertype, the network header (ARP, IPv4, IPv6 with extension headers),
 * then the transport header. A layer's key fields are written only after
 * the whole layer header has been checked, so when a header is truncated
 * or malformed its fields and everything after it stay zero and only
 * SNIC_KF_ERR is added. Freestanding: no libc.
 */
#include "classifier.h"
#include "parse_internal.h"

static void key_clear(struct snic_key *key)
{
	uint8_t *b = (uint8_t *)key;
	for (uint32_t i = 0; i < sizeof(*key); i++)
		b[i] = 0;
}

static void copy_bytes(uint8_t *dst, const uint8_t *src, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		dst[i] = src[i];
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* True when bytes [off, off + n) are inside the usable part of the frame. */
static int have(const struct parse_ctx *c, uint32_t off, uint32_t n)
{
	return off + n <= c->lim;
}

static void set_err(struct parse_ctx *c)
{
	c->key->flags |= SNIC_KF_ERR;
}

/*
 * Transport header at `off`: ports for TCP/UDP/SCTP, the type for ICMP
 * (IPv4 protocol 1) and ICMPv6 (IPv6 next header 58). Other protocols
 * have no transport fields and are not an error.
 */
void parse_l4(struct parse_ctx *c, uint8_t proto, int is_ipv6, uint32_t off)
{
	struct snic_key *k = c->key;

	switch (proto) {
	case PROTO_TCP:
	case PROTO_UDP:
	case PROTO_SCTP:
		if (!have(c, off, 4)) {
			set_err(c);
			return;
		}
		copy_bytes(k->sport, c->hdr + off, 2);
		copy_bytes(k->dport, c->hdr + off + 2, 2);
		k->flags |= SNIC_KF_L4;
		return;
	case PROTO_ICMP:
	case PROTO_ICMPV6:
		if ((proto == PROTO_ICMP) == (is_ipv6 != 0))
			return; /* ICMP inside IPv6 or ICMPv6 inside IPv4 */
		if (!have(c, off, 1)) {
			set_err(c);
			return;
		}
		k->icmp_type = c->hdr[off];
		k->flags |= SNIC_KF_L4;
		return;
	default:
		return;
	}
}

/* ARP for IPv4 over any hardware type with 6-byte addresses. */
static void parse_arp(struct parse_ctx *c, uint32_t off)
{
	const uint8_t *a = c->hdr + off;

	if (!have(c, off, ARP_LEN) || be16(a + 2) != ETH_P_IPV4 ||
	    a[4] != 6 || a[5] != 4) {
		set_err(c);
		return;
	}
	copy_bytes(c->key->sip, a + 14, 4);
	copy_bytes(c->key->dip, a + 24, 4);
	c->key->flags |= SNIC_KF_ARP;
}

static void parse_ipv4(struct parse_ctx *c, uint32_t off)
{
	const uint8_t *ip = c->hdr + off;
	struct snic_key *k = c->key;
	uint32_t ihl;
	uint16_t frag;

	if (!have(c, off, IPV4_MIN_LEN)) {
		set_err(c);
		return;
	}
	ihl = (uint32_t)(ip[0] & 0x0f) * 4;
	if ((ip[0] >> 4) != 4 || ihl < IPV4_MIN_LEN || !have(c, off, ihl)) {
		set_err(c);
		return;
	}
	k->ip_tos = ip[1];
	k->ip_proto = ip[9];
	copy_bytes(k->sip, ip + 12, 4);
	copy_bytes(k->dip, ip + 16, 4);
	k->flags |= SNIC_KF_IPV4;

	frag = be16(ip + 6);
	if (frag & (IPV4_MF | IPV4_OFFSET_MASK))
		k->flags |= SNIC_KF_FRAG;
	if (frag & IPV4_OFFSET_MASK)
		return; /* not the first fragment: no transport header here */
	parse_l4(c, ip[9], 0, off + ihl);
}

/*
 * Ethernet header and up to two VLAN tags. A tag is 0x8100, or 0x88A8 as
 * the outermost one; a third tag cannot be represented in the key and is
 * an error. Returns 0 and the network header offset in *l3off, or -1 when
 * the frame ends inside the Ethernet header or a tag.
 */
static int parse_l2(struct parse_ctx *c, uint32_t *l3off)
{
	struct snic_key *k = c->key;
	const uint8_t *h = c->hdr;
	uint16_t type;
	uint32_t ntags = 0;
	uint32_t off = ETH_HLEN;

	if (!have(c, 0, ETH_HLEN)) {
		set_err(c);
		return -1;
	}
	copy_bytes(k->dmac, h, 6);
	copy_bytes(k->smac, h + 6, 6);

	type = be16(h + 12);
	while (type == ETH_P_8021Q || (type == ETH_P_8021AD && ntags == 0)) {
		if (ntags == 2) {
			/* Third tag: keep the two tags, nothing after them. */
			k->ethertype[0] = (uint8_t)(type >> 8);
			k->ethertype[1] = (uint8_t)type;
			set_err(c);
			return -1;
		}
		if (!have(c, off, VLAN_HLEN)) {
			/* Truncated tag: no tag fields at all. */
			k->vlan_outer[0] = k->vlan_outer[1] = 0;
			k->vlan[0] = k->vlan[1] = 0;
			k->flags &= (uint8_t)~(SNIC_KF_VLAN | SNIC_KF_QINQ);
			set_err(c);
			return -1;
		}
		if (ntags == 1) {
			copy_bytes(k->vlan_outer, k->vlan, 2);
			k->flags |= SNIC_KF_QINQ;
		}
		copy_bytes(k->vlan, h + off, 2);
		k->flags |= SNIC_KF_VLAN;
		type = be16(h + off + 2);
		off += VLAN_HLEN;
		ntags++;
	}
	k->ethertype[0] = (uint8_t)(type >> 8);
	k->ethertype[1] = (uint8_t)type;
	*l3off = off;
	return 0;
}

void snic_parse(const uint8_t *hdr, uint32_t caplen, uint32_t frame_len,
		uint8_t port, struct snic_key *key)
{
	struct parse_ctx c;
	uint32_t l3off;
	uint16_t type;

	c.hdr = hdr;
	c.lim = caplen < frame_len ? caplen : frame_len;
	if (c.lim > SNIC_PARSE_BYTES)
		c.lim = SNIC_PARSE_BYTES;
	c.key = key;

	key_clear(key);
	key->port = port;
	if (parse_l2(&c, &l3off) < 0)
		return;

	type = be16(key->ethertype);
	switch (type) {
	case ETH_P_IPV4:
		parse_ipv4(&c, l3off);
		break;
	case ETH_P_IPV6:
		parse_ipv6(&c, l3off);
		break;
	case ETH_P_ARP:
		parse_arp(&c, l3off);
		break;
	default:
		break; /* other ethertypes: L2 fields only */
	}
}
