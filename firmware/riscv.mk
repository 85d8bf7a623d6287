# firmware/riscv.mk: the firmware as firmware, for the NIC's embedded
# rv32imac core (docs/firmware-image.md).
#
#   make fw            cross-build $(BUILD)/rv32/snic-fw.img and report its
#                      text/data/bss against the size budget (fails if over)
#   make fw-qemu-test  the firmware unit tests, bare metal on rv32, under
#                      qemu-system-riscv32 (also part of make test)
#   make bench-fw      instructions per packet (callgrind) and the meter
#                      against DPDK's rte_meter (docs/benchmarks-firmware.md)
#
# Included from the top Makefile after the other components.

RV_PREFIX  ?= riscv64-unknown-elf-
RV_CC      := $(RV_PREFIX)gcc
RV_OBJCOPY := $(RV_PREFIX)objcopy
RV_ARCH    := -march=rv32imac -mabi=ilp32
RV_BUILD   := $(BUILD)/rv32
RV_FWFLAGS := $(RV_ARCH) -std=c11 $(OPT) -g $(WARN) -ffreestanding \
              -fno-tree-loop-distribute-patterns -ffunction-sections -fdata-sections \
              -fno-asynchronous-unwind-tables -Iinclude -Iclassifier -Ifirmware -MMD -MP

# Size budget (docs/firmware-image.md): the flash payload (text + rodata +
# data) and everything the image needs in the core's 512 KiB of RAM.
FW_PAYLOAD_BUDGET := 65536
FW_RAM_BUDGET     := 524288
FW_IMG_VERSION := $(shell sed -n 's/^\#define FW_VERSION[[:space:]]*\(0x[0-9a-fA-F]*\).*/\1/p' firmware/core/fw_internal.h)
FW_IMG_BUILD   := snic-fw rv32imac

# ---- host tool ----
FWIMG_TOOL := $(BUILD)/bin/snic-fwimg
$(FWIMG_TOOL): firmware/image/snic-fwimg.c firmware/image/fwimage.h firmware/image/bootctl.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $<

