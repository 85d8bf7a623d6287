/* SPDX-License-Identifier: MIT */
/* Raw netlink for the NIC back ends (nic_nl.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "nic_nl.h"

#define NL_WAIT_S    3        /* an answer later than this: -1, the caller retries */
#define NL_MAX_STALE 64       /* stale datagrams skipped before giving up */

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

int nl_sock_open(struct nl_sock *s, int proto)
{
	struct timeval wait = { .tv_sec = NL_WAIT_S };
	int one = 1;

	memset(s, 0, sizeof(*s));
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (s->fd < 0)
		return -1;
	if (!(s->buf = malloc(s->cap = 16384))) {
		close(s->fd);
		s->fd = -1;
		errno = ENOMEM;
		return -1;
	}
	setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof(wait));
	/* Best effort: acks without an echo of the request, with the
	 * kernel's reason for a refusal (older kernels: without). */
	setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return 0;
}

void nl_sock_close(struct nl_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->buf);
	s->buf = NULL;
}

/* One datagram from the kernel into s->buf (grown to fit it whole): its
 * length, 0 for one that did not come from the kernel, -1 (errno). */
static ssize_t nl_recv(struct nl_sock *s)
{
	struct sockaddr_nl from;
	socklen_t fl = sizeof(from);
	ssize_t n;

	/* (EINTR: a signal, the agent is stopping; the request is retried) */
	if ((n = recv(s->fd, NULL, 0, MSG_PEEK | MSG_TRUNC)) < 0)
		return -1;
	if ((size_t)n > s->cap) {
		unsigned char *b = realloc(s->buf, (size_t)n);
		if (!b)
			return -1;
		s->buf = b;
		s->cap = (size_t)n;
	}
	if ((n = recvfrom(s->fd, s->buf, s->cap, 0, (struct sockaddr *)&from, &fl)) < 0)
		return -1;
	return fl == sizeof(from) && from.nl_family == AF_NETLINK && from.nl_pid == 0 ? n : 0;
}

static int nl_send(struct nl_sock *s, struct nlmsghdr *req)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };

	s->ext[0] = 0;
	req->nlmsg_seq = ++s->seq;
	if (sendto(s->fd, req, req->nlmsg_len, 0, (struct sockaddr *)&k, sizeof(k)) !=
	    (ssize_t)req->nlmsg_len)
		return -1;
	return 0;
}

/*
 * Receives until fn says stop for a message of the current request
 * (answers to earlier requests that timed out are skipped). fn: 0 go on,
 * anything else is returned. Errors end it: the kernel's errno (> 0).
 */
static int nl_collect(struct nl_sock *s, int (*fn)(struct nl_sock *, const struct nlmsghdr *, void *),
		      void *arg)
{
	for (int stale = 0; stale < NL_MAX_STALE;) {
		ssize_t got = nl_recv(s);
		int len = (int)got, mine = 0;

		if (got < 0)
			return -1;
		for (struct nlmsghdr *h = (struct nlmsghdr *)s->buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != s->seq)
				continue;
			mine = 1;
			if (h->nlmsg_type == NLMSG_ERROR) {
				int e = nl_error_of(h, s->ext, sizeof(s->ext));
				if (e < 0)
					goto bad;
				if (e > 0)
					return e;
			}
			int rc = fn(s, h, arg);
			if (rc)
				return rc;
		}
		stale += !mine;
	}
bad:
	errno = EPROTO;
	return -1;
}

struct talk { const struct nlmsghdr **reply; };

static int talk_one(struct nl_sock *s, const struct nlmsghdr *h, void *arg)
{
	(void)s;
	*((struct talk *)arg)->reply = h;
	return INT_MIN;   /* the first message of ours is the answer */
}

int nl_talk(struct nl_sock *s, struct nlmsghdr *req, const struct nlmsghdr **reply)
{
	struct talk t = { reply };
	int rc;

	if (nl_send(s, req))
		return -1;
	rc = nl_collect(s, talk_one, &t);
	return rc == INT_MIN ? 0 : rc;
}

struct dump { nl_msg_fn fn; void *arg; };

static int dump_one(struct nl_sock *s, const struct nlmsghdr *h, void *arg)
{
	struct dump *d = arg;
	int err;

	(void)s;
	if (h->nlmsg_type == NLMSG_ERROR)   /* an ack (0) in a dump: its end */
		return INT_MIN;
	if (h->nlmsg_type != NLMSG_DONE)
		return d->fn(h, d->arg);
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(err)))
		return INT_MIN;
	memcpy(&err, NLMSG_DATA(h), sizeof(err));
	return err < 0 && err != INT_MIN ? -err : INT_MIN;
}

