/* SPDX-License-Identifier: MIT */
/*
 * Standard base64 (RFC 4648, alphabet A-Z a-z 0-9 + /, '=' padding), the
 * flavour etcd's JSON gateway and the dir store's journal use for keys
 * and values.
 */
#ifndef SNIC_BOOKD_BASE64_H
#define SNIC_BOOKD_BASE64_H

#include <stddef.h>

/* Characters b64_encode writes for n bytes, without the NUL. */
#define B64_ENCODED_LEN(n) (((n) + 2) / 3 * 4)
/* Bytes b64_decode may write for n characters (at most). */
#define B64_DECODED_MAX(n) ((n) / 4 * 3)

/* Writes B64_ENCODED_LEN(len) characters and a NUL to dst; returns the
 * number of characters. */
size_t b64_encode(const void *src, size_t len, char *dst);

/* Decodes len characters (a multiple of 4, padding only at the end) into
 * dst, which holds B64_DECODED_MAX(len) bytes; *outlen gets the byte
 * count. Returns 0, or -1 for anything that is not canonical base64. */
int b64_decode(const char *src, size_t len, void *dst, size_t *outlen);

#endif
