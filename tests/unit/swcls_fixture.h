/* SPDX-License-Identifier: MIT */
/*
 * Shared by the software classifier tests (test_lib_swcls.c,
 * test_lib_swfallback.c): a fake RUNNING card (test_lib_fakewin.h) opened
 * with a state file of its own per test process, removed afterwards.
 */
#ifndef SWCLS_FIXTURE_H
#define SWCLS_FIXTURE_H

#include <stdio.h>
#include <unistd.h>
#include "snic_impl.h"
#include "test_lib_fakewin.h"

static uint8_t *win;
static struct snic_dev *dev;
static char state_path[64];

static int setup(void **state)
{
	(void)state;
	win = fw_build();
	dev = snic_alloc();
	assert_int_equal(snic_attach(dev, win, FW_SIZE), 0);
	snprintf(state_path, sizeof(state_path), "/tmp/snic-test-swcls-%d.state", (int)getpid());
	unlink(state_path);
	snic_set_state_path(dev, state_path);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	snic_close(dev);
	free(win);
	unlink(state_path);
	return 0;
}

#endif
