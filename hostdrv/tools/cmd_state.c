/* SPDX-License-Identifier: MIT */
/*
 * snicctl state: the host's mirror of VNICs and rules (WINDOW.state).
 * snicctl restore: replay the mirror after a device reset.
 */
#include <string.h>
#include "snicctl.h"

static void print_state(struct ctl *c, const struct snic_mirror *m, int stale)
{
	char mac[18];
	unsigned n_vnics = 0;

	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++)
		n_vnics += m->vnic[v].used;
	if (c->json) {
		struct json *j = &c->j;
		json_obj_begin(j, NULL);
		json_str(j, "file", snic_state_path(c->d));
		json_bool(j, "device_reset_since", stale);
		json_arr_begin(j, "vnics");
		for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++) {
			const struct snic_mirror_vnic *mv = &m->vnic[v];
			if (!mv->used)
				continue;
			json_obj_begin(j, NULL);
			json_uint(j, "vnic", v);
			json_mac(j, "mac", mv->params.mac);
			json_uint(j, "rx_ring", mv->info.rx_ring);
			json_bool(j, "shared", mv->info.ring_state == SNIC_RING_SHARED);
			json_uint(j, "mac_rule", mv->info.mac_rule);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_arr_begin(j, "rules");
		for (uint32_t i = 0; i < m->n_rules; i++) {
			json_obj_begin(j, NULL);
			json_uint(j, "loc", m->rule[i].loc);
			if (m->rule[i].rule.action.flags & SNIC_ACT_DROP)
				json_str(j, "action", "drop");
			else
				json_uint(j, "vnic", m->rule[i].rule.action.vnic);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
		json_done(j);
		return;
	}
	printf("host state %s: %u VNICs, %u rules%s\n", snic_state_path(c->d), n_vnics,
	       m->n_rules, stale ? " (the device was reset since: run 'snicctl restore')" : "");
	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++) {
		const struct snic_mirror_vnic *mv = &m->vnic[v];
		if (!mv->used)
			continue;
		ctl_fmt_mac(mac, mv->params.mac);
		printf("  vnic %u: mac %s, rx ring %u (%s), mac rule %u\n", v, mac,
		       mv->info.rx_ring,
		       mv->info.ring_state == SNIC_RING_SHARED ? "shared" : "dedicated",
		       mv->info.mac_rule);
	}
	for (uint32_t i = 0; i < m->n_rules; i++) {
		const struct snic_action *a = &m->rule[i].rule.action;
		if (a->flags & SNIC_ACT_DROP)
			printf("  rule %u -> drop\n", m->rule[i].loc);
		else
			printf("  rule %u -> vnic %u\n", m->rule[i].loc, a->vnic);
	}
}

int cmd_state(struct ctl *c, int argc, char **argv)
{
	const struct snic_mirror *m;

	(void)argv;
	if (argc != 1)
		return ctl_usage("state takes no arguments");
	struct snic_dev *d = ctl_dev(c);
	if (!snic_state_path(d)[0]) {
		fprintf(stderr, "snicctl: state: no host state file\n");
		return EXIT_DEVICE;
	}
	int stale = snic_mirror_stale(d);
	if (snic_mirror_get(d, &m))
		return ctl_fail(c, "state");
	print_state(c, m, stale);
	return 0;
}

struct restore_ctx {
	struct ctl *c;
	unsigned restored, present, failed;
};

static void on_item(void *arg, const struct snic_restore_item *it)
{
	struct restore_ctx *r = arg;
	static const char *const what[] = { "restored", "already present", "FAILED" };

	if (it->result == SNIC_RESTORED)
		r->restored++;
	else if (it->result == SNIC_PRESENT)
		r->present++;
	else
		r->failed++;
	if (r->c->json) {
		json_obj_begin(&r->c->j, NULL);
		json_str(&r->c->j, "kind", it->kind);
		json_uint(&r->c->j, "id", it->id);
		json_str(&r->c->j, "result", what[it->result]);
		if (it->msg)
			json_str(&r->c->j, "error", it->msg);
		json_obj_end(&r->c->j);
	} else {
		printf("%s %u: %s%s%s\n", it->kind, it->id, what[it->result],
		       it->msg ? ": " : "", it->msg ? it->msg : "");
	}
}

int cmd_restore(struct ctl *c, int argc, char **argv)
{
	struct restore_ctx r = { c, 0, 0, 0 };

	(void)argv;
	if (argc != 1)
		return ctl_usage("restore takes no arguments");
	struct snic_dev *d = ctl_dev(c);
	if (c->json)
		json_arr_begin(&c->j, NULL);
	int rc = snic_restore(d, on_item, &r);
	if (c->json) {
		json_arr_end(&c->j);
		json_done(&c->j);
	} else {
		printf("restore: %u restored, %u already present, %u failed\n", r.restored,
		       r.present, r.failed);
	}
	if (rc)
		return ctl_fail(c, "restore");
	return 0;
}
