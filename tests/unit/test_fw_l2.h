/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the layer-2 unit tests (test_fw_l2_*.c): the l2.h commands
 * through the admin queue, the per-VNIC counters block, and what a ring
 * received. Header-only: each test program includes it.
 */
#ifndef SNIC_TEST_FW_L2_H
#define SNIC_TEST_FW_L2_H

#include <string.h>
#include "test_fw_util.h"

static inline int l2_rxmode(uint16_t vnic, uint8_t flags, unsigned n, const uint8_t (*mc)[6])
{
	struct snic_vnic_rxmode c;
	memset(&c, 0, sizeof(c));
	c.vnic = vnic;
	c.flags = flags;
	c.n_mc = (uint8_t)n;
	for (unsigned i = 0; i < n; i++)
		memcpy(c.mc[i], mc[i], 6);
	return admin(SNIC_CMD_VNIC_RXMODE, &c, sizeof(c), NULL);
}

static inline int l2_vlans(uint16_t vnic, unsigned n, const uint16_t *vid)
{
	struct snic_vnic_vlans c;
	memset(&c, 0, sizeof(c));
	c.vnic = vnic;
	c.n = (uint16_t)n;
	for (unsigned i = 0; i < n; i++)
		c.vid[i] = vid[i];
	return admin(SNIC_CMD_VNIC_VLANS, &c, sizeof(c), NULL);
}

static inline int l2_mac(uint16_t vnic, uint16_t flags, const uint8_t mac[6])
{
	struct snic_vnic_mac c;
	memset(&c, 0, sizeof(c));
	c.vnic = vnic;
	c.flags = flags;
	memcpy(c.mac, mac, 6);
	return admin(SNIC_CMD_VNIC_MAC, &c, sizeof(c), NULL);
}

static inline int l2_policy(uint16_t vnic, uint16_t flags)
{
	struct snic_vnic_policy c;
	memset(&c, 0, sizeof(c));
	c.vnic = vnic;
	c.flags = flags;
	return admin(SNIC_CMD_VNIC_POLICY, &c, sizeof(c), NULL);
}

/* The VNIC's L2 state; fails the test unless the query succeeds. */
static inline struct snic_vnic_l2 l2_query(uint16_t vnic)
{
	struct snic_vnic_ref r = { .vnic = vnic };
	struct snic_admin_cpl cpl;
	struct snic_vnic_l2 out;
	assert_int_equal(admin(SNIC_CMD_VNIC_L2_QUERY, &r, sizeof(r), &cpl), SNIC_OK);
	assert_int_equal(cpl.len, sizeof(out));
	memcpy(&out, cpl.payload, sizeof(out));
	return out;
}

static inline struct snic_blk_vstats *vblk(void)
{
	uint32_t off = find_block(SNIC_BLK_VSTATS);
	assert_true(off != 0);
	return win_at(off);
}

static inline struct snic_vnic_stats *vst(uint16_t vnic)
{
	struct snic_blk_vstats *b = vblk();
	assert_true(vnic < b->count);
	return (struct snic_vnic_stats *)win_at(b->first + (uint64_t)vnic * b->stride);
}

/* Completions waiting on a ring, taken; the last one in *last. */
static inline unsigned rx_drain(unsigned ring, struct snic_rx_cpl *last)
{
	struct snic_rx_cpl c;
	unsigned n = 0;
	while (rx_take(ring, &c)) {
		if (last)
			*last = c;
		n++;
	}
	return n;
}

#endif
