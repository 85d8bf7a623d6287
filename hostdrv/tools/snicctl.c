/* SPDX-License-Identifier: MIT */
/*
 * snicctl: the configuration tool of the snic device.
 *
 *   snicctl [-d WINDOW] [--json] [--timeout MS] COMMAND ...
 *
 * The window defaults to $SNIC_DEV, else /dev/shm/snic0. Arguments are
 * checked before anything is sent; errors name the device status.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "snicctl.h"

static void usage(FILE *f)
{
	fputs(
"usage: snicctl [-d WINDOW] [--state FILE] [--json] [--timeout MS] COMMAND\n"
"  caps                               capabilities (standardized format)\n"
"  vnic add --mac M [--vlan V] [--ip A]... [--uplink N] [--id N] [--sw-only]\n"
"  vnic del ID | vnic show ID         (del moves a shared-ring VNIC to the\n"
"                                     freed HRR)\n"
"  vnic promote                       move a shared-ring VNIC to a free HRR\n"
"  vnic rate ID --avg RATE --burst BYTES [--peak RATE] [--peak-burst BYTES]\n"
"           [--wire] | vnic rate ID --off      TX shaper (frames wait)\n"
"  vnic share ID --weight N [--min RATE] [--prio 0-7] | --off | (show)\n"
"                                     share of its uplink/bond (split every 1 ms)\n"
"  vnic mac ID MAC [--operator]       change its MAC (--operator: even if locked)\n"
"  vnic vlans ID [VID]...             its VLAN membership (replaced; none: empty)\n"
"  vnic rxmode ID [--allmulti] [--promisc] [--mc MAC]...\n"
"                                     receive mode and multicast list (replaced;\n"
"                                     --promisc needs a trusted VNIC)\n"
"  vnic policy ID [--trusted on|off] [--mac-lock on|off]   operator policy\n"
"  vnic port-vlan ID VID|none [--pcp N]  operator port VLAN: the device tags\n"
"                                     and strips, the VNIC sends untagged\n"
"  vnic l2 [ID]                       L2 state as the device holds it (all VNICs)\n"
"  meter set ID --mode srtcm|trtcm|rfc4115 --cir RATE --cbs BYTES\n"
"           [--eir|--pir RATE] [--ebs|--pbs BYTES] [--wire] [--mark]\n"
"  meter show [ID]                    RX policers (rules name them with --meter)\n"
"  rule add flow-type T [FIELD V [m MASK]]... (action N|action -1|vf ID [queue R])\n"
"           [meter ID] [loc N] [malformed]   ethtool's n-tuple words (as ethtool -N)\n"
"  rule add [--loc N] [--dst-mac M[/mask]] [--src-mac M[/mask]] [--vlan V]\n"
"           [--ethertype T] [--proto tcp|udp|icmp|N] [--src-ip A[/len]]\n"
"           [--dst-ip A[/len]] [--sport P] [--dport P] [--port N]\n"
"           (--vnic ID [--meter ID] | --drop) [--ring R]\n"
"  rule del LOC | rule show LOC\n"
"  port up|down N                     administrative state of an uplink\n"
"  team set B --members 0,1 [--roles active,standby] [--policy P]\n"
"           [--detect txres,beacon] [--beacon-us N] [--misses N]\n"
"           [--failback immediate|holddown|manual] [--holddown-us N]\n"
"           [--updelay-us N] [--downdelay-us N] [--notify rarp,garp]\n"
"           [--notify-count N] [--notify-gap-us N] [--txres-rest-us N]\n"
"           [--prio-high N]       bond of uplinks (VNICs: --uplink 128+B)\n"
"  team del|show|failback B | team prio VNIC PRIO\n"
"  reset                              drop all VNICs and rules\n"
"  stats                              drop reasons, ports, rings\n"
"  stats --vnic [ID]                  per-VNIC counters, group delivery totals\n"
"  rx --out-dir DIR [--idle-exit] [--idle-ms MS] [--budget N] [--srr-size N]\n"
"     [--hw-vnic]                     receive on all rings, one pcap per VNIC\n"
"                                     (poll budget/rate follow the allocation\n"
"                                     unless --budget is given)\n"
"  tx --vnic ID --pcap FILE           send a pcap on the VNIC's TX ring\n"
"  ring mode R poll|intr | ring show  receive ring mode, switchable live;\n"
"                                     show includes the polling plan\n"
"  state                              the host's mirror of VNICs and rules\n"
"  restore                            re-create them after a device reset\n"
"  flash IMAGE [--no-reboot] | flash status | flash reboot\n"
"  booking show [VNIC] [--snapshot FILE]  bookings as snic-bookd applied them\n"
"  booking set VNIC [--out R] [--in R] [--comm R] [--cap R] [--prio 0-7]\n"
"           [--cpu N] [--pipe NAME] [--raw JSON] | booking del VNIC\n"
"           [--node N] [--cluster C] [--prefix P] [--etcd URLS | --store-dir D]\n"
"                                     write the cluster store (docs/bookings.md)\n"
"                                     firmware update (two slots, rollback)\n"
"RATE: bit/s with k, M, G, T (1M..400G on snic cards); BYTES: 1500, 64k, 1Mi.\n"
"WINDOW defaults to $SNIC_DEV, else " SNIC_DEFAULT_WINDOW "; the host state\n"
"file to WINDOW.state (--state '' turns it off).\n"
"Exit status: 0 ok, 1 device or library error, 2 usage error.\n", f);
}

int ctl_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("snicctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see snicctl --help)\n", stderr);
	return EXIT_USAGE;
}

int ctl_fail(struct ctl *c, const char *what)
{
	fprintf(stderr, "snicctl: %s: %s\n", what, c->d ? snic_errmsg(c->d) : "no device");
	return EXIT_DEVICE;
}

struct snic_dev *ctl_dev(struct ctl *c)
{
	if (c->d)
		return c->d;
	c->d = snic_alloc();
	if (!c->d) {
		fprintf(stderr, "snicctl: out of memory\n");
		exit(EXIT_DEVICE);
	}
	snic_set_timeout(c->d, c->timeout_ms);
	if (c->state)
		snic_set_state_path(c->d, c->state);
	if (snic_open(c->d, c->path)) {
		fprintf(stderr, "snicctl: %s\n", snic_errmsg(c->d));
		snic_close(c->d);
		exit(EXIT_DEVICE);
	}
	return c->d;
}

const char *ctl_optval(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

int ctl_uint(const char *what, const char *s, unsigned long min, unsigned long max,
	     unsigned long *out)
{
	char err[128];

	if (!s)
		return ctl_usage("%s needs a value", what);
	if (snic_arg_uint(s, min, max, out, err, sizeof(err)) < 0)
		return ctl_usage("%s: %s", what, err);
	return 0;
}

void ctl_done(struct ctl *c, const char *what, const char *human)
{
	if (c->json) {
		json_obj_begin(&c->j, NULL);
		json_str(&c->j, "done", what);
		json_obj_end(&c->j);
		json_done(&c->j);
	} else if (human) {
		puts(human);
	}
}

void ctl_fmt_mac(char buf[18], const uint8_t m[6])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static const struct {
	const char *name;
	int (*fn)(struct ctl *, int, char **);
} commands[] = {
	{ "caps", cmd_caps }, { "vnic", cmd_vnic }, { "rule", cmd_rule },
	{ "port", cmd_port }, { "reset", cmd_reset }, { "stats", cmd_stats },
	{ "rx", cmd_rx }, { "tx", cmd_tx },
	{ "flash", cmd_flash }, { "ring", cmd_ring }, { "state", cmd_state },
	{ "restore", cmd_restore }, { "meter", cmd_meter },
	{ "team", cmd_team }, { "booking", cmd_booking },
};

int main(int argc, char **argv)
{
	struct ctl c;
	int i;

	memset(&c, 0, sizeof(c));
	c.path = getenv("SNIC_DEV");
	if (!c.path || !*c.path)
		c.path = SNIC_DEFAULT_WINDOW;
	c.timeout_ms = SNIC_DEFAULT_TIMEOUT_MS;
	json_init(&c.j, stdout);

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		unsigned long v;
		if (!strcmp(a, "-d") || !strcmp(a, "--device")) {
			if (!(c.path = ctl_optval(argc, argv, &i)))
				return ctl_usage("%s needs a window path", a);
		} else if (!strcmp(a, "--state")) {
			if (!(c.state = ctl_optval(argc, argv, &i)))
				return ctl_usage("--state needs a file (or '')");
		} else if (!strcmp(a, "--json") || !strcmp(a, "-j")) {
			c.json = 1;
		} else if (!strcmp(a, "--timeout")) {
			if (ctl_uint(a, ctl_optval(argc, argv, &i), 1, 3600000, &v))
				return EXIT_USAGE;
			c.timeout_ms = (unsigned)v;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else {
			return ctl_usage("unknown option '%s'", a);
		}
	}
	if (i == argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* --json may also follow the command ("snicctl caps --json"). */
	int n = i;
	for (int k = i; k < argc; k++) {
		if (!strcmp(argv[k], "--json"))
			c.json = 1;
		else
			argv[n++] = argv[k];
	}
	argc = n;
	for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++) {
		if (!strcmp(argv[i], commands[k].name)) {
			int rc = commands[k].fn(&c, argc - i, argv + i);
			if (c.d)
				snic_close(c.d);
			return rc;
		}
	}
	return ctl_usage("unknown command '%s'", argv[i]);
}
