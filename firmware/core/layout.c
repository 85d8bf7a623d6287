/* SPDX-License-Identifier: MIT */
/*
 * Boot-time layout of the device window: the block chain at offset 0, the
 * admin rings, the capability records, ring control areas and descriptor
 * arrays, and the DMA region (the rest of the window, standing for host
 * memory). The rules are in docs/firmware.md; hosts must still find
 * everything by walking the chain, never by hard-coded offsets.
 */
#include "fw_internal.h"
#include "exact_table.h"

static bool is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Bump allocator over window offsets, 64-bit so nothing wraps. */

static uint32_t place(struct fw *fw, uint64_t bytes, uint64_t align)
{
	uint64_t at = align_up(fw->lay.cursor, align);
	fw->lay.cursor = at + bytes;
	return (uint32_t)at;
}

/* Refuse hardware this build cannot drive; 0 when acceptable. */
static int check_hw(const struct hal_hw_info *hw)
{
	const uint32_t need = SNIC_FIELD_DMAC | SNIC_FIELD_VLAN | SNIC_FIELD_FLAGS;

	if (hw->n_rx_rings < 1 || hw->n_rx_rings > FW_MAX_RINGS)
		return -1;
	if (hw->n_tx_rings < 1 || hw->n_tx_rings > FW_MAX_RINGS)
		return -1;
	if (hw->n_uplinks < 1 || hw->n_uplinks > SNIC_MAX_UPLINKS)
		return -1;
	if (hw->max_vnics < 1 || hw->max_vnics > FW_MAX_VNICS)
		return -1;
	if (!is_pow2(hw->ring_size) || hw->ring_size < 2 ||
	    hw->ring_size > FW_MAX_RING_SIZE)
		return -1;
	if (hw->buf_max < 64 || hw->buf_max > FW_MAX_FRAME)
		return -1;
	/* Without an exact table the VNIC MAC entries take the top max_vnics
	 * ternary slots; hosts need some too. With one, they go there. */
	if (hw->tcam_entries > FW_MAX_TCAM || hw->tcam_entries < 1 ||
	    (!hw->exact_entries && hw->tcam_entries <= hw->max_vnics))
		return -1;
	if ((hw->key_fields & ~SNIC_FIELD_ALL) || (hw->key_fields & need) != need)
		return -1;
	if (!fw_exact_hw_ok(hw->exact_entries))
		return -1;
	return 0;
}

static void compute_layout(struct fw *fw, const struct hal_hw_info *hw)
{
	struct fw_layout *l = &fw->lay;
	uint32_t n;

	fw->lay.cursor = 0;
	l->devid   = place(fw, sizeof(struct snic_blk_devid), FW_ALIGN_LINE);
	l->fwblk   = place(fw, sizeof(struct snic_blk_fw), FW_ALIGN_LINE);
	l->admin   = place(fw, sizeof(struct snic_blk_admin), FW_ALIGN_LINE);
	l->caps    = place(fw, sizeof(struct snic_blk_caps), FW_ALIGN_LINE);
	l->stats   = place(fw, sizeof(struct snic_blk_stats), FW_ALIGN_LINE);
	l->dma     = place(fw, sizeof(struct snic_blk_dma), FW_ALIGN_LINE);
	l->rxq_blk = place(fw, sizeof(struct snic_blk_queues), FW_ALIGN_LINE);
	l->txq_blk = place(fw, sizeof(struct snic_blk_queues), FW_ALIGN_LINE);
	l->vstats  = place(fw, sizeof(struct snic_blk_vstats), FW_ALIGN_LINE);

	l->admin_cmd = place(fw, FW_ADMIN_ENTRIES * sizeof(struct snic_admin_cmd), FW_ALIGN_PAGE);
	l->admin_cpl = place(fw, FW_ADMIN_ENTRIES * sizeof(struct snic_admin_cpl), FW_ALIGN_PAGE);
	l->caps_rec  = place(fw, SNIC_CAPS_MAX_BYTES, FW_ALIGN_PAGE);

	/* Control areas contiguous so the queue blocks can give a stride. */
	for (n = 0; n < hw->n_rx_rings; n++)
		l->rxq[n] = place(fw, sizeof(struct snic_rxq), FW_ALIGN_LINE);
	for (n = 0; n < hw->n_tx_rings; n++)
		l->txq[n] = place(fw, sizeof(struct snic_txq), FW_ALIGN_LINE);
	for (n = 0; n < hw->n_rx_rings; n++) {
		l->rx_desc[n] = place(fw, (uint64_t)hw->ring_size * sizeof(struct snic_rx_desc),
				      FW_ALIGN_LINE);
		l->rx_cpl[n]  = place(fw, (uint64_t)hw->ring_size * sizeof(struct snic_rx_cpl),
				      FW_ALIGN_LINE);
	}
	for (n = 0; n < hw->n_tx_rings; n++)
		l->tx_desc[n] = place(fw, (uint64_t)hw->ring_size * sizeof(struct snic_tx_desc),
				      FW_ALIGN_LINE);
	/* Per-VNIC counters: one entry per possible VNIC id. */
	l->vstats_first = place(fw, (uint64_t)hw->max_vnics * sizeof(struct snic_vnic_stats),
				FW_ALIGN_LINE);
	/* The DMA region is everything after the device area. */
	fw->lay.cursor = align_up(fw->lay.cursor, FW_ALIGN_PAGE);
}

