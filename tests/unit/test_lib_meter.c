/* SPDX-License-Identifier: MIT */
/*
 * libsnic: meters and shapers (local checks, exact payloads, mirror,
 * restore order), HRR promotion and per-ring polling plans, against a
 * responder thread with a small device model written here from admin.h
 * and ring.h: VNICs with rings (HRR 1 dedicated, HRR 0 shared), rules
 * that may name policers, METER_SET, RING_BIND.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>
#include "snic.h"
#include "test_lib_fakewin.h"

#define USER_ENTRIES 56
#define MAX_VNICS    8
#define N_POLICERS   4

static uint8_t *win;
static pthread_t responder;
static volatile int stop_responder;
static char state_path[64];

static struct { int used; struct snic_vnic_create c; uint16_t rx; } model_vnic[MAX_VNICS];
static struct { int used; struct snic_rule r; } model_rule[64];
static struct snic_meter_set model_meter[N_POLICERS], model_shaper[MAX_VNICS];
static uint16_t ops[256];        /* opcodes in arrival order */
static volatile unsigned n_ops;
static struct snic_meter_set last_meter;


static struct snic_rxq *rxq(unsigned r)
{
	return (struct snic_rxq *)(win + OFF_RXQ + r * 192u);
}

/* HRR 1 is the one dedicated ring: publish who holds it. */
static void publish_rings(void)
{
	rxq(0)->state = SNIC_RING_SHARED;
	rxq(1)->state = SNIC_RING_UNBOUND;
	rxq(1)->vnic = SNIC_VNIC_NONE;
	for (uint16_t v = 0; v < MAX_VNICS; v++)
		if (model_vnic[v].used && model_vnic[v].rx == 1) {
			rxq(1)->state = SNIC_RING_BOUND;
			rxq(1)->vnic = v;
		}
}

static void vinfo(uint16_t id, struct snic_admin_cpl *p)
{
	struct snic_vnic_info i = { id, model_vnic[id].rx, 0,
				    model_vnic[id].rx ? SNIC_RING_BOUND : SNIC_RING_SHARED,
				    model_vnic[id].c.vlan, { 0 }, (uint16_t)(USER_ENTRIES + id), 0 };
	memcpy(i.mac, model_vnic[id].c.mac, 6);
	memcpy(p->payload, &i, sizeof(i));
	p->len = sizeof(i);
}

static void model_mac_rule(uint16_t id)
{
	struct snic_rule *r = &model_rule[USER_ENTRIES + id].r;
	memset(r, 0, sizeof(*r));
	memcpy(r->value.dmac, model_vnic[id].c.mac, 6);
	memset(r->mask.dmac, 0xff, 6);
	r->action.vnic = id;
	r->action.flags = SNIC_ACT_COUNT | (model_vnic[id].rx ? 0 : SNIC_ACT_MARK_SW);
	model_rule[USER_ENTRIES + id].used = 1;
}

static int ring1_free(void)
{
	for (unsigned v = 0; v < MAX_VNICS; v++)
		if (model_vnic[v].used && model_vnic[v].rx == 1)
			return 0;
	return 1;
}

static uint16_t meter_set(const struct snic_meter_set *m)
{
	last_meter = *m;
	if (m->mode == SNIC_METER_SHAPER) {
		if (m->meter >= MAX_VNICS || !model_vnic[m->meter].used)
			return SNIC_E_NOENT;
		model_shaper[m->meter] = *m;
		return SNIC_OK;
	}
	if (m->meter >= N_POLICERS)
		return SNIC_E_RANGE;
	model_meter[m->meter] = *m;
	return SNIC_OK;
}

