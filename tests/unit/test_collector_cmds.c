/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of collector/cmds.c over a fake actuator (idempotent ids,
 * epochs, the reasons a migration is refused, cancels, updates passed
 * on), of act.c's templates, and of collector/exec_act.c with real
 * child processes (success, exit status and stderr, deadline, cancel).
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

#include "act.h"
#include "cmds.h"
#include "exec_act.h"
#include "util.h"

#define ST(x)	BALLAST__V1__COMMAND_STATE__CMD_STATE_##x

static const uint8_t	 VM_A[16] = { 0xa1, 1 };
static const uint8_t	 VM_B[16] = { 0xb2, 2 };
static const uint8_t	 DEST[16] = { 0xde, 3 };

/* --- a fake actuator ---------------------------------------------------- */

struct fake {
	int		 starts, cancels;
	uint64_t	 running;	/* id of the one running, or 0 */
	uint8_t		 vm[16];
	struct act_req	 last;
	struct act_update pending[4];
	size_t		 npending;
	int		 refuse;
};

static int
fk_start(void *arg, const struct act_req *r, char *err, size_t len)
{
	struct fake	*f = arg;

	if (f->refuse) {
		snprintf(err, len, "the destination is full");
		return -ENOSPC;
	}
	f->starts++;
	f->running = r->id;
	memcpy(f->vm, r->vm, 16);
	f->last = *r;
	return 0;
}

static int
fk_cancel(void *arg, uint64_t id)
{
	struct fake	*f = arg;

	if (id != f->running)
		return -ENOENT;
	f->cancels++;
	return 0;
}

static uint64_t
fk_busy(void *arg, const uint8_t vm[16])
{
	struct fake	*f = arg;

	return f->running && memcmp(f->vm, vm, 16) == 0 ? f->running : 0;
}

static size_t
fk_poll(void *arg, int64_t now, struct act_update *u, size_t max)
{
	struct fake	*f = arg;
	size_t		 n = f->npending < max ? f->npending : max;

	(void)now;
	memcpy(u, f->pending, n * sizeof(*u));
	f->npending = 0;
	return n;
}

static int
fk_fd(void *arg)
{
	(void)arg;
	return -1;
}

static void
fk_free(void *arg)
{
	(void)arg;
}

static const struct act_ops fake_ops = {
	"fake", fk_start, fk_cancel, fk_busy, fk_poll, fk_fd, fk_free
};

/* --- what the daemon would do -------------------------------------------- */

static struct act_update	 sent[32];
static size_t			 nsent;

static int
here(void *arg, const uint8_t vm[16], char *name, size_t len)
{
	(void)arg;
	if (memcmp(vm, VM_A, 16) == 0) {
		util_strlcpy(name, "web-1", len);
		return 1;
	}
	if (memcmp(vm, VM_B, 16) == 0) {
		util_strlcpy(name, "db-1", len);
		return 1;
	}
	return 0;
}

static void
send(void *arg, const struct act_update *u)
{
	(void)arg;
	if (nsent < 32)
		sent[nsent++] = *u;
}

static struct cmds *
new_cmds(struct fake *f)
{
	struct cmds_config	 cc;

	memset(f, 0, sizeof(*f));
	memset(&cc, 0, sizeof(cc));
	cc.ops = &fake_ops;
	cc.act = f;
	cc.here = here;
	cc.send = send;
	cc.host_name = "hv01";
	cc.timeout_ms = 600000;
	cc.bandwidth = 1 << 20;
	nsent = 0;
	return cmds_new(&cc);
}

static void
migrate(struct cmds *c, uint64_t id, uint64_t epoch, const uint8_t *vm,
    const char *dest, uint64_t deadline)
{
	Ballast__V1__Command	 cmd = BALLAST__V1__COMMAND__INIT;
	Ballast__V1__Migrate	 m = BALLAST__V1__MIGRATE__INIT;

	cmd.id = id;
	cmd.epoch = epoch;
	cmd.op_case = BALLAST__V1__COMMAND__OP_MIGRATE;
	cmd.migrate = &m;
	m.vm_uuid.data = (uint8_t *)(uintptr_t)vm;
	m.vm_uuid.len = 16;
	m.dest_host_uuid.data = (uint8_t *)(uintptr_t)DEST;
	m.dest_host_uuid.len = 16;
	m.dest_host_name = (char *)(uintptr_t)dest;
	m.deadline_ms = deadline;
	cmds_on_command(c, &cmd, 1000, 1700000000000LL);
}

