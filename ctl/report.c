/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "caphist.h"
#include "caphtml.h"
#include "capacity.h"
#include "capout.h"
#include "capspec.h"
#include "ctl_api.h"
#include "fmt.h"
#include "log.h"
#include "policy.h"
#include "report.h"
#include "util.h"

#define REPORT_DEFAULT_API	"http://127.0.0.1:8470"
#define REPORT_TIMEOUT		120.0		/* seconds: a big cluster */
#define REPORT_MAX_BODY		(256u << 20)
#define REPORT_EXIT_FAIL	1
#define REPORT_EXIT_USAGE	2

static const char report_help[] =
	"usage: ballastctl report capacity [--range 30d] [--horizon 90d]\n"
	"           [--format html|csv|json] [--out FILE] [--slot VCPUS:MEM]\n"
	"           [--add COUNTxVCPUS:MEM[:USE]] [--add-like VMNAME:COUNT]\n"
	"           [--remove-host NAME] [--add-host [COUNTx]CORES:MEM]\n"
	"           [--buffer PCT] [--reserve HOSTS] [--core-mhz MHZ]\n"
	"           [--disk-cap BYTES] [--net-cap BITS] [--end TIME]\n"
	"           [--state-dir DIR | --rrd-dir DIR [--rrdcached ADDR]\n"
	"            [--policy FILE]] [--api URL] [--cacert FILE]\n"
	"           [--timeout SECONDS] [--json]\n"
	"\n"
	"The capacity-planning report of the cluster, from its RRD history:\n"
	"per host and for the cluster, per resource, use, trend and forecast,\n"
	"usable capacity, time and capacity remaining, VM slots, the N+1\n"
	"check, consolidation and what-ifs (--add, --add-like, --remove-host,\n"
	"--add-host; each may be given several times).  With --state-dir or\n"
	"--rrd-dir the files are read here; otherwise the balancer at --api\n"
	"computes it.  See ballastctl(1), REPORTS.\n";

/* What the command line asked for. */
struct report {
	struct capspec_req	 q;
	const char		*format;	/* html, csv, json */
	const char		*out;		/* NULL: stdout */
	const char		*rrd_dir, *state_dir, *rrdcached, *policy;
	const char		*api, *cacert;
	double			 timeout;
	char			 dir[PATH_MAX];	/* the RRD directory */
};

enum {
	RO_RANGE = 256, RO_HORIZON, RO_FORMAT, RO_OUT, RO_SLOT, RO_ADD,
	RO_ADD_LIKE, RO_REMOVE_HOST, RO_ADD_HOST, RO_BUFFER, RO_RESERVE,
	RO_CORE_MHZ, RO_DISK_CAP, RO_NET_CAP, RO_END, RO_STATE_DIR,
	RO_RRD_DIR, RO_RRDCACHED, RO_POLICY, RO_API, RO_TIMEOUT, RO_CACERT,
	RO_JSON
};

static const struct option report_opts[] = {
	{ "range",	required_argument,	NULL,	RO_RANGE },
	{ "horizon",	required_argument,	NULL,	RO_HORIZON },
	{ "format",	required_argument,	NULL,	RO_FORMAT },
	{ "out",	required_argument,	NULL,	RO_OUT },
	{ "slot",	required_argument,	NULL,	RO_SLOT },
	{ "add",	required_argument,	NULL,	RO_ADD },
	{ "add-like",	required_argument,	NULL,	RO_ADD_LIKE },
	{ "remove-host", required_argument,	NULL,	RO_REMOVE_HOST },
	{ "add-host",	required_argument,	NULL,	RO_ADD_HOST },
	{ "buffer",	required_argument,	NULL,	RO_BUFFER },
	{ "reserve",	required_argument,	NULL,	RO_RESERVE },
	{ "core-mhz",	required_argument,	NULL,	RO_CORE_MHZ },
	{ "disk-cap",	required_argument,	NULL,	RO_DISK_CAP },
	{ "net-cap",	required_argument,	NULL,	RO_NET_CAP },
	{ "end",	required_argument,	NULL,	RO_END },
	{ "state-dir",	required_argument,	NULL,	RO_STATE_DIR },
	{ "rrd-dir",	required_argument,	NULL,	RO_RRD_DIR },
	{ "rrdcached",	required_argument,	NULL,	RO_RRDCACHED },
	{ "policy",	required_argument,	NULL,	RO_POLICY },
	{ "api",	required_argument,	NULL,	RO_API },
	{ "timeout",	required_argument,	NULL,	RO_TIMEOUT },
	{ "cacert",	required_argument,	NULL,	RO_CACERT },
	{ "json",	no_argument,		NULL,	RO_JSON },
	{ "help",	no_argument,		NULL,	'h' },
	{ NULL,		0,			NULL,	0 }
};

