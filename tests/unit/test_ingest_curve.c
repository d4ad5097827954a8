/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of CURVE on the report channel over real ZeroMQ sockets
 * (IPC: CURVE needs a transport with a handshake): ingest (ROUTER, CURVE server) with its ZAP handler
 * (zap.c) and the authorised-collectors table, and publishers (the
 * collectors' end) with their own keys.  An authorised key gets in; an
 * unknown key is refused at the handshake; a key bound to one host
 * cannot report as another (by name, or by UUID); a collector trusting another server key never gets through;
 * replacing the table revokes a key; a host beyond max-hosts is
 * refused and counted; commands queued for a collector that does not
 * read are bounded; a listed collector that takes another host's
 * routing id (or guesses at its secret) never receives that host's
 * commands, which still reach the host.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <zmq.h>

#include "testreport.h"

#include "authcoll.h"
#include "ingest.h"
#include "model.h"
#include "publisher.h"
#include "util.h"
#include "zap.h"
#include "zcurve.h"

#define WAIT_MS		3000

struct fx {
	void			*zctx;
	struct model		*m;
	struct ingest		*in;
	struct zcurve_pair	 server, other, a, b;
	char			 ep[64];
	struct pub		*pub[2];
};

static int	 ep_counter;

static void
keypair(struct zcurve_pair *kp)
{
	assert_int_equal(zmq_curve_keypair(kp->pub, kp->secret), 0);
}

/* The table: "hv01" bound to key a (and host 1's UUID when uuid). */
static void
table(struct fx *f, int uuid)
{
	struct authcoll	 t;
	char		 text[512], id[UTIL_UUID_STRLEN], err[256];
	uint8_t		 u[16];
	struct trep	 h;

	trep_host(&h, 1, "hv01", 1, 0, 0, 0);
	memcpy(u, h.hu, 16);
	util_uuid_fmt(u, id);
	snprintf(text, sizeof(text), "collector \"hv01\" key \"%s\"%s%s%s\n",
	    f->a.pub, uuid ? " uuid \"" : "", uuid ? id : "", uuid ? "\"" : "");
	assert_int_equal(authcoll_parse("t", text, strlen(text), &t, err,
	    sizeof(err)), 0);
	zap_set_table(ingest_zap(f->in), &t);
}

static void
fx_start(struct fx *f, size_t max_hosts)
{
	struct ingest_opts	 o;
	char			 err[256];

	memset(f, 0, sizeof(*f));
	keypair(&f->server);
	keypair(&f->other);
	keypair(&f->a);
	keypair(&f->b);
	f->zctx = zmq_ctx_new();
	f->m = model_new(NULL);
	/* CURVE needs a real transport: inproc has no handshake */
	snprintf(f->ep, sizeof(f->ep), "ipc:///tmp/ballast-curve-%d-%d",
	    (int)getpid(), ep_counter++);
	memset(&o, 0, sizeof(o));
	o.endpoint = f->ep;
	o.curve = &f->server;
	o.max_hosts = max_hosts;
	f->in = ingest_new_opts(f->zctx, &o, f->m, NULL, err, sizeof(err));
	assert_non_null(f->in);
}

static void
fx_stop(struct fx *f)
{
	unlink(f->ep + strlen("ipc://"));
	pub_free(f->pub[0], 0);
	pub_free(f->pub[1], 0);
	ingest_free(f->in);
	model_free(f->m);
	zmq_ctx_term(f->zctx);
}

/* A publisher as host `id` named name, trusting server, with keys kp. */
static struct pub *
collector(struct fx *f, int id, const char *name,
    const struct zcurve_pair *server, const struct zcurve_pair *kp)
{
	struct pub_config	 pc;
	struct trep		 h;
	struct pub		*p;
	char			 err[256];

	trep_host(&h, id, name, 1, 0, 0, 0);
	memset(&pc, 0, sizeof(pc));
	pc.endpoint = f->ep;
	memcpy(pc.host_uuid, h.hu, 16);
	pc.host_name = name;
	pc.server_key = server->pub;
	pc.curve = kp;
	pc.resend_ms = 200;
	p = pub_new(f->zctx, &pc, err, sizeof(err));
	assert_non_null(p);
	return p;
}

/* Sends one report from p and pumps ZAP and ingest for ms. */
static void
pump(struct fx *f, struct pub *p, int id, const char *name, int64_t ms)
{
	int64_t		 end = util_now_mono_ms() + ms;
	struct trep	 h;

	trep_host(&h, id, name, 1, 1700000000000ULL, 0, 0);
	assert_int_equal(pub_send_report(p, &h.r, util_now_mono_ms()), 0);
	while (util_now_mono_ms() < end) {
		zap_drain(ingest_zap(f->in));
		ingest_drain(f->in, 5000, 100);
		pub_tick(p, util_now_mono_ms());
		util_sleep_ms(5, NULL);
	}
}

static void
test_authorised_gets_in(void **state)
{
	struct fx			 f;
	const struct ingest_stats	*st;

	(void)state;
	fx_start(&f, 0);
	table(&f, 1);
	f.pub[0] = collector(&f, 1, "hv01", &f.server, &f.a);
	pump(&f, f.pub[0], 1, "hv01", 800);
	st = ingest_stats(f.in);
	assert_int_equal(st->reports_received, 1);
	assert_int_equal(st->reports_refused, 0);
	assert_true(st->handshakes.accepted >= 1);
	assert_int_equal(st->handshakes.refused, 0);
	assert_non_null(model_host_by_name(f.m, "hv01"));
	assert_true(pub_stats(f.pub[0])->handshakes >= 1);
	fx_stop(&f);
}

static void
test_unknown_key_refused(void **state)
{
	struct fx			 f;
	const struct ingest_stats	*st;

	(void)state;
	fx_start(&f, 0);
	table(&f, 0);
	f.pub[0] = collector(&f, 1, "hv01", &f.server, &f.b);
	pump(&f, f.pub[0], 1, "hv01", 800);
	st = ingest_stats(f.in);
	assert_int_equal(st->messages, 0);
	assert_int_equal(st->reports_received, 0);
	assert_true(st->handshakes.refused >= 1);
	assert_int_equal(model_host_count(f.m), 0);
	assert_true(pub_stats(f.pub[0])->handshake_failed >= 1);
	fx_stop(&f);
}

static void
test_bound_name(void **state)
{
	struct fx			 f;
	const struct ingest_stats	*st;

	(void)state;
	fx_start(&f, 0);
	table(&f, 0);	/* name only: hv01 */
	f.pub[0] = collector(&f, 2, "hv02", &f.server, &f.a);
	pump(&f, f.pub[0], 2, "hv02", 800);
	st = ingest_stats(f.in);
	assert_true(st->handshakes.accepted >= 1);
	assert_int_equal(st->reports_received, 0);
	assert_true(st->reports_refused >= 2);	/* hello and report */
	assert_null(model_host_by_name(f.m, "hv02"));
	fx_stop(&f);
}

static void
test_bound_uuid(void **state)
{
	struct fx			 f;
	const struct ingest_stats	*st;

	(void)state;
	fx_start(&f, 0);
	table(&f, 1);	/* hv01 and host 1's UUID */
	/* the right name from another host's UUID (routing id) */
	f.pub[0] = collector(&f, 3, "hv01", &f.server, &f.a);
	pump(&f, f.pub[0], 3, "hv01", 800);
	st = ingest_stats(f.in);
	assert_true(st->handshakes.accepted >= 1);
	assert_int_equal(st->reports_received, 0);
	assert_true(st->reports_refused >= 2);	/* hello and report */
	assert_int_equal(model_host_count(f.m), 0);
	fx_stop(&f);
}

static void
test_untrusted_server(void **state)
{
	struct fx			 f;
	const struct ingest_stats	*st;

	(void)state;
	fx_start(&f, 0);
	table(&f, 0);
	f.pub[0] = collector(&f, 1, "hv01", &f.other, &f.a);
	pump(&f, f.pub[0], 1, "hv01", 800);
	st = ingest_stats(f.in);
	assert_int_equal(st->messages, 0);
	assert_int_equal(st->handshakes.accepted, 0);
	assert_true(pub_stats(f.pub[0])->handshake_failed >= 1);
	assert_int_equal(pub_stats(f.pub[0])->handshakes, 0);
	fx_stop(&f);
}

static void
test_revoked(void **state)
{
	struct fx			 f;
	struct authcoll			 empty;
	const struct ingest_stats	*st;

	(void)state;
	fx_start(&f, 0);
	table(&f, 0);
	f.pub[0] = collector(&f, 1, "hv01", &f.server, &f.a);
	pump(&f, f.pub[0], 1, "hv01", 600);
	assert_int_equal(ingest_stats(f.in)->reports_received, 1);
	memset(&empty, 0, sizeof(empty));
	zap_set_table(ingest_zap(f.in), &empty);
	pump(&f, f.pub[0], 1, "hv01", 600);
	st = ingest_stats(f.in);
	assert_int_equal(st->reports_received, 1);
	assert_true(st->reports_refused >= 1);
	fx_stop(&f);
}

static void
test_max_hosts(void **state)
{
	struct fx			 f;
	struct authcoll			 t;
	const struct ingest_stats	*st;
	char				 text[256], err[256];

	(void)state;
	fx_start(&f, 1);
	snprintf(text, sizeof(text), "collector \"hv01\" key \"%s\"\n"
	    "collector \"hv02\" key \"%s\"\n", f.a.pub, f.b.pub);
	assert_int_equal(authcoll_parse("t", text, strlen(text), &t, err,
	    sizeof(err)), 0);
	zap_set_table(ingest_zap(f.in), &t);
	f.pub[0] = collector(&f, 1, "hv01", &f.server, &f.a);
	pump(&f, f.pub[0], 1, "hv01", 600);
	f.pub[1] = collector(&f, 2, "hv02", &f.server, &f.b);
	pump(&f, f.pub[1], 2, "hv02", 600);
	st = ingest_stats(f.in);
	assert_int_equal(st->reports_received, 1);
	assert_true(st->hosts_refused >= 1);	/* and each resend */
	assert_int_equal(model_host_count(f.m), 1);
	fx_stop(&f);
}

/* A collector that never reads: commands stop at a bound, not at 100000. */
static void
test_command_queue_bounded(void **state)
{
	struct fx		 f;
	Ballast__V1__Command	 c = BALLAST__V1__COMMAND__INIT;
	Ballast__V1__Cancel	 k = BALLAST__V1__CANCEL__INIT;
	struct trep		 h;
	int64_t			 end;
	int			 rc = -EHOSTUNREACH, n;

	(void)state;
	fx_start(&f, 0);
	table(&f, 0);
	f.pub[0] = collector(&f, 1, "hv01", &f.server, &f.a);
	pump(&f, f.pub[0], 1, "hv01", 600);
	trep_host(&h, 1, "hv01", 1, 0, 0, 0);
	c.epoch = 1;
	c.op_case = BALLAST__V1__COMMAND__OP_CANCEL;
	c.cancel = &k;
	k.command_id = 1;
	end = util_now_mono_ms() + WAIT_MS;
	for (n = 0; n < 100000; n++) {
		c.id = (uint64_t)n + 1;
		if ((rc = ingest_send_command(f.in, h.hu, &c)) == -EAGAIN)
			break;
		assert_int_equal(rc, 0);
		if (util_now_mono_ms() > end)
			break;
	}
	print_message("first refused command: %d\n", n);
	assert_int_equal(rc, -EAGAIN);
	assert_true(n >= INGEST_SNDHWM);
	assert_true(n < 20 * INGEST_SNDHWM);
	fx_stop(&f);
}

/* Counts what the balancer sent to a publisher's host. */
static void
count_command(void *arg, const Ballast__V1__Command *cmd)
{
	(void)cmd;
	(*(int *)arg)++;
}

/*
 * A DEALER with key kp and routing id 'H' + uuid (with a guessed secret
 * when guess), as a collector gone bad would connect; sends one report.
 */
static void *
impostor(struct fx *f, const struct zcurve_pair *kp, const uint8_t uuid[16],
    int guess)
{
	uint8_t		 rid[WIRE_ROUTING_ID_CURVE_LEN], *buf;
	wire_envelope	 e = BALLAST__V1__ENVELOPE__INIT;
	struct trep	 h;
	size_t		 len;
	void		*s;
	int		 zero = 0;

	wire_routing_id(uuid, rid);
	if (guess)
		assert_int_equal(wire_routing_id_secret(uuid, rid), 0);
	assert_non_null(s = zmq_socket(f->zctx, ZMQ_DEALER));
	zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof(zero));
	zmq_setsockopt(s, ZMQ_ROUTING_ID, rid, guess ?
	    WIRE_ROUTING_ID_CURVE_LEN : WIRE_ROUTING_ID_LEN);
	zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, f->server.pub, ZCURVE_Z85_LEN);
	zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, kp->pub, ZCURVE_Z85_LEN);
	zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, kp->secret, ZCURVE_Z85_LEN);
	assert_int_equal(zmq_connect(s, f->ep), 0);
	trep_host(&h, 1, "hv01", 1, 1700000000000ULL, 0, 0);
	e.body_case = BALLAST__V1__ENVELOPE__BODY_REPORT;
	e.report = &h.r;
	assert_non_null(buf = wire_pack(&e, &len));
	assert_int_equal(zmq_send(s, buf, len, 0), (int)len);
	free(buf);
	return s;
}

