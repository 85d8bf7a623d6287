/* SPDX-License-Identifier: MIT */
/* Teaming: bond configuration rules, failover order, detection, failback. */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "core/team.h"
#include "team_helpers.h"

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t MAC_X[6] = { 0x02, 0, 0, 0, 0, 0x99 };
static const uint8_t M01[2] = { 0, 1 }, M12[2] = { 1, 2 }, M012[3] = { 0, 1, 2 };
static const uint8_t AS[2] = { SNIC_TEAM_ACTIVE, SNIC_TEAM_STANDBY };
static uint8_t frame[2048];

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static void boot_ports(void)
{
	boot("large");
	for (uint8_t p = 0; p < 4; p++)
		assert_int_equal(port_set(p, 1), SNIC_OK);
}

/* Queue n frames of VNIC `info` and run one poll. */
static void send_n(const struct snic_vnic_info *info, const uint8_t *mac, unsigned n)
{
	uint32_t len = make_eth(frame, MAC_X, mac, SNIC_VLAN_NONE, 0x88b6, 100);
	for (unsigned i = 0; i < n; i++)
		tx_queue(info->tx_ring, frame, len);
	fw_poll(tfw);
}

static void test_vnic_attachment_rules(void **state)
{
	(void)state;
	boot_ports();
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_PORT_ID, 2, M01, AS);
	assert_int_equal(team_cmd(&c, NULL), SNIC_OK);
	/* A bonded uplink is reachable only through its bond. */
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, NULL), SNIC_E_BUSY);
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 1, NULL), SNIC_E_BUSY);
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, BOND(1), NULL),
			 SNIC_E_NOENT);
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, BOND(4), NULL),
			 SNIC_E_RANGE);
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 4, NULL), SNIC_E_RANGE);
	assert_int_equal(vnic_create(5, MAC_A, SNIC_VLAN_NONE, 0, BOND(0), NULL), SNIC_OK);
	assert_int_equal(vnic_create(6, MAC_B, SNIC_VLAN_NONE, 0, 2, NULL), SNIC_OK);
	struct snic_team_status st = team_query(0);
	assert_int_equal(st.vnics, 1);
	assert_int_equal(st.n_members, 2);
	assert_int_equal(st.member[0].uplink, 0);
	assert_int_equal(st.member[0].role, SNIC_TEAM_ACTIVE);
	assert_int_equal(st.member[1].role, SNIC_TEAM_STANDBY);
	assert_int_equal(st.in_use, 0x1);
}

static void test_membership_rules(void **state)
{
	(void)state;
	boot_ports();
	assert_int_equal(vnic_create(1, MAC_A, SNIC_VLAN_NONE, 0, 2, NULL), SNIC_OK);
	/* Uplink 2 is used unbonded by a live VNIC: it cannot join a bond. */
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_PORT_ID, 2, M12, NULL);
	assert_int_equal(team_cmd(&c, NULL), SNIC_E_BUSY);
	c = bond_cfg(0, SNIC_TEAM_PORT_ID, 2, M01, NULL);
	assert_int_equal(team_cmd(&c, NULL), SNIC_OK);
	/* Uplink 1 is in bond 0 already: not in a second bond. */
	c = bond_cfg(1, SNIC_TEAM_PORT_ID, 1, &M12[0], NULL);
	assert_int_equal(team_cmd(&c, NULL), SNIC_E_BUSY);
	/* Without VNICs, bond 0's members may change. */
	c = bond_cfg(0, SNIC_TEAM_PORT_ID, 1, M01, NULL);
	assert_int_equal(team_cmd(&c, NULL), SNIC_OK);
	c = bond_cfg(1, SNIC_TEAM_PORT_ID, 1, &M12[0], NULL); /* uplink 1 is free again */
	assert_int_equal(team_cmd(&c, NULL), SNIC_OK);
	c = bond_cfg(0, SNIC_TEAM_PORT_ID, 1, M01, NULL);
	assert_int_equal(vnic_create(2, MAC_B, SNIC_VLAN_NONE, 0, BOND(0), NULL), SNIC_OK);
	/* Bond 0 now has a live VNIC: no member may join or leave... */
	struct snic_team_set grow = bond_cfg(0, SNIC_TEAM_PORT_ID, 2, (const uint8_t[]){ 0, 3 }, NULL);
	assert_int_equal(team_cmd(&grow, NULL), SNIC_E_BUSY);
	assert_int_equal(team_simple_op(SNIC_TEAM_OP_DEL, 0), SNIC_E_BUSY);
	/* ...but policy, roles and timers may change live. */
	c.policy = SNIC_TEAM_L34;
	c.downdelay_us = 100;
	assert_int_equal(team_cmd(&c, NULL), SNIC_OK);
	assert_int_equal(team_query(0).policy, SNIC_TEAM_L34);
	struct snic_vnic_ref r = { 2, 0 };
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &r, sizeof(r), NULL), SNIC_OK);
	assert_int_equal(team_simple_op(SNIC_TEAM_OP_DEL, 0), SNIC_OK);
	assert_int_equal(team_simple_op(SNIC_TEAM_OP_DEL, 0), SNIC_E_NOENT);
	assert_int_equal(team_simple_op(SNIC_TEAM_OP_QUERY, 0), SNIC_E_NOENT);
	/* Its uplink is unbonded again. */
	assert_int_equal(vnic_create(3, MAC_B, SNIC_VLAN_NONE, 0, 0, NULL), SNIC_OK);
}