/* Does the long option "--name" take an argument, in either table? */
static int
report_takes_arg(const char *name, const char *const *global)
{
	const struct option	*o;

	for (; *global != NULL; global++)
		if (strcmp(name, *global) == 0)
			return 1;
	for (o = report_opts; o->name != NULL; o++)
		if (strcmp(name, o->name) == 0)
			return o->has_arg == required_argument;
	return 0;
}

int
report_is_command(int argc, char **argv, const char *const *global)
{
	int	 i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1 < argc && strcmp(argv[i + 1], "report") == 0;
		if (argv[i][0] != '-' || argv[i][1] == '\0')
			return strcmp(argv[i], "report") == 0;
		if (argv[i][1] == '-' && strchr(argv[i], '=') == NULL &&
		    report_takes_arg(argv[i] + 2, global))
			i++;
	}
	return 0;
}

static int
report_usage(void)
{
	fputs("Try 'ballastctl report --help' for its options.\n", stderr);
	return REPORT_EXIT_USAGE;
}

/* Adds a repeated option's word; -1 after saying there are too many. */
static int
report_push(const char **list, size_t *n, const char *opt, const char *w)
{
	if (capspec_push(list, n, w) == 0)
		return 0;
	log_warnx("%s: at most %d of them", opt, CAP_MAX_WHATIF);
	return -1;
}

/* The options that become words of the report's request. */
static int
report_word(struct report *r, int ch, const char *arg)
{
	struct capspec_req	*q = &r->q;

	switch (ch) {
	case RO_RANGE:
		q->range = arg;
		return 0;
	case RO_HORIZON:
		q->horizon = arg;
		return 0;
	case RO_SLOT:
		q->slot = arg;
		return 0;
	case RO_BUFFER:
		q->buffer = arg;
		return 0;
	case RO_RESERVE:
		q->reserve = arg;
		return 0;
	case RO_CORE_MHZ:
		q->core_mhz = arg;
		return 0;
	case RO_DISK_CAP:
		q->disk_cap = arg;
		return 0;
	case RO_NET_CAP:
		q->net_cap = arg;
		return 0;
	case RO_END:
		q->end = arg;
		return 0;
	case RO_ADD:
		return report_push(q->add, &q->nadd, "--add", arg);
	case RO_ADD_LIKE:
		return report_push(q->add_like, &q->nadd_like, "--add-like",
		    arg);
	case RO_REMOVE_HOST:
		return report_push(q->remove_host, &q->nremove_host,
		    "--remove-host", arg);
	case RO_ADD_HOST:
		return report_push(q->add_host, &q->nadd_host, "--add-host",
		    arg);
	default:
		return 1;	/* not a word */
	}
}

/* The options about where the report comes from and goes to. */
static int
report_where(struct report *r, int ch, const char *arg)
{
	switch (ch) {
	case RO_FORMAT:
		r->format = arg;
		return 0;
	case RO_JSON:
		r->format = "json";
		return 0;
	case RO_OUT:
		r->out = arg;
		return 0;
	case RO_STATE_DIR:
		r->state_dir = arg;
		return 0;
	case RO_RRD_DIR:
		r->rrd_dir = arg;
		return 0;
	case RO_RRDCACHED:
		r->rrdcached = arg;
		return 0;
	case RO_POLICY:
		r->policy = arg;
		return 0;
	case RO_API:
		r->api = arg;
		return 0;
	case RO_CACERT:
		r->cacert = arg;
		return 0;
	case RO_TIMEOUT:
		if (util_parse_double(arg, 0.001, 86400.0, &r->timeout) == 0)
			return 0;
		log_warnx("--timeout wants seconds from 0.001 to 86400, not "
		    "\"%s\"", arg);
		return -1;
	default:
		log_warnx("report: unknown option");
		return -1;
	}
}

