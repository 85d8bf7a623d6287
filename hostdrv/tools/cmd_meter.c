/* SPDX-License-Identifier: MIT */
/*
 * snicctl meter set|show: RX policers (srTCM, trTCM, RFC 4115) that rules
 * name with --meter; snicctl vnic rate: a VNIC's TX shaper. Rates take
 * units (1M, 2.5G, 400G), bursts bytes (1500, 64k, 1Mi). The device keeps
 * no readable copy of its meters, so `show` prints the host mirror.
 */
#include <string.h>
#include "snicctl.h"

static const char *mode_name(const struct snic_meter_set *m)
{
	if (m->mode == SNIC_METER_SHAPER)
		return "shaper";
	if (m->mode == SNIC_METER_SRTCM)
		return "srtcm";
	return m->flags & SNIC_METERF_RFC4115 ? "rfc4115" : "trtcm";
}

void ctl_json_meter(struct json *j, const struct snic_meter_set *m)
{
	int shaper = m->mode == SNIC_METER_SHAPER;

	json_uint(j, shaper ? "vnic" : "policer", m->meter);
	json_str(j, "mode", mode_name(m));
	json_uint(j, shaper ? "avg_bps" : "cir_bps", m->cir_bps);
	json_uint(j, shaper ? "burst" : "cbs", m->cbs);
	if (m->eir_bps || !shaper) {
		json_uint(j, shaper ? "peak_bps" : m->mode == SNIC_METER_TRTCM &&
			  !(m->flags & SNIC_METERF_RFC4115) ? "pir_bps" : "eir_bps", m->eir_bps);
		json_uint(j, shaper ? "peak_burst" : m->mode == SNIC_METER_TRTCM &&
			  !(m->flags & SNIC_METERF_RFC4115) ? "pbs" : "ebs", m->ebs);
	}
	json_str(j, "accounting", m->flags & SNIC_METERF_WIRE ? "wire" : "l2");
	if (!shaper)
		json_str(j, "red", m->flags & SNIC_METERF_MARK ? "mark" : "drop");
}

void ctl_print_meter(const struct snic_meter_set *m)
{
	char a[32], b[32];
	int shaper = m->mode == SNIC_METER_SHAPER;
	int peak = m->mode == SNIC_METER_TRTCM && !(m->flags & SNIC_METERF_RFC4115);

	snic_fmt_rate(a, sizeof(a), m->cir_bps);
	if (shaper)
		printf("vnic %u shaper: average %s bit/s, burst %u B", m->meter, a, m->cbs);
	else
		printf("policer %u: %s, CIR %s bit/s, CBS %u B", m->meter, mode_name(m), a, m->cbs);
	if (m->eir_bps) {
		snic_fmt_rate(b, sizeof(b), m->eir_bps);
		printf(", %s %s bit/s, %s %u B", shaper ? "peak" : peak ? "PIR" : "EIR", b,
		       shaper ? "peak burst" : peak ? "PBS" : "EBS", m->ebs);
	} else if (!shaper && m->ebs) {
		printf(", EBS %u B", m->ebs);
	}
	printf(", %s bytes", m->flags & SNIC_METERF_WIRE ? "wire" : "L2");
	if (!shaper)
		printf(", red %s", m->flags & SNIC_METERF_MARK ? "marked" : "dropped");
	printf("\n");
}

static int parse_rate(const char *opt, const char *s, uint64_t *out)
{
	char err[160];

	if (!s)
		return ctl_usage("%s needs a rate (e.g. 100M)", opt);
	/* Syntax here; the device's range is checked against its capabilities. */
	if (snic_arg_rate(s, 1, UINT64_MAX, out, err, sizeof(err)))
		return ctl_usage("%s: %s", opt, err);
	return 0;
}

static int parse_bytes(const char *opt, const char *s, uint32_t *out)
{
	char err[160];
	uint64_t v;

	if (!s)
		return ctl_usage("%s needs a size in bytes (e.g. 64k)", opt);
	if (snic_arg_bytes(s, 1, SNIC_METER_BURST_MAX, &v, err, sizeof(err)))
		return ctl_usage("%s: %s", opt, err);
	*out = (uint32_t)v;
	return 0;
}

