/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "snmpmib.h"
#include "util.h"
#include "vmmib.h"

#define VM_MIB		1, 3, 6, 1, 2, 1, 236
#define VM_MIB_LEN	7
#define VM_DELETED	10

enum { T_HV, T_NUMBER, T_LASTCHANGE, T_PERVM, T_BULK, T_VM, T_CPU, T_AFF,
	T_DISK, T_NIC, T_N };

struct vm_row {
	struct vmmib_vm	 vm;		/* deep copy */
	int32_t		 index;
	int64_t		 up_ms;		/* first seen running; 0: not running */
};

/* A row of a sub-table: the VM's row and the item within it. */
struct sub_row {
	uint32_t	 r, a, b;
};

struct vmmib {
	struct vmmib_config	 cfg;
	struct vm_row		*rows;		/* by vmIndex */
	size_t			 n;
	struct sub_row		*sub[T_N];	/* T_CPU, T_AFF, T_DISK, T_NIC */
	size_t			 nsub[T_N];
	char			 sw[64], ver[64];
	uint64_t		 hv_cs;		/* hypervisor uptime at snap_ms */
	int64_t			 snap_ms;
	uint64_t		 change_cs;	/* vmTableLastChange */
	unsigned		 host_cpus;
	int32_t			 next_index;
	struct smib_table	 t[T_N];
};

static void
vm_free_copy(struct vmmib_vm *v)
{
	free(v->cpus);
	free(v->disks);
	free(v->nics);
}

static void *
vm_dup(const void *p, size_t n, size_t size)
{
	void	*q;

	if (n == 0)
		return NULL;
	if ((q = calloc(n, size)) != NULL)
		memcpy(q, p, n * size);
	return q;
}

static int
vm_copy(struct vmmib_vm *dst, const struct vmmib_vm *src)
{
	*dst = *src;
	dst->cpus = vm_dup(src->cpus, src->ncpus, sizeof(*src->cpus));
	dst->disks = vm_dup(src->disks, src->ndisks, sizeof(*src->disks));
	dst->nics = vm_dup(src->nics, src->nnics, sizeof(*src->nics));
	if ((src->ncpus && dst->cpus == NULL) ||
	    (src->ndisks && dst->disks == NULL) ||
	    (src->nnics && dst->nics == NULL)) {
		vm_free_copy(dst);
		return -ENOMEM;
	}
	return 0;
}

static uint64_t
vm_hv_cs(const struct vmmib *mib)
{
	int64_t	 d = util_now_mono_ms() - mib->snap_ms;

	return mib->hv_cs + (uint64_t)(d > 0 ? d / 10 : 0);
}

/* --- notifications --- */

static int
vm_kind(enum vmmib_oper s)
{
	switch (s) {
	case VMMIB_RUNNING: return 1;
	case VMMIB_SHUTTINGDOWN: return 2;
	case VMMIB_SHUTDOWN: return 3;
	case VMMIB_PAUSED: return 4;
	case VMMIB_SUSPENDING: return 5;
	case VMMIB_SUSPENDED: return 6;
	case VMMIB_RESUMING: return 7;
	case VMMIB_MIGRATING: return 8;
	case VMMIB_CRASHED: return 9;
	default: return 0;
	}
}

static void
vm_add_col(netsnmp_variable_list **vars, unsigned col, int32_t idx,
    u_char type, const void *p, size_t len)
{
	oid	 name[] = { VM_MIB, 1, 4, 1, 0, 0 };

	name[VM_MIB_LEN + 3] = col;
	name[VM_MIB_LEN + 4] = (oid)idx;
	snmp_varlist_add_variable(vars, name, OID_LENGTH(name), type, p, len);
}

static void
vm_notify(struct vmmib *mib, int kind, const struct vm_row *row)
{
	static const oid trapoid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
	oid			 what[] = { VM_MIB, 0, 0 };
	netsnmp_variable_list	*vars = NULL;
	long			 oper = row->vm.oper, pers = row->vm.persistent;

	if (!mib->cfg.notify || kind == 0)
		return;
	if (mib->cfg.send != NULL) {
		mib->cfg.send(mib->cfg.send_arg, kind, &row->vm);
		return;
	}
	what[VM_MIB_LEN + 1] = (oid)kind;
	snmp_varlist_add_variable(&vars, trapoid, OID_LENGTH(trapoid),
	    ASN_OBJECT_ID, what, sizeof(what));
	vm_add_col(&vars, 2, row->index, ASN_OCTET_STR, row->vm.name,
	    strlen(row->vm.name));
	vm_add_col(&vars, 3, row->index, ASN_OCTET_STR, row->vm.uuid, 16);
	vm_add_col(&vars, 6, row->index, ASN_INTEGER, &oper, sizeof(oper));
	if (kind == VM_DELETED)
		vm_add_col(&vars, 8, row->index, ASN_INTEGER, &pers,
		    sizeof(pers));
	send_v2trap(vars);
	snmp_free_varbind(vars);
}

