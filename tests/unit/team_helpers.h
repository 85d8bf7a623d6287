/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the teaming unit tests (test_fw_team*.c): bond commands
 * through the admin queue, UDP/TCP frames with ports, and what the fake
 * HAL saw leave each uplink. Header-only: each test program includes it.
 */
#ifndef SNIC_TEAM_HELPERS_H
#define SNIC_TEAM_HELPERS_H

#include <string.h>
#include "test_fw_util.h"

#define BOND(b) ((uint8_t)(SNIC_UPLINK_BOND | (b)))

/* A bond of n members `m` with roles `r` (ACTIVE if r is NULL). */
static inline struct snic_team_set bond_cfg(uint8_t b, uint8_t policy, unsigned n,
					    const uint8_t *m, const uint8_t *r)
{
	struct snic_team_set c;
	memset(&c, 0, sizeof(c));
	c.op = SNIC_TEAM_OP_SET;
	c.bond = b;
	c.policy = policy;
	c.n_members = (uint8_t)n;
	for (unsigned i = 0; i < n; i++) {
		c.member[i] = m[i];
		c.role[i] = r ? r[i] : SNIC_TEAM_ACTIVE;
	}
	return c;
}

static inline int team_cmd(const struct snic_team_set *c, struct snic_team_status *st)
{
	struct snic_admin_cpl cpl;
	int rc = admin(SNIC_CMD_TEAM_SET, c, sizeof(*c), &cpl);
	if (rc == SNIC_OK && st) {
		assert_int_equal(cpl.len, sizeof(*st));
		memcpy(st, cpl.payload, sizeof(*st));
	}
	return rc;
}

static inline struct snic_team_status team_query(uint8_t b)
{
	struct snic_team_set c;
	struct snic_team_status st;
	memset(&c, 0, sizeof(c));
	c.op = SNIC_TEAM_OP_QUERY;
	c.bond = b;
	assert_int_equal(team_cmd(&c, &st), SNIC_OK);
	return st;
}

static inline int team_simple_op(uint8_t op, uint8_t b)
{
	struct snic_team_set c;
	memset(&c, 0, sizeof(c));
	c.op = op;
	c.bond = b;
	return team_cmd(&c, NULL);
}

/* IPv4 + UDP (proto 17) or TCP (6) frame of `len` bytes (>= 60). */
static inline uint32_t make_l4(uint8_t *f, const uint8_t dmac[6], const uint8_t smac[6],
			       const uint8_t sip[4], const uint8_t dip[4], uint8_t proto,
			       uint16_t sport, uint16_t dport, uint32_t len)
{
	memset(f, 0, len);
	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	f[12] = 0x08;
	uint8_t *ip = f + 14;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((len - 14) >> 8);
	ip[3] = (uint8_t)(len - 14);
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, sip, 4);
	memcpy(ip + 16, dip, 4);
	uint8_t *l4 = ip + 20;
	l4[0] = (uint8_t)(sport >> 8);
	l4[1] = (uint8_t)sport;
	l4[2] = (uint8_t)(dport >> 8);
	l4[3] = (uint8_t)dport;
	return len;
}

static inline uint16_t ethertype_of(const struct fake_tx *t)
{
	return (uint16_t)(t->data[12] << 8 | t->data[13]);
}

/* Frames sent since index `from` on `port` with EtherType `type` (0: any). */
static inline unsigned sent_on(unsigned from, uint8_t port, uint16_t type)
{
	unsigned n = 0;
	for (unsigned i = from; i < fake->n_tx; i++)
		if (fake->tx[i].port == port && (!type || ethertype_of(&fake->tx[i]) == type))
			n++;
	return n;
}

static inline unsigned sent_type(unsigned from, uint16_t type)
{
	unsigned n = 0;
	for (unsigned i = from; i < fake->n_tx; i++)
		n += ethertype_of(&fake->tx[i]) == type;
	return n;
}

#endif
