/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zmq.h>

#include "checkpoint.h"
#include "ingest.h"
#include "log.h"
#include "traffic.h"
#include "util.h"
#include "uuidmap.h"

#define INGEST_MAX_PEERS	20000
#define INGEST_RCVHWM		100000
#define INGEST_ZAP_DOMAIN	"ballast"
#define INGEST_REBIND_TRIES	40	/* x 50 ms */
#define INGEST_COMPLAIN_MS	10000

/* A collector as ingest knows it; the ckpt part is made durable. */
struct ingest_peer {
	struct ckpt_peer	 ck;		/* first: uuid is the map key */
	uint64_t		 acked;		/* highest seq acknowledged */
	uint64_t		 durable;	/* contiguous seq in the checkpoint */
	int			 known;		/* has a sequence baseline */
	int			 routed;	/* CURVE: route is set */
	uint8_t			 route[WIRE_ROUTING_ID_CURVE_LEN]; /* CURVE:
				   where its last admitted message came from */
};

struct ingest {
	void			*sock;
	struct model		*model;
	struct traffic		*traffic;	/* NULL: no traffic matrix */
	struct wire_decoder	*dec;
	char			 ckpt_path[4096];
	struct uuidmap		 peers;
	struct ingest_peer	**plist;
	size_t			 npeers;
	int			 dirty;
	ingest_status_cb	 status_cb;
	void			*status_arg;
	struct ingest_stats	 st;
	struct log_complaint	 bad, refused, misrouted;
	uint8_t			 rid[256];	/* last routing id */
	const char		*peer;		/* its connection's address */
	struct zap		*zap;		/* CURVE; NULL: plain */
	char			 endpoint[256];
	size_t			 max_hosts;
	char			 uid[AUTHCOLL_NAME_MAX]; /* last User-Id */
	char			 secret[ZCURVE_Z85_LEN + 1]; /* CURVE key */
	int			 replay;	/* sample time is the receive time */
	size_t			 rid_len;
};

static int
ingest_add_peer(struct ingest *in, const struct ckpt_peer *ck,
    struct ingest_peer **out)
{
	struct ingest_peer	*p, **np;

	if (in->npeers >= INGEST_MAX_PEERS)
		return -ENOSPC;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return -ENOMEM;
	p->ck = *ck;		/* the key must be set before the insert */
	np = reallocarray(in->plist, in->npeers + 1, sizeof(*np));
	if (np == NULL || uuidmap_put(&in->peers, p) < 0) {
		if (np != NULL)
			in->plist = np;
		free(p);
		return -ENOMEM;
	}
	in->plist = np;
	in->plist[in->npeers++] = p;
	*out = p;
	return 0;
}

static void
ingest_load(struct ingest *in)
{
	struct ckpt_peer	*peers = NULL;
	struct ingest_peer	*p;
	char			 err[512];
	size_t			 n = 0, i;
	uint64_t		 lost = 0;
	int			 rc;

	rc = checkpoint_load(in->ckpt_path, &peers, &n, &lost, err, sizeof(err));
	if (rc == -ENOENT)
		return;
	if (rc < 0) {
		log_warnx("%s; starting without sequence history", err);
		return;
	}
	for (i = 0; i < n; i++) {
		if (ingest_add_peer(in, &peers[i], &p) < 0)
			break;
		p->known = 1;
		p->durable = p->acked = p->ck.nmissing ?
		    p->ck.missing[0] - 1 : p->ck.seq;
	}
	in->st.reports_lost = lost;
	log_info("checkpoint: %zu hosts, %llu reports lost so far", n,
	    (unsigned long long)lost);
	free(peers);
}

