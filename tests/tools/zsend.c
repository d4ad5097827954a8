/* SPDX-License-Identifier: ISC */
/*
 * zsend: a hostile collector for integration tests.  Connects a DEALER
 * to the balancer and sends `count` bad messages of one kind:
 *   garbage   random bytes
 *   version   a well-formed report with wire version 99
 *   uuid      a report whose host uuid is 15 bytes
 *   vms       a report naming the same VM twice
 *   spoof     a valid report for HOST-UUID from another routing id
 *   mix       the first four in turn
 * Options: --key SECRET-FILE --balancer-key PUBLIC-FILE make it a CURVE
 * client (a listed collector gone bad); --routing-id UUID takes the
 * routing id 'H' + UUID (another host's, as it was before routing ids
 * carried a secret), --secret adds 16 random bytes to it (a guess at
 * that host's secret); --listen SECONDS then stays connected and
 * prints how many messages the balancer sent it: "zsend: received N".
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zmq.h>

#include "util.h"
#include "wire.h"
#include "zcurve.h"

static uint8_t	 spoof_uuid[16] = { 1 };

static uint8_t *
make_report(const char *kind, unsigned i, size_t *len)
{
	wire_envelope			 e = BALLAST__V1__ENVELOPE__INIT;
	wire_report			 r = BALLAST__V1__HOST_REPORT__INIT;
	Ballast__V1__HostCapacity	 cap = BALLAST__V1__HOST_CAPACITY__INIT;
	Ballast__V1__HostCounters	 cnt = BALLAST__V1__HOST_COUNTERS__INIT;
	wire_vm				 vm = BALLAST__V1__VM_SAMPLE__INIT;
	wire_vm				*vms[2] = { &vm, &vm };
	uint8_t				 host[16], *buf;

	util_uuid_from_name("zsend", "hostile", host);
	r.host_uuid.data = strcmp(kind, "spoof") == 0 ? spoof_uuid : host;
	r.host_uuid.len = strcmp(kind, "uuid") == 0 ? 15 : 16;
	r.host_name = (char *)(uintptr_t)(strcmp(kind, "spoof") == 0 ?
	    "spoofed" : "hostile");
	r.seq = i + 1;
	r.sample_time_ms = (uint64_t)util_now_real_ms();
	r.interval_ms = 1000;
	cap.cpus = 4;
	cap.cpu_mhz = 2000;
	cap.memory_bytes = 1ULL << 33;
	r.capacity = &cap;
	r.counters = &cnt;
	vm.uuid.data = host;
	vm.uuid.len = 16;
	vm.name = (char *)(uintptr_t)"twin";
	r.vms = vms;
	r.n_vms = strcmp(kind, "vms") == 0 ? 2 : 1;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_REPORT;
	e.report = &r;
	buf = wire_pack(&e, len);
	if (buf != NULL && strcmp(kind, "version") == 0) {
		/* field 1 (version), varint: the first two bytes are 08 01 */
		if (*len > 2 && buf[0] == 0x08)
			buf[1] = 99;
	}
	return buf;
}

struct zs_opts {
	const char	*key, *balancer_key;
	uint8_t		 uuid[16];	/* --routing-id */
	uint8_t		 rid[WIRE_ROUTING_ID_CURVE_LEN];
	size_t		 rid_len;	/* 0: libzmq's own */
	int		 secret;
	int64_t		 listen_s;
};

/* The options before ENDPOINT; returns the index of ENDPOINT or -1. */
static int
zs_opts(int argc, char *argv[], struct zs_opts *o)
{
	static const struct option lo[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "balancer-key", required_argument, NULL, 'b' },
		{ "routing-id", required_argument, NULL, 'r' },
		{ "secret", no_argument, NULL, 's' },
		{ "listen", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	int	 c;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, "+", lo, NULL)) != -1) {
		if (c == 'k')
			o->key = optarg;
		else if (c == 'b')
			o->balancer_key = optarg;
		else if (c == 'r' && util_uuid_parse(optarg, o->uuid) == 0) {
			wire_routing_id(o->uuid, o->rid);
			o->rid_len = WIRE_ROUTING_ID_LEN;
		} else if (c == 's')
			o->secret = 1;
		else if (c != 'l' ||
		    util_parse_i64(optarg, 1, 3600, &o->listen_s) < 0)
			return -1;
	}
	if (o->secret && o->rid_len == WIRE_ROUTING_ID_LEN &&
	    wire_routing_id_secret(o->uuid, o->rid) == 0)
		o->rid_len = WIRE_ROUTING_ID_CURVE_LEN;
	if ((o->key == NULL) != (o->balancer_key == NULL) ||
	    (o->secret && o->rid_len != WIRE_ROUTING_ID_CURVE_LEN))
		return -1;
	return optind;
}

