// SPDX-License-Identifier: MIT
/*
 * The device id and the block chain (include/snic/regs.h), checked the
 * same way by every host driver: magic and ABI major at offset 0, every
 * block aligned, inside the window and apart from the others, known blocks
 * at least their ABI size, once each, with contents that stay inside the
 * window. A chain revisiting a block or longer than SNIC_PROTO_MAX_BLOCKS
 * is a loop. Unknown types are skipped: new blocks never break old hosts.
 */
#include "snic_proto.h"

int snic_proto_fail(struct snic_proto_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

const char *snic_proto_state_name(uint32_t state)
{
	switch (state) {
	case SNIC_STATE_OFF:     return "OFF";
	case SNIC_STATE_BOOTING: return "BOOTING";
	case SNIC_STATE_RUNNING: return "RUNNING";
	case SNIC_STATE_HALTED:  return "HALTED";
	case SNIC_STATE_FAILED:  return "FAILED";
	}
	return "UNKNOWN";
}

const char *snic_proto_block_name(uint32_t type)
{
	switch (type) {
	case SNIC_BLK_DEVID:  return "DEVID";
	case SNIC_BLK_FW:     return "FW";
	case SNIC_BLK_ADMIN:  return "ADMIN";
	case SNIC_BLK_CAPS:   return "CAPS";
	case SNIC_BLK_RXQ:    return "RXQ";
	case SNIC_BLK_TXQ:    return "TXQ";
	case SNIC_BLK_STATS:  return "STATS";
	case SNIC_BLK_DMA:    return "DMA";
	case SNIC_BLK_VSTATS: return "VSTATS";
	}
	return NULL;
}

static uint32_t block_min_size(uint32_t type)
{
	switch (type) {
	case SNIC_BLK_DEVID:  return sizeof(struct snic_blk_devid);
	case SNIC_BLK_FW:     return sizeof(struct snic_blk_fw);
	case SNIC_BLK_ADMIN:  return sizeof(struct snic_blk_admin);
	case SNIC_BLK_CAPS:   return sizeof(struct snic_blk_caps);
	case SNIC_BLK_RXQ:
	case SNIC_BLK_TXQ:    return sizeof(struct snic_blk_queues);
	case SNIC_BLK_STATS:  return sizeof(struct snic_blk_stats);
	case SNIC_BLK_DMA:    return sizeof(struct snic_blk_dma);
	case SNIC_BLK_VSTATS: return sizeof(struct snic_blk_vstats);
	}
	return sizeof(struct snic_block_hdr);
}

static uint32_t *block_slot(struct snic_proto_layout *l, uint32_t type)
{
	switch (type) {
	case SNIC_BLK_DEVID:  return &l->off_devid;
	case SNIC_BLK_FW:     return &l->off_fw;
	case SNIC_BLK_ADMIN:  return &l->off_admin;
	case SNIC_BLK_CAPS:   return &l->off_caps;
	case SNIC_BLK_RXQ:    return &l->off_rxq;
	case SNIC_BLK_TXQ:    return &l->off_txq;
	case SNIC_BLK_STATS:  return &l->off_stats;
	case SNIC_BLK_DMA:    return &l->off_dma;
	case SNIC_BLK_VSTATS: return &l->off_vstats;
	}
	return NULL;
}

static int check_admin(struct snic_proto_layout *l, struct snic_proto_err *e)
{
	const struct snic_blk_admin *a = &l->admin;
	uint64_t bytes = (uint64_t)a->entries * sizeof(struct snic_admin_cmd);

	if (!a->entries || (a->entries & (a->entries - 1)) || a->entries > SNIC_PROTO_MAX_ADMIN)
		return snic_proto_fail(e, SNIC_PROTO_E_BLOCK,
				       "ADMIN block: %u entries is not a power of two in 1..%u",
				       a->entries, SNIC_PROTO_MAX_ADMIN);
	if (a->cmd_off % 8 || !snic_proto_in(l->window_size, a->cmd_off, bytes))
		return snic_proto_fail(e, SNIC_PROTO_E_BLOCK,
				       "ADMIN block: command ring at 0x%x (+%llu) outside the window",
				       a->cmd_off, (unsigned long long)bytes);
	if (a->cpl_off % 8 || !snic_proto_in(l->window_size, a->cpl_off, bytes))
		return snic_proto_fail(e, SNIC_PROTO_E_BLOCK,
				       "ADMIN block: completion ring at 0x%x (+%llu) outside the window",
				       a->cpl_off, (unsigned long long)bytes);
	if ((uint64_t)a->cmd_off < a->cpl_off + bytes && (uint64_t)a->cpl_off < a->cmd_off + bytes)
		return snic_proto_fail(e, SNIC_PROTO_E_BLOCK,
				       "ADMIN block: command ring 0x%x and completion ring 0x%x overlap",
				       a->cmd_off, a->cpl_off);
	return 0;
}

/* A queue block describes 1..SNIC_PROTO_MAX_RINGS control areas of at
 * least the ring control size, aligned, all inside the window. A device
 * without rings of a kind is not one a host can drive. */
static int check_queues(const struct snic_proto_layout *l, const struct snic_blk_queues *q,
			uint32_t type, struct snic_proto_err *e)
{
	const char *name = snic_proto_block_name(type);
	uint32_t min = type == SNIC_BLK_RXQ ? sizeof(struct snic_rxq) : sizeof(struct snic_txq);

	if (!q->count || q->count > SNIC_PROTO_MAX_RINGS)
		return snic_proto_fail(e, SNIC_PROTO_E_BLOCK, "%s block: %u rings (1..%u supported)",
				       name, q->count, SNIC_PROTO_MAX_RINGS);
	if (q->stride < min || q->stride % 8)
		return snic_proto_fail(e, SNIC_PROTO_E_BLOCK,
				       "%s block: ring stride %u smaller than %u or unaligned",
				       name, q->stride, min);
	if (q->first % 8 || !snic_proto_in(l->window_size, q->first, (uint64_t)q->count * q->stride))
		return snic_proto_fail(e, SNIC_PROTO_E_BLOCK,
				       "%s block: %u rings of %u bytes at 0x%x outside the window",
				       name, q->count, q->stride, q->first);
	return 0;
}

/* Per-VNIC counters: aligned 64-bit words inside the window, one entry
 * per VNIC id (16 bits), each at least what the ABI defines. */
static int check_vstats(const struct snic_proto_layout *l, struct snic_proto_err *e)
{
	const struct snic_blk_vstats *v = &l->vstats;

	if (v->first % 8 || v->stride % 8 || v->stride < sizeof(struct snic_vnic_stats))
		return snic_proto_fail(e, SNIC_PROTO_E_BLOCK,
				       "VSTATS block: entries of %u bytes at 0x%x unaligned or smaller than %u",
				       v->stride, v->first, (unsigned int)sizeof(struct snic_vnic_stats));
	if (v->count > 0xffff ||
	    !snic_proto_in(l->window_size, v->first, (uint64_t)v->count * v->stride))
		return snic_proto_fail(e, SNIC_PROTO_E_BLOCK,
				       "VSTATS block: %u entries of %u bytes at 0x%x outside the window",
				       v->count, v->stride, v->first);
	return 0;
}

/* Copies a known block and checks what it points at. */
static int take_block(const uint8_t *win, uint32_t off, uint32_t type,
		      struct snic_proto_layout *l, struct snic_proto_err *e)
{
	switch (type) {
	case SNIC_BLK_FW:
		memcpy(&l->fw, win + off, sizeof(l->fw));
		return 0;
	case SNIC_BLK_ADMIN:
		memcpy(&l->admin, win + off, sizeof(l->admin));
		return check_admin(l, e);
	case SNIC_BLK_RXQ:
		memcpy(&l->rxq, win + off, sizeof(l->rxq));
		return check_queues(l, &l->rxq, type, e);
	case SNIC_BLK_TXQ:
		memcpy(&l->txq, win + off, sizeof(l->txq));
		return check_queues(l, &l->txq, type, e);
	case SNIC_BLK_DMA:
		memcpy(&l->dma, win + off, sizeof(l->dma));
		if (!l->dma.size || !snic_proto_in(l->window_size, l->dma.base, l->dma.size))
			return snic_proto_fail(e, SNIC_PROTO_E_BLOCK,
					       "DMA block: region 0x%x+%u empty or outside the window",
					       l->dma.base, l->dma.size);
		return 0;
	case SNIC_BLK_CAPS:
		memcpy(&l->caps, win + off, sizeof(l->caps));
		if (l->caps.length < sizeof(struct snic_cap_hdr) ||
		    l->caps.length > SNIC_CAPS_MAX_BYTES ||
		    !snic_proto_in(l->window_size, l->caps.records, l->caps.length))
			return snic_proto_fail(e, SNIC_PROTO_E_BLOCK,
					       "CAPS block: records 0x%x+%u outside the window or over %u bytes",
					       l->caps.records, l->caps.length, SNIC_CAPS_MAX_BYTES);
		return 0;
	case SNIC_BLK_VSTATS:
		memcpy(&l->vstats, win + off, sizeof(l->vstats));
		return check_vstats(l, e);
	}
	return 0;
}

static int check_devid(const uint8_t *win, uint64_t mapped, struct snic_proto_layout *l,
		       struct snic_proto_err *e)
{
	struct snic_blk_devid *id = &l->devid;

	if (mapped < sizeof(*id))
		return snic_proto_fail(e, SNIC_PROTO_E_WINDOW, "window of %llu bytes is too small",
				       (unsigned long long)mapped);
	memcpy(id, win, sizeof(*id));
	if (id->magic != SNIC_MAGIC)
		return snic_proto_fail(e, SNIC_PROTO_E_MAGIC,
				       "bad magic 0x%08x at offset 0 (expected 0x%08x): not a snic window",
				       id->magic, SNIC_MAGIC);
	if (id->hdr.type != SNIC_BLK_DEVID)
		return snic_proto_fail(e, SNIC_PROTO_E_MAGIC,
				       "no DEVID block at offset 0 (type %u)", id->hdr.type);
	if (id->abi_major != SNIC_ABI_MAJOR)
		return snic_proto_fail(e, SNIC_PROTO_E_ABI,
				       "device ABI %u.%u, host ABI %u.%u: incompatible major",
				       id->abi_major, id->abi_minor, SNIC_ABI_MAJOR, SNIC_ABI_MINOR);
	if (id->window_size < sizeof(*id) || id->window_size > mapped)
		return snic_proto_fail(e, SNIC_PROTO_E_WINDOW,
				       "device says the window is %u bytes, %llu are mapped",
				       id->window_size, (unsigned long long)mapped);
	if (id->state == SNIC_STATE_OFF || id->state == SNIC_STATE_BOOTING)
		return snic_proto_fail(e, SNIC_PROTO_E_STATE, "device not ready (state %s)",
				       snic_proto_state_name(id->state));
	l->window_size = id->window_size;
	return 0;
}

/* A block must not share a byte with one seen before; the same offset
 * again is the chain looping back. */
static int check_apart(const uint32_t *start, const uint32_t *size, uint32_t n,
		       uint32_t off, uint32_t len, struct snic_proto_err *e)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (start[i] == off)
			return snic_proto_fail(e, SNIC_PROTO_E_CHAIN,
					       "block chain loops back to offset 0x%x", off);
		if ((uint64_t)off < (uint64_t)start[i] + size[i] &&
		    (uint64_t)start[i] < (uint64_t)off + len)
			return snic_proto_fail(e, SNIC_PROTO_E_CHAIN,
					       "block at 0x%x (+%u) overlaps the block at 0x%x (+%u)",
					       off, len, start[i], size[i]);
	}
	return 0;
}

