/* SPDX-License-Identifier: MIT */
/* snicctl vnic add|del|show|promote (vnic rate: cmd_meter.c; share:
 * cmd_share.c; mac, vlans, rxmode, policy, l2: cmd_l2.c) */
#include <string.h>
#include "snicctl.h"

static const char *ring_kind(uint16_t state)
{
	switch (state) {
	case SNIC_RING_BOUND:  return "dedicated";
	case SNIC_RING_SHARED: return "shared";
	}
	return "unbound";
}

static void print_info(struct ctl *c, const struct snic_vnic_info *v)
{
	char mac[18];

	if (c->json) {
		struct json *j = &c->j;
		json_obj_begin(j, NULL);
		json_uint(j, "vnic", v->vnic);
		json_mac(j, "mac", v->mac);
		if (v->vlan == SNIC_VLAN_NONE)
			json_null(j, "vlan");
		else
			json_uint(j, "vlan", v->vlan);
		json_uint(j, "rx_ring", v->rx_ring);
		json_str(j, "rx_ring_kind", ring_kind(v->ring_state));
		json_uint(j, "tx_ring", v->tx_ring);
		json_uint(j, "mac_rule", v->mac_rule);
		json_obj_end(j);
		json_done(j);
		return;
	}
	ctl_fmt_mac(mac, v->mac);
	printf("vnic %u: mac %s", v->vnic, mac);
	if (v->vlan != SNIC_VLAN_NONE)
		printf(" vlan %u", v->vlan);
	printf(", rx ring %u (%s), tx ring %u, mac rule %u\n", v->rx_ring,
	       ring_kind(v->ring_state), v->tx_ring, v->mac_rule);
}

/* The device's answer to VNIC_CREATE, told as the option that caused it. */
static int vnic_add_fail(struct ctl *c, int rc, const struct snic_vnic_params *p)
{
	const struct snic_caps *caps = snic_caps(c->d);
	struct snic_vnic_info vi;
	char mac[18], what[160];

	ctl_fmt_mac(mac, p->mac);
	if (rc == SNIC_E_EXIST && p->id != SNIC_ID_ANY && !snic_vnic_query(c->d, p->id, &vi))
		snprintf(what, sizeof(what), "--id %u: VNIC %u already exists", p->id, p->id);
	else if (rc == SNIC_E_EXIST)
		snprintf(what, sizeof(what), "--mac %s: another VNIC has this MAC on this uplink "
			 "and VLAN", mac);
	else if (rc == SNIC_E_RANGE && p->id != SNIC_ID_ANY && p->id >= caps->max_vnics)
		snprintf(what, sizeof(what), "--id %u: beyond the device's VNICs (0..%u)", p->id,
			 caps->max_vnics - 1u);
	else if ((rc == SNIC_E_RANGE || rc == SNIC_E_NOENT) && p->uplink)
		snprintf(what, sizeof(what), "--uplink %u: no such uplink or bond", p->uplink);
	else if (rc == SNIC_E_BUSY)
		snprintf(what, sizeof(what), "--uplink %u: a bonded uplink carries VNICs only "
			 "through its bond", p->uplink);
	else if (rc == SNIC_E_NOSPC)
		snprintf(what, sizeof(what), "all %u VNICs are in use", caps->max_vnics);
	else
		return ctl_fail(c, "vnic add");
	fprintf(stderr, "snicctl: vnic add: %s (%s)\n", what, snic_status_name((unsigned)rc));
	return EXIT_DEVICE;
}

static int vnic_add(struct ctl *c, int argc, char **argv)
{
	struct snic_vnic_params p;
	struct snic_vnic_info info;
	char err[128];
	int have_mac = 0;

	memset(&p, 0, sizeof(p));
	p.id = SNIC_ID_ANY;
	p.vlan = SNIC_VLAN_NONE;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		unsigned long v;
		if (!strcmp(a, "--sw-only")) {
			p.sw_only = 1;
			continue;
		}
		const char *val = ctl_optval(argc, argv, &i);
		if (!strcmp(a, "--mac")) {
			if (!val || snic_arg_mac(val, p.mac, err, sizeof(err)))
				return ctl_usage("vnic add: %s", val ? err : "--mac needs a value");
			if (p.mac[0] & 1)
				return ctl_usage("vnic add: %s is a multicast MAC", val);
			if (!memcmp(p.mac, "\0\0\0\0\0\0", 6))
				return ctl_usage("vnic add: the all-zero MAC is not a VNIC address");
			have_mac = 1;
		} else if (!strcmp(a, "--vlan")) {
			if (ctl_uint("--vlan", val, 0, 4094, &v)) /* 0: priority-tagged only */
				return EXIT_USAGE;
			p.vlan = (uint16_t)v;
		} else if (!strcmp(a, "--ip")) {
			if (p.n_ip == 4)
				return ctl_usage("vnic add: at most 4 --ip");
			if (!val || snic_arg_ipv4(val, p.ip[p.n_ip], err, sizeof(err)))
				return ctl_usage("vnic add: %s", val ? err : "--ip needs a value");
			p.n_ip++;
		} else if (!strcmp(a, "--uplink")) {
			if (ctl_uint("--uplink", val, 0, 255, &v))
				return EXIT_USAGE;
			p.uplink = (uint8_t)v;
		} else if (!strcmp(a, "--id")) {
			if (ctl_uint("--id", val, 0, 0xfffe, &v))
				return EXIT_USAGE;
			p.id = (uint16_t)v;
		} else {
			return ctl_usage("vnic add: unknown option '%s'", a);
		}
	}
	if (!have_mac)
		return ctl_usage("vnic add needs --mac");
	int rc = snic_vnic_create(ctl_dev(c), &p, &info);
	if (rc > 0)
		return vnic_add_fail(c, rc, &p);
	if (rc)
		return ctl_fail(c, "vnic add");
	print_info(c, &info);
	return 0;
}

