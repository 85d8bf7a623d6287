/* SPDX-License-Identifier: MIT */
/*
 * A NIC model in memory: VNICs 0..n-1, VNIC v on uplink v % uplinks, each
 * uplink of the same speed. It holds what the agent applies and nothing
 * else (no traffic), for the agent's unit tests and for scale runs where
 * hundreds of agents share one machine (`--nic model:VNICS:UPLINKS:BPS`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nic.h"
#include "nic_model.h"

struct nic_model {
	struct nic nic;
	unsigned n_vnics, n_uplinks;
	uint64_t uplink_bps;
	uint64_t gen;
	int capacity_fails;
	struct nic_booking *held;
	uint32_t *applies;
};

static struct nic_model *to_model(struct nic *n)
{
	return (struct nic_model *)n;
}

static void model_close(struct nic *n)
{
	struct nic_model *m = to_model(n);

	free(m->held);
	free(m->applies);
	free(m);
}

static int model_generation(struct nic *n, uint64_t *gen)
{
	*gen = to_model(n)->gen;
	return NIC_OK;
}

static int model_uplink(struct nic *n, uint16_t vnic, uint8_t *uplink)
{
	struct nic_model *m = to_model(n);

	if (vnic >= m->n_vnics)
		return nic_fail(n, NIC_E_NOVNIC, "no VNIC %u (the model has %u)", vnic, m->n_vnics);
	*uplink = (uint8_t)(vnic % m->n_uplinks);
	return NIC_OK;
}

static int model_capacity(struct nic *n, uint8_t uplink, uint64_t *bps)
{
	struct nic_model *m = to_model(n);

	if (uplink >= m->n_uplinks)
		return nic_fail(n, NIC_E_RANGE, "no uplink %u", uplink);
	if (m->capacity_fails)
		return nic_fail(n, NIC_E_IO, "uplink %u: capacity unknown (injected)", uplink);
	*bps = m->uplink_bps;
	return NIC_OK;
}

static int model_apply(struct nic *n, uint16_t vnic, const struct nic_booking *b)
{
	struct nic_model *m = to_model(n);

	if (vnic >= m->n_vnics)
		return nic_fail(n, NIC_E_NOVNIC, "no VNIC %u (the model has %u)", vnic, m->n_vnics);
	if (b->min_bps > m->uplink_bps * m->n_uplinks || b->rx_bps > m->uplink_bps * m->n_uplinks)
		return nic_fail(n, NIC_E_RANGE, "VNIC %u: rate above the uplinks' speed", vnic);
	if (b->rx_only)
		m->held[vnic].rx_cap_bps = b->rx_cap_bps;
	else
		m->held[vnic] = *b;
	m->held[vnic].rx_only = 0;
	m->applies[vnic]++;
	return NIC_OK;
}

static int model_read(struct nic *n, uint16_t vnic, struct nic_booking *out)
{
	struct nic_model *m = to_model(n);

	if (vnic >= m->n_vnics)
		return nic_fail(n, NIC_E_NOVNIC, "no VNIC %u (the model has %u)", vnic, m->n_vnics);
	*out = m->held[vnic];
	return NIC_OK;
}

/* Every VNIC of the model is backlogged: it wants its uplink's speed. */
static int model_demand(struct nic *n, uint16_t vnic, uint64_t *bps)
{
	struct nic_model *m = to_model(n);

	if (vnic >= m->n_vnics)
		return nic_fail(n, NIC_E_NOVNIC, "no VNIC %u (the model has %u)", vnic, m->n_vnics);
	*bps = m->uplink_bps;
	return NIC_OK;
}

static int model_vnics(struct nic *n, uint8_t uplink, uint16_t *out, unsigned max)
{
	struct nic_model *m = to_model(n);
	unsigned k = 0;

	for (unsigned v = uplink; v < m->n_vnics; v += m->n_uplinks)
		if (k < max)
			out[k++] = (uint16_t)v;
	return (int)k;
}

static const struct nic_ops model_ops = {
	.name = "model",
	.can = NIC_CAN_MIN | NIC_CAN_CAP | NIC_CAN_RX | NIC_CAN_PRIO | NIC_CAN_RXCAP,
	.close = model_close,
	.generation = model_generation,
	.vnic_uplink = model_uplink,
	.capacity = model_capacity,
	.apply = model_apply,
	.read = model_read,
	.demand = model_demand,
	.vnics = model_vnics,
};

struct nic *nic_model_new(unsigned vnics, unsigned uplinks, uint64_t uplink_bps)
{
	struct nic_model *m = calloc(1, sizeof(*m));

	if (!m || !vnics || !uplinks || uplinks > 128)
		goto fail;
	m->held = calloc(vnics, sizeof(*m->held));
	m->applies = calloc(vnics, sizeof(*m->applies));
	if (!m->held || !m->applies)
		goto fail;
	m->nic.ops = &model_ops;
	m->n_vnics = vnics;
	m->n_uplinks = uplinks;
	m->uplink_bps = uplink_bps;
	m->gen = 1;
	return &m->nic;
fail:
	if (m) {
		free(m->held);
		free(m->applies);
	}
	free(m);
	return NULL;
}

/* "model:VNICS:UPLINKS:BPS", each part optional: model:128:2:1000000000 */
struct nic *nic_model_open(const char *spec, char *err, unsigned errlen)
{
	unsigned long v = 128, u = 2;
	unsigned long long bps = 1000000000ull;
	int got = spec && *spec ? sscanf(spec, "%lu:%lu:%llu", &v, &u, &bps) : 0;

	if ((spec && *spec && got < 1) || !v || v > 65535 || !u || u > 128 || !bps) {
		snprintf(err, errlen, "bad model NIC '%s' (want VNICS[:UPLINKS[:BPS]])", spec);
		return NULL;
	}
	struct nic *n = nic_model_new((unsigned)v, (unsigned)u, bps);
	if (!n)
		snprintf(err, errlen, "out of memory");
	return n;
}

void nic_model_reset(struct nic *n)
{
	struct nic_model *m = to_model(n);

	memset(m->held, 0, m->n_vnics * sizeof(*m->held));
	m->gen++;
}

uint32_t nic_model_applies(struct nic *n, uint16_t vnic)
{
	struct nic_model *m = to_model(n);

	return vnic < m->n_vnics ? m->applies[vnic] : 0;
}

void nic_model_forget(struct nic *n, uint16_t vnic)
{
	struct nic_model *m = to_model(n);

	if (vnic < m->n_vnics)
		memset(&m->held[vnic], 0, sizeof(m->held[vnic]));
}

void nic_model_fail_capacity(struct nic *n, int on)
{
	to_model(n)->capacity_fails = on;
}
