/* SPDX-License-Identifier: ISC */
/*
 * ingest: the balancer's end of the collector protocol.
 *
 * Binds a ZeroMQ ROUTER; collectors (and the simulator) connect DEALER
 * sockets whose routing id is 'H' + their host UUID.  Every message is
 * size-limited by the socket (ZMQ_MAXMSGSIZE), decoded and validated by
 * wire.h, checked against the sender's routing id (a collector speaks
 * only for its own host), then ordered by its per-host sequence number
 * and applied to the model.  The model also learns where each host's
 * reports come from (the connection's peer address, model_set_host_addr)
 * when it is new or has changed.
 *
 * No silent loss across a balancer restart: a report is acknowledged
 * only after its sequence number is in the checkpoint (ingest_checkpoint,
 * called about once a second), and collectors send unacknowledged
 * reports again.  The checkpoint holds each host's incarnation and last
 * sequence number, so a restarted balancer counts real gaps
 * (reports_lost), takes repeats as duplicates and late arrivals that
 * fill a gap as late (they leave reports_lost).
 *
 * With CURVE (ingest_new_opts with a key pair) the ROUTER is a CURVE
 * server and a ZAP handler (zap.h) admits only the keys of the
 * authorised-collectors table; every message then also carries the
 * User-Id of its connection (the host name its key may speak for), and
 * a hello, report or status whose host name or UUID does not fit that
 * entry is refused and counted (reports_refused).  A collector's routing
 * id then also carries its secret (wire_routing_id_secret), and the
 * host's commands and acks go only to the routing id its last admitted
 * message came from: a connection that takes another host's routing id
 * (or any routing id other than its own) never receives them, and its
 * messages are refused and counted (routes_refused, and reports_refused).
 * ROUTER_HANDOVER stays on, for a collector reconnecting with its own
 * routing id while its old connection is half-open.
 *
 * Bounds: a message is at most WIRE_MAX_MSG_BYTES (ZMQ_MAXMSGSIZE: a
 * larger one closes that connection); a new host beyond max_hosts is
 * refused and counted (hosts_refused); at most INGEST_SNDHWM messages
 * (commands, acks) wait for one collector, beyond which a command is
 * not sent (-EAGAIN).  Refusals are logged at most once per 10 s.
 */
#ifndef BALLAST_INGEST_H
#define BALLAST_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "wire.h"
#include "zap.h"
#include "zcurve.h"

#define INGEST_DEFAULT_MAX_HOSTS	10000
#define INGEST_SNDHWM			1000	/* queued per collector */

struct ingest_stats {
	uint64_t	 messages;		/* every message received */
	uint64_t	 reports_received;	/* reports applied to the model */
	uint64_t	 reports_lost;		/* sequence numbers never seen */
	uint64_t	 reports_late;		/* arrived after a newer one */
	uint64_t	 reports_duplicate;	/* already applied */
	uint64_t	 reports_malformed;	/* refused by wire_decode */
	uint64_t	 reports_refused;	/* host does not match sender */
	uint64_t	 routes_refused;	/* of which: routing id not
						   the host's own */
	uint64_t	 malformed_by[WIRE_E_MAX];
	uint64_t	 vm_samples;		/* VM samples applied */
	uint64_t	 hellos;
	uint64_t	 statuses;
	uint64_t	 acks_sent;
	uint64_t	 checkpoint_errors;
	uint64_t	 hosts_refused;		/* new hosts beyond max_hosts */
	struct zap_stats handshakes;		/* CURVE handshakes */
};

struct ingest_opts {
	const char		*endpoint;	/* e.g. "tcp://127.0.0.1:8471" */
	const struct zcurve_pair *curve;	/* server keys; NULL: plain */
	size_t			 max_hosts;	/* 0: the default */
};

/* A command status from a collector, for the executor (later rooms). */
typedef void (*ingest_status_cb)(void *arg, const Ballast__V1__CommandStatus *);

struct ingest;

/*
 * Binds `endpoint` (e.g. "tcp://127.0.0.1:8471") with the given ZeroMQ
 * context; loads the checkpoint from state_dir (NULL: none, for tests
 * and benchmarks).  Returns NULL with a reason in err.
 */
struct ingest	*ingest_new(void *zctx, const char *endpoint, struct model *,
		    const char *state_dir, char *err, size_t errlen);
/*
 * As ingest_new, with CURVE and bounds.  With o->curve the ZAP handler
 * starts with an empty table (every key refused) until
 * zap_set_table(ingest_zap(), ...).
 */
struct ingest	*ingest_new_opts(void *zctx, const struct ingest_opts *o,
		    struct model *, const char *state_dir, char *err,
		    size_t errlen);
void		 ingest_free(struct ingest *);

/* The ZAP handler (CURVE only), or NULL. */
struct zap	*ingest_zap(struct ingest *);

/*
 * Takes a new server key pair: the socket stops listening (open
 * connections close; collectors reconnect) and listens again with it,
 * waiting up to 2 s for the port.  0, or -errno with err set and the
 * socket listening again with the old key.
 */
int		 ingest_rekey(struct ingest *, const struct zcurve_pair *,
		    char *err, size_t errlen);

/* The ROUTER socket, for zmq_poll. */
void		*ingest_socket(struct ingest *);

/*
 * Feeds every applied report to a traffic matrix (traffic.h) as well;
 * NULL stops it.  The matrix stays the caller's.
 */
struct traffic;
void		 ingest_set_traffic(struct ingest *, struct traffic *);

void		 ingest_on_status(struct ingest *, ingest_status_cb, void *arg);

/*
 * Replay mode: a report's own sample time is taken as the time it was
 * received, so that the model's clock (staleness, windows) runs on the
 * replayed time, not the wall clock.
 */
void		 ingest_set_replay(struct ingest *, int on);

/*
 * Receives and handles up to `max` waiting messages without blocking.
 * Returns how many were handled, or a negative errno on a socket error.
 * Malformed messages are counted and logged at most once per 10 s.
 */
int		 ingest_drain(struct ingest *, int64_t now_ms, int max);

/*
 * Writes the checkpoint (write to a temporary file, fsync, rename) and
 * then acknowledges what it holds.  On a write error (a full disk) the
 * old checkpoint stays, nothing new is acknowledged (collectors keep
 * the reports), and -errno is returned; ingest goes on.
 */
int		 ingest_checkpoint(struct ingest *);

/*
 * Sends a command to the collector of host `uuid`.  Returns 0, or
 * -EHOSTUNREACH when that collector is not connected (with CURVE: or
 * no admitted message from it has shown its route yet), or -errno.
 */
int		 ingest_send_command(struct ingest *, const uint8_t uuid[16],
		    Ballast__V1__Command *);

const struct ingest_stats *ingest_stats(const struct ingest *);

#endif
