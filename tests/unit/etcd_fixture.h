/* SPDX-License-Identifier: MIT */
/*
 * A real etcd for tests: one member or a cluster of up to three on
 * loopback, each in a fresh data directory under one temp directory, on
 * ports picked from the pid (20000 + pid * 7 % 20000, moved on when a
 * port is taken or etcd fails to bind). Members can be killed (SIGKILL)
 * and restarted on their data directory. Every etcd dies with the test
 * (PR_SET_PDEATHSIG, so start members from the main thread) even when
 * the test itself crashes. Static inline functions: include it in any
 * test that wants etcd.
 *
 *	struct etcd_fx fx;
 *	if (!etcd_fx_available()) skip();
 *	assert_int_equal(etcd_fx_start(&fx, 1), 0);
 *	... fx.endpoints, fx.m[0].url ...
 *	etcd_fx_stop(&fx);
 */
#ifndef SNIC_TESTS_ETCD_FIXTURE_H
#define SNIC_TESTS_ETCD_FIXTURE_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef ETCD_FX_BIN
#define ETCD_FX_BIN      "/usr/bin/etcd"
#endif
#define ETCD_FX_MAX      3
#define ETCD_FX_READY_MS 10000
#define ETCD_FX_TRIES    8

struct etcd_member {
	pid_t pid;              /* 0: not running */
	int   client_port, peer_port;
	char  name[16];
	char  dir[300];         /* data directory */
	char  url[64];          /* client URL */
};

struct etcd_fx {
	int   n;
	const char *extra;      /* one more etcd flag for every member, or NULL */
	char  root[256];        /* temp directory holding the data dirs and logs */
	char  cluster[512];     /* --initial-cluster */
	char  endpoints[256];   /* every client URL, comma-separated */
	struct etcd_member m[ETCD_FX_MAX];
};

static int etcd_fx_seq;         /* fixtures started so far: new ports each */

static inline int etcd_fx_available(void)
{
	return access(ETCD_FX_BIN, X_OK) == 0;
}

static inline long etcd_fx_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static inline void etcd_fx_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	nanosleep(&ts, NULL);
}