static void
cancel(struct cmds *c, uint64_t id, uint64_t epoch, uint64_t target)
{
	Ballast__V1__Command	 cmd = BALLAST__V1__COMMAND__INIT;
	Ballast__V1__Cancel	 k = BALLAST__V1__CANCEL__INIT;

	cmd.id = id;
	cmd.epoch = epoch;
	cmd.op_case = BALLAST__V1__COMMAND__OP_CANCEL;
	cmd.cancel = &k;
	k.command_id = target;
	cmds_on_command(c, &cmd, 1000, 1700000000000LL);
}

static void
test_accept_and_repeat(void **state)
{
	struct fake	 f;
	struct cmds	*c = new_cmds(&f);

	(void)state;
	migrate(c, 7, 1, VM_A, "hv02", 0);
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0].state, ST(ACCEPTED));
	assert_int_equal(f.starts, 1);
	assert_string_equal(f.last.vm_name, "web-1");
	assert_string_equal(f.last.dest, "hv02");
	assert_true(f.last.bandwidth == 1 << 20);	/* the default */
	assert_true(f.last.deadline_ms == 1000 + 600000);
	/* the same id again: its status, not a second migration */
	migrate(c, 7, 1, VM_A, "hv02", 0);
	assert_int_equal(f.starts, 1);
	assert_int_equal(nsent, 2);
	assert_int_equal(sent[1].state, ST(ACCEPTED));
	/* progress and the end go out and are remembered */
	f.pending[0] = (struct act_update){ .id = 7, .state = ST(RUNNING),
	    .permille = 400 };
	f.pending[1] = (struct act_update){ .id = 7, .state = ST(DONE),
	    .permille = 1000 };
	f.npending = 2;
	f.running = 0;
	cmds_tick(c, 2000);
	assert_int_equal(nsent, 4);
	assert_int_equal(sent[3].state, ST(DONE));
	migrate(c, 7, 1, VM_A, "hv02", 0);
	assert_int_equal(f.starts, 1);
	assert_int_equal(sent[4].state, ST(DONE));
	assert_string_equal(sent[4].error,
	    "repeated command id 7: not run again");
	assert_int_equal(cmds_stats(c)->repeated, 2);
	assert_int_equal(cmds_stats(c)->done, 1);
	cmds_free(c);
}

static void
test_refusals(void **state)
{
	static const uint8_t	 other[16] = { 0x77 };
	struct fake		 f;
	struct cmds		*c = new_cmds(&f);

	(void)state;
	migrate(c, 1, 1, other, "hv02", 0);
	assert_int_equal(sent[0].state, ST(REFUSED));
	assert_non_null(strstr(sent[0].error, "is not running on hv01"));
	migrate(c, 2, 1, VM_A, "hv01", 0);
	assert_string_equal(sent[1].error, "VM web-1 already runs on hv01");
	migrate(c, 3, 1, VM_A, "hv02", 1700000000000ULL - 5);
	assert_string_equal(sent[2].error, "its deadline has passed");
	migrate(c, 4, 1, VM_A, "hv02", 1700000000000ULL + 5000);
	assert_int_equal(sent[3].state, ST(ACCEPTED));
	assert_true(f.last.deadline_ms == 1000 + 5000);	/* on our clock */
	migrate(c, 5, 1, VM_A, "hv03", 0);
	assert_string_equal(sent[4].error,
	    "VM web-1 is already migrating (command 4)");
	f.refuse = 1;
	migrate(c, 6, 1, VM_B, "hv02", 0);
	assert_string_equal(sent[5].error, "the destination is full");
	assert_int_equal(f.starts, 1);
	assert_int_equal(cmds_stats(c)->refused, 5);
	cmds_free(c);
}