/* Routing id and CURVE keys as the options say; 0 or -1. */
static int
zs_socket(void *s, const struct zs_opts *o)
{
	struct zcurve_pair	 kp;
	char			 srv[ZCURVE_Z85_LEN + 1], err[512];
	int			 linger = 5000, timeout = 5000;

	zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof(linger));
	/* a balancer that is not there must not hang the test */
	zmq_setsockopt(s, ZMQ_SNDTIMEO, &timeout, sizeof(timeout));
	if (o->rid_len > 0)
		zmq_setsockopt(s, ZMQ_ROUTING_ID, o->rid, o->rid_len);
	if (o->key == NULL)
		return 0;
	if (zcurve_read_client(o->balancer_key, o->key, srv, &kp, err,
	    sizeof(err)) < 0) {
		fprintf(stderr, "zsend: %s\n", err);
		return -1;
	}
	zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, srv, ZCURVE_Z85_LEN);
	zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, kp.pub, ZCURVE_Z85_LEN);
	zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, kp.secret, ZCURVE_Z85_LEN);
	return 0;
}

/* --listen: counts what the balancer sends for `seconds`. */
static void
zs_listen(void *s, int64_t seconds)
{
	int64_t		 end = util_now_mono_ms() + seconds * 1000;
	zmq_pollitem_t	 it;
	uint8_t		 buf[256];
	unsigned	 n = 0;

	while (util_now_mono_ms() < end) {
		it = (zmq_pollitem_t){ s, 0, ZMQ_POLLIN, 0 };
		if (zmq_poll(&it, 1, 100) > 0 &&
		    zmq_recv(s, buf, sizeof(buf), ZMQ_DONTWAIT) >= 0)
			n++;
	}
	printf("zsend: received %u\n", n);
}

/* Sends count messages of kind; returns how many went out. */
static unsigned
zs_send(void *s, const char *what, unsigned count)
{
	static const char *const mix[] = { "garbage", "version", "uuid", "vms" };
	const char	*kind;
	uint8_t		*buf, junk[512];
	size_t		 len, k;
	unsigned	 i;
	int		 rc;

	srand(42);
	for (i = 0; i < count; i++) {
		kind = strcmp(what, "mix") == 0 ? mix[i % 4] : what;
		if (strcmp(kind, "garbage") == 0) {
			len = 1 + (size_t)rand() % sizeof(junk);
			for (k = 0; k < len; k++)
				junk[k] = (uint8_t)rand();
			junk[0] = 0xff;	/* never a valid first tag */
			if (zmq_send(s, junk, len, 0) == -1)
				break;
			continue;
		}
		if ((buf = make_report(kind, i, &len)) == NULL)
			break;
		rc = zmq_send(s, buf, len, 0);
		free(buf);
		if (rc == -1)
			break;
	}
	return i;
}

int
main(int argc, char *argv[])
{
	struct zs_opts	 o;
	void		*ctx, *s;
	int64_t		 count;
	unsigned	 sent;
	int		 a;

	if ((a = zs_opts(argc, argv, &o)) < 0 || argc - a < 3 ||
	    util_parse_i64(argv[a + 2], 1, 10000000, &count) < 0 ||
	    (argc - a == 4 && util_uuid_parse(argv[a + 3], spoof_uuid) < 0)) {
		fprintf(stderr, "usage: zsend [--key SECRET-FILE --balancer-key "
		    "PUBLIC-FILE] [--routing-id UUID [--secret]]\n"
		    "             [--listen SECONDS] ENDPOINT KIND COUNT "
		    "[HOST-UUID]\n");
		return 2;
	}
	ctx = zmq_ctx_new();
	s = zmq_socket(ctx, ZMQ_DEALER);
	if (zs_socket(s, &o) < 0 || zmq_connect(s, argv[a]) == -1) {
		fprintf(stderr, "zsend: %s\n", zmq_strerror(zmq_errno()));
		return 1;
	}
	if ((sent = zs_send(s, argv[a + 1], (unsigned)count)) < count) {
		fprintf(stderr, "zsend: sending stalled after %u messages (%s): "
		    "is the balancer there?\n", sent, zmq_strerror(zmq_errno()));
		zmq_close(s);
		zmq_ctx_term(ctx);
		return 1;
	}
	printf("zsend: sent %lld %s messages\n", (long long)count, argv[a + 1]);
	fflush(stdout);
	if (o.listen_s > 0)
		zs_listen(s, o.listen_s);
	zmq_close(s);
	zmq_ctx_term(ctx);
	return 0;
}