/* Every malformed TEAM_SET is refused and changes nothing. */
static void test_validation(void **state)
{
	(void)state;
	boot_ports();
	struct snic_team_set ok = bond_cfg(0, SNIC_TEAM_PORT_ID, 2, M01, AS);
	assert_int_equal(team_cmd(&ok, NULL), SNIC_OK);
	struct snic_team_status before = team_query(0);
	struct snapshot snap;
	snap_take(&snap);

	struct { struct snic_team_set c; int want; } bad[40];
	unsigned n = 0;
#define BAD(expr, st) do { struct snic_team_set c = bond_cfg(1, SNIC_TEAM_L3, 2, \
	(const uint8_t[]){ 2, 3 }, NULL); expr; bad[n].c = c; bad[n++].want = st; } while (0)
	BAD(c.op = 0, SNIC_E_INVAL);
	BAD(c.op = 6, SNIC_E_INVAL);
	BAD(c.bond = 4, SNIC_E_RANGE);
	BAD(c.policy = SNIC_TEAM_POLICIES, SNIC_E_RANGE);
	BAD(c.n_members = 0, SNIC_E_RANGE);
	BAD(c.n_members = 5, SNIC_E_RANGE);
	BAD(c.member[1] = 4, SNIC_E_RANGE);
	BAD(c.member[1] = 2, SNIC_E_INVAL);                 /* twice */
	BAD(c.member[2] = 1, SNIC_E_INVAL);                 /* beyond n_members */
	BAD(c.role[3] = 1, SNIC_E_INVAL);
	BAD(c.role[0] = 3, SNIC_E_RANGE);
	BAD((c.role[0] = SNIC_TEAM_UNUSED, c.role[1] = SNIC_TEAM_UNUSED), SNIC_E_INVAL);
	BAD(c.detect = 4, SNIC_E_INVAL);
	BAD(c.failback = 3, SNIC_E_RANGE);
	BAD(c.notify = 4, SNIC_E_INVAL);
	BAD(c.notify = SNIC_TEAM_NOTIFY_RARP, SNIC_E_RANGE); /* count 0 */
	BAD((c.notify = 1, c.notify_count = 17), SNIC_E_RANGE);
	BAD((c.notify = 1, c.notify_count = 1, c.notify_gap_us = 1000001), SNIC_E_RANGE);
	BAD(c.notify_count = 1, SNIC_E_INVAL);               /* without notify */
	BAD(c.detect = SNIC_TEAM_DETECT_BEACON, SNIC_E_RANGE); /* no interval */
	BAD((c.detect = SNIC_TEAM_DETECT_BEACON, c.beacon_us = 9, c.beacon_misses = 3), SNIC_E_RANGE);
	BAD((c.detect = SNIC_TEAM_DETECT_BEACON, c.beacon_us = 1000, c.beacon_misses = 17), SNIC_E_RANGE);
	BAD(c.beacon_us = 1000, SNIC_E_INVAL);               /* without beacon detection */
	BAD(c.updelay_us = 60000001, SNIC_E_RANGE);
	BAD(c.holddown_us = 5, SNIC_E_INVAL);                /* failback is not HOLDDOWN */
	BAD((c.failback = SNIC_TEAM_FAILBACK_HOLDDOWN, c.holddown_us = 60000001), SNIC_E_RANGE);
	BAD(c.prio_high = 1, SNIC_E_INVAL);                  /* policy is not PRIORITY */
	BAD(c.prio = 1, SNIC_E_INVAL);                       /* OP_PRIO field */
	BAD(c.vnic = 1, SNIC_E_INVAL);
	BAD(c.rsvd0 = 1, SNIC_E_INVAL);
	BAD(c.rsvd2[3] = 1, SNIC_E_INVAL);
	BAD((c.op = SNIC_TEAM_OP_QUERY, c.bond = 0), SNIC_E_INVAL); /* SET fields on QUERY */
	BAD((c.op = SNIC_TEAM_OP_DEL, c.bond = 0), SNIC_E_INVAL);
	BAD((c.op = SNIC_TEAM_OP_PRIO, c.bond = 0, c.policy = 0, c.n_members = 0,
	     c.member[0] = c.member[1] = 0, c.role[0] = c.role[1] = 0, c.vnic = 99), SNIC_E_NOENT);
	BAD(c.member[0] = 0, SNIC_E_BUSY);                   /* uplink 0 is in bond 0 */
