/* SPDX-License-Identifier: MIT */
/*
 * Per-packet cost of the firmware's packet path: receive (steering to the
 * VNIC's ring + srTCM policing) and transmit (anti-spoof + shaper + uplink
 * choice), on a 64-byte-frame trace at 148.8 Mpps virtual time. Two
 * scenarios: 4 VNICs with dedicated rings (phases "rx", "tx"), and N = 4,
 * 16, 64, 256 VNICs on the shared rings, frames of all N interleaved
 * (phases "rx_sN", "tx_sN"): the per-packet cost against the number of
 * VNICs.
 *
 * Only the firmware's polls are counted: the host-side work between
 * batches (posting buffers, reading completions, queueing frames) is not.
 *   host:  run under valgrind --tool=callgrind --collect-atstart=no; the
 *          polls toggle collection and each phase is dumped separately
 *          (firmware/bench/callgrind_per_packet.py reads the dumps);
 *   rv32:  bare metal under qemu-system-riscv32 -icount shift=0, where the
 *          instret counter counts retired instructions exactly; the
 *          program prints instructions per packet itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fw.h"
#include "bench.h"

#define WIN_SIZE   (16u << 20)
#define N_VNICS    4              /* the dedicated-ring scenario */
#define MAX_VNICS  1024           /* the largest shared-ring scenario */
#define BATCH      256            /* FW_RX_BUDGET: one poll takes a batch */
#define BATCHES    64
#define FRAME_LEN  64
#define PKT_NS     7              /* ~148.8 Mpps: 64 B + 20 B of wire overhead at 100G */

#ifdef __riscv
/*
 * rv32: instret around each poll. The DMA engine's transfers
 * (hal_dma_to_host/hal_dma_from_host: the bench copies the bytes itself),
 * the receive queue engine's model (hal_rxq_put, less the transfers it
 * asks the DMA engine for) and the bench HAL's frame queue (hal_rx_burst,
 * hal_rx_done_burst, hal_tx) are linked with -Wl,--wrap so their share is
 * counted apart; each wrapper's own cost is measured once at start-up and
 * taken out of the firmware's share. Everything else, byte loops of the
 * core included, is firmware.
 */
enum { SIDE_DMA, SIDE_HAL, SIDE_RXQ, SIDES };
static uint32_t counted, mark, calls, calls_mark, per_call;
static uint32_t aside[SIDES], aside_mark[SIDES];
static uint32_t side[SIDES], side_calls; /* running totals of the wrapped calls */
static inline uint32_t instret(void)
{
	uint32_t v;
	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}
static void count_on(void)
{
	for (int i = 0; i < SIDES; i++)
		aside_mark[i] = side[i];
	calls_mark = side_calls;
	mark = instret();
}
static void count_off(void)
{
	counted += instret() - mark;
	for (int i = 0; i < SIDES; i++)
		aside[i] += side[i] - aside_mark[i];
	calls += side_calls - calls_mark;
}
#define COUNT_ON()  count_on()
#define COUNT_OFF() count_off()
#define PHASE_END(name, pkts) phase_end(name, pkts)

#define WRAP(kind, ret, name, params, args)                            \
	ret __real_##name params;                                      \
	ret __wrap_##name params;                                      \
	ret __wrap_##name params                                       \
	{                                                              \
		uint32_t t0 = instret();                               \
		WRAP_CALL_##ret(__real_##name args);                   \
		side[kind] += instret() - t0;                          \
		side_calls++;                                          \
		WRAP_RETURN_##ret;                                     \
	}
#define WRAP_CALL_void(x) x
#define WRAP_RETURN_void return
#define WRAP_CALL_int(x) int r_ = x
#define WRAP_RETURN_int return r_
#define WRAP_CALL_unsigned(x) unsigned r_ = x
#define WRAP_RETURN_unsigned return r_
WRAP(SIDE_DMA, void, hal_dma_to_host, (struct hal *h, uint32_t o, const void *s, uint32_t n),
     (h, o, s, n))
