/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/executor.c: the migration state machine
 * (submit, send, statuses, timeouts, verification against the model,
 * cancel), what it reports (busy VMs and hosts, newest first, totals).
 * The journal and restarts are in test_executor_journal.c.
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

#include "executorfix.h"

static void
test_submit_and_send(void **state)
{
	struct tmp		*t = *state;
	struct fake		 f;
	struct executor		*ex;
	const struct migration	*m;
	struct migration	 p;
	struct model		*md;
	uint8_t			 u[16];
	uint64_t		 id, id2, other = 0;
	char			 st[32];

	memset(&f, 0, sizeof(f));
	f.journal = t->journal;
	assert_non_null(md = model_new(NULL));
	ex = ex_open(&f, t->journal, EPOCH, 1);
	id = submit(ex, 1, 1, 2, T0);
	assert_true(id == (EPOCH << 32 | 1));
	m = mig(ex, id);
	assert_int_equal(m->state, MIG_PLANNED);
	assert_int_equal(m->attempts, 0);
	assert_int_equal(m->progress, 0);
	assert_int_equal(m->ended_at, 0);
	assert_true(m->planned_at > 0);
	assert_string_equal(m->vm_name, "vm-1");
	assert_string_equal(m->reason, "hot");
	assert_string_equal(m->explain, "a test move");
	/* journaled as planned, nothing sent yet */
	journal_state(t->journal, id, st, sizeof(st));
	assert_string_equal(st, "planned");
	assert_int_equal(f.n, 0);

	/* one migration per VM while it is in flight */
	mig_proto(&p, 1, 1, 3);
	assert_int_equal(executor_submit(ex, &p, T0, &other), -EBUSY);
	assert_true(other == 0);
	assert_int_equal(executor_count(ex), 1);

	executor_tick(ex, md, T0 + 100);
	m = mig(ex, id);
	assert_int_equal(m->state, MIG_SENT);
	assert_int_equal(m->attempts, 1);
	assert_int_equal(m->state_ms, T0 + 100);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.cmd[0].op, OP_MIGRATE);
	assert_true(f.cmd[0].id == id);
	assert_true(f.cmd[0].epoch == EPOCH);
	trep_vm_uuid(1, u);
	assert_memory_equal(f.cmd[0].vm, u, 16);
	host_uuid(2, u);
	assert_memory_equal(f.cmd[0].dst, u, 16);
	assert_string_equal(f.cmd[0].dst_name, "hv2");
	host_uuid(1, u);
	assert_memory_equal(f.cmd[0].host, u, 16);	/* to the source */
	assert_int_equal(f.cmd[0].max_downtime_ms, 300);
	assert_true(f.cmd[0].bandwidth == 100 << 20);
	assert_true(f.cmd[0].journaled);		/* journal first */

	/* no answer yet, before the send timeout: nothing more */
	executor_tick(ex, md, T0 + 100 + SEND_TO_S * 1000);
	assert_int_equal(f.n, 1);
	assert_int_equal(mig(ex, id)->state, MIG_SENT);

	/* still busy while sent; the next id counts on */
	assert_int_equal(executor_submit(ex, &p, T0, &other), -EBUSY);
	id2 = submit(ex, 2, 1, 3, T0 + 200);
	assert_true(id2 == (EPOCH << 32 | 2));

	executor_free(ex);
	model_free(md);
}

/*
 * A host is emptied before it is filled: a make-room move (vm-5 out of
 * hv2) and the move it makes room for (vm-1 from hot hv1 into hv2) do
 * not overlap; moves in opposite directions do not wait for each other.
 */
