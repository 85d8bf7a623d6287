/* SPDX-License-Identifier: MIT */
/*
 * The flashable firmware image: a 96-byte header followed by the payload
 * (the firmware's text, read-only data and initialised data, exactly as
 * they are loaded at `load_addr`). See docs/firmware-image.md.
 *
 * Everything is little-endian. The header carries its own CRC, so a
 * damaged size field is caught before it is believed; the payload CRC
 * then covers every loaded byte.
 *
 * Header-only and freestanding (stdint/stddef only) on purpose: the same
 * checks run in the host tools (snic-fwimg, snicctl flash), in the
 * firmware's flash commands and in the simulated boot loader, and none of
 * them needs an extra library to link.
 */
#ifndef SNIC_FWIMAGE_H
#define SNIC_FWIMAGE_H

#include "types.h"
#ifndef __KERNEL__
#include <stddef.h>
#endif

#define SNIC_FWIMG_MAGIC       0x57464e53u /* "SNFW" little-endian */
#define SNIC_FWIMG_HDR_VERSION 1
#define SNIC_FWIMG_HDR_SIZE    96u
/* Largest payload: a flash slot (256 KiB) less the header. The size
 * budget of the build (firmware/riscv.mk) is smaller, see the doc. */
#define SNIC_FWIMG_SLOT_SIZE   (256u * 1024u)
#define SNIC_FWIMG_MAX_PAYLOAD (SNIC_FWIMG_SLOT_SIZE - SNIC_FWIMG_HDR_SIZE)

struct snic_fwimg_hdr {
	snic_le32 magic;       /* SNIC_FWIMG_MAGIC */
	snic_le16 hdr_version; /* SNIC_FWIMG_HDR_VERSION */
	snic_le16 hdr_size;    /* SNIC_FWIMG_HDR_SIZE */
	snic_le16 abi_major;   /* window ABI the firmware implements */
	snic_le16 abi_minor;
	snic_le32 fw_version;  /* major << 16 | minor << 8 | patch */
	snic_le32 size;        /* payload bytes following the header */
	snic_le32 crc32;       /* CRC-32 (IEEE 802.3) of the payload */
	snic_le32 load_addr;   /* where the payload's first byte is loaded */
	snic_le32 entry;       /* start address, inside the text */
	snic_le32 text_size;   /* text + rodata: payload = text + data */
	snic_le32 data_size;   /* initialised data, right after the text */
	snic_le32 bss_size;    /* zeroed RAM the firmware needs after the data */
	snic_le32 flags;       /* 0: no flags defined yet */
	char     build[44];   /* NUL-terminated build identifier */
	snic_le32 hdr_crc;     /* CRC-32 of the 92 bytes before this field */
};
_Static_assert(sizeof(struct snic_fwimg_hdr) == SNIC_FWIMG_HDR_SIZE,
	       "struct snic_fwimg_hdr must be 96 bytes");

enum snic_fwimg_err {
	FWIMG_OK = 0,
	FWIMG_E_SHORT,       /* shorter than a header */
	FWIMG_E_MAGIC,       /* not a snic firmware image */
	FWIMG_E_HDR_VERSION, /* header format this reader does not know */
	FWIMG_E_HDR_CRC,     /* header damaged */
	FWIMG_E_ABI,         /* built for another window ABI major */
	FWIMG_E_LAYOUT,      /* sizes, entry point or flags inconsistent */
	FWIMG_E_TOO_BIG,     /* payload larger than a flash slot */
	FWIMG_E_TRUNCATED,   /* fewer payload bytes than the header says */
	FWIMG_E_TRAILING,    /* bytes after the payload */
	FWIMG_E_CRC,         /* payload damaged */
};

static inline const char *snic_fwimg_strerror(int err)
{
	switch (err) {
	case FWIMG_OK:            return "image is valid";
	case FWIMG_E_SHORT:       return "file is shorter than an image header";
	case FWIMG_E_MAGIC:       return "not a snic firmware image (bad magic)";
	case FWIMG_E_HDR_VERSION: return "unknown image header version";
	case FWIMG_E_HDR_CRC:     return "image header is corrupt (header CRC mismatch)";
	case FWIMG_E_ABI:         return "image was built for another ABI major version";
	case FWIMG_E_LAYOUT:      return "image header is inconsistent (sizes, entry or flags)";
	case FWIMG_E_TOO_BIG:     return "image payload is larger than a flash slot";
	case FWIMG_E_TRUNCATED:   return "image is truncated (payload shorter than the header says)";
	case FWIMG_E_TRAILING:    return "image has trailing bytes after the payload";
	case FWIMG_E_CRC:         return "image payload is corrupt (CRC mismatch)";
	default:                  return "unknown image error";
	}
}

