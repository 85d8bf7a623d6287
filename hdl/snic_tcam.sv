// SPDX-License-Identifier: MIT
// Ternary match table in the transposed RAM layout: the key is cut into
// NSL slices of SLICE bits; slice s addresses RAM s, 2^SLICE words of
// DEPTH bits, whose bit e says "slice s of the key matches entry e". A
// lookup reads one word per slice, ANDs them and takes the lowest set bit:
// the cost does not depend on how many entries are installed. On an FPGA
// the RAMs are LUTRAM (SLICE = 5): one LUT in 32x2 mode holds slice s of
// an entry pair, read at the lookup key's slice, written through a
// separate write address, so lookups never stall (see the RAM32M16 form).
//   edge 1  RAM read + AND of all slices (+ pending entries) -> m_*
//   edge 2  first-level priority: lowest hit per GROUP       -> g_*
//   edge 3  second-level priority: lowest hit overall        -> p_*
//   edge 4  action read, hit counter update                  -> res_*
// Writes: storing an entry takes 2^SLICE RAM writes (one address per
// clock, all slices at once). So that a lookup sees the entry old or new,
// never half-written, a written entry first goes to one of PEND pending
// slots (value, mask, index in flip-flops, compared in full like a CAM
// entry) at the edge after the write arrives; from that edge its RAM
// column is ignored (ram_valid) and the slot answers for the entry. A
// drain sequencer copies the slot into the RAM column in 1 + 2^SLICE
// clocks (one to fetch the partner entry, see below, then one per RAM
// word), then, at one edge, sets ram_valid and frees the slot: the
// entry's answer never changes. A clear needs no slot (ram_valid off at
// once). A write to an entry that is still pending replaces its slot.
// wr_free tells how many slots are free; a write arriving with none free
// is refused and counted in wr_drops (the top level's wr_ready prevents
// that). Action and hit-counter reset follow ACT_DELAY edges after the
// store, the distance from compare to action read.
`default_nettype none

module snic_tcam #(
    parameter int DEPTH     = 64,   // entries
    parameter int KEY_BITS  = 512,  // key width
    parameter int ACT_BITS  = 64,   // action width
    parameter int SIDE_BITS = 1,    // sideband carried along with each lookup
    parameter int GROUP     = 32,   // entries per first-level priority group
    parameter int CNT_BITS  = 64,   // hit counter width (wraps)
    parameter int COUNT_BIT = 49,   // action bit that enables hit counting
    parameter int SLICE     = 5,    // key bits per RAM (RAM depth 2^SLICE)
    parameter int PEND      = 4,    // pending-write slots
    parameter logic [ACT_BITS-1:0] MISS_ACTION = '0 // action driven on a miss
) (
    input  wire                  clk,
    input  wire                  rst,         // synchronous: clears valid bits and counters
    // lookup
    input  wire                  lk_valid,
    input  wire [KEY_BITS-1:0]   lk_key,
    input  wire [SIDE_BITS-1:0]  lk_side,
    // write port: one whole entry per clock while wr_free > 0
    input  wire                  wr_en,
    input  wire [15:0]           wr_idx,      // ignored when >= DEPTH
    input  wire                  wr_valid,    // 0 clears the entry
    input  wire [KEY_BITS-1:0]   wr_value,
    input  wire [KEY_BITS-1:0]   wr_mask,
    input  wire [ACT_BITS-1:0]   wr_action,
    output logic [7:0]           wr_free,     // free pending slots
    output logic [31:0]          wr_drops,    // entry writes refused: no free slot
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
`include "snic_check.svh"

    localparam int IW        = (DEPTH > 1) ? $clog2(DEPTH) : 1;  // entry index width
    localparam int NGROUPS   = (DEPTH + GROUP - 1) / GROUP;        // first-level groups
    localparam int GW        = (GROUP > 1) ? $clog2(GROUP) : 1;    // index width in a group
    localparam int NW        = (NGROUPS > 1) ? $clog2(NGROUPS) : 1;// group number width
    localparam int ACT_DELAY = 3;  // edges from compare to action read
    localparam int NSL       = (KEY_BITS + SLICE - 1) / SLICE;     // key slices = RAMs
    localparam int WORDS     = 1 << SLICE;                         // words per RAM
    localparam int PADK      = NSL * SLICE;                        // key padded to slices
    localparam int PW        = (PEND > 1) ? $clog2(PEND) : 1;      // slot number width

    if (DEPTH < 1 || DEPTH > 32768) begin : bad_depth
        `SNIC_CHECK("snic_tcam: DEPTH must be 1..32768 (16-bit index, 16'hffff = miss)");
    end
    if (GROUP < 2 || GROUP > 256 || (GROUP & (GROUP - 1)) != 0) begin : bad_group
        `SNIC_CHECK("snic_tcam: GROUP must be a power of two, 2..256");
    end
    if (SLICE < 1 || SLICE > 8) begin : bad_slice
        `SNIC_CHECK("snic_tcam: SLICE must be 1..8 (RAM depth 2..256)");
    end
    if (PEND < 1 || PEND > 64) begin : bad_pend
        `SNIC_CHECK("snic_tcam: PEND must be 1..64");
    end
    if (KEY_BITS < 1 || ACT_BITS < 1 || SIDE_BITS < 1 || CNT_BITS < 1) begin : bad_width
        `SNIC_CHECK("snic_tcam: KEY_BITS, ACT_BITS, SIDE_BITS and CNT_BITS must be >= 1");
    end
    if (COUNT_BIT < 0 || COUNT_BIT >= ACT_BITS) begin : bad_count_bit
        `SNIC_CHECK("snic_tcam: COUNT_BIT must select a bit of the action");
    end

    logic [DEPTH-1:0]    ram_valid;   // RAM column e holds entry e, in full
    logic [ACT_BITS-1:0] ta [DEPTH];
    logic [CNT_BITS-1:0] hits [DEPTH];

    // Pending slots: value & mask, mask, index; live = answers for its entry.
    logic [PEND-1:0]     ps_live;
    logic [KEY_BITS-1:0] ps_v [PEND];
    logic [KEY_BITS-1:0] ps_m [PEND];
    logic [IW-1:0]       ps_idx [PEND];

    // Drain sequencer: copies slot dr_slot into RAM column ps_idx[dr_slot]:
    // a first clock (dr_pre) to fetch the partner entry, then one per word.
    logic                dr_busy, dr_pre;
    logic [PW-1:0]       dr_slot;
    logic [SLICE-1:0]    dr_addr;
    wire                 dr_live = dr_busy && ps_live[dr_slot];
    wire                 dr_we   = dr_live && !dr_pre;
    wire [IW-1:0]        dr_col = ps_idx[dr_slot];
    wire [PADK-1:0]      dr_v   = PADK'(ps_v[dr_slot]);
    wire [PADK-1:0]      dr_m   = PADK'(ps_m[dr_slot]);   // padding bits: don't care
    logic [NSL-1:0]      dr_bit;  // word dr_addr of RAM s matches the entry's slice s
    always_comb
        for (int s = 0; s < NSL; s++)
            dr_bit[s] = ((dr_addr ^ dr_v[s*SLICE +: SLICE]) & dr_m[s*SLICE +: SLICE]) == '0;

    wire [PADK-1:0] lk_kpad = PADK'(lk_key);

