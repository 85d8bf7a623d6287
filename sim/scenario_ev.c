/* SPDX-License-Identifier: MIT */
/*
 * The main job's operator events (scenario.h): the tools run through the
 * hook with the virtual clock frozen, the simulator's own events (a cable,
 * a flood) applied at once.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "fw.h"
#include "scenario.h"

/*
 * Run the hook (the operator's tool) with the clock frozen: only the
 * firmware's admin path and the host's receive rings are served, so the
 * change lands at this virtual instant whatever the tool's wall time.
 */
static int run_hook(struct sc *s, struct sc_event *e, const char *args)
{
	if (!s->cfg.hook) {
		snprintf(e->why, sizeof(e->why), "not run: no --hook");
		return e->hook_rc = -1;
	}
	char cmd[512], out[512];
	snprintf(cmd, sizeof(cmd), "%s %s", s->cfg.hook, args);
	snprintf(out, sizeof(out), "%s/hook.out", s->cfg.outdir);
	FILE *o = fopen(out, "w+");
	double t0 = sc_wall();
	pid_t pid = o ? fork() : -1;
	if (pid == 0) {
		dup2(fileno(o), 1);
		dup2(fileno(o), 2);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	int st = 0;
	while (pid > 0 && waitpid(pid, &st, WNOHANG) == 0) {
		for (int i = 0; i < 256; i++)
			fw_poll(s->nic.fw);
		sc_rx_poll(s);
		usleep(200);
	}
	e->hook_wall_s = sc_wall() - t0;
	e->hook_rc = pid < 0 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	/* What the tools said: the commands on screen, everything in the log. */
	char line[256];
	for (rewind(o); o && fgets(line, sizeof(line), o); ) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "$ ", 2) || !strncmp(line, "hook: ", 6)) {
			sc_note(s, "             %s", line);
			continue;
		}
		if (s->log)
			fprintf(s->log, "             %s\n", line);
		if (e->hook_rc && line[0])
			snprintf(e->why, sizeof(e->why), "%.100s", line);
	}
	if (o)
		fclose(o);
	return e->hook_rc;
}

/* Without a hook (no etcd, no agent): the driver sets the share itself,
 * as the agent would (docs/bookings.md: minimum, weight 1000). */
static int share_inproc(struct sc *s, const struct sc_vm *v, uint64_t min)
{
	char err[128];
	struct snic_vnic_share sh = { v->vnic, 1000, 0, 0, 0, min };
	if (sc_admin(s, SNIC_CMD_VNIC_SHARE, &sh, sizeof(sh), NULL, 0, "VNIC_SHARE", err,
		  sizeof(err)) == 0)
		return 0;
	sc_note(s, "  %s: %s", v->name, err);
	return -1;
}

/* The bookings in force before the traffic starts: the hook starts the
 * booking agent on the store holding them and returns once the device
 * holds every one. */
void sc_bookings_start(struct sc *s)
{
	struct sc_event *e = &s->start;
	char args[256];
	int n = snprintf(args, sizeof(args), "start");
	for (unsigned i = 0; i < s->n_vms; i++)
		n += snprintf(args + n, sizeof(args) - (size_t)n, " %u:%llu", s->vm[i].vnic,
			      (unsigned long long)s->vm[i].booked);
	snprintf(e->label, sizeof(e->label), "bookings in force");
	if (s->cfg.hook) {
		run_hook(s, e, args);
	} else {
		for (unsigned i = 0; i < s->n_vms; i++)
			e->hook_rc |= share_inproc(s, &s->vm[i], s->vm[i].booked);
	}
	sc_note(s, "[%8.3f ms] bookings in force (%s, %.2f s wall with the clock frozen)%s",
		(double)sc_now(s) / 1e6, s->cfg.hook ? "through the hook" : "set by the driver",
		e->hook_wall_s, e->hook_rc ? " -- FAILED, see the event log" : "");
}

void sc_fire(struct sc *s, struct sc_event *e)
{
	char args[160];
	struct sc_vm *v = &s->vm[e->arg < s->n_vms ? e->arg : 0];
	switch (e->kind) {
	case SC_EV_BOOK:
		snprintf(args, sizeof(args), "book %u %llu", v->vnic, (unsigned long long)e->value);
		e->hook_rc = s->cfg.hook ? run_hook(s, e, args) : share_inproc(s, v, e->value);
		if (e->hook_rc == 0)
			v->booked = e->value;
		break;
	case SC_EV_RULE_ADD:
		snprintf(args, sizeof(args), "rule-add %d", SC_RX_DROP_PORT);
		run_hook(s, e, args);
		break;
	case SC_EV_RULE_DEL:
		for (unsigned i = 0; i < s->n_ev; i++)
			if (s->ev[i].kind == SC_EV_RULE_ADD && s->ev[i].hook_rc) {
				snprintf(e->why, sizeof(e->why), "not run: no rule was added");
				e->hook_rc = -1;
			}
		if (!e->hook_rc)
			run_hook(s, e, "rule-del");
		break;
	case SC_EV_LINK_DOWN:
		s->fault_ns = sc_now(s);
		s->fault_up = e->arg;
		nic_link_set(&s->nic, e->arg, 0);
		break;
	case SC_EV_LINK_UP:
		s->healed_ns = sc_now(s);
		nic_link_set(&s->nic, e->arg, 1);
		break;
	case SC_EV_FLOOD:
		sc_vm_frames(v, 64, 0);
		break;
	}
	sc_note(s, "[%8.3f ms] %s%s%s%s", (double)e->at_ns / 1e6, e->label,
		e->hook_rc ? " -- " : "", e->hook_rc > 0 ? "FAILED: " : "", e->why);
}

