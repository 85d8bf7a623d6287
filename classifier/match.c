/* SPDX-License-Identifier: MIT */
/*
 * Ternary lookup of the reference classifier: the lowest valid index
 * whose masked value equals the masked key wins (hdl/snic_tcam.sv).
 */
#include "classifier.h"
#include <snic/rss.h>

int snic_rule_matches(const struct snic_rule *rule, const struct snic_key *key)
{
	const uint8_t *v = (const uint8_t *)&rule->value;
	const uint8_t *m = (const uint8_t *)&rule->mask;
	const uint8_t *k = (const uint8_t *)key;

	for (uint32_t i = 0; i < SNIC_KEY_BYTES; i++)
		if ((k[i] & m[i]) != (v[i] & m[i]))
			return 0;
	return 1;
}

static void miss_action(struct snic_action *a)
{
	a->vnic = SNIC_VNIC_NONE;
	a->ring = SNIC_RING_DEFAULT;
	a->meter = SNIC_METER_NONE;
	a->flags = 0;
	a->gen = 0;
}

void snic_tcam_lookup(const struct snic_tcam *t, const struct snic_key *key,
		      struct snic_match *out)
{
	out->key_flags = key->flags;
	out->rsvd = 0;
	/* No hash until snic_rss_apply (the engine's reset state). */
	out->hash = 0;
	out->hash_type = SNIC_RSS_HT_NONE;
	out->rsvd1[0] = out->rsvd1[1] = out->rsvd1[2] = 0;
	for (uint32_t i = 0; i < t->depth; i++) {
		if (t->valid[i] && snic_rule_matches(&t->entries[i], key)) {
			out->rule = (uint16_t)i;
			out->action = t->entries[i].action;
			return;
		}
	}
	out->rule = SNIC_RULE_MISS;
	miss_action(&out->action);
}
