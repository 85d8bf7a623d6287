// SPDX-License-Identifier: MIT
/*
 * Capability records (include/snic/caps.h), read the same way by every
 * host driver. The stream order is fixed: HEADER, RX_RING*, TX_RING*,
 * CLASSIFIER, METERS, UPLINK+, L2 (from ABI 1.1), RSS (from ABI 1.2; both
 * may be absent), END.
 * Records of unknown types are skipped by their length. A known record of
 * a newer version is read by its version-1 prefix: versions only ever
 * append fields, and `len` covers the rest. Anything else out of place is
 * an error naming the offending byte offset.
 */
#include "snic_proto.h"

enum { R_HEADER, R_RX, R_TX, R_CLS, R_METERS, R_UPLINK, R_L2, R_RSS, R_END, R_UNKNOWN };

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
	case SNIC_CAP_RSS:        return R_RSS;
	case SNIC_CAP_END:        return R_END;
	}
	return R_UNKNOWN;
}

static const char *const rank_name[] = {
	"HEADER", "RX_RING", "TX_RING", "CLASSIFIER", "METERS", "UPLINK", "L2", "RSS", "END", "unknown"
};

static const uint32_t rank_min_len[] = {
	sizeof(struct snic_cap_header), sizeof(struct snic_cap_ring),
	sizeof(struct snic_cap_ring), sizeof(struct snic_cap_classifier),
	sizeof(struct snic_cap_meters), sizeof(struct snic_cap_uplink),
	sizeof(struct snic_cap_l2), sizeof(struct snic_cap_rss), sizeof(struct snic_cap_hdr),
	sizeof(struct snic_cap_hdr),
};

#define CAPS_FAIL(e, ...) snic_proto_fail(e, SNIC_PROTO_E_CAPS, __VA_ARGS__)

static int take_ring(const uint8_t *rec, uint32_t at, uint32_t window_size, int rx,
		     struct snic_proto_caps *c, struct snic_proto_err *e)
{
	const char *kind = rx ? "RX_RING" : "TX_RING";
	uint16_t *n = rx ? &c->n_rx : &c->n_tx;
	uint16_t count = rx ? c->hdr.n_rx_rings : c->hdr.n_tx_rings;
	struct snic_cap_ring r;

	memcpy(&r, rec, sizeof(r));
	if (*n >= count)
		return CAPS_FAIL(e, "%s record at %u: more records than the %u the header announced",
				 kind, at, count);
	if (r.id != *n)
		return CAPS_FAIL(e, "%s record at %u: id %u, expected %u (records go in id order)",
				 kind, at, r.id, *n);
	if (!r.size || (r.size & (r.size - 1)))
		return CAPS_FAIL(e, "%s %u: size %u is not a power of two", kind, r.id, r.size);
	if (r.buf_max < SNIC_PROTO_MIN_FRAME)
		return CAPS_FAIL(e, "%s %u: buf_max %u cannot hold an Ethernet header",
				 kind, r.id, r.buf_max);
	if (window_size &&
	    (r.ctrl_off % 8 || !snic_proto_in(window_size, r.ctrl_off, sizeof(struct snic_rxq)) ||
	     r.poll_off % 4 || !snic_proto_in(window_size, r.poll_off, 4) ||
	     r.intr_off % 4 || (r.intr_off && !snic_proto_in(window_size, r.intr_off, 4))))
		return CAPS_FAIL(e, "%s %u: control offsets 0x%x/0x%x/0x%x outside the window",
				 kind, r.id, r.ctrl_off, r.poll_off, r.intr_off);
	if (rx)
		c->rx[(*n)++] = r;
	else
		c->tx[(*n)++] = r;
	return 0;
}

/* The per-VNIC lists are fixed-size arrays in the ABI (l2.h): a device
 * advertising longer ones contradicts it. Unknown flag bits are newer
 * features and are kept. */
static int take_l2(const uint8_t *rec, uint32_t at, struct snic_proto_caps *c,
		   struct snic_proto_err *e)
{
	struct snic_cap_l2 l;

	memcpy(&l, rec, sizeof(l));
	if (l.mc_per_vnic > SNIC_L2_MC_PER_VNIC || l.vlans_per_vnic > SNIC_L2_VLANS_PER_VNIC)
		return CAPS_FAIL(e, "L2 record at byte %u: %u multicast / %u VLAN entries per VNIC, the ABI holds %u / %u",
				 at, l.mc_per_vnic, l.vlans_per_vnic,
				 SNIC_L2_MC_PER_VNIC, SNIC_L2_VLANS_PER_VNIC);
	if (l.mc_filters < l.mc_per_vnic || l.vlan_filters < l.vlans_per_vnic)
		return CAPS_FAIL(e, "L2 record at byte %u: device-wide pools %u / %u smaller than one VNIC's lists %u / %u",
				 at, l.mc_filters, l.vlan_filters, l.mc_per_vnic, l.vlans_per_vnic);
	c->l2 = l;
	return 0;
}

