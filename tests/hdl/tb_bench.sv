// SPDX-License-Identifier: MIT
// Simulation-speed testbench, identical under Verilator (--binary --timing)
// and Icarus (-g2012): fills the ternary table with DEPTH rules on the UDP
// destination port, then streams one IPv4/UDP frame per clock for CYCLES
// clocks and reports results per clock and the measured latency.
`default_nettype none
`timescale 1ns/1ns

module tb_bench #(
    parameter int DEPTH  = 64      // ternary entries of the engine under test
);
// Clocks of packet streaming: +cycles=N (default 20000).
`include "snic_abi.svh"
`include "tb_rule.svh"

    logic clk = 1'b0;
    logic rst = 1'b1;
    always #1 clk = ~clk;

    logic          in_valid = 1'b0;
    logic [1023:0] in_hdr = '0;
    logic [15:0]   in_len = 16'd60;
    logic [31:0]   in_tag = '0;
    logic          wr_en = 1'b0, wr_valid = 1'b0;
    logic [15:0]   wr_idx = '0;
    logic [511:0]  wr_value = '0, wr_mask = '0;
    logic [63:0]   wr_action = '0;
    logic          out_valid, out_hit;
    logic [31:0]   out_tag;
    logic [511:0]  out_key;
    logic [15:0]   out_rule, depth_o, xslots;
    logic [63:0]   out_action, cnt_data;
    logic [7:0]    latency;
    logic          wr_ready;
    logic [31:0]   wr_drops;       // stays 0: writes wait for wr_ready
    /* verilator lint_off UNUSEDSIGNAL */
    logic          xw_ready;       // no exact writes in this bench
    logic [31:0]   xw_drops;
    /* verilator lint_on UNUSEDSIGNAL */
    /* verilator lint_off UNUSEDSIGNAL */
    logic [31:0]   out_hash;       // RSS off in this bench
    logic [7:0]    out_hash_type;
    /* verilator lint_on UNUSEDSIGNAL */

    snic_match_engine #(.DEPTH(DEPTH), .EXACT_BUCKETS(64)) dut (
        .clk(clk), .rst(rst),
        .in_valid(in_valid), .in_hdr(in_hdr), .in_len(in_len), .in_port(8'd1), .in_tag(in_tag),
        .wr_ready(wr_ready), .wr_drops(wr_drops),
        .wr_en(wr_en), .wr_idx(wr_idx), .wr_valid(wr_valid), .wr_value(wr_value),
        .wr_mask(wr_mask), .wr_action(wr_action),
        .xw_ready(xw_ready), .xw_drops(xw_drops), .xw_en(1'b0), .xw_slot(16'd0), .xw_valid(1'b0), .xw_xkey(64'd0), .xw_action(64'd0),
        .rw_en(1'b0), .rw_key(320'd0), .rw_types(8'd0),
        .cnt_idx(16'd0), .cnt_data(cnt_data),
        .out_valid(out_valid), .out_tag(out_tag), .out_key(out_key), .out_rule(out_rule),
        .out_hit(out_hit), .out_action(out_action),
        .out_hash(out_hash), .out_hash_type(out_hash_type),
        .latency(latency), .depth(depth_o), .exact_slots(xslots)
    );

    // IPv4/UDP frame, 10.0.0.2 -> 10.0.0.1, destination port `dport`.
    function automatic logic [1023:0] frame(input logic [15:0] dport, input logic [15:0] sport);
        logic [1023:0] f;
        logic [8*42-1:0] b;  // first byte in the top bits
        b = {8'h02, 8'h00, 8'h00, 8'h00, 8'h00, 8'h01, 8'h02, 8'h00, 8'h00, 8'h00, 8'h00, 8'h02,
              8'h08, 8'h00, 8'h45, 8'h00, 8'h00, 8'h2e, 8'h00, 8'h00, 8'h00, 8'h00, 8'h40, 8'h11,
              8'h00, 8'h00, 8'd10, 8'd0, 8'd0, 8'd2, 8'd10, 8'd0, 8'd0, 8'd1,
              sport[15:8], sport[7:0], dport[15:8], dport[7:0], 8'h00, 8'h1a, 8'h00, 8'h00};
        f = '0;
        for (int i = 0; i < 42; i++)
            f[8*i +: 8] = b[8*(41-i) +: 8];
        frame = f;
    endfunction

    longint results = 0, hits = 0, first_in = -1, first_out = -1, cyc = 0;
    always @(posedge clk) begin
        cyc <= cyc + 1;
        if (in_valid && in_tag == 32'd0 && first_in < 0)
            first_in <= cyc;
        if (out_valid) begin
            results <= results + 1;
            hits <= hits + (out_hit ? 1 : 0);
            if (first_out < 0)
                first_out <= cyc;
        end
    end

    int CYCLES;
    /* verilator lint_off INITIALDLY */
    initial begin
        longint t0;
        if (!$value$plusargs("cycles=%d", CYCLES))
            CYCLES = 20000;
        repeat (4) @(posedge clk);
        rst <= 1'b0;
        // Rule i: UDP destination port 1000 + i -> VNIC i; each entry write
        // waits for a free pending slot (wr_ready), then the last copies.
        for (int i = 0; i < DEPTH; i++) begin
            @(negedge clk);   // wr_ready settled after the last edge
            while (!wr_ready)
                @(negedge clk);
            wr_en <= 1'b1;
            wr_idx <= 16'(i);
            wr_valid <= 1'b1;
            wr_value <= rule_value(i);
            wr_mask <= rule_mask();
            wr_action <= rule_action(i);
            @(negedge clk);   // held across exactly one rising edge
            wr_en <= 1'b0;
        end
        wr_en <= 1'b0;
        repeat (600) @(posedge clk);
        t0 = cyc;
        for (int n = 0; n < CYCLES; n++) begin
            in_valid <= 1'b1;
            in_tag <= 32'(n);
            // three in four frames hit some rule, spread over the table
            in_hdr <= frame(16'(1000 + ((n * 7) % (DEPTH + DEPTH / 3))), 16'(n));
            @(posedge clk);
        end
        in_valid <= 1'b0;
        repeat (40) @(posedge clk);
        $display("tb_bench: depth %0d cycles %0d results %0d hits %0d lookups_per_clock %0.3f latency %0d (dut says %0d) refused writes %0d",
                 DEPTH, cyc - t0, results, hits, real'(results) / real'(CYCLES),
                 first_out - first_in, latency, wr_drops);
        $finish;
    end
    /* verilator lint_on INITIALDLY */
endmodule

`default_nettype wire
