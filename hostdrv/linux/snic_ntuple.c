// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool n-tuple rules (-n/-N) -> classifier entries (RULE_ADD/RULE_DEL).
 *
 * Locations are the device's ternary indices 0..user_entries-1 (one table
 * for the card); RX_CLS_LOC_ANY lets the device pick. A rule added through
 * a VNIC's netdev is listed and deleted through that netdev only and
 * matches only frames for that VNIC's MAC (a rule naming another MAC is
 * refused; the rules follow a MAC change): one VNIC cannot steal or drop
 * another's traffic. Actions: queue 0 (the VNIC) or drop. Card-wide rules
 * are snicctl's (the host library holds the privileged handle). The driver keeps each rule it added (the
 * user's spec for listing, the device rule for restoring after a reset).
 * Fields the device cannot match are refused with -EOPNOTSUPP before
 * anything is sent; the device's own refusals are passed on.
 */
#include <linux/etherdevice.h>
#include <snic/ntuple.h>
#include "snic_drv.h"

int snic_ntuple_init(struct snic_dev *sdev)
{
	sdev->n_rules_max = sdev->caps.cls.user_entries;
	if (!sdev->n_rules_max)
		return 0;
	sdev->rules = devm_kcalloc(sdev->dev, sdev->n_rules_max, sizeof(*sdev->rules),
				   GFP_KERNEL);
	return sdev->rules ? 0 : -ENOMEM;
}

/* Builds the device rule for fs added through vnic; -EOPNOTSUPP if it cannot. */
static int build_rule(struct snic_vnic *vnic, const struct ethtool_rx_flow_spec *fs,
		      struct snic_rule *r)
{
	const struct snic_cap_classifier *cls = &vnic->sdev->caps.cls;
	u8 mac_mask[ETH_ALEN];
	const char *bad;
	u32 fields;

	/* The same translation as snicctl's (include/snic/ntuple.h). */
	bad = snic_ntuple_rule(fs, r, &fields);
	if (bad) {
		netdev_err(vnic->ndev, "n-tuple: this device cannot match '%s'\n", bad);
		return -EOPNOTSUPP;
	}
	/*
	 * Confine the rule to frames that would reach this VNIC: its MAC,
	 * exactly. A rule naming another MAC (or a partial one) could steal
	 * or drop another VNIC's traffic: card-wide rules are snicctl's.
	 */
	memset(mac_mask, 0xff, ETH_ALEN);
	if ((fields & SNIC_FIELD_DMAC) &&
	    (memcmp((u8 *)&r->mask + SNIC_KEY_OFF_DMAC, mac_mask, ETH_ALEN) ||
	     !ether_addr_equal((u8 *)&r->value + SNIC_KEY_OFF_DMAC, vnic->ndev->dev_addr))) {
		netdev_err(vnic->ndev, "n-tuple: a rule on %s can only match its own MAC %pM (card-wide rules: snicctl)\n",
			   vnic->ndev->name, vnic->ndev->dev_addr);
		return -EINVAL;
	}
	snic_rule_put(r, SNIC_KEY_OFF_DMAC, vnic->ndev->dev_addr, mac_mask, ETH_ALEN, &fields,
		      SNIC_FIELD_DMAC);
	if (fields & ~cls->key_fields) {
		netdev_err(vnic->ndev, "n-tuple: this device cannot match key fields 0x%x\n",
			   fields & ~cls->key_fields);
		return -EOPNOTSUPP;
	}

	r->action.meter = SNIC_METER_NONE;
	r->action.ring = SNIC_RING_DEFAULT;
	if (fs->ring_cookie == RX_CLS_FLOW_DISC) {
		if (!(cls->actions & SNIC_CLSCAP_ACT_DROP))
			return -EOPNOTSUPP;
		r->action.vnic = SNIC_VNIC_NONE;
		r->action.flags = SNIC_ACT_DROP;
	} else {
		/* The VNIC has one queue, and no VFs of its own. */
		if (ethtool_get_flow_spec_ring(fs->ring_cookie) != 0 ||
		    ethtool_get_flow_spec_ring_vf(fs->ring_cookie) != 0) {
			netdev_err(vnic->ndev, "n-tuple: action must be queue 0 or drop (-1)\n");
			return -EINVAL;
		}
		r->action.vnic = vnic->id;
	}
	if (cls->actions & SNIC_CLSCAP_ACT_COUNT)
		r->action.flags |= SNIC_ACT_COUNT;
	return 0;
}