static void
test_dst_waits_for_leaving(void **state)
{
	struct fake		 f;
	struct executor		*ex;
	struct model		*md;
	uint64_t		 room, hot, back;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_non_null(md = model_new(NULL));
	ex = ex_open(&f, NULL, EPOCH, 1);
	room = submit(ex, 5, 2, 3, T0);
	hot = submit(ex, 1, 1, 2, T0);
	executor_tick(ex, md, T0);
	assert_int_equal(mig(ex, room)->state, MIG_SENT);
	assert_int_equal(mig(ex, hot)->state, MIG_PLANNED);
	assert_int_equal(f.n, 1);
	status(ex, room, ST_RUNNING, 500, NULL, T0 + 1000);
	executor_tick(ex, md, T0 + 1000);
	assert_int_equal(mig(ex, hot)->state, MIG_PLANNED);
	status(ex, room, ST_DONE, 1000, NULL, T0 + 2000);
	executor_tick(ex, md, T0 + 2000);
	assert_int_equal(mig(ex, hot)->state, MIG_SENT);
	assert_int_equal(f.n, 2);
	assert_true(f.cmd[1].id == hot);

	/* hv3 -> hv4 and hv4 -> hv3 planned together: the first goes */
	back = submit(ex, 7, 4, 3, T0 + 3000);
	room = submit(ex, 8, 3, 4, T0 + 3000);
	executor_tick(ex, md, T0 + 3000);
	assert_int_equal(mig(ex, back)->state, MIG_SENT);
	assert_int_equal(mig(ex, room)->state, MIG_PLANNED);
	executor_free(ex);
	model_free(md);
}

static void
test_status_to_done(void **state)
{
	struct fake		 f;
	struct executor		*ex;
	const struct migration	*m;
	struct model		*md, *on_src, *on_dst;
	uint8_t			 u[16];
	uint64_t		 id;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_non_null(md = model_new(NULL));
	ex = ex_open(&f, NULL, EPOCH, 1);
	id = submit(ex, 1, 1, 2, T0);
	executor_tick(ex, md, T0);
	assert_int_equal(mig(ex, id)->state, MIG_SENT);

	status(ex, id, ST_ACCEPTED, 0, NULL, T0 + 500);
	m = mig(ex, id);
	assert_int_equal(m->state, MIG_MIGRATING);
	assert_int_equal(m->progress, 0);
	assert_int_equal(m->state_ms, T0 + 500);
	status(ex, id, ST_RUNNING, 420, NULL, T0 + 1500);
	m = mig(ex, id);
	assert_int_equal(m->state, MIG_MIGRATING);
	assert_int_equal(m->progress, 420);
	assert_int_equal(m->state_ms, T0 + 500);	/* kept in its state */
	status(ex, id, ST_RUNNING, 900, NULL, T0 + 2500);
	assert_int_equal(mig(ex, id)->progress, 900);
	assert_int_equal(executor_vm_busy(ex, m->vm), 1);

	status(ex, id, ST_DONE, 1000, NULL, T0 + 3000);
	m = mig(ex, id);
	assert_int_equal(m->state, MIG_VERIFYING);
	assert_int_equal(m->progress, 1000);
	assert_int_equal(m->ended_at, 0);
	assert_int_equal(executor_vm_busy(ex, m->vm), 1);

	/* not yet seen on the destination: still verifying */
	on_src = model_vm_on(1, 1, T0 + 3000);
	executor_tick(ex, on_src, T0 + 4000);
	assert_int_equal(mig(ex, id)->state, MIG_VERIFYING);
	executor_tick(ex, md, T0 + 4000);		/* nobody reports it */
	assert_int_equal(mig(ex, id)->state, MIG_VERIFYING);

	on_dst = model_vm_on(1, 2, T0 + 5000);
	executor_tick(ex, on_dst, T0 + 5000);
	m = mig(ex, id);
	assert_int_equal(m->state, MIG_DONE);
	assert_int_equal(m->progress, 1000);
	assert_true(m->ended_at > 0);
	assert_int_equal(m->done_ms, T0 + 5000);
	assert_string_equal(m->error, "");
	assert_int_equal(executor_vm_busy(ex, m->vm), 0);
	host_uuid(1, u);
	assert_int_equal(executor_host_busy(ex, u), 0);
	assert_true(executor_total(ex, MIG_DONE) == 1);
	assert_int_equal(f.n, 1);

	/* a late status changes nothing once it has ended */
	status(ex, id, ST_FAILED, 0, "late", T0 + 6000);
	m = mig(ex, id);
	assert_int_equal(m->state, MIG_DONE);
	assert_string_equal(m->error, "");

	/* a minute after DONE the benefit is judged from the source */
	executor_tick(ex, on_src, T0 + 5000 + 59000);
	assert_string_equal(mig(ex, id)->outcome, "");
	executor_tick(ex, on_src, T0 + 5000 + 60000);
	m = mig(ex, id);
	assert_int_equal(m->benefit_checked, 1);
	assert_non_null(strstr(m->outcome, "benefit"));
	assert_non_null(strstr(m->outcome, "hv1"));
	assert_int_equal(f.n, 1);

	executor_free(ex);
	model_free(md);
	model_free(on_src);
	model_free(on_dst);
}