/* --- the snapshot --- */

static const struct vm_row *
vm_find(const struct vm_row *rows, size_t n, const uint8_t uuid[16])
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (memcmp(rows[i].vm.uuid, uuid, 16) == 0)
			return &rows[i];
	return NULL;
}

static int
vm_row_cmp(const void *a, const void *b)
{
	int32_t	 x = ((const struct vm_row *)a)->index;
	int32_t	 y = ((const struct vm_row *)b)->index;

	return x < y ? -1 : x > y;
}

/* The flat rows of the sub-tables, in index order. */
static int
vm_subrows(struct vmmib *mib)
{
	size_t		 cnt[T_N] = { 0 }, i, j, t;
	unsigned	 p, np = mib->host_cpus < VMMIB_MAX_PCPUS ?
			    mib->host_cpus : VMMIB_MAX_PCPUS;
	struct vmmib_vm	*v;

	for (i = 0; i < mib->n; i++) {
		v = &mib->rows[i].vm;
		cnt[T_CPU] += v->ncpus;
		cnt[T_DISK] += v->ndisks;
		cnt[T_NIC] += v->nnics;
		for (j = 0; j < v->ncpus; j++)
			cnt[T_AFF] += v->cpus[j].has_affinity ? np : 0;
	}
	for (t = T_CPU; t < T_N; t++) {
		free(mib->sub[t]);
		mib->nsub[t] = 0;
		mib->sub[t] = cnt[t] ? calloc(cnt[t], sizeof(struct sub_row)) : NULL;
		if (cnt[t] && mib->sub[t] == NULL)
			return -ENOMEM;
	}
	for (i = 0; i < mib->n; i++) {
		v = &mib->rows[i].vm;
		for (j = 0; j < v->ncpus; j++) {
			mib->sub[T_CPU][mib->nsub[T_CPU]++] = (struct sub_row){
			    (uint32_t)i, (uint32_t)j, 0 };
			for (p = 0; v->cpus[j].has_affinity && p < np; p++)
				mib->sub[T_AFF][mib->nsub[T_AFF]++] =
				    (struct sub_row){ (uint32_t)i, (uint32_t)j, p };
		}
		for (j = 0; j < v->ndisks; j++)
			mib->sub[T_DISK][mib->nsub[T_DISK]++] = (struct sub_row){
			    (uint32_t)i, (uint32_t)j, 0 };
		for (j = 0; j < v->nnics; j++)
			mib->sub[T_NIC][mib->nsub[T_NIC]++] = (struct sub_row){
			    (uint32_t)i, (uint32_t)j, 0 };
	}
	return 0;
}

static void
vm_rows_free(struct vm_row *rows, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && rows != NULL; i++)
		vm_free_copy(&rows[i].vm);
	free(rows);
}

/* Copies the snapshot's VMs, keeping indexes and start times. */
static struct vm_row *
vm_new_rows(const struct vmmib *mib, const struct vmmib_snapshot *s,
    int64_t now_ms, int32_t *next)
{
	const struct vm_row	*old;
	struct vm_row		*rows;
	size_t			 i;

	if ((rows = calloc(s->nvms ? s->nvms : 1, sizeof(*rows))) == NULL)
		return NULL;
	for (i = 0; i < s->nvms; i++) {
		if (vm_copy(&rows[i].vm, &s->vms[i]) < 0) {
			vm_rows_free(rows, i);
			return NULL;
		}
		old = vm_find(mib->rows, mib->n, s->vms[i].uuid);
		rows[i].index = old ? old->index : (*next)++;
		if (s->vms[i].oper == VMMIB_RUNNING)
			rows[i].up_ms = old && old->up_ms ? old->up_ms : now_ms;
	}
	qsort(rows, s->nvms, sizeof(*rows), vm_row_cmp);
	return rows;
}

/* Notifies what changed between the old rows and the new; 1 if any. */
static int
vm_changes(struct vmmib *mib, const struct vm_row *rows, size_t n)
{
	const struct vm_row	*old;
	size_t			 i;
	int			 changed = 0;

	for (i = 0; i < n; i++) {
		old = vm_find(mib->rows, mib->n, rows[i].vm.uuid);
		if (old != NULL && old->vm.oper == rows[i].vm.oper)
			continue;
		changed = 1;
		vm_notify(mib, vm_kind(rows[i].vm.oper), &rows[i]);
	}
	for (i = 0; i < mib->n; i++)
		if (vm_find(rows, n, mib->rows[i].vm.uuid) == NULL) {
			changed = 1;
			vm_notify(mib, VM_DELETED, &mib->rows[i]);
		}
	return changed;
}

