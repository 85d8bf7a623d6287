// SPDX-License-Identifier: MIT
// Exact-match table: 2-way cuckoo hash, 4-slot buckets, 64-bit key
// (dmac, tagged bit, VLAN id) -> action, in block RAM: one memory per
// (way, slot), BUCKETS words of {valid, key, action}, one write port and
// one synchronous read port with its output register (the BRAM's own).
// One lookup per clock, latency 4 edges, the same as snic_tcam so the top
// can combine both results:
//   edge 1  hash both ways (H3), read both candidate buckets (BRAM latch)
//   edge 2  BRAM output register
//   edge 3  compare the 8 slots with the key, lowest matching slot (way 0
//           slots 0..3, then way 1)
//   edge 4  result registers
// Writes: one whole slot (valid, key, action) per clock, stored in one
// word, so a lookup sees a slot old or new, never torn. A lookup arriving
// in the same cycle as a write sees the old slot (as in snic_tcam).
// Block RAM cannot be reset: after rst a sequencer writes every bucket
// empty (BUCKETS clocks, all 8 memories at once). Meanwhile lookups miss
// (the table is empty) and writes are refused (wr_ready low, counted in
// wr_drops).
// Placement (cuckoo insertion) is the firmware's job: classifier/exact.h.
// Every stage works only when it holds a lookup (operand isolation): in
// the Verilated model that makes an idle clock cheap; stale data of an
// empty stage is never read.
`default_nettype none

module snic_exact #(
    parameter int BUCKETS  = 2048, // buckets per way, power of two, <= 2048
    parameter int ACT_BITS = 64    // action width
) (
    input  wire                 clk,
    input  wire                 rst,         // synchronous: empties the table (BUCKETS clocks)
    input  wire                 lk_valid,
    input  wire [63:0]          lk_xkey,     // classifier/exact.h snic_exact_key()
    // write port: slot index = ((way * BUCKETS) + bucket) * 4 + slot
    output logic                wr_ready,    // writes are taken (not emptying)
    output logic [31:0]         wr_drops,    // writes refused while emptying
    input  wire                 wr_en,
    input  wire [15:0]          wr_slot,     // ignored when >= 2 * BUCKETS * 4
    input  wire                 wr_valid,    // 0 clears the slot
    input  wire [63:0]          wr_xkey,
    input  wire [ACT_BITS-1:0]  wr_action,
    output logic                res_valid,
    output logic                res_hit,
    output logic [15:0]         res_slot,    // slot index when res_hit
    output logic [ACT_BITS-1:0] res_action
);
`include "snic_abi.svh"
`include "snic_check.svh"

    localparam int BW    = (BUCKETS > 1) ? $clog2(BUCKETS) : 1;  // bucket index width
    localparam int NSLOT = 2 * SNIC_EXACT_SLOTS;                 // candidate slots per lookup
    localparam int TOTAL = NSLOT * BUCKETS;                      // slots in the table
    localparam int WORD  = 1 + 64 + ACT_BITS;                    // valid, key, action

    if (BUCKETS < 2 || BUCKETS > 2048 || (BUCKETS & (BUCKETS - 1)) != 0) begin : bad_buckets
        `SNIC_CHECK("snic_exact: BUCKETS must be a power of two, 2..2048 (16-bit slot index)");
    end
    if (BW > SNIC_EXACT_HASH_BITS) begin : bad_hash
        `SNIC_CHECK("snic_exact: more buckets than the ABI's H3 hash has bits");
    end
    if (SNIC_EXACT_SLOTS != 4) begin : bad_slots
        `SNIC_CHECK("snic_exact: the slot index layout assumes 4 slots per bucket");
    end
    if (ACT_BITS < 1) begin : bad_act
        `SNIC_CHECK("snic_exact: ACT_BITS must be >= 1");
    end

    // Bucket of `k` in way `w`: bit i = parity(k & row i of the H3 matrix).
    function automatic logic [BW-1:0] bucket_of(input logic [63:0] k, input int w);
        logic [BW-1:0] b;
        logic [64*SNIC_EXACT_HASH_BITS-1:0] m;
        m = (w == 0) ? SNIC_EXACT_H3_W0 : SNIC_EXACT_H3_W1;
        for (int i = 0; i < BW; i++)
            b[i] = ^(k & m[64*i +: 64]);
        bucket_of = b;
    endfunction

    // Emptying after reset: clr_ptr walks the buckets.
    logic           clr_busy;
    logic [BW-1:0]  clr_ptr;
    always_ff @(posedge clk) begin
        if (rst) begin
            clr_busy <= 1'b1;
            clr_ptr  <= '0;
            wr_drops <= '0;
        end else begin
            if (clr_busy) begin
                clr_ptr <= clr_ptr + 1'b1;
                if (clr_ptr == BW'(BUCKETS - 1))
                    clr_busy <= 1'b0;
            end
            if (clr_busy && wr_en)
                wr_drops <= wr_drops + 1'b1;
        end
    end
    assign wr_ready = !clr_busy;

    wire            wr_ok   = wr_en && !clr_busy && (wr_slot < 16'(TOTAL));
    wire [2:0]      wr_mem  = {wr_slot[BW+2], wr_slot[1:0]};   // way, slot
    wire [BW-1:0]   wr_bkt  = wr_slot[BW+1:2];

    logic [BW-1:0]  lk_b0, lk_b1;
    always_comb begin
        lk_b0 = '0;
        lk_b1 = '0;
        if (lk_valid) begin
            lk_b0 = bucket_of(lk_xkey, 0);
            lk_b1 = bucket_of(lk_xkey, 1);
        end
    end

    // ------------------------------------------------------------ edge 1
    // BRAM read (q), then edge 2 its output register (o). A lookup read
    // while emptying misses (r_clr, c_clr).
    logic                r_valid, r_clr;
    logic [63:0]         r_xkey;
    logic [BW-1:0]       r_b0, r_b1;
    logic [NSLOT-1:0]    o_v;
    logic [NSLOT*64-1:0]            o_k;        // slot m in [64*m +: 64]
    logic [NSLOT*ACT_BITS-1:0]      o_a;        // slot m in [ACT_BITS*m +: ACT_BITS]

    // One memory per (way, slot).
    for (genvar m = 0; m < NSLOT; m++) begin : mem
        logic [WORD-1:0] ram [BUCKETS];
        logic [WORD-1:0] q;
        wire [BW-1:0] rd = (m < SNIC_EXACT_SLOTS) ? lk_b0 : lk_b1;
        wire          we = clr_busy || (wr_ok && wr_mem == 3'(m));
        wire [BW-1:0] wa = clr_busy ? clr_ptr : wr_bkt;
        wire [WORD-1:0] wd = clr_busy ? '0 : {wr_valid, wr_xkey, wr_action};
        always_ff @(posedge clk) begin
            if (we)
                ram[wa] <= wd;
            if (lk_valid)
                q <= ram[rd];
        end
        always_ff @(posedge clk)
            if (r_valid)
                {o_v[m], o_k[64*m +: 64], o_a[ACT_BITS*m +: ACT_BITS]} <= q;
    end

    always_ff @(posedge clk) begin
        r_valid <= rst ? 1'b0 : lk_valid;
        if (lk_valid) begin
            r_clr  <= clr_busy;
            r_xkey <= lk_xkey;
            r_b0   <= lk_b0;
            r_b1   <= lk_b1;
        end
    end

    // ------------------------------------------------------------ edge 2
    logic                c_valid, c_clr;
    logic [63:0]         c_xkey;
    logic [BW-1:0]       c_b0, c_b1;
    always_ff @(posedge clk) begin
        c_valid <= rst ? 1'b0 : r_valid;
        if (r_valid) begin
            c_clr  <= r_clr;
            c_xkey <= r_xkey;
            c_b0   <= r_b0;
            c_b1   <= r_b1;
        end
    end

    // ------------------------------------------------------------ edge 3
    logic                s_valid, s_hit;
    logic [15:0]         s_slot;
    logic [ACT_BITS-1:0] s_act;
    always_ff @(posedge clk) begin
        logic [NSLOT-1:0] hit;
        logic [2:0] first;
        s_valid <= rst ? 1'b0 : c_valid;
        if (c_valid) begin
            for (int m = 0; m < NSLOT; m++)
                hit[m] = !c_clr && o_v[m] && (o_k[64*m +: 64] == c_xkey);
            first = '0;
            for (int m = NSLOT - 1; m >= 0; m--)
                if (hit[m])
                    first = 3'(m);
            s_hit  <= |hit;
            s_act  <= o_a[ACT_BITS*first +: ACT_BITS];
            // way 0: bucket b0, way 1: BUCKETS + b1; times 4 plus the slot
            s_slot <= first[2] ? 16'(4 * BUCKETS) + 16'({c_b1, first[1:0]})
                               : 16'({c_b0, first[1:0]});
        end
    end

    // ------------------------------------------------------------ edge 4
    always_ff @(posedge clk) begin
        res_valid <= rst ? 1'b0 : s_valid;
        if (s_valid) begin
            res_hit    <= s_hit;
            res_slot   <= s_slot;
            res_action <= s_act;
        end
    end
endmodule

`default_nettype wire
