/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of collector/publisher.c over real in-process ZeroMQ
 * sockets: a ROUTER in the test stands in for the balancer.  The
 * publisher says Hello first, numbers its reports and fills their
 * identity, keeps them until the balancer acknowledges them, sends the
 * overdue ones again oldest first, drops the oldest from a full buffer
 * (and says so in replay_floor), hands commands to its callback and
 * refuses what it cannot decode.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include <zmq.h>

#include "publisher.h"
#include "util.h"
#include "wire.h"

#define T0_MS		1700000000000ULL	/* a sample time in 2023 */
#define WAIT_MS		2000			/* for inproc to deliver */
#define RESEND_MS	100
#define MAXSEQ		16

#define ACCEPT_COLLECTOR ((1u << BALLAST__V1__ENVELOPE__BODY_HELLO) | \
			 (1u << BALLAST__V1__ENVELOPE__BODY_REPORT) | \
			 (1u << BALLAST__V1__ENVELOPE__BODY_STATUS))

static const uint8_t	 the_uuid[16] = {
	0x3f, 0x2a, 0x11, 0x00, 0x00, 0x00, 0x40, 0x00,
	0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01
};
static const char *const the_caps[] = { "migrate", "cancel", "sim" };

static int	 ep_counter;

/* A publisher, the ROUTER standing in for the balancer, and a decoder. */
struct fx {
	void			*zctx;
	void			*router;
	struct pub		*p;
	struct wire_decoder	*dec;
	char			 ep[64];
	int64_t			 t0;		/* a base for now_ms */
};

/* What the ROUTER received, in order, hellos left out. */
struct got {
	size_t		 n, hellos;
	uint64_t	 seq[MAXSEQ];
	uint64_t	 floor[MAXSEQ];
	uint64_t	 inc[MAXSEQ];
};

/* Commands the callback was given. */
struct cmds {
	int		 calls;
	uint64_t	 id;
	int		 op;
	uint32_t	 max_downtime_ms;
	char		 dest[64];
};

/* A caller's part of a report: the publisher fills the rest. */
struct rep {
	wire_report			 r;
	Ballast__V1__HostCapacity	 cap;
	Ballast__V1__HostCounters	 ctr;
};

static void
fx_open(struct fx *f, size_t max_pending, int64_t resend_ms)
{
	struct pub_config	 cfg;
	char			 err[256];
	int			 zero = 0;

	memset(f, 0, sizeof(*f));
	assert_non_null(f->zctx = zmq_ctx_new());
	assert_non_null(f->dec = wire_decoder_new());
	snprintf(f->ep, sizeof(f->ep), "inproc://pub-test-%d", ++ep_counter);
	assert_non_null(f->router = zmq_socket(f->zctx, ZMQ_ROUTER));
	assert_int_equal(zmq_setsockopt(f->router, ZMQ_LINGER, &zero,
	    sizeof(zero)), 0);
	assert_int_equal(zmq_bind(f->router, f->ep), 0);

	memset(&cfg, 0, sizeof(cfg));
	cfg.endpoint = f->ep;
	memcpy(cfg.host_uuid, the_uuid, 16);
	cfg.host_name = "hv07";
	cfg.software = "ballast-test 1.0";
	cfg.caps = the_caps;
	cfg.ncaps = 3;
	cfg.max_pending = max_pending;
	cfg.resend_ms = resend_ms;
	f->p = pub_new(f->zctx, &cfg, err, sizeof(err));
	if (f->p == NULL)
		fail_msg("pub_new: %s", err);
	f->t0 = util_now_mono_ms();
}

static void
fx_close(struct fx *f)
{
	pub_free(f->p, 0);
	zmq_close(f->router);
	wire_decoder_free(f->dec);
	assert_int_equal(zmq_ctx_term(f->zctx), 0);
}

/*
 * Receives one message on the ROUTER within wait_ms.  Returns 0 and
 * sets *e (valid until the next call), -EAGAIN when nothing came; fails
 * when the routing id is not 'H' + uuid or wire_decode refuses it.
 */
