// SPDX-License-Identifier: MIT
// RSS Toeplitz hash (include/snic/rss.h; C model classifier/rss.c) of a
// parsed key, one key per clock, fixed latency of 4 edges (RSS_STAGES), the
// same as snic_tcam so the hash arrives with the match result.
//   edge 1  type select; hash input string (36 bytes, IPv4 zero-padded:
//           trailing zero bytes add nothing to a Toeplitz hash)  -> s1_*
//   edge 2  one 32-bit partial per input byte: the XOR of the 8 key
//           windows its set bits select (8 AND-XOR terms per bit)  -> s2_*
//   edge 3  XOR of the partials in groups of GROUP                -> s3_*
//   edge 4  XOR of the groups: the hash                           -> res_*
// The key windows are plain wires into the key register: nothing to
// precompute when the key changes.
// Configuration: key and enabled types are written together (cw_*). A
// lookup that arrives in the same cycle as a write, or earlier, uses the
// old key and types; a later one uses the new ones (as snic_tcam's
// entries): the types register is read at edge 1 and loads at once, the
// key register is read at edge 2 and loads one edge later. Reset turns
// hashing off (types 0: every result is hash 0, type NONE).
`default_nettype none

module snic_rss_hash #(
    parameter int KEY_BITS  = 512, // parsed key width (snic_key)
    parameter int RSS_BYTES = 40,  // Toeplitz key bytes: covers the longest input + 31 bits
    parameter int GROUP     = 6    // partials XORed per edge-3 group
) (
    input  wire                   clk,
    input  wire                   rst,      // synchronous: hashing off
    // lookup
    input  wire                   lk_valid,
    input  wire [KEY_BITS-1:0]    lk_key,   // snic_key, byte i = [8*i+7:8*i]
    // configuration write: key and types atomically
    input  wire                   cw_en,
    input  wire [8*RSS_BYTES-1:0] cw_key,   // key byte i = [8*i+7:8*i]
    input  wire [7:0]             cw_types, // SNIC_RSS_HT_* enabled
    // result
    output logic                  res_valid,
    output logic [31:0]           res_hash,
    output logic [7:0]            res_type  // SNIC_RSS_HT_* used, 0 = none
);
`include "snic_abi.svh"

    localparam int IN_BYTES = 36;                 // IPv6 addresses + ports
    localparam int IN_BITS  = 8 * IN_BYTES;
    localparam int K_BITS   = 8 * RSS_BYTES;
    localparam int NGROUPS  = (IN_BYTES + GROUP - 1) / GROUP;
    localparam logic [7:0] PROTO_TCP = 8'd6;
    localparam logic [7:0] PROTO_UDP = 8'd17;

    // Elaboration-time checks of the parameters.
