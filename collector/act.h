/* SPDX-License-Identifier: ISC */
/*
 * act: what a collector's actuators share.  An actuator carries out a
 * migration that cmds.c has accepted (the libvirt one in actuator.c,
 * a configured command in exec_act.c) and reports how it goes as
 * updates; it never prints and never decides whether a command should
 * run.  Also here: the destination templates both use.
 */
#ifndef BALLAST_ACT_H
#define BALLAST_ACT_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

/* A migration to carry out. */
struct act_req {
	uint64_t	 id;		/* the command's */
	uint8_t		 vm[16];
	char		 vm_name[WIRE_MAX_VM_NAME + 1];
	char		 dest[WIRE_MAX_HOST_NAME + 1];
	uint8_t		 dest_uuid[16];
	uint64_t	 bandwidth;	/* bytes/s; 0: none set */
	unsigned	 max_downtime_ms; /* 0: the hypervisor's */
	int64_t		 deadline_ms;	/* monotonic */
};

/* How one goes: a CommandStatus to send. */
struct act_update {
	uint64_t	 id;
	int		 state;		/* Ballast__V1__CommandState */
	unsigned	 permille;
	uint64_t	 remaining;	/* bytes */
	uint64_t	 elapsed_ms;
	char		 error[WIRE_MAX_ERROR_TEXT + 1];
};

struct act_ops {
	const char	*name;		/* "libvirt", "exec", "none" */
	/*
	 * Starts req (copied).  0, or -errno when it cannot start, with
	 * the reason in err (the command is then refused).
	 */
	int		(*start)(void *, const struct act_req *, char *err,
			    size_t errlen);
	/* Asks a running one to stop: 0, or -ENOENT if none runs. */
	int		(*cancel)(void *, uint64_t id);
	/* The id of the migration of vm running here, or 0. */
	uint64_t	(*busy)(void *, const uint8_t vm[16]);
	/*
	 * What changed since the last call, at most max updates: a
	 * RUNNING one per migration every progress interval, and each
	 * migration's final one exactly once.
	 */
	size_t		(*poll)(void *, int64_t now_ms, struct act_update *,
			    size_t max);
	/* A descriptor readable when poll has news, or -1. */
	int		(*fd)(void *);
	void		(*free)(void *);
};

/* The actuator that refuses everything (actuator none). */
extern const struct act_ops act_none_ops;

/*
 * Expands {host} and {dest} (the destination host's name), {vm} and
 * {vmid} (the VM's name), {uuid} and {dest_uuid} in tmpl into out.
 * Returns 0, -EINVAL (an unknown {name}) or -ENAMETOOLONG.
 */
int	act_expand(const char *tmpl, const struct act_req *, char *out,
	    size_t len);

/* Milliseconds from a to b, never negative. */
uint64_t act_elapsed(int64_t a, int64_t b);

#endif
