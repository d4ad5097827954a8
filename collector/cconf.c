/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#include "cconf.h"
#include "cconf_priv.h"
#include "conf_file.h"
#include "conf_lex.h"
#include "log.h"
#include "privdrop.h"
#include "util.h"
#include "zcurve.h"
#include "wire.h"

static const struct {
	const char	*name;
	unsigned long	 flag;
} cconf_flags[] = {
	{ "abort-on-error", VIR_MIGRATE_ABORT_ON_ERROR },
	{ "auto-converge", VIR_MIGRATE_AUTO_CONVERGE },
	{ "compressed", VIR_MIGRATE_COMPRESSED },
	{ "live", VIR_MIGRATE_LIVE },
	{ "non-shared-disk", VIR_MIGRATE_NON_SHARED_DISK },
	{ "non-shared-inc", VIR_MIGRATE_NON_SHARED_INC },
	{ "peer2peer", VIR_MIGRATE_PEER2PEER },
	{ "persist-dest", VIR_MIGRATE_PERSIST_DEST },
	{ "postcopy", VIR_MIGRATE_POSTCOPY },
	{ "tls", VIR_MIGRATE_TLS },
	{ "tunnelled", VIR_MIGRATE_TUNNELLED },
	{ "undefine-source", VIR_MIGRATE_UNDEFINE_SOURCE },
	{ "unsafe", VIR_MIGRATE_UNSAFE },
};
#define NFLAGS	(sizeof(cconf_flags) / sizeof(cconf_flags[0]))

void
cconf_defaults(struct cconf *c)
{
	memset(c, 0, sizeof(*c));
	util_strlcpy(c->uri, CCONF_DEFAULT_URI, sizeof(c->uri));
	util_strlcpy(c->balancer, CCONF_DEFAULT_BALANCER, sizeof(c->balancer));
	c->interval_ms = 10000;
	c->stats_timeout_ms = 0;	/* cconf_check: 2 s, or interval/4 */
	c->refresh_ms = 60000;
	c->nic_bps = 10000000000ULL;
	c->log_level = LOG_LVL_INFO;
	c->actuator = CCONF_ACT_LIBVIRT;
	util_strlcpy(c->mig.uri, CCONF_DEFAULT_DEST_URI, sizeof(c->mig.uri));
	c->mig.flags = VIR_MIGRATE_LIVE | VIR_MIGRATE_PEER2PEER |
	    VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE;
	c->mig.timeout_ms = 600000;
	c->pcap.sample = 1;
	c->pcap.snaplen = 128;
	c->pcap.buffer = 4 << 20;
	c->pcap.top = 64;
	util_strlcpy(c->pcap.filter, "ip or ip6 or arp", sizeof(c->pcap.filter));
}

int
cconf_flag(const char *word, unsigned long *flag)
{
	size_t	 i;

	for (i = 0; i < NFLAGS; i++)
		if (strcmp(word, cconf_flags[i].name) == 0) {
			*flag = cconf_flags[i].flag;
			return 0;
		}
	return -EINVAL;
}

int
cconf_error(struct cconf_parser *ps, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "%s:%d:%d: %s", ps->lx.file,
	    ps->lx.tline, ps->lx.tcol, msg);
	return -EINVAL;
}

/* Names the current token for messages: "foo" or a kind. */
static void
cc_found(const struct cconf_parser *ps, char *buf, size_t len)
{
	if (ps->lx.tok == CONF_T_WORD || ps->lx.tok == CONF_T_STRING)
		snprintf(buf, len, "\"%.48s\"", ps->lx.text);
	else
		util_strlcpy(buf, conf_tok_name(ps->lx.tok), len);
}

int
cconf_arg(struct cconf_parser *ps, const char *what, char *buf, size_t len)
{
	enum conf_tok	 t = conf_lex_next(&ps->lx);
	char		 found[64];

	if (t == CONF_T_ERROR)
		return cconf_error(ps, "%s", ps->lx.err);
	if (t != CONF_T_WORD && t != CONF_T_STRING) {
		cc_found(ps, found, sizeof(found));
		return cconf_error(ps, "expected %s, found %s", what, found);
	}
	if (util_strlcpy(buf, ps->lx.text, len) >= len)
		return cconf_error(ps, "%s is too long (at most %zu characters)",
		    what, len - 1);
	return 0;
}

