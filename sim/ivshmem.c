/* SPDX-License-Identifier: MIT */
/* The simulator as an ivshmem server: see ivshmem.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <snic/abi.h>
#include "window.h"
#include "ivshmem.h"

/* The one server hal_irq() signals through (NULL: interrupts only counted). */
static struct sim_ivshmem *active;

static void reset_fds(struct sim_ivshmem *iv)
{
	iv->listen_fd = iv->conn_fd = iv->shm_fd = iv->kick_fd = -1;
	for (unsigned i = 0; i < SIM_IVSHMEM_MAX_VECTORS; i++)
		iv->irq_fd[i] = -1;
}

int sim_ivshmem_open(struct sim_ivshmem *iv, const char *sock_path,
		     const char *window_path, uint8_t *win, uint32_t win_size,
		     unsigned vectors)
{
	struct sockaddr_un a;

	memset(iv, 0, sizeof(*iv));
	reset_fds(iv);
	iv->win = win;
	iv->win_size = win_size;
	if (strlen(sock_path) >= sizeof(a.sun_path)) {
		fprintf(stderr, "snic-sim: socket path '%s' is too long\n", sock_path);
		return -1;
	}
	if (!vectors || vectors > SIM_IVSHMEM_MAX_VECTORS) {
		fprintf(stderr, "snic-sim: %u interrupt vectors: want 1..%u\n", vectors,
			SIM_IVSHMEM_MAX_VECTORS);
		return -1;
	}
	iv->vectors = vectors;
	iv->shm_fd = open(window_path, O_RDWR | O_CLOEXEC);
	if (iv->shm_fd < 0) {
		fprintf(stderr, "snic-sim: %s: %s\n", window_path, strerror(errno));
		return -1;
	}
	iv->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (iv->listen_fd < 0) {
		fprintf(stderr, "snic-sim: socket: %s\n", strerror(errno));
		sim_ivshmem_close(iv);
		return -1;
	}
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, sock_path, strlen(sock_path));
	unlink(sock_path); /* a socket left by an earlier run */
	if (bind(iv->listen_fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(iv->listen_fd, 1) < 0) {
		fprintf(stderr, "snic-sim: %s: %s\n", sock_path, strerror(errno));
		sim_ivshmem_close(iv);
		return -1;
	}
	memcpy(iv->path, sock_path, strlen(sock_path) + 1);
	active = iv;
	return 0;
}

