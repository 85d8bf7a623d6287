/* SPDX-License-Identifier: MIT */
/*
 * What the etcd store tests share: the single etcd member of the test
 * program (started by etcd_group_setup), opening handles on it, put/
 * get/del that assert, and collecting watch events.
 */
#ifndef SNIC_TESTS_STORE_ETCD_HELPERS_H
#define SNIC_TESTS_STORE_ETCD_HELPERS_H

#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "etcd_fixture.h"
#include "../../hostdrv/bookd/store.h"

static struct etcd_fx fx;       /* one member: most tests */
static int fx_state;            /* 0: no etcd, 1: running, -1: did not start */

static inline void need_etcd(void)
{
	if (fx_state == 0) {
		print_message("# skip: %s is not installed\n", ETCD_FX_BIN);
		skip();
	}
	if (fx_state < 0)
		fail_msg("etcd did not start on loopback");
}

static inline struct store *open_on(const char *endpoints, unsigned timeout_ms)
{
	struct store_etcd_opts o = { .endpoints = endpoints, .timeout_ms = timeout_ms };
	char err[256];
	struct store *s = store_etcd_open(&o, err, sizeof(err));

	if (!s)
		fail_msg("store_etcd_open(%s): %s", endpoints, err);
	return s;
}

static inline struct store *open_store(void)
{
	need_etcd();
	return open_on(fx.endpoints, 2000);
}

static inline int64_t put(struct store *s, const char *key, const char *val)
{
	int64_t rev = 0;
	int rc = s->ops->put(s, key, val, strlen(val), 0, &rev);

	if (rc)
		fail_msg("put %s: %s: %s", key, store_strerror(rc), s->err);
	assert_true(rev > 0);
	return rev;
}

static inline int64_t del(struct store *s, const char *key)
{
	int64_t rev = 0;

	assert_int_equal(s->ops->del(s, key, &rev), STORE_OK);
	return rev;
}

/* The value of key, "" when missing (a fresh static buffer each call). */
static inline const char *get(struct store *s, const char *key)
{
	static char buf[4][256];
	static int i;
	struct store_kv kv;
	int rc = s->ops->get(s, key, &kv);

	i = (i + 1) % 4;
	buf[i][0] = '\0';
	if (rc == STORE_OK)
		snprintf(buf[i], sizeof(buf[i]), "%s", kv.val);
	else
		assert_int_equal(rc, STORE_E_NOTFOUND);
	store_kv_free(&kv);
	return buf[i];
}

/* Events as poll delivers them. */
struct evlog {
	int n, stop_after;
	int type[64];
	int64_t rev[64];
	char key[64][32], val[64][32];
};

static inline int collect(void *arg, int type, const struct store_kv *kv)
{
	struct evlog *l = arg;

	if (l->n < 64) {
		l->type[l->n] = type;
		l->rev[l->n] = kv->mod_rev;
		snprintf(l->key[l->n], sizeof(l->key[0]), "%s", kv->key);
		snprintf(l->val[l->n], sizeof(l->val[0]), "%s", kv->val);
	}
	l->n++;
	return l->stop_after && l->n >= l->stop_after;
}

/* Poll until want events arrived; the first error, else 0. */
static inline int poll_for(struct store *s, struct evlog *l, int want, long ms)
{
	long end = etcd_fx_now_ms() + ms;

	while (l->n < want && etcd_fx_now_ms() < end) {
		int rc = s->ops->poll(s, 100, collect, l);

		if (rc < 0)
			return rc;
	}
	return 0;
}

static inline void check_ev(const struct evlog *l, int i, int type,
			    const char *key, const char *val, int64_t rev)
{
	assert_true(i < l->n);
	assert_int_equal(l->type[i], type);
	assert_string_equal(l->key[i], key);
	assert_string_equal(l->val[i], val);
	assert_int_equal(l->rev[i], rev);
}

/* A loopback socket listening on a port of the kernel's choice. */
static inline int listen_loopback(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static inline int etcd_group_setup(void **state)
{
	(void)state;
	if (!etcd_fx_available()) {
		print_message("# %s not installed: every etcd store test is skipped\n",
			      ETCD_FX_BIN);
		return 0;
	}
	fx_state = etcd_fx_start(&fx, 1) == 0 ? 1 : -1;
	return 0;
}

#endif
