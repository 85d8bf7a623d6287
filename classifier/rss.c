/* SPDX-License-Identifier: MIT */
/*
 * Toeplitz hash (Microsoft RSS specification) over the fields of a parsed
 * key; include/snic/rss.h is the spec, hdl/snic_rss_hash.sv the hardware
 * twin. Freestanding: no libc.
 */
#include "rss.h"

#define PROTO_TCP 6
#define PROTO_UDP 17

static uint32_t key_bit(const uint8_t *key, uint32_t j)
{
	return (uint32_t)(key[j / 8] >> (7 - j % 8)) & 1u;
}

uint32_t snic_toeplitz(const uint8_t key[SNIC_RSS_KEY_BYTES], const uint8_t *in, uint32_t n)
{
	/* The left-most 32 bits of K, shifted by one key bit per input bit. */
	uint32_t win = (uint32_t)key[0] << 24 | (uint32_t)key[1] << 16 |
		       (uint32_t)key[2] << 8 | key[3];
	uint32_t hash = 0;

	if (n > SNIC_RSS_INPUT_MAX)
		n = SNIC_RSS_INPUT_MAX;
	for (uint32_t i = 0; i < n; i++) {
		for (uint32_t b = 0; b < 8; b++) {
			if (in[i] & (0x80u >> b))
				hash ^= win;
			win = win << 1 | key_bit(key, 32 + 8 * i + b);
		}
	}
	return hash;
}

uint8_t snic_rss_type(const struct snic_key *key, uint8_t types)
{
	uint8_t l3, tcp, udp;
	int ports = (key->flags & SNIC_KF_L4) && !(key->flags & SNIC_KF_FRAG);

	if (key->flags & SNIC_KF_IPV4) {
		l3 = SNIC_RSS_HT_IPV4;
		tcp = SNIC_RSS_HT_TCP_IPV4;
		udp = SNIC_RSS_HT_UDP_IPV4;
	} else if (key->flags & SNIC_KF_IPV6) {
		l3 = SNIC_RSS_HT_IPV6;
		tcp = SNIC_RSS_HT_TCP_IPV6;
		udp = SNIC_RSS_HT_UDP_IPV6;
	} else {
		return SNIC_RSS_HT_NONE;
	}
	if (ports && key->ip_proto == PROTO_TCP && (types & tcp))
		return tcp;
	if (ports && key->ip_proto == PROTO_UDP && (types & udp))
		return udp;
	return types & l3;
}

static uint32_t put(uint8_t *dst, const uint8_t *src, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		dst[i] = src[i];
	return n;
}

void snic_rss_apply(const struct snic_rss_cfg *cfg, const struct snic_key *key,
		    struct snic_match *m)
{
	uint8_t in[SNIC_RSS_INPUT_MAX];
	uint8_t type = cfg ? snic_rss_type(key, cfg->types) : SNIC_RSS_HT_NONE;
	uint32_t alen = (key->flags & SNIC_KF_IPV4) ? 4 : 16, n = 0;

	m->hash = 0;
	m->hash_type = type;
	m->rsvd1[0] = m->rsvd1[1] = m->rsvd1[2] = 0;
	if (type == SNIC_RSS_HT_NONE)
		return;
	n += put(in + n, key->sip, alen);
	n += put(in + n, key->dip, alen);
	if (type & SNIC_RSS_HT_L4) {
		n += put(in + n, key->sport, 2);
		n += put(in + n, key->dport, 2);
	}
	m->hash = snic_toeplitz(cfg->key, in, n);
}
