/* SPDX-License-Identifier: MIT */
/*
 * The main job's plot: per-VM throughput over virtual time with the
 * events marked, drawn by gnuplot (Debian's gnuplot-nox) as PNG and SVG
 * from a data file and a script left beside them (so it can be redrawn).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "scenario.h"

/* VM i's booking at time t: the last booking event before t that held. */
static uint64_t booked_at(const struct sc *s, unsigned i, uint64_t t)
{
	uint64_t b = s->vm[i].booked0;
	for (unsigned e = 0; e < s->n_ev; e++)
		if (s->ev[e].kind == SC_EV_BOOK && s->ev[e].arg == i && s->ev[e].at_ns <= t &&
		    !s->ev[e].hook_rc)
			b = s->ev[e].value;
	return b;
}

static int write_data(const struct sc *s, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "# time_ms");
	for (unsigned i = 0; i < s->n_vms; i++)
		fprintf(f, " %s_gbps", s->vm[i].name);
	for (unsigned i = 0; i < s->n_vms; i++)
		fprintf(f, " %s_booked_gbps", s->vm[i].name);
	fprintf(f, "\n");
	for (uint64_t b = 0; b < SC_BINS && (b + 1) * s->bin_ns <= s->end_ns; b++) {
		fprintf(f, "%.4f", (double)(b * s->bin_ns + s->bin_ns / 2) / 1e6);
		for (unsigned i = 0; i < s->n_vms; i++)
			fprintf(f, " %.4f", (double)s->vm[i].bin[b] * 8 / (double)s->bin_ns);
		for (unsigned i = 0; i < s->n_vms; i++)
			fprintf(f, " %.4f", (double)booked_at(s, i, b * s->bin_ns) / 1e9);
		fprintf(f, "\n");
	}
	return fclose(f);
}

static int write_script(const struct sc *s, const char *path, const char *dat,
			const char *png, const char *svg)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "# gnuplot %s  (written by snic-mainjob)\n", path);
	fprintf(f, "set title 'snic main job: per-VM transmit throughput (%s profile, "
		"2 x %.0f Gbit/s bond)'\n", s->nic.prof.hw.profile, (double)s->link_bps / 1e9);
	fprintf(f, "set xlabel 'simulated time (ms)'\nset ylabel 'Gbit/s on the wire'\n"
		"set key outside right\nset grid\nset yrange [0:*]\n");
	fprintf(f, "set xrange [0:%.3f]\n", (double)s->end_ns / 1e6);
	for (unsigned e = 0; e < s->n_ev; e++) {
		double x = (double)s->ev[e].at_ns / 1e6;
		fprintf(f, "set arrow from %.3f, graph 0 to %.3f, graph 1 nohead dt 2 lc rgb 'gray40'\n",
			x, x);
		fprintf(f, "set label %u \"%s\" at %.3f, graph %.2f rotate by 90 right font ',8'\n",
			e + 1, s->ev[e].label, x, 0.98);
	}
	for (int t = 0; t < 2; t++) {
		fprintf(f, t ? "set terminal svg size 1100,560 dynamic\nset output '%s'\n" :
			"set terminal pngcairo size 1100,560\nset output '%s'\n", t ? svg : png);
		/* Each VM's rate (solid) and its booking (dashed, same colour). */
		fprintf(f, "plot ");
		for (unsigned i = 0; i < s->n_vms; i++)
			fprintf(f, "%s'%s' using 1:%u with steps lw 2 lc %u title '%s'",
				i ? ", " : "", dat, i + 2, i + 1, s->vm[i].name);
		for (unsigned i = 0; i < s->n_vms; i++)
			fprintf(f, ", '%s' using 1:%u with steps lw 1 dt 2 lc %u title '%s'", dat,
				s->n_vms + i + 2, i + 1, i ? "" : "booked (dashed)");
		fprintf(f, "\nunset output\n");
	}
	return fclose(f);
}

/* Fills png and svg with their paths when drawn; 0 or -1. */
int sc_plot(struct sc *s, char *png, char *svg, size_t len)
{
	char dat[512], gp[512], p[512], v[512];
	snprintf(dat, sizeof(dat), "%s/throughput.dat", s->cfg.outdir);
	snprintf(gp, sizeof(gp), "%s/throughput.gp", s->cfg.outdir);
	snprintf(p, sizeof(p), "%s/throughput.png", s->cfg.outdir);
	snprintf(v, sizeof(v), "%s/throughput.svg", s->cfg.outdir);
	if (write_data(s, dat) || write_script(s, gp, dat, p, v))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		if (s->log)
			dup2(fileno(s->log), 2);
		execlp("gnuplot", "gnuplot", gp, (char *)NULL);
		_exit(127);
	}
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		sc_note(s, "plot: gnuplot failed or is missing (Debian gnuplot-nox); data in %s",
			dat);
		return -1;
	}
	snprintf(png, len, "%s", p);
	snprintf(svg, len, "%s", v);
	return 0;
}
