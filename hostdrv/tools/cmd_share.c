/* SPDX-License-Identifier: MIT */
/*
 * snicctl vnic share: a VNIC's share of its uplink or bond.
 *
 *   vnic share ID --weight N [--min RATE] [--prio P]   set it
 *   vnic share ID --min RATE [--prio P]                a minimum only
 *   vnic share ID --off                                remove it
 *   vnic share ID                                      show what the device made of it
 */
#include <string.h>
#include "snicctl.h"

static void show_json(struct ctl *c, const struct snic_vnic_share_info *s)
{
	struct json *j = &c->j;

	json_obj_begin(j, NULL);
	json_uint(j, "vnic", s->vnic);
	json_uint(j, "uplink", s->uplink);
	json_uint(j, "weight", s->weight);
	json_uint(j, "prio", s->prio);
	json_uint(j, "min_bps", s->min_bps);
	json_bool(j, "set", s->flags & SNIC_SHAREF_SET);
	json_bool(j, "active", s->flags & SNIC_SHAREF_ACTIVE);
	json_bool(j, "backlogged", s->flags & SNIC_SHAREF_BACKLOG);
	json_uint(j, "capacity_bps", s->capacity_bps);
	json_uint(j, "used_bps", s->used_bps);
	json_uint(j, "demand_bps", s->demand_bps);
	json_uint(j, "alloc_bps", s->alloc_bps);
	json_uint(j, "rate_bps", s->rate_bps);
	json_uint(j, "splits", s->splits);
	json_obj_end(j);
	json_done(j);
}

static void show_text(const struct snic_vnic_share_info *s)
{
	char min[32], cap[32], used[32], alloc[32], rate[32];

	snic_fmt_rate(min, sizeof(min), s->min_bps);
	snic_fmt_rate(cap, sizeof(cap), s->capacity_bps);
	snic_fmt_rate(used, sizeof(used), s->used_bps);
	snic_fmt_rate(alloc, sizeof(alloc), s->alloc_bps);
	snic_fmt_rate(rate, sizeof(rate), s->rate_bps);
	printf("vnic %u: weight %u%s, min %s, prio %u on uplink %u%s\n", s->vnic, s->weight,
	       s->flags & SNIC_SHAREF_SET ? "" : " (default)", min, s->prio,
	       s->uplink & SNIC_UPLINK_BOND ? s->uplink & ~SNIC_UPLINK_BOND : s->uplink,
	       s->uplink & SNIC_UPLINK_BOND ? " (bond)" : "");
	if (!(s->flags & SNIC_SHAREF_ACTIVE)) {
		printf("  not split: no VNIC on its uplink/bond has a share\n");
		return;
	}
	printf("  capacity %s, used %s%s, allocated %s, limit %s (split %u times)\n", cap,
	       used, s->flags & SNIC_SHAREF_BACKLOG ? " (backlogged)" : "", alloc, rate,
	       s->splits);
}

int cmd_vnic_share(struct ctl *c, int argc, char **argv)
{
	unsigned long id, v;
	uint64_t min = 0;
	uint16_t weight = 0;
	uint8_t prio = 0;
	int off = 0, any = 0, have_weight = 0;
	char err[160];

	if (argc < 3)
		return ctl_usage("vnic share needs a VNIC id");
	if (ctl_uint("vnic id", argv[2], 0, 0xfffe, &id))
		return EXIT_USAGE;
	for (int i = 3; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--off")) {
			off = 1;
			continue;
		}
		const char *s = ctl_optval(argc, argv, &i);
		any = 1;
		if (!strcmp(a, "--weight")) {
			if (ctl_uint("--weight", s, 0, 65535, &v))
				return EXIT_USAGE;
			weight = (uint16_t)v;
			have_weight = 1;
		} else if (!strcmp(a, "--prio")) {
			if (ctl_uint("--prio", s, 0, SNIC_SHARE_PRIO_MAX, &v))
				return EXIT_USAGE;
			prio = (uint8_t)v;
		} else if (!strcmp(a, "--min")) {
			if (!s)
				return ctl_usage("--min needs a rate (e.g. 100M)");
			/* Syntax here; the device's range is checked by the library. */
			if (snic_arg_rate(s, 1, UINT64_MAX, &min, err, sizeof(err)))
				return ctl_usage("--min: %s", err);
		} else {
			return ctl_usage("vnic share: unknown option '%s'", a);
		}
	}
	if (off && any)
		return ctl_usage("vnic share: --off takes no other option");
	if (any && !have_weight && !min)
		return ctl_usage("vnic share needs --weight N or --min RATE (or --off)");
	if (have_weight && !weight && !min)
		return ctl_usage("vnic share: weight 0 needs a --min (use --off to remove)");
	struct snic_dev *d = ctl_dev(c);
	if (off || any) {
		int rc = snic_vnic_share(d, (uint16_t)id, weight, min, prio);
		if (rc == SNIC_ERR_ARG) {
			fprintf(stderr, "snicctl: vnic share: %s\n", snic_errmsg(d));
			return EXIT_USAGE;
		}
		if (rc)
			return ctl_fail(c, "vnic share");
	}
	struct snic_vnic_share_info info;
	if (snic_vnic_share_query(d, (uint16_t)id, &info))
		return ctl_fail(c, "vnic share");
	if (c->json)
		show_json(c, &info);
	else
		show_text(&info);
	return 0;
}
