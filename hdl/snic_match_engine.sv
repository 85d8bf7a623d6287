// SPDX-License-Identifier: MIT
// Match engine top: header parser -> ternary table and exact-match table in
// parallel -> one combining register (ternary hit, else exact hit, else
// miss; classifier/exact.h snic_classify). One packet per clock,
// fixed latency LATENCY edges from the edge that samples in_valid to the
// edge that raises out_valid (counting both: a packet sampled at edge 1
// comes out at edge LATENCY). Table writes are delayed so that a write
// sampled at the same edge as a packet, or earlier, is seen by that packet,
// and a write sampled later is not: the reference model applies writes and
// packets in the order they were presented.
`default_nettype none

module snic_match_engine #(
    parameter int DEPTH    = 1024, // ternary entries
    parameter int EXACT_BUCKETS = 2048, // exact-match buckets per way (x2 ways x4 slots)
    parameter int TAG_BITS = 32    // caller's tag, returned with the result
) (
    input  wire                 clk,
    input  wire                 rst,        // synchronous, active high
    // packet in
    input  wire                 in_valid,
    input  wire [1023:0]        in_hdr,     // first 128 header bytes, byte i = [8*i+7:8*i]
    input  wire [15:0]          in_len,     // usable bytes: min(captured, frame length)
    input  wire [7:0]           in_port,
    input  wire [TAG_BITS-1:0]  in_tag,
    // table write port (one whole entry, atomically)
    input  wire                 wr_en,
    input  wire [15:0]          wr_idx,
    input  wire                 wr_valid,   // 0 clears the entry
    input  wire [511:0]         wr_value,
    input  wire [511:0]         wr_mask,
    input  wire [63:0]          wr_action,  // struct snic_action image, byte i = [8*i+7:8*i]
    // exact-match slot write port (one whole slot, atomically)
    input  wire                 xw_en,
    input  wire [15:0]          xw_slot,    // ((way * EXACT_BUCKETS) + bucket) * 4 + slot
    input  wire                 xw_valid,   // 0 clears the slot
    input  wire [63:0]          xw_xkey,    // snic_exact_key(): dmac << 16 | tagged << 12 | VID
    input  wire [63:0]          xw_action,
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
    // constants for the driver
    output logic [7:0]          latency,    // LATENCY
    output logic [15:0]         depth,      // DEPTH
    output logic [15:0]         exact_slots // 8 * EXACT_BUCKETS
);
`include "snic_abi.svh"

    localparam int PARSER_STAGES = 4 + SNIC_IPV6_MAX_EXT;  // register stages of snic_parser
    localparam int TCAM_STAGES   = 4;  // register stages of snic_tcam
    localparam int LATENCY       = PARSER_STAGES + TCAM_STAGES + 1; // + combine
    localparam int WR_STAGES     = PARSER_STAGES - 1; // aligns writes with lookups
    localparam int SIDE_BITS     = TAG_BITS + SNIC_KEY_BITS;
    localparam int COUNT_BIT     = 8 * SNIC_ACT_OFF_FLAGS + $clog2(int'(SNIC_ACT_COUNT));

    assign latency = 8'(LATENCY);
    assign depth   = 16'(DEPTH);
    assign exact_slots = 16'(8 * EXACT_BUCKETS);

    logic                pk_valid;
    logic [511:0]        pk_key;
    logic [TAG_BITS-1:0] pk_tag;

    snic_parser #(.TAG_BITS(TAG_BITS)) parser (
        .clk(clk), .rst(rst),
        .in_valid(in_valid), .in_hdr(in_hdr), .in_len(in_len),
        .in_port(in_port), .in_tag(in_tag),
        .out_valid(pk_valid), .out_key(pk_key), .out_tag(pk_tag)
    );

    // Write delay line: WR_STAGES registers.
    logic         wd_xen   [WR_STAGES];
    logic [15:0]  wd_xslot [WR_STAGES];
    logic         wd_xval  [WR_STAGES];
    logic [63:0]  wd_xkey  [WR_STAGES];
    logic [63:0]  wd_xact  [WR_STAGES];
    logic         wd_en    [WR_STAGES];
    logic [15:0]  wd_idx   [WR_STAGES];
    logic         wd_valid [WR_STAGES];
    logic [511:0] wd_value [WR_STAGES];
    logic [511:0] wd_mask  [WR_STAGES];
    logic [63:0]  wd_act   [WR_STAGES];
    always_ff @(posedge clk) begin
        wd_en[0]    <= rst ? 1'b0 : wr_en;
        wd_idx[0]   <= wr_idx;
        wd_valid[0] <= wr_valid;
        wd_value[0] <= wr_value;
        wd_mask[0]  <= wr_mask;
        wd_act[0]   <= wr_action;
        wd_xen[0]   <= rst ? 1'b0 : xw_en;
        wd_xslot[0] <= xw_slot;
        wd_xval[0]  <= xw_valid;
        wd_xkey[0]  <= xw_xkey;
        wd_xact[0]  <= xw_action;
        for (int i = 1; i < WR_STAGES; i++) begin
            wd_en[i]    <= rst ? 1'b0 : wd_en[i-1];
            wd_idx[i]   <= wd_idx[i-1];
            wd_valid[i] <= wd_valid[i-1];
            wd_value[i] <= wd_value[i-1];
            wd_mask[i]  <= wd_mask[i-1];
            wd_act[i]   <= wd_act[i-1];
            wd_xen[i]   <= rst ? 1'b0 : wd_xen[i-1];
            wd_xslot[i] <= wd_xslot[i-1];
            wd_xval[i]  <= wd_xval[i-1];
            wd_xkey[i]  <= wd_xkey[i-1];
            wd_xact[i]  <= wd_xact[i-1];
        end
    end

    logic [SIDE_BITS-1:0] t_side;
    logic                 t_valid, t_hit;
    logic [15:0]          t_idx;
    logic [63:0]          t_act;

    snic_tcam #(
        .DEPTH(DEPTH), .KEY_BITS(SNIC_KEY_BITS), .ACT_BITS(SNIC_ACT_BITS),
        .SIDE_BITS(SIDE_BITS), .COUNT_BIT(COUNT_BIT), .MISS_ACTION(SNIC_ACT_MISS)
    ) tcam (
        .clk(clk), .rst(rst),
        .lk_valid(pk_valid), .lk_key(pk_key), .lk_side({pk_tag, pk_key}),
        .wr_en(wd_en[WR_STAGES-1]), .wr_idx(wd_idx[WR_STAGES-1]),
        .wr_valid(wd_valid[WR_STAGES-1]), .wr_value(wd_value[WR_STAGES-1]),
        .wr_mask(wd_mask[WR_STAGES-1]), .wr_action(wd_act[WR_STAGES-1]),
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
    logic        x_hit;
    logic [15:0] x_slot;
    logic [63:0] x_act;
    /* verilator lint_off UNUSEDSIGNAL */
    logic        x_valid;   // always equal to t_valid: same latency
    /* verilator lint_on UNUSEDSIGNAL */

    snic_exact #(.BUCKETS(EXACT_BUCKETS), .ACT_BITS(SNIC_ACT_BITS)) exact (
        .clk(clk), .rst(rst),
        .lk_valid(pk_valid), .lk_xkey(pk_xkey),
        .wr_en(wd_xen[WR_STAGES-1]), .wr_slot(wd_xslot[WR_STAGES-1]),
        .wr_valid(wd_xval[WR_STAGES-1]), .wr_xkey(wd_xkey[WR_STAGES-1]),
        .wr_action(wd_xact[WR_STAGES-1]),
        .res_valid(x_valid), .res_hit(x_hit), .res_slot(x_slot), .res_action(x_act)
    );

    // Combine: ternary hit, else exact hit, else miss.
    always_ff @(posedge clk) begin
        out_valid  <= rst ? 1'b0 : t_valid;
        out_tag    <= t_side[SIDE_BITS-1:SNIC_KEY_BITS];
        out_key    <= t_side[SNIC_KEY_BITS-1:0];
        out_hit    <= t_hit || x_hit;
        out_rule   <= t_hit ? t_idx : x_hit ? SNIC_RULE_EXACT + x_slot : SNIC_RULE_MISS;
        out_action <= t_hit ? t_act : x_hit ? x_act : SNIC_ACT_MISS;
    end
endmodule

`default_nettype wire
