/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "test_fw_util.h"

/* Per fake device: its firmware instance and what the host side keeps. */
static struct {
	void    *mem;      /* the instance's storage (FW_STORAGE_BYTES) */
	struct fw *fw;
	uint64_t dma_next; /* dma_alloc's bump pointer */
	uint32_t seq;      /* next admin sequence number */
} dev[FAKE_DEVS];
static unsigned cur;
struct fw *tfw;

void test_use(unsigned i)
{
	fake_use(i);
	cur = i;
	tfw = dev[i].fw;
}

void boot(const char *profile)
{
	assert_int_equal(fake_setup(profile, TEST_WIN), 0);
	if (!dev[cur].mem)
		dev[cur].mem = malloc(FW_STORAGE_BYTES);
	tfw = dev[cur].fw = fw_open(dev[cur].mem, FW_STORAGE_BYTES, fake);
	assert_non_null(tfw);
	assert_int_equal(fw_init(tfw), 0);
	dev[cur].dma_next = 0;
	dev[cur].seq = 100;
}

void *win_at(uint64_t off)
{
	assert_true(off < fake->win_size);
	return fake->win + off;
}

uint32_t find_block(uint32_t type)
{
	uint32_t off = 0;
	for (int hops = 0; hops < 64; hops++) {
		const struct snic_block_hdr *h = win_at(off);
		if (h->type == type)
			return off;
		if (!h->next)
			return 0;
		off = h->next;
	}
	fail_msg("block chain does not end");
	return 0;
}

struct snic_blk_devid *devid(void) { return win_at(0); }
struct snic_blk_admin *admin_blk(void) { return win_at(find_block(SNIC_BLK_ADMIN)); }
struct snic_blk_stats *stats(void) { return win_at(find_block(SNIC_BLK_STATS)); }
struct snic_blk_dma *dma_blk(void) { return win_at(find_block(SNIC_BLK_DMA)); }

struct snic_rxq *rxq(unsigned ring)
{
	const struct snic_blk_queues *q = win_at(find_block(SNIC_BLK_RXQ));
	assert_true(ring < q->count);
	return win_at(q->first + (uint64_t)ring * q->stride);
}

struct snic_txq *txq(unsigned ring)
{
	const struct snic_blk_queues *q = win_at(find_block(SNIC_BLK_TXQ));
	assert_true(ring < q->count);
	return win_at(q->first + (uint64_t)ring * q->stride);
}

void admin_submit(uint16_t opcode, uint32_t s, const void *payload, uint32_t len)
{
	struct snic_blk_admin *a = admin_blk();
	struct snic_admin_cmd *c = win_at(a->cmd_off + (uint64_t)(a->cmd_prod % a->entries) * sizeof(*c));
	memset(c, 0, sizeof(*c));
	c->opcode = opcode;
	c->seq = s;
	c->len = len;
	if (payload)
		memcpy(c->payload, payload, len > SNIC_ADMIN_PAYLOAD ? SNIC_ADMIN_PAYLOAD : len);
	a->cmd_prod++;
}

int admin(uint16_t opcode, const void *payload, uint32_t len, struct snic_admin_cpl *cpl)
{
	struct snic_blk_admin *a = admin_blk();
	uint32_t want = a->cpl_cons + 1;
	uint32_t s = ++dev[cur].seq;

	admin_submit(opcode, s, payload, len);
	for (int i = 0; i < 4 && a->cpl_prod != want; i++)
		fw_poll(tfw);
	assert_int_equal(a->cpl_prod, want);
	assert_int_equal(a->cmd_cons, a->cmd_prod);
	const struct snic_admin_cpl *c =
		win_at(a->cpl_off + (uint64_t)(a->cpl_cons % a->entries) * sizeof(*c));
	assert_int_equal(c->seq, s);
	assert_int_equal(c->opcode, opcode);
	if (c->status != SNIC_OK)
		assert_int_equal(c->len, 0);
	if (cpl)
		memcpy(cpl, c, sizeof(*cpl));
	a->cpl_cons++;
	return c->status;
}

