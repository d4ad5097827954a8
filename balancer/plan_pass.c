/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_pass.h"
#include "plan_traffic.h"
#include "precopy.h"

double
pass_util(const struct pass *ps, size_t h)
{
	return ps->cpu[h] / ps->in->hosts[h].cpu_cap;
}

/* The next interval's CPU, as a normal: half now, half the recent mean. */
double
pass_vm_mu(const struct plan_vm *v)
{
	return 0.5 * v->cpu + 0.5 * v->cpu_mean;
}

/*
 * Its variance: from the recent spread, at least 5 % of the mean, and,
 * with `risk peak-weight W`, at least W times the distance from the
 * mean to the VM's peak of the last hours -- a VM idle now that ran much
 * higher lately may well run there again next interval.
 */
double
pass_vm_var(const struct pass *ps, const struct plan_vm *v)
{
	double	 mu = pass_vm_mu(v);
	double	 sd = fmax(v->cpu_sd, 0.05 * mu);

	if (v->cpu_peak > mu)
		sd = fmax(sd, ps->pol->peak_weight * (v->cpu_peak - mu));

	return sd * sd;
}

void
pass_try(struct pass *ps, size_t vm, size_t a, size_t b, double mu, int dir)
{
	const struct plan_vm	*v = &ps->in->vms[vm];
	double			 d = (double)dir;

	ps->mu[a] -= d * mu;
	ps->mu[b] += d * mu;
	ps->mem[a] -= d * v->mem;
	ps->mem[b] += d * v->mem;
	ps->net[a] -= d * v->net;
	ps->net[b] += d * v->net;
	ps->disk[a] -= d * v->disk;
	ps->disk[b] += d * v->disk;
}

void
pass_reject(struct pass *ps, size_t vm, size_t to, const char *why)
{
	struct plan	*p = ps->out;

	p->rejects_total++;
	if (p->nrejects >= PLAN_MAX_REJECTS)
		return;
	p->rejects[p->nrejects].vm = vm;
	p->rejects[p->nrejects].to = to;
	snprintf(p->rejects[p->nrejects].why, sizeof(p->rejects[0].why), "%s", why);
	p->nrejects++;
}

