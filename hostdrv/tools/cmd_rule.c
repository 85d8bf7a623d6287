/* SPDX-License-Identifier: MIT */
/* snicctl rule add|del|show: n-tuple rules in the device classifier. */
#include <string.h>
#include "snicctl.h"

enum kind { K_MAC, K_IP, K_U16, K_U8 };

static const struct field {
	const char *name;
	unsigned    off, len;
	enum kind   kind;
} fields[] = {
	{ "flags",     SNIC_KEY_OFF_FLAGS,     1, K_U8 },
	{ "port",      SNIC_KEY_OFF_PORT,      1, K_U8 },
	{ "dst_mac",   SNIC_KEY_OFF_DMAC,      6, K_MAC },
	{ "src_mac",   SNIC_KEY_OFF_SMAC,      6, K_MAC },
	{ "vlan_outer", SNIC_KEY_OFF_VLAN_OUTER, 2, K_U16 },
	{ "vlan",      SNIC_KEY_OFF_VLAN,      2, K_U16 },
	{ "ethertype", SNIC_KEY_OFF_ETHERTYPE, 2, K_U16 },
	{ "proto",     SNIC_KEY_OFF_IP_PROTO,  1, K_U8 },
	{ "icmp_type", SNIC_KEY_OFF_ICMP_TYPE, 1, K_U8 },
	{ "tos",       SNIC_KEY_OFF_IP_TOS,    1, K_U8 },
	{ "src_ip",    SNIC_KEY_OFF_SIP,       4, K_IP },
	{ "dst_ip",    SNIC_KEY_OFF_DIP,       4, K_IP },
	{ "sport",     SNIC_KEY_OFF_SPORT,     2, K_U16 },
	{ "dport",     SNIC_KEY_OFF_DPORT,     2, K_U16 },
};

static void put_be16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Set one key field to an exact match (all mask bits of `m` given). */
static void set_field(struct snic_rule *r, unsigned off, const uint8_t *v, const uint8_t *m,
		      unsigned len)
{
	uint8_t *val = (uint8_t *)&r->value + off;
	uint8_t *msk = (uint8_t *)&r->mask + off;

	for (unsigned i = 0; i < len; i++) {
		msk[i] = m[i];
		val[i] = v[i] & m[i];
	}
}

