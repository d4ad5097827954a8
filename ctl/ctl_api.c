/* SPDX-License-Identifier: ISC */
/*
 * ctl_api: ballastctl's client of the balancer's JSON API.  See
 * ctl_api.h for the contracts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "ctl.h"
#include "ctl_api.h"
#include "fmt.h"
#include "log.h"
#include "util.h"

#define CTL_MAX_BODY		(64u << 20)	/* a larger answer is wrong */
#define CTL_TOKEN_LEN		512		/* longer is no token of ours */

/* The token of an action and where it came from. */
struct token {
	char		 value[CTL_TOKEN_LEN];	/* "": none was found */
	const char	*source;		/* "--token", a file, ... */
	int		 deferr;	/* errno of the default file, or 0 */
};

/* An HTTP answer's body, NUL-terminated, at most CTL_MAX_BODY bytes. */
struct body {
	char		*data;
	size_t		 len;
	size_t		 cap;
	int		 toolarge;
};

/* curl's write callback: appends to the struct body, 0 aborts. */
static size_t
ctl_write(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct body	*b = arg;
	size_t		 n = size * nmemb, cap;
	char		*p;

	if (n > CTL_MAX_BODY - b->len) {
		b->toolarge = 1;
		return 0;
	}
	if (b->len + n + 1 > b->cap) {
		cap = b->cap > 0 ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((p = realloc(b->data, cap)) == NULL)
			return 0;
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/*
 * Sets up one request of `url` into `b`: a GET, or a POST of `post`
 * (may be "") if it is not NULL.  curl's message goes to errbuf.
 */
static void
ctl_setup(CURL *c, const struct ctl *ctl, const char *url, const char *post,
    struct body *b, char *errbuf, struct curl_slist *hdrs)
{
	long	 ms = (long)(ctl->timeout * 1000.0 + 0.5);

	if (ms < 1)
		ms = 1;
	curl_easy_setopt(c, CURLOPT_URL, url);
	if (post != NULL) {
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(post));
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, post);
	} else
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ballastctl/" CTL_VERSION);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	if (ctl->cacert != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, ctl->cacert);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, ctl_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
}

/* Explains a failed transfer of `url`: what, where and the fix. */
static void
ctl_net_error(const struct ctl *ctl, const char *url, CURLcode rc,
    long oserr, const char *errbuf, const struct body *b)
{
	char	 why[CURL_ERROR_SIZE];

	if (oserr != 0)
		util_strlcpy(why, strerror((int)oserr), sizeof(why));
	else if (errbuf[0] != '\0')
		fmt_sanitize(why, sizeof(why), errbuf);
	else
		util_strlcpy(why, curl_easy_strerror(rc), sizeof(why));

	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		log_warnx("cannot reach the balancer at %s (%s): is "
		    "ballast-balancerd running? set --api or BALLAST_API",
		    ctl->api, why);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		log_warnx("cannot resolve the host of %s (%s): check --api "
		    "or BALLAST_API", ctl->api, why);
		break;
	case CURLE_SSL_CONNECT_ERROR:
		log_warnx("the TLS handshake with %s failed (%s): a balancer "
		    "without a tls statement in its configuration serves "
		    "plain http://", ctl->api, why);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		log_warnx("no answer from the balancer at %s within %g s: is "
		    "ballast-balancerd overloaded or stopped? raise --timeout "
		    "if it is only slow", ctl->api, ctl->timeout);
		break;
	case CURLE_WRITE_ERROR:
		if (b->toolarge) {
			log_warnx("the answer from %s is over %u MiB: is --api "
			    "or BALLAST_API pointing at ballast-balancerd?",
			    url, CTL_MAX_BODY >> 20);
			break;
		}
		log_warnx("out of memory reading the answer from %s", url);
		break;
	default:
		log_warnx("request to %s failed (%s): is --api or BALLAST_API "
		    "pointing at ballast-balancerd?", url, why);
		break;
	}
}

/*
 * The request's headers: Accept; for a POST, Content-Type JSON, or none
 * for an empty body (not curl's form type); X-Ballast-Token if `token`
 * is not empty.  NULL if memory ran out.
 */
