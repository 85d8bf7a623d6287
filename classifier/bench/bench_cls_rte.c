/* SPDX-License-Identifier: MIT */
/*
 * The DPDK side of the classifier bench: rte_acl over the 5-tuple rules and
 * rte_hash over the exact keys (cls_cmp.h). rte_acl and rte_hash allocate
 * from DPDK's heap, so the EAL is started: without hugepages, shared files or
 * PCI, on one lcore. Compiled with DPDK's headers and flags (they are not
 * -Wshadow clean).
 */
#include <rte_eal.h>
#include <rte_acl.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_lcore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cls_cmp.h"

#define KEY_OFF_PROTO 20   /* snic_key offsets (include/snic/cls.h) */
#define KEY_OFF_SIP   24
#define KEY_OFF_DIP   40
#define KEY_OFF_SPORT 56
#define KEY_OFF_DPORT 58

enum { F_PROTO, F_SIP, F_DIP, F_SPORT, F_DPORT, N_FIELDS };

/* rte_acl: the first field is one byte, the others in 4-byte groups. */
static const struct rte_acl_field_def defs[N_FIELDS] = {
	{ .type = RTE_ACL_FIELD_TYPE_BITMASK, .size = 1, .field_index = F_PROTO,
	  .input_index = 0, .offset = KEY_OFF_PROTO },
	{ .type = RTE_ACL_FIELD_TYPE_MASK, .size = 4, .field_index = F_SIP,
	  .input_index = 1, .offset = KEY_OFF_SIP },
	{ .type = RTE_ACL_FIELD_TYPE_MASK, .size = 4, .field_index = F_DIP,
	  .input_index = 2, .offset = KEY_OFF_DIP },
	{ .type = RTE_ACL_FIELD_TYPE_BITMASK, .size = 2, .field_index = F_SPORT,
	  .input_index = 3, .offset = KEY_OFF_SPORT },
	{ .type = RTE_ACL_FIELD_TYPE_BITMASK, .size = 2, .field_index = F_DPORT,
	  .input_index = 3, .offset = KEY_OFF_DPORT },
};

RTE_ACL_RULE_DEF(cmp_acl_rule, N_FIELDS);

struct rte_side {
	struct rte_acl_ctx *acl;
	struct rte_hash *hash;
	uint32_t builds;   /* context names must be unique */
};

struct rte_side *rte_side_init(void)
{
	char *argv[] = { "bench_cls", "--no-huge", "--no-pci", "--no-shconf", "-l", "0",
			 "-m", "512", "--no-telemetry", "--log-level", "error", NULL };

	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0]) - 1), argv) < 0)
		return NULL;
	return calloc(1, sizeof(struct rte_side));
}

static void to_acl(const struct cmp_rule *c, uint32_t i, uint32_t n, struct cmp_acl_rule *a)
{
	memset(a, 0, sizeof(*a));
	a->data.category_mask = 1;
	a->data.priority = (int32_t)(n - i);
	a->data.userdata = i + 1;
	a->field[F_PROTO].value.u8 = c->proto;
	a->field[F_PROTO].mask_range.u8 = c->proto_mask;
	a->field[F_SIP].value.u32 = c->sip;
	a->field[F_SIP].mask_range.u32 = c->sip_len;
	a->field[F_DIP].value.u32 = c->dip;
	a->field[F_DIP].mask_range.u32 = c->dip_len;
	a->field[F_SPORT].value.u16 = c->sport;
	a->field[F_SPORT].mask_range.u16 = c->sport_mask;
	a->field[F_DPORT].value.u16 = c->dport;
	a->field[F_DPORT].mask_range.u16 = c->dport_mask;
}

int rte_side_acl_build(struct rte_side *rs, const struct cmp_rule *r, uint32_t n)
{
	char name[32];
	struct rte_acl_param p = { .name = name, .socket_id = SOCKET_ID_ANY,
				   .rule_size = RTE_ACL_RULE_SZ(N_FIELDS), .max_rule_num = n };
	struct rte_acl_config cfg = { .num_categories = 1, .num_fields = N_FIELDS };
	struct cmp_acl_rule a;

	snprintf(name, sizeof(name), "bench_acl_%u", rs->builds++);
	rs->acl = rte_acl_create(&p);
	if (!rs->acl)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		to_acl(&r[i], i, n, &a);
		if (rte_acl_add_rules(rs->acl, (const struct rte_acl_rule *)&a, 1))
			return -1;
	}
	memcpy(cfg.defs, defs, sizeof(defs));
	return rte_acl_build(rs->acl, &cfg) ? -1 : 0;
}

void rte_side_acl_classify(struct rte_side *rs, const uint8_t **keys, uint32_t *results,
			   uint32_t n)
{
	rte_acl_classify(rs->acl, keys, results, n, 1);
}

/* rte_acl_dump is the only place that tells the classify method rte_acl
 * chose for this CPU: catch what it prints and take its alg= value. */
int rte_side_acl_method(struct rte_side *rs)
{
	char text[4096];
	FILE *f = tmpfile();
	int saved = dup(STDOUT_FILENO), alg = -1;

	if (!f || saved < 0)
		return -1;
	fflush(stdout);
	dup2(fileno(f), STDOUT_FILENO);
	rte_acl_dump(rs->acl);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(f);
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = 0;
	fclose(f);
	const char *a = strstr(text, "alg=");
	if (a)
		alg = atoi(a + 4);
	return alg;
}

void rte_side_acl_free(struct rte_side *rs)
{
	rte_acl_free(rs->acl);
	rs->acl = NULL;
}

int rte_side_hash_build(struct rte_side *rs, const uint64_t *keys, uint32_t n)
{
	char name[32];
	struct rte_hash_parameters p = { .name = name, .entries = n * 2, .key_len = 8,
					 .hash_func = rte_hash_crc, .socket_id = SOCKET_ID_ANY };

	snprintf(name, sizeof(name), "bench_hash_%u", rs->builds++);
	rs->hash = rte_hash_create(&p);
	if (!rs->hash)
		return -1;
	for (uint32_t i = 0; i < n; i++)
		if (rte_hash_add_key_data(rs->hash, &keys[i], (void *)(uintptr_t)i))
			return -1;
	return 0;
}

int64_t rte_side_hash_lookup(struct rte_side *rs, uint64_t key)
{
	void *data;

	return rte_hash_lookup_data(rs->hash, &key, &data) < 0 ? -1 : (int64_t)(uintptr_t)data;
}

void rte_side_hash_lookup_bulk(struct rte_side *rs, const uint64_t *keys, uint32_t n,
			       int64_t *data)
{
	const void *kp[RTE_HASH_LOOKUP_BULK_MAX];
	void *d[RTE_HASH_LOOKUP_BULK_MAX];
	uint64_t hits = 0;

	for (uint32_t i = 0; i < n; i++)
		kp[i] = &keys[i];
	rte_hash_lookup_bulk_data(rs->hash, kp, n, &hits, d);
	for (uint32_t i = 0; i < n; i++)
		data[i] = hits >> i & 1 ? (int64_t)(uintptr_t)d[i] : -1;
}

void rte_side_hash_free(struct rte_side *rs)
{
	rte_hash_free(rs->hash);
	rs->hash = NULL;
}