/* A duration: a whole number and ms, s, seconds, min or minutes. */
static int
cc_duration(struct cconf_parser *ps, const char *what, int64_t min_ms,
    int64_t max_ms, unsigned *out)
{
	static const struct { const char *u; int64_t mul; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "seconds", 1000 },
		{ "second", 1000 }, { "min", 60000 }, { "minutes", 60000 },
	};
	char	 num[32], unit[16];
	int64_t	 v;
	size_t	 i;
	int	 rc;

	if ((rc = cconf_arg(ps, "a number", num, sizeof(num))) < 0)
		return rc;
	if (util_parse_i64(num, 0, INT32_MAX, &v) < 0)
		return cconf_error(ps, "%s wants a whole number, not \"%s\"", what,
		    num);
	if ((rc = cconf_arg(ps, "a unit (ms, seconds or minutes)", unit,
	    sizeof(unit))) < 0)
		return rc;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(unit, units[i].u) == 0)
			break;
	if (i == sizeof(units) / sizeof(units[0]))
		return cconf_error(ps, "%s: the unit is ms, seconds or minutes, "
		    "not \"%s\"", what, unit);
	v *= units[i].mul;
	if (v < min_ms || v > max_ms)
		return cconf_error(ps, "%s must be from %lld ms to %lld s", what,
		    (long long)min_ms, (long long)(max_ms / 1000));
	*out = (unsigned)v;
	return 0;
}

static int
cc_log_level(struct cconf_parser *ps)
{
	static const char *const names[] = { "warn", "info", "debug" };
	char	 buf[16];
	int	 i, rc;

	if ((rc = cconf_arg(ps, "a log level", buf, sizeof(buf))) < 0)
		return rc;
	for (i = 0; i < 3; i++)
		if (strcmp(buf, names[i]) == 0) {
			ps->c.log_level = i;
			return 0;
		}
	return cconf_error(ps, "log-level is warn, info or debug, not \"%s\"", buf);
}

static int
cc_host_name(struct cconf_parser *ps)
{
	int	 rc;

	if ((rc = cconf_arg(ps, "a host name", ps->c.host_name,
	    sizeof(ps->c.host_name))) < 0)
		return rc;
	if (wire_check_name(ps->c.host_name, WIRE_MAX_HOST_NAME, 0) < 0)
		return cconf_error(ps, "a host name is 1 to %d of [A-Za-z0-9._-], "
		    "not \"%s\"", WIRE_MAX_HOST_NAME, ps->c.host_name);
	return 0;
}

/* user NAME, group NAME: who the collector runs as when started as root. */
static int
cc_ident(struct cconf_parser *ps, const char *what, char *buf, size_t len)
{
	int	 rc;

	if ((rc = cconf_arg(ps, what, buf, len)) < 0)
		return rc;
	if (!privdrop_name_ok(buf))
		return cconf_error(ps, "%s must be 1 to 32 letters, digits, "
		    "'.', '_' or '-', not starting with '-'", what);
	return 0;
}

static int
cc_cluster(struct cconf_parser *ps)
{
	int	 rc;

	if ((rc = cconf_arg(ps, "a cluster name", ps->c.cluster,
	    sizeof(ps->c.cluster))) < 0)
		return rc;
	if (wire_check_name(ps->c.cluster, WIRE_MAX_CLUSTER, 0) < 0)
		return cconf_error(ps, "a cluster name is 1 to %d of "
		    "[A-Za-z0-9._-], not \"%s\"", WIRE_MAX_CLUSTER, ps->c.cluster);
	return 0;
}

static int
cc_host_uuid(struct cconf_parser *ps)
{
	char	 buf[64];
	int	 rc;

	if ((rc = cconf_arg(ps, "a UUID", buf, sizeof(buf))) < 0)
		return rc;
	if (util_uuid_parse(buf, ps->c.host_uuid) < 0)
		return cconf_error(ps, "host-uuid wants the 36-character form, not "
		    "\"%s\"", buf);
	ps->c.has_uuid = 1;
	return 0;
}

