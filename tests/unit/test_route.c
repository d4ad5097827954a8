/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of web/route.c: the API's path pieces (collections, ID/verb,
 * HOST/enter|exit) and the operator token's comparison, including the
 * edge cases a client could send.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "route.h"

static void
test_coll(void **state)
{
	const char	*rest = "untouched";

	(void)state;
	assert_int_equal(route_coll("hosts", "hosts", &rest), 1);
	assert_string_equal(rest, "");
	assert_int_equal(route_coll("hosts/hv01", "hosts", &rest), 1);
	assert_string_equal(rest, "hv01");
	assert_int_equal(route_coll("hosts/", "hosts", &rest), 1);
	assert_string_equal(rest, "");
	rest = "untouched";
	assert_int_equal(route_coll("hosts/hv01/x", "hosts", &rest), 0);
	assert_int_equal(route_coll("hostsX", "hosts", &rest), 0);
	assert_int_equal(route_coll("host", "hosts", &rest), 0);
	assert_int_equal(route_coll("", "vms", &rest), 0);
	assert_string_equal(rest, "untouched");
}

static void
test_id_verb(void **state)
{
	const char	*verb = NULL;
	uint64_t	 id = 7;

	(void)state;
	assert_int_equal(route_id_verb("123/approve", &id, &verb), 0);
	assert_int_equal(id, 123);
	assert_string_equal(verb, "approve");
	assert_int_equal(route_id_verb("9223372036854775807/x", &id, &verb), 0);
	assert_true(id == INT64_MAX);
	id = 7;
	verb = NULL;
	assert_int_equal(route_id_verb("0/approve", &id, &verb), -EINVAL);
	assert_int_equal(route_id_verb("-1/approve", &id, &verb), -EINVAL);
	assert_int_equal(route_id_verb("/approve", &id, &verb), -EINVAL);
	assert_int_equal(route_id_verb("12", &id, &verb), -EINVAL);
	assert_int_equal(route_id_verb("12x/approve", &id, &verb), -EINVAL);
	assert_int_equal(route_id_verb("9223372036854775808/a", &id, &verb),
	    -EINVAL);
	assert_int_equal(route_id_verb("1234567890123456789012345/a", &id,
	    &verb), -EINVAL);
	assert_int_equal(id, 7);
	assert_null(verb);
}

static void
test_host_verb(void **state)
{
	char	 host[8] = "none";
	int	 on = -1;

	(void)state;
	assert_int_equal(route_host_verb("hv01/enter", host, sizeof(host), &on),
	    0);
	assert_string_equal(host, "hv01");
	assert_int_equal(on, 1);
	assert_int_equal(route_host_verb("a/b/exit", host, sizeof(host), &on), 0);
	assert_string_equal(host, "a/b");
	assert_int_equal(on, 0);
	on = -1;
	assert_int_equal(route_host_verb("/enter", host, sizeof(host), &on),
	    -EINVAL);
	assert_int_equal(route_host_verb("hv01/leave", host, sizeof(host), &on),
	    -EINVAL);
	assert_int_equal(route_host_verb("hv01", host, sizeof(host), &on),
	    -EINVAL);
	/* 8 bytes do not fit in 8 with the NUL */
	assert_int_equal(route_host_verb("12345678/enter", host, sizeof(host),
	    &on), -EINVAL);
	assert_int_equal(route_host_verb("1234567/enter", host, sizeof(host),
	    &on), 0);
	assert_string_equal(host, "1234567");
	assert_int_equal(on, 1);
}

static void
test_token(void **state)
{
	(void)state;
	assert_int_equal(route_token_eq("s3cret", "s3cret"), 1);
	assert_int_equal(route_token_eq("s3cret", "s3creT"), 0);
	assert_int_equal(route_token_eq("s3cret", "s3cre"), 0);
	assert_int_equal(route_token_eq("s3cret", "s3crett"), 0);
	assert_int_equal(route_token_eq("s3cret", ""), 0);
	assert_int_equal(route_token_eq("s3cret", NULL), 0);
	assert_int_equal(route_token_eq("", ""), 0);
	assert_int_equal(route_token_eq(NULL, "x"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coll),
		cmocka_unit_test(test_id_verb),
		cmocka_unit_test(test_host_verb),
		cmocka_unit_test(test_token),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
