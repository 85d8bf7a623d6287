/* SPDX-License-Identifier: MIT */
/*
 * Admin queue: every control operation travels as a command on the
 * command ring and is answered by exactly one completion carrying the same
 * sequence number and a status code. A malformed command is answered with
 * an error status and changes nothing. Reserved fields must be zero.
 *
 * The host writes cmd[cmd_prod % entries] and then advances cmd_prod
 * (release). The device answers in order: it writes cpl[cpl_prod %
 * entries], then advances cpl_prod (release) and cmd_cons. The host reads
 * the completion after observing cpl_prod (acquire) and advances cpl_cons.
 * The device never lets cpl_prod run more than `entries` ahead of cpl_cons.
 */
#ifndef SNIC_ADMIN_H
#define SNIC_ADMIN_H

#include "types.h"
#include "cls.h"

#define SNIC_ADMIN_PAYLOAD 240

enum snic_opcode {
	SNIC_CMD_NOP          = 0x00,
	SNIC_CMD_QUERY_CAPS   = 0x01, /* -> snic_caps_info */
	SNIC_CMD_RESET        = 0x02, /* drop all VNICs, rules, meters, teams */
	SNIC_CMD_VNIC_CREATE  = 0x10, /* snic_vnic_create -> snic_vnic_info */
	SNIC_CMD_VNIC_DESTROY = 0x11, /* snic_vnic_ref */
	SNIC_CMD_VNIC_QUERY   = 0x12, /* snic_vnic_ref -> snic_vnic_info */
	SNIC_CMD_VNIC_SHARE   = 0x13, /* snic_vnic_share: bandwidth share on its uplink/bond */
	SNIC_CMD_VNIC_SHARE_QUERY = 0x14, /* snic_vnic_ref -> snic_vnic_share_info */
	SNIC_CMD_VNIC_RXMODE  = 0x15, /* snic_vnic_rxmode (l2.h): multicast list, modes */
	SNIC_CMD_VNIC_VLANS   = 0x16, /* snic_vnic_vlans (l2.h): VLAN membership */
	SNIC_CMD_VNIC_MAC     = 0x17, /* snic_vnic_mac (l2.h): change its MAC */
	SNIC_CMD_VNIC_POLICY  = 0x18, /* snic_vnic_policy (l2.h): trust, MAC lock */
	SNIC_CMD_VNIC_L2_QUERY = 0x19, /* snic_vnic_ref -> snic_vnic_l2 */
	SNIC_CMD_RSS_SET      = 0x1a, /* snic_rss_set (rss.h): hash key, types */
	SNIC_CMD_RSS_QUERY    = 0x1b, /* snic_vnic_ref -> snic_rss_info (rss.h) */
	SNIC_CMD_RSS_QUEUES   = 0x1c, /* snic_rss_queues -> snic_rss_queues_info */
	SNIC_CMD_VNIC_PORT_VLAN = 0x1d, /* snic_vnic_port_vlan (l2.h): operator port VLAN */
	SNIC_CMD_RULE_ADD     = 0x20, /* snic_rule_add -> snic_rule_ref */
	SNIC_CMD_RULE_DEL     = 0x21, /* snic_rule_ref */
	SNIC_CMD_RULE_QUERY   = 0x22, /* snic_rule_ref -> snic_rule_info */
	SNIC_CMD_RING_BIND    = 0x30, /* snic_ring_bind */
	SNIC_CMD_METER_SET    = 0x40, /* snic_meter_set */
	SNIC_CMD_TEAM_SET     = 0x50, /* snic_team_set (team.h) */
	SNIC_CMD_PORT_SET     = 0x60, /* snic_port_set */
	SNIC_CMD_FLASH_QUERY  = 0x70, /* -> snic_flash_info */
	SNIC_CMD_FLASH_BEGIN  = 0x71, /* snic_flash_begin -> snic_flash_slot */
	SNIC_CMD_FLASH_WRITE  = 0x72, /* snic_flash_write */
	SNIC_CMD_FLASH_COMMIT = 0x73, /* snic_flash_commit -> snic_flash_slot */
	SNIC_CMD_FW_REBOOT    = 0x74, /* reboot (into a committed image, if any) */
};

