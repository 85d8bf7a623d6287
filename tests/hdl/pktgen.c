/* SPDX-License-Identifier: MIT */
/* Random frame and rule generator for the match engine tests. */
#include <stdio.h>
#include <string.h>

#include "pktgen.h"

/* Small pools so that rules built from one frame also match others. */
static const uint8_t mac_pool[4][6] = {
	{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}, {0x02, 0x00, 0x00, 0x00, 0x00, 0x02},
	{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {0x33, 0x33, 0x00, 0x00, 0x00, 0x01},
};
static const uint8_t ip_pool[4][4] = {
	{10, 0, 0, 1}, {10, 0, 0, 2}, {192, 168, 1, 1}, {224, 0, 0, 5},
};
static const uint16_t port_pool[4] = {80, 443, 53, 4789};

struct builder {
	uint8_t *b;
	uint32_t n;
};

static void put8(struct builder *w, uint32_t v)
{
	if (w->n < PKT_MAX)
		w->b[w->n] = (uint8_t)v;
	w->n++;
}

static void put16(struct builder *w, uint32_t v)
{
	put8(w, v >> 8);
	put8(w, v);
}

static void put_rand(struct rng *r, struct builder *w, uint32_t n)
{
	while (n--)
		put8(w, (uint32_t)rng_next(r));
}

static void put_mac(struct rng *r, struct builder *w)
{
	if (rng_pct(r, 70)) {
		const uint8_t *m = mac_pool[rng_below(r, 4)];
		for (int i = 0; i < 6; i++)
			put8(w, m[i]);
	} else {
		put_rand(r, w, 6);
	}
}

static void put_ip4(struct rng *r, struct builder *w)
{
	if (rng_pct(r, 70)) {
		const uint8_t *a = ip_pool[rng_below(r, 4)];
		for (int i = 0; i < 4; i++)
			put8(w, a[i]);
	} else {
		put_rand(r, w, 4);
	}
}

static void put_ip6(struct rng *r, struct builder *w)
{
	if (rng_pct(r, 60)) {
		put16(w, 0xfd00);
		for (int i = 0; i < 6; i++)
			put16(w, 0);
		put16(w, 1 + rng_below(r, 3));
	} else {
		put_rand(r, w, 16);
	}
}

static uint32_t pick_port(struct rng *r)
{
	return rng_pct(r, 60) ? port_pool[rng_below(r, 4)] : (uint32_t)rng_below(r, 65536);
}

static uint8_t pick_l4(struct rng *r, int v6)
{
	static const uint8_t common[] = {6, 17, 132, 1, 58};
	if (rng_pct(r, 85))
		return common[rng_below(r, sizeof(common))];
	return v6 && rng_pct(r, 30) ? 59 : (uint8_t)rng_next(r);
}

static void put_l4(struct rng *r, struct builder *w, uint8_t proto)
{
	switch (proto) {
	case 6:  /* TCP */
	case 17: /* UDP */
	case 132: /* SCTP */
		put16(w, pick_port(r));
		put16(w, pick_port(r));
		put_rand(r, w, proto == 6 ? 16 : proto == 17 ? 4 : 8);
		break;
	case 1:
	case 58:
		put8(w, rng_pct(r, 50) ? (rng_pct(r, 50) ? 8 : 128) : (uint32_t)rng_next(r));
		put_rand(r, w, 7);
		break;
	default:
		put_rand(r, w, rng_below(r, 16));
		break;
	}
}

static void put_ipv4(struct rng *r, struct builder *w)
{
	uint32_t ihl = rng_pct(r, 75) ? 5 : rng_below(r, 16);
	uint32_t ver = rng_pct(r, 95) ? 4 : rng_below(r, 16);
	uint8_t proto = pick_l4(r, 0);
	uint32_t frag;

	switch (rng_below(r, 6)) {
	case 0: frag = 0x4000; break;                       /* DF */
	case 1: frag = 0x2000; break;                       /* first fragment */
	case 2: frag = 0x2000 | (1 + rng_below(r, 0x1fff)); break;
	case 3: frag = 1 + rng_below(r, 0x1fff); break;     /* last fragment */
	case 4: frag = rng_below(r, 65536); break;
	default: frag = 0; break;
	}
	put8(w, ver << 4 | ihl);
	put8(w, (uint32_t)rng_next(r));          /* TOS */
	put16(w, 20 + rng_below(r, 1500));       /* total length: not checked */
	put16(w, (uint32_t)rng_next(r));         /* id */
	put16(w, frag);
	put8(w, 64);
	put8(w, proto);
	put16(w, 0);                             /* checksum: not checked */
	put_ip4(r, w);
	put_ip4(r, w);
	if (ihl > 5)
		put_rand(r, w, (ihl - 5) * 4);
	put_l4(r, w, proto);
}

static void put_ipv6(struct rng *r, struct builder *w)
{
	static const uint8_t ext[] = {0, 43, 44, 60, 51};
	uint32_t next_at;
	uint32_t n_ext = rng_pct(r, 50) ? 0 : rng_below(r, 7);
	uint8_t upper = pick_l4(r, 1);

	put8(w, rng_pct(r, 95) ? 0x60 : (uint32_t)rng_next(r));
	put8(w, (uint32_t)rng_next(r));
	put16(w, (uint32_t)rng_next(r));
	put16(w, rng_below(r, 1500));            /* payload length: not checked */
	next_at = w->n;
	put8(w, upper);
	put8(w, 64);
	put_ip6(r, w);
	put_ip6(r, w);
	for (uint32_t i = 0; i < n_ext; i++) {
		uint8_t t = ext[rng_below(r, sizeof(ext))];
		uint32_t here = w->n;
		if (next_at < PKT_MAX)
			w->b[next_at] = t;
		next_at = here;
		put8(w, upper);
		if (t == 44) {
			uint32_t off = rng_pct(r, 50) ? 0 : rng_below(r, 0x2000);
			put8(w, 0);
			put16(w, off << 3 | rng_below(r, 2));
			put_rand(r, w, 4);
		} else {
			uint32_t len = rng_pct(r, 70) ? 0 : rng_below(r, 4);
			put8(w, len);
			put_rand(r, w, (t == 51 ? (len + 2) * 4 : (len + 1) * 8) - 2);
		}
	}
	put_l4(r, w, upper);
}

static void put_arp(struct rng *r, struct builder *w)
{
	put16(w, 1);
	put16(w, rng_pct(r, 90) ? 0x0800 : rng_below(r, 65536));
	put8(w, rng_pct(r, 95) ? 6 : rng_below(r, 256));
	put8(w, rng_pct(r, 95) ? 4 : rng_below(r, 256));
	put16(w, 1 + rng_below(r, 2));
	put_mac(r, w);
	put_ip4(r, w);
	put_mac(r, w);
	put_ip4(r, w);
}

static uint32_t pick_tpid(struct rng *r)
{
	switch (rng_below(r, 5)) {
	case 0: return 0x88a8;
	case 1: return rng_below(r, 65536);
	default: return 0x8100;
	}
}

void pkt_random(struct rng *r, struct pkt *p)
{
	struct builder w = {p->data, 0};
	uint32_t ntags, type, len;

	memset(p->data, 0, sizeof(p->data));
	p->port = (uint8_t)rng_below(r, 4);
	if (rng_pct(r, 3)) {
		len = rng_below(r, 200);
		put_rand(r, &w, len);
	} else {
		put_mac(r, &w);
		put_mac(r, &w);
		ntags = rng_pct(r, 50) ? 0 : rng_pct(r, 50) ? 1 : rng_pct(r, 80) ? 2 : 3;
		for (uint32_t i = 0; i < ntags; i++) {
			put16(&w, pick_tpid(r));
			/* mostly a few VIDs, then priority tags (VID 0), then anything */
			put16(&w, rng_pct(r, 70) ? 100 + rng_below(r, 3) :
				  rng_pct(r, 35) ? rng_below(r, 8) << 13 : rng_below(r, 65536));
		}
		switch (rng_below(r, 10)) {
		case 0: case 1: case 2: case 3: type = 0x0800; break;
		case 4: case 5: case 6: type = 0x86dd; break;
		case 7: type = 0x0806; break;
		case 8: type = rng_below(r, 65536); break;
		default: type = rng_pct(r, 50) ? 0x8100 : 0x88a8; break;
		}
		put16(&w, type);
		if (type == 0x0800)
			put_ipv4(r, &w);
		else if (type == 0x86dd)
			put_ipv6(r, &w);
		else if (type == 0x0806)
			put_arp(r, &w);
		put_rand(r, &w, rng_pct(r, 50) ? rng_below(r, 64) : 0);
	}
	len = w.n < PKT_MAX ? w.n : PKT_MAX;
	if (rng_pct(r, 25))
		len = rng_below(r, len + 1);
	p->frame_len = len;
	p->caplen = len;
	if (rng_pct(r, 10))
		p->caplen = rng_below(r, len + 1);      /* short capture */
	else if (rng_pct(r, 5))
		p->frame_len = rng_below(r, len + 1);   /* garbage past the frame */
	if (rng_pct(r, 8)) {
		uint32_t flips = 1 + rng_below(r, 3);
		while (flips--)
			p->data[rng_below(r, 80)] ^= (uint8_t)(1u << rng_below(r, 8));
	}
}

static void mask_field(struct rng *r, uint8_t *mask, uint32_t off, uint32_t n)
{
	uint32_t kind = rng_below(r, 4);
	for (uint32_t i = 0; i < n; i++) {
		if (kind == 0)        /* random bits */
			mask[off + i] = (uint8_t)rng_next(r);
		else if (kind == 1)   /* prefix */
			mask[off + i] = i < n / 2 ? 0xff : 0;
		else
			mask[off + i] = 0xff;
	}
}

void rule_random(struct rng *r, const struct snic_key *sample, uint64_t keep,
		 struct snic_rule *rule)
{
	static const uint8_t field_off[] = {0, 1, 2, 8, 14, 16, 18, 20, 21, 22, 24, 40, 56, 58};
	static const uint8_t field_len[] = {1, 1, 6, 6, 2, 2, 2, 1, 1, 1, 16, 16, 2, 2};
	uint8_t *v = (uint8_t *)&rule->value;
	uint8_t *m = (uint8_t *)&rule->mask;
	uint32_t kind = rng_below(r, 100);

	memset(rule, 0, sizeof(*rule));
	if (kind < 70) {
		/* From a frame: it matches; masked fields sometimes perturbed. */
		uint32_t must = rng_below(r, sizeof(field_off));
		memcpy(v, sample, sizeof(*sample));
		for (uint32_t f = 0; f < sizeof(field_off); f++)
			if (f == must || rng_pct(r, 25))
				mask_field(r, m, field_off[f], field_len[f]);
		m[field_off[must]] |= 0x01; /* never all-zero */
		if (rng_pct(r, 15))
			v[rng_below(r, SNIC_KEY_BYTES)] ^= (uint8_t)(1u << rng_below(r, 8));
	} else if (kind < 95) {
		for (uint32_t i = 0, n = 1 + rng_below(r, 3); i < n; i++) {
			uint32_t b = rng_below(r, SNIC_KEY_BYTES);
			m[b] = (uint8_t)(rng_next(r) | 1);
			v[b] = (uint8_t)rng_next(r);
		}
		/* garbage outside the mask must not matter */
		for (uint32_t i = 0; i < SNIC_KEY_BYTES; i++)
			if (!m[i] && rng_pct(r, 20))
				v[i] = (uint8_t)rng_next(r);
	} else {
		for (uint32_t i = 0; i < SNIC_KEY_BYTES; i++) {
			m[i] = (uint8_t)rng_next(r);
			v[i] = (uint8_t)rng_next(r);
		}
	}
	for (uint32_t i = 0; i < SNIC_KEY_BYTES; i++)
		if (!(keep >> i & 1))
			m[i] = 0; /* the value's byte stays: it must not matter */
	rule->action.vnic = rng_pct(r, 10) ? SNIC_VNIC_NONE : (uint16_t)rng_below(r, 64);
	rule->action.ring = rng_pct(r, 50) ? SNIC_RING_DEFAULT : (uint16_t)rng_below(r, 64);
	rule->action.meter = rng_pct(r, 70) ? SNIC_METER_NONE : (uint16_t)rng_below(r, 256);
	rule->action.flags = (uint8_t)rng_below(r, 16);
	rule->action.gen = rng_pct(r, 5) ? (uint8_t)rng_next(r) : 0;
}

static void hex(const uint8_t *b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		printf("%s%02x", (i % 32 == 0) ? "\n#   " : " ", b[i]);
	printf("\n");
}

void pkt_dump(const char *what, const struct pkt *p)
{
	printf("# %s: caplen %u frame_len %u port %u", what, p->caplen, p->frame_len, p->port);
	hex(p->data, p->caplen < 128 ? p->caplen : 128);
}

void key_dump(const char *what, const struct snic_key *k)
{
	printf("# %s:", what);
	hex((const uint8_t *)k, sizeof(*k));
}
