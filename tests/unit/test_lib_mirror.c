/* SPDX-License-Identifier: MIT */
/*
 * libsnic: the host mirror (state file) and restore after a device reset,
 * against a responder thread with a tiny device model (VNIC and rule
 * tables) written here from admin.h.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>
#include "snic.h"
#include "snic_impl.h" /* the mirror transaction, to stop one half-way */
#include "test_lib_fakewin.h"

#define USER_ENTRIES 56   /* fake caps: 64 ternary, the top 8 for VNIC MACs */
#define MAX_VNICS    8

static uint8_t *win;
static pthread_t responder;
static volatile int stop_responder;
static unsigned n_cmds;
static char state_path[64];

static struct { int used; struct snic_vnic_create c; } model_vnic[MAX_VNICS];
static struct { int used; struct snic_rule r; } model_rule[64];


static void model_mac_rule(uint16_t id)
{
	struct snic_rule *r = &model_rule[USER_ENTRIES + id].r;
	memset(r, 0, sizeof(*r));
	memcpy(r->value.dmac, model_vnic[id].c.mac, 6);
	memset(r->mask.dmac, 0xff, 6);
	r->mask.flags = SNIC_KF_VLAN;
	r->action.vnic = id;
	r->action.flags = SNIC_ACT_COUNT | SNIC_ACT_MARK_SW;
	model_rule[USER_ENTRIES + id].used = 1;
}

static void vinfo(uint16_t id, struct snic_admin_cpl *p)
{
	struct snic_vnic_info i = { id, 0, 0, SNIC_RING_SHARED, model_vnic[id].c.vlan, { 0 },
				    (uint16_t)(USER_ENTRIES + id), 0 };
	memcpy(i.mac, model_vnic[id].c.mac, 6);
	memcpy(p->payload, &i, sizeof(i));
	p->len = sizeof(i);
}

static void answer(const struct snic_admin_cmd *c, struct snic_admin_cpl *p)
{
	struct snic_vnic_create vc;
	struct snic_vnic_ref vr;
	struct snic_rule_add ra;
	struct snic_rule_ref rr;

	memset(p, 0, sizeof(*p));
	p->opcode = c->opcode;
	p->seq = c->seq;
	switch (c->opcode) {
	case SNIC_CMD_VNIC_CREATE:
		memcpy(&vc, c->payload, sizeof(vc));
		if (vc.vnic == SNIC_ID_ANY)
			for (vc.vnic = 0; vc.vnic < MAX_VNICS && model_vnic[vc.vnic].used; vc.vnic++)
				;
		if (vc.vnic >= MAX_VNICS) {
			p->status = SNIC_E_NOSPC;
		} else if (model_vnic[vc.vnic].used) {
			p->status = SNIC_E_EXIST;
		} else {
			model_vnic[vc.vnic].used = 1;
			model_vnic[vc.vnic].c = vc;
			model_mac_rule(vc.vnic);
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
			model_vnic[vr.vnic].used = 0;
			model_rule[USER_ENTRIES + vr.vnic].used = 0;
		}
		break;
	case SNIC_CMD_RULE_ADD:
		memcpy(&ra, c->payload, sizeof(ra));
		if (ra.loc == SNIC_LOC_ANY)
			for (ra.loc = 0; ra.loc < USER_ENTRIES && model_rule[ra.loc].used; ra.loc++)
				;
		if (ra.loc >= USER_ENTRIES) {
			p->status = SNIC_E_NOSPC;
		} else if (model_rule[ra.loc].used) {
			p->status = SNIC_E_EXIST;
		} else {
			model_rule[ra.loc].used = 1;
			model_rule[ra.loc].r = ra.rule;
			rr.loc = ra.loc;
			memcpy(p->payload, &rr, sizeof(rr));
			p->len = sizeof(rr);
		}
		break;
	case SNIC_CMD_RULE_QUERY:
	case SNIC_CMD_RULE_DEL:
		memcpy(&rr, c->payload, sizeof(rr));
		if (rr.loc >= 64 || !model_rule[rr.loc].used) {
			p->status = SNIC_E_NOENT;
		} else if (c->opcode == SNIC_CMD_RULE_QUERY) {
			struct snic_rule_info ri = { rr.loc, 0, 0, model_rule[rr.loc].r };
			memcpy(p->payload, &ri, sizeof(ri));
			p->len = sizeof(ri);
		} else {
			model_rule[rr.loc].used = 0;
		}
		break;
	case SNIC_CMD_RESET:
		memset(model_vnic, 0, sizeof(model_vnic));
		memset(model_rule, 0, sizeof(model_rule));
		break;
	default:
		p->status = SNIC_E_OPCODE;
	}
}

