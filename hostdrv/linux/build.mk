# hostdrv/linux: the snic.ko kernel module and its QEMU test.
#   make kmod    build $(BUILD)/kmod/snic.ko with W=1 (a warning fails it)
#   make vmtest  boot Debian's kernel under QEMU against snic-sim, drive
#                the module with real ip/ethtool (tests/vm/run.sh)
# The module is built from a copy under $(BUILD)/kmod so the source tree
# stays free of Kbuild's output.
KMOD_KVER ?= $(shell ls /usr/src 2>/dev/null | sed -n 's/^linux-headers-\(.*-amd64\)$$/\1/p' | sort -V | tail -1)
KMOD_KDIR ?= /usr/src/linux-headers-$(KMOD_KVER)
KMOD_DIR  := $(BUILD)/kmod
KMOD_SRCS := $(wildcard hostdrv/linux/*.c hostdrv/linux/*.h) hostdrv/linux/Kbuild
KMOD      := $(KMOD_DIR)/snic.ko

$(KMOD): $(KMOD_SRCS) $(wildcard include/snic/*.h)
	@test -d $(KMOD_KDIR) || { echo "kmod: no kernel headers in '$(KMOD_KDIR)' (apt-get install linux-headers-amd64)"; exit 1; }
	@mkdir -p $(KMOD_DIR)
	cp $(KMOD_SRCS) $(KMOD_DIR)/
	$(MAKE) -C $(KMOD_KDIR) M=$(abspath $(KMOD_DIR)) SNIC_INC=$(abspath include) W=1 modules \
		2>&1 | tee $(KMOD_DIR)/build.log
	@! grep -E 'warning:|error:' $(KMOD_DIR)/build.log || { echo "kmod: warnings are errors"; rm -f $@; exit 1; }
	@test -f $@

.PHONY: kmod vmtest
kmod: $(KMOD)

vmtest: $(KMOD) $(BUILD)/bin/snic-sim $(BUILD)/bin/snic_vm_frames
	tests/vm/run.sh

$(BUILD)/bin/snic_vm_frames: tests/vm/vm_frames.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $<
