/* SPDX-License-Identifier: MIT */
/* Simulated NIC hardware profiles: what each model of the card has. */
#ifndef SNIC_SIM_PROFILE_H
#define SNIC_SIM_PROFILE_H

#include <stdint.h>
#include "hal/hal.h"

struct sim_profile {
	struct hal_hw_info hw;
	uint32_t window_size;  /* bytes of the device window (power of two) */
};

/* Fill *p for the profile called `name`; -1 if there is no such profile. */
int sim_profile_get(const char *name, struct sim_profile *p);

/* Comma-separated list of profile names, for usage messages. */
const char *sim_profile_names(void);

#endif
