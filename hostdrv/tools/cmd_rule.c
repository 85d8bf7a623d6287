/* SPDX-License-Identifier: MIT */
/* snicctl rule add|del|show: n-tuple rules in the device classifier. */
#include <string.h>
#include <arpa/inet.h>
#include "snicctl.h"
#include "snic_rulereq.h"

enum kind { K_MAC, K_IP, K_U16, K_U8, K_FLAGS };

static const struct field {
	const char *name;
	unsigned    off, len;
	enum kind   kind;
} fields[] = {
	{ "flags",     SNIC_KEY_OFF_FLAGS,     1, K_FLAGS },
	{ "port",      SNIC_KEY_OFF_PORT,      1, K_U8 },
	{ "dst_mac",   SNIC_KEY_OFF_DMAC,      6, K_MAC },
	{ "src_mac",   SNIC_KEY_OFF_SMAC,      6, K_MAC },
	{ "vlan_outer", SNIC_KEY_OFF_VLAN_OUTER, 2, K_U16 },
	{ "vlan",      SNIC_KEY_OFF_VLAN,      2, K_U16 },
	{ "ethertype", SNIC_KEY_OFF_ETHERTYPE, 2, K_U16 },
	{ "proto",     SNIC_KEY_OFF_IP_PROTO,  1, K_U8 },
	{ "icmp_type", SNIC_KEY_OFF_ICMP_TYPE, 1, K_U8 },
	{ "tos",       SNIC_KEY_OFF_IP_TOS,    1, K_U8 },
	{ "src_ip",    SNIC_KEY_OFF_SIP,      16, K_IP },
	{ "dst_ip",    SNIC_KEY_OFF_DIP,      16, K_IP },
	{ "sport",     SNIC_KEY_OFF_SPORT,     2, K_U16 },
	{ "dport",     SNIC_KEY_OFF_DPORT,     2, K_U16 },
};

/*
 * rule add: ethtool's n-tuple words (flow-type tcp4 dst-ip ... action 3)
 * or snicctl's --options; both parsed by the library (ntuple.c) into the
 * rule `ethtool -N` would build. Device refusals name the word at fault.
 */
static int rule_add(struct ctl *c, int argc, char **argv)
{
	struct snic_rule_req q;
	char err[256];
	uint32_t got;

	if (snic_rule_parse(argc - 2, argv + 2, &q, err, sizeof(err)))
		return ctl_usage("rule add: %s", err);
	struct snic_dev *d = ctl_dev(c);
	if (snic_rule_req_resolve(d, &q))
		return ctl_fail(c, "rule add");
	int rc = snic_rule_add(d, q.loc, &q.rule, &got);
	if (rc > 0) {
		snic_rule_req_explain(d, &q, rc, err, sizeof(err));
		fprintf(stderr, "snicctl: rule add: %s\n", err);
		return EXIT_DEVICE;
	}
	if (rc)
		return ctl_fail(c, "rule add");
	uint32_t sw = snic_rule_last_sw(d);
	char f[96];
	snic_fields_str(sw, f, sizeof(f));
	if (c->json) {
		json_obj_begin(&c->j, NULL);
		json_uint(&c->j, "loc", got);
		json_bool(&c->j, "software", sw != 0);
		if (sw)
			json_str(&c->j, "device_lacks", f);
		json_obj_end(&c->j);
		json_done(&c->j);
	} else if (sw) {
		printf("rule %u added, held in software: this device cannot match %s, so it "
		       "sends the frames the rule's other fields match to the shared ring, "
		       "where the host software classifier (snicctl rx) applies the rule%s\n",
		       got, f, snic_rule_fields(&q.rule) & ~sw ? "" :
		       " (no field left for the device: every frame goes through software)");
	} else {
		printf("rule %u added\n", got);
	}
	return 0;
}

static void print_one(struct ctl *c, const struct snic_rule_info *ri, const char *sw);

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

/* The flags byte as what it requires: "ipv4,l4,!malformed". */
static void fmt_flags(char *buf, size_t n, uint8_t v, uint8_t m)
{
	static const char *const names[8] = {
		"vlan", "qinq", "ipv4", "ipv6", "l4", "fragment", "arp", "malformed",
	};
	size_t k = 0;

	buf[0] = 0;
	for (unsigned b = 0; b < 8 && k + 1 < n; b++)
		if (m & (1u << b))
			k += (size_t)snprintf(buf + k, n - k, "%s%s%s", k ? "," : "",
					      v & (1u << b) ? "" : "!", names[b]);
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
		/* IPv6 when the rule looks past the first 4 bytes. */
		int v6 = prefix_len(m + 4, 12) != 0, pl = prefix_len(m, v6 ? 16 : 4);
		char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
		inet_ntop(v6 ? AF_INET6 : AF_INET, v, a, sizeof(a));
		inet_ntop(v6 ? AF_INET6 : AF_INET, m, b, sizeof(b));
		if (pl >= 0)
			snprintf(buf, n, "%s/%d", a, pl);
		else
			snprintf(buf, n, "%s/%s", a, b);
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
	case K_FLAGS:
		fmt_flags(buf, n, v[0], m[0]);
		return;
	case K_U8:
		if (full)
			snprintf(buf, n, "%u", v[0]);
		else
			snprintf(buf, n, "%u/0x%02x", v[0], m[0]);
		return;
	}
}