/* nic-speed N mbit (or gbit). */
static int
cc_nic_speed(struct cconf_parser *ps)
{
	char	 num[32], unit[16];
	int64_t	 v;
	int	 rc;

	if ((rc = cconf_arg(ps, "a number", num, sizeof(num))) < 0 ||
	    (rc = cconf_arg(ps, "mbit or gbit", unit, sizeof(unit))) < 0)
		return rc;
	if (util_parse_i64(num, 1, 10000000, &v) < 0)
		return cconf_error(ps, "nic-speed wants a whole number, not \"%s\"",
		    num);
	if (strcmp(unit, "mbit") == 0)
		ps->c.nic_bps = (uint64_t)v * 1000000;
	else if (strcmp(unit, "gbit") == 0)
		ps->c.nic_bps = (uint64_t)v * 1000000000;
	else
		return cconf_error(ps, "nic-speed: the unit is mbit or gbit, not "
		    "\"%s\"", unit);
	return 0;
}

static int
cc_actuator(struct cconf_parser *ps)
{
	char	 buf[16];
	int	 rc;

	if ((rc = cconf_arg(ps, "libvirt, exec or none", buf, sizeof(buf))) < 0)
		return rc;
	if (strcmp(buf, "libvirt") == 0)
		ps->c.actuator = CCONF_ACT_LIBVIRT;
	else if (strcmp(buf, "exec") == 0)
		ps->c.actuator = CCONF_ACT_EXEC;
	else if (strcmp(buf, "none") == 0)
		ps->c.actuator = CCONF_ACT_NONE;
	else
		return cconf_error(ps, "actuator is libvirt, exec or none, not "
		    "\"%s\"", buf);
	return 0;
}

/* flags WORD...: to the end of the line; replaces the defaults. */
static int
cc_flags(struct cconf_parser *ps)
{
	unsigned long	 f, all = 0;
	enum conf_tok	 t;
	int		 n = 0;

	while ((t = conf_lex_next(&ps->lx)) == CONF_T_WORD) {
		if (cconf_flag(ps->lx.text, &f) < 0)
			return cconf_error(ps, "unknown migration flag \"%s\" (see "
			    "ballast-collectord(8))", ps->lx.text);
		all |= f;
		n++;
	}
	if (t == CONF_T_ERROR)
		return cconf_error(ps, "%s", ps->lx.err);
	if (n == 0)
		return cconf_error(ps, "flags wants at least one flag, such as live");
	ps->c.mig.flags = all;
	return 1;	/* the terminator was read */
}

static int
cc_bandwidth(struct cconf_parser *ps)
{
	char	 buf[32];
	int	 rc;

	if ((rc = cconf_arg(ps, "a rate in bytes/s, such as 100M", buf,
	    sizeof(buf))) < 0)
		return rc;
	if (strcmp(buf, "0") == 0) {
		ps->c.mig.bandwidth = 0;
		return 0;
	}
	if (util_parse_bytes(buf, &ps->c.mig.bandwidth) < 0)
		return cconf_error(ps, "bandwidth wants bytes per second such as "
		    "100M or 1G, not \"%s\"", buf);
	return 0;
}

/* uri "TEMPLATE": must name the destination. */
static int
cc_dest_uri(struct cconf_parser *ps, char *buf, size_t len)
{
	int	 rc;

	if ((rc = cconf_arg(ps, "a destination URI template", buf, len)) < 0)
		return rc;
	if (strstr(buf, "{host}") == NULL && strstr(buf, "{dest}") == NULL)
		return cconf_error(ps, "the destination URI template must name "
		    "{host}, such as \"qemu+tls://{host}/system\"");
	return 0;
}