int
vmmib_update(struct vmmib *mib, const struct vmmib_snapshot *s, int64_t now_ms)
{
	struct vm_row	*rows;
	int32_t		 next = mib->next_index;
	int		 changed;

	if ((rows = vm_new_rows(mib, s, now_ms, &next)) == NULL)
		return -ENOMEM;
	util_strlcpy(mib->sw, s->hv_software, sizeof(mib->sw));
	util_strlcpy(mib->ver, s->hv_version, sizeof(mib->ver));
	mib->hv_cs = s->hv_uptime_cs;
	mib->snap_ms = util_now_mono_ms();
	mib->host_cpus = s->host_cpus;
	changed = vm_changes(mib, rows, s->nvms);
	vm_rows_free(mib->rows, mib->n);
	mib->rows = rows;
	mib->n = s->nvms;
	mib->next_index = next;
	if (changed)
		mib->change_cs = mib->hv_cs;
	return vm_subrows(mib) < 0 ? -ENOMEM : 0;
}

int32_t
vmmib_index_of(const struct vmmib *mib, const uint8_t uuid[16])
{
	const struct vm_row	*r = vm_find(mib->rows, mib->n, uuid);

	return r ? r->index : 0;
}

/* --- scalars --- */

static size_t
vm_one(void *arg)
{
	(void)arg;
	return 1;
}

static size_t
vm_zero(void *arg, size_t row, smib_oid *idx)
{
	(void)arg;
	(void)row;
	idx[0] = 0;
	return 1;
}

static int
vm_hv_cell(void *arg, size_t row, unsigned col, struct smib_val *v)
{
	struct vmmib	*mib = arg;

	(void)row;
	switch (col) {
	case 1: smib_set_str(v, mib->sw); break;
	case 2: smib_set_str(v, mib->ver); break;
	case 3:
		v->type = SMIB_OID;
		v->oid[0] = v->oid[1] = 0;	/* zeroDotZero */
		v->len = 2;
		break;
	case 4: smib_set_uint(v, SMIB_TIMETICKS, vm_hv_cs(mib)); break;
	default: return -1;
	}
	return 0;
}

static int
vm_scalar_cell(void *arg, size_t row, unsigned col, struct smib_val *v)
{
	struct vmmib	*mib = arg;

	(void)row;
	switch (col) {
	case 2: smib_set_int(v, (int64_t)mib->n); break;
	case 3: smib_set_uint(v, SMIB_TIMETICKS, mib->change_cs); break;
	case 9: smib_set_int(v, mib->cfg.notify ? 1 : 2); break;
	case 10: smib_set_int(v, 2); break;	/* bulk: not sent */
	default: return -1;
	}
	return 0;
}

/* --- vmTable --- */

static size_t
vm_rows(void *arg)
{
	return ((struct vmmib *)arg)->n;
}

static size_t
vm_index(void *arg, size_t row, smib_oid *idx)
{
	idx[0] = (smib_oid)((struct vmmib *)arg)->rows[row].index;
	return 1;
}

static int64_t
vm_clamp(int64_t v)
{
	return v > 2147483647 ? 2147483647 : v < -1 ? -1 : v;
}

static int
vm_cell(void *arg, size_t row, unsigned col, struct smib_val *v)
{
	struct vmmib		*mib = arg;
	const struct vm_row	*r = &mib->rows[row];
	int64_t			 up = r->up_ms ? util_now_mono_ms() - r->up_ms : 0;

	switch (col) {
	case 2: smib_set_str(v, r->vm.name); break;
	case 3: smib_set_bytes(v, r->vm.uuid, 16); break;
	case 4: smib_set_str(v, r->vm.os_type); break;
	case 5: smib_set_int(v, r->vm.admin); break;
	case 6: smib_set_int(v, r->vm.oper); break;
	case 7: smib_set_int(v, r->vm.autostart ? r->vm.autostart : 1); break;
	case 8: smib_set_int(v, r->vm.persistent ? r->vm.persistent : 1); break;
	case 9: smib_set_int(v, vm_clamp(r->vm.cur_cpus)); break;
	case 10: smib_set_int(v, vm_clamp(r->vm.min_cpus)); break;
	case 11: smib_set_int(v, vm_clamp(r->vm.max_cpus)); break;
	case 12: smib_set_int(v, 1024); break;
	case 13: smib_set_int(v, vm_clamp(r->vm.cur_mem_kib)); break;
	case 14: smib_set_int(v, vm_clamp(r->vm.min_mem_kib)); break;
	case 15: smib_set_int(v, vm_clamp(r->vm.max_mem_kib)); break;
	case 16: smib_set_uint(v, SMIB_TIMETICKS, (uint64_t)(up > 0 ? up : 0) / 10);
		break;
	case 17: smib_set_uint(v, SMIB_COUNTER64, r->vm.cpu_time_us); break;
	default: return -1;
	}
	return 0;
}

