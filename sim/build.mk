# sim/: the simulator binary: Verilated engine + firmware + window + pcap I/O.
FW_LIB ?= $(BUILD)/fw/libfw.a
CLASSIFIER_LIB ?= $(BUILD)/classifier/libclassifier.a
ENGINE_LIB ?= $(BUILD)/vl/libengine.a
SIM_SRCS := sim/main.c sim/nic.c sim/hal_sim.c sim/window.c sim/pcap_io.c sim/profile.c \
            sim/switch.c sim/exthost.c sim/fault.c sim/netopt.c sim/flash.c \
            sim/tap.c sim/ivshmem.c sim/lockstep.c
SIM_OBJS := $(SIM_SRCS:%.c=$(BUILD)/%.o)
SIM_BIN  := $(BUILD)/bin/snic-sim

$(SIM_BIN): $(SIM_OBJS) $(FW_LIB) $(CLASSIFIER_LIB) $(ENGINE_LIB)
	@mkdir -p $(dir $@)
	$(CXX) -o $@ $(SIM_OBJS) $(FW_LIB) $(CLASSIFIER_LIB) $(ENGINE_LIB) $(ENGINE_LIBS) -lpcap

ALL += $(SIM_BIN)
include sim/team.mk
include sim/shares.mk

# sim/ivshmem.c on its own: the doorbell is taken without blocking.
SIM_IVSHMEM_TEST := $(BUILD)/sim/unit/test_sim_ivshmem
$(BUILD)/sim/unit/test_sim_ivshmem.o: tests/unit/test_sim_ivshmem.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(SIM_IVSHMEM_TEST): $(BUILD)/sim/unit/test_sim_ivshmem.o $(BUILD)/sim/ivshmem.o $(BUILD)/sim/window.o
	$(CC) -o $@ $^ -lcmocka

TESTS += $(SIM_IVSHMEM_TEST)

# The main job (make run, docs/main-job.md): the scenario on the virtual
# clock, linked with the simulator like the failover and share scenarios.
MAINJOB_OBJS := $(filter-out $(BUILD)/sim/main.o,$(SIM_OBJS)) $(BUILD)/sim/hostsim.o \
                $(BUILD)/sim/scenario.o $(BUILD)/sim/scenario_ev.o $(BUILD)/sim/scenario_out.o \
                $(BUILD)/sim/scenario_plot.o $(BUILD)/sim/scenario_tap.o \
                $(BUILD)/sim/scenario_main.o
MAINJOB_BIN  := $(BUILD)/bin/snic-mainjob

$(MAINJOB_BIN): $(MAINJOB_OBJS) $(FW_LIB) $(CLASSIFIER_LIB) $(ENGINE_LIB)
	@mkdir -p $(dir $@)
	$(CXX) -o $@ $(MAINJOB_OBJS) $(FW_LIB) $(CLASSIFIER_LIB) $(ENGINE_LIB) $(ENGINE_LIBS) -lpcap

ALL += $(MAINJOB_BIN)
TESTS += tests/e2e/test_main_job.sh
