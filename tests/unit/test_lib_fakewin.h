/* SPDX-License-Identifier: MIT */
/*
 * A synthetic device window for the libsnic unit tests, laid out by hand
 * from the ABI headers (not by the firmware), so the library is checked
 * against the ABI rather than against another implementation.
 */
#ifndef TEST_LIB_FAKEWIN_H
#define TEST_LIB_FAKEWIN_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <snic/abi.h>

#define FW_SIZE      (64u * 1024u)
#define FW_N_RX      2u
#define FW_N_TX      2u
#define FW_RING_SIZE 8u
#define FW_BUF_MAX   256u
#define FW_ENTRIES   4u

/* Fixed offsets of the synthetic layout. */
#define OFF_DEVID  0u
#define OFF_FW     64u
#define OFF_ADMIN  128u
#define OFF_CAPS   320u
#define OFF_STATS  384u
#define OFF_DMA    704u
#define OFF_RXQB   768u
#define OFF_TXQB   832u
#define OFF_CMD    4096u
#define OFF_CPL    (OFF_CMD + FW_ENTRIES * 256u)
#define OFF_REC    8192u
#define OFF_RXQ    12288u                       /* ring control areas */
#define OFF_TXQ    (OFF_RXQ + FW_N_RX * 192u)
#define OFF_RDESC  16384u                       /* RX descriptors, per ring 8*16 */
#define OFF_RCPL   (OFF_RDESC + FW_N_RX * FW_RING_SIZE * 16u)
#define OFF_TDESC  (OFF_RCPL + FW_N_RX * FW_RING_SIZE * 32u)
#define OFF_DMAREG 32768u
#define DMA_SIZE   (FW_SIZE - OFF_DMAREG)

static inline void *fw_at(uint8_t *w, uint32_t off) { return w + off; }

static inline void fw_hdr(uint8_t *w, uint32_t off, uint32_t type, uint32_t next, uint32_t size)
{
	struct snic_block_hdr *h = fw_at(w, off);
	h->type = type;
	h->version = 1;
	h->next = next;
	h->size = size;
}

/* Appends capability records; returns the stream length. */
static inline uint32_t fw_put(uint8_t *rec, uint32_t at, const void *r, uint32_t len)
{
	memcpy(rec + at, r, len);
	return at + len;
}

/* The standard record stream of the synthetic device into rec. */
static inline uint32_t fw_caps_records(uint8_t *rec)
{
	uint32_t at = 0;
	struct snic_cap_header h = { { SNIC_CAP_HEADER, 1, sizeof(h) }, SNIC_CAP_FORMAT_VERSION,
				     FW_N_RX, FW_N_TX, 2, 8, 0, "fake" };
	at = fw_put(rec, at, &h, sizeof(h));
	for (uint16_t i = 0; i < FW_N_RX + FW_N_TX; i++) {
		int rx = i < FW_N_RX;
		uint16_t id = rx ? i : (uint16_t)(i - FW_N_RX);
		uint32_t ctrl = rx ? OFF_RXQ + id * 192u : OFF_TXQ + id * 192u;
		struct snic_cap_ring r = { { rx ? SNIC_CAP_RX_RING : SNIC_CAP_TX_RING, 1, sizeof(r) },
					   id, i, FW_RING_SIZE, FW_BUF_MAX, ctrl, ctrl + 132,
					   rx ? ctrl + 76 : 0, rx ? 3u : 1u };
		at = fw_put(rec, at, &r, sizeof(r));
	}
	struct snic_cap_classifier c = { { SNIC_CAP_CLASSIFIER, 1, sizeof(c) },
					 SNIC_FIELD_DMAC | SNIC_FIELD_VLAN, 64, 0, 0x1f,
					 SNIC_KEY_BYTES, 4, 56 };
	at = fw_put(rec, at, &c, sizeof(c));
	struct snic_cap_meters m = { { SNIC_CAP_METERS, 1, sizeof(m) }, 0, 0, 0, 0 };
	at = fw_put(rec, at, &m, sizeof(m));
	for (uint16_t i = 0; i < 2; i++) {
		struct snic_cap_uplink u = { { SNIC_CAP_UPLINK, 1, sizeof(u) }, i,
					     { 2, 0, 0, 0, 0, (uint8_t)i }, 1000 };
		at = fw_put(rec, at, &u, sizeof(u));
	}
	struct snic_cap_hdr end = { SNIC_CAP_END, 1, sizeof(end) };
	return fw_put(rec, at, &end, sizeof(end));
}

