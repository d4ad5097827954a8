/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "conf_file.h"
#include "conf_snmp.h"
#include "util.h"

static int
cs_error(char *msg, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
cs_error(char *msg, size_t len, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int
cs_arg(struct conf_lex *lx, const char *what, char *buf, size_t len,
    char *msg, size_t mlen)
{
	enum conf_tok	 t = conf_lex_next(lx);

	if (t == CONF_T_ERROR)
		return cs_error(msg, mlen, "%s", lx->err);
	if (t != CONF_T_WORD && t != CONF_T_STRING)
		return cs_error(msg, mlen, "expected %s, found %s", what,
		    conf_tok_name(t));
	if (util_strlcpy(buf, lx->text, len) >= len)
		return cs_error(msg, mlen, "%s is too long (at most %zu "
		    "characters)", what, len - 1);
	return 0;
}

static int
cs_word(struct conf_lex *lx, const char *want, char *msg, size_t mlen)
{
	char	 buf[32];
	int	 rc;

	if ((rc = cs_arg(lx, want, buf, sizeof(buf), msg, mlen)) < 0)
		return rc;
	if (strcmp(buf, want) != 0)
		return cs_error(msg, mlen, "expected \"%s\", found \"%s\"",
		    want, buf);
	return 0;
}

static int
cs_pass(struct conf_lex *lx, const char *what, char *buf, size_t len,
    char *msg, size_t mlen)
{
	int	 rc;

	if ((rc = cs_arg(lx, what, buf, len, msg, mlen)) < 0)
		return rc;
	if (strlen(buf) < 8)
		return cs_error(msg, mlen, "%s must be at least 8 characters "
		    "(RFC 3414)", what);
	return 0;
}

/* user "U" auth sha|sha256 "PASS" priv aes "PASS" */
static int
cs_usm(struct conf_lex *lx, struct snmptrap_sink *k, char *msg, size_t mlen)
{
	char	 buf[32];
	int	 rc;

	k->version = 3;
	if ((rc = cs_arg(lx, "a user name", k->user, sizeof(k->user), msg,
	    mlen)) < 0 || (rc = cs_word(lx, "auth", msg, mlen)) < 0 ||
	    (rc = cs_arg(lx, "sha or sha256", buf, sizeof(buf), msg, mlen)) < 0)
		return rc;
	if (strcmp(buf, "sha") == 0)
		k->auth = SNMPTRAP_SHA;
	else if (strcmp(buf, "sha256") == 0)
		k->auth = SNMPTRAP_SHA256;
	else
		return cs_error(msg, mlen, "auth is sha or sha256, not \"%s\"",
		    buf);
	if ((rc = cs_pass(lx, "the auth passphrase", k->auth_pass,
	    sizeof(k->auth_pass), msg, mlen)) < 0 ||
	    (rc = cs_word(lx, "priv", msg, mlen)) < 0 ||
	    (rc = cs_word(lx, "aes", msg, mlen)) < 0)
		return rc;
	return cs_pass(lx, "the priv passphrase", k->priv_pass,
	    sizeof(k->priv_pass), msg, mlen);
}

/* [engine-id "HEX"] [inform], up to the end of the statement. */
static int
cs_options(struct conf_lex *lx, struct snmptrap_sink *k, char *msg,
    size_t mlen)
{
	struct conf_lex	 save;
	enum conf_tok	 t;
	uint8_t		 id[32];
	size_t		 n;
	int		 rc;

	for (;;) {
		save = *lx;
		t = conf_lex_next(lx);
		if (t != CONF_T_WORD) {
			*lx = save;	/* the end of the statement: not ours */
			return 0;
		}
		if (strcmp(lx->text, "inform") == 0)
			k->inform = 1;
		else if (strcmp(lx->text, "engine-id") == 0 && k->version == 3) {
			if ((rc = cs_arg(lx, "an engine ID", k->engine_id,
			    sizeof(k->engine_id), msg, mlen)) < 0)
				return rc;
			if (snmptrap_parse_engine_id(k->engine_id, id,
			    sizeof(id), &n) < 0)
				return cs_error(msg, mlen, "an engine ID is 5 "
				    "to 32 octets in hex, not \"%s\"",
				    k->engine_id);
		} else
			return cs_error(msg, mlen, "unexpected \"%s\" (trap-sink "
			    "options: %sinform)", lx->text, k->version == 3 ?
			    "engine-id \"HEX\", " : "");
	}
}

static int
cs_sink(struct conf_lex *lx, struct conf_snmp *c, char *msg, size_t mlen)
{
	struct snmptrap_sink	 k;
	char			 how[32];
	int			 rc;

	memset(&k, 0, sizeof(k));
	if ((rc = cs_arg(lx, "a trap receiver address", k.addr, sizeof(k.addr),
	    msg, mlen)) < 0 || (rc = cs_arg(lx, "community or user", how,
	    sizeof(how), msg, mlen)) < 0)
		return rc;
	if (k.addr[0] == '\0')
		return cs_error(msg, mlen, "the trap receiver address is empty");
	if (strcmp(how, "community") == 0) {
		k.version = 2;
		if ((rc = cs_arg(lx, "a community", k.community,
		    sizeof(k.community), msg, mlen)) < 0)
			return rc;
	} else if (strcmp(how, "user") == 0) {
		if ((rc = cs_usm(lx, &k, msg, mlen)) < 0)
			return rc;
	} else
		return cs_error(msg, mlen, "trap-sink wants community \"NAME\" "
		    "or user \"NAME\" auth ..., not \"%s\"", how);
	if ((rc = cs_options(lx, &k, msg, mlen)) < 0)
		return rc;
	if (c->nsinks >= SNMPTRAP_MAX_SINKS)
		return cs_error(msg, mlen, "at most %d trap-sink statements",
		    SNMPTRAP_MAX_SINKS);
	c->sinks[c->nsinks++] = k;
	return 0;
}

static int
cs_number(struct conf_lex *lx, const char *what, int64_t min, int64_t max,
    unsigned *out, char *msg, size_t mlen)
{
	char	 buf[32];
	int64_t	 v;
	int	 rc;

	if ((rc = cs_arg(lx, "a number", buf, sizeof(buf), msg, mlen)) < 0)
		return rc;
	if (util_parse_i64(buf, min, max, &v) < 0)
		return cs_error(msg, mlen, "%s must be a whole number from %lld "
		    "to %lld, not \"%s\"", what, (long long)min, (long long)max,
		    buf);
	*out = (unsigned)v;
	return 0;
}

static int
cs_agentx(struct conf_lex *lx, struct conf_snmp *c, char *msg, size_t mlen)
{
	char	 buf[sizeof(c->agentx)];
	int	 rc;

	if ((rc = cs_arg(lx, "an AgentX socket or \"none\"", buf, sizeof(buf),
	    msg, mlen)) < 0)
		return rc;
	if (buf[0] == '\0')
		return cs_error(msg, mlen, "agentx-socket is empty");
	util_strlcpy(c->agentx, strcmp(buf, "none") == 0 ? "" : buf,
	    sizeof(c->agentx));
	return 0;
}

int
conf_snmp_statement(struct conf_lex *lx, struct conf_snmp *c, char *msg,
    size_t mlen)
{
	char	 kw[32];
	int	 rc;

	util_strlcpy(kw, lx->text, sizeof(kw));
	if (strcmp(kw, "trap-sink") == 0)
		rc = cs_sink(lx, c, msg, mlen);
	else if (strcmp(kw, "trap-holddown") == 0) {
		if ((rc = cs_number(lx, "trap-holddown", 0, 86400,
		    &c->holddown_s, msg, mlen)) == 0)
			rc = cs_word(lx, "seconds", msg, mlen);
	} else if (strcmp(kw, "trap-rate") == 0) {
		if ((rc = cs_number(lx, "trap-rate", 1, 100000,
		    &c->rate_per_min, msg, mlen)) == 0 &&
		    (rc = cs_word(lx, "per", msg, mlen)) == 0)
			rc = cs_word(lx, "minute", msg, mlen);
	} else if (strcmp(kw, "agentx-socket") == 0)
		rc = cs_agentx(lx, c, msg, mlen);
	else
		return 0;
	return rc < 0 ? rc : 1;
}

void
conf_snmp_defaults(struct conf_snmp *c)
{
	memset(c, 0, sizeof(*c));
	c->holddown_s = 60;
	c->rate_per_min = 120;
}

static size_t
cs_append(char *buf, size_t len, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static size_t
cs_append(char *buf, size_t len, size_t at, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (at >= len)
		return at;
	va_start(ap, fmt);
	n = vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
	return n < 0 ? at : at + (size_t)n;
}

/* One trap sink's statement, its strings quoted to read back. */
static size_t
cs_print_sink(const struct snmptrap_sink *k, char *buf, size_t len,
    size_t at)
{
	char	 addr[sizeof(k->addr) * 2 + 3], user[sizeof(k->user) * 2 + 3];
	char	 eng[sizeof(k->engine_id) * 2 + 3];

	conf_file_quote(k->addr, addr, sizeof(addr));
	if (k->version != 3)
		return cs_append(buf, len, at, "trap-sink %s community "
		    "\"(not shown)\"%s\n", addr, k->inform ? " inform" : "");
	conf_file_quote(k->user, user, sizeof(user));
	conf_file_quote(k->engine_id, eng, sizeof(eng));
	return cs_append(buf, len, at, "trap-sink %s user %s auth %s "
	    "\"(not shown)\" priv aes \"(not shown)\"%s%s%s\n", addr, user,
	    k->auth == SNMPTRAP_SHA256 ? "sha256" : "sha",
	    k->engine_id[0] ? " engine-id " : "", k->engine_id[0] ? eng : "",
	    k->inform ? " inform" : "");
}

void
conf_snmp_print(const struct conf_snmp *c, char *buf, size_t len)
{
	char	 agentx[sizeof(c->agentx) * 2 + 3];
	size_t	 at = strlen(buf), i;

	for (i = 0; i < c->nsinks; i++)
		at = cs_print_sink(&c->sinks[i], buf, len, at);
	at = cs_append(buf, len, at, "trap-holddown %u seconds\n"
	    "trap-rate %u per minute\n", c->holddown_s, c->rate_per_min);
	if (c->agentx[0] != '\0') {
		conf_file_quote(c->agentx, agentx, sizeof(agentx));
		cs_append(buf, len, at, "agentx-socket %s\n", agentx);
	} else
		cs_append(buf, len, at, "agentx-socket none\n");
}
