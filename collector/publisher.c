/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zmq.h>

#include "publisher.h"
#include "util.h"

#define PUB_RESEND_BURST	64	/* reports resent per tick at most */
#define PUB_NEVER		INT64_MIN

struct pub_entry {
	uint64_t	 seq;
	uint8_t		*buf;
	size_t		 len;
	int64_t		 sent_ms;	/* last time it went out; PUB_NEVER: never */
};

struct pub {
	void			*sock;
	struct pub_config	 cfg;
	char			 name[WIRE_MAX_HOST_NAME + 1];
	uint64_t		 incarnation;
	uint64_t		 seq;
	struct pub_entry	*ring;		/* max_pending entries */
	size_t			 head, n;	/* oldest, count */
	int64_t			 hello_ms;
	struct pub_stats	 st;
	struct wire_decoder	*dec;
	void			*mon;		/* handshake events; NULL: none */
	int64_t			 redial_ms;	/* after a refused handshake; 0 */
};

static int
pub_send_raw(struct pub *p, const void *buf, size_t len)
{
	if (zmq_send(p->sock, buf, len, ZMQ_DONTWAIT) == -1) {
		p->st.send_errors++;
		return -zmq_errno();
	}
	return 0;
}

static void
pub_hello(struct pub *p, int64_t now_ms)
{
	wire_envelope		 e = BALLAST__V1__ENVELOPE__INIT;
	Ballast__V1__Hello	 h = BALLAST__V1__HELLO__INIT;
	uint8_t			*buf;
	size_t			 len;

	h.host_uuid.data = p->cfg.host_uuid;
	h.host_uuid.len = 16;
	h.host_name = p->name;
	h.software = (char *)(uintptr_t)(p->cfg.software ? p->cfg.software : "");
	h.capabilities = (char **)(uintptr_t)p->cfg.caps;
	h.n_capabilities = p->cfg.ncaps;
	h.incarnation = p->incarnation;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_HELLO;
	e.hello = &h;
	if ((buf = wire_pack(&e, &len)) == NULL)
		return;
	pub_send_raw(p, buf, len);
	free(buf);
	p->hello_ms = now_ms;
}

/* Sets the CURVE client keys (before a connect). */
static int
pub_curve(struct pub *p, const char *server_key, const struct zcurve_pair *kp)
{
	if (zmq_setsockopt(p->sock, ZMQ_CURVE_SERVERKEY, server_key,
	    ZCURVE_Z85_LEN) || zmq_setsockopt(p->sock, ZMQ_CURVE_PUBLICKEY,
	    kp->pub, ZCURVE_Z85_LEN) || zmq_setsockopt(p->sock,
	    ZMQ_CURVE_SECRETKEY, kp->secret, ZCURVE_Z85_LEN))
		return -1;
	return 0;
}

/* A PAIR socket that receives the DEALER's handshake events. */
static int
pub_monitor(struct pub *p, void *zctx)
{
	char	 ep[64];
	int	 zero = 0;

	snprintf(ep, sizeof(ep), "inproc://ballast-pub-%p", (void *)p);
	if (zmq_socket_monitor(p->sock, ep, ZMQ_EVENT_HANDSHAKE_SUCCEEDED |
	    ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
	    ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
	    ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) == -1 ||
	    (p->mon = zmq_socket(zctx, ZMQ_PAIR)) == NULL ||
	    zmq_setsockopt(p->mon, ZMQ_LINGER, &zero, sizeof(zero)) ||
	    zmq_connect(p->mon, ep) == -1)
		return -1;
	return 0;
}

static int
pub_socket_new(struct pub *p, void *zctx)
{
	uint8_t		 rid[WIRE_ROUTING_ID_CURVE_LEN];
	size_t		 rlen = WIRE_ROUTING_ID_LEN;
	int		 hwm = 1000, zero = 0, ivl = 100, ivlmax = 2000, rc;
	int64_t		 maxsz = WIRE_MAX_MSG_BYTES;

	/* CURVE: a routing id with our secret, which nobody else can take */
	wire_routing_id(p->cfg.host_uuid, rid);
	if (p->cfg.server_key != NULL) {
		if ((rc = wire_routing_id_secret(p->cfg.host_uuid, rid)) < 0) {
			errno = -rc;
			return -1;
		}
		rlen = WIRE_ROUTING_ID_CURVE_LEN;
	}
	if ((p->sock = zmq_socket(zctx, ZMQ_DEALER)) == NULL ||
	    zmq_setsockopt(p->sock, ZMQ_ROUTING_ID, rid, rlen) ||
	    zmq_setsockopt(p->sock, ZMQ_SNDHWM, &hwm, sizeof(hwm)) ||
	    zmq_setsockopt(p->sock, ZMQ_RCVHWM, &hwm, sizeof(hwm)) ||
	    zmq_setsockopt(p->sock, ZMQ_MAXMSGSIZE, &maxsz, sizeof(maxsz)) ||
	    zmq_setsockopt(p->sock, ZMQ_LINGER, &zero, sizeof(zero)) ||
	    zmq_setsockopt(p->sock, ZMQ_RECONNECT_IVL, &ivl, sizeof(ivl)) ||
	    zmq_setsockopt(p->sock, ZMQ_RECONNECT_IVL_MAX, &ivlmax,
	    sizeof(ivlmax)))
		return -1;
	/* CURVE only: the handshakes are worth watching */
	if (p->cfg.server_key != NULL && (pub_monitor(p, zctx) == -1 ||
	    pub_curve(p, p->cfg.server_key, p->cfg.curve) == -1))
		return -1;
	return zmq_connect(p->sock, p->cfg.endpoint);
}