static void put_hdr(struct fw *fw, uint32_t off, uint32_t type, uint32_t next, uint32_t size)
{
	struct snic_block_hdr *h = fw_at(fw, off);
	h->type = type;
	h->version = 1;
	h->rsvd = 0;
	h->next = next;
	h->size = size;
}

static void copy_profile(char *dst, const char *src)
{
	unsigned i;
	for (i = 0; i < 15 && src[i]; i++)
		dst[i] = src[i];
	for (; i < 16; i++)
		dst[i] = 0;
}

static void write_devid(struct fw *fw, uint32_t state, uint32_t reset_count)
{
	struct snic_blk_devid *d = fw_at(fw, 0);
	put_hdr(fw, 0, SNIC_BLK_DEVID, 0, sizeof(*d));
	d->magic = SNIC_MAGIC;
	d->abi_major = SNIC_ABI_MAJOR;
	d->abi_minor = SNIC_ABI_MINOR;
	d->window_size = fw->win_size;
	d->heartbeat = 0;
	d->reset_count = reset_count;
	d->dev_time_ns = hal_now_ns(fw->hal);
	copy_profile(d->profile, fw->hw.profile);
	fw_store_rel(&d->state, state);
}

static void write_blocks(struct fw *fw)
{
	const struct fw_layout *l = &fw->lay;
	const struct hal_hw_info *hw = &fw->hw;

	FW_DEVID(fw)->hdr.next = l->fwblk;

	struct snic_blk_fw *f = fw_at(fw, l->fwblk);
	put_hdr(fw, l->fwblk, SNIC_BLK_FW, l->admin, sizeof(*f));
	f->version = FW_VERSION;
	f->slot = 0;
	copy_profile(f->build, "snic-fw 0.1.0");

	struct snic_blk_admin *a = fw_at(fw, l->admin);
	put_hdr(fw, l->admin, SNIC_BLK_ADMIN, l->caps, sizeof(*a));
	a->entries = FW_ADMIN_ENTRIES;
	a->cmd_off = l->admin_cmd;
	a->cpl_off = l->admin_cpl;

	struct snic_blk_caps *c = fw_at(fw, l->caps);
	put_hdr(fw, l->caps, SNIC_BLK_CAPS, l->stats, sizeof(*c));
	c->records = l->caps_rec;
	c->length = l->caps_len;
	c->generation = 1;

	put_hdr(fw, l->stats, SNIC_BLK_STATS, l->dma, sizeof(struct snic_blk_stats));

	struct snic_blk_dma *d = fw_at(fw, l->dma);
	put_hdr(fw, l->dma, SNIC_BLK_DMA, l->rxq_blk, sizeof(*d));
	d->base = l->dma_base;
	d->size = l->dma_size;

	struct snic_blk_queues *q = fw_at(fw, l->rxq_blk);
	put_hdr(fw, l->rxq_blk, SNIC_BLK_RXQ, l->txq_blk, sizeof(*q));
	q->count = hw->n_rx_rings;
	q->stride = sizeof(struct snic_rxq);
	q->first = l->rxq[0];

	q = fw_at(fw, l->txq_blk);
	put_hdr(fw, l->txq_blk, SNIC_BLK_TXQ, l->vstats, sizeof(*q));
	q->count = hw->n_tx_rings;
	q->stride = sizeof(struct snic_txq);
	q->first = l->txq[0];

	struct snic_blk_vstats *v = fw_at(fw, l->vstats);
	put_hdr(fw, l->vstats, SNIC_BLK_VSTATS, 0, sizeof(*v));
	v->count = hw->max_vnics;
	v->stride = sizeof(struct snic_vnic_stats);
	v->first = l->vstats_first;
}

