/* SPDX-License-Identifier: MIT */
/*
 * The vfrate back end: any Linux netdev with SR-IOV VFs, VNIC v = VF v,
 * through rtnetlink's per-VF rate (IFLA_VF_RATE: what `ip link set DEV vf
 * N min_tx_rate X max_tx_rate Y` sends). VF rates are whole Mbit/s: a
 * guarantee is rounded up (it must not shrink), a ceiling down (it must
 * not grow). VFs have no priority or RX guarantee knob: not offered.
 * Raw NETLINK_ROUTE messages: two requests do not justify libnl.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "nic.h"
#include "nic_nl.h"

#define MBIT         1000000ull

struct vfrate {
	struct nic nic;         /* first: the ops see a struct nic */
	struct nl_sock nl;      /* NETLINK_ROUTE; its fd also carries SIOCETHTOOL */
	int ifindex;            /* the PF, as last resolved by its name */
	char ifname[IF_NAMESIZE];
};

/* The PF as RTM_GETLINK describes it; vfs points into the receive buffer. */
struct linkinfo {
	uint32_t num_vf;
	struct rtattr *vfs;   /* IFLA_VFINFO_LIST; NULL: none */
};

static struct vfrate *to_vf(struct nic *n)
{
	return (struct vfrate *)n;
}

/* RTM_GETLINK for the PF with its VF list (RTEXT_FILTER_VF), VF counters
 * skipped (not needed; with many VFs they are most of the answer): its
 * VF count and VF list. Every length is checked before it is used. */
static int get_link(struct vfrate *s, struct linkinfo *li)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		struct rtattr mask_a;
		uint32_t mask;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETLINK, .nlmsg_flags = NLM_F_REQUEST },
		.i = { .ifi_family = AF_UNSPEC, .ifi_index = s->ifindex },
		.mask_a = { .rta_len = RTA_LENGTH(sizeof(uint32_t)), .rta_type = IFLA_EXT_MASK },
		.mask = RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS,
	};
	const struct nlmsghdr *h;
	struct ifinfomsg *ifi;
	struct rtattr *a;
	int rc = nl_talk(&s->nl, &req.h, &h), len;

	if (rc)
		return rc;
	if (h->nlmsg_type != RTM_NEWLINK || h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		goto bad;
	ifi = NLMSG_DATA(h);
	if (ifi->ifi_index != s->ifindex)
		goto bad;
	memset(li, 0, sizeof(*li));
	len = IFLA_PAYLOAD(h);
	for (a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		unsigned type = a->rta_type & NLA_TYPE_MASK;
		if (type == IFLA_NUM_VF) {
			if (RTA_PAYLOAD(a) != sizeof(li->num_vf))
				goto bad;
			memcpy(&li->num_vf, RTA_DATA(a), sizeof(li->num_vf));
		} else if (type == IFLA_VFINFO_LIST) {
			li->vfs = a;
		}
	}
	if (len == 0)   /* else a length ran past the message */
		return 0;
bad:
	errno = EBADMSG;
	return -1;
}

/* A request that failed, as the agent's error (nic_req_fail). */
static int req_fail(struct vfrate *s, int rc, int values, const char *what)
{
	return nic_req_fail(&s->nic, s->ifname, rc, s->nl.ext, values, what);
}

/* The PF's link info; NIC_E_NOVNIC unless it has VF vf. */
static int vf_lookup(struct vfrate *s, uint16_t vf, struct linkinfo *li)
{
	int rc = get_link(s, li);

	if (rc)
		return req_fail(s, rc, 0, "reading the link (RTM_GETLINK)");
	if (vf >= li->num_vf)
		return nic_fail(&s->nic, NIC_E_NOVNIC, "%s has no VF %u (rtnetlink lists %" PRIu32 ")",
			    s->ifname, vf, li->num_vf);
	return NIC_OK;
}

/* VF vf's rate in the VF list (each entry names its VF: order is not
 * trusted). -1: the list is malformed or lacks it. */
