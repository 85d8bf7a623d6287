/* SPDX-License-Identifier: MIT */
/*
 * snicctl end to end against a synthetic window file whose admin queue is
 * served by a responder thread in this test: output formats (JSON checked
 * by python3's json module), exit codes, error messages, refusal of
 * garbage arguments before anything reaches the device, and the exact
 * rule payload the device receives.
 */
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "snic.h"
#include "test_lib_fakewin.h"

static char tool[4096];
static char path[64];
static uint8_t *win;
static pthread_t responder;
static volatile int stop_responder;
static volatile unsigned n_cmds;
static struct snic_admin_cmd last_cmd;        /* the last command of any kind */
static struct snic_admin_cmd last_of[256];    /* the last one per opcode */
static struct snic_rule last_rule;


/* L2 commands: VNICs 5 and 6 exist (6 behind the operator's port VLAN 30,
 * PCP 3); 02:00:00:00:00:ee is a locked MAC. */
static void answer_l2(const struct snic_admin_cmd *c, struct snic_admin_cpl *p)
{
	uint16_t v;
	memcpy(&v, c->payload, sizeof(v));
	if (v != 5 && v != 6) {
		p->status = SNIC_E_NOENT;
	} else if (c->opcode == SNIC_CMD_VNIC_MAC) {
		if (c->payload[9] == 0xee)
			p->status = SNIC_E_PERM;
	} else if (c->opcode == SNIC_CMD_VNIC_L2_QUERY) {
		struct snic_vnic_l2 l = { v, SNIC_RXMODE_ALLMULTI, 1, SNIC_VPOL_TRUSTED, 2,
					  { 2, 0, 0, 0, 0, (uint8_t)v }, SNIC_VLAN_NONE,
					  { 10, 20 }, { { 1, 0, 0x5e, 0, 0, 1 } } };
		if (v == 6) {
			l.port_vlan = 30;
			l.policy |= SNIC_L2Q_PORT_VLAN | 3 << SNIC_L2Q_PCP_SHIFT;
		}
		memcpy(p->payload, &l, sizeof(l));
		p->len = sizeof(l);
	} else if (c->opcode == SNIC_CMD_VNIC_QUERY) {
		struct snic_vnic_info i = { v, 0, 0, SNIC_RING_SHARED, SNIC_VLAN_NONE, { 0 }, 60, 0 };
		memcpy(p->payload, &i, sizeof(i));
		p->len = sizeof(i);
	}
}

static void answer(const struct snic_admin_cmd *c, struct snic_admin_cpl *p)
{
	memset(p, 0, sizeof(*p));
	p->opcode = c->opcode;
	p->seq = c->seq;
	switch (c->opcode) {
	case SNIC_CMD_VNIC_CREATE: {
		struct snic_vnic_create v;
		memcpy(&v, c->payload, sizeof(v));
		struct snic_vnic_info i = { v.vnic == SNIC_ID_ANY ? 4 : v.vnic, 1, 1,
					    SNIC_RING_BOUND, v.vlan, { 0 }, 60, 0 };
		memcpy(i.mac, v.mac, 6);
		memcpy(p->payload, &i, sizeof(i));
		p->len = sizeof(i);
		break;
	}
	case SNIC_CMD_RULE_ADD: {
		struct snic_rule_add a;
		memcpy(&a, c->payload, sizeof(a));
		if (a.loc == 99) {
			p->status = SNIC_E_NOSPC;
			break;
		}
		if (a.rule.action.vnic == 7) {   /* no such VNIC */
			p->status = SNIC_E_NOENT;
			break;
		}
		last_rule = a.rule;
		struct snic_rule_ref r = { 3 };
		memcpy(p->payload, &r, sizeof(r));
		p->len = sizeof(r);
		break;
	}
	case SNIC_CMD_RULE_QUERY: {
		struct snic_rule_ref r;
		memcpy(&r, c->payload, sizeof(r));
		if (r.loc != 3) {
			p->status = SNIC_E_NOENT;
			break;
		}
		struct snic_rule_info ri = { 3, 0, 17, last_rule };
		memcpy(p->payload, &ri, sizeof(ri));
		p->len = sizeof(ri);
		break;
	}
	case SNIC_CMD_PORT_SET:
	case SNIC_CMD_METER_SET:
	case SNIC_CMD_RESET:
	case SNIC_CMD_RULE_DEL:
		break;
	case SNIC_CMD_VNIC_RXMODE:
	case SNIC_CMD_VNIC_VLANS:
	case SNIC_CMD_VNIC_MAC:
	case SNIC_CMD_VNIC_POLICY:
	case SNIC_CMD_VNIC_PORT_VLAN:
	case SNIC_CMD_VNIC_L2_QUERY:
	case SNIC_CMD_VNIC_QUERY:
		answer_l2(c, p);
		break;
	default:
		p->status = SNIC_E_OPCODE;
	}
}

