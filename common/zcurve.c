/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zmq.h>

#include "conf_file.h"
#include "util.h"
#include "zcurve.h"

int
zcurve_decode(const char *z85, uint8_t key[ZCURVE_BIN_LEN])
{
	if (strlen(z85) != ZCURVE_Z85_LEN || zmq_z85_decode(key, z85) == NULL)
		return -EINVAL;
	return 0;
}

/* The first line that is neither blank nor a comment, trimmed. */
static int
zcurve_first_line(const char *text, char out[ZCURVE_Z85_LEN + 1])
{
	const char	*p = text, *e;
	size_t		 n;

	for (; *p != '\0'; p = *e ? e + 1 : e) {
		while (*p == ' ' || *p == '\t')
			p++;
		e = p + strcspn(p, "\n");
		if (e == p || *p == '#' || *p == '\r')
			continue;
		n = (size_t)(e - p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' ||
		    p[n - 1] == '\r'))
			n--;
		if (n != ZCURVE_Z85_LEN)
			return -EINVAL;
		memcpy(out, p, n);
		out[n] = '\0';
		return 0;
	}
	return -EINVAL;
}

static int
zcurve_read(const char *path, char out[ZCURVE_Z85_LEN + 1], char *err,
    size_t errlen)
{
	char	*buf, key[ZCURVE_Z85_LEN + 1];
	uint8_t	 bin[ZCURVE_BIN_LEN];
	size_t	 len;
	int	 rc;

	if ((rc = conf_file_read(path, &buf, &len, err, errlen)) < 0)
		return rc;
	rc = zcurve_first_line(buf, key);
	explicit_bzero(buf, len);
	free(buf);
	if (rc < 0 || zcurve_decode(key, bin) < 0) {
		snprintf(err, errlen, "%s: not a CURVE key (one line of %d Z85 "
		    "characters, as ballastctl keygen writes)", path,
		    ZCURVE_Z85_LEN);
		return -EINVAL;
	}
	memcpy(out, key, sizeof(key));
	explicit_bzero(key, sizeof(key));
	return 0;
}

int
zcurve_read_public(const char *path, char out[ZCURVE_Z85_LEN + 1], char *err,
    size_t errlen)
{
	return zcurve_read(path, out, err, errlen);
}

int
zcurve_read_secret(const char *path, struct zcurve_pair *out, char *err,
    size_t errlen)
{
	struct zcurve_pair	 kp;
	struct stat		 st;
	int			 rc;

	if (stat(path, &st) == 0 && (st.st_mode & 077) != 0) {
		snprintf(err, errlen, "%s: a secret key must not be readable "
		    "by group or others (chmod 600 %s)", path, path);
		return -EPERM;
	}
	if ((rc = zcurve_read(path, kp.secret, err, errlen)) < 0)
		return rc;
	if (zmq_curve_public(kp.pub, kp.secret) != 0) {
		snprintf(err, errlen, "%s: %s", path, zmq_strerror(zmq_errno()));
		return -EINVAL;
	}
	*out = kp;
	explicit_bzero(&kp, sizeof(kp));
	return 0;
}

int
zcurve_read_client(const char *server_path, const char *secret_path,
    char server[ZCURVE_Z85_LEN + 1], struct zcurve_pair *out, char *err,
    size_t errlen)
{
	char	 srv[ZCURVE_Z85_LEN + 1];
	int	 rc;

	if ((rc = zcurve_read_public(server_path, srv, err, errlen)) < 0 ||
	    (rc = zcurve_read_secret(secret_path, out, err, errlen)) < 0)
		return rc;
	memcpy(server, srv, sizeof(srv));
	return 0;
}

/* Writes text to a new file with mode; never replaces one. */
static int
zcurve_write_new(const char *path, const char *text, mode_t mode)
{
	size_t	 len = strlen(text);
	int	 fd, rc = 0;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)) == -1)
		return -errno;
	if (fchmod(fd, mode) == -1 || write(fd, text, len) != (ssize_t)len ||
	    fsync(fd) == -1)
		rc = errno ? -errno : -EIO;
	if (close(fd) == -1 && rc == 0)
		rc = -errno;
	if (rc < 0)
		unlink(path);
	return rc;
}

int
zcurve_keygen(const char *dir, const char *name, char *pub, char *err,
    size_t errlen)
{
	char	 kpath[4096], ppath[4096], text[256];
	char	 zpub[ZCURVE_Z85_LEN + 1], zsec[ZCURVE_Z85_LEN + 1];
	int	 rc;

	snprintf(kpath, sizeof(kpath), "%s/%s.key", dir, name);
	snprintf(ppath, sizeof(ppath), "%s/%s.pub", dir, name);
	if (zmq_curve_keypair(zpub, zsec) != 0) {
		snprintf(err, errlen, "zmq_curve_keypair: %s (is libzmq built "
		    "with CURVE?)", zmq_strerror(zmq_errno()));
		return -ENOTSUP;
	}
	if (access(ppath, F_OK) == 0) {
		snprintf(err, errlen, "%s: exists; not overwritten", ppath);
		return -EEXIST;
	}
	snprintf(text, sizeof(text), "# ballast CURVE secret key of %s: keep "
	    "it on that machine only\n%s\n", name, zsec);
	explicit_bzero(zsec, sizeof(zsec));
	rc = zcurve_write_new(kpath, text, 0600);
	explicit_bzero(text, sizeof(text));
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s%s", kpath, strerror(-rc),
		    rc == -EEXIST ? "; not overwritten" : "");
		return rc;
	}
	snprintf(text, sizeof(text), "# ballast CURVE public key of %s\n%s\n",
	    name, zpub);
	if ((rc = zcurve_write_new(ppath, text, 0644)) < 0) {
		unlink(kpath);
		snprintf(err, errlen, "%s: %s", ppath, strerror(-rc));
		return rc;
	}
	if (pub != NULL)
		memcpy(pub, zpub, sizeof(zpub));
	return 0;
}

int
zcurve_exposed(const char *endpoint)
{
	const char	*h;
	size_t		 n;

	if (strncmp(endpoint, "tcp://", 6) != 0)
		return 0;
	h = endpoint + 6;
	n = strcspn(h, ";");		/* tcp://src;dst: the destination */
	if (h[n] == ';')
		h += n + 1;
	if (strncmp(h, "127.", 4) == 0 || strncmp(h, "[::1]:", 6) == 0 ||
	    strncmp(h, "localhost:", 10) == 0 || strncmp(h, "lo:", 3) == 0)
		return 0;
	return 1;
}

int
zcurve_check_plain(const char *endpoint, int curve, int insecure,
    const char *what, char *err, size_t errlen)
{
	if (curve || insecure || !zcurve_exposed(endpoint))
		return 0;
	snprintf(err, errlen, "%s %s: plain TCP on an address other than "
	    "loopback would let anyone who can reach it in; configure CURVE "
	    "keys (see SECURITY.md and ballastctl keygen), or say \"insecure\" "
	    "to accept the risk", what, endpoint);
	return -EPERM;
}
