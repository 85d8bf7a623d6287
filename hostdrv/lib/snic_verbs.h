/* SPDX-License-Identifier: MIT */
/*
 * libsnic: rdma-core verbs flow specs as snic rules.
 *
 * Code written for verbs flow steering builds a `struct ibv_flow_attr`
 * followed by its specs (eth, ipv4, ipv4_ext, ipv6, tcp, udp, action_tag,
 * action_drop) and hands it to ibv_create_flow(qp, attr). On snic it hands
 * the same buffer to snic_verbs_flow_add(d, vnic, attr, len, &loc): the
 * VNIC plays the QP. The mapping (which spec sets which key field, how
 * priorities become rule locations, what a tag means) is documented in
 * docs/hostdrv.md, "verbs flow specs".
 *
 * The buffer is untrusted input: every size and count is checked before
 * anything behind it is read, and anything snic cannot express is refused
 * with a sentence naming the spec and the field. Nothing is sent then.
 */
#ifndef SNIC_VERBS_H
#define SNIC_VERBS_H

#include <infiniband/verbs.h>
#include "snic.h"

/* Verbs priorities 0 (first) .. SNIC_VERBS_PRIORITIES-1; each owns an equal
 * band of the host's rule locations, in order. */
#define SNIC_VERBS_PRIORITIES 8

struct snic_verbs_flow {
	struct snic_rule rule;   /* key value, mask and action */
	uint16_t priority;       /* attr.priority */
	uint32_t loc_first;      /* the priority's band of rule locations */
	uint32_t loc_count;
};

/*
 * Translate attr (len bytes: the attribute and its specs) for a device
 * with capabilities caps. vnic is the default destination (the QP's
 * counterpart, SNIC_VNIC_NONE for none); an action_tag overrides it.
 * Returns 0 or SNIC_ERR_ARG with the reason in err.
 */
int snic_verbs_translate(const struct snic_caps *caps, const struct ibv_flow_attr *attr,
			 size_t len, uint16_t vnic, struct snic_verbs_flow *out,
			 char *err, size_t errlen);

/*
 * Translate and add the rule at the first free location of its priority's
 * band (through snic_rule_add, so the host mirror and the software
 * classifier see it). *loc_out (may be NULL) gets the location.
 */
int snic_verbs_flow_add(struct snic_dev *d, uint16_t vnic, const struct ibv_flow_attr *attr,
			size_t len, uint32_t *loc_out);

#endif
