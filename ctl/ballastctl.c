/* SPDX-License-Identifier: ISC */
/*
 * ballastctl: the operator's command-line client of ballast-balancerd.
 *
 * It asks the balancer's JSON API over HTTP (libcurl), parses the
 * answer (jansson) and prints either aligned tables for people (fmt.c)
 * or, with --json, the API's JSON indented for scripts.  Operator
 * actions (approve, reject, migrate, cancel, maintenance enter|exit)
 * are POSTs that carry the API token in X-Ballast-Token; reads carry
 * no token.
 *
 * Exit status: 0 success, 1 API or network error, 2 usage error.
 * Every error is one line on stderr that says what failed, where, and
 * what to do about it.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "fmt.h"
#include "fmt_traffic.h"
#include "log.h"
#include "policy.h"
#include "report.h"
#include "util.h"
#include "zcurve.h"

#define CTL_VERSION		"0.1.0"
#define CTL_DEFAULT_API		"http://127.0.0.1:8470"
#define CTL_DEFAULT_TIMEOUT	10.0		/* seconds */
#define CTL_MAX_BODY		(64u << 20)	/* a larger answer is wrong */
#define CTL_URL_LEN		2048
#define CTL_NAME_LEN		256		/* a host name, escaped */
#define CTL_TOKEN_FILE		"/var/lib/ballast/api.token"
#define CTL_TOKEN_LEN		512		/* longer is no token of ours */
#define CTL_POLL_MS		1000		/* migrate --wait */
#define CTL_WAIT_MISSES		10	/* polls a migration may be unlisted */

#define EXIT_API		1
#define EXIT_INVALID		1	/* policy check: a bad file */
#define EXIT_FAILED		1	/* migrate --wait: not done */
#define EXIT_USAGE		2

#define CTL_SYNOPSIS \
	"usage: ballastctl [--api URL] [--json] [--timeout SECONDS] COMMAND\n"

static const char ctl_help[] =
	CTL_SYNOPSIS
	"       ballastctl [--token TOKEN | --token-file FILE] ACTION\n"
	"       ballastctl policy check FILE [-v]\n"
	"       ballastctl keygen NAME [--out DIR]\n"
	"       ballastctl -h | --help | --version\n"
	"\n"
	"Commands:\n"
	"  status              the balancer's version, uptime and report"
	" counters\n"
	"  hosts               every host: load, memory, VMs, staleness\n"
	"  vms [--host NAME]   every VM, or only those on host NAME\n"
	"  host NAME           one host in detail, with its VMs\n"
	"  vm UUID|NAME        one VM in detail, by UUID or by name\n"
	"  plan [--explain]    the balancer's recommended migrations;"
	" --explain\n"
	"                      adds why, its notes and the rejected"
	" candidates\n"
	"  migrations          the recent migrations, newest first\n"
	"  maintenance         the hosts in maintenance\n"
	"  traffic             the top talking VM pairs, each host's traffic to\n"
	"                      other hosts and the cluster's cross-host share\n"
	"  policy show         the policy in force and its last reload\n"
	"  policy check FILE   check a policy file (ballast.policy(5));"
	" needs no\n"
	"                      balancer\n"
	"  keygen NAME         write a CURVE key pair: NAME.key (secret,"
	" mode 0600)\n"
	"                      and NAME.pub, in --out DIR (default .);"
	" never\n"
	"                      overwrites; needs no balancer\n"
	"  report capacity     the capacity-planning report, from the"
	" history;\n"
	"                      its options: 'ballastctl report --help'\n"
	"\n"
	"Actions (they send the API token):\n"
	"  approve ID          approve recommendation ID of the plan\n"
	"  reject ID           reject recommendation ID of the plan\n"
	"  migrate VM HOST [--wait]\n"
	"                      migrate VM (a name or a UUID) to HOST;"
	" --wait\n"
	"                      follows it to its end\n"
	"  cancel ID           cancel migration ID\n"
	"  maintenance enter|exit HOST\n"
	"                      put HOST in maintenance, or take it out\n"
	"\n"
	"Options:\n"
	"  --api URL           the balancer's API (default: $BALLAST_API,"
	" else\n"
	"                      " CTL_DEFAULT_API ")\n"
	"  --json              print the API's JSON, indented, instead of"
	" tables\n"
	"  --timeout SECONDS   give up on the API after SECONDS"
	" (default 10)\n"
	"  --token TOKEN       the API token for actions\n"
	"  --token-file FILE   read the API token from the first line of"
	" FILE\n"
	"  --cacert FILE       trust the CA certificate(s) in FILE for an"
	" https\n"
	"                      --api (default: $BALLAST_CACERT, else the"
	" system's)\n"
	"  --explain           with plan: explain the recommendations\n"
	"  --out DIR           with keygen: where the key files go\n"
	"  --wait              with migrate: show its progress until it"
	" ends\n"
	"  -v, --verbose       with policy check: print the policy back,"
	" every\n"
	"                      setting explicit\n"
	"  -h, --help          print this help and exit\n"
	"  --version           print the version and exit\n"
	"\n"
	"An action's token is the first found of: --token, $BALLAST_TOKEN,"
	" the\n"
	"file of --token-file, " CTL_TOKEN_FILE " if readable.\n"
	"Options may come before or after the command.\n"
	"Exit status: 0 success, 1 API or network error (policy check: an"
	" invalid\n"
	"or unreadable file; migrate --wait: a failed or aborted migration,"
	" or an\n"
	"interrupt), 2 usage error.\n";