/* A promotion: a JSON member inside the caller's object, or one line. */
static void print_move(struct ctl *c, int moved, uint16_t vnic, uint16_t ring)
{
	if (c->json) {
		if (!moved) {
			json_null(&c->j, "promoted");
			return;
		}
		json_obj_begin(&c->j, "promoted");
		json_uint(&c->j, "vnic", vnic);
		json_uint(&c->j, "rx_ring", ring);
		json_obj_end(&c->j);
	} else if (moved) {
		printf("vnic %u moved from the shared ring to rx ring %u (dedicated)\n", vnic, ring);
	}
}

static int vnic_promote(struct ctl *c, int argc)
{
	uint16_t v = 0, r = 0;

	if (argc != 2)
		return ctl_usage("vnic promote takes no arguments");
	int rc = snic_promote(ctl_dev(c), &v, &r);
	if (rc < 0 || rc > 1)
		return ctl_fail(c, "vnic promote");
	if (c->json) {
		json_obj_begin(&c->j, NULL);
		print_move(c, rc, v, r);
		json_obj_end(&c->j);
		json_done(&c->j);
	} else if (rc) {
		print_move(c, rc, v, r);
	} else {
		printf("nothing to promote (no free HRR or no VNIC on the shared ring)\n");
	}
	return 0;
}

int cmd_vnic(struct ctl *c, int argc, char **argv)
{
	unsigned long id;

	if (argc < 2)
		return ctl_usage("vnic needs add, del, show, promote, rate, share, mac, vlans, "
				 "rxmode, policy or l2");
	if (!strcmp(argv[1], "add"))
		return vnic_add(c, argc, argv);
	if (!strcmp(argv[1], "rate"))
		return cmd_vnic_rate(c, argc, argv);
	if (!strcmp(argv[1], "share"))
		return cmd_vnic_share(c, argc, argv);
	if (!strcmp(argv[1], "promote"))
		return vnic_promote(c, argc);
	if (!strcmp(argv[1], "mac") || !strcmp(argv[1], "vlans") || !strcmp(argv[1], "rxmode") ||
	    !strcmp(argv[1], "policy") || !strcmp(argv[1], "port-vlan") || !strcmp(argv[1], "l2"))
		return cmd_vnic_l2(c, argc, argv);
	if (strcmp(argv[1], "del") && strcmp(argv[1], "show"))
		return ctl_usage("unknown vnic command '%s'", argv[1]);
	if (argc != 3)
		return ctl_usage("vnic %s takes one VNIC id", argv[1]);
	if (ctl_uint("vnic id", argv[2], 0, 0xfffe, &id))
		return EXIT_USAGE;
	struct snic_dev *d = ctl_dev(c);
	if (!strcmp(argv[1], "del")) {
		int rc = snic_vnic_destroy(d, (uint16_t)id);
		if (rc == SNIC_E_NOENT || rc == SNIC_E_BUSY) {
			fprintf(stderr, "snicctl: vnic del: vnic %lu: %s (%s)\n", id,
				rc == SNIC_E_NOENT ? "no such VNIC" :
				"rules still steer to it (snicctl rule show, then rule del LOC)",
				snic_status_name((unsigned)rc));
			return EXIT_DEVICE;
		}
		if (rc)
			return ctl_fail(c, "vnic del");
		uint16_t pv = 0, pr = 0;
		int moved = snic_last_promotion(d, &pv, &pr);
		if (c->json) {
			json_obj_begin(&c->j, NULL);
			json_uint(&c->j, "deleted", id);
			print_move(c, moved, pv, pr);
			json_obj_end(&c->j);
			json_done(&c->j);
		} else {
			printf("vnic %lu deleted\n", id);
			print_move(c, moved, pv, pr);
		}
		return 0;
	}
	struct snic_vnic_info info;
	int rc = snic_vnic_query(d, (uint16_t)id, &info);
	if (rc == SNIC_E_NOENT) {
		fprintf(stderr, "snicctl: vnic show: vnic %lu: no such VNIC (SNIC_E_NOENT)\n", id);
		return EXIT_DEVICE;
	}
	if (rc)
		return ctl_fail(c, "vnic show");
	print_info(c, &info);
	return 0;
}
