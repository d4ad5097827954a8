/* SPDX-License-Identifier: ISC */
/*
 * cconf_priv: what the parts of ballast-collectord's configuration
 * parser share (cconf.c, and cconf_pcap.c for the pcap statements).
 * Not for other modules: they use cconf.h.
 */
#ifndef BALLAST_CCONF_PRIV_H
#define BALLAST_CCONF_PRIV_H

#include <stddef.h>

#include "cconf.h"
#include "conf_lex.h"

struct cconf_parser {
	struct conf_lex	 lx;
	struct cconf	 c;
	char		*err;
	size_t		 errlen;
};

/* Fills err with "file:line:col: message"; returns -EINVAL. */
int	cconf_error(struct cconf_parser *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Reads a word or string argument into buf: 0 or -EINVAL. */
int	cconf_arg(struct cconf_parser *, const char *what, char *buf,
	    size_t len);
/* Appends to buf at *n (printf-style), never past len. */
void	cconf_append(char *buf, size_t len, size_t *n, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

/* pcap ...: one statement to its end of line; returns 1 (end read). */
int	cconf_pcap_stmt(struct cconf_parser *);
/* Settles the pcap defaults that depend on the whole file: 0/-EINVAL. */
int	cconf_pcap_check(struct cconf_pcap *, char *err, size_t errlen);
/* Writes the pcap statements back. */
void	cconf_pcap_print(const struct cconf_pcap *, char *buf, size_t len,
	    size_t *n);

#endif
