/* SPDX-License-Identifier: MIT */
/*
 * snic_vm_blast: the VM benchmark's sender, linked statically into the
 * guest's initramfs. Sends UDP datagrams of SIZE payload bytes to
 * DST_IP:PORT as fast as the socket takes them for SECONDS, then prints
 * "blast: N datagrams, B bytes, T s".
 *
 *   snic_vm_blast DST_IP PORT SIZE SECONDS
 *   snic_vm_blast rtt DST_IP COUNT
 *
 * rtt: COUNT round trips through the simulator's external host, which
 * echoes UDP port 7 frames carrying its test stamp (sim/exthost.h: magic
 * "SNICTES", flow, seq, time; big-endian). Prints min/avg/max in us and
 * how many got no answer within a second.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void put64be(unsigned char *p, unsigned long long v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

static int rtt(const char *dst, int count)
{
	unsigned char msg[64], reply[2048];
	struct sockaddr_in to;
	struct timeval tv = { 1, 0 };
	double min = 1e9, max = 0, sum = 0;
	int got = 0;

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(7);
	if (inet_pton(AF_INET, dst, &to.sin_addr) != 1 || count <= 0)
		return 2;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		perror("socket");
		return 1;
	}
	memset(msg, 0, sizeof(msg));
	put64be(msg, 0x534e4943544553ull); /* EXTHOST_MAGIC */
	for (int i = 0; i < count; i++) {
		put64be(msg + 16, (unsigned long long)i);
		double t0 = now();
		if (sendto(fd, msg, sizeof(msg), 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
			perror("sendto");
			return 1;
		}
		for (;;) {
			ssize_t n = recv(fd, reply, sizeof(reply), 0);
			if (n < 0)
				break; /* timeout: lost */
			if (n == (ssize_t)sizeof(msg) && !memcmp(reply + 16, msg + 16, 8)) {
				double us = (now() - t0) * 1e6;
				min = us < min ? us : min;
				max = us > max ? us : max;
				sum += us;
				got++;
				break;
			}
		}
	}
	if (got)
		printf("rtt: %d/%d answered, min %.0f us, avg %.0f us, max %.0f us\n", got, count,
		       min, sum / got, max);
	else
		printf("rtt: 0/%d answered\n", count);
	close(fd);
	return got ? 0 : 1;
}

int main(int argc, char **argv)
{
	static char buf[65536];
	struct sockaddr_in to;

	if (argc == 4 && !strcmp(argv[1], "rtt"))
		return rtt(argv[2], atoi(argv[3]));
	if (argc != 5) {
		fprintf(stderr, "usage: snic_vm_blast DST_IP PORT SIZE SECONDS\n");
		return 2;
	}
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons((unsigned short)atoi(argv[2]));
	size_t size = (size_t)atoi(argv[3]);
	double secs = atof(argv[4]);
	if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1 || size > sizeof(buf) || secs <= 0) {
		fprintf(stderr, "snic_vm_blast: bad arguments\n");
		return 2;
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	unsigned long long n = 0, bytes = 0;
	double t0 = now(), t = t0;
	while (t - t0 < secs) {
		for (int i = 0; i < 64; i++) {
			if (sendto(fd, buf, size, 0, (struct sockaddr *)&to, sizeof(to)) == (ssize_t)size) {
				n++;
				bytes += size;
			} else if (errno != ENOBUFS && errno != EAGAIN) {
				perror("sendto");
				return 1;
			} else {
				usleep(100); /* queue full: let the ring drain */
			}
		}
		t = now();
	}
	printf("blast: %llu datagrams, %llu bytes, %.2f s\n", n, bytes, t - t0);
	close(fd);
	return 0;
}
