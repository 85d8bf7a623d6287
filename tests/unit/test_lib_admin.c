/* SPDX-License-Identifier: MIT */
/*
 * libsnic: the admin queue protocol against a tiny in-test responder
 * thread that plays the device side of include/snic/admin.h.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "snic.h"
#include "test_lib_fakewin.h"

enum behaviour { B_NORMAL, B_SILENT, B_WRONG_OPCODE, B_SHORT_REPLY };

static uint8_t *win;
static int win_mapped;          /* win is an mmap of a file, not malloc'd */
static pthread_t responder;
static int responder_running;
static volatile int stop_responder;
static volatile int behaviour;
static struct snic_admin_cmd last_cmd;     /* last command the device saw */
static unsigned answered;

#define LOAD(f)     __atomic_load_n(FW_ADMIN_WORD(win, f), __ATOMIC_ACQUIRE)
#define STORE(f, v) __atomic_store_n(FW_ADMIN_WORD(win, f), (v), __ATOMIC_RELEASE)

/* The device's answer to one command. */
static void answer(const struct snic_admin_cmd *c, struct snic_admin_cpl *p)
{
	memset(p, 0, sizeof(*p));
	p->opcode = c->opcode;
	p->seq = c->seq;
	switch (c->opcode) {
	case SNIC_CMD_NOP:   /* echo the payload */
		p->len = c->len;
		memcpy(p->payload, c->payload, c->len);
		break;
	case SNIC_CMD_QUERY_CAPS: {
		struct snic_caps_info ci = { OFF_REC, 123, 7, 0 };
		memcpy(p->payload, &ci, sizeof(ci));
		p->len = sizeof(ci);
		break;
	}
	case SNIC_CMD_VNIC_CREATE:
	case SNIC_CMD_VNIC_QUERY: {
		struct snic_vnic_info vi = { 5, 3, 4, SNIC_RING_BOUND, 100,
					     { 2, 0, 0, 0, 0, 9 }, 60, 0 };
		memcpy(p->payload, &vi, sizeof(vi));
		p->len = behaviour == B_SHORT_REPLY ? 4 : sizeof(vi);
		break;
	}
	case SNIC_CMD_RULE_ADD:
		p->status = SNIC_E_NOSPC;
		break;
	default:
		p->status = SNIC_E_OPCODE;
	}
	if (behaviour == B_WRONG_OPCODE)
		p->opcode ^= 0x40;
}

/* The command is remembered before it completes. */
static void record_and_answer(const struct snic_admin_cmd *c, struct snic_admin_cpl *p)
{
	last_cmd = *c;
	answer(c, p);
}

static void *responder_main(void *arg)
{
	(void)arg;
	while (!stop_responder) {
		/* A silent device, or one whose completion ring is full, answers nothing. */
		if (behaviour != B_SILENT && LOAD(cpl_prod) - LOAD(cpl_cons) < FW_ENTRIES &&
		    fw_admin_serve(win, record_and_answer))
			answered++;
		else
			usleep(50);
	}
	return NULL;
}

static struct snic_dev *dev;

static void start_responder(void)
{
	stop_responder = 0;
	pthread_create(&responder, NULL, responder_main, NULL);
	responder_running = 1;
}

static void halt_responder(void)
{
	if (!responder_running)
		return;
	stop_responder = 1;
	pthread_join(responder, NULL);
	responder_running = 0;
}

static int setup(void **state)
{
	(void)state;
	win = fw_build();
	stop_responder = 0;
	behaviour = B_NORMAL;
	answered = 0;
	dev = snic_alloc();
	assert_int_equal(snic_attach(dev, win, FW_SIZE), 0);
	snic_set_timeout(dev, 2000);
	win_mapped = 0;
	start_responder();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	halt_responder();
	snic_close(dev);
	if (win_mapped)
		munmap(win, FW_SIZE);
	else
		free(win);
	return 0;
}

static void nop_roundtrip_and_seq(void **state)
{
	(void)state;
	uint8_t in[3] = { 1, 2, 3 }, out[8];
	uint32_t len = 99;
	for (uint32_t i = 0; i < 10; i++) {  /* wraps the 4-entry ring twice */
		in[0] = (uint8_t)i;
		assert_int_equal(snic_admin_exec(dev, SNIC_CMD_NOP, in, 3, out, sizeof(out), &len), 0);
		assert_int_equal(len, 3);
		assert_int_equal(out[0], i);
		assert_int_equal(last_cmd.seq, i);   /* seq = the command's ring index */
		assert_int_equal(last_cmd.len, 3);
	}
	assert_int_equal(LOAD(cpl_cons), 10);
}

