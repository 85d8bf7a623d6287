/* SPDX-License-Identifier: MIT */
/*
 * The classifier rule table. The firmware keeps its own copy of every
 * entry (for RULE_QUERY and to reprogram the engine after a reset) and is
 * the only writer of the engine's table, through hal_cls_write/clear.
 *
 * Indices 0..user_entries-1 take host rules (lower index = higher
 * priority); mac_base + id is VNIC id's MAC entry: the top max_vnics
 * entries of the table, or, when the exact-match table steers the MACs,
 * indices past it that only RULE_QUERY knows (vnic.c).
 */
#include "fw_internal.h"

/* Malformed keys are INVAL; well-formed keys the profile cannot match are UNSUPP. */
static int check_key(struct fw *fw, const struct snic_key *value, const struct snic_key *mask)
{
	const uint8_t *v = (const uint8_t *)value, *m = (const uint8_t *)mask;
	uint32_t used = 0;

	for (unsigned i = 0; i < SNIC_KEY_BYTES; i++) {
		if (v[i] & ~m[i])
			return SNIC_E_INVAL;
		if (!m[i])
			continue;
		uint32_t f = snic_key_byte_field(i);
		if (!f)
			return SNIC_E_INVAL;
		used |= f;
	}
	return (used & ~fw->hw.key_fields) ? SNIC_E_UNSUPP : SNIC_OK;
}

static int check_action(struct fw *fw, const struct snic_action *a)
{
	const uint8_t known = SNIC_ACT_DROP | SNIC_ACT_COUNT | SNIC_ACT_MARK_SW | SNIC_ACT_METER;

	if (a->gen || (a->flags & ~known))
		return SNIC_E_INVAL;
	if (!(a->flags & SNIC_ACT_METER) && a->meter != SNIC_METER_NONE)
		return SNIC_E_INVAL;
	if (a->flags & SNIC_ACT_DROP) {
		/* A drop goes nowhere: a destination or meter would be meaningless. */
		if (a->vnic != SNIC_VNIC_NONE || a->ring != SNIC_RING_DEFAULT ||
		    (a->flags & (SNIC_ACT_MARK_SW | SNIC_ACT_METER)))
			return SNIC_E_INVAL;
		return SNIC_OK;
	}
	/* Policers cannot be deleted, only reconfigured (or RESET with the rules). */
	if ((a->flags & SNIC_ACT_METER) && !fw_policer_exists(fw, a->meter))
		return SNIC_E_NOENT;
	if (a->ring != SNIC_RING_DEFAULT) {
		if (a->flags & SNIC_ACT_MARK_SW)
			return SNIC_E_INVAL; /* two contradicting ring choices */
		if (a->ring >= fw->hw.n_rx_rings)
			return SNIC_E_NOENT;
	}
	if (!fw_vnic_exists(fw, a->vnic))
		return SNIC_E_NOENT;
	return SNIC_OK;
}

static void adjust_refs(struct fw *fw, const struct snic_action *a, int delta)
{
	if (!(a->flags & SNIC_ACT_DROP) && fw_vnic_exists(fw, a->vnic))
		fw->vnic[a->vnic].rule_refs = (uint16_t)(fw->vnic[a->vnic].rule_refs + delta);
}

/* One bit per entry: firmware RAM is the constraint (docs/firmware-image.md). */
static bool rule_used(struct fw *fw, uint32_t i)
{
	return fw->rule_valid[i / 32] >> (i % 32) & 1;
}

static void rule_mark(struct fw *fw, uint32_t i, bool on)
{
	if (on)
		fw->rule_valid[i / 32] |= 1u << (i % 32);
	else
		fw->rule_valid[i / 32] &= ~(1u << (i % 32));
}

/* Entry idx to the engine, its action stamped (fw_action_stamp); the
 * host's view (RULE_QUERY) stays as the host wrote it. */
static void cls_write(struct fw *fw, uint32_t idx)
{
	struct snic_rule r;

	fw_memcpy(&r, &fw->tab->rules[idx], sizeof(r));
	fw_action_stamp(fw, &r.action);
	hal_cls_write(fw->hal, idx, &r);
}

void fw_rules_reset_all(struct fw *fw)
{
	for (uint32_t i = 0; i < fw->hw.tcam_entries; i++) {
		rule_mark(fw, i, false);
		hal_cls_clear(fw->hal, i);
	}
}

int fw_rule_add(struct fw *fw, const struct snic_rule_add *a, struct snic_rule_ref *out)
{
	int st;

	if (a->rsvd)
		return SNIC_E_INVAL;
	if (a->loc != SNIC_LOC_ANY && a->loc >= fw->user_entries)
		return SNIC_E_RANGE;
	st = check_key(fw, &a->rule.value, &a->rule.mask);
	if (st != SNIC_OK)
		return st;
	st = check_action(fw, &a->rule.action);
	if (st != SNIC_OK)
		return st;

	uint32_t loc = a->loc;
	if (loc == SNIC_LOC_ANY) {
		for (loc = 0; loc < fw->user_entries && rule_used(fw, loc); loc++)
			;
		if (loc == fw->user_entries)
			return SNIC_E_NOSPC;
	} else if (rule_used(fw, loc)) {
		return SNIC_E_EXIST;
	}
	fw_memcpy(&fw->tab->rules[loc], &a->rule, sizeof(a->rule));
	rule_mark(fw, loc, true);
	adjust_refs(fw, &a->rule.action, +1);
	cls_write(fw, loc);
	out->loc = loc;
	return SNIC_OK;
}

int fw_rule_del(struct fw *fw, const struct snic_rule_ref *r)
{
	if (r->loc >= fw->user_entries)
		return SNIC_E_RANGE; /* VNIC MAC entries go with their VNIC */
	if (!rule_used(fw, r->loc))
		return SNIC_E_NOENT;
	adjust_refs(fw, &fw->tab->rules[r->loc].action, -1);
	rule_mark(fw, r->loc, false);
	hal_cls_clear(fw->hal, r->loc);
	return SNIC_OK;
}

int fw_rule_query(struct fw *fw, const struct snic_rule_ref *r, struct snic_rule_info *out)
{
	struct snic_rule mac;

	if (r->loc >= fw->mac_base + fw->hw.max_vnics)
		return SNIC_E_RANGE;
	if (r->loc >= fw->mac_base) {
		if (!fw_vnic_mac_rule(fw, r->loc - fw->mac_base, &mac))
			return SNIC_E_NOENT;
	} else if (!rule_used(fw, r->loc)) {
		return SNIC_E_NOENT;
	}
	fw_memset(out, 0, sizeof(*out));
	out->loc = r->loc;
	/* Exact-steered MAC entries have no counter (and no engine index). */
	out->hits = r->loc < fw->hw.tcam_entries ? hal_cls_hits(fw->hal, r->loc) : 0;
	fw_memcpy(&out->rule, r->loc >= fw->mac_base ? &mac : &fw->tab->rules[r->loc],
		  sizeof(out->rule));
	return SNIC_OK;
}

void fw_rule_set_internal(struct fw *fw, uint32_t idx, const struct snic_rule *rule)
{
	fw_memcpy(&fw->tab->rules[idx], rule, sizeof(*rule));
	rule_mark(fw, idx, true);
	cls_write(fw, idx);
}

void fw_rule_clear_internal(struct fw *fw, uint32_t idx)
{
	rule_mark(fw, idx, false);
	hal_cls_clear(fw->hal, idx);
}
