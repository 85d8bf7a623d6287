/* SPDX-License-Identifier: MIT */
/*
 * snicctl team set|del|show|failback|prio: bonds of uplinks (teaming).
 *
 *   team set B --members 0,1[,..] [--roles active,standby,..]
 *              [--policy P] [--detect txres,beacon] [--beacon-us N]
 *              [--misses N] [--failback immediate|holddown|manual]
 *              [--holddown-us N] [--updelay-us N] [--downdelay-us N]
 *              [--notify rarp,garp] [--notify-count N] [--notify-gap-us N]
 *              [--txres-rest-us N] [--prio-high N]
 *   team del B | team show B | team failback B | team prio VNIC PRIO
 *
 * A VNIC joins bond B with "vnic add ... --uplink 128+B".
 */
#include <string.h>
#include "snicctl.h"

static const char *const policy_names[SNIC_TEAM_POLICIES] = {
	"port-id", "src-mac", "l2", "l3", "l34", "load", "ip-rr", "priority",
};
static const char *const role_names[] = { "unused", "active", "standby" };
static const char *const failback_names[] = { "immediate", "holddown", "manual" };
static const char *const state_names[] = { "up", "down", "going-down", "going-up", "wait" };

static int lookup(const char *const *names, unsigned n, const char *s)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return (int)i;
	return -1;
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* "a,b,c" -> up to max words into out (pointers into buf). */
static int split(char *buf, size_t cap, const char *s, char **out, unsigned max)
{
	if (strlen(s) >= cap)
		return -1;
	strcpy(buf, s);
	unsigned n = 0;
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (n == max)
			return -1;
		out[n++] = t;
	}
	return (int)n;
}

static int parse_flags(const char *what, const char *s, const char *const *names,
		       const uint8_t *bits, unsigned n, uint8_t *out)
{
	char buf[128], *w[8];
	int k = s ? split(buf, sizeof(buf), s, w, 8) : -1;
	if (k <= 0)
		return ctl_usage("%s: a comma-separated list", what);
	*out = 0;
	for (int i = 0; i < k; i++) {
		int f = lookup(names, n, w[i]);
		if (f < 0)
			return ctl_usage("%s: unknown '%s'", what, w[i]);
		*out |= bits[f];
	}
	return 0;
}

static int u32_opt(const char *what, const char *val, uint32_t max, uint32_t *out)
{
	unsigned long v;
	if (ctl_uint(what, val, 0, max, &v))
		return EXIT_USAGE;
	*out = (uint32_t)v;
	return 0;
}

