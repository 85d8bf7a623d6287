// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the reference parser and the ternary lookup on any frame
 * and any rule table (classifier/parse.c, parse_ipv6.c, match.c).
 *
 * Input: port (1 byte), n rules (1 byte, up to FZ_RULES), n * 136 bytes
 * of rules (valid flag from the action's gen low bit), then the frame.
 * Checked for every input, besides memory safety:
 *  - the key depends only on the first SNIC_PARSE_BYTES header bytes and
 *    the frame length; reserved key bytes are 0; key.port is the port;
 *  - the lookup returns the first valid rule that matches (or a miss with
 *    the miss action), and a rule built from the key itself always hits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "classifier.h"
#include "fuzz_util.h"

#define FZ_RULES 16

static void check_lookup(const struct snic_tcam *t, const struct snic_key *k)
{
	struct snic_match m;

	snic_tcam_lookup(t, k, &m);
	FZ_CHECK(m.key_flags == k->flags);
	for (uint32_t i = 0; i < t->depth; i++) {
		int hit = t->valid[i] && snic_rule_matches(&t->entries[i], k);
		if (i < m.rule && m.rule != SNIC_RULE_MISS)
			FZ_CHECK(!hit);   /* an earlier rule would have won */
		if (m.rule == SNIC_RULE_MISS)
			FZ_CHECK(!hit);
	}
	if (m.rule != SNIC_RULE_MISS) {
		FZ_CHECK(m.rule < t->depth && t->valid[m.rule]);
		FZ_CHECK(!memcmp(&m.action, &t->entries[m.rule].action, sizeof(m.action)));
	} else {
		FZ_CHECK(m.action.vnic == SNIC_VNIC_NONE && m.action.flags == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snic_rule rules[FZ_RULES + 1];
	uint8_t valid[FZ_RULES + 1];
	struct snic_key k1, k2;

	if (size < 2)
		return 0;
	uint8_t port = data[0];
	uint32_t n = data[1] % (FZ_RULES + 1);
	data += 2, size -= 2;
	if (size < n * sizeof(struct snic_rule))
		n = (uint32_t)(size / sizeof(struct snic_rule));
	for (uint32_t i = 0; i < n; i++) {
		memcpy(&rules[i], data + i * sizeof(rules[0]), sizeof(rules[0]));
		valid[i] = rules[i].action.gen & 1;
	}
	data += n * sizeof(struct snic_rule), size -= n * sizeof(struct snic_rule);

	/* The frame in a buffer of its own size, so ASan sees any overread. */
	uint8_t *frame = malloc(size ? size : 1);
	memcpy(frame, data, size);
	uint32_t len = (uint32_t)size;
	snic_parse(frame, len, len, port, &k1);
	uint32_t cut = len < SNIC_PARSE_BYTES ? len : SNIC_PARSE_BYTES;
	snic_parse(frame, cut, len, port, &k2);
	FZ_CHECK(!memcmp(&k1, &k2, sizeof(k1)));
	FZ_CHECK(k1.port == port && k1.rsvd0 == 0);
	FZ_CHECK(!k1.rsvd1[0] && !k1.rsvd1[1] && !k1.rsvd1[2] && !k1.rsvd1[3]);

	struct snic_tcam t = { n, rules, valid };
	check_lookup(&t, &k1);
	/* The key itself as an exact rule at the end: hits unless an earlier one does. */
	memset(&rules[n], 0, sizeof(rules[n]));
	rules[n].value = k1;
	memset(&rules[n].mask, 0xff, sizeof(rules[n].mask));
	rules[n].action.vnic = 7;
	valid[n] = 1;
	t.depth = n + 1;
	struct snic_match m;
	snic_tcam_lookup(&t, &k1, &m);
	FZ_CHECK(m.rule != SNIC_RULE_MISS && m.rule <= n);
	check_lookup(&t, &k1);
	free(frame);
	return 0;
}
