/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan_pass.h"
#include "plan_traffic.h"
#include "planner.h"

const char *
plan_reason_name(enum plan_reason r)
{
	static const char *const names[] = {
		"maintenance", "rule", "hot", "risk", "imbalance", "traffic",
		"room"
	};

	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] :
	    "unknown";
}

double
planner_hot_level(const struct policy *pol)
{
	return pol->hot[POLICY_CPU].set ? pol->hot[POLICY_CPU].level : 1.0;
}

/*
 * Coefficient of variation of v[h] / cap(h) over non-stale hosts; -1
 * when no host uses the resource at all (it then does not count).
 */
static double
cv_of(const struct plan_input *in, const double *v, int res)
{
	const struct plan_host	*h;
	double			 s = 0, q = 0, n = 0, u, cap, mean;
	size_t			 i;

	for (i = 0; i < in->nhosts; i++) {
		h = &in->hosts[i];
		if (h->stale)
			continue;
		cap = res == POLICY_CPU ? h->cpu_cap : res == POLICY_MEM ?
		    h->mem_cap : res == POLICY_NET && h->net_cap > 0 ? h->net_cap : 1;
		u = v[i] / cap;
		s += u;
		q += u * u;
		n++;
	}
	if (n == 0 || s <= 0)
		return -1;
	mean = s / n;
	return sqrt(fmax(0, q / n - mean * mean)) / mean;
}

double
planner_imbalance(const struct plan_input *in, const double *cpu,
    const double *mem, const double *net, const double *disk)
{
	const double	*w = in->pol->weight;
	const double	*v[POLICY_NRES] = { cpu, mem, net, disk };
	double		 cv = 0, wsum = 0, c;
	int		 r;

	for (r = 0; r < POLICY_NRES; r++) {
		if (w[r] <= 0 || v[r] == NULL || (c = cv_of(in, v[r], r)) < 0)
			continue;
		cv += w[r] * c;
		wsum += w[r];
	}
	return wsum > 0 ? cv / wsum : 0;
}

