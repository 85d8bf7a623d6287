// SPDX-License-Identifier: MIT
// Behavioural stand-in for the UltraScale LUTRAM primitive RAM32M16, for
// linting and simulating snic_tcam's synthesis form (SNIC_TCAM_STRUCTURAL)
// with Verilator: eight 32x2 RAMs, each read asynchronously at its own
// address, all written at ADDRH on the rising clock edge when WE is high.
`default_nettype none

module RAM32M16 (
    input  wire       WCLK,
    input  wire       WE,
    input  wire [4:0] ADDRA, ADDRB, ADDRC, ADDRD, ADDRE, ADDRF, ADDRG, ADDRH,
    input  wire [1:0] DIA, DIB, DIC, DID, DIE, DIF, DIG, DIH,
    output wire [1:0] DOA, DOB, DOC, DOD, DOE, DOF, DOG, DOH
);
    logic [1:0] ma [32], mb [32], mc [32], md [32], me [32], mf [32], mg [32], mh [32];
    always_ff @(posedge WCLK)
        if (WE) begin
            ma[ADDRH] <= DIA;
            mb[ADDRH] <= DIB;
            mc[ADDRH] <= DIC;
            md[ADDRH] <= DID;
            me[ADDRH] <= DIE;
            mf[ADDRH] <= DIF;
            mg[ADDRH] <= DIG;
            mh[ADDRH] <= DIH;
        end
    assign {DOA, DOB, DOC, DOD} = {ma[ADDRA], mb[ADDRB], mc[ADDRC], md[ADDRD]};
    assign {DOE, DOF, DOG, DOH} = {me[ADDRE], mf[ADDRF], mg[ADDRG], mh[ADDRH]};
endmodule

`default_nettype wire
