/* SPDX-License-Identifier: MIT */
/* The embedded booking store: keys and leases (see store_dir.c). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "store_dir_impl.h"

#define LEASE_TTL_MAX   9000000000LL  /* seconds, as etcd's MaxLeaseTTL */

/* ---- keys ------------------------------------------------------------- */

static int kv_copy(struct store_kv *dst, const struct store_kv *src)
{
	*dst = *src;
	dst->key = strdup(src->key);
	dst->val = malloc(src->len + 1);
	if (!dst->key || !dst->val) {
		store_kv_free(dst);
		return -1;
	}
	memcpy(dst->val, src->val, src->len + 1);
	return 0;
}

int dstore_list(struct store *s, const char *prefix, struct store_list *out)
{
	struct dir_store *ds = (struct dir_store *)s;
	size_t plen, i, j;
	int rc = dstore_refresh(ds);

	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	prefix = prefix ? prefix : "";
	plen = strlen(prefix);
	/* The keys under a prefix are one run of the sorted keys. */
	i = j = dj_lower_bound(&ds->st, prefix);
	while (j < ds->st.nkv && strncmp(ds->st.kv[j].key, prefix, plen) == 0)
		j++;
	out->kv = calloc(j > i ? j - i : 1, sizeof(*out->kv));
	if (!out->kv)
		return dstore_oom(ds);
	for (; i < j; i++, out->n++) {
		if (kv_copy(&out->kv[out->n], &ds->st.kv[i]) < 0) {
			store_list_free(out);
			return dstore_oom(ds);
		}
	}
	out->rev = ds->st.rev;
	return STORE_OK;
}

int dstore_get(struct store *s, const char *key, struct store_kv *out)
{
	struct dir_store *ds = (struct dir_store *)s;
	const struct store_kv *kv;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!key || !*key)
		return dstore_fail(ds, STORE_E_INVAL, "empty key");
	rc = dstore_refresh(ds);
	if (rc)
		return rc;
	kv = dj_find(&ds->st, key);
	if (!kv)
		return dstore_fail(ds, STORE_E_NOTFOUND, "%s: no key %s", ds->dir, key);
	return kv_copy(out, kv) < 0 ? dstore_oom(ds) : STORE_OK;
}

/* Under the lock, checks done: the put at the next revision. */
static int put_locked(struct dir_store *ds, const char *key, const char *val, size_t len,
		      int64_t lease, int64_t *rev)
{
	const struct store_kv *old = dj_find(&ds->st, key);
	int64_t r = ds->st.rev + 1;
	struct dj_buf b = { 0 };
	int rc;

	dj_put(&b, r, old ? old->create_rev : r, lease, key, val ? val : "", len);
	rc = dstore_append(ds, &b);
	dj_buf_free(&b);
	if (rc == STORE_OK && rev)
		*rev = r;
	return rc;
}

static int check_put(struct dir_store *ds, const char *key, const char *val, size_t len)
{
	if (!key || !*key)
		return dstore_fail(ds, STORE_E_INVAL, "empty key");
	if (!val && len)
		return dstore_fail(ds, STORE_E_INVAL, "no value for %s", key);
	return STORE_OK;
}

int dstore_put(struct store *s, const char *key, const char *val, size_t len,
	       int64_t lease, int64_t *rev)
{
	struct dir_store *ds = (struct dir_store *)s;
	int rc = check_put(ds, key, val, len);

	if (rc == STORE_OK && lease < 0)
		rc = dstore_fail(ds, STORE_E_INVAL, "bad lease %" PRId64, lease);
	if (rc == STORE_OK)
		rc = dstore_lock(ds);
	if (rc)
		return rc;
	if (lease && !dj_lease_find(&ds->st, lease))
		rc = dstore_fail(ds, STORE_E_LEASE, "lease %" PRId64 " expired or unknown",
				 lease);
	else
		rc = put_locked(ds, key, val, len, lease, rev);
	dstore_unlock(ds);
	return rc;
}