static int vf_rate(const struct linkinfo *li, uint32_t vf, struct ifla_vf_rate *out)
{
	int len = RTA_PAYLOAD(li->vfs), ilen;
	struct rtattr *info, *a;

	for (info = RTA_DATA(li->vfs); RTA_OK(info, len); info = RTA_NEXT(info, len)) {
		if ((info->rta_type & NLA_TYPE_MASK) != IFLA_VF_INFO)
			continue;
		ilen = RTA_PAYLOAD(info);
		for (a = RTA_DATA(info); RTA_OK(a, ilen); a = RTA_NEXT(a, ilen)) {
			if ((a->rta_type & NLA_TYPE_MASK) != IFLA_VF_RATE)
				continue;
			if (RTA_PAYLOAD(a) < sizeof(*out))
				return -1;
			memcpy(out, RTA_DATA(a), sizeof(*out));
			if (out->vf == vf)
				return 0;
		}
		if (ilen)
			return -1;
	}
	return -1;
}

static void vf_close(struct nic *n)
{
	struct vfrate *s = to_vf(n);

	nl_sock_close(&s->nl);
	free(s);
}

/*
 * The PF's ifindex and VF count. The kernel gives a netdev a new ifindex
 * whenever it is registered again (driver reload, device re-probe), which
 * is when VF rates are lost; re-creating the VFs (sriov_numvfs) also
 * resets them and passes through 0 VFs. Missed: a re-creation with the
 * same count between two calls, as nothing in rtnetlink counts those.
 * The index is looked up by name each time, so the ops follow a reloaded PF.
 */
static int vf_generation(struct nic *n, uint64_t *gen)
{
	struct vfrate *s = to_vf(n);
	struct linkinfo li;
	struct ifreq ifr;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, s->ifname, strlen(s->ifname) + 1);
	if (ioctl(s->nl.fd, SIOCGIFINDEX, &ifr) || ifr.ifr_ifindex <= 0)
		return nic_fail(n, NIC_E_IO, "%s: %s", s->ifname, strerror(errno));
	s->ifindex = ifr.ifr_ifindex;
	if ((rc = get_link(s, &li)))
		return req_fail(s, rc, 0, "reading the link (RTM_GETLINK)");
	*gen = (uint64_t)(uint32_t)s->ifindex << 32 | li.num_vf;
	return NIC_OK;
}

/* Every VF sends on its PF's port: uplink 0. */
static int vf_uplink(struct nic *n, uint16_t vnic, uint8_t *uplink)
{
	struct linkinfo li;
	int rc = vf_lookup(to_vf(n), vnic, &li);

	if (rc == NIC_OK)
		*uplink = 0;
	return rc;
}

static int vf_capacity(struct nic *n, uint8_t uplink, uint64_t *bps)
{
	struct vfrate *s = to_vf(n);

	if (uplink)
		return nic_fail(n, NIC_E_RANGE, "%s: no uplink %u (VFs send on the PF, uplink 0)",
			    s->ifname, uplink);
	return nic_link_capacity(n, s->nl.fd, s->ifname, bps);
}

/* RTM_SETLINK > IFLA_VFINFO_LIST > IFLA_VF_INFO > IFLA_VF_RATE, acked. */
static int set_rate(struct vfrate *s, uint16_t vf, uint32_t min, uint32_t max)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		struct rtattr list, info, rate_a;
		struct ifla_vf_rate rate;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_SETLINK,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK },
		.i = { .ifi_family = AF_UNSPEC, .ifi_index = s->ifindex },
		.list = { .rta_len = RTA_LENGTH(2 * RTA_LENGTH(0) + sizeof(req.rate)),
			  .rta_type = IFLA_VFINFO_LIST },
		.info = { .rta_len = RTA_LENGTH(RTA_LENGTH(0) + sizeof(req.rate)), .rta_type = IFLA_VF_INFO },
		.rate_a = { .rta_len = RTA_LENGTH(sizeof(req.rate)), .rta_type = IFLA_VF_RATE },
		.rate = { .vf = vf, .min_tx_rate = min, .max_tx_rate = max },
	};
	const struct nlmsghdr *ack;

	_Static_assert(sizeof(req) == NLMSG_LENGTH(sizeof(struct ifinfomsg)) + 3 * RTA_LENGTH(0) +
		       sizeof(struct ifla_vf_rate), "attributes back to back, no padding");
	return nl_talk(&s->nl, &req.h, &ack);
}

