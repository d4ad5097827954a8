/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballastmib.h"
#include "clusterstat.h"
#include "hot.h"
#include "snmpmib.h"
#include "util.h"

/* enterprises.32473: the documentation PEN, a placeholder (see the MIB) */
#define BM_ROOT		1, 3, 6, 1, 4, 1, 32473, 1
#define BM_ROOT_LEN	8

enum { BM_CLUSTER, BM_HOSTS, BM_VMS, BM_MIGS, BM_NTABLES };

struct ballastmib {
	const struct model	*m;
	const struct balance	*bal;
	struct smib_table	 t[BM_NTABLES];
	uint8_t			(*uuids)[16];	/* VMs in UUID order */
	size_t			 nuuids, ucap;
	int64_t			 uuids_ms;
	uint64_t		*migs;		/* migration ids, ascending */
	size_t			 nmigs, mcap;
	int64_t			 migs_ms;
};

int64_t
ballastmib_milli(double f)
{
	double	 v = floor(f * 1000.0 + 0.5);

	if (!(v > 0))
		return 0;
	return v > 2147483647.0 ? 2147483647 : (int64_t)v;
}

static void
bm_rule(const struct ballastmib *bm, struct hot_rule *r)
{
	hot_rule_of(bm->bal ? balance_policy(bm->bal) : NULL, r);
}

/* --- cluster scalars: one row, index 0 --- */

static size_t
bm_one_row(void *arg)
{
	(void)arg;
	return 1;
}

static size_t
bm_zero_index(void *arg, size_t row, smib_oid *idx)
{
	(void)arg;
	(void)row;
	idx[0] = 0;
	return 1;
}

static unsigned
bm_hot_hosts(const struct ballastmib *bm)
{
	const struct model_host	*h;
	struct hot_rule		 r;
	unsigned		 n = 0;
	size_t			 i;

	bm_rule(bm, &r);
	for (i = 0; (h = model_host_at(bm->m, i)) != NULL; i++)
		n += hot_is(h, &r) != 0;
	return n;
}

static uint64_t
bm_total(const struct ballastmib *bm, enum mig_state s)
{
	return bm->bal ? executor_total(balance_executor(bm->bal), s) : 0;
}

static int
bm_cluster_cell(void *arg, size_t row, unsigned col, struct smib_val *v)
{
	struct ballastmib	*bm = arg;
	struct clusterstat	 cs;

	(void)row;
	clusterstat_compute(bm->m, &cs);
	switch (col) {
	case 1: smib_set_uint(v, SMIB_GAUGE, cs.hosts); break;
	case 2: smib_set_uint(v, SMIB_GAUGE, cs.stale_hosts); break;
	case 3: smib_set_uint(v, SMIB_GAUGE, bm_hot_hosts(bm)); break;
	case 4: smib_set_uint(v, SMIB_GAUGE, cs.vms); break;
	case 5: smib_set_int(v, ballastmib_milli(cs.imbalance)); break;
	case 6: smib_set_int(v, ballastmib_milli(cs.cpu_util_mean)); break;
	case 7: smib_set_int(v, bm->bal ? (int)balance_mode(bm->bal) + 1 : 1);
		break;
	case 8: smib_set_uint(v, SMIB_COUNTER, bm_total(bm, MIG_DONE)); break;
	case 9: smib_set_uint(v, SMIB_COUNTER, bm_total(bm, MIG_FAILED)); break;
	case 10: smib_set_uint(v, SMIB_COUNTER,
		    bm->bal ? balance_passes(bm->bal) : 0); break;
	default: return -1;
	}
	return 0;
}

/* --- hosts, by name (IMPLIED) --- */

static size_t
bm_host_rows(void *arg)
{
	struct ballastmib	*bm = arg;

	return model_host_count(bm->m);
}

static size_t
bm_host_index(void *arg, size_t row, smib_oid *idx)
{
	struct ballastmib	*bm = arg;

	return smib_oid_str(idx, 0, model_host_at(bm->m, row)->name, 1);
}

static int
bm_host_state(const struct ballastmib *bm, const struct model_host *h,
    const struct hot_rule *r)
{
	if (h->stale)
		return 3;
	if (bm->bal != NULL && (balance_in_maintenance(bm->bal, h->name) ||
	    policy_sel_match(&balance_policy(bm->bal)->maintenance, h->name)))
		return 4;
	return hot_is(h, r) ? 2 : 1;
}

