/* SPDX-License-Identifier: MIT */
/* Base64 encoding and strict decoding (RFC 4648 section 4). */
#include <stdint.h>

#include "base64.h"

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t b64_encode(const void *src, size_t len, char *dst)
{
	const unsigned char *s = src;
	char *d = dst;

	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16;
		size_t left = len - i;
		if (left > 1)
			v |= (uint32_t)s[i + 1] << 8;
		if (left > 2)
			v |= s[i + 2];
		*d++ = alphabet[v >> 18 & 63];
		*d++ = alphabet[v >> 12 & 63];
		*d++ = left > 1 ? alphabet[v >> 6 & 63] : '=';
		*d++ = left > 2 ? alphabet[v & 63] : '=';
	}
	*d = '\0';
	return (size_t)(d - dst);
}

static int sextet(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int b64_decode(const char *src, size_t len, void *dst, size_t *outlen)
{
	unsigned char *d = dst;
	size_t n = 0;

	if (len % 4)
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		int last = i + 4 == len;
		int pad = last ? (src[i + 3] == '=') + (src[i + 2] == '=') : 0;
		int c[4];
		if (pad == 1 && src[i + 2] == '=')
			return -1;      /* "x=y=": padding in the middle */
		for (int k = 0; k < 4 - pad; k++)
			if ((c[k] = sextet(src[i + k])) < 0)
				return -1;
		for (int k = 4 - pad; k < 4; k++)
			c[k] = 0;
		uint32_t v = (uint32_t)c[0] << 18 | (uint32_t)c[1] << 12 |
			     (uint32_t)c[2] << 6 | (uint32_t)c[3];
		/* Bits below the last byte must be zero: one encoding per value. */
		if ((pad == 1 && (v & 0xff)) || (pad == 2 && (v & 0xffff)))
			return -1;
		d[n++] = (unsigned char)(v >> 16);
		if (pad < 2)
			d[n++] = (unsigned char)(v >> 8);
		if (pad < 1)
			d[n++] = (unsigned char)v;
	}
	*outlen = n;
	return 0;
}
