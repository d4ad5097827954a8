/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of balancer/balance.c's operator side and balancer/dstate.c:
 * operator migrations are checked (and refused to a stale host);
 * maintenance is persisted and evacuates the host; every decision is
 * one JSON line in the audit log; the status seen through balance.
 * dstate: the epoch counts up and refuses a damaged file, the operator
 * token is made once and kept.
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

#include "balancefix.h"

static void
test_migrate(void **state)
{
	struct tmp		*t = *state;
	struct balance		*b;
	const struct migration	*m;
	char			 err[256], uuid[UTIL_UUID_STRLEN];
	uint8_t			 u[16], h3[16];
	uint64_t		 id = 0, id2 = 0, none = 0;

	write_policy(t, "manual");
	t->md = cluster(0.50, t->now);
	b = bal_open(t, 4);
	host_uuid(3, h3);

	/* by name: in any mode, the operator decides */
	assert_int_equal(balance_migrate(b, t->md, "web-2", "hv3", t->now, &id,
	    err, sizeof(err)), 0);
	assert_non_null(m = executor_find(balance_executor(b), id));
	trep_vm_uuid(WEB2, u);
	assert_memory_equal(m->vm, u, 16);
	assert_memory_equal(m->dst, h3, 16);
	assert_string_equal(m->src_name, "hv1");
	assert_string_equal(m->dst_name, "hv3");
	assert_int_equal(m->state, MIG_PLANNED);
	assert_non_null(strstr(m->explain, "operator"));
	assert_string_equal(m->reason, "operator");
	assert_true(id >> 32 == 4);
	balance_tick(b, t->md, t->now + 100);
	assert_int_equal(t->f.n, 1);
	assert_true(t->f.cmd[0].id == id);

	/* by UUID */
	trep_vm_uuid(APP1, u);
	util_uuid_fmt(u, uuid);
	assert_int_equal(balance_migrate(b, t->md, uuid, "hv1", t->now, &id2,
	    err, sizeof(err)), 0);
	assert_true(id2 != id);
	assert_string_equal(executor_find(balance_executor(b), id2)->vm_name,
	    "app-1");

	/* already migrating */
	err[0] = '\0';
	assert_int_equal(balance_migrate(b, t->md, "web-2", "hv2", t->now,
	    &none, err, sizeof(err)), -EBUSY);
	assert_non_null(strstr(err, "already"));

	err[0] = '\0';
	assert_int_equal(balance_migrate(b, t->md, "no-such-vm", "hv2", t->now,
	    &none, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no-such-vm"));
	trep_vm_uuid(99, u);
	util_uuid_fmt(u, uuid);
	assert_int_equal(balance_migrate(b, t->md, uuid, "hv2", t->now,
	    &none, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, uuid));
	err[0] = '\0';
	assert_int_equal(balance_migrate(b, t->md, "web-3", "hv9", t->now,
	    &none, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "hv9"));
	err[0] = '\0';
	assert_int_equal(balance_migrate(b, t->md, "web-3", "hv1", t->now,
	    &none, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "already"));
	/* db-1 on hv2, db-2 on hv3: must be apart */
	err[0] = '\0';
	assert_int_equal(balance_migrate(b, t->md, "db-1", "hv3", t->now,
	    &none, err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "db-apart"));
	assert_non_null(strstr(err, "db-1"));
	assert_non_null(strstr(err, "hv3"));
	/* a host in maintenance takes nothing */
	assert_int_equal(balance_maintenance(b, t->md, "hv3", 1, err,
	    sizeof(err)), 0);
	err[0] = '\0';
	assert_int_equal(balance_migrate(b, t->md, "web-3", "hv3", t->now,
	    &none, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "maintenance"));
	assert_true(none == 0);
	assert_int_equal(executor_count(balance_executor(b)), 2);
	balance_free(b);
}

static void
test_migrate_stale_host(void **state)
{
	struct tmp	*t = *state;
	struct balance	*b;
	char		 err[256] = "";
	uint64_t	 id = 0;

	write_policy(t, "manual");
	t->md = cluster(0.50, t->now);
	/* hv1 and hv2 report on; hv3 falls silent */
	report(t->md, 1, 2, 0.5, t->now + 3500);
	report(t->md, 2, 2, 0.2, t->now + 3500);
	model_tick(t->md, t->now + 4000);
	assert_int_equal(model_host_by_name(t->md, "hv3")->stale, 1);
	assert_int_equal(model_host_by_name(t->md, "hv2")->stale, 0);
	b = bal_open(t, 1);
	assert_int_equal(balance_migrate(b, t->md, "web-1", "hv3",
	    t->now + 4000, &id, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "stale"));
	assert_int_equal(balance_migrate(b, t->md, "web-1", "hv2",
	    t->now + 4000, &id, err, sizeof(err)), 0);
	balance_free(b);
}

static int
file_has_line(const char *path, const char *want)
{
	FILE	*f = fopen(path, "r");
	char	 line[256];
	int	 found = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		found |= strcmp(line, want) == 0;
	}
	fclose(f);
	return found;
}

static void
test_maintenance(void **state)
{
	struct tmp			*t = *state;
	struct balance			*b;
	const struct recommendation	*r;
	const char *const		*names;
	char				 err[256] = "", path[128];
	uint8_t				 h1[16], h3[16], vm[16];
	size_t				 i, evac = 0;

	write_policy(t, "approve");
	t->md = cluster(0.50, t->now);
	snprintf(path, sizeof(path), "%s/maintenance", t->dir);
	host_uuid(3, h3);
	b = bal_open(t, 1);
	balance_pass(b, t->md, t->now);
	assert_int_equal(balance_rec_count(b), 0);

	assert_int_equal(balance_maintenance(b, t->md, "hv9", 1, err,
	    sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "hv9"));
	assert_int_equal(balance_maintenance(b, t->md, "hv3", 1, err,
	    sizeof(err)), 0);
	assert_int_equal(balance_maintenance(b, t->md, "hv3", 1, err,
	    sizeof(err)), 0);			/* idempotent */
	assert_true(balance_in_maintenance(b, "hv3"));
	assert_false(balance_in_maintenance(b, "hv2"));
	assert_int_equal(balance_maintenance_list(b, &names), 1);
	assert_string_equal(names[0], "hv3");
	assert_true(file_has_line(path, "hv3"));
	balance_free(b);

	/* it survives a restart */
	b = bal_open(t, 2);
	assert_true(balance_in_maintenance(b, "hv3"));
	assert_int_equal(balance_maintenance_list(b, &names), 1);

	/* the pass plans the evacuation of both its VMs */
	balance_pass(b, t->md, t->now + 1000);
	for (i = 0; (r = balance_rec_at(b, i)) != NULL; i++) {
		assert_int_equal(r->state, REC_PENDING);
		assert_int_equal(r->mv.reason, PLAN_MAINTENANCE);
		assert_memory_equal(r->src, h3, 16);
		assert_string_equal(r->src_name, "hv3");
		assert_string_not_equal(r->dst_name, "hv3");
		assert_non_null(strstr(r->explain, "hv3 is in maintenance"));
		evac++;
	}
	assert_int_equal(evac, 2);
	trep_vm_uuid(DB2, vm);
	host_uuid(1, h1);
	assert_non_null(rec_for(b, vm, h1));	/* db-apart: not next to db-1 */
	trep_vm_uuid(APP2, vm);
	assert_null(rec_for(b, vm, h3));
	assert_int_equal(t->f.n, 0);		/* approve mode */

	assert_int_equal(balance_maintenance(b, t->md, "hv3", 0, err,
	    sizeof(err)), 0);
	assert_false(balance_in_maintenance(b, "hv3"));
	assert_int_equal(balance_maintenance_list(b, &names), 0);
	assert_false(file_has_line(path, "hv3"));
	/* leaving a host that was not in maintenance: nothing to do */
	assert_int_equal(balance_maintenance(b, t->md, "hv9", 0, err,
	    sizeof(err)), 0);
	balance_pass(b, t->md, t->now + 2000);
	assert_int_equal(count_recs(b, REC_PENDING), 0);
	balance_free(b);

	b = bal_open(t, 3);
	assert_false(balance_in_maintenance(b, "hv3"));
	balance_free(b);
}

/* Every line of the audit log is a JSON object with event and time. */
static void
test_audit_log(void **state)
{
	struct tmp			*t = *state;
	struct balance			*b;
	const struct recommendation	*r;
	char				 err[256], path[128], line[8192];
	const char			*ev;
	json_t				*o;
	FILE				*f;
	uint64_t			 id;
	int				 s_rec = 0, s_app = 0, s_rej = 0;
	int				 s_mig = 0, s_op = 0, s_maint = 0;
	int				 lines = 0;

	write_policy(t, "approve");
	t->md = cluster(0.98, t->now);
	b = bal_open(t, 1);
	balance_pass(b, t->md, t->now);
	assert_non_null(r = nth_rec(b, REC_PENDING, 0));
	assert_int_equal(balance_approve(b, r->id, t->now, err,
	    sizeof(err)), 0);
	assert_non_null(r = nth_rec(b, REC_PENDING, 0));
	assert_int_equal(balance_reject(b, r->id, err, sizeof(err)), 0);
	balance_tick(b, t->md, t->now + 100);
	assert_int_equal(balance_migrate(b, t->md, "app-1", "hv3", t->now, &id,
	    err, sizeof(err)), 0);
	assert_int_equal(balance_maintenance(b, t->md, "hv2", 1, err,
	    sizeof(err)), 0);
	balance_free(b);

	snprintf(path, sizeof(path), "%s/audit.log", t->dir);
	assert_non_null(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		lines++;
		assert_true(line[strlen(line) - 1] == '\n');
		if ((o = json_loads(line, 0, NULL)) == NULL)
			fail_msg("audit line %d is not JSON: %s", lines, line);
		assert_true(json_is_object(o));
		assert_true(json_is_integer(json_object_get(o, "time")));
		assert_true(json_integer_value(json_object_get(o, "time")) > 0);
		ev = json_string_value(json_object_get(o, "event"));
		assert_non_null(ev);
		s_rec += strcmp(ev, "recommendation") == 0;
		s_app += strcmp(ev, "approve") == 0;
		s_rej += strcmp(ev, "reject") == 0;
		s_op += strcmp(ev, "operator-migrate") == 0;
		s_maint += strcmp(ev, "maintenance-enter") == 0;
		if (strcmp(ev, "migration") == 0) {
			s_mig++;
			assert_non_null(json_object_get(o, "id"));
			assert_non_null(json_object_get(o, "state"));
		}
		if (strcmp(ev, "recommendation") == 0 ||
		    strcmp(ev, "approve") == 0 || strcmp(ev, "reject") == 0) {
			assert_true(json_is_string(json_object_get(o, "vm")));
			assert_true(json_is_string(json_object_get(o,
			    "explain")));
		}
		json_decref(o);
	}
	fclose(f);
	assert_true(s_rec >= 2);
	assert_int_equal(s_app, 1);
	assert_int_equal(s_rej, 1);
	assert_true(s_mig >= 3);	/* planned, sent; planned (operator) */
	assert_int_equal(s_op, 1);
	assert_int_equal(s_maint, 1);
}

/* A status from the collector reaches the executor through balance. */
static void
test_status_through_balance(void **state)
{
	struct tmp			 *t = *state;
	Ballast__V1__CommandStatus	  s = BALLAST__V1__COMMAND_STATUS__INIT;
	struct balance			 *b;
	const struct migration		 *m;
	char				  err[256];
	uint64_t			  id;

	write_policy(t, "manual");
	t->md = cluster(0.50, t->now);
	b = bal_open(t, 1);
	assert_int_equal(balance_migrate(b, t->md, "web-1", "hv2", t->now, &id,
	    err, sizeof(err)), 0);
	balance_tick(b, t->md, t->now);
	s.id = id;
	s.state = BALLAST__V1__COMMAND_STATE__CMD_STATE_REFUSED;
	s.error = (char *)(uintptr_t)"no room";
	s.host_uuid.data = (uint8_t *)(uintptr_t)executor_find(
	    balance_executor(b), id)->src;
	s.host_uuid.len = 16;
	balance_on_status(b, &s, t->now + 10);
	assert_non_null(m = executor_find(balance_executor(b), id));
	assert_int_equal(m->state, MIG_FAILED);
	assert_string_equal(m->error, "no room");
	balance_free(b);
}

static void
test_dstate_epoch(void **state)
{
	struct tmp	*t = *state;
	char		 err[512] = "", path[128];
	uint64_t	 e = 0;

	assert_int_equal(dstate_epoch(t->dir, &e, err, sizeof(err)), 0);
	assert_true(e == 1);
	assert_int_equal(dstate_epoch(t->dir, &e, err, sizeof(err)), 0);
	assert_true(e == 2);
	assert_int_equal(dstate_epoch(t->dir, &e, err, sizeof(err)), 0);
	assert_true(e == 3);

	snprintf(path, sizeof(path), "%s/epoch", t->dir);
	write_file(path, "41\n");
	assert_int_equal(dstate_epoch(t->dir, &e, err, sizeof(err)), 0);
	assert_true(e == 42);

	/* damaged: refused, and left as it was */
	write_file(path, "forty-two\n");
	e = 0;
	assert_int_equal(dstate_epoch(t->dir, &e, err, sizeof(err)), -EINVAL);
	assert_true(e == 0);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "damaged"));
	assert_true(file_has_line(path, "forty-two"));
	write_file(path, "");
	assert_int_equal(dstate_epoch(t->dir, &e, err, sizeof(err)), -EINVAL);
	write_file(path, "-3\n");
	assert_int_equal(dstate_epoch(t->dir, &e, err, sizeof(err)), -EINVAL);

	/* a state directory that is not there */
	snprintf(path, sizeof(path), "%s/missing", t->dir);
	err[0] = '\0';
	assert_true(dstate_epoch(path, &e, err, sizeof(err)) < 0);
	assert_true(strlen(err) > 0);
}

