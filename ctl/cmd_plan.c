/* SPDX-License-Identifier: ISC */
/*
 * cmd_plan: ballastctl's plan, approve and reject.  See cmd_plan.h.
 */
#include <stdio.h>

#include <jansson.h>

#include "cmd_plan.h"
#include "ctl_api.h"
#include "fmt.h"

int
cmd_plan(const struct ctl *ctl, int nargs, char **args)
{
	(void)nargs;
	(void)args;
	if (ctl->explain)
		return ctl_simple(ctl, "/api/v1/plan/explain",
		    fmt_plan_explain, "an object");
	return ctl_simple(ctl, "/api/v1/plan", fmt_plan, "an object");
}

/* approve ID, reject ID: `verb` is "approve" or "reject". */
static int
ctl_verdict(const struct ctl *ctl, const char *verb, const char *done,
    const char *arg)
{
	char		 path[64], msg[96];
	json_t		*j;
	long long	 id;

	if (ctl_parse_id(verb, "plan", arg, &id) == -1)
		return ctl_usage();
	snprintf(path, sizeof(path), "/api/v1/plan/%lld/%s", id, verb);
	if ((j = ctl_action(ctl, path, "")) == NULL)
		return EXIT_API;
	snprintf(msg, sizeof(msg), "recommendation %lld %s", id, done);
	ctl_done(ctl, j, msg);
	json_decref(j);
	return 0;
}

int
cmd_approve(const struct ctl *ctl, int nargs, char **args)
{
	(void)nargs;
	return ctl_verdict(ctl, "approve", "approved", args[0]);
}

int
cmd_reject(const struct ctl *ctl, int nargs, char **args)
{
	(void)nargs;
	return ctl_verdict(ctl, "reject", "rejected", args[0]);
}
