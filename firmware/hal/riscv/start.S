/* SPDX-License-Identifier: MIT */
/*
 * Reset entry of the snic firmware on the embedded rv32imac core.
 *
 * The boot ROM has checked the image (header, CRC, ABI) and copied its
 * payload (text, rodata, data) to core RAM at the link address, so
 * initialised data is already in place: only bss needs zeroing. Then
 * the C entry point runs; it never returns.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	sp, __stack_top
	la	t0, trap_entry
	csrw	mtvec, t0

	la	a0, __bss_start
	la	a1, __bss_end
1:	bgeu	a0, a1, 2f
	sw	zero, 0(a0)
	addi	a0, a0, 4
	j	1b

2:	call	fw_main
3:	wfi
	j	3b

/* Any exception or interrupt: nothing is enabled, so it is a firmware
 * fault. The C handler records it where the host can see it. */
	.align	2
trap_entry:
	la	sp, __stack_top
	csrr	a0, mcause
	csrr	a1, mepc
	csrr	a2, mtval
	call	fw_trap
4:	wfi
	j	4b
