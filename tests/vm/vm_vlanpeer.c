/* SPDX-License-Identifier: MIT */
/*
 * The VM test's VLAN peer, in the host's network namespace on the TAP
 * uplink (the host kernel may lack 8021q, so no VLAN device is needed):
 * a raw socket on IFNAME answers ARP requests and ICMP echo requests for
 * IP on VLAN VID, as a host on that VLAN would, and on SIGUSR1 sends
 * BURST broadcast frames (ARP requests for an address nobody has) on
 * every VLAN it serves, so the guest can count who sees them; on SIGUSR2
 * FLOOD of them back to back on the last VLAN (to fill a ring).
 *   snic_vm_vlanpeer IFNAME BURST FLOOD VID:IP [VID:IP ...]
 * Runs until killed; prints what it did on exit (SIGTERM).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_VLANS 4

static struct {
	uint16_t vid;
	uint8_t ip[4];
} vlans[MAX_VLANS];
static unsigned n_vlans, burst, flood;
static uint8_t my_mac[6];
static int fd, ifindex;
static volatile sig_atomic_t want_burst, want_flood, stop;
static unsigned long arps, echoes, bursts, floods;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		want_burst = 1;
	else if (sig == SIGUSR2)
		want_flood = 1;
	else
		stop = 1;
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Ethernet + 802.1Q header for vid into f; returns its length (18). */
static size_t tag_hdr(uint8_t *f, const uint8_t *dst, uint16_t vid, uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, my_mac, 6);
	f[12] = 0x81, f[13] = 0x00;
	f[14] = vid >> 8, f[15] = vid & 0xff;
	f[16] = type >> 8, f[17] = type & 0xff;
	return 18;
}

static void send_frame(const uint8_t *f, size_t n)
{
	struct sockaddr_ll a = { .sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = 6 };

	memcpy(a.sll_addr, f, 6);
	if (sendto(fd, f, n < 60 ? 60 : n, 0, (struct sockaddr *)&a, sizeof(a)) < 0)
		perror("vlanpeer: sendto");
}

/* ARP (op, target hardware tha, target ip tip) from us on vlan i. */
static void send_arp(unsigned i, const uint8_t *dst, uint16_t op, const uint8_t *tha,
		     const uint8_t *tip)
{
	uint8_t f[64] = { 0 };
	size_t h = tag_hdr(f, dst, vlans[i].vid, 0x0806);
	uint8_t *a = f + h;

	a[1] = 1, a[2] = 0x08, a[4] = 6, a[5] = 4, a[7] = (uint8_t)op;
	memcpy(a + 8, my_mac, 6);
	memcpy(a + 14, vlans[i].ip, 4);
	memcpy(a + 18, tha, 6);
	memcpy(a + 24, tip, 4);
	send_frame(f, h + 28);
}

static int vlan_of(uint16_t vid)
{
	for (unsigned i = 0; i < n_vlans; i++)
		if (vlans[i].vid == vid)
			return (int)i;
	return -1;
}

/* p: the frame after its (stripped) tag, starting at the EtherType. */
static void handle(unsigned i, const uint8_t *src, const uint8_t *p, size_t n)
{
	uint16_t type = (uint16_t)(p[0] << 8 | p[1]);

	p += 2, n -= 2;
	if (type == 0x0806 && n >= 28 && p[7] == 1 && !memcmp(p + 24, vlans[i].ip, 4)) {
		send_arp(i, src, 2, p + 8, p + 14);
		arps++;
	} else if (type == 0x0800 && n >= 28 && p[9] == 1 && !memcmp(p + 16, vlans[i].ip, 4) &&
		   p[(p[0] & 15) * 4] == 8) {
		size_t ihl = (size_t)(p[0] & 15) * 4, len = (size_t)(p[2] << 8 | p[3]);
		uint8_t f[2048];
		size_t h = tag_hdr(f, src, vlans[i].vid, 0x0800);
		uint8_t *ip = f + h;

		if (len > n || len < ihl + 8 || h + len > sizeof(f))
			return;
		memcpy(ip, p, len);
		memcpy(ip + 12, p + 16, 4);
		memcpy(ip + 16, p + 12, 4);
		ip[8] = 64, ip[10] = ip[11] = 0;
		uint16_t c = csum(ip, ihl);
		ip[10] = c >> 8, ip[11] = c & 0xff;
		ip[ihl] = 0, ip[ihl + 2] = ip[ihl + 3] = 0;
		c = csum(ip + ihl, len - ihl);
		ip[ihl + 2] = c >> 8, ip[ihl + 3] = c & 0xff;
		send_frame(f, h + len);
		echoes++;
	}
}

