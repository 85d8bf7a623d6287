/* SPDX-License-Identifier: MIT */
/*
 * The host's own copy of the configuration: VNICs (creation parameters,
 * what the device answered, and the device's MAC steering entry) and the
 * rules added, persisted in a state file next to the window so separate
 * processes share it, the software classifier mirrors the hardware rules,
 * and `snic_restore` can replay everything after a device reset.
 *
 * File: a header (magic, version, record sizes, counts, the device's
 * reset_count when last in sync, generation, FNV-1a checksum of the body),
 * then the used VNIC records, then the rule records sorted by location,
 * then (version 2) the meter records: policers by id, then shapers by VNIC,
 * then (version 3) the bandwidth shares by VNIC, then (version 4) the L2
 * state by VNIC (receive mode and multicast list, VLANs, policy); version 5
 * gives rule records their flags (SNIC_MRULE_SW: held in software, in what
 * was a reserved zero word, so records keep their size); version 6 ends
 * with the change in flight, if any (intent.c). Older files (no meters,
 * no shares, no L2 state, no software rules, no intent) are still read.
 * Writers hold flock(LOCK_EX) on the file around command + update; readers
 * take LOCK_SH. A corrupt file is reported, never half-used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "snic_impl.h"

#define STATE_MAGIC   "SNICHST"
#define STATE_VERSION 6

struct state_hdr {
	char     magic[8];
	uint32_t version;
	uint32_t vnic_rec;     /* sizeof(struct snic_mirror_vnic) */
	uint32_t rule_rec;     /* sizeof(struct snic_mirror_rule) */
	uint32_t n_vnics;
	uint32_t n_rules;
	uint32_t reset_count;
	uint32_t generation;
	uint32_t checksum;     /* FNV-1a over everything after the header */
	/* version 2 */
	uint32_t meter_rec;    /* sizeof(struct snic_meter_set) */
	uint32_t n_meters;
	/* version 3 */
	uint32_t share_rec;    /* sizeof(struct snic_vnic_share) */
	uint32_t n_shares;
	/* version 4 */
	uint32_t l2_rec;       /* sizeof(struct snic_mirror_l2) */
	uint32_t n_l2;
	/* version 6 */
	uint32_t intent_rec;   /* sizeof(struct snic_mirror_intent) */
	uint32_t n_intent;     /* 0 or 1 */
};

/* Version 1 headers end before meter_rec. */
#define STATE_HDR_V1 offsetof(struct state_hdr, meter_rec)
#define STATE_HDR_V2 offsetof(struct state_hdr, share_rec)
#define STATE_HDR_V3 offsetof(struct state_hdr, l2_rec)
#define STATE_HDR_V5 offsetof(struct state_hdr, intent_rec)
#define MAX_METERS   (SNIC_MIRROR_MAX_POLICERS + SNIC_MIRROR_MAX_VNICS)

static uint32_t fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

void snic_set_state_path(struct snic_dev *d, const char *path)
{
	snprintf(d->state_path, sizeof(d->state_path), "%s", path ? path : "");
	d->state_path_set = 1;
}

const char *snic_state_path(const struct snic_dev *d)
{
	return d->state_path;
}

int snic_mirror_active(const struct snic_dev *d)
{
	return d->state_path[0] != 0;
}

static int mirror_alloc(struct snic_dev *d)
{
	if (!d->mirror)
		d->mirror = malloc(sizeof(*d->mirror));
	if (!d->mirror)
		return snic_seterr(d, SNIC_ERR_NOMEM, "no memory for the host mirror");
	memset(d->mirror, 0, sizeof(*d->mirror));
	return 0;
}

static int corrupt(struct snic_dev *d, const char *why)
{
	return snic_seterr(d, SNIC_ERR_STATEFILE,
			   "host state file %s is corrupt (%s): remove it or run 'snicctl reset'",
			   d->state_path, why);
}