#undef BAD
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(team_cmd(&bad[i].c, NULL), bad[i].want);
	}
	assert_true(snap_same(&snap));
	snap_free(&snap);
	struct snic_team_status after = team_query(0);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_int_equal(team_simple_op(SNIC_TEAM_OP_QUERY, 1), SNIC_E_NOENT);
	assert_int_equal(team_simple_op(SNIC_TEAM_OP_FAILBACK, 3), SNIC_E_NOENT);
}

static void test_failover_to_standby_and_back(void **state)
{
	(void)state;
	boot_ports();
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_PORT_ID, 2, M01, AS);
	c.notify = SNIC_TEAM_NOTIFY_RARP;
	c.notify_count = 1;
	assert_int_equal(team_cmd(&c, NULL), SNIC_OK);
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, BOND(0), &a), SNIC_OK);
	send_n(&a, MAC_A, 2);
	assert_int_equal(fake->n_tx, 2);
	assert_int_equal(sent_on(0, 0, 0), 2);

	/* Carrier lost with three frames queued: all three leave on the
	 * standby, announced first by a RARP from the VNIC's MAC. */
	unsigned mark = fake->n_tx;
	fake->no_carrier[0] = 1;
	fake->now_ns += 1000;
	send_n(&a, MAC_A, 3);
	assert_int_equal(fake->n_tx - mark, 4);
	assert_int_equal(fake->tx[mark].port, 1);
	assert_int_equal(ethertype_of(&fake->tx[mark]), 0x8035);
	assert_memory_equal(fake->tx[mark].data + 6, MAC_A, 6);
	assert_int_equal(sent_on(mark, 1, 0x88b6), 3);
	assert_int_equal(txq(a.tx_ring)->desc_cons, 5);
	struct snic_team_status st = team_query(0);
	assert_int_equal(st.failovers, 1);
	assert_int_equal(st.in_use, 0x2);
	assert_int_equal(st.member[0].state, SNIC_TEAM_ST_DOWN);
	assert_int_equal(st.member[0].reason, SNIC_TEAM_WHY_LINK);
	assert_int_equal(st.member[0].failures, 1);
	assert_int_equal(st.member[0].since_ns, fake->now_ns);
	assert_int_equal(st.last_change_ns, fake->now_ns);
	assert_int_equal(st.notify_sent, 1);

	/* Immediate failback when the carrier returns. */
	mark = fake->n_tx;
	fake->no_carrier[0] = 0;
	send_n(&a, MAC_A, 1);
	assert_int_equal(fake->tx[mark].port, 0);
	assert_int_equal(ethertype_of(&fake->tx[mark]), 0x8035);
	assert_int_equal(sent_on(mark, 0, 0x88b6), 1);
	st = team_query(0);
	assert_int_equal(st.failbacks, 1);
	assert_int_equal(st.in_use, 0x1);
}

