/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of common/util.c: checked number and size parsing, bounded
 * copies, UUID text forms, hashing and the clocks.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"

#define SENTINEL_I	INT64_C(-777)
#define SENTINEL_U	UINT64_C(777)

/* Asserts util_parse_i64(s, min, max) gives rc, and v when rc is 0. */
static void
check_i64(const char *s, int64_t min, int64_t max, int rc, int64_t v)
{
	int64_t	 out = SENTINEL_I;
	int	 got;

	got = util_parse_i64(s, min, max, &out);
	if (got != rc)
		fail_msg("\"%s\": got %d, want %d", s ? s : "(null)", got, rc);
	if (rc == 0)
		assert_int_equal(out, v);
	else
		assert_int_equal(out, SENTINEL_I);	/* untouched */
}

static void
check_bytes(const char *s, int rc, uint64_t v)
{
	uint64_t	 out = SENTINEL_U;
	int		 got;

	got = util_parse_bytes(s, &out);
	if (got != rc)
		fail_msg("\"%s\": got %d, want %d", s ? s : "(null)", got, rc);
	if (rc == 0)
		assert_int_equal(out, v);
	else
		assert_int_equal(out, SENTINEL_U);
}

static void
check_double(const char *s, double min, double max, int rc, double v)
{
	double	 out = -777.0;
	int	 got;

	got = util_parse_double(s, min, max, &out);
	if (got != rc)
		fail_msg("\"%s\": got %d, want %d", s, got, rc);
	if (rc == 0) {
		if (!(out == v))
			fail_msg("\"%s\": got %.17g, want %.17g", s, out, v);
	} else
		assert_true(out == -777.0);
}

static void
test_parse_i64(void **state)
{
	(void)state;
	check_i64("0", INT64_MIN, INT64_MAX, 0, 0);
	check_i64("42", 0, 100, 0, 42);
	check_i64("-5", -10, 10, 0, -5);
	check_i64("+7", 0, 10, 0, 7);
	check_i64("007", 0, 10, 0, 7);
	check_i64("9223372036854775807", INT64_MIN, INT64_MAX, 0, INT64_MAX);
	check_i64("-9223372036854775808", INT64_MIN, INT64_MAX, 0, INT64_MIN);
	/* bounds are inclusive */
	check_i64("10", 0, 10, 0, 10);
	check_i64("11", 0, 10, -ERANGE, 0);
	check_i64("-1", 0, 10, -ERANGE, 0);
	/* overflow */
	check_i64("9223372036854775808", INT64_MIN, INT64_MAX, -ERANGE, 0);
	check_i64("-9223372036854775809", INT64_MIN, INT64_MAX, -ERANGE, 0);
	check_i64("99999999999999999999999", 0, 10, -ERANGE, 0);
	/* not (only) a number */
	check_i64("12abc", 0, 100, -EINVAL, 0);
	check_i64("12 ", 0, 100, -EINVAL, 0);
	check_i64("12\n", 0, 100, -EINVAL, 0);
	check_i64(" 12", 0, 100, -EINVAL, 0);
	check_i64("\t12", 0, 100, -EINVAL, 0);
	check_i64("", 0, 100, -EINVAL, 0);
	check_i64(NULL, 0, 100, -EINVAL, 0);
	check_i64("abc", 0, 100, -EINVAL, 0);
	check_i64("-", 0, 100, -EINVAL, 0);
	check_i64("0x10", 0, 100, -EINVAL, 0);
	check_i64("1.5", 0, 100, -EINVAL, 0);
	check_i64("1e3", 0, 10000, -EINVAL, 0);
}

static void
test_parse_double(void **state)
{
	(void)state;
	check_double("1.5", 0, 10, 0, 1.5);
	check_double("-2e3", -1e9, 1e9, 0, -2000.0);
	check_double("0", 0, 0, 0, 0.0);
	check_double("3", 0, 10, 0, 3.0);
	check_double("10.5", 0, 10, -ERANGE, 0);
	check_double("-0.1", 0, 10, -ERANGE, 0);
	check_double("1e999", -INFINITY, INFINITY, -ERANGE, 0);
	check_double("1.5x", 0, 10, -EINVAL, 0);
	check_double("1.5 ", 0, 10, -EINVAL, 0);
	check_double(" 1.5", 0, 10, -EINVAL, 0);
	check_double("", 0, 10, -EINVAL, 0);
	check_double(".", 0, 10, -EINVAL, 0);
	check_double("e5", 0, 10, -EINVAL, 0);
	check_double("one", 0, 10, -EINVAL, 0);
	{
		double	 out = -777.0;

		/* not finite: refused whatever the bounds */
		assert_true(util_parse_double("inf", -INFINITY, INFINITY,
		    &out) < 0);
		assert_true(util_parse_double("nan", -INFINITY, INFINITY,
		    &out) < 0);
		assert_true(util_parse_double(NULL, 0, 1, &out) == -EINVAL);
		assert_true(out == -777.0);
	}
}

