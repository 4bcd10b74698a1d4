/*
 * db_examine_test.c - print, examine and write on the fake memory: the
 * formats, sizes, counts, repetition, and bad addresses.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "runtime/ddb/tests/db_fake.h"

static void
setup(void)
{
	fake_setup("", DB_INPUT_EOF);
}

TestSuite(db_examine, .init = setup, .timeout = 10);

Test(db_examine, print_formats)
{
	cr_assert_str_eq(fake_run("print 10+0t10"), "1a\n");
	cr_assert_str_eq(fake_run("p -1"), "ffffffffffffffff\n");
	cr_assert_str_eq(fake_run("p/x 0t255"), "ff\n");
	cr_assert_str_eq(fake_run("p/d -1"), "-1\n");
	cr_assert_str_eq(fake_run("p/u -1"), "18446744073709551615\n");
	cr_assert_str_eq(fake_run("p/o 8"), "10\n");
	cr_assert_str_eq(fake_run("p/z -10"), "-10\n");
	cr_assert_str_eq(fake_run("p/c 41"), "A\n");
	cr_assert_str_eq(fake_run("p/c 7"), "\\007\n");
	cr_assert_str_eq(fake_run("p/a beta+3"), "beta+0x3\n");
	cr_assert_str_eq(fake_run("p/a alpha"), "alpha\n");
	cr_assert_str_eq(fake_run("p/a 5"), "0x5\n");
	cr_assert_str_eq(fake_run("p 1 2 alpha"), "1\n2\n10000\n");
}

Test(db_examine, print_in_the_radix)
{
	db_radix = 10;
	cr_assert_str_eq(fake_run("p/r -0t12"), "-12\n");
	db_radix = 16;
	cr_assert_str_eq(fake_run("p/r -0t12"), "-c\n");
}

Test(db_examine, print_errors)
{
	cr_assert_str_eq(fake_run("p"), "Syntax error\n");
	cr_assert_str_eq(fake_run("p/q 1"), "Bad modifier 'q'\n");
	cr_assert_str_eq(fake_run("p nosuch"), "Symbol 'nosuch' not found\n");
}

Test(db_examine, default_is_one_hex_long)
{
	cr_assert_str_eq(fake_run("x alpha"), "alpha:\t4030201\n");
	cr_assert_str_eq(fake_run("examine/x alpha"), "alpha:\t4030201\n");
}

Test(db_examine, sizes)
{
	cr_assert_str_eq(fake_run("x/b alpha"), "alpha:\t1\n");
	cr_assert_str_eq(fake_run("x/h alpha"), "alpha:\t201\n");
	cr_assert_str_eq(fake_run("x/l alpha"), "alpha:\t4030201\n");
	cr_assert_str_eq(fake_run("x/g alpha"), "alpha:\tfffffffe04030201\n");
}

Test(db_examine, signed_and_unsigned)
{
	cr_assert_str_eq(fake_run("x/d alpha+4"), "alpha+0x4:\t-2\n");
	cr_assert_str_eq(fake_run("x/u alpha+4"), "alpha+0x4:\t4294967294\n");
	cr_assert_str_eq(fake_run("x/bd alpha+4"), "alpha+0x4:\t-2\n");
	cr_assert_str_eq(fake_run("x/z alpha+4"), "alpha+0x4:\t-2\n");
	cr_assert_str_eq(fake_run("x/o alpha"), "alpha:\t400601001\n");
}

Test(db_examine, counts_in_the_modifier_and_after_a_comma)
{
	cr_assert_str_eq(fake_run("x/4bx alpha"), "alpha:\t1  2  3  4\n");
	cr_assert_str_eq(fake_run("x/bx alpha,4"), "alpha:\t1  2  3  4\n");
	cr_assert_str_eq(fake_run("x/2x alpha"), "alpha:\t4030201  fffffffe\n");
}

Test(db_examine, lines_of_sixteen_bytes_with_labels)
{
	cr_assert_str_eq(fake_run("x/18xb alpha"),
	    "alpha:\t1  2  3  4  fe ff ff ff 0  0  0  0  0  0  0  0\n"
	    "beta:\t68 65\n");
}

Test(db_examine, strings_and_characters)
{
	cr_assert_str_eq(fake_run("x/s beta"), "beta:\thello\n");
	cr_assert_str_eq(fake_run("x/2s beta"),
	    "beta:\thello\nbeta+0x6:\tA\\001\n");
	cr_assert_str_eq(fake_run("x/3c beta+5"), "beta+0x5:\t\\000A\\001\n");
}

Test(db_examine, addresses_as_symbols)
{
	cr_assert_str_eq(fake_run("x/a gamma"), "gamma:\tbeta+0x2\n");
	cr_assert_str_eq(fake_run("x/2a gamma"),
	    "gamma:\tbeta+0x2\ngamma+0x8:\t0x0\n");
}

Test(db_examine, next_address_and_repetition)
{
	cr_assert_str_eq(fake_run("x/2xb alpha"), "alpha:\t1  2\n");
	cr_assert_eq(db_next, FAKE_ALPHA + 2);
	fake_clear_output();
	db_command_line("x/2xb alpha", true);
	cr_assert_str_eq(fake_out, "alpha+0x2:\t3  4\n");
	/* Without an address: from db_next, with the last format (but
	 * one item, the default count). */
	cr_assert_str_eq(fake_run("x"), "alpha+0x4:\tfe\n");
	cr_assert_str_eq(fake_run("x .,2"), "alpha+0x5:\tff ff\n");
}

