/* SPDX-License-Identifier: MIT */
/*
 * libsnic: the admin queue lock word (include/snic/admin.h) against a
 * second producer that is not a libsnic process: a thread playing a kernel
 * driver in a VM, which shares the window but not the window file's flock.
 * It follows the ABI's rules on its own (compare-and-swap on `lock`,
 * indices from the window, completions with a foreign seq skipped), so
 * the library is checked against the ABI, not against itself.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "snic_impl.h"
#include "test_lib_fakewin.h"

#define WORD(f)     FW_ADMIN_WORD(win, f)
#define LOAD(f)     __atomic_load_n(WORD(f), __ATOMIC_ACQUIRE)
#define STORE(f, v) __atomic_store_n(WORD(f), (v), __ATOMIC_RELEASE)

static uint8_t *win;
static struct snic_dev *dev;
static pthread_t responder;
static volatile int stop_responder;
static volatile uint32_t lock_seen_by_device; /* lock word when the last command arrived */

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_us(unsigned us)
{
	struct timespec ts = { 0, (long)us * 1000 };
	nanosleep(&ts, NULL);
}

/* NOP echoes its payload; everything else is refused. */
static void answer(const struct snic_admin_cmd *c, struct snic_admin_cpl *p)
{
	memset(p, 0, sizeof(*p));
	p->opcode = c->opcode;
	p->seq = c->seq;
	lock_seen_by_device = LOAD(lock);
	if (c->opcode == SNIC_CMD_NOP) {
		p->len = c->len;
		memcpy(p->payload, c->payload, c->len);
	} else {
		p->status = SNIC_E_OPCODE;
	}
}

static void *responder_main(void *arg)
{
	(void)arg;
	while (!stop_responder) {
		if (LOAD(cpl_prod) - LOAD(cpl_cons) >= FW_ENTRIES || !fw_admin_serve(win, answer))
			sleep_us(20);
	}
	return NULL;
}