static int rule_add(struct snic_vnic *vnic, struct ethtool_rx_flow_spec *fs)
{
	struct snic_dev *sdev = vnic->sdev;
	struct snic_rule_add add = { .loc = SNIC_LOC_ANY };
	struct snic_rule_ref ref;
	int err;

	if (fs->location != RX_CLS_LOC_ANY) {
		if (fs->location >= sdev->n_rules_max)
			return -EINVAL;   /* also RX_CLS_LOC_FIRST/LAST: not offered */
		if (sdev->rules[fs->location].used)
			return -EEXIST;
		add.loc = fs->location;
	}
	err = build_rule(vnic, fs, &add.rule);
	if (err)
		return err;
	err = snic_admin_exec(sdev, SNIC_CMD_RULE_ADD, &add, sizeof(add), &ref, sizeof(ref));
	if (err) {
		netdev_err(vnic->ndev, "n-tuple: device refused the rule (%d)\n", err);
		return err;
	}
	if (ref.loc >= sdev->n_rules_max || sdev->rules[ref.loc].used) {
		netdev_err(vnic->ndev, "n-tuple: device put the rule at bad location %u\n",
			   ref.loc);
		return -EIO;
	}
	fs->location = ref.loc;
	sdev->rules[ref.loc].used = true;
	sdev->rules[ref.loc].vnic = vnic->id;
	sdev->rules[ref.loc].fs = *fs;
	sdev->rules[ref.loc].rule = add.rule;
	return 0;
}

static int rule_del_loc(struct snic_dev *sdev, u32 loc)
{
	struct snic_rule_ref ref = { .loc = loc };
	int err = snic_admin_exec(sdev, SNIC_CMD_RULE_DEL, &ref, sizeof(ref), NULL, 0);

	/* Gone on the device already (e.g. after a reset) counts as deleted. */
	if (err && err != -ENOENT)
		return err;
	memset(&sdev->rules[loc], 0, sizeof(sdev->rules[loc]));
	return 0;
}

static struct snic_rule_entry *own_rule(struct snic_vnic *vnic, u32 loc)
{
	struct snic_dev *sdev = vnic->sdev;

	if (loc >= sdev->n_rules_max || !sdev->rules[loc].used ||
	    sdev->rules[loc].vnic != vnic->id)
		return NULL;
	return &sdev->rules[loc];
}

int snic_set_rxnfc(struct net_device *ndev, struct ethtool_rxnfc *cmd)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	struct snic_dev *sdev = vnic->sdev;
	int err;

	if (cmd->cmd == ETHTOOL_SRXFH) /* RSS hashed fields: snic_rss.c */
		return snic_rss_set_flow_hash(vnic, cmd);
	if (!sdev->n_rules_max)
		return -EOPNOTSUPP;
	mutex_lock(&sdev->cfg_lock);
	switch (cmd->cmd) {
	case ETHTOOL_SRXCLSRLINS:
		err = rule_add(vnic, &cmd->fs);
		break;
	case ETHTOOL_SRXCLSRLDEL:
		err = own_rule(vnic, cmd->fs.location) ?
		      rule_del_loc(sdev, cmd->fs.location) : -ENOENT;
		break;
	default:
		err = -EOPNOTSUPP;
	}
	mutex_unlock(&sdev->cfg_lock);
	return err;
}