static void test_all_members_down_holds(void **state)
{
	(void)state;
	boot_ports();
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_PORT_ID, 2, M01, NULL);
	assert_int_equal(team_cmd(&c, NULL), SNIC_OK);
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, BOND(0), &a), SNIC_OK);
	fake->no_carrier[0] = fake->no_carrier[1] = 1;
	send_n(&a, MAC_A, 4);
	fw_poll(tfw);
	/* Nothing sent, nothing dropped: the frames wait in the ring. */
	assert_int_equal(fake->n_tx, 0);
	assert_int_equal(txq(a.tx_ring)->desc_cons, 0);
	assert_int_equal(stats()->drops[SNIC_DROP_PORT_DOWN], 0);
	assert_true(team_query(0).held >= 1);
	fake->no_carrier[1] = 0;
	fw_poll(tfw);
	assert_int_equal(sent_on(0, 1, 0x88b6), 4);
	assert_int_equal(txq(a.tx_ring)->desc_cons, 4);
	/* An administratively downed member fails over like a dead link. */
	fake->no_carrier[0] = 0;
	fw_poll(tfw);
	assert_int_equal(port_set(1, 0), SNIC_OK);
	unsigned mark = fake->n_tx;
	send_n(&a, MAC_A, 1);
	assert_int_equal(sent_on(mark, 0, 0x88b6), 1);
	struct snic_team_status st = team_query(0);
	assert_int_equal(st.member[1].reason, SNIC_TEAM_WHY_ADMIN);
}

static void test_down_and_up_delays(void **state)
{
	(void)state;
	boot_ports();
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_PORT_ID, 2, M01, AS);
	c.downdelay_us = 50;
	c.updelay_us = 200;
	assert_int_equal(team_cmd(&c, NULL), SNIC_OK);
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, BOND(0), &a), SNIC_OK);
	uint64_t t0 = fake->now_ns;
	fake->no_carrier[0] = 1;
	send_n(&a, MAC_A, 1);
	assert_int_equal(fake->tx[0].port, 0);          /* inside the down delay */
	assert_int_equal(team_query(0).member[0].state, SNIC_TEAM_ST_GOING_DOWN);
	fake->now_ns = t0 + 49999;
	send_n(&a, MAC_A, 1);
	assert_int_equal(fake->tx[1].port, 0);
	fake->now_ns = t0 + 50000;
	send_n(&a, MAC_A, 1);
	assert_int_equal(fake->tx[2].port, 1);          /* the delay ran out */

	/* A flap shorter than the up delay does not bring it back. */
	uint64_t t1 = fake->now_ns;
	fake->no_carrier[0] = 0;
	send_n(&a, MAC_A, 1);
	assert_int_equal(team_query(0).member[0].state, SNIC_TEAM_ST_GOING_UP);
	fake->now_ns = t1 + 100000;
	fake->no_carrier[0] = 1;
	send_n(&a, MAC_A, 1);
	fake->now_ns = t1 + 150000;
	fake->no_carrier[0] = 0;
	send_n(&a, MAC_A, 1);
	fake->now_ns = t1 + 300000;                     /* 150 us after the last up */
	send_n(&a, MAC_A, 1);
	assert_int_equal(fake->tx[fake->n_tx - 1].port, 1);
	fake->now_ns = t1 + 350000;
	send_n(&a, MAC_A, 1);
	assert_int_equal(fake->tx[fake->n_tx - 1].port, 0);
	assert_int_equal(team_query(0).failbacks, 1);
	/* The next deadline is reported for the simulator's clock. */
	fake->no_carrier[0] = 1;
	fw_poll(tfw);
	assert_int_equal(fw_team_next_ns(tfw), fake->now_ns + 50000);
}