int nl_dump(struct nl_sock *s, struct nlmsghdr *req, nl_msg_fn fn, void *arg)
{
	struct dump d = { fn, arg };
	int rc;

	req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_DUMP;
	if (nl_send(s, req))
		return -1;
	rc = nl_collect(s, dump_one, &d);
	return rc == INT_MIN ? 0 : rc;
}

/* ---- building and parsing ---- */

void nl_req_init(struct nl_req *r, uint16_t type, uint16_t flags, const void *hdr, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->h.nlmsg_len = NLMSG_LENGTH(len);
	r->h.nlmsg_type = type;
	r->h.nlmsg_flags = NLM_F_REQUEST | flags;
	memcpy(r->body, hdr, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len);
}

int nl_put(struct nlmsghdr *h, size_t room, uint16_t type, const void *data, size_t len)
{
	size_t at = NLMSG_ALIGN(h->nlmsg_len), need = NLA_ALIGN(NLA_HDRLEN + len);
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type };

	if (len > UINT16_MAX - NLA_HDRLEN || at + need > room)
		return -1;
	memcpy((unsigned char *)h + at, &a, sizeof(a));
	if (len)        /* a flag or pad attribute: data may be NULL */
		memcpy((unsigned char *)h + at + NLA_HDRLEN, data, len);
	memset((unsigned char *)h + at + NLA_HDRLEN + len, 0, need - NLA_HDRLEN - len);
	h->nlmsg_len = (uint32_t)(at + need);
	return 0;
}

int nl_put_str(struct nlmsghdr *h, size_t room, uint16_t type, const char *s)
{
	return nl_put(h, room, type, s, strlen(s) + 1);
}

int nl_parse(const void *p, int len, const struct nlattr **tb, unsigned max)
{
	const unsigned char *c = p;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)c;
		unsigned type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > (unsigned)len)
			return -1;
		if (type <= max)
			tb[type] = a;
		if (NLA_ALIGN(a->nla_len) >= len)
			return 0;
		len -= NLA_ALIGN(a->nla_len);
		c += NLA_ALIGN(a->nla_len);
	}
	return len ? -1 : 0;
}

static int nl_fixed(const struct nlattr *a, void *v, size_t n)
{
	if (!a || a->nla_len != NLA_HDRLEN + n)
		return -1;
	memcpy(v, (const unsigned char *)a + NLA_HDRLEN, n);
	return 0;
}

int nl_u8(const struct nlattr *a, uint8_t *v) { return nl_fixed(a, v, sizeof(*v)); }
int nl_u16(const struct nlattr *a, uint16_t *v) { return nl_fixed(a, v, sizeof(*v)); }
int nl_u32(const struct nlattr *a, uint32_t *v) { return nl_fixed(a, v, sizeof(*v)); }
int nl_u64(const struct nlattr *a, uint64_t *v) { return nl_fixed(a, v, sizeof(*v)); }

int nl_str(const struct nlattr *a, char *out, size_t n)
{
	const char *s;
	size_t len;

	if (!a || a->nla_len <= NLA_HDRLEN)
		return -1;
	s = (const char *)a + NLA_HDRLEN;
	len = a->nla_len - NLA_HDRLEN;
	if (s[len - 1] || strlen(s) >= n)
		return -1;
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

int nl_error_of(const struct nlmsghdr *h, char *ext, size_t n)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct nlmsgerr e;
	size_t at;

	if (n)
		ext[0] = 0;
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(e)))
		return -1;
	memcpy(&e, NLMSG_DATA(h), sizeof(e));
	if (e.error > 0 || e.error == INT_MIN)
		return -1;
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return -e.error;
	/* The TLVs follow the request as echoed: its header only if capped. */
	at = NLMSG_ALIGN(NLMSG_LENGTH(sizeof(e)) +
			 (h->nlmsg_flags & NLM_F_CAPPED || e.msg.nlmsg_len < NLMSG_HDRLEN ? 0 :
			  e.msg.nlmsg_len - NLMSG_HDRLEN));
	if (n && at < h->nlmsg_len &&
	    !nl_parse((const unsigned char *)h + at, (int)(h->nlmsg_len - at), tb, NLMSGERR_ATTR_MAX) &&
	    tb[NLMSGERR_ATTR_MSG] && tb[NLMSGERR_ATTR_MSG]->nla_len > NLA_HDRLEN) {
		const struct nlattr *m = tb[NLMSGERR_ATTR_MSG];
		/* (a text longer than ext is cut, not dropped) */
		snprintf(ext, n, "%.*s", (int)(m->nla_len - NLA_HDRLEN), (const char *)m + NLA_HDRLEN);
	}
	return -e.error;
}
