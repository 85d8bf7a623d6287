/* SPDX-License-Identifier: MIT */
/*
 * Print the SystemVerilog view of include/snic/cls.h: key field offsets,
 * key flag bits and the action layout, as localparams. The HDL includes
 * the output ($(BUILD)/gen/snic_abi.svh) inside each module body, so the
 * key layout is defined once, in the C header.
 */
#include <stddef.h>
#include <stdio.h>
#include <snic/cls.h>
#include <snic/rss.h>
#include "classifier.h"
#include "exact.h"

static void param(const char *name, unsigned long v, const char *why)
{
	printf("localparam int %s = %lu; // %s\n", name, v, why);
}

static void bits8(const char *name, unsigned v)
{
	printf("localparam logic [7:0] %s = 8'h%02x;\n", name, v);
}

#define OFF(type, field, name) \
	param(name, (unsigned long)offsetof(type, field), "byte offset of " #type "." #field)

int main(void)
{
	struct snic_action miss = {
		.vnic = SNIC_VNIC_NONE, .ring = SNIC_RING_DEFAULT,
		.meter = SNIC_METER_NONE, .flags = 0, .gen = 0,
	};
	const unsigned char *mb = (const unsigned char *)&miss;

	printf("// Generated from include/snic/cls.h by tools/gen_svh.c: do not edit.\n");
	printf("// Included inside module bodies; not every module uses every name.\n");
	printf("/* verilator lint_off UNUSEDPARAM */\n");
	param("SNIC_PARSE_BYTES", SNIC_PARSE_BYTES, "header bytes the parser sees");
	param("SNIC_IPV6_MAX_EXT", SNIC_IPV6_MAX_EXT, "IPv6 extension headers walked");
	param("SNIC_KEY_BYTES", SNIC_KEY_BYTES, "key bytes; byte i = key[8*i+7:8*i]");
	param("SNIC_KEY_BITS", SNIC_KEY_BYTES * 8, "key vector width");
	OFF(struct snic_key, flags, "SNIC_KEY_OFF_FLAGS");
	OFF(struct snic_key, port, "SNIC_KEY_OFF_PORT");
	OFF(struct snic_key, dmac, "SNIC_KEY_OFF_DMAC");
	OFF(struct snic_key, smac, "SNIC_KEY_OFF_SMAC");
	OFF(struct snic_key, vlan_outer, "SNIC_KEY_OFF_VLAN_OUTER");
	OFF(struct snic_key, vlan, "SNIC_KEY_OFF_VLAN");
	OFF(struct snic_key, ethertype, "SNIC_KEY_OFF_ETHERTYPE");
	OFF(struct snic_key, ip_proto, "SNIC_KEY_OFF_IP_PROTO");
	OFF(struct snic_key, icmp_type, "SNIC_KEY_OFF_ICMP_TYPE");
	OFF(struct snic_key, ip_tos, "SNIC_KEY_OFF_IP_TOS");
	OFF(struct snic_key, sip, "SNIC_KEY_OFF_SIP");
	OFF(struct snic_key, dip, "SNIC_KEY_OFF_DIP");
	OFF(struct snic_key, sport, "SNIC_KEY_OFF_SPORT");
	OFF(struct snic_key, dport, "SNIC_KEY_OFF_DPORT");

	/* Key fields (SNIC_FIELD_*) and the field of each key byte, byte i at
	 * bits [16*i+15:16*i]: a profile's table stores the bytes of its fields. */
	printf("localparam logic [15:0] SNIC_FIELD_ALL = 16'h%04x;\n", SNIC_FIELD_ALL);
	printf("localparam logic [%d:0] SNIC_KEY_BYTE_FIELD = %d'h", 16 * SNIC_KEY_BYTES - 1,
	       16 * SNIC_KEY_BYTES);
	for (int i = SNIC_KEY_BYTES - 1; i >= 0; i--)
		printf("%04x", (unsigned)snic_key_byte_field((unsigned)i));
	printf(";\n");

	bits8("SNIC_KF_VLAN", SNIC_KF_VLAN);
	bits8("SNIC_KF_QINQ", SNIC_KF_QINQ);
	bits8("SNIC_KF_IPV4", SNIC_KF_IPV4);
	bits8("SNIC_KF_IPV6", SNIC_KF_IPV6);
	bits8("SNIC_KF_L4", SNIC_KF_L4);
	bits8("SNIC_KF_FRAG", SNIC_KF_FRAG);
	bits8("SNIC_KF_ARP", SNIC_KF_ARP);
	bits8("SNIC_KF_ERR", SNIC_KF_ERR);

	param("SNIC_ACT_BYTES", sizeof(struct snic_action), "action bytes, little-endian fields");
	param("SNIC_ACT_BITS", sizeof(struct snic_action) * 8, "action vector width");
	OFF(struct snic_action, vnic, "SNIC_ACT_OFF_VNIC");
	OFF(struct snic_action, ring, "SNIC_ACT_OFF_RING");
	OFF(struct snic_action, meter, "SNIC_ACT_OFF_METER");
	OFF(struct snic_action, flags, "SNIC_ACT_OFF_FLAGS");
	bits8("SNIC_ACT_DROP", SNIC_ACT_DROP);
	bits8("SNIC_ACT_COUNT", SNIC_ACT_COUNT);
	bits8("SNIC_ACT_MARK_SW", SNIC_ACT_MARK_SW);
	bits8("SNIC_ACT_METER", SNIC_ACT_METER);

	/* The miss action as the byte image the HDL drives on a miss. */
	printf("localparam logic [%zu:0] SNIC_ACT_MISS = %zu'h", sizeof(miss) * 8 - 1,
	       sizeof(miss) * 8);
	for (size_t i = sizeof(miss); i-- > 0;)
		printf("%02x", mb[i]);
	printf(";\n");
	printf("localparam logic [15:0] SNIC_RULE_MISS = 16'h%04x;\n", SNIC_RULE_MISS);

	/* Exact-match table: hash matrices, row i at bits [64*i+63:64*i]. */
	param("SNIC_EXACT_SLOTS", SNIC_EXACT_SLOTS, "slots per bucket");
	param("SNIC_EXACT_HASH_BITS", SNIC_EXACT_HASH_BITS, "hash rows per way");
	param("SNIC_EXACT_TAGGED_BIT", SNIC_EXACT_TAGGED_BIT, "exact key bit set for tagged frames");
	printf("localparam logic [15:0] SNIC_RULE_EXACT = 16'h%04x;\n", SNIC_RULE_EXACT);
	for (int w = 0; w < SNIC_EXACT_WAYS; w++) {
		printf("localparam logic [%d:0] SNIC_EXACT_H3_W%d = %d'h", 64 * SNIC_EXACT_HASH_BITS - 1,
		       w, 64 * SNIC_EXACT_HASH_BITS);
		for (int i = SNIC_EXACT_HASH_BITS - 1; i >= 0; i--)
			printf("%016llx", (unsigned long long)snic_exact_h3[w][i]);
		printf(";\n");
	}

	/* RSS (rss.h): key length and hash type bits. */
	param("SNIC_RSS_KEY_BYTES", SNIC_RSS_KEY_BYTES, "Toeplitz key bytes");
	bits8("SNIC_RSS_HT_IPV4", SNIC_RSS_HT_IPV4);
	bits8("SNIC_RSS_HT_TCP_IPV4", SNIC_RSS_HT_TCP_IPV4);
	bits8("SNIC_RSS_HT_UDP_IPV4", SNIC_RSS_HT_UDP_IPV4);
	bits8("SNIC_RSS_HT_IPV6", SNIC_RSS_HT_IPV6);
	bits8("SNIC_RSS_HT_TCP_IPV6", SNIC_RSS_HT_TCP_IPV6);
	bits8("SNIC_RSS_HT_UDP_IPV6", SNIC_RSS_HT_UDP_IPV6);
	bits8("SNIC_RSS_HT_ALL", SNIC_RSS_HT_ALL);
	bits8("SNIC_RSS_HT_L4", SNIC_RSS_HT_L4);
	printf("/* verilator lint_on UNUSEDPARAM */\n");
	return 0;
}