/* Messages waiting on a socket, read without blocking. */
static int
drain_count(void *s)
{
	uint8_t	 buf[512];
	int	 n = 0;

	while (zmq_recv(s, buf, sizeof(buf), ZMQ_DONTWAIT) >= 0)
		n++;
	return n;
}

/*
 * hv02 connected; then hv01's key with hv02's routing id, bare and with
 * a guessed secret: hv02's command reaches hv02 and nobody else.
 */
static void
test_route_not_taken(void **state)
{
	struct fx			 f;
	struct authcoll			 t;
	Ballast__V1__Command		 c = BALLAST__V1__COMMAND__INIT;
	Ballast__V1__Cancel		 k = BALLAST__V1__CANCEL__INIT;
	struct trep			 h2;
	char				 text[256], err[256];
	void				*imp[2];
	int				 got = 0, i;

	(void)state;
	fx_start(&f, 0);
	snprintf(text, sizeof(text), "collector \"hv01\" key \"%s\"\n"
	    "collector \"hv02\" key \"%s\"\n", f.a.pub, f.b.pub);
	assert_int_equal(authcoll_parse("t", text, strlen(text), &t, err,
	    sizeof(err)), 0);
	zap_set_table(ingest_zap(f.in), &t);
	trep_host(&h2, 2, "hv02", 1, 0, 0, 0);
	c.epoch = 1;
	c.id = 7;
	c.op_case = BALLAST__V1__COMMAND__OP_CANCEL;
	c.cancel = &k;
	k.command_id = 1;
	/* no message from hv02 yet: no route */
	assert_int_equal(ingest_send_command(f.in, h2.hu, &c), -EHOSTUNREACH);
	f.pub[1] = collector(&f, 2, "hv02", &f.server, &f.b);
	pump(&f, f.pub[1], 2, "hv02", 600);
	assert_int_equal(ingest_stats(f.in)->reports_received, 1);
	imp[0] = impostor(&f, &f.a, h2.hu, 0);
	imp[1] = impostor(&f, &f.a, h2.hu, 1);
	pump(&f, f.pub[1], 2, "hv02", 600);
	assert_true(ingest_stats(f.in)->routes_refused >= 2);
	assert_int_equal(ingest_send_command(f.in, h2.hu, &c), 0);
	for (i = 0; i < 50 && got == 0; i++) {
		util_sleep_ms(10, NULL);
		pub_dispatch(f.pub[1], count_command, &got);
	}
	assert_int_equal(got, 1);
	assert_int_equal(drain_count(imp[0]), 0);
	assert_int_equal(drain_count(imp[1]), 0);
	zmq_close(imp[0]);
	zmq_close(imp[1]);
	fx_stop(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_authorised_gets_in),
		cmocka_unit_test(test_unknown_key_refused),
		cmocka_unit_test(test_bound_name),
		cmocka_unit_test(test_bound_uuid),
		cmocka_unit_test(test_untrusted_server),
		cmocka_unit_test(test_revoked),
		cmocka_unit_test(test_max_hosts),
		cmocka_unit_test(test_command_queue_bounded),
		cmocka_unit_test(test_route_not_taken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
