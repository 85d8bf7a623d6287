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
 * eventfd per interrupt vector. The simulator keeps the eventfds:
 * hal_irq(v) writes 1 to eventfd v and QEMU raises the guest's MSI-X
 * vector v. Vectors are the rings' `msix` numbers (RX ring r: vector r).
 * One guest at a time.
 *
 * The other way: the simulator announces itself to the guest as peer 0
 * with one eventfd (vector 0), so the guest's driver can wake it by
 * writing `0 << 16 | 0` to the device's Doorbell register (BAR0 offset
 * 12). Before the simulator naps (sim/main.c: after 200 us without work)
 * it sets SNIC_TXQF_KICK in every TX ring's control area, with that
 * doorbell value in `kick` (ring.h), and waits on the eventfd as well as
 * on its timer; awake, it clears the flags.
 */
#ifndef SNIC_SIM_IVSHMEM_H
#define SNIC_SIM_IVSHMEM_H

#include <stdint.h>
#include <stdio.h>

#define SIM_IVSHMEM_MAX_VECTORS 64
#define SIM_IVSHMEM_PEER_ID     1 /* the id the guest's device gets */
#define SIM_IVSHMEM_SELF_ID     0 /* the simulator's own id, for doorbells */
#define SIM_IVSHMEM_KICK_VECTOR 0

struct sim_ivshmem {
	int      listen_fd;  /* -1: not serving */
	int      conn_fd;    /* the connected guest's device, -1 if none */
	int      shm_fd;     /* the window file, handed to the guest */
	unsigned vectors;
	int      irq_fd[SIM_IVSHMEM_MAX_VECTORS];
	int      kick_fd;    /* rung by the guest's doorbell, -1 if no guest */
	uint8_t *win;        /* the device window (TX rings' kick flags) */
	uint32_t win_size;
	int      armed;      /* the TX rings ask for a doorbell */
	uint64_t irqs;       /* interrupts signalled */
	uint64_t naps;       /* naps with the doorbell armed */
	uint64_t kicks;      /* doorbells taken (the guest may ring twice per turn) */
	uint64_t irqs_lost;  /* raised while no guest was connected */
	uint64_t peers;      /* guests that connected */
	char     path[108];
};

/* Listen on `sock_path` (replacing a stale socket) to serve `window_path`
 * (mapped at `win`) with `vectors` interrupt vectors. 0, or -1 with a
 * message on stderr. */
int  sim_ivshmem_open(struct sim_ivshmem *iv, const char *sock_path,
		      const char *window_path, uint8_t *win, uint32_t win_size,
		      unsigned vectors);
/* Accept a waiting guest and send it the setup (nonblocking otherwise). */
void sim_ivshmem_poll(struct sim_ivshmem *iv);
/* Raise interrupt `vector` in the guest (hal_irq). */
void sim_ivshmem_irq(uint16_t vector);
/*
 * Before a nap: ask the guest for a doorbell on new TX descriptors (sets
 * SNIC_TXQF_KICK in every TX ring, then a full fence). Returns the fd to
 * wait on, or -1 if no guest can ring (then nothing is set). The caller
 * must look at the rings once more (one device poll) before it sleeps.
 */
int  sim_ivshmem_arm(struct sim_ivshmem *iv);
/* Awake again: the flags go (no-op when not armed). */
void sim_ivshmem_disarm(struct sim_ivshmem *iv);
/* After a nap on the armed fd: count and consume the doorbells. */
void sim_ivshmem_woken(struct sim_ivshmem *iv);
void sim_ivshmem_summary(const struct sim_ivshmem *iv, FILE *f);
void sim_ivshmem_close(struct sim_ivshmem *iv);

#endif
