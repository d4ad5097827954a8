/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conf_lex.h"

void
conf_lex_init(struct conf_lex *lx, const char *file, const char *buf,
    size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->file = file;
	lx->p = buf;
	lx->end = buf + len;
	lx->line = 1;
	lx->col = 1;
}

static int
conf_lex_peek(const struct conf_lex *lx)
{
	return lx->p < lx->end ? (unsigned char)*lx->p : -1;
}

static int
conf_lex_getc(struct conf_lex *lx)
{
	int	 c = conf_lex_peek(lx);

	if (c < 0)
		return c;
	lx->p++;
	if (c == '\n') {
		lx->line++;
		lx->col = 1;
	} else
		lx->col++;
	return c;
}

static int
conf_word_char(int c)
{
	return c != 0 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("_./:@%+-", c) != NULL);
}

static enum conf_tok
conf_lex_fail(struct conf_lex *lx, const char *what)
{
	snprintf(lx->err, sizeof(lx->err), "%s", what);
	return lx->tok = CONF_T_ERROR;
}

static enum conf_tok
conf_lex_string(struct conf_lex *lx)
{
	size_t	 n = 0;
	int	 c;

	conf_lex_getc(lx);	/* the opening quote */
	for (;;) {
		c = conf_lex_getc(lx);
		if (c < 0 || c == '\n')
			return conf_lex_fail(lx, "unterminated string");
		if (c == '"')
			break;
		/* a printed configuration must read back as it was */
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return conf_lex_fail(lx, "a control character in a "
			    "string");
		if (c == '\\') {
			c = conf_lex_getc(lx);
			if (c != '"' && c != '\\')
				return conf_lex_fail(lx,
				    "only \\\" and \\\\ may be escaped");
		}
		if (n + 1 >= sizeof(lx->text))
			return conf_lex_fail(lx, "string too long");
		lx->text[n++] = (char)c;
	}
	lx->text[n] = '\0';
	return lx->tok = CONF_T_STRING;
}

enum conf_tok
conf_lex_next(struct conf_lex *lx)
{
	size_t	 n = 0;
	int	 c;

	for (;;) {
		c = conf_lex_peek(lx);
		if (c == ' ' || c == '\t' || c == '\r')
			conf_lex_getc(lx);
		else if (c == '#')
			while ((c = conf_lex_peek(lx)) >= 0 && c != '\n')
				conf_lex_getc(lx);
		else
			break;
	}
	lx->tline = lx->line;
	lx->tcol = lx->col;
	lx->text[0] = '\0';
	if (c < 0)
		return lx->tok = CONF_T_EOF;
	if (c == '"')
		return conf_lex_string(lx);
	if (c == 0)
		return conf_lex_fail(lx, "a NUL byte in the file");
	if (strchr("\n{};", c) != NULL) {
		conf_lex_getc(lx);
		lx->text[0] = (char)c;
		lx->text[1] = '\0';
		return lx->tok = c == '\n' ? CONF_T_EOL : c == '{' ?
		    CONF_T_LBRACE : c == '}' ? CONF_T_RBRACE : CONF_T_SEMI;
	}
	if (!conf_word_char(c))
		return conf_lex_fail(lx, "unexpected character");
	while ((c = conf_lex_peek(lx)) >= 0 && conf_word_char(c)) {
		if (n + 1 >= sizeof(lx->text))
			return conf_lex_fail(lx, "word too long");
		lx->text[n++] = (char)conf_lex_getc(lx);
	}
	lx->text[n] = '\0';
	return lx->tok = CONF_T_WORD;
}

const char *
conf_tok_name(enum conf_tok t)
{
	switch (t) {
	case CONF_T_EOF:	return "end of file";
	case CONF_T_EOL:	return "end of line";
	case CONF_T_WORD:	return "a word";
	case CONF_T_STRING:	return "a string";
	case CONF_T_LBRACE:	return "'{'";
	case CONF_T_RBRACE:	return "'}'";
	case CONF_T_SEMI:	return "';'";
	default:		return "an error";
	}
}

int
conf_lex_verror(const struct conf_lex *lx, char *err, size_t errlen,
    const char *fmt, va_list ap)
{
	char	 msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(err, errlen, "%s:%d:%d: %s", lx->file, lx->tline, lx->tcol,
	    msg);
	return -EINVAL;
}

int
conf_lex_error(const struct conf_lex *lx, char *err, size_t errlen,
    const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = conf_lex_verror(lx, err, errlen, fmt, ap);
	va_end(ap);
	return rc;
}

int
conf_lex_arg(struct conf_lex *lx, const char *what, char *buf, size_t len,
    int nonempty, char *err, size_t errlen)
{
	enum conf_tok	 t = conf_lex_next(lx);
	size_t		 n;

	if (t == CONF_T_ERROR)
		return conf_lex_error(lx, err, errlen, "%s", lx->err);
	if (t != CONF_T_WORD && t != CONF_T_STRING)
		return conf_lex_error(lx, err, errlen, "expected %s, found %s",
		    what, conf_tok_name(t));
	if ((n = strlen(lx->text)) >= len)
		return conf_lex_error(lx, err, errlen, "%s is too long (at "
		    "most %zu characters)", what, len - 1);
	if (nonempty && n == 0)
		return conf_lex_error(lx, err, errlen, "%s is empty", what);
	memcpy(buf, lx->text, n + 1);
	return 0;
}
