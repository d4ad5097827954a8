/* SPDX-License-Identifier: ISC */
/*
 * cmd_policy: ballastctl's policy show and policy check.  See
 * cmd_policy.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd_policy.h"
#include "ctl_api.h"
#include "fmt.h"
#include "log.h"
#include "policy.h"

/*
 * policy show: the policy in force, from the API.  policy check FILE
 * [-v]: parses a policy file, no balancer needed.  Prints it back with
 * -v, then "FILE: policy OK"; or the parser's "file:line:col: what is
 * wrong" line and returns EXIT_INVALID.
 */
int
cmd_policy(const struct ctl *ctl, int argc, char **argv)
{
	struct policy	*p;
	char		 err[1024], text[1024];

	if (argc == 2 && strcmp(argv[1], "show") == 0) {
		if (ctl_owned(ctl, CMD_JSON, "policy show") == -1)
			return ctl_usage();
		return ctl_simple(ctl, "/api/v1/policy", fmt_policy,
		    "an object");
	}
	if (argc != 3 || strcmp(argv[1], "check") != 0 || *argv[2] == '\0') {
		log_warnx("policy: expected 'ballastctl policy show' or "
		    "'ballastctl policy check FILE [-v]'");
		return ctl_usage();
	}
	if (ctl_owned(ctl, CMD_VERBOSE, "policy check") == -1)
		return ctl_usage();
	if ((p = malloc(sizeof(*p))) == NULL) {
		log_warnx("out of memory");
		return EXIT_INVALID;
	}
	if (policy_load(argv[2], p, err, sizeof(err)) < 0) {
		fmt_sanitize(text, sizeof(text), err);
		fprintf(stderr, "%s\n", text);
		free(p);
		return EXIT_INVALID;
	}
	if (ctl->verbose)
		policy_print(p, stdout);
	printf("%s: policy OK\n", argv[2]);
	free(p);
	return 0;
}
