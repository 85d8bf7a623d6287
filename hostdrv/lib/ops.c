/* SPDX-License-Identifier: MIT */
/*
 * Typed admin operations: build the payload, run it, check the reply.
 * Configuration changes also update the host mirror (mirror.c) inside one
 * state-file transaction, so the mirror never misses a change another
 * snicctl made at the same time.
 */
#include <stdio.h>
#include "snic_impl.h"

/* A reply shorter than its struct is a protocol error, not zeros. */
static int exec_reply(struct snic_dev *d, uint16_t op, const void *in, uint32_t in_len,
		      void *out, uint32_t out_size)
{
	uint32_t got = 0;
	int rc = snic_admin_exec(d, op, in, in_len, out, out_size, &got);

	if (rc == SNIC_OK && out && got < out_size)
		return snic_seterr(d, SNIC_ERR_PROTO, "%s: reply of %u bytes, expected %u",
				   snic_opcode_name(op), got, out_size);
	return rc;
}

/* End a mirror transaction without losing the command's error message. */
int snic_mirror_finish(struct snic_dev *d, int rc, int changed)
{
	int err = d->err;
	char msg[SNIC_ERRMSG_MAX];

	memcpy(msg, d->errmsg, sizeof(msg));
	int mrc = snic_mirror_end(d, changed);
	if (rc)
		return snic_seterr(d, err, "%s", msg);
	return mrc;
}

int snic_raw_vnic_create(struct snic_dev *d, const struct snic_vnic_params *p,
			 struct snic_vnic_info *out)
{
	struct snic_vnic_create c;
	struct snic_vnic_info info;

	if (p->n_ip > 4)
		return snic_seterr(d, SNIC_ERR_ARG, "a VNIC has at most 4 IP addresses");
	memset(&c, 0, sizeof(c));
	c.vnic = p->id;
	c.vlan = p->vlan;
	memcpy(c.mac, p->mac, 6);
	c.flags = p->sw_only ? SNIC_VNICF_SW_ONLY : 0;
	c.uplink = p->uplink;
	c.n_ip = p->n_ip;
	memcpy(c.ip, p->ip, sizeof(c.ip));
	int rc = exec_reply(d, SNIC_CMD_VNIC_CREATE, &c, sizeof(c), &info, sizeof(info));
	if (rc == SNIC_OK && out)
		*out = info;
	return rc;
}

int snic_vnic_create(struct snic_dev *d, const struct snic_vnic_params *p,
		     struct snic_vnic_info *out)
{
	struct snic_vnic_info info;
	struct snic_mirror_intent it = { .kind = SNIC_MINTENT_VNIC_ADD, .params = *p };
	int rc = snic_mirror_begin(d, 0);

	if (rc)
		return rc;
	if ((rc = snic_intent_begin(d, &it)) != 0)
		return snic_mirror_finish(d, rc, 0);
	rc = snic_raw_vnic_create(d, p, &info);
	if (rc == SNIC_OK) {
		snic_mirror_put_vnic(d, p, &info);
		if (out)
			*out = info;
	}
	return snic_mirror_finish(d, rc, rc == SNIC_OK);
}

int snic_vnic_destroy(struct snic_dev *d, uint16_t vnic)
{
	struct snic_vnic_ref ref = { vnic, 0 };
	struct snic_mirror_intent it = { .kind = SNIC_MINTENT_VNIC_DEL, .id = vnic };
	int rc = snic_mirror_begin(d, 0);

	d->promoted = 0;
	if (rc)
		return rc;
	if ((rc = snic_intent_begin(d, &it)) != 0)
		return snic_mirror_finish(d, rc, 0);
	rc = exec_reply(d, SNIC_CMD_VNIC_DESTROY, &ref, sizeof(ref), NULL, 0);
	/* NOENT too: the device has no such VNIC, so neither should we. */
	int changed = rc == SNIC_OK || rc == SNIC_E_NOENT;
	if (changed)
		snic_mirror_drop_vnic(d, vnic);
	rc = snic_mirror_finish(d, rc, changed);
	if (rc || d->no_auto_promote)
		return rc;
	/* Its HRR may be free now: move a shared-ring VNIC onto it. The
	 * destroy itself succeeded, so a failed move only leaves a message. */
	uint16_t pv, pr;
	if (snic_promote(d, &pv, &pr) == 1) {
		d->promoted = 1;
		d->promoted_vnic = pv;
		d->promoted_ring = pr;
	}
	return 0;
}

int snic_vnic_query(struct snic_dev *d, uint16_t vnic, struct snic_vnic_info *out)
{
	struct snic_vnic_ref ref = { vnic, 0 };

	return exec_reply(d, SNIC_CMD_VNIC_QUERY, &ref, sizeof(ref), out, sizeof(*out));
}

int snic_raw_rule_add(struct snic_dev *d, uint32_t loc, const struct snic_rule *r,
		      uint32_t *loc_out)
{
	struct snic_rule_add a;
	struct snic_rule_ref ref;

	memset(&a, 0, sizeof(a));
	a.loc = loc;
	a.rule = *r;
	int rc = exec_reply(d, SNIC_CMD_RULE_ADD, &a, sizeof(a), &ref, sizeof(ref));
	if (rc == SNIC_OK && loc_out)
		*loc_out = ref.loc;
	return rc;
}