# ---- the image ----
RV_CORE_SRCS := $(wildcard firmware/core/*.c)
RV_CORE_OBJS := $(patsubst firmware/core/%.c,$(RV_BUILD)/core/%.o,$(RV_CORE_SRCS))
RV_HAL_SRCS  := $(wildcard firmware/hal/riscv/*.c)
RV_HAL_OBJS  := $(patsubst firmware/hal/riscv/%.c,$(RV_BUILD)/hal/%.o,$(RV_HAL_SRCS))
RV_START     := $(RV_BUILD)/hal/start.o
RV_LDSCRIPT  := firmware/hal/riscv/snic-fw.ld
FW_ELF := $(RV_BUILD)/snic-fw.elf
FW_IMG := $(RV_BUILD)/snic-fw.img

$(RV_BUILD)/core/%.o: firmware/core/%.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_FWFLAGS) -c $< -o $@

$(RV_BUILD)/hal/%.o: firmware/hal/riscv/%.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_FWFLAGS) -c $< -o $@

# Newer binutils name the CSR instructions (part of rv32imac as the core
# implements it) as the separate extension Zicsr.
$(RV_START): firmware/hal/riscv/start.S
	@mkdir -p $(dir $@)
	$(RV_CC) -march=rv32imac_zicsr -mabi=ilp32 -c $< -o $@

$(FW_ELF): $(RV_START) $(RV_HAL_OBJS) $(RV_CORE_OBJS) $(RV_LDSCRIPT)
	$(RV_CC) $(RV_ARCH) -nostdlib -nostartfiles -static -T $(RV_LDSCRIPT) \
		-Wl,--gc-sections -o $@ $(RV_START) $(RV_HAL_OBJS) $(RV_CORE_OBJS) -lgcc

$(FW_IMG): $(FW_ELF) $(FWIMG_TOOL)
	$(FWIMG_TOOL) build --elf $< --out $@ --objcopy $(RV_OBJCOPY) \
		--version $(FW_IMG_VERSION) --build "$(FW_IMG_BUILD)"

ALL += $(FWIMG_TOOL) $(FW_IMG)

.PHONY: fw fw-qemu-test bench-fw
fw: $(FW_IMG)
	@$(FWIMG_TOOL) size $(FW_IMG) --payload-budget $(FW_PAYLOAD_BUDGET) \
		--ram-budget $(FW_RAM_BUDGET)

# ---- firmware unit tests on rv32 under QEMU ----
# The same tests/unit/test_fw_*.c as the host run, with the cmocka
# stand-in of tests/rv32 and picolibc's semihosting. Skipped, with reason:
RV_TEST_SKIP := test_fw_meter_accuracy
RV_SKIP_REASON_test_fw_meter_accuracy := its conformance checker uses __int128, which rv32 gcc lacks

RV_TEST_FLAGS := $(RV_ARCH) --specs=picolibc.specs --oslib=semihost -std=c11 $(OPT) -g \
                 $(WARN) -D_GNU_SOURCE -Iinclude -Iclassifier -Ifirmware -Itests/rv32 \
                 -Itests/unit -MMD -MP
# picolibc's link map on the virt board: code at 0x8000_0000, RAM after it
# (the fake window and frame queues of hal_fake.c need ~30 MiB of heap),
# RAM ending at 0x8400_0000 so the HAL stand-in can live above it.
RV_TEST_LD := $(RV_ARCH) --specs=picolibc.specs --oslib=semihost \
              -Wl,--defsym=__flash=0x80000000,--defsym=__flash_size=0x200000 \
              -Wl,--defsym=__ram=0x80200000,--defsym=__ram_size=0x3e00000 \
              -Wl,--defsym=__stack_size=0x100000

RV_FW_TEST_SRCS := $(filter-out tests/unit/test_fw_util.c $(RV_TEST_SKIP:%=tests/unit/%.c), \
                     $(wildcard tests/unit/test_fw_*.c))
RV_FW_TESTS  := $(patsubst tests/unit/%.c,$(RV_BUILD)/test/%.elf,$(RV_FW_TEST_SRCS))
RV_TEST_COMMON := $(RV_BUILD)/test/cmocka_rv32.o $(RV_BUILD)/test/hal_fake.o \
                  $(RV_BUILD)/test/test_fw_util.o

$(RV_BUILD)/test/cmocka_rv32.o: tests/rv32/cmocka_rv32.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_TEST_FLAGS) -c $< -o $@

$(RV_BUILD)/test/hal_fake.o $(RV_BUILD)/test/test_fw_util.o: $(RV_BUILD)/test/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_TEST_FLAGS) -c $< -o $@

# Each test's main() becomes rv_test_main(), run by the stand-in's main.
$(RV_BUILD)/test/test_fw_%.o: tests/unit/test_fw_%.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_TEST_FLAGS) -Dmain=rv_test_main -c $< -o $@

$(RV_FW_TESTS): $(RV_BUILD)/test/%.elf: $(RV_BUILD)/test/%.o $(RV_TEST_COMMON) $(RV_CORE_OBJS)
	$(RV_CC) $(RV_TEST_LD) -o $@ $^

# The RISC-V HAL itself, against a RAM stand-in of its memory map.
RV_STANDIN := -DHAL_RV_CTRL_ADDR=0x84000000u -DHAL_RV_CLS_ADDR=0x84001000u \
              -DHAL_RV_RXQ_ADDR=0x84002000u -DHAL_RV_TX_ADDR=0x84003000u \
              -DHAL_RV_FLASHC_ADDR=0x84004000u -DHAL_RV_FLASH_ADDR=0x84100000u
RV_HAL_TEST := $(RV_BUILD)/test/test_hal_riscv.elf
RV_HAL_STANDIN_OBJS := $(RV_BUILD)/test/standin_hal_riscv.o $(RV_BUILD)/test/standin_hal_riscv_flash.o

$(RV_BUILD)/test/standin_%.o: firmware/hal/riscv/%.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_FWFLAGS) $(RV_STANDIN) -c $< -o $@

$(RV_BUILD)/test/test_hal_riscv.o: tests/rv32/test_hal_riscv.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_TEST_FLAGS) $(RV_STANDIN) -Dmain=rv_test_main -c $< -o $@

$(RV_HAL_TEST): $(RV_BUILD)/test/test_hal_riscv.o $(RV_BUILD)/test/cmocka_rv32.o \
                $(RV_HAL_STANDIN_OBJS) $(RV_CORE_OBJS)
	$(RV_CC) $(RV_TEST_LD) -o $@ $^

RV_ALL_TESTS := $(RV_FW_TESTS) $(RV_HAL_TEST)
RV_QEMU_RUNNER := $(RV_BUILD)/test_fw_rv32_qemu
$(RV_QEMU_RUNNER): $(RV_ALL_TESTS) tests/rv32/run_qemu.sh
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\n# generated by firmware/riscv.mk\nexec %s %s %s\n' \
		"$(CURDIR)/tests/rv32/run_qemu.sh" \
		'$(foreach t,$(RV_TEST_SKIP),--skip "$(t):$(RV_SKIP_REASON_$(t))")' \
		"$(abspath $(RV_ALL_TESTS))" > $@
	chmod +x $@

TESTS += $(RV_QEMU_RUNNER)

fw-qemu-test: $(RV_QEMU_RUNNER)
	@tests/run.sh $(RV_QEMU_RUNNER)

-include firmware/bench.mk