static void write_rings(struct fw *fw)
{
	const struct hal_hw_info *hw = &fw->hw;

	for (uint32_t i = 0; i < hw->n_rx_rings; i++) {
		struct snic_rxq *q = FW_RXQ(fw, i);
		q->desc_off = fw->lay.rx_desc[i];
		q->cpl_off = fw->lay.rx_cpl[i];
		q->size = hw->ring_size;
		q->buf_max = hw->buf_max;
		q->state = i == FW_SHARED_RING ? SNIC_RING_SHARED : SNIC_RING_UNBOUND;
		q->vnic = SNIC_VNIC_NONE;
		q->msix = (uint16_t)i;
	}
	for (uint32_t i = 0; i < hw->n_tx_rings; i++) {
		struct snic_txq *q = FW_TXQ(fw, i);
		q->desc_off = fw->lay.tx_desc[i];
		q->size = hw->ring_size;
		q->buf_max = hw->buf_max;
		q->state = i == FW_SHARED_RING ? SNIC_RING_SHARED : SNIC_RING_UNBOUND;
		q->vnic = SNIC_VNIC_NONE;
		q->msix = (uint16_t)(hw->n_rx_rings + i);
	}
}

/*
 * Records are padded to 8 bytes (and `len` includes the padding) so every
 * record, including those with 64-bit fields, is naturally aligned for a
 * reader that casts. Readers skip by `len`, never by sizeof.
 */
#define CAP_LEN(type) ((uint32_t)((sizeof(type) + 7u) & ~7u))


static void put_cap(struct fw *fw, const void *rec, uint32_t size, uint32_t len)
{
	uint8_t *at = fw_at(fw, fw->lay.caps_rec + fw->lay.caps_at);
	fw_memcpy(at, rec, size);
	fw_memset(at + size, 0, len - size);
	fw->lay.caps_at += len;
}

static void cap_hdr(struct snic_cap_hdr *h, uint16_t type, uint32_t len)
{
	h->type = type;
	h->version = 1;
	h->len = len;
}

static void write_ring_cap(struct fw *fw, uint16_t type, uint16_t id, bool rx)
{
	struct snic_cap_ring r;
	fw_memset(&r, 0, sizeof(r));
	cap_hdr(&r.h, type, CAP_LEN(struct snic_cap_ring));
	r.id = id;
	r.size = fw->hw.ring_size;
	r.buf_max = fw->hw.buf_max;
	if (rx) {
		r.msix = id;
		r.ctrl_off = fw->lay.rxq[id];
		r.poll_off = r.ctrl_off + offsetof(struct snic_rxq, cpl_prod);
		r.intr_off = r.ctrl_off + offsetof(struct snic_rxq, intr_enable);
		r.flags = SNIC_RINGCAP_POLL | SNIC_RINGCAP_INTR;
	} else {
		/* TX rings are polled through desc_cons; they raise no interrupt. */
		r.msix = (uint16_t)(fw->hw.n_rx_rings + id);
		r.ctrl_off = fw->lay.txq[id];
		r.poll_off = r.ctrl_off + offsetof(struct snic_txq, desc_cons);
		r.intr_off = 0;
		r.flags = SNIC_RINGCAP_POLL;
	}
	put_cap(fw, &r, sizeof(r), r.h.len);
}