static void
test_status_refused_failed_cancelled(void **state)
{
	struct fake		 f;
	struct executor		*ex;
	struct model		*md;
	uint64_t		 a, b, c, d;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_non_null(md = model_new(NULL));
	ex = ex_open(&f, NULL, EPOCH, 1);
	a = submit(ex, 1, 1, 2, T0);
	b = submit(ex, 2, 1, 2, T0);
	c = submit(ex, 3, 1, 2, T0);
	d = submit(ex, 4, 1, 2, T0);
	executor_tick(ex, md, T0);
	assert_int_equal(f.n, 4);

	status(ex, a, ST_REFUSED, 0, "not enough memory on hv2", T0 + 100);
	assert_int_equal(mig(ex, a)->state, MIG_FAILED);
	assert_string_equal(mig(ex, a)->error, "not enough memory on hv2");
	assert_true(mig(ex, a)->ended_at > 0);

	/* a failure while migrating, and one without a reason */
	status(ex, b, ST_RUNNING, 100, NULL, T0 + 100);
	status(ex, b, ST_FAILED, 0,
	    "migration failed: connection reset", T0 + 200);
	assert_int_equal(mig(ex, b)->state, MIG_FAILED);
	assert_string_equal(mig(ex, b)->error,
	    "migration failed: connection reset");
	status(ex, c, ST_FAILED, 0, NULL, T0 + 200);
	assert_int_equal(mig(ex, c)->state, MIG_FAILED);
	assert_true(strlen(mig(ex, c)->error) > 0);

	status(ex, d, ST_CANCELLED, 0, NULL, T0 + 300);
	assert_int_equal(mig(ex, d)->state, MIG_ABORTED);
	assert_non_null(strstr(mig(ex, d)->error, "cancelled"));

	assert_true(executor_total(ex, MIG_FAILED) == 3);
	assert_true(executor_total(ex, MIG_ABORTED) == 1);
	assert_true(executor_total(ex, MIG_DONE) == 0);
	/* the ended ones are neither resent nor timed out */
	executor_tick(ex, md, T0 + 3600 * 1000);
	assert_int_equal(f.n, 4);
	assert_true(executor_total(ex, MIG_FAILED) == 3);

	executor_free(ex);
	model_free(md);
}

/*
 * What the policy's retries bound: a VM's failed migrations from its
 * host since it last moved; one that is done starts the count again,
 * failures from another host and aborted ones do not count.
 */
static void
test_vm_failures(void **state)
{
	struct fake		 f;
	struct executor		*ex;
	struct model		*md;
	uint8_t			 vm[16], h1[16], h2[16];
	uint64_t		 id;
	int			 k;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_non_null(md = model_new(NULL));
	ex = ex_open(&f, NULL, EPOCH, 1);
	trep_vm_uuid(1, vm);
	host_uuid(1, h1);
	host_uuid(2, h2);
	assert_int_equal(executor_vm_failures(ex, vm, h1), 0);
	for (k = 1; k <= 2; k++) {
		id = submit(ex, 1, 1, k + 1, T0);
		executor_tick(ex, md, T0);
		status(ex, id, ST_FAILED, 0, "injected", T0 + 100);
		assert_int_equal(executor_vm_failures(ex, vm, h1), k);
	}
	id = submit(ex, 1, 1, 2, T0);
	executor_tick(ex, md, T0);
	assert_int_equal(executor_cancel(ex, id, T0 + 100), 0);
	assert_int_equal(executor_vm_failures(ex, vm, h1), 2);
	assert_int_equal(executor_vm_failures(ex, vm, h2), 0);
	id = submit(ex, 1, 1, 2, T0);
	executor_tick(ex, md, T0);
	status(ex, id, ST_DONE, 1000, NULL, T0 + 100);
	model_free(md);
	md = model_vm_on(1, 2, T0 + 200);
	executor_tick(ex, md, T0 + 200);
	assert_int_equal(mig(ex, id)->state, MIG_DONE);
	assert_int_equal(executor_vm_failures(ex, vm, h1), 0);
	executor_free(ex);
	model_free(md);
}