static int
router_recv(struct fx *f, long wait_ms, wire_envelope **e)
{
	zmq_pollitem_t	 it = { .socket = f->router, .events = ZMQ_POLLIN };
	uint8_t		 want[WIRE_ROUTING_ID_LEN];
	zmq_msg_t	 rid, msg;
	char		 err[256];
	int		 more, rc;
	size_t		 sz = sizeof(more);

	if (zmq_poll(&it, 1, wait_ms) <= 0)
		return -EAGAIN;
	zmq_msg_init(&rid);
	zmq_msg_init(&msg);
	assert_true(zmq_msg_recv(&rid, f->router, 0) >= 0);
	assert_int_equal(zmq_getsockopt(f->router, ZMQ_RCVMORE, &more, &sz), 0);
	assert_true(more);
	assert_true(zmq_msg_recv(&msg, f->router, 0) >= 0);
	assert_int_equal(zmq_msg_more(&msg), 0);	/* one frame */
	wire_routing_id(the_uuid, want);
	assert_int_equal(zmq_msg_size(&rid), WIRE_ROUTING_ID_LEN);
	assert_memory_equal(zmq_msg_data(&rid), want, WIRE_ROUTING_ID_LEN);
	rc = wire_decode(f->dec, zmq_msg_data(&msg), zmq_msg_size(&msg),
	    ACCEPT_COLLECTOR, e, err, sizeof(err));
	zmq_msg_close(&msg);
	zmq_msg_close(&rid);
	if (rc != 0)
		fail_msg("the publisher sent a bad message: %s", err);
	return 0;
}

/* Collects what the ROUTER receives until it has been quiet a while. */
static void
router_collect(struct fx *f, struct got *g)
{
	wire_envelope	*e;

	memset(g, 0, sizeof(*g));
	while (router_recv(f, 100, &e) == 0) {
		if (e->body_case == BALLAST__V1__ENVELOPE__BODY_HELLO) {
			g->hellos++;
			continue;
		}
		assert_int_equal(e->body_case,
		    BALLAST__V1__ENVELOPE__BODY_REPORT);
		assert_true(g->n < MAXSEQ);
		g->seq[g->n] = e->report->seq;
		g->floor[g->n] = e->report->replay_floor;
		g->inc[g->n] = e->report->incarnation;
		g->n++;
	}
}

/* Sends e from the ROUTER to the publisher. */
static void
router_send_raw(struct fx *f, const void *buf, size_t len)
{
	uint8_t	 rid[WIRE_ROUTING_ID_LEN];

	wire_routing_id(the_uuid, rid);
	assert_int_equal(zmq_send(f->router, rid, sizeof(rid), ZMQ_SNDMORE),
	    (int)sizeof(rid));
	assert_int_equal(zmq_send(f->router, buf, len, 0), (int)len);
}

static void
router_send(struct fx *f, wire_envelope *e)
{
	uint8_t	*buf;
	size_t	 len;

	assert_non_null(buf = wire_pack(e, &len));
	router_send_raw(f, buf, len);
	free(buf);
}

static void
router_ack(struct fx *f, uint64_t inc, uint64_t seq)
{
	wire_envelope		 e = BALLAST__V1__ENVELOPE__INIT;
	Ballast__V1__Ack	 a = BALLAST__V1__ACK__INIT;

	a.incarnation = inc;
	a.seq = seq;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_ACK;
	e.ack = &a;
	router_send(f, &e);
}

/* Calls pub_dispatch until it has handled `want` messages. */
static void
dispatch(struct fx *f, int want, pub_command_cb cb, void *arg)
{
	zmq_pollitem_t	 it;
	int		 i, n = 0;

	for (i = 0; i < WAIT_MS && n < want; i++) {
		it.socket = pub_socket(f->p);
		it.fd = 0;
		it.events = ZMQ_POLLIN;
		it.revents = 0;
		zmq_poll(&it, 1, 1);
		n += pub_dispatch(f->p, cb, arg);
	}
	assert_int_equal(n, want);
}