static int parse_state(struct snic_dev *d, const uint8_t *buf, size_t len)
{
	struct snic_mirror *m = d->mirror;
	struct state_hdr h;

	if (len == 0)
		return 0;   /* just created: empty */
	if (len < STATE_HDR_V1)
		return corrupt(d, "shorter than its header");
	memset(&h, 0, sizeof(h));
	memcpy(&h, buf, STATE_HDR_V1);
	if (memcmp(h.magic, STATE_MAGIC, sizeof(h.magic)) || h.version < 1 ||
	    h.version > STATE_VERSION)
		return corrupt(d, "bad magic or version");
	size_t hlen = h.version == 1 ? STATE_HDR_V1 : h.version == 2 ? STATE_HDR_V2 :
		      h.version == 3 ? STATE_HDR_V3 : h.version <= 5 ? STATE_HDR_V5 : sizeof(h);
	if (len < hlen)
		return corrupt(d, "shorter than its header");
	memcpy(&h, buf, hlen);
	if (h.version == 1)
		h.meter_rec = sizeof(struct snic_meter_set);
	if (h.version <= 2)
		h.share_rec = sizeof(struct snic_vnic_share);
	if (h.version <= 3)
		h.l2_rec = sizeof(struct snic_mirror_l2);
	if (h.version <= 5)
		h.intent_rec = sizeof(struct snic_mirror_intent);
	if (h.vnic_rec != sizeof(struct snic_mirror_vnic) ||
	    h.rule_rec != sizeof(struct snic_mirror_rule) ||
	    h.meter_rec != sizeof(struct snic_meter_set) ||
	    h.share_rec != sizeof(struct snic_vnic_share) ||
	    h.l2_rec != sizeof(struct snic_mirror_l2) ||
	    h.intent_rec != sizeof(struct snic_mirror_intent))
		return corrupt(d, "written by an incompatible library");
	if (h.n_vnics > SNIC_MIRROR_MAX_VNICS || h.n_rules > SNIC_MIRROR_MAX_RULES ||
	    h.n_meters > MAX_METERS || h.n_shares > SNIC_MIRROR_MAX_VNICS ||
	    h.n_l2 > SNIC_MIRROR_MAX_VNICS || h.n_intent > 1)
		return corrupt(d, "too many records");
	size_t body = (size_t)h.n_vnics * h.vnic_rec + (size_t)h.n_rules * h.rule_rec +
		      (size_t)h.n_meters * h.meter_rec + (size_t)h.n_shares * h.share_rec +
		      (size_t)h.n_l2 * h.l2_rec + (size_t)h.n_intent * h.intent_rec;
	if (len != hlen + body)
		return corrupt(d, "size does not match its counts");
	if (fnv1a(buf + hlen, body) != h.checksum)
		return corrupt(d, "checksum mismatch");

	const uint8_t *p = buf + hlen;
	for (uint32_t i = 0; i < h.n_vnics; i++, p += h.vnic_rec) {
		struct snic_mirror_vnic v;
		memcpy(&v, p, sizeof(v));
		if (v.params.id >= SNIC_MIRROR_MAX_VNICS || !v.used || m->vnic[v.params.id].used)
			return corrupt(d, "bad VNIC record");
		m->vnic[v.params.id] = v;
	}
	for (uint32_t i = 0; i < h.n_rules; i++, p += h.rule_rec) {
		memcpy(&m->rule[i], p, sizeof(m->rule[i]));
		if (i && m->rule[i].loc <= m->rule[i - 1].loc)
			return corrupt(d, "rules out of order");
		if (m->rule[i].flags & ~(uint32_t)SNIC_MRULE_SW)
			return corrupt(d, "bad rule flags");
	}
	for (uint32_t i = 0; i < h.n_meters; i++, p += h.meter_rec) {
		struct snic_meter_set ms;
		memcpy(&ms, p, sizeof(ms));
		struct snic_meter_set *slot =
			ms.mode == SNIC_METER_SHAPER && ms.meter < SNIC_MIRROR_MAX_VNICS ?
				&m->shaper[ms.meter] :
			(ms.mode == SNIC_METER_SRTCM || ms.mode == SNIC_METER_TRTCM) &&
			ms.meter < SNIC_MIRROR_MAX_POLICERS ? &m->policer[ms.meter] : NULL;
		if (!slot || slot->mode)
			return corrupt(d, "bad meter record");
		*slot = ms;
	}
	for (uint32_t i = 0; i < h.n_shares; i++, p += h.share_rec) {
		struct snic_vnic_share sh;
		memcpy(&sh, p, sizeof(sh));
		if (sh.vnic >= SNIC_MIRROR_MAX_VNICS || (!sh.weight && !sh.min_bps) ||
		    m->share[sh.vnic].weight || m->share[sh.vnic].min_bps)
			return corrupt(d, "bad share record");
		m->share[sh.vnic] = sh;
	}
	for (uint32_t i = 0; i < h.n_l2; i++, p += h.l2_rec) {
		struct snic_mirror_l2 l;
		memcpy(&l, p, sizeof(l));
		uint16_t v = l.rxmode.vnic;
		if (!l.has || (l.has & ~(SNIC_ML2_RXMODE | SNIC_ML2_VLANS | SNIC_ML2_POLICY | SNIC_ML2_PVLAN)) ||
		    v >= SNIC_MIRROR_MAX_VNICS || l.vlans.vnic != v || l.policy.vnic != v ||
		    l.rxmode.n_mc > SNIC_L2_MC_PER_VNIC || l.vlans.n > SNIC_L2_VLANS_PER_VNIC ||
		    ((l.has & SNIC_ML2_PVLAN) && (l.pvlan_vid < 1 || l.pvlan_vid > 4094)) ||
		    m->l2[v].has)
			return corrupt(d, "bad L2 record");
		m->l2[v] = l;
	}
	if (h.n_intent) {
		memcpy(&m->intent, p, sizeof(m->intent));
		if (!m->intent.kind || m->intent.kind > SNIC_MINTENT_RULE_DEL)
			return corrupt(d, "bad intent record");
	}
	m->n_rules = h.n_rules;
	m->reset_count = h.reset_count;
	m->generation = h.generation;
	return 0;
}