static void answer(const struct snic_admin_cmd *c, struct snic_admin_cpl *p)
{
	struct snic_vnic_create vc;
	struct snic_vnic_ref vr;
	struct snic_rule_add ra;
	struct snic_rule_ref rr;
	struct snic_ring_bind rb;
	struct snic_meter_set ms;

	memset(p, 0, sizeof(*p));
	p->opcode = c->opcode;
	p->seq = c->seq;
	if (n_ops < 256)
		ops[n_ops] = c->opcode;
	n_ops++;
	switch (c->opcode) {
	case SNIC_CMD_VNIC_CREATE:
		memcpy(&vc, c->payload, sizeof(vc));
		if (vc.vnic >= MAX_VNICS) {
			p->status = SNIC_E_RANGE;
		} else if (model_vnic[vc.vnic].used) {
			p->status = SNIC_E_EXIST;
		} else {
			model_vnic[vc.vnic].used = 1;
			model_vnic[vc.vnic].c = vc;
			model_vnic[vc.vnic].rx = !(vc.flags & SNIC_VNICF_SW_ONLY) && ring1_free();
			model_mac_rule(vc.vnic);
			publish_rings();
			vinfo(vc.vnic, p);
		}
		break;
	case SNIC_CMD_VNIC_QUERY:
	case SNIC_CMD_VNIC_DESTROY:
		memcpy(&vr, c->payload, sizeof(vr));
		if (vr.vnic >= MAX_VNICS || !model_vnic[vr.vnic].used) {
			p->status = SNIC_E_NOENT;
		} else if (c->opcode == SNIC_CMD_VNIC_QUERY) {
			vinfo(vr.vnic, p);
		} else {
			memset(&model_vnic[vr.vnic], 0, sizeof(model_vnic[vr.vnic]));
			memset(&model_shaper[vr.vnic], 0, sizeof(model_shaper[vr.vnic]));
			model_rule[USER_ENTRIES + vr.vnic].used = 0;
			publish_rings();
		}
		break;
	case SNIC_CMD_RING_BIND:
		memcpy(&rb, c->payload, sizeof(rb));
		if (rb.ring != 1 || rb.vnic >= MAX_VNICS || !model_vnic[rb.vnic].used) {
			p->status = SNIC_E_NOENT;
		} else if (!ring1_free()) {
			p->status = SNIC_E_BUSY;
		} else {
			model_vnic[rb.vnic].rx = 1;
			model_mac_rule(rb.vnic);
			publish_rings();
		}
		break;
	case SNIC_CMD_METER_SET:
		memcpy(&ms, c->payload, sizeof(ms));
		p->status = c->len == sizeof(ms) ? meter_set(&ms) : SNIC_E_LEN;
		break;
	case SNIC_CMD_RULE_ADD:
		memcpy(&ra, c->payload, sizeof(ra));
		if (ra.loc >= USER_ENTRIES) {
			p->status = SNIC_E_RANGE;
		} else if (model_rule[ra.loc].used) {
			p->status = SNIC_E_EXIST;
		} else if ((ra.rule.action.flags & SNIC_ACT_METER) &&
			   (ra.rule.action.meter >= N_POLICERS ||
			    !model_meter[ra.rule.action.meter].mode)) {
			p->status = SNIC_E_NOENT;   /* as the firmware: policer first */
		} else {
			model_rule[ra.loc].used = 1;
			model_rule[ra.loc].r = ra.rule;
			rr.loc = ra.loc;
			memcpy(p->payload, &rr, sizeof(rr));
			p->len = sizeof(rr);
		}
		break;
	case SNIC_CMD_RULE_QUERY:
		memcpy(&rr, c->payload, sizeof(rr));
		if (rr.loc >= 64 || !model_rule[rr.loc].used) {
			p->status = SNIC_E_NOENT;
		} else {
			struct snic_rule_info ri = { rr.loc, 0, 0, model_rule[rr.loc].r };
			memcpy(p->payload, &ri, sizeof(ri));
			p->len = sizeof(ri);
		}
		break;
	default:
		p->status = SNIC_E_OPCODE;
	}
}

static void *responder_main(void *arg)
{
	(void)arg;
	while (!stop_responder)
		if (!fw_admin_serve(win, answer))
			usleep(20);
	return NULL;
}

/* The fake card advertises 4 policers, srTCM/trTCM/shaper, 1M..400G. */
static void advertise_meters(uint8_t *w)
{
	uint8_t *rec = w + OFF_REC;
	uint32_t at = 0;
	for (;;) {
		struct snic_cap_hdr h;
		memcpy(&h, rec + at, sizeof(h));
		if (h.type == SNIC_CAP_METERS) {
			struct snic_cap_meters m = { h, N_POLICERS,
				(1u << SNIC_METER_SRTCM) | (1u << SNIC_METER_TRTCM) |
				(1u << SNIC_METER_SHAPER), 1000000ull, 400000000000ull };
			memcpy(rec + at, &m, sizeof(m));
			return;
		}
		assert_true(h.type != SNIC_CAP_END && h.len > 0);
		at += h.len;
	}
}

