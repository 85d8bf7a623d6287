// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the host library against a hostile device window. The
 * window is the synthetic, valid device of the library's unit tests
 * (tests/unit/test_lib_fakewin.h) with fuzzer-chosen bytes written over
 * it: block chain links and sizes, capability records, ring control
 * areas and indices, RX completions, the admin ring. Then the library
 * attaches, reads state, polls and sends on every ring and runs admin
 * commands that a responder thread completes with fuzzer bytes.
 *
 * Input: a byte (bit 7: make the calls that wait, bits 0-6: n patches),
 * n patches [offset LE16][length 1 byte][bytes]; what follows feeds the
 * responder's completions. Admin commands and TX flushes wait for the
 * device (until the timeout when it does not answer), so only inputs
 * that ask make them. Checked besides memory
 * safety: a frame handed to the receive callback lies inside the window
 * and within its ring's buffer size; no call blocks past its timeout.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include "snic_impl.h"
#include "test_lib_fakewin.h"
#include "fuzz_util.h"

/* One responder thread for the process (a thread per input would cost
 * more than the input); it serves while `active`. */
struct responder {
	uint8_t       *win;
	const uint8_t *feed;
	size_t         left;
	atomic_int     active;
	pthread_mutex_t lock;
};
static struct responder rsp = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* A completion from the feed; with bit 0 of its first byte the seq and
 * opcode are echoed, so the fuzzer reaches the payload decoders. */
static void answer(const struct snic_admin_cmd *c, struct snic_admin_cpl *p)
{
	memset(p, 0, sizeof(*p));
	size_t n = rsp.left < sizeof(*p) ? rsp.left : 64 + (rsp.left % 192);
	if (n > rsp.left)
		n = rsp.left;
	memcpy(p, rsp.feed, n);
	uint8_t ctl = n ? rsp.feed[0] : 1;
	rsp.feed += n, rsp.left -= n;
	if (ctl & 1) {
		p->seq = c->seq;
		p->opcode = c->opcode;
	}
	if (ctl & 2)
		p->status = SNIC_OK;
}

static void *responder_main(void *arg)
{
	(void)arg;
	for (;;) {
		int served = 0, active;
		pthread_mutex_lock(&rsp.lock);
		active = atomic_load(&rsp.active);
		if (active)
			served = fw_admin_serve(rsp.win, answer);
		pthread_mutex_unlock(&rsp.lock);
		if (!active)    /* between inputs: do not take a core */
			nanosleep(&(struct timespec){ 0, 50000 }, NULL);
		else if (!served)
			sched_yield();
	}
	return NULL;
}

struct rx_seen {
	const uint8_t *win;
	uint32_t buf_max;
	unsigned frames;
};

static void on_frame(void *arg, const struct snic_rx_frame *f)
{
	struct rx_seen *s = arg;

	FZ_CHECK(f->data >= s->win && f->data + f->cpl.len <= s->win + FW_SIZE);
	FZ_CHECK(f->cpl.len <= s->buf_max);
	s->frames++;
}

static void exercise(struct snic_dev *d, uint8_t *w, int waits)
{
	struct snic_devinfo di;
	struct snic_stats st;
	struct snic_vnic_info vi;
	struct snic_rule_info ri;
	uint8_t frame[60] = { 2, 0, 0, 0, 0, 1 };

	snic_devinfo(d, &di);
	snic_stats_read(d, &st);
	const struct snic_caps *c = snic_caps(d);
	for (unsigned r = 0; r < snic_rx_count(d); r++) {
		struct rx_seen s = { w, c->rx[r].buf_max, 0 };
		if (snic_rx_start(d, r) == 0) {
			snic_rx_poll(d, r, 16, on_frame, &s);
			snic_rx_stop(d, r);
		}
	}
	for (unsigned r = 0; r < snic_tx_count(d); r++) {
		if (snic_tx_start(d, r) == 0) {
			snic_tx_send(d, r, frame, sizeof(frame));
			if (waits)
				snic_tx_flush(d, r);
			snic_tx_stop(d, r);
		}
	}
	if (waits) {
		snic_vnic_query(d, 1, &vi);
		snic_rule_query(d, 0, &ri);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *tmpl, *w;
	if (!tmpl) {
		pthread_t t;
		tmpl = fw_build();
		w = fw_build();
		rsp.win = w;
		pthread_create(&t, NULL, responder_main, NULL);
	}
	if (size < 1)
		return 0;
	memcpy(w, tmpl, FW_SIZE);
	unsigned n = data[0] & 0x7f;
	size_t at = 1;
	for (unsigned i = 0; i < n && at + 3 <= size; i++) {
		uint32_t off = (uint32_t)(data[at] | data[at + 1] << 8) % OFF_DMAREG;
		uint32_t len = data[at + 2];
		at += 3;
		if (len > size - at)
			len = (uint32_t)(size - at);
		if (off + len > FW_SIZE)
			len = FW_SIZE - off;
		memcpy(w + off, data + at, len);
		at += len;
	}
	pthread_mutex_lock(&rsp.lock);
	rsp.feed = data + at;
	rsp.left = size - at;
	atomic_store(&rsp.active, 1);
	pthread_mutex_unlock(&rsp.lock);

	struct snic_dev *d = snic_alloc();
	snic_set_state_path(d, NULL);   /* no host mirror file */
	snic_set_timeout(d, 1);   /* the responder answers in microseconds */
	if (snic_attach(d, w, FW_SIZE) == 0) {
		const struct snic_caps *c = snic_caps(d);
		FZ_CHECK(c && c->n_rx <= SNIC_LIB_MAX_RINGS && c->n_tx <= SNIC_LIB_MAX_RINGS);
		exercise(d, w, data[0] & 0x80);
	}
	pthread_mutex_lock(&rsp.lock);
	atomic_store(&rsp.active, 0);
	pthread_mutex_unlock(&rsp.lock);
	snic_close(d);
	return 0;
}
