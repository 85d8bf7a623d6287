/* SPDX-License-Identifier: MIT */
/*
 * The RISC-V HAL (firmware/hal/riscv) on rv32 under QEMU, with its memory
 * map moved into RAM (the -DHAL_RV_*_ADDR stand-in of firmware/riscv.mk).
 * No NIC runs behind the ports here, so this test plays the hardware: it
 * fills in what the hardware would publish, runs the firmware, and checks
 * what the firmware wrote to the ports. Expected register contents come
 * from docs/firmware-image.md, not from the HAL.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fw.h"
#include "hal/riscv/hal_riscv_flash.h"
#include "hal/riscv/hal_riscv_regs.h"

/* Stand-in memory beyond the ports (riscv.mk puts the ports at 0x8c00_0000). */
#define WIN_ADDR   (HAL_RV_CTRL_ADDR + 0x1000000u)
#define WIN_SIZE   (16u << 20)
#define RING_ADDR  (HAL_RV_CTRL_ADDR + 0x2000000u)
#define RING_N     8u
#define FRAME_ADDR (RING_ADDR + 0x100000u)
#define TXBUF_ADDR (RING_ADDR + 0x800000u)
#define FLASH_SIZE (1u << 20)
#define TABLE_ADDR (HAL_RV_CTRL_ADDR + 0x3000000u) /* table memory, 1 MiB */
#define TABLE_SIZE (1u << 20)

static uint8_t *win(void) { return (uint8_t *)(uintptr_t)WIN_ADDR; }

static struct hal_rv_rx_entry *ring(void)
{
	return (struct hal_rv_rx_entry *)(uintptr_t)RING_ADDR;
}

/* What the hardware shows at reset: a "large" card, quiet ports. */
static void hw_reset(void)
{
	memset((void *)(uintptr_t)HAL_RV_CTRL_ADDR, 0, 0x6000); /* ports, DMA engine absent */
	memset((void *)(uintptr_t)HAL_RV_FLASH_ADDR, 0xff, FLASH_SIZE);
	memset(win(), 0, WIN_SIZE);
	memset((void *)(uintptr_t)RING_ADDR, 0, 0x900000);

	volatile struct hal_rv_ctrl *c = HAL_RV_CTRL;
	c->id = HAL_RV_ID;
	c->version = 1;
	c->win_addr = WIN_ADDR;
	c->win_size = WIN_SIZE;
	c->table_addr = TABLE_ADDR;
	c->table_size = TABLE_SIZE;
	c->port_carrier = 0xf;
	struct hal_hw_info hw;
	memset(&hw, 0, sizeof(hw));
	strcpy(hw.profile, "large");
	hw.n_rx_rings = 16;
	hw.n_tx_rings = 16;
	hw.n_uplinks = 4;
	hw.max_vnics = 128;
	hw.ring_size = 512;
	hw.buf_max = 2048;
	hw.tcam_entries = 1024;
	hw.key_fields = SNIC_FIELD_ALL;
	hw.cls_latency = 7;
	hw.uplink_speed_mbps = 100000;
	memcpy((void *)&c->hw, &hw, sizeof(hw));

	HAL_RV_RXQ->ring_addr = RING_ADDR;
	HAL_RV_RXQ->entries = RING_N;
	HAL_RV_TX->buf_addr = TXBUF_ADDR;
	HAL_RV_TX->buf_size = 16384;
	HAL_RV_FLASHC->size = FLASH_SIZE;
}

/* The HAL's context and the firmware instance on it (bss: struct fw is
 * too big for the stack). */
static struct hal hal;
static struct fw_storage fw_mem;
static struct fw *fw;

static uint32_t find_block(uint32_t type)
{
	uint32_t off = 0;
	for (int hops = 0; hops < 64; hops++) {
		const struct snic_block_hdr *h = (const void *)(win() + off);
		if (h->type == type)
			return off;
		if (!h->next)
			break;
		off = h->next;
	}
	fail_msg("block %u not on the chain", (unsigned)type);
}

static struct snic_blk_stats *stats(void)
{
	return (struct snic_blk_stats *)(win() + find_block(SNIC_BLK_STATS));
}

