/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/executor.c's journal and its crash promise: a
 * migration in flight when the balancer died is reconciled from reports
 * after a restart and never sent again, one only planned is aborted, a
 * torn last line is tolerated, ids of a new epoch never collide with
 * older ones, ended ones are kept, long errors are journaled whole, and
 * an unwritable journal is reported.
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

/*
 * The crash promise: killed after the command went out, the next
 * balancer reconciles from reports and sends nothing.
 */
static void
test_restart_in_flight(void **state)
{
	struct tmp		*t = *state;
	struct fake		 f, g;
	struct executor		*ex;
	const struct migration	*m;
	struct model		*md, *on_dst;
	int64_t			 now = util_now_mono_ms();
	uint64_t		 a, b;

	memset(&f, 0, sizeof(f));
	memset(&g, 0, sizeof(g));
	assert_non_null(md = model_new(NULL));
	ex = ex_open(&f, t->journal, 1, 1);
	a = submit(ex, 1, 1, 2, now);
	b = submit(ex, 2, 1, 3, now);
	executor_tick(ex, md, now);
	status(ex, b, ST_RUNNING, 300, NULL, now);
	assert_int_equal(mig(ex, a)->state, MIG_SENT);
	assert_int_equal(mig(ex, b)->state, MIG_MIGRATING);
	assert_int_equal(f.n, 2);
	executor_free(ex);			/* killed: no DONE */

	ex = ex_open(&g, t->journal, 2, 1);
	assert_int_equal(executor_count(ex), 2);
	m = mig(ex, a);
	assert_int_equal(m->state, MIG_VERIFYING);
	assert_true(m->attempts >= 1);
	assert_string_equal(m->vm_name, "vm-1");
	assert_string_equal(m->src_name, "hv1");
	assert_string_equal(m->dst_name, "hv2");
	assert_string_equal(m->reason, "hot");
	assert_non_null(strstr(m->error, "restarted"));
	assert_int_equal(mig(ex, b)->state, MIG_VERIFYING);
	assert_int_equal(executor_vm_busy(ex, m->vm), 1);

	/* reports show vm-1 on its destination; vm-2 not yet */
	on_dst = model_vm_on(1, 2, now);
	executor_tick(ex, on_dst, now + 1000);
	m = mig(ex, a);
	assert_int_equal(m->state, MIG_DONE);
	assert_int_equal(m->progress, 1000);
	assert_true(m->ended_at > 0);
	assert_int_equal(mig(ex, b)->state, MIG_VERIFYING);
	executor_tick(ex, on_dst, now + 2000);
	assert_int_equal(g.n, 0);		/* nothing sent, ever */
	assert_true(executor_total(ex, MIG_DONE) == 1);
	/* a status for it from the collector still counts */
	status(ex, b, ST_FAILED, 0, "migration failed", now + 3000);
	assert_int_equal(mig(ex, b)->state, MIG_FAILED);
	assert_int_equal(g.n, 0);
	executor_free(ex);

	model_free(md);
	model_free(on_dst);
}

/* In flight at the crash, and the VM never left its source. */
static void
test_restart_not_seen(void **state)
{
	struct tmp		*t = *state;
	struct fake		 f, g;
	struct executor		*ex;
	const struct migration	*m;
	struct model		*on_src;
	int64_t			 now = util_now_mono_ms();
	uint64_t		 a;

	memset(&f, 0, sizeof(f));
	memset(&g, 0, sizeof(g));
	on_src = model_vm_on(1, 1, now);
	ex = ex_open(&f, t->journal, 1, 1);
	a = submit(ex, 1, 1, 2, now);
	executor_tick(ex, on_src, now);
	executor_free(ex);

	ex = ex_open(&g, t->journal, 2, 1);
	assert_int_equal(mig(ex, a)->state, MIG_VERIFYING);
	executor_tick(ex, on_src, now + 1000);
	assert_int_equal(mig(ex, a)->state, MIG_VERIFYING);
	/* in flight at the restart, it may still be running: it gets the
	 * migration's whole time limit, not just the verification window */
	executor_tick(ex, on_src, util_now_mono_ms() + VERIFY_S * 1000 + 1);
	assert_int_equal(mig(ex, a)->state, MIG_VERIFYING);
	executor_tick(ex, on_src, util_now_mono_ms() + TIMEOUT_S * 1000 + 1);
	m = mig(ex, a);
	assert_int_equal(m->state, MIG_FAILED);
	assert_non_null(strstr(m->error, "runs on hv1"));
	assert_int_equal(g.n, 0);
	executor_free(ex);
	model_free(on_src);
}

