# Reference classifier: freestanding, linked into the firmware, the host
# library and the simulator.
CLASSIFIER_SRCS := classifier/parse.c classifier/parse_ipv6.c classifier/match.c \
                   classifier/exact.c classifier/rss.c \
                   classifier/fastcls.c classifier/exact_hash.c
CLASSIFIER_OBJS := $(CLASSIFIER_SRCS:%.c=$(BUILD)/%.o)
CLASSIFIER_LIB  := $(BUILD)/classifier/libclassifier.a

ALL += $(CLASSIFIER_LIB)

$(BUILD)/classifier/%.o: classifier/%.c
	@mkdir -p $(dir $@)
	$(CC) $(FWFLAGS) -c $< -o $@

$(CLASSIFIER_LIB): $(CLASSIFIER_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# Directed unit tests of the reference classifier.
CLASSIFIER_TEST := $(BUILD)/tests/unit/test_classifier
TESTS += $(CLASSIFIER_TEST)

$(CLASSIFIER_TEST): $(BUILD)/tests/unit/test_classifier.o $(CLASSIFIER_LIB)
	$(CC) $^ -lcmocka -o $@

CLASSIFIER_TEST_EXACT := $(BUILD)/tests/unit/test_classifier_exact
TESTS += $(CLASSIFIER_TEST_EXACT)

$(CLASSIFIER_TEST_EXACT): $(BUILD)/tests/unit/test_classifier_exact.o $(CLASSIFIER_LIB)
	$(CC) $^ -lcmocka -o $@

CLASSIFIER_TEST_RSS := $(BUILD)/tests/unit/test_cls_rss
TESTS += $(CLASSIFIER_TEST_RSS)

$(CLASSIFIER_TEST_RSS): $(BUILD)/tests/unit/test_cls_rss.o $(CLASSIFIER_LIB)
	$(CC) $^ -lcmocka -o $@

# Differential tests of the fast classifier against the reference, on the
# HDL differential test's frame and rule generator too.
CLASSIFIER_TEST_FAST := $(BUILD)/tests/unit/test_cls_fast
TESTS += $(CLASSIFIER_TEST_FAST)

$(CLASSIFIER_TEST_FAST): $(BUILD)/tests/unit/test_cls_fast.o $(BUILD)/tests/hdl/pktgen.o $(CLASSIFIER_LIB)
	$(CC) $^ -lcmocka -o $@

CLASSIFIER_TEST_FAST_EXACT := $(BUILD)/tests/unit/test_cls_fast_exact
TESTS += $(CLASSIFIER_TEST_FAST_EXACT)

$(CLASSIFIER_TEST_FAST_EXACT): $(BUILD)/tests/unit/test_cls_fast_exact.o $(CLASSIFIER_LIB)
	$(CC) $^ -lcmocka -o $@

# The host software classifier's incremental updates, through libsnic.
CLASSIFIER_TEST_FAST_SWCLS := $(BUILD)/tests/unit/test_cls_fast_swcls
TESTS += $(CLASSIFIER_TEST_FAST_SWCLS)

$(CLASSIFIER_TEST_FAST_SWCLS): $(BUILD)/tests/unit/test_cls_fast_swcls.o $(BUILD)/hostdrv/libsnic.a \
                               $(CLASSIFIER_LIB)
	$(CC) $^ -lcmocka -lpthread -o $@
