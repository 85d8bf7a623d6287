/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snic: Linux driver for the snic SmartNIC (device window behind an
 * ivshmem-plain BAR). Shared declarations of the driver's files.
 *
 * One struct snic_dev per PCI function (the card), one net_device per
 * VNIC. The card's hardware RX/TX rings are driven by the driver; each
 * VNIC uses its dedicated rings or the shared ring 0 (software-ring
 * fallback). With ivshmem-doorbell each RX ring's MSI-X vector schedules
 * its NAPI (snic_irq.c); ivshmem-plain raises no interrupts, so there an
 * hrtimer kicks NAPI. The other way, the driver rings the device's
 * doorbell after publishing TX descriptors when the device asks for it
 * (SNIC_TXQF_KICK, snic_tx.c).
 */
#ifndef SNIC_DRV_H
#define SNIC_DRV_H

#include <linux/types.h>
#include <linux/pci.h>
#include <linux/netdevice.h>
#include <linux/ethtool.h>
#include <linux/hrtimer.h>
#include <linux/workqueue.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <snic/abi.h>

struct devlink;

#define SNIC_DRV_NAME      "snic"
#define SNIC_DRV_VERSION   "0.1.0"
#define SNIC_MAX_RINGS     64       /* rings this driver can drive */
#define SNIC_MAX_VNICS_DRV 256
#define SNIC_MAX_BLOCKS    64       /* longer chains are treated as loops */
#define SNIC_BUF_ALIGN     64u
#define SNIC_SHARED_RING   0        /* HRR/TRR 0 carry software-ring VNICs */
#define SNIC_IVSHMEM_DOORBELL 12    /* BAR0: write peer << 16 | vector */

/* ---- capabilities (snic_caps.c): the driver's own copy ---- */
struct snic_caps {
	u32 generation;
	struct snic_cap_header hdr;
	u16 n_rx, n_tx, n_uplinks;
	struct snic_cap_ring rx[SNIC_MAX_RINGS];
	struct snic_cap_ring tx[SNIC_MAX_RINGS];
	struct snic_cap_classifier cls;
	struct snic_cap_meters meters;
	struct snic_cap_uplink uplink[SNIC_MAX_UPLINKS];
	struct snic_cap_l2 l2;    /* zero when the firmware has no L2 record */
	struct snic_cap_rss rss;  /* zero when the firmware has no RSS record */
};

/* ---- rings (snic_rx.c, snic_tx.c) ---- */
struct snic_ring_stats {
	u64 packets;
	u64 bytes;
	u64 errors;        /* RX: malformed completions; TX: frames refused */
	u64 busy;          /* TX: ring full, queue stopped */
	struct u64_stats_sync syncp;
};

struct snic_rx_ring {
	struct snic_dev *sdev;
	u16 id;
	bool ready;               /* buffers posted, indices synced */
	struct snic_rxq *ctrl;
	struct snic_rx_desc *desc;
	struct snic_rx_cpl *cpl;
	u32 size;                 /* descriptor slots */
	u32 depth;                /* buffers: descriptor i uses buffer i % depth */
	u32 posted;               /* kept posted (ethtool -G), <= depth */
	u32 buf_off;              /* window offset of buffer 0 */
	u32 buf_size;
	u32 desc_prod;            /* host copies of the host-written indices */
	u32 cpl_cons;
	struct napi_struct napi;
	u16 queue;                /* its netdev's RX queue (RSS), 0 if shared */
	bool napi_added;
	bool napi_on;
	unsigned int irq;         /* Linux IRQ of its MSI-X vector; 0: polled */
	u64 irqs;                 /* interrupts taken (written by the handler only) */
	char irq_name[32];
	struct snic_ring_stats stats;
};

struct snic_tx_ring {
	struct snic_dev *sdev;
	u16 id;
	bool ready;
	spinlock_t lock;          /* the shared TRR serves several netdevs */
	struct snic_txq *ctrl;
	struct snic_tx_desc *desc;
	u32 size;
	u32 depth;
	u32 posted;               /* in flight at most (ethtool -G), <= depth */
	u32 buf_off;
	u32 buf_size;
	u32 desc_prod;
	u64 kicks;                /* doorbells rung (SNIC_TXQF_KICK), under lock */
	struct snic_ring_stats stats;
};