static struct curl_slist *
ctl_headers(const char *post, const char *token)
{
	char			 hdr[CTL_TOKEN_LEN + 32];
	struct curl_slist	*hdrs, *h;

	if ((hdrs = curl_slist_append(NULL, "Accept: application/json")) ==
	    NULL)
		return NULL;
	h = hdrs;
	if (post != NULL)
		h = curl_slist_append(hdrs, *post != '\0' ?
		    "Content-Type: application/json" : "Content-Type:");
	if (h != NULL && token != NULL && *token != '\0') {
		snprintf(hdr, sizeof(hdr), "X-Ballast-Token: %s", token);
		h = curl_slist_append(hdrs, hdr);
		explicit_bzero(hdr, sizeof(hdr));
	}
	if (h == NULL) {
		curl_slist_free_all(hdrs);
		return NULL;
	}
	return hdrs;
}

/*
 * GETs `url`, or POSTs `post` to it if that is not NULL, with `token`
 * (NULL or "": none), into `b`.  Returns the HTTP status, or -1 after
 * printing why the transfer failed.
 */
static long
ctl_fetch(const struct ctl *ctl, const char *url, const char *post,
    const char *token, struct body *b)
{
	char			 errbuf[CURL_ERROR_SIZE];
	struct curl_slist	*hdrs;
	CURL			*c;
	CURLcode		 rc;
	long			 status = -1, oserr = 0;

	if ((hdrs = ctl_headers(post, token)) == NULL) {
		log_warnx("out of memory");
		return -1;
	}
	if ((c = curl_easy_init()) == NULL) {
		log_warnx("cannot initialise libcurl");
		curl_slist_free_all(hdrs);
		return -1;
	}
	errbuf[0] = '\0';
	ctl_setup(c, ctl, url, post, b, errbuf, hdrs);
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &oserr);
		ctl_net_error(ctl, url, rc, oserr, errbuf, b);
	} else if (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE,
	    &status) != CURLE_OK)
		status = -1;
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	return status;
}

const char *
ctl_error_text(const char *data, size_t len, char *text, size_t size)
{
	json_error_t	 jerr;
	json_t		*j = NULL;
	const char	*msg = NULL;

	if (data != NULL)
		j = json_loadb(data, len, 0, &jerr);
	if (json_is_object(j))
		msg = json_string_value(json_object_get(j, "error"));
	if (msg != NULL)
		fmt_sanitize(text, size, msg);
	json_decref(j);
	return msg != NULL ? text : NULL;
}

/*
 * Explains an HTTP error status, with the API's {"error": ...} text
 * and, if it is not NULL, the `hint` on what to do.
 */
static void
ctl_http_error(const char *url, long status, const struct body *b,
    const char *hint)
{
	char		 text[512];
	const char	*msg;

	msg = ctl_error_text(b->data, b->len, text, sizeof(text));
	if (msg != NULL && hint != NULL)
		log_warnx("%s (HTTP %ld from %s): %s", msg, status, url, hint);
	else if (msg != NULL)
		log_warnx("%s (HTTP %ld from %s)", msg, status, url);
	else if (hint != NULL)
		log_warnx("HTTP %ld from %s: %s", status, url, hint);
	else if (status == 404)
		log_warnx("HTTP 404 from %s: is --api or BALLAST_API pointing "
		    "at ballast-balancerd?", url);
	else
		log_warnx("HTTP %ld from %s: see ballast-balancerd's log",
		    status, url);
}

/* What to do about a 401 or 403 answer to an action with `tok`. */
static void
ctl_token_hint(const struct token *tok, char *buf, size_t len)
{
	if (tok->value[0] != '\0')
		snprintf(buf, len, "the balancer refused the token from %s; "
		    "give the operator's token with --token, BALLAST_TOKEN "
		    "or --token-file", tok->source);
	else if (tok->deferr != 0 && tok->deferr != ENOENT)
		snprintf(buf, len, "no token was sent, as %s is not readable "
		    "(%s); give the token with --token, BALLAST_TOKEN or "
		    "--token-file", CTL_TOKEN_FILE, strerror(tok->deferr));
	else
		snprintf(buf, len, "no token was sent; give the token with "
		    "--token, BALLAST_TOKEN or --token-file, or install it "
		    "as %s", CTL_TOKEN_FILE);
}

/*
 * GETs the API path `path` ("/api/v1/...") or, if `post` is not NULL,
 * POSTs it there with the token `tok`, and parses the answer.  Returns
 * the JSON (the caller json_decref()s it), or NULL after printing what
 * went wrong.
 */
