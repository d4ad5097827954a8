/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/ingest.c over real in-process ZeroMQ sockets:
 * DEALER sockets with a host's routing id stand in for collectors.
 * Reports are applied and ordered by sequence number (gaps, late
 * arrivals, duplicates, new incarnations, the replay floor), a sender
 * speaks only for its own host, malformed messages are counted by
 * reason.  Hellos, statuses, commands, the checkpoint and its
 * acknowledgements are in test_ingest_ack.c.
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
#include <jansson.h>

#include "testutil.h"

#include "ingestfix.h"

static void
test_reports_applied(void **state)
{
	const struct ingest_stats	*st;
	const struct model_host		*h;
	struct hrep			 r;
	struct fx			 f;
	void				*c1, *c2;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	c1 = collector(&f, 1);
	c2 = collector(&f, 2);

	mk_report(&r, 1, 7, 1, 3, 10);
	send_report(c1, &r);
	mk_report(&r, 2, 9, 1, 2, 10);
	send_report(c2, &r);
	pump(&f, 2);
	assert_int_equal(st->reports_received, 2);
	assert_int_equal(st->vm_samples, 5);
	assert_int_equal(model_host_count(f.m), 2);
	assert_int_equal(model_vm_count(f.m), 5);
	assert_non_null(h = host_get(f.m, 1));
	assert_string_equal(h->name, "kvm-01");
	assert_int_equal(h->nvms, 3);
	assert_int_equal(h->seq, 1);
	assert_int_equal(h->last_ms, NOW_MS);
	assert_non_null(h = host_get(f.m, 2));
	assert_int_equal(h->nvms, 2);

	/* the next report of host 1 replaces its picture */
	mk_report(&r, 1, 7, 2, 1, 20);
	send_report(c1, &r);
	pump(&f, 3);
	assert_int_equal(st->reports_received, 3);
	assert_int_equal(st->vm_samples, 6);
	assert_int_equal(host_get(f.m, 1)->seq, 2);
	assert_int_equal(host_get(f.m, 1)->nvms, 1);
	assert_int_equal(vm_get(f.m, 1, 0)->c.cpu_time_ns, 20 * SEC);
	assert_int_equal(st->reports_lost, 0);
	assert_int_equal(st->reports_duplicate, 0);
	assert_int_equal(st->reports_refused, 0);
	assert_int_equal(st->reports_malformed, 0);

	zmq_close(c1);
	zmq_close(c2);
	fx_close(&f);
}

static void
test_gap_late_duplicate(void **state)
{
	const struct ingest_stats	*st;
	struct fx			 f;
	void				*c;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	c = collector(&f, 1);

	send_seq(c, 1, 3, 1);
	send_seq(c, 1, 3, 2);
	send_seq(c, 1, 3, 5);
	pump(&f, 3);
	assert_int_equal(st->reports_received, 3);
	assert_int_equal(st->reports_lost, 2);		/* 3 and 4 */
	assert_int_equal(host_get(f.m, 1)->seq, 5);
	assert_int_equal(vm_get(f.m, 1, 0)->c.cpu_time_ns, 50 * SEC);

	/* 3 fills the gap late: not applied over the newer counters */
	send_seq(c, 1, 3, 3);
	pump(&f, 4);
	assert_int_equal(st->reports_lost, 1);
	assert_int_equal(st->reports_late, 1);
	assert_int_equal(st->reports_received, 3);
	assert_int_equal(st->vm_samples, 6);
	assert_int_equal(host_get(f.m, 1)->seq, 5);
	assert_int_equal(host_get(f.m, 1)->busy_ns, 50 * SEC);
	assert_int_equal(vm_get(f.m, 1, 0)->c.cpu_time_ns, 50 * SEC);

	send_seq(c, 1, 3, 4);
	pump(&f, 5);
	assert_int_equal(st->reports_lost, 0);
	assert_int_equal(st->reports_late, 2);
	assert_int_equal(st->reports_duplicate, 0);

	/* repeats of the newest, of an old one and of a filled gap */
	send_seq(c, 1, 3, 5);
	send_seq(c, 1, 3, 2);
	send_seq(c, 1, 3, 3);
	pump(&f, 8);
	assert_int_equal(st->reports_duplicate, 3);
	assert_int_equal(st->reports_late, 2);
	assert_int_equal(st->reports_lost, 0);
	assert_int_equal(st->reports_received, 3);
	assert_int_equal(host_get(f.m, 1)->seq, 5);

	/* and the sequence goes on */
	send_seq(c, 1, 3, 6);
	pump(&f, 9);
	assert_int_equal(st->reports_received, 4);
	assert_int_equal(host_get(f.m, 1)->seq, 6);
	assert_int_equal(st->reports_lost, 0);

	zmq_close(c);
	fx_close(&f);
}

