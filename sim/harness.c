/* SPDX-License-Identifier: MIT */
/* The shared rig of the virtual-clock scenarios; see harness.h. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"

int harness_start(struct harness *h, const struct harness_config *c, char *err, size_t errlen)
{
	snprintf(h->window, sizeof(h->window), "/dev/shm/snic-%s-%d", c->name, (int)getpid());
	if (nic_init(&h->nic, c->profile, h->window) < 0) {
		snprintf(err, errlen, "cannot start the simulated NIC (profile %s)", c->profile);
		return -1;
	}
	h->nic_up = 1;
	h->nic.skip_idle_engine = 1; /* our host runs on the virtual clock too */
	unlink(h->window); /* mapped: the file is not needed any more */
	struct sw_config sc;
	sw_config_default(&sc);
	if (c->aging_ns)
		sc.aging_ns = c->aging_ns;
	if (sw_init(&h->sw, &sc, &h->nic, h->nic.prof.hw.n_uplinks) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	h->nic.sw = &h->sw;
	exthost_init(&h->host, c->host_mac, c->host_ip);
	h->host.on_rx = c->host_rx;
	h->host.ctx = c->ctx;
	sw_attach_host(&h->sw, &h->host);
	h->nic.tx_hook = c->tx_hook;
	h->nic.tx_hook_ctx = c->ctx;
	if (hostsim_init(&h->hs, &h->nic) < 0) {
		snprintf(err, errlen, "the host driver cannot use the window");
		return -1;
	}
	return 0;
}

void harness_stop(struct harness *h)
{
	if (h->nic_up) {
		h->nic.sw = NULL;
		nic_fini(&h->nic);
		h->nic_up = 0;
	}
	sw_fini(&h->sw);
}

int harness_admin(struct harness *h, uint16_t opcode, const void *in, uint32_t len,
		  void *out, uint32_t out_cap, const char *what, char *err, size_t errlen)
{
	int st = hostsim_admin(&h->hs, opcode, in, len, out, out_cap);
	if (st) {
		snprintf(err, errlen, "%s failed (status %d)", what, st);
		return -1;
	}
	return 0;
}

int harness_vnic_create(struct harness *h, const uint8_t mac[6], const uint8_t *ip,
			struct snic_vnic_info *info, char *err, size_t errlen)
{
	struct snic_vnic_create vc;
	memset(&vc, 0, sizeof(vc));
	vc.vnic = SNIC_ID_ANY;
	vc.vlan = SNIC_VLAN_NONE;
	memcpy(vc.mac, mac, 6);
	vc.uplink = SNIC_UPLINK_BOND | 0;
	if (ip) {
		vc.n_ip = 1;
		memcpy(vc.ip[0], ip, 4);
	}
	return harness_admin(h, SNIC_CMD_VNIC_CREATE, &vc, sizeof(vc), info, sizeof(*info),
			     "VNIC_CREATE", err, errlen);
}
