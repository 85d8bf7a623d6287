/* SPDX-License-Identifier: MIT */
/*
 * Operator port VLANs (VNIC_PORT_VLAN, l2.h): the command's validation and
 * what it changes; on receive the device strips the tag for the VNIC
 * (dedicated and shared rings, group copies, repeated frames of one
 * steering decision) and never delivers another VLAN; on transmit it
 * inserts the tag with the PCP and refuses a tagged frame from the VM as a
 * spoof. On the exact-table ("large") and the ternary ("small") card.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "test_fw_l2.h"

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t MAC_S[6] = { 0x02, 0, 0, 0, 0, 0x5a };
static const uint8_t MAC_U[6] = { 0x02, 0, 0, 0, 0, 0x0c };
static const uint8_t PEER[6] = { 0x02, 0, 0, 0, 0, 0xee };
static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static uint8_t frame[4096], plain[4096];

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static int pvlan(uint16_t vnic, uint16_t vid, uint8_t pcp, uint8_t flags, uint16_t rsvd)
{
	struct snic_vnic_port_vlan c = { .vnic = vnic, .vid = vid, .pcp = pcp, .flags = flags,
					 .rsvd = rsvd };
	return admin(SNIC_CMD_VNIC_PORT_VLAN, &c, sizeof(c), NULL);
}

static void boot_up(const char *profile)
{
	boot(profile);
	assert_int_equal(port_set(0, 1), SNIC_OK);
	assert_int_equal(port_set(1, 1), SNIC_OK);
	rx_post(0, 32, 2048);
}

static struct snic_vnic_info mk(const uint8_t *mac, uint16_t vlan, uint16_t flags)
{
	struct snic_vnic_info vi;
	assert_int_equal(vnic_create(SNIC_ID_ANY, mac, vlan, flags, 0, &vi), SNIC_OK);
	if (vi.rx_ring)
		rx_post(vi.rx_ring, 16, 2048);
	return vi;
}

/* The bytes of a completion on `ring`. */
static const uint8_t *cpl_data(unsigned ring, const struct snic_rx_cpl *c)
{
	const struct snic_rx_desc *d = win_at(rxq(ring)->desc_off);
	return win_at(d[c->desc % rxq(ring)->size].addr);
}

/* Exactly n completions for vi on its ring, each the untagged `want`. */
static void got_untagged(const struct snic_vnic_info *vi, unsigned n, const uint8_t *want,
			 uint32_t len)
{
	struct snic_rx_cpl c;
	unsigned k = 0;
	while (rx_take(vi->rx_ring, &c)) {
		if (c.vnic != vi->vnic)
			continue; /* the shared ring's other VNICs */
		assert_int_equal(c.len, len);
		assert_memory_equal(cpl_data(vi->rx_ring, &c), want, len);
		k++;
	}
	assert_int_equal(k, n);
}