static void
test_first_report_sets_baseline(void **state)
{
	const struct ingest_stats	*st;
	struct fx			 f;
	void				*c;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	c = collector(&f, 1);

	/* a collector met in mid-sequence has lost nothing we know of */
	send_seq(c, 1, 3, 40);
	send_seq(c, 1, 3, 42);
	pump(&f, 2);
	assert_int_equal(st->reports_received, 2);
	assert_int_equal(st->reports_lost, 1);		/* only 41 */

	zmq_close(c);
	fx_close(&f);
}

static void
test_new_incarnation(void **state)
{
	const struct ingest_stats	*st;
	struct fx			 f;
	void				*c;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	c = collector(&f, 1);

	send_seq(c, 1, 100, 1);
	send_seq(c, 1, 100, 2);
	send_seq(c, 1, 100, 3);
	pump(&f, 3);
	assert_int_equal(st->reports_received, 3);

	/* the collector restarted: its numbers begin again at 1 */
	send_seq(c, 1, 200, 1);
	pump(&f, 4);
	assert_int_equal(st->reports_received, 4);
	assert_int_equal(st->reports_lost, 0);
	assert_int_equal(st->reports_duplicate, 0);
	assert_int_equal(host_get(f.m, 1)->seq, 1);

	send_seq(c, 1, 200, 2);
	send_seq(c, 1, 200, 2);
	send_seq(c, 1, 200, 4);
	pump(&f, 7);
	assert_int_equal(st->reports_received, 6);
	assert_int_equal(st->reports_duplicate, 1);
	assert_int_equal(st->reports_lost, 1);		/* 3 of the new one */
	assert_int_equal(host_get(f.m, 1)->seq, 4);

	zmq_close(c);
	fx_close(&f);
}

static void
test_replay_floor(void **state)
{
	const struct ingest_stats	*st;
	struct hrep			 r;
	struct fx			 f;
	void				*c;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	c = collector(&f, 1);

	send_seq(c, 1, 5, 1);
	send_seq(c, 1, 5, 6);
	pump(&f, 2);
	assert_int_equal(st->reports_lost, 4);		/* 2..5 */
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_ack(c, 5, 1);

	/* the sender holds nothing below 4 now: 2 and 3 are gone */
	mk_report(&r, 1, 5, 7, 2, 70);
	r.r.replay_floor = 4;
	send_report(c, &r);
	pump(&f, 3);
	assert_int_equal(st->reports_received, 3);
	assert_int_equal(st->reports_lost, 4);		/* still lost */
	/* the ack moves up to the first gap still open */
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_ack(c, 5, 3);

	/* a 2 arriving now no longer fills a gap; 4 still does */
	send_seq(c, 1, 5, 2);
	pump(&f, 4);
	assert_int_equal(st->reports_late, 0);
	assert_int_equal(st->reports_duplicate, 1);
	assert_int_equal(st->reports_lost, 4);
	send_seq(c, 1, 5, 4);
	pump(&f, 5);
	assert_int_equal(st->reports_late, 1);
	assert_int_equal(st->reports_lost, 3);
	assert_int_equal(st->reports_received, 3);
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_ack(c, 5, 4);

	zmq_close(c);
	fx_close(&f);
}

static void
test_missing_bounded(void **state)
{
	const struct ingest_stats	*st;
	struct fx			 f;
	void				*c;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	c = collector(&f, 1);
	send_seq(c, 1, 2, 1);
	send_seq(c, 1, 2, 100);
	pump(&f, 2);
	assert_int_equal(st->reports_lost, 98);

	/* only the newest CKPT_MISSING_MAX gaps are remembered */
	send_seq(c, 1, 2, 100 - CKPT_MISSING_MAX - 1);
	pump(&f, 3);
	assert_int_equal(st->reports_duplicate, 1);
	assert_int_equal(st->reports_lost, 98);
	send_seq(c, 1, 2, 100 - CKPT_MISSING_MAX);
	send_seq(c, 1, 2, 99);
	pump(&f, 5);
	assert_int_equal(st->reports_late, 2);
	assert_int_equal(st->reports_lost, 96);

	zmq_close(c);
	fx_close(&f);
}

