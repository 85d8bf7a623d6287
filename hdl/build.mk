# HDL match engine: ABI header generation, Verilated model, lint.
#   $(BUILD)/gen/snic_abi.svh   localparams generated from include/snic/cls.h
#   $(BUILD)/vl/libengine.a     sim/engine.cpp + Verilated model + runtime
#   ENGINE_LIBS                 what a C program links to use sim/engine.h
#   make lint                   verilator --lint-only -Wall on hdl/

HDL_SRCS    := hdl/snic_ipv6_ext.sv hdl/snic_parser.sv hdl/snic_tcam.sv hdl/snic_exact.sv \
               hdl/snic_rss_hash.sv \
               hdl/snic_match_engine.sv
HDL_TOP     := snic_match_engine
# Ternary entries of the one Verilated model (the large profile's size).
VL_DEPTH    ?= 1024
GEN_SVH     := $(BUILD)/gen/snic_abi.svh
GEN_SVH_BIN := $(BUILD)/gen/gen_svh
VL_DIR      := $(BUILD)/vl
VL_OBJ      := $(VL_DIR)/obj
VL_ROOT     := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)
VL_FLAGS    := --cc -O3 --x-assign fast --x-initial fast --noassert --unroll-count 256 \
               --top-module $(HDL_TOP) -I$(BUILD)/gen -Ihdl
VL_CXXFLAGS := -I$(VL_OBJ) -I$(VL_ROOT)/include -I$(VL_ROOT)/include/vltstd \
               -DVM_COVERAGE=0 -DVM_SC=0 -DVM_TRACE=0 -DVM_TRACE_FST=0 -DVM_TRACE_VCD=0
ENGINE_LIB  := $(VL_DIR)/libengine.a
ENGINE_LIBS := $(ENGINE_LIB) -lstdc++ -pthread -lm

ALL += $(ENGINE_LIB)

$(GEN_SVH_BIN): tools/gen_svh.c classifier/exact.c classifier/exact.h include/snic/cls.h \
		include/snic/rss.h include/snic/types.h classifier/classifier.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) tools/gen_svh.c classifier/exact.c classifier/match.c -o $@

$(GEN_SVH): $(GEN_SVH_BIN)
	$(GEN_SVH_BIN) > $@.tmp && mv $@.tmp $@

# Verilator builds V$(HDL_TOP)__ALL.a and libverilated.a in $(VL_OBJ).
$(VL_OBJ)/V$(HDL_TOP)__ALL.a: $(HDL_SRCS) $(GEN_SVH) hdl/build.mk
	@mkdir -p $(VL_OBJ)
	$(VERILATOR) $(VL_FLAGS) -GDEPTH=$(VL_DEPTH) -Mdir $(VL_OBJ) --build -j 2 \
		-MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1" \
		$(HDL_SRCS) >$(VL_DIR)/verilate.log 2>&1 || (cat $(VL_DIR)/verilate.log; false)

$(VL_DIR)/engine.o: sim/engine.cpp sim/engine.h $(VL_OBJ)/V$(HDL_TOP)__ALL.a
	$(CXX) $(CXXFLAGS) $(VL_CXXFLAGS) -c $< -o $@

# Verilator runtime, compiled with the same defines as the model.
VL_RT_OBJS := $(VL_DIR)/rt/verilated.o $(VL_DIR)/rt/verilated_threads.o
$(VL_DIR)/rt/%.o: $(VL_ROOT)/include/%.cpp
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O2 $(VL_CXXFLAGS) -c $< -o $@

