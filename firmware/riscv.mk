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
FW_IMG_VERSION := $(shell sed -n 's/^\#define FW_VERSION[[:space:]]*\(0x[0-9a-fA-F]*\).*/\1/p' firmware/core/fw_types.h)
FW_IMG_BUILD   := snic-fw rv32imac

# The image format, snic-fwimg and the update tests.
include firmware/image/image.mk

# ---- the image ----
RV_CORE_SRCS := $(wildcard firmware/core/*.c)
RV_CORE_OBJS := $(patsubst firmware/core/%.c,$(RV_BUILD)/core/%.o,$(RV_CORE_SRCS))
# The exact-match placement uses the reference classifier's hashes (exact.c;
# match.c too: exact.o's snic_classify calls snic_tcam_lookup, and the test
# links have no --gc-sections to drop it).
RV_CORE_OBJS += $(RV_BUILD)/classifier/exact.o $(RV_BUILD)/classifier/match.o
RV_HAL_SRCS  := $(wildcard firmware/hal/riscv/*.c)
RV_HAL_OBJS  := $(patsubst firmware/hal/riscv/%.c,$(RV_BUILD)/hal/%.o,$(RV_HAL_SRCS))
RV_START     := $(RV_BUILD)/hal/start.o
RV_LDSCRIPT  := firmware/hal/riscv/snic-fw.ld
FW_ELF := $(RV_BUILD)/snic-fw.elf
FW_IMG := $(RV_BUILD)/snic-fw.img

# The control path (admin commands, layout, tables, teaming control, the
# per-poll link sampling and share split) is built for size: code shares
# the core's 512 KiB with the tables, and these run per command, per poll
# or per timer, and the receive rings' per-batch set-up and publication
# (rx_ring). Also for size: group delivery (broadcast, multicast,
# unknown unicast) and the share limit's slow half (only while bandwidth
# shares are on). The per-frame files (steer, tx, team_tx, meter, mem)
# keep $(OPT).
RV_SIZE_OPT := admin beacon bwalloc exact_table flash_cmd fw group l2 layout meter_table notify rules \
               rx_ring share team team_health vnic vnic_mac
$(patsubst %,$(RV_BUILD)/core/%.o,$(RV_SIZE_OPT)): RV_CORE_OPT := -Os

$(RV_BUILD)/core/%.o: firmware/core/%.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_FWFLAGS) $(RV_CORE_OPT) -c $< -o $@

$(RV_BUILD)/classifier/%.o: classifier/%.c
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

ALL += $(FW_IMG)

.PHONY: fw fw-qemu-test bench-fw
fw: $(FW_IMG)
	@$(FWIMG_TOOL) size $(FW_IMG) --payload-budget $(FW_PAYLOAD_BUDGET) \
		--ram-budget $(FW_RAM_BUDGET)

# ---- firmware unit tests on rv32 under QEMU ----
# The same tests/unit/test_fw_*.c as the host run, with the cmocka
# stand-in of tests/rv32 and picolibc's semihosting. Skipped, with reason:
RV_TEST_SKIP := test_fw_meter_accuracy test_fw_isolation test_fw_admin_model
RV_SKIP_REASON_test_fw_meter_accuracy := its conformance checker uses __int128, which rv32 gcc lacks
RV_SKIP_REASON_test_fw_admin_model := 110000 commands in a processor-time budget that QEMU semihosting clock() exhausts before the first sequence: host build only
RV_SKIP_REASON_test_fw_isolation := a million frames through a rig of six files and the test filter of the host cmocka: host build only

# -Wno-format: the tests are written for LP64 hosts; on ilp32 uint32_t is
# `long` and printf's "%u" prints it right all the same (both 32 bits).
RV_TEST_FLAGS := $(RV_ARCH) --specs=picolibc.specs --oslib=semihost -std=c11 $(OPT) -g \
                 $(WARN) -Wno-format -D_GNU_SOURCE -Iinclude -Iclassifier -Ifirmware \
                 -Itests/rv32 -Itests/unit -MMD -MP
# picolibc's link map on the virt board (QEMU -m 256M: 0x8000_0000 to
# 0x9000_0000): code at 0x8000_0000, RAM after it (hal_fake.c's window and
# frame queues need up to ~80 MiB of heap), RAM ending at 0x8a00_0000 so
# the HAL stand-in (0x8c00_0000 up) lies beyond it.
RV_TEST_LD := $(RV_ARCH) --specs=picolibc.specs --oslib=semihost \
              -Wl,--defsym=__flash=0x80000000,--defsym=__flash_size=0x200000 \
              -Wl,--defsym=__ram=0x80200000,--defsym=__ram_size=0x9e00000 \
              -Wl,--defsym=__stack_size=0x100000

RV_FW_TEST_SRCS := $(filter-out tests/unit/test_fw_util.c $(RV_TEST_SKIP:%=tests/unit/%.c), \
                     $(wildcard tests/unit/test_fw_*.c))
RV_FW_TESTS  := $(patsubst tests/unit/%.c,$(RV_BUILD)/test/%.elf,$(RV_FW_TEST_SRCS))
# The reference parser too: tests build engine keys from frames (snic_parse).
RV_TEST_COMMON := $(RV_BUILD)/test/cmocka_rv32.o $(RV_BUILD)/test/hal_fake.o \
                  $(RV_BUILD)/test/test_fw_util.o $(RV_BUILD)/test/profile.o \
                  $(RV_BUILD)/classifier/parse.o $(RV_BUILD)/classifier/parse_ipv6.o \
                  $(RV_BUILD)/classifier/rss.o
# (rss.o: the fake engine's RSS hash, the C model's; not in the image)

# The fake HAL models the simulator's cards (sim/profile.c).
$(RV_BUILD)/test/profile.o: sim/profile.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_TEST_FLAGS) -c $< -o $@

$(RV_BUILD)/test/cmocka_rv32.o: tests/rv32/cmocka_rv32.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_TEST_FLAGS) -c $< -o $@

$(RV_BUILD)/test/hal_fake.o $(RV_BUILD)/test/test_fw_util.o: $(RV_BUILD)/test/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_TEST_FLAGS) -Isim -c $< -o $@

# Each test's main() becomes rv_test_main(), run by the stand-in's main.
$(RV_BUILD)/test/test_fw_%.o: tests/unit/test_fw_%.c
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_TEST_FLAGS) -Dmain=rv_test_main -c $< -o $@

# Link maps and stand-in addresses live in this file: relink when it changes.
$(RV_FW_TESTS): $(RV_BUILD)/test/%.elf: $(RV_BUILD)/test/%.o $(RV_TEST_COMMON) $(RV_CORE_OBJS) \
                firmware/riscv.mk
	$(RV_CC) $(RV_TEST_LD) -o $@ $(filter %.o,$^)

# The RISC-V HAL itself, against a RAM stand-in of its memory map.
RV_STANDIN := -DHAL_RV_CTRL_ADDR=0x8c000000u -DHAL_RV_CLS_ADDR=0x8c001000u \
              -DHAL_RV_RXQ_ADDR=0x8c002000u -DHAL_RV_TX_ADDR=0x8c003000u \
              -DHAL_RV_FLASHC_ADDR=0x8c004000u -DHAL_RV_DMA_ADDR=0x8c005000u \
              -DHAL_RV_FLASH_ADDR=0x8c100000u
RV_HAL_TEST := $(RV_BUILD)/test/test_hal_riscv.elf
RV_HAL_STANDIN_OBJS := $(RV_BUILD)/test/standin_hal_riscv.o $(RV_BUILD)/test/standin_hal_riscv_flash.o

$(RV_BUILD)/test/standin_%.o: firmware/hal/riscv/%.c firmware/riscv.mk
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_FWFLAGS) $(RV_STANDIN) -c $< -o $@

$(RV_BUILD)/test/test_hal_riscv.o: tests/rv32/test_hal_riscv.c firmware/riscv.mk
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_TEST_FLAGS) $(RV_STANDIN) -Dmain=rv_test_main -c $< -o $@

$(RV_HAL_TEST): $(RV_BUILD)/test/test_hal_riscv.o $(RV_BUILD)/test/cmocka_rv32.o \
                $(RV_HAL_STANDIN_OBJS) $(RV_CORE_OBJS) firmware/riscv.mk
	$(RV_CC) $(RV_TEST_LD) -o $@ $(filter %.o,$^)

RV_ALL_TESTS := $(RV_FW_TESTS) $(RV_HAL_TEST)

# The image's own start-up on QEMU: the real start.S, link map and
# fw_main with the stand-in addresses; the hardware's registers come from
# a blob that QEMU's generic loader puts in place (tests/rv32/mk_standin.c).
RV_BOOT_ELF  := $(RV_BUILD)/test/snic-fw-standin.elf
RV_BOOT_REGS := $(RV_BUILD)/test/standin-regs.bin
RV_BOOT_OBJS := $(RV_START) $(RV_BUILD)/test/standin_fw_main.o $(RV_HAL_STANDIN_OBJS) \
                $(RV_BUILD)/hal/rt.o $(RV_CORE_OBJS)
$(RV_BOOT_ELF): $(RV_BOOT_OBJS) $(RV_LDSCRIPT)
	$(RV_CC) $(RV_ARCH) -nostdlib -nostartfiles -static -T $(RV_LDSCRIPT) \
		-Wl,--gc-sections -o $@ $(RV_BOOT_OBJS) -lgcc

$(RV_BUILD)/test/mk_standin: tests/rv32/mk_standin.c firmware/hal/riscv/hal_riscv_regs.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $<

$(RV_BOOT_REGS): $(RV_BUILD)/test/mk_standin
	$< $@

RV_BOOT_TEST := $(RV_BUILD)/test_fw_boot_qemu
$(RV_BOOT_TEST): $(RV_BOOT_ELF) $(RV_BOOT_REGS) tests/rv32/test_fw_boot.sh
	printf '#!/bin/sh\n# generated by firmware/riscv.mk\nexec %s %s %s\n' \
		"$(CURDIR)/tests/rv32/test_fw_boot.sh" "$(abspath $(RV_BOOT_ELF))" \
		"$(abspath $(RV_BOOT_REGS))" > $@
	chmod +x $@

TESTS += $(RV_BOOT_TEST)

# make test runs an explicit set of suites that take seconds under QEMU's
# TCG (CI: 2 cores, make test < 15 min, this part < 1 min even on a loaded
# machine); `make fw-qemu-test` runs them all. Left to fw-qemu-test (and
# listed as TAP SKIPs in make test): suites with long fuzz or simulation
# loops, e.g. test_fw_share (128-bit divisions in software on rv32, ~50 s),
# test_fw_admin (a device-area snapshot around thousands of commands) and
# test_fw_team (100 s), and any new suite until it is added here.
RV_TEST_QUICK := test_fw_image test_fw_flash test_fw_meter test_fw_rules test_fw_steer \
                 test_fw_tx test_fw_vnic test_fw_layout test_fw_qos test_fw_exact \
                 test_fw_team_tx test_fw_steer_move test_fw_dma test_hal_riscv \
                 test_fw_l2_cmd test_fw_l2_rx test_fw_l2_tx test_fw_mac_domain \
                 test_fw_pvlan
RV_QUICK_TESTS := $(filter $(RV_TEST_QUICK:%=$(RV_BUILD)/test/%.elf),$(RV_ALL_TESTS))
RV_TEST_SLOW  := $(filter-out $(RV_TEST_QUICK),$(patsubst $(RV_BUILD)/test/%.elf,%,$(RV_ALL_TESTS)))
RV_SKIP_ARGS  = $(foreach t,$(RV_TEST_SKIP),--skip "$(t):$(RV_SKIP_REASON_$(t))")
RV_SLOW_ARGS  = $(foreach t,$(RV_TEST_SLOW),--skip "$(t):not in the quick rv32 set, run by make fw-qemu-test")

# A runner script per selection: tests/run.sh runs TESTS without arguments.
define rv_runner
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\n# generated by firmware/riscv.mk\nexec %s %s %s\n' \
		"$(CURDIR)/tests/rv32/run_qemu.sh" '$(2)' "$(abspath $(1))" > $@
	chmod +x $@
endef

RV_QEMU_RUNNER := $(RV_BUILD)/test_fw_rv32_qemu
RV_QEMU_RUNNER_ALL := $(RV_BUILD)/test_fw_rv32_qemu_all
$(RV_QEMU_RUNNER): $(RV_QUICK_TESTS) tests/rv32/run_qemu.sh firmware/riscv.mk
	$(call rv_runner,$(RV_QUICK_TESTS),$(RV_SKIP_ARGS) $(RV_SLOW_ARGS))
$(RV_QEMU_RUNNER_ALL): $(RV_ALL_TESTS) tests/rv32/run_qemu.sh firmware/riscv.mk
	$(call rv_runner,$(RV_ALL_TESTS),$(RV_SKIP_ARGS))

TESTS += $(RV_QEMU_RUNNER)

fw-qemu-test: $(RV_QEMU_RUNNER_ALL)
	@tests/run.sh $(RV_QEMU_RUNNER_ALL)

# make bench-fw
include firmware/bench/bench.mk
