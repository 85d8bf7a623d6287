# snic: one entry point.
#   make deps   install missing Debian packages (root)
#   make all    build firmware, HDL model, simulator, host driver and tools
#   make run    the main job: VMs, bond, etcd bookings, failover, report, plot
#               (ARGS="--profile small", "--json", "--short", "--tap"; docs/main-job.md)
#   make test   the whole test suite; ends with "N passed, N failed, N skipped"
#   make lint   verilator --lint-only -Wall on the HDL
#   make bench  measured benchmarks (docs/benchmarks.md)
#   make clean

BUILD    ?= build
CC       ?= gcc
CXX      ?= g++
VERILATOR ?= verilator
OPT      ?= -O2

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
CFLAGS   := -std=c11 $(OPT) -g $(WARN) -D_GNU_SOURCE -Iinclude -Iclassifier -Ifirmware \
            -Isim -Ihostdrv/lib -MMD -MP
# Firmware and the reference classifier are freestanding: no libc headers.
FWFLAGS  := -std=c11 $(OPT) -g $(WARN) -ffreestanding -Iinclude -Iclassifier -Ifirmware -MMD -MP
CXXFLAGS := -std=c++17 $(OPT) -g -Wall -Iinclude -Iclassifier -Isim -MMD -MP

ALL   :=
TESTS :=

.PHONY: all deps run test lint bench bench-deps clean
all:

include classifier/build.mk
include hdl/build.mk
include firmware/build.mk
include sim/build.mk
include hostdrv/build.mk
include hostdrv/bookd/build.mk
include hostdrv/linux/build.mk
include tests/build.mk
include firmware/riscv.mk
include hostdrv/rate.mk

all: $(ALL)

deps:
	@tools/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@tools/demo.sh $(ARGS)

test: deps
	@$(MAKE) --no-print-directory all $(TESTS)
	@tests/run.sh $(TESTS)

# One benchmark per part; each writes its measured figures into docs/.
BENCHES := bench-hdl bench-fw bench-rate bench-failover kmod-bench bench-bookd
bench: bench-deps
	@$(MAKE) --no-print-directory all
	@for b in $(BENCHES); do $(MAKE) --no-print-directory $$b || exit 1; done
	@echo "bench: figures are in docs/benchmarks.md and the pages it links"

bench-deps: deps
	@tools/install-deps.sh deps/debian-bench-packages.txt
synth: bench-deps

clean:
	rm -rf $(BUILD)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
