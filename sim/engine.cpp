// SPDX-License-Identifier: MIT
// sim/engine.h over the Verilated match engine (hdl/snic_match_engine.sv).
// One engine_clock() is one rising edge; inputs presented before it are
// sampled at that edge and withdrawn afterwards, so a packet or a write is
// presented for exactly one edge.
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>

#include "Vsnic_match_engine.h"
#include "verilated.h"

#include "engine.h"

/*
 * A table, exact-slot or RSS write waiting for its port. The ternary
 * table takes an entry write only while its pending slots have room
 * (wr_ready); writes queue here in the order issued and go out in that
 * order, one per port and edge, so no write is lost and none overtakes
 * another (also across tables).
 */
enum wkind { W_TCAM, W_EXACT, W_RSS };
struct pending_write {
	enum wkind kind;
	uint32_t idx;
	bool valid;
	struct snic_rule rule;      /* W_TCAM; action also for W_EXACT */
	uint64_t xkey;              /* W_EXACT */
	struct snic_rss_cfg rss;    /* W_RSS */
};

struct engine {
	std::unique_ptr<VerilatedContext> ctx;
	std::unique_ptr<Vsnic_match_engine> top;
	bool have_out;          // a result came out on the last edge
	uint32_t out_tag;
	struct snic_key out_key;
	struct snic_match out_match;
	std::deque<pending_write> wq;
};

static void put_bytes(uint32_t *words, unsigned nwords, const void *src, size_t n)
{
	std::memset(words, 0, nwords * sizeof(uint32_t));
	if (n) /* src may be NULL: a cleared entry */
		std::memcpy(words, src, n); // little-endian host: byte i -> bits [8i+7:8i]
}

static void edge(struct engine *e)
{
	e->top->clk = 0;
	e->top->eval();
	e->top->clk = 1;
	e->top->eval();
	e->ctx->timeInc(1);
}

static void collect(struct engine *e)
{
	Vsnic_match_engine *t = e->top.get();
	e->have_out = t->out_valid;
	if (!e->have_out)
		return;
	e->out_tag = t->out_tag;
	std::memcpy(&e->out_key, t->out_key.data(), sizeof(e->out_key));
	e->out_match.rule = t->out_rule;
	e->out_match.key_flags = e->out_key.flags;
	e->out_match.rsvd = 0;
	uint64_t act = t->out_action;
	std::memcpy(&e->out_match.action, &act, sizeof(e->out_match.action));
	e->out_match.hash = t->out_hash;
	e->out_match.hash_type = t->out_hash_type;
	std::memset(e->out_match.rsvd1, 0, sizeof(e->out_match.rsvd1));
}

extern "C" struct engine *engine_new(void)
{
	struct engine *e = new engine();
	e->ctx.reset(new VerilatedContext);
	e->top.reset(new Vsnic_match_engine(e->ctx.get()));
	Vsnic_match_engine *t = e->top.get();

	t->rst = 1;
	t->in_valid = 0;
	t->wr_en = 0;
	t->xw_en = 0;
	t->rw_en = 0;
	for (int i = 0; i < 4; i++)
		edge(e);
	t->rst = 0;
	// Clear every entry through the write port: this is what zeroes the
	// hit counters (they are memory, not reset), as the firmware does.
	unsigned depth = t->depth;
	for (unsigned i = 0; i < depth; i++) {
		engine_write(e, i, nullptr);
		engine_clock(e);
	}
	for (unsigned i = 0; i < 2u * t->latency; i++)
		engine_clock(e);
	// The exact table's block RAM empties itself after reset.
	while (!t->xw_ready)
		engine_clock(e);
	e->have_out = false;
	return e;
}

extern "C" void engine_free(struct engine *e)
{
	if (!e)
		return;
	e->top->final();
#if VM_COVERAGE
	// Coverage build (make coverage): write what this engine covered.
	const char *path = std::getenv("ENGINE_COVERAGE_FILE");
	e->ctx->coveragep()->write(path ? path : "coverage.dat");
#endif
	delete e;
}

enum model_const_id { MC_DEPTH, MC_LATENCY, MC_EXACT, MC_FIELDS };

static unsigned model_const(enum model_const_id id)
{
	static unsigned depth, latency, exact, fields;
	if (!latency) {
		VerilatedContext ctx;
		Vsnic_match_engine t(&ctx);
		t.eval();
		depth = t.depth;
		latency = t.latency;
		exact = t.exact_slots;
		fields = t.key_fields;
		t.final();
	}
	return id == MC_DEPTH ? depth : id == MC_LATENCY ? latency : id == MC_EXACT ? exact : fields;
}

extern "C" unsigned engine_depth(void)
{
	return model_const(MC_DEPTH);
}

extern "C" unsigned engine_latency(void)
{
	return model_const(MC_LATENCY);
}

extern "C" unsigned engine_exact_slots(void)
{
	return model_const(MC_EXACT);
}

