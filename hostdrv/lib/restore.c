/* SPDX-License-Identifier: MIT */
/*
 * Restore after a device reset: re-create every mirrored VNIC with its id
 * and parameters (its current MAC), then each VNIC's L2 state (policy
 * first: promiscuous mode needs the trust; then VLANs, then receive mode
 * and multicast list), then the VNICs' shapers and the policers, the
 * VNICs' bandwidth shares, then every rule at its location (a rule may
 * name a policer, so policers first).
 * Entries the device still has (EXIST with the same contents) count as
 * present; meters are simply set again (that refills their buckets);
 * anything else that fails is reported and the rest goes on.
 */
#include <stdio.h>
#include "snic_impl.h"

static void report(snic_restore_cb cb, void *arg, const char *kind, uint32_t id, int result,
		   const char *msg)
{
	struct snic_restore_item it = { kind, id, result, msg };

	if (cb)
		cb(arg, &it);
}

static int restore_vnic(struct snic_dev *d, struct snic_mirror_vnic *mv,
			snic_restore_cb cb, void *arg)
{
	struct snic_vnic_params p = mv->params;
	struct snic_vnic_info info;
	int rc = snic_raw_vnic_create(d, &p, &info);

	if (rc == SNIC_E_EXIST && snic_vnic_query(d, p.id, &info) == SNIC_OK &&
	    !memcmp(info.mac, p.mac, 6)) {
		snic_mirror_put_vnic(d, &p, &info);
		report(cb, arg, "vnic", p.id, SNIC_PRESENT, NULL);
		return 0;
	}
	if (rc) {
		report(cb, arg, "vnic", p.id, SNIC_RESTORE_FAILED, snic_errmsg(d));
		return rc;
	}
	snic_mirror_put_vnic(d, &p, &info);
	report(cb, arg, "vnic", p.id, SNIC_RESTORED, NULL);
	return 0;
}

static int restore_rule(struct snic_dev *d, const struct snic_mirror_rule *mr,
			snic_restore_cb cb, void *arg)
{
	uint32_t got;
	struct snic_rule hw;
	int rc = snic_mirror_rule_hw(d, mr, &hw);

	if (rc == 0)
		rc = snic_raw_rule_add(d, mr->loc, &hw, &got);

	if (rc == SNIC_E_EXIST) {
		struct snic_rule_info ri;
		if (snic_raw_rule_query(d, mr->loc, &ri) == SNIC_OK &&
		    !memcmp(&ri.rule, &hw, sizeof(ri.rule))) {
			report(cb, arg, "rule", mr->loc, SNIC_PRESENT, NULL);
			return 0;
		}
		snic_seterr(d, rc, "a different rule occupies location %u", mr->loc);
	}
	if (rc) {
		report(cb, arg, "rule", mr->loc, SNIC_RESTORE_FAILED, snic_errmsg(d));
		return rc;
	}
	report(cb, arg, "rule", mr->loc, SNIC_RESTORED, NULL);
	return 0;
}

static int restore_meter(struct snic_dev *d, const struct snic_meter_set *m,
			 snic_restore_cb cb, void *arg)
{
	const char *kind = m->mode == SNIC_METER_SHAPER ? "shaper" : "policer";
	int rc = snic_admin_exec(d, SNIC_CMD_METER_SET, m, sizeof(*m), NULL, 0, NULL);

	report(cb, arg, kind, m->meter, rc ? SNIC_RESTORE_FAILED : SNIC_RESTORED,
	       rc ? snic_errmsg(d) : NULL);
	return rc;
}

static int restore_share(struct snic_dev *d, const struct snic_vnic_share *s,
			 snic_restore_cb cb, void *arg)
{
	int rc = snic_admin_exec(d, SNIC_CMD_VNIC_SHARE, s, sizeof(*s), NULL, 0, NULL);

	report(cb, arg, "share", s->vnic, rc ? SNIC_RESTORE_FAILED : SNIC_RESTORED,
	       rc ? snic_errmsg(d) : NULL);
	return rc;
}

/* Policy, port VLAN, VLANs, receive mode of one VNIC: L2 commands replace
 * the device's state, so sending them again is always right. */
