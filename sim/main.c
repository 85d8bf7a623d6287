/* SPDX-License-Identifier: MIT */
/*
 * snic-sim: the whole NIC simulated end to end. It serves the device
 * window as a shared-memory file for any host driver, feeds each uplink
 * from a pcap file once the host brings the port up, and writes what the
 * NIC transmits and drops to pcap files.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include "netopt.h"
#include "flash.h"
#include "nic.h"
#include "tap.h"
#include "ivshmem.h"
#include "lockstep.h"

#define IDLE_QUANTUM_NS 50000u
/* With a guest that can ring the TX doorbell, the simulator stays awake
 * this long after its last work before it asks for the doorbell and
 * sleeps: a doorbell is an MMIO exit in the guest, dearer under TCG than
 * a short spin, so streams and request/response traffic run without them
 * and only a device idle for longer sleeps (and gives its core back). */
#define SPIN_BEFORE_NAP_S 200e-6
/* The loop's wall-clock pace is sampled every this many turns; a gap over
 * STALL_REPORT_S between samples (the host starved the simulator) is
 * logged: a driver's admin command waits that long too. */
#define PACE_SAMPLE_TURNS 16u
#define STALL_REPORT_S    0.5
/* --lockstep: a producer still this long has finished its stream. */
#define LOCKSTEP_GRACE_S  1.0

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: snic-sim [options]\n"
"  --profile NAME        hardware profile (%s); default large\n"
"  --window PATH         device window file; default /dev/shm/snic0\n"
"  --uplink N:FILE.pcap  frames the link partner on uplink N sends once the\n"
"                        host brings port N up (repeatable)\n"
"  --uplink-out N:FILE   write frames transmitted on uplink N (repeatable)\n"
"  --tap N:IFNAME        cable uplink N to the TAP device IFNAME (created if\n"
"                        missing) instead of the switch; the virtual clock\n"
"                        then never lags wall time when idle (sim/tap.h)\n"
"  --ivshmem-server SOCK serve the window to a QEMU ivshmem-doorbell device\n"
"                        on SOCK and raise its MSI-X vectors (sim/ivshmem.h)\n"
"  --drops FILE.pcap     write every dropped frame\n"
"  --realtime            the virtual clock never runs ahead of wall time (for\n"
"                        a host that paces itself on wall time, e.g. the\n"
"                        poll plans of snicctl rx); default: as fast as it can\n"
"  --pace FACTOR         the same, at most FACTOR virtual seconds per wall\n"
"                        second (--realtime is 1; 0.25 gives a busy host 4x\n"
"                        the time a real card would)\n"
"  --lockstep            the virtual clock waits while a TX ring the host\n"
"                        streams on runs short, so a slow or loaded host\n"
"                        changes nothing the device does (sim/lockstep.h)\n"
"  --exit-when-idle      halt once all uplink input is consumed and the\n"
"                        device is idle (state HALTED, window kept)\n"
"  --timeout SECONDS     give up (exit 2) after this much wall time\n"
"  --flash FILE          the NIC's flash: two firmware image slots and the\n"
"                        boot record (created erased if missing)\n"
"  --quiet               no summary\n"
"simulated network (see docs/teaming.md):\n"
"  --switch              cable every uplink to a learning switch\n"
"  --host MAC,IP[,to=MAC@IP,every=TIME,len=N][,echo]\n"
"                        external host on the switch (implies --switch)\n"
"  --mac-aging TIME      switch MAC aging (default 300s)\n"
"  --faults FILE         fault script: lines 'TIME UPLINK ACTION [ARGS]'\n"
"  --fault SPEC          one fault line (repeatable), e.g. '2ms 0 down'\n",
		sim_profile_names());
}

/* "N:PATH" -> port N, path; refuses ports the profile lacks. */
static int parse_port_arg(const char *arg, unsigned n_uplinks, unsigned *port,
			  const char **path)
{
	char *end;
	errno = 0;
	unsigned long p = strtoul(arg, &end, 10);
	if (errno || end == arg || *end != ':' || end[1] == '\0') {
		fprintf(stderr, "snic-sim: expected N:FILE, got '%s'\n", arg);
		return -1;
	}
	if (p >= n_uplinks) {
		fprintf(stderr, "snic-sim: uplink %lu does not exist (this profile has %u)\n",
			p, n_uplinks);
		return -1;
	}
	*port = (unsigned)p;
	*path = end + 1;
	return 0;
}

static double wall_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set_state(struct nic *n, uint32_t state)
{
	struct snic_blk_devid *id = (struct snic_blk_devid *)n->win.base;
	__atomic_store_n(&id->state, state, __ATOMIC_RELEASE);
}