static void test_failback_holddown_and_manual(void **state)
{
	(void)state;
	boot_ports();
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_PORT_ID, 2, M01, AS);
	c.failback = SNIC_TEAM_FAILBACK_HOLDDOWN;
	c.holddown_us = 1000;
	assert_int_equal(team_cmd(&c, NULL), SNIC_OK);
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, BOND(0), &a), SNIC_OK);
	fake->no_carrier[0] = 1;
	send_n(&a, MAC_A, 1);
	assert_int_equal(fake->tx[0].port, 1);
	uint64_t up = fake->now_ns + 5000;
	fake->now_ns = up;
	fake->no_carrier[0] = 0;
	send_n(&a, MAC_A, 1);
	assert_int_equal(fake->tx[1].port, 1);                /* held down */
	assert_int_equal(team_query(0).member[0].state, SNIC_TEAM_ST_WAIT);
	fake->now_ns = up + 999999;
	send_n(&a, MAC_A, 1);
	assert_int_equal(fake->tx[2].port, 1);
	fake->now_ns = up + 1000000;
	send_n(&a, MAC_A, 1);
	assert_int_equal(fake->tx[3].port, 0);

	/* Manual: the recovered member waits for the command... */
	c.failback = SNIC_TEAM_FAILBACK_MANUAL;
	c.holddown_us = 0;
	assert_int_equal(team_cmd(&c, NULL), SNIC_OK);
	fake->no_carrier[0] = 1;
	send_n(&a, MAC_A, 1);
	fake->no_carrier[0] = 0;
	fake->now_ns += 10000000;
	send_n(&a, MAC_A, 1);
	assert_int_equal(fake->tx[fake->n_tx - 1].port, 1);
	assert_int_equal(team_simple_op(SNIC_TEAM_OP_FAILBACK, 0), SNIC_OK);
	send_n(&a, MAC_A, 1);
	assert_int_equal(fake->tx[fake->n_tx - 1].port, 0);
	/* ...unless nothing else can carry: then it is used at once. */
	fake->no_carrier[0] = 1;
	send_n(&a, MAC_A, 1);
	fake->no_carrier[1] = 1;
	fake->no_carrier[0] = 0;
	send_n(&a, MAC_A, 1);
	assert_int_equal(fake->tx[fake->n_tx - 1].port, 0);
}

static void test_tx_refusal(void **state)
{
	(void)state;
	boot_ports();
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_PORT_ID, 2, M01, AS);
	c.detect = SNIC_TEAM_DETECT_TXRES;
	c.txres_rest_us = 20;
	assert_int_equal(team_cmd(&c, NULL), SNIC_OK);
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, BOND(0), &a), SNIC_OK);
	fake->tx_refuse[0] = 1;
	send_n(&a, MAC_A, 3);
	/* The refused frame was retried on the standby in the same poll. */
	assert_int_equal(sent_on(0, 1, 0x88b6), 3);
	struct snic_team_status st = team_query(0);
	assert_int_equal(st.member[0].reason, SNIC_TEAM_WHY_TXRES);
	assert_int_equal(st.member[0].tx_refused, 1);
	fake->tx_refuse[0] = 0;
	fake->now_ns += 19999;
	send_n(&a, MAC_A, 1);
	assert_int_equal(fake->tx[fake->n_tx - 1].port, 1);  /* still resting */
	fake->now_ns += 1;
	send_n(&a, MAC_A, 1);
	assert_int_equal(fake->tx[fake->n_tx - 1].port, 0);  /* back, no failback wait */

	/* An uplink that keeps refusing is probed ever less often: rests of
	 * 20, 40, 80 us (one refused attempt each), never losing a frame. */
	fake->tx_refuse[0] = 1;
	uint64_t t = fake->now_ns;
	unsigned refused0 = team_query(0).member[0].tx_refused;
	send_n(&a, MAC_A, 1);                              /* refused: rest 20 */
	static const uint64_t probe[] = { 20000, 60000, 140000 };
	for (unsigned i = 0; i < 3; i++) {
		fake->now_ns = t + probe[i] - 1;
		send_n(&a, MAC_A, 1);
		assert_int_equal(team_query(0).member[0].tx_refused, refused0 + 1 + i);
		fake->now_ns = t + probe[i];
		send_n(&a, MAC_A, 1);                      /* probed and refused */
		assert_int_equal(team_query(0).member[0].tx_refused, refused0 + 2 + i);
		assert_int_equal(fake->tx[fake->n_tx - 1].port, 1);
	}
	fake->tx_refuse[0] = 0;
	fake->now_ns = t + 300000;
	send_n(&a, MAC_A, 1);
	assert_int_equal(fake->tx[fake->n_tx - 1].port, 0);
	assert_int_equal(txq(a.tx_ring)->desc_cons, txq(a.tx_ring)->desc_prod);

	/* Without TXRES detection the frame waits for its own uplink. */
	c.detect = 0;
	c.txres_rest_us = 0;
	assert_int_equal(team_cmd(&c, NULL), SNIC_OK);
	fake->tx_refuse[0] = 1;
	unsigned mark = fake->n_tx;
	send_n(&a, MAC_A, 2);
	assert_int_equal(fake->n_tx, mark);
	fake->tx_refuse[0] = 0;
	fw_poll(tfw);
	assert_int_equal(sent_on(mark, 0, 0x88b6), 2);
}