static int rule_add(struct ctl *c, int argc, char **argv)
{
	struct snic_rule r;
	unsigned long loc = SNIC_LOC_ANY, v;
	int have_vnic = 0, drop = 0, meter = 0;
	uint8_t val[6], msk[6];
	char err[128];
	const uint8_t ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	memset(&r, 0, sizeof(r));
	r.action.vnic = SNIC_VNIC_NONE;
	r.action.ring = SNIC_RING_DEFAULT;
	r.action.meter = SNIC_METER_NONE;
	r.action.flags = SNIC_ACT_COUNT;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--drop")) {
			drop = 1;
			continue;
		}
		const char *s = ctl_optval(argc, argv, &i);
		if (!s)
			return ctl_usage("rule add: %s needs a value", a);
		if (!strcmp(a, "--loc")) {
			if (ctl_uint(a, s, 0, 0xfffffffe, &loc))
				return EXIT_USAGE;
		} else if (!strcmp(a, "--dst-mac") || !strcmp(a, "--src-mac")) {
			if (snic_arg_mac_mask(s, val, msk, err, sizeof(err)))
				return ctl_usage("rule add: %s: %s", a, err);
			set_field(&r, a[2] == 'd' ? SNIC_KEY_OFF_DMAC : SNIC_KEY_OFF_SMAC, val, msk, 6);
		} else if (!strcmp(a, "--vlan")) {
			if (ctl_uint(a, s, 1, 4094, &v))
				return EXIT_USAGE;
			put_be16(val, (unsigned)v);
			put_be16(msk, 0x0fff);  /* the VLAN id, not the priority bits */
			set_field(&r, SNIC_KEY_OFF_VLAN, val, msk, 2);
		} else if (!strcmp(a, "--ethertype")) {
			if (ctl_uint(a, s, 0, 0xffff, &v))
				return EXIT_USAGE;
			put_be16(val, (unsigned)v);
			set_field(&r, SNIC_KEY_OFF_ETHERTYPE, val, ones, 2);
		} else if (!strcmp(a, "--proto")) {
			if (snic_arg_proto(s, val, err, sizeof(err)))
				return ctl_usage("rule add: %s", err);
			set_field(&r, SNIC_KEY_OFF_IP_PROTO, val, ones, 1);
		} else if (!strcmp(a, "--src-ip") || !strcmp(a, "--dst-ip")) {
			if (snic_arg_ipv4_prefix(s, val, msk, err, sizeof(err)))
				return ctl_usage("rule add: %s: %s", a, err);
			set_field(&r, a[2] == 's' ? SNIC_KEY_OFF_SIP : SNIC_KEY_OFF_DIP, val, msk, 4);
		} else if (!strcmp(a, "--sport") || !strcmp(a, "--dport")) {
			if (ctl_uint(a, s, 0, 65535, &v))
				return EXIT_USAGE;
			put_be16(val, (unsigned)v);
			set_field(&r, a[2] == 's' ? SNIC_KEY_OFF_SPORT : SNIC_KEY_OFF_DPORT,
				  val, ones, 2);
		} else if (!strcmp(a, "--port")) {
			if (ctl_uint(a, s, 0, SNIC_MAX_UPLINKS - 1, &v))
				return EXIT_USAGE;
			val[0] = (uint8_t)v;
			set_field(&r, SNIC_KEY_OFF_PORT, val, ones, 1);
		} else if (!strcmp(a, "--vnic")) {
			if (ctl_uint(a, s, 0, 0xfffe, &v))
				return EXIT_USAGE;
			r.action.vnic = (uint16_t)v;
			have_vnic = 1;
		} else if (!strcmp(a, "--meter")) {
			if (ctl_uint(a, s, 0, 0xfffe, &v))
				return EXIT_USAGE;
			r.action.meter = (uint16_t)v;
			meter = 1;
		} else if (!strcmp(a, "--ring")) {
			if (ctl_uint(a, s, 0, 0xfffe, &v))
				return EXIT_USAGE;
			r.action.ring = (uint16_t)v;
		} else {
			return ctl_usage("rule add: unknown option '%s'", a);
		}
	}
	if (have_vnic == drop)
		return ctl_usage("rule add needs exactly one of --vnic ID and --drop");
	if (drop && meter)
		return ctl_usage("rule add: --meter polices delivered traffic; it cannot go with --drop");
	if (drop)
		r.action.flags |= SNIC_ACT_DROP;
	if (meter)
		r.action.flags |= SNIC_ACT_METER;

	uint32_t got;
	if (snic_rule_add(ctl_dev(c), (uint32_t)loc, &r, &got))
		return ctl_fail(c, "rule add");
	if (c->json) {
		json_obj_begin(&c->j, NULL);
		json_uint(&c->j, "loc", got);
		json_obj_end(&c->j);
		json_done(&c->j);
	} else {
		printf("rule %u added\n", got);
	}
	return 0;
}

static int prefix_len(const uint8_t *m, unsigned len)
{
	unsigned bits = 0, i = 0;

	while (i < len && m[i] == 0xff) {
		bits += 8;
		i++;
	}
	if (i < len) {
		uint8_t b = m[i];
		while (b & 0x80) {
			bits++;
			b = (uint8_t)(b << 1);
		}
		if (b)
			return -1;
		for (i++; i < len; i++)
			if (m[i])
				return -1;
	}
	return (int)bits;
}

/* "value" or "value/mask" of one key field. */
static void fmt_field(char *buf, size_t n, const struct field *f, const uint8_t *v,
		      const uint8_t *m)
{
	int full = prefix_len(m, f->len) == (int)(8 * f->len);

	switch (f->kind) {
	case K_MAC: {
		char a[18], b[18];
		ctl_fmt_mac(a, v);
		ctl_fmt_mac(b, m);
		if (full)
			snprintf(buf, n, "%s", a);
		else
			snprintf(buf, n, "%s/%s", a, b);
		return;
	}
	case K_IP: {
		int pl = prefix_len(m, 4);
		if (pl >= 0)
			snprintf(buf, n, "%u.%u.%u.%u/%d", v[0], v[1], v[2], v[3], pl);
		else
			snprintf(buf, n, "%u.%u.%u.%u/%u.%u.%u.%u", v[0], v[1], v[2], v[3],
				 m[0], m[1], m[2], m[3]);
		return;
	}
	case K_U16: {
		unsigned vv = (unsigned)v[0] << 8 | v[1], mm = (unsigned)m[0] << 8 | m[1];
		if (full)
			snprintf(buf, n, "%u", vv);
		else
			snprintf(buf, n, "%u/0x%04x", vv, mm);
		return;
	}
	case K_U8:
		if (full)
			snprintf(buf, n, "%u", v[0]);
		else
			snprintf(buf, n, "%u/0x%02x", v[0], m[0]);
		return;
	}
}

