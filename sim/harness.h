/* SPDX-License-Identifier: MIT */
/*
 * The rig every virtual-clock scenario stands on: the simulated NIC (its
 * firmware, the Verilated engine), a learning switch on its uplinks, one
 * external host on the switch, and the in-process host driver (hostsim.h)
 * that drives the device through its window. A scenario (failover.c,
 * shares.c) embeds one, adds its VMs and its own run loop, and measures
 * through the hooks it passes in.
 */
#ifndef SNIC_SIM_HARNESS_H
#define SNIC_SIM_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <snic/abi.h>
#include "exthost.h"
#include "hostsim.h"
#include "nic.h"
#include "switch.h"

struct harness {
	struct nic     nic;
	struct sw      sw;
	struct exthost host;
	struct hostsim hs;
	char           window[64];
	int            nic_up;
};

struct harness_config {
	const char    *profile;
	const char    *name;        /* window file: /dev/shm/snic-<name>-<pid> */
	uint64_t       aging_ns;    /* switch MAC aging; 0: the switch default */
	const uint8_t *host_mac, *host_ip;
	exthost_rx_fn  host_rx;     /* optional: every frame the host receives */
	nic_tx_hook    tx_hook;     /* optional: every frame put on an uplink */
	void          *ctx;         /* for both hooks */
};

/* Bring the rig up, the host driver attached to a running device. -1 with
 * a message in err on failure; harness_stop() must still be called. */
int harness_start(struct harness *h, const struct harness_config *c, char *err, size_t errlen);
/* Tear down what harness_start() brought up (safe on a zeroed rig). */
void harness_stop(struct harness *h);

static inline uint64_t harness_now(const struct harness *h)
{
	return nic_now_ns(&h->nic);
}

/* One admin command whose reply only needs status 0: -1 with
 * "<what> failed (status N)" in err otherwise. */
int harness_admin(struct harness *h, uint16_t opcode, const void *in, uint32_t len,
		  void *out, uint32_t out_cap, const char *what, char *err, size_t errlen);
/* A VNIC on bond 0 with MAC mac and, unless ip is NULL, one IPv4 address. */
int harness_vnic_create(struct harness *h, const uint8_t mac[6], const uint8_t *ip,
			struct snic_vnic_info *info, char *err, size_t errlen);

#endif
