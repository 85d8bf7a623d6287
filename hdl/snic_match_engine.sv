// SPDX-License-Identifier: MIT
// Match engine top: header parser -> ternary table and exact-match table in
// parallel -> one combining register (ternary hit, else exact hit, else
// miss; classifier/exact.h snic_classify). One packet per clock,
// fixed latency LATENCY edges from the edge that samples in_valid to the
// edge that raises out_valid (counting both: a packet sampled at edge 1
// comes out at edge LATENCY). Table writes are delayed so that a write
// sampled at the same edge as a packet, or earlier, is seen by that packet,
// and a write sampled later is not: the reference model applies writes and
// packets in the order they were presented. The RSS configuration (hash
// key and enabled types) is written the same way, through its own port
// and the same delay, and the RSS hash (snic_rss_hash, as many stages as
// the ternary table) comes out with the match result: no added latency.
// The ternary table stores only the key bytes of the fields the profile
// matches on (KEY_FIELDS; snic_key_fields_bytes() in include/snic/cls.h):
// the firmware refuses rules on other fields, so the rest of the key can
// never be masked and need not be held. The key itself goes on whole.
`default_nettype none

module snic_match_engine #(
    parameter int DEPTH    = 1024, // ternary entries
    parameter int EXACT_BUCKETS = 2048, // exact-match buckets per way (x2 ways x4 slots)
    parameter int TAG_BITS = 32,   // caller's tag, returned with the result
    parameter logic [15:0] KEY_FIELDS = 16'h3fff // SNIC_FIELD_* the ternary table stores
) (
    input  wire                 clk,
    input  wire                 rst,        // synchronous, active high
    // packet in
    input  wire                 in_valid,
    input  wire [1023:0]        in_hdr,     // first 128 header bytes, byte i = [8*i+7:8*i]
    input  wire [15:0]          in_len,     // usable bytes: min(captured, frame length)
    input  wire [7:0]           in_port,
    input  wire [TAG_BITS-1:0]  in_tag,
    // table write port (one whole entry, atomically). An entry write
    // (wr_valid 1) may be presented only while wr_ready is high; clears
    // are always taken. A refused write is counted in wr_drops.
    output logic                wr_ready,
    output logic [31:0]         wr_drops,
    input  wire                 wr_en,
    input  wire [15:0]          wr_idx,
    input  wire                 wr_valid,   // 0 clears the entry
    // (only the bytes of KEY_FIELDS are used)
    input  wire [511:0]         wr_value,
    input  wire [511:0]         wr_mask,
    input  wire [63:0]          wr_action,  // struct snic_action image, byte i = [8*i+7:8*i]
    // exact-match slot write port (one whole slot, atomically); taken
    // while xw_ready (low for EXACT_BUCKETS clocks after rst: the block
    // RAM is being emptied), else refused and counted in xw_drops
    output logic                xw_ready,
    output logic [31:0]         xw_drops,
    input  wire                 xw_en,
    input  wire [15:0]          xw_slot,    // ((way * EXACT_BUCKETS) + bucket) * 4 + slot
    input  wire                 xw_valid,   // 0 clears the slot
    input  wire [63:0]          xw_xkey,    // snic_exact_key(): dmac << 16 | tagged << 12 | VID
    input  wire [63:0]          xw_action,
    // RSS configuration write port (key and types, atomically)
    input  wire                 rw_en,
    input  wire [319:0]         rw_key,     // 40-byte key, byte i = [8*i+7:8*i]
    input  wire [7:0]           rw_types,   // SNIC_RSS_HT_* enabled; 0 = off
    // hit counter read port (asynchronous)
    input  wire [15:0]          cnt_idx,
    output logic [63:0]         cnt_data,
    // result
    output logic                out_valid,
    output logic [TAG_BITS-1:0] out_tag,
    output logic [511:0]        out_key,
    output logic [15:0]         out_rule,   // ternary index, SNIC_RULE_EXACT + slot, or 16'hffff
    output logic                out_hit,
    output logic [63:0]         out_action,
    output logic [31:0]         out_hash,   // RSS hash (rss.h), 0 when out_hash_type is 0
    output logic [7:0]          out_hash_type, // SNIC_RSS_HT_* used, 0 = none
    // constants for the driver
    output logic [7:0]          latency,    // LATENCY
    output logic [15:0]         depth,      // DEPTH
    output logic [15:0]         exact_slots, // 8 * EXACT_BUCKETS
    output logic [15:0]         key_fields  // KEY_FIELDS: what a rule may match on
);
`include "snic_abi.svh"

    localparam int PARSER_STAGES = 4 + SNIC_IPV6_MAX_EXT;  // register stages of snic_parser
    localparam int TCAM_STAGES   = 4;  // register stages of snic_tcam
    localparam int LATENCY       = PARSER_STAGES + TCAM_STAGES + 1; // + combine
    localparam int WR_STAGES     = PARSER_STAGES - 1; // aligns writes with lookups
    localparam int SIDE_BITS     = TAG_BITS + SNIC_KEY_BITS;
    localparam int COUNT_BIT     = 8 * SNIC_ACT_OFF_FLAGS + $clog2(32'(SNIC_ACT_COUNT));
    localparam int RSS_STAGES    = 4;  // register stages of snic_rss_hash

`include "snic_check.svh"
    if (SNIC_RSS_KEY_BYTES != 40) begin : bad_rss_key
        `SNIC_CHECK("rw_key is 40 bytes, the RSS ABI key is not");
    end
    if (DEPTH < 1 || DEPTH > 32768) begin : bad_depth
        `SNIC_CHECK("snic_match_engine: DEPTH must be 1..32768 (16-bit rule index below SNIC_RULE_EXACT)");
    end
    if (EXACT_BUCKETS < 2 || EXACT_BUCKETS > 2048 || (EXACT_BUCKETS & (EXACT_BUCKETS - 1)) != 0) begin : bad_buckets
        `SNIC_CHECK("snic_match_engine: EXACT_BUCKETS must be a power of two, 2..2048");
    end
    if (TAG_BITS < 1) begin : bad_tag_bits
        `SNIC_CHECK("snic_match_engine: TAG_BITS must be >= 1");
    end
    if ((KEY_FIELDS & ~SNIC_FIELD_ALL) != 0 || KEY_FIELDS == 0) begin : bad_key_fields
        `SNIC_CHECK("snic_match_engine: KEY_FIELDS must be a non-empty set of SNIC_FIELD_* bits");
    end
    if (RSS_STAGES != TCAM_STAGES) begin : bad_rss_stages
        `SNIC_CHECK("the RSS hash must take as many stages as the table");
    end

    assign latency = 8'(LATENCY);
    assign depth   = 16'(DEPTH);
    assign exact_slots = 16'(8 * EXACT_BUCKETS);
    assign key_fields  = KEY_FIELDS;

    // Stored key: the bytes of KEY_FIELDS, in key order, packed from bit 0.
    // Wiring only: which byte goes where is fixed at elaboration.
    function automatic int stored_bytes();
        stored_bytes = 0;
        for (int i = 0; i < SNIC_KEY_BYTES; i++)
            if ((SNIC_KEY_BYTE_FIELD[16*i +: 16] & KEY_FIELDS) != 0)
                stored_bytes++;
    endfunction
    localparam int TKEY_BYTES = stored_bytes();
    localparam int TKEY_BITS  = 8 * TKEY_BYTES;
    // The bytes outside KEY_FIELDS of a written rule: never stored.
    wire unused_wr_bytes = &{1'b0, wr_value, wr_mask};
    function automatic logic [TKEY_BITS-1:0] stored(input logic [SNIC_KEY_BITS-1:0] k);
        int j;
        j = 0;
        stored = '0;
        for (int i = 0; i < SNIC_KEY_BYTES; i++)
            if ((SNIC_KEY_BYTE_FIELD[16*i +: 16] & KEY_FIELDS) != 0) begin
                stored[8*j +: 8] = k[8*i +: 8];
                j++;
            end
    endfunction

    logic                pk_valid;
    logic [511:0]        pk_key;
    logic [TAG_BITS-1:0] pk_tag;

    snic_parser #(.TAG_BITS(TAG_BITS)) parser (
        .clk(clk), .rst(rst),
        .in_valid(in_valid), .in_hdr(in_hdr), .in_len(in_len),
        .in_port(in_port), .in_tag(in_tag),
        .out_valid(pk_valid), .out_key(pk_key), .out_tag(pk_tag)
    );

    // Write delay line: WR_STAGES register stages, wd[0] first. A stage
    // loads its data only when it takes a write (clock enable): idle clocks
    // move nothing. One packed word per stage and port.
    localparam int WR_BITS = 16 + 1 + 2 * TKEY_BITS + 64; // idx, valid, value, mask, action
    localparam int XW_BITS = 16 + 1 + 64 + 64;         // slot, valid, key, action
    localparam int RW_BITS = 320 + 8;                  // RSS key, types
    logic [WR_STAGES-1:0] wd_entry;  // stage i holds an entry write (not a clear)
    for (genvar i = 0; i < WR_STAGES; i++) begin : wd
        logic               en, xen, ren; // this stage holds a write
        logic [WR_BITS-1:0] d;
        logic [XW_BITS-1:0] xd;
        logic [RW_BITS-1:0] rd;
        logic               pen, pxen, pren; // the stage before (the ports for wd[0])
        logic [XW_BITS-1:0] pxd;
        logic [RW_BITS-1:0] prd;
        if (i == 0) begin : from_ports
            assign pen  = wr_en;
            // the key is cut to its stored bytes here, only when a write
            // comes: the simulator then does not redo it on every eval
            always_ff @(posedge clk)
                if (pen)
                    d <= {wr_idx, wr_valid, stored(wr_value), stored(wr_mask), wr_action};
            assign pxen = xw_en;
            assign pxd  = {xw_slot, xw_valid, xw_xkey, xw_action};
            assign pren = rw_en;
            assign prd  = {rw_key, rw_types};
        end else begin : from_stage
            assign pen  = wd[i-1].en;
            always_ff @(posedge clk)
                if (pen)
                    d <= wd[i-1].d;
            assign pxen = wd[i-1].xen;
            assign pxd  = wd[i-1].xd;
            assign pren = wd[i-1].ren;
            assign prd  = wd[i-1].rd;
        end
        always_ff @(posedge clk) begin
            en  <= rst ? 1'b0 : pen;
            xen <= rst ? 1'b0 : pxen;
            ren <= rst ? 1'b0 : pren;
            if (pxen)
                xd <= pxd;
            if (pren)
                rd <= prd;
        end
        assign wd_entry[i] = en && d[WR_BITS-17];  // the valid bit after the index
    end
    logic [15:0]  wd_idx, wd_xslot;
    logic         wd_valid, wd_xval;
    logic [TKEY_BITS-1:0] wd_value, wd_mask;
    logic [63:0]  wd_act, wd_xkey, wd_xact;
    assign {wd_idx, wd_valid, wd_value, wd_mask, wd_act} = wd[WR_STAGES-1].d;
    assign {wd_xslot, wd_xval, wd_xkey, wd_xact}         = wd[WR_STAGES-1].xd;

    // Entry writes need a pending slot of the tcam when they reach it: one
    // may enter while the free slots outnumber those already on the way.
    logic [7:0] t_free, wd_entries;
    always_comb begin
        wd_entries = '0;
        for (int i = 0; i < WR_STAGES; i++)
            wd_entries += 8'(wd_entry[i]);
    end
    assign wr_ready = t_free > wd_entries;

    logic [SIDE_BITS-1:0] t_side;
    logic                 t_valid, t_hit;
    logic [15:0]          t_idx;
    logic [63:0]          t_act;

    snic_tcam #(
        .DEPTH(DEPTH), .KEY_BITS(TKEY_BITS), .ACT_BITS(SNIC_ACT_BITS),
        .SIDE_BITS(SIDE_BITS), .COUNT_BIT(COUNT_BIT), .MISS_ACTION(SNIC_ACT_MISS)
    ) tcam (
        .clk(clk), .rst(rst),
        .lk_valid(pk_valid), .lk_key(stored(pk_key)), .lk_side({pk_tag, pk_key}),
        .wr_en(wd[WR_STAGES-1].en), .wr_idx(wd_idx),
        .wr_valid(wd_valid), .wr_value(wd_value),
        .wr_mask(wd_mask), .wr_action(wd_act),
        .wr_free(t_free), .wr_drops(wr_drops),
        .cnt_idx(cnt_idx), .cnt_data(cnt_data),
        .res_valid(t_valid), .res_side(t_side), .res_hit(t_hit),
        .res_idx(t_idx), .res_action(t_act)
    );

    // Exact key (classifier/exact.h snic_exact_key): dmac (key bytes 2..7),
    // then the tagged bit (flags & KF_VLAN) at SNIC_EXACT_TAGGED_BIT and the
    // VLAN id (low 12 bits of vlan), so untagged and VID 0 frames differ.
    wire        pk_tagged = (pk_key[8*SNIC_KEY_OFF_FLAGS +: 8] & SNIC_KF_VLAN) != 8'h00;
    wire [11:0] pk_vid    = {pk_key[8*SNIC_KEY_OFF_VLAN +: 4], pk_key[8*(SNIC_KEY_OFF_VLAN+1) +: 8]};
    wire [63:0] pk_xkey   = {pk_key[8*SNIC_KEY_OFF_DMAC +: 8], pk_key[8*(SNIC_KEY_OFF_DMAC+1) +: 8],
                             pk_key[8*(SNIC_KEY_OFF_DMAC+2) +: 8], pk_key[8*(SNIC_KEY_OFF_DMAC+3) +: 8],
                             pk_key[8*(SNIC_KEY_OFF_DMAC+4) +: 8], pk_key[8*(SNIC_KEY_OFF_DMAC+5) +: 8],
                             16'(pk_vid) | (16'(pk_tagged) << SNIC_EXACT_TAGGED_BIT)};
    // Emptying ends once per reset, so a write presented while the table
    // takes writes still finds it so at the end of the delay line.
    logic        x_ready;
    assign xw_ready = x_ready;
    logic        x_hit;
    logic [15:0] x_slot;
    logic [63:0] x_act;
    /* verilator lint_off UNUSEDSIGNAL */
    logic        x_valid;   // always equal to t_valid: same latency
    /* verilator lint_on UNUSEDSIGNAL */

    snic_exact #(.BUCKETS(EXACT_BUCKETS), .ACT_BITS(SNIC_ACT_BITS)) exact (
        .clk(clk), .rst(rst),
        .lk_valid(pk_valid), .lk_xkey(pk_xkey),
        .wr_ready(x_ready), .wr_drops(xw_drops),
        .wr_en(wd[WR_STAGES-1].xen), .wr_slot(wd_xslot),
        .wr_valid(wd_xval), .wr_xkey(wd_xkey),
        .wr_action(wd_xact),
        .res_valid(x_valid), .res_hit(x_hit), .res_slot(x_slot), .res_action(x_act)
    );

    // RSS hash of the same key, in step with the tables.
    /* verilator lint_off UNUSEDSIGNAL */
    logic        h_valid;   // always equal to t_valid: same latency
    /* verilator lint_on UNUSEDSIGNAL */
    logic [31:0] h_hash;
    logic [7:0]  h_type;
    snic_rss_hash #(.KEY_BITS(SNIC_KEY_BITS), .RSS_BYTES(40)) rss (
        .clk(clk), .rst(rst),
        .lk_valid(pk_valid), .lk_key(pk_key),
        .cw_en(wd[WR_STAGES-1].ren),
        .cw_key(wd[WR_STAGES-1].rd[RW_BITS-1:8]), .cw_types(wd[WR_STAGES-1].rd[7:0]),
        .res_valid(h_valid), .res_hash(h_hash), .res_type(h_type)
    );

    // Combine: ternary hit, else exact hit, else miss. The result
    // registers load only with a result: out_* other than out_valid are
    // meaningful only while out_valid is high.
    always_ff @(posedge clk) begin
        out_valid <= rst ? 1'b0 : t_valid;
        if (t_valid) begin
            out_tag    <= t_side[SIDE_BITS-1:SNIC_KEY_BITS];
            out_key    <= t_side[SNIC_KEY_BITS-1:0];
            out_hit    <= t_hit || x_hit;
            out_rule   <= t_hit ? t_idx : x_hit ? SNIC_RULE_EXACT + x_slot : SNIC_RULE_MISS;
            out_action <= t_hit ? t_act : x_hit ? x_act : SNIC_ACT_MISS;
            out_hash   <= h_hash;
            out_hash_type <= h_type;
        end
    end
endmodule

`default_nettype wire
