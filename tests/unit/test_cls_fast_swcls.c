/* SPDX-License-Identifier: MIT */
/*
 * The host software classifier updates its fast classifier incrementally
 * on every state-file change: after each of many random rule changes
 * (entries added, removed, rewritten in place, actions changed alone),
 * written by another process, its decisions for random TCP frames must be
 * the reference snic_tcam_lookup's over the same rules at the same
 * indices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>
#include "snic_impl.h"
#include "swcls_fixture.h"
#include "classifier.h"
#include "../hdl/pktgen.h"

#define LOCS   48u   /* within the fake card's user entries */
#define PORTS  8u    /* destination ports 1000..1007: rules overlap */

/* The rules as the test wrote them, at their indices. */
struct model {
	struct snic_rule e[LOCS];
	uint8_t valid[LOCS];
	struct snic_tcam t;
};

static void put_model(const struct model *md)
{
	struct snic_dev *w = snic_alloc();

	assert_int_equal(snic_attach(w, win, FW_SIZE), 0);
	snic_set_state_path(w, state_path);
	assert_int_equal(snic_mirror_begin(w, 1), 0);
	struct snic_mirror *m = w->mirror;
	memset(m, 0, sizeof(*m));
	for (uint16_t v = 1; v <= 3; v++) {   /* known VNICs, no MAC entries */
		m->vnic[v].used = 1;
		m->vnic[v].params.id = v;
		m->vnic[v].info.vnic = v;
		m->vnic[v].info.ring_state = SNIC_RING_SHARED;
	}
	for (uint32_t i = 0; i < LOCS; i++)
		if (md->valid[i]) {
			m->rule[m->n_rules].loc = i;
			m->rule[m->n_rules++].rule = md->e[i];
		}
	assert_int_equal(snic_mirror_end(w, 1), 0);
	snic_close(w);
	usleep(2000);   /* distinct mtimes even on coarse clocks */
}

static void random_rule(struct rng *r, struct snic_rule *x)
{
	memset(x, 0, sizeof(*x));
	x->value.ip_proto = 6;
	x->mask.ip_proto = rng_pct(r, 50) ? 0xff : 0;
	x->value.dport[1] = (uint8_t)(1000 + rng_below(r, PORTS));
	x->value.dport[0] = (1000 + PORTS) >> 8;
	x->mask.dport[0] = 0xff;
	x->mask.dport[1] = (uint8_t)(rng_pct(r, 70) ? 0xff : 0xf8);   /* some cover all */
	x->action.vnic = (uint16_t)(1 + rng_below(r, 3));
	x->action.flags = rng_pct(r, 15) ? SNIC_ACT_DROP : SNIC_ACT_COUNT;
}

static void change(struct rng *r, struct model *md)
{
	uint32_t i = rng_below(r, LOCS), what = rng_below(r, 4);

	if (what == 0) {
		md->valid[i] = 0;
	} else if (what == 1 && md->valid[i]) {   /* the action alone */
		md->e[i].action.vnic = (uint16_t)(1 + (md->e[i].action.vnic % 3));
	} else {
		random_rule(r, &md->e[i]);
		md->valid[i] = 1;
	}
}

/* Ethernet, IPv4, TCP to `dport`; 60 bytes. */
static uint32_t tcp_frame(uint8_t *f, uint16_t dport)
{
	static const uint8_t hdr[] = {
		2, 0, 0, 0, 0, 0x20, 2, 0, 0, 0, 0, 0x21, 0x08, 0x00,
		0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0x30, 0x39,
	};

	memset(f, 0, 60);
	memcpy(f, hdr, sizeof(hdr));
	f[sizeof(hdr)] = (uint8_t)(dport >> 8);
	f[sizeof(hdr) + 1] = (uint8_t)dport;
	f[sizeof(hdr) + 10] = 0x50;   /* TCP data offset */
	return 60;
}

static void count_vnic(void *arg, const struct snic_rx_frame *f)
{
	*(uint16_t *)arg = f->cpl.vnic;
}

/* One frame: the software classifier queues it where the reference says
 * (the hardware's pick agrees, so no re-read hides a wrong answer). */
static void check_frame(struct snic_swcls *s, const struct model *md, uint16_t dport)
{
	uint8_t buf[64];
	struct snic_key key;
	struct snic_match want;
	struct snic_rx_frame f;
	uint32_t n = tcp_frame(buf, dport);

	snic_parse(buf, n, n, 0, &key);
	snic_tcam_lookup(&md->t, &key, &want);
	int queued = want.rule != SNIC_RULE_MISS && !(want.action.flags & SNIC_ACT_DROP);
	memset(&f, 0, sizeof(f));
	f.cpl.len = n;
	f.cpl.rule = SNIC_RULE_MISS;
	f.cpl.vnic = queued ? want.action.vnic : SNIC_VNIC_NONE;
	f.cpl.flags = SNIC_RXF_HIT | SNIC_RXF_MARK_SW;
	f.data = buf;
	assert_int_equal(snic_swcls_input(s, &f), queued);
	uint16_t got = SNIC_VNIC_NONE;
	assert_int_equal(snic_srr_poll_all(s, 4, count_vnic, &got), (unsigned)queued);
	assert_int_equal(got, queued ? want.action.vnic : SNIC_VNIC_NONE);
}

static void follows_random_rule_changes(void **state)
{
	(void)state;
	static struct model md;
	struct rng r = { 21 };
	struct snic_swcls_stats st;

	memset(&md, 0, sizeof(md));
	md.t = (struct snic_tcam){ LOCS, md.e, md.valid };
	put_model(&md);
	struct snic_swcls *s = snic_swcls_new(dev, 16);
	assert_non_null(s);
	for (int step = 0; step < 120; step++) {
		for (int c = (int)rng_below(&r, 3); c >= 0; c--)
			change(&r, &md);
		put_model(&md);
		assert_int_equal(snic_swcls_refresh(s, 0), 1);
		for (uint16_t p = 1000 - 8; p < 1000 + PORTS + 8; p++)
			check_frame(s, &md, p);
	}
	snic_swcls_stats(s, &st);
	assert_int_equal(st.mismatch, 0);
	assert_true(st.hits > 500);   /* rules were hit, not only missed */
	snic_swcls_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(follows_random_rule_changes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
