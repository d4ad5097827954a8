/* SPDX-License-Identifier: ISC */
/*
 * plan_pass: the working state of one planning pass (planner.c's
 * internals): loads as decided moves change them, the indexes that keep
 * a pass near O(VMs + hosts log hosts), the eligibility checks every
 * phase shares, and the commit of a move.  Not for other rooms.
 */
#ifndef BALLAST_PLAN_PASS_H
#define BALLAST_PLAN_PASS_H

#include <stddef.h>
#include <stdint.h>

#include "planner.h"

struct pass {
	const struct plan_input	*in;
	const struct policy	*pol;
	struct plan		*out;
	size_t			 nh, nv, budget;
	double			*cpu, *mem;	/* per host, as moves are decided */
	double			*net, *disk;	/* per host, bytes/s */
	double			*mu, *var;	/* per host: next-interval CPU estimate */
	unsigned		*busy;		/* per host: migrations in or out */
	size_t			*place;		/* per VM */
	uint8_t			*moved;		/* per VM: moved in this pass */
	uint8_t			*pinned;	/* per VM */
	size_t			*hv_start, *hv;	/* VMs by host at pass start */
	size_t			*order;		/* hosts, least CPU-loaded first */
	int			 order_dirty;
	/* rules: membership by VM, members by host, allowed hosts */
	size_t			 nrules;
	uint8_t			*rule_on;	/* after conflicts are settled */
	size_t			*vr_start, *vr;	/* rules of each VM */
	unsigned		*rule_count;	/* [rule * nh + host] members there */
	size_t			*rule_size;	/* members in all */
	uint8_t			*rule_host;	/* [rule * nh + host] host selected */
	double			 cpu_free, mem_free;	/* cluster-wide, for N+1 */
	struct ptraffic		*tr;		/* keep-together, or NULL */
};

int		 pass_init(struct pass *, const struct plan_input *, struct plan *);
void		 pass_free(struct pass *);

double		 pass_util(const struct pass *, size_t host);
double		 pass_vm_mu(const struct plan_vm *);
double		 pass_vm_var(const struct pass *, const struct plan_vm *);
double		 pass_imbalance(const struct pass *);

/* Why vm may not move this pass (NULL: it may). */
const char	*pass_why_stay(const struct pass *, size_t vm, int evacuating);
/* Why vm may not go to host `to` needing cpu_need MHz (NULL: it may). */
const char	*pass_why_not(const struct pass *, size_t vm, size_t to,
		    double cpu_need, char *buf, size_t len);
/* A rule of this strength that placing vm on `to` would break, or NULL. */
const struct policy_rule *pass_rule_broken(const struct pass *, size_t vm,
		    size_t to, enum policy_strength);
/* Sorts ps->order again if moves changed the loads. */
void		 pass_order(struct pass *);
/* The best destination among the least loaded; PLAN_NONE if none fits. */
size_t		 pass_best_dest(struct pass *, size_t vm, double cpu_need,
		    int record);

/*
 * Moves (dir 1) or moves back (dir -1) vm's smoothed CPU mu, memory,
 * network and disk between hosts a and b, for trying a move's effect.
 */
void		 pass_try(struct pass *, size_t vm, size_t a, size_t b, double mu,
		    int dir);
void		 pass_reject(struct pass *, size_t vm, size_t to, const char *why);
void		 pass_note(struct pass *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
int		 pass_commit(struct pass *, size_t vm, size_t to,
		    enum plan_reason, const char *rule);
/*
 * Takes back the last committed move: loads, budgets and the plan's
 * entry (rejects recorded meanwhile stay).
 */
void		 pass_undo(struct pass *);

#endif
