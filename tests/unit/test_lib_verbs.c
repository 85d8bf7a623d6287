/* SPDX-License-Identifier: MIT */
/*
 * libsnic: verbs flow specs -> snic rules (snic_verbs_translate). Every
 * spec type, values and masks in network byte order, implied flags,
 * priorities and ports, and refusals that name the spec and field,
 * including hostile sizes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include "snic_verbs.h"

/* An attribute and room for its specs, built the way verbs code does. */
struct flow {
	struct ibv_flow_attr attr;
	uint8_t specs[1024];
};

static struct snic_caps caps;
static char err[SNIC_ERRMSG_MAX];
static struct snic_verbs_flow out;

static void caps_large(void)
{
	memset(&caps, 0, sizeof(caps));
	strcpy(caps.profile, "large");
	caps.n_uplinks = 4;
	caps.max_vnics = 128;
	caps.cls.key_fields = SNIC_FIELD_ALL;
	caps.cls.user_entries = 1024;
	caps.cls.actions = SNIC_CLSCAP_ACT_VNIC | SNIC_CLSCAP_ACT_DROP | SNIC_CLSCAP_ACT_COUNT;
}

static int setup(void **state)
{
	(void)state;
	caps_large();
	return 0;
}

static void flow_init(struct flow *f)
{
	memset(f, 0, sizeof(*f));
	f->attr.type = IBV_FLOW_ATTR_NORMAL;
	f->attr.size = sizeof(f->attr);
}

static void add(struct flow *f, const void *spec, size_t n)
{
	memcpy((uint8_t *)f + f->attr.size, spec, n);
	f->attr.size = (uint16_t)(f->attr.size + n);
	f->attr.num_of_specs++;
}

static void add_eth(struct flow *f, const uint8_t *dmac, uint16_t et, uint16_t et_mask)
{
	struct ibv_flow_spec_eth s = { .type = IBV_FLOW_SPEC_ETH, .size = sizeof(s) };
	if (dmac) {
		memcpy(s.val.dst_mac, dmac, 6);
		memset(s.mask.dst_mac, 0xff, 6);
	}
	s.val.ether_type = htons(et);
	s.mask.ether_type = htons(et_mask);
	add(f, &s, sizeof(s));
}

static void add_ipv4(struct flow *f, const char *dst, const char *dmask)
{
	struct ibv_flow_spec_ipv4 s = { .type = IBV_FLOW_SPEC_IPV4, .size = sizeof(s) };
	inet_pton(AF_INET, dst, &s.val.dst_ip);
	inet_pton(AF_INET, dmask, &s.mask.dst_ip);
	add(f, &s, sizeof(s));
}

static void add_l4(struct flow *f, int tcp, uint16_t dport)
{
	struct ibv_flow_spec_tcp_udp s = { .type = tcp ? IBV_FLOW_SPEC_TCP : IBV_FLOW_SPEC_UDP,
					   .size = sizeof(s) };
	s.val.dst_port = htons(dport);
	s.mask.dst_port = 0xffff;
	add(f, &s, sizeof(s));
}

static void add_tag(struct flow *f, uint32_t tag)
{
	struct ibv_flow_spec_action_tag s = { .type = IBV_FLOW_SPEC_ACTION_TAG,
					      .size = sizeof(s), .tag_id = tag };
	add(f, &s, sizeof(s));
}

static void add_drop(struct flow *f)
{
	struct ibv_flow_spec_action_drop s = { .type = IBV_FLOW_SPEC_ACTION_DROP,
					       .size = sizeof(s) };
	add(f, &s, sizeof(s));
}

static int xlate(const struct flow *f, uint16_t vnic)
{
	err[0] = 0;
	return snic_verbs_translate(&caps, &f->attr, sizeof(*f), vnic, &out, err, sizeof(err));
}