# One archive: engine.o plus every object of the model and the runtime.
$(ENGINE_LIB): $(VL_DIR)/engine.o $(VL_OBJ)/V$(HDL_TOP)__ALL.a $(VL_RT_OBJS)
	rm -rf $(VL_DIR)/ar && mkdir -p $(VL_DIR)/ar
	cd $(VL_DIR)/ar && ar x ../obj/V$(HDL_TOP)__ALL.a
	rm -f $@ && ar rcs $@ $(VL_DIR)/engine.o $(VL_DIR)/ar/*.o $(VL_RT_OBJS)

lint: $(GEN_SVH)
	$(VERILATOR) --lint-only -Wall -I$(BUILD)/gen -Ihdl --top-module $(HDL_TOP) $(HDL_SRCS)
	for m in snic_ipv6_ext snic_parser snic_tcam snic_exact snic_rss_hash; do \
		$(VERILATOR) --lint-only -Wall -I$(BUILD)/gen -Ihdl --top-module $$m hdl/$$m.sv || exit 1; \
	done
	$(VERILATOR) --lint-only -Wall -I$(BUILD)/gen -Ihdl --top-module snic_axis_engine \
		$(HDL_SRCS) hdl/snic_axis_engine.sv
	# the synthesis form of the tcam RAMs (one memory per key slice)
	$(VERILATOR) --lint-only -Wall -I$(BUILD)/gen -Ihdl +define+SNIC_TCAM_STRUCTURAL \
		--top-module snic_tcam hdl/snic_tcam.sv tests/hdl/RAM32M16.sv

# Differential test of the engine against the reference classifier.
HDL_TEST_DIFF := $(BUILD)/tests/hdl/test_engine_diff
HDL_TEST_OBJS := $(BUILD)/tests/hdl/test_engine_diff.o $(BUILD)/tests/hdl/pktgen.o \
                 $(BUILD)/tests/hdl/engine_rss.o $(BUILD)/tests/hdl/engine_wseq.o
TESTS += $(HDL_TEST_DIFF)

$(BUILD)/tests/hdl/%.o: tests/hdl/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/hdl -c $< -o $@

$(HDL_TEST_DIFF): $(HDL_TEST_OBJS) $(CLASSIFIER_LIB) $(ENGINE_LIB)
	$(CC) $(HDL_TEST_OBJS) $(CLASSIFIER_LIB) $(ENGINE_LIBS) -o $@

# The same differential test on the synthesis form of the ternary table
# (RAM32M16 LUTRAMs, tests/hdl/RAM32M16.sv, with the partner copy in block
# RAM) at the small profile's size and key (64 entries; flags, port, MACs,
# VLAN, ethertype: KEY_FIELDS 0x6f, snic_key_fields_bytes()), so the form
# that is synthesized and the narrow key are checked against the reference.
VLST_DIR := $(BUILD)/vlstruct
VLST_OBJ := $(VLST_DIR)/obj
VLST_CXXFLAGS := $(subst $(VL_OBJ),$(VLST_OBJ),$(VL_CXXFLAGS))
HDL_TEST_DIFF_ST := $(BUILD)/tests/hdl/test_engine_diff_struct
TESTS += $(HDL_TEST_DIFF_ST)
$(VLST_OBJ)/V$(HDL_TOP)__ALL.a: $(HDL_SRCS) tests/hdl/RAM32M16.sv $(GEN_SVH) hdl/build.mk
	@mkdir -p $(VLST_OBJ)
	$(VERILATOR) $(VL_FLAGS) +define+SNIC_TCAM_STRUCTURAL -GDEPTH=64 -GEXACT_BUCKETS=64 \
		-GKEY_FIELDS="16'h6f" -Mdir $(VLST_OBJ) --build -j 2 -MAKEFLAGS "OPT_FAST=-O1 OPT_SLOW=-O1" \
		$(HDL_SRCS) tests/hdl/RAM32M16.sv >$(VLST_DIR)/verilate.log 2>&1 || \
		(cat $(VLST_DIR)/verilate.log; false)
$(VLST_DIR)/engine.o: sim/engine.cpp sim/engine.h $(VLST_OBJ)/V$(HDL_TOP)__ALL.a
	$(CXX) $(CXXFLAGS) $(VLST_CXXFLAGS) -c $< -o $@
$(HDL_TEST_DIFF_ST): $(HDL_TEST_OBJS) $(CLASSIFIER_LIB) $(VLST_DIR)/engine.o \
		$(VLST_OBJ)/V$(HDL_TOP)__ALL.a $(VL_RT_OBJS)
	$(CXX) $(HDL_TEST_OBJS) $(VLST_DIR)/engine.o $(VLST_OBJ)/V$(HDL_TOP)__ALL.a \
		$(VL_RT_OBJS) $(CLASSIFIER_LIB) -pthread -o $@

# AXI-Stream top level under random backpressure (tests/hdl/tb_axis.sv):
# a small engine (64 entries, 64 buckets per way) keeps the build short.
HDL_TB_AXIS := $(BUILD)/tests/hdl/tb_axis/Vtb_axis
TESTS += $(HDL_TB_AXIS)
$(HDL_TB_AXIS): tests/hdl/tb_axis.sv tests/hdl/tb_rule.svh hdl/snic_axis_engine.sv $(HDL_SRCS) $(GEN_SVH) hdl/build.mk
	@mkdir -p $(dir $@)
	$(VERILATOR) --binary --timing -O1 --x-assign fast --x-initial fast -Wno-fatal \
		--unroll-count 256 -I$(BUILD)/gen -Ihdl -Itests/hdl --top-module tb_axis -j 2 -Mdir $(dir $@) \
		tests/hdl/tb_axis.sv $(HDL_SRCS) hdl/snic_axis_engine.sv \
		>$(dir $@)/build.log 2>&1 || (cat $(dir $@)/build.log; false)

# 1,000,000 frames through engine and reference: 100 rule sets x 10,000.
.PHONY: fuzz coverage
FUZZ_SETS ?= 100
FUZZ_SEED ?= 0x5eed5eed
# Both forms of the ternary table: the simulator's model and the synthesis
# form at the small profile's key (test_engine_diff_struct).
# A mismatch fails the target (the log keeps every line).
fuzz: $(HDL_TEST_DIFF) $(HDL_TEST_DIFF_ST)
	@for t in $(HDL_TEST_DIFF) $(HDL_TEST_DIFF_ST); do \
		$$t $(FUZZ_SETS) 10000 $(FUZZ_SEED) > $$t.fuzz.log; rc=$$?; \
		echo "$$t:"; tail -n 3 $$t.fuzz.log; \
		[ $$rc -eq 0 ] || { grep '^not ok' $$t.fuzz.log | head; exit 1; }; \
	done

# Line and toggle coverage of the HDL under the differential test. A
# smaller model (64 ternary entries, 64 buckets per way) keeps the toggle
# points of the tables countable; the logic is the same.
VLCOV_DIR := $(BUILD)/vlcov
VLCOV_OBJ := $(VLCOV_DIR)/obj
$(VLCOV_OBJ)/V$(HDL_TOP)__ALL.a: $(HDL_SRCS) $(GEN_SVH) hdl/build.mk
	@mkdir -p $(VLCOV_OBJ)
	$(VERILATOR) $(VL_FLAGS) --coverage-line --coverage-toggle -GDEPTH=64 -GEXACT_BUCKETS=64 \
		-Mdir $(VLCOV_OBJ) --build -j 2 -MAKEFLAGS "OPT_FAST=-O1 OPT_SLOW=-O1" \
		$(HDL_SRCS) >$(VLCOV_DIR)/verilate.log 2>&1 || (cat $(VLCOV_DIR)/verilate.log; false)

VLCOV_CXXFLAGS := $(subst -DVM_COVERAGE=0,-DVM_COVERAGE=1,$(subst $(VL_OBJ),$(VLCOV_OBJ),$(VL_CXXFLAGS)))
$(VLCOV_DIR)/engine.o: sim/engine.cpp sim/engine.h $(VLCOV_OBJ)/V$(HDL_TOP)__ALL.a
	$(CXX) $(CXXFLAGS) $(VLCOV_CXXFLAGS) -c $< -o $@

$(VLCOV_DIR)/rt/%.o: $(VL_ROOT)/include/%.cpp
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O2 $(VLCOV_CXXFLAGS) -c $< -o $@

$(VLCOV_DIR)/test_engine_diff_cov: $(HDL_TEST_OBJS) $(CLASSIFIER_LIB) $(VLCOV_DIR)/engine.o \
		$(VLCOV_OBJ)/V$(HDL_TOP)__ALL.a $(VLCOV_DIR)/rt/verilated.o \
		$(VLCOV_DIR)/rt/verilated_threads.o $(VLCOV_DIR)/rt/verilated_cov.o
	$(CXX) $(HDL_TEST_OBJS) $(VLCOV_DIR)/engine.o $(VLCOV_OBJ)/V$(HDL_TOP)__ALL.a \
		$(VLCOV_DIR)/rt/verilated.o $(VLCOV_DIR)/rt/verilated_threads.o \
		$(VLCOV_DIR)/rt/verilated_cov.o $(CLASSIFIER_LIB) -pthread -o $@

coverage: $(VLCOV_DIR)/test_engine_diff_cov
	rm -f $(VLCOV_DIR)/coverage.dat
	ENGINE_COVERAGE_FILE=$(VLCOV_DIR)/coverage.dat $(VLCOV_DIR)/test_engine_diff_cov 20 5000 | tail -n 2
	verilator_coverage --annotate $(VLCOV_DIR)/annotated $(VLCOV_DIR)/coverage.dat
	python3 tests/hdl/cov_summary.py $(VLCOV_DIR)/coverage.dat | tee $(VLCOV_DIR)/summary.txt
	{ echo "<!-- coverage:begin (written by make coverage) -->"; \
	  echo "## Coverage (\`make coverage\`: DEPTH 64, 64 buckets, 20 rule sets x 5 000 frames)"; \
	  echo; echo "Measured $$(date -u +%Y-%m-%d). Covered points / all points:"; echo; \
	  echo '```'; cat $(VLCOV_DIR)/summary.txt; echo '```'; \
	  echo "<!-- coverage:end -->"; } > $(VLCOV_DIR)/section.md
	tools/doc_section.sh docs/benchmarks-hdl.md coverage $(VLCOV_DIR)/section.md

# Benchmarks (make bench pieces; figures go to docs/benchmarks-hdl.md).
.PHONY: bench-hdl synth
HDL_BENCH := $(BUILD)/tests/hdl/bench_engine
$(HDL_BENCH): $(BUILD)/tests/hdl/bench_engine.o $(BUILD)/tests/hdl/pktgen.o $(CLASSIFIER_LIB) $(ENGINE_LIB)
	$(CC) $(BUILD)/tests/hdl/bench_engine.o $(BUILD)/tests/hdl/pktgen.o $(CLASSIFIER_LIB) \
		$(ENGINE_LIBS) -o $@

# Cost of one engine clock as the simulator pays it (idle, light, full load).
HDL_BENCH_CLOCK := $(BUILD)/hdl/bench_clock
$(BUILD)/hdl/bench_clock.o: hdl/bench_clock.c sim/engine.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(HDL_BENCH_CLOCK): $(BUILD)/hdl/bench_clock.o $(ENGINE_LIB)
	$(CC) $< $(ENGINE_LIBS) -o $@

# Verilated engine speed, then Verilator vs Icarus on tests/hdl/tb_bench.sv.
bench-hdl: $(HDL_BENCH) $(HDL_BENCH_CLOCK) $(GEN_SVH) $(HDL_TEST_DIFF) $(HDL_TEST_DIFF_ST)
	tests/hdl/bench_hdl.sh $(BUILD) $(HDL_SRCS)

# Yosys synth_xilinx of the whole engine at the small and large profile
# sizes, logic depth per block; writes docs/benchmarks-hdl.md (synth part).
synth: $(GEN_SVH)
	tests/hdl/synth.sh $(BUILD)