struct pub *
pub_new(void *zctx, const struct pub_config *cfg, char *err, size_t errlen)
{
	struct pub	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		goto nomem;
	p->cfg = *cfg;
	if (p->cfg.max_pending == 0)
		p->cfg.max_pending = 720;
	if (p->cfg.resend_ms <= 0)
		p->cfg.resend_ms = 5000;
	util_strlcpy(p->name, cfg->host_name, sizeof(p->name));
	p->incarnation = (uint64_t)util_now_real_ms() * 1000 +
	    (util_hash64(cfg->host_uuid, 16) % 1000);
	if ((p->ring = calloc(p->cfg.max_pending, sizeof(*p->ring))) == NULL ||
	    (p->dec = wire_decoder_new()) == NULL)
		goto nomem;
	if (pub_socket_new(p, zctx) == -1) {
		snprintf(err, errlen, "cannot connect to the balancer at %s: %s",
		    cfg->endpoint, zmq_strerror(zmq_errno()));
		pub_free(p, 0);
		return NULL;
	}
	pub_hello(p, util_now_mono_ms());
	return p;
nomem:
	snprintf(err, errlen, "out of memory");
	pub_free(p, 0);
	return NULL;
}

int
pub_rekey(struct pub *p, const char *server_key, const struct zcurve_pair *kp,
    char *err, size_t errlen)
{
	int	 rc;

	zmq_disconnect(p->sock, p->cfg.endpoint);
	if (pub_curve(p, server_key, kp) == -1 ||
	    zmq_connect(p->sock, p->cfg.endpoint) == -1) {
		rc = -zmq_errno();
		snprintf(err, errlen, "cannot connect to the balancer at %s "
		    "with the new keys: %s", p->cfg.endpoint, zmq_strerror(-rc));
		return rc;
	}
	return 0;
}

void
pub_free(struct pub *p, int linger_ms)
{
	size_t	 i;

	if (p == NULL)
		return;
	if (p->sock != NULL) {
		zmq_socket_monitor(p->sock, NULL, 0);
		zmq_setsockopt(p->sock, ZMQ_LINGER, &linger_ms, sizeof(linger_ms));
		zmq_close(p->sock);
	}
	if (p->mon != NULL)
		zmq_close(p->mon);
	for (i = 0; p->ring != NULL && i < p->cfg.max_pending; i++)
		free(p->ring[i].buf);
	free(p->ring);
	wire_decoder_free(p->dec);
	free(p);
}

void *
pub_socket(struct pub *p)
{
	return p->sock;
}

const struct pub_stats *
pub_stats(const struct pub *p)
{
	return &p->st;
}

static struct pub_entry *
pub_at(struct pub *p, size_t k)
{
	return &p->ring[(p->head + k) % p->cfg.max_pending];
}

static void
pub_drop_oldest(struct pub *p)
{
	struct pub_entry	*e = pub_at(p, 0);

	free(e->buf);
	e->buf = NULL;
	p->head = (p->head + 1) % p->cfg.max_pending;
	p->n--;
}

int
pub_send_report(struct pub *p, wire_report *r, int64_t now_ms)
{
	wire_envelope		 env = BALLAST__V1__ENVELOPE__INIT;
	struct pub_entry	*e;
	uint8_t			*buf;
	size_t			 len;

	r->host_uuid.data = p->cfg.host_uuid;
	r->host_uuid.len = 16;
	r->host_name = p->name;
	r->seq = p->seq + 1;
	r->incarnation = p->incarnation;
	if (p->n == p->cfg.max_pending) {
		pub_drop_oldest(p);
		p->st.dropped++;
	}
	r->replay_floor = p->n ? pub_at(p, 0)->seq : r->seq;
	env.body_case = BALLAST__V1__ENVELOPE__BODY_REPORT;
	env.report = r;
	if ((buf = wire_pack(&env, &len)) == NULL)
		return -ENOMEM;
	p->seq++;
	e = pub_at(p, p->n);
	e->seq = r->seq;
	e->buf = buf;
	e->len = len;
	e->sent_ms = PUB_NEVER;
	p->n++;
	p->st.pending = p->n;
	/* in order: overdue older reports go first (pub_tick) */
	if (p->n == 1 || pub_at(p, p->n - 2)->sent_ms != PUB_NEVER) {
		if (pub_send_raw(p, buf, len) == 0) {
			e->sent_ms = now_ms;
			p->st.sent++;
		}
	}
	return 0;
}

