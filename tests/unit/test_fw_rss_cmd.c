/* SPDX-License-Identifier: MIT */
/*
 * RSS admin commands (rss.h) through the native firmware and the fake
 * engine: RSS_SET/RSS_QUERY validation and who may change the card-wide
 * key and types; RSS_QUEUES allocation, the table pool running out, and
 * rings and tables coming back on release, VNIC destroy and RESET.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "test_fw_rss.h"

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static struct snic_rss_set rss_set(uint16_t vnic, uint16_t flags, uint8_t types, uint8_t keyb)
{
	struct snic_rss_set s;
	memset(&s, 0, sizeof(s));
	s.vnic = vnic;
	s.flags = flags;
	s.types = types;
	memset(s.key, keyb, sizeof(s.key));
	return s;
}

static void query(uint16_t vnic, struct snic_rss_info *out)
{
	struct snic_vnic_ref r = { .vnic = vnic };
	struct snic_admin_cpl c;
	assert_int_equal(admin(SNIC_CMD_RSS_QUERY, &r, sizeof(r), &c), SNIC_OK);
	assert_int_equal(c.len, sizeof(*out));
	memcpy(out, c.payload, sizeof(*out));
}

static void test_set_query(void **state)
{
	(void)state;
	struct snic_admin_cpl c;
	struct snic_rss_info info;
	struct snic_vnic_info vi = rss_vnic(1);

	/* After reset hashing is off. */
	query(SNIC_VNIC_NONE, &info);
	assert_int_equal(info.engine_types, 0);
	assert_int_equal(info.supported, SNIC_RSS_HT_ALL);
	assert_int_equal(info.key_bytes, SNIC_RSS_KEY_BYTES);

	/* The card-wide handle may change key and types. */
	struct snic_rss_set s = rss_set(SNIC_VNIC_NONE, SNIC_RSS_SET_KEY | SNIC_RSS_SET_TYPES,
					SNIC_RSS_HT_TCP_IPV4 | SNIC_RSS_HT_IPV4, 0x6d);
	unsigned writes = fake->rss_writes;
	assert_int_equal(admin(SNIC_CMD_RSS_SET, &s, sizeof(s), &c), SNIC_OK);
	assert_int_equal(fake->rss_writes, writes + 1);
	assert_true(fake->rss_on);
	assert_int_equal(fake->rss.types, SNIC_RSS_HT_TCP_IPV4 | SNIC_RSS_HT_IPV4);
	assert_memory_equal(fake->rss.key, s.key, SNIC_RSS_KEY_BYTES);
	query(vi.vnic, &info);
	assert_int_equal(info.vnic, vi.vnic);
	assert_int_equal(info.types, SNIC_RSS_HT_TCP_IPV4 | SNIC_RSS_HT_IPV4);
	assert_int_equal(info.engine_types, info.types);
	assert_memory_equal(info.key, s.key, SNIC_RSS_KEY_BYTES);

	/* Types only: the key stays. */
	s = rss_set(SNIC_VNIC_NONE, SNIC_RSS_SET_TYPES, SNIC_RSS_HT_UDP_IPV6, 0);
	assert_int_equal(admin(SNIC_CMD_RSS_SET, &s, sizeof(s), &c), SNIC_OK);
	assert_int_equal(fake->rss.types, SNIC_RSS_HT_UDP_IPV6);
	assert_int_equal(fake->rss.key[0], 0x6d);

	/* Bad requests change nothing, the engine is not written. */
	writes = fake->rss_writes;
	s = rss_set(SNIC_VNIC_NONE, 0x4, 0, 0);
	assert_int_equal(admin(SNIC_CMD_RSS_SET, &s, sizeof(s), &c), SNIC_E_INVAL);
	s = rss_set(SNIC_VNIC_NONE, SNIC_RSS_SET_TYPES, 0x40, 0);
	assert_int_equal(admin(SNIC_CMD_RSS_SET, &s, sizeof(s), &c), SNIC_E_INVAL);
	s = rss_set(SNIC_VNIC_NONE, SNIC_RSS_SET_TYPES, SNIC_RSS_HT_IPV4, 0);
	s.rsvd[1] = 1;
	assert_int_equal(admin(SNIC_CMD_RSS_SET, &s, sizeof(s), &c), SNIC_E_INVAL);
	assert_int_equal(admin(SNIC_CMD_RSS_SET, &s, sizeof(s) - 1, &c), SNIC_E_LEN);
	s = rss_set(77, SNIC_RSS_SET_TYPES, SNIC_RSS_HT_IPV4, 0);
	assert_int_equal(admin(SNIC_CMD_RSS_SET, &s, sizeof(s), &c), SNIC_E_NOENT);
	/* An untrusted VNIC may not change the card's hash. */
	s = rss_set(vi.vnic, SNIC_RSS_SET_KEY, 0, 0x11);
	assert_int_equal(admin(SNIC_CMD_RSS_SET, &s, sizeof(s), &c), SNIC_E_PERM);
	assert_int_equal(fake->rss_writes, writes);
	assert_int_equal(fake->rss.key[0], 0x6d);
	struct snic_vnic_ref bad = { .vnic = vi.vnic, .rsvd = 1 };
	assert_int_equal(admin(SNIC_CMD_RSS_QUERY, &bad, sizeof(bad), &c), SNIC_E_INVAL);

	/* A trusted one may. */
	struct snic_vnic_policy pol = { .vnic = vi.vnic, .flags = SNIC_VPOL_TRUSTED };
	assert_int_equal(admin(SNIC_CMD_VNIC_POLICY, &pol, sizeof(pol), &c), SNIC_OK);
	assert_int_equal(admin(SNIC_CMD_RSS_SET, &s, sizeof(s), &c), SNIC_OK);
	assert_int_equal(fake->rss.key[0], 0x11);

	/* RESET turns hashing off again. */
	assert_int_equal(admin(SNIC_CMD_RESET, NULL, 0, &c), SNIC_OK);
	assert_false(fake->rss_on);
	query(SNIC_VNIC_NONE, &info);
	assert_int_equal(info.engine_types, 0);
	assert_true(info.key[0] == 0 && info.key[39] == 0);
}

