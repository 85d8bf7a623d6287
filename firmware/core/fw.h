/* SPDX-License-Identifier: MIT */
/* Firmware entry points, called by each target's startup code. */
#ifndef SNIC_FW_H
#define SNIC_FW_H

#include <stdint.h>

/* Boot: lay out the device window, write the capability records, set the
 * device state to RUNNING. Returns 0, or -1 with state FAILED. */
int fw_init(void);

/* One pass of the event loop: admin queue, received frames, transmit
 * rings. Returns the number of work items done (0 = idle). */
unsigned fw_poll(void);

#endif
