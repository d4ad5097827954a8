/* SPDX-License-Identifier: ISC */
/*
 * http: a small HTTP/1.1 server on libmicrohttpd, run from the daemon's
 * own event loop (no threads: MHD's epoll descriptor is polled with the
 * ZeroMQ sockets), so handlers read the model without locks.
 */
#ifndef BALLAST_HTTP_H
#define BALLAST_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "http_guard.h"

struct http_request {
	const char	*method;
	const char	*path;		/* without the query */
	const char	*body;		/* NUL-terminated; "" when none */
	size_t		 body_len;
	void		*conn;		/* for http_query_arg, http_header */
};

struct http_response {
	int		 status;
	char		*body;		/* malloc'd; the server frees it */
	size_t		 len;
	const char	*content_type;	/* static string */
	/* NULL, or more headers: name, value, ..., NULL (static strings) */
	const char *const *headers;
};

typedef void (*http_handler)(void *arg, const struct http_request *,
	    struct http_response *);

struct http;

/*
 * Listens on addr:port (an IPv4 or IPv6 literal).  Returns NULL with a
 * reason in err (address in use, bad address).
 */
struct http	*http_new(const char *addr, int port, http_handler, void *arg,
		    char *err, size_t errlen);
/*
 * The same over TLS (HTTPS only on that port) when cert_pem and key_pem
 * are not NULL: the PEM texts of the certificate (chain) and its private
 * key, copied by the server.  lim (copied; NULL or zero fields: the
 * defaults in http_guard.h) bounds connections and requests: a client
 * over the total or per-address bound is closed at accept, a request
 * head over max_header or max_headers gets 431, a body over max_body
 * 413, a connection silent for idle_s is closed; each is counted in
 * http_stats().  NULL with a reason in err when libmicrohttpd lacks TLS
 * or refuses the pair.
 */
struct http	*http_new_tls(const char *addr, int port, const char *cert_pem,
		    const char *key_pem, const struct http_limits *lim,
		    http_handler, void *arg, char *err, size_t errlen);
void		 http_free(struct http *);

/* What the bounds refused, and the connections open; owned by the server. */
const struct http_stats *http_stats(const struct http *);

/* The descriptor to poll for reading. */
int		 http_fd(struct http *);
/* Milliseconds until http_run must be called anyway; -1: no limit. */
int64_t		 http_timeout_ms(struct http *);
/* Serves what is ready without blocking. */
void		 http_run(struct http *);

/* A query argument or request header of the request, or NULL. */
const char	*http_query_arg(const struct http_request *, const char *key);
const char	*http_header(const struct http_request *, const char *key);

#endif
