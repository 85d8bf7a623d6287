/* SPDX-License-Identifier: MIT */
/*
 * Bandwidth shares: a VNIC's weight, guaranteed minimum and priority on
 * its uplink or bond (SNIC_CMD_VNIC_SHARE). Checked here first, so a
 * mistake gets a sentence instead of SNIC_E_RANGE, and mirrored so
 * snic_restore re-applies it after a device reset.
 */
#include <stdio.h>
#include "snic_impl.h"

static int check_share(struct snic_dev *d, const struct snic_vnic_share *s)
{
	char a[32], b[32], v[32];

	if (s->prio > SNIC_SHARE_PRIO_MAX)
		return snic_seterr(d, SNIC_ERR_ARG, "priority %u is over the maximum of %u",
				   s->prio, SNIC_SHARE_PRIO_MAX);
	if (!s->weight && !s->min_bps && s->prio)
		return snic_seterr(d, SNIC_ERR_ARG,
				   "a priority needs a weight or a minimum (all 0 removes the share)");
	if (!s->min_bps)
		return 0;
	if (!d->caps_valid)
		return snic_seterr(d, SNIC_ERR_NOBLOCK, "a minimum rate needs the capabilities");
	if (s->min_bps >= d->caps.meters.min_bps && s->min_bps <= d->caps.meters.max_bps)
		return 0;
	snic_fmt_rate(a, sizeof(a), d->caps.meters.min_bps);
	snic_fmt_rate(b, sizeof(b), d->caps.meters.max_bps);
	snic_fmt_rate(v, sizeof(v), s->min_bps);
	return snic_seterr(d, SNIC_ERR_ARG, "minimum %s bit/s is outside the device's range %s..%s",
			   v, a, b);
}

int snic_vnic_share(struct snic_dev *d, uint16_t vnic, uint16_t weight, uint64_t min_bps,
		    uint8_t prio)
{
	struct snic_vnic_share s;

	memset(&s, 0, sizeof(s));
	s.vnic = vnic;
	s.weight = weight;
	s.prio = prio;
	s.min_bps = min_bps;
	int rc = check_share(d, &s);
	if (rc)
		return rc;
	rc = snic_mirror_begin(d, 0);
	if (rc)
		return rc;
	rc = snic_admin_exec(d, SNIC_CMD_VNIC_SHARE, &s, sizeof(s), NULL, 0, NULL);
	if (rc == SNIC_OK)
		snic_mirror_put_share(d, &s);
	return snic_mirror_finish(d, rc, rc == SNIC_OK);
}

int snic_vnic_share_query(struct snic_dev *d, uint16_t vnic, struct snic_vnic_share_info *out)
{
	struct snic_vnic_ref ref = { vnic, 0 };
	uint32_t got = 0;
	int rc = snic_admin_exec(d, SNIC_CMD_VNIC_SHARE_QUERY, &ref, sizeof(ref), out,
				 sizeof(*out), &got);

	if (rc == SNIC_OK && got < sizeof(*out))
		return snic_seterr(d, SNIC_ERR_PROTO, "VNIC_SHARE_QUERY: reply of %u bytes, "
				   "expected %zu", got, sizeof(*out));
	return rc;
}