/* A complete, valid, RUNNING window (caller frees). */
static inline uint8_t *fw_build(void)
{
	uint8_t *w = aligned_alloc(64, FW_SIZE);
	memset(w, 0, FW_SIZE);

	struct snic_blk_devid *id = fw_at(w, OFF_DEVID);
	fw_hdr(w, OFF_DEVID, SNIC_BLK_DEVID, OFF_FW, sizeof(*id));
	id->magic = SNIC_MAGIC;
	id->abi_major = SNIC_ABI_MAJOR;
	id->abi_minor = SNIC_ABI_MINOR;
	id->window_size = FW_SIZE;
	id->state = SNIC_STATE_RUNNING;
	strcpy(id->profile, "fake");

	struct snic_blk_fw *f = fw_at(w, OFF_FW);
	fw_hdr(w, OFF_FW, SNIC_BLK_FW, OFF_ADMIN, sizeof(*f));
	f->version = 0x010203;
	strcpy(f->build, "test");

	struct snic_blk_admin *a = fw_at(w, OFF_ADMIN);
	fw_hdr(w, OFF_ADMIN, SNIC_BLK_ADMIN, OFF_CAPS, sizeof(*a));
	a->entries = FW_ENTRIES;
	a->cmd_off = OFF_CMD;
	a->cpl_off = OFF_CPL;

	struct snic_blk_caps *c = fw_at(w, OFF_CAPS);
	fw_hdr(w, OFF_CAPS, SNIC_BLK_CAPS, OFF_STATS, sizeof(*c));
	c->records = OFF_REC;
	c->length = fw_caps_records(w + OFF_REC);
	c->generation = 1;

	fw_hdr(w, OFF_STATS, SNIC_BLK_STATS, OFF_DMA, sizeof(struct snic_blk_stats));

	struct snic_blk_dma *d = fw_at(w, OFF_DMA);
	fw_hdr(w, OFF_DMA, SNIC_BLK_DMA, OFF_RXQB, sizeof(*d));
	d->base = OFF_DMAREG;
	d->size = DMA_SIZE;

	struct snic_blk_queues *q = fw_at(w, OFF_RXQB);
	fw_hdr(w, OFF_RXQB, SNIC_BLK_RXQ, OFF_TXQB, sizeof(*q));
	q->count = FW_N_RX;
	q->stride = 192;
	q->first = OFF_RXQ;
	q = fw_at(w, OFF_TXQB);
	fw_hdr(w, OFF_TXQB, SNIC_BLK_TXQ, 0, sizeof(*q));
	q->count = FW_N_TX;
	q->stride = 192;
	q->first = OFF_TXQ;

	for (uint32_t r = 0; r < FW_N_RX; r++) {
		struct snic_rxq *rq = fw_at(w, OFF_RXQ + r * 192u);
		rq->desc_off = OFF_RDESC + r * FW_RING_SIZE * 16u;
		rq->cpl_off = OFF_RCPL + r * FW_RING_SIZE * 32u;
		rq->size = FW_RING_SIZE;
		rq->buf_max = FW_BUF_MAX;
		rq->vnic = SNIC_VNIC_NONE;
	}
	for (uint32_t r = 0; r < FW_N_TX; r++) {
		struct snic_txq *tq = fw_at(w, OFF_TXQ + r * 192u);
		tq->desc_off = OFF_TDESC + r * FW_RING_SIZE * 16u;
		tq->size = FW_RING_SIZE;
		tq->buf_max = FW_BUF_MAX;
		tq->vnic = SNIC_VNIC_NONE;
	}
	return w;
}

/* The admin ring words of the window (cmd_prod, cpl_cons, ...). */
#define FW_ADMIN_WORD(w, f) \
	((uint32_t *)((w) + OFF_ADMIN + offsetof(struct snic_blk_admin, f)))

typedef void (*fw_answer_fn)(const struct snic_admin_cmd *c, struct snic_admin_cpl *p);

/*
 * One step of a fake firmware's admin loop (a responder thread calls it):
 * the oldest pending command is answered by `answer` and completed, in the
 * order real firmware publishes (completion, then command consumed).
 * 0 when no command was pending.
 */
static inline int fw_admin_serve(uint8_t *w, fw_answer_fn answer)
{
	uint32_t prod = __atomic_load_n(FW_ADMIN_WORD(w, cmd_prod), __ATOMIC_ACQUIRE);
	uint32_t cons = __atomic_load_n(FW_ADMIN_WORD(w, cmd_cons), __ATOMIC_ACQUIRE);
	if (prod == cons)
		return 0;
	struct snic_admin_cmd c;
	struct snic_admin_cpl p;
	memcpy(&c, w + OFF_CMD + (cons % FW_ENTRIES) * sizeof(c), sizeof(c));
	answer(&c, &p);
	uint32_t cp = __atomic_load_n(FW_ADMIN_WORD(w, cpl_prod), __ATOMIC_ACQUIRE);
	memcpy(w + OFF_CPL + (cp % FW_ENTRIES) * sizeof(p), &p, sizeof(p));
	__atomic_store_n(FW_ADMIN_WORD(w, cpl_prod), cp + 1, __ATOMIC_RELEASE);
	__atomic_store_n(FW_ADMIN_WORD(w, cmd_cons), cons + 1, __ATOMIC_RELEASE);
	return 1;
}

#endif
