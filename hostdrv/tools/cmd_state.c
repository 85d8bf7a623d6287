/* SPDX-License-Identifier: MIT */
/*
 * snicctl state: the host's mirror of VNICs, rules, shapers and policers
 * (WINDOW.state).
 * snicctl restore: replay the mirror after a device reset.
 */
#include <string.h>
#include "snicctl.h"

/* The L2 state the library set (only when set: older readers). */
static void json_l2(struct json *j, const struct snic_mirror_l2 *l)
{
	if (!l->has)
		return;
	json_obj_begin(j, "l2");
	if (l->has & SNIC_ML2_POLICY) {
		json_bool(j, "trusted", l->policy.flags & SNIC_VPOL_TRUSTED);
		json_bool(j, "mac_locked", l->policy.flags & SNIC_VPOL_MAC_LOCKED);
	}
	if (l->has & SNIC_ML2_VLANS) {
		json_arr_begin(j, "vlans");
		for (unsigned i = 0; i < l->vlans.n; i++)
			json_uint(j, NULL, l->vlans.vid[i]);
		json_arr_end(j);
	}
	if (l->has & SNIC_ML2_RXMODE) {
		json_bool(j, "allmulti", l->rxmode.flags & SNIC_RXMODE_ALLMULTI);
		json_bool(j, "promisc", l->rxmode.flags & SNIC_RXMODE_PROMISC);
		json_arr_begin(j, "multicast");
		for (unsigned i = 0; i < l->rxmode.n_mc; i++)
			json_mac(j, NULL, l->rxmode.mc[i]);
		json_arr_end(j);
	}
	json_obj_end(j);
}

static void print_l2(const struct snic_mirror_l2 *l)
{
	if (!l->has)
		return;
	printf("    l2:");
	if (l->has & SNIC_ML2_POLICY)
		printf(" policy 0x%x;", l->policy.flags);
	if (l->has & SNIC_ML2_VLANS)
		printf(" %u VLANs;", l->vlans.n);
	if (l->has & SNIC_ML2_RXMODE)
		printf(" rx mode 0x%x, %u multicast groups", l->rxmode.flags, l->rxmode.n_mc);
	printf("\n");
}

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
			if (m->shaper[v].mode) {
				json_obj_begin(j, "shaper");
				ctl_json_meter(j, &m->shaper[v]);
				json_obj_end(j);
			} else {
				json_null(j, "shaper");
			}
			const struct snic_vnic_share *sh = &m->share[v];
			if (sh->weight || sh->min_bps) { /* only when set: older readers */
				json_obj_begin(j, "share");
				json_uint(j, "weight", sh->weight);
				json_uint(j, "min_bps", sh->min_bps);
				json_uint(j, "prio", sh->prio);
				json_obj_end(j);
			}
			json_l2(j, &m->l2[v]);
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
			if (m->rule[i].rule.action.flags & SNIC_ACT_METER)
				json_uint(j, "meter", m->rule[i].rule.action.meter);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_arr_begin(j, "policers");
		for (unsigned i = 0; i < SNIC_MIRROR_MAX_POLICERS; i++) {
			if (!m->policer[i].mode)
				continue;
			json_obj_begin(j, NULL);
			ctl_json_meter(j, &m->policer[i]);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
		json_done(j);
		return;
	}
	unsigned n_pol = 0, n_shp = 0;
	for (unsigned i = 0; i < SNIC_MIRROR_MAX_POLICERS; i++)
		n_pol += m->policer[i].mode != 0;
	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++)
		n_shp += m->shaper[v].mode != 0;
	printf("host state %s: %u VNICs, %u rules, %u shapers, %u policers%s\n",
	       snic_state_path(c->d), n_vnics, m->n_rules, n_shp, n_pol,
	       stale ? " (the device was reset since: run 'snicctl restore')" : "");
	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++) {
		const struct snic_mirror_vnic *mv = &m->vnic[v];
		if (!mv->used)
			continue;
		ctl_fmt_mac(mac, mv->params.mac);
		printf("  vnic %u: mac %s, rx ring %u (%s), mac rule %u\n", v, mac,
		       mv->info.rx_ring,
		       mv->info.ring_state == SNIC_RING_SHARED ? "shared" : "dedicated",
		       mv->info.mac_rule);
		if (m->shaper[v].mode) {
			printf("    ");
			ctl_print_meter(&m->shaper[v]);
		}
		const struct snic_vnic_share *sh = &m->share[v];
		if (sh->weight || sh->min_bps) {
			char min[32];
			snic_fmt_rate(min, sizeof(min), sh->min_bps);
			printf("    share: weight %u, min %s bit/s, prio %u\n", sh->weight, min,
			       sh->prio);
		}
		print_l2(&m->l2[v]);
	}
	for (uint32_t i = 0; i < m->n_rules; i++) {
		const struct snic_action *a = &m->rule[i].rule.action;
		if (a->flags & SNIC_ACT_DROP)
			printf("  rule %u -> drop\n", m->rule[i].loc);
		else if (a->flags & SNIC_ACT_METER)
			printf("  rule %u -> vnic %u, policer %u\n", m->rule[i].loc, a->vnic,
			       a->meter);
		else
			printf("  rule %u -> vnic %u\n", m->rule[i].loc, a->vnic);
	}
	for (unsigned i = 0; i < SNIC_MIRROR_MAX_POLICERS; i++) {
		if (!m->policer[i].mode)
			continue;
		printf("  ");
		ctl_print_meter(&m->policer[i]);
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