enum snic_status {
	SNIC_OK            = 0,
	SNIC_E_INVAL       = 1,  /* malformed payload, reserved bits set */
	SNIC_E_OPCODE      = 2,  /* unknown opcode */
	SNIC_E_NOSPC       = 3,  /* table or ring pool full */
	SNIC_E_NOENT       = 4,  /* no such VNIC/rule/ring/meter */
	SNIC_E_EXIST       = 5,  /* already exists (MAC, rule slot) */
	SNIC_E_BUSY        = 6,  /* in use (e.g. uplink of a live VNIC) */
	SNIC_E_RANGE       = 7,  /* value out of the supported range */
	SNIC_E_UNSUPP      = 8,  /* the profile cannot do it (key field, mode) */
	SNIC_E_LEN         = 9,  /* payload length wrong for the opcode */
	SNIC_E_IMAGE       = 10, /* firmware image failed verification */
	SNIC_E_PERM        = 11, /* the operator's policy forbids it (l2.h) */
};

/* Names for logs and tools, shared by every host driver (defined once). */
static inline const char *snic_opcode_name(unsigned int opcode)
{
	switch (opcode) {
	case SNIC_CMD_NOP:          return "NOP";
	case SNIC_CMD_QUERY_CAPS:   return "QUERY_CAPS";
	case SNIC_CMD_RESET:        return "RESET";
	case SNIC_CMD_VNIC_CREATE:  return "VNIC_CREATE";
	case SNIC_CMD_VNIC_DESTROY: return "VNIC_DESTROY";
	case SNIC_CMD_VNIC_QUERY:   return "VNIC_QUERY";
	case SNIC_CMD_VNIC_SHARE:   return "VNIC_SHARE";
	case SNIC_CMD_VNIC_SHARE_QUERY: return "VNIC_SHARE_QUERY";
	case SNIC_CMD_VNIC_RXMODE:  return "VNIC_RXMODE";
	case SNIC_CMD_VNIC_VLANS:   return "VNIC_VLANS";
	case SNIC_CMD_VNIC_MAC:     return "VNIC_MAC";
	case SNIC_CMD_VNIC_POLICY:  return "VNIC_POLICY";
	case SNIC_CMD_VNIC_L2_QUERY: return "VNIC_L2_QUERY";
	case SNIC_CMD_RSS_SET:      return "RSS_SET";
	case SNIC_CMD_RSS_QUERY:    return "RSS_QUERY";
	case SNIC_CMD_RSS_QUEUES:   return "RSS_QUEUES";
	case SNIC_CMD_VNIC_PORT_VLAN: return "VNIC_PORT_VLAN";
	case SNIC_CMD_RULE_ADD:     return "RULE_ADD";
	case SNIC_CMD_RULE_DEL:     return "RULE_DEL";
	case SNIC_CMD_RULE_QUERY:   return "RULE_QUERY";
	case SNIC_CMD_RING_BIND:    return "RING_BIND";
	case SNIC_CMD_METER_SET:    return "METER_SET";
	case SNIC_CMD_TEAM_SET:     return "TEAM_SET";
	case SNIC_CMD_PORT_SET:     return "PORT_SET";
	case SNIC_CMD_FLASH_QUERY:  return "FLASH_QUERY";
	case SNIC_CMD_FLASH_BEGIN:  return "FLASH_BEGIN";
	case SNIC_CMD_FLASH_WRITE:  return "FLASH_WRITE";
	case SNIC_CMD_FLASH_COMMIT: return "FLASH_COMMIT";
	case SNIC_CMD_FW_REBOOT:    return "FW_REBOOT";
	}
	return "UNKNOWN_OPCODE";
}

/* "SNIC_E_NOSPC" */
static inline const char *snic_status_name(unsigned int status)
{
	static const char *const names[] = {
		"SNIC_OK", "SNIC_E_INVAL", "SNIC_E_OPCODE", "SNIC_E_NOSPC",
		"SNIC_E_NOENT", "SNIC_E_EXIST", "SNIC_E_BUSY", "SNIC_E_RANGE",
		"SNIC_E_UNSUPP", "SNIC_E_LEN", "SNIC_E_IMAGE", "SNIC_E_PERM",
	};
	return status < sizeof(names) / sizeof(names[0]) ? names[status] : "SNIC_E_?";
}

