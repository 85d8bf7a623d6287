/* SPDX-License-Identifier: MIT */
/*
 * `rule add` words -> a classifier rule. ethtool's n-tuple syntax fills a
 * struct ethtool_rx_flow_spec exactly as ethtool(8) would and hands it to
 * the translator the kernel driver uses (<snic/ntuple.h>), so the same
 * words give the same rule through `snicctl rule add` and `ethtool -N`.
 * snicctl's --options (ntuple_opts.c) build the same match with the same
 * flags-byte semantics (snic_rule_imply_flags).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <snic/ntuple.h>
#include "snic_rulereq.h"

/* Flow classes a word is valid in. */
#define C_ETH  0x01u
#define C_IP4  0x02u /* ip4 */
#define C_L4V4 0x04u /* tcp4 udp4 sctp4 */
#define C_IP6  0x08u
#define C_L4V6 0x10u
#define C_ANY  0x1fu

enum vkind { V_MAC, V_IP4, V_IP6, V_U8, V_BE16, V_BE32, V_BE64 };
enum where { W_FLOW, W_EXT };

static const struct flow_name {
	const char *name;
	uint32_t    type, cls;
} flows[] = {
	{ "ether", ETHER_FLOW, C_ETH },    { "ip4", IPV4_USER_FLOW, C_IP4 },
	{ "tcp4", TCP_V4_FLOW, C_L4V4 },   { "udp4", UDP_V4_FLOW, C_L4V4 },
	{ "sctp4", SCTP_V4_FLOW, C_L4V4 }, { "ip6", IPV6_USER_FLOW, C_IP6 },
	{ "tcp6", TCP_V6_FLOW, C_L4V6 },   { "udp6", UDP_V6_FLOW, C_L4V6 },
	{ "sctp6", SCTP_V6_FLOW, C_L4V6 },
};

#define T4  struct ethtool_tcpip4_spec
#define U4  struct ethtool_usrip4_spec
#define T6  struct ethtool_tcpip6_spec
#define U6  struct ethtool_usrip6_spec
#define EXT struct ethtool_flow_ext
static const struct word {
	const char *name;
	uint32_t    cls;
	enum vkind  kind;
	enum where  where;
	size_t      off;
	uint32_t    flow_flag;  /* FLOW_EXT / FLOW_MAC_EXT the word needs */
} words[] = {
	{ "src",        C_ETH,  V_MAC,  W_FLOW, offsetof(struct ethhdr, h_source), 0 },
	{ "dst",        C_ETH,  V_MAC,  W_FLOW, offsetof(struct ethhdr, h_dest), 0 },
	{ "proto",      C_ETH,  V_BE16, W_FLOW, offsetof(struct ethhdr, h_proto), 0 },
	{ "src-ip",     C_IP4 | C_L4V4, V_IP4, W_FLOW, offsetof(T4, ip4src), 0 },
	{ "dst-ip",     C_IP4 | C_L4V4, V_IP4, W_FLOW, offsetof(T4, ip4dst), 0 },
	{ "src-ip",     C_IP6 | C_L4V6, V_IP6, W_FLOW, offsetof(T6, ip6src), 0 },
	{ "dst-ip",     C_IP6 | C_L4V6, V_IP6, W_FLOW, offsetof(T6, ip6dst), 0 },
	{ "tos",        C_IP4,  V_U8,   W_FLOW, offsetof(U4, tos), 0 },
	{ "tos",        C_L4V4, V_U8,   W_FLOW, offsetof(T4, tos), 0 },
	{ "tclass",     C_IP6,  V_U8,   W_FLOW, offsetof(U6, tclass), 0 },
	{ "tclass",     C_L4V6, V_U8,   W_FLOW, offsetof(T6, tclass), 0 },
	{ "l4proto",    C_IP4,  V_U8,   W_FLOW, offsetof(U4, proto), 0 },
	{ "l4proto",    C_IP6,  V_U8,   W_FLOW, offsetof(U6, l4_proto), 0 },
	{ "l4data",     C_IP4,  V_BE32, W_FLOW, offsetof(U4, l4_4_bytes), 0 },
	{ "l4data",     C_IP6,  V_BE32, W_FLOW, offsetof(U6, l4_4_bytes), 0 },
	{ "src-port",   C_L4V4, V_BE16, W_FLOW, offsetof(T4, psrc), 0 },
	{ "dst-port",   C_L4V4, V_BE16, W_FLOW, offsetof(T4, pdst), 0 },
	{ "src-port",   C_L4V6, V_BE16, W_FLOW, offsetof(T6, psrc), 0 },
	{ "dst-port",   C_L4V6, V_BE16, W_FLOW, offsetof(T6, pdst), 0 },
	{ "vlan",       C_ANY,  V_BE16, W_EXT,  offsetof(EXT, vlan_tci), FLOW_EXT },
	{ "vlan-etype", C_ANY,  V_BE16, W_EXT,  offsetof(EXT, vlan_etype), FLOW_EXT },
	{ "user-def",   C_ANY,  V_BE64, W_EXT,  offsetof(EXT, data), FLOW_EXT },
	{ "dst-mac",    C_ANY,  V_MAC,  W_EXT,  offsetof(EXT, h_dest), FLOW_MAC_EXT },
};