/* What the command line asked for. */
struct ctl {
	char		 api[CTL_URL_LEN];	/* base URL, no trailing '/' */
	double		 timeout;		/* seconds, > 0 */
	int		 json;			/* --json */
	int		 verbose;		/* -v, for policy check */
	int		 explain;		/* --explain, for plan */
	int		 wait;			/* --wait, for migrate */
	const char	*host;			/* vms --host NAME, or NULL */
	const char	*token;			/* --token TOKEN, or NULL */
	const char	*token_file;		/* --token-file FILE, or NULL */
	const char	*cacert;		/* --cacert FILE, or NULL */
	const char	*out;			/* keygen --out DIR, or NULL */
};

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

/* The options that belong to one command; see ctl_owned. */
#define CMD_HOST	0x01		/* vms --host NAME */
#define CMD_EXPLAIN	0x02		/* plan --explain */
#define CMD_WAIT	0x04		/* migrate --wait */
#define CMD_VERBOSE	0x08		/* policy check -v */
#define CMD_JSON	0x10		/* --json: every command that asks */
#define CMD_OUT		0x20		/* keygen --out DIR */

struct cmd {
	const char	*name;
	int		 minargs, maxargs;	/* after the name */
	unsigned	 opts;			/* CMD_* it takes */
	const char	*synopsis;
	/* args[0..nargs-1]: the arguments, none of them empty */
	int		(*run)(const struct ctl *, int nargs, char **args);
};

enum {
	OPT_API = 256,
	OPT_JSON,
	OPT_TIMEOUT,
	OPT_VERSION,
	OPT_HOST,
	OPT_EXPLAIN,
	OPT_WAIT,
	OPT_TOKEN,
	OPT_TOKEN_FILE,
	OPT_CACERT,
	OPT_OUT
};

static const struct option ctl_opts[] = {
	{ "api",	required_argument,	NULL,	OPT_API },
	{ "json",	no_argument,		NULL,	OPT_JSON },
	{ "timeout",	required_argument,	NULL,	OPT_TIMEOUT },
	{ "help",	no_argument,		NULL,	'h' },
	{ "version",	no_argument,		NULL,	OPT_VERSION },
	{ "host",	required_argument,	NULL,	OPT_HOST },
	{ "verbose",	no_argument,		NULL,	'v' },
	{ "explain",	no_argument,		NULL,	OPT_EXPLAIN },
	{ "wait",	no_argument,		NULL,	OPT_WAIT },
	{ "token",	required_argument,	NULL,	OPT_TOKEN },
	{ "token-file",	required_argument,	NULL,	OPT_TOKEN_FILE },
	{ "cacert",	required_argument,	NULL,	OPT_CACERT },
	{ "out",	required_argument,	NULL,	OPT_OUT },
	{ NULL,		0,			NULL,	0 }
};

/* Set by SIGINT or SIGTERM while migrate --wait follows a migration. */
static volatile sig_atomic_t	 ctl_interrupted;

/* Points at --help after a usage error; returns EXIT_USAGE. */
static int
ctl_usage(void)
{
	fputs(CTL_SYNOPSIS, stderr);
	fputs("Try 'ballastctl --help' for the commands and options.\n",
	    stderr);
	return EXIT_USAGE;
}

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

/*
 * Explains an HTTP error status, with the API's {"error": ...} text
 * and, if it is not NULL, the `hint` on what to do.
 */
