/* SPDX-License-Identifier: MIT */
/*
 * The intent journal of the host mirror. The mirror is saved after the
 * device answers, so a process killed in between (the admin lock is taken
 * over after its lease, docs/abi.md) would leave a VNIC or rule on the
 * device the mirror lacks, or the other way round, and a later restore
 * would re-create what was removed. So the change is written to the state
 * file first (snic_intent_begin); snic_mirror_end clears it; and a
 * transaction that finds one left behind asks the device how it ended and
 * settles the mirror (snic_intent_settle) before it does its own work.
 */
#include <string.h>
#include "snic_impl.h"

int snic_intent_begin(struct snic_dev *d, const struct snic_mirror_intent *it)
{
	if (!snic_mirror_active(d))
		return 0;
	d->mirror->intent = *it;
	d->intent_own = 1;
	return snic_mirror_write(d);
}

/* 1 when the device answered `rc` for a VNIC or rule that is not there,
 * 0 when it is there; -1: no answer to settle by (device unreachable). */
static int absent(int rc)
{
	return rc == SNIC_E_NOENT ? 1 : rc == SNIC_OK ? 0 : -1;
}

static int mirror_has_rule(const struct snic_mirror *m, uint32_t loc)
{
	for (uint32_t i = 0; i < m->n_rules; i++)
		if (m->rule[i].loc == loc)
			return 1;
	return 0;
}

/* A VNIC create: adopt the device's VNIC with the asked MAC that the
 * mirror lacks (at the asked id, or any id when the device picked). */
static int settle_vnic_add(struct snic_dev *d, const struct snic_mirror_intent *it)
{
	unsigned n = d->caps_valid ? d->caps.max_vnics : SNIC_MIRROR_MAX_VNICS;
	unsigned first = it->params.id == SNIC_ID_ANY ? 0 : it->params.id;
	unsigned last = it->params.id == SNIC_ID_ANY ? n : first + 1u;

	for (unsigned v = first; v < last && v < SNIC_MIRROR_MAX_VNICS; v++) {
		struct snic_vnic_info info;
		if (d->mirror->vnic[v].used)
			continue;
		int a = absent(snic_vnic_query(d, (uint16_t)v, &info));
		if (a < 0)
			return -1;
		if (!a && !memcmp(info.mac, it->params.mac, 6)) {
			snic_mirror_put_vnic(d, &it->params, &info);
			return 0;
		}
	}
	return 0;
}

/* A rule add: adopt the device's rule the mirror lacks that is the asked
 * rule, or its coarse form (then held in software, swrule.c). */
static int settle_rule_add(struct snic_dev *d, const struct snic_mirror_intent *it)
{
	uint32_t n = d->caps_valid ? d->caps.cls.user_entries : SNIC_MIRROR_MAX_RULES;
	uint32_t first = it->loc == SNIC_LOC_ANY ? 0 : it->loc;
	uint32_t last = it->loc == SNIC_LOC_ANY ? n : first + 1u;
	struct snic_rule coarse;
	int has_coarse = snic_rule_sw_fields(d, &it->rule) &&
			 snic_rule_coarse(d, &it->rule, &coarse) == 0;

	for (uint32_t loc = first; loc < last; loc++) {
		struct snic_rule_info ri;
		if (mirror_has_rule(d->mirror, loc))
			continue;
		int a = absent(snic_raw_rule_query(d, loc, &ri));
		if (a < 0)
			return -1;
		if (a)
			continue;
		if (!memcmp(&ri.rule, &it->rule, sizeof(ri.rule)))
			return snic_mirror_put_rule(d, loc, &it->rule, 0) ? -1 : 0;
		if (has_coarse && !memcmp(&ri.rule, &coarse, sizeof(coarse)))
			return snic_mirror_put_rule(d, loc, &it->rule, SNIC_MRULE_SW) ? -1 : 0;
	}
	return 0;
}

void snic_intent_settle(struct snic_dev *d)
{
	struct snic_mirror_intent it = d->mirror->intent;
	struct snic_vnic_info info;
	struct snic_rule_info ri;
	int rc = 0, a;

	switch (it.kind) {
	case SNIC_MINTENT_VNIC_ADD:
		rc = settle_vnic_add(d, &it);
		break;
	case SNIC_MINTENT_VNIC_DEL:
		if ((a = absent(snic_vnic_query(d, it.id, &info))) > 0)
			snic_mirror_drop_vnic(d, it.id);
		rc = a < 0 ? -1 : 0;
		break;
	case SNIC_MINTENT_RULE_ADD:
		rc = settle_rule_add(d, &it);
		break;
	case SNIC_MINTENT_RULE_DEL:
		if ((a = absent(snic_raw_rule_query(d, it.loc, &ri))) > 0)
			snic_mirror_drop_rule(d, it.loc);
		rc = a < 0 ? -1 : 0;
		break;
	}
	/* A device that cannot answer now keeps the intent for a later try. */
	if (rc < 0)
		return;
	memset(&d->mirror->intent, 0, sizeof(d->mirror->intent));
	snic_mirror_write(d);
}