/* Translation must fail with a message containing every given word. */
static void refused(const struct flow *f, uint16_t vnic, const char *w1, const char *w2)
{
	memset(&out, 0x5a, sizeof(out));
	struct snic_verbs_flow before = out;
	if (xlate(f, vnic) != SNIC_ERR_ARG)
		fail_msg("accepted; wanted an error about %s", w1);
	if (!strstr(err, w1) || (w2 && !strstr(err, w2)))
		fail_msg("message '%s' does not say '%s' / '%s'", err, w1, w2 ? w2 : "");
	assert_memory_equal(&out, &before, sizeof(out));  /* untouched */
}

/* A flow of just this one spec must be refused so. */
static void refused_alone(const void *spec, size_t n, uint16_t vnic, const char *w1,
			  const char *w2)
{
	struct flow f;
	flow_init(&f);
	add(&f, spec, n);
	refused(&f, vnic, w1, w2);
}

static const uint8_t *kv(void) { return (const uint8_t *)&out.rule.value; }
static const uint8_t *km(void) { return (const uint8_t *)&out.rule.mask; }

static void eth_ipv4_tcp_tag(void **state)
{
	(void)state;
	struct flow f;
	const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x03 };
	flow_init(&f);
	add_eth(&f, mac, 0, 0);
	add_ipv4(&f, "10.0.0.80", "255.255.255.255");
	add_l4(&f, 1, 80);
	add_tag(&f, 3);
	assert_int_equal(xlate(&f, SNIC_VNIC_NONE), 0);
	assert_memory_equal(kv() + SNIC_KEY_OFF_DMAC, mac, 6);
	const uint8_t dip[4] = { 10, 0, 0, 80 }, ones[4] = { 0xff, 0xff, 0xff, 0xff };
	assert_memory_equal(kv() + SNIC_KEY_OFF_DIP, dip, 4);
	assert_memory_equal(km() + SNIC_KEY_OFF_DIP, ones, 4);
	assert_int_equal(km()[SNIC_KEY_OFF_DIP + 4], 0);      /* IPv4: 4 bytes only */
	assert_int_equal(kv()[SNIC_KEY_OFF_DPORT], 0);
	assert_int_equal(kv()[SNIC_KEY_OFF_DPORT + 1], 80);  /* network order */
	assert_int_equal(km()[SNIC_KEY_OFF_SPORT], 0);
	assert_int_equal(kv()[SNIC_KEY_OFF_IP_PROTO], 6);
	assert_int_equal(km()[SNIC_KEY_OFF_IP_PROTO], 0xff);
	/* IPv4 and a complete L4 header are implied, as ethtool's tcp4, and
	 * a malformed frame (KF_ERR) never matches. */
	assert_int_equal(kv()[0], SNIC_KF_IPV4 | SNIC_KF_L4);
	assert_int_equal(km()[0], SNIC_KF_IPV4 | SNIC_KF_L4 | SNIC_KF_ERR);
	assert_int_equal(km()[SNIC_KEY_OFF_ETHERTYPE], 0);
	assert_int_equal(km()[SNIC_KEY_OFF_PORT], 0);         /* attr.port 0: any */
	assert_int_equal(out.rule.action.vnic, 3);
	assert_int_equal(out.rule.action.ring, SNIC_RING_DEFAULT);
	assert_int_equal(out.rule.action.meter, SNIC_METER_NONE);
	assert_int_equal(out.rule.action.flags, SNIC_ACT_COUNT);
	assert_int_equal(out.loc_first, 0);
	assert_int_equal(out.loc_count, 128);
}

