/* SPDX-License-Identifier: MIT */
/*
 * METER_SET: the RX policer pool (named by rules with SNIC_ACT_METER) and
 * the per-VNIC TX shapers. Everything is validated before anything
 * changes; reconfiguring a meter refills its buckets.
 */
#include "fw_internal.h"

#define KNOWN_FLAGS (SNIC_METERF_WIRE | SNIC_METERF_MARK | SNIC_METERF_RFC4115)

void fw_meters_reset_all(struct fw *fw)
{
	fw_memset(fw->tab->meters, 0, sizeof(fw->tab->meters));
	fw_memset(fw->tab->meter_mark, 0, sizeof(fw->tab->meter_mark));
}

bool fw_policer_exists(struct fw *fw, uint32_t id)
{
	return id < FW_MAX_METERS && fw->tab->meters[id].kind != METER_OFF;
}

static bool rate_ok(uint64_t bps)
{
	return bps >= METER_RATE_MIN && bps <= METER_RATE_MAX;
}

static int set_shaper(struct fw *fw, const struct snic_meter_set *s)
{
	bool wire = s->flags & SNIC_METERF_WIRE;

	if (s->flags & ~SNIC_METERF_WIRE)
		return SNIC_E_INVAL; /* MARK and RFC4115 are policer options */
	if (!fw_vnic_exists(fw, s->meter))
		return SNIC_E_NOENT;
	struct meter *sh = &fw->vnic[s->meter].shaper;
	if (!s->cir_bps) {
		if (s->eir_bps || s->cbs || s->ebs)
			return SNIC_E_INVAL;
		sh->kind = METER_OFF;
		return SNIC_OK;
	}
	/* A burst smaller than the largest frame would hold that frame forever. */
	uint64_t max_cost = meter_bytes(wire, fw->hw.buf_max);
	if (!rate_ok(s->cir_bps) || s->cbs < max_cost || s->cbs > METER_BURST_MAX)
		return SNIC_E_RANGE;
	if (s->eir_bps) {
		if (!rate_ok(s->eir_bps) || s->eir_bps < s->cir_bps ||
		    s->ebs < max_cost || s->ebs > METER_BURST_MAX)
			return SNIC_E_RANGE;
	} else if (s->ebs) {
		return SNIC_E_INVAL;
	}
	meter_setup(sh, METER_SHAPER, wire, fw->now_ns, s->cir_bps, s->cbs, s->eir_bps, s->ebs);
	return SNIC_OK;
}

static int set_policer(struct fw *fw, const struct snic_meter_set *s)
{
	enum meter_kind kind;

	if (s->meter >= FW_MAX_METERS)
		return SNIC_E_RANGE;
	if ((s->flags & SNIC_METERF_RFC4115) && s->mode != SNIC_METER_TRTCM)
		return SNIC_E_INVAL;
	if (!rate_ok(s->cir_bps) || !s->cbs || s->cbs > METER_BURST_MAX ||
	    s->ebs > METER_BURST_MAX)
		return SNIC_E_RANGE;
	if (s->mode == SNIC_METER_SRTCM) {
		if (s->eir_bps)
			return SNIC_E_INVAL; /* one rate */
		kind = METER_SRTCM;
	} else if (!(s->flags & SNIC_METERF_RFC4115)) {
		if (!rate_ok(s->eir_bps) || s->eir_bps < s->cir_bps || !s->ebs)
			return SNIC_E_RANGE; /* RFC 2698: PIR >= CIR, PBS > 0 */
		kind = METER_TRTCM_PEAK;
	} else {
		if (!s->eir_bps && s->ebs)
			return SNIC_E_INVAL;
		if (s->eir_bps && (!rate_ok(s->eir_bps) || !s->ebs))
			return SNIC_E_RANGE;
		kind = METER_TRTCM_EXCESS;
	}
	meter_setup(&fw->tab->meters[s->meter], kind, s->flags & SNIC_METERF_WIRE, fw->now_ns,
		    s->cir_bps, s->cbs, s->eir_bps, s->ebs);
	if (s->flags & SNIC_METERF_MARK)
		fw->tab->meter_mark[s->meter / 32] |= 1u << (s->meter % 32);
	else
		fw->tab->meter_mark[s->meter / 32] &= ~(1u << (s->meter % 32));
	return SNIC_OK;
}

int fw_meter_set(struct fw *fw, const struct snic_meter_set *s)
{
	if (s->rsvd || (s->flags & ~KNOWN_FLAGS))
		return SNIC_E_INVAL;
	switch (s->mode) {
	case SNIC_METER_SHAPER:
		return set_shaper(fw, s);
	case SNIC_METER_SRTCM:
	case SNIC_METER_TRTCM:
		return set_policer(fw, s);
	default:
		return SNIC_E_INVAL;
	}
}
