/* SPDX-License-Identifier: MIT */
/*
 * Meters: RX policers (srTCM RFC 2697, trTCM RFC 2698, RFC 4115) that
 * rules name with SNIC_ACT_METER, and one TX shaper per VNIC. The device
 * has the last word, but the library checks what the capabilities
 * advertise first, so a typo gets a sentence instead of SNIC_E_RANGE, and
 * mirrors every accepted setting so snic_restore can replay it.
 */
#include <stdio.h>
#include "snic_impl.h"

#define KNOWN_FLAGS (SNIC_METERF_WIRE | SNIC_METERF_MARK | SNIC_METERF_RFC4115)

/* Bytes a frame of len costs: the device's wire accounting (meter.h). */
static uint32_t frame_cost(uint32_t len, int wire)
{
	if (!wire)
		return len;
	return (len < 60 ? 60 : len) + 24;
}

uint32_t snic_max_frame_cost(const struct snic_dev *d, int wire)
{
	uint32_t max = 0;

	for (unsigned r = 0; d->caps_valid && r < d->caps.n_tx; r++)
		if (d->caps.tx[r].buf_max > max)
			max = d->caps.tx[r].buf_max;
	return frame_cost(max, wire);
}

static int rate_check(struct snic_dev *d, const char *what, uint64_t bps)
{
	char a[32], b[32], v[32];

	if (bps >= d->caps.meters.min_bps && bps <= d->caps.meters.max_bps)
		return 0;
	snic_fmt_rate(a, sizeof(a), d->caps.meters.min_bps);
	snic_fmt_rate(b, sizeof(b), d->caps.meters.max_bps);
	snic_fmt_rate(v, sizeof(v), bps);
	return snic_seterr(d, SNIC_ERR_ARG, "%s %s bit/s is outside the device's range %s..%s",
			   what, v, a, b);
}

static int burst_check(struct snic_dev *d, const char *what, uint32_t bytes, uint32_t min)
{
	if (bytes > SNIC_METER_BURST_MAX)
		return snic_seterr(d, SNIC_ERR_ARG, "%s of %u bytes is over the limit of %u",
				   what, bytes, SNIC_METER_BURST_MAX);
	if (bytes < min)
		return snic_seterr(d, SNIC_ERR_ARG,
				   min > 1 ? "%s of %u bytes is smaller than the largest frame "
					     "(%u bytes): such a frame would wait forever"
					   : "%s of %u bytes: must be at least %u",
				   what, bytes, min);
	return 0;
}

static int check_shaper(struct snic_dev *d, const struct snic_meter_set *m)
{
	int wire = m->flags & SNIC_METERF_WIRE;
	uint32_t cost = snic_max_frame_cost(d, wire);

	if (m->flags & ~SNIC_METERF_WIRE)
		return snic_seterr(d, SNIC_ERR_ARG, "a shaper takes no mark/RFC 4115 flags");
	if (!m->cir_bps) {
		if (m->eir_bps || m->cbs || m->ebs)
			return snic_seterr(d, SNIC_ERR_ARG,
					   "removing a shaper (rate 0) takes no other values");
		return 0;
	}
	int rc = rate_check(d, "average rate", m->cir_bps);
	if (!rc)
		rc = burst_check(d, "burst", m->cbs, cost);
	if (rc)
		return rc;
	if (!m->eir_bps) {
		if (m->ebs)
			return snic_seterr(d, SNIC_ERR_ARG, "a peak burst needs a peak rate");
		return 0;
	}
	if (m->eir_bps < m->cir_bps)
		return snic_seterr(d, SNIC_ERR_ARG, "peak rate below the average rate");
	rc = rate_check(d, "peak rate", m->eir_bps);
	return rc ? rc : burst_check(d, "peak burst", m->ebs, cost);
}

