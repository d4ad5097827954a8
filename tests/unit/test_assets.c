/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of web/assets.c: every dashboard file is found and served
 * whole with its type and the security headers; "/" is index.html; other
 * paths are left to the API; the files are read-only; the page loads
 * nothing from another origin.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "assets.h"

static int
serve(const char *method, const char *path, struct http_response *r)
{
	struct http_request	 req;

	memset(&req, 0, sizeof(req));
	memset(r, 0, sizeof(*r));
	req.method = method;
	req.path = path;
	req.body = "";
	return assets_serve(&req, r);
}

static const char *
header(const struct http_response *r, const char *name)
{
	size_t	 i;

	for (i = 0; r->headers != NULL && r->headers[i] != NULL; i += 2)
		if (strcmp(r->headers[i], name) == 0)
			return r->headers[i + 1];
	return NULL;
}

static void
test_index_at_root(void **state)
{
	struct http_response	 r;
	const struct asset	*a = assets_find("/index.html");

	(void)state;
	assert_non_null(a);
	assert_int_equal(serve("GET", "/", &r), 1);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "text/html; charset=utf-8");
	assert_int_equal(r.len, a->len);
	assert_memory_equal(r.body, a->data, a->len);
	assert_non_null(strstr(r.body, "/static/app.js"));
	free(r.body);
}

static void
test_every_file_served(void **state)
{
	struct http_response	 r;
	const struct asset	*a;
	int			 n = 0, js = 0, css = 0;

	(void)state;
	for (a = assets_files; a->path != NULL; a++, n++) {
		assert_int_equal(serve("GET", a->path, &r), 1);
		assert_int_equal(r.status, 200);
		assert_int_equal(r.len, a->len);
		assert_memory_equal(r.body, a->data, a->len);
		js += strcmp(r.content_type, "text/javascript; charset=utf-8") == 0;
		css += strcmp(r.content_type, "text/css; charset=utf-8") == 0;
		free(r.body);
	}
	assert_true(n >= 5);
	assert_true(js >= 4);	/* app, api, ui, pages */
	assert_int_equal(css, 1);
	assert_non_null(assets_find("/static/app.js"));
	assert_non_null(assets_find("/static/style.css"));
}

static void
test_security_headers(void **state)
{
	struct http_response	 r;
	const char		*csp;

	(void)state;
	assert_int_equal(serve("GET", "/static/app.js", &r), 1);
	csp = header(&r, "Content-Security-Policy");
	assert_non_null(csp);
	assert_non_null(strstr(csp, "default-src 'self'"));
	assert_non_null(strstr(csp, "frame-ancestors 'none'"));
	assert_null(strstr(csp, "unsafe-inline"));
	assert_null(strstr(csp, "unsafe-eval"));
	assert_string_equal(header(&r, "X-Frame-Options"), "DENY");
	assert_string_equal(header(&r, "Referrer-Policy"), "no-referrer");
	free(r.body);
}

static void
test_not_ours(void **state)
{
	struct http_response	 r;

	(void)state;
	assert_int_equal(serve("GET", "/api/v1/status", &r), 0);
	assert_null(r.body);
	assert_int_equal(serve("GET", "/static/nope.js", &r), 0);
	assert_int_equal(serve("GET", "/static/../index.html", &r), 0);
	assert_int_equal(serve("GET", "/metrics", &r), 0);
	assert_int_equal(serve("GET", "", &r), 0);
}

static void
test_read_only(void **state)
{
	struct http_response	 r;

	(void)state;
	assert_int_equal(serve("POST", "/", &r), 1);
	assert_int_equal(r.status, 405);
	assert_non_null(header(&r, "Content-Security-Policy"));
	free(r.body);
	assert_int_equal(serve("HEAD", "/static/style.css", &r), 1);
	assert_int_equal(r.status, 200);
	free(r.body);
}

/* No file names another origin: nothing from a CDN, no http(s):// URL. */
static void
test_no_external_urls(void **state)
{
	const struct asset	*a;
	char			*text;

	(void)state;
	for (a = assets_files; a->path != NULL; a++) {
		if (strcmp(assets_content_type(a->path), "image/svg+xml") == 0)
			continue;	/* its xmlns is a name, not a fetch */
		text = calloc(1, a->len + 1);
		assert_non_null(text);
		memcpy(text, a->data, a->len);
		if (strstr(text, "http://") != NULL || strstr(text, "https://") != NULL)
			fail_msg("%s names another origin", a->path);
		free(text);
	}
}

static void
test_content_types(void **state)
{
	(void)state;
	assert_string_equal(assets_content_type("/a.svg"), "image/svg+xml");
	assert_string_equal(assets_content_type("/a.png"), "image/png");
	assert_string_equal(assets_content_type("/x.d/noext"),
	    "application/octet-stream");
	assert_string_equal(assets_content_type("/a.exe"),
	    "application/octet-stream");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_at_root),
		cmocka_unit_test(test_every_file_served),
		cmocka_unit_test(test_security_headers),
		cmocka_unit_test(test_not_ours),
		cmocka_unit_test(test_read_only),
		cmocka_unit_test(test_no_external_urls),
		cmocka_unit_test(test_content_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