static struct snic_dev *new_dev(void)
{
	struct snic_dev *d = snic_alloc();
	assert_int_equal(snic_attach(d, win, FW_SIZE), 0);
	snic_set_state_path(d, state_path);
	return d;
}

static struct snic_dev *dev;

static int setup(void **state)
{
	(void)state;
	win = fw_build();
	advertise_meters(win);
	memset(model_vnic, 0, sizeof(model_vnic));
	memset(model_rule, 0, sizeof(model_rule));
	memset(model_meter, 0, sizeof(model_meter));
	memset(model_shaper, 0, sizeof(model_shaper));
	publish_rings();
	snprintf(state_path, sizeof(state_path), "/tmp/snic-test-meter-%d.state", (int)getpid());
	unlink(state_path);
	stop_responder = 0;
	n_ops = 0;
	pthread_create(&responder, NULL, responder_main, NULL);
	dev = new_dev();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	stop_responder = 1;
	pthread_join(responder, NULL);
	snic_close(dev);
	free(win);
	unlink(state_path);
	return 0;
}

static void add_vnic(uint16_t id, int sw_only)
{
	struct snic_vnic_params p;
	memset(&p, 0, sizeof(p));
	p.id = id;
	p.vlan = SNIC_VLAN_NONE;
	p.mac[0] = 0x02;
	p.mac[5] = (uint8_t)(0x10 + id);
	p.sw_only = sw_only;
	assert_int_equal(snic_vnic_create(dev, &p, NULL), 0);
}

static struct snic_meter_set policer(uint16_t id, uint8_t mode, uint8_t flags, uint64_t cir,
				     uint32_t cbs, uint64_t eir, uint32_t ebs)
{
	struct snic_meter_set m = { id, mode, flags, 0, cir, eir, cbs, ebs };
	return m;
}

/* Mistakes the capabilities reveal are refused before anything is sent. */
static void local_refusals(void **state)
{
	(void)state;
	add_vnic(1, 0);
	const struct snic_meter_set bad[] = {
		policer(0, SNIC_METER_SRTCM, 0, 500000, 1000, 0, 0),             /* below 1M */
		policer(0, SNIC_METER_SRTCM, 0, 401000000000ull, 1000, 0, 0),    /* above 400G */
		policer(4, SNIC_METER_SRTCM, 0, 1000000, 1000, 0, 0),            /* no policer 4 */
		policer(0, SNIC_METER_SRTCM, 0, 1000000, 0, 0, 0),               /* no CBS */
		policer(0, SNIC_METER_SRTCM, 0, 1000000, 1000, 2000000, 1000),   /* srTCM + EIR */
		policer(0, SNIC_METER_TRTCM, 0, 2000000, 1000, 1000000, 1000),   /* PIR < CIR */
		policer(0, SNIC_METER_TRTCM, 0, 2000000, 1000, 3000000, 0),      /* no PBS */
		policer(0, SNIC_METER_SRTCM, SNIC_METERF_RFC4115, 1000000, 1000, 0, 0),
		policer(0, SNIC_METER_TRTCM, SNIC_METERF_RFC4115, 1000000, 1000, 1000000, 0),
		policer(0, SNIC_METER_SRTCM, 0x80, 1000000, 1000, 0, 0),         /* unknown flag */
		policer(0, 9, 0, 1000000, 1000, 0, 0),                           /* unknown mode */
		policer(0, SNIC_METER_SRTCM, 0, 1000000, (1u << 30) + 1, 0, 0),  /* burst > 1 GiB */
		policer(1, SNIC_METER_SHAPER, 0, 1000000, 255, 0, 0),            /* < buf_max 256 */
		policer(1, SNIC_METER_SHAPER, SNIC_METERF_WIRE, 1000000, 256, 0, 0), /* < 280 */
		policer(1, SNIC_METER_SHAPER, SNIC_METERF_MARK, 1000000, 1000, 0, 0),
		policer(1, SNIC_METER_SHAPER, 0, 2000000, 1000, 1000000, 1000),  /* peak < avg */
		policer(1, SNIC_METER_SHAPER, 0, 1000000, 1000, 0, 1000),        /* burst, no peak */
		policer(1, SNIC_METER_SHAPER, 0, 0, 1000, 0, 0),                 /* removal + burst */
	};
	unsigned before = n_ops;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (snic_meter_set(dev, &bad[i]) != SNIC_ERR_ARG)
			fail_msg("case %zu was not refused locally", i);
		assert_true(strlen(snic_errmsg(dev)) > 10);
	}
	assert_int_equal(n_ops, before);
	assert_int_equal(snic_meter_set(dev, &bad[0]), SNIC_ERR_ARG);
	assert_non_null(strstr(snic_errmsg(dev), "outside the device's range 1M..400G"));
}