/* The queue-set command carries fixed-size arrays (rss.h): a device that
 * advertises more than they hold is confused. */
static int take_rss(const uint8_t *rec, uint32_t at, struct snic_proto_caps *c,
		    struct snic_proto_err *e)
{
	struct snic_cap_rss r;

	memcpy(&r, rec, sizeof(r));
	if (r.key_bytes != SNIC_RSS_KEY_BYTES || (r.types & ~SNIC_RSS_HT_ALL) ||
	    r.max_queues < 1 || r.max_queues > SNIC_RSS_MAX_QUEUES ||
	    r.indir_entries > SNIC_RSS_INDIR_MAX ||
	    (r.indir_entries & (r.indir_entries - 1)))
		return CAPS_FAIL(e, "RSS record at byte %u: key %u bytes, types 0x%x, %u queues, %u table entries: outside what rss.h holds",
				 at, r.key_bytes, r.types, r.max_queues, r.indir_entries);
	c->rss = r;
	return 0;
}

static int take_header(const uint8_t *rec, struct snic_proto_caps *c, struct snic_proto_err *e)
{
	struct snic_cap_header *h = &c->hdr;

	memcpy(h, rec, sizeof(*h));
	if (h->format != SNIC_CAP_FORMAT_VERSION)
		return CAPS_FAIL(e, "capability format %u, host reads format %u",
				 h->format, SNIC_CAP_FORMAT_VERSION);
	if (h->n_rx_rings > SNIC_PROTO_MAX_RINGS || h->n_tx_rings > SNIC_PROTO_MAX_RINGS)
		return CAPS_FAIL(e, "%u RX / %u TX rings: a host driver handles %u",
				 h->n_rx_rings, h->n_tx_rings, SNIC_PROTO_MAX_RINGS);
	if (h->n_uplinks < 1 || h->n_uplinks > SNIC_MAX_UPLINKS)
		return CAPS_FAIL(e, "%u uplinks: 1..%u supported", h->n_uplinks, SNIC_MAX_UPLINKS);
	return 0;
}

static int take_record(int rank, const uint8_t *rec, uint32_t at, uint32_t window_size,
		       struct snic_proto_caps *c, struct snic_proto_err *e)
{
	struct snic_cap_uplink u;

	switch (rank) {
	case R_HEADER:
		return take_header(rec, c, e);
	case R_RX:
	case R_TX:
		return take_ring(rec, at, window_size, rank == R_RX, c, e);
	case R_CLS:
		memcpy(&c->cls, rec, sizeof(c->cls));
		if (c->cls.user_entries > c->cls.ternary)
			return CAPS_FAIL(e, "CLASSIFIER: %u user entries of %u ternary",
					 c->cls.user_entries, c->cls.ternary);
		return 0;
	case R_METERS:
		memcpy(&c->meters, rec, sizeof(c->meters));
		return 0;
	case R_UPLINK:
		memcpy(&u, rec, sizeof(u));
		if (c->n_uplinks >= c->hdr.n_uplinks)
			return CAPS_FAIL(e, "UPLINK record at %u: more than the %u announced",
					 at, c->hdr.n_uplinks);
		if (u.id != c->n_uplinks)
			return CAPS_FAIL(e, "UPLINK record at %u: id %u, expected %u",
					 at, u.id, c->n_uplinks);
		c->uplink[c->n_uplinks++] = u;
		return 0;
	case R_L2:
		return take_l2(rec, at, c, e);
	case R_RSS:
		return take_rss(rec, at, c, e);
	}
	return 0;
}

/* Is a record of `rank` allowed after the stage `cur`? */
static int check_order(int rank, int cur, uint32_t at, const struct snic_proto_caps *c,
		       struct snic_proto_err *e)
{
	if (cur < 0 && rank != R_HEADER)
		return CAPS_FAIL(e, "first record is %s, not HEADER", rank_name[rank]);
	if (rank < cur)
		return CAPS_FAIL(e, "%s record at byte %u after %s: out of order",
				 rank_name[rank], at, rank_name[cur]);
	if (rank == cur && rank != R_RX && rank != R_TX && rank != R_UPLINK)
		return CAPS_FAIL(e, "second %s record at byte %u", rank_name[rank], at);
	/* Leaving a stage: every record it announced must have come. */
	if (rank > R_RX && cur <= R_RX && c->n_rx != c->hdr.n_rx_rings)
		return CAPS_FAIL(e, "%u RX_RING records, the header announced %u",
				 c->n_rx, c->hdr.n_rx_rings);
	if (rank > R_TX && cur <= R_TX && c->n_tx != c->hdr.n_tx_rings)
		return CAPS_FAIL(e, "%u TX_RING records, the header announced %u",
				 c->n_tx, c->hdr.n_tx_rings);
	if (rank > R_CLS && cur < R_CLS)
		return CAPS_FAIL(e, "%s record at byte %u before the CLASSIFIER record",
				 rank_name[rank], at);
	if (rank > R_METERS && cur < R_METERS)
		return CAPS_FAIL(e, "%s record at byte %u before the METERS record",
				 rank_name[rank], at);
	if (rank > R_UPLINK && cur <= R_UPLINK && c->n_uplinks != c->hdr.n_uplinks)
		return CAPS_FAIL(e, "%u UPLINK records, the header announced %u",
				 c->n_uplinks, c->hdr.n_uplinks);
	return 0;
}

