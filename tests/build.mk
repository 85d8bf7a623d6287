# tests/: end-to-end tools and scripts (unit and HDL tests are registered by
# the component they test).
E2E_TOOLS := $(BUILD)/bin/gen_trace $(BUILD)/bin/pcap_oracle

$(BUILD)/bin/gen_trace: tests/e2e/gen_trace.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< -lpcap

$(BUILD)/bin/pcap_oracle: tests/e2e/pcap_oracle.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< -lpcap

ALL   += $(E2E_TOOLS)
TESTS += tests/e2e/test_pcap_path.sh tests/e2e/test_profiles.sh
# VNIC (MAC, VLAN) steering via the exact-match table vs. ternary, per card.
TESTS += tests/e2e/test_exact_steer.sh
# Group delivery (l2.h) through snic-sim: snicctl multicast lists, broadcast
# and multicast copies per VNIC (dedicated and shared ring), stats --vnic.
TESTS += tests/e2e/test_l2_group.sh
# Rules mean what they say on real frames (IPv4 vs IPv6, cut headers,
# fragments, ethtool syntax) and oversize frames are counted.
TESTS += tests/e2e/test_rule_semantics.sh
# Rules on fields the card lacks: held by the host software classifier.
TESTS += tests/e2e/test_rule_fallback.sh
# Every snicctl --json output follows its schema in docs/json/ (docs/json.md).
TESTS += tests/e2e/test_json_schema.sh
# Fault campaigns (tests/e2e/fault_campaign.sh): a bounded pass here;
# make fault-campaign (fuzz/build.mk) runs them all, longer.
TESTS += tests/e2e/test_fault_campaign.sh

# The isolation property over millions of frames (make fuzz-isolation).
include tests/unit/isolation.mk
