/* SPDX-License-Identifier: MIT */
/* Teaming: transmit policies, flow affinity, switch notification, beacons. */
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
static const uint8_t IP_A[4] = { 10, 0, 0, 1 }, IP_X[4] = { 10, 0, 9, 9 };
static const uint8_t M01[2] = { 0, 1 }, M012[3] = { 0, 1, 2 };
static uint8_t frame[2048];

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static struct snic_vnic_info bond_with_vnic(struct snic_team_set *c)
{
	boot("large");
	for (uint8_t p = 0; p < 4; p++)
		assert_int_equal(port_set(p, 1), SNIC_OK);
	assert_int_equal(team_cmd(c, NULL), SNIC_OK);
	struct snic_vnic_info a;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_A, SNIC_VLAN_NONE, 0, BOND(c->bond), &a),
			 SNIC_OK);
	return a;
}

/* Send one UDP frame of flow `sport` now; returns the uplink it left on. */
static int send_flow(const struct snic_vnic_info *a, uint16_t sport, uint32_t len)
{
	make_l4(frame, MAC_X, MAC_A, IP_A, IP_X, 17, sport, 80, len);
	unsigned mark = fake->n_tx;
	tx_queue(a->tx_ring, frame, len);
	fw_poll(tfw);
	if (fake->n_tx != mark + 1)
		return -1;
	int port = fake->tx[mark].port;
	fake->n_tx = mark; /* keep the fake's record from filling up */
	return port;
}

static void test_l34_split_and_affinity(void **state)
{
	(void)state;
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_L34, 2, M01, NULL);
	struct snic_vnic_info a = bond_with_vnic(&c);
	int port[400];
	unsigned on1 = 0;
	for (unsigned i = 0; i < 400; i++) {
		port[i] = send_flow(&a, (uint16_t)(1000 + i), 100);
		assert_true(port[i] == 0 || port[i] == 1);
		on1 += port[i] == 1;
		fake->now_ns += 1000;
	}
	/* An even split of the hash range: binomial(400, 1/2) is within
	 * 200 +- 50 with overwhelming probability for a decent hash. */
	assert_in_range(on1, 150, 250);
	for (unsigned i = 0; i < 400; i++)
		assert_int_equal(send_flow(&a, (uint16_t)(1000 + i), 100), port[i]);
	/* Uplink 1 fails: every flow continues on 0. */
	fake->no_carrier[1] = 1;
	for (unsigned i = 0; i < 400; i += 7)
		assert_int_equal(send_flow(&a, (uint16_t)(1000 + i), 100), 0);
	/* It returns; idle flows go back to where the split puts them. */
	fake->no_carrier[1] = 0;
	fake->now_ns += 1000000;
	for (unsigned i = 0; i < 400; i += 7)
		assert_int_equal(send_flow(&a, (uint16_t)(1000 + i), 100), port[i]);
	/* Non-IP frames fall back to the L2 hash: all of one pair stay put. */
	uint32_t len = make_eth(frame, MAC_X, MAC_A, SNIC_VLAN_NONE, 0x88b6, 100);
	for (unsigned i = 0; i < 8; i++)
		tx_queue(a.tx_ring, frame, len);
	unsigned mark = fake->n_tx;
	fw_poll(tfw);
	assert_int_equal(fake->n_tx - mark, 8);
	assert_true(sent_on(mark, 0, 0x88b6) == 8 || sent_on(mark, 1, 0x88b6) == 8);
}

/* A busy flow does not move to a recovered member until its frames have
 * left the old one: 20 frames of 1500 bytes at 100 Gb/s take 20 * 122 ns. */
