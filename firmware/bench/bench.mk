# firmware/bench: make bench-fw (docs/benchmarks-firmware.md).
#   - instructions per received / transmitted packet in the firmware path,
#     counted by callgrind on the host and by the instret counter on rv32
#     under QEMU with -icount (exact retired-instruction counts);
#   - the firmware meter against DPDK's rte_meter on one packet trace.
# Included by firmware/riscv.mk.

BENCH_DIR   := $(BUILD)/bench
BENCH_FW    := $(BENCH_DIR)/bench_fw_path
BENCH_METER := $(BENCH_DIR)/bench_meter_cmp
BENCH_FW_RV := $(RV_BUILD)/bench/bench_fw_path.elf
DPDK_CFLAGS := $(shell pkg-config --cflags libdpdk 2>/dev/null)
# The native bench is built with everything and its scenarios run as a
# test (firmware/bench/test_bench_fw.sh), so the path it measures stays
# the one the firmware takes.
ALL   += $(BENCH_FW)
TESTS += firmware/bench/test_bench_fw.sh
DPDK_LIBDIR := $(shell pkg-config --variable=libdir libdpdk 2>/dev/null)

$(BENCH_DIR)/hal_bench.o $(BENCH_DIR)/hal_bench_rxq.o: $(BENCH_DIR)/%.o: firmware/bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(FWFLAGS) -c $< -o $@

$(BENCH_DIR)/bench_fw_path.o $(BENCH_DIR)/bench_meter_cmp.o: $(BENCH_DIR)/%.o: firmware/bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ifirmware/bench -c $< -o $@

# DPDK's headers are not -Wshadow/-Wstrict-prototypes clean: their own flags.
$(BENCH_DIR)/bench_meter_rte.o: firmware/bench/bench_meter_rte.c firmware/bench/meter_cmp.h
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -Wall $(DPDK_CFLAGS) -Ifirmware/bench -c $< -o $@

$(BENCH_FW): $(BENCH_DIR)/bench_fw_path.o $(BENCH_DIR)/hal_bench.o $(BENCH_DIR)/hal_bench_rxq.o $(FW_LIB) $(CLASSIFIER_LIB)
	$(CC) -o $@ $^ -lm

$(BENCH_METER): $(BENCH_DIR)/bench_meter_cmp.o $(BENCH_DIR)/bench_meter_rte.o $(FW_LIB)
	$(CC) -o $@ $^ $(DPDK_LIBDIR)/librte_meter.a

# The same bench, bare metal on rv32.
$(RV_BUILD)/bench/%.o: firmware/bench/%.c firmware/riscv.mk
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_TEST_FLAGS) -Ifirmware/bench -c $< -o $@

RV_BENCH_WRAP := $(foreach f,hal_dma_to_host hal_dma_from_host hal_rx_burst hal_rx_done_burst hal_tx \
                   hal_rxq_put,-Wl,--wrap=$(f))
$(BENCH_FW_RV): $(RV_BUILD)/bench/bench_fw_path.o $(RV_BUILD)/bench/hal_bench.o \
                $(RV_BUILD)/bench/hal_bench_rxq.o $(RV_CORE_OBJS)
	$(RV_CC) $(RV_TEST_LD) $(RV_BENCH_WRAP) -o $@ $^

.PHONY: bench-fw
bench-fw: $(BENCH_FW) $(BENCH_METER) $(BENCH_FW_RV)
	@firmware/bench/run_bench_fw.sh $(BENCH_FW) $(BENCH_FW_RV) $(BENCH_METER) $(BENCH_DIR) \
		docs/benchmarks-firmware.md
