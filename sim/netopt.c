/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "netopt.h"
#include "nic.h"

void netopt_init(struct netopt *o)
{
	memset(o, 0, sizeof(*o));
	sw_config_default(&o->cfg);
	fault_plan_init(&o->plan);
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char tail;
	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &tail) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (v[i] > 255)
			return -1;
		mac[i] = (uint8_t)v[i];
	}
	return 0;
}

static int parse_ip(const char *s, uint8_t ip[4])
{
	unsigned v[4];
	char tail;
	if (sscanf(s, "%u.%u.%u.%u%c", &v[0], &v[1], &v[2], &v[3], &tail) != 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		if (v[i] > 255)
			return -1;
		ip[i] = (uint8_t)v[i];
	}
	return 0;
}

static int bad_host(const char *spec, const char *why)
{
	fprintf(stderr, "snic-sim: --host '%s': %s\n", spec, why);
	return -1;
}

int netopt_host(struct netopt *o, const char *spec)
{
	char buf[256], *save = NULL;
	uint8_t mac[6], ip[4], dmac[6] = { 0 }, dip[4] = { 0 };
	uint64_t every = 0;
	unsigned long len = 128;
	int have_to = 0, echo = 0;

	if (o->n_hosts == NETOPT_MAX_HOSTS)
		return bad_host(spec, "too many hosts");
	if (strlen(spec) >= sizeof(buf))
		return bad_host(spec, "too long");
	strcpy(buf, spec);
	char *m = strtok_r(buf, ",", &save), *i = strtok_r(NULL, ",", &save);
	if (!m || !i || parse_mac(m, mac) || (mac[0] & 1) || parse_ip(i, ip))
		return bad_host(spec, "want MAC,IP first (a unicast MAC)");
	for (char *t = strtok_r(NULL, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (!strncmp(t, "to=", 3)) {
			char *at = strchr(t + 3, '@');
			if (!at)
				return bad_host(spec, "to=MAC@IP");
			*at = '\0';
			if (parse_mac(t + 3, dmac) || parse_ip(at + 1, dip))
				return bad_host(spec, "to=MAC@IP");
			have_to = 1;
		} else if (!strncmp(t, "every=", 6)) {
			if (fault_parse_time(t + 6, &every) || every == 0)
				return bad_host(spec, "every=TIME (e.g. 10us)");
		} else if (!strncmp(t, "len=", 4)) {
			char *end;
			errno = 0;
			len = strtoul(t + 4, &end, 10);
			if (errno || *end || len < 74 || len > 9000)
				return bad_host(spec, "len=74..9000");
		} else if (!strcmp(t, "echo")) {
			echo = 1;
		} else {
			return bad_host(spec, "unknown field (to=, every=, len=, echo)");
		}
	}
	if (have_to != (every != 0))
		return bad_host(spec, "a flow needs both to= and every=");
	struct exthost *h = &o->host[o->n_hosts];
	exthost_init(h, mac, ip);
	h->echo = echo;
	if (have_to && exthost_add_flow(h, dmac, dip, EXTHOST_ECHO_PORT, (uint32_t)len, 0,
					every, 0) < 0)
		return bad_host(spec, "bad flow");
	o->n_hosts++;
	o->want_switch = 1;
	return 0;
}

int netopt_aging(struct netopt *o, const char *arg)
{
	uint64_t t;
	if (fault_parse_time(arg, &t) || t == 0) {
		fprintf(stderr, "snic-sim: --mac-aging '%s': want a time like 300s\n", arg);
		return -1;
	}
	o->cfg.aging_ns = t;
	return 0;
}

int netopt_fault(struct netopt *o, const char *spec)
{
	if (o->n_fault_specs == sizeof(o->fault_spec) / sizeof(o->fault_spec[0])) {
		fprintf(stderr, "snic-sim: too many --fault\n");
		return -1;
	}
	o->fault_spec[o->n_fault_specs++] = spec;
	return 0;
}

int netopt_setup(struct netopt *o, struct nic *n)
{
	unsigned n_up = n->prof.hw.n_uplinks;
	char err[128];

	if (o->faults_path && fault_load(&o->plan, o->faults_path, n_up) < 0)
		return -1;
	for (unsigned i = 0; i < o->n_fault_specs; i++) {
		if (fault_parse_line(&o->plan, o->fault_spec[i], n_up, err, sizeof(err)) < 0) {
			fprintf(stderr, "snic-sim: --fault '%s': %s\n", o->fault_spec[i], err);
			return -1;
		}
	}
	if (o->plan.n)
		n->faults = &o->plan;
	if (!o->want_switch)
		return 0;
	if (sw_init(&o->sw, &o->cfg, n, n_up) < 0) {
		fprintf(stderr, "snic-sim: out of memory\n");
		return -1;
	}
	o->sw_up = 1;
	for (unsigned i = 0; i < o->n_hosts; i++)
		if (sw_attach_host(&o->sw, &o->host[i]) < 0) {
			fprintf(stderr, "snic-sim: the switch has no free port\n");
			return -1;
		}
	n->sw = &o->sw;
	return 0;
}

void netopt_summary(const struct netopt *o, const struct nic *n, FILE *f)
{
	if (o->plan.n)
		fprintf(f, "snic-sim: faults: %llu of %u applied\n",
			(unsigned long long)o->plan.applied, o->plan.n);
	for (unsigned i = 0; i < n->prof.hw.n_uplinks; i++) {
		const struct nic_uplink *u = &n->up[i];
		if (u->link_changes || u->tx_refused || u->tx_lost_down || u->tx_lost_blackhole ||
		    u->rx_lost_wire || u->rx_lost_blackhole)
			fprintf(f, "snic-sim:   uplink %u link: %llu changes, tx refused %llu, "
				"tx lost down %llu, tx lost blackhole %llu, rx lost wire %llu, "
				"rx lost blackhole %llu\n", i,
				(unsigned long long)u->link_changes,
				(unsigned long long)u->tx_refused,
				(unsigned long long)u->tx_lost_down,
				(unsigned long long)u->tx_lost_blackhole,
				(unsigned long long)u->rx_lost_wire,
				(unsigned long long)u->rx_lost_blackhole);
	}
	if (!o->sw_up)
		return;
	const struct sw *s = &o->sw;
	for (unsigned p = 0; p < s->n_ports; p++) {
		const struct sw_port_stats *ps = &s->port[p];
		fprintf(f, "snic-sim:   switch port %u (%s): rx %llu tx %llu flooded %llu "
			"filtered %llu lost: down %llu wire %llu/%llu blackhole %llu\n", p,
			p < s->n_uplinks ? "uplink" : "host",
			(unsigned long long)ps->rx_frames, (unsigned long long)ps->tx_frames,
			(unsigned long long)ps->flooded, (unsigned long long)ps->filtered,
			(unsigned long long)ps->lost_down, (unsigned long long)ps->lost_wire_in,
			(unsigned long long)ps->lost_wire,
			(unsigned long long)ps->lost_blackhole);
	}
	for (unsigned i = 0; i < o->n_hosts; i++) {
		const struct exthost *h = &o->host[i];
		fprintf(f, "snic-sim:   host %u: sent %llu received %llu echoed %llu other %llu\n",
			i, (unsigned long long)h->tx_frames, (unsigned long long)h->rx_frames,
			(unsigned long long)h->echoed, (unsigned long long)h->rx_other);
	}
}

void netopt_fini(struct netopt *o, struct nic *n)
{
	if (n->sw == &o->sw)
		n->sw = NULL;
	if (n->faults == &o->plan)
		n->faults = NULL;
	if (o->sw_up)
		sw_fini(&o->sw);
	o->sw_up = 0;
	fault_plan_free(&o->plan);
}
