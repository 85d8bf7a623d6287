# classifier/bench: make bench-cls (docs/benchmarks-classifier.md).
# The host software classifier (fast ternary classifier, fast exact
# lookups) side by side with DPDK's rte_acl and rte_hash in one run:
# instructions per lookup (callgrind) and ns per lookup, single and batched.

CLS_BENCH_DIR := $(BUILD)/classifier/bench
BENCH_CLS     := $(CLS_BENCH_DIR)/bench_cls
CLS_DPDK_CFLAGS := $(shell pkg-config --cflags libdpdk 2>/dev/null)
CLS_DPDK_LIBDIR := $(shell pkg-config --variable=libdir libdpdk 2>/dev/null)
# rte_acl and rte_hash, and what they need: the EAL (their memory comes
# from DPDK's heap), rings (rte_hash's free slots), RCU, kvargs, telemetry.
CLS_DPDK_LIBS := $(foreach l,acl hash rcu ring mempool eal kvargs telemetry, \
                   $(CLS_DPDK_LIBDIR)/librte_$(l).a) -lnuma -lbsd -lpthread -ldl -lm

CLS_BENCH_OBJS := $(CLS_BENCH_DIR)/bench_cls.o $(CLS_BENCH_DIR)/bench_exact.o
$(CLS_BENCH_OBJS): $(CLS_BENCH_DIR)/%.o: classifier/bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# DPDK's headers are not -Wshadow/-Wstrict-prototypes clean: their own flags.
$(CLS_BENCH_DIR)/bench_cls_rte.o: classifier/bench/bench_cls_rte.c classifier/bench/cls_cmp.h
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -Wall $(CLS_DPDK_CFLAGS) -c $< -o $@

$(BENCH_CLS): $(CLS_BENCH_DIR)/bench_cls.o $(CLS_BENCH_DIR)/bench_exact.o \
              $(CLS_BENCH_DIR)/bench_cls_rte.o $(CLASSIFIER_LIB)
	$(CC) -o $@ $^ $(CLS_DPDK_LIBS)

.PHONY: bench-cls
bench-cls: $(BENCH_CLS)
	@classifier/bench/run_bench_cls.sh $(BENCH_CLS) $(CLS_BENCH_DIR) \
		docs/benchmarks-classifier.md
