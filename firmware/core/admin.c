/* SPDX-License-Identifier: MIT */
/*
 * Admin queue: one completion per command, in order, never overwriting a
 * completion the host has not consumed.
 *
 * The device's own indices (cmd_cons, cpl_prod) live in firmware memory and
 * are only published to the window, so a host scribbling over them cannot
 * steer the firmware. Each command is copied out of the window before it
 * is looked at, so the host cannot change it half-way through validation.
 */
#include "fw_internal.h"
#include "bwalloc.h"
#include "flash_cmd.h"
#include "team.h"


void fw_admin_init(struct fw *fw)
{
	fw->adm.cmd_cons = 0;
	fw->adm.cpl_prod = 0;
}

/* Exact payload length of each opcode; -1 for unknown opcodes. */
static int payload_len(uint16_t opcode)
{
	switch (opcode) {
	case SNIC_CMD_NOP:          return 0;
	case SNIC_CMD_QUERY_CAPS:   return 0;
	case SNIC_CMD_RESET:        return 0;
	case SNIC_CMD_VNIC_CREATE:  return sizeof(struct snic_vnic_create);
	case SNIC_CMD_VNIC_DESTROY: return sizeof(struct snic_vnic_ref);
	case SNIC_CMD_VNIC_QUERY:   return sizeof(struct snic_vnic_ref);
	case SNIC_CMD_VNIC_SHARE:   return sizeof(struct snic_vnic_share);
	case SNIC_CMD_VNIC_SHARE_QUERY: return sizeof(struct snic_vnic_ref);
	case SNIC_CMD_VNIC_RXMODE:  return sizeof(struct snic_vnic_rxmode);
	case SNIC_CMD_VNIC_VLANS:   return sizeof(struct snic_vnic_vlans);
	case SNIC_CMD_VNIC_MAC:     return sizeof(struct snic_vnic_mac);
	case SNIC_CMD_VNIC_POLICY:  return sizeof(struct snic_vnic_policy);
	case SNIC_CMD_VNIC_L2_QUERY: return sizeof(struct snic_vnic_ref);
	case SNIC_CMD_VNIC_PORT_VLAN: return sizeof(struct snic_vnic_port_vlan);
	case SNIC_CMD_RSS_SET:      return sizeof(struct snic_rss_set);
	case SNIC_CMD_RSS_QUERY:    return sizeof(struct snic_vnic_ref);
	case SNIC_CMD_RSS_QUEUES:   return sizeof(struct snic_rss_queues);
	case SNIC_CMD_RULE_ADD:     return sizeof(struct snic_rule_add);
	case SNIC_CMD_RULE_DEL:     return sizeof(struct snic_rule_ref);
	case SNIC_CMD_RULE_QUERY:   return sizeof(struct snic_rule_ref);
	case SNIC_CMD_RING_BIND:    return sizeof(struct snic_ring_bind);
	case SNIC_CMD_METER_SET:    return sizeof(struct snic_meter_set);
	case SNIC_CMD_TEAM_SET:     return sizeof(struct snic_team_set);
	case SNIC_CMD_PORT_SET:     return sizeof(struct snic_port_set);
	default:                    return -1;
	}
}

static void reply(struct snic_admin_cpl *r, const void *data, uint32_t len)
{
	fw_memcpy(r->payload, data, len);
	r->len = len;
}

/* Payloads are copied into typed locals: the payload array has no
 * alignment or type guarantees of its own. */
