/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "act.h"
#include "util.h"

static int
none_start(void *arg, const struct act_req *r, char *err, size_t errlen)
{
	(void)arg;
	(void)r;
	snprintf(err, errlen, "this collector does not migrate (actuator none)");
	return -ENOTSUP;
}

static int
none_cancel(void *arg, uint64_t id)
{
	(void)arg;
	(void)id;
	return -ENOENT;
}

static uint64_t
none_busy(void *arg, const uint8_t vm[16])
{
	(void)arg;
	(void)vm;
	return 0;
}

static size_t
none_poll(void *arg, int64_t now, struct act_update *u, size_t max)
{
	(void)arg;
	(void)now;
	(void)u;
	(void)max;
	return 0;
}

static int
none_fd(void *arg)
{
	(void)arg;
	return -1;
}

static void
none_free(void *arg)
{
	(void)arg;
}

const struct act_ops act_none_ops = {
	"none", none_start, none_cancel, none_busy, none_poll, none_fd,
	none_free
};

/* The value of one {name}, or NULL. */
static const char *
act_var(const char *name, size_t n, const struct act_req *r, char *buf,
    size_t len)
{
	if ((n == 4 && memcmp(name, "host", 4) == 0) ||
	    (n == 4 && memcmp(name, "dest", 4) == 0))
		return r->dest;
	if ((n == 2 && memcmp(name, "vm", 2) == 0) ||
	    (n == 4 && memcmp(name, "vmid", 4) == 0))
		return r->vm_name;
	if (n == 4 && memcmp(name, "uuid", 4) == 0) {
		util_uuid_fmt(r->vm, buf);
		return buf;
	}
	if (n == 9 && memcmp(name, "dest_uuid", 9) == 0) {
		util_uuid_fmt(r->dest_uuid, buf);
		return buf;
	}
	(void)len;
	return NULL;
}

int
act_expand(const char *tmpl, const struct act_req *r, char *out, size_t len)
{
	char		 buf[UTIL_UUID_STRLEN];
	const char	*p, *end, *val;
	size_t		 n = 0, vl;

	for (p = tmpl; *p != '\0'; p++) {
		val = NULL;
		if (*p == '{' && (end = strchr(p, '}')) != NULL) {
			if ((val = act_var(p + 1, (size_t)(end - p - 1), r, buf,
			    sizeof(buf))) == NULL)
				return -EINVAL;
			p = end;
		}
		vl = val != NULL ? strlen(val) : 1;
		if (n + vl >= len)
			return -ENAMETOOLONG;
		memcpy(out + n, val != NULL ? val : p, vl);
		n += vl;
	}
	if (len == 0)
		return -ENAMETOOLONG;
	out[n] = '\0';
	return 0;
}

uint64_t
act_elapsed(int64_t a, int64_t b)
{
	return b > a ? (uint64_t)(b - a) : 0;
}