`include "snic_check.svh"
    if (KEY_BITS != SNIC_KEY_BITS) begin : bad_key_bits
        `SNIC_CHECK("KEY_BITS is not the snic_key width");
    end
    if (RSS_BYTES != SNIC_RSS_KEY_BYTES) begin : bad_rss_bytes
        `SNIC_CHECK("RSS_BYTES is not the RSS ABI key length");
    end
    if (GROUP < 2 || GROUP > IN_BYTES) begin : bad_group
        `SNIC_CHECK("GROUP outside 2..36");
    end

    // ---- configuration ----
    logic [7:0]        types_q;
    logic [K_BITS-1:0] key_pend, key_q;  // key byte 0 in the top byte
    logic              key_pend_en;

    // Key byte 0 most significant: key bit j (MSB-first) is key_q[K_BITS-1-j].
    function automatic logic [K_BITS-1:0] msb_first(input logic [K_BITS-1:0] v);
        for (int i = 0; i < RSS_BYTES; i++)
            msb_first[K_BITS-8-8*i +: 8] = v[8*i +: 8];
    endfunction

    always_ff @(posedge clk) begin
        if (rst)
            types_q <= 8'h00;
        else if (cw_en)
            types_q <= cw_types & SNIC_RSS_HT_ALL;
        key_pend_en <= !rst && cw_en;
        if (cw_en)
            key_pend <= msb_first(cw_key);
        if (key_pend_en)
            key_q <= key_pend;
    end

    // Every stage computes inside its register's load condition (functions
    // called under the valid bit), so an idle clock costs the Verilated
    // model nothing (docs/hdl.md: why the model is cheap when idle); in
    // silicon the same functions are plain logic in front of the registers.
    // The partial and group registers load only for a frame that gets a
    // hash (clock enable), and the result is forced to 0 for one that
    // does not: hashing off, or non-IP traffic, costs nothing either.

    // ---- edge 1: type and input string ----
    // The hash type of a key under the enabled types (rss.h). Both
    // functions look at a few fields of the key only.
    /* verilator lint_off UNUSEDSIGNAL */
    function automatic logic [7:0] hash_type(input logic [KEY_BITS-1:0] k,
                                             input logic [7:0] types);
        logic [7:0] fl, proto, l3, tcp, udp;
        logic       is4, ports;
        fl    = k[8*SNIC_KEY_OFF_FLAGS +: 8];
        proto = k[8*SNIC_KEY_OFF_IP_PROTO +: 8];
        is4   = (fl & SNIC_KF_IPV4) != 8'h00;
        ports = (fl & SNIC_KF_L4) != 8'h00 && (fl & SNIC_KF_FRAG) == 8'h00;
        l3    = is4 ? SNIC_RSS_HT_IPV4 : SNIC_RSS_HT_IPV6;
        tcp   = is4 ? SNIC_RSS_HT_TCP_IPV4 : SNIC_RSS_HT_TCP_IPV6;
        udp   = is4 ? SNIC_RSS_HT_UDP_IPV4 : SNIC_RSS_HT_UDP_IPV6;
        if ((fl & (SNIC_KF_IPV4 | SNIC_KF_IPV6)) == 8'h00)
            hash_type = 8'h00;
        else if (ports && proto == PROTO_TCP && (types & tcp) != 8'h00)
            hash_type = tcp;
        else if (ports && proto == PROTO_UDP && (types & udp) != 8'h00)
            hash_type = udp;
        else
            hash_type = types & l3;
    endfunction

    // The input string for type `ht`: input byte p (0 = first) in bits
    // [IN_BITS-1-8p -: 8], MSB-first; IPv4 zero-padded; all zero for none.
    // Constant indices in both branches: a variable part-select would
    // synthesize into shifters.
    function automatic logic [IN_BITS-1:0] in_string(input logic [KEY_BITS-1:0] k,
                                                     input logic [7:0] ht);
        logic [IN_BITS-1:0] s;
        logic               is4, l4;
        s   = '0;
        is4 = (ht & (SNIC_RSS_HT_IPV4 | SNIC_RSS_HT_TCP_IPV4 | SNIC_RSS_HT_UDP_IPV4)) != 8'h00;
        l4  = (ht & SNIC_RSS_HT_L4) != 8'h00;
        for (int i = 0; i < 16; i++) begin
            if (!is4) begin
                s[IN_BITS-1-8*i -: 8]      = k[8*(SNIC_KEY_OFF_SIP + i) +: 8];
                s[IN_BITS-1-8*(16+i) -: 8] = k[8*(SNIC_KEY_OFF_DIP + i) +: 8];
            end else if (i < 4) begin
                s[IN_BITS-1-8*i -: 8]      = k[8*(SNIC_KEY_OFF_SIP + i) +: 8];
                s[IN_BITS-1-8*(4+i) -: 8]  = k[8*(SNIC_KEY_OFF_DIP + i) +: 8];
            end
        end
        for (int i = 0; i < 4; i++) begin
            if (l4 && is4)
                s[IN_BITS-1-8*(8+i) -: 8]  = k[8*(SNIC_KEY_OFF_SPORT + i) +: 8];
            else if (l4)
                s[IN_BITS-1-8*(32+i) -: 8] = k[8*(SNIC_KEY_OFF_SPORT + i) +: 8];
        end
        in_string = ht == 8'h00 ? '0 : s;
    endfunction
    /* verilator lint_on UNUSEDSIGNAL */

    logic               s1_valid, s2_valid, s3_valid;
    logic [7:0]         s1_type, s2_type, s3_type;
    logic [IN_BITS-1:0] s1_in;
    always_ff @(posedge clk) begin
        s1_valid <= rst ? 1'b0 : lk_valid;
        if (lk_valid) begin
            s1_type <= hash_type(lk_key, types_q);
            s1_in   <= in_string(lk_key, hash_type(lk_key, types_q));
        end
    end

    // ---- edge 2: per-byte partials ----
    // Input bit j (MSB-first) selects key window j: key bits j..j+31.
    // Partial p in bits [32*p +: 32] (flat vectors: Icarus and Yosys
    // take no whole-array assignments).
    function automatic logic [32*IN_BYTES-1:0] partials(input logic [IN_BITS-1:0] in,
                                                       input logic [K_BITS-1:0] key);
        logic [32*IN_BYTES-1:0] part;
        part = '0;
        for (int p = 0; p < IN_BYTES; p++)
            if (in[IN_BITS-1-8*p -: 8] != 8'h00)  // a zero byte adds nothing (model speed)
                for (int t = 0; t < 8; t++)
                    if (in[IN_BITS-1-(8*p+t)])
                        part[32*p +: 32] = part[32*p +: 32] ^ key[K_BITS-1-(8*p+t) -: 32];
        partials = part;
    endfunction

    logic [32*IN_BYTES-1:0] s2_part;
    always_ff @(posedge clk) begin
        s2_valid <= rst ? 1'b0 : s1_valid;
        if (s1_valid)
            s2_type <= s1_type;
        if (s1_valid && s1_type != 8'h00)
            s2_part <= partials(s1_in, key_q);
    end

    // ---- edge 3: XOR in groups ----
    function automatic logic [32*NGROUPS-1:0] groups(input logic [32*IN_BYTES-1:0] part);
        logic [32*NGROUPS-1:0] grp;
        grp = '0;
        for (int g = 0; g < NGROUPS; g++)
            for (int j = 0; j < GROUP; j++)
                if (g * GROUP + j < IN_BYTES)
                    grp[32*g +: 32] = grp[32*g +: 32] ^ part[32*(g*GROUP+j) +: 32];
        groups = grp;
    endfunction

    logic [32*NGROUPS-1:0] s3_grp;
    always_ff @(posedge clk) begin
        s3_valid <= rst ? 1'b0 : s2_valid;
        if (s2_valid)
            s3_type <= s2_type;
        if (s2_valid && s2_type != 8'h00)
            s3_grp  <= groups(s2_part);
    end

    // ---- edge 4: the hash ----
    function automatic logic [31:0] fold(input logic [32*NGROUPS-1:0] grp);
        logic [31:0] h;
        h = 32'h0;
        for (int g = 0; g < NGROUPS; g++)
            h = h ^ grp[32*g +: 32];
        fold = h;
    endfunction

    always_ff @(posedge clk) begin
        res_valid <= rst ? 1'b0 : s3_valid;
        if (s3_valid) begin
            res_type <= s3_type;
            res_hash <= s3_type != 8'h00 ? fold(s3_grp) : 32'h0;
        end
    end
endmodule

`default_nettype wire