/*
 * A software rule (the mirror says so, and the device holds its coarse
 * form there) shows as asked, with the device's hits of the coarse form
 * and the fields the device lacks. m: the loaded mirror, or NULL.
 */
static void print_rule(struct ctl *c, const struct snic_rule_info *hw,
		       const struct snic_mirror *m)
{
	struct snic_rule_info swi = *hw;
	struct snic_rule coarse;
	uint32_t sw = 0;
	char lack[96];

	for (uint32_t i = 0; m && i < m->n_rules; i++) {
		const struct snic_mirror_rule *mr = &m->rule[i];
		if (mr->loc != hw->loc || !(mr->flags & SNIC_MRULE_SW) ||
		    snic_rule_coarse(ctl_dev(c), &mr->rule, &coarse) ||
		    memcmp(&coarse, &hw->rule, sizeof(coarse)))
			continue;
		swi.rule = mr->rule;
		sw = snic_rule_sw_fields(ctl_dev(c), &mr->rule);
	}
	snic_fields_str(sw, lack, sizeof(lack));
	print_one(c, sw ? &swi : hw, sw ? lack : NULL);
}

/* The host mirror for rule show; without one, rules show as the device has them. */
static const struct snic_mirror *rule_mirror(struct ctl *c)
{
	const struct snic_mirror *m;

	return snic_mirror_get(ctl_dev(c), &m) ? NULL : m;
}

static void print_one(struct ctl *c, const struct snic_rule_info *ri, const char *sw)
{
	const uint8_t *v = (const uint8_t *)&ri->rule.value;
	const uint8_t *m = (const uint8_t *)&ri->rule.mask;
	const struct snic_action *a = &ri->rule.action;
	char buf[128];

	if (c->json) {
		struct json *j = &c->j;
		json_obj_begin(j, NULL);
		json_uint(j, "loc", ri->loc);
		json_uint(j, "hits", ri->hits);
		json_bool(j, "software", sw != NULL);   /* held by the host classifier */
		if (sw)
			json_str(j, "device_lacks", sw);
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
	if (sw)
		printf(" [in software: device lacks %s]", sw);
	printf(", hits %llu\n", (unsigned long long)ri->hits);
}

/* rule show without a location: every rule in the user table. */
static int rule_list(struct ctl *c)
{
	struct snic_dev *d = ctl_dev(c);
	uint32_t n = snic_caps(d)->cls.user_entries, shown = 0;
	struct snic_rule_info ri;
	const struct snic_mirror *m = rule_mirror(c);

	if (c->json)
		json_arr_begin(&c->j, NULL);
	for (uint32_t loc = 0; loc < n; loc++) {
		int rc = snic_rule_query(d, loc, &ri);
		if (rc == SNIC_E_NOENT)
			continue;
		if (rc)
			return ctl_fail(c, "rule show");
		print_rule(c, &ri, m);
		shown++;
	}
	if (c->json) {
		json_arr_end(&c->j);
		json_done(&c->j);
	} else if (!shown) {
		printf("no rules (0 of %u locations used)\n", n);
	}
	return 0;
}

static int rule_del(struct ctl *c, unsigned long loc)
{
	if (snic_rule_del(ctl_dev(c), (uint32_t)loc))
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

int cmd_rule(struct ctl *c, int argc, char **argv)
{
	unsigned long loc;

	if (argc < 2)
		return ctl_usage("rule needs add, del or show");
	if (!strcmp(argv[1], "add"))
		return rule_add(c, argc, argv);
	if (!strcmp(argv[1], "delete"))  /* ethtool's word */
		argv[1] = "del";
	if (strcmp(argv[1], "del") && strcmp(argv[1], "show"))
		return ctl_usage("unknown rule command '%s'", argv[1]);
	if (argc == 2 && !strcmp(argv[1], "show"))
		return rule_list(c);
	/* "rule del 5" or, as ethtool lists them, "rule del loc 5" */
	if (argc == 4 && !strcmp(argv[2], "loc")) {
		argv[2] = argv[3];
		argc--;
	}
	if (argc != 3)
		return ctl_usage("rule %s takes one location", argv[1]);
	if (ctl_uint("rule location", argv[2], 0, 0xfffffffe, &loc))
		return EXIT_USAGE;
	if (!strcmp(argv[1], "del"))
		return rule_del(c, loc);
	struct snic_rule_info ri;
	if (snic_rule_query(ctl_dev(c), (uint32_t)loc, &ri))
		return ctl_fail(c, "rule show");
	print_rule(c, &ri, rule_mirror(c));
	if (c->json)
		json_done(&c->j);
	return 0;
}