static int vf_apply(struct nic *n, uint16_t vnic, const struct nic_booking *b)
{
	struct vfrate *s = to_vf(n);
	uint64_t min = b->min_bps / MBIT + (b->min_bps % MBIT != 0), max = b->cap_bps / MBIT;
	struct linkinfo li;
	char what[96];
	int rc;

	if (b->rx_only)
		return NIC_OK;   /* no receive ceilings here: nothing of ours to hold */
	if (b->rx_bps || b->rx_cap_bps || b->prio)
		return nic_fail(n, NIC_E_UNSUPP, "%s VF %u: a VF rate holds no RX guarantee or priority",
			    s->ifname, vnic);
	if (b->cap_bps && !max)
		return nic_fail(n, NIC_E_RANGE, "%s VF %u: cap of %" PRIu64 " bit/s is below 1 Mbit/s, "
			    "the unit of VF rates", s->ifname, vnic, b->cap_bps);
	if (min > UINT32_MAX || max > UINT32_MAX || (max && min > max))
		return nic_fail(n, NIC_E_RANGE, "%s VF %u: min %" PRIu64 " Mbit/s (rounded up) and max %"
			    PRIu64 " Mbit/s (rounded down) are no VF rate", s->ifname, vnic, min, max);
	rc = set_rate(s, vnic, (uint32_t)min, (uint32_t)max);
	if (rc) {
		/* Drivers answer EINVAL for a VF they do not have. */
		if (rc == EINVAL && vf_lookup(s, vnic, &li) == NIC_E_NOVNIC)
			return NIC_E_NOVNIC;
		snprintf(what, sizeof(what), "VF %u min_tx_rate %" PRIu64 " max_tx_rate %" PRIu64
			 " (Mbit/s)", vnic, min, max);
		return req_fail(s, rc, 1, what);
	}
	return NIC_OK;
}

static int vf_read(struct nic *n, uint16_t vnic, struct nic_booking *out)
{
	struct vfrate *s = to_vf(n);
	struct ifla_vf_rate r;
	struct linkinfo li;
	int rc = vf_lookup(s, vnic, &li);

	if (rc)
		return rc;
	if (!li.vfs)
		return nic_fail(n, NIC_E_UNSUPP, "%s: the driver does not report its VFs' settings "
			    "(no IFLA_VFINFO_LIST)", s->ifname);
	if (vf_rate(&li, vnic, &r))
		return nic_fail(n, NIC_E_IO, "%s: no valid rate for VF %u in the kernel's answer",
			    s->ifname, vnic);
	memset(out, 0, sizeof(*out));
	/* Whole Mbit/s, as held: a booking finer than that reads back rounded,
	 * so the agent re-applies it (the same values) after a resync. */
	out->min_bps = r.min_tx_rate * MBIT;
	out->cap_bps = r.max_tx_rate * MBIT;
	return NIC_OK;
}

static const struct nic_ops vfrate_ops = {
	.name = "vfrate",
	.can = NIC_CAN_MIN | NIC_CAN_CAP,
	.close = vf_close,
	.generation = vf_generation,
	.vnic_uplink = vf_uplink,
	.capacity = vf_capacity,
	.apply = vf_apply,
	.read = vf_read,
};

struct nic *nic_vfrate_open(const char *ifname, char *err, unsigned errlen)
{
	struct vfrate *s;
	uint64_t gen;

	if (!ifname || !*ifname || strlen(ifname) >= IF_NAMESIZE) {
		snprintf(err, errlen, "bad interface name '%s'", ifname ? ifname : "");
		return NULL;
	}
	if (!(s = calloc(1, sizeof(*s)))) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->nic.ops = &vfrate_ops;
	memcpy(s->ifname, ifname, strlen(ifname) + 1);
	if (nl_sock_open(&s->nl, NETLINK_ROUTE)) {
		snprintf(err, errlen, "%s: rtnetlink socket: %s", ifname, strerror(errno));
		free(s);
		return NULL;
	}
	if (vf_generation(&s->nic, &gen)) {   /* resolves the ifindex: the PF must exist */
		snprintf(err, errlen, "%s", s->nic.err);
		vf_close(&s->nic);
		return NULL;
	}
	return &s->nic;
}
