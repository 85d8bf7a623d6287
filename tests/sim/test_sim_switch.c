/* SPDX-License-Identifier: MIT */
/*
 * The simulated network without the NIC: learning switch (flooding,
 * learning, aging, flush on link down, timing, losses), external hosts
 * and the fault script parser. The NIC side is a stub that records what
 * the switch hands to the uplinks and what faults are applied.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "exthost.h"
#include "fault.h"
#include "nic.h"
#include "switch.h"

/* ---- NIC stub ---- */

static struct nic nic;
static struct {
	unsigned count[SNIC_MAX_UPLINKS];
	uint64_t last_at[SNIC_MAX_UPLINKS];
} wire;
static struct {
	char log[64][32];
	unsigned n;
} applied;

void nic_wire_push(struct nic *n, uint8_t port, uint8_t *data, uint32_t len, uint64_t at_ns)
{
	(void)n;
	(void)len;
	wire.count[port]++;
	wire.last_at[port] = at_ns;
	free(data);
}

static void note(const char *what, unsigned port, int v)
{
	if (applied.n < 64)
		snprintf(applied.log[applied.n++], 32, "%s %u %d", what, port, v);
}

void nic_link_set(struct nic *n, uint8_t port, int up) { (void)n; note("link", port, up); }
void nic_blackhole_set(struct nic *n, uint8_t port, uint8_t d) { (void)n; note("bh", port, d); }
void nic_tx_refuse_set(struct nic *n, uint8_t port, int on) { (void)n; note("txr", port, on); }

/* ---- fixtures ---- */

static const uint8_t MAC_A[6] = { 0x02, 0xaa, 0, 0, 0, 1 };
static const uint8_t MAC_B[6] = { 0x02, 0xbb, 0, 0, 0, 2 };
static const uint8_t MAC_V[6] = { 0x02, 0x00, 0, 0, 0, 9 }; /* behind the NIC */
static const uint8_t IP_A[4] = { 10, 0, 0, 1 }, IP_B[4] = { 10, 0, 0, 2 };
static const uint8_t IP_V[4] = { 10, 0, 0, 9 };

static struct sw sw;
static struct exthost ha, hb;
struct rx_log {
	unsigned n;
	uint64_t at[64];
	struct exthost_stamp st[64];
};
static struct rx_log rx_a, rx_b;

static void record(void *ctx, struct exthost *h, const uint8_t *f, uint32_t len, uint64_t now)
{
	(void)h;
	struct rx_log *r = ctx;
	if (r->n < 64) {
		r->at[r->n] = now;
		exthost_parse_udp(f, len, &r->st[r->n], NULL, NULL);
	}
	r->n++;
}

static int setup(void **state)
{
	(void)state;
	memset(&nic, 0, sizeof(nic));
	memset(&wire, 0, sizeof(wire));
	memset(&rx_a, 0, sizeof(rx_a));
	memset(&rx_b, 0, sizeof(rx_b));
	nic.prof.hw.n_uplinks = 2;
	nic.prof.hw.uplink_speed_mbps = 10000;
	for (unsigned i = 0; i < SNIC_MAX_UPLINKS; i++) {
		nic.up[i].carrier = 1;
		nic.up[i].enabled = 1;
	}
	struct sw_config c;
	sw_config_default(&c);
	c.aging_ns = 1000000; /* 1 ms, to test aging quickly */
	assert_int_equal(sw_init(&sw, &c, &nic, 2), 0);
	exthost_init(&ha, MAC_A, IP_A);
	exthost_init(&hb, MAC_B, IP_B);
	ha.on_rx = record;
	ha.ctx = &rx_a;
	hb.on_rx = record;
	hb.ctx = &rx_b;
	assert_int_equal(sw_attach_host(&sw, &ha), 2);
	assert_int_equal(sw_attach_host(&sw, &hb), 3);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sw_fini(&sw);
	return 0;
}

/* Run the switch until nothing is pending before `until`. */
static void run_until(uint64_t until)
{
	for (;;) {
		uint64_t t = sw_next_ns(&sw);
		if (t > until)
			break;
		sw_run(&sw, t);
	}
}

