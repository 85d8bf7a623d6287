// SPDX-License-Identifier: MIT
/*
 * Fuzz target: snicctl's argument and rule parsers (hostdrv/lib/args.c,
 * units.c, ntuple.c, ntuple_opts.c) and the verbs flow-spec translator
 * (verbs_flow.c): everything a user or an application hands the library
 * as text or as a spec buffer.
 *
 * Input: a selector byte, then NUL-separated words (each in a buffer of
 * its own, so ASan sees a read past its end), or for the verbs selector
 * the raw attribute buffer. Checked besides memory safety: a refusal
 * always says why (a terminated, non-empty message); a rate or byte count
 * that parsed reads back the same after formatting (rates) or equals
 * itself re-parsed; a rule that parsed names only key fields it masks.
 */
#include <stdlib.h>
#include <string.h>
#include "snic_impl.h"
#include "snic_rulereq.h"
#include "snic_verbs.h"
#include "test_lib_fakewin.h"
#include "fuzz_util.h"

#define FZ_WORDS 40

static char err[128];

/* A parser refused: it must have said why, within the buffer. */
static void refused(void)
{
	FZ_CHECK(memchr(err, 0, sizeof(err)) && err[0]);
}

static void one_word(unsigned sel, const char *s)
{
	uint8_t a[6], m[6], ip[4], ipm[4], proto;
	unsigned long u;
	uint64_t v, back;
	char fmt[64];
	int rc = 0;

	err[0] = 0;
	switch (sel) {
	case 0: rc = snic_arg_mac(s, a, err, sizeof(err)); break;
	case 1: rc = snic_arg_mac_mask(s, a, m, err, sizeof(err)); break;
	case 2: rc = snic_arg_ipv4(s, ip, err, sizeof(err)); break;
	case 3: rc = snic_arg_ipv4_prefix(s, ip, ipm, err, sizeof(err)); break;
	case 4: rc = snic_arg_uint(s, 1, 4095, &u, err, sizeof(err));
		if (!rc)
			FZ_CHECK(u >= 1 && u <= 4095);
		break;
	case 5: rc = snic_arg_proto(s, &proto, err, sizeof(err)); break;
	case 6: rc = snic_arg_rate(s, 1, UINT64_MAX, &v, err, sizeof(err));
		if (!rc) {   /* formatting is exact: it reads back the same */
			snic_fmt_rate(fmt, sizeof(fmt), v);
			FZ_CHECK(!snic_arg_rate(fmt, 1, UINT64_MAX, &back, err, sizeof(err)));
			FZ_CHECK(back == v);
		}
		break;
	default: rc = snic_arg_bytes(s, 64, 1ull << 40, &v, err, sizeof(err));
		if (!rc)
			FZ_CHECK(v >= 64 && v <= 1ull << 40);
		break;
	}
	if (rc)
		refused();
}

/* `rule add` words: ethtool syntax ("flow-type ...") or snicctl's --options. */
static void rule_words(int argc, char **argv)
{
	struct snic_rule_req q;

	memset(&q, 0xa5, sizeof(q));   /* the parser must set every part */
	err[0] = 0;
	if (snic_rule_parse(argc, argv, &q, err, sizeof(err))) {
		refused();
		return;
	}
	/* Every field the rule names is one it matches on, and nothing else. */
	FZ_CHECK((q.fields & ~SNIC_FIELD_ALL) == 0);
	FZ_CHECK((snic_rule_fields(&q.rule) & ~q.fields) == 0);
}

static void verbs(const uint8_t *data, size_t size)
{
	static struct snic_caps caps;
	static int have_caps;
	struct snic_verbs_flow out;

	if (!have_caps) {   /* the synthetic device of the library's unit tests */
		uint8_t rec[1024];
		uint32_t len = fw_caps_records(rec);
		FZ_CHECK(!snic_caps_parse(rec, len, FW_SIZE, &caps, err, sizeof(err)));
		have_caps = 1;
	}
	/* Aligned like a caller's buffer, sized exactly. */
	void *buf = aligned_alloc(8, (size + 7) & ~(size_t)7);
	memcpy(buf, data, size);
	err[0] = 0;
	int rc = snic_verbs_translate(&caps, buf, size, 1, &out, err, sizeof(err));
	if (rc)
		refused();
	else
		FZ_CHECK(out.priority < SNIC_VERBS_PRIORITIES);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[FZ_WORDS];
	int argc = 0;

	if (size < 1)
		return 0;
	unsigned sel = data[0] % 11;
	data++, size--;
	if (sel == 10) {
		verbs(data, size);
		return 0;
	}
	for (size_t at = 0; at <= size && argc < FZ_WORDS;) {
		const uint8_t *end = memchr(data + at, 0, size - at);
		size_t n = end ? (size_t)(end - data - at) : size - at;
		argv[argc] = malloc(n + 1);
		memcpy(argv[argc], data + at, n);
		argv[argc++][n] = 0;
		at += n + 1;
	}
	if (sel < 8)
		one_word(sel, argv[0]);
	else
		rule_words(argc, argv);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	return 0;
}