/* Header checks of the block at `off`; copies its header to *h. */
static int check_header(const uint8_t *win, const struct snic_proto_layout *l, uint32_t off,
			struct snic_block_hdr *h, struct snic_proto_err *e)
{
	const char *name;

	if (off % 8 || !snic_proto_in(l->window_size, off, sizeof(*h)))
		return snic_proto_fail(e, SNIC_PROTO_E_CHAIN,
				       "block at 0x%x outside the window (%u bytes) or unaligned",
				       off, l->window_size);
	memcpy(h, win + off, sizeof(*h));
	if (h->size < sizeof(*h) || !snic_proto_in(l->window_size, off, h->size))
		return snic_proto_fail(e, SNIC_PROTO_E_CHAIN,
				       "block 0x%x at 0x%x has size %u outside the window",
				       h->type, off, h->size);
	name = snic_proto_block_name(h->type);
	if (!name)
		return 0;
	if (h->version == 0)
		return snic_proto_fail(e, SNIC_PROTO_E_BLOCK, "%s block at 0x%x has version 0",
				       name, off);
	if (h->size < block_min_size(h->type))
		return snic_proto_fail(e, SNIC_PROTO_E_BLOCK, "%s block at 0x%x: size %u smaller than %u",
				       name, off, h->size, block_min_size(h->type));
	return 0;
}

