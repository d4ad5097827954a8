/* SPDX-License-Identifier: ISC */
/*
 * cmd_show: ballastctl's read-only views of the cluster -- status,
 * hosts, vms [--host NAME], host NAME, vm UUID|NAME and traffic -- as
 * tables (fmt.h, fmt_traffic.h) or, with --json, the API's JSON.
 *
 * Each is a command of ballastctl's table: `args[0..nargs-1]` are its
 * arguments, as many as the table allows, none of them empty.  Each
 * returns an exit status (ctl.h) after saying on stderr what failed.
 */
#ifndef BALLAST_CTL_CMD_SHOW_H
#define BALLAST_CTL_CMD_SHOW_H

#include "ctl.h"

int	cmd_status(const struct ctl *ctl, int nargs, char **args);
int	cmd_hosts(const struct ctl *ctl, int nargs, char **args);
int	cmd_vms(const struct ctl *ctl, int nargs, char **args);
int	cmd_host(const struct ctl *ctl, int nargs, char **args);
/* By UUID, or by name: several VMs of that name list their UUIDs. */
int	cmd_vm(const struct ctl *ctl, int nargs, char **args);
int	cmd_traffic(const struct ctl *ctl, int nargs, char **args);

#endif