int vnic_create(uint16_t id, const uint8_t mac[6], uint16_t vlan, uint16_t flags,
		uint8_t uplink, struct snic_vnic_info *info)
{
	struct snic_vnic_create c;
	struct snic_admin_cpl cpl;
	memset(&c, 0, sizeof(c));
	c.vnic = id;
	c.vlan = vlan;
	memcpy(c.mac, mac, 6);
	c.flags = flags;
	c.uplink = uplink;
	int st = admin(SNIC_CMD_VNIC_CREATE, &c, sizeof(c), &cpl);
	if (st == SNIC_OK) {
		assert_int_equal(cpl.len, sizeof(struct snic_vnic_info));
		if (info)
			memcpy(info, cpl.payload, sizeof(*info));
	}
	return st;
}

int vnic_create_ip(uint16_t id, const uint8_t mac[6], uint8_t n_ip, const uint8_t ip[][4],
		   struct snic_vnic_info *info)
{
	struct snic_vnic_create c;
	struct snic_admin_cpl cpl;
	memset(&c, 0, sizeof(c));
	c.vnic = id;
	c.vlan = SNIC_VLAN_NONE;
	memcpy(c.mac, mac, 6);
	c.n_ip = n_ip;
	for (unsigned i = 0; i < n_ip && i < 4; i++)
		memcpy(c.ip[i], ip[i], 4);
	int st = admin(SNIC_CMD_VNIC_CREATE, &c, sizeof(c), &cpl);
	if (st == SNIC_OK && info)
		memcpy(info, cpl.payload, sizeof(*info));
	return st;
}

int port_set(uint8_t port, uint8_t up)
{
	struct snic_port_set p = { .port = port, .admin_up = up };
	return admin(SNIC_CMD_PORT_SET, &p, sizeof(p), NULL);
}

int rule_add(uint32_t loc, const struct snic_rule *r, uint32_t *got)
{
	struct snic_rule_add a;
	struct snic_admin_cpl cpl;
	memset(&a, 0, sizeof(a));
	a.loc = loc;
	a.rule = *r;
	int st = admin(SNIC_CMD_RULE_ADD, &a, sizeof(a), &cpl);
	if (st == SNIC_OK) {
		assert_int_equal(cpl.len, sizeof(struct snic_rule_ref));
		if (got)
			memcpy(got, cpl.payload, 4);
	}
	return st;
}

void rule_init(struct snic_rule *r, uint16_t vnic, uint8_t flags)
{
	memset(r, 0, sizeof(*r));
	r->action.vnic = vnic;
	r->action.ring = SNIC_RING_DEFAULT;
	r->action.meter = SNIC_METER_NONE;
	r->action.flags = flags;
}

void rule_match_dmac(struct snic_rule *r, const uint8_t mac[6])
{
	memcpy(r->value.dmac, mac, 6);
	memset(r->mask.dmac, 0xff, 6);
}

uint64_t dma_alloc(uint32_t len)
{
	const struct snic_blk_dma *d = dma_blk();
	uint64_t at = d->base + dev[cur].dma_next;
	dev[cur].dma_next += (len + 63u) & ~63u;
	assert_true(dev[cur].dma_next <= d->size);
	return at;
}

void rx_post(unsigned ring, unsigned n, uint32_t buflen)
{
	struct snic_rxq *q = rxq(ring);
	struct snic_rx_desc *d = win_at(q->desc_off);
	for (unsigned i = 0; i < n; i++) {
		struct snic_rx_desc *e = &d[q->desc_prod % q->size];
		e->addr = dma_alloc(buflen);
		e->len = buflen;
		e->rsvd = 0;
		q->desc_prod++;
	}
}

int rx_take(unsigned ring, struct snic_rx_cpl *cpl)
{
	struct snic_rxq *q = rxq(ring);
	if (q->cpl_cons == q->cpl_prod)
		return 0;
	const struct snic_rx_cpl *c = win_at(q->cpl_off);
	*cpl = c[q->cpl_cons % q->size];
	q->cpl_cons++;
	return 1;
}