static void *responder_main(void *arg)
{
	(void)arg;
	while (!stop_responder) {
		if (fw_admin_serve(win, answer))
			n_cmds++;
		else
			usleep(20);
	}
	return NULL;
}

/* The device loses its configuration, as after a firmware reset. */
static void device_reboot(void)
{
	memset(model_vnic, 0, sizeof(model_vnic));
	memset(model_rule, 0, sizeof(model_rule));
	((struct snic_blk_devid *)win)->reset_count++;
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
	memset(model_vnic, 0, sizeof(model_vnic));
	memset(model_rule, 0, sizeof(model_rule));
	snprintf(state_path, sizeof(state_path), "/tmp/snic-test-mirror-%d.state", (int)getpid());
	unlink(state_path);
	stop_responder = 0;
	n_cmds = 0;
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

static struct snic_vnic_params vparams(uint16_t id, uint8_t last)
{
	struct snic_vnic_params p;
	memset(&p, 0, sizeof(p));
	p.id = id;
	p.vlan = SNIC_VLAN_NONE;
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, last };
	memcpy(p.mac, mac, 6);
	p.sw_only = 1;
	return p;
}

static struct snic_rule dport_rule(unsigned port, uint16_t vnic)
{
	struct snic_rule r;
	memset(&r, 0, sizeof(r));
	r.value.dport[0] = (uint8_t)(port >> 8);
	r.value.dport[1] = (uint8_t)port;
	memset(r.mask.dport, 0xff, 2);
	r.action.vnic = vnic;
	r.action.ring = SNIC_RING_DEFAULT;
	r.action.meter = SNIC_METER_NONE;
	r.action.flags = SNIC_ACT_COUNT;
	return r;
}

static void changes_shared_between_handles(void **state)
{
	(void)state;
	struct snic_vnic_params p = vparams(SNIC_ID_ANY, 1);
	struct snic_vnic_info info;
	struct snic_rule r = dport_rule(80, 0);
	uint32_t loc;
	assert_int_equal(snic_vnic_create(dev, &p, &info), 0);
	assert_int_equal(info.vnic, 0);
	assert_int_equal(snic_rule_add(dev, SNIC_LOC_ANY, &r, &loc), 0);
	assert_int_equal(loc, 0);

	struct snic_dev *other = new_dev();   /* another process, same state file */
	const struct snic_mirror *m;
	assert_int_equal(snic_mirror_get(other, &m), 0);
	assert_true(m->vnic[0].used);
	assert_memory_equal(m->vnic[0].params.mac, p.mac, 6);
	assert_int_equal(m->vnic[0].info.mac_rule, USER_ENTRIES);
	/* The device's own MAC entry was read back. */
	assert_true(m->vnic[0].has_mac_rule);
	assert_memory_equal(&m->vnic[0].mac_rule, &model_rule[USER_ENTRIES].r, sizeof(struct snic_rule));
	assert_int_equal(m->n_rules, 1);
	assert_int_equal(m->rule[0].loc, 0);
	assert_memory_equal(&m->rule[0].rule, &r, sizeof(r));

	/* Changes by the other handle are seen here. */
	assert_int_equal(snic_rule_del(other, 0), 0);
	assert_int_equal(snic_vnic_destroy(other, 0), 0);
	snic_close(other);
	assert_int_equal(snic_mirror_get(dev, &m), 0);
	assert_false(m->vnic[0].used);
	assert_int_equal(m->n_rules, 0);
}

static void rules_kept_sorted(void **state)
{
	(void)state;
	const struct snic_mirror *m;
	struct snic_vnic_params p = vparams(3, 3);
	assert_int_equal(snic_vnic_create(dev, &p, NULL), 0);
	unsigned locs[] = { 9, 2, 30, 5 };
	for (unsigned i = 0; i < 4; i++) {
		struct snic_rule r = dport_rule(1000 + locs[i], 3);
		assert_int_equal(snic_rule_add(dev, locs[i], &r, NULL), 0);
	}
	assert_int_equal(snic_mirror_get(dev, &m), 0);
	assert_int_equal(m->n_rules, 4);
	assert_int_equal(m->rule[0].loc, 2);
	assert_int_equal(m->rule[1].loc, 5);
	assert_int_equal(m->rule[2].loc, 9);
	assert_int_equal(m->rule[3].loc, 30);
	assert_int_equal(m->rule[3].rule.value.dport[1], (1030) & 0xff);
}

static void device_error_changes_nothing(void **state)
{
	(void)state;
	const struct snic_mirror *m;
	struct snic_rule r = dport_rule(80, 7);
	assert_int_equal(snic_rule_add(dev, 60, &r, NULL), SNIC_E_NOSPC);
	struct snic_vnic_params p = vparams(9, 9);   /* id beyond the model */
	assert_int_equal(snic_vnic_create(dev, &p, NULL), SNIC_E_NOSPC);
	assert_string_equal(snic_errmsg(dev), "table full (SNIC_E_NOSPC)");
	assert_int_equal(snic_mirror_get(dev, &m), 0);
	assert_int_equal(m->n_rules, 0);
	assert_false(m->vnic[9].used);
}

