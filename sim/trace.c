/* SPDX-License-Identifier: ISC */
/*
 * trace: loads GWA-T-12 Bitbrains per-VM CSV files onto fixed slots.
 *
 * The loader: trace_read.c reads each file whole into one reusable
 * buffer, trace_csv.c parses it into a VM; here the VMs are kept (the
 * lowest file numbers up to max_vms), re-aligned on the set's common
 * slot0 and handed over as a set.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "trace_priv.h"
#include "util.h"

#define TRACE_SLOT_S	300		/* Bitbrains samples every 300 s */

void
trace_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}
/* Adds b's counters to a. */
static void
trace_stats_add(struct trace_stats *a, const struct trace_stats *b)
{
	a->files += b->files;
	a->rows += b->rows;
	a->used += b->used;
	a->bad_fields += b->bad_fields;
	a->negative += b->negative;
	a->zero_cores += b->zero_cores;
	a->out_of_order += b->out_of_order;
	a->empty_files += b->empty_files;
}

/* Takes b's counters (a part of a) away from a. */
static void
trace_stats_sub(struct trace_stats *a, const struct trace_stats *b)
{
	a->files -= b->files;
	a->rows -= b->rows;
	a->used -= b->used;
	a->bad_fields -= b->bad_fields;
	a->negative -= b->negative;
	a->zero_cores -= b->zero_cores;
	a->out_of_order -= b->out_of_order;
	a->empty_files -= b->empty_files;
}

int
trace_loader_wants(struct trace_loader *ld, unsigned num)
{
	size_t	 i;
	unsigned hi = 0;

	for (i = 0; i < ld->nparts; i++) {
		if (ld->parts[i].vm.number == num) {
			trace_err(ld->err, ld->errlen, "%s: two files %u.csv",
			    ld->path, num);
			return -EEXIST;
		}
		if (ld->parts[i].vm.number > hi)
			hi = ld->parts[i].vm.number;
	}
	if (ld->max_vms > 0 && ld->nparts >= ld->max_vms && num > hi)
		return 0;
	return 1;
}

/* Index of the part with the highest file number (nparts > 0). */
static size_t
trace_loader_highest(const struct trace_loader *ld)
{
	size_t	 i, hi = 0;

	for (i = 1; i < ld->nparts; i++)
		if (ld->parts[i].vm.number > ld->parts[hi].vm.number)
			hi = i;
	return hi;
}

/* Places a parsed part, evicting the highest number beyond max_vms. */
static int
trace_loader_keep(struct trace_loader *ld, const struct trace_part *p)
{
	struct trace_part	*np;
	size_t			 i, ncap;

	if (ld->max_vms > 0 && ld->nparts >= ld->max_vms) {
		i = trace_loader_highest(ld);
		trace_vm_release(&ld->parts[i].vm);
		ld->parts[i] = *p;
		return 0;
	}
	if (ld->nparts == ld->partcap) {
		ncap = ld->partcap > 0 ? ld->partcap * 2 : 64;
		np = reallocarray(ld->parts, ncap, sizeof(*np));
		if (np == NULL)
			return -ENOMEM;
		ld->parts = np;
		ld->partcap = ncap;
	}
	ld->parts[ld->nparts++] = *p;
	return 0;
}

int
trace_loader_add(struct trace_loader *ld, unsigned num)
{
	struct trace_part	 p;
	int			 rc;

	memset(&p, 0, sizeof(p));
	p.vm.number = num;
	snprintf(p.vm.name, sizeof(p.vm.name), "vm-%u", num);
	p.st.files = 1;
	rc = trace_parse_csv(ld->buf, ld->buflen, TRACE_SLOT_S, &p.vm,
	    &p.first, &p.n, &p.st);
	if (rc == -ENODATA) {
		p.st.empty_files = 1;
		trace_stats_add(&ld->st, &p.st);
		return 0;
	}
	if (rc != 0) {
		trace_err(ld->err, ld->errlen, "%s: %u.csv: %s", ld->path,
		    num, strerror(-rc));
		return rc;
	}
	if (ld->max_vms > 0 && ld->nparts >= ld->max_vms)
		trace_stats_sub(&ld->st,
		    &ld->parts[trace_loader_highest(ld)].st);
	if ((rc = trace_loader_keep(ld, &p)) != 0) {
		trace_vm_release(&p.vm);
		trace_err(ld->err, ld->errlen, "%s: out of memory", ld->path);
		return rc;
	}
	trace_stats_add(&ld->st, &p.st);
	return 0;
}

static int
trace_part_cmp(const void *a, const void *b)
{
	const struct trace_part	*pa = a, *pb = b;

	if (pa->vm.number != pb->vm.number)
		return pa->vm.number < pb->vm.number ? -1 : 1;
	return 0;
}