static int team_set(struct ctl *c, struct snic_team_set *t, int argc, char **argv)
{
	static const char *const detect_names[] = { "txres", "beacon" };
	static const uint8_t detect_bits[] = { SNIC_TEAM_DETECT_TXRES, SNIC_TEAM_DETECT_BEACON };
	static const char *const notify_names[] = { "rarp", "garp" };
	static const uint8_t notify_bits[] = { SNIC_TEAM_NOTIFY_RARP, SNIC_TEAM_NOTIFY_GARP };
	char buf[128], *w[8];
	int have_members = 0, have_roles = 0;
	uint32_t v;

	t->op = SNIC_TEAM_OP_SET;
	for (int i = 3; i < argc; i++) {
		const char *a = argv[i], *val = ctl_optval(argc, argv, &i);
		if (!val)
			return ctl_usage("%s needs a value", a);
		if (!strcmp(a, "--members")) {
			int k = split(buf, sizeof(buf), val, w, SNIC_MAX_UPLINKS);
			if (k <= 0)
				return ctl_usage("--members: 1 to %d uplinks, e.g. 0,1", SNIC_MAX_UPLINKS);
			for (int m = 0; m < k; m++) {
				unsigned long u;
				if (ctl_uint("--members", w[m], 0, 255, &u))
					return EXIT_USAGE;
				t->member[m] = (uint8_t)u;
			}
			t->n_members = (uint8_t)k;
			have_members = 1;
		} else if (!strcmp(a, "--roles")) {
			int k = split(buf, sizeof(buf), val, w, SNIC_MAX_UPLINKS);
			if (k <= 0)
				return ctl_usage("--roles: active,standby,unused per member");
			for (int m = 0; m < k; m++) {
				int r = lookup(role_names, N_OF(role_names), w[m]);
				if (r < 0)
					return ctl_usage("--roles: unknown role '%s'", w[m]);
				t->role[m] = (uint8_t)r;
			}
			have_roles = k;
		} else if (!strcmp(a, "--policy")) {
			int p = lookup(policy_names, N_OF(policy_names), val);
			if (p < 0)
				return ctl_usage("--policy: port-id, src-mac, l2, l3, l34, load, "
						 "ip-rr or priority");
			t->policy = (uint8_t)p;
		} else if (!strcmp(a, "--detect")) {
			if (parse_flags(a, val, detect_names, detect_bits, 2, &t->detect))
				return EXIT_USAGE;
		} else if (!strcmp(a, "--notify")) {
			if (parse_flags(a, val, notify_names, notify_bits, 2, &t->notify))
				return EXIT_USAGE;
		} else if (!strcmp(a, "--failback")) {
			int f = lookup(failback_names, N_OF(failback_names), val);
			if (f < 0)
				return ctl_usage("--failback: immediate, holddown or manual");
			t->failback = (uint8_t)f;
		} else if (!strcmp(a, "--beacon-us")) {
			if (u32_opt(a, val, UINT32_MAX, &t->beacon_us))
				return EXIT_USAGE;
		} else if (!strcmp(a, "--misses")) {
			if (u32_opt(a, val, 255, &v))
				return EXIT_USAGE;
			t->beacon_misses = (uint8_t)v;
		} else if (!strcmp(a, "--notify-count")) {
			if (u32_opt(a, val, 255, &v))
				return EXIT_USAGE;
			t->notify_count = (uint8_t)v;
		} else if (!strcmp(a, "--prio-high")) {
			if (u32_opt(a, val, 255, &v))
				return EXIT_USAGE;
			t->prio_high = (uint8_t)v;
		} else if (!strcmp(a, "--notify-gap-us")) {
			if (u32_opt(a, val, UINT32_MAX, &t->notify_gap_us))
				return EXIT_USAGE;
		} else if (!strcmp(a, "--holddown-us")) {
			if (u32_opt(a, val, UINT32_MAX, &t->holddown_us))
				return EXIT_USAGE;
		} else if (!strcmp(a, "--updelay-us")) {
			if (u32_opt(a, val, UINT32_MAX, &t->updelay_us))
				return EXIT_USAGE;
		} else if (!strcmp(a, "--downdelay-us")) {
			if (u32_opt(a, val, UINT32_MAX, &t->downdelay_us))
				return EXIT_USAGE;
		} else if (!strcmp(a, "--txres-rest-us")) {
			if (u32_opt(a, val, UINT32_MAX, &t->txres_rest_us))
				return EXIT_USAGE;
		} else {
			return ctl_usage("team set: unknown option '%s'", a);
		}
	}
	if (!have_members)
		return ctl_usage("team set needs --members");
	if (have_roles && have_roles != t->n_members)
		return ctl_usage("--roles needs one role per member");
	if (!have_roles)
		for (unsigned m = 0; m < t->n_members; m++)
			t->role[m] = SNIC_TEAM_ACTIVE;
	/* Sensible defaults the device would otherwise refuse as missing. */
	if (t->notify && !t->notify_count)
		t->notify_count = 3;
	if ((t->detect & SNIC_TEAM_DETECT_BEACON) && !t->beacon_us)
		t->beacon_us = 1000000;
	if ((t->detect & SNIC_TEAM_DETECT_BEACON) && !t->beacon_misses)
		t->beacon_misses = 3;
	if (snic_admin_exec(ctl_dev(c), SNIC_CMD_TEAM_SET, t, sizeof(*t), NULL, 0, NULL))
		return ctl_fail(c, "team set");
	ctl_done(c, "team set", NULL);
	return 0;
}

static const char *name_of(const char *const *names, unsigned n, unsigned i)
{
	return i < n ? names[i] : "?";
}

static void why(char *buf, size_t len, uint8_t r)
{
	snprintf(buf, len, "%s%s%s%s", r & SNIC_TEAM_WHY_LINK ? "link " : "",
		 r & SNIC_TEAM_WHY_ADMIN ? "admin " : "", r & SNIC_TEAM_WHY_TXRES ? "txres " : "",
		 r & SNIC_TEAM_WHY_BEACON ? "beacon " : "");
	size_t n = strlen(buf);
	if (n)
		buf[n - 1] = '\0';
}

