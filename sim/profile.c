/* SPDX-License-Identifier: MIT */
#include <string.h>
#include <stdio.h>
#include "profile.h"

/*
 * Cards built from the same match engine: "large" uses the whole
 * ternary table and every key field; "small" is a MAC-only card with few
 * rings; "jumbo" is "large" with 9216-byte frames on half the rings;
 * "gig" is "large" with 1 Gbit/s uplinks (bandwidth-share scenarios on the
 * source's 2 x 1 Gb/s bond, sim/shares.c). All
 * advertise themselves in the same capability format.
 */
static void set_macs(struct hal_hw_info *hw, uint8_t model)
{
	for (unsigned i = 0; i < SNIC_MAX_UPLINKS; i++) {
		const uint8_t mac[6] = { 0x02, 0x5e, model, 0x00, 0x00, (uint8_t)i };
		memcpy(hw->uplink_mac[i], mac, 6);
	}
}

int sim_profile_get(const char *name, struct sim_profile *p)
{
	memset(p, 0, sizeof(*p));
	struct hal_hw_info *hw = &p->hw;

	if (strcmp(name, "large") == 0) {
		hw->n_rx_rings = 16;
		hw->n_tx_rings = 16;
		hw->n_uplinks = 4;
		hw->max_vnics = 1024;
		hw->ring_size = 512;
		hw->buf_max = 2048;
		hw->tcam_entries = 1024;
		hw->exact_entries = 16384; /* the engine's 2 x 2048 x 4 slots */
		hw->key_fields = SNIC_FIELD_ALL;
		hw->uplink_speed_mbps = 100000;
		p->window_size = 64u << 20;
		set_macs(hw, 1);
	} else if (strcmp(name, "small") == 0) {
		hw->n_rx_rings = 4;
		hw->n_tx_rings = 4;
		hw->n_uplinks = 2;
		hw->max_vnics = 16;
		hw->ring_size = 256;
		hw->buf_max = 2048;
		hw->tcam_entries = 64;
		hw->exact_entries = 0;
		hw->key_fields = SNIC_FIELD_FLAGS | SNIC_FIELD_PORT | SNIC_FIELD_DMAC |
				 SNIC_FIELD_SMAC | SNIC_FIELD_VLAN | SNIC_FIELD_ETHERTYPE;
		hw->uplink_speed_mbps = 10000;
		p->window_size = 16u << 20;
		set_macs(hw, 2);
	} else if (strcmp(name, "gig") == 0) {
		if (sim_profile_get("large", p) < 0)
			return -1;
		hw->uplink_speed_mbps = 1000;
		set_macs(hw, 4);
	} else if (strcmp(name, "jumbo") == 0) {
		/* The large card with 9216-byte buffers: fewer, shorter rings so
		 * every ring buffer still fits the 64 MiB window's DMA region
		 * (16 rings x 256 x 9216 B = 36 MiB). */
		hw->n_rx_rings = 8;
		hw->n_tx_rings = 8;
		hw->n_uplinks = 4;
		hw->max_vnics = 64;
		hw->ring_size = 256;
		hw->buf_max = 9216;
		hw->tcam_entries = 1024;
		hw->exact_entries = 16384;
		hw->key_fields = SNIC_FIELD_ALL;
		hw->uplink_speed_mbps = 100000;
		p->window_size = 64u << 20;
		set_macs(hw, 3);
	} else {
		return -1;
	}
	snprintf(hw->profile, sizeof(hw->profile), "%s", name);
	return 0;
}

const char *sim_profile_names(void)
{
	return "large, small, jumbo, gig";
}