static void write_caps(struct fw *fw)
{
	const struct hal_hw_info *hw = &fw->hw;
	fw->lay.caps_at = 0;

	struct snic_cap_header h;
	fw_memset(&h, 0, sizeof(h));
	cap_hdr(&h.h, SNIC_CAP_HEADER, CAP_LEN(struct snic_cap_header));
	h.format = SNIC_CAP_FORMAT_VERSION;
	h.n_rx_rings = hw->n_rx_rings;
	h.n_tx_rings = hw->n_tx_rings;
	h.n_uplinks = hw->n_uplinks;
	h.max_vnics = hw->max_vnics;
	copy_profile(h.profile, hw->profile);
	put_cap(fw, &h, sizeof(h), h.h.len);

	for (uint16_t i = 0; i < hw->n_rx_rings; i++)
		write_ring_cap(fw, SNIC_CAP_RX_RING, i, true);
	for (uint16_t i = 0; i < hw->n_tx_rings; i++)
		write_ring_cap(fw, SNIC_CAP_TX_RING, i, false);

	struct snic_cap_classifier c;
	fw_memset(&c, 0, sizeof(c));
	cap_hdr(&c.h, SNIC_CAP_CLASSIFIER, CAP_LEN(struct snic_cap_classifier));
	c.key_fields = hw->key_fields;
	c.ternary = hw->tcam_entries;
	c.exact = hw->exact_entries; /* firmware-managed: VNIC MAC steering */
	c.actions = SNIC_CLSCAP_ACT_VNIC | SNIC_CLSCAP_ACT_RING | SNIC_CLSCAP_ACT_DROP |
		    SNIC_CLSCAP_ACT_COUNT | SNIC_CLSCAP_ACT_MARK_SW | SNIC_CLSCAP_ACT_METER;
	c.key_bytes = SNIC_KEY_BYTES;
	c.latency = hw->cls_latency;
	c.user_entries = fw->user_entries;
	put_cap(fw, &c, sizeof(c), c.h.len);

	/* `count` policers; every VNIC has its own shaper besides. */
	struct snic_cap_meters m;
	fw_memset(&m, 0, sizeof(m));
	cap_hdr(&m.h, SNIC_CAP_METERS, CAP_LEN(struct snic_cap_meters));
	m.count = FW_MAX_METERS;
	m.modes = (1u << SNIC_METER_SRTCM) | (1u << SNIC_METER_TRTCM) | (1u << SNIC_METER_SHAPER);
	m.min_bps = METER_RATE_MIN;
	m.max_bps = METER_RATE_MAX;
	put_cap(fw, &m, sizeof(m), m.h.len);

	for (uint16_t i = 0; i < hw->n_uplinks; i++) {
		struct snic_cap_uplink u;
		fw_memset(&u, 0, sizeof(u));
		cap_hdr(&u.h, SNIC_CAP_UPLINK, CAP_LEN(struct snic_cap_uplink));
		u.id = i;
		fw_memcpy(u.mac, hw->uplink_mac[i], 6);
		u.speed_mbps = hw->uplink_speed_mbps;
		put_cap(fw, &u, sizeof(u), u.h.len);
	}

	/* Layer 2 (l2.h): the pools' sizes, shared by all VNICs. */
	struct snic_cap_l2 l2;
	fw_memset(&l2, 0, sizeof(l2));
	cap_hdr(&l2.h, SNIC_CAP_L2, CAP_LEN(struct snic_cap_l2));
	l2.flags = SNIC_L2CAP_GROUP | SNIC_L2CAP_VLANS | SNIC_L2CAP_MAC | SNIC_L2CAP_VSTATS |
		   SNIC_L2CAP_PORT_VLAN;
	l2.mc_filters = FW_L2_MC_POOL;
	l2.vlan_filters = FW_L2_VLAN_POOL;
	l2.mc_per_vnic = SNIC_L2_MC_PER_VNIC;
	l2.vlans_per_vnic = SNIC_L2_VLANS_PER_VNIC;
	put_cap(fw, &l2, sizeof(l2), l2.h.len);

	/* RSS (rss.h): the queue-set pool. */
	struct snic_cap_rss rss;
	fw_memset(&rss, 0, sizeof(rss));
	cap_hdr(&rss.h, SNIC_CAP_RSS, CAP_LEN(struct snic_cap_rss));
	rss.types = SNIC_RSS_HT_ALL;
	rss.key_bytes = SNIC_RSS_KEY_BYTES;
	rss.tables = FW_RSS_TABLES;
	rss.max_queues = FW_RSS_QUEUES;
	rss.indir_entries = FW_RSS_INDIR;
	put_cap(fw, &rss, sizeof(rss), rss.h.len);

	struct snic_cap_hdr end;
	cap_hdr(&end, SNIC_CAP_END, CAP_LEN(struct snic_cap_hdr));
	put_cap(fw, &end, sizeof(end), end.len);
	fw->lay.caps_len = fw->lay.caps_at;
}

