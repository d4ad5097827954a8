/* SPDX-License-Identifier: ISC */
/*
 * cmd_policy: ballastctl's policy show (the policy in force, from the
 * API) and policy check FILE [-v] (a policy file parsed here, no
 * balancer needed; ballast.policy(5)).
 */
#ifndef BALLAST_CTL_CMD_POLICY_H
#define BALLAST_CTL_CMD_POLICY_H

#include "ctl.h"

/*
 * argv[0] is "policy", argc counts it.  policy check prints the policy
 * back with -v, then "FILE: policy OK"; or the parser's "file:line:col:
 * what is wrong" line on stderr and returns EXIT_INVALID.  Returns an
 * exit status (ctl.h).
 */
int	cmd_policy(const struct ctl *ctl, int argc, char **argv);

#endif