static void
test_parse_bytes(void **state)
{
	(void)state;
	check_bytes("0", 0, 0);
	check_bytes("512", 0, 512);
	check_bytes("7b", 0, 7);
	check_bytes("7B", 0, 7);
	check_bytes("1k", 0, 1024);
	check_bytes("1K", 0, 1024);
	check_bytes("4KiB", 0, 4096);
	check_bytes("2M", 0, 2ULL << 20);
	check_bytes("2m", 0, 2ULL << 20);
	check_bytes("2MiB", 0, 2ULL << 20);
	check_bytes("3GiB", 0, 3ULL << 30);
	check_bytes("3gib", 0, 3ULL << 30);
	check_bytes("3G", 0, 3ULL << 30);
	check_bytes("1t", 0, 1ULL << 40);
	check_bytes("1TiB", 0, 1ULL << 40);
	check_bytes("18446744073709551615", 0, UINT64_MAX);
	check_bytes("16777215T", 0, ((1ULL << 24) - 1) << 40);
	/* overflow, with and without a suffix */
	check_bytes("18446744073709551616", -ERANGE, 0);
	check_bytes("16777216T", -ERANGE, 0);
	check_bytes("17179869184G", -ERANGE, 0);
	check_bytes("18014398509481984k", -ERANGE, 0);
	/* bad forms */
	check_bytes("", -EINVAL, 0);
	check_bytes(NULL, -EINVAL, 0);
	check_bytes(" 1k", -EINVAL, 0);
	check_bytes("1 k", -EINVAL, 0);
	check_bytes("1k ", -EINVAL, 0);
	check_bytes("-1", -EINVAL, 0);
	check_bytes("+1", -EINVAL, 0);
	check_bytes("k", -EINVAL, 0);
	check_bytes("1.5G", -EINVAL, 0);
	check_bytes("1x", -EINVAL, 0);
	check_bytes("1kb", -EINVAL, 0);
	check_bytes("1GB", -EINVAL, 0);
	check_bytes("1Gi", -EINVAL, 0);
}

