/* SPDX-License-Identifier: MIT */
/*
 * IPv6 part of the reference parser: the fixed header, then up to
 * IPV6_MAX_EXT extension headers (hop-by-hop, routing, fragment,
 * destination options), then the transport header. Mirrors the IPv6
 * stages of hdl/snic_parser.sv and hdl/snic_ipv6_ext.sv.
 */
#include "parse_internal.h"

static int is_ext(uint8_t next)
{
	return next == IPV6_HOPOPTS || next == IPV6_ROUTING ||
	       next == IPV6_FRAGMENT || next == IPV6_DSTOPTS;
}

void parse_ipv6(struct parse_ctx *c, uint32_t off)
{
	const uint8_t *h = c->hdr;
	struct snic_key *k = c->key;
	uint8_t next;

	if (off + IPV6_HLEN > c->lim || (h[off] >> 4) != 6) {
		k->flags |= SNIC_KF_ERR;
		return;
	}
	k->ip_tos = (uint8_t)(h[off] << 4 | h[off + 1] >> 4);
	for (int i = 0; i < 16; i++) {
		k->sip[i] = h[off + 8 + i];
		k->dip[i] = h[off + 24 + i];
	}
	k->flags |= SNIC_KF_IPV6;
	next = h[off + 6];
	off += IPV6_HLEN;

	for (int n = 0; is_ext(next); n++) {
		uint32_t len;
		if (n == IPV6_MAX_EXT) {
			/* deeper than the hardware walks: upper layer unknown */
			k->flags |= SNIC_KF_ERR;
			return;
		}
		/* every extension header is at least 8 bytes long */
		if (off + 8 > c->lim) {
			k->flags |= SNIC_KF_ERR;
			return;
		}
		len = next == IPV6_FRAGMENT ? 8 : ((uint32_t)h[off + 1] + 1) * 8;
		if (off + len > c->lim) {
			k->flags |= SNIC_KF_ERR;
			return;
		}
		if (next == IPV6_FRAGMENT) {
			uint16_t fo = (uint16_t)(h[off + 2] << 8 | h[off + 3]);
			if (fo & 0xfff9) /* offset (high 13 bits) or M (bit 0) */
				k->flags |= SNIC_KF_FRAG;
			if (fo & 0xfff8) {
				/* not the first fragment: no headers follow */
				k->ip_proto = h[off];
				return;
			}
		}
		next = h[off];
		off += len;
	}
	k->ip_proto = next;
	parse_l4(c, next, 1, off);
}
