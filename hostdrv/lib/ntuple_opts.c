/* SPDX-License-Identifier: MIT */
/*
 * snicctl's own `rule add` options (--dst-ip 10.0.0.0/8 --proto tcp
 * --dport 80 --vnic 3): the same match as the ethtool words would build,
 * with the same flags-byte semantics (snic_rule_imply_flags): an IPv4
 * address means IPv4, an IPv6 one IPv6, ports a whole transport header,
 * and no IP or port rule matches a malformed frame. Without an address a
 * --proto/--dport rule covers IPv4 and IPv6 alike (ethtool has no flow
 * type for that).
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <snic/ntuple.h>
#include "snic_rulereq.h"

/* "addr[/len]", IPv4 or IPv6 by its syntax; returns the family flag. */
static int ip_prefix(const char *s, uint8_t ip[16], uint8_t mask[16], uint8_t *family)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	int v6 = memchr(s, ':', n) != NULL;
	unsigned long len = v6 ? 128 : 32;

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = 0;
	memset(ip, 0, 16);
	if (v6 ? inet_pton(AF_INET6, buf, ip) != 1 : snic_arg_ipv4(buf, ip, NULL, 0))
		return -1;
	if (slash && snic_arg_uint(slash + 1, 0, v6 ? 128 : 32, &len, NULL, 0))
		return -1;
	for (unsigned i = 0; i < 16; i++) {
		unsigned b = len > 8 * i ? (unsigned)len - 8 * i : 0;
		mask[i] = b >= 8 ? 0xff : (uint8_t)(0xff00u >> b);
		ip[i] &= mask[i];
	}
	*family = v6 ? SNIC_KF_IPV6 : SNIC_KF_IPV4;
	return 0;
}

static int bad_opt(char *err, size_t errlen, const char *opt, const char *val, const char *want)
{
	snprintf(err, errlen, "%s '%s': %s", opt, val, want);
	return -1;
}

/* One numeric option into a big-endian key field of n bytes. */
static int put_uint(struct snic_rule_req *q, const char *opt, const char *s, unsigned long min,
		    unsigned long max, unsigned off, unsigned n, uint32_t field, char *err,
		    size_t errlen)
{
	unsigned long v;
	uint8_t val[2], ones[2] = { 0xff, 0xff };

	if (snic_arg_uint(s, min, max, &v, err, errlen))
		return bad_opt(err, errlen, opt, s, "bad number");
	val[0] = (uint8_t)(n == 2 ? v >> 8 : v);
	val[1] = (uint8_t)v;
	snic_rule_put(&q->rule, off, val, ones, n, &q->fields, field);
	return 0;
}

/* --vnic/--ring/--meter/--loc: the rule's target. */
static int target_opt(struct snic_rule_req *q, const char *a, const char *s, char *err,
		      size_t errlen)
{
	unsigned long v;

	if (snic_arg_uint(s, 0, !strcmp(a, "--loc") ? 0xfffffffeUL : 0xfffe, &v, NULL, 0))
		return bad_opt(err, errlen, a, s, "bad number");
	snic_rule_req_target(q, !strcmp(a, "--vnic") ? 'v' : !strcmp(a, "--ring") ? 'r' :
				!strcmp(a, "--meter") ? 'm' : 'l', v, a);
	return 0;
}

static int addr_opt(struct snic_rule_req *q, const char *a, const char *s, uint8_t *family,
		    char *err, size_t errlen)
{
	uint8_t ip[16], mask[16], fam;
	int src = !strcmp(a, "--src-ip");

	if (ip_prefix(s, ip, mask, &fam))
		return bad_opt(err, errlen, a, s, "want A.B.C.D[/0..32] or an IPv6 address[/0..128]");
	if (*family && *family != fam)
		return bad_opt(err, errlen, a, s, "one rule cannot mix IPv4 and IPv6 addresses");
	*family = fam;
	snic_rule_put(&q->rule, src ? SNIC_KEY_OFF_SIP : SNIC_KEY_OFF_DIP, ip, mask,
		      fam == SNIC_KF_IPV6 ? 16 : 4, &q->fields, src ? SNIC_FIELD_SIP : SNIC_FIELD_DIP);
	return 0;
}