static void cmd_checks(const char *profile)
{
	boot_up(profile);
	struct snic_vnic_info a = mk(MAC_A, SNIC_VLAN_NONE, 0);
	struct snic_vnic_info t = mk(MAC_U, 7, 0); /* a VLAN its VM tags itself */

	assert_int_equal(pvlan(a.vnic, 20, 0, 1, 0), SNIC_E_INVAL);
	assert_int_equal(pvlan(a.vnic, 20, 0, 0, 1), SNIC_E_INVAL);
	assert_int_equal(pvlan(a.vnic, 20, 8, 0, 0), SNIC_E_INVAL);
	assert_int_equal(pvlan(a.vnic, 0, 0, 0, 0), SNIC_E_RANGE);
	assert_int_equal(pvlan(a.vnic, 4095, 0, 0, 0), SNIC_E_RANGE);
	assert_int_equal(pvlan(a.vnic, SNIC_VLAN_NONE, 3, 0, 0), SNIC_E_RANGE);
	assert_int_equal(pvlan(60, 20, 0, 0, 0), SNIC_E_NOENT);
	assert_int_equal(pvlan(t.vnic, 20, 0, 0, 0), SNIC_E_BUSY);
	const uint16_t v30 = 30;
	assert_int_equal(l2_vlans(a.vnic, 1, &v30), SNIC_OK);
	assert_int_equal(pvlan(a.vnic, 20, 0, 0, 0), SNIC_E_BUSY);
	assert_int_equal(l2_vlans(a.vnic, 0, NULL), SNIC_OK);
	struct snic_vnic_l2 q = l2_query(a.vnic);
	assert_int_equal(q.port_vlan, SNIC_VLAN_NONE);
	assert_int_equal(q.policy, 0);

	assert_int_equal(pvlan(a.vnic, 20, 5, 0, 0), SNIC_OK);
	q = l2_query(a.vnic);
	assert_int_equal(q.port_vlan, 20);
	assert_int_equal(q.policy, SNIC_L2Q_PORT_VLAN | 5 << SNIC_L2Q_PCP_SHIFT);
	/* Member VLANs are refused behind it; an empty list is not. */
	assert_int_equal(l2_vlans(a.vnic, 1, &v30), SNIC_E_BUSY);
	assert_int_equal(l2_vlans(a.vnic, 0, NULL), SNIC_OK);
	/* The operator's policy leaves it alone, and the query tells both. */
	assert_int_equal(l2_policy(a.vnic, SNIC_VPOL_TRUSTED), SNIC_OK);
	q = l2_query(a.vnic);
	assert_int_equal(q.policy, SNIC_VPOL_TRUSTED | SNIC_L2Q_PORT_VLAN | 5 << SNIC_L2Q_PCP_SHIFT);
	/* Same VID: a new PCP only. A VID another VNIC has the MAC on: EXIST. */
	assert_int_equal(pvlan(a.vnic, 20, 2, 0, 0), SNIC_OK);
	assert_int_equal(l2_query(a.vnic).policy & SNIC_L2Q_PCP_MASK, 2 << SNIC_L2Q_PCP_SHIFT);
	struct snic_vnic_info dup = mk(MAC_A, 40, 0);
	assert_int_equal(pvlan(a.vnic, 40, 0, 0, 0), SNIC_E_EXIST);
	assert_int_equal(l2_query(a.vnic).port_vlan, 20);
	(void)dup;

	assert_int_equal(pvlan(a.vnic, SNIC_VLAN_NONE, 0, 0, 0), SNIC_OK);
	q = l2_query(a.vnic);
	assert_int_equal(q.port_vlan, SNIC_VLAN_NONE);
	assert_int_equal(q.policy, SNIC_VPOL_TRUSTED);

	/* Destroy and RESET leave nothing behind. */
	assert_int_equal(pvlan(a.vnic, 20, 1, 0, 0), SNIC_OK);
	struct snic_vnic_ref r = { .vnic = a.vnic };
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &r, sizeof(r), NULL), SNIC_OK);
	struct snic_vnic_info b;
	assert_int_equal(vnic_create(a.vnic, MAC_A, SNIC_VLAN_NONE, 0, 0, &b), SNIC_OK);
	q = l2_query(b.vnic);
	assert_int_equal(q.port_vlan, SNIC_VLAN_NONE);
	assert_int_equal(q.policy, 0);
	assert_int_equal(pvlan(b.vnic, 20, 1, 0, 0), SNIC_OK);
	assert_int_equal(admin(SNIC_CMD_RESET, NULL, 0, NULL), SNIC_OK);
	assert_int_equal(vnic_create(b.vnic, MAC_A, SNIC_VLAN_NONE, 0, 0, &b), SNIC_OK);
	assert_int_equal(l2_query(b.vnic).port_vlan, SNIC_VLAN_NONE);
}

static void test_cmd_exact(void **state)
{
	(void)state;
	cmd_checks("large");
}

static void test_cmd_ternary(void **state)
{
	(void)state;
	cmd_checks("small");
}