/* Apply a policer and report; local refusals (SNIC_ERR_ARG) are usage errors: nothing was sent. */
static int apply(struct ctl *c, const struct snic_meter_set *m, const char *what)
{
	struct snic_dev *d = ctl_dev(c);
	int rc = snic_meter_set(d, m);

	if (rc == SNIC_ERR_ARG) {
		fprintf(stderr, "snicctl: %s: %s\n", what, snic_errmsg(d));
		return EXIT_USAGE;
	}
	if (rc == SNIC_E_RANGE && m->meter >= snic_caps(d)->meters.count) {
		fprintf(stderr, "snicctl: %s: meter %u: beyond the device's meters (0..%u) "
			"(SNIC_E_RANGE)\n", what, m->meter, snic_caps(d)->meters.count - 1u);
		return EXIT_DEVICE;
	}
	if (rc)
		return ctl_fail(c, what);
	if (c->json) {
		json_obj_begin(&c->j, NULL);
		ctl_json_meter(&c->j, m);
		json_obj_end(&c->j);
		json_done(&c->j);
	} else {
		ctl_print_meter(m);
	}
	return 0;
}

static int meter_set(struct ctl *c, int argc, char **argv)
{
	struct snic_meter_set m;
	unsigned long id;
	const char *mode = NULL;
	int have_cbs = 0;

	if (argc < 3)
		return ctl_usage("meter set needs a policer id");
	if (ctl_uint("policer id", argv[2], 0, 0xfffe, &id))
		return EXIT_USAGE;
	memset(&m, 0, sizeof(m));
	m.meter = (uint16_t)id;
	for (int i = 3; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--wire")) {
			m.flags |= SNIC_METERF_WIRE;
			continue;
		}
		if (!strcmp(a, "--mark")) {
			m.flags |= SNIC_METERF_MARK;
			continue;
		}
		const char *s = ctl_optval(argc, argv, &i);
		int rc = 0;
		if (!strcmp(a, "--mode")) {
			if (!(mode = s))
				return ctl_usage("--mode needs srtcm, trtcm or rfc4115");
		} else if (!strcmp(a, "--cir")) {
			rc = parse_rate(a, s, &m.cir_bps);
		} else if (!strcmp(a, "--eir") || !strcmp(a, "--pir")) {
			rc = parse_rate(a, s, &m.eir_bps);
		} else if (!strcmp(a, "--cbs")) {
			rc = parse_bytes(a, s, &m.cbs);
			have_cbs = 1;
		} else if (!strcmp(a, "--ebs") || !strcmp(a, "--pbs")) {
			rc = parse_bytes(a, s, &m.ebs);
		} else {
			return ctl_usage("meter set: unknown option '%s'", a);
		}
		if (rc)
			return rc;
	}
	if (!mode)
		return ctl_usage("meter set needs --mode srtcm|trtcm|rfc4115");
	if (!strcmp(mode, "srtcm")) {
		m.mode = SNIC_METER_SRTCM;
		if (m.eir_bps)
			return ctl_usage("meter set: srtcm has one rate (--cir); --ebs is its excess burst");
	} else if (!strcmp(mode, "trtcm")) {
		m.mode = SNIC_METER_TRTCM;
		if (!m.eir_bps || !m.ebs)
			return ctl_usage("meter set: trtcm needs --pir RATE and --pbs BYTES");
	} else if (!strcmp(mode, "rfc4115")) {
		m.mode = SNIC_METER_TRTCM;
		m.flags |= SNIC_METERF_RFC4115;
		if (!m.eir_bps != !m.ebs)
			return ctl_usage("meter set: rfc4115 takes --eir RATE and --ebs BYTES together");
	} else {
		return ctl_usage("meter set: unknown mode '%s' (srtcm, trtcm or rfc4115)", mode);
	}
	if (!m.cir_bps || !have_cbs)
		return ctl_usage("meter set needs --cir RATE and --cbs BYTES");
	return apply(c, &m, "meter set");
}

static int meter_show(struct ctl *c, int argc, char **argv)
{
	const struct snic_mirror *mi;
	unsigned long id = 0;
	int one = argc == 3;

	if (argc > 3)
		return ctl_usage("meter show takes at most one policer id");
	if (one && ctl_uint("policer id", argv[2], 0, SNIC_MIRROR_MAX_POLICERS - 1, &id))
		return EXIT_USAGE;
	struct snic_dev *d = ctl_dev(c);
	if (snic_mirror_get(d, &mi))
		return ctl_fail(c, "meter show");
	if (one && !mi->policer[id].mode) {
		fprintf(stderr, "snicctl: meter show: policer %lu is not configured "
			"(by this host)\n", id);
		return EXIT_DEVICE;
	}
	if (c->json)
		json_arr_begin(&c->j, NULL);
	for (unsigned i = 0; i < SNIC_MIRROR_MAX_POLICERS; i++) {
		if (!mi->policer[i].mode || (one && i != id))
			continue;
		if (c->json) {
			json_obj_begin(&c->j, NULL);
			ctl_json_meter(&c->j, &mi->policer[i]);
			json_obj_end(&c->j);
		} else {
			ctl_print_meter(&mi->policer[i]);
		}
	}
	if (c->json) {
		json_arr_end(&c->j);
		json_done(&c->j);
	}
	return 0;
}

