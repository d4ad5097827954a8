/* SPDX-License-Identifier: ISC */
/*
 * policy_parse(): the policy grammar (ballast.policy(5)) over the
 * conf_lex tokenizer.  One statement per line (or after ';'); the
 * imbalance and migration settings may also stand in a { } block.
 * Values are checked where they are read; what depends on several
 * statements (hot above cool) is checked at the end.  The rule
 * statements are in parse_rule.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "units.h"
#include "util.h"

#define DAY_MIN		(24 * 60)

static const char *const pp_res_words[POLICY_NRES] = {
	"cpu", "mem", "net", "disk"
};
#define PP_RES_WHAT	"a resource (cpu, mem, net or disk)"

static const char *const pp_mode_words[] = { "manual", "approve", "automatic" };
#define PP_MODE_WHAT	"a mode (manual, approve or automatic)"

/* Formats "file:line:col: message" into the caller's buffer. */
static int
pp_verror_at(struct pp *pp, struct pp_pos at, const char *fmt, va_list ap)
{
	char	 msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(pp->err, pp->errlen, "%s:%d:%d: %s", pp->lx.file, at.line,
	    at.col, msg);
	return -EINVAL;
}

int
pp_error_at(struct pp *pp, struct pp_pos at, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = pp_verror_at(pp, at, fmt, ap);
	va_end(ap);
	return rc;
}

int
pp_error(struct pp *pp, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = pp_verror_at(pp, pp_here(pp), fmt, ap);
	va_end(ap);
	return rc;
}

struct pp_pos
pp_here(const struct pp *pp)
{
	struct pp_pos	 at;

	at.line = pp->lx.tline;
	at.col = pp->lx.tcol;
	return at;
}

enum conf_tok
pp_next(struct pp *pp)
{
	if (pp->unread) {
		pp->unread = 0;
		return pp->lx.tok;
	}
	return conf_lex_next(&pp->lx);
}

void
pp_unread(struct pp *pp)
{
	pp->unread = 1;
}

int
pp_expected(struct pp *pp, const char *what)
{
	switch (pp->lx.tok) {
	case CONF_T_ERROR:
		return pp_error(pp, "%s", pp->lx.err);
	case CONF_T_WORD:
		return pp_error(pp, "expected %s, found \"%.100s\"", what,
		    pp->lx.text);
	case CONF_T_STRING:
		return pp_error(pp, "expected %s, found the string \"%.100s\"",
		    what, pp->lx.text);
	default:
		return pp_error(pp, "expected %s, found %s", what,
		    conf_tok_name(pp->lx.tok));
	}
}

int
pp_value(struct pp *pp, const char *what)
{
	return pp_next(pp) == CONF_T_WORD ? 0 : pp_expected(pp, what);
}

int
pp_word(struct pp *pp, const char *word)
{
	char	 what[64];

	if (pp_next(pp) == CONF_T_WORD && strcmp(pp->lx.text, word) == 0)
		return 0;
	snprintf(what, sizeof(what), "\"%s\"", word);
	return pp_expected(pp, what);
}