/* Read the whole open file and parse it into a fresh mirror. */
static int read_state(struct snic_dev *d, int fd)
{
	struct stat st;
	int rc = mirror_alloc(d);

	if (rc)
		return rc;
	if (fstat(fd, &st) < 0)
		return snic_seterr(d, SNIC_ERR_SYS, "cannot stat %s: %s", d->state_path,
				   strerror(errno));
	if (st.st_size > (off_t)(sizeof(struct state_hdr) + sizeof(struct snic_mirror)))
		return corrupt(d, "too large");
	size_t len = (size_t)st.st_size;
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf)
		return snic_seterr(d, SNIC_ERR_NOMEM, "no memory for %s", d->state_path);
	ssize_t got = pread(fd, buf, len, 0);
	if (got != (ssize_t)len) {
		free(buf);
		return snic_seterr(d, SNIC_ERR_SYS, "cannot read %s", d->state_path);
	}
	rc = parse_state(d, buf, len);
	free(buf);
	if (rc)
		memset(d->mirror, 0, sizeof(*d->mirror));
	return rc;
}

int snic_mirror_load(struct snic_dev *d)
{
	if (!snic_mirror_active(d))
		return mirror_alloc(d);
	int fd = open(d->state_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return mirror_alloc(d);
		return snic_seterr(d, SNIC_ERR_SYS, "cannot open %s: %s", d->state_path,
				   strerror(errno));
	}
	flock(fd, LOCK_SH);
	int rc = read_state(d, fd);
	close(fd);   /* drops the lock */
	/* A change a killed process left in flight: a reader sees it settled
	 * too (the transaction settles it, then saves nothing else). */
	if (!rc && d->mirror->intent.kind && (rc = snic_mirror_begin(d, 0)) == 0)
		rc = snic_mirror_end(d, 0);
	return rc;
}