static void
test_epochs(void **state)
{
	struct fake	 f;
	struct cmds	*c = new_cmds(&f);

	(void)state;
	migrate(c, (5ULL << 32) | 1, 5, VM_A, "hv02", 0);
	assert_int_equal(cmds_epoch(c), 5);
	f.running = 0;
	/* a balancer that has restarted since: refused */
	migrate(c, (4ULL << 32) | 9, 4, VM_B, "hv02", 0);
	assert_int_equal(sent[1].state, ST(REFUSED));
	assert_string_equal(sent[1].error,
	    "from balancer epoch 4; epoch 5 has been obeyed since");
	assert_int_equal(f.starts, 1);
	/* a newer one is obeyed, and then remembered */
	migrate(c, (6ULL << 32) | 1, 6, VM_B, "hv02", 0);
	assert_int_equal(sent[2].state, ST(ACCEPTED));
	assert_int_equal(cmds_epoch(c), 6);
	/* a repeat of the epoch-5 command still gets its status */
	migrate(c, (5ULL << 32) | 1, 5, VM_A, "hv02", 0);
	assert_int_equal(sent[3].state, ST(ACCEPTED));
	assert_int_equal(f.starts, 2);
	cmds_free(c);
}

static void
test_cancel(void **state)
{
	struct fake	 f;
	struct cmds	*c = new_cmds(&f);

	(void)state;
	cancel(c, 10, 1, 99);
	assert_int_equal(sent[0].state, ST(REFUSED));
	assert_string_equal(sent[0].error, "no migration 99 is running here");
	migrate(c, 11, 1, VM_A, "hv02", 0);
	cancel(c, 12, 1, 11);
	assert_int_equal(sent[2].state, ST(DONE));
	assert_int_equal(f.cancels, 1);
	f.pending[0] = (struct act_update){ .id = 11, .state = ST(CANCELLED) };
	f.npending = 1;
	f.running = 0;
	cmds_tick(c, 3000);
	assert_int_equal(sent[3].state, ST(CANCELLED));
	cancel(c, 13, 1, 11);		/* it has ended */
	assert_int_equal(sent[4].state, ST(REFUSED));
	cmds_free(c);
}

static void
test_templates(void **state)
{
	struct act_req	 r;
	char		 out[256];

	(void)state;
	memset(&r, 0, sizeof(r));
	memcpy(r.vm, VM_A, 16);
	util_strlcpy(r.vm_name, "100", sizeof(r.vm_name));
	util_strlcpy(r.dest, "pve2", sizeof(r.dest));
	assert_int_equal(act_expand("qm migrate {vmid} {dest} --online", &r,
	    out, sizeof(out)), 0);
	assert_string_equal(out, "qm migrate 100 pve2 --online");
	assert_int_equal(act_expand("qemu+tls://{host}/system", &r, out,
	    sizeof(out)), 0);
	assert_string_equal(out, "qemu+tls://pve2/system");
	assert_int_equal(act_expand("{uuid}", &r, out, sizeof(out)), 0);
	assert_string_equal(out, "a1010000-0000-0000-0000-000000000000");
	assert_int_equal(act_expand("{nope}", &r, out, sizeof(out)), -EINVAL);
	assert_int_equal(act_expand("abcdef{host}", &r, out, 8), -ENAMETOOLONG);
	assert_int_equal(act_expand("{ not a name", &r, out, sizeof(out)), 0);
	assert_string_equal(out, "{ not a name");
}

/* --- the exec actuator, with real processes ------------------------------ */

