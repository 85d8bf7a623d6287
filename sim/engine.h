/* SPDX-License-Identifier: MIT */
/*
 * C interface to the Verilated match engine (hdl/snic_match_engine.sv).
 * One call to engine_clock() is one rising clock edge. Inputs set before
 * the edge (a packet and/or a table write) are sampled at that edge; a
 * packet presented at edge N produces its result, with the same tag, after
 * exactly engine_latency() edges.
 */
#ifndef SNIC_SIM_ENGINE_H
#define SNIC_SIM_ENGINE_H

#include <stdint.h>
#include <snic/cls.h>
#include <snic/rss.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ENGINE_HDR_BYTES 128 /* header vector the parser sees */

struct engine;

struct engine *engine_new(void);
void engine_free(struct engine *e);

unsigned engine_depth(void);    /* ternary entries in the Verilated model */
unsigned engine_latency(void);  /* cycles from packet in to result out */

/*
 * Present a table write for the next edge (rule == NULL clears the entry).
 * Writes of all three kinds (table, exact slot, RSS) are taken in the
 * order issued, one per kind and edge; an entry write waits while the
 * table's pending-write slots are full (hdl wr_ready), and writes issued
 * after it wait behind it. engine_write_ready() says whether a write
 * issued now (of any kind) is taken at the next edge; only then does a packet pushed for
 * the same edge see it, as documented below.
 */
void engine_write(struct engine *e, uint32_t idx, const struct snic_rule *rule);
int engine_write_ready(struct engine *e);
/* Writes the HDL refused (no pending slot; exact table still emptying
 * after reset): 0 unless the ports are misused. */
uint32_t engine_write_drops(struct engine *e);
/* Present a packet for the next edge: first min(caplen, 128) bytes. */
void engine_push(struct engine *e, const uint8_t *frame, uint32_t caplen,
		 uint32_t frame_len, uint8_t port, uint32_t tag);
void engine_clock(struct engine *e);
/* After a clock: 1 and the result if a packet came out on this edge. */
int engine_pop(struct engine *e, uint32_t *tag, struct snic_key *key,
	       struct snic_match *m);
/* Hit counter of one entry (read port; valid after engine_clock). */
uint64_t engine_hits(struct engine *e, uint32_t idx);

/*
 * Exact-match table (classifier/exact.h): number of slots in the model
 * (2 ways x buckets x 4), and a slot write presented for the next edge,
 * like engine_write (action == NULL clears the slot). A result with
 * rule >= SNIC_RULE_EXACT came from slot rule - SNIC_RULE_EXACT.
 */
unsigned engine_exact_slots(void);
/* SNIC_FIELD_* the model's ternary table stores (its KEY_FIELDS): a rule
 * masking a byte of any other field would match wrongly; the firmware
 * refuses those for a profile that does not advertise them. */
unsigned engine_key_fields(void);
void engine_exact_write(struct engine *e, uint32_t slot, uint64_t xkey,
			const struct snic_action *action);

/*
 * RSS configuration (rss.h): key and enabled types presented for the next
 * edge, like engine_write (cfg == NULL turns hashing off). Every packet
 * presented at that edge or later uses the new configuration, every
 * earlier one the old: never a mixture. Results carry the hash in
 * snic_match.hash / hash_type.
 */
void engine_rss_write(struct engine *e, const struct snic_rss_cfg *cfg);

#ifdef __cplusplus
}
#endif
#endif
