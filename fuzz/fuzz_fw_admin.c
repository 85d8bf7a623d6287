// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the firmware's admin decoder, many commands per input on
 * the real admin path (ring, decoder, tables) of the small card, with
 * wire frames and firmware update commands (an in-memory flash) between, the state checked against a model of what was
 * accepted (tests/unit/fw_admin_model.h: every VNIC and rule queried
 * back at the end). The fuzzer's bytes are the model's choices: which
 * command, which ids, locations, MACs, VLANs, reserved bits, garbage.
 *
 * Input: a stream of choice bytes; a 0xf7 byte followed by a length byte
 * and that many bytes is a frame from the wire instead. Each input starts
 * from RESET (an admin command), not from a reboot: booting per input
 * would cost more than the input. A divergence, crash or sanitizer report
 * is a finding.
 */
#include <string.h>
#include "fw_adapter.h"
#include "fw_admin_model.h"
#include "fuzz_util.h"

#define FZ_FRAME_MARK 0xf7

struct feed {
	const uint8_t *p;
	size_t left;
};

static uint32_t next_choice(void *ctx)
{
	struct feed *f = ctx;
	uint8_t frame[2048];

	while (f->left >= 2 && f->p[0] == FZ_FRAME_MARK) {
		size_t n = f->p[1];
		f->p += 2, f->left -= 2;
		if (n > f->left)
			n = f->left;
		memset(frame, 0, sizeof(frame));    /* the parser reads 128 bytes */
		memcpy(frame, f->p, n);
		fwa_frame(frame, n < 14 ? 14 : (uint32_t)n, (uint8_t)(n & 1));
		f->p += n, f->left -= n;
	}
	if (!f->left)
		return 0;
	f->left--;
	return *f->p++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fwm m;
	static int booted;
	struct feed f = { data, size };

	if (!booted) {
		fwa_boot("small");
		booted = 1;
	}
	memset(&m, 0, sizeof(m));
	m.admin = fwa_admin;
	m.win = fwa_win;
	m.rnd = next_choice;
	m.rnd_ctx = &f;
	FZ_CHECK(fwa_admin(SNIC_CMD_RESET, NULL, 0, NULL) == SNIC_OK);
	FZ_CHECK(fwm_init(&m) == 0);
	while (f.left && m.commands < 512) {
		if (fwm_step(&m)) {
			fprintf(stderr, "divergence: %s\n", m.why);
			FZ_CHECK(0);
		}
	}
	if (fwm_check(&m)) {
		fprintf(stderr, "divergence: %s\n", m.why);
		FZ_CHECK(0);
	}
	return 0;
}