/* "table full" */
static inline const char *snic_status_text(unsigned int status)
{
	static const char *const text[] = {
		"success", "invalid argument", "unknown command", "table full",
		"no such entry", "already exists", "in use", "value out of range",
		"not supported by this device", "wrong payload length",
		"firmware image failed verification", "not permitted by the operator's policy",
	};
	return status < sizeof(text) / sizeof(text[0]) ? text[status] : "unknown status";
}

struct snic_admin_cmd {
	snic_le16 opcode;   /* enum snic_opcode */
	snic_le16 rsvd0;
	snic_le32 seq;      /* echoed in the completion */
	snic_le32 len;      /* payload bytes used */
	snic_le32 rsvd1;
	uint8_t   payload[SNIC_ADMIN_PAYLOAD];
};
SNIC_ASSERT_SIZE(struct snic_admin_cmd, 256);

struct snic_admin_cpl {
	snic_le16 opcode;   /* echoed */
	snic_le16 status;   /* enum snic_status */
	snic_le32 seq;      /* echoed */
	snic_le32 len;      /* payload bytes returned */
	snic_le32 rsvd1;
	uint8_t   payload[SNIC_ADMIN_PAYLOAD];
};
SNIC_ASSERT_SIZE(struct snic_admin_cpl, 256);

/*
 * Admin queue lock (an addition to ABI 1.0). The queue has one producer
 * at a time, but several agents may share a window: the host library
 * (snicctl, any process mapping the window file) and a kernel driver
 * behind a VM's ivshmem BAR. Before touching cmd_prod/cpl_cons an agent
 * takes `lock` with an atomic compare-and-swap from SNIC_ADMIN_LOCK_FREE
 * to its tag, SNIC_ADMIN_LOCK_TAG(agent class, device time), and puts it
 * back to FREE, again by compare-and-swap, once its command is answered
 * or abandoned. The device time is DEVID dev_time_ns in ms (the one clock
 * every agent reads alike); the tag keeps its low 24 bits. A holder gives
 * the lock back within half of SNIC_ADMIN_LOCK_LEASE_MS on its own clock.
 * A waiter that has seen the same tag for a twentieth of the lease on its
 * own clock, and whose device-time age is a whole lease or more, treats
 * the holder as dead and takes the lock over by compare-and-swap from that
 * tag. Every holder starts from cmd_prod/cpl_cons as it finds them in the
 * window and skips completions whose seq is not its own (answers to
 * commands an earlier holder gave up on).
 */
#define SNIC_ADMIN_LOCK_FREE        0u
#define SNIC_ADMIN_LOCK_AGENT_SHIFT 24
#define SNIC_ADMIN_LOCK_HOST        (1u << SNIC_ADMIN_LOCK_AGENT_SHIFT) /* libsnic */
#define SNIC_ADMIN_LOCK_KERNEL      (2u << SNIC_ADMIN_LOCK_AGENT_SHIFT) /* a kernel driver */
#define SNIC_ADMIN_LOCK_MS_MASK     0x00ffffffu
#define SNIC_ADMIN_LOCK_TAG(agent, device_ms) \
	((agent) | ((uint32_t)(device_ms) & SNIC_ADMIN_LOCK_MS_MASK))
#define SNIC_ADMIN_LOCK_LEASE_MS    20000u

/* Device-time age of a lock tag in ms, modulo 2^24 (a device clock that
 * went backwards, a reboot, makes holders look old: their commands are
 * gone with the reboot anyway). */
static inline uint32_t snic_admin_lock_age(uint32_t tag, uint64_t device_ms)
{
	return ((uint32_t)device_ms - tag) & SNIC_ADMIN_LOCK_MS_MASK;
}