static json_t *
ctl_request(const struct ctl *ctl, const char *path, const char *post,
    const struct token *tok)
{
	char		 url[CTL_URL_LEN], text[256], hint[512];
	struct body	 b = { NULL, 0, 0, 0 };
	json_error_t	 jerr;
	json_t		*j = NULL;
	long		 status;
	int		 n;

	n = snprintf(url, sizeof(url), "%s%s", ctl->api, path);
	if (n < 0 || (size_t)n >= sizeof(url)) {
		log_warnx("the URL %s%s is too long", ctl->api, path);
		return NULL;
	}
	status = ctl_fetch(ctl, url, post, tok != NULL ? tok->value : NULL,
	    &b);
	if (status == -1)
		goto done;
	if (status < 200 || status > 299) {
		if (tok != NULL && (status == 401 || status == 403)) {
			ctl_token_hint(tok, hint, sizeof(hint));
			ctl_http_error(url, status, &b, hint);
		} else
			ctl_http_error(url, status, &b, NULL);
		goto done;
	}
	if ((j = json_loadb(b.data != NULL ? b.data : "", b.len, 0,
	    &jerr)) == NULL) {
		fmt_sanitize(text, sizeof(text), jerr.text);
		log_warnx("the answer from %s is not JSON (%s, line %d): is "
		    "--api or BALLAST_API pointing at ballast-balancerd?",
		    url, text, jerr.line);
	}
done:
	free(b.data);
	return j;
}

/* GETs the API path `path`; see ctl_request. */
json_t *
ctl_get(const struct ctl *ctl, const char *path)
{
	return ctl_request(ctl, path, NULL, NULL);
}

/* Says that `path` answered JSON of the wrong shape; returns EXIT_API. */
int
ctl_unexpected(const struct ctl *ctl, const char *path, const char *expected)
{
	log_warnx("unexpected answer from %s%s: not %s; is --api or "
	    "BALLAST_API pointing at ballast-balancerd?", ctl->api, path,
	    expected);
	return EXIT_API;
}

/*
 * Prints `j` as JSON (--json) or through `view`.  Returns an exit
 * status; `view` failing means the API answered something unexpected.
 */
int
ctl_show(const struct ctl *ctl, json_t *j, int (*view)(FILE *, json_t *),
    const char *path, const char *expected)
{
	if (ctl->json) {
		json_dumpf(j, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		return 0;
	}
	if (view(stdout, j) == -1)
		return ctl_unexpected(ctl, path, expected);
	return 0;
}

/* GETs `path` and shows it with `view`; returns an exit status. */
int
ctl_simple(const struct ctl *ctl, const char *path,
    int (*view)(FILE *, json_t *), const char *expected)
{
	json_t	*j;
	int	 rc;

	if ((j = ctl_get(ctl, path)) == NULL)
		return EXIT_API;
	rc = ctl_show(ctl, j, view, path, expected);
	json_decref(j);
	return rc;
}

/*
 * Percent-encodes `src` for a URL path segment into dst.  Returns 0,
 * or -1 if it does not fit.
 */
int
ctl_escape(char *dst, size_t len, const char *src)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 o = 0;
	unsigned char		 c;

	for (; *src != '\0'; src++) {
		c = (unsigned char)*src;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c) != NULL) {
			if (o + 1 >= len)
				return -1;
			dst[o++] = (char)c;
			continue;
		}
		if (o + 3 >= len)
			return -1;
		dst[o++] = '%';
		dst[o++] = hex[c >> 4];
		dst[o++] = hex[c & 0x0f];
	}
	if (o >= len)
		return -1;
	dst[o] = '\0';
	return 0;
}

/*
 * Takes `raw` (trimmed of white space at both ends) as the token from
 * `source` into tok.  Returns 0, or -1 after saying why it is no token:
 * empty, too long, or with a byte that cannot go in an HTTP header.
 */
