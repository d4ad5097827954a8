/* SPDX-License-Identifier: ISC */
/*
 * assets: the operator dashboard's static files, compiled into the
 * daemon (tools/embed_assets.py turns web/dashboard/ into a table at
 * build time, so nothing is read from disk and nothing comes from a
 * CDN).
 *
 *   GET /                  index.html
 *   GET /static/NAME       every other file of web/dashboard/
 *
 * Every answer carries a Content-Security-Policy that allows nothing
 * but this origin (no inline script or style, no framing) and
 * X-Frame-Options: DENY.  The pages read the JSON API and send operator
 * actions with the X-Ballast-Token header (api_plan.h); the token is
 * typed in by the operator and kept in the tab's sessionStorage.
 */
#ifndef BALLAST_ASSETS_H
#define BALLAST_ASSETS_H

#include <stddef.h>

#include "http.h"

/* One embedded file; the table ends with a NULL path. */
struct asset {
	const char		*path;		/* "/index.html", "/static/app.js" */
	const unsigned char	*data;
	size_t			 len;
};

/* The generated table (build/web/dashboard_files.c). */
extern const struct asset	assets_files[];

/* The headers of every dashboard answer: name, value, ..., NULL. */
extern const char *const	assets_headers[];

/*
 * Serves a GET or HEAD of a dashboard path: returns 1 with *r filled
 * (200 and a malloc'd copy of the file; 405 for another method; 500
 * when out of memory), or 0 when path is not the dashboard's (r
 * untouched).
 */
int		 assets_serve(const struct http_request *, struct http_response *r);

/* The file at path ("/" is "/index.html"), or NULL. */
const struct asset *assets_find(const char *path);

/* The Content-Type for a file name, by its extension. */
const char	*assets_content_type(const char *path);

#endif
