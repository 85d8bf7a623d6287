# hostdrv/linux: the snic.ko kernel module and its QEMU test.
#   make kmod    build $(BUILD)/kmod/snic.ko with W=1 (any warning fails it)
#   make vmtest  boot Debian's kernel under QEMU against snic-sim and drive
#                the module with the real ip and ethtool (tests/vm/test_vm.sh)
# The module is built from a copy in a private directory under $(BUILD)
# (the source tree stays free of Kbuild's output, and two makes building
# it at once do not trample each other), then moved into $(BUILD)/kmod.
# It needs linux-headers-amd64 (make deps); `all` builds it whenever
# those headers are installed.
KMOD_KVER ?= $(shell ls /usr/src 2>/dev/null | sed -n 's/^linux-headers-\(.*-amd64\)$$/\1/p' | sort -V | tail -1)
KMOD_KDIR ?= /usr/src/linux-headers-$(KMOD_KVER)
KMOD_DIR  := $(BUILD)/kmod
# hostdrv/proto: the window protocol shared with libsnic, built into snic.ko.
KMOD_SRCS := $(wildcard hostdrv/linux/*.c hostdrv/linux/*.h hostdrv/proto/*.c hostdrv/proto/*.h) \
	     hostdrv/linux/Kbuild
KMOD      := $(KMOD_DIR)/snic.ko
VM_FRAMES := $(BUILD)/bin/snic_vm_frames
VM_BLAST  := $(BUILD)/bin/snic_vm_blast
VM_TCP    := $(BUILD)/bin/snic_vm_tcp
VM_VLANPEER := $(BUILD)/bin/snic_vm_vlanpeer

$(KMOD): $(KMOD_SRCS) $(wildcard include/snic/*.h)
	@test -f $(KMOD_KDIR)/Makefile || { echo "kmod: no kernel headers in '$(KMOD_KDIR)' (make deps)"; exit 1; }
	@mkdir -p $(KMOD_DIR)
	@tmp=$$(mktemp -d $(abspath $(BUILD))/kmod-build.XXXXXX) && cp $(KMOD_SRCS) $$tmp/ && \
	$(MAKE) -C $(KMOD_KDIR) M=$$tmp SNIC_INC=$(abspath include) W=1 \
		modules >$$tmp/build.log 2>&1; rc=$$?; cat $$tmp/build.log; \
	cp $$tmp/build.log $(KMOD_DIR)/build.log; \
	if [ $$rc -ne 0 ] || grep -qE 'warning:|error:' $$tmp/build.log; then \
		echo "kmod: build failed or warned (W=1 warnings are errors)"; rm -rf $$tmp; exit 1; fi; \
	mv -f $$tmp/snic.ko $@ && rm -rf $$tmp

$(VM_FRAMES): tests/vm/vm_frames.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $<

# Runs inside the guest: static, so it needs nothing from the initramfs.
$(VM_BLAST): tests/vm/vm_blast.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -static -o $@ $<

# TCP transfers, in the guest and in the host's network namespace.
$(VM_TCP): tests/vm/vm_tcp.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -static -o $@ $<

# The TAP peer's VLAN side, in the host's network namespace.
$(VM_VLANPEER): tests/vm/vm_vlanpeer.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $<

.PHONY: kmod vmtest kmod-bench
kmod: $(KMOD)

vmtest: $(KMOD) $(BUILD)/bin/snic-sim $(BUILD)/bin/snicctl $(BOOKD) $(VM_FRAMES) $(VM_BLAST) $(VM_TCP) $(VM_VLANPEER)
	BUILD=$(BUILD) tests/vm/test_vm.sh

# Guest driver + simulated NIC throughput (docs/kmod.md); not a test.
kmod-bench: $(KMOD) $(BUILD)/bin/snic-sim $(BUILD)/bin/snicctl $(VM_FRAMES) $(VM_BLAST) $(VM_TCP)
	BUILD=$(BUILD) tests/vm/test_vm.sh bench

ifneq ($(wildcard $(KMOD_KDIR)/Makefile),)
ALL += $(KMOD)
endif
ALL   += $(VM_FRAMES) $(VM_BLAST) $(VM_TCP) $(VM_VLANPEER)
TESTS += tests/vm/test_vm.sh