static void reset_clears(void **state)
{
	(void)state;
	const struct snic_mirror *m;
	struct snic_vnic_params p = vparams(1, 1);
	assert_int_equal(snic_vnic_create(dev, &p, NULL), 0);
	assert_int_equal(snic_reset(dev), 0);
	assert_int_equal(snic_mirror_get(dev, &m), 0);
	assert_false(m->vnic[1].used);
}

static unsigned n_items[3];
static void count_item(void *arg, const struct snic_restore_item *it)
{
	(void)arg;
	n_items[it->result]++;
}

static void restore_after_reboot(void **state)
{
	(void)state;
	struct snic_vnic_params p1 = vparams(1, 1), p4 = vparams(4, 4);
	struct snic_rule r1 = dport_rule(80, 1), r2 = dport_rule(443, 4);
	assert_int_equal(snic_vnic_create(dev, &p1, NULL), 0);
	assert_int_equal(snic_vnic_create(dev, &p4, NULL), 0);
	assert_int_equal(snic_rule_add(dev, 7, &r1, NULL), 0);
	assert_int_equal(snic_rule_add(dev, 3, &r2, NULL), 0);
	assert_int_equal(snic_mirror_stale(dev), 0);

	device_reboot();
	assert_int_equal(snic_mirror_stale(dev), 1);
	memset(n_items, 0, sizeof(n_items));
	assert_int_equal(snic_restore(dev, count_item, NULL), 0);
	assert_int_equal(n_items[SNIC_RESTORED], 4);
	/* The device holds exactly what it held before, at the same ids. */
	assert_true(model_vnic[1].used && model_vnic[4].used);
	assert_false(model_vnic[0].used);
	assert_memory_equal(model_vnic[4].c.mac, p4.mac, 6);
	assert_true(model_rule[7].used && model_rule[3].used);
	assert_memory_equal(&model_rule[7].r, &r1, sizeof(r1));
	assert_memory_equal(&model_rule[3].r, &r2, sizeof(r2));
	assert_int_equal(snic_mirror_stale(dev), 0);

	/* Restoring again finds everything present. */
	memset(n_items, 0, sizeof(n_items));
	assert_int_equal(snic_restore(dev, count_item, NULL), 0);
	assert_int_equal(n_items[SNIC_PRESENT], 4);
}

static void restore_conflict_reported(void **state)
{
	(void)state;
	struct snic_vnic_params p = vparams(2, 2);
	struct snic_rule r = dport_rule(80, 2), other = dport_rule(81, 2);
	assert_int_equal(snic_vnic_create(dev, &p, NULL), 0);
	assert_int_equal(snic_rule_add(dev, 5, &r, NULL), 0);
	assert_int_equal(snic_rule_add(dev, 6, &other, NULL), 0);
	device_reboot();
	/* Someone else took location 5 with a different rule meanwhile. */
	model_rule[5].used = 1;
	model_rule[5].r = dport_rule(9999, 2);
	memset(n_items, 0, sizeof(n_items));
	assert_int_equal(snic_restore(dev, count_item, NULL), SNIC_E_EXIST);
	assert_non_null(strstr(snic_errmsg(dev), "rule 5"));
	assert_int_equal(n_items[SNIC_RESTORED], 2);      /* the VNIC and rule 6 */
	assert_int_equal(n_items[SNIC_RESTORE_FAILED], 1);
	assert_true(model_rule[6].used);
}