static void
test_sender_must_match(void **state)
{
	const struct ingest_stats	*st;
	struct hrep			 r;
	struct fx			 f;
	void				*c1, *odd;
	int				 zero = 0;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	c1 = collector(&f, 1);

	/* host 1's collector speaking for host 2 */
	mk_report(&r, 2, 1, 1, 2, 10);
	send_report(c1, &r);
	pump(&f, 1);
	assert_int_equal(st->reports_refused, 1);
	assert_int_equal(st->reports_received, 0);
	assert_int_equal(model_host_count(f.m), 0);
	assert_int_equal(model_vm_count(f.m), 0);

	/* a sender whose routing id is not 'H' + uuid at all */
	assert_non_null(odd = zmq_socket(f.zctx, ZMQ_DEALER));
	assert_int_equal(zmq_setsockopt(odd, ZMQ_ROUTING_ID, "X123", 4), 0);
	assert_int_equal(zmq_setsockopt(odd, ZMQ_LINGER, &zero, sizeof(zero)),
	    0);
	assert_int_equal(zmq_connect(odd, f.ep), 0);
	mk_report(&r, 1, 1, 1, 2, 10);
	send_report(odd, &r);
	pump(&f, 2);
	assert_int_equal(st->reports_refused, 2);
	assert_int_equal(model_host_count(f.m), 0);

	/* the same report from its own host is taken */
	send_report(c1, &r);
	pump(&f, 3);
	assert_int_equal(st->reports_refused, 2);
	assert_int_equal(st->reports_received, 1);
	assert_int_equal(model_host_count(f.m), 1);
	assert_null(host_get(f.m, 2));

	zmq_close(odd);
	zmq_close(c1);
	fx_close(&f);
}

static void
test_malformed(void **state)
{
	const struct ingest_stats	*st;
	Ballast__V1__Ack		 ack = BALLAST__V1__ACK__INIT;
	wire_envelope			 e = BALLAST__V1__ENVELOPE__INIT;
	struct hrep			 r;
	struct fx			 f;
	uint8_t				 buf[4096];
	static const uint8_t		 junk[] = { 0x12, 0x7f, 0x00 };
	size_t				 len, i;
	uint64_t			 sum = 0;
	void				*c;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	c = collector(&f, 1);

	send_raw(c, junk, sizeof(junk));		/* truncated */
	send_raw(c, junk, 0);				/* empty */
	mk_report(&r, 1, 1, 1, 2, 10);			/* a version 2 */
	e.body_case = BALLAST__V1__ENVELOPE__BODY_REPORT;
	e.report = &r.r;
	e.version = 2;
	assert_true(ballast__v1__envelope__get_packed_size(&e) <= sizeof(buf));
	len = ballast__v1__envelope__pack(&e, buf);
	send_raw(c, buf, len);
	ballast__v1__envelope__init(&e);		/* for collectors */
	ack.incarnation = 1;
	ack.seq = 1;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_ACK;
	e.ack = &ack;
	send_env(c, &e);
	mk_report(&r, 1, 1, 0, 2, 10);			/* seq 0 */
	send_report(c, &r);
	mk_report(&r, 1, 1, 1, 2, 10);			/* the same VM twice */
	r.vm[1].uuid.data = r.vu[0];
	send_report(c, &r);
	pump(&f, 6);

	assert_int_equal(st->reports_malformed, 6);
	assert_int_equal(st->malformed_by[WIRE_E_DECODE], 1);
	assert_int_equal(st->malformed_by[WIRE_E_SIZE], 1);
	assert_int_equal(st->malformed_by[WIRE_E_VERSION], 1);
	assert_int_equal(st->malformed_by[WIRE_E_BODY], 1);
	assert_int_equal(st->malformed_by[WIRE_E_SEQ], 1);
	assert_int_equal(st->malformed_by[WIRE_E_DUPLICATE], 1);
	for (i = 0; i < WIRE_E_MAX; i++)
		sum += st->malformed_by[i];
	assert_int_equal(sum, 6);
	assert_int_equal(st->reports_received, 0);
	assert_int_equal(st->reports_refused, 0);
	assert_int_equal(model_host_count(f.m), 0);

	/* the connection still works */
	send_seq(c, 1, 1, 1);
	pump(&f, 7);
	assert_int_equal(st->reports_received, 1);
	assert_int_equal(st->reports_malformed, 6);

	zmq_close(c);
	fx_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reports_applied),
		cmocka_unit_test(test_gap_late_duplicate),
		cmocka_unit_test(test_first_report_sets_baseline),
		cmocka_unit_test(test_new_incarnation),
		cmocka_unit_test(test_replay_floor),
		cmocka_unit_test(test_missing_bounded),
		cmocka_unit_test(test_sender_must_match),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
