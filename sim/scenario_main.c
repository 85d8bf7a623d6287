/* SPDX-License-Identifier: MIT */
/*
 * snic-mainjob: the main job's scenario (make run; docs/main-job.md).
 * tools/demo.sh wraps it: etcd, the booking agent and snicctl act through
 * the --hook command at the operator's events.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "fault.h"
#include "profile.h"
#include "scenario.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: snic-mainjob --out DIR [options]\n"
"  --profile NAME   large (default) or small (the software-ring fallback)\n"
"  --window PATH    device window the tools attach to (default /dev/shm/snic-run-PID)\n"
"  --hook CMD       run 'CMD start|book|rule-add|rule-del ARGS' at the operator's\n"
"                   events, the virtual clock frozen meanwhile (tools/run/hook.sh);\n"
"                   without it the driver sets the bookings itself, no rules\n"
"  --step TIME      timeline unit (default 20ms; the run is 13 steps)\n"
"  --short          a short run (--step 3ms), for the tests\n"
"  --json           the report as JSON on stdout (no live view)\n"
"  --plain          plain progress lines even on a terminal\n"
"  --tap            VMs on TAPs snic-vm1..4, uplink 0 on TAP snic-ext0 (root; the\n"
"                   wrapper tools/run/tap.sh puts them in namespaces); serves\n"
"                   until SIGTERM, then reports\n");
}

static void label(char *buf, size_t len, const char *fmt, double a, double b)
{
	snprintf(buf, len, fmt, a, b);
}

static void timeline(struct sc *s)
{
	uint64_t S = s->cfg.step_ns;
	double g = (double)s->link_bps / 1e9;
	char l[48];
	/* Above what an equal split gives it (a quarter of the bond), so the
	 * new minimum shows; all minimums still fit one uplink (failover). */
	label(l, sizeof(l), "booking: vm2 %.0fG -> %.0fG", 0.1 * g, 0.65 * g);
	sc_add_event(s, 2 * S, SC_EV_BOOK, 1, s->link_bps / 1000 * 650, l);
	sc_add_event(s, 4 * S, SC_EV_RULE_ADD, 0, 0, "n-tuple rule: drop UDP 9999");
	sc_add_event(s, 6 * S, SC_EV_RULE_DEL, 0, 0, "n-tuple rule removed");
	sc_add_event(s, 7 * S, SC_EV_LINK_DOWN, 1, 0, "uplink 1 cable pulled");
	sc_add_event(s, 9 * S, SC_EV_LINK_UP, 1, 0, "uplink 1 back");
	sc_add_event(s, 11 * S, SC_EV_FLOOD, 3, 0, "vm4 floods 64-byte frames");
	sc_add_event(s, 13 * S, SC_EV_END, 0, 0, "end");
}

/* Options into c: 0 go on, 1 stop with exit 0 (--help), -1 exit 1. */
static int parse(int argc, char **argv, struct sc_config *c)
{
	static const struct option opts[] = {
		{ "profile", required_argument, 0, 'p' }, { "window", required_argument, 0, 'w' },
		{ "hook", required_argument, 0, 'k' },    { "out", required_argument, 0, 'o' },
		{ "step", required_argument, 0, 's' },    { "short", no_argument, 0, 'S' },
		{ "json", no_argument, 0, 'j' },          { "plain", no_argument, 0, 'P' },
		{ "tap", no_argument, 0, 'T' },           { "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 }
	};
	int o, plain = 0;
	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 'p': c->profile = optarg; break;
		case 'w': c->window = optarg; break;
		case 'k': c->hook = optarg; break;
		case 'o': c->outdir = optarg; break;
		case 's':
			if (fault_parse_time(optarg, &c->step_ns) || c->step_ns < 1000000) {
				fprintf(stderr, "snic-mainjob: --step '%s': want a time of 1ms or more\n",
					optarg);
				return -1;
			}
			break;
		case 'S': c->step_ns = 3000000; break;
		case 'j': c->json = 1; break;
		case 'P': plain = 1; break;
		case 'T': c->tap = 1; break;
		case 'h': usage(stdout); return 1;
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc || !c->outdir) {
		usage(stderr);
		return -1;
	}
	struct sim_profile prof;
	if (sim_profile_get(c->profile, &prof) < 0) {
		fprintf(stderr, "snic-mainjob: unknown profile '%s' (have: %s)\n", c->profile,
			sim_profile_names());
		return -1;
	}
	c->live = !plain && !c->json && isatty(1);
	return 0;
}

int main(int argc, char **argv)
{
	static struct sc s;
	struct sc_config c = { "large", NULL, NULL, NULL, 20000000, 0, 1, 0 };
	char win[64], path[512], err[256] = "";
	int rc = parse(argc, argv, &c);
	if (rc)
		return rc < 0 ? 1 : 0;
	if (mkdir(c.outdir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "snic-mainjob: cannot create %s: %s\n", c.outdir, strerror(errno));
		return 1;
	}
	if (!c.window) {
		snprintf(win, sizeof(win), "/dev/shm/snic-run-%d", (int)getpid());
		c.window = win;
	}
	snprintf(path, sizeof(path), "%s/events.log", c.outdir);
	s.log = fopen(path, "w");
	if (sc_start(&s, &c, err, sizeof(err)) < 0) {
		fprintf(stderr, "snic-mainjob: %s\n", err);
		sc_stop(&s);
		unlink(c.window);
		return 1;
	}
	if (!c.tap)
		timeline(&s);
	if (!c.json && c.tap)
		printf("snic main job with real programs: %s profile, VMs on TAPs snic-vm1..%u "
		       "(VNICs 1-%u), uplink 0 on TAP snic-ext0; window %s\n",
		       s.nic.prof.hw.profile, s.n_vms, s.n_vms, c.window);
	else if (!c.json)
		printf("snic main job: %s profile, %u VMs (VNICs 1-%u), uplinks 0+1 bonded "
		       "(2 x %.0f Gbit/s) to a switch with hosts A and B; window %s\n",
		       s.nic.prof.hw.profile, s.n_vms, s.n_vms, (double)s.link_bps / 1e9, c.window);
	if (c.tap) {
		snprintf(path, sizeof(path), "%s/tap.ready", c.outdir);
		sc_run_tap(&s, path);
	} else {
		sc_run(&s);
	}
	rc = sc_report(&s, stdout, c.json);
	sc_stop(&s);
	unlink(c.window);
	if (s.log)
		fclose(s.log);
	return rc;
}
