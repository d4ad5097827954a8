/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zmq.h>

#include "log.h"
#include "zap.h"

#define ZAP_ENDPOINT	"inproc://zeromq.zap.01"
#define ZAP_FRAMES	7	/* version, id, domain, address, identity
				   (ours, not the peer's), mechanism,
				   credentials */
#define ZAP_FRAME_MAX	256
#define ZAP_COMPLAIN_MS	10000

struct zap {
	void			*sock;
	struct authcoll		 t;
	struct zap_stats	*st;
	struct log_complaint	 refused;
};

struct zap_frame {
	uint8_t		 b[ZAP_FRAME_MAX];
	size_t		 len;
};

struct zap *
zap_new(void *zctx, struct zap_stats *st, char *err, size_t errlen)
{
	struct zap	*z;
	int		 zero = 0;

	if ((z = calloc(1, sizeof(*z))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	z->st = st;
	if ((z->sock = zmq_socket(zctx, ZMQ_REP)) == NULL ||
	    zmq_setsockopt(z->sock, ZMQ_LINGER, &zero, sizeof(zero)) ||
	    zmq_bind(z->sock, ZAP_ENDPOINT) == -1) {
		snprintf(err, errlen, "cannot start the CURVE authentication "
		    "handler: %s", zmq_strerror(zmq_errno()));
		zap_free(z);
		return NULL;
	}
	return z;
}

void
zap_free(struct zap *z)
{
	if (z == NULL)
		return;
	if (z->sock != NULL)
		zmq_close(z->sock);
	authcoll_clear(&z->t);
	free(z);
}

void *
zap_socket(struct zap *z)
{
	return z->sock;
}

void
zap_set_table(struct zap *z, struct authcoll *t)
{
	authcoll_clear(&z->t);
	z->t = *t;
	memset(t, 0, sizeof(*t));
}

const struct authcoll *
zap_table(const struct zap *z)
{
	return &z->t;
}

/* Reads one request; 0, or -EAGAIN when none waits, -EBADMSG. */
static int
zap_recv(struct zap *z, struct zap_frame f[ZAP_FRAMES])
{
	int	 more = 1, n = 0, len;
	size_t	 sz = sizeof(more);

	for (len = 0; len < ZAP_FRAMES; len++)
		f[len].len = 0;
	while (more) {
		len = zmq_recv(z->sock, n < ZAP_FRAMES ? f[n].b : f[0].b,
		    ZAP_FRAME_MAX, n == 0 ? ZMQ_DONTWAIT : 0);
		if (len == -1)
			return n == 0 ? -EAGAIN : -EBADMSG;
		if (n < ZAP_FRAMES)
			f[n].len = (size_t)len < ZAP_FRAME_MAX ?
			    (size_t)len : ZAP_FRAME_MAX;
		n++;
		if (zmq_getsockopt(z->sock, ZMQ_RCVMORE, &more, &sz) == -1)
			more = 0;
	}
	return n == ZAP_FRAMES ? 0 : -EBADMSG;
}

static void
zap_reply(struct zap *z, const struct zap_frame *id, const char *code,
    const char *text, const char *user)
{
	zmq_send(z->sock, "1.0", 3, ZMQ_SNDMORE);
	zmq_send(z->sock, id->b, id->len, ZMQ_SNDMORE);
	zmq_send(z->sock, code, strlen(code), ZMQ_SNDMORE);
	zmq_send(z->sock, text, strlen(text), ZMQ_SNDMORE);
	zmq_send(z->sock, user, strlen(user), ZMQ_SNDMORE);
	zmq_send(z->sock, "", 0, 0);
}

static void
zap_handle(struct zap *z, struct zap_frame f[ZAP_FRAMES])
{
	const struct authcoll_entry	*e = NULL;
	const char			*why = NULL;
	char				 key[ZCURVE_Z85_LEN + 1], addr[64];

	if (f[0].len != 3 || memcmp(f[0].b, "1.0", 3) != 0) {
		zap_reply(z, &f[1], "500", "unknown ZAP version", "");
		return;
	}
	if (f[5].len != 5 || memcmp(f[5].b, "CURVE", 5) != 0)
		why = "not a CURVE handshake";
	else if (f[6].len != ZCURVE_BIN_LEN ||
	    (e = authcoll_by_key(&z->t, f[6].b)) == NULL)
		why = "its key is not in the authorised-collectors file";
	if (why == NULL) {
		z->st->accepted++;
		zap_reply(z, &f[1], "200", "OK", e->name);
		return;
	}
	z->st->refused++;
	key[0] = '\0';
	if (f[6].len == ZCURVE_BIN_LEN)
		zmq_z85_encode(key, f[6].b, ZCURVE_BIN_LEN);
	snprintf(addr, sizeof(addr), "%.*s", (int)f[3].len, (const char *)f[3].b);
	log_complain(&z->refused, ZAP_COMPLAIN_MS, "refused a collector from "
	    "%s with key %s: %s", addr[0] ? addr : "?", key[0] ? key : "-", why);
	zap_reply(z, &f[1], "400", why, "");
}

int
zap_drain(struct zap *z)
{
	struct zap_frame	 f[ZAP_FRAMES];
	int			 n = 0, rc;

	while ((rc = zap_recv(z, f)) != -EAGAIN) {
		if (rc == 0)
			zap_handle(z, f);
		else
			zap_reply(z, &f[1], "500", "malformed request", "");
		n++;
	}
	return n;
}