extern "C" unsigned engine_key_fields(void)
{
	return model_const(MC_FIELDS);
}

extern "C" void engine_exact_write(struct engine *e, uint32_t slot, uint64_t xkey,
				   const struct snic_action *action)
{
	pending_write w = {};
	w.kind = W_EXACT;
	w.idx = slot;
	w.valid = action != nullptr;
	w.xkey = action ? xkey : 0;
	if (action)
		w.rule.action = *action;
	e->wq.push_back(w);
}

extern "C" void engine_write(struct engine *e, uint32_t idx, const struct snic_rule *rule)
{
	pending_write w = {};
	w.kind = W_TCAM;
	w.idx = idx;
	w.valid = rule != nullptr;
	if (rule)
		w.rule = *rule;
	e->wq.push_back(w);
}

extern "C" void engine_rss_write(struct engine *e, const struct snic_rss_cfg *cfg)
{
	pending_write w = {};
	w.kind = W_RSS;
	w.valid = cfg != nullptr;
	if (cfg)
		w.rss = *cfg;
	e->wq.push_back(w);
}

extern "C" int engine_write_ready(struct engine *e)
{
	return e->wq.empty() && e->top->wr_ready && e->top->xw_ready;
}

extern "C" uint32_t engine_write_drops(struct engine *e)
{
	return e->top->wr_drops + e->top->xw_drops;
}

static void drive(Vsnic_match_engine *t, const pending_write *w)
{
	uint64_t act = 0;
	std::memcpy(&act, &w->rule.action, sizeof(w->rule.action));
	uint32_t idx = w->idx > 0xffffu ? 0xffffu : w->idx; // out of range: ignored by the HDL
	switch (w->kind) {
	case W_TCAM:
		t->wr_en = 1;
		t->wr_idx = idx;
		t->wr_valid = w->valid;
		put_bytes(t->wr_value.data(), 16, &w->rule.value, w->valid ? sizeof(w->rule.value) : 0);
		put_bytes(t->wr_mask.data(), 16, &w->rule.mask, w->valid ? sizeof(w->rule.mask) : 0);
		t->wr_action = w->valid ? act : 0;
		break;
	case W_EXACT:
		t->xw_en = 1;
		t->xw_slot = idx;
		t->xw_valid = w->valid;
		t->xw_xkey = w->xkey;
		t->xw_action = w->valid ? act : 0;
		break;
	case W_RSS:
		t->rw_en = 1;
		put_bytes(t->rw_key.data(), 10, w->rss.key, w->valid ? sizeof(w->rss.key) : 0);
		t->rw_types = w->valid ? w->rss.types : 0;
		break;
	}
}

/* Queued writes onto the ports for the next edge, in order, while the
 * head's port is free this edge and (entry writes) the table has room. */
static void present_writes(struct engine *e)
{
	Vsnic_match_engine *t = e->top.get();
	bool used[3] = {false, false, false};
	while (!e->wq.empty()) {
		const pending_write &w = e->wq.front();
		if (used[w.kind] || (w.kind == W_TCAM && w.valid && !t->wr_ready) ||
		    (w.kind == W_EXACT && !t->xw_ready))
			break;
		drive(t, &w);
		used[w.kind] = true;
		e->wq.pop_front();
	}
}

extern "C" void engine_push(struct engine *e, const uint8_t *frame, uint32_t caplen,
			    uint32_t frame_len, uint8_t port, uint32_t tag)
{
	Vsnic_match_engine *t = e->top.get();
	uint32_t n = caplen < ENGINE_HDR_BYTES ? caplen : ENGINE_HDR_BYTES;
	uint32_t usable = caplen < frame_len ? caplen : frame_len;

	put_bytes(t->in_hdr.data(), ENGINE_HDR_BYTES / 4, frame, n);
	t->in_len = usable > 0xffffu ? 0xffffu : usable;
	t->in_port = port;
	t->in_tag = tag;
	t->in_valid = 1;
}

extern "C" void engine_clock(struct engine *e)
{
	present_writes(e);
	edge(e);
	collect(e);
	e->top->in_valid = 0;
	e->top->wr_en = 0;
	e->top->xw_en = 0;
	e->top->rw_en = 0;
}

extern "C" int engine_pop(struct engine *e, uint32_t *tag, struct snic_key *key,
			  struct snic_match *m)
{
	if (!e->have_out)
		return 0;
	e->have_out = false;
	if (tag)
		*tag = e->out_tag;
	if (key)
		*key = e->out_key;
	if (m)
		*m = e->out_match;
	return 1;
}

extern "C" uint64_t engine_hits(struct engine *e, uint32_t idx)
{
	Vsnic_match_engine *t = e->top.get();
	t->cnt_idx = idx > 0xffffu ? 0xffffu : idx;
	t->eval();
	return t->cnt_data;
}
