/* SPDX-License-Identifier: ISC */
/*
 * http_guard: the HTTP server's bounds on connections, total and per
 * client address, and the counters of what they refused.  The server
 * asks http_guard_admit() before it takes a connection and calls
 * http_guard_release() when it closes one it admitted; everything is
 * fixed-size (at most `connections` addresses are tracked), so a flood
 * of clients costs no memory.  Single-threaded, like the server.
 */
#ifndef BALLAST_HTTP_GUARD_H
#define BALLAST_HTTP_GUARD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* What an operator may bound (balancerd.conf: api-limits). */
struct http_limits {
	unsigned	 connections;	/* open at once; beyond: closed at accept */
	unsigned	 per_ip;	/* open at once from one address */
	unsigned	 idle_s;	/* a connection silent this long is closed */
	size_t		 max_body;	/* request body bytes; beyond: 413 */
	size_t		 max_header;	/* request line + header bytes; beyond: 431 */
	unsigned	 max_headers;	/* header fields; beyond: 431 */
};

#define HTTP_DEFAULT_CONNECTIONS	256
#define HTTP_DEFAULT_PER_IP		32
#define HTTP_DEFAULT_IDLE_S		30
#define HTTP_DEFAULT_MAX_BODY		(64 * 1024)
#define HTTP_DEFAULT_MAX_HEADER		(16 * 1024)
#define HTTP_DEFAULT_MAX_HEADERS	64

/* What the bounds did, for /metrics. */
struct http_stats {
	uint64_t	 accepted;		/* connections taken */
	uint64_t	 refused_limit;		/* over `connections` */
	uint64_t	 refused_per_ip;	/* over `per_ip` */
	uint64_t	 refused_body;		/* 413 */
	uint64_t	 refused_header;	/* 431 */
	uint64_t	 timed_out;		/* connections closed by idle_s */
	unsigned	 open;			/* connections open now */
};

struct http_guard;

/* The defaults above. */
void		 http_limits_defaults(struct http_limits *);

/* NULL when out of memory; lim is copied (zeros take the defaults). */
struct http_guard *http_guard_new(const struct http_limits *lim);
void		 http_guard_free(struct http_guard *);
const struct http_limits *http_guard_limits(const struct http_guard *);
struct http_stats *http_guard_stats(struct http_guard *);

/*
 * Whether a connection from addr may be taken: 0 (then counted open),
 * -EMFILE over the total, -EUSERS over the per-address bound (both
 * counted as refused).
 */
int		 http_guard_admit(struct http_guard *, const struct sockaddr *addr);
/* A connection admitted from addr has closed. */
void		 http_guard_release(struct http_guard *, const struct sockaddr *addr);

#endif
