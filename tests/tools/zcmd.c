/* SPDX-License-Identifier: ISC */
/*
 * zcmd: a balancer started by mistake, for integration tests.  Binds a
 * ROUTER (a CURVE server with --key SECRET-FILE), waits up to 10 s for
 * a collector's hello, then sends each command given and prints every
 * status that comes back for 3 s after it, one per line:
 *   status ID STATE ERROR
 * Commands are EPOCH:ID:migrate:VM-UUID:DEST or EPOCH:ID:cancel:TARGET.
 * Prints "no collector" and exits 1 when none says hello.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zmq.h>

#include "util.h"
#include "wire.h"
#include "zcurve.h"

struct zc {
	void			*sock;
	struct wire_decoder	*dec;
	uint8_t			 rid[WIRE_ROUTING_ID_CURVE_LEN];
	size_t			 rid_len;	/* 0: no collector yet */
};

/* Receives for ms milliseconds; prints statuses, notes the sender. */
static void
zc_listen(struct zc *z, int64_t ms)
{
	static const char *const names[] = { "unknown", "accepted", "running",
	    "done", "failed", "cancelled", "refused" };
	int64_t			 end = util_now_mono_ms() + ms;
	zmq_pollitem_t		 it;
	static uint8_t		 buf[WIRE_MAX_MSG_BYTES];
	uint8_t			 rid[256];
	wire_envelope		*e;
	char			 err[256];
	int			 n, len;

	while (util_now_mono_ms() < end) {
		it = (zmq_pollitem_t){ z->sock, 0, ZMQ_POLLIN, 0 };
		if (zmq_poll(&it, 1, 100) <= 0)
			continue;
		if ((n = zmq_recv(z->sock, rid, sizeof(rid), 0)) < 0 ||
		    (len = zmq_recv(z->sock, buf, sizeof(buf), 0)) < 0)
			continue;
		/* 'H' + UUID, and with CURVE the collector's secret */
		if (n == WIRE_ROUTING_ID_LEN || n == WIRE_ROUTING_ID_CURVE_LEN) {
			memcpy(z->rid, rid, (size_t)n);
			z->rid_len = (size_t)n;
		}
		if (wire_decode(z->dec, buf, (size_t)len, ~0u, &e, err,
		    sizeof(err)) < 0 ||
		    e->body_case != BALLAST__V1__ENVELOPE__BODY_STATUS)
			continue;
		printf("status %llu %s %s\n", (unsigned long long)e->status->id,
		    e->status->state <= 6 ? names[e->status->state] : "?",
		    e->status->error ? e->status->error : "");
		fflush(stdout);
	}
}

/* EPOCH:ID:migrate:VM:DEST or EPOCH:ID:cancel:TARGET; 0 or -1. */
static int
zc_send(struct zc *z, char *spec)
{
	wire_envelope		 e = BALLAST__V1__ENVELOPE__INIT;
	Ballast__V1__Command	 c = BALLAST__V1__COMMAND__INIT;
	Ballast__V1__Migrate	 m = BALLAST__V1__MIGRATE__INIT;
	Ballast__V1__Cancel	 k = BALLAST__V1__CANCEL__INIT;
	uint8_t			 vm[16], dest[16], *buf;
	char			*f[5], *p = spec;
	int64_t			 v[2], t;
	size_t			 n = 0, len;

	while (n < 5 && p != NULL) {	/* split at ':' */
		f[n++] = p;
		if ((p = strchr(p, ':')) != NULL)
			*p++ = '\0';
	}
	if (n < 4 || util_parse_i64(f[0], 0, INT64_MAX, &v[0]) < 0 ||
	    util_parse_i64(f[1], 1, INT64_MAX, &v[1]) < 0)
		return -1;
	c.epoch = (uint64_t)v[0];
	c.id = (uint64_t)v[1];
	if (strcmp(f[2], "migrate") == 0 && n == 5 &&
	    util_uuid_parse(f[3], vm) == 0) {
		util_uuid_from_name("ballast-host", f[4], dest);
		m.vm_uuid = (ProtobufCBinaryData){ 16, vm };
		m.dest_host_uuid = (ProtobufCBinaryData){ 16, dest };
		m.dest_host_name = f[4];
		c.op_case = BALLAST__V1__COMMAND__OP_MIGRATE;
		c.migrate = &m;
	} else if (strcmp(f[2], "cancel") == 0 &&
	    util_parse_i64(f[3], 1, INT64_MAX, &t) == 0) {
		k.command_id = (uint64_t)t;
		c.op_case = BALLAST__V1__COMMAND__OP_CANCEL;
		c.cancel = &k;
	} else
		return -1;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_COMMAND;
	e.command = &c;
	if ((buf = wire_pack(&e, &len)) == NULL)
		return -1;
	zmq_send(z->sock, z->rid, z->rid_len, ZMQ_SNDMORE);
	zmq_send(z->sock, buf, len, 0);
	free(buf);
	return 0;
}

static int
zc_bind(struct zc *z, void *ctx, const char *keyfile, const char *ep)
{
	struct zcurve_pair	 kp;
	char			 err[512];
	int			 one = 1;

	z->sock = zmq_socket(ctx, ZMQ_ROUTER);
	if (keyfile != NULL) {
		if (zcurve_read_secret(keyfile, &kp, err, sizeof(err)) < 0) {
			fprintf(stderr, "zcmd: %s\n", err);
			return -1;
		}
		zmq_setsockopt(z->sock, ZMQ_CURVE_SERVER, &one, sizeof(one));
		zmq_setsockopt(z->sock, ZMQ_CURVE_SECRETKEY, kp.secret,
		    ZCURVE_Z85_LEN);
	}
	if (zmq_bind(z->sock, ep) == -1) {
		fprintf(stderr, "zcmd: %s: %s\n", ep, zmq_strerror(zmq_errno()));
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct zc	 z;
	void		*ctx = zmq_ctx_new();
	const char	*key = NULL;
	int		 i = 1, zero = 0;

	memset(&z, 0, sizeof(z));
	if (argc > 2 && strcmp(argv[1], "--key") == 0) {
		key = argv[2];
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: zcmd [--key SECRET] ENDPOINT "
		    "[EPOCH:ID:migrate:VM:DEST | EPOCH:ID:cancel:TARGET]...\n");
		return 2;
	}
	if ((z.dec = wire_decoder_new()) == NULL ||
	    zc_bind(&z, ctx, key, argv[i]) < 0)
		return 1;
	zmq_setsockopt(z.sock, ZMQ_LINGER, &zero, sizeof(zero));
	for (int64_t end = util_now_mono_ms() + 10000;
	    z.rid_len == 0 && util_now_mono_ms() < end; )
		zc_listen(&z, 200);
	if (z.rid_len == 0) {
		printf("no collector\n");
		return 1;
	}
	for (i++; i < argc; i++) {
		if (zc_send(&z, argv[i]) < 0) {
			fprintf(stderr, "zcmd: bad command \"%s\"\n", argv[i]);
			return 2;
		}
		zc_listen(&z, 3000);
	}
	zmq_close(z.sock);
	wire_decoder_free(z.dec);
	zmq_ctx_term(ctx);
	return 0;
}
