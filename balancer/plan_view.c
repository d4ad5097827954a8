/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plan_view.h"
#include "traffic.h"

static int
plan_view_grow(struct plan_view *pv, size_t nh, size_t nv)
{
	void	*a, *b;

	if (nh > pv->hcap) {
		a = reallocarray(pv->hosts, nh, sizeof(*pv->hosts));
		b = reallocarray(pv->mhosts, nh, sizeof(*pv->mhosts));
		if (a != NULL)
			pv->hosts = a;
		if (b != NULL)
			pv->mhosts = b;
		if (a == NULL || b == NULL)
			return -ENOMEM;
		pv->hcap = nh;
	}
	if (nv > pv->vcap) {
		a = reallocarray(pv->vms, nv, sizeof(*pv->vms));
		b = reallocarray(pv->mvms, nv, sizeof(*pv->mvms));
		if (a != NULL)
			pv->vms = a;
		if (b != NULL)
			pv->mvms = b;
		if (a == NULL || b == NULL)
			return -ENOMEM;
		pv->vcap = nv;
	}
	return 0;
}

static void
plan_view_host(struct plan_host *ph, const struct model_host *h,
    const struct policy *pol, const struct plan_view_hooks *hk)
{
	float	 level = (float)planner_hot_level(pol);

	memset(ph, 0, sizeof(*ph));
	ph->name = h->name;
	ph->cpu_cap = (double)h->cpus * h->cpu_mhz;
	ph->mem_cap = (double)h->mem_bytes;
	ph->cpu = h->cpu_util * ph->cpu_cap;
	ph->mem = (double)h->mem_used;
	ph->net_cap = (double)h->nic_bps / 8.0;
	ph->hot_s = rate_window_run_above(&h->cpu_win, level) *
	    (h->interval_ms / 1000u);
	ph->stale = h->stale;
	ph->maintenance = policy_sel_match(&pol->maintenance, h->name) ||
	    (hk != NULL && hk->host_maintenance != NULL &&
	    hk->host_maintenance(hk->arg, h->name));
	ph->busy = hk != NULL && hk->host_busy != NULL ?
	    hk->host_busy(hk->arg, h->uuid) : 0;
}

/* Index of a model host in the view: hosts keep the model's name order. */
static size_t
plan_view_host_index(const struct plan_view *pv, const struct model_host *h)
{
	size_t	 lo = 0, hi = pv->in.nhosts, mid;
	int	 c;

	while (h != NULL && lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = strcmp(pv->mhosts[mid]->name, h->name)) == 0)
			return pv->mhosts[mid] == h ? mid : PLAN_NONE;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return PLAN_NONE;
}

static void
plan_view_vm(struct plan_view *pv, struct plan_vm *pm, const struct model_vm *vm,
    size_t host, const struct plan_view_hooks *hk, int64_t now_ms)
{
	const struct model_host	*h = vm->host;
	double			 per = (vm->vcpus ? vm->vcpus : 1) * (double)h->cpu_mhz;

	memset(pm, 0, sizeof(*pm));
	pm->name = vm->name;
	pm->host = host;
	/* demand: what it ran plus what it waited for (vCPU delay) */
	pm->cpu = vm->r.cpu_mhz + vm->r.vcpu_delay * per;
	pm->cpu_mean = rate_window_mean(&vm->cpu_win, PLAN_VIEW_WINDOW) * per;
	pm->cpu_sd = rate_window_sd(&vm->cpu_win, PLAN_VIEW_WINDOW) * per;
	pm->cpu_peak = vm->cpu_peak * per;
	pm->mem = (double)vm->mem_rss;
	pm->net = vm->r.net_rx_bps + vm->r.net_tx_bps;
	pm->disk = vm->r.blk_rd_bps + vm->r.blk_wr_bps;
	pm->dirty_bps = (double)vm->dirty_bps;
	pm->since_move_s = vm->moved_ms ? (now_ms - vm->moved_ms) / 1000 : -1;
	pm->prev_host = plan_view_host_index(pv, vm->from_host);
	if (hk != NULL && hk->vm_failures != NULL)
		pm->failures = hk->vm_failures(hk->arg, vm->uuid, h->uuid);
	pm->movable = vm->has_rates && !h->stale &&
	    vm->state == BALLAST__V1__VM_STATE__VM_STATE_RUNNING &&
	    !(hk != NULL && hk->vm_migrating != NULL &&
	    hk->vm_migrating(hk->arg, vm->uuid));
}

/*
 * A host's counters cover its last interval, which may still hold a VM
 * that has just left: take such VMs off their old host's load (never
 * below what the VMs it runs now demand), so that a host just relieved
 * is not relieved twice.
 */
