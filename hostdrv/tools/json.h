/* SPDX-License-Identifier: MIT */
/* A tiny streaming JSON writer: valid output by construction. */
#ifndef SNICCTL_JSON_H
#define SNICCTL_JSON_H

#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int   depth;
	int   count[JSON_MAX_DEPTH]; /* members written at each level */
};

void json_init(struct json *j, FILE *f);
/* `key` is the member name inside an object, NULL inside an array or at top. */
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_uint(struct json *j, const char *key, uint64_t val);
void json_int(struct json *j, const char *key, int64_t val);
void json_bool(struct json *j, const char *key, int val);
void json_null(struct json *j, const char *key);
void json_mac(struct json *j, const char *key, const uint8_t mac[6]);
void json_ipv4(struct json *j, const char *key, const uint8_t ip[4]);
/* Ends the document with a newline. */
void json_done(struct json *j);

#endif