static const size_t vsize[] = { 6, 4, 16, 1, 2, 4, 8 };

static int fail(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
	snprintf(err, errlen, fmt, a, b);
	return -1;
}

/* One value of `kind` into out (network order). */
static int parse_value(enum vkind kind, const char *s, uint8_t *out)
{
	unsigned long v;
	unsigned long long v64;
	char *end;

	switch (kind) {
	case V_MAC:
		return snic_arg_mac(s, out, NULL, 0);
	case V_IP4:
		return inet_pton(AF_INET, s, out) == 1 ? 0 : -1;
	case V_IP6:
		return inet_pton(AF_INET6, s, out) == 1 ? 0 : -1;
	case V_BE64:
		/* 64 bits: snic_arg_uint stops at unsigned long on 32-bit hosts. */
		if (s[0] == '-' || s[0] == '+' || s[0] == ' ')
			return -1;
		v64 = strtoull(s, &end, s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10);
		if (!s[0] || *end)
			return -1;
		for (int i = 7; i >= 0; i--, v64 >>= 8)
			out[i] = (uint8_t)v64;
		return 0;
	default:
		break;
	}
	unsigned long max = kind == V_U8 ? 0xff : kind == V_BE16 ? 0xffff : 0xffffffffUL;
	if (snic_arg_uint(s, 0, max, &v, NULL, 0))
		return -1;
	size_t n = vsize[kind];
	for (size_t i = 0; i < n; i++)
		out[n - 1 - i] = (uint8_t)(v >> (8 * i));
	return 0;
}

static const char *const vhelp[] = {
	"xx:xx:xx:xx:xx:xx", "an IPv4 address", "an IPv6 address", "0..255",
	"0..65535", "a 32-bit number", "a 64-bit number",
};

static const struct word *find_word(const char *name, uint32_t cls)
{
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(words[i].name, name) && (words[i].cls & cls))
			return &words[i];
	return NULL;
}

/* A field word, its value and an optional `m MASK` (ethtool: mask bits
 * set are ignored, so the rule's mask is its complement). */
static int field_word(struct ethtool_rx_flow_spec *fs, const struct word *w, int argc,
		      char *const *argv, int *i, char *err, size_t errlen)
{
	uint8_t *val = (uint8_t *)(w->where == W_FLOW ? (void *)&fs->h_u : (void *)&fs->h_ext);
	uint8_t *msk = (uint8_t *)(w->where == W_FLOW ? (void *)&fs->m_u : (void *)&fs->m_ext);
	size_t n = vsize[w->kind];
	uint8_t ign[16];

	if (*i + 1 >= argc)
		return fail(err, errlen, "%s needs a value (%s)", w->name, vhelp[w->kind]);
	const char *s = argv[++*i];
	if (parse_value(w->kind, s, val + w->off))
		return fail(err, errlen, "%s '%s': bad value", w->name, s);
	memset(ign, 0, sizeof(ign));
	if (*i + 2 < argc && !strcmp(argv[*i + 1], "m")) {
		*i += 2;
		if (parse_value(w->kind, argv[*i], ign))
			return fail(err, errlen, "%s ... m '%s': bad mask", w->name, argv[*i]);
	}
	for (size_t k = 0; k < n; k++) {
		msk[w->off + k] = (uint8_t)~ign[k];
		val[w->off + k] &= msk[w->off + k];
	}
	fs->flow_type |= w->flow_flag;
	return 0;
}