/*
 * Idle without a TAP: nothing due within a quantum, so wait that long for
 * the host (or until its doorbell rings, wake_fd >= 0) and let virtual
 * time pass by what the wait took, so it keeps about the wall-clock pace.
 */
static void idle_nap(struct nic *n, int wake_fd, int may_sleep, double spun_ns)
{
	uint64_t now = nic_now_ns(n);
	if (!may_sleep) {
		/* Spinning: the clock follows the wall clock turn by turn. */
		nic_idle_advance(n, spun_ns >= IDLE_QUANTUM_NS ? IDLE_QUANTUM_NS :
				 spun_ns < 1 ? 1 : (uint64_t)spun_ns);
		return;
	}
	if (nic_next_event_ns(n) < now + IDLE_QUANTUM_NS) {
		nic_idle_advance(n, IDLE_QUANTUM_NS);
		return;
	}
	if (wake_fd < 0) {
		usleep(IDLE_QUANTUM_NS / 1000);
		nic_idle_advance(n, IDLE_QUANTUM_NS);
		return;
	}
	struct pollfd pfd = { wake_fd, POLLIN, 0 };
	struct timespec ts = { 0, IDLE_QUANTUM_NS };
	double t0 = wall_seconds();
	ppoll(&pfd, 1, &ts, NULL);
	double slept_ns = (wall_seconds() - t0) * 1e9;
	uint64_t adv = slept_ns >= IDLE_QUANTUM_NS ? IDLE_QUANTUM_NS :
		       slept_ns < 1 ? 1 : (uint64_t)slept_ns;
	nic_idle_advance(n, adv);
}

/*
 * Idle in lockstep: the clock moves by whole quanta (or to the next event
 * within one), never by what a wait took, so virtual time follows the
 * device's events alone and every run takes the same clock edges.
 */
static void lockstep_nap(struct nic *n)
{
	if (nic_next_event_ns(n) >= nic_now_ns(n) + IDLE_QUANTUM_NS)
		usleep(IDLE_QUANTUM_NS / 1000);
	nic_idle_advance(n, IDLE_QUANTUM_NS);
}

/*
 * --realtime / --pace: a busy device whose virtual clock got ahead of
 * wall time (times the factor) waits for it, checked every 256 turns (so
 * at most that many clocks ahead plus the slack), as a real NIC cannot
 * outrun the host polling it.
 */
#define REALTIME_SLACK_NS 100000u
static void hold_to_wall(const struct nic *n, double t0, double factor)
{
	for (;;) {
		double ahead = (double)nic_now_ns(n) - (wall_seconds() - t0) * 1e9 * factor;
		if (ahead <= REALTIME_SLACK_NS || stop_requested)
			return;
		/* In steps of at most 1 ms, so a signal is seen soon. */
		double wait_ns = ahead / factor;
		struct timespec ts = { 0, wait_ns > 1e6 ? 1000000L : (long)wait_ns };
		nanosleep(&ts, NULL);
	}
}

/* --timeout: wall time since t0 is up (said once, on stderr). */
static int timed_out(double t0, double timeout)
{
	if (timeout <= 0 || wall_seconds() - t0 <= timeout)
		return 0;
	fprintf(stderr, "snic-sim: timeout after %.0f s; still waiting for input or host\n",
		timeout);
	return 1;
}

/* Wall-clock gaps between device polls (see PACE_SAMPLE_TURNS). */
struct pace {
	double last;
	double worst;
	unsigned stalls;
	/* The span in which frames moved (uplink in and out, host TX): the
	 * simulator's speed end to end, without the setup around it. */
	uint64_t frames;               /* frames moved at the last sample */
	double   first, end;           /* wall time of the first and last move */
	uint64_t first_ns, end_ns;     /* ... on the virtual clock */
	uint64_t frames0;              /* frames moved before the first */
};

static uint64_t frames_moved(const struct nic *n)
{
	uint64_t f = 0;
	for (unsigned i = 0; i < n->prof.hw.n_uplinks; i++)
		f += n->up[i].next + n->up[i].tx_frames;
	return f;
}

