/* SPDX-License-Identifier: MIT */
/*
 * The devlink back end's messages (generic netlink family "devlink"):
 * built and parsed here without a socket, so the unit tests check them
 * against constructed kernel replies. nic_devlink.c does the talking.
 */
#ifndef SNIC_BOOKD_NIC_DEVLINK_H
#define SNIC_BOOKD_NIC_DEVLINK_H

#include <stdint.h>
#include <net/if.h>

#include "nic_nl.h"

#define DL_BUS_MAX 32
#define DL_DEV_MAX 64

/* A devlink instance: pci/0000:00:03.0 is bus "pci", dev "0000:00:03.0". */
struct dl_handle {
	char bus[DL_BUS_MAX];
	char dev[DL_DEV_MAX];
};

/* One port as DEVLINK_CMD_PORT_GET describes it (what the back end uses). */
struct dl_port {
	struct dl_handle d;
	uint32_t index;
	uint16_t flavour;          /* DEVLINK_PORT_FLAVOUR_* */
	uint8_t  has_vf;           /* pf and vf are set (flavour pcivf) */
	uint8_t  external;         /* a function of another host (controller) */
	uint16_t pf, vf;
	uint32_t ifindex;          /* its netdev; 0: none */
	char     netdev[IF_NAMESIZE];
};

/* A rate object as DEVLINK_CMD_RATE_GET describes it; rates in bytes/s. */
struct dl_rate {
	uint16_t type;             /* DEVLINK_RATE_TYPE_LEAF or _NODE */
	uint32_t port;             /* a leaf's port index */
	uint64_t tx_share, tx_max;
};

/* CTRL_CMD_GETFAMILY for name; the family id from its answer (0 / -1). */
int genl_family_req(struct nl_req *r, const char *name);
int genl_family_id(const struct nlmsghdr *h, uint16_t *id);

/* A devlink request: cmd, the instance (NULL: none, e.g. a dump of all)
 * and port (< 0: none). 0, -1 when a name does not fit. */
int dl_req(struct nl_req *r, uint16_t family, uint8_t cmd, uint16_t flags,
	   const struct dl_handle *d, long port);
int dl_put_u64(struct nl_req *r, uint16_t type, uint64_t v);

/* A reply from family: 0 and *p / *rate, or -1 when it is not one (another
 * command, a length past the end, a missing or mis-sized attribute). */
int dl_parse_port(const struct nlmsghdr *h, uint16_t family, struct dl_port *p);
int dl_parse_rate(const struct nlmsghdr *h, uint16_t family, struct dl_rate *rate);

/* One RATE_SET of a leaf: attr (DEVLINK_ATTR_RATE_TX_SHARE or _TX_MAX)
 * from old to value. */
struct dl_step {
	uint16_t attr;
	uint64_t value, old;
};

/* The RATE_SETs that take a leaf from held to (share, max), in an order
 * that never has its share above its ceiling in between (drivers refuse
 * that): the ceiling first unless it drops below the share held. Values
 * already held are skipped; returns how many (0..2). */
unsigned dl_leaf_plan(const struct dl_rate *held, uint64_t share, uint64_t max, struct dl_step st[2]);

/* "pci/0000:00:03.0" into d: 0, -1 when it is no BUS/DEV. */
int dl_handle_parse(const char *spec, struct dl_handle *d);

#endif