int cmd_meter(struct ctl *c, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "set"))
		return meter_set(c, argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "show"))
		return meter_show(c, argc, argv);
	return ctl_usage("meter needs set or show");
}

/* snicctl vnic rate ID (--avg RATE --burst BYTES [--peak RATE] [--peak-burst BYTES] [--wire] | --off) */
int cmd_vnic_rate(struct ctl *c, int argc, char **argv)
{
	struct snic_vnic_rate r;
	unsigned long id;
	int off = 0, have_burst = 0;

	if (argc < 3)
		return ctl_usage("vnic rate needs a VNIC id");
	if (ctl_uint("vnic id", argv[2], 0, 0xfffe, &id))
		return EXIT_USAGE;
	memset(&r, 0, sizeof(r));
	for (int i = 3; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--wire")) {
			r.wire = 1;
			continue;
		}
		if (!strcmp(a, "--off")) {
			off = 1;
			continue;
		}
		const char *s = ctl_optval(argc, argv, &i);
		int rc;
		if (!strcmp(a, "--avg")) {
			rc = parse_rate(a, s, &r.avg_bps);
		} else if (!strcmp(a, "--peak")) {
			rc = parse_rate(a, s, &r.peak_bps);
		} else if (!strcmp(a, "--burst")) {
			rc = parse_bytes(a, s, &r.burst);
			have_burst = 1;
		} else if (!strcmp(a, "--peak-burst")) {
			rc = parse_bytes(a, s, &r.peak_burst);
		} else {
			return ctl_usage("vnic rate: unknown option '%s'", a);
		}
		if (rc)
			return rc;
	}
	if (off) {
		if (r.avg_bps || r.peak_bps || have_burst || r.peak_burst || r.wire)
			return ctl_usage("vnic rate: --off takes no other option");
	} else {
		if (!r.avg_bps || !have_burst)
			return ctl_usage("vnic rate needs --avg RATE and --burst BYTES (or --off)");
		if (r.peak_burst && !r.peak_bps)
			return ctl_usage("vnic rate: --peak-burst needs --peak");
	}
	struct snic_dev *d = ctl_dev(c);
	int rc = snic_vnic_rate(d, (uint16_t)id, &r);
	if (rc == SNIC_ERR_ARG) {
		fprintf(stderr, "snicctl: vnic rate: %s\n", snic_errmsg(d));
		return EXIT_USAGE;
	}
	if (rc == SNIC_E_NOENT || rc == SNIC_E_RANGE) {
		fprintf(stderr, "snicctl: vnic rate: vnic %lu: %s (%s)\n", id, rc == SNIC_E_NOENT ?
			"no such VNIC" : "--burst and --peak-burst must each hold the largest "
			"frame (the rings' buf_max) and the rates be in the device's range",
			snic_status_name((unsigned)rc));
		return EXIT_DEVICE;
	}
	if (rc)
		return ctl_fail(c, "vnic rate");
	/* Print what the device accepted (the default peak burst included). */
	const struct snic_mirror *mi;
	struct snic_meter_set shown;
	memset(&shown, 0, sizeof(shown));
	shown.meter = (uint16_t)id;
	shown.mode = SNIC_METER_SHAPER;
	if (!off && snic_mirror_get(d, &mi) == 0 && id < SNIC_MIRROR_MAX_VNICS &&
	    mi->shaper[id].mode) {
		shown = mi->shaper[id];
	} else if (!off) {
		shown.flags = r.wire ? SNIC_METERF_WIRE : 0;
		shown.cir_bps = r.avg_bps;
		shown.cbs = r.burst;
		shown.eir_bps = r.peak_bps;
		shown.ebs = r.peak_burst;
	}
	if (c->json) {
		json_obj_begin(&c->j, NULL);
		if (off) {
			json_uint(&c->j, "vnic", id);
			json_str(&c->j, "mode", "none");
		} else {
			ctl_json_meter(&c->j, &shown);
		}
		json_obj_end(&c->j);
		json_done(&c->j);
	} else if (off) {
		printf("vnic %lu shaper removed\n", id);
	} else {
		ctl_print_meter(&shown);
	}
	return 0;
}