static int
bm_host_cell(void *arg, size_t row, unsigned col, struct smib_val *v)
{
	struct ballastmib	*bm = arg;
	const struct model_host	*h = model_host_at(bm->m, row);
	struct hot_rule		 r;

	if (h == NULL)
		return -1;
	bm_rule(bm, &r);
	switch (col) {
	case 2: smib_set_int(v, bm_host_state(bm, h, &r)); break;
	case 3: smib_set_int(v, ballastmib_milli(h->cpu_util)); break;
	case 4: smib_set_int(v, ballastmib_milli(h->mem_util)); break;
	case 5: smib_set_int(v, hot_is(h, &r) ? 1 : 2); break;
	case 6: smib_set_int(v, h->stale ? 1 : 2); break;
	case 7: smib_set_uint(v, SMIB_GAUGE, h->nvms); break;
	case 8: smib_set_uint(v, SMIB_UNSIGNED, h->cpus); break;
	case 9: smib_set_uint(v, SMIB_UNSIGNED, h->mem_bytes >> 20); break;
	case 10: smib_set_uint(v, SMIB_UNSIGNED, hot_seconds(h, &r)); break;
	case 11: smib_set_bytes(v, h->uuid, 16); break;
	case 12: smib_set_str(v, h->addr); break;
	default: return -1;
	}
	return 0;
}

/* --- VMs, by UUID --- */

static int
bm_uuid_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

static void
bm_sort_vms(struct ballastmib *bm)
{
	int64_t		 now = util_now_mono_ms();
	size_t		 n = model_vm_count(bm->m), i;
	void		*p;

	if (bm->uuids_ms != 0 && now - bm->uuids_ms < 1000 && n == bm->nuuids)
		return;
	if (n > bm->ucap) {
		if ((p = reallocarray(bm->uuids, n, 16)) == NULL)
			n = bm->ucap;
		else {
			bm->uuids = p;
			bm->ucap = n;
		}
	}
	for (i = 0; i < n; i++)
		memcpy(bm->uuids[i], model_vm_at(bm->m, i)->uuid, 16);
	if (n > 0)	/* qsort's pointer must not be NULL, even for 0 */
		qsort(bm->uuids, n, 16, bm_uuid_cmp);
	bm->nuuids = n;
	bm->uuids_ms = now;
}

static size_t
bm_vm_rows(void *arg)
{
	struct ballastmib	*bm = arg;

	bm_sort_vms(bm);
	return bm->nuuids;
}

static size_t
bm_vm_index(void *arg, size_t row, smib_oid *idx)
{
	struct ballastmib	*bm = arg;
	size_t			 i;

	for (i = 0; i < 16; i++)
		idx[i] = bm->uuids[row][i];
	return 16;
}

static int
bm_vm_cell(void *arg, size_t row, unsigned col, struct smib_val *v)
{
	struct ballastmib	*bm = arg;
	const struct model_vm	*vm = model_vm_by_uuid(bm->m, bm->uuids[row]);
	char			 u[UTIL_UUID_STRLEN];

	if (vm == NULL)
		return -1;
	switch (col) {
	case 2: smib_set_str(v, vm->name); break;
	case 3: smib_set_str(v, vm->host ? vm->host->name : ""); break;
	case 4: smib_set_int(v, ballastmib_milli(vm->r.cpu_util)); break;
	case 5: smib_set_uint(v, SMIB_UNSIGNED, vm->vcpus); break;
	case 6: smib_set_uint(v, SMIB_UNSIGNED, vm->mem_rss >> 20); break;
	case 7: smib_set_uint(v, SMIB_UNSIGNED, vm->mem_max >> 20); break;
	case 8:
		util_uuid_fmt(vm->uuid, u);
		smib_set_str(v, u);
		break;
	default: return -1;
	}
	return 0;
}

/* --- recent migrations, by (epoch, number) --- */

static int
bm_u64_cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static size_t
bm_mig_rows(void *arg)
{
	struct ballastmib	*bm = arg;
	const struct executor	*ex;
	size_t			 n, i;
	int64_t			 now = util_now_mono_ms();

	if (bm->bal == NULL)
		return 0;
	if (bm->migs_ms != 0 && now - bm->migs_ms < 250)
		return bm->nmigs;
	ex = balance_executor(bm->bal);
	n = executor_count(ex);
	if (n > EXECUTOR_KEEP)
		n = EXECUTOR_KEEP;
	for (i = 0; i < n; i++)
		bm->migs[i] = executor_at(ex, i)->id;
	qsort(bm->migs, n, sizeof(*bm->migs), bm_u64_cmp);
	bm->nmigs = n;
	bm->migs_ms = now;
	return n;
}

