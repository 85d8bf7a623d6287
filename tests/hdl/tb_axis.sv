// SPDX-License-Identifier: MIT
// Directed test of the AXI-Stream top level (hdl/snic_axis_engine.sv),
// built with Verilator (--binary --timing), TAP output. NFRAMES frames of random length
// (1..400 bytes; UDP frames that hit the rules, and random bytes), with
// random tvalid gaps on the input and random tready stalls (single clocks
// and bursts) on the output, then a phase at full rate. Checks that every
// frame comes out once, in order, byte for byte with the right tkeep and
// tlast, and that its result equals that of a bare snic_match_engine fed
// the same frames (the engine itself is proven against the C model by
// test_engine_diff), with the same rules and RSS key.
`default_nettype none
`timescale 1ns/1ns

module tb_axis;
`include "snic_abi.svh"
`include "tb_rule.svh"
    localparam int NFRAMES = 3000;      // frames with stalls
    localparam int NFAST   = 1000;      // then frames at full rate
    localparam int NALL    = NFRAMES + NFAST;
    localparam int RULES   = 64;
    localparam int RES_BITS = 1 + 16 + 64 + 32 + 8;

    logic clk = 1'b0;
    logic rst = 1'b1;
    always #1 clk = ~clk;

    // ---------------------------------------------------------- frames
    function automatic int unsigned mix(input int unsigned x);
        x = x ^ (x >> 16);
        x = x * 32'h7feb352d;
        x = x ^ (x >> 15);
        x = x * 32'h846ca68b;
        return x ^ (x >> 16);
    endfunction
    function automatic bit is_udp(input int f);
        return f % 3 != 2;
    endfunction
    function automatic int frame_len(input int f);
        if (f >= NFRAMES)
            return 60 + int'(mix(f) % 8) * 64;           // full-rate phase: 1..8 beats
        if (is_udp(f))
            return 42 + int'(mix(f) % 359);
        return 1 + int'(mix(f) % 400);
    endfunction
    // IPv4/UDP to port 1000 + f % 80 (64 of the 80 ports have a rule), byte
    // 0 first
    localparam logic [8*42-1:0] UDP_HDR = {
        8'h02, 8'h00, 8'h00, 8'h00, 8'h00, 8'h01, 8'h02, 8'h00, 8'h00, 8'h00, 8'h00, 8'h09,
        8'h08, 8'h00, 8'h45, 8'h00, 8'h00, 8'd28, 8'h00, 8'h00, 8'h00, 8'h00, 8'd64, 8'd17,
        8'h00, 8'h00, 8'd10, 8'h00, 8'h00, 8'h09, 8'd10, 8'h00, 8'h00, 8'h01, 8'h30, 8'h39,
        8'h00, 8'h00, 8'h00, 8'h08, 8'h00, 8'h00};
    function automatic logic [7:0] frame_byte(input int f, input int j);
        if (is_udp(f) && j < 42) begin
            if (j == 36) return 8'((1000 + f % 80) >> 8);
            if (j == 37) return 8'(1000 + f % 80);
            if (j == 11) return 8'(f);                    // source MAC varies
            return UDP_HDR[8*(41-j) +: 8];
        end
        return 8'(mix(32'(f) * 32'd4099 + 32'(j)));
    endfunction
    function automatic int beats_of(input int f);
        return (frame_len(f) + 63) / 64;
    endfunction
    function automatic logic [511:0] beat_data(input int f, input int b);
        logic [511:0] d = '0;
        for (int i = 0; i < 64; i++)
            if (64 * b + i < frame_len(f))
                d[8*i +: 8] = frame_byte(f, 64 * b + i);
        return d;
    endfunction
    function automatic logic [63:0] beat_keep(input int f, input int b);
        int n = frame_len(f) - 64 * b;
        return n >= 64 ? '1 : (64'd1 << n) - 64'd1;
    endfunction
    function automatic logic [1023:0] header(input int f);
        return {beat_data(f, 1), beat_data(f, 0)};
    endfunction

    // ---------------------------------------------------------- DUT
    logic [511:0] s_tdata;
    logic [63:0]  s_tkeep;
    logic         s_tvalid = 1'b0, s_tready, s_tlast;
    logic [0:0]   s_tuser;
    logic [511:0] m_tdata;
    logic [63:0]  m_tkeep;
    logic         m_tvalid, m_tready = 1'b0, m_tlast;
    logic [RES_BITS:0] m_tuser;

    logic         wr_en = 1'b0, rw_en = 1'b0;
    logic [15:0]  wr_idx = '0;
    logic [511:0] wr_value = '0, wr_mask = '0;
    logic [63:0]  wr_action = '0;
    logic [319:0] rw_key = '0;
    logic         d_wr_ready, r_wr_ready;
    logic [31:0]  d_wr_drops, r_wr_drops;
    logic [31:0]  drops0;         // d_wr_drops before the refused-write check
    /* verilator lint_off UNUSEDSIGNAL */
    logic [31:0]  d_xw_drops, r_xw_drops;
    logic         d_xw_ready, r_xw_ready;
    logic [63:0]  d_cnt, r_cnt;
    logic [31:0]  r_tag;
    logic [511:0] r_key;
    logic [7:0]   r_latency;
    logic [15:0]  r_depth, r_xslots;
    /* verilator lint_on UNUSEDSIGNAL */

    snic_axis_engine #(.DEPTH(64), .EXACT_BUCKETS(64), .FIFO_BEATS(32), .USER_BITS(1)) dut (
        .clk(clk), .rst(rst), .port_id(8'd1),
        .s_axis_tdata(s_tdata), .s_axis_tkeep(s_tkeep), .s_axis_tvalid(s_tvalid),
        .s_axis_tready(s_tready), .s_axis_tlast(s_tlast), .s_axis_tuser(s_tuser),
        .m_axis_tdata(m_tdata), .m_axis_tkeep(m_tkeep), .m_axis_tvalid(m_tvalid),
        .m_axis_tready(m_tready), .m_axis_tlast(m_tlast), .m_axis_tuser(m_tuser),
        .wr_ready(d_wr_ready), .wr_drops(d_wr_drops),
        .wr_en(wr_en), .wr_idx(wr_idx), .wr_valid(1'b1), .wr_value(wr_value),
        .wr_mask(wr_mask), .wr_action(wr_action),
        .xw_ready(d_xw_ready), .xw_drops(d_xw_drops),
        .xw_en(1'b0), .xw_slot(16'd0), .xw_valid(1'b0), .xw_xkey(64'd0), .xw_action(64'd0),
        .rw_en(rw_en), .rw_key(rw_key), .rw_types(SNIC_RSS_HT_ALL),
        .cnt_idx(16'd0), .cnt_data(d_cnt)
    );

    // The reference: a bare engine, each frame pushed whole at the edge
    // its first beat enters the DUT (driven by the producer below).
    logic          ref_in;
    logic [1023:0] ref_hdr;
    logic [15:0]   ref_len;
    logic          r_valid, r_hit;
    logic [15:0]   r_rule;
    logic [63:0]   r_action;
    logic [31:0]   r_hash;
    logic [7:0]    r_hash_type;
    snic_match_engine #(.DEPTH(64), .EXACT_BUCKETS(64)) ref_engine (
        .clk(clk), .rst(rst),
        .in_valid(ref_in), .in_hdr(ref_hdr), .in_len(ref_len), .in_port(8'd1), .in_tag(32'd0),
        .wr_ready(r_wr_ready), .wr_drops(r_wr_drops),
        .wr_en(wr_en), .wr_idx(wr_idx), .wr_valid(1'b1), .wr_value(wr_value),
        .wr_mask(wr_mask), .wr_action(wr_action),
        .xw_ready(r_xw_ready), .xw_drops(r_xw_drops),
        .xw_en(1'b0), .xw_slot(16'd0), .xw_valid(1'b0), .xw_xkey(64'd0), .xw_action(64'd0),
        .rw_en(rw_en), .rw_key(rw_key), .rw_types(SNIC_RSS_HT_ALL),
        .cnt_idx(16'd0), .cnt_data(r_cnt),
        .out_valid(r_valid), .out_tag(r_tag), .out_key(r_key), .out_rule(r_rule),
        .out_hit(r_hit), .out_action(r_action), .out_hash(r_hash), .out_hash_type(r_hash_type),
        .latency(r_latency), .depth(r_depth), .exact_slots(r_xslots)
    );

    logic [RES_BITS-1:0] want [NALL];
    int n_want = 0, n_hits = 0;
    always @(posedge clk)
        if (r_valid) begin
            want[n_want] <= {r_hit, r_rule, r_action, r_hash, r_hash_type};
            n_want <= n_want + 1;
            n_hits <= n_hits + (r_hit ? 1 : 0);
        end

    // ---------------------------------------------------------- checker
    int rx_f = 0, rx_b = 0, rx_beats = 0, bad_data = 0, bad_res = 0, bad_order = 0;
    int stalled = 0, fast_clocks = 0, fast_beats = 0;
    int idle = 0;   // clocks since the last output beat
    bit fast = 1'b0;
    always @(posedge clk) begin
        if (fast) begin
            fast_clocks <= fast_clocks + 1;
            fast_beats <= fast_beats + ((m_tvalid && m_tready) ? 1 : 0);
        end
        if (m_tvalid && !m_tready)
            stalled <= stalled + 1;
        // a lost beat or frame would stop the stream: give up after 5000
        // quiet clocks (the longest stall is 64)
        idle <= (m_tvalid && m_tready) ? 0 : idle + 1;
        if (m_tvalid && m_tready) begin
            rx_beats <= rx_beats + 1;
            if (rx_f >= NALL) begin
                bad_order <= bad_order + 1;
            end else begin
                if (m_tdata != beat_data(rx_f, rx_b) || m_tkeep != beat_keep(rx_f, rx_b) ||
                    m_tlast != (rx_b == beats_of(rx_f) - 1) || m_tuser[RES_BITS] != 1'(rx_f)) begin
                    if (bad_data == 0)
                        $display("# frame %0d beat %0d: data, keep, last or tuser differ", rx_f, rx_b);
                    bad_data <= bad_data + 1;
                end
                if (rx_f >= n_want || m_tuser[RES_BITS-1:0] != want[rx_f]) begin
                    if (bad_res == 0)
                        $display("# frame %0d: result %h, want %h", rx_f,
                                 m_tuser[RES_BITS-1:0], want[rx_f]);
                    bad_res <= bad_res + 1;
                end
                if (m_tlast) begin
                    rx_f <= rx_f + 1;
                    rx_b <= 0;
                end else begin
                    rx_b <= rx_b + 1;
                end
            end
        end
    end

    // Output stalls: random single clocks, and now and then a burst of up
    // to 64 clocks; none in the full-rate phase.
    int stall_left = 0;
    always @(posedge clk) begin
        int unsigned r = mix(32'($time) ^ 32'h51a11);
        if (fast) begin
            m_tready <= 1'b1;
        end else if (stall_left > 0) begin
            stall_left <= stall_left - 1;
            m_tready <= 1'b0;
        end else if (r % 97 == 0) begin
            stall_left <= int'(r >> 8) % 64;
            m_tready <= 1'b0;
        end else begin
            m_tready <= (r >> 12) % 10 < 6;
        end
    end

    // ---------------------------------------------------------- stimulus
    // Producer: frames tx_f .. tx_end-1, beat by beat; at each edge the
    // beat on the bus was taken if s_tready was high. With gaps, tvalid
    // drops for a clock 1 time in 4 between beats.
    int tx_f = 0, tx_b = 0, tx_end = 0, tx_beats = 0;
    bit gaps = 1'b1;
    always_comb begin
        ref_in  = s_tvalid && s_tready && tx_b == 0;
        ref_hdr = header(tx_f);
        ref_len = 16'(frame_len(tx_f));
    end
    always @(posedge clk) begin
        int f, b;
        f = tx_f;
        b = tx_b;
        if (s_tvalid && s_tready) begin
            tx_beats <= tx_beats + 1;
            if (b == beats_of(f) - 1) begin
                f++;
                b = 0;
            end else begin
                b++;
            end
        end
        tx_f <= f;
        tx_b <= b;
        if (s_tvalid && !s_tready) begin
            // the beat stays on the bus until taken
        end else if (f < tx_end && !(gaps && mix(32'(f) * 977 + 32'(b) + 32'($time)) % 4 == 0)) begin
            s_tvalid <= 1'b1;
            s_tdata  <= beat_data(f, b);
            s_tkeep  <= beat_keep(f, b);
            s_tlast  <= b == beats_of(f) - 1;
            s_tuser  <= 1'(f);
        end else begin
            s_tvalid <= 1'b0;
        end
    end

    // Rule i on the write port, wr_en high, from this falling edge on.
    task automatic present_rule(input int i);
        wr_en <= 1'b1;
        wr_idx <= 16'(i);
        wr_value <= rule_value(i);
        wr_mask <= rule_mask();
        wr_action <= rule_action(i);
    endtask

    /* verilator lint_off INITIALDLY */
    initial begin
        repeat (4) @(posedge clk);
        rst <= 1'b0;
        // Inputs change at falling edges only: Verilator runs the
        // non-blocking assignments of an initial block as blocking ones.
        @(negedge clk);
        rw_en <= 1'b1;
        for (int i = 0; i < 40; i++)
            rw_key[8*i +: 8] <= 8'(mix(32'(i)));
        @(negedge clk);
        rw_en <= 1'b0;
        // Rule i: UDP destination port 1000 + i -> VNIC i, when both
        // engines have a free pending slot.
        for (int i = 0; i < RULES; i++) begin
            @(negedge clk);
            while (!d_wr_ready || !r_wr_ready)
                @(negedge clk);
            present_rule(i);
            @(negedge clk);   // held across exactly one rising edge
            wr_en <= 1'b0;
        end
        repeat (400) @(posedge clk);
        tx_end <= NFRAMES;
        while (rx_f < NFRAMES && idle < 5000)
            @(posedge clk);
        fast <= 1'b1;
        gaps <= 1'b0;
        tx_end <= NALL;
        while (tx_f < NALL && idle < 5000)
            @(posedge clk);
        fast <= 1'b0;
        for (int i = 0; i < 200 && rx_f < NALL; i++)
            @(posedge clk);
        repeat (50) @(posedge clk);   // anything more would be a duplicate
        // Entry writes that ignore wr_ready: 8 on consecutive clocks to
        // entries not pending. The 4 pending slots take the first 4; a
        // slot frees only after its 34-clock copy, so the other 4 find
        // none and are refused, each counted in wr_drops.
        repeat (100) @(posedge clk);  // every earlier copy done
        drops0 = d_wr_drops;
        for (int i = 0; i < 8; i++) begin
            @(negedge clk);
            present_rule(i);
        end
        @(negedge clk);
        wr_en <= 1'b0;
        repeat (20) @(posedge clk);
        $display("1..5");
        $display("%0s 1 - %0d frames out once each, in order (%0d beats; output stalled %0d clocks)",
                 (rx_f == NALL && bad_order == 0 && rx_beats == tx_beats) ? "ok" : "not ok",
                 rx_f, rx_beats, stalled);
        $display("%0s 2 - every beat's tdata, tkeep, tlast and tuser as sent (%0d differ)",
                 bad_data == 0 ? "ok" : "not ok", bad_data);
        $display("%0s 3 - every frame's result equals the bare engine's (%0d differ, %0d hits)",
                 (bad_res == 0 && n_want == NALL && n_hits > NALL / 4) ? "ok" : "not ok",
                 bad_res, n_hits);
        $display("%0s 4 - full rate without stalls: %0d beats in %0d clocks",
                 (rx_f == NALL && fast_beats > 0 && fast_beats * 100 >= fast_clocks * 95) ?
                 "ok" : "not ok", fast_beats, fast_clocks);
        $display("%0s 5 - entry writes past wr_ready are refused and counted: %0d of 8 (want 4, both engines)",
                 (d_wr_drops - drops0 == 4 && r_wr_drops == d_wr_drops) ? "ok" : "not ok",
                 d_wr_drops - drops0);
        $finish;
    end
    /* verilator lint_on INITIALDLY */
endmodule

`default_nettype wire