/* The caller's part of a report, with identity fields set wrong. */
static void
mk_report(struct rep *r)
{
	memset(r, 0, sizeof(*r));
	ballast__v1__host_report__init(&r->r);
	ballast__v1__host_capacity__init(&r->cap);
	ballast__v1__host_counters__init(&r->ctr);
	r->r.host_name = (char *)(uintptr_t)"not-this-one";
	r->r.seq = 999;
	r->r.incarnation = 999;
	r->r.replay_floor = 999;
	r->r.cluster = (char *)(uintptr_t)"test";
	r->r.sample_time_ms = T0_MS;
	r->r.interval_ms = 1000;
	r->cap.cpus = 8;
	r->cap.cpu_mhz = 2600;
	r->cap.memory_bytes = 32ULL << 30;
	r->r.capacity = &r->cap;
	r->r.counters = &r->ctr;
}

/* Sends one report at f->t0 + at_ms. */
static void
send_at(struct fx *f, int64_t at_ms)
{
	struct rep	 r;

	mk_report(&r);
	assert_int_equal(pub_send_report(f->p, &r.r, f->t0 + at_ms), 0);
}

/* The Hello pub_new sent; returns its incarnation. */
static uint64_t
take_hello(struct fx *f)
{
	wire_envelope	*e;

	assert_int_equal(router_recv(f, WAIT_MS, &e), 0);
	assert_int_equal(e->body_case, BALLAST__V1__ENVELOPE__BODY_HELLO);
	return e->hello->incarnation;
}

static void
test_hello_first(void **state)
{
	struct fx	 f;
	wire_envelope	*e;
	uint64_t	 inc;

	(void)state;
	fx_open(&f, 0, 0);
	assert_int_equal(router_recv(&f, WAIT_MS, &e), 0);
	assert_int_equal(e->body_case, BALLAST__V1__ENVELOPE__BODY_HELLO);
	assert_int_equal(e->hello->host_uuid.len, 16);
	assert_memory_equal(e->hello->host_uuid.data, the_uuid, 16);
	assert_string_equal(e->hello->host_name, "hv07");
	assert_string_equal(e->hello->software, "ballast-test 1.0");
	assert_int_equal(e->hello->n_capabilities, 3);
	assert_string_equal(e->hello->capabilities[0], "migrate");
	assert_string_equal(e->hello->capabilities[2], "sim");
	inc = e->hello->incarnation;
	assert_true(inc != 0);

	/* the reports that follow carry the same incarnation */
	send_at(&f, 1);
	assert_int_equal(router_recv(&f, WAIT_MS, &e), 0);
	assert_int_equal(e->body_case, BALLAST__V1__ENVELOPE__BODY_REPORT);
	assert_int_equal(e->report->incarnation, inc);
	fx_close(&f);
}

static void
test_report_identity_and_seq(void **state)
{
	struct fx	 f;
	struct rep	 r;
	wire_envelope	*e;
	uint64_t	 inc, s;

	(void)state;
	fx_open(&f, 0, 0);
	inc = take_hello(&f);
	for (s = 1; s <= 3; s++) {
		mk_report(&r);
		assert_int_equal(pub_send_report(f.p, &r.r, f.t0 + 1), 0);
		/* filled in the caller's report too */
		assert_int_equal(r.r.seq, s);
		assert_string_equal(r.r.host_name, "hv07");
		assert_int_equal(router_recv(&f, WAIT_MS, &e), 0);
		assert_int_equal(e->body_case,
		    BALLAST__V1__ENVELOPE__BODY_REPORT);
		assert_int_equal(e->report->seq, s);
		assert_int_equal(e->report->incarnation, inc);
		assert_int_equal(e->report->replay_floor, 1);
		assert_int_equal(e->report->host_uuid.len, 16);
		assert_memory_equal(e->report->host_uuid.data, the_uuid, 16);
		assert_string_equal(e->report->host_name, "hv07");
		/* the caller's part is untouched */
		assert_string_equal(e->report->cluster, "test");
		assert_int_equal(e->report->sample_time_ms, T0_MS);
		assert_int_equal(e->report->capacity->cpu_mhz, 2600);
	}
	assert_int_equal(pub_stats(f.p)->sent, 3);
	assert_int_equal(pub_stats(f.p)->pending, 3);
	assert_int_equal(pub_stats(f.p)->resent, 0);
	fx_close(&f);
}

