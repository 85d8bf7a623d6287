/* SPDX-License-Identifier: MIT */
/*
 * sim/ivshmem.c: taking the guest's TX doorbell after a nap must never
 * block, whatever the doorbell eventfd's blocking mode: QEMU puts the fds
 * it receives back into blocking mode, and the simulator shares the file
 * description with it. A read of an unrung counter would then wait for
 * the guest's next doorbell (the VM test saw the simulator hang there).
 * An alarm ends the test if a call blocks.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <cmocka.h>
#include "ivshmem.h"

static void ring(int fd, uint64_t n)
{
	assert_int_equal(write(fd, &n, sizeof(n)), (ssize_t)sizeof(n));
}

static void test_unrung_blocking_doorbell_does_not_block(void **state)
{
	(void)state;
	struct sim_ivshmem iv;
	memset(&iv, 0, sizeof(iv));
	iv.kick_fd = eventfd(0, EFD_CLOEXEC); /* blocking, as QEMU leaves it */
	assert_true(iv.kick_fd >= 0);

	alarm(5);
	sim_ivshmem_woken(&iv); /* a nap that ended on its timeout */
	alarm(0);
	assert_int_equal(iv.naps, 1);
	assert_int_equal(iv.kicks, 0);

	ring(iv.kick_fd, 1);
	ring(iv.kick_fd, 1); /* twice in one nap: one counter, one take */
	alarm(5);
	sim_ivshmem_woken(&iv);
	sim_ivshmem_woken(&iv); /* consumed: nothing left, and no wait */
	alarm(0);
	assert_int_equal(iv.naps, 3);
	assert_int_equal(iv.kicks, 1);
	close(iv.kick_fd);
}

static void test_no_guest(void **state)
{
	(void)state;
	struct sim_ivshmem iv;
	memset(&iv, 0, sizeof(iv));
	iv.kick_fd = -1;
	sim_ivshmem_woken(&iv);
	assert_int_equal(iv.kicks, 0);
	assert_int_equal(sim_ivshmem_arm(&iv), -1); /* nobody can ring */
	assert_int_equal(iv.armed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unrung_blocking_doorbell_does_not_block),
		cmocka_unit_test(test_no_guest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
