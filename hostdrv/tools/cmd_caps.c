/* SPDX-License-Identifier: MIT */
/* snicctl caps: the library's copy of the capability records, the same
 * layout for every profile. */
#include <string.h>
#include "snicctl.h"

static const char *const action_names[] = { "vnic", "ring", "drop", "count", "mark_sw", "meter" };
static const char *const meter_modes[] = { "", "srtcm", "trtcm", "shaper" };

static void fmt_version(char *buf, size_t n, uint32_t v)
{
	snprintf(buf, n, "%u.%u.%u", v >> 16, (v >> 8) & 0xff, v & 0xff);
}

static void json_ring(struct json *j, const struct snic_ring_caps *r)
{
	json_obj_begin(j, NULL);
	json_uint(j, "id", r->id);
	json_uint(j, "size", r->size);
	json_uint(j, "buf_max", r->buf_max);
	json_uint(j, "msix", r->msix);
	json_uint(j, "ctrl_off", r->ctrl_off);
	json_uint(j, "poll_off", r->poll_off);
	json_uint(j, "intr_off", r->intr_off);
	json_bool(j, "poll", !!(r->flags & SNIC_RINGCAP_POLL));
	json_bool(j, "intr", !!(r->flags & SNIC_RINGCAP_INTR));
	json_obj_end(j);
}

static void print_json(struct ctl *c, const struct snic_devinfo *di, const struct snic_caps *k)
{
	struct json *j = &c->j;
	char buf[32];

	json_obj_begin(j, NULL);
	json_obj_begin(j, "device");
	json_str(j, "window", c->path);
	json_str(j, "profile", di->profile);
	snprintf(buf, sizeof(buf), "%u.%u", di->abi_major, di->abi_minor);
	json_str(j, "abi", buf);
	json_str(j, "state", snic_state_name(di->state));
	json_uint(j, "window_size", di->window_size);
	json_uint(j, "reset_count", di->reset_count);
	if (di->has_fw) {
		fmt_version(buf, sizeof(buf), di->fw_version);
		json_str(j, "fw_version", buf);
		json_str(j, "fw_build", di->fw_build);
		json_uint(j, "fw_slot", di->fw_slot);
	}
	json_obj_end(j);
	json_uint(j, "format", k->format);
	json_uint(j, "generation", k->generation);
	json_uint(j, "max_vnics", k->max_vnics);
	json_arr_begin(j, "rx_rings");
	for (unsigned i = 0; i < k->n_rx; i++)
		json_ring(j, &k->rx[i]);
	json_arr_end(j);
	json_arr_begin(j, "tx_rings");
	for (unsigned i = 0; i < k->n_tx; i++)
		json_ring(j, &k->tx[i]);
	json_arr_end(j);
	json_obj_begin(j, "classifier");
	json_uint(j, "ternary", k->cls.ternary);
	json_uint(j, "user_entries", k->cls.user_entries);
	json_uint(j, "exact", k->cls.exact);
	json_uint(j, "key_bytes", k->cls.key_bytes);
	json_uint(j, "latency_cycles", k->cls.latency);
	json_arr_begin(j, "key_fields");
	for (unsigned b = 0; snic_field_name(b); b++)
		if (k->cls.key_fields & (1u << b))
			json_str(j, NULL, snic_field_name(b));
	json_arr_end(j);
	json_arr_begin(j, "actions");
	for (unsigned b = 0; b < 6; b++)
		if (k->cls.actions & (1u << b))
			json_str(j, NULL, action_names[b]);
	json_arr_end(j);
	json_obj_end(j);
	json_obj_begin(j, "meters");
	json_uint(j, "count", k->meters.count);
	json_arr_begin(j, "modes");
	for (unsigned b = 1; b < 4; b++)
		if (k->meters.modes & (1u << b))
			json_str(j, NULL, meter_modes[b]);
	json_arr_end(j);
	json_uint(j, "min_bps", k->meters.min_bps);
	json_uint(j, "max_bps", k->meters.max_bps);
	json_obj_end(j);
	json_arr_begin(j, "uplinks");
	for (unsigned i = 0; i < k->n_uplinks; i++) {
		json_obj_begin(j, NULL);
		json_uint(j, "id", k->uplink[i].id);
		json_mac(j, "mac", k->uplink[i].mac);
		json_uint(j, "speed_mbps", k->uplink[i].speed_mbps);
		json_obj_end(j);
	}
	json_arr_end(j);
	/* ABI 1.1 (include/snic/l2.h); null on an older device. */
	if (!k->l2.present) {
		json_null(j, "l2");
	} else {
		json_obj_begin(j, "l2");
		json_bool(j, "group", k->l2.flags & SNIC_L2CAP_GROUP);
		json_bool(j, "vlans", k->l2.flags & SNIC_L2CAP_VLANS);
		json_bool(j, "mac", k->l2.flags & SNIC_L2CAP_MAC);
		json_bool(j, "vstats", k->l2.flags & SNIC_L2CAP_VSTATS);
		json_bool(j, "port_vlan", k->l2.flags & SNIC_L2CAP_PORT_VLAN);
		json_uint(j, "mc_filters", k->l2.mc_filters);
		json_uint(j, "vlan_filters", k->l2.vlan_filters);
		json_uint(j, "mc_per_vnic", k->l2.mc_per_vnic);
		json_uint(j, "vlans_per_vnic", k->l2.vlans_per_vnic);
		json_obj_end(j);
	}
	json_uint(j, "skipped_records", k->skipped);
	json_obj_end(j);
	json_done(j);
}