static void write_file(const void *data, size_t len)
{
	FILE *f = fopen(state_path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void corrupt_state_files(void **state)
{
	(void)state;
	struct snic_vnic_params p = vparams(1, 1);
	assert_int_equal(snic_vnic_create(dev, &p, NULL), 0);
	FILE *f = fopen(state_path, "r");
	uint8_t good[4096];
	size_t len = fread(good, 1, sizeof(good), f);
	fclose(f);
	assert_true(len > 40 && len < sizeof(good));

	uint8_t bad[4096];
	struct { size_t at; uint8_t xor; size_t len; const char *why; } cases[] = {
		{ 0, 0x20, len, "bad magic" },
		{ len - 1, 0x01, len, "checksum" },
		{ 0, 0, len - 3, "size does not match" },
		{ 0, 0, 10, "shorter than its header" },
		{ 20, 0x01, len, "size does not match" },        /* n_vnics */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(bad, good, len);
		bad[cases[i].at] ^= cases[i].xor;
		write_file(bad, cases[i].len);
		unsigned before = n_cmds;
		struct snic_vnic_params q = vparams(2, 2);
		int rc = snic_vnic_create(dev, &q, NULL);
		if (rc != SNIC_ERR_STATEFILE || !strstr(snic_errmsg(dev), cases[i].why))
			fail_msg("case %zu: rc %d, '%s'", i, rc, snic_errmsg(dev));
		assert_int_equal(n_cmds, before);   /* nothing reached the device */
	}
	/* A reset replaces the corrupt file with a valid empty one. */
	assert_int_equal(snic_reset(dev), 0);
	const struct snic_mirror *m;
	assert_int_equal(snic_mirror_get(dev, &m), 0);
	assert_false(m->vnic[1].used);
}

static void mirroring_off(void **state)
{
	(void)state;
	snic_set_state_path(dev, "");
	struct snic_vnic_params p = vparams(1, 1);
	assert_int_equal(snic_vnic_create(dev, &p, NULL), 0);
	assert_int_equal(access(state_path, F_OK), -1);
	assert_int_equal(snic_restore(dev, NULL, NULL), SNIC_ERR_ARG);
}

/* A process killed after the device acted, before it saved its mirror:
 * its intent is left in the state file and the next transaction (any
 * process) settles it against the device. */
static void die_after_device(struct snic_dev *d)
{
	close(d->state_fd);   /* the kernel drops a dead process's lock so */
	d->state_fd = -1;
}

static void killed_mid_command_settled(void **state)
{
	(void)state;
	struct snic_vnic_params p = vparams(SNIC_ID_ANY, 7), q = vparams(SNIC_ID_ANY, 8);
	struct snic_vnic_info info;
	const struct snic_mirror *m;
	struct snic_rule r = dport_rule(443, 0);

	/* VNIC create: the device made it, the mirror was not saved. */
	struct snic_mirror_intent it = { .kind = SNIC_MINTENT_VNIC_ADD, .params = p };
	assert_int_equal(snic_mirror_begin(dev, 0), 0);
	assert_int_equal(snic_intent_begin(dev, &it), 0);
	assert_int_equal(snic_raw_vnic_create(dev, &p, &info), 0);
	die_after_device(dev);
	dev->intent_own = 0;
	struct snic_dev *next = new_dev();
	assert_int_equal(snic_vnic_create(next, &q, NULL), 0);
	assert_int_equal(snic_mirror_get(next, &m), 0);
	assert_true(m->vnic[info.vnic].used);
	assert_memory_equal(m->vnic[info.vnic].params.mac, p.mac, 6);
	assert_int_equal(m->intent.kind, 0);

	/* Rule add at any location, then VNIC destroy and rule delete. */
	it = (struct snic_mirror_intent){ .kind = SNIC_MINTENT_RULE_ADD, .loc = SNIC_LOC_ANY, .rule = r };
	uint32_t loc;
	assert_int_equal(snic_mirror_begin(dev, 0), 0);
	assert_int_equal(snic_intent_begin(dev, &it), 0);
	assert_int_equal(snic_raw_rule_add(dev, SNIC_LOC_ANY, &r, &loc), 0);
	die_after_device(dev);
	dev->intent_own = 0;  /* (that process is gone) */
	assert_int_equal(snic_mirror_get(next, &m), 0);   /* a reader sees it settled */
	assert_int_equal(m->intent.kind, 0);
	assert_int_equal(m->n_rules, 1);
	struct snic_vnic_ref ref = { info.vnic, 0 };
	it = (struct snic_mirror_intent){ .kind = SNIC_MINTENT_VNIC_DEL, .id = info.vnic };
	assert_int_equal(snic_mirror_begin(dev, 0), 0);   /* settles the rule first */
	assert_int_equal(snic_intent_begin(dev, &it), 0);
	assert_int_equal(snic_admin_exec(dev, SNIC_CMD_VNIC_DESTROY, &ref, sizeof(ref), NULL, 0, NULL), 0);
	die_after_device(dev);
	dev->intent_own = 0;
	assert_int_not_equal(loc, 50);
	assert_int_equal(snic_rule_del(next, 50), SNIC_E_NOENT); /* any transaction settles */
	assert_int_equal(snic_mirror_get(next, &m), 0);
	assert_false(m->vnic[info.vnic].used);
	assert_int_equal(m->n_rules, 1);
	assert_int_equal(m->rule[0].loc, loc);
	assert_memory_equal(&m->rule[0].rule, &r, sizeof(r));
	assert_int_equal(m->intent.kind, 0);
	snic_close(next);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(changes_shared_between_handles), T(rules_kept_sorted),
		T(device_error_changes_nothing), T(reset_clears), T(restore_after_reboot),
		T(restore_conflict_reported), T(corrupt_state_files), T(mirroring_off),
		T(killed_mid_command_settled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
