# Firmware: freestanding core (firmware/core) -> $(BUILD)/fw/libfw.a,
# linked by the simulator (sim/hal_sim.c) and by the unit tests (with the
# recording fake HAL, tests/unit/hal_fake.c).

FW_SRCS := $(wildcard firmware/core/*.c)
FW_OBJS := $(patsubst firmware/core/%.c,$(BUILD)/fw/%.o,$(FW_SRCS))
FW_LIB  := $(BUILD)/fw/libfw.a
# Keep gcc from turning the byte loops of mem.c back into libc calls.
FW_EXTRA := -fno-tree-loop-distribute-patterns

$(BUILD)/fw/%.o: firmware/core/%.c
	@mkdir -p $(dir $@)
	$(CC) $(FWFLAGS) $(FW_EXTRA) -c $< -o $@

$(FW_LIB): $(FW_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

ALL += $(FW_LIB)

# Unit tests: one executable per tests/unit/test_fw_*.c.
FW_TEST_SRCS := $(filter-out tests/unit/test_fw_util.c,$(wildcard tests/unit/test_fw_*.c))
FW_TESTS     := $(patsubst tests/unit/%.c,$(BUILD)/fw/unit/%,$(FW_TEST_SRCS))
FW_TEST_COMMON := $(BUILD)/fw/unit/hal_fake.o $(BUILD)/fw/unit/test_fw_util.o $(BUILD)/sim/profile.o

$(BUILD)/fw/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -c $< -o $@

# The core places exact-match entries with the reference classifier's hashes.
$(FW_TESTS): $(BUILD)/fw/unit/%: $(BUILD)/fw/unit/%.o $(FW_TEST_COMMON) $(FW_LIB) $(CLASSIFIER_LIB)
	$(CC) -o $@ $^ -lcmocka -lm

TESTS += $(FW_TESTS)

.PHONY: fw-test
fw-test: $(FW_TESTS)
	@tests/run.sh $(FW_TESTS)
