/* SPDX-License-Identifier: ISC */
/*
 * exec_act: migrations through a configured command (act.h's
 * interface), for stacks where the collector has no libvirt access to
 * migrate with: Proxmox ("qm migrate {vmid} {dest} --online"), XCP-ng
 * ("xe vm-migrate vm={vm} host={dest} live=true").
 *
 * The template is split into words at spaces and tabs first, then each
 * word's {names} are expanded (act_expand), so a VM name never becomes
 * more than one argument and no shell is involved.  The command runs in
 * a process group of its own, with /dev/null as input and output and
 * its standard error captured (the last WIRE_MAX_ERROR_TEXT bytes).
 * Exit status 0 is DONE; anything else is FAILED with the exit status
 * and the captured text.  At the deadline, or on a cancel, the group
 * gets SIGTERM and, 5 s later, SIGKILL.  Never prints.
 */
#ifndef BALLAST_EXEC_ACT_H
#define BALLAST_EXEC_ACT_H

#include <stddef.h>

#include "act.h"

#define EXEC_ACT_MAX_ARGS	64

struct exec_act_config {
	const char	*command;	/* the template */
	unsigned	 progress_ms;	/* RUNNING statuses; default 1000 */
	unsigned	 kill_after_ms;	/* SIGTERM to SIGKILL; default 5000 */
};

extern const struct act_ops exec_act_ops;

/*
 * Checks the template (words, {names}).  Returns NULL with a reason in
 * err.  Free with exec_act_ops.free.
 */
void	*exec_act_new(const struct exec_act_config *, char *err,
	    size_t errlen);

#endif
