# Bandwidth shares on the virtual clock (issue 4, per-VM rate limiting;
# issue 5, reallocation after a failover): the scenario runner and its
# test. Included from sim/build.mk; uses FO_OBJS and FO_LIBS of team.mk.

SH_OBJS := $(filter-out $(BUILD)/sim/failover.o,$(FO_OBJS)) $(BUILD)/sim/shares.o

$(BUILD)/tests/sim/test_shares: $(BUILD)/tests/sim/test_shares.o $(SH_OBJS) $(FW_LIB) \
                                $(CLASSIFIER_LIB) $(ENGINE_LIB)
	$(CXX) -o $@ $(BUILD)/tests/sim/test_shares.o $(SH_OBJS) $(FO_LIBS) -lcmocka

TESTS += $(BUILD)/tests/sim/test_shares
.SECONDARY: $(BUILD)/tests/sim/test_shares.o
TESTS += tests/e2e/test_share_cli.sh
