/* SPDX-License-Identifier: ISC */
/*
 * dstate: the daemon's small durable facts in its state directory --
 * the start epoch (fencing for commands) and the operator token.
 */
#ifndef BALLAST_DSTATE_H
#define BALLAST_DSTATE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Reads STATE/epoch, adds one, writes it back durably and returns the
 * new epoch in *epoch (1 on a first start).  0 or -errno with err set;
 * a damaged file is an error (fencing must not go backwards).
 */
int	dstate_epoch(const char *state_dir, uint64_t *epoch, char *err,
	    size_t errlen);

/*
 * The operator token: `configured` when not empty; else the one in
 * STATE/api.token, or a new random one written there (mode 0600).
 * Returns 0 with the token in out, *generated set when it was created
 * now, or -errno with err set.
 */
int	dstate_token(const char *state_dir, const char *configured, char *out,
	    size_t len, int *generated, char *err, size_t errlen);

#endif
