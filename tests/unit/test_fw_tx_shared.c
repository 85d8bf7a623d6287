/* SPDX-License-Identifier: MIT */
/*
 * The shared TRR's sender index (tx.c): a frame on TRR 0 is attributed to
 * the VNIC whose source MAC (and VLAN) it carries, through a MAC-bucket
 * index kept on VNIC create, destroy and MAC change, with as many VNICs
 * as the card has.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "test_fw_util.h"
#include "test_fw_l2.h"

static uint8_t frame[256];

static int teardown(void **state)
{
	(void)state;
	fake_teardown();
	return 0;
}

static const uint8_t DST[6] = { 0x02, 0, 0, 0, 0, 0x99 };

/* One frame from `smac` on `vlan` through the shared TRR. */
static void send_from(const uint8_t smac[6], uint16_t vlan)
{
	uint32_t len = make_eth(frame, DST, smac, vlan, 0x0800, 64);
	tx_queue(0, frame, len);
	fw_poll(tfw);
}

static void test_every_sender_found(void **state)
{
	(void)state;
	boot("large"); /* 1024 VNICs */
	assert_int_equal(port_set(0, 1), SNIC_OK);
	const unsigned n = 128;
	uint8_t mac[6];
	for (unsigned i = 0; i < n; i++) {
		struct snic_vnic_info vi;
		test_mac(i, mac);
		assert_int_equal(vnic_create((uint16_t)i, mac, SNIC_VLAN_NONE, SNIC_VNICF_SW_ONLY,
					     0, &vi), SNIC_OK);
		assert_int_equal(vi.tx_ring, 0);
	}
	/* Frames of every VNIC, in an order that is not the id order: each
	 * counts for its own VNIC only. */
	for (unsigned k = 0; k < n; k++) {
		unsigned i = (k * 37) % n;
		test_mac(i, mac);
		send_from(mac, SNIC_VLAN_NONE);
		assert_int_equal(fake->n_tx, k + 1);
		assert_int_equal(vst((uint16_t)i)->tx_packets, 1);
	}
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(vst((uint16_t)i)->tx_packets, 1);
	assert_int_equal(txq(0)->drop_spoof, 0);

	/* A MAC nobody has: a spoof of nobody. */
	test_mac(n, mac);
	send_from(mac, SNIC_VLAN_NONE);
	assert_int_equal(txq(0)->drop_spoof, 1);
	assert_int_equal(fake->n_tx, n);
}

static void test_index_follows_changes(void **state)
{
	(void)state;
	boot("large");
	assert_int_equal(port_set(0, 1), SNIC_OK);
	uint8_t m5[6], m6[6], m7[6];
	test_mac(5, m5);
	test_mac(6, m6);
	test_mac(7, m7);
	/* Two VNICs with one MAC on different VLANs: the VLAN picks. */
	assert_int_equal(vnic_create(1, m5, 10, SNIC_VNICF_SW_ONLY, 0, NULL), SNIC_OK);
	assert_int_equal(vnic_create(2, m5, 20, SNIC_VNICF_SW_ONLY, 0, NULL), SNIC_OK);
	assert_int_equal(vnic_create(3, m6, SNIC_VLAN_NONE, SNIC_VNICF_SW_ONLY, 0, NULL), SNIC_OK);
	send_from(m5, 20);
	send_from(m5, 10);
	assert_int_equal(vst(1)->tx_packets, 1);
	assert_int_equal(vst(2)->tx_packets, 1);
	/* Its MAC on a VLAN of neither: the lowest id's spoof. */
	send_from(m5, 30);
	assert_int_equal(vst(1)->tx_drop_spoof, 1);
	assert_int_equal(vst(2)->tx_drop_spoof, 0);

	/* Destroyed: its frames are nobody's. */
	struct snic_vnic_ref r = { .vnic = 3 };
	assert_int_equal(admin(SNIC_CMD_VNIC_DESTROY, &r, sizeof(r), NULL), SNIC_OK);
	uint32_t spoof = txq(0)->drop_spoof;
	send_from(m6, SNIC_VLAN_NONE);
	assert_int_equal(txq(0)->drop_spoof, spoof + 1);

	/* A new MAC: frames from it count, from the old one no longer. */
	struct snic_vnic_mac c = { .vnic = 1 };
	memcpy(c.mac, m7, 6);
	assert_int_equal(admin(SNIC_CMD_VNIC_MAC, &c, sizeof(c), NULL), SNIC_OK);
	send_from(m7, 10);
	assert_int_equal(vst(1)->tx_packets, 2);
	send_from(m5, 10); /* now VNIC 2's MAC on VLAN 10: its spoof */
	assert_int_equal(vst(2)->tx_drop_spoof, 1);
	assert_int_equal(vst(1)->tx_packets, 2);

	/* RESET empties it. */
	assert_int_equal(admin(SNIC_CMD_RESET, NULL, 0, NULL), SNIC_OK);
	assert_int_equal(port_set(0, 1), SNIC_OK);
	spoof = txq(0)->drop_spoof;
	send_from(m7, 10);
	assert_int_equal(txq(0)->drop_spoof, spoof + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_every_sender_found, teardown),
		cmocka_unit_test_teardown(test_index_follows_changes, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
