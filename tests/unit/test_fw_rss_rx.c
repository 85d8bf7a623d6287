/* SPDX-License-Identifier: MIT */
/*
 * RSS on the data path (rss.h) through the native firmware and the fake
 * engine, whose hash is the C model's (classifier/rss.c): frames of many
 * flows spread over a VNIC's queues as its indirection table says, every
 * frame of a flow on one queue (also when the steering memo repeats a
 * decision), frames without a hash on queue 0, the hash in the completion,
 * a table change taking effect, and the extra TRRs sending for the VNIC.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "rss.h" /* classifier/rss.h: the expected hash */
#include "test_fw_rss.h"

#define FLOWS 64
#define QUEUES 4

static const uint8_t PEER[6] = { 0x02, 0, 0, 0, 0, 0xee };
static uint8_t frame[2048];
static struct snic_rss_cfg cfg;
static struct snic_vnic_info vi;
static struct snic_rss_queues_info qi;
static uint8_t indir[64];

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

/* Hashing on for TCP/IPv4 (card-wide), one VNIC with QUEUES queues whose
 * table sends entry i to queue (i + 1) % QUEUES (entry 0 not to queue 0,
 * where frames without a hash go), buffers on every queue. */
static int setup(void **state)
{
	(void)state;
	rss_boot();
	struct snic_rss_set s;
	memset(&s, 0, sizeof(s));
	s.vnic = SNIC_VNIC_NONE;
	s.flags = SNIC_RSS_SET_KEY | SNIC_RSS_SET_TYPES;
	s.types = SNIC_RSS_HT_TCP_IPV4;
	for (unsigned i = 0; i < SNIC_RSS_KEY_BYTES; i++)
		s.key[i] = (uint8_t)(0x5a ^ (i * 37));
	assert_int_equal(admin(SNIC_CMD_RSS_SET, &s, sizeof(s), NULL), SNIC_OK);
	memcpy(cfg.key, s.key, sizeof(cfg.key));
	cfg.types = s.types;
	vi = rss_vnic(1);
	struct snic_rss_queues c = rss_queues(vi.vnic, QUEUES, 64);
	for (unsigned i = 0; i < 64; i++)
		c.indir[i] = (uint8_t)((i + 1) % QUEUES);
	memcpy(indir, c.indir, sizeof(indir));
	assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_OK);
	for (unsigned q = 0; q < QUEUES; q++)
		rx_post(qi.rx_ring[q], 256, 2048);
	return 0;
}

/* The key of TCP flow f (or a UDP one) to the VNIC. */
static void flow_key(unsigned f, uint8_t proto, struct snic_key *k, uint32_t *len)
{
	static const uint8_t sip[4] = { 10, 10, 0, 2 }, dip[4] = { 10, 10, 0, 1 };
	*len = make_ipv4(frame, vi.mac, PEER, SNIC_VLAN_NONE, sip, dip);
	key_of(frame, 0, k);
	k->ip_proto = proto;
	k->flags |= SNIC_KF_L4;
	k->sport[0] = (uint8_t)((40000 + f) >> 8);
	k->sport[1] = (uint8_t)(40000 + f);
	k->dport[1] = 80;
}

static void push_flow(unsigned f, uint8_t proto)
{
	struct snic_key k;
	uint32_t len;
	flow_key(f, proto, &k, &len);
	fake_rx_push_key(frame, len, 0, &k);
}

static void push_plain(void)
{
	struct snic_key k;
	uint32_t len = make_eth(frame, vi.mac, PEER, SNIC_VLAN_NONE, 0x88b5, 60);
	key_of(frame, 0, &k);
	fake_rx_push_key(frame, len, 0, &k);
}

static uint32_t flow_hash(unsigned f)
{
	struct snic_key k;
	struct snic_match m;
	uint32_t len;
	flow_key(f, 6, &k, &len);
	memset(&m, 0, sizeof(m));
	snic_rss_apply(&cfg, &k, &m);
	assert_int_equal(m.hash_type, SNIC_RSS_HT_TCP_IPV4);
	return m.hash;
}

/* The HRR a frame with this hash and type belongs on. */
static unsigned want_ring(uint32_t hash, uint8_t type)
{
	if (type == SNIC_RSS_HT_NONE)
		return qi.rx_ring[0];
	return qi.rx_ring[indir[hash % 64]];
}

/* Drain every queue; each completion must be on its frame's ring. Counts
 * per queue into got[] (hashed frames) and *plain (frames without). */
static void drain(unsigned got[QUEUES], unsigned *plain)
{
	struct snic_rx_cpl c;
	memset(got, 0, QUEUES * sizeof(got[0]));
	*plain = 0;
	for (unsigned q = 0; q < QUEUES; q++) {
		while (rx_take(qi.rx_ring[q], &c)) {
			assert_int_equal(c.vnic, vi.vnic);
			assert_int_equal(want_ring(c.hash, c.hash_type), qi.rx_ring[q]);
			if (c.hash_type == SNIC_RSS_HT_NONE) {
				assert_int_equal(c.hash, 0);
				(*plain)++;
			} else {
				assert_int_equal(c.hash_type, SNIC_RSS_HT_TCP_IPV4);
				got[q]++;
			}
		}
	}
}

