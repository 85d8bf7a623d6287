/* SPDX-License-Identifier: MIT */
/*
 * Fault injection on the uplink cables at chosen virtual times.
 *
 * A fault plan is a list of events sorted by time (stable: events at the
 * same time apply in the order given). One event per line in a script:
 *
 *     TIME UPLINK ACTION [ARGS]     # comment
 *
 * TIME is a number with a unit: ns, us, ms or s ("1.5ms", "250us").
 * Actions:
 *   down                 carrier lost on both ends; frames on the cable die
 *   up                   carrier back
 *   flap PERIOD COUNT    COUNT times: down, then up after PERIOD, then
 *                        down again after another PERIOD
 *   blackhole [tx|rx|both]  link stays up, frames vanish silently (default
 *                        both; tx = frames the NIC sends, rx = towards it)
 *   heal                 end any blackhole
 *   txfull               the NIC's TX resources on the uplink are exhausted
 *                        (every transmit attempt is refused, "no room")
 *   txok                 TX resources back
 */
#ifndef SNIC_SIM_FAULT_H
#define SNIC_SIM_FAULT_H

#include <stddef.h>
#include <stdint.h>

struct nic;

enum fault_kind {
	FAULT_DOWN = 1,
	FAULT_UP,
	FAULT_BLACKHOLE,
	FAULT_HEAL,
	FAULT_TXFULL,
	FAULT_TXOK,
};

struct fault_ev {
	uint64_t at_ns;
	uint8_t  uplink;
	uint8_t  kind;     /* enum fault_kind */
	uint8_t  dirs;     /* FAULT_BLACKHOLE: NIC_BH_* */
};

struct fault_plan {
	struct fault_ev *ev;
	uint32_t n, cap;
	uint32_t next;     /* first event not applied yet */
	uint64_t applied;
};

void fault_plan_init(struct fault_plan *p);
void fault_plan_free(struct fault_plan *p);

/*
 * Parse one script line (flap expands into several events). Returns the
 * number of events added (0 for a blank or comment line), or -1 with a
 * message in err. `max_uplinks` bounds the uplink number.
 */
int fault_parse_line(struct fault_plan *p, const char *line, unsigned max_uplinks,
		     char *err, size_t errlen);
/* Load a script file; -1 with a message on stderr naming the line. */
int fault_load(struct fault_plan *p, const char *path, unsigned max_uplinks);
/* Add one event, keeping the plan sorted; -1 out of memory. */
int fault_add(struct fault_plan *p, const struct fault_ev *e);

/* Time of the next event not applied yet, UINT64_MAX if none. */
uint64_t fault_next_ns(const struct fault_plan *p);
/* Apply every event due at or before `now` to the NIC's uplinks. */
void fault_run(struct fault_plan *p, struct nic *n, uint64_t now);
/* Apply one event now. */
void fault_apply(struct nic *n, const struct fault_ev *e);

/* "1.5ms" -> 1500000; -1 on a malformed or out-of-range time. */
int fault_parse_time(const char *s, uint64_t *ns);

#endif