int snic_mirror_begin(struct snic_dev *d, int tolerant)
{
	if (!snic_mirror_active(d))
		return mirror_alloc(d);
	d->state_fd = open(d->state_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (d->state_fd < 0)
		return snic_seterr(d, SNIC_ERR_SYS, "cannot open host state file %s: %s",
				   d->state_path, strerror(errno));
	while (flock(d->state_fd, LOCK_EX) < 0 && errno == EINTR)
		;
	int rc = read_state(d, d->state_fd);
	if (rc && !(tolerant && rc == SNIC_ERR_STATEFILE)) {
		close(d->state_fd);
		d->state_fd = -1;
		return rc;
	}
	/* A change a killed process left in flight: settle it first. */
	if (!rc && d->mirror->intent.kind)
		snic_intent_settle(d);
	return 0;
}

int snic_mirror_end(struct snic_dev *d, int save)
{
	int rc = 0;

	if (d->state_fd < 0)
		return 0;
	/* This transaction's change has landed (or failed): the file says so. */
	if (d->intent_own) {
		memset(&d->mirror->intent, 0, sizeof(d->mirror->intent));
		d->intent_own = 0;
		save = 1;
	}
	if (save)
		rc = snic_mirror_write(d);
	close(d->state_fd);   /* drops the lock */
	d->state_fd = -1;
	return rc;
}

/* The file's body (every record) into buf after the header; fills h but
 * its checksum. Returns the file's length. */
static size_t serialize(const struct snic_mirror *m, uint8_t *buf, struct state_hdr *h_out)
{
	struct state_hdr h;
	size_t at = sizeof(h);

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, STATE_MAGIC, sizeof(h.magic));
	h.version = STATE_VERSION;
	h.vnic_rec = sizeof(struct snic_mirror_vnic);
	h.rule_rec = sizeof(struct snic_mirror_rule);
	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++) {
		if (!m->vnic[v].used)
			continue;
		memcpy(buf + at, &m->vnic[v], sizeof(m->vnic[v]));
		at += sizeof(m->vnic[v]);
		h.n_vnics++;
	}
	memcpy(buf + at, m->rule, m->n_rules * sizeof(m->rule[0]));
	at += m->n_rules * sizeof(m->rule[0]);
	h.n_rules = m->n_rules;
	h.meter_rec = sizeof(struct snic_meter_set);
	for (unsigned i = 0; i < MAX_METERS; i++) {
		const struct snic_meter_set *ms = i < SNIC_MIRROR_MAX_POLICERS ?
			&m->policer[i] : &m->shaper[i - SNIC_MIRROR_MAX_POLICERS];
		if (!ms->mode)
			continue;
		memcpy(buf + at, ms, sizeof(*ms));
		at += sizeof(*ms);
		h.n_meters++;
	}
	h.share_rec = sizeof(struct snic_vnic_share);
	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++) {
		const struct snic_vnic_share *sh = &m->share[v];
		if (!sh->weight && !sh->min_bps)
			continue;
		memcpy(buf + at, sh, sizeof(*sh));
		at += sizeof(*sh);
		h.n_shares++;
	}
	h.l2_rec = sizeof(struct snic_mirror_l2);
	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++) {
		if (!m->l2[v].has)
			continue;
		memcpy(buf + at, &m->l2[v], sizeof(m->l2[v]));
		at += sizeof(m->l2[v]);
		h.n_l2++;
	}
	h.intent_rec = sizeof(struct snic_mirror_intent);
	if (m->intent.kind) {
		memcpy(buf + at, &m->intent, sizeof(m->intent));
		at += sizeof(m->intent);
		h.n_intent = 1;
	}
	h.reset_count = m->reset_count;
	*h_out = h;
	return at;
}

int snic_mirror_write(struct snic_dev *d)
{
	if (d->state_fd < 0)
		return 0;
	struct snic_mirror *m = d->mirror;
	uint8_t *buf = malloc(sizeof(struct state_hdr) + sizeof(*m));
	struct state_hdr h;
	int rc = 0;

	if (!buf)
		return snic_seterr(d, SNIC_ERR_NOMEM, "no memory to save %s", d->state_path);
	size_t at = serialize(m, buf, &h);
	h.generation = ++m->generation;
	h.checksum = fnv1a(buf + sizeof(h), at - sizeof(h));
	memcpy(buf, &h, sizeof(h));
	if (pwrite(d->state_fd, buf, at, 0) != (ssize_t)at || ftruncate(d->state_fd, (off_t)at) < 0)
		rc = snic_seterr(d, SNIC_ERR_SYS, "cannot write %s: %s", d->state_path,
				 strerror(errno));
	free(buf);
	return rc;
}

static int mirror_empty(const struct snic_mirror *m)
{
	if (m->n_rules)
		return 0;
	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++)
		if (m->vnic[v].used || m->shaper[v].mode || m->share[v].weight ||
		    m->share[v].min_bps || m->l2[v].has)
			return 0;
	for (unsigned i = 0; i < SNIC_MIRROR_MAX_POLICERS; i++)
		if (m->policer[i].mode)
			return 0;
	return 1;
}