static void
test_restart_planned_aborted(void **state)
{
	struct tmp		*t = *state;
	struct fake		 f, g;
	struct executor		*ex;
	const struct migration	*m;
	struct model		*md;
	int64_t			 now = util_now_mono_ms();
	uint64_t		 a;

	memset(&f, 0, sizeof(f));
	memset(&g, 0, sizeof(g));
	assert_non_null(md = model_new(NULL));
	ex = ex_open(&f, t->journal, 1, 1);
	a = submit(ex, 1, 1, 2, now);
	executor_free(ex);
	assert_int_equal(f.n, 0);

	ex = ex_open(&g, t->journal, 2, 1);
	m = mig(ex, a);
	assert_int_equal(m->state, MIG_ABORTED);
	assert_true(m->ended_at > 0);
	assert_non_null(strstr(m->error, "restarted"));
	assert_int_equal(executor_vm_busy(ex, m->vm), 0);
	executor_tick(ex, md, now + 1000);
	executor_tick(ex, md, now + 3600 * 1000);
	assert_int_equal(g.n, 0);
	assert_int_equal(mig(ex, a)->state, MIG_ABORTED);
	executor_free(ex);

	/* and it stays aborted across another restart */
	memset(&g, 0, sizeof(g));
	ex = ex_open(&g, t->journal, 3, 1);
	assert_int_equal(mig(ex, a)->state, MIG_ABORTED);
	executor_tick(ex, md, now + 1000);
	assert_int_equal(g.n, 0);
	executor_free(ex);
	model_free(md);
}

static void
test_restart_torn_line(void **state)
{
	struct tmp		*t = *state;
	struct fake		 f, g;
	struct executor		*ex;
	struct model		*md, *on_dst;
	FILE			*j;
	int64_t			 now = util_now_mono_ms();
	uint64_t		 a, b;

	memset(&f, 0, sizeof(f));
	memset(&g, 0, sizeof(g));
	assert_non_null(md = model_new(NULL));
	ex = ex_open(&f, t->journal, 1, 1);
	a = submit(ex, 1, 1, 2, now);
	executor_tick(ex, md, now);
	executor_free(ex);
	/* killed in the middle of a line */
	assert_non_null(j = fopen(t->journal, "a"));
	fputs("{\"id\":4294967298,\"state\":\"sen", j);
	assert_int_equal(fclose(j), 0);

	ex = ex_open(&g, t->journal, 2, 1);
	assert_int_equal(executor_count(ex), 1);
	assert_int_equal(mig(ex, a)->state, MIG_VERIFYING);
	assert_null(executor_find(ex, 1ULL << 32 | 2));
	/* the journal goes on working after it */
	b = submit(ex, 2, 1, 3, now);
	executor_tick(ex, md, now);
	assert_int_equal(g.n, 1);
	assert_true(g.cmd[0].id == b);
	on_dst = model_vm_on(1, 2, now);
	executor_tick(ex, on_dst, now + 1000);
	assert_int_equal(mig(ex, a)->state, MIG_DONE);
	executor_free(ex);

	memset(&g, 0, sizeof(g));
	ex = ex_open(&g, t->journal, 3, 1);
	assert_int_equal(executor_count(ex), 2);
	assert_int_equal(mig(ex, a)->state, MIG_DONE);
	assert_int_equal(mig(ex, b)->state, MIG_VERIFYING);
	executor_tick(ex, md, now + 2000);
	assert_int_equal(g.n, 0);
	executor_free(ex);
	model_free(md);
	model_free(on_dst);
}

static void
test_restart_epoch_ids(void **state)
{
	struct tmp		*t = *state;
	struct fake		 f;
	struct executor		*ex;
	struct migration	 p;
	struct model		*md;
	int64_t			 now = util_now_mono_ms();
	uint64_t		 a, b, c, d, x = 0;

	memset(&f, 0, sizeof(f));
	assert_non_null(md = model_new(NULL));
	ex = ex_open(&f, t->journal, 1, 1);
	a = submit(ex, 1, 1, 2, now);
	b = submit(ex, 2, 1, 2, now);
	executor_tick(ex, md, now);
	executor_free(ex);
	assert_true(a == (1ULL << 32 | 1));
	assert_true(b == (1ULL << 32 | 2));

	ex = ex_open(&f, t->journal, 2, 1);
	c = submit(ex, 3, 1, 2, now);
	assert_true(c == (2ULL << 32 | 1));
	assert_true(c != a && c != b);
	assert_int_equal(executor_count(ex), 3);
	assert_int_equal(mig(ex, a)->state, MIG_VERIFYING);
	assert_int_equal(mig(ex, c)->state, MIG_PLANNED);
	/* the VMs still being reconciled are busy */
	mig_proto(&p, 1, 1, 3);
	assert_int_equal(executor_submit(ex, &p, now, &x), -EBUSY);
	executor_free(ex);

	/* the same epoch again (no state to count it up): ids go on */
	ex = ex_open(&f, t->journal, 2, 1);
	d = submit(ex, 4, 1, 2, now);
	assert_true(d == (2ULL << 32 | 2));
	assert_int_equal(mig(ex, c)->state, MIG_ABORTED);
	executor_free(ex);
	model_free(md);
}

