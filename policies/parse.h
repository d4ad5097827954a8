/* SPDX-License-Identifier: ISC */
/*
 * parse: the policy parser's internals, shared by parse.c (the file,
 * the settings) and parse_rule.c (rules, pins, maintenance).  Not part
 * of the policy API: see policy.h.
 *
 * Every pp_ function that fails has written "file:line:col: what is
 * wrong" to the caller's buffer and returns -EINVAL; a token reader
 * leaves the token it read in pp->lx (text, tline, tcol).
 */
#ifndef BALLAST_POLICY_PARSE_H
#define BALLAST_POLICY_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "conf_lex.h"
#include "policy.h"

/* A place in the file; line 0 for a setting left at its default. */
struct pp_pos {
	int		 line, col;
};

struct pp {
	struct conf_lex	 lx;
	struct policy	*p;		/* being filled; the caller's *out
					   only on success */
	char		*err;
	size_t		 errlen;
	int		 unread;	/* give lx's token again */
	struct pp_pos	 hot_at[POLICY_NRES];	/* where each level was set */
	struct pp_pos	 cool_at[POLICY_NRES];
	int		 window_line[POLICY_MAX_WINDOWS];
};

/* A keyword and the function that reads the rest of its statement. */
struct pp_kw {
	const char	*name;
	int		(*fn)(struct pp *);
};

int	pp_error(struct pp *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	pp_error_at(struct pp *, struct pp_pos, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* The position of the current token. */
struct pp_pos pp_here(const struct pp *);

/* The next token (or the current one again after pp_unread). */
enum conf_tok pp_next(struct pp *);
void	pp_unread(struct pp *);
/* "expected <what>, found <the current token>" (or the lexer's error). */
int	pp_expected(struct pp *, const char *what);
/* Reads a word (a value), else "expected <what>". */
int	pp_value(struct pp *, const char *what);
/* Reads exactly the keyword `word`. */
int	pp_word(struct pp *, const char *word);
/* Reads one of words[0..n): returns its index. */
int	pp_choice(struct pp *, const char *what, const char *const *words,
	    size_t n);

/* A plain decimal number from lo to hi, into *out. */
int	pp_number(struct pp *, const char *what, double lo, double hi,
	    double *out);
/* A rate ("100MiB/s") from lo to hi bytes/s, into *out. */
int	pp_rate(struct pp *, const char *what, uint64_t lo, uint64_t hi,
	    uint64_t *out);

/* The statements of parse_rule.c; the keyword is the current token. */
int	pp_rule(struct pp *);
int	pp_pin(struct pp *);
int	pp_maintenance(struct pp *);
int	pp_keep_together(struct pp *);

#endif
