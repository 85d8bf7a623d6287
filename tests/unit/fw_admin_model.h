/* SPDX-License-Identifier: MIT */
/*
 * A model of the firmware's VNIC and rule tables, kept from the admin
 * commands the device accepted, for adversarial command sequences on the
 * real admin path (tests/unit/test_fw_admin_model.c with a seeded PRNG,
 * fuzz/fuzz_fw_admin.c with fuzzer bytes).
 *
 * Each step sends one command chosen by the byte source: well-formed or
 * malformed VNIC create/destroy, rule add/delete, reset, firmware update
 * commands, wrong lengths, unknown opcodes. Where the ABI says a command must be refused
 * (reserved bits, a VLAN out of range, a taken id or location, a rule
 * naming a VNIC that does not exist, deleting what is not there, a VNIC
 * that rules still steer to) an acceptance is a divergence. Accepted
 * commands update the model; fwm_check() then queries every VNIC and rule
 * back and compares. The device only talks through `admin`; the model
 * never looks at firmware internals.
 *
 * Static functions: include it in the one program that uses it.
 */
#ifndef SNIC_TESTS_FW_ADMIN_MODEL_H
#define SNIC_TESTS_FW_ADMIN_MODEL_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <snic/abi.h>

#define FWM_VNICS   1024  /* largest max_vnics of the profiles */
#define FWM_RULES   1024  /* largest ternary table */
#define FWM_VNIC_ID 20    /* ids the generator names (some past small's 16) */
#define FWM_LOCS    40    /* locations the generator names */

typedef int (*fwm_admin_fn)(uint16_t opcode, const void *payload, uint32_t len,
			    struct snic_admin_cpl *cpl);
typedef uint32_t (*fwm_rand_fn)(void *ctx);

struct fwm_vnic {
	int      used;
	uint16_t vlan;
	uint8_t  mac[6];
};

struct fwm {
	fwm_admin_fn admin;
	void *(*win)(uint64_t off);   /* window bytes (the capability records) */
	fwm_rand_fn rnd;
	void    *rnd_ctx;
	uint32_t max_vnics, user_entries;
	struct fwm_vnic vnic[FWM_VNICS];
	uint8_t  rule_used[FWM_RULES];
	struct snic_rule rule[FWM_RULES];
	unsigned commands;
	uint32_t flash_off;           /* bytes of the image being written so far */
	char     why[256];            /* the first divergence */
};

static int fwm_fail(struct fwm *m, const char *fmt, unsigned a, unsigned b)
{
	if (!m->why[0])
		snprintf(m->why, sizeof(m->why), fmt, a, b);
	return -1;
}

static uint32_t fwm_pick(struct fwm *m, uint32_t n)
{
	return n ? m->rnd(m->rnd_ctx) % n : 0;
}

/* Table sizes from the device's own capability records. */
static int fwm_init(struct fwm *m)
{
	struct snic_admin_cpl cpl;
	struct snic_caps_info ci;

	memset(m->vnic, 0, sizeof(m->vnic));
	memset(m->rule_used, 0, sizeof(m->rule_used));
	m->why[0] = 0;
	if (m->admin(SNIC_CMD_QUERY_CAPS, NULL, 0, &cpl) != SNIC_OK)
		return fwm_fail(m, "QUERY_CAPS refused", 0, 0);
	memcpy(&ci, cpl.payload, sizeof(ci));
	for (uint32_t at = 0; at + sizeof(struct snic_cap_hdr) <= ci.length;) {
		struct snic_cap_hdr h;
		memcpy(&h, m->win(ci.records + at), sizeof(h));
		if (h.type == SNIC_CAP_END || h.len < sizeof(h))
			break;
		if (h.type == SNIC_CAP_HEADER) {
			struct snic_cap_header r;
			memcpy(&r, m->win(ci.records + at), sizeof(r));
			m->max_vnics = r.max_vnics;
		} else if (h.type == SNIC_CAP_CLASSIFIER) {
			struct snic_cap_classifier r;
			memcpy(&r, m->win(ci.records + at), sizeof(r));
			m->user_entries = r.user_entries;
		}
		at += h.len;
	}
	if (!m->max_vnics || m->max_vnics > FWM_VNICS || !m->user_entries ||
	    m->user_entries > FWM_RULES)
		return fwm_fail(m, "capabilities: %u VNICs, %u rule entries", m->max_vnics,
				m->user_entries);
	return 0;
}

