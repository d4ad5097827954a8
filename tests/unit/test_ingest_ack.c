/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/ingest.c's other directions over real
 * in-process ZeroMQ sockets: hellos and command statuses from the
 * collectors, commands to them, and acknowledgements: a report is
 * acknowledged only once it is in the checkpoint, which a restarted
 * ingest reads back (gaps included); a checkpoint that cannot be written
 * acknowledges nothing; a duplicate gets its acknowledgement again.
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
status_cb(void *arg, const Ballast__V1__CommandStatus *s)
{
	struct status_seen	*seen = arg;

	seen->calls++;
	seen->id = s->id;
	seen->state = (int)s->state;
	seen->permille = s->progress_permille;
	assert_int_equal(s->host_uuid.len, 16);
	memcpy(seen->host, s->host_uuid.data, 16);
}

static void
send_hello(void *s, int id)
{
	wire_envelope		 e = BALLAST__V1__ENVELOPE__INIT;
	Ballast__V1__Hello	 h = BALLAST__V1__HELLO__INIT;
	char			*caps[] = { (char *)(uintptr_t)"migrate" };
	char			 name[32];
	uint8_t			 u[16];

	host_uuid(id, u);
	snprintf(name, sizeof(name), "kvm-%02d", id);
	h.host_uuid.data = u;
	h.host_uuid.len = 16;
	h.host_name = name;
	h.software = (char *)(uintptr_t)"test 1.0";
	h.capabilities = caps;
	h.n_capabilities = 1;
	h.incarnation = 1;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_HELLO;
	e.hello = &h;
	send_env(s, &e);
}

static void
send_status(void *s, int id, uint64_t cmd, unsigned permille)
{
	wire_envelope			 e = BALLAST__V1__ENVELOPE__INIT;
	Ballast__V1__CommandStatus	 st = BALLAST__V1__COMMAND_STATUS__INIT;
	uint8_t				 u[16];

	host_uuid(id, u);
	st.id = cmd;
	st.state = BALLAST__V1__COMMAND_STATE__CMD_STATE_RUNNING;
	st.progress_permille = permille;
	st.host_uuid.data = u;
	st.host_uuid.len = 16;
	e.body_case = BALLAST__V1__ENVELOPE__BODY_STATUS;
	e.status = &st;
	send_env(s, &e);
}

static void
test_hello_and_status(void **state)
{
	const struct ingest_stats	*st;
	struct status_seen		 seen;
	struct fx			 f;
	uint8_t				 u[16];
	void				*c;

	(void)state;
	fx_open(&f, NULL);
	st = ingest_stats(f.in);
	memset(&seen, 0, sizeof(seen));
	ingest_on_status(f.in, status_cb, &seen);
	c = collector(&f, 1);

	send_hello(c, 1);
	send_status(c, 1, 42, 250);
	pump(&f, 2);
	assert_int_equal(st->hellos, 1);
	assert_int_equal(st->statuses, 1);
	assert_int_equal(st->reports_refused, 0);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.id, 42);
	assert_int_equal(seen.state,
	    BALLAST__V1__COMMAND_STATE__CMD_STATE_RUNNING);
	assert_int_equal(seen.permille, 250);
	host_uuid(1, u);
	assert_memory_equal(seen.host, u, 16);

	/* host 1 speaking for host 3 */
	send_hello(c, 3);
	send_status(c, 3, 43, 500);
	pump(&f, 4);
	assert_int_equal(st->hellos, 1);
	assert_int_equal(st->statuses, 1);
	assert_int_equal(st->reports_refused, 2);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.id, 42);

	zmq_close(c);
	fx_close(&f);
}

static void
test_checkpoint_and_restart(void **state)
{
	const struct ingest_stats	*st;
	struct fx			 f;
	uint64_t			 s;
	void				*c;

	fx_open(&f, *state);
	st = ingest_stats(f.in);
	c = collector(&f, 1);

	for (s = 1; s <= 5; s++)
		send_seq(c, 1, 77, s);
	pump(&f, 5);
	assert_int_equal(st->reports_received, 5);
	expect_nothing(c);			/* nothing durable yet */
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_ack(c, 77, 5);
	assert_int_equal(st->acks_sent, 1);
	assert_int_equal(st->checkpoint_errors, 0);
	/* nothing new: no second ack */
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_nothing(c);
	assert_int_equal(st->acks_sent, 1);
	zmq_close(c);

	fx_restart(&f);
	st = ingest_stats(f.in);
	assert_int_equal(st->reports_lost, 0);
	c = collector(&f, 1);
	send_seq(c, 1, 77, 8);
	pump(&f, 1);
	assert_int_equal(st->reports_received, 1);
	assert_int_equal(st->reports_lost, 2);		/* 6 and 7 */
	assert_int_equal(st->reports_duplicate, 0);
	assert_int_equal(host_get(f.m, 1)->seq, 8);

	/* nothing acknowledged beyond the first gap */
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_no_ack_above(c, 5);

	send_seq(c, 1, 77, 6);
	send_seq(c, 1, 77, 7);
	pump(&f, 3);
	assert_int_equal(st->reports_lost, 0);
	assert_int_equal(st->reports_late, 2);
	assert_int_equal(st->reports_received, 1);
	assert_int_equal(host_get(f.m, 1)->seq, 8);

	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_ack(c, 77, 8);

	/* a repeat of something acknowledged before the restart */
	send_seq(c, 1, 77, 3);
	pump(&f, 4);
	assert_int_equal(st->reports_duplicate, 1);
	assert_int_equal(st->reports_late, 2);

	zmq_close(c);
	fx_close(&f);
}

