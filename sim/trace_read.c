/* SPDX-License-Identifier: ISC */
/*
 * trace_read: finds the N.csv files of a trace set in a folder (and
 * its subfolders) or in a tar archive, compressed or not (libarchive,
 * never unpacked to disk), and reads each whole into the loader's one
 * reusable buffer for trace_loader_add().
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace.h"
#include "trace_priv.h"
#include "util.h"

#define TRACE_MAX_FILE	((size_t)256 << 20)	/* largest N.csv read */
#define TRACE_MAX_DEPTH	8		/* folder levels searched */

/*
 * The number N of a base name "N.csv" (digits only, at most 9).
 * Returns 0, or -1 for any other name.
 */
static int
trace_csv_number(const char *base, unsigned *num)
{
	char	 digits[16];
	size_t	 n = strspn(base, "0123456789");
	int64_t	 v;

	if (n == 0 || n > 9 || strcmp(base + n, ".csv") != 0)
		return -1;
	memcpy(digits, base, n);
	digits[n] = '\0';
	if (util_parse_i64(digits, 0, 999999999, &v) != 0)
		return -1;
	*num = (unsigned)v;
	return 0;
}

/* Ensures the file buffer holds `need` bytes.  0 or -ENOMEM/-EFBIG. */
static int
trace_loader_reserve(struct trace_loader *ld, size_t need, unsigned num)
{
	size_t	 ncap;
	char	*nb;

	if (need > TRACE_MAX_FILE) {
		trace_err(ld->err, ld->errlen, "%s: %u.csv: larger than %zu "
		    "bytes", ld->path, num, TRACE_MAX_FILE);
		return -EFBIG;
	}
	if (need <= ld->bufcap)
		return 0;
	ncap = ld->bufcap > 0 ? ld->bufcap : 1 << 16;
	while (ncap < need)
		ncap *= 2;
	if ((nb = realloc(ld->buf, ncap)) == NULL) {
		trace_err(ld->err, ld->errlen, "%s: out of memory", ld->path);
		return -ENOMEM;
	}
	ld->buf = nb;
	ld->bufcap = ncap;
	return 0;
}

/* Reads the rest of an open file into the buffer. */
static int
trace_read_fd(struct trace_loader *ld, int fd, unsigned num)
{
	struct stat	 sb;
	ssize_t		 r;
	int		 rc;

	ld->buflen = 0;
	if (fstat(fd, &sb) == 0 && sb.st_size > 0 &&
	    (rc = trace_loader_reserve(ld, (size_t)sb.st_size + 4096,
	    num)) != 0)
		return rc;
	for (;;) {
		if ((rc = trace_loader_reserve(ld, ld->buflen + 4096,
		    num)) != 0)
			return rc;
		r = read(fd, ld->buf + ld->buflen, ld->bufcap - ld->buflen);
		if (r == 0)
			return 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			trace_err(ld->err, ld->errlen, "%s: %u.csv: %s",
			    ld->path, num, strerror(errno));
			return rc;
		}
		ld->buflen += (size_t)r;
	}
}

static int	trace_load_dirfd(struct trace_loader *, int, int);

/* Reads and adds the regular file N.csv open on fd, if it is wanted. */
static int
trace_load_fd(struct trace_loader *ld, int fd, unsigned num)
{
	int	 rc;

	ld->seen++;
	if ((rc = trace_loader_wants(ld, num)) <= 0)
		return rc;
	if ((rc = trace_read_fd(ld, fd, num)) != 0)
		return rc;
	return trace_loader_add(ld, num);
}

/* Handles one folder entry: a subfolder or maybe an N.csv. */
static int
trace_load_dirent(struct trace_loader *ld, int dfd, const struct dirent *de,
    int depth)
{
	const char	*name = de->d_name;
	struct stat	 sb;
	unsigned	 num;
	int		 fd, rc = 0, csv;

	if (name[0] == '.')
		return 0;
	csv = trace_csv_number(name, &num) == 0;
	if (!csv && de->d_type != DT_DIR && de->d_type != DT_LNK &&
	    de->d_type != DT_UNKNOWN)
		return 0;
	fd = openat(dfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		if (!csv)
			return 0;
		rc = -errno;
		trace_err(ld->err, ld->errlen, "%s: %s: %s", ld->path, name,
		    strerror(errno));
		return rc;
	}
	if (fstat(fd, &sb) == -1)
		sb.st_mode = 0;
	if (S_ISDIR(sb.st_mode))
		return trace_load_dirfd(ld, fd, depth + 1);
	if (csv && S_ISREG(sb.st_mode))
		rc = trace_load_fd(ld, fd, num);
	close(fd);
	return rc;
}