static void test_busy_flow_waits_for_its_queue(void **state)
{
	(void)state;
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_L34, 2, M01, NULL);
	struct snic_vnic_info a = bond_with_vnic(&c);
	uint16_t f1 = 0;
	for (uint16_t sp = 2000; sp < 2100 && !f1; sp++)
		if (send_flow(&a, sp, 100) == 1)
			f1 = sp;
	assert_true(f1 != 0);
	fake->now_ns += 1000000;
	fake->no_carrier[1] = 1;
	make_l4(frame, MAC_X, MAC_A, IP_A, IP_X, 17, f1, 80, 1500);
	for (unsigned i = 0; i < 20; i++)
		tx_queue(a.tx_ring, frame, 1500);
	unsigned mark = fake->n_tx;
	uint64_t t0 = fake->now_ns;
	fw_poll(tfw);
	assert_int_equal(sent_on(mark, 0, 0x0800), 20);
	fake->n_tx = mark;
	fake->no_carrier[1] = 0;
	fw_poll(tfw);                                   /* member 1 is back */
	assert_int_equal(send_flow(&a, f1, 1500), 0); /* queued behind the burst */
	uint64_t wire = ((1500 + 24) * 8 * 1000 + 99999) / 100000; /* 122 ns */
	assert_int_equal(wire, 122);
	fake->now_ns = t0 + 21 * wire - 1;            /* 20 + the one just sent */
	assert_int_equal(send_flow(&a, f1, 1500), 0);
	fake->now_ns = t0 + 22 * wire;
	assert_int_equal(send_flow(&a, f1, 1500), 1);
}

static void test_least_loaded(void **state)
{
	(void)state;
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_LOAD, 2, M01, NULL);
	struct snic_vnic_info a = bond_with_vnic(&c);
	/* A burst of one flow loads one uplink; other new flows pick the other. */
	make_l4(frame, MAC_X, MAC_A, IP_A, IP_X, 17, 5000, 80, 1500);
	for (unsigned i = 0; i < 10; i++)
		tx_queue(a.tx_ring, frame, 1500);
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 10);
	int busy = fake->tx[0].port;
	for (unsigned i = 1; i < 10; i++)
		assert_int_equal(fake->tx[i].port, busy); /* one flow, one uplink */
	fake->n_tx = 0;
	for (uint16_t sp = 6000; sp < 6005; sp++)
		assert_int_equal(send_flow(&a, sp, 64), !busy);
	/* Once everything has drained both are equally idle: the first wins. */
	fake->now_ns += 1000000;
	assert_int_equal(send_flow(&a, 7000, 64), 0);
}

static void test_ip_rr(void **state)
{
	(void)state;
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_IP_RR, 2, M01, NULL);
	struct snic_vnic_info a = bond_with_vnic(&c);
	uint32_t len = make_eth(frame, MAC_X, MAC_A, SNIC_VLAN_NONE, 0x88b6, 100);
	for (unsigned i = 0; i < 6; i++)
		tx_queue(a.tx_ring, frame, len);
	fw_poll(tfw);
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(fake->tx[i].port, i % 2);    /* round robin */
	fake->n_tx = 0;
	/* IP: one destination, one uplink, whatever the ports. */
	int first = send_flow(&a, 1, 100);
	for (uint16_t sp = 2; sp < 40; sp++)
		assert_int_equal(send_flow(&a, sp, 100), first);
}

static void test_priority(void **state)
{
	(void)state;
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_PRIORITY, 3, M012, NULL);
	c.prio_high = 5;
	struct snic_vnic_info a = bond_with_vnic(&c);
	struct snic_vnic_info b;
	assert_int_equal(vnic_create(SNIC_ID_ANY, MAC_B, SNIC_VLAN_NONE, 0, BOND(0), &b), SNIC_OK);
	struct snic_team_set p;
	memset(&p, 0, sizeof(p));
	p.op = SNIC_TEAM_OP_PRIO;
	p.vnic = b.vnic;
	p.prio = 7;
	assert_int_equal(team_cmd(&p, NULL), SNIC_OK);
	/* A (priority 0) is isolated on the last member in use. */
	for (uint16_t sp = 1; sp < 30; sp++)
		assert_int_equal(send_flow(&a, sp, 100), 2);
	/* B (priority 7) spreads by load: a burst on one flow, then new flows
	 * avoid the loaded uplinks. */
	make_l4(frame, MAC_X, MAC_B, IP_A, IP_X, 17, 9, 80, 1500);
	for (unsigned i = 0; i < 10; i++)
		tx_queue(b.tx_ring, frame, 1500);
	fw_poll(tfw);
	int busy = fake->tx[0].port;
	fake->n_tx = 0;
	make_l4(frame, MAC_X, MAC_B, IP_A, IP_X, 17, 10, 80, 64);
	tx_queue(b.tx_ring, frame, 64);
	fw_poll(tfw);
	assert_true(fake->tx[0].port != busy);
	fake->n_tx = 0;
	fake->no_carrier[2] = 1;
	assert_int_equal(send_flow(&a, 1, 100), 1);      /* the last one left */
}