/* What the device receives is exactly what was asked; the default peak
 * burst is one largest frame. The mirror keeps it across handles. */
static void payloads_and_mirror(void **state)
{
	(void)state;
	add_vnic(2, 0);
	struct snic_meter_set m = policer(3, SNIC_METER_TRTCM, SNIC_METERF_WIRE | SNIC_METERF_MARK,
					  100000000, 10000, 200000000, 20000);
	assert_int_equal(snic_meter_set(dev, &m), 0);
	assert_memory_equal(&last_meter, &m, sizeof(m));

	struct snic_vnic_rate r = { 10000000, 20000000, 4096, 0, 1 };
	assert_int_equal(snic_vnic_rate(dev, 2, &r), 0);
	struct snic_meter_set want = { 2, SNIC_METER_SHAPER, SNIC_METERF_WIRE, 0, 10000000,
				       20000000, 4096, 256 + 24 };
	assert_memory_equal(&last_meter, &want, sizeof(want));
	assert_int_equal(snic_max_frame_cost(dev, 0), 256);

	struct snic_dev *other = new_dev();
	const struct snic_mirror *mi;
	assert_int_equal(snic_mirror_get(other, &mi), 0);
	assert_memory_equal(&mi->policer[3], &m, sizeof(m));
	assert_memory_equal(&mi->shaper[2], &want, sizeof(want));
	assert_int_equal(mi->policer[0].mode, 0);

	/* A device error changes nothing in the mirror. */
	struct snic_meter_set orphan = want;
	orphan.meter = 5;   /* no VNIC 5 on the device */
	assert_int_equal(snic_meter_set(dev, &orphan), SNIC_E_NOENT);
	assert_int_equal(snic_mirror_get(other, &mi), 0);
	assert_int_equal(mi->shaper[5].mode, 0);

	/* Rate 0 removes the shaper; destroying the VNIC drops it too. */
	struct snic_vnic_rate off = { 0, 0, 0, 0, 0 };
	assert_int_equal(snic_vnic_rate(dev, 2, &off), 0);
	assert_int_equal(snic_mirror_get(other, &mi), 0);
	assert_int_equal(mi->shaper[2].mode, 0);
	assert_int_equal(snic_vnic_rate(dev, 2, &r), 0);
	assert_int_equal(snic_vnic_destroy(dev, 2), 0);
	assert_int_equal(snic_mirror_get(other, &mi), 0);
	assert_int_equal(mi->shaper[2].mode, 0);
	assert_int_equal(mi->policer[3].mode, SNIC_METER_TRTCM);
	snic_close(other);
}

struct log { unsigned restored, failed; };
static void on_item(void *arg, const struct snic_restore_item *it)
{
	struct log *l = arg;
	if (it->result == SNIC_RESTORE_FAILED)
		l->failed++;
	else
		l->restored++;
}

/* After a reboot, restore puts VNICs, then shapers and policers, then the
 * rules that name policers (the model refuses a rule whose policer is not
 * set, as the firmware does). */
