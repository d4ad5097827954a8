/* SPDX-License-Identifier: ISC */
/*
 * planner: one planning pass -- given a snapshot of the cluster and the
 * policy, which VMs should move where, and why.
 *
 * Pure: no sockets, no clock, no model.  The daemon builds a
 * plan_input from its model (and the bench from a trace); the planner
 * reads it and writes a plan.  It never proposes a move that breaks a
 * `must` rule, overcommits a host (CPU above the hot level or memory
 * above capacity less headroom and reserve), or targets a hot, stale
 * or maintenance host; every move says what caused it and carries the
 * predicted before/after utilisations and migration cost; candidates it
 * turned down are kept (bounded) with the reason.
 *
 * Order of work in a pass: evacuate maintenance hosts; repair `must`
 * rules; relieve hot hosts (the least hot first, so that the room left
 * on other hosts saves as many as it can; a host that cannot be brought
 * under its hot level keeps the partial relief, which measured better
 * than taking it back, as long as its destinations stay `relief
 * partial-headroom` below the hot level; with `make-room on`, a VM too
 * large for the room on any host goes where one smaller VM first leaves
 * for a third host);
 * lower the risk of hosts likely to turn hot; then reduce
 * imbalance while a move's benefit exceeds the policy's minimum -- all
 * within the per-pass and per-host budgets and the per-VM cooldown.
 * Last, with a keep-together rule, bring heavy talkers on different
 * hosts together (plan_traffic.h); that rule also weighs every
 * destination the other phases choose.
 * Conflicting rules are settled as DRS does (must over should,
 * anti-affinity over affinity) and reported in the plan's notes.
 * Cost: about O(VMs + hosts log hosts) per pass plus O(PLAN_DEST_TRIES)
 * per candidate move.
 */
#ifndef BALLAST_PLANNER_H
#define BALLAST_PLANNER_H

#include <stddef.h>
#include <stdint.h>

#include "policy.h"

#define PLAN_NONE	((size_t)-1)

struct plan_host {
	const char	*name;
	double		 cpu_cap;	/* MHz */
	double		 mem_cap;	/* bytes */
	double		 cpu;		/* MHz in use now */
	double		 mem;		/* bytes in use now */
	double		 net;		/* bytes/s, received + sent */
	double		 net_cap;	/* bytes/s the NIC carries; 0: unknown */
	double		 disk;		/* bytes/s, read + written */
	unsigned	 hot_s;		/* how long CPU has been above the hot level */
	int		 stale;
	int		 maintenance;
	unsigned	 busy;		/* migrations in or out now */
};

struct plan_vm {
	const char	*name;
	size_t		 host;		/* index in hosts */
	double		 cpu;		/* MHz now */
	double		 cpu_mean;	/* MHz, mean over its recent window */
	double		 cpu_sd;	/* MHz, standard deviation over it */
	double		 cpu_peak;	/* MHz, its decaying peak over hours; 0: unknown */
	double		 mem;		/* bytes */
	double		 net, disk;	/* bytes/s */
	double		 dirty_bps;	/* memory dirty rate estimate, bytes/s */
	int64_t		 since_move_s;	/* -1: never moved */
	size_t		 prev_host;	/* before its last move, or PLAN_NONE */
	int		 movable;	/* running, reporting, not migrating */
	unsigned	 failures;	/* failed migrations from its host since
					   it last moved */
};

/* Traffic between two VMs, bytes/s both ways (for keep-together). */
struct plan_pair {
	size_t		 a, b;		/* indexes in vms */
	double		 bps;
};

struct plan_input {
	const struct policy	*pol;
	const struct plan_host	*hosts;
	size_t			 nhosts;
	const struct plan_vm	*vms;
	size_t			 nvms;
	const struct plan_pair	*pairs;		/* NULL: no traffic known */
	size_t			 npairs;
};

