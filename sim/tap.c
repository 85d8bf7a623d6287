/* SPDX-License-Identifier: MIT */
/* TAP uplinks: see tap.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include "nic.h"
#include "tap.h"

/* Preamble + SFD, FCS and inter-frame gap, as on the NIC's own cables. */
#define TAP_WIRE_OVERHEAD 24u
/* Largest read: anything above NIC_MAX_FRAME is counted and dropped. */
#define TAP_READ_MAX      65536u
/* Catching up with wall time goes in steps no longer than this, with a
 * device step between them: a shaper's or timer's bucket sees time pass
 * smoothly instead of one jump that would overflow it. */
#define TAP_CATCHUP_STEP_NS 1000000u

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Virtual time that corresponds to the wall clock now. */
static uint64_t wall_virtual_ns(const struct sim_taps *t)
{
	return t->v0_ns + (uint64_t)((wall_now() - t->t0) * 1e9);
}

int sim_tap_open(struct sim_tap *tap, const char *name)
{
	struct ifreq ifr;

	if (strlen(name) >= sizeof(ifr.ifr_name) || !*name) {
		fprintf(stderr, "snic-sim: TAP name '%s' is empty or too long\n", name);
		return -1;
	}
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "snic-sim: /dev/net/tun: %s\n", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	/* Plain Ethernet frames, no packet-information prefix. */
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		fprintf(stderr, "snic-sim: TAP %s: %s\n", name, strerror(errno));
		close(fd);
		return -1;
	}
	tap->fd = fd;
	memcpy(tap->name, ifr.ifr_name, sizeof(tap->name) - 1);
	tap->name[sizeof(tap->name) - 1] = '\0';
	return 0;
}

int sim_tap_add(struct sim_taps *t, struct nic *n, const char *arg)
{
	char *end;
	errno = 0;
	unsigned long port = strtoul(arg, &end, 10);
	if (errno || end == arg || *end != ':' || end[1] == '\0') {
		fprintf(stderr, "snic-sim: --tap expects N:IFNAME, got '%s'\n", arg);
		return -1;
	}
	if (port >= n->prof.hw.n_uplinks) {
		fprintf(stderr, "snic-sim: uplink %lu does not exist (this profile has %u)\n",
			port, n->prof.hw.n_uplinks);
		return -1;
	}
	if (n->up[port].tap) {
		fprintf(stderr, "snic-sim: uplink %lu already has a TAP\n", port);
		return -1;
	}
	if (t->n == SIM_TAP_MAX) {
		fprintf(stderr, "snic-sim: too many --tap\n");
		return -1;
	}
	struct sim_tap *tap = &t->tap[t->n];
	memset(tap, 0, sizeof(*tap));
	tap->port = (uint8_t)port;
	if (sim_tap_open(tap, end + 1) < 0)
		return -1;
	/* A TAP whose reader went away must not kill the simulator. */
	signal(SIGPIPE, SIG_IGN);
	if (!t->n) {
		t->t0 = wall_now();
		t->v0_ns = nic_now_ns(n);
	}
	t->n++;
	n->up[port].tap = tap;
	return 0;
}

void sim_tap_send(struct sim_tap *tap, const uint8_t *data, uint32_t len)
{
	/* One write is one frame. A full kernel queue or a TAP that is down
	 * (EIO) loses it, as a cable into a dead port would. */
	if (write(tap->fd, data, len) != (ssize_t)len) {
		tap->tx_dropped++;
		return;
	}
	tap->tx_frames++;
	tap->tx_bytes += len;
}

static uint64_t wire_ns(const struct nic *n, uint32_t len)
{
	return (uint64_t)(len + TAP_WIRE_OVERHEAD) * 8u * 1000u / n->prof.hw.uplink_speed_mbps;
}

