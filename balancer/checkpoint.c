/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "checkpoint.h"
#include "util.h"

static json_t *
checkpoint_peer_json(const struct ckpt_peer *p)
{
	json_t	*o, *miss;
	char	 u[UTIL_UUID_STRLEN];
	size_t	 i;

	util_uuid_fmt(p->uuid, u);
	miss = json_array();
	for (i = 0; i < p->nmissing; i++)
		json_array_append_new(miss, json_integer((json_int_t)p->missing[i]));
	o = json_pack("{s:s, s:I, s:I, s:o}", "uuid", u,
	    "incarnation", (json_int_t)p->incarnation,
	    "seq", (json_int_t)p->seq, "missing", miss);
	return o;
}

/* Makes the rename durable: fsync the directory holding path. */
static void
checkpoint_sync_dir(const char *path)
{
	char	 dir[4096], *slash;
	int	 fd;

	util_strlcpy(dir, path, sizeof(dir));
	if ((slash = strrchr(dir, '/')) == NULL)
		util_strlcpy(dir, ".", sizeof(dir));
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(fd);
		close(fd);
	}
}

int
checkpoint_save(const char *path, const struct ckpt_peer *const *peers,
    size_t n, uint64_t lost, char *err, size_t errlen)
{
	json_t	*root, *arr;
	char	 tmp[4096], *text;
	size_t	 i, len;
	int	 fd, rc = 0;

	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, checkpoint_peer_json(peers[i]));
	root = json_pack("{s:i, s:I, s:o}", "version", 1,
	    "reports_lost", (json_int_t)lost, "hosts", arr);
	text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (text == NULL) {
		snprintf(err, errlen, "checkpoint: out of memory");
		return -ENOMEM;
	}
	len = strlen(text);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1)
		rc = -errno;
	else {
		if (write(fd, text, len) != (ssize_t)len || fsync(fd) == -1)
			rc = errno ? -errno : -EIO;
		if (close(fd) == -1 && rc == 0)
			rc = -errno;
		if (rc == 0 && rename(tmp, path) == -1)
			rc = -errno;
		if (rc == 0)
			checkpoint_sync_dir(path);
		if (rc != 0)
			unlink(tmp);
	}
	free(text);
	if (rc != 0)
		snprintf(err, errlen, "checkpoint %s: %s", path, strerror(-rc));
	return rc;
}

static int
checkpoint_peer_parse(json_t *o, struct ckpt_peer *p)
{
	const char	*u;
	json_int_t	 inc, seq;
	json_t		*miss, *v;
	size_t		 i;

	memset(p, 0, sizeof(*p));
	if (json_unpack(o, "{s:s, s:I, s:I, s:o}", "uuid", &u,
	    "incarnation", &inc, "seq", &seq, "missing", &miss) != 0 ||
	    util_uuid_parse(u, p->uuid) < 0 || !json_is_array(miss) ||
	    inc < 0 || seq < 0)
		return -EINVAL;
	p->incarnation = (uint64_t)inc;
	p->seq = (uint64_t)seq;
	json_array_foreach(miss, i, v) {
		if (!json_is_integer(v) || p->nmissing >= CKPT_MISSING_MAX)
			return -EINVAL;
		p->missing[p->nmissing++] = (uint64_t)json_integer_value(v);
	}
	return 0;
}

int
checkpoint_load(const char *path, struct ckpt_peer **peers, size_t *n,
    uint64_t *lost, char *err, size_t errlen)
{
	json_error_t	 jerr;
	json_t		*root, *arr, *v;
	json_int_t	 jl = 0;
	int		 version = 0;
	struct ckpt_peer *p;
	size_t		 i;

	if (access(path, F_OK) == -1 && errno == ENOENT)
		return -ENOENT;
	if ((root = json_load_file(path, 0, &jerr)) == NULL) {
		snprintf(err, errlen, "%s:%d:%d: %s", path, jerr.line,
		    jerr.column, jerr.text);
		return -EINVAL;
	}
	if (json_unpack(root, "{s:i, s:I, s:o}", "version", &version,
	    "reports_lost", &jl, "hosts", &arr) != 0 || version != 1 ||
	    !json_is_array(arr) || jl < 0) {
		snprintf(err, errlen, "%s: not a ballast checkpoint", path);
		json_decref(root);
		return -EINVAL;
	}
	p = calloc(json_array_size(arr) + 1, sizeof(*p));
	if (p == NULL) {
		json_decref(root);
		return -ENOMEM;
	}
	json_array_foreach(arr, i, v) {
		if (checkpoint_peer_parse(v, &p[i]) < 0) {
			snprintf(err, errlen, "%s: host entry %zu is damaged",
			    path, i);
			free(p);
			json_decref(root);
			return -EINVAL;
		}
	}
	*n = json_array_size(arr);
	*peers = p;
	*lost = (uint64_t)jl;
	json_decref(root);
	return 0;
}