/*
 * CRC-32 as in Ethernet/zlib (reflected polynomial 0xEDB88320, initial
 * value and final xor 0xffffffff). Start with crc = 0; feeding a buffer in
 * pieces gives the same result as feeding it whole. Four bits per step
 * with a 16-entry table: small enough for the firmware, fast enough for
 * a few hundred KiB.
 */
static inline uint32_t snic_crc32(uint32_t crc, const void *buf, size_t len)
{
	static const uint32_t nib[16] = {
		0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu,
		0x76dc4190u, 0x6b6b51f4u, 0x4db26158u, 0x5005713cu,
		0xedb88320u, 0xf00f9344u, 0xd6d6a3e8u, 0xcb61b38cu,
		0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u, 0xbdbdf21cu,
	};
	const uint8_t *p = buf;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ nib[crc & 15];
		crc = (crc >> 4) ^ nib[crc & 15];
	}
	return ~crc;
}

/* Little-endian field access, so the header can be read from any byte
 * buffer on any host without alignment or endianness assumptions. */
static inline uint32_t snic_fwimg_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint16_t snic_fwimg_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Decode the header at `p` (SNIC_FWIMG_HDR_SIZE bytes) into *h. */
static inline void snic_fwimg_decode(const uint8_t *p, struct snic_fwimg_hdr *h)
{
	h->magic = snic_fwimg_le32(p + 0);
	h->hdr_version = snic_fwimg_le16(p + 4);
	h->hdr_size = snic_fwimg_le16(p + 6);
	h->abi_major = snic_fwimg_le16(p + 8);
	h->abi_minor = snic_fwimg_le16(p + 10);
	h->fw_version = snic_fwimg_le32(p + 12);
	h->size = snic_fwimg_le32(p + 16);
	h->crc32 = snic_fwimg_le32(p + 20);
	h->load_addr = snic_fwimg_le32(p + 24);
	h->entry = snic_fwimg_le32(p + 28);
	h->text_size = snic_fwimg_le32(p + 32);
	h->data_size = snic_fwimg_le32(p + 36);
	h->bss_size = snic_fwimg_le32(p + 40);
	h->flags = snic_fwimg_le32(p + 44);
	for (unsigned i = 0; i < sizeof(h->build); i++)
		h->build[i] = (char)p[48 + i];
	h->hdr_crc = snic_fwimg_le32(p + 92);
}

/*
 * Check the header alone (the payload may not be at hand yet, e.g. while
 * it streams into flash). abi_major is the ABI the reader requires.
 */
static inline int snic_fwimg_check_hdr(const uint8_t *p, size_t len, uint16_t abi_major,
				       struct snic_fwimg_hdr *h)
{
	if (len < SNIC_FWIMG_HDR_SIZE)
		return FWIMG_E_SHORT;
	snic_fwimg_decode(p, h);
	if (h->magic != SNIC_FWIMG_MAGIC)
		return FWIMG_E_MAGIC;
	if (h->hdr_version != SNIC_FWIMG_HDR_VERSION || h->hdr_size != SNIC_FWIMG_HDR_SIZE)
		return FWIMG_E_HDR_VERSION;
	if (snic_crc32(0, p, SNIC_FWIMG_HDR_SIZE - 4) != h->hdr_crc)
		return FWIMG_E_HDR_CRC;
	if (h->abi_major != abi_major)
		return FWIMG_E_ABI;
	if (h->size > SNIC_FWIMG_MAX_PAYLOAD)
		return FWIMG_E_TOO_BIG;
	/* Each term is bounded by the check above, so the sums cannot wrap. */
	if (h->text_size > h->size || h->data_size != h->size - h->text_size ||
	    h->text_size == 0 || h->flags != 0 || h->build[sizeof(h->build) - 1] != 0 ||
	    h->entry < h->load_addr || h->entry - h->load_addr >= h->text_size ||
	    h->load_addr > 0xffffffffu - h->size ||
	    h->bss_size > 0xffffffffu - h->load_addr - h->size)
		return FWIMG_E_LAYOUT;
	return FWIMG_OK;
}

/* Check a whole image of `len` bytes at `p`; fills *h when the header is
 * readable. Returns FWIMG_OK or the first problem found. */
static inline int snic_fwimg_check(const uint8_t *p, size_t len, uint16_t abi_major,
				   struct snic_fwimg_hdr *h)
{
	int err = snic_fwimg_check_hdr(p, len, abi_major, h);
	if (err)
		return err;
	size_t have = len - SNIC_FWIMG_HDR_SIZE;
	if (have < h->size)
		return FWIMG_E_TRUNCATED;
	if (have > h->size)
		return FWIMG_E_TRAILING;
	if (snic_crc32(0, p + SNIC_FWIMG_HDR_SIZE, h->size) != h->crc32)
		return FWIMG_E_CRC;
	return FWIMG_OK;
}

#endif