int fw_layout_init(struct fw *fw)
{
	uint32_t resets = 0;

	fw->state = SNIC_STATE_BOOTING;
	hal_hw_info(fw->hal, &fw->hw);
	fw->hw.profile[15] = 0;
	fw->win = hal_window(fw->hal);
	fw->win_size = hal_window_size(fw->hal);
	/* The table memory, as the window, is the hardware's of this boot. */
	fw->tab = fw_tables_get(fw->hal);
	if (!fw->win || fw->win_size < sizeof(struct snic_blk_devid) || !fw->tab) {
		fw->state = SNIC_STATE_FAILED;
		return -1;
	}

	/* A window that already held our device means this is a re-boot. */
	struct snic_blk_devid *old = fw_at(fw, 0);
	if (old->magic == SNIC_MAGIC && old->hdr.type == SNIC_BLK_DEVID)
		resets = old->reset_count + 1;

	fw_memset(&fw->lay, 0, sizeof(fw->lay));
	fw->lay.devid = 0;
	if (check_hw(&fw->hw) < 0)
		goto failed;
	compute_layout(fw, &fw->hw);
	if (fw->lay.cursor + FW_MIN_DMA > fw->win_size)
		goto failed;
	fw->lay.dma_base = (uint32_t)fw->lay.cursor;
	fw->lay.dma_size = fw->win_size - fw->lay.dma_base;
	/* With an exact-match table the VNIC MACs are steered there (vnic.c)
	 * and the whole ternary table takes host rules; the MAC entries'
	 * indices then lie past it, the priority the exact table has. */
	fw->user_entries = fw->hw.exact_entries ? fw->hw.tcam_entries :
			  fw->hw.tcam_entries - fw->hw.max_vnics;
	fw->mac_base = fw->user_entries;

	/* Device area only: the DMA region is host memory, not ours. */
	fw_memset(fw->win, 0, fw->lay.dma_base);
	write_devid(fw, SNIC_STATE_BOOTING, resets);
	write_caps(fw);
	write_blocks(fw);
	write_rings(fw);
	return 0;

failed:
	fw->state = SNIC_STATE_FAILED;
	fw_memset(fw->win, 0, sizeof(struct snic_blk_devid));
	write_devid(fw, SNIC_STATE_FAILED, resets);
	return -1;
}