static void
plan_view_departures(struct plan_view *pv, size_t n, int64_t now_ms)
{
	const struct model_vm	*vm;
	struct plan_host	*h;
	double			 floor;
	size_t			 i, k, from;

	for (i = 0; i < n; i++) {
		vm = pv->mvms[i];
		if (vm->from_host == NULL || vm->moved_ms == 0 ||
		    now_ms - vm->moved_ms > 2 * (int64_t)vm->from_host->interval_ms)
			continue;
		if ((from = plan_view_host_index(pv, vm->from_host)) == PLAN_NONE)
			continue;
		h = &pv->hosts[from];
		for (floor = 0, k = 0; k < n; k++)
			if (pv->vms[k].host == from)
				floor += pv->vms[k].cpu;
		h->cpu = h->cpu - pv->vms[i].cpu > floor ? h->cpu - pv->vms[i].cpu : floor;
	}
}

int
plan_view_build(struct plan_view *pv, const struct model *m,
    const struct policy *pol, const struct plan_view_hooks *hk, int64_t now_ms)
{
	const struct model_host	*h;
	size_t			 nh = model_host_count(m), i, k, n = 0, rated;
	double			 demand;

	pv->in.pol = pol;
	pv->in.nhosts = pv->in.nvms = 0;
	pv->in.pairs = NULL;
	pv->in.npairs = 0;
	if (plan_view_grow(pv, nh, model_vm_count(m)) < 0)
		return -ENOMEM;
	for (i = 0; i < nh; i++) {
		h = model_host_at(m, i);
		pv->mhosts[i] = h;
		plan_view_host(&pv->hosts[i], h, pol, hk);
	}
	pv->in.nhosts = nh;
	/* VMs host by host: the host index is known without a search */
	for (i = 0; i < nh; i++) {
		h = pv->mhosts[i];
		for (k = 0, rated = 0, demand = 0; k < h->nvms; k++) {
			pv->mvms[n] = h->vms[k];
			plan_view_vm(pv, &pv->vms[n], h->vms[k], i, hk, now_ms);
			pv->hosts[i].net += pv->vms[n].net;
			pv->hosts[i].disk += pv->vms[n].disk;
			demand += pv->vms[n].cpu;
			rated += h->vms[k]->has_rates;
			n++;
		}
		/* the counters cannot show demand beyond 100 %: the VMs can */
		if (rated > 0 && demand > pv->hosts[i].cpu)
			pv->hosts[i].cpu = demand;
	}
	plan_view_departures(pv, n, now_ms);
	pv->in.hosts = pv->hosts;
	pv->in.vms = pv->vms;
	pv->in.nvms = n;
	return 0;
}

static int
plan_view_cmp_pair(const void *x, const void *y)
{
	const struct plan_pair	*a = x, *b = y;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

/* Both directions of a pair as one, at least min_bps. */
static size_t
plan_view_merge(struct plan_pair *p, size_t n, double min_bps)
{
	size_t	 i, k = 0;

	qsort(p, n, sizeof(*p), plan_view_cmp_pair);
	for (i = 0; i < n; i++) {
		if (k > 0 && p[k - 1].a == p[i].a && p[k - 1].b == p[i].b)
			p[k - 1].bps += p[i].bps;
		else
			p[k++] = p[i];
	}
	for (i = 0, n = k, k = 0; i < n; i++)
		if (p[i].bps >= min_bps)
			p[k++] = p[i];
	return k;
}

int
plan_view_traffic(struct plan_view *pv, const struct model *m,
    const struct traffic *t)
{
	const struct model_vm	*s, *d;
	struct traffic_pair	*top = NULL;
	size_t			*at = NULL, i, n, k = 0, a, b;
	int			 rc = -ENOMEM;

	pv->in.pairs = NULL;
	pv->in.npairs = 0;
	if (t == NULL || !pv->in.pol->keep_together.set)
		return 0;
	n = traffic_top(t, NULL, 0);
	if ((top = calloc(n + 1, sizeof(*top))) == NULL ||
	    (at = calloc(model_vm_count(m) + 1, sizeof(*at))) == NULL)
		goto out;
	n = traffic_top(t, top, n);
	free(pv->pairs);
	if ((pv->pairs = calloc(n + 1, sizeof(*pv->pairs))) == NULL)
		goto out;
	/* model index -> view index + 1 (0: not in the view) */
	for (i = 0; i < pv->in.nvms; i++)
		at[pv->mvms[i]->idx] = i + 1;
	for (i = 0; i < n; i++) {
		if ((s = model_vm_by_uuid(m, top[i].src)) == NULL ||
		    (d = model_vm_by_uuid(m, top[i].dst)) == NULL ||
		    at[s->idx] == 0 || at[d->idx] == 0)
			continue;
		a = at[s->idx] - 1;
		b = at[d->idx] - 1;
		pv->pairs[k++] = (struct plan_pair){ a < b ? a : b, a < b ? b : a,
		    top[i].bps };
	}
	pv->in.npairs = plan_view_merge(pv->pairs, k,
	    (double)pv->in.pol->keep_together.min_bps);
	pv->in.pairs = pv->pairs;
	rc = 0;
out:
	free(top);
	free(at);
	return rc;
}

void
plan_view_free(struct plan_view *pv)
{
	free(pv->pairs);
	free(pv->hosts);
	free(pv->vms);
	free(pv->mhosts);
	free(pv->mvms);
	memset(pv, 0, sizeof(*pv));
}