static void
test_status_unknown_id(void **state)
{
	struct fake		 f;
	struct executor		*ex;
	struct model		*md;
	uint64_t		 id;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_non_null(md = model_new(NULL));
	ex = ex_open(&f, NULL, EPOCH, 1);
	id = submit(ex, 1, 1, 2, T0);
	executor_tick(ex, md, T0);

	/* unknown, and the same number from another epoch */
	status(ex, id + 1, ST_DONE, 1000, NULL, T0 + 100);
	status(ex, (EPOCH - 1) << 32 | 1, ST_FAILED, 0, "old", T0 + 100);
	status(ex, 0, ST_RUNNING, 10, NULL, T0 + 100);
	{
		uint8_t	 other[16];

		/* the right id from a host that is not the source */
		host_uuid(3, other);
		status_from(ex, id, other, ST_DONE, T0 + 100);
	}
	assert_int_equal(executor_count(ex), 1);
	assert_int_equal(mig(ex, id)->state, MIG_SENT);
	assert_int_equal(mig(ex, id)->progress, 0);
	assert_null(executor_find(ex, id + 1));
	assert_int_equal(f.n, 1);

	executor_free(ex);
	model_free(md);
}

static void
test_send_failure(void **state)
{
	struct fake		 f;
	struct executor		*ex;
	const struct migration	*m;
	struct model		*md;
	uint64_t		 id, id2;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.fail = -EHOSTUNREACH;
	assert_non_null(md = model_new(NULL));
	ex = ex_open(&f, NULL, EPOCH, 1);
	id = submit(ex, 1, 1, 2, T0);
	executor_tick(ex, md, T0);
	m = mig(ex, id);
	assert_int_equal(f.n, 1);
	assert_int_equal(m->state, MIG_FAILED);
	assert_int_equal(m->attempts, 1);
	assert_true(m->ended_at > 0);
	assert_non_null(strstr(m->error, "hv1"));
	assert_non_null(strstr(m->error, "not connected"));
	assert_int_equal(executor_vm_busy(ex, m->vm), 0);
	assert_true(executor_total(ex, MIG_FAILED) == 1);

	/* another errno is named as such */
	f.fail = -ECONNREFUSED;
	id2 = submit(ex, 2, 3, 2, T0);
	executor_tick(ex, md, T0 + 1);
	m = mig(ex, id2);
	assert_int_equal(m->state, MIG_FAILED);
	assert_non_null(strstr(m->error, "hv3"));
	assert_non_null(strstr(m->error, strerror(ECONNREFUSED)));

	/* a failed migration is not sent again */
	f.fail = 0;
	executor_tick(ex, md, T0 + 3600 * 1000);
	assert_int_equal(f.n, 2);

	executor_free(ex);
	model_free(md);
}

