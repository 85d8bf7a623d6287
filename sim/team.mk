# Teaming and the simulated network (issue 5): tests and the failover
# benchmark. Included from sim/build.mk (do not include it again).

# Unit tests of the network model alone (no engine, no firmware).
SIM_NET_OBJS := $(BUILD)/sim/switch.o $(BUILD)/sim/exthost.o $(BUILD)/sim/fault.o

$(BUILD)/tests/sim/test_sim_switch: $(BUILD)/tests/sim/test_sim_switch.o $(SIM_NET_OBJS)
	$(CC) -o $@ $^ -lcmocka

TESTS += $(BUILD)/tests/sim/test_sim_switch
.SECONDARY: $(BUILD)/tests/sim/test_sim_switch.o

# Failover scenarios: the simulator without its main(), plus the in-process
# host driver, the rig shared with shares.mk (harness.c) and the scenario runner.
FO_OBJS := $(filter-out $(BUILD)/sim/main.o,$(SIM_OBJS)) $(BUILD)/sim/hostsim.o \
           $(BUILD)/sim/harness.o $(BUILD)/sim/failover.o
FO_LIBS := $(FW_LIB) $(CLASSIFIER_LIB) $(ENGINE_LIB) $(ENGINE_LIBS) -lpcap

$(BUILD)/tests/sim/test_failover: $(BUILD)/tests/sim/test_failover.o $(FO_OBJS) $(FW_LIB) \
                                  $(CLASSIFIER_LIB) $(ENGINE_LIB)
	$(CXX) -o $@ $(BUILD)/tests/sim/test_failover.o $(FO_OBJS) $(FO_LIBS) -lcmocka

TESTS += $(BUILD)/tests/sim/test_failover
.SECONDARY: $(BUILD)/tests/sim/test_failover.o

# The 1000-fault campaign: make bench-failover -> docs/benchmarks-failover.md
BENCH_FAILOVER := $(BUILD)/bin/bench_failover

$(BENCH_FAILOVER): $(BUILD)/sim/bench_failover.o $(FO_OBJS) $(FW_LIB) $(CLASSIFIER_LIB) $(ENGINE_LIB)
	@mkdir -p $(dir $@)
	$(CXX) -o $@ $(BUILD)/sim/bench_failover.o $(FO_OBJS) $(FO_LIBS)

ALL += $(BENCH_FAILOVER)

.PHONY: bench-failover
bench-failover: $(BENCH_FAILOVER)
	$(BENCH_FAILOVER) --faults $${FAULTS:-1000} --seed $${SEED:-1} --out docs/benchmarks-failover.md
TESTS += tests/e2e/test_failover_cli.sh