static void test_src_mac_per_vnic(void **state)
{
	(void)state;
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_SRC_MAC, 2, M01, NULL);
	bond_with_vnic(&c);
	unsigned used = 0;
	for (unsigned i = 0; i < 16; i++) {
		uint8_t mac[6] = { 0x02, 0x11, 0, 0, 1, (uint8_t)i };
		struct snic_vnic_info v;
		assert_int_equal(vnic_create(SNIC_ID_ANY, mac, SNIC_VLAN_NONE, 0, BOND(0), &v), SNIC_OK);
		unsigned mark = fake->n_tx;
		for (uint16_t sp = 0; sp < 5; sp++) {
			make_l4(frame, MAC_X, mac, IP_A, IP_X, 17, sp, 80, 100);
			tx_queue(v.tx_ring, frame, 100);
		}
		fw_poll(tfw);
		assert_int_equal(fake->n_tx - mark, 5);
		int p = fake->tx[mark].port;
		assert_int_equal(sent_on(mark, (uint8_t)p, 0), 5); /* one VNIC, one uplink */
		used |= 1u << p;
		fake->n_tx = mark;
	}
	assert_int_equal(used, 0x3); /* 16 MACs do not all hash to one side */
}

static void test_notify_frames(void **state)
{
	(void)state;
	boot("large");
	for (uint8_t p = 0; p < 4; p++)
		assert_int_equal(port_set(p, 1), SNIC_OK);
	const uint8_t as[2] = { SNIC_TEAM_ACTIVE, SNIC_TEAM_STANDBY };
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_PORT_ID, 2, M01, as);
	c.notify = SNIC_TEAM_NOTIFY_RARP | SNIC_TEAM_NOTIFY_GARP;
	c.notify_count = 3;
	c.notify_gap_us = 10;
	assert_int_equal(team_cmd(&c, NULL), SNIC_OK);
	struct snic_vnic_create vc;
	memset(&vc, 0, sizeof(vc));
	vc.vnic = 4;
	vc.vlan = 100;
	memcpy(vc.mac, MAC_A, 6);
	vc.uplink = BOND(0);
	vc.n_ip = 2;
	memcpy(vc.ip[0], IP_A, 4);
	memcpy(vc.ip[1], IP_X, 4);
	assert_int_equal(admin(SNIC_CMD_VNIC_CREATE, &vc, sizeof(vc), NULL), SNIC_OK);
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 0); /* nothing moved yet */

	uint64_t t0 = fake->now_ns;
	fake->no_carrier[0] = 1;
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 3);
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	for (unsigned i = 0; i < 3; i++) {
		const uint8_t *f = fake->tx[i].data;
		assert_int_equal(fake->tx[i].port, 1);
		assert_int_equal(fake->tx[i].len, 60);
		assert_memory_equal(f, bcast, 6);
		assert_memory_equal(f + 6, MAC_A, 6);
		assert_int_equal(f[12], 0x81);
		assert_int_equal(f[13], 0x00);
		assert_int_equal(((f[14] & 0x0f) << 8) | f[15], 100);
		const uint8_t *arp = f + 18;
		assert_int_equal(arp[1], 1);                  /* Ethernet */
		assert_int_equal(arp[2] << 8 | arp[3], 0x0800);
		assert_int_equal(arp[4], 6);
		assert_int_equal(arp[5], 4);
		assert_memory_equal(arp + 8, MAC_A, 6);       /* sender MAC */
	}
	/* RARP: "request reverse", target = sender, no addresses. */
	assert_int_equal(fake->tx[0].data[16] << 8 | fake->tx[0].data[17], 0x8035);
	assert_int_equal(fake->tx[0].data[18 + 7], 3);
	assert_memory_equal(fake->tx[0].data + 18 + 18, MAC_A, 6);
	/* Gratuitous ARP: request, sender = target = each address. */
	for (unsigned i = 1; i < 3; i++) {
		const uint8_t *arp = fake->tx[i].data + 18;
		const uint8_t *ip = i == 1 ? IP_A : IP_X;
		assert_int_equal(fake->tx[i].data[16] << 8 | fake->tx[i].data[17], 0x0806);
		assert_int_equal(arp[7], 1);
		assert_memory_equal(arp + 14, ip, 4);
		assert_memory_equal(arp + 24, ip, 4);
	}
	/* Repeated 10 us apart, three times in all. */
	fake->now_ns = t0 + 9999;
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 3);
	assert_int_equal(fw_team_next_ns(tfw), t0 + 10000);
	fake->now_ns = t0 + 10000;
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 6);
	fake->now_ns = t0 + 20000;
	fw_poll(tfw);
	fake->now_ns = t0 + 90000;
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, 9);
	assert_int_equal(team_query(0).notify_sent, 9);
	assert_int_equal(fw_team_next_ns(tfw), TEAM_NO_TIME);
}