static void
test_send_timeout_retry(void **state)
{
	struct fake		 f;
	struct executor		*ex;
	const struct migration	*m;
	struct model		*md;
	uint64_t		 id;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_non_null(md = model_new(NULL));
	ex = ex_open(&f, NULL, EPOCH, 1);
	id = submit(ex, 1, 1, 2, T0);
	executor_tick(ex, md, T0);
	assert_int_equal(f.n, 1);

	executor_tick(ex, md, T0 + SEND_TO_S * 1000);
	assert_int_equal(f.n, 1);
	executor_tick(ex, md, T0 + SEND_TO_S * 1000 + 1);
	m = mig(ex, id);
	assert_int_equal(f.n, 2);
	assert_int_equal(m->state, MIG_SENT);
	assert_int_equal(m->attempts, 2);
	assert_int_equal(f.cmd[1].op, OP_MIGRATE);
	assert_true(f.cmd[1].id == id);		/* the same id: idempotent */
	assert_memory_equal(f.cmd[1].host, f.cmd[0].host, 16);
	assert_memory_equal(f.cmd[1].vm, f.cmd[0].vm, 16);

	/* the retry has its own timeout */
	executor_tick(ex, md, T0 + 2 * SEND_TO_S * 1000 + 1);
	assert_int_equal(mig(ex, id)->state, MIG_SENT);
	executor_tick(ex, md, T0 + 2 * SEND_TO_S * 1000 + 2);
	m = mig(ex, id);
	assert_int_equal(f.n, 2);
	assert_int_equal(m->state, MIG_FAILED);
	assert_int_equal(m->attempts, 2);
	assert_non_null(strstr(m->error, "hv1"));
	assert_non_null(strstr(m->error, "2 sends"));
	assert_true(executor_total(ex, MIG_FAILED) == 1);

	/* an answer after that changes nothing */
	status(ex, id, ST_ACCEPTED, 0, NULL, T0 + 30000);
	assert_int_equal(mig(ex, id)->state, MIG_FAILED);
	executor_free(ex);

	/* no retries: the first timeout fails it */
	memset(&f, 0, sizeof(f));
	ex = ex_open(&f, NULL, EPOCH, 0);
	id = submit(ex, 1, 1, 2, T0);
	executor_tick(ex, md, T0);
	executor_tick(ex, md, T0 + SEND_TO_S * 1000 + 1);
	assert_int_equal(f.n, 1);
	assert_int_equal(mig(ex, id)->state, MIG_FAILED);
	assert_non_null(strstr(mig(ex, id)->error, "1 sends"));

	/* an answer in time stops the resending */
	id = submit(ex, 2, 1, 2, T0 + 20000);
	executor_tick(ex, md, T0 + 20000);
	status(ex, id, ST_ACCEPTED, 0, NULL, T0 + 21000);
	executor_tick(ex, md, T0 + 20000 + SEND_TO_S * 1000 + 1);
	assert_int_equal(f.n, 2);
	assert_int_equal(mig(ex, id)->state, MIG_MIGRATING);
	executor_free(ex);
	model_free(md);
}

static void
test_migrating_timeout(void **state)
{
	struct fake		 f;
	struct executor		*ex;
	const struct migration	*m;
	struct model		*md;
	uint8_t			 u[16];
	uint64_t		 id;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_non_null(md = model_new(NULL));
	ex = ex_open(&f, NULL, EPOCH, 1);
	id = submit(ex, 1, 1, 2, T0);
	executor_tick(ex, md, T0);
	status(ex, id, ST_RUNNING, 10, NULL, T0 + 1000);
	assert_int_equal(mig(ex, id)->state, MIG_MIGRATING);

	/* progress does not hold the time limit back */
	status(ex, id, ST_RUNNING, 500, NULL, T0 + 500000);
	executor_tick(ex, md, T0 + 1000 + TIMEOUT_S * 1000);
	assert_int_equal(mig(ex, id)->state, MIG_MIGRATING);
	assert_int_equal(f.n, 1);
	executor_tick(ex, md, T0 + 1000 + TIMEOUT_S * 1000 + 1);
	m = mig(ex, id);
	assert_int_equal(m->state, MIG_ABORTED);
	assert_true(m->ended_at > 0);
	assert_non_null(strstr(m->error, "hv1"));
	assert_int_equal(f.n, 2);
	assert_int_equal(f.cmd[1].op, OP_CANCEL);
	assert_true(f.cmd[1].cancel_of == id);
	assert_true(f.cmd[1].id != id);
	assert_true(f.cmd[1].epoch == EPOCH);
	host_uuid(1, u);
	assert_memory_equal(f.cmd[1].host, u, 16);
	assert_true(executor_total(ex, MIG_ABORTED) == 1);
	assert_int_equal(executor_vm_busy(ex, m->vm), 0);

	/* the collector's DONE arriving late is ignored */
	status(ex, id, ST_DONE, 1000, NULL, T0 + 700000);
	assert_int_equal(mig(ex, id)->state, MIG_ABORTED);
	executor_tick(ex, md, T0 + 800000);
	assert_int_equal(f.n, 2);

	executor_free(ex);
	model_free(md);
}

