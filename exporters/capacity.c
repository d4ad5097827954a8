/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capacity.h"
#include "capscen.h"
#include "util.h"

const char *
cap_res_title(int r)
{
	static const char *const t[CAPH_NRES] = {
		"CPU", "memory", "disk I/O", "network",
	};

	return r >= 0 && r < CAPH_NRES ? t[r] : "?";
}

void
cap_report_free(struct cap_report *rep)
{
	size_t	 i, r;

	if (rep == NULL)
		return;
	for (r = 0; r < CAPH_NRES; r++)
		capfc_free(&rep->fc[r]);
	for (i = 0; i < rep->nhostfc * CAPH_NRES; i++)
		capfc_free(&rep->hostfc[i]);
	free(rep->hostfc);
	free(rep->hostname);
	capscen_free(&rep->base);
	capscen_free(&rep->wi);
	free(rep);
}

/* The cluster's demand: per row, the sum of the hosts that are known. */
static int
cap_cluster_series(const struct caph *h, enum caph_res r, double **out)
{
	double	*v;
	size_t	 i, j;

	if ((v = malloc((h->n ? h->n : 1) * sizeof(*v))) == NULL)
		return -ENOMEM;
	for (i = 0; i < h->n; i++) {
		v[i] = NAN;
		for (j = 0; j < h->nhosts; j++)
			if (isfinite(h->hosts[j].use[r][i]))
				v[i] = (isnan(v[i]) ? 0.0 : v[i]) +
				    h->hosts[j].use[r][i];
	}
	*out = v;
	return 0;
}

static void
cap_tell(cap_progress cb, void *arg, size_t done, size_t total)
{
	if (cb != NULL)
		cb(arg, "forecasts", done, total);
}

/* The cluster's forecasts and every current host's. */
static int
cap_forecasts(const struct caph *h, struct cap_report *rep,
    cap_progress cb, void *arg)
{
	double	*v;
	size_t	 i, k = 0, r, done = 0, total;
	int	 rc;

	for (i = 0; i < h->nhosts; i++)
		rep->nhostfc += h->hosts[i].current != 0;
	total = (rep->nhostfc + 1) * CAPH_NRES;
	rep->hostfc = calloc(rep->nhostfc * CAPH_NRES + 1,
	    sizeof(*rep->hostfc));
	rep->hostname = calloc(rep->nhostfc + 1, sizeof(*rep->hostname));
	if (rep->hostfc == NULL || rep->hostname == NULL)
		return -ENOMEM;
	for (r = 0; r < CAPH_NRES; r++) {
		if ((rc = cap_cluster_series(h, (enum caph_res)r, &v)) < 0)
			return rc;
		rc = capfc_make(v, h->n, h->step, rep->horizon, &rep->fc[r]);
		free(v);
		if (rc < 0)
			return rc;
		cap_tell(cb, arg, ++done, total);
	}
	for (i = 0; i < h->nhosts; i++) {
		if (!h->hosts[i].current)
			continue;
		memcpy(rep->hostname[k], h->hosts[i].name, CAPH_NAME_LEN);
		for (r = 0; r < CAPH_NRES; r++) {
			if ((rc = capfc_make(h->hosts[i].use[r], h->n, h->step,
			    rep->horizon, &rep->hostfc[k * CAPH_NRES + r])) < 0)
				return rc;
			cap_tell(cb, arg, ++done, total);
		}
		k++;
	}
	return 0;
}

static int
cap_dcmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of the current VMs' 95th percentiles of one resource. */
static double
cap_median_vm(const struct caph *h, enum caph_res r)
{
	double	*v, m;
	size_t	 i, k = 0;

	if ((v = malloc((h->nvms ? h->nvms : 1) * sizeof(*v))) == NULL)
		return NAN;
	for (i = 0; i < h->nvms; i++)
		if (h->vms[i].current && isfinite(h->vms[i].p95[r]))
			v[k++] = h->vms[i].p95[r];
	if (k == 0) {
		free(v);
		return NAN;
	}
	qsort(v, k, sizeof(*v), cap_dcmp);
	m = k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2.0;
	free(v);
	return m;
}

/* The slot: --slot, else the median current VM (CPU and memory). */
static void
cap_slot(const struct caph *h, struct cap_report *rep)
{
	double	 c, m;

	if (rep->opts.slot_set) {
		rep->slot = rep->opts.slot;
		rep->slot_known = 1;
		util_strlcpy(rep->slot_label, rep->opts.slot_label,
		    sizeof(rep->slot_label));
		return;
	}
	c = cap_median_vm(h, CAPH_CPU);
	m = cap_median_vm(h, CAPH_MEM);
	if (!isfinite(c) || !isfinite(m) || (c <= 0.0 && m <= 0.0))
		return;
	memset(&rep->slot, 0, sizeof(rep->slot));
	rep->slot.v[CAPH_CPU] = c;
	rep->slot.v[CAPH_MEM] = m;
	rep->slot_known = 1;
	util_strlcpy(rep->slot_label, "the median VM",
	    sizeof(rep->slot_label));
}