static uint32_t frame(uint8_t *buf, const uint8_t *dmac, const uint8_t *smac,
		      const uint8_t *sip, const uint8_t *dip, uint64_t seq, uint32_t len)
{
	struct exthost_stamp st = { EXTHOST_MAGIC, 1, 0, seq, 0 };
	return exthost_build_udp(buf, 2048, len, dmac, smac, 0, sip, dip, 5000, 6000, &st);
}

/* Serialization on a cable: (max(len, 60) + 24) bytes at `mbps`. */
static uint64_t ser(uint32_t len, uint32_t mbps)
{
	uint32_t b = (len < 60 ? 60 : len) + 24;
	return ((uint64_t)b * 8000 + mbps - 1) / mbps;
}

static void test_flood_then_learn(void **state)
{
	(void)state;
	uint8_t f[2048];
	uint32_t len = frame(f, MAC_B, MAC_A, IP_A, IP_B, 0, 100);
	sw_send(&sw, 2, f, len, 0, 0);            /* A -> B: B unknown, flood */
	run_until(1000000);
	assert_int_equal(rx_b.n, 1);
	assert_int_equal(wire.count[0], 1);
	assert_int_equal(wire.count[1], 1);
	assert_int_equal(rx_a.n, 0);              /* never back out of the ingress */
	assert_int_equal(sw.port[0].flooded, 1);
	assert_int_equal(sw_lookup(&sw, MAC_A, 0, 0), 2);

	len = frame(f, MAC_A, MAC_B, IP_B, IP_A, 0, 100);
	sw_send(&sw, 3, f, len, 10000, 0);        /* B -> A: A known, unicast */
	run_until(1000000);
	assert_int_equal(rx_a.n, 1);
	assert_int_equal(wire.count[0], 1);       /* no new flood copies */
	assert_int_equal(wire.count[1], 1);
	assert_int_equal(sw_lookup(&sw, MAC_B, 0, 10000), 3);
}

static void test_timing(void **state)
{
	(void)state;
	uint8_t f[2048];
	uint32_t len = frame(f, MAC_B, MAC_A, IP_A, IP_B, 0, 1000);
	sw_send(&sw, 2, f, len, 5000, 0);
	sw_send(&sw, 2, f, len, 5000, 0);         /* back to back behind the first */
	run_until(1000000);
	assert_int_equal(rx_b.n, 2);
	uint64_t h = ser(1000, 100000);
	/* in: serialize + 100 ns cable, 500 ns forwarding, out: serialize + cable */
	assert_int_equal(rx_b.at[0], 5000 + h + 100 + 500 + h + 100);
	assert_int_equal(rx_b.at[1], rx_b.at[0] + h);
	/* The 10G uplink copy takes longer to serialize. */
	assert_int_equal(wire.last_at[0], 5000 + h + 100 + 500 + 2 * ser(1000, 10000) + 100);
}

static void test_aging(void **state)
{
	(void)state;
	uint8_t f[2048];
	uint32_t len = frame(f, MAC_B, MAC_A, IP_A, IP_B, 0, 100);
	sw_send(&sw, 2, f, len, 0, 0);
	run_until(100000);
	assert_int_equal(sw_lookup(&sw, MAC_A, 0, 500000), 2);
	assert_int_equal(sw_lookup(&sw, MAC_A, 0, 2000000), -1); /* 1 ms aging */
	len = frame(f, MAC_A, MAC_B, IP_B, IP_A, 0, 100);
	sw_send(&sw, 3, f, len, 2000000, 0);      /* A aged out: flooded again */
	run_until(3000000);
	assert_int_equal(rx_a.n, 1);
	assert_int_equal(wire.count[0], 2);
}

static void test_uplink_learning_and_flush(void **state)
{
	(void)state;
	uint8_t f[2048];
	uint32_t len = frame(f, MAC_A, MAC_V, IP_V, IP_A, 0, 100);
	sw_send(&sw, 1, f, len, 0, nic.up[1].epoch);  /* VNIC V speaks on uplink 1 */
	run_until(100000);
	assert_int_equal(rx_a.n, 1);
	assert_int_equal(sw_lookup(&sw, MAC_V, 0, 1000), 1);
	/* A was unknown: the frame was flooded out of uplink 0 as well. */
	assert_int_equal(wire.count[0], 1);

	len = frame(f, MAC_V, MAC_A, IP_A, IP_V, 0, 100);
	sw_send(&sw, 2, f, len, 200000, 0);
	run_until(300000);
	assert_int_equal(wire.count[1], 1);       /* straight to uplink 1 */
	assert_int_equal(wire.count[0], 1);

	/* Uplink 1 goes down: its entries are flushed, V is flooded again,
	 * but not out of the dead port. */
	nic.up[1].carrier = 0;
	nic.up[1].epoch++;
	sw_link_down(&sw, 1);
	assert_int_equal(sw_lookup(&sw, MAC_V, 0, 300000), -1);
	sw_send(&sw, 2, f, len, 400000, 0);
	run_until(500000);
	assert_int_equal(wire.count[0], 2);
	assert_int_equal(wire.count[1], 1);
	assert_int_equal(sw.port[1].lost_down, 0);
}