/* ---- beacons: the test plays the switch, flooding each beacon to the
 * other members one microsecond later, except across cut uplinks. ---- */

static unsigned bcn_cut;       /* uplinks whose beacons vanish both ways */

static void flood_beacons(unsigned from)
{
	struct snic_match m;
	memset(&m, 0, sizeof(m));
	m.rule = SNIC_RULE_MISS;
	m.action.vnic = SNIC_VNIC_NONE;
	for (unsigned i = from; i < fake->n_tx; i++) {
		const struct fake_tx *t = &fake->tx[i];
		if (ethertype_of(t) != SNIC_BEACON_ETHERTYPE || (bcn_cut >> t->port) & 1)
			continue;
		for (uint8_t r = 0; r < fake->hw.n_uplinks; r++)
			if (r != t->port && !((bcn_cut >> r) & 1))
				fake_rx_push(t->data, t->len, r, &m);
	}
}

/* Run in 1 us steps until `until`; returns the first time member `u`
 * was out of use, 0 if it never was. */
static uint64_t run_beacons(uint64_t until, uint8_t u)
{
	uint64_t out_at = 0;
	while (fake->now_ns < until) {
		unsigned mark = fake->n_tx;
		fw_poll(tfw);
		/* The query polls too: flood what those polls send as well. */
		if (!out_at && !((team_query(0).in_use >> u) & 1))
			out_at = fake->now_ns;
		fake->now_ns += 1000;
		flood_beacons(mark);
		if (fake->n_tx > 200)
			fake->n_tx = 0;
	}
	return out_at;
}

static void test_beacon_finds_the_cut_member(void **state)
{
	(void)state;
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_PORT_ID, 3, M012, NULL);
	c.detect = SNIC_TEAM_DETECT_BEACON;
	c.beacon_us = 1000;
	c.beacon_misses = 3;
	bond_with_vnic(&c);
	bcn_cut = 0;
	uint64_t t0 = fake->now_ns;
	/* 9.5 ms healthy; stopping between two ticks, so the polls of the
	 * queries below send no beacon the test would fail to deliver. */
	assert_int_equal(run_beacons(t0 + 9500000, 2), 0);
	struct snic_team_status st = team_query(0);
	assert_int_equal(st.in_use, 0x7);
	assert_in_range(st.beacons_sent, 30, 33);        /* 3 per ms */
	assert_in_range(st.member[0].beacons_rx, 18, 22); /* 2 per ms */
	assert_int_equal(stats()->drops[SNIC_DROP_NO_MATCH], 0); /* all consumed */

	/* Uplink 2 goes silent half way between two ticks. */
	uint64_t cut = fake->now_ns + 1000000;
	run_beacons(cut, 2);
	bcn_cut = 1u << 2;
	uint64_t out = run_beacons(cut + 5000000, 2);
	assert_true(out > cut);
	/* Three intervals missed, judged a few microseconds after the tick. */
	assert_true(out - cut <= 3 * 1000000 + 10000);
	print_message("# beacon detection %llu ns after the cut\n", (unsigned long long)(out - cut));
	assert_true(out - cut >= 2 * 1000000);
	st = team_query(0);
	assert_int_equal(st.in_use, 0x3);
	assert_int_equal(st.member[2].state, SNIC_TEAM_ST_DOWN);
	assert_int_equal(st.member[2].reason, SNIC_TEAM_WHY_BEACON);
	assert_int_equal(st.member[0].state, SNIC_TEAM_ST_UP);
	assert_int_equal(st.beacon_unsure, 0);

	/* Healed: it is heard again at the next tick and rejoins. */
	bcn_cut = 0;
	run_beacons(fake->now_ns + 3000000, 2);
	assert_int_equal(team_query(0).in_use, 0x7);
}