/* The first entry of an empty mirror marks it in sync with this device life. */
static void note_sync(struct snic_dev *d)
{
	if (mirror_empty(d->mirror))
		d->mirror->reset_count = snic_ld32(d, offsetof(struct snic_blk_devid, reset_count));
}

void snic_mirror_put_vnic(struct snic_dev *d, const struct snic_vnic_params *p,
			  const struct snic_vnic_info *info)
{
	if (!snic_mirror_active(d) || info->vnic >= SNIC_MIRROR_MAX_VNICS)
		return;
	note_sync(d);
	struct snic_mirror_vnic *v = &d->mirror->vnic[info->vnic];
	memset(v, 0, sizeof(*v));
	v->params = *p;
	v->params.id = info->vnic;
	v->info = *info;
	v->used = 1;
	/* The device's own MAC entry, so software matches hardware exactly. */
	struct snic_rule_info ri;
	if (snic_raw_rule_query(d, info->mac_rule, &ri) == SNIC_OK) {
		v->mac_rule = ri.rule;
		v->has_mac_rule = 1;
	}
}

void snic_mirror_drop_vnic(struct snic_dev *d, uint16_t vnic)
{
	if (vnic >= SNIC_MIRROR_MAX_VNICS)
		return;
	/* The device drops the VNIC's shaper, share and L2 state with it. */
	memset(&d->mirror->vnic[vnic], 0, sizeof(d->mirror->vnic[vnic]));
	memset(&d->mirror->shaper[vnic], 0, sizeof(d->mirror->shaper[vnic]));
	memset(&d->mirror->share[vnic], 0, sizeof(d->mirror->share[vnic]));
	memset(&d->mirror->l2[vnic], 0, sizeof(d->mirror->l2[vnic]));
}

/* A new MAC: the VNIC is re-created with it on restore, and the device's
 * MAC entry (which followed it) is read back for the software classifier. */
static void mirror_new_mac(struct snic_dev *d, const struct snic_vnic_mac *mc)
{
	struct snic_mirror_vnic *v = &d->mirror->vnic[mc->vnic];
	struct snic_rule_info ri;

	if (!v->used)
		return;
	memcpy(v->params.mac, mc->mac, 6);
	memcpy(v->info.mac, mc->mac, 6);
	v->has_mac_rule = 0;
	if (snic_raw_rule_query(d, v->info.mac_rule, &ri) == SNIC_OK) {
		v->mac_rule = ri.rule;
		v->has_mac_rule = 1;
	}
}

void snic_mirror_put_l2(struct snic_dev *d, uint16_t opcode, const void *payload)
{
	uint16_t vnic;

	memcpy(&vnic, payload, sizeof(vnic));   /* every L2 payload starts with it */
	if (!snic_mirror_active(d) || vnic >= SNIC_MIRROR_MAX_VNICS)
		return;
	note_sync(d);
	struct snic_mirror_l2 *l = &d->mirror->l2[vnic];
	switch (opcode) {
	case SNIC_CMD_VNIC_MAC:
		mirror_new_mac(d, payload);
		return;
	case SNIC_CMD_VNIC_RXMODE:
		memcpy(&l->rxmode, payload, sizeof(l->rxmode));
		l->has |= SNIC_ML2_RXMODE;
		break;
	case SNIC_CMD_VNIC_VLANS:
		memcpy(&l->vlans, payload, sizeof(l->vlans));
		l->has |= SNIC_ML2_VLANS;
		break;
	case SNIC_CMD_VNIC_POLICY:
		memcpy(&l->policy, payload, sizeof(l->policy));
		l->has |= SNIC_ML2_POLICY;
		/* The device drops PROMISC with the trust (l2.h): so do we. */
		if (!(l->policy.flags & SNIC_VPOL_TRUSTED))
			l->rxmode.flags &= (uint8_t)~SNIC_RXMODE_PROMISC;
		break;
	case SNIC_CMD_VNIC_PORT_VLAN: {
		const struct snic_vnic_port_vlan *p = payload;
		l->has &= (uint8_t)~SNIC_ML2_PVLAN;
		l->pvlan_vid = l->pvlan_pcp = 0;
		if (p->vid != SNIC_VLAN_NONE) {
			l->has |= SNIC_ML2_PVLAN;
			l->pvlan_vid = p->vid;
			l->pvlan_pcp = p->pcp;
		}
		break;
	}
	default:
		return;
	}
	l->rxmode.vnic = l->vlans.vnic = l->policy.vnic = vnic;
}