static uint16_t dispatch(struct fw *fw, const struct snic_admin_cmd *c, struct snic_admin_cpl *r)
{
	union {
		struct snic_vnic_create create;
		struct snic_vnic_ref    vref;
		struct snic_rule_add    radd;
		struct snic_rule_ref    rref;
		struct snic_ring_bind   bind;
		struct snic_port_set    port;
		struct snic_meter_set   meter;
		struct snic_team_set    team;
		struct snic_vnic_share  share;
		struct snic_vnic_rxmode rxmode;
		struct snic_vnic_vlans  vlans;
		struct snic_vnic_port_vlan pvlan;
		struct snic_vnic_mac    mac;
		struct snic_vnic_policy policy;
		struct snic_rss_set     rss;
		struct snic_rss_queues  rssq;
	} in;
	union {
		struct snic_caps_info  caps;
		struct snic_vnic_info  vnic;
		struct snic_rule_ref   rref;
		struct snic_rule_info  rule;
		struct snic_team_status team;
		struct snic_vnic_share_info share;
		struct snic_vnic_l2    l2;
		struct snic_rss_info   rss;
		struct snic_rss_queues_info rssq;
	} out;
	int st = SNIC_OK;

	fw_memcpy(&in, c->payload, c->len);
	fw_memset(&out, 0, sizeof(out));
	switch (c->opcode) {
	case SNIC_CMD_NOP:
		break;
	case SNIC_CMD_QUERY_CAPS:
		out.caps.records = fw->lay.caps_rec;
		out.caps.length = fw->lay.caps_len;
		out.caps.generation = 1;
		reply(r, &out.caps, sizeof(out.caps));
		break;
	case SNIC_CMD_RESET:
		fw_device_reset(fw);
		break;
	case SNIC_CMD_VNIC_CREATE:
		st = fw_vnic_create(fw, &in.create, &out.vnic);
		if (st == SNIC_OK)
			reply(r, &out.vnic, sizeof(out.vnic));
		break;
	case SNIC_CMD_VNIC_DESTROY:
		st = fw_vnic_destroy(fw, &in.vref);
		break;
	case SNIC_CMD_VNIC_QUERY:
		st = fw_vnic_query(fw, &in.vref, &out.vnic);
		if (st == SNIC_OK)
			reply(r, &out.vnic, sizeof(out.vnic));
		break;
	case SNIC_CMD_VNIC_SHARE:
		st = fw_bw_share_set(fw, &in.share);
		break;
	case SNIC_CMD_VNIC_SHARE_QUERY:
		st = fw_bw_share_query(fw, &in.vref, &out.share);
		if (st == SNIC_OK)
			reply(r, &out.share, sizeof(out.share));
		break;
	case SNIC_CMD_VNIC_RXMODE:
		st = fw_l2_rxmode(fw, &in.rxmode);
		break;
	case SNIC_CMD_VNIC_VLANS:
		st = fw_l2_vlans(fw, &in.vlans);
		break;
	case SNIC_CMD_VNIC_MAC:
		st = fw_l2_mac(fw, &in.mac);
		break;
	case SNIC_CMD_VNIC_POLICY:
		st = fw_l2_policy(fw, &in.policy);
		break;
	case SNIC_CMD_VNIC_PORT_VLAN:
		st = fw_l2_port_vlan(fw, &in.pvlan);
		break;
	case SNIC_CMD_VNIC_L2_QUERY:
		st = fw_l2_query(fw, &in.vref, &out.l2);
		if (st == SNIC_OK)
			reply(r, &out.l2, sizeof(out.l2));
		break;
	case SNIC_CMD_RSS_SET:
		st = fw_rss_set(fw, &in.rss);
		break;
	case SNIC_CMD_RSS_QUERY:
		st = fw_rss_query(fw, &in.vref, &out.rss);
		if (st == SNIC_OK)
			reply(r, &out.rss, sizeof(out.rss));
		break;
	case SNIC_CMD_RSS_QUEUES:
		st = fw_rss_queues(fw, &in.rssq, &out.rssq);
		if (st == SNIC_OK)
			reply(r, &out.rssq, sizeof(out.rssq));
		break;
	case SNIC_CMD_RULE_ADD:
		st = fw_rule_add(fw, &in.radd, &out.rref);
		if (st == SNIC_OK)
			reply(r, &out.rref, sizeof(out.rref));
		break;
	case SNIC_CMD_RULE_DEL:
		st = fw_rule_del(fw, &in.rref);
		break;
	case SNIC_CMD_RULE_QUERY:
		st = fw_rule_query(fw, &in.rref, &out.rule);
		if (st == SNIC_OK)
			reply(r, &out.rule, sizeof(out.rule));
		break;
	case SNIC_CMD_RING_BIND:
		st = fw_ring_bind(fw, &in.bind);
		break;
	case SNIC_CMD_PORT_SET:
		st = fw_port_set(fw, &in.port);
		break;
	case SNIC_CMD_METER_SET:
		st = fw_meter_set(fw, &in.meter);
		break;
	case SNIC_CMD_TEAM_SET: {
		uint32_t len;
		st = fw_team_admin(fw, &in.team, &out.team, &len);
		if (st == SNIC_OK && len)
			reply(r, &out.team, len);
		break;
	}
	default:
		st = SNIC_E_OPCODE;
		break;
	}
	return (uint16_t)st;
}