static void
test_verify_timeout(void **state)
{
	struct fake		 f;
	struct executor		*ex;
	const struct migration	*m;
	struct model		*on_src;
	uint64_t		 id, id2;
	int64_t			 t;

	(void)state;
	memset(&f, 0, sizeof(f));
	on_src = model_vm_on(1, 1, T0);
	ex = ex_open(&f, NULL, EPOCH, 1);
	id = submit(ex, 1, 1, 2, T0);
	id2 = submit(ex, 2, 1, 3, T0);
	executor_tick(ex, on_src, T0);
	t = T0 + 2000;
	status(ex, id, ST_DONE, 1000, NULL, t);
	status(ex, id2, ST_DONE, 1000, NULL, t);
	assert_int_equal(mig(ex, id)->state, MIG_VERIFYING);

	executor_tick(ex, on_src, t + VERIFY_S * 1000);
	assert_int_equal(mig(ex, id)->state, MIG_VERIFYING);
	executor_tick(ex, on_src, t + VERIFY_S * 1000 + 1);
	m = mig(ex, id);
	assert_int_equal(m->state, MIG_FAILED);
	assert_non_null(strstr(m->error, "hv2"));	/* where it should be */
	assert_non_null(strstr(m->error, "runs on hv1"));	/* it is here */
	assert_true(m->ended_at > 0);
	/* vm-2 is in no report at all */
	m = mig(ex, id2);
	assert_int_equal(m->state, MIG_FAILED);
	assert_non_null(strstr(m->error, "hv3"));
	assert_non_null(strstr(m->error, "no reporting host"));
	assert_true(executor_total(ex, MIG_FAILED) == 2);
	assert_int_equal(f.n, 2);

	executor_free(ex);
	model_free(on_src);
}

static void
test_cancel(void **state)
{
	struct fake		 f;
	struct executor		*ex;
	const struct migration	*m;
	struct model		*md;
	uint8_t			 u[16];
	uint64_t		 a, b;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_non_null(md = model_new(NULL));
	ex = ex_open(&f, NULL, EPOCH, 1);

	/* planned: dropped without a word to the collector */
	a = submit(ex, 1, 1, 2, T0);
	assert_int_equal(executor_cancel(ex, a, T0 + 10), 0);
	m = mig(ex, a);
	assert_int_equal(m->state, MIG_ABORTED);
	assert_non_null(strstr(m->error, "operator"));
	assert_true(m->ended_at > 0);
	executor_tick(ex, md, T0 + 20);
	assert_int_equal(f.n, 0);
	assert_int_equal(executor_cancel(ex, a, T0 + 30), -EALREADY);

	/* sent: a Cancel goes to the source */
	b = submit(ex, 1, 1, 2, T0 + 40);
	executor_tick(ex, md, T0 + 50);
	assert_int_equal(f.n, 1);
	assert_int_equal(executor_cancel(ex, b, T0 + 60), 0);
	assert_int_equal(mig(ex, b)->state, MIG_ABORTED);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.cmd[1].op, OP_CANCEL);
	assert_true(f.cmd[1].cancel_of == b);
	host_uuid(1, u);
	assert_memory_equal(f.cmd[1].host, u, 16);
	assert_int_equal(executor_cancel(ex, b, T0 + 70), -EALREADY);
	assert_int_equal(executor_cancel(ex, 12345, T0 + 70), -ENOENT);
	/* its late RUNNING is ignored */
	status(ex, b, ST_RUNNING, 50, NULL, T0 + 80);
	assert_int_equal(mig(ex, b)->state, MIG_ABORTED);
	assert_true(executor_total(ex, MIG_ABORTED) == 2);
	assert_int_equal(f.n, 2);

	executor_free(ex);
	model_free(md);
}