/* Admin block (SNIC_BLK_ADMIN). */
struct snic_blk_admin {
	struct snic_block_hdr hdr;
	snic_le32 entries;  /* ring entries, power of two */
	snic_le32 cmd_off;  /* window offset of snic_admin_cmd[entries] */
	snic_le32 cpl_off;  /* window offset of snic_admin_cpl[entries] */
	snic_le32 rsvd0[9];
	/* host-written line */
	snic_le32 cmd_prod;
	snic_le32 cpl_cons;
	snic_le32 lock;     /* SNIC_ADMIN_LOCK_*: which host agent owns the queue
			    * (the device ignores it) */
	snic_le32 rsvd1[13];
	/* device-written line */
	snic_le32 cmd_cons;
	snic_le32 cpl_prod;
	snic_le32 rsvd2[14];
};
SNIC_ASSERT_SIZE(struct snic_blk_admin, 192);

/* ---- payloads ---- */

struct snic_caps_info {            /* QUERY_CAPS reply */
	snic_le32 records;   /* window offset of the records */
	snic_le32 length;    /* bytes */
	snic_le32 generation;
	snic_le32 rsvd;
};
SNIC_ASSERT_SIZE(struct snic_caps_info, 16);

#define SNIC_ID_ANY      0xffffu  /* let the device choose */
#define SNIC_VLAN_NONE   0xffffu

/* snic_vnic_create.flags */
#define SNIC_VNICF_SW_ONLY 0x0001 /* do not take a dedicated HRR */

struct snic_vnic_create {
	snic_le16 vnic;      /* wanted id or SNIC_ID_ANY */
	snic_le16 vlan;      /* VLAN id 0-4094 or SNIC_VLAN_NONE */
	uint8_t   mac[6];    /* unicast MAC, unique per uplink domain and
			     * port VLAN (l2.h, "Shared MACs") */
	snic_le16 flags;     /* SNIC_VNICF_* */
	uint8_t   uplink;    /* uplink or bond the VNIC sends on */
	uint8_t   n_ip;      /* IPv4 addresses used (0..4) */
	snic_le16 rsvd;
	uint8_t   ip[4][4];  /* IPv4 addresses (network order) */
};
SNIC_ASSERT_SIZE(struct snic_vnic_create, 32);

struct snic_vnic_ref {
	snic_le16 vnic;
	snic_le16 rsvd;
};
SNIC_ASSERT_SIZE(struct snic_vnic_ref, 4);

struct snic_vnic_info {
	snic_le16 vnic;
	snic_le16 rx_ring;   /* HRR delivering this VNIC's traffic */
	snic_le16 tx_ring;   /* TRR the VNIC sends on */
	snic_le16 ring_state;/* SNIC_RING_BOUND, or SNIC_RING_SHARED (software ring) */
	snic_le16 vlan;
	uint8_t   mac[6];
	snic_le16 mac_rule;  /* classifier entry steering its MAC */
	snic_le16 rsvd;
};
SNIC_ASSERT_SIZE(struct snic_vnic_info, 20);

#define SNIC_LOC_ANY 0xffffffffu   /* device picks the slot (first free by priority) */

struct snic_rule_add {
	snic_le32 loc;       /* ternary index, or SNIC_LOC_ANY */
	snic_le32 rsvd;
	struct snic_rule rule;
};
SNIC_ASSERT_SIZE(struct snic_rule_add, 144);

struct snic_rule_ref {
	snic_le32 loc;
};
SNIC_ASSERT_SIZE(struct snic_rule_ref, 4);

struct snic_rule_info {
	snic_le32 loc;
	snic_le32 rsvd;
	snic_le64 hits;      /* per-entry hit counter */
	struct snic_rule rule;
};
SNIC_ASSERT_SIZE(struct snic_rule_info, 152);

struct snic_ring_bind {
	snic_le16 ring;      /* HRR */
	snic_le16 vnic;      /* VNIC, or SNIC_VNIC_NONE to unbind */
};
SNIC_ASSERT_SIZE(struct snic_ring_bind, 4);

/* Meter modes (meters arrive with the rate-limiting issue). */
#define SNIC_METER_SRTCM 1
#define SNIC_METER_TRTCM 2
#define SNIC_METER_SHAPER 3