static void print_rings(const char *title, const struct snic_ring_caps *r, unsigned n)
{
	printf("%s: %u\n", title, n);
	if (!n)
		return;
	printf("  %4s %6s %7s %5s %10s %10s %10s  %s\n",
	       "id", "size", "buf_max", "msix", "ctrl", "poll", "intr", "modes");
	for (unsigned i = 0; i < n; i++) {
		char intr[16] = "-";
		if (r[i].intr_off)
			snprintf(intr, sizeof(intr), "0x%x", r[i].intr_off);
		printf("  %4u %6u %7u %5u %#10x %#10x %10s  %s\n", r[i].id, r[i].size,
		       r[i].buf_max, r[i].msix, r[i].ctrl_off, r[i].poll_off, intr,
		       (r[i].flags & 3) == 3 ? "poll,intr" :
		       r[i].flags & SNIC_RINGCAP_POLL ? "poll" :
		       r[i].flags & SNIC_RINGCAP_INTR ? "intr" : "-");
	}
}

static void print_human(struct ctl *c, const struct snic_devinfo *di, const struct snic_caps *k)
{
	char ver[32];

	printf("device %s: profile %s, ABI %u.%u, state %s, %u bytes, resets %u\n", c->path,
	       di->profile, di->abi_major, di->abi_minor, snic_state_name(di->state),
	       di->window_size, di->reset_count);
	if (di->has_fw) {
		fmt_version(ver, sizeof(ver), di->fw_version);
		printf("firmware %s (%s), slot %u\n", ver, di->fw_build, di->fw_slot);
	}
	printf("capability format %u, generation %u, max VNICs %u\n",
	       k->format, k->generation, k->max_vnics);
	print_rings("RX rings (HRR)", k->rx, k->n_rx);
	print_rings("TX rings (TRR)", k->tx, k->n_tx);
	printf("classifier: %u ternary entries (%u for host rules), %u exact, key %u bytes, "
	       "latency %u cycles\n", k->cls.ternary, k->cls.user_entries, k->cls.exact,
	       k->cls.key_bytes, k->cls.latency);
	printf("  key fields:");
	for (unsigned b = 0; snic_field_name(b); b++)
		if (k->cls.key_fields & (1u << b))
			printf(" %s", snic_field_name(b));
	printf("\n  actions:");
	for (unsigned b = 0; b < 6; b++)
		if (k->cls.actions & (1u << b))
			printf(" %s", action_names[b]);
	printf("\nmeters: %u", k->meters.count);
	for (unsigned b = 1; b < 4; b++)
		if (k->meters.modes & (1u << b))
			printf(" %s", meter_modes[b]);
	if (k->meters.count)
		printf(", %llu..%llu bit/s", (unsigned long long)k->meters.min_bps,
		       (unsigned long long)k->meters.max_bps);
	printf("\nuplinks: %u\n", k->n_uplinks);
	for (unsigned i = 0; i < k->n_uplinks; i++) {
		char mac[18];
		ctl_fmt_mac(mac, k->uplink[i].mac);
		printf("  %u  %s  %u Mbit/s\n", k->uplink[i].id, mac, k->uplink[i].speed_mbps);
	}
	if (k->l2.present)
		printf("l2:%s%s%s%s; multicast %u per VNIC (%u on the device), VLANs %u per VNIC "
		       "(%u)\n", k->l2.flags & SNIC_L2CAP_GROUP ? " group" : "",
		       k->l2.flags & SNIC_L2CAP_VLANS ? " vlans" : "",
		       k->l2.flags & SNIC_L2CAP_MAC ? " mac" : "",
		       k->l2.flags & SNIC_L2CAP_VSTATS ? " vstats" : "", k->l2.mc_per_vnic,
		       k->l2.mc_filters, k->l2.vlans_per_vnic, k->l2.vlan_filters);
	else
		printf("l2: none (device before ABI 1.1)\n");
	if (k->skipped)
		printf("(%u records of unknown types skipped)\n", k->skipped);
}

int cmd_caps(struct ctl *c, int argc, char **argv)
{
	struct snic_devinfo di;

	(void)argv;
	if (argc > 1)
		return ctl_usage("caps takes no arguments");
	struct snic_dev *d = ctl_dev(c);
	const struct snic_caps *k = snic_caps(d);
	if (!k) {
		fprintf(stderr, "snicctl: caps: device has no capability records\n");
		return EXIT_DEVICE;
	}
	snic_devinfo(d, &di);
	if (c->json)
		print_json(c, &di, k);
	else
		print_human(c, &di, k);
	return 0;
}
