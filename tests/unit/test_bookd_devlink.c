/* SPDX-License-Identifier: MIT */
/*
 * The devlink NIC back end's messages (hostdrv/bookd/nic_devlink_msg.c,
 * nic_nl.c): requests as the kernel must receive them, and replies as the
 * kernel sends them (constructed here byte by byte: PAD attributes before
 * u64s, nested and unknown attributes, extack TLVs) parsed, malformed ones
 * refused. The socket side runs in the VM test against snic.ko.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/devlink.h>
#include <linux/genetlink.h>

#include <cmocka.h>

#include "../../hostdrv/bookd/nic_devlink.h"

#define FAM 0x1b   /* a family id as the kernel might assign to devlink */

static const struct dl_handle DEV = { "pci", "0000:00:03.0" };

/* A reply of family with genl command cmd, attributes appended by the test. */
static void reply(struct nl_req *r, uint16_t family, uint8_t cmd)
{
	struct genlmsghdr g = { .cmd = cmd, .version = 1 };

	nl_req_init(r, family, 0, &g, sizeof(g));
	r->h.nlmsg_flags = 0;
}

static void put16(struct nl_req *r, uint16_t t, uint16_t v) { assert_int_equal(nl_put(&r->h, sizeof(*r), t, &v, 2), 0); }
static void put32(struct nl_req *r, uint16_t t, uint32_t v) { assert_int_equal(nl_put(&r->h, sizeof(*r), t, &v, 4), 0); }
static void put8(struct nl_req *r, uint16_t t, uint8_t v) { assert_int_equal(nl_put(&r->h, sizeof(*r), t, &v, 1), 0); }
static void putstr(struct nl_req *r, uint16_t t, const char *s) { assert_int_equal(nl_put_str(&r->h, sizeof(*r), t, s), 0); }

/* The attributes of a request, after its generic netlink header. */
static void attrs_of(const struct nl_req *r, const struct nlattr **tb, unsigned max)
{
	size_t at = NLMSG_LENGTH(GENL_HDRLEN);

	assert_int_equal(nl_parse((const unsigned char *)r + at, (int)(r->h.nlmsg_len - at), tb, max), 0);
}

