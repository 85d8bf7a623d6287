/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "exthost.h"
#include "switch.h"

#define ETH_HDR  14
#define VLAN_TAG 4
#define IP_HDR   20
#define UDP_HDR  8
#define STAMP    32

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static uint16_t ip_csum(const uint8_t *h)
{
	uint32_t sum = 0;
	for (int i = 0; i < IP_HDR; i += 2)
		sum += get16(h + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t exthost_build_udp(uint8_t *buf, uint32_t cap, uint32_t len,
			   const uint8_t dmac[6], const uint8_t smac[6], uint16_t vlan,
			   const uint8_t sip[4], const uint8_t dip[4], uint16_t sport,
			   uint16_t dport, const struct exthost_stamp *st)
{
	uint32_t l3 = ETH_HDR + (vlan ? VLAN_TAG : 0);
	if (len < l3 + IP_HDR + UDP_HDR + STAMP || len > cap || len > 65535)
		return 0;
	memset(buf, 0, len);
	memcpy(buf, dmac, 6);
	memcpy(buf + 6, smac, 6);
	if (vlan) {
		put16(buf + 12, 0x8100);
		put16(buf + 14, vlan & 0x0fff);
	}
	put16(buf + l3 - 2, 0x0800);
	uint8_t *ip = buf + l3;
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(len - l3));
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, sip, 4);
	memcpy(ip + 16, dip, 4);
	put16(ip + 10, ip_csum(ip));
	uint8_t *udp = ip + IP_HDR;
	put16(udp, sport);
	put16(udp + 2, dport);
	put16(udp + 4, (uint16_t)(len - l3 - IP_HDR));
	uint8_t *s = udp + UDP_HDR;
	put64(s, st->magic);
	put64(s + 8, (uint64_t)st->flow << 32 | st->rsvd);
	put64(s + 16, st->seq);
	put64(s + 24, st->sent_ns);
	return len;
}

int exthost_parse_udp(const uint8_t *f, uint32_t len, struct exthost_stamp *st,
		      uint16_t *sport, uint16_t *dport)
{
	if (len < ETH_HDR)
		return 0;
	uint32_t l3 = ETH_HDR;
	uint16_t et = get16(f + 12);
	if (et == 0x8100) {
		if (len < ETH_HDR + VLAN_TAG)
			return 0;
		l3 += VLAN_TAG;
		et = get16(f + 16);
	}
	if (et != 0x0800 || len < l3 + IP_HDR + UDP_HDR + STAMP)
		return 0;
	const uint8_t *ip = f + l3;
	if (ip[0] != 0x45 || ip[9] != 17)
		return 0;
	const uint8_t *udp = ip + IP_HDR, *s = udp + UDP_HDR;
	if (get64(s) != EXTHOST_MAGIC)
		return 0;
	st->magic = EXTHOST_MAGIC;
	uint64_t w = get64(s + 8);
	st->flow = (uint32_t)(w >> 32);
	st->rsvd = (uint32_t)w;
	st->seq = get64(s + 16);
	st->sent_ns = get64(s + 24);
	if (sport)
		*sport = get16(udp);
	if (dport)
		*dport = get16(udp + 2);
	return 1;
}

void exthost_make_echo(uint8_t *f, uint32_t len)
{
	uint8_t t[6];
	uint32_t l3 = get16(f + 12) == 0x8100 ? ETH_HDR + VLAN_TAG : ETH_HDR;
	if (len < l3 + IP_HDR + UDP_HDR)
		return;
	memcpy(t, f, 6);
	memcpy(f, f + 6, 6);
	memcpy(f + 6, t, 6);
	uint8_t *ip = f + l3;
	memcpy(t, ip + 12, 4);
	memcpy(ip + 12, ip + 16, 4);
	memcpy(ip + 16, t, 4);
	uint8_t *udp = ip + IP_HDR;
	memcpy(t, udp, 2);
	memcpy(udp, udp + 2, 2);
	memcpy(udp + 2, t, 2);
}

void exthost_init(struct exthost *h, const uint8_t mac[6], const uint8_t ip[4])
{
	memset(h, 0, sizeof(*h));
	memcpy(h->mac, mac, 6);
	memcpy(h->ip, ip, 4);
	h->port = -1;
}

int exthost_add_flow(struct exthost *h, const uint8_t dmac[6], const uint8_t dip[4],
		     uint16_t dport, uint32_t len, uint64_t start_ns, uint64_t every_ns,
		     uint64_t stop_ns)
{
	if (h->n_flows == EXTHOST_MAX_FLOWS || every_ns == 0 ||
	    len < ETH_HDR + IP_HDR + UDP_HDR + STAMP || len > SW_MAX_FRAME)
		return -1;
	struct exthost_flow *f = &h->flow[h->n_flows];
	memset(f, 0, sizeof(*f));
	memcpy(f->dmac, dmac, 6);
	memcpy(f->dip, dip, 4);
	f->sport = (uint16_t)(10000 + h->n_flows);
	f->dport = dport;
	f->len = len;
	f->id = h->n_flows;
	f->every_ns = every_ns;
	f->next_ns = start_ns;
	f->stop_ns = stop_ns;
	return (int)h->n_flows++;
}

static int flow_live(const struct exthost_flow *f)
{
	return !f->stop_ns || f->next_ns < f->stop_ns;
}

uint64_t exthost_next_ns(const struct exthost *h)
{
	uint64_t t = UINT64_MAX;
	for (unsigned i = 0; i < h->n_flows; i++)
		if (flow_live(&h->flow[i]) && h->flow[i].next_ns < t)
			t = h->flow[i].next_ns;
	return t;
}

static void send_frame(struct exthost *h, const uint8_t *f, uint32_t len, uint64_t now)
{
	h->tx_frames++;
	if (h->sw && h->port >= 0)
		sw_send(h->sw, (unsigned)h->port, f, len, now, 0);
}

void exthost_run(struct exthost *h, uint64_t now)
{
	static uint8_t buf[SW_MAX_FRAME];

	for (unsigned i = 0; i < h->n_flows; i++) {
		struct exthost_flow *f = &h->flow[i];
		while (flow_live(f) && f->next_ns <= now) {
			struct exthost_stamp st = { EXTHOST_MAGIC, f->id, 0, f->seq++, f->next_ns };
			uint32_t len = exthost_build_udp(buf, sizeof(buf), f->len, f->dmac, h->mac,
							 f->vlan, h->ip, f->dip, f->sport,
							 f->dport, &st);
			if (len)
				send_frame(h, buf, len, now);
			f->next_ns += f->every_ns;
		}
	}
}

void exthost_rx(struct exthost *h, const uint8_t *f, uint32_t len, uint64_t now)
{
	static uint8_t buf[SW_MAX_FRAME];
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (len < ETH_HDR || (memcmp(f, h->mac, 6) && memcmp(f, bcast, 6) && !(f[0] & 1))) {
		h->rx_other++; /* flooded unicast for someone else */
		return;
	}
	h->rx_frames++;
	h->rx_bytes += len;
	if (h->on_rx)
		h->on_rx(h->ctx, h, f, len, now);
	struct exthost_stamp st;
	uint16_t dport;
	if (h->echo && !memcmp(f, h->mac, 6) && len <= sizeof(buf) &&
	    exthost_parse_udp(f, len, &st, NULL, &dport) && dport == EXTHOST_ECHO_PORT) {
		memcpy(buf, f, len);
		exthost_make_echo(buf, len);
		h->echoed++;
		send_frame(h, buf, len, now);
	}
}
