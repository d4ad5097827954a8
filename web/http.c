/* SPDX-License-Identifier: ISC */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "http.h"
#include "log.h"
#include "util.h"

struct http {
	struct MHD_Daemon	*d;
	http_handler		 handler;
	void			*arg;
	char			*cert, *key;	/* PEM, kept while d runs */
	struct http_guard	*guard;		/* limits and their counters */
};

/* Per-request upload buffer. */
struct http_upload {
	char		*buf;
	size_t		 len;
	int		 too_big;
};

/* Per-connection: when it was last heard from, to count idle closes. */
struct http_conn {
	int64_t		 last_ms;
};

static enum MHD_Result
http_reply(struct MHD_Connection *c, struct http_response *r)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 ret;
	size_t			 i;

	resp = MHD_create_response_from_buffer(r->len, r->body,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(r->body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type",
	    r->content_type ? r->content_type : "application/json");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	for (i = 0; r->headers != NULL && r->headers[i] != NULL &&
	    r->headers[i + 1] != NULL; i += 2)
		MHD_add_response_header(resp, r->headers[i], r->headers[i + 1]);
	ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void
http_fixed(struct http_response *r, int status, const char *json)
{
	r->status = status;
	r->body = strdup(json);
	r->len = r->body ? strlen(r->body) : 0;
	r->content_type = "application/json";
}

/* Collects the body; returns 1 while more is coming. */
static int
http_collect(struct http_upload *u, size_t max, const char *data,
    size_t *size)
{
	char	*nb;

	if (*size == 0)
		return 0;
	if (u->too_big || u->len + *size > max) {
		u->too_big = 1;
	} else if ((nb = realloc(u->buf, u->len + *size + 1)) != NULL) {
		memcpy(nb + u->len, data, *size);
		u->buf = nb;
		u->len += *size;
		u->buf[u->len] = '\0';
	} else
		u->too_big = 1;
	*size = 0;
	return 1;
}

/* Adds up one header's bytes and count (an MHD_KeyValueIterator). */
static enum MHD_Result
http_count_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	size_t	*acc = cls;

	(void)kind;
	acc[0] += strlen(key) + (value ? strlen(value) : 0) + 4;
	acc[1]++;
	return MHD_YES;
}

/*
 * The bounds a request's head must keep: 0, or a refusal filled in
 * (431 for the header, 413 for a declared body over the bound).
 */
static int
http_check_head(struct http *h, struct MHD_Connection *c, const char *url,
    struct http_response *r)
{
	const struct http_limits	*l = http_guard_limits(h->guard);
	struct http_stats		*st = http_guard_stats(h->guard);
	const char			*cl;
	size_t				 acc[2] = { strlen(url), 0 };
	size_t				 q[2] = { 0, 0 };
	int64_t				 len;

	MHD_get_connection_values(c, MHD_HEADER_KIND, http_count_header, acc);
	/* the query's arguments count as bytes, not as fields */
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, http_count_header, q);
	acc[0] += q[0];
	if (acc[0] > l->max_header || acc[1] > l->max_headers) {
		st->refused_header++;
		http_fixed(r, 431, "{\"error\":\"request header too large "
		    "or too many header fields\"}");
		return -1;
	}
	cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (cl != NULL && (util_parse_i64(cl, 0, INT64_MAX, &len) < 0 ||
	    (uint64_t)len > l->max_body)) {
		st->refused_body++;
		http_fixed(r, 413, "{\"error\":\"request body too large\"}");
		return -1;
	}
	return 0;
}

/* Marks the connection heard from now. */
static void
http_heard(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo	*i;
	struct http_conn		*hc;

	i = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (i == NULL || (hc = i->socket_context) == NULL)
		return;
	hc->last_ms = util_now_mono_ms();
}

static enum MHD_Result
http_access(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *data, size_t *size,
    void **con_cls)
{
	struct http		*h = cls;
	struct http_upload	*u = *con_cls;
	struct http_request	 req;
	struct http_response	 resp;

	(void)version;
	memset(&resp, 0, sizeof(resp));
	http_heard(c);
	if (u == NULL) {
		if (http_check_head(h, c, url, &resp) < 0)
			return http_reply(c, &resp);
		if ((u = calloc(1, sizeof(*u))) == NULL)
			return MHD_NO;
		*con_cls = u;
		return MHD_YES;
	}
	if (http_collect(u, http_guard_limits(h->guard)->max_body, data, size))
		return MHD_YES;
	if (u->too_big) {
		http_guard_stats(h->guard)->refused_body++;
		http_fixed(&resp, 413, "{\"error\":\"request body too large\"}");
		return http_reply(c, &resp);
	}
	req.method = method;
	req.path = url;
	req.body = u->buf ? u->buf : "";
	req.body_len = u->len;
	req.conn = c;
	h->handler(h->arg, &req, &resp);
	if (resp.body == NULL)
		http_fixed(&resp, 500, "{\"error\":\"no response\"}");
	return http_reply(c, &resp);
}

static void
http_done(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_upload	*u = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (u != NULL) {
		free(u->buf);
		free(u);
		*con_cls = NULL;
	}
}

/* Every connection the guard let in is counted open until it closes. */
static enum MHD_Result
http_admit(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	struct http	*h = cls;

	(void)addrlen;
	return http_guard_admit(h->guard, addr) == 0 ? MHD_YES : MHD_NO;
}

/*
 * A connection opens or closes.  One that closes after being silent
 * for the idle bound (mid-request or between requests) was closed by
 * the timeout: libmicrohttpd does not say why it closes one.
 */
