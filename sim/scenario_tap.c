/* SPDX-License-Identifier: MIT */
/*
 * The main job with real programs (make run ARGS=--tap, tools/run/tap.sh):
 * every VM is a TAP device that the wrapper moves into its own network
 * namespace, and uplink 0 is cabled to a TAP in an "outside" namespace
 * (sim/tap.h), so ping and iperf3 run through the simulated NIC: the VM's
 * frames go to its VNIC's TX ring, what the device delivers to the VNIC's
 * ring goes back out of its TAP. The far ends run in wall time, so here the
 * virtual clock follows wall time (sim_taps_idle), as in snic-sim --tap.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "scenario.h"

#define IDLE_QUANTUM_NS 50000u

static volatile sig_atomic_t tap_stop;

static void on_term(int sig)
{
	(void)sig;
	tap_stop = 1;
}

int sc_tap_attach(struct sc *s, char *err, size_t errlen)
{
	for (unsigned i = 0; i < s->n_vms; i++) {
		char name[24];
		snprintf(name, sizeof(name), "snic-vm%u", (i + 1) % 10);
		if (sim_tap_open(&s->vm[i].tap, name) < 0) {
			snprintf(err, errlen, "cannot create TAP %s (root and /dev/net/tun needed)", name);
			return -1;
		}
	}
	if (sim_tap_add(&s->taps, &s->nic, "0:snic-ext0") < 0) {
		snprintf(err, errlen, "cannot cable uplink 0 to TAP snic-ext0");
		return -1;
	}
	return 0;
}

void sc_tap_detach(struct sc *s)
{
	for (unsigned i = 0; i < s->n_vms; i++)
		if (s->vm[i].tap.fd > 0)
			close(s->vm[i].tap.fd);
	sim_taps_close(&s->taps, &s->nic);
}

/* The VMs' own stacks send: each frame onto the VNIC's TX ring. */
static int vm_taps_read(struct sc *s)
{
	static uint8_t buf[65536];
	int queued = 0;
	for (unsigned i = 0; i < s->n_vms; i++) {
		struct sc_vm *v = &s->vm[i];
		for (int k = 0; k < 32; k++) {
			ssize_t len = read(v->tap.fd, buf, sizeof(buf));
			if (len <= 0)
				break;
			v->tap.rx_frames++;
			if (len > (ssize_t)HOSTSIM_BUF ||
			    hostsim_tx(&s->hs, v->tx_ring, buf, (uint32_t)len) < 0) {
				v->stalls++; /* too long for the ring's buffers, or ring full */
				continue;
			}
			queued = 1;
		}
	}
	return queued;
}

/* A frame the device delivered to VM v goes to its stack. */
void sc_tap_deliver(struct sc *s, struct sc_vm *v, const uint8_t *f, uint32_t len)
{
	(void)s;
	if (write(v->tap.fd, f, len) == (ssize_t)len)
		v->tap.tx_frames++;
	else
		v->tap.tx_dropped++;
}

/* Serve until SIGTERM (the wrapper, once the programs are done). */
void sc_run_tap(struct sc *s, const char *ready)
{
	struct nic *n = &s->nic;
	s->wall0 = sc_wall();
	sc_bookings_start(s);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	FILE *r = fopen(ready, "w");
	if (r)
		fclose(r);
	uint64_t delivered = n->delivered;
	unsigned turns = 0;
	double last_view = sc_wall();
	while (!tap_stop) {
		int busy = vm_taps_read(s);
		busy |= nic_step(n);
		if (!busy || (++turns & 63) == 0)
			busy |= sim_taps_poll(&s->taps, n) != 0;
		if (n->delivered != delivered) {
			delivered = n->delivered;
			sc_rx_poll(s);
		}
		if ((turns & 0xff) == 0 && sc_wall() - last_view > 0.5) {
			last_view = sc_wall();
			sc_live(s, 0);
		}
		if (!busy)
			sim_taps_idle(&s->taps, n, IDLE_QUANTUM_NS, -1, 1);
	}
	s->end_ns = sc_now(s);
	sc_live(s, 1);
	s->draining = 1;
}
