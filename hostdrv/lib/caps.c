/* SPDX-License-Identifier: MIT */
/*
 * Capability records -> the library's host-side copy (struct snic_caps).
 *
 * The stream order is fixed: HEADER, RX_RING*, TX_RING*, CLASSIFIER,
 * METERS, UPLINK*, L2 (from ABI 1.1, may be absent), END. Records of unknown types are skipped by their
 * length. A known record of a newer version is read by its version-1
 * prefix: versions only ever append fields, and `len` covers the rest.
 * Anything else out of place is an error with the offending offset.
 */
#include <stdio.h>
#include "snic_impl.h"

enum { R_HEADER, R_RX, R_TX, R_CLS, R_METERS, R_UPLINK, R_L2, R_END, R_UNKNOWN };

static int rank_of(uint16_t type)
{
	switch (type) {
	case SNIC_CAP_HEADER:     return R_HEADER;
	case SNIC_CAP_RX_RING:    return R_RX;
	case SNIC_CAP_TX_RING:    return R_TX;
	case SNIC_CAP_CLASSIFIER: return R_CLS;
	case SNIC_CAP_METERS:     return R_METERS;
	case SNIC_CAP_UPLINK:     return R_UPLINK;
	case SNIC_CAP_L2:         return R_L2;
	case SNIC_CAP_END:        return R_END;
	}
	return R_UNKNOWN;
}

static const char *const rank_name[] = {
	"HEADER", "RX_RING", "TX_RING", "CLASSIFIER", "METERS", "UPLINK", "L2", "END", "unknown"
};

static const uint32_t rank_min_len[] = {
	sizeof(struct snic_cap_header), sizeof(struct snic_cap_ring),
	sizeof(struct snic_cap_ring), sizeof(struct snic_cap_classifier),
	sizeof(struct snic_cap_meters), sizeof(struct snic_cap_uplink),
	sizeof(struct snic_cap_l2), sizeof(struct snic_cap_hdr), sizeof(struct snic_cap_hdr),
};

struct parse {
	char *err;
	size_t errlen;
	uint32_t window_size;
};