/* action N | action -1 | vf N | queue N | loc N | meter N: the rule's target. */
static int action_word(struct snic_rule_req *q, int argc, char *const *argv, int *i,
		       char *err, size_t errlen)
{
	const char *a = argv[*i];
	unsigned long v;

	if (*i + 1 >= argc)
		return fail(err, errlen, "%s needs a value%s", a, "");
	const char *s = argv[++*i];
	if (!strcmp(a, "action") && !strcmp(s, "-1")) {
		q->rule.action.flags |= SNIC_ACT_DROP;
		snprintf(q->vnic_word, sizeof(q->vnic_word), "action -1");
		return 0;
	}
	unsigned long max = !strcmp(a, "loc") ? 0xfffffffeUL : 0xfffe;
	if (snic_arg_uint(s, 0, max, &v, NULL, 0))
		return fail(err, errlen, "%s '%s': bad number", a, s);
	if (!strcmp(a, "action")) {
		q->ring_owner = 1;
		q->ring = (uint16_t)v;
		snprintf(q->vnic_word, sizeof(q->vnic_word), "action %lu", v);
		return 0;
	}
	snic_rule_req_target(q, !strcmp(a, "vf") ? 'v' : !strcmp(a, "queue") ? 'r' :
				!strcmp(a, "meter") ? 'm' : 'l', v, a);
	return 0;
}

void snic_rule_req_target(struct snic_rule_req *q, char what, unsigned long v, const char *word)
{
	char *w;
	size_t n = sizeof(q->vnic_word);

	switch (what) {
	case 'v':
		q->rule.action.vnic = (uint16_t)v;
		w = q->vnic_word;
		break;
	case 'r':
		q->rule.action.ring = (uint16_t)v;
		w = q->ring_word;
		break;
	case 'm':
		q->rule.action.meter = (uint16_t)v;
		q->rule.action.flags |= SNIC_ACT_METER;
		w = q->meter_word;
		break;
	default:
		q->loc = (uint32_t)v;
		w = q->loc_word;
	}
	snprintf(w, n, "%s %lu", word, v);
}

static int is_action_word(const char *a)
{
	return !strcmp(a, "action") || !strcmp(a, "vf") || !strcmp(a, "queue") ||
	       !strcmp(a, "loc") || !strcmp(a, "meter");
}

/* The target must be exactly one of: a ring (action N), a VNIC (vf N
 * [queue M]) or drop (action -1); a drop takes no meter or queue. */
static int check_target(const struct snic_rule_req *q, const char *style, char *err,
			size_t errlen)
{
	int drop = !!(q->rule.action.flags & SNIC_ACT_DROP);
	int vnic = q->rule.action.vnic != SNIC_VNIC_NONE;

	if (drop + vnic + q->ring_owner != 1)
		return fail(err, errlen, "rule add needs exactly one target: %s%s", style, "");
	if (q->ring_owner && q->rule.action.ring != SNIC_RING_DEFAULT)
		return fail(err, errlen, "%s: `action N` already names the ring; %s",
			    q->ring_word, "use `vf N queue M` for a VNIC and a ring");
	if (drop && (q->rule.action.flags & SNIC_ACT_METER))
		return fail(err, errlen, "%s: a meter polices delivered traffic; it cannot go with %s",
			    q->meter_word, "a drop");
	if (drop && q->rule.action.ring != SNIC_RING_DEFAULT)
		return fail(err, errlen, "%s: a dropped frame goes to no ring%s", q->ring_word, "");
	return 0;
}

