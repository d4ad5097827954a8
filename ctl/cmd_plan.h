/* SPDX-License-Identifier: ISC */
/*
 * cmd_plan: ballastctl's plan [--explain] (the recommended migrations)
 * and the actions approve ID and reject ID on them.
 *
 * Commands of ballastctl's table: `args[0..nargs-1]` are their
 * arguments, none of them empty.  Each returns an exit status (ctl.h)
 * after saying on stderr what failed.
 */
#ifndef BALLAST_CTL_CMD_PLAN_H
#define BALLAST_CTL_CMD_PLAN_H

#include "ctl.h"

int	cmd_plan(const struct ctl *ctl, int nargs, char **args);
int	cmd_approve(const struct ctl *ctl, int nargs, char **args);
int	cmd_reject(const struct ctl *ctl, int nargs, char **args);

#endif
