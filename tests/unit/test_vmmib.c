/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of exporters/snmpmib.c (the GET/GETNEXT engine, without
 * an agent) and exporters/vmmib.c through it: a walk visits every cell
 * in OID order, vmIndex survives snapshots, and lifecycle changes give
 * the RFC 7666 notifications.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "snmpmib.h"
#include "vmmib.h"

/* --- a fake table: rows 2, 5, 9 (index = row id), columns 1..3; column 2
 * has no cell in row 5 --- */
static const unsigned ids[] = { 2, 5, 9 };

static size_t
f_rows(void *arg)
{
	(void)arg;
	return 3;
}

static size_t
f_index(void *arg, size_t row, smib_oid *idx)
{
	(void)arg;
	idx[0] = ids[row];
	return 1;
}

static int
f_cell(void *arg, size_t row, unsigned col, struct smib_val *v)
{
	(void)arg;
	if (col == 2 && ids[row] == 5)
		return -1;
	smib_set_int(v, (int64_t)(col * 100 + ids[row]));
	return 0;
}

static void
fake(struct smib_table *t)
{
	static const smib_oid	 entry[] = { 1, 3, 6, 1, 4, 1, 99, 1 };

	memset(t, 0, sizeof(*t));
	memcpy(t->entry, entry, sizeof(entry));
	t->entry_len = 8;
	t->first_col = 1;
	t->last_col = 3;
	t->rows = f_rows;
	t->index = f_index;
	t->cell = f_cell;
}

/* Walks t from `from`; returns the values seen, in order. */
static size_t
walk(const struct smib_table *t, const smib_oid *from, size_t len,
    int64_t *vals, size_t max)
{
	smib_oid	 cur[SMIB_MAX_OID], out[SMIB_MAX_OID];
	size_t		 n = 0, clen = len, olen;
	struct smib_val	 v;

	memcpy(cur, from, len * sizeof(*cur));
	while (n < max && smib_lookup(t, cur, clen, 0, out, &olen, &v) == 0) {
		assert_true(smib_oid_cmp(out, olen, cur, clen) > 0);
		vals[n++] = v.i;
		memcpy(cur, out, olen * sizeof(*cur));
		clen = olen;
	}
	return n;
}

static void
test_engine_walk(void **state)
{
	static const smib_oid	 before[] = { 1, 3, 6, 1, 4, 1, 99 };
	static const smib_oid	 mid[] = { 1, 3, 6, 1, 4, 1, 99, 1, 2, 2 };
	static const smib_oid	 get[] = { 1, 3, 6, 1, 4, 1, 99, 1, 3, 9 };
	static const smib_oid	 hole[] = { 1, 3, 6, 1, 4, 1, 99, 1, 2, 5 };
	static const smib_oid	 after[] = { 1, 3, 6, 1, 4, 1, 100 };
	struct smib_table	 t;
	struct smib_val		 v;
	smib_oid		 out[SMIB_MAX_OID];
	size_t			 olen;
	int64_t			 vals[16];
	const int64_t		 want[] = { 102, 105, 109, 202, 209, 302, 305, 309 };

	(void)state;
	fake(&t);
	assert_int_equal(walk(&t, before, 7, vals, 16), 8);
	assert_memory_equal(vals, want, sizeof(want));
	/* from inside: the next after column 2, row 2 is row 9 (5 has none) */
	assert_int_equal(walk(&t, mid, 10, vals, 16), 4);
	assert_int_equal(vals[0], 209);
	assert_int_equal(smib_lookup(&t, get, 10, 1, out, &olen, &v), 0);
	assert_int_equal(v.i, 309);
	assert_int_equal(smib_lookup(&t, hole, 10, 1, out, &olen, &v), -1);
	assert_int_equal(smib_lookup(&t, after, 7, 0, out, &olen, &v), -1);
}

/* --- VM-MIB --- */

struct sent {
	int	 kinds[32];
	char	 names[32][256];
	int	 n;
};

static void
on_send(void *arg, int kind, const struct vmmib_vm *vm)
{
	struct sent	*s = arg;

	if (s->n < 32) {
		s->kinds[s->n] = kind;
		snprintf(s->names[s->n], sizeof(s->names[0]), "%s", vm->name);
		s->n++;
	}
}

static void
mkvm(struct vmmib_vm *v, int id, const char *name, enum vmmib_oper oper)
{
	memset(v, 0, sizeof(*v));
	v->uuid[0] = 0xab;
	v->uuid[15] = (uint8_t)id;
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->oper = oper;
	v->admin = VMMIB_ADMIN_RUNNING;
	v->cur_cpus = 2;
	v->cur_mem_kib = 1048576;
}

/* The value of vmTable's column col for vmIndex idx. */
static int
vm_get(struct vmmib *mib, unsigned col, int32_t idx, struct smib_val *v)
{
	smib_oid	 name[] = { 1, 3, 6, 1, 2, 1, 236, 1, 4, 1, 0, 0 };
	smib_oid	 out[SMIB_MAX_OID];
	size_t		 olen;

	name[10] = col;
	name[11] = (smib_oid)idx;
	return smib_lookup(vmmib_table(mib, 5), name, 12, 1, out, &olen, v);
}

