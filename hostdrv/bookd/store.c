/* SPDX-License-Identifier: MIT */
/* What both store implementations share: freeing results, error names. */
#include <stdlib.h>

#include "store.h"

void store_kv_free(struct store_kv *kv)
{
	if (!kv)
		return;
	free(kv->key);
	free(kv->val);
	kv->key = kv->val = NULL;
	kv->len = 0;
}

void store_list_free(struct store_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		store_kv_free(&l->kv[i]);
	free(l->kv);
	l->kv = NULL;
	l->n = 0;
}

const char *store_strerror(int err)
{
	switch (err) {
	case STORE_OK:          return "ok";
	case STORE_E_IO:        return "store unreachable";
	case STORE_E_COMPACTED: return "revision compacted";
	case STORE_E_NOTFOUND:  return "no such key";
	case STORE_E_LEASE:     return "lease expired";
	case STORE_E_PROTO:     return "unexpected reply from the store";
	case STORE_E_INVAL:     return "invalid argument";
	case STORE_E_FAILED:    return "compare failed";
	default:                return "unknown error";
	}
}