/* Socket options, CURVE when keys are given, then bind. */
static int
ingest_listen(struct ingest *in, void *zctx, const struct zcurve_pair *kp)
{
	int64_t		 maxsz = WIRE_MAX_MSG_BYTES;
	int		 rhwm = INGEST_RCVHWM, shwm = INGEST_SNDHWM, one = 1;
	int		 zero = 0;

	if ((in->sock = zmq_socket(zctx, ZMQ_ROUTER)) == NULL ||
	    zmq_setsockopt(in->sock, ZMQ_MAXMSGSIZE, &maxsz, sizeof(maxsz)) ||
	    zmq_setsockopt(in->sock, ZMQ_RCVHWM, &rhwm, sizeof(rhwm)) ||
	    zmq_setsockopt(in->sock, ZMQ_SNDHWM, &shwm, sizeof(shwm)) ||
	    zmq_setsockopt(in->sock, ZMQ_ROUTER_HANDOVER, &one, sizeof(one)) ||
	    zmq_setsockopt(in->sock, ZMQ_ROUTER_MANDATORY, &one, sizeof(one)) ||
	    zmq_setsockopt(in->sock, ZMQ_LINGER, &zero, sizeof(zero)))
		return -1;
	if (kp != NULL && (zmq_setsockopt(in->sock, ZMQ_CURVE_SERVER, &one,
	    sizeof(one)) || zmq_setsockopt(in->sock, ZMQ_CURVE_SECRETKEY,
	    kp->secret, ZCURVE_Z85_LEN) || zmq_setsockopt(in->sock,
	    ZMQ_ZAP_DOMAIN, INGEST_ZAP_DOMAIN, strlen(INGEST_ZAP_DOMAIN))))
		return -1;
	return zmq_bind(in->sock, in->endpoint);
}