void tx_queue(unsigned ring, const uint8_t *frame, uint32_t len)
{
	struct snic_txq *q = txq(ring);
	struct snic_tx_desc *d = win_at(q->desc_off);
	struct snic_tx_desc *e = &d[q->desc_prod % q->size];
	e->addr = dma_alloc(len);
	e->len = len;
	e->flags = 0;
	e->rsvd = 0;
	memcpy(win_at(e->addr), frame, len);
	q->desc_prod++;
}

static uint32_t put_l2(uint8_t *b, const uint8_t dmac[6], const uint8_t smac[6],
		       uint16_t vlan, uint16_t ethertype)
{
	uint32_t o = 12;
	memcpy(b, dmac, 6);
	memcpy(b + 6, smac, 6);
	if (vlan != SNIC_VLAN_NONE) {
		b[o++] = 0x81; b[o++] = 0x00;
		b[o++] = (uint8_t)(0x20 | (vlan >> 8)); /* PCP 1: must be ignored */
		b[o++] = (uint8_t)vlan;
	}
	b[o++] = (uint8_t)(ethertype >> 8);
	b[o++] = (uint8_t)ethertype;
	return o;
}

uint32_t make_eth(uint8_t *buf, const uint8_t dmac[6], const uint8_t smac[6],
		  uint16_t vlan, uint16_t ethertype, uint32_t payload)
{
	uint32_t o = put_l2(buf, dmac, smac, vlan, ethertype);
	for (uint32_t i = 0; i < payload; i++)
		buf[o + i] = (uint8_t)(i * 7 + 3);
	return o + payload;
}

uint32_t make_ipv4(uint8_t *buf, const uint8_t dmac[6], const uint8_t smac[6],
		   uint16_t vlan, const uint8_t sip[4], const uint8_t dip[4])
{
	uint32_t o = put_l2(buf, dmac, smac, vlan, 0x0800);
	uint8_t *ip = buf + o;
	memset(ip, 0, 28);
	ip[0] = 0x45;
	ip[3] = 28;
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, sip, 4);
	memcpy(ip + 16, dip, 4);
	return o + 28;
}

uint32_t make_arp(uint8_t *buf, const uint8_t smac[6], const uint8_t sha[6], const uint8_t spa[4])
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint32_t o = put_l2(buf, bcast, smac, SNIC_VLAN_NONE, 0x0806);
	uint8_t *a = buf + o;
	memset(a, 0, 28);
	a[1] = 1; a[2] = 0x08; a[4] = 6; a[5] = 4; a[7] = 1;
	memcpy(a + 8, sha, 6);
	memcpy(a + 14, spa, 4);
	return o + 28;
}

void key_of(const uint8_t *f, uint8_t port, struct snic_key *k)
{
	uint32_t o = 12;
	memset(k, 0, sizeof(*k));
	k->port = port;
	memcpy(k->dmac, f, 6);
	memcpy(k->smac, f + 6, 6);
	if (f[12] == 0x81 && f[13] == 0x00) {
		k->flags |= SNIC_KF_VLAN;
		k->vlan[0] = f[14];
		k->vlan[1] = f[15];
		o = 16;
	}
	k->ethertype[0] = f[o];
	k->ethertype[1] = f[o + 1];
	if (f[o] == 0x08 && f[o + 1] == 0x00) {
		k->flags |= SNIC_KF_IPV4;
		k->ip_proto = f[o + 2 + 9];
		memcpy(k->sip, f + o + 2 + 12, 4);
		memcpy(k->dip, f + o + 2 + 16, 4);
	}
}

void rx_frame(const uint8_t *frame, uint32_t len, uint8_t port)
{
	struct snic_key k;
	key_of(frame, port, &k);
	fake_rx_push_key(frame, len, port, &k);
}

void snap_take(struct snapshot *s)
{
	const struct snic_blk_dma *d = dma_blk();
	s->len = d->base;
	s->dev = malloc(s->len);
	assert_non_null(s->dev);
	memcpy(s->dev, fake->win, s->len);
	memcpy(s->tcam, fake->tcam, sizeof(s->tcam));
	memcpy(s->valid, fake->valid, sizeof(s->valid));
	s->xslot = malloc(sizeof(fake->xslot));
	assert_non_null(s->xslot);
	memcpy(s->xslot, fake->xslot, sizeof(fake->xslot));
}