int
pub_send_status(struct pub *p, Ballast__V1__CommandStatus *s)
{
	wire_envelope	 env = BALLAST__V1__ENVELOPE__INIT;
	uint8_t		*buf;
	size_t		 len;
	int		 rc;

	s->host_uuid.data = p->cfg.host_uuid;
	s->host_uuid.len = 16;
	env.body_case = BALLAST__V1__ENVELOPE__BODY_STATUS;
	env.status = s;
	if ((buf = wire_pack(&env, &len)) == NULL)
		return -ENOMEM;
	rc = pub_send_raw(p, buf, len);
	free(buf);
	return rc;
}

static void
pub_acked(struct pub *p, const Ballast__V1__Ack *a)
{
	if (a->incarnation != p->incarnation)
		return;
	while (p->n > 0 && pub_at(p, 0)->seq <= a->seq) {
		pub_drop_oldest(p);
		p->st.acked++;
	}
	p->st.pending = p->n;
}

int
pub_dispatch(struct pub *p, pub_command_cb cb, void *arg)
{
	zmq_msg_t	 msg;
	wire_envelope	*e;
	char		 err[256];
	int		 n = 0;
	const unsigned	 accept = 1u << BALLAST__V1__ENVELOPE__BODY_ACK |
	    1u << BALLAST__V1__ENVELOPE__BODY_COMMAND;

	zmq_msg_init(&msg);
	while (zmq_msg_recv(&msg, p->sock, ZMQ_DONTWAIT) != -1) {
		n++;
		if (wire_decode(p->dec, zmq_msg_data(&msg), zmq_msg_size(&msg),
		    accept, &e, err, sizeof(err)) < 0) {
			p->st.bad_messages++;
			continue;
		}
		if (e->body_case == BALLAST__V1__ENVELOPE__BODY_ACK)
			pub_acked(p, e->ack);
		else if (cb != NULL)
			cb(arg, e->command);
	}
	zmq_msg_close(&msg);
	return n;
}

/* Why a handshake failed, from a monitor event. */
static void
pub_handshake_reason(struct pub *p, uint16_t ev, uint32_t val)
{
	const char	*why;

	if (ev == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
		why = "the balancer refused our key";
	else if (ev == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL)
		why = "protocol error (a balancer with another key, or not "
		    "on CURVE?)";
	else
		why = "the connection closed during the handshake (a balancer "
		    "with another key, or not on CURVE?)";
	snprintf(p->st.handshake_error, sizeof(p->st.handshake_error),
	    "%s (%u)", why, val);
}

/*
 * Reads the monitor's events: [event u16, value u32] + endpoint.  After
 * a failed handshake libzmq may give up on the connection (a refused
 * key is final to it): dial again resend_ms later, so that a key
 * authorised meanwhile gets in.
 */
static void
pub_events(struct pub *p, int64_t now_ms)
{
	uint8_t		 b[6];
	uint16_t	 ev;
	uint32_t	 val;
	int		 more;
	size_t		 sz = sizeof(more);

	while (p->mon != NULL && zmq_recv(p->mon, b, sizeof(b),
	    ZMQ_DONTWAIT) >= 6) {
		memcpy(&ev, b, 2);
		memcpy(&val, b + 2, 4);
		while (zmq_getsockopt(p->mon, ZMQ_RCVMORE, &more, &sz) == 0 &&
		    more && zmq_recv(p->mon, b, 0, ZMQ_DONTWAIT) != -1)
			;
		if (ev == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
			p->st.handshakes++;
			continue;
		}
		p->st.handshake_failed++;
		pub_handshake_reason(p, ev, val);
		if (p->redial_ms == 0)
			p->redial_ms = now_ms + p->cfg.resend_ms;
	}
	if (p->redial_ms != 0 && now_ms >= p->redial_ms) {
		p->redial_ms = 0;
		zmq_disconnect(p->sock, p->cfg.endpoint);
		zmq_connect(p->sock, p->cfg.endpoint);
	}
}

void
pub_tick(struct pub *p, int64_t now_ms)
{
	struct pub_entry	*e;
	size_t			 k, burst = 0;
	int			 resent = 0;

	pub_events(p, now_ms);
	for (k = 0; k < p->n && burst < PUB_RESEND_BURST; k++) {
		e = pub_at(p, k);
		if (e->sent_ms != PUB_NEVER && now_ms - e->sent_ms < p->cfg.resend_ms)
			continue;
		if (!resent && e->sent_ms != PUB_NEVER &&
		    now_ms - p->hello_ms >= p->cfg.resend_ms)
			pub_hello(p, now_ms);	/* perhaps a new balancer */
		if (pub_send_raw(p, e->buf, e->len) != 0)
			break;
		if (e->sent_ms != PUB_NEVER)
			p->st.resent++;
		else
			p->st.sent++;
		e->sent_ms = now_ms;
		resent = 1;
		burst++;
	}
}