/* Checks what the options say together. */
static int
report_check(struct report *r, int argc, char **argv)
{
	if (argc - optind != 2 || strcmp(argv[optind], "report") != 0 ||
	    strcmp(argv[optind + 1], "capacity") != 0) {
		log_warnx("report: expected 'ballastctl report capacity "
		    "[options]'");
		return -1;
	}
	if (strcmp(r->format, "html") != 0 && strcmp(r->format, "csv") != 0 &&
	    strcmp(r->format, "json") != 0) {
		log_warnx("--format wants html, csv or json, not \"%s\"",
		    r->format);
		return -1;
	}
	if (r->state_dir != NULL && r->rrd_dir != NULL) {
		log_warnx("give --state-dir or --rrd-dir, not both");
		return -1;
	}
	if (r->state_dir == NULL && r->rrd_dir == NULL &&
	    (r->policy != NULL || r->rrdcached != NULL)) {
		log_warnx("--policy and --rrdcached go with --state-dir or "
		    "--rrd-dir; over the API the balancer uses its own");
		return -1;
	}
	if (r->state_dir != NULL)
		snprintf(r->dir, sizeof(r->dir), "%s/rrd", r->state_dir);
	else if (r->rrd_dir != NULL)
		util_strlcpy(r->dir, r->rrd_dir, sizeof(r->dir));
	return 0;
}

/* -1 to go on, else an exit status (help, usage errors). */
static int
report_options(int argc, char **argv, struct report *r)
{
	int	 ch, rc;

	opterr = 0;
	optind = 0;
	while ((ch = getopt_long(argc, argv, ":h", report_opts, NULL)) != -1) {
		if (ch == 'h') {
			fputs(report_help, stdout);
			return 0;
		}
		if (ch == ':' || ch == '?') {
			log_warnx("%s: %s", argv[optind - 1], ch == ':' ?
			    "wants an argument" : "unknown option of report "
			    "capacity");
			return report_usage();
		}
		if ((rc = report_word(r, ch, optarg)) == 1)
			rc = report_where(r, ch, optarg);
		if (rc < 0)
			return report_usage();
	}
	return report_check(r, argc, argv) < 0 ? report_usage() : -1;
}

/* Progress on a terminal: one line, updated in place. */
struct report_progress {
	int		 tty;
	int		 shown;
	unsigned	 last_pct;
	const char	*last_what;
};

static void
report_tell(void *arg, const char *what, size_t done, size_t total)
{
	struct report_progress	*p = arg;
	unsigned		 pct;

	if (!p->tty || total == 0)
		return;
	pct = (unsigned)(done * 100 / total);
	if (p->shown && pct == p->last_pct && p->last_what == what &&
	    done != total)
		return;
	fprintf(stderr, "\rreading the %s: %zu of %zu (%u%%)   ",
	    strcmp(what, "history") == 0 ? "history files" : "forecasts",
	    done, total, pct);
	fflush(stderr);
	p->shown = 1;
	p->last_pct = pct;
	p->last_what = what;
}