static void test_standby_fills_the_failed_slot(void **state)
{
	(void)state;
	boot_ports();
	/* Actives 0 and 1, standby 2: VNICs keep their slot. */
	const uint8_t m[3] = { 0, 1, 2 };
	const uint8_t r[3] = { SNIC_TEAM_ACTIVE, SNIC_TEAM_ACTIVE, SNIC_TEAM_STANDBY };
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_PORT_ID, 3, m, r);
	assert_int_equal(team_cmd(&c, NULL), SNIC_OK);
	struct snic_vnic_info v[4];
	uint8_t mac[4][6];
	for (unsigned i = 0; i < 4; i++) {
		memcpy(mac[i], MAC_A, 6);
		mac[i][5] = (uint8_t)(0x40 + i);
		assert_int_equal(vnic_create((uint16_t)i, mac[i], SNIC_VLAN_NONE, 0, BOND(0), &v[i]),
				 SNIC_OK);
	}
	for (unsigned i = 0; i < 4; i++)
		send_n(&v[i], mac[i], 1);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(fake->tx[i].port, i % 2);    /* VNIC i on slot i % 2 */
	/* Two actives carry: twice the line rate; a standby adds nothing. */
	assert_int_equal(fw_team_capacity_mbps(tfw, BOND(0)), 2 * 100000);
	fake->no_carrier[1] = 1;
	unsigned mark = fake->n_tx;
	for (unsigned i = 0; i < 4; i++)
		send_n(&v[i], mac[i], 1);
	assert_int_equal(fw_team_capacity_mbps(tfw, BOND(0)), 2 * 100000); /* standby took over */
	assert_int_equal(fake->tx[mark + 0].port, 0);
	assert_int_equal(fake->tx[mark + 1].port, 2);     /* the standby took slot 1 */
	assert_int_equal(fake->tx[mark + 2].port, 0);
	assert_int_equal(fake->tx[mark + 3].port, 2);
	/* Without a standby the failed slot's VNICs spread over the rest. */
	fake->no_carrier[2] = 1;
	mark = fake->n_tx;
	for (unsigned i = 0; i < 4; i++)
		send_n(&v[i], mac[i], 1);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(fake->tx[mark + i].port, 0);
	/* The surviving capacity is what allocations must now share. */
	assert_int_equal(fw_team_capacity_mbps(tfw, BOND(0)), 100000);
	assert_int_equal(fw_team_capacity_mbps(tfw, 3), 100000);
	fake->no_carrier[3] = 1;
	fw_poll(tfw);
	assert_int_equal(fw_team_capacity_mbps(tfw, 3), 0);
	(void)M012;
}

/* Every bond's status, or zeros for bonds that do not exist. */
static void all_status(struct snic_team_status st[SNIC_MAX_BONDS])
{
	memset(st, 0, SNIC_MAX_BONDS * sizeof(*st));
	for (uint8_t b = 0; b < SNIC_MAX_BONDS; b++) {
		struct snic_team_set q;
		memset(&q, 0, sizeof(q));
		q.op = SNIC_TEAM_OP_QUERY;
		q.bond = b;
		team_cmd(&q, &st[b]);
	}
}

/* Random TEAM_SET payloads: a refusal changes nothing; whatever is
 * accepted keeps the rules (an uplink in one bond at most, and the bond of
 * a live VNIC never changes members). */