static void
test_busy(void **state)
{
	struct fake		 f;
	struct executor		*ex;
	struct model		*md;
	uint8_t			 v1[16], v2[16], v3[16];
	uint8_t			 h1[16], h2[16], h3[16], h4[16];
	uint64_t		 a, b;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_non_null(md = model_new(NULL));
	trep_vm_uuid(1, v1);
	trep_vm_uuid(2, v2);
	trep_vm_uuid(3, v3);
	host_uuid(1, h1);
	host_uuid(2, h2);
	host_uuid(3, h3);
	host_uuid(4, h4);
	ex = ex_open(&f, NULL, EPOCH, 1);
	assert_int_equal(executor_vm_busy(ex, v1), 0);
	assert_int_equal(executor_host_busy(ex, h1), 0);

	a = submit(ex, 1, 1, 2, T0);
	b = submit(ex, 2, 1, 3, T0);
	assert_int_equal(executor_vm_busy(ex, v1), 1);
	assert_int_equal(executor_vm_busy(ex, v2), 1);
	assert_int_equal(executor_vm_busy(ex, v3), 0);
	assert_int_equal(executor_host_busy(ex, h1), 2);	/* out, out */
	assert_int_equal(executor_host_busy(ex, h2), 1);	/* in */
	assert_int_equal(executor_host_busy(ex, h3), 1);
	assert_int_equal(executor_host_busy(ex, h4), 0);

	executor_tick(ex, md, T0);
	status(ex, a, ST_RUNNING, 10, NULL, T0);
	assert_int_equal(executor_host_busy(ex, h1), 2);
	status(ex, a, ST_FAILED, 0, "x", T0);
	assert_int_equal(executor_vm_busy(ex, v1), 0);
	assert_int_equal(executor_host_busy(ex, h1), 1);
	assert_int_equal(executor_host_busy(ex, h2), 0);
	assert_int_equal(executor_cancel(ex, b, T0), 0);
	assert_int_equal(executor_vm_busy(ex, v2), 0);
	assert_int_equal(executor_host_busy(ex, h1), 0);
	assert_int_equal(executor_host_busy(ex, h3), 0);

	/* an ended VM may be submitted again */
	(void)submit(ex, 1, 1, 4, T0 + 1);
	assert_int_equal(executor_vm_busy(ex, v1), 1);
	assert_int_equal(executor_host_busy(ex, h4), 1);

	executor_free(ex);
	model_free(md);
}

static void
test_at_newest_first_and_totals(void **state)
{
	struct fake		 f;
	struct executor		*ex;
	struct model		*md;
	uint64_t		 id[4];
	int			 i;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_non_null(md = model_new(NULL));
	ex = ex_open(&f, NULL, EPOCH, 1);
	assert_int_equal(executor_count(ex), 0);
	assert_null(executor_at(ex, 0));
	for (i = 0; i < 4; i++)
		id[i] = submit(ex, i + 1, 1, 2, T0 + i);
	assert_int_equal(executor_count(ex), 4);
	for (i = 0; i < 4; i++) {
		assert_non_null(executor_at(ex, (size_t)i));
		assert_true(executor_at(ex, (size_t)i)->id == id[3 - i]);
	}
	assert_null(executor_at(ex, 4));
	assert_ptr_equal(executor_find(ex, id[1]), executor_at(ex, 2));

	executor_tick(ex, md, T0 + 10);
	status(ex, id[0], ST_REFUSED, 0, "no", T0 + 20);
	status(ex, id[1], ST_CANCELLED, 0, NULL, T0 + 20);
	assert_int_equal(executor_cancel(ex, id[2], T0 + 20), 0);
	for (i = 0; i < MIG_NSTATES; i++)
		if (i != MIG_FAILED && i != MIG_ABORTED)
			assert_true(executor_total(ex, (enum mig_state)i) == 0);
	assert_true(executor_total(ex, MIG_FAILED) == 1);
	assert_true(executor_total(ex, MIG_ABORTED) == 2);
	assert_true(executor_total(ex, MIG_NSTATES) == 0);
	assert_int_equal(executor_count(ex), 4);	/* ended ones kept */

	assert_string_equal(mig_state_name(MIG_PLANNED), "planned");
	assert_string_equal(mig_state_name(MIG_VERIFYING), "verifying");
	assert_string_equal(mig_state_name(MIG_ABORTED), "aborted");
	assert_string_equal(mig_state_name(MIG_NSTATES), "unknown");

	executor_free(ex);
	model_free(md);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_submit_and_send, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test(test_status_to_done),
		cmocka_unit_test(test_dst_waits_for_leaving),
		cmocka_unit_test(test_status_refused_failed_cancelled),
		cmocka_unit_test(test_vm_failures),
		cmocka_unit_test(test_status_unknown_id),
		cmocka_unit_test(test_send_failure),
		cmocka_unit_test(test_send_timeout_retry),
		cmocka_unit_test(test_migrating_timeout),
		cmocka_unit_test(test_verify_timeout),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_at_newest_first_and_totals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
