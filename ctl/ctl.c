/* SPDX-License-Identifier: ISC */
/*
 * ctl: the command line's shared pieces.  See ctl.h for the contracts.
 */
#include <stdint.h>
#include <stdio.h>

#include "ctl.h"
#include "log.h"
#include "util.h"

/* Points at --help after a usage error; returns EXIT_USAGE. */
int
ctl_usage(void)
{
	fputs(CTL_SYNOPSIS, stderr);
	fputs("Try 'ballastctl --help' for the commands and options.\n",
	    stderr);
	return EXIT_USAGE;
}

/*
 * Parses the ID argument of `cmd`; `list` is the command that shows
 * the IDs.  0, or -1 after saying what is wrong.
 */
int
ctl_parse_id(const char *cmd, const char *list, const char *s,
    long long *id)
{
	int64_t	 v;

	if (util_parse_i64(s, 0, INT64_MAX, &v) != 0) {
		log_warnx("%s: ID is a whole number as 'ballastctl %s' shows, "
		    "not \"%s\"", cmd, list, s);
		return -1;
	}
	*id = (long long)v;
	return 0;
}

/*
 * Says which option given on the command line `name` does not take,
 * if any: the options of `opts` (CMD_*) are allowed.  Returns 0, or -1
 * after saying which option belongs elsewhere.
 */
int
ctl_owned(const struct ctl *ctl, unsigned opts, const char *name)
{
	static const struct {
		unsigned	 flag;
		const char	*option, *owner;
	} owned[] = {
		{ CMD_HOST,	"--host NAME",	"the vms command" },
		{ CMD_EXPLAIN,	"--explain",	"the plan command" },
		{ CMD_WAIT,	"--wait",	"the migrate command" },
		{ CMD_VERBOSE,	"-v",		"the policy check command" },
		{ CMD_OUT,	"--out DIR",	"the keygen command" },
		{ CMD_JSON,	"--json",
		    "the commands that ask the API" },
	};
	unsigned	 given = 0;
	size_t		 i;

	given |= ctl->host != NULL ? CMD_HOST : 0;
	given |= ctl->explain ? CMD_EXPLAIN : 0;
	given |= ctl->wait ? CMD_WAIT : 0;
	given |= ctl->verbose ? CMD_VERBOSE : 0;
	given |= ctl->json ? CMD_JSON : 0;
	given |= ctl->out != NULL ? CMD_OUT : 0;
	for (i = 0; i < sizeof(owned) / sizeof(owned[0]); i++) {
		if ((given & owned[i].flag) && !(opts & owned[i].flag)) {
			log_warnx("%s: %s belongs to %s", name,
			    owned[i].option, owned[i].owner);
			return -1;
		}
	}
	return 0;
}