static void
http_conn_event(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	struct http			*h = cls;
	struct http_conn		*hc = *socket_context;
	const union MHD_ConnectionInfo	*i;
	int64_t				 idle_ms;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		if ((hc = calloc(1, sizeof(*hc))) != NULL)
			hc->last_ms = util_now_mono_ms();
		*socket_context = hc;
		return;
	}
	idle_ms = (int64_t)http_guard_limits(h->guard)->idle_s * 1000;
	if (hc != NULL && util_now_mono_ms() - hc->last_ms >= idle_ms - 250)
		http_guard_stats(h->guard)->timed_out++;
	free(hc);
	*socket_context = NULL;
	i = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	http_guard_release(h->guard, i != NULL ? i->client_addr : NULL);
}

/* Fills ss from an IPv4 or IPv6 literal; -1 otherwise. */
static int
http_addr(const char *addr, int port, struct sockaddr_storage *ss,
    unsigned *flags)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*flags |= MHD_USE_IPv6;
		return 0;
	}
	return -1;
}

/*
 * libmicrohttpd's messages (a client gone mid-request, ...) come at a
 * client's pace, so they are debug messages: the counters say the rest.
 */
static void
http_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char	 msg[256];
	size_t	 n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	if (n > 0 && msg[n - 1] == '\n')
		msg[n - 1] = '\0';
	log_debug("http: %s", msg);
}

/*
 * libmicrohttpd's own bounds sit above ours, as a backstop: the guard
 * refuses (and counts) first.  Its memory pool per connection holds the
 * request head and the I/O buffers, so it is sized from max_header.
 */
static struct MHD_Daemon *
http_start(struct http *h, unsigned flags, int port,
    const struct sockaddr_storage *ss)
{
	const struct http_limits	*l = http_guard_limits(h->guard);
	size_t				 pool = l->max_header * 2 + 32 * 1024;

	if (h->cert != NULL)
		return MHD_start_daemon(flags | MHD_USE_TLS, (uint16_t)port,
		    http_admit, h, http_access, h,
		    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)ss,
		    MHD_OPTION_NOTIFY_COMPLETED, http_done, h,
		    MHD_OPTION_NOTIFY_CONNECTION, http_conn_event, h,
		    MHD_OPTION_CONNECTION_LIMIT, l->connections + 16,
		    MHD_OPTION_CONNECTION_TIMEOUT, l->idle_s,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool,
		    MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, h,
		    MHD_OPTION_HTTPS_MEM_CERT, h->cert,
		    MHD_OPTION_HTTPS_MEM_KEY, h->key,
		    MHD_OPTION_END);
	return MHD_start_daemon(flags, (uint16_t)port, http_admit, h,
	    http_access, h,
	    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)ss,
	    MHD_OPTION_NOTIFY_COMPLETED, http_done, h,
	    MHD_OPTION_NOTIFY_CONNECTION, http_conn_event, h,
	    MHD_OPTION_CONNECTION_LIMIT, l->connections + 16,
	    MHD_OPTION_CONNECTION_TIMEOUT, l->idle_s,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool,
	    MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, h,
	    MHD_OPTION_END);
}

static void
http_free_keys(struct http *h)
{
	if (h->key != NULL)
		explicit_bzero(h->key, strlen(h->key));
	free(h->key);
	free(h->cert);
}

struct http *
http_new_tls(const char *addr, int port, const char *cert_pem,
    const char *key_pem, const struct http_limits *lim, http_handler handler,
    void *arg, char *err, size_t errlen)
{
	struct sockaddr_storage	 ss;
	struct http		*h;
	unsigned		 flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	int			 tls = cert_pem != NULL && key_pem != NULL;

	if (http_addr(addr, port, &ss, &flags) < 0) {
		snprintf(err, errlen, "API address \"%s\" is not an IPv4 or "
		    "IPv6 literal", addr);
		return NULL;
	}
	if (tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		snprintf(err, errlen, "this libmicrohttpd was built without TLS");
		return NULL;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (h->guard = http_guard_new(lim)) == NULL || (tls &&
	    ((h->cert = strdup(cert_pem)) == NULL ||
	    (h->key = strdup(key_pem)) == NULL))) {
		if (h != NULL) {
			http_free_keys(h);
			http_guard_free(h->guard);
		}
		free(h);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	h->handler = handler;
	h->arg = arg;
	if ((h->d = http_start(h, flags, port, &ss)) == NULL) {
		snprintf(err, errlen, tls ? "cannot serve the API over TLS on %s "
		    "port %d (port in use, or the certificate and key do not "
		    "load or do not match)" : "cannot serve the API on %s port "
		    "%d (in use by another program? set \"listen api\" or --api)",
		    addr, port);
		http_free_keys(h);
		http_guard_free(h->guard);
		free(h);
		return NULL;
	}
	return h;
}

struct http *
http_new(const char *addr, int port, http_handler handler, void *arg,
    char *err, size_t errlen)
{
	return http_new_tls(addr, port, NULL, NULL, NULL, handler, arg, err,
	    errlen);
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	MHD_stop_daemon(h->d);
	http_free_keys(h);
	http_guard_free(h->guard);
	free(h);
}

const struct http_stats *
http_stats(const struct http *h)
{
	return http_guard_stats(h->guard);
}

int
http_fd(struct http *h)
{
	const union MHD_DaemonInfo *i;

	i = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_EPOLL_FD);
	return i ? i->epoll_fd : -1;
}

int64_t
http_timeout_ms(struct http *h)
{
	MHD_UNSIGNED_LONG_LONG	 t;

	if (MHD_get_timeout(h->d, &t) != MHD_YES)
		return -1;
	return (int64_t)t;
}

void
http_run(struct http *h)
{
	MHD_run(h->d);
}

const char *
http_query_arg(const struct http_request *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *
http_header(const struct http_request *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, key);
}