int snic_get_rxnfc(struct net_device *ndev, struct ethtool_rxnfc *cmd, u32 *locs)
{
	struct snic_vnic *vnic = netdev_priv(ndev);
	struct snic_dev *sdev = vnic->sdev;
	struct snic_rule_entry *e;
	u32 loc, n = 0;
	int err = 0;

	mutex_lock(&sdev->cfg_lock);
	switch (cmd->cmd) {
	case ETHTOOL_GRXRINGS:
		cmd->data = vnic->n_queues; /* RSS queues (snic_rss.c) */
		break;
	case ETHTOOL_GRXFH:
		err = snic_rss_get_flow_hash(vnic, cmd);
		break;
	case ETHTOOL_GRXCLSRLCNT:
		for (loc = 0; loc < sdev->n_rules_max; loc++)
			n += own_rule(vnic, loc) != NULL;
		cmd->rule_cnt = n;
		cmd->data = sdev->n_rules_max | RX_CLS_LOC_SPECIAL;
		break;
	case ETHTOOL_GRXCLSRULE:
		e = own_rule(vnic, cmd->fs.location);
		if (e)
			cmd->fs = e->fs;
		else
			err = -ENOENT;
		break;
	case ETHTOOL_GRXCLSRLALL:
		for (loc = 0; loc < sdev->n_rules_max; loc++) {
			if (!own_rule(vnic, loc))
				continue;
			if (n == cmd->rule_cnt) {
				err = -EMSGSIZE;
				break;
			}
			locs[n++] = loc;
		}
		cmd->rule_cnt = n;
		cmd->data = sdev->n_rules_max;
		break;
	default:
		err = -EOPNOTSUPP;
	}
	mutex_unlock(&sdev->cfg_lock);
	return err;
}

/* Before a VNIC goes: its rules would otherwise keep it busy in the device. */
void snic_ntuple_del_vnic(struct snic_dev *sdev, u16 vnic)
{
	u32 loc;

	for (loc = 0; loc < sdev->n_rules_max; loc++)
		if (sdev->rules[loc].used && sdev->rules[loc].vnic == vnic &&
		    rule_del_loc(sdev, loc))
			memset(&sdev->rules[loc], 0, sizeof(sdev->rules[loc]));
}

/* RULE_ADD of the kept rule at loc, where it must land. */
static int rule_put(struct snic_dev *sdev, u32 loc)
{
	struct snic_rule_add add = { .loc = loc, .rule = sdev->rules[loc].rule };
	struct snic_rule_ref ref;
	int err;

	err = snic_admin_exec(sdev, SNIC_CMD_RULE_ADD, &add, sizeof(add), &ref, sizeof(ref));
	return !err && ref.loc != loc ? -EIO : err;
}

/* After a device reset: put every rule back where it was; cfg_lock held. */
void snic_ntuple_restore(struct snic_dev *sdev)
{
	u32 loc;
	int err;

	for (loc = 0; loc < sdev->n_rules_max; loc++) {
		struct snic_rule_entry *e = &sdev->rules[loc];

		if (!e->used)
			continue;
		err = rule_put(sdev, loc);
		if (err) {
			dev_err(sdev->dev, "rule %u (VNIC %u) lost in the reset: %d\n", loc,
				e->vnic, err);
			memset(e, 0, sizeof(*e));
		}
	}
}

/* Rules added through VNIC vnic; cfg_lock held. */
unsigned int snic_ntuple_count(struct snic_dev *sdev, u16 vnic)
{
	unsigned int n = 0;
	u32 loc;

	for (loc = 0; loc < sdev->n_rules_max; loc++)
		n += sdev->rules[loc].used && sdev->rules[loc].vnic == vnic;
	return n;
}

/*
 * The VNIC's MAC changed: its rules match the new one (replaced in place:
 * RULE_DEL, RULE_ADD at the same location). cfg_lock held.
 */
void snic_ntuple_follow_mac(struct snic_vnic *vnic)
{
	struct snic_dev *sdev = vnic->sdev;
	u32 loc;
	int err;

	for (loc = 0; loc < sdev->n_rules_max; loc++) {
		struct snic_rule_entry *e = &sdev->rules[loc];
		struct snic_rule_ref ref = { .loc = loc };

		if (!e->used || e->vnic != vnic->id)
			continue;
		memcpy((u8 *)&e->rule.value + SNIC_KEY_OFF_DMAC, vnic->ndev->dev_addr, ETH_ALEN);
		err = snic_admin_exec(sdev, SNIC_CMD_RULE_DEL, &ref, sizeof(ref), NULL, 0);
		if (!err)
			err = rule_put(sdev, loc);
		if (err) {
			netdev_err(vnic->ndev, "rule %u lost following the MAC change: %d\n", loc, err);
			memset(e, 0, sizeof(*e));
		}
	}
}