/*
 * SRTCM/TRTCM: `meter` is a policer id (0..count-1 of the METERS
 * capability) that rules name with SNIC_ACT_METER. SHAPER: `meter` is a
 * VNIC id; cir = average rate, eir = peak rate (0: none), cbs = burst,
 * ebs = peak burst; cir 0 removes the VNIC's shaper. See docs/firmware.md.
 */
/* snic_meter_set.flags */
#define SNIC_METERF_WIRE    0x01 /* count wire bytes (pad to 60, +FCS, preamble, IFG) */
#define SNIC_METERF_MARK    0x02 /* policer: deliver red frames marked, do not drop */
#define SNIC_METERF_RFC4115 0x04 /* trTCM: eir is an excess rate (RFC 4115), not a
				  * peak rate (RFC 2698) */

struct snic_meter_set {
	snic_le16 meter;
	uint8_t   mode;      /* SNIC_METER_* */
	uint8_t   flags;
	snic_le32 rsvd;
	snic_le64 cir_bps;   /* committed rate, bit/s */
	snic_le64 eir_bps;   /* excess/peak rate, bit/s */
	snic_le32 cbs;       /* committed burst, bytes */
	snic_le32 ebs;       /* excess/peak burst, bytes */
};
SNIC_ASSERT_SIZE(struct snic_meter_set, 32);

/*
 * Bandwidth shares (docs/rate-limiting.md). The VNICs sending on one
 * uplink or one bond split its capacity (the members in use, so after a
 * failover the survivors only): by priority first (higher first), each
 * VNIC's guaranteed minimum while it wants that much, the rest in
 * proportion to the weights among the VNICs that want more, an idle or
 * light VNIC counting only for what it uses. The device re-measures every
 * VNIC's use and re-splits every SNIC_SHARE_TICK_US, and at once when the
 * capacity changes; the result limits each VNIC's transmit rate (frames
 * wait, they are not dropped), together with its shaper if it has one.
 *
 * An uplink or bond on which no VNIC has a share is not split at all. Once
 * one has, the others on it count with SNIC_SHARE_DEFAULT_WEIGHT, no
 * minimum, priority 0. weight 0 with a minimum: the minimum only (a cap).
 * weight, min_bps and prio all 0 removes the VNIC's share.
 */
#define SNIC_SHARE_TICK_US        1000
#define SNIC_SHARE_DEFAULT_WEIGHT 1000
#define SNIC_SHARE_PRIO_MAX       7

struct snic_vnic_share {
	snic_le16 vnic;
	snic_le16 weight;    /* 0..65535 */
	uint8_t   prio;      /* 0..SNIC_SHARE_PRIO_MAX */
	uint8_t   rsvd0;
	snic_le16 rsvd1;
	snic_le64 min_bps;   /* guaranteed rate: 0, or within the METERS range */
};
SNIC_ASSERT_SIZE(struct snic_vnic_share, 16);

/* snic_vnic_share_info.flags */
#define SNIC_SHAREF_SET     0x01 /* the VNIC has a share of its own */
#define SNIC_SHAREF_ACTIVE  0x02 /* its uplink/bond is being split */
#define SNIC_SHAREF_BACKLOG 0x04 /* it had frames held by its share in the
				  * last interval (its demand: everything) */

struct snic_vnic_share_info {
	snic_le16 vnic;
	snic_le16 weight;       /* in effect (the default when not SET) */
	uint8_t   prio;
	uint8_t   flags;        /* SNIC_SHAREF_* */
	uint8_t   uplink;       /* the VNIC's uplink field (uplink or BOND|b) */
	uint8_t   rsvd0;
	snic_le64 min_bps;
	snic_le64 capacity_bps; /* of its uplink/bond, as last split */
	snic_le64 used_bps;     /* measured over the last interval */
	snic_le64 demand_bps;   /* what the split assumed it wants */
	snic_le64 alloc_bps;    /* its part of the split */
	snic_le64 rate_bps;     /* transmit limit in force (0: none) */
	snic_le32 splits;       /* times its uplink/bond was split so far */
	snic_le32 rsvd1;
};
SNIC_ASSERT_SIZE(struct snic_vnic_share_info, 64);