static void show(struct ctl *c, const struct snic_team_status *s)
{
	char r[40];
	if (c->json) {
		struct json *j = &c->j;
		json_obj_begin(j, NULL);
		json_uint(j, "bond", s->bond);
		json_str(j, "policy", name_of(policy_names, N_OF(policy_names), s->policy));
		json_uint(j, "in_use", s->in_use);
		json_uint(j, "vnics", s->vnics);
		json_uint(j, "failovers", s->failovers);
		json_uint(j, "failbacks", s->failbacks);
		json_uint(j, "notify_sent", s->notify_sent);
		json_uint(j, "beacons_sent", s->beacons_sent);
		json_uint(j, "beacon_unsure", s->beacon_unsure);
		json_uint(j, "held", s->held);
		json_uint(j, "last_change_ns", s->last_change_ns);
		json_arr_begin(j, "members");
		for (unsigned i = 0; i < s->n_members && i < SNIC_MAX_UPLINKS; i++) {
			const struct snic_team_member *m = &s->member[i];
			why(r, sizeof(r), m->reason);
			json_obj_begin(j, NULL);
			json_uint(j, "uplink", m->uplink);
			json_str(j, "role", name_of(role_names, N_OF(role_names), m->role));
			json_str(j, "state", name_of(state_names, N_OF(state_names), m->state));
			json_str(j, "reason", r);
			json_bool(j, "in_use", m->in_use);
			json_uint(j, "since_ns", m->since_ns);
			json_uint(j, "failures", m->failures);
			json_uint(j, "beacons_rx", m->beacons_rx);
			json_uint(j, "tx_refused", m->tx_refused);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
		json_done(j);
		return;
	}
	printf("bond %u: policy %s, %u VNICs, in use 0x%x, %u failovers, %u failbacks, "
	       "%u notifications, %u beacons (%u unsure), %u held\n", s->bond,
	       name_of(policy_names, N_OF(policy_names), s->policy), s->vnics, s->in_use,
	       s->failovers, s->failbacks, s->notify_sent, s->beacons_sent, s->beacon_unsure,
	       s->held);
	for (unsigned i = 0; i < s->n_members && i < SNIC_MAX_UPLINKS; i++) {
		const struct snic_team_member *m = &s->member[i];
		why(r, sizeof(r), m->reason);
		printf("  uplink %u: %-7s %-10s %-6s", m->uplink,
		       name_of(role_names, N_OF(role_names), m->role),
		       name_of(state_names, N_OF(state_names), m->state), m->in_use ? "in-use" : "-");
		if (*r)
			printf(" (%s)", r);
		printf(", since %llu ns, %u failures, %u beacons in, %u refused\n",
		       (unsigned long long)m->since_ns, m->failures, m->beacons_rx, m->tx_refused);
	}
}

int cmd_team(struct ctl *c, int argc, char **argv)
{
	struct snic_team_set t;
	unsigned long v;

	memset(&t, 0, sizeof(t));
	if (argc < 3)
		return ctl_usage("usage: team set|del|show|failback B ... | team prio VNIC PRIO");
	const char *sub = argv[1];
	if (!strcmp(sub, "prio")) {
		unsigned long prio;
		if (argc != 4)
			return ctl_usage("usage: team prio VNIC PRIO");
		if (ctl_uint("VNIC", argv[2], 0, 0xfffe, &v) || ctl_uint("PRIO", argv[3], 0, 255, &prio))
			return EXIT_USAGE;
		t.op = SNIC_TEAM_OP_PRIO;
		t.vnic = (uint16_t)v;
		t.prio = (uint8_t)prio;
		if (snic_admin_exec(ctl_dev(c), SNIC_CMD_TEAM_SET, &t, sizeof(t), NULL, 0, NULL))
			return ctl_fail(c, "team prio");
		ctl_done(c, "team prio", NULL);
		return 0;
	}
	if (ctl_uint("bond", argv[2], 0, SNIC_MAX_BONDS - 1, &v))
		return EXIT_USAGE;
	t.bond = (uint8_t)v;
	if (!strcmp(sub, "set"))
		return team_set(c, &t, argc, argv);
	if (argc != 3)
		return ctl_usage("team %s takes only the bond", sub);
	if (!strcmp(sub, "show")) {
		struct snic_team_status s;
		uint32_t got = 0;
		t.op = SNIC_TEAM_OP_QUERY;
		if (snic_admin_exec(ctl_dev(c), SNIC_CMD_TEAM_SET, &t, sizeof(t), &s, sizeof(s), &got))
			return ctl_fail(c, "team show");
		if (got != sizeof(s)) {
			fprintf(stderr, "snicctl: team show: device answered %u bytes, want %zu\n",
				got, sizeof(s));
			return EXIT_DEVICE;
		}
		show(c, &s);
		return 0;
	}
	const char *what = !strcmp(sub, "del") ? "team del" : "team failback";
	if (!strcmp(sub, "del"))
		t.op = SNIC_TEAM_OP_DEL;
	else if (!strcmp(sub, "failback"))
		t.op = SNIC_TEAM_OP_FAILBACK;
	else
		return ctl_usage("team: unknown subcommand '%s'", sub);
	if (snic_admin_exec(ctl_dev(c), SNIC_CMD_TEAM_SET, &t, sizeof(t), NULL, 0, NULL))
		return ctl_fail(c, what);
	ctl_done(c, what, NULL);
	return 0;
}
