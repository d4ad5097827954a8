/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the tls statement of balancer/conf.c: cert and key
 * files, "tls none", the messages for a broken statement, and
 * conf_print() giving it back in the grammar.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "conf.h"

static int
parse(const char *text, struct conf *c, char *err, size_t errlen)
{
	err[0] = '\0';
	return conf_parse("t.conf", text, strlen(text), c, err, errlen);
}

static void
test_default_plain_http(void **state)
{
	struct conf	 c;

	(void)state;
	conf_defaults(&c);
	assert_string_equal(c.tls_cert, "");
	assert_string_equal(c.tls_key, "");
}

static void
test_cert_and_key(void **state)
{
	struct conf	 c;
	char		 err[256];

	(void)state;
	assert_int_equal(parse("tls cert \"/etc/b/api.crt\" key "
	    "\"/etc/b/api.key\"\n", &c, err, sizeof(err)), 0);
	assert_string_equal(c.tls_cert, "/etc/b/api.crt");
	assert_string_equal(c.tls_key, "/etc/b/api.key");
	assert_int_equal(parse("tls cert a.pem key b.pem\ntls none\n", &c, err,
	    sizeof(err)), 0);
	assert_string_equal(c.tls_cert, "");
}

static void
test_refused(void **state)
{
	static const struct {
		const char	*text, *msg;
	} bad[] = {
		{ "tls\n", "t.conf:1:4: expected \"cert\" or \"none\", found "
		  "end of line" },
		{ "tls key a cert b\n", "t.conf:1:5: tls takes cert \"FILE\" "
		  "key \"FILE\" or none, not \"key\"" },
		{ "tls cert a.pem\n", "t.conf:1:15: expected \"key\", found "
		  "end of line" },
		{ "tls cert a.pem chain b.pem\n", "t.conf:1:16: expected "
		  "\"key\", found \"chain\"" },
		{ "tls cert \"\" key b.pem\n", "t.conf:1:17: tls wants a "
		  "certificate and a key file" },
	};
	struct conf	 c;
	char		 err[256];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		conf_defaults(&c);
		assert_int_equal(parse(bad[i].text, &c, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, bad[i].msg);
		assert_string_equal(c.tls_cert, "");
	}
}

static void
test_print_round_trip(void **state)
{
	struct conf	 c, back;
	char		 buf[8192], err[256];

	(void)state;
	assert_int_equal(parse("tls cert \"/a b/x\\\"y.crt\" key k.pem\n", &c,
	    err, sizeof(err)), 0);
	conf_print(&c, buf, sizeof(buf));
	assert_non_null(strstr(buf, "tls cert \"/a b/x\\\"y.crt\" key \"k.pem\"\n"));
	assert_int_equal(parse(buf, &back, err, sizeof(err)), 0);
	assert_string_equal(back.tls_cert, c.tls_cert);
	assert_string_equal(back.tls_key, c.tls_key);
	conf_defaults(&c);
	conf_print(&c, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\ntls none\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_plain_http),
		cmocka_unit_test(test_cert_and_key),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_print_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
