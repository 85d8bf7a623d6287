# snic: one entry point.
#   make deps   install missing Debian packages (root)
#   make all    build firmware, HDL model, simulator, host driver and tools
#   make run    the main job: VMs, bond, etcd bookings, failover, report, plot
#               (ARGS="--profile small", "--json", "--short", "--tap"; docs/main-job.md)
#   make test   the whole test suite; ends with "N passed, N failed, N skipped"
#   make lint   verilator --lint-only -Wall on the HDL
#   make bench  measured benchmarks (docs/benchmarks.md)
#   make install / make uninstall   PREFIX (/usr/local) and DESTDIR as usual
#   make clean
#   make test SANITIZE=1   the unit, sim and e2e suites built with ASan + UBSan
#               (-fno-sanitize-recover=all) into build-san/; any report fails
#   make fuzz-sw  libFuzzer harnesses, FUZZ_TIME seconds each (fuzz/build.mk)
#   make reliability  docs/reliability.md from the fuzz runs

# SANITIZE=1: every host C/C++ object and program with AddressSanitizer and
# UBSan, built apart from the normal build; the first report ends the
# process with an error, so a test that trips one fails.
ifeq ($(SANITIZE),1)
BUILD    ?= build-san
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
BUILD    ?= build
CC       ?= gcc
CXX      ?= g++
ifeq ($(SANITIZE),1)
override CC  := $(CC) $(SAN_FLAGS)
override CXX := $(CXX) $(SAN_FLAGS)
endif
VERILATOR ?= verilator
OPT      ?= -O2

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
CFLAGS   := -std=c11 $(OPT) -g $(WARN) -D_GNU_SOURCE -Iinclude -Iclassifier -Ifirmware \
            -Isim -Ihostdrv/lib -MMD -MP
# Firmware and the reference classifier are freestanding: no libc headers.
FWFLAGS  := -std=c11 $(OPT) -g $(WARN) -ffreestanding -Iinclude -Iclassifier -Ifirmware -MMD -MP
CXXFLAGS := -std=c++17 $(OPT) -g -Wall -Iinclude -Iclassifier -Isim -MMD -MP
# The sanitizers' checks change gcc's value-range analysis, which then
# reports bounds it cannot prove: warnings, not errors, in this build.
ifeq ($(SANITIZE),1)
SAN_NOWERR := -Wno-error=format-truncation -Wno-error=stringop-overflow \
              -Wno-error=maybe-uninitialized -Wno-error=array-bounds
CFLAGS  += $(SAN_NOWERR)
FWFLAGS += $(SAN_NOWERR)
endif

ALL   :=
TESTS :=

.PHONY: all deps run test lint bench bench-deps clean install uninstall
all:

include classifier/build.mk
include classifier/bench/bench.mk
include hdl/build.mk
include firmware/build.mk
include sim/build.mk
include hostdrv/build.mk
include hostdrv/bookd/build.mk
include hostdrv/linux/build.mk
include tests/build.mk
include firmware/riscv.mk
include hostdrv/rate.mk
include fuzz/build.mk
include fuzz/sanitize.mk

all: $(ALL)

deps:
	@tools/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@tools/demo.sh $(ARGS)

test: deps
	@$(MAKE) --no-print-directory all $(TESTS)
	@$(SAN_PRE_RUN)
	@$(TEST_RUN)

# One benchmark per part; each writes its measured figures into docs/.
BENCHES := bench-hdl bench-fw bench-rate bench-failover kmod-bench bench-bookd bench-cls bench-sim
bench: bench-deps
	@$(MAKE) --no-print-directory all
	@for b in $(BENCHES); do $(MAKE) --no-print-directory $$b || exit 1; done
	@echo "bench: figures are in docs/benchmarks.md and the pages it links"

# The whole simulated NIC end to end, frames per wall second
# (docs/benchmarks-sim.md).
.PHONY: bench-sim
bench-sim: all
	tests/e2e/bench_sim.sh

bench-deps: deps
	@tools/install-deps.sh deps/debian-bench-packages.txt
synth: bench-deps

clean:
	rm -rf $(BUILD)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# make install: the tools, the library (static, with the reference
# classifier it needs, and its headers), the man page and, when built, the
# firmware image. make uninstall removes exactly these files.
PREFIX  ?= /usr/local
DESTDIR ?=
INST_BIN := $(DESTDIR)$(PREFIX)/bin
INST_LIB := $(DESTDIR)$(PREFIX)/lib
INST_INC := $(DESTDIR)$(PREFIX)/include
INST_MAN := $(DESTDIR)$(PREFIX)/share/man/man8
INST_FW  := $(DESTDIR)$(PREFIX)/share/snic
INSTALL_BINS := $(SNICCTL) $(BOOKD) $(SIM_BIN) $(FWIMG_TOOL)
INSTALL_LIBH := hostdrv/lib/snic.h hostdrv/lib/snic_verbs.h
INSTALL_ABIH := $(wildcard include/snic/*.h)

install: $(INSTALL_BINS) $(SNIC_INSTALL_LIB)
	install -d $(INST_BIN) $(INST_LIB) $(INST_INC)/snic $(INST_MAN)
	install -m 755 $(INSTALL_BINS) $(INST_BIN)/
	install -m 644 $(SNIC_INSTALL_LIB) $(INST_LIB)/libsnic.a
	install -m 644 $(INSTALL_LIBH) $(INST_INC)/
	install -m 644 $(INSTALL_ABIH) $(INST_INC)/snic/
	install -m 644 docs/snicctl.8 $(INST_MAN)/snicctl.8
	@if [ -f $(FW_IMG) ]; then install -d $(INST_FW) && \
		install -m 644 $(FW_IMG) $(INST_FW)/snic-fw.img && echo "install: $(INST_FW)/snic-fw.img"; \
	else echo "install: no firmware image ($(FW_IMG) not built: make fw)"; fi

uninstall:
	rm -f $(addprefix $(INST_BIN)/,$(notdir $(INSTALL_BINS))) $(INST_LIB)/libsnic.a \
		$(addprefix $(INST_INC)/,$(notdir $(INSTALL_LIBH))) \
		$(addprefix $(INST_INC)/snic/,$(notdir $(INSTALL_ABIH))) \
		$(INST_MAN)/snicctl.8 $(INST_FW)/snic-fw.img
	-rmdir $(INST_INC)/snic $(INST_FW) 2>/dev/null || true
