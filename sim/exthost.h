/* SPDX-License-Identifier: MIT */
/*
 * External hosts cabled to the simulated switch: each sends periodic
 * IPv4/UDP flows and receives whatever the switch delivers to it. Frames
 * carry a small test header (flow id, sequence number, send time) so
 * receivers can measure loss, order and outages on the virtual clock.
 * A host may echo frames sent to its UDP echo port back to their sender.
 */
#ifndef SNIC_SIM_EXTHOST_H
#define SNIC_SIM_EXTHOST_H

#include <stdint.h>

#define EXTHOST_MAX_FLOWS 8
#define EXTHOST_ECHO_PORT 7
#define EXTHOST_MAGIC     0x534e4943544553ull /* "SNICTES" */

struct sw;
struct exthost;

/* The test header after the UDP header, all fields big-endian. */
struct exthost_stamp {
	uint64_t magic;   /* EXTHOST_MAGIC */
	uint32_t flow;    /* sender's flow id */
	uint32_t rsvd;
	uint64_t seq;     /* per flow, from 0 */
	uint64_t sent_ns; /* virtual time the sender queued it */
};

struct exthost_flow {
	uint8_t  dmac[6];
	uint8_t  dip[4];
	uint16_t sport, dport;
	uint16_t vlan;       /* 0: untagged */
	uint32_t len;        /* frame bytes (>= 14 + 20 + 8 + 32) */
	uint32_t id;
	uint64_t every_ns;
	uint64_t next_ns;
	uint64_t stop_ns;    /* no frame at or after this time; 0: never stop */
	uint64_t seq;
};

typedef void (*exthost_rx_fn)(void *ctx, struct exthost *h, const uint8_t *f,
			      uint32_t len, uint64_t now);

struct exthost {
	uint8_t  mac[6];
	uint8_t  ip[4];
	int      port;        /* switch port, -1 until attached */
	struct sw *sw;
	int      echo;        /* answer UDP frames sent to EXTHOST_ECHO_PORT */
	struct exthost_flow flow[EXTHOST_MAX_FLOWS];
	unsigned n_flows;
	exthost_rx_fn on_rx;  /* optional, called for every frame received */
	void    *ctx;
	uint64_t tx_frames, rx_frames, rx_bytes, rx_other; /* other: not to us */
	uint64_t echoed;
};

void exthost_init(struct exthost *h, const uint8_t mac[6], const uint8_t ip[4]);
/* Add a periodic flow; returns its index or -1 (table full, bad length). */
int  exthost_add_flow(struct exthost *h, const uint8_t dmac[6], const uint8_t dip[4],
		      uint16_t dport, uint32_t len, uint64_t start_ns, uint64_t every_ns,
		      uint64_t stop_ns);
uint64_t exthost_next_ns(const struct exthost *h);
/* Send every frame due at or before `now`. */
void exthost_run(struct exthost *h, uint64_t now);
/* The switch delivers a frame to the host. */
void exthost_rx(struct exthost *h, const uint8_t *f, uint32_t len, uint64_t now);

/*
 * Build an IPv4/UDP test frame (with the IP header checksum) of `len`
 * bytes into buf; vlan 0 = untagged. Returns len, or 0 if len is too small
 * for the headers and the stamp or larger than `cap`.
 */
uint32_t exthost_build_udp(uint8_t *buf, uint32_t cap, uint32_t len,
			   const uint8_t dmac[6], const uint8_t smac[6], uint16_t vlan,
			   const uint8_t sip[4], const uint8_t dip[4], uint16_t sport,
			   uint16_t dport, const struct exthost_stamp *st);
/* Parse a test frame: 1 and *st (plus ports, if non-NULL) filled, else 0. */
int exthost_parse_udp(const uint8_t *f, uint32_t len, struct exthost_stamp *st,
		      uint16_t *sport, uint16_t *dport);
/* Turn a received test frame into its echo in place (swap MACs, IPs, ports). */
void exthost_make_echo(uint8_t *f, uint32_t len);

#endif