static void test_spread(void **state)
{
	(void)state;
	unsigned want[QUEUES] = { 0 }, got[QUEUES], plain;

	/* Three rounds over all flows: a flow's frames meet the memo's
	 * decisions of other flows of the same entry and of other entries. */
	for (unsigned round = 0; round < 3; round++)
		for (unsigned f = 0; f < FLOWS; f++) {
			push_flow(f, 6);
			want[indir[flow_hash(f) % 64]]++;
		}
	fw_poll(tfw);
	drain(got, &plain);
	unsigned used = 0;
	for (unsigned q = 0; q < QUEUES; q++) {
		assert_int_equal(got[q], want[q]);
		used += got[q] != 0;
	}
	assert_int_equal(plain, 0);
	assert_true(used >= 3); /* 64 flows over 4 queues: all in practice */
}

/* A flow's frames, split by frames without a hash, stay on one queue;
 * frames without a hash go to queue 0 whatever came before them. */
static void test_no_hash_queue0(void **state)
{
	(void)state;
	unsigned got[QUEUES], plain;
	/* A flow on an entry other than queue 0's, and one on entry 0 (if
	 * the first 4096 give one), each around frames without a hash. */
	unsigned fa = 0, fz = UINT32_MAX;
	while (indir[flow_hash(fa) % 64] == 0 || indir[flow_hash(fa) % 64] == indir[0])
		fa++;
	for (unsigned f = 0; f < 4096 && fz == UINT32_MAX; f++)
		if (flow_hash(f) % 64 == 0)
			fz = f;
	assert_int_not_equal(fz, UINT32_MAX);
	for (unsigned i = 0; i < 8; i++) {
		push_flow(fa, 6);
		push_plain();
		push_flow(fz, 6);
		push_flow(fa, 17); /* UDP: no UDP type enabled, no hash */
	}
	fw_poll(tfw);
	drain(got, &plain);
	assert_int_equal(plain, 16);
	assert_int_equal(got[indir[flow_hash(fa) % 64]], 8);
	assert_int_equal(got[indir[0]], 8); /* fz: entry 0 */
	assert_int_equal(got[0], 0);
	assert_int_equal(rxq(qi.rx_ring[0])->packets, 16);
}

/* A new table takes effect for the next frames; n = 1 sends all to the
 * VNIC's own ring again, and the released rings get nothing. */
static void test_table_change(void **state)
{
	(void)state;
	unsigned got[QUEUES], plain;
	struct snic_rss_queues_info again;
	struct snic_rss_queues c = rss_queues(vi.vnic, QUEUES, 1);
	c.indir[0] = 3; /* everything to queue 3 */
	for (unsigned q = 1; q < QUEUES; q++)
		c.rx_ring[q] = qi.rx_ring[q]; /* the same rings, named */
	assert_int_equal(rss_queues_cmd(&c, &again), SNIC_OK);
	assert_memory_equal(again.rx_ring, qi.rx_ring, sizeof(qi.rx_ring));
	memset(indir, 3, sizeof(indir));
	for (unsigned f = 0; f < FLOWS; f++)
		push_flow(f, 6);
	fw_poll(tfw);
	drain(got, &plain);
	assert_int_equal(got[3], FLOWS);

	c = rss_queues(vi.vnic, 1, 1);
	assert_int_equal(rss_queues_cmd(&c, &again), SNIC_OK);
	for (unsigned f = 0; f < FLOWS; f++)
		push_flow(f, 6);
	fw_poll(tfw);
	assert_int_equal(rxq(vi.rx_ring)->cpl_prod - rxq(vi.rx_ring)->cpl_cons, FLOWS);
	for (unsigned q = 1; q < QUEUES; q++) {
		assert_int_equal(rxq(qi.rx_ring[q])->cpl_prod, rxq(qi.rx_ring[q])->cpl_cons);
		assert_int_equal(rxq(qi.rx_ring[q])->state, SNIC_RING_UNBOUND);
	}
}

/* A VNIC without a set ignores hashes: its own ring, hash still reported. */
static void test_no_set(void **state)
{
	(void)state;
	struct snic_vnic_info other = rss_vnic(2);
	struct snic_rx_cpl c;
	rx_post(other.rx_ring, 64, 2048);
	static const uint8_t sip[4] = { 10, 10, 0, 2 }, dip[4] = { 10, 10, 0, 3 };
	for (unsigned f = 0; f < 32; f++) {
		uint32_t len = make_ipv4(frame, other.mac, PEER, SNIC_VLAN_NONE, sip, dip);
		struct snic_key k;
		key_of(frame, 0, &k);
		k.ip_proto = 6;
		k.flags |= SNIC_KF_L4;
		k.sport[1] = (uint8_t)f;
		fake_rx_push_key(frame, len, 0, &k);
	}
	fw_poll(tfw);
	unsigned n = 0;
	while (rx_take(other.rx_ring, &c)) {
		assert_int_equal(c.hash_type, SNIC_RSS_HT_TCP_IPV4);
		assert_int_not_equal(c.hash, 0);
		n++;
	}
	assert_int_equal(n, 32);
}

/* Every TRR of the set sends for the VNIC. */
static void test_tx_queues(void **state)
{
	(void)state;
	static const uint8_t sip[4] = { 10, 10, 0, 1 }, dip[4] = { 10, 10, 0, 2 };
	uint32_t len = make_ipv4(frame, PEER, vi.mac, SNIC_VLAN_NONE, sip, dip);
	for (unsigned q = 0; q < QUEUES; q++)
		tx_queue(qi.tx_ring[q], frame, len);
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, QUEUES);
	for (unsigned q = 0; q < QUEUES; q++) {
		assert_int_equal(txq(qi.tx_ring[q])->packets, 1);
		assert_int_equal(fake->tx[q].port, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_spread, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_hash_queue0, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_queues, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