WRAP(SIDE_DMA, void, hal_dma_from_host, (struct hal *h, void *d, uint32_t o, uint32_t n),
     (h, d, o, n))
WRAP(SIDE_HAL, unsigned, hal_rx_burst, (struct hal *h, struct hal_rx_pkt *p, unsigned max),
     (h, p, max))
WRAP(SIDE_HAL, void, hal_rx_done_burst,
     (struct hal *h, const struct hal_rx_pkt *p, const int8_t *v, unsigned n), (h, p, v, n))
WRAP(SIDE_HAL, int, hal_tx, (struct hal *h, uint8_t port, const uint8_t *d, uint32_t n),
     (h, port, d, n))

/* The queue engine's share: its call less the wrapped DMA calls it made. */
int __real_hal_rxq_put(struct hal *h, struct hal_rxq *q, const struct hal_rx_pkt *p,
		       const uint32_t w[3], uint8_t color);
int __wrap_hal_rxq_put(struct hal *h, struct hal_rxq *q, const struct hal_rx_pkt *p,
		       const uint32_t w[3], uint8_t color);
int __wrap_hal_rxq_put(struct hal *h, struct hal_rxq *q, const struct hal_rx_pkt *p,
		       const uint32_t w[3], uint8_t color)
{
	uint32_t dma0 = side[SIDE_DMA], calls0 = side_calls, t0 = instret();
	int r = __real_hal_rxq_put(h, q, p, w, color);
	uint32_t all = instret() - t0;
	uint32_t nested = side[SIDE_DMA] - dma0 + (side_calls - calls0) * per_call;
	side[SIDE_RXQ] += all - nested;
	side_calls++;
	return r;
}

/* Instructions a wrapped call costs beyond what its wrapper measures. */
static void calibrate(void)
{
	uint8_t b[4];
	uint32_t before = side[SIDE_DMA], t0 = instret();
	__wrap_hal_dma_from_host(&bench, b, 0, 0);
	uint32_t outer = instret() - t0;
	per_call = outer - (side[SIDE_DMA] - before);
	side_calls = 0;
	side[SIDE_DMA] = 0;
}
#else
#include <valgrind/callgrind.h>
#define COUNT_ON()  CALLGRIND_TOGGLE_COLLECT
#define COUNT_OFF() CALLGRIND_TOGGLE_COLLECT
#define PHASE_END(name, pkts) CALLGRIND_DUMP_STATS_AT(name)
#endif

/* The firmware instance under test, on the bench HAL. */
static struct fw_storage fw_mem;
static struct fw *fw;

static struct hal_rx_pkt batch[BATCH];
static uint8_t frame[MAX_VNICS][FRAME_LEN];
/* This scenario: its VNICs, and whether they use the shared rings. */
static unsigned nv;
static bool shared;

static uint8_t *win(uint32_t off) { return bench.win + off; }

static uint32_t find_block(uint32_t type)
{
	uint32_t off = 0;
	for (int hops = 0; hops < 64; hops++) {
		const struct snic_block_hdr *h = (const void *)win(off);
		if (h->type == type)
			return off;
		if (!h->next)
			break;
		off = h->next;
	}
	fprintf(stderr, "bench: block %u missing\n", (unsigned)type);
	exit(1);
}

static void admin(uint16_t op, const void *in, uint32_t len, void *out, uint32_t out_len)
{
	struct snic_blk_admin *a = (void *)win(find_block(SNIC_BLK_ADMIN));
	struct snic_admin_cmd *cmd = (void *)win(a->cmd_off);
	struct snic_admin_cpl *cpl = (void *)win(a->cpl_off);
	struct snic_admin_cmd *c = &cmd[a->cmd_prod % a->entries];

	memset(c, 0, sizeof(*c));
	c->opcode = op;
	c->len = len;
	memcpy(c->payload, in, len);
	a->cmd_prod++;
	fw_poll(fw);
	const struct snic_admin_cpl *r = &cpl[a->cpl_cons % a->entries];
	if (a->cpl_prod != a->cpl_cons + 1 || r->status != SNIC_OK) {
		fprintf(stderr, "bench: admin opcode %#x failed (status %u)\n", op, r->status);
		exit(1);
	}
	if (out)
		memcpy(out, r->payload, out_len);
	a->cpl_cons++;
}