static void restore_order(void **state)
{
	(void)state;
	add_vnic(1, 0);
	struct snic_meter_set pol = policer(2, SNIC_METER_SRTCM, 0, 5000000, 3000, 0, 6000);
	assert_int_equal(snic_meter_set(dev, &pol), 0);
	struct snic_vnic_rate r = { 3000000, 0, 1000, 0, 0 };
	assert_int_equal(snic_vnic_rate(dev, 1, &r), 0);
	struct snic_rule rule;
	memset(&rule, 0, sizeof(rule));
	rule.action.vnic = 1;
	rule.action.ring = SNIC_RING_DEFAULT;
	rule.action.meter = 2;
	rule.action.flags = SNIC_ACT_METER | SNIC_ACT_COUNT;
	assert_int_equal(snic_rule_add(dev, 7, &rule, NULL), 0);

	/* Reboot: the device forgets everything. */
	memset(model_vnic, 0, sizeof(model_vnic));
	memset(model_rule, 0, sizeof(model_rule));
	memset(model_meter, 0, sizeof(model_meter));
	memset(model_shaper, 0, sizeof(model_shaper));
	publish_rings();
	((struct snic_blk_devid *)win)->reset_count++;
	assert_int_equal(snic_mirror_stale(dev), 1);

	struct log l = { 0, 0 };
	unsigned first = n_ops;
	assert_int_equal(snic_restore(dev, on_item, &l), 0);
	assert_int_equal(l.failed, 0);
	assert_int_equal(l.restored, 4);   /* vnic, shaper, policer, rule */
	assert_memory_equal(&model_meter[2], &pol, sizeof(pol));
	assert_int_equal(model_shaper[1].cir_bps, 3000000);
	assert_true(model_rule[7].used);
	/* Order on the wire: VNIC_CREATE ... METER_SET x2 ... RULE_ADD. */
	int seen_create = 0, meters = 0;
	for (unsigned i = first; i < n_ops && i < 256; i++) {
		if (ops[i] == SNIC_CMD_VNIC_CREATE)
			seen_create = 1;
		if (ops[i] == SNIC_CMD_METER_SET) {
			assert_true(seen_create);
			meters++;
		}
		if (ops[i] == SNIC_CMD_RULE_ADD)
			assert_int_equal(meters, 2);
	}
	assert_int_equal(meters, 2);
}

/* Destroying the VNIC on HRR 1 moves the shared-ring VNIC with the
 * largest allocation onto it; --sw-only VNICs stay; the switch can be off. */
static void promotion(void **state)
{
	(void)state;
	add_vnic(1, 0);          /* takes HRR 1 */
	add_vnic(2, 0);          /* shared, allocation 5M (shaper) */
	add_vnic(3, 0);          /* shared, allocation 1 Gbit/s (its uplink) */
	add_vnic(4, 1);          /* --sw-only: never promoted */
	struct snic_vnic_rate r = { 5000000, 0, 1000, 0, 0 };
	assert_int_equal(snic_vnic_rate(dev, 2, &r), 0);
	assert_int_equal(snic_vnic_alloc_bps(dev, 2), 5000000);
	assert_int_equal(snic_vnic_alloc_bps(dev, 3), 1000000000ull);

	uint16_t v = 0, ring = 0;
	assert_int_equal(snic_promote(dev, &v, &ring), 0);   /* no free HRR yet */
	assert_int_equal(snic_vnic_destroy(dev, 1), 0);
	assert_int_equal(snic_last_promotion(dev, &v, &ring), 1);
	assert_int_equal(v, 3);
	assert_int_equal(ring, 1);
	assert_int_equal(model_vnic[3].rx, 1);
	const struct snic_mirror *mi;
	assert_int_equal(snic_mirror_get(dev, &mi), 0);
	assert_int_equal(mi->vnic[3].info.ring_state, SNIC_RING_BOUND);
	/* The refreshed MAC entry no longer sends VNIC 3 to the software ring. */
	assert_int_equal(mi->vnic[3].mac_rule.action.flags & SNIC_ACT_MARK_SW, 0);

	/* With automatic promotion off, a destroy moves nothing. */
	snic_set_auto_promote(dev, 0);
	assert_int_equal(snic_vnic_destroy(dev, 3), 0);
	assert_int_equal(snic_last_promotion(dev, &v, &ring), 0);
	assert_int_equal(rxq(1)->state, SNIC_RING_UNBOUND);
	/* By hand: VNIC 2 (VNIC 4 is --sw-only). */
	assert_int_equal(snic_promote(dev, &v, &ring), 1);
	assert_int_equal(v, 2);
	assert_int_equal(snic_promote(dev, &v, &ring), 0);   /* HRR 1 taken again */
}