static int fwm_rules_name(const struct fwm *m, uint16_t vnic)
{
	for (uint32_t i = 0; i < FWM_RULES; i++)
		if (m->rule_used[i] && m->rule[i].action.vnic == vnic)
			return 1;
	return 0;
}

/* ---- one command of each kind; each returns 0 or -1 on divergence ---- */

static const uint16_t fwm_vlans[] = { SNIC_VLAN_NONE, 0, 1, 100, 4094, 4095, 0x8000 };

static int fwm_vnic_create(struct fwm *m)
{
	struct snic_vnic_create c;
	struct snic_admin_cpl cpl;
	struct snic_vnic_info info;
	int must_fail = 0;

	memset(&c, 0, sizeof(c));
	c.vnic = fwm_pick(m, 4) == 0 ? SNIC_ID_ANY : (uint16_t)fwm_pick(m, FWM_VNIC_ID);
	c.vlan = fwm_vlans[fwm_pick(m, sizeof(fwm_vlans) / sizeof(fwm_vlans[0]))];
	c.mac[0] = fwm_pick(m, 8) == 0 ? 0x03 : 0x02;  /* sometimes multicast */
	c.mac[5] = (uint8_t)fwm_pick(m, 12);            /* few MACs: clashes */
	c.flags = fwm_pick(m, 8) == 0 ? SNIC_VNICF_SW_ONLY : 0;
	c.uplink = (uint8_t)fwm_pick(m, 2);
	if (fwm_pick(m, 16) == 0) {
		c.rsvd = 1;
		must_fail = 1;
	}
	if (c.vlan > 4094 && c.vlan != SNIC_VLAN_NONE)
		must_fail = 1;
	if (c.mac[0] & 1)
		must_fail = 1;
	if (c.vnic != SNIC_ID_ANY && (c.vnic >= m->max_vnics || m->vnic[c.vnic].used))
		must_fail = 1;
	int st = m->admin(SNIC_CMD_VNIC_CREATE, &c, sizeof(c), &cpl);
	if (st != SNIC_OK)
		return 0;
	if (must_fail)
		return fwm_fail(m, "VNIC_CREATE of id %u (vlan %u) accepted; the ABI refuses it",
				c.vnic, c.vlan);
	memcpy(&info, cpl.payload, sizeof(info));
	if (info.vnic >= m->max_vnics || m->vnic[info.vnic].used ||
	    (c.vnic != SNIC_ID_ANY && info.vnic != c.vnic))
		return fwm_fail(m, "VNIC_CREATE gave id %u (asked %u)", info.vnic, c.vnic);
	if (info.vlan != c.vlan || memcmp(info.mac, c.mac, 6))
		return fwm_fail(m, "VNIC_CREATE %u answered vlan %u", info.vnic, info.vlan);
	m->vnic[info.vnic].used = 1;
	m->vnic[info.vnic].vlan = c.vlan;
	memcpy(m->vnic[info.vnic].mac, c.mac, 6);
	return 0;
}

static int fwm_vnic_destroy(struct fwm *m)
{
	struct snic_vnic_ref r = { (uint16_t)fwm_pick(m, FWM_VNIC_ID), 0 };

	if (fwm_pick(m, 16) == 0)
		r.rsvd = 1;
	int must_fail = r.rsvd || r.vnic >= m->max_vnics || !m->vnic[r.vnic].used ||
			fwm_rules_name(m, r.vnic);
	if (m->admin(SNIC_CMD_VNIC_DESTROY, &r, sizeof(r), NULL) != SNIC_OK)
		return 0;
	if (must_fail)
		return fwm_fail(m, "VNIC_DESTROY %u accepted (rsvd %u): absent or steered to",
				r.vnic, r.rsvd);
	m->vnic[r.vnic].used = 0;
	return 0;
}

/* A rule on a few fields, value within its mask, aimed at a VNIC or a drop. */
static void fwm_make_rule(struct fwm *m, struct snic_rule *r)
{
	memset(r, 0, sizeof(*r));
	if (fwm_pick(m, 2)) {
		r->value.dmac[0] = 0x02;
		r->value.dmac[5] = (uint8_t)fwm_pick(m, 12);
		memset(r->mask.dmac, 0xff, 6);
	}
	if (fwm_pick(m, 3) == 0) {
		r->value.ethertype[0] = 0x08;
		r->mask.ethertype[0] = r->mask.ethertype[1] = 0xff;
	}
	if (fwm_pick(m, 3) == 0) {
		r->value.vlan[1] = (uint8_t)fwm_pick(m, 200);
		r->mask.vlan[0] = 0x0f;
		r->mask.vlan[1] = 0xff;
	}
	r->action.ring = SNIC_RING_DEFAULT;
	r->action.meter = SNIC_METER_NONE;
	if (fwm_pick(m, 5) == 0) {
		r->action.vnic = SNIC_VNIC_NONE;
		r->action.flags = SNIC_ACT_DROP;
	} else {
		r->action.vnic = (uint16_t)fwm_pick(m, FWM_VNIC_ID);
		r->action.flags = fwm_pick(m, 2) ? SNIC_ACT_COUNT : 0;
	}
}