static struct snic_rxq *rxq(unsigned r)
{
	const struct snic_blk_queues *q = (const void *)win(find_block(SNIC_BLK_RXQ));
	return (struct snic_rxq *)win(q->first + r * q->stride);
}

static struct snic_txq *txq(unsigned r)
{
	const struct snic_blk_queues *q = (const void *)win(find_block(SNIC_BLK_TXQ));
	return (struct snic_txq *)win(q->first + r * q->stride);
}

static struct snic_vnic_info vnic[MAX_VNICS];
static uint32_t dma_next;

static uint32_t dma_alloc(uint32_t len)
{
	const struct snic_blk_dma *d = (const void *)win(find_block(SNIC_BLK_DMA));
	uint32_t at = d->base + dma_next;
	dma_next += (len + 63) & ~63u;
	if (dma_next > d->size) {
		fprintf(stderr, "bench: DMA region too small\n");
		exit(1);
	}
	return at;
}

static void setup(unsigned n_vnics, bool on_shared)
{
	nv = n_vnics;
	shared = on_shared;
	dma_next = 0;
	free(bench.win);
	memset(&bench, 0, sizeof(bench));
	struct hal_hw_info *hw = &bench.hw;
	strcpy(hw->profile, "large");
	hw->n_rx_rings = 16;
	hw->n_tx_rings = 16;
	hw->n_uplinks = 4;
	hw->max_vnics = MAX_VNICS;
	hw->ring_size = 512;
	hw->buf_max = 2048;
	hw->tcam_entries = 1024;
	hw->exact_entries = 16384; /* the large card's: MAC entries go there */
	hw->key_fields = SNIC_FIELD_ALL;
	hw->cls_latency = 7;
	hw->uplink_speed_mbps = 100000;
	bench.win = calloc(1, WIN_SIZE);
	bench.win_size = WIN_SIZE;
	bench.now_ns = 1000;
	fw = fw_open(&fw_mem, sizeof(fw_mem), &bench);
	if (!bench.win || !fw || fw_init(fw) < 0) {
		fprintf(stderr, "bench: firmware did not boot\n");
		exit(1);
	}

	struct snic_port_set ps = { .port = 0, .admin_up = 1 };
	admin(SNIC_CMD_PORT_SET, &ps, sizeof(ps), NULL, 0);
	/* One policer for every VNIC's traffic, far above the offered load so
	 * every frame takes the full green path. */
	struct snic_meter_set pol = { .meter = 0, .mode = SNIC_METER_SRTCM,
				      .cir_bps = 400000000000ull, .cbs = 1u << 20, .ebs = 1u << 20 };
	admin(SNIC_CMD_METER_SET, &pol, sizeof(pol), NULL, 0);
	for (unsigned v = 0; v < nv; v++) {
		struct snic_vnic_create c;
		memset(&c, 0, sizeof(c));
		c.vnic = (uint16_t)v;
		c.vlan = SNIC_VLAN_NONE;
		c.flags = shared ? SNIC_VNICF_SW_ONLY : 0;
		const uint8_t mac[6] = { 0x02, 0, 0, 0, (uint8_t)(v >> 8), (uint8_t)(0x10 + v) };
		memcpy(c.mac, mac, 6);
		admin(SNIC_CMD_VNIC_CREATE, &c, sizeof(c), &vnic[v], sizeof(vnic[v]));
		/* A transmit shaper that never holds a frame back at this load. */
		struct snic_meter_set sh = { .meter = (uint16_t)v, .mode = SNIC_METER_SHAPER,
					     .cir_bps = 400000000000ull, .cbs = 1u << 20 };
		admin(SNIC_CMD_METER_SET, &sh, sizeof(sh), NULL, 0);

		/* Its frame: to the VNIC's MAC on RX, from it on TX. */
		memset(frame[v], 0, FRAME_LEN);
		memcpy(frame[v], mac, 6);
		memcpy(frame[v] + 6, mac, 6);
		frame[v][12] = 0x08;
		frame[v][14] = 0x45;
	}
	/* Every ring a VNIC receives on: all its buffers posted (the shared
	 * HRR once). */
	for (unsigned v = 0; v < (shared ? 1 : nv); v++) {
		struct snic_rxq *q = rxq(vnic[v].rx_ring);
		struct snic_rx_desc *d = (void *)win(q->desc_off);
		for (uint32_t i = 0; i < q->size; i++) {
			d[i].addr = dma_alloc(2048);
			d[i].len = 2048;
		}
		q->desc_prod = q->size;
	}
}