/* ---- n-tuple rules (snic_ntuple.c) ---- */
struct snic_rule_entry {
	bool used;
	u16 vnic;                         /* netdev the rule was added through */
	struct ethtool_rx_flow_spec fs;   /* as the user gave it, for listing */
	struct snic_rule rule;            /* as sent to the device, for restore */
};

/* ---- one VNIC = one net_device (snic_netdev.c) ---- */
struct snic_vnic {
	struct snic_dev *sdev;
	struct net_device *ndev;
	u16 id;                   /* device VNIC id */
	u16 index;                /* netdev index on the card: its VF number */
	u8 uplink;
	bool sw_only;             /* asked for the shared rings (SNIC_VNICF_SW_ONLY) */
	u16 rx_ring, tx_ring;     /* from VNIC_CREATE; SNIC_SHARED_RING = software */
	bool up;
	u32 tx_max_mbps;          /* last rate asked for (0: none) */
	struct snic_ring_stats rx_stats;  /* frames handed to the stack */
	struct snic_ring_stats tx_stats;  /* frames queued to the device */
	u64 rx_dropped;           /* no skb memory */

	/* layer 2 (snic_l2.c); cfg_lock */
	struct work_struct rx_mode_work;  /* ndo_set_rx_mode runs atomic */
	struct snic_vnic_rxmode rxmode;   /* last accepted, for restore */
	bool rxmode_set;
	u16 vids[SNIC_L2_VLANS_PER_VNIC]; /* VLAN membership, for restore */
	u16 n_vids;
	u16 policy;                       /* SNIC_VPOL_*, set through the PF */
	u16 port_vlan;                    /* vf N vlan (0: none), for restore */
	u8 port_qos;                      /* its PCP (vf N vlan V qos Q) */
	bool promisc_refused;             /* logged once per refusal streak */
	bool mc_overflowed;
	u64 mc_fallbacks;                 /* multicast list -> ALLMULTI */
	u64 promisc_refusals;             /* PROMISC refused (not trusted) */
	u64 min_tx_bps;                   /* guaranteed share (vf min_tx_rate) */

	/* RSS queue set (snic_rss.c); queue 0 is rx_ring/tx_ring; cfg_lock */
	u8 n_queues;                      /* >= 1 */
	bool indir_user;                  /* indir set by ethtool -X */
	u16 rss_rx[SNIC_RSS_MAX_QUEUES];  /* HRR of queue q >= 1 */
	u16 rss_tx[SNIC_RSS_MAX_QUEUES];  /* TRR of queue q >= 1 */
	u8 indir[SNIC_RSS_INDIR_MAX];     /* queue per entry, for restore */
};

/* ---- the card ---- */
struct snic_dev {
	struct pci_dev *pdev;
	struct device *dev;
	u8 *win;                  /* memremap of BAR2 */
	u32 win_size;
	void __iomem *regs;       /* ivshmem registers (BAR0): the doorbell; or NULL */

	/* block offsets found by the walk (snic_window.c) */
	u32 off_fw, off_admin, off_caps, off_stats, off_dma, off_rxq, off_txq;
	struct snic_blk_devid *devid;
	struct snic_blk_admin *admin;
	struct snic_blk_stats *stats;
	struct snic_blk_vstats *vstats;   /* per-VNIC counters, or NULL */
	u32 vstats_count;                 /* checked copies of its layout */
	u32 vstats_stride;
	u32 vstats_first;
	struct snic_blk_queues rxq_blk, txq_blk;   /* checked copies */
	u32 dma_base, dma_size;
	char fw_version[32];
	char profile[16];
	u32 reset_count;
	u64 restores;             /* successful restores after device resets */

	struct snic_caps caps;
	u8 rss_key[SNIC_RSS_KEY_BYTES];   /* card-wide hash key and types */
	u8 rss_types;                     /* SNIC_RSS_HT_*; 0 until set */

