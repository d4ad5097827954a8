/* SPDX-License-Identifier: ISC */
/*
 * conf_lex: the tokenizer behind ballast's configuration grammars.
 *
 * Tokens are words ([A-Za-z0-9_./:@%+-]+), "quoted strings" (with \" and
 * \\ escapes, no newline inside), '{', '}', ';' and end of line; '#'
 * starts a comment.  Every token carries its line and column, so a
 * parser can report `file:line:col: what is wrong`.
 */
#ifndef BALLAST_CONF_LEX_H
#define BALLAST_CONF_LEX_H

#include <stdarg.h>
#include <stddef.h>

enum conf_tok {
	CONF_T_EOF = 0,
	CONF_T_EOL,
	CONF_T_WORD,
	CONF_T_STRING,
	CONF_T_LBRACE,
	CONF_T_RBRACE,
	CONF_T_SEMI,
	CONF_T_ERROR
};

#define CONF_TOKEN_MAX	1024

struct conf_lex {
	const char	*file;		/* for messages */
	const char	*p, *end;
	int		 line, col;
	/* the current token */
	enum conf_tok	 tok;
	char		 text[CONF_TOKEN_MAX];
	int		 tline, tcol;
	char		 err[256];	/* why tok is CONF_T_ERROR */
};

/* Starts reading buf[0..len) (not copied: it must outlive the lexer). */
void		conf_lex_init(struct conf_lex *, const char *file,
		    const char *buf, size_t len);
/* Reads the next token into lx->tok/text; returns lx->tok. */
enum conf_tok	conf_lex_next(struct conf_lex *);
/* Names a token kind for messages ("end of line", "'{'", ...). */
const char	*conf_tok_name(enum conf_tok);

/*
 * Writes "file:line:col: message" (the current token's position) into
 * err and returns -EINVAL: what a parser returns on a grammar error.
 */
int		conf_lex_verror(const struct conf_lex *, char *err,
		    size_t errlen, const char *fmt, va_list ap)
		    __attribute__((format(printf, 4, 0)));
int		conf_lex_error(const struct conf_lex *, char *err,
		    size_t errlen, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));

/*
 * Reads the next token, a word or a quoted string, into buf (len
 * bytes, at least 1 character when nonempty is set).  0, or -EINVAL
 * with "file:line:col: expected WHAT..." in err.
 */
int		conf_lex_arg(struct conf_lex *, const char *what, char *buf,
		    size_t len, int nonempty, char *err, size_t errlen);

#endif
