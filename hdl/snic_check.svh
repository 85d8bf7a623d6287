// SPDX-License-Identifier: MIT
// SNIC_CHECK(msg): stop elaboration with msg (use inside an `if` generate
// block on a bad parameter). Icarus has no elaboration-time $error: there
// it is $fatal at time 0, before any clock.
`ifndef SNIC_CHECK_SVH
`define SNIC_CHECK_SVH
`ifdef __ICARUS__
 `define SNIC_CHECK(msg) initial $fatal(1, msg)
`else
 `define SNIC_CHECK(msg) $error(msg)
`endif
`endif