/* `malformed`: only frames whose key has KF_ERR; never with a transport
 * match (a frame with KF_L4 had a whole transport header). */
static int apply_malformed(struct snic_rule_req *q, char *err, size_t errlen)
{
	if (!q->malformed)
		return 0;
	if (q->rule.mask.flags & q->rule.value.flags & SNIC_KF_L4)
		return fail(err, errlen, "malformed: %s never match malformed frames%s",
			    "ports and tcp/udp/sctp flows", "; use ip4/ip6/ether");
	snic_rule_flag(&q->rule, SNIC_KF_ERR, 1);
	q->fields |= SNIC_FIELD_FLAGS;
	return 0;
}

static void req_init(struct snic_rule_req *q)
{
	memset(q, 0, sizeof(*q));
	q->loc = SNIC_LOC_ANY;
}

static void action_init(struct snic_rule_req *q)
{
	q->rule.action.vnic = SNIC_VNIC_NONE;
	q->rule.action.ring = SNIC_RING_DEFAULT;
	q->rule.action.meter = SNIC_METER_NONE;
	q->rule.action.flags |= SNIC_ACT_COUNT;
}

static int parse_ethtool(int argc, char *const *argv, struct snic_rule_req *q, char *err,
			 size_t errlen)
{
	struct ethtool_rx_flow_spec fs;
	const struct flow_name *fl = NULL;
	int i;

	memset(&fs, 0, sizeof(fs));
	if (argc < 2)
		return fail(err, errlen, "flow-type needs a type (%s)%s",
			    "ether ip4 tcp4 udp4 sctp4 ip6 tcp6 udp6 sctp6", "");
	for (size_t k = 0; k < sizeof(flows) / sizeof(flows[0]); k++)
		if (!strcmp(argv[1], flows[k].name))
			fl = &flows[k];
	if (!fl)
		return fail(err, errlen, "flow-type '%s': unknown (%s)", argv[1],
			    "ether ip4 tcp4 udp4 sctp4 ip6 tcp6 udp6 sctp6");
	fs.flow_type = fl->type;
	if (fl->type == IPV4_USER_FLOW)
		fs.h_u.usr_ip4_spec.ip_ver = ETH_RX_NFC_IP4; /* as ethtool sets it */
	struct snic_action act = q->rule.action;
	for (i = 2; i < argc; i++) {
		const struct word *w = find_word(argv[i], fl->cls);
		if (w) {
			if (field_word(&fs, w, argc, argv, &i, err, errlen))
				return -1;
		} else if (is_action_word(argv[i])) {
			if (action_word(q, argc, argv, &i, err, errlen))
				return -1;
			act = q->rule.action;
		} else if (!strcmp(argv[i], "malformed")) {
			q->malformed = 1;
		} else {
			return fail(err, errlen, "'%s': not a field of flow-type %s", argv[i],
				    fl->name);
		}
	}
	const char *bad = snic_ntuple_rule(&fs, &q->rule, &q->fields);
	q->rule.action = act;  /* the translator zeroes the whole rule */
	if (bad)
		return fail(err, errlen, "%s: this device cannot match it (flow-type %s)", bad,
			    fl->name);
	return 0;
}

int snic_rule_parse(int argc, char *const *argv, struct snic_rule_req *q, char *err,
		    size_t errlen)
{
	req_init(q);
	action_init(q);
	if (argc > 0 && !strcmp(argv[0], "flow-type")) {
		if (parse_ethtool(argc, argv, q, err, errlen) ||
		    check_target(q, "action N (RX ring), vf N [queue M] (VNIC) or action -1 (drop)",
				 err, errlen))
			return -1;
	} else if (snic_rule_parse_opts(argc, argv, q, err, errlen) ||
		   check_target(q, "--vnic ID or --drop", err, errlen)) {
		return -1;
	}
	return apply_malformed(q, err, errlen);
}
