/* SPDX-License-Identifier: ISC */
/*
 * policy: the balancing policy language -- its parsed form, the parser
 * and the printer (ballast.policy(5)).
 *
 * A policy file says when ballast may act (mode, time windows), what is
 * hot and cool (per resource, with durations), how imbalance is
 * measured, which placements are required or wanted (rules), what a
 * migration may cost (downtime, bandwidth) and how many may run
 * (budgets).  The parser fills a fresh struct policy and changes
 * nothing else, so a reload is all-or-nothing: keep the old policy when
 * policy_parse() fails.  Every setting has a default (policy_defaults),
 * and policy_print() writes a policy back in the grammar, so that
 * print(parse(print(p))) == print(p).  The struct is large (tens of
 * KiB): allocate it, do not put it on the stack.
 */
#ifndef BALLAST_POLICY_H
#define BALLAST_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum policy_mode {
	POLICY_MANUAL = 0,	/* recommend only */
	POLICY_APPROVE,		/* recommendations wait for an operator */
	POLICY_AUTOMATIC	/* carry them out */
};

enum policy_res {
	POLICY_CPU = 0,
	POLICY_MEM,
	POLICY_NET,
	POLICY_DISK,
	POLICY_NRES
};

enum policy_strength {
	POLICY_MUST = 0,	/* hard: never violated by a plan */
	POLICY_SHOULD		/* soft: a cost in the planner's score */
};

enum policy_rule_kind {
	POLICY_AFFINITY = 0,	/* the VMs run on one host */
	POLICY_ANTI_AFFINITY,	/* the VMs run on different hosts */
	POLICY_VM_HOST,		/* the VMs run on the named hosts */
	POLICY_NOT_VM_HOST	/* the VMs never run on the named hosts */
};

#define POLICY_MAX_GLOBS	8
#define POLICY_NAME_MAX		64
#define POLICY_GLOB_MAX		64

/* A set of VMs or hosts: shell globs (fnmatch(3)) on names. */
struct policy_sel {
	char		 globs[POLICY_MAX_GLOBS][POLICY_GLOB_MAX];
	size_t		 n;
};

struct policy_rule {
	char			 name[POLICY_NAME_MAX];
	enum policy_strength	 strength;
	enum policy_rule_kind	 kind;
	struct policy_sel	 vms;
	struct policy_sel	 hosts;		/* VM_HOST, NOT_VM_HOST */
	int			 line;		/* in the policy file */
};

/*
 * keep-together traffic above RATE [weight W]: a soft rule for VM pairs
 * whose traffic (both ways, bytes/s) is at least min_bps: the planner
 * favours a destination that hosts a VM's heavy partners, counts a move
 * away from them as a cost, and brings split pairs together when
 * capacity, must rules and budgets allow.
 */
struct policy_keep {
	int		 set;
	uint64_t	 min_bps;
	double		 weight;	/* default 1 */
	int		 line;
};

/* A level (fraction of capacity, 0..1) held for a duration. */
struct policy_threshold {
	int		 set;
	double		 level;
	unsigned	 for_s;
};

/* A daily window (minutes after midnight, local time) with its mode. */
struct policy_window {
	unsigned		 from_min, to_min;	/* to < from: over midnight */
	enum policy_mode	 mode;
};

#define POLICY_MAX_WINDOWS	8
#define POLICY_MAX_RULES	64

struct policy {
	enum policy_mode	 mode;			/* default manual */
	struct policy_window	 windows[POLICY_MAX_WINDOWS];
	size_t			 nwindows;		/* outside them: mode */
	unsigned		 interval_s;		/* planning pass, default 30 */

	struct policy_threshold	 hot[POLICY_NRES];	/* cpu > 80 % for 5m */
	struct policy_threshold	 cool[POLICY_NRES];	/* cpu < 65 % for 10m */
	double			 mem_headroom;		/* kept free, default 0.10 */

	double			 weight[POLICY_NRES];	/* cpu 1, mem 0.5, net 0.25, disk 0.25 */
	double			 imbalance_target;	/* CV, default 1 (skewed only) */
	double			 min_benefit;		/* per move, default 0.05 */

	uint64_t		 bandwidth;		/* bytes/s, default 1 GiB/s */
	unsigned		 max_downtime_ms;	/* default 500 */
	unsigned		 per_pass;		/* migrations, default 4 */
	unsigned		 per_host;		/* concurrent in+out, default 2 */
	unsigned		 cooldown_s;		/* per VM, default 1800 */
	unsigned		 timeout_s;		/* per migration, default 600 */
	unsigned		 retries;		/* default 1 */
	int			 make_room;		/* relieve through a 3rd host, default on */
	double			 peak_weight;		/* risk from recent peaks, default 2 */
	double			 partial_headroom;	/* below hot, for partial relief, default 0.06 */

	int			 reserve_n1;		/* keep N+1, default off */
	double			 reserve[POLICY_NRES];	/* per host, default 0 */

	struct policy_rule	 rules[POLICY_MAX_RULES];
	size_t			 nrules;
	struct policy_keep	 keep_together;		/* default off */
	struct policy_sel	 pinned;		/* never moved */
	struct policy_sel	 maintenance;		/* hosts to evacuate */
};

/* Fills *p with every default named above. */
void	policy_defaults(struct policy *p);

/*
 * Parses text (from `file`, for messages).  Returns 0 with *out filled,
 * or -EINVAL with "file:line:col: what is wrong" in err, or -ENOMEM;
 * *out is untouched on error.
 */
int	policy_parse(const char *file, const char *text, size_t len,
	    struct policy *out, char *err, size_t errlen);

/* Reads and parses a file; as policy_parse, plus -errno if unreadable. */
int	policy_load(const char *path, struct policy *out, char *err,
	    size_t errlen);

/* Writes p in the grammar, every setting explicit. */
void	policy_print(const struct policy *p, FILE *f);

/* The mode in force at minute-of-day `min` (windows, else p->mode). */
enum policy_mode policy_mode_at(const struct policy *p, unsigned min);

/* Does name match the selection?  An empty selection matches nothing. */
int	policy_sel_match(const struct policy_sel *, const char *name);

const char *policy_res_name(enum policy_res);
const char *policy_mode_name(enum policy_mode);

#endif
