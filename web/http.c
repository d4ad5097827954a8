/* SPDX-License-Identifier: ISC */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "http.h"

struct http {
	struct MHD_Daemon	*d;
	http_handler		 handler;
	void			*arg;
	char			*cert, *key;	/* PEM, kept while d runs */
};

/* Per-connection upload buffer. */
struct http_upload {
	char		*buf;
	size_t		 len;
	int		 too_big;
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
http_collect(struct http_upload *u, const char *data, size_t *size)
{
	char	*nb;

	if (*size == 0)
		return 0;
	if (u->too_big || u->len + *size > HTTP_MAX_BODY) {
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
	if (u == NULL) {
		if ((u = calloc(1, sizeof(*u))) == NULL)
			return MHD_NO;
		*con_cls = u;
		return MHD_YES;
	}
	if (http_collect(u, data, size))
		return MHD_YES;
	memset(&resp, 0, sizeof(resp));
	if (u->too_big) {
		http_fixed(&resp, 413, "{\"error\":\"request body over 64 KiB\"}");
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

static struct MHD_Daemon *
http_start(struct http *h, unsigned flags, int port,
    const struct sockaddr_storage *ss)
{
	if (h->cert != NULL)
		return MHD_start_daemon(flags | MHD_USE_TLS, (uint16_t)port,
		    NULL, NULL, http_access, h,
		    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)ss,
		    MHD_OPTION_NOTIFY_COMPLETED, http_done, h,
		    MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		    MHD_OPTION_HTTPS_MEM_CERT, h->cert,
		    MHD_OPTION_HTTPS_MEM_KEY, h->key,
		    MHD_OPTION_END);
	return MHD_start_daemon(flags, (uint16_t)port, NULL, NULL,
	    http_access, h,
	    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)ss,
	    MHD_OPTION_NOTIFY_COMPLETED, http_done, h,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
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
    const char *key_pem, http_handler handler, void *arg, char *err,
    size_t errlen)
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
	if ((h = calloc(1, sizeof(*h))) == NULL || (tls &&
	    ((h->cert = strdup(cert_pem)) == NULL ||
	    (h->key = strdup(key_pem)) == NULL))) {
		if (h != NULL)
			http_free_keys(h);
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
		    "%d (in use by another program? set \"listen api\")",
		    addr, port);
		http_free_keys(h);
		free(h);
		return NULL;
	}
	return h;
}

struct http *
http_new(const char *addr, int port, http_handler handler, void *arg,
    char *err, size_t errlen)
{
	return http_new_tls(addr, port, NULL, NULL, handler, arg, err, errlen);
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	MHD_stop_daemon(h->d);
	http_free_keys(h);
	free(h);
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
