/* SPDX-License-Identifier: MIT */
/*
 * The journal of the embedded booking store: DIR/journal, the whole
 * history of the store, append-only text, one record per line:
 *
 *   P <rev> <create_rev> <lease> <key> <value>   put
 *   D <rev> <key>                                delete
 *   G <id> <ttl_s> <expiry_ms>                   lease grant or keepalive
 *   R <id>                                       lease revoked or expired
 *   C <compact_rev> <next_lease_id>              compaction (line 1 only)
 *
 * Numbers are decimal, fields separated by one space, and every line ends
 * with '\n'. Keys and values are base64 (RFC 4648, with padding); "-" is
 * the empty value. <lease> is 0 for none; <expiry_ms> is the realtime
 * clock in ms since the epoch (the processes sharing a store share a
 * machine, hence a clock). Lease ids are store-wide, from 1.
 *
 * P and D records carry the store's revisions: 1, 2, 3, ... each exactly
 * one more than the record before. G and R change no revision: leases
 * are not history, only state.
 *
 * A compacted journal (compact(rev)) is written whole to journal.tmp and
 * renamed over the journal. It starts with "C <rev> <next lease id>",
 * then the snapshot: a P for each live key not changed since before rev
 * (its own revisions, all < rev, in key order) and a G for each live
 * lease; then every line of the old journal from the first record with
 * revision rev on, unchanged. Replaying it gives the same keys and
 * leases, and every change from rev on.
 *
 * A line is only trusted once its '\n' is there: a last line without one
 * is being written, or was torn by a crash, and is left alone (the next
 * writer cuts it off). Any other line that does not parse, or breaks the
 * revision order, is corruption: reported with its line number, never
 * skipped.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base64.h"
#include "dir_journal.h"

#define NUM_MAX_DIGITS 18   /* fits int64_t whatever the digits */

