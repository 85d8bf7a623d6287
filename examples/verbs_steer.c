/* SPDX-License-Identifier: MIT */
/*
 * verbs_steer: steer one TCP flow to a VNIC with a verbs flow spec.
 *
 * The rule is written exactly as verbs flow steering code writes it for
 * ibv_create_flow(): a struct ibv_flow_attr followed by eth, ipv4 and tcp
 * specs (network byte order, values and masks) and an action_tag; only
 * the last call is snic's. On snic the tag names the destination VNIC.
 *
 *   verbs_steer WINDOW VNIC DST_IP[/LEN] DST_PORT [PRIORITY]
 *
 * Prints the rule location it got; on error the library's sentence (which
 * spec, which field) and exit status 1.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "snic_verbs.h"

/* The layout verbs programs use: the attribute, then its specs. */
struct steer_flow {
	struct ibv_flow_attr attr;
	struct ibv_flow_spec_eth eth;
	struct ibv_flow_spec_ipv4 ipv4;
	struct ibv_flow_spec_tcp_udp tcp;
	struct ibv_flow_spec_action_tag tag;
};
/* Every part is a multiple of 4 bytes: no padding between the specs. */
_Static_assert(sizeof(struct steer_flow) == sizeof(struct ibv_flow_attr) +
	       sizeof(struct ibv_flow_spec_eth) + sizeof(struct ibv_flow_spec_ipv4) +
	       sizeof(struct ibv_flow_spec_tcp_udp) + sizeof(struct ibv_flow_spec_action_tag),
	       "verbs specs must follow each other without gaps");

static void build(struct steer_flow *f, uint32_t vnic, struct in_addr dst, unsigned len,
		  uint16_t port, uint16_t priority)
{
	memset(f, 0, sizeof(*f));
	f->attr.type = IBV_FLOW_ATTR_NORMAL;
	f->attr.size = sizeof(*f);
	f->attr.priority = priority;
	f->attr.num_of_specs = 4;
	f->attr.port = 1;                      /* the first uplink */

	f->eth.type = IBV_FLOW_SPEC_ETH;       /* any MAC: match on L3/L4 only */
	f->eth.size = sizeof(f->eth);

	f->ipv4.type = IBV_FLOW_SPEC_IPV4;
	f->ipv4.size = sizeof(f->ipv4);
	f->ipv4.val.dst_ip = dst.s_addr;       /* already network order */
	f->ipv4.mask.dst_ip = htonl(len ? 0xffffffffu << (32 - len) : 0);

	f->tcp.type = IBV_FLOW_SPEC_TCP;
	f->tcp.size = sizeof(f->tcp);
	f->tcp.val.dst_port = htons(port);
	f->tcp.mask.dst_port = 0xffff;

	f->tag.type = IBV_FLOW_SPEC_ACTION_TAG;
	f->tag.size = sizeof(f->tag);
	f->tag.tag_id = vnic;
}

int main(int argc, char **argv)
{
	struct steer_flow f;
	struct in_addr dst;
	uint32_t loc = 0;
	char ip[64];
	unsigned len = 32;
	char *slash = argc >= 4 ? strchr(argv[3], '/') : NULL;

	if (argc >= 4)
		snprintf(ip, sizeof(ip), "%.*s", slash ? (int)(slash - argv[3]) : 63, argv[3]);
	if (slash)
		len = (unsigned)strtoul(slash + 1, NULL, 10);
	if (argc < 5 || argc > 6 || inet_pton(AF_INET, ip, &dst) != 1 || len > 32) {
		fprintf(stderr, "usage: verbs_steer WINDOW VNIC DST_IP[/LEN] DST_PORT [PRIORITY]\n");
		return 2;
	}
	build(&f, (uint32_t)strtoul(argv[2], NULL, 10), dst, len,
	      (uint16_t)strtoul(argv[4], NULL, 10),
	      (uint16_t)(argc == 6 ? strtoul(argv[5], NULL, 10) : 0));

	struct snic_dev *d = snic_alloc();
	if (!d || snic_open(d, argv[1])) {
		fprintf(stderr, "verbs_steer: %s: %s\n", argv[1], d ? snic_errmsg(d) : "no memory");
		if (d)
			snic_close(d);
		return 1;
	}
	if (snic_verbs_flow_add(d, SNIC_VNIC_NONE, &f.attr, sizeof(f), &loc)) {
		fprintf(stderr, "verbs_steer: %s\n", snic_errmsg(d));
		snic_close(d);
		return 1;
	}
	printf("verbs flow to VNIC %u at rule location %u\n", f.tag.tag_id, loc);
	snic_close(d);
	return 0;
}
