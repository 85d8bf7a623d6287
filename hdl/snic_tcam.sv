// SPDX-License-Identifier: MIT
// Ternary match table: DEPTH entries of value/mask/action/valid, one
// lookup per clock, fixed latency of 4 edges, lowest valid index wins.
//   edge 1  compare: match vector of all entries        -> m_*
//   edge 2  first-level priority: lowest hit per GROUP   -> g_*
//   edge 3  second-level priority: lowest hit overall    -> p_*
//   edge 4  action read, hit counter update             -> res_*
// Writes: value/mask/valid of one entry are stored at the edge after the
// write arrives; its action and hit-counter reset follow exactly ACT_DELAY
// edges later, the distance between compare and action read. A lookup
// therefore sees an entry entirely old or entirely new, never torn: a
// lookup that arrives in the same cycle as a write (or earlier) sees the
// old entry, a lookup that arrives later sees the new one.
// Every stage works only when it holds a lookup, and the compare only on
// valid entries (operand isolation): in silicon the power, in the
// Verilated model the cost of a clock, which then scales with the lookups
// and the entries installed. Stale data of an empty stage is never read.
`default_nettype none

module snic_tcam #(
    parameter int DEPTH     = 64,   // entries
    parameter int KEY_BITS  = 512,  // key width
    parameter int ACT_BITS  = 64,   // action width
    parameter int SIDE_BITS = 1,    // sideband carried along with each lookup
    parameter int GROUP     = 32,   // entries per first-level priority group
    parameter int CNT_BITS  = 64,   // hit counter width (wraps)
    parameter int COUNT_BIT = 49,   // action bit that enables hit counting
    parameter logic [ACT_BITS-1:0] MISS_ACTION = '0 // action driven on a miss
) (
    input  wire                  clk,
    input  wire                  rst,         // synchronous: clears valid bits and counters
    // lookup
    input  wire                  lk_valid,
    input  wire [KEY_BITS-1:0]   lk_key,
    input  wire [SIDE_BITS-1:0]  lk_side,
    // write port: one whole entry per clock
    input  wire                  wr_en,
    input  wire [15:0]           wr_idx,      // ignored when >= DEPTH
    input  wire                  wr_valid,    // 0 clears the entry
    input  wire [KEY_BITS-1:0]   wr_value,
    input  wire [KEY_BITS-1:0]   wr_mask,
    input  wire [ACT_BITS-1:0]   wr_action,
    // hit counter read port (asynchronous, like a distributed-RAM read)
    input  wire [15:0]           cnt_idx,
    output logic [CNT_BITS-1:0]  cnt_data,
    // result
    output logic                 res_valid,
    output logic [SIDE_BITS-1:0] res_side,
    output logic                 res_hit,
    output logic [15:0]          res_idx,     // 16'hffff on a miss
    output logic [ACT_BITS-1:0]  res_action
);
    localparam int IW        = (DEPTH > 1) ? $clog2(DEPTH) : 1;  // entry index width
    localparam int NGROUPS   = (DEPTH + GROUP - 1) / GROUP;        // first-level groups
    localparam int GW        = (GROUP > 1) ? $clog2(GROUP) : 1;    // index width in a group
    localparam int NW        = (NGROUPS > 1) ? $clog2(NGROUPS) : 1;// group number width
    localparam int ACT_DELAY = 3;  // edges from compare to action read

    // Table storage. tv holds value & mask so the compare is one AND.
    logic [KEY_BITS-1:0] tv [DEPTH];
    logic [KEY_BITS-1:0] tm [DEPTH];
    logic [ACT_BITS-1:0] ta [DEPTH];
    logic [DEPTH-1:0]    tvalid;
    logic [CNT_BITS-1:0] hits [DEPTH];

    wire wr_ok = wr_en && (wr_idx < 16'(DEPTH));

    always_ff @(posedge clk) begin
        if (rst)
            tvalid <= '0;
        else if (wr_ok)
            tvalid[wr_idx[IW-1:0]] <= wr_valid;
        if (wr_ok) begin
            tv[wr_idx[IW-1:0]] <= wr_value & wr_mask;
            tm[wr_idx[IW-1:0]] <= wr_mask;
        end
    end

    // Action writes trail value/mask writes by ACT_DELAY edges.
    // Flat delay lines, stage i in slice i (stage 0 lowest), each shifted as
    // one vector; the data moves only while a write is in flight.
    logic [ACT_DELAY-1:0]          aw_en;
    logic [ACT_DELAY*IW-1:0]       aw_idx;
    logic [ACT_DELAY*ACT_BITS-1:0] aw_act;
    always_ff @(posedge clk) begin
        aw_en <= rst ? '0 : {aw_en[ACT_DELAY-2:0], wr_ok};
        if (wr_ok || aw_en[ACT_DELAY-2:0] != '0) begin
            aw_idx <= {aw_idx[(ACT_DELAY-1)*IW-1:0], wr_idx[IW-1:0]};
            aw_act <= {aw_act[(ACT_DELAY-1)*ACT_BITS-1:0], wr_action};
        end
    end
    // Stage ACT_DELAY-1 is applied at the next edge: ACT_DELAY edges after
    // the matching value/mask store.
    wire                aw_last_en  = aw_en[ACT_DELAY-1];
    wire [IW-1:0]       aw_last_idx = aw_idx[(ACT_DELAY-1)*IW +: IW];
    wire [ACT_BITS-1:0] aw_last_act = aw_act[(ACT_DELAY-1)*ACT_BITS +: ACT_BITS];

    // ---------------------------------------------------------- edge 1
    logic [NGROUPS*GROUP-1:0] m_vec;
    logic                     m_valid;
    logic [SIDE_BITS-1:0]     m_side;
    // An invalid entry never matches: its compare is skipped, a group of
    // GROUP entries with none valid at once. Entries past DEPTH (padding of
    // the last group) are never valid.
    wire [NGROUPS*GROUP-1:0] tvalid_pad = (NGROUPS*GROUP)'(tvalid);
    always_ff @(posedge clk) begin
        m_valid <= rst ? 1'b0 : lk_valid;
        if (lk_valid) begin
            m_side <= lk_side;
            m_vec  <= '0;
            for (int j = 0; j < NGROUPS; j++)
                if (|tvalid_pad[j*GROUP +: GROUP])
                    for (int k = 0; k < GROUP; k++)
                        if (tvalid_pad[j*GROUP + k])
                            m_vec[j*GROUP + k] <=
                                (lk_key & tm[j*GROUP + k]) == tv[j*GROUP + k];
        end
    end

    // Index of the lowest set bit of a group (0 when none).
    function automatic logic [GW-1:0] lowest(input logic [GROUP-1:0] v);
        logic [GW-1:0] r;
        r = '0;
        for (int i = GROUP - 1; i >= 0; i--)
            if (v[i])
                r = GW'(i);
        lowest = r;
    endfunction

    // ---------------------------------------------------------- edge 2
    logic [NGROUPS-1:0]  g_hit;
    logic [NGROUPS*GW-1:0] g_idx;   // group j in [j*GW +: GW]
    logic                g_valid;
    logic [SIDE_BITS-1:0] g_side;
    // lowest() of a group without a hit is 0: only hit groups need it.
    always_ff @(posedge clk) begin
        g_valid <= rst ? 1'b0 : m_valid;
        if (m_valid) begin
            g_side <= m_side;
            for (int j = 0; j < NGROUPS; j++) begin
                g_hit[j] <= |m_vec[j*GROUP +: GROUP];
                if (|m_vec[j*GROUP +: GROUP])
                    g_idx[j*GW +: GW] <= lowest(m_vec[j*GROUP +: GROUP]);
                else
                    g_idx[j*GW +: GW] <= '0;
            end
        end
    end

    // ---------------------------------------------------------- edge 3
    logic                 p_valid;
    logic [SIDE_BITS-1:0] p_side;
    logic                 p_hit;
    logic [IW-1:0]        p_idx;
    always_ff @(posedge clk) begin
        logic [NW-1:0] gsel;
        p_valid <= rst ? 1'b0 : g_valid;
        if (g_valid) begin
            gsel = '0;
            for (int j = NGROUPS - 1; j >= 0; j--)
                if (g_hit[j])
                    gsel = NW'(j);
            p_side <= g_side;
            p_hit  <= |g_hit;
            p_idx  <= IW'({gsel, g_idx[gsel*GW +: GW]});
        end
    end

    // ---------------------------------------------------------- edge 4
    wire [ACT_BITS-1:0] p_act = ta[p_idx];
    always_ff @(posedge clk) begin
        res_valid <= rst ? 1'b0 : p_valid;
        if (p_valid) begin
            res_side   <= p_side;
            res_hit    <= p_hit;
            res_idx    <= p_hit ? 16'(p_idx) : 16'hffff;
            res_action <= p_hit ? p_act : MISS_ACTION;
        end
    end

    // Action store and hit counters. A write's counter reset lands on the
    // same edge as its action and wins over a hit of the entry it replaces.
    // Counters are memory, not reset by rst: writing an entry (also a clear)
    // zeroes its counter, and the firmware clears every entry at start.
    always_ff @(posedge clk) begin
        if (!rst && p_valid && p_hit && p_act[COUNT_BIT])
            hits[p_idx] <= hits[p_idx] + 1'b1;
        if (aw_last_en)
            hits[aw_last_idx] <= '0;
        if (aw_last_en)
            ta[aw_last_idx] <= aw_last_act;
    end

    assign cnt_data = (cnt_idx < 16'(DEPTH)) ? hits[cnt_idx[IW-1:0]] : '0;
endmodule

`default_nettype wire
