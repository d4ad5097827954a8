/* SPDX-License-Identifier: ISC */
/*
 * route: the pieces of a request's path the API takes apart, and the
 * operator token's comparison -- pure functions on strings (no model,
 * no connection), so they can be tested and fuzzed alone.  Query
 * arguments are parsed by the modules that own them (graph.h,
 * capspec.h).  Nothing here allocates or prints.
 */
#ifndef BALLAST_ROUTE_H
#define BALLAST_ROUTE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Matches "<coll>" or "<coll>/<rest>" where rest has no further '/'.
 * Returns 1 with *rest set ("" for the collection itself, else a
 * pointer into path), or 0 with *rest untouched.
 */
int	route_coll(const char *path, const char *coll, const char **rest);

/*
 * "123/approve": a positive decimal id, a '/' and a verb.  Returns 0
 * with *id and *verb (a pointer into s) set, or -EINVAL with both
 * untouched.
 */
int	route_id_verb(const char *s, uint64_t *id, const char **verb);

/*
 * "HOST/enter" or "HOST/exit" (split at the last '/'): copies HOST (not
 * empty, shorter than len) into host and sets *on to 1 for enter, 0 for
 * exit.  Returns 0, or -EINVAL with host and *on untouched.
 */
int	route_host_verb(const char *s, char *host, size_t len, int *on);

/*
 * Whether got equals want, in time independent of where they differ.
 * 0 when either is NULL or want is empty (no token: nothing matches).
 */
int	route_token_eq(const char *want, const char *got);

#endif