static void test_beacon_two_members_cannot_tell(void **state)
{
	(void)state;
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_PORT_ID, 2, M01, NULL);
	c.detect = SNIC_TEAM_DETECT_BEACON;
	c.beacon_us = 1000;
	c.beacon_misses = 2;
	bond_with_vnic(&c);
	bcn_cut = 0;
	run_beacons(fake->now_ns + 5500000, 1);
	assert_int_equal(team_query(0).beacon_unsure, 0); /* both hear each other */
	assert_true(team_query(0).member[0].beacons_rx >= 4);
	bcn_cut = 1u << 1;
	assert_int_equal(run_beacons(fake->now_ns + 10000000, 1), 0);
	struct snic_team_status st = team_query(0);
	assert_int_equal(st.in_use, 0x3);      /* nobody failed over */
	assert_int_equal(st.beacon_unsure, 1); /* one episode */
	assert_int_equal(st.failovers, 0);
}

static void test_foreign_beacon_is_traffic(void **state)
{
	(void)state;
	struct snic_team_set c = bond_cfg(0, SNIC_TEAM_PORT_ID, 2, M01, NULL);
	c.detect = SNIC_TEAM_DETECT_BEACON;
	c.beacon_us = 1000;
	c.beacon_misses = 2;
	bond_with_vnic(&c);
	fw_poll(tfw);
	assert_int_equal(sent_type(0, SNIC_BEACON_ETHERTYPE), 2);
	/* A copy with another source MAC is not ours: ordinary, unmatched. */
	uint8_t f[60];
	memcpy(f, fake->tx[0].data, 60);
	f[11] ^= 0x40;
	struct snic_match m;
	memset(&m, 0, sizeof(m));
	m.rule = SNIC_RULE_MISS;
	m.action.vnic = SNIC_VNIC_NONE;
	fake_rx_push(f, 60, 1, &m);
	fw_poll(tfw);
	assert_int_equal(stats()->drops[SNIC_DROP_NO_MATCH], 1);
	/* Ours, but claiming a tick not sent yet: consumed, ignored. */
	memcpy(f, fake->tx[0].data, 60);
	f[14 + 11] = 9;
	fake_rx_push(f, 60, 1, &m);
	fw_poll(tfw);
	assert_int_equal(stats()->drops[SNIC_DROP_NO_MATCH], 1);
	assert_int_equal(team_query(0).member[1].beacons_rx, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_l34_split_and_affinity, teardown),
		cmocka_unit_test_teardown(test_busy_flow_waits_for_its_queue, teardown),
		cmocka_unit_test_teardown(test_least_loaded, teardown),
		cmocka_unit_test_teardown(test_ip_rr, teardown),
		cmocka_unit_test_teardown(test_priority, teardown),
		cmocka_unit_test_teardown(test_src_mac_per_vnic, teardown),
		cmocka_unit_test_teardown(test_notify_frames, teardown),
		cmocka_unit_test_teardown(test_beacon_finds_the_cut_member, teardown),
		cmocka_unit_test_teardown(test_beacon_two_members_cannot_tell, teardown),
		cmocka_unit_test_teardown(test_foreign_beacon_is_traffic, teardown),
	};
	return cmocka_run_group_tests_name("fw_team_tx", tests, NULL, NULL);
}