/* One statement inside migrate { }.  Returns 1 when it read its end. */
static int
cc_migrate_stmt(struct cconf_parser *ps)
{
	struct cconf_migrate	*m = &ps->c.mig;
	const char		*kw = ps->lx.text;

	if (strcmp(kw, "bandwidth") == 0)
		return cc_bandwidth(ps);
	if (strcmp(kw, "flags") == 0)
		return cc_flags(ps);
	if (strcmp(kw, "listen-address") == 0)
		return cconf_arg(ps, "an address", m->listen, sizeof(m->listen));
	if (strcmp(kw, "max-downtime") == 0)
		return cc_duration(ps, "max-downtime", 0, 600000,
		    &m->max_downtime_ms);
	if (strcmp(kw, "migrate-uri") == 0)
		return cconf_arg(ps, "a migration URI template", m->migrate_uri,
		    sizeof(m->migrate_uri));
	if (strcmp(kw, "timeout") == 0)
		return cc_duration(ps, "timeout", 1000, 86400000, &m->timeout_ms);
	if (strcmp(kw, "uri") == 0)
		return cc_dest_uri(ps, m->uri, sizeof(m->uri));
	return cconf_error(ps, "unknown keyword \"%s\" in migrate { } (see "
	    "ballast-collectord(8))", kw);
}

/* Checks what follows a statement: end of line, ';', '}' or EOF. */
static int
cc_end(struct cconf_parser *ps, int read, int in_block)
{
	enum conf_tok	 t = read ? ps->lx.tok : conf_lex_next(&ps->lx);
	char		 found[64];

	if (t == CONF_T_ERROR)
		return cconf_error(ps, "%s", ps->lx.err);
	if (t == CONF_T_EOL || t == CONF_T_SEMI || t == CONF_T_EOF ||
	    (in_block && t == CONF_T_RBRACE))
		return t == CONF_T_RBRACE ? 1 : 0;
	cc_found(ps, found, sizeof(found));
	return cconf_error(ps, "expected end of line, found %s", found);
}

static int
cc_migrate(struct cconf_parser *ps)
{
	enum conf_tok	 t;
	int		 rc;

	if ((t = conf_lex_next(&ps->lx)) != CONF_T_LBRACE)
		return cconf_error(ps, "expected '{' after migrate");
	for (;;) {
		t = conf_lex_next(&ps->lx);
		if (t == CONF_T_EOL || t == CONF_T_SEMI)
			continue;
		if (t == CONF_T_RBRACE)
			return 0;
		if (t == CONF_T_ERROR)
			return cconf_error(ps, "%s", ps->lx.err);
		if (t != CONF_T_WORD)
			return cconf_error(ps, "expected a keyword or '}', found %s",
			    conf_tok_name(t));
		if ((rc = cc_migrate_stmt(ps)) < 0 ||
		    (rc = cc_end(ps, rc == 1, 1)) < 0)
			return rc;
		if (rc == 1)
			return 0;	/* '}' right after a statement */
	}
}

/* One top-level statement; the keyword table is sorted. */
static int
cc_statement(struct cconf_parser *ps)
{
	struct cconf	*c = &ps->c;
	const char	*kw = ps->lx.text;

	if (strcmp(kw, "actuator") == 0)
		return cc_actuator(ps);
	if (strcmp(kw, "balancer") == 0)
		return cconf_arg(ps, "a ZeroMQ endpoint", c->balancer,
		    sizeof(c->balancer));
	if (strcmp(kw, "balancer-key") == 0)
		return cconf_arg(ps, "a public key file", c->balancer_key,
		    sizeof(c->balancer_key));
	if (strcmp(kw, "cluster") == 0)
		return cc_cluster(ps);
	if (strcmp(kw, "connect") == 0)
		return cconf_arg(ps, "a libvirt URI", c->uri, sizeof(c->uri));
	if (strcmp(kw, "exec") == 0)
		return cconf_arg(ps, "a command template", c->exec, sizeof(c->exec));
	if (strcmp(kw, "group") == 0)
		return cc_ident(ps, "a group name", c->group, sizeof(c->group));
	if (strcmp(kw, "host-name") == 0)
		return cc_host_name(ps);
	if (strcmp(kw, "host-uuid") == 0)
		return cc_host_uuid(ps);
	if (strcmp(kw, "insecure") == 0) {
		c->insecure = 1;
		return 0;
	}
	if (strcmp(kw, "interval") == 0)
		return cc_duration(ps, "interval", 100, 3600000, &c->interval_ms);
	if (strcmp(kw, "key") == 0)
		return cconf_arg(ps, "a secret key file", c->key, sizeof(c->key));
	if (strcmp(kw, "log-level") == 0)
		return cc_log_level(ps);
	if (strcmp(kw, "migrate") == 0)
		return cc_migrate(ps);
	if (strcmp(kw, "nic") == 0)
		return cconf_arg(ps, "an interface name", c->nic, sizeof(c->nic));
	if (strcmp(kw, "nic-speed") == 0)
		return cc_nic_speed(ps);
	if (strcmp(kw, "pcap") == 0)
		return cconf_pcap_stmt(ps);
	if (strcmp(kw, "refresh") == 0)
		return cc_duration(ps, "refresh", 1000, 86400000, &c->refresh_ms);
	if (strcmp(kw, "stats-timeout") == 0)
		return cc_duration(ps, "stats-timeout", 10, 600000,
		    &c->stats_timeout_ms);
	if (strcmp(kw, "user") == 0)
		return cc_ident(ps, "a user name", c->user, sizeof(c->user));
	return cconf_error(ps, "unknown keyword \"%s\" (see ballast-collectord(8))",
	    kw);
}