/* Every command is remembered (last one, last of each opcode) before it
 * completes, so a test sees it as soon as the tool has its answer. */
static void record_and_answer(const struct snic_admin_cmd *c, struct snic_admin_cpl *p)
{
	last_cmd = *c;
	last_of[c->opcode & 0xff] = *c;
	answer(c, p);
}

static void *responder_main(void *arg)
{
	(void)arg;
	while (!stop_responder) {
		if (fw_admin_serve(win, record_and_answer))
			n_cmds++;
		else
			usleep(50);
	}
	return NULL;
}

static int setup(void **state)
{
	(void)state;
	snprintf(path, sizeof(path), "/dev/shm/snic-test-ctl-%d", (int)getpid());
	uint8_t *img = fw_build();
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, img, FW_SIZE), FW_SIZE);
	free(img);
	win = mmap(NULL, FW_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	assert_true(win != MAP_FAILED);
	n_cmds = 0;
	stop_responder = 0;
	pthread_create(&responder, NULL, responder_main, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	stop_responder = 1;
	pthread_join(responder, NULL);
	munmap(win, FW_SIZE);
	unlink(path);
	char state_file[80];
	snprintf(state_file, sizeof(state_file), "%s.state", path);
	unlink(state_file);
	return 0;
}

/* Run snicctl with `args`; stdout+stderr into out; returns the exit code. */
static int ctl(char *out, size_t n, const char *args)
{
	char cmd[8192];
	snprintf(cmd, sizeof(cmd), "%s -d %s %s 2>&1", tool, path, args);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t got = fread(out, 1, n - 1, p);
	out[got] = 0;
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* 0 when python3 accepts the command's stdout as JSON and `check` holds. */
static int json_check(const char *args, const char *check)
{
	char cmd[8192];
	snprintf(cmd, sizeof(cmd),
		 "%s -d %s --json %s | python3 -c 'import json,sys; d=json.load(sys.stdin); "
		 "sys.exit(0 if (%s) else 1)'", tool, path, args, check);
	return system(cmd);
}

static void caps_human(void **state)
{
	(void)state;
	char out[8192];
	assert_int_equal(ctl(out, sizeof(out), "caps"), 0);
	assert_non_null(strstr(out, "profile fake"));
	assert_non_null(strstr(out, "RX rings (HRR): 2"));
	assert_non_null(strstr(out, "TX rings (TRR): 2"));
	assert_non_null(strstr(out, "64 ternary entries (56 for host rules)"));
	assert_non_null(strstr(out, "key fields: dmac vlan"));
	assert_non_null(strstr(out, "02:00:00:00:00:01"));
}

static void caps_json(void **state)
{
	(void)state;
	assert_int_equal(json_check("caps",
		"len(d[\"rx_rings\"])==2 and d[\"rx_rings\"][1][\"ctrl_off\"]==12480 and "
		"d[\"classifier\"][\"ternary\"]==64 and d[\"classifier\"][\"key_fields\"]==[\"dmac\",\"vlan\"] and "
		"d[\"device\"][\"profile\"]==\"fake\" and d[\"rx_rings\"][0][\"intr\"] is True and "
		"d[\"tx_rings\"][0][\"intr\"] is False and len(d[\"uplinks\"])==2"), 0);
	assert_int_equal(json_check("caps", "d[\"max_vnics\"]==8"), 0);
	assert_int_equal(json_check("caps", "d[\"l2\"] is None"), 0);   /* ABI 1.0 device */
	/* The check itself can fail. */
	assert_int_not_equal(json_check("caps", "d[\"max_vnics\"]==9"), 0);
}

static void stats_json(void **state)
{
	(void)state;
	struct snic_blk_stats *b = (struct snic_blk_stats *)(win + OFF_STATS);
	b->drops[SNIC_DROP_NO_MATCH] = 5;
	b->drops[12] = 2;   /* an unnamed reason still shows when counted */
	assert_int_equal(json_check("stats",
		"d[\"drops\"][\"no_match\"]==5 and d[\"drops\"][\"ring_full\"]==0 and "
		"d[\"drops\"][\"reason_12\"]==2 and len(d[\"rx_rings\"])==2 and len(d[\"ports\"])==2"), 0);
}

static void garbage_refused_before_sending(void **state)
{
	(void)state;
	char out[4096];
	static const char *const bad[] = {
		"vnic add --mac 02:00:00:00:00",
		"vnic add --mac 01:00:5e:00:00:01",
		"vnic add --mac 02:00:00:00:00:01 --vlan 4095",
		"vnic add --mac 02:00:00:00:00:01 --ip 10.0.0.256",
		"vnic add --vlan 5",
		"rule add --dport 65536 --vnic 1",
		"rule add --src-ip 10.0.0.0/33 --vnic 1",
		"rule add --dst-mac zz:00:00:00:00:01 --vnic 1",
		"rule add --proto sctpx --vnic 1",
		"rule add --dport 80",
		"rule add --dport 80 --vnic 1 --drop",
		"rule add --sport -1 --vnic 1",
		"rule del 12abc",
		"port up 256",
		"port sideways 1",
		"frobnicate",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = ctl(out, sizeof(out), bad[i]);
		if (rc != 2)
			fail_msg("'%s' exited %d: %s", bad[i], rc, out);
	}
	assert_int_equal(n_cmds, 0);
	assert_int_equal(ctl(out, sizeof(out), "rule add --src-ip 1.2.3.4/33 --vnic 1"), 2);
	assert_non_null(strstr(out, "0..32"));
}

static void status_error_message(void **state)
{
	(void)state;
	char out[4096];
	assert_int_equal(ctl(out, sizeof(out), "rule add --loc 99 --dport 80 --vnic 1"), 1);
	assert_non_null(strstr(out, "rule add: the rule table is full"));
	assert_non_null(strstr(out, "(SNIC_E_NOSPC)"));
	/* The device's NOENT told as the word that named the missing VNIC. */
	assert_int_equal(ctl(out, sizeof(out), "rule add flow-type tcp4 dst-port 80 vf 7"), 1);
	assert_non_null(strstr(out, "rule add: vf 7: no such VNIC (SNIC_E_NOENT)"));
	assert_int_equal(ctl(out, sizeof(out), "rule add --dport 80 --vnic 7"), 1);
	assert_non_null(strstr(out, "--vnic 7: no such VNIC (SNIC_E_NOENT)"));
	/* `action N`: no VNIC has RX ring 1 as its own (5 and 6 share). */
	assert_int_equal(ctl(out, sizeof(out), "rule add flow-type tcp4 dst-port 80 action 1"), 1);
	assert_non_null(strstr(out, "action 1: no VNIC receives on RX ring 1"));
	assert_int_equal(ctl(out, sizeof(out), "rule show 4"), 1);
	assert_non_null(strstr(out, "rule show: no such entry (SNIC_E_NOENT)"));
}

static void rule_payload(void **state)
{
	(void)state;
	char out[4096];
	assert_int_equal(ctl(out, sizeof(out),
			     "rule add --proto tcp --dst-ip 10.1.2.3/24 --dport 8080 "
			     "--dst-mac 02:00:00:00:00:07 --vlan 100 --vnic 6 --ring 2"), 0);
	assert_non_null(strstr(out, "rule 3 added"));
	struct snic_rule_add a;
	memcpy(&a, last_cmd.payload, sizeof(a));
	assert_int_equal(last_cmd.opcode, SNIC_CMD_RULE_ADD);
	assert_int_equal(a.loc, SNIC_LOC_ANY);
	const struct snic_key *v = &a.rule.value, *m = &a.rule.mask;
	assert_int_equal(v->ip_proto, 6);
	assert_int_equal(m->ip_proto, 0xff);
	assert_memory_equal(v->dip, "\x0a\x01\x02\x00", 4);
	assert_memory_equal(m->dip, "\xff\xff\xff\x00", 4);
	assert_memory_equal(v->dport, "\x1f\x90", 2);     /* 8080 big-endian */
	assert_memory_equal(m->dport, "\xff\xff", 2);
	assert_memory_equal(v->vlan, "\x00\x64", 2);
	assert_memory_equal(m->vlan, "\x0f\xff", 2);
	assert_memory_equal(v->dmac, "\x02\x00\x00\x00\x00\x07", 6);
	assert_memory_equal(m->sport, "\x00\x00", 2);      /* unused fields wildcard */
	assert_memory_equal(m->smac, "\0\0\0\0\0\0", 6);
	assert_int_equal(a.rule.action.vnic, 6);
	assert_int_equal(a.rule.action.ring, 2);
	assert_int_equal(a.rule.action.flags, SNIC_ACT_COUNT);
	/* IPv4 with a whole transport header, never a malformed frame. */
	assert_int_equal(v->flags, SNIC_KF_IPV4 | SNIC_KF_L4 | SNIC_KF_VLAN);
	assert_int_equal(m->flags, SNIC_KF_IPV4 | SNIC_KF_L4 | SNIC_KF_VLAN | SNIC_KF_ERR);

	assert_int_equal(ctl(out, sizeof(out), "rule show 3"), 0);
	assert_non_null(strstr(out, "flags vlan,ipv4,l4,!malformed"));
	assert_non_null(strstr(out, "dport 8080"));
	assert_non_null(strstr(out, "dst_ip 10.1.2.0/24"));
	assert_non_null(strstr(out, "-> vnic 6 ring 2"));
	assert_non_null(strstr(out, "hits 17"));
	assert_int_equal(json_check("rule show 3",
		"d[\"hits\"]==17 and d[\"match\"][\"dport\"]==\"8080\" and "
		"d[\"action\"][\"vnic\"]==6 and d[\"action\"][\"drop\"] is False"), 0);
}

static void drop_rule(void **state)
{
	(void)state;
	char out[4096];
	assert_int_equal(ctl(out, sizeof(out), "rule add --src-mac 02:00:00:00:00:00/24 --drop"), 0);
	assert_int_equal(last_rule.action.flags, SNIC_ACT_DROP | SNIC_ACT_COUNT);
	assert_int_equal(last_rule.action.vnic, SNIC_VNIC_NONE);
	assert_memory_equal(last_rule.mask.smac, "\xff\xff\xff\0\0\0", 6);
}

/* ethtool's words, verbatim: the payload and `rule show` of it. */
static void ethtool_syntax(void **state)
{
	(void)state;
	char out[4096];
	assert_int_equal(ctl(out, sizeof(out),
			     "rule add flow-type udp6 dst-ip fd00::1 dst-port 53 vf 5 loc 3"), 0);
	assert_non_null(strstr(out, "rule 3 added"));
	struct snic_rule_add a;
	memcpy(&a, last_of[SNIC_CMD_RULE_ADD].payload, sizeof(a));
	assert_int_equal(a.loc, 3);
	assert_int_equal(a.rule.value.ip_proto, 17);
	assert_memory_equal(a.rule.value.dip, "\xfd\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	assert_memory_equal(a.rule.value.dport, "\x00\x35", 2);
	assert_int_equal(a.rule.value.flags, SNIC_KF_IPV6 | SNIC_KF_L4);
	assert_int_equal(a.rule.action.vnic, 5);
	assert_int_equal(ctl(out, sizeof(out), "rule show 3"), 0);
	assert_non_null(strstr(out, "dst_ip fd00::1/128"));
	assert_non_null(strstr(out, "-> vnic 5"));
	assert_int_equal(ctl(out, sizeof(out), "rule add flow-type tcp4 src-port 22 action -1"), 0);
	assert_int_equal(last_rule.action.flags, SNIC_ACT_DROP | SNIC_ACT_COUNT);
	memset(&last_of[SNIC_CMD_RULE_DEL], 0, sizeof(last_of[0]));
	assert_int_equal(ctl(out, sizeof(out), "rule del loc 3"), 0);
	assert_int_equal(last_of[SNIC_CMD_RULE_DEL].opcode, SNIC_CMD_RULE_DEL);
	assert_int_equal(last_of[SNIC_CMD_RULE_DEL].payload[0], 3);
	/* Refused before sending, naming the word (a command sent would be
	 * recorded before the tool could exit). */
	memset(&last_cmd, 0, sizeof(last_cmd));
	assert_int_equal(ctl(out, sizeof(out), "rule add flow-type tcp4 dst-port 08x vf 5"), 2);
	assert_non_null(strstr(out, "dst-port '08x'"));
	assert_int_equal(last_cmd.opcode, 0);
}

static void vnic_add_json(void **state)
{
	(void)state;
	assert_int_equal(json_check("vnic add --mac 02:00:00:00:00:09 --vlan 7 --ip 10.0.0.1 "
				    "--ip 10.0.0.2 --uplink 1 --id 9",
				    "d[\"vnic\"]==9 and d[\"vlan\"]==7 and "
				    "d[\"rx_ring_kind\"]==\"dedicated\" and d[\"mac\"]==\"02:00:00:00:00:09\""), 0);
	struct snic_vnic_create c;
	memcpy(&c, last_of[SNIC_CMD_VNIC_CREATE].payload, sizeof(c));
	assert_int_equal(c.n_ip, 2);
	assert_memory_equal(c.ip[1], "\x0a\x00\x00\x02", 4);
	assert_int_equal(c.uplink, 1);
	assert_int_equal(c.flags, 0);
}

static void port_and_reset(void **state)
{
	(void)state;
	char out[4096];
	assert_int_equal(ctl(out, sizeof(out), "port down 1"), 0);
	struct snic_port_set ps;
	memcpy(&ps, last_cmd.payload, sizeof(ps));
	assert_int_equal(ps.port, 1);
	assert_int_equal(ps.admin_up, 0);
	assert_int_equal(ctl(out, sizeof(out), "reset"), 0);
	assert_int_equal(last_cmd.opcode, SNIC_CMD_RESET);
}

static void missing_window(void **state)
{
	(void)state;
	char cmd[4200], out[4096];
	snprintf(cmd, sizeof(cmd), "%s -d /nonexistent/w caps 2>&1", tool);
	FILE *p = popen(cmd, "r");
	size_t got = fread(out, 1, sizeof(out) - 1, p);
	out[got] = 0;
	int st = pclose(p);
	assert_int_equal(WEXITSTATUS(st), 1);
	assert_non_null(strstr(out, "cannot open window /nonexistent/w"));
}

static void corrupt_window_clear_error(void **state)
{
	(void)state;
	char out[4096];
	((struct snic_block_hdr *)(win + OFF_ADMIN))->next = OFF_FW;
	assert_int_equal(ctl(out, sizeof(out), "caps"), 1);
	assert_non_null(strstr(out, "loops back"));
}

static void ring_mode_switch(void **state)
{
	(void)state;
	char out[4096];
	struct snic_rxq *q = (struct snic_rxq *)(win + OFF_RXQ + 192);
	assert_int_equal(ctl(out, sizeof(out), "ring mode 1 intr"), 0);
	assert_int_equal(q->mode, SNIC_MODE_INTR);
	assert_int_equal(q->intr_enable, 1);
	q->irq_count = 12;
	assert_int_equal(json_check("ring show",
		"d[1][\"mode\"]==\"intr\" and d[1][\"irq_count\"]==12 and d[0][\"mode\"]==\"poll\""), 0);
	assert_int_equal(ctl(out, sizeof(out), "ring mode 1 poll"), 0);
	assert_int_equal(q->mode, SNIC_MODE_POLL);
	assert_int_equal(q->intr_enable, 0);
	assert_int_equal(ctl(out, sizeof(out), "ring mode 1 sometimes"), 2);
	assert_int_equal(ctl(out, sizeof(out), "ring mode 2 poll"), 1);  /* no ring 2 */
	assert_non_null(strstr(out, "does not exist"));
	assert_int_equal(n_cmds, 0);   /* no admin command involved */
}

static void state_tracks_changes(void **state)
{
	(void)state;
	char out[4096];
	assert_int_equal(ctl(out, sizeof(out), "vnic add --mac 02:00:00:00:00:05 --id 5"), 0);
	assert_int_equal(ctl(out, sizeof(out), "rule add --dport 22 --vnic 5"), 0);
	assert_int_equal(json_check("state",
		"d[\"vnics\"][0][\"vnic\"]==5 and d[\"vnics\"][0][\"mac\"]==\"02:00:00:00:00:05\" and "
		"d[\"rules\"]==[{\"loc\":3,\"vnic\":5}]"), 0);
	assert_int_equal(ctl(out, sizeof(out), "rule del 3"), 0);
	assert_int_equal(json_check("state", "d[\"rules\"]==[]"), 0);
	/* --state '' turns the mirror off. */
	assert_int_equal(ctl(out, sizeof(out), "--state '' state"), 1);
}

/* Give the fake card meters: 4 policers, srTCM/trTCM/shaper, 1M..400G. */
static void advertise_meters(void)
{
	uint8_t *rec = win + OFF_REC;
	for (uint32_t at = 0;;) {
		struct snic_cap_hdr h;
		memcpy(&h, rec + at, sizeof(h));
		if (h.type == SNIC_CAP_METERS) {
			struct snic_cap_meters m = { h, 4, (1u << SNIC_METER_SRTCM) |
				(1u << SNIC_METER_TRTCM) | (1u << SNIC_METER_SHAPER),
				1000000ull, 400000000000ull };
			memcpy(rec + at, &m, sizeof(m));
			return;
		}
		assert_true(h.type != SNIC_CAP_END && h.len > 0);
		at += h.len;
	}
}

static void meter_commands(void **state)
{
	(void)state;
	char out[4096];
	advertise_meters();
	static const char *const refused[] = {
		"meter set 1 --mode srtcm --cir 1.5X --cbs 1000",
		"meter set 1 --mode srtcm --cir 500k --cbs 1000",
		"meter set 1 --mode srtcm --cir 401G --cbs 1000",
		"meter set 1 --mode srtcm --cir 1.0000001M --cbs 1000",
		"meter set 1 --mode sometimes --cir 1M --cbs 1",
		"meter set 1 --mode trtcm --cir 1M --cbs 1k",
		"meter set 1 --mode srtcm --cir 1M --cbs 1k --pir 2M",
		"meter set 9 --mode srtcm --cir 1M --cbs 1k",
		"meter set 1 --cir 1M --cbs 1k",
		"meter set 1 --mode srtcm --cir 1M --cbs 2Gi",
		"rule add --dport 1 --drop --meter 1",
		"vnic rate 1 --avg 10M",
		"vnic rate 1 --avg 10M --burst 100",
		"vnic rate 1 --avg 10M --burst 1k --peak-burst 2k",
		"vnic rate 1 --off --avg 1M",
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (ctl(out, sizeof(out), refused[i]) != 2)
			fail_msg("'%s' not refused as a usage error: %s", refused[i], out);
	assert_int_equal(n_cmds, 0);
	assert_int_equal(ctl(out, sizeof(out), "meter set 1 --mode srtcm --cir 500k --cbs 1000"), 2);
	assert_non_null(strstr(out, "outside the device's range 1M..400G"));

	assert_int_equal(ctl(out, sizeof(out), "meter set 2 --mode trtcm --cir 100M --cbs 10k "
			     "--pir 0.2G --pbs 20k --wire --mark"), 0);
	struct snic_meter_set want = { 2, SNIC_METER_TRTCM, SNIC_METERF_WIRE | SNIC_METERF_MARK, 0,
				       100000000, 200000000, 10000, 20000 };
	assert_int_equal(last_of[SNIC_CMD_METER_SET].len, sizeof(want));
	assert_memory_equal(last_of[SNIC_CMD_METER_SET].payload, &want, sizeof(want));
	assert_non_null(strstr(out, "PIR 200M bit/s"));

	assert_int_equal(ctl(out, sizeof(out), "vnic rate 1 --avg 1G --burst 64k --peak 2G"), 0);
	struct snic_meter_set shaper = { 1, SNIC_METER_SHAPER, 0, 0, 1000000000, 2000000000,
					 64000, FW_BUF_MAX };
	assert_memory_equal(last_of[SNIC_CMD_METER_SET].payload, &shaper, sizeof(shaper));

	assert_int_equal(ctl(out, sizeof(out), "rule add --dport 80 --vnic 1 --meter 2"), 0);
	assert_int_equal(last_rule.action.flags, SNIC_ACT_COUNT | SNIC_ACT_METER);
	assert_int_equal(last_rule.action.meter, 2);
	assert_int_equal(json_check("meter show",
		"d==[{\"policer\":2,\"mode\":\"trtcm\",\"cir_bps\":100000000,\"cbs\":10000,"
		"\"pir_bps\":200000000,\"pbs\":20000,\"accounting\":\"wire\",\"red\":\"mark\"}]"), 0);
	assert_int_equal(json_check("state",
		"d[\"rules\"]==[{\"loc\":3,\"vnic\":1,\"meter\":2}] and "
		"d[\"policers\"][0][\"policer\"]==2"), 0);
	assert_int_equal(json_check("rule show 3", "d[\"action\"][\"meter\"]==2"), 0);
	assert_int_equal(json_check("vnic rate 1 --off", "d[\"mode\"]==\"none\""), 0);
	struct snic_meter_set off = { 1, SNIC_METER_SHAPER, 0, 0, 0, 0, 0, 0 };
	assert_memory_equal(last_of[SNIC_CMD_METER_SET].payload, &off, sizeof(off));
}

static void l2_commands(void **state)
{
	(void)state;
	char out[4096];
	assert_int_equal(ctl(out, sizeof(out), "vnic rxmode 5 --allmulti --mc 01:00:5e:00:00:01 "
			     "--mc 33:33:00:00:00:01"), 0);
	struct snic_vnic_rxmode r = { 5, SNIC_RXMODE_ALLMULTI, 2, 0,
				      { { 1, 0, 0x5e, 0, 0, 1 }, { 0x33, 0x33, 0, 0, 0, 1 } } };
	assert_int_equal(last_of[SNIC_CMD_VNIC_RXMODE].len, sizeof(r));
	assert_memory_equal(last_of[SNIC_CMD_VNIC_RXMODE].payload, &r, sizeof(r));
	assert_non_null(strstr(out, "vlans: 10 20"));   /* the state after it */
	assert_int_equal(ctl(out, sizeof(out), "vnic vlans 5 10 20"), 0);
	struct snic_vnic_vlans vl = { 5, 2, 0, { 10, 20 } };
	assert_memory_equal(last_of[SNIC_CMD_VNIC_VLANS].payload, &vl, sizeof(vl));
	assert_int_equal(ctl(out, sizeof(out), "vnic mac 6 02:00:00:00:00:aa --operator"), 0);
	struct snic_vnic_mac m = { 6, SNIC_VMACF_OPERATOR, { 2, 0, 0, 0, 0, 0xaa }, 0 };
	assert_memory_equal(last_of[SNIC_CMD_VNIC_MAC].payload, &m, sizeof(m));
	/* Options not given keep the device's value: trusted stays. */
	assert_int_equal(ctl(out, sizeof(out), "vnic policy 5 --mac-lock on"), 0);
	struct snic_vnic_policy pol = { 5, SNIC_VPOL_TRUSTED | SNIC_VPOL_MAC_LOCKED, 0 };
	assert_memory_equal(last_of[SNIC_CMD_VNIC_POLICY].payload, &pol, sizeof(pol));
	assert_int_equal(ctl(out, sizeof(out), "vnic mac 5 02:00:00:00:00:ee"), 1);
	assert_non_null(strstr(out, "not permitted by the operator's policy (SNIC_E_PERM)"));
	assert_non_null(strstr(out, "locked"));
	assert_int_equal(json_check("vnic l2",
		"[x[\"vnic\"] for x in d]==[5,6] and d[0][\"vlans\"]==[10,20] and "
		"d[0][\"allmulti\"] is True and d[0][\"promisc\"] is False and "
		"d[0][\"multicast\"]==[\"01:00:5e:00:00:01\"] and d[1][\"trusted\"] is True and "
		"d[0][\"port_vlan\"] is None"), 0);
	assert_int_equal(ctl(out, sizeof(out), "vnic port-vlan 5 20 --pcp 3"), 0);
	struct snic_vnic_port_vlan pv = { 5, 20, 3, 0, 0 };
	assert_int_equal(last_of[SNIC_CMD_VNIC_PORT_VLAN].len, sizeof(pv));
	assert_memory_equal(last_of[SNIC_CMD_VNIC_PORT_VLAN].payload, &pv, sizeof(pv));
	assert_int_equal(ctl(out, sizeof(out), "vnic port-vlan 5 none"), 0);
	struct snic_vnic_port_vlan none = { 5, SNIC_VLAN_NONE, 0, 0, 0 };
	assert_memory_equal(last_of[SNIC_CMD_VNIC_PORT_VLAN].payload, &none, sizeof(none));
	/* The query's read-only port VLAN bits never go back into a policy. */
	assert_int_equal(ctl(out, sizeof(out), "vnic policy 6 --mac-lock on"), 0);
	struct snic_vnic_policy pol6 = { 6, SNIC_VPOL_TRUSTED | SNIC_VPOL_MAC_LOCKED, 0 };
	assert_memory_equal(last_of[SNIC_CMD_VNIC_POLICY].payload, &pol6, sizeof(pol6));
	assert_non_null(strstr(out, "port vlan 30 (operator's, tagged by the device, pcp 3)"));
	assert_int_equal(json_check("vnic l2 6",
		"d[\"port_vlan\"]==30 and d[\"port_vlan_tagged_by_device\"] is True and "
		"d[\"port_vlan_pcp\"]==3"), 0);

	unsigned before = n_cmds;
	static const char *const bad[] = {
		"vnic rxmode 5 --mc 02:00:00:00:00:01", "vnic rxmode 5 --promiscuous",
		"vnic rxmode 5 --mc", "vnic vlans 5 4095", "vnic vlans 5 0", "vnic vlans 5 7 7",
		"vnic mac 5", "vnic mac 5 01:00:5e:00:00:01", "vnic mac 5 02:00:00:00:00:01 x",
		"vnic policy 5 --trusted maybe", "vnic policy 5 --mac-lock", "vnic l2 5 6",
		"vnic vlans x 5", "stats --vnic 65535", "stats --vnic 1 2",
		"vnic port-vlan 5", "vnic port-vlan 5 4095", "vnic port-vlan 5 20 --pcp 8",
		"vnic port-vlan 5 none --pcp 1", "vnic port-vlan 5 20 --prio 1",
		"vnic port-vlan 5 20 --pcp",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = ctl(out, sizeof(out), bad[i]);
		if (rc != 2)
			fail_msg("'%s' exited %d: %s", bad[i], rc, out);
	}
	assert_int_equal(n_cmds, before);
}

static void stats_per_vnic(void **state)
{
	(void)state;
	char out[4096];
	assert_int_equal(ctl(out, sizeof(out), "stats --vnic"), 1);
	assert_non_null(strstr(out, "no VSTATS block"));
	/* Chain a VSTATS block after TXQ: 8 entries, counters v*1000+k. */
	((struct snic_block_hdr *)(win + OFF_TXQB))->next = 1024;
	fw_hdr(win, 1024, SNIC_BLK_VSTATS, 0, sizeof(struct snic_blk_vstats));
	struct snic_blk_vstats *b = (void *)(win + 1024);
	b->count = 8;
	b->stride = sizeof(struct snic_vnic_stats);
	b->first = 2048;
	b->group_copies = 12;
	for (uint32_t v = 0; v < 8; v++)
		for (unsigned k = 0; k < 12; k++)
			((uint64_t *)(win + 2048 + v * 128))[k] = v * 1000u + k;
	assert_int_equal(json_check("stats --vnic",
		"d[\"group\"][\"copies\"]==12 and [x[\"vnic\"] for x in d[\"vnics\"]]==[5,6] and "
		"d[\"vnics\"][0][\"rx_broadcast\"]==5002 and d[\"vnics\"][1][\"tx_drop_down\"]==6011"),
		0);
	assert_int_equal(json_check("stats --vnic 6", "len(d[\"vnics\"])==1"), 0);
	assert_int_equal(ctl(out, sizeof(out), "stats --vnic 5"), 0);
	assert_non_null(strstr(out, "rx_drop_ring      5004"));
	assert_int_equal(ctl(out, sizeof(out), "stats --vnic 8"), 2);
	assert_non_null(strstr(out, "VNICs 0..7"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(int argc, char **argv)
{
	(void)argc;
	/* build/tests/unit/test_lib_snicctl -> build/bin/snicctl */
	char self[4096];
	snprintf(self, sizeof(self), "%s", argv[0]);
	snprintf(tool, sizeof(tool), "%s/../../bin/snicctl", dirname(self));
	if (access(tool, X_OK) != 0) {
		printf("1..0 # SKIP snicctl not built at %s\n", tool);
		return 0;
	}
	const struct CMUnitTest tests[] = {
		T(caps_human), T(caps_json), T(stats_json), T(garbage_refused_before_sending),
		T(status_error_message), T(rule_payload), T(ethtool_syntax), T(drop_rule), T(vnic_add_json),
		T(port_and_reset), T(missing_window), T(corrupt_window_clear_error),
		T(ring_mode_switch), T(state_tracks_changes), T(meter_commands),
		T(l2_commands), T(stats_per_vnic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
