/* SPDX-License-Identifier: MIT */
/*
 * Host software classifier for the shared HRR, and the software receive
 * rings (SRRs) it fills, one per VNIC.
 *
 * The ternary table is rebuilt from the mirror with every entry at the
 * index it has in the hardware: host rules at their locations, each
 * VNIC's MAC entry (as read back from the device) at its mac_rule index.
 * On a device whose exact-match table steers the VNIC MACs, mac_rule lies
 * past the ternary table (user_entries + id), which is where the exact
 * table ranks, so the software table is made that much longer.
 * The lookup is the fast classifier's (classifier/fastcls.h), which gives
 * exactly the reference classifier's answer, so the software ring applies
 * the same rules with the same semantics as the hardware. A refresh
 * rebuilds the table image and updates the fast classifier only at the
 * indices that changed. The hardware's
 * choice (cpl.vnic) is used as a cross-check: a disagreement makes the
 * classifier re-read the state file once (a rule may have just been added
 * by another process) and is counted if it persists.
 *
 * Software rules (SNIC_MRULE_SW, swrule.c): the device holds a coarse
 * form that sends a superset of the rule's frames here, and the table holds
 * the rule as asked at the same index, so a frame the rule does not match
 * falls through to the lower entries (or, on a miss, to the group delivery
 * the device would have done) exactly as if the rule were absent. Such a
 * frame names the rule's VNIC in cpl.vnic: that is not a disagreement.
 *
 * Group copies (SNIC_RXF_GROUP: broadcast, multicast, VLAN-member unicast,
 * promiscuous; include/snic/l2.h) are not classifier decisions: the device
 * made one copy per receiving VNIC and named it in cpl.vnic. They are
 * checked against the mirror's L2 state of that VNIC (its domain, its
 * groups, its mode) and queued on its SRR, or refused and counted.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include "snic_impl.h"
#include "classifier.h"
#include "fastcls.h"

struct srr {
	uint32_t size;              /* frames, power of two */
	uint32_t head, tail;        /* free-running: tail - head queued */
	uint8_t *buf;               /* size * frame_max bytes */
	struct snic_rx_cpl *cpl;    /* per slot */
	uint64_t enqueued, delivered, drop_full;
};

struct snic_swcls {
	struct snic_dev *d;
	uint32_t depth;
	struct snic_rule *entries;  /* the table image the lookup holds */
	uint8_t *valid;
	struct snic_rule *next;     /* scratch: the image a refresh builds */
	uint8_t *next_valid;
	struct snic_fcls fc;
	void *fc_mem;
	uint8_t *sw;                /* entry i is a software rule */
	uint8_t known[SNIC_MIRROR_MAX_VNICS];   /* VNIC ids in the mirror */
	uint32_t srr_size, frame_max;
	struct srr *srr[SNIC_MIRROR_MAX_VNICS];
	struct snic_swcls_stats st;
	struct stat seen;           /* state file identity at the last load */
	int loaded;
};

struct snic_swcls *snic_swcls_new(struct snic_dev *d, uint32_t srr_size)
{
	if (!d->caps_valid) {
		snic_seterr(d, SNIC_ERR_NOBLOCK, "software classifier needs the capabilities");
		return NULL;
	}
	if (!snic_is_pow2(srr_size) || srr_size > 65536) {
		snic_seterr(d, SNIC_ERR_ARG, "SRR size %u is not a power of two <= 65536", srr_size);
		return NULL;
	}
	struct snic_swcls *s = calloc(1, sizeof(*s));
	if (!s) {
		snic_seterr(d, SNIC_ERR_NOMEM, "no memory for the software classifier");
		return NULL;
	}
	s->d = d;
	s->depth = d->caps.cls.ternary;
	if (d->caps.cls.user_entries + d->caps.max_vnics > s->depth)
		s->depth = d->caps.cls.user_entries + d->caps.max_vnics;
	s->srr_size = srr_size;
	for (unsigned r = 0; r < d->caps.n_rx; r++)
		if (d->caps.rx[r].buf_max > s->frame_max)
			s->frame_max = d->caps.rx[r].buf_max;
	uint32_t n = s->depth ? s->depth : 1;
	size_t fc_len = snic_fcls_storage(n);
	s->entries = calloc(n, sizeof(*s->entries));
	s->valid = calloc(n, 1);
	s->next = calloc(n, sizeof(*s->next));
	s->next_valid = calloc(n, 1);
	s->sw = calloc(n, 1);
	s->fc_mem = malloc(fc_len);
	if (!s->entries || !s->valid || !s->next || !s->next_valid || !s->sw || !s->fc_mem ||
	    snic_fcls_init(&s->fc, n, s->fc_mem, fc_len)) {
		snic_seterr(d, SNIC_ERR_NOMEM, "no memory for a classifier of %u entries", n);
		snic_swcls_free(s);
		return NULL;
	}
	return s;
}