/* n ARP requests for an address nobody has, broadcast on vlan i. */
static void bcast_arps(unsigned i, unsigned n)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, zero[6];
	uint8_t nobody[4];

	memcpy(nobody, vlans[i].ip, 4);
	nobody[3] = 254;
	for (unsigned k = 0; k < n; k++)
		send_arp(i, bcast, 1, zero, nobody);
}

static int setup(const char *ifname)
{
	struct ifreq ifr = { 0 };
	int one = 1;

	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0)
		return perror("vlanpeer: socket"), -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		return perror("vlanpeer: SIOCGIFHWADDR"), -1;
	memcpy(my_mac, ifr.ifr_hwaddr.sa_data, 6);
	ifindex = (int)if_nametoindex(ifname);
	struct sockaddr_ll a = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				 .sll_ifindex = ifindex };
	if (!ifindex || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0)
		return perror("vlanpeer: bind"), -1;
	return 0;
}

static void rx_one(void)
{
	uint8_t f[2048], cbuf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	struct sockaddr_ll from;
	struct iovec iov = { f, sizeof(f) };
	struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
			    .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	ssize_t n = recvmsg(fd, &m, 0);

	if (n < 14 || from.sll_pkttype == PACKET_OUTGOING)
		return;
	/* The kernel strips the tag and reports it as auxiliary data. */
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		struct tpacket_auxdata aux;

		if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		int i = (aux.tp_status & TP_STATUS_VLAN_VALID) ?
			vlan_of(aux.tp_vlan_tci & 0xfff) : -1;
		if (i >= 0)
			handle((unsigned)i, f + 6, f + 12, (size_t)n - 12);
	}
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: snic_vm_vlanpeer IFNAME BURST FLOOD VID:IP [VID:IP ...]\n");
		return 2;
	}
	burst = (unsigned)atoi(argv[2]);
	flood = (unsigned)atoi(argv[3]);
	for (int a = 4; a < argc && n_vlans < MAX_VLANS; a++) {
		char *colon = strchr(argv[a], ':');
		struct in_addr in;

		if (!colon || inet_pton(AF_INET, colon + 1, &in) != 1 || atoi(argv[a]) < 1 ||
		    atoi(argv[a]) > 4094) {
			fprintf(stderr, "vlanpeer: bad VID:IP '%s'\n", argv[a]);
			return 2;
		}
		vlans[n_vlans].vid = (uint16_t)atoi(argv[a]);
		memcpy(vlans[n_vlans++].ip, &in, 4);
	}
	if (setup(argv[1]))
		return 1;
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		if (want_burst) {
			want_burst = 0;
			for (unsigned i = 0; i < n_vlans; i++)
				bcast_arps(i, burst);
			bursts++;
		}
		if (want_flood) {
			want_flood = 0;
			bcast_arps(n_vlans - 1, flood);
			floods++;
		}
		rx_one(); /* EINTR on a signal: loop */
	}
	printf("vlanpeer: %lu ARP replies, %lu echo replies, %lu bursts of %u per VLAN, %lu floods of %u\n",
	       arps, echoes, bursts, burst, floods, flood);
	return 0;
}
