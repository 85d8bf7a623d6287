/* SPDX-License-Identifier: MIT */
/*
 * The devlink back end: any devlink instance whose VF ports have rate
 * leaves (`devlink port function rate set`), through generic netlink.
 * VNIC v is the port of flavour pcivf with vfnum v (PF 0, this host's
 * controller). The TX guarantee is the leaf's tx_share, the ceiling its
 * tx_max; devlink rates are bytes/s: a guarantee is rounded up to whole
 * bytes (it must not shrink), a ceiling down (it must not grow). Leaves
 * have no RX guarantee and (on the kernels this targets) no priority:
 * not offered. On snic.ko a leaf is the VNIC's VNIC_SHARE minimum and its
 * shaper (docs/kmod.md, "devlink").
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/devlink.h>
#include <linux/genetlink.h>

#include "nic.h"
#include "nic_devlink.h"

#define DL_MAX_VF 256   /* VF ports of one instance the back end keeps */

struct dlnic {
	struct nic nic;          /* first: the ops see a struct nic */
	struct nl_sock nl;       /* NETLINK_GENERIC; its fd also carries SIOCETHTOOL */
	uint16_t family;         /* devlink's id, resolved at open */
	struct dl_handle d;
	char name[DL_BUS_MAX + DL_DEV_MAX];   /* "pci/0000:00:03.0", for messages */
	const char *netdev;      /* open by a netdev's name: the one looked for */
	unsigned n_ports;        /* the instance's ports, any flavour (last scan) */
	unsigned n_vf;           /* its VF ports, in vf[] */
	struct dl_port vf[DL_MAX_VF];
};

static struct dlnic *to_dl(struct nic *n)
{
	return (struct dlnic *)n;
}

/* One port of the dump: the instance's VF ports into s->vf. */
static int scan_one(const struct nlmsghdr *h, void *arg)
{
	struct dlnic *s = arg;
	struct dl_port p;

	if (dl_parse_port(h, s->family, &p))
		return -EBADMSG;
	if (s->netdev && !strcmp(p.netdev, s->netdev))
		s->d = p.d;   /* found the instance by its netdev */
	if (strcmp(p.d.bus, s->d.bus) || strcmp(p.d.dev, s->d.dev))
		return 0;
	s->n_ports++;
	if (!p.has_vf || p.pf || p.external)
		return 0;
	if (s->n_vf == DL_MAX_VF)
		return -E2BIG;
	s->vf[s->n_vf++] = p;
	return 0;
}

/* A request that failed, as the agent's error (nic_req_fail). */
static int req_fail(struct dlnic *s, int rc, int values, const char *what)
{
	return nic_req_fail(&s->nic, s->name, rc, s->nl.ext, values, what);
}

/* DEVLINK_CMD_PORT_GET dump (every instance's ports: kernels before 6.3
 * do not filter dumps), kept for this instance. */
static int scan(struct dlnic *s)
{
	struct nl_req r;
	int rc;

	s->n_ports = s->n_vf = 0;
	dl_req(&r, s->family, DEVLINK_CMD_PORT_GET, 0, NULL, -1);
	rc = nl_dump(&s->nl, &r.h, scan_one, s);
	if (rc == -EBADMSG)
		return nic_fail(&s->nic, NIC_E_IO, "%s: a malformed port in the kernel's answer", s->name);
	if (rc == -E2BIG)
		return nic_fail(&s->nic, NIC_E_RANGE, "%s: more than %u VF ports", s->name, DL_MAX_VF);
	if (rc)
		return req_fail(s, rc, 0, "listing the ports (DEVLINK_CMD_PORT_GET)");
	return NIC_OK;
}

