/* SPDX-License-Identifier: MIT */
/*
 * libsnic: rules held in software (swrule.c). The coarse form the device
 * gets for a rule on fields it lacks, and the software classifier's use
 * of the rule as asked at that location: a frame of the coarse form that
 * the rule does not match falls through as if the rule were absent. The
 * fake card matches only DMAC and VLAN (test_lib_fakewin.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>
#include "snic_impl.h"
#include "swcls_fixture.h"

#define MAC_BASE 56u   /* fake caps: user entries 0..55, VNIC MACs from 56 */

static const uint8_t mac1[6] = { 2, 0, 0, 0, 0, 0x11 }, mac2[6] = { 2, 0, 0, 0, 0, 0x12 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t stranger[6] = { 2, 0, 0, 0, 0, 0x99 };

/* DMAC mac1 and TCP dport 80 -> VNIC 2: dport is beyond the fake card. */
static struct snic_rule mac1_port80(void)
{
	struct snic_rule r;
	memset(&r, 0, sizeof(r));
	memcpy(r.value.dmac, mac1, 6);
	memset(r.mask.dmac, 0xff, 6);
	r.value.ip_proto = 6;
	r.mask.ip_proto = 0xff;
	r.value.dport[1] = 80;
	memset(r.mask.dport, 0xff, 2);
	r.action.vnic = 2;
	r.action.ring = SNIC_RING_DEFAULT;
	r.action.meter = SNIC_METER_NONE;
	r.action.flags = SNIC_ACT_COUNT;
	return r;
}

static void coarse_form(void **state)
{
	(void)state;
	struct snic_rule r = mac1_port80(), c;

	assert_int_equal(snic_rule_fields(&r), SNIC_FIELD_DMAC | SNIC_FIELD_IP_PROTO |
			 SNIC_FIELD_DPORT);
	assert_int_equal(snic_rule_sw_fields(dev, &r), SNIC_FIELD_IP_PROTO | SNIC_FIELD_DPORT);
	assert_int_equal(snic_rule_coarse(dev, &r, &c), 0);
	/* The DMAC stays (the card has it), the rest is gone: a superset. */
	assert_memory_equal(c.value.dmac, mac1, 6);
	assert_int_equal(snic_rule_fields(&c), SNIC_FIELD_DMAC);
	assert_int_equal(c.value.ip_proto | c.value.dport[1], 0);
	assert_int_equal(c.action.vnic, 2);
	assert_int_equal(c.action.flags, SNIC_ACT_COUNT | SNIC_ACT_MARK_SW);
	char f[64];
	snic_fields_str(snic_rule_sw_fields(dev, &r), f, sizeof(f));
	assert_string_equal(f, "ip_proto, dport");

	/* Software cannot hold a drop, a ring override or a meter this way. */
	struct snic_rule bad = r;
	bad.action.flags = SNIC_ACT_DROP;
	bad.action.vnic = SNIC_VNIC_NONE;
	assert_int_equal(snic_rule_coarse(dev, &bad, &c), SNIC_ERR_ARG);
	assert_non_null(strstr(snic_errmsg(dev), "not supported by this device"));
	bad = r;
	bad.action.ring = 1;
	assert_int_equal(snic_rule_coarse(dev, &bad, &c), SNIC_ERR_ARG);
	bad = r;
	bad.action.flags |= SNIC_ACT_METER;
	bad.action.meter = 0;
	assert_int_equal(snic_rule_coarse(dev, &bad, &c), SNIC_ERR_ARG);
}

static void add_vnic(struct snic_mirror *m, uint16_t id, const uint8_t mac[6])
{
	struct snic_mirror_vnic *v = &m->vnic[id];
	v->used = 1;
	v->params.id = id;
	v->params.vlan = SNIC_VLAN_NONE;   /* untagged, uplink 0 */
	memcpy(v->params.mac, mac, 6);
	v->info.vnic = id;
	v->info.mac_rule = (uint16_t)(MAC_BASE + id);
	memcpy(v->mac_rule.value.dmac, mac, 6);
	memset(v->mac_rule.mask.dmac, 0xff, 6);
	v->mac_rule.mask.flags = SNIC_KF_VLAN;
	v->mac_rule.action.vnic = id;
	v->mac_rule.action.flags = SNIC_ACT_COUNT;
	v->has_mac_rule = 1;
}

static uint32_t sw_flag = SNIC_MRULE_SW;

/* VNICs 1 and 2; at location 3 the rule held in software (or, to show
 * what the flag changes, the same rule as a hardware one). */
static void save_mirror(void)
{
	struct snic_dev *w = snic_alloc();
	assert_int_equal(snic_attach(w, win, FW_SIZE), 0);
	snic_set_state_path(w, state_path);
	assert_int_equal(snic_mirror_begin(w, 1), 0);
	memset(w->mirror, 0, sizeof(*w->mirror));
	add_vnic(w->mirror, 1, mac1);
	add_vnic(w->mirror, 2, mac2);
	w->mirror->rule[0].loc = 3;
	w->mirror->rule[0].flags = sw_flag;
	w->mirror->rule[0].rule = mac1_port80();
	w->mirror->n_rules = 1;
	assert_int_equal(snic_mirror_end(w, 1), 0);
	snic_close(w);
}

static uint8_t buf[64];

/* Ethernet + IPv4 + TCP to dst:dport, as the device passes it with the
 * coarse form's hit (rule 3, VNIC 2) on the shared ring. */
static struct snic_rx_frame caught(const uint8_t dst[6], unsigned dport)
{
	struct snic_rx_frame f;
	memset(buf, 0, sizeof(buf));
	memcpy(buf, dst, 6);
	memcpy(buf + 6, stranger, 6);
	buf[12] = 0x08;
	uint8_t *ip = buf + 14, *tcp = ip + 20;
	ip[0] = 0x45; ip[3] = 40; ip[8] = 64; ip[9] = 6;
	tcp[3] = (uint8_t)dport; tcp[12] = 0x50;
	memset(&f, 0, sizeof(f));
	f.cpl.len = 60;
	f.cpl.vnic = 2;
	f.cpl.rule = 3;
	f.cpl.flags = SNIC_RXF_HIT | SNIC_RXF_MARK_SW;
	f.data = buf;
	return f;
}

static void substitutes_and_falls_through(void **state)
{
	(void)state;
	struct snic_swcls_stats st;
	struct snic_rx_frame f;

	save_mirror();
	struct snic_swcls *s = snic_swcls_new(dev, 8);
	assert_non_null(s);
	f = caught(mac1, 80);                  /* the rule's frame: VNIC 2 */
	assert_int_equal(snic_swcls_input(s, &f), 1);
	f = caught(mac1, 22);                  /* coarse only: VNIC 1's MAC entry */
	assert_int_equal(snic_swcls_input(s, &f), 1);
	f = caught(bcast, 22);                 /* a miss without the rule: group copies */
	assert_int_equal(snic_swcls_input(s, &f), 1);
	f = caught(stranger, 22);              /* nobody's: dropped, counted */
	assert_int_equal(snic_swcls_input(s, &f), 0);
	assert_int_equal(snic_srr_pending(s, 2), 2);   /* the rule's frame, a broadcast */
	assert_int_equal(snic_srr_pending(s, 1), 2);   /* dport 22 to its MAC, a broadcast */
	snic_swcls_stats(s, &st);
	assert_int_equal(st.sw_hits, 1);
	assert_int_equal(st.sw_fallthrough, 3);
	assert_int_equal(st.group, 2);
	assert_int_equal(st.drop_no_match, 1);
	assert_int_equal(st.mismatch, 0);      /* the device named VNIC 2: expected */
	snic_swcls_free(s);
}

/* The same rule as a hardware one: the device's VNIC 2 for a frame the
 * rule does not match is a disagreement, counted; the flag is what tells. */
static void hardware_rule_disagrees(void **state)
{
	(void)state;
	struct snic_swcls_stats st;

	sw_flag = 0;
	save_mirror();
	sw_flag = SNIC_MRULE_SW;
	struct snic_swcls *s = snic_swcls_new(dev, 8);
	assert_non_null(s);
	struct snic_rx_frame f = caught(mac1, 22);
	assert_int_equal(snic_swcls_input(s, &f), 1);
	snic_swcls_stats(s, &st);
	assert_int_equal(st.mismatch, 1);
	assert_int_equal(st.sw_hits + st.sw_fallthrough, 0);
	snic_swcls_free(s);
}

/* The flag survives the state file (version 6; a version 4 file, the same
 * records with the word always 0 and a header without the intent words,
 * is still read); unknown flag bits make it corrupt. */
static void flag_in_state_file(void **state)
{
	(void)state;
	const struct snic_mirror *m;
	uint32_t version;

	save_mirror();
	assert_int_equal(snic_mirror_get(dev, &m), 0);
	assert_int_equal(m->n_rules, 1);
	assert_int_equal(m->rule[0].flags, SNIC_MRULE_SW);
	sw_flag = 0;
	save_mirror();
	sw_flag = SNIC_MRULE_SW;
	static uint8_t file[65536];
	FILE *f = fopen(state_path, "rb");
	assert_non_null(f);
	size_t n = fread(file, 1, sizeof(file), f);
	fclose(f);
	memcpy(&version, file + 8, 4);
	assert_int_equal(version, 6);
	/* As version 4 wrote it: the header ends before the intent words
	 * (byte 64; no intent record here); the checksum is the body's. */
	version = 4;
	memcpy(file + 8, &version, 4);
	memmove(file + 64, file + 72, n - 72);
	f = fopen(state_path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(file, 1, n - 8, f), n - 8);
	fclose(f);
	assert_int_equal(snic_mirror_get(dev, &m), 0);
	assert_int_equal(m->n_rules, 1);
	assert_int_equal(m->rule[0].flags, 0);
	sw_flag = 0x2;
	save_mirror();
	sw_flag = SNIC_MRULE_SW;
	assert_int_equal(snic_mirror_get(dev, &m), SNIC_ERR_STATEFILE);
	assert_non_null(strstr(snic_errmsg(dev), "bad rule flags"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(coarse_form, setup, teardown),
		cmocka_unit_test_setup_teardown(substitutes_and_falls_through, setup, teardown),
		cmocka_unit_test_setup_teardown(hardware_rule_disagrees, setup, teardown),
		cmocka_unit_test_setup_teardown(flag_in_state_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
