/* SPDX-License-Identifier: MIT */
/*
 * `rule add` words -> one classifier rule (ntuple.c): ethtool's n-tuple
 * syntax (`flow-type tcp4 dst-ip 10.0.0.2 dst-port 80 action 3 loc 5`)
 * through the translator the kernel driver uses (<snic/ntuple.h>), or
 * snicctl's --options with the same flags-byte semantics. Meaning of each
 * word: docs/classifier.md, "What a rule means".
 */
#ifndef SNIC_RULEREQ_H
#define SNIC_RULEREQ_H

#include <stddef.h>
#include "snic.h"

struct snic_rule_req {
	struct snic_rule rule;   /* match and action as far as the words say */
	uint32_t loc;            /* SNIC_LOC_ANY unless `loc N` / --loc */
	uint32_t fields;         /* SNIC_FIELD_* the match uses */
	int      ring_owner;     /* `action N`: deliver to the VNIC receiving on
				  * RX ring `ring` (snic_rule_req_resolve) */
	uint16_t ring;
	int      malformed;      /* `malformed`: only frames with KF_ERR */
	/* The words that named each part, for the device's errors. */
	char     vnic_word[24], ring_word[24], meter_word[24], loc_word[24];
};

/* Parse argv[0..argc-1] (the words after `rule add`). 0, or -1 with a
 * message naming the offending word in err; nothing is sent. */
int snic_rule_parse(int argc, char *const *argv, struct snic_rule_req *q, char *err,
		    size_t errlen);

/* Internal to the parsers (ntuple.c, ntuple_opts.c): set the target part
 * what = 'v' VNIC, 'r' ring, 'm' meter, 'l' location, to v, remembering
 * "WORD v" for errors; and snicctl's --options. */
void snic_rule_req_target(struct snic_rule_req *q, char what, unsigned long v, const char *word);
int snic_rule_parse_opts(int argc, char *const *argv, struct snic_rule_req *q, char *err,
			 size_t errlen);

/* `action N`: find the VNIC whose own RX ring is N and aim the rule at it.
 * 0, or an SNIC_ERR_ARG / device error with the message in snic_errmsg(). */
int snic_rule_req_resolve(struct snic_dev *d, struct snic_rule_req *q);

/* After RULE_ADD failed with `status`: "action 7: no such VNIC" etc. into
 * buf, naming the word that caused it where that can be known. */
void snic_rule_req_explain(struct snic_dev *d, const struct snic_rule_req *q, int status,
			   char *buf, size_t len);

#endif