	/* admin queue (snic_admin.c) */
	struct mutex admin_lock;
	struct snic_admin_cmd *cmd_ring;
	struct snic_admin_cpl *cpl_ring;
	u32 admin_entries;
	u32 seq;                  /* last command's sequence number */
	u64 admin_timeouts;
	u64 admin_takeovers;      /* window locks taken from dead holders */

	struct snic_rx_ring *rx;  /* caps.n_rx entries */
	struct snic_tx_ring *tx;

	struct mutex cfg_lock;    /* VNICs, ports, rules */
	struct snic_vnic *vnic_by_id[SNIC_MAX_VNICS_DRV];  /* RX demux */
	struct net_device *ndevs[SNIC_MAX_VNICS_DRV];
	unsigned int n_ndevs;
	unsigned int port_users[SNIC_MAX_UPLINKS];
	bool port_up[SNIC_MAX_UPLINKS];

	struct snic_rule_entry *rules;   /* caps.cls.user_entries */
	u32 n_rules_max;

	/* the shared HRR's NAPI lives on a dummy netdev */
	struct net_device napi_dev;
	unsigned int shared_users;

	struct hrtimer poll_timer;
	ktime_t poll_period;      /* polled rings, stopped TX queues */
	ktime_t slow_period;      /* MSI-X: only a safety net for RX */
	bool msix;                /* every RX ring has its vector */
	unsigned int n_vectors;   /* MSI-X vectors allocated */
	atomic_t active_rings;
	struct delayed_work watchdog;
	bool dead;                /* device failed or vanished */

	struct dentry *debugfs;
	struct devlink *devlink;  /* snic_devlink.c */
};

/* Index words: acquire loads of device-written, release stores of ours. */
static inline u32 snic_ld_acq(const u32 *p)
{
	return smp_load_acquire(p);
}

static inline void snic_st_rel(u32 *p, u32 v)
{
	smp_store_release(p, v);
}

static inline void *snic_at(struct snic_dev *sdev, u32 off)
{
	return sdev->win + off;
}

static inline bool snic_in_window(const struct snic_dev *sdev, u64 off, u64 len)
{
	return off <= sdev->win_size && len <= sdev->win_size - off;
}

static inline bool snic_in_dma(const struct snic_dev *sdev, u64 off, u64 len)
{
	return off >= sdev->dma_base && len <= sdev->dma_size &&
	       off - sdev->dma_base <= sdev->dma_size - len;
}

/* snic_window.c */
int snic_window_walk(struct snic_dev *sdev);
bool snic_device_running(struct snic_dev *sdev);

/* snic_caps.c */
int snic_caps_read(struct snic_dev *sdev);

/* snic_admin.c */
int snic_admin_init(struct snic_dev *sdev);
int snic_admin_exec(struct snic_dev *sdev, u16 opcode, const void *in, u32 in_len,
		    void *out, u32 out_len);
int snic_status_errno(u16 status);
int snic_port_set(struct snic_dev *sdev, u8 port, bool up);

/* snic_rx.c */
int snic_rx_rings_alloc(struct snic_dev *sdev);
int snic_rx_ring_start(struct snic_rx_ring *ring, struct net_device *napi_dev);
void snic_rx_ring_stop(struct snic_rx_ring *ring);
void snic_rx_kick(struct snic_dev *sdev);

/* snic_irq.c */
int snic_irq_init(struct snic_dev *sdev);
void snic_irq_fini(struct snic_dev *sdev);
void snic_irq_rearm(struct snic_rx_ring *ring);

/* snic_tx.c */
int snic_tx_rings_alloc(struct snic_dev *sdev);
int snic_tx_ring_start(struct snic_tx_ring *ring);
netdev_tx_t snic_xmit(struct sk_buff *skb, struct net_device *ndev);
bool snic_tx_wake(struct snic_dev *sdev);

/* snic_main.c: a TX queue stopped for room; poll fast until it wakes */
void snic_tx_wait(struct snic_dev *sdev);

/* snic_buffers.c: splits the DMA region among ring buffers */
int snic_buffers_layout(struct snic_dev *sdev);

/* snic_netdev.c */
int snic_vnic_add(struct snic_dev *sdev, unsigned int index, bool sw_only);
int snic_vnic_create_fw(struct snic_dev *sdev, u16 want, u8 uplink, bool sw_only,
			const u8 *mac, struct snic_vnic_info *info);
