# hostdrv: the user-space driver library (libsnic.a) and the snicctl tool.

# hostdrv/proto: the window protocol shared with the kernel driver.
HOSTDRV_LIB_SRCS := $(wildcard hostdrv/lib/*.c) $(wildcard hostdrv/proto/*.c)
HOSTDRV_LIB_OBJS := $(HOSTDRV_LIB_SRCS:%.c=$(BUILD)/%.o)
HOSTDRV_LIB      := $(BUILD)/hostdrv/libsnic.a

HOSTDRV_TOOL_SRCS := $(wildcard hostdrv/tools/*.c)
HOSTDRV_TOOL_OBJS := $(HOSTDRV_TOOL_SRCS:%.c=$(BUILD)/%.o)
SNICCTL           := $(BUILD)/bin/snicctl

# The software classifier links the reference classifier (classifier/).
HOSTDRV_CLS_LIB   := $(BUILD)/classifier/libclassifier.a
HOSTDRV_LDLIBS    := $(HOSTDRV_LIB) $(HOSTDRV_CLS_LIB)

$(HOSTDRV_LIB): $(HOSTDRV_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(SNICCTL): $(HOSTDRV_TOOL_OBJS) $(HOSTDRV_LDLIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(HOSTDRV_TOOL_OBJS) $(SNICCTL_EXTRA_LIBS) $(HOSTDRV_LDLIBS) -lpcap -lpthread

ALL += $(HOSTDRV_LIB) $(SNICCTL)

# Unit tests of the library: tests/unit/test_lib_*.c, each its own program.
HOSTDRV_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/test_lib_*.c))

$(BUILD)/tests/unit/test_lib_%: $(BUILD)/tests/unit/test_lib_%.o $(HOSTDRV_LDLIBS)
	$(CC) $(CFLAGS) -o $@ $< $(HOSTDRV_LDLIBS) -lcmocka -lpthread

# Keep the test objects (make would delete them as intermediates).
.SECONDARY: $(HOSTDRV_TESTS:%=%.o)

# The snicctl test runs the built tool.
$(BUILD)/tests/unit/test_lib_snicctl: $(SNICCTL)

TESTS += $(HOSTDRV_TESTS)

.PHONY: hostdrv
hostdrv: $(HOSTDRV_LIB) $(SNICCTL) $(HOSTDRV_TESTS)

# verbs flow specs (hostdrv/lib/verbs_flow.c, snic_verbs.h): the example
# program written against the verbs structures, and its end-to-end test.
VERBS_STEER := $(BUILD)/bin/verbs_steer

$(VERBS_STEER): $(BUILD)/examples/verbs_steer.o $(HOSTDRV_LDLIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(HOSTDRV_LDLIBS) -lpthread

ALL   += $(VERBS_STEER)
TESTS += tests/e2e/test_verbs_steer.sh tests/e2e/test_install.sh

# The library as make install ships it: libsnic with the reference
# classifier its software classifier calls, so programs link one archive.
SNIC_INSTALL_LIB := $(BUILD)/install/libsnic.a

$(SNIC_INSTALL_LIB): $(HOSTDRV_LIB_OBJS) $(CLASSIFIER_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^