static void
report_tell_end(struct report_progress *p)
{
	if (p->tty && p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}

/* The text of the report in the format asked for. */
static int
report_render(const struct report *r, const struct cap_report *rep,
    char **text, size_t *len)
{
	if (strcmp(r->format, "json") == 0)
		return capout_json(rep, text, len);
	if (strcmp(r->format, "csv") == 0)
		return capout_csv(rep, text, len);
	return caphtml_render(rep, text, len);
}

/* Writes the text to --out or standard output.  0 or -1 (said why). */
static int
report_write(const struct report *r, const char *text, size_t len)
{
	FILE	*f = stdout;

	if (r->out != NULL && (f = fopen(r->out, "w")) == NULL) {
		log_warn("cannot write %s", r->out);
		return -1;
	}
	if (fwrite(text, 1, len, f) != len || (f != stdout && fclose(f) != 0)) {
		log_warn("cannot write %s", r->out ? r->out : "the report");
		return -1;
	}
	return 0;
}

/* The policy of --policy, or NULL for the defaults; -1 on error. */
static int
report_policy(const struct report *r, struct policy **out)
{
	char	 err[1024], text[1024];

	*out = NULL;
	if (r->policy == NULL)
		return 0;
	if ((*out = malloc(sizeof(**out))) == NULL) {
		log_warnx("out of memory");
		return -1;
	}
	if (policy_load(r->policy, *out, err, sizeof(err)) < 0) {
		fmt_sanitize(text, sizeof(text), err);
		log_warnx("%s", text);
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* Says on stderr what the report cannot tell for want of history. */
static void
report_warn_short(const struct cap_report *rep)
{
	if (!rep->forecast_ok)
		log_warnx("not enough history for a forecast: %.1f days of it, "
		    "and a forecast needs at least %d days with data; the "
		    "report shows today's figures only", rep->history_days,
		    CAPFC_MIN_DAYS);
}

/* Reads the RRD files here, computes and writes the report. */
static int
report_direct(const struct report *r)
{
	struct report_progress	 prog = { isatty(STDERR_FILENO), 0, 0, NULL };
	struct caph_opts	 ho;
	struct cap_opts		 o;
	struct cap_report	*rep = NULL;
	struct policy		*pol;
	struct caph		*h = NULL;
	char			 err[1024], *text = NULL;
	size_t			 len = 0;
	time_t			 end;
	int			 rc = REPORT_EXIT_FAIL;

	if (report_policy(r, &pol) < 0)
		return REPORT_EXIT_FAIL;
	if (capspec_apply(&r->q, pol, 0.0, &o, &end, err, sizeof(err)) < 0) {
		free(pol);
		log_warnx("%s", err);
		return REPORT_EXIT_USAGE;
	}
	free(pol);
	memset(&ho, 0, sizeof(ho));
	ho.dir = r->dir;
	ho.daemon = r->rrdcached;
	ho.end = end;
	ho.range_s = o.range_s;
	ho.progress = report_tell;
	ho.arg = &prog;
	if (caph_load(&ho, &h, err, sizeof(err)) < 0 ||
	    cap_compute(h, &o, report_tell, &prog, &rep, err,
	    sizeof(err)) < 0) {
		report_tell_end(&prog);
		log_warnx("%s", err);
		goto done;
	}
	report_tell_end(&prog);
	if (report_render(r, rep, &text, &len) < 0) {
		log_warnx("out of memory writing the report");
		goto done;
	}
	report_warn_short(rep);
	rc = report_write(r, text, len) < 0 ? REPORT_EXIT_FAIL : 0;
done:
	free(text);
	cap_report_free(rep);
	caph_free(h);
	return rc;
}

/* A growing buffer for the URL and for the answer. */
struct report_buf {
	char		*data;
	size_t		 len, cap;
	int		 toolarge;
};

static int
report_append(struct report_buf *b, const char *s, size_t n)
{
	char	*p;
	size_t	 cap;

	if (n > REPORT_MAX_BODY - b->len) {
		b->toolarge = 1;
		return -1;
	}
	if (b->len + n + 1 > b->cap) {
		for (cap = b->cap ? b->cap : 4096; cap < b->len + n + 1;)
			cap *= 2;
		if ((p = realloc(b->data, cap)) == NULL)
			return -1;
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

static size_t
report_curl_write(char *ptr, size_t size, size_t nmemb, void *arg)
{
	return report_append(arg, ptr, size * nmemb) == 0 ? size * nmemb : 0;
}

/* Appends "&key=value" (a list: its words joined by ','), escaped. */
static int
report_param(struct report_buf *u, CURL *c, const char *key,
    const char *const *words, size_t n)
{
	char	*e;
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		if (words[i] == NULL)
			continue;
		if ((e = curl_easy_escape(c, words[i], 0)) == NULL)
			return -1;
		rc = report_append(u, i == 0 ? "&" : ",", 1);
		if (rc == 0 && i == 0) {
			rc = report_append(u, key, strlen(key));
			rc |= report_append(u, "=", 1);
		}
		if (rc == 0)
			rc = report_append(u, e, strlen(e));
		curl_free(e);
	}
	return rc;
}

/* The API's URL for the request. */
static int
report_url(const struct report *r, CURL *c, struct report_buf *u)
{
	const struct capspec_req	*q = &r->q;
	const char			*base = r->api;
	size_t				 n;
	int				 rc;

	if (base == NULL && ((base = getenv("BALLAST_API")) == NULL ||
	    *base == '\0'))
		base = REPORT_DEFAULT_API;
	for (n = strlen(base); n > 0 && base[n - 1] == '/'; n--)
		continue;
	rc = report_append(u, base, n);
	rc |= report_append(u, "/api/v1/report/capacity?format=", 31);
	rc |= report_append(u, r->format, strlen(r->format));
	rc |= report_param(u, c, "range", &q->range, 1);
	rc |= report_param(u, c, "horizon", &q->horizon, 1);
	rc |= report_param(u, c, "slot", &q->slot, 1);
	rc |= report_param(u, c, "buffer", &q->buffer, 1);
	rc |= report_param(u, c, "reserve", &q->reserve, 1);
	rc |= report_param(u, c, "core_mhz", &q->core_mhz, 1);
	rc |= report_param(u, c, "disk_cap", &q->disk_cap, 1);
	rc |= report_param(u, c, "net_cap", &q->net_cap, 1);
	rc |= report_param(u, c, "end", &q->end, 1);
	rc |= report_param(u, c, "add", q->add, q->nadd);
	rc |= report_param(u, c, "add_like", q->add_like, q->nadd_like);
	rc |= report_param(u, c, "remove_host", q->remove_host,
	    q->nremove_host);
	rc |= report_param(u, c, "add_host", q->add_host, q->nadd_host);
	return rc;
}

/* The API's {"error": ...} of a failed request, or a generic line. */
static void
report_http_error(const char *url, long status, const struct report_buf *b)
{
	char	 text[512];

	if (ctl_error_text(b->data, b->len, text, sizeof(text)) != NULL)
		log_warnx("%s (HTTP %ld from %s)", text, status, url);
	else
		log_warnx("HTTP %ld from %s: is --api or BALLAST_API pointing "
		    "at ballast-balancerd?", status, url);
}

/* GETs the URL into b; the HTTP status, or -1 after saying why. */
static long
report_get(const struct report *r, CURL *c, const char *url,
    struct report_buf *b)
{
	char		 errbuf[CURL_ERROR_SIZE] = "", text[CURL_ERROR_SIZE];
	long		 status = -1, ms = (long)(r->timeout * 1000.0 + 0.5);
	CURLcode	 rc;

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ballastctl/report");
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ms > 0 ? ms : 1);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, report_curl_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	if (r->cacert != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, r->cacert);
	if ((rc = curl_easy_perform(c)) != CURLE_OK) {
		fmt_sanitize(text, sizeof(text), errbuf[0] ? errbuf :
		    curl_easy_strerror(rc));
		log_warnx("cannot get the report from %s (%s): is "
		    "ballast-balancerd running there? set --api or BALLAST_API, "
		    "or read the files with --state-dir", url, text);
		return -1;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

/* The API's JSON report: says when it has no forecast. */
static void
report_api_short(json_t *j)
{
	json_t		*fc = json_object_get(j, "forecast");
	const char	*why = json_string_value(json_object_get(fc, "reason"));
	char		 text[512];

	if (!json_is_false(json_object_get(fc, "ok")))
		return;
	fmt_sanitize(text, sizeof(text), why != NULL ? why : "");
	log_warnx("not enough history for a forecast: %s", text);
}

/* Asks the balancer for the report and writes it. */
static int
report_api(const struct report *r)
{
	struct report_buf	 url = { NULL, 0, 0, 0 }, b = { NULL, 0, 0, 0 };
	json_t			*j;
	CURL			*c;
	long			 status = -1;
	int			 rc = REPORT_EXIT_FAIL;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (c = curl_easy_init()) == NULL) {
		log_warnx("cannot initialise libcurl");
		return REPORT_EXIT_FAIL;
	}
	if (report_url(r, c, &url) != 0)
		log_warnx("out of memory");
	else if ((status = report_get(r, c, url.data, &b)) != 200 &&
	    status > 0)
		report_http_error(url.data, status, &b);
	else if (status == 200) {
		if (strcmp(r->format, "json") == 0 && (j = json_loadb(b.data,
		    b.len, 0, NULL)) != NULL) {
			report_api_short(j);
			json_decref(j);
		}
		rc = report_write(r, b.data != NULL ? b.data : "", b.len) < 0 ?
		    REPORT_EXIT_FAIL : 0;
	}
	free(url.data);
	free(b.data);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	return rc;
}

int
report_main(int argc, char **argv)
{
	struct report	 r;
	int		 rc;

	memset(&r, 0, sizeof(r));
	r.format = "html";
	r.timeout = REPORT_TIMEOUT;
	r.cacert = getenv("BALLAST_CACERT");
	if ((rc = report_options(argc, argv, &r)) != -1)
		return rc;
	return r.dir[0] != '\0' ? report_direct(&r) : report_api(&r);
}