static uint16_t execute(struct fw *fw, const struct snic_admin_cmd *c, struct snic_admin_cpl *r)
{
	int want = payload_len(c->opcode);

	if (fw_flash_opcode(c->opcode))
		return fw_flash_exec(fw, c, r); /* firmware update: flash_cmd.c */
	if (want < 0)
		return SNIC_E_OPCODE;
	if (c->rsvd0 || c->rsvd1)
		return SNIC_E_INVAL;
	if (c->len != (uint32_t)want)
		return SNIC_E_LEN;
	return dispatch(fw, c, r);
}

unsigned fw_admin_poll(struct fw *fw)
{
	struct snic_blk_admin *a = FW_ADMIN(fw);
	struct snic_blk_stats *s = FW_STATS(fw);
	struct snic_admin_cmd *ring = fw_at(fw, fw->lay.admin_cmd);
	struct snic_admin_cpl *cpls = fw_at(fw, fw->lay.admin_cpl);
	struct snic_admin_cmd cmd;
	struct snic_admin_cpl cpl;
	unsigned done = 0;

	while (done < FW_ADMIN_BUDGET) {
		uint32_t prod = fw_load_acq(&a->cmd_prod);
		if (prod == fw->adm.cmd_cons)
			break;
		if (prod - fw->adm.cmd_cons > FW_ADMIN_ENTRIES) {
			/* The host claims commands it cannot have written: the
			 * slots hold nothing trustworthy, so answer none of them
			 * and start over from where the host says it is. */
			s->admin_errors++;
			fw->adm.cmd_cons = prod;
			fw_store_rel(&a->cmd_cons, fw->adm.cmd_cons);
			break;
		}
		/* Wait for the host to consume completions; never overwrite. */
		if (fw->adm.cpl_prod - fw_load_acq(&a->cpl_cons) >= FW_ADMIN_ENTRIES)
			break;

		fw_memcpy(&cmd, &ring[fw->adm.cmd_cons % FW_ADMIN_ENTRIES], sizeof(cmd));
		fw_memset(&cpl, 0, sizeof(cpl));
		cpl.opcode = cmd.opcode;
		cpl.seq = cmd.seq;
		cpl.status = execute(fw, &cmd, &cpl);
		if (cpl.status != SNIC_OK)
			cpl.len = 0;

		fw_memcpy(&cpls[fw->adm.cpl_prod % FW_ADMIN_ENTRIES], &cpl, sizeof(cpl));
		fw->adm.cpl_prod++;
		fw->adm.cmd_cons++;
		fw_store_rel(&a->cpl_prod, fw->adm.cpl_prod);
		fw_store_rel(&a->cmd_cons, fw->adm.cmd_cons);
		s->admin_cmds++;
		if (cpl.status != SNIC_OK)
			s->admin_errors++;
		done++;
	}
	if (done)
		fw_rx_refresh(fw); /* what receive steering knows of the tables */
	return done;
}