static void
test_ack_trims(void **state)
{
	const struct pub_stats	*st;
	struct got		 g;
	struct fx		 f;
	uint64_t		 inc;

	(void)state;
	fx_open(&f, 0, RESEND_MS);
	st = pub_stats(f.p);
	inc = take_hello(&f);
	send_at(&f, 10);
	send_at(&f, 10);
	send_at(&f, 10);
	router_collect(&f, &g);
	assert_int_equal(g.n, 3);
	assert_int_equal(st->pending, 3);

	/* an ack of another incarnation (an older collector) is ignored */
	router_ack(&f, inc + 1, 3);
	dispatch(&f, 1, NULL, NULL);
	assert_int_equal(st->pending, 3);
	assert_int_equal(st->acked, 0);
	assert_int_equal(st->bad_messages, 0);

	router_ack(&f, inc, 2);
	dispatch(&f, 1, NULL, NULL);
	assert_int_equal(st->pending, 1);
	assert_int_equal(st->acked, 2);

	/* the next report says 3 is the oldest it still holds */
	send_at(&f, 20);
	router_collect(&f, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.seq[0], 4);
	assert_int_equal(g.floor[0], 3);

	/* only what is unacknowledged goes out again */
	pub_tick(f.p, f.t0 + 20 + RESEND_MS);
	router_collect(&f, &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.seq[0], 3);
	assert_int_equal(g.seq[1], 4);
	assert_int_equal(st->resent, 2);

	/* an ack of everything: nothing left to resend */
	router_ack(&f, inc, 4);
	dispatch(&f, 1, NULL, NULL);
	assert_int_equal(st->pending, 0);
	assert_int_equal(st->acked, 4);
	pub_tick(f.p, f.t0 + 100 * RESEND_MS);
	router_collect(&f, &g);
	assert_int_equal(g.n, 0);
	assert_int_equal(st->resent, 2);
	fx_close(&f);
}

static void
test_resend_overdue_in_order(void **state)
{
	const struct pub_stats	*st;
	struct got		 g;
	struct fx		 f;

	(void)state;
	fx_open(&f, 0, RESEND_MS);
	st = pub_stats(f.p);
	take_hello(&f);
	send_at(&f, 1000);
	send_at(&f, 1010);
	send_at(&f, 1020);
	router_collect(&f, &g);
	assert_int_equal(g.n, 3);

	/* nothing is overdue yet */
	pub_tick(f.p, f.t0 + 1000 + RESEND_MS - 1);
	router_collect(&f, &g);
	assert_int_equal(g.n, 0);
	assert_int_equal(st->resent, 0);

	/* only the first is overdue */
	pub_tick(f.p, f.t0 + 1000 + RESEND_MS);
	router_collect(&f, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.seq[0], 1);
	assert_int_equal(st->resent, 1);

	/* then the other two, in order; 1 was just resent */
	pub_tick(f.p, f.t0 + 1020 + RESEND_MS);
	router_collect(&f, &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.seq[0], 2);
	assert_int_equal(g.seq[1], 3);
	assert_int_equal(st->resent, 3);

	/* much later all three, oldest first, with the same floor */
	pub_tick(f.p, f.t0 + 10000);
	router_collect(&f, &g);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.seq[0], 1);
	assert_int_equal(g.seq[1], 2);
	assert_int_equal(g.seq[2], 3);
	assert_int_equal(g.floor[2], 1);
	assert_int_equal(st->resent, 6);
	assert_int_equal(st->sent, 3);
	assert_int_equal(st->pending, 3);
	fx_close(&f);
}

