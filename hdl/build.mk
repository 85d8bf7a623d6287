# HDL match engine: ABI header generation, Verilated model, lint.
#   $(BUILD)/gen/snic_abi.svh   localparams generated from include/snic/cls.h
#   $(BUILD)/vl/libengine.a     sim/engine.cpp + Verilated model + runtime
#   ENGINE_LIBS                 what a C program links to use sim/engine.h
#   make lint                   verilator --lint-only -Wall on hdl/

HDL_SRCS    := hdl/snic_ipv6_ext.sv hdl/snic_parser.sv hdl/snic_tcam.sv \
               hdl/snic_match_engine.sv
HDL_TOP     := snic_match_engine
# Ternary entries of the one Verilated model (the large profile's size).
VL_DEPTH    ?= 1024
GEN_SVH     := $(BUILD)/gen/snic_abi.svh
GEN_SVH_BIN := $(BUILD)/gen/gen_svh
VL_DIR      := $(BUILD)/vl
VL_OBJ      := $(VL_DIR)/obj
VL_ROOT     := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)
VL_FLAGS    := --cc -O3 --x-assign fast --x-initial fast --noassert \
               --top-module $(HDL_TOP) -I$(BUILD)/gen
VL_CXXFLAGS := -I$(VL_OBJ) -I$(VL_ROOT)/include -I$(VL_ROOT)/include/vltstd \
               -DVM_COVERAGE=0 -DVM_SC=0 -DVM_TRACE=0 -DVM_TRACE_FST=0 -DVM_TRACE_VCD=0
ENGINE_LIB  := $(VL_DIR)/libengine.a
ENGINE_LIBS := $(ENGINE_LIB) -lstdc++ -pthread -lm

ALL += $(ENGINE_LIB)

$(GEN_SVH_BIN): tools/gen_svh.c classifier/exact.c classifier/exact.h include/snic/cls.h \
		include/snic/types.h classifier/classifier.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) tools/gen_svh.c classifier/exact.c -o $@

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
	$(VERILATOR) --lint-only -Wall -I$(BUILD)/gen --top-module $(HDL_TOP) $(HDL_SRCS)
	for m in snic_ipv6_ext snic_parser snic_tcam; do \
		$(VERILATOR) --lint-only -Wall -I$(BUILD)/gen -Ihdl --top-module $$m hdl/$$m.sv || exit 1; \
	done

# Differential test of the engine against the reference classifier.
HDL_TEST_DIFF := $(BUILD)/tests/hdl/test_engine_diff
HDL_TEST_OBJS := $(BUILD)/tests/hdl/test_engine_diff.o $(BUILD)/tests/hdl/pktgen.o
TESTS += $(HDL_TEST_DIFF)

$(BUILD)/tests/hdl/%.o: tests/hdl/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/hdl -c $< -o $@

$(HDL_TEST_DIFF): $(HDL_TEST_OBJS) $(CLASSIFIER_LIB) $(ENGINE_LIB)
	$(CC) $(HDL_TEST_OBJS) $(CLASSIFIER_LIB) $(ENGINE_LIBS) -o $@
