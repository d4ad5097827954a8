/* SPDX-License-Identifier: ISC */
/*
 * zap: the balancer's ZeroMQ authentication handler (ZAP, RFC 27) for
 * CURVE.  A REP socket bound to inproc://zeromq.zap.01 in the daemon's
 * ZeroMQ context, served from the daemon's loop (no thread): libzmq asks
 * it about every CURVE handshake on any socket of that context.
 *
 * A handshake is accepted when the client's public key is in the
 * authorised-collectors table (authcoll.h).  The accepted connection's
 * User-Id (zmq_msg_gets "User-Id") is the entry's host name; ingest
 * checks it, and the entry's UUID, against every message and its
 * routing id (a ZAP request does not carry the peer's routing id).
 * Refusals are counted and logged at most once per 10 s.
 */
#ifndef BALLAST_ZAP_H
#define BALLAST_ZAP_H

#include <stddef.h>
#include <stdint.h>

#include "authcoll.h"

struct zap_stats {
	uint64_t	 accepted;	/* handshakes accepted */
	uint64_t	 refused;	/* unknown key */
};

struct zap;

/*
 * Binds the handler in zctx, counting into *st (kept by the caller).
 * Must come before any CURVE socket of zctx binds.  NULL with err set.
 */
struct zap	*zap_new(void *zctx, struct zap_stats *st, char *err,
		    size_t errlen);
void		 zap_free(struct zap *);

/* The REP socket, for zmq_poll. */
void		*zap_socket(struct zap *);

/*
 * Replaces the table; zap takes over t's entries and leaves *t empty.
 * Connections accepted before keep their User-Id; ingest refuses their
 * messages once that name is no longer in the table.
 */
void		 zap_set_table(struct zap *, struct authcoll *t);
const struct authcoll *zap_table(const struct zap *);

/* Answers every waiting request without blocking; returns how many. */
int		 zap_drain(struct zap *);

#endif