static void test_fuzz(void **state)
{
	(void)state;
	boot_ports();
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_L34, 2, M01, NULL);
	assert_int_equal(team_cmd(&c, NULL), SNIC_OK);
	assert_int_equal(vnic_create(1, MAC_A, SNIC_VLAN_NONE, 0, BOND(0), NULL), SNIC_OK);
	assert_int_equal(vnic_create(2, MAC_B, SNIC_VLAN_NONE, 0, 3, NULL), SNIC_OK);
	srand(4242);
	unsigned ok = 0, refused = 0;
	for (int it = 0; it < 3000; it++) {
		uint8_t p[sizeof(struct snic_team_set)];
		for (unsigned i = 0; i < sizeof(p); i++)
			p[i] = (uint8_t)rand();
		struct snic_team_set *t = (struct snic_team_set *)p;
		if (rand() % 4) { /* mostly near-valid, so some are accepted */
			uint8_t perm[4] = { 0, 1, 2, 3 };
			for (unsigned i = 3; i > 0; i--) {
				unsigned j = (unsigned)rand() % (i + 1);
				uint8_t x = perm[i];
				perm[i] = perm[j];
				perm[j] = x;
			}
			struct snic_team_set base = bond_cfg((uint8_t)(rand() % 5), (uint8_t)(rand() % 9),
				(unsigned)(rand() % 4), perm, NULL);
			base.op = (uint8_t)(rand() % 2 ? SNIC_TEAM_OP_SET : rand() % 6);
			if (rand() % 2)
				base.detect = (uint8_t)(rand() % 4);
			if (base.detect & SNIC_TEAM_DETECT_BEACON) {
				base.beacon_us = (uint32_t)(rand() % 3000);
				base.beacon_misses = (uint8_t)(rand() % 4);
			}
			if (rand() % 3 == 0)
				base.rsvd2[rand() % 4] = 1;
			*t = base;
		}
		struct snic_team_status before[SNIC_MAX_BONDS], after[SNIC_MAX_BONDS];
		all_status(before);
		struct snapshot snap;
		snap_take(&snap);
		int st = team_cmd(t, NULL);
		all_status(after);
		if (st != SNIC_OK) {
			refused++;
			assert_true(snap_same(&snap));
			assert_memory_equal(before, after, sizeof(before));
		} else {
			ok++;
		}
		snap_free(&snap);
		/* The invariants, whatever happened. */
		uint8_t seen = 0;
		for (unsigned b = 0; b < SNIC_MAX_BONDS; b++)
			for (unsigned m = 0; m < after[b].n_members; m++) {
				uint8_t bit = (uint8_t)(1u << after[b].member[m].uplink);
				assert_false(seen & bit);
				seen |= bit;
			}
		assert_false(seen & (1u << 3));            /* VNIC 2 uses uplink 3 */
		/* VNIC 1 uses bond 0: its members stay {0, 1} (their order, the
		 * failover order, may change). */
		assert_int_equal(after[0].n_members, 2);
		assert_int_equal((1u << after[0].member[0].uplink) | (1u << after[0].member[1].uplink),
				 0x3);
	}
	print_message("# fuzz: %u accepted, %u refused\n", ok, refused);
	assert_true(refused > 1000);
	assert_true(ok > 10);
}

static void test_reset_drops_bonds(void **state)
{
	(void)state;
	boot_ports();
	struct snic_team_set c = bond_cfg(2, SNIC_TEAM_L2, 2, M01, NULL);
	assert_int_equal(team_cmd(&c, NULL), SNIC_OK);
	assert_int_equal(admin(SNIC_CMD_RESET, NULL, 0, NULL), SNIC_OK);
	assert_int_equal(team_simple_op(SNIC_TEAM_OP_QUERY, 2), SNIC_E_NOENT);
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, 0, NULL), SNIC_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_vnic_attachment_rules, teardown),
		cmocka_unit_test_teardown(test_membership_rules, teardown),
		cmocka_unit_test_teardown(test_validation, teardown),
		cmocka_unit_test_teardown(test_failover_to_standby_and_back, teardown),
		cmocka_unit_test_teardown(test_all_members_down_holds, teardown),
		cmocka_unit_test_teardown(test_down_and_up_delays, teardown),
		cmocka_unit_test_teardown(test_failback_holddown_and_manual, teardown),
		cmocka_unit_test_teardown(test_tx_refusal, teardown),
		cmocka_unit_test_teardown(test_standby_fills_the_failed_slot, teardown),
		cmocka_unit_test_teardown(test_fuzz, teardown),
		cmocka_unit_test_teardown(test_reset_drops_bonds, teardown),
	};
	return cmocka_run_group_tests_name("tfw->team", tests, NULL, NULL);
}