void snic_vnic_destroy_fw(struct snic_dev *sdev, u16 id);
int snic_vnic_start(struct snic_vnic *vnic);
void snic_vnic_halt(struct snic_vnic *vnic, bool tell_device);
void snic_vnic_carrier(struct snic_vnic *vnic);
int snic_vnic_set_rate(struct snic_vnic *vnic, u32 mbps);
int snic_check_rate(struct snic_vnic *vnic, struct net_device *who, u32 mbps);

/* snic_l2.c: receive mode, VLANs, MAC, per-VNIC device counters */
bool snic_l2_has(struct snic_dev *sdev, u32 cap);
void snic_l2_init(struct snic_vnic *vnic);
void snic_set_rx_mode(struct net_device *ndev);
int snic_vlan_add(struct net_device *ndev, __be16 proto, u16 vid);
int snic_vlan_kill(struct net_device *ndev, __be16 proto, u16 vid);
int snic_set_mac(struct net_device *ndev, void *p);
int snic_vnic_mac_fw(struct snic_vnic *vnic, const u8 *mac, bool operator);
void snic_l2_restore(struct snic_vnic *vnic);
const struct snic_vnic_stats *snic_vstats(struct snic_dev *sdev, u16 vnic);
void snic_l2_stats64(struct snic_vnic *vnic, struct rtnl_link_stats64 *s);

/* snic_vf.c: the PF-side knobs (VF N = the card's VNIC N) */
int snic_set_vf_rate(struct net_device *ndev, int vf, int min_mbps, int max_mbps);
int snic_set_vf_mac(struct net_device *ndev, int vf, u8 *mac);
int snic_set_vf_trust(struct net_device *ndev, int vf, bool on);
int snic_set_vf_spoofchk(struct net_device *ndev, int vf, bool on);
int snic_set_vf_vlan(struct net_device *ndev, int vf, u16 vlan, u8 qos, __be16 proto);
int snic_get_vf_config(struct net_device *ndev, int vf, struct ifla_vf_info *ivi);
int snic_vnic_policy_fw(struct snic_vnic *vnic, u16 policy);
int snic_vnic_port_vlan_fw(struct snic_vnic *vnic, u16 vlan, u8 qos);
int snic_vnic_share_min(struct snic_vnic *vnic, u64 min_bps);

/* snic_reset.c */
int snic_restore(struct snic_dev *sdev, const char *why);
int snic_ethtool_reset(struct net_device *ndev, u32 *flags);
void snic_vnics_remove(struct snic_dev *sdev);
void snic_vnics_carrier(struct snic_dev *sdev);

/* snic_ethtool.c */
extern const struct ethtool_ops snic_ethtool_ops;

/* snic_ntuple.c */
int snic_ntuple_init(struct snic_dev *sdev);
void snic_ntuple_restore(struct snic_dev *sdev);
int snic_get_rxnfc(struct net_device *ndev, struct ethtool_rxnfc *cmd, u32 *locs);
int snic_set_rxnfc(struct net_device *ndev, struct ethtool_rxnfc *cmd);
void snic_ntuple_del_vnic(struct snic_dev *sdev, u16 vnic);
unsigned int snic_ntuple_count(struct snic_dev *sdev, u16 vnic);
void snic_ntuple_follow_mac(struct snic_vnic *vnic);

/* snic_devlink.c */
int snic_devlink_register(struct snic_dev *sdev);
void snic_devlink_unregister(struct snic_dev *sdev);

