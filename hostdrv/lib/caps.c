/* SPDX-License-Identifier: MIT */
/*
 * Capability records -> the library's host-side copy (struct snic_caps).
 * The rules (fixed order, unknown types skipped, version-1 prefixes, L2
 * optional) are the shared protocol code's (hostdrv/proto), the same the
 * kernel driver applies; this file only converts its result.
 */
#include <stdio.h>
#include "snic_impl.h"

static void copy_ring(struct snic_ring_caps *out, const struct snic_cap_ring *r)
{
	out->id = r->id;
	out->msix = r->msix;
	out->size = r->size;
	out->buf_max = r->buf_max;
	out->ctrl_off = r->ctrl_off;
	out->poll_off = r->poll_off;
	out->intr_off = r->intr_off;
	out->flags = r->flags;
}

/* The shared parser's result in the library's public form. */
static void copy_caps(struct snic_caps *c, const struct snic_proto_caps *p)
{
	memset(c, 0, sizeof(*c));
	c->format = p->hdr.format;
	c->n_rx = p->n_rx;
	c->n_tx = p->n_tx;
	c->n_uplinks = p->n_uplinks;
	c->max_vnics = p->hdr.max_vnics;
	memcpy(c->profile, p->hdr.profile, sizeof(p->hdr.profile));
	for (unsigned i = 0; i < p->n_rx; i++)
		copy_ring(&c->rx[i], &p->rx[i]);
	for (unsigned i = 0; i < p->n_tx; i++)
		copy_ring(&c->tx[i], &p->tx[i]);
	c->cls.key_fields = p->cls.key_fields;
	c->cls.ternary = p->cls.ternary;
	c->cls.exact = p->cls.exact;
	c->cls.actions = p->cls.actions;
	c->cls.user_entries = p->cls.user_entries;
	c->cls.key_bytes = p->cls.key_bytes;
	c->cls.latency = p->cls.latency;
	c->meters.count = p->meters.count;
	c->meters.modes = p->meters.modes;
	c->meters.min_bps = p->meters.min_bps;
	c->meters.max_bps = p->meters.max_bps;
	for (unsigned i = 0; i < p->n_uplinks; i++) {
		c->uplink[i].id = p->uplink[i].id;
		memcpy(c->uplink[i].mac, p->uplink[i].mac, 6);
		c->uplink[i].speed_mbps = p->uplink[i].speed_mbps;
	}
	c->l2.present = p->l2.h.type == SNIC_CAP_L2;
	c->l2.flags = p->l2.flags;
	c->l2.mc_filters = p->l2.mc_filters;
	c->l2.vlan_filters = p->l2.vlan_filters;
	c->l2.mc_per_vnic = p->l2.mc_per_vnic;
	c->l2.vlans_per_vnic = p->l2.vlans_per_vnic;
	c->generation = p->generation;
	c->skipped = p->skipped;
}

int snic_caps_parse(const void *buf, size_t len, uint32_t window_size,
		    struct snic_caps *out, char *err, size_t errlen)
{
	struct snic_proto_caps p;
	struct snic_proto_err e;

	memset(out, 0, sizeof(*out));
	if (errlen)
		err[0] = 0;
	if (len > SNIC_CAPS_MAX_BYTES) {
		if (errlen)
			snprintf(err, errlen, "records of %zu bytes, at most %u", len,
				 SNIC_CAPS_MAX_BYTES);
		return SNIC_ERR_CAPS;
	}
	if (snic_proto_caps_parse(buf, (uint32_t)len, window_size, &p, &e)) {
		if (errlen)
			snprintf(err, errlen, "%s", e.msg);
		return SNIC_ERR_CAPS;
	}
	copy_caps(out, &p);
	return 0;
}

const struct snic_caps *snic_caps(const struct snic_dev *d)
{
	return d->caps_valid ? &d->caps : NULL;
}

/* Copy the records out of the window and check them against the queue
 * blocks (hostdrv/proto), then keep the library's copy. */
int snic_caps_refresh(struct snic_dev *d)
{
	uint8_t buf[SNIC_CAPS_MAX_BYTES];
	struct snic_proto_caps p;
	struct snic_proto_err e;

	if (d->off_caps == SNIC_NO_BLOCK)
		return snic_seterr(d, SNIC_ERR_NOBLOCK, "device has no CAPS block");
	d->caps_valid = 0;
	if (snic_proto_caps_read(d->win, &d->lay, buf, &p, &e)) {
		if (e.code == SNIC_PROTO_E_CAPS)
			return snic_seterr(d, SNIC_ERR_CAPS, "capability records: %s", e.msg);
		return snic_proto_seterr(d, &e);
	}
	copy_caps(&d->caps, &p);
	d->caps_valid = 1;
	return 0;
}

const char *snic_field_name(unsigned bit)
{
	static const char *const names[] = {
		"flags", "port", "dmac", "smac", "vlan_outer", "vlan", "ethertype",
		"ip_proto", "icmp_type", "ip_tos", "sip", "dip", "sport", "dport",
	};
	return bit < sizeof(names) / sizeof(names[0]) ? names[bit] : NULL;
}