static void
test_checkpoint_keeps_gaps(void **state)
{
	const struct ingest_stats	*st;
	struct fx			 f;
	void				*c;

	fx_open(&f, *state);
	st = ingest_stats(f.in);
	c = collector(&f, 1);
	send_seq(c, 1, 9, 1);
	send_seq(c, 1, 9, 4);
	pump(&f, 2);
	assert_int_equal(st->reports_lost, 2);
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_ack(c, 9, 1);
	zmq_close(c);

	fx_restart(&f);
	st = ingest_stats(f.in);
	assert_int_equal(st->reports_lost, 2);		/* read back */
	c = collector(&f, 1);
	send_seq(c, 1, 9, 3);
	send_seq(c, 1, 9, 4);
	pump(&f, 2);
	assert_int_equal(st->reports_late, 1);
	assert_int_equal(st->reports_lost, 1);
	assert_int_equal(st->reports_duplicate, 1);
	assert_int_equal(st->reports_received, 0);

	zmq_close(c);
	fx_close(&f);
}

static void
test_checkpoint_error_no_ack(void **state)
{
	const struct ingest_stats	*st;
	struct fx			 f;
	char				 file[128], sdir[160];
	FILE				*fp;
	void				*c;

	snprintf(file, sizeof(file), "%s/file", (const char *)*state);
	assert_non_null(fp = fopen(file, "w"));
	fclose(fp);
	snprintf(sdir, sizeof(sdir), "%s/state", file);	/* under a file */

	fx_open(&f, sdir);		/* no checkpoint to read: goes on */
	st = ingest_stats(f.in);
	c = collector(&f, 1);
	send_seq(c, 1, 4, 1);
	send_seq(c, 1, 4, 2);
	pump(&f, 2);
	assert_int_equal(st->reports_received, 2);

	assert_true(ingest_checkpoint(f.in) < 0);
	assert_int_equal(st->checkpoint_errors, 1);
	assert_int_equal(st->acks_sent, 0);
	expect_nothing(c);
	/* and again: still nothing acknowledged */
	assert_true(ingest_checkpoint(f.in) < 0);
	assert_int_equal(st->checkpoint_errors, 2);
	expect_nothing(c);
	/* ingest goes on */
	send_seq(c, 1, 4, 3);
	pump(&f, 3);
	assert_int_equal(st->reports_received, 3);

	zmq_close(c);
	fx_close(&f);
}

static void
test_ack_resent_after_duplicate(void **state)
{
	const struct ingest_stats	*st;
	struct fx			 f;
	void				*c;

	fx_open(&f, *state);
	st = ingest_stats(f.in);
	c = collector(&f, 1);
	send_seq(c, 1, 12, 1);
	send_seq(c, 1, 12, 2);
	pump(&f, 2);
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_ack(c, 12, 2);
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_nothing(c);

	/* the collector missed the ack and sends 2 again */
	send_seq(c, 1, 12, 2);
	pump(&f, 3);
	assert_int_equal(st->reports_duplicate, 1);
	assert_int_equal(ingest_checkpoint(f.in), 0);
	expect_ack(c, 12, 2);
	assert_int_equal(st->acks_sent, 2);

	zmq_close(c);
	fx_close(&f);
}

static void
test_send_command(void **state)
{
	Ballast__V1__Command	 cmd = BALLAST__V1__COMMAND__INIT;
	Ballast__V1__Migrate	 mig = BALLAST__V1__MIGRATE__INIT;
	struct wire_decoder	*dec;
	wire_envelope		*e;
	struct fx		 f;
	uint8_t			 vu[16], hu[16];
	void			*c;

	(void)state;
	fx_open(&f, NULL);
	c = collector(&f, 1);
	send_hello(c, 1);		/* the ROUTER now knows the peer */
	pump(&f, 1);

	vm_uuid(1, 3, vu);
	host_uuid(2, hu);
	mig.vm_uuid.data = vu;
	mig.vm_uuid.len = 16;
	mig.dest_host_uuid.data = hu;
	mig.dest_host_uuid.len = 16;
	mig.dest_host_name = (char *)(uintptr_t)"kvm-02";
	mig.max_downtime_ms = 300;
	cmd.id = 1234;
	cmd.epoch = 99;
	cmd.op_case = BALLAST__V1__COMMAND__OP_MIGRATE;
	cmd.migrate = &mig;
	host_uuid(1, hu);
	assert_int_equal(ingest_send_command(f.in, hu, &cmd), 0);

	assert_non_null(dec = wire_decoder_new());
	assert_int_equal(recv_env(c, dec, WAIT_MS, &e), 0);
	assert_int_equal(e->body_case, BALLAST__V1__ENVELOPE__BODY_COMMAND);
	assert_int_equal(e->command->id, 1234);
	assert_int_equal(e->command->epoch, 99);
	assert_int_equal(e->command->op_case, BALLAST__V1__COMMAND__OP_MIGRATE);
	assert_memory_equal(e->command->migrate->vm_uuid.data, vu, 16);
	assert_string_equal(e->command->migrate->dest_host_name, "kvm-02");
	assert_int_equal(e->command->migrate->max_downtime_ms, 300);
	wire_decoder_free(dec);

	/* nobody is connected as host 5 */
	host_uuid(5, hu);
	assert_int_equal(ingest_send_command(f.in, hu, &cmd), -EHOSTUNREACH);

	zmq_close(c);
	fx_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello_and_status),
		cmocka_unit_test_setup_teardown(test_checkpoint_and_restart,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_checkpoint_keeps_gaps,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_checkpoint_error_no_ack,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_ack_resent_after_duplicate,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test(test_send_command),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
