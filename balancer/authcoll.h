/* SPDX-License-Identifier: ISC */
/*
 * authcoll: the authorised-collectors file -- which CURVE public key may
 * speak for which host (ballast-balancerd.conf(5), AUTHORISED
 * COLLECTORS):
 *
 *   # one collector per line
 *   collector "kvm-01" key "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
 *   collector "kvm-02" key "..." uuid "0e6b7f8a-8c1d-4e4f-9b3a-6c2d1e0f9a8b"
 *
 * The name is the host name the collector must report as; with a uuid
 * it must also report that host UUID (and use it as its routing id).
 * Names, keys and UUIDs are unique in a file.  Never prints: errors
 * come back as "file:line:col: what is wrong".
 */
#ifndef BALLAST_AUTHCOLL_H
#define BALLAST_AUTHCOLL_H

#include <stddef.h>
#include <stdint.h>

#include "zcurve.h"

#define AUTHCOLL_NAME_MAX	64	/* as wire's host names */
#define AUTHCOLL_MAX		20000

struct authcoll_entry {
	char		 name[AUTHCOLL_NAME_MAX];
	uint8_t		 key[ZCURVE_BIN_LEN];
	uint8_t		 uuid[16];
	int		 has_uuid;
};

struct authcoll {
	struct authcoll_entry	*e;	/* sorted by name */
	size_t			 n;
};

/*
 * Parses text (from `file`, for messages) into a fresh *out (free with
 * authcoll_clear).  0, or -EINVAL / -ENOMEM with the reason in err and
 * *out empty.
 */
int	authcoll_parse(const char *file, const char *text, size_t len,
	    struct authcoll *out, char *err, size_t errlen);
/* Reads and parses a file; as authcoll_parse, plus -errno if unreadable. */
int	authcoll_load(const char *path, struct authcoll *out, char *err,
	    size_t errlen);
void	authcoll_clear(struct authcoll *);

/*
 * The entry for a public key (a linear search: once per handshake) or
 * a name (a binary search: once per message), or NULL.  A table built
 * by hand must be sorted by name.
 */
const struct authcoll_entry *authcoll_by_key(const struct authcoll *,
	    const uint8_t key[ZCURVE_BIN_LEN]);
const struct authcoll_entry *authcoll_by_name(const struct authcoll *,
	    const char *name);

#endif