void snic_swcls_free(struct snic_swcls *s)
{
	if (!s)
		return;
	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++) {
		if (!s->srr[v])
			continue;
		free(s->srr[v]->buf);
		free(s->srr[v]->cpl);
		free(s->srr[v]);
	}
	free(s->entries);
	free(s->valid);
	free(s->next);
	free(s->next_valid);
	free(s->fc_mem);
	free(s->sw);
	free(s);
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The table image of the mirror, into s->next (s->sw and s->known too). */
static void build_image(struct snic_swcls *s, const struct snic_mirror *m)
{
	memset(s->next_valid, 0, s->depth);
	memset(s->sw, 0, s->depth);
	memset(s->known, 0, sizeof(s->known));
	for (uint32_t i = 0; i < m->n_rules; i++) {
		if (m->rule[i].loc >= s->depth)
			continue;   /* cannot be in this device's table either */
		s->next[m->rule[i].loc] = m->rule[i].rule;
		s->next_valid[m->rule[i].loc] = 1;
		s->sw[m->rule[i].loc] = !!(m->rule[i].flags & SNIC_MRULE_SW);
	}
	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++) {
		const struct snic_mirror_vnic *mv = &m->vnic[v];
		if (!mv->used)
			continue;
		s->known[v] = 1;
		if (mv->has_mac_rule && mv->info.mac_rule < s->depth) {
			struct snic_rule *r = &s->next[mv->info.mac_rule];
			*r = mv->mac_rule;
			s->next_valid[mv->info.mac_rule] = 1;
			/* Behind an operator port VLAN the device strips the tag
			 * on every ring: its frames come here untagged. */
			if (m->l2[v].has & SNIC_ML2_PVLAN) {
				r->value.flags &= (uint8_t)~SNIC_KF_VLAN;
				memset(r->value.vlan, 0, sizeof(r->value.vlan));
				memset(r->mask.vlan, 0, sizeof(r->mask.vlan));
			}
		}
	}
}

/* Make s->next the image the lookup holds, updating the fast classifier
 * only where an entry appeared, went or changed. */
static void apply_image(struct snic_swcls *s)
{
	for (uint32_t i = 0; i < s->depth; i++) {
		if (s->next_valid[i] && (!s->valid[i] ||
					 memcmp(&s->next[i], &s->entries[i], sizeof(s->next[i]))))
			snic_fcls_set(&s->fc, i, &s->next[i]);
		else if (!s->next_valid[i] && s->valid[i])
			snic_fcls_clear(&s->fc, i);
	}
	struct snic_rule *e = s->entries;
	uint8_t *v = s->valid;
	s->entries = s->next;
	s->valid = s->next_valid;
	s->next = e;
	s->next_valid = v;
}

int snic_swcls_refresh(struct snic_swcls *s, int force)
{
	struct snic_dev *d = s->d;
	struct stat st;

	memset(&st, 0, sizeof(st));
	if (snic_mirror_active(d) && stat(d->state_path, &st) < 0)
		memset(&st, 0, sizeof(st));   /* no file yet: an empty mirror */
	if (!force && s->loaded && same_file(&st, &s->seen))
		return 0;
	int rc = snic_mirror_load(d);
	if (rc)
		return rc;
	build_image(s, d->mirror);
	apply_image(s);
			/* Behind an operator port VLAN the device strips the tag
			 * on every ring: its frames come here untagged. */
	s->seen = st;
	s->loaded = 1;
	s->st.reloads++;
	return 1;
}