static void rx_checks(const char *profile)
{
	boot_up(profile);
	struct snic_vnic_info a = mk(MAC_A, SNIC_VLAN_NONE, 0);
	struct snic_vnic_info s = mk(MAC_S, SNIC_VLAN_NONE, SNIC_VNICF_SW_ONLY);
	struct snic_vnic_info u = mk(MAC_U, SNIC_VLAN_NONE, 0);
	assert_int_equal(s.rx_ring, 0);
	assert_int_equal(pvlan(a.vnic, 20, 3, 0, 0), SNIC_OK);
	assert_int_equal(pvlan(s.vnic, 20, 0, 0, 0), SNIC_OK);

	/* Unicast on VLAN 20, twice in one poll (the second by the memo). */
	uint32_t len = make_eth(frame, MAC_A, PEER, 20, 0x88b5, 100);
	uint32_t plen = make_eth(plain, MAC_A, PEER, SNIC_VLAN_NONE, 0x88b5, 100);
	assert_int_equal(plen + 4, len);
	rx_frame(frame, len, 0);
	rx_frame(frame, len, 0);
	fw_poll(tfw);
	got_untagged(&a, 2, plain, plen);
	assert_int_equal(vst(a.vnic)->rx_packets, 2);
	assert_int_equal(vst(a.vnic)->rx_bytes, 2ull * len); /* as on the wire */
	len = make_eth(frame, MAC_S, PEER, 20, 0x88b5, 100);
	plen = make_eth(plain, MAC_S, PEER, SNIC_VLAN_NONE, 0x88b5, 100);
	rx_frame(frame, len, 0);
	fw_poll(tfw);
	got_untagged(&s, 1, plain, plen);

	/* Untagged or another VLAN: never A's. */
	uint64_t before = vst(a.vnic)->rx_packets;
	len = make_eth(frame, MAC_A, PEER, SNIC_VLAN_NONE, 0x88b5, 100);
	rx_frame(frame, len, 0);
	len = make_eth(frame, MAC_A, PEER, 30, 0x88b5, 100);
	rx_frame(frame, len, 0);
	fw_poll(tfw);
	assert_int_equal(vst(a.vnic)->rx_packets, before);
	got_untagged(&a, 0, plain, plen);

	/* Broadcast on VLAN 20: stripped copies for A and S, none for U. */
	len = make_eth(frame, BCAST, PEER, 20, 0x0806, 46);
	plen = make_eth(plain, BCAST, PEER, SNIC_VLAN_NONE, 0x0806, 46);
	rx_frame(frame, len, 0);
	fw_poll(tfw);
	got_untagged(&a, 1, plain, plen);
	got_untagged(&s, 1, plain, plen);
	assert_int_equal(rx_drain(u.rx_ring, NULL), 0);
	/* Untagged broadcast: U only. */
	len = make_eth(frame, BCAST, PEER, SNIC_VLAN_NONE, 0x0806, 46);
	rx_frame(frame, len, 0);
	fw_poll(tfw);
	got_untagged(&a, 0, plain, plen);
	got_untagged(&s, 0, plain, plen);
	assert_int_equal(rx_drain(u.rx_ring, NULL), 1);

	/* Removed: A is untagged again, its frames as they come. */
	assert_int_equal(pvlan(a.vnic, SNIC_VLAN_NONE, 0, 0, 0), SNIC_OK);
	plen = make_eth(plain, MAC_A, PEER, SNIC_VLAN_NONE, 0x88b5, 100);
	rx_frame(plain, plen, 0);
	fw_poll(tfw);
	got_untagged(&a, 1, plain, plen);
}

static void test_rx_exact(void **state)
{
	(void)state;
	rx_checks("large");
}

static void test_rx_ternary(void **state)
{
	(void)state;
	rx_checks("small");
}

/* A frame from smac (tagged vlan, or not) on TX ring `ring`: 1 when it left. */
static int tx(unsigned ring, const uint8_t *smac, uint16_t vlan)
{
	unsigned n = fake->n_tx;
	uint32_t len = make_eth(frame, PEER, smac, vlan, 0x88b5, 60);
	tx_queue(ring, frame, len);
	fw_poll(tfw);
	return fake->n_tx == n + 1;
}

/* The last frame sent is `smac`'s untagged frame with tag (vid, pcp). */
static void sent_tagged(const uint8_t *smac, uint16_t vid, uint8_t pcp)
{
	uint32_t tlen = make_eth(frame, PEER, smac, vid, 0x88b5, 60);
	frame[14] = (uint8_t)((frame[14] & 0x1f) | pcp << 5); /* make_eth says PCP 1 */
	const struct fake_tx *t = &fake->tx[fake->n_tx - 1];
	assert_int_equal(t->len, tlen);
	assert_memory_equal(t->data, frame, tlen);
}