static void eth_fields_and_partial_masks(void **state)
{
	(void)state;
	struct flow f;
	struct ibv_flow_spec_eth s = { .type = IBV_FLOW_SPEC_ETH, .size = sizeof(s) };
	const uint8_t dst[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	const uint8_t src[6] = { 0x02, 0xaa, 0, 0, 0, 7 };
	memcpy(s.val.dst_mac, dst, 6);
	memset(s.mask.dst_mac, 0xff, 3);          /* OUI only: the rest ignored */
	memcpy(s.val.src_mac, src, 6);
	memset(s.mask.src_mac, 0xff, 6);
	s.val.ether_type = htons(0x88b5);
	s.mask.ether_type = 0xffff;
	s.val.vlan_tag = htons(0xa064);           /* PCP 5, VID 100 */
	s.mask.vlan_tag = htons(0x0fff);          /* VID only */
	flow_init(&f);
	add(&f, &s, sizeof(s));
	assert_int_equal(xlate(&f, 7), 0);
	const uint8_t dv[6] = { 0x02, 0x11, 0x22, 0, 0, 0 }, dm[6] = { 0xff, 0xff, 0xff, 0, 0, 0 };
	assert_memory_equal(kv() + SNIC_KEY_OFF_DMAC, dv, 6);
	assert_memory_equal(km() + SNIC_KEY_OFF_DMAC, dm, 6);
	assert_memory_equal(kv() + SNIC_KEY_OFF_SMAC, src, 6);
	assert_int_equal(kv()[SNIC_KEY_OFF_ETHERTYPE], 0x88);
	assert_int_equal(kv()[SNIC_KEY_OFF_ETHERTYPE + 1], 0xb5);
	assert_int_equal(kv()[SNIC_KEY_OFF_VLAN], 0x00);       /* PCP masked off */
	assert_int_equal(kv()[SNIC_KEY_OFF_VLAN + 1], 0x64);
	assert_int_equal(km()[SNIC_KEY_OFF_VLAN], 0x0f);
	assert_int_equal(kv()[0], SNIC_KF_VLAN);                /* tagged frames only */
	assert_int_equal(km()[0], SNIC_KF_VLAN);
	assert_int_equal(out.rule.action.vnic, 7);             /* the caller's VNIC */
}

static void ipv4_ext_fields(void **state)
{
	(void)state;
	struct flow f;
	struct ibv_flow_spec_ipv4_ext s = { .type = IBV_FLOW_SPEC_IPV4_EXT, .size = sizeof(s) };
	inet_pton(AF_INET, "192.168.1.0", &s.val.src_ip);
	inet_pton(AF_INET, "255.255.255.0", &s.mask.src_ip);
	s.val.proto = 17, s.mask.proto = 0xff;
	s.val.tos = 0xb8, s.mask.tos = 0xfc;
	flow_init(&f);
	add(&f, &s, sizeof(s));
	assert_int_equal(xlate(&f, 1), 0);
	const uint8_t sip[4] = { 192, 168, 1, 0 }, sm[4] = { 0xff, 0xff, 0xff, 0 };
	assert_memory_equal(kv() + SNIC_KEY_OFF_SIP, sip, 4);
	assert_memory_equal(km() + SNIC_KEY_OFF_SIP, sm, 4);
	assert_int_equal(kv()[SNIC_KEY_OFF_IP_PROTO], 17);
	assert_int_equal(kv()[SNIC_KEY_OFF_IP_TOS], 0xb8);
	assert_int_equal(km()[SNIC_KEY_OFF_IP_TOS], 0xfc);
	assert_int_equal(kv()[0], SNIC_KF_IPV4);
	assert_int_equal(km()[0], SNIC_KF_IPV4 | SNIC_KF_ERR);
	/* ttl and flags are not in the key. */
	s.mask.ttl = 0xff;
	refused_alone(&s, sizeof(s), 1, "spec 0 (ipv4_ext)", "ttl");
	s.mask.ttl = 0, s.mask.flags = 0x40;
	refused_alone(&s, sizeof(s), 1, "spec 0 (ipv4_ext)", "flags");
	/* Its proto contradicting a tcp spec. */
	s.mask.flags = 0;
	flow_init(&f);
	add(&f, &s, sizeof(s));
	add_l4(&f, 1, 80);
	refused(&f, 1, "spec 1 (tcp)", "contradicts");
}

static void ipv6_udp(void **state)
{
	(void)state;
	struct flow f;
	struct ibv_flow_spec_ipv6 s = { .type = IBV_FLOW_SPEC_IPV6, .size = sizeof(s) };
	inet_pton(AF_INET6, "fd00::1", s.val.dst_ip);
	memset(s.mask.dst_ip, 0xff, 16);
	inet_pton(AF_INET6, "fd00::", s.val.src_ip);
	memset(s.mask.src_ip, 0xff, 1);           /* fd00::/8 */
	s.val.traffic_class = 0x20, s.mask.traffic_class = 0xff;
	flow_init(&f);
	add(&f, &s, sizeof(s));
	add_l4(&f, 0, 53);
	assert_int_equal(xlate(&f, 2), 0);
	assert_memory_equal(kv() + SNIC_KEY_OFF_DIP, s.val.dst_ip, 16);
	assert_int_equal(kv()[SNIC_KEY_OFF_SIP], 0xfd);
	assert_int_equal(km()[SNIC_KEY_OFF_SIP], 0xff);
	assert_int_equal(km()[SNIC_KEY_OFF_SIP + 1], 0);
	assert_int_equal(kv()[SNIC_KEY_OFF_IP_PROTO], 17);
	assert_int_equal(kv()[SNIC_KEY_OFF_IP_TOS], 0x20);
	assert_int_equal(kv()[SNIC_KEY_OFF_DPORT + 1], 53);
	assert_int_equal(kv()[0], SNIC_KF_IPV6 | SNIC_KF_L4);
	assert_int_equal(km()[0], SNIC_KF_IPV6 | SNIC_KF_L4 | SNIC_KF_ERR);
	/* next_hdr 6 and a udp spec contradict; flow_label is not in the key. */
	s.val.next_hdr = 6, s.mask.next_hdr = 0xff;
	flow_init(&f);
	add(&f, &s, sizeof(s));
	add_l4(&f, 0, 53);
	refused(&f, 2, "spec 1 (udp)", "contradicts");
	s.mask.next_hdr = 0, s.mask.flow_label = htonl(0xfffff);
	refused_alone(&s, sizeof(s), 2, "spec 0 (ipv6)", "flow_label");
	s.mask.flow_label = 0, s.mask.hop_limit = 0xff;
	refused_alone(&s, sizeof(s), 2, "spec 0 (ipv6)", "hop_limit");
}

static void l4_alone_and_udp(void **state)
{
	(void)state;
	struct flow f;
	flow_init(&f);
	add_l4(&f, 0, 4789);
	assert_int_equal(xlate(&f, 4), 0);
	/* No IP spec: UDP over either IP version, ports valid, not malformed. */
	assert_int_equal(kv()[0], SNIC_KF_L4);
	assert_int_equal(km()[0], SNIC_KF_L4 | SNIC_KF_ERR);
	assert_int_equal(kv()[SNIC_KEY_OFF_IP_PROTO], 17);
	assert_int_equal(kv()[SNIC_KEY_OFF_DPORT], 4789 >> 8);
	assert_int_equal(kv()[SNIC_KEY_OFF_DPORT + 1], 4789 & 0xff);
}

static void drop_action(void **state)
{
	(void)state;
	struct flow f;
	flow_init(&f);
	add_ipv4(&f, "10.9.0.0", "255.255.0.0");
	add_drop(&f);
	assert_int_equal(xlate(&f, SNIC_VNIC_NONE), 0);
	assert_int_equal(out.rule.action.flags, SNIC_ACT_DROP | SNIC_ACT_COUNT);
	assert_int_equal(out.rule.action.vnic, SNIC_VNIC_NONE);
	add_tag(&f, 1);
	refused(&f, SNIC_VNIC_NONE, "action_drop and action_tag", NULL);
	caps.cls.actions = SNIC_CLSCAP_ACT_VNIC;
	flow_init(&f);
	add_drop(&f);
	refused(&f, SNIC_VNIC_NONE, "cannot drop", NULL);
}

static void destinations(void **state)
{
	(void)state;
	struct flow f;
	flow_init(&f);
	add_l4(&f, 1, 22);
	refused(&f, SNIC_VNIC_NONE, "no destination", NULL);
	refused(&f, 128, "VNIC 128", NULL);
	add_tag(&f, 5);
	refused(&f, 6, "action_tag names VNIC 5", "VNIC 6");
	assert_int_equal(xlate(&f, 5), 0);
	assert_int_equal(out.rule.action.vnic, 5);
	add_tag(&f, 5);
	refused(&f, SNIC_VNIC_NONE, "second action_tag", NULL);
	flow_init(&f);
	add_tag(&f, 128);
	refused(&f, SNIC_VNIC_NONE, "spec 0 (action_tag)", "tag_id 128");
	flow_init(&f);
	add_tag(&f, 0xffffffffu);
	refused(&f, SNIC_VNIC_NONE, "tag_id 4294967295", NULL);
	/* No specs at all: a catch-all rule for the VNIC. */
	flow_init(&f);
	assert_int_equal(xlate(&f, 9), 0);
	uint8_t zero[SNIC_KEY_BYTES] = { 0 };
	assert_memory_equal(km(), zero, sizeof(zero));
}

static void priorities_and_ports(void **state)
{
	(void)state;
	struct flow f;
	flow_init(&f);
	add_tag(&f, 1);
	f.attr.priority = 3;
	assert_int_equal(xlate(&f, SNIC_VNIC_NONE), 0);
	assert_int_equal(out.priority, 3);
	assert_int_equal(out.loc_first, 384);
	assert_int_equal(out.loc_count, 128);
	f.attr.priority = 7;
	caps.cls.user_entries = 64;                 /* the small card */
	assert_int_equal(xlate(&f, SNIC_VNIC_NONE), 0);
	assert_int_equal(out.loc_first, 56);
	assert_int_equal(out.loc_count, 8);
	f.attr.priority = 8;
	refused(&f, SNIC_VNIC_NONE, "attr.priority 8", "0..7");
	caps.cls.user_entries = 4;                  /* fewer locations than priorities */
	f.attr.priority = 0;
	refused(&f, SNIC_VNIC_NONE, "attr.priority 0", "leave it none");
	caps.cls.user_entries = 1024;
	f.attr.port = 2;                            /* verbs ports count from 1 */
	assert_int_equal(xlate(&f, SNIC_VNIC_NONE), 0);
	assert_int_equal(kv()[SNIC_KEY_OFF_PORT], 1);
	assert_int_equal(km()[SNIC_KEY_OFF_PORT], 0xff);
	f.attr.port = 5;
	refused(&f, SNIC_VNIC_NONE, "attr.port 5", "1..4");
}

/* The small profile matches flags, port, MACs, VLAN and ethertype only. */
static void profile_lacks_field(void **state)
{
	(void)state;
	struct flow f;
	caps.cls.key_fields = SNIC_FIELD_FLAGS | SNIC_FIELD_PORT | SNIC_FIELD_DMAC |
			      SNIC_FIELD_SMAC | SNIC_FIELD_VLAN | SNIC_FIELD_ETHERTYPE;
	strcpy(caps.profile, "small");
	flow_init(&f);
	add_ipv4(&f, "10.0.0.80", "255.255.255.255");
	add_tag(&f, 1);
	refused(&f, SNIC_VNIC_NONE, "spec 0 (ipv4): dst_ip", "small profile");
	flow_init(&f);
	add_ipv4(&f, "0.0.0.0", "0.0.0.0");         /* "any IPv4": flags only */
	add_tag(&f, 1);
	assert_int_equal(xlate(&f, SNIC_VNIC_NONE), 0);
	assert_int_equal(km()[0], SNIC_KF_IPV4 | SNIC_KF_ERR);
	add_l4(&f, 1, 80);
	refused(&f, SNIC_VNIC_NONE, "spec 2 (tcp)", "ip_proto");
}

static void ethertype_vs_l3(void **state)
{
	(void)state;
	struct flow f;
	flow_init(&f);
	add_eth(&f, NULL, 0x86dd, 0xffff);
	add_ipv4(&f, "10.0.0.1", "255.255.255.255");
	add_tag(&f, 1);
	refused(&f, SNIC_VNIC_NONE, "ether_type 0x86dd", "ipv4");
	flow_init(&f);
	add_eth(&f, NULL, 0x0800, 0xffff);
	add_ipv4(&f, "10.0.0.1", "255.255.255.255");
	add_tag(&f, 1);
	assert_int_equal(xlate(&f, SNIC_VNIC_NONE), 0);
	flow_init(&f);
	add_eth(&f, NULL, 0, 0);
	add_eth(&f, NULL, 0, 0);
	refused(&f, 1, "spec 1 (eth)", "second eth");
	flow_init(&f);
	add_ipv4(&f, "10.0.0.1", "255.255.255.255");
	struct ibv_flow_spec_ipv6 s6 = { .type = IBV_FLOW_SPEC_IPV6, .size = sizeof(s6) };
	add(&f, &s6, sizeof(s6));
	refused(&f, 1, "spec 1 (ipv6)", "second ipv4/ipv6");
}

static void attr_refusals(void **state)
{
	(void)state;
	struct flow f;
	static const struct { uint32_t type; const char *word; } types[] = {
		{ IBV_FLOW_ATTR_ALL_DEFAULT, "ALL_DEFAULT" },
		{ IBV_FLOW_ATTR_MC_DEFAULT, "MC_DEFAULT" },
		{ IBV_FLOW_ATTR_SNIFFER, "SNIFFER" },
		{ 9, "attr.type 9" },
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		flow_init(&f);
		add_tag(&f, 1);
		f.attr.type = (enum ibv_flow_attr_type)types[i].type;
		refused(&f, SNIC_VNIC_NONE, types[i].word, NULL);
	}
	flow_init(&f);
	add_tag(&f, 1);
	f.attr.flags = IBV_FLOW_ATTR_FLAGS_DONT_TRAP;
	refused(&f, SNIC_VNIC_NONE, "DONT_TRAP", NULL);
	f.attr.flags = IBV_FLOW_ATTR_FLAGS_EGRESS;
	refused(&f, SNIC_VNIC_NONE, "EGRESS", NULL);
	f.attr.flags = 0x100;
	refused(&f, SNIC_VNIC_NONE, "attr.flags 0x100", NULL);
	f.attr.flags = 0;
	f.attr.comp_mask = 1;
	refused(&f, SNIC_VNIC_NONE, "attr.comp_mask", NULL);
}

/* Specs snic cannot express and types nobody defined. */
static void spec_refusals(void **state)
{
	(void)state;
	struct flow f;
	static const struct { uint32_t type; size_t size; const char *word; } specs[] = {
		{ IBV_FLOW_SPEC_ESP, sizeof(struct ibv_flow_spec_esp), "(esp): not supported" },
		{ IBV_FLOW_SPEC_GRE, sizeof(struct ibv_flow_spec_gre), "(gre)" },
		{ IBV_FLOW_SPEC_MPLS, sizeof(struct ibv_flow_spec_mpls), "(mpls)" },
		{ IBV_FLOW_SPEC_VXLAN_TUNNEL, sizeof(struct ibv_flow_spec_tunnel), "(vxlan_tunnel)" },
		{ IBV_FLOW_SPEC_ACTION_COUNT, sizeof(struct ibv_flow_spec_counter_action),
		  "(action_count)" },
		{ IBV_FLOW_SPEC_INNER | IBV_FLOW_SPEC_TCP, sizeof(struct ibv_flow_spec_tcp_udp),
		  "tunnel" },
		{ 0x77, 16, "unknown spec type 0x77" },
	};
	uint8_t buf[128];
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		memset(buf, 0, sizeof(buf));
		uint32_t t = specs[i].type;
		uint16_t sz = (uint16_t)specs[i].size;
		memcpy(buf, &t, 4);
		memcpy(buf + 4, &sz, 2);
		flow_init(&f);
		add(&f, buf, specs[i].size);
		refused(&f, 1, specs[i].word, NULL);
	}
}