static size_t
bm_mig_index(void *arg, size_t row, smib_oid *idx)
{
	struct ballastmib	*bm = arg;

	idx[0] = (smib_oid)(bm->migs[row] >> 32);
	idx[1] = (smib_oid)(bm->migs[row] & 0xffffffffu);
	return 2;
}

static int
bm_mig_cell(void *arg, size_t row, unsigned col, struct smib_val *v)
{
	struct ballastmib	*bm = arg;
	const struct migration	*g;
	int64_t			 end;

	g = executor_find(balance_executor(bm->bal), bm->migs[row]);
	if (g == NULL)
		return -1;
	switch (col) {
	case 3: smib_set_str(v, g->vm_name); break;
	case 4: smib_set_str(v, g->src_name); break;
	case 5: smib_set_str(v, g->dst_name); break;
	case 6: smib_set_int(v, (int)g->state + 1); break;
	case 7: smib_set_str(v, g->reason); break;
	case 8:
		end = g->ended_at ? g->ended_at : util_now_real_ms();
		smib_set_uint(v, SMIB_UNSIGNED, end > g->planned_at ?
		    (uint64_t)(end - g->planned_at) / 1000 : 0);
		break;
	case 9: smib_set_str(v, g->error); break;
	default: return -1;
	}
	return 0;
}

static void
bm_table(struct smib_table *t, const char *name, smib_oid sub, unsigned first,
    unsigned last, int entry)
{
	static const smib_oid	 root[] = { BM_ROOT };

	memcpy(t->entry, root, sizeof(root));
	t->entry_len = BM_ROOT_LEN;
	t->entry[t->entry_len++] = sub;
	if (entry)
		t->entry[t->entry_len++] = 1;
	t->name = name;
	t->first_col = first;
	t->last_col = last;
}

static void
bm_tables(struct ballastmib *bm)
{
	struct smib_table	*t = bm->t;

	bm_table(&t[BM_CLUSTER], "ballastCluster", 1, 1, 10, 0);
	t[BM_CLUSTER].rows = bm_one_row;
	t[BM_CLUSTER].index = bm_zero_index;
	t[BM_CLUSTER].cell = bm_cluster_cell;
	bm_table(&t[BM_HOSTS], "ballastHostTable", 2, 2, 12, 1);
	t[BM_HOSTS].rows = bm_host_rows;
	t[BM_HOSTS].index = bm_host_index;
	t[BM_HOSTS].cell = bm_host_cell;
	bm_table(&t[BM_VMS], "ballastVmTable", 3, 2, 8, 1);
	t[BM_VMS].rows = bm_vm_rows;
	t[BM_VMS].index = bm_vm_index;
	t[BM_VMS].cell = bm_vm_cell;
	bm_table(&t[BM_MIGS], "ballastMigTable", 4, 3, 9, 1);
	t[BM_MIGS].rows = bm_mig_rows;
	t[BM_MIGS].index = bm_mig_index;
	t[BM_MIGS].cell = bm_mig_cell;
}

struct ballastmib *
ballastmib_new(const struct model *m, const struct balance *bal, char *err,
    size_t errlen)
{
	struct ballastmib	*bm;
	int			 i;

	if ((bm = calloc(1, sizeof(*bm))) == NULL ||
	    (bm->migs = calloc(EXECUTOR_KEEP, sizeof(*bm->migs))) == NULL) {
		free(bm);
		snprintf(err, errlen, "BALLAST-MIB: out of memory");
		return NULL;
	}
	bm->m = m;
	bm->bal = bal;
	bm->mcap = EXECUTOR_KEEP;
	bm_tables(bm);
	for (i = 0; i < BM_NTABLES; i++) {
		bm->t[i].arg = bm;
		if (smib_register(&bm->t[i]) < 0) {
			snprintf(err, errlen, "BALLAST-MIB: cannot register %s",
			    bm->t[i].name);
			ballastmib_free(bm);
			return NULL;
		}
	}
	return bm;
}

void
ballastmib_free(struct ballastmib *bm)
{
	if (bm == NULL)
		return;
	free(bm->uuids);
	free(bm->migs);
	free(bm);
}
