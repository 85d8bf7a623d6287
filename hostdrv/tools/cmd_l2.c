/* SPDX-License-Identifier: MIT */
/*
 * snicctl vnic mac|vlans|rxmode|policy|port-vlan|l2: a VNIC's layer-2 behaviour
 * (include/snic/l2.h, docs/l2.md).
 *
 *   vnic mac ID MAC [--operator]          change its MAC
 *   vnic vlans ID [VID...]                VLAN membership (none: empty)
 *   vnic rxmode ID [--allmulti] [--promisc] [--mc MAC]...
 *   vnic policy ID [--trusted on|off] [--mac-lock on|off]
 *   vnic port-vlan ID VID|none [--pcp N]  operator port VLAN (tags by the device)
 *   vnic l2 [ID]                          the device's view (all VNICs)
 *
 * Each change replaces the VNIC's list or mode; the resulting state is
 * printed as `vnic l2 ID` shows it.
 */
#include <string.h>
#include "snicctl.h"

static void print_json(struct json *j, const struct snic_vnic_l2 *l)
{
	json_obj_begin(j, NULL);
	json_uint(j, "vnic", l->vnic);
	json_mac(j, "mac", l->mac);
	if (l->port_vlan == SNIC_VLAN_NONE)
		json_null(j, "port_vlan");
	else
		json_uint(j, "port_vlan", l->port_vlan);
	json_bool(j, "port_vlan_tagged_by_device", l->policy & SNIC_L2Q_PORT_VLAN);
	json_uint(j, "port_vlan_pcp", (l->policy & SNIC_L2Q_PCP_MASK) >> SNIC_L2Q_PCP_SHIFT);
	json_arr_begin(j, "vlans");
	for (unsigned i = 0; i < l->n_vlans; i++)
		json_uint(j, NULL, l->vid[i]);
	json_arr_end(j);
	json_bool(j, "allmulti", l->rxmode & SNIC_RXMODE_ALLMULTI);
	json_bool(j, "promisc", l->rxmode & SNIC_RXMODE_PROMISC);
	json_arr_begin(j, "multicast");
	for (unsigned i = 0; i < l->n_mc; i++)
		json_mac(j, NULL, l->mc[i]);
	json_arr_end(j);
	json_bool(j, "trusted", l->policy & SNIC_VPOL_TRUSTED);
	json_bool(j, "mac_locked", l->policy & SNIC_VPOL_MAC_LOCKED);
	json_obj_end(j);
}

static void print_text(const struct snic_vnic_l2 *l)
{
	char mac[18];

	ctl_fmt_mac(mac, l->mac);
	printf("vnic %u: mac %s%s, port vlan ", l->vnic, mac,
	       l->policy & SNIC_VPOL_MAC_LOCKED ? " (locked)" : "");
	if (l->port_vlan == SNIC_VLAN_NONE)
		printf("none");
	else
		printf("%u", l->port_vlan);
	if (l->policy & SNIC_L2Q_PORT_VLAN)
		printf(" (operator's, tagged by the device, pcp %u)",
		       (l->policy & SNIC_L2Q_PCP_MASK) >> SNIC_L2Q_PCP_SHIFT);
	printf(", %strusted\n  vlans:", l->policy & SNIC_VPOL_TRUSTED ? "" : "not ");
	for (unsigned i = 0; i < l->n_vlans; i++)
		printf(" %u", l->vid[i]);
	printf("%s\n  rx mode:%s%s%s\n", l->n_vlans ? "" : " -",
	       l->rxmode & SNIC_RXMODE_ALLMULTI ? " allmulti" : "",
	       l->rxmode & SNIC_RXMODE_PROMISC ? " promisc" : "",
	       l->rxmode ? "" : " normal");
	printf("  multicast:");
	for (unsigned i = 0; i < l->n_mc; i++) {
		ctl_fmt_mac(mac, l->mc[i]);
		printf(" %s", mac);
	}
	printf("%s\n", l->n_mc ? "" : " -");
}