static struct srr *srr_get(struct snic_swcls *s, uint16_t v)
{
	if (s->srr[v])
		return s->srr[v];
	struct srr *q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->size = s->srr_size;
	q->buf = malloc((size_t)q->size * s->frame_max);
	q->cpl = calloc(q->size, sizeof(*q->cpl));
	if (!q->buf || !q->cpl) {
		free(q->buf);
		free(q->cpl);
		free(q);
		return NULL;
	}
	s->srr[v] = q;
	return q;
}

/*
 * VNICs on different uplinks may share a MAC (bond slaves, l2.h): their
 * MAC entries match the same frames, and the device gives the frame to
 * the one whose uplinks hold the ingress port. The mirror has no bond
 * members, so when the entry hit is a VNIC's MAC entry and the device
 * named another VNIC with an identical MAC entry, the device's pick
 * stands.
 */
static uint16_t mac_sharer(const struct snic_swcls *s, const struct snic_match *m, uint16_t hw)
{
	const struct snic_mirror *mi = s->d->mirror;
	uint16_t v = m->action.vnic;

	if (hw == v || hw >= SNIC_MIRROR_MAX_VNICS || v >= SNIC_MIRROR_MAX_VNICS || !s->known[hw])
		return v;
	const struct snic_mirror_vnic *a = &mi->vnic[v], *b = &mi->vnic[hw];
	if (!a->used || !a->has_mac_rule || !b->has_mac_rule || m->rule != a->info.mac_rule)
		return v;
	if (memcmp(&a->mac_rule.value, &b->mac_rule.value, sizeof(a->mac_rule.value)) ||
	    memcmp(&a->mac_rule.mask, &b->mac_rule.mask, sizeof(a->mac_rule.mask)))
		return v;
	return hw;
}

static void lookup(struct snic_swcls *s, const struct snic_rx_frame *f, struct snic_match *m)
{
	struct snic_key key;

	snic_parse(f->data, f->cpl.len, f->cpl.len, f->cpl.port, &key);
	snic_fcls_lookup(&s->fc, &key, m);
	if (m->rule != SNIC_RULE_MISS)
		m->action.vnic = mac_sharer(s, m, f->cpl.vnic);
}

/* The VNIC the software chose, or SNIC_VNIC_NONE for a drop. */
static uint16_t choose(const struct snic_match *m)
{
	if (m->rule == SNIC_RULE_MISS || (m->action.flags & SNIC_ACT_DROP))
		return SNIC_VNIC_NONE;
	return m->action.vnic;
}

/* Queue a frame on VNIC v's SRR; 1 queued, 0 dropped (counted), < 0 error. */
static int srr_put(struct snic_swcls *s, uint16_t v, const struct snic_rx_frame *f)
{
	struct srr *q = srr_get(s, v);
	if (!q)
		return snic_seterr(s->d, SNIC_ERR_NOMEM, "no memory for the SRR of VNIC %u", v);
	if (q->tail - q->head == q->size || f->cpl.len > s->frame_max) {
		q->drop_full++;
		s->st.drop_srr_full++;
		return 0;
	}
	uint32_t slot = q->tail & (q->size - 1);
	memcpy(q->buf + (size_t)slot * s->frame_max, f->data, f->cpl.len);
	q->cpl[slot] = f->cpl;
	q->cpl[slot].vnic = v;
	q->tail++;
	q->enqueued++;
	return 1;
}

/* A group copy for cpl.vnic: the mirror may lag another process's change,
 * so a refusal re-reads the state file (if it changed) before it counts. */
static int group_input(struct snic_swcls *s, const struct snic_rx_frame *f)
{
	uint16_t v = f->cpl.vnic;
	const struct snic_rx_cpl *c = &f->cpl;

	if (!snic_l2_wants(s->d->mirror, v, f->data, c->len, c->port) &&
	    (snic_swcls_refresh(s, 0) <= 0 ||
	     !snic_l2_wants(s->d->mirror, v, f->data, c->len, c->port))) {
		s->st.drop_group++;
		return 0;
	}
	int rc = srr_put(s, v, f);
	if (rc > 0)
		s->st.group++;
	return rc;
}

