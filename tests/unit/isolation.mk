# The isolation property test (issue #15, docs/firmware.md "Isolation
# property"): tests/unit/test_fw_isolation.c with its oracle, generator,
# rig and configurations (tests/unit/isolation_*.c). firmware/build.mk's
# test_fw_* wildcard builds and registers the program like every firmware
# unit test; this file adds its objects, the same rule should that
# wildcard stop covering it, and the long run.
ISO_TEST := $(BUILD)/fw/unit/test_fw_isolation
ISO_OBJS := $(patsubst tests/unit/%.c,$(BUILD)/fw/unit/%.o,$(wildcard tests/unit/isolation_*.c))

$(ISO_TEST): $(ISO_OBJS)
ifeq ($(filter $(ISO_TEST),$(FW_TESTS)),)
$(ISO_TEST): $(BUILD)/fw/unit/test_fw_isolation.o $(FW_TEST_COMMON) $(FW_LIB) $(CLASSIFIER_LIB)
	$(CC) -o $@ $^ -lcmocka -lm
TESTS += $(ISO_TEST)
endif

# make fuzz-isolation: the property alone over 10 million frames
# (SNIC_ISO_FRAMES, SNIC_ISO_SEED, SNIC_ISO_RACES override); prints the
# summary line (frames, drops, violations) and the first violation.
ISO_FUZZ_FRAMES ?= 10000000
.PHONY: fuzz-isolation
fuzz-isolation: $(ISO_TEST)
	@mkdir -p $(BUILD)/test-logs
	@SNIC_ISO_FRAMES=$${SNIC_ISO_FRAMES:-$(ISO_FUZZ_FRAMES)} SNIC_ISO_ONLY=test_isolation_property \
		CMOCKA_MESSAGE_OUTPUT=TAP \
		$(ISO_TEST) >$(BUILD)/test-logs/fuzz-isolation.log 2>&1; rc=$$?; \
	grep -E '^# (isolation property|ISOLATION|replay|configuration|  |frame)|^not ok' \
		$(BUILD)/test-logs/fuzz-isolation.log; \
	if [ $$rc -eq 0 ]; then echo "fuzz-isolation: passed, 0 violations"; \
	else echo "fuzz-isolation: FAILED (log: $(BUILD)/test-logs/fuzz-isolation.log)"; fi; \
	exit $$rc