static int show_one(struct ctl *c, uint16_t vnic)
{
	struct snic_vnic_l2 l;

	if (snic_vnic_l2_query(ctl_dev(c), vnic, &l))
		return ctl_fail(c, "vnic l2");
	if (c->json) {
		print_json(&c->j, &l);
		json_done(&c->j);
	} else {
		print_text(&l);
	}
	return 0;
}

/* Every VNIC the device has (ids it answers NOENT for are skipped). */
static int show_all(struct ctl *c)
{
	struct snic_dev *d = ctl_dev(c);
	const struct snic_caps *k = snic_caps(d);
	unsigned max = k ? k->max_vnics : SNIC_MIRROR_MAX_VNICS;
	struct snic_vnic_l2 l;

	if (c->json)
		json_arr_begin(&c->j, NULL);
	for (unsigned v = 0; v < max; v++) {
		int rc = snic_vnic_l2_query(d, (uint16_t)v, &l);
		if (rc == SNIC_E_NOENT)
			continue;
		if (rc)
			return ctl_fail(c, "vnic l2");
		if (c->json)
			print_json(&c->j, &l);
		else
			print_text(&l);
	}
	if (c->json) {
		json_arr_end(&c->j);
		json_done(&c->j);
	}
	return 0;
}

/* A library refusal of the arguments is a usage error: nothing was sent. */
static int done(struct ctl *c, int rc, const char *what, uint16_t vnic)
{
	if (rc == SNIC_ERR_ARG) {
		fprintf(stderr, "snicctl: %s: %s\n", what, snic_errmsg(c->d));
		return EXIT_USAGE;
	}
	if (rc)
		return ctl_fail(c, what);
	return show_one(c, vnic);
}

static int on_off(const char *what, const char *s, int *out)
{
	if (s && !strcmp(s, "on"))
		*out = 1;
	else if (s && !strcmp(s, "off"))
		*out = 0;
	else
		return ctl_usage("%s needs on or off", what);
	return 0;
}

static int vnic_mac(struct ctl *c, uint16_t id, int argc, char **argv)
{
	uint8_t mac[6];
	char err[128];
	int op = 0, have = 0;

	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--operator")) {
			op = 1;
		} else if (argv[i][0] == '-' || have) {
			return ctl_usage("vnic mac: unexpected '%s'", argv[i]);
		} else {
			if (snic_arg_mac(argv[i], mac, err, sizeof(err)))
				return ctl_usage("vnic mac: %s", err);
			have = 1;
		}
	}
	if (!have)
		return ctl_usage("vnic mac needs a VNIC id and a MAC");
	return done(c, snic_vnic_set_mac(ctl_dev(c), id, mac, op), "vnic mac", id);
}

static int vnic_vlans(struct ctl *c, uint16_t id, int argc, char **argv)
{
	uint16_t vid[SNIC_L2_VLANS_PER_VNIC];
	unsigned n = 0;
	unsigned long v;

	for (int i = 3; i < argc; i++) {
		if (n == SNIC_L2_VLANS_PER_VNIC)
			return ctl_usage("vnic vlans: at most %u VLANs", SNIC_L2_VLANS_PER_VNIC);
		if (ctl_uint("VLAN id", argv[i], 1, 4094, &v))
			return EXIT_USAGE;
		vid[n++] = (uint16_t)v;
	}
	return done(c, snic_vnic_vlans(ctl_dev(c), id, vid, n), "vnic vlans", id);
}

static int vnic_rxmode(struct ctl *c, uint16_t id, int argc, char **argv)
{
	uint8_t mc[SNIC_L2_MC_PER_VNIC][6];
	unsigned n = 0;
	uint8_t flags = 0;
	char err[128];

	for (int i = 3; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--allmulti")) {
			flags |= SNIC_RXMODE_ALLMULTI;
		} else if (!strcmp(a, "--promisc")) {
			flags |= SNIC_RXMODE_PROMISC;
		} else if (!strcmp(a, "--mc")) {
			const char *s = ctl_optval(argc, argv, &i);
			if (!s)
				return ctl_usage("--mc needs a multicast MAC");
			if (n == SNIC_L2_MC_PER_VNIC)
				return ctl_usage("vnic rxmode: at most %u --mc (use --allmulti)",
						 SNIC_L2_MC_PER_VNIC);
			if (snic_arg_mac(s, mc[n], err, sizeof(err)))
				return ctl_usage("--mc: %s", err);
			n++;
		} else {
			return ctl_usage("vnic rxmode: unknown option '%s'", a);
		}
	}
	return done(c, snic_vnic_rxmode(ctl_dev(c), id, flags, (const uint8_t (*)[6])mc, n),
		    "vnic rxmode", id);
}