int dstore_put_if(struct store *s, const char *key, const char *val, size_t len,
		  const char *cmp_key, int64_t cmp_mod_rev, int64_t *rev)
{
	struct dir_store *ds = (struct dir_store *)s;
	const struct store_kv *cmp;
	int rc = check_put(ds, key, val, len);

	if (rc == STORE_OK && (!cmp_key || !*cmp_key))
		rc = dstore_fail(ds, STORE_E_INVAL, "empty compare key");
	if (rc == STORE_OK)
		rc = dstore_lock(ds);
	if (rc)
		return rc;
	cmp = dj_find(&ds->st, cmp_key);
	if ((cmp ? cmp->mod_rev : 0) != cmp_mod_rev)
		rc = dstore_fail(ds, STORE_E_FAILED, "%s: mod revision %" PRId64 ", not %"
				 PRId64, cmp_key, cmp ? cmp->mod_rev : 0, cmp_mod_rev);
	else
		rc = put_locked(ds, key, val, len, 0, rev);
	dstore_unlock(ds);
	return rc;
}

int dstore_del(struct store *s, const char *key, int64_t *rev)
{
	struct dir_store *ds = (struct dir_store *)s;
	struct dj_buf b = { 0 };
	int64_t r;
	int rc;

	if (!key || !*key)
		return dstore_fail(ds, STORE_E_INVAL, "empty key");
	rc = dstore_lock(ds);
	if (rc)
		return rc;
	/* Like etcd: deleting nothing makes no revision. */
	r = ds->st.rev;
	if (dj_find(&ds->st, key)) {
		dj_del(&b, ++r, key);
		rc = dstore_append(ds, &b);
		dj_buf_free(&b);
	}
	dstore_unlock(ds);
	if (rc == STORE_OK && rev)
		*rev = r;
	return rc;
}

/* ---- leases ----------------------------------------------------------- */

int dstore_lease_grant(struct store *s, int64_t ttl_s, int64_t *id)
{
	struct dir_store *ds = (struct dir_store *)s;
	struct dj_buf b = { 0 };
	int64_t lease;
	int rc;

	if (ttl_s < 1 || ttl_s > LEASE_TTL_MAX)
		return dstore_fail(ds, STORE_E_INVAL, "bad lease TTL %" PRId64 " s", ttl_s);
	rc = dstore_lock(ds);
	if (rc)
		return rc;
	lease = ds->st.next_lease;
	dj_grant(&b, lease, ttl_s, dstore_clock_ms(CLOCK_REALTIME) + ttl_s * 1000);
	rc = dstore_append(ds, &b);
	dj_buf_free(&b);
	dstore_unlock(ds);
	if (rc == STORE_OK && id)
		*id = lease;
	return rc;
}

int dstore_lease_keepalive(struct store *s, int64_t id)
{
	struct dir_store *ds = (struct dir_store *)s;
	const struct dj_lease *l;
	struct dj_buf b = { 0 };
	int rc = dstore_lock(ds);   /* expired leases are gone after it */

	if (rc)
		return rc;
	l = dj_lease_find(&ds->st, id);
	if (!l) {
		rc = dstore_fail(ds, STORE_E_LEASE, "lease %" PRId64 " expired or unknown", id);
	} else {
		dj_grant(&b, id, l->ttl_s, dstore_clock_ms(CLOCK_REALTIME) + l->ttl_s * 1000);
		rc = dstore_append(ds, &b);
		dj_buf_free(&b);
	}
	dstore_unlock(ds);
	return rc;
}

int dstore_lease_revoke(struct store *s, int64_t id)
{
	struct dir_store *ds = (struct dir_store *)s;
	struct dj_buf b = { 0 };
	int64_t rev;
	int rc = dstore_lock(ds);

	if (rc)
		return rc;
	rev = ds->st.rev;
	if (!dj_lease_find(&ds->st, id)) {
		rc = dstore_fail(ds, STORE_E_LEASE, "lease %" PRId64 " expired or unknown", id);
	} else {
		dstore_drop_lease(&ds->st, &b, id, &rev);
		rc = dstore_append(ds, &b);
		dj_buf_free(&b);
	}
	dstore_unlock(ds);
	return rc;
}