static void hostile_sizes(void **state)
{
	(void)state;
	struct flow f;
	flow_init(&f);
	add_l4(&f, 1, 80);
	add_tag(&f, 1);
	/* Buffer shorter than the attribute, or than attr.size. */
	assert_int_equal(snic_verbs_translate(&caps, &f.attr, sizeof(f.attr) - 1, 1, &out, err,
					      sizeof(err)), SNIC_ERR_ARG);
	assert_non_null(strstr(err, "shorter than struct ibv_flow_attr"));
	assert_int_equal(snic_verbs_translate(&caps, &f.attr, f.attr.size - 1u, 1, &out, err,
					      sizeof(err)), SNIC_ERR_ARG);
	assert_non_null(strstr(err, "attr.size"));
	/* More specs claimed than attr.size holds. */
	f.attr.num_of_specs = 3;
	refused(&f, 1, "spec 2", "num_of_specs");
	f.attr.num_of_specs = 255;
	refused(&f, 1, "spec 2", NULL);
	/* Fewer specs than attr.size holds: the sizes do not add up. */
	f.attr.num_of_specs = 1;
	refused(&f, 1, "attr.size", "end at byte");
	f.attr.num_of_specs = 2;
	f.attr.size = 4;
	refused(&f, 1, "attr.size 4", NULL);
	/* attr.size 0 (libibverbs never reads it; DPDK leaves it 0): the
	 * specs only have to fit the buffer. */
	f.attr.size = 0;
	assert_int_equal(xlate(&f, 1), 0);
	assert_int_equal(kv()[SNIC_KEY_OFF_DPORT + 1], 80);
	size_t two = sizeof(f.attr) + sizeof(struct ibv_flow_spec_tcp_udp) +
		     sizeof(struct ibv_flow_spec_action_tag);
	assert_int_equal(snic_verbs_translate(&caps, &f.attr, two - 1, 1, &out, err,
					      sizeof(err)), SNIC_ERR_ARG);
	assert_non_null(strstr(err, "spec 1"));
	f.attr.num_of_specs = 255;
	assert_int_equal(snic_verbs_translate(&caps, &f.attr, two, 1, &out, err,
					      sizeof(err)), SNIC_ERR_ARG);
	assert_non_null(strstr(err, "spec 2"));
	f.attr.num_of_specs = 2;
	/* A spec size of 0 (would loop), past the end, or not its struct's. */
	struct ibv_flow_spec_tcp_udp *t = (void *)f.specs;
	f.attr.size = (uint16_t)(sizeof(f.attr) + sizeof(*t) + sizeof(struct ibv_flow_spec_action_tag));
	t->size = 0;
	refused(&f, 1, "spec 0", "size 0");
	t->size = 1000;
	refused(&f, 1, "spec 0", "size 1000");
	t->size = sizeof(*t) + 8;
	f.attr.size = (uint16_t)(f.attr.size + 8);
	refused(&f, 1, "spec 0 (tcp): size", "expected");
}