/*
 * A rule the device refuses for key fields it lacks (UNSUPP; which ones,
 * the capabilities say) goes in as its coarse form and is mirrored as a
 * software rule (swrule.c). The device is asked first: it decides what it
 * can hold, the capabilities only name the fields.
 */
int snic_rule_add(struct snic_dev *d, uint32_t loc, const struct snic_rule *r,
		  uint32_t *loc_out)
{
	struct snic_rule hw;
	struct snic_mirror_intent it = { .kind = SNIC_MINTENT_RULE_ADD, .loc = loc, .rule = *r };
	uint32_t got = 0, sw = 0;
	int rc = snic_mirror_begin(d, 0);

	d->last_sw = 0;
	if (rc)
		return rc;
	if ((rc = snic_intent_begin(d, &it)) != 0)
		return snic_mirror_finish(d, rc, 0);
	rc = snic_raw_rule_add(d, loc, r, &got);
	if (rc == SNIC_E_UNSUPP && (sw = snic_rule_sw_fields(d, r)) != 0) {
		rc = snic_rule_coarse(d, r, &hw);
		if (rc == 0)
			rc = snic_raw_rule_add(d, loc, &hw, &got);
	}
	if (rc == SNIC_OK) {
		if (loc_out)
			*loc_out = got;
		d->last_sw = sw;
		rc = snic_mirror_put_rule(d, got, r, sw ? SNIC_MRULE_SW : 0);
		return snic_mirror_finish(d, rc, 1);
	}
	return snic_mirror_finish(d, rc, 0);
}

uint32_t snic_rule_last_sw(const struct snic_dev *d)
{
	return d->last_sw;
}

int snic_rule_del(struct snic_dev *d, uint32_t loc)
{
	struct snic_rule_ref ref = { loc };
	struct snic_mirror_intent it = { .kind = SNIC_MINTENT_RULE_DEL, .loc = loc };
	int rc = snic_mirror_begin(d, 0);

	if (rc)
		return rc;
	if ((rc = snic_intent_begin(d, &it)) != 0)
		return snic_mirror_finish(d, rc, 0);
	rc = exec_reply(d, SNIC_CMD_RULE_DEL, &ref, sizeof(ref), NULL, 0);
	int changed = rc == SNIC_OK || rc == SNIC_E_NOENT;
	if (changed)
		snic_mirror_drop_rule(d, loc);
	return snic_mirror_finish(d, rc, changed);
}

int snic_raw_rule_query(struct snic_dev *d, uint32_t loc, struct snic_rule_info *out)
{
	struct snic_rule_ref ref = { loc };

	return exec_reply(d, SNIC_CMD_RULE_QUERY, &ref, sizeof(ref), out, sizeof(*out));
}

int snic_rule_query(struct snic_dev *d, uint32_t loc, struct snic_rule_info *out)
{
	return snic_raw_rule_query(d, loc, out);
}

int snic_port_set(struct snic_dev *d, uint8_t port, int up)
{
	struct snic_port_set s = { port, up ? 1 : 0, 0 };

	return exec_reply(d, SNIC_CMD_PORT_SET, &s, sizeof(s), NULL, 0);
}

int snic_reset(struct snic_dev *d)
{
	/* A corrupt state file must not stop a reset: it is replaced. */
	int rc = snic_mirror_begin(d, 1);

	if (rc)
		return rc;
	rc = exec_reply(d, SNIC_CMD_RESET, NULL, 0, NULL, 0);
	if (rc == SNIC_OK)
		snic_mirror_clear(d);
	return snic_mirror_finish(d, rc, rc == SNIC_OK);
}

int snic_query_caps(struct snic_dev *d, struct snic_caps_info *out)
{
	return exec_reply(d, SNIC_CMD_QUERY_CAPS, NULL, 0, out, sizeof(*out));
}

int snic_ring_bind(struct snic_dev *d, uint16_t ring, uint16_t vnic)
{
	struct snic_ring_bind b = { ring, vnic };
	int rc = snic_mirror_begin(d, 0);

	if (rc)
		return rc;
	rc = exec_reply(d, SNIC_CMD_RING_BIND, &b, sizeof(b), NULL, 0);
	/* The VNIC's ring and MAC entry changed: refresh its mirror record. */
	int changed = 0;
	for (unsigned v = 0; rc == SNIC_OK && v < SNIC_MIRROR_MAX_VNICS; v++) {
		struct snic_mirror_vnic *mv = &d->mirror->vnic[v];
		struct snic_vnic_info info;
		if (mv->used && snic_vnic_query(d, (uint16_t)v, &info) == SNIC_OK &&
		    memcmp(&info, &mv->info, sizeof(info))) {
			struct snic_vnic_params p = mv->params;
			snic_mirror_put_vnic(d, &p, &info);
			changed = 1;
		}
	}
	return snic_mirror_finish(d, rc, changed);
}