/* Loads every N.csv in an open folder and below; closes dfd. */
static int
trace_load_dirfd(struct trace_loader *ld, int dfd, int depth)
{
	DIR		*d;
	struct dirent	*de;
	int		 rc = 0;

	if (depth > TRACE_MAX_DEPTH) {
		close(dfd);
		return 0;
	}
	if ((d = fdopendir(dfd)) == NULL) {
		rc = -errno;
		close(dfd);
		trace_err(ld->err, ld->errlen, "%s: %s", ld->path,
		    strerror(-rc));
		return rc;
	}
	while (rc == 0 && (de = readdir(d)) != NULL)
		rc = trace_load_dirent(ld, dirfd(d), de, depth);
	closedir(d);
	return rc;
}

/* Reads the current archive entry's data into the buffer. */
static int
trace_read_entry(struct trace_loader *ld, struct archive *a,
    struct archive_entry *ae, unsigned num)
{
	la_ssize_t	 r;
	int		 rc;

	ld->buflen = 0;
	if (archive_entry_size_is_set(ae) && archive_entry_size(ae) > 0 &&
	    (rc = trace_loader_reserve(ld,
	    (size_t)archive_entry_size(ae) + 4096, num)) != 0)
		return rc;
	for (;;) {
		if ((rc = trace_loader_reserve(ld, ld->buflen + 4096,
		    num)) != 0)
			return rc;
		r = archive_read_data(a, ld->buf + ld->buflen,
		    ld->bufcap - ld->buflen);
		if (r == 0)
			return 0;
		if (r < 0) {
			trace_err(ld->err, ld->errlen, "%s: %u.csv: %s",
			    ld->path, num, archive_error_string(a) != NULL ?
			    archive_error_string(a) : "read error");
			return -EIO;
		}
		ld->buflen += (size_t)r;
	}
}

/* Handles one archive entry.  0 or a negative errno. */
static int
trace_load_entry(struct trace_loader *ld, struct archive *a,
    struct archive_entry *ae)
{
	const char	*path, *base;
	unsigned	 num;
	int		 rc;

	if (archive_entry_filetype(ae) != AE_IFREG ||
	    (path = archive_entry_pathname(ae)) == NULL)
		return 0;
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	if (trace_csv_number(base, &num) != 0)
		return 0;
	ld->seen++;
	if ((rc = trace_loader_wants(ld, num)) <= 0)
		return rc;
	if ((rc = trace_read_entry(ld, a, ae, num)) != 0)
		return rc;
	return trace_loader_add(ld, num);
}

/* Loads every N.csv of a tar archive, compressed or not. */
static int
trace_load_archive(struct trace_loader *ld)
{
	struct archive		*a;
	struct archive_entry	*ae;
	int			 r, rc = 0;

	if ((a = archive_read_new()) == NULL) {
		trace_err(ld->err, ld->errlen, "%s: out of memory", ld->path);
		return -ENOMEM;
	}
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, ld->path, 1 << 16) != ARCHIVE_OK) {
		trace_err(ld->err, ld->errlen, "%s: not a folder or tar "
		    "archive: %s", ld->path, archive_error_string(a) != NULL ?
		    archive_error_string(a) : "unreadable");
		archive_read_free(a);
		return -EINVAL;
	}
	while (rc == 0) {
		r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			trace_err(ld->err, ld->errlen, "%s: %s", ld->path,
			    archive_error_string(a) != NULL ?
			    archive_error_string(a) : "bad archive");
			rc = -EIO;
			break;
		}
		rc = trace_load_entry(ld, a, ae);
	}
	archive_read_free(a);
	return rc;
}

int
trace_loader_read(struct trace_loader *ld)
{
	struct stat	 sb;
	int		 fd, rc;

	if (stat(ld->path, &sb) == -1) {
		rc = -errno;
		trace_err(ld->err, ld->errlen, "%s: %s", ld->path,
		    strerror(errno));
		return rc;
	}
	if (!S_ISDIR(sb.st_mode))
		return trace_load_archive(ld);
	if ((fd = open(ld->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		rc = -errno;
		trace_err(ld->err, ld->errlen, "%s: %s", ld->path,
		    strerror(errno));
		return rc;
	}
	return trace_load_dirfd(ld, fd, 0);
}