static void test_rate_set_request(void **state)
{
	const struct nlattr *tb[DEVLINK_ATTR_MAX + 1];
	const struct genlmsghdr *g;
	struct nl_req r;
	uint32_t port;
	uint64_t v;
	char s[64];

	(void)state;
	assert_int_equal(dl_req(&r, FAM, DEVLINK_CMD_RATE_SET, NLM_F_ACK, &DEV, 1), 0);
	assert_int_equal(dl_put_u64(&r, DEVLINK_ATTR_RATE_TX_SHARE, 12500000), 0);
	g = NLMSG_DATA(&r.h);
	assert_int_equal(r.h.nlmsg_type, FAM);
	assert_int_equal(r.h.nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(g->cmd, DEVLINK_CMD_RATE_SET);
	assert_int_equal(g->version, DEVLINK_GENL_VERSION);
	/* header 16 + genl 4 + "pci" 8 + "0000:00:03.0" 20 + port 8 + u64 12 */
	assert_int_equal(r.h.nlmsg_len, 16 + 4 + 8 + 20 + 8 + 12);
	attrs_of(&r, tb, DEVLINK_ATTR_MAX);
	assert_int_equal(nl_str(tb[DEVLINK_ATTR_BUS_NAME], s, sizeof(s)), 0);
	assert_string_equal(s, "pci");
	assert_int_equal(nl_str(tb[DEVLINK_ATTR_DEV_NAME], s, sizeof(s)), 0);
	assert_string_equal(s, "0000:00:03.0");
	assert_int_equal(nl_u32(tb[DEVLINK_ATTR_PORT_INDEX], &port), 0);
	assert_int_equal(port, 1);
	assert_int_equal(nl_u64(tb[DEVLINK_ATTR_RATE_TX_SHARE], &v), 0);
	assert_int_equal(v, 12500000);
	assert_null(tb[DEVLINK_ATTR_RATE_TX_MAX]);

	/* A port dump names no instance and no port. */
	assert_int_equal(dl_req(&r, FAM, DEVLINK_CMD_PORT_GET, 0, NULL, -1), 0);
	assert_int_equal(r.h.nlmsg_len, 16 + 4);
	/* An attribute that does not fit the request is refused, the
	 * request left as it was. */
	assert_int_equal(nl_put(&r.h, sizeof(r), 1, &r, sizeof(r.body)), -1);
	assert_int_equal(r.h.nlmsg_len, 16 + 4);
}

static void test_family(void **state)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct nl_req r;
	uint16_t id = 0;
	char s[32];

	(void)state;
	assert_int_equal(genl_family_req(&r, "devlink"), 0);
	assert_int_equal(r.h.nlmsg_type, GENL_ID_CTRL);
	assert_int_equal(((struct genlmsghdr *)NLMSG_DATA(&r.h))->cmd, CTRL_CMD_GETFAMILY);
	attrs_of(&r, tb, CTRL_ATTR_MAX);
	assert_int_equal(nl_str(tb[CTRL_ATTR_FAMILY_NAME], s, sizeof(s)), 0);
	assert_string_equal(s, "devlink");

	/* The kernel's answer: name, id, then nested lists the parser skips. */
	reply(&r, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	putstr(&r, CTRL_ATTR_FAMILY_NAME, "devlink");
	put16(&r, CTRL_ATTR_FAMILY_ID, FAM);
	put32(&r, CTRL_ATTR_VERSION, 1);
	put32(&r, CTRL_ATTR_OPS | NLA_F_NESTED, 0);
	assert_int_equal(genl_family_id(&r.h, &id), 0);
	assert_int_equal(id, FAM);

	reply(&r, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	put32(&r, CTRL_ATTR_FAMILY_ID, FAM);   /* wrong size: not trusted */
	assert_int_equal(genl_family_id(&r.h, &id), -1);
	reply(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);   /* not an answer */
	put16(&r, CTRL_ATTR_FAMILY_ID, FAM);
	assert_int_equal(genl_family_id(&r.h, &id), -1);
}

/* A port as snic.ko's devlink describes VNIC vf's. */
static void vf_port(struct nl_req *r, uint32_t index, uint16_t vf)
{
	reply(r, FAM, DEVLINK_CMD_PORT_NEW);
	putstr(r, DEVLINK_ATTR_BUS_NAME, "pci");
	putstr(r, DEVLINK_ATTR_DEV_NAME, "0000:00:03.0");
	put32(r, DEVLINK_ATTR_PORT_INDEX, index);
	put16(r, DEVLINK_ATTR_PORT_TYPE, DEVLINK_PORT_TYPE_ETH);
	put32(r, DEVLINK_ATTR_PORT_NETDEV_IFINDEX, 7);
	putstr(r, DEVLINK_ATTR_PORT_NETDEV_NAME, "snic1");
	put16(r, DEVLINK_ATTR_PORT_FLAVOUR, DEVLINK_PORT_FLAVOUR_PCI_VF);
	put32(r, DEVLINK_ATTR_PORT_CONTROLLER_NUMBER, 0);
	put16(r, DEVLINK_ATTR_PORT_PCI_PF_NUMBER, 0);
	put16(r, DEVLINK_ATTR_PORT_PCI_VF_NUMBER, vf);
	put8(r, DEVLINK_ATTR_PORT_EXTERNAL, 0);
	put32(r, DEVLINK_ATTR_PORT_FUNCTION | NLA_F_NESTED, 0);
	put32(r, 900, 5);   /* an attribute of a newer kernel */
}

static void test_port(void **state)
{
	struct dl_port p;
	struct nl_req r;

	(void)state;
	vf_port(&r, 1, 1);
	assert_int_equal(dl_parse_port(&r.h, FAM, &p), 0);
	assert_string_equal(p.d.bus, "pci");
	assert_string_equal(p.d.dev, "0000:00:03.0");
	assert_int_equal(p.index, 1);
	assert_true(p.has_vf);
	assert_int_equal(p.pf, 0);
	assert_int_equal(p.vf, 1);
	assert_false(p.external);
	assert_int_equal(p.ifindex, 7);
	assert_string_equal(p.netdev, "snic1");
	assert_int_equal(dl_parse_port(&r.h, FAM + 1, &p), -1);   /* another family's */
	/* Linux 6.1's port dump says DEVLINK_CMD_NEW: the same port. */
	((struct genlmsghdr *)NLMSG_DATA(&r.h))->cmd = DEVLINK_CMD_NEW;
	assert_int_equal(dl_parse_port(&r.h, FAM, &p), 0);
	assert_int_equal(p.vf, 1);
	((struct genlmsghdr *)NLMSG_DATA(&r.h))->cmd = DEVLINK_CMD_PORT_DEL;
	assert_int_equal(dl_parse_port(&r.h, FAM, &p), -1);
	((struct genlmsghdr *)NLMSG_DATA(&r.h))->cmd = DEVLINK_CMD_PORT_NEW;
	put8(&r, DEVLINK_ATTR_PORT_EXTERNAL, 1);   /* (the last one counts) */
	assert_int_equal(dl_parse_port(&r.h, FAM, &p), 0);
	assert_true(p.external);   /* another host's VF: the back end skips it */

	/* An uplink port: physical, no netdev, no VF. */
	reply(&r, FAM, DEVLINK_CMD_PORT_NEW);
	putstr(&r, DEVLINK_ATTR_BUS_NAME, "pci");
	putstr(&r, DEVLINK_ATTR_DEV_NAME, "0000:00:03.0");
	put32(&r, DEVLINK_ATTR_PORT_INDEX, 1000);
	put16(&r, DEVLINK_ATTR_PORT_FLAVOUR, DEVLINK_PORT_FLAVOUR_PHYSICAL);
	assert_int_equal(dl_parse_port(&r.h, FAM, &p), 0);
	assert_false(p.has_vf);
	assert_int_equal(p.ifindex, 0);
	assert_string_equal(p.netdev, "");

	/* A VF port without its VF number is no VNIC. */
	reply(&r, FAM, DEVLINK_CMD_PORT_NEW);
	putstr(&r, DEVLINK_ATTR_BUS_NAME, "pci");
	putstr(&r, DEVLINK_ATTR_DEV_NAME, "0000:00:03.0");
	put32(&r, DEVLINK_ATTR_PORT_INDEX, 2);
	put16(&r, DEVLINK_ATTR_PORT_FLAVOUR, DEVLINK_PORT_FLAVOUR_PCI_VF);
	put16(&r, DEVLINK_ATTR_PORT_PCI_PF_NUMBER, 0);
	assert_int_equal(dl_parse_port(&r.h, FAM, &p), -1);

	/* The last attribute claims more bytes than the message has. */
	vf_port(&r, 1, 1);
	((struct nlattr *)((unsigned char *)&r + r.h.nlmsg_len - 8))->nla_len = 12;
	assert_int_equal(dl_parse_port(&r.h, FAM, &p), -1);
	/* ... or the message ends inside an attribute header. */
	vf_port(&r, 1, 1);
	r.h.nlmsg_len -= 6;
	assert_int_equal(dl_parse_port(&r.h, FAM, &p), -1);
}

/* A leaf as the kernel sends it: u64s after PAD attributes (64-bit
 * alignment), a parent node name. */
static void leaf(struct nl_req *r, uint32_t port, uint64_t share, uint64_t max)
{
	reply(r, FAM, DEVLINK_CMD_RATE_NEW);
	putstr(r, DEVLINK_ATTR_BUS_NAME, "pci");
	putstr(r, DEVLINK_ATTR_DEV_NAME, "0000:00:03.0");
	put32(r, DEVLINK_ATTR_PORT_INDEX, port);
	put16(r, DEVLINK_ATTR_RATE_TYPE, DEVLINK_RATE_TYPE_LEAF);
	assert_int_equal(nl_put(&r->h, sizeof(*r), DEVLINK_ATTR_PAD, NULL, 0), 0);
	assert_int_equal(dl_put_u64(r, DEVLINK_ATTR_RATE_TX_SHARE, share), 0);
	assert_int_equal(nl_put(&r->h, sizeof(*r), DEVLINK_ATTR_PAD, NULL, 0), 0);
	assert_int_equal(dl_put_u64(r, DEVLINK_ATTR_RATE_TX_MAX, max), 0);
	putstr(r, DEVLINK_ATTR_RATE_PARENT_NODE_NAME, "group1");
}

static void test_rate(void **state)
{
	struct dl_rate rate;
	struct nl_req r;

	(void)state;
	leaf(&r, 0, 12500000, 62500000);   /* 100 Mbit/s, 500 Mbit/s */
	assert_int_equal(dl_parse_rate(&r.h, FAM, &rate), 0);
	assert_int_equal(rate.type, DEVLINK_RATE_TYPE_LEAF);
	assert_int_equal(rate.port, 0);
	assert_int_equal(rate.tx_share, 12500000);
	assert_int_equal(rate.tx_max, 62500000);
	assert_int_equal(dl_parse_rate(&r.h, FAM + 1, &rate), -1);

	/* A rate of 32 bits where 64 belong is not read as some number. */
	reply(&r, FAM, DEVLINK_CMD_RATE_NEW);
	put32(&r, DEVLINK_ATTR_PORT_INDEX, 0);
	put16(&r, DEVLINK_ATTR_RATE_TYPE, DEVLINK_RATE_TYPE_LEAF);
	put32(&r, DEVLINK_ATTR_RATE_TX_SHARE, 5);
	assert_int_equal(dl_parse_rate(&r.h, FAM, &rate), -1);
	/* A port's answer is no rate. */
	vf_port(&r, 0, 0);
	assert_int_equal(dl_parse_rate(&r.h, FAM, &rate), -1);
}

/* NLMSG_ERROR for req: errno e, with the kernel's text if msg. capped: the
 * request echoed as its header only (NETLINK_CAP_ACK). */
static void error_msg(struct nl_req *r, const struct nl_req *req, int e, const char *msg, int capped)
{
	struct nlmsgerr err = { .error = -e, .msg = req->h };
	size_t echo = capped ? 0 : req->h.nlmsg_len - NLMSG_HDRLEN;

	nl_req_init(r, NLMSG_ERROR, 0, &err, sizeof(err));
	memcpy(r->body + sizeof(err), (const unsigned char *)req + NLMSG_HDRLEN, echo);
	r->h.nlmsg_len = NLMSG_ALIGN(NLMSG_LENGTH(sizeof(err) + echo));
	r->h.nlmsg_flags = (capped ? NLM_F_CAPPED : 0) | (msg ? NLM_F_ACK_TLVS : 0);
	if (msg) {
		putstr(r, NLMSGERR_ATTR_MSG, msg);
		put32(r, NLMSGERR_ATTR_OFFS, 40);
	}
}

static void test_errors(void **state)
{
	static const char why[] = "snic: the guaranteed shares (tx_share) on this VNIC's uplink "
				  "would exceed its capacity";
	struct nl_req req, r;
	char ext[NL_EXT_MAX];

	(void)state;
	dl_req(&req, FAM, DEVLINK_CMD_RATE_SET, NLM_F_ACK, &DEV, 0);
	dl_put_u64(&req, DEVLINK_ATTR_RATE_TX_SHARE, 1);

	error_msg(&r, &req, 0, NULL, 1);   /* an ack */
	assert_int_equal(nl_error_of(&r.h, ext, sizeof(ext)), 0);
	assert_string_equal(ext, "");

	error_msg(&r, &req, ERANGE, why, 1);
	assert_int_equal(nl_error_of(&r.h, ext, sizeof(ext)), ERANGE);
	assert_string_equal(ext, why);

	error_msg(&r, &req, EINVAL, "snic: tx_share above the port's tx_max", 0);   /* request echoed */
	assert_int_equal(nl_error_of(&r.h, ext, sizeof(ext)), EINVAL);
	assert_string_equal(ext, "snic: tx_share above the port's tx_max");

	error_msg(&r, &req, EOPNOTSUPP, NULL, 0);   /* an older kernel: no text */
	assert_int_equal(nl_error_of(&r.h, ext, sizeof(ext)), EOPNOTSUPP);
	assert_string_equal(ext, "");

	char small[16];   /* a text longer than the room is cut, not lost */
	error_msg(&r, &req, ERANGE, why, 1);
	assert_int_equal(nl_error_of(&r.h, small, sizeof(small)), ERANGE);
	assert_string_equal(small, "snic: the guara");

	error_msg(&r, &req, ERANGE, NULL, 1);
	r.h.nlmsg_len = NLMSG_LENGTH(8);   /* shorter than an nlmsgerr */
	assert_int_equal(nl_error_of(&r.h, ext, sizeof(ext)), -1);
	error_msg(&r, &req, -5, NULL, 1);   /* a positive "errno": not the kernel's */
	assert_int_equal(nl_error_of(&r.h, ext, sizeof(ext)), -1);
}

/* The order of the two RATE_SETs: the share never above the ceiling. */
static void test_leaf_plan(void **state)
{
	struct dl_rate held = { .tx_share = 12500000, .tx_max = 62500000 };
	struct dl_step st[2];

	(void)state;
	/* Raising both: the ceiling first. */
	assert_int_equal(dl_leaf_plan(&held, 25000000, 125000000, st), 2);
	assert_int_equal(st[0].attr, DEVLINK_ATTR_RATE_TX_MAX);
	assert_int_equal(st[0].value, 125000000);
	assert_int_equal(st[0].old, 62500000);
	assert_int_equal(st[1].attr, DEVLINK_ATTR_RATE_TX_SHARE);
	/* A ceiling below the share held: the share first. */
	assert_int_equal(dl_leaf_plan(&held, 1250000, 6250000, st), 2);
	assert_int_equal(st[0].attr, DEVLINK_ATTR_RATE_TX_SHARE);
	assert_int_equal(st[0].old, 12500000);
	assert_int_equal(st[1].attr, DEVLINK_ATTR_RATE_TX_MAX);
	assert_int_equal(st[1].value, 6250000);
	/* Removing both (0, 0): the ceiling goes first. */
	assert_int_equal(dl_leaf_plan(&held, 0, 0, st), 2);
	assert_int_equal(st[0].attr, DEVLINK_ATTR_RATE_TX_MAX);
	/* Held already: nothing to send; one differs: only that one. */
	assert_int_equal(dl_leaf_plan(&held, 12500000, 62500000, st), 0);
	assert_int_equal(dl_leaf_plan(&held, 12500000, 0, st), 1);
	assert_int_equal(st[0].attr, DEVLINK_ATTR_RATE_TX_MAX);
	assert_int_equal(st[0].value, 0);
}

static void test_handle(void **state)
{
	struct dl_handle d;

	(void)state;
	assert_int_equal(dl_handle_parse("pci/0000:00:03.0", &d), 0);
	assert_string_equal(d.bus, "pci");
	assert_string_equal(d.dev, "0000:00:03.0");
	assert_int_equal(dl_handle_parse("snic1", &d), -1);   /* a netdev name */
	assert_int_equal(dl_handle_parse("pci/", &d), -1);
	assert_int_equal(dl_handle_parse("/0000:00:03.0", &d), -1);
	assert_int_equal(dl_handle_parse("pci/0000:00:03.0/1", &d), -1);   /* a port, not a device */
	assert_int_equal(dl_handle_parse("a-bus-name-much-longer-than-any-bus/x", &d), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_set_request),
		cmocka_unit_test(test_family),
		cmocka_unit_test(test_port),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_leaf_plan),
		cmocka_unit_test(test_handle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