/* A batch as the match engine would hand it over: each frame hit its
 * VNIC's MAC entry, whose action also names policer 0. */
static void make_rx_batch(uint32_t seq)
{
	for (unsigned i = 0; i < BATCH; i++) {
		unsigned v = (seq + i) % nv;
		struct hal_rx_pkt *p = &batch[i];
		memset(p, 0, sizeof(*p));
		p->data = frame[v];
		p->len = FRAME_LEN;
		p->port = 0;
		p->time_ns = bench.now_ns + (uint64_t)i * PKT_NS;
		p->match.rule = vnic[v].mac_rule;
		p->match.key_flags = SNIC_KF_IPV4;
		p->match.action.vnic = (uint16_t)v;
		p->match.action.ring = SNIC_RING_DEFAULT;
		p->match.action.meter = 0;
		p->match.action.flags = SNIC_ACT_METER;
		p->match.action.gen = bench.gen[v];
	}
	bench.rx = batch;
	bench.rx_count = BATCH;
	bench.rx_next = 0;
}

/* The rings of this scenario: each VNIC's own, or the shared one. */
static unsigned n_rings(void) { return shared ? 1 : nv; }

/* What the host does between polls: take completions, repost buffers. */
static void host_rx_refill(void)
{
	for (unsigned v = 0; v < n_rings(); v++) {
		struct snic_rxq *q = rxq(vnic[v].rx_ring);
		uint32_t done = q->cpl_prod - q->cpl_cons;
		q->cpl_cons = q->cpl_prod;
		q->desc_prod += done;
	}
}

/* The DMA transfers really happened: each ring's last completion names a
 * buffer holding its VNIC's frame. */
static int rx_landed(void)
{
	for (unsigned v = 0; v < n_rings(); v++) {
		struct snic_rxq *q = rxq(vnic[v].rx_ring);
		const struct snic_rx_cpl *c = (const void *)win(q->cpl_off);
		const struct snic_rx_desc *d = (const void *)win(q->desc_off);
		const struct snic_rx_cpl *last = &c[(q->cpl_prod - 1) % q->size];
		const struct snic_rx_desc *buf = &d[last->desc % q->size];
		if (!q->cpl_prod || last->len != FRAME_LEN || last->vnic >= nv ||
		    (!shared && last->vnic != v) ||
		    memcmp(win((uint32_t)buf->addr), frame[last->vnic], FRAME_LEN))
			return 0;
	}
	return 1;
}

/* Queue n frames on TX ring r, from VNIC v0, v0 + step, ... (mod nv). */
static void host_tx_frames(unsigned r, unsigned n, unsigned v0, unsigned step)
{
	struct snic_txq *q = txq(vnic[r].tx_ring);
	struct snic_tx_desc *d = (void *)win(q->desc_off);
	for (unsigned i = 0; i < n; i++) {
		struct snic_tx_desc *e = &d[q->desc_prod % q->size];
		if (!e->addr)
			e->addr = dma_alloc(FRAME_LEN);
		memcpy(win((uint32_t)e->addr), frame[(v0 + i * step) % nv], FRAME_LEN);
		e->len = FRAME_LEN;
		q->desc_prod++;
	}
}

/* One poll's worth: 64 frames (FW_TX_BUDGET) per ring; on the shared TRR
 * the VNICs' frames interleaved. Returns the frames queued. */
