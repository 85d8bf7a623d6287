// SPDX-License-Identifier: MIT
// The testbenches' rule i (include inside a module, after snic_abi.svh):
// UDP destination port 1000 + i (network order in the key) -> VNIC i.
function automatic logic [511:0] rule_value(input int i);
    rule_value = '0;
    rule_value[8*SNIC_KEY_OFF_DPORT +: 16] = {8'(16'(1000 + i)), 8'((1000 + i) >> 8)};
endfunction
function automatic logic [511:0] rule_mask();
    rule_mask = '0;
    rule_mask[8*SNIC_KEY_OFF_DPORT +: 16] = 16'hffff;
endfunction
function automatic logic [63:0] rule_action(input int i);
    rule_action = {16'h0, 16'hffff, 16'hffff, 16'(i)};
endfunction
