/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fault.h"
#include "nic.h"

#define MAX_TIME_NS (1000ull * 1000 * 1000 * 1000 * 1000) /* 1000 s */
#define MAX_FLAPS   100000u

void fault_plan_init(struct fault_plan *p)
{
	memset(p, 0, sizeof(*p));
}

void fault_plan_free(struct fault_plan *p)
{
	free(p->ev);
	memset(p, 0, sizeof(*p));
}

int fault_add(struct fault_plan *p, const struct fault_ev *e)
{
	if (p->n == p->cap) {
		uint32_t cap = p->cap ? 2 * p->cap : 64;
		struct fault_ev *ev = realloc(p->ev, cap * sizeof(*ev));
		if (!ev)
			return -1;
		p->ev = ev;
		p->cap = cap;
	}
	/* Insert after every event at the same or an earlier time. */
	uint32_t i = p->n;
	while (i > p->next && p->ev[i - 1].at_ns > e->at_ns) {
		p->ev[i] = p->ev[i - 1];
		i--;
	}
	p->ev[i] = *e;
	p->n++;
	return 0;
}

int fault_parse_time(const char *s, uint64_t *ns)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || !(v >= 0))
		return -1;
	double mult;
	if (!strcmp(end, "ns"))
		mult = 1;
	else if (!strcmp(end, "us"))
		mult = 1e3;
	else if (!strcmp(end, "ms"))
		mult = 1e6;
	else if (!strcmp(end, "s"))
		mult = 1e9;
	else
		return -1;
	double t = v * mult;
	if (t > (double)MAX_TIME_NS)
		return -1;
	*ns = (uint64_t)(t + 0.5);
	return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > max)
		return -1;
	*out = v;
	return 0;
}

int fault_parse_line(struct fault_plan *p, const char *line, unsigned max_uplinks,
		     char *err, size_t errlen)
{
	char buf[256], *tok[6];
	unsigned n = 0;

	if (strlen(line) >= sizeof(buf)) {
		snprintf(err, errlen, "line too long");
		return -1;
	}
	strcpy(buf, line);
	char *hash = strchr(buf, '#');
	if (hash)
		*hash = '\0';
	for (char *save = NULL, *t = strtok_r(buf, " \t\r\n", &save); t;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == 6) {
			snprintf(err, errlen, "too many words");
			return -1;
		}
		tok[n++] = t;
	}
	if (n == 0)
		return 0;
	if (n < 3) {
		snprintf(err, errlen, "expected TIME UPLINK ACTION");
		return -1;
	}
	struct fault_ev e = { 0 };
	unsigned long up;
	if (fault_parse_time(tok[0], &e.at_ns) < 0) {
		snprintf(err, errlen, "bad time '%s' (want e.g. 250us, 1.5ms)", tok[0]);
		return -1;
	}
	if (parse_uint(tok[1], 255, &up) < 0 || up >= max_uplinks) {
		snprintf(err, errlen, "uplink '%s' does not exist (have %u)", tok[1], max_uplinks);
		return -1;
	}
	e.uplink = (uint8_t)up;
	const char *a = tok[2];
	unsigned want_args = 0;
	if (!strcmp(a, "down")) {
		e.kind = FAULT_DOWN;
	} else if (!strcmp(a, "up")) {
		e.kind = FAULT_UP;
	} else if (!strcmp(a, "heal")) {
		e.kind = FAULT_HEAL;
	} else if (!strcmp(a, "txfull")) {
		e.kind = FAULT_TXFULL;
	} else if (!strcmp(a, "txok")) {
		e.kind = FAULT_TXOK;
	} else if (!strcmp(a, "blackhole")) {
		e.kind = FAULT_BLACKHOLE;
		e.dirs = NIC_BH_TX | NIC_BH_RX;
		if (n == 4) {
			want_args = 1;
			if (!strcmp(tok[3], "tx"))
				e.dirs = NIC_BH_TX;
			else if (!strcmp(tok[3], "rx"))
				e.dirs = NIC_BH_RX;
			else if (strcmp(tok[3], "both")) {
				snprintf(err, errlen, "blackhole direction '%s' (tx, rx or both)", tok[3]);
				return -1;
			}
		}
	} else if (!strcmp(a, "flap")) {
		uint64_t period;
		unsigned long count;
		if (n != 5 || fault_parse_time(tok[3], &period) < 0 || period == 0 ||
		    parse_uint(tok[4], MAX_FLAPS, &count) < 0 || count == 0) {
			snprintf(err, errlen, "flap needs PERIOD (>0, e.g. 100us) and COUNT (1..%u)",
				 MAX_FLAPS);
			return -1;
		}
		if (e.at_ns + 2 * period * count > MAX_TIME_NS) {
			snprintf(err, errlen, "flap runs past the end of time");
			return -1;
		}
		uint64_t t = e.at_ns;
		for (unsigned long i = 0; i < count; i++) {
			struct fault_ev d = { t, e.uplink, FAULT_DOWN, 0 };
			struct fault_ev u = { t + period, e.uplink, FAULT_UP, 0 };
			if (fault_add(p, &d) < 0 || fault_add(p, &u) < 0) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			t += 2 * period;
		}
		return (int)(2 * count);
	} else {
		snprintf(err, errlen, "unknown action '%s'", a);
		return -1;
	}
	if (n != 3 + want_args) {
		snprintf(err, errlen, "'%s' takes %s", a, want_args ? "one argument" : "no argument");
		return -1;
	}
	if (fault_add(p, &e) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 1;
}

int fault_load(struct fault_plan *p, const char *path, unsigned max_uplinks)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "snic-sim: %s: %s\n", path, strerror(errno));
		return -1;
	}
	char line[512], err[128];
	unsigned no = 0;
	int rc = 0;
	while (fgets(line, sizeof(line), f)) {
		no++;
		if (fault_parse_line(p, line, max_uplinks, err, sizeof(err)) < 0) {
			fprintf(stderr, "snic-sim: %s:%u: %s\n", path, no, err);
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

uint64_t fault_next_ns(const struct fault_plan *p)
{
	return p->next < p->n ? p->ev[p->next].at_ns : UINT64_MAX;
}

void fault_apply(struct nic *n, const struct fault_ev *e)
{
	switch (e->kind) {
	case FAULT_DOWN:      nic_link_set(n, e->uplink, 0); break;
	case FAULT_UP:        nic_link_set(n, e->uplink, 1); break;
	case FAULT_BLACKHOLE: nic_blackhole_set(n, e->uplink, e->dirs); break;
	case FAULT_HEAL:      nic_blackhole_set(n, e->uplink, 0); break;
	case FAULT_TXFULL:    nic_tx_refuse_set(n, e->uplink, 1); break;
	case FAULT_TXOK:      nic_tx_refuse_set(n, e->uplink, 0); break;
	default:              break;
	}
}

void fault_run(struct fault_plan *p, struct nic *n, uint64_t now)
{
	while (p->next < p->n && p->ev[p->next].at_ns <= now) {
		fault_apply(n, &p->ev[p->next++]);
		p->applied++;
	}
}
