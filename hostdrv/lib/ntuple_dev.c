/* SPDX-License-Identifier: MIT */
/*
 * The device side of a parsed `rule add`: `action N` aimed at the VNIC
 * that receives on ring N, and the device's refusals told in terms of the
 * word that caused them ("action 7: no RX ring 7 on this device").
 */
#include <stdio.h>
#include <string.h>
#include "snic_impl.h"
#include "snic_rulereq.h"

int snic_rule_req_resolve(struct snic_dev *d, struct snic_rule_req *q)
{
	const struct snic_caps *caps = snic_caps(d);
	struct snic_vnic_info vi;

	if (!q->ring_owner)
		return 0;
	if (q->ring >= caps->n_rx)
		return snic_seterr(d, SNIC_ERR_ARG, "%s: no RX ring %u on this device (0..%u)",
				   q->vnic_word, q->ring, caps->n_rx - 1u);
	for (uint16_t v = 0; v < caps->max_vnics; v++) {
		int rc = snic_vnic_query(d, v, &vi);
		if (rc == SNIC_E_NOENT)
			continue;
		if (rc)
			return rc;
		if (vi.ring_state == SNIC_RING_BOUND && vi.rx_ring == q->ring) {
			/* Its own ring: the rule follows the VNIC if it moves. */
			q->rule.action.vnic = v;
			return 0;
		}
	}
	return snic_seterr(d, SNIC_ERR_ARG, "%s: no VNIC receives on RX ring %u (snicctl vnic show; "
			   "or name the VNIC: vf N)", q->vnic_word, q->ring);
}

/* The key fields the rule uses that this device cannot match. */
static void unsupported_fields(struct snic_dev *d, const struct snic_rule_req *q, char *buf,
			       size_t len)
{
	snic_fields_str(q->fields & ~snic_caps(d)->cls.key_fields, buf, len);
}

/* NOENT names one of three things: find which. */
static void explain_noent(struct snic_dev *d, const struct snic_rule_req *q, char *buf,
			  size_t len)
{
	const struct snic_action *a = &q->rule.action;
	struct snic_vnic_info vi;

	if (a->ring != SNIC_RING_DEFAULT && a->ring >= snic_caps(d)->n_rx)
		snprintf(buf, len, "%s: no RX ring %u on this device", q->ring_word, a->ring);
	else if (a->vnic != SNIC_VNIC_NONE && snic_vnic_query(d, a->vnic, &vi) == SNIC_E_NOENT)
		snprintf(buf, len, "%s: no such VNIC", q->vnic_word);
	else if (a->flags & SNIC_ACT_METER)
		snprintf(buf, len, "%s: no such meter (snicctl meter set first)", q->meter_word);
	else
		snprintf(buf, len, "the rule's target does not exist");
}

void snic_rule_req_explain(struct snic_dev *d, const struct snic_rule_req *q, int status,
			   char *buf, size_t len)
{
	char what[200], f[96];
	const char *loc = q->loc_word[0] ? q->loc_word : "loc";

	switch (status) {
	case SNIC_E_NOENT:
		explain_noent(d, q, what, sizeof(what));
		break;
	case SNIC_E_EXIST:
		snprintf(what, sizeof(what), "%s: a rule is already there (snicctl rule del %u)",
			 loc, q->loc);
		break;
	case SNIC_E_RANGE:
		snprintf(what, sizeof(what), "%s: beyond the rule table (0..%u)", loc,
			 snic_caps(d)->cls.user_entries - 1u);
		break;
	case SNIC_E_NOSPC:
		snprintf(what, sizeof(what), "the rule table is full (%u rules)",
			 snic_caps(d)->cls.user_entries);
		break;
	case SNIC_E_UNSUPP:
		unsupported_fields(d, q, f, sizeof(f));
		snprintf(what, sizeof(what), "matching on %s is not supported by this device "
			 "(profile %s)", f[0] ? f : "these fields", snic_caps(d)->profile);
		break;
	default:
		/* Not tied to one word: the device's text alone. */
		snprintf(buf, len, "%s", snic_errmsg(d));
		return;
	}
	snprintf(buf, len, "%s (%s)", what, snic_status_name((unsigned)status));
}