int snic_proto_caps_parse(const void *buf, uint32_t len, uint32_t window_size,
			  struct snic_proto_caps *c, struct snic_proto_err *e)
{
	const uint8_t *b = buf;
	uint32_t at = 0;
	int cur = -1, rank, rc;

	memset(c, 0, sizeof(*c));
	e->code = 0;
	e->msg[0] = 0;
	for (;;) {
		struct snic_cap_hdr h;

		if (len - at < sizeof(h))
			return CAPS_FAIL(e, "records end at byte %u without an END record", at);
		memcpy(&h, b + at, sizeof(h));
		if (h.len < sizeof(h) || h.len > len - at)
			return CAPS_FAIL(e, "record type %u at byte %u: length %u outside 8..%u",
					 h.type, at, h.len, len - at);
		if (h.version == 0)
			return CAPS_FAIL(e, "record type %u at byte %u: version 0", h.type, at);
		rank = rank_of(h.type);
		if (rank == R_UNKNOWN) {
			if (cur < 0)
				return CAPS_FAIL(e, "first record is type %u, not HEADER", h.type);
			c->skipped++;
			at += h.len;
			continue;
		}
		rc = check_order(rank, cur, at, c, e);
		if (rc)
			return rc;
		if (h.len < rank_min_len[rank])
			return CAPS_FAIL(e, "%s record at byte %u: length %u, needs %u",
					 rank_name[rank], at, h.len, rank_min_len[rank]);
		cur = rank;
		if (rank == R_END)
			return 0;
		rc = take_record(rank, b + at, at, window_size, c, e);
		if (rc)
			return rc;
		at += h.len;
	}
}

static int match_rings(const struct snic_cap_ring *r, uint16_t n, const struct snic_blk_queues *q,
		       const char *kind, struct snic_proto_err *e)
{
	uint16_t i;

	if (n != q->count)
		return CAPS_FAIL(e, "capabilities list %u %s rings, %sQ block has %u",
				 n, kind, kind, q->count);
	for (i = 0; i < n; i++)
		if (r[i].ctrl_off != q->first + (uint64_t)q->stride * i)
			return CAPS_FAIL(e, "%s ring %u: control at 0x%x, %sQ block says 0x%llx",
					 kind, i, r[i].ctrl_off, kind,
					 (unsigned long long)(q->first + (uint64_t)q->stride * i));
	return 0;
}

int snic_proto_caps_match(const struct snic_proto_caps *c, const struct snic_proto_layout *l,
			  struct snic_proto_err *e)
{
	int rc = match_rings(c->rx, c->n_rx, &l->rxq, "RX", e);

	return rc ? rc : match_rings(c->tx, c->n_tx, &l->txq, "TX", e);
}

int snic_proto_caps_read(const uint8_t *win, const struct snic_proto_layout *l, uint8_t *buf,
			 struct snic_proto_caps *out, struct snic_proto_err *e)
{
	const struct snic_blk_caps *live = (const void *)(win + l->off_caps);
	struct snic_blk_caps blk;
	int tries = 0, rc;

	for (;;) {
		memcpy(&blk, live, sizeof(blk));
		if (blk.length < sizeof(struct snic_cap_hdr) || blk.length > SNIC_CAPS_MAX_BYTES ||
		    !snic_proto_in(l->window_size, blk.records, blk.length))
			return snic_proto_fail(e, SNIC_PROTO_E_BLOCK,
					       "CAPS block: records 0x%x+%u outside the window",
					       blk.records, blk.length);
		memcpy(buf, win + blk.records, blk.length);
		if (snic_proto_ld_acq(&live->generation) == blk.generation)
			break;
		if (++tries == 3)
			return CAPS_FAIL(e, "capability records keep changing");
	}
	rc = snic_proto_caps_parse(buf, blk.length, l->window_size, out, e);
	if (!rc)
		rc = snic_proto_caps_match(out, l, e);
	out->generation = blk.generation;
	return rc;
}
