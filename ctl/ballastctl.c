/* SPDX-License-Identifier: ISC */
/*
 * ballastctl: the operator's command-line client of ballast-balancerd.
 *
 * It asks the balancer's JSON API over HTTP (libcurl), parses the
 * answer (jansson) and prints either aligned tables for people (fmt.c)
 * or, with --json, the API's JSON indented for scripts.
 *
 * Exit status: 0 success, 1 API or network error, 2 usage error.
 * Every error is one line on stderr that says what failed, where, and
 * what to do about it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <jansson.h>

#include "fmt.h"
#include "log.h"
#include "policy.h"
#include "util.h"

#define CTL_VERSION		"0.1.0"
#define CTL_DEFAULT_API		"http://127.0.0.1:8470"
#define CTL_DEFAULT_TIMEOUT	10.0		/* seconds */
#define CTL_MAX_BODY		(64u << 20)	/* a larger answer is wrong */
#define CTL_URL_LEN		2048
#define CTL_NAME_LEN		256		/* a host name, escaped */

#define EXIT_API		1
#define EXIT_INVALID		1	/* policy check: a bad file */
#define EXIT_USAGE		2

#define CTL_SYNOPSIS \
	"usage: ballastctl [--api URL] [--json] [--timeout SECONDS] COMMAND\n"

static const char ctl_help[] =
	CTL_SYNOPSIS
	"       ballastctl policy check FILE [-v]\n"
	"       ballastctl -h | --help | --version\n"
	"\n"
	"Commands:\n"
	"  status              the balancer's version, uptime and report"
	" counters\n"
	"  hosts               every host: load, memory, VMs, staleness\n"
	"  vms [--host NAME]   every VM, or only those on host NAME\n"
	"  host NAME           one host in detail, with its VMs\n"
	"  vm UUID|NAME        one VM in detail, by UUID or by name\n"
	"  policy check FILE   check a policy file (ballast.policy(5));"
	" needs no\n"
	"                      balancer\n"
	"\n"
	"Options:\n"
	"  --api URL           the balancer's API (default: $BALLAST_API,"
	" else\n"
	"                      " CTL_DEFAULT_API ")\n"
	"  --json              print the API's JSON, indented, instead of"
	" tables\n"
	"  --timeout SECONDS   give up on the API after SECONDS"
	" (default 10)\n"
	"  -v, --verbose       with policy check: print the policy back,"
	" every\n"
	"                      setting explicit\n"
	"  -h, --help          print this help and exit\n"
	"  --version           print the version and exit\n"
	"\n"
	"Options may come before or after the command.\n"
	"Exit status: 0 success, 1 API or network error (policy check: an"
	" invalid\n"
	"or unreadable file), 2 usage error.\n";

/* What the command line asked for. */
struct ctl {
	char		 api[CTL_URL_LEN];	/* base URL, no trailing '/' */
	double		 timeout;		/* seconds, > 0 */
	int		 json;			/* --json */
	int		 verbose;		/* -v, for policy check */
	const char	*host;			/* vms --host NAME, or NULL */
};

/* An HTTP answer's body, NUL-terminated, at most CTL_MAX_BODY bytes. */
struct body {
	char		*data;
	size_t		 len;
	size_t		 cap;
	int		 toolarge;
};

struct cmd {
	const char	*name;
	int		 nargs;			/* 0 or 1 */
	const char	*synopsis;
	int		(*run)(const struct ctl *, const char *);
};

enum {
	OPT_API = 256,
	OPT_JSON,
	OPT_TIMEOUT,
	OPT_VERSION,
	OPT_HOST
};

static const struct option ctl_opts[] = {
	{ "api",	required_argument,	NULL,	OPT_API },
	{ "json",	no_argument,		NULL,	OPT_JSON },
	{ "timeout",	required_argument,	NULL,	OPT_TIMEOUT },
	{ "help",	no_argument,		NULL,	'h' },
	{ "version",	no_argument,		NULL,	OPT_VERSION },
	{ "host",	required_argument,	NULL,	OPT_HOST },
	{ "verbose",	no_argument,		NULL,	'v' },
	{ NULL,		0,			NULL,	0 }
};

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

