/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "util.h"

struct audit {
	int	 fd;
};

struct audit *
audit_open(const char *path, char *err, size_t errlen)
{
	struct audit	*a;

	if ((a = calloc(1, sizeof(*a))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (a->fd == -1) {
		snprintf(err, errlen, "audit log %s: %s", path, strerror(errno));
		free(a);
		return NULL;
	}
	return a;
}

void
audit_close(struct audit *a)
{
	if (a == NULL)
		return;
	close(a->fd);
	free(a);
}

int
audit_log(struct audit *a, const char *event, json_t *obj)
{
	char	*line;
	size_t	 len;
	int	 rc = 0;

	if (obj == NULL)
		obj = json_object();
	if (a == NULL) {
		json_decref(obj);
		return 0;
	}
	json_object_set_new(obj, "time", json_integer(util_now_real_ms()));
	json_object_set_new(obj, "event", json_string(event));
	line = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(4));
	json_decref(obj);
	if (line == NULL)
		return -ENOMEM;
	len = strlen(line);
	line[len] = '\n';	/* json_dumps leaves room: we overwrite the NUL */
	rc = util_append_whole(a->fd, line, len + 1);
	free(line);
	return rc;
}