`ifdef SNIC_TCAM_STRUCTURAL
    // Synthesis for UltraScale(+): RAM32M16 LUTRAMs (8 LUTs in 32x2 mode:
    // 7 read ports with their own address, the 8th LUT holds the shared
    // write address). One port holds one key slice of an entry pair (bit 0
    // entry 2k, bit 1 entry 2k+1): a primitive holds 7 slices of 2
    // entries, 70 ternary bits in 8 LUTs. Writing a word writes both
    // entries' bits, so the drain needs the partner's value and mask: a
    // copy of every entry (value & mask, mask) sits in block RAM, written
    // with the slot, read in the drain's first clock. A partner that is
    // pending itself has its RAM column ignored and is drained later from
    // its newest copy; a valid partner gets back the bits it has.
    if (SLICE != 5) begin : bad_struct_slice
        `SNIC_CHECK("snic_tcam: the RAM32M16 form needs SLICE 5");
    end
    localparam int NG    = (NSL + 6) / 7;      // RAM32M16 per entry pair
    localparam int NPAIR = (DEPTH + 1) / 2;
    logic [2*KEY_BITS-1:0] shadow [2*NPAIR];   // block RAM: {value & mask, mask}
    logic [2*KEY_BITS-1:0] sh_q;               // the partner, read at dr_pre
    always_ff @(posedge clk) begin
        if (wr_take)
            shadow[wr_col] <= {wr_value & wr_mask, wr_mask};
        if (dr_busy && dr_pre)
            sh_q <= shadow[dr_col ^ IW'(1)];
    end
    wire [PADK-1:0] pr_v = PADK'(sh_q[2*KEY_BITS-1:KEY_BITS]);
    wire [PADK-1:0] pr_m = PADK'(sh_q[KEY_BITS-1:0]);
    logic [NSL-1:0] pr_bit;  // word dr_addr of RAM s matches the partner's slice s
    always_comb
        for (int s = 0; s < NSL; s++)
            pr_bit[s] = ((dr_addr ^ pr_v[s*SLICE +: SLICE]) & pr_m[s*SLICE +: SLICE]) == '0;
    wire [NSL-1:0]  lo_bit = dr_col[0] ? pr_bit : dr_bit;   // entry 2k
    wire [NSL-1:0]  hi_bit = dr_col[0] ? dr_bit : pr_bit;   // entry 2k+1
    wire [7*NG-1:0] di_lo = (7*NG)'(lo_bit);
    wire [7*NG-1:0] di_hi = (7*NG)'(hi_bit);
    logic [NSL-1:0] sl_rd [2*NPAIR];     // entry e, slice s
    for (genvar k = 0; k < NPAIR; k++) begin : pair
        wire we = dr_we && (dr_col >> 1) == IW'(k);
        /* verilator lint_off UNUSEDSIGNAL */
        logic [7*NG-1:0] dlo, dhi;       // past NSL: padding ports, unread
        /* verilator lint_on UNUSEDSIGNAL */
        for (genvar g = 0; g < NG; g++) begin : grp
            wire [7*SLICE-1:0] ra = (7*SLICE)'(lk_kpad >> (7*SLICE*g));
            /* verilator lint_off UNUSEDSIGNAL */
            logic [1:0]        unused_h;   // the write-address LUT's output
            /* verilator lint_on UNUSEDSIGNAL */
            RAM32M16 ram (
                .WCLK(clk), .WE(we), .ADDRH(dr_addr), .DIH(2'b00), .DOH(unused_h),
                .ADDRA(ra[0*SLICE +: SLICE]), .DIA({di_hi[7*g+0], di_lo[7*g+0]}), .DOA({dhi[7*g+0], dlo[7*g+0]}),
                .ADDRB(ra[1*SLICE +: SLICE]), .DIB({di_hi[7*g+1], di_lo[7*g+1]}), .DOB({dhi[7*g+1], dlo[7*g+1]}),
                .ADDRC(ra[2*SLICE +: SLICE]), .DIC({di_hi[7*g+2], di_lo[7*g+2]}), .DOC({dhi[7*g+2], dlo[7*g+2]}),
                .ADDRD(ra[3*SLICE +: SLICE]), .DID({di_hi[7*g+3], di_lo[7*g+3]}), .DOD({dhi[7*g+3], dlo[7*g+3]}),
                .ADDRE(ra[4*SLICE +: SLICE]), .DIE({di_hi[7*g+4], di_lo[7*g+4]}), .DOE({dhi[7*g+4], dlo[7*g+4]}),
                .ADDRF(ra[5*SLICE +: SLICE]), .DIF({di_hi[7*g+5], di_lo[7*g+5]}), .DOF({dhi[7*g+5], dlo[7*g+5]}),
                .ADDRG(ra[6*SLICE +: SLICE]), .DIG({di_hi[7*g+6], di_lo[7*g+6]}), .DOG({dhi[7*g+6], dlo[7*g+6]})
            );
        end
        assign sl_rd[2*k]     = dlo[NSL-1:0];
        assign sl_rd[2*k + 1] = dhi[NSL-1:0];
    end
    logic [DEPTH-1:0] ram_and;
    always_comb
        for (int e = 0; e < DEPTH; e++)
            ram_and[e] = ram_valid[e] && &sl_rd[e];
    `define SNIC_TCAM_RAM_AND ram_and
`else
    // Simulation: the same RAMs as one array of wide words, read only when
    // a lookup arrives: a lookup is NSL wide ANDs.
    logic [DEPTH-1:0] ram [NSL][WORDS];
    for (genvar s = 0; s < NSL; s++) begin : slw
        always_ff @(posedge clk)
            if (dr_we)
                ram[s][dr_addr][dr_col] <= dr_bit[s];
    end
    // Slice number clamped to the last slice: the last group of eight ANDs
    // that slice again, which changes nothing.
    function automatic int sl(input int s);
        sl = (s < NSL) ? s : NSL - 1;
    endfunction
    // Eight slices per statement: the model ANDs one word of eight rows in
    // registers before storing it, instead of storing after every slice
    // (measured: 4.5% fewer instructions per full-load clock at DEPTH
    // 1024; 4, 6, 10, 12 and 16 per statement do worse).
    function automatic logic [DEPTH-1:0] ram_lookup(input logic [PADK-1:0] k);
        logic [DEPTH-1:0] a;
        a = ram_valid;
        for (int s = 0; s < NSL; s += 8)
            a &= ram[sl(s)][k[sl(s)*SLICE +: SLICE]] & ram[sl(s+1)][k[sl(s+1)*SLICE +: SLICE]] &
                 ram[sl(s+2)][k[sl(s+2)*SLICE +: SLICE]] & ram[sl(s+3)][k[sl(s+3)*SLICE +: SLICE]] &
                 ram[sl(s+4)][k[sl(s+4)*SLICE +: SLICE]] & ram[sl(s+5)][k[sl(s+5)*SLICE +: SLICE]] &
                 ram[sl(s+6)][k[sl(s+6)*SLICE +: SLICE]] & ram[sl(s+7)][k[sl(s+7)*SLICE +: SLICE]];
        ram_lookup = a;
    endfunction
    `define SNIC_TCAM_RAM_AND ram_lookup(lk_kpad)
`endif

    // Lowest set bit of a vector (0 when none): slot choice.
    function automatic logic [PW-1:0] first_slot(input logic [PEND-1:0] v);
        logic [PW-1:0] r;
        r = '0;
        for (int i = PEND - 1; i >= 0; i--)
            if (v[i])
                r = PW'(i);
        first_slot = r;
    endfunction

    wire            wr_ok   = wr_en && (wr_idx < 16'(DEPTH));
    wire [IW-1:0]   wr_col  = wr_idx[IW-1:0];
    logic [PEND-1:0] same;  // live slots holding the written entry
    always_comb
        for (int p = 0; p < PEND; p++)
            same[p] = ps_live[p] && ps_idx[p] == wr_col;
    // A write reuses the slot of its entry if pending, else takes a free one.
    wire            wr_take = wr_ok && wr_valid && (same != '0 || ps_live != '1);
    wire [PW-1:0]   wr_slot = (same != '0) ? first_slot(same) : first_slot(~ps_live);
    wire            dr_done = dr_we && dr_addr == SLICE'(WORDS - 1);

    always_ff @(posedge clk) begin
        if (rst) begin
            ram_valid <= '0;
            ps_live   <= '0;
            dr_busy   <= 1'b0;
            wr_drops  <= '0;
        end else begin
            // drain: next address, or done (column valid, slot free), or
            // aborted because the slot was cleared or replaced meanwhile
            if (dr_busy) begin
                dr_pre <= 1'b0;
                if (!dr_pre)
                    dr_addr <= dr_addr + 1'b1;
                if (!dr_live || dr_done)
                    dr_busy <= 1'b0;
                if (dr_done) begin
                    ram_valid[dr_col] <= 1'b1;
                    ps_live[dr_slot]  <= 1'b0;
                end
            end else if (ps_live != '0) begin
                dr_busy <= 1'b1;
                dr_pre  <= 1'b1;
                dr_slot <= first_slot(ps_live);
                dr_addr <= '0;
            end
            // the port wins over a drain finishing at the same edge
            if (wr_ok) begin
                ram_valid[wr_col] <= 1'b0;
                for (int p = 0; p < PEND; p++)
                    if (same[p])
                        ps_live[p] <= 1'b0;
                if (wr_take)
                    ps_live[wr_slot] <= 1'b1;
                if (wr_take && dr_busy && wr_slot == dr_slot)
                    dr_busy <= 1'b0;   // slot rewritten: drain it again from 0
                if (wr_valid && !wr_take)
                    wr_drops <= wr_drops + 1'b1;
            end
        end
        if (wr_take) begin
            ps_v[wr_slot]   <= wr_value & wr_mask;
            ps_m[wr_slot]   <= wr_mask;
            ps_idx[wr_slot] <= wr_col;
        end
    end

    logic [7:0] nfree;
    always_comb begin
        nfree = '0;
        for (int p = 0; p < PEND; p++)
            nfree += 8'(!ps_live[p]);
    end
    assign wr_free = nfree;

    // Action writes trail the store by ACT_DELAY edges. Flat delay lines,
    // stage i in slice i (stage 0 lowest), each shifted as one vector; the
    // data moves only while a write is in flight.
    logic [ACT_DELAY-1:0]          aw_en;
    logic [ACT_DELAY*IW-1:0]       aw_idx;
    logic [ACT_DELAY*ACT_BITS-1:0] aw_act;
    wire wr_stored = wr_ok && (!wr_valid || wr_take);
    always_ff @(posedge clk) begin
        aw_en <= rst ? '0 : {aw_en[ACT_DELAY-2:0], wr_stored};
        if (wr_stored || aw_en[ACT_DELAY-2:0] != '0) begin
            aw_idx <= {aw_idx[(ACT_DELAY-1)*IW-1:0], wr_col};
            aw_act <= {aw_act[(ACT_DELAY-1)*ACT_BITS-1:0], wr_action};
        end
    end
    // Stage ACT_DELAY-1 is applied at the next edge: ACT_DELAY edges after
    // the matching store.
    wire                aw_last_en  = aw_en[ACT_DELAY-1];
    wire [IW-1:0]       aw_last_idx = aw_idx[(ACT_DELAY-1)*IW +: IW];
    wire [ACT_BITS-1:0] aw_last_act = aw_act[(ACT_DELAY-1)*ACT_BITS +: ACT_BITS];

    // ---------------------------------------------------------- edge 1
    // RAM columns that hold their entry, plus the pending slots' compares.
    logic [NGROUPS*GROUP-1:0] m_vec;
    logic                     m_valid;
    logic [SIDE_BITS-1:0]     m_side;
    always_ff @(posedge clk) begin
        logic [DEPTH-1:0] v;
        m_valid <= rst ? 1'b0 : lk_valid;
        if (lk_valid) begin
            v = `SNIC_TCAM_RAM_AND;
            for (int p = 0; p < PEND; p++)
                if (ps_live[p] && (lk_key & ps_m[p]) == ps_v[p])
                    v[ps_idx[p]] = 1'b1;
            m_side <= lk_side;
            m_vec  <= (NGROUPS*GROUP)'(v);
        end
    end
`undef SNIC_TCAM_RAM_AND

    // Priority encoders: isolate the lowest set bit (v & -v, a carry
    // chain), then bit b of its index is the OR of the positions whose
    // number has bit b set (constant masks). 0 when no bit is set.
    // mask b of n positions in [b*n +: n]
    localparam int MASK_BITS = (GW*GROUP > NW*NGROUPS) ? GW*GROUP : NW*NGROUPS;
    function automatic logic [MASK_BITS-1:0] index_masks(input int n, input int w);
        index_masks = '0;
        for (int b = 0; b < w; b++)
            for (int i = 0; i < n; i++)
                index_masks[b*n + i] = ((i >> b) & 1) != 0;
    endfunction
    localparam logic [GW*GROUP-1:0]   GMASK = (GW*GROUP)'(index_masks(GROUP, GW));
    localparam logic [NW*NGROUPS-1:0] SMASK = (NW*NGROUPS)'(index_masks(NGROUPS, NW));

    function automatic logic [GW-1:0] lowest(input logic [GROUP-1:0] v);
        logic [GROUP-1:0] one;
        one = v & (~v + 1'b1);
        for (int b = 0; b < GW; b++)
            lowest[b] = |(one & GMASK[b*GROUP +: GROUP]);
    endfunction
    function automatic logic [NW-1:0] lowest_group(input logic [NGROUPS-1:0] v);
        logic [NGROUPS-1:0] one;
        one = v & (~v + 1'b1);
        for (int b = 0; b < NW; b++)
            lowest_group[b] = |(one & SMASK[b*NGROUPS +: NGROUPS]);
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
            gsel = lowest_group(g_hit);
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
    // The counter RAM has one write port (the increment; LUTRAM with two
    // asynchronous read ports): a reset only sets the entry's zero flag,
    // which reads as 0 until the next increment writes 1.
    logic [DEPTH-1:0] hz;   // counter reads as zero
    wire  [CNT_BITS-1:0] p_cnt = hz[p_idx] ? '0 : hits[p_idx];
    wire  count = !rst && p_valid && p_hit && p_act[COUNT_BIT] &&
                  !(aw_last_en && aw_last_idx == p_idx);
    always_ff @(posedge clk) begin
        if (count)
            hits[p_idx] <= p_cnt + 1'b1;
        if (count)
            hz[p_idx] <= 1'b0;
        if (aw_last_en)
            hz[aw_last_idx] <= 1'b1;
        if (aw_last_en)
            ta[aw_last_idx] <= aw_last_act;
    end

    assign cnt_data = (cnt_idx < 16'(DEPTH) && !hz[cnt_idx[IW-1:0]]) ? hits[cnt_idx[IW-1:0]] : '0;
endmodule

`default_nettype wire
