/* SPDX-License-Identifier: MIT */
/*
 * snic_vm_tcp: one TCP transfer for the VM test and benchmark, run in the
 * guest and, on the host, in the network namespace behind the simulator's
 * TAP uplink. Static, so the guest's initramfs needs nothing else.
 *
 *   snic_vm_tcp send|recv IP PORT WHAT     connect to IP:PORT
 *   snic_vm_tcp send|recv -l PORT WHAT     accept one connection on PORT
 *
 * send: WHAT is a file to send, or ":N" for N bytes of a fixed pattern;
 * the sender then half-closes and waits for the peer to close, so every
 * byte has been received when it reports. recv: WHAT is the file to write
 * what arrives (until the peer closes), or "-" to count and discard.
 * Prints "tcp send|recv: B bytes in T s (R Mbit/s)". Gives up after 60 s
 * without progress, or 200 s without a connection to accept.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define IDLE_LIMIT_S   60
#define ACCEPT_LIMIT_S 200 /* the guest boots and runs other checks first */
#define CHUNK        65536

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int wait_io(int fd, short events, int limit_s)
{
	struct pollfd p = { fd, events, 0 };
	int r = poll(&p, 1, limit_s * 1000);
	if (r == 0)
		fprintf(stderr, "snic_vm_tcp: nothing happened for %d s\n", limit_s);
	return r > 0 ? 0 : -1;
}

static int open_conn(const char *host, const char *port_s)
{
	struct sockaddr_in a;
	int one = 1;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)atoi(port_s));
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("socket");
		return -1;
	}
	if (!strcmp(host, "-l")) {
		a.sin_addr.s_addr = htonl(INADDR_ANY);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 1) < 0) {
			perror("bind/listen");
			close(fd);
			return -1;
		}
		if (wait_io(fd, POLLIN, ACCEPT_LIMIT_S) < 0) {
			close(fd);
			return -1;
		}
		int c = accept(fd, NULL, NULL);
		if (c < 0)
			perror("accept");
		close(fd);
		return c;
	}
	if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
		fprintf(stderr, "snic_vm_tcp: bad address '%s'\n", host);
		close(fd);
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("connect");
		close(fd);
		return -1;
	}
	return fd;
}

/* Fills buf with the pattern bytes at stream offset off. */
static void pattern(unsigned char *buf, size_t len, unsigned long long off)
{
	for (size_t i = 0; i < len; i++) {
		unsigned long long x = off + i;
		buf[i] = (unsigned char)(x * 131u + (x >> 11) * 7u);
	}
}

static int do_send(int fd, const char *what, unsigned long long *total)
{
	static unsigned char buf[CHUNK];
	unsigned long long want = 0;
	int in = -1;

	if (what[0] == ':')
		want = strtoull(what + 1, NULL, 10);
	else if ((in = open(what, O_RDONLY)) < 0) {
		perror(what);
		return -1;
	}
	for (;;) {
		ssize_t n;
		if (in >= 0) {
			n = read(in, buf, sizeof(buf));
			if (n < 0) {
				perror("read");
				return -1;
			}
		} else {
			n = want - *total < sizeof(buf) ? (ssize_t)(want - *total) : (ssize_t)sizeof(buf);
			pattern(buf, (size_t)n, *total);
		}
		if (n == 0)
			break;
		for (ssize_t done = 0; done < n;) {
			ssize_t w = send(fd, buf + done, (size_t)(n - done), MSG_NOSIGNAL);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				perror("send");
				return -1;
			}
			done += w;
		}
		*total += (unsigned long long)n;
	}
	if (in >= 0)
		close(in);
	/* Half-close, then wait for the peer's close: it has everything. */
	shutdown(fd, SHUT_WR);
	for (;;) {
		if (wait_io(fd, POLLIN, IDLE_LIMIT_S) < 0)
			return -1;
		ssize_t r = recv(fd, buf, sizeof(buf), 0);
		if (r <= 0)
			return r < 0 ? -1 : 0;
	}
}

static int do_recv(int fd, const char *what, unsigned long long *total)
{
	static unsigned char buf[CHUNK];
	int out = -1;

	if (strcmp(what, "-") && (out = open(what, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
		perror(what);
		return -1;
	}
	for (;;) {
		if (wait_io(fd, POLLIN, IDLE_LIMIT_S) < 0)
			return -1;
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("recv");
			return -1;
		}
		if (n == 0)
			break;
		if (out >= 0 && write(out, buf, (size_t)n) != n) {
			perror("write");
			return -1;
		}
		*total += (unsigned long long)n;
	}
	if (out >= 0 && close(out) < 0) {
		perror("close");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 5 || (strcmp(argv[1], "send") && strcmp(argv[1], "recv"))) {
		fprintf(stderr, "usage: snic_vm_tcp send|recv IP|-l PORT FILE|:N|-\n");
		return 2;
	}
	int fd = open_conn(argv[2], argv[3]);
	if (fd < 0)
		return 1;
	unsigned long long total = 0;
	double t0 = now();
	int rc = !strcmp(argv[1], "send") ? do_send(fd, argv[4], &total)
					  : do_recv(fd, argv[4], &total);
	double secs = now() - t0;
	close(fd);
	printf("tcp %s: %llu bytes in %.3f s (%.2f Mbit/s)%s\n", argv[1], total, secs,
	       secs > 0 ? (double)total * 8 / secs / 1e6 : 0.0, rc ? " FAILED" : "");
	return rc ? 1 : 0;
}
