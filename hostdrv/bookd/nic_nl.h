/* SPDX-License-Identifier: MIT */
/*
 * Raw netlink for the NIC back ends that talk to the kernel (vfrate:
 * rtnetlink, devlink: generic netlink): one request, its answer or its
 * dump, the kernel's own error text (extack). Plain sockets: a handful of
 * requests do not justify libnl. The parsers take a message, not a
 * socket, so the unit tests feed them constructed replies.
 */
#ifndef SNIC_BOOKD_NIC_NL_H
#define SNIC_BOOKD_NIC_NL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#define NL_EXT_MAX 160   /* the kernel's error text kept, bytes */

struct nl_sock {
	int fd;
	uint32_t seq;
	unsigned char *buf;   /* receive buffer, grown to the largest answer */
	size_t cap;
	char ext[NL_EXT_MAX]; /* the kernel's text for the last refusal; "" none */
};

/* A request under construction: header, payload, attributes. */
struct nl_req {
	struct nlmsghdr h;
	unsigned char body[512];
};

/* 0, or -1 with errno (the socket closed again). */
int nl_sock_open(struct nl_sock *s, int proto);
void nl_sock_close(struct nl_sock *s);

/* Sends req and waits for the kernel's answer to it. 0: *reply is that
 * answer (an ack is NLMSG_ERROR 0); > 0: the kernel's errno (its text, if
 * any, in s->ext); -1: no usable answer (errno). */
int nl_talk(struct nl_sock *s, struct nlmsghdr *req, const struct nlmsghdr **reply);

/* A dump: fn sees each message of it; a non-zero return from fn ends the
 * dump early with that value. 0 at the end, > 0 / -1 as nl_talk. */
typedef int (*nl_msg_fn)(const struct nlmsghdr *h, void *arg);
int nl_dump(struct nl_sock *s, struct nlmsghdr *req, nl_msg_fn fn, void *arg);

/* ---- building and parsing (no socket) ---- */

void nl_req_init(struct nl_req *r, uint16_t type, uint16_t flags, const void *hdr, size_t len);
/* Appends one attribute; -1 when it does not fit. */
int nl_put(struct nlmsghdr *h, size_t room, uint16_t type, const void *data, size_t len);
int nl_put_str(struct nlmsghdr *h, size_t room, uint16_t type, const char *s);

/* The attributes in [p, p + len) into tb[type] (last one wins; types above
 * max ignored). 0, or -1 when a length runs past the end. */
int nl_parse(const void *p, int len, const struct nlattr **tb, unsigned max);
/* An attribute's value; -1 when it is absent or not exactly that size. */
int nl_u8(const struct nlattr *a, uint8_t *v);
int nl_u16(const struct nlattr *a, uint16_t *v);
int nl_u32(const struct nlattr *a, uint32_t *v);
int nl_u64(const struct nlattr *a, uint64_t *v);
/* A NUL-terminated string attribute copied into out; -1 absent or too long. */
int nl_str(const struct nlattr *a, char *out, size_t n);

/* An NLMSG_ERROR message: the errno it carries (0: an ack), its extack
 * text into ext (NLMSGERR_ATTR_MSG, "" if none); -1 when malformed. */
int nl_error_of(const struct nlmsghdr *h, char *ext, size_t n);

#endif