Test(db_examine, repeat_through_the_loop)
{
	fake_setup("x/4xb alpha,2\r\rc\r", DB_INPUT_EOF);
	cr_assert_eq(db_command_loop(), 0);
	cr_assert(strstr(fake_out, "alpha:\t1  2\n") != NULL, "%s", fake_out);
	cr_assert(strstr(fake_out, "alpha+0x2:\t3  4\n") != NULL, "%s",
	    fake_out);
}

Test(db_examine, bad_addresses_are_errors_not_faults)
{
	cr_assert_str_eq(fake_run("x 0"), "Cannot read memory at 0x0\n");
	cr_assert_str_eq(fake_run("x/s 8"), "Cannot read memory at 0x8\n");
	/* Stops where memory ends, after what could be read. */
	cr_assert_str_eq(fake_run("x/3g alpha+0xf0"),
	    "text+0x30:\t0                0\n"
	    "Cannot read memory at 0x10100\n");
	cr_assert_str_eq(fake_run("x/4xb alpha+0xfe"),
	    "text+0x3e:\t0  0\nCannot read memory at 0x10100\n");
}

Test(db_examine, no_disassembler)
{
	cr_assert_str_eq(fake_run("x/i text"),
	    "No disassembler in this kernel: try x/x\n");
}

Test(db_examine, examine_errors)
{
	cr_assert_str_eq(fake_run("x/q alpha"), "Bad modifier 'q'\n");
	cr_assert_str_eq(fake_run("x alpha beta"), "Syntax error\n");
	cr_assert_str_eq(fake_run("x nosuch"), "Symbol 'nosuch' not found\n");
}

Test(db_examine, write_refused_without_kmem_writable)
{
	fake_sysctl(false);
	cr_assert_str_eq(fake_run("write alpha 5"),
	    "kernel memory is read-only (boot with -U)\n");
	cr_assert_eq(fake_mem[0], 1);
}

Test(db_examine, write_refused_before_the_sysctl_tree_exists)
{
	cr_assert_str_eq(fake_run("w alpha 5"),
	    "kernel memory is read-only (boot with -U)\n");
	cr_assert_eq(fake_mem[0], 1);
}

Test(db_examine, write_with_kmem_writable)
{
	fake_sysctl(true);
	cr_assert_str_eq(fake_run("w alpha 5"), "alpha\t\t0x4030201\t=\t0x5\n");
	cr_assert_eq(fake_mem[0], 5);
	cr_assert_eq(fake_mem[1], 0);
	cr_assert_eq(fake_mem[4], 0xfe, "wrote past the long");
	cr_assert_str_eq(fake_run("x/d alpha"), "alpha:\t5\n");
}

Test(db_examine, write_sizes_and_several_values)
{
	fake_sysctl(true);
	cr_assert_str_eq(fake_run("w/b beta 4a 4b"),
	    "beta\t\t0x68\t=\t0x4a\nbeta+0x1\t\t0x65\t=\t0x4b\n");
	cr_assert_str_eq(fake_run("x/s beta"), "beta:\tJKllo\n");
	/* "alpha -1" would be alpha-1, as in BSD. */
	cr_assert_str_eq(fake_run("w/g alpha ~0"),
	    "alpha\t\t0xfffffffe04030201\t=\t0xffffffffffffffff\n");
	cr_assert_str_eq(fake_run("w/h alpha 123456"),
	    "alpha\t\t0xffff\t=\t0x3456\n");
}

Test(db_examine, write_errors)
{
	fake_sysctl(true);
	cr_assert_str_eq(fake_run("w text 1"),
	    "Cannot write memory at 0x100c0\n");
	cr_assert_str_eq(fake_run("w 0 1"), "Cannot read memory at 0x0\n");
	cr_assert_str_eq(fake_run("w alpha"), "Syntax error\n");
	cr_assert_str_eq(fake_run("w"), "Syntax error\n");
	cr_assert_str_eq(fake_run("w/x alpha 1"), "Bad modifier 'x'\n");
	cr_assert_eq(fake_mem[0], 1);
}