static void query_caps_reply(void **state)
{
	(void)state;
	struct snic_caps_info ci;
	assert_int_equal(snic_query_caps(dev, &ci), 0);
	assert_int_equal(ci.records, OFF_REC);
	assert_int_equal(ci.length, 123);
	assert_int_equal(ci.generation, 7);
	assert_int_equal(last_cmd.opcode, SNIC_CMD_QUERY_CAPS);
	assert_int_equal(last_cmd.len, 0);
}

static void vnic_create_payload(void **state)
{
	(void)state;
	struct snic_vnic_params p;
	struct snic_vnic_info vi;
	memset(&p, 0, sizeof(p));
	p.id = SNIC_ID_ANY;
	p.vlan = 100;
	memcpy(p.mac, "\x02\x00\x00\x00\x00\x09", 6);
	p.uplink = 1;
	p.n_ip = 2;
	memcpy(p.ip[0], "\x0a\x00\x00\x01", 4);
	memcpy(p.ip[1], "\x0a\x00\x00\x02", 4);
	p.sw_only = 1;
	assert_int_equal(snic_vnic_create(dev, &p, &vi), 0);
	assert_int_equal(vi.vnic, 5);
	assert_int_equal(vi.rx_ring, 3);
	assert_int_equal(vi.tx_ring, 4);
	/* What the device received, field by field from admin.h. */
	struct snic_vnic_create c;
	assert_int_equal(last_cmd.opcode, SNIC_CMD_VNIC_CREATE);
	assert_int_equal(last_cmd.len, sizeof(c));
	memcpy(&c, last_cmd.payload, sizeof(c));
	assert_int_equal(c.vnic, 0xffff);
	assert_int_equal(c.vlan, 100);
	assert_memory_equal(c.mac, "\x02\x00\x00\x00\x00\x09", 6);
	assert_int_equal(c.flags, SNIC_VNICF_SW_ONLY);
	assert_int_equal(c.uplink, 1);
	assert_int_equal(c.n_ip, 2);
	assert_int_equal(c.rsvd, 0);
	assert_memory_equal(c.ip[1], "\x0a\x00\x00\x02", 4);
	assert_memory_equal(c.ip[2], "\0\0\0\0", 4);
}

static void error_status_named(void **state)
{
	(void)state;
	struct snic_rule r;
	uint32_t loc = 77;
	memset(&r, 0, sizeof(r));
	assert_int_equal(snic_rule_add(dev, SNIC_LOC_ANY, &r, &loc), SNIC_E_NOSPC);
	assert_int_equal(loc, 77);   /* untouched on error */
	assert_string_equal(snic_errmsg(dev), "table full (SNIC_E_NOSPC)");
	struct snic_rule_add a;
	memcpy(&a, last_cmd.payload, sizeof(a));
	assert_int_equal(a.loc, SNIC_LOC_ANY);
	assert_int_equal(last_cmd.len, sizeof(a));
}

