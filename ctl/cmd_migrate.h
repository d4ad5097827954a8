/* SPDX-License-Identifier: ISC */
/*
 * cmd_migrate: ballastctl's migrations (the recent ones), the actions
 * migrate VM HOST [--wait] and cancel ID, and maintenance [enter|exit
 * HOST].
 *
 * migrate --wait polls the API every second and shows the migration's
 * progress (one updating line on a terminal, a line per change
 * otherwise) until it ends; SIGINT or SIGTERM stop the waiting, not the
 * migration.
 *
 * Commands of ballastctl's table: `args[0..nargs-1]` are their
 * arguments, none of them empty.  Each returns an exit status (ctl.h)
 * after saying on stderr what failed; migrate --wait returns EXIT_FAILED
 * for a failed or aborted migration and for an interrupt.
 */
#ifndef BALLAST_CTL_CMD_MIGRATE_H
#define BALLAST_CTL_CMD_MIGRATE_H

#include "ctl.h"

int	cmd_migrations(const struct ctl *ctl, int nargs, char **args);
int	cmd_migrate(const struct ctl *ctl, int nargs, char **args);
int	cmd_cancel(const struct ctl *ctl, int nargs, char **args);
int	cmd_maintenance(const struct ctl *ctl, int nargs, char **args);

#endif