static int
ctl_token_set(struct token *tok, const char *raw, const char *source)
{
	const char	*end;
	size_t		 i, n;

	while (*raw == ' ' || *raw == '\t' || *raw == '\r' || *raw == '\n')
		raw++;
	for (end = raw + strlen(raw); end > raw && (end[-1] == ' ' ||
	    end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'); end--)
		;
	n = (size_t)(end - raw);
	if (n == 0) {
		log_warnx("the API token from %s is empty", source);
		return -1;
	}
	if (n >= sizeof(tok->value)) {
		log_warnx("the API token from %s is over %zu bytes", source,
		    sizeof(tok->value) - 1);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((unsigned char)raw[i] <= 0x20 ||
		    (unsigned char)raw[i] >= 0x7f) {
			log_warnx("the API token from %s has a blank, control "
			    "or non-ASCII byte: is it the right token?",
			    source);
			return -1;
		}
	}
	memcpy(tok->value, raw, n);
	tok->value[n] = '\0';
	tok->source = source;
	return 0;
}

/*
 * Reads the token from the first line of the file `path` into tok.
 * Returns 0; 1 if `optional` and the file cannot be opened (its errno
 * in tok->deferr); or -1 after saying why there is no token in it.
 */
static int
ctl_token_file(struct token *tok, const char *path, int optional)
{
	char	 line[CTL_TOKEN_LEN + 2];
	FILE	*f;
	int	 rc, err;

	if ((f = fopen(path, "r")) == NULL) {
		if (optional) {
			tok->deferr = errno;
			return 1;
		}
		log_warn("cannot open the token file %s of --token-file",
		    path);
		return -1;
	}
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	err = ferror(f) ? errno : 0;
	fclose(f);
	if (err != 0) {
		log_warnx("cannot read the token file %s: %s", path,
		    strerror(err));
		rc = -1;
	} else if (strchr(line, '\n') == NULL &&
	    strlen(line) == sizeof(line) - 1) {
		log_warnx("the first line of the token file %s is over %d "
		    "bytes: is it the right file?", path, CTL_TOKEN_LEN - 1);
		rc = -1;
	} else
		rc = ctl_token_set(tok, line, path);
	explicit_bzero(line, sizeof(line));
	return rc;
}

/*
 * Finds the token of an action: --token, else $BALLAST_TOKEN, else the
 * first line of --token-file FILE, else that of CTL_TOKEN_FILE if it
 * can be read.  Returns 0 (tok->value is "" if there is none), or -1
 * after saying why a token that was given cannot be used.
 */
static int
ctl_token(const struct ctl *ctl, struct token *tok)
{
	const char	*env;

	memset(tok, 0, sizeof(*tok));
	if (ctl->token != NULL)
		return ctl_token_set(tok, ctl->token, "--token");
	env = getenv("BALLAST_TOKEN");
	if (env != NULL && *env != '\0')
		return ctl_token_set(tok, env, "BALLAST_TOKEN");
	if (ctl->token_file != NULL)
		return ctl_token_file(tok, ctl->token_file, 0);
	return ctl_token_file(tok, CTL_TOKEN_FILE, 1) == -1 ? -1 : 0;
}

/*
 * An operator action: POSTs `body` ("" for none) to the API path `path`
 * with the token.  Returns the answer, an object (the caller
 * json_decref()s it), or NULL after printing what went wrong, an
 * answer of {"ok": false, "error": ...} included.
 */
json_t *
ctl_action(const struct ctl *ctl, const char *path, const char *body)
{
	struct token	 tok;
	json_t		*j;
	const char	*msg;
	char		 text[512];

	if (ctl_token(ctl, &tok) == -1)
		return NULL;
	j = ctl_request(ctl, path, body, &tok);
	explicit_bzero(&tok, sizeof(tok));
	if (j == NULL)
		return NULL;
	if (!json_is_object(j)) {
		json_decref(j);
		ctl_unexpected(ctl, path, "an object");
		return NULL;
	}
	if (json_is_false(json_object_get(j, "ok"))) {
		msg = json_string_value(json_object_get(j, "error"));
		fmt_sanitize(text, sizeof(text), msg != NULL ? msg :
		    "refused, no reason given");
		log_warnx("%s (from %s%s)", text, ctl->api, path);
		json_decref(j);
		return NULL;
	}
	return j;
}

/* Prints an action's answer `j`: its JSON with --json, else `msg`. */
int
ctl_done(const struct ctl *ctl, json_t *j, const char *msg)
{
	if (ctl->json) {
		json_dumpf(j, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else
		printf("%s\n", msg);
	return 0;
}