/* Sets up one GET of `url` into `b`; curl's message goes to errbuf. */
static void
ctl_setup(CURL *c, const struct ctl *ctl, const char *url, struct body *b,
    char *errbuf, struct curl_slist *hdrs)
{
	long	 ms = (long)(ctl->timeout * 1000.0 + 0.5);

	if (ms < 1)
		ms = 1;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ballastctl/" CTL_VERSION);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
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
 * GETs `url` into `b`.  Returns the HTTP status, or -1 after printing
 * why the transfer failed.
 */
static long
ctl_fetch(const struct ctl *ctl, const char *url, struct body *b)
{
	char			 errbuf[CURL_ERROR_SIZE];
	struct curl_slist	*hdrs;
	CURL			*c;
	CURLcode		 rc;
	long			 status = -1, oserr = 0;

	if ((c = curl_easy_init()) == NULL) {
		log_warnx("cannot initialise libcurl");
		return -1;
	}
	errbuf[0] = '\0';
	hdrs = curl_slist_append(NULL, "Accept: application/json");
	ctl_setup(c, ctl, url, b, errbuf, hdrs);
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

/* Explains an HTTP error status, with the API's {"error": ...} text. */
static void
ctl_http_error(const char *url, long status, const struct body *b)
{
	json_error_t	 jerr;
	json_t		*j = NULL;
	const char	*msg = NULL;
	char		 text[512];

	if (b->data != NULL)
		j = json_loadb(b->data, b->len, 0, &jerr);
	if (json_is_object(j))
		msg = json_string_value(json_object_get(j, "error"));
	if (msg != NULL) {
		fmt_sanitize(text, sizeof(text), msg);
		log_warnx("%s (HTTP %ld from %s)", text, status, url);
	} else if (status == 404)
		log_warnx("HTTP 404 from %s: is --api or BALLAST_API pointing "
		    "at ballast-balancerd?", url);
	else
		log_warnx("HTTP %ld from %s: see ballast-balancerd's log",
		    status, url);
	json_decref(j);
}

/*
 * GETs the API path `path` ("/api/v1/...") and parses the answer.
 * Returns the JSON (the caller json_decref()s it), or NULL after
 * printing what went wrong.
 */
static json_t *
ctl_get(const struct ctl *ctl, const char *path)
{
	char		 url[CTL_URL_LEN], text[256];
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
	if ((status = ctl_fetch(ctl, url, &b)) == -1)
		goto done;
	if (status < 200 || status > 299) {
		ctl_http_error(url, status, &b);
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
cmd_status(const struct ctl *ctl, const char *arg)
{
	(void)arg;
	return ctl_simple(ctl, "/api/v1/status", fmt_status, "an object");
}

static int
cmd_hosts(const struct ctl *ctl, const char *arg)
{
	(void)arg;
	return ctl_simple(ctl, "/api/v1/hosts", fmt_hosts, "an array");
}

static int
cmd_vms(const struct ctl *ctl, const char *arg)
{
	json_t	*all, *sel;
	int	 rc;

	(void)arg;
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
cmd_host(const struct ctl *ctl, const char *name)
{
	char	 esc[CTL_NAME_LEN * 3], path[CTL_NAME_LEN * 3 + 32];

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
cmd_vm(const struct ctl *ctl, const char *arg)
{
	uint8_t	 uuid[UTIL_UUID_LEN];
	char	 canon[UTIL_UUID_STRLEN], path[64];
	json_t	*vms, *vm;
	int	 rc;

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

static const struct cmd ctl_cmds[] = {
	{ "status",	0,	"status",		cmd_status },
	{ "hosts",	0,	"hosts",		cmd_hosts },
	{ "vms",	0,	"vms [--host NAME]",	cmd_vms },
	{ "host",	1,	"host NAME",		cmd_host },
	{ "vm",		1,	"vm UUID|NAME",		cmd_vm },
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
 * policy check FILE [-v]: parses a policy file, no balancer needed.
 * Prints it back with -v, then "FILE: policy OK"; or the parser's
 * "file:line:col: what is wrong" line and returns EXIT_INVALID.
 */
static int
ctl_policy(const struct ctl *ctl, int argc, char **argv)
{
	struct policy	*p;
	char		 err[1024], text[1024];

	if (argc != 3 || strcmp(argv[1], "check") != 0 || *argv[2] == '\0') {
		log_warnx("policy: expected 'ballastctl policy check FILE "
		    "[-v]'");
		return ctl_usage();
	}
	if (ctl->json || ctl->host != NULL) {
		log_warnx("--json and --host do not apply to policy check");
		return ctl_usage();
	}
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
	if (ctl->verbose) {
		log_warnx("-v belongs to the policy check command");
		return ctl_usage();
	}
	for (i = 0; i < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); i++)
		if (strcmp(argv[0], ctl_cmds[i].name) == 0)
			cmd = &ctl_cmds[i];
	if (cmd == NULL) {
		log_warnx("unknown command \"%s\"", argv[0]);
		return ctl_usage();
	}
	if (argc - 1 != cmd->nargs || (cmd->nargs == 1 && *argv[1] == '\0')) {
		log_warnx("%s: expected 'ballastctl %s'", argv[0],
		    cmd->synopsis);
		return ctl_usage();
	}
	if (ctl->host != NULL && (cmd->run != cmd_vms || *ctl->host == '\0')) {
		log_warnx("--host NAME belongs to the vms command");
		return ctl_usage();
	}
	return cmd->run(ctl, cmd->nargs == 1 ? argv[1] : NULL);
}

int
main(int argc, char **argv)
{
	struct ctl	 ctl;
	int		 rc;

	log_init("ballastctl", LOG_LVL_WARN);
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