/* Zero the bytes every command legitimately moves. */
static void mask_volatile(uint8_t *w)
{
	uint32_t a = find_block(SNIC_BLK_ADMIN), st = find_block(SNIC_BLK_STATS);
	const struct snic_blk_admin *ab = (const void *)(fake->win + a);
	memset(w + offsetof(struct snic_blk_devid, heartbeat), 0, 4);
	memset(w + offsetof(struct snic_blk_devid, dev_time_ns), 0, 8);
	memset(w + a + offsetof(struct snic_blk_admin, cmd_prod), 0,
	       sizeof(struct snic_blk_admin) - offsetof(struct snic_blk_admin, cmd_prod));
	memset(w + ab->cmd_off, 0, ab->entries * sizeof(struct snic_admin_cmd));
	memset(w + ab->cpl_off, 0, ab->entries * sizeof(struct snic_admin_cpl));
	memset(w + st + offsetof(struct snic_blk_stats, admin_cmds), 0, 16);
}

int snap_same(const struct snapshot *s)
{
	uint8_t *now = malloc(s->len), *then = malloc(s->len);
	assert_non_null(now);
	assert_non_null(then);
	memcpy(now, fake->win, s->len);
	memcpy(then, s->dev, s->len);
	mask_volatile(now);
	mask_volatile(then);
	int same = !memcmp(now, then, s->len) &&
		   !memcmp(s->tcam, fake->tcam, sizeof(s->tcam)) &&
		   !memcmp(s->valid, fake->valid, sizeof(s->valid)) &&
		   !memcmp(s->xslot, fake->xslot, sizeof(fake->xslot));
	free(now);
	free(then);
	return same;
}

void snap_free(struct snapshot *s)
{
	free(s->dev);
	s->dev = NULL;
	free(s->xslot);
	s->xslot = NULL;
}

int is_mac_hit(uint32_t rule, const struct snic_vnic_info *vi)
{
	if (!fake->hw.exact_entries)
		return rule == vi->mac_rule;
	if (rule < SNIC_RULE_EXACT || rule >= SNIC_RULE_EXACT + fake->hw.exact_entries)
		return 0;
	const struct snic_exact_slot *x = &fake->xslot[rule - SNIC_RULE_EXACT];
	uint64_t key = 0;
	for (int i = 0; i < 6; i++)
		key = key << 8 | vi->mac[i];
	key <<= 16;
	if (vi->vlan != SNIC_VLAN_NONE)
		key |= 0x1000u | (vi->vlan & 0x0fffu);
	return x->valid && x->key == key && x->action.vnic == vi->vnic;
}

/* The incarnation the engine's entries for `vnic` carry (snic_action.gen),
 * as a real hit would: 0 when the table has none. */
static uint8_t engine_gen(uint16_t vnic)
{
	for (unsigned i = 0; i < FAKE_TCAM; i++)
		if (fake->valid[i] && fake->tcam[i].action.vnic == vnic)
			return fake->tcam[i].action.gen;
	for (unsigned i = 0; i < FAKE_EXACT; i++)
		if (fake->xslot[i].valid && fake->xslot[i].action.vnic == vnic)
			return fake->xslot[i].action.gen;
	return 0;
}

struct snic_match match_hit(uint16_t rule, uint16_t vnic, uint8_t flags, uint16_t meter)
{
	struct snic_match m;
	memset(&m, 0, sizeof(m));
	m.rule = rule;
	m.action.vnic = vnic;
	m.action.gen = engine_gen(vnic);
	m.action.ring = SNIC_RING_DEFAULT;
	m.action.meter = meter;
	m.action.flags = flags;
	return m;
}

void test_mac(unsigned i, uint8_t mac[6])
{
	const uint8_t m[6] = { 0x02, 0x00, 0x5e, 0x10, (uint8_t)(i >> 8), (uint8_t)i };
	memcpy(mac, m, 6);
}