/* One admin command through the window, as a host would send it. */
static int admin(uint16_t op, const void *payload, uint32_t len, struct snic_admin_cpl *out)
{
	struct snic_blk_admin *a = (void *)(win() + find_block(SNIC_BLK_ADMIN));
	struct snic_admin_cmd *cmd = (void *)(win() + a->cmd_off);
	struct snic_admin_cpl *cpl = (void *)(win() + a->cpl_off);
	uint32_t slot = a->cmd_prod % a->entries, seq = a->cmd_prod + 1000;

	memset(&cmd[slot], 0, sizeof(cmd[slot]));
	cmd[slot].opcode = op;
	cmd[slot].seq = seq;
	cmd[slot].len = len;
	if (len)
		memcpy(cmd[slot].payload, payload, len);
	a->cmd_prod++;
	for (int i = 0; i < 8 && a->cpl_prod == a->cpl_cons; i++)
		fw_poll(fw);
	assert_int_equal(a->cpl_prod, a->cpl_cons + 1);
	struct snic_admin_cpl *c = &cpl[a->cpl_cons % a->entries];
	assert_int_equal(c->seq, seq);
	if (out)
		*out = *c;
	a->cpl_cons++;
	return c->status;
}

static void boot(void)
{
	hw_reset();
	fw = fw_open(&fw_mem, sizeof(fw_mem), &hal);
	assert_non_null(fw);
	assert_int_equal(fw_init(fw), 0);
}

static void test_boot_writes_window(void **state)
{
	(void)state;
	boot();
	const struct snic_blk_devid *d = (const void *)win();
	assert_int_equal(d->magic, SNIC_MAGIC);
	assert_int_equal(d->abi_major, SNIC_ABI_MAJOR);
	assert_int_equal(d->state, SNIC_STATE_RUNNING);
	assert_int_equal(d->window_size, WIN_SIZE);
	assert_string_equal(d->profile, "large");
	/* fw_init takes every port down. */
	assert_int_equal(HAL_RV_CTRL->port_enable, 0);
	assert_int_equal(admin(SNIC_CMD_NOP, NULL, 0, NULL), SNIC_OK);
}

static void test_clock_hi_lo(void **state)
{
	(void)state;
	hw_reset();
	HAL_RV_CTRL->time_hi = 3;
	HAL_RV_CTRL->time_lo = 0xfffffff0u;
	assert_int_equal(hal_now_ns(&hal), 3ull * 4294967296ull + 0xfffffff0u);
}

static void test_cls_port(void **state)
{
	(void)state;
	hw_reset();
	struct snic_rule r;
	memset(&r, 0, sizeof(r));
	for (unsigned i = 0; i < sizeof(r.value); i++)
		((uint8_t *)&r.value)[i] = (uint8_t)(i * 7 + 1);
	r.action.vnic = 0x1234;
	hal_cls_write(&hal, 77, &r);
	assert_int_equal(HAL_RV_CLS->idx, 77);
	assert_int_equal(HAL_RV_CLS->cmd, HAL_RV_CLS_WRITE);
	assert_memory_equal((const void *)HAL_RV_CLS->rule, &r, sizeof(r));

	hal_cls_clear(&hal, 78);
	assert_int_equal(HAL_RV_CLS->idx, 78);
	assert_int_equal(HAL_RV_CLS->cmd, HAL_RV_CLS_CLEAR);

	struct snic_action act = { .vnic = 0x0102, .ring = 0x0304, .meter = 0x0506,
				   .flags = 0x07, .gen = 0x08 };
	hal_exact_write(&hal, 4099, 0x1122334455667788ull, &act);
	assert_int_equal(HAL_RV_CLS->idx, 4099);
	assert_int_equal(HAL_RV_CLS->cmd, HAL_RV_CLS_XWRITE);
	assert_int_equal(HAL_RV_CLS->xkey_lo, 0x55667788u);
	assert_int_equal(HAL_RV_CLS->xkey_hi, 0x11223344u);
	/* Little-endian words: vnic | ring << 16, then meter | flags << 16 | gen << 24. */
	assert_int_equal(HAL_RV_CLS->xaction[0], 0x03040102u);
	assert_int_equal(HAL_RV_CLS->xaction[1], 0x08070506u);
	hal_exact_clear(&hal, 12);
	assert_int_equal(HAL_RV_CLS->idx, 12);
	assert_int_equal(HAL_RV_CLS->cmd, HAL_RV_CLS_XCLEAR);

	HAL_RV_CLS->hits_lo = 5;
	HAL_RV_CLS->hits_hi = 2;
	assert_int_equal(hal_cls_hits(&hal, 3), (2ull << 32) + 5);
	assert_int_equal(HAL_RV_CLS->idx, 3);
	assert_int_equal(HAL_RV_CLS->cmd, HAL_RV_CLS_HITS);
}