/* VNIC v's port; NIC_E_NOVNIC unless there is one. */
static int vnic_port(struct dlnic *s, uint16_t v, const struct dl_port **p)
{
	int rc = scan(s);

	if (rc)
		return rc;
	for (unsigned i = 0; i < s->n_vf; i++)
		if (s->vf[i].vf == v) {
			*p = &s->vf[i];
			return NIC_OK;
		}
	return nic_fail(&s->nic, NIC_E_NOVNIC, "%s has no port of VF %u (devlink lists %u VF ports)",
		    s->name, v, s->n_vf);
}

static int rate_get(struct dlnic *s, const struct dl_port *p, struct dl_rate *out)
{
	const struct nlmsghdr *h;
	struct nl_req r;
	char what[64];
	int rc;

	dl_req(&r, s->family, DEVLINK_CMD_RATE_GET, 0, &s->d, p->index);
	rc = nl_talk(&s->nl, &r.h, &h);
	if (rc == ENODEV)   /* the port is there (just listed) but has no rate leaf */
		return nic_fail(&s->nic, NIC_E_UNSUPP, "%s port %" PRIu32 " (VF %u) has no rate leaf%s%s",
			    s->name, p->index, p->vf, s->nl.ext[0] ? ": " : "", s->nl.ext);
	snprintf(what, sizeof(what), "port %" PRIu32 " rate (DEVLINK_CMD_RATE_GET)", p->index);
	if (rc)
		return req_fail(s, rc, 0, what);
	if (dl_parse_rate(h, s->family, out) || out->type != DEVLINK_RATE_TYPE_LEAF ||
	    out->port != p->index)
		return nic_fail(&s->nic, NIC_E_IO, "%s: no valid rate leaf for port %" PRIu32
			    " in the kernel's answer", s->name, p->index);
	return NIC_OK;
}

static const char *knob(uint16_t attr)
{
	return attr == DEVLINK_ATTR_RATE_TX_SHARE ? "tx_share" : "tx_max";
}

/* One knob of a leaf (DEVLINK_ATTR_RATE_TX_SHARE or _TX_MAX), acked. */
static int rate_set(struct dlnic *s, const struct dl_port *p, uint16_t attr, uint64_t bytes)
{
	const struct nlmsghdr *ack;
	struct nl_req r;
	char what[96];
	int rc;

	dl_req(&r, s->family, DEVLINK_CMD_RATE_SET, NLM_F_ACK, &s->d, p->index);
	dl_put_u64(&r, attr, bytes);
	rc = nl_talk(&s->nl, &r.h, &ack);
	if (!rc)
		return NIC_OK;
	snprintf(what, sizeof(what), "port %" PRIu32 " (VF %u) %s %" PRIu64 " B/s", p->index, p->vf,
		 knob(attr), bytes);
	return req_fail(s, rc, 1, what);
}

static void dl_close(struct nic *n)
{
	struct dlnic *s = to_dl(n);

	nl_sock_close(&s->nl);
	free(s);
}

/* Driver reload or re-probe re-creates the ports with new netdevs (new
 * ifindexes), which is when a leaf's rates are lost: the generation is a
 * hash of the VF ports (index, vf, netdev). Missed: a driver that loses
 * its rates on a device reset without re-creating the ports (snic.ko puts
 * them back itself). */
static int dl_generation(struct nic *n, uint64_t *gen)
{
	struct dlnic *s = to_dl(n);
	uint64_t h = 14695981039346656037ull;   /* FNV-1a */
	int rc = scan(s);

	if (rc)
		return rc;
	for (unsigned i = 0; i < s->n_vf; i++) {
		uint32_t w[3] = { s->vf[i].index, s->vf[i].vf, s->vf[i].ifindex };
		const unsigned char *b = (const unsigned char *)w;
		for (size_t k = 0; k < sizeof(w); k++)
			h = (h ^ b[k]) * 1099511628211ull;
	}
	*gen = h ^ s->n_vf;
	return NIC_OK;
}

/* devlink does not say which physical port a VF sends on: the VF ports
 * are one pool, uplink 0. */