/* Ring plans follow the VNICs' allocations: HRR 1 its VNIC's, the shared
 * HRR the sum of its VNICs'. */
static void ring_plans(void **state)
{
	(void)state;
	add_vnic(1, 0);
	add_vnic(2, 1);
	add_vnic(3, 1);
	struct snic_vnic_rate r1 = { 20000000, 50000000, 1000, 0, 0 };  /* peak counts */
	struct snic_vnic_rate r2 = { 3000000, 0, 1000, 0, 0 };
	struct snic_vnic_rate r3 = { 4000000, 0, 1000, 0, 0 };
	assert_int_equal(snic_vnic_rate(dev, 1, &r1), 0);
	assert_int_equal(snic_vnic_rate(dev, 2, &r2), 0);
	assert_int_equal(snic_vnic_rate(dev, 3, &r3), 0);
	struct snic_poll_plan p, want;
	assert_int_equal(snic_ring_poll_plan(dev, 1, &p), 0);
	snic_poll_plan_for(50000000, FW_RING_SIZE, &want);
	assert_memory_equal(&p, &want, sizeof(p));
	assert_int_equal(snic_ring_poll_plan(dev, 0, &p), 0);
	assert_int_equal(p.alloc_bps, 7000000);
	assert_int_equal(snic_ring_poll_plan(dev, 2, &p), SNIC_ERR_ARG);   /* no HRR 2 */
}

/* A state file of version 1 (before meters) is still read; a bad meter
 * record in a version 2 file is refused. Files written by hand. */
static void state_file_versions(void **state)
{
	(void)state;
	struct {
		char magic[8];
		uint32_t version, vnic_rec, rule_rec, n_vnics, n_rules, reset_count, generation;
		uint32_t checksum, meter_rec, n_meters;
	} h;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, "SNICHST", 8);
	h.version = 1;
	h.vnic_rec = sizeof(struct snic_mirror_vnic);
	h.rule_rec = sizeof(struct snic_mirror_rule);
	h.checksum = 2166136261u;   /* FNV-1a of no bytes */
	FILE *f = fopen(state_path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(&h, 1, 40, f), 40);   /* the version 1 header */
	fclose(f);
	const struct snic_mirror *mi;
	assert_int_equal(snic_mirror_get(dev, &mi), 0);
	assert_int_equal(mi->n_rules, 0);

	/* Version 2 with one meter record naming mode 9: corrupt. */
	struct snic_meter_set bad = { 1, 9, 0, 0, 1000000, 0, 1000, 0 };
	const uint8_t *b = (const uint8_t *)&bad;
	uint32_t fnv = 2166136261u;
	for (size_t i = 0; i < sizeof(bad); i++)
		fnv = (fnv ^ b[i]) * 16777619u;
	h.version = 2;
	h.checksum = fnv;
	h.meter_rec = sizeof(bad);
	h.n_meters = 1;
	f = fopen(state_path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(&h, 1, sizeof(h), f), sizeof(h));
	assert_int_equal(fwrite(&bad, 1, sizeof(bad), f), sizeof(bad));
	fclose(f);
	assert_int_equal(snic_mirror_get(dev, &mi), SNIC_ERR_STATEFILE);
	assert_non_null(strstr(snic_errmsg(dev), "bad meter record"));
	/* Nothing is sent on a corrupt file. */
	unsigned before = n_ops;
	struct snic_meter_set ok = policer(1, SNIC_METER_SRTCM, 0, 1000000, 1000, 0, 0);
	assert_int_equal(snic_meter_set(dev, &ok), SNIC_ERR_STATEFILE);
	assert_int_equal(n_ops, before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(local_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(payloads_and_mirror, setup, teardown),
		cmocka_unit_test_setup_teardown(restore_order, setup, teardown),
		cmocka_unit_test_setup_teardown(promotion, setup, teardown),
		cmocka_unit_test_setup_teardown(ring_plans, setup, teardown),
		cmocka_unit_test_setup_teardown(state_file_versions, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
