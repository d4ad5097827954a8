/* SPDX-License-Identifier: ISC */
/*
 * rrdbatch: a client of rrdcached(1)'s text protocol that sends RRD
 * updates in BATCH commands over its own socket, without blocking the
 * caller's event loop for longer than the caller allows.
 *
 * Updates are queued as "UPDATE file values" lines.  rrdbatch_run()
 * connects when needed, sends the queue as one BATCH (at most
 * RRDBATCH_MAX_BATCH bytes of it), reads rrdcached's answer ("N errors"
 * and one line per refused command) and only then drops the lines
 * from the queue: an update is *acknowledged* when rrdcached has
 * answered the BATCH that carried it.  A connection that breaks before
 * the answer leaves its lines queued; they are sent again.
 *
 * rrdcached writes its journal (-j) through a stdio buffer, so a
 * kill -9 can lose the last few kilobytes it acknowledged.  rrdbatch
 * therefore keeps the lines acknowledged in the last `replay_ms` and
 * sends them again, first, after every reconnection; rrdcached refuses
 * those it already has ("illegal attempt to update ... minimum one
 * second step"), which are counted as duplicates, not errors.
 *
 * While rrdcached is away the queue grows up to `max_queue` bytes;
 * beyond that the oldest lines are dropped and counted.  Reconnection
 * is tried at most once a second.
 *
 * Addresses: "unix:/path", "/path" (a UNIX socket), "host:port",
 * "[v6addr]:port" or "host" (TCP, port 42217), as rrdcached's -l.
 *
 * The module never prints; failures come back as -errno with a
 * sentence in the caller's buffer.  Single-threaded: one caller.
 */
#ifndef BALLAST_RRDBATCH_H
#define BALLAST_RRDBATCH_H

#include <stddef.h>
#include <stdint.h>

#define RRDBATCH_DEFAULT_PORT	"42217"
#define RRDBATCH_MAX_BATCH	(4u * 1024 * 1024)	/* bytes in one BATCH */
#define RRDBATCH_MAX_LINE	4000	/* rrdcached's own limit is 4096 */

struct rrdbatch_stats {
	uint64_t	 acked;		/* lines rrdcached answered for, errors and replays included */
	uint64_t	 refused;	/* of those, refused for another reason than a duplicate */
	uint64_t	 duplicates;	/* of those, refused as already present */
	uint64_t	 dropped;	/* dropped from a full queue, never sent */
	uint64_t	 replayed;	/* lines sent again after a reconnection */
	uint64_t	 batches;
	uint64_t	 connects;	/* successful connections */
	uint64_t	 connect_errors;
	uint64_t	 io_errors;	/* connections lost with a batch in flight */
	size_t		 queued;	/* lines waiting, in flight included */
	int		 connected;
	char		 last_refusal[256];	/* rrdcached's last error line */
};

struct rrdbatch;

/*
 * Checks the address and returns a client (not connected yet), or
 * NULL with a reason in err (bad address, out of memory).
 * max_queue 0: 64 MiB; replay_ms < 0: 10000.
 */
struct rrdbatch	*rrdbatch_new(const char *addr, size_t max_queue,
		    int64_t replay_ms, char *err, size_t errlen);
void		 rrdbatch_free(struct rrdbatch *);

/* Checks an address's syntax only.  0 or -EINVAL. */
int		 rrdbatch_check_addr(const char *addr);

/*
 * Queues "UPDATE file values".  file must hold no blank or newline,
 * the line must fit RRDBATCH_MAX_LINE.  Returns 0, -EINVAL, or
 * -ENOBUFS when the queue was full (older lines were dropped to make
 * room, or this one when a batch is in flight; counted in dropped).
 */
int		 rrdbatch_update(struct rrdbatch *, const char *file,
		    const char *values);

/*
 * Makes progress for at most timeout_ms (0: only what the socket
 * takes without waiting): connects, sends, reads answers, and starts
 * the next batch when one is answered.  Returns 0 when all went well
 * (or there was nothing to do), or -errno when rrdcached cannot be
 * reached or the connection broke, with a sentence in err; the queue
 * is kept and the next call tries again.
 */
int		 rrdbatch_run(struct rrdbatch *, int64_t now_ms, int timeout_ms,
		    char *err, size_t errlen);

/*
 * Runs until every queued line is acknowledged, then sends FLUSHALL
 * (rrdcached starts writing everything to the files).  Gives up after
 * timeout_ms.  Returns 0, -ETIMEDOUT or -errno (err says why).
 */
int		 rrdbatch_drain(struct rrdbatch *, int timeout_ms, char *err,
		    size_t errlen);

/*
 * Sends one command (e.g. "STATS", "FLUSH /x.rrd") on a connection of
 * its own, blocking up to timeout_ms, and returns rrdcached's whole
 * answer (status line and the lines it announces) in a malloc'd
 * string in *out.  0 or -errno.  For benchmarks and tools.
 */
int		 rrdbatch_command(const char *addr, const char *cmd,
		    int timeout_ms, char **out, char *err, size_t errlen);

const struct rrdbatch_stats *rrdbatch_stats(const struct rrdbatch *);

#endif
