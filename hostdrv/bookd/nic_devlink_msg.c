/* SPDX-License-Identifier: MIT */
/* The devlink back end's messages: building requests, parsing replies. */
#include <stdio.h>
#include <string.h>
#include <linux/devlink.h>
#include <linux/genetlink.h>

#include "nic_devlink.h"

#define DL_ATTR_SEEN DEVLINK_ATTR_RATE_TX_MAX   /* the highest attribute read */

static int genl_init(struct nl_req *r, uint16_t family, uint8_t cmd, uint8_t version,
		     uint16_t flags)
{
	struct genlmsghdr g = { .cmd = cmd, .version = version };

	nl_req_init(r, family, flags, &g, sizeof(g));
	return 0;
}

int genl_family_req(struct nl_req *r, const char *name)
{
	genl_init(r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	return nl_put_str(&r->h, sizeof(*r), CTRL_ATTR_FAMILY_NAME, name);
}

/* The attributes after a generic netlink header into tb, if h is a reply
 * of family with command cmd (or alt). */
static int genl_attrs(const struct nlmsghdr *h, uint16_t family, uint8_t cmd, uint8_t alt,
		      const struct nlattr **tb, unsigned max)
{
	const struct genlmsghdr *g = NLMSG_DATA(h);
	size_t at = NLMSG_LENGTH(GENL_HDRLEN);

	if (h->nlmsg_type != family || h->nlmsg_len < at || (g->cmd != cmd && g->cmd != alt))
		return -1;
	return nl_parse((const unsigned char *)h + at, (int)(h->nlmsg_len - at), tb, max);
}

int genl_family_id(const struct nlmsghdr *h, uint16_t *id)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];

	if (genl_attrs(h, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, CTRL_CMD_NEWFAMILY, tb, CTRL_ATTR_MAX))
		return -1;
	return nl_u16(tb[CTRL_ATTR_FAMILY_ID], id) || !*id ? -1 : 0;
}

int dl_req(struct nl_req *r, uint16_t family, uint8_t cmd, uint16_t flags,
	   const struct dl_handle *d, long port)
{
	uint32_t idx = (uint32_t)port;

	genl_init(r, family, cmd, DEVLINK_GENL_VERSION, flags);
	if (d && (nl_put_str(&r->h, sizeof(*r), DEVLINK_ATTR_BUS_NAME, d->bus) ||
		  nl_put_str(&r->h, sizeof(*r), DEVLINK_ATTR_DEV_NAME, d->dev)))
		return -1;
	if (port >= 0 && nl_put(&r->h, sizeof(*r), DEVLINK_ATTR_PORT_INDEX, &idx, sizeof(idx)))
		return -1;
	return 0;
}

int dl_put_u64(struct nl_req *r, uint16_t type, uint64_t v)
{
	return nl_put(&r->h, sizeof(*r), type, &v, sizeof(v));
}

static int handle_of(const struct nlattr **tb, struct dl_handle *d)
{
	return nl_str(tb[DEVLINK_ATTR_BUS_NAME], d->bus, sizeof(d->bus)) ||
	       nl_str(tb[DEVLINK_ATTR_DEV_NAME], d->dev, sizeof(d->dev)) ? -1 : 0;
}

int dl_parse_port(const struct nlmsghdr *h, uint16_t family, struct dl_port *p)
{
	const struct nlattr *tb[DL_ATTR_SEEN + 1];
	uint8_t ext = 0;

	memset(p, 0, sizeof(*p));
	/* (a port dump answers DEVLINK_CMD_NEW on kernels up to 6.2) */
	if (genl_attrs(h, family, DEVLINK_CMD_PORT_NEW, DEVLINK_CMD_NEW, tb, DL_ATTR_SEEN) || handle_of(tb, &p->d) ||
	    nl_u32(tb[DEVLINK_ATTR_PORT_INDEX], &p->index) ||
	    nl_u16(tb[DEVLINK_ATTR_PORT_FLAVOUR], &p->flavour))
		return -1;
	if (p->flavour == DEVLINK_PORT_FLAVOUR_PCI_VF) {
		if (nl_u16(tb[DEVLINK_ATTR_PORT_PCI_PF_NUMBER], &p->pf) ||
		    nl_u16(tb[DEVLINK_ATTR_PORT_PCI_VF_NUMBER], &p->vf))
			return -1;
		p->has_vf = 1;
	}
	if (tb[DEVLINK_ATTR_PORT_EXTERNAL] && nl_u8(tb[DEVLINK_ATTR_PORT_EXTERNAL], &ext))
		return -1;
	p->external = ext;
	/* A netdev is optional (a port of type notset has none). */
	if (tb[DEVLINK_ATTR_PORT_NETDEV_IFINDEX] &&
	    (nl_u32(tb[DEVLINK_ATTR_PORT_NETDEV_IFINDEX], &p->ifindex) ||
	     nl_str(tb[DEVLINK_ATTR_PORT_NETDEV_NAME], p->netdev, sizeof(p->netdev))))
		return -1;
	return 0;
}

int dl_parse_rate(const struct nlmsghdr *h, uint16_t family, struct dl_rate *rate)
{
	const struct nlattr *tb[DL_ATTR_SEEN + 1];

	memset(rate, 0, sizeof(*rate));
	if (genl_attrs(h, family, DEVLINK_CMD_RATE_NEW, DEVLINK_CMD_RATE_NEW, tb, DL_ATTR_SEEN) ||
	    nl_u16(tb[DEVLINK_ATTR_RATE_TYPE], &rate->type) ||
	    nl_u64(tb[DEVLINK_ATTR_RATE_TX_SHARE], &rate->tx_share) ||
	    nl_u64(tb[DEVLINK_ATTR_RATE_TX_MAX], &rate->tx_max))
		return -1;
	if (rate->type == DEVLINK_RATE_TYPE_LEAF && nl_u32(tb[DEVLINK_ATTR_PORT_INDEX], &rate->port))
		return -1;
	return 0;
}

unsigned dl_leaf_plan(const struct dl_rate *held, uint64_t share, uint64_t max, struct dl_step st[2])
{
	struct dl_step s = { DEVLINK_ATTR_RATE_TX_SHARE, share, held->tx_share };
	struct dl_step m = { DEVLINK_ATTR_RATE_TX_MAX, max, held->tx_max };
	int max_first = !max || max >= held->tx_share;
	unsigned n = 0;

	if (max_first && m.value != m.old)
		st[n++] = m;
	if (s.value != s.old)
		st[n++] = s;
	if (!max_first && m.value != m.old)
		st[n++] = m;
	return n;
}

int dl_handle_parse(const char *spec, struct dl_handle *d)
{
	const char *slash = strchr(spec, '/');
	size_t bl = slash ? (size_t)(slash - spec) : 0;

	memset(d, 0, sizeof(*d));
	if (!slash || !bl || bl >= sizeof(d->bus) || !slash[1] || strchr(slash + 1, '/') ||
	    strlen(slash + 1) >= sizeof(d->dev))
		return -1;
	memcpy(d->bus, spec, bl);
	memcpy(d->dev, slash + 1, strlen(slash + 1) + 1);
	return 0;
}