static void
ctl_http_error(const char *url, long status, const struct body *b,
    const char *hint)
{
	json_error_t	 jerr;
	json_t		*j = NULL;
	const char	*msg = NULL;
	char		 text[512];

	if (b->data != NULL)
		j = json_loadb(b->data, b->len, 0, &jerr);
	if (json_is_object(j))
		msg = json_string_value(json_object_get(j, "error"));
	if (msg != NULL && hint != NULL) {
		fmt_sanitize(text, sizeof(text), msg);
		log_warnx("%s (HTTP %ld from %s): %s", text, status, url, hint);
	} else if (msg != NULL) {
		fmt_sanitize(text, sizeof(text), msg);
		log_warnx("%s (HTTP %ld from %s)", text, status, url);
	} else if (hint != NULL)
		log_warnx("HTTP %ld from %s: %s", status, url, hint);
	else if (status == 404)
		log_warnx("HTTP 404 from %s: is --api or BALLAST_API pointing "
		    "at ballast-balancerd?", url);
	else
		log_warnx("HTTP %ld from %s: see ballast-balancerd's log",
		    status, url);
	json_decref(j);
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
static json_t *
ctl_get(const struct ctl *ctl, const char *path)
{
	return ctl_request(ctl, path, NULL, NULL);
}

/* Says that `path` answered JSON of the wrong shape; returns EXIT_API. */
static int
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
static int
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
static int
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

static int
cmd_status(const struct ctl *ctl, int nargs, char **args)
{
	(void)nargs;
	(void)args;
	return ctl_simple(ctl, "/api/v1/status", fmt_status, "an object");
}

static int
cmd_hosts(const struct ctl *ctl, int nargs, char **args)
{
	(void)nargs;
	(void)args;
	return ctl_simple(ctl, "/api/v1/hosts", fmt_hosts, "an array");
}

static int
cmd_vms(const struct ctl *ctl, int nargs, char **args)
{
	json_t	*all, *sel;
	int	 rc;

	(void)nargs;
	(void)args;
	if (ctl->host == NULL)
		return ctl_simple(ctl, "/api/v1/vms", fmt_vms, "an array");
	if ((all = ctl_get(ctl, "/api/v1/vms")) == NULL)
		return EXIT_API;
	if ((sel = fmt_vms_on_host(all, ctl->host)) == NULL) {
		json_decref(all);
		return ctl_unexpected(ctl, "/api/v1/vms", "an array");
	}
	rc = ctl_show(ctl, sel, fmt_vms, "/api/v1/vms", "an array");
	json_decref(sel);
	json_decref(all);
	return rc;
}

/*
 * Percent-encodes `src` for a URL path segment into dst.  Returns 0,
 * or -1 if it does not fit.
 */
static int
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

static int
cmd_host(const struct ctl *ctl, int nargs, char **args)
{
	char		 esc[CTL_NAME_LEN * 3], path[CTL_NAME_LEN * 3 + 32];
	const char	*name = args[0];

	(void)nargs;
	if (ctl_escape(esc, sizeof(esc), name) == -1) {
		log_warnx("the host name \"%.40s...\" is too long", name);
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "/api/v1/hosts/%s", esc);
	return ctl_simple(ctl, path, fmt_host, "an object");
}

/* Whether `vm` is an object whose "name" is `name`. */
static int
ctl_vm_named(const json_t *vm, const char *name)
{
	const json_t	*v;

	v = json_is_object(vm) ? json_object_get(vm, "name") : NULL;
	return json_is_string(v) && strcmp(json_string_value(v), name) == 0;
}

/*
 * The one VM named `name` in the array `vms`, or NULL after printing
 * that there is none or, with their UUIDs, that several share it.
 */
static json_t *
ctl_pick_vm(const struct ctl *ctl, json_t *vms, const char *name)
{
	static const struct fmt_field uuid = { "uuid", "uuid", FMT_STR };
	static const struct fmt_field host = { "host", "host", FMT_STR };
	char		 b1[FMT_CELL_LEN], b2[FMT_CELL_LEN];
	char		 s1[FMT_CELL_LEN], s2[FMT_CELL_LEN];
	json_t		*vm, *found = NULL;
	size_t		 i, n = 0;

	json_array_foreach(vms, i, vm) {
		if (ctl_vm_named(vm, name)) {
			found = vm;
			n++;
		}
	}
	if (n == 1)
		return found;
	if (n == 0) {
		log_warnx("no VM is named \"%s\" at %s: see 'ballastctl vms'",
		    name, ctl->api);
		return NULL;
	}
	log_warnx("%zu VMs are named \"%s\": give one of these UUIDs", n,
	    name);
	json_array_foreach(vms, i, vm) {
		if (!ctl_vm_named(vm, name))
			continue;
		fmt_sanitize(s1, sizeof(s1), fmt_value(vm, &uuid, b1));
		fmt_sanitize(s2, sizeof(s2), fmt_value(vm, &host, b2));
		fprintf(stderr, "  %s on %s\n", s1, s2);
	}
	return NULL;
}

static int
cmd_vm(const struct ctl *ctl, int nargs, char **args)
{
	uint8_t		 uuid[UTIL_UUID_LEN];
	char		 canon[UTIL_UUID_STRLEN], path[64];
	const char	*arg = args[0];
	json_t		*vms, *vm;
	int		 rc;

	(void)nargs;
	if (util_uuid_parse(arg, uuid) == 0) {
		util_uuid_fmt(uuid, canon);
		snprintf(path, sizeof(path), "/api/v1/vms/%s", canon);
		return ctl_simple(ctl, path, fmt_vm, "an object");
	}
	if ((vms = ctl_get(ctl, "/api/v1/vms")) == NULL)
		return EXIT_API;
	if (!json_is_array(vms)) {
		json_decref(vms);
		return ctl_unexpected(ctl, "/api/v1/vms", "an array");
	}
	if ((vm = ctl_pick_vm(ctl, vms, arg)) == NULL)
		rc = EXIT_API;
	else
		rc = ctl_show(ctl, vm, fmt_vm, "/api/v1/vms", "an object");
	json_decref(vms);
	return rc;
}

static int
cmd_plan(const struct ctl *ctl, int nargs, char **args)
{
	(void)nargs;
	(void)args;
	if (ctl->explain)
		return ctl_simple(ctl, "/api/v1/plan/explain",
		    fmt_plan_explain, "an object");
	return ctl_simple(ctl, "/api/v1/plan", fmt_plan, "an object");
}

static int
cmd_migrations(const struct ctl *ctl, int nargs, char **args)
{
	(void)nargs;
	(void)args;
	return ctl_simple(ctl, "/api/v1/migrations", fmt_migrations,
	    "an array");
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
static json_t *
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
static int
ctl_done(const struct ctl *ctl, json_t *j, const char *msg)
{
	if (ctl->json) {
		json_dumpf(j, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else
		printf("%s\n", msg);
	return 0;
}

/*
 * Parses the ID argument of `cmd`; `list` is the command that shows
 * the IDs.  0, or -1 after saying what is wrong.
 */
static int
ctl_parse_id(const char *cmd, const char *list, const char *s,
    long long *id)
{
	int64_t	 v;

	if (util_parse_i64(s, 0, INT64_MAX, &v) != 0) {
		log_warnx("%s: ID is a whole number as 'ballastctl %s' shows, "
		    "not \"%s\"", cmd, list, s);
		return -1;
	}
	*id = (long long)v;
	return 0;
}

/* approve ID, reject ID: `verb` is "approve" or "reject". */
static int
ctl_verdict(const struct ctl *ctl, const char *verb, const char *done,
    const char *arg)
{
	char		 path[64], msg[96];
	json_t		*j;
	long long	 id;

	if (ctl_parse_id(verb, "plan", arg, &id) == -1)
		return ctl_usage();
	snprintf(path, sizeof(path), "/api/v1/plan/%lld/%s", id, verb);
	if ((j = ctl_action(ctl, path, "")) == NULL)
		return EXIT_API;
	snprintf(msg, sizeof(msg), "recommendation %lld %s", id, done);
	ctl_done(ctl, j, msg);
	json_decref(j);
	return 0;
}

static int
cmd_approve(const struct ctl *ctl, int nargs, char **args)
{
	(void)nargs;
	return ctl_verdict(ctl, "approve", "approved", args[0]);
}

static int
cmd_reject(const struct ctl *ctl, int nargs, char **args)
{
	(void)nargs;
	return ctl_verdict(ctl, "reject", "rejected", args[0]);
}

static int
cmd_cancel(const struct ctl *ctl, int nargs, char **args)
{
	char		 path[64], msg[96];
	json_t		*j;
	long long	 id;

	(void)nargs;
	if (ctl_parse_id("cancel", "migrations", args[0], &id) == -1)
		return ctl_usage();
	snprintf(path, sizeof(path), "/api/v1/migrations/%lld/cancel", id);
	if ((j = ctl_action(ctl, path, "")) == NULL)
		return EXIT_API;
	snprintf(msg, sizeof(msg), "migration %lld: cancel requested", id);
	ctl_done(ctl, j, msg);
	json_decref(j);
	return 0;
}

/*
 * maintenance: the hosts in maintenance; maintenance enter|exit HOST:
 * puts HOST in maintenance or takes it out, and says which it is now.
 */
static int
cmd_maintenance(const struct ctl *ctl, int nargs, char **args)
{
	static const struct fmt_field host = { "host", "host", FMT_STR };
	char		 esc[CTL_NAME_LEN * 3], path[CTL_NAME_LEN * 3 + 32];
	char		 buf[FMT_CELL_LEN], name[CTL_NAME_LEN];
	char		 msg[CTL_NAME_LEN + 32];
	const char	*s;
	json_t		*j, *in;
	int		 enter;

	if (nargs == 0)
		return ctl_simple(ctl, "/api/v1/maintenance", fmt_maintenance,
		    "an array");
	if (nargs != 2 || (strcmp(args[0], "enter") != 0 &&
	    strcmp(args[0], "exit") != 0)) {
		log_warnx("maintenance: expected 'ballastctl maintenance' or "
		    "'ballastctl maintenance enter|exit HOST'");
		return ctl_usage();
	}
	if (ctl_escape(esc, sizeof(esc), args[1]) == -1) {
		log_warnx("the host name \"%.40s...\" is too long", args[1]);
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "/api/v1/maintenance/%s/%s", esc,
	    args[0]);
	if ((j = ctl_action(ctl, path, "")) == NULL)
		return EXIT_API;
	/* The balancer's word on the host, else what was asked. */
	in = json_object_get(j, "maintenance");
	enter = json_is_boolean(in) ? json_is_true(in) :
	    strcmp(args[0], "enter") == 0;
	s = fmt_value(j, &host, buf);
	fmt_sanitize(name, sizeof(name), strcmp(s, "-") != 0 ? s : args[1]);
	snprintf(msg, sizeof(msg), "%s: %s maintenance", name,
	    enter ? "in" : "not in");
	ctl_done(ctl, j, msg);
	json_decref(j);
	return 0;
}

static void
ctl_on_interrupt(int sig)
{
	(void)sig;
	ctl_interrupted = 1;
}

/* SIGINT and SIGTERM set ctl_interrupted once; a second one kills. */
static void
ctl_catch_interrupt(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = ctl_on_interrupt;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Sleeps `ms` milliseconds, or less if interrupted. */
static void
ctl_nap(long ms)
{
	struct timespec	 ts, rem;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &rem) == -1 && errno == EINTR &&
	    !ctl_interrupted)
		ts = rem;
}

/* The progress display of migrate --wait. */
struct progress {
	int	 tty;		/* one updating line, else a line per change */
	size_t	 shown;		/* length of the updating line on screen */
	char	 last[160];	/* the line shown last */
};

/* Shows `line` unless it is the one shown last. */
static void
ctl_progress(struct progress *p, const char *line)
{
	size_t	 n = strlen(line);

	if (strcmp(line, p->last) == 0)
		return;
	util_strlcpy(p->last, line, sizeof(p->last));
	if (!p->tty) {
		printf("%s\n", line);
		fflush(stdout);
		return;
	}
	printf("\r%s", line);
	for (; p->shown > n; p->shown--)	/* blank a longer old line */
		putchar(' ');
	p->shown = n;
	fflush(stdout);
}

/* Ends the updating line, if one is shown, so that others can follow. */
static void
ctl_progress_end(struct progress *p)
{
	if (p->tty && p->shown > 0)
		putchar('\n');
	p->shown = 0;
	fflush(stdout);
}

/* The object of `migrations` whose "id" is `id`, or NULL. */
static json_t *
ctl_find_migration(json_t *migrations, long long id)
{
	json_t	*m, *v;
	size_t	 i;

	json_array_foreach(migrations, i, m) {
		v = json_is_object(m) ? json_object_get(m, "id") : NULL;
		if (json_is_integer(v) && json_integer_value(v) == id)
			return m;
	}
	return NULL;
}

/*
 * Reports migration `m` (number `id`) that ended in `state`: done is a
 * line on stdout (with --json the migration's JSON instead) and 0,
 * failed or aborted a line on stderr with its error and EXIT_FAILED.
 */
static int
ctl_ended(const struct ctl *ctl, struct progress *p, json_t *m,
    long long id, const char *state)
{
	static const struct fmt_field outcome = { "o", "outcome", FMT_STR };
	static const struct fmt_field error = { "e", "error", FMT_STR };
	char		 buf[FMT_CELL_LEN], text[512], line[640];
	const char	*s;
	int		 done = strcmp(state, "done") == 0;

	s = fmt_value(m, done ? &outcome : &error, buf);
	fmt_sanitize(text, sizeof(text), s);
	if (done && !ctl->json) {
		if (strcmp(s, "-") == 0)
			snprintf(line, sizeof(line), "migration %lld done", id);
		else
			snprintf(line, sizeof(line), "migration %lld done: %s",
			    id, text);
		p->last[0] = '\0';
		ctl_progress(p, line);
	}
	ctl_progress_end(p);
	if (ctl->json) {
		json_dumpf(m, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	}
	if (done)
		return 0;
	if (strcmp(s, "-") == 0)
		log_warnx("migration %lld %s", id, state);
	else
		log_warnx("migration %lld %s: %s", id, state, text);
	return EXIT_FAILED;
}

/*
 * After an API error while following migration `id`, whose message has
 * overwritten the updating line (see ctl_poll); returns EXIT_API.
 */
static int
ctl_lost(struct progress *p, long long id)
{
	p->shown = 0;
	log_warnx("stopped waiting; migration %lld may still run: see "
	    "'ballastctl migrations'", id);
	return EXIT_API;
}

/*
 * One poll of migrate --wait: shows migration `id`'s progress.  Returns
 * -1 to poll again, or an exit status: it ended, cannot be followed, or
 * has been unlisted too often (*misses counts that).
 */
static int
ctl_poll(const struct ctl *ctl, struct progress *p, long long id,
    int *misses)
{
	static const struct fmt_field state = { "s", "state", FMT_STR };
	char		 buf[FMT_CELL_LEN], line[160];
	const char	*st;
	json_t		*all, *m;
	int		 rc = -1;

	/*
	 * An error message of the request then overwrites the updating
	 * line, which is shorter, instead of running on from its end.
	 */
	if (p->tty && p->shown > 0) {
		putchar('\r');
		fflush(stdout);
	}
	if ((all = ctl_get(ctl, "/api/v1/migrations")) == NULL)
		return ctl_lost(p, id);
	if (!json_is_array(all)) {
		json_decref(all);
		ctl_unexpected(ctl, "/api/v1/migrations", "an array");
		return ctl_lost(p, id);
	}
	if ((m = ctl_find_migration(all, id)) == NULL) {
		if (++*misses >= CTL_WAIT_MISSES) {
			ctl_progress_end(p);
			log_warnx("migration %lld is not listed at "
			    "%s/api/v1/migrations: see 'ballastctl migrations'",
			    id, ctl->api);
			rc = EXIT_API;
		}
		json_decref(all);
		return rc;
	}
	*misses = 0;
	st = fmt_value(m, &state, buf);
	if (strcmp(st, "done") == 0 || strcmp(st, "failed") == 0 ||
	    strcmp(st, "aborted") == 0)
		rc = ctl_ended(ctl, p, m, id, st);
	else if (!ctl->json) {
		fmt_progress(line, sizeof(line), m);
		ctl_progress(p, line);
	}
	json_decref(all);
	return rc;
}

/*
 * migrate --wait: polls GET /api/v1/migrations every CTL_POLL_MS until
 * migration `id` ends or SIGINT/SIGTERM.  Returns 0 if it is done, else
 * EXIT_FAILED or EXIT_API after saying why.
 */
static int
ctl_wait(const struct ctl *ctl, long long id)
{
	struct progress	 p;
	int		 rc, misses = 0;

	memset(&p, 0, sizeof(p));
	p.tty = !ctl->json && isatty(STDOUT_FILENO);
	ctl_catch_interrupt();
	for (;;) {
		if ((rc = ctl_poll(ctl, &p, id, &misses)) != -1)
			break;
		ctl_nap(CTL_POLL_MS);
		if (ctl_interrupted) {
			ctl_progress_end(&p);
			log_warnx("stopped waiting; migration %lld goes on: "
			    "see 'ballastctl migrations', or stop it with "
			    "'ballastctl cancel %lld'", id, id);
			return EXIT_FAILED;
		}
	}
	return rc;
}

/*
 * migrate VM HOST [--wait]: POSTs {"vm": VM, "host": HOST} and says
 * which migration started; with --wait follows it to its end.
 */
static int
cmd_migrate(const struct ctl *ctl, int nargs, char **args)
{
	json_t		*req, *j, *id;
	char		*body;
	long long	 n;

	(void)nargs;
	if ((req = json_pack("{s:s, s:s}", "vm", args[0], "host",
	    args[1])) == NULL) {
		log_warnx("migrate: VM and HOST must be UTF-8 text");
		return ctl_usage();
	}
	body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (body == NULL) {
		log_warnx("out of memory");
		return EXIT_API;
	}
	j = ctl_action(ctl, "/api/v1/migrate", body);
	free(body);
	if (j == NULL)
		return EXIT_API;
	if (!json_is_integer(id = json_object_get(j, "id"))) {
		json_decref(j);
		return ctl_unexpected(ctl, "/api/v1/migrate",
		    "an object with an integer \"id\"");
	}
	n = (long long)json_integer_value(id);
	if (ctl->json && !ctl->wait) {
		json_dumpf(j, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else if (!ctl->json)
		printf("migration %lld started: %s to %s\n", n, args[0],
		    args[1]);
	json_decref(j);
	fflush(stdout);
	return ctl->wait ? ctl_wait(ctl, n) : 0;
}

static int
cmd_traffic(const struct ctl *ctl, int nargs, char **args)
{
	(void)nargs;
	(void)args;
	return ctl_simple(ctl, "/api/v1/traffic", fmt_traffic, "an object");
}

static const struct cmd ctl_cmds[] = {
	{ "status",	0, 0, CMD_JSON,		"status",	cmd_status },
	{ "hosts",	0, 0, CMD_JSON,		"hosts",	cmd_hosts },
	{ "vms",	0, 0, CMD_JSON | CMD_HOST, "vms [--host NAME]",
	    cmd_vms },
	{ "host",	1, 1, CMD_JSON,		"host NAME",	cmd_host },
	{ "vm",		1, 1, CMD_JSON,		"vm UUID|NAME",	cmd_vm },
	{ "plan",	0, 0, CMD_JSON | CMD_EXPLAIN, "plan [--explain]",
	    cmd_plan },
	{ "migrations",	0, 0, CMD_JSON,		"migrations",
	    cmd_migrations },
	{ "approve",	1, 1, CMD_JSON,		"approve ID",	cmd_approve },
	{ "reject",	1, 1, CMD_JSON,		"reject ID",	cmd_reject },
	{ "migrate",	2, 2, CMD_JSON | CMD_WAIT, "migrate VM HOST [--wait]",
	    cmd_migrate },
	{ "cancel",	1, 1, CMD_JSON,		"cancel ID",	cmd_cancel },
	{ "maintenance", 0, 2, CMD_JSON,
	    "maintenance [enter|exit HOST]", cmd_maintenance },
	{ "traffic",	0, 0, CMD_JSON,		"traffic",	cmd_traffic },
};

/*
 * Checks a base URL and copies it to ctl->api without trailing '/'.
 * `what` names its source for the message.  0, or -1 if it is bad.
 */
static int
ctl_set_api(struct ctl *ctl, const char *url, const char *what)
{
	size_t	 n;

	if ((strncasecmp(url, "http://", 7) != 0 || url[7] == '\0') &&
	    (strncasecmp(url, "https://", 8) != 0 || url[8] == '\0')) {
		log_warnx("%s wants an http:// or https:// URL, not \"%s\"",
		    what, url);
		return -1;
	}
	if (util_strlcpy(ctl->api, url, sizeof(ctl->api)) >=
	    sizeof(ctl->api) - CTL_NAME_LEN * 3 - 32) {
		log_warnx("%s is too long", what);
		return -1;
	}
	for (n = strlen(ctl->api); n > 0 && ctl->api[n - 1] == '/'; n--)
		ctl->api[n - 1] = '\0';
	return 0;
}

/* Reports getopt's ':' (no argument) or '?' (unknown option). */
static int
ctl_bad_option(int ch, const char *arg)
{
	if (ch == ':')
		log_warnx("option %s wants an argument", arg);
	else if (optopt != 0)
		log_warnx("unknown option -%c", optopt);
	else
		log_warnx("unknown or ambiguous option %s", arg);
	return ctl_usage();
}

/*
 * Parses the options, wherever they stand.  Returns -1 to go on with
 * the command at argv[optind], or the exit status (help, version and
 * usage errors).
 */
static int
ctl_options(int argc, char **argv, struct ctl *ctl)
{
	const char	*api = NULL, *env;
	int		 ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":hv", ctl_opts, NULL)) != -1) {
		switch (ch) {
		case OPT_API:
			api = optarg;
			break;
		case OPT_JSON:
			ctl->json = 1;
			break;
		case OPT_TIMEOUT:
			if (util_parse_double(optarg, 0.001, 86400.0,
			    &ctl->timeout) != 0) {
				log_warnx("--timeout wants seconds from 0.001 "
				    "to 86400, not \"%s\"", optarg);
				return ctl_usage();
			}
			break;
		case OPT_HOST:
			ctl->host = optarg;
			break;
		case OPT_EXPLAIN:
			ctl->explain = 1;
			break;
		case OPT_WAIT:
			ctl->wait = 1;
			break;
		case OPT_TOKEN:
		case OPT_TOKEN_FILE:
			if (*optarg == '\0') {
				log_warnx("%s wants a non-empty argument",
				    ch == OPT_TOKEN ? "--token" :
				    "--token-file");
				return ctl_usage();
			}
			if (ch == OPT_TOKEN)
				ctl->token = optarg;
			else
				ctl->token_file = optarg;
			break;
		case OPT_CACERT:
			ctl->cacert = optarg;
			break;
		case OPT_OUT:
			ctl->out = optarg;
			break;
		case 'v':
			ctl->verbose = 1;
			break;
		case 'h':
			fputs(ctl_help, stdout);
			return 0;
		case OPT_VERSION:
			puts("ballastctl " CTL_VERSION);
			return 0;
		default:
			return ctl_bad_option(ch, argv[optind - 1]);
		}
	}
	env = getenv("BALLAST_CACERT");
	if (ctl->cacert == NULL && env != NULL && *env != '\0')
		ctl->cacert = env;
	if (api != NULL)
		return ctl_set_api(ctl, api, "--api") == 0 ? -1 : ctl_usage();
	env = getenv("BALLAST_API");
	if (env != NULL && *env != '\0')
		return ctl_set_api(ctl, env, "BALLAST_API") == 0 ? -1 :
		    ctl_usage();
	return ctl_set_api(ctl, CTL_DEFAULT_API, "the default") == 0 ? -1 :
	    ctl_usage();
}

/*
 * Says which option given on the command line `name` does not take,
 * if any: the options of `opts` (CMD_*) are allowed.  Returns 0, or -1
 * after saying which option belongs elsewhere.
 */
static int
ctl_owned(const struct ctl *ctl, unsigned opts, const char *name)
{
	static const struct {
		unsigned	 flag;
		const char	*option, *owner;
	} owned[] = {
		{ CMD_HOST,	"--host NAME",	"the vms command" },
		{ CMD_EXPLAIN,	"--explain",	"the plan command" },
		{ CMD_WAIT,	"--wait",	"the migrate command" },
		{ CMD_VERBOSE,	"-v",		"the policy check command" },
		{ CMD_OUT,	"--out DIR",	"the keygen command" },
		{ CMD_JSON,	"--json",
		    "the commands that ask the API" },
	};
	unsigned	 given = 0;
	size_t		 i;

	given |= ctl->host != NULL ? CMD_HOST : 0;
	given |= ctl->explain ? CMD_EXPLAIN : 0;
	given |= ctl->wait ? CMD_WAIT : 0;
	given |= ctl->verbose ? CMD_VERBOSE : 0;
	given |= ctl->json ? CMD_JSON : 0;
	given |= ctl->out != NULL ? CMD_OUT : 0;
	for (i = 0; i < sizeof(owned) / sizeof(owned[0]); i++) {
		if ((given & owned[i].flag) && !(opts & owned[i].flag)) {
			log_warnx("%s: %s belongs to %s", name,
			    owned[i].option, owned[i].owner);
			return -1;
		}
	}
	return 0;
}

/*
 * policy show: the policy in force, from the API.  policy check FILE
 * [-v]: parses a policy file, no balancer needed.  Prints it back with
 * -v, then "FILE: policy OK"; or the parser's "file:line:col: what is
 * wrong" line and returns EXIT_INVALID.
 */
static int
ctl_policy(const struct ctl *ctl, int argc, char **argv)
{
	struct policy	*p;
	char		 err[1024], text[1024];

	if (argc == 2 && strcmp(argv[1], "show") == 0) {
		if (ctl_owned(ctl, CMD_JSON, "policy show") == -1)
			return ctl_usage();
		return ctl_simple(ctl, "/api/v1/policy", fmt_policy,
		    "an object");
	}
	if (argc != 3 || strcmp(argv[1], "check") != 0 || *argv[2] == '\0') {
		log_warnx("policy: expected 'ballastctl policy show' or "
		    "'ballastctl policy check FILE [-v]'");
		return ctl_usage();
	}
	if (ctl_owned(ctl, CMD_VERBOSE, "policy check") == -1)
		return ctl_usage();
	if ((p = malloc(sizeof(*p))) == NULL) {
		log_warnx("out of memory");
		return EXIT_INVALID;
	}
	if (policy_load(argv[2], p, err, sizeof(err)) < 0) {
		fmt_sanitize(text, sizeof(text), err);
		fprintf(stderr, "%s\n", text);
		free(p);
		return EXIT_INVALID;
	}
	if (ctl->verbose)
		policy_print(p, stdout);
	printf("%s: policy OK\n", argv[2]);
	free(p);
	return 0;
}

/*
 * keygen NAME [--out DIR]: a CURVE key pair, DIR/NAME.key (0600) and
 * DIR/NAME.pub; prints the public key.  Never overwrites a file.
 */
static int
ctl_keygen(const struct ctl *ctl, int argc, char **argv)
{
	char	 err[9000], pub[ZCURVE_Z85_LEN + 1];
	size_t	 n;

	if (argc != 2 || (n = strlen(argv[1])) == 0 || n > 64 ||
	    strspn(argv[1], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") != n || argv[1][0] == '.') {
		log_warnx("keygen: expected 'ballastctl keygen NAME [--out DIR]' "
		    "(NAME: letters, digits, '.', '_', '-')");
		return ctl_usage();
	}
	if (ctl_owned(ctl, CMD_OUT, "keygen") == -1)
		return ctl_usage();
	if (zcurve_keygen(ctl->out ? ctl->out : ".", argv[1], pub, err,
	    sizeof(err)) < 0) {
		log_warnx("keygen: %s", err);
		return EXIT_INVALID;
	}
	printf("%s/%s.key: secret key (keep it on this machine, mode 0600)\n"
	    "%s/%s.pub: public key %s\n", ctl->out ? ctl->out : ".", argv[1],
	    ctl->out ? ctl->out : ".", argv[1], pub);
	return 0;
}

/* Runs the command argv[0] with its arguments; returns an exit status. */
static int
ctl_run(const struct ctl *ctl, int argc, char **argv)
{
	const struct cmd	*cmd = NULL;
	size_t			 i;

	if (argc < 1) {
		log_warnx("no command given");
		return ctl_usage();
	}
	if (strcmp(argv[0], "policy") == 0)
		return ctl_policy(ctl, argc, argv);
	if (strcmp(argv[0], "keygen") == 0)
		return ctl_keygen(ctl, argc, argv);
	for (i = 0; i < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); i++)
		if (strcmp(argv[0], ctl_cmds[i].name) == 0)
			cmd = &ctl_cmds[i];
	if (cmd == NULL) {
		log_warnx("unknown command \"%s\"", argv[0]);
		return ctl_usage();
	}
	for (i = 1; i < (size_t)argc && *argv[i] != '\0'; i++)
		;
	if (argc - 1 < cmd->minargs || argc - 1 > cmd->maxargs ||
	    i < (size_t)argc) {
		log_warnx("%s: expected 'ballastctl %s'", argv[0],
		    cmd->synopsis);
		return ctl_usage();
	}
	if (ctl_owned(ctl, cmd->opts, argv[0]) == -1)
		return ctl_usage();
	if (ctl->host != NULL && *ctl->host == '\0') {
		log_warnx("--host wants a host name");
		return ctl_usage();
	}
	return cmd->run(ctl, argc - 1, argv + 1);
}

/* Is the command "report"?  It has options of its own (report.h). */
static int
ctl_is_report(int argc, char **argv)
{
	const char	*args[sizeof(ctl_opts) / sizeof(ctl_opts[0])];
	size_t		 i, n = 0;

	for (i = 0; ctl_opts[i].name != NULL; i++)
		if (ctl_opts[i].has_arg == required_argument)
			args[n++] = ctl_opts[i].name;
	args[n] = NULL;
	return report_is_command(argc, argv, args);
}

int
main(int argc, char **argv)
{
	struct ctl	 ctl;
	int		 rc;

	log_init("ballastctl", LOG_LVL_WARN);
	if (ctl_is_report(argc, argv))
		return report_main(argc, argv);
	memset(&ctl, 0, sizeof(ctl));
	ctl.timeout = CTL_DEFAULT_TIMEOUT;
	if ((rc = ctl_options(argc, argv, &ctl)) != -1)
		return rc;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_warnx("cannot initialise libcurl");
		return EXIT_API;
	}
	rc = ctl_run(&ctl, argc - optind, argv + optind);
	curl_global_cleanup();
	if (fflush(stdout) == EOF || ferror(stdout)) {
		log_warn("cannot write to standard output");
		rc = EXIT_API;
	}
	return rc;
}