/* RSS configuration: the whole snic_rss_cfg staged, then one command;
 * NULL stages an all-zero configuration (hashing off). */
static void test_rss_port(void **state)
{
	(void)state;
	hw_reset();
	struct snic_rss_cfg c;
	memset(&c, 0, sizeof(c));
	for (unsigned i = 0; i < sizeof(c.key); i++)
		c.key[i] = (uint8_t)(i * 13 + 5);
	c.types = SNIC_RSS_HT_TCP_IPV4 | SNIC_RSS_HT_IPV6;
	hal_rss_write(&hal, &c);
	assert_int_equal(HAL_RV_CLS->cmd, HAL_RV_CLS_RSS);
	assert_memory_equal((const void *)HAL_RV_CLS->rule, &c, sizeof(c));

	HAL_RV_CLS->cmd = 0;
	hal_rss_write(&hal, NULL);
	assert_int_equal(HAL_RV_CLS->cmd, HAL_RV_CLS_RSS);
	memset(&c, 0, sizeof(c));
	assert_memory_equal((const void *)HAL_RV_CLS->rule, &c, sizeof(c));
}

/* The hardware queues one classified frame. */
static void hw_rx(uint32_t n, uint8_t port, uint16_t rule, uint32_t len)
{
	struct hal_rv_rx_entry *e = &ring()[n % RING_N];
	uint8_t *frame = (uint8_t *)(uintptr_t)(FRAME_ADDR + n * 2048);
	memset(frame, 0xab, len);
	memset(e, 0, sizeof(*e));
	e->addr = (uint32_t)(uintptr_t)frame;
	e->len = len;
	e->port = port;
	e->match.rule = rule;
	e->match.action.vnic = SNIC_VNIC_NONE;
	e->verdict = 12345;
	HAL_RV_RXQ->prod = n + 1;
}

static void test_rx_queue_verdicts(void **state)
{
	(void)state;
	boot();
	hw_rx(0, 0, SNIC_RULE_MISS, 64); /* port 0 is down after boot */
	fw_poll(fw);
	assert_int_equal(ring()[0].verdict, SNIC_DROP_PORT_DOWN);
	assert_int_equal(HAL_RV_RXQ->cons, 1);
	assert_int_equal(stats()->drops[SNIC_DROP_PORT_DOWN], 1);

	struct snic_port_set ps = { .port = 0, .admin_up = 1 };
	assert_int_equal(admin(SNIC_CMD_PORT_SET, &ps, sizeof(ps), NULL), SNIC_OK);
	assert_int_equal(HAL_RV_CTRL->port_enable, 1);

	hw_rx(1, 0, SNIC_RULE_MISS, 64);
	hw_rx(2, 0, SNIC_RULE_MISS, 8); /* a runt */
	fw_poll(fw);
	assert_int_equal(ring()[1].verdict, SNIC_DROP_NO_MATCH);
	assert_int_equal(ring()[2].verdict, SNIC_DROP_RUNT);
	assert_int_equal(HAL_RV_RXQ->cons, 3);
}

static void test_rx_queue_insane_prod(void **state)
{
	(void)state;
	boot();
	/* The port claims more entries than the ring holds: take none. */
	HAL_RV_RXQ->prod = RING_N + 5;
	fw_poll(fw);
	assert_int_equal(HAL_RV_RXQ->cons, 0);
	struct hal_rx_pkt p;
	assert_int_equal(hal_rx_next(&hal, &p), 0);
	/* A ring size that is not a power of two: also nothing. */
	HAL_RV_RXQ->entries = 6;
	HAL_RV_RXQ->prod = 1;
	assert_int_equal(hal_rx_next(&hal, &p), 0);
}