/* Maintenance: every VM leaves; the cooldown does not hold it back. */
static int
evacuate(struct pass *ps)
{
	const char	*why;
	size_t		 i, d;

	for (i = 0; i < ps->nv && ps->budget > 0; i++) {
		if (!ps->in->hosts[ps->place[i]].maintenance)
			continue;
		if ((why = pass_why_stay(ps, i, 1)) != NULL) {
			pass_reject(ps, i, PLAN_NONE, why);
			continue;
		}
		if ((d = pass_best_dest(ps, i, ps->in->vms[i].cpu, 1)) == PLAN_NONE)
			continue;
		if (pass_commit(ps, i, d, PLAN_MAINTENANCE, NULL) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* VMs whose host breaks a must rule go where it holds. */
static int
repair_rules(struct pass *ps)
{
	const struct policy_rule *r;
	const char		*why;
	size_t			 i, d;

	for (i = 0; i < ps->nv && ps->budget > 0; i++) {
		if (ps->vr_start[i] == ps->vr_start[i + 1] ||
		    (r = pass_rule_broken(ps, i, ps->place[i], POLICY_MUST)) == NULL)
			continue;
		/* only emptying a host overrides the cooldown */
		if ((why = pass_why_stay(ps, i, 0)) != NULL) {
			pass_note(ps, "must rule \"%s\" is broken by %s, which "
			    "stays: %s", r->name, ps->in->vms[i].name, why);
			continue;
		}
		if ((d = pass_best_dest(ps, i, ps->in->vms[i].cpu, 1)) == PLAN_NONE) {
			pass_note(ps, "must rule \"%s\" is broken by %s and no host "
			    "can take it now", r->name, ps->in->vms[i].name);
			continue;
		}
		if (pass_commit(ps, i, d, PLAN_RULE, r->name) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* CPU a host can still take below its hot level less its reserve. */
static double
cpu_room(const struct pass *ps, size_t d)
{
	return (planner_hot_level(ps->pol) - ps->pol->reserve[POLICY_CPU]) *
	    ps->in->hosts[d].cpu_cap - ps->cpu[d];
}

/* A host other than h and d that takes vm u now; PLAN_NONE if none. */
static size_t
third_host(struct pass *ps, size_t u, size_t h, size_t d)
{
	const struct plan_vm	*v = &ps->in->vms[u];
	size_t			 t, e;

	for (t = 0; t < ps->nh && t < PLAN_DEST_TRIES; t++) {
		e = ps->order[t];
		if (e == h || e == d || pass_why_not(ps, u, e,
		    fmax(v->cpu, v->cpu_mean), NULL, 0) != NULL ||
		    pass_rule_broken(ps, u, e, POLICY_SHOULD) != NULL)
			continue;
		return e;
	}
	return PLAN_NONE;
}

/*
 * The smallest VM on d whose leaving makes room for `need` MHz and
 * `mem` bytes more, with a third host to take it (in *to).
 */
static size_t
evictee(struct pass *ps, size_t d, size_t h, double need, double mem,
    size_t *to)
{
	const struct plan_vm	*u;
	const double		 mlim = (1.0 - ps->pol->mem_headroom -
	    ps->pol->reserve[POLICY_MEM]) * ps->in->hosts[d].mem_cap;
	size_t			 k, i, e, best = PLAN_NONE;
	double			 short_ = need - cpu_room(ps, d);

	for (k = ps->hv_start[d]; k < ps->hv_start[d + 1]; k++) {
		i = ps->hv[k];
		u = &ps->in->vms[i];
		if (ps->place[i] != d || u->cpu < short_ || u->cpu >= need ||
		    ps->mem[d] - u->mem + mem > mlim ||
		    (best != PLAN_NONE && u->cpu >= ps->in->vms[best].cpu) ||
		    pass_why_stay(ps, i, 0) != NULL)
			continue;
		if ((e = third_host(ps, i, h, d)) != PLAN_NONE) {
			best = i;
			*to = e;
		}
	}
	return best;
}

/*
 * make-room: moves vm off hot host h to a host d that lacks the room
 * until one smaller VM of d's goes to a third host.  Both moves or
 * neither.  Returns 1 when made, 0 when no such pair, -ENOMEM.
 */
static int
room_for(struct pass *ps, size_t vm, size_t h)
{
	const struct plan_vm	*v = &ps->in->vms[vm];
	double			 need = fmax(v->cpu, v->cpu_mean);
	size_t			 t, d, u, e = PLAN_NONE, tries;

	pass_order(ps);
	for (t = 0, tries = 0; t < ps->nh && tries < PLAN_DEST_TRIES; t++) {
		d = ps->order[t];
		if (d == h || cpu_room(ps, d) >= need ||
		    ps->busy[d] + 2 > ps->pol->per_host ||
		    pass_why_not(ps, vm, d, 0, NULL, 0) != NULL)
			continue;
		tries++;
		if ((u = evictee(ps, d, h, need, v->mem, &e)) == PLAN_NONE)
			continue;
		if (pass_commit(ps, u, e, PLAN_ROOM, NULL) < 0)
			return -ENOMEM;
		ps->out->moves[ps->out->nmoves - 1].for_vm = vm;
		if (pass_why_not(ps, vm, d, need, NULL, 0) == NULL &&
		    ps->budget > 0)
			return pass_commit(ps, vm, d, PLAN_HOT, NULL) < 0 ?
			    -ENOMEM : 1;
		pass_undo(ps);
	}
	return 0;
}

/*
 * Relief through a host that makes room: the smallest VMs of h that
 * cover its excess, a few of them, else its largest VM.
 */
static int
relieve_via_room(struct pass *ps, size_t h, double excess)
{
	const struct plan_vm	*v;
	size_t			 k, i, best, large, tries;
	double			 floor = excess;
	int			 rc;

	for (tries = 0; tries < PLAN_ROOM_TRIES && ps->budget >= 2; tries++) {
		best = large = PLAN_NONE;
		for (k = ps->hv_start[h]; k < ps->hv_start[h + 1]; k++) {
			i = ps->hv[k];
			v = &ps->in->vms[i];
			if (ps->place[i] != h || v->cpu <= 0 ||
			    pass_why_stay(ps, i, 0) != NULL)
				continue;
			if (v->cpu >= floor && (best == PLAN_NONE ||
			    v->cpu < ps->in->vms[best].cpu))
				best = i;
			if (large == PLAN_NONE || v->cpu > ps->in->vms[large].cpu)
				large = i;
		}
		if (best == PLAN_NONE && tries == 0)
			best = large;	/* none covers the excess: its largest */
		if (best == PLAN_NONE)
			return 0;
		if ((rc = room_for(ps, best, h)) != 0)
			return rc;
		floor = nextafter(ps->in->vms[best].cpu, INFINITY);
	}
	return 0;
}

/*
 * A partial relief (a move that does not by itself bring the hot host
 * under target) must leave its destination the policy's `relief
 * partial-headroom` below the hot level.
 */
static int
partial_fits(const struct pass *ps, size_t vm, size_t d)
{
	const struct plan_vm	*v = &ps->in->vms[vm];

	return ps->cpu[d] + fmax(v->cpu, v->cpu_mean) <=
	    (planner_hot_level(ps->pol) - ps->pol->partial_headroom) *
	    ps->in->hosts[d].cpu_cap;
}

/*
 * One move off host h: the smallest VM whose CPU alone covers the
 * excess over target, else the largest that fits somewhere.  Returns 1
 * when a move was made, 0 when none could be, -ENOMEM.
 */
static int
relieve_one(struct pass *ps, size_t h, double target)
{
	const struct plan_vm	*v;
	size_t			 k, i, d, enough = PLAN_NONE, large = PLAN_NONE;
	size_t			 de = PLAN_NONE, dl = PLAN_NONE;
	double			 excess;
	const char		*why;
	int			 rc;

	excess = ps->cpu[h] - target * ps->in->hosts[h].cpu_cap;
	for (k = ps->hv_start[h]; k < ps->hv_start[h + 1]; k++) {
		i = ps->hv[k];
		v = &ps->in->vms[i];
		if (ps->place[i] != h || v->cpu <= 0)
			continue;
		if ((why = pass_why_stay(ps, i, 0)) != NULL) {
			pass_reject(ps, i, PLAN_NONE, why);
			continue;
		}
		/* the destination must take the VM's recent peak, too */
		d = pass_best_dest(ps, i, fmax(v->cpu, v->cpu_mean), 1);
		if (d == PLAN_NONE)
			continue;
		if (v->cpu >= excess && (enough == PLAN_NONE ||
		    v->cpu < ps->in->vms[enough].cpu)) {
			enough = i;
			de = d;
		}
		if (large == PLAN_NONE || v->cpu > ps->in->vms[large].cpu) {
			large = i;
			dl = d;
		}
	}
	if (enough != PLAN_NONE)
		return pass_commit(ps, enough, de, PLAN_HOT, NULL) < 0 ? -ENOMEM : 1;
	if (ps->pol->make_room && (rc = relieve_via_room(ps, h, excess)) != 0)
		return rc;
	/* a partial relief keeps its destination off the hot level's brim */
	if (large != PLAN_NONE && partial_fits(ps, large, dl))
		return pass_commit(ps, large, dl, PLAN_HOT, NULL) < 0 ? -ENOMEM : 1;
	return 0;
}

/*
 * Brings h under target as far as the room elsewhere allows.  A partial
 * relief is kept: the load it moved is load the host does not carry
 * into the next interval (measured better than taking it back).
 */
static int
relieve(struct pass *ps, size_t h, double target, double level)
{
	int	 rc = 1;

	while (ps->budget > 0 && pass_util(ps, h) > target &&
	    (rc = relieve_one(ps, h, target)) == 1)
		;
	if (rc < 0)
		return rc;
	if (pass_util(ps, h) > level)
		ps->out->unrelieved++;
	return 0;
}

static const struct pass *hot_ps;

static int
cmp_util_up(const void *a, const void *b)
{
	double	 x = pass_util(hot_ps, *(const size_t *)a);
	double	 y = pass_util(hot_ps, *(const size_t *)b);

	return x < y ? -1 : x > y;
}

/* Hot hosts due for relief, the least hot first. */
static int
relieve_hot(struct pass *ps)
{
	const struct policy_threshold *hot = &ps->pol->hot[POLICY_CPU];
	size_t			*list, n = 0, h, k;
	int			 rc = 0;

	if ((list = calloc(ps->nh + 1, sizeof(*list))) == NULL)
		return -ENOMEM;
	for (h = 0; h < ps->nh && hot->set; h++)
		if (!ps->in->hosts[h].stale && ps->in->hosts[h].hot_s >= hot->for_s &&
		    pass_util(ps, h) > hot->level)
			list[n++] = h;
	ps->out->hot_hosts = n;
	hot_ps = ps;
	qsort(list, n, sizeof(*list), cmp_util_up);
	/* past the budget too: a host left hot counts as unrelieved */
	for (k = 0; k < n && rc == 0; k++)
		rc = relieve(ps, list[k], hot->level - PLAN_RELIEF_MARGIN, hot->level);
	free(list);
	return rc;
}

/* P(demand > limit) for a normal with this mean and variance. */
static double
p_hot(double mu, double var, double limit)
{
	if (var <= 0)
		return mu > limit ? 1.0 : 0.0;
	return 0.5 * erfc((limit - mu) / sqrt(2.0 * var));
}

static double
host_limit(const struct pass *ps, size_t h)
{
	return planner_hot_level(ps->pol) * ps->in->hosts[h].cpu_cap;
}

/* The gain in expected hot hosts of moving vm to d. */
static double
risk_gain(const struct pass *ps, size_t vm, size_t d, double pa, double na)
{
	const struct plan_vm	*v = &ps->in->vms[vm];
	double			 lim = host_limit(ps, d);

	return pa - na + p_hot(ps->mu[d], ps->var[d], lim) -
	    p_hot(ps->mu[d] + pass_vm_mu(v), ps->var[d] + pass_vm_var(ps, v), lim);
}

/* The best risk-lowering move from host a; its gain in *best. */
static void
risk_from(struct pass *ps, size_t a, double *best, size_t *bv, size_t *bd)
{
	const struct plan_vm	*v;
	size_t			 k, i, t, d, tries;
	double			 pa, na, g;

	pa = p_hot(ps->mu[a], ps->var[a], host_limit(ps, a));
	if (pa < *best)
		return;
	for (k = ps->hv_start[a]; k < ps->hv_start[a + 1]; k++) {
		i = ps->hv[k];
		v = &ps->in->vms[i];
		if (ps->place[i] != a || v->cpu <= 0 || pass_why_stay(ps, i, 0))
			continue;
		na = p_hot(ps->mu[a] - pass_vm_mu(v), ps->var[a] - pass_vm_var(ps, v),
		    host_limit(ps, a));
		for (t = 0, tries = 0; t < ps->nh && tries < PLAN_DEST_TRIES; t++) {
			d = ps->order[t];
			/* the destination must take the VM's recent peak */
			if (pass_why_not(ps, i, d, fmax(v->cpu, v->cpu_mean),
			    NULL, 0) != NULL)
				continue;
			tries++;
			if ((g = risk_gain(ps, i, d, pa, na)) > *best) {
				*best = g;
				*bv = i;
				*bd = d;
			}
		}
	}
}

/*
 * Lowers the expected number of hot hosts next interval, a move at a
 * time, while a move gains at least PLAN_RISK_GAIN.
 */
static int
reduce_risk(struct pass *ps)
{
	size_t	 h, bv, bd;
	double	 best;

	while (ps->budget > 0) {
		pass_order(ps);
		best = PLAN_RISK_GAIN;
		bv = bd = PLAN_NONE;
		for (h = 0; h < ps->nh; h++)
			if (!ps->in->hosts[h].stale)
				risk_from(ps, h, &best, &bv, &bd);
		if (bv == PLAN_NONE)
			break;
		if (pass_commit(ps, bv, bd, PLAN_RISK, NULL) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* Imbalance on the smoothed loads (mu), so that noise does not churn. */
static double
smooth_imbalance(const struct pass *ps)
{
	return planner_imbalance(ps->in, ps->mu, ps->mem, ps->net, ps->disk);
}

/*
 * An idle host: in service, with no VM at the start of the pass (one
 * just added, or just emptied), while it carries less than a quarter of
 * the cluster's mean smoothed CPU load.
 * Returns the first such host, or PLAN_NONE.
 */
static size_t
idle_host(const struct pass *ps)
{
	double	 sum = 0, n = 0;
	size_t	 h;

	for (h = 0; h < ps->nh; h++)
		if (!ps->in->hosts[h].stale && !ps->in->hosts[h].maintenance) {
			sum += ps->mu[h] / ps->in->hosts[h].cpu_cap;
			n++;
		}
	if (n < 2 || sum / n < 0.05)
		return PLAN_NONE;
	for (h = 0; h < ps->nh; h++)
		if (!ps->in->hosts[h].stale && !ps->in->hosts[h].maintenance &&
		    ps->hv_start[h + 1] == ps->hv_start[h] &&
		    ps->mu[h] / ps->in->hosts[h].cpu_cap < 0.25 * sum / n)
			return h;
	return PLAN_NONE;
}

/*
 * Greedy, on smoothed loads: the one move off the four busiest hosts
 * that lowers imbalance most, while it lowers it by min-benefit; runs
 * while imbalance is above target, or while a host is idle (then only
 * towards that host: an operator who adds a host sees it filled).
 */
static int
rebalance(struct pass *ps)
{
	const struct plan_vm	*v;
	size_t			 t, k, i, a, d, to, tries, bv, bd, idle;
	double			 cur, best, after, m;

	while (ps->budget > 0) {
		cur = smooth_imbalance(ps);
		idle = cur > ps->pol->imbalance_target ? PLAN_NONE : idle_host(ps);
		if (cur <= ps->pol->imbalance_target && idle == PLAN_NONE)
			break;
		pass_order(ps);
		best = cur - ps->pol->min_benefit;
		bv = bd = PLAN_NONE;
		for (t = 0; t < 4 && t < ps->nh; t++) {
			a = ps->order[ps->nh - 1 - t];
			for (k = ps->hv_start[a]; k < ps->hv_start[a + 1]; k++) {
				i = ps->hv[k];
				v = &ps->in->vms[i];
				if (ps->place[i] != a || pass_why_stay(ps, i, 0))
					continue;
				m = pass_vm_mu(v);
				for (d = 0, tries = 0; d < ps->nh && tries < PLAN_DEST_TRIES; d++) {
					to = idle != PLAN_NONE ? idle : ps->order[d];
					if (pass_why_not(ps, i, to, fmax(v->cpu, v->cpu_mean), NULL, 0) ||
					    pass_rule_broken(ps, i, to, POLICY_SHOULD) ||
					    ptraffic_score(ps, i, to) < 0)
						continue;
					tries++;
					pass_try(ps, i, a, to, m, 1);
					after = smooth_imbalance(ps);
					pass_try(ps, i, a, to, m, -1);
					if (after < best) {
						best = after;
						bv = i;
						bd = to;
					}
				}
			}
		}
		if (bv == PLAN_NONE)
			break;
		if (pass_commit(ps, bv, bd, PLAN_IMBALANCE, NULL) < 0)
			return -ENOMEM;
	}
	return 0;
}

int
planner_run(const struct plan_input *in, struct plan *out)
{
	struct pass	 ps;
	int		 rc;

	out->nmoves = out->nrejects = out->nnotes = 0;
	out->rejects_total = 0;
	out->hot_hosts = out->unrelieved = 0;
	if ((rc = pass_init(&ps, in, out)) < 0) {
		pass_free(&ps);
		return rc;
	}
	out->imb_before = pass_imbalance(&ps);
	if ((rc = evacuate(&ps)) == 0 && (rc = repair_rules(&ps)) == 0 &&
	    (rc = relieve_hot(&ps)) == 0 && (rc = reduce_risk(&ps)) == 0 &&
	    (rc = rebalance(&ps)) == 0)
		rc = ptraffic_gather(&ps);
	out->imb_after = pass_imbalance(&ps);
	pass_free(&ps);
	return rc < 0 ? rc : (int)out->nmoves;
}

void
plan_free(struct plan *p)
{
	free(p->moves);
	memset(p, 0, sizeof(*p));
}
