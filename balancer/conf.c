/* SPDX-License-Identifier: ISC */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "conf_file.h"
#include "privdrop.h"
#include "conf_lex.h"
#include "log.h"
#include "rrdbatch.h"
#include "util.h"
#include "zcurve.h"

struct conf_parser {
	struct conf_lex	 lx;
	struct conf	 c;
	char		*err;
	size_t		 errlen;
};

void
conf_defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	util_strlcpy(c->reports, CONF_DEFAULT_REPORTS, sizeof(c->reports));
	util_strlcpy(c->api_addr, CONF_DEFAULT_API_ADDR, sizeof(c->api_addr));
	c->api_port = CONF_DEFAULT_API_PORT;
	util_strlcpy(c->state_dir, CONF_DEFAULT_STATE_DIR, sizeof(c->state_dir));
	c->stale_intervals = 3;
	c->forget_vm_s = 600;
	c->checkpoint_ms = 1000;
	c->log_level = LOG_LVL_INFO;
	c->max_hosts = 10000;
	conf_snmp_defaults(&c->snmp);
	http_limits_defaults(&c->api_limits);
	util_strlcpy(c->user, CONF_DEFAULT_USER, sizeof(c->user));
}

static int
conf_error(struct conf_parser *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
conf_error(struct conf_parser *ps, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = conf_lex_verror(&ps->lx, ps->err, ps->errlen, fmt, ap);
	va_end(ap);
	return rc;
}

/* Reads a word or string argument into buf. */
static int
conf_arg(struct conf_parser *ps, const char *what, char *buf, size_t len)
{
	return conf_lex_arg(&ps->lx, what, buf, len, 0, ps->err, ps->errlen);
}

static int
conf_number(struct conf_parser *ps, const char *what, int64_t min,
    int64_t max, int64_t *out)
{
	char	 buf[64];
	int	 rc;

	if ((rc = conf_arg(ps, "a number", buf, sizeof(buf))) < 0)
		return rc;
	if (util_parse_i64(buf, min, max, out) < 0)
		return conf_error(ps, "%s must be a whole number from %lld to "
		    "%lld, not \"%s\"", what, (long long)min, (long long)max, buf);
	return 0;
}

/* Expects a keyword (a unit such as "seconds"). */
static int
conf_expect(struct conf_parser *ps, const char *const *words)
{
	enum conf_tok	 t = conf_lex_next(&ps->lx);
	size_t		 i;

	for (i = 0; words[i] != NULL && t == CONF_T_WORD; i++)
		if (strcmp(ps->lx.text, words[i]) == 0)
			return 0;
	if (t == CONF_T_ERROR)
		return conf_error(ps, "%s", ps->lx.err);
	return conf_error(ps, "expected \"%s\", found %s%s%s", words[0],
	    t == CONF_T_WORD ? "\"" : conf_tok_name(t),
	    t == CONF_T_WORD ? ps->lx.text : "", t == CONF_T_WORD ? "\"" : "");
}

static int
conf_listen(struct conf_parser *ps)
{
	static const char *const port[] = { "port", NULL };
	unsigned char	 addr[16];
	char		 what[32];
	int64_t		 v;
	int		 rc;

	if ((rc = conf_arg(ps, "\"reports\" or \"api\"", what, sizeof(what))) < 0)
		return rc;
	if (strcmp(what, "reports") == 0) {
		if ((rc = conf_arg(ps, "a ZeroMQ endpoint", ps->c.reports,
		    sizeof(ps->c.reports))) < 0)
			return rc;
		if (strncmp(ps->c.reports, "tcp://", 6) != 0 &&
		    strncmp(ps->c.reports, "ipc://", 6) != 0)
			return conf_error(ps, "a reports endpoint is tcp://ADDR:PORT "
			    "or ipc://PATH, not \"%s\"", ps->c.reports);
		return 0;
	}
	if (strcmp(what, "api") != 0)
		return conf_error(ps, "listen takes \"reports\" or \"api\", "
		    "not \"%s\"", what);
	if ((rc = conf_arg(ps, "an address", ps->c.api_addr,
	    sizeof(ps->c.api_addr))) < 0)
		return rc;
	if (inet_pton(AF_INET, ps->c.api_addr, addr) != 1 &&
	    inet_pton(AF_INET6, ps->c.api_addr, addr) != 1)
		return conf_error(ps, "the API address must be an IPv4 or IPv6 "
		    "literal such as 127.0.0.1 or ::1, not \"%s\"", ps->c.api_addr);
	if ((rc = conf_expect(ps, port)) < 0 ||
	    (rc = conf_number(ps, "the port", 1, 65535, &v)) < 0)
		return rc;
	ps->c.api_port = (int)v;
	return 0;
}

static int
conf_log_level(struct conf_parser *ps)
{
	static const char *const names[] = { "warn", "info", "debug" };
	char	 buf[16];
	int	 i, rc;

	if ((rc = conf_arg(ps, "a log level", buf, sizeof(buf))) < 0)
		return rc;
	for (i = 0; i < 3; i++)
		if (strcmp(buf, names[i]) == 0) {
			ps->c.log_level = i;
			return 0;
		}
	return conf_error(ps, "log-level is warn, info or debug, not \"%s\"", buf);
}

/* policy "FILE" or policy default. */
static int
conf_policy(struct conf_parser *ps)
{
	char	 buf[sizeof(ps->c.policy)];
	int	 rc;

	if ((rc = conf_arg(ps, "a policy file or \"default\"", buf,
	    sizeof(buf))) < 0)
		return rc;
	if (strcmp(buf, "default") == 0)
		buf[0] = '\0';
	memcpy(ps->c.policy, buf, sizeof(buf));
	return 0;
}

/* api-token "SECRET": 16 to 127 printable characters, no spaces. */
static int
conf_token(struct conf_parser *ps)
{
	char	 buf[sizeof(ps->c.api_token)];
	size_t	 i, n;
	int	 rc;

	if ((rc = conf_arg(ps, "an operator token", buf, sizeof(buf))) < 0)
		return rc;
	n = strlen(buf);
	for (i = 0; i < n; i++)
		if (buf[i] <= ' ' || buf[i] > '~')
			break;
	if (n < 16 || i < n)
		return conf_error(ps, "api-token wants 16 to 127 printable "
		    "characters without spaces (e.g. from \"openssl rand -hex 24\")");
	memcpy(ps->c.api_token, buf, sizeof(buf));
	return 0;
}

/* tls cert "FILE" key "FILE", or tls none. */
static int
conf_tls(struct conf_parser *ps)
{
	static const char *const key[] = { "key", NULL };
	char	 buf[16];
	int	 rc;

	if ((rc = conf_arg(ps, "\"cert\" or \"none\"", buf, sizeof(buf))) < 0)
		return rc;
	if (strcmp(buf, "none") == 0) {
		ps->c.tls_cert[0] = ps->c.tls_key[0] = '\0';
		return 0;
	}
	if (strcmp(buf, "cert") != 0)
		return conf_error(ps, "tls takes cert \"FILE\" key \"FILE\" or "
		    "none, not \"%s\"", buf);
	if ((rc = conf_arg(ps, "a certificate file", ps->c.tls_cert,
	    sizeof(ps->c.tls_cert))) < 0 || (rc = conf_expect(ps, key)) < 0 ||
	    (rc = conf_arg(ps, "a private key file", ps->c.tls_key,
	    sizeof(ps->c.tls_key))) < 0)
		return rc;
	if (ps->c.tls_cert[0] == '\0' || ps->c.tls_key[0] == '\0')
		return conf_error(ps, "tls wants a certificate and a key file");
	return 0;
}

/* curve secret-key "FILE" authorized-collectors "FILE", or curve none. */
static int
conf_curve(struct conf_parser *ps)
{
	static const char *const auth[] = { "authorized-collectors", NULL };
	char	 buf[16];
	int	 rc;

	if ((rc = conf_arg(ps, "\"secret-key\" or \"none\"", buf,
	    sizeof(buf))) < 0)
		return rc;
	if (strcmp(buf, "none") == 0) {
		ps->c.curve_key[0] = ps->c.curve_auth[0] = '\0';
		return 0;
	}
	if (strcmp(buf, "secret-key") != 0)
		return conf_error(ps, "curve takes secret-key \"FILE\" "
		    "authorized-collectors \"FILE\" or none, not \"%s\"", buf);
	if ((rc = conf_arg(ps, "a secret key file", ps->c.curve_key,
	    sizeof(ps->c.curve_key))) < 0 || (rc = conf_expect(ps, auth)) < 0 ||
	    (rc = conf_arg(ps, "an authorised-collectors file",
	    ps->c.curve_auth, sizeof(ps->c.curve_auth))) < 0)
		return rc;
	if (ps->c.curve_key[0] == '\0' || ps->c.curve_auth[0] == '\0')
		return conf_error(ps, "curve wants a secret key and an "
		    "authorised-collectors file");
	return 0;
}

/* rrdcached "ADDRESS" or rrdcached none. */
static int
conf_rrdcached(struct conf_parser *ps)
{
	char	 buf[sizeof(ps->c.rrdcached)];
	int	 rc;

	if ((rc = conf_arg(ps, "an rrdcached address or \"none\"", buf,
	    sizeof(buf))) < 0)
		return rc;
	if (strcmp(buf, "none") == 0) {
		ps->c.rrdcached[0] = '\0';
		return 0;
	}
	if (rrdbatch_check_addr(buf) < 0)
		return conf_error(ps, "an rrdcached address is unix:/PATH, "
		    "/PATH, HOST:PORT, [IPV6]:PORT or HOST, not \"%s\"", buf);
	memcpy(ps->c.rrdcached, buf, sizeof(buf));
	return 0;
}

static int
conf_counted(struct conf_parser *ps, const char *what, int64_t min,
    int64_t max, const char *const *unit, unsigned *out)
{
	int64_t	 v;
	int	 rc;

	if ((rc = conf_number(ps, what, min, max, &v)) < 0 ||
	    (unit != NULL && (rc = conf_expect(ps, unit)) < 0))
		return rc;
	*out = (unsigned)v;
	return 0;
}

/* A byte size such as 65536, 64k or 64KiB, in [min, max]. */
static int
conf_bytes(struct conf_parser *ps, const char *what, uint64_t min,
    uint64_t max, size_t *out)
{
	char		 buf[64];
	uint64_t	 v;
	int		 rc;

	if ((rc = conf_arg(ps, "a size", buf, sizeof(buf))) < 0)
		return rc;
	if (util_parse_bytes(buf, &v) < 0 || v < min || v > max)
		return conf_error(ps, "%s must be a size from %llu to %llu bytes "
		    "(k and m suffixes allowed), not \"%s\"", what,
		    (unsigned long long)min, (unsigned long long)max, buf);
	*out = (size_t)v;
	return 0;
}

static int
conf_plain(struct conf_parser *ps, const char *what, int64_t min,
    int64_t max, unsigned *out)
{
	int64_t	 v;
	int	 rc;

	if ((rc = conf_number(ps, what, min, max, &v)) < 0)
		return rc;
	*out = (unsigned)v;
	return 0;
}

/*
 * api-*: the HTTP server's bounds (http_guard.h); 1: not one of them.
 * kw is the lexer's text, overwritten by the next token: the messages
 * name the statement with a literal.
 */
static int
conf_api_limit(struct conf_parser *ps, const char *kw)
{
	static const char *const sec[] = { "seconds", NULL };
	struct http_limits	*l = &ps->c.api_limits;

	if (strcmp(kw, "api-connections") == 0)
		return conf_plain(ps, "api-connections", 1, 65536,
		    &l->connections);
	if (strcmp(kw, "api-connections-per-ip") == 0)
		return conf_plain(ps, "api-connections-per-ip", 1, 65536,
		    &l->per_ip);
	if (strcmp(kw, "api-idle-timeout") == 0)
		return conf_counted(ps, "api-idle-timeout", 1, 3600, sec,
		    &l->idle_s);
	if (strcmp(kw, "api-max-body") == 0)
		return conf_bytes(ps, "api-max-body", 1024, 64 * 1024 * 1024,
		    &l->max_body);
	if (strcmp(kw, "api-max-header") == 0)
		return conf_bytes(ps, "api-max-header", 1024, 1024 * 1024,
		    &l->max_header);
	if (strcmp(kw, "api-max-header-fields") == 0)
		return conf_plain(ps, "api-max-header-fields", 4, 1000,
		    &l->max_headers);
	return 1;
}

/* user NAME, group NAME: who the daemon runs as when started as root. */
static int
conf_ident(struct conf_parser *ps, const char *what, char *buf, size_t len)
{
	int	 rc;

	if ((rc = conf_arg(ps, what, buf, len)) < 0)
		return rc;
	if (!privdrop_name_ok(buf))
		return conf_error(ps, "%s must be 1 to 32 letters, digits, "
		    "'.', '_' or '-', not starting with '-'", what);
	return 0;
}

/* One statement; the keyword table is sorted, as relayd's is. */
static int
conf_statement(struct conf_parser *ps)
{
	static const char *const ivl[] = { "intervals", NULL };
	static const char *const sec[] = { "seconds", NULL };
	static const char *const ms[] = { "ms", NULL };
	const char	*kw = ps->lx.text;
	char		 msg[400];
	int		 rc;

	if ((rc = conf_api_limit(ps, kw)) <= 0)
		return rc;
	if (strcmp(kw, "api-token") == 0)
		return conf_token(ps);
	if (strcmp(kw, "checkpoint-every") == 0)
		return conf_counted(ps, "checkpoint-every", 100, 60000, ms,
		    &ps->c.checkpoint_ms);
	if (strcmp(kw, "curve") == 0)
		return conf_curve(ps);
	if (strcmp(kw, "forget-vm-after") == 0)
		return conf_counted(ps, "forget-vm-after", 10, 86400 * 30, sec,
		    &ps->c.forget_vm_s);
	if (strcmp(kw, "insecure") == 0) {
		ps->c.insecure = 1;
		return 0;
	}
	if (strcmp(kw, "listen") == 0)
		return conf_listen(ps);
	if (strcmp(kw, "group") == 0)
		return conf_ident(ps, "a group name", ps->c.group,
		    sizeof(ps->c.group));
	if (strcmp(kw, "log-level") == 0)
		return conf_log_level(ps);
	if (strcmp(kw, "max-hosts") == 0)
		return conf_counted(ps, "max-hosts", 1, 20000, NULL,
		    &ps->c.max_hosts);
	if (strcmp(kw, "policy") == 0)
		return conf_policy(ps);
	if (strcmp(kw, "rrdcached") == 0)
		return conf_rrdcached(ps);
	if (strcmp(kw, "stale-after") == 0)
		return conf_counted(ps, "stale-after", 1, 1000, ivl,
		    &ps->c.stale_intervals);
	if (strcmp(kw, "state-dir") == 0) {
		if (conf_arg(ps, "a directory", ps->c.state_dir,
		    sizeof(ps->c.state_dir)) < 0)
			return -EINVAL;
		if (ps->c.state_dir[0] == '\0')
			return conf_error(ps, "state-dir is empty");
		return 0;
	}
	if (strcmp(kw, "tls") == 0)
		return conf_tls(ps);
	if (strcmp(kw, "user") == 0) {
		ps->c.user_set = 1;
		return conf_ident(ps, "a user name", ps->c.user,
		    sizeof(ps->c.user));
	}
	if ((rc = conf_snmp_statement(&ps->lx, &ps->c.snmp, msg,
	    sizeof(msg))) != 0)
		return rc < 0 ? conf_error(ps, "%s", msg) : 0;
	return conf_error(ps, "unknown keyword \"%s\" (see "
	    "ballast-balancerd.conf(5))", kw);
}

int
conf_parse(const char *file, const char *text, size_t len, struct conf *out,
    char *err, size_t errlen)
{
	struct conf_parser	 ps;
	enum conf_tok		 t;
	int			 rc;

	memset(&ps, 0, sizeof(ps));
	conf_defaults(&ps.c);
	ps.err = err;
	ps.errlen = errlen;
	conf_lex_init(&ps.lx, file, text, len);
	for (;;) {
		t = conf_lex_next(&ps.lx);
		if (t == CONF_T_EOF)
			break;
		if (t == CONF_T_EOL || t == CONF_T_SEMI)
			continue;
		if (t == CONF_T_ERROR)
			return conf_error(&ps, "%s", ps.lx.err);
		if (t != CONF_T_WORD)
			return conf_error(&ps, "expected a keyword, found %s",
			    conf_tok_name(t));
		if ((rc = conf_statement(&ps)) < 0)
			return rc;
		t = conf_lex_next(&ps.lx);
		if (t == CONF_T_ERROR)
			return conf_error(&ps, "%s", ps.lx.err);
		if (t != CONF_T_EOL && t != CONF_T_EOF && t != CONF_T_SEMI)
			return conf_error(&ps, "expected end of line, found %s%s%s",
			    t == CONF_T_WORD ? "\"" : conf_tok_name(t),
			    t == CONF_T_WORD ? ps.lx.text : "",
			    t == CONF_T_WORD ? "\"" : "");
		if (t == CONF_T_EOF)
			break;
	}
	*out = ps.c;
	return 0;
}

int
conf_load(const char *path, struct conf *out, char *err, size_t errlen)
{
	char	*buf;
	size_t	 len;
	int	 rc;

	if ((rc = conf_file_read(path, &buf, &len, err, errlen)) < 0)
		return rc;
	rc = conf_parse(path, buf, len, out, err, errlen);
	free(buf);
	return rc;
}

/* The api-* bounds, user and group, one statement a line. */
static void
conf_print_limits(const struct conf *c, char *buf, size_t len)
{
	const struct http_limits	*l = &c->api_limits;
	int				 n;

	n = snprintf(buf, len,
	    "api-connections %u\n"
	    "api-connections-per-ip %u\n"
	    "api-idle-timeout %u seconds\n"
	    "api-max-body %zu\n"
	    "api-max-header %zu\n"
	    "api-max-header-fields %u\n"
	    "user %s\n",
	    l->connections, l->per_ip, l->idle_s, l->max_body, l->max_header,
	    l->max_headers, c->user);
	if (c->group[0] != '\0' && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "group %s\n", c->group);
}

int
conf_check(const struct conf *c, char *err, size_t errlen)
{
	return zcurve_check_plain(c->reports, c->curve_key[0] != '\0',
	    c->insecure, "listen reports", err, errlen);
}

void
conf_print(const struct conf *c, char *buf, size_t len)
{
	static const char *const lv[] = { "warn", "info", "debug" };
	char	 rep[sizeof(c->reports) * 2 + 3], api[sizeof(c->api_addr) * 2 + 3];
	char	 dir[sizeof(c->state_dir) * 2 + 3];
	char	 rrdc[sizeof(c->rrdcached) * 2 + 3];
	char	 pol[sizeof(c->policy) * 2 + 3];
	char	 crt[sizeof(c->tls_cert) * 2 + 3], key[sizeof(c->tls_key) * 2 + 3];
	char	 lim[512];
	char	 ck[sizeof(c->curve_key) * 2 + 3], ca[sizeof(c->curve_auth) * 2 + 3];

	conf_file_quote(c->reports, rep, sizeof(rep));
	if (c->rrdcached[0] != '\0')
		conf_file_quote(c->rrdcached, rrdc, sizeof(rrdc));
	else
		util_strlcpy(rrdc, "none", sizeof(rrdc));
	conf_file_quote(c->api_addr, api, sizeof(api));
	conf_file_quote(c->state_dir, dir, sizeof(dir));
	if (c->policy[0] != '\0')
		conf_file_quote(c->policy, pol, sizeof(pol));
	else
		util_strlcpy(pol, "default", sizeof(pol));
	conf_file_quote(c->tls_cert, crt, sizeof(crt));
	conf_file_quote(c->tls_key, key, sizeof(key));
	conf_print_limits(c, lim, sizeof(lim));
	conf_file_quote(c->curve_key, ck, sizeof(ck));
	conf_file_quote(c->curve_auth, ca, sizeof(ca));
	snprintf(buf, len,
	    "listen reports %s\n"
	    "listen api %s port %d\n"
	    "state-dir %s\n"
	    "stale-after %u intervals\n"
	    "forget-vm-after %u seconds\n"
	    "checkpoint-every %u ms\n"
	    "log-level %s\n"
	    "rrdcached %s\n"
	    "policy %s\n"
	    "tls %s%s%s%s\n"
	    "curve %s%s%s%s\n"
	    "%s"
	    "max-hosts %u\n"
	    "%s"
	    "%s\n",
	    rep, api, c->api_port, dir,
	    c->stale_intervals, c->forget_vm_s, c->checkpoint_ms,
	    lv[c->log_level >= 0 && c->log_level <= 2 ? c->log_level : 1],
	    rrdc, pol, c->tls_cert[0] ? "cert " : "none",
	    c->tls_cert[0] ? crt : "", c->tls_cert[0] ? " key " : "",
	    c->tls_cert[0] ? key : "", c->curve_key[0] ? "secret-key " : "none",
	    c->curve_key[0] ? ck : "", c->curve_key[0] ?
	    " authorized-collectors " : "", c->curve_key[0] ? ca : "",
	    c->insecure ? "insecure\n" : "", c->max_hosts, lim,
	    c->api_token[0] ? "# api-token is set (not shown)" :
	    "# api-token: generated at start into STATE/api.token");
	conf_snmp_print(&c->snmp, buf, len);
}