struct ingest *
ingest_new_opts(void *zctx, const struct ingest_opts *o, struct model *m,
    const char *state_dir, char *err, size_t errlen)
{
	struct ingest	*in;

	if ((in = calloc(1, sizeof(*in))) == NULL ||
	    (in->dec = wire_decoder_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		free(in);
		return NULL;
	}
	in->model = m;
	in->max_hosts = o->max_hosts ? o->max_hosts : INGEST_DEFAULT_MAX_HOSTS;
	util_strlcpy(in->endpoint, o->endpoint, sizeof(in->endpoint));
	if (o->curve != NULL && (in->zap = zap_new(zctx, &in->st.handshakes,
	    err, errlen)) == NULL) {
		ingest_free(in);
		return NULL;
	}
	if (o->curve != NULL)
		memcpy(in->secret, o->curve->secret, sizeof(in->secret));
	if (ingest_listen(in, zctx, o->curve) == -1) {
		snprintf(err, errlen, "cannot listen for reports on %s: %s%s",
		    o->endpoint, zmq_strerror(zmq_errno()),
		    zmq_errno() == EADDRINUSE ? " (another program, or "
		    "another balancer, has it: stop it, or set \"listen "
		    "reports\" or --reports)" : "");
		ingest_free(in);
		return NULL;
	}
	if (state_dir != NULL) {
		snprintf(in->ckpt_path, sizeof(in->ckpt_path),
		    "%s/ingest.checkpoint", state_dir);
		ingest_load(in);
	}
	return in;
}

struct ingest *
ingest_new(void *zctx, const char *endpoint, struct model *m,
    const char *state_dir, char *err, size_t errlen)
{
	struct ingest_opts	 o;

	memset(&o, 0, sizeof(o));
	o.endpoint = endpoint;
	return ingest_new_opts(zctx, &o, m, state_dir, err, errlen);
}

struct zap *
ingest_zap(struct ingest *in)
{
	return in->zap;
}

/* Binds again with secret; the old listener may take a moment to go. */
static int
ingest_rebind(struct ingest *in, const char *secret)
{
	int	 i;

	if (zmq_setsockopt(in->sock, ZMQ_CURVE_SECRETKEY, secret,
	    ZCURVE_Z85_LEN) == -1)
		return -zmq_errno();
	for (i = 0; i < INGEST_REBIND_TRIES; i++) {
		if (zmq_bind(in->sock, in->endpoint) == 0)
			return 0;
		if (zmq_errno() != EADDRINUSE)
			break;
		util_sleep_ms(50, NULL);
	}
	return -zmq_errno();
}

int
ingest_rekey(struct ingest *in, const struct zcurve_pair *kp, char *err,
    size_t errlen)
{
	int	 rc;

	if (in->zap == NULL) {
		snprintf(err, errlen, "reports are not on CURVE");
		return -EINVAL;
	}
	if (zmq_unbind(in->sock, in->endpoint) == -1) {
		rc = -zmq_errno();
		snprintf(err, errlen, "cannot stop listening on %s: %s",
		    in->endpoint, zmq_strerror(-rc));
		return rc;
	}
	if ((rc = ingest_rebind(in, kp->secret)) == 0) {
		memcpy(in->secret, kp->secret, sizeof(in->secret));
		return 0;
	}
	snprintf(err, errlen, "cannot listen again on %s with the new key: "
	    "%s", in->endpoint, zmq_strerror(-rc));
	if (ingest_rebind(in, in->secret) < 0)
		log_warnx("cannot listen on %s with the old key either: %s; "
		    "no reports until a restart", in->endpoint,
		    zmq_strerror(zmq_errno()));
	return rc;
}

void
ingest_free(struct ingest *in)
{
	size_t	 i;

	if (in == NULL)
		return;
	if (in->sock != NULL)
		zmq_close(in->sock);
	zap_free(in->zap);
	explicit_bzero(in->secret, sizeof(in->secret));
	for (i = 0; i < in->npeers; i++)
		free(in->plist[i]);
	free(in->plist);
	uuidmap_clear(&in->peers);
	wire_decoder_free(in->dec);
	free(in);
}

void *
ingest_socket(struct ingest *in)
{
	return in->sock;
}

void
ingest_set_replay(struct ingest *in, int on)
{
	in->replay = on;
}

void
ingest_set_traffic(struct ingest *in, struct traffic *t)
{
	in->traffic = t;
}

void
ingest_on_status(struct ingest *in, ingest_status_cb cb, void *arg)
{
	in->status_cb = cb;
	in->status_arg = arg;
}

const struct ingest_stats *
ingest_stats(const struct ingest *in)
{
	return &in->st;
}

/*
 * Does the sender's routing id belong to host uuid?  With CURVE it must
 * also carry a collector's secret (wire_routing_id_secret).
 */
static int
ingest_sender_is(const struct ingest *in, const ProtobufCBinaryData *uuid)
{
	return uuid->len == 16 && wire_routing_id_is(in->rid, in->rid_len,
	    uuid->data, in->zap != NULL);
}

/*
 * CURVE: may the sender's key speak for this host (uuid, and name when
 * the message has one)?  NULL, or why not.
 */
static const char *
ingest_auth(const struct ingest *in, const ProtobufCBinaryData *uuid,
    const char *name)
{
	const struct authcoll_entry	*e;
	const struct model_host		*h;

	if (in->zap == NULL)
		return NULL;
	if ((e = authcoll_by_name(zap_table(in->zap), in->uid)) == NULL)
		return "its key is no longer authorised";
	if (e->has_uuid && memcmp(e->uuid, uuid->data, 16) != 0)
		return "its key is bound to another host UUID";
	if (name != NULL && strcmp(name, e->name) != 0)
		return "its key is bound to another host name";
	if (name == NULL && !e->has_uuid &&
	    ((h = model_host_by_uuid(in->model, uuid->data)) == NULL ||
	    strcmp(h->name, e->name) != 0))
		return "its key is bound to another host";
	return NULL;
}

static void
ingest_missing_add(struct ingest *in, struct ckpt_peer *ck, uint64_t from,
    uint64_t to)
{
	uint64_t	 s;

	in->st.reports_lost += to - from + 1;
	if (to - from + 1 > CKPT_MISSING_MAX)
		from = to - CKPT_MISSING_MAX + 1;
	for (s = from; s <= to; s++) {
		if (ck->nmissing == CKPT_MISSING_MAX) {
			/* forget the oldest: it stays counted as lost */
			memmove(ck->missing, ck->missing + 1,
			    (CKPT_MISSING_MAX - 1) * sizeof(uint64_t));
			ck->nmissing--;
		}
		ck->missing[ck->nmissing++] = s;
	}
}

/* Removes seq from the missing set; returns 1 if it was there. */
static int
ingest_missing_fill(struct ckpt_peer *ck, uint64_t seq)
{
	size_t	 i;

	for (i = 0; i < ck->nmissing; i++) {
		if (ck->missing[i] != seq)
			continue;
		memmove(&ck->missing[i], &ck->missing[i + 1],
		    (ck->nmissing - i - 1) * sizeof(uint64_t));
		ck->nmissing--;
		return 1;
	}
	return 0;
}

/* Forgets missing numbers below the sender's floor: gone for good. */
static void
ingest_missing_floor(struct ckpt_peer *ck, uint64_t floor)
{
	size_t	 k = 0;

	while (k < ck->nmissing && ck->missing[k] < floor)
		k++;
	if (k == 0)
		return;
	memmove(ck->missing, ck->missing + k,
	    (ck->nmissing - k) * sizeof(uint64_t));
	ck->nmissing -= k;
}

/*
 * Orders a report by sequence number.  Returns 1 when it is new and
 * must be applied, 0 when it is a duplicate or a late arrival.
 */
static int
ingest_sequence(struct ingest *in, struct ingest_peer *p, const wire_report *r)
{
	struct ckpt_peer	*ck = &p->ck;

	if (p->known && r->incarnation < ck->incarnation) {
		/* from before the collector's restart: nothing new in it */
		in->st.reports_duplicate++;
		return 0;
	}
	if (!p->known || ck->incarnation != r->incarnation) {
		if (p->known)
			log_info("host %s: collector restarted (incarnation "
			    "%llu), sequence starts again", r->host_name,
			    (unsigned long long)r->incarnation);
		ck->incarnation = r->incarnation;
		ck->nmissing = 0;
		ck->seq = p->known ? 0 : r->seq - 1;
		p->acked = p->durable = ck->seq;
		p->known = 1;
	}
	ingest_missing_floor(ck, r->replay_floor);
	if (r->seq > ck->seq) {
		if (r->seq > ck->seq + 1)
			ingest_missing_add(in, ck, ck->seq + 1, r->seq - 1);
		ck->seq = r->seq;
		return 1;
	}
	if (ingest_missing_fill(ck, r->seq)) {
		in->st.reports_lost--;
		in->st.reports_late++;
	} else
		in->st.reports_duplicate++;
	/* the sender may have missed our ack: send it again */
	p->acked = 0;
	return 0;
}

/* Counts and logs a refusal; why NULL: the routing id is the reason. */
static void
ingest_refuse(struct ingest *in, const char *what, const char *why)
{
	struct log_complaint	*c = &in->refused;

	in->st.reports_refused++;
	if (why == NULL) {
		in->st.routes_refused++;
		c = &in->misrouted;	/* a kind of its own in the log */
		why = in->zap == NULL ? "sender's routing id does not match "
		    "the host it names" : "its routing id is not the host's "
		    "own (H, its UUID and the collector's secret)";
	}
	log_complain(c, INGEST_COMPLAIN_MS, "refused %s%s%s: %s", what,
	    in->uid[0] ? " from the key of " : "", in->uid, why);
}

/* Routing id and key both fit the host?  Else refuses and returns 0. */
static int
ingest_admit(struct ingest *in, const char *what,
    const ProtobufCBinaryData *uuid, const char *name)
{
	const char	*why;

	if (!ingest_sender_is(in, uuid)) {
		ingest_refuse(in, what, NULL);
		return 0;
	}
	if ((why = ingest_auth(in, uuid, name)) != NULL) {
		ingest_refuse(in, what, why);
		return 0;
	}
	return 1;
}

/*
 * CURVE: the host's commands and acks go where its last admitted
 * message came from: a routing id with the collector's secret, which no
 * other connection can take.
 */
static void
ingest_route_learn(struct ingest *in, struct ingest_peer *p)
{
	if (in->zap == NULL || p == NULL || (p->routed &&
	    memcmp(p->route, in->rid, sizeof(p->route)) == 0))
		return;
	memcpy(p->route, in->rid, sizeof(p->route));
	p->routed = 1;
}

/* The model learns a host's address when it is new or changed. */
static void
ingest_peer_addr(struct ingest *in, const uint8_t uuid[16])
{
	const struct model_host	*h;

	if (in->peer == NULL || in->peer[0] == '\0' ||
	    (h = model_host_by_uuid(in->model, uuid)) == NULL ||
	    strncmp(h->addr, in->peer, sizeof(h->addr) - 1) == 0)
		return;
	model_set_host_addr(in->model, uuid, in->peer);
}

/* A host's clock that went back: logged, for the model restarts rates. */
static void
ingest_clock(struct ingest *in, const wire_report *r)
{
	const struct model_host	*h = model_host_by_uuid(in->model,
				    r->host_uuid.data);

	if (h == NULL || h->reports == 0 || r->sample_time_ms >= h->sample_time_ms)
		return;
	log_warnx("host %s: its clock went back %.1f s (sample time %llu after "
	    "%llu): its VMs' rates restart from this report", r->host_name,
	    (double)(h->sample_time_ms - r->sample_time_ms) / 1000.0,
	    (unsigned long long)r->sample_time_ms,
	    (unsigned long long)h->sample_time_ms);
}

static void
ingest_report(struct ingest *in, const wire_report *r, int64_t now_ms)
{
	struct ingest_peer	*p;
	struct ckpt_peer	 ck;
	int			 rc;

	if (!ingest_admit(in, "a report", &r->host_uuid, r->host_name))
		return;
	if ((p = uuidmap_get(&in->peers, r->host_uuid.data)) == NULL) {
		memset(&ck, 0, sizeof(ck));
		memcpy(ck.uuid, r->host_uuid.data, 16);
		if (in->npeers >= in->max_hosts ||
		    ingest_add_peer(in, &ck, &p) < 0) {
			in->st.hosts_refused++;
			ingest_refuse(in, "a report", "one host more than "
			    "max-hosts");
			return;
		}
	}
	in->dirty = 1;
	ingest_route_learn(in, p);
	if (!ingest_sequence(in, p, r))
		return;
	ingest_clock(in, r);
	rc = model_apply_report(in->model, r, in->replay ?
	    (int64_t)r->sample_time_ms : now_ms);
	if (rc == -EEXIST) {
		ingest_refuse(in, "a report", "its host name is another "
		    "host's");
		return;
	}
	if (rc < 0) {
		log_complain(&in->bad, INGEST_COMPLAIN_MS,
		    "host %s: report not applied: %s", r->host_name,
		    strerror(-rc));
		return;
	}
	ingest_peer_addr(in, r->host_uuid.data);
	in->st.reports_received++;
	in->st.vm_samples += r->n_vms;
	if (in->traffic != NULL && traffic_apply_report(in->traffic, in->model,
	    r) < 0)
		log_complain(&in->bad, INGEST_COMPLAIN_MS,
		    "host %s: traffic not taken: out of memory", r->host_name);
}

static void
ingest_message(struct ingest *in, const void *buf, size_t len, int64_t now_ms)
{
	wire_envelope	*e;
	char		 err[256];
	int		 rc;
	const unsigned	 accept = 1u << BALLAST__V1__ENVELOPE__BODY_HELLO |
	    1u << BALLAST__V1__ENVELOPE__BODY_REPORT |
	    1u << BALLAST__V1__ENVELOPE__BODY_STATUS;

	in->st.messages++;
	rc = wire_decode(in->dec, buf, len, accept, &e, err, sizeof(err));
	if (rc < 0) {
		in->st.reports_malformed++;
		in->st.malformed_by[-rc]++;
		log_complain(&in->bad, INGEST_COMPLAIN_MS,
		    "dropped a malformed message (%s): %s", wire_strerror(rc), err);
		return;
	}
	switch (e->body_case) {
	case BALLAST__V1__ENVELOPE__BODY_REPORT:
		ingest_report(in, e->report, now_ms);
		break;
	case BALLAST__V1__ENVELOPE__BODY_HELLO:
		if (!ingest_admit(in, "a hello", &e->hello->host_uuid,
		    e->hello->host_name))
			break;
		in->st.hellos++;
		ingest_route_learn(in, uuidmap_get(&in->peers,
		    e->hello->host_uuid.data));
		log_debug("hello from %s (%s)", e->hello->host_name,
		    e->hello->software);
		break;
	case BALLAST__V1__ENVELOPE__BODY_STATUS:
		if (!ingest_admit(in, "a command status",
		    &e->status->host_uuid, NULL))
			break;
		in->st.statuses++;
		ingest_route_learn(in, uuidmap_get(&in->peers,
		    e->status->host_uuid.data));
		if (in->status_cb != NULL)
			in->status_cb(in->status_arg, e->status);
		break;
	default:
		break;
	}
}

/* The connection's User-Id (CURVE: the authorised host name). */
static void
ingest_user_id(struct ingest *in, zmq_msg_t *msg)
{
	const char	*uid;

	if (in->zap == NULL)
		return;		/* plain: in->uid stays "" */
	uid = zmq_msg_gets(msg, "User-Id");
	util_strlcpy(in->uid, uid != NULL ? uid : "", sizeof(in->uid));
}

int
ingest_drain(struct ingest *in, int64_t now_ms, int max)
{
	zmq_msg_t	 msg;
	int		 n = 0, more, rc;
	size_t		 sz;

	zmq_msg_init(&msg);
	while (n < max) {
		/* frame 1: routing id; frame 2: the envelope */
		if (zmq_msg_recv(&msg, in->sock, ZMQ_DONTWAIT) == -1)
			break;
		sz = zmq_msg_size(&msg);
		in->rid_len = sz < sizeof(in->rid) ? sz : sizeof(in->rid);
		memcpy(in->rid, zmq_msg_data(&msg), in->rid_len);
		if ((rc = zmq_msg_recv(&msg, in->sock, ZMQ_DONTWAIT)) == -1)
			break;
		in->peer = zmq_msg_gets(&msg, "Peer-Address");
		ingest_user_id(in, &msg);
		ingest_message(in, zmq_msg_data(&msg), zmq_msg_size(&msg), now_ms);
		in->peer = NULL;
		/* a well-behaved DEALER sends one frame; drop any extras */
		sz = sizeof(more);
		while (zmq_getsockopt(in->sock, ZMQ_RCVMORE, &more, &sz) == 0 &&
		    more && zmq_msg_recv(&msg, in->sock, ZMQ_DONTWAIT) != -1)
			;
		n++;
	}
	zmq_msg_close(&msg);
	if (n < max && zmq_errno() != EAGAIN && zmq_errno() != EINTR)
		return -zmq_errno();
	return n;
}

/*
 * Where host uuid's messages go: plain, 'H' + uuid; CURVE, the route
 * its own messages came from (-EHOSTUNREACH before the first).
 */
static int
ingest_route(struct ingest *in, const uint8_t uuid[16],
    uint8_t rid[WIRE_ROUTING_ID_CURVE_LEN], size_t *len)
{
	const struct ingest_peer	*p;

	if (in->zap == NULL) {
		wire_routing_id(uuid, rid);
		*len = WIRE_ROUTING_ID_LEN;
		return 0;
	}
	if ((p = uuidmap_get(&in->peers, uuid)) == NULL || !p->routed)
		return -EHOSTUNREACH;
	memcpy(rid, p->route, sizeof(p->route));
	*len = sizeof(p->route);
	return 0;
}

static int
ingest_send(struct ingest *in, const uint8_t uuid[16], wire_envelope *e)
{
	uint8_t	 rid[WIRE_ROUTING_ID_CURVE_LEN], *buf;
	size_t	 len, rlen;
	int	 rc;

	if ((rc = ingest_route(in, uuid, rid, &rlen)) < 0)
		return rc;
	if ((buf = wire_pack(e, &len)) == NULL)
		return -ENOMEM;
	if (zmq_send(in->sock, rid, rlen, ZMQ_SNDMORE | ZMQ_DONTWAIT) == -1 ||
	    zmq_send(in->sock, buf, len, ZMQ_DONTWAIT) == -1)
		rc = -zmq_errno();
	free(buf);
	return rc;
}

static void
ingest_ack(struct ingest *in, struct ingest_peer *p)
{
	wire_envelope		 e = BALLAST__V1__ENVELOPE__INIT;
	Ballast__V1__Ack	 ack = BALLAST__V1__ACK__INIT;

	if (p->durable <= p->acked)
		return;
	ack.incarnation = p->ck.incarnation;
	ack.seq = p->durable;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_ACK;
	e.ack = &ack;
	/* an unreachable collector is acknowledged on its next report */
	if (ingest_send(in, p->ck.uuid, &e) == 0) {
		p->acked = p->durable;
		in->st.acks_sent++;
	}
}

int
ingest_checkpoint(struct ingest *in)
{
	struct ingest_peer	*p;
	char			 err[512];
	size_t			 i;
	int			 rc = 0;

	if (in->dirty && in->ckpt_path[0] != '\0') {
		rc = checkpoint_save(in->ckpt_path,
		    (const struct ckpt_peer *const *)in->plist, in->npeers,
		    in->st.reports_lost, err, sizeof(err));
		if (rc < 0) {
			in->st.checkpoint_errors++;
			log_complain(&in->bad, INGEST_COMPLAIN_MS,
			    "%s; reports stay unacknowledged", err);
			return rc;
		}
	}
	in->dirty = 0;
	for (i = 0; i < in->npeers; i++) {
		p = in->plist[i];
		p->durable = p->ck.nmissing ? p->ck.missing[0] - 1 : p->ck.seq;
		ingest_ack(in, p);
	}
	return 0;
}

int
ingest_send_command(struct ingest *in, const uint8_t uuid[16],
    Ballast__V1__Command *cmd)
{
	wire_envelope	 e = BALLAST__V1__ENVELOPE__INIT;

	e.body_case = BALLAST__V1__ENVELOPE__BODY_COMMAND;
	e.command = cmd;
	return ingest_send(in, uuid, &e);
}