static int restore_l2(struct snic_dev *d, const struct snic_mirror_l2 *l,
		      snic_restore_cb cb, void *arg, char *first_msg, size_t n)
{
	static const struct { uint8_t bit; uint16_t opcode; const char *kind; } step[] = {
		{ SNIC_ML2_POLICY, SNIC_CMD_VNIC_POLICY, "policy" },
		{ SNIC_ML2_PVLAN,  SNIC_CMD_VNIC_PORT_VLAN, "port-vlan" },
		{ SNIC_ML2_VLANS,  SNIC_CMD_VNIC_VLANS,  "vlans" },
		{ SNIC_ML2_RXMODE, SNIC_CMD_VNIC_RXMODE, "rxmode" },
	};
	const struct snic_vnic_port_vlan pv = { .vnic = l->policy.vnic, .vid = l->pvlan_vid,
						.pcp = l->pvlan_pcp };
	const void *payload[] = { &l->policy, &pv, &l->vlans, &l->rxmode };
	const uint32_t len[] = { sizeof(l->policy), sizeof(pv), sizeof(l->vlans),
				 sizeof(l->rxmode) };
	int first = 0;

	for (unsigned i = 0; i < 4; i++) {
		if (!(l->has & step[i].bit))
			continue;
		int rc = snic_admin_exec(d, step[i].opcode, payload[i], len[i], NULL, 0, NULL);
		report(cb, arg, step[i].kind, l->policy.vnic, rc ? SNIC_RESTORE_FAILED : SNIC_RESTORED,
		       rc ? snic_errmsg(d) : NULL);
		if (rc && !first) {
			first = rc;
			snprintf(first_msg, n, "%s %u: %s", step[i].kind, l->policy.vnic,
				 snic_errmsg(d));
		}
	}
	return first;
}

int snic_restore(struct snic_dev *d, snic_restore_cb cb, void *arg)
{
	int first = 0;
	char first_msg[SNIC_ERRMSG_MAX] = "";

	if (!snic_mirror_active(d))
		return snic_seterr(d, SNIC_ERR_ARG, "no host state file: nothing to restore");
	int rc = snic_mirror_begin(d, 0);
	if (rc)
		return rc;
	struct snic_mirror *m = d->mirror;
	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++) {
		if (!m->vnic[v].used)
			continue;
		rc = restore_vnic(d, &m->vnic[v], cb, arg);
		if (rc && !first) {
			first = rc;
			snprintf(first_msg, sizeof(first_msg), "vnic %u: %s", v, snic_errmsg(d));
		}
	}
	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++) {
		char msg[SNIC_ERRMSG_MAX];
		if (!m->l2[v].has || !m->vnic[v].used)
			continue;
		rc = restore_l2(d, &m->l2[v], cb, arg, msg, sizeof(msg));
		if (rc && !first) {
			first = rc;
			snprintf(first_msg, sizeof(first_msg), "%s", msg);
		}
	}
	for (unsigned i = 0; i < SNIC_MIRROR_MAX_POLICERS + SNIC_MIRROR_MAX_VNICS; i++) {
		const struct snic_meter_set *ms = i < SNIC_MIRROR_MAX_VNICS ?
			&m->shaper[i] : &m->policer[i - SNIC_MIRROR_MAX_VNICS];
		if (!ms->mode)
			continue;
		rc = restore_meter(d, ms, cb, arg);
		if (rc && !first) {
			first = rc;
			snprintf(first_msg, sizeof(first_msg), "%s %u: %s",
				 ms->mode == SNIC_METER_SHAPER ? "shaper" : "policer", ms->meter,
				 snic_errmsg(d));
		}
	}
	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++) {
		if (!m->share[v].weight && !m->share[v].min_bps)
			continue;
		rc = restore_share(d, &m->share[v], cb, arg);
		if (rc && !first) {
			first = rc;
			snprintf(first_msg, sizeof(first_msg), "share %u: %s", v, snic_errmsg(d));
		}
	}
	for (uint32_t i = 0; i < m->n_rules; i++) {
		rc = restore_rule(d, &m->rule[i], cb, arg);
		if (rc && !first) {
			first = rc;
			snprintf(first_msg, sizeof(first_msg), "rule %u: %s", m->rule[i].loc,
				 snic_errmsg(d));
		}
	}
	/* In sync with this device life again (failed entries stay mirrored). */
	m->reset_count = snic_ld32(d, offsetof(struct snic_blk_devid, reset_count));
	rc = snic_mirror_end(d, 1);
	if (first)
		return snic_seterr(d, first, "%s", first_msg);
	return rc;
}