int
cconf_parse(const char *file, const char *text, size_t len, struct cconf *out,
    char *err, size_t errlen)
{
	struct cconf_parser	 ps;
	enum conf_tok		 t;
	int			 rc;

	memset(&ps, 0, sizeof(ps));
	cconf_defaults(&ps.c);
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
			return cconf_error(&ps, "%s", ps.lx.err);
		if (t != CONF_T_WORD)
			return cconf_error(&ps, "expected a keyword, found %s",
			    conf_tok_name(t));
		if ((rc = cc_statement(&ps)) < 0 ||
		    (rc = cc_end(&ps, rc == 1, 0)) < 0)
			return rc;
		if (ps.lx.tok == CONF_T_EOF)
			break;
	}
	*out = ps.c;
	return 0;
}

int
cconf_load(const char *path, struct cconf *out, char *err, size_t errlen)
{
	char	*buf;
	size_t	 len;
	int	 rc;

	if ((rc = conf_file_read(path, &buf, &len, err, errlen)) < 0)
		return rc;
	rc = cconf_parse(path, buf, len, out, err, errlen);
	free(buf);
	return rc;
}

int
cconf_check(struct cconf *c, char *err, size_t errlen)
{
	int	 rc;

	if (c->stats_timeout_ms == 0)
		c->stats_timeout_ms = c->interval_ms / 4 < 2000 ?
		    (c->interval_ms / 4 < 10 ? 10 : c->interval_ms / 4) : 2000;
	if (c->actuator == CCONF_ACT_EXEC && c->exec[0] == '\0') {
		snprintf(err, errlen, "actuator exec needs an exec \"COMMAND\" "
		    "template");
		return -EINVAL;
	}
	if (c->stats_timeout_ms >= c->interval_ms) {
		snprintf(err, errlen, "stats-timeout (%u ms) must be shorter "
		    "than the interval (%u ms)", c->stats_timeout_ms,
		    c->interval_ms);
		return -EINVAL;
	}
	if (strncmp(c->balancer, "tcp://", 6) != 0 &&
	    strncmp(c->balancer, "ipc://", 6) != 0) {
		snprintf(err, errlen, "balancer is tcp://HOST:PORT or "
		    "ipc://PATH, not \"%s\"", c->balancer);
		return -EINVAL;
	}
	if ((c->balancer_key[0] != '\0') != (c->key[0] != '\0')) {
		snprintf(err, errlen, "CURVE wants both balancer-key \"FILE\" "
		    "and key \"FILE\" (ballastctl keygen makes keys)");
		return -EINVAL;
	}
	if ((rc = zcurve_check_plain(c->balancer, c->key[0] != '\0',
	    c->insecure, "balancer", err, errlen)) < 0)
		return rc;
	return cconf_pcap_check(&c->pcap, err, errlen);
}

void
cconf_append(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list	 ap;
	int	 k;

	if (*n >= len)
		return;
	va_start(ap, fmt);
	k = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	if (k > 0)
		*n += (size_t)k < len - *n ? (size_t)k : len - *n;
}

