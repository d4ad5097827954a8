/* SPDX-License-Identifier: ISC */
/*
 * report: `ballastctl report capacity`, the capacity-planning report
 * (ballastctl(1), REPORTS).
 *
 * With --state-dir or --rrd-dir it reads the RRD files itself and
 * computes the report with exporters/capacity.h, showing its progress
 * on a terminal; otherwise it asks the balancer's API for
 * GET /api/v1/report/capacity with the same options, which runs the same
 * code.  Either way it writes HTML, CSV or JSON to --out or standard
 * output, and says on standard error when the history is too short for
 * a forecast.
 *
 * The command owns its options (they are not ballastctl's global ones);
 * ballastctl hands it the whole command line when the command is
 * "report".  Returns an exit status: 0, 1 (no history, API or file
 * error), 2 (usage).
 */
#ifndef BALLAST_CTL_REPORT_H
#define BALLAST_CTL_REPORT_H

int	report_main(int argc, char **argv);

/*
 * Is the command of this command line "report"?  `global` lists
 * ballastctl's long options that take an argument, NULL-terminated, so
 * that their values are not taken for the command.
 */
int	report_is_command(int argc, char **argv, const char *const *global);

#endif