static void unknown_opcode_status(void **state)
{
	(void)state;
	assert_int_equal(snic_admin_exec(dev, 0x7e, NULL, 0, NULL, 0, NULL), SNIC_E_OPCODE);
	assert_non_null(strstr(snic_errmsg(dev), "SNIC_E_OPCODE"));
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void timeout_then_stale_skipped(void **state)
{
	(void)state;
	uint8_t in = 0xaa, out = 0;
	behaviour = B_SILENT;
	snic_set_timeout(dev, 60);
	uint64_t t0 = now_ms();
	assert_int_equal(snic_admin_exec(dev, SNIC_CMD_NOP, &in, 1, &out, 1, NULL),
			 SNIC_ERR_TIMEOUT);
	uint64_t dt = now_ms() - t0;
	assert_true(dt >= 60 && dt < 1500);
	assert_non_null(strstr(snic_errmsg(dev), "no completion"));
	/* The device wakes up and answers the old command; the next command
	 * must skip that stale completion and get its own. */
	snic_set_timeout(dev, 2000);
	behaviour = B_NORMAL;
	in = 0x55;
	assert_int_equal(snic_admin_exec(dev, SNIC_CMD_NOP, &in, 1, &out, 1, NULL), 0);
	assert_int_equal(out, 0x55);
	assert_int_equal(answered, 2);
}

static void wrong_opcode_echo(void **state)
{
	(void)state;
	behaviour = B_WRONG_OPCODE;
	assert_int_equal(snic_admin_exec(dev, SNIC_CMD_NOP, NULL, 0, NULL, 0, NULL), SNIC_ERR_PROTO);
	assert_non_null(strstr(snic_errmsg(dev), "echoes opcode"));
}

static void short_reply_refused(void **state)
{
	(void)state;
	struct snic_vnic_info vi;
	behaviour = B_SHORT_REPLY;
	assert_int_equal(snic_vnic_query(dev, 5, &vi), SNIC_ERR_PROTO);
	assert_non_null(strstr(snic_errmsg(dev), "reply of 4 bytes"));
}

static void not_running_sends_nothing(void **state)
{
	(void)state;
	((struct snic_blk_devid *)win)->state = SNIC_STATE_HALTED;
	assert_int_equal(snic_reset(dev), SNIC_ERR_STATE);
	assert_non_null(strstr(snic_errmsg(dev), "HALTED"));
	assert_int_equal(LOAD(cmd_prod), 0);
}

static void payload_too_long(void **state)
{
	(void)state;
	uint8_t big[SNIC_ADMIN_PAYLOAD + 1] = { 0 };
	assert_int_equal(snic_admin_exec(dev, SNIC_CMD_NOP, big, sizeof(big), NULL, 0, NULL),
			 SNIC_ERR_ARG);
	assert_int_equal(LOAD(cmd_prod), 0);
}

static void corrupt_cpl_prod(void **state)
{
	(void)state;
	behaviour = B_SILENT;
	STORE(cpl_prod, 1000);
	assert_int_equal(snic_admin_exec(dev, SNIC_CMD_NOP, NULL, 0, NULL, 0, NULL), SNIC_ERR_PROTO);
	assert_non_null(strstr(snic_errmsg(dev), "corrupt"));
}

static void corrupt_cmd_cons(void **state)
{
	(void)state;
	behaviour = B_SILENT;
	STORE(cmd_cons, 0x80000000u);
	assert_int_equal(snic_admin_exec(dev, SNIC_CMD_NOP, NULL, 0, NULL, 0, NULL), SNIC_ERR_PROTO);
}

/* Several processes at once: separate handles on one window file, each
 * sending tagged NOPs; flock must keep every answer with its sender. */
struct worker {
	const char *path;
	int id;
	int ok;
	char msg[SNIC_ERRMSG_MAX];
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct snic_dev *d = snic_alloc();
	if (snic_open(d, w->path)) {
		snprintf(w->msg, sizeof(w->msg), "open: %s", snic_errmsg(d));
		snic_close(d);
		return NULL;
	}
	for (int i = 0; i < 150; i++) {
		uint8_t in[8], out[8];
		uint32_t len = 0;
		memset(in, w->id, sizeof(in));
		memcpy(in, &i, sizeof(i));
		if (snic_admin_exec(d, SNIC_CMD_NOP, in, sizeof(in), out, sizeof(out), &len) ||
		    len != sizeof(in) || memcmp(in, out, sizeof(in))) {
			snprintf(w->msg, sizeof(w->msg), "command %d: %s", i, snic_errmsg(d));
			snic_close(d);
			return NULL;
		}
		w->ok++;
	}
	snic_close(d);
	return NULL;
}

static void concurrent_handles_serialized(void **state)
{
	(void)state;
	/* Move the device window into a shared-memory file. */
	halt_responder();
	char path[64];
	snprintf(path, sizeof(path), "/dev/shm/snic-test-admin-%d", (int)getpid());
	FILE *f = fopen(path, "w+");
	assert_non_null(f);
	assert_int_equal(fwrite(win, 1, FW_SIZE, f), FW_SIZE);
	fclose(f);
	struct snic_dev *d = snic_alloc();
	assert_int_equal(snic_open(d, path), 0);
	snic_close(dev);
	dev = d;  /* teardown closes it */
	free(win);
	/* The responder must serve the file's mapping: reuse the library's. */
	int fd = open(path, O_RDWR);
	win = mmap(NULL, FW_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	assert_true(win != MAP_FAILED);
	win_mapped = 1;
	start_responder();

	struct worker w[3];
	pthread_t t[3];
	for (int i = 0; i < 3; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].path = path;
		w[i].id = i + 1;
		pthread_create(&t[i], NULL, worker_main, &w[i]);
	}
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		if (w[i].ok != 150)
			fail_msg("worker %d: %d ok, %s", i, w[i].ok, w[i].msg);
	}
	assert_int_equal(LOAD(cmd_prod), 450);
	unlink(path);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(nop_roundtrip_and_seq), T(query_caps_reply), T(vnic_create_payload),
		T(error_status_named), T(unknown_opcode_status), T(timeout_then_stale_skipped),
		T(wrong_opcode_echo), T(short_reply_refused), T(not_running_sends_nothing),
		T(payload_too_long), T(corrupt_cpl_prod), T(corrupt_cmd_cons),
		T(concurrent_handles_serialized),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