static void test_tx_port(void **state)
{
	(void)state;
	hw_reset();
	uint8_t f[60];
	for (unsigned i = 0; i < sizeof(f); i++)
		f[i] = (uint8_t)(255 - i);
	assert_int_equal(hal_tx(&hal, 2, f, sizeof(f)), 0);
	assert_int_equal(HAL_RV_TX->len, 60);
	assert_int_equal(HAL_RV_TX->port, 2);
	assert_int_equal(HAL_RV_TX->doorbell, 1);
	assert_memory_equal((const void *)(uintptr_t)TXBUF_ADDR, f, sizeof(f));

	HAL_RV_TX->busy = 1;
	HAL_RV_TX->doorbell = 0;
	assert_int_equal(hal_tx(&hal, 1, f, sizeof(f)), -1);
	assert_int_equal(HAL_RV_TX->doorbell, 0); /* nothing rang */
}

/* No DMA engine fitted (id 0): the HAL moves the bytes itself, aligned
 * or not, and exactly the bytes asked for. */
static void test_dma_without_engine(void **state)
{
	(void)state;
	hw_reset();
	uint8_t src[80], back[80];
	for (unsigned i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 13 + 5);
	uint8_t *w = win();
	hal_dma_to_host(&hal, 0x10000, src, 64);               /* aligned words */
	assert_memory_equal(w + 0x10000, src, 64);
	hal_dma_to_host(&hal, 0x10101, src + 3, 61);           /* odd offsets and length */
	assert_memory_equal(w + 0x10101, src + 3, 61);
	assert_int_equal(w[0x10100], 0);                 /* nothing around it */
	assert_int_equal(w[0x10101 + 61], 0);
	memset(back, 0, sizeof(back));
	hal_dma_from_host(&hal, back + 1, 0x10101, 61);
	assert_memory_equal(back + 1, src + 3, 61);
	assert_int_equal(back[0], 0);
	assert_int_equal(back[62], 0);
	hal_dma_to_host(&hal, 0x10200, src, 0);                /* an empty transfer */
	assert_int_equal(w[0x10200], 0);
	assert_int_equal(HAL_RV_DMA->cmd, 0);            /* the port was left alone */
}

/* With the engine: each transfer is one command with core addresses;
 * the core copies nothing itself (no engine runs behind the stand-in). */
static void test_dma_engine_port(void **state)
{
	(void)state;
	hw_reset();
	HAL_RV_DMA->id = HAL_RV_DMA_ID;
	uint8_t src[64];
	memset(src, 0x5a, sizeof(src));
	hal_dma_to_host(&hal, 0x12340, src, 64);
	assert_int_equal(HAL_RV_DMA->src, (uint32_t)(uintptr_t)src);
	assert_int_equal(HAL_RV_DMA->dst, WIN_ADDR + 0x12340);
	assert_int_equal(HAL_RV_DMA->len, 64);
	assert_int_equal(HAL_RV_DMA->cmd, HAL_RV_DMA_COPY);
	assert_int_equal(win()[0x12340], 0);

	uint8_t dst[32];
	HAL_RV_DMA->cmd = 0;
	hal_dma_from_host(&hal, dst, 0x22000, 32);
	assert_int_equal(HAL_RV_DMA->src, WIN_ADDR + 0x22000);
	assert_int_equal(HAL_RV_DMA->dst, (uint32_t)(uintptr_t)dst);
	assert_int_equal(HAL_RV_DMA->len, 32);
	assert_int_equal(HAL_RV_DMA->cmd, HAL_RV_DMA_COPY);

	/* A transmitted frame reaches the staging buffer the same way. */
	HAL_RV_DMA->cmd = 0;
	assert_int_equal(hal_tx(&hal, 1, src, 60), 0);
	assert_int_equal(HAL_RV_DMA->src, (uint32_t)(uintptr_t)src);
	assert_int_equal(HAL_RV_DMA->dst, TXBUF_ADDR);
	assert_int_equal(HAL_RV_DMA->len, 60);
	assert_int_equal(HAL_RV_DMA->cmd, HAL_RV_DMA_COPY);
	assert_int_equal(HAL_RV_TX->doorbell, 1);
}