static void
test_full_buffer_drops_oldest(void **state)
{
	const struct pub_stats	*st;
	struct got		 g;
	struct fx		 f;
	int			 i;

	(void)state;
	fx_open(&f, 3, RESEND_MS);
	st = pub_stats(f.p);
	take_hello(&f);
	for (i = 0; i < 5; i++)
		send_at(&f, 10);
	router_collect(&f, &g);
	assert_int_equal(g.n, 5);
	assert_int_equal(st->dropped, 2);
	assert_int_equal(st->pending, 3);
	assert_int_equal(g.seq[0], 1);
	assert_int_equal(g.floor[0], 1);
	assert_int_equal(g.floor[2], 1);
	assert_int_equal(g.seq[3], 4);
	assert_int_equal(g.floor[3], 2);
	assert_int_equal(g.seq[4], 5);
	assert_int_equal(g.floor[4], 3);

	/* 1 and 2 are gone for good */
	pub_tick(f.p, f.t0 + 10 + RESEND_MS);
	router_collect(&f, &g);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.seq[0], 3);
	assert_int_equal(g.seq[1], 4);
	assert_int_equal(g.seq[2], 5);
	assert_int_equal(st->resent, 3);
	fx_close(&f);
}

static void
on_command(void *arg, const Ballast__V1__Command *cmd)
{
	struct cmds	*c = arg;

	c->calls++;
	c->id = cmd->id;
	c->op = (int)cmd->op_case;
	if (cmd->op_case == BALLAST__V1__COMMAND__OP_MIGRATE) {
		c->max_downtime_ms = cmd->migrate->max_downtime_ms;
		snprintf(c->dest, sizeof(c->dest), "%s",
		    cmd->migrate->dest_host_name);
	}
}

static void
test_command_reaches_callback(void **state)
{
	Ballast__V1__Command	 cmd = BALLAST__V1__COMMAND__INIT;
	Ballast__V1__Migrate	 mig = BALLAST__V1__MIGRATE__INIT;
	Ballast__V1__Cancel	 can = BALLAST__V1__CANCEL__INIT;
	wire_envelope		 e = BALLAST__V1__ENVELOPE__INIT;
	struct cmds		 got;
	struct fx		 f;
	uint8_t			 vu[16], hu[16];

	(void)state;
	fx_open(&f, 0, 0);
	take_hello(&f);
	memset(&got, 0, sizeof(got));
	memset(vu, 0x11, sizeof(vu));
	memset(hu, 0x22, sizeof(hu));
	mig.vm_uuid.data = vu;
	mig.vm_uuid.len = 16;
	mig.dest_host_uuid.data = hu;
	mig.dest_host_uuid.len = 16;
	mig.dest_host_name = (char *)(uintptr_t)"hv03";
	mig.max_downtime_ms = 250;
	cmd.id = 31;
	cmd.epoch = 5;
	cmd.op_case = BALLAST__V1__COMMAND__OP_MIGRATE;
	cmd.migrate = &mig;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_COMMAND;
	e.command = &cmd;
	router_send(&f, &e);
	dispatch(&f, 1, on_command, &got);
	assert_int_equal(got.calls, 1);
	assert_int_equal(got.id, 31);
	assert_int_equal(got.op, BALLAST__V1__COMMAND__OP_MIGRATE);
	assert_int_equal(got.max_downtime_ms, 250);
	assert_string_equal(got.dest, "hv03");

	can.command_id = 31;
	cmd.id = 32;
	cmd.op_case = BALLAST__V1__COMMAND__OP_CANCEL;
	cmd.cancel = &can;
	router_send(&f, &e);
	dispatch(&f, 1, on_command, &got);
	assert_int_equal(got.calls, 2);
	assert_int_equal(got.id, 32);
	assert_int_equal(got.op, BALLAST__V1__COMMAND__OP_CANCEL);
	assert_int_equal(pub_stats(f.p)->bad_messages, 0);
	fx_close(&f);
}