static int dl_uplink(struct nic *n, uint16_t vnic, uint8_t *uplink)
{
	const struct dl_port *p;
	int rc = vnic_port(to_dl(n), vnic, &p);

	if (rc == NIC_OK)
		*uplink = 0;
	return rc;
}

/* The pool's capacity: the lowest link speed of the VF ports' netdevs
 * (each a VF on some physical port; the lowest never admits more than
 * one of them carries). */
static int dl_capacity(struct nic *n, uint8_t uplink, uint64_t *bps)
{
	struct dlnic *s = to_dl(n);
	uint64_t low = 0, one;
	int rc;

	if (uplink)
		return nic_fail(n, NIC_E_RANGE, "%s: no uplink %u (its VF ports are one pool, uplink 0)",
			    s->name, uplink);
	if ((rc = scan(s)))
		return rc;
	for (unsigned i = 0; i < s->n_vf; i++) {
		if (!s->vf[i].netdev[0])
			continue;
		if ((rc = nic_link_capacity(n, s->nl.fd, s->vf[i].netdev, &one)))
			return rc;
		if (!low || one < low)
			low = one;
	}
	if (!low)
		return nic_fail(n, NIC_E_RANGE, "%s: no VF port with a netdev to read a link speed from",
			    s->name);
	*bps = low;
	return NIC_OK;
}

/*
 * Sets tx_share and tx_max one at a time, in dl_leaf_plan's order. When
 * the second is refused the first is put back, so the leaf holds all of
 * the booking or none of it.
 */
static int set_leaf(struct dlnic *s, const struct dl_port *p, const struct dl_rate *held,
		    uint64_t share, uint64_t max)
{
	struct dl_step st[2];
	unsigned n = dl_leaf_plan(held, share, max, st);
	char why[NIC_ERRMSG_MAX];
	int rc;

	for (unsigned i = 0; i < n; i++) {
		if (!(rc = rate_set(s, p, st[i].attr, st[i].value)))
			continue;
		if (i == 0)
			return rc;   /* nothing changed */
		memcpy(why, s->nic.err, sizeof(why));
		if (rate_set(s, p, st[0].attr, st[0].old))   /* half set: retried, read back */
			return nic_fail(&s->nic, NIC_E_IO, "%s; putting %s back to %" PRIu64
				    " B/s failed too: %s", why, knob(st[0].attr), st[0].old, s->nic.err);
		return nic_fail(&s->nic, rc, "%s (%s put back to %" PRIu64 " B/s)", why,
			    knob(st[0].attr), st[0].old);
	}
	return NIC_OK;
}

static int dl_apply(struct nic *n, uint16_t vnic, const struct nic_booking *b)
{
	struct dlnic *s = to_dl(n);
	uint64_t share = b->min_bps / 8 + (b->min_bps % 8 != 0), max = b->cap_bps / 8;
	const struct dl_port *p;
	struct dl_rate held;
	int rc;

	if (b->rx_only)
		return NIC_OK;   /* no receive ceilings here: nothing of ours to hold */
	if (b->rx_bps || b->rx_cap_bps || b->prio)
		return nic_fail(n, NIC_E_UNSUPP, "%s VF %u: a devlink rate leaf holds no RX guarantee "
			    "or priority", s->name, vnic);
	if (b->cap_bps && !max)
		return nic_fail(n, NIC_E_RANGE, "%s VF %u: cap of %" PRIu64 " bit/s is below 1 byte/s, "
			    "the unit of devlink rates", s->name, vnic, b->cap_bps);
	if (max && share > max)
		return nic_fail(n, NIC_E_RANGE, "%s VF %u: tx_share %" PRIu64 " B/s (rounded up) above "
			    "tx_max %" PRIu64 " B/s (rounded down)", s->name, vnic, share, max);
	if ((rc = vnic_port(s, vnic, &p)) || (rc = rate_get(s, p, &held)))
		return rc;
	return set_leaf(s, p, &held, share, max);
}

