/* SPDX-License-Identifier: MIT */
/*
 * A NIC as the booking agent drives it: per VNIC, the guarantees and the
 * ceiling a booking maps onto (docs/bookings.md has the table). Back
 * ends: the snic device window through the user-space library
 * (nic_snic.c), any Linux netdev's VFs through rtnetlink's per-VF rate
 * (nic_vfrate.c, IFLA_VF_RATE, as `ip link set DEV vf N min_tx_rate ...`),
 * any devlink instance's VF ports through their rate leaves (nic_devlink.c,
 * as `devlink port function rate set ... tx_share R tx_max R`).
 */
#ifndef SNIC_BOOKD_NIC_H
#define SNIC_BOOKD_NIC_H

#include <stdint.h>

/* What the NIC holds for one VNIC because of the bookings. All zero: none. */
struct nic_booking {
	uint64_t min_bps;   /* TX guarantee on its uplink/bond */
	uint64_t cap_bps;   /* TX ceiling; 0: none */
	uint64_t rx_bps;    /* RX guarantee, where the NIC holds one as such; 0: none */
	uint64_t rx_cap_bps;/* RX ceiling: what the others' RX guarantees on its
			     * uplink leave (a policer); 0: none */
	uint8_t  prio;      /* share priority 0..7 */
	uint8_t  rx_only;   /* apply: only rx_cap_bps is the agent's; leave the
			     * rest as the operator set it */
};

/* What a back end can do (a field it cannot hold is reported, not faked). */
#define NIC_CAN_MIN  0x01
#define NIC_CAN_CAP  0x02
#define NIC_CAN_RX   0x04
#define NIC_CAN_PRIO 0x08
#define NIC_CAN_RXCAP 0x10  /* RX ceilings per VNIC: receive guarantees enforced
			     * by capping the other VNICs of the uplink */

enum nic_err {
	NIC_OK        = 0,
	NIC_E_IO      = -1, /* the device did not answer: retry, resync */
	NIC_E_NOVNIC  = -2, /* no such VNIC/VF on this NIC */
	NIC_E_RANGE   = -3, /* the device refused the value */
	NIC_E_UNSUPP  = -4, /* the back end cannot hold this field */
};

#define NIC_ERRMSG_MAX 256

struct nic;

struct nic_ops {
	const char *name;     /* "snic", "vfrate", "devlink" */
	unsigned can;         /* NIC_CAN_* */
	void (*close)(struct nic *n);
	/* Changes whenever the NIC lost what it held (reset, firmware
	 * flash, driver reload): the agent then resyncs. */
	int (*generation)(struct nic *n, uint64_t *gen);
	/* The uplink (or bond: 128 + b) VNIC v sends on; NIC_E_NOVNIC. */
	int (*vnic_uplink)(struct nic *n, uint16_t vnic, uint8_t *uplink);
	/* Capacity of that uplink or bond (the members up), bit/s. */
	int (*capacity)(struct nic *n, uint8_t uplink, uint64_t *bps);
	/* Make the NIC hold b for v (all zero removes it). */
	int (*apply)(struct nic *n, uint16_t vnic, const struct nic_booking *b);
	/* What the NIC holds for v now, read back from the device. */
	int (*read)(struct nic *n, uint16_t vnic, struct nic_booking *out);
	/* What v wanted to send lately, bit/s (the shared pipe's demand);
	 * NULL when the back end cannot measure it. */
	int (*demand)(struct nic *n, uint16_t vnic, uint64_t *bps);
	/* The VNICs on uplink (or bond) u, booked or not; returns how many
	 * (fills up to max). NULL without NIC_CAN_RXCAP. */
	int (*vnics)(struct nic *n, uint8_t uplink, uint16_t *out, unsigned max);
};

struct nic {
	const struct nic_ops *ops;
	char err[NIC_ERRMSG_MAX];
};

struct nic *nic_snic_open(const char *window, char *err, unsigned errlen);
struct nic *nic_vfrate_open(const char *ifname, char *err, unsigned errlen);
/* spec: BUS/DEV (pci/0000:00:03.0) or the name of a netdev of one of its ports */
struct nic *nic_devlink_open(const char *spec, char *err, unsigned errlen);

/* For back ends: the reason into n->err; returns rc. */
int nic_fail(struct nic *n, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A kernel request by who that failed (rc: > 0 the kernel's errno, with
 * its text ext; -1: errno) as the agent's error. For a rate (values 1)
 * the errno says who is at fault: the values (NIC_E_RANGE) or the driver
 * (NIC_E_UNSUPP); the rest (device gone, no answer, no permission) is
 * retried (NIC_E_IO). */
int nic_req_fail(struct nic *n, const char *who, int rc, const char *ext, int values,
		 const char *what);
/* ifname's link speed as a capacity (bit/s) through SIOCETHTOOL on fd
 * (any socket); NIC_E_RANGE when the driver cannot say, NIC_E_IO. */
int nic_link_capacity(struct nic *n, int fd, const char *ifname, uint64_t *bps);

static inline void nic_close(struct nic *n) { if (n) n->ops->close(n); }

#endif