/* --- the sub-tables: vCPUs, affinity, storage, network --- */

static size_t
sub_rows(const struct vmmib *mib, int t)
{
	return mib->nsub[t];
}

static size_t cpu_rows(void *a) { return sub_rows(a, T_CPU); }
static size_t aff_rows(void *a) { return sub_rows(a, T_AFF); }
static size_t disk_rows(void *a) { return sub_rows(a, T_DISK); }
static size_t nic_rows(void *a) { return sub_rows(a, T_NIC); }

static size_t
sub_index(const struct vmmib *mib, int t, size_t row, smib_oid *idx)
{
	const struct sub_row	*s = &mib->sub[t][row];

	idx[0] = (smib_oid)mib->rows[s->r].index;
	idx[1] = s->a + 1;
	if (t != T_AFF)
		return 2;
	idx[2] = s->b + 1;
	return 3;
}

static size_t cpu_index(void *a, size_t r, smib_oid *i) { return sub_index(a, T_CPU, r, i); }
static size_t aff_index(void *a, size_t r, smib_oid *i) { return sub_index(a, T_AFF, r, i); }
static size_t disk_index(void *a, size_t r, smib_oid *i) { return sub_index(a, T_DISK, r, i); }
static size_t nic_index(void *a, size_t r, smib_oid *i) { return sub_index(a, T_NIC, r, i); }

static int
cpu_cell(void *arg, size_t row, unsigned col, struct smib_val *v)
{
	struct vmmib		*mib = arg;
	const struct sub_row	*s = &mib->sub[T_CPU][row];

	if (col != 2)
		return -1;
	smib_set_uint(v, SMIB_COUNTER64, mib->rows[s->r].vm.cpus[s->a].time_us);
	return 0;
}

static int
aff_cell(void *arg, size_t row, unsigned col, struct smib_val *v)
{
	struct vmmib		*mib = arg;
	const struct sub_row	*s = &mib->sub[T_AFF][row];
	const uint8_t		*set = mib->rows[s->r].vm.cpus[s->a].affinity;

	if (col != 3)
		return -1;
	smib_set_int(v, (set[s->b / 8] >> (s->b % 8)) & 1 ? 1 : 2);
	return 0;
}

/* A size in bytes as (unit, value) that fits an Integer32. */
static void
disk_size(int64_t bytes, int64_t unit, struct smib_val *v)
{
	smib_set_int(v, bytes < 0 ? -1 : vm_clamp(bytes / unit));
}

static int
disk_cell(void *arg, size_t row, unsigned col, struct smib_val *v)
{
	struct vmmib		*mib = arg;
	const struct sub_row	*s = &mib->sub[T_DISK][row];
	const struct vmmib_disk	*d = &mib->rows[s->r].vm.disks[s->a];
	int64_t			 unit = d->defined_bytes > 2147483647 ||
				    d->allocated_bytes > 2147483647 ? 1048576 : 1;

	switch (col) {
	case 3: smib_set_int(v, 0); break;
	case 4: smib_set_int(v, d->source_type ? d->source_type : 1); break;
	case 5: smib_set_str(v, d->source_type_str); break;
	case 6: smib_set_str(v, d->resource); break;
	case 7: smib_set_int(v, d->readonly ? 3 : 2); break;
	case 8: smib_set_int(v, d->media ? d->media : 2); break;
	case 9: smib_set_str(v, d->media_str); break;
	case 10: smib_set_int(v, unit); break;
	case 11: disk_size(d->defined_bytes, unit, v); break;
	case 12: disk_size(d->allocated_bytes, unit, v); break;
	case 13: smib_set_uint(v, SMIB_COUNTER64, d->rd_ops); break;
	case 14: smib_set_uint(v, SMIB_COUNTER64, d->wr_ops); break;
	case 15: smib_set_uint(v, SMIB_COUNTER64, d->rd_bytes); break;
	case 16: smib_set_uint(v, SMIB_COUNTER64, d->wr_bytes); break;
	case 17: smib_set_uint(v, SMIB_COUNTER64, d->rd_time_us); break;
	case 18: smib_set_uint(v, SMIB_COUNTER64, d->wr_time_us); break;
	default: return -1;
	}
	return 0;
}