static int match_opt(struct snic_rule_req *q, const char *a, const char *s, uint8_t *family,
		     char *err, size_t errlen)
{
	uint8_t val[6], msk[6];

	if (!strcmp(a, "--dst-mac") || !strcmp(a, "--src-mac")) {
		int dst = a[2] == 'd';
		if (snic_arg_mac_mask(s, val, msk, NULL, 0))
			return bad_opt(err, errlen, a, s, "want xx:xx:xx:xx:xx:xx[/mask]");
		snic_rule_put(&q->rule, dst ? SNIC_KEY_OFF_DMAC : SNIC_KEY_OFF_SMAC, val, msk, 6,
			      &q->fields, dst ? SNIC_FIELD_DMAC : SNIC_FIELD_SMAC);
	} else if (!strcmp(a, "--vlan")) {
		unsigned long v;
		uint8_t m2[2] = { 0x0f, 0xff };  /* the VLAN id, not the priority bits */
		if (snic_arg_uint(s, 1, 4094, &v, NULL, 0))
			return bad_opt(err, errlen, a, s, "want a VLAN id 1..4094");
		val[0] = (uint8_t)(v >> 8);
		val[1] = (uint8_t)v;
		snic_rule_put(&q->rule, SNIC_KEY_OFF_VLAN, val, m2, 2, &q->fields, SNIC_FIELD_VLAN);
	} else if (!strcmp(a, "--ethertype")) {
		return put_uint(q, a, s, 0, 0xffff, SNIC_KEY_OFF_ETHERTYPE, 2, SNIC_FIELD_ETHERTYPE,
				err, errlen);
	} else if (!strcmp(a, "--proto")) {
		uint8_t ones = 0xff;
		if (snic_arg_proto(s, val, NULL, 0))
			return bad_opt(err, errlen, a, s, "want tcp, udp, icmp or 0..255");
		snic_rule_put(&q->rule, SNIC_KEY_OFF_IP_PROTO, val, &ones, 1, &q->fields,
			      SNIC_FIELD_IP_PROTO);
	} else if (!strcmp(a, "--src-ip") || !strcmp(a, "--dst-ip")) {
		return addr_opt(q, a, s, family, err, errlen);
	} else if (!strcmp(a, "--sport") || !strcmp(a, "--dport")) {
		int sp = a[2] == 's';
		return put_uint(q, a, s, 0, 65535, sp ? SNIC_KEY_OFF_SPORT : SNIC_KEY_OFF_DPORT, 2,
				sp ? SNIC_FIELD_SPORT : SNIC_FIELD_DPORT, err, errlen);
	} else if (!strcmp(a, "--port")) {
		return put_uint(q, a, s, 0, SNIC_MAX_UPLINKS - 1, SNIC_KEY_OFF_PORT, 1,
				SNIC_FIELD_PORT, err, errlen);
	} else {
		return target_opt(q, a, s, err, errlen);
	}
	return 0;
}

static const char *const opts_with_value[] = {
	"--loc", "--dst-mac", "--src-mac", "--vlan", "--ethertype", "--proto", "--src-ip",
	"--dst-ip", "--sport", "--dport", "--port", "--vnic", "--meter", "--ring",
};

int snic_rule_parse_opts(int argc, char *const *argv, struct snic_rule_req *q, char *err,
			 size_t errlen)
{
	uint8_t family = 0;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		size_t k, n = sizeof(opts_with_value) / sizeof(opts_with_value[0]);

		if (!strcmp(a, "--drop")) {
			q->rule.action.flags |= SNIC_ACT_DROP;
			snprintf(q->vnic_word, sizeof(q->vnic_word), "--drop");
			continue;
		}
		if (!strcmp(a, "--malformed")) {
			q->malformed = 1;
			continue;
		}
		for (k = 0; k < n && strcmp(a, opts_with_value[k]); k++)
			;
		if (k == n) {
			snprintf(err, errlen, "unknown option '%s' (or ethtool syntax: flow-type ...)",
				 a);
			return -1;
		}
		if (i + 1 >= argc) {
			snprintf(err, errlen, "%s needs a value", a);
			return -1;
		}
		if (match_opt(q, a, argv[++i], &family, err, errlen))
			return -1;
	}
	snic_rule_imply_flags(&q->rule, family, 0, &q->fields);
	return 0;
}
