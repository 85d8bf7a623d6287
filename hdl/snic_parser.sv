// SPDX-License-Identifier: MIT
// Header parser: 128-byte header vector + frame length + ingress port in,
// 512-bit classifier key out. 4 + SNIC_IPV6_MAX_EXT register stages, one
// packet per clock:
//   S0 input register; bytes at or past the usable length are zeroed
//   S1 Ethernet addresses, up to two VLAN tags, ethertype
//   S2 network header (ARP, IPv4, IPv6 fixed header)
//   E1..E4 one IPv6 extension header each (snic_ipv6_ext)
//   S3 transport header (TCP/UDP/SCTP ports, ICMP type) -> out_key
// Mirrors classifier/parse.c rule for rule; docs/classifier.md is the spec.
// Key byte i is out_key[8*i+7:8*i]; header byte i is in_hdr[8*i+7:8*i].
// Each stage works and loads its data registers only when it holds a
// packet (operand isolation / clock enable): in silicon that saves power,
// in the Verilated model it is what makes an idle clock cheap. The data of
// a stage without a packet is stale and nobody downstream reads it.
`default_nettype none

module snic_parser #(
    parameter int TAG_BITS = 32 // width of the sideband tag carried with each packet
) (
    input  wire                  clk,
    input  wire                  rst,        // synchronous, active high
    input  wire                  in_valid,
    input  wire [1023:0]         in_hdr,     // first 128 bytes of the frame
    input  wire [15:0]           in_len,     // usable frame bytes (min(caplen, frame_len))
    input  wire [7:0]            in_port,    // ingress uplink
    input  wire [TAG_BITS-1:0]   in_tag,
    output logic                 out_valid,
    output logic [511:0]         out_key,
    output logic [TAG_BITS-1:0]  out_tag
);
`include "snic_abi.svh"
`include "snic_check.svh"

    if (TAG_BITS < 1) begin : bad_tag_bits
        `SNIC_CHECK("snic_parser: TAG_BITS must be >= 1");
    end

    localparam int HDR_BYTES = 128;   // header vector the parser sees

    localparam logic [15:0] ETH_P_IPV4   = 16'h0800;
    localparam logic [15:0] ETH_P_ARP    = 16'h0806;
    localparam logic [15:0] ETH_P_IPV6   = 16'h86dd;
    localparam logic [15:0] ETH_P_8021Q  = 16'h8100;
    localparam logic [15:0] ETH_P_8021AD = 16'h88a8;
    localparam logic [7:0]  PROTO_TCP    = 8'd6;
    localparam logic [7:0]  PROTO_UDP    = 8'd17;
    localparam logic [7:0]  PROTO_SCTP   = 8'd132;
    localparam logic [7:0]  PROTO_ICMP   = 8'd1;
    localparam logic [7:0]  PROTO_ICMPV6 = 8'd58;

    // Header bytes are read with part-selects of the stage's header
    // register, never through a function taking the 1024-bit vector: in
    // the Verilated model such an argument is a 1024-bit copy per call.
    // Byte order between network values and vector/key bytes: a byte swap.
    function automatic logic [31:0] swap32(input logic [31:0] w);
        swap32 = {w[7:0], w[15:8], w[23:16], w[31:24]};
    endfunction

    function automatic logic [15:0] swap16(input logic [15:0] w);
        swap16 = {w[7:0], w[15:8]};
    endfunction

    // Mask of word w (header bytes 4w..4w+3) keeping the bytes below
    // `lim`: a thermometer code built a word at a time, the same gates as
    // a shifted 1024-bit mask, a few instructions per word in the model.
    function automatic logic [31:0] keep_word(input logic [7:0] lim, input int w);
        if (lim >= 8'(4 * w + 4))
            keep_word = '1;
        else if (lim <= 8'(4 * w))
            keep_word = '0;
        else
            keep_word = ~(32'hffffffff << {lim[1:0], 3'b000});
    endfunction

    // ---------------------------------------------------------------- S0
    logic                s0_valid;
    logic [1023:0]       s0_hdr;
    logic [7:0]          s0_lim;   // usable bytes, 0..128
    logic [7:0]          s0_port;
    logic [TAG_BITS-1:0] s0_tag;

    // Bytes at or past the usable length are cleared with one mask of
    // lim bytes, at the register: the later stages read them as zero.
    always_ff @(posedge clk) begin
        logic [7:0] lim;
        s0_valid <= rst ? 1'b0 : in_valid;
        if (in_valid) begin
            lim = (in_len > 16'(HDR_BYTES)) ? 8'(HDR_BYTES) : in_len[7:0];
            for (int w = 0; w < HDR_BYTES / 4; w++)
                s0_hdr[32*w +: 32] <= in_hdr[32*w +: 32] & keep_word(lim, w);
            s0_lim  <= lim;
            s0_port <= in_port;
            s0_tag  <= in_tag;
        end
    end

    // ---------------------------------------------------------------- S1: L2
    logic                s1_valid;
    logic [1023:0]       s1_hdr;
    logic [7:0]          s1_lim;
    logic [TAG_BITS-1:0] s1_tag;
    logic [511:0]        s1_key;
    logic                s1_go;      // network header may be parsed
    logic [7:0]          s1_l3off;
    logic [15:0]         s1_type;
    always_ff @(posedge clk) begin
        logic [511:0] l2_key;
        logic         l2_go;
        logic [7:0]   l2_l3off;
        logic [15:0]  l2_type;
        logic [15:0]  t0, t1, t2;
        logic         tag1, tag2, tag3, trunc;
        s1_valid <= rst ? 1'b0 : s0_valid;
        if (s0_valid) begin
            l2_key   = '0;
            l2_key[8*SNIC_KEY_OFF_PORT +: 8] = s0_port;
            l2_go    = 1'b0;
            l2_l3off = 8'd14;
            l2_type  = 16'h0;
            t0 = swap16(s0_hdr[8*12 +: 16]);
            t1 = swap16(s0_hdr[8*16 +: 16]);
            t2 = swap16(s0_hdr[8*20 +: 16]);
            tag1  = (t0 == ETH_P_8021Q) || (t0 == ETH_P_8021AD);
            tag2  = tag1 && (t1 == ETH_P_8021Q);
            trunc = (tag1 && s0_lim < 8'd18) || (tag2 && s0_lim < 8'd22);
            tag3  = tag2 && (t2 == ETH_P_8021Q);
            if (s0_lim < 8'd14) begin
                l2_key[8*SNIC_KEY_OFF_FLAGS +: 8] = SNIC_KF_ERR;
            end else begin
                l2_key[8*SNIC_KEY_OFF_DMAC +: 48] = s0_hdr[8*0 +: 48];
                l2_key[8*SNIC_KEY_OFF_SMAC +: 48] = s0_hdr[8*6 +: 48];
                if (trunc) begin
                    l2_key[8*SNIC_KEY_OFF_FLAGS +: 8] = SNIC_KF_ERR;
                end else begin
                    if (tag2) begin
                        l2_key[8*SNIC_KEY_OFF_VLAN_OUTER +: 16] = s0_hdr[8*14 +: 16];
                        l2_key[8*SNIC_KEY_OFF_VLAN       +: 16] = s0_hdr[8*18 +: 16];
                        l2_type  = t2;
                        l2_l3off = 8'd22;
                    end else if (tag1) begin
                        l2_key[8*SNIC_KEY_OFF_VLAN +: 16] = s0_hdr[8*14 +: 16];
                        l2_type  = t1;
                        l2_l3off = 8'd18;
                    end else begin
                        l2_type  = t0;
                    end
                    l2_key[8*SNIC_KEY_OFF_ETHERTYPE +: 16] = swap16(l2_type);
                    l2_key[8*SNIC_KEY_OFF_FLAGS +: 8] =
                        (tag1 ? SNIC_KF_VLAN : 8'h0) | (tag2 ? SNIC_KF_QINQ : 8'h0) |
                        (tag3 ? SNIC_KF_ERR : 8'h0);
                    l2_go = !tag3;
                end
            end
            s1_hdr   <= s0_hdr;
            s1_lim   <= s0_lim;
            s1_tag   <= s0_tag;
            s1_key   <= l2_key;
            s1_go    <= l2_go;
            s1_l3off <= l2_l3off;
            s1_type  <= l2_type;
        end
    end

    // ---------------------------------------------------------------- S2: L3
    logic                s2_valid;
    logic [1023:0]       s2_hdr;
    logic [7:0]          s2_lim;
    logic [TAG_BITS-1:0] s2_tag;
    logic [511:0]        s2_key;
    logic                s2_go;     // transport header may be parsed
    logic [7:0]          s2_l4off;
    logic [7:0]          s2_proto;
    logic                s2_v6;     // transport header follows IPv6
    always_ff @(posedge clk) begin
        logic [511:0] l3_key;
        logic         l3_go;
        logic [7:0]   l3_l4off;
        logic [7:0]   l3_proto;
        logic         l3_v6;
        logic [31:0]  w0;
        /* verilator lint_off UNUSEDSIGNAL */
        logic [31:0]  w4;     // DF and the reserved flag bit do not matter
        /* verilator lint_on UNUSEDSIGNAL */
        logic [7:0]   proto;
        logic [7:0]   ihl4;
        logic [8:0]   end4;
        logic [13:0]  frag;   // MF flag and fragment offset
        logic [9:0]   b;      // bit offset of the network header (l3off <= 22)
        s2_valid <= rst ? 1'b0 : s1_valid;
        if (s1_valid) begin
            l3_key   = s1_key;
            l3_go    = 1'b0;
            l3_l4off = 8'd0;
            l3_proto = 8'd0;
            l3_v6    = 1'b0;
            b    = {s1_l3off[6:0], 3'b000};
            w0   = swap32(s1_hdr[b +: 32]);
            w4   = swap32(s1_hdr[b + 10'd32 +: 32]);
            proto = s1_hdr[b + 10'd72 +: 8];
            ihl4 = {2'b00, w0[27:24], 2'b00};
            end4 = {1'b0, s1_l3off} + {1'b0, ihl4};
            frag = w4[13:0];
            if (s1_go && s1_type == ETH_P_IPV4) begin
                if ({1'b0, s1_lim} < {1'b0, s1_l3off} + 9'd20 || w0[31:28] != 4'd4 ||
                    ihl4 < 8'd20 || {1'b0, s1_lim} < end4) begin
                    l3_key[8*SNIC_KEY_OFF_FLAGS +: 8] = s1_key[8*SNIC_KEY_OFF_FLAGS +: 8] | SNIC_KF_ERR;
                end else begin
                    l3_key[8*SNIC_KEY_OFF_IP_TOS +: 8]   = w0[23:16];
                    l3_key[8*SNIC_KEY_OFF_IP_PROTO +: 8] = proto;
                    l3_key[8*SNIC_KEY_OFF_SIP +: 32] = s1_hdr[b + 10'd96 +: 32];
                    l3_key[8*SNIC_KEY_OFF_DIP +: 32] = s1_hdr[b + 10'd128 +: 32];
                    l3_key[8*SNIC_KEY_OFF_FLAGS +: 8] = s1_key[8*SNIC_KEY_OFF_FLAGS +: 8] | SNIC_KF_IPV4 |
                        ((frag != 14'h0) ? SNIC_KF_FRAG : 8'h0);
                    l3_go    = (frag[12:0] == 13'h0);
                    l3_l4off = end4[7:0];
                    l3_proto = proto;
                end
            end else if (s1_go && s1_type == ETH_P_IPV6) begin
                if ({1'b0, s1_lim} < {1'b0, s1_l3off} + 9'd40 || w0[31:28] != 4'd6) begin
                    l3_key[8*SNIC_KEY_OFF_FLAGS +: 8] = s1_key[8*SNIC_KEY_OFF_FLAGS +: 8] | SNIC_KF_ERR;
                end else begin
                    l3_key[8*SNIC_KEY_OFF_IP_TOS +: 8] = w0[27:20];
                    l3_key[8*SNIC_KEY_OFF_SIP +: 128] = s1_hdr[b + 10'd64 +: 128];
                    l3_key[8*SNIC_KEY_OFF_DIP +: 128] = s1_hdr[b + 10'd192 +: 128];
                    l3_key[8*SNIC_KEY_OFF_FLAGS +: 8] = s1_key[8*SNIC_KEY_OFF_FLAGS +: 8] | SNIC_KF_IPV6;
                    l3_go    = 1'b1;
                    l3_l4off = s1_l3off + 8'd40;
                    l3_proto = s1_hdr[b + 10'd48 +: 8];
                    l3_v6    = 1'b1;
                end
            end else if (s1_go && s1_type == ETH_P_ARP) begin
                // hardware type ignored; IPv4 protocol, 6-byte MACs, 4-byte IPs
                if ({1'b0, s1_lim} < {1'b0, s1_l3off} + 9'd28 || w0[15:0] != ETH_P_IPV4 ||
                    w4[31:16] != 16'h0604) begin
                    l3_key[8*SNIC_KEY_OFF_FLAGS +: 8] = s1_key[8*SNIC_KEY_OFF_FLAGS +: 8] | SNIC_KF_ERR;
                end else begin
                    l3_key[8*SNIC_KEY_OFF_SIP +: 32] = s1_hdr[b + 10'd112 +: 32];
                    l3_key[8*SNIC_KEY_OFF_DIP +: 32] = s1_hdr[b + 10'd192 +: 32];
                    l3_key[8*SNIC_KEY_OFF_FLAGS +: 8] = s1_key[8*SNIC_KEY_OFF_FLAGS +: 8] | SNIC_KF_ARP;
                end
            end
            s2_hdr   <= s1_hdr;
            s2_lim   <= s1_lim;
            s2_tag   <= s1_tag;
            s2_key   <= l3_key;
            s2_go    <= l3_go;
            s2_l4off <= l3_l4off;
            s2_proto <= l3_proto;
            s2_v6    <= l3_v6;
        end
    end

    // ---------------------------------------------------------------- E1..En
    localparam int NEXT = SNIC_IPV6_MAX_EXT;  // extension header stages
    logic [NEXT:0]                e_valid;
    logic [(NEXT+1)*1024-1:0]        e_hdr;
    logic [(NEXT+1)*8-1:0]           e_lim;
    logic [(NEXT+1)*TAG_BITS-1:0]  e_tag;
    logic [(NEXT+1)*512-1:0]         e_key;
    logic [NEXT:0]                e_go;
    logic [(NEXT+1)*8-1:0]           e_off;
    logic [(NEXT+1)*8-1:0]           e_proto;
    logic [NEXT:0]                e_v6;
    assign e_valid[0] = s2_valid;
    assign e_hdr[(0)*1024 +: 1024]   = s2_hdr;
    assign e_lim[(0)*8 +: 8]   = s2_lim;
    assign e_tag[(0)*TAG_BITS +: TAG_BITS]   = s2_tag;
    assign e_key[(0)*512 +: 512]   = s2_key;
    assign e_go[0]    = s2_go;
    assign e_off[(0)*8 +: 8]   = s2_l4off;
    assign e_proto[(0)*8 +: 8] = s2_proto;
    assign e_v6[0]    = s2_v6;
    for (genvar g = 0; g < NEXT; g++) begin : ext
        snic_ipv6_ext #(.TAG_BITS(TAG_BITS)) step (
            .clk(clk), .rst(rst),
            .in_valid(e_valid[g]), .in_hdr(e_hdr[(g)*1024 +: 1024]), .in_lim(e_lim[(g)*8 +: 8]), .in_tag(e_tag[(g)*TAG_BITS +: TAG_BITS]),
            .in_key(e_key[(g)*512 +: 512]), .in_go(e_go[g]), .in_off(e_off[(g)*8 +: 8]), .in_proto(e_proto[(g)*8 +: 8]),
            .in_v6(e_v6[g]),
            .out_valid(e_valid[g+1]), .out_hdr(e_hdr[(g+1)*1024 +: 1024]), .out_lim(e_lim[(g+1)*8 +: 8]),
            .out_tag(e_tag[(g+1)*TAG_BITS +: TAG_BITS]), .out_key(e_key[(g+1)*512 +: 512]), .out_go(e_go[g+1]),
            .out_off(e_off[(g+1)*8 +: 8]), .out_proto(e_proto[(g+1)*8 +: 8]), .out_v6(e_v6[g+1])
        );
    end
    wire                t_valid = e_valid[NEXT];
    wire [1023:0]       t_hdr   = e_hdr[(NEXT)*1024 +: 1024];
    wire [7:0]          t_lim   = e_lim[(NEXT)*8 +: 8];
    wire [TAG_BITS-1:0] t_tag   = e_tag[(NEXT)*TAG_BITS +: TAG_BITS];
    wire [511:0]        t_key   = e_key[(NEXT)*512 +: 512];
    wire                t_go    = e_go[NEXT];
    wire [7:0]          t_off   = e_off[(NEXT)*8 +: 8];
    wire [7:0]          t_proto = e_proto[(NEXT)*8 +: 8];
    wire                t_v6    = e_v6[NEXT];

    // ---------------------------------------------------------------- S3: L4
    // Ports of TCP/UDP/SCTP (4 bytes needed), type of ICMP over IPv4 and of
    // ICMPv6 over IPv6 (1 byte needed); other protocols: nothing, no error.
    always_ff @(posedge clk) begin
        logic [511:0] l4_key;
        logic [31:0]  w;
        logic         ports, icmp, more;
        out_valid <= rst ? 1'b0 : t_valid;
        if (t_valid) begin
            l4_key = t_key;
            // four bytes at t_off (<= 128); those past the vector read as zero
            w = swap32((t_off <= 8'd124) ? t_hdr[{t_off[6:0], 3'b000} +: 32] :
                                           t_hdr[1023 -: 32] >> {t_off - 8'd124, 3'b000});
            ports = t_proto == PROTO_TCP || t_proto == PROTO_UDP || t_proto == PROTO_SCTP;
            icmp  = t_v6 ? (t_proto == PROTO_ICMPV6) : (t_proto == PROTO_ICMP);
            more  = t_v6 && (t_proto == 8'd0 || t_proto == 8'd43 || t_proto == 8'd44 ||
                             t_proto == 8'd60);
            if (t_go && more) begin
                // still an extension header after SNIC_IPV6_MAX_EXT: too deep
                l4_key[8*SNIC_KEY_OFF_FLAGS +: 8] = t_key[8*SNIC_KEY_OFF_FLAGS +: 8] | SNIC_KF_ERR;
            end else begin
                if (t_go && t_v6)
                    l4_key[8*SNIC_KEY_OFF_IP_PROTO +: 8] = t_proto;  // upper layer
                if (t_go && ports) begin
                    if ({1'b0, t_lim} < {1'b0, t_off} + 9'd4) begin
                        l4_key[8*SNIC_KEY_OFF_FLAGS +: 8] = t_key[8*SNIC_KEY_OFF_FLAGS +: 8] | SNIC_KF_ERR;
                    end else begin
                        l4_key[8*SNIC_KEY_OFF_SPORT +: 16] = swap16(w[31:16]);
                        l4_key[8*SNIC_KEY_OFF_DPORT +: 16] = swap16(w[15:0]);
                        l4_key[8*SNIC_KEY_OFF_FLAGS +: 8] = t_key[8*SNIC_KEY_OFF_FLAGS +: 8] | SNIC_KF_L4;
                    end
                end else if (t_go && icmp) begin
                    if ({1'b0, t_lim} < {1'b0, t_off} + 9'd1) begin
                        l4_key[8*SNIC_KEY_OFF_FLAGS +: 8] = t_key[8*SNIC_KEY_OFF_FLAGS +: 8] | SNIC_KF_ERR;
                    end else begin
                        l4_key[8*SNIC_KEY_OFF_ICMP_TYPE +: 8] = w[31:24];
                        l4_key[8*SNIC_KEY_OFF_FLAGS +: 8] = t_key[8*SNIC_KEY_OFF_FLAGS +: 8] | SNIC_KF_L4;
                    end
                end
            end
            out_key <= l4_key;
            out_tag <= t_tag;
        end
    end
endmodule

`default_nettype wire