static void spoof_once(unsigned ring, const struct snic_vnic_info *vi, const uint8_t *mac)
{
	uint64_t g = stats()->drops[SNIC_DROP_TX_SPOOF], r = txq(ring)->drop_spoof,
		 v = vst(vi->vnic)->tx_drop_spoof;
	assert_false(tx(ring, mac, 20));
	assert_int_equal(stats()->drops[SNIC_DROP_TX_SPOOF], g + 1);
	assert_int_equal(txq(ring)->drop_spoof, r + 1);
	assert_int_equal(vst(vi->vnic)->tx_drop_spoof, v + 1);
}

static void tx_checks(const char *profile)
{
	boot_up(profile);
	struct snic_vnic_info a = mk(MAC_A, SNIC_VLAN_NONE, 0);
	struct snic_vnic_info s = mk(MAC_S, SNIC_VLAN_NONE, SNIC_VNICF_SW_ONLY);
	assert_int_equal(pvlan(a.vnic, 20, 5, 0, 0), SNIC_OK);
	assert_int_equal(pvlan(s.vnic, 20, 0, 0, 0), SNIC_OK);

	assert_true(tx(a.tx_ring, MAC_A, SNIC_VLAN_NONE));
	sent_tagged(MAC_A, 20, 5);
	assert_true(tx(a.tx_ring, MAC_A, SNIC_VLAN_NONE));
	assert_int_equal(vst(a.vnic)->tx_packets, 2);
	assert_int_equal(vst(a.vnic)->tx_bytes, 2ull * fake->tx[fake->n_tx - 1].len);
	assert_true(tx(0, MAC_S, SNIC_VLAN_NONE));
	sent_tagged(MAC_S, 20, 0);
	/* The VM cannot pick its VLAN, not even the port VLAN's own tag. */
	spoof_once(a.tx_ring, &a, MAC_A);
	spoof_once(0, &s, MAC_S);

	/* A frame that would not fit a buffer once tagged is a bad one. */
	uint32_t big = make_eth(frame, PEER, MAC_A, SNIC_VLAN_NONE, 0x88b5,
				fake->hw.buf_max - 14 - 2);
	uint64_t bad = vst(a.vnic)->tx_drop_bad;
	unsigned n = fake->n_tx;
	tx_queue(a.tx_ring, frame, big);
	fw_poll(tfw);
	assert_int_equal(fake->n_tx, n);
	assert_int_equal(vst(a.vnic)->tx_drop_bad, bad + 1);

	/* A bad descriptor on its ring is its bad frame too. */
	tx_queue(a.tx_ring, frame, 60);
	struct snic_tx_desc *d = win_at(txq(a.tx_ring)->desc_off);
	d[(txq(a.tx_ring)->desc_prod - 1) % txq(a.tx_ring)->size].flags = 0x8000;
	fw_poll(tfw);
	assert_int_equal(vst(a.vnic)->tx_drop_bad, bad + 2);

	/* Removed: untagged frames leave untagged. */
	assert_int_equal(pvlan(a.vnic, SNIC_VLAN_NONE, 0, 0, 0), SNIC_OK);
	assert_true(tx(a.tx_ring, MAC_A, SNIC_VLAN_NONE));
	assert_int_equal(fake->tx[fake->n_tx - 1].data[12], 0x88);
}

static void test_tx_exact(void **state)
{
	(void)state;
	tx_checks("large");
}

static void test_tx_ternary(void **state)
{
	(void)state;
	tx_checks("small");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_cmd_exact, teardown),
		cmocka_unit_test_teardown(test_cmd_ternary, teardown),
		cmocka_unit_test_teardown(test_rx_exact, teardown),
		cmocka_unit_test_teardown(test_rx_ternary, teardown),
		cmocka_unit_test_teardown(test_tx_exact, teardown),
		cmocka_unit_test_teardown(test_tx_ternary, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