static int fail(struct parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct parse *p, const char *fmt, ...)
{
	va_list ap;

	if (p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	return SNIC_ERR_CAPS;
}

static int in_window(const struct parse *p, uint32_t off, uint32_t len)
{
	return p->window_size == 0 ||
	       (off <= p->window_size && len <= p->window_size - off);
}

static int take_ring(struct parse *p, const uint8_t *rec, size_t at, const char *kind,
		     uint16_t index, uint16_t count, struct snic_ring_caps *out)
{
	struct snic_cap_ring r;

	memcpy(&r, rec, sizeof(r));
	if (index >= count)
		return fail(p, "%s record at %zu: more records than the %u the header announced",
			    kind, at, count);
	if (r.id != index)
		return fail(p, "%s record at %zu: id %u, expected %u (records go in id order)",
			    kind, at, r.id, index);
	if (!snic_is_pow2(r.size))
		return fail(p, "%s %u: size %u is not a power of two", kind, r.id, r.size);
	if (r.ctrl_off % 8 || !in_window(p, r.ctrl_off, sizeof(struct snic_rxq)) ||
	    r.poll_off % 4 || !in_window(p, r.poll_off, 4) ||
	    r.intr_off % 4 || (r.intr_off && !in_window(p, r.intr_off, 4)))
		return fail(p, "%s %u: control offsets 0x%x/0x%x/0x%x outside the window",
			    kind, r.id, r.ctrl_off, r.poll_off, r.intr_off);
	out->id = r.id;
	out->msix = r.msix;
	out->size = r.size;
	out->buf_max = r.buf_max;
	out->ctrl_off = r.ctrl_off;
	out->poll_off = r.poll_off;
	out->intr_off = r.intr_off;
	out->flags = r.flags;
	return 0;
}

/* The per-VNIC lists are fixed-size arrays in the ABI (l2.h): a device
 * advertising longer ones contradicts it. Unknown flag bits are newer
 * features and are kept. */
static int take_l2(struct parse *p, const uint8_t *rec, size_t at, struct snic_caps *c)
{
	struct snic_cap_l2 l;

	memcpy(&l, rec, sizeof(l));
	if (l.mc_per_vnic > SNIC_L2_MC_PER_VNIC || l.vlans_per_vnic > SNIC_L2_VLANS_PER_VNIC)
		return fail(p, "L2 record at byte %zu: %u multicast / %u VLAN entries per VNIC, "
			    "the ABI holds %u / %u", at, l.mc_per_vnic, l.vlans_per_vnic,
			    SNIC_L2_MC_PER_VNIC, SNIC_L2_VLANS_PER_VNIC);
	if (l.mc_filters < l.mc_per_vnic || l.vlan_filters < l.vlans_per_vnic)
		return fail(p, "L2 record at byte %zu: device-wide pools %u / %u smaller than "
			    "one VNIC's lists %u / %u", at, l.mc_filters, l.vlan_filters,
			    l.mc_per_vnic, l.vlans_per_vnic);
	c->l2.present = 1;
	c->l2.flags = l.flags;
	c->l2.mc_filters = l.mc_filters;
	c->l2.vlan_filters = l.vlan_filters;
	c->l2.mc_per_vnic = l.mc_per_vnic;
	c->l2.vlans_per_vnic = l.vlans_per_vnic;
	return 0;
}

static int take_record(struct parse *p, int rank, const uint8_t *rec, size_t at,
		       struct snic_caps *c, uint16_t *n_uplinks_seen)
{
	switch (rank) {
	case R_HEADER: {
		struct snic_cap_header h;
		memcpy(&h, rec, sizeof(h));
		if (h.format != SNIC_CAP_FORMAT_VERSION)
			return fail(p, "capability format %u, library reads format %u",
				    h.format, SNIC_CAP_FORMAT_VERSION);
		if (h.n_rx_rings > SNIC_LIB_MAX_RINGS || h.n_tx_rings > SNIC_LIB_MAX_RINGS)
			return fail(p, "%u RX / %u TX rings: the library handles %u",
				    h.n_rx_rings, h.n_tx_rings, SNIC_LIB_MAX_RINGS);
		if (h.n_uplinks > SNIC_MAX_UPLINKS)
			return fail(p, "%u uplinks: at most %u", h.n_uplinks, SNIC_MAX_UPLINKS);
		c->format = h.format;
		c->n_rx = h.n_rx_rings;
		c->n_tx = h.n_tx_rings;
		c->n_uplinks = h.n_uplinks;
		c->max_vnics = h.max_vnics;
		memcpy(c->profile, h.profile, sizeof(h.profile));
		c->profile[sizeof(h.profile)] = 0;
		return 0;
	}
	case R_CLS: {
		struct snic_cap_classifier k;
		memcpy(&k, rec, sizeof(k));
		if (k.user_entries > k.ternary)
			return fail(p, "CLASSIFIER: %u user entries of %u ternary",
				    k.user_entries, k.ternary);
		c->cls.key_fields = k.key_fields;
		c->cls.ternary = k.ternary;
		c->cls.exact = k.exact;
		c->cls.actions = k.actions;
		c->cls.user_entries = k.user_entries;
		c->cls.key_bytes = k.key_bytes;
		c->cls.latency = k.latency;
		return 0;
	}
	case R_METERS: {
		struct snic_cap_meters m;
		memcpy(&m, rec, sizeof(m));
		c->meters.count = m.count;
		c->meters.modes = m.modes;
		c->meters.min_bps = m.min_bps;
		c->meters.max_bps = m.max_bps;
		return 0;
	}
	case R_UPLINK: {
		struct snic_cap_uplink u;
		memcpy(&u, rec, sizeof(u));
		if (*n_uplinks_seen >= c->n_uplinks)
			return fail(p, "UPLINK record at %zu: more than the %u announced",
				    at, c->n_uplinks);
		if (u.id != *n_uplinks_seen)
			return fail(p, "UPLINK record at %zu: id %u, expected %u",
				    at, u.id, *n_uplinks_seen);
		c->uplink[u.id].id = u.id;
		memcpy(c->uplink[u.id].mac, u.mac, 6);
		c->uplink[u.id].speed_mbps = u.speed_mbps;
		(*n_uplinks_seen)++;
		return 0;
	}
	case R_L2:
		return take_l2(p, rec, at, c);
	}
	return 0;
}

int snic_caps_parse(const void *buf, size_t len, uint32_t window_size,
		    struct snic_caps *out, char *err, size_t errlen)
{
	struct parse p = { err, errlen, window_size };
	const uint8_t *b = buf;
	size_t at = 0;
	int cur = -1;
	uint16_t n_rx = 0, n_tx = 0, n_up = 0;

	memset(out, 0, sizeof(*out));
	if (errlen)
		err[0] = 0;
	for (;;) {
		struct snic_cap_hdr h;

		if (len - at < sizeof(h))
			return fail(&p, "records end at byte %zu without an END record", at);
		memcpy(&h, b + at, sizeof(h));
		if (h.len < sizeof(h) || h.len > len - at)
			return fail(&p, "record type %u at byte %zu: length %u outside 8..%zu",
				    h.type, at, h.len, len - at);
		if (h.version == 0)
			return fail(&p, "record type %u at byte %zu: version 0", h.type, at);
		int rank = rank_of(h.type);
		if (rank == R_UNKNOWN) {
			if (cur < 0)
				return fail(&p, "first record is type %u, not HEADER", h.type);
			out->skipped++;
			at += h.len;
			continue;
		}
		if (cur < 0 && rank != R_HEADER)
			return fail(&p, "first record is %s, not HEADER", rank_name[rank]);
		if (rank < cur)
			return fail(&p, "%s record at byte %zu after %s: out of order",
				    rank_name[rank], at, rank_name[cur]);
		if (rank == cur && rank != R_RX && rank != R_TX && rank != R_UPLINK)
			return fail(&p, "second %s record at byte %zu", rank_name[rank], at);
		/* Leaving a stage: every record it announced must have come. */
		if (rank > R_RX && cur <= R_RX && n_rx != out->n_rx)
			return fail(&p, "%u RX_RING records, the header announced %u", n_rx, out->n_rx);
		if (rank > R_TX && cur <= R_TX && n_tx != out->n_tx)
			return fail(&p, "%u TX_RING records, the header announced %u", n_tx, out->n_tx);
		if (rank > R_CLS && cur < R_CLS)
			return fail(&p, "%s record at byte %zu before the CLASSIFIER record",
				    rank_name[rank], at);
		if (rank > R_METERS && cur < R_METERS)
			return fail(&p, "%s record at byte %zu before the METERS record",
				    rank_name[rank], at);
		if (h.len < rank_min_len[rank])
			return fail(&p, "%s record at byte %zu: length %u, needs %u",
				    rank_name[rank], at, h.len, rank_min_len[rank]);
		cur = rank;
		if (rank == R_END)
			break;

		int rc;
		if (rank == R_RX)
			rc = take_ring(&p, b + at, at, "RX_RING", n_rx, out->n_rx, &out->rx[n_rx]);
		else if (rank == R_TX)
			rc = take_ring(&p, b + at, at, "TX_RING", n_tx, out->n_tx, &out->tx[n_tx]);
		else
			rc = take_record(&p, rank, b + at, at, out, &n_up);
		if (rc)
			return rc;
		if (rank == R_RX)
			n_rx++;
		if (rank == R_TX)
			n_tx++;
		at += h.len;
	}
	if (n_up != out->n_uplinks)
		return fail(&p, "%u UPLINK records, the header announced %u", n_up, out->n_uplinks);
	return 0;
}

const struct snic_caps *snic_caps(const struct snic_dev *d)
{
	return d->caps_valid ? &d->caps : NULL;
}

/* Copy the records out of the window (stable against a concurrent
 * rewrite: retry while the generation moves), then parse the copy. */
int snic_caps_refresh(struct snic_dev *d)
{
	uint8_t buf[SNIC_CAPS_MAX_BYTES];
	struct snic_blk_caps c;
	char err[200];
	int tries = 0;

	if (d->off_caps == SNIC_NO_BLOCK)
		return snic_seterr(d, SNIC_ERR_NOBLOCK, "device has no CAPS block");
	for (;;) {
		memcpy(&c, d->win + d->off_caps, sizeof(c));
		if (c.length < sizeof(struct snic_cap_hdr) || c.length > sizeof(buf) ||
		    !snic_in_window(d, c.records, c.length))
			return snic_seterr(d, SNIC_ERR_BLOCK,
					   "CAPS block: records 0x%x+%u outside the window",
					   c.records, c.length);
		memcpy(buf, d->win + c.records, c.length);
		uint32_t gen = snic_ld32(d, d->off_caps + offsetof(struct snic_blk_caps, generation));
		if (gen == c.generation)
			break;
		if (++tries == 3)
			return snic_seterr(d, SNIC_ERR_CAPS, "capability records keep changing");
	}
	d->caps_valid = 0;
	if (snic_caps_parse(buf, c.length, (uint32_t)d->win_size, &d->caps, err, sizeof(err)))
		return snic_seterr(d, SNIC_ERR_CAPS, "capability records: %s", err);
	d->caps.generation = c.generation;
	if (d->off_rxq != SNIC_NO_BLOCK && d->rxq.count != d->caps.n_rx)
		return snic_seterr(d, SNIC_ERR_CAPS, "capabilities list %u RX rings, RXQ block has %u",
				   d->caps.n_rx, d->rxq.count);
	if (d->off_txq != SNIC_NO_BLOCK && d->txq.count != d->caps.n_tx)
		return snic_seterr(d, SNIC_ERR_CAPS, "capabilities list %u TX rings, TXQ block has %u",
				   d->caps.n_tx, d->txq.count);
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