/* One protocol message: a little-endian int64, optionally with a fd. */
static int send_msg(int sock, int64_t value, int fd)
{
	uint8_t buf[8];
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec io = { buf, sizeof(buf) };
	struct msghdr m;

	for (int i = 0; i < 8; i++)
		buf[i] = (uint8_t)((uint64_t)value >> (8 * i));
	memset(&m, 0, sizeof(m));
	m.msg_iov = &io;
	m.msg_iovlen = 1;
	if (fd >= 0) {
		memset(&ctl, 0, sizeof(ctl));
		m.msg_control = ctl.space;
		m.msg_controllen = sizeof(ctl.space);
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(sock, &m, MSG_NOSIGNAL) == (ssize_t)sizeof(buf) ? 0 : -1;
}

static void drop_peer(struct sim_ivshmem *iv)
{
	sim_ivshmem_disarm(iv);
	for (unsigned i = 0; i < iv->vectors; i++) {
		if (iv->irq_fd[i] >= 0)
			close(iv->irq_fd[i]);
		iv->irq_fd[i] = -1;
	}
	if (iv->kick_fd >= 0)
		close(iv->kick_fd);
	iv->kick_fd = -1;
	if (iv->conn_fd >= 0)
		close(iv->conn_fd);
	iv->conn_fd = -1;
}

void sim_ivshmem_poll(struct sim_ivshmem *iv)
{
	if (iv->listen_fd < 0)
		return;
	int c = accept4(iv->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return; /* nobody waiting */
	/* A new guest replaces the old one (QEMU restarted). The messages
	 * are small: a blocking socket sends them at once. */
	drop_peer(iv);
	iv->conn_fd = c;
	int err = send_msg(c, 0, -1) ||                       /* protocol version */
		  send_msg(c, SIM_IVSHMEM_PEER_ID, -1) ||     /* its id */
		  send_msg(c, -1, iv->shm_fd);                /* the shared memory */
	/* Ourselves as a peer with one vector: the guest's doorbell. */
	if (!err) {
		iv->kick_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		err = iv->kick_fd < 0 || send_msg(c, SIM_IVSHMEM_SELF_ID, iv->kick_fd);
	}
	/* Interrupt setup: its own id once per vector, with the eventfd. */
	for (unsigned i = 0; !err && i < iv->vectors; i++) {
		iv->irq_fd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		err = iv->irq_fd[i] < 0 || send_msg(c, SIM_IVSHMEM_PEER_ID, iv->irq_fd[i]);
	}
	if (err) {
		fprintf(stderr, "snic-sim: ivshmem peer setup failed: %s\n", strerror(errno));
		drop_peer(iv);
		return;
	}
	iv->peers++;
}

void sim_ivshmem_irq(uint16_t vector)
{
	struct sim_ivshmem *iv = active;
	uint64_t one = 1;

	if (!iv)
		return;
	if (vector >= iv->vectors || iv->irq_fd[vector] < 0 ||
	    write(iv->irq_fd[vector], &one, sizeof(one)) != sizeof(one)) {
		iv->irqs_lost++;
		return;
	}
	iv->irqs++;
}

static void set_kick(struct sim_ivshmem *iv, uint32_t flags)
{
	const struct snic_blk_queues *q =
		iv->win ? sim_window_queues(iv->win, iv->win_size, SNIC_BLK_TXQ) : NULL;
	if (!q || q->stride < sizeof(struct snic_txq))
		return;
	for (uint32_t r = 0; r < q->count; r++) {
		struct snic_txq *t = (void *)(iv->win + q->first + r * q->stride);
		__atomic_store_n(&t->kick, (uint32_t)SIM_IVSHMEM_SELF_ID << 16 |
				 SIM_IVSHMEM_KICK_VECTOR, __ATOMIC_RELAXED);
		__atomic_store_n(&t->flags, flags, __ATOMIC_RELEASE);
	}
}

int sim_ivshmem_arm(struct sim_ivshmem *iv)
{
	if (iv->kick_fd < 0)
		return -1;
	if (!iv->armed) {
		set_kick(iv, SNIC_TXQF_KICK);
		/* Flag stores before the desc_prod loads of the next poll. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		iv->armed = 1;
	}
	return iv->kick_fd;
}

void sim_ivshmem_disarm(struct sim_ivshmem *iv)
{
	if (!iv->armed)
		return;
	set_kick(iv, 0);
	iv->armed = 0;
}

void sim_ivshmem_woken(struct sim_ivshmem *iv)
{
	uint64_t v;
	iv->naps++;
	if (iv->kick_fd < 0)
		return;
	/* Read only a counter that is set: QEMU puts the fds it receives
	 * over the socket back into blocking mode (its socket channel's
	 * SCM_RIGHTS handling), and O_NONBLOCK belongs to the file description
	 * we share with it, so a read of an unrung doorbell could wait for the
	 * guest's next doorbell, maybe for good (the VM test saw the simulator
	 * hang in this read). */
	struct pollfd p = { iv->kick_fd, POLLIN, 0 };
	if (poll(&p, 1, 0) == 1 && (p.revents & POLLIN) &&
	    read(iv->kick_fd, &v, sizeof(v)) == sizeof(v))
		iv->kicks++;
}

void sim_ivshmem_summary(const struct sim_ivshmem *iv, FILE *f)
{
	if (iv->listen_fd < 0 && !iv->peers)
		return;
	fprintf(f, "snic-sim:   ivshmem server %s: %llu guests, %u vectors, %llu interrupts "
		"(%llu lost), %llu naps with the TX doorbell armed, %llu doorbells\n",
		iv->path, (unsigned long long)iv->peers, iv->vectors,
		(unsigned long long)iv->irqs, (unsigned long long)iv->irqs_lost,
		(unsigned long long)iv->naps, (unsigned long long)iv->kicks);
}

void sim_ivshmem_close(struct sim_ivshmem *iv)
{
	if (active == iv)
		active = NULL;
	drop_peer(iv);
	if (iv->listen_fd >= 0) {
		close(iv->listen_fd);
		if (iv->path[0])
			unlink(iv->path);
	}
	if (iv->shm_fd >= 0)
		close(iv->shm_fd);
	iv->listen_fd = iv->shm_fd = -1;
}
