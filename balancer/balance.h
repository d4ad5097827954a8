/* SPDX-License-Identifier: ISC */
/*
 * balance: the balancer's decision loop -- the policy in force, a
 * planning pass every policy interval over a view of the model, the
 * recommendations it makes (with their explanations), what an operator
 * approved, rejected or asked for, and the executor that carries moves
 * out.  The daemon calls balance_pass/balance_tick from its loop and the
 * API reads and steers it through the functions below.
 *
 * Modes: manual -- recommendations only; approve -- a recommendation
 * runs once an operator approves it; automatic -- it runs at once.
 * Whatever the mode, a recommendation carries its id while the planner
 * keeps recommending the same move, so an approval names a stable thing.
 */
#ifndef BALLAST_BALANCE_H
#define BALLAST_BALANCE_H

#include <stddef.h>
#include <stdint.h>

#include "executor.h"
#include "model.h"
#include "planner.h"
#include "policy.h"

enum rec_state {
	REC_PENDING = 0,	/* recommended, waiting (manual or approve mode) */
	REC_APPROVED,		/* handed to the executor */
	REC_REJECTED,		/* an operator said no: not recommended again soon */
	REC_STALE		/* the planner no longer recommends it */
};

struct recommendation {
	uint64_t	 id;
	enum rec_state	 state;
	uint8_t		 vm[16], src[16], dst[16];
	char		 vm_name[WIRE_MAX_VM_NAME + 1];
	char		 src_name[WIRE_MAX_HOST_NAME + 1];
	char		 dst_name[WIRE_MAX_HOST_NAME + 1];
	struct plan_move mv;		/* indexes meaningless outside the pass */
	char		 explain[MIG_TEXT];
	uint64_t	 migration;	/* executor id once approved */
	int64_t		 first_ms, last_ms;	/* Unix ms */
};

struct balance_config {
	const char	*policy_path;	/* NULL: the built-in defaults */
	const char	*state_dir;	/* journal, audit log, maintenance list */
	uint64_t	 epoch;
	exec_send_fn	 send;
	void		*send_arg;
};

#define BALANCE_MAX_RECS	256
#define BALANCE_MAX_REJECTS	PLAN_MAX_REJECTS

struct balance_rejected {
	char		 vm[WIRE_MAX_VM_NAME + 1];
	char		 to[WIRE_MAX_HOST_NAME + 1];
	char		 why[96];
};

struct balance;

/* Loads the policy and the journal; NULL with a reason in err. */
struct balance	*balance_new(const struct balance_config *, char *err,
		    size_t errlen);
void		 balance_free(struct balance *);

/*
 * Reads the policy file again.  All or nothing: on error the running
 * policy stays, the error is kept for the API and returned (-EINVAL).
 */
int		 balance_reload(struct balance *, char *err, size_t errlen);

/* Is a pass due?  Then run one (plan, recommend, submit per mode). */
void		 balance_maybe_pass(struct balance *, const struct model *,
		    int64_t now_ms);
/* Runs a pass now. */
void		 balance_pass(struct balance *, const struct model *, int64_t now_ms);
/* Drives the executor: call every loop tick. */
void		 balance_tick(struct balance *, const struct model *, int64_t now_ms);
void		 balance_on_status(struct balance *,
		    const Ballast__V1__CommandStatus *, int64_t now_ms);

/* Operator actions; each returns 0 or -errno with a reason in err. */
int		 balance_approve(struct balance *, uint64_t rec, int64_t now_ms,
		    char *err, size_t errlen);
int		 balance_reject(struct balance *, uint64_t rec, char *err,
		    size_t errlen);
int		 balance_migrate(struct balance *, const struct model *,
		    const char *vm, const char *host, int64_t now_ms,
		    uint64_t *id, char *err, size_t errlen);
int		 balance_maintenance(struct balance *, const struct model *,
		    const char *host, int on, char *err, size_t errlen);
int		 balance_cancel(struct balance *, uint64_t id, int64_t now_ms,
		    char *err, size_t errlen);

/* Read-only views for the API. */
const struct policy	*balance_policy(const struct balance *);
enum policy_mode	 balance_mode(const struct balance *);
const char		*balance_policy_path(const struct balance *);
/* The last reload: 0 ok (err ""), or the error text and its time. */
const char		*balance_reload_error(const struct balance *, int64_t *when);
uint64_t		 balance_passes(const struct balance *);
int64_t			 balance_last_pass(const struct balance *);	/* Unix ms */
const struct plan	*balance_plan(const struct balance *);
size_t			 balance_rec_count(const struct balance *);
const struct recommendation *balance_rec_at(const struct balance *, size_t i);
size_t			 balance_rejected(const struct balance *,
			    const struct balance_rejected **);
const struct executor	*balance_executor(const struct balance *);

/*
 * The traffic matrix the planner reads for keep-together rules (NULL:
 * none); it stays the caller's and must outlive the balance.
 */
struct traffic;
void			 balance_set_traffic(struct balance *,
			    const struct traffic *);
int			 balance_in_maintenance(const struct balance *,
			    const char *host);
size_t			 balance_maintenance_list(const struct balance *,
			    const char *const **names);

const char		*rec_state_name(enum rec_state);

#endif
