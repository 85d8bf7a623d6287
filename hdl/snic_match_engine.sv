// SPDX-License-Identifier: MIT
// Match engine top: header parser -> ternary table. One packet per clock,
// fixed latency LATENCY edges from the edge that samples in_valid to the
// edge that raises out_valid (counting both: a packet sampled at edge 1
// comes out at edge LATENCY). Table writes are delayed so that a write
// sampled at the same edge as a packet, or earlier, is seen by that packet,
// and a write sampled later is not: the reference model applies writes and
// packets in the order they were presented.
`default_nettype none

module snic_match_engine #(
    parameter int DEPTH    = 1024, // ternary entries
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
    // hit counter read port (asynchronous)
    input  wire [15:0]          cnt_idx,
    output logic [63:0]         cnt_data,
    // result
    output logic                out_valid,
    output logic [TAG_BITS-1:0] out_tag,
    output logic [511:0]        out_key,
    output logic [15:0]         out_rule,   // entry index, 16'hffff on a miss
    output logic                out_hit,
    output logic [63:0]         out_action,
    // constants for the driver
    output logic [7:0]          latency,    // LATENCY
    output logic [15:0]         depth       // DEPTH
);
`include "snic_abi.svh"

    localparam int PARSER_STAGES = 4 + SNIC_IPV6_MAX_EXT;  // register stages of snic_parser
    localparam int TCAM_STAGES   = 4;  // register stages of snic_tcam
    localparam int LATENCY       = PARSER_STAGES + TCAM_STAGES;
    localparam int WR_STAGES     = PARSER_STAGES - 1; // aligns writes with lookups
    localparam int SIDE_BITS     = TAG_BITS + SNIC_KEY_BITS;
    localparam int COUNT_BIT     = 8 * SNIC_ACT_OFF_FLAGS + $clog2(int'(SNIC_ACT_COUNT));

    assign latency = 8'(LATENCY);
    assign depth   = 16'(DEPTH);

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
        for (int i = 1; i < WR_STAGES; i++) begin
            wd_en[i]    <= rst ? 1'b0 : wd_en[i-1];
            wd_idx[i]   <= wd_idx[i-1];
            wd_valid[i] <= wd_valid[i-1];
            wd_value[i] <= wd_value[i-1];
            wd_mask[i]  <= wd_mask[i-1];
            wd_act[i]   <= wd_act[i-1];
        end
    end

    logic [SIDE_BITS-1:0] res_side;

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
        .res_valid(out_valid), .res_side(res_side), .res_hit(out_hit),
        .res_idx(out_rule), .res_action(out_action)
    );

    assign out_key = res_side[SNIC_KEY_BITS-1:0];
    assign out_tag = res_side[SIDE_BITS-1:SNIC_KEY_BITS];
endmodule

`default_nettype wire
