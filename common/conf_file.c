/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_file.h"

int
conf_file_read(const char *path, char **buf, size_t *len, char *err,
    size_t errlen)
{
	FILE	*f;
	size_t	 n;
	int	 rc = 0;

	if ((f = fopen(path, "r")) == NULL) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	if ((*buf = malloc(CONF_FILE_MAX + 1)) == NULL) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	errno = 0;
	n = fread(*buf, 1, CONF_FILE_MAX + 1, f);
	if (ferror(f)) {
		rc = errno != 0 ? -errno : -EIO;
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	} else if (n > CONF_FILE_MAX) {
		rc = -EFBIG;
		snprintf(err, errlen, "%s: larger than 1 MiB", path);
	}
	fclose(f);
	if (rc < 0) {
		free(*buf);
		*buf = NULL;
		return rc;
	}
	(*buf)[n] = '\0';
	*len = n;
	return 0;
}

void
conf_file_quote(const char *s, char *out, size_t len)
{
	size_t	 n = 0;

	if (len < 3)
		return;
	out[n++] = '"';
	for (; *s != '\0' && n + 3 < len; s++) {
		if (*s == '"' || *s == '\\')
			out[n++] = '\\';
		out[n++] = *s;
	}
	out[n++] = '"';
	out[n] = '\0';
}
