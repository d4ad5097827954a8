/* SPDX-License-Identifier: ISC */
/*
 * publisher: a collector's end of the protocol, shared by
 * ballast-collectord and ballast-sim (one per simulated host), so both
 * speak exactly the same protocol.
 *
 * A DEALER socket with routing id 'H' + host UUID connects to the
 * balancer.  Every report is numbered and kept, packed, in a bounded
 * replay buffer until the balancer acknowledges it; unacknowledged
 * reports are sent again, oldest first, every `resend_ms`, so a
 * balancer restart of up to (buffer size x interval) loses nothing.
 * When the buffer is full the oldest report is dropped and counted; the
 * balancer sees the gap (replay_floor says it is gone for good).
 *
 * CURVE: with server_key and curve set, the socket is a CURVE client
 * that completes a handshake only with the balancer holding that
 * server key, so it sends reports to, and takes commands from, that
 * balancer only.  Its routing id then also carries 16 random bytes
 * (wire_routing_id_secret), so that no other collector can take it and
 * receive this host's commands.  Handshakes are then watched through a socket
 * monitor (two more sockets in zctx per publisher):
 * failures are counted (handshake_failed) and their last reason kept
 * for the daemon to log; after one the socket dials again resend_ms
 * later (libzmq itself gives up after a refused key).
 */
#ifndef BALLAST_PUBLISHER_H
#define BALLAST_PUBLISHER_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"
#include "zcurve.h"

struct pub_config {
	const char	*endpoint;	/* e.g. "tcp://127.0.0.1:8471" */
	uint8_t		 host_uuid[16];
	const char	*host_name;
	const char	*software;	/* for Hello */
	const char	*const *caps;	/* capabilities, for Hello */
	size_t		 ncaps;
	size_t		 max_pending;	/* reports kept unacknowledged; default 720 */
	int64_t		 resend_ms;	/* default 5000 */
	const char	*server_key;	/* balancer's Z85 public key; NULL: plain */
	const struct zcurve_pair *curve; /* our keys, with server_key */
};

struct pub_stats {
	uint64_t	 sent;		/* reports sent the first time */
	uint64_t	 resent;
	uint64_t	 dropped;	/* pushed out of a full buffer */
	uint64_t	 acked;
	uint64_t	 send_errors;
	uint64_t	 bad_messages;	/* from the balancer, refused */
	uint64_t	 handshakes;	/* connections that completed one */
	uint64_t	 handshake_failed;
	char		 handshake_error[128]; /* the last failure's reason */
	size_t		 pending;
};

/* Handles one command; the publisher owns cmd until the call returns. */
typedef void (*pub_command_cb)(void *arg, const Ballast__V1__Command *cmd);

struct pub;

/* Returns NULL with a reason in err. */
struct pub	*pub_new(void *zctx, const struct pub_config *, char *err,
		    size_t errlen);
/* Closes the socket, waiting up to linger_ms for queued messages. */
void		 pub_free(struct pub *, int linger_ms);

void		*pub_socket(struct pub *);

/*
 * Numbers and sends a report.  The publisher fills host_uuid,
 * host_name, seq, incarnation and replay_floor; the caller fills the
 * rest.  Returns 0 (sent or kept for resending) or -ENOMEM.
 */
int		 pub_send_report(struct pub *, wire_report *, int64_t now_ms);

/* Sends a command status (fills host_uuid).  0 or -errno. */
int		 pub_send_status(struct pub *, Ballast__V1__CommandStatus *);

/*
 * Handles every message waiting from the balancer: acks trim the
 * buffer, commands go to cb.  Returns the number handled.
 */
int		 pub_dispatch(struct pub *, pub_command_cb cb, void *arg);

/*
 * Resends what is overdue and reads handshake events.  Call every loop
 * iteration.
 */
void		 pub_tick(struct pub *, int64_t now_ms);

const struct pub_stats *pub_stats(const struct pub *);

/*
 * New CURVE keys (server_key and ours) for the next connection: the
 * socket disconnects and connects again.  0 or -errno with err set.
 */
int		 pub_rekey(struct pub *, const char *server_key,
		    const struct zcurve_pair *, char *err, size_t errlen);

#endif
