# fuzz/: libFuzzer targets for every decoder of untrusted input (Debian's
# clang: -fsanitize=fuzzer with ASan + UBSan, no recovery), each with a
# seed corpus in fuzz/corpus/<target>/ (seeds and regression inputs).
#
#   make fuzz-sw      each target for FUZZ_TIME seconds (default 60); figures
#                     (execs, coverage, corpus) into $(FUZZ_DIR)/results/
#   make fuzz         also runs fuzz-sw (hdl/build.mk's HDL/C agreement run)
#   make reliability  fuzz-sw, then docs/reliability.md from its results
#                     (make reliability-doc: the page from the results there)
#   make test         a short pass per target: replay its corpus, then fuzz
#                     FUZZ_TEST_TIME seconds (registered tests)
#
# The targets build their own copies of the code under test with clang, in
# $(FUZZ_DIR); the firmware is reached only through fuzz/fw_adapter.c.

FUZZ_CC   ?= clang
FUZZ_DIR  := $(BUILD)/fuzz
FUZZ_TIME ?= 60
FUZZ_TEST_TIME ?= 3
FUZZ_SAN  := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=c11 -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link -fno-omit-frame-pointer -MMD -MP \
               -D_GNU_SOURCE -Wall -Iinclude -Iclassifier -Ifirmware -Isim -Ihostdrv/lib \
               -Ihostdrv/bookd -Itests/unit -Ifuzz -Wno-unknown-pragmas
# The code under test keeps the warnings its own build makes errors; the
# targets themselves are held to -Werror.
FUZZ_OWN_FLAGS := -Werror -Wextra -Wshadow

FUZZ_TARGETS := parse args win fwimg pcap booking etcd fw_admin

$(FUZZ_DIR)/obj/fuzz/%.o: fuzz/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_OWN_FLAGS) -c $< -o $@

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

# Firmware and classifier as they are built: freestanding.
$(FUZZ_DIR)/obj/firmware/%.o $(FUZZ_DIR)/obj/classifier/%.o: FUZZ_CFLAGS += -ffreestanding

fz_objs = $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(1))
FZ_CLS   := $(call fz_objs,$(CLASSIFIER_SRCS))
FZ_SNIC  := $(call fz_objs,$(HOSTDRV_LIB_SRCS))
FZ_BOOKD := $(call fz_objs,$(BOOKD_LIB_SRCS))
FZ_FW    := $(call fz_objs,$(FW_SRCS) tests/unit/hal_fake.c tests/unit/test_fw_util.c sim/profile.c)

$(FUZZ_DIR)/libcls.a: $(FZ_CLS)
$(FUZZ_DIR)/libsnic.a: $(FZ_SNIC)
$(FUZZ_DIR)/libbookd.a: $(FZ_BOOKD)
$(FUZZ_DIR)/libfw.a: $(FZ_FW)
$(FUZZ_DIR)/libcls.a $(FUZZ_DIR)/libsnic.a $(FUZZ_DIR)/libbookd.a $(FUZZ_DIR)/libfw.a:
	rm -f $@ && ar rcs $@ $^

FZ_LIBS_parse    := $(FUZZ_DIR)/libcls.a
FZ_LIBS_args     := $(FUZZ_DIR)/libsnic.a $(FUZZ_DIR)/libcls.a -lpthread
FZ_LIBS_win      := $(FUZZ_DIR)/libsnic.a $(FUZZ_DIR)/libcls.a -lpthread
FZ_LIBS_fwimg    := $(call fz_objs,sim/flash.c) $(FUZZ_DIR)/libfw.a $(FUZZ_DIR)/libcls.a -lcmocka
FZ_LIBS_pcap     := $(call fz_objs,sim/pcap_io.c) -lpcap
FZ_LIBS_booking  := $(FUZZ_DIR)/libbookd.a $(FUZZ_DIR)/libsnic.a $(FUZZ_DIR)/libcls.a \
                    -lcurl -ljson-c -lm -lpthread
FZ_LIBS_etcd     := $(FZ_LIBS_booking)
FZ_LIBS_fw_admin := $(call fz_objs,fuzz/fw_adapter.c sim/flash.c) $(FUZZ_DIR)/libfw.a $(FUZZ_DIR)/libcls.a \
                    -lcmocka -lm

FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
.SECONDEXPANSION:
$(FUZZ_BINS): $(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/fuzz/fuzz_%.o $$(filter-out -l%,$$(FZ_LIBS_$$*))
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< $(FZ_LIBS_$*)

.PHONY: fuzz-sw fuzz-build reliability reliability-doc
fuzz-build: $(FUZZ_BINS)

fuzz-sw: $(FUZZ_BINS)
	@for t in $(FUZZ_TARGETS); do \
		fuzz/run.sh fuzz $(FUZZ_DIR) $$t $(FUZZ_TIME) || exit 1; done

fuzz: fuzz-sw

# Fault campaigns (tests/e2e/fault_campaign.sh), every one FAULT_SCALE
# times over, results into $(FAULT_DIR) for the page; fails on any "not ok".
FAULT_SCALE ?= 2
FAULT_DIR   := $(FUZZ_DIR)/results/faults
.PHONY: fault-campaign
fault-campaign: $(SIM_BIN) $(SNICCTL) $(BOOKD) $(FWIMG_TOOL) $(FW_IMG) $(RATE_TOOLS)
	@rm -rf $(FAULT_DIR) && mkdir -p $(FAULT_DIR)
	FAULT_SCALE=$(FAULT_SCALE) tests/e2e/fault_campaign.sh $(FAULT_DIR) | tee $(FAULT_DIR)/tap.log
	@! grep -q '^not ok' $(FAULT_DIR)/tap.log

# The admin model test is part of the page: run it here for its figures.
# reliability-doc writes the page from the results already there.
reliability: fuzz-sw
	@mkdir -p $(FUZZ_DIR)/results
	$(MAKE) --no-print-directory fuzz-isolation > $(FUZZ_DIR)/results/isolation.log 2>&1
	tests/e2e/test_rate_determinism.sh > $(FUZZ_DIR)/results/determinism.log 2>&1
	-$(MAKE) --no-print-directory fault-campaign
	@$(MAKE) --no-print-directory reliability-doc

reliability-doc: $(BUILD)/fw/unit/test_fw_admin_model
	@mkdir -p $(FUZZ_DIR)/results
	$(BUILD)/fw/unit/test_fw_admin_model > $(FUZZ_DIR)/results/admin_model.log 2>&1
	fuzz/reliability.sh $(FUZZ_DIR) build-san/san-run.txt > docs/reliability.md.tmp
	mv docs/reliability.md.tmp docs/reliability.md
	@echo "reliability: docs/reliability.md"

# make test: one registered test per target (replay + a short run).
FUZZ_TESTS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/test_fuzz_%)
$(FUZZ_TESTS): $(FUZZ_DIR)/test_fuzz_%: $(FUZZ_DIR)/fuzz_% fuzz/run.sh fuzz/build.mk
	printf '#!/bin/sh\n# generated by fuzz/build.mk\nexec %s test %s %s %s\n' \
		"$(CURDIR)/fuzz/run.sh" "$(abspath $(FUZZ_DIR))" '$*' '$(FUZZ_TEST_TIME)' > $@
	chmod +x $@

TESTS += $(FUZZ_TESTS)