/* Is anything listening on (or bound to) this loopback port? */
static inline int etcd_fx_port_free(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

/*
 * One HTTP/1.0 request to a member with a plain socket (no client
 * library, so the fixture checks etcd independently of the code under
 * test). body NULL: GET, else POST. The reply, headers and all, goes to
 * out; returns its length or -1.
 */
static inline int etcd_fx_http(int port, const char *path, const char *body,
			       char *out, size_t outlen)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct timeval tv = { 2, 0 };
	char req[1024];
	size_t got = 0;
	ssize_t r;
	int fd = socket(AF_INET, SOCK_STREAM, 0), len;

	if (fd < 0)
		return -1;
	len = snprintf(req, sizeof(req), "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\n"
		       "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
		       body ? "POST" : "GET", path, body ? strlen(body) : 0,
		       body ? body : "");
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (len < 0 || len >= (int)sizeof(req) ||
	    connect(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    write(fd, req, (size_t)len) != len) {
		close(fd);
		return -1;
	}
	while (got < outlen - 1 && (r = read(fd, out + got, outlen - 1 - got)) > 0)
		got += (size_t)r;
	close(fd);
	out[got] = '\0';
	return (int)got;
}

/* Healthy: the member has a leader and a quorum. */
static inline int etcd_fx_healthy(int port)
{
	char buf[1024];

	return etcd_fx_http(port, "/health", NULL, buf, sizeof(buf)) > 0 &&
	       strstr(buf, "\"health\":\"true\"") != NULL;
}

/* Index of the member that is the raft leader now, or -1. */
static inline int etcd_fx_leader(struct etcd_fx *f)
{
	char buf[2048], id[32], leader[32];
	const char *p, *q;

	for (int i = 0; i < f->n; i++) {
		if (!f->m[i].pid ||
		    etcd_fx_http(f->m[i].client_port, "/v3/maintenance/status", "{}",
				 buf, sizeof(buf)) <= 0 ||
		    !(p = strstr(buf, "\"member_id\":\"")) ||
		    !(q = strstr(buf, "\"leader\":\"")) ||
		    sscanf(p + 13, "%31[0-9]", id) != 1 ||
		    sscanf(q + 10, "%31[0-9]", leader) != 1)
			continue;
		if (!strcmp(id, leader))
			return i;
	}
	return -1;
}

static inline void etcd_fx_spawn(struct etcd_fx *f, int i)
{
	struct etcd_member *m = &f->m[i];
	char name[32], dir[320], curl[64], purl[64], token[64], log[300];
	pid_t parent = getpid(), pid;
	int fd;

	snprintf(name, sizeof(name), "--name=%s", m->name);
	snprintf(dir, sizeof(dir), "--data-dir=%s", m->dir);
	snprintf(curl, sizeof(curl), "http://127.0.0.1:%d", m->client_port);
	snprintf(purl, sizeof(purl), "http://127.0.0.1:%d", m->peer_port);
	snprintf(token, sizeof(token), "--initial-cluster-token=snic-test-%d",
		 (int)parent);
	snprintf(log, sizeof(log), "%.255s/%.7s.log", f->root, m->name);
	const char *argv[] = {
		"etcd", name, dir,
		"--listen-client-urls", curl, "--advertise-client-urls", curl,
		"--listen-peer-urls", purl, "--initial-advertise-peer-urls", purl,
		"--initial-cluster", f->cluster, "--initial-cluster-state=new", token,
		/* Elections in well under a second: quick start, and leases
		 * as short as 1 s (etcd's minimum TTL is 1.5 election timeouts). */
		"--heartbeat-interval=50", "--election-timeout=500",
		"--logger=zap", "--log-outputs=stderr", "--log-level=warn",
		f->extra, NULL,
	};

	pid = fork();
	if (pid == 0) {
		/* Die with the test, whatever happens to it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execv(ETCD_FX_BIN, (char *const *)argv);
		_exit(127);
	}
	m->pid = pid > 0 ? pid : 0;
}

/* Wait until member i answers healthy; 0, or -1 if it died or never did. */
static inline int etcd_fx_wait(struct etcd_fx *f, int i, long deadline)
{
	struct etcd_member *m = &f->m[i];
	int status;

	while (etcd_fx_now_ms() < deadline) {
		if (!m->pid || waitpid(m->pid, &status, WNOHANG) == m->pid) {
			m->pid = 0;
			return -1;
		}
		if (etcd_fx_healthy(m->client_port))
			return 0;
		etcd_fx_sleep_ms(50);
	}
	return -1;
}

static inline int etcd_fx_kill(struct etcd_fx *f, int i)
{
	struct etcd_member *m = &f->m[i];

	if (!m->pid)
		return -1;
	kill(m->pid, SIGKILL);
	waitpid(m->pid, NULL, 0);
	m->pid = 0;
	return 0;
}

/* Start member i again on its data directory and wait for it. */
static inline int etcd_fx_restart(struct etcd_fx *f, int i)
{
	if (f->m[i].pid)
		etcd_fx_kill(f, i);
	etcd_fx_spawn(f, i);
	return etcd_fx_wait(f, i, etcd_fx_now_ms() + ETCD_FX_READY_MS);
}

static inline int etcd_fx_rm(const char *path, const struct stat *st,
			     int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	remove(path);
	return 0;
}

static inline void etcd_fx_kill_all(struct etcd_fx *f)
{
	for (int i = 0; i < f->n; i++)
		if (f->m[i].pid)
			etcd_fx_kill(f, i);
}

/* Kill every member and remove the temp directory. Idempotent. */
static inline void etcd_fx_stop(struct etcd_fx *f)
{
	etcd_fx_kill_all(f);
	if (f->root[0])
		nftw(f->root, etcd_fx_rm, 16, FTW_DEPTH | FTW_PHYS);
	f->root[0] = '\0';
	f->n = 0;
}

/* Ports, names, directories and flags of attempt `try` for n members. */
static inline int etcd_fx_plan(struct etcd_fx *f, int n, int try)
{
	int base = 20000 + (int)((long)getpid() * 7 % 20000);
	size_t c = 0, e = 0;

	base += (etcd_fx_seq * ETCD_FX_TRIES + try) * 2 * ETCD_FX_MAX;
	base = 20000 + (base - 20000) % 40000;
	for (int i = 0; i < n; i++) {
		struct etcd_member *m = &f->m[i];

		m->pid = 0;
		m->client_port = base + 2 * i;
		m->peer_port = base + 2 * i + 1;
		if (!etcd_fx_port_free(m->client_port) || !etcd_fx_port_free(m->peer_port))
			return -1;
		snprintf(m->name, sizeof(m->name), "m%d", i);
		snprintf(m->dir, sizeof(m->dir), "%.255s/%.7s", f->root, m->name);
		snprintf(m->url, sizeof(m->url), "http://127.0.0.1:%d", m->client_port);
		c += (size_t)snprintf(f->cluster + c, sizeof(f->cluster) - c,
				      "%s%.7s=http://127.0.0.1:%d", i ? "," : "",
				      m->name, m->peer_port);
		e += (size_t)snprintf(f->endpoints + e, sizeof(f->endpoints) - e,
				      "%s%.63s", i ? "," : "", m->url);
	}
	return 0;
}

/* The end of member i's log on stderr: why it did not come up. */
static inline void etcd_fx_dump_log(struct etcd_fx *f, int i)
{
	char path[300], buf[2048];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%.255s/%.7s.log", f->root, f->m[i].name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	if (lseek(fd, 0, SEEK_END) > (off_t)sizeof(buf) - 1)
		lseek(fd, -(off_t)sizeof(buf) + 1, SEEK_END);
	else
		lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0) {
		buf[n] = '\0';
		fprintf(stderr, "# etcd %s log (end):\n%s\n", f->m[i].name, buf);
	}
}

/*
 * Start n members (1..3) and wait until each answers healthy. 0, or -1
 * with a message and the members' logs on stderr.
 */
static inline int etcd_fx_start(struct etcd_fx *f, int n)
{
	const char *tmp = getenv("TMPDIR");
	const char *extra = f->extra;

	memset(f, 0, sizeof(*f));
	f->extra = extra;
	if (n < 1 || n > ETCD_FX_MAX)
		return -1;
	for (int try = 0; try < ETCD_FX_TRIES; try++) {
		long deadline;
		int ok = 1;

		snprintf(f->root, sizeof(f->root), "%s/snic-etcd-XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(f->root)) {
			fprintf(stderr, "# etcd fixture: mkdtemp %s: %s\n", f->root,
				strerror(errno));
			f->root[0] = '\0';
			return -1;
		}
		f->n = n;
		if (etcd_fx_plan(f, n, try)) {
			etcd_fx_stop(f);
			continue;
		}
		for (int i = 0; i < n; i++)
			etcd_fx_spawn(f, i);
		deadline = etcd_fx_now_ms() + ETCD_FX_READY_MS;
		for (int i = 0; i < n && ok; i++)
			ok = etcd_fx_wait(f, i, deadline) == 0;
		if (ok) {
			etcd_fx_seq++;
			return 0;
		}
		fprintf(stderr, "# etcd fixture: %d member(s) on port %d not ready, "
			"trying other ports (logs: %s)\n", n, f->m[0].client_port, f->root);
		etcd_fx_kill_all(f);
		if (try + 1 < ETCD_FX_TRIES)
			etcd_fx_stop(f);
	}
	for (int i = 0; i < n; i++)
		etcd_fx_dump_log(f, i);
	etcd_fx_kill_all(f);
	etcd_fx_seq++;
	return -1;
}

#endif
