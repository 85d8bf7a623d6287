/* SPDX-License-Identifier: MIT */
#include <string.h>
#include <snic/abi.h>
#include "lockstep.h"
#include "window.h"

void lockstep_init(struct lockstep *ls, double grace_s)
{
	memset(ls, 0, sizeof(*ls));
	ls->grace_s = grace_s;
}

int lockstep_hold(struct lockstep *ls, const uint8_t *win, uint32_t size, double now)
{
	/* Once per step: walk the chain only when the block moved (a reset). */
	const struct snic_blk_queues *q = (const void *)(win + ls->txq_off);
	if (!ls->txq_off || q->hdr.type != SNIC_BLK_TXQ) {
		q = sim_window_queues(win, size, SNIC_BLK_TXQ);
		ls->txq_off = q ? (uint32_t)((const uint8_t *)q - win) : 0;
	}
	ls->latched = 0;
	if (!q || q->stride < sizeof(struct snic_txq) ||
	    q->first + (uint64_t)q->stride * q->count > size)
		return 0;
	int hold = 0;
	for (uint32_t r = 0; r < q->count && r < LOCKSTEP_RINGS; r++) {
		const struct snic_txq *t = (const void *)(win + q->first + r * q->stride);
		uint32_t prod = __atomic_load_n(&t->desc_prod, __ATOMIC_ACQUIRE);
		uint32_t cons = __atomic_load_n(&t->desc_cons, __ATOMIC_RELAXED);
		uint32_t depth = t->size < LOCKSTEP_DEPTH ? t->size : LOCKSTEP_DEPTH;
		if (prod != ls->last_prod[r]) {
			/* What a ring held before we looked is no stream of ours. */
			if (ls->started)
				ls->moved_at[r] = now;
			ls->last_prod[r] = prod;
		}
		if (ls->moved_at[r] > 0 && now - ls->moved_at[r] < ls->grace_s &&
		    prod - cons < depth)
			hold = 1;
	}
	ls->started = 1;
	ls->latched = q->count < LOCKSTEP_RINGS ? q->count : LOCKSTEP_RINGS;
	return hold;
}