static unsigned host_tx_queue(uint32_t seq)
{
	if (shared) {
		host_tx_frames(0, 64, seq * 64, 1);
		return 64;
	}
	for (unsigned v = 0; v < nv; v++)
		host_tx_frames(v, 64, v, 0);
	return nv * 64;
}

#ifdef __riscv
static void phase_end(const char *name, uint64_t pkts)
{
	uint32_t logic = counted - aside[SIDE_DMA] - aside[SIDE_HAL] - aside[SIDE_RXQ] -
			 calls * per_call;
	printf("rv32 %s: %lu packets, %.1f instructions/packet in total: firmware logic %.1f, "
	       "DMA engine stand-in %.1f, queue engine stand-in %.1f, bench HAL %.1f "
	       "(wrapper cost %lu per call taken out)\n",
	       name, (unsigned long)pkts, (double)counted / (double)pkts, (double)logic / (double)pkts,
	       (double)aside[SIDE_DMA] / (double)pkts, (double)aside[SIDE_RXQ] / (double)pkts,
	       (double)aside[SIDE_HAL] / (double)pkts, (unsigned long)per_call);
	counted = calls = 0;
	aside[SIDE_DMA] = aside[SIDE_HAL] = aside[SIDE_RXQ] = 0;
}
#endif

/* One scenario: a fresh firmware with n VNICs, BATCHES polls of
 * receive, then of transmit. 0 when every frame took the full path. */
static int scenario(unsigned n, bool on_shared, const char *rx_name, const char *tx_name)
{
	setup(n, on_shared);
	uint64_t rx_pkts = 0, tx_pkts = 0;

	/* Receive. */
	for (uint32_t b = 0; b < BATCHES; b++) {
		make_rx_batch(b * BATCH);
		COUNT_ON();
		fw_poll(fw);
		COUNT_OFF();
		bench.now_ns += BATCH * PKT_NS;
		rx_pkts += BATCH;
		host_rx_refill();
	}
	PHASE_END(rx_name, rx_pkts);
	uint64_t rx_ok = bench.delivered;
	if (!rx_landed()) {
		printf("bench: a delivered frame is not in its host buffer\n");
		rx_ok = 0;
	}

	/* Transmit. */
	bench.rx_count = bench.rx_next = 0;
	for (uint32_t b = 0; b < BATCHES; b++) {
		unsigned q = host_tx_queue(b);
		COUNT_ON();
		fw_poll(fw);
		COUNT_OFF();
		bench.now_ns += q * PKT_NS;
		tx_pkts += q;
	}
	PHASE_END(tx_name, tx_pkts);

	printf("phase %s %llu\nphase %s %llu\n", rx_name, (unsigned long long)rx_pkts, tx_name,
	       (unsigned long long)tx_pkts);
	printf("%s: %u VNICs%s: rx_packets %llu delivered %llu dropped %llu, "
	       "tx_packets %llu sent %llu\n", rx_name, n, on_shared ? " on the shared rings" : "",
	       (unsigned long long)rx_pkts, (unsigned long long)rx_ok,
	       (unsigned long long)bench.dropped, (unsigned long long)tx_pkts,
	       (unsigned long long)bench.sent);
	if (rx_ok != rx_pkts || bench.sent != tx_pkts) {
		printf("bench: the trace did not take the full path\n");
		return 1;
	}
	return 0;
}

int main(void)
{
	static const unsigned sizes[] = { 4, 16, 64, 256, 1024 };
	int bad;
#ifdef __riscv
	calibrate();
#endif
	bad = scenario(N_VNICS, false, "rx", "tx");
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char rx_name[16], tx_name[16];
		snprintf(rx_name, sizeof(rx_name), "rx_s%u", sizes[i]);
		snprintf(tx_name, sizeof(tx_name), "tx_s%u", sizes[i]);
		bad |= scenario(sizes[i], true, rx_name, tx_name);
	}
#ifdef __riscv
	exit(bad);
#endif
	return bad;
}
