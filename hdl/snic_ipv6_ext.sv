// SPDX-License-Identifier: MIT
// One IPv6 extension header step of the parser, one register stage. When
// the packet is IPv6, still being parsed and `in_proto` names an
// extension header (hop-by-hop 0, routing 43, fragment 44, destination
// options 60) at byte `in_off`, the header is checked against the usable
// length and skipped; otherwise everything passes through unchanged.
// snic_parser chains SNIC_IPV6_MAX_EXT of these (classifier/parse_ipv6.c).
// Like the parser's stages, it works and loads its data registers only
// when it holds a packet (operand isolation): without one, the outputs
// other than out_valid keep stale data nobody reads.
`default_nettype none

module snic_ipv6_ext #(
    parameter int TAG_BITS = 32 // width of the sideband tag carried with each packet
) (
    input  wire                 clk,
    input  wire                 rst,        // synchronous, active high
    input  wire                 in_valid,
    input  wire [1023:0]        in_hdr,     // header vector, bytes past in_lim are zero
    input  wire [7:0]           in_lim,     // usable bytes, 0..128
    input  wire [TAG_BITS-1:0]  in_tag,
    input  wire [511:0]         in_key,     // key built so far
    input  wire                 in_go,      // parsing continues
    input  wire [7:0]           in_off,     // offset of the next header
    input  wire [7:0]           in_proto,   // its type (IPv6 next header)
    input  wire                 in_v6,      // the network header is IPv6
    output logic                out_valid,
    output logic [1023:0]       out_hdr,
    output logic [7:0]          out_lim,
    output logic [TAG_BITS-1:0] out_tag,
    output logic [511:0]        out_key,
    output logic                out_go,
    output logic [7:0]          out_off,
    output logic [7:0]          out_proto,
    output logic                out_v6
);
`include "snic_abi.svh"
`include "snic_check.svh"

    if (TAG_BITS < 1) begin : bad_tag_bits
        `SNIC_CHECK("snic_ipv6_ext: TAG_BITS must be >= 1");
    end

    localparam logic [7:0] IPV6_HOPOPTS  = 8'd0;
    localparam logic [7:0] IPV6_ROUTING  = 8'd43;
    localparam logic [7:0] IPV6_FRAGMENT = 8'd44;
    localparam logic [7:0] IPV6_DSTOPTS  = 8'd60;

    always_ff @(posedge clk) begin
        logic [7:0]   flags;  // the key bytes this step may change
        logic [7:0]   ipp;
        logic         go;
        logic [7:0]   off;
        logic [7:0]   proto;
        /* verilator lint_off UNUSEDSIGNAL */
        logic [31:0]  w;      // fragment header reserved bits [2:1] do not matter
        /* verilator lint_on UNUSEDSIGNAL */
        logic [31:0]  raw;    // the same four bytes, first byte lowest
        logic [11:0]  len;
        logic         is_ext, frag;
        out_valid <= rst ? 1'b0 : in_valid;
        if (in_valid) begin
            frag   = in_proto == IPV6_FRAGMENT;
            is_ext = in_proto == IPV6_HOPOPTS || in_proto == IPV6_ROUTING || frag ||
                     in_proto == IPV6_DSTOPTS;
            flags  = in_key[8*SNIC_KEY_OFF_FLAGS +: 8];
            ipp    = in_key[8*SNIC_KEY_OFF_IP_PROTO +: 8];
            go     = in_go;
            off    = in_off;
            proto  = in_proto;
            if (in_go && in_v6 && is_ext) begin
                // first four bytes of the header (next header, length, and
                // for a fragment header the offset word), network order;
                // in_off <= 128, bytes past the vector read as zero. A
                // part-select, not a function: no copy of the vector.
                raw = (in_off <= 8'd124) ? in_hdr[{in_off[6:0], 3'b000} +: 32] :
                                           in_hdr[1023 -: 32] >> {in_off - 8'd124, 3'b000};
                w   = {raw[7:0], raw[15:8], raw[23:16], raw[31:24]};
                len = frag ? 12'd8 : {1'b0, w[23:16], 3'b000} + 12'd8;
                if ({4'h0, in_off} + 12'd8 > {4'h0, in_lim} ||
                    {4'h0, in_off} + len > {4'h0, in_lim}) begin
                    flags = flags | SNIC_KF_ERR;
                    go = 1'b0;
                end else begin
                    if (frag && (w[15:3] != 13'h0 || w[0]))  // offset or M
                        flags = flags | SNIC_KF_FRAG;
                    if (frag && w[15:3] != 13'h0) begin
                        // not the first fragment: the upper layer is named, not present
                        ipp = w[31:24];
                        go = 1'b0;
                    end else begin
                        proto = w[31:24];
                        off   = in_off + len[7:0];
                    end
                end
            end
            out_hdr   <= in_hdr;
            out_lim   <= in_lim;
            out_tag   <= in_tag;
            // the key passes through; only two of its bytes may change
            out_key   <= in_key;
            out_key[8*SNIC_KEY_OFF_FLAGS +: 8]    <= flags;
            out_key[8*SNIC_KEY_OFF_IP_PROTO +: 8] <= ipp;
            out_go    <= go;
            out_off   <= off;
            out_proto <= proto;
            out_v6    <= in_v6;
        end
    end
endmodule

`default_nettype wire