static int check_required(const struct snic_proto_layout *l, struct snic_proto_err *e)
{
	static const uint32_t required[] = {
		SNIC_BLK_ADMIN, SNIC_BLK_CAPS, SNIC_BLK_STATS, SNIC_BLK_DMA,
		SNIC_BLK_RXQ, SNIC_BLK_TXQ,
	};
	uint32_t i;

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (*block_slot((struct snic_proto_layout *)l, required[i]) == SNIC_PROTO_NONE)
			return snic_proto_fail(e, SNIC_PROTO_E_MISSING, "window has no %s block",
					       snic_proto_block_name(required[i]));
	return 0;
}

int snic_proto_walk(const uint8_t *win, uint64_t mapped, struct snic_proto_layout *l,
		    struct snic_proto_err *e)
{
	uint32_t start[SNIC_PROTO_MAX_BLOCKS], size[SNIC_PROTO_MAX_BLOCKS];
	uint32_t off = 0, n = 0;
	int rc;

	memset(l, 0, sizeof(*l));
	e->code = 0;
	e->msg[0] = 0;
	l->off_devid = l->off_fw = l->off_admin = l->off_caps = l->off_stats = SNIC_PROTO_NONE;
	l->off_dma = l->off_rxq = l->off_txq = l->off_vstats = SNIC_PROTO_NONE;
	rc = check_devid(win, mapped, l, e);
	if (rc)
		return rc;
	for (;;) {
		struct snic_block_hdr h;
		uint32_t *slot;

		if (n == SNIC_PROTO_MAX_BLOCKS)
			return snic_proto_fail(e, SNIC_PROTO_E_CHAIN, "block chain longer than %u blocks",
					       SNIC_PROTO_MAX_BLOCKS);
		rc = check_header(win, l, off, &h, e);
		if (!rc)
			rc = check_apart(start, size, n, off, h.size, e);
		if (rc)
			return rc;
		start[n] = off;
		size[n++] = h.size;
		slot = block_slot(l, h.type);
		if (slot && *slot != SNIC_PROTO_NONE)
			return snic_proto_fail(e, SNIC_PROTO_E_BLOCK, "second %s block at 0x%x",
					       snic_proto_block_name(h.type), off);
		if (slot) {
			rc = take_block(win, off, h.type, l, e);
			if (rc)
				return rc;
			*slot = off;
		} else {
			l->n_unknown++;
		}
		if (!h.next)
			break;
		off = h.next;
	}
	l->n_blocks = n;
	return check_required(l, e);
}
