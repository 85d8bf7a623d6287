/* SPDX-License-Identifier: MIT */
/* Shared between the parser files of the reference classifier. */
#ifndef SNIC_PARSE_INTERNAL_H
#define SNIC_PARSE_INTERNAL_H

#include <stdint.h>
#include <snic/cls.h>
#include "classifier.h"

#define ETH_HLEN         14
#define VLAN_HLEN        4
#define ARP_LEN          28
#define IPV4_MIN_LEN     20
#define IPV6_HLEN        40

#define ETH_P_IPV4       0x0800
#define ETH_P_ARP        0x0806
#define ETH_P_8021Q      0x8100
#define ETH_P_8021AD     0x88a8
#define ETH_P_IPV6       0x86dd

#define IPV4_MF          0x2000
#define IPV4_OFFSET_MASK 0x1fff

/* IPv6 extension headers the parser walks, and how many at most. */
#define IPV6_HOPOPTS     0
#define IPV6_ROUTING     43
#define IPV6_FRAGMENT    44
#define IPV6_DSTOPTS     60
#define IPV6_MAX_EXT     SNIC_IPV6_MAX_EXT

#define PROTO_ICMP       1
#define PROTO_TCP        6
#define PROTO_UDP        17
#define PROTO_ICMPV6     58
#define PROTO_SCTP       132

struct parse_ctx {
	const uint8_t   *hdr;
	uint32_t         lim;  /* usable bytes: min(caplen, frame_len, 128) */
	struct snic_key *key;
};

void parse_l4(struct parse_ctx *c, uint8_t proto, int is_ipv6, uint32_t off);
void parse_ipv6(struct parse_ctx *c, uint32_t off);

#endif