static int
nic_cell(void *arg, size_t row, unsigned col, struct smib_val *v)
{
	struct vmmib		*mib = arg;
	const struct sub_row	*s = &mib->sub[T_NIC][row];
	const struct vmmib_nic	*n = &mib->rows[s->r].vm.nics[s->a];

	switch (col) {
	case 2: smib_set_int(v, n->ifindex > 0 ? n->ifindex : 0); break;
	case 3: smib_set_int(v, n->parent_ifindex > 0 ? n->parent_ifindex : 0);
		break;
	case 4: smib_set_str(v, n->model); break;
	case 5: smib_set_bytes(v, n->mac, 6); break;
	default: return -1;
	}
	return 0;
}

static void
vm_table(struct smib_table *t, const char *name, smib_oid sub, int entry,
    unsigned first, unsigned last)
{
	static const smib_oid	 root[] = { VM_MIB, 1 };

	memcpy(t->entry, root, sizeof(root));
	t->entry_len = VM_MIB_LEN + 1;
	if (sub != 0)
		t->entry[t->entry_len++] = sub;
	if (entry)
		t->entry[t->entry_len++] = 1;
	t->name = name;
	t->first_col = first;
	t->last_col = last;
}

static void
vm_tables(struct vmmib *mib)
{
	struct smib_table	*t = mib->t;
	size_t			 i;

	vm_table(&t[T_HV], "vmHypervisor", 1, 0, 1, 4);
	vm_table(&t[T_NUMBER], "vmNumber", 0, 0, 2, 2);
	vm_table(&t[T_LASTCHANGE], "vmTableLastChange", 0, 0, 3, 3);
	vm_table(&t[T_PERVM], "vmPerVMNotificationsEnabled", 0, 0, 9, 9);
	vm_table(&t[T_BULK], "vmBulkNotificationsEnabled", 0, 0, 10, 10);
	vm_table(&t[T_VM], "vmTable", 4, 1, 2, 17);
	vm_table(&t[T_CPU], "vmCpuTable", 5, 1, 2, 2);
	vm_table(&t[T_AFF], "vmCpuAffinityTable", 6, 1, 3, 3);
	vm_table(&t[T_DISK], "vmStorageTable", 7, 1, 3, 18);
	vm_table(&t[T_NIC], "vmNetworkTable", 8, 1, 2, 5);
	for (i = T_HV; i <= T_BULK; i++) {
		t[i].rows = vm_one;
		t[i].index = vm_zero;
		t[i].cell = i == T_HV ? vm_hv_cell : vm_scalar_cell;
	}
	t[T_VM].rows = vm_rows, t[T_VM].index = vm_index, t[T_VM].cell = vm_cell;
	t[T_CPU].rows = cpu_rows, t[T_CPU].index = cpu_index;
	t[T_CPU].cell = cpu_cell;
	t[T_AFF].rows = aff_rows, t[T_AFF].index = aff_index;
	t[T_AFF].cell = aff_cell;
	t[T_DISK].rows = disk_rows, t[T_DISK].index = disk_index;
	t[T_DISK].cell = disk_cell;
	t[T_NIC].rows = nic_rows, t[T_NIC].index = nic_index;
	t[T_NIC].cell = nic_cell;
	for (i = 0; i < T_N; i++)
		t[i].arg = mib;
}

struct vmmib *
vmmib_new(const struct vmmib_config *cfg, char *err, size_t errlen)
{
	struct vmmib	*mib;

	if ((mib = calloc(1, sizeof(*mib))) == NULL) {
		snprintf(err, errlen, "VM-MIB: out of memory");
		return NULL;
	}
	if (cfg != NULL)
		mib->cfg = *cfg;
	mib->next_index = 1;
	vm_tables(mib);
	return mib;
}

int
vmmib_register(struct vmmib *mib)
{
	size_t	 i;

	for (i = 0; i < T_N; i++)
		if (smib_register(&mib->t[i]) < 0)
			return -EIO;
	return 0;
}

void
vmmib_free(struct vmmib *mib)
{
	size_t	 t;

	if (mib == NULL)
		return;
	vm_rows_free(mib->rows, mib->n);
	for (t = 0; t < T_N; t++)
		free(mib->sub[t]);
	free(mib);
}

const struct smib_table *
vmmib_table(const struct vmmib *mib, size_t i)
{
	return i < T_N ? &mib->t[i] : NULL;
}

size_t
vmmib_ntables(void)
{
	return T_N;
}