/* Options not given keep their current value (read from the device). */
static int vnic_policy(struct ctl *c, uint16_t id, int argc, char **argv)
{
	int trusted = -1, locked = -1;

	for (int i = 3; i < argc; i++) {
		const char *a = argv[i];
		const char *s = ctl_optval(argc, argv, &i);
		if (!strcmp(a, "--trusted")) {
			if (on_off(a, s, &trusted))
				return EXIT_USAGE;
		} else if (!strcmp(a, "--mac-lock")) {
			if (on_off(a, s, &locked))
				return EXIT_USAGE;
		} else {
			return ctl_usage("vnic policy: unknown option '%s'", a);
		}
	}
	if (trusted < 0 && locked < 0)
		return show_one(c, id);
	struct snic_vnic_l2 l;
	struct snic_dev *d = ctl_dev(c);
	if (snic_vnic_l2_query(d, id, &l))
		return ctl_fail(c, "vnic policy");
	uint16_t flags = l.policy & SNIC_VPOL_ALL; /* without the port VLAN's bits */
	if (trusted >= 0)
		flags = (uint16_t)(trusted ? flags | SNIC_VPOL_TRUSTED : flags & ~SNIC_VPOL_TRUSTED);
	if (locked >= 0)
		flags = (uint16_t)(locked ? flags | SNIC_VPOL_MAC_LOCKED :
				   flags & ~SNIC_VPOL_MAC_LOCKED);
	return done(c, snic_vnic_policy(d, id, flags), "vnic policy", id);
}

static int vnic_port_vlan(struct ctl *c, uint16_t id, int argc, char **argv)
{
	unsigned long vid = SNIC_VLAN_NONE, pcp = 0;

	if (argc < 4)
		return ctl_usage("vnic port-vlan needs a VNIC id and a VLAN id or none");
	if (strcmp(argv[3], "none") && ctl_uint("VLAN id", argv[3], 1, 4094, &vid))
		return EXIT_USAGE;
	for (int i = 4; i < argc; i++) {
		const char *a = argv[i];
		const char *s = ctl_optval(argc, argv, &i);
		if (strcmp(a, "--pcp"))
			return ctl_usage("vnic port-vlan: unknown option '%s'", a);
		if (!s)
			return ctl_usage("--pcp needs a priority 0..7");
		if (ctl_uint("priority", s, 0, 7, &pcp))
			return EXIT_USAGE;
	}
	return done(c, snic_vnic_port_vlan(ctl_dev(c), id, (uint16_t)vid, (uint8_t)pcp),
		    "vnic port-vlan", id);
}

int cmd_vnic_l2(struct ctl *c, int argc, char **argv)
{
	const char *sub = argv[1];
	unsigned long id;

	if (!strcmp(sub, "l2") && argc == 2)
		return show_all(c);
	if (argc < 3)
		return ctl_usage("vnic %s needs a VNIC id", sub);
	if (ctl_uint("vnic id", argv[2], 0, 0xfffe, &id))
		return EXIT_USAGE;
	if (!strcmp(sub, "mac"))
		return vnic_mac(c, (uint16_t)id, argc, argv);
	if (!strcmp(sub, "vlans"))
		return vnic_vlans(c, (uint16_t)id, argc, argv);
	if (!strcmp(sub, "rxmode"))
		return vnic_rxmode(c, (uint16_t)id, argc, argv);
	if (!strcmp(sub, "policy"))
		return vnic_policy(c, (uint16_t)id, argc, argv);
	if (!strcmp(sub, "port-vlan"))
		return vnic_port_vlan(c, (uint16_t)id, argc, argv);
	if (argc != 3)
		return ctl_usage("vnic l2 takes at most one VNIC id");
	return show_one(c, (uint16_t)id);
}
