// SPDX-License-Identifier: MIT
// AXI-Stream top level: the match engine in a NIC receive path (512-bit
// beats at 250 MHz: Corundum's application block, OpenNIC's user box).
// Frames come in on s_axis, go out unchanged on m_axis, in order, with
// the match result on m_axis_tuser of every beat of the frame. Any frame
// length; cut-through, not store-and-forward:
//   - the engine sees a frame once its first 128 bytes (two beats) or its
//     last beat have arrived: the parser uses min(length, 128) bytes only,
//     so the result is the same as for the whole frame;
//   - beats wait in a FIFO of FIFO_BEATS; a frame's first beat leaves when
//     its result is there (LATENCY clocks after its second beat), so a
//     frame is delayed by about LATENCY + 2 clocks and the stream runs at
//     one beat per clock;
//   - backpressure: m_axis_tready low stops the output; s_axis_tready goes
//     low when the beat FIFO is full or FIFO_BEATS frames await output.
//     Results wait in their own FIFO (at most FIFO_BEATS frames between
//     engine and output), so nothing is lost, duplicated or reordered.
// tkeep: beats are packed (all ones but in the last beat, which keeps
// bytes 0..n-1), as AXI-Stream NIC shells deliver them.
// m_axis_tuser = {s_axis_tuser of the beat, hit, rule, action, hash,
// hash_type}: RES_BITS result bits (the engine's out_* of the frame).
// Table write ports and the hit-counter read are the engine's.
`default_nettype none

module snic_axis_engine #(
    parameter int DEPTH         = 1024, // ternary entries
    parameter int EXACT_BUCKETS = 2048, // exact-match buckets per way
    parameter int FIFO_BEATS    = 32,   // beat FIFO (and result FIFO) depth
    parameter int USER_BITS     = 1,    // s_axis_tuser, passed through per beat
    parameter logic [15:0] KEY_FIELDS = 16'h3fff, // SNIC_FIELD_* the ternary table stores
    localparam int RES_BITS     = 1 + 16 + 64 + 32 + 8
) (
    input  wire                          clk,
    input  wire                          rst,
    input  wire  [7:0]                   port_id,     // snic_key port of this stream
    // frames in
    input  wire  [511:0]                 s_axis_tdata,
    input  wire  [63:0]                  s_axis_tkeep,
    input  wire                          s_axis_tvalid,
    output logic                         s_axis_tready,
    input  wire                          s_axis_tlast,
    input  wire  [USER_BITS-1:0]         s_axis_tuser,
    // frames out, with their results
    output logic [511:0]                 m_axis_tdata,
    output logic [63:0]                  m_axis_tkeep,
    output logic                         m_axis_tvalid,
    input  wire                          m_axis_tready,
    output logic                         m_axis_tlast,
    output logic [USER_BITS+RES_BITS-1:0] m_axis_tuser,
    // table writes (snic_match_engine)
    output logic                         wr_ready,
    output logic [31:0]                  wr_drops,
    input  wire                          wr_en,
    input  wire  [15:0]                  wr_idx,
    input  wire                          wr_valid,
    input  wire  [511:0]                 wr_value,
    input  wire  [511:0]                 wr_mask,
    input  wire  [63:0]                  wr_action,
    output logic                         xw_ready,
    output logic [31:0]                  xw_drops,
    input  wire                          xw_en,
    input  wire  [15:0]                  xw_slot,
    input  wire                          xw_valid,
    input  wire  [63:0]                  xw_xkey,
    input  wire  [63:0]                  xw_action,
    input  wire                          rw_en,
    input  wire  [319:0]                 rw_key,
    input  wire  [7:0]                   rw_types,
    input  wire  [15:0]                  cnt_idx,
    output logic [63:0]                  cnt_data
);
`include "snic_check.svh"

    localparam int FW = $clog2(FIFO_BEATS);
    localparam int BEAT_BITS = 512 + 64 + 1 + USER_BITS;

    if (FIFO_BEATS < 4 || FIFO_BEATS > 4096 || (FIFO_BEATS & (FIFO_BEATS - 1)) != 0) begin : bad_fifo
        `SNIC_CHECK("snic_axis_engine: FIFO_BEATS must be a power of two, 4..4096");
    end
    if (USER_BITS < 1) begin : bad_user
        `SNIC_CHECK("snic_axis_engine: USER_BITS must be >= 1");
    end

    // ------------------------------------------------------------ input
    logic [FW:0]  d_wp, d_rp;          // beat FIFO pointers (one extra bit)
    logic [FW:0]  open_frames;         // sent to the engine, not yet out
    wire          d_full = (d_wp - d_rp) == (FW+1)'(FIFO_BEATS);
    assign s_axis_tready = !rst && !d_full && open_frames < (FW+1)'(FIFO_BEATS);
    wire          s_take = s_axis_tvalid && s_axis_tready;

    logic         in_frame_b1;         // the next beat is a frame's second
    logic         launched;            // this frame went to the engine
    logic [511:0] hdr_lo;              // first beat of the frame

    function automatic logic [6:0] kept(input logic [63:0] k);
        kept = '0;
        for (int i = 0; i < 64; i++)
            kept += 7'(k[i]);
    endfunction

    // A frame goes to the engine with its second beat, or its last if
    // shorter: in_len counts the bytes up to here (<= 128, all the parser
    // reads).
    wire first_beat = !in_frame_b1 && !launched;
    wire launch     = s_take && !launched && (in_frame_b1 || s_axis_tlast);
    wire [1023:0] in_hdr = in_frame_b1 ? {s_axis_tdata, hdr_lo} : {512'd0, s_axis_tdata};
    wire [15:0]   in_len = (in_frame_b1 ? 16'd64 : 16'd0) + 16'(kept(s_axis_tkeep));

    always_ff @(posedge clk) begin
        if (rst) begin
            in_frame_b1 <= 1'b0;
            launched    <= 1'b0;
        end else if (s_take) begin
            in_frame_b1 <= first_beat && !s_axis_tlast;
            launched    <= !s_axis_tlast && (launched || launch);
            if (first_beat)
                hdr_lo <= s_axis_tdata;
        end
    end

    logic [BEAT_BITS-1:0] d_mem [FIFO_BEATS];
    always_ff @(posedge clk) begin
        if (rst)
            d_wp <= '0;
        else if (s_take)
            d_wp <= d_wp + 1'b1;
        if (s_take)
            d_mem[d_wp[FW-1:0]] <= {s_axis_tuser, s_axis_tlast, s_axis_tkeep, s_axis_tdata};
    end

    // ------------------------------------------------------------ engine
    logic                out_valid, out_hit;
    logic [15:0]         out_rule;
    logic [63:0]         out_action;
    logic [31:0]         out_hash;
    logic [7:0]          out_hash_type;
    /* verilator lint_off UNUSEDSIGNAL */
    logic [31:0]         out_tag;      // results come out in order: no tag needed
    logic [511:0]        out_key;
    logic [7:0]          latency;
    logic [15:0]         depth, exact_slots, key_fields;
    /* verilator lint_on UNUSEDSIGNAL */

    snic_match_engine #(.DEPTH(DEPTH), .EXACT_BUCKETS(EXACT_BUCKETS), .KEY_FIELDS(KEY_FIELDS)) engine (
        .clk(clk), .rst(rst),
        .in_valid(launch), .in_hdr(in_hdr), .in_len(in_len), .in_port(port_id), .in_tag(32'd0),
        .wr_ready(wr_ready), .wr_drops(wr_drops),
        .wr_en(wr_en), .wr_idx(wr_idx), .wr_valid(wr_valid), .wr_value(wr_value),
        .wr_mask(wr_mask), .wr_action(wr_action),
        .xw_ready(xw_ready), .xw_drops(xw_drops),
        .xw_en(xw_en), .xw_slot(xw_slot), .xw_valid(xw_valid), .xw_xkey(xw_xkey),
        .xw_action(xw_action),
        .rw_en(rw_en), .rw_key(rw_key), .rw_types(rw_types),
        .cnt_idx(cnt_idx), .cnt_data(cnt_data),
        .out_valid(out_valid), .out_tag(out_tag), .out_key(out_key), .out_rule(out_rule),
        .out_hit(out_hit), .out_action(out_action), .out_hash(out_hash),
        .out_hash_type(out_hash_type),
        .latency(latency), .depth(depth), .exact_slots(exact_slots), .key_fields(key_fields)
    );

    // Results in frame order; at most FIFO_BEATS frames are open, so the
    // result FIFO (FIFO_BEATS entries) never overflows.
    logic [RES_BITS-1:0] r_mem [FIFO_BEATS];
    logic [FW:0]         r_wp, r_rp;
    always_ff @(posedge clk) begin
        if (rst)
            r_wp <= '0;
        else if (out_valid)
            r_wp <= r_wp + 1'b1;
        if (out_valid)
            r_mem[r_wp[FW-1:0]] <= {out_hit, out_rule, out_action, out_hash, out_hash_type};
    end

    // ------------------------------------------------------------ output
    // The head beat goes out once its frame's result is there.
    wire [BEAT_BITS-1:0] head = d_mem[d_rp[FW-1:0]];
    assign m_axis_tvalid = !rst && d_rp != d_wp && r_rp != r_wp;
    assign {m_axis_tuser[USER_BITS+RES_BITS-1:RES_BITS], m_axis_tlast, m_axis_tkeep,
            m_axis_tdata} = head;
    assign m_axis_tuser[RES_BITS-1:0] = r_mem[r_rp[FW-1:0]];
    wire m_take = m_axis_tvalid && m_axis_tready;

    always_ff @(posedge clk) begin
        if (rst) begin
            d_rp <= '0;
            r_rp <= '0;
            open_frames <= '0;
        end else begin
            if (m_take)
                d_rp <= d_rp + 1'b1;
            if (m_take && m_axis_tlast)
                r_rp <= r_rp + 1'b1;
            open_frames <= open_frames + (FW+1)'(launch) - (FW+1)'(m_take && m_axis_tlast);
        end
    end
endmodule

`default_nettype wire
