/* SPDX-License-Identifier: ISC */
/*
 * conf_file: what every configuration grammar needs around its parser --
 * reading a whole file, bounded, and quoting a string so that a
 * printed configuration reads back.
 */
#ifndef BALLAST_CONF_FILE_H
#define BALLAST_CONF_FILE_H

#include <stddef.h>

#define CONF_FILE_MAX	(1024 * 1024)	/* configurations and policies */

/*
 * Reads the whole of path (at most CONF_FILE_MAX bytes) into a
 * malloc'd *buf, NUL-terminated, its length in *len.  Returns 0, or
 * -errno / -EFBIG with "path: reason" in err and nothing allocated.
 */
int	conf_file_read(const char *path, char **buf, size_t *len, char *err,
	    size_t errlen);

/* Writes s in double quotes into out, with " and \ escaped; cut to fit. */
void	conf_file_quote(const char *s, char *out, size_t len);

#endif
