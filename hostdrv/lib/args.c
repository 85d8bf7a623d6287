/* SPDX-License-Identifier: MIT */
/*
 * Strict parsers for command-line values: garbage is refused with a
 * reason before anything is sent to the device.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "snic_impl.h"

static int bad(char *err, size_t errlen, const char *fmt, const char *s)
{
	if (errlen)
		snprintf(err, errlen, fmt, s);
	return -1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Six pairs of hex digits separated by ':'; `end` is where parsing stops. */
static int mac_prefix(const char *s, uint8_t mac[6], const char **end)
{
	for (int i = 0; i < 6; i++) {
		int hi = hexval((unsigned char)s[0]);
		int lo = hi < 0 ? -1 : hexval((unsigned char)s[1]);
		if (hi < 0 || lo < 0)
			return -1;
		mac[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i < 5 && *s++ != ':')
			return -1;
	}
	*end = s;
	return 0;
}

int snic_arg_mac(const char *s, uint8_t mac[6], char *err, size_t errlen)
{
	const char *end;

	if (mac_prefix(s, mac, &end) < 0 || *end)
		return bad(err, errlen, "bad MAC address '%s' (want xx:xx:xx:xx:xx:xx)", s);
	return 0;
}

int snic_arg_mac_mask(const char *s, uint8_t mac[6], uint8_t mask[6], char *err, size_t errlen)
{
	const char *end;

	if (mac_prefix(s, mac, &end) < 0 || (*end && *end != '/'))
		return bad(err, errlen, "bad MAC address '%s' (want xx:xx:xx:xx:xx:xx[/mask])", s);
	memset(mask, 0xff, 6);
	if (!*end)
		return 0;
	end++;
	if (strchr(end, ':')) {
		const char *e2;
		if (mac_prefix(end, mask, &e2) < 0 || *e2)
			return bad(err, errlen, "bad MAC mask in '%s'", s);
	} else {
		unsigned long bits;
		if (snic_arg_uint(end, 0, 48, &bits, NULL, 0) < 0)
			return bad(err, errlen, "bad MAC prefix length in '%s' (0..48)", s);
		for (unsigned i = 0; i < 6; i++) {
			unsigned b = bits > 8 * i ? (unsigned)bits - 8 * i : 0;
			mask[i] = b >= 8 ? 0xff : (uint8_t)(0xff00u >> b);
		}
	}
	for (unsigned i = 0; i < 6; i++)
		mac[i] &= mask[i];
	return 0;
}

/* Dotted quad, each part 1-3 decimal digits 0..255; returns chars used. */
static int ipv4_prefix(const char *s, uint8_t ip[4])
{
	const char *p = s;

	for (int i = 0; i < 4; i++) {
		unsigned v = 0, digits = 0;
		while (isdigit((unsigned char)*p) && digits < 4) {
			v = v * 10 + (unsigned)(*p - '0');
			p++;
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255)
			return -1;
		ip[i] = (uint8_t)v;
		if (i < 3 && *p++ != '.')
			return -1;
	}
	return (int)(p - s);
}

int snic_arg_ipv4(const char *s, uint8_t ip[4], char *err, size_t errlen)
{
	int n = ipv4_prefix(s, ip);

	if (n < 0 || s[n])
		return bad(err, errlen, "bad IPv4 address '%s'", s);
	return 0;
}

int snic_arg_ipv4_prefix(const char *s, uint8_t ip[4], uint8_t mask[4], char *err, size_t errlen)
{
	int n = ipv4_prefix(s, ip);
	unsigned long len = 32;

	if (n < 0 || (s[n] && s[n] != '/'))
		return bad(err, errlen, "bad IPv4 address '%s' (want A.B.C.D[/len])", s);
	if (s[n] == '/' && snic_arg_uint(s + n + 1, 0, 32, &len, NULL, 0) < 0)
		return bad(err, errlen, "bad prefix length in '%s' (0..32)", s);
	for (unsigned i = 0; i < 4; i++) {
		unsigned b = len > 8 * i ? (unsigned)len - 8 * i : 0;
		mask[i] = b >= 8 ? 0xff : (uint8_t)(0xff00u >> b);
		ip[i] &= mask[i];
	}
	return 0;
}

int snic_arg_uint(const char *s, unsigned long min, unsigned long max,
		  unsigned long *out, char *err, size_t errlen)
{
	char *end;
	int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *digits = hex ? s + 2 : s;

	/* Decimal, leading zeros and all (an operator's "010" is ten, not
	 * octal eight); hexadecimal only when it says 0x. strtoul would also
	 * take signs and leading blanks; we do not. */
	if (!(hex ? isxdigit((unsigned char)digits[0]) : isdigit((unsigned char)digits[0])))
		return bad(err, errlen, "'%s' is not a number", s);
	errno = 0;
	unsigned long v = strtoul(digits, &end, hex ? 16 : 10);
	if (errno || *end)
		return bad(err, errlen, "'%s' is not a number", s);
	if (v < min || v > max) {
		if (errlen)
			snprintf(err, errlen, "%s is out of range %lu..%lu", s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int snic_arg_proto(const char *s, uint8_t *proto, char *err, size_t errlen)
{
	unsigned long v;

	if (strcmp(s, "tcp") == 0)
		*proto = 6;
	else if (strcmp(s, "udp") == 0)
		*proto = 17;
	else if (strcmp(s, "icmp") == 0)
		*proto = 1;
	else if (snic_arg_uint(s, 0, 255, &v, NULL, 0) == 0)
		*proto = (uint8_t)v;
	else
		return bad(err, errlen, "bad protocol '%s' (tcp, udp, icmp or 0..255)", s);
	return 0;
}
