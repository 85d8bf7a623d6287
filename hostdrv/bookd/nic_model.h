/* SPDX-License-Identifier: MIT */
/* The in-memory NIC model (nic_model.c): for tests and scale runs. */
#ifndef SNIC_BOOKD_NIC_MODEL_H
#define SNIC_BOOKD_NIC_MODEL_H

#include "nic.h"

struct nic *nic_model_new(unsigned vnics, unsigned uplinks, uint64_t uplink_bps);
struct nic *nic_model_open(const char *spec, char *err, unsigned errlen);
/* Lose everything held, as a device reset does (the generation changes). */
void nic_model_reset(struct nic *n);
/* VNIC v destroyed and created again: it holds nothing, the generation
 * stays (no reset). */
void nic_model_forget(struct nic *n, uint16_t vnic);
/* Make capacity() fail (1) or answer again (0). */
void nic_model_fail_capacity(struct nic *n, int on);
/* Times apply() reached VNIC v. */
uint32_t nic_model_applies(struct nic *n, uint16_t vnic);

#endif
