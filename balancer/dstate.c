/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dstate.h"
#include "util.h"

/* Writes text to path atomically (temporary file, fsync, rename). */
static int
dstate_write(const char *path, const char *text, mode_t mode)
{
	char	 tmp[1200];
	size_t	 n = strlen(text);
	int	 fd, rc = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)) == -1)
		return -errno;
	if (write(fd, text, n) != (ssize_t)n || fsync(fd) == -1)
		rc = errno ? -errno : -EIO;
	if (close(fd) == -1 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) == -1)
		rc = -errno;
	if (rc != 0)
		unlink(tmp);
	return rc;
}

static int
dstate_read(const char *path, char *buf, size_t len)
{
	FILE	*f = fopen(path, "r");
	size_t	 n;

	if (f == NULL)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

int
dstate_epoch(const char *state_dir, uint64_t *epoch, char *err, size_t errlen)
{
	char	 path[1100], buf[64];
	int64_t	 v = 0;
	int	 rc;

	snprintf(path, sizeof(path), "%s/epoch", state_dir);
	if ((rc = dstate_read(path, buf, sizeof(buf))) == 0 &&
	    util_parse_i64(buf, 0, UINT32_MAX - 1, &v) < 0) {
		snprintf(err, errlen, "%s is damaged (\"%s\"); fix or remove it "
		    "only if no collector still holds a newer epoch", path, buf);
		return -EINVAL;
	}
	if (rc < 0 && rc != -ENOENT) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	snprintf(buf, sizeof(buf), "%lld\n", (long long)(v + 1));
	if ((rc = dstate_write(path, buf, 0600)) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(-rc));
		return rc;
	}
	*epoch = (uint64_t)(v + 1);
	return 0;
}

int
dstate_token(const char *state_dir, const char *configured, char *out,
    size_t len, int *generated, char *err, size_t errlen)
{
	char		 path[1100], hex[65];
	unsigned char	 raw[24];
	size_t		 i;
	int		 fd, rc;

	*generated = 0;
	if (configured != NULL && configured[0] != '\0') {
		util_strlcpy(out, configured, len);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/api.token", state_dir);
	if (dstate_read(path, out, len) == 0 && strlen(out) >= 16)
		return 0;
	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) == -1 ||
	    read(fd, raw, sizeof(raw)) != (ssize_t)sizeof(raw)) {
		snprintf(err, errlen, "cannot read /dev/urandom for a token");
		if (fd != -1)
			close(fd);
		return -EIO;
	}
	close(fd);
	for (i = 0; i < sizeof(raw); i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	if ((rc = dstate_write(path, hex, 0600)) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(-rc));
		return rc;
	}
	util_strlcpy(out, hex, len);
	*generated = 1;
	return 0;
}