static void
test_dstate_token(void **state)
{
	struct tmp	*t = *state;
	struct stat	 st;
	char		 tok[128], again[128], err[512] = "", path[128];
	size_t		 i;
	int		 gen = -1;

	assert_int_equal(dstate_token(t->dir, NULL, tok, sizeof(tok), &gen, err,
	    sizeof(err)), 0);
	assert_int_equal(gen, 1);
	assert_int_equal(strlen(tok), 48);
	for (i = 0; i < 48; i++)
		assert_non_null(strchr("0123456789abcdef", tok[i]));
	snprintf(path, sizeof(path), "%s/api.token", t->dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	assert_int_equal(dstate_token(t->dir, "", again, sizeof(again), &gen,
	    err, sizeof(err)), 0);
	assert_int_equal(gen, 0);
	assert_string_equal(again, tok);

	/* a configured token wins and writes nothing */
	assert_int_equal(dstate_token(t->dir, "configured-secret-token", again,
	    sizeof(again), &gen, err, sizeof(err)), 0);
	assert_int_equal(gen, 0);
	assert_string_equal(again, "configured-secret-token");
	assert_true(file_has_line(path, tok));

	/* one too short to be a token is replaced */
	write_file(path, "short\n");
	assert_int_equal(dstate_token(t->dir, NULL, again, sizeof(again), &gen,
	    err, sizeof(err)), 0);
	assert_int_equal(gen, 1);
	assert_int_equal(strlen(again), 48);
	assert_string_not_equal(again, tok);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrate, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_migrate_stale_host, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_maintenance, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_audit_log, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_status_through_balance, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_dstate_epoch, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_dstate_token, tmp_setup,
		    tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
