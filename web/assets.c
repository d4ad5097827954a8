/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <string.h>

#include "assets.h"

#define ASSETS_CSP	"default-src 'self'; script-src 'self'; " \
			"style-src 'self'; img-src 'self' blob: data:; " \
			"connect-src 'self'; frame-ancestors 'none'; " \
			"base-uri 'none'; form-action 'none'; object-src 'none'"

const char *const assets_headers[] = {
	"Content-Security-Policy", ASSETS_CSP,
	"X-Frame-Options", "DENY",
	"Referrer-Policy", "no-referrer",
	NULL
};

static const struct {
	const char	*ext, *type;
} assets_types[] = {
	{ ".html",	"text/html; charset=utf-8" },
	{ ".js",	"text/javascript; charset=utf-8" },
	{ ".css",	"text/css; charset=utf-8" },
	{ ".svg",	"image/svg+xml" },
	{ ".png",	"image/png" },
	{ ".ico",	"image/x-icon" },
	{ ".json",	"application/json" },
	{ ".txt",	"text/plain; charset=utf-8" },
};

const char *
assets_content_type(const char *path)
{
	const char	*dot = strrchr(path, '.');
	size_t		 i;

	if (dot == NULL || strchr(dot, '/') != NULL)
		return "application/octet-stream";
	for (i = 0; i < sizeof(assets_types) / sizeof(assets_types[0]); i++)
		if (strcmp(dot, assets_types[i].ext) == 0)
			return assets_types[i].type;
	return "application/octet-stream";
}

const struct asset *
assets_find(const char *path)
{
	const struct asset	*a;

	if (strcmp(path, "/") == 0)
		path = "/index.html";
	for (a = assets_files; a->path != NULL; a++)
		if (strcmp(a->path, path) == 0)
			return a;
	return NULL;
}

static void
assets_fixed(struct http_response *r, int status, const char *text)
{
	r->status = status;
	r->body = strdup(text);
	r->len = r->body != NULL ? strlen(text) : 0;
	r->content_type = "text/plain; charset=utf-8";
	r->headers = assets_headers;
}

int
assets_serve(const struct http_request *req, struct http_response *r)
{
	const struct asset	*a = assets_find(req->path);

	if (a == NULL)
		return 0;
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
		assets_fixed(r, 405, "the dashboard's files are read-only\n");
		return 1;
	}
	if ((r->body = malloc(a->len > 0 ? a->len : 1)) == NULL) {
		assets_fixed(r, 500, "out of memory\n");
		return 1;
	}
	memcpy(r->body, a->data, a->len);
	r->len = a->len;
	r->status = 200;
	r->content_type = assets_content_type(a->path);
	r->headers = assets_headers;
	return 1;
}