static int fwm_rule_add(struct fwm *m)
{
	struct snic_rule_add a;
	struct snic_admin_cpl cpl;
	struct snic_rule_ref ref;
	int must_fail = 0;

	memset(&a, 0, sizeof(a));
	a.loc = fwm_pick(m, 3) == 0 ? SNIC_LOC_ANY : fwm_pick(m, FWM_LOCS);
	if (fwm_pick(m, 20) == 0)
		a.loc = m->user_entries + fwm_pick(m, 3);  /* a MAC entry or past the table */
	fwm_make_rule(m, &a.rule);
	if (fwm_pick(m, 16) == 0) {
		a.rule.action.gen = 1; /* host-set incarnation: refused */
		must_fail = 1;
	}
	if (a.loc != SNIC_LOC_ANY && (a.loc >= m->user_entries || m->rule_used[a.loc]))
		must_fail = 1;
	uint16_t v = a.rule.action.vnic;
	if (v != SNIC_VNIC_NONE && (v >= m->max_vnics || !m->vnic[v].used))
		must_fail = 1;
	if (m->admin(SNIC_CMD_RULE_ADD, &a, sizeof(a), &cpl) != SNIC_OK)
		return 0;
	if (must_fail)
		return fwm_fail(m, "RULE_ADD at %u for VNIC %u accepted; the ABI refuses it",
				a.loc, v);
	memcpy(&ref, cpl.payload, sizeof(ref));
	if (ref.loc >= m->user_entries || m->rule_used[ref.loc] ||
	    (a.loc != SNIC_LOC_ANY && ref.loc != a.loc))
		return fwm_fail(m, "RULE_ADD placed at %u (asked %u)", ref.loc, a.loc);
	m->rule_used[ref.loc] = 1;
	m->rule[ref.loc] = a.rule;
	return 0;
}

static int fwm_rule_del(struct fwm *m)
{
	struct snic_rule_ref r = { fwm_pick(m, FWM_LOCS + 2) };

	int must_fail = r.loc >= m->user_entries || !m->rule_used[r.loc];
	if (m->admin(SNIC_CMD_RULE_DEL, &r, sizeof(r), NULL) != SNIC_OK)
		return 0;
	if (must_fail)
		return fwm_fail(m, "RULE_DEL %u accepted; nothing there (%u)", r.loc, 0);
	m->rule_used[r.loc] = 0;
	return 0;
}

/* Malformed: a state-changing opcode with a wrong length, or no opcode. */
static int fwm_garbage(struct fwm *m)
{
	static const uint16_t ops[] = { SNIC_CMD_VNIC_CREATE, SNIC_CMD_VNIC_DESTROY,
					SNIC_CMD_RULE_ADD, SNIC_CMD_RULE_DEL, SNIC_CMD_RESET };
	uint8_t junk[SNIC_ADMIN_PAYLOAD];
	uint16_t op = fwm_pick(m, 4) == 0 ? (uint16_t)(0x80 + fwm_pick(m, 0x7f))
					  : ops[fwm_pick(m, 5)];
	uint32_t len = fwm_pick(m, SNIC_ADMIN_PAYLOAD + 1);

	for (unsigned i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)fwm_pick(m, 256);
	/* The right length is a real command: give it a wrong one. */
	if ((op == SNIC_CMD_VNIC_CREATE && len == sizeof(struct snic_vnic_create)) ||
	    (op == SNIC_CMD_VNIC_DESTROY && len == sizeof(struct snic_vnic_ref)) ||
	    (op == SNIC_CMD_RULE_ADD && len == sizeof(struct snic_rule_add)) ||
	    (op == SNIC_CMD_RULE_DEL && len == sizeof(struct snic_rule_ref)) ||
	    (op == SNIC_CMD_RESET && len == 0))
		len++;
	int st = m->admin(op, junk, len, NULL);
	if (st == SNIC_OK)
		return fwm_fail(m, "opcode 0x%x with %u payload bytes accepted", op, len);
	return 0;
}