/* A VM by name (a current one first) or by UUID; NULL if none. */
static const struct caph_vm *
cap_find_vm(const struct caph *h, const char *name)
{
	const struct caph_vm	*hit = NULL;
	size_t			 i;

	for (i = 0; i < h->nvms; i++)
		if (strcmp(h->vms[i].name, name) == 0 ||
		    strcasecmp(h->vms[i].uuid, name) == 0) {
			if (h->vms[i].current)
				return &h->vms[i];
			if (hit == NULL)
				hit = &h->vms[i];
		}
	return hit;
}

/* --add-like: the VM's 95th percentiles become the size. */
static int
cap_resolve_like(const struct caph *h, struct cap_whatif *wi, char *err,
    size_t errlen)
{
	const struct caph_vm	*vm;
	size_t			 i, r;

	for (i = 0; i < wi->nadd; i++) {
		if (wi->add[i].like[0] == '\0')
			continue;
		if ((vm = cap_find_vm(h, wi->add[i].like)) == NULL) {
			snprintf(err, errlen, "--add-like: no VM named \"%s\" "
			    "in the history", wi->add[i].like);
			return -EINVAL;
		}
		for (r = 0; r < CAPH_NRES; r++)
			wi->add[i].size.v[r] = isfinite(vm->p95[r]) ?
			    vm->p95[r] : 0.0;
	}
	return 0;
}

/* --remove-host: each must be a current host, and one must remain. */
static int
cap_check_removals(const struct caph *h, const struct cap_whatif *wi,
    char *err, size_t errlen)
{
	size_t	 i, j, current = 0, gone = 0;

	for (j = 0; j < h->nhosts; j++)
		current += h->hosts[j].current != 0;
	for (i = 0; i < wi->nremove; i++) {
		for (j = 0; j < h->nhosts; j++)
			if (h->hosts[j].current &&
			    strcmp(h->hosts[j].name, wi->remove[i]) == 0)
				break;
		if (j == h->nhosts) {
			snprintf(err, errlen, "--remove-host: no current host "
			    "named \"%s\"", wi->remove[i]);
			return -EINVAL;
		}
		gone++;
	}
	for (i = 0; i < wi->nnewhost; i++)
		current += wi->newhost[i].count;
	if (gone >= current) {
		snprintf(err, errlen, "the what-if removes every host");
		return -EINVAL;
	}
	return 0;
}

static int
cap_has_whatif(const struct cap_whatif *wi)
{
	return wi->nadd > 0 || wi->nremove > 0 || wi->nnewhost > 0;
}

/* Counts, the overall forecast verdict and the note on skipped files. */
static void
cap_describe(const struct caph *h, struct cap_report *rep)
{
	size_t	 i;

	for (i = 0; i < h->nhosts; i++) {
		rep->hosts_current += h->hosts[i].current != 0;
		rep->hosts_gone += h->hosts[i].current == 0;
	}
	for (i = 0; i < h->nvms; i++)
		rep->vms_current += h->vms[i].current != 0;
	rep->history_days = rep->fc[CAPH_CPU].history_days;
	rep->forecast_ok = rep->fc[CAPH_CPU].ok && rep->fc[CAPH_MEM].ok;
	if (!rep->forecast_ok)
		util_strlcpy(rep->forecast_why, rep->fc[CAPH_CPU].ok ?
		    rep->fc[CAPH_MEM].why : rep->fc[CAPH_CPU].why,
		    sizeof(rep->forecast_why));
	if (h->skipped > 0)
		snprintf(rep->note, sizeof(rep->note), "%zu file%s could not "
		    "be read, e.g. %s", h->skipped, h->skipped == 1 ? "" : "s",
		    h->skipped_why);
}

int
cap_compute(const struct caph *h, const struct cap_opts *o, cap_progress cb,
    void *arg, struct cap_report **out, char *err, size_t errlen)
{
	struct cap_report	*rep;
	int			 rc;

	*out = NULL;
	if ((rep = calloc(1, sizeof(*rep))) == NULL)
		return -ENOMEM;
	rep->opts = *o;
	rep->end = h->end;
	rep->step = h->step;
	rep->start = h->end - (time_t)(h->n * h->step);
	rep->horizon = o->horizon_s > 86400 ? (size_t)(o->horizon_s / 86400) :
	    1;
	if ((rc = cap_resolve_like(h, &rep->opts.wi, err, errlen)) < 0 ||
	    (rc = cap_check_removals(h, &rep->opts.wi, err, errlen)) < 0)
		goto fail;
	if ((rc = cap_forecasts(h, rep, cb, arg)) < 0)
		goto fail;
	cap_describe(h, rep);
	if (rep->hosts_current == 0) {
		snprintf(err, errlen, "no host has reported in the last hour "
		    "of the history (it ends %lld)", (long long)h->end);
		rc = -ENOENT;
		goto fail;
	}
	cap_slot(h, rep);
	if ((rc = capscen_build(rep, h, NULL, &rep->base)) < 0)
		goto fail;
	rep->has_whatif = cap_has_whatif(&rep->opts.wi);
	if (rep->has_whatif &&
	    (rc = capscen_build(rep, h, &rep->opts.wi, &rep->wi)) < 0)
		goto fail;
	*out = rep;
	return 0;
fail:
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory computing the report");
	cap_report_free(rep);
	return rc;
}
