# Teaming and the simulated network (issue 5): tests and the failover
# benchmark. Included from sim/build.mk.

# Unit tests of the network model alone (no engine, no firmware).
SIM_NET_OBJS := $(BUILD)/sim/switch.o $(BUILD)/sim/exthost.o $(BUILD)/sim/fault.o

$(BUILD)/tests/sim/test_sim_switch: $(BUILD)/tests/sim/test_sim_switch.o $(SIM_NET_OBJS)
	$(CC) -o $@ $^ -lcmocka

TESTS += $(BUILD)/tests/sim/test_sim_switch
.SECONDARY: $(BUILD)/tests/sim/test_sim_switch.o