static uint64_t to_bits(uint64_t bytes)
{
	return bytes > UINT64_MAX / 8 ? UINT64_MAX : bytes * 8;
}

static int dl_read(struct nic *n, uint16_t vnic, struct nic_booking *out)
{
	struct dlnic *s = to_dl(n);
	const struct dl_port *p;
	struct dl_rate r;
	int rc;

	if ((rc = vnic_port(s, vnic, &p)) || (rc = rate_get(s, p, &r)))
		return rc;
	memset(out, 0, sizeof(*out));
	/* Whole bytes/s, as held: a booking finer than that reads back
	 * rounded, so the agent re-applies it (the same values) after a resync. */
	out->min_bps = to_bits(r.tx_share);
	out->cap_bps = to_bits(r.tx_max);
	return NIC_OK;
}

static const struct nic_ops devlink_ops = {
	.name = "devlink",
	.can = NIC_CAN_MIN | NIC_CAN_CAP,
	.close = dl_close,
	.generation = dl_generation,
	.vnic_uplink = dl_uplink,
	.capacity = dl_capacity,
	.apply = dl_apply,
	.read = dl_read,
};

/* devlink's family id: the kernel names its families, ids are dynamic. */
static int resolve_family(struct dlnic *s)
{
	const struct nlmsghdr *h;
	struct nl_req r;
	int rc;

	genl_family_req(&r, DEVLINK_GENL_NAME);
	rc = nl_talk(&s->nl, &r.h, &h);
	if (rc == ENOENT)
		return nic_fail(&s->nic, NIC_E_UNSUPP, "the kernel has no devlink (CONFIG_NET_DEVLINK)");
	if (rc)
		return req_fail(s, rc, 0, "resolving the generic netlink family \"devlink\"");
	if (genl_family_id(h, &s->family))
		return nic_fail(&s->nic, NIC_E_IO, "no family id in the kernel's answer for \"devlink\"");
	return NIC_OK;
}

/* Which instance spec names: BUS/DEV, else the instance of the port whose
 * netdev is spec; it must list at least one port. */
static int find_instance(struct dlnic *s, const char *spec)
{
	int rc;

	if (dl_handle_parse(spec, &s->d)) {
		if (strlen(spec) >= IF_NAMESIZE || strchr(spec, '/'))
			return nic_fail(&s->nic, NIC_E_RANGE, "'%s' is neither BUS/DEV nor a netdev name", spec);
		s->netdev = spec;
	}
	snprintf(s->name, sizeof(s->name), "%s", spec);
	rc = scan(s);
	s->netdev = NULL;
	if (rc)
		return rc;
	snprintf(s->name, sizeof(s->name), "%s/%s", s->d.bus, s->d.dev);
	if (!s->n_ports)
		return nic_fail(&s->nic, NIC_E_NOVNIC, "%s: no such devlink instance or netdev of one "
			    "(devlink port show lists none)", spec);
	return NIC_OK;
}

struct nic *nic_devlink_open(const char *spec, char *err, unsigned errlen)
{
	struct dlnic *s;

	if (!spec || !*spec) {
		snprintf(err, errlen, "devlink: want BUS/DEV (pci/0000:00:03.0) or a netdev name");
		return NULL;
	}
	if (!(s = calloc(1, sizeof(*s)))) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->nic.ops = &devlink_ops;
	snprintf(s->name, sizeof(s->name), "%s", spec);
	if (nl_sock_open(&s->nl, NETLINK_GENERIC)) {
		snprintf(err, errlen, "%s: generic netlink socket: %s", spec, strerror(errno));
		free(s);
		return NULL;
	}
	if (resolve_family(s) || find_instance(s, spec)) {
		snprintf(err, errlen, "%s", s->nic.err);
		dl_close(&s->nic);
		return NULL;
	}
	return &s->nic;
}