static void pace_sample(struct pace *p, const struct nic *n)
{
	double now = wall_seconds();
	double gap = now - p->last;
	if (p->last > 0 && gap > p->worst)
		p->worst = gap;
	uint64_t f = frames_moved(n);
	if (f != p->frames) {
		if (!p->first) {
			p->first = now;
			p->first_ns = nic_now_ns(n);
			p->frames0 = p->frames;
		}
		p->end = now;
		p->end_ns = nic_now_ns(n);
		p->frames = f;
	}
	if (p->last > 0 && gap > STALL_REPORT_S) {
		p->stalls++;
		fprintf(stderr, "snic-sim: device loop stalled %.0f ms (virtual time %.3f ms)\n",
			gap * 1e3, (double)nic_now_ns(n) / 1e6);
	}
	p->last = now;
}

static void print_summary(const struct nic *n, uint64_t cycles, double wall)
{
	uint64_t dropped = 0;
	for (unsigned r = 0; r < SNIC_DROP_REASONS; r++)
		dropped += n->drops[r];
	printf("snic-sim: %s profile, %llu cycles, %.3f ms simulated, %.2f s wall "
	       "(%.0f cycles/s)\n", n->prof.hw.profile, (unsigned long long)cycles,
	       (double)nic_now_ns(n) / 1e6, wall, wall > 0 ? (double)cycles / wall : 0.0);
	printf("snic-sim: %llu frames delivered to rings, %llu dropped\n",
	       (unsigned long long)n->delivered, (unsigned long long)dropped);
	for (unsigned r = 0; r < SNIC_DROP_REASONS; r++)
		if (n->drops[r])
			printf("snic-sim:   drop %-12s %llu\n", snic_drop_name(r),
			       (unsigned long long)n->drops[r]);
	for (unsigned i = 0; i < n->prof.hw.n_uplinks; i++) {
		const struct nic_uplink *u = &n->up[i];
		if (u->in.count || u->tx_frames || u->oversize)
			printf("snic-sim:   uplink %u: %u/%u frames received, %llu sent, "
			       "%llu oversize\n", i, u->next, u->in.count,
			       (unsigned long long)u->tx_frames,
			       (unsigned long long)u->oversize);
	}
}