/* An administratively down NIC port is dark: not flooded to, and a frame
 * switched to it is counted as lost on a down link. */
static void test_disabled_port_is_dark(void **state)
{
	(void)state;
	uint8_t f[2048];
	uint32_t len = frame(f, MAC_A, MAC_V, IP_V, IP_A, 0, 100);
	sw_send(&sw, 1, f, len, 0, nic.up[1].epoch);  /* V learned behind uplink 1 */
	run_until(100000);
	nic.up[1].enabled = 0;
	len = frame(f, MAC_V, MAC_A, IP_A, IP_V, 0, 100);
	sw_send(&sw, 2, f, len, 200000, 0);
	run_until(300000);
	assert_int_equal(wire.count[1], 0);
	assert_int_equal(sw.port[1].lost_down, 1);
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	len = frame(f, bcast, MAC_A, IP_A, IP_V, 1, 100);
	sw_send(&sw, 2, f, len, 400000, 0);
	run_until(500000);
	assert_int_equal(wire.count[1], 0);               /* no flood copy either */
	assert_int_equal(wire.count[0], 2);               /* the first flood + this one */
	assert_int_equal(rx_b.n, 1);                      /* the broadcast */
	assert_int_equal(hb.rx_other, 1);                 /* the flooded unicast for A */
}

static void test_wire_and_blackhole_losses(void **state)
{
	(void)state;
	uint8_t f[2048];
	uint32_t len = frame(f, MAC_A, MAC_V, IP_V, IP_A, 0, 1500);
	/* A frame leaves uplink 0; the link dies while it is on the cable. */
	sw_send(&sw, 0, f, len, 0, nic.up[0].epoch);
	nic.up[0].epoch++;
	run_until(100000);
	assert_int_equal(sw.port[0].lost_wire_in, 1);
	assert_int_equal(rx_a.n, 0);

	/* Towards a NIC port whose RX direction is a blackhole. */
	nic.up[1].blackhole = NIC_BH_RX;
	len = frame(f, MAC_V, MAC_A, IP_A, IP_V, 0, 100);
	sw_send(&sw, 2, f, len, 200000, 0);
	run_until(300000);
	assert_int_equal(sw.port[1].lost_blackhole, 1);
	assert_int_equal(wire.count[1], 0);
	assert_int_equal(wire.count[0], 1);
}

static void test_host_flow_and_echo(void **state)
{
	(void)state;
	hb.echo = 1;
	assert_int_equal(exthost_add_flow(&ha, MAC_B, IP_B, EXTHOST_ECHO_PORT, 128, 1000, 10000,
					  51000), 0);
	run_until(1000000);
	/* Sent at 1, 11, 21, 31, 41 us (stop at 51 us is exclusive). */
	assert_int_equal(ha.tx_frames, 5);
	assert_int_equal(rx_b.n, 5);
	assert_int_equal(hb.echoed, 5);
	assert_int_equal(rx_a.n, 5);
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(rx_a.st[i].seq, i);
		assert_int_equal(rx_a.st[i].sent_ns, 1000 + 10000 * i);
	}
	/* The first request was flooded (B unknown), the echoes were not. */
	assert_int_equal(wire.count[0], 1);
}

static void test_deterministic(void **state)
{
	(void)state;
	uint64_t first[8];
	for (int run = 0; run < 2; run++) {
		teardown(NULL);
		setup(NULL);
		exthost_add_flow(&ha, MAC_B, IP_B, 9, 300, 0, 3000, 24000);
		exthost_add_flow(&hb, MAC_A, IP_A, 9, 900, 500, 2000, 16500);
		run_until(1000000);
		uint64_t got[8];
		for (int i = 0; i < 8; i++)
			got[i] = rx_b.at[i] ^ (rx_a.at[i] << 1);
		if (run == 0)
			memcpy(first, got, sizeof(first));
		else
			assert_memory_equal(first, got, sizeof(got));
	}
}

