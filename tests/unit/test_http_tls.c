/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of http_new_tls() in web/http.c: a certificate and key
 * that do not load are refused with a reason (and leak nothing), and
 * without them the server is plain HTTP as http_new() is.  The real
 * handshake is tested end to end by tests/integration/test_tls.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"

static void
handler(void *arg, const struct http_request *req, struct http_response *r)
{
	(void)arg;
	(void)req;
	(void)r;
}

static void
test_garbage_refused(void **state)
{
	static const char cert[] = "-----BEGIN CERTIFICATE-----\n"
	    "bm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";
	static const char key[] = "-----BEGIN PRIVATE KEY-----\n"
	    "bm90IGEga2V5\n-----END PRIVATE KEY-----\n";
	struct http	*h;
	char		 err[256] = "";

	(void)state;
	h = http_new_tls("127.0.0.1", 0, cert, key, NULL, handler, NULL, err,
	    sizeof(err));
	assert_null(h);
	assert_non_null(strstr(err, "TLS"));
}

static void
test_plain_without_cert(void **state)
{
	struct http	*h;
	char		 err[256] = "";

	(void)state;
	h = http_new_tls("127.0.0.1", 0, NULL, NULL, NULL, handler, NULL, err,
	    sizeof(err));
	assert_non_null(h);
	assert_true(http_fd(h) >= 0);
	http_free(h);
}

static void
test_bad_address(void **state)
{
	char	 err[256] = "";

	(void)state;
	assert_null(http_new_tls("localhost", 0, NULL, NULL, NULL, handler, NULL,
	    err, sizeof(err)));
	assert_string_equal(err, "API address \"localhost\" is not an IPv4 "
	    "or IPv6 literal");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_garbage_refused),
		cmocka_unit_test(test_plain_without_cert),
		cmocka_unit_test(test_bad_address),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
