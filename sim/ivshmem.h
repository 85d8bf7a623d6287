/* SPDX-License-Identifier: MIT */
/*
 * The simulator as an ivshmem server (`snic-sim --ivshmem-server SOCKET`),
 * so a QEMU guest can take the NIC's interrupts as MSI-X:
 *
 *   qemu ... -chardev socket,id=ivs,path=SOCKET \
 *            -device ivshmem-doorbell,chardev=ivs,vectors=N
 *
 * QEMU connects to SOCKET and receives, per the protocol in QEMU's
 * ivshmem-spec.txt: version 0, its peer id (1), the device window's file
 * descriptor (its BAR2: the same bytes the simulator serves), and one
 * eventfd per interrupt vector. The simulator (peer 0, never announced, so
 * the guest cannot ring it) keeps the eventfds: hal_irq(v) writes 1 to
 * eventfd v and QEMU raises the guest's MSI-X vector v. Vectors are the
 * rings' `msix` numbers (RX ring r: vector r). One guest at a time.
 */
#ifndef SNIC_SIM_IVSHMEM_H
#define SNIC_SIM_IVSHMEM_H

#include <stdint.h>
#include <stdio.h>

#define SIM_IVSHMEM_MAX_VECTORS 64
#define SIM_IVSHMEM_PEER_ID     1 /* the id the guest's device gets */

struct sim_ivshmem {
	int      listen_fd;  /* -1: not serving */
	int      conn_fd;    /* the connected guest's device, -1 if none */
	int      shm_fd;     /* the window file, handed to the guest */
	unsigned vectors;
	int      irq_fd[SIM_IVSHMEM_MAX_VECTORS];
	uint64_t irqs;       /* interrupts signalled */
	uint64_t irqs_lost;  /* raised while no guest was connected */
	uint64_t peers;      /* guests that connected */
	char     path[108];
};

/* Listen on `sock_path` (replacing a stale socket) to serve `window_path`
 * with `vectors` interrupt vectors. 0, or -1 with a message on stderr. */
int  sim_ivshmem_open(struct sim_ivshmem *iv, const char *sock_path,
		      const char *window_path, unsigned vectors);
/* Accept a waiting guest and send it the setup (nonblocking otherwise). */
void sim_ivshmem_poll(struct sim_ivshmem *iv);
/* Raise interrupt `vector` in the guest (hal_irq). */
void sim_ivshmem_irq(uint16_t vector);
void sim_ivshmem_summary(const struct sim_ivshmem *iv, FILE *f);
void sim_ivshmem_close(struct sim_ivshmem *iv);

#endif