static void
test_bad_messages(void **state)
{
	Ballast__V1__Command	 cmd = BALLAST__V1__COMMAND__INIT;
	Ballast__V1__Cancel	 can = BALLAST__V1__CANCEL__INIT;
	wire_envelope		 e = BALLAST__V1__ENVELOPE__INIT;
	const struct pub_stats	*st;
	static const uint8_t	 junk[] = { 0x12, 0x7f, 0x00 };
	struct cmds		 got;
	struct rep		 r;
	struct fx		 f;
	wire_envelope		*pe;
	uint64_t		 inc;

	(void)state;
	fx_open(&f, 0, 0);
	st = pub_stats(f.p);
	inc = take_hello(&f);
	memset(&got, 0, sizeof(got));
	send_at(&f, 10);
	assert_int_equal(router_recv(&f, WAIT_MS, &pe), 0);

	router_send_raw(&f, junk, sizeof(junk));	/* undecodable */
	mk_report(&r);					/* for balancers */
	r.r.host_uuid.data = (uint8_t *)(uintptr_t)the_uuid;
	r.r.host_uuid.len = 16;
	r.r.seq = 1;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_REPORT;
	e.report = &r.r;
	router_send(&f, &e);
	cmd.id = 0;					/* id 0 */
	can.command_id = 3;
	cmd.op_case = BALLAST__V1__COMMAND__OP_CANCEL;
	cmd.cancel = &can;
	ballast__v1__envelope__init(&e);
	e.body_case = BALLAST__V1__ENVELOPE__BODY_COMMAND;
	e.command = &cmd;
	router_send(&f, &e);
	dispatch(&f, 3, on_command, &got);
	assert_int_equal(st->bad_messages, 3);
	assert_int_equal(got.calls, 0);
	assert_int_equal(st->pending, 1);

	/* a good ack after them still works */
	router_ack(&f, inc, 1);
	dispatch(&f, 1, on_command, &got);
	assert_int_equal(st->bad_messages, 3);
	assert_int_equal(st->pending, 0);
	fx_close(&f);
}

static void
test_send_status(void **state)
{
	Ballast__V1__CommandStatus	 s = BALLAST__V1__COMMAND_STATUS__INIT;
	struct fx			 f;
	wire_envelope			*e;

	(void)state;
	fx_open(&f, 0, 0);
	take_hello(&f);
	s.id = 31;
	s.state = BALLAST__V1__COMMAND_STATE__CMD_STATE_RUNNING;
	s.progress_permille = 400;
	s.bytes_remaining = 12345;
	s.elapsed_ms = 678;
	assert_int_equal(pub_send_status(f.p, &s), 0);
	assert_int_equal(router_recv(&f, WAIT_MS, &e), 0);
	assert_int_equal(e->body_case, BALLAST__V1__ENVELOPE__BODY_STATUS);
	assert_int_equal(e->status->host_uuid.len, 16);
	assert_memory_equal(e->status->host_uuid.data, the_uuid, 16);
	assert_int_equal(e->status->id, 31);
	assert_int_equal(e->status->state,
	    BALLAST__V1__COMMAND_STATE__CMD_STATE_RUNNING);
	assert_int_equal(e->status->progress_permille, 400);
	assert_int_equal(e->status->bytes_remaining, 12345);
	assert_int_equal(e->status->elapsed_ms, 678);
	/* a status is not a report: nothing pending */
	assert_int_equal(pub_stats(f.p)->pending, 0);
	assert_int_equal(pub_stats(f.p)->sent, 0);
	fx_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello_first),
		cmocka_unit_test(test_report_identity_and_seq),
		cmocka_unit_test(test_ack_trims),
		cmocka_unit_test(test_resend_overdue_in_order),
		cmocka_unit_test(test_full_buffer_drops_oldest),
		cmocka_unit_test(test_command_reaches_callback),
		cmocka_unit_test(test_bad_messages),
		cmocka_unit_test(test_send_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