static void test_caps(void **state)
{
	(void)state;
	rss_boot();
	const struct snic_cap_rss *r = rss_cap();
	assert_non_null(r);
	assert_int_equal(r->tables, 4);
	assert_int_equal(r->max_queues, 4); /* of SNIC_RSS_MAX_QUEUES: RAM */
	assert_int_equal(r->indir_entries, 64);
	assert_int_equal(r->types, SNIC_RSS_HT_ALL);
}

/* Every ring of the reply is the VNIC's, published in the window. */
static void assert_owns(const struct snic_rss_queues_info *qi)
{
	for (unsigned q = 0; q < SNIC_RSS_MAX_QUEUES; q++) {
		if (q >= qi->n_queues) {
			assert_int_equal(qi->rx_ring[q], 0xffff);
			continue;
		}
		assert_int_equal(rxq(qi->rx_ring[q])->vnic, qi->vnic);
		assert_int_equal(rxq(qi->rx_ring[q])->state, SNIC_RING_BOUND);
		assert_int_equal(txq(qi->tx_ring[q])->vnic, qi->vnic);
		for (unsigned p = 0; p < q; p++)
			assert_int_not_equal(qi->rx_ring[p], qi->rx_ring[q]);
	}
}

static void test_queues(void **state)
{
	(void)state;
	struct snic_rss_queues_info qi;
	struct snic_vnic_info v[6];
	rss_boot();
	for (unsigned i = 0; i < 6; i++)
		v[i] = rss_vnic(i + 1);

	struct snic_rss_queues c = rss_queues(v[0].vnic, 4, 64);
	assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_OK);
	assert_int_equal(qi.n_queues, 4);
	assert_int_equal(qi.rx_ring[0], v[0].rx_ring);
	assert_int_equal(qi.tx_ring[0], v[0].tx_ring);
	assert_owns(&qi);

	/* Named rings: a free one is taken, a busy one refused. */
	c = rss_queues(v[1].vnic, 2, 2);
	c.rx_ring[1] = 15;
	assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_OK);
	assert_int_equal(qi.rx_ring[1], 15);
	assert_owns(&qi);
	c = rss_queues(v[2].vnic, 2, 2);
	c.rx_ring[1] = 15;
	assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_E_BUSY);
	c.rx_ring[1] = v[3].rx_ring; /* another VNIC's own ring */
	assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_E_BUSY);

	/* Malformed requests. */
	c = rss_queues(v[2].vnic, 2, 2);
	c.indir[1] = 2;
	assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_E_INVAL);
	c = rss_queues(v[2].vnic, 2, 2);
	c.indir[5] = 1; /* past indir_size */
	assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_E_INVAL);
	c = rss_queues(v[2].vnic, 2, 3);
	assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_E_RANGE);
	c = rss_queues(v[2].vnic, 5, 64); /* past the cap record's max_queues */
	assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_E_RANGE);
	c = rss_queues(v[2].vnic, 2, 2);
	c.rx_ring[0] = v[2].rx_ring;
	assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_E_INVAL);
	c = rss_queues(v[2].vnic, 2, 2);
	c.rsvd = 1;
	assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_E_INVAL);

	/* The pool: 4 tables. The fifth VNIC finds none, nothing taken. */
	for (unsigned i = 2; i < 4; i++) {
		c = rss_queues(v[i].vnic, 2, 2);
		assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_OK);
	}
	unsigned free_before = rss_free_rx_rings();
	c = rss_queues(v[4].vnic, 2, 2);
	assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_E_NOSPC);
	assert_int_equal(rss_free_rx_rings(), free_before);

	/* Release (n = 1) gives the table and rings back. */
	c = rss_queues(v[0].vnic, 1, 1);
	assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_OK);
	assert_int_equal(qi.n_queues, 1);
	assert_int_equal(rss_free_rx_rings(), free_before + 3);
	c = rss_queues(v[4].vnic, 2, 2);
	assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_OK);

	/* Destroy frees too: VNIC 1's ring 15 is free again. */
	struct snic_vnic_ref ref = { .vnic = v[1].vnic };
	struct snic_admin_cpl cpl;
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &ref, sizeof(ref), &cpl), SNIC_OK);
	assert_int_equal(rxq(15)->state, SNIC_RING_UNBOUND);
	c = rss_queues(v[5].vnic, 2, 2);
	c.rx_ring[1] = 15;
	assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_OK);
	/* Queue 0 cannot be unbound under a set. */
	struct snic_ring_bind b = { .ring = v[5].rx_ring, .vnic = SNIC_VNIC_NONE };
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), &cpl), SNIC_E_BUSY);
	b.ring = 15;
	assert_int_equal(admin(SNIC_CMD_RING_BIND, &b, sizeof(b), &cpl), SNIC_E_BUSY);

	/* RESET frees everything: a set for the first VNIC again. */
	assert_int_equal(admin(SNIC_CMD_RESET, NULL, 0, &cpl), SNIC_OK);
	assert_int_equal(rxq(15)->state, SNIC_RING_UNBOUND);
	for (unsigned i = 0; i < 5; i++) {
		v[i] = rss_vnic(i + 1);
		c = rss_queues(v[i].vnic, 2, 2);
		assert_int_equal(rss_queues_cmd(&c, &qi), i < 4 ? SNIC_OK : SNIC_E_NOSPC);
	}
}

static void test_sw_only(void **state)
{
	(void)state;
	struct snic_rss_queues_info qi;
	struct snic_vnic_info vi;
	static const uint8_t mac[6] = { 0x02, 0x20, 0, 0, 0, 1 };
	rss_boot();
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac, SNIC_VLAN_NONE, SNIC_VNICF_SW_ONLY, 0, &vi),
			 SNIC_OK);
	struct snic_rss_queues c = rss_queues(vi.vnic, 2, 2);
	assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_E_BUSY);
	c = rss_queues(200, 2, 2);
	assert_int_equal(rss_queues_cmd(&c, &qi), SNIC_E_NOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_set_query, rss_setup, teardown),
		cmocka_unit_test_teardown(test_caps, teardown),
		cmocka_unit_test_teardown(test_queues, teardown),
		cmocka_unit_test_teardown(test_sw_only, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
