/* SPDX-License-Identifier: MIT */
/*
 * Rates and byte counts with units, for the rate-limiting commands:
 * "400G", "1.5M", "10Gbit/s", "64k", "1Mi". Exact integer arithmetic: a
 * value that is not a whole number of bit/s or bytes is refused, never
 * rounded, and so is anything outside the caller's range.
 */
#include <ctype.h>
#include <stdio.h>
#include "snic_impl.h"

struct unit {
	const char *name;
	uint64_t    mult;
};

/* Rates: SI prefixes (a network "1G" is 10^9 bit/s). */
static const struct unit rate_units[] = {
	{ "", 1 }, { "k", 1000ull }, { "K", 1000ull }, { "M", 1000000ull },
	{ "G", 1000000000ull }, { "T", 1000000000000ull },
};

/* Bytes: SI and binary prefixes. */
static const struct unit byte_units[] = {
	{ "", 1 }, { "k", 1000ull }, { "K", 1000ull }, { "M", 1000000ull },
	{ "G", 1000000000ull }, { "Ki", 1024ull }, { "Mi", 1048576ull },
	{ "Gi", 1073741824ull },
};

/* Optional spelled-out unit after the prefix. */
static const char *const rate_tails[] = { "", "bps", "bit/s", "b/s" };
static const char *const byte_tails[] = { "", "B" };

static int fail(char *err, size_t errlen, const char *fmt, const char *s)
{
	if (errlen)
		snprintf(err, errlen, fmt, s);
	return -1;
}

/*
 * "D[.F]PREFIX[TAIL]" -> exact integer. Returns 0, -1 for garbage, -2 when
 * the value is not whole, -3 on overflow.
 */
static int parse_units(const char *s, const struct unit *u, size_t nu,
		       const char *const *tails, size_t nt, uint64_t *out)
{
	uint64_t whole = 0, frac = 0, frac_div = 1;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return -3;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		for (; isdigit((unsigned char)*p); p++) {
			if (frac_div > UINT64_MAX / 100)
				return -3;   /* more digits than any unit can use */
			frac = frac * 10 + (uint64_t)(*p - '0');
			frac_div *= 10;
		}
	}
	/* The longest prefix name that leaves a valid tail wins ("Mi" over "M"). */
	for (size_t k = nu; k-- > 0;) {
		size_t n = strlen(u[k].name);
		if (strncmp(p, u[k].name, n))
			continue;
		for (size_t t = 0; t < nt; t++) {
			if (strcmp(p + n, tails[t]))
				continue;
			uint64_t m = u[k].mult;
			if (whole > UINT64_MAX / m)
				return -3;
			unsigned __int128 fm = (unsigned __int128)frac * m;
			if (fm % frac_div)
				return -2;
			uint64_t v = whole * m, f = (uint64_t)(fm / frac_div);
			if (v > UINT64_MAX - f)
				return -3;
			*out = v + f;
			return 0;
		}
	}
	return -1;
}

void snic_fmt_rate(char *buf, size_t n, uint64_t bps)
{
	static const struct unit u[] = {
		{ "T", 1000000000000ull }, { "G", 1000000000ull }, { "M", 1000000ull },
		{ "k", 1000ull },
	};

	for (size_t k = 0; k < sizeof(u) / sizeof(u[0]); k++) {
		if (bps < u[k].mult)
			continue;
		uint64_t w = bps / u[k].mult, r = bps % u[k].mult;
		if (!r) {
			snprintf(buf, n, "%llu%s", (unsigned long long)w, u[k].name);
			return;
		}
		/* Exact decimals: print the remainder with trailing zeros cut. */
		char digits[16];
		int width = 0;
		for (uint64_t m = u[k].mult; m > 1; m /= 10)
			digits[width++] = '0';
		digits[width] = 0;
		for (int i = width - 1; i >= 0; i--, r /= 10)
			digits[i] = (char)('0' + r % 10);
		for (int i = width - 1; i > 0 && digits[i] == '0'; i--)
			digits[i] = 0;
		snprintf(buf, n, "%llu.%s%s", (unsigned long long)w, digits, u[k].name);
		return;
	}
	snprintf(buf, n, "%llu", (unsigned long long)bps);
}

int snic_arg_rate(const char *s, uint64_t min, uint64_t max, uint64_t *bps,
		  char *err, size_t errlen)
{
	uint64_t v;
	int rc = parse_units(s, rate_units, sizeof(rate_units) / sizeof(rate_units[0]),
			     rate_tails, sizeof(rate_tails) / sizeof(rate_tails[0]), &v);

	if (rc == -2)
		return fail(err, errlen, "rate '%s' is not a whole number of bit/s", s);
	if (rc == -3)
		return fail(err, errlen, "rate '%s' is far too large", s);
	if (rc)
		return fail(err, errlen,
			    "bad rate '%s' (want a number of bit/s with an optional k, M, G "
			    "or T, e.g. 100M, 2.5G, 400G)", s);
	if (v < min || v > max) {
		char a[32], b[32];
		snic_fmt_rate(a, sizeof(a), min);
		snic_fmt_rate(b, sizeof(b), max);
		if (errlen)
			snprintf(err, errlen, "rate %s is %s the supported range %s..%s bit/s",
				 s, v < min ? "below" : "above", a, b);
		return -1;
	}
	*bps = v;
	return 0;
}

int snic_arg_bytes(const char *s, uint64_t min, uint64_t max, uint64_t *bytes,
		   char *err, size_t errlen)
{
	uint64_t v;
	int rc = parse_units(s, byte_units, sizeof(byte_units) / sizeof(byte_units[0]),
			     byte_tails, sizeof(byte_tails) / sizeof(byte_tails[0]), &v);

	if (rc == -2)
		return fail(err, errlen, "size '%s' is not a whole number of bytes", s);
	if (rc == -3)
		return fail(err, errlen, "size '%s' is far too large", s);
	if (rc)
		return fail(err, errlen,
			    "bad size '%s' (want bytes with an optional k, M, G (powers of 10) "
			    "or Ki, Mi, Gi (powers of 2), e.g. 1500, 64k, 1Mi)", s);
	if (v < min || v > max) {
		if (errlen)
			snprintf(err, errlen, "size %s is outside %llu..%llu bytes", s,
				 (unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	*bytes = v;
	return 0;
}
