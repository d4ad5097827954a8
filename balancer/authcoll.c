/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authcoll.h"
#include "conf_file.h"
#include "conf_lex.h"
#include "util.h"

struct ac_parser {
	struct conf_lex	 lx;
	struct authcoll	 t;
	char		*err;
	size_t		 errlen;
};

/* A grammar error at the current token: "file:line:col: ...". */
#define ac_error(ps, ...) \
	conf_lex_error(&(ps)->lx, (ps)->err, (ps)->errlen, __VA_ARGS__)
#define ac_arg(ps, what, buf, len) \
	conf_lex_arg(&(ps)->lx, what, buf, len, 1, (ps)->err, (ps)->errlen)

static int
ac_keyword(struct ac_parser *ps, const char *kw)
{
	enum conf_tok	 t = conf_lex_next(&ps->lx);

	if (t == CONF_T_ERROR)
		return ac_error(ps, "%s", ps->lx.err);
	if (t != CONF_T_WORD || strcmp(ps->lx.text, kw) != 0)
		return ac_error(ps, "expected \"%s\", found %s%s%s", kw,
		    t == CONF_T_WORD ? "\"" : conf_tok_name(t),
		    t == CONF_T_WORD ? ps->lx.text : "",
		    t == CONF_T_WORD ? "\"" : "");
	return 0;
}

/* Is the new entry's name, key or uuid already taken? */
static int
ac_unique(struct ac_parser *ps, const struct authcoll_entry *x)
{
	const struct authcoll_entry	*e;
	size_t				 i;

	for (i = 0; i < ps->t.n; i++) {
		e = &ps->t.e[i];
		if (strcmp(e->name, x->name) == 0)
			return ac_error(ps, "collector \"%s\" is listed twice",
			    x->name);
		if (memcmp(e->key, x->key, sizeof(x->key)) == 0)
			return ac_error(ps, "the key of \"%s\" is also the key "
			    "of \"%s\": one key per collector", x->name, e->name);
		if (x->has_uuid && e->has_uuid &&
		    memcmp(e->uuid, x->uuid, 16) == 0)
			return ac_error(ps, "the uuid of \"%s\" is also the uuid "
			    "of \"%s\"", x->name, e->name);
	}
	return 0;
}

static int
ac_append(struct ac_parser *ps, const struct authcoll_entry *x)
{
	struct authcoll_entry	*ne;
	int			 rc;

	if ((rc = ac_unique(ps, x)) < 0)
		return rc;
	if (ps->t.n >= AUTHCOLL_MAX)
		return ac_error(ps, "more than %d collectors", AUTHCOLL_MAX);
	ne = reallocarray(ps->t.e, ps->t.n + 1, sizeof(*ne));
	if (ne == NULL) {
		snprintf(ps->err, ps->errlen, "%s: out of memory", ps->lx.file);
		return -ENOMEM;
	}
	ps->t.e = ne;
	ps->t.e[ps->t.n++] = *x;
	return 0;
}

/* collector "NAME" key "Z85" [uuid "UUID"] */
static int
ac_collector(struct ac_parser *ps)
{
	struct authcoll_entry	 x;
	char			 buf[CONF_TOKEN_MAX];
	enum conf_tok		 t;
	int			 rc, line = ps->lx.tline, col = ps->lx.tcol;

	memset(&x, 0, sizeof(x));
	if ((rc = ac_arg(ps, "a host name", x.name, sizeof(x.name))) < 0 ||
	    (rc = ac_keyword(ps, "key")) < 0 ||
	    (rc = ac_arg(ps, "a public key", buf, sizeof(buf))) < 0)
		return rc;
	if (zcurve_decode(buf, x.key) < 0)
		return ac_error(ps, "not a CURVE public key (%d Z85 characters, "
		    "as in a .pub file from ballastctl keygen)", ZCURVE_Z85_LEN);
	t = conf_lex_next(&ps->lx);
	if (t == CONF_T_WORD && strcmp(ps->lx.text, "uuid") == 0) {
		if ((rc = ac_arg(ps, "a host UUID", buf, sizeof(buf))) < 0)
			return rc;
		if (util_uuid_parse(buf, x.uuid) < 0)
			return ac_error(ps, "\"%s\" is not a UUID", buf);
		x.has_uuid = 1;
		t = conf_lex_next(&ps->lx);
	}
	if (t == CONF_T_ERROR)
		return ac_error(ps, "%s", ps->lx.err);
	if (t != CONF_T_EOL && t != CONF_T_EOF && t != CONF_T_SEMI)
		return ac_error(ps, "expected \"uuid\" or end of line, found %s",
		    t == CONF_T_WORD ? ps->lx.text : conf_tok_name(t));
	ps->lx.tline = line;	/* a clash is reported at its statement */
	ps->lx.tcol = col;
	return ac_append(ps, &x);
}

static int
ac_cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct authcoll_entry *)a)->name,
	    ((const struct authcoll_entry *)b)->name);
}

int
authcoll_parse(const char *file, const char *text, size_t len,
    struct authcoll *out, char *err, size_t errlen)
{
	struct ac_parser	 ps;
	enum conf_tok		 t;
	int			 rc = 0;

	memset(&ps, 0, sizeof(ps));
	ps.err = err;
	ps.errlen = errlen;
	conf_lex_init(&ps.lx, file, text, len);
	while (rc == 0 && (t = conf_lex_next(&ps.lx)) != CONF_T_EOF) {
		if (t == CONF_T_EOL || t == CONF_T_SEMI)
			continue;
		if (t == CONF_T_ERROR)
			rc = ac_error(&ps, "%s", ps.lx.err);
		else if (t != CONF_T_WORD || strcmp(ps.lx.text, "collector") != 0)
			rc = ac_error(&ps, "expected \"collector\", found %s",
			    t == CONF_T_WORD ? ps.lx.text : conf_tok_name(t));
		else
			rc = ac_collector(&ps);
	}
	if (rc < 0) {
		authcoll_clear(&ps.t);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	/* sorted by name: ingest looks a name up for every message */
	if (ps.t.n > 1)
		qsort(ps.t.e, ps.t.n, sizeof(*ps.t.e), ac_cmp_name);
	*out = ps.t;
	return 0;
}

int
authcoll_load(const char *path, struct authcoll *out, char *err,
    size_t errlen)
{
	char	*buf;
	size_t	 len;
	int	 rc;

	memset(out, 0, sizeof(*out));
	if ((rc = conf_file_read(path, &buf, &len, err, errlen)) < 0)
		return rc;
	rc = authcoll_parse(path, buf, len, out, err, errlen);
	free(buf);
	return rc;
}

void
authcoll_clear(struct authcoll *t)
{
	free(t->e);
	t->e = NULL;
	t->n = 0;
}

const struct authcoll_entry *
authcoll_by_key(const struct authcoll *t, const uint8_t key[ZCURVE_BIN_LEN])
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		if (memcmp(t->e[i].key, key, ZCURVE_BIN_LEN) == 0)
			return &t->e[i];
	return NULL;
}

const struct authcoll_entry *
authcoll_by_name(const struct authcoll *t, const char *name)
{
	struct authcoll_entry	 key;

	if (t->n == 0 || util_strlcpy(key.name, name, sizeof(key.name)) >=
	    sizeof(key.name))
		return NULL;
	return bsearch(&key, t->e, t->n, sizeof(*t->e), ac_cmp_name);
}
