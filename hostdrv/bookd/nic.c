/* SPDX-License-Identifier: MIT */
/* What the NIC back ends share: saying why a call failed, a link's speed. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <net/if.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "nic.h"

#define MBIT 1000000ull

int nic_fail(struct nic *n, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(n->err, sizeof(n->err), fmt, ap);
	va_end(ap);
	return rc;
}

int nic_req_fail(struct nic *n, const char *who, int rc, const char *ext, int values,
		 const char *what)
{
	int e = rc > 0 ? rc : errno, kind = NIC_E_IO;

	if (values && rc > 0 && e == EOPNOTSUPP)
		kind = NIC_E_UNSUPP;
	else if (values && rc > 0 && (e == EINVAL || e == ERANGE))
		kind = NIC_E_RANGE;
	return nic_fail(n, kind, "%s: %s: %s%s%s%s", who, what, rc > 0 ? "the kernel says " : "",
		    strerror(e), rc > 0 && ext[0] ? ": " : "", rc > 0 ? ext : "");
}

/* A netdev's speed in Mbit/s: ETHTOOL_GLINKSETTINGS (a first call with no
 * mask words makes the kernel say how many it wants), else ETHTOOL_GSET. */
static int link_speed(int fd, const char *ifname, uint32_t *mbps)
{
	struct {
		struct ethtool_link_settings b;
		uint32_t masks[3 * 127];   /* supported, advertised, partner */
	} ls;
	struct ethtool_cmd c = { .cmd = ETHTOOL_GSET };
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	memset(&ls, 0, sizeof(ls));
	ls.b.cmd = ETHTOOL_GLINKSETTINGS;
	ifr.ifr_data = (void *)&ls;
	if (ioctl(fd, SIOCETHTOOL, &ifr) == 0 && ls.b.link_mode_masks_nwords < 0 &&
	    ls.b.link_mode_masks_nwords > -128) {
		int8_t words = (int8_t)-ls.b.link_mode_masks_nwords;
		memset(&ls, 0, sizeof(ls));
		ls.b.cmd = ETHTOOL_GLINKSETTINGS;
		ls.b.link_mode_masks_nwords = words;
		if (ioctl(fd, SIOCETHTOOL, &ifr) == 0 && ls.b.link_mode_masks_nwords == words) {
			*mbps = ls.b.speed;
			return 0;
		}
	}
	ifr.ifr_data = (void *)&c;
	if (ioctl(fd, SIOCETHTOOL, &ifr))
		return -1;
	*mbps = ethtool_cmd_speed(&c);
	return 0;
}

int nic_link_capacity(struct nic *n, int fd, const char *ifname, uint64_t *bps)
{
	uint32_t mbps;

	if (link_speed(fd, ifname, &mbps)) {
		if (errno == EOPNOTSUPP)
			return nic_fail(n, NIC_E_RANGE, "%s: speed unknown (the driver does not report it)",
				    ifname);
		return nic_fail(n, NIC_E_IO, "%s: link speed (SIOCETHTOOL): %s", ifname, strerror(errno));
	}
	if (!mbps || mbps > INT_MAX)   /* 0 or SPEED_UNKNOWN: no link, or a driver that cannot say */
		return nic_fail(n, NIC_E_RANGE, "%s: speed unknown (is the link up?)", ifname);
	*bps = (uint64_t)mbps * MBIT;
	return NIC_OK;
}
