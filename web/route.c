/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "route.h"
#include "util.h"

int
route_coll(const char *path, const char *coll, const char **rest)
{
	size_t	 n = strlen(coll);

	if (strncmp(path, coll, n) != 0)
		return 0;
	if (path[n] == '\0') {
		*rest = "";
		return 1;
	}
	if (path[n] == '/' && strchr(path + n + 1, '/') == NULL) {
		*rest = path + n + 1;
		return 1;
	}
	return 0;
}

int
route_id_verb(const char *s, uint64_t *id, const char **verb)
{
	const char	*slash = strchr(s, '/');
	char		 num[24];
	int64_t		 v;
	size_t		 n;

	if (slash == NULL || (n = (size_t)(slash - s)) == 0 || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n);
	num[n] = '\0';
	if (util_parse_i64(num, 1, INT64_MAX, &v) < 0)
		return -EINVAL;
	*id = (uint64_t)v;
	*verb = slash + 1;
	return 0;
}

int
route_host_verb(const char *s, char *host, size_t len, int *on)
{
	const char	*slash = strrchr(s, '/');
	size_t		 n;

	if (slash == NULL || (n = (size_t)(slash - s)) == 0 || n >= len ||
	    (strcmp(slash, "/enter") != 0 && strcmp(slash, "/exit") != 0))
		return -EINVAL;
	memcpy(host, s, n);
	host[n] = '\0';
	*on = strcmp(slash, "/enter") == 0;
	return 0;
}

int
route_token_eq(const char *want, const char *got)
{
	if (want == NULL || want[0] == '\0' || got == NULL)
		return 0;
	return util_secret_equal(want, got);
}