/*
 * A firmware update command (query, begin, write, commit) with choices
 * for sizes, offsets and CRCs. Whatever it does to the flash, it must
 * leave VNICs and rules alone: fwm_check() sees to that.
 */
static int fwm_flash(struct fwm *m)
{
	struct snic_flash_write w;
	uint32_t k = fwm_pick(m, 4);

	memset(&w, 0, sizeof(w));
	w.offset = m->flash_off;
	w.len = 1 + fwm_pick(m, SNIC_FLASH_CHUNK);
	for (uint32_t i = 0; i < w.len; i += 1 + fwm_pick(m, 16))
		w.data[i] = (uint8_t)fwm_pick(m, 256);
	if (k == 0)
		return m->admin(SNIC_CMD_FLASH_QUERY, NULL, 0, NULL), 0;
	if (k == 1) {   /* BEGIN and COMMIT share one layout */
		struct snic_flash_begin b = { 96 + fwm_pick(m, 4096), fwm_pick(m, 256), { 0, 0 } };
		uint16_t op = fwm_pick(m, 2) ? SNIC_CMD_FLASH_BEGIN : SNIC_CMD_FLASH_COMMIT;
		if (m->admin(op, &b, sizeof(b), NULL) == SNIC_OK && op == SNIC_CMD_FLASH_BEGIN)
			m->flash_off = 0;
		return 0;
	}
	if (m->admin(SNIC_CMD_FLASH_WRITE, &w, sizeof(w), NULL) == SNIC_OK)
		m->flash_off += w.len;
	return 0;
}

static void fwm_forget_all(struct fwm *m)
{
	memset(m->vnic, 0, sizeof(m->vnic));
	memset(m->rule_used, 0, sizeof(m->rule_used));
}

/* One command; 0, or -1 with the divergence in m->why. */
static int fwm_step(struct fwm *m)
{
	uint32_t k = fwm_pick(m, 100);
	int rc;

	m->commands++;
	if (k < 30)
		rc = fwm_vnic_create(m);
	else if (k < 42)
		rc = fwm_vnic_destroy(m);
	else if (k < 75)
		rc = fwm_rule_add(m);
	else if (k < 90)
		rc = fwm_rule_del(m);
	else if (k < 94)
		rc = fwm_garbage(m);
	else if (k < 98)
		rc = fwm_flash(m);
	else {
		rc = m->admin(SNIC_CMD_RESET, NULL, 0, NULL) == SNIC_OK ? 0
		     : fwm_fail(m, "RESET refused", 0, 0);
		fwm_forget_all(m);
	}
	return rc;
}

/* Query every VNIC and rule location back; compare with the model. */
static int fwm_check(struct fwm *m)
{
	struct snic_admin_cpl cpl;

	for (uint32_t id = 0; id < m->max_vnics; id++) {
		struct snic_vnic_ref r = { (uint16_t)id, 0 };
		struct snic_vnic_info info;
		int st = m->admin(SNIC_CMD_VNIC_QUERY, &r, sizeof(r), &cpl);
		if ((st == SNIC_OK) != m->vnic[id].used)
			return fwm_fail(m, "VNIC %u: query status %u against the model", id, st);
		if (st != SNIC_OK)
			continue;
		memcpy(&info, cpl.payload, sizeof(info));
		if (info.vnic != id || info.vlan != m->vnic[id].vlan ||
		    memcmp(info.mac, m->vnic[id].mac, 6))
			return fwm_fail(m, "VNIC %u: query answers vlan %u", id, info.vlan);
	}
	for (uint32_t loc = 0; loc < m->user_entries; loc++) {
		struct snic_rule_ref r = { loc };
		struct snic_rule_info ri;
		int st = m->admin(SNIC_CMD_RULE_QUERY, &r, sizeof(r), &cpl);
		if ((st == SNIC_OK) != m->rule_used[loc])
			return fwm_fail(m, "rule %u: query status %u against the model", loc, st);
		if (st != SNIC_OK)
			continue;
		memcpy(&ri, cpl.payload, sizeof(ri));
		const struct snic_rule *w = &m->rule[loc];
		if (ri.loc != loc || memcmp(&ri.rule.mask, &w->mask, sizeof(w->mask)) ||
		    memcmp(&ri.rule.value, &w->value, sizeof(w->value)) ||
		    memcmp(&ri.rule.action, &w->action, sizeof(w->action)))
			return fwm_fail(m, "rule %u: query answers another rule (vnic %u)", loc,
					ri.rule.action.vnic);
	}
	return 0;
}

#endif