/* ---- fault scripts ---- */

static void test_fault_parse(void **state)
{
	(void)state;
	struct fault_plan p;
	char err[128];
	fault_plan_init(&p);
	assert_int_equal(fault_parse_line(&p, "  # a comment", 4, err, sizeof(err)), 0);
	assert_int_equal(fault_parse_line(&p, "", 4, err, sizeof(err)), 0);
	assert_int_equal(fault_parse_line(&p, "2ms 1 down", 4, err, sizeof(err)), 1);
	assert_int_equal(fault_parse_line(&p, "1.5ms 0 blackhole tx # x", 4, err, sizeof(err)), 1);
	assert_int_equal(fault_parse_line(&p, "2ms 3 txfull", 4, err, sizeof(err)), 1);
	assert_int_equal(fault_parse_line(&p, "100us 2 flap 10us 3", 4, err, sizeof(err)), 6);
	assert_int_equal(p.n, 9);
	/* Sorted by time, stable for equal times. */
	uint64_t want_t[9] = { 100000, 110000, 120000, 130000, 140000, 150000, 1500000,
			       2000000, 2000000 };
	uint8_t want_k[9] = { FAULT_DOWN, FAULT_UP, FAULT_DOWN, FAULT_UP, FAULT_DOWN, FAULT_UP,
			      FAULT_BLACKHOLE, FAULT_DOWN, FAULT_TXFULL };
	for (unsigned i = 0; i < 9; i++) {
		assert_int_equal(p.ev[i].at_ns, want_t[i]);
		assert_int_equal(p.ev[i].kind, want_k[i]);
	}
	assert_int_equal(p.ev[6].dirs, NIC_BH_TX);

	static const char *bad[] = {
		"2ms", "2ms 1", "2 1 down", "2ms 4 down", "2ms -1 down", "2ms 1 explode",
		"2ms 1 down now", "2ms 1 blackhole sideways", "2ms 1 flap 0us 3",
		"2ms 1 flap 10us 0", "2ms 1 flap 10us", "-1ms 1 down", "1e9s 1 down",
		"2ms 1 up 3", "2xs 0 down",
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(fault_parse_line(&p, bad[i], 4, err, sizeof(err)), -1);
		assert_true(err[0] != '\0');
	}
	assert_int_equal(p.n, 9); /* nothing added by the bad lines */

	memset(&applied, 0, sizeof(applied));
	assert_int_equal(fault_next_ns(&p), 100000);
	fault_run(&p, &nic, 125000);
	assert_int_equal(applied.n, 3);
	assert_string_equal(applied.log[0], "link 2 0");
	assert_string_equal(applied.log[1], "link 2 1");
	assert_string_equal(applied.log[2], "link 2 0");
	assert_int_equal(fault_next_ns(&p), 130000);
	fault_run(&p, &nic, 10000000);
	assert_int_equal(applied.n, 9);
	assert_string_equal(applied.log[6], "bh 0 1");
	assert_string_equal(applied.log[8], "txr 3 1");
	assert_int_equal(fault_next_ns(&p), UINT64_MAX);
	fault_plan_free(&p);
}

static void test_fault_time_units(void **state)
{
	(void)state;
	uint64_t t;
	assert_int_equal(fault_parse_time("250us", &t), 0);
	assert_int_equal(t, 250000);
	assert_int_equal(fault_parse_time("1.5ms", &t), 0);
	assert_int_equal(t, 1500000);
	assert_int_equal(fault_parse_time("3s", &t), 0);
	assert_int_equal(t, 3000000000ull);
	assert_int_equal(fault_parse_time("7ns", &t), 0);
	assert_int_equal(t, 7);
	assert_int_equal(fault_parse_time("7", &t), -1);
	assert_int_equal(fault_parse_time("ms", &t), -1);
	assert_int_equal(fault_parse_time("nan ms", &t), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flood_then_learn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uplink_learning_and_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disabled_port_is_dark, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wire_and_blackhole_losses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_flow_and_echo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fault_parse, setup, teardown),
		cmocka_unit_test(test_fault_time_units),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