static void print_rule(struct ctl *c, const struct snic_rule_info *ri)
{
	const uint8_t *v = (const uint8_t *)&ri->rule.value;
	const uint8_t *m = (const uint8_t *)&ri->rule.mask;
	const struct snic_action *a = &ri->rule.action;
	char buf[64];

	if (c->json) {
		struct json *j = &c->j;
		json_obj_begin(j, NULL);
		json_uint(j, "loc", ri->loc);
		json_uint(j, "hits", ri->hits);
		json_obj_begin(j, "match");
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			const struct field *f = &fields[i];
			if (prefix_len(m + f->off, f->len) == 0)
				continue;
			fmt_field(buf, sizeof(buf), f, v + f->off, m + f->off);
			json_str(j, f->name, buf);
		}
		json_obj_end(j);
		json_obj_begin(j, "action");
		if (a->vnic == SNIC_VNIC_NONE)
			json_null(j, "vnic");
		else
			json_uint(j, "vnic", a->vnic);
		if (a->ring == SNIC_RING_DEFAULT)
			json_null(j, "ring");
		else
			json_uint(j, "ring", a->ring);
		json_bool(j, "drop", !!(a->flags & SNIC_ACT_DROP));
		json_bool(j, "count", !!(a->flags & SNIC_ACT_COUNT));
		json_bool(j, "mark_sw", !!(a->flags & SNIC_ACT_MARK_SW));
		if (a->flags & SNIC_ACT_METER)
			json_uint(j, "meter", a->meter);
		else
			json_null(j, "meter");
		json_obj_end(j);
		json_obj_end(j);
		json_done(j);
		return;
	}
	printf("rule %u:", ri->loc);
	int any = 0;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct field *f = &fields[i];
		if (prefix_len(m + f->off, f->len) == 0)
			continue;
		fmt_field(buf, sizeof(buf), f, v + f->off, m + f->off);
		printf(" %s %s", f->name, buf);
		any = 1;
	}
	if (!any)
		printf(" any");
	if (a->flags & SNIC_ACT_DROP)
		printf(" -> drop");
	else if (a->vnic != SNIC_VNIC_NONE)
		printf(" -> vnic %u", a->vnic);
	else
		printf(" -> none");
	if (a->ring != SNIC_RING_DEFAULT)
		printf(" ring %u", a->ring);
	if (a->flags & SNIC_ACT_METER)
		printf(" meter %u", a->meter);
	if (a->flags & SNIC_ACT_MARK_SW)
		printf(" (software ring)");
	printf(", hits %llu\n", (unsigned long long)ri->hits);
}

int cmd_rule(struct ctl *c, int argc, char **argv)
{
	unsigned long loc;

	if (argc < 2)
		return ctl_usage("rule needs add, del or show");
	if (!strcmp(argv[1], "add"))
		return rule_add(c, argc, argv);
	if (strcmp(argv[1], "del") && strcmp(argv[1], "show"))
		return ctl_usage("unknown rule command '%s'", argv[1]);
	if (argc != 3)
		return ctl_usage("rule %s takes one location", argv[1]);
	if (ctl_uint("rule location", argv[2], 0, 0xfffffffe, &loc))
		return EXIT_USAGE;
	struct snic_dev *d = ctl_dev(c);
	if (!strcmp(argv[1], "del")) {
		if (snic_rule_del(d, (uint32_t)loc))
			return ctl_fail(c, "rule del");
		if (c->json) {
			json_obj_begin(&c->j, NULL);
			json_uint(&c->j, "deleted", loc);
			json_obj_end(&c->j);
			json_done(&c->j);
		} else {
			printf("rule %lu deleted\n", loc);
		}
		return 0;
	}
	struct snic_rule_info ri;
	if (snic_rule_query(d, (uint32_t)loc, &ri))
		return ctl_fail(c, "rule show");
	print_rule(c, &ri);
	return 0;
}