static void
test_vmmib_snapshots(void **state)
{
	struct vmmib_vm		 vms[3];
	struct vmmib_snapshot	 s;
	struct vmmib_config	 cfg;
	struct sent		 sent;
	struct smib_val		 v;
	struct vmmib		*mib;
	char			 err[128];
	int32_t			 a, b;

	(void)state;
	memset(&sent, 0, sizeof(sent));
	memset(&cfg, 0, sizeof(cfg));
	cfg.notify = 1;
	cfg.send = on_send;
	cfg.send_arg = &sent;
	assert_non_null(mib = vmmib_new(&cfg, err, sizeof(err)));
	memset(&s, 0, sizeof(s));
	snprintf(s.hv_software, sizeof(s.hv_software), "test");
	mkvm(&vms[0], 1, "web-1", VMMIB_RUNNING);
	mkvm(&vms[1], 2, "db-1", VMMIB_RUNNING);
	s.vms = vms;
	s.nvms = 2;
	assert_int_equal(vmmib_update(mib, &s, 1000), 0);
	a = vmmib_index_of(mib, vms[0].uuid);
	b = vmmib_index_of(mib, vms[1].uuid);
	assert_true(a > 0 && b > 0 && a != b);
	assert_int_equal(sent.n, 2);		/* both entered running */
	assert_int_equal(sent.kinds[0], 1);	/* vmRunning */
	assert_int_equal(vm_get(mib, 2, b, &v), 0);
	assert_int_equal(v.len, 4);
	assert_memory_equal(v.str, "db-1", 4);
	assert_int_equal(vm_get(mib, 13, b, &v), 0);
	assert_int_equal(v.i, 1048576);

	/* web-1 paused, db-1 gone, app-1 new: indexes kept, none reused */
	mkvm(&vms[0], 1, "web-1", VMMIB_PAUSED);
	mkvm(&vms[1], 3, "app-1", VMMIB_RUNNING);
	sent.n = 0;
	assert_int_equal(vmmib_update(mib, &s, 2000), 0);
	assert_int_equal(vmmib_index_of(mib, vms[0].uuid), a);
	assert_true(vmmib_index_of(mib, vms[1].uuid) > b);
	assert_int_equal(sent.n, 3);
	assert_int_equal(sent.kinds[0], 4);	/* vmPaused: web-1 */
	assert_string_equal(sent.names[0], "web-1");
	assert_int_equal(sent.kinds[1], 1);	/* vmRunning: app-1 */
	assert_int_equal(sent.kinds[2], 10);	/* vmDeleted: db-1 */
	assert_string_equal(sent.names[2], "db-1");
	assert_int_equal(vm_get(mib, 2, b, &v), -1);
	assert_int_equal(vm_get(mib, 6, a, &v), 0);
	assert_int_equal(v.i, VMMIB_PAUSED);
	/* the same snapshot again: nothing to notify */
	sent.n = 0;
	assert_int_equal(vmmib_update(mib, &s, 3000), 0);
	assert_int_equal(sent.n, 0);
	vmmib_free(mib);
}

/* Sub-tables: a row per vCPU, disk and NIC, indexed (vmIndex, n). */
static void
test_vmmib_subtables(void **state)
{
	static const smib_oid	 cpu_table[] = { 1, 3, 6, 1, 2, 1, 236, 1, 5 };
	struct vmmib_vm		 vm;
	struct vmmib_cpu	 cpus[3];
	struct vmmib_nic	 nic;
	struct vmmib_snapshot	 s;
	struct vmmib		*mib;
	struct smib_val		 v;
	smib_oid		 out[SMIB_MAX_OID];
	size_t			 olen, n = 0;
	char			 err[128];

	(void)state;
	assert_non_null(mib = vmmib_new(NULL, err, sizeof(err)));
	mkvm(&vm, 7, "web-7", VMMIB_RUNNING);
	memset(cpus, 0, sizeof(cpus));
	cpus[0].time_us = 10, cpus[1].time_us = 20, cpus[2].time_us = 30;
	vm.cpus = cpus;
	vm.ncpus = 3;
	memset(&nic, 0, sizeof(nic));
	memcpy(nic.mac, "\x52\x54\x00\x01\x02\x03", 6);
	vm.nics = &nic;
	vm.nnics = 1;
	memset(&s, 0, sizeof(s));
	s.vms = &vm;
	s.nvms = 1;
	assert_int_equal(vmmib_update(mib, &s, 1000), 0);
	memcpy(out, cpu_table, sizeof(cpu_table));
	olen = 9;
	while (smib_lookup(vmmib_table(mib, 6), out, olen, 0, out, &olen, &v) == 0) {
		n++;
		assert_int_equal(out[olen - 1], n);	/* vmCpuIndex 1..3 */
		assert_int_equal(v.u, n * 10);
	}
	assert_int_equal(n, 3);
	vmmib_free(mib);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_walk),
		cmocka_unit_test(test_vmmib_snapshots),
		cmocka_unit_test(test_vmmib_subtables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