/* Ended migrations come back as they ended, with their figures. */
static void
test_restart_keeps_ended(void **state)
{
	struct tmp		*t = *state;
	struct fake		 f, g;
	struct executor		*ex;
	const struct migration	*m;
	struct model		*md, *on_dst;
	int64_t			 now = util_now_mono_ms(), ended;
	uint64_t		 a, b, c;

	memset(&f, 0, sizeof(f));
	memset(&g, 0, sizeof(g));
	assert_non_null(md = model_new(NULL));
	on_dst = model_vm_on(1, 2, now);
	ex = ex_open(&f, t->journal, 1, 1);
	a = submit(ex, 1, 1, 2, now);
	b = submit(ex, 2, 1, 2, now);
	c = submit(ex, 3, 1, 2, now);
	executor_tick(ex, md, now);
	status(ex, a, ST_DONE, 1000, NULL, now);
	executor_tick(ex, on_dst, now);
	status(ex, b, ST_REFUSED, 0, "refused", now);
	assert_int_equal(executor_cancel(ex, c, now), 0);
	assert_int_equal(mig(ex, a)->state, MIG_DONE);
	ended = mig(ex, a)->ended_at;
	executor_free(ex);

	ex = ex_open(&g, t->journal, 2, 1);
	assert_int_equal(executor_count(ex), 3);
	m = mig(ex, a);
	assert_int_equal(m->state, MIG_DONE);
	assert_int_equal(m->progress, 1000);
	assert_int_equal(m->attempts, 1);
	assert_int_equal(m->ended_at, ended);
	assert_near(m->src_before, 0.9, 1e-9);
	assert_near(m->src_after, 0.7, 1e-9);
	m = mig(ex, b);
	assert_int_equal(m->state, MIG_FAILED);
	assert_string_equal(m->error, "refused");
	assert_int_equal(m->attempts, 1);
	assert_true(m->ended_at > 0);
	assert_int_equal(mig(ex, c)->state, MIG_ABORTED);
	executor_tick(ex, on_dst, now + 1000);
	assert_int_equal(g.n, 0);
	executor_free(ex);

	/* compacted: one line per migration */
	assert_int_equal(count_lines(t->journal), 3);
	memset(&g, 0, sizeof(g));
	ex = ex_open(&g, t->journal, 3, 1);
	assert_int_equal(mig(ex, a)->state, MIG_DONE);
	assert_int_equal(executor_count(ex), 3);
	executor_free(ex);
	model_free(md);
	model_free(on_dst);
}

/*
 * A collector's error text (up to WIRE_MAX_ERROR_TEXT bytes of UTF-8) is
 * longer than a migration keeps: cut short, it must stay UTF-8, or the
 * journal line and the audit record of the failure are lost.
 */
static void
test_long_error_journaled(void **state)
{
	struct tmp		*t = *state;
	struct fake		 f, g;
	struct executor		*ex;
	const struct migration	*m;
	struct model		*md;
	char			 err[WIRE_MAX_ERROR_TEXT + 1], st[32];
	size_t			 i, n;
	uint64_t		 id;

	memset(&f, 0, sizeof(f));
	memset(&g, 0, sizeof(g));
	assert_non_null(md = model_new(NULL));
	/* "é" (2 bytes) over and over: byte 254 starts one */
	for (n = 0; n + 2 < sizeof(err) - 100; n += 2) {
		err[n] = (char)0xc3;
		err[n + 1] = (char)0xa9;
	}
	err[n] = '\0';
	assert_true(n > MIG_TEXT);
	ex = ex_open(&f, t->journal, 1, 1);
	id = submit(ex, 1, 1, 2, T0);
	executor_tick(ex, md, T0);
	status(ex, id, ST_FAILED, 0, err, T0 + 100);
	m = mig(ex, id);
	assert_int_equal(m->state, MIG_FAILED);
	n = strlen(m->error);
	assert_true(n > 0 && n < MIG_TEXT);
	assert_memory_equal(m->error, err, n);	/* a prefix */
	assert_true(n % 2 == 0);		/* of whole characters */
	for (i = 0; i < n; i += 2)
		assert_true((unsigned char)m->error[i] == 0xc3);
	journal_state(t->journal, id, st, sizeof(st));
	assert_string_equal(st, "failed");
	executor_free(ex);

	ex = ex_open(&g, t->journal, 2, 1);
	assert_int_equal(mig(ex, id)->state, MIG_FAILED);
	assert_int_equal(strlen(mig(ex, id)->error), n);
	assert_int_equal(g.n, 0);
	executor_free(ex);
	model_free(md);
}

/* A journal that cannot be written is an error at start. */
static void
test_journal_unwritable(void **state)
{
	struct tmp		*t = *state;
	struct executor_config	 cfg;
	struct fake		 f;
	char			 path[192], err[256] = "";

	memset(&f, 0, sizeof(f));
	memset(&cfg, 0, sizeof(cfg));
	snprintf(path, sizeof(path), "%s/no-such-dir/journal", t->dir);
	cfg.journal = path;
	cfg.epoch = 1;
	assert_null(executor_new(&cfg, fake_send, &f, err, sizeof(err)));
	assert_non_null(strstr(err, "journal"));
	assert_non_null(strstr(err, "no-such-dir"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_restart_in_flight,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_restart_not_seen,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_restart_planned_aborted,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_restart_torn_line,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_restart_epoch_ids,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_restart_keeps_ended,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_long_error_journaled,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_journal_unwritable,
		    tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
