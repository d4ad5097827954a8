/* SPDX-License-Identifier: ISC */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "privdrop.h"

int
privdrop_lookup(const struct privdrop *p, uid_t *uid, gid_t *gid,
    gid_t *extra_gid, char *err, size_t errlen)
{
	const struct passwd	*pw;
	const struct group	*gr;

	if ((pw = getpwnam(p->user)) == NULL) {
		snprintf(err, errlen, "user \"%s\" does not exist", p->user);
		return -ENOENT;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (p->group != NULL && p->group[0] != '\0') {
		if ((gr = getgrnam(p->group)) == NULL) {
			snprintf(err, errlen, "group \"%s\" does not exist",
			    p->group);
			return -ENOENT;
		}
		*gid = gr->gr_gid;
	}
	*extra_gid = (gid_t)-1;
	if (p->extra_group != NULL && (gr = getgrnam(p->extra_group)) != NULL)
		*extra_gid = gr->gr_gid;
	return 0;
}

/*
 * Gives dfd's directory's entries to uid:gid, descending into
 * subdirectories (not through symbolic links, at most depth levels).
 * Closes dfd.  0 or -errno with the name in err.
 */
static int
chown_dir(int dfd, uid_t uid, gid_t gid, int depth, char *err,
    size_t errlen)
{
	DIR		*d;
	struct dirent	*e;
	int		 fd, rc = 0;

	if ((d = fdopendir(dfd)) == NULL) {
		close(dfd);
		return -errno;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (fchownat(dfd, e->d_name, uid, gid, AT_SYMLINK_NOFOLLOW) == -1) {
			rc = -errno;
			snprintf(err, errlen, "%s", e->d_name);
		} else if (e->d_type == DT_DIR && depth > 0 && (fd = openat(dfd,
		    e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC))
		    != -1)
			rc = chown_dir(fd, uid, gid, depth - 1, err, errlen);
	}
	closedir(d);
	return rc;
}

int
privdrop_chown_tree(const char *path, uid_t uid, gid_t gid, char *err,
    size_t errlen)
{
	char	 what[256];
	int	 fd, rc;

	what[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fchown(fd, uid, gid) == -1) {
		rc = -errno;
		if (fd != -1)
			close(fd);
	} else
		rc = chown_dir(fd, uid, gid, 8, what, sizeof(what));
	if (rc < 0)
		snprintf(err, errlen, "cannot give %s%s%s to uid %u: %s", path,
		    what[0] ? "/.../" : "", what, (unsigned)uid, strerror(-rc));
	return rc;
}

/* Permitted and effective: the kept set only; inheritable: none. */
static int
privdrop_caps(uint64_t keep)
{
	struct __user_cap_header_struct	 h;
	struct __user_cap_data_struct	 d[2];

	memset(&h, 0, sizeof(h));
	memset(d, 0, sizeof(d));
	h.version = _LINUX_CAPABILITY_VERSION_3;
	d[0].permitted = d[0].effective = (uint32_t)keep;
	d[1].permitted = d[1].effective = (uint32_t)(keep >> 32);
	return syscall(SYS_capset, &h, d) == -1 ? -errno : 0;
}

/* The groups, then the user, keeping capabilities across if asked. */
static int
privdrop_ids(const struct privdrop *p, uid_t uid, gid_t gid, gid_t extra)
{
	gid_t	 groups[2] = { gid, extra };

	if (setgroups(extra != (gid_t)-1 && extra != gid ? 2 : 1, groups) == -1 ||
	    setresgid(gid, gid, gid) == -1)
		return -errno;
	if (p->keep_caps != 0 && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == -1)
		return -errno;
	if (setresuid(uid, uid, uid) == -1)
		return -errno;
	if (p->keep_caps != 0 && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) == -1)
		return -errno;
	return privdrop_caps(p->keep_caps);
}

int
privdrop(const struct privdrop *p, char *err, size_t errlen)
{
	uid_t	 uid;
	gid_t	 gid, extra;
	int	 rc;

	if (geteuid() != 0)
		return 1;
	if ((rc = privdrop_lookup(p, &uid, &gid, &extra, err, errlen)) < 0)
		return rc;
	if (uid == 0) {
		snprintf(err, errlen, "user \"%s\" is root", p->user);
		return -EINVAL;
	}
	if ((rc = privdrop_ids(p, uid, gid, extra)) < 0) {
		snprintf(err, errlen, "cannot become %s: %s", p->user,
		    strerror(-rc));
		return rc;
	}
	if (setuid(0) != -1 || seteuid(0) != -1) {
		snprintf(err, errlen, "could become root again after "
		    "dropping to %s", p->user);
		return -EPERM;
	}
	return 0;
}

int
privdrop_name_ok(const char *name)
{
	size_t	 i;

	if (name[0] == '\0' || name[0] == '-')
		return 0;
	for (i = 0; name[i] != '\0'; i++)
		if (i == 32 || (!isalnum((unsigned char)name[i]) &&
		    strchr("._-", name[i]) == NULL))
			return 0;
	return 1;
}