/* TEAM_SET: struct snic_team_set and the rest of teaming live in team.h. */

struct snic_port_set {
	uint8_t   port;      /* uplink */
	uint8_t   admin_up;  /* 1 up, 0 down */
	snic_le16 rsvd;
};
SNIC_ASSERT_SIZE(struct snic_port_set, 4);

/*
 * Firmware update (docs/firmware-image.md). The device has a flash with
 * two image slots. FLASH_BEGIN opens a session on the slot the device is
 * not running from (erasing it); FLASH_WRITE chunks must arrive in order,
 * each at the offset where the previous one ended; FLASH_COMMIT checks the
 * whole image as written (size, CRC of the file, image header, payload CRC,
 * ABI) and marks the slot for a trial boot. FW_REBOOT restarts the device
 * once the host has consumed its completion: the boot loader tries the
 * trial slot once and rolls back to the previous slot if it does not boot.
 * Any error ends the session and leaves the running and active slots alone.
 */
#define SNIC_FLASH_CHUNK     224u
#define SNIC_FLASH_SLOT_NONE 0xffffffffu

struct snic_flash_begin {
	snic_le32 size;      /* bytes of the whole image file */
	snic_le32 crc32;     /* CRC-32 of the whole image file */
	snic_le32 rsvd[2];
};
SNIC_ASSERT_SIZE(struct snic_flash_begin, 16);

struct snic_flash_slot {   /* BEGIN and COMMIT reply */
	snic_le32 slot;
	snic_le32 chunk_max; /* SNIC_FLASH_CHUNK */
	snic_le32 rsvd[2];
};
SNIC_ASSERT_SIZE(struct snic_flash_slot, 16);

struct snic_flash_write {
	snic_le32 offset;    /* must equal the bytes written so far */
	snic_le32 len;       /* 1..SNIC_FLASH_CHUNK */
	snic_le32 rsvd[2];
	uint8_t   data[SNIC_FLASH_CHUNK]; /* bytes past len must be zero */
};
SNIC_ASSERT_SIZE(struct snic_flash_write, SNIC_ADMIN_PAYLOAD);

struct snic_flash_commit {
	snic_le32 size;      /* as in FLASH_BEGIN */
	snic_le32 crc32;
	snic_le32 rsvd[2];
};
SNIC_ASSERT_SIZE(struct snic_flash_commit, 16);

/* snic_flash_slot_info.state */
#define SNIC_SLOT_EMPTY   0 /* erased */
#define SNIC_SLOT_VALID   1 /* a complete image that passes every check */
#define SNIC_SLOT_INVALID 2 /* something else (partial, corrupt, foreign ABI) */

struct snic_flash_slot_info {
	snic_le32 state;      /* SNIC_SLOT_* */
	snic_le32 fw_version; /* from the image header (0 unless VALID) */
	snic_le32 size;       /* image bytes including the header */
	snic_le32 crc32;      /* payload CRC-32 from the header */
	snic_le16 abi_major, abi_minor;
	char     build[16];  /* NUL-terminated, may be cut short */
};
SNIC_ASSERT_SIZE(struct snic_flash_slot_info, 36);

/* snic_flash_info.last_event */
#define SNIC_FLASH_EV_NONE     0
#define SNIC_FLASH_EV_UPDATED  1 /* the last boot confirmed a new image */
#define SNIC_FLASH_EV_ROLLBACK 2 /* the trial image failed; back on the old one */

struct snic_flash_info {   /* FLASH_QUERY reply */
	snic_le32 n_slots;
	snic_le32 slot_size;  /* largest image, bytes */
	snic_le32 running;    /* slot booted, SNIC_FLASH_SLOT_NONE: built-in firmware */
	snic_le32 active;     /* slot booted by default */
	snic_le32 trial;      /* slot to try on the next boot, or NONE */
	snic_le32 boot_count; /* boots since the flash was formatted */
	snic_le32 last_event; /* SNIC_FLASH_EV_* of the last boot */
	snic_le32 event_slot; /* the slot that event concerned */
	struct snic_flash_slot_info slot[2];
};
SNIC_ASSERT_SIZE(struct snic_flash_info, 104);

#endif