/* The same attribute at an odd address gives the same rule. */
static void unaligned_buffer(void **state)
{
	(void)state;
	struct flow f;
	static uint8_t raw[sizeof(struct flow) + 1];
	flow_init(&f);
	add_ipv4(&f, "10.0.0.80", "255.255.255.255");
	add_l4(&f, 1, 80);
	add_tag(&f, 3);
	assert_int_equal(xlate(&f, SNIC_VNIC_NONE), 0);
	struct snic_verbs_flow want = out;
	memcpy(raw + 1, &f, sizeof(f));
	assert_int_equal(snic_verbs_translate(&caps, (const void *)(raw + 1), sizeof(f),
					      SNIC_VNIC_NONE, &out, err, sizeof(err)), 0);
	assert_memory_equal(&out, &want, sizeof(out));
}

/* Random attributes and specs: never a crash, an error always says why,
 * and an accepted rule never has value bits outside its mask. */
static void random_garbage(void **state)
{
	(void)state;
	static const uint32_t types[] = { 0x20, 0x30, 0x31, 0x32, 0x40, 0x41, 0x1000, 0x1001, 0x5 };
	struct flow f;
	unsigned accepted = 0;
	srand(12);
	for (int iter = 0; iter < 20000; iter++) {
		uint8_t *b = (uint8_t *)&f;
		for (size_t i = 0; i < sizeof(f); i++)
			b[i] = (uint8_t)(rand() & (rand() % 3 ? 0 : 0xff));
		f.attr.type = IBV_FLOW_ATTR_NORMAL;
		f.attr.flags = 0, f.attr.comp_mask = 0, f.attr.priority = (uint16_t)(rand() % 9);
		f.attr.port = (uint8_t)(rand() % 6);
		size_t off = sizeof(f.attr);
		unsigned n = (unsigned)(rand() % 5);
		for (unsigned i = 0; i < n && off + 160 < sizeof(f); i++) {
			uint32_t ty = types[rand() % 9];
			uint16_t sz = (uint16_t)(rand() % 4 ? 0 : rand() % 200);
			if (!sz)
				sz = ty == 0x20 ? 40 : ty == 0x30 ? 24 : ty == 0x31 ? 88 :
				     ty == 0x32 ? 32 : ty >= 0x1000 ? (ty == 0x1000 ? 12 : 8) : 16;
			memcpy(b + off, &ty, 4);
			memcpy(b + off + 4, &sz, 2);
			off += sz;
		}
		f.attr.num_of_specs = (uint8_t)(rand() % 8 ? n : (unsigned)rand() % 256);
		f.attr.size = (uint16_t)(rand() % 8 ? off : (size_t)rand() % 2000);
		size_t len = rand() % 8 ? sizeof(f) : (size_t)(rand() % 100);
		int rc = snic_verbs_translate(&caps, &f.attr, len, (uint16_t)(rand() % 130),
					      &out, err, sizeof(err));
		if (rc) {
			assert_int_equal(rc, SNIC_ERR_ARG);
			assert_true(strlen(err) > 10);
			continue;
		}
		accepted++;
		for (unsigned i = 0; i < SNIC_KEY_BYTES; i++)
			assert_int_equal(kv()[i] & ~km()[i], 0);
	}
	assert_true(accepted > 100);   /* the generator does reach valid flows */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(eth_ipv4_tcp_tag, setup),
		cmocka_unit_test_setup(eth_fields_and_partial_masks, setup),
		cmocka_unit_test_setup(ipv4_ext_fields, setup),
		cmocka_unit_test_setup(ipv6_udp, setup),
		cmocka_unit_test_setup(l4_alone_and_udp, setup),
		cmocka_unit_test_setup(drop_action, setup),
		cmocka_unit_test_setup(destinations, setup),
		cmocka_unit_test_setup(priorities_and_ports, setup),
		cmocka_unit_test_setup(profile_lacks_field, setup),
		cmocka_unit_test_setup(ethertype_vs_l3, setup),
		cmocka_unit_test_setup(attr_refusals, setup),
		cmocka_unit_test_setup(spec_refusals, setup),
		cmocka_unit_test_setup(hostile_sizes, setup),
		cmocka_unit_test_setup(unaligned_buffer, setup),
		cmocka_unit_test_setup(random_garbage, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
