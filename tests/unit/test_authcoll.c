/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/authcoll.c: the authorised-collectors grammar,
 * its file:line:col errors (bad keys, UUIDs, duplicates, stray words),
 * and lookups by key and by name.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <zmq.h>

#include "authcoll.h"
#include "util.h"

static char	 ka[41], kb[41];

static int
setup(void **state)
{
	char	 s[41];

	(void)state;
	return zmq_curve_keypair(ka, s) || zmq_curve_keypair(kb, s) ? -1 : 0;
}

/* Parses text; returns the rc, with err filled. */
static int
parse(const char *text, struct authcoll *t, char *err, size_t len)
{
	return authcoll_parse("collectors", text, strlen(text), t, err, len);
}

static void
test_grammar(void **state)
{
	struct authcoll			 t;
	const struct authcoll_entry	*e;
	char				 text[512], err[256];
	uint8_t				 bin[32], u[16];

	(void)state;
	snprintf(text, sizeof(text), "# the hypervisors\n"
	    "collector \"kvm-01\" key \"%s\"\n"
	    "collector kvm-02 key \"%s\" uuid "
	    "\"0e6b7f8a-8c1d-4e4f-9b3a-6c2d1e0f9a8b\"   # bound\n", ka, kb);
	assert_int_equal(parse(text, &t, err, sizeof(err)), 0);
	assert_int_equal(t.n, 2);
	zmq_z85_decode(bin, kb);
	assert_non_null(e = authcoll_by_key(&t, bin));
	assert_string_equal(e->name, "kvm-02");
	assert_true(e->has_uuid);
	util_uuid_parse("0e6b7f8a-8c1d-4e4f-9b3a-6c2d1e0f9a8b", u);
	assert_memory_equal(e->uuid, u, 16);
	assert_non_null(e = authcoll_by_name(&t, "kvm-01"));
	assert_false(e->has_uuid);
	assert_null(authcoll_by_name(&t, "kvm-03"));
	memset(bin, 0, sizeof(bin));
	assert_null(authcoll_by_key(&t, bin));
	authcoll_clear(&t);
	assert_int_equal(parse("", &t, err, sizeof(err)), 0);
	assert_int_equal(t.n, 0);
}

/* text must fail with exactly want. */
static void
bad(const char *text, const char *want)
{
	struct authcoll	 t;
	char		 err[256];

	assert_int_equal(parse(text, &t, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, want);
	assert_int_equal(t.n, 0);
}

static void
test_errors(void **state)
{
	char	 text[512], want[256];

	(void)state;
	bad("collector \"a\" key \"short\"\n", "collectors:1:19: not a CURVE "
	    "public key (40 Z85 characters, as in a .pub file from ballastctl "
	    "keygen)");
	bad("host \"a\"\n", "collectors:1:1: expected \"collector\", found host");
	bad("collector \"a\" secret \"x\"\n",
	    "collectors:1:15: expected \"key\", found \"secret\"");
	bad("collector \"\" key \"x\"\n",
	    "collectors:1:11: a host name is empty");
	snprintf(text, sizeof(text), "collector a key \"%s\" uuid \"nope\"\n", ka);
	bad(text, "collectors:1:65: \"nope\" is not a UUID");
	snprintf(text, sizeof(text), "collector a key \"%s\" extra\n", ka);
	bad(text, "collectors:1:60: expected \"uuid\" or end of line, found extra");
	snprintf(text, sizeof(text), "collector a key \"%s\"\n"
	    "collector a key \"%s\"\n", ka, kb);
	bad(text, "collectors:2:1: collector \"a\" is listed twice");
	snprintf(text, sizeof(text), "collector a key \"%s\"\n"
	    "collector b key \"%s\"\n", ka, ka);
	snprintf(want, sizeof(want), "collectors:2:1: the key of \"b\" is also "
	    "the key of \"a\": one key per collector");
	bad(text, want);
}

static void
test_load_missing(void **state)
{
	struct authcoll	 t;
	char		 err[256];

	(void)state;
	assert_int_equal(authcoll_load("/nonexistent/collectors", &t, err,
	    sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/collectors"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grammar),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_load_missing),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