/* A frame for a VNIC goes through the whole RX path of the real HAL: it
 * lands in the host's buffer with its completion. */
static void test_rx_delivery(void **state)
{
	(void)state;
	boot();
	struct snic_port_set ps = { .port = 0, .admin_up = 1 };
	assert_int_equal(admin(SNIC_CMD_PORT_SET, &ps, sizeof(ps), NULL), SNIC_OK);
	struct snic_vnic_create c;
	memset(&c, 0, sizeof(c));
	c.vnic = 3;
	c.vlan = SNIC_VLAN_NONE;
	const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x33 };
	memcpy(c.mac, mac, 6);
	struct snic_admin_cpl cpl;
	assert_int_equal(admin(SNIC_CMD_VNIC_CREATE, &c, sizeof(c), &cpl), SNIC_OK);
	struct snic_vnic_info info;
	memcpy(&info, cpl.payload, sizeof(info));

	const struct snic_blk_queues *qb = (const void *)(win() + find_block(SNIC_BLK_RXQ));
	struct snic_rxq *q = (void *)(win() + qb->first + info.rx_ring * qb->stride);
	const struct snic_blk_dma *dma = (const void *)(win() + find_block(SNIC_BLK_DMA));
	struct snic_rx_desc *d = (void *)(win() + q->desc_off);
	d[0].addr = dma->base + 0x100;
	d[0].len = 2048;
	q->desc_prod = 1;

	hw_rx(0, 0, info.mac_rule, 77);
	ring()[0].match.action.vnic = 3;
	ring()[0].match.action.ring = SNIC_RING_DEFAULT;
	/* As the engine would: the incarnation the MAC entry was written with
	 * (the last classifier write: a staged rule or an exact action). */
	const unsigned g = offsetof(struct snic_rule, action.gen);
	ring()[0].match.action.gen = HAL_RV_CLS->cmd == HAL_RV_CLS_XWRITE ?
		(uint8_t)(HAL_RV_CLS->xaction[1] >> 24) :
		(uint8_t)(HAL_RV_CLS->rule[g / 4] >> (8 * (g % 4)));
	assert_int_not_equal(ring()[0].match.action.gen, 0);
	uint8_t *frame = (uint8_t *)(uintptr_t)ring()[0].addr;
	for (unsigned i = 0; i < 77; i++)
		frame[i] = (uint8_t)(i ^ 0x3c);
	fw_poll(fw);
	assert_int_equal(ring()[0].verdict, HAL_DELIVERED);
	assert_int_equal(q->cpl_prod, 1);
	assert_int_equal(q->desc_cons, 1);
	assert_int_equal(q->packets, 1);
	assert_int_equal(q->bytes, 77);
	const struct snic_rx_cpl *rc = (const void *)(win() + q->cpl_off);
	assert_int_equal(rc[0].len, 77);
	assert_int_equal(rc[0].vnic, 3);
	assert_int_equal(rc[0].desc, 0);
	assert_memory_equal(win() + dma->base + 0x100, frame, 77);
	assert_int_equal(win()[dma->base + 0x100 + 77], 0);
}

static void test_irq_and_ports(void **state)
{
	(void)state;
	hw_reset();
	hal_irq(&hal, 9);
	assert_int_equal(HAL_RV_CTRL->irq, 9);
	hal_port_enable(&hal, 3, 1);
	hal_port_enable(&hal, 1, 1);
	hal_port_enable(&hal, 3, 0);
	assert_int_equal(HAL_RV_CTRL->port_enable, 0x2);
	HAL_RV_CTRL->port_carrier = 0x4;
	assert_int_equal(hal_port_carrier(&hal, 2), 1);
	assert_int_equal(hal_port_carrier(&hal, 1), 0);
	assert_int_equal(hal_port_carrier(&hal, 200), 0);
}

