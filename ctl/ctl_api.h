/* SPDX-License-Identifier: ISC */
/*
 * ctl_api: ballastctl's client of the balancer's JSON API, shared by
 * every command.  GETs over HTTP(S) with libcurl (no token), operator
 * actions as POSTs carrying the API token in X-Ballast-Token (from
 * --token, $BALLAST_TOKEN, --token-file or CTL_TOKEN_FILE), answers
 * parsed with jansson and shown as tables (fmt.h) or, with --json, as
 * indented JSON.
 *
 * Every failure is one line on stderr (log.h) that says what failed,
 * where, and what to do about it; the functions return NULL or an exit
 * status (ctl.h) after it.  The caller must have called
 * curl_global_init().  No state is kept between calls.
 */
#ifndef BALLAST_CTL_CTL_API_H
#define BALLAST_CTL_CTL_API_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "ctl.h"

/*
 * GETs the API path `path` ("/api/v1/...") and parses the answer.
 * Returns the JSON (the caller json_decref()s it), or NULL after
 * printing what went wrong.
 */
json_t	*ctl_get(const struct ctl *ctl, const char *path);

/*
 * An operator action: POSTs `body` ("" for none) to the API path `path`
 * with the token.  Returns the answer, an object (the caller
 * json_decref()s it), or NULL after printing what went wrong, an
 * answer of {"ok": false, "error": ...} included.
 */
json_t	*ctl_action(const struct ctl *ctl, const char *path,
	    const char *body);

/* Says that `path` answered JSON of the wrong shape; returns EXIT_API. */
int	ctl_unexpected(const struct ctl *ctl, const char *path,
	    const char *expected);

/*
 * Prints `j` as JSON (--json) or through `view`.  Returns an exit
 * status; `view` failing means the API answered something unexpected
 * (not `expected` at `path`).
 */
int	ctl_show(const struct ctl *ctl, json_t *j,
	    int (*view)(FILE *, json_t *), const char *path,
	    const char *expected);

/* GETs `path` and shows it with `view` (ctl_show); an exit status. */
int	ctl_simple(const struct ctl *ctl, const char *path,
	    int (*view)(FILE *, json_t *), const char *expected);

/* Prints an action's answer `j`: its JSON with --json, else `msg`; 0. */
int	ctl_done(const struct ctl *ctl, json_t *j, const char *msg);

/*
 * The API's {"error": "..."} text in an answer's body (`data`, `len`
 * bytes; may be NULL), control bytes as '?', copied into `text`.
 * Returns `text`, or NULL (text untouched) if the body has none.
 * Prints nothing.
 */
const char	*ctl_error_text(const char *data, size_t len, char *text,
		    size_t size);

/*
 * Percent-encodes `src` for a URL path segment into dst.  Returns 0,
 * or -1 if it does not fit (dst's content is then undefined).
 */
int	ctl_escape(char *dst, size_t len, const char *src);

#endif