/* snic_rss.c: RSS queue sets, ethtool -L/-x/-X/-n/-N rx-flow-hash */
bool snic_rss_has(struct snic_dev *sdev);
unsigned int snic_rss_max_queues(struct snic_dev *sdev);
int snic_rss_init(struct snic_dev *sdev);
void snic_rss_restore(struct snic_vnic *vnic);
u16 snic_rss_rx_ring(const struct snic_vnic *vnic, unsigned int q);
u16 snic_rss_tx_ring(const struct snic_vnic *vnic, unsigned int q);
void snic_rss_get_channels(struct net_device *ndev, struct ethtool_channels *ch);
int snic_rss_set_channels(struct net_device *ndev, struct ethtool_channels *ch);
u32 snic_rss_get_rxfh_indir_size(struct net_device *ndev);
u32 snic_rss_get_rxfh_key_size(struct net_device *ndev);
int snic_rss_get_rxfh(struct net_device *ndev, u32 *indir, u8 *key, u8 *hfunc);
int snic_rss_set_rxfh(struct net_device *ndev, const u32 *indir, const u8 *key, const u8 hfunc);
int snic_rss_get_flow_hash(struct snic_vnic *vnic, struct ethtool_rxnfc *cmd);
int snic_rss_set_flow_hash(struct snic_vnic *vnic, struct ethtool_rxnfc *cmd);
unsigned int snic_rss_n_stats(struct snic_vnic *vnic);
void snic_rss_strings(struct snic_vnic *vnic, u8 **data);
u64 *snic_rss_stats(struct snic_vnic *vnic, u64 *data);

/* snic_debugfs.c */
void snic_debugfs_init(struct snic_dev *sdev);
void snic_debugfs_exit(struct snic_dev *sdev);
void snic_debugfs_cleanup(void);

/* devlink (snic_devlink.c, snic_flash.c, snic_health.c) */
#include <net/devlink.h>

/* A VNIC's devlink port (flavour pci_vf, vf = its netdev index) with its
 * rate leaf. tx_share is the driver's copy for restores (bytes/s). */
struct snic_dl_port {
	struct devlink_port dl;
	struct snic_dev *sdev;
	unsigned int index;       /* netdev index: sdev->ndevs[index] */
	bool registered;
	bool rate_leaf;
	u64 tx_share;             /* bytes/s, 0: none asked for */
	u64 tx_max;               /* bytes/s, 0: none */
	u16 share_weight;         /* sent with tx_share, kept from the device */
	u8 share_prio;
};

struct snic_devlink {
	struct snic_dev *sdev;
	struct snic_dl_port *vports;          /* one per VNIC netdev */
	unsigned int n_vports;
	struct devlink_port uplinks[SNIC_MAX_UPLINKS];
	unsigned int n_uplinks;
	bool shutdown;            /* unregistering: reports are dropped */
	bool expect_reset;        /* our own reload: not a fault */

	struct devlink_health_reporter *fw_fatal, *tx_timeout, *admin_timeout;
	struct work_struct tx_work, admin_work;
	DECLARE_BITMAP(tx_pending, SNIC_MAX_VNICS_DRV);  /* VNIC ids timed out */
	u64 tx_timeouts;
	u16 admin_last_opcode;    /* last timed-out command */
	u32 admin_last_seq;
	unsigned long admin_last_jiffies;
	u64 fw_fatals;
	char fw_fatal_why[48];
	u64 fw_activations;
	u32 reboot_resets;        /* device reset_count when FW_REBOOT was asked */
};

static inline struct snic_devlink *snic_dl(struct snic_dev *sdev)
{
	return sdev->devlink ? devlink_priv(sdev->devlink) : NULL;
}

void snic_devlink_free(struct snic_dev *sdev);
void snic_devlink_restore(struct snic_dev *sdev);
void snic_tx_timeout(struct net_device *ndev, unsigned int txqueue);

/* snic_health.c */
void snic_health_init(struct snic_devlink *sd);
int snic_health_create(struct snic_dev *sdev);
void snic_health_destroy(struct snic_dev *sdev);
void snic_health_fw_fatal(struct snic_dev *sdev, const char *why);
void snic_health_fw_ok(struct snic_dev *sdev);
void snic_health_admin_timeout(struct snic_dev *sdev, u16 opcode);

/* snic_flash.c */
int snic_flash_update(struct devlink *dl, struct devlink_flash_update_params *params,
		      struct netlink_ext_ack *extack);
int snic_flash_query(struct snic_dev *sdev, struct snic_flash_info *info);
int snic_fw_activate_down(struct snic_dev *sdev, struct netlink_ext_ack *extack);
int snic_fw_activate_up(struct snic_dev *sdev, struct netlink_ext_ack *extack);
int snic_flash_info_put(struct snic_dev *sdev, struct devlink_info_req *req);

#endif
