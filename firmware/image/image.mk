# firmware/image: the flashable image format (fwimage.h, bootctl.h), the
# host tool snic-fwimg, and the tests of the update path: the simulated
# flash and boot loader (sim/flash.c) and snicctl flash end to end.
# Included by firmware/riscv.mk.

FWIMG_TOOL := $(BUILD)/bin/snic-fwimg
$(FWIMG_TOOL): firmware/image/snic-fwimg.c include/snic/fwimage.h include/snic/bootctl.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $<

ALL += $(FWIMG_TOOL)

# sim/flash.c with the firmware (fw_init on reboot) and the fake HAL.
SIM_FLASH_TEST := $(BUILD)/sim/unit/test_sim_flash
$(BUILD)/sim/unit/test_sim_flash.o: tests/unit/test_sim_flash.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -c $< -o $@

$(SIM_FLASH_TEST): $(BUILD)/sim/unit/test_sim_flash.o $(BUILD)/sim/flash.o \
                   $(BUILD)/fw/unit/hal_fake.o $(BUILD)/sim/profile.o $(FW_LIB) $(CLASSIFIER_LIB)
	$(CC) -o $@ $^ -lcmocka -lm

TESTS += $(SIM_FLASH_TEST) tests/e2e/test_flash.sh
