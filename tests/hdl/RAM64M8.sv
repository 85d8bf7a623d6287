// SPDX-License-Identifier: MIT
// Behavioural stand-in for the UltraScale LUTRAM primitive RAM64M8, for
// linting and simulating snic_tcam's synthesis form (SNIC_TCAM_STRUCTURAL)
// with Verilator: eight 64x1 RAMs, each read asynchronously at its own
// address, all written at ADDRH on the rising clock edge when WE is high.
`default_nettype none

module RAM64M8 (
    input  wire       WCLK,
    input  wire       WE,
    input  wire [5:0] ADDRA, ADDRB, ADDRC, ADDRD, ADDRE, ADDRF, ADDRG, ADDRH,
    input  wire       DIA, DIB, DIC, DID, DIE, DIF, DIG, DIH,
    output wire       DOA, DOB, DOC, DOD, DOE, DOF, DOG, DOH
);
    logic [63:0] m [8];
    always_ff @(posedge WCLK)
        if (WE) begin
            m[0][ADDRH] <= DIA;
            m[1][ADDRH] <= DIB;
            m[2][ADDRH] <= DIC;
            m[3][ADDRH] <= DID;
            m[4][ADDRH] <= DIE;
            m[5][ADDRH] <= DIF;
            m[6][ADDRH] <= DIG;
            m[7][ADDRH] <= DIH;
        end
    assign {DOA, DOB, DOC, DOD} = {m[0][ADDRA], m[1][ADDRB], m[2][ADDRC], m[3][ADDRD]};
    assign {DOE, DOF, DOG, DOH} = {m[4][ADDRE], m[5][ADDRF], m[6][ADDRG], m[7][ADDRH]};
endmodule

`default_nettype wire
