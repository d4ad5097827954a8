/* SPDX-License-Identifier: ISC */
/*
 * executor: carries planned migrations out, one state machine each
 * (drawn at the top of executor.c), journals them so that a balancer
 * killed at any point sends no command twice and reconciles what was in
 * flight from the next reports, and keeps the recent ones for the API.
 */
#ifndef BALLAST_EXECUTOR_H
#define BALLAST_EXECUTOR_H

#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "model.h"
#include "wire.h"

enum mig_state {
	MIG_PLANNED = 0,	/* decided, not yet sent */
	MIG_SENT,		/* command sent, no answer yet */
	MIG_MIGRATING,		/* the source host accepted and reports progress */
	MIG_VERIFYING,		/* reported done: waiting to see it on the destination */
	MIG_DONE,		/* seen on the destination */
	MIG_FAILED,		/* refused, failed, timed out: the VM stays on the source */
	MIG_ABORTED,		/* cancelled, or dropped before it was sent */
	MIG_NSTATES
};

#define MIG_TEXT	256

struct migration {
	uint64_t	 id;		/* command id: epoch << 32 | number */
	uint8_t		 vm[16];
	char		 vm_name[WIRE_MAX_VM_NAME + 1];
	uint8_t		 src[16], dst[16];
	char		 src_name[WIRE_MAX_HOST_NAME + 1];
	char		 dst_name[WIRE_MAX_HOST_NAME + 1];
	enum mig_state	 state;
	char		 reason[32];	/* hot, risk, rule, maintenance, operator... */
	char		 explain[MIG_TEXT];
	char		 error[MIG_TEXT];
	char		 outcome[MIG_TEXT];	/* after DONE: was the benefit seen? */
	unsigned	 progress;	/* per mille */
	unsigned	 attempts;	/* sends of the command */
	double		 pred_time_s, pred_down_s;
	double		 src_before, src_after;	/* predicted CPU utilisation */
	int64_t		 planned_at, ended_at;	/* Unix ms */
	int64_t		 state_ms;	/* monotonic: when it entered its state */
	int64_t		 done_ms;	/* monotonic: when it reached DONE */
	int		 benefit_checked;
	int		 recovered;	/* in flight when the balancer restarted */
};

struct executor_config {
	const char	*journal;	/* path; NULL: none (tests, bench) */
	struct audit	*audit_log;	/* decisions go here; NULL: none */
	uint64_t	 epoch;		/* this start's epoch */
	unsigned	 send_timeout_s;	/* no answer: send again, default 10 */
	unsigned	 retries;	/* sends after the first, default 1 */
	unsigned	 timeout_s;	/* a migration's time limit, default 600 */
	unsigned	 verify_s;	/* to see it on the destination, default 60 */
	uint64_t	 bandwidth;	/* bytes/s in the command; 0: hypervisor default */
	unsigned	 max_downtime_ms;
};

/* Sends a command to a host's collector: 0 or a negative errno. */
typedef int (*exec_send_fn)(void *arg, const uint8_t host[16],
	    Ballast__V1__Command *);

struct executor;

/*
 * Returns NULL with a reason in err.  The journal is read back: what
 * was in flight is reconciled from the next reports (never sent again),
 * what was only planned is aborted.
 */
struct executor	*executor_new(const struct executor_config *, exec_send_fn,
		    void *arg, char *err, size_t errlen);
void		 executor_free(struct executor *);

/*
 * Queues a migration (fields from vm to explain set by the caller).
 * Refuses (-EBUSY) a VM that already has one in flight.  Returns 0 and
 * the new id in *id.
 */
int		 executor_submit(struct executor *, const struct migration *,
		    int64_t now_ms, uint64_t *id);

/* A status from a collector (validated by wire). */
void		 executor_on_status(struct executor *,
		    const Ballast__V1__CommandStatus *, int64_t now_ms);

/* Sends what is planned, times out, verifies against the model. */
void		 executor_tick(struct executor *, const struct model *,
		    int64_t now_ms);

/* Cancels an in-flight migration: 0, -ENOENT, or -EALREADY if ended. */
int		 executor_cancel(struct executor *, uint64_t id, int64_t now_ms);

/* A reloaded policy's migration settings, for what is sent from now on. */
void		 executor_configure(struct executor *, unsigned retries,
		    unsigned timeout_s, uint64_t bandwidth,
		    unsigned max_downtime_ms);

int		 executor_vm_busy(const struct executor *, const uint8_t vm[16]);
/*
 * Failed migrations of vm from host src since its last one that was
 * done (among the migrations kept): what the policy's retries bound.
 */
unsigned	 executor_vm_failures(const struct executor *,
		    const uint8_t vm[16], const uint8_t src[16]);
unsigned	 executor_host_busy(const struct executor *, const uint8_t host[16]);

/* Recent migrations, newest first (at most EXECUTOR_KEEP). */
#define EXECUTOR_KEEP	1000
size_t		 executor_count(const struct executor *);
const struct migration *executor_at(const struct executor *, size_t i);
const struct migration *executor_find(const struct executor *, uint64_t id);

/* Counts by final state since start, for /metrics and status. */
uint64_t	 executor_total(const struct executor *, enum mig_state);

const char	*mig_state_name(enum mig_state);

#endif