enum plan_reason {
	PLAN_MAINTENANCE = 0,	/* evacuating a host */
	PLAN_RULE,		/* repairing a must rule */
	PLAN_HOT,		/* relieving a hot host */
	PLAN_RISK,		/* lowering the risk of a hot host */
	PLAN_IMBALANCE,		/* reducing imbalance */
	PLAN_TRAFFIC,		/* keeping heavy talkers together */
	PLAN_ROOM		/* making room for a VM from a hot host */
};

struct plan_move {
	size_t		 vm, from, to;
	enum plan_reason reason;
	char		 rule[POLICY_NAME_MAX];	/* the rule, when PLAN_RULE */
	size_t		 for_vm;	/* PLAN_ROOM: the VM it makes room for */
	double		 src_before, src_after;	/* CPU utilisation 0..1 */
	double		 dst_before, dst_after;
	double		 imb_before, imb_after;	/* weighted CV */
	double		 time_s, downtime_s;	/* predicted */
	/* keep-together: heavy traffic the move brings together or splits */
	double		 kept_bps, split_bps;
	size_t		 kept_with, split_from;	/* the heaviest partner, or PLAN_NONE */
};

/*
 * Hot relief: a hot host is relieved down to its hot level less this
 * margin, so that the next interval's noise does not make it hot again.
 */
#define PLAN_RELIEF_MARGIN	0.04
/*
 * Risk: a move that prevents no current hot spot must still lower the
 * expected number of hot hosts next interval by this much (each VM's
 * next CPU taken as normal, from its current and recent mean and spread)
 * to be worth a migration.
 */
#define PLAN_RISK_GAIN		0.30
/* Destinations examined per candidate VM, least loaded first. */
#define PLAN_DEST_TRIES		32
/* make-room: VMs of a hot host tried, each with PLAN_DEST_TRIES hosts. */
#define PLAN_ROOM_TRIES		4

#define PLAN_MAX_REJECTS	64

struct plan_reject {
	size_t		 vm, to;		/* to may be PLAN_NONE */
	char		 why[96];
};

#define PLAN_MAX_NOTES	16

struct plan {
	struct plan_move	*moves;
	size_t			 nmoves, cap;
	struct plan_reject	 rejects[PLAN_MAX_REJECTS];
	size_t			 nrejects;
	uint64_t		 rejects_total;		/* including those not kept */
	double			 imb_before, imb_after;
	size_t			 hot_hosts;		/* hot and due for relief */
	size_t			 unrelieved;		/* of those, still hot after the plan */
	/* rule conflicts and N+1 findings, in words */
	char			 notes[PLAN_MAX_NOTES][160];
	size_t			 nnotes;
};

/*
 * Runs one pass.  plan must be zeroed before the first use; its arrays
 * are reused (call plan_free when done).  Returns the number of moves,
 * or -ENOMEM (the plan then holds what was decided before).
 */
int	planner_run(const struct plan_input *, struct plan *);
void	plan_free(struct plan *);

/*
 * The imbalance: the policy-weighted mean of the coefficients of
 * variation of host CPU, memory, network and disk use (non-stale hosts;
 * CPU and memory as utilisation, network as utilisation when the NIC's
 * speed is known, disk as throughput: a CV needs no capacity).  Each
 * array has one value per host.
 */
double	planner_imbalance(const struct plan_input *, const double *cpu,
	    const double *mem, const double *net, const double *disk);

/* The CPU hot level as a fraction; 1 (capacity) when `hot cpu off`. */
double	planner_hot_level(const struct policy *);

const char *plan_reason_name(enum plan_reason);

/*
 * Words for the heavy traffic a move keeps together or splits, such as
 * "keeps web-1 with db-1 (24.0 MiB/s)"; an empty string when it has
 * none (or no keep-together rule).  in is the plan's input, for names.
 */
void	plan_traffic_words(const struct plan_input *, const struct plan_move *,
	    char *buf, size_t len);

#endif