int main(int argc, char **argv)
{
	const char *profile = "large", *window = "/dev/shm/snic0", *drops = NULL;
	const char *flash_path = NULL;
	const char *in_path[SNIC_MAX_UPLINKS] = {0}, *out_path[SNIC_MAX_UPLINKS] = {0};
	const char *in_arg[8], *out_arg[8], *tap_arg[SIM_TAP_MAX];
	unsigned n_in = 0, n_out = 0, n_tap = 0;
	static struct sim_taps taps;
	static struct sim_ivshmem ivs;
	const char *ivs_path = NULL;
	int exit_idle = 0, quiet = 0;
	double pace_factor = 0; /* 0: not paced */
	int lockstep_on = 0;
	static struct lockstep ls;
	static struct netopt net;
	double timeout = 0;
	static const struct option opts[] = {
		{ "profile", required_argument, 0, 'p' },
		{ "window", required_argument, 0, 'w' },
		{ "uplink", required_argument, 0, 'u' },
		{ "uplink-out", required_argument, 0, 'o' },
		{ "tap", required_argument, 0, 'T' },
		{ "ivshmem-server", required_argument, 0, 'I' },
		{ "drops", required_argument, 0, 'd' },
		{ "exit-when-idle", no_argument, 0, 'x' },
		{ "realtime", no_argument, 0, 'R' },
		{ "pace", required_argument, 0, 'P' },
		{ "lockstep", no_argument, 0, 'K' },
		{ "timeout", required_argument, 0, 't' },
		{ "quiet", no_argument, 0, 'q' },
		{ "flash", required_argument, 0, 'L' },
		{ "help", no_argument, 0, 'h' },
		{ "switch", no_argument, 0, 'S' },
		{ "host", required_argument, 0, 'H' },
		{ "mac-aging", required_argument, 0, 'A' },
		{ "faults", required_argument, 0, 'F' },
		{ "fault", required_argument, 0, 'f' },
		{ 0, 0, 0, 0 }
	};
	int c;
	netopt_init(&net);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': profile = optarg; break;
		case 'w': window = optarg; break;
		case 'u':
			if (n_in == 8) { fprintf(stderr, "snic-sim: too many --uplink\n"); return 1; }
			in_arg[n_in++] = optarg; break;
		case 'o':
			if (n_out == 8) { fprintf(stderr, "snic-sim: too many --uplink-out\n"); return 1; }
			out_arg[n_out++] = optarg; break;
		case 'T':
			if (n_tap == SIM_TAP_MAX) { fprintf(stderr, "snic-sim: too many --tap\n"); return 1; }
			tap_arg[n_tap++] = optarg; break;
		case 'I': ivs_path = optarg; break;
		case 'd': drops = optarg; break;
		case 'x': exit_idle = 1; break;
		case 'R': pace_factor = 1; break;
		case 'K': lockstep_on = 1; break;
		case 'P': {
			char *end;
			pace_factor = strtod(optarg, &end);
			if (*end || !(pace_factor > 0 && pace_factor <= 1000)) {
				fprintf(stderr, "snic-sim: --pace '%s': want a factor in (0, 1000]\n",
					optarg);
				return 1;
			}
			break;
		}
		case 't': {
			char *end;
			timeout = strtod(optarg, &end);
			if (*end || timeout <= 0) {
				fprintf(stderr, "snic-sim: bad --timeout '%s'\n", optarg);
				return 1;
			}
			break;
		}
		case 'q': quiet = 1; break;
		case 'L': flash_path = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'S': net.want_switch = 1; break;
		case 'H': if (netopt_host(&net, optarg)) return 1; break;
		case 'A': if (netopt_aging(&net, optarg)) return 1; break;
		case 'F': net.faults_path = optarg; break;
		case 'f': if (netopt_fault(&net, optarg)) return 1; break;
		default: usage(stderr); return 1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "snic-sim: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 1;
	}

	static struct nic nic;
	struct sim_profile prof;
	if (sim_profile_get(profile, &prof) < 0) {
		fprintf(stderr, "snic-sim: unknown profile '%s' (have: %s)\n", profile,
			sim_profile_names());
		return 1;
	}
	for (unsigned i = 0; i < n_in; i++) {
		unsigned port;
		const char *path;
		if (parse_port_arg(in_arg[i], prof.hw.n_uplinks, &port, &path) < 0)
			return 1;
		in_path[port] = path;
	}
	for (unsigned i = 0; i < n_out; i++) {
		unsigned port;
		const char *path;
		if (parse_port_arg(out_arg[i], prof.hw.n_uplinks, &port, &path) < 0)
			return 1;
		out_path[port] = path;
	}
	if (nic_init(&nic, profile, window) < 0)
		return 1;
	int rc = 0;
	for (unsigned i = 0; i < SNIC_MAX_UPLINKS; i++) {
		if (in_path[i] && sim_trace_load(&nic.up[i].in, in_path[i]) < 0)
			rc = 1;
		if (out_path[i] && !(nic.up[i].out = sim_pcap_open(out_path[i])))
			rc = 1;
	}
	if (drops && !(nic.drops_out = sim_pcap_open(drops)))
		rc = 1;
	static struct sim_flash flash;
	if (!rc && flash_path && sim_flash_start(&flash, nic.fw, flash_path) < 0)
		rc = 1;
	if (!rc && netopt_setup(&net, &nic) < 0)
		rc = 1;
	for (unsigned i = 0; !rc && i < n_tap; i++)
		if (sim_tap_add(&taps, &nic, tap_arg[i]) < 0)
			rc = 1;
	/* With a TAP the idle path paces the virtual clock to wall time, so
	 * an empty engine need not be evaluated to keep the device honest. */
	if (taps.n)
		nic.skip_idle_engine = 1;
	/* Vectors: every ring's (RX ring r is r, TX ring t is n_rx + t). */
	if (!rc && ivs_path && sim_ivshmem_open(&ivs, ivs_path, window, nic.win.base,
			nic.win.size, nic.prof.hw.n_rx_rings + nic.prof.hw.n_tx_rings) < 0)
		rc = 1;
	if (rc) {
		if (ivs_path)
			sim_ivshmem_close(&ivs);
		sim_taps_close(&taps, &nic);
		netopt_fini(&net, &nic);
		nic_fini(&nic);
		return rc;
	}

	/* The idle quantum is a 50 us nap: without this the kernel's default
	 * 50 us timer slack doubles it, and virtual time crawls at a third of
	 * wall time while the simulator waits for the host. */
	prctl(PR_SET_TIMERSLACK, 1000UL);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	double t0 = wall_seconds();
	uint64_t cycles = 0;
	unsigned idle_polls = 0;
	struct pace pace = { 0 };
	int was_busy = 1;
	double idle_since = 0, last_idle = 0;
	lockstep_init(&ls, LOCKSTEP_GRACE_S);
	nic.exact_deadlines = lockstep_on;
	nic.doorbell_latch = lockstep_on ? ls.last_prod : NULL;
	while (!stop_requested) {
		int held = lockstep_on && lockstep_hold(&ls, nic.win.base, nic.win.size,
							 wall_seconds());
		nic.doorbell_latched = ls.latched;
		if (held) {
			ls.holds++;
			if (timed_out(t0, timeout)) {
				rc = 2;
				break;
			}
			sched_yield(); /* the host needs the core more */
			continue;
		}
		int busy = nic_step(&nic);
		if (flash_path)
			busy |= sim_flash_poll(&flash); /* reboot asked by FW_REBOOT */
		cycles++;
		if ((cycles % PACE_SAMPLE_TURNS) == 0)
			pace_sample(&pace, &nic);
		/* TAP frames: every idle turn, and now and then while busy. */
		if (taps.n && (!busy || (cycles & 63) == 0))
			busy |= sim_taps_poll(&taps, &nic) != 0;
		if (pace_factor > 0 && (cycles & 255) == 0)
			hold_to_wall(&nic, t0, pace_factor);
		if (busy) {
			idle_polls = 0;
			was_busy = 1;
			continue;
		}
		/* Idle: halt if all input is in, else skip to the next arrival or
		 * wait for the host (e.g. to bring a port up). */
		if (exit_idle && nic_inputs_done(&nic) && ++idle_polls > 64)
			break;
		int wake_fd = -1, may_sleep = 1;
		double spun_ns = 0;
		if (ivs_path)
			sim_ivshmem_poll(&ivs); /* a guest connecting */
		if (ivs_path && ivs.kick_fd >= 0) {
			double now_w = wall_seconds();
			if (was_busy)
				idle_since = last_idle = now_w;
			was_busy = 0;
			spun_ns = (now_w - last_idle) * 1e9;
			last_idle = now_w;
			may_sleep = now_w - idle_since >= SPIN_BEFORE_NAP_S;
			/* About to sleep: ask the guest for a TX doorbell, then
			 * poll once more (the next turn): descriptors it published
			 * before it could see the request are found there. */
			int sleeps = may_sleep &&
				     (taps.n ? sim_taps_would_wait(&taps, &nic, IDLE_QUANTUM_NS) :
				      nic_next_event_ns(&nic) >= nic_now_ns(&nic) + IDLE_QUANTUM_NS);
			if (sleeps && !ivs.armed && sim_ivshmem_arm(&ivs) >= 0)
				continue;
			if (sleeps && ivs.armed)
				wake_fd = ivs.kick_fd;
		}
		/* Nothing due within one idle quantum means we wait for the host:
		 * let virtual time pass at about the wall-clock pace meanwhile. */
		if (taps.n)
			sim_taps_idle(&taps, &nic, IDLE_QUANTUM_NS, wake_fd, may_sleep);
		else if (lockstep_on)
			lockstep_nap(&nic);
		else
			idle_nap(&nic, wake_fd, may_sleep, spun_ns);
		/* Awake: the request goes, so the guest rings only while we sleep. */
		if (wake_fd >= 0)
			sim_ivshmem_woken(&ivs);
		if (ivs_path)
			sim_ivshmem_disarm(&ivs);
		if ((cycles & 0xfff) == 0 && timed_out(t0, timeout)) {
			rc = 2;
			break;
		}
	}
	double wall = wall_seconds() - t0;
	set_state(&nic, SNIC_STATE_HALTED);
	if (!quiet) {
		print_summary(&nic, cycles, wall);
		printf("snic-sim:   longest wall-clock gap between device polls: %.1f ms "
		       "(%u over %.0f ms)\n", pace.worst * 1e3, pace.stalls, STALL_REPORT_S * 1e3);
		if (pace.end > pace.first) {
			double w = pace.end - pace.first;
			uint64_t f = pace.frames - pace.frames0;
			printf("snic-sim:   traffic: %llu frames (uplinks in + out) in %.3f s wall, "
			       "%.3f ms virtual: %.0f frames per wall second, virtual/wall %.4f\n",
			       (unsigned long long)f, w, (double)(pace.end_ns - pace.first_ns) / 1e6,
			       (double)f / w, (double)(pace.end_ns - pace.first_ns) / 1e9 / w);
		}
		if (lockstep_on)
			printf("snic-sim:   lockstep: the clock waited for the host in %llu "
			       "loop turns\n", (unsigned long long)ls.holds);
		netopt_summary(&net, &nic, stdout);
		sim_taps_summary(&taps, stdout);
		if (ivs_path)
			sim_ivshmem_summary(&ivs, stdout);
	}
	if (ivs_path)
		sim_ivshmem_close(&ivs);
	sim_taps_close(&taps, &nic);
	netopt_fini(&net, &nic);
	nic_fini(&nic);
	sim_flash_close(&flash);
	return rc;
}