static int check_policer(struct snic_dev *d, const struct snic_meter_set *m)
{
	int rfc4115 = m->flags & SNIC_METERF_RFC4115;

	if (m->meter >= d->caps.meters.count)
		return snic_seterr(d, SNIC_ERR_ARG, "policer %u does not exist (the device has %u)",
				   m->meter, d->caps.meters.count);
	if (rfc4115 && m->mode != SNIC_METER_TRTCM)
		return snic_seterr(d, SNIC_ERR_ARG, "RFC 4115 is a two-rate mode");
	int rc = rate_check(d, "committed rate", m->cir_bps);
	if (!rc)
		rc = burst_check(d, "committed burst", m->cbs, 1);
	if (!rc && m->ebs)
		rc = burst_check(d, "excess burst", m->ebs, 1);
	if (rc)
		return rc;
	if (m->mode == SNIC_METER_SRTCM) {
		if (m->eir_bps)
			return snic_seterr(d, SNIC_ERR_ARG, "srTCM has one rate: no peak/excess rate");
		return 0;
	}
	if (!rfc4115) {
		if (!m->eir_bps || !m->ebs)
			return snic_seterr(d, SNIC_ERR_ARG, "trTCM needs a peak rate and a peak burst");
		if (m->eir_bps < m->cir_bps)
			return snic_seterr(d, SNIC_ERR_ARG, "trTCM: peak rate below the committed rate");
		return rate_check(d, "peak rate", m->eir_bps);
	}
	if (!m->eir_bps != !m->ebs)
		return snic_seterr(d, SNIC_ERR_ARG,
				   "RFC 4115: an excess rate and an excess burst go together");
	return m->eir_bps ? rate_check(d, "excess rate", m->eir_bps) : 0;
}

/* Everything the capabilities let us check before sending. */
static int check_meter(struct snic_dev *d, const struct snic_meter_set *m)
{
	static const char *const names[] = { "?", "srTCM", "trTCM", "shaper" };

	if (!d->caps_valid)
		return snic_seterr(d, SNIC_ERR_NOBLOCK, "meters need the capabilities");
	if (m->rsvd || (m->flags & ~KNOWN_FLAGS))
		return snic_seterr(d, SNIC_ERR_ARG, "reserved or unknown meter flags");
	if (m->mode < SNIC_METER_SRTCM || m->mode > SNIC_METER_SHAPER)
		return snic_seterr(d, SNIC_ERR_ARG, "unknown meter mode %u", m->mode);
	if (!(d->caps.meters.modes & (1u << m->mode)))
		return snic_seterr(d, SNIC_ERR_ARG, "the device has no %s meters (%s profile)",
				   names[m->mode], d->caps.profile);
	if (m->mode == SNIC_METER_SHAPER)
		return check_shaper(d, m);
	return check_policer(d, m);
}

int snic_meter_set(struct snic_dev *d, const struct snic_meter_set *m)
{
	int rc = check_meter(d, m);

	if (rc)
		return rc;
	rc = snic_mirror_begin(d, 0);
	if (rc)
		return rc;
	rc = snic_admin_exec(d, SNIC_CMD_METER_SET, m, sizeof(*m), NULL, 0, NULL);
	if (rc == SNIC_OK)
		snic_mirror_put_meter(d, m);
	return snic_mirror_finish(d, rc, rc == SNIC_OK);
}

int snic_vnic_rate(struct snic_dev *d, uint16_t vnic, const struct snic_vnic_rate *r)
{
	struct snic_meter_set m;

	memset(&m, 0, sizeof(m));
	m.meter = vnic;
	m.mode = SNIC_METER_SHAPER;
	m.flags = r->wire ? SNIC_METERF_WIRE : 0;
	m.cir_bps = r->avg_bps;
	m.cbs = r->burst;
	m.eir_bps = r->peak_bps;
	m.ebs = r->peak_burst;
	/* A peak rate without its own burst lets one largest frame through at a time. */
	if (m.eir_bps && !m.ebs)
		m.ebs = snic_max_frame_cost(d, r->wire);
	return snic_meter_set(d, &m);
}