static void *
exec_new(const char *cmd)
{
	struct exec_act_config	 ec;
	char			 err[256] = "";
	void			*e;

	memset(&ec, 0, sizeof(ec));
	ec.command = cmd;
	ec.progress_ms = 50;
	ec.kill_after_ms = 300;
	if ((e = exec_act_new(&ec, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	return e;
}

/* Runs one request to its end; returns its final update. */
static struct act_update
exec_run(void *e, const char *vm, int64_t deadline_in, int cancel_after)
{
	struct act_req		 r;
	struct act_update	 u[8], last;
	char			 err[256];
	int64_t			 t0 = util_now_mono_ms(), now;
	size_t			 i, n;
	int			 running = 0;

	memset(&r, 0, sizeof(r));
	r.id = 42;
	memcpy(r.vm, VM_A, 16);
	util_strlcpy(r.vm_name, vm, sizeof(r.vm_name));
	util_strlcpy(r.dest, "hv09", sizeof(r.dest));
	r.deadline_ms = t0 + deadline_in;
	assert_int_equal(exec_act_ops.start(e, &r, err, sizeof(err)), 0);
	assert_true(exec_act_ops.busy(e, VM_A) == 42);
	memset(&last, 0, sizeof(last));
	for (;;) {
		now = util_now_mono_ms();
		if (cancel_after >= 0 && now - t0 >= cancel_after) {
			assert_int_equal(exec_act_ops.cancel(e, 42), 0);
			cancel_after = -1;
		}
		n = exec_act_ops.poll(e, now, u, 8);
		for (i = 0; i < n; i++) {
			running |= u[i].state == ST(RUNNING);
			last = u[i];
		}
		if (last.state != 0 && last.state != ST(RUNNING))
			break;
		if (now - t0 > 10000)
			fail_msg("no end after 10 s");
		usleep(10000);
	}
	assert_true(exec_act_ops.busy(e, VM_A) == 0);
	(void)running;
	return last;
}

static void
test_exec(void **state)
{
	struct act_update	 u;
	void			*e;
	int64_t			 t0;

	(void)state;
	e = exec_new("sh -c {vm} {dest}");
	u = exec_run(e, "test \"$0\" = hv09", 5000, -1);
	assert_int_equal(u.state, ST(DONE));
	assert_int_equal(u.permille, 1000);
	u = exec_run(e, "echo no room on $0 >&2; echo twice >&2; exit 3", 5000,
	    -1);
	assert_int_equal(u.state, ST(FAILED));
	assert_string_equal(u.error, "exit 3: no room on hv09 twice");
	t0 = util_now_mono_ms();
	u = exec_run(e, "echo started >&2; sleep 30", 200, -1);
	assert_int_equal(u.state, ST(FAILED));
	assert_true(strncmp(u.error, "deadline passed after ", 22) == 0);
	assert_non_null(strstr(u.error, " s: the command was stopped; started"));
	assert_true(util_now_mono_ms() - t0 < 2000);
	/* one that ignores SIGTERM gets SIGKILL */
	u = exec_run(e, "trap '' TERM; while :; do sleep 0.05; done", 100, -1);
	assert_int_equal(u.state, ST(FAILED));
	u = exec_run(e, "sleep 30", 60000, 100);
	assert_int_equal(u.state, ST(CANCELLED));
	assert_string_equal(u.error, "cancelled: the command was stopped");
	exec_act_ops.free(e);
}

static void
test_exec_missing(void **state)
{
	struct act_req	 r;
	char		 err[256] = "";
	void		*e = exec_new("/nonexistent/qm migrate {vm}");

	(void)state;
	memset(&r, 0, sizeof(r));
	r.id = 1;
	r.deadline_ms = util_now_mono_ms() + 1000;
	assert_true(exec_act_ops.start(e, &r, err, sizeof(err)) < 0);
	assert_string_equal(err, "exec: /nonexistent/qm: No such file or directory");
	exec_act_ops.free(e);
}

static void
test_exec_template(void **state)
{
	struct exec_act_config	 ec;
	char			 err[256] = "";

	(void)state;
	memset(&ec, 0, sizeof(ec));
	ec.command = "qm migrate {vmid} {target}";
	assert_null(exec_act_new(&ec, err, sizeof(err)));
	assert_non_null(strstr(err, "\"{target}\" names an unknown {name}"));
	ec.command = "   ";
	assert_null(exec_act_new(&ec, err, sizeof(err)));
	assert_string_equal(err, "exec: the command is empty");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept_and_repeat),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_epochs),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_templates),
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_exec_missing),
		cmocka_unit_test(test_exec_template),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