void
pass_note(struct pass *ps, const char *fmt, ...)
{
	struct plan	*p = ps->out;
	va_list		 ap;

	if (p->nnotes >= PLAN_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(p->notes[p->nnotes++], sizeof(p->notes[0]), fmt, ap);
	va_end(ap);
}

double
pass_imbalance(const struct pass *ps)
{
	return planner_imbalance(ps->in, ps->cpu, ps->mem, ps->net, ps->disk);
}

static int
pass_alloc(struct pass *ps)
{
	size_t	 nh = ps->nh, nv = ps->nv, nr = ps->nrules ? ps->nrules : 1;

	ps->cpu = calloc(nh, sizeof(double));
	ps->mem = calloc(nh, sizeof(double));
	ps->net = calloc(nh, sizeof(double));
	ps->disk = calloc(nh, sizeof(double));
	ps->mu = calloc(nh, sizeof(double));
	ps->var = calloc(nh, sizeof(double));
	ps->busy = calloc(nh, sizeof(unsigned));
	ps->order = calloc(nh, sizeof(size_t));
	ps->hv_start = calloc(nh + 1, sizeof(size_t));
	ps->hv = calloc(nv + 1, sizeof(size_t));
	ps->place = calloc(nv + 1, sizeof(size_t));
	ps->moved = calloc(nv + 1, 1);
	ps->pinned = calloc(nv + 1, 1);
	ps->vr_start = calloc(nv + 1, sizeof(size_t));
	ps->rule_on = calloc(nr, 1);
	ps->rule_size = calloc(nr, sizeof(size_t));
	ps->rule_count = calloc(nr * nh + 1, sizeof(unsigned));
	ps->rule_host = calloc(nr * nh + 1, 1);
	if (!ps->cpu || !ps->mem || !ps->net || !ps->disk || !ps->mu || !ps->var || !ps->busy ||
	    !ps->order || !ps->hv_start || !ps->hv || !ps->place ||
	    !ps->moved || !ps->pinned || !ps->vr_start || !ps->rule_on ||
	    !ps->rule_size || !ps->rule_count || !ps->rule_host)
		return -ENOMEM;
	return 0;
}

void
pass_free(struct pass *ps)
{
	free(ps->cpu);
	free(ps->mem);
	free(ps->net);
	free(ps->disk);
	free(ps->mu);
	free(ps->var);
	free(ps->busy);
	free(ps->order);
	free(ps->hv_start);
	free(ps->hv);
	free(ps->place);
	free(ps->moved);
	free(ps->pinned);
	free(ps->vr_start);
	free(ps->vr);
	free(ps->rule_on);
	free(ps->rule_size);
	free(ps->rule_count);
	free(ps->rule_host);
	ptraffic_free(ps);
	memset(ps, 0, sizeof(*ps));
}

/* Host -> VM lists (counting sort by host). */
static void
pass_index_hosts(struct pass *ps)
{
	size_t	 i, h, *fill = ps->order;	/* scratch until sorted */

	for (i = 0; i < ps->nv; i++)
		ps->hv_start[ps->place[i] + 1]++;
	for (h = 0; h < ps->nh; h++)
		ps->hv_start[h + 1] += ps->hv_start[h];
	memcpy(fill, ps->hv_start, ps->nh * sizeof(size_t));
	for (i = 0; i < ps->nv; i++)
		ps->hv[fill[ps->place[i]]++] = i;
}

/* Rule membership: which rules each VM is in, members per host. */
static int
pass_index_rules(struct pass *ps)
{
	const struct policy_rule *r;
	size_t			 i, k, n = 0;

	for (k = 0; k < ps->nrules; k++) {
		r = &ps->pol->rules[k];
		ps->rule_on[k] = 1;
		for (i = 0; i < ps->nh; i++)
			ps->rule_host[k * ps->nh + i] =
			    (uint8_t)policy_sel_match(&r->hosts, ps->in->hosts[i].name);
	}
	/* two passes over the VMs: count, then fill */
	for (i = 0; i < ps->nv; i++) {
		ps->vr_start[i] = n;
		for (k = 0; k < ps->nrules; k++)
			if (policy_sel_match(&ps->pol->rules[k].vms, ps->in->vms[i].name))
				n++;
	}
	ps->vr_start[ps->nv] = n;
	if ((ps->vr = calloc(n + 1, sizeof(size_t))) == NULL)
		return -ENOMEM;
	for (n = 0, i = 0; i < ps->nv; i++)
		for (k = 0; k < ps->nrules; k++)
			if (policy_sel_match(&ps->pol->rules[k].vms, ps->in->vms[i].name)) {
				ps->vr[n++] = k;
				ps->rule_count[k * ps->nh + ps->place[i]]++;
				ps->rule_size[k]++;
			}
	return 0;
}

/* Do two rules share at least two VMs (so that they can disagree)? */
static int
pass_rules_overlap(const struct pass *ps, size_t a, size_t b)
{
	size_t	 i, j, both = 0;

	for (i = 0; i < ps->nv && both < 2; i++) {
		int ia = 0, ib = 0;
		for (j = ps->vr_start[i]; j < ps->vr_start[i + 1]; j++) {
			ia |= ps->vr[j] == a;
			ib |= ps->vr[j] == b;
		}
		both += ia && ib;
	}
	return both >= 2;
}

/*
 * Settles conflicts between affinity and anti-affinity rules over the
 * same VMs as DRS does: must over should; between equals, anti-affinity
 * wins.  The loser is set aside for this pass and the plan says so.
 */
static void
pass_settle_conflicts(struct pass *ps)
{
	const struct policy_rule *a, *b, *lose;
	size_t			 i, j;

	for (i = 0; i < ps->nrules; i++) {
		a = &ps->pol->rules[i];
		if (a->kind != POLICY_AFFINITY)
			continue;
		for (j = 0; j < ps->nrules; j++) {
			b = &ps->pol->rules[j];
			if (b->kind != POLICY_ANTI_AFFINITY || !ps->rule_on[i] ||
			    !ps->rule_on[j] || !pass_rules_overlap(ps, i, j))
				continue;
			lose = a->strength == POLICY_MUST && b->strength == POLICY_SHOULD ?
			    b : a;
			ps->rule_on[lose == a ? i : j] = 0;
			pass_note(ps, "rules \"%s\" and \"%s\" conflict: \"%s\" is "
			    "set aside (%s)", a->name, b->name, lose->name,
			    lose == b ? "must over should" :
			    "anti-affinity over affinity");
		}
	}
}

static const struct pass *sort_ps;

static int
pass_cmp_load(const void *x, const void *y)
{
	double	 a = pass_util(sort_ps, *(const size_t *)x);
	double	 b = pass_util(sort_ps, *(const size_t *)y);

	return a < b ? -1 : a > b;
}

static void
pass_sort(struct pass *ps)
{
	size_t	 h;

	for (h = 0; h < ps->nh; h++)
		ps->order[h] = h;
	sort_ps = ps;
	qsort(ps->order, ps->nh, sizeof(size_t), pass_cmp_load);
	ps->order_dirty = 0;
}

/*
 * N+1 as the pass starts: could the other hosts absorb the loss of the
 * host carrying the most CPU, and of the one carrying the most memory?
 * Migrations cannot change that (they move load, they do not remove it),
 * so a shortfall is reported for the operator: add a host.
 */
static void
pass_check_n1(struct pass *ps)
{
	const struct plan_host	*h;
	size_t			 i, bc = PLAN_NONE, bm = PLAN_NONE;
	double			 lvl = planner_hot_level(ps->pol), free_c, free_m;

	for (i = 0; i < ps->nh; i++) {
		h = &ps->in->hosts[i];
		if (h->stale || h->maintenance)
			continue;
		if (bc == PLAN_NONE || h->cpu > ps->in->hosts[bc].cpu)
			bc = i;
		if (bm == PLAN_NONE || h->mem > ps->in->hosts[bm].mem)
			bm = i;
	}
	if (bc == PLAN_NONE)
		return;
	h = &ps->in->hosts[bc];
	free_c = ps->cpu_free - (h->cpu_cap * lvl - h->cpu);
	if (h->cpu > free_c)
		pass_note(ps, "N+1: the other hosts cannot absorb the loss of %s "
		    "(%.0f MHz of CPU, %.0f MHz free below the hot level elsewhere)",
		    h->name, h->cpu, free_c > 0 ? free_c : 0);
	h = &ps->in->hosts[bm];
	free_m = ps->mem_free - (h->mem_cap - h->mem);
	if (h->mem > free_m)
		pass_note(ps, "N+1: the other hosts cannot absorb the loss of %s "
		    "(%.1f GiB of memory, %.1f GiB free elsewhere)", h->name,
		    h->mem / 1073741824.0, (free_m > 0 ? free_m : 0) / 1073741824.0);
}

int
pass_init(struct pass *ps, const struct plan_input *in, struct plan *out)
{
	const struct plan_host	*h;
	size_t			 i;

	memset(ps, 0, sizeof(*ps));
	ps->in = in;
	ps->pol = in->pol;
	ps->out = out;
	ps->nh = in->nhosts;
	ps->nv = in->nvms;
	ps->nrules = in->pol->nrules;
	ps->budget = in->pol->per_pass;
	if (pass_alloc(ps) < 0)
		return -ENOMEM;
	for (i = 0; i < ps->nh; i++) {
		h = &in->hosts[i];
		ps->cpu[i] = h->cpu;
		ps->mem[i] = h->mem;
		ps->net[i] = h->net;
		ps->disk[i] = h->disk;
		ps->busy[i] = h->busy;
		if (!h->stale && !h->maintenance) {
			ps->cpu_free += h->cpu_cap * planner_hot_level(in->pol) - h->cpu;
			ps->mem_free += h->mem_cap - h->mem;
		}
	}
	for (i = 0; i < ps->nv; i++) {
		ps->place[i] = in->vms[i].host;
		ps->mu[ps->place[i]] += pass_vm_mu(&in->vms[i]);
		ps->var[ps->place[i]] += pass_vm_var(ps, &in->vms[i]);
		ps->pinned[i] = (uint8_t)policy_sel_match(&in->pol->pinned,
		    in->vms[i].name);
	}
	pass_index_hosts(ps);
	if (pass_index_rules(ps) < 0)
		return -ENOMEM;
	pass_settle_conflicts(ps);
	if (ptraffic_init(ps) < 0)
		return -ENOMEM;
	if (in->pol->reserve_n1)
		pass_check_n1(ps);
	pass_sort(ps);
	return 0;
}

const struct policy_rule *
pass_rule_broken(const struct pass *ps, size_t vm, size_t to,
    enum policy_strength strength)
{
	const struct policy_rule *r;
	size_t			 j, k, from = ps->place[vm];
	unsigned		 there;

	for (j = ps->vr_start[vm]; j < ps->vr_start[vm + 1]; j++) {
		k = ps->vr[j];
		r = &ps->pol->rules[k];
		if (!ps->rule_on[k] || r->strength != strength)
			continue;
		/* members on `to` other than vm itself */
		there = ps->rule_count[k * ps->nh + to] - (from == to);
		if ((r->kind == POLICY_VM_HOST && !ps->rule_host[k * ps->nh + to]) ||
		    (r->kind == POLICY_NOT_VM_HOST && ps->rule_host[k * ps->nh + to]) ||
		    (r->kind == POLICY_ANTI_AFFINITY && there > 0) ||
		    (r->kind == POLICY_AFFINITY && ps->rule_size[k] > 1 && there == 0))
			return r;
	}
	return NULL;
}

const char *
pass_why_stay(const struct pass *ps, size_t vm, int evacuating)
{
	const struct plan_vm	*v = &ps->in->vms[vm];
	const struct policy	*pol = ps->pol;
	double			 t, down;

	if (!v->movable)
		return "not movable now (not running, not reporting, or migrating)";
	if (ps->moved[vm])
		return "already moved in this pass";
	if (ps->pinned[vm])
		return "pinned by the policy";
	if (!evacuating && v->since_move_s >= 0 &&
	    v->since_move_s < (int64_t)pol->cooldown_s)
		return "in its cooldown after a recent move";
	if (!evacuating && v->failures > pol->retries)
		return "its migrations from this host failed more often than "
		    "the policy's retries allow: given up";
	if (ps->busy[ps->place[vm]] >= pol->per_host)
		return "its host already runs its concurrent migrations";
	if (precopy_predict(v->mem, v->dirty_bps, (double)pol->bandwidth,
	    pol->max_downtime_ms / 1000.0, &t, &down) < 0)
		return "it dirties memory faster than the migration bandwidth";
	if (down * 1000.0 > pol->max_downtime_ms)
		return "predicted downtime above max-downtime";
	return NULL;
}

/* N+1: after the move, could the rest absorb the destination's load? */
static int
pass_n1_ok(const struct pass *ps, size_t to, double cpu, double mem)
{
	const struct plan_host	*h = &ps->in->hosts[to];
	double			 dcpu = ps->cpu[to] + cpu, dmem = ps->mem[to] + mem;
	double			 lvl = planner_hot_level(ps->pol);

	return dcpu <= ps->cpu_free - (h->cpu_cap * lvl - dcpu) &&
	    dmem <= ps->mem_free - (h->mem_cap - dmem);
}

const char *
pass_why_not(const struct pass *ps, size_t vm, size_t to, double cpu_need,
    char *buf, size_t len)
{
	const struct plan_vm	*v = &ps->in->vms[vm];
	const struct plan_host	*h = &ps->in->hosts[to];
	const struct policy	*pol = ps->pol;
	const struct policy_rule *r;

	if (to == ps->place[vm])
		return "already there";
	if (h->stale)
		return "destination is stale";
	if (h->maintenance)
		return "destination is in maintenance";
	if (pass_util(ps, to) > planner_hot_level(pol))
		return "destination is hot";
	if (ps->busy[to] >= pol->per_host)
		return "destination already runs its concurrent migrations";
	if (ps->cpu[to] + cpu_need > (planner_hot_level(pol) -
	    pol->reserve[POLICY_CPU]) * h->cpu_cap)
		return "destination CPU would pass the hot level";
	if (ps->mem[to] + v->mem > (1.0 - pol->mem_headroom -
	    pol->reserve[POLICY_MEM]) * h->mem_cap)
		return "destination memory would pass capacity less headroom";
	if (pol->reserve_n1 && !pass_n1_ok(ps, to, cpu_need, v->mem))
		return "N+1: the rest could not absorb the destination's loss";
	if ((r = pass_rule_broken(ps, vm, to, POLICY_MUST)) != NULL) {
		if (buf == NULL)
			return "a must rule";
		snprintf(buf, len, "must rule \"%s\"", r->name);
		return buf;
	}
	return NULL;
}

void
pass_order(struct pass *ps)
{
	if (ps->order_dirty)
		pass_sort(ps);
}

size_t
pass_best_dest(struct pass *ps, size_t vm, double cpu_need, int record)
{
	const struct plan_vm	*v = &ps->in->vms[vm];
	const char		*why;
	char			 buf[96];
	size_t			 k, d, tries = 0, best = PLAN_NONE;
	double			 score, best_score = -INFINITY;

	pass_order(ps);
	for (k = 0; k < ps->nh && tries < PLAN_DEST_TRIES; k++) {
		d = ps->order[k];
		if ((why = pass_why_not(ps, vm, d, cpu_need, buf, sizeof(buf))) != NULL) {
			if (record && d != ps->place[vm])
				pass_reject(ps, vm, d, why);
			continue;
		}
		tries++;
		score = 1.0 - (ps->cpu[d] + cpu_need) / ps->in->hosts[d].cpu_cap;
		if (pass_rule_broken(ps, vm, d, POLICY_SHOULD) != NULL)
			score -= 1.0;	/* a soft rule costs, but may yield */
		if (v->prev_host == d)
			score -= 0.5;	/* no ping-pong */
		if (ps->tr != NULL)
			score += ptraffic_score(ps, vm, d);
		if (score > best_score) {
			best_score = score;
			best = d;
		}
	}
	return best;
}

static int
pass_grow(struct plan *p)
{
	struct plan_move	*nm;
	size_t			 ncap;

	if (p->nmoves < p->cap)
		return 0;
	ncap = p->cap ? p->cap * 2 : 16;
	if ((nm = reallocarray(p->moves, ncap, sizeof(*nm))) == NULL)
		return -ENOMEM;
	p->moves = nm;
	p->cap = ncap;
	return 0;
}

/* Moves vm's load and memberships from one host to another. */
static void
pass_shift(struct pass *ps, size_t vm, size_t from, size_t to)
{
	const struct plan_vm	*v = &ps->in->vms[vm];
	size_t			 j;

	ps->cpu[from] -= v->cpu;
	ps->mem[from] -= v->mem;
	ps->cpu[to] += v->cpu;
	ps->mem[to] += v->mem;
	ps->net[from] -= v->net;
	ps->net[to] += v->net;
	ps->disk[from] -= v->disk;
	ps->disk[to] += v->disk;
	ps->mu[from] -= pass_vm_mu(v);
	ps->var[from] -= pass_vm_var(ps, v);
	ps->mu[to] += pass_vm_mu(v);
	ps->var[to] += pass_vm_var(ps, v);
	for (j = ps->vr_start[vm]; j < ps->vr_start[vm + 1]; j++) {
		ps->rule_count[ps->vr[j] * ps->nh + from]--;
		ps->rule_count[ps->vr[j] * ps->nh + to]++;
	}
	ps->place[vm] = to;
	ps->order_dirty = 1;
}

void
pass_undo(struct pass *ps)
{
	const struct plan_move	*m;

	if (ps->out->nmoves == 0)
		return;
	m = &ps->out->moves[--ps->out->nmoves];
	pass_shift(ps, m->vm, m->to, m->from);
	ps->moved[m->vm] = 0;
	ps->busy[m->from]--;
	ps->busy[m->to]--;
	ps->budget++;
}

int
pass_commit(struct pass *ps, size_t vm, size_t to, enum plan_reason why,
    const char *rule)
{
	const struct plan_vm	*v = &ps->in->vms[vm];
	const struct policy	*pol = ps->pol;
	struct plan_move	*m;
	size_t			 from = ps->place[vm];

	if (pass_grow(ps->out) < 0)
		return -ENOMEM;
	m = &ps->out->moves[ps->out->nmoves++];
	memset(m, 0, sizeof(*m));
	m->vm = vm;
	m->from = from;
	m->to = to;
	m->reason = why;
	m->for_vm = PLAN_NONE;
	if (rule != NULL)
		snprintf(m->rule, sizeof(m->rule), "%s", rule);
	m->src_before = pass_util(ps, from);
	m->dst_before = pass_util(ps, to);
	m->imb_before = pass_imbalance(ps);
	ptraffic_note(ps, m);
	pass_shift(ps, vm, from, to);
	ps->moved[vm] = 1;
	ps->busy[from]++;
	ps->busy[to]++;
	ps->budget--;
	m->src_after = pass_util(ps, from);
	m->dst_after = pass_util(ps, to);
	m->imb_after = pass_imbalance(ps);
	precopy_predict(v->mem, v->dirty_bps, (double)pol->bandwidth,
	    pol->max_downtime_ms / 1000.0, &m->time_s, &m->downtime_s);
	return 0;
}
