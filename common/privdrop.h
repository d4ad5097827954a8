/* SPDX-License-Identifier: ISC */
/*
 * privdrop: a daemon started as root gives up root once its sockets are
 * bound and its files open.  It becomes `user` (with `group`, and the
 * supplementary groups asked for), keeping in its permitted and
 * effective sets only the capabilities in keep_caps (for example
 * CAP_NET_RAW for a packet capture opened later), and nothing it could
 * use to become root again.  Linux: PR_SET_KEEPCAPS across the
 * setresuid(), then capset(2) to the kept set; the kept capabilities stay
 * with the calling thread only (other threads lose all of theirs).
 */
#ifndef BALLAST_PRIVDROP_H
#define BALLAST_PRIVDROP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PRIVDROP_CAP(c)	((uint64_t)1 << (c))	/* keep_caps bit of CAP_* */

struct privdrop {
	const char	*user;		/* required */
	const char	*group;		/* NULL or "": the user's login group */
	const char	*extra_group;	/* NULL, or a supplementary group */
	uint64_t	 keep_caps;	/* PRIVDROP_CAP(CAP_...) bits */
};

/*
 * The user's and group's ids: 0, or -ENOENT when one does not exist
 * (extra_group aside: a missing one sets *extra_gid to (gid_t)-1).
 */
int	privdrop_lookup(const struct privdrop *, uid_t *uid, gid_t *gid,
	    gid_t *extra_gid, char *err, size_t errlen);

/*
 * Gives path and everything under it (not following symbolic links) to
 * the user and group, so the daemon can go on writing there.  0 or
 * -errno with the file in err.
 */
int	privdrop_chown_tree(const char *path, uid_t uid, gid_t gid, char *err,
	    size_t errlen);

/*
 * 1 when name is a portable user or group name: 1 to 32 letters, digits,
 * '.', '_' or '-', not starting with '-'; else 0.
 */
int	privdrop_name_ok(const char *name);

/*
 * Becomes the user.  Returns 1 and changes nothing when not running as
 * root; 0 once dropped (checked: root cannot be regained); -errno with
 * the reason in err, the process then in an unknown state (exit).
 */
int	privdrop(const struct privdrop *, char *err, size_t errlen);

#endif