static void
test_strlcpy(void **state)
{
	char	 buf[8];

	(void)state;
	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(util_strlcpy(buf, "hello", sizeof(buf)), 5);
	assert_string_equal(buf, "hello");
	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(util_strlcpy(buf, "hello", 3), 5);	/* truncated */
	assert_string_equal(buf, "he");
	assert_int_equal(buf[3], 'Z');				/* no overrun */
	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(util_strlcpy(buf, "hello", 6), 5);	/* just fits */
	assert_string_equal(buf, "hello");
	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(util_strlcpy(buf, "hello", 5), 5);	/* one short */
	assert_string_equal(buf, "hell");
	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(util_strlcpy(buf, "hello", 1), 5);
	assert_string_equal(buf, "");
	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(util_strlcpy(buf, "hello", 0), 5);
	assert_int_equal(buf[0], 'Z');				/* untouched */
	assert_int_equal(util_strlcpy(buf, "", sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(util_strlcpy(buf, "a much longer string",
	    sizeof(buf)), 20);
	assert_string_equal(buf, "a much ");
}

static void
test_uuid_text(void **state)
{
	static const uint8_t known[16] = { 0x00, 0x11, 0x22, 0x33, 0x44,
	    0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	char		 s[UTIL_UUID_STRLEN];
	uint8_t		 u[16], v[16];
	uint64_t	 seed = 99;
	int		 i, j;

	(void)state;
	util_uuid_fmt(known, s);
	assert_string_equal(s, "00112233-4455-6677-8899-aabbccddeeff");
	assert_int_equal(util_uuid_parse(s, u), 0);
	assert_memory_equal(u, known, 16);
	memset(u, 0, sizeof(u));
	assert_int_equal(util_uuid_parse(
	    "00112233-4455-6677-8899-AABBCCDDEEFF", u), 0);
	assert_memory_equal(u, known, 16);

	for (i = 0; i < 1000; i++) {
		for (j = 0; j < 16; j++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			u[j] = (uint8_t)seed;
		}
		util_uuid_fmt(u, s);
		assert_int_equal(strlen(s), 36);
		assert_int_equal(util_uuid_parse(s, v), 0);
		assert_memory_equal(u, v, 16);
	}

	/* bad forms leave the output alone */
	memset(v, 0x5a, sizeof(v));
	memcpy(u, v, 16);
	assert_int_equal(util_uuid_parse("", v), -EINVAL);
	assert_int_equal(util_uuid_parse(
	    "00112233-4455-6677-8899-aabbccddeef", v), -EINVAL);
	assert_int_equal(util_uuid_parse(
	    "00112233-4455-6677-8899-aabbccddeeff0", v), -EINVAL);
	assert_int_equal(util_uuid_parse(
	    "00112233445566778899aabbccddeeff", v), -EINVAL);
	assert_int_equal(util_uuid_parse(
	    "00112233-4455-6677-8899_aabbccddeeff", v), -EINVAL);
	assert_int_equal(util_uuid_parse(
	    "001122334-455-6677-8899-aabbccddeeff", v), -EINVAL);
	assert_int_equal(util_uuid_parse(
	    "0011223g-4455-6677-8899-aabbccddeeff", v), -EINVAL);
	assert_int_equal(util_uuid_parse(
	    "00112233-4455-6677-8899-aabbccddeef ", v), -EINVAL);
	assert_int_equal(util_uuid_parse(
	    "{0112233-4455-6677-8899-aabbccddeef}", v), -EINVAL);
	assert_int_equal(util_uuid_parse(
	    "-0112233-4455-6677-8899-aabbccddeeff", v), -EINVAL);
	assert_memory_equal(u, v, 16);
}

static void
test_uuid_from_name_and_hash(void **state)
{
	uint8_t		 a[16], b[16], c[16];
	uint64_t	 h;
	size_t		 i;

	(void)state;
	/* FNV-1a: each byte is xored in, then multiplied by the prime */
	h = util_hash64("", 0);
	for (i = 0; i < 6; i++) {
		h = (h ^ (uint8_t)"foobar"[i]) * 1099511628211ULL;
		assert_int_equal(util_hash64("foobar", i + 1), h);
	}
	assert_int_equal(util_hash64("foobar", 6), util_hash64("foobar", 6));
	assert_int_not_equal(util_hash64("foobar", 6),
	    util_hash64("foobas", 6));
	assert_int_not_equal(util_hash64("\0", 1), util_hash64("", 0));

	util_uuid_from_name("ballast-sim", "host-1", a);
	util_uuid_from_name("ballast-sim", "host-1", b);
	assert_memory_equal(a, b, 16);			/* stable */
	util_uuid_from_name("ballast-sim", "host-2", c);
	assert_memory_not_equal(a, c, 16);
	util_uuid_from_name("other", "host-1", c);
	assert_memory_not_equal(a, c, 16);
	assert_int_equal(a[6] >> 4, 5);			/* version 5 */
	assert_int_equal(a[8] & 0xc0, 0x80);		/* RFC 4122 variant */
}

static void
test_clocks(void **state)
{
	int64_t	 t0, t1, r;

	(void)state;
	r = util_now_real_ms();
	assert_true(r > INT64_C(1577836800000));	/* after 2020 */
	t0 = util_now_mono_ms();
	util_sleep_ms(0, NULL);
	util_sleep_ms(-5, NULL);
	util_sleep_ms(20, NULL);
	t1 = util_now_mono_ms();
	assert_true(t1 - t0 >= 20);
	assert_true(t1 - t0 < 5000);
	assert_true(util_now_mono_ns() / 1000000 >= t1);
}

static void
test_secret_equal(void **state)
{
	const char	*tok = "4c6abe30eaae9991360365093e27f253";

	(void)state;
	assert_int_equal(util_secret_equal(tok, "4c6abe30eaae9991360365093e27f253"), 1);
	assert_int_equal(util_secret_equal(tok, "4c6abe30eaae9991360365093e27f254"), 0);
	assert_int_equal(util_secret_equal(tok, "5c6abe30eaae9991360365093e27f253"), 0);
	/* a prefix, a longer string, the empty string */
	assert_int_equal(util_secret_equal(tok, "4c6abe30eaae99913603650"), 0);
	assert_int_equal(util_secret_equal(tok, "4c6abe30eaae9991360365093e27f2530"), 0);
	assert_int_equal(util_secret_equal(tok, ""), 0);
	/* the secret repeated: reading got again from its start cannot match */
	assert_int_equal(util_secret_equal("abab", "ab"), 0);
	assert_int_equal(util_secret_equal("a", "a"), 1);
}

/*
 * util_append_whole: whole pieces at the end; a full device (/dev/full
 * refuses every byte) gives -ENOSPC.  A write cut short half-way needs
 * a filling file system: tests/faults/test_diskfull.sh has that.
 */
static void
test_append_whole(void **state)
{
	char	 path[] = "/tmp/ballast-util-XXXXXX", buf[64];
	int	 fd, full;
	ssize_t	 n;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(util_append_whole(fd, "one\n", 4), 0);
	assert_true(lseek(fd, 0, SEEK_SET) == 0);	/* the next goes at the end */
	assert_int_equal(util_append_whole(fd, "two\n", 4), 0);
	assert_true(lseek(fd, 0, SEEK_SET) == 0);
	n = read(fd, buf, sizeof(buf) - 1);
	assert_int_equal(n, 8);
	buf[n] = '\0';
	assert_string_equal(buf, "one\ntwo\n");
	close(fd);
	unlink(path);
	if ((full = open("/dev/full", O_WRONLY)) >= 0) {
		assert_int_equal(util_append_whole(full, "x\n", 2), -ENOSPC);
		close(full);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_i64),
		cmocka_unit_test(test_parse_double),
		cmocka_unit_test(test_parse_bytes),
		cmocka_unit_test(test_strlcpy),
		cmocka_unit_test(test_uuid_text),
		cmocka_unit_test(test_uuid_from_name_and_hash),
		cmocka_unit_test(test_clocks),
		cmocka_unit_test(test_secret_equal),
		cmocka_unit_test(test_append_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