void snic_mirror_put_meter(struct snic_dev *d, const struct snic_meter_set *m)
{
	struct snic_meter_set *slot = NULL;

	if (!snic_mirror_active(d))
		return;
	if (m->mode == SNIC_METER_SHAPER && m->meter < SNIC_MIRROR_MAX_VNICS)
		slot = &d->mirror->shaper[m->meter];
	else if (m->mode != SNIC_METER_SHAPER && m->meter < SNIC_MIRROR_MAX_POLICERS)
		slot = &d->mirror->policer[m->meter];
	if (!slot)
		return;
	note_sync(d);
	if (m->mode == SNIC_METER_SHAPER && !m->cir_bps)
		memset(slot, 0, sizeof(*slot));   /* rate 0 removed it */
	else
		*slot = *m;
}

void snic_mirror_put_share(struct snic_dev *d, const struct snic_vnic_share *s)
{
	if (!snic_mirror_active(d) || s->vnic >= SNIC_MIRROR_MAX_VNICS)
		return;
	note_sync(d);
	struct snic_vnic_share *slot = &d->mirror->share[s->vnic];
	if (!s->weight && !s->min_bps)
		memset(slot, 0, sizeof(*slot));   /* all 0 removed it */
	else
		*slot = *s;
}

int snic_mirror_put_rule(struct snic_dev *d, uint32_t loc, const struct snic_rule *r,
			 uint32_t flags)
{
	struct snic_mirror *m = d->mirror;
	uint32_t i = 0;

	if (!snic_mirror_active(d))
		return 0;
	note_sync(d);
	while (i < m->n_rules && m->rule[i].loc < loc)
		i++;
	if (i == m->n_rules || m->rule[i].loc != loc) {
		if (m->n_rules == SNIC_MIRROR_MAX_RULES)
			return snic_seterr(d, SNIC_ERR_NOMEM, "host mirror holds at most %u rules",
					   SNIC_MIRROR_MAX_RULES);
		memmove(&m->rule[i + 1], &m->rule[i], (m->n_rules - i) * sizeof(m->rule[0]));
		m->n_rules++;
	}
	m->rule[i].loc = loc;
	m->rule[i].flags = flags;
	m->rule[i].rule = *r;
	return 0;
}

void snic_mirror_drop_rule(struct snic_dev *d, uint32_t loc)
{
	struct snic_mirror *m = d->mirror;

	for (uint32_t i = 0; i < m->n_rules; i++) {
		if (m->rule[i].loc != loc)
			continue;
		memmove(&m->rule[i], &m->rule[i + 1], (m->n_rules - i - 1) * sizeof(m->rule[0]));
		m->n_rules--;
		return;
	}
}

void snic_mirror_clear(struct snic_dev *d)
{
	uint32_t gen = d->mirror->generation;

	memset(d->mirror, 0, sizeof(*d->mirror));
	d->mirror->generation = gen;
	d->mirror->reset_count = snic_ld32(d, offsetof(struct snic_blk_devid, reset_count));
}

int snic_mirror_get(struct snic_dev *d, const struct snic_mirror **out)
{
	int rc = snic_mirror_load(d);

	*out = rc ? NULL : d->mirror;
	return rc;
}

/*
 * Stale: the device was reset since the last sync, or (a restarted
 * simulator starts its count again) it no longer has a mirrored VNIC.
 */
int snic_mirror_stale(struct snic_dev *d)
{
	if (snic_mirror_load(d) || mirror_empty(d->mirror))
		return 0;
	if (d->mirror->reset_count != snic_ld32(d, offsetof(struct snic_blk_devid, reset_count)))
		return 1;
	if (snic_state(d) != SNIC_STATE_RUNNING)
		return 0;
	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++) {
		struct snic_vnic_info info;
		if (!d->mirror->vnic[v].used)
			continue;
		int rc = snic_vnic_query(d, (uint16_t)v, &info);
		return rc == SNIC_E_NOENT ||
		       (rc == SNIC_OK && memcmp(info.mac, d->mirror->vnic[v].params.mac, 6));
	}
	return 0;
}
