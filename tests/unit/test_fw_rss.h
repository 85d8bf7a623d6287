/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the RSS unit tests (test_fw_rss_*.c): VNICs with buffers,
 * RSS_QUEUES through the admin queue, the capability record. Header-only:
 * each test program includes it.
 */
#ifndef SNIC_TEST_FW_RSS_H
#define SNIC_TEST_FW_RSS_H

#include <string.h>
#include "test_fw_util.h"

static inline void rss_boot(void)
{
	boot("large");
	for (uint8_t p = 0; p < 4; p++)
		assert_int_equal(port_set(p, 1), SNIC_OK);
	rx_post(0, 32, 2048); /* the shared ring */
}

static inline int rss_setup(void **state)
{
	(void)state;
	rss_boot();
	return 0;
}

/* VNIC n (MAC 02:30:00:00:00:n, uplink 0) on dedicated rings. */
static inline struct snic_vnic_info rss_vnic(unsigned n)
{
	struct snic_vnic_info vi;
	const uint8_t mac[6] = { 0x02, 0x30, 0, 0, 0, (uint8_t)n };
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac, SNIC_VLAN_NONE, 0, 0, &vi), SNIC_OK);
	assert_int_not_equal(vi.rx_ring, 0);
	return vi;
}

/* n queues on any free rings, table entry i -> queue i % n. */
static inline struct snic_rss_queues rss_queues(uint16_t vnic, unsigned n, unsigned size)
{
	struct snic_rss_queues c;
	memset(&c, 0, sizeof(c));
	c.vnic = vnic;
	c.n_queues = (uint8_t)n;
	c.indir_size = (uint16_t)size;
	for (unsigned q = 0; q < SNIC_RSS_MAX_QUEUES; q++)
		c.rx_ring[q] = c.tx_ring[q] = SNIC_RSS_RING_ANY;
	for (unsigned i = 0; i < size && i < SNIC_RSS_INDIR_MAX; i++)
		c.indir[i] = (uint8_t)(i % n);
	return c;
}

static inline int rss_queues_cmd(const struct snic_rss_queues *c, struct snic_rss_queues_info *out)
{
	struct snic_admin_cpl cpl;
	int st = admin(SNIC_CMD_RSS_QUEUES, c, sizeof(*c), &cpl);
	if (st == SNIC_OK) {
		assert_int_equal(cpl.len, sizeof(*out));
		memcpy(out, cpl.payload, sizeof(*out));
	}
	return st;
}

/* Dedicated HRRs nobody owns. */
static inline unsigned rss_free_rx_rings(void)
{
	unsigned n = 0;
	for (unsigned r = 1; r < fake->hw.n_rx_rings; r++)
		n += rxq(r)->state == SNIC_RING_UNBOUND;
	return n;
}

static inline const struct snic_cap_rss *rss_cap(void)
{
	const struct snic_blk_caps *c = win_at(find_block(SNIC_BLK_CAPS));
	const uint8_t *p = win_at(c->records), *end = p + c->length;
	while (p < end) {
		const struct snic_cap_hdr *h = (const void *)p;
		if (h->type == SNIC_CAP_RSS)
			return (const void *)p;
		if (h->type == SNIC_CAP_END || !h->len)
			break;
		p += h->len;
	}
	return NULL;
}

#endif