static void
cc_print_migrate(const struct cconf_migrate *m, char *buf, size_t len,
    size_t *n)
{
	char	 q[sizeof(m->uri) * 2 + 3];
	size_t	 i;

	conf_file_quote(m->uri, q, sizeof(q));
	cconf_append(buf, len, n, "migrate {\n\turi %s\n", q);
	if (m->migrate_uri[0] != '\0') {
		conf_file_quote(m->migrate_uri, q, sizeof(q));
		cconf_append(buf, len, n, "\tmigrate-uri %s\n", q);
	}
	if (m->listen[0] != '\0')
		cconf_append(buf, len, n, "\tlisten-address %s\n", m->listen);
	cconf_append(buf, len, n, "\tflags");
	for (i = 0; i < NFLAGS; i++)
		if (m->flags & cconf_flags[i].flag)
			cconf_append(buf, len, n, " %s", cconf_flags[i].name);
	cconf_append(buf, len, n, "\n\tbandwidth %llu\n\tmax-downtime %u ms\n"
	    "\ttimeout %u ms\n}\n", (unsigned long long)m->bandwidth,
	    m->max_downtime_ms, m->timeout_ms);
}

void
cconf_print(const struct cconf *c, char *buf, size_t len)
{
	static const char *const lv[] = { "warn", "info", "debug" };
	static const char *const act[] = { "libvirt", "exec", "none" };
	char	 q[sizeof(c->exec) * 2 + 3], id[UTIL_UUID_STRLEN];
	size_t	 n = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	conf_file_quote(c->uri, q, sizeof(q));
	cconf_append(buf, len, &n, "connect %s\n", q);
	conf_file_quote(c->balancer, q, sizeof(q));
	cconf_append(buf, len, &n, "balancer %s\n", q);
	if (c->balancer_key[0] != '\0') {
		conf_file_quote(c->balancer_key, q, sizeof(q));
		cconf_append(buf, len, &n, "balancer-key %s\n", q);
		conf_file_quote(c->key, q, sizeof(q));
		cconf_append(buf, len, &n, "key %s\n", q);
	}
	if (c->insecure)
		cconf_append(buf, len, &n, "insecure\n");
	if (c->host_name[0] != '\0')
		cconf_append(buf, len, &n, "host-name %s\n", c->host_name);
	util_uuid_fmt(c->host_uuid, id);
	if (c->has_uuid)
		cconf_append(buf, len, &n, "host-uuid %s\n", id);
	if (c->cluster[0] != '\0')
		cconf_append(buf, len, &n, "cluster %s\n", c->cluster);
	cconf_append(buf, len, &n, "interval %u ms\n", c->interval_ms);
	if (c->stats_timeout_ms != 0)	/* 0: not settled by cconf_check yet */
		cconf_append(buf, len, &n, "stats-timeout %u ms\n",
		    c->stats_timeout_ms);
	cconf_append(buf, len, &n, "refresh %u ms\n", c->refresh_ms);
	if (c->nic[0] != '\0')
		cconf_append(buf, len, &n, "nic %s\n", c->nic);
	cconf_append(buf, len, &n, "nic-speed %llu mbit\nlog-level %s\n"
	    "actuator %s\n", (unsigned long long)(c->nic_bps / 1000000),
	    lv[c->log_level >= 0 && c->log_level <= 2 ? c->log_level : 1],
	    act[c->actuator <= CCONF_ACT_NONE ? c->actuator : 0]);
	if (c->exec[0] != '\0') {
		conf_file_quote(c->exec, q, sizeof(q));
		cconf_append(buf, len, &n, "exec %s\n", q);
	}
	if (c->user[0] != '\0') {
		conf_file_quote(c->user, q, sizeof(q));
		cconf_append(buf, len, &n, "user %s\n", q);
	}
	if (c->group[0] != '\0') {
		conf_file_quote(c->group, q, sizeof(q));
		cconf_append(buf, len, &n, "group %s\n", q);
	}
	cc_print_migrate(&c->mig, buf, len, &n);
	cconf_pcap_print(&c->pcap, buf, len, &n);
}