/* A frame the device sent here for a software rule at cpl.rule. */
static int via_sw_rule(const struct snic_swcls *s, const struct snic_rx_frame *f)
{
	return f->cpl.rule < s->depth && s->valid[f->cpl.rule] && s->sw[f->cpl.rule];
}

/* No entry matched a frame a software rule's coarse form caught: without
 * the rule the device would have missed it too and made group copies. */
static int sw_miss(struct snic_swcls *s, const struct snic_rx_frame *f)
{
	int rc, any = 0;

	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++) {
		if (!s->known[v] || !snic_l2_wants(s->d->mirror, (uint16_t)v, f->data,
						   f->cpl.len, f->cpl.port))
			continue;
		rc = srr_put(s, (uint16_t)v, f);
		if (rc < 0)
			return rc;
		s->st.group += (uint64_t)rc;
		any = 1;
	}
	if (!any)
		s->st.drop_no_match++;
	return any;
}

int snic_swcls_input(struct snic_swcls *s, const struct snic_rx_frame *f)
{
	struct snic_match m;

	if (!s->loaded && snic_swcls_refresh(s, 1) < 0)
		return s->d->err;
	s->st.frames++;
	if (f->cpl.flags & SNIC_RXF_GROUP)
		return group_input(s, f);
	lookup(s, f, &m);
	if (choose(&m) != f->cpl.vnic && !via_sw_rule(s, f) && snic_swcls_refresh(s, 0) > 0)
		lookup(s, f, &m);   /* the mirror had changed: decide again */
	int sw = via_sw_rule(s, f);
	if (sw && m.rule == f->cpl.rule)
		s->st.sw_hits++;
	else if (sw)
		s->st.sw_fallthrough++;
	else if (choose(&m) != f->cpl.vnic)
		s->st.mismatch++;
	if (m.rule == SNIC_RULE_MISS) {
		if (sw)
			return sw_miss(s, f);
		s->st.drop_no_match++;
		return 0;
	}
	s->st.hits++;
	if (m.action.flags & SNIC_ACT_DROP) {
		s->st.drop_rule++;
		return 0;
	}
	uint16_t v = m.action.vnic;
	if (v >= SNIC_MIRROR_MAX_VNICS || !s->known[v]) {
		s->st.drop_no_vnic++;
		return 0;
	}
	return srr_put(s, v, f);
}

unsigned snic_srr_poll(struct snic_swcls *s, uint16_t vnic, unsigned budget,
		       snic_rx_cb cb, void *arg)
{
	struct srr *q = vnic < SNIC_MIRROR_MAX_VNICS ? s->srr[vnic] : NULL;
	unsigned n = 0;

	while (q && n < budget && q->head != q->tail) {
		uint32_t slot = q->head & (q->size - 1);
		struct snic_rx_frame f;
		f.ring = 0;
		f.cpl = q->cpl[slot];
		f.data = q->buf + (size_t)slot * s->frame_max;
		if (cb)
			cb(arg, &f);
		q->head++;
		q->delivered++;
		n++;
	}
	return n;
}

unsigned snic_srr_poll_all(struct snic_swcls *s, unsigned budget, snic_rx_cb cb, void *arg)
{
	unsigned n = 0;

	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++)
		if (s->srr[v])
			n += snic_srr_poll(s, (uint16_t)v, budget, cb, arg);
	return n;
}

void snic_swcls_stats(const struct snic_swcls *s, struct snic_swcls_stats *out)
{
	*out = s->st;
}

unsigned snic_srr_stats(const struct snic_swcls *s, struct snic_srr_stats *out, unsigned max)
{
	unsigned n = 0;

	for (unsigned v = 0; v < SNIC_MIRROR_MAX_VNICS; v++) {
		const struct srr *q = s->srr[v];
		if (!q)
			continue;
		if (n < max) {
			out[n].vnic = (uint16_t)v;
			out[n].enqueued = q->enqueued;
			out[n].delivered = q->delivered;
			out[n].drop_full = q->drop_full;
			out[n].pending = q->tail - q->head;
		}
		n++;
	}
	return n;
}

unsigned snic_srr_pending(const struct snic_swcls *s, uint16_t vnic)
{
	const struct srr *q = vnic < SNIC_MIRROR_MAX_VNICS ? s->srr[vnic] : NULL;

	return q ? q->tail - q->head : 0;
}