static int setup(void **state)
{
	(void)state;
	win = fw_build();
	dev = snic_alloc();
	assert_int_equal(snic_attach(dev, win, FW_SIZE), 0);
	snic_set_timeout(dev, 3000);
	stop_responder = 0;
	pthread_create(&responder, NULL, responder_main, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	stop_responder = 1;
	pthread_join(responder, NULL);
	snic_close(dev);
	free(win);
	return 0;
}

/* ---- the other agent: a kernel driver's producer, by the ABI ---- */

struct agent {
	volatile int commands; /* to send (0 stops it) */
	int ok;             /* answered with its own payload */
	int lock_waits;     /* times it found the lock taken */
	char err[128];
	uint32_t seq;
};

static int agent_take(struct agent *a, uint32_t tag)
{
	uint64_t end = now_ms() + 3000;
	for (;;) {
		uint32_t cur = SNIC_ADMIN_LOCK_FREE;
		if (__atomic_compare_exchange_n(WORD(lock), &cur, tag, 0, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return 0;
		a->lock_waits++;
		if (now_ms() > end)
			return -1;
		sleep_us(10);
	}
}

/* One NOP carrying `v`: command written slowly (the window for a second
 * producer to collide), completion found by seq. */
static int agent_nop(struct agent *a, uint32_t v)
{
	uint32_t prod = LOAD(cmd_prod);
	uint32_t seq = 0x40000000u + a->seq++;
	while (prod - LOAD(cmd_cons) >= FW_ENTRIES)
		sleep_us(10);
	struct snic_admin_cmd *c = (void *)(win + OFF_CMD + (prod % FW_ENTRIES) * sizeof(*c));
	memset(c, 0, sizeof(*c));
	c->opcode = SNIC_CMD_NOP;
	c->seq = seq;
	sleep_us(50);
	c->len = sizeof(v);
	memcpy(c->payload, &v, sizeof(v));
	STORE(cmd_prod, prod + 1);
	uint64_t end = now_ms() + 3000;
	for (;;) {
		uint32_t cons = LOAD(cpl_cons);
		if (LOAD(cpl_prod) == cons) {
			if (now_ms() > end) {
				snprintf(a->err, sizeof(a->err), "no completion for seq 0x%x", seq);
				return -1;
			}
			sleep_us(10);
			continue;
		}
		struct snic_admin_cpl p;
		memcpy(&p, win + OFF_CPL + (cons % FW_ENTRIES) * sizeof(p), sizeof(p));
		STORE(cpl_cons, cons + 1);
		if (p.seq != seq)
			continue;
		uint32_t got;
		memcpy(&got, p.payload, sizeof(got));
		if (p.len != sizeof(v) || got != v) {
			snprintf(a->err, sizeof(a->err), "seq 0x%x answered with %u, sent %u",
				 seq, got, v);
			return -1;
		}
		return 0;
	}
}

static void *agent_main(void *arg)
{
	struct agent *a = arg;
	struct snic_blk_devid *id = (void *)(win + OFF_DEVID);
	for (int i = 0; i < a->commands; i++) {
		uint64_t ms = __atomic_load_n(&id->dev_time_ns, __ATOMIC_ACQUIRE) / 1000000u;
		uint32_t tag = SNIC_ADMIN_LOCK_TAG(SNIC_ADMIN_LOCK_KERNEL, ms);
		if (agent_take(a, tag)) {
			snprintf(a->err, sizeof(a->err), "lock never free");
			return NULL;
		}
		int rc = agent_nop(a, 0xa0000000u + (uint32_t)i);
		uint32_t t = tag;
		__atomic_compare_exchange_n(WORD(lock), &t, SNIC_ADMIN_LOCK_FREE, 0,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
		if (rc)
			return NULL;
		a->ok++;
	}
	return NULL;
}

/* ---- tests ---- */

/* The library holds the lock, as a host agent, only while its command is
 * in flight, and leaves the word free. */
static void lock_held_during_command(void **state)
{
	(void)state;
	uint8_t in[4] = { 1, 2, 3, 4 }, out[4];
	uint32_t len = 0;
	assert_int_equal(LOAD(lock), SNIC_ADMIN_LOCK_FREE);
	assert_int_equal(snic_admin_exec(dev, SNIC_CMD_NOP, in, 4, out, 4, &len), 0);
	assert_memory_equal(in, out, 4);
	assert_int_equal(lock_seen_by_device, SNIC_ADMIN_LOCK_TAG(SNIC_ADMIN_LOCK_HOST, 0));
	assert_int_equal(LOAD(lock), SNIC_ADMIN_LOCK_FREE);
}

/* Another agent holds the queue: the library waits and gives up at its
 * timeout without writing anything. */
static void foreign_holder_blocks(void **state)
{
	(void)state;
	STORE(lock, SNIC_ADMIN_LOCK_KERNEL | 7u);
	snic_set_timeout(dev, 150);
	uint64_t t0 = now_ms();
	assert_int_equal(snic_admin_exec(dev, SNIC_CMD_NOP, NULL, 0, NULL, 0, NULL),
			 SNIC_ERR_TIMEOUT);
	uint64_t dt = now_ms() - t0;
	assert_true(dt >= 150 && dt < 2000);
	assert_non_null(strstr(snic_errmsg(dev), "held by a kernel driver"));
	assert_int_equal(LOAD(cmd_prod), 0);
	assert_int_equal(LOAD(lock), SNIC_ADMIN_LOCK_KERNEL | 7u);
}

struct releaser { uint32_t after_ms; };

static void *release_later(void *arg)
{
	const struct releaser *r = arg;
	sleep_us(r->after_ms * 1000);
	STORE(lock, SNIC_ADMIN_LOCK_FREE);
	return NULL;
}

/* The holder lets go: the library's command goes out after that, not
 * before. */
static void waits_for_release(void **state)
{
	(void)state;
	struct releaser r = { 200 };
	pthread_t t;
	STORE(lock, SNIC_ADMIN_LOCK_KERNEL | 9u);
	uint64_t t0 = now_ms();
	pthread_create(&t, NULL, release_later, &r);
	uint8_t in = 0x5a, out = 0;
	assert_int_equal(snic_admin_exec(dev, SNIC_CMD_NOP, &in, 1, &out, 1, NULL), 0);
	assert_true(now_ms() - t0 >= 200);
	pthread_join(t, NULL);
	assert_int_equal(out, 0x5a);
	assert_int_equal(LOAD(cmd_prod), 1);
	assert_int_equal(LOAD(lock), SNIC_ADMIN_LOCK_FREE);
}

static void set_device_ms(uint64_t ms)
{
	struct snic_blk_devid *id = (void *)(win + OFF_DEVID);
	__atomic_store_n(&id->dev_time_ns, ms * 1000000u, __ATOMIC_RELEASE);
}

/* A holder that died leaves its tag for good: once the tag is a whole
 * lease old on the device clock the library takes the lock over; before
 * that it does not, however long it waits. */
static void dead_holder_taken_over(void **state)
{
	(void)state;
	dev->lock_lease_ms = 300;
	set_device_ms(5000);
	STORE(lock, SNIC_ADMIN_LOCK_TAG(SNIC_ADMIN_LOCK_KERNEL, 4800)); /* 200 ms old */
	snic_set_timeout(dev, 150);
	assert_int_equal(snic_admin_exec(dev, SNIC_CMD_NOP, NULL, 0, NULL, 0, NULL),
			 SNIC_ERR_TIMEOUT);
	assert_int_equal(dev->lock_takeovers, 0);
	assert_int_equal(LOAD(cmd_prod), 0);
	set_device_ms(5100); /* now 300 ms old: a whole lease */
	uint8_t in = 0x77, out = 0;
	assert_int_equal(snic_admin_exec(dev, SNIC_CMD_NOP, &in, 1, &out, 1, NULL), 0);
	assert_int_equal(out, 0x77);
	assert_int_equal(dev->lock_takeovers, 1);
	/* The device saw the library's own tag, stamped with the device time. */
	assert_int_equal(lock_seen_by_device, SNIC_ADMIN_LOCK_TAG(SNIC_ADMIN_LOCK_HOST, 5100));
	assert_int_equal(LOAD(lock), SNIC_ADMIN_LOCK_FREE);
}

/* A holder that is alive (its tag young on the device clock) is never
 * taken over, even by a waiter that waits far longer than the lease. */
static void live_holder_not_taken_over(void **state)
{
	(void)state;
	dev->lock_lease_ms = 100;
	snic_set_timeout(dev, 400);
	set_device_ms(7000);
	struct agent a = { .commands = 1000000 };
	pthread_t t;
	/* The agent holds the lock almost all the time, its tags stamped now;
	 * the library either gets a turn or times out, never steals. */
	STORE(lock, SNIC_ADMIN_LOCK_FREE);
	pthread_create(&t, NULL, agent_main, &a);
	for (int i = 0; i < 5; i++) {
		int rc = snic_admin_exec(dev, SNIC_CMD_NOP, NULL, 0, NULL, 0, NULL);
		assert_true(rc == 0 || rc == SNIC_ERR_TIMEOUT);
	}
	a.commands = 0; /* stops it after its current command */
	pthread_join(t, NULL);
	assert_int_equal(dev->lock_takeovers, 0);
	assert_string_equal(a.err, "");
}

/* Two producers at once, the library and the driver-like agent: every
 * answer reaches its own sender. Without the lock word the two write the
 * same command slot and one of them gets the other's answer or none. */
static void two_producers_interleave(void **state)
{
	(void)state;
	struct agent a = { .commands = 300 };
	pthread_t t;
	pthread_create(&t, NULL, agent_main, &a);
	int lib_ok = 0;
	for (uint32_t i = 0; i < 300; i++) {
		uint32_t v = 0x10000000u + i, got = 0, len = 0;
		int rc = snic_admin_exec(dev, SNIC_CMD_NOP, &v, sizeof(v), &got, sizeof(got), &len);
		if (rc)
			fail_msg("library command %u: %s", i, snic_errmsg(dev));
		if (len != sizeof(v) || got != v)
			fail_msg("library command %u answered with %u", i, got);
		lib_ok++;
	}
	pthread_join(t, NULL);
	if (a.ok != 300)
		fail_msg("agent: %d of 300 answered right (%s)", a.ok, a.err);
	assert_int_equal(lib_ok, 300);
	assert_int_equal(LOAD(cmd_prod), 600);
	assert_int_equal(LOAD(cpl_cons), 600);
	assert_int_equal(LOAD(lock), SNIC_ADMIN_LOCK_FREE);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(lock_held_during_command), T(foreign_holder_blocks), T(waits_for_release),
		T(dead_holder_taken_over), T(live_holder_not_taken_over),
		T(two_producers_interleave),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