/* Moves a part's arrays onto [slot0, slot0 + nslots). */
static int
trace_part_align(struct trace_part *p, int64_t slot0, size_t nslots)
{
	struct trace_vm	 nv;
	size_t		 off = (size_t)(p->first - slot0);
	int		 m;

	if (off == 0 && p->n == nslots)
		return 0;
	memset(&nv, 0, sizeof(nv));
	for (m = 0; m < TRACE_NMETRICS; m++)
		if ((nv.v[m] = calloc(nslots, sizeof(float))) == NULL)
			goto fail;
	if ((nv.present = calloc(nslots, 1)) == NULL)
		goto fail;
	for (m = 0; m < TRACE_NMETRICS; m++) {
		memcpy(nv.v[m] + off, p->vm.v[m], p->n * sizeof(float));
		free(p->vm.v[m]);
		p->vm.v[m] = nv.v[m];
	}
	memcpy(nv.present + off, p->vm.present, p->n);
	free(p->vm.present);
	p->vm.present = nv.present;
	p->first = slot0;
	p->n = nslots;
	return 0;
fail:
	trace_vm_release(&nv);
	return -ENOMEM;
}

/* Sorts, aligns and hands the parts over as a set. */
static int
trace_loader_finish(struct trace_loader *ld, struct trace_set *set)
{
	int64_t	 lo, hi;
	size_t	 i;

	qsort(ld->parts, ld->nparts, sizeof(*ld->parts), trace_part_cmp);
	lo = ld->parts[0].first;
	hi = lo + (int64_t)ld->parts[0].n - 1;
	for (i = 1; i < ld->nparts; i++) {
		if (ld->parts[i].first < lo)
			lo = ld->parts[i].first;
		if (ld->parts[i].first + (int64_t)ld->parts[i].n - 1 > hi)
			hi = ld->parts[i].first + (int64_t)ld->parts[i].n - 1;
	}
	if ((uint64_t)(hi - lo) >= TRACE_MAX_SLOTS) {
		trace_err(ld->err, ld->errlen, "%s: files span more than %zu "
		    "slots", ld->path, TRACE_MAX_SLOTS);
		return -E2BIG;
	}
	set->vms = calloc(ld->nparts, sizeof(*set->vms));
	if (set->vms == NULL)
		goto nomem;
	for (i = 0; i < ld->nparts; i++) {
		if (trace_part_align(&ld->parts[i], lo,
		    (size_t)(hi - lo) + 1) != 0)
			goto nomem;
	}
	for (i = 0; i < ld->nparts; i++)
		set->vms[i] = ld->parts[i].vm;
	set->nvms = ld->nparts;
	ld->nparts = 0;
	set->slot0 = lo;
	set->nslots = (size_t)(hi - lo) + 1;
	set->slot_s = TRACE_SLOT_S;
	set->stats = ld->st;
	util_strlcpy(set->source, ld->path, sizeof(set->source));
	return 0;
nomem:
	trace_err(ld->err, ld->errlen, "%s: out of memory", ld->path);
	return -ENOMEM;
}


/*
 * With max_vms, files beyond the limit met after it is reached are
 * not read; the stats cover the kept VMs and the empty files read.
 */
int
trace_load(const char *path, size_t max_vms, struct trace_set **out,
    char *err, size_t errlen)
{
	struct trace_loader	 ld;
	struct trace_set	*set = NULL;
	size_t			 i;
	int			 rc;

	*out = NULL;
	trace_err(err, errlen, "%s", "");
	if (path == NULL || *path == '\0') {
		trace_err(err, errlen, "no trace path");
		return -EINVAL;
	}
	memset(&ld, 0, sizeof(ld));
	ld.path = path;
	ld.max_vms = max_vms;
	ld.err = err;
	ld.errlen = errlen;
	if ((rc = trace_loader_read(&ld)) != 0)
		goto done;
	if (ld.nparts == 0) {
		rc = ld.seen == 0 ? -ENOENT : -ENODATA;
		trace_err(err, errlen, ld.seen == 0 ? "%s: no N.csv file" :
		    "%s: no usable row in any N.csv file", path);
		goto done;
	}
	if ((set = calloc(1, sizeof(*set))) == NULL) {
		trace_err(err, errlen, "%s: out of memory", path);
		rc = -ENOMEM;
		goto done;
	}
	if ((rc = trace_loader_finish(&ld, set)) == 0) {
		*out = set;
		set = NULL;
	}
done:
	trace_free(set);
	for (i = 0; i < ld.nparts; i++)
		trace_vm_release(&ld.parts[i].vm);
	free(ld.parts);
	free(ld.buf);
	return rc;
}

double
trace_value(const struct trace_set *set, size_t i, enum trace_metric m,
    int64_t slot)
{
	const float	*v;

	if (set == NULL || i >= set->nvms || (unsigned)m >= TRACE_NMETRICS ||
	    slot < set->slot0 || (uint64_t)(slot - set->slot0) >= set->nslots)
		return 0;
	if ((v = set->vms[i].v[m]) == NULL)
		return 0;
	return v[slot - set->slot0];
}

void
trace_free(struct trace_set *set)
{
	size_t	 i;

	if (set == NULL)
		return;
	for (i = 0; set->vms != NULL && i < set->nvms; i++)
		trace_vm_release(&set->vms[i]);
	free(set->vms);
	free(set);
}