int
pp_choice(struct pp *pp, const char *what, const char *const *words,
    size_t n)
{
	size_t	 i;
	int	 rc;

	if ((rc = pp_value(pp, what)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		if (strcmp(pp->lx.text, words[i]) == 0)
			return (int)i;
	return pp_expected(pp, what);
}

/* A percentage from lo to hi (in per cent) as a fraction. */
static int
pp_percent(struct pp *pp, const char *what, double lo, double hi,
    double *out)
{
	double	 v;
	int	 rc;

	if ((rc = pp_value(pp, "a percentage such as 80%")) < 0)
		return rc;
	rc = units_parse_percent(pp->lx.text, &v);
	if (rc == -EINVAL)
		return pp_expected(pp, "a percentage such as 80%");
	if (rc < 0 || v * 100.0 < lo || v * 100.0 > hi)
		return pp_error(pp, "%s must be from %g%% to %g%%, not \"%s\"",
		    what, lo, hi, pp->lx.text);
	*out = v;
	return 0;
}

/* A duration from lo to hi milliseconds; ms only when allow_ms. */
static int
pp_duration(struct pp *pp, const char *what, int allow_ms, uint64_t lo,
    uint64_t hi, uint64_t *out)
{
	const char	*units = allow_ms ? "ms, s, m, h or d" : "s, m, h or d";
	const char	*eg = allow_ms ? "500ms or 2s" : "30s or 5m";
	char		 form[64], a[UNITS_BUF], b[UNITS_BUF];
	uint64_t	 ms;
	int		 rc;

	snprintf(form, sizeof(form), "a duration such as %s", eg);
	if ((rc = pp_value(pp, form)) < 0)
		return rc;
	rc = units_parse_duration(pp->lx.text, allow_ms, &ms);
	if (rc == -EINVAL && !allow_ms &&
	    units_parse_duration(pp->lx.text, 1, &ms) == 0)
		return pp_error(pp, "%s is in whole seconds: write s, m, h or "
		    "d, not \"%s\"", what, pp->lx.text);
	if (rc == -EINVAL)
		return pp_error(pp, "bad duration \"%s\": write a whole number "
		    "and a unit (%s), such as %s", pp->lx.text, units, eg);
	if (rc < 0 || ms < lo || ms > hi) {
		units_fmt_duration(lo, a, sizeof(a));
		units_fmt_duration(hi, b, sizeof(b));
		return pp_error(pp, "%s must be from %s to %s, not \"%s\"",
		    what, a, b, pp->lx.text);
	}
	*out = ms;
	return 0;
}

/* A duration in whole seconds, from lo_s to hi_s. */
static int
pp_seconds(struct pp *pp, const char *what, unsigned lo_s, unsigned hi_s,
    unsigned *out)
{
	uint64_t	 ms;
	int		 rc;

	if ((rc = pp_duration(pp, what, 0, (uint64_t)lo_s * 1000,
	    (uint64_t)hi_s * 1000, &ms)) < 0)
		return rc;
	*out = (unsigned)(ms / 1000);
	return 0;
}

/* A whole number from lo to hi. */
static int
pp_count(struct pp *pp, const char *what, int64_t lo, int64_t hi,
    unsigned *out)
{
	int64_t	 v;
	int	 rc;

	if ((rc = pp_value(pp, "a whole number")) < 0)
		return rc;
	if (util_parse_i64(pp->lx.text, lo, hi, &v) < 0)
		return pp_error(pp, "%s must be a whole number from %lld to "
		    "%lld, not \"%s\"", what, (long long)lo, (long long)hi,
		    pp->lx.text);
	*out = (unsigned)v;
	return 0;
}

/* A plain decimal number from lo to hi. */
int
pp_number(struct pp *pp, const char *what, double lo, double hi,
    double *out)
{
	double	 v;
	int	 rc;

	if ((rc = pp_value(pp, "a number")) < 0)
		return rc;
	if (units_parse_number(pp->lx.text, &v) < 0 || v < lo || v > hi)
		return pp_error(pp, "%s must be a number from %g to %g, not "
		    "\"%s\"", what, lo, hi, pp->lx.text);
	*out = v;
	return 0;
}

static int
pp_resource(struct pp *pp)
{
	return pp_choice(pp, PP_RES_WHAT, pp_res_words, POLICY_NRES);
}

/* Runs the entry of table[0..n) named by the current word. */
static int
pp_dispatch(struct pp *pp, const struct pp_kw *table, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(pp->lx.text, table[i].name) == 0)
			return table[i].fn(pp);
	return -ENOENT;
}

/* Reads a mode into *out. */
static int
pp_read_mode(struct pp *pp, enum policy_mode *out)
{
	int	 m;

	if ((m = pp_choice(pp, PP_MODE_WHAT, pp_mode_words, 3)) < 0)
		return m;
	*out = (enum policy_mode)m;
	return 0;
}

static int
pp_mode(struct pp *pp)
{
	return pp_read_mode(pp, &pp->p->mode);
}

static int
pp_window_has(const struct policy_window *w, unsigned min)
{
	if (w->from_min <= w->to_min)
		return min >= w->from_min && min < w->to_min;
	return min >= w->from_min || min < w->to_min;
}

/* The line of a window that shares a minute with w, or 0. */
static int
pp_window_overlap(const struct pp *pp, const struct policy_window *w)
{
	unsigned	 m;
	size_t		 i;

	for (i = 0; i < pp->p->nwindows; i++)
		for (m = 0; m < DAY_MIN; m++)
			if (pp_window_has(w, m) &&
			    pp_window_has(&pp->p->windows[i], m))
				return pp->window_line[i];
	return 0;
}

static int
pp_window(struct pp *pp)
{
	struct policy_window	 w;
	int			 m, line = pp->lx.tline;

	if (pp->p->nwindows >= POLICY_MAX_WINDOWS)
		return pp_error(pp, "too many windows: at most %d",
		    POLICY_MAX_WINDOWS);
	if ((m = pp_value(pp, "a window such as 22:00-06:00")) < 0)
		return m;
	if (units_parse_window(pp->lx.text, &w.from_min, &w.to_min) < 0)
		return pp_error(pp, "bad window \"%s\": write HH:MM-HH:MM, "
		    "from 00:00 to 24:00, such as 22:00-06:00", pp->lx.text);
	if (w.from_min == w.to_min)
		return pp_error(pp, "window %s is empty: for the whole day "
		    "write 00:00-24:00", pp->lx.text);
	if ((m = pp_window_overlap(pp, &w)) != 0)
		return pp_error(pp, "window %s overlaps the window at line %d: "
		    "windows must not overlap", pp->lx.text, m);
	if ((m = pp_read_mode(pp, &w.mode)) < 0)
		return m;
	pp->window_line[pp->p->nwindows] = line;
	pp->p->windows[pp->p->nwindows++] = w;
	return 0;
}

static int
pp_interval(struct pp *pp)
{
	return pp_seconds(pp, "interval", 5, 3600, &pp->p->interval_s);
}

/*
 * "above PCT for DURATION" ("below" for cool) or "off" into *th, which
 * the caller has zeroed; *at is where the level (or off) stands.
 */
static int
pp_level(struct pp *pp, const char *what, int hot,
    struct policy_threshold *th, struct pp_pos *at)
{
	const char	*cmp = hot ? "above" : "below";
	char		 expect[32];
	uint64_t	 ms;
	int		 rc;

	if (pp_next(pp) == CONF_T_ERROR && pp->lx.p < pp->lx.end &&
	    (*pp->lx.p == '>' || *pp->lx.p == '<'))
		return pp_error(pp, "write \"%s\", not '%c', as in: %s %s 80%% "
		    "for 5m", cmp, *pp->lx.p, what, cmp);
	*at = pp_here(pp);
	if (pp->lx.tok == CONF_T_WORD && strcmp(pp->lx.text, "off") == 0)
		return 0;
	snprintf(expect, sizeof(expect), "\"%s\" or \"off\"", cmp);
	if (pp->lx.tok != CONF_T_WORD || strcmp(pp->lx.text, cmp) != 0)
		return pp_expected(pp, expect);
	if ((rc = pp_percent(pp, what, hot ? 1 : 0, hot ? 100 : 99,
	    &th->level)) < 0)
		return rc;
	*at = pp_here(pp);
	if ((rc = pp_word(pp, "for")) < 0 ||
	    (rc = pp_duration(pp, what, 0, 0, 86400000, &ms)) < 0)
		return rc;
	th->set = 1;
	th->for_s = (unsigned)(ms / 1000);
	return 0;
}

/* hot RES above PCT for DURATION | hot RES off; and cool ... below. */
static int
pp_threshold(struct pp *pp, int hot)
{
	struct policy_threshold	 th = { 0, 0.0, 0 };
	struct pp_pos		 at;
	char			 what[32];
	int			 r, rc;

	if ((r = pp_resource(pp)) < 0)
		return r;
	snprintf(what, sizeof(what), "%s %s", hot ? "hot" : "cool",
	    pp_res_words[r]);
	if ((rc = pp_level(pp, what, hot, &th, &at)) < 0)
		return rc;
	if (hot) {
		pp->p->hot[r] = th;
		pp->hot_at[r] = at;
	} else {
		pp->p->cool[r] = th;
		pp->cool_at[r] = at;
	}
	return 0;
}

static int
pp_hot(struct pp *pp)
{
	return pp_threshold(pp, 1);
}

static int
pp_cool(struct pp *pp)
{
	return pp_threshold(pp, 0);
}

static int
pp_headroom(struct pp *pp)
{
	int	 r;

	if ((r = pp_resource(pp)) < 0)
		return r;
	if (r != POLICY_MEM)
		return pp_error(pp, "only memory has a headroom: write "
		    "\"headroom mem 10%%\" (for %s, see \"reserve\")",
		    pp_res_words[r]);
	return pp_percent(pp, "headroom mem", 0, 50, &pp->p->mem_headroom);
}

static int
pp_weight(struct pp *pp)
{
	char	 what[32];
	int	 r;

	if ((r = pp_resource(pp)) < 0)
		return r;
	snprintf(what, sizeof(what), "weight %s", pp_res_words[r]);
	return pp_number(pp, what, 0, 100, &pp->p->weight[r]);
}

static int
pp_target(struct pp *pp)
{
	return pp_number(pp, "target", 0.01, 1, &pp->p->imbalance_target);
}

static int
pp_min_benefit(struct pp *pp)
{
	return pp_number(pp, "min-benefit", 0, 1, &pp->p->min_benefit);
}

int
pp_rate(struct pp *pp, const char *what, uint64_t lo, uint64_t hi,
    uint64_t *out)
{
	char		 los[UNITS_BUF], his[UNITS_BUF];
	uint64_t	 v;
	int		 rc;

	if ((rc = pp_value(pp, "a rate such as 1GiB/s or 100MiB/s")) < 0)
		return rc;
	rc = units_parse_rate(pp->lx.text, &v);
	if (rc == -EINVAL)
		return pp_error(pp, "bad rate \"%s\": write a whole number, a "
		    "unit (KiB, MiB, GiB or TiB) and /s, such as 1GiB/s",
		    pp->lx.text);
	units_fmt_rate(lo, los, sizeof(los));
	units_fmt_rate(hi, his, sizeof(his));
	if (rc < 0 || v < lo || v > hi)
		return pp_error(pp, "%s must be from %s to %s, not \"%s\"",
		    what, los, his, pp->lx.text);
	*out = v;
	return 0;
}

static int
pp_bandwidth(struct pp *pp)
{
	return pp_rate(pp, "bandwidth", (uint64_t)1 << 20, (uint64_t)1 << 40,
	    &pp->p->bandwidth);
}

static int
pp_max_downtime(struct pp *pp)
{
	uint64_t	 ms;
	int		 rc;

	if ((rc = pp_duration(pp, "max-downtime", 1, 10, 30000, &ms)) < 0)
		return rc;
	pp->p->max_downtime_ms = (unsigned)ms;
	return 0;
}

static int
pp_per_pass(struct pp *pp)
{
	return pp_count(pp, "per-pass", 1, 100, &pp->p->per_pass);
}

static int
pp_per_host(struct pp *pp)
{
	return pp_count(pp, "per-host", 1, 16, &pp->p->per_host);
}

static int
pp_cooldown(struct pp *pp)
{
	return pp_seconds(pp, "cooldown", 0, 7 * 86400, &pp->p->cooldown_s);
}

static int
pp_timeout(struct pp *pp)
{
	return pp_seconds(pp, "timeout", 10, 86400, &pp->p->timeout_s);
}

static int
pp_retries(struct pp *pp)
{
	return pp_count(pp, "retries", 0, 10, &pp->p->retries);
}

static int
pp_make_room(struct pp *pp)
{
	int	 rc;

	if ((rc = pp_value(pp, "on or off")) < 0)
		return rc;
	if (strcmp(pp->lx.text, "on") != 0 && strcmp(pp->lx.text, "off") != 0)
		return pp_error(pp, "make-room must be on or off, not \"%s\"",
		    pp->lx.text);
	pp->p->make_room = strcmp(pp->lx.text, "on") == 0;
	return 0;
}

static int
pp_peak_weight(struct pp *pp)
{
	return pp_number(pp, "peak-weight", 0, 10, &pp->p->peak_weight);
}

static int
pp_partial_headroom(struct pp *pp)
{
	return pp_percent(pp, "partial-headroom", 0, 50,
	    &pp->p->partial_headroom);
}

/* A block keyword and its settings. */
struct pp_block {
	const char		*name;
	const struct pp_kw	*items;
	size_t			 n;
	const char		*setting;	/* "an imbalance setting" */
	const char		*names;		/* for messages */
};

static int
pp_item(struct pp *pp, const struct pp_block *b)
{
	int	 rc;

	if ((rc = pp_dispatch(pp, b->items, b->n)) == -ENOENT)
		return pp_error(pp, "unknown %s setting \"%s\" (%s)", b->name,
		    pp->lx.text, b->names);
	return rc;
}

/*
 * The settings of a block keyword: one after the keyword, or any
 * number in { }, separated by blanks, newlines or ';'.
 */
static int
pp_settings(struct pp *pp, const struct pp_block *b)
{
	enum conf_tok	 t = pp_next(pp);
	char		 what[160];
	int		 line = pp->lx.tline, rc;

	if (t == CONF_T_WORD)
		return pp_item(pp, b);
	snprintf(what, sizeof(what), "%s (%s) or '%c'", b->setting, b->names,
	    t == CONF_T_LBRACE ? '}' : '{');
	if (t != CONF_T_LBRACE)
		return pp_expected(pp, what);
	for (;;) {
		t = pp_next(pp);
		if (t == CONF_T_EOL || t == CONF_T_SEMI)
			continue;
		if (t == CONF_T_RBRACE)
			return 0;
		if (t == CONF_T_EOF)
			return pp_error(pp, "the %s block opened at line %d "
			    "has no '}'", b->name, line);
		if (t != CONF_T_WORD)
			return pp_expected(pp, what);
		if ((rc = pp_item(pp, b)) < 0)
			return rc;
	}
}

static int
pp_imbalance(struct pp *pp)
{
	static const struct pp_kw items[] = {
		{ "min-benefit", pp_min_benefit },
		{ "target", pp_target },
		{ "weight", pp_weight },
	};
	static const struct pp_block b = { "imbalance", items, 3,
	    "an imbalance setting", "weight, target or min-benefit" };

	return pp_settings(pp, &b);
}

static int
pp_migration(struct pp *pp)
{
	static const struct pp_kw items[] = {
		{ "bandwidth", pp_bandwidth },
		{ "cooldown", pp_cooldown },
		{ "make-room", pp_make_room },
		{ "max-downtime", pp_max_downtime },
		{ "per-host", pp_per_host },
		{ "per-pass", pp_per_pass },
		{ "retries", pp_retries },
		{ "timeout", pp_timeout },
	};
	static const struct pp_block b = { "migration", items, 8,
	    "a migration setting", "bandwidth, max-downtime, per-pass, "
	    "per-host, cooldown, timeout, retries or make-room" };

	return pp_settings(pp, &b);
}

/* Blocks of one setting so far. */
static const struct pp_kw relief_items[] = {
	{ "partial-headroom", pp_partial_headroom },
};
static const struct pp_block relief_block = { "relief", relief_items, 1,
    "a relief setting", "partial-headroom" };
static const struct pp_kw risk_items[] = {
	{ "peak-weight", pp_peak_weight },
};
static const struct pp_block risk_block = { "risk", risk_items, 1,
    "a risk setting", "peak-weight" };

static int
pp_relief(struct pp *pp)
{
	return pp_settings(pp, &relief_block);
}

static int
pp_risk(struct pp *pp)
{
	return pp_settings(pp, &risk_block);
}

static int
pp_reserve(struct pp *pp)
{
	static const char *const what = "n+0, n+1 or " PP_RES_WHAT;
	char	 pct[32];
	int	 r, rc;

	if ((rc = pp_value(pp, what)) < 0)
		return rc;
	if (strcmp(pp->lx.text, "n+0") == 0 ||
	    strcmp(pp->lx.text, "n+1") == 0) {
		pp->p->reserve_n1 = pp->lx.text[2] == '1';
		return 0;
	}
	for (r = 0; r < POLICY_NRES; r++)
		if (strcmp(pp->lx.text, pp_res_words[r]) == 0)
			break;
	if (r == POLICY_NRES)
		return pp_expected(pp, what);
	snprintf(pct, sizeof(pct), "reserve %s", pp_res_words[r]);
	return pp_percent(pp, pct, 0, 50, &pp->p->reserve[r]);
}

/* Where cool is not below hot: at whichever of the two came last. */
static int
pp_check_levels(struct pp *pp, int r)
{
	const struct policy_threshold	*h = &pp->p->hot[r];
	const struct policy_threshold	*c = &pp->p->cool[r];
	struct pp_pos			 ha = pp->hot_at[r];
	struct pp_pos			 ca = pp->cool_at[r];
	char				 hp[UNITS_BUF], cp[UNITS_BUF];
	const char			*res = pp_res_words[r];

	if (!h->set || !c->set || c->level < h->level)
		return 0;
	units_fmt_percent(h->level, hp, sizeof(hp));
	units_fmt_percent(c->level, cp, sizeof(cp));
	if (ca.line != 0 && (ha.line == 0 || ca.line > ha.line ||
	    (ca.line == ha.line && ca.col > ha.col)))
		return pp_error_at(pp, ca, "cool %s %s must be below hot %s "
		    "%s%s", res, cp, res, hp, ha.line == 0 ? " (the default)" :
		    "");
	return pp_error_at(pp, ha, "hot %s %s must be above cool %s %s%s",
	    res, hp, res, cp, ca.line == 0 ? " (the default)" : "");
}

/* A statement ends at a newline, ';' or the end of the file. */
static int
pp_end(struct pp *pp)
{
	enum conf_tok	 t = pp_next(pp);

	if (t == CONF_T_EOL || t == CONF_T_SEMI || t == CONF_T_EOF)
		return 0;
	return pp_expected(pp, "end of line");
}

static int
pp_statement(struct pp *pp)
{
	static const struct pp_kw statements[] = {
		{ "cool", pp_cool },
		{ "headroom", pp_headroom },
		{ "hot", pp_hot },
		{ "imbalance", pp_imbalance },
		{ "interval", pp_interval },
		{ "keep-together", pp_keep_together },
		{ "maintenance", pp_maintenance },
		{ "migration", pp_migration },
		{ "mode", pp_mode },
		{ "pin", pp_pin },
		{ "relief", pp_relief },
		{ "reserve", pp_reserve },
		{ "risk", pp_risk },
		{ "rule", pp_rule },
		{ "window", pp_window },
	};
	int	 rc;

	rc = pp_dispatch(pp, statements, sizeof(statements) /
	    sizeof(statements[0]));
	if (rc == -ENOENT)
		return pp_error(pp, "unknown keyword \"%s\" (see "
		    "ballast.policy(5))", pp->lx.text);
	return rc < 0 ? rc : pp_end(pp);
}

static int
pp_file(struct pp *pp)
{
	enum conf_tok	 t;
	int		 r, rc;

	while ((t = pp_next(pp)) != CONF_T_EOF) {
		if (t == CONF_T_EOL || t == CONF_T_SEMI)
			continue;
		if (t != CONF_T_WORD)
			return pp_expected(pp, "a keyword");
		if ((rc = pp_statement(pp)) < 0)
			return rc;
	}
	for (r = 0; r < POLICY_NRES; r++)
		if ((rc = pp_check_levels(pp, r)) < 0)
			return rc;
	return 0;
}

int
policy_parse(const char *file, const char *text, size_t len,
    struct policy *out, char *err, size_t errlen)
{
	struct pp	 pp;
	int		 rc;

	memset(&pp, 0, sizeof(pp));
	if ((pp.p = malloc(sizeof(*pp.p))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", file);
		return -ENOMEM;
	}
	policy_defaults(pp.p);
	pp.err = err;
	pp.errlen = errlen;
	conf_lex_init(&pp.lx, file, text, len);
	if ((rc = pp_file(&pp)) == 0)
		*out = *pp.p;
	free(pp.p);
	return rc;
}