static unsigned tap_poll(struct sim_tap *tap, struct nic *n)
{
	static uint8_t buf[TAP_READ_MAX];
	struct nic_uplink *u = &n->up[tap->port];
	unsigned got = 0;

	while (u->wire_len < SIM_TAP_BACKLOG) {
		ssize_t r = read(tap->fd, buf, sizeof(buf));
		if (r <= 0)
			break; /* EAGAIN: nothing queued (other errors: try again later) */
		uint32_t len = (uint32_t)r;
		/* A dark port (administratively down, no carrier) or an RX
		 * blackhole loses the frame on the cable, as the switch would. */
		if (!u->enabled || !u->carrier) {
			tap->rx_dark++;
			continue;
		}
		if (u->blackhole & NIC_BH_RX) {
			u->rx_lost_blackhole++;
			continue;
		}
		/* Longer than the MAC takes: it reaches the port all the same,
		 * and the device counts it (SNIC_DROP_OVERSIZE). */
		if (len > NIC_MAX_FRAME)
			tap->rx_oversize++;
		uint8_t *data = malloc(len);
		if (!data)
			break; /* stays queued in the kernel: try later */
		memcpy(data, buf, len);
		/* Serialized at the uplink's line rate behind earlier frames. */
		uint64_t now = nic_now_ns(n);
		uint64_t start = tap->wire_free_ns > now ? tap->wire_free_ns : now;
		tap->wire_free_ns = start + wire_ns(n, len);
		nic_wire_push(n, tap->port, data, len, tap->wire_free_ns);
		tap->rx_frames++;
		tap->rx_bytes += len;
		got++;
	}
	return got;
}

unsigned sim_taps_poll(struct sim_taps *t, struct nic *n)
{
	unsigned got = 0;
	for (unsigned i = 0; i < t->n; i++)
		got += tap_poll(&t->tap[i], n);
	return got;
}

/* Nothing due soon and not behind wall time by a quantum or more: wait
 * (behind, the clock first catches up, step by step). */
static int should_wait(uint64_t now, uint64_t next, uint64_t wall, uint64_t max_ns)
{
	return wall < now + max_ns && next > now + max_ns;
}

int sim_taps_would_wait(const struct sim_taps *t, const struct nic *n, uint64_t max_ns)
{
	uint64_t now = nic_now_ns(n);
	return should_wait(now, nic_next_event_ns(n), wall_virtual_ns(t), max_ns);
}

void sim_taps_idle(struct sim_taps *t, struct nic *n, uint64_t max_ns, int wake_fd,
		   int may_wait)
{
	uint64_t now = nic_now_ns(n), next = nic_next_event_ns(n);
	uint64_t wall = wall_virtual_ns(t);

	if (may_wait && should_wait(now, next, wall, max_ns)) {
		/* Level with wall time and nothing due soon: wait for the far
		 * end (a TAP becoming readable), the host's doorbell or a
		 * quantum of wall time, rather than spin on the clock. */
		struct pollfd pfd[SIM_TAP_MAX + 1];
		unsigned nfd = 0;
		for (unsigned i = 0; i < t->n; i++)
			pfd[nfd++] = (struct pollfd){ t->tap[i].fd, POLLIN, 0 };
		if (wake_fd >= 0)
			pfd[nfd++] = (struct pollfd){ wake_fd, POLLIN, 0 };
		uint64_t wait = next - now < max_ns ? next - now : max_ns;
		struct timespec ts = { 0, (long)wait };
		ppoll(pfd, nfd, &ts, NULL);
		wall = wall_virtual_ns(t);
	}
	/* Catch up with wall time (a step at a time), never past the next
	 * device event; with nothing to catch up, move on to an event due
	 * within the quantum. */
	uint64_t to = wall > now ? wall : now;
	if (to - now > TAP_CATCHUP_STEP_NS)
		to = now + TAP_CATCHUP_STEP_NS;
	if (to == now && next <= now + max_ns)
		to = next;
	if (next < to)
		to = next;
	nic_advance_to(n, to);
}

void sim_taps_summary(const struct sim_taps *t, FILE *f)
{
	for (unsigned i = 0; i < t->n; i++) {
		const struct sim_tap *tap = &t->tap[i];
		fprintf(f, "snic-sim:   tap %s on uplink %u: %llu frames in (%llu bytes, "
			"%llu oversize, %llu while down), %llu out (%llu bytes, %llu dropped)\n", tap->name,
			tap->port, (unsigned long long)tap->rx_frames,
			(unsigned long long)tap->rx_bytes, (unsigned long long)tap->rx_oversize,
			(unsigned long long)tap->rx_dark,
			(unsigned long long)tap->tx_frames, (unsigned long long)tap->tx_bytes,
			(unsigned long long)tap->tx_dropped);
	}
}

void sim_taps_close(struct sim_taps *t, struct nic *n)
{
	for (unsigned i = 0; i < t->n; i++) {
		struct sim_tap *tap = &t->tap[i];
		if (n && tap->port < SNIC_MAX_UPLINKS && n->up[tap->port].tap == tap)
			n->up[tap->port].tap = NULL;
		if (tap->fd >= 0)
			close(tap->fd);
		tap->fd = -1;
	}
	t->n = 0;
}