/* Flash: reads through the mapped flash, programs word by word. */
static void test_flash_running_slot_and_program(void **state)
{
	(void)state;
	hw_reset();
	struct snic_fwimg_hdr h;
	assert_int_equal(hal_rv_flash_running(&h), SNIC_BOOT_NONE); /* erased */

	/* A boot record saying slot 1 runs, and a valid header there. */
	struct snic_bootctl b;
	snic_bootctl_default(&b);
	b.running = 1;
	b.active = 1;
	b.boot_count = 4;
	uint8_t *flash = (uint8_t *)(uintptr_t)HAL_RV_FLASH_ADDR;
	snic_bootctl_encode(&b, flash);

	uint8_t img[SNIC_FWIMG_HDR_SIZE + 8];
	memset(img, 0, sizeof(img));
	const uint8_t payload[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint32_t words[12] = {
		SNIC_FWIMG_MAGIC, SNIC_FWIMG_HDR_VERSION | SNIC_FWIMG_HDR_SIZE << 16,
		SNIC_ABI_MAJOR | SNIC_ABI_MINOR << 16, 0x00020304, 8,
		snic_crc32(0, payload, 8), 0x80000000u, 0x80000000u, 8, 0, 0, 0,
	};
	for (unsigned i = 0; i < 12; i++)
		for (unsigned k = 0; k < 4; k++)
			img[i * 4 + k] = (uint8_t)(words[i] >> (8 * k));
	uint32_t hcrc = snic_crc32(0, img, SNIC_FWIMG_HDR_SIZE - 4);
	for (unsigned k = 0; k < 4; k++)
		img[92 + k] = (uint8_t)(hcrc >> (8 * k));
	memcpy(img + SNIC_FWIMG_HDR_SIZE, payload, 8);
	memcpy(flash + SNIC_FLASH_SLOT_OFF(1), img, sizeof(img));

	assert_int_equal(hal_rv_flash_running(&h), 1);
	assert_int_equal(h.fw_version, 0x00020304);

	const struct fw_flash_ops *ops = hal_rv_flash_ops();
	struct fw_flash_status st;
	ops->status(ops->ctx, &st);
	assert_int_equal(st.running, 1);
	assert_int_equal(st.boot_count, 4);
	uint8_t back[8];
	assert_int_equal(ops->read(ops->ctx, 1, SNIC_FWIMG_HDR_SIZE, back, 8), 0);
	assert_memory_equal(back, payload, 8);
	assert_int_equal(ops->read(ops->ctx, 2, 0, back, 8), -1);
	assert_int_equal(ops->read(ops->ctx, 0, SNIC_FWIMG_SLOT_SIZE - 4, back, 8), -1);

	/* Three bytes at offset 1 of slot 0: one word, byte 0 left erased. */
	const uint8_t abc[3] = { 'a', 'b', 'c' };
	assert_int_equal(ops->write(ops->ctx, 0, 1, abc, 3), 0);
	assert_int_equal(HAL_RV_FLASHC->cmd, HAL_RV_FLASH_PROGRAM);
	assert_int_equal(HAL_RV_FLASHC->addr, SNIC_FLASH_SLOT_OFF(0));
	assert_int_equal(HAL_RV_FLASHC->data, 0x636261ffu);
	/* A controller error is reported. */
	HAL_RV_FLASHC->status = 1;
	assert_int_equal(ops->write(ops->ctx, 0, 8, abc, 3), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_writes_window),
		cmocka_unit_test(test_clock_hi_lo),
		cmocka_unit_test(test_cls_port),
		cmocka_unit_test(test_rss_port),
		cmocka_unit_test(test_rx_queue_verdicts),
		cmocka_unit_test(test_rx_queue_insane_prod),
		cmocka_unit_test(test_tx_port),
		cmocka_unit_test(test_dma_without_engine),
		cmocka_unit_test(test_dma_engine_port),
		cmocka_unit_test(test_rx_delivery),
		cmocka_unit_test(test_irq_and_ports),
		cmocka_unit_test(test_flash_running_slot_and_program),
	};
	return cmocka_run_group_tests_name("hal_riscv", tests, NULL, NULL);
}
