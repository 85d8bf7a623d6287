# hostdrv/bookd: the booking agent snic-bookd (docs/bookings.md) and its
# library (records, admission, the shared-pipe rule, the stores, the NIC
# back ends), linked by the agent, snicctl and the tests.

BOOKD_LIB_SRCS := $(filter-out hostdrv/bookd/bookd_main.c,$(wildcard hostdrv/bookd/*.c))
BOOKD_LIB_OBJS := $(BOOKD_LIB_SRCS:%.c=$(BUILD)/%.o)
BOOKD_LIB      := $(BUILD)/hostdrv/libbookd.a
BOOKD          := $(BUILD)/bin/snic-bookd
BOOKD_LDLIBS   := $(BOOKD_LIB) $(HOSTDRV_LDLIBS) -lcurl -ljson-c -lm -lpthread

$(BOOKD_LIB): $(BOOKD_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BOOKD): $(BUILD)/hostdrv/bookd/bookd_main.o $(BOOKD_LIB) $(HOSTDRV_LDLIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BOOKD_LDLIBS)

ALL += $(BOOKD_LIB) $(BOOKD)

# snicctl's `booking` commands use the records and the stores.
$(SNICCTL): $(BOOKD_LIB)
SNICCTL_EXTRA_LIBS = $(BOOKD_LIB) -lcurl -ljson-c

# Unit tests: tests/unit/test_bookd_*.c, each its own program.
BOOKD_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/test_bookd_*.c))

$(BUILD)/tests/unit/test_bookd_%: $(BUILD)/tests/unit/test_bookd_%.o $(BOOKD_LIB) $(HOSTDRV_LDLIBS)
	$(CC) $(CFLAGS) -o $@ $< $(BOOKD_LDLIBS) -lcmocka

.SECONDARY: $(BOOKD_TESTS:%=%.o)

# End-to-end: real etcd on loopback, several agents and simulated NICs.
BOOKD_E2E := $(wildcard tests/bookd/test_*.sh)
$(BOOKD_E2E): $(BOOKD)

TESTS += $(BOOKD_TESTS) $(BOOKD_E2E)

.PHONY: bookd
bookd: $(BOOKD) $(BOOKD_TESTS)

# Benchmarks (make bench-bookd): figures into docs/benchmarks-bookd.md.
BOOKD_BENCH := $(BUILD)/bin/bench_bookd
$(BOOKD_BENCH): $(BUILD)/tests/bookd/bench_bookd.o $(BOOKD_LIB) $(HOSTDRV_LDLIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BOOKD_LDLIBS)
ALL += $(BOOKD_BENCH)

.PHONY: bench-bookd
bench-bookd: $(BOOKD_BENCH) $(BOOKD) $(BUILD)/bin/snic-sim $(SNICCTL)
	@tests/bookd/bench_bookd.sh