static int bad(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

/* The next space-separated field of *p; NULL past the last one. */
static const char *next_field(const char **p, size_t *flen)
{
	const char *s = *p, *sp;

	if (!s)
		return NULL;
	sp = strchr(s, ' ');
	*flen = sp ? (size_t)(sp - s) : strlen(s);
	*p = sp ? sp + 1 : NULL;
	return s;
}

static int parse_num(const char *s, size_t len, int64_t min, int64_t *out)
{
	int64_t v = 0;

	if (len == 0 || len > NUM_MAX_DIGITS || (len > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < min)
		return -1;
	*out = v;
	return 0;
}

/* Decodes a base64 field into a NUL-terminated malloc'd string. */
static int decode_field(const char *s, size_t len, char **out, size_t *outlen)
{
	char *d;

	if (len == 1 && s[0] == '-')
		len = 0;
	d = malloc(B64_DECODED_MAX(len) + 1);
	if (!d)
		return -1;
	if (b64_decode(s, len, d, outlen) < 0) {
		free(d);
		return -1;
	}
	d[*outlen] = '\0';
	*out = d;
	return 0;
}

/* The field counts and minimum values of each record type. */
static int parse_fields(const char **p, struct dj_rec *r, const char **b64,
			size_t *b64len, char *why, size_t whylen)
{
	static const struct { int type; int nnum; int nb64; int64_t min[3]; } fmt[] = {
		{ DJ_PUT,     3, 2, { 1, 1, 0 } },
		{ DJ_DEL,     1, 1, { 1 } },
		{ DJ_GRANT,   3, 0, { 1, 1, 0 } },
		{ DJ_REVOKE,  1, 0, { 1 } },
		{ DJ_COMPACT, 2, 0, { 1, 1 } },
	};
	int64_t num[3] = { 0 };
	size_t flen;
	unsigned t = 0;

	while (t < sizeof(fmt) / sizeof(fmt[0]) && fmt[t].type != r->type)
		t++;
	if (t == sizeof(fmt) / sizeof(fmt[0]))
		return bad(why, whylen, "unknown record type '%c'", r->type);
	for (int i = 0; i < fmt[t].nnum; i++) {
		const char *f = next_field(p, &flen);
		if (!f || parse_num(f, flen, fmt[t].min[i], &num[i]) < 0)
			return bad(why, whylen, "bad number in field %d of a '%c' record",
				   i + 2, r->type);
	}
	for (int i = 0; i < fmt[t].nb64; i++) {
		b64[i] = next_field(p, &b64len[i]);
		if (!b64[i] || b64len[i] == 0)
			return bad(why, whylen, "missing field %d of a '%c' record",
				   fmt[t].nnum + i + 2, r->type);
	}
	if (*p)
		return bad(why, whylen, "extra fields in a '%c' record", r->type);
	if (r->type == DJ_PUT) {
		r->rev = num[0], r->create_rev = num[1], r->lease = num[2];
		if (r->create_rev > r->rev)
			return bad(why, whylen, "create revision after the revision");
	} else if (r->type == DJ_DEL) {
		r->rev = num[0];
	} else if (r->type == DJ_GRANT) {
		r->lease = num[0], r->ttl_s = num[1], r->expiry_ms = num[2];
	} else if (r->type == DJ_REVOKE) {
		r->lease = num[0];
	} else {
		r->rev = num[0], r->next_lease = num[1];
	}
	return 0;
}

int dj_parse(const char *line, size_t len, int decode, struct dj_rec *r,
	     char *why, size_t whylen)
{
	const char *b64[2] = { NULL, NULL }, *p = line + 2;
	size_t b64len[2] = { 0, 0 }, keylen = 0;

	memset(r, 0, sizeof(*r));
	if (strlen(line) != len)
		return bad(why, whylen, "NUL byte in the line");
	if (len < 3 || line[1] != ' ')
		return bad(why, whylen, "not a record");
	r->type = line[0];
	if (parse_fields(&p, r, b64, b64len, why, whylen) < 0)
		return -1;
	if (!decode || !b64[0])
		return 0;
	if (decode_field(b64[0], b64len[0], &r->key, &keylen) < 0)
		return bad(why, whylen, "bad base64 in the key");
	if (keylen == 0 || strlen(r->key) != keylen) {
		dj_rec_free(r);
		return bad(why, whylen, "empty key or NUL byte in the key");
	}
	if (b64[1] && decode_field(b64[1], b64len[1], &r->val, &r->len) < 0) {
		dj_rec_free(r);
		return bad(why, whylen, "bad base64 in the value");
	}
	return 0;
}

void dj_rec_free(struct dj_rec *r)
{
	free(r->key);
	free(r->val);
	r->key = r->val = NULL;
}

int dj_scan(int fd, off_t from, off_t to, long lineno, dj_line_fn fn, void *arg,
	    off_t *end, long *endno)
{
	size_t cap = 64 * 1024, have = 0;
	char *buf = malloc(cap);
	off_t base = from;      /* file offset of buf[0] */
	int rc = 0, saved;

	*end = from;
	*endno = lineno;
	if (!buf)
		return DJ_EREAD;
	for (;;) {
		off_t pos = base + (off_t)have;
		size_t want, done = 0;
		char *nl;
		if (have == cap) {  /* one line longer than the buffer */
			char *bigger = realloc(buf, cap * 2);
			if (!bigger) {
				rc = DJ_EREAD;
				break;
			}
			buf = bigger;
			cap *= 2;
		}
		want = cap - have;
		if (to >= 0 && (off_t)want > to - pos)
			want = (size_t)(to - pos);
		if (want == 0)
			break;
		ssize_t got = pread(fd, buf + have, want, pos);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			rc = got < 0 ? DJ_EREAD : 0;
			break;
		}
		have += (size_t)got;
		while ((nl = memchr(buf + done, '\n', have - done))) {
			struct dj_line l = { buf + done, (size_t)(nl - buf) - done,
					     base + (off_t)done, lineno + 1 };
			*nl = '\0';
			rc = fn(arg, &l);
			if (rc)
				goto out;
			lineno++;
			done = (size_t)(nl - buf) + 1;
			*end = base + (off_t)done;
			*endno = lineno;
		}
		memmove(buf, buf + done, have - done);
		have -= done;
		base += (off_t)done;
	}
out:
	saved = errno;
	free(buf);
	errno = saved;
	return rc;
}

void dj_state_init(struct dj_state *st)
{
	memset(st, 0, sizeof(*st));
	st->next_lease = 1;
}

void dj_state_free(struct dj_state *st)
{
	for (size_t i = 0; i < st->nkv; i++)
		store_kv_free(&st->kv[i]);
	free(st->kv);
	free(st->lease);
	dj_state_init(st);
}

size_t dj_lower_bound(const struct dj_state *st, const char *key)
{
	size_t lo = 0, hi = st->nkv;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(st->kv[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct store_kv *dj_find(const struct dj_state *st, const char *key)
{
	size_t i = dj_lower_bound(st, key);

	return i < st->nkv && strcmp(st->kv[i].key, key) == 0 ? &st->kv[i] : NULL;
}

struct dj_lease *dj_lease_find(const struct dj_state *st, int64_t id)
{
	for (size_t i = 0; i < st->nlease; i++)
		if (st->lease[i].id == id)
			return &st->lease[i];
	return NULL;
}

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p;

	if (n < *cap)
		return 0;
	p = realloc(*arr, ncap * size);
	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

static int apply_put(struct dj_state *st, struct dj_rec *r)
{
	size_t i = dj_lower_bound(st, r->key);
	struct store_kv *kv;

	if (i < st->nkv && strcmp(st->kv[i].key, r->key) == 0) {
		kv = &st->kv[i];
		free(r->key);
		free(kv->val);
	} else {
		if (grow((void **)&st->kv, &st->kvcap, st->nkv, sizeof(*st->kv)) < 0)
			return -1;
		kv = &st->kv[i];
		memmove(kv + 1, kv, (st->nkv - i) * sizeof(*kv));
		st->nkv++;
		kv->key = r->key;
	}
	kv->val = r->val;
	kv->len = r->len;
	kv->create_rev = r->create_rev;
	kv->mod_rev = r->rev;
	kv->lease = r->lease;
	r->key = r->val = NULL;
	return 0;
}

static void apply_del(struct dj_state *st, const char *key)
{
	struct store_kv *kv = dj_find(st, key);

	/* Missing is fine: in a compacted journal, a key deleted after the
	 * compaction point may have no put left before its delete. */
	if (!kv)
		return;
	store_kv_free(kv);
	memmove(kv, kv + 1, (size_t)(st->kv + st->nkv - (kv + 1)) * sizeof(*kv));
	st->nkv--;
}

static int apply_lease(struct dj_state *st, const struct dj_rec *r)
{
	struct dj_lease *l = dj_lease_find(st, r->lease);

	if (r->type == DJ_REVOKE) {
		if (l)
			*l = st->lease[--st->nlease];
		return 0;
	}
	if (!l) {
		if (grow((void **)&st->lease, &st->leasecap, st->nlease, sizeof(*l)) < 0)
			return -1;
		l = &st->lease[st->nlease++];
		l->id = r->lease;
	}
	l->ttl_s = r->ttl_s;
	l->expiry_ms = r->expiry_ms;
	if (r->lease >= st->next_lease)
		st->next_lease = r->lease + 1;
	return 0;
}

/* P and D: the next revision, or a snapshot record before the tail. */
static int check_rev(struct dj_state *st, const struct dj_rec *r, char *why, size_t whylen)
{
	if (r->rev == st->rev + 1) {
		st->rev = r->rev;
		st->in_tail = 1;
		return 0;
	}
	if (r->type == DJ_PUT && !st->in_tail && r->rev < st->compact_rev)
		return 0;
	return bad(why, whylen, "revision %" PRId64 " after %" PRId64, r->rev, st->rev);
}

int dj_apply(struct dj_state *st, struct dj_rec *r, char *why, size_t whylen)
{
	int rc = 0;

	switch (r->type) {
	case DJ_COMPACT:
		if (st->nrec)
			return bad(why, whylen, "compaction record after line 1");
		st->compact_rev = r->rev;
		st->rev = r->rev - 1;
		st->next_lease = r->next_lease;
		break;
	case DJ_PUT:
	case DJ_DEL:
		if (check_rev(st, r, why, whylen) < 0)
			return -1;
		if (r->type == DJ_PUT)
			rc = apply_put(st, r);
		else
			apply_del(st, r->key);
		break;
	default:
		rc = apply_lease(st, r);
		break;
	}
	if (rc < 0)
		return bad(why, whylen, "out of memory");
	st->nrec++;
	return 0;
}

/* Room for `more` characters and a NUL. */
static int reserve(struct dj_buf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 256;
	char *p;

	if (b->oom)
		return -1;
	while (cap < b->n + more + 1)
		cap *= 2;
	if (cap == b->cap)
		return 0;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

static void add_nums(struct dj_buf *b, int type, int n, const int64_t *num)
{
	char tmp[128];
	int len = snprintf(tmp, sizeof(tmp), "%c", type);

	for (int i = 0; i < n; i++)
		len += snprintf(tmp + len, sizeof(tmp) - (size_t)len, " %" PRId64, num[i]);
	if (reserve(b, (size_t)len) == 0) {
		memcpy(b->p + b->n, tmp, (size_t)len + 1);
		b->n += (size_t)len;
	}
}

/* " <base64>" or " -" for nothing. */
static void add_b64(struct dj_buf *b, const void *data, size_t len)
{
	if (reserve(b, 1 + (len ? B64_ENCODED_LEN(len) : 1)) < 0)
		return;
	b->p[b->n++] = ' ';
	if (len)
		b->n += b64_encode(data, len, b->p + b->n);
	else
		b->p[b->n++] = '-';
}

static void add_eol(struct dj_buf *b)
{
	if (reserve(b, 1) == 0)
		b->p[b->n++] = '\n';
}

void dj_put(struct dj_buf *b, int64_t rev, int64_t create_rev, int64_t lease,
	    const char *key, const char *val, size_t len)
{
	int64_t num[3] = { rev, create_rev, lease };

	add_nums(b, DJ_PUT, 3, num);
	add_b64(b, key, strlen(key));
	add_b64(b, val, len);
	add_eol(b);
}

void dj_del(struct dj_buf *b, int64_t rev, const char *key)
{
	add_nums(b, DJ_DEL, 1, &rev);
	add_b64(b, key, strlen(key));
	add_eol(b);
}

void dj_grant(struct dj_buf *b, int64_t id, int64_t ttl_s, int64_t expiry_ms)
{
	int64_t num[3] = { id, ttl_s, expiry_ms };

	add_nums(b, DJ_GRANT, 3, num);
	add_eol(b);
}

void dj_revoke(struct dj_buf *b, int64_t id)
{
	add_nums(b, DJ_REVOKE, 1, &id);
	add_eol(b);
}

void dj_snapshot(struct dj_buf *b, const struct dj_state *st, int64_t rev)
{
	int64_t num[2] = { rev, st->next_lease };

	add_nums(b, DJ_COMPACT, 2, num);
	add_eol(b);
	for (size_t i = 0; i < st->nkv; i++) {
		const struct store_kv *kv = &st->kv[i];
		if (kv->mod_rev < rev)
			dj_put(b, kv->mod_rev, kv->create_rev, kv->lease, kv->key, kv->val,
			       kv->len);
	}
	for (size_t i = 0; i < st->nlease; i++)
		dj_grant(b, st->lease[i].id, st->lease[i].ttl_s, st->lease[i].expiry_ms);
}

void dj_buf_free(struct dj_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}
