# Ring steering and rate limiting (issue 4): end-to-end tools, tests and
# the longer rate sweep. Included from the top Makefile.

RATE_TOOLS := $(BUILD)/bin/gen_seq $(BUILD)/bin/seq_check

$(BUILD)/bin/gen_seq: tests/e2e/gen_seq.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< -lpcap

$(BUILD)/bin/seq_check: tests/e2e/seq_check.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< -lpcap

ALL   += $(RATE_TOOLS)
TESTS += $(wildcard tests/e2e/test_steer*.sh) $(wildcard tests/e2e/test_rate*.sh)

# Longer sweeps on the simulator's virtual clock; figures go to
# docs/benchmarks-rate.md.
.PHONY: bench-rate
bench-rate: all
	@tests/e2e/bench_rate.sh
