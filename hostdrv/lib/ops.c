/* SPDX-License-Identifier: MIT */
/* Typed admin operations: build the payload, run it, check the reply. */
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

int snic_vnic_create(struct snic_dev *d, const struct snic_vnic_params *p,
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

int snic_vnic_destroy(struct snic_dev *d, uint16_t vnic)
{
	struct snic_vnic_ref ref = { vnic, 0 };

	return exec_reply(d, SNIC_CMD_VNIC_DESTROY, &ref, sizeof(ref), NULL, 0);
}

int snic_vnic_query(struct snic_dev *d, uint16_t vnic, struct snic_vnic_info *out)
{
	struct snic_vnic_ref ref = { vnic, 0 };

	return exec_reply(d, SNIC_CMD_VNIC_QUERY, &ref, sizeof(ref), out, sizeof(*out));
}

int snic_rule_add(struct snic_dev *d, uint32_t loc, const struct snic_rule *r,
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

int snic_rule_del(struct snic_dev *d, uint32_t loc)
{
	struct snic_rule_ref ref = { loc };

	return exec_reply(d, SNIC_CMD_RULE_DEL, &ref, sizeof(ref), NULL, 0);
}

int snic_rule_query(struct snic_dev *d, uint32_t loc, struct snic_rule_info *out)
{
	struct snic_rule_ref ref = { loc };

	return exec_reply(d, SNIC_CMD_RULE_QUERY, &ref, sizeof(ref), out, sizeof(*out));
}

int snic_port_set(struct snic_dev *d, uint8_t port, int up)
{
	struct snic_port_set s = { port, up ? 1 : 0, 0 };

	return exec_reply(d, SNIC_CMD_PORT_SET, &s, sizeof(s), NULL, 0);
}

int snic_reset(struct snic_dev *d)
{
	return exec_reply(d, SNIC_CMD_RESET, NULL, 0, NULL, 0);
}

int snic_query_caps(struct snic_dev *d, struct snic_caps_info *out)
{
	return exec_reply(d, SNIC_CMD_QUERY_CAPS, NULL, 0, out, sizeof(*out));
}

int snic_ring_bind(struct snic_dev *d, uint16_t ring, uint16_t vnic)
{
	struct snic_ring_bind b = { ring, vnic };

	return exec_reply(d, SNIC_CMD_RING_BIND, &b, sizeof(b), NULL, 0);
}
