/* SPDX-License-Identifier: MIT */
/*
 * Software-held rules: where the device's classifier cannot match a key
 * field a rule R uses (caps.cls.key_fields), the library installs at R's
 * location a coarser rule R' (R's match on the fields the device has: a
 * superset of R's frames) that sends its frames to the shared HRR 0
 * (SNIC_ACT_MARK_SW), and keeps R itself in the host mirror flagged
 * SNIC_MRULE_SW. The host software classifier (swcls.c) uses R at that
 * location, so frames of R' that R does not match fall through to the
 * lower-priority entries exactly as if R were absent.
 */
#include <stdio.h>
#include "snic_impl.h"

uint32_t snic_rule_fields(const struct snic_rule *r)
{
	const uint8_t *m = (const uint8_t *)&r->mask;
	uint32_t used = 0;

	for (unsigned i = 0; i < SNIC_KEY_BYTES; i++)
		if (m[i])
			used |= snic_key_byte_field(i);
	return used;
}

uint32_t snic_rule_sw_fields(const struct snic_dev *d, const struct snic_rule *r)
{
	return d->caps_valid ? snic_rule_fields(r) & ~d->caps.cls.key_fields : 0;
}

int snic_rule_coarse(struct snic_dev *d, const struct snic_rule *r, struct snic_rule *out)
{
	const struct snic_action *a = &r->action;
	uint32_t lack = snic_rule_sw_fields(d, r);
	char f[96];

	snic_fields_str(lack, f, sizeof(f));
	if (!(d->caps.cls.actions & SNIC_CLSCAP_ACT_MARK_SW))
		return snic_seterr(d, SNIC_ERR_ARG, "matching on %s is not supported by this device "
				   "(profile %s), which has no shared ring for the software "
				   "classifier either", f, d->caps.profile);
	/* The coarse rule still needs a destination on the device, and a ring
	 * or a meter on it would act on frames the rule does not match. */
	if ((a->flags & (SNIC_ACT_DROP | SNIC_ACT_METER)) || a->ring != SNIC_RING_DEFAULT ||
	    a->vnic == SNIC_VNIC_NONE)
		return snic_seterr(d, SNIC_ERR_ARG, "matching on %s is not supported by this device "
				   "(profile %s); the software classifier can hold such a rule "
				   "only when it delivers to a VNIC (vf N), without a ring, "
				   "meter or drop", f, d->caps.profile);
	*out = *r;
	uint8_t *v = (uint8_t *)&out->value, *m = (uint8_t *)&out->mask;
	for (unsigned i = 0; i < SNIC_KEY_BYTES; i++)
		if (snic_key_byte_field(i) & lack)
			v[i] = m[i] = 0;
	out->action.flags = (uint8_t)((a->flags & SNIC_ACT_COUNT) | SNIC_ACT_MARK_SW);
	return 0;
}

void snic_fields_str(uint32_t fields, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = 0;
	for (unsigned b = 0; b < 32 && n + 1 < len; b++)
		if (fields & (1u << b))
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
					      snic_field_name(b) ? snic_field_name(b) : "?");
}

/* The rule the device holds for mirrored rule mr. */
int snic_mirror_rule_hw(struct snic_dev *d, const struct snic_mirror_rule *mr,
			struct snic_rule *out)
{
	if (!(mr->flags & SNIC_MRULE_SW)) {
		*out = mr->rule;
		return 0;
	}
	return snic_rule_coarse(d, &mr->rule, out);
}
